"""acttutor.verdicts: each verdict follows its rule, on both sides of every threshold."""

from __future__ import annotations

import math

import pytest

from acttutor import verdicts as v
from acttutor.training import RunResult


def test_fastest_verdict_names_every_ratio_when_the_baseline_wins() -> None:
    text = v.fastest_verdict({"ReLU": 1.0, "sigmoid": 2.04, "tanh": 1.26}, "ReLU")
    assert text == "ReLU was the fastest of the three: sigmoid took 2.0× and tanh 1.3× as long"
    four = v.fastest_verdict({"a": 1.0, "b": 1.5, "c": 2.0, "Leaky b": 3.0}, "a")
    assert four == "a was the fastest of the four: b took 1.5×, c 2.0× and Leaky b 3.0× as long"


@pytest.mark.parametrize("ratios", [{"ReLU": 1.0, "sigmoid": 1.0, "tanh": 3.0},
                                    {"ReLU": 1.0, "sigmoid": 2.0, "tanh": 0.7}])
def test_fastest_verdict_says_so_when_the_baseline_is_not_faster(ratios: dict) -> None:
    assert v.fastest_verdict(ratios, "ReLU") == (
        "ReLU was not faster than both of the others on this run")
    ratios = {**ratios, "gelu": 4.0}
    assert "all of the others" in v.fastest_verdict(ratios, "ReLU")


@pytest.mark.parametrize(("ratios", "words"), [
    ({"sigmoid": 2.0}, "includes the baseline 'ReLU'"),
    ({"ReLU": 1.0}, "at least one function besides"),
    ({"ReLU": 1.0, "tanh": "fast"}, "the ratio of 'tanh' must be a number"),
    ({"ReLU": 1.0, "tanh": math.nan}, "finite"),
])
def test_fastest_verdict_rejects_bad_ratios_clearly(ratios: dict, words: str) -> None:
    with pytest.raises((TypeError, ValueError), match=words):
        v.fastest_verdict(ratios, "ReLU")


@pytest.mark.parametrize(("ratio", "every_seed", "start"), [
    (1.6, True, "tanh converged clearly faster"),
    (1.6, False, "tanh converged somewhat faster"),  # not every seed: no "clearly"
    (1.2, True, "tanh converged somewhat faster"),
    (1.1, True, "tanh and sigmoid converged about equally fast"),
    (0.9, False, "tanh and sigmoid converged about equally fast"),
    (0.89, False, "sigmoid converged faster than tanh"),
])
def test_convergence_verdict_thresholds(ratio: float, every_seed: bool, start: str) -> None:
    assert v.convergence_verdict(ratio, every_seed).startswith(start)


@pytest.mark.parametrize(("ratio", "every_seed", "words"), [
    (1.3, True, "zero-centring helped"),
    (1.3, False, "made little difference"),
    (1.25, True, "made little difference"),
    (0.8, False, "made little difference"),
    (0.79, True, "did better than tanh, so zero-centring did not help"),
])
def test_centring_verdict_thresholds(ratio: float, every_seed: bool, words: str) -> None:
    assert words in v.centring_verdict(ratio, every_seed)


def test_change_verdict_ignores_changes_within_the_margin() -> None:
    assert v.change_verdict(0.20, 0.30) == "lowered"
    assert v.change_verdict(0.36, 0.30) == "raised"
    assert v.change_verdict(0.27, 0.30) == "hardly changed"
    assert v.change_verdict(0.27, 0.30, margin=0.01) == "lowered"
    with pytest.raises(TypeError, match="change_verdict: value must be a number"):
        v.change_verdict(None, 0.3)  # type: ignore[arg-type]


def test_he_init_verdict() -> None:
    assert "not what kills units here" in v.he_init_verdict(0.30, 0.32)
    assert v.he_init_verdict(0.20, 0.32) == (
        "A better-scaled start leaves fewer units to be knocked out.")


def test_leaky_rate_verdict_quotes_both_accuracies() -> None:
    worse = v.leaky_rate_verdict(0.851, 0.902, 0.01, 0.001)
    assert worse.startswith("It does not make a too-high learning rate harmless")
    assert "85.1%" in worse and "90.2%" in worse and "0.01" in worse and "0.001" in worse
    level = v.leaky_rate_verdict(0.89, 0.90, 0.01, 0.001)
    assert level.startswith("Here it even keeps up") and "89.0%" in level


def _run(acc: float) -> RunResult:
    return RunResult(history={}, test_acc=acc, test_loss=0.0, seconds=1.0)


def test_rank_verdict() -> None:
    best = {"relu": [_run(0.95), _run(0.96)], "tanh": [_run(0.90), _run(0.91)]}
    assert v.rank_verdict(best) == "ReLU has the best mean test accuracy of the 2 activations"
    beaten = {"gelu": [_run(0.95), _run(0.96)], "relu": [_run(0.90), _run(0.91)],
              "tanh": [_run(0.80), _run(0.81)]}
    assert v.rank_verdict(beaten) == (
        "ReLU ranks 2 of 3 by mean test accuracy, and gelu's lead over it holds")
    overlapping = {"gelu": [_run(0.92), _run(0.96)], "relu": [_run(0.93), _run(0.94)]}
    assert v.rank_verdict(overlapping, label="relu").endswith(
        "these seeds do not separate it from the best")
    with pytest.raises(KeyError, match="no runs for 'elu'"):
        v.rank_verdict(best, "elu")


def test_same_outputs_and_sparsemax_verdicts() -> None:
    assert v.same_outputs_verdict(0.0).startswith("exactly 0")
    assert v.same_outputs_verdict(3.1e-8) == "at most 3.1e-08, float32 round-off"
    assert v.sparsemax_verdict(True).startswith("agrees")
    assert v.sparsemax_verdict(False).startswith("does not")
