"""acttutor.cost.measure: the cost table (fast: small tensors, no wall-clock thresholds)."""

from __future__ import annotations

import math

import pytest
import tensorflow as tf

from acttutor.cost import COPIES, classify
from acttutor.cost.measure import Cost, CostTable, measure_costs


@pytest.fixture(scope="module")
def small_table() -> CostTable:
    fns = {
        "relu": tf.nn.relu,
        "sigmoid": tf.sigmoid,
        "hard_sigmoid": lambda x: tf.nn.relu6(x + 3.0) / 6.0,
        "linear": lambda x: x,
    }
    return measure_costs(fns, size=2**12, repeats=3)


def test_cost_properties():
    row = Cost("gelu", forward=11.0, forward_backward=9.0, kernels=("Mul", "Erfc", "Mul"),
               traffic=2.0, bound="compute")
    assert row.special and row.per_traffic == 5.5
    plain = Cost("hard_tanh", 2.0, 4.0, ("Minimum", "Maximum"), 2.0, "memory")
    assert not plain.special


def test_measure_costs_gives_sane_ratios(small_table):
    table = small_table
    assert set(table.names) == {"relu", "sigmoid", "hard_sigmoid"}
    assert "linear" in table.skipped and "no kernel" in table.skipped["linear"]
    assert table.size == 2**12 and table.repeats == 3 and table.clock == "process_time"
    forwards = [r.forward for r in table.rows]
    assert forwards == sorted(forwards)
    for r in table.rows:
        for value in (r.forward, r.forward_backward, r.traffic):
            assert math.isfinite(value) and value > 0, r
        assert r.bound == classify(r.forward, r.traffic)
    assert table.row("hard_sigmoid").kernels == ("AddV2", "Relu6", "RealDiv")
    for mode in ("forward", "forward_backward"):
        assert set(table.copy_seconds[mode]) == set(COPIES)
        assert table.floor_seconds(mode) == min(table.copy_seconds[mode].values())
        assert math.isfinite(table.control[mode]) and table.control[mode] > 0
    assert table.copy_bandwidth_gb_s() > 0
    text = table.to_text()
    assert all(name in text for name in table.names) and "bound" in text


def test_cost_table_row_names_what_was_measured(small_table):
    with pytest.raises(KeyError, match="No measurement named 'tanh'"):
        small_table.row("tanh")


@pytest.mark.parametrize(
    ("fns", "kwargs", "error", "match"),
    [
        ({}, {}, ValueError, "non-empty dict"),
        ({"a": 3}, {}, TypeError, "'a' is a int, not a function"),
        ({"relu": tf.nn.relu}, {"size": 0}, ValueError, "size must be a positive int"),
        ({"relu": tf.nn.relu}, {"size": 2.5}, ValueError, "size must be a positive int"),
        ({"relu": tf.nn.relu}, {"repeats": 0}, ValueError, "repeats must be a positive int"),
        ({"sum": tf.reduce_sum}, {}, ValueError, "'sum' is not element-wise"),
        ({"DeepCopy": tf.nn.relu}, {}, ValueError, "name of a floor function"),
        ({"linear": lambda x: x}, {}, ValueError, "Nothing to time"),
    ],
)
def test_measure_costs_rejects_bad_input_with_a_clear_message(fns, kwargs, error, match):
    with pytest.raises(error, match=match):
        measure_costs(fns, **{"size": 256, "repeats": 1, **kwargs})


def test_measure_costs_names_a_function_that_raises():
    def broken(x):
        raise ZeroDivisionError("nope")

    with pytest.raises(ValueError, match=r"'broken' raised ZeroDivisionError .*nope"):
        measure_costs({"broken": broken}, size=256, repeats=1)
