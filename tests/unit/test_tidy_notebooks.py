"""tools/tidy_notebooks.py: glue statements move into hidden cells, and nothing else changes."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import tidy_notebooks as tidy  # noqa: E402


def _nb(*sources: str, tags: list[list[str]] | None = None) -> nbformat.NotebookNode:
    cells = [new_markdown_cell("# Title")]
    for k, source in enumerate(sources):
        cell = new_code_cell(source)
        if tags and tags[k]:
            cell.metadata["tags"] = tags[k]
        cells.append(cell)
    return new_notebook(cells=cells)


def _code(nb: nbformat.NotebookNode) -> list[tuple[str, list[str]]]:
    return [(c.source, c.metadata.get("tags", [])) for c in nb.cells if c.cell_type == "code"]


def test_glue_moves_into_a_remove_cell_right_after_its_cell() -> None:
    nb = _nb('x = 2\nglue("x", x, display=False)\nprint(x)', "y = 1")
    report = tidy.tidy(nb)
    assert report.moved == 1 and report.manual == []
    assert _code(nb) == [
        ("x = 2\nprint(x)", []),
        ('glue("x", x, display=False)', ["remove-cell"]),
        ("y = 1", []),
    ]


def test_loops_and_ifs_that_only_glue_move_with_the_comment_above_them() -> None:
    source = (
        "d = {'a': 1}\n"
        "# store each value for the prose\n"
        "for k, v in d.items():\n"
        "    glue(k, v, display=False)\n"
        "if d:\n"
        "    acttutor.glue_values(n=len(d))\n"
        "else:\n"
        "    glue('n', 0, display=False)"
    )
    nb = _nb(source)
    assert tidy.tidy(nb).moved == 2
    (kept, _), (hidden, tags) = _code(nb)
    assert kept == "d = {'a': 1}"
    assert hidden.startswith("# store each value for the prose\nfor k, v in d.items():")
    assert "acttutor.glue_values(n=len(d))" in hidden and tags == ["remove-cell"]


def test_second_run_changes_nothing_and_merges_into_an_existing_hidden_cell() -> None:
    nb = _nb(
        'a = 1\nglue("a", a, display=False)',
        'glue("b", 2, display=False)',
        tags=[[], ["remove-cell"]],
    )
    tidy.tidy(nb)
    assert _code(nb) == [
        ("a = 1", []),
        ('glue("a", a, display=False)\nglue("b", 2, display=False)', ["remove-cell"]),
    ]
    before = nbformat.writes(nb)
    assert tidy.tidy(nb).moved == 0
    assert nbformat.writes(nb) == before


def test_a_cell_that_only_glues_is_hidden_in_place() -> None:
    nb = _nb('glue("a", 1, display=False)', tags=[["hide-input"]])
    assert tidy.tidy(nb).moved == 1
    assert _code(nb) == [('glue("a", 1, display=False)', ["hide-input", "remove-cell"])]


def test_hidden_cells_and_the_colab_cell_are_left_alone() -> None:
    nb = _nb(
        'glue("a", 1)',
        'glue("b", 2)',
        "%pip install x",
        tags=[["remove-input"], ["remove-cell"], ["colab-install", "remove-cell"]],
    )
    before = nbformat.writes(nb)
    assert tidy.tidy(nb).moved == 0
    assert nbformat.writes(nb) == before


def test_glue_stays_when_a_later_statement_changes_what_it_reads() -> None:
    for later in ("x = 3", "x += 1", "x.append(4)", "x[0] = 5", "del x"):
        nb = _nb(f'x = [1]\nglue("x", x, display=False)\n{later}')
        report = tidy.tidy(nb)
        assert report.moved == 0, later
        assert report.manual and "['x']" in report.manual[0], later
    # Reading methods and calls on imported modules do not count as changes.
    nb = _nb(
        'import numpy as np\nx = np.ones(2)\nglue("s", x, display=False)\n'
        "print(x.sum(), np.mean(x))"
    )
    assert tidy.tidy(nb).moved == 1


def test_glue_stays_when_moving_it_would_display_a_new_result() -> None:
    nb = _nb('fig = make()\nfig\nglue("a", 1, display=False)')
    report = tidy.tidy(nb)
    assert report.moved == 0 and "display" in report.manual[0]
    nb = _nb('print(1)\nglue("a", 1, display=False)')  # print returns None
    assert tidy.tidy(nb).moved == 1


def test_a_glue_call_inside_a_teaching_statement_is_not_moved() -> None:
    source = "for k in range(3):\n    print(k)\n    glue(str(k), k, display=False)"
    nb = _nb(source)
    assert tidy.tidy(nb).moved == 0
    assert _code(nb) == [(source, [])]


def test_cells_ipython_cannot_parse_as_python_are_left_alone() -> None:
    nb = _nb('%timeit f()\nglue("a", 1)')
    assert tidy.tidy(nb).moved == 0


def test_command_line_check_reports_and_changes_nothing(tmp_path: Path, capsys) -> None:
    path = tmp_path / "nb.ipynb"
    nbformat.write(_nb('a = 1\nglue("a", a, display=False)'), path)
    before = path.read_bytes()
    assert tidy.main(["--check", str(path)]) == 1
    assert path.read_bytes() == before
    assert "would move 1" in capsys.readouterr().out
    assert tidy.main([str(path)]) == 0
    assert tidy.main(["--check", str(path)]) == 0
    assert _code(nbformat.read(path, 4))[1][1] == ["remove-cell"]
