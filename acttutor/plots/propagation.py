"""Signals through depth: per-layer profiles forward and backward, and input correlations.

Example:

>>> fig = plot_depth_profiles({"relu, He": {"pre_var": [1.0, 1.1], "grad_var": [1.0, 0.9]}})
>>> len(fig.axes)
2
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from acttutor.plots.base import GREYS, new_axes, series_colour, set_axes
from acttutor.plots.lines import plot_lines

__all__ = ["plot_correlations", "plot_depth_profiles"]

_LABELS = {
    "pre_var": "variance of pre-activations",
    "pre_mean": "mean of pre-activations",
    "post_var": "variance of activations",
    "post_mean": "mean of activations",
    "grad_var": "variance of gradients",
    "grad_mean": "mean of gradients",
}


def plot_depth_profiles(
    profiles: Mapping[str, Mapping[str, Sequence[float]]],
    keys: Sequence[str] = ("pre_var", "grad_var"),
    *,
    logy: bool = True,
    title: str = "",
) -> Figure:
    """Draw one panel per quantity of :func:`acttutor.diagnostics.propagation.depth_profile`.

    Each panel has one line per entry of ``profiles`` against the layer number;
    a faint line marks 1 on variance panels, the value a variance-preserving
    initialisation keeps.

    Example:

    >>> p = {"a": {"pre_var": [1.0, 0.5], "grad_var": [2.0, 1.0]}}
    >>> plot_depth_profiles(p, ["pre_var"]).axes[0].get_xlabel()
    'layer'

    Args:
        profiles: Label to profile (a mapping from quantity name to per-layer values).
        keys: The quantities to draw, one panel each (``"pre_var"``, ``"grad_var"``,
            ``"pre_mean"``, ...).
        logy: Logarithmic y axes (not used for means, which may be negative).
        title: Title of the figure.

    Returns:
        The Figure.
    """
    if not profiles:
        raise ValueError("plot_depth_profiles: give at least one profile, {label: profile}.")
    keys = list(keys)
    for label, profile in profiles.items():
        missing = [k for k in keys if k not in profile]
        if missing:
            raise ValueError(
                f"plot_depth_profiles: the profile {label!r} has no {missing[0]!r}; it has "
                f"{sorted(profile)}. Pass keys= from those."
            )
    fig, axes = new_axes(ncols=len(keys), figsize=(5.2 * len(keys), 3.8), squeeze=False)
    for ax, key in zip(axes[0], keys, strict=True):
        log = logy and not key.endswith("_mean")
        plot_lines({label: profile[key] for label, profile in profiles.items()},
                   xlabel="layer", ylabel=_LABELS.get(key, key), logy=log,
                   hline=1.0 if key.endswith("_var") else 0.0, markers=False, ax=ax)
    axes[0][0].legend(fontsize="small")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_correlations(
    measured: Mapping[str, Sequence[float]],
    theory: Mapping[str, Sequence[float]] | None = None,
    *,
    title: str = "",
    ax: Axes | None = None,
) -> Figure:
    """Plot two inputs' correlation layer by layer: measured as dots, theory as lines.

    Example:

    >>> fig = plot_correlations({"a": [0.5, 0.7, 0.9]}, {"a": [0.5, 0.72, 0.88]})
    >>> len(fig.axes[0].get_legend().get_texts())
    2

    Args:
        measured: Label to measured correlations (layer 0 first), for example from
            :func:`acttutor.diagnostics.propagation.measured_correlation`.
        theory: The same labels to the theory's values, for example from
            :func:`acttutor.diagnostics.meanfield.correlation_map`; drawn in the same colour.
        title: Title of the Axes.
        ax: An existing Axes to draw into, or ``None`` for a new Figure.

    Returns:
        The Figure.
    """
    if not measured:
        raise ValueError("plot_correlations: give at least one measured series, {label: values}.")
    theory = dict(theory or {})
    unknown = sorted(set(theory) - set(measured))
    if unknown:
        raise ValueError(f"plot_correlations: theory has labels not in measured: {unknown}.")
    fig, ax = new_axes(ax, figsize=(6.4, 4.0))
    for i, (label, values) in enumerate(measured.items()):
        ys = np.asarray(values, dtype=float)
        ax.plot(np.arange(ys.size), ys, "o", markersize=3, color=series_colour(i),
                label=f"{label} (measured)")
        if label in theory:
            ts = np.asarray(theory[label], dtype=float)
            ax.plot(np.arange(ts.size), ts, "-", color=series_colour(i), linewidth=1.6,
                    label=f"{label} (theory)")
    ax.axhline(1.0, color=GREYS["guide"], linewidth=0.8, zorder=0)
    set_axes(ax, xlabel="layer", ylabel="correlation of two inputs", title=title)
    ax.legend(fontsize="small")
    return fig
