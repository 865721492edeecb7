"""Hand the numbers a chapter computes to its prose, several in one call (MyST-NB's ``glue``).

The prose of a chapter quotes values with ``{glue:text}`name:.2f```. Each value must be
stored by a cell of the same notebook; :func:`glue_values` stores several at once, turns
NumPy and TensorFlow scalars and arrays into plain Python numbers and lists first (so
that a format such as ``:.2f`` applies and the stored text reads ``0.25``, not
``np.float32(0.25)``), and shows nothing in the cell's output. The chapters call it in
small cells tagged ``remove-cell``, right after the cell whose results they store, so
that the book shows the code that teaches and keeps the bookkeeping out of sight.

Example:

>>> import numpy as np
>>> glue_values(share_zero=np.float32(0.5), steps=np.int64(160))
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["glue_values"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _plain(value: Any) -> Any:
    """``value`` with NumPy and TensorFlow numbers and arrays turned into Python ones."""
    if value is None or type(value) in (str, bytes, bool, int, float, complex):
        return value  # exact types: np.float64 is a float too, yet reprs as np.float64(...)
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value)
    numpy = getattr(value, "numpy", None)  # an eager tf.Tensor or tf.Variable
    if callable(numpy) and not hasattr(value, "tolist"):
        value = numpy()
    tolist = getattr(value, "tolist", None)  # np.ndarray and NumPy scalars
    if callable(tolist):
        return tolist()
    return value


def _in_a_kernel() -> bool:
    """Whether this runs in an IPython kernel, where stored values reach the notebook."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with myst-nb
        return False
    return get_ipython() is not None


def glue_values(values: Mapping[str, Any] | None = None, /, **named: Any) -> None:
    """Store several computed values for the chapter's prose, without showing them.

    Each value is stored under its name with ``myst_nb.glue(name, value,
    display=False)``, after NumPy and TensorFlow numbers and arrays (also inside
    lists, tuples and dicts) are turned into plain Python numbers and lists. Outside
    a notebook kernel nothing is stored; the names are still checked.

    Example:

    >>> import numpy as np
    >>> glue_values(relu_mean=np.float32(0.399), counts=np.array([3, 4]))
    >>> glue_values({f"acc_{name}": 0.9 for name in ("relu", "tanh")}, best="relu")
    >>> glue_values(**{"not a name": 1})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: glue_values: 'not a name' is not a valid name for a glued value; ...

    Args:
        values: Optional: a mapping from name to value, for names made in a loop
            (``{f"acc_{name}": ... for name in runs}``).
        **named: More values, each stored under its keyword's name.

    Raises:
        TypeError: When ``values`` is not a mapping or a name is not a string.
        ValueError: When a name is not a Python identifier (letters, digits and
            underscores, so that the prose can refer to it) or is given twice.
    """
    if values is not None and not isinstance(values, Mapping):
        raise TypeError(
            "glue_values: the optional first argument is a mapping from name to value, "
            f"got {type(values).__name__}; pass single values as keywords instead "
            "(glue_values(name=value))."
        )
    given = dict(values or {})
    twice = sorted(set(given) & set(named))
    if twice:
        raise ValueError(f"glue_values: {', '.join(twice)} given twice; store each once.")
    given.update(named)
    for name in given:
        if not isinstance(name, str):
            raise TypeError(
                f"glue_values: names are strings, got {name!r} ({type(name).__name__})."
            )
        if not _NAME.match(name):
            raise ValueError(
                f"glue_values: {name!r} is not a valid name for a glued value; use "
                "letters, digits and underscores, as the prose's {glue:text}`name` does."
            )
    if not _in_a_kernel():
        return
    from myst_nb import glue

    for name, value in given.items():
        glue(name, _plain(value), display=False)
