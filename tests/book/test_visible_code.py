"""The notebooks' code as a learner reads it: lines that fit, glue out of sight, lint-clean.

These read the notebooks under ``book/`` as stored (no execution needed).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbutils import BOOK, ROOT, all_notebooks

sys.path.insert(0, str(ROOT / "tools"))
import tidy_notebooks  # noqa: E402

#: The longest code line the site shows without scrolling at 1280 px (book/ruff.toml).
MAX_LINE = 79
#: Book-wide, at most this share of the visible code lines may call glue.
MAX_GLUE_SHARE = 0.01


def _code_cells(path: Path) -> list[tuple[int, nbformat.NotebookNode]]:
    nb = nbformat.read(ROOT / path, as_version=4)
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def visible_lines(path: Path) -> list[str]:
    """The code lines of the cells a reader of the book sees (``hide-input`` counts)."""
    return [
        line
        for _, cell in _code_cells(path)
        if tidy_notebooks.is_visible_code(cell)
        for line in cell.source.splitlines()
    ]


@pytest.mark.parametrize("path", all_notebooks(), ids=str)
def test_no_code_line_is_longer_than_79_characters(path: Path) -> None:
    # Every code cell: the hidden ones are still read in Jupyter and on Colab.
    long = [
        f"cell {i}, line {n} ({len(line)} characters): {line}"
        for i, cell in _code_cells(path)
        for n, line in enumerate(cell.source.splitlines(), 1)
        if len(line) > MAX_LINE
    ]
    assert long == [], f"{path}: lines over {MAX_LINE} characters:\n" + "\n".join(long)


def test_glue_lines_are_at_most_one_percent_of_the_visible_code() -> None:
    per_notebook = {
        str(path): (sum("glue(" in line for line in lines), len(lines))
        for path in all_notebooks()
        for lines in [visible_lines(path)]
    }
    glue_lines = sum(g for g, _ in per_notebook.values())
    code_lines = sum(n for _, n in per_notebook.values())
    assert code_lines > 1000  # the whole book was read, not an empty folder
    counts = "\n".join(
        f"  {name}: {g} of {n} visible lines" for name, (g, n) in per_notebook.items() if g
    )
    assert glue_lines <= MAX_GLUE_SHARE * code_lines, (
        f"{glue_lines} of {code_lines} visible code lines call glue "
        f"(the limit is {MAX_GLUE_SHARE:.0%}); move them into remove-cell cells with "
        f"`python tools/tidy_notebooks.py`:\n{counts}"
    )


@pytest.mark.parametrize("path", all_notebooks(), ids=str)
def test_no_visible_statement_only_glues(path: Path) -> None:
    nb = nbformat.read(ROOT / path, as_version=4)
    report = tidy_notebooks.tidy(nb)
    assert (report.moved, report.manual) == (0, []), (
        f"{path}: {report.moved} glue statement(s) in visible cells; run "
        f"`python tools/tidy_notebooks.py {path}`; fix by hand: {report.manual}"
    )


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, str(BOOK)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_notebooks_pass_ruff_check() -> None:
    result = _ruff("check", "--no-cache", "--output-format", "concise")
    assert result.returncode == 0, result.stdout + result.stderr


def test_notebooks_are_ruff_formatted() -> None:
    result = _ruff("format", "--check", "--no-cache")
    assert result.returncode == 0, (
        "run `ruff format book/`:\n" + result.stdout + result.stderr
    )


def test_ruff_reads_the_notebooks_at_79_characters() -> None:
    # The book's own settings apply (book/ruff.toml), not the package's 100.
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--show-settings", str(BOOK / "relu.ipynb")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "line_length = 79" in result.stdout
