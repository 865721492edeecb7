r"""Exercise 6: the per-example cross-entropy from logits, computed stably in NumPy.

The learner writes ``f(logits, labels) -> np.ndarray``: ``logits`` a float
array of shape ``(n, k)``, ``labels`` integer class ids of shape ``(n,)``;
the result is the per-example loss

.. math::

    \ell_i = -\log \operatorname{softmax}(z_i)_{y_i}
           = \log \sum_j e^{z_{ij}} - z_{i y_i},

of shape ``(n,)``. :data:`ex6` calls ``f`` on seeded and hand-picked logits
(rows near +800 with a small spread, rows spanning 1000, logits of ±1000
spanning 2000, and rows near 1000 where float32 arithmetic loses digits) and
compares with a float64 reference at a relative ``1e-5`` plus an absolute
floor of ``1e-9``. The first problem found is named, with one row as the
counterexample: a scalar (a mean or a sum), the wrong shape or dtype, the
negated loss, softmax taken over the wrong axis, labels treated as one-hot
rows, inf or NaN where the loss is finite (no shift, or the log of a softmax
that underflowed to 0), float32 precision, or an input changed in place.

Example:

>>> import numpy as np
>>> def f(logits, labels):
...     m = logits.max(axis=1, keepdims=True)
...     lse = m[:, 0] + np.log(np.exp(logits - m).sum(axis=1))
...     return lse - logits[np.arange(len(labels)), labels]
>>> ex6.check(f).status
'passed'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from acttutor.exercises import notebook_of
from acttutor.exercises.core import Exercise
from acttutor.exercises.implement import overflow_notes
from acttutor.exercises.kit import call_learner, require_arity
from acttutor.exercises.outcomes import Fail
from acttutor.exercises.references import NP
from acttutor.exercises.words import describe, learner_name

__all__ = ["ATOL", "RTOL", "ex6", "reference_loss"]

#: Relative tolerance against the float64 reference.
RTOL = 1e-5
#: Absolute floor near 0 (a loss of 1e-12 and one of 0 are both right).
ATOL = 1e-9
#: The seed of the random logits.
SEED = 20241201

_SHIFT = ("Subtract each row's maximum first: with m = np.max(logits, axis=1, keepdims=True), "
          "log Σ exp(z) = m + log Σ exp(z - m), and every exponent is then ≤ 0.")
_LOG_SOFTMAX = ("Do not take np.log of a softmax: an entry far below the maximum underflows to "
                "0 and log(0) = -inf. Compute log-softmax directly: (z - m) - log Σ exp(z - m).")


def reference_loss(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    r"""The per-example cross-entropy from logits, in float64, never overflowing.

    :math:`\ell_i = m_i + \log \sum_j e^{z_{ij} - m_i} - z_{i y_i}` with
    :math:`m_i = \max_j z_{ij}`.

    Example:

    >>> reference_loss(np.array([[1000.0, -1000.0], [0.0, 0.0]]), np.array([1, 0])).round(4)
    array([2.000e+03, 6.931e-01])

    Args:
        logits: Float logits, shape ``(n, k)``.
        labels: Integer class ids, shape ``(n,)``.

    Returns:
        The losses, float64, shape ``(n,)``.
    """
    z = NP.asarray(logits, dtype=NP.float64)
    m = NP.max(z, axis=1, keepdims=True)
    lse = m[:, 0] + NP.log(NP.sum(NP.exp(z - m), axis=1))
    return lse - z[NP.asarray(range(len(labels))), NP.asarray(labels)]


@dataclass(frozen=True)
class _Case:
    logits: np.ndarray
    labels: np.ndarray
    why: str  # what the case probes, for a non-finite result
    hint_nonfinite: str = ""


def _cases() -> list[_Case]:
    rng = np.random.default_rng(SEED)
    near_1000 = 1000.0 + rng.normal(0.0, 3.0, size=(6, 4))
    near_1000[:, 0] += 4.0  # label 0 is the largest: small losses, where float32 shows most
    return [
        _Case(np.array([[2.0, -1.0, 0.5], [0.0, 3.0, 1.0], [-2.0, 0.5, 1.5]]),
              np.array([0, 2, 1]), "small logits"),
        _Case(rng.normal(0.0, 3.0, size=(6, 5)), rng.integers(0, 5, size=6),
              "random logits"),
        _Case(800.0 + rng.normal(0.0, 2.0, size=(4, 3)), np.array([0, 1, 2, 1]),
              "logits near 800 that are close together",
              "exp(800) overflows float64 (its largest exponent is about 709). " + _SHIFT),
        _Case(np.array([[0.0, -1000.0, 5.0], [500.0, -500.0, 0.0], [-1.0, 999.0, 0.0]]),
              np.array([1, 2, 0]), "rows whose logits span 1000",
              "The logits in a row span 1000. " + _LOG_SOFTMAX + " " + _SHIFT),
        _Case(np.array([[1000.0, -1000.0], [-1000.0, 1000.0], [1000.0, 1000.0],
                        [-1000.0, -1000.0]]),
              np.array([1, 1, 0, 1]), "logits of ±1000 spanning 2000",
              "Logits of ±1000 need both tricks: " + _SHIFT),
        _Case(near_1000, np.zeros(6, dtype=np.int64), "logits near 1000, small losses"),
    ]


def _row(case: _Case, i: int) -> str:
    return f"logits {describe(case.logits[i], max_items=5)}, label {int(case.labels[i])}"


def _log_softmax(z: np.ndarray, axis: int) -> np.ndarray:
    m = NP.max(z, axis=axis, keepdims=True)
    return z - m - NP.log(NP.sum(NP.exp(z - m), axis=axis, keepdims=True))


def _mistakes(case: _Case) -> list[tuple[np.ndarray, str]]:
    """The values of known mistakes on a case, each with what to change."""
    z, y = NP.asarray(case.logits, dtype=NP.float64), case.labels
    rows = NP.asarray(range(len(y)))
    out = [
        (-reference_loss(z, y),
         "These are log-probabilities, ≤ 0: the loss is their negative, "
         "-log softmax(z)[label], so it is ≥ 0."),
        (-_log_softmax(z, 0)[rows, y],
         "You normalised over axis 0 (across the examples). Softmax runs over the classes of "
         "one example: use axis=1 (or -1) with keepdims=True."),
    ]
    if z.shape[0] == z.shape[1]:
        out.append((-NP.sum(y[None, :] * _log_softmax(z, 1), axis=1),
                    "labels are integer class ids, shape (n,), not one-hot rows: pick each "
                    "row's entry with log_p[np.arange(n), labels] instead of multiplying by "
                    "labels and summing."))
    z32 = z.astype(NP.float32).astype(NP.float64)
    out.append((reference_loss(z32, y),
                "Your values are off by about as much as float32 rounding of these logits: "
                "float32 keeps about 7 significant digits, so near 1000 it loses everything "
                "past the fourth decimal. Keep the computation in float64 (do not cast the "
                "logits with astype(np.float32))."))
    return out


def _check_kind(got: Any, case: _Case, call: str) -> None:
    n = len(case.labels)
    if got is None:
        raise Fail(f"{call} returned None. Did you forget the `return` statement?")
    if isinstance(got, (np.generic, int, float)) or (
            isinstance(got, np.ndarray) and got.ndim == 0):
        raise Fail(
            f"{call} returned a single number ({describe(got)}) instead of one loss per "
            f"example, shape ({n},). Do not average or sum over the examples: Keras does "
            "that later, and the per-example losses are what you inspect and weight.")
    if hasattr(got, "numpy") and hasattr(got, "dtype"):
        raise Fail(f"{call} returned a TensorFlow tensor; this exercise asks for NumPy "
                   "(np.max, np.exp, np.log, ...), so that the result is an np.ndarray.")
    if not isinstance(got, np.ndarray):
        raise Fail(f"{call} returned a {type(got).__name__}; expected a NumPy array of shape "
                   f"({n},). Compute on whole arrays with NumPy instead of building a list.")
    if got.shape != (n,):
        if got.shape == case.logits.shape:
            why = ("one value per class: pick the label's entry of each row, "
                   "values[np.arange(n), labels]")
        elif got.size == n:
            why = "the right number of values in the wrong shape: flatten it with .reshape(-1)"
        else:
            why = "reduce over the classes (axis=1) only, keeping one value per example"
        raise Fail(f"{call} returned shape {got.shape}; expected ({n},), one loss per "
                   f"example: {why}.")
    if got.dtype == np.float16:
        raise Fail(f"{call} returned dtype float16, which keeps about 3 significant digits "
                   "and overflows above 65504: compute in float64 and do not cast down.")
    if got.dtype not in (np.float32, np.float64):
        raise Fail(f"{call} returned dtype {got.dtype}; expected a float array (float64, or "
                   "float32). Losses are real numbers: avoid integer operations, and convert "
                   "with .astype(np.float64) if needed.")


def _nonfinite_advice(case: _Case, caught: list[str]) -> str:
    """Advice for inf or NaN, from what NumPy warned about while the learner's code ran."""
    if any("divide by zero" in text for text in caught):
        return ("NumPy warned of a divide by zero: np.log got an exact 0, a probability "
                "that underflowed. " + _LOG_SOFTMAX)
    if any("overflow" in text for text in caught) and not case.hint_nonfinite.startswith("exp("):
        return ("NumPy warned of an overflow in np.exp: some exponent was above about 709. "
                "Shifting by anything other than the row maximum (the minimum, the mean, a "
                "constant) still overflows when a row spans more than that. " + _SHIFT)
    return case.hint_nonfinite or _SHIFT


def _check_values(got: np.ndarray, case: _Case, call: str, caught: list[str]) -> None:
    expected = reference_loss(case.logits, case.labels)
    g = NP.asarray(got, dtype=NP.float64)
    bad = ~NP.isfinite(g)
    if bad.any():
        i = int(NP.argwhere(bad)[0][0])
        raise Fail(f"{call} returned {g[i]} for row {i} ({_row(case, i)}), {case.why}, where "
                   f"the loss is {expected[i]:.8g}. {_nonfinite_advice(case, caught)}")
    ok = NP.isclose(g, expected, rtol=RTOL, atol=ATOL)
    if ok.all():
        return
    err = NP.where(ok, 0.0, NP.abs(g - expected))
    i = int(NP.argmax(err))
    advice = next((fix for values, fix in _mistakes(case)
                   if NP.allclose(g, values, rtol=1e-4, atol=1e-6)), "")
    if not advice and NP.allclose(g, expected, rtol=1e-3, atol=1e-6):
        advice = _mistakes(case)[-1][1]  # close, but not to 1e-5: lost precision
    raise Fail(f"{call}: wrong loss for row {i} ({_row(case, i)}): expected {expected[i]:.8g}, "
               f"got {g[i]:.8g} ({int((~ok).sum())} of {g.size} values differ). "
               f"{advice or 'The loss is log Σ_j exp(z_j) - z_label, for each row.'}".strip())


def _check(f: Callable[..., Any], *, notes: list[str]) -> str:
    require_arity(f, ["logits", "labels"])
    name = learner_name(f)
    raw: list[tuple[str, str]] = []
    cases = _cases()
    for case in cases:
        call = (f"{name}(logits of shape {case.logits.shape}, "
                f"labels {describe(case.labels, max_items=6)})")
        caught: list[str] = []
        try:
            got = call_learner(f, case.logits, case.labels, call=call,
                               params=("logits", "labels"), warnings_out=caught, notes=notes)
        except Fail as exc:
            if "in place" not in str(exc):
                raise
            raise Fail(f"{call} changed `logits` or `labels` in place (an `-=` or an "
                       "assignment into the array). The caller's logits must stay as they "
                       "were: write `shifted = logits - m` instead.") from None
        raw.extend((text, call) for text in caught)
        _check_kind(got, case, call)
        _check_values(got, case, call, caught)
    notes.extend(overflow_notes(raw, _SHIFT))
    n = sum(len(c.labels) for c in cases)
    return (f"Correct: {name} matches a float64 reference on {n} examples at a relative "
            f"{RTOL:g}, including logits of ±1000, rows spanning 2000, and rows near 1000 "
            "where float32 would lose digits.")


_SOLUTION = '''
import numpy as np


def cross_entropy(logits, labels):
    """Per-example -log softmax(logits)[label], by log-sum-exp with the maximum subtracted."""
    shifted = logits - np.max(logits, axis=1, keepdims=True)  # every entry <= 0
    log_sum = np.log(np.sum(np.exp(shifted), axis=1))  # between 0 and log(k)
    picked = shifted[np.arange(len(labels)), labels]  # each example's own logit
    return log_sum - picked
'''

ex6 = Exercise(
    "ex6",
    "Stable cross-entropy from logits",
    _check,
    hints=[
        "-log softmax(z)[y] = log Σ_j exp(z_j) - z_y, one value per row. Pick each row's "
        "label entry with z[np.arange(n), labels], where n = len(labels).",
        "np.exp overflows above about 709, and np.log of a probability that underflowed to 0 "
        "is -inf. So never form the softmax itself: work with log Σ exp directly.",
        "log Σ exp(z) = m + log Σ exp(z - m) for any m. With m = np.max(logits, axis=1, "
        "keepdims=True) every exponent is ≤ 0 and the sum is between 1 and k. Do not change "
        "`logits` in place (no `-=`).",
    ],
    solution_code=_SOLUTION,
    answer_name="cross_entropy",
    notebook=notebook_of(__name__),
)
