"""Figures described in words (alt text), and the book extension that puts the words in the HTML."""

from __future__ import annotations

import base64
import re
import sys
from datetime import UTC, datetime, timedelta

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from IPython.core.formatters import DisplayFormatter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbutils import ROOT
from sphinx.builders.html._assets import _JavaScript

from acttutor import plotting
from acttutor.a11y import MAX_CHARS, describe_axes, describe_figure, enable_alt_text

sys.path.insert(0, str(ROOT / "tools" / "sphinxext"))
import acttutor_sphinx as ext  # noqa: E402


def test_describe_figure_reads_titles_labels_ranges_and_legend() -> None:
    fig = plotting.plot_activation("relu", np.linspace(-3, 3, 61), derivative=True)
    text = describe_figure(fig)
    assert text.startswith('Figure: "relu": 2 lines (relu, ')
    assert 'x axis "x" from −3 to 3' in text
    assert 'y axis "f(x)" from 0 to 3' in text


def test_describe_figure_counts_panels_bars_and_images() -> None:
    fig, (a, b) = plt.subplots(1, 2)
    plt.close(fig)
    fig.suptitle("Two views")
    a.bar(["x", "y", "z"], [1, 3, 2])
    b.imshow(np.zeros((4, 4)))
    text = describe_figure(fig)
    assert text.startswith('Figure "Two views" with 2 panels. Panel 1: 1 bar group (3 bars)')
    assert "x axis with x, y, z" in text  # categories, not a numeric range
    assert "Panel 2: 1 image" in text


def test_guides_are_not_counted_as_data_lines() -> None:
    fig, ax = plt.subplots()
    plt.close(fig)
    ax.plot([0, 1, 2], [0, 1, 4])
    ax.axhline(0.0)
    ax.axvline(0.0)
    assert describe_axes(ax).startswith("1 line;")


def test_long_descriptions_are_cut() -> None:
    fig, axes = plt.subplots(4, 4)
    plt.close(fig)
    for i, ax in enumerate(axes.ravel()):
        ax.plot(range(5), label=f"a rather long label number {i}")
        ax.set_title(f"panel title {i}")
    text = describe_figure(fig)
    assert len(text) == MAX_CHARS and text.endswith("…")


def test_describe_figure_rejects_other_objects() -> None:
    with pytest.raises(TypeError, match="matplotlib Figure"):
        describe_figure("not a figure")  # type: ignore[arg-type]


def test_enable_alt_text_shows_figures_as_png_with_a_description() -> None:
    class Shell:
        display_formatter = DisplayFormatter()

    fig = plotting.plot_activation("tanh")
    before, _ = Shell.display_formatter.format(fig)
    assert list(before) == ["text/plain"]  # MPLBACKEND=Agg: IPython shows no picture
    assert before["text/plain"].startswith("<Figure size")
    assert enable_alt_text(Shell) is True
    after, _ = Shell.display_formatter.format(fig)
    assert after["text/plain"] == describe_figure(fig)
    assert base64.b64decode(after["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert enable_alt_text() is False  # not inside IPython


def test_enable_alt_text_keeps_the_image_format_already_chosen() -> None:
    from IPython.core.pylabtools import select_figure_formats

    class Shell:
        display_formatter = DisplayFormatter()

    select_figure_formats(Shell, {"svg"})
    enable_alt_text(Shell)
    data, _ = Shell.display_formatter.format(plotting.plot_activation("relu"))
    assert "image/svg+xml" in data and "image/png" not in data
    assert data["text/plain"].startswith("Figure")


def _bundle(plain: str, alt: str | None = None) -> tuple[nodes.document, nodes.image]:
    document = new_document("test", get_default_settings(Parser))
    bundle = nodes.container(nb_element="mime_bundle")
    image_part = nodes.container(mime_type="image/png")
    image = nodes.image(uri="abc.png", **({"alt": alt} if alt else {}))
    image_part += image
    plain_part = nodes.container(mime_type="text/plain")
    plain_part += nodes.literal_block(plain, plain)
    bundle += [image_part, plain_part]
    document += bundle
    return document, image


def test_book_extension_copies_the_description_into_alt_text() -> None:
    document, image = _bundle('Figure: "relu": 1 line (relu)')
    ext.FigureAltText(document).apply()
    assert image["alt"] == 'Figure: "relu": 1 line (relu)'
    document, image = _bundle("<Figure size 640x400 with 1 Axes>")
    ext.FigureAltText(document).apply()
    assert "alt" not in image.attributes  # the generic repr is no description
    document, image = _bundle("Figure: something", alt="set by the author")
    ext.FigureAltText(document).apply()
    assert image["alt"] == "set by the author"


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
