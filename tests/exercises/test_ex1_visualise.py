"""Checker tests for exercise 1 (plot every activation; the checker reads the figure back)."""

from __future__ import annotations

import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from acttutor.exercises import ex1  # noqa: E402
from acttutor.exercises.ex1_visualise import CHECK_X, title_names  # noqa: E402

STATUSES = {"passed", "failed", "not_attempted", "error", "checker_error"}


@pytest.fixture(autouse=True)
def _not_strict(monkeypatch):
    monkeypatch.delenv("ACTTUTOR_STRICT", raising=False)
    yield
    plt.close("all")


# --------------------------------------------------------------------------- helpers


def _softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def _curves(x, alpha=0.1):
    return {
        "ReLU": np.maximum(x, 0.0),
        "Sigmoid": 1.0 / (1.0 + np.exp(-x)),
        "Tanh": np.tanh(x),
        "Leaky ReLU": np.where(x > 0, x, alpha * x),
        "Softmax": _softmax(x),
    }


def _panels(curves_of, *, titles=None, close=True):
    """An answer drawing ``curves_of(x)`` (title -> y) on a 2x3 grid."""

    def answer(x):
        curves = curves_of(x)
        fig, axes = plt.subplots(2, 3)
        for ax, (title, y) in zip(axes.flat, curves.items(), strict=False):
            ax.plot(x, y)
            ax.set_title(titles.get(title, title) if titles else title)
        if close:
            plt.close(fig)
        return fig

    return answer


# --------------------------------------------------------------------------- correct answers


def test_reference_passes_and_reports_alpha():
    result = ex1.check(ex1.reference())
    assert result.status == "passed", result.message
    assert "alpha = 0.1" in result.message
    assert "ReLU, Sigmoid, Tanh, Leaky ReLU" in result.message


def test_tensorflow_answer_one_row_loose_titles_passes():
    import tensorflow as tf

    def answer(x):
        t = tf.constant(x, dtype=tf.float32)
        curves = {
            "relu": tf.nn.relu(t),
            "SIGMOID": tf.sigmoid(t),
            "tanh(x)": tf.tanh(t),
            "leaky_relu (alpha=0.01)": tf.nn.leaky_relu(t, alpha=0.01),
            "soft-max": tf.nn.softmax(t),
        }
        fig = Figure(figsize=(15, 3))  # not registered with pyplot at all
        axes = fig.subplots(1, 5)
        for ax, (title, y) in zip(axes, curves.items(), strict=True):
            ax.plot(t, y)  # tensors: matplotlib converts them
            ax.set_title(title)
        return fig

    result = ex1.check(answer)
    assert result.status == "passed", result.message
    assert "alpha = 0.01" in result.message


def test_acttutor_plot_activations_passes():
    from acttutor.plotting import plot_activations

    result = ex1.check(
        lambda x: plot_activations(["relu", "sigmoid", "tanh", "leaky_relu", "softmax"], x)
    )
    assert result.status == "passed", result.message


def test_extra_axes_extra_lines_reversed_x_and_shared_titles_pass():
    def answer(x):
        fig = plt.figure(figsize=(9, 9))
        c = _curves(x, alpha=0.3)
        ax = fig.add_subplot(3, 2, 1)
        ax.plot(x, c["ReLU"], label="relu")
        ax.plot(x, c["Leaky ReLU"], label="leaky")
        ax.set_title("ReLU vs. Leaky ReLU")
        ax = fig.add_subplot(3, 2, 2)
        ax.plot(x[::-1], c["Sigmoid"][::-1])  # drawn right to left
        ax.plot(x, c["Sigmoid"] * (1 - c["Sigmoid"]), "--")  # its derivative
        ax.axvline(0.0)
        ax.set_title("Logistic sigmoid")
        ax = fig.add_subplot(3, 2, 3)
        ax.plot(x, c["Tanh"])
        ax.set_title("Hyperbolic tangent", loc="left")
        ax = fig.add_subplot(3, 2, 4)
        ax.plot(x, c["Softmax"])
        ax.set_title("Softmax")
        ax = fig.add_subplot(3, 2, 5)
        for name, y in c.items():
            ax.plot(x, y, label=name)
        ax.set_title("All together")
        fig.tight_layout()
        return fig

    result = ex1.check(answer)
    assert result.status == "passed", result.message
    assert "alpha = 0.3" in result.message


# --------------------------------------------------------------------------- wrong answers


def test_extra_derivative_panels_named_after_an_activation_pass():
    def answer(x):
        c = _curves(x)
        fig, axes = plt.subplots(2, 5)
        for ax, (title, y) in zip(axes[0], c.items(), strict=True):
            ax.plot(x, y)
            ax.set_title(title)
        for ax, (title, y) in zip(axes[1], c.items(), strict=True):
            ax.plot(x, np.gradient(y, x))
            ax.set_title(f"{title} derivative")
        return fig

    result = ex1.check(answer)
    assert result.status == "passed", result.message


def test_only_a_derivative_under_a_title_fails():
    def curves(x):
        c = _curves(x)
        c["Tanh"] = 1.0 - np.tanh(x) ** 2
        return c

    result = ex1.check(_panels(curves))
    assert result.status == "failed"
    assert "'Tanh' does not show Tanh" in result.message


def test_missing_activations_are_named():
    three = ("ReLU", "Tanh", "Sigmoid")
    answer = _panels(lambda x: {k: v for k, v in _curves(x).items() if k in three})
    result = ex1.check(answer)
    assert result.status == "failed"
    assert "no Axes titled Leaky ReLU or Softmax" in result.message
    assert "'ReLU'" in result.message  # lists the titles it found


def test_leaky_relu_title_does_not_count_as_relu():
    answer = _panels(lambda x: {k: v for k, v in _curves(x).items() if k != "ReLU"})
    result = ex1.check(answer)
    assert result.status == "failed"
    assert "no Axes titled ReLU." in result.message


def test_swapped_titles_say_what_the_curve_is():
    answer = _panels(_curves, titles={"Sigmoid": "Tanh", "Tanh": "Sigmoid"})
    result = ex1.check(answer)
    assert result.status == "failed"
    assert "The Axes titled 'Sigmoid' does not show Sigmoid" in result.message
    assert "it shows Tanh" in result.message


def test_show_only_returning_none_is_told_to_return_the_figure():
    def answer(x):
        fig, axes = plt.subplots(2, 3)
        for ax, (title, y) in zip(axes.flat, _curves(x).items(), strict=False):
            ax.plot(x, y)
            ax.set_title(title)
        plt.show()

    result = ex1.check(answer)
    assert result.status == "failed"
    assert "returned None" in result.message
    assert "return fig" in result.message
    assert "plt.show()" in result.message
    assert plt.get_fignums() == []  # the checker closed the learner's figure


@pytest.mark.parametrize(
    ("alpha", "expected"),
    [(0.0, "shows plain ReLU"), (1.5, "needs 0 < alpha < 1"), (1.0, "the identity")],
)
def test_leaky_relu_slope_outside_zero_one(alpha, expected):
    result = ex1.check(_panels(lambda x: _curves(x, alpha=alpha)))
    assert result.status == "failed"
    assert "The Axes titled 'Leaky ReLU'" in result.message
    assert expected in result.message


def test_elementwise_sigmoid_as_softmax():
    def curves(x):
        c = _curves(x)
        c["Softmax"] = c["Sigmoid"]
        return c

    result = ex1.check(_panels(curves))
    assert result.status == "failed"
    assert "'Softmax' does not show Softmax" in result.message
    assert "over the whole vector" in result.message


def test_softmax_of_a_column_is_all_ones():
    import tensorflow as tf

    def curves(x):
        c = _curves(x)
        c["Softmax"] = tf.nn.softmax(tf.constant(x.reshape(-1, 1))).numpy().ravel()
        return c

    result = ex1.check(_panels(curves))
    assert result.status == "failed"
    assert "axis of length 1" in result.message


def test_softmax_without_normalising():
    def curves(x):
        c = _curves(x)
        c["Softmax"] = np.exp(x)
        return c

    result = ex1.check(_panels(curves))
    assert result.status == "failed"
    assert "without dividing by the sum" in result.message


def test_softmax_of_another_vector():
    def curves(x):
        c = _curves(x)
        c["Softmax"] = _softmax(x / 2.0)
        return c

    result = ex1.check(_panels(curves))
    assert result.status == "failed"
    assert "sum to 1, but they are not the softmax" in result.message


def test_wrong_sigmoid_formula_gives_a_counterexample():
    def curves(x):
        c = _curves(x)
        c["Sigmoid"] = 1.0 / (1.0 + np.exp(x))  # sign error
        return c

    result = ex1.check(_panels(curves))
    assert result.status == "failed"
    assert "'Sigmoid' does not show Sigmoid" in result.message
    assert "at x = " in result.message and "but Sigmoid is" in result.message


def test_own_linspace_instead_of_x():
    def answer(x):
        own = np.linspace(-5, 5, 50)
        return _panels(_curves)(own)

    result = ex1.check(answer)
    assert result.status == "failed"
    assert "none is drawn over x" in result.message


def test_plotting_y_alone_uses_the_index():
    def answer(x):
        fig, axes = plt.subplots(2, 3)
        for ax, (title, y) in zip(axes.flat, _curves(x).items(), strict=False):
            ax.plot(y)
            ax.set_title(title)
        return fig

    result = ex1.check(answer)
    assert result.status == "failed"
    assert "against 0, 1, 2" in result.message


def test_scatter_and_empty_axes():
    def scatter(x):
        fig, axes = plt.subplots(2, 3)
        for ax, (title, y) in zip(axes.flat, _curves(x).items(), strict=False):
            ax.scatter(x, y)
            ax.set_title(title)
        return fig

    def empty(x):
        fig, axes = plt.subplots(2, 3)
        for ax, title in zip(axes.flat, _curves(x), strict=False):
            ax.set_title(title)
        return fig

    result = ex1.check(scatter)
    assert result.status == "failed" and "holds no line" in result.message
    result = ex1.check(empty)
    assert result.status == "failed" and "is empty" in result.message


def test_everything_on_one_axes_mentions_legend_labels():
    def answer(x):
        fig, ax = plt.subplots()
        for name, y in _curves(x).items():
            ax.plot(x, y, label=name)
        ax.set_title("Activation functions")
        ax.legend()
        return fig

    result = ex1.check(answer)
    assert result.status == "failed"
    assert "only as legend labels" in result.message


@pytest.mark.parametrize(
    ("returns", "expected"),
    [
        (lambda fig: fig.axes[0], "return its Figure"),
        (lambda fig: np.array(fig.axes, dtype=object), "array of Axes"),
        (lambda fig: (fig, fig.axes), "return just the Figure"),
        (lambda fig: 42, "expected a matplotlib Figure"),
    ],
)
def test_wrong_return_types(returns, expected):
    def answer(x):
        return returns(_panels(_curves)(x))

    result = ex1.check(answer)
    assert result.status == "failed"
    assert expected in result.message


def test_figure_without_axes():
    result = ex1.check(lambda x: plt.figure())
    assert result.status == "failed"
    assert "has no Axes" in result.message


def test_mutating_x_is_reported():
    def answer(x):
        x *= 1.0 + 1e-3
        return _panels(_curves)(x)

    result = ex1.check(answer)
    assert result.status == "failed"
    assert "in place" in result.message


# --------------------------------------------------------------------------- placeholders, errors


def _not_written(x):
    raise NotImplementedError("plot the five activations")


@pytest.mark.parametrize("answer", [None, ..., _not_written])
def test_placeholders_are_not_attempted(answer):
    result = ex1.check(answer)
    assert result.status == "not_attempted"
    assert "ex1.hint()" in result.message


def test_raising_answer_is_an_error_naming_the_input_and_line():
    def answer(x):
        fig, axes = plt.subplots(2, 3)
        axes[2, 0].plot(x, x)  # IndexError: only 2 rows
        return fig

    result = ex1.check(answer)
    assert result.status == "error"
    assert "IndexError" in result.message
    assert "array of shape (101,)" in result.message
    assert "axes[2, 0]" in result.message  # the learner's own line
    assert plt.get_fignums() == []  # the half-made figure does not leak into the notebook


def test_non_callable_is_failed():
    fig = _panels(_curves)(CHECK_X)
    result = ex1.check(fig)  # check(f(x)) instead of check(f)
    assert result.status == "failed"
    assert "Pass the function itself" in result.message


@pytest.mark.parametrize(
    "answer",
    [0, "plot", [1, 2], lambda: None, lambda x, y: None, lambda x: object(), lambda x: Figure()],
)
def test_check_never_raises(answer):
    result = ex1.check(answer)
    assert result.status in STATUSES - {"checker_error", "passed"}


def test_strict_mode_raises_for_wrong_answers(monkeypatch):
    monkeypatch.setenv("ACTTUTOR_STRICT", "1")
    with pytest.raises(AssertionError, match="ex1"):
        ex1.check(None)
    assert ex1.check(ex1.reference()).passed


def test_no_figures_leak_from_a_passing_check():
    before = set(plt.get_fignums())

    def answer(x):  # leaves its figure registered with pyplot
        return _panels(_curves, close=False)(x)

    assert ex1.check(answer).passed
    assert set(plt.get_fignums()) == before


def test_check_time_is_measured():
    start = time.perf_counter()
    result = ex1.check(ex1.reference())
    elapsed = time.perf_counter() - start
    assert result.passed and elapsed > 0.0


# --------------------------------------------------------------------------- titles, hints


@pytest.mark.parametrize(
    ("title", "keys"),
    [
        ("ReLU", ["relu"]),
        ("Leaky ReLU", ["leaky_relu"]),
        ("LeakyReLU", ["leaky_relu"]),
        ("leaky_relu (alpha=0.1)", ["leaky_relu"]),
        ("ReLU vs Leaky ReLU", ["relu", "leaky_relu"]),
        ("Rectified Linear Unit", ["relu"]),
        ("Log-softmax", []),
        ("Hard sigmoid", []),
        ("tanh", ["tanh"]),
        ("Softmax (whole vector)", ["softmax"]),
        ("", []),
    ],
)
def test_title_matching(title, keys):
    assert title_names(title) == keys


def test_hints_and_solution():
    assert ex1.hint().startswith("Make a grid")
    assert "np.tanh" in ex1.hint(2)
    assert "hint" in ex1.hint(99).lower()
    solution = ex1.solution()
    assert "def plot_all_activations(x)" in solution
    assert "return fig" in solution


# --------------------------------------------------------------------------- issue 13


def _draw(draw_panel):
    """An answer that calls ``draw_panel(ax, x, title, y, curves)`` on each of five Axes."""

    def answer(x):
        curves = _curves(x)
        fig, axes = plt.subplots(2, 3)
        for ax, (title, y) in zip(axes.flat, curves.items(), strict=False):
            draw_panel(ax, x, title, y, curves)
            ax.set_title(title)
        return fig

    return answer


def test_every_panel_holding_all_five_curves_fails():
    def nested_loop(ax, x, title, y, curves):
        for other in curves.values():  # the bug: every curve on every Axes
            ax.plot(x, other)

    result = ex1.check(_draw(nested_loop))
    assert result.status == "failed"
    assert ("The Axes titled 'ReLU' shows ReLU, but also Sigmoid, Tanh, Leaky ReLU and Softmax, "
            "which its title does not name") in result.message


def test_one_foreign_curve_on_an_otherwise_right_panel_fails():
    def with_sigmoid_on_tanh(ax, x, title, y, curves):
        ax.plot(x, y)
        if title == "Tanh":
            ax.plot(x, curves["Sigmoid"], "--")  # "for comparison"

    result = ex1.check(_draw(with_sigmoid_on_tanh))
    assert result.status == "failed"
    assert "'Tanh' shows Tanh, but also Sigmoid" in result.message


def test_a_curve_drawn_as_two_segments_that_cover_x_passes():
    def two_segments(ax, x, title, y, curves):
        ax.plot(x[x <= 0], y[x <= 0])
        ax.plot(x[x >= 0], y[x >= 0])

    result = ex1.check(_draw(two_segments))
    assert result.status == "passed", result.message
    assert "alpha = 0.1" in result.message


def test_segments_that_leave_a_gap_fail_naming_the_part_covered():
    def half(ax, x, title, y, curves):
        keep = x >= 0 if title == "Tanh" else np.ones_like(x, bool)
        ax.plot(x[keep], y[keep])

    result = ex1.check(_draw(half))
    assert result.status == "failed"
    assert "'Tanh' shows Tanh only over part of x: 61 of its 101 points, from 0 to 6" in (
        result.message)


def test_every_other_point_is_only_part_of_x():
    result = ex1.check(_draw(lambda ax, x, title, y, curves: ax.plot(x[::2], y[::2])))
    assert result.status == "failed" and "51 of its 101 points" in result.message


def test_y_shifted_against_x_by_one_point_fails_with_a_counterexample():
    result = ex1.check(_draw(lambda ax, x, title, y, curves: ax.plot(x[1:], y[:-1])))
    assert result.status == "failed"
    assert "has a line over 100 of the 101 points of x" in result.message
    assert "at x = " in result.message and "where ReLU is" in result.message


def test_curves_in_float16_are_named_low_precision():
    def low(ax, x, title, y, curves):
        ax.plot(x, y.astype(np.float16))

    result = ex1.check(_draw(low))
    assert result.status == "failed"
    assert "precisely enough" in result.message and "such as float16" in result.message
