"""Checker tests for ex7 (a SwiGLU feed-forward block): reference, alternatives, mutants."""

from __future__ import annotations

import time

import keras
import numpy as np
import pytest
import tensorflow as tf

from acttutor.exercises import ex7
from acttutor.exercises import ex7_swiglu as mod
from acttutor.exercises.timelimit import SECONDS


@pytest.fixture(autouse=True)
def _not_strict(monkeypatch):
    monkeypatch.delenv("ACTTUTOR_STRICT", raising=False)


def _dense(units, **kwargs):
    return keras.layers.Dense(units, use_bias=kwargs.pop("use_bias", False), **kwargs)


class Gated(keras.layers.Layer):
    """Three Dense projections; ``combine(w, v, w2, x)`` says how they are put together."""

    def __init__(self, d_model, d_ff, combine, *, hidden=None, use_bias=False, **kwargs):
        super().__init__(**kwargs)
        width = d_ff if hidden is None else hidden
        self.w = _dense(width, use_bias=use_bias)
        self.v = _dense(width, use_bias=use_bias)
        self.w2 = _dense(d_model, use_bias=use_bias)
        self.combine = combine

    def build(self, input_shape):
        self.w.build(input_shape)
        self.v.build(input_shape)
        self.w2.build((*input_shape[:-1], self.w.units))

    def call(self, x):
        return self.combine(self.w, self.v, self.w2, x)


def _gated(combine, **options):
    return lambda d_model, d_ff: Gated(d_model, d_ff, combine, **options)


silu = keras.activations.silu


# --------------------------------------------------------------------------- correct answers


def test_reference_passes():
    result = ex7.check(ex7.reference())
    assert result.status == "passed", result.message
    assert "three kernels" in result.message and "finite loss" in result.message


class Einsum(keras.layers.Layer):
    """The block with add_weight and einsum, W₂ created in __init__."""

    def __init__(self, d_model, d_ff):
        super().__init__()
        init = keras.initializers.GlorotUniform(seed=3)
        self.w2 = self.add_weight(shape=(d_ff, d_model), initializer=init, name="w2")
        self.d_model, self.d_ff = d_model, d_ff

    def build(self, input_shape):
        self.wv = [self.add_weight(shape=(self.d_model, self.d_ff), name=n) for n in "wv"]

    def call(self, x):
        gate, value = (tf.einsum("bsd,df->bsf", x, k) for k in self.wv)
        return tf.einsum("bsf,fd->bsd", tf.nn.silu(gate) * value, self.w2)


def functional(d_model, d_ff):
    """A functional keras.Model (a Model is a Layer), the gate on the second projection."""
    x = keras.Input(shape=(None, d_model))
    value = _dense(d_ff)(x)
    gate = keras.layers.Activation("silu")(_dense(d_ff)(x))
    return keras.Model(x, _dense(d_model)(keras.layers.Multiply()([value, gate])))


@pytest.mark.parametrize(
    "answer",
    [Einsum, functional, _gated(lambda w, v, w2, x: w2(silu(v(x)) * w(x))),
     _gated(lambda w, v, w2, x: w2(w(x) * tf.sigmoid(w(x)) * v(x)))],
    ids=["einsum-add-weight", "functional-model", "gate-on-V", "silu-written-out"],
)
def test_differently_written_correct_answers_pass(answer):
    result = ex7.check(answer)
    assert result.status == "passed", result.message


def test_the_check_changes_no_weight_of_the_layer():
    layers = {size: ex7.reference()(*size) for size in mod.SIZES}
    for (d_model, _), layer in layers.items():
        layer(np.zeros((1, 2, d_model), dtype=np.float32))
    before = {size: [w.numpy().copy() for w in la.weights] for size, la in layers.items()}
    result = ex7.check(lambda d_model, d_ff: layers[(d_model, d_ff)])
    assert result.status == "passed", result.message
    for size, layer in layers.items():
        assert all(np.array_equal(a, w.numpy())
                   for a, w in zip(before[size], layer.weights, strict=True))


# --------------------------------------------------------------------------- mutants


class Fused(keras.layers.Layer):
    """A correct SwiGLU with W and V fused into one (d_model, 2 d_ff) kernel."""

    def __init__(self, d_model, d_ff):
        super().__init__()
        self.wv, self.w2 = _dense(2 * d_ff), _dense(d_model)

    def call(self, x):
        gate, value = tf.split(self.wv(x), 2, axis=-1)
        return self.w2(silu(gate) * value)


class Shared(keras.layers.Layer):
    """W used for the gate and the value: 2 kernels."""

    def __init__(self, d_model, d_ff):
        super().__init__()
        self.w, self.w2 = _dense(d_ff), _dense(d_model)

    def call(self, x):
        return self.w2(silu(self.w(x)) * self.w(x))


class Plain(keras.layers.Layer):
    """No gate and no V at all: an ordinary bias-free FFN with silu."""

    def __init__(self, d_model, d_ff):
        super().__init__()
        self.w, self.w2 = _dense(d_ff), _dense(d_model)

    def call(self, x):
        return self.w2(silu(self.w(x)))


class NoW2(keras.layers.Layer):
    """The gated hidden vector returned as it is: output width d_ff."""

    def __init__(self, d_model, d_ff):
        super().__init__()
        self.w, self.v = _dense(d_ff), _dense(d_ff)

    def call(self, x):
        return silu(self.w(x)) * self.v(x)


MUTANTS = {
    "sigmoid-gate": (_gated(lambda w, v, w2, x: w2(tf.sigmoid(w(x)) * v(x))),
                     "a sigmoid gate, σ(xW) ⊙ xV: that is the original GLU"),
    "relu-gate": (_gated(lambda w, v, w2, x: w2(tf.nn.relu(w(x)) * v(x))),
                  "a ReLU gate, relu(xW) ⊙ xV: that is ReGLU"),
    "gelu-gate": (_gated(lambda w, v, w2, x: w2(tf.nn.gelu(w(x)) * v(x))),
                  "a GELU gate"),
    "no-gate-V-unused": (_gated(lambda w, v, w2, x: w2(silu(w(x)))),
                         "has no gate: it computes silu(xW) W₂ and never multiplies by xV"),
    "no-gate-V-missing": (Plain, "has no gate: it computes silu(xW) W₂, an ordinary"),
    "no-silu": (_gated(lambda w, v, w2, x: w2(w(x) * v(x))), "without the silu"),
    "biases": (_gated(lambda w, v, w2, x: w2(silu(w(x)) * v(x)), use_bias=True),
               "a bias (its weights:"),
    "output-width-d_ff": (NoW2, "returned shape (2, 5, 10): the hidden width d_ff = 10"),
    "W2-before-gate": (_gated(lambda w, v, w2, x: silu(w2(w(x))) * w2(v(x))),
                       "applies W₂ before the gate"),
    "shared-kernels": (Shared, "uses one kernel for both W and V"),
    "wrong-d_ff": (lambda d_model, d_ff: Gated(d_model, d_ff, lambda w, v, w2, x: w2(
        silu(w(x)) * v(x)), hidden=2 * d_ff // 3), "Its hidden width is 6, not d_ff = 10"),
    "fused-kernel": (Fused, "one fused kernel of shape (6, 20)"),
    "silu-on-output": (_gated(lambda w, v, w2, x: silu(w2(silu(w(x)) * v(x)))),
                       "applies silu to the output as well"),
    "not-a-layer": (lambda d_model, d_ff: (lambda x: x), "expected a keras.layers.Layer"),
    "layer-class": (lambda d_model, d_ff: Einsum, "Return an instance: Einsum(d_model, d_ff)"),
    "returns-none": (lambda d_model, d_ff: None, "returned None"),
    "stop-gradient": (_gated(lambda w, v, w2, x: w2(silu(w(x)) * tf.stop_gradient(v(x)))),
                      "No gradient reaches your kernel of shape (6, 10)"),
}


@pytest.mark.parametrize("name", MUTANTS)
def test_mutant_fails_with_its_message(name):
    answer, expected = MUTANTS[name]
    result = ex7.check(answer)
    assert result.status == "failed", (name, result.status, result.message)
    assert expected in result.message, result.message


def test_a_wrong_formula_without_a_name_gets_a_counterexample():
    result = ex7.check(_gated(lambda w, v, w2, x: w2(silu(w(x)) * v(x)) + 0.5 * x))
    assert result.status == "failed"
    assert "at index (" in result.message and "yours" in result.message


def test_one_problem_per_message():
    # Biases and a wrong width together: the message names the first problem only.
    answer = lambda d_model, d_ff: Gated(  # noqa: E731
        d_model, d_ff, lambda w, v, w2, x: w2(silu(w(x)) * v(x)), hidden=d_ff + 1, use_bias=True)
    result = ex7.check(answer)
    assert result.status == "failed" and "bias" in result.message
    assert "hidden width" not in result.message


def test_the_mutants_really_differ_from_the_block():
    """The sigmoid gate's output differs from the reference formula (a sanity check)."""
    x = np.random.default_rng(0).normal(size=(2, 5, 6))
    a, b, c = (np.random.default_rng(i).normal(size=s) for i, s in
               enumerate([(6, 10), (6, 10), (10, 6)]))
    right = (mod._silu(x @ a) * (x @ b)) @ c
    wrong = dict(mod._wrong_formulas(x, a, b, c))
    assert all(not mod._matches(w, right) for w in wrong.values())


# --------------------------------------------------------------------------- bad input


def test_placeholder_is_not_attempted():
    def swiglu_block(d_model, d_ff):
        raise NotImplementedError("Replace this line with your layer.")

    assert ex7.check(swiglu_block).status == "not_attempted"
    assert ex7.check(None).status == "not_attempted"


def test_raising_function_is_an_error():
    def swiglu_block(d_model, d_ff):
        return Gated(d_model, d_ff, lambda w, v, w2, x: w2(silu(w(x)) * v(x[..., 0])))

    result = ex7.check(swiglu_block)
    assert result.status == "error", result.message
    assert "Your layer (d_model=6, d_ff=10)" in result.message


def test_a_constructor_that_raises_is_an_error():
    def swiglu_block(d_model, d_ff):
        return 1 / 0

    result = ex7.check(swiglu_block)
    assert result.status == "error" and "ZeroDivisionError" in result.message
    assert "f(d_model=6, d_ff=10)" in result.message


@pytest.mark.parametrize("answer", [42, "swiglu", lambda d_model: None])
def test_bad_arguments_fail_without_raising(answer):
    result = ex7.check(answer)
    assert result.status == "failed", result.message


def test_a_slow_builder_is_stopped_at_its_budget(monkeypatch):
    monkeypatch.setitem(SECONDS, "tensorflow", 0.5)
    monkeypatch.delenv("ACTTUTOR_TIME_SCALE", raising=False)

    def swiglu_block(d_model, d_ff):
        time.sleep(30)

    start = time.monotonic()
    result = ex7.check(swiglu_block)
    assert result.status == "failed" and "longer than 0.5 s" in result.message
    assert time.monotonic() - start < 10


def test_strict_mode_raises_for_a_wrong_answer(monkeypatch):
    monkeypatch.setenv("ACTTUTOR_STRICT", "1")
    with pytest.raises(AssertionError, match="ex7"):
        ex7.check(MUTANTS["relu-gate"][0])
