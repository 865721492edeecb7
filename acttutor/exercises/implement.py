r"""Implement-it-yourself exercises: ReLU, sigmoid, tanh, Leaky ReLU and softmax in NumPy.

Each exercise is an :class:`~acttutor.exercises.core.Exercise`. Its checker
calls the learner's function on fresh, seeded inputs and on edge cases
(1-D and 2-D arrays, and extreme values such as ±1000), and compares the
result with a numerically stable reference:

* the result must be an ``np.ndarray`` with the input's shape and a float
  dtype (float32 or float64);
* the values must match to a relative tolerance of ``1e-6``, with an
  absolute floor near 0 of ``1e-10`` for float64 results and ``1e-7`` (about
  one float32 rounding step near 1) for float32 results;
* NaN or inf where the true value is finite fails, with advice on a stable form;
* a function that changes its input array in place fails;
* NumPy overflow warnings do not fail a correct answer, but the result notes them.

Example:

>>> import numpy as np
>>> implement_relu.check(lambda x: np.maximum(x, 0.0)).status
'passed'
>>> implement_relu.check(lambda x: np.abs(x)).status
'failed'
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from acttutor.exercises.core import (
    Exercise,
    Fail,
    LearnerError,
    NotAttempted,
    call_learner,
    compare_arrays,
    describe,
)

__all__ = [
    "implement_leaky_relu",
    "implement_relu",
    "implement_sigmoid",
    "implement_softmax",
    "implement_tanh",
]

RTOL = 1e-6
ATOL_FLOAT64 = 1e-10
ATOL_FLOAT32 = 1e-7
#: The slopes ``implement_leaky_relu`` passes as ``alpha``, in order.
LEAKY_ALPHAS: tuple[float, ...] = (0.1, 0.3, 0.01, 0.5, 0.75, 0.2)

_SEED = 20240607


# --- numerically stable references (float64) --------------------------------------------------


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _tanh(x: np.ndarray) -> np.ndarray:
    return np.tanh(x)


def _leaky_relu(x: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(x > 0, x, alpha * x)


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


# --- test inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Case:
    """One input the checker tries, with advice for NaN/inf results on it."""

    x: np.ndarray
    hint_nonfinite: str = ""


def _elementwise_cases(hint_extreme: str) -> list[_Case]:
    rng = np.random.default_rng(_SEED)
    return [
        _Case(np.array([-3.0, -1.0, -0.25, 0.0, 0.5, 2.0])),
        _Case(np.array([[-2.0, -0.1, 0.0], [0.3, 1.5, 4.0]])),
        _Case(np.array([-1000.0, -100.0, -20.0, 20.0, 100.0, 1000.0]), hint_extreme),
        _Case(np.array([[1000.0, -1000.0], [-750.0, 750.0]]), hint_extreme),
        _Case(rng.normal(0.0, 4.0, size=200)),
        _Case(rng.normal(0.0, 4.0, size=(8, 16))),
    ]


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


def _softmax_cases() -> list[_Case]:
    rng = np.random.default_rng(_SEED)
    return [
        _Case(np.array([2.0, 1.0, 0.1])),
        _Case(np.array([[2.0, 1.0, 0.1], [0.1, 1.0, 3.0]])),
        _Case(np.array([1000.0, 1001.0, 1002.0]), _SOFTMAX_NAIVE),
        _Case(np.array([-1000.0, -1001.0, -1002.0]), _SOFTMAX_NAIVE),
        _Case(np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]]),
              f"{_SOFTMAX_NAIVE} {_SOFTMAX_ROWS}"),
        _Case(rng.normal(0.0, 3.0, size=10)),
        _Case(rng.normal(0.0, 3.0, size=(6, 10))),
        _Case(rng.normal(0.0, 3.0, size=(4, 4))),
    ]


# --- helpers -----------------------------------------------------------------------------------


def _name(fn: Any) -> str:
    name = getattr(fn, "__name__", "")
    return name if name.isidentifier() else "f"


def _require_arity(fn: Callable[..., Any], example: str, n_args: int, define: str) -> None:
    """Fail clearly when ``fn`` cannot take ``n_args`` positional arguments."""
    if not callable(fn):
        return  # call_learner reports non-callables
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):  # some built-ins have no signature: just call them
        return
    try:
        sig.bind(*range(n_args))
    except TypeError as exc:
        raise Fail(
            f"The check calls {example}, but {_name(fn)}{sig} cannot be called that way "
            f"({exc}). Define it as `{define}`."
        ) from None


def _check_kind(got: Any, x: np.ndarray, call: str, fix: str) -> None:
    """Friendlier messages than ``compare_arrays`` for a few non-array results."""
    if got is None or isinstance(got, np.ndarray):
        return  # compare_arrays has the right message (a missing `return`, or shape/dtype)
    if isinstance(got, (np.generic, int, float)):
        raise Fail(
            f"{call} returned a single number ({describe(got)}) instead of an array of "
            f"shape {x.shape}: something reduced the whole array to one value. {fix}"
        )
    if hasattr(got, "numpy") and hasattr(got, "dtype"):
        raise Fail(
            f"{call} returned a TensorFlow tensor; this exercise asks for NumPy. "
            f"Use NumPy functions (np.maximum, np.exp, np.where, ...) so that the result "
            f"is an np.ndarray."
        )
    if isinstance(got, (list, tuple)):
        raise Fail(
            f"{call} returned a {type(got).__name__}; expected a NumPy array (np.ndarray). "
            "Compute on the whole array with NumPy operations instead of building a list."
        )


def _atol_for(got: Any) -> float:
    if isinstance(got, np.ndarray) and got.dtype == np.float32:
        return ATOL_FLOAT32
    return ATOL_FLOAT64


def _is_value_problem(got: Any, expected: np.ndarray) -> bool:
    return (
        isinstance(got, np.ndarray)
        and got.shape == expected.shape
        and got.dtype in (np.float32, np.float64)
        and bool(np.isfinite(got.astype(np.float64))[np.isfinite(expected)].all())
    )


def _matches(got: np.ndarray, other: np.ndarray, mask: np.ndarray | None = None) -> bool:
    g, o = got.astype(np.float64), other.astype(np.float64)
    if mask is not None:
        if not mask.any():
            return False
        g, o = g[mask], o[mask]
    return bool(np.allclose(g, o, rtol=1e-5, atol=1e-9))


def _overflow_note(raw: list[tuple[str, str]], stable: str) -> list[str]:
    """Turn the warnings NumPy raised into at most a few friendly notes."""
    notes: list[str] = []
    seen: set[str] = set()
    for text, call in raw:
        if "underflow" in text or text in seen:
            continue  # underflow to 0 is harmless and expected for extreme inputs
        seen.add(text)
        if "overflow" in text:
            notes.append(
                f"NumPy warned about an overflow ({text}) when it ran {call}. Your values "
                f"were still correct, so the check passes, but an intermediate result was "
                f"inf. {stable}"
            )
        elif text.startswith("RuntimeWarning"):
            notes.append(
                f"NumPy warned ({text}) when it ran {call}. Your values were still correct "
                f"(the nan or inf was discarded), so the check passes. {stable}"
            )
        else:
            notes.append(f"Python warned while running {call}: {text}")
    return notes


def _run_cases(
    fn: Any,
    cases: Sequence[_Case],
    reference: Callable[..., np.ndarray],
    *,
    extra_args: Callable[[int], tuple[Any, ...]] = lambda i: (),
    diagnose: Callable[..., str],
    reduce_fix: str,
    raw_warnings: list[tuple[str, str]],
) -> int:
    """Call the learner on every case; raise :class:`Fail` on the first problem."""
    name = _name(fn)
    checked = 0
    for i, case in enumerate(cases):
        args = extra_args(i)
        call = f"{name}({', '.join([describe(case.x), *map(repr, args)])})"
        caught: list[str] = []
        got = call_learner(fn, case.x, *args, warnings_out=caught)
        raw_warnings.extend((text, call) for text in caught)
        expected = reference(case.x, *args)
        _check_kind(got, case.x, call, reduce_fix)
        try:
            compare_arrays(
                got, expected, inputs=case.x, call=call, rtol=RTOL, atol=_atol_for(got),
                hint_nonfinite=case.hint_nonfinite,
            )
        except Fail as exc:
            if not _is_value_problem(got, expected):
                raise
            advice = diagnose(fn, case.x, got, expected, *args)
            raise Fail(f"{exc} {advice}".strip()) from None
        checked += case.x.size
    return checked


# --- diagnoses of common mistakes (called only when values are wrong) ------------------------


def _diagnose_relu(fn: Any, x: np.ndarray, got: np.ndarray, expected: np.ndarray) -> str:
    neg, pos = x < 0, x > 0
    if _matches(got, x, neg):
        return "Negative inputs came back unchanged: ReLU must turn every x < 0 into 0."
    if _matches(got, -x, neg):
        return "Negative inputs came back as -x (like np.abs): ReLU turns every x < 0 into 0."
    if neg.any() and not _matches(got, expected, neg):
        ratio = got[neg].astype(np.float64) / x[neg]
        if np.allclose(ratio, ratio.flat[0]) and 0 < ratio.flat[0] < 1:
            return (
                f"For x < 0 you return {ratio.flat[0]:.3g}·x: that is Leaky ReLU. Plain ReLU "
                "gives exactly 0 for x < 0; use np.maximum(x, 0.0)."
            )
        return "For x < 0, ReLU must return exactly 0; use np.maximum(x, 0.0)."
    if pos.any() and not _matches(got, expected, pos):
        return "For x > 0, ReLU returns x itself; use np.maximum(x, 0.0)."
    return "ReLU(x) = max(0, x) element by element: np.maximum(x, 0.0)."


def _diagnose_sigmoid(fn: Any, x: np.ndarray, got: np.ndarray, expected: np.ndarray) -> str:
    if _matches(got, _sigmoid(-x)):
        return (
            "Your values are sigmoid(-x): check the sign of the exponent. "
            "σ(x) = 1 / (1 + e^(-x)), so σ(2) is about 0.88, above 0.5."
        )
    if _matches(got, np.tanh(x)):
        return "Those are tanh values (range -1 to 1); the sigmoid is 1 / (1 + e^(-x))."
    if _matches(got, 0.5 * (1.0 + np.tanh(x))):
        return "0.5 * (1 + tanh(x)) is σ(2x); the identity is σ(x) = 0.5 * (1 + tanh(x / 2))."
    return "σ(x) = 1 / (1 + e^(-x)): σ(0) = 0.5, and σ(-x) = 1 - σ(x)."


def _diagnose_tanh(fn: Any, x: np.ndarray, got: np.ndarray, expected: np.ndarray) -> str:
    if _matches(got, np.tanh(x / 2.0)):
        return (
            "Your values are tanh(x / 2), which is 2σ(x) - 1. The identity needs 2x inside: "
            "tanh(x) = 2σ(2x) - 1."
        )
    if _matches(got, _sigmoid(x)) or _matches(got, _sigmoid(2.0 * x)):
        return (
            "Those are sigmoid values (range 0 to 1); tanh has range -1 to 1: "
            "tanh(x) = 2σ(2x) - 1."
        )
    if _matches(got, np.clip(x, -1.0, 1.0)):
        return "Clipping to [-1, 1] is 'hard tanh'; tanh is smooth: tanh(0.5) is about 0.4621."
    return "tanh(x) = (e^x - e^(-x)) / (e^x + e^(-x)); tanh(0) = 0 and tanh(-x) = -tanh(x)."


def _diagnose_leaky(
    fn: Any, x: np.ndarray, got: np.ndarray, expected: np.ndarray, alpha: float
) -> str:
    neg, pos = x < 0, x > 0
    if neg.any() and not _matches(got, expected, neg):
        if _matches(got, x, neg):
            return (
                "For x < 0 you return x unchanged (np.minimum(alpha * x, x) does that); "
                "Leaky ReLU returns alpha·x there: np.where(x > 0, x, alpha * x)."
            )
        if _matches(got, np.zeros_like(got), neg):
            return "For x < 0 you return 0 (plain ReLU); Leaky ReLU returns alpha·x there."
        other = 0.5 if abs(alpha - 0.5) > 1e-9 else 0.25
        try:
            again = call_learner(fn, x, other)
        except (Fail, LearnerError, NotAttempted):
            again = None
        if isinstance(again, np.ndarray) and again.shape == got.shape and _matches(
            again, got, neg
        ):
            return (
                f"Your result for x < 0 is the same with alpha={alpha!r} and alpha={other!r}: "
                "the function ignores its alpha argument. Multiply the negative inputs by "
                "the alpha you are given, not by a fixed number."
            )
        return f"For x < 0, Leaky ReLU returns alpha·x (here {alpha!r}·x)."
    if pos.any() and not _matches(got, expected, pos):
        if _matches(got, alpha * x, pos):
            return (
                "For x > 0 you return alpha·x: np.minimum picks the smaller of alpha·x and x. "
                "Use np.maximum(alpha * x, x) (valid for 0 < alpha < 1) or "
                "np.where(x > 0, x, alpha * x)."
            )
        return "For x > 0, Leaky ReLU returns x itself: np.where(x > 0, x, alpha * x)."
    return "Leaky ReLU is x for x > 0 and alpha·x otherwise: np.where(x > 0, x, alpha * x)."


def _diagnose_softmax(fn: Any, x: np.ndarray, got: np.ndarray, expected: np.ndarray) -> str:
    g = got.astype(np.float64)
    sums = g.sum(axis=-1)
    if not np.allclose(sums, 1.0, rtol=1e-6, atol=1e-9):
        where = "" if g.ndim == 1 else f"row {int(np.argmax(np.abs(sums - 1.0)))} of "
        bad = float(sums.flat[int(np.argmax(np.abs(sums - 1.0)))])
        if g.ndim == 2 and np.allclose(g.sum(axis=0), 1.0):
            return (
                f"Each row must sum to 1, but {where}your result sums to {bad:.6g}: you "
                "normalised over axis 0 (down the columns). Softmax runs over the last "
                "axis: use np.sum(e, axis=-1, keepdims=True)."
            )
        if g.ndim == 2 and np.isclose(g.sum(), 1.0):
            return (
                f"Each row must sum to 1, but {where}your result sums to {bad:.6g}: you "
                "normalised over the whole array. Divide each row by its own sum: "
                "np.sum(e, axis=-1, keepdims=True)."
            )
        return (
            f"Probabilities must sum to 1 along the last axis, but {where}your result sums "
            f"to {bad:.6g}. Divide np.exp(z) by np.sum(np.exp(z), axis=-1, keepdims=True)."
        )
    with np.errstate(all="ignore"):
        norm = x / x.sum(axis=-1, keepdims=True)
    if _matches(got, norm):
        return "You divided the logits by their sum; softmax exponentiates first: np.exp(z)."
    if (g < 0).any():
        return "Probabilities cannot be negative: did you return log-probabilities?"
    return (
        "softmax(z)_i = exp(z_i) / Σ_j exp(z_j), with the sum over every class j along the "
        "last axis."
    )


# --- the five checkers -------------------------------------------------------------------------


def _elementwise_checker(
    reference: Callable[[np.ndarray], np.ndarray],
    diagnose: Callable[..., str],
    *,
    title: str,
    hint_extreme: str,
    stable: str,
    reduce_fix: str,
) -> Callable[..., str]:
    def check(fn: Any, *, notes: list[str]) -> str:
        _require_arity(fn, "f(x) with one array", 1, f"def {_name(fn)}(x):")
        raw: list[tuple[str, str]] = []
        n = _run_cases(
            fn, _elementwise_cases(hint_extreme), reference,
            diagnose=diagnose, reduce_fix=reduce_fix, raw_warnings=raw,
        )
        notes.extend(_overflow_note(raw, stable))
        return (
            f"{_name(fn)} matches {title} on {n} values: 1-D and 2-D arrays, and extreme "
            "inputs up to ±1000."
        )

    return check


_RELU_FIX = "Use the element-wise np.maximum(x, 0.0); np.max(x, 0) reduces along an axis."

_check_relu = _elementwise_checker(
    _relu, _diagnose_relu, title="ReLU",
    hint_extreme="ReLU never needs np.exp: np.maximum(x, 0.0) is exact for every input.",
    stable="np.maximum(x, 0.0) needs no exponentials at all.",
    reduce_fix=_RELU_FIX,
)

_check_sigmoid = _elementwise_checker(
    _sigmoid, _diagnose_sigmoid, title="the sigmoid",
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

_check_tanh = _elementwise_checker(
    _tanh, _diagnose_tanh, title="tanh",
    hint_extreme=(
        "The textbook formula (e^x - e^(-x)) / (e^x + e^(-x)) overflows: for |x| near 1000, "
        "np.exp gives inf and inf / inf is nan. Use a stable form: np.tanh(x), or "
        "e = np.exp(-2 * np.abs(x)); np.sign(x) * (1 - e) / (1 + e), which only ever "
        "exponentiates numbers ≤ 0."
    ),
    stable=(
        "A form that never overflows: e = np.exp(-2 * np.abs(x)); np.sign(x) * (1 - e) / (1 + e)."
    ),
    reduce_fix="Apply the formula element by element, for example with np.exp and np.sign.",
)


def _check_leaky_relu(fn: Any, *, notes: list[str]) -> str:
    _require_arity(
        fn, "f(x, alpha) with two positional arguments", 2, f"def {_name(fn)}(x, alpha):"
    )
    cases = _elementwise_cases(
        "Leaky ReLU needs no exponentials: np.where(x > 0, x, alpha * x) is exact for every input."
    )
    raw: list[tuple[str, str]] = []
    n = _run_cases(
        fn, cases, _leaky_relu,
        extra_args=lambda i: (LEAKY_ALPHAS[i % len(LEAKY_ALPHAS)],),
        diagnose=_diagnose_leaky,
        reduce_fix="Use element-wise operations: np.where(x > 0, x, alpha * x).",
        raw_warnings=raw,
    )
    notes.extend(_overflow_note(raw, "np.where(x > 0, x, alpha * x) needs no exponentials."))
    alphas = ", ".join(map(str, LEAKY_ALPHAS))
    return (
        f"{_name(fn)} matches Leaky ReLU on {n} values, 1-D and 2-D, including ±1000, "
        f"with alpha = {alphas}."
    )


def _check_softmax(fn: Any, *, notes: list[str]) -> str:
    _require_arity(fn, "f(logits) with one array", 1, f"def {_name(fn)}(logits):")
    raw: list[tuple[str, str]] = []
    n = _run_cases(
        fn, _softmax_cases(), _softmax,
        diagnose=_diagnose_softmax,
        reduce_fix=(
            "Keep the shape: divide by np.sum(e, axis=-1, keepdims=True) rather than "
            "returning the sum itself."
        ),
        raw_warnings=raw,
    )
    notes.extend(_overflow_note(
        raw, "Subtract np.max(logits, axis=-1, keepdims=True) before np.exp to avoid it."
    ))
    return (
        f"{_name(fn)} matches softmax over the last axis on {n} values: 1-D and 2-D logits, "
        "including rows near +1000 and -1000."
    )


# --- the exercise objects ------------------------------------------------------------------------

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
)
