r"""The exercise framework: ``check``, ``hint`` and ``solution`` for every exercise.

An :class:`Exercise` holds a checking function, hints and the source of a
reference solution. Its :meth:`Exercise.check` calls the learner's answer
and turns every outcome into a :class:`CheckResult`; it never raises (unless
``ACTTUTOR_STRICT=1``, which the test-suite uses to run the exercises with
their solutions filled in).

A checking function receives the learner's answer and signals problems by
raising :class:`Fail` (the answer is wrong). The learner's code is called
through :func:`call_learner`, which turns the learner's own exceptions into
the ``error`` or ``not_attempted`` outcome and reports in-place mutation.
Any other exception escaping the checking function is a bug in acttutor and
becomes ``checker_error``.

Example:

>>> def _check(f, *, notes):
...     got = call_learner(f, np.array([-1.0, 2.0]))
...     compare_arrays(got, np.array([0.0, 2.0]), inputs=np.array([-1.0, 2.0]))
>>> ex = Exercise("demo", "ReLU", _check, hints=["Use np.maximum."],
...               solution_code="def f(x):\\n    return np.maximum(x, 0.0)\\n", answer_name="f")
>>> ex.check(lambda x: np.maximum(x, 0.0)).status
'passed'
"""

from __future__ import annotations

import copy
import html
import inspect
import os
import re
import textwrap
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

__all__ = [
    "CheckResult",
    "Exercise",
    "Fail",
    "LearnerError",
    "NotAttempted",
    "Snippet",
    "call_learner",
    "compare_arrays",
    "describe",
    "is_placeholder",
    "require_dict",
]

Status = Literal["passed", "failed", "not_attempted", "error", "checker_error"]

_ICONS: dict[str, str] = {
    "passed": "✅",
    "failed": "❌",
    "not_attempted": "✏️",
    "error": "💥",
    "checker_error": "⚠️",
}
_HEADINGS: dict[str, str] = {
    "passed": "Correct",
    "failed": "Not yet",
    "not_attempted": "Not attempted yet",
    "error": "Your code raised an exception",
    "checker_error": "The checker itself failed (not your fault)",
}
_COLOURS: dict[str, str] = {
    "passed": "#009E73",
    "failed": "#D55E00",
    "not_attempted": "#0072B2",
    "error": "#D55E00",
    "checker_error": "#CC79A7",
}


class Fail(Exception):
    """Raised inside a checking function: the learner's answer is wrong.

    Args:
        message: Plain text naming one problem, with a small counterexample and the fix.
    """


class NotAttempted(Exception):
    """Raised when the learner's code is still a placeholder."""


class LearnerError(Exception):
    """The learner's code raised an exception.

    Args:
        exc: The exception the learner's code raised.
        call: A short description of the call that raised, such as ``f(array([1.0]))``.
    """

    def __init__(self, exc: BaseException, call: str) -> None:
        super().__init__(f"{type(exc).__name__}: {exc}")
        self.exc = exc
        self.call = call


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one ``check``.

    Example:

    >>> r = CheckResult("failed", "Expected 0.0 at x=-1.0, got -1.0.", exercise="implement_relu")
    >>> r.passed
    False

    Args:
        status: One of ``"passed"``, ``"failed"``, ``"not_attempted"``, ``"error"``,
            ``"checker_error"``.
        message: Plain text: what is wrong and what to change (or a confirmation).
        exercise: The exercise's name.
        notes: Extra remarks that do not change the outcome (for example an overflow warning).
    """

    status: Status
    message: str
    exercise: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        """Whether the answer is correct."""
        return self.status == "passed"

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        lines = [f"{_ICONS[self.status]} {_HEADINGS[self.status]}: {self.message}"]
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        body = html.escape(self.message).replace("\n", "  \n")
        notes = "".join(f"\n\n*Note:* {html.escape(n)}" for n in self.notes)
        return f"**{_ICONS[self.status]} {_HEADINGS[self.status]}** — {body}{notes}"

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.status]
        body = html.escape(self.message)
        notes = "".join(f"<p><em>Note:</em> {html.escape(n)}</p>" for n in self.notes)
        return (
            f'<div class="acttutor-check acttutor-{self.status}" '
            f'style="border-left:4px solid {colour};padding:0.4em 0.8em;margin:0.4em 0">'
            f'<strong>{_ICONS[self.status]} {_HEADINGS[self.status]}</strong>'
            f'<pre style="white-space:pre-wrap;margin:0.3em 0 0 0;background:none;border:none">'
            f"{body}</pre>{notes}</div>"
        )


class Snippet(str):
    """Text shown as Markdown in a notebook (a hint), or as highlighted code (a solution).

    It is a ``str``, so it can be printed, compared and searched.

    Example:

    >>> print(Snippet("Use np.maximum.", "hint", "Hint 1 of 2")._repr_markdown_())
    **Hint 1 of 2**
    <BLANKLINE>
    Use np.maximum.

    Args:
        text: The hint or the code.
        kind: ``"hint"``, ``"code"`` or ``"note"``.
        heading: A short heading shown above it.
    """

    kind: str
    heading: str

    def __new__(cls, text: str, kind: str = "hint", heading: str = "") -> Snippet:
        """Create the snippet."""
        obj = super().__new__(cls, text)
        obj.kind = kind
        obj.heading = heading
        return obj

    def _repr_markdown_(self) -> str:
        head = f"**{self.heading}**\n\n" if self.heading else ""
        if self.kind == "code":
            return f"{head}```python\n{self}\n```"
        return f"{head}{self}"

    def _repr_html_(self) -> str:
        head = f"<p><strong>{html.escape(self.heading)}</strong></p>" if self.heading else ""
        if self.kind != "code":
            text = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(str(self)))
            return f"{head}<p>{text}</p>"
        try:
            from pygments import highlight
            from pygments.formatters import HtmlFormatter
            from pygments.lexers import PythonLexer

            code = highlight(str(self), PythonLexer(), HtmlFormatter(cssclass="highlight"))
        except ImportError:  # pragma: no cover - pygments ships with IPython
            code = f"<pre>{html.escape(str(self))}</pre>"
        return f'{head}<div class="highlight-python notranslate">{code}</div>'


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


_LIBRARY_DIRS = tuple(
    os.path.normcase(os.path.abspath(p))
    for p in {
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))),  # acttutor itself
        os.path.dirname(os.__file__),  # the standard library
    }
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


def _learner_frame(exc: BaseException) -> traceback.FrameSummary | None:
    """The innermost traceback frame in the learner's own code (not a library's).

    An exception raised deep inside TensorFlow or NumPy is reported at the
    learner's line that called into the library, which is the line to fix.
    """
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    for frame in reversed(frames):
        path = os.path.normcase(os.path.abspath(frame.filename))
        in_library = "site-packages" in path or "dist-packages" in path or any(
            path.startswith(d + os.sep) for d in _LIBRARY_DIRS
        )
        if not in_library:
            return frame
    return frames[-1] if frames else None


def _count(n: int, noun: str) -> str:
    return f"is only 1 {noun}" if n == 1 else f"are only {n} {noun}s"


def _num(value: Any) -> str:
    try:
        return f"{float(value):.8g}"
    except (TypeError, ValueError):
        return repr(value)


CheckFn = Callable[..., "str | None"]


class Exercise:
    r"""One exercise: a checker, hints and a reference solution.

    Example:

    >>> ex = Exercise("demo", "Double it", lambda f, *, notes: None, hints=["Multiply by 2."],
    ...               solution_code="def f(x):\\n    return 2 * x\\n", answer_name="f")
    >>> ex.hint()
    'Multiply by 2.'

    Args:
        name: The exercise's identifier, such as ``"implement_relu"`` or ``"ex3"``.
        title: A short title for messages.
        check_fn: ``check_fn(answer, *, notes, **options)``. It raises :class:`Fail` for a
            wrong answer and may return a success message (or ``None`` for a default one).
            ``notes`` is a list it may append remarks to (shown even on success); its other
            keyword-only parameters are the options a learner may pass to ``check``.
        hints: Hints, from gentlest to most explicit.
        solution_code: The source of a complete reference solution cell.
        answer_name: The name the solution code defines, which is passed to ``check``.
    """

    def __init__(
        self,
        name: str,
        title: str,
        check_fn: CheckFn,
        *,
        hints: Sequence[str],
        solution_code: str,
        answer_name: str,
    ) -> None:
        self.name = name
        self.title = title
        self._check_fn = check_fn
        self.hints = tuple(hints)
        self.solution_code = textwrap.dedent(solution_code).strip() + "\n"
        self.answer_name = answer_name

    def __repr__(self) -> str:
        return f"<Exercise {self.name}: {self.title}>"

    def check(self, answer: Any = None, **kwargs: Any) -> CheckResult:
        """Check the learner's answer; never raises (except in strict mode).

        Args:
            answer: The learner's function or result.
            **kwargs: Extra, exercise-specific arguments (for example ``model=``).

        Returns:
            A :class:`CheckResult` that shows itself in a notebook.
        """
        result = self._run(answer, **kwargs)
        if os.environ.get("ACTTUTOR_STRICT") == "1" and not result.passed:
            raise AssertionError(f"{self.name}: {result}")
        return result

    def _run(self, answer: Any, **kwargs: Any) -> CheckResult:
        notes: list[str] = []
        if is_placeholder(answer):
            return self._result("not_attempted", self._placeholder_message(), notes)
        unknown = sorted(set(kwargs) - self._keywords())
        if unknown:
            allowed = ", ".join(sorted(self._keywords())) or "no keywords"
            return self._result(
                "failed",
                f"{self.name}.check() got an unexpected keyword {unknown[0]!r}; "
                f"it accepts {allowed}.",
                notes,
            )
        try:
            message = self._check_fn(answer, notes=notes, **kwargs)
        except NotAttempted:
            return self._result("not_attempted", self._placeholder_message(), notes)
        except Fail as exc:
            return self._result("failed", str(exc), notes)
        except LearnerError as exc:
            frame = _learner_frame(exc.exc)
            where = f" (line {frame.lineno}: {frame.line})" if frame and frame.line else ""
            return self._result(
                "error",
                f"Calling {exc.call} raised {type(exc.exc).__name__}: {exc.exc}{where}. "
                "Fix the error, then run the check again.",
                notes,
            )
        except Exception as exc:  # a bug in acttutor, never blamed on the learner
            return self._result(
                "checker_error",
                f"The checker for {self.name} crashed with {type(exc).__name__}: {exc}. "
                "This is a bug in acttutor, not in your answer; please report it.",
                notes,
            )
        return self._result("passed", message or f"{self.title}: all checks passed.", notes)

    def _keywords(self) -> set[str]:
        params = inspect.signature(self._check_fn).parameters
        return {
            n for n, p in params.items()
            if p.kind is inspect.Parameter.KEYWORD_ONLY and n != "notes"
        }

    def _placeholder_message(self) -> str:
        return (
            f"Replace the placeholder (`...` or `raise NotImplementedError`) with your "
            f"answer, then run the check again. Stuck? Call {self.name}.hint()."
        )

    def _result(self, status: Status, message: str, notes: list[str]) -> CheckResult:
        return CheckResult(status, message, exercise=self.name, notes=tuple(notes))

    def hint(self, n: int = 1) -> Snippet:
        """Return (and show, as the cell's value) hint number ``n``, starting at 1.

        Args:
            n: Which hint; past the last one, a polite note.

        Returns:
            The hint as a :class:`Snippet`.
        """
        if not isinstance(n, int) or n < 1:
            return Snippet("Hints are numbered from 1: call hint(), hint(2), ...", "note")
        if n > len(self.hints):
            return Snippet(
                f"There {_count(len(self.hints), 'hint')} for {self.name}. "
                f"Call {self.name}.solution() to see a reference solution.",
                "note",
            )
        return Snippet(self.hints[n - 1], "hint", f"Hint {n} of {len(self.hints)}")

    def solution(self) -> Snippet:
        """Return (and show, as highlighted code) a reference solution.

        Returns:
            The solution's source code as a :class:`Snippet`.
        """
        heading = f"A reference solution for {self.name}"
        return Snippet(self.solution_code.rstrip("\n"), "code", heading)

    def reference(self, namespace: dict[str, Any] | None = None) -> Any:
        """Run the solution code and return the answer it defines.

        Args:
            namespace: Globals to run it in (by default, a fresh namespace).

        Returns:
            The object named ``answer_name`` after running the solution.
        """
        ns: dict[str, Any] = {} if namespace is None else namespace
        exec(compile(self.solution_code, f"<{self.name} solution>", "exec"), ns)  # noqa: S102
        return ns[self.answer_name]
