"""Looking inside a network, layer by layer: histograms, dead units, gradient norms, statistics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from acttutor.plots.base import finish_grid, new_axes, panel_grid, series_colour, set_axes
from acttutor.plots.lines import plot_lines

__all__ = [
    "plot_layer_histogram",
    "plot_layer_histograms",
    "plot_dead_fractions",
    "plot_gradient_norms",
    "plot_layer_statistics",
    "plot_layer_values",
]

_HIST_X = "activation value (symlog)"
_HIST_Y = "share of values"


def _per_layer(values: Mapping[str, object], caller: str) -> dict[str, list[float]]:
    """``{label: [value per layer]}`` from one ``{layer: value}`` dict or several."""
    if not isinstance(values, Mapping) or not values:
        raise ValueError(
            f"{caller} needs a non-empty dict: {{layer name: value}} for one model, or "
            "{label: {layer name: value}} for several."
        )
    first = next(iter(values.values()))
    runs = values if isinstance(first, Mapping) else {"": values}
    series: dict[str, list[float]] = {}
    for label, per_layer in runs.items():
        if not isinstance(per_layer, Mapping) or not per_layer:
            raise ValueError(f"{caller}: the values for {label!r} must be a non-empty dict.")
        try:
            series[str(label)] = [float(v) for v in per_layer.values()]
        except (TypeError, ValueError):
            raise ValueError(
                f"{caller}: the values for {label or 'the model'!r} must be numbers, one per "
                "layer, as returned by acttutor.diagnostics."
            ) from None
    return series


def _plot_per_layer(series: dict[str, list[float]], ax: Axes | None,
                    **labels: object) -> tuple[Figure, Axes]:
    """One line per model over the layers 1, 2, …, with a dot per layer."""
    fig, ax = new_axes(ax)
    plot_lines(series, markers=True, ax=ax, **labels)  # type: ignore[arg-type]
    ax.set_xticks(np.arange(1, max(len(ys) for ys in series.values()) + 1))
    return fig, ax


def _symlog_edges(groups: list[np.ndarray], bins: int) -> tuple[np.ndarray, float]:
    """Bin edges equally spaced on a symmetric-log scale, and that scale's linear threshold."""
    magnitudes = np.concatenate([np.abs(g[g != 0]) for g in groups])
    if magnitudes.size == 0:
        low, high = 1e-3, 1.0
    else:
        high = float(magnitudes.max())
        low = max(float(np.percentile(magnitudes, 1)), high * 1e-6)
        if low >= high:
            low = high / 10
    negative = any(float(g.min()) < 0 for g in groups)
    count = max(2, bins // 2 if negative else bins)
    positive = np.geomspace(low, high * (1 + 1e-9), count + 1)
    lower = -positive[::-1] if negative else np.array([-low])
    return np.concatenate([lower, positive]), low


def _symlog_ticks(low: float, high: float, *, negative: bool) -> list[float]:
    """0 and a few powers of ten between ``low`` and ``high`` (mirrored when negative)."""
    first, last = int(np.ceil(np.log10(low))), int(np.floor(np.log10(high)))
    powers = [10.0**k for k in range(first, last + 1)]
    step = max(1, -(-len(powers) // (2 if negative else 4)))
    powers = powers[::-1][::step][::-1]
    return [*(-p for p in reversed(powers) if negative), 0.0, *powers]


def plot_layer_histogram(
    values: np.ndarray,
    *,
    compare: np.ndarray | None = None,
    labels: tuple[str, str] = ("before training", "after training"),
    bins: int = 40,
    title: str = "",
    ax: Axes | None = None,
) -> Figure:
    """Histogram of one layer's activations, optionally overlaid with a second run.

    Both axes are logarithmic, so values of very different sizes (before and
    after training, say) show together: the x axis is symmetric-log (linear
    in a narrow band around 0, logarithmic outside), with bins of equal width
    on that scale, and the y axis is the share of all values (examples ×
    units) in each bin. The share of values that are exactly 0 is written in
    the panel; they fall in the narrow bin around 0.

    Example:

    >>> rng = np.random.default_rng(0)
    >>> fig = plot_layer_histogram(np.maximum(rng.normal(size=(100, 8)), 0), title="hidden_1")

    Args:
        values: The layer's outputs, any shape (flattened).
        compare: A second set of outputs of the same layer (for example after training).
        labels: Legend labels for ``values`` and ``compare``.
        bins: Number of bins, shared by both histograms.
        title: Title of the Axes.
        ax: Draw into this Axes instead of a new Figure.

    Returns:
        The Figure holding the plot.
    """
    try:
        groups = [np.asarray(values, dtype=np.float64).ravel()]
        if compare is not None:
            groups.append(np.asarray(compare, dtype=np.float64).ravel())
    except (TypeError, ValueError):
        raise ValueError("plot_layer_histogram needs arrays of numbers (a layer's outputs).") \
            from None
    groups = [g[np.isfinite(g)] for g in groups]
    if any(g.size == 0 for g in groups):
        raise ValueError("plot_layer_histogram needs at least one finite value in each set.")
    edges, linthresh = _symlog_edges(groups, int(bins))
    fig, ax = new_axes(ax)
    zeros = []
    for i, g in enumerate(groups):
        ax.hist(g, bins=edges, weights=np.full(g.size, 1.0 / g.size), histtype="stepfilled",
                alpha=0.35 if i == 0 else 0.3, color=series_colour(i),
                edgecolor=series_colour(i), linewidth=1.2,
                label=labels[i] if compare is not None else None)
        zeros.append(float(np.mean(g == 0.0)))
    ax.set_yscale("log")
    ax.set_xscale("symlog", linthresh=linthresh, linscale=0.5)
    ax.set_xlim(edges[0], edges[-1])
    ticks = _symlog_ticks(linthresh, float(edges[-1]), negative=bool(edges[0] < -linthresh))
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    text = " / ".join(f"{z:.0%}" for z in zeros)
    ax.text(0.97, 0.95, f"exact zeros: {text}", transform=ax.transAxes, ha="right",
            va="top", fontsize=8)
    set_axes(ax, xlabel=_HIST_X, ylabel=_HIST_Y, title=title, legend=compare is not None)
    return fig


def plot_layer_histograms(
    outputs: Mapping[str, np.ndarray],
    *,
    compare: Mapping[str, np.ndarray] | None = None,
    labels: tuple[str, str] = ("before training", "after training"),
    bins: int = 40,
    ncols: int = 5,
    panel_size: tuple[float, float] = (2.6, 2.2),
    title: str = "",
) -> Figure:
    """One histogram panel per layer (see :func:`plot_layer_histogram`), in a grid.

    Example:

    >>> rng = np.random.default_rng(0)
    >>> outs = {f"hidden_{i}": np.maximum(rng.normal(size=(50, 4)), 0) for i in (1, 2)}
    >>> fig = plot_layer_histograms(outs, compare=outs)

    Args:
        outputs: Layer name mapped to its outputs, as from
            :func:`acttutor.diagnostics.layer_outputs`.
        compare: The same layers' outputs from a second run (for example after training).
        labels: Legend labels for ``outputs`` and ``compare``.
        bins: Bins per histogram.
        ncols: Panels per row.
        panel_size: Width and height of one panel in inches.
        title: Title of the Figure.

    Returns:
        The Figure holding the grid.
    """
    if not isinstance(outputs, Mapping) or not outputs:
        raise ValueError("plot_layer_histograms needs a non-empty dict {layer name: outputs}.")
    if compare is not None:
        missing = [name for name in outputs if name not in compare]
        if missing:
            raise ValueError(f"plot_layer_histograms: compare lacks layer {missing[0]!r}.")
    fig, panels = panel_grid(len(outputs), ncols=ncols, panel_size=panel_size, sharey=True)
    for ax, name in zip(panels, outputs, strict=True):
        plot_layer_histogram(outputs[name], compare=None if compare is None else compare[name],
                             labels=labels, bins=bins, title=name, ax=ax)
        ax.tick_params(labelsize=7)
        spec = ax.get_subplotspec()
        ax.set_xlabel(_HIST_X if spec.is_last_row() else "")
        ax.set_ylabel(_HIST_Y if spec.is_first_col() else "")
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    return finish_grid(fig, title=title, legend_from=panels[0] if compare is not None else None)


def plot_dead_fractions(
    fractions: Mapping[str, float] | Mapping[str, Mapping[str, float]],
    *,
    ylabel: str = "dead units",
    title: str = "",
    ax: Axes | None = None,
) -> Figure:
    """Plot a per-layer share of units (dead, or inactive) for one or several models.

    Layers are numbered from 1 (next to the input); the y axis runs from 0%
    to 100%.

    Example:

    >>> fig = plot_dead_fractions({"before": {"h1": 0.0, "h2": 0.1},
    ...                            "after": {"h1": 0.2, "h2": 0.6}})

    Args:
        fractions: ``{layer name: fraction}`` for one model (as from
            :func:`acttutor.diagnostics.dead_unit_fraction`), or
            ``{label: {layer name: fraction}}`` for several.
        ylabel: Label of the y axis.
        title: Title of the Axes.
        ax: Draw into this Axes instead of a new Figure.

    Returns:
        The Figure holding the plot.
    """
    from matplotlib.ticker import PercentFormatter

    series = _per_layer(fractions, "plot_dead_fractions")
    fig, ax = _plot_per_layer(series, ax, xlabel="layer (1 = next to the input)",
                              ylabel=ylabel, title=title)
    ax.set_ylim(-0.03, 1.03)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    return fig


def plot_gradient_norms(
    norms: Mapping[str, float] | Mapping[str, Mapping[str, float]],
    *,
    title: str = "",
    ax: Axes | None = None,
) -> Figure:
    """Plot per-layer gradient norms on a log scale, for one or several models.

    Layers are numbered from 1 (next to the input) to the output layer. A
    line that rises steeply from left to right is a vanishing gradient: the
    first layers get far smaller updates than the last.

    Example:

    >>> fig = plot_gradient_norms({"sigmoid": {"h1": 1e-6, "h2": 1e-3, "out": 0.5},
    ...                            "relu": {"h1": 0.1, "h2": 0.1, "out": 0.2}})

    Args:
        norms: ``{layer name: norm}`` for one model (as from
            :func:`acttutor.diagnostics.gradient_norms`), or
            ``{label: {layer name: norm}}`` for several.
        title: Title of the Axes.
        ax: Draw into this Axes instead of a new Figure.

    Returns:
        The Figure holding the plot.
    """
    series = _per_layer(norms, "plot_gradient_norms")
    for label, ys in series.items():
        if any(not np.isfinite(y) or y <= 0 for y in ys):
            raise ValueError(
                f"plot_gradient_norms: the norms for {label or 'the model'!r} must be positive "
                "and finite to go on a log scale."
            )
    fig, _ = _plot_per_layer(series, ax, xlabel="Dense layer (1 = next to the input)",
                             ylabel="‖∂L/∂W‖ (log scale)", title=title, logy=True)
    return fig


def plot_layer_values(
    values: Mapping[str, float] | Mapping[str, Mapping[str, float]],
    *,
    ylabel: str,
    title: str = "",
    logy: bool = True,
    ax: Axes | None = None,
) -> Figure:
    """Plot any per-layer quantity, for one or several models, on a log scale by default.

    For the measurements of :mod:`acttutor.diagnostics` that have no plot of
    their own: the gradient RMS per kernel entry, the update-to-weight ratio,
    the spread of a layer's outputs across examples. Layers are numbered from
    1 (next to the input).

    Example:

    >>> fig = plot_layer_values({"SGD": {"h1": 1e-8, "h2": 1e-4, "out": 1e-2},
    ...                          "Adam": {"h1": 1e-4, "h2": 5e-3, "out": 6e-3}},
    ...                         ylabel="update / weight")

    Args:
        values: ``{layer name: value}`` for one model, or
            ``{label: {layer name: value}}`` for several.
        ylabel: Label of the y axis: what the values are.
        title: Title of the Axes.
        logy: Use a logarithmic y axis (the values must then be positive).
        ax: Draw into this Axes instead of a new Figure.

    Returns:
        The Figure holding the plot.
    """
    series = _per_layer(values, "plot_layer_values")
    if logy:
        for label, ys in series.items():
            if any(not np.isfinite(y) or y <= 0 for y in ys):
                raise ValueError(
                    f"plot_layer_values: the values for {label or 'the model'!r} must be "
                    "positive and finite to go on a log scale; pass logy=False otherwise."
                )
    fig, _ = _plot_per_layer(series, ax, xlabel="layer (1 = next to the input)",
                             ylabel=ylabel, title=title, logy=logy)
    return fig


def plot_layer_statistics(
    stats: Mapping[str, Mapping[str, Sequence[float]]],
    *,
    title: str = "",
    logy_std: bool = False,
) -> Figure:
    """Plot the mean and standard deviation of activations layer by layer, side by side.

    Example:

    >>> fig = plot_layer_statistics({"selu": {"mean": [0.0, 0.1], "std": [1.0, 0.9]}})

    Args:
        stats: Label mapped to ``{"mean": [...], "std": [...]}``, one value per layer.
        title: Title of the Figure.
        logy_std: Use a logarithmic axis for the standard deviation.

    Returns:
        The Figure with two Axes (mean, standard deviation).
    """
    if not isinstance(stats, Mapping) or not stats:
        raise ValueError("plot_layer_statistics needs at least one run: "
                         "{label: {'mean': [...], 'std': [...]}}.")
    for label, s in stats.items():
        if not isinstance(s, Mapping) or not {"mean", "std"} <= set(s):
            raise ValueError(f"plot_layer_statistics: {label!r} needs 'mean' and 'std', one "
                             "value per layer.")
    fig, (left, right) = panel_grid(2, ncols=2, panel_size=(5.5, 4.0))
    plot_lines({k: v["mean"] for k, v in stats.items()}, xlabel="layer", ylabel="mean",
               title="mean of the activations", hline=0.0, ax=left)
    plot_lines({k: v["std"] for k, v in stats.items()}, xlabel="layer",
               ylabel="standard deviation", title="standard deviation of the activations",
               hline=1.0, logy=logy_std, ax=right)
    right.get_legend().remove()
    return finish_grid(fig, title=title)
