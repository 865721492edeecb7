"""Claims of book/propagation.ipynb, checked against its executed outputs.

Each glued number is recomputed independently (Monte Carlo with NumPy's own functions,
not the package's quadrature) or checked against the direction the papers state.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

CHAPTER = "book/propagation.ipynb"
Z = np.random.default_rng(1).standard_normal(100_000)


def _fixed_point(f, s2: float, b2: float = 0.0) -> float:
    q = 1.0
    for _ in range(100):
        q = s2 * float(np.mean(f(np.sqrt(q) * Z) ** 2)) + b2
    return q


def _chi_tanh(s2: float, b2: float) -> float:
    q = _fixed_point(np.tanh, s2, b2)
    return s2 * float(np.mean(1 / np.cosh(np.sqrt(q) * Z) ** 4))


def _rule(chi_1: float) -> str:  # the rule the chapter's regime() names
    if abs(chi_1 - 1) <= 0.05:
        return "edge of chaos"
    return "ordered" if chi_1 < 1 else "chaotic"


def test_the_derived_gains(g):
    assert g["gain_relu"] == pytest.approx(math.sqrt(2), rel=1e-6)
    assert g["gain_selu"] == pytest.approx(1.0, abs=2e-3)
    assert g["gain_tanh"] == pytest.approx(1 / np.sqrt(np.mean(np.tanh(Z) ** 2)), rel=5e-3)
    assert g["gain_tanh"] < 5 / 3  # "a little below 5/3"
    assert g["q_five_thirds"] == pytest.approx(_fixed_point(np.tanh, 25 / 9), rel=1e-2)
    assert g["q_five_thirds"] > 1  # "settles at ... instead of 1"


def test_derived_gains_keep_variance_through_50_layers(g):
    assert set(g["derived_var"]) == {"tanh", "relu", "selu"}
    # "within a factor of two of 1"
    assert all(0.5 < v < 2.0 for v in g["derived_var"].values())


def test_glorot_and_he_through_depth(g):
    fwd, bwd = g["fwd_var"], g["bwd_var"]
    # ReLU + Glorot halves the variance per layer: about 2^-49 after 50 layers.
    assert g["relu_glorot_var"] == fwd["relu, glorot"] < 1e-10
    assert 0.5 < g["relu_he_var"] == fwd["relu, he"] < 2  # "stays near 1"
    assert bwd["relu, glorot"] < 1e-6 * bwd["relu, he"]
    # tanh + Glorot decays slowly, roughly like 1/(2l).
    assert 0 < fwd["tanh, glorot"] < 0.1
    assert fwd["tanh, glorot"] == pytest.approx(1 / 100, rel=1.0)
    assert bwd["tanh, glorot"] < 0.1  # the gradient shrinks on its way down
    assert fwd["tanh, he"] == pytest.approx(_fixed_point(np.tanh, 2.0), rel=0.2)
    assert bwd["tanh, he"] > 1  # "the gradient grows backwards"
    # SELU with LeCun (= Glorot for square layers) keeps variance near 1; He settles higher.
    assert 0.7 < fwd["selu, glorot"] < 1.4 and fwd["selu, he"] > fwd["selu, glorot"]


def test_selu_is_pulled_to_its_fixed_point(g):
    assert abs(g["selu_mean"]) < 0.1
    assert g["selu_var"] == pytest.approx(1.0, abs=0.2)


def test_regimes_of_tanh(g):
    edge = g["edge"]
    assert _chi_tanh(edge, 0.05) == pytest.approx(1.0, abs=0.01)
    expected = {"σw² = 1.0": 1.0, f"σw² = {edge:.2f}": edge, "σw² = 3.0": 3.0}
    assert g["chi_regimes"] == {k: _rule(_chi_tanh(s2, 0.05)) for k, s2 in expected.items()}
    assert list(g["chi_regimes"].values()) == ["ordered", "edge of chaos", "chaotic"]
    c50, theory = g["c50"], g["c50_theory"]
    assert g["c_ordered"] > 0.99 and g["c_chaotic"] < 0.8
    assert c50[f"σw² = {edge:.2f}"] < g["c_ordered"]  # the edge still tells them apart
    assert all(abs(c50[k] - theory[k]) < 0.15 for k in c50)
    chi_53 = 25 / 9 * float(np.mean(1 / np.cosh(np.sqrt(_fixed_point(np.tanh, 25 / 9)) * Z) ** 4))
    assert g["chi_53"] == pytest.approx(chi_53, rel=1e-2)
    assert g["regime_53"] == _rule(chi_53)


def test_the_sigmoid_collapse(g):
    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    q = _fixed_point(sigmoid, 1.0)
    s = sigmoid(np.sqrt(q) * Z)
    assert g["chi_sigmoid"] == pytest.approx(float(np.mean((s * (1 - s)) ** 2)), rel=1e-2)
    assert g["chi_sigmoid"] <= 1 / 16 and g["regime_sigmoid"] == "ordered"
    assert g["c_sigmoid"] > 0.99


def test_the_100_layer_networks(g):
    plain, residual = g["plain_acc"], g["residual_acc"]
    assert plain <= 0.15 and residual >= 0.5  # the prose: plain fails, residual trains
    assert g["plain_losses"][-1] == pytest.approx(math.log(10), abs=0.1)  # "level of guessing"
    assert g["residual_losses"][-1] < g["residual_losses"][0]
    assert f"({plain:.0%} test accuracy" in g["depth_verdict"]
    assert "plain stack did not train" in g["depth_verdict"]
    assert f"residual one trained ({residual:.0%})" in g["depth_verdict"]


def test_at_least_three_figures(nb):
    figures = sum("image/png" in out.get("data", {})
                  for cell in nb.cells for out in cell.get("outputs", []))
    assert figures >= 3
