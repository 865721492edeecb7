"""acttutor.results: run lists, tables and verdicts, on hand-made runs (no training)."""

from __future__ import annotations

import math

import pytest

from acttutor.results import (
    ActivationStats,
    accuracy_verdict,
    activation_stats,
    common_target,
    results_table,
    runs_by_name,
)
from acttutor.training import RunResult


def run(test_acc, val=(0.5, 0.8, 0.9), epoch_seconds=(2.0, 1.0, 1.0), seed=0):
    n = len(val)
    return RunResult(
        history={
            "accuracy": [v + 0.01 for v in val],
            "val_accuracy": list(val),
            "loss": [1.0 / (i + 1) for i in range(n)],
            "val_loss": [1.2 / (i + 1) for i in range(n)],
        },
        test_acc=test_acc,
        test_loss=0.3,
        seconds=sum(epoch_seconds) + 0.1,
        seed=seed,
        epoch_seconds=list(epoch_seconds),
    )


def runs_with(accs, **kw):
    return [run(a, seed=i, **kw) for i, a in enumerate(accs)]


# ---------------------------------------------------------------- runs by name


def test_runs_by_name_gives_a_list_per_name_in_order():
    one, two = run(0.9), runs_with([0.8, 0.85])
    lists = runs_by_name({"b": one, "a": two, 3: (one,)})
    assert list(lists) == ["b", "a", "3"]  # order kept, names as strings
    assert lists["b"] == [one] and lists["a"] == two and lists["a"] is not two
    assert lists["3"] == [one]


def test_runs_by_name_rejects_what_is_not_runs_with_a_clear_message():
    with pytest.raises(TypeError, match="compare_activations"):
        runs_by_name([run(0.9)])
    with pytest.raises(ValueError, match="at least one activation"):
        runs_by_name({})
    with pytest.raises(ValueError, match="No runs for 'a'"):
        runs_by_name({"a": []})
    for bad in ([1, 2], "relu", {"seed": run(0.9)}, 0.9):
        with pytest.raises(TypeError, match=r"results\['a'\] must be a RunResult"):
            runs_by_name({"a": bad})


def test_every_summary_reads_its_input_the_same_way():
    for summary in (activation_stats, results_table, common_target, accuracy_verdict):
        with pytest.raises(TypeError, match="must be a RunResult"):
            summary({"a": [1, 2]})
        with pytest.raises(ValueError, match="at least one"):
            summary({})


# ---------------------------------------------------------------- stats and table


def test_activation_stats_numbers():
    stats = activation_stats(
        {"a": runs_with([0.90, 0.92, 0.94], epoch_seconds=(3.0, 1.0, 1.2))}, target=0.8
    )["a"]
    assert stats.runs == 3
    assert stats.acc_mean == pytest.approx(0.92)
    assert stats.acc_std == pytest.approx(0.02)  # sample std, ddof=1
    assert stats.epoch_seconds_mean == pytest.approx(1.0)  # fastest epoch after the first
    assert stats.epochs_to_target == (2, 2, 2) and stats.reached == 3
    assert stats.seconds_to_target_mean == pytest.approx(4.0)


def test_single_run_per_name_is_accepted_and_std_is_nan():
    stats = activation_stats({"a": run(0.9)})["a"]
    assert stats.runs == 1 and math.isnan(stats.acc_std)


def test_results_table_sorted_best_first_with_mean_std():
    table = results_table(
        {"low": runs_with([0.80, 0.82]), "high": runs_with([0.95, 0.97])}, target=0.85
    )
    assert table.column("activation") == ["high", "low"]
    assert table.column("test accuracy (mean ± std)")[0] == "0.9600 ± 0.0141"
    assert table.column("worst run") == ["0.9500", "0.8000"]
    assert table.column("runs reaching val_accuracy ≥ 0.85") == ["2 of 2", "2 of 2"]
    # Whole epochs cannot resolve convergence over a few epochs: no such column.
    assert not any("epochs to" in c or "s to" in c for c in table.columns)


def test_results_table_counts_runs_that_missed_the_target():
    slow = [run(0.8, val=(0.5, 0.6, 0.7)), run(0.8, val=(0.5, 0.6, 0.9), seed=1)]
    never = [run(0.7, val=(0.5, 0.6, 0.7))]
    table = results_table({"slow": slow, "never": never}, target=0.85)
    rows = {r["activation"]: r for r in table.rows}
    assert rows["slow"]["runs reaching val_accuracy ≥ 0.85"] == "1 of 2"
    assert rows["never"]["runs reaching val_accuracy ≥ 0.85"] == "0 of 1"
    assert "n/a" in rows["never"]["test accuracy (mean ± std)"]


def test_results_table_ranks_on_validation_when_asked():
    # "a" is better on test, "b" on validation: the ranking follows the split asked for.
    a = runs_with([0.95, 0.96], val=(0.5, 0.90))
    b = runs_with([0.90, 0.91], val=(0.5, 0.93))
    assert results_table({"a": a, "b": b}).column("activation") == ["a", "b"]
    table = results_table({"a": a, "b": b}, by="validation")
    assert table.column("activation") == ["b", "a"]
    assert table.column("validation accuracy (mean ± std)") == ["0.9300 ± 0.0000",
                                                              "0.9000 ± 0.0000"]
    with pytest.raises(ValueError, match="'test' or 'validation'"):
        results_table({"a": a}, by="val")


def test_epoch_time_is_the_fastest_epoch_after_the_first_as_documented():
    # The fastest epoch (1.0 here), not the median (3.0), and the docstrings say so.
    stats = activation_stats({"a": [run(0.9, val=(0.5,) * 4, epoch_seconds=(9, 1, 3, 5))]})
    assert stats["a"].epoch_seconds_mean == pytest.approx(1.0)
    docs = [ActivationStats.__doc__, ActivationStats.epoch_seconds_mean.__doc__,
            ActivationStats.epoch_seconds_std.__doc__, results_table.__doc__]
    assert all("median" not in doc and "fastest" in doc for doc in docs)


def test_common_target_is_weakest_final_rounded_down():
    results = {
        "a": [run(0.9, val=(0.5, 0.93)), run(0.9, val=(0.5, 0.95))],
        "b": [run(0.9, val=(0.5, 0.887)), run(0.9, val=(0.5, 0.889))],
    }
    assert common_target(results) == pytest.approx(0.88)
    assert common_target({"x": [run(0.9, val=(0.5, 0.88))]}) == pytest.approx(0.88)
    assert common_target(results, step=0.05) == pytest.approx(0.85)


def test_bad_results_type():
    with pytest.raises(TypeError, match="compare_activations"):
        results_table([run(0.9)])
    with pytest.raises(ValueError, match="No runs"):
        activation_stats({"a": []})


# ---------------------------------------------------------------- accuracy verdict


def test_clear_winner():
    v = accuracy_verdict({"a": runs_with([0.95, 0.96, 0.97]), "b": runs_with([0.90, 0.91, 0.92])})
    assert (v.best, v.runner_up) == ("a", "b")
    assert v.gap == pytest.approx(0.05) and v.exceeds_spread and v.separated
    assert "the lead holds" in v.text and "0.0500 ahead of b" in v.text
    assert v.tied_with_best == ("a",)


def test_gap_smaller_than_spread_is_not_a_win():
    v = accuracy_verdict({"a": runs_with([0.90, 0.95, 1.00]), "b": runs_with([0.93, 0.94, 0.95])})
    assert v.best == "a" and not v.exceeds_spread
    assert "smaller than the seed-to-seed spread" in v.text
    assert "do not separate" in v.text
    assert set(v.tied_with_best) == {"a", "b"}


def test_tied_group_leaves_out_activations_clearly_behind():
    v = accuracy_verdict(
        {
            "a": runs_with([0.95, 0.96, 0.97]),
            "b": runs_with([0.945, 0.955, 0.96]),
            "c": runs_with([0.80, 0.81, 0.82]),
        }
    )
    assert v.best == "a" and v.tied_with_best == ("a", "b")
    assert "Not separated from the best by these seeds: a, b." in v.text


def test_overlapping_runs_are_not_a_win_even_with_a_big_gap():
    # gap 0.02 > std (0.01), but the worst "a" run (0.93) is below the best "b" run (0.935).
    v = accuracy_verdict({"a": runs_with([0.93, 0.95, 0.95]), "b": runs_with([0.92, 0.925, 0.935])})
    assert v.exceeds_spread and not v.separated
    assert "runs overlap" in v.text and "do not separate" in v.text


def test_one_seed_and_one_activation():
    v = accuracy_verdict({"a": [run(0.9)], "b": [run(0.8)]})
    assert v.best == "a" and "no spread" in v.text
    only = accuracy_verdict({"a": runs_with([0.9, 0.91])})
    assert only.best == "a" and only.runner_up == "" and "only activation" in only.text
    with pytest.raises(ValueError, match="at least one"):
        accuracy_verdict({})
