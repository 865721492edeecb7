"""Calibration figures: the reliability diagram, accuracy against confidence per bin."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from acttutor.calibration import ReliabilityBins
from acttutor.plots.base import GREYS, new_axes, series_colour, set_axes

__all__ = ["plot_reliability"]


def plot_reliability(
    bins: Mapping[str, ReliabilityBins],
    *,
    ax: Axes | None = None,
    title: str = "Reliability diagram",
) -> Figure:
    """Plot accuracy against mean confidence per bin, for one or more models, with the diagonal.

    A calibrated model lies on the diagonal; points below it are overconfident.
    Empty bins are left out. Each marker's area grows with its bin's count.

    Example:

    >>> from acttutor.calibration import reliability_bins
    >>> p = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8]])
    >>> fig = plot_reliability({"model": reliability_bins(p, np.array([0, 1, 1]), 5)})

    Args:
        bins: ``{label: ReliabilityBins}``, from
            :func:`acttutor.calibration.reliability_bins`.
        ax: Draw into this Axes instead of a new Figure.
        title: Title of the Axes.

    Returns:
        The Figure holding the plot.
    """
    if not isinstance(bins, Mapping) or not bins or not all(
            isinstance(b, ReliabilityBins) for b in bins.values()):
        raise ValueError("plot_reliability needs a dict {label: ReliabilityBins}: pass "
                         "{'model': acttutor.calibration.reliability_bins(p, labels)}.")
    fig, ax = new_axes(ax)
    ax.plot([0, 1], [0, 1], color=GREYS["guide"], linestyle="--", linewidth=1,
            label="calibrated")
    total = max(int(b.counts.sum()) for b in bins.values())
    for i, (label, b) in enumerate(bins.items()):
        full = b.counts > 0
        sizes = 12 + 300 * b.counts[full] / max(total, 1)
        colour = series_colour(i)
        ax.plot(b.confidence[full], b.accuracy[full], color=colour, linewidth=1.5,
                label=label)
        ax.scatter(b.confidence[full], b.accuracy[full], s=sizes, color=colour, alpha=0.7)
    set_axes(ax, xlabel="mean confidence in the bin", ylabel="accuracy in the bin",
             title=title)
    ax.set_xlim(float(np.min([b.edges[0] for b in bins.values()])), 1.0)
    ax.set_ylim(0.0, 1.02)
    ax.legend(loc="upper left")
    return fig
