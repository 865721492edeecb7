"""Every figure the book draws, under one name: a re-export of :mod:`acttutor.plots`.

The functions live in the modules of :mod:`acttutor.plots`, one per subject (and
are documented there); ``from acttutor.plotting import plot_activation`` and
``from acttutor import plotting`` give the same objects.
"""

from __future__ import annotations

from acttutor.plots import (
    SliderFigure,
    bar_slider,
    curve_slider,
    new_axes,
    plot_activation,
    plot_activations,
    plot_catalog,
    plot_correlations,
    plot_costs,
    plot_dead_fractions,
    plot_depth_profiles,
    plot_distribution_bars,
    plot_fits,
    plot_gradient_norms,
    plot_histories,
    plot_layer_histogram,
    plot_layer_histograms,
    plot_layer_statistics,
    plot_layer_values,
    plot_lines,
    plot_ratio_bars,
    plot_reliability,
    plot_test_accuracies,
    plot_trajectories,
    plot_vector_activations,
    set_axes,
    slider_figure,
)

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
    "plot_layer_statistics",
    "plot_layer_values",
    "plot_lines",
    "plot_ratio_bars",
    "plot_reliability",
    "plot_test_accuracies",
    "plot_trajectories",
    "plot_vector_activations",
    "set_axes",
    "slider_figure",
]
