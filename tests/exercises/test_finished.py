"""The finished exercise: later cells re-run with the reference solution, shown collapsed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from acttutor.exercises.core import Exercise
from acttutor.exercises.finished import FinishedRun, downstream_cells, find_notebook, run_finished
from acttutor.exercises.kit import call_learner
from acttutor.exercises.outcomes import Fail

SOLUTION = "def double(x):\n    return 2 * x\n"


def _check(f, *, notes):
    if call_learner(f, 3.0) != 6.0:
        raise Fail("f(3.0) should be 6.0.")


DEMO = Exercise("demo", "Double it", _check, hints=["Multiply by two."], solution_code=SOLUTION,
                answer_name="double")


def _cell(source: str, *tags: str) -> dict:
    return {"cell_type": "code", "source": source, "metadata": {"tags": list(tags)},
            "outputs": [], "execution_count": None}


CELLS = [
    _cell("import math"),
    _cell("def double(x):\n    raise NotImplementedError", "exercise", "exercise:demo"),
    _cell("demo.check(double)"),
    _cell("demo.hint()"),
    _cell("demo.solution()"),
    {"cell_type": "markdown", "source": "Now use it.", "metadata": {}},
    _cell("four = double(2)\nprint('four is', four)"),
    _cell("print('unrelated', math.pi > 3)"),
    _cell("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n_ = ax.plot([0, four])"),
    _cell("eight = double(four)\neight"),
    _cell("secret = double(1)", "remove-cell"),
    _cell("demo.finished()", "remove-input"),
    _cell("print(double(100))"),  # after the finished() cell: not part of the block
]


def test_only_the_cells_that_use_the_answer_are_picked() -> None:
    assert downstream_cells(CELLS, "demo", SOLUTION) == [
        "demo.check(double)", "four = double(2)\nprint('four is', four)",
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n_ = ax.plot([0, four])",
        "eight = double(four)\neight",
    ]
    assert downstream_cells(CELLS, "other", SOLUTION) == []


@pytest.fixture
def notebook(tmp_path: Path) -> Path:
    path = tmp_path / "demo.ipynb"
    path.write_text(json.dumps({"cells": CELLS, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))
    return path


def test_the_cells_run_with_the_reference_solution_collapsed(notebook, monkeypatch) -> None:
    monkeypatch.delenv("ACTTUTOR_STRICT", raising=False)
    learner = {"demo": DEMO, "double": lambda x: None, "math": __import__("math")}
    run = run_finished(DEMO, namespace=learner, notebook=notebook)
    assert isinstance(run, FinishedRun) and not run.failed
    assert [source for source, _ in run.cells][0] == SOLUTION.rstrip("\n")
    page = run._repr_html_()
    assert page.startswith('<details class="acttutor-finished">') and page.endswith("</details>")
    assert "with the reference solution" in page.split("</summary>")[0]
    assert "four is 4" in page and "✅ Correct" in page and "<pre" in page
    assert '<img class="acttutor-finished-figure" alt="' in page and "data:image/png" in page
    assert ">8<" in page  # the last expression, shown as Jupyter would
    # The cell after finished() is not part of the block (the figure's base64 is left out:
    # it may hold any three digits).
    text = re.sub(r'src="data:[^"]*"', "", page)
    assert "200" not in text and "double(100)" not in text and "unrelated" not in text
    assert learner["double"](1) is None and "four" not in learner  # the learner's namespace


def test_a_failing_cell_is_shown_or_raises_when_strict(notebook, monkeypatch) -> None:
    broken = Exercise("demo", "Double it", _check, hints=[], answer_name="double",
                      solution_code="def double(x):\n    return x / 0\n")
    monkeypatch.delenv("ACTTUTOR_STRICT", raising=False)
    run = run_finished(broken, namespace={"demo": broken, "math": __import__("math")},
                       notebook=notebook)
    assert run.failed and "ZeroDivisionError" in run._repr_html_()
    monkeypatch.setenv("ACTTUTOR_STRICT", "1")
    with pytest.raises(AssertionError, match="with the reference solution"):
        run_finished(broken, namespace={"demo": broken}, notebook=notebook)


def test_checks_inside_the_block_are_not_recorded(notebook, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("ACTTUTOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ACTTUTOR_PROGRESS", raising=False)
    monkeypatch.delenv("ACTTUTOR_STRICT", raising=False)
    run_finished(DEMO, namespace={"demo": DEMO, "math": __import__("math")}, notebook=notebook)
    assert not (tmp_path / "home" / "progress.json").exists()


def test_without_its_notebook_the_block_says_where_to_look() -> None:
    assert find_notebook("ex3_custom.ipynb") is not None  # the course's own, in this checkout
    run = DEMO.finished()  # DEMO names no notebook
    assert "HTML book shows the finished exercise" in run.note and run.cells == []
    assert "<details" in run._repr_html_()
