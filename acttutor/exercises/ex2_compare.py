r"""Exercise 2: compare activations by training the same network with each.

The learner trains one model per activation (with
:func:`acttutor.training.compare_activations`) and passes the results to
:data:`ex2`. The checker looks only at the numbers, so it needs no training
and answers at once. It accepts ``dict[str, RunResult]`` or
``dict[str, list[RunResult]]`` (one result per seed) and checks that:

* at least three activations were compared;
* every run has a history of at least two epochs with ``accuracy`` and
  ``val_accuracy`` curves of the same length, and a ``test_acc``;
* every accuracy is a fraction in [0, 1] (not a percentage) and finite;
* the final validation accuracy and the test accuracy beat chance by at least
  :data:`CHANCE_MARGIN`. Chance is ``1 / num_classes``, the accuracy of
  guessing among balanced classes. ``num_classes`` comes from the
  ``num_classes=`` option, else from the results (a ``num_classes``
  attribute, or the output width of the trained ``model`` a RunResult
  keeps), else it is assumed to be 10 (MNIST, the digits and CIFAR-10 all
  have 10 classes);
* two different activations do not share one identical history (the same
  run stored twice), and no training loss is NaN or infinite.

The results are read by attribute (``history``, ``test_acc``), so any object
shaped like :class:`acttutor.training.RunResult` works.

Example:

>>> from types import SimpleNamespace as Run
>>> def run(a):
...     return Run(history={"accuracy": [a - 0.1, a], "val_accuracy": [a - 0.12, a - 0.02]},
...                test_acc=a - 0.03)
>>> ex2.check({"relu": run(0.9), "tanh": run(0.88), "sigmoid": run(0.8)}).status
'passed'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from acttutor.exercises.core import Exercise
from acttutor.exercises.kit import describe
from acttutor.exercises.outcomes import Fail, LearnerError, NotAttempted

__all__ = ["ASSUMED_NUM_CLASSES", "CHANCE_MARGIN", "MIN_ACTIVATIONS", "MIN_EPOCHS", "ex2"]

#: How many activations a comparison needs.
MIN_ACTIVATIONS = 3
#: How many epochs every history needs (a curve needs at least two points).
MIN_EPOCHS = 2
#: The number of classes assumed when neither the option nor the results give one.
ASSUMED_NUM_CLASSES = 10
#: How far above chance (``1 / num_classes``) the final accuracies must be.
CHANCE_MARGIN = 0.05

_REQUIRED_CURVES = ("accuracy", "val_accuracy")


def _get(obj: Any, attr: str, where: str) -> Any:
    """``getattr`` on the learner's object; an exception it raises is the learner's error."""
    try:
        return getattr(obj, attr)
    except AttributeError:
        return _MISSING
    except NotImplementedError as exc:  # a stub the learner has not written yet
        raise NotAttempted from exc
    except Exception as exc:  # a property of the learner's own class raised
        raise LearnerError(exc, f"{where}.{attr}") from exc


_MISSING = object()


def _label(key: Any) -> str:
    if isinstance(key, str):
        return key
    return str(getattr(key, "__name__", None) or describe(key))


def _peek(obj: Any, attr: str) -> Any:
    """``getattr`` for guessing what an object is: anything it raises means "not there"."""
    try:
        return getattr(obj, attr, None)
    except Exception:  # noqa: BLE001 - _get reports a raising attribute properly later
        return None


def _looks_like_history_object(value: Any) -> bool:
    """A ``keras.callbacks.History`` (what ``model.fit`` returns): a ``.history`` dict."""
    inner = _peek(value, "history")
    return isinstance(inner, Mapping) and _peek(value, "test_acc") is None


def _check_container(results: Any) -> None:
    if isinstance(results, Mapping):
        return
    if callable(results):
        raise Fail(
            f"You passed a function ({describe(results)}), not results. Call "
            "compare_activations(...) first and pass what it returns: ex2.check(results)."
        )
    if _looks_like_history_object(results):
        raise Fail(
            "You passed one training history (what model.fit returns). Pass a dict with one "
            "entry per activation, as compare_activations(...) returns."
        )
    if _peek(results, "history") is not None and _peek(results, "test_acc") is not None:
        raise Fail(
            "You passed a single RunResult. Pass a dict with one entry per activation, "
            'such as {"relu": ..., "tanh": ..., "sigmoid": ...}; compare_activations '
            "returns exactly that."
        )
    if isinstance(results, (list, tuple)):
        raise Fail(
            f"You passed a {type(results).__name__} of {len(results)} items. Pass a dict that "
            "maps each activation's name to its results, as compare_activations(...) returns, "
            "so the checker knows which result belongs to which activation."
        )
    raise Fail(
        f"Expected a dict mapping activation names to RunResult objects (what "
        f"compare_activations returns), but got a {type(results).__name__} "
        f"({describe(results)})."
    )


def _runs(name: str, value: Any) -> list[Any]:
    """The runs stored under one activation: one RunResult, or a list with one per seed."""
    where = f"results[{name!r}]"
    if isinstance(value, (list, tuple)):
        if not value:
            raise Fail(
                f"{where} is an empty {type(value).__name__}: it holds no run. "
                "Train at least one model with this activation."
            )
        runs = list(value)
    else:
        runs = [value]
    for i, run in enumerate(runs):
        label = where if len(runs) == 1 and run is value else f"{where}[{i}]"
        if _looks_like_history_object(run):
            raise Fail(
                f"{label} is a training history (what model.fit returns), not a RunResult. "
                "Use compare_activations, or train_and_evaluate, which also measure test "
                "accuracy."
            )
        if isinstance(run, Mapping):
            raise Fail(
                f"{label} is a dict, not a RunResult. A RunResult has the attributes history "
                "and test_acc; compare_activations and train_and_evaluate return them."
            )
        if _get(run, "history", label) is _MISSING or _get(run, "test_acc", label) is _MISSING:
            raise Fail(
                f"{label} is a {type(run).__name__} ({describe(run)}), not a RunResult: it "
                "needs the attributes history and test_acc. compare_activations returns "
                "RunResult objects."
            )
    return runs


def _curve(history: Mapping, key: str, label: str) -> np.ndarray:
    values = history[key]
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise Fail(
            f"{label}: history[{key!r}] is a {type(values).__name__}; expected a list with "
            "one number per epoch."
        )
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise Fail(
            f"{label}: history[{key!r}] holds something that is not a number "
            f"({describe(list(values)[:3])}); expected one accuracy per epoch."
        ) from None
    if arr.ndim != 1:
        raise Fail(
            f"{label}: history[{key!r}] has shape {arr.shape}; expected one value per epoch."
        )
    return arr


def _history(run: Any, label: str) -> dict[str, np.ndarray]:
    history = _get(run, "history", label)
    if _looks_like_history_object(history):
        raise Fail(
            f"{label}.history is a keras History object; store its dict instead: "
            "history=fit_result.history."
        )
    if not isinstance(history, Mapping):
        raise Fail(
            f"{label}.history is a {type(history).__name__}; expected a dict of per-epoch "
            "lists such as {'accuracy': [...], 'val_accuracy': [...], ...}."
        )
    missing = [k for k in _REQUIRED_CURVES if k not in history]
    if missing:
        keys = ", ".join(repr(k) for k in history) or "none"
        fix = (
            " Train with a validation split (validation_split=0.1, as train_and_evaluate "
            "does) so that Keras records val_accuracy."
            if missing == ["val_accuracy"]
            else " Compile the model with metrics=['accuracy'] so that Keras records it."
        )
        raise Fail(f"{label}.history has no {missing[0]!r} curve (its keys: {keys}).{fix}")
    curves = {k: _curve(history, k, label) for k in _REQUIRED_CURVES}
    n_train, n_val = len(curves["accuracy"]), len(curves["val_accuracy"])
    if n_train < MIN_EPOCHS:
        raise Fail(
            f"{label} was trained for {n_train} epoch(s); a learning curve needs at least "
            f"{MIN_EPOCHS}. Train with epochs={MIN_EPOCHS} or more."
        )
    if n_train != n_val:
        raise Fail(
            f"{label}: history['accuracy'] has {n_train} values but history['val_accuracy'] "
            f"has {n_val}; both need one value per epoch."
        )
    if "loss" in history:
        loss = _curve(history, "loss", label)
        if not np.all(np.isfinite(loss)):
            epoch = int(np.argmax(~np.isfinite(loss))) + 1
            raise Fail(
                f"{label}: the training loss is {loss[epoch - 1]} at epoch {epoch}, so training "
                "diverged. Lower the learning rate or check the inputs are scaled to [0, 1]."
            )
        curves["loss"] = loss  # makes the fingerprint of a run practically unique
    return curves


def _test_acc(run: Any, label: str) -> float:
    value = _get(run, "test_acc", label)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Fail(
            f"{label}.test_acc is a {type(value).__name__} ({describe(value)}); expected "
            "the test accuracy as one number."
        ) from None
    return number


def _check_fractions(label: str, values: dict[str, np.ndarray]) -> None:
    for what, arr in values.items():
        if not np.all(np.isfinite(arr)):
            raise Fail(f"{label}: {what} contains NaN or infinity ({describe(arr)}).")
    high = {w: a for w, a in values.items() if np.any(a > 1.0)}
    if high:
        what, arr = next(iter(high.items()))
        top = float(np.max(arr))
        if all(np.all(a <= 100.0) and np.all(a >= 0.0) for a in values.values()):
            raise Fail(
                f"{label}: {what} reaches {top:g}, which looks like a percentage. Give "
                "accuracies as fractions in [0, 1]: divide by 100."
            )
        raise Fail(f"{label}: {what} reaches {top:g}; an accuracy is a fraction in [0, 1].")
    low = {w: a for w, a in values.items() if np.any(a < 0.0)}
    if low:
        what, arr = next(iter(low.items()))
        raise Fail(
            f"{label}: {what} is {float(np.min(arr)):g}; an accuracy is a fraction in [0, 1]."
        )


def _num_classes(option: Any, runs: list[Any]) -> tuple[int, str]:
    if option is not None:
        if isinstance(option, bool) or not isinstance(option, (int, np.integer)) or option < 2:
            raise Fail(f"num_classes must be an int of at least 2, got {option!r}.")
        return int(option), "as given"
    for run in runs:
        value = _classes_of(run)
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


def _unique(names: list[str]) -> list[str]:
    """Names for messages, made distinct (``relu`` and ``tf.nn.relu`` both print as relu)."""
    out: list[str] = []
    for name in names:
        candidate, n = name, 2
        while candidate in out:
            candidate, n = f"{name} ({n})", n + 1
        out.append(candidate)
    return out


def _check(results: Any, *, num_classes: int | None = None, notes: list[str]) -> str:
    _check_container(results)
    names = _unique([_label(k) for k in results])
    if len(results) < MIN_ACTIVATIONS:
        listed = ", ".join(names) or "none"
        raise Fail(
            f"Only {len(results)} activation(s) compared ({listed}); compare at least "
            f"{MIN_ACTIVATIONS}, for example relu, tanh and sigmoid."
        )
    runs = {name: _runs(name, value) for name, value in zip(names, results.values(), strict=True)}
    all_runs = [run for rs in runs.values() for run in rs]
    k, k_source = _num_classes(num_classes, all_runs)
    chance = 1.0 / k
    bar = chance + CHANCE_MARGIN

    summary: dict[str, tuple[float, float, int]] = {}
    epochs: dict[str, set[int]] = {}
    seen: dict[tuple, str] = {}
    for name, rs in runs.items():
        tests = []
        for i, run in enumerate(rs):
            label = f"results[{name!r}]" + (f"[{i}]" if len(rs) > 1 else "")
            curves = _history(run, label)
            test = _test_acc(run, label)
            _check_fractions(
                label,
                {
                    "history['accuracy']": curves["accuracy"],
                    "history['val_accuracy']": curves["val_accuracy"],
                    "test_acc": np.array([test]),
                },
            )
            final_val = float(curves["val_accuracy"][-1])
            for what, value in (("test accuracy", test), ("final validation accuracy", final_val)):
                if value <= bar:
                    raise Fail(
                        f"{label}: the {what} is {value:.3f}, no better than chance "
                        f"({chance:.3g} for {k} classes, {k_source}); the checker needs more "
                        f"than {bar:.3g}. Train for more epochs, check that the labels match "
                        "the inputs and that the inputs are scaled to [0, 1]."
                    )
            fingerprint = tuple(np.round(np.concatenate(list(curves.values())), 12))
            other = seen.get(fingerprint)
            if other is not None and other != name:
                raise Fail(
                    f"results[{other!r}] and results[{name!r}] hold the same training history, "
                    "value for value: the same run was stored under two names. Train a "
                    "separate model for each activation."
                )
            seen[fingerprint] = name
            epochs.setdefault(name, set()).add(len(curves["accuracy"]))
            tests.append(test)
        spread = float(np.std(tests, ddof=1)) if len(tests) > 1 else 0.0  # sample std
        summary[name] = (float(np.mean(tests)), spread, len(tests))

    budgets = {n for e in epochs.values() for n in e}
    if len(budgets) > 1:
        notes.append(
            "Not every activation was trained for the same number of epochs "
            f"({', '.join(f'{n}: {sorted(e)}' for n, e in epochs.items())}); a fair "
            "comparison gives each the same budget."
        )
    seeds = {n for _, _, n in summary.values()}
    if seeds == {1}:
        notes.append(
            "Each activation was trained once (one seed). Differences of a point or two can be "
            "luck; repeat with several seeds (seeds=(0, 1, 2)) before trusting a ranking."
        )
    ranked = sorted(summary.items(), key=lambda item: -item[1][0])
    parts = []
    for name, (mean, std, n) in ranked:
        spread = f" ± {std:.3f}" if n > 1 else ""
        parts.append(f"{name} {mean:.3f}{spread}")
    if len(seeds) == 1:
        n_runs = next(iter(seeds))
        runs_word = f"{n_runs} run{'s' if n_runs > 1 else ''} each"
    else:
        runs_word = "different numbers of runs"
    return (
        f"{len(summary)} activations compared ({runs_word}). Mean test accuracy"
        f"{' ± standard deviation over runs' if max(seeds) > 1 else ''}, best first: "
        f"{', '.join(parts)}. Every accuracy is a fraction in [0, 1] and above chance "
        f"({chance:.3g} for {k} classes, {k_source})."
    )


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
        "If the check says an accuracy is no better than chance, train for more epochs or "
        "check that your labels are one-hot and match the inputs.",
    ],
    solution_code=_SOLUTION,
    answer_name="results",
)
