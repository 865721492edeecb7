r"""The checking kit: call the learner's code safely and compare what it returns.

Every checker is built from these pieces, so that every exercise treats the
learner's code the same way: :func:`call_learner` calls it (copying NumPy
arguments and reporting in-place changes, collecting warnings, and turning
its exceptions into the ``error`` outcome); :func:`compare_arrays` checks an
array's type, shape, dtype and values in that order and names the first
problem; :func:`require_dict` checks that a dict came back; :func:`describe`
shows a value in a message without printing a whole array.

Example:

>>> x = np.array([-1.0, 2.0])
>>> got = call_learner(lambda v: np.maximum(v, 0.0), x)
>>> compare_arrays(got, np.array([0.0, 2.0]), inputs=x)  # no Fail: a match
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from acttutor.exercises.outcomes import Fail, LearnerError, NotAttempted

__all__ = ["call_learner", "compare_arrays", "describe", "is_placeholder",
           "require_dict"]


def is_placeholder(answer: object) -> bool:
    """Whether ``answer`` is the untouched placeholder: ``None`` or ``...``.

    Example:

    >>> is_placeholder(...), is_placeholder(abs)
    (True, False)

    Args:
        answer: What the learner passed to ``check``.

    Returns:
        True for ``None`` and ``Ellipsis``.
    """
    return answer is None or answer is Ellipsis


def describe(value: object, max_items: int = 6) -> str:
    """A short, readable description of an input or output for a message.

    Never prints a whole array: long arrays are cut to their first items and
    their shape and dtype.

    Example:

    >>> describe(np.array([1.0, 2.0]))
    'array([1., 2.])'

    Args:
        value: Any value.
        max_items: How many elements of an array to show.

    Returns:
        A one-line description.
    """
    if isinstance(value, np.ndarray):
        if value.size <= max_items:
            text = np.array2string(value, precision=6, separator=", ", suppress_small=False)
            return f"array({' '.join(text.split())})"
        head = np.array2string(value.ravel()[:max_items], precision=4, separator=", ")
        return f"array of shape {value.shape} and dtype {value.dtype}, starting {head[:-1]}, ...]"
    if hasattr(value, "numpy") and hasattr(value, "shape") and hasattr(value, "dtype"):
        return f"tf.Tensor of shape {tuple(value.shape)} and dtype {value.dtype.name}"
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)
    return True


def call_learner(
    fn: Callable[..., Any],
    *args: Any,
    name: str = "your function",
    check_mutation: bool = True,
    warnings_out: list[str] | None = None,
) -> Any:
    """Call the learner's function safely.

    * A placeholder (``None``/``...``) or ``NotImplementedError`` raises :class:`NotAttempted`.
    * A non-callable raises :class:`Fail`.
    * Any other exception raises :class:`LearnerError`, which ``check`` reports as ``error``
      with the input that caused it.
    * NumPy arguments are passed as copies; if the learner's function changes them in place,
      :class:`Fail` says so.
    * Warnings the call raises (for example NumPy overflow) are appended to ``warnings_out``.

    Example:

    >>> call_learner(lambda x: 2 * x, np.array([1.0, 2.0]))
    array([2., 4.])

    Args:
        fn: The learner's function.
        *args: The arguments to call it with.
        name: How to name the function in messages.
        check_mutation: Whether to report in-place changes to NumPy arguments.
        warnings_out: A list that collects the text of warnings raised during the call.

    Returns:
        Whatever the learner's function returned.
    """
    if is_placeholder(fn):
        raise NotAttempted
    if not callable(fn):
        raise Fail(
            f"Expected a function, but got {type(fn).__name__} ({describe(fn)}). "
            "Pass the function itself, without calling it: check(my_function), "
            "not check(my_function(x))."
        )
    passed = [copy.deepcopy(a) if isinstance(a, np.ndarray) else a for a in args]
    call = f"{getattr(fn, '__name__', name)}({', '.join(describe(a) for a in args)})"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with np.errstate(all="warn"):
                out = fn(*passed)
        except NotImplementedError as exc:
            raise NotAttempted from exc
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # the learner's bug, reported not raised
            raise LearnerError(exc, call) from exc
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
    """Check type, then shape, then dtype, then values; raise :class:`Fail` on the first problem.

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
        raise Fail(
            f"{call} returned None. Did you forget the `return` statement?"
        )
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
        raise Fail(
            f"{call} returned dtype {got.dtype}; expected a float dtype (float32 or float64). "
            "Avoid integer literals that force an integer result, or use .astype(np.float64)."
        )
    exp = expected.astype(np.float64)
    g = got.astype(np.float64)
    bad_nonfinite = np.isfinite(exp) & ~np.isfinite(g)
    if bad_nonfinite.any():
        i = tuple(int(k) for k in np.argwhere(bad_nonfinite)[0])
        raise Fail(
            f"{call} returned {g[i]} at index {i} (input {_num(inputs[i])}), where the correct "
            f"value is {exp[i]:.8g}. {hint_nonfinite}".strip()
        )
    close = np.isclose(g, exp, rtol=rtol, atol=atol, equal_nan=True)
    if not close.all():
        err = np.where(close, 0.0, np.abs(g - exp))
        i = tuple(int(k) for k in np.unravel_index(int(np.argmax(err)), err.shape))
        n_bad = int((~close).sum())
        raise Fail(
            f"{call}: wrong value at index {i}: input {_num(inputs[i])}, expected {exp[i]:.8g}, "
            f"got {g[i]:.8g} ({n_bad} of {g.size} values differ)."
        )


def require_dict(got: Any, call: str, *, keys: str, values: str) -> dict:
    """Raise :class:`Fail` unless the learner returned a dict; return it otherwise.

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
        raise Fail(f"{call} returned a {type(got).__name__}; return a dict that maps each "
                   f"{keys}'s name (layer.name) to its {values}.")
    short = values.split()[-1]
    raise Fail(f"{call} returned {describe(got)}; expected a dict {{layer.name: {short}}}.")


def _num(value: Any) -> str:
    try:
        return f"{float(value):.8g}"
    except (TypeError, ValueError):
        return repr(value)


