"""Every figure the book draws.

Each public function returns a :class:`matplotlib.figure.Figure`. Pass
``ax=`` to draw into an existing Axes; the function then returns that Axes'
Figure. Figures are closed from pyplot's registry before they are returned,
so a notebook shows each one exactly once (as the cell's value).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from acttutor.activations import CATALOG, resolve
from acttutor.activations import derivative as _derivative

__all__ = [
    "new_axes",
    "plot_activation",
    "plot_activations",
    "plot_catalog",
    "plot_curves",
    "plot_dead_fractions",
    "plot_fits",
    "plot_histories",
    "plot_gradient_norms",
    "plot_layer_histogram",
    "plot_layer_histograms",
    "plot_layer_statistics",
    "plot_series",
    "plot_test_accuracies",
    "plot_vector_activations",
    "set_axes",
    # core activations (issue 3)
    "plot_distribution_bars",
    "plot_lines",
    "plot_loss_curves",
    "plot_ratio_bars",
    "plot_trajectories",
    # cost (issue 9)
    "plot_costs",
]

DEFAULT_X = np.linspace(-10.0, 10.0, 401, dtype=np.float32)


def new_axes(ax: Axes | None = None, **subplots_kw: object) -> tuple[Figure, Axes]:
    """Return ``(figure, axes)``: the given Axes, or a fresh Figure with one Axes.

    Example:

    >>> fig, ax = new_axes()

    Args:
        ax: An existing Axes, or ``None`` for a new Figure.
        **subplots_kw: Passed to :func:`matplotlib.pyplot.subplots` for a new Figure.

    Returns:
        The Figure and the Axes to draw into.
    """
    if ax is not None:
        return ax.figure, ax
    fig, new = plt.subplots(**subplots_kw)  # type: ignore[arg-type]
    plt.close(fig)  # the caller returns it; the notebook displays it once
    return fig, new


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
        ax.axhline(0.0, color="0.4", linewidth=0.8, zorder=0)
        ax.axvline(0.0, color="0.4", linewidth=0.8, zorder=0)
    if legend:
        ax.legend()
    return ax


def plot_activation(
    fn_or_name: str | Callable,
    x: np.ndarray | None = None,
    *,
    derivative: bool = False,
    ax: Axes | None = None,
    label: str | None = None,
) -> Figure:
    """Plot an activation function, and optionally its derivative, over ``x``.

    The derivative comes from ``tf.GradientTape`` (see
    :func:`acttutor.activations.derivative`), not from a hand-written formula.

    Example:

    >>> fig = plot_activation("relu", derivative=True)

    Args:
        fn_or_name: A name from ``keras.activations`` (``"relu"``) or a function of one tensor.
        x: Input points; by default 401 points over [-10, 10].
        derivative: Also draw the derivative as a dashed line.
        ax: Draw into this Axes instead of a new Figure.
        label: Legend label for the function; defaults to its name.

    Returns:
        The Figure holding the plot.
    """
    name, fn = resolve(fn_or_name)
    xs = DEFAULT_X if x is None else np.asarray(x, dtype=np.float32)
    if xs.ndim != 1 or xs.size < 2:
        raise ValueError(f"x must be a 1-D array of at least 2 points, got shape {xs.shape}.")
    fig, ax = new_axes(ax)
    ys = np.asarray(fn(xs))
    ax.plot(xs, ys, label=label or name)
    if derivative:
        ax.plot(xs, _derivative(fn, xs), linestyle="--", label=f"{label or name}′ (derivative)")
    set_axes(ax, xlabel="x", ylabel="f(x)", title=name, legend=True, origin_lines=True)
    return fig


def plot_activations(
    names: Sequence[str | Callable],
    x: np.ndarray | None = None,
    *,
    derivative: bool = False,
    ncols: int = 3,
    panel_size: tuple[float, float] = (3.6, 2.8),
) -> Figure:
    """Plot several activations in a grid, one panel each.

    Example:

    >>> fig = plot_activations(["relu", "sigmoid", "tanh"], derivative=True)

    Args:
        names: Activation names or functions.
        x: Input points; by default 401 points over [-10, 10].
        derivative: Also draw each derivative.
        ncols: Panels per row.
        panel_size: Width and height of one panel in inches.

    Returns:
        The Figure holding the grid.
    """
    names = list(names)
    if not names:
        raise ValueError("plot_activations needs at least one activation.")
    ncols = max(1, min(ncols, len(names)))
    nrows = -(-len(names) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows), squeeze=False
    )
    plt.close(fig)
    flat = axes.ravel()
    for ax, name in zip(flat, names, strict=False):
        plot_activation(name, x, derivative=derivative, ax=ax)
        ax.set_xlabel("")
        ax.set_ylabel("")
        if ax.get_legend() is not None and not derivative:
            ax.get_legend().remove()
    for ax in flat[len(names):]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


# --- intro (issue 2) ---


def plot_fits(
    x: np.ndarray,
    y: np.ndarray,
    predictions: dict[str, np.ndarray],
    *,
    ax: Axes | None = None,
    title: str = "",
) -> Figure:
    """Plot a 1-D regression target and the predictions of several models.

    Example:

    >>> x = np.linspace(-1, 1, 50)
    >>> fig = plot_fits(x, x**2, {"line": 0 * x})

    Args:
        x: Inputs, shape ``(n,)`` or ``(n, 1)``.
        y: Targets, the same length as ``x``.
        predictions: Model name to predictions, each the same length as ``x``.
        ax: Draw into this Axes instead of a new Figure.
        title: Title of the Axes.

    Returns:
        The Figure holding the plot.
    """
    xs = np.asarray(x).reshape(-1)
    fig, ax = new_axes(ax)
    ax.plot(xs, np.asarray(y).reshape(-1), color="0.6", linewidth=4, label="target", zorder=1)
    for name, pred in predictions.items():
        ax.plot(xs, np.asarray(pred).reshape(-1), label=name, zorder=2)
    set_axes(ax, xlabel="x", ylabel="y", title=title, legend=True)
    return fig


# --- catalog (issue 4) ---


def plot_catalog(
    names: Sequence[str | Callable],
    x: np.ndarray | None = None,
    *,
    ncols: int = 5,
    panel_size: tuple[float, float] = (2.9, 2.2),
) -> Figure:
    """Plot many element-wise activations and their derivatives, one small panel each.

    Each panel draws the function (solid) and its ``tf.GradientTape``
    derivative (dashed) on shared styling, with one legend for the figure.

    Example:

    >>> fig = plot_catalog(["relu", "gelu", "tanh"], ncols=3)

    Args:
        names: Catalog names or functions of one tensor (element-wise).
        x: Input points; by default 401 points over [-4, 4].
        ncols: Panels per row.
        panel_size: Width and height of one panel in inches.

    Returns:
        The Figure holding the grid.
    """
    names = list(names)
    if not names:
        raise ValueError("plot_catalog needs at least one activation.")
    xs = np.linspace(-4.0, 4.0, 401, dtype=np.float32) if x is None else np.asarray(
        x, dtype=np.float32)
    ncols = max(1, min(ncols, len(names)))
    nrows = -(-len(names) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows + 0.5),
        squeeze=False,
    )
    plt.close(fig)
    flat = axes.ravel()
    for ax, item in zip(flat, names, strict=False):
        name, fn = resolve(item)
        ys = np.asarray(fn(xs))
        entry = CATALOG.get(name) if isinstance(item, str) else None
        if ys.shape != xs.shape or (entry is not None and not entry.elementwise):
            raise ValueError(f"plot_catalog draws element-wise functions; {name!r} is not one.")
        ax.plot(xs, ys, color="C0", label="f(x)")
        ax.plot(xs, _derivative(fn, xs), color="C1", linestyle="--", label="f′(x)")
        set_axes(ax, title=name, origin_lines=True)
        ax.title.set_fontsize(10)
        ax.tick_params(labelsize=8)
    for ax in flat[len(names):]:
        ax.set_visible(False)
    handles, labels = flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / fig.get_figheight()))
    return fig


def plot_curves(
    curves: Mapping[str, Callable],
    x: np.ndarray | None = None,
    *,
    title: str = "",
    derivative: bool = False,
    ax: Axes | None = None,
) -> Figure:
    """Plot several functions of one tensor on the same Axes, one labelled line each.

    Useful for a parameter sweep (ELU with several ``alpha``) or a
    before/after comparison (a PReLU layer before and after training).

    Example:

    >>> import tensorflow as tf
    >>> fig = plot_curves({"relu": tf.nn.relu, "softplus": tf.nn.softplus}, title="two")

    Args:
        curves: Legend label mapped to a function of one tensor (or a name
            from ``keras.activations``).
        x: Input points; by default 401 points over [-10, 10].
        title: Title of the Axes.
        derivative: Draw each function's derivative instead of the function.
        ax: Draw into this Axes instead of a new Figure.

    Returns:
        The Figure holding the plot.
    """
    if not curves:
        raise ValueError("plot_curves needs at least one curve.")
    xs = DEFAULT_X if x is None else np.asarray(x, dtype=np.float32)
    fig, ax = new_axes(ax)
    for label, item in curves.items():
        _, fn = resolve(item)
        ys = _derivative(fn, xs) if derivative else np.asarray(fn(xs))
        ax.plot(xs, ys, label=label)
    set_axes(ax, xlabel="x", ylabel="f′(x)" if derivative else "f(x)", title=title,
             legend=True, origin_lines=True)
    return fig


def plot_series(
    series: Mapping[str, Sequence[float]],
    *,
    x: Sequence[float] | None = None,
    xlabel: str = "",
    ylabel: str = "",
    title: str = "",
    logy: bool = False,
    hline: float | None = None,
    dashed: Sequence[str] = (),
    markers: bool = True,
    origin_lines: bool = False,
    ax: Axes | None = None,
) -> Figure:
    """Plot named sequences of numbers (per step, per layer) as labelled lines.

    Example:

    >>> fig = plot_series({"loss": [1.0, 0.5, 0.25]}, xlabel="step", logy=True)

    Args:
        series: Legend label mapped to a sequence of values.
        x: Positions of the values; by default 1, 2, 3, ...
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        title: Title of the Axes.
        logy: Use a logarithmic y axis.
        hline: Draw a faint reference line at this y value.
        dashed: Labels of the series to draw dashed (for example derivatives).
        markers: Mark each value with a dot.
        origin_lines: Draw faint lines through the origin.
        ax: Draw into this Axes instead of a new Figure.

    Returns:
        The Figure holding the plot.
    """
    if not series:
        raise ValueError("plot_series needs at least one series.")
    fig, ax = new_axes(ax)
    for label, values in series.items():
        ys = np.asarray(values, dtype=float).reshape(-1)
        xs = np.arange(1, ys.size + 1) if x is None else np.asarray(x, dtype=float).reshape(-1)
        ax.plot(xs, ys, marker="o" if markers else None, markersize=3,
                linestyle="--" if label in dashed else "-", label=label)
    if hline is not None:
        ax.axhline(hline, color="0.4", linewidth=0.8, linestyle=":", zorder=0)
    if logy:
        ax.set_yscale("log")
    set_axes(ax, xlabel=xlabel, ylabel=ylabel, title=title, legend=True,
             origin_lines=origin_lines)
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
    if not stats:
        raise ValueError("plot_layer_statistics needs at least one run.")
    fig, (left, right) = plt.subplots(1, 2, figsize=(11.0, 4.0))
    plt.close(fig)
    plot_series({k: v["mean"] for k, v in stats.items()}, xlabel="layer", ylabel="mean",
                title="mean of the activations", hline=0.0, ax=left)
    plot_series({k: v["std"] for k, v in stats.items()}, xlabel="layer",
                ylabel="standard deviation", title="standard deviation of the activations",
                hline=1.0, logy=logy_std, ax=right)
    right.get_legend().remove()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_vector_activations(
    names: Sequence[str], logits: Sequence[float], *, panel_size: tuple[float, float] = (3.0, 2.6)
) -> Figure:
    """Bar charts of a vector of logits and of each vector-valued activation applied to it.

    Example:

    >>> fig = plot_vector_activations(["softmax", "sparsemax"], [1.0, 2.0, 0.5, -1.0])

    Args:
        names: Names of activations that act on a whole vector (``softmax``,
            ``log_softmax``, ``sparsemax``, ``glu``).
        logits: The input vector.
        panel_size: Width and height of one panel in inches.

    Returns:
        The Figure, one panel for the input and one per activation.
    """
    z = np.asarray(logits, dtype=np.float32).reshape(-1)
    if z.size < 2:
        raise ValueError("plot_vector_activations needs a vector of at least 2 logits.")
    names = list(names)
    fig, axes = plt.subplots(
        1, len(names) + 1, figsize=(panel_size[0] * (len(names) + 1), panel_size[1]),
        squeeze=False,
    )
    plt.close(fig)
    panels = [("input logits", z, "0.35")]
    for i, item in enumerate(names):
        name, fn = resolve(item)
        panels.append((name, np.asarray(fn(z[None, :]))[0], f"C{i % 6}"))
    for ax, (name, values, colour) in zip(axes[0], panels, strict=True):
        ax.bar(np.arange(values.size), values, color=colour)
        ax.set_xticks(np.arange(values.size))
        set_axes(ax, xlabel="position", title=name)
        ax.axhline(0.0, color="0.4", linewidth=0.8)
    fig.tight_layout()
    return fig


# --- diagnostics (issue 7) ---


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


def _draw_per_layer(ax: Axes, series: dict[str, list[float]], *, marker: str = "o") -> None:
    for i, (label, ys) in enumerate(series.items()):
        xs = np.arange(1, len(ys) + 1)
        ax.plot(xs, ys, marker=marker, markersize=4, label=label or None,
                color=f"C{i % 8}")
    longest = max(len(ys) for ys in series.values())
    ax.set_xticks(np.arange(1, longest + 1))
    if any(series):
        ax.legend()


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
    groups = [np.asarray(values, dtype=np.float64).ravel()]
    if compare is not None:
        groups.append(np.asarray(compare, dtype=np.float64).ravel())
    groups = [g[np.isfinite(g)] for g in groups]
    if any(g.size == 0 for g in groups):
        raise ValueError("plot_layer_histogram needs at least one finite value in each set.")
    edges, linthresh = _symlog_edges(groups, int(bins))
    fig, ax = new_axes(ax)
    zeros = []
    for i, g in enumerate(groups):
        ax.hist(g, bins=edges, weights=np.full(g.size, 1.0 / g.size), histtype="stepfilled",
                alpha=0.35 if i == 0 else 0.3, color=f"C{i}", edgecolor=f"C{i}",
                linewidth=1.2, label=labels[i] if compare is not None else None)
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
    set_axes(ax, xlabel="activation value (symlog)", ylabel="share of values", title=title,
             legend=compare is not None)
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
    names = list(outputs)
    ncols = max(1, min(int(ncols), len(names)))
    nrows = -(-len(names) // ncols)
    header = (0.35 if title else 0.0) + (0.35 if compare is not None else 0.0)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size[0] * ncols,
                                                    panel_size[1] * nrows + header),
                             squeeze=False, sharey=True)
    plt.close(fig)
    flat = axes.ravel()
    for ax, name in zip(flat, names, strict=False):
        plot_layer_histogram(outputs[name], compare=None if compare is None else compare[name],
                             labels=labels, bins=bins, title=name, ax=ax)
        ax.tick_params(labelsize=7)
        ax.set_xlabel("")
        ax.set_ylabel("")
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    for ax in flat[len(names):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("share of values")
    for ax in axes[-1, :]:
        ax.set_xlabel("activation value (symlog)")
    height = fig.get_figheight()
    top = 1.0
    if title:
        fig.suptitle(title, y=top - 0.05 / height, va="top")
        top -= 0.35 / height
    if compare is not None:
        handles, legend_labels = flat[0].get_legend_handles_labels()
        fig.legend(handles, legend_labels, loc="upper center", ncol=2, frameon=False,
                   bbox_to_anchor=(0.5, top))
        top -= 0.35 / height
    fig.tight_layout(rect=(0, 0, 1, top))
    return fig


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
    fig, ax = new_axes(ax)
    _draw_per_layer(ax, series)
    ax.set_ylim(-0.03, 1.03)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    set_axes(ax, xlabel="layer (1 = next to the input)", ylabel=ylabel, title=title)
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
    fig, ax = new_axes(ax)
    _draw_per_layer(ax, series)
    ax.set_yscale("log")
    set_axes(ax, xlabel="Dense layer (1 = next to the input)",
             ylabel="‖∂L/∂W‖ (log scale)", title=title)
    return fig


# --- training (issue 5) ---


def _runs_by_name(results: Mapping) -> dict[str, list]:
    """``{name: [run, ...]}`` from ``{name: run}`` or ``{name: [run, ...]}``."""
    if not isinstance(results, Mapping) or not results:
        raise TypeError(
            "Expected a non-empty dict {name: RunResult} or {name: [RunResult, ...]} "
            f"(the output of compare_activations), got {type(results).__name__}."
        )
    out = {}
    for name, runs in results.items():
        runs = [runs] if hasattr(runs, "history") else list(runs)
        if not runs or not all(hasattr(r, "history") for r in runs):
            raise TypeError(f"results[{name!r}] must be a RunResult or a list of them.")
        out[str(name)] = runs
    return out


def plot_histories(
    results: Mapping,
    metric: str = "accuracy",
    *,
    axes: Sequence[Axes] | None = None,
    panel_size: tuple[float, float] = (5.2, 3.6),
) -> Figure:
    """Plot training and validation curves per activation, side by side.

    The left panel shows ``metric`` on the training data, the right panel
    ``val_<metric>`` on the held-out validation split, one line per
    activation. For several runs (seeds) of an activation, the line is the
    mean over runs and the shaded band spans the lowest to the highest run.

    Example:

    >>> from acttutor.training import RunResult
    >>> run = RunResult(history={"accuracy": [0.8, 0.9], "val_accuracy": [0.85, 0.88],
    ...                          "loss": [0.5, 0.3], "val_loss": [0.4, 0.35]},
    ...                 test_acc=0.87, test_loss=0.36, seconds=1.0)
    >>> fig = plot_histories({"relu": [run, run], "tanh": run})
    >>> [ax.get_title() for ax in fig.axes]
    ['Training accuracy', 'Validation accuracy']

    Args:
        results: ``{name: RunResult}`` or ``{name: [RunResult, ...]}``, as
            :func:`acttutor.training.compare_activations` returns.
        metric: A history key such as ``"accuracy"`` or ``"loss"``.
        axes: Two existing Axes to draw into (training, validation).
        panel_size: Width and height of one panel in inches.

    Returns:
        The Figure holding both panels.
    """
    runs_by_name = _runs_by_name(results)
    keys = (metric, f"val_{metric}")
    for name, runs in runs_by_name.items():
        for key in keys:
            if any(key not in r.history for r in runs):
                have = ", ".join(sorted(runs[0].history))
                raise KeyError(f"A run of {name!r} has no {key!r} in its history; it has {have}.")
    if axes is None:
        fig, pair = plt.subplots(
            1, 2, figsize=(2 * panel_size[0], panel_size[1]), sharey=True, squeeze=True
        )
        plt.close(fig)
    else:
        pair = list(axes)
        if len(pair) != 2:
            raise ValueError(f"axes must be two Axes (training, validation), got {len(pair)}.")
        fig = pair[0].figure
    several = any(len(runs) > 1 for runs in runs_by_name.values())
    label_metric = metric.replace("_", " ")
    for ax, key, where in zip(pair, keys, ("Training", "Validation"), strict=True):
        for i, (name, runs) in enumerate(runs_by_name.items()):
            length = min(len(r.history[key]) for r in runs)
            curves = np.array([r.history[key][:length] for r in runs], dtype=float)
            epochs = np.arange(1, length + 1)
            style = "-" if i < 8 else "--"
            label = name if len(runs) == 1 else f"{name} ({len(runs)} runs)"
            (line,) = ax.plot(epochs, curves.mean(axis=0), style, marker="o", markersize=3,
                              label=label)
            if len(runs) > 1:
                ax.fill_between(epochs, curves.min(axis=0), curves.max(axis=0),
                                color=line.get_color(), alpha=0.15, linewidth=0)
        ax.xaxis.get_major_locator().set_params(integer=True)
        set_axes(ax, xlabel="epoch", ylabel=label_metric, title=f"{where} {label_metric}")
    pair[1].legend(loc="best", fontsize="small")
    if several:
        fig.suptitle("mean over seeds; band: lowest to highest run", fontsize="small")
    if axes is None:
        fig.tight_layout()
    return fig


def plot_test_accuracies(results: Mapping, *, ax: Axes | None = None) -> Figure:
    """Plot every run's test accuracy, one row per activation, best mean on top.

    Each dot is one run (one seed) and the bar marks the mean, so the gap
    between activations can be judged against the spread between seeds.

    Example:

    >>> from acttutor.training import RunResult
    >>> def run(acc):
    ...     return RunResult(history={}, test_acc=acc, test_loss=0.0, seconds=1.0)
    >>> fig = plot_test_accuracies({"relu": [run(0.93), run(0.94)], "tanh": [run(0.92)]})

    Args:
        results: ``{name: RunResult}`` or ``{name: [RunResult, ...]}``.
        ax: Draw into this Axes instead of a new Figure.

    Returns:
        The Figure holding the plot.
    """
    runs_by_name = _runs_by_name(results)
    order = sorted(runs_by_name, key=lambda n: np.mean([r.test_acc for r in runs_by_name[n]]))
    fig, ax = new_axes(ax, figsize=(6.4, 0.45 * len(order) + 1.2))
    for row, name in enumerate(order):
        accs = np.array([r.test_acc for r in runs_by_name[name]], dtype=float)
        ax.plot(accs, np.full(len(accs), row), "o", color="#0072B2", alpha=0.8)
        ax.plot([accs.mean()] * 2, [row - 0.3, row + 0.3], color="#D55E00", linewidth=2.5)
    ax.set_yticks(range(len(order)), order)
    ax.set_ylim(-0.6, len(order) - 0.4)
    ax.plot([], [], "o", color="#0072B2", label="one run (seed)")
    ax.plot([], [], color="#D55E00", linewidth=2.5, label="mean")
    set_axes(ax, xlabel="test accuracy", title="Test accuracy of every run", legend=True)
    ax.grid(axis="y", visible=False)
    return fig


# --- core activations (issue 3) ---


def plot_lines(
    x: Sequence[float] | np.ndarray,
    lines: Mapping[str, Sequence[float] | np.ndarray],
    *,
    xlabel: str = "x",
    ylabel: str = "",
    title: str = "",
    dashed: Sequence[str] = (),
    logy: bool = False,
    origin_lines: bool = False,
    ax: Axes | None = None,
) -> Figure:
    """Plot precomputed values against shared x positions, one labelled line each.

    Use it when the values come from a computation on the page (a derivative
    from ``tf.GradientTape``, a product over layers) rather than from a function.

    Example:

    >>> fig = plot_lines([0, 1, 2], {"p": [0.1, 0.5, 0.9], "p′": [0.09, 0.25, 0.09]},
    ...                  dashed=["p′"])

    Args:
        x: Positions shared by every line.
        lines: Legend label mapped to values, one per position in ``x``.
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        title: Title of the Axes.
        dashed: Labels of the lines to draw dashed (for example derivatives).
        logy: Use a logarithmic y axis.
        origin_lines: Draw faint lines through the origin.
        ax: Draw into this Axes instead of a new Figure.

    Returns:
        The Figure holding the plot.
    """
    if not lines:
        raise ValueError("plot_lines needs at least one line.")
    xs = np.asarray(x, dtype=float).reshape(-1)
    for label, values in lines.items():
        size = np.asarray(values).size
        if size != xs.size:
            raise ValueError(f"Line {label!r} has {size} values for {xs.size} x positions.")
    return plot_series(lines, x=xs, xlabel=xlabel, ylabel=ylabel, title=title, logy=logy,
                       dashed=dashed, markers=False, origin_lines=origin_lines, ax=ax)


def plot_loss_curves(
    curves: Mapping[str, Sequence[Sequence[float]]],
    *,
    xlabel: str = "epoch",
    ylabel: str = "training loss",
    title: str = "",
    logy: bool = False,
    ax: Axes | None = None,
) -> Figure:
    """Plot several runs per name: each run as a thin line, their mean as a thick one.

    Seeing every run next to the mean shows whether a gap between two
    settings is larger than the spread between seeds.

    Example:

    >>> fig = plot_loss_curves({"tanh": [[0.7, 0.4, 0.2], [0.7, 0.5, 0.3]],
    ...                         "sigmoid": [[0.7, 0.69, 0.68]]})

    Args:
        curves: Name mapped to a list of runs, each a sequence of losses (one per epoch).
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        title: Title of the Axes.
        logy: Use a logarithmic y axis.
        ax: Draw into this Axes instead of a new Figure.

    Returns:
        The Figure holding the plot.
    """
    if not curves:
        raise ValueError("plot_loss_curves needs at least one named set of runs.")
    fig, ax = new_axes(ax)
    for i, (name, runs) in enumerate(curves.items()):
        runs = [np.asarray(r, dtype=float).reshape(-1) for r in runs]
        if not runs or any(r.size == 0 for r in runs):
            raise ValueError(f"plot_loss_curves: {name!r} needs at least one non-empty run.")
        length = min(r.size for r in runs)
        stacked = np.stack([r[:length] for r in runs])
        epochs = np.arange(1, length + 1)
        colour = f"C{i % 8}"
        for run in stacked:
            ax.plot(epochs, run, color=colour, linewidth=0.8, alpha=0.45)
        label = name if len(runs) == 1 else f"{name} (mean of {len(runs)} runs)"
        ax.plot(epochs, stacked.mean(axis=0), color=colour, linewidth=2.4, label=label)
    if logy:
        ax.set_yscale("log")
    set_axes(ax, xlabel=xlabel, ylabel=ylabel, title=title, legend=True)
    return fig


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
    if not ratios:
        raise ValueError("plot_ratio_bars needs at least one ratio.")
    names = list(ratios)
    values = np.array([float(ratios[n]) for n in names])
    fig, ax = new_axes(ax)
    bars = ax.bar(names, values, color=[f"C{i % 8}" for i in range(len(names))])
    ax.bar_label(bars, labels=[f"{v:.2f}×" for v in values], padding=2)
    if reference is not None:
        ax.axhline(reference, color="0.3", linewidth=1.0, linestyle=":", zorder=0)
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
    if not distributions:
        raise ValueError("plot_distribution_bars needs at least one distribution.")
    rows = {k: np.asarray(v, dtype=float).reshape(-1) for k, v in distributions.items()}
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
        ax.bar(positions + (i - (len(rows) - 1) / 2) * width, values, width, label=name)
    ax.set_xticks(positions, labels)
    set_axes(ax, xlabel=xlabel, ylabel=ylabel, title=title, legend=True)
    ax.grid(axis="x", visible=False)
    return fig


def plot_trajectories(
    paths: Mapping[str, np.ndarray],
    *,
    target: Sequence[float] | None = None,
    xlabel: str = "w₁",
    ylabel: str = "w₂",
    title: str = "",
    ax: Axes | None = None,
) -> Figure:
    """Plot the path of two weights during training, one line per run.

    Each path starts at a hollow circle; ``target`` (the best weights) is a star.

    Example:

    >>> import numpy as np
    >>> path = np.array([[0.0, 0.0], [0.5, 0.4], [0.6, -0.2], [1.0, -1.0]])
    >>> fig = plot_trajectories({"SGD": path}, target=[1.0, -1.0])

    Args:
        paths: Label mapped to an array of shape ``(steps + 1, 2)``.
        target: The point the weights should reach.
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        title: Title of the Axes.
        ax: Draw into this Axes instead of a new Figure.

    Returns:
        The Figure holding the plot.
    """
    if not paths:
        raise ValueError("plot_trajectories needs at least one path.")
    fig, ax = new_axes(ax)
    for i, (name, path) in enumerate(paths.items()):
        p = np.asarray(path, dtype=float)
        if p.ndim != 2 or p.shape[1] != 2 or p.shape[0] < 2:
            raise ValueError(f"Path {name!r} must have shape (steps + 1, 2), got {p.shape}.")
        colour = f"C{i % 8}"
        ax.plot(p[:, 0], p[:, 1], color=colour, linewidth=1.3, marker=".", markersize=4,
                label=name)
        ax.plot(p[0, 0], p[0, 1], "o", color=colour, markerfacecolor="none", markersize=9)
    if target is not None:
        ax.plot(target[0], target[1], "*", color="0.15", markersize=14, label="target")
    ax.set_aspect("equal", adjustable="datalim")
    set_axes(ax, xlabel=xlabel, ylabel=ylabel, title=title, legend=True)
    return fig


# --- cost (issue 9) ---


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

    from acttutor import PALETTE

    rows = list(getattr(table, "rows", ()))
    if not rows:
        raise ValueError(
            "plot_costs needs a CostTable with at least one row: "
            "pass the result of acttutor.cost.measure_costs(...)."
        )
    fwd = np.array([float(r.forward) for r in rows])
    both = np.array([float(r.forward_backward) for r in rows])
    if not (np.isfinite(fwd).all() and np.isfinite(both).all() and (fwd > 0).all()
            and (both > 0).all()):
        raise ValueError("plot_costs: every ratio must be finite and positive.")
    fig, ax = new_axes(ax, figsize=(7.0, 0.32 * len(rows) + 1.6))
    pos = np.arange(len(rows))[::-1]  # first row at the top
    height = 0.38
    # A log axis has no zero: bars start at a fixed left edge below every value.
    left = 2.0 ** np.floor(np.log2(min(fwd.min(), both.min(), 1.0) / 1.2))
    colours = {"memory": PALETTE[0], "compute": PALETTE[3]}
    for bound, label in (("memory", "forward (memory-bound)"),
                         ("compute", "forward (compute-bound)")):
        mask = np.array([r.bound == bound for r in rows])
        if mask.any():
            ax.barh(pos[mask] + height / 2, fwd[mask] - left, left=left, height=height,
                    color=colours[bound], label=label)
    ax.barh(pos - height / 2, both - left, left=left, height=height, color="0.72",
            label="forward + backward")
    ax.axvline(1.0, color="0.2", linewidth=1.0, linestyle="--", zorder=3,
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
