"""Unit tests for acttutor.timing (fast, no wall-clock thresholds)."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import tensorflow as tf

from acttutor.timing import Timer, block_until_ready, ratio, time_op, time_ops, time_samples


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_timer_records_each_interval_with_a_fake_clock():
    clock = FakeClock()
    timer = Timer(clock=clock)
    clock.now += 2.0
    assert timer.stop() == 2.0
    timer.start()
    clock.now += 1.0
    timer.stop()
    with timer:
        clock.now += 6.0
    assert timer.times == [2.0, 1.0, 6.0]
    assert timer.sum() == 9.0
    assert timer.avg() == 3.0
    assert timer.median() == 2.0
    assert timer.cumsum() == [2.0, 3.0, 9.0]


def test_timer_without_times_says_what_to_do():
    timer = Timer()
    assert timer.sum() == 0.0
    with pytest.raises(ValueError, match="call stop"):
        timer.median()
    with pytest.raises(ValueError, match="call stop"):
        timer.avg()


def test_time_ops_interleaves_and_returns_medians():
    clock = FakeClock()
    calls: list[str] = []
    # "slow" costs 3 s per call except one outlier of 50 s; "fast" costs 1 s.
    slow_costs = iter([0.0, 3.0, 50.0, 3.0, 3.0, 3.0])  # first value: the warm-up call

    def slow(x):
        calls.append("slow")
        clock.now += next(slow_costs)
        return x

    def fast(x):
        calls.append("fast")
        clock.now += 1.0
        return x

    medians = time_ops({"slow": slow, "fast": fast}, 0, repeats=5, warmup=1, clock=clock)
    assert medians == {"slow": 3.0, "fast": 1.0}  # the 50 s outlier is ignored
    # one warm-up round, then round-robin: never two calls of the same function in a row
    assert calls == ["slow", "fast"] * 6
    assert ratio(medians["slow"], medians["fast"]) == 3.0


def test_time_op_on_a_real_tensorflow_op_is_positive_and_finite():
    x = tf.random.normal([4096])
    seconds = time_op(tf.nn.relu, x, repeats=3)
    assert math.isfinite(seconds) and seconds > 0


def test_time_ops_passes_the_arguments_to_every_function():
    seen = []
    time_ops({"a": seen.append, "b": seen.append}, "arg", repeats=2, warmup=0)
    assert seen == ["arg"] * 4


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"repeats": 0}, "repeats must be a positive int"),
        ({"repeats": 2.5}, "repeats must be a positive int"),
        ({"repeats": True}, "repeats must be a positive int"),
        ({"warmup": -1}, "warmup must be a non-negative int"),
    ],
)
def test_time_ops_rejects_bad_counts(kwargs, match):
    with pytest.raises(ValueError, match=match):
        time_ops({"a": abs}, 1, **kwargs)


def test_time_ops_rejects_empty_and_non_callables():
    with pytest.raises(ValueError, match="at least one function"):
        time_ops({}, 1)
    with pytest.raises(TypeError, match="'x' is a int, not a function"):
        time_ops({"x": 3}, 1)


def test_time_ops_lets_the_functions_own_error_through():
    def broken(x):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        time_op(broken, 1, repeats=1)


@pytest.mark.parametrize(
    ("seconds", "baseline"),
    [(0.0, 1.0), (1.0, 0.0), (-1.0, 1.0), (float("nan"), 1.0), (1.0, float("inf")), ("1", 1.0),
     (True, 1.0)],
)
def test_ratio_rejects_times_that_are_not_finite_positive(seconds, baseline):
    with pytest.raises(ValueError, match="finite positive time"):
        ratio(seconds, baseline)


def test_ratio_accepts_numpy_floats():
    assert ratio(np.float32(3.0), np.float64(1.5)) == pytest.approx(2.0)


def test_block_until_ready_returns_its_argument_for_every_kind():
    t = tf.ones([3])
    assert block_until_ready(t) is t
    nested = (t, [t], {"k": t}, None, 3)
    assert block_until_ready(nested) is nested
    empty = tf.zeros([0])
    assert block_until_ready(empty) is empty

    class JaxLike:
        waited = False

        def block_until_ready(self):
            JaxLike.waited = True

    block_until_ready(JaxLike())
    assert JaxLike.waited


def test_time_samples_returns_every_round_in_order_and_uses_the_given_clock():
    clock = FakeClock()
    costs = iter([0.5, 0.5, 1.0, 2.0, 3.0, 4.0])  # warm-up a, b; then a, b per round

    def spend(x):
        clock.now += next(costs)
        return x

    samples = time_samples({"a": spend, "b": spend}, 0, repeats=2, warmup=1, clock=clock)
    assert samples == {"a": [1.0, 3.0], "b": [2.0, 4.0]}


def test_time_ops_min_and_median_with_a_cpu_clock():
    x = tf.random.normal([2048])
    fastest = time_ops({"relu": tf.nn.relu}, x, repeats=5, reduce="min", clock=time.process_time)
    median = time_ops({"relu": tf.nn.relu}, x, repeats=5, clock=time.process_time)
    assert 0 <= fastest["relu"] and math.isfinite(median["relu"])
    with pytest.raises(ValueError, match="reduce must be 'median' or 'min'"):
        time_ops({"relu": tf.nn.relu}, x, reduce="mean")
