"""acttutor.pieces: the kinks of a one-input ReLU network, layer by layer."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from acttutor.pieces import kinks_verdict, model_kinks, relu_kinks


def _slope_changes(kernels, biases, w_out, lo, hi, n=400_001):
    """Kinks found the slow way: where the slope of the network's output changes on a grid."""
    x = np.linspace(lo, hi, n)
    a = x[:, None]
    for k, b in zip(kernels, biases, strict=True):
        a = np.maximum(a @ k + b, 0.0)
    y = (a @ w_out).ravel()
    slope = np.diff(y) / np.diff(x)
    jumps = np.abs(np.diff(slope)) > 1e-6
    # neighbouring grid cells that both see one kink count once
    return int(np.sum(jumps[1:] & ~jumps[:-1]) + jumps[0])


def test_first_layer_kinks_are_the_zero_crossings():
    k = np.array([[1.0, -2.0, 0.5]])
    b = np.array([0.5, 1.0, -3.0])  # crossings at -0.5, 0.5 and 6 (outside [-2, 2])
    assert relu_kinks([k], [b], -2.0, 2.0) == [2]


def test_a_second_layer_unit_adds_several_kinks():
    rng = np.random.default_rng(0)
    kernels = [rng.standard_normal((1, 8)), rng.standard_normal((8, 8))]
    biases = [rng.standard_normal(8), rng.standard_normal(8)]
    counts = relu_kinks(kernels, biases, -3.0, 3.0)
    assert counts[0] <= 8
    # each kink changes the output's slope for generic output weights
    assert sum(counts) == _slope_changes(kernels, biases, rng.standard_normal((8, 1)), -3, 3)
    # One second-layer unit, relu(x+1) - 2 relu(x) + 2 relu(x-1) - 0.5, crosses 0
    # at -0.5, 0.5 and 1.5: three kinks from a single unit.
    single = relu_kinks([np.ones((1, 3)), np.array([[1.0], [-2.0], [2.0]])],
                        [np.array([1.0, 0.0, -1.0]), np.array([-0.5])], -2.0, 2.0)
    assert single == [3, 3]


def test_model_kinks_reads_a_keras_model():
    keras.utils.set_random_seed(0)
    net = keras.Sequential([
        keras.Input(shape=(1,)),
        keras.layers.Dense(6, activation="relu"),
        keras.layers.Dense(6, activation="relu"),
        keras.layers.Dense(1),
    ])
    weights = [layer.get_weights() for layer in net.layers]
    expected = relu_kinks([w[0] for w in weights[:2]], [w[1] for w in weights[:2]], -2, 2)
    assert model_kinks(net, -2.0, 2.0) == expected
    with pytest.raises(ValueError, match="hidden Dense"):
        model_kinks(keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)]), 0, 1)


def test_bad_input_gets_a_clear_message():
    with pytest.raises(ValueError, match="one input"):
        relu_kinks([np.ones((2, 3))], [np.zeros(3)], 0.0, 1.0)
    with pytest.raises(ValueError, match="lo < hi"):
        relu_kinks([np.ones((1, 3))], [np.zeros(3)], 1.0, 0.0)
    with pytest.raises(ValueError, match="one count per hidden layer"):
        kinks_verdict([1, 2], [3])


def test_kinks_verdict_follows_the_counts():
    assert kinks_verdict([3, 7], [4, 4]).endswith(": more kinks than units")
    assert kinks_verdict([3, 2], [4, 4]).endswith(": no more kinks than units")
