"""acttutor.backprop: a layer's Jacobian diag(f'(z)) W^T, not f' alone, scales the gradient."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from acttutor.backprop import JacobianGains, jacobian_gains, jacobian_verdict

RNG = np.random.default_rng(2)


def test_gain_matches_the_tape_jacobian():
    x = RNG.standard_normal((3, 5))
    w = RNG.standard_normal((5, 4))
    b = RNG.standard_normal(4)
    gains = jacobian_gains(x, w, "sigmoid", bias=b)
    for i in range(3):
        xi = tf.constant(x[i : i + 1])
        with tf.GradientTape() as tape:
            tape.watch(xi)
            a = tf.sigmoid(xi @ w + b)
        jac = tape.jacobian(a, xi).numpy().reshape(4, 5)
        assert gains.gains[i] == pytest.approx(np.linalg.norm(jac, 2), rel=1e-9)


def test_sigmoid_slope_is_bounded_but_the_layer_gain_is_not():
    x = RNG.standard_normal((32, 128))
    small = jacobian_gains(x, RNG.standard_normal((128, 128)) / np.sqrt(128), "sigmoid")
    large = jacobian_gains(x, 4 * RNG.standard_normal((128, 128)) / np.sqrt(128), "sigmoid")
    assert small.max_slope <= 0.25 and large.max_slope <= 0.25
    assert large.median > 1.0 > small.median
    assert "yet the layer multiplied" in jacobian_verdict(large)
    assert "at most" in jacobian_verdict(JacobianGains(np.array([0.2]), 0.2))


def test_bad_shapes_get_a_clear_message():
    with pytest.raises(ValueError, match="matching inputs"):
        jacobian_gains(np.ones((2, 3)), np.ones((4, 2)), "sigmoid")
    with pytest.raises(ValueError, match="bias must have shape"):
        jacobian_gains(np.ones((2, 3)), np.ones((3, 2)), "sigmoid", bias=np.ones(3))
    with pytest.raises(TypeError, match="jacobian_gains"):
        jacobian_verdict(0.5)
