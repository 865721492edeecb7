"""acttutor.diagnostics.meanfield: gains, variance fixed points, correlation maps and chi_1."""

from __future__ import annotations

import math

import numpy as np
import pytest

from acttutor.diagnostics import meanfield as mf

# An independent estimate: plain Monte Carlo with NumPy's own functions.
Z = np.random.default_rng(0).standard_normal(400_000)


def test_variance_gain_closed_forms_and_monte_carlo():
    assert mf.variance_gain("relu") == pytest.approx(math.sqrt(2.0), rel=1e-9)
    assert mf.variance_gain("linear") == pytest.approx(1.0, rel=1e-9)
    assert mf.variance_gain("selu") == pytest.approx(1.0, abs=1e-3)
    mc_gain = 1 / np.sqrt(np.mean(np.tanh(Z) ** 2))
    assert mf.variance_gain("tanh") == pytest.approx(mc_gain, rel=5e-3)
    assert mf.variance_gain("tanh") < 5 / 3


def test_variance_fixed_point():
    assert mf.variance_fixed_point("linear", 2.0, depth=3) == pytest.approx([1, 2, 4, 8])
    assert mf.variance_fixed_point("linear", 1.0, 0.5, depth=2) == pytest.approx([1, 1.5, 2.0])
    q = mf.variance_fixed_point("tanh", (5 / 3) ** 2, depth=300)
    assert len(q) == 301
    q_star = q[-1]
    mc = (5 / 3) ** 2 * np.mean(np.tanh(np.sqrt(q_star) * Z) ** 2)
    assert mc == pytest.approx(q_star, rel=5e-3)  # a fixed point of the map
    with pytest.raises(ValueError, match="sigma_w2"):
        mf.variance_fixed_point("tanh", -1.0)


def test_correlation_map_linear_and_ordered_tanh():
    assert mf.correlation_map("linear", 1.0, c0=0.3, depth=4) == pytest.approx([0.3] * 5)
    ordered = mf.correlation_map("tanh", 0.5, 0.05, c0=0.2, depth=40)
    assert ordered[-1] > 0.99
    assert all(b >= a - 1e-12 for a, b in zip(ordered[:-1], ordered[1:], strict=True))
    with pytest.raises(ValueError, match="c0"):
        mf.correlation_map("tanh", 1.0, 0.05, c0=2.0)


def test_chi_edge_and_regime():
    assert mf.chi("relu", 2.0) == pytest.approx(1.0, abs=1e-9)
    assert mf.chi("linear", 1.0) == pytest.approx(1.0, rel=1e-9)
    assert mf.chi("linear", 0.5) == pytest.approx(0.5, rel=1e-9)
    q = mf.variance_fixed_point("tanh", 3.0, 0.05)[-1]
    mc = 3.0 * np.mean(1 / np.cosh(np.sqrt(q) * Z) ** 4)  # tanh' = sech^2
    assert mf.chi("tanh", 3.0, 0.05) == pytest.approx(mc, rel=5e-3)
    edge = mf.edge_of_chaos("tanh", 0.05)
    assert mf.chi("tanh", edge, 0.05) == pytest.approx(1.0, abs=1e-4)
    assert mf.regime(0.9) == "ordered" and mf.regime(1.04) == "edge of chaos"
    assert mf.regime(1.06) == "chaotic"
    with pytest.raises(ValueError, match="finite"):
        mf.regime(float("nan"))
    with pytest.raises(ValueError, match="widen"):
        mf.edge_of_chaos("tanh", 0.05, low=3.0, high=4.0)
