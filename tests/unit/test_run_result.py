"""acttutor.run_result: a RunResult from four keywords, and its convergence helpers."""

from __future__ import annotations

import numpy as np
import pytest
from toys import make_result

from acttutor.run_result import RunResult


def test_run_result_from_exactly_the_four_keywords():
    r = RunResult(history={"loss": [1.0]}, test_acc=0.5, test_loss=0.7, seconds=1.5)
    assert r.activation == "" and r.seed is None and r.epoch_seconds == [] and r.model is None


def test_run_result_convergence_helpers():
    r = make_result([0.5, 0.8, 0.9, 0.95], epoch_seconds=[3.0, 1.0, 1.2, 1.1])
    assert r.epochs_to_reach(0.85) == 3
    assert r.epochs_to_reach(0.5) == 1
    assert r.epochs_to_reach(0.99) is None
    assert r.seconds_to_reach(0.85) == pytest.approx(5.2)
    assert r.seconds_to_reach(0.99) is None
    assert r.seconds_per_epoch() == pytest.approx(1.0)  # fastest epoch after the first
    assert r.seconds_per_epoch(statistic="median") == pytest.approx(1.1)
    assert r.seconds_per_epoch(skip_first=False, statistic="median") == pytest.approx(1.15)
    with pytest.raises(ValueError, match="statistic"):
        r.seconds_per_epoch(statistic="mean")
    assert np.isnan(make_result([0.5]).seconds_per_epoch())
    assert make_result([0.5, 0.9]).seconds_to_reach(0.9) is None  # no epoch times recorded
    with pytest.raises(KeyError, match="val_top5"):
        r.epochs_to_reach(0.5, metric="val_top5")
