"""The book's Sphinx extension (tools/sphinxext/acttutor_sphinx.py): fast checks, no build.

Its alt-text step is tested with :mod:`acttutor.a11y` in ``test_a11y.py``.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbutils import ROOT
from sphinx.builders.html._assets import _JavaScript

sys.path.insert(0, str(ROOT / "tools" / "sphinxext"))
import acttutor_sphinx as ext  # noqa: E402


def test_escape_substitutions_leaves_code_and_syntax_alone() -> None:
    assert ext.escape_substitutions("grows with |x| here") == "grows with \\|x\\| here"
    assert ext.escape_substitutions("bound: |E[f(z)]| < 0.1") == "bound: \\|E[f(z)]\\| < 0.1"
    for unchanged in ("``|x|`` in code", ":math:`|x|`", ">>> a | b", "a | b or c | d",
                      "| a line block", "+---+---+"):
        assert ext.escape_substitutions(unchanged) == unchanged


def test_docstring_hook_turns_keras_examples_into_headings_and_keeps_constant_text() -> None:
    lines = ["Do it.", "", "Example:", "", ">>> f(1)", "2", "", "Args:", "    x: a."]
    ext._plain_text_docstrings(None, "function", "f", None, None, lines)
    assert lines[2] == ".. rubric:: Example"
    data = ["Okabe–Ito palette: distinguishable by most readers."]
    ext._plain_text_docstrings(None, "data", "P", None, None, data)
    assert data == [": Okabe–Ito palette: distinguishable by most readers."]


def test_one_copy_of_each_inline_script() -> None:
    class Builder:
        _js_files = [
            _JavaScript("doctools.js", priority=200),
            _JavaScript(None, priority=500, body="const A = 1"),  # type: ignore[arg-type]
            _JavaScript("x.js", priority=500),
            _JavaScript("", priority=500, body="const A = 1"),
        ]

    class App:
        builder = Builder()

    ext._one_copy_of_each_inline_script(App(), None)
    bodies = [js.attributes.get("body") for js in Builder._js_files]
    assert bodies.count("const A = 1") == 1
    assert [js.filename for js in Builder._js_files] == ["doctools.js", "", "x.js"]


def _timed(nb: nbformat.NotebookNode, start: datetime, seconds: list[float]) -> None:
    t = start
    for cell, duration in zip([c for c in nb.cells if c.cell_type == "code"], seconds,
                              strict=True):
        end = t + timedelta(seconds=duration)
        cell.metadata["execution"] = {
            "iopub.execute_input": t.isoformat().replace("+00:00", "Z"),
            "shell.execute_reply": end.isoformat().replace("+00:00", "Z"),
        }
        t = end


def test_execution_record_from_cell_timestamps(tmp_path) -> None:

    nb = new_notebook(cells=[new_markdown_cell("# T"), new_code_cell("a = 1"),
                             new_code_cell("b = 2"), new_code_cell("")])
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    assert ext.execution_record(path) is None  # never executed
    start = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    nb.cells[-1].source = "c = 3"
    _timed(nb, start, [1.25, 2.0, 0.25])
    nbformat.write(nb, path)
    record = ext.execution_record(path)
    assert record["runtime"] == pytest.approx(3.5)
    assert record["succeeded"] is True and record["method"] == "pre-executed"
    assert record["mtime"] == pytest.approx((start + timedelta(seconds=3.5)).timestamp())
    nb.cells[2].outputs = [new_output("error", ename="ValueError", evalue="x", traceback=[])]
    nbformat.write(nb, path)
    failed = ext.execution_record(path)
    assert failed["succeeded"] is False and failed["error"] == "ValueError"


def test_mathjax_3_is_installed_with_its_fonts() -> None:
    static = ext.mathjax_static_dir()
    script = static / "mathjax" / "tex-chtml.js"
    assert script.stat().st_size > 100_000
    version = re.search(r'VERSION="(\d+)\.', script.read_text(encoding="utf-8"))
    assert version and version.group(1) == "3", "MathJax 3 expected (mathjax_path, CHTML fonts)"
    fonts = list((static / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))
    assert len(fonts) > 10
