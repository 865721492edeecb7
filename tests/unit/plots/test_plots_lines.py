"""acttutor.plots.lines: the one line-drawing function (values, functions, runs), fits and paths."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf
from matplotlib.figure import Figure

import acttutor
from acttutor.plots.base import new_axes
from acttutor.plots.lines import MARKER_MAX, plot_fits, plot_lines, plot_trajectories


def labelled(ax) -> dict:
    return {ln.get_label(): ln for ln in ax.get_lines() if not ln.get_label().startswith("_")}


# --- values -----------------------------------------------------------------------------


def test_values_at_given_positions_with_dashed_lines_and_errors() -> None:
    fig = plot_lines({"a": [0, 1, 4], "b'": [1, 2, 3]}, x=[0, 1, 2], dashed=["b'"], logy=False)
    assert isinstance(fig, Figure)
    lines = fig.axes[0].get_lines()
    assert [ln.get_linestyle() for ln in lines if ln.get_label() in ("a", "b'")] == ["-", "--"]
    own_fig, ax = new_axes()
    assert plot_lines({"a": [1, 2]}, x=[0, 1], ax=ax) is own_fig
    with pytest.raises(ValueError, match="2 values for 3"):
        plot_lines({"a": [1, 2]}, x=[0, 1, 2])
    with pytest.raises(ValueError, match="at least one"):
        plot_lines({}, x=[0, 1])


def test_values_default_to_positions_one_two_three_with_log_axis_and_reference() -> None:
    ax = plot_lines({"x": [1.0, 2.0, 3.0]}, logy=True, hline=1.0, xlabel="step").axes[0]
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "step" and ax.get_ylabel() == ""
    np.testing.assert_array_equal(labelled(ax)["x"].get_xdata(), [1, 2, 3])
    (guide,) = [ln for ln in ax.get_lines() if ln.get_label().startswith("_")]
    assert guide.get_linestyle() == ":" and list(guide.get_ydata()) == [1.0, 1.0]
    assert len(ax.get_lines()) == 2  # no origin lines for values
    assert all(float(t).is_integer() for t in ax.get_xticks())  # steps are whole numbers


def test_the_old_argument_order_gets_a_message_that_says_what_to_change() -> None:
    with pytest.raises(TypeError, match="dict .* first, and x second"):
        plot_lines([0, 1, 2], {"a": [1, 2, 3]})  # type: ignore[arg-type]


def test_values_that_are_not_numbers_are_rejected_clearly() -> None:
    with pytest.raises(ValueError, match="must be numbers"):
        plot_lines({"a": ["x", "y"]})
    with pytest.raises(ValueError, match="must be numbers"):
        plot_lines({"a": np.zeros((2, 2, 2))})
    with pytest.raises(ValueError, match="at least one value"):
        plot_lines({"a": []})
    with pytest.raises(ValueError, match="not one of the lines' labels"):
        plot_lines({"a": [1, 2]}, dashed=["b"])
    with pytest.raises(ValueError, match="spread"):
        plot_lines({"a": [1, 2]}, spread="fan")  # type: ignore[arg-type]


def test_short_lines_get_a_dot_per_value_long_ones_none_unless_asked() -> None:
    short = labelled(plot_lines({"s": np.arange(MARKER_MAX)}).axes[0])["s"]
    long = labelled(plot_lines({"l": np.arange(MARKER_MAX + 1)}).axes[0])["l"]
    assert short.get_marker() == "o" and long.get_marker() in ("None", None, "")
    forced = labelled(plot_lines({"l": np.arange(100)}, markers=True).axes[0])["l"]
    off = labelled(plot_lines({"s": [1, 2]}, markers=False).axes[0])["s"]
    assert forced.get_marker() == "o" and off.get_marker() in ("None", None, "")


def test_colours_follow_the_palette_and_lines_past_it_are_dashed() -> None:
    palette = acttutor.PALETTE
    n = len(palette) + 1
    ax = plot_lines({f"l{i}": [i, i + 1] for i in range(n)}).axes[0]
    lines = labelled(ax)
    assert [lines[f"l{i}"].get_color() for i in range(n)] == [*palette, palette[0]]
    assert lines[f"l{n - 1}"].get_linestyle() == "--" and lines["l0"].get_linestyle() == "-"


def test_an_empty_label_draws_a_line_without_a_legend() -> None:
    ax = plot_lines({"": [1, 2, 3]}).axes[0]
    assert len(ax.get_lines()) == 1 and ax.get_legend() is None


# --- functions ----------------------------------------------------------------------------


def test_functions_and_names_are_evaluated_over_x_with_labels_and_origin_lines() -> None:
    x = np.linspace(-3.0, 3.0, 13)
    ax = plot_lines({"a": "relu", "b": tf.tanh}, x=x, title="two").axes[0]
    lines = labelled(ax)
    np.testing.assert_allclose(lines["a"].get_ydata(), np.maximum(x, 0))
    np.testing.assert_allclose(lines["b"].get_ydata(), np.tanh(x), rtol=1e-6)
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("x", "f(x)", "two")
    assert len(ax.get_lines()) == 4  # two functions and the two origin lines
    default = labelled(plot_lines({"relu": "relu"}).axes[0])["relu"]
    assert default.get_xdata()[0] == -10.0 and len(default.get_xdata()) == 401


def test_derivatives_of_functions_come_from_the_gradient_tape() -> None:
    x = np.linspace(-3.0, 3.0, 13)
    ax = plot_lines({"a": "relu", "b": tf.sigmoid}, x=x, derivative=True).axes[0]
    lines = labelled(ax)
    np.testing.assert_allclose(lines["a"].get_ydata(), (x > 0).astype(float))
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(lines["b"].get_ydata(), s * (1 - s), rtol=1e-5)
    assert ax.get_ylabel() == "f′(x)"
    with pytest.raises(ValueError, match="derivative=True differentiates functions"):
        plot_lines({"values": [1.0, 2.0]}, derivative=True)


def test_functions_draw_into_a_given_axes_and_must_be_element_wise() -> None:
    existing = plot_lines({"y": [1, 2]})
    assert plot_lines({"relu": "relu"}, ax=existing.axes[0]) is existing
    with pytest.raises(ValueError, match="element-wise"):
        plot_lines({"sum": lambda t: tf.reduce_sum(t, keepdims=True)})
    with pytest.raises(ValueError, match="Unknown activation"):
        plot_lines({"?": "relux"})


# --- runs -----------------------------------------------------------------------------------


def test_runs_draw_each_run_thin_and_their_mean_thick() -> None:
    fig = plot_lines({"tanh": [[0.7, 0.4, 0.2], [0.7, 0.5]], "sigmoid": [[0.7, 0.6, 0.6]]})
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["tanh (mean of 2 runs)", "sigmoid"]
    mean_line = [ln for ln in ax.get_lines() if ln.get_label().startswith("tanh")][0]
    assert np.allclose(mean_line.get_ydata(), [0.7, 0.45])  # runs cut to the shortest
    thin = [ln for ln in ax.get_lines() if ln.get_linewidth() < 1]
    assert len(thin) == 2 and all(ln.get_color() == mean_line.get_color() for ln in thin)
    assert mean_line.get_linewidth() > 2


def test_a_two_dimensional_array_is_one_run_per_row() -> None:
    runs = np.array([[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]])
    ax = plot_lines({"r": runs}, x=[10, 20, 30]).axes[0]
    mean = labelled(ax)["r (mean of 2 runs)"]
    np.testing.assert_allclose(mean.get_ydata(), [2.0, 3.0, 4.0])
    np.testing.assert_allclose(mean.get_xdata(), [10, 20, 30])


def test_runs_as_a_band_from_lowest_to_highest() -> None:
    ax = plot_lines({"r": [[0.5, 0.8, 0.9], [0.7, 0.8, 0.95]]}, spread="band").axes[0]
    assert list(labelled(ax)) == ["r (2 runs)"]
    assert len(ax.collections) == 1
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(0.5) and band.max() == pytest.approx(0.95)


# --- fits and trajectories ------------------------------------------------------------------


def test_plot_fits_draws_target_and_each_prediction() -> None:
    x = np.linspace(-1, 1, 20)
    fig = plot_fits(x, x**2, {"a": 0 * x, "b": x})
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["target", "a", "b"]
    assert lines[0].get_linewidth() > lines[1].get_linewidth()  # the target sits behind
    column = plot_fits(x[:, None], x**2, {"a": x[:, None]}).axes[0]
    np.testing.assert_allclose(column.get_lines()[1].get_ydata(), x)  # (n, 1) is one line


def test_plot_fits_checks_lengths_and_types() -> None:
    x = np.linspace(-1, 1, 20)
    with pytest.raises(ValueError, match="y has 19 values for 20 inputs"):
        plot_fits(x, x[1:], {"a": x})
    with pytest.raises(ValueError, match="19 values for 20"):
        plot_fits(x, x, {"a": x[1:]})
    with pytest.raises(TypeError, match="predictions must be a dict"):
        plot_fits(x, x, [x])  # type: ignore[arg-type]


def test_plot_trajectories_marks_start_and_target() -> None:
    path = np.array([[0.0, 0.0], [0.5, 0.2], [1.0, -1.0]])
    fig = plot_trajectories({"sgd": path}, target=[1.0, -1.0])
    assert isinstance(fig, Figure)
    lines = labelled(fig.axes[0])
    np.testing.assert_array_equal(lines["sgd"].get_xdata(), path[:, 0])
    assert lines["target"].get_marker() == "*"
    with pytest.raises(ValueError, match="steps \\+ 1, 2"):
        plot_trajectories({"bad": np.zeros((3, 3))})
    with pytest.raises(ValueError, match="at least one path"):
        plot_trajectories({})
