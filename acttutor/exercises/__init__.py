"""The exercises and their checkers, found by a naming rule and imported lazily.

Example:

>>> from acttutor.exercises import implement_relu
>>> implement_relu.check(None).status
'not_attempted'

Each exercise is an :class:`~acttutor.exercises.core.Exercise` with ``check``,
``hint`` and ``solution``. Where it lives follows from its name, so there is
no table to keep up to date:

* ``exN`` is defined in the module ``exN_<topic>.py`` of this package, named
  after its notebook ``book/exercises/exN_<topic>.ipynb`` (``ex4`` in
  ``ex4_dying_relu.py``);
* ``implement_<name>`` is defined in ``implement/<name>.py``, named after its
  chapter ``book/<name>.ipynb`` (``implement_relu`` in ``implement/relu.py``).

Adding an exercise is adding such a module (the steps are on the API page,
``book/api.md``): it defines one :class:`~acttutor.exercises.core.Exercise`,
passing ``notebook=notebook_of(__name__)``, and a checking function built
from :mod:`acttutor.exercises.kit`. A module is imported only when its
exercise is first used, so importing one exercise does not load TensorFlow
for the others.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
_EX_MODULE = re.compile(r"^(ex\d+)_[a-z0-9_]+$")
_IMPLEMENT = "implement_"
_TYPES = {"CheckResult": "acttutor.exercises.core", "Exercise": "acttutor.exercises.core"}


def _ex_modules() -> dict[str, str]:
    """``{"ex4": "ex4_dying_relu", ...}`` for every ``exN_<topic>.py`` module here."""
    found = {}
    for info in pkgutil.iter_modules([str(_HERE)]):
        match = _EX_MODULE.match(info.name)
        if match and not info.ispkg:
            found[match.group(1)] = info.name
    return found


def _implement_modules() -> list[str]:
    """``["leaky_relu", "relu", ...]``: the modules of the ``implement`` package."""
    return sorted(
        info.name
        for info in pkgutil.iter_modules([str(_HERE / "implement")])
        if not info.ispkg and not info.name.startswith("_")
    )


def exercise_names() -> list[str]:
    """The names of every exercise, ``implement_*`` first, then ``ex1``, ``ex2``, ...

    Found by the naming rule above, without importing any exercise.

    Example:

    >>> names = exercise_names()
    >>> "implement_relu" in names and "ex4" in names
    True

    Returns:
        The exercise names, as they are imported from :mod:`acttutor.exercises`.
    """
    ex = sorted(_ex_modules(), key=lambda name: int(name[2:]))
    return [f"{_IMPLEMENT}{m}" for m in _implement_modules()] + ex


def module_of(name: str) -> str:
    """The module that defines the exercise ``name``, by the naming rule.

    Example:

    >>> module_of("ex4"), module_of("implement_relu")
    ('acttutor.exercises.ex4_dying_relu', 'acttutor.exercises.implement.relu')

    Args:
        name: An exercise's name, such as ``"ex4"`` or ``"implement_relu"``.

    Returns:
        The module's dotted name.

    Raises:
        KeyError: When no module defines an exercise of that name.
    """
    if name.startswith(_IMPLEMENT) and name[len(_IMPLEMENT):] in _implement_modules():
        return f"acttutor.exercises.implement.{name[len(_IMPLEMENT):]}"
    module = _ex_modules().get(name)
    if module is None:
        raise KeyError(f"no exercise named {name!r}; the exercises are {exercise_names()}")
    return f"acttutor.exercises.{module}"


__all__ = ["CheckResult", "Exercise", "exercise_names", "module_of", "notebook_of",
           *exercise_names()]


def notebook_of(module: str) -> str:
    """The notebook file an exercise module belongs to, by the same naming rule.

    Example:

    >>> notebook_of("acttutor.exercises.ex4_dying_relu"), notebook_of(
    ...     "acttutor.exercises.implement.relu")
    ('ex4_dying_relu.ipynb', 'relu.ipynb')

    Args:
        module: The module's dotted name (its ``__name__``).

    Returns:
        The notebook's file name: ``book/exercises/<name>.ipynb`` or ``book/<name>.ipynb``.
    """
    return f"{module.rpartition('.')[2]}.ipynb"


def __getattr__(name: str) -> Any:
    if name in _TYPES:
        return getattr(importlib.import_module(_TYPES[name]), name)
    try:
        module = module_of(name)
    except KeyError:
        raise AttributeError(f"module 'acttutor.exercises' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
