"""Tests for acttutor.plots.calibration: the reliability diagram."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from acttutor.calibration import reliability_bins
from acttutor.plots import plot_reliability


def _bins(seed):
    rng = np.random.default_rng(seed)
    conf = rng.uniform(0.3, 1.0, size=200)
    p = np.stack([conf, 1 - conf], axis=1)
    return reliability_bins(p, rng.integers(0, 2, size=200), n_bins=10)


def test_draws_the_diagonal_and_one_line_per_model():
    fig = plot_reliability({"a": _bins(0), "b": _bins(1)}, title="t")
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["calibrated", "a", "b"]
    assert ax.get_title() == "t"
    diagonal = ax.get_lines()[0]
    assert list(diagonal.get_xdata()) == [0, 1] and list(diagonal.get_ydata()) == [0, 1]


def test_empty_bins_are_left_out():
    bins = _bins(0)
    fig = plot_reliability({"a": bins})
    line = fig.axes[0].get_lines()[1]
    assert len(line.get_xdata()) == int((bins.counts > 0).sum())
    assert np.allclose(line.get_ydata(), bins.accuracy[bins.counts > 0])


@pytest.mark.parametrize("bad", [{}, {"a": [0.1, 0.2]}, [1, 2]])
def test_bad_input_gets_a_clear_message(bad):
    with pytest.raises(ValueError, match="reliability_bins"):
        plot_reliability(bad)
