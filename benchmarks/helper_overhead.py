"""Does ``train_and_evaluate`` cost more than calling Keras directly?

Times the same work two ways, alternating in one process after a warm-up:

* **bare**: ``model.fit(...)`` then ``model.evaluate(...)``, exactly as the tutorial
  writes it (with the same ``batch_size`` for evaluate as the helper uses);
* **helper**: ``acttutor.training.train_and_evaluate(model, data, ...)``, which adds
  input checks, a per-epoch timing callback and the ``RunResult``.

Each repetition builds two fresh models with the same seed (building is not timed),
times one with each way, and swaps which goes first on every repetition, so drift in
the machine's load hits both alike. The script prints the median of the per-pair
ratios helper / bare, of wall time (the target: at most 1.05) and of this process's CPU
time (which other processes' load disturbs far less on a shared machine).

Usage (from the repository root)::

    ACTTUTOR_MNIST_PATH=../shared/data/mnist-10k.npz \
        .venv/bin/python benchmarks/helper_overhead.py [--repeats 9] [--epochs 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import acttutor  # noqa: E402
from acttutor.data import load_mnist  # noqa: E402
from acttutor.training import build_mlp, train_and_evaluate  # noqa: E402

TARGET = 1.05


def bare(model, data, epochs: int, batch_size: int) -> None:
    model.fit(
        data.x_train,
        data.y_train,
        batch_size=batch_size,
        epochs=epochs,
        validation_split=0.1,
        verbose=0,
    )
    model.evaluate(data.x_test, data.y_test, batch_size=batch_size, verbose=0)


def helper(model, data, epochs: int, batch_size: int) -> None:
    train_and_evaluate(
        model, data, epochs=epochs, batch_size=batch_size, validation_split=0.1, progress=False
    )


def timed(fn, *args) -> tuple[float, float]:
    """Wall time and CPU time (all threads of this process) of ``fn(*args)``."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9, help="timed pairs (default 9)")
    parser.add_argument("--epochs", type=int, default=2, help="epochs per run (default 2)")
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args()

    acttutor.setup(seed=0)
    data = load_mnist()
    print(f"data: {data.source}")
    print(f"model: 784-128-64-10 relu, {args.epochs} epochs, batch {args.batch_size}")

    ways = {"bare": bare, "helper": helper}
    for fn in ways.values():  # warm-up: TensorFlow's one-time costs, untimed
        fn(build_mlp("relu", seed=0), data, 1, args.batch_size)

    wall: dict[str, list[float]] = {name: [] for name in ways}
    cpu: dict[str, list[float]] = {name: [] for name in ways}
    for rep in range(args.repeats):
        order = ["bare", "helper"] if rep % 2 == 0 else ["helper", "bare"]
        for name in order:
            model = build_mlp("relu", seed=rep)
            w, c = timed(ways[name], model, data, args.epochs, args.batch_size)
            wall[name].append(w)
            cpu[name].append(c)

    for name in ways:
        print(f"{name:6s} wall: median {statistics.median(wall[name]):.3f} s "
              f"(min {min(wall[name]):.3f}, max {max(wall[name]):.3f});  "
              f"CPU: median {statistics.median(cpu[name]):.3f} s, over {args.repeats} runs")
    wall_ratios = [h / b for h, b in zip(wall["helper"], wall["bare"], strict=True)]
    cpu_ratios = [h / b for h, b in zip(cpu["helper"], cpu["bare"], strict=True)]
    print("per-pair wall ratios helper/bare: " + ", ".join(f"{r:.3f}" for r in wall_ratios))
    median = statistics.median(wall_ratios)
    verdict = "within" if median <= TARGET else "ABOVE"
    print(f"median CPU-time ratio helper/bare:  {statistics.median(cpu_ratios):.3f} "
          "(insensitive to other processes' load)")
    print(f"median wall-time ratio helper/bare: {median:.3f} ({verdict} the {TARGET} target)")

if __name__ == "__main__":
    main()
