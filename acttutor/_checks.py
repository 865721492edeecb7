"""Argument checks shared by the public functions, each failing with a message that says what to do.

Every public function of acttutor that takes a count, a seed or a model checks it
here, so that the same mistake gets the same message everywhere and the learner
never sees a traceback from deep inside TensorFlow.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np


def _prefix(caller: str | None) -> str:
    return f"{caller}: " if caller else ""


def is_int(value: Any) -> bool:
    """Whether ``value`` is a whole number (a Python or NumPy int, not a bool)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def positive_int(name: str, value: Any, *, caller: str | None = None, what: str = "") -> int:
    """Return ``value`` as an ``int`` if it is a whole number >= 1, else raise ``ValueError``.

    Args:
        name: The argument's name, as the caller spells it.
        value: What was passed.
        caller: The public function's name, put in front of the message.
        what: A few words on what the number counts, shown in brackets.

    Returns:
        ``int(value)``.
    """
    if not is_int(value) or value < 1:
        detail = f" ({what})" if what else ""
        raise ValueError(
            f"{_prefix(caller)}{name} must be a positive int{detail}, got {value!r}."
        )
    return int(value)


def non_negative_int(name: str, value: Any, *, caller: str | None = None) -> int:
    """Return ``value`` as an ``int`` if it is a whole number >= 0, else raise ``ValueError``.

    Args:
        name: The argument's name.
        value: What was passed.
        caller: The public function's name, put in front of the message.

    Returns:
        ``int(value)``.
    """
    if not is_int(value) or value < 0:
        raise ValueError(f"{_prefix(caller)}{name} must be a non-negative int, got {value!r}.")
    return int(value)


def seed(value: Any, *, caller: str | None = None) -> int:
    """Return a seed (a whole number >= 0) as an ``int``, else raise ``ValueError``.

    Args:
        value: What was passed as ``seed``.
        caller: The public function's name, put in front of the message.

    Returns:
        ``int(value)``.
    """
    return non_negative_int("seed", value, caller=caller)


def seeds(values: Any) -> list[int]:
    """Return a non-empty list of distinct seeds, else raise with what to pass instead.

    Args:
        values: A sequence of seeds such as ``(0, 1, 2)``.

    Returns:
        The seeds as a list of ``int``.
    """
    if is_int(values):
        raise TypeError(f"seeds must be a sequence such as (0, 1, 2), got the int {values}.")
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"seeds must be a sequence such as (0, 1, 2), got {values!r}.")
    out = [seed(s) for s in values]
    if not out:
        raise ValueError("seeds must hold at least one seed, e.g. seeds=(0,).")
    if len(set(out)) != len(out):
        raise ValueError(f"seeds repeat a value: {tuple(out)}; each run needs its own seed.")
    return out


def sizes(name: str, values: Any, *, example: str = "(128, 64)") -> tuple[int, ...]:
    """Return a sequence of positive layer sizes as a tuple, else raise with an example.

    Args:
        name: The argument's name (``hidden``).
        values: What was passed.
        example: A correct value to show in the message.

    Returns:
        The sizes as a tuple of ``int``.
    """
    if is_int(values):
        raise TypeError(
            f"{name} must be a sequence of layer sizes such as {example}, got {values}."
        )
    try:
        items = tuple(values)
    except TypeError:
        raise TypeError(
            f"{name} must be a sequence of layer sizes such as {example}, got {values!r}."
        ) from None
    return tuple(positive_int(f"each {name} layer size", v) for v in items)


def fraction(name: str, value: Any, *, caller: str | None = None, why: str = "") -> float:
    """Return a number strictly between 0 and 1 as a ``float``, else raise ``ValueError``.

    Args:
        name: The argument's name.
        value: What was passed.
        caller: The public function's name, put in front of the message.
        why: Why the ends are excluded, added to the message.

    Returns:
        ``float(value)``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{_prefix(caller)}{name} must be a number in (0, 1), got {value!r}.")
    if not 0.0 < float(value) < 1.0:
        reason = f": {why}" if why else "."
        raise ValueError(
            f"{_prefix(caller)}{name} must lie strictly between 0 and 1, got {value!r}{reason}"
        )
    return float(value)


def check_model(model: Any, caller: str, *, compiled: bool = False,
                single_input: bool = False) -> Any:
    """Check that ``model`` is a ``keras.Model`` fit for ``caller``; return its input if asked.

    Args:
        model: What was passed as the model.
        caller: The public function's name, used in the messages.
        compiled: Require a compiled model (one that can be trained).
        single_input: Require exactly one defined symbolic input (a Sequential
            model started with ``keras.Input`` or a functional model) and return it.

    Returns:
        The model's single symbolic input when ``single_input`` is true, else ``None``.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(
            f"{caller} needs a keras.Model (for example from build_mlp), got "
            f"{type(model).__name__}. Pass the model itself, for example {caller}(model, ...)."
        )
    if compiled and (
        not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None
    ):
        raise ValueError(
            f"{caller}: the model is not compiled: call model.compile(optimizer='adam', "
            "loss='categorical_crossentropy', metrics=['accuracy']) first."
        )
    if not single_input:
        return None
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if not inputs:
        raise ValueError(
            f"{caller}: model {model.name!r} has no defined inputs yet. Start a Sequential "
            "model with keras.Input(shape=...), or build a functional model; subclassed "
            "models cannot be inspected layer by layer."
        )
    if len(inputs) != 1:
        raise ValueError(
            f"{caller}: model {model.name!r} has {len(inputs)} inputs; only models with a "
            "single input are supported."
        )
    return inputs[0]
