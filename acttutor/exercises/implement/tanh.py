r"""Implement tanh in NumPy: the ``implement_tanh`` exercise of ``book/tanh.ipynb``.

The exercise asks for tanh built from ``np.exp``: while the learner's function
runs, the library's own tanh functions (:data:`FORBIDDEN`) refuse to run, and
calling one fails the check. (Other exercises may use ``np.tanh`` freely, for
example a sigmoid written as ``0.5 * (1 + np.tanh(x / 2))``.)

Example:

>>> import numpy as np
>>> implement_tanh.check(lambda x: np.clip(x, -1, 1)).status
'failed'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from acttutor.exercises import notebook_of
from acttutor.exercises.core import Exercise
from acttutor.exercises.implement import elementwise_checker, matches
from acttutor.exercises.references import NP, sigmoid, tanh

__all__ = ["FORBIDDEN", "implement_tanh"]

#: The library tanh functions the learner's code may not call in this exercise.
FORBIDDEN: tuple[str, ...] = (
    "numpy.tanh", "math.tanh", "tensorflow.tanh", "tensorflow.math.tanh",
    "keras.activations.tanh", "keras.ops.tanh",
)


def _diagnose_tanh(fn: Any, x: np.ndarray, got: np.ndarray, expected: np.ndarray) -> str:
    if matches(got, tanh(x / 2.0)):
        return (
            "Your values are tanh(x / 2), which is 2σ(x) - 1. The identity needs 2x inside: "
            "tanh(x) = 2σ(2x) - 1."
        )
    if matches(got, sigmoid(x)) or matches(got, sigmoid(2.0 * x)):
        return (
            "Those are sigmoid values (range 0 to 1); tanh has range -1 to 1: "
            "tanh(x) = 2σ(2x) - 1."
        )
    if matches(got, NP.clip(x, -1.0, 1.0)):
        return "Clipping to [-1, 1] is 'hard tanh'; tanh is smooth: tanh(0.5) is about 0.4621."
    return "tanh(x) = (e^x - e^(-x)) / (e^x + e^(-x)); tanh(0) = 0 and tanh(-x) = -tanh(x)."


_check_tanh = elementwise_checker(
    tanh, _diagnose_tanh, title="tanh",
    hint_extreme=(
        "The textbook formula (e^x - e^(-x)) / (e^x + e^(-x)) overflows: for |x| near 1000, "
        "np.exp gives inf and inf / inf is nan. Use a stable form, "
        "e = np.exp(-2 * np.abs(x)); np.sign(x) * (1 - e) / (1 + e), which only ever "
        "exponentiates numbers ≤ 0."
    ),
    stable=(
        "A form that never overflows: e = np.exp(-2 * np.abs(x)); np.sign(x) * (1 - e) / (1 + e)."
    ),
    reduce_fix="Apply the formula element by element, for example with np.exp and np.sign.",
    forbid=FORBIDDEN,
    forbid_fix=(
        "Build tanh from np.exp instead: tanh(x) = (e^x - e^(-x)) / (e^x + e^(-x)), "
        "rewritten so that np.exp only sees numbers ≤ 0 (see implement_tanh.hint(3))."
    ),
)


implement_tanh = Exercise(
    "implement_tanh",
    "Tanh in NumPy",
    _check_tanh,
    hints=[
        "tanh(x) = (e^x - e^(-x)) / (e^x + e^(-x)), and tanh(-x) = -tanh(x).",
        "The formula as written gives nan at x = ±1000: e^1000 is inf in floating point, "
        "and inf / inf is nan. Rewrite it so that you only exponentiate numbers ≤ 0.",
        "Divide top and bottom by e^|x|: tanh(x) = sign(x) · (1 - e^(-2|x|)) / (1 + e^(-2|x|)).",
    ],
    solution_code='''
        import numpy as np


        def my_tanh(x):
            """tanh(x), written so that np.exp only ever sees numbers <= 0."""
            e = np.exp(-2.0 * np.abs(x))  # in (0, 1]
            return np.sign(x) * (1.0 - e) / (1.0 + e)
    ''',
    answer_name="my_tanh",
    notebook=notebook_of(__name__),
)

