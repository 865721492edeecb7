"""acttutor.diagnostics.gradients: gradient norms against an independent tape and by hand."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from toys import batch, classifier, dense_model

from acttutor.diagnostics.gradients import gradient_norms, gradient_rms
from acttutor.diagnostics.layers import dead_unit_fraction


def test_gradient_norms_match_an_independent_tape():
    model, x, y = classifier()
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
    model = dense_model((2, None, "lin"))
    w = np.array([[1.0, -2.0], [0.5, 0.0], [0.0, 3.0]], np.float32)
    b = np.array([0.25, -1.0], np.float32)
    model.get_layer("lin").set_weights([w, b])
    x = batch(8, seed=4)
    y = np.random.default_rng(9).normal(size=(8, 2)).astype(np.float32)
    r = x.astype(np.float64) @ w + b - y
    expected = np.linalg.norm(2.0 / (8 * 2) * x.astype(np.float64).T @ r)
    got = gradient_norms(model, x, y, keras.losses.MeanSquaredError())
    assert got["lin"] == pytest.approx(expected, rel=1e-5)


def test_gradient_norms_with_integer_labels():
    model, x, y = classifier(seed=2)
    one_hot = gradient_norms(model, x, y, keras.losses.CategoricalCrossentropy())
    sparse = gradient_norms(model, x, y.argmax(axis=1),
                            keras.losses.SparseCategoricalCrossentropy())
    assert sparse == pytest.approx(one_hot, rel=1e-5)


def test_sigmoid_stack_gradients_vanish_towards_the_input():
    model = dense_model(*[(16, "sigmoid", f"s{i}") for i in range(8)], (3, "softmax", "out"),
                         input_dim=3)
    rng = np.random.default_rng(0)
    for layer in model.layers:
        fan_in, fan_out = layer.kernel.shape
        limit = np.sqrt(6 / (fan_in + fan_out))
        layer.set_weights([rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32),
                           np.zeros(fan_out, np.float32)])
    x, y = batch(32), np.eye(3, dtype=np.float32)[np.arange(32) % 3]
    norms = list(gradient_norms(model, x, y, keras.losses.CategoricalCrossentropy()).values())
    assert norms[0] < norms[-1] / 100


def test_bad_gradient_arguments():
    model, x, y = classifier()
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
    assert gradient_norms(model, batch(4), y, keras.losses.MeanSquaredError()) == {}
    assert dead_unit_fraction(model, batch(4)) == {}


# --------------------------------------------------------------------------- gradient_rms


def test_gradient_rms_is_the_norm_per_kernel_entry():
    model, x, y = classifier(seed=3)
    loss_fn = keras.losses.CategoricalCrossentropy()
    norms = gradient_norms(model, x, y, loss_fn)
    rms = gradient_rms(model, x, y, loss_fn)
    assert list(rms) == list(norms)
    variables = [model.get_layer(n).kernel for n in rms]
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    for name, grad in zip(rms, tape.gradient(loss, variables), strict=True):
        g = grad.numpy().astype(np.float64)
        assert rms[name] == pytest.approx(np.sqrt(np.mean(g**2)), rel=1e-5)
        assert rms[name] == pytest.approx(norms[name] / np.sqrt(g.size), rel=1e-6)


def test_gradient_rms_checks_its_arguments_like_gradient_norms():
    model, x, y = classifier()
    with pytest.raises(ValueError, match="gradient_rms: y has shape"):
        gradient_rms(model, x, y[:5], keras.losses.CategoricalCrossentropy())
    with pytest.raises(TypeError, match="gradient_rms: loss_fn is the string"):
        gradient_rms(model, x, y, "mse")
