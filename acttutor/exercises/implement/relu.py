r"""Implement ReLU in NumPy: the ``implement_relu`` exercise of ``book/relu.ipynb``.

Example:

>>> import numpy as np
>>> implement_relu.check(lambda x: np.maximum(x, 0.0)).status
'passed'
>>> implement_relu.check(lambda x: np.abs(x)).status
'failed'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from acttutor.exercises import notebook_of
from acttutor.exercises.core import Exercise
from acttutor.exercises.implement import elementwise_checker, matches, threshold_advice
from acttutor.exercises.references import NP, relu

__all__ = ["implement_relu"]


def _diagnose_relu(fn: Any, x: np.ndarray, got: np.ndarray, expected: np.ndarray) -> str:
    threshold = threshold_advice(x, got, expected, "ReLU")
    if threshold:
        return threshold
    neg, pos = x < 0, x > 0
    if matches(got, x, neg):
        return "Negative inputs came back unchanged: ReLU must turn every x < 0 into 0."
    if matches(got, -x, neg):
        return "Negative inputs came back as -x (like np.abs): ReLU turns every x < 0 into 0."
    if neg.any() and not matches(got, expected, neg):
        ratio = NP.asarray(got[neg], dtype=NP.float64) / x[neg]
        if NP.allclose(ratio, ratio.flat[0]) and 0 < ratio.flat[0] < 1:
            return (
                f"For x < 0 you return {ratio.flat[0]:.3g}·x: that is Leaky ReLU. Plain ReLU "
                "gives exactly 0 for x < 0; use np.maximum(x, 0.0)."
            )
        return "For x < 0, ReLU must return exactly 0; use np.maximum(x, 0.0)."
    if pos.any() and not matches(got, expected, pos):
        return "For x > 0, ReLU returns x itself; use np.maximum(x, 0.0)."
    return "ReLU(x) = max(0, x) element by element: np.maximum(x, 0.0)."


_RELU_FIX = "Use the element-wise np.maximum(x, 0.0); np.max(x, 0) reduces along an axis."

_check_relu = elementwise_checker(
    relu, _diagnose_relu, title="ReLU",
    hint_extreme="ReLU never needs np.exp: np.maximum(x, 0.0) is exact for every input.",
    stable="np.maximum(x, 0.0) needs no exponentials at all.",
    reduce_fix=_RELU_FIX,
)

implement_relu = Exercise(
    "implement_relu",
    "ReLU in NumPy",
    _check_relu,
    hints=[
        "ReLU keeps positive numbers and replaces negative ones by 0, element by element.",
        "np.maximum compares two arrays (or an array and a number) element by element; "
        "np.max, by contrast, reduces an array to its largest value.",
        "return np.maximum(x, 0.0)",
    ],
    solution_code='''
        import numpy as np


        def my_relu(x):
            """ReLU, element by element: max(0, x)."""
            return np.maximum(x, 0.0)
    ''',
    answer_name="my_relu",
    notebook=notebook_of(__name__),
)

