"""Every figure the book draws.

Each public function returns a :class:`matplotlib.figure.Figure`. Pass
``ax=`` to draw into an existing Axes; the function then returns that Axes'
Figure. Figures are closed from pyplot's registry before they are returned,
so a notebook shows each one exactly once (as the cell's value).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from acttutor.activations import derivative as _derivative
from acttutor.activations import resolve

__all__ = [
    "new_axes",
    "plot_activation",
    "plot_activations",
    "plot_fits",
    "set_axes",
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
