"""The diagnostics figures (moved from the diagnostics tests: they test acttutor.plotting)."""

from __future__ import annotations

import numpy as np
import pytest


def test_diagnostics_plots_return_figures_and_draw_into_a_given_axes():
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from acttutor import plotting

    rng = np.random.default_rng(0)
    outs = {f"hidden_{i}": np.maximum(rng.normal(size=(30, 4)), 0) for i in (1, 2, 3)}
    later = {k: 5 * v for k, v in outs.items()}
    fig = plotting.plot_layer_histograms(outs, compare=later, title="t")
    assert isinstance(fig, Figure) and len([a for a in fig.axes if a.get_visible()]) == 3
    assert not plt.get_fignums()  # closed from pyplot: shown once, as the cell's value
    single = plotting.plot_layer_histogram(np.tanh(rng.normal(size=50)), title="tanh")
    assert single.axes[0].get_xscale() == "symlog"
    fig2, (left, right) = plt.subplots(1, 2)
    assert plotting.plot_dead_fractions({"a": 0.1, "b": 0.5}, ax=left) is fig2
    assert plotting.plot_gradient_norms({"x": {"a": 1e-6, "b": 1.0}}, ax=right) is fig2
    assert right.get_yscale() == "log"
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["x"]
    assert left.get_legend() is None  # one unlabelled series: no legend
    plt.close(fig2)
    ys = plotting.plot_dead_fractions({"before": {"a": 0.0, "b": 0.2},
                                       "after": {"a": 0.5, "b": 1.0}}).axes[0].lines[1].get_ydata()
    np.testing.assert_array_equal(ys, [0.5, 1.0])


def test_diagnostics_plots_reject_bad_input():
    from acttutor import plotting

    with pytest.raises(ValueError, match="non-empty dict"):
        plotting.plot_dead_fractions({})
    with pytest.raises(ValueError, match="positive and finite"):
        plotting.plot_gradient_norms({"a": 0.0, "b": 1.0})
    with pytest.raises(ValueError, match="compare lacks layer 'b'"):
        plotting.plot_layer_histograms({"b": np.ones(3)}, compare={"a": np.ones(3)})
    with pytest.raises(ValueError, match="finite value"):
        plotting.plot_layer_histogram(np.array([np.nan]))
