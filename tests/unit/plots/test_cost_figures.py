"""The cost chapter's figure (moved from the cost tests: it tests acttutor.plotting.plot_costs)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
import tensorflow as tf
from matplotlib.figure import Figure

from acttutor.cost import Cost, CostTable, measure_costs
from acttutor.plotting import plot_costs


@pytest.fixture(scope="module")
def small_table() -> CostTable:
    fns = {
        "relu": tf.nn.relu,
        "sigmoid": tf.sigmoid,
        "hard_sigmoid": lambda x: tf.nn.relu6(x + 3.0) / 6.0,
        "linear": lambda x: x,
    }
    return measure_costs(fns, size=2**12, repeats=3)


def test_plot_costs_returns_a_figure_with_one_row_per_function(small_table):
    fig = plot_costs(small_table)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [f"{r.name} ({len(r.kernels)})" for r in small_table.rows]
    assert ax.get_xscale() == "log"


def test_plot_costs_draws_into_a_given_axes(small_table):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    plt.close(fig)
    assert plot_costs(small_table, ax=ax) is fig


def test_plot_costs_rejects_empty_and_broken_tables(small_table):
    with pytest.raises(ValueError, match="at least one row"):
        plot_costs(SimpleNamespace(rows=()))
    with pytest.raises(ValueError, match="at least one row"):
        plot_costs({"relu": 1.0})
    bad = Cost("relu", math.nan, 1.0, ("Relu",), 1.0, "memory")
    with pytest.raises(ValueError, match="finite and positive"):
        plot_costs(SimpleNamespace(rows=(bad,)))
