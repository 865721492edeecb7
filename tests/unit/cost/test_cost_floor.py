"""acttutor.cost.floor: the copies, the training-step floor, and the round-by-round ratio."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from acttutor.cost.floor import COPIES, copy, copy_steps, forward_backward, ratios_to_floor


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
