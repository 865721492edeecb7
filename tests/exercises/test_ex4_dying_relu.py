"""Checker tests for ex4 (dying ReLU): reference, alternatives, mutants, bad input."""

from __future__ import annotations

import random

import keras
import numpy as np
import pytest
import tensorflow as tf

from acttutor.diagnostics import dead_unit_fraction, layer_outputs
from acttutor.exercises import ex4
from acttutor.exercises.planting import planted_cases


def _relu_by_name(layer):
    return getattr(layer.activation, "__name__", "") == "relu"


def _walk(model, x):
    """(layer, output) for every layer of a Sequential model, feeding x through."""
    h = x
    for layer in model.layers:
        h = layer(h)
        yield layer, np.asarray(h)


def _dense_relu(model, x, pick=_relu_by_name):
    for layer, out in _walk(model, x):
        if isinstance(layer, keras.layers.Dense) and pick(layer):
            yield layer, out


# --------------------------------------------------------------------------- correct answers


def test_reference_passes():
    result = ex4.check(ex4.reference())
    assert result.status == "passed", result.message
    assert "4 models" in result.message


def alt_functional(model, x):
    """A feature-extraction model and a name test."""
    dense = [la for la in model.layers
             if isinstance(la, keras.layers.Dense) and _relu_by_name(la)]
    if not dense:
        return {}
    extractor = keras.Model(model.inputs[0], [la.output for la in dense])
    outs = extractor(x)
    outs = outs if isinstance(outs, list) else [outs]
    return {la.name: float(np.mean(np.sum(np.asarray(o) > 0, axis=0) == 0))
            for la, o in zip(dense, outs, strict=True)}


def alt_library_outputs(model, x):
    """acttutor's layer_outputs, the config to spot ReLU, TensorFlow reductions."""
    outs = layer_outputs(model, x)
    result = {}
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense) and layer.get_config()["activation"] == "relu":
            never_on = tf.reduce_all(tf.equal(outs[layer.name], 0.0), axis=0)
            result[layer.name] = np.float32(tf.reduce_mean(tf.cast(never_on, tf.float32)))
    return result


def alt_behaviour_max(model, x):
    """Behaviour test of the activation, dead units counted from the column maxima."""
    probe = np.linspace(-2, 2, 9, dtype=np.float32)[None, :]
    result = {}
    for layer, out in _dense_relu(
            model, x,
            pick=lambda la: np.allclose(np.asarray(la.activation(probe)), np.maximum(probe, 0))):
        result[layer.name] = (out.max(axis=0) == 0).sum() / out.shape[1]
    return result


@pytest.mark.parametrize("answer", [alt_functional, alt_library_outputs, alt_behaviour_max,
                                    ex4.reference()])
def test_correct_alternatives_pass(answer):
    result = ex4.check(answer)
    assert result.status == "passed", result.message


def test_the_library_function_passes_with_a_note():
    result = ex4.check(dead_unit_fraction)
    assert result.passed
    assert any("try writing it yourself" in n for n in result.notes)


def test_checker_models_agree_with_the_library():
    for case in planted_cases():
        assert dead_unit_fraction(case.model, case.x) == pytest.approx(case.expected)
        # the planted answers are not trivial: some dead, some alive in every ReLU layer
        assert all(0 < v < 1 for v in case.expected.values())
        # and the common mistakes give different numbers
        for wrong in (case.variants.get("any_zero", {}), case.variants.get("zero_share", {})):
            assert all(abs(wrong[k] - v) > 0.05 for k, v in case.expected.items())
    labels = [case.label for case in planted_cases()]
    assert labels == ["planted", "mixed", "flipped", "no_relu"]


def test_every_subtle_mistake_changes_some_planted_answer():
    # Each mistake the checker names must give a wrong number on at least one model,
    # or an answer making it would pass silently.
    cases = planted_cases()
    for variant in ("any_zero", "zero_share", "nearly:0.01", "skipped", "per_example", "input"):
        assert any(abs(case.variants[variant][k] - v) > 1e-6
                   for case in cases if case.expected
                   for k, v in case.expected.items()), variant


# --------------------------------------------------------------------------- mutants


def m_any(model, x):
    return {la.name: float(np.any(out == 0, axis=0).mean()) for la, out in _dense_relu(model, x)}


def m_overall(model, x):
    return {la.name: float((out == 0).mean()) for la, out in _dense_relu(model, x)}


def m_with_softmax(model, x):
    result = {}
    for layer, out in _walk(model, x):
        name = getattr(getattr(layer, "activation", None), "__name__", "")
        if isinstance(layer, keras.layers.Dense) and name in ("relu", "softmax"):
            result[layer.name] = float(np.all(out == 0, axis=0).mean())
    return result


def m_by_index(model, x):
    return {i: float(np.all(out == 0, axis=0).mean())
            for i, (_, out) in enumerate(_dense_relu(model, x))}


def m_identity(model, x):
    return {la.name: float(np.all(out == 0, axis=0).mean())
            for la, out in _dense_relu(model, x,
                                       pick=lambda la: la.activation is keras.activations.relu)}


def m_all_hidden(model, x):
    dense = [la for la in model.layers if isinstance(la, keras.layers.Dense)][:-1]
    return {la.name: float(np.all(out == 0, axis=0).mean())
            for la, out in _walk(model, x) if la in dense}


def m_relu_in_name(model, x):
    return {la.name: float(np.all(out == 0, axis=0).mean())
            for la, out in _dense_relu(
                model, x, pick=lambda la: "relu" in getattr(la.activation, "__name__", ""))}


def m_count(model, x):
    return {la.name: int(np.all(out == 0, axis=0).sum()) for la, out in _dense_relu(model, x)}


def m_percent(model, x):
    return {la.name: 100.0 * float(np.all(out == 0, axis=0).mean())
            for la, out in _dense_relu(model, x)}


def m_alive(model, x):
    return {la.name: float(np.any(out != 0, axis=0).mean()) for la, out in _dense_relu(model, x)}


def m_tensor(model, x):
    return {la.name: tf.reduce_mean(tf.cast(tf.reduce_all(out == 0, axis=0), tf.float32))
            for la, out in _dense_relu(model, x)}


def m_per_unit(model, x):
    return {la.name: np.all(out == 0, axis=0).astype(float) for la, out in _dense_relu(model, x)}


def m_list(model, x):
    return [float(np.all(out == 0, axis=0).mean()) for _, out in _dense_relu(model, x)]


def m_no_return(model, x):
    {la.name: 0.0 for la in model.layers}  # noqa: B018 - the forgotten return is the mutant


def m_hard_coded(model, x):
    return {"encoder_a": 0.4, "encoder_b": 0.375}


def m_trains(model, x):
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            layer.bias.assign(layer.bias + 1.0)
    return m_any(model, x)


def m_mutates_x(model, x):
    x[:] = np.abs(x)
    return alt_functional(model, x)


@pytest.mark.parametrize(
    ("mutant", "expected"),
    [
        (m_any, "0 for ANY example"),
        (m_overall, "overall share of zero activations"),
        (m_with_softmax, "'probs' is the softmax output layer"),
        (m_by_index, "look like layer positions. Key the dict by layer.name"),
        (m_identity, "no entry for 'encoder_b', a Dense layer whose activation is tf.nn.relu"),
        (m_all_hidden, "'squash' uses tanh, not ReLU"),
        (m_relu_in_name, "'leaky' uses Leaky ReLU, which never outputs exactly 0"),
        (m_count, "that is the number of dead units"),
        (m_percent, "returned percentages"),
        (m_alive, "share of units that are alive"),
        (m_tensor, "returned a tf.Tensor for 'encoder_a'; return a plain float"),
        (m_per_unit, "one value per unit"),
        (m_list, "returned a list; return a dict"),
        (m_no_return, "returned None. Did you forget the `return`"),
        (m_hard_coded, "returned the key 'encoder_a', which is not a layer of that model"),
        (m_trains, "changed the model's weights"),
        (m_mutates_x, "changed its input array in place"),
    ],
)
def test_mutants_fail_with_a_specific_message(mutant, expected):
    result = ex4.check(mutant)
    assert result.status == "failed", result.message
    assert expected in result.message, result.message


def test_messages_name_the_model_and_never_dump_arrays():
    message = ex4.check(m_any).message
    assert "'planted'" in message and "(64, 8)" in message
    assert "[[" not in message and len(message) < 900


# --------------------------------------------------------------------------- bad input


def _raises_not_implemented(model, x):
    raise NotImplementedError


def _raises(model, x):
    return {"a": 1 / 0}


@pytest.mark.parametrize("placeholder", [None, ..., _raises_not_implemented])
def test_placeholders_are_not_attempted(placeholder):
    result = ex4.check(placeholder)
    assert result.status == "not_attempted"
    assert "ex4.hint()" in result.message


def test_raising_function_is_an_error_with_the_exception():
    result = ex4.check(_raises)
    assert result.status == "error"
    assert "ZeroDivisionError" in result.message and "model 'planted'" in result.message


def test_attribute_error_on_a_non_dense_layer_is_reported():
    def reads_every_activation(model, x):  # right on the first model, which is all Dense
        return {la.name: float(np.all(out == 0, axis=0).mean())
                for la, out in _walk(model, x) if _relu_by_name(la)}

    result = ex4.check(reads_every_activation)
    assert result.status == "error"
    assert "AttributeError" in result.message and "model 'mixed'" in result.message


@pytest.mark.parametrize("answer", [{"encoder_a": 0.4}, 0.4, "dead_fraction"])
def test_non_callables_fail(answer):
    result = ex4.check(answer)
    assert result.status == "failed"
    assert "Expected a function" in result.message


def test_wrong_signature_names_the_arguments_the_check_passes():
    result = ex4.check(lambda model: {})
    assert result.status == "failed"
    assert "your function takes 1 argument; the check calls it with 2 (model, x)" in result.message
    assert "ex4_dying_relu.py" not in result.message and "Traceback" not in result.message


def test_check_never_raises_and_strict_mode(monkeypatch):
    for answer in (m_any, _raises, None, 3, lambda *a: object()):
        ex4.check(answer)  # never raises
    monkeypatch.setenv("ACTTUTOR_STRICT", "1")
    with pytest.raises(AssertionError, match="ex4"):
        ex4.check(m_any)
    assert ex4.check(ex4.reference()).passed


def test_checker_leaves_global_random_state_alone():
    py_state, np_state = random.getstate(), np.random.get_state()
    ex4.check(ex4.reference())
    assert random.getstate() == py_state
    after = np.random.get_state()
    assert np_state[0] == after[0] and np.array_equal(np_state[1], after[1])


def test_hints_and_solution():
    assert "np.all" in ex4.hint(2)
    assert "layer(h)" in ex4.hint(1)
    assert "There are only 3 hints" in ex4.hint(4)
    assert "def dead_fraction(model, x)" in ex4.solution()


# --------------------------------------------------------------------------- issue 13


def _relu_layers(model, x, *, skip_non_dense=False, record_before=False):
    """(layer, output) for the ReLU Dense layers, with two classic slips as options."""
    h = x
    for layer in model.layers:
        if skip_non_dense and not isinstance(layer, keras.layers.Dense):
            continue
        before = np.asarray(h)
        h = layer(h)
        if isinstance(layer, keras.layers.Dense) and _relu_by_name(layer):
            yield layer, before if record_before else np.asarray(h)


def m_nearly_dead(model, x):
    return {la.name: float(np.all(out < 1e-2, axis=0).mean()) for la, out in _relu_layers(model, x)}


def m_skips_non_dense(model, x):
    return {la.name: float(np.all(out == 0, axis=0).mean())
            for la, out in _relu_layers(model, x, skip_non_dense=True)}


def m_wrong_axis(model, x):
    return {la.name: float(np.all(out == 0, axis=1).mean()) for la, out in _relu_layers(model, x)}


def m_layer_input(model, x):
    return {la.name: float(np.all(out == 0, axis=0).mean())
            for la, out in _relu_layers(model, x, record_before=True)}


def m_any_layer_with_relu(model, x):
    h, result = x, {}
    for layer in model.layers:
        h = layer(h)
        if getattr(getattr(layer, "activation", None), "__name__", "") == "relu":
            result[layer.name] = float(np.all(np.asarray(h) == 0, axis=0).mean())
    return result


@pytest.mark.parametrize(
    ("mutant", "expected"),
    [
        (m_nearly_dead, "counts units whose outputs are merely small as dead"),
        (m_skips_non_dense, "skips the layers that are not Dense in the forward pass"),
        (m_wrong_axis, "takes np.all over the wrong axis"),
        (m_layer_input, "measured each layer's input"),
        (m_any_layer_with_relu, "'act' is an Activation('relu') layer"),
    ],
)
def test_subtle_mistakes_fail_with_a_specific_message(mutant, expected):
    result = ex4.check(mutant)
    assert result.status == "failed", result.message
    assert expected in result.message, result.message


def test_nearly_dead_units_are_planted_and_count_as_alive():
    case = planted_cases()[0]
    out = layer_outputs(case.model, case.x)["encoder_a"]
    alive_but_small = np.all((out > 0) & (out < 1e-2), axis=0)
    assert alive_but_small.any()
    assert dead_unit_fraction(case.model, case.x)["encoder_a"] == case.expected["encoder_a"]


def test_a_rescaling_between_relu_layers_changes_which_units_are_dead():
    case = next(c for c in planted_cases() if c.label == "flipped")
    assert case.kinds["flip"].startswith("Rescaling(-1)")
    assert case.variants["skipped"]["second"] != case.expected["second"]
