"""Paired comparisons (acttutor.stats): the interval covers what it should, and only then."""

from __future__ import annotations

import numpy as np
import pytest

from acttutor.stats import MIN_PAIRS, bootstrap_mean_interval, paired_difference


def test_the_interval_brackets_the_mean_and_lies_within_the_values() -> None:
    values = [0.3, -0.1, 0.5, 0.2, 0.1]
    low, high = bootstrap_mean_interval(values)
    assert min(values) <= low < np.mean(values) < high <= max(values)


def test_the_same_seed_gives_the_same_interval_and_another_seed_a_close_one() -> None:
    values = [0.3, -0.1, 0.5, 0.2, 0.1]
    assert bootstrap_mean_interval(values, seed=3) == bootstrap_mean_interval(values, seed=3)
    a, b = bootstrap_mean_interval(values, seed=1), bootstrap_mean_interval(values, seed=2)
    assert a != b and abs(a[0] - b[0]) < 0.05


def test_a_wider_confidence_gives_a_wider_interval() -> None:
    values = np.random.default_rng(0).normal(size=8)
    low90, high90 = bootstrap_mean_interval(values, confidence=0.90)
    low99, high99 = bootstrap_mean_interval(values, confidence=0.99)
    assert low99 < low90 and high99 > high90


def test_the_interval_agrees_with_the_normal_approximation_for_many_values() -> None:
    values = np.random.default_rng(1).normal(loc=2.0, scale=1.0, size=400)
    low, high = bootstrap_mean_interval(values, resamples=4000)
    half = 1.96 * values.std(ddof=1) / np.sqrt(values.size)
    assert abs(low - (values.mean() - half)) < 0.02
    assert abs(high - (values.mean() + half)) < 0.02


def test_coverage_of_a_known_mean_is_near_the_nominal_level() -> None:
    rng = np.random.default_rng(2)
    hits = 0
    for trial in range(200):
        sample = rng.normal(loc=1.0, size=30)
        low, high = bootstrap_mean_interval(sample, resamples=1000, seed=trial)
        hits += low <= 1.0 <= high
    assert 0.88 <= hits / 200 <= 0.99


def test_a_consistent_gain_is_real_and_a_mixed_one_is_not() -> None:
    better = paired_difference([0.91, 0.92, 0.90, 0.93], [0.89, 0.90, 0.89, 0.90],
                               name="relu", baseline="tanh")
    assert better.excludes_zero and better.direction == 1 and better.low > 0
    assert better.differences == pytest.approx((0.02, 0.02, 0.01, 0.03))
    mixed = paired_difference([0.91, 0.89, 0.90], [0.90, 0.90, 0.90])
    assert not mixed.excludes_zero and mixed.direction == 0 and mixed.low <= 0 <= mixed.high
    worse = paired_difference([0.85, 0.86, 0.84], [0.90, 0.91, 0.90])
    assert worse.direction == -1 and worse.high < 0


def test_pairing_removes_what_the_seeds_share() -> None:
    # Seeds differ a lot, but a beats b by 0.01 on every seed: unpaired, the spread would hide it.
    shared = np.array([0.80, 0.95, 0.70, 0.90, 0.85])
    d = paired_difference(shared + 0.01, shared)
    assert d.excludes_zero and d.mean == pytest.approx(0.01)


def test_bad_input_gets_a_clear_message() -> None:
    with pytest.raises(ValueError, match=f"at least {MIN_PAIRS}"):
        paired_difference([0.9, 0.8], [0.8, 0.7])
    with pytest.raises(ValueError, match="one result per seed"):
        paired_difference([0.9, 0.8, 0.7], [0.8, 0.7])
    with pytest.raises(ValueError, match="finite"):
        paired_difference([0.9, float("nan"), 0.7], [0.8, 0.7, 0.6])
    with pytest.raises(ValueError, match="numbers"):
        paired_difference(["a", "b", "c"], [0.8, 0.7, 0.6])
    with pytest.raises(ValueError, match="between 0 and 1"):
        bootstrap_mean_interval([1.0, 2.0, 3.0], confidence=95)
    with pytest.raises(ValueError, match="resamples"):
        bootstrap_mean_interval([1.0, 2.0, 3.0], resamples=10)
