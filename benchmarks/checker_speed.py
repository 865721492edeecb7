"""How long each exercise check takes, as a ratio to its 2-second budget.

Issue 13 asks that every check call that does not train returns within 2 s.
This script times ``check`` on each exercise's reference solution (the
slowest path: a correct answer runs every case) and on one typical wrong
answer, and prints the median of a few runs, the spread, and the ratio to the
2 s budget. ``ex3`` trains one step inside its check, so it is timed too but
reported against its own training budget instead.

The first call of each check also pays for imports and TensorFlow's first
graphs; it is shown in its own column, and the ratio uses the median of the
calls after it (a learner checking again and again). Nothing is recorded as
progress (``ACTTUTOR_PROGRESS=0``).

Usage (from the repository root)::

    .venv/bin/python benchmarks/checker_speed.py              # 5 runs each
    .venv/bin/python benchmarks/checker_speed.py --repeats 9 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["ACTTUTOR_PROGRESS"] = "0"  # a benchmark is not the reader's progress
os.environ.setdefault("MPLBACKEND", "Agg")

BUDGET = 2.0  # seconds, for a check that does not train
TRAINS = {"ex3"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per check (default 5)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    return parser.parse_args(argv)


def _runs_for_ex2() -> dict[str, list[Any]]:
    """Results shaped like compare_activations' (3 activations x 3 seeds), without training."""
    from acttutor.training import RunResult

    def run(final: float, seed: int, activation: str) -> RunResult:
        acc = [final - 0.1, final - 0.04, final]
        return RunResult(
            history={"accuracy": acc, "val_accuracy": [a - 0.02 for a in acc],
                     "loss": [0.9, 0.5, 0.3], "val_loss": [1.0, 0.6, 0.4]},
            test_acc=final - 0.03 + 0.001 * seed, test_loss=0.4, seconds=1.0,
            activation=activation, seed=seed,
            settings={"epochs": 3, "batch_size": 32, "validation_split": 0.1,
                      "n_train": 1437, "data_source": "digits", "units": [128, 64, 10]})

    return {name: [run(acc, seed, name) for seed in (0, 1, 2)]
            for name, acc in (("relu", 0.93), ("tanh", 0.91), ("sigmoid", 0.86))}


def _late_failures() -> dict[str, Any]:
    """Wrong answers that a check only rejects after most of its work (the slow path)."""
    import keras
    import matplotlib.pyplot as plt
    import numpy as np
    import tensorflow as tf

    def every_curve_everywhere(x):  # ex1: the nested-loop bug, found at the last step
        e = np.exp(x - x.max())
        curves = {"ReLU": np.maximum(x, 0), "Sigmoid": 1 / (1 + np.exp(-x)), "Tanh": np.tanh(x),
                  "Leaky ReLU": np.where(x > 0, x, 0.1 * x), "Softmax": e / e.sum()}
        fig, axes = plt.subplots(2, 3)
        for ax, title in zip(axes.flat, curves, strict=False):
            for y in curves.values():
                ax.plot(x, y)
            ax.set_title(title)
        return fig

    def elu_by_where(x):  # ex3: NaN gradient at x >= 89, found after the value checks
        return tf.where(x > 0, x, tf.exp(x) - 1.0)

    def nearly_dead(model, x):  # ex4: a threshold instead of exactly 0
        out, h = {}, x
        for layer in model.layers:
            h = layer(h)
            if isinstance(layer, keras.layers.Dense) and getattr(
                    layer.activation, "__name__", "") == "relu":
                out[layer.name] = float(np.all(np.asarray(h) < 1e-2, axis=0).mean())
        return out

    def max_norm(model, x, y, loss_fn):  # ex5: the max norm instead of the L2 norm
        dense = [la for la in model.layers if isinstance(la, keras.layers.Dense)]
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x))
        grads = tape.gradient(loss, [la.kernel for la in dense])
        return {la.name: float(tf.reduce_max(tf.abs(g))) for la, g in zip(dense, grads,
                                                                           strict=True)}

    return {"ex1": every_curve_everywhere, "ex3": elu_by_where, "ex4": nearly_dead,
            "ex5": max_norm}


def answers() -> dict[str, tuple[Any, Any, Any]]:
    """``{exercise: (exercise object, reference answer, a typical wrong answer)}``."""
    import numpy as np

    import acttutor.exercises as exercises

    out: dict[str, tuple[Any, Any, Any]] = {}
    wrong = {
        "implement_relu": lambda x: np.where(x > 0.1, x, 0.0),
        "implement_sigmoid": lambda x: 1 / (1 + np.exp(x)),
        "implement_tanh": lambda x: np.clip(x, -1, 1),
        "implement_leaky_relu": lambda x, a: np.where(x > 0, x, 0.01 * x),
        "implement_softmax": lambda z: np.exp(z) / np.exp(z).sum(axis=0),
    }
    wrong.update(_late_failures())
    for name in exercises.exercise_names():
        ex = getattr(exercises, name)
        if name == "ex2":
            runs = _runs_for_ex2()
            out[name] = (ex, runs, {**runs, "ReLU": runs["relu"]})
            continue
        reference = ex.reference()
        out[name] = (ex, reference, wrong.get(name, lambda *args: {}))
    return out


def time_check(ex: Any, answer: Any, repeats: int) -> tuple[float, list[float]]:
    """Wall seconds of a first call of ``ex.check(answer)``, and of ``repeats`` more."""
    start = time.perf_counter()
    ex.check(answer)
    first = time.perf_counter() - start
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        ex.check(answer)
        times.append(time.perf_counter() - start)
    return first, times


def main(argv: list[str] | None = None) -> int:
    """Time every check and print the table; return 1 when a check is over its budget."""
    args = parse_args(argv)
    import acttutor

    acttutor.setup()
    rows = []
    for name, (ex, reference, wrong) in answers().items():
        for kind, answer in (("reference", reference), ("wrong", wrong)):
            first, times = time_check(ex, answer, args.repeats)
            median = statistics.median(times)
            budget = 60.0 if name in TRAINS else BUDGET
            rows.append({"exercise": name, "answer": kind, "first_s": first, "median_s": median,
                         "min_s": min(times), "max_s": max(times), "budget_s": budget,
                         "ratio": median / budget, "status": ex.check(answer).status})
    print(f"# checker speed: median of {args.repeats} runs, {platform.node()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"{'exercise':<22}{'answer':<11}{'status':<9}{'first s':>8}{'median s':>9}"
          f"{'min-max s':>12}{'budget s':>9}{'ratio':>7}")
    for r in rows:
        spread = f"{r['min_s']:.2f}-{r['max_s']:.2f}"
        print(f"{r['exercise']:<22}{r['answer']:<11}{r['status']:<9}{r['first_s']:>8.2f}"
              f"{r['median_s']:>9.3f}{spread:>12}{r['budget_s']:>9.0f}{r['ratio']:>7.2f}")
    over = [r for r in rows if r["ratio"] > 1.0]
    worst = max((r for r in rows if r["exercise"] not in TRAINS), key=lambda r: r["ratio"])
    print(f"\nslowest check without training: {worst['exercise']} ({worst['answer']}), "
          f"{worst['ratio']:.2f} of the {BUDGET:g} s budget; over budget: "
          f"{', '.join(r['exercise'] for r in over) or 'none'}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=1)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
