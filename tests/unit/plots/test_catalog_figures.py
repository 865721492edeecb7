"""The catalog chapter's figures (moved from the catalog's tests: they test acttutor.plotting)."""

from __future__ import annotations

import matplotlib
import pytest
import tensorflow as tf
from matplotlib.figure import Figure

matplotlib.use("Agg")


def test_catalog_plots_return_figures():
    from acttutor.plotting import (
        plot_catalog,
        plot_curves,
        plot_layer_statistics,
        plot_series,
        plot_vector_activations,
    )

    fig = plot_catalog(["relu", "tanh", "gelu"], ncols=2)
    assert isinstance(fig, Figure) and len([a for a in fig.axes if a.get_visible()]) == 3
    assert isinstance(plot_curves({"a": "relu", "b": tf.tanh}, derivative=True), Figure)
    fig = plot_series({"x": [1.0, 2.0, 3.0]}, logy=True, hline=1.0)
    assert fig.axes[0].get_yscale() == "log"
    stats = {"selu": {"mean": [0.0, 0.1], "std": [1.0, 0.9]}}
    assert len(plot_layer_statistics(stats, title="t").axes) == 2
    fig = plot_vector_activations(["softmax", "glu"], [1.0, 2.0, 0.5, -1.0])
    assert len(fig.axes) == 3
    existing = plot_series({"y": [1, 2]})
    assert plot_curves({"relu": "relu"}, ax=existing.axes[0]) is existing


def test_catalog_plots_reject_bad_input():
    from acttutor.plotting import plot_catalog, plot_curves, plot_series, plot_vector_activations

    with pytest.raises(ValueError, match="element-wise"):
        plot_catalog(["softmax"])
    with pytest.raises(ValueError, match="at least one"):
        plot_catalog([])
    with pytest.raises(ValueError, match="at least one"):
        plot_curves({})
    with pytest.raises(ValueError, match="at least one"):
        plot_series({})
    with pytest.raises(ValueError, match="at least 2"):
        plot_vector_activations(["softmax"], [1.0])
