r"""Implement Leaky ReLU in NumPy: ``implement_leaky_relu``, checked in ``book/leaky_relu.ipynb``.

The checker calls ``f(x, alpha)`` positionally with the slopes in :data:`LEAKY_ALPHAS`.

Example:

>>> import numpy as np
>>> implement_leaky_relu.check(lambda x, a: np.where(x > 0, x, a * x)).status
'passed'
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from acttutor.exercises import notebook_of
from acttutor.exercises.core import Exercise
from acttutor.exercises.implement import (
    elementwise_cases,
    matches,
    overflow_notes,
    run_cases,
    threshold_advice,
)
from acttutor.exercises.kit import call_learner, require_arity
from acttutor.exercises.outcomes import Fail, LearnerError, NotAttempted
from acttutor.exercises.references import NP, leaky_relu
from acttutor.exercises.words import learner_name

__all__ = ["LEAKY_ALPHAS", "implement_leaky_relu"]


#: The slopes ``implement_leaky_relu`` passes as ``alpha``, in order.
LEAKY_ALPHAS: tuple[float, ...] = (0.1, 0.3, 0.01, 0.5, 0.75, 0.2)


_SLOPE_NAMES = {"alpha", "a", "slope", "negative_slope", "leak", "k"}


def _swapped_parameters(fn: Any) -> str:
    """Advice when the function's first parameter looks like the slope: ``f(alpha, x)``."""
    try:
        names = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return ""
    if len(names) >= 2 and names[0] in _SLOPE_NAMES:
        return (
            f"Your function's parameters are ({names[0]}, {names[1]}, ...), but the check "
            f"calls it as f(x, alpha): the array first, the slope second. Define it as "
            f"`def {learner_name(fn)}(x, alpha):`."
        )
    return ""


def _diagnose_leaky(
    fn: Any, x: np.ndarray, got: np.ndarray, expected: np.ndarray, alpha: float
) -> str:
    swapped = _swapped_parameters(fn)
    if swapped:
        return swapped
    threshold = threshold_advice(x, got, expected, "Leaky ReLU")
    if threshold:
        return threshold
    neg, pos = x < 0, x > 0
    if neg.any() and not matches(got, expected, neg):
        if matches(got, x, neg):
            return (
                "For x < 0 you return x unchanged (np.minimum(alpha * x, x) does that); "
                "Leaky ReLU returns alpha·x there: np.where(x > 0, x, alpha * x)."
            )
        if matches(got, NP.zeros_like(got), neg):
            return "For x < 0 you return 0 (plain ReLU); Leaky ReLU returns alpha·x there."
        other = 0.5 if abs(alpha - 0.5) > 1e-9 else 0.25
        try:
            again = call_learner(fn, x, other, params=("x", "alpha"))
        except (Fail, LearnerError, NotAttempted):
            again = None
        if isinstance(again, np.ndarray) and again.shape == got.shape and matches(
            again, got, neg
        ):
            return (
                f"Your result for x < 0 is the same with alpha={alpha!r} and alpha={other!r}: "
                "the function ignores its alpha argument. Multiply the negative inputs by "
                "the alpha you are given, not by a fixed number."
            )
        return f"For x < 0, Leaky ReLU returns alpha·x (here {alpha!r}·x)."
    if pos.any() and not matches(got, expected, pos):
        if matches(got, alpha * x, pos):
            return (
                "For x > 0 you return alpha·x: np.minimum picks the smaller of alpha·x and x. "
                "Use np.maximum(alpha * x, x) (valid for 0 < alpha < 1) or "
                "np.where(x > 0, x, alpha * x)."
            )
        return "For x > 0, Leaky ReLU returns x itself: np.where(x > 0, x, alpha * x)."
    return "Leaky ReLU is x for x > 0 and alpha·x otherwise: np.where(x > 0, x, alpha * x)."


def _check_leaky_relu(fn: Any, *, notes: list[str]) -> str:
    require_arity(fn, ["x", "alpha"])
    cases = elementwise_cases(
        "Leaky ReLU needs no exponentials: np.where(x > 0, x, alpha * x) is exact for every input."
    )
    raw: list[tuple[str, str]] = []
    n = run_cases(
        fn, cases, leaky_relu,
        extra_args=lambda i: (LEAKY_ALPHAS[i % len(LEAKY_ALPHAS)],),
        params=("x", "alpha"),
        diagnose=_diagnose_leaky,
        reduce_fix="Use element-wise operations: np.where(x > 0, x, alpha * x).",
        raw_warnings=raw,
        notes=notes,
    )
    notes.extend(overflow_notes(raw, "np.where(x > 0, x, alpha * x) needs no exponentials."))
    alphas = ", ".join(map(str, LEAKY_ALPHAS))
    return (
        f"{learner_name(fn)} matches Leaky ReLU on {n} values, 1-D and 2-D, including ±1000, "
        f"with alpha = {alphas}."
    )


implement_leaky_relu = Exercise(
    "implement_leaky_relu",
    "Leaky ReLU in NumPy",
    _check_leaky_relu,
    hints=[
        "Leaky ReLU keeps x where x > 0 and gives alpha·x elsewhere. The check calls "
        "f(x, alpha) with several alphas between 0 and 1.",
        "np.where(condition, a, b) picks a where the condition holds and b elsewhere, "
        "element by element.",
        "return np.where(x > 0, x, alpha * x)",
    ],
    solution_code='''
        import numpy as np


        def my_leaky_relu(x, alpha):
            """Leaky ReLU: x where x > 0, alpha * x elsewhere."""
            return np.where(x > 0, x, alpha * x)
    ''',
    answer_name="my_leaky_relu",
    notebook=notebook_of(__name__),
)

