"""Lines on an Axes: measured values, functions of one tensor, several runs, fits and paths.

:func:`plot_lines` is the one function that draws labelled lines; the other
figures of the book that draw lines (activations, per-layer diagnostics,
training histories) are built on it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from acttutor import PALETTE
from acttutor.activations import derivative as _derivative
from acttutor.activations import resolve
from acttutor.plots.base import GREYS, function_inputs, new_axes, series_colour, set_axes

__all__ = [
    "plot_lines",
    "plot_fits",
    "plot_trajectories",
    "LineData",
    "MARKER_MAX",
]

#: What one entry of :func:`plot_lines` may hold: an activation name or a function of
#: one tensor; a sequence of values; or a list of runs (sequences, one per run).
LineData = str | Callable | Sequence[float] | Sequence[Sequence[float]] | np.ndarray

#: Lines with at most this many values get a dot on each value (unless ``markers=`` says).
MARKER_MAX = 30


@dataclass(frozen=True)
class _Line:
    label: str
    x: np.ndarray
    runs: np.ndarray  # (runs, values)
    function: bool


def _runs(label: str, value: object) -> list[np.ndarray]:
    """One 1-D array per run: a sequence is one run, a 2-D array or a list of sequences several."""
    bad = ValueError(
        f"plot_lines: the values for {label!r} must be numbers: one sequence, or a list of "
        f"runs (one sequence each); got {type(value).__name__}."
    )
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):  # runs of different lengths, or not numbers at all
        try:
            runs = [np.asarray(run, dtype=float) for run in value]  # type: ignore[union-attr]
        except (TypeError, ValueError):
            raise bad from None
        if any(run.ndim > 1 for run in runs):
            raise bad from None
        runs = [run.reshape(-1) for run in runs]
    else:
        if array.ndim > 2:
            raise bad
        runs = list(array) if array.ndim == 2 else [array.reshape(-1)]
    if not runs or any(run.size == 0 for run in runs):
        raise ValueError(f"plot_lines: {label!r} needs at least one value in every run.")
    return runs


def _line(label: str, value: object, x: object | None, derivative: bool) -> _Line:
    if isinstance(value, str) or callable(value):
        _, fn = resolve(value)  # type: ignore[arg-type]
        xs = function_inputs(x)
        ys = np.asarray(_derivative(fn, xs) if derivative else fn(xs), dtype=float)
        if ys.shape != xs.shape:
            raise ValueError(
                f"plot_lines: the function for {label!r} returned shape {ys.shape} for "
                f"{xs.size} inputs; only element-wise functions can be drawn as a line."
            )
        return _Line(label, xs.astype(float), ys[None, :], True)
    if derivative:
        raise ValueError(
            f"plot_lines: derivative=True differentiates functions, but {label!r} holds "
            "values. Pass the function itself, or compute the derivative and drop derivative=."
        )
    runs = _runs(label, value)
    length = min(run.size for run in runs)
    if x is None:
        xs = np.arange(1, length + 1, dtype=float)
    else:
        try:
            xs = np.asarray(x, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            raise ValueError(f"x must be a sequence of numbers, got {type(x).__name__}.") from None
        if xs.size != length:
            raise ValueError(f"Line {label!r} has {length} values for {xs.size} x positions.")
    return _Line(label, xs, np.stack([run[:length] for run in runs]), False)


def _draw(ax: Axes, line: _Line, i: int, *, dashed: bool, markers: bool | None,
          spread: str) -> None:
    colour = series_colour(i)
    style = "--" if dashed or i >= len(PALETTE) else "-"
    count, length = line.runs.shape
    mark = markers if markers is not None else length <= MARKER_MAX
    dots = {"marker": "o", "markersize": 3} if mark else {}
    if count == 1:
        ax.plot(line.x, line.runs[0], color=colour, linestyle=style, label=line.label or None,
                **dots)
        return
    if spread == "band":
        ax.fill_between(line.x, line.runs.min(axis=0), line.runs.max(axis=0), color=colour,
                        alpha=0.15, linewidth=0)
        label, width = f"{line.label} ({count} runs)", None
    else:
        for run in line.runs:
            ax.plot(line.x, run, color=colour, linestyle=style, linewidth=0.8, alpha=0.45)
        label, width = f"{line.label} (mean of {count} runs)", 2.4
    ax.plot(line.x, line.runs.mean(axis=0), color=colour, linestyle=style, linewidth=width,
            label=label if line.label else None, **dots)


def plot_lines(
    lines: Mapping[str, LineData],
    x: Sequence[float] | np.ndarray | None = None,
    *,
    derivative: bool = False,
    spread: Literal["runs", "band"] = "runs",
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str = "",
    logy: bool = False,
    hline: float | None = None,
    dashed: Sequence[str] = (),
    markers: bool | None = None,
    origin_lines: bool | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Plot labelled lines: measured values, functions of one tensor, or several runs each.

    Each entry of ``lines`` is one of:

    * **values**, a sequence of numbers (per step, per layer, per input in ``x``);
    * **runs**, a list of sequences or a 2-D array, one row per run (seed): drawn
      as their mean, with ``spread="runs"`` each run as a thin line behind it,
      with ``spread="band"`` a shaded band from the lowest to the highest run.
      Runs of different lengths are cut to the shortest;
    * **a function** of one tensor, or a name from ``keras.activations``,
      evaluated at ``x`` (with ``derivative=True``, its derivative from
      ``tf.GradientTape``). Functions get the labels ``x`` and ``f(x)`` and
      faint lines through the origin unless told otherwise.

    Lines of at most :data:`MARKER_MAX` values get a dot on each value. After
    the palette's eight colours, lines are dashed.

    Example:

    >>> import tensorflow as tf
    >>> fig = plot_lines({"relu": "relu", "softplus": tf.nn.softplus}, title="two functions")
    >>> fig = plot_lines({"loss": [1.0, 0.5, 0.25]}, xlabel="step", logy=True)
    >>> fig = plot_lines({"tanh": [[0.7, 0.4, 0.2], [0.7, 0.5, 0.3]]}, xlabel="epoch")

    Args:
        lines: Legend label mapped to values, runs or a function. An empty
            label draws a line without a legend entry.
        x: Positions shared by every line. For values and runs, one position
            per value; by default 1, 2, 3, … (whole numbers on the axis). For
            functions, the inputs; by default 401 points over [-10, 10].
        derivative: Draw each function's derivative instead of the function.
        spread: How several runs of one label are drawn: ``"runs"`` or ``"band"``.
        xlabel: Label of the x axis (default ``"x"`` when drawing functions, else none).
        ylabel: Label of the y axis (default ``"f(x)"`` or ``"f′(x)"`` for functions).
        title: Title of the Axes.
        logy: Use a logarithmic y axis.
        hline: Draw a faint dotted reference line at this y value.
        dashed: Labels of the lines to draw dashed (for example derivatives).
        markers: Mark each value with a dot; by default only short lines.
        origin_lines: Draw faint lines through the origin (default: when drawing functions).
        ax: Draw into this Axes instead of a new Figure.

    Returns:
        The Figure holding the plot.
    """
    if not isinstance(lines, Mapping):
        raise TypeError(
            "plot_lines takes a dict {label: values, runs or function} first, and x second "
            f"(or as x=...); got {type(lines).__name__}."
        )
    if not lines:
        raise ValueError("plot_lines needs at least one line: {label: values, runs or function}.")
    if spread not in ("runs", "band"):
        raise ValueError(f"spread must be 'runs' or 'band', got {spread!r}.")
    unknown = [d for d in dashed if d not in lines]
    if unknown:
        raise ValueError(f"dashed names {unknown[0]!r}, which is not one of the lines' labels.")
    parsed = [_line(str(label), value, x, derivative) for label, value in lines.items()]
    functions = any(line.function for line in parsed)
    fig, ax = new_axes(ax)
    for i, line in enumerate(parsed):
        _draw(ax, line, i, dashed=line.label in dashed, markers=markers, spread=spread)
    if hline is not None:
        ax.axhline(hline, color=GREYS["guide"], linewidth=0.8, linestyle=":", zorder=0)
    if logy:
        ax.set_yscale("log")
    locator = ax.xaxis.get_major_locator()
    if x is None and not functions and isinstance(locator, MaxNLocator):
        locator.set_params(integer=True)  # positions 1, 2, 3, ... count steps, epochs or layers
    if xlabel is None:
        xlabel = "x" if functions else ""
    if ylabel is None:
        ylabel = ("f′(x)" if derivative else "f(x)") if functions else ""
    set_axes(ax, xlabel=xlabel, ylabel=ylabel, title=title,
             legend=any(line.label for line in parsed),
             origin_lines=functions if origin_lines is None else origin_lines)
    return fig


def plot_fits(
    x: np.ndarray,
    y: np.ndarray,
    predictions: Mapping[str, np.ndarray],
    *,
    ax: Axes | None = None,
    title: str = "",
) -> Figure:
    """Plot a 1-D regression target and the predictions of several models.

    The target is a thick grey line behind the predictions.

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
    xs = np.asarray(x, dtype=float).reshape(-1)
    target = np.asarray(y, dtype=float).reshape(-1)
    if target.size != xs.size:
        raise ValueError(f"plot_fits: y has {target.size} values for {xs.size} inputs.")
    if not isinstance(predictions, Mapping):
        raise TypeError(f"predictions must be a dict {{model name: predictions}}, got "
                        f"{type(predictions).__name__}.")
    fig, ax = new_axes(ax)
    ax.plot(xs, target, color=GREYS["target"], linewidth=4, label="target", zorder=1)
    flat = {name: np.asarray(p, dtype=float).reshape(-1) for name, p in predictions.items()}
    if flat:
        plot_lines(flat, x=xs, markers=False, xlabel="x", ylabel="y", title=title, ax=ax)
    else:
        set_axes(ax, xlabel="x", ylabel="y", title=title, legend=True)
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
    if not isinstance(paths, Mapping) or not paths:
        raise ValueError("plot_trajectories needs at least one path: {label: (steps + 1, 2)}.")
    arrays = {}
    for name, path in paths.items():
        p = np.asarray(path, dtype=float)
        if p.ndim != 2 or p.shape[1] != 2 or p.shape[0] < 2:
            raise ValueError(f"Path {name!r} must have shape (steps + 1, 2), got {p.shape}.")
        arrays[name] = p
    fig, ax = new_axes(ax)
    for i, (name, p) in enumerate(arrays.items()):
        colour = series_colour(i)
        ax.plot(p[:, 0], p[:, 1], color=colour, linewidth=1.3, marker=".", markersize=4,
                label=name)
        ax.plot(p[0, 0], p[0, 1], "o", color=colour, markerfacecolor="none", markersize=9)
    if target is not None:
        ax.plot(target[0], target[1], "*", color=GREYS["dark"], markersize=14, label="target")
    ax.set_aspect("equal", adjustable="datalim")
    set_axes(ax, xlabel=xlabel, ylabel=ylabel, title=title, legend=True)
    return fig
