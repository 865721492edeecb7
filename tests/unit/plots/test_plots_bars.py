"""acttutor.plots.bars: ratios against a baseline, and distributions as grouped bars."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgba

import acttutor
from acttutor.plots.bars import plot_distribution_bars, plot_ratio_bars
from acttutor.plots.base import new_axes


def test_plot_ratio_bars_labels_each_bar() -> None:
    fig = plot_ratio_bars({"ReLU": 1.0, "sigmoid": 2.5})
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["1.00×", "2.50×"]
    assert [p.get_height() for p in ax.patches] == [1.0, 2.5]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["ReLU", "sigmoid"]
    with pytest.raises(ValueError):
        plot_ratio_bars({})


def test_plot_ratio_bars_reference_line_colours_and_axes() -> None:
    fig, ax = new_axes()
    assert plot_ratio_bars({"a": 0.5, "b": 3.0}, reference=2.0, ax=ax) is fig
    (guide,) = ax.get_lines()
    assert list(guide.get_ydata()) == [2.0, 2.0]
    assert ax.get_ylim()[1] > 3.0  # room for the value above the tallest bar
    colours = [p.get_facecolor() for p in ax.patches]
    assert colours == [to_rgba(c) for c in acttutor.PALETTE[:2]]
    none = plot_ratio_bars({"a": 0.5}, reference=None).axes[0]
    assert none.get_lines() == []


def test_plot_ratio_bars_rejects_what_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="must be a number"):
        plot_ratio_bars({"a": "fast"})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="finite"):
        plot_ratio_bars({"a": float("nan")})


def test_plot_distribution_bars_groups_bars_by_category() -> None:
    fig = plot_distribution_bars({"T = 1": [0.7, 0.2, 0.1], "T = 5": [0.4, 0.3, 0.3]},
                                 categories=["a", "b", "c"])
    ax = fig.axes[0]
    assert len(ax.patches) == 6
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    first, second = ax.containers
    np.testing.assert_allclose([p.get_height() for p in second], [0.4, 0.3, 0.3])
    assert first[0].get_x() < second[0].get_x() < first[1].get_x()  # side by side
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["T = 1", "T = 5"]
    palette = [to_rgba(c) for c in acttutor.PALETTE[:2]]
    assert [first[0].get_facecolor(), second[0].get_facecolor()] == palette


def test_plot_distribution_bars_checks_sizes() -> None:
    with pytest.raises(ValueError, match="same number"):
        plot_distribution_bars({"a": [1.0], "b": [0.5, 0.5]})
    with pytest.raises(ValueError, match="2 category names for 3 values"):
        plot_distribution_bars({"a": [0.2, 0.3, 0.5]}, categories=["x", "y"])
    with pytest.raises(ValueError, match="at least one distribution"):
        plot_distribution_bars({})
    default = plot_distribution_bars({"a": [0.2, 0.8]}).axes[0]
    assert [t.get_text() for t in default.get_xticklabels()] == ["0", "1"]
