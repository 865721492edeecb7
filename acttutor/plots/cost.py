"""What activations cost: measured times as horizontal bars, in units of one copy of the tensor."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from acttutor.plots.base import COLOURS, GREYS, new_axes, set_axes

__all__ = ["plot_costs"]


def plot_costs(
    table: object,
    *,
    ax: Axes | None = None,
    title: str = "What an element-wise activation costs, in copies",
) -> Figure:
    """Plot measured activation costs as horizontal bars, in units of one copy.

    One row per function (the order of ``table.rows``): a bar for the
    forward pass, coloured by what limits it (memory or compute), and a grey
    bar for forward + backward. The x axis is logarithmic, and a line at 1
    marks the floor: a plain copy of the same tensor.

    Example:

    >>> import tensorflow as tf
    >>> from acttutor.cost import measure_costs
    >>> table = measure_costs({"relu": tf.nn.relu, "tanh": tf.tanh}, size=4096, repeats=2)
    >>> fig = plot_costs(table)

    Args:
        table: A :class:`acttutor.cost.CostTable` (anything with ``rows``
            whose items have ``name``, ``forward``, ``forward_backward``,
            ``kernels`` and ``bound``).
        ax: Draw into this Axes instead of a new Figure.
        title: Title of the Axes.

    Returns:
        The Figure holding the plot.
    """
    from matplotlib.ticker import FuncFormatter

    rows = list(getattr(table, "rows", ()))
    if not rows:
        raise ValueError(
            "plot_costs needs a CostTable with at least one row: "
            "pass the result of acttutor.cost.measure_costs(...)."
        )
    try:
        fwd = np.array([float(r.forward) for r in rows])
        both = np.array([float(r.forward_backward) for r in rows])
    except (AttributeError, TypeError, ValueError):
        raise ValueError(
            "plot_costs: every row needs numbers forward and forward_backward, as the rows "
            "of acttutor.cost.measure_costs(...) have."
        ) from None
    if not (np.isfinite(fwd).all() and np.isfinite(both).all() and (fwd > 0).all()
            and (both > 0).all()):
        raise ValueError("plot_costs: every ratio must be finite and positive.")
    fig, ax = new_axes(ax, figsize=(7.0, 0.32 * len(rows) + 1.6))
    pos = np.arange(len(rows))[::-1]  # first row at the top
    height = 0.38
    # A log axis has no zero: bars start at a fixed left edge below every value.
    left = 2.0 ** np.floor(np.log2(min(fwd.min(), both.min(), 1.0) / 1.2))
    colours = {"memory": COLOURS["blue"], "compute": COLOURS["vermillion"]}
    for bound, label in (("memory", "forward (memory-bound)"),
                         ("compute", "forward (compute-bound)")):
        mask = np.array([r.bound == bound for r in rows])
        if mask.any():
            ax.barh(pos[mask] + height / 2, fwd[mask] - left, left=left, height=height,
                    color=colours[bound], label=label)
    ax.barh(pos - height / 2, both - left, left=left, height=height, color=GREYS["light"],
            label="forward + backward")
    ax.axvline(1.0, color=GREYS["dark"], linewidth=1.0, linestyle="--", zorder=3,
               label="1 = a copy (the floor)")
    ax.set_xscale("log")
    ax.set_xlim(left, max(fwd.max(), both.max()) * 1.3)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.set_yticks(pos)
    ax.set_yticklabels([f"{r.name} ({len(r.kernels)})" for r in rows])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.grid(axis="y", visible=False)
    set_axes(ax, xlabel="time / time of a copy of the same tensor (log scale)",
             ylabel="activation (eager kernels)", title=title)
    ax.legend(loc="upper right", fontsize="small", frameon=True, framealpha=0.9)
    fig.tight_layout()
    return fig
