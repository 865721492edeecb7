r"""The checking kit: call the learner's code safely, and compare what comes back.

Every checker is built from these pieces, so that every exercise treats the
learner's code the same way:

* :func:`call_learner` calls it: arity first (a clear message, never a
  ``TypeError`` from the checker's own line), NumPy arguments copied and
  in-place changes reported, warnings collected, library functions the
  learner's code replaced put back, forbidden functions refused, and every
  exception turned into the ``error`` outcome with the input that caused it;
* :func:`compare_arrays` checks an array's type, shape, dtype and values, in
  that order, and names the first problem with one small counterexample;
* :func:`require_dict`, :func:`require_arity`, :func:`is_number` and
  :func:`close` are the small checks the exercises share;
* :mod:`~acttutor.exercises.words` words values, functions and time-outs for
  messages (``describe``, ``learner_name``, ``too_slow``, also importable from here),
  never printing a whole array.

Example:

>>> x = np.array([-1.0, 2.0])
>>> got = call_learner(lambda v: np.maximum(v, 0.0), x)
>>> compare_arrays(got, np.array([0.0, 2.0]), inputs=x)  # no Fail: a match
"""

from __future__ import annotations

import copy
import functools
import inspect
import types
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from acttutor.exercises import guard, timelimit
from acttutor.exercises.outcomes import Fail, LearnerError
from acttutor.exercises.references import NP
from acttutor.exercises.words import _num, describe, learner_name, plural, too_slow

__all__ = [
    "call_learner",
    "close",
    "compare_arrays",
    "is_number",
    "is_placeholder",
    "require_arity",
    "require_dict",
]


# --------------------------------------------------------------------------- the placeholder


def is_placeholder(answer: object) -> bool:
    """Whether ``answer`` is the untouched placeholder.

    That is ``None``, ``...``, or a function whose body does nothing but
    ``raise NotImplementedError`` (a docstring, comments and ``pass`` aside).
    An answer that raises ``NotImplementedError`` only sometimes is not a
    placeholder: it has been attempted.

    Example:

    >>> def stub(x):
    ...     raise NotImplementedError("Replace this line with your code.")
    >>> def partly(x):
    ...     if x.ndim == 2:
    ...         raise NotImplementedError
    ...     return x
    >>> is_placeholder(...), is_placeholder(stub), is_placeholder(partly), is_placeholder(abs)
    (True, True, False, False)

    Args:
        answer: What the learner passed to ``check``.

    Returns:
        True for the placeholder.
    """
    if answer is None or answer is Ellipsis:
        return True
    code = _code_of(answer)
    if code is None:
        return False
    nested = any(isinstance(c, types.CodeType) for c in code.co_consts)
    return not nested and set(code.co_names) == {"NotImplementedError"}


def _code_of(fn: object) -> types.CodeType | None:
    """The code object a callable runs: a function's, a method's, or ``__call__``'s."""
    if not callable(fn) or inspect.isclass(fn):
        return None
    while isinstance(fn, functools.partial):
        fn = fn.func
    fn = getattr(fn, "__func__", fn)
    code = getattr(fn, "__code__", None)
    if code is None:
        method = getattr(type(fn), "__call__", None)  # noqa: B004 - the method, not callable()
        code = getattr(method, "__code__", None)
    return code if isinstance(code, types.CodeType) else None


# --------------------------------------------------------------------------- small checks


def is_number(value: object, *, integers: bool = True) -> bool:
    """Whether ``value`` is one real number (Python or NumPy), not a bool or a string.

    Example:

    >>> is_number(0.5), is_number(np.float32(0.5)), is_number(True), is_number("0.5")
    (True, True, False, False)
    >>> is_number(3, integers=False)
    False

    Args:
        value: Anything.
        integers: Whether ints count.

    Returns:
        True for a real number.
    """
    if isinstance(value, (bool, np.bool_)):
        return False
    kinds: tuple[type, ...] = (float, np.floating)
    if integers:
        kinds += (int, np.integer)
    return isinstance(value, kinds)


def close(got: Any, expected: Any, *, rtol: float, atol: float = 0.0) -> bool:
    """Whether ``got`` equals ``expected`` to ``rtol`` (relative) plus ``atol`` (absolute).

    NaN equals NaN here, and shapes must broadcast; anything that cannot be
    compared as numbers is not close.

    Example:

    >>> close(np.array([1.0, 2.0]), np.array([1.0, 2.0000001]), rtol=1e-6)
    True

    Args:
        got: The learner's values.
        expected: The reference values.
        rtol: Relative tolerance.
        atol: Absolute tolerance.

    Returns:
        True when every value is close.
    """
    try:
        return bool(NP.allclose(got, expected, rtol=rtol, atol=atol, equal_nan=True))
    except (TypeError, ValueError):
        return False


def require_arity(fn: Any, params: Sequence[str], *, define: str = "") -> None:
    """Fail with a clear message when ``fn`` cannot be called with ``len(params)`` arguments.

    Example:

    >>> def f(x):
    ...     return x
    >>> try:
    ...     require_arity(f, ["model", "x"])
    ... except Fail as exc:
    ...     print(str(exc).split(". ")[0])
    f(x): your function takes 1 argument; the check calls it with 2 (model, x)

    Args:
        fn: The learner's function.
        params: The names of the arguments the check passes, in order.
        define: The definition line to suggest (by default built from ``params``).

    Returns:
        None when ``fn`` accepts the call (or has no signature to read).
    """
    if not callable(fn):
        return  # call_learner reports non-callables
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):  # some built-ins have no signature: just call them
        return
    try:
        sig.bind(*range(len(params)))
        return
    except TypeError:
        pass
    name = learner_name(fn)
    plist = list(sig.parameters.values())
    positional = [p for p in plist if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is p.empty]
    kw_only = [p.name for p in plist if p.kind is p.KEYWORD_ONLY and p.default is p.empty]
    n = len(params)
    calls = f"the check calls it with {n} ({', '.join(params)})"
    define = define or f"def {name}({', '.join(params)}):"
    if kw_only:
        why = (f"your function needs the keyword-only argument(s) {', '.join(kw_only)}, "
               f"but {calls}, all by position")
    elif len(required) > n:
        why = f"your function needs {plural(len(required), 'argument')}; {calls}"
    else:
        why = f"your function takes {plural(len(positional), 'argument')}; {calls}"
    raise Fail(f"{name}{sig}: {why}. Define it as `{define}`.")


def require_dict(got: Any, call: str, *, keys: str, values: str) -> dict:
    """Raise :class:`~acttutor.exercises.outcomes.Fail` unless a dict came back; return it.

    Example:

    >>> require_dict({"dense": 0.5}, "f(model, x)", keys="Dense layer", values="fraction")
    {'dense': 0.5}

    Args:
        got: What the learner's function returned.
        call: A description of the call, for messages.
        keys: What the keys name, such as ``"ReLU layer"``.
        values: What each value is, such as ``"dead fraction"``.

    Returns:
        ``got``, when it is a dict.
    """
    if got is None:
        raise Fail(f"{call} returned None. Did you forget the `return` statement?")
    if isinstance(got, dict):
        return got
    if isinstance(got, (list, tuple, np.ndarray)):
        raise Fail(f"{call} returned a {type(got).__name__}; return a dict "
                   f"that maps each {keys}'s name (layer.name) to its {values}.")
    short = values.split()[-1]
    raise Fail(f"{call} returned {describe(got)}; expected a dict {{layer.name: {short}}}.")


# --------------------------------------------------------------------------- calling


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)
    return True


def call_learner(
    fn: Callable[..., Any],
    *args: Any,
    call: str | None = None,
    params: Sequence[str] | None = None,
    check_mutation: bool = True,
    warnings_out: list[str] | None = None,
    notes: list[str] | None = None,
    forbid: Sequence[str] = (),
    forbid_fix: str = "",
    budget: float | None = None,
) -> Any:
    """Call the learner's function safely and return what it returned.

    * A non-callable, or a function that cannot take these arguments, raises
      :class:`~acttutor.exercises.outcomes.Fail` with a clear message.
    * Any exception the call raises (``NotImplementedError`` included: the
      untouched placeholder is caught before a check starts) raises
      :class:`~acttutor.exercises.outcomes.LearnerError`, reported as
      ``error`` with the input that caused it.
    * NumPy arguments are passed as copies; if the function changes them in
      place, :class:`~acttutor.exercises.outcomes.Fail` says so.
    * Warnings the call raises (for example NumPy overflow) are appended to
      ``warnings_out``.
    * Library functions the call replaced (``np.exp = ...``) are put back,
      with a note, so they cannot corrupt the checker (see :mod:`~acttutor.exercises.guard`).
    * The functions named in ``forbid`` (``"numpy.tanh"``) refuse to run while
      the learner's code runs; calling one fails the check.
    * A call that runs past its time budget is stopped (see
      :mod:`~acttutor.exercises.timelimit`) and fails the check, naming the input.

    Example:

    >>> call_learner(lambda x: 2 * x, np.array([1.0, 2.0]))
    array([2., 4.])

    Args:
        fn: The learner's function.
        *args: The arguments to call it with.
        call: A short description of the call, for messages (built from the arguments
            by default).
        params: The argument names, for the message when the function cannot take them.
        check_mutation: Whether to report in-place changes to NumPy arguments.
        warnings_out: Collects the text of each warning raised during the call.
        notes: Collects remarks for the learner (a replaced library function).
        forbid: Dotted names of functions the learner's code may not call.
        forbid_fix: What to do instead, added to the message when one is called.
        budget: Seconds the call may take (by default ``timelimit.budget("call")``).

    Returns:
        Whatever the learner's function returned.
    """
    if not callable(fn):
        raise Fail(
            f"Expected a function, but got {type(fn).__name__} ({describe(fn)}). "
            "Pass the function itself, without calling it: check(my_function), "
            "not check(my_function(x))."
        )
    require_arity(fn, params or [f"arg{i + 1}" for i in range(len(args))])
    passed = [copy.deepcopy(a) if isinstance(a, np.ndarray) else a for a in args]
    call = call or f"{learner_name(fn)}({', '.join(describe(a) for a in args)})"
    seconds = timelimit.budget("call") if budget is None else budget
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with timelimit.time_limit(seconds), guard.library_guard(
                    fn, forbid=forbid) as restored, np.errstate(all="warn"):
                out = fn(*passed)
        except timelimit.TimeUp:
            raise Fail(too_slow(call, seconds, args)) from None
        except guard.Forbidden as exc:
            raise Fail(f"{call} calls {exc.name}, which this exercise asks you to write "
                       f"yourself. {forbid_fix}".strip()) from None
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # the learner's bug, reported not raised
            raise LearnerError(exc, call) from exc
    if notes is not None and restored:
        note = guard.restored_note(restored)
        if note not in notes:
            notes.append(note)
    if warnings_out is not None:
        for w in caught:
            text = f"{w.category.__name__}: {w.message}"
            if text not in warnings_out:
                warnings_out.append(text)
    if check_mutation:
        for original, given in zip(args, passed, strict=True):
            if not _same(original, given):
                raise Fail(
                    f"{call} changed its input array in place. Work on a copy "
                    "(for example np.where(...) or x.copy()) instead of assigning into x."
                )
    return out


# --------------------------------------------------------------------------- comparing

_DTYPE_ADVICE = {
    "f": "float16 keeps only about 3 significant digits, too few here: compute in float32 "
         "or float64 and do not cast the result down.",
    "i": "An integer result loses the fractional part: avoid integer-only operations "
         "(such as //, or .astype(int)), or convert with .astype(np.float64).",
    "u": "An integer result loses the fractional part: convert with .astype(np.float64).",
    "b": "A True/False array is the result of a comparison, not the function's value.",
    "c": "A complex result means a square root or log of a negative number went complex; "
         "stay with real numbers.",
    "O": "An object array usually comes from np.array of a list of mixed things; compute "
         "with NumPy operations on the whole array.",
}


def compare_arrays(
    got: Any,
    expected: np.ndarray,
    *,
    inputs: np.ndarray,
    what: str = "your function",
    rtol: float = 1e-6,
    atol: float = 1e-12,
    call: str | None = None,
    hint_nonfinite: str = "",
) -> None:
    """Check type, then shape, then dtype, then values; raise ``Fail`` on the first problem.

    The message names one problem and one small counterexample (input,
    expected, got), never a whole array.

    Example:

    >>> x = np.array([-1.0, 2.0])
    >>> compare_arrays(np.maximum(x, 0.0), np.array([0.0, 2.0]), inputs=x)  # no Fail: a match

    Args:
        got: What the learner's function returned.
        expected: The correct output.
        inputs: The input it was called with (same shape as ``expected``, for the counterexample).
        what: How to name the learner's function.
        rtol: Relative tolerance.
        atol: Absolute tolerance (the floor near 0).
        call: A description of the call, for messages.
        hint_nonfinite: Extra advice when the learner returned NaN or inf.

    Returns:
        None when everything matches.
    """
    call = call or f"{what} on {describe(inputs)}"
    if got is None:
        raise Fail(f"{call} returned None. Did you forget the `return` statement?")
    if not isinstance(got, np.ndarray):
        kind = type(got).__name__
        fix = " Convert it with np.asarray(...)." if hasattr(got, "__array__") else ""
        raise Fail(f"{call} returned a {kind}; expected a NumPy array (np.ndarray).{fix}")
    if got.shape != expected.shape:
        raise Fail(
            f"{call} returned shape {got.shape}; expected {expected.shape}, the same shape "
            "as the input. Work element by element (or along the right axis) and do not "
            "flatten, reduce or transpose."
        )
    if got.dtype not in (np.float32, np.float64):
        advice = _DTYPE_ADVICE.get(got.dtype.kind, "")
        raise Fail(f"{call} returned dtype {got.dtype}; expected a float dtype (float32 or "
                   f"float64). {advice}".strip())
    exp = NP.asarray(expected, dtype=NP.float64)
    g = NP.asarray(got, dtype=NP.float64)
    bad_nonfinite = NP.isfinite(exp) & ~NP.isfinite(g)
    if bad_nonfinite.any():
        i = tuple(int(k) for k in NP.argwhere(bad_nonfinite)[0])
        raise Fail(
            f"{call} returned {g[i]} at index {i} (input {_num(inputs[i])}), where the correct "
            f"value is {exp[i]:.8g}. {hint_nonfinite}".strip()
        )
    ok = NP.isclose(g, exp, rtol=rtol, atol=atol, equal_nan=True)
    if not ok.all():
        err = NP.where(ok, 0.0, NP.abs(g - exp))
        i = tuple(int(k) for k in NP.unravel_index(int(NP.argmax(err)), err.shape))
        n_bad = int((~ok).sum())
        raise Fail(
            f"{call}: wrong value at index {i}: input {_num(inputs[i])}, expected {exp[i]:.8g}, "
            f"got {g[i]:.8g} ({n_bad} of {g.size} values differ)."
        )
