"""Saved progress (acttutor/progress.py): recorded by every check, never lost, never in $HOME."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import acttutor
from acttutor import progress as progress_fn
from acttutor.exercises import exercise_names, implement_relu, implement_sigmoid
from acttutor.progress import paused, progress_file, record_check, record_hint

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ACTTUTOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ACTTUTOR_PROGRESS", raising=False)
    monkeypatch.delenv("ACTTUTOR_STRICT", raising=False)
    return tmp_path / "home"


def _saved(home: Path) -> dict:
    return json.loads((home / "progress.json").read_text())["exercises"]


def test_acttutor_progress_is_the_function() -> None:
    assert acttutor.progress is progress_fn and callable(acttutor.progress)


def test_the_test_suite_never_uses_the_readers_home() -> None:
    assert Path.home() / ".acttutor" not in progress_file().parents


def test_every_check_hint_and_solution_is_recorded(home: Path) -> None:
    implement_relu.check(None)
    implement_relu.check(lambda x: np.abs(x))
    implement_relu.check(lambda x: np.maximum(x, 0.0))
    implement_relu.hint(2)
    implement_relu.hint(9)  # past the last hint: a note, not a hint
    implement_relu.solution()
    entry = _saved(home)["implement_relu"]
    assert entry["status"] == "passed" and entry["checks"] == 3 and entry["attempts"] == 2
    assert entry["hints"] == 2 and entry["solution_shown"] is True
    assert entry["last_checked"].endswith("+00:00")
    row = acttutor.progress()["implement_relu"]
    assert (row["status"], row["attempts"], row["hints"], row["solution_shown"]) == (
        "passed", 2, 2, True)
    assert acttutor.progress()["implement_sigmoid"]["status"] is None


def test_the_table_names_rows_by_exercise_and_shows_status_strings(home: Path) -> None:
    implement_relu.check(lambda x: np.maximum(x, 0.0))
    implement_sigmoid.check(lambda x: x)
    table = acttutor.progress()
    page = table._repr_html_()
    assert "<table>" in page and "<td>implement_relu</td><td>passed</td>" in page
    assert "<td>implement_sigmoid</td><td>failed</td>" in page and "<td>ex3</td>" in page
    text = repr(table)
    assert "implement_relu" in text and "passed" in text and "not checked" in text
    names = [r["exercise"] for r in table.rows]
    assert "ex5" in names and names[-1] == exercise_names()[-1]
    assert names[-1] == f"ex{max(int(n[2:]) for n in names if n.startswith('ex'))}"


def test_home_and_switch_are_read_at_each_check(home: Path, tmp_path: Path, monkeypatch) -> None:
    implement_relu.check(lambda x: np.maximum(x, 0.0))
    other = tmp_path / "elsewhere"
    monkeypatch.setenv("ACTTUTOR_HOME", str(other))
    implement_relu.check(lambda x: x)
    assert _saved(home)["implement_relu"]["status"] == "passed"
    assert _saved(other)["implement_relu"]["status"] == "failed"
    monkeypatch.setenv("ACTTUTOR_PROGRESS", "0")
    monkeypatch.setenv("ACTTUTOR_HOME", str(tmp_path / "off"))
    implement_relu.check(lambda x: x)
    implement_relu.hint()
    assert not (tmp_path / "off").exists()


def test_paused_records_nothing(home: Path) -> None:
    with paused():
        implement_relu.check(lambda x: x)
    assert not (home / "progress.json").exists()


def test_a_crash_mid_write_leaves_the_previous_file_whole(home: Path, monkeypatch) -> None:
    implement_relu.check(lambda x: np.maximum(x, 0.0))
    before = (home / "progress.json").read_text()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    result = implement_relu.check(lambda x: x)  # never raises
    assert result.status == "failed"
    assert (home / "progress.json").read_text() == before
    assert {p.name for p in home.iterdir()} == {"progress.json", "progress.json.lock"}
    note = acttutor.progress().notes
    assert any("could not be saved" in n and "disk full" in n for n in note)


@pytest.mark.parametrize(("content", "word"), [("{not json", "corrupt"),
                                               ('{"exercises": [1, 2]}', "corrupt"),
                                               (None, "unreadable")])
def test_a_bad_file_is_moved_aside_and_noted_once(home: Path, content, word: str) -> None:
    home.mkdir(parents=True)
    bad = home / "progress.json"
    if content is None:
        bad.mkdir()  # a folder where the file should be: reading it fails, even for root
        (bad / "inside.txt").write_text("kept")
    else:
        bad.write_text(content)
    result = implement_relu.check(lambda x: np.maximum(x, 0.0))  # never raises
    assert result.passed
    kept = [p for p in home.iterdir() if word in p.name]
    assert len(kept) == 1
    if content is not None:
        assert kept[0].read_text() == content
    else:
        assert (kept[0] / "inside.txt").read_text() == "kept"
    assert _saved(home)["implement_relu"]["status"] == "passed"
    first = acttutor.progress()
    assert len(first.notes) == 1 and kept[0].name in first.notes[0] and word in first.notes[0]
    assert kept[0].name in first._repr_html_() and kept[0].name in repr(first)
    assert acttutor.progress().notes == []


def test_an_unwritable_home_never_breaks_a_check(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ACTTUTOR_HOME", str(blocker))
    monkeypatch.delenv("ACTTUTOR_PROGRESS", raising=False)
    assert implement_relu.check(lambda x: np.maximum(x, 0.0)).passed
    notes = acttutor.progress().notes
    assert any("could not be saved" in n and "ACTTUTOR_HOME" in n for n in notes)


HAMMER = textwrap.dedent("""
    import sys
    from acttutor.progress import record_check, record_hint
    me, n = sys.argv[1], int(sys.argv[2])
    for i in range(n):
        record_check("shared", "failed" if i % 2 else "passed")
        record_check(me, "passed")
        record_hint("shared", 1 + i % 3)
""")


def test_two_processes_recording_at_once_lose_nothing(home: Path) -> None:
    n = 150
    env = {**os.environ, "ACTTUTOR_HOME": str(home)}
    workers = [subprocess.Popen([sys.executable, "-c", HAMMER, name, str(n)], env=env, cwd=ROOT)
               for name in ("kernel_a", "kernel_b")]
    assert [w.wait(timeout=300) for w in workers] == [0, 0]
    saved = _saved(home)
    assert saved["shared"]["checks"] == 2 * n and saved["shared"]["attempts"] == 2 * n
    assert saved["kernel_a"]["checks"] == n and saved["kernel_b"]["checks"] == n
    assert saved["shared"]["hints"] == 3
    assert not [p for p in home.iterdir() if p.suffix == ".tmp"]


def test_records_from_elsewhere_are_merged_not_overwritten(home: Path) -> None:
    record_check("ex1", "passed")
    data = json.loads((home / "progress.json").read_text())
    data["exercises"]["ex2"] = {"status": "failed", "attempts": 4, "checks": 4, "hints": 1,
                                "solution_shown": False, "last_checked": None}
    (home / "progress.json").write_text(json.dumps(data))  # another kernel's write
    record_hint("ex1", 1)
    saved = _saved(home)
    assert saved["ex2"]["attempts"] == 4 and saved["ex1"]["hints"] == 1
