"""acttutor.diagnostics.layers on tiny models with hand-checkable answers."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from toys import batch, dense_model, planted_model, random_weights

from acttutor.diagnostics.gradients import gradient_norms
from acttutor.diagnostics.layers import (
    dead_unit_fraction,
    inactive_unit_fraction,
    is_relu,
    layer_outputs,
)

# --------------------------------------------------------------------------- is_relu


@pytest.mark.parametrize(
    "act",
    ["relu", keras.activations.relu, tf.nn.relu, keras.layers.ReLU(),
     lambda t: tf.maximum(t, 0.0), lambda t: t * tf.cast(t > 0, t.dtype)],
    ids=["name", "keras", "tf.nn", "layer", "maximum", "mask"],
)
def test_is_relu_by_behaviour(act):
    assert is_relu(act) is True


@pytest.mark.parametrize(
    "act",
    ["linear", None, "elu", "gelu", "relu6", "sigmoid", "softplus", "leaky_relu",
     keras.layers.LeakyReLU(negative_slope=0.1), lambda t: tf.nn.relu(t) + 1e-3,
     lambda t: tf.minimum(tf.nn.relu(t), 100.0), lambda t: tf.reduce_sum(t),
     lambda t: 1 / 0],
    ids=["linear", "none", "elu", "gelu", "relu6", "sigmoid", "softplus", "leaky",
         "leaky-layer", "shifted", "capped", "reducing", "raising"],
)
def test_not_relu(act):
    assert is_relu(act) is False


# --------------------------------------------------------------------------- dead units


def test_planted_dead_units():
    x = batch()
    assert dead_unit_fraction(planted_model(), x) == {"h1": 0.5}


def test_zero_for_some_examples_is_not_dead():
    model = planted_model()
    x = batch()
    out = layer_outputs(model, x)["h1"]
    assert (out[:, :3] == 0).any(axis=0).all()  # each live unit is 0 somewhere...
    assert dead_unit_fraction(model, x)["h1"] == 0.5  # ...but only the planted ones are dead
    # on one example, "zero" and "dead" coincide
    one = x[:1]
    expected = float(np.mean(layer_outputs(model, one)["h1"][0] == 0))
    assert dead_unit_fraction(model, one)["h1"] == expected


def test_relu_layers_detected_by_behaviour_and_others_left_out():
    model = dense_model(
        (5, "relu", "by_name"), (5, keras.activations.relu, "keras_fn"),
        (5, tf.nn.relu, "tf_fn"), (5, keras.layers.ReLU(), "relu_layer"),
        (5, keras.layers.LeakyReLU(negative_slope=0.1), "leaky"), (5, "elu", "elu"),
        (5, None, "linear"), (3, "softmax", "out"),
    )
    random_weights(model)
    # every layer gets biases of -100: every unit is negative on every example
    for layer in model.layers:
        kernel, bias = layer.get_weights()
        layer.set_weights([kernel * 0.01, np.full_like(bias, -100.0)])
    got = dead_unit_fraction(model, batch())
    assert got == {"by_name": 1.0, "keras_fn": 1.0, "tf_fn": 1.0, "relu_layer": 1.0}
    inactive = inactive_unit_fraction(model, batch())
    assert set(inactive) == {"by_name", "keras_fn", "tf_fn", "relu_layer", "leaky", "elu",
                             "linear"}
    assert all(v == 1.0 for v in inactive.values())
    assert inactive_unit_fraction(model, batch(), include_output=True)["out"] == 1.0


def test_no_relu_layers_gives_empty_dict():
    model = dense_model((4, "tanh", "a"), (2, "softmax", "b"))
    assert dead_unit_fraction(model, batch()) == {}


def test_inactive_equals_dead_for_relu():
    model = dense_model(*[(8, "relu", f"r{i}") for i in range(5)], (2, "softmax", "out"))
    random_weights(model, seed=3, scale=1.0)
    x = batch(60)
    dead = dead_unit_fraction(model, x)
    assert any(v > 0 for v in dead.values())  # the random net has some dead units to compare
    assert inactive_unit_fraction(model, x) == dead
    assert all(isinstance(v, float) for v in dead.values())


def test_dead_units_on_sequences_use_every_position():
    inp = keras.Input((4, 3))
    out = keras.layers.Dense(2, activation="relu", name="seq")(inp)
    model = keras.Model(inp, out)
    # unit 0 sees +x0 (positive somewhere), unit 1 has bias -9 (dead everywhere)
    model.get_layer("seq").set_weights([np.array([[1, 0], [0, 0], [0, 0]], np.float32),
                                        np.array([0, -9], np.float32)])
    x = np.random.default_rng(1).normal(size=(5, 4, 3)).astype(np.float32)
    assert dead_unit_fraction(model, x) == {"seq": 0.5}


# --------------------------------------------------------------------------- layer_outputs


def test_pre_activation_is_x_w_plus_b():
    model = keras.Sequential([
        keras.Input((3,)),
        keras.layers.Dense(4, activation="relu", name="h1"),
        keras.layers.Dropout(0.5, name="drop"),
        keras.layers.Dense(3, activation="tanh", name="h2", use_bias=False),
        keras.layers.Dense(2, activation="softmax", name="out"),
    ])
    random_weights(model, seed=5)
    x = batch(10)
    post = layer_outputs(model, x)
    pre = layer_outputs(model, x, pre_activation=True)
    assert list(post) == ["h1", "drop", "h2", "out"] == list(pre)
    w1, b1 = (v.astype(np.float64) for v in model.get_layer("h1").get_weights())
    (w2,) = (v.astype(np.float64) for v in model.get_layer("h2").get_weights())
    w3, b3 = (v.astype(np.float64) for v in model.get_layer("out").get_weights())
    z1 = x.astype(np.float64) @ w1 + b1
    np.testing.assert_allclose(pre["h1"], z1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(post["h1"], np.maximum(z1, 0), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(post["drop"], post["h1"])  # inference mode: no dropout
    np.testing.assert_array_equal(pre["drop"], post["drop"])  # not Dense: its usual output
    z2 = np.maximum(z1, 0) @ w2
    np.testing.assert_allclose(pre["h2"], z2, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(post["h2"], np.tanh(z2), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(pre["out"], np.tanh(z2) @ w3 + b3, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(post["out"], model(x).numpy(), rtol=1e-6)
    assert all(v.shape[0] == 10 and isinstance(v, np.ndarray) for v in pre.values())


def test_functional_model_with_branches():
    inp = keras.Input((3,), name="pixels")
    a = keras.layers.Dense(2, activation="relu", name="a")(inp)
    b = keras.layers.Dense(2, activation="relu", name="b")(inp)
    out = keras.layers.Dense(2, name="out")(keras.layers.Concatenate(name="cat")([a, b]))
    model = keras.Model(inp, out)
    got = layer_outputs(model, batch(7))
    assert set(got) == {"a", "b", "cat", "out"}  # the InputLayer is left out
    np.testing.assert_allclose(got["cat"], np.concatenate([got["a"], got["b"]], axis=1))


def test_large_batches_are_split_and_joined():
    model = dense_model((3, "relu", "h"))
    random_weights(model)
    x = batch(5000)
    np.testing.assert_allclose(layer_outputs(model, x)["h"], model(x).numpy(), rtol=1e-6)


def test_inputs_are_not_changed():
    model = planted_model()
    x = batch()
    before = x.copy()
    weights = [w.copy() for w in model.get_weights()]
    layer_outputs(model, x, pre_activation=True)
    dead_unit_fraction(model, x)
    gradient_norms(model, x, np.eye(2, dtype=np.float32)[np.arange(40) % 2],
                   keras.losses.CategoricalCrossentropy())
    np.testing.assert_array_equal(x, before)
    for w, w0 in zip(model.get_weights(), weights, strict=True):
        np.testing.assert_array_equal(w, w0)


def test_accepts_lists_and_tensors():
    model = planted_model()
    x = batch(6)
    ref = dead_unit_fraction(model, x)
    assert dead_unit_fraction(model, x.tolist()) == ref
    assert dead_unit_fraction(model, tf.constant(x)) == ref
    assert dead_unit_fraction(model, x.astype(np.float64)) == ref


def test_integer_inputs_keep_their_dtype():
    inp = keras.Input((4,), dtype="int32")
    h = keras.layers.Flatten(name="flat")(keras.layers.Embedding(10, 3, name="emb")(inp))
    model = keras.Model(inp, keras.layers.Dense(5, activation="relu", name="d")(h))
    x = np.array([[1, 2, 3, 4], [0, 0, 0, 0]])
    outs = layer_outputs(model, x)
    assert outs["emb"].shape == (2, 4, 3) and outs["flat"].shape == (2, 12)
    assert set(dead_unit_fraction(model, x)) == {"d"}
