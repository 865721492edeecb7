"""Slider figures: frames computed from the function, alt text per frame, self-contained HTML."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf
from matplotlib.figure import Figure
from PIL import Image

from acttutor.plots.interactive import (
    MAX_FRAMES,
    SliderFigure,
    bar_slider,
    curve_slider,
    slider_figure,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def line_to(k: float) -> Figure:
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [0, k], label="line")
    ax.set_ylim(0, 4)
    return fig


class Elements(HTMLParser):
    """Every start tag of an HTML fragment, with its attributes, and the script text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)

    def all(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == name]


def parse(fragment: str) -> Elements:
    parser = Elements()
    parser.feed(fragment)
    return parser


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


@pytest.fixture(scope="module")
def leaky() -> SliderFigure:
    return curve_slider(lambda x, a: tf.nn.leaky_relu(x, alpha=a), [0.0, 0.1, 0.25, 0.5],
                        parameter="α", title="Leaky ReLU", derivative=True, start=0.25)


def test_one_png_frame_per_value_each_different(leaky: SliderFigure) -> None:
    assert len(leaky) == len(leaky.values) == len(leaky.alts) == 4
    assert all(frame.startswith(PNG_MAGIC) for frame in leaky.frames)
    assert len(set(leaky.frames)) == 4, "two values gave the same picture"
    assert leaky.start == leaky.values.index(0.25)


def test_frames_are_opaque_and_the_same_size(leaky: SliderFigure) -> None:
    """A dark theme must not show through: every pixel opaque, the corners white."""
    shapes = set()
    for frame in leaky.frames:
        rgba = pixels(frame)
        shapes.add(rgba.shape)
        assert rgba[..., 3].min() == 255
        assert (rgba[0, 0, :3] == 255).all() and (rgba[-1, -1, :3] == 255).all()
    assert len(shapes) == 1, f"frames of different sizes make the page jump: {shapes}"


def test_the_same_call_draws_the_same_bytes() -> None:
    first = slider_figure(line_to, [1, 2], parameter="k")
    again = slider_figure(line_to, [1, 2], parameter="k")
    assert first.frames == again.frames


def test_alt_text_names_the_value_and_what_the_frame_shows(leaky: SliderFigure) -> None:
    """The curve's lowest point on [-5, 5] is -5α: the alt text reads it off each frame."""
    for value, alt in zip(leaky.values, leaky.alts, strict=True):
        assert alt.startswith(f"α = {value:g}: Figure with 2 panels.")
        low = -5 * value
        low_text = "0" if low == 0 else f"{low:.3g}".replace("-", "−")
        assert f'y axis "f(x)" from {low_text} to 5' in alt, alt
    assert len(set(leaky.alts)) == len(leaky.alts)


def test_derivative_panel_comes_from_the_tape() -> None:
    """ELU's derivative just left of 0 is α: the panel's y range ends there or at 1."""
    fig = curve_slider(lambda x, a: keras_elu(x, a), [0.5, 2.0], parameter="α",
                       x=np.linspace(-3, 3, 61), derivative=True)
    assert 'y axis "f′(x)" from ' in fig.alts[0]
    upper = re.search(r'"f′\(x\)" from \S+ to (\S+)\.', fig.alts[1])
    assert upper and float(upper.group(1)) == pytest.approx(2.0, rel=0.15)


def keras_elu(x: Any, alpha: float) -> Any:
    import keras

    return keras.activations.elu(x, alpha=alpha)


def test_reference_curve_is_drawn_dashed_in_every_frame() -> None:
    fig = curve_slider(lambda x, b: x * tf.sigmoid(b * x), [0.5, 1.0, 2.0], parameter="β",
                       reference=1.0)
    assert "2 lines (β = 1, β = 0.5)" in fig.alts[0]
    assert "1 line (β = 1)" in fig.alts[1]  # the value itself: drawn once


def test_bar_slider_alt_text_gives_the_heights() -> None:
    scores = np.array([2.0, 1.0, 0.1])
    fig = bar_slider(lambda t: tf.nn.softmax(scores / t), [0.5, 5.0], parameter="T",
                     categories=["a", "b", "c"])
    for t, alt in zip(fig.values, fig.alts, strict=True):
        p = np.exp(scores / t) / np.exp(scores / t).sum()
        assert alt.startswith(f"T = {t:g}: Figure:")
        assert f"Bar heights: a {p[0]:.3g}, b {p[1]:.3g}, c {p[2]:.3g}." in alt


def test_html_is_a_labelled_keyboard_slider_over_the_frames(leaky: SliderFigure) -> None:
    page = parse(leaky.to_html())
    (figure,) = page.all("figure")
    (slider,) = page.all("input")
    (label,) = page.all("label")
    (output,) = page.all("output")
    assert slider["type"] == "range"
    assert slider["id"] and slider["id"].startswith(str(figure["id"]))
    assert label["for"] == slider["id"] and output["for"] == slider["id"]
    assert (slider["min"], slider["max"], slider["step"]) == ("0", "3", "1")
    assert slider["value"] == str(leaky.start)
    assert slider["aria-valuetext"] == "α = 0.25"
    images = page.all("img")
    assert [img["alt"] for img in images] == list(leaky.alts)
    assert [img["data-value-text"] for img in images] == [
        leaky.value_text(i) for i in range(len(leaky))]
    shown = [i for i, img in enumerate(images) if "hidden" not in img]
    assert shown == [leaky.start]
    assert len(page.scripts) == 1 and "addEventListener" in page.scripts[0]


def test_html_loads_nothing_from_elsewhere(leaky: SliderFigure) -> None:
    page = parse(leaky.to_html())
    sources = [attrs.get("src") or attrs.get("href") for _, attrs in page.tags
               if attrs.get("src") or attrs.get("href")]
    assert sources and all(str(s).startswith("data:image/png;base64,") for s in sources)
    assert "http" not in "".join(page.scripts)


def test_two_sliders_on_one_page_have_different_ids() -> None:
    fig = slider_figure(line_to, [1, 2], parameter="k")
    ids = {parse(fig.to_html()).all("figure")[0]["id"] for _ in range(2)}
    assert len(ids) == 2


def test_plain_text_says_what_the_slider_covers(leaky: SliderFigure) -> None:
    text = repr(leaky)
    assert text.startswith("Slider over α (4 frames, α = 0 to α = 0.5), showing α = 0.25.")
    assert leaky.alts[leaky.start] in text


def test_draw_may_close_nothing_but_every_frame_is_closed() -> None:
    before = len(plt.get_fignums())
    slider_figure(line_to, [1, 2, 3], parameter="k")
    assert len(plt.get_fignums()) == before


@pytest.mark.parametrize(
    ("values", "error", "words"),
    [
        ([1.0], ValueError, "at least 2"),
        ([[1.0, 2.0]], ValueError, "flat sequence"),
        ("abc", TypeError, "sequence of numbers"),
        ([1.0, 1.0], ValueError, "distinct"),
        ([1.0, float("nan")], ValueError, "finite"),
        (list(range(MAX_FRAMES + 1)), ValueError, "fewer"),
    ],
)
def test_bad_values_say_what_to_pass(values: Any, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        slider_figure(line_to, values, parameter="k")


def test_bad_arguments_say_what_to_change() -> None:
    with pytest.raises(TypeError, match="function from a value to a Figure"):
        slider_figure("line", [1, 2], parameter="k")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="parameter='α'"):
        slider_figure(line_to, [1, 2], parameter=" ")
    with pytest.raises(ValueError, match="not one of the values"):
        slider_figure(line_to, [1, 2], parameter="k", start=1.5)
    with pytest.raises(ValueError, match="cannot format a number"):
        slider_figure(line_to, [1, 2], parameter="k", fmt="{:d}")
    with pytest.raises(TypeError, match="not a matplotlib Figure"):
        slider_figure(lambda v: plt.subplots()[1], [1, 2], parameter="k")
    with pytest.raises(ValueError, match=r"fn\(x, 1.0\) raised ZeroDivisionError"):
        curve_slider(lambda x, a: 1 / 0, [1, 2], parameter="a")
    with pytest.raises(ValueError, match="element by element"):
        curve_slider(lambda x, a: tf.reduce_sum(x) * a, [1, 2], parameter="a")
    with pytest.raises(ValueError, match="1-D array"):
        curve_slider(lambda x, a: x * a, [1, 2], parameter="a", x=[0.0])
    with pytest.raises(ValueError, match="3 category names for 2 bars"):
        bar_slider(lambda t: [t, 1 - t], [0.2, 0.4], parameter="p", categories="abc")
    with pytest.raises(ValueError, match="different numbers of bars"):
        bar_slider(lambda t: [t] * int(t * 10), [0.2, 0.4], parameter="p")
