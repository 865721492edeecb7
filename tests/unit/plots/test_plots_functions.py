"""acttutor.plots.functions: one activation, a grid of them, the catalog, vector-valued ones."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf
from matplotlib.figure import Figure

from acttutor.plots.base import new_axes
from acttutor.plots.functions import (
    plot_activation,
    plot_activations,
    plot_catalog,
    plot_vector_activations,
)


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def test_plot_activation_returns_a_figure_with_the_function_drawn() -> None:
    fig = plot_activation("relu", derivative=True)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    fn_line, deriv_line = lines["relu"], lines["relu′ (derivative)"]
    x = fn_line.get_xdata()
    np.testing.assert_allclose(fn_line.get_ydata(), np.maximum(x, 0))
    np.testing.assert_allclose(deriv_line.get_ydata(), (x > 0).astype(float))
    assert deriv_line.get_linestyle() == "--" and fn_line.get_linestyle() == "-"
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("relu", "x", "f(x)")


def test_plot_activation_over_given_points_with_a_label() -> None:
    x = np.linspace(-2.0, 2.0, 9)
    ax = plot_activation(tf.nn.tanh, x, label="my tanh").axes[0]
    (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "my tanh"]
    np.testing.assert_allclose(line.get_xdata(), x)
    np.testing.assert_allclose(line.get_ydata(), np.tanh(x), rtol=1e-6)
    assert ax.get_title() == "tanh"  # the title names the function, the legend the label


def test_plot_activation_draws_into_a_given_axes() -> None:
    fig, ax = new_axes()
    assert plot_activation(tf.nn.tanh, ax=ax) is fig
    assert ax.get_title() == "tanh"


def test_plot_activation_rejects_unknown_names_and_bad_x() -> None:
    with pytest.raises(ValueError, match="Unknown activation 'relux'"):
        plot_activation("relux")
    with pytest.raises(ValueError, match="1-D"):
        plot_activation("relu", x=np.zeros((2, 2)))
    with pytest.raises(TypeError, match="name or a callable"):
        plot_activation(3)  # type: ignore[arg-type]


def test_plot_activations_grid_has_one_visible_panel_per_name() -> None:
    fig = plot_activations(["relu", "sigmoid", "tanh", "elu"], ncols=3)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["relu", "sigmoid", "tanh", "elu"]
    assert len(fig.axes) == 6  # two rows of three, two hidden
    assert all(ax.get_legend() is None for ax in visible)  # one line: the title names it


def test_plot_activations_with_derivatives_keeps_a_legend_per_panel() -> None:
    fig = plot_activations(["relu", "sigmoid"], derivative=True)
    for ax in fig.axes:
        texts = [t.get_text() for t in ax.get_legend().get_texts()]
        assert texts == [ax.get_title(), f"{ax.get_title()}′ (derivative)"]


def test_plot_activations_needs_a_name() -> None:
    with pytest.raises(ValueError, match="at least one"):
        plot_activations([])
    assert [ax.get_title() for ax in plot_activations("relu").axes] == ["relu"]


def test_plot_catalog_draws_function_and_derivative_per_panel_and_one_legend() -> None:
    x = np.linspace(-3.0, 3.0, 61)
    fig = plot_catalog(["relu", "tanh", "gelu"], x, ncols=2)
    assert isinstance(fig, Figure) and len([a for a in fig.axes if a.get_visible()]) == 3
    tanh_ax = next(ax for ax in fig.axes if ax.get_title() == "tanh")
    f, d = [ln for ln in tanh_ax.get_lines() if not ln.get_label().startswith("_")]
    np.testing.assert_allclose(f.get_ydata(), np.tanh(x), rtol=1e-5)
    np.testing.assert_allclose(d.get_ydata(), 1 - np.tanh(x) ** 2, atol=1e-5)
    assert all(ax.get_legend() is None for ax in fig.axes)
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["f(x)", "f′(x)"]


def test_plot_catalog_rejects_what_is_not_element_wise_and_empty_lists() -> None:
    with pytest.raises(ValueError, match="element-wise"):
        plot_catalog(["softmax"])
    with pytest.raises(ValueError, match="element-wise"):
        plot_catalog([lambda t: tf.reduce_sum(t, keepdims=True)])
    with pytest.raises(ValueError, match="at least one"):
        plot_catalog([])


def test_plot_vector_activations_one_panel_per_activation_plus_the_input() -> None:
    logits = [1.0, 2.0, 0.5, -1.0]
    fig = plot_vector_activations(["softmax", "glu"], logits)
    assert [ax.get_title() for ax in fig.axes] == ["input logits", "softmax", "glu"]
    heights = [p.get_height() for p in fig.axes[1].patches]
    np.testing.assert_allclose(heights, _softmax(np.array(logits)), rtol=1e-5)
    assert len(fig.axes[2].patches) == 2  # glu halves the vector
    np.testing.assert_allclose([p.get_height() for p in fig.axes[0].patches], logits)


def test_plot_vector_activations_needs_two_logits() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        plot_vector_activations(["softmax"], [1.0])
    with pytest.raises(ValueError, match="vector of numbers"):
        plot_vector_activations(["softmax"], ["a", "b"])
