"""acttutor.models: build_mlp's structure, compilation, seeding and messages for bad input."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from toys import CLASSES, FEATURES, small, tiny

from acttutor.models import build_mlp


def test_build_mlp_default_structure():
    model = build_mlp("tanh")
    assert isinstance(model, keras.Model)
    assert model.input_shape == (None, 784)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.units for layer in dense] == [128, 64, 10]
    assert [layer.name for layer in dense] == ["hidden_1", "hidden_2", "output"]
    x = np.linspace(-3, 3, 7, dtype=np.float32)
    for layer in dense[:2]:
        np.testing.assert_allclose(layer.activation(x), np.tanh(x), rtol=1e-6)
    probs = model(np.random.default_rng(0).random((5, 784), dtype=np.float32)).numpy()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)  # softmax output
    assert model.count_params() == 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10


def test_build_mlp_is_compiled_with_adam_crossentropy_accuracy():
    model = small()
    assert model.compiled
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)
    assert model.loss == "categorical_crossentropy"
    scores = model.evaluate(tiny().x_test, tiny().y_test, verbose=0, return_dict=True)
    assert "accuracy" in scores


def test_seed_fixes_initial_weights():
    a, b, c = small(seed=3), small(seed=3), small(seed=4)
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])
    # Layers get different seeds: two equal-shaped kernels must differ.
    twin = build_mlp("relu", hidden=(6, 6), input_dim=6, num_classes=6, seed=0)
    kernels = [w for w in twin.get_weights() if w.ndim == 2]
    assert not np.allclose(kernels[0], kernels[1])


def test_callable_activations():
    model = small(tf.nn.relu)
    assert model.get_layer("hidden_1").activation is tf.nn.relu
    leaky = keras.layers.LeakyReLU(negative_slope=0.1)
    model = small(leaky)
    out = model.get_layer("hidden_1").activation(np.array([-1.0, 2.0], np.float32))
    np.testing.assert_allclose(out, [-0.1, 2.0], rtol=1e-6)


def test_activation_that_raises_or_changes_shape_gets_a_clear_message():
    def placeholder(x):
        raise NotImplementedError

    def broken(x):
        return x.nonexistent

    def summing(x):
        return tf.reduce_sum(x, axis=-1, keepdims=True)

    with pytest.raises(ValueError, match=r"'placeholder' failed inside layer 'hidden_1'"):
        small(placeholder)
    with pytest.raises(ValueError, match=r"'broken' failed.*AttributeError"):
        small(broken)
    with pytest.raises(ValueError, match=r"'summing' changed the shape.*\(2, 8\), got \(2, 1\)"):
        small(summing)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"activation": "rleu"}, ValueError, "Did you mean 'relu'"),
        ({"activation": 3}, TypeError, "name such as 'relu'"),
        ({"activation": None}, TypeError, "No activation"),
        ({"activation": keras.layers.ReLU}, TypeError, "instance"),
        ({"activation": "relu", "hidden": 128}, TypeError, "sequence"),
        ({"activation": "relu", "hidden": (128, 0)}, ValueError, "hidden layer size"),
        ({"activation": "relu", "input_dim": -1}, ValueError, "input_dim"),
        ({"activation": "relu", "num_classes": 1}, ValueError, "at least 2"),
        ({"activation": "relu", "seed": -1}, ValueError, "seed"),
    ],
)
def test_build_mlp_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        build_mlp(**kwargs)


# ---------------------------------------------------------------- strategy


def test_build_mlp_builds_and_compiles_in_the_strategys_scope():
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    model = build_mlp("relu", hidden=(4,), input_dim=FEATURES, num_classes=CLASSES,
                      strategy=strategy)
    assert model.distribute_strategy is strategy
    assert model.compiled and isinstance(model.optimizer, keras.optimizers.Adam)
    plain = small()
    assert plain.distribute_strategy is not strategy
    # the strategy changes where the weights live, not what they are
    same = build_mlp("relu", hidden=(4,), input_dim=FEATURES, num_classes=CLASSES)
    for a, b in zip(model.get_weights(), same.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    history = model.fit(tiny().x_train, tiny().y_train, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


@pytest.mark.parametrize("strategy", ["mirrored", 2, tf.distribute.MirroredStrategy])
def test_build_mlp_rejects_what_is_not_a_strategy(strategy):
    with pytest.raises(TypeError, match=r"tf.distribute.Strategy, such as"):
        build_mlp("relu", hidden=(4,), input_dim=FEATURES, num_classes=CLASSES,
                  strategy=strategy)

