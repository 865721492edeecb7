"""How long each exercise check takes, as a ratio to its 2-second budget.

Issue 13 asks that every check call that does not train returns within 2 s.
This script times ``check`` on each exercise's reference solution (the
slowest path: a correct answer runs every case) and on one typical wrong
answer, and prints the median of a few runs, the spread, and the ratio to the
2 s budget. ``ex3`` trains one step inside its check, so it is timed too but
reported against its own training budget instead.

The first call of each check (imports, TensorFlow's first graph) is run once
untimed; the table is for a learner checking again and again, which is what
the budget is about. Nothing is recorded as progress (``ACTTUTOR_PROGRESS=0``).

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
    for name in exercises.exercise_names():
        ex = getattr(exercises, name)
        if name == "ex2":
            runs = _runs_for_ex2()
            out[name] = (ex, runs, {**runs, "ReLU": runs["relu"]})
            continue
        reference = ex.reference()
        out[name] = (ex, reference, wrong.get(name, lambda *args: {}))
    return out


def time_check(ex: Any, answer: Any, repeats: int) -> list[float]:
    """Wall seconds of ``repeats`` calls of ``ex.check(answer)``, after one untimed call."""
    ex.check(answer)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        ex.check(answer)
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    """Time every check and print the table; return 1 when a check is over its budget."""
    args = parse_args(argv)
    import acttutor

    acttutor.setup()
    rows = []
    for name, (ex, reference, wrong) in answers().items():
        for kind, answer in (("reference", reference), ("wrong", wrong)):
            times = time_check(ex, answer, args.repeats)
            median = statistics.median(times)
            budget = 60.0 if name in TRAINS else BUDGET
            rows.append({"exercise": name, "answer": kind, "median_s": median,
                         "min_s": min(times), "max_s": max(times), "budget_s": budget,
                         "ratio": median / budget, "status": ex.check(answer).status})
    print(f"# checker speed: median of {args.repeats} runs, {platform.node()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"{'exercise':<22}{'answer':<11}{'status':<9}{'median s':>9}{'min-max s':>14}"
          f"{'budget s':>10}{'ratio':>8}")
    for r in rows:
        spread = f"{r['min_s']:.2f}-{r['max_s']:.2f}"
        print(f"{r['exercise']:<22}{r['answer']:<11}{r['status']:<9}{r['median_s']:>9.3f}"
              f"{spread:>14}{r['budget_s']:>10.0f}{r['ratio']:>8.2f}")
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
