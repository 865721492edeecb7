"""The outcomes of checking an answer: the five statuses and the exceptions that signal them.

A checking function signals a wrong answer by raising :class:`Fail`. The
learner's code is called through :func:`~acttutor.exercises.kit.call_learner`,
which turns the learner's own exceptions into :class:`LearnerError` (status
``error``) and a placeholder into :class:`NotAttempted`. Anything else that
escapes a checking function is a bug in acttutor (status ``checker_error``).

Example:

>>> try:
...     raise Fail("Expected 0.0 at x=-1.0, got -1.0.")
... except Fail as exc:
...     print(exc)
Expected 0.0 at x=-1.0, got -1.0.
"""

from __future__ import annotations

import os
import traceback
from typing import Literal

__all__ = ["STATUSES", "Fail", "LearnerError", "NotAttempted", "Status", "in_library",
           "learner_frame"]

#: The status of a check: what the learner sees first.
Status = Literal["passed", "failed", "not_attempted", "error", "checker_error"]

#: Every status, in the order a progress table explains them.
STATUSES: tuple[str, ...] = ("passed", "failed", "not_attempted", "error", "checker_error")


class Fail(Exception):
    """Raised inside a checking function: the learner's answer is wrong.

    Example:

    >>> str(Fail("Return a dict."))
    'Return a dict.'

    Args:
        message: Plain text naming one problem, with a small counterexample and the fix.
    """


class NotAttempted(Exception):
    """Raised when the learner's answer is still the placeholder.

    Example:

    >>> isinstance(NotAttempted(), Exception)
    True
    """


class LearnerError(Exception):
    """The learner's code raised an exception.

    Example:

    >>> err = LearnerError(ZeroDivisionError("division by zero"), "f(array([0.]))")
    >>> err.call, str(err)
    ('f(array([0.]))', 'ZeroDivisionError: division by zero')

    Args:
        exc: The exception the learner's code raised.
        call: A short description of the call that raised, such as ``f(array([1.0]))``.
    """

    def __init__(self, exc: BaseException, call: str) -> None:
        super().__init__(f"{type(exc).__name__}: {exc}")
        self.exc = exc
        self.call = call


_LIBRARY_DIRS = tuple(
    os.path.normcase(os.path.abspath(p))
    for p in {
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))),  # acttutor itself
        os.path.dirname(os.__file__),  # the standard library
    }
)


def in_library(filename: str) -> bool:
    """Whether a source file belongs to a library (acttutor, the standard library, a package).

    Example:

    >>> in_library(os.__file__), in_library("<ipython-input-3>")
    (True, False)

    Args:
        filename: A code object's ``co_filename``.

    Returns:
        True for library code, False for the learner's own.
    """
    path = os.path.normcase(os.path.abspath(filename))
    return "site-packages" in path or "dist-packages" in path or any(
        path.startswith(d + os.sep) for d in _LIBRARY_DIRS)


def learner_frame(exc: BaseException) -> traceback.FrameSummary | None:
    """The innermost traceback frame in the learner's own code (not a library's).

    An exception raised deep inside TensorFlow or NumPy is reported at the
    learner's line that called into the library, which is the line to fix.

    Example:

    >>> learner_frame(ValueError("no traceback")) is None
    True

    Args:
        exc: An exception raised by the learner's code.

    Returns:
        The frame, or ``None`` when the exception carries no traceback.
    """
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    for frame in reversed(frames):
        if not in_library(frame.filename):
            return frame
    return frames[-1] if frames else None
