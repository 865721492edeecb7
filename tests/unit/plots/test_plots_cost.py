"""acttutor.plots.cost: measured activation costs as bars, in copies."""

from __future__ import annotations

import math
from types import SimpleNamespace

import matplotlib.pyplot as plt
import pytest
import tensorflow as tf
from matplotlib.figure import Figure

from acttutor.cost import measure_costs
from acttutor.plots.base import COLOURS, GREYS
from acttutor.plots.cost import plot_costs


def row(name, forward, both, bound="memory", kernels=("Op",)):
    return SimpleNamespace(name=name, forward=forward, forward_backward=both, kernels=kernels,
                           bound=bound)


@pytest.fixture(scope="module")
def small_table():
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
    fig, ax = plt.subplots()
    plt.close(fig)
    assert plot_costs(small_table, ax=ax) is fig


def test_plot_costs_colours_bars_by_bound_and_marks_the_floor():
    table = SimpleNamespace(rows=(row("relu", 1.0, 1.5), row("gelu", 4.0, 8.0, "compute",
                                                             ("Erf", "Mul"))))
    ax = plot_costs(table).axes[0]
    by_label = {c.get_label(): c for c in ax.containers}
    assert set(by_label) == {"forward (memory-bound)", "forward (compute-bound)",
                             "forward + backward"}
    from matplotlib.colors import to_rgba

    assert by_label["forward (compute-bound)"][0].get_facecolor() == to_rgba(COLOURS["vermillion"])
    assert by_label["forward + backward"][0].get_facecolor() == to_rgba(GREYS["light"])
    right_edges = [p.get_x() + p.get_width() for p in by_label["forward + backward"]]
    assert right_edges == pytest.approx([1.5, 8.0])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["relu (1)", "gelu (2)"]
    (floor,) = ax.get_lines()
    assert list(floor.get_xdata()) == [1.0, 1.0]


def test_plot_costs_rejects_empty_and_broken_tables():
    with pytest.raises(ValueError, match="at least one row"):
        plot_costs(SimpleNamespace(rows=()))
    with pytest.raises(ValueError, match="at least one row"):
        plot_costs({"relu": 1.0})
    with pytest.raises(ValueError, match="finite and positive"):
        plot_costs(SimpleNamespace(rows=(row("relu", math.nan, 1.0),)))
    with pytest.raises(ValueError, match="needs numbers forward and forward_backward"):
        plot_costs(SimpleNamespace(rows=(SimpleNamespace(name="relu"),)))
