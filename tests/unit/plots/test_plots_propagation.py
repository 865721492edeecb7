"""acttutor.plots.propagation: per-layer profiles and input correlations through depth."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from acttutor.plots.propagation import plot_correlations, plot_depth_profiles


def test_depth_profiles_one_panel_per_key_and_log_only_for_variances():
    p = {"a": {"pre_mean": [0.1, -0.2], "pre_var": [1.0, 0.5]},
         "b": {"pre_mean": [0.0, 0.0], "pre_var": [1.0, 2.0]}}
    fig = plot_depth_profiles(p, ["pre_mean", "pre_var"], title="t")
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert fig.axes[0].get_yscale() == "linear" and fig.axes[1].get_yscale() == "log"
    assert fig.axes[1].get_ylabel() == "variance of pre-activations"
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["a", "b"]
    with pytest.raises(ValueError, match="has no 'grad_var'"):
        plot_depth_profiles(p, ["grad_var"])
    with pytest.raises(ValueError, match="at least one"):
        plot_depth_profiles({})


def test_correlations_measured_dots_and_theory_lines():
    fig = plot_correlations({"x": [0.5, 0.8], "y": [0.5, 0.4]}, {"x": [0.5, 0.81]})
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["x (measured)", "x (theory)", "y (measured)"]
    with pytest.raises(ValueError, match="not in measured"):
        plot_correlations({"x": [1.0]}, {"z": [1.0]})
