"""How the checkers word things in messages: values, the learner's function, a time-out.

A message names one problem with a small counterexample, so a value is shown
by :func:`describe`, which never prints a whole array, tensor or kernel: long
ones are cut to their shape, dtype and first entries.

Example:

>>> import numpy as np
>>> describe(np.arange(1000.0))
'array of shape (1000,) and dtype float64, starting [0, 1, 2, 3, ...]'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["describe", "learner_name", "plural", "too_slow"]


def describe(value: object, max_items: int = 6) -> str:
    """A short, readable description of an input or output, for a message.

    Never prints a whole array or tensor: long ones are cut to their shape,
    dtype and first few entries, and dicts and lists to their first items.

    Example:

    >>> describe(np.array([1.0, 2.0]))
    'array([1., 2.])'
    >>> describe(np.zeros((50, 20)))[:41]
    'array of shape (50, 20) and dtype float64'

    Args:
        value: Any value.
        max_items: How many elements of an array to show.

    Returns:
        A one-line description.
    """
    if isinstance(value, np.ndarray):
        if value.size <= max_items and value.ndim > 0:
            text = np.array2string(value, precision=6, separator=", ", suppress_small=False)
            return f"array({' '.join(text.split())})"
        if value.ndim == 0:
            return f"a 0-d array holding {value.item()!r}"
        return f"array of shape {value.shape} and dtype {value.dtype}, starting {_head(value)}"
    if _is_tensor(value):
        kind = "tf.Variable" if "Variable" in type(value).__name__ else "tf.Tensor"
        shape = tuple(value.shape)
        dtype = getattr(value.dtype, "name", value.dtype)
        try:
            arr = np.asarray(value.numpy())
        except Exception:  # noqa: BLE001 - a symbolic tensor has no values to show
            return f"a symbolic {kind} of shape {shape} and dtype {dtype}"
        if arr.size <= max_items:
            values = describe(arr)[6:-1] if arr.ndim else repr(arr.item())
            return f"{kind}({values}, dtype={dtype})"
        return f"{kind} of shape {shape} and dtype {dtype}, starting {_head(arr)}"
    if isinstance(value, dict):
        items = [f"{k!r}: {describe(v, max_items)}" for k, v in list(value.items())[:4]]
        more = ", ..." if len(value) > 4 else ""
        return "{" + ", ".join(items) + more + "}"
    if isinstance(value, (list, tuple)) and any(
        isinstance(v, (np.ndarray, dict, list, tuple)) or _is_tensor(v) for v in value
    ):
        items = [describe(v, max_items) for v in value[:4]]
        more = ", ..." if len(value) > 4 else ""
        left, right = ("[", "]") if isinstance(value, list) else ("(", ")")
        return left + ", ".join(items) + more + right
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _head(arr: np.ndarray, n: int = 4) -> str:
    flat = np.asarray(arr).ravel()[:n]
    numeric = np.issubdtype(flat.dtype, np.number) and not np.iscomplexobj(flat)
    return "[" + ", ".join(f"{v:.4g}" if numeric else repr(v) for v in flat.tolist()) + ", ...]"


def _is_tensor(value: object) -> bool:
    return (hasattr(value, "numpy") and hasattr(value, "shape") and hasattr(value, "dtype")
            and not isinstance(value, np.ndarray))


def learner_name(fn: Any) -> str:
    """The name to call the learner's function by in messages: ``f`` for a lambda.

    Example:

    >>> learner_name(lambda x: x), learner_name(abs)
    ('f', 'abs')

    Args:
        fn: The learner's function.

    Returns:
        Its ``__name__`` when that is an identifier, else ``"f"``.
    """
    name = getattr(fn, "__name__", "")
    return name if isinstance(name, str) and name.isidentifier() else "f"


def plural(n: int, noun: str) -> str:
    """``1 argument``, ``2 arguments``: a count with its noun.

    Example:

    >>> plural(1, "hint"), plural(3, "hint")
    ('1 hint', '3 hints')

    Args:
        n: The count.
        noun: The noun, singular.

    Returns:
        The words.
    """
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def too_slow(call: str, seconds: float, args: Sequence[Any] = (), what: str = "your function"
             ) -> str:
    """The message for code stopped at its time budget.

    Example:

    >>> too_slow("f(x)", 5.0, [np.zeros(2)])[:60]
    'f(x): your function took longer than 5 s on input array([0.,'

    Args:
        call: A description of the call.
        seconds: The budget it ran past.
        args: The inputs it was working on.
        what: What ran (``"your function"``, ``"one training step"``).

    Returns:
        The message.
    """
    inputs = ", ".join(describe(a) for a in args) or "the checker's input"
    return (
        f"{call}: {what} took longer than {seconds:g} s on input {inputs}, so the check "
        "stopped it. The usual causes are a loop that never ends (while True, or a condition "
        "that never changes), time.sleep, or a slow Python loop over every element; NumPy "
        "and TensorFlow operations on the whole array are fast. (On a slow machine, set "
        "the environment variable ACTTUTOR_TIME_SCALE=2 to double every time budget.)"
    )


def _num(value: Any) -> str:
    try:
        return f"{float(value):.8g}"
    except (TypeError, ValueError):
        return repr(value)
