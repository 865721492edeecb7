"""Checker tests for exercise 3 (a custom activation in TensorFlow, used in a model)."""

from __future__ import annotations

import functools
import time

import keras
import numpy as np
import pytest
import tensorflow as tf

from acttutor.exercises import ex3
from acttutor.training import build_mlp

STATUSES = {"passed", "failed", "not_attempted", "error", "checker_error"}


@pytest.fixture(autouse=True)
def _not_strict(monkeypatch):
    monkeypatch.delenv("ACTTUTOR_STRICT", raising=False)


def bent(x):
    """A soft clip with a leak: tanh(x) + 0.1 x."""
    return tf.tanh(x) + 0.1 * x


def swish(x, beta):
    return x * tf.sigmoid(beta * x)


class Penalised(keras.layers.Layer):
    """A parametrised activation written as a Keras layer (callable on a tensor)."""

    def __init__(self, leak=0.05, **kwargs):
        super().__init__(**kwargs)
        self.leak = leak

    def call(self, x):
        # exp only of x <= 0: tf.where differentiates both branches, and exp(89) is inf.
        return tf.where(x > 0, x, self.leak * x + 0.5 * (tf.exp(tf.minimum(x, 0.0)) - 1.0))


# --------------------------------------------------------------------------- correct answers


def test_reference_passes():
    result = ex3.check(ex3.reference())
    assert result.status == "passed", result.message
    assert "element-wise" in result.message and "finite loss" in result.message
    assert not result.notes  # Swish with beta 1.5 is not a standard Keras activation


@pytest.mark.parametrize(
    "answer",
    [bent, functools.partial(swish, beta=2.0), Penalised(), lambda x: tf.nn.elu(x) * 0.9 + 0.1 * x],
    ids=["tanh-plus-leak", "partial-swish", "keras-layer", "lambda-scaled-elu"],
)
def test_differently_written_correct_answers_pass(answer):
    result = ex3.check(answer)
    assert result.status == "passed", result.message


def test_standard_activation_passes_with_a_note():
    result = ex3.check(tf.nn.silu)
    assert result.status == "passed"
    assert "same values as keras.activations.silu" in result.notes[0]


def test_a_non_finite_derivative_fails():
    # sqrt(|x|) has an infinite slope at 0: one zero pre-activation makes the update NaN.
    result = ex3.check(lambda x: tf.sqrt(tf.abs(x)) + x)
    assert result.status == "failed"
    assert "The derivative of your function is nan at x = 0" in result.message


class Scaled(keras.layers.Layer):
    """An activation with one trainable weight: scale * tanh(x) + 0.1 x."""

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(), initializer="ones", name="scale")

    def call(self, x):
        return self.scale * tf.tanh(x) + 0.1 * x


def test_trainable_layer_activation_passes_and_its_weight_is_not_changed():
    f = Scaled()
    f(tf.zeros((1,)))
    f.set_weights([np.array(1.7, dtype=np.float32)])
    result = ex3.check(f)
    assert result.status == "passed", result.message
    assert f.get_weights()[0] == np.float32(1.7)


def test_model_using_the_function_passes():
    f = ex3.reference()
    result = ex3.check(f, model=build_mlp(f, input_dim=64, hidden=(16,)))
    assert result.status == "passed", result.message
    assert "layer 'hidden_1' uses it" in result.message


def test_model_with_an_equivalent_function_passes():
    f = ex3.reference()
    model = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(8, activation=lambda x: f(x)),
         keras.layers.Dense(2, activation="softmax")]
    )
    result = ex3.check(f, model=model)
    assert result.status == "passed", result.message


def test_separate_activation_layer_in_nested_model_passes():
    inner = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(8), keras.layers.Activation(bent)],
        name="block",
    )
    model = keras.Sequential([keras.Input(shape=(4,)), inner, keras.layers.Dense(2)])
    result = ex3.check(bent, model=model)
    assert result.status == "passed", result.message


@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # Keras's own
def test_saved_and_loaded_model_with_registered_function_passes(tmp_path):
    @keras.saving.register_keras_serializable(package="test_ex3")
    def registered_swish(x):
        return x * tf.sigmoid(1.5 * x)

    model = build_mlp(registered_swish, input_dim=8, hidden=(4,))
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path, compile=False)
    result = ex3.check(registered_swish, model=loaded)
    assert result.status == "passed", result.message


# --------------------------------------------------------------------------- wrong answers


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (lambda x: 2.0 * x + 1.0, "linear: on [-20, 20] it equals 2*x + 1"),
        (tf.identity, "linear"),
        (lambda x: x * tf.sigmoid(0.0 * x), "it equals 0.5*x. Stacked"),
        (lambda x: tf.zeros_like(x) + 3.0, "constant"),
        (tf.nn.softmax, "not element-wise: an output depends on the other elements"),
        (lambda x: tf.nn.relu(x - tf.reduce_mean(x)), "not element-wise"),
        (
            lambda x: x * tf.reshape(tf.cast(tf.range(tf.size(x)), x.dtype), tf.shape(x)),
            "depends on where a value sits",
        ),
        (  # normalises over the batch, but only for 2-D input
            lambda x: tf.nn.softmax(x, axis=0) if x.shape.rank == 2 else x * tf.sigmoid(x),
            "on a 2-D batch of shape (8, 8)",
        ),
        (lambda x: np.tanh(x), "returned a NumPy array"),
        (lambda x: tf.cast(x, tf.float64) ** 2, "dtype float64"),
        (lambda x: tf.cast(x > 0, tf.int32), "dtype int32"),
        (lambda x: tf.reduce_sum(x * x), "returned shape ()"),
        (lambda x: [1.0], "returned a list"),
        (lambda x: None, "returned None"),
        (tf.sign, "gradient of your function is zero everywhere"),
        (lambda x: tf.constant(x.numpy() ** 2), "No gradient flows"),
        (lambda x: tf.math.log(x), "returns nan at x = -20"),
        (lambda x: 1.0 / x, "returns inf at x = 0"),
        (lambda x: tf.exp(10.0 * x), "overflow"),
        (swish, "needs 2 arguments (x, beta)"),
        (lambda: None, "takes no argument"),
        ("relu", "You passed the string 'relu'"),
        (keras.layers.ReLU, "You passed the class ReLU"),
        (3.0, "Expected a function"),
    ],
)
def test_mutants_fail_with_a_message(answer, expected):
    result = ex3.check(answer)
    assert result.status == "failed", result.message
    assert expected in result.message


def test_nan_only_off_the_grid_shows_up_in_the_training_step():
    def hidden_nan(x):
        # NaN for inputs in (0.01, 0.09): none of the grid points, but many pre-activations.
        return tf.where(tf.abs(x - 0.05) < 0.04, tf.constant(np.nan, x.dtype), x * tf.sigmoid(x))

    result = ex3.check(hidden_nan)
    assert result.status == "failed"
    assert "loss during one training step is nan" in result.message


def test_graph_mode_failure_is_an_error_from_inside_dense():
    def eager_only(x):
        if float(tf.reduce_max(x)) > 1e6:  # a Python float of a tensor: fails in graph mode
            return x
        return x * tf.sigmoid(x)

    result = ex3.check(eager_only)
    assert result.status == "error"
    assert "Dense(8, activation=f)" in result.message
    assert "float(tf.reduce_max(x))" in result.message  # the learner's own line


def test_model_not_using_the_function():
    result = ex3.check(bent, model=build_mlp("relu", input_dim=8, hidden=(4,)))
    assert result.status == "failed"
    assert "None of the model's layers uses your function" in result.message
    assert "hidden_1 (relu)" in result.message and "output (softmax)" in result.message


def test_model_that_is_not_a_model():
    result = ex3.check(bent, model="my_model")
    assert result.status == "failed"
    assert "model= must be a keras.Model" in result.message


# --------------------------------------------------------------------------- placeholders, errors


def _not_written(x):
    raise NotImplementedError("write your activation")


@pytest.mark.parametrize("answer", [None, ..., _not_written])
def test_placeholders_are_not_attempted(answer):
    result = ex3.check(answer)
    assert result.status == "not_attempted"
    assert "ex3.hint()" in result.message


def test_placeholder_with_a_model_is_still_not_attempted():
    assert ex3.check(_not_written, model=None).status == "not_attempted"


def test_raising_answer_is_an_error():
    def broken(x):
        return x * tf.sigmoid(tf.constant(1.5, dtype=tf.float64) * x)

    result = ex3.check(broken)
    assert result.status == "error"
    assert "InvalidArgumentError" in result.message
    assert "tf.Tensor of shape (401,)" in result.message


@pytest.mark.parametrize(
    "answer",
    [0, "x", [tf.nn.relu], lambda x: object(), lambda x: tf.zeros((3,)), lambda x, y=1: x[0],
     lambda x: tf.ones_like(x, dtype=tf.bool), keras.layers.Dense(3)],
)
def test_check_never_raises(answer):
    result = ex3.check(answer)
    assert result.status in STATUSES - {"checker_error", "passed"}


def test_strict_mode(monkeypatch):
    monkeypatch.setenv("ACTTUTOR_STRICT", "1")
    with pytest.raises(AssertionError, match="ex3"):
        ex3.check(tf.identity)
    assert ex3.check(ex3.reference()).passed


def test_check_leaves_global_state_alone():
    before = np.random.get_state()[1].copy()
    level = tf.get_logger().level
    assert ex3.check(bent).passed
    assert np.array_equal(np.random.get_state()[1], before)
    assert tf.get_logger().level == level


def test_check_time_is_measured():
    start = time.perf_counter()
    assert ex3.check(ex3.reference()).passed
    assert time.perf_counter() - start > 0.0


def test_hints_and_solution():
    assert "ONE tensor" in ex3.hint()
    assert "tf.sigmoid(beta * x)" in ex3.hint(2)
    assert "def my_activation(x)" in ex3.solution()


# --------------------------------------------------------------------------- issue 13


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (lambda x: tf.sqrt(tf.abs(x)), "The derivative of your function is nan at x = 0"),
        (lambda x: tf.where(x > 0, x, tf.exp(x) - 1.0),
         "The derivative of your function is nan at x = 89"),
        (lambda x: x * tf.exp(x) / (1 + tf.exp(x)), "Your function returns inf at x = 88"),
        (tf.exp, "Your function returns inf at x = 89"),
        (lambda x: x * tf.random.uniform(tf.shape(x)),
         "gives different outputs for the same input"),
        (lambda x: tf.cast(x * tf.sigmoid(x), tf.float16),
         "returned dtype float16; expected float32, like x. Do not cast down"),
        (lambda x: tf.where(x > 0, x, tf.math.log1p(tf.exp(x)) * 0.0 + 0.01 * x) / tf.sign(x),
         "at x = 0"),
    ],
    ids=["sqrt-abs", "elu-by-where", "swish-by-exp", "exp", "random", "float16",
         "divides-by-sign"],
)
def test_wrong_answers_that_used_to_pass_or_mislead_now_fail(answer, expected):
    result = ex3.check(answer)
    assert result.status == "failed", result.message
    assert expected in result.message, result.message


def test_a_stateful_activation_is_named_not_a_function():
    calls = []

    def counting(x):
        calls.append(1)
        return x * tf.sigmoid(x) + 1e-3 * len(calls)

    result = ex3.check(counting)
    assert result.status == "failed" and "random (or keeps state between calls)" in result.message


def test_checks_probe_extreme_float32_inputs():
    from acttutor.exercises.ex3_custom import EXTREMES, PROBE

    assert EXTREMES.dtype == np.float32 and EXTREMES.min() == -1000 and EXTREMES.max() == 1000
    assert {88.0, 89.0} <= set(EXTREMES.tolist()) and 0.0 in PROBE


def test_the_model_may_be_passed_by_position():
    f = ex3.reference()
    by_position = ex3.check(f, build_mlp(f, input_dim=8))
    assert by_position.status == "passed", by_position.message
    assert "uses it" in by_position.message
    wrong_model = ex3.check(f, build_mlp("relu", input_dim=8))
    assert wrong_model.status == "failed" and "None of the model's layers" in wrong_model.message
    extra = ex3.check(f, build_mlp(f, input_dim=8), "extra")
    assert extra.status == "failed" and "at most 1 more argument(s) (model)" in extra.message


def test_two_required_arguments_name_what_the_check_passes():
    result = ex3.check(swish)
    assert "needs 2 arguments (x, beta); the check calls it with 1 (x)" in result.message
