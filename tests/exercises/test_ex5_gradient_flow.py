"""Checker tests for ex5 (gradient flow): reference, alternatives, mutants, bad input."""

from __future__ import annotations

import random

import keras
import numpy as np
import pytest
import tensorflow as tf

from acttutor.diagnostics import gradient_norms
from acttutor.exercises import ex5
from acttutor.exercises import ex5_gradient_flow as mod


def _dense(model):
    return [la for la in model.layers if isinstance(la, keras.layers.Dense)]


def _grads(model, x, y, loss_fn, variables):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    return tape.gradient(loss, variables)


# --------------------------------------------------------------------------- correct answers


def test_reference_passes():
    result = ex5.check(ex5.reference())
    assert result.status == "passed", result.message
    assert "1e-04" in result.message or "0.0001" in result.message


def alt_trainable_variables(model, x, y, loss_fn):
    """Gradients of every trainable variable, the kernels picked out by identity."""
    variables = model.trainable_variables
    by_id = {id(v): g for v, g in zip(variables, _grads(model, x, y, loss_fn, variables),
                                      strict=True)}
    return {la.name: float(np.linalg.norm(by_id[id(la.kernel)].numpy())) for la in _dense(model)}


def alt_numpy_per_layer(model, x, y, loss_fn):
    """A persistent tape, one gradient call per layer, the norm in NumPy float64."""
    result = {}
    with tf.GradientTape(persistent=True) as tape:
        loss = loss_fn(tf.constant(y), model(tf.constant(x), training=True))
    for layer in model.layers:
        if hasattr(layer, "kernel"):
            g = tape.gradient(loss, layer.kernel).numpy().astype(np.float64)
            result[layer.name] = float(np.sqrt((g**2).sum()))
    del tape
    return result


def alt_np_float32(model, x, y, loss_fn):
    """Returns NumPy float32 scalars (accepted as floats)."""
    dense = _dense(model)
    grads = _grads(model, x, y, loss_fn, [la.kernel for la in dense])
    return {la.name: np.float32(tf.sqrt(tf.reduce_sum(g * g))) for la, g in zip(dense, grads,
                                                                                strict=True)}


@pytest.mark.parametrize("answer", [alt_trainable_variables, alt_numpy_per_layer,
                                    alt_np_float32, ex5.reference()])
def test_correct_alternatives_pass(answer):
    result = ex5.check(answer)
    assert result.status == "passed", result.message


def test_the_library_function_passes_with_a_note():
    result = ex5.check(gradient_norms)
    assert result.passed
    assert any("try writing it yourself" in n for n in result.notes)


def test_hand_backprop_matches_tensorflow():
    for build in (mod._classifier_case, mod._regressor_case):
        case = build()
        got = gradient_norms(case.model, case.x, case.y, case.loss_fn)
        assert got == pytest.approx(case.expected, rel=1e-5)
        # every common mistake gives a clearly different answer in some layer
        for name, values in case.variants.items():
            assert any(abs(values[k] / v - 1) > 1e-2 for k, v in case.expected.items()), name


# --------------------------------------------------------------------------- mutants


def _norms(model, x, y, loss_fn, norm=lambda g: float(tf.norm(g))):
    dense = _dense(model)
    grads = _grads(model, x, y, loss_fn, [la.kernel for la in dense])
    return {la.name: norm(g) for la, g in zip(dense, grads, strict=True)}


def m_with_bias(model, x, y, loss_fn):
    result = {}
    for layer in _dense(model):
        variables = [layer.kernel] + ([layer.bias] if layer.bias is not None else [])
        grads = _grads(model, x, y, loss_fn, variables)
        result[layer.name] = float(tf.sqrt(sum(tf.reduce_sum(g**2) for g in grads)))
    return result


def m_weights(model, x, y, loss_fn):
    return {la.name: float(tf.norm(la.kernel)) for la in _dense(model)}


def m_l1(model, x, y, loss_fn):
    return _norms(model, x, y, loss_fn, norm=lambda g: float(tf.norm(g, ord=1)))


def m_squared(model, x, y, loss_fn):
    return _norms(model, x, y, loss_fn, norm=lambda g: float(tf.reduce_sum(g * g)))


def m_summed_loss(model, x, y, loss_fn):
    dense = _dense(model)
    with tf.GradientTape() as tape:
        per_example = loss_fn.fn(y, model(x))  # the loss function behind the Loss object
        loss = tf.reduce_sum(per_example)
    grads = tape.gradient(loss, [la.kernel for la in dense])
    return {la.name: float(tf.norm(g)) for la, g in zip(dense, grads, strict=True)}


def m_bias_only(model, x, y, loss_fn):
    dense = [la for la in _dense(model)]
    result = {}
    for la in dense:
        if la.bias is None:
            result[la.name] = 0.0
        else:
            result[la.name] = float(tf.norm(_grads(model, x, y, loss_fn, [la.bias])[0]))
    return result


def m_swapped(model, x, y, loss_fn):
    dense = _dense(model)
    with tf.GradientTape() as tape:
        loss = loss_fn(model(x), y)
    grads = tape.gradient(loss, [la.kernel for la in dense])
    return {la.name: float(tf.norm(g)) for la, g in zip(dense, grads, strict=True)}


def m_no_output(model, x, y, loss_fn):
    result = _norms(model, x, y, loss_fn)
    result.pop(model.layers[-1].name)
    return result


def m_every_layer(model, x, y, loss_fn):
    result = _norms(model, x, y, loss_fn)
    return {la.name: result.get(la.name, 0.0) for la in model.layers}


def m_by_index(model, x, y, loss_fn):
    return dict(enumerate(_norms(model, x, y, loss_fn).values()))


def m_by_path(model, x, y, loss_fn):
    dense = _dense(model)
    grads = _grads(model, x, y, loss_fn, [la.kernel for la in dense])
    return {la.kernel.path: float(tf.norm(g)) for la, g in zip(dense, grads, strict=True)}


def m_tensor(model, x, y, loss_fn):
    return _norms(model, x, y, loss_fn, norm=tf.norm)


def m_gradient_itself(model, x, y, loss_fn):
    return _norms(model, x, y, loss_fn, norm=lambda g: g)


def m_list(model, x, y, loss_fn):
    return list(_norms(model, x, y, loss_fn).values())


def m_no_return(model, x, y, loss_fn):
    _norms(model, x, y, loss_fn)


def m_applies_gradients(model, x, y, loss_fn):
    dense = _dense(model)
    grads = _grads(model, x, y, loss_fn, [la.kernel for la in dense])
    for la, g in zip(dense, grads, strict=True):
        la.kernel.assign_sub(0.1 * g)
    return {la.name: float(tf.norm(g)) for la, g in zip(dense, grads, strict=True)}


def m_mutates_y(model, x, y, loss_fn):
    result = _norms(model, x, y, loss_fn)
    y *= 2
    return result


def m_nan(model, x, y, loss_fn):
    return {k: float("nan") for k in _norms(model, x, y, loss_fn)}


def m_hard_coded(model, x, y, loss_fn):
    return {"first": 0.019, "second": 0.0672, "third": 0.553, "probs": 0.4246}


def m_random_noise(model, x, y, loss_fn):
    return {k: v * 1.01 for k, v in _norms(model, x, y, loss_fn).items()}


def m_scaled(model, x, y, loss_fn):
    return {k: 2 * v for k, v in _norms(model, x, y, loss_fn).items()}


@pytest.mark.parametrize(
    ("mutant", "expected"),
    [
        (m_with_bias, "kernel AND bias gradients together"),
        (m_weights, "norms of the weights themselves"),
        (m_l1, "look like L1 norms"),
        (m_squared, "squared norms"),
        (m_summed_loss, "These are 24 times too large"),
        (m_bias_only, "norms of the bias gradients"),
        (m_swapped, "the arguments are swapped"),
        (m_no_output, "no entry for 'probs', the output layer"),
        (m_every_layer, "'halve', a Rescaling layer. Only Dense layers have a kernel"),
        (m_by_index, "look like layer positions"),
        (m_by_path, "a variable's name or path. Key the dict by the layer's name"),
        (m_tensor, "returned a tf.Tensor for 'first'"),
        (m_gradient_itself, "the gradient itself. Reduce it to its L2 norm"),
        (m_list, "returned a list; return a dict"),
        (m_no_return, "returned None"),
        (m_applies_gradients, "changed the model's weights"),
        (m_mutates_y, "changed its input array in place"),
        (m_nan, "returned nan for 'first'"),
        (m_hard_coded, "wrong norm for 'first': expected 0.018998"),
        (m_random_noise, "wrong norm for 'first'"),
        (m_scaled, "2 times the correct value"),
    ],
)
def test_mutants_fail_with_a_specific_message(mutant, expected):
    result = ex5.check(mutant)
    assert result.status == "failed", result.message
    assert expected in result.message, result.message


def test_messages_are_short_and_name_the_model():
    message = ex5.check(m_with_bias).message
    assert "'classifier'" in message and "CategoricalCrossentropy()" in message
    assert "[[" not in message and len(message) < 900


def test_hard_coded_answer_from_the_first_model_fails_on_the_second():
    case = mod._classifier_case()
    answers = dict(case.expected)
    result = ex5.check(lambda model, x, y, loss_fn: dict(answers))
    assert result.status == "failed"
    assert "'regressor'" in result.message


# --------------------------------------------------------------------------- bad input


def _raises_not_implemented(model, x, y, loss_fn):
    raise NotImplementedError("write this")


def _raises(model, x, y, loss_fn):
    return {la.name: float(tf.norm(la.bias_gradient)) for la in model.layers}


@pytest.mark.parametrize("placeholder", [None, ..., _raises_not_implemented])
def test_placeholders_are_not_attempted(placeholder):
    result = ex5.check(placeholder)
    assert result.status == "not_attempted"
    assert "ex5.hint()" in result.message


def test_raising_function_is_an_error():
    result = ex5.check(_raises)
    assert result.status == "error"
    assert "AttributeError" in result.message and "bias_gradient" in result.message


def test_a_layer_without_bias_trips_up_code_that_assumes_one():
    def kernel_right_bias_assumed(model, x, y, loss_fn):
        result = alt_trainable_variables(model, x, y, loss_fn)
        for layer in _dense(model):
            layer.bias.shape  # noqa: B018 - AttributeError on None for the no-bias layer
        return result

    result = ex5.check(kernel_right_bias_assumed)
    assert result.status == "error"
    assert "AttributeError" in result.message and "model 'regressor'" in result.message


@pytest.mark.parametrize("answer", [{"first": 0.1}, 1.0, "kernel_grad_norms"])
def test_non_callables_fail(answer):
    result = ex5.check(answer)
    assert result.status == "failed"
    assert "Expected a function" in result.message


def test_check_never_raises_and_strict_mode(monkeypatch):
    for answer in (m_l1, _raises, None, object(), lambda *a: {1: object()}, lambda *a: 1 / 0):
        ex5.check(answer)
    assert ex5.check(lambda *a: {"first": object(), "second": 1.0, "third": 1.0,
                                 "probs": 1.0}).status == "failed"
    monkeypatch.setenv("ACTTUTOR_STRICT", "1")
    with pytest.raises(AssertionError, match="ex5"):
        ex5.check(m_l1)
    assert ex5.check(ex5.reference()).passed


def test_checker_leaves_global_random_state_alone():
    py_state, np_state = random.getstate(), np.random.get_state()
    ex5.check(ex5.reference())
    assert random.getstate() == py_state
    assert np.array_equal(np_state[1], np.random.get_state()[1])


def test_hints_and_solution():
    assert "GradientTape" in ex5.hint(2)
    assert "tf.norm" in ex5.hint(3)
    assert "def kernel_grad_norms(model, x, y, loss_fn)" in ex5.solution()


# --------------------------------------------------------------------------- more mistakes


def m_max_norm(model, x, y, loss_fn):
    dense = _dense(model)
    grads = _grads(model, x, y, loss_fn, [la.kernel for la in dense])
    return {la.name: float(tf.reduce_max(tf.abs(g))) for la, g in zip(dense, grads, strict=True)}


def m_rms(model, x, y, loss_fn):
    dense = _dense(model)
    grads = _grads(model, x, y, loss_fn, [la.kernel for la in dense])
    return {la.name: float(tf.sqrt(tf.reduce_mean(g * g)))
            for la, g in zip(dense, grads, strict=True)}


def m_reversed_pairs(model, x, y, loss_fn):
    dense = _dense(model)
    grads = _grads(model, x, y, loss_fn, [la.kernel for la in dense])
    return {la.name: float(tf.norm(g)) for la, g in zip(dense, grads[::-1], strict=True)}


def m_kernels(model, x, y, loss_fn):
    return {la.name: la.kernel for la in _dense(model)}


def m_three_args(model, x, y):
    return {}


@pytest.mark.parametrize(
    ("mutant", "status", "expected"),
    [
        (m_max_norm, "failed", "largest absolute entries of the gradients"),
        (m_rms, "failed", "root-mean-square values"),
        (m_reversed_pairs, "failed", "paired with the wrong layers"),
        (m_kernels, "failed", "a variable of the model (its weights), not a gradient"),
        (m_three_args, "failed",
         "your function takes 3 arguments; the check calls it with 4 (model, x, y, loss_fn)"),
    ],
)
def test_more_mistakes_fail_with_a_specific_message(mutant, status, expected):
    result = ex5.check(mutant)
    assert result.status == status, result.message
    assert expected in result.message, result.message
    assert "array([[" not in result.message  # a kernel is described, never printed whole
