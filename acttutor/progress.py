"""What the learner has done: every check, hint and solution, saved so that it is never lost.

Every ``check`` records its outcome, and every hint and solution shown is
recorded too, in ``$ACTTUTOR_HOME/progress.json`` (by default
``~/.acttutor/progress.json``). :func:`progress` shows it as a table of every
exercise: the latest status, when it was last checked, how many attempts,
and whether a hint or the solution was shown.

The file is never lost or garbled:

* a write goes to a temporary file that then replaces the old one
  (``os.replace``), so a crash mid-write leaves the previous version whole;
* two kernels recording at once take turns (a lock file held with
  ``fcntl.flock``), and each write re-reads the file and adds its own change
  to what is there (merge on write), so neither loses the other's records;
* a file that is corrupt (not our JSON) or unreadable is moved aside, kept
  under a name containing ``corrupt`` or ``unreadable``, and a fresh one is
  started; :func:`progress` says so, once. Recording never makes ``check``
  raise.

``ACTTUTOR_HOME`` and ``ACTTUTOR_PROGRESS`` are read at every record, not
once at import: ``ACTTUTOR_PROGRESS=0`` turns recording off (the book build
and the tests set it, or point ``ACTTUTOR_HOME`` at a scratch folder, so that
they never write to the reader's home).

Example:

>>> import os, tempfile
>>> from unittest import mock
>>> with mock.patch.dict(os.environ, {"ACTTUTOR_HOME": tempfile.mkdtemp(),
...                                   "ACTTUTOR_PROGRESS": "1"}):
...     record_check("ex3", "failed"); record_check("ex3", "passed")
...     row = progress()["ex3"]
>>> row["status"], row["attempts"]
('passed', 2)
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "HOME_ENV",
    "PROGRESS_ENV",
    "Progress",
    "paused",
    "progress",
    "progress_file",
    "record_check",
    "record_hint",
    "record_solution",
    "recording",
]

#: The environment variable naming the folder of ``progress.json`` (default ``~/.acttutor``).
HOME_ENV = "ACTTUTOR_HOME"
#: The environment variable that turns recording off when set to ``0``.
PROGRESS_ENV = "ACTTUTOR_PROGRESS"

_VERSION = 1
_LOCK_SECONDS = 5.0  # wait at most this long for another kernel's write
_memory_notes: list[str] = []  # notes for progress() when even the file could not be written
_pause = threading.local()


def progress_file() -> Path:
    """Where progress is saved: ``$ACTTUTOR_HOME/progress.json``, read from the environment now.

    Example:

    >>> progress_file().name
    'progress.json'

    Returns:
        The path (the file may not exist yet).
    """
    home = os.environ.get(HOME_ENV, "").strip()
    folder = Path(os.path.expandvars(home)).expanduser() if home else Path.home() / ".acttutor"
    return folder / "progress.json"


def recording() -> bool:
    """Whether checks are recorded now: not when ``ACTTUTOR_PROGRESS=0``, nor while paused.

    Example:

    >>> with paused():
    ...     recording()
    False

    Returns:
        True when a check, hint or solution would be saved.
    """
    if getattr(_pause, "depth", 0):
        return False
    return os.environ.get(PROGRESS_ENV, "").strip().lower() not in {"0", "false", "no", "off"}


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Record nothing inside (the book's runs of the reference solutions use it).

    Example:

    >>> with paused():
    ...     record_check("ex1", "passed")  # not saved

    Returns:
        A context manager.
    """
    _pause.depth = getattr(_pause, "depth", 0) + 1
    try:
        yield
    finally:
        _pause.depth -= 1


# --------------------------------------------------------------------------- the file


def _empty() -> dict[str, Any]:
    return {"version": _VERSION, "exercises": {}, "notes": []}


def _valid(data: Any) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("exercises"), dict)
            and all(isinstance(v, dict) for v in data["exercises"].values())
            and isinstance(data.get("notes", []), list))


def _aside(path: Path, why: str) -> str:
    """Move a bad file aside, keeping it; return the note that says where it went."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        target = path.with_name(f"progress.{why}-{stamp}{f'-{n}' if n else ''}.json")
        if not target.exists():
            break
    try:
        os.replace(path, target)
    except OSError as exc:
        return (f"Your progress file {path} is {why} and could not be moved aside "
                f"({type(exc).__name__}: {exc}); progress is not being saved until it is "
                "removed or fixed.")
    return (f"Your progress file {path} was {why}, so it was kept as {target} and a new one "
            "was started. Your earlier records are in the kept file.")


def _read(path: Path, notes: list[str]) -> dict[str, Any]:
    """The saved progress; a corrupt or unreadable file is moved aside (a note says where)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return _empty()
    except (OSError, UnicodeDecodeError) as exc:
        notes.append(_aside(path, "unreadable" if isinstance(exc, OSError) else "corrupt"))
        return _empty()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not _valid(data):
        notes.append(_aside(path, "corrupt"))
        return _empty()
    data.setdefault("notes", [])
    return data


def _write(path: Path, data: dict[str, Any]) -> None:
    """Write atomically: a temporary file in the same folder, then ``os.replace``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".progress.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the lock file next to ``path`` (another kernel waits; never longer than a few s)."""
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    held = False
    try:
        if fcntl is not None:
            deadline = time.monotonic() + _LOCK_SECONDS
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    held = True
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        break  # write anyway: merge-on-write still keeps both records
                    time.sleep(0.005)
        yield
    finally:
        if held:
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _update(change: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``change`` to the saved progress, under the lock, merging with what is there."""
    if not recording():
        return
    path = progress_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(path):
            notes: list[str] = []
            data = _read(path, notes)
            data["notes"] += notes
            change(data)
            _write(path, data)
    except Exception as exc:  # noqa: BLE001 - recording must never break a check
        note = (f"Progress could not be saved to {path} ({type(exc).__name__}: {exc}). Set "
                f"{HOME_ENV} to a folder you can write to, or {PROGRESS_ENV}=0 to stop saving.")
        if note not in _memory_notes:
            _memory_notes.append(note)


def _entry(data: dict[str, Any], name: str) -> dict[str, Any]:
    entry = data["exercises"].setdefault(name, {})
    for key, value in (("status", None), ("last_checked", None), ("attempts", 0),
                       ("checks", 0), ("hints", 0), ("solution_shown", False)):
        entry.setdefault(key, value)
    return entry


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def record_check(name: str, status: str) -> None:
    """Save one check of exercise ``name`` and its status (never raises).

    An attempt is a check of an answer: one whose status is not ``not_attempted``.

    Example:

    >>> with paused():  # (an example that saves nothing)
    ...     record_check("ex1", "failed")

    Args:
        name: The exercise, such as ``"ex3"``.
        status: The result's status, such as ``"passed"``.

    Returns:
        None.
    """
    def change(data: dict[str, Any]) -> None:
        entry = _entry(data, name)
        entry["status"] = status
        entry["last_checked"] = _now()
        entry["checks"] = int(entry["checks"]) + 1
        if status != "not_attempted":
            entry["attempts"] = int(entry["attempts"]) + 1

    _update(change)


def record_hint(name: str, number: int) -> None:
    """Save that hint ``number`` of exercise ``name`` was shown (never raises).

    Example:

    >>> with paused():
    ...     record_hint("ex1", 2)

    Args:
        name: The exercise.
        number: The hint's number, from 1.

    Returns:
        None.
    """
    def change(data: dict[str, Any]) -> None:
        entry = _entry(data, name)
        entry["hints"] = max(int(entry["hints"]), int(number))

    _update(change)


def record_solution(name: str) -> None:
    """Save that the reference solution of exercise ``name`` was shown (never raises).

    Example:

    >>> with paused():
    ...     record_solution("ex1")

    Args:
        name: The exercise.

    Returns:
        None.
    """
    def change(data: dict[str, Any]) -> None:
        _entry(data, name)["solution_shown"] = True

    _update(change)


# --------------------------------------------------------------------------- the table

_COLUMNS = ("exercise", "status", "last checked", "attempts", "hints shown", "solution shown")


class Progress:
    """The learner's progress: one row per exercise, shown as a table in a notebook.

    Example:

    >>> p = Progress([{"exercise": "ex1", "status": "passed", "last_checked": None,
    ...                "attempts": 1, "hints": 0, "solution_shown": False}], "progress.json")
    >>> p["ex1"]["status"]
    'passed'

    Args:
        rows: One dict per exercise: ``exercise``, ``status`` (``None`` when never
            checked), ``last_checked`` (ISO time or ``None``), ``attempts``, ``hints``
            (the highest hint number shown) and ``solution_shown``.
        path: The file the rows were read from.
        notes: Remarks shown above the table (a file that was moved aside).
    """

    def __init__(self, rows: list[dict[str, Any]], path: Path | str,
                 notes: list[str] | None = None) -> None:
        self.rows = rows
        self.path = Path(path)
        self.notes = list(notes or [])

    def __getitem__(self, name: str) -> dict[str, Any]:
        for row in self.rows:
            if row["exercise"] == name:
                return row
        raise KeyError(f"no exercise named {name!r}; the exercises are "
                       f"{[r['exercise'] for r in self.rows]}")

    def _cells(self) -> list[list[str]]:
        out = []
        for row in self.rows:
            when = row["last_checked"]
            if when:
                with contextlib.suppress(ValueError):
                    when = datetime.fromisoformat(when).astimezone().strftime("%Y-%m-%d %H:%M")
            out.append([row["exercise"], row["status"] or "not checked", when or "—",
                        str(row["attempts"]), str(row["hints"] or "no"),
                        "yes" if row["solution_shown"] else "no"])
        return out

    def __repr__(self) -> str:
        cells = [list(_COLUMNS), *self._cells()]
        widths = [max(len(r[i]) for r in cells) for i in range(len(_COLUMNS))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                 for r in cells]
        head = [f"Note: {n}" for n in self.notes]
        return "\n".join([*head, f"Progress saved in {self.path}", *lines])

    def _repr_html_(self) -> str:
        notes = "".join(f'<p class="acttutor-progress-note"><strong>Note:</strong> '
                        f"{html.escape(n)}</p>" for n in self.notes)
        head = "".join(f"<th>{c}</th>" for c in _COLUMNS)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
                       for cells in self._cells())
        return (f'<div class="acttutor-progress">{notes}<table><caption>Your progress, saved '
                f"in {html.escape(str(self.path))}</caption><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table></div>")


def progress() -> Progress:
    """Your progress on every exercise: latest status, when, attempts, hints and solution.

    Shows itself as a table in a notebook. A note about a progress file that
    was moved aside (corrupt or unreadable) is shown once, then dropped.

    Example:

    >>> import os, tempfile
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"ACTTUTOR_HOME": tempfile.mkdtemp()}):
    ...     table = progress()
    >>> "implement_relu" in [row["exercise"] for row in table.rows]
    True

    Returns:
        A :class:`Progress`, one row per exercise.
    """
    from acttutor.exercises import exercise_names

    path = progress_file()
    notes: list[str] = []
    data = _empty()
    try:
        if path.exists() or path.is_symlink():
            with _locked(path):
                data = _read(path, notes)
                notes = data["notes"] + notes
                if notes and recording():  # shown now, so not again
                    data["notes"] = []
                    _write(path, data)
    except Exception as exc:  # noqa: BLE001 - showing progress must not fail either
        notes.append(f"Progress could not be read from {path} ({type(exc).__name__}: {exc}).")
    notes = _memory_notes + notes
    _memory_notes.clear()
    saved = data["exercises"]
    names = exercise_names()
    names += sorted(n for n in saved if n not in names)  # exercises from other versions
    rows = []
    for name in names:
        entry = saved.get(name, {})
        rows.append({"exercise": name, "status": entry.get("status"),
                     "last_checked": entry.get("last_checked"),
                     "attempts": int(entry.get("attempts", 0)), "hints": int(entry.get("hints", 0)),
                     "solution_shown": bool(entry.get("solution_shown", False))})
    return Progress(rows, path, notes)
