r"""Implement softmax in NumPy: the ``implement_softmax`` exercise of ``book/softmax.ipynb``.

Softmax runs over the last axis, for 1-D and 2-D logits.

Example:

>>> import numpy as np
>>> def f(z):
...     e = np.exp(z - z.max(axis=-1, keepdims=True))
...     return e / e.sum(axis=-1, keepdims=True)
>>> implement_softmax.check(f).status
'passed'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from acttutor.exercises import notebook_of
from acttutor.exercises.core import Exercise
from acttutor.exercises.implement import SEED, Case, matches, overflow_notes, run_cases
from acttutor.exercises.kit import require_arity
from acttutor.exercises.references import NP, softmax
from acttutor.exercises.words import learner_name

__all__ = ["implement_softmax"]


_SOFTMAX_NAIVE = (
    "np.exp overflows to inf for logits near 1000 (and inf / inf is nan), or underflows "
    "to 0 for logits near -1000 (and 0 / 0 is nan). Softmax does not change when you "
    "subtract a constant from all logits, so subtract the maximum first: "
    "z = logits - np.max(logits, axis=-1, keepdims=True), then use np.exp(z)."
)
_SOFTMAX_ROWS = (
    "Here one row sits near +1000 and the other near -1000, so a single maximum over "
    "the whole array is not enough: subtract each row's own maximum, "
    "np.max(logits, axis=-1, keepdims=True)."
)


def _softmax_cases() -> list[Case]:
    rng = np.random.default_rng(SEED)
    return [
        Case(np.array([2.0, 1.0, 0.1])),
        Case(np.array([[2.0, 1.0, 0.1], [0.1, 1.0, 3.0]])),
        Case(np.array([1000.0, 1001.0, 1002.0]), _SOFTMAX_NAIVE),
        Case(np.array([-1000.0, -1001.0, -1002.0]), _SOFTMAX_NAIVE),
        Case(np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]]),
              f"{_SOFTMAX_NAIVE} {_SOFTMAX_ROWS}"),
        Case(rng.normal(0.0, 3.0, size=10)),
        Case(rng.normal(0.0, 3.0, size=(6, 10))),
        Case(rng.normal(0.0, 3.0, size=(4, 4))),
    ]


def _diagnose_softmax(fn: Any, x: np.ndarray, got: np.ndarray, expected: np.ndarray) -> str:
    g = NP.asarray(got, dtype=NP.float64)
    sums = g.sum(axis=-1)
    if not NP.allclose(sums, 1.0, rtol=1e-6, atol=1e-9):
        where = "" if g.ndim == 1 else f"row {int(NP.argmax(NP.abs(sums - 1.0)))} of "
        bad = float(sums.flat[int(NP.argmax(NP.abs(sums - 1.0)))])
        if g.ndim == 2 and NP.allclose(g.sum(axis=0), 1.0):
            return (
                f"Each row must sum to 1, but {where}your result sums to {bad:.6g}: you "
                "normalised over axis 0 (down the columns). Softmax runs over the last "
                "axis: use np.sum(e, axis=-1, keepdims=True)."
            )
        if g.ndim == 2 and NP.isclose(g.sum(), 1.0):
            return (
                f"Each row must sum to 1, but {where}your result sums to {bad:.6g}: you "
                "normalised over the whole array. Divide each row by its own sum: "
                "np.sum(e, axis=-1, keepdims=True)."
            )
        return (
            f"Probabilities must sum to 1 along the last axis, but {where}your result sums "
            f"to {bad:.6g}. Divide np.exp(z) by np.sum(np.exp(z), axis=-1, keepdims=True)."
        )
    if NP.all((g == 0.0) | (g == 1.0)):
        return (
            "Your result is one-hot: 1 for the largest logit and 0 elsewhere (an argmax). "
            "Softmax gives every class a probability: exp(z_i) / Σ_j exp(z_j)."
        )
    with np.errstate(all="ignore"):
        norm = x / x.sum(axis=-1, keepdims=True)
    if matches(got, norm):
        return "You divided the logits by their sum; softmax exponentiates first: np.exp(z)."
    if (g < 0).any():
        return "Probabilities cannot be negative: did you return log-probabilities?"
    return (
        "softmax(z)_i = exp(z_i) / Σ_j exp(z_j), with the sum over every class j along the "
        "last axis."
    )


def _check_softmax(fn: Any, *, notes: list[str]) -> str:
    require_arity(fn, ["logits"])
    raw: list[tuple[str, str]] = []
    n = run_cases(
        fn, _softmax_cases(), softmax,
        params=("logits",),
        diagnose=_diagnose_softmax,
        reduce_fix=(
            "Keep the shape: divide by np.sum(e, axis=-1, keepdims=True) rather than "
            "returning the sum itself."
        ),
        raw_warnings=raw,
        notes=notes,
    )
    notes.extend(overflow_notes(
        raw, "Subtract np.max(logits, axis=-1, keepdims=True) before np.exp to avoid it."
    ))
    return (
        f"{learner_name(fn)} matches softmax over the last axis on {n} values: 1-D and 2-D logits, "
        "including rows near +1000 and -1000."
    )


implement_softmax = Exercise(
    "implement_softmax",
    "Softmax in NumPy",
    _check_softmax,
    hints=[
        "softmax(z)_i = exp(z_i) / Σ_j exp(z_j), with the sum over every class j, along the "
        "last axis (each row of a 2-D batch is one example).",
        "Use axis=-1 and keepdims=True in np.sum, so that the sums broadcast back against "
        "each row.",
        "Subtract each row's maximum before np.exp: softmax does not change, and np.exp never "
        "overflows: z = logits - np.max(logits, axis=-1, keepdims=True).",
    ],
    solution_code='''
        import numpy as np


        def my_softmax(logits):
            """Softmax over the last axis, shifted by the row maximum so np.exp never overflows."""
            z = logits - np.max(logits, axis=-1, keepdims=True)
            e = np.exp(z)
            return e / np.sum(e, axis=-1, keepdims=True)
    ''',
    answer_name="my_softmax",
    notebook=notebook_of(__name__),
)
