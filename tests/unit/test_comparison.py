"""acttutor.comparison: paired verdicts say "better" only when the interval excludes 0."""

from __future__ import annotations

import re

import numpy as np
import pytest

from acttutor.comparison import (
    compare_to_best,
    comparison_table,
    difference_verdict,
    final_values,
    speed_verdict_words,
    standing_verdict,
    target_verdict,
)
from acttutor.run_result import RunResult
from acttutor.stats import PairedDifference, paired_difference

VERDICT_WORDS = re.compile(r"\b(better|worse|faster|slower)\b")


def run(seed, val, *, first=None, times=(2.0, 1.0, 1.0), test=0.0):
    history = {"val_accuracy": [first if first is not None else val - 0.1, val]}
    return RunResult(history=history, test_acc=test, test_loss=0.0, seconds=sum(times),
                     seed=seed, epoch_seconds=list(times))


def runs(values, **kw):
    return [run(s, v, **kw) for s, v in enumerate(values)]


def pd(low, high, mean=None):
    mean = (low + high) / 2 if mean is None else mean
    return PairedDifference("a", "b", (low, mean, high), mean, low, high, 0.95)


@pytest.mark.parametrize(
    ("low", "high", "words"),
    [(0.01, 0.03, "a is better than b"), (-0.03, -0.01, "a is worse than b"),
     (-0.01, 0.02, "a and b cannot be told apart"), (0.0, 0.02, "a and b cannot"),
     (-0.02, 0.0, "a and b cannot")],
)
def test_the_verdict_follows_the_interval_both_ways(low, high, words):
    text = difference_verdict(pd(low, high))
    assert text.startswith(words)
    assert bool(VERDICT_WORDS.search(text)) == (low > 0 or high < 0)
    assert "includes 0" in text or low > 0 or high < 0


def test_better_is_never_said_where_the_interval_includes_zero():
    rng = np.random.default_rng(0)
    said = {True: 0, False: 0}
    for _ in range(300):
        a = rng.normal(0.95, 0.01, size=5)
        b = a - rng.normal(rng.uniform(-0.01, 0.02), 0.01, size=5)
        d = paired_difference(a, b, name="a", baseline="b")
        text = difference_verdict(d)
        assert ("better" in text or "worse" in text) == d.excludes_zero, (d, text)
        said[d.excludes_zero] += 1
    assert said[True] and said[False]  # both kinds of case were met


def test_time_words_and_units():
    text = difference_verdict(pd(0.1, 0.3), quantity="time per epoch", higher="slower",
                              lower="faster", spec=".3f", unit=" s")
    assert text.startswith("a is slower than b: time per epoch higher by 0.200 s")


def test_compare_to_best_pairs_by_seed_not_by_order():
    # b's runs are listed in another order; paired by seed, b is always 0.01 below a.
    a = runs([0.90, 0.95, 0.93, 0.97, 0.91])
    b = [run(s, v - 0.01) for s, v in reversed(list(enumerate([0.90, 0.95, 0.93, 0.97, 0.91])))]
    c = compare_to_best({"a": a, "b": b})
    d = c.differences["b"]
    assert c.best == "a" and d.differences == pytest.approx((-0.01,) * 5)
    assert d.excludes_zero and c.separated == ("b",) and c.tied == ("a",)
    assert "b is worse than a" in c.text
    # Unpaired, the spread between seeds (0.90 to 0.97) would swamp the 0.01 gap.
    assert max(final_values(b)) > min(final_values(a))


def test_compare_to_best_says_when_seeds_do_not_separate():
    c = compare_to_best({"a": runs([0.95, 0.90, 0.97]), "b": runs([0.94, 0.93, 0.93])})
    assert c.tied == ("a", "b") and c.separated == ()
    assert "do not separate a from b" in c.text
    assert not VERDICT_WORDS.search(c.text)
    table = comparison_table(c)
    assert table.column("verdict") == ["best", "not separated"]


def test_compare_to_best_ranks_on_the_metric_asked_for():
    a = runs([0.95, 0.96, 0.97], test=0.5)
    b = runs([0.90, 0.91, 0.92], test=0.9)
    assert compare_to_best({"a": a, "b": b}).best == "a"
    assert compare_to_best({"a": a, "b": b}, metric="test_acc").best == "b"


def test_compare_to_best_refuses_unpaired_runs():
    with pytest.raises(ValueError, match="same seeds"):
        compare_to_best({"a": runs([0.9, 0.91, 0.92]), "b": runs([0.9, 0.91, 0.92, 0.93])})
    with pytest.raises(ValueError, match="at least two"):
        compare_to_best({"a": runs([0.9, 0.91, 0.92])})
    with pytest.raises(ValueError, match="same seed"):
        compare_to_best({"a": [run(0, 0.9), run(0, 0.91), run(1, 0.9)],
                         "b": runs([0.9, 0.91, 0.92])})
    with pytest.raises(TypeError):
        difference_verdict((0.1, 0.2))


def test_target_verdict_counts_the_runs_that_fell_short():
    text = target_verdict({"a": runs([0.95, 0.96]), "b": runs([0.90, 0.94])}, 0.93)
    assert text.startswith("3 of 4 runs reached") and "b (1 of 2 runs)" in text
    assert target_verdict({"a": runs([0.95, 0.96])}, 0.93).endswith("every run did")


def test_speed_words_are_paired_and_only_decide_on_intervals():
    relu = runs([0.9] * 4, first=0.80, times=(2.0, 1.0, 1.0))
    slow = [run(s, 0.9, first=0.70 + 0.001 * s, times=(2.0, 1.5 + 0.01 * s, 2.0))
            for s in range(4)]
    noisy = [run(s, 0.9, first=0.80 + (-0.02 if s % 2 else 0.02), times=(2.0, 1.0 + d, 2))
             for s, d in enumerate((0.1, -0.1, 0.2, -0.2))]
    times, early, text = speed_verdict_words({"relu": relu, "sigmoid": slow, "gelu": noisy})
    assert times["sigmoid"].direction == 1 and early["sigmoid"].direction == 1
    assert times["gelu"].direction == 0 and early["gelu"].direction == 0
    assert "shorter than those of sigmoid" in text and "really ahead of sigmoid" in text
    with pytest.raises(KeyError, match="relu"):
        speed_verdict_words({"tanh": relu})


def test_standing_verdict_follows_the_interval():
    close = compare_to_best({"gelu": runs([0.95, 0.90, 0.97]), "relu": runs([0.94, 0.93, 0.93])})
    assert "cannot tell it apart from gelu" in standing_verdict(close)
    assert "really" not in standing_verdict(close)
    far = compare_to_best({"gelu": runs([0.95, 0.96, 0.97]), "relu": runs([0.90, 0.92, 0.91])})
    assert standing_verdict(far).startswith("ReLU ranks 2 of 2 and is really below gelu")
    first = compare_to_best({"relu": runs([0.95, 0.96, 0.97]), "b": runs([0.9, 0.9, 0.9])})
    assert standing_verdict(first) == "ReLU has the highest mean of the 2 activations"
    with pytest.raises(KeyError, match="tanh"):
        standing_verdict(first, "tanh")
