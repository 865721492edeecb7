"""Activation functions drawn: one, a grid of several, the catalog, and vector-valued ones."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from acttutor.activations import CATALOG, resolve
from acttutor.activations import derivative as _derivative
from acttutor.plots.base import (
    GREYS,
    finish_grid,
    function_inputs,
    panel_grid,
    series_colour,
    set_axes,
)
from acttutor.plots.lines import plot_lines

__all__ = ["plot_activation", "plot_activations", "plot_catalog", "plot_vector_activations"]


def _names(names: Sequence[str | Callable], caller: str) -> list[str | Callable]:
    if isinstance(names, str) or callable(names):
        return [names]  # one activation given on its own
    items = list(names)
    if not items:
        raise ValueError(f"{caller} needs at least one activation.")
    return items


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
    xs = function_inputs(x)
    label = label or name
    lines = {label: np.asarray(fn(xs))}
    dashed = []
    if derivative:
        dashed.append(f"{label}′ (derivative)")
        lines[dashed[0]] = np.asarray(_derivative(fn, xs))
    return plot_lines(lines, x=xs, dashed=dashed, markers=False, origin_lines=True,
                      xlabel="x", ylabel="f(x)", title=name, ax=ax)


def plot_activations(
    names: Sequence[str | Callable],
    x: np.ndarray | None = None,
    *,
    derivative: bool = False,
    ncols: int = 3,
    panel_size: tuple[float, float] = (3.6, 2.8),
) -> Figure:
    """Plot several activations in a grid, one panel each, titled with its name.

    Example:

    >>> fig = plot_activations(["relu", "sigmoid", "tanh"], derivative=True)

    Args:
        names: Activation names or functions.
        x: Input points; by default 401 points over [-10, 10].
        derivative: Also draw each derivative (and a legend per panel).
        ncols: Panels per row.
        panel_size: Width and height of one panel in inches.

    Returns:
        The Figure holding the grid.
    """
    items = _names(names, "plot_activations")
    fig, panels = panel_grid(len(items), ncols=ncols, panel_size=panel_size)
    for ax, item in zip(panels, items, strict=True):
        plot_activation(item, x, derivative=derivative, ax=ax)
        ax.set_xlabel("")
        ax.set_ylabel("")
        if not derivative:
            ax.get_legend().remove()  # the title already names the one line
    return finish_grid(fig)


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
    items = _names(names, "plot_catalog")
    xs = function_inputs(np.linspace(-4.0, 4.0, 401) if x is None else x)
    resolved = [resolve(item) for item in items]
    for item, (name, _) in zip(items, resolved, strict=True):
        entry = CATALOG.get(name) if isinstance(item, str) else None
        if entry is not None and not entry.elementwise:
            raise ValueError(f"plot_catalog draws element-wise functions; {name!r} is not one.")
    fig, panels = panel_grid(len(items), ncols=ncols, panel_size=panel_size)
    for ax, (name, fn) in zip(panels, resolved, strict=True):
        values = np.asarray(fn(xs))
        if values.shape != xs.shape:
            raise ValueError(f"plot_catalog draws element-wise functions; {name!r} is not one.")
        plot_lines({"f(x)": values, "f′(x)": _derivative(fn, xs)}, x=xs, dashed=["f′(x)"],
                   markers=False, origin_lines=True, xlabel="", ylabel="", title=name, ax=ax)
        ax.get_legend().remove()
        ax.title.set_fontsize(10)
        ax.tick_params(labelsize=8)
    return finish_grid(fig, legend_from=panels[0])


def plot_vector_activations(
    names: Sequence[str | Callable],
    logits: Sequence[float],
    *,
    panel_size: tuple[float, float] = (3.0, 2.6),
) -> Figure:
    """Bar charts of a vector of logits and of each vector-valued activation applied to it.

    Example:

    >>> fig = plot_vector_activations(["softmax", "sparsemax"], [1.0, 2.0, 0.5, -1.0])

    Args:
        names: Names of activations that act on a whole vector (``softmax``,
            ``log_softmax``, ``sparsemax``, ``glu``), or such functions.
        logits: The input vector.
        panel_size: Width and height of one panel in inches.

    Returns:
        The Figure, one panel for the input and one per activation.
    """
    try:
        z = np.asarray(logits, dtype=np.float32).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError("plot_vector_activations needs logits: a vector of numbers.") from None
    if z.size < 2:
        raise ValueError("plot_vector_activations needs a vector of at least 2 logits.")
    items = [] if not names else _names(names, "plot_vector_activations")
    panels_data = [("input logits", z, GREYS["guide"])]
    for i, item in enumerate(items):
        name, fn = resolve(item)
        # i % 6: the palette's yellow and black are kept for other uses
        panels_data.append((name, np.asarray(fn(z[None, :]))[0], series_colour(i % 6)))
    fig, panels = panel_grid(len(panels_data), ncols=len(panels_data), panel_size=panel_size)
    for ax, (name, values, colour) in zip(panels, panels_data, strict=True):
        ax.bar(np.arange(values.size), values, color=colour)
        ax.set_xticks(np.arange(values.size))
        ax.axhline(0.0, color=GREYS["guide"], linewidth=0.8)
        set_axes(ax, xlabel="position", title=name)
    return finish_grid(fig)
