r"""The exercise type and the outcome of a check: ``check``, ``hint`` and ``solution``.

An :class:`Exercise` holds a checking function, hints and the source of a
reference solution. Its :meth:`Exercise.check` calls the checking function
on the learner's answer and turns every outcome into a :class:`CheckResult`;
it never raises (unless ``ACTTUTOR_STRICT=1``, which the test-suite uses to
run the exercises with their solutions filled in).

A checking function receives the learner's answer and signals problems by
raising :class:`~acttutor.exercises.outcomes.Fail` (the answer is wrong). It
calls the learner's code through :func:`~acttutor.exercises.kit.call_learner`,
which turns the learner's own exceptions into the ``error`` outcome and
reports in-place mutation. Any other exception escaping the checking function
is a bug in acttutor and becomes ``checker_error``.

Example:

>>> import numpy as np
>>> from acttutor.exercises.kit import call_learner, compare_arrays
>>> def _check(f, *, notes):
...     got = call_learner(f, np.array([-1.0, 2.0]))
...     compare_arrays(got, np.array([0.0, 2.0]), inputs=np.array([-1.0, 2.0]))
>>> ex = Exercise("demo", "ReLU", _check, hints=["Use np.maximum."],
...               solution_code="def f(x):\\n    return np.maximum(x, 0.0)\\n", answer_name="f")
>>> ex.check(lambda x: np.maximum(x, 0.0)).status
'passed'
"""

from __future__ import annotations

import inspect
import os
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from acttutor.exercises.display import (
    Snippet,
    Solution,
    result_html,
    result_markdown,
    result_text,
)
from acttutor.exercises.guard import replaced_since_import
from acttutor.exercises.kit import (  # noqa: F401 - also importable from here, as before
    call_learner,
    compare_arrays,
    describe,
    is_placeholder,
    require_dict,
)
from acttutor.exercises.outcomes import (  # noqa: F401 - also importable from here
    Fail,
    LearnerError,
    NotAttempted,
    Status,
    learner_frame,
)
from acttutor.exercises.timelimit import TimeUp
from acttutor.progress import record_check, record_hint, record_solution

__all__ = ["CheckResult", "Exercise"]


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
        return result_text(self.status, self.message, self.notes)

    def _repr_markdown_(self) -> str:
        return result_markdown(self.status, self.message, self.notes)

    def _repr_html_(self) -> str:
        return result_html(self.status, self.message, self.notes)


def _count(n: int, noun: str) -> str:
    return f"is only 1 {noun}" if n == 1 else f"are only {n} {noun}s"


def _hint_number(n: object) -> int:
    """``2``, ``2.0`` and ``"2"`` as 2; anything that is not a whole number as 0."""
    if isinstance(n, bool):
        return 0
    if isinstance(n, str):
        n = n.strip()
        return int(n) if n.isdigit() else 0
    if isinstance(n, int):
        return n
    if isinstance(n, float) and n.is_integer():
        return int(n)
    try:  # NumPy integers and the like
        return int(n) if float(n) == int(n) else 0  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return 0


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
        check_fn: ``check_fn(answer, *, notes, **options)``. It raises
            :class:`~acttutor.exercises.outcomes.Fail` for a wrong answer and may return a
            success message (or ``None`` for a default one).
            ``notes`` is a list it may append remarks to (shown even on success); its other
            keyword-only parameters are the options a learner may pass to ``check``.
        hints: Hints, from gentlest to most explicit.
        solution_code: The source of a complete reference solution cell.
        answer_name: The name the solution code defines, which is passed to ``check``.
        notebook: The notebook the exercise is in (``"ex3_custom.ipynb"``), for
            :meth:`finished`.
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
        notebook: str = "",
    ) -> None:
        self.name = name
        self.title = title
        self._check_fn = check_fn
        self.hints = tuple(hints)
        self.solution_code = textwrap.dedent(solution_code).strip() + "\n"
        self.answer_name = answer_name
        self.notebook = notebook

    def __repr__(self) -> str:
        return f"<Exercise {self.name}: {self.title}>"

    def check(self, answer: Any = None, *args: Any, **kwargs: Any) -> CheckResult:
        """Check the learner's answer; never raises (except in strict mode).

        Args:
            answer: The learner's function or result.
            *args: The exercise's options given by position, in the order it lists them
                (``ex3.check(f, model)`` is ``ex3.check(f, model=model)``).
            **kwargs: The exercise's options by name (for example ``model=``).

        Returns:
            A :class:`CheckResult` that shows itself in a notebook.
        """
        result = self._run(answer, *args, **kwargs)
        record_check(self.name, result.status)  # never raises; see acttutor.progress
        if os.environ.get("ACTTUTOR_STRICT") == "1" and not result.passed:
            raise AssertionError(f"{self.name}: {result}")
        return result

    def _run(self, answer: Any, *args: Any, **kwargs: Any) -> CheckResult:
        notes: list[str] = []
        if is_placeholder(answer):
            return self._result("not_attempted", self._placeholder_message(), notes)
        options = self._keywords()
        if len(args) > len(options):
            listed = ", ".join(options) or "no other arguments"
            return self._result(
                "failed",
                f"{self.name}.check() takes your answer and at most {len(options)} more "
                f"argument(s) ({listed}), but got {len(args)} more. Call "
                f"{self.name}.check({self.answer_name}"
                + "".join(f", {o}=..." for o in options) + ").",
                notes,
            )
        for option, value in zip(options, args, strict=False):
            if option in kwargs:
                return self._result(
                    "failed", f"{self.name}.check() got {option!r} twice: by position and by "
                    "name. Give it once.", notes)
            kwargs[option] = value
        unknown = sorted(set(kwargs) - set(options))
        if unknown:
            allowed = ", ".join(options) or "no keywords"
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
        except TimeUp:  # a time limit the checking function did not report itself
            return self._result(
                "failed", f"Your code took longer than its time budget while {self.name} "
                "checked it, so the check stopped it. Look for a loop that never ends.", notes)
        except LearnerError as exc:
            frame = learner_frame(exc.exc)
            where = f" (line {frame.lineno}: {frame.line})" if frame and frame.line else ""
            return self._result(
                "error",
                f"Calling {exc.call} raised {type(exc.exc).__name__}: {exc.exc}{where}. "
                "Fix the error, then run the check again.",
                notes,
            )
        except Exception as exc:  # a bug in acttutor, never blamed on the learner
            replaced = replaced_since_import()
            if replaced:  # ... unless the learner's code broke NumPy itself
                return self._result(
                    "error",
                    f"The check could not run because {', '.join(replaced[:4])} is no longer "
                    "the library's own function: some code assigned to it (np.maximum = ...), "
                    f"which breaks NumPy itself ({type(exc).__name__}: {exc}). Remove that "
                    "assignment, restart the kernel, and run the check again.",
                    notes,
                )
            return self._result(
                "checker_error",
                f"The checker for {self.name} crashed with {type(exc).__name__}: {exc}. "
                "This is a bug in acttutor, not in your answer; please report it.",
                notes,
            )
        return self._result("passed", message or f"{self.title}: all checks passed.", notes)

    def _keywords(self) -> list[str]:
        """The check's options, in the order the checking function declares them."""
        params = inspect.signature(self._check_fn).parameters
        return [
            n for n, p in params.items()
            if p.kind is inspect.Parameter.KEYWORD_ONLY and n != "notes"
        ]

    def _placeholder_message(self) -> str:
        return (
            f"Replace the placeholder (`...` or `raise NotImplementedError`) with your "
            f"answer, then run the check again. Stuck? Call {self.name}.hint()."
        )

    def _result(self, status: Status, message: str, notes: list[str]) -> CheckResult:
        return CheckResult(status, message, exercise=self.name, notes=tuple(notes))

    def hint(self, n: int | float | str = 1) -> Snippet:
        """Return (and show, as the cell's value) hint number ``n``, starting at 1.

        ``hint(2)``, ``hint(2.0)`` and ``hint("2")`` all give the second hint.

        Args:
            n: Which hint; past the last one, a polite note.

        Returns:
            The hint as a :class:`~acttutor.exercises.display.Snippet`.
        """
        n = _hint_number(n)
        if n < 1:
            return Snippet(f"Hints are numbered from 1: call {self.name}.hint(), "
                           f"{self.name}.hint(2), ...", "note")
        if n > len(self.hints):
            return Snippet(
                f"There {_count(len(self.hints), 'hint')} for {self.name}. "
                f"Call {self.name}.solution() to see a reference solution.",
                "note",
            )
        record_hint(self.name, n)
        return Snippet(self.hints[n - 1], "hint", f"Hint {n} of {len(self.hints)}")

    def solution(self) -> Solution:
        """Return (and show, collapsed) a reference solution.

        The notebook shows a closed block that the reader clicks to open, so
        running every cell reveals nothing by itself.

        Returns:
            A :class:`~acttutor.exercises.display.Solution`; ``print`` it to see the code.
        """
        record_solution(self.name)
        return Solution(self.name, self.solution_code)

    def finished(self) -> Any:
        """Run this exercise's later cells again with the reference solution; show them collapsed.

        The one call at the end of an exercise's cells that lets the static book
        show what the finished exercise produces (see :mod:`acttutor.exercises.finished`).

        Returns:
            A :class:`~acttutor.exercises.finished.FinishedRun`, shown as one closed block.
        """
        from acttutor.exercises.finished import run_finished

        return run_finished(self)

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
