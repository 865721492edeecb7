r"""Exercise 2: compare activations by training the same network with each, fairly.

The learner trains one model per activation (with
:func:`acttutor.training.compare_activations`) and passes the results to
:data:`ex2`. The checker looks only at the numbers, so it needs no training
and answers at once. It accepts ``dict[str, RunResult]`` or
``dict[str, list[RunResult]]`` (one result per seed; see
:mod:`acttutor.exercises.runs` for how each run is read) and checks that:

* at least three activations were compared;
* every run has a history of at least two epochs with ``accuracy`` and
  ``val_accuracy`` curves of the same length, and a ``test_acc``; every
  accuracy is a number (not text), a fraction in [0, 1] and finite, and no
  recorded loss (``loss``, ``val_loss``, ``test_loss``) is NaN or infinite;
* the final validation accuracy and the test accuracy beat chance by at least
  :data:`CHANCE_MARGIN`. Chance is ``1 / num_classes``: from the
  ``num_classes=`` option, else from the results (a ``num_classes``
  attribute, or the output width of the trained ``model`` a RunResult
  keeps), else 10 (MNIST, the digits and CIFAR-10 all have 10 classes);
* the comparison is **fair**: the activations are distinct (by each run's own
  ``activation``, not by the name it is stored under; a run whose
  ``activation`` is empty is named by its key), each seed's run is a run of
  its own (not one run repeated), every run was trained on the same data
  (``settings["data_source"]``) for the same number of epochs, with the same
  batch size, validation split and layer sizes when the runs record them, and
  no run is stored under two names.

Example:

>>> from types import SimpleNamespace as Run
>>> def run(a):
...     return Run(history={"accuracy": [a - 0.1, a], "val_accuracy": [a - 0.12, a - 0.02]},
...                test_acc=a - 0.03)
>>> ex2.check({"relu": run(0.9), "tanh": run(0.88), "sigmoid": run(0.8)}).status
'passed'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from acttutor.exercises import notebook_of
from acttutor.exercises import runs as _runs
from acttutor.exercises.core import Exercise
from acttutor.exercises.outcomes import Fail
from acttutor.exercises.runs import Run, read_results

__all__ = ["ASSUMED_NUM_CLASSES", "CHANCE_MARGIN", "MIN_ACTIVATIONS", "MIN_EPOCHS", "ex2"]

#: How many activations a comparison needs.
MIN_ACTIVATIONS = 3
#: How many epochs every history needs (a curve needs at least two points).
MIN_EPOCHS = _runs.MIN_EPOCHS
#: The number of classes assumed when neither the option nor the results give one.
ASSUMED_NUM_CLASSES = 10
#: How far above chance (``1 / num_classes``) the final accuracies must be.
CHANCE_MARGIN = 0.05
#: Training settings that must be equal across runs, with how a message names them.
_SAME_SETTINGS = {
    "data_source": "data", "n_train": "number of training examples", "epochs": "epochs",
    "batch_size": "batch size", "validation_split": "validation split",
    "units": "layer sizes",
}


def _num_classes(option: Any, runs: list[Run]) -> tuple[int, str]:
    if option is not None:
        if isinstance(option, bool) or not isinstance(option, (int, np.integer)) or option < 2:
            raise Fail(f"num_classes must be an int of at least 2, got {option!r}.")
        return int(option), "as given"
    for run in runs:
        value = _classes_of(run.obj)
        if value is not None:
            return value, "read from the trained model"
    return ASSUMED_NUM_CLASSES, "assumed; pass num_classes= for another dataset"


def _classes_of(run: Any) -> int | None:
    """The number of classes a run knows: a ``num_classes`` attribute, or its model's outputs."""
    candidates = [getattr(run, "num_classes", None)]
    model = getattr(run, "model", None)
    if model is not None:
        try:  # public Keras API; a model that cannot say is simply skipped
            candidates.append(model.output_shape[-1])
        except Exception:  # noqa: BLE001 - any failure means "unknown"
            pass
    for value in candidates:
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= 2:
            return int(value)
    return None


def _better_than_chance(run: Run, k: int, source: str) -> None:
    chance = 1.0 / k
    bar = chance + CHANCE_MARGIN
    final_val = float(run.curves["val_accuracy"][-1])
    for what, value in (("test accuracy", run.test_acc), ("final validation accuracy",
                                                          final_val)):
        if value <= bar:
            raise Fail(
                f"{run.label}: the {what} is {value:.3f}, no better than chance "
                f"({chance:.3g} for {k} classes, {source}); the checker needs more than "
                f"{bar:.3g}. Train for more epochs, check that the labels match the inputs "
                "and that the inputs are scaled to [0, 1]."
            )


def _distinct_activations(runs: dict[str, list[Run]]) -> None:
    """Two names must not hold the same activation (by the runs' own ``activation``)."""
    seen: dict[str, str] = {}
    for name, rs in runs.items():
        activation = rs[0].activation or "".join(c for c in name.lower() if c.isalnum())
        other = seen.setdefault(activation, name)
        if other != name:
            raise Fail(
                f"results[{other!r}] and results[{name!r}] hold runs of the same activation "
                f"({activation!r}, read from each run's .activation, or its name when that is "
                "empty): one activation under two names. Compare different activations."
            )


def _distinct_runs(name: str, rs: list[Run]) -> None:
    """Each seed's run must be its own run, not one run repeated as fake seeds."""
    prints: dict[tuple[float, ...], Run] = {}
    seeds: dict[Any, Run] = {}
    for i, run in enumerate(rs):
        twin = next((r for r in rs[:i] if r.obj is run.obj), None) or prints.get(
            run.fingerprint())
        if twin is not None:
            raise Fail(
                f"{twin.label} and {run.label} are the same run, value for value: one run "
                "repeated does not measure the spread between seeds. Train one model per "
                "seed: compare_activations(..., seeds=(0, 1, 2))."
            )
        prints[run.fingerprint()] = run
        if run.seed is not None:
            first = seeds.setdefault(run.seed, run)
            if first is not run:
                raise Fail(
                    f"{first.label} and {run.label} were both trained with seed {run.seed!r}; "
                    "runs of one activation need different seeds to show the spread."
                )


def _same_training(runs: dict[str, list[Run]]) -> None:
    """Every run trained the same way: the same data, epochs and settings."""
    every = [run for rs in runs.values() for run in rs]
    first = every[0]
    for run in every[1:]:
        if run.epochs != first.epochs:
            raise Fail(
                f"{first.label} was trained for {first.epochs} epochs but {run.label} for "
                f"{run.epochs}: a fair comparison gives every activation the same budget. "
                "Train them all with the same epochs=."
            )
    for key, words in _SAME_SETTINGS.items():
        having = [run for run in every if key in run.settings]
        for run in having[1:]:
            if run.settings[key] != having[0].settings[key]:
                base = having[0]
                raise Fail(
                    f"{base.label} and {run.label} were trained with different {words} "
                    f"({base.settings[key]!r} and {run.settings[key]!r}). A fair comparison "
                    "changes only the activation: train every run on the same data with the "
                    "same settings, in one call of compare_activations."
                )


def _not_stored_twice(runs: dict[str, list[Run]]) -> None:
    seen: dict[tuple[float, ...], str] = {}
    for name, rs in runs.items():
        for run in rs:
            other = seen.setdefault(run.fingerprint(), name)
            if other != name:
                raise Fail(
                    f"results[{other!r}] and results[{name!r}] hold the same training history, "
                    "value for value: the same run was stored under two names. Train a "
                    "separate model for each activation."
                )


def _summary(runs: dict[str, list[Run]], k: int, source: str, notes: list[str]) -> str:
    counts = {len(rs) for rs in runs.values()}
    if counts == {1}:
        notes.append(
            "Each activation was trained once (one seed). Differences of a point or two can be "
            "luck; repeat with several seeds (seeds=(0, 1, 2)) before trusting a ranking."
        )
    elif len(counts) > 1:
        notes.append(
            "The activations were trained with different numbers of seeds "
            f"({', '.join(f'{n}: {len(rs)}' for n, rs in runs.items())}); give each as many "
            "runs, so that each mean is as reliable."
        )
    stats = {name: (float(np.mean([r.test_acc for r in rs])),
                    float(np.std([r.test_acc for r in rs], ddof=1)) if len(rs) > 1 else 0.0,
                    len(rs)) for name, rs in runs.items()}
    ranked = sorted(stats.items(), key=lambda item: -item[1][0])
    parts = [f"{name} {mean:.3f}" + (f" ± {std:.3f}" if n > 1 else "")
             for name, (mean, std, n) in ranked]
    runs_word = (f"{next(iter(counts))} run{'s' if max(counts) > 1 else ''} each"
                 if len(counts) == 1 else "different numbers of runs")
    recorded = any(run.settings for rs in runs.values() for run in rs)
    same = "the same data and settings" if recorded else "the same number of epochs"
    spread = " ± standard deviation over runs" if max(counts) > 1 else ""
    return (
        f"{len(runs)} activations compared ({runs_word}, {same}). Mean test "
        f"accuracy{spread}, best first: {', '.join(parts)}. Every "
        f"accuracy is a fraction in [0, 1] and above chance ({1 / k:.3g} for {k} classes, "
        f"{source})."
    )


def _check(results: Any, *, num_classes: int | None = None, notes: list[str]) -> str:
    runs = read_results(results)
    if len(runs) < MIN_ACTIVATIONS:
        listed = ", ".join(runs) or "none"
        raise Fail(
            f"Only {len(runs)} activation(s) compared ({listed}); compare at least "
            f"{MIN_ACTIVATIONS}, for example relu, tanh and sigmoid."
        )
    every = [run for rs in runs.values() for run in rs]
    k, source = _num_classes(num_classes, every)
    for run in every:
        _better_than_chance(run, k, source)
    for name, rs in runs.items():
        _distinct_runs(name, rs)
    _not_stored_twice(runs)
    _distinct_activations(runs)
    _same_training(runs)
    return _summary(runs, k, source, notes)


_SOLUTION = """
from acttutor.training import compare_activations

activations = ["relu", "tanh", "sigmoid"]
results = compare_activations(activations, data, seeds=(0,), epochs=5, batch_size=32)
"""

ex2 = Exercise(
    "ex2",
    "Compare activations on a dataset",
    _check,
    hints=[
        "Pick at least three activation names, such as `\"relu\"`, `\"tanh\"` and "
        "`\"sigmoid\"`, and pass them to "
        "`compare_activations(names, data, epochs=5, batch_size=32)`. It trains the same "
        "network once per activation and returns a dict with one entry per activation.",
        "Pass the dict itself to `ex2.check(results)`. Each entry holds a `RunResult` whose "
        "`history` has per-epoch `accuracy` and `val_accuracy` lists and whose `test_acc` is "
        "a fraction between 0 and 1.",
        "A fair comparison changes only the activation: train every run in one "
        "`compare_activations` call, so that all get the same data, epochs and network. If "
        "the check says an accuracy is no better than chance, train for more epochs or "
        "check that your labels are one-hot and match the inputs.",
    ],
    solution_code=_SOLUTION,
    answer_name="results",
    notebook=notebook_of(__name__),
)
