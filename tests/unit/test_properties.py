"""acttutor.properties: the derivative and each measured property, against known answers."""

from __future__ import annotations

import dataclasses
import inspect
import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from acttutor import activations, properties
from acttutor.activations import CATALOG, elementwise_names
from acttutor.properties import PROBE_INTERVAL, Properties, compute_properties, derivative

VECTOR_VALUED = {"softmax", "log_softmax", "sparsemax", "glu"}


def test_the_catalog_re_exports_the_measurement():
    assert activations.derivative is properties.derivative
    assert isinstance(CATALOG["relu"].properties, Properties)
    assert PROBE_INTERVAL[0] < 0 < PROBE_INTERVAL[1]


# --- derivative ---------------------------------------------------------------------


@pytest.mark.parametrize("key", elementwise_names())
def test_derivative_matches_central_differences(key):
    fn = CATALOG[key].fn
    x = np.random.default_rng(7).uniform(-5.0, 5.0, size=64)
    h = 1e-6
    numeric = (np.asarray(fn(tf.constant(x + h))) - np.asarray(fn(tf.constant(x - h)))) / (2 * h)
    analytic = derivative(fn, x, dtype=tf.float64)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-6)


def test_derivative_float32_default_and_known_values():
    d = derivative(tf.nn.relu, np.array([-1.0, 2.0]))
    assert d.dtype == np.float32
    np.testing.assert_array_equal(d, [0.0, 1.0])
    x = np.linspace(-3, 3, 7)
    np.testing.assert_allclose(derivative(tf.tanh, x), 1 - np.tanh(x) ** 2, rtol=1e-5)
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(derivative(tf.sigmoid, x), s * (1 - s), rtol=1e-5)


def test_derivative_of_a_constant_is_zero():
    d = derivative(lambda t: tf.constant(3.0) + 0 * tf.stop_gradient(t), np.ones(3))
    np.testing.assert_array_equal(d, np.zeros(3))


def test_derivative_rejects_vector_valued_functions():
    with pytest.raises(ValueError, match="element-wise"):
        derivative(keras.activations.glu, np.ones((2, 4)))




# --- computed properties ------------------------------------------------------------


def props(key: str) -> Properties:
    return CATALOG[key].properties


def test_relu_properties():
    p = props("relu")
    assert p.monotonic and p.bounded_below and not p.bounded_above
    assert p.low == 0.0 and p.high == pytest.approx(20.0)
    assert not p.zero_centred and p.continuous and not p.smooth
    assert p.mean_normal == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-4)


def test_tanh_properties():
    p = props("tanh")
    assert p.zero_centred and abs(p.mean_normal) < 1e-9
    assert p.bounded_below and p.bounded_above and -1 <= p.low < -0.99 and 0.99 < p.high <= 1
    assert p.monotonic and p.smooth


def test_sigmoid_is_bounded_in_open_unit_interval():
    p = props("sigmoid")
    assert p.bounded_below and p.bounded_above
    assert 0.0 < p.low < 1e-8 and 1 - 1e-8 < p.high < 1.0
    assert not p.zero_centred and p.mean_normal == pytest.approx(0.5)
    assert p.monotonic and p.smooth


@pytest.mark.parametrize("key", ["gelu", "silu", "mish", "hard_silu"])
def test_non_monotonic_activations(key):
    p = props(key)
    assert not p.monotonic and p.low < 0 and p.bounded_below and not p.bounded_above


def test_non_monotonic_set_is_exactly_the_dipping_ones():
    assert {k for k in elementwise_names() if not props(k).monotonic} == {
        "gelu", "silu", "mish", "hard_silu"}


@pytest.mark.parametrize("key, smooth", [
    ("elu", True), ("celu", True), ("selu", False), ("softplus", True), ("gelu", True),
    ("relu", False), ("leaky_relu", False), ("hard_sigmoid", False), ("sparse_plus", True),
    ("hard_silu", False), ("relu6", False), ("exponential", True),
])
def test_smoothness(key, smooth):
    assert props(key).smooth is smooth


@pytest.mark.parametrize("key", ["threshold", "hard_shrink"])
def test_discontinuous(key):
    assert not props(key).continuous and not props(key).smooth


@pytest.mark.parametrize("key, below, above", [
    ("exponential", True, False), ("log_sigmoid", False, True), ("linear", False, False),
    ("leaky_relu", False, False), ("softsign", True, True), ("squareplus", True, False),
    ("relu6", True, True), ("selu", True, False), ("tanh_shrink", False, False),
])
def test_boundedness(key, below, above):
    p = props(key)
    assert (p.bounded_below, p.bounded_above) == (below, above)


def test_selu_is_zero_centred_for_standard_normal_inputs():
    p = props("selu")
    assert p.zero_centred and abs(p.mean_normal) < 1e-3
    assert p.std_normal == pytest.approx(1, abs=1e-3)


def test_properties_of_functions_outside_keras():
    cube = compute_properties(lambda x: x**3)
    assert cube.monotonic and cube.zero_centred and cube.smooth
    assert not cube.bounded_below and not cube.bounded_above
    absolute = compute_properties(tf.abs)
    assert not absolute.monotonic and absolute.continuous and not absolute.smooth
    assert absolute.bounded_below and not absolute.bounded_above
    assert compute_properties(lambda x: -x).monotonic  # non-increasing counts
    step = compute_properties(tf.sign)
    assert not step.continuous and step.bounded_below and step.bounded_above
    arctan = compute_properties(tf.atan)  # approaches pi/2 slowly, but bounded
    assert arctan.bounded_above and arctan.bounded_below and arctan.smooth
    slow = compute_properties(lambda x: tf.sign(x) * tf.math.log1p(tf.abs(x)))
    assert not slow.bounded_above and not slow.bounded_below  # log growth is unbounded
    assert not compute_properties(lambda x: tf.sqrt(tf.abs(x))).bounded_above


def test_properties_reject_nan_with_a_clear_message():
    with pytest.raises(ValueError, match="finite values"):
        compute_properties(tf.math.log1p)


def test_properties_of_vector_valued_entries_raise():
    for key in VECTOR_VALUED:
        with pytest.raises(ValueError, match="not element-wise"):
            _ = CATALOG[key].properties


def test_properties_are_cached():
    assert CATALOG["relu"].properties is CATALOG["relu"].properties


def test_every_property_is_defined_in_the_docstring():
    doc = inspect.getdoc(Properties)
    for f in dataclasses.fields(Properties):
        assert f"{f.name}:" in doc, f"Properties docstring does not define {f.name}"


def test_range_text():
    assert props("relu").range_text == "0 … 20"
    assert props("tanh").range_text == "−1 … 1"
