"""acttutor.diagnostics.revival: dead-unit masks, turnover, and the rule of who can come back."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from toys import batch, dense_model, planted_model

from acttutor.diagnostics.layers import dead_unit_fraction
from acttutor.diagnostics.revival import (
    dead_units,
    recovery_verdict,
    revival_verdict,
    unit_turnover,
)


def test_dead_units_is_the_mask_behind_dead_unit_fraction():
    model = planted_model()
    x = np.abs(batch(30, seed=2))
    masks = dead_units(model, x)
    assert list(masks) == ["h1"]  # the softmax output is not a ReLU layer
    assert masks["h1"].tolist() == [False, False, False, True, True, True]
    assert float(np.mean(masks["h1"])) == dead_unit_fraction(model, x)["h1"]


def test_a_dead_first_layer_unit_stays_dead_under_plain_sgd():
    model = planted_model()
    x = np.abs(batch(64, seed=5))
    y = np.eye(2, dtype=np.float32)[np.arange(64) % 2]
    before = dead_units(model, x)
    kernel, bias = (v.copy() for v in model.get_layer("h1").get_weights())
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="categorical_crossentropy")
    model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    new_kernel, new_bias = model.get_layer("h1").get_weights()
    np.testing.assert_array_equal(new_kernel[:, 3:], kernel[:, 3:])  # zero gradient, no move
    np.testing.assert_array_equal(new_bias[3:], bias[3:])
    assert not np.array_equal(new_kernel[:, :3], kernel[:, :3])  # the live units learned
    turnover = unit_turnover(before, dead_units(model, x))
    assert turnover["h1"]["revived"] == 0 and turnover["h1"]["dead_after"] >= 3


def _revivable():
    """h2's unit 1 reads h1 with weight -1 and bias 0.5: dead while h1 outputs more than 0.5."""
    model = dense_model((1, "relu", "h1"), (2, "relu", "h2"), (1, None, "out"), input_dim=2)
    model.get_layer("h1").set_weights([np.ones((2, 1), np.float32), np.zeros(1, np.float32)])
    model.get_layer("h2").set_weights([np.array([[1.0, -1.0]], np.float32),
                                       np.array([0.0, 0.5], np.float32)])
    model.get_layer("out").set_weights([np.ones((2, 1), np.float32), np.zeros(1, np.float32)])
    model.get_layer("out").trainable = False  # so only h1 can reduce the loss
    return model


def test_a_deeper_unit_revives_when_the_layer_below_changes():
    model = _revivable()
    x = np.random.default_rng(0).uniform(0.5, 1.0, size=(32, 2)).astype(np.float32)
    y = np.zeros((32, 1), np.float32)  # pushes h1's output down, through h2's live unit 0
    before = dead_units(model, x)
    assert before["h2"].tolist() == [False, True]
    own = model.get_layer("h2").get_weights()
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    model.train_on_batch(x, y)  # one step: the dead unit's own weights get zero gradient
    after_one = model.get_layer("h2").get_weights()
    assert after_one[0][0, 1] == own[0][0, 1] and after_one[1][1] == own[1][1]
    for _ in range(40):
        model.train_on_batch(x, y)
    turnover = unit_turnover(before, dead_units(model, x))
    assert turnover["h2"]["revived"] == 1 and turnover["h2"]["dead_after"] == 0
    assert "in the deeper layers 1 of 1 came back" in revival_verdict(turnover)


def test_unit_turnover_counts():
    before = {"a": np.array([True, True, False, False]), "b": np.array([False])}
    after = {"a": np.array([True, False, True, False]), "b": np.array([True])}
    t = unit_turnover(before, after)
    assert list(t) == ["a", "b"]
    assert t["a"] == {"units": 4, "dead_before": 2, "revived": 1, "newly_dead": 1,
                      "dead_after": 2}
    assert t["b"] == {"units": 1, "dead_before": 0, "revived": 0, "newly_dead": 1,
                      "dead_after": 1}
    with pytest.raises(ValueError, match="same layers"):
        unit_turnover(before, {"a": after["a"]})
    with pytest.raises(ValueError, match="units before"):
        unit_turnover({"a": before["a"]}, {"a": np.array([True])})


def _t(*rows):
    return {f"h{i}": {"dead_before": d, "revived": r} for i, (d, r) in enumerate(rows, 1)}


@pytest.mark.parametrize(("rows", "expected"), [
    ([(3, 0), (5, 2), (4, 0)], "none of the 3 dead units of the first layer came back; "
                               "in the deeper layers 2 of 9 came back, in 1 of 2 layers"),
    ([(3, 0), (5, 0)], "none of the 3 dead units of the first layer came back; "
                       "in the deeper layers none of 5 came back"),
    ([(0, 0), (0, 0)], "the first layer had no dead unit; the deeper layers had no dead unit"),
    ([(1, 0), (2, 2)], "the one dead unit of the first layer did not come back; "
                       "in the deeper layers 2 of 2 came back, in 1 of 1 layers"),
    ([(4, 1)], "1 of the 4 dead units of the first layer came back"),
])
def test_revival_verdict_words_follow_the_counts(rows, expected):
    assert revival_verdict(_t(*rows)) == expected


def test_revival_verdict_rejects_bad_input():
    with pytest.raises(ValueError, match="unit_turnover"):
        revival_verdict({})
    with pytest.raises(ValueError, match="'dead_before'"):
        revival_verdict({"h1": {"revived": 1}})


def test_recovery_verdict():
    assert recovery_verdict(0.445, 0.453) == "hardly moved (44.5% before, 45.3% after)"
    assert recovery_verdict(0.5, 0.2) == "fell from 50.0% to 20.0%"
    assert recovery_verdict(0.2, 0.5) == "rose from 20.0% to 50.0%"
    assert recovery_verdict(0.30, 0.27, margin=0.02).startswith("fell")
    assert recovery_verdict(0.30, 0.285, margin=0.02).startswith("hardly moved")
    with pytest.raises(ValueError, match=r"share in \[0, 1\]"):
        recovery_verdict(45.0, 0.4)
    with pytest.raises(ValueError, match="margin"):
        recovery_verdict(0.4, 0.4, margin=-1)
