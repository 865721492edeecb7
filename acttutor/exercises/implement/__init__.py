r"""The implement-it-yourself exercises: ReLU, sigmoid, tanh, Leaky ReLU and softmax in NumPy.

Each exercise lives in a module of this package named after its chapter
(``implement_relu`` in ``acttutor/exercises/implement/relu.py``, checked in
``book/relu.ipynb``). Its checker
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

>>> [case.x.shape for case in elementwise_cases("")][:2]
[(6,), (2, 3)]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from acttutor.exercises.kit import (
    call_learner,
    compare_arrays,
    describe,
    learner_name,
    require_arity,
)
from acttutor.exercises.outcomes import Fail
from acttutor.exercises.references import NP

__all__ = ["ATOL_FLOAT32", "ATOL_FLOAT64", "NEAR_ZERO", "RTOL", "SEED", "Case", "elementwise_cases",
           "elementwise_checker", "matches", "overflow_notes", "run_cases", "threshold_advice"]

#: Relative tolerance between the learner's values and the reference.
RTOL = 1e-6
#: Absolute floor near 0 for float64 results.
ATOL_FLOAT64 = 1e-10
#: Absolute floor near 0 for float32 results (about one float32 rounding step near 1).
ATOL_FLOAT32 = 1e-7

#: The seed of the random test inputs.
SEED = 20240607
#: Inputs just either side of 0, where a threshold in the wrong place shows (``x > 0.1``).
NEAR_ZERO: np.ndarray = np.array([-0.05, -1e-3, -1e-6, -1e-9, 0.0, 1e-9, 1e-6, 1e-3, 0.05])


@dataclass(frozen=True)
class Case:
    """One input the checker tries, with advice for NaN/inf results on it.

    Example:

    >>> Case(np.array([1000.0]), "Use a stable form.").hint_nonfinite
    'Use a stable form.'

    Args:
        x: The input array.
        hint_nonfinite: Advice shown when the learner returns NaN or inf on it.
    """

    x: np.ndarray
    hint_nonfinite: str = ""


def elementwise_cases(hint_extreme: str) -> list[Case]:
    """The inputs of an element-wise exercise: 1-D, 2-D, near 0, extreme and random arrays.

    Example:

    >>> len(elementwise_cases(""))
    7

    Args:
        hint_extreme: Advice for NaN or inf results on the extreme inputs (±1000).

    Returns:
        The cases, in the order the checker tries them.
    """
    rng = np.random.default_rng(SEED)
    return [
        Case(np.array([-3.0, -1.0, -0.25, 0.0, 0.5, 2.0])),
        Case(np.array([[-2.0, -0.1, 0.0], [0.3, 1.5, 4.0]])),
        Case(NEAR_ZERO.copy()),
        Case(np.array([-1000.0, -100.0, -20.0, 20.0, 100.0, 1000.0]), hint_extreme),
        Case(np.array([[1000.0, -1000.0], [-750.0, 750.0]]), hint_extreme),
        Case(rng.normal(0.0, 4.0, size=200)),
        Case(rng.normal(0.0, 4.0, size=(8, 16))),
    ]


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
        and bool(NP.isfinite(NP.asarray(got, dtype=NP.float64))[NP.isfinite(expected)].all())
    )


def matches(got: np.ndarray, other: np.ndarray, mask: np.ndarray | None = None) -> bool:
    """Whether ``got`` equals ``other`` (where ``mask`` holds), loosely: for diagnosing mistakes.

    Example:

    >>> matches(np.array([1.0, 2.0]), np.array([1.0, 3.0]), np.array([True, False]))
    True

    Args:
        got: The learner's values.
        other: Values of a known mistake.
        mask: Where to compare (everywhere by default); an empty mask never matches.

    Returns:
        True when they agree to a relative 1e-5.
    """
    g, o = NP.asarray(got, dtype=NP.float64), NP.asarray(other, dtype=NP.float64)
    if mask is not None:
        if not mask.any():
            return False
        g, o = g[mask], o[mask]
    return bool(NP.allclose(g, o, rtol=1e-5, atol=1e-9))


def threshold_advice(x: np.ndarray, got: np.ndarray, expected: np.ndarray, name: str) -> str:
    """Advice when the values are wrong only just either side of 0: a misplaced threshold.

    Example:

    >>> x = np.array([-1.0, 0.05, 2.0])
    >>> threshold_advice(x, np.where(x > 0.1, x, 0.0), np.maximum(x, 0.0), "ReLU")[:40]
    'For small positive inputs such as x = 0.'

    Args:
        x: The input.
        got: The learner's values.
        expected: The correct values.
        name: The activation's name, for the message.

    Returns:
        The advice, or ``""`` when the wrong values are not all near 0.
    """
    g = NP.asarray(got, dtype=NP.float64)
    wrong = ~NP.isclose(g, expected, rtol=RTOL, atol=ATOL_FLOAT64)
    if not wrong.any() or not NP.all(NP.abs(x[wrong]) < 1.0):
        return ""
    err = NP.where(wrong, NP.abs(g - expected), 0.0)
    i = tuple(int(k) for k in NP.unravel_index(int(NP.argmax(err)), err.shape))
    side = "positive" if x[i] > 0 else "negative"
    return (
        f"For small {side} inputs such as x = {x[i]:g} you return {g[i]:.6g} instead of "
        f"{expected[i]:.6g}: {name} switches at exactly 0 (compare x > 0), not at a "
        "threshold near it."
    )


def overflow_notes(raw: list[tuple[str, str]], stable: str) -> list[str]:
    """Turn the warnings NumPy raised into at most a few friendly notes.

    Example:

    >>> overflow_notes([("RuntimeWarning: overflow encountered in exp", "f(x)")], "Shift.")[0][:33]
    'NumPy warned about an overflow (R'

    Args:
        raw: ``(warning text, call)`` pairs collected while calling the learner.
        stable: Advice on a form that does not warn.

    Returns:
        One note per distinct warning (underflows are left out).
    """
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


def run_cases(
    fn: Any,
    cases: Sequence[Case],
    reference: Callable[..., np.ndarray],
    *,
    extra_args: Callable[[int], tuple[Any, ...]] = lambda i: (),
    params: Sequence[str] = ("x",),
    diagnose: Callable[..., str],
    reduce_fix: str,
    raw_warnings: list[tuple[str, str]],
    notes: list[str] | None = None,
    forbid: Sequence[str] = (),
    forbid_fix: str = "",
) -> int:
    """Call the learner on every case; raise ``Fail`` on the first problem.

    ``Fail`` is :class:`~acttutor.exercises.outcomes.Fail`.

    Example:

    >>> run_cases(np.abs, [Case(np.array([-1.0, 2.0]))], np.abs, diagnose=lambda *a: "",
    ...           reduce_fix="", raw_warnings=[])
    2

    Args:
        fn: The learner's function.
        cases: The inputs to try.
        reference: Computes the correct output from a case's input (and the extra arguments).
        extra_args: The extra arguments for case ``i`` (such as Leaky ReLU's alpha).
        params: The names of the arguments, for a message about the function's signature.
        diagnose: Explains wrong values: ``diagnose(fn, x, got, expected, *args)``.
        reduce_fix: Advice when a single number comes back.
        raw_warnings: Collects ``(warning text, call)`` pairs.
        notes: Collects remarks for the learner.
        forbid: Functions the learner's code may not call (see
            :func:`~acttutor.exercises.kit.call_learner`).
        forbid_fix: What to do instead of calling a forbidden function.

    Returns:
        How many values were checked.
    """
    name = learner_name(fn)
    checked = 0
    for i, case in enumerate(cases):
        args = extra_args(i)
        call = f"{name}({', '.join([describe(case.x, max_items=10), *map(repr, args)])})"
        caught: list[str] = []
        got = call_learner(fn, case.x, *args, call=call, params=params, warnings_out=caught,
                           notes=notes, forbid=forbid, forbid_fix=forbid_fix)
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


def elementwise_checker(
    reference: Callable[[np.ndarray], np.ndarray],
    diagnose: Callable[..., str],
    *,
    title: str,
    hint_extreme: str,
    stable: str,
    reduce_fix: str,
    forbid: Sequence[str] = (),
    forbid_fix: str = "",
) -> Callable[..., str]:
    """A checking function for an element-wise activation ``f(x)``.

    Example:

    >>> check = elementwise_checker(np.abs, lambda *a: "", title="abs", hint_extreme="",
    ...                             stable="", reduce_fix="")
    >>> check(abs, notes=[])[:19]
    'abs matches abs on '

    Args:
        reference: The correct function.
        diagnose: Explains wrong values.
        title: The activation's name in the success message.
        hint_extreme: Advice for NaN or inf on the extreme inputs.
        stable: Advice on a form that does not overflow.
        reduce_fix: Advice when a single number comes back.
        forbid: Functions the learner's code may not call.
        forbid_fix: What to do instead of calling one.

    Returns:
        ``check(fn, *, notes)``, for :class:`~acttutor.exercises.core.Exercise`.
    """

    def check(fn: Any, *, notes: list[str]) -> str:
        require_arity(fn, ["x"])
        raw: list[tuple[str, str]] = []
        n = run_cases(
            fn, elementwise_cases(hint_extreme), reference,
            diagnose=diagnose, reduce_fix=reduce_fix, raw_warnings=raw, notes=notes,
            forbid=forbid, forbid_fix=forbid_fix,
        )
        notes.extend(overflow_notes(raw, stable))
        return (
            f"{learner_name(fn)} matches {title} on {n} values: 1-D and 2-D arrays, and extreme "
            "inputs up to ±1000."
        )

    return check


