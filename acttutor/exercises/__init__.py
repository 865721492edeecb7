"""The exercises and their checkers.

Example:

>>> from acttutor.exercises import implement_relu
>>> implement_relu.check(None).status
'not_attempted'

Each name is an :class:`~acttutor.exercises.core.Exercise` with ``check``,
``hint`` and ``solution``. They are imported lazily, so that importing one
exercise does not load the others.
"""

from __future__ import annotations

import importlib
from typing import Any

from acttutor.exercises.core import CheckResult, Exercise

#: Which module defines each exercise.
_WHERE: dict[str, str] = {
    "implement_relu": "implement",
    "implement_sigmoid": "implement",
    "implement_tanh": "implement",
    "implement_leaky_relu": "implement",
    "implement_softmax": "implement",
    "ex1": "visualise",
    "ex2": "compare",
    "ex3": "custom",
    "ex4": "dying_relu",
    "ex5": "gradient_flow",
}

__all__ = ["CheckResult", "Exercise", *_WHERE]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        module = importlib.import_module(f"acttutor.exercises.{_WHERE[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'acttutor.exercises' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
