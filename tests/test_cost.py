"""Unit tests for acttutor.cost (fast: small tensors, no wall-clock thresholds)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
import tensorflow as tf

from acttutor import cost
from acttutor.activations import CATALOG
from acttutor.cost import (
    COPIES,
    MEMORY_BOUND_MAX,
    Cost,
    CostTable,
    cache_verdict,
    classify,
    copy,
    copy_steps,
    elementwise_activations,
    forward_backward,
    kernels,
    last_level_cache_bytes,
    measure_costs,
    ratios_to_floor,
    traffic,
)


@pytest.fixture(scope="module")
def small_table() -> CostTable:
    fns = {
        "relu": tf.nn.relu,
        "sigmoid": tf.sigmoid,
        "hard_sigmoid": lambda x: tf.nn.relu6(x + 3.0) / 6.0,
        "linear": lambda x: x,
    }
    return measure_costs(fns, size=2**12, repeats=3)


# --- the copies -------------------------------------------------------------------------


def test_every_copy_makes_a_new_tensor_with_the_same_values():
    x = tf.constant([1.5, -2.0, 0.0, 3.25])
    for name, fn in COPIES.items():
        y = fn(x)
        assert y is not x, name
        np.testing.assert_array_equal(y.numpy(), x.numpy())
    np.testing.assert_array_equal(copy(x).numpy(), x.numpy())


def test_copy_steps_copy_the_input_and_the_upstream_gradient():
    upstream = tf.constant([7.0, 8.0])
    x = tf.constant([1.0, 2.0])
    steps = copy_steps(upstream)
    assert set(steps) == set(COPIES)
    for step in steps.values():
        y, dy = step(x)
        np.testing.assert_array_equal(y.numpy(), [1.0, 2.0])
        np.testing.assert_array_equal(dy.numpy(), [7.0, 8.0])


def test_forward_backward_returns_the_gradient_times_upstream():
    step = forward_backward(tf.nn.relu, tf.constant([2.0, 2.0, 2.0]))
    np.testing.assert_array_equal(step(tf.constant([-1.0, 0.5, 3.0])).numpy(), [0.0, 2.0, 2.0])
    sig = forward_backward(tf.sigmoid, tf.ones([1]))(tf.zeros([1])).numpy()
    np.testing.assert_allclose(sig, [0.25])
    # A function that ignores its input has no gradient: zeros, not None.
    const = forward_backward(lambda x: tf.zeros_like(x), tf.ones([2]))
    np.testing.assert_array_equal(const(tf.ones([2])).numpy(), [0.0, 0.0])


# --- kernels and traffic ----------------------------------------------------------------


def test_kernels_lists_the_full_size_ops_in_order():
    assert kernels(tf.nn.relu) == ["Relu"]
    assert kernels(lambda x: tf.nn.relu6(x + 3.0) / 6.0) == ["AddV2", "Relu6", "RealDiv"]
    assert kernels(lambda x: x) == []
    # A reduction to a scalar is not a full-size pass.
    assert kernels(lambda x: x - tf.reduce_mean(x)) == ["Sub"]


@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        (tf.nn.relu, 1.0),
        (lambda x: x * tf.sigmoid(x), 2.5),  # Sigmoid 4+4 bytes, Mul 4+4+4
        (lambda x: tf.where(x > 1.0, x, 0.0), 1.75),  # Greater 4+1, SelectV2 1+4+4
        (lambda x: x, 0.0),
        (lambda x: tf.nn.relu(x) + tf.nn.relu(-x), 4.5),  # Relu, Neg, Relu: 1 each; Add 1.5
    ],
)
def test_traffic_counts_bytes_in_units_of_one_copy(fn, expected):
    assert traffic(fn) == pytest.approx(expected)


def test_traffic_of_catalog_functions_matches_their_kernels():
    assert traffic(CATALOG["relu"].fn) == 1.0
    assert traffic(CATALOG["hard_sigmoid"].fn) == pytest.approx(3.0)
    assert len(kernels(CATALOG["soft_shrink"].fn)) >= 3


# --- the classification rule ------------------------------------------------------------


def test_classify_applies_the_stated_rule():
    assert classify(1.0, 1.0) == "memory"
    assert classify(MEMORY_BOUND_MAX, 1.0) == "memory"  # the boundary is memory-bound
    assert classify(MEMORY_BOUND_MAX * 1.01, 1.0) == "compute"
    assert classify(6.0, 5.0) == "memory"  # five passes at memory speed
    assert classify(6.0, 1.0) == "compute"
    assert classify(2.0, 1.0, limit=3.0) == "memory"


@pytest.mark.parametrize(("fwd", "moved"), [(0.0, 1.0), (1.0, 0.0), (math.nan, 1.0),
                                            (1.0, math.inf), (-2.0, 1.0)])
def test_classify_rejects_ratios_that_are_not_finite_positive(fwd, moved):
    with pytest.raises(ValueError, match="finite positive"):
        classify(fwd, moved)


def test_cost_properties():
    row = Cost("gelu", forward=11.0, forward_backward=9.0, kernels=("Mul", "Erfc", "Mul"),
               traffic=2.0, bound="compute")
    assert row.special and row.per_traffic == 5.5
    plain = Cost("hard_tanh", 2.0, 4.0, ("Minimum", "Maximum"), 2.0, "memory")
    assert not plain.special


# --- which functions ---------------------------------------------------------------------


def test_elementwise_activations_lists_each_catalog_function_once():
    fns = elementwise_activations()
    unique = {id(e) for e in CATALOG.values() if e.elementwise}
    assert len(fns) == len(unique)
    assert "relu" in fns and "silu" in fns and "hard_silu" in fns
    for name in ("softmax", "log_softmax", "sparsemax", "glu", "swish", "hard_swish"):
        assert name not in fns
    assert fns["relu"] is CATALOG["relu"].fn


def test_elementwise_activations_with_a_custom_catalog():
    relu = SimpleNamespace(name="relu", fn=tf.nn.relu, elementwise=True)
    silu = SimpleNamespace(name="silu", fn=tf.nn.silu, elementwise=True)
    soft = SimpleNamespace(name="softmax", fn=tf.nn.softmax, elementwise=False)
    again = SimpleNamespace(name="relu_alias", fn=tf.nn.relu, elementwise=True)
    catalog = {"relu": relu, "swish": silu, "silu": silu, "softmax": soft, "r2": again}
    assert elementwise_activations(catalog) == {"relu": tf.nn.relu, "silu": tf.nn.silu}


# --- the measurement ---------------------------------------------------------------------


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


class LoadedMachine:
    """A fake clock whose load changes every round; each function costs base * load.

    The function made with ``starts_round=True`` must come first in the round; it runs
    twice per round (once as a floor, once as the control), so every second call of it
    starts a new round.
    """

    def __init__(self, loads):
        self.now = 0.0
        self.loads = iter(loads)
        self.load = 1.0
        self.calls = 0

    def __call__(self) -> float:
        return self.now

    def costing(self, base, *, starts_round=False):
        def fn(x):
            if starts_round:
                if self.calls % 2 == 0:
                    self.load = next(self.loads)
                self.calls += 1
            self.now += base * self.load
            return x

        return fn


def test_ratios_to_floor_pairs_each_round_with_its_own_floor():
    # Load varies 10x between rounds: a ratio of minimums would mix rounds, the
    # per-round ratio does not.
    machine = LoadedMachine([1.0, 1.0, 10.0, 1.0, 5.0])  # warm-up round, then 4 rounds
    floors = {"copy": machine.costing(2.0, starts_round=True), "slow copy": machine.costing(3.0)}
    fns = {"f": machine.costing(6.0), "g": machine.costing(1.0)}
    result = ratios_to_floor(fns, 0, floors=floors, repeats=4, clock=machine)
    assert result.ratios == {"f": pytest.approx(3.0), "g": pytest.approx(0.5)}
    assert result.control == pytest.approx(1.0)
    assert set(result.copy_seconds) == {"copy", "slow copy"}


def test_ratios_to_floor_takes_the_median_over_rounds():
    machine = LoadedMachine([1.0] * 4)
    costs = iter([4.0, 2.0, 9.0, 3.0])  # warm-up, then rounds: 2, 9, 3 -> median 3

    def f(x):
        machine.now += next(costs)
        return x

    floors = {"copy": machine.costing(1.0, starts_round=True)}
    result = ratios_to_floor({"f": f}, 0, floors=floors, repeats=3, clock=machine)
    assert result.ratios["f"] == pytest.approx(3.0)


def test_ratios_to_floor_rejects_a_name_clash():
    with pytest.raises(ValueError, match="'x \\* 1.0' is the name of a floor function"):
        ratios_to_floor({"x * 1.0": tf.nn.relu}, tf.ones([4]), repeats=1)


def test_module_constants_are_consistent():
    assert cost.MEMORY_BOUND_MAX > 1.0
    assert {"Exp", "Tanh", "Sigmoid", "Erfc", "Pow"} <= cost.SPECIAL_OPS
    assert "Relu" not in cost.SPECIAL_OPS


def test_last_level_cache_bytes_reads_the_largest_level(tmp_path):
    for name, level, size in [("index0", 1, "48K"), ("index2", 2, "1024K"),
                              ("index3", 3, "32768K"), ("index9", "x", "1G")]:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "level").write_text(f"{level}\n")
        (folder / "size").write_text(f"{size}\n")
    assert last_level_cache_bytes(str(tmp_path)) == 32 * 2**20
    assert last_level_cache_bytes(str(tmp_path / "missing")) is None
    real = last_level_cache_bytes()
    assert real is None or real > 0


def test_cache_verdict_compares_the_bytes_with_the_cache():
    assert cache_verdict(64 * 2**20, cache=32 * 2**20).startswith(
        "input and output together (64 MiB) are larger than this machine's last-level cache "
        "(32 MiB)")
    assert "fit in this machine's last-level cache (32 MiB)" in cache_verdict(
        8 * 2**20, cache=32 * 2**20)
    assert isinstance(cache_verdict(8), str)
