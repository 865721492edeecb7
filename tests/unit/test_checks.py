"""acttutor._checks: the shared argument checks accept what they should and say what to pass."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from acttutor import _checks


@pytest.mark.parametrize("value", [1, 7, np.int64(3), np.int32(1)])
def test_positive_int_accepts_whole_numbers_and_returns_python_ints(value):
    got = _checks.positive_int("n", value)
    assert got == int(value) and type(got) is int


@pytest.mark.parametrize("value", [0, -1, 2.5, 1.0, True, np.bool_(True), "3", None])
def test_positive_int_rejects_the_rest_naming_the_argument(value):
    with pytest.raises(ValueError, match=r"^f: size must be a positive int \(elements\), got "):
        _checks.positive_int("size", value, caller="f", what="elements")


def test_non_negative_int_and_seed():
    assert _checks.non_negative_int("warmup", 0) == 0
    assert _checks.seed(np.int64(5)) == 5
    with pytest.raises(ValueError, match="^warmup must be a non-negative int, got -1"):
        _checks.non_negative_int("warmup", -1)
    with pytest.raises(ValueError, match="^setup: seed must be a non-negative int, got 1.5"):
        _checks.seed(1.5, caller="setup")


def test_seeds_are_a_non_empty_sequence_of_distinct_seeds():
    assert _checks.seeds((0, 1, 2)) == [0, 1, 2]
    assert _checks.seeds(np.arange(3)) == [0, 1, 2]
    with pytest.raises(TypeError, match=r"sequence such as \(0, 1, 2\), got the int 3"):
        _checks.seeds(3)
    with pytest.raises(TypeError, match="sequence such as"):
        _checks.seeds("012")
    with pytest.raises(ValueError, match="at least one seed"):
        _checks.seeds([])
    with pytest.raises(ValueError, match=r"repeat a value: \(1, 1\)"):
        _checks.seeds([1, 1])
    with pytest.raises(ValueError, match="seed must be a non-negative int"):
        _checks.seeds([0, -2])


def test_sizes():
    assert _checks.sizes("hidden", [8, np.int64(4)]) == (8, 4)
    assert _checks.sizes("hidden", ()) == ()
    with pytest.raises(TypeError, match=r"hidden must be a sequence of layer sizes such as \(128"):
        _checks.sizes("hidden", 128)
    with pytest.raises(TypeError, match="sequence of layer sizes"):
        _checks.sizes("hidden", None)
    with pytest.raises(ValueError, match="each hidden layer size must be a positive int"):
        _checks.sizes("hidden", (4, 0))


def test_fraction():
    assert _checks.fraction("split", 0.25) == 0.25
    assert _checks.fraction("split", np.float32(0.5)) == 0.5
    for bad in (0, 1, 1.5, -0.1):
        with pytest.raises(ValueError, match="must lie strictly between 0 and 1"):
            _checks.fraction("split", bad, why="it needs held-out examples")
    with pytest.raises(ValueError, match="g: split must be a number in"):
        _checks.fraction("split", "0.2", caller="g")
    with pytest.raises(ValueError, match="a number in"):
        _checks.fraction("split", True)


def _dense(compiled: bool, with_input: bool = True) -> keras.Model:
    layers = [keras.Input((3,))] if with_input else []
    model = keras.Sequential([*layers, keras.layers.Dense(2)])
    if compiled:
        model.compile(optimizer="adam", loss="mse")
    return model


def test_check_model():
    model = _dense(compiled=True)
    assert _checks.check_model(model, "f") is None
    assert _checks.check_model(model, "f", single_input=True) is model.inputs[0]
    with pytest.raises(TypeError, match=r"^f needs a keras.Model .* got str\. Pass the model"):
        _checks.check_model("model", "f")
    with pytest.raises(ValueError, match="f: the model is not compiled: call model.compile"):
        _checks.check_model(_dense(compiled=False), "f", compiled=True)
    with pytest.raises(ValueError, match="no defined inputs yet"):
        _checks.check_model(_dense(compiled=False, with_input=False), "f", single_input=True)
    a, b = keras.Input((2,)), keras.Input((2,))
    two = keras.Model([a, b], keras.layers.Add()([a, b]))
    with pytest.raises(ValueError, match="has 2 inputs"):
        _checks.check_model(two, "f", single_input=True)
