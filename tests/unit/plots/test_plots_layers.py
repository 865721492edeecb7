"""acttutor.plots.layers: per-layer histograms, dead fractions, gradient norms and statistics."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from acttutor.plots.layers import (
    plot_dead_fractions,
    plot_gradient_norms,
    plot_layer_histogram,
    plot_layer_histograms,
    plot_layer_statistics,
    plot_layer_values,
)


def test_diagnostics_plots_return_figures_and_draw_into_a_given_axes() -> None:
    rng = np.random.default_rng(0)
    outs = {f"hidden_{i}": np.maximum(rng.normal(size=(30, 4)), 0) for i in (1, 2, 3)}
    later = {k: 5 * v for k, v in outs.items()}
    fig = plot_layer_histograms(outs, compare=later, title="t")
    assert isinstance(fig, Figure) and len([a for a in fig.axes if a.get_visible()]) == 3
    assert not plt.get_fignums()  # closed from pyplot: shown once, as the cell's value
    single = plot_layer_histogram(np.tanh(rng.normal(size=50)), title="tanh")
    assert single.axes[0].get_xscale() == "symlog"
    fig2, (left, right) = plt.subplots(1, 2)
    assert plot_dead_fractions({"a": 0.1, "b": 0.5}, ax=left) is fig2
    assert plot_gradient_norms({"x": {"a": 1e-6, "b": 1.0}}, ax=right) is fig2
    assert right.get_yscale() == "log"
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["x"]
    assert left.get_legend() is None  # one unlabelled series: no legend
    plt.close(fig2)
    ys = plot_dead_fractions({"before": {"a": 0.0, "b": 0.2},
                              "after": {"a": 0.5, "b": 1.0}}).axes[0].lines[1].get_ydata()
    np.testing.assert_array_equal(ys, [0.5, 1.0])


def test_diagnostics_plots_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="non-empty dict"):
        plot_dead_fractions({})
    with pytest.raises(ValueError, match="positive and finite"):
        plot_gradient_norms({"a": 0.0, "b": 1.0})
    with pytest.raises(ValueError, match="compare lacks layer 'b'"):
        plot_layer_histograms({"b": np.ones(3)}, compare={"a": np.ones(3)})
    with pytest.raises(ValueError, match="finite value"):
        plot_layer_histogram(np.array([np.nan]))
    with pytest.raises(ValueError, match="must be numbers, one per layer"):
        plot_dead_fractions({"a": "dead"})
    with pytest.raises(ValueError, match="must be a non-empty dict"):
        plot_gradient_norms({"x": {"a": 1.0}, "y": {}})
    with pytest.raises(ValueError, match="arrays of numbers"):
        plot_layer_histogram(np.array(["a", "b"]))


def test_per_layer_plots_number_layers_from_one_with_a_dot_each() -> None:
    ax = plot_dead_fractions({"h1": 0.0, "h2": 0.25, "h3": 1.0}).axes[0]
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])
    assert line.get_marker() == "o"
    assert list(ax.get_xticks()) == [1, 2, 3]
    assert ax.get_ylim() == pytest.approx((-0.03, 1.03))
    assert ax.yaxis.get_major_formatter()(0.5, 0) == "50%"
    norms = plot_gradient_norms({"a": 1e-3, "b": 1e-1}, title="g").axes[0]
    assert norms.get_title() == "g" and norms.get_xlabel().startswith("Dense layer")


def test_layer_histogram_shares_and_exact_zeros() -> None:
    values = np.array([0.0, 0.0, 0.0, 1.0, 2.0, 4.0, 8.0, 16.0])
    ax = plot_layer_histogram(values, bins=8).axes[0]
    assert ax.get_yscale() == "log"
    heights = np.concatenate([p.get_path().vertices[:, 1] for p in ax.patches])
    assert heights.max() <= 1.0  # a share of all values, not a count
    (note,) = ax.texts
    assert note.get_text() == "exact zeros: 38%"  # 3 of 8
    both = plot_layer_histogram(values, compare=-values).axes[0]
    assert [t.get_text() for t in both.get_legend().get_texts()] == ["before training",
                                                                     "after training"]
    assert both.get_xlim()[0] < 0 < both.get_xlim()[1]  # negative values widen the axis


def test_layer_histograms_label_only_the_outer_panels_and_share_one_legend() -> None:
    rng = np.random.default_rng(1)
    outs = {f"h{i}": rng.normal(size=20) for i in range(4)}
    fig = plot_layer_histograms(outs, compare=outs, ncols=3)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == ["h0", "h1", "h2", "h3"]
    assert [bool(ax.get_ylabel()) for ax in panels] == [True, False, False, True]
    assert [bool(ax.get_xlabel()) for ax in panels] == [False, False, False, True]
    assert all(ax.get_legend() is None for ax in panels)
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["before training", "after training"]


def test_layer_statistics_two_panels_mean_and_std() -> None:
    stats = {"selu": {"mean": [0.0, 0.1], "std": [1.0, 0.9]},
             "tanh": {"mean": [0.0, 0.0], "std": [0.6, 0.4]}}
    fig = plot_layer_statistics(stats, title="t", logy_std=True)
    left, right = fig.axes
    assert fig.get_suptitle() == "t"
    assert right.get_yscale() == "log" and left.get_yscale() == "linear"
    np.testing.assert_allclose(
        [ln for ln in right.get_lines() if ln.get_label() == "tanh"][0].get_ydata(), [0.6, 0.4])
    assert right.get_legend() is None and left.get_legend() is not None
    with pytest.raises(ValueError, match="at least one run"):
        plot_layer_statistics({})
    with pytest.raises(ValueError, match="needs 'mean' and 'std'"):
        plot_layer_statistics({"x": {"mean": [0.0]}})


def test_layer_values_plot_any_per_layer_quantity() -> None:
    values = {"SGD": {"h1": 1e-8, "h2": 1e-4, "out": 1e-2},
              "Adam": {"h1": 1e-4, "h2": 5e-3, "out": 6e-3}}
    ax = plot_layer_values(values, ylabel="update / weight", title="u").axes[0]
    assert ax.get_yscale() == "log" and ax.get_ylabel() == "update / weight"
    assert ax.get_title() == "u"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["SGD", "Adam"]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [1e-8, 1e-4, 1e-2])
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), [1, 2, 3])
    linear = plot_layer_values({"h1": -1.0, "h2": 2.0}, ylabel="v", logy=False).axes[0]
    assert linear.get_yscale() == "linear"
    with pytest.raises(ValueError, match="pass logy=False"):
        plot_layer_values({"h1": -1.0, "h2": 2.0}, ylabel="v")
