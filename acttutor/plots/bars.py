"""Bars: ratios against a baseline, and several distributions over the same categories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from acttutor.plots.base import GREYS, new_axes, series_colour, set_axes

__all__ = ["plot_distribution_bars", "plot_ratio_bars"]


def plot_ratio_bars(
    ratios: Mapping[str, float],
    *,
    ylabel: str = "ratio",
    title: str = "",
    reference: float | None = 1.0,
    ax: Axes | None = None,
) -> Figure:
    """Plot ratios (for example times relative to ReLU) as labelled bars.

    Each bar carries its value, and a dotted line marks ``reference``
    (by default 1, "as fast as the baseline").

    Example:

    >>> fig = plot_ratio_bars({"relu": 1.0, "sigmoid": 2.5, "tanh": 2.2},
    ...                       ylabel="time / time of relu")

    Args:
        ratios: Label mapped to a ratio.
        ylabel: Label of the y axis.
        title: Title of the Axes.
        reference: Where to draw the reference line, or ``None`` for none.
        ax: Draw into this Axes instead of a new Figure.

    Returns:
        The Figure holding the plot.
    """
    if not isinstance(ratios, Mapping) or not ratios:
        raise ValueError("plot_ratio_bars needs at least one ratio: {label: ratio}.")
    names = [str(n) for n in ratios]
    try:
        values = np.array([float(v) for v in ratios.values()])
    except (TypeError, ValueError):
        raise ValueError("plot_ratio_bars: every ratio must be a number.") from None
    if not np.isfinite(values).all():
        raise ValueError("plot_ratio_bars: every ratio must be finite.")
    fig, ax = new_axes(ax)
    bars = ax.bar(names, values, color=[series_colour(i) for i in range(len(names))])
    ax.bar_label(bars, labels=[f"{v:.2f}×" for v in values], padding=2)
    if reference is not None:
        ax.axhline(reference, color=GREYS["guide"], linewidth=1.0, linestyle=":", zorder=0)
    ax.set_ylim(0, max(values.max(), reference or 0.0) * 1.18)
    set_axes(ax, ylabel=ylabel, title=title)
    ax.grid(axis="x", visible=False)
    return fig


def plot_distribution_bars(
    distributions: Mapping[str, Sequence[float]],
    *,
    categories: Sequence[str] | None = None,
    xlabel: str = "class",
    ylabel: str = "probability",
    title: str = "",
    ax: Axes | None = None,
) -> Figure:
    """Plot several distributions over the same categories as grouped bars.

    Example:

    >>> fig = plot_distribution_bars({"T = 1": [0.7, 0.2, 0.1], "T = 5": [0.4, 0.3, 0.3]},
    ...                              categories=["a", "b", "c"])

    Args:
        distributions: Legend label mapped to one value per category.
        categories: Names of the categories; by default 0, 1, 2, ...
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        title: Title of the Axes.
        ax: Draw into this Axes instead of a new Figure.

    Returns:
        The Figure holding the plot.
    """
    if not isinstance(distributions, Mapping) or not distributions:
        raise ValueError("plot_distribution_bars needs at least one distribution: "
                         "{label: one value per category}.")
    try:
        rows = {k: np.asarray(v, dtype=float).reshape(-1) for k, v in distributions.items()}
    except (TypeError, ValueError):
        raise ValueError("plot_distribution_bars: each distribution must be numbers, one per "
                         "category.") from None
    sizes = {r.size for r in rows.values()}
    if len(sizes) != 1:
        raise ValueError("Every distribution needs the same number of categories.")
    k = sizes.pop()
    labels = [str(c) for c in categories] if categories is not None else [str(i) for i in range(k)]
    if len(labels) != k:
        raise ValueError(f"{len(labels)} category names for {k} values.")
    fig, ax = new_axes(ax)
    width = 0.8 / len(rows)
    positions = np.arange(k)
    for i, (name, values) in enumerate(rows.items()):
        ax.bar(positions + (i - (len(rows) - 1) / 2) * width, values, width, label=name,
               color=series_colour(i))
    ax.set_xticks(positions, labels)
    set_axes(ax, xlabel=xlabel, ylabel=ylabel, title=title, legend=True)
    ax.grid(axis="x", visible=False)
    return fig
