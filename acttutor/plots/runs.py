"""Training runs compared: learning curves, every run's test accuracy, and paired differences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from acttutor.comparison import Comparison
from acttutor.plots.base import COLOURS, GREYS, finish_grid, new_axes, panel_grid, set_axes
from acttutor.plots.lines import plot_lines
from acttutor.results import runs_by_name

__all__ = ["plot_histories", "plot_paired_differences", "plot_test_accuracies"]


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
    lists = runs_by_name(results)
    keys = (metric, f"val_{metric}")
    for name, runs in lists.items():
        for key in keys:
            if any(key not in r.history for r in runs):
                have = ", ".join(sorted(runs[0].history))
                raise KeyError(f"A run of {name!r} has no {key!r} in its history; it has {have}.")
    if axes is None:
        fig, pair = panel_grid(2, ncols=2, panel_size=panel_size, sharey=True)
    else:
        pair = list(axes)
        if len(pair) != 2:
            raise ValueError(f"axes must be two Axes (training, validation), got {len(pair)}.")
        fig = pair[0].figure
    label_metric = metric.replace("_", " ")
    for ax, key, where in zip(pair, keys, ("Training", "Validation"), strict=True):
        curves = {name: [r.history[key] for r in runs] for name, runs in lists.items()}
        plot_lines(curves, spread="band", xlabel="epoch", ylabel=label_metric,
                   title=f"{where} {label_metric}", ax=ax)
        ax.get_legend().remove()
    pair[1].legend(loc="best", fontsize="small")
    several = any(len(runs) > 1 for runs in lists.values())
    note = "mean over seeds; band: lowest to highest run" if several else ""
    if axes is not None:
        if note:
            fig.suptitle(note, fontsize="small")
        return fig  # type: ignore[return-value]
    return finish_grid(fig, title=note, title_size="small")


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
    lists = runs_by_name(results)
    accs = {name: np.array([float(r.test_acc) for r in runs]) for name, runs in lists.items()}
    order = sorted(accs, key=lambda name: accs[name].mean())
    fig, ax = new_axes(ax, figsize=(6.4, 0.45 * len(order) + 1.2))
    dot, mean = COLOURS["blue"], COLOURS["vermillion"]
    for row, name in enumerate(order):
        ax.plot(accs[name], np.full(accs[name].size, row), "o", color=dot, alpha=0.8)
        ax.plot([accs[name].mean()] * 2, [row - 0.3, row + 0.3], color=mean, linewidth=2.5)
    ax.set_yticks(range(len(order)), order)
    ax.set_ylim(-0.6, len(order) - 0.4)
    ax.plot([], [], "o", color=dot, label="one run (seed)")
    ax.plot([], [], color=mean, linewidth=2.5, label="mean")
    set_axes(ax, xlabel="test accuracy", title="Test accuracy of every run", legend=True)
    ax.grid(axis="y", visible=False)
    return fig


def plot_paired_differences(comparison: Comparison, *, ax: Axes | None = None) -> Figure:
    """Plot each activation's seed-by-seed difference from the best, with its interval.

    One row per activation other than the best, in the comparison's order: a dot
    per seed (that seed's run minus the best's run with the same seed), the mean
    as a tick, and the bootstrap interval as a bar. A bar that crosses the
    dashed line at 0 is a difference these seeds cannot establish.

    Example:

    >>> from acttutor.comparison import compare_to_best
    >>> from acttutor.training import RunResult
    >>> def runs(values):
    ...     return [RunResult(history={"val_accuracy": [v]}, test_acc=0.0, test_loss=0.0,
    ...                       seconds=1.0, seed=s) for s, v in enumerate(values)]
    >>> c = compare_to_best({"a": runs([0.95, 0.96, 0.97]), "b": runs([0.90, 0.92, 0.91])})
    >>> fig = plot_paired_differences(c)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['b']

    Args:
        comparison: From :func:`acttutor.comparison.compare_to_best`.
        ax: Draw into this Axes instead of a new Figure.

    Returns:
        The Figure holding the plot.
    """
    if not isinstance(comparison, Comparison):
        raise TypeError(
            "plot_paired_differences needs a Comparison from acttutor.comparison."
            f"compare_to_best, got {type(comparison).__name__}."
        )
    names = list(comparison.differences)[::-1]  # the closest to the best on top
    fig, ax = new_axes(ax, figsize=(6.4, 0.5 * len(names) + 1.4))
    dot, bar = COLOURS["blue"], COLOURS["vermillion"]
    ax.axvline(0.0, color=GREYS["guide"], linestyle="--", linewidth=1)
    for row, name in enumerate(names):
        d = comparison.differences[name]
        ax.plot([d.low, d.high], [row, row], color=bar, linewidth=3, alpha=0.6,
                solid_capstyle="butt")
        ax.plot([d.mean] * 2, [row - 0.25, row + 0.25], color=bar, linewidth=2.5)
        jitter = np.linspace(-0.12, 0.12, len(d.differences))
        ax.plot(d.differences, row + jitter, "o", color=dot, alpha=0.8, markersize=5)
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(-0.6, len(names) - 0.4)
    level = f"{next(iter(comparison.differences.values())).confidence:.0%}" if names else ""
    ax.plot([], [], "o", color=dot, label="one seed")
    ax.plot([], [], color=bar, linewidth=3, alpha=0.6, label=f"mean and {level} interval")
    what = comparison.metric.replace("val_", "validation ").replace("_", " ")
    set_axes(ax, xlabel=f"{what} minus {comparison.best}'s (same seed)",
             title=f"Paired with {comparison.best}, seed by seed", legend=True)
    ax.grid(axis="y", visible=False)
    return fig
