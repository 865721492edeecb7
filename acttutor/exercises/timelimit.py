"""Time budgets for the learner's code: stop it in-process when it runs too long.

An answer that loops forever would hang the notebook, and one that sleeps on
every call would make a check take minutes. :func:`time_limit` stops the code
it wraps after a budget of seconds by raising :class:`TimeUp` in it, without
touching the kernel:

* on the main thread (where a notebook runs its cells), with
  ``signal.setitimer``: the alarm interrupts ``time.sleep`` and blocking
  calls as well as pure Python loops;
* elsewhere (a check called from a worker thread, or where ``SIGALRM`` is
  taken or missing, as on Windows), with a watchdog thread that raises
  ``TimeUp`` asynchronously in the calling thread
  (``PyThreadState_SetAsyncExc``); that stops Python loops, and a blocking
  call as soon as it returns.

``TimeUp`` derives from ``BaseException``, so the learner's ``except
Exception:`` does not swallow it; it is raised again every half second should
a bare ``except:`` catch it, and on the main thread it is then raised at every
line of the learner's running code until it escapes. Ctrl-C still interrupts: ``SIGINT`` is
left alone. Budgets are in :data:`SECONDS`, scaled by the environment
variable ``ACTTUTOR_TIME_SCALE`` (for example ``2`` on a slow machine), read at
each check.

Example:

>>> import time
>>> try:
...     with time_limit(0.2):
...         time.sleep(5)
... except TimeUp:
...     print("stopped")
stopped
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from acttutor.exercises.outcomes import in_library

__all__ = ["SECONDS", "TimeUp", "budget", "time_limit"]

#: The budget of each kind of call, in seconds: one call of the learner's NumPy code, one
#: call of TensorFlow code (which may build a graph the first time), one training step.
SECONDS: dict[str, float] = {"call": 5.0, "tensorflow": 10.0, "training": 60.0}

_REPEAT = 0.5  # seconds between repeats of TimeUp, in case the learner's code catches one
_local = threading.local()


class TimeUp(BaseException):
    """Raised in the learner's code when it runs past its time budget.

    Example:

    >>> issubclass(TimeUp, Exception)
    False
    """


def budget(kind: str = "call") -> float:
    """The time budget of one call of ``kind``, scaled by ``ACTTUTOR_TIME_SCALE``.

    Example:

    >>> budget("call") == SECONDS["call"] * float(os.environ.get("ACTTUTOR_TIME_SCALE", 1))
    True

    Args:
        kind: A key of :data:`SECONDS`.

    Returns:
        Seconds.
    """
    try:
        scale = float(os.environ.get("ACTTUTOR_TIME_SCALE", "1") or 1)
    except ValueError:
        scale = 1.0
    return SECONDS[kind] * (scale if scale > 0 else 1.0)


def _alarm_free() -> bool:
    """Whether this thread may use SIGALRM: the main thread, and no one else's alarm set."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not (
            threading.main_thread()):
        return False
    handler = signal.getsignal(signal.SIGALRM)
    return handler in (signal.SIG_DFL, signal.SIG_IGN, None) and signal.getitimer(
        signal.ITIMER_REAL)[0] == 0.0


def _trace_learner(frame: Any, state: dict[str, Any]) -> None:
    """Raise ``TimeUp`` at every line of the learner's running frames, until the limit ends.

    For code that catches ``TimeUp`` itself (``except BaseException: continue``):
    a line outside its ``try`` eventually runs, and the exception escapes there.
    Library frames (acttutor's own included) are never traced, so the checker's
    clean-up code runs undisturbed.
    """

    def local(frame: Any, event: str, arg: Any) -> Any:
        if not state["active"]:
            return None
        if event == "line":
            raise TimeUp
        return local

    def started(frame: Any, event: str, arg: Any) -> Any:
        return local if state["active"] and not in_library(frame.f_code.co_filename) else None

    while frame is not None and not in_library(frame.f_code.co_filename):
        frame.f_trace = local
        frame = frame.f_back
    state["traced"] = True
    sys.settrace(started)


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    state: dict[str, Any] = {"active": True, "rings": 0, "traced": False}

    def ring(signum: int, frame: Any) -> None:
        if not state["active"]:
            return
        state["rings"] += 1
        if state["rings"] > 1 and not state["traced"] and sys.gettrace() is None:
            _trace_learner(frame, state)  # the learner's code caught the first TimeUp
        raise TimeUp

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT)
    try:
        yield
    finally:
        state["active"] = False
        signal.setitimer(signal.ITIMER_REAL, 0.0, 0.0)
        signal.signal(signal.SIGALRM, previous)
        if state["traced"]:
            sys.settrace(None)


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    stop = threading.Event()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def watch() -> None:
        wait = seconds
        while not stop.wait(wait):
            with lock:
                if state["done"]:
                    return
                _raise_in(target, TimeUp)
                state["fired"] = True
            wait = _REPEAT

    thread = threading.Thread(target=watch, name="acttutor-time-limit", daemon=True)
    thread.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            if state["fired"]:
                _raise_in(target, None)  # drop a TimeUp not delivered yet
        stop.set()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Stop the code run inside after ``seconds``, by raising :class:`TimeUp` in it.

    Nested limits keep the outer one. ``None`` or a budget of 0 sets no limit.

    Example:

    >>> with time_limit(5.0):
    ...     total = sum(range(1000))
    >>> total
    499500

    Args:
        seconds: The budget.

    Returns:
        A context manager.
    """
    if not seconds or seconds <= 0 or getattr(_local, "active", False):
        yield
        return
    _local.active = True
    try:
        with (_alarm if _alarm_free() else _watchdog)(seconds):
            yield
    finally:
        _local.active = False
