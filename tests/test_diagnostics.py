"""Unit tests for acttutor.diagnostics on tiny models with hand-checkable answers."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from acttutor.diagnostics import (
    dead_unit_fraction,
    gradient_norms,
    inactive_unit_fraction,
    is_relu,
    layer_outputs,
)


def _dense_model(*specs, input_dim=3, name="m"):
    """Sequential of Dense layers from (units, activation, name) triples, zero-initialised."""
    layers = [keras.Input((input_dim,))]
    for units, act, lname in specs:
        layers.append(keras.layers.Dense(units, activation=act, name=lname,
                                         kernel_initializer="zeros"))
    return keras.Sequential(layers, name=name)


def _x(n=40, d=3, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d)).astype(np.float32)


def _random_weights(model, seed=0, scale=0.8):
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            w = [rng.normal(scale=scale, size=v.shape).astype(np.float32)
                 for v in layer.get_weights()]
            layer.set_weights(w)


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


def _planted():
    """h1: 6 units; units 0-2 read x0, x1, x2 (sometimes 0), units 3-5 have bias -50 (dead)."""
    model = _dense_model((6, "relu", "h1"), (2, "softmax", "out"))
    kernel = np.zeros((3, 6), np.float32)
    kernel[0, 0] = kernel[1, 1] = kernel[2, 2] = 1.0
    kernel[:, 3:] = 0.5
    bias = np.array([0, 0, 0, -50, -50, -50], np.float32)
    model.get_layer("h1").set_weights([kernel, bias])
    return model


def test_planted_dead_units():
    x = _x()
    assert dead_unit_fraction(_planted(), x) == {"h1": 0.5}


def test_zero_for_some_examples_is_not_dead():
    model = _planted()
    x = _x()
    out = layer_outputs(model, x)["h1"]
    assert (out[:, :3] == 0).any(axis=0).all()  # each live unit is 0 somewhere...
    assert dead_unit_fraction(model, x)["h1"] == 0.5  # ...but only the planted ones are dead
    # on one example, "zero" and "dead" coincide
    one = x[:1]
    expected = float(np.mean(layer_outputs(model, one)["h1"][0] == 0))
    assert dead_unit_fraction(model, one)["h1"] == expected


def test_relu_layers_detected_by_behaviour_and_others_left_out():
    model = _dense_model(
        (5, "relu", "by_name"), (5, keras.activations.relu, "keras_fn"),
        (5, tf.nn.relu, "tf_fn"), (5, keras.layers.ReLU(), "relu_layer"),
        (5, keras.layers.LeakyReLU(negative_slope=0.1), "leaky"), (5, "elu", "elu"),
        (5, None, "linear"), (3, "softmax", "out"),
    )
    _random_weights(model)
    # every layer gets biases of -100: every unit is negative on every example
    for layer in model.layers:
        kernel, bias = layer.get_weights()
        layer.set_weights([kernel * 0.01, np.full_like(bias, -100.0)])
    got = dead_unit_fraction(model, _x())
    assert got == {"by_name": 1.0, "keras_fn": 1.0, "tf_fn": 1.0, "relu_layer": 1.0}
    inactive = inactive_unit_fraction(model, _x())
    assert set(inactive) == {"by_name", "keras_fn", "tf_fn", "relu_layer", "leaky", "elu",
                             "linear"}
    assert all(v == 1.0 for v in inactive.values())
    assert inactive_unit_fraction(model, _x(), include_output=True)["out"] == 1.0


def test_no_relu_layers_gives_empty_dict():
    model = _dense_model((4, "tanh", "a"), (2, "softmax", "b"))
    assert dead_unit_fraction(model, _x()) == {}


def test_inactive_equals_dead_for_relu():
    model = _dense_model(*[(8, "relu", f"r{i}") for i in range(5)], (2, "softmax", "out"))
    _random_weights(model, seed=3, scale=1.0)
    x = _x(60)
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
    _random_weights(model, seed=5)
    x = _x(10)
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
    got = layer_outputs(model, _x(7))
    assert set(got) == {"a", "b", "cat", "out"}  # the InputLayer is left out
    np.testing.assert_allclose(got["cat"], np.concatenate([got["a"], got["b"]], axis=1))


def test_large_batches_are_split_and_joined():
    model = _dense_model((3, "relu", "h"))
    _random_weights(model)
    x = _x(5000)
    np.testing.assert_allclose(layer_outputs(model, x)["h"], model(x).numpy(), rtol=1e-6)


def test_inputs_are_not_changed():
    model = _planted()
    x = _x()
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
    model = _planted()
    x = _x(6)
    ref = dead_unit_fraction(model, x)
    assert dead_unit_fraction(model, x.tolist()) == ref
    assert dead_unit_fraction(model, tf.constant(x)) == ref
    assert dead_unit_fraction(model, x.astype(np.float64)) == ref


# --------------------------------------------------------------------------- gradient_norms


def _classifier(seed=0):
    model = _dense_model((5, "sigmoid", "first"), (4, "tanh", "second"),
                         (3, "softmax", "last"))
    _random_weights(model, seed=seed)
    x = _x(12, seed=seed + 1)
    y = np.eye(3, dtype=np.float32)[np.arange(12) % 3]
    return model, x, y


def test_gradient_norms_match_an_independent_tape():
    model, x, y = _classifier()
    loss_fn = keras.losses.CategoricalCrossentropy()
    got = gradient_norms(model, x, y, loss_fn)
    variables = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.categorical_crossentropy(y, model(x)))
    grads = dict(zip([v.path for v in variables], tape.gradient(loss, variables), strict=True))
    assert list(got) == ["first", "second", "last"]
    for name, value in got.items():
        kernel = model.get_layer(name).kernel
        expected = np.linalg.norm(grads[kernel.path].numpy().astype(np.float64))
        assert value == pytest.approx(expected, rel=1e-5)
        bias_grad = grads[model.get_layer(name).bias.path].numpy()
        with_bias = np.sqrt(expected**2 + np.sum(bias_grad.astype(np.float64) ** 2))
        assert value != pytest.approx(with_bias, rel=1e-4)  # the bias is left out
        assert isinstance(value, float) and value > 0


def test_gradient_norm_of_a_linear_layer_by_hand():
    # L = mean((xW + b - y)^2) over n examples and k outputs; dL/dW = 2/(n k) x^T (xW + b - y)
    model = _dense_model((2, None, "lin"))
    w = np.array([[1.0, -2.0], [0.5, 0.0], [0.0, 3.0]], np.float32)
    b = np.array([0.25, -1.0], np.float32)
    model.get_layer("lin").set_weights([w, b])
    x = _x(8, seed=4)
    y = np.random.default_rng(9).normal(size=(8, 2)).astype(np.float32)
    r = x.astype(np.float64) @ w + b - y
    expected = np.linalg.norm(2.0 / (8 * 2) * x.astype(np.float64).T @ r)
    got = gradient_norms(model, x, y, keras.losses.MeanSquaredError())
    assert got["lin"] == pytest.approx(expected, rel=1e-5)


def test_gradient_norms_with_integer_labels():
    model, x, y = _classifier(seed=2)
    one_hot = gradient_norms(model, x, y, keras.losses.CategoricalCrossentropy())
    sparse = gradient_norms(model, x, y.argmax(axis=1),
                            keras.losses.SparseCategoricalCrossentropy())
    assert sparse == pytest.approx(one_hot, rel=1e-5)


def test_sigmoid_stack_gradients_vanish_towards_the_input():
    model = _dense_model(*[(16, "sigmoid", f"s{i}") for i in range(8)], (3, "softmax", "out"),
                         input_dim=3)
    rng = np.random.default_rng(0)
    for layer in model.layers:
        fan_in, fan_out = layer.kernel.shape
        limit = np.sqrt(6 / (fan_in + fan_out))
        layer.set_weights([rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32),
                           np.zeros(fan_out, np.float32)])
    x, y = _x(32), np.eye(3, dtype=np.float32)[np.arange(32) % 3]
    norms = list(gradient_norms(model, x, y, keras.losses.CategoricalCrossentropy()).values())
    assert norms[0] < norms[-1] / 100


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("fn", [layer_outputs, dead_unit_fraction, inactive_unit_fraction])
def test_bad_model_and_x(fn):
    model = _planted()
    with pytest.raises(TypeError, match="needs a keras.Model"):
        fn("model", _x())
    with pytest.raises(TypeError, match="x is None"):
        fn(model, None)
    with pytest.raises(ValueError, match=r"one example without the batch axis.*x\[None"):
        fn(model, _x()[0])
    with pytest.raises(ValueError, match=r"shape \(40, 2\), but the model expects \(n, 3\)"):
        fn(model, _x(d=2))
    with pytest.raises(ValueError, match="no examples"):
        fn(model, _x()[:0])
    bad = _x()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="1 NaN or infinite"):
        fn(model, bad)
    with pytest.raises(TypeError, match="must hold numbers"):
        fn(model, np.array([["a", "b", "c"]]))
    with pytest.raises(ValueError, match="no defined inputs yet.*keras.Input"):
        fn(keras.Sequential([keras.layers.Dense(2, activation="relu")]), _x())


def test_bad_gradient_arguments():
    model, x, y = _classifier()
    cce = keras.losses.CategoricalCrossentropy()
    with pytest.raises(TypeError, match="y is None"):
        gradient_norms(model, x, None, cce)
    with pytest.raises(ValueError, match="x has 12 examples"):
        gradient_norms(model, x, y[:5], cce)
    with pytest.raises(ValueError, match=r"matches the model's output \(shape \(12, 3\)\)"):
        gradient_norms(model, x, np.eye(4, dtype=np.float32)[np.arange(12) % 4], cce)
    with pytest.raises(TypeError, match=r"pass a loss object.*CategoricalCrossentropy\(\)"):
        gradient_norms(model, x, y, "categorical_crossentropy")
    with pytest.raises(TypeError, match="create an instance"):
        gradient_norms(model, x, y, keras.losses.CategoricalCrossentropy)
    with pytest.raises(ValueError, match="not a scalar"):
        gradient_norms(model, x, y, keras.losses.categorical_crossentropy)
    with pytest.raises(TypeError, match="must be a keras.losses.Loss"):
        gradient_norms(model, x, y, 3)
    y_nan = y.copy()
    y_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="y contains NaN"):
        gradient_norms(model, x, y_nan, cce)


def test_model_without_dense_layers():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Rescaling(2.0)])
    y = np.zeros((4, 3), np.float32)
    assert gradient_norms(model, _x(4), y, keras.losses.MeanSquaredError()) == {}
    assert dead_unit_fraction(model, _x(4)) == {}


def test_integer_inputs_keep_their_dtype():
    inp = keras.Input((4,), dtype="int32")
    h = keras.layers.Flatten(name="flat")(keras.layers.Embedding(10, 3, name="emb")(inp))
    model = keras.Model(inp, keras.layers.Dense(5, activation="relu", name="d")(h))
    x = np.array([[1, 2, 3, 4], [0, 0, 0, 0]])
    outs = layer_outputs(model, x)
    assert outs["emb"].shape == (2, 4, 3) and outs["flat"].shape == (2, 12)
    assert set(dead_unit_fraction(model, x)) == {"d"}
