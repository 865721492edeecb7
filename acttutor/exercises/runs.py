"""Read a learner's training results (``RunResult`` objects or look-alikes) into checked records.

``ex2`` receives what :func:`acttutor.training.compare_activations` returns:
``{name: RunResult}`` or ``{name: [RunResult, ...]}`` (one per seed).
:func:`read_results` checks its shape and every run's numbers, and returns a
:class:`Run` per run, ready for the fairness checks. Results are read by
attribute (``history``, ``test_acc``, and ``test_loss``, ``activation``,
``seed``, ``settings`` when present), so any object shaped like a
``RunResult`` works. Reading an attribute of the learner's own class is the
learner's code running: an exception it raises is the ``error`` outcome.

Example:

>>> from types import SimpleNamespace as R
>>> runs = read_results({"relu": R(history={"accuracy": [0.8, 0.9],
...                                         "val_accuracy": [0.78, 0.88]}, test_acc=0.87)})
>>> runs["relu"][0].test_acc, runs["relu"][0].epochs
(0.87, 2)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from acttutor.exercises.kit import is_number
from acttutor.exercises.outcomes import Fail, LearnerError
from acttutor.exercises.timelimit import TimeUp, budget, time_limit
from acttutor.exercises.words import describe, too_slow

__all__ = ["MIN_EPOCHS", "REQUIRED_CURVES", "Run", "activation_name", "read_results"]

#: How many epochs every history needs (a curve needs at least two points).
MIN_EPOCHS = 2
#: The per-epoch curves every history must have.
REQUIRED_CURVES: tuple[str, ...] = ("accuracy", "val_accuracy")
_LOSS_CURVES = ("loss", "val_loss")
_MISSING = object()


@dataclass
class Run:
    """One run, read and checked: its curves, test accuracy and how it was trained.

    Example:

    >>> Run("results['relu']", "relu", {"accuracy": np.array([0.8, 0.9])}, 0.87).epochs
    2

    Args:
        label: Where it sits in the learner's results, such as ``results['relu'][1]``.
        key: The name it is stored under.
        curves: Per-epoch ``accuracy`` and ``val_accuracy`` (and ``loss``, ``val_loss``
            when recorded), as float arrays.
        test_acc: The test accuracy.
        test_loss: The test loss, when recorded.
        activation: The run's own ``activation`` name, or ``""``.
        seed: The run's ``seed``, when recorded.
        settings: How it was trained (``RunResult.settings``), when recorded.
        obj: The learner's object itself.
    """

    label: str
    key: str
    curves: dict[str, np.ndarray]
    test_acc: float
    test_loss: float | None = None
    activation: str = ""
    seed: Any = None
    settings: dict[str, Any] = field(default_factory=dict)
    obj: Any = None

    @property
    def epochs(self) -> int:
        """How many epochs the history holds."""
        return len(self.curves["accuracy"])

    def fingerprint(self) -> tuple[float, ...]:
        """The run's numbers, rounded: equal for the same run stored twice.

        Returns:
            Its curves and test accuracy as one tuple.
        """
        values = np.concatenate([*self.curves.values(), [self.test_acc]])
        return tuple(np.round(values, 12).tolist())


def activation_name(value: Any) -> str:
    """An activation's name, normalised for comparing runs: lower case, letters and digits.

    Example:

    >>> activation_name("Leaky_ReLU"), activation_name(abs)
    ('leakyrelu', 'abs')

    Args:
        value: A name, a function, or a layer.

    Returns:
        The normalised name, or ``""`` when there is none.
    """
    if value is None:
        return ""
    name = value if isinstance(value, str) else getattr(value, "__name__", None) or getattr(
        value, "name", None) or type(value).__name__
    return "".join(c for c in str(name).lower() if c.isalnum())


def _get(obj: Any, attr: str, where: str) -> Any:
    """``getattr`` on the learner's object; an exception it raises is the learner's error."""
    seconds = budget("call")
    try:
        with time_limit(seconds):
            return getattr(obj, attr)
    except TimeUp:
        raise Fail(too_slow(f"Reading {where}.{attr}", seconds, what="it")) from None
    except AttributeError:
        return _MISSING
    except Exception as exc:  # a property of the learner's own class raised
        raise LearnerError(exc, f"{where}.{attr}") from exc


def _peek(obj: Any, attr: str) -> Any:
    """``getattr`` for guessing what an object is: anything it raises means "not there"."""
    seconds = budget("call")
    try:
        with time_limit(seconds):
            return getattr(obj, attr, None)
    except TimeUp:
        raise Fail(too_slow(f"Reading .{attr} of your {type(obj).__name__}", seconds,
                            what="it")) from None
    except Exception:  # noqa: BLE001 - _get reports a raising attribute properly later
        return None


def _looks_like_history_object(value: Any) -> bool:
    """A ``keras.callbacks.History`` (what ``model.fit`` returns): a ``.history`` dict."""
    inner = _peek(value, "history")
    return isinstance(inner, Mapping) and _peek(value, "test_acc") is None


def _label(key: Any) -> str:
    if isinstance(key, str):
        return key
    return str(getattr(key, "__name__", None) or describe(key))


def _unique(names: list[str]) -> list[str]:
    """Names for messages, made distinct (``relu`` and ``tf.nn.relu`` both print as relu)."""
    out: list[str] = []
    for name in names:
        candidate, n = name, 2
        while candidate in out:
            candidate, n = f"{name} ({n})", n + 1
        out.append(candidate)
    return out


def _check_container(results: Any) -> None:
    if isinstance(results, Mapping):
        return
    if callable(results):
        raise Fail(f"You passed a function ({describe(results)}), not results. Call "
                   "compare_activations(...) first and pass what it returns: ex2.check(results).")
    if _looks_like_history_object(results):
        raise Fail("You passed one training history (what model.fit returns). Pass a dict with "
                   "one entry per activation, as compare_activations(...) returns.")
    if _peek(results, "history") is not None and _peek(results, "test_acc") is not None:
        raise Fail('You passed a single RunResult. Pass a dict with one entry per activation, '
                   'such as {"relu": ..., "tanh": ..., "sigmoid": ...}; compare_activations '
                   "returns exactly that.")
    if isinstance(results, (list, tuple)):
        raise Fail(f"You passed a {type(results).__name__} of {len(results)} items. Pass a dict "
                   "that maps each activation's name to its results, as compare_activations(...) "
                   "returns, so the checker knows which result belongs to which activation.")
    raise Fail(f"Expected a dict mapping activation names to RunResult objects (what "
               f"compare_activations returns), but got a {type(results).__name__} "
               f"({describe(results)}).")


def _entries(name: str, value: Any) -> list[tuple[str, Any]]:
    """``(label, run)`` for the runs stored under one name: one RunResult, or a list."""
    where = f"results[{name!r}]"
    if not isinstance(value, (list, tuple)):
        return [(where, value)]
    if not value:
        raise Fail(f"{where} is an empty {type(value).__name__}: it holds no run. Train at "
                   "least one model with this activation.")
    return [(f"{where}[{i}]" if len(value) > 1 else where, run) for i, run in enumerate(value)]


def _numbers(values: Any, what: str, label: str) -> np.ndarray:
    """A per-epoch list as floats; every entry must be a real number (not text, not a bool)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise Fail(f"{label}: {what} is a {type(values).__name__}; expected a list with one "
                   "number per epoch.")
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    if isinstance(values, np.ndarray) and values.ndim != 1:
        raise Fail(f"{label}: {what} has shape {values.shape}; expected one value per epoch.")
    bad = next((v for v in items if not is_number(v)), _MISSING)
    if bad is not _MISSING:
        kind = "text" if isinstance(bad, (str, bytes)) else type(bad).__name__
        raise Fail(f"{label}: {what} holds {bad!r} ({kind}), not a number. Store the numbers "
                   "themselves, as Keras's history does: float(...), never a string.")
    return np.asarray(items, dtype=np.float64)


def _finite(arr: np.ndarray, what: str, label: str) -> None:
    if not np.all(np.isfinite(arr)):
        i = int(np.argmax(~np.isfinite(arr)))
        where = f" at epoch {i + 1}" if arr.size > 1 else ""
        raise Fail(f"{label}: {what} is {arr[i]}{where} (NaN or infinity, not a finite "
                   "number), so training diverged or the number "
                   "was never computed. Lower the learning rate, check that the inputs are "
                   "scaled to [0, 1], and train again.")


def _fractions(label: str, values: dict[str, np.ndarray]) -> None:
    """Accuracies must be fractions in [0, 1]; a percentage (or a typo above 1) is named."""
    for what, arr in values.items():
        _finite(arr, what, label)
    for what, arr in values.items():
        top, low = float(np.max(arr)), float(np.min(arr))
        if top > 1.0:
            every = np.concatenate(list(values.values()))
            if top >= 2.0 and np.all((every >= 0.0) & (every <= 100.0)):
                raise Fail(f"{label}: {what} reaches {top:g}, which looks like a percentage. "
                           "Give accuracies as fractions in [0, 1]: divide by 100.")
            raise Fail(f"{label}: {what} reaches {top:g}, above 1; an accuracy is a fraction "
                       "in [0, 1] (correct predictions / predictions).")
        if low < 0.0:
            raise Fail(f"{label}: {what} is {low:g}; an accuracy is a fraction in [0, 1].")


def _history(run: Any, label: str) -> dict[str, np.ndarray]:
    history = _get(run, "history", label)
    if _looks_like_history_object(history):
        raise Fail(f"{label}.history is a keras History object; store its dict instead: "
                   "history=fit_result.history.")
    if not isinstance(history, Mapping):
        raise Fail(f"{label}.history is a {type(history).__name__}; expected a dict of "
                   "per-epoch lists such as {'accuracy': [...], 'val_accuracy': [...], ...}.")
    missing = [k for k in REQUIRED_CURVES if k not in history]
    if missing:
        keys = ", ".join(repr(k) for k in history) or "none"
        fix = (" Train with a validation split (validation_split=0.1, as train_and_evaluate "
               "does) so that Keras records val_accuracy." if missing == ["val_accuracy"]
               else " Compile the model with metrics=['accuracy'] so that Keras records it.")
        raise Fail(f"{label}.history has no {missing[0]!r} curve (its keys: {keys}).{fix}")
    curves = {k: _numbers(history[k], f"history[{k!r}]", label)
              for k in (*REQUIRED_CURVES, *_LOSS_CURVES) if k in history}
    n_train = len(curves["accuracy"])
    if n_train < MIN_EPOCHS:
        raise Fail(f"{label} was trained for {n_train} epoch(s); a learning curve needs at "
                   f"least {MIN_EPOCHS}. Train with epochs={MIN_EPOCHS} or more.")
    for key, arr in curves.items():
        if len(arr) != n_train:
            raise Fail(f"{label}: history['accuracy'] has {n_train} values but "
                       f"history[{key!r}] has {len(arr)}; each needs one value per epoch.")
    for key in _LOSS_CURVES:
        if key in curves:
            _finite(curves[key], f"the {'training' if key == 'loss' else 'validation'} loss",
                    label)
    return curves


def _scalar(run: Any, attr: str, label: str, *, required: bool) -> float | None:
    value = _get(run, attr, label)
    if value is _MISSING or (value is None and not required):
        if required:
            raise Fail(f"{label} has no {attr}; a RunResult records the test accuracy as "
                       "test_acc.")
        return None
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(()).item()
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = np.asarray(value.numpy()).reshape(-1)[0].item()
    if not is_number(value):
        what = "the test accuracy" if attr == "test_acc" else "the test loss"
        raise Fail(f"{label}.{attr} is a {type(value).__name__} ({describe(value)}); expected "
                   f"{what} as one number: float(...).")
    return float(value)


def _read_run(label: str, key: str, run: Any) -> Run:
    if _looks_like_history_object(run):
        raise Fail(f"{label} is a training history (what model.fit returns), not a RunResult. "
                   "Use compare_activations, or train_and_evaluate, which also measure test "
                   "accuracy.")
    if isinstance(run, Mapping):
        raise Fail(f"{label} is a dict, not a RunResult. A RunResult has the attributes "
                   "history and test_acc; compare_activations and train_and_evaluate return them.")
    if _get(run, "history", label) is _MISSING or _get(run, "test_acc", label) is _MISSING:
        raise Fail(f"{label} is a {type(run).__name__} ({describe(run)}), not a RunResult: it "
                   "needs the attributes history and test_acc. compare_activations returns "
                   "RunResult objects.")
    curves = _history(run, label)
    test_acc = _scalar(run, "test_acc", label, required=True)
    assert test_acc is not None
    _fractions(label, {"history['accuracy']": curves["accuracy"],
                       "history['val_accuracy']": curves["val_accuracy"],
                       "test_acc": np.array([test_acc])})
    test_loss = _scalar(run, "test_loss", label, required=False)
    if test_loss is not None:
        _finite(np.array([test_loss]), "test_loss", label)
    settings = _get(run, "settings", label)
    seed = _get(run, "seed", label)
    activation = _get(run, "activation", label)
    return Run(label, key, curves, test_acc, test_loss,
               "" if activation is _MISSING else activation_name(activation),
               None if seed is _MISSING else seed,
               dict(settings) if isinstance(settings, Mapping) else {}, run)


def read_results(results: Any) -> dict[str, list[Run]]:
    """Check the shape of ``results`` and every run in it; return the runs by name.

    Example:

    >>> try:
    ...     read_results([0.9])
    ... except Fail as exc:
    ...     print(str(exc)[:34])
    You passed a list of 1 items. Pass

    Args:
        results: What the learner passed to ``ex2.check``.

    Returns:
        ``{name: [Run, ...]}``, names made distinct for messages.

    Raises:
        Fail: On the first problem, with a message naming the run.
    """
    _check_container(results)
    names = _unique([_label(k) for k in results])
    return {
        name: [_read_run(label, name, run) for label, run in _entries(name, value)]
        for name, value in zip(names, results.values(), strict=True)
    }
