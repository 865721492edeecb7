"""Every figure the book draws, one module per subject; this package exports them all.

Each public plotting function returns a :class:`matplotlib.figure.Figure`. Pass
``ax=`` to draw into an existing Axes; the function then returns that Axes'
Figure. Figures are closed from pyplot's registry before they are returned, so
a notebook shows each one exactly once (as the cell's value).

* :mod:`acttutor.plots.base`: new Axes, axis styling, the panel grid, palette colours;
* :mod:`acttutor.plots.functions`: activation functions (one, a grid, the catalog, vectors);
* :mod:`acttutor.plots.lines`: labelled lines (values, functions, runs), fits and paths;
* :mod:`acttutor.plots.bars`: ratios and distributions as bars;
* :mod:`acttutor.plots.layers`: per-layer histograms, dead units, gradient norms, statistics;
* :mod:`acttutor.plots.runs`: training histories and the test accuracy of every run;
* :mod:`acttutor.plots.cost`: the measured cost of activations;
* :mod:`acttutor.plots.calibration`: the reliability diagram of a classifier;
* :mod:`acttutor.plots.propagation`: signals through depth (forward, backward) and input
  correlations;
* :mod:`acttutor.plots.interactive`: figures with a slider over a parameter (pre-rendered
  frames that work offline, in the HTML book and in JupyterLab). These return a
  :class:`~acttutor.plots.interactive.SliderFigure`, which displays as HTML, not a Figure.

:mod:`acttutor.plotting` re-exports the same names, for ``from acttutor.plotting import ...``.
"""

from __future__ import annotations

from acttutor.plots.bars import plot_distribution_bars, plot_ratio_bars
from acttutor.plots.base import new_axes, set_axes
from acttutor.plots.calibration import plot_reliability
from acttutor.plots.cost import plot_costs
from acttutor.plots.functions import (
    plot_activation,
    plot_activations,
    plot_catalog,
    plot_vector_activations,
)
from acttutor.plots.interactive import SliderFigure, bar_slider, curve_slider, slider_figure
from acttutor.plots.layers import (
    plot_dead_fractions,
    plot_gradient_norms,
    plot_layer_histogram,
    plot_layer_histograms,
    plot_layer_statistics,
    plot_layer_values,
)
from acttutor.plots.lines import plot_fits, plot_lines, plot_trajectories
from acttutor.plots.propagation import plot_correlations, plot_depth_profiles
from acttutor.plots.runs import plot_histories, plot_test_accuracies

__all__ = [
    "SliderFigure",
    "bar_slider",
    "curve_slider",
    "new_axes",
    "plot_activation",
    "plot_activations",
    "plot_catalog",
    "plot_correlations",
    "plot_costs",
    "plot_dead_fractions",
    "plot_depth_profiles",
    "plot_distribution_bars",
    "plot_fits",
    "plot_gradient_norms",
    "plot_histories",
    "plot_layer_histogram",
    "plot_layer_histograms",
    "plot_reliability",
    "plot_layer_statistics",
    "plot_layer_values",
    "plot_lines",
    "plot_ratio_bars",
    "plot_test_accuracies",
    "plot_trajectories",
    "plot_vector_activations",
    "set_axes",
    "slider_figure",
]
