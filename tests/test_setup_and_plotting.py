"""acttutor.setup() and the core plotting helpers."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest
import tensorflow as tf
from matplotlib.figure import Figure

import acttutor
from acttutor import plotting
from acttutor.activations import derivative, resolve


def test_setup_makes_random_draws_repeatable() -> None:
    acttutor.setup(seed=3)
    first = (np.random.rand(3), tf.random.uniform((3,)).numpy())
    acttutor.setup(seed=3)
    second = (np.random.rand(3), tf.random.uniform((3,)).numpy())
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_setup_sets_the_colour_blind_safe_palette() -> None:
    acttutor.setup()
    colours = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    assert colours[: len(acttutor.PALETTE)] == list(acttutor.PALETTE)


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_setup_rejects_bad_seeds(seed) -> None:
    with pytest.raises(ValueError, match="non-negative int"):
        acttutor.setup(seed=seed)


def test_plot_activation_returns_a_figure_with_the_function_drawn() -> None:
    fig = plotting.plot_activation("relu", derivative=True)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    fn_line, deriv_line = lines["relu"], lines["relu′ (derivative)"]
    x = fn_line.get_xdata()
    np.testing.assert_allclose(fn_line.get_ydata(), np.maximum(x, 0))
    np.testing.assert_allclose(deriv_line.get_ydata(), (x > 0).astype(float))


def test_plot_activation_draws_into_a_given_axes() -> None:
    fig, ax = plotting.new_axes()
    assert plotting.plot_activation(tf.nn.tanh, ax=ax) is fig


def test_plot_activation_rejects_unknown_names_and_bad_x() -> None:
    with pytest.raises(ValueError, match="Unknown activation 'relux'"):
        plotting.plot_activation("relux")
    with pytest.raises(ValueError, match="1-D"):
        plotting.plot_activation("relu", x=np.zeros((2, 2)))


def test_plot_activations_grid_has_one_visible_panel_per_name() -> None:
    fig = plotting.plot_activations(["relu", "sigmoid", "tanh", "elu"], ncols=3)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["relu", "sigmoid", "tanh", "elu"]


def test_plot_fits_draws_target_and_each_prediction() -> None:
    x = np.linspace(-1, 1, 20)
    fig = plotting.plot_fits(x, x**2, {"a": 0 * x, "b": x})
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert labels == ["target", "a", "b"]


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
