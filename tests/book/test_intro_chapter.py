"""Claims of the chapter "What are activation functions?", read from its executed outputs."""

from __future__ import annotations

import math

import pytest
from nbutils import executed, glued, outputs_text

NB = "book/intro.ipynb"


@pytest.fixture(scope="module")
def values() -> dict:
    return glued(executed(NB))


def test_neuron_sum_matches_its_inputs(values: dict) -> None:
    # 0.8*0.5 + 0.1*(-1.2) + (-0.4)*3.0 + 0.2, recomputed here independently.
    assert math.isclose(values["neuron_z"], 0.8 * 0.5 + 0.1 * -1.2 - 0.4 * 3.0 + 0.2, abs_tol=1e-6)


def test_dense_layer_reproduces_the_hand_computed_neuron() -> None:
    text = outputs_text(executed(NB))
    line = next(ln for ln in text.splitlines() if ln.startswith("by hand:"))
    by_hand, by_keras = (float(tok) for tok in line.replace("Dense layer:", "").split()[2:])
    assert by_hand == pytest.approx(by_keras, abs=1e-6)


def test_stacked_linear_layers_collapse_to_float32_round_off(values: dict) -> None:
    assert values["collapse_scale"] > 0.5  # the outputs are not trivially small
    assert values["collapse_max_diff"] < 1e-5


def test_relu_network_fits_the_curve_the_linear_one_cannot(values: dict) -> None:
    assert values["relu_loss"] < values["linear_loss"]
    assert values["relu_loss"] < 0.1 * values["linear_loss"]
    assert values["loss_ratio"] == pytest.approx(values["linear_loss"] / values["relu_loss"])


def test_linear_network_is_no_better_than_the_best_straight_line(values: dict) -> None:
    # The least-squares line is optimal among affine maps; the linear net cannot beat it.
    assert values["linear_loss"] >= values["best_line_loss"] * (1 - 1e-3)
    assert values["linear_loss"] <= values["best_line_loss"] * 1.05
