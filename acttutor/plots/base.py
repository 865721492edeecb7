"""What every figure shares: new Axes, axis styling, the panel grid and the palette's colours.

Every figure is closed from pyplot's registry as soon as it is made, so a notebook
shows it exactly once: as the value the plotting function returns.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from acttutor import PALETTE

__all__ = [
    "new_axes",
    "set_axes",
    "panel_grid",
    "finish_grid",
    "function_inputs",
    "series_colour",
    "COLOURS",
    "GREYS",
    "DEFAULT_X",
]

#: The inputs a function is drawn over unless told otherwise: 401 points over [-10, 10].
DEFAULT_X = np.linspace(-10.0, 10.0, 401, dtype=np.float32)

#: The colours of :data:`acttutor.PALETTE` (Okabe–Ito) by name, for a colour that means something.
COLOURS: dict[str, str] = dict(
    zip(("blue", "orange", "green", "vermillion", "purple", "sky", "yellow", "black"), PALETTE,
        strict=True)
)

#: Greys for what is not data: guides (reference lines), a target drawn behind the
#: data, and a second, quieter bar.
GREYS: dict[str, str] = {"guide": "0.4", "dark": "0.2", "target": "0.6", "light": "0.72"}

_HEADER_INCHES = 0.35  # one line of figure title or shared legend above a grid


def series_colour(i: int) -> str:
    """Return the colour of the ``i``-th line or bar of a figure: the palette, in order.

    After the palette's eight colours the cycle starts again (line-drawing
    functions then dash the line, so it stays distinguishable).

    Example:

    >>> series_colour(0) == COLOURS["blue"], series_colour(9) == series_colour(1)
    (True, True)

    Args:
        i: Position of the series, from 0.

    Returns:
        A colour string from :data:`acttutor.PALETTE`.
    """
    return PALETTE[i % len(PALETTE)]


def _figure(**subplots_kw: object) -> tuple[Figure, np.ndarray | Axes]:
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(**subplots_kw)  # type: ignore[arg-type]
    plt.close(fig)  # the caller returns it; the notebook displays it once
    return fig, axes


def new_axes(ax: Axes | None = None, **subplots_kw: object) -> tuple[Figure, Axes]:
    """Return ``(figure, axes)``: the given Axes, or a fresh Figure with one Axes.

    Example:

    >>> fig, ax = new_axes()
    >>> new_axes(ax)[0] is fig
    True

    Args:
        ax: An existing Axes, or ``None`` for a new Figure.
        **subplots_kw: Passed to :func:`matplotlib.pyplot.subplots` for a new Figure.

    Returns:
        The Figure and the Axes to draw into.
    """
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(
                f"ax must be a matplotlib Axes (for example from new_axes()), got "
                f"{type(ax).__name__}."
            )
        return ax.figure, ax  # type: ignore[return-value]
    fig, new = _figure(**subplots_kw)
    return fig, new  # type: ignore[return-value]


def set_axes(
    ax: Axes,
    *,
    xlabel: str = "",
    ylabel: str = "",
    title: str = "",
    legend: bool = False,
    origin_lines: bool = False,
) -> Axes:
    """Label an Axes and optionally draw the x = 0 and y = 0 lines.

    Example:

    >>> fig, ax = new_axes()
    >>> set_axes(ax, xlabel="x", ylabel="f(x)", origin_lines=True)  # doctest: +ELLIPSIS
    <Axes: ...>

    Args:
        ax: The Axes to style.
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        title: Title of the Axes.
        legend: Whether to draw a legend.
        origin_lines: Whether to draw faint lines through the origin.

    Returns:
        The same Axes.
    """
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if origin_lines:
        ax.axhline(0.0, color=GREYS["guide"], linewidth=0.8, zorder=0)
        ax.axvline(0.0, color=GREYS["guide"], linewidth=0.8, zorder=0)
    if legend:
        ax.legend()
    return ax


def panel_grid(
    count: int,
    *,
    ncols: int = 3,
    panel_size: tuple[float, float] = (3.6, 2.8),
    sharey: bool = False,
) -> tuple[Figure, list[Axes]]:
    """Make a Figure of ``count`` panels in rows of ``ncols``, hiding the spare ones.

    The figure's size follows from the panels' (``panel_size`` each); call
    :func:`finish_grid` once the panels are drawn.

    Example:

    >>> fig, panels = panel_grid(4, ncols=3)
    >>> len(panels), len(fig.axes), panels[3].get_subplotspec().is_first_col()
    (4, 6, True)

    Args:
        count: How many panels (at least 1).
        ncols: Panels per row (at most ``count``).
        panel_size: Width and height of one panel in inches.
        sharey: Share the y axis between panels.

    Returns:
        The Figure and its ``count`` visible Axes, row by row.
    """
    if count < 1:
        raise ValueError("A panel grid needs at least one panel.")
    ncols = max(1, min(int(ncols), count))
    nrows = -(-count // ncols)
    width, height = panel_size
    fig, axes = _figure(nrows=nrows, ncols=ncols, figsize=(width * ncols, height * nrows),
                        squeeze=False, sharey=sharey)
    flat = list(axes.ravel())  # type: ignore[union-attr]
    for spare in flat[count:]:
        spare.set_visible(False)
    return fig, flat[:count]


def finish_grid(
    fig: Figure,
    *,
    title: str = "",
    legend_from: Axes | None = None,
    title_size: str | None = None,
) -> Figure:
    """Lay out a grid of panels, with an optional title and one legend for them all above it.

    The figure grows by one line for the title and one for the legend, so
    neither covers a panel.

    Example:

    >>> fig, panels = panel_grid(2, ncols=2)
    >>> _ = panels[0].plot([0, 1], label="a line")
    >>> finish_grid(fig, title="Two panels", legend_from=panels[0]) is fig
    True

    Args:
        fig: A Figure from :func:`panel_grid`.
        title: Title of the Figure, or ``""`` for none.
        legend_from: The Axes whose labelled lines make the shared legend, or ``None``.
        title_size: Font size of the title (for example ``"small"``); by default matplotlib's.

    Returns:
        The same Figure.
    """
    handles, labels = legend_from.get_legend_handles_labels() if legend_from else ([], [])
    lines = bool(title) + bool(labels)
    fig.set_figheight(fig.get_figheight() + lines * _HEADER_INCHES)
    line = _HEADER_INCHES / fig.get_figheight()
    # Lay out the panels below the header first, then fill it: tight_layout would
    # otherwise make room for the title a second time.
    fig.tight_layout(rect=(0, 0, 1, 1 - lines * line))
    top = 1.0
    if title:
        size = {} if title_size is None else {"fontsize": title_size}
        fig.suptitle(title, y=top - 0.15 * line, va="top", **size)
        top -= line
    if labels:
        fig.legend(handles, labels, loc="upper center", ncol=min(len(labels), 4),
                   frameon=False, bbox_to_anchor=(0.5, top))
    return fig


def function_inputs(x: object | None) -> np.ndarray:
    """Return the points a function of one tensor is drawn over, as float32.

    Example:

    >>> function_inputs([0, 1, 2]).dtype, function_inputs(None).shape
    (dtype('float32'), (401,))

    Args:
        x: A 1-D sequence of at least 2 points, or ``None`` for :data:`DEFAULT_X`.

    Returns:
        A 1-D float32 array.
    """
    if x is None:
        return DEFAULT_X
    try:
        xs = np.asarray(x, dtype=np.float32)
    except (TypeError, ValueError):
        raise ValueError(f"x must be a 1-D array of numbers, got {type(x).__name__}.") from None
    if xs.ndim != 1 or xs.size < 2:
        raise ValueError(f"x must be a 1-D array of at least 2 points, got shape {xs.shape}.")
    return xs
