"""Tests for acttutor.calibration: bins, ECE, temperature fitting and the verdict."""

from __future__ import annotations

import math

import numpy as np
import pytest

from acttutor.calibration import (
    calibration_verdict,
    expected_calibration_error,
    fit_temperature,
    reliability_bins,
    softmax_probabilities,
)


def test_softmax_probabilities_match_a_loop_and_survive_large_logits():
    z = np.array([[1000.0, 999.0, -1000.0], [0.5, -0.5, 2.0]])
    for t in (0.5, 1.0, 3.0):
        p = softmax_probabilities(z, t)
        for row, got in zip(z, p, strict=True):
            m = max(row / t)
            e = [math.exp(v / t - m) for v in row]
            assert got == pytest.approx([v / sum(e) for v in e], rel=1e-12, abs=1e-300)


def test_bins_count_confidence_and_accuracy_by_hand():
    p = np.array([[0.95, 0.05], [0.85, 0.15], [0.55, 0.45], [0.3, 0.7], [0.1, 0.9]])
    y = np.array([0, 1, 0, 1, 0])
    bins = reliability_bins(p, y, n_bins=2)  # (0, 0.5] and (0.5, 1]
    assert bins.counts.tolist() == [0, 5]
    assert bins.confidence[1] == pytest.approx((0.95 + 0.85 + 0.55 + 0.7 + 0.9) / 5)
    assert bins.accuracy[1] == pytest.approx(3 / 5)
    assert np.isnan(bins.accuracy[0])
    one_hot = np.eye(2)[y]
    assert reliability_bins(p, one_hot, n_bins=2).counts.tolist() == [0, 5]


def test_a_confidence_on_an_edge_goes_to_the_lower_bin():
    bins = reliability_bins(np.array([[0.6, 0.4], [0.61, 0.39]]), np.array([0, 0]), n_bins=5)
    assert bins.counts.tolist() == [0, 0, 1, 1, 0]


def test_ece_is_the_weighted_gap():
    p = np.array([[0.9, 0.1]] * 4 + [[0.6, 0.4]] * 2)
    y = np.array([0, 0, 0, 1, 0, 1])
    # bins of width 0.1: 0.9 (4 examples, acc 0.75) and 0.6 (2 examples, acc 0.5)
    want = 4 / 6 * abs(0.9 - 0.75) + 2 / 6 * abs(0.6 - 0.5)
    assert expected_calibration_error(p, y, n_bins=10) == pytest.approx(want)


def test_a_calibrated_model_has_a_small_ece():
    rng = np.random.default_rng(0)
    conf = rng.uniform(0.5, 1.0, size=20000)
    p = np.stack([conf, 1 - conf], axis=1)
    y = (rng.uniform(size=conf.size) > conf).astype(int)  # right with probability conf
    assert expected_calibration_error(p, y) < 0.02


def test_fit_temperature_recovers_a_known_temperature():
    rng = np.random.default_rng(1)
    true_logits = rng.normal(0.0, 2.0, size=(4000, 5))
    p = softmax_probabilities(true_logits)
    y = np.array([rng.choice(5, p=row) for row in p])
    t = fit_temperature(true_logits * 3.0, y)  # three times too confident
    assert t == pytest.approx(3.0, rel=0.1)


def test_fit_temperature_minimises_the_nll():
    rng = np.random.default_rng(2)
    z = rng.normal(0.0, 3.0, size=(500, 4))
    y = np.argmax(z + rng.normal(0.0, 3.0, size=z.shape), axis=1)  # noisy labels

    def nll(t):
        p = softmax_probabilities(z, t)
        return -np.mean(np.log(p[np.arange(len(y)), y]))

    t = fit_temperature(z, y)
    assert 0.05 < t < 20.0  # an interior minimum, not a bound of the search
    assert nll(t) <= min(nll(t * 0.95), nll(t * 1.05))


def test_verdict_words_follow_the_rule():
    assert calibration_verdict(0.05, 0.01).startswith("temperature scaling lowered")
    assert "raised" in calibration_verdict(0.01, 0.05)
    assert "about the same" in calibration_verdict(0.010, 0.011)


@pytest.mark.parametrize(("call", "words"), [
    (lambda: reliability_bins(np.array([[2.0, -1.0]]), np.array([0])), "probabilities"),
    (lambda: reliability_bins(np.array([[0.5, 0.5]]), np.array([0.0])), "integer class ids"),
    (lambda: fit_temperature(np.zeros(3), np.array([0])), "shape (examples, classes)"),
    (lambda: fit_temperature(np.zeros((2, 2)), np.array([0, 2])), "must lie in [0, 2)"),
    (lambda: fit_temperature(np.full((1, 2), np.nan), np.array([0])), "NaN or inf"),
    (lambda: softmax_probabilities(np.zeros((1, 2)), 0.0), "positive number"),
    (lambda: calibration_verdict(5.0, 0.1), "ECE in [0, 1]"),
])
def test_bad_input_gets_a_clear_message(call, words):
    with pytest.raises(ValueError, match=None) as info:
        call()
    assert words in str(info.value)
