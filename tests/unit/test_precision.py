"""acttutor.precision: float32 saturation points, exact zeros and ReLU's derivative at 0."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from acttutor.precision import (
    derivative_at_zero_verdict,
    exact_zero_share,
    first_float32_input,
    relu_with_derivative_at_zero,
    rounded_sigmoid,
    saturation_verdict,
)


def test_bisection_finds_the_exact_float32_boundary():
    x = first_float32_input(rounded_sigmoid, 1.0)
    below = np.nextafter(np.float32(x), np.float32(0))
    assert rounded_sigmoid(np.float32(x)) == 1.0
    assert rounded_sigmoid(below) < 1.0
    # 1 - sigma(x) < 2**-25 (half the float32 gap below 1) from x = 25 ln 2 on.
    assert abs(x - 25 * np.log(2)) < 1e-3


def test_tensorflow_sigmoid_saturates_before_correct_rounding():
    kernel = first_float32_input(tf.sigmoid, 1.0)
    reference = first_float32_input(rounded_sigmoid, 1.0)
    assert tf.sigmoid(tf.constant([kernel]))[0] == 1.0
    below = np.nextafter(np.float32(kernel), np.float32(0))
    assert tf.sigmoid(tf.constant([below]))[0] < 1.0
    assert kernel < reference - 0.5
    assert "earlier" in saturation_verdict(reference, kernel)


def test_bisection_rejects_bad_brackets_and_functions():
    with pytest.raises(ValueError, match="raise hi"):
        first_float32_input(rounded_sigmoid, 1.0, hi=5.0)
    with pytest.raises(ValueError, match="lo < hi"):
        first_float32_input(rounded_sigmoid, 1.0, lo=3.0, hi=1.0)
    with pytest.raises(TypeError, match="function"):
        first_float32_input(3.0, 1.0)
    with pytest.raises(ValueError, match="one number"):
        first_float32_input(lambda x: np.ones(3), 1.0)
    assert first_float32_input(lambda x: np.ones_like(x), 1.0, lo=2.0) == 2.0


def test_saturation_verdict_wording_follows_the_numbers():
    assert "later" in saturation_verdict(17.0, 18.0)
    assert "where correct rounding does" in saturation_verdict(17.33, 17.33)
    with pytest.raises(TypeError, match="number"):
        saturation_verdict("17", 16.0)


def test_exact_zero_share_counts_both_zeros():
    assert exact_zero_share(np.array([0.0, -0.0, 1e-40, 3.0], np.float32)) == 0.5
    assert exact_zero_share(tf.constant([[1.0, 0.0]])) == 0.5
    with pytest.raises(ValueError, match="non-empty"):
        exact_zero_share(np.array([]))


@pytest.mark.parametrize("value", [0.0, 0.5, 1.0])
def test_relu_derivative_at_zero_is_the_chosen_value(value):
    relu = relu_with_derivative_at_zero(value)
    x = tf.constant([-2.0, 0.0, -0.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = relu(x)
    np.testing.assert_array_equal(y.numpy(), tf.nn.relu(x).numpy())
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [0.0, value, value, 1.0])


def test_relu_derivative_rejects_non_numbers():
    with pytest.raises(ValueError, match="finite number"):
        relu_with_derivative_at_zero(float("nan"))
    with pytest.raises(ValueError, match="finite number"):
        relu_with_derivative_at_zero("1")


def test_derivative_at_zero_verdict():
    assert "changed nothing" in derivative_at_zero_verdict(0.0, 0.0)
    assert "came out the same" in derivative_at_zero_verdict(0.0, 0.5)
    changed = derivative_at_zero_verdict(0.03, 0.65)
    assert "65%" in changed and "0.03" in changed
    with pytest.raises(TypeError):
        derivative_at_zero_verdict(None, 0.5)
