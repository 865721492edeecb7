r"""Implement the sigmoid in NumPy: the ``implement_sigmoid`` exercise of ``book/sigmoid.ipynb``.

Example:

>>> import numpy as np
>>> implement_sigmoid.check(lambda x: 1 / (1 + np.exp(-x))).status
'passed'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from acttutor.exercises import notebook_of
from acttutor.exercises.core import Exercise
from acttutor.exercises.implement import elementwise_checker, matches
from acttutor.exercises.references import NP, sigmoid, tanh

__all__ = ["implement_sigmoid"]


def _diagnose(fn: Any, x: np.ndarray, got: np.ndarray, expected: np.ndarray) -> str:
    if matches(got, sigmoid(-x)):
        return (
            "Your values are sigmoid(-x): check the sign of the exponent. "
            "σ(x) = 1 / (1 + e^(-x)), so σ(2) is about 0.88, above 0.5."
        )
    if matches(got, tanh(x)):
        return "Those are tanh values (range -1 to 1); the sigmoid is 1 / (1 + e^(-x))."
    if matches(got, 0.5 * (1.0 + tanh(x))):
        return "0.5 * (1 + tanh(x)) is σ(2x); the identity is σ(x) = 0.5 * (1 + tanh(x / 2))."
    for c in (5.0, 10.0, 15.0, 20.0, 30.0, 50.0, 100.0):
        if NP.abs(x).max() > c and matches(got, sigmoid(NP.clip(x, -c, c))):
            return (
                f"Your values are σ(clip(x, -{c:g}, {c:g})): clipping x to avoid the overflow "
                f"changes σ beyond |x| = {c:g} by more than the tolerance allows. Use a form "
                "that never overflows instead: e = np.exp(-np.abs(x)); "
                "np.where(x >= 0, 1 / (1 + e), e / (1 + e))."
            )
    return "σ(x) = 1 / (1 + e^(-x)): σ(0) = 0.5, and σ(-x) = 1 - σ(x)."


_check_sigmoid = elementwise_checker(
    sigmoid, _diagnose, title="the sigmoid",
    hint_extreme=(
        "np.exp(x) / (1 + np.exp(x)) gives inf / inf = nan for large x. 1 / (1 + np.exp(-x)) "
        "is fine there, and a form that never overflows is "
        "e = np.exp(-np.abs(x)); np.where(x >= 0, 1 / (1 + e), e / (1 + e))."
    ),
    stable=(
        "A form that never overflows: e = np.exp(-np.abs(x)); "
        "np.where(x >= 0, 1 / (1 + e), e / (1 + e))."
    ),
    reduce_fix="Apply the formula element by element: 1 / (1 + np.exp(-x)).",
)

implement_sigmoid = Exercise(
    "implement_sigmoid",
    "Sigmoid in NumPy",
    _check_sigmoid,
    hints=[
        "σ(x) = 1 / (1 + e^(-x)). NumPy's exponential is np.exp and works element by element.",
        "1 / (1 + np.exp(-x)) is correct, but np.exp(-x) overflows to inf for x near -1000 "
        "(NumPy warns). The result is still right (1 / inf = 0), and the check says so.",
        "To avoid overflow altogether, only exponentiate numbers ≤ 0: e = np.exp(-np.abs(x)), "
        "then 1 / (1 + e) where x ≥ 0 and e / (1 + e) where x < 0 (np.where picks).",
    ],
    solution_code='''
        import numpy as np


        def my_sigmoid(x):
            """The sigmoid 1 / (1 + e^(-x)), computed without overflow."""
            e = np.exp(-np.abs(x))  # always in (0, 1], so it never overflows
            return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    ''',
    answer_name="my_sigmoid",
    notebook=notebook_of(__name__),
)

