"""acttutor.activations.derivative and resolve, which every function plot relies on.

(Moved here from the old setup-and-plotting tests; they belong with the tests of
``acttutor.activations`` and can be folded into them.)
"""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from acttutor.activations import derivative, resolve


def test_derivative_matches_known_gradients() -> None:
    x = np.array([-3.0, -0.5, 0.5, 3.0], dtype=np.float32)
    np.testing.assert_allclose(derivative(tf.nn.relu, x), [0, 0, 1, 1])
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(derivative(tf.nn.sigmoid, x), s * (1 - s), rtol=1e-5)
    np.testing.assert_array_equal(derivative(lambda t: tf.zeros_like(t) + 1.0, x), 0.0)


def test_resolve_names_and_callables() -> None:
    assert resolve("relu")[0] == "relu"
    assert resolve(tf.nn.tanh)[1] is tf.nn.tanh
    with pytest.raises(TypeError, match="name or a callable"):
        resolve(3)
