"""acttutor.a11y: figures described in words (alt text), and the build step that uses them."""

from __future__ import annotations

import base64
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from IPython.core.formatters import DisplayFormatter
from nbutils import ROOT

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
