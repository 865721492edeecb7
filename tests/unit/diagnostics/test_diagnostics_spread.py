"""acttutor.diagnostics.spread: the spread of layer outputs across examples, by hand and bound."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from toys import batch, dense_model

from acttutor.diagnostics.spread import shrink_factor, spread_across_examples


def test_spread_by_hand():
    model = dense_model((3, None, "lin"), (2, "relu", "r"), input_dim=2)
    w1 = np.array([[1.0, 0.0, 2.0], [0.0, -1.0, 1.0]], np.float32)
    b1 = np.array([0.5, 0.0, -1.0], np.float32)
    w2 = np.array([[1.0, -1.0], [0.5, 2.0], [1.0, 0.0]], np.float32)
    model.get_layer("lin").set_weights([w1, b1])
    model.get_layer("r").set_weights([w2, np.zeros(2, np.float32)])
    x = batch(20, d=2, seed=3)
    a1 = x.astype(np.float64) @ w1 + b1
    a2 = np.maximum(a1 @ w2, 0)
    got = spread_across_examples(model, x)
    rel = spread_across_examples(model, x, relative=True)
    for name, a in (("lin", a1), ("r", a2)):
        expected = np.sqrt(np.mean(a.var(axis=0)))
        assert got[name] == pytest.approx(expected, rel=1e-5)
        assert rel[name] == pytest.approx(expected / np.sqrt(np.mean(a.mean(axis=0) ** 2)),
                                          rel=1e-5)


def test_sigmoid_layers_shrink_the_spread_within_their_lipschitz_bound():
    # sigmoid' <= 1/4, so each layer's spread (times sqrt(width)) is at most
    # 1/4 * ||W||_2 times the previous one's
    width, depth = 32, 6
    model = dense_model(*[(width, "sigmoid", f"s{i}") for i in range(depth)], input_dim=width)
    rng = np.random.default_rng(0)
    for layer in model.layers:
        layer.set_weights([rng.normal(scale=1 / np.sqrt(width), size=(width, width)).astype(
            np.float32), rng.normal(size=width).astype(np.float32)])
    x = batch(64, d=width, seed=1)
    spreads = spread_across_examples(model, x)
    previous = np.sqrt(np.mean(x.astype(np.float64).var(axis=0)))
    for layer, s in zip(model.layers, spreads.values(), strict=True):
        bound = 0.25 * np.linalg.norm(layer.kernel.numpy().astype(np.float64), 2) * previous
        assert 0 < s <= bound * (1 + 1e-5)
        previous = s
    assert shrink_factor(spreads) > 2


def test_shrink_factor_is_the_median_ratio():
    assert shrink_factor({"a": 8.0, "b": 2.0}) == 4.0
    assert shrink_factor({"a": 1.0, "b": 0.5, "c": 0.05, "d": 0.025}) == 2.0
    assert shrink_factor({"a": 1.0, "b": 2.0, "c": 4.0}) == 0.5  # growing: below 1
    with pytest.raises(ValueError, match="at least two layers"):
        shrink_factor({"a": 1.0})
    with pytest.raises(ValueError, match="positive and finite"):
        shrink_factor({"a": 1.0, "b": 0.0})


def test_spread_needs_two_examples_and_a_model():
    model = dense_model((2, None, "lin"), input_dim=3)
    with pytest.raises(ValueError, match="at least two"):
        spread_across_examples(model, batch(1))
    with pytest.raises(TypeError):
        spread_across_examples("model", batch(4))
    assert spread_across_examples(model, batch(4)) == {"lin": 0.0}  # zero kernel: all alike
    assert spread_across_examples(model, batch(4), relative=True) == {"lin": 0.0}
    one = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    assert set(spread_across_examples(one, batch(4))) == {"d"}
