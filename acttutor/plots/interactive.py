"""Figures with a slider over one parameter, pre-rendered so they work offline and without a kernel.

A :class:`SliderFigure` holds one PNG frame per parameter value, each drawn by matplotlib
from the function itself and each with its own alt text (from :mod:`acttutor.a11y`). Its
HTML form is a labelled ``<input type="range">`` and a few lines of inline script that show
the frame for the chosen value: nothing is fetched and no kernel is needed, so the same
output works in the static HTML book, in its PDF (which prints the starting frame) and in
JupyterLab, where the learner ran the cell and the output is trusted. An untrusted output
(scripts stripped) still shows the starting frame, and says how to enable the slider.

Example:

>>> import numpy as np, tensorflow as tf
>>> fig = curve_slider(lambda x, a: tf.nn.leaky_relu(x, alpha=a), [0.1, 0.2, 0.3],
...                    parameter="α", title="Leaky ReLU")
>>> len(fig), fig.value_text(1)
(3, 'α = 0.2')
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from acttutor.a11y import describe_figure

__all__ = ["SliderFigure", "bar_slider", "curve_slider", "slider_figure"]

#: Resolution of the pre-rendered frames (dots per inch), as the book's other figures.
FRAME_DPI = 100
#: Most frames one slider may hold: each is a PNG inside the page.
MAX_FRAMES = 41
#: Input points of :func:`curve_slider` when ``x`` is not given.
DEFAULT_X = np.linspace(-5.0, 5.0, 401)

_COUNTER = itertools.count(1)
_CURVE = "#0072B2"  # the palette's first colour (acttutor.PALETTE)
_REFERENCE = "#555555"

# Shows the frame for the slider's value. Self-contained, run once per output; it finds
# its figure from its own <script> element (JupyterLab runs a copy of it), else by id.
_SCRIPT = """(function () {
  var me = document.currentScript;
  var root = (me && me.closest("[data-acttutor-slider]")) || document.getElementById("%(id)s");
  if (!root || root.getAttribute("data-ready")) { return; }
  root.setAttribute("data-ready", "1");
  var input = root.querySelector("input[type=range]");
  var output = root.querySelector("output");
  var frames = root.querySelectorAll("img[data-value-text]");
  var note = root.querySelector(".acttutor-slider-note");
  function show(i) {
    for (var k = 0; k < frames.length; k++) {
      frames[k].hidden = k !== i;
      frames[k].style.display = k === i ? "" : "none";
    }
    var text = frames[i].getAttribute("data-value-text");
    input.setAttribute("aria-valuetext", text);
    output.textContent = text;
  }
  input.disabled = false;
  if (note) { note.hidden = true; }
  input.addEventListener("input", function () { show(Number(input.value)); });
  // The page's own key handlers (JupyterLab's output area) must not take the slider's keys.
  input.addEventListener("keydown", function (event) {
    if (/^(Arrow|Page|Home|End)/.test(event.key)) { event.stopPropagation(); }
  });
  show(Number(input.value));
})();"""


@dataclass(frozen=True)
class SliderFigure:
    """A figure with a slider over one parameter: one pre-rendered frame per value.

    Shown in Jupyter or the HTML book through its HTML form (:meth:`to_html`); its plain
    text form describes the starting frame. Build one with :func:`slider_figure`,
    :func:`curve_slider` or :func:`bar_slider`.

    Example:

    >>> import numpy as np
    >>> fig = bar_slider(lambda t: np.exp(np.array([2.0, 1.0]) / t) / np.exp(
    ...     np.array([2.0, 1.0]) / t).sum(), [0.5, 1.0, 2.0], parameter="T")
    >>> fig.values, fig.start
    ((0.5, 1.0, 2.0), 1)

    Attributes:
        parameter: The parameter's name as the label shows it, such as ``"α"``.
        values: The parameter's values, one per frame, in slider order.
        frames: PNG images, one per value.
        alts: Alt text of each frame.
        start: Index of the frame shown first.
        label: The slider's visible label.
        fmt: Format of a value in the label, such as ``"{:g}"``.
    """

    parameter: str
    values: tuple[float, ...]
    frames: tuple[bytes, ...]
    alts: tuple[str, ...]
    start: int
    label: str
    fmt: str = "{:g}"

    def __len__(self) -> int:
        return len(self.frames)

    def value_text(self, index: int) -> str:
        """The words for one frame's value, such as ``"α = 0.2"``.

        Example:

        >>> make = lambda v: plt.subplots()[0]
        >>> slider_figure(make, [1, 2], parameter="k").value_text(0)
        'k = 1'

        Args:
            index: The frame's position in :attr:`values`.

        Returns:
            The parameter's name, an equals sign and the formatted value.
        """
        return f"{self.parameter} = {self.fmt.format(self.values[index])}"

    def to_html(self, element_id: str | None = None) -> str:
        """The slider, its label and every frame as HTML with one inline script.

        Example:

        >>> make = lambda v: plt.subplots()[0]
        >>> 'type="range"' in slider_figure(make, [1, 2], parameter="k").to_html()
        True

        Args:
            element_id: The ``id`` of the outer element; by default one made from the
                frames and a counter, unique on the page.

        Returns:
            A self-contained HTML fragment (no external resources).
        """
        digest = hashlib.sha1(b"".join(self.frames)).hexdigest()[:10]
        uid = element_id or f"acttutor-slider-{digest}-{next(_COUNTER)}"
        esc = html.escape
        images = []
        for i, (png, alt) in enumerate(zip(self.frames, self.alts, strict=True)):
            data = base64.b64encode(png).decode("ascii")
            hidden = "" if i == self.start else " hidden"
            images.append(
                f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}" '
                f'data-value-text="{esc(self.value_text(i))}"'
                f' style="max-width:100%;height:auto;background:#fff"{hidden}>'
            )
        start_text = esc(self.value_text(self.start))
        return (
            # JupyterLab keeps its notebook shortcuts (arrow keys move between cells) away
            # from elements marked like this, so the arrow keys move the slider there too.
            f'<figure class="acttutor-slider" id="{uid}" data-acttutor-slider="1" '
            'data-lm-suppress-shortcuts="true" style="margin:0">'
            f'{"".join(images)}'
            '<figcaption class="acttutor-slider-control" '
            'style="display:flex;flex-wrap:wrap;align-items:center;gap:0.5em 1em">'
            f'<label for="{uid}-input">{esc(self.label)}</label>'
            f'<input type="range" id="{uid}-input" min="0" max="{len(self) - 1}" step="1" '
            f'value="{self.start}" aria-valuetext="{start_text}" disabled>'
            f'<output for="{uid}-input" aria-live="polite">{start_text}</output>'
            '<span class="acttutor-slider-note">(run the cell in a trusted notebook to '
            "move the slider)</span>"
            "</figcaption>"
            f"<script>{_SCRIPT % {'id': uid}}</script>"
            "</figure>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        first, last = self.value_text(0), self.value_text(len(self) - 1)
        return (
            f"Slider over {self.parameter} ({len(self)} frames, {first} to {last}), "
            f"showing {self.value_text(self.start)}. {self.alts[self.start]}"
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def _check_values(values: Sequence[float], caller: str) -> tuple[float, ...]:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{caller} needs the parameter values as a sequence of numbers, "
            f"such as np.linspace(0.0, 0.5, 11); got {type(values).__name__}."
        ) from None
    if array.ndim != 1 or array.size < 2:
        raise ValueError(
            f"{caller} needs at least 2 parameter values in a flat sequence, "
            f"got shape {array.shape}."
        )
    if array.size > MAX_FRAMES:
        raise ValueError(
            f"{caller} draws one frame per value: {array.size} values is more than "
            f"{MAX_FRAMES}. Use fewer, for example np.linspace(low, high, 21)."
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{caller}: every parameter value must be finite, got {array}.")
    if np.unique(array).size != array.size:
        raise ValueError(f"{caller}: the parameter values must be distinct, got {array}.")
    return tuple(float(v) for v in array)


def _start_index(values: tuple[float, ...], start: float | None, caller: str) -> int:
    if start is None:
        return (len(values) - 1) // 2
    if not isinstance(start, int | float) or isinstance(start, bool) or not math.isfinite(start):
        raise TypeError(f"{caller}: start must be one of the values (a number), got {start!r}.")
    index = int(np.argmin([abs(v - start) for v in values]))
    if not math.isclose(values[index], start, rel_tol=1e-9, abs_tol=1e-12):
        raise ValueError(
            f"{caller}: start={start!r} is not one of the values {list(values)}; "
            "pick one of them or leave start out (the middle value)."
        )
    return index


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    # An opaque white background, so the frame reads in a dark theme too; no date in the
    # file, so the same figure gives the same bytes.
    fig.savefig(buffer, format="png", dpi=FRAME_DPI, facecolor="white",
                metadata={"Software": None})
    return buffer.getvalue()


def slider_figure(
    draw: Callable[[float], Figure],
    values: Sequence[float],
    *,
    parameter: str,
    label: str = "",
    start: float | None = None,
    fmt: str = "{:g}",
    describe: Callable[[float, Figure], str] | None = None,
) -> SliderFigure:
    """Draw one frame per parameter value and put a slider over them.

    ``draw(value)`` returns a matplotlib Figure (any acttutor plotting function will do);
    each is rendered to PNG, described for its alt text and closed. Give every frame the
    same axis limits, so that moving the slider changes the curve and not the scale.

    Example:

    >>> def draw(k):
    ...     fig, ax = plt.subplots()
    ...     _ = ax.plot([0, 1], [0, k])
    ...     return fig
    >>> fig = slider_figure(draw, [1, 2, 3], parameter="k", start=3)
    >>> fig.start, fig.alts[0].startswith("k = 1: Figure")
    (2, True)

    Args:
        draw: A function from one parameter value to a Figure.
        values: The parameter's values, one frame each (from 2 up to the module's ``MAX_FRAMES``).
        parameter: The parameter's name as the reader sees it, such as ``"α"``.
        label: The slider's visible label; by default ``parameter``.
        start: The value shown first (one of ``values``); by default the middle one.
        fmt: How a value is written in the label and alt text.
        describe: ``describe(value, figure)`` gives a frame's alt text (after the
            value); by default :func:`acttutor.a11y.describe_figure`.

    Returns:
        The :class:`SliderFigure`.
    """
    caller = "slider_figure"
    if not callable(draw):
        raise TypeError(f"{caller} needs draw, a function from a value to a Figure; "
                        f"got {type(draw).__name__}.")
    if not isinstance(parameter, str) or not parameter.strip():
        raise ValueError(f"{caller} needs parameter, the name shown next to the slider, "
                         "such as parameter='α'.")
    checked = _check_values(values, caller)
    try:
        fmt.format(checked[0])
    except (ValueError, IndexError, KeyError, AttributeError):
        raise ValueError(f"{caller}: fmt={fmt!r} cannot format a number; "
                         "use something like '{:g}' or '{:.2f}'.") from None
    index = _start_index(checked, start, caller)
    frames, alts = [], []
    for value in checked:
        fig = draw(value)
        if not isinstance(fig, Figure):
            stray = getattr(fig, "figure", None)  # an Axes: close what it was drawn on
            if isinstance(stray, Figure):
                plt.close(stray)
            raise TypeError(f"{caller}: draw({value!r}) returned {type(fig).__name__}, "
                            "not a matplotlib Figure; return the Figure you drew.")
        try:
            frames.append(_png(fig))
            text = f"{parameter} = {fmt.format(value)}"
            words = describe(value, fig) if describe else describe_figure(fig)
            alts.append(f"{text}: {words}")
        finally:
            plt.close(fig)
    return SliderFigure(parameter=parameter, values=checked, frames=tuple(frames),
                        alts=tuple(alts), start=index, label=label or parameter, fmt=fmt)


def _style(ax: Axes, *, xlabel: str, ylabel: str, title: str) -> None:
    ax.axhline(0.0, color="0.6", linewidth=0.8, zorder=0)
    ax.axvline(0.0, color="0.6", linewidth=0.8, zorder=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)


def _limits(arrays: list[np.ndarray]) -> tuple[float, float]:
    low = min(float(np.min(a)) for a in arrays)
    high = max(float(np.max(a)) for a in arrays)
    pad = 0.05 * (high - low or 1.0)
    return low - pad, high + pad


def _evaluate(fn: Callable[..., Any], *args: Any) -> np.ndarray:
    return np.asarray(fn(*args), dtype=float)


def curve_slider(
    fn: Callable[[Any, float], Any],
    values: Sequence[float],
    *,
    parameter: str,
    x: Sequence[float] | None = None,
    title: str = "",
    derivative: bool = False,
    reference: float | None = None,
    label: str = "",
    start: float | None = None,
    fmt: str = "{:g}",
) -> SliderFigure:
    """A slider over a parameter of an activation: the curve ``fn(x, value)`` for each value.

    The axis limits are the same in every frame. With ``derivative=True`` a second panel
    shows ``d fn(x, value) / dx``, from ``tf.GradientTape``. With ``reference``, the curve
    for that value (a default, say) stays in every frame, dashed, for comparison.

    Example:

    >>> import tensorflow as tf
    >>> fig = curve_slider(lambda x, b: x * tf.sigmoid(b * x), [0.5, 1.0, 2.0],
    ...                    parameter="β", reference=1.0, derivative=True)
    >>> "2 panels" in fig.alts[0]
    True

    Args:
        fn: A function of the inputs (a float32 tensor) and one parameter value,
            such as ``lambda x, a: tf.nn.leaky_relu(x, alpha=a)``.
        values: The parameter's values, one frame each.
        parameter: The parameter's name as the reader sees it, such as ``"α"``.
        x: Input points; by default 401 points over [-5, 5].
        title: Title of the function's panel (the value is added to it).
        derivative: Add a panel with the derivative.
        reference: A parameter value whose curve is drawn dashed in every frame.
        label: The slider's visible label; by default ``parameter``.
        start: The value shown first; by default the middle one.
        fmt: How a value is written in titles, labels and alt text.

    Returns:
        The :class:`SliderFigure`.
    """
    caller = "curve_slider"
    if not callable(fn):
        raise TypeError(f"{caller} needs fn, a function of (x, value), such as "
                        f"lambda x, a: tf.nn.leaky_relu(x, alpha=a); got {type(fn).__name__}.")
    checked = _check_values(values, caller)
    xs = DEFAULT_X if x is None else np.asarray(x, dtype=float)
    if xs.ndim != 1 or xs.size < 2 or not np.all(np.isfinite(xs)):
        raise ValueError(f"{caller} needs x as a 1-D array of at least 2 finite points, "
                         f"got shape {xs.shape}.")
    import tensorflow as tf

    from acttutor.activations import derivative as slope

    xt = tf.constant(xs, dtype=tf.float32)
    shown = [*checked, *([] if reference is None else [float(reference)])]
    curves: dict[float, np.ndarray] = {}
    slopes: dict[float, np.ndarray] = {}
    for value in shown:
        try:
            ys = _evaluate(fn, xt, value)
            if derivative:
                slopes[value] = slope(lambda t, v=value: fn(t, v), xs)
        except Exception as error:  # noqa: BLE001 - the learner's or chapter's function
            raise ValueError(f"{caller}: fn(x, {value!r}) raised {type(error).__name__}: "
                             f"{error}") from error
        if ys.shape != xs.shape:
            raise ValueError(f"{caller}: fn(x, {value!r}) returned shape {ys.shape} for "
                             f"x of shape {xs.shape}; it must act element by element.")
        curves[value] = ys
    ylim = _limits(list(curves.values()))
    dlim = _limits(list(slopes.values())) if derivative else None

    def draw(value: float) -> Figure:
        ncols = 2 if derivative else 1
        fig, axes = plt.subplots(1, ncols, figsize=(4.2 * ncols + 0.6, 3.4), squeeze=False)
        panels = [(axes[0][0], curves, "f(x)", ylim, title)]
        if derivative:
            panels.append((axes[0][1], slopes, "f′(x)", dlim, "derivative"))
        text = f"{parameter} = {fmt.format(value)}"
        for ax, data, ylabel, limits, name in panels:
            if reference is not None and reference != value:
                ax.plot(xs, data[float(reference)], color=_REFERENCE, linestyle="--",
                        linewidth=1.2, label=f"{parameter} = {fmt.format(reference)}")
            ax.plot(xs, data[value], color=_CURVE, label=text)
            ax.set_xlim(float(xs[0]), float(xs[-1]))
            ax.set_ylim(*limits)
            _style(ax, xlabel="x", ylabel=ylabel, title=f"{name}, {text}" if name else text)
            if reference is not None:
                ax.legend(loc="upper left")
        fig.tight_layout()
        return fig

    return slider_figure(draw, checked, parameter=parameter, label=label, start=start, fmt=fmt)


def bar_slider(
    fn: Callable[[float], Any],
    values: Sequence[float],
    *,
    parameter: str,
    categories: Sequence[str] | None = None,
    title: str = "",
    ylim: tuple[float, float] = (0.0, 1.0),
    ylabel: str = "probability",
    label: str = "",
    start: float | None = None,
    fmt: str = "{:g}",
) -> SliderFigure:
    """A slider over a parameter of a distribution: the bars ``fn(value)`` for each value.

    Example:

    >>> import tensorflow as tf
    >>> scores = tf.constant([2.0, 1.0, 0.1])
    >>> fig = bar_slider(lambda t: tf.nn.softmax(scores / t), [0.5, 1.0, 5.0],
    ...                  parameter="T", categories=["a", "b", "c"])
    >>> fig.alts[2].startswith("T = 5: Figure")
    True

    Args:
        fn: A function from one parameter value to one number per category.
        values: The parameter's values, one frame each.
        parameter: The parameter's name as the reader sees it, such as ``"T"``.
        categories: Names of the bars; by default 0, 1, 2, ...
        title: Title of the Axes (the value is added to it).
        ylim: The y-axis limits, the same in every frame.
        ylabel: Label of the y axis.
        label: The slider's visible label; by default ``parameter``.
        start: The value shown first; by default the middle one.
        fmt: How a value is written in titles, labels and alt text.

    Returns:
        The :class:`SliderFigure`.
    """
    caller = "bar_slider"
    if not callable(fn):
        raise TypeError(f"{caller} needs fn, a function from a value to one number per "
                        f"category; got {type(fn).__name__}.")
    checked = _check_values(values, caller)
    heights = {v: _evaluate(fn, v).reshape(-1) for v in checked}
    sizes = {h.size for h in heights.values()}
    if len(sizes) != 1:
        raise ValueError(f"{caller}: fn returned different numbers of bars for different "
                         f"values ({sorted(sizes)}); it must return one per category.")
    k = sizes.pop()
    names = [str(i) for i in range(k)] if categories is None else [str(c) for c in categories]
    if len(names) != k:
        raise ValueError(f"{caller}: {len(names)} category names for {k} bars.")

    def draw(value: float) -> Figure:
        fig, ax = plt.subplots(figsize=(5.6, 3.4))
        ax.bar(names, heights[value], color=_CURVE)
        ax.set_ylim(*ylim)
        text = f"{parameter} = {fmt.format(value)}"
        ax.set_ylabel(ylabel)
        ax.set_title(f"{title}, {text}" if title else text)
        fig.tight_layout()
        return fig

    def describe(value: float, fig: Figure) -> str:
        bars = ", ".join(f"{n} {h:.3g}" for n, h in zip(names, heights[value], strict=True))
        return f"{describe_figure(fig)} Bar heights: {bars}."

    return slider_figure(draw, checked, parameter=parameter, label=label, start=start,
                         fmt=fmt, describe=describe)
