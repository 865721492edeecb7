"""acttutor.results (tables and verdicts) and the training plots, on hand-made runs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from acttutor.plotting import plot_histories, plot_test_accuracies
from acttutor.results import (
    accuracy_verdict,
    activation_stats,
    common_target,
    results_table,
    speed_verdict,
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
    assert "epochs to val_accuracy ≥ 0.85" in table.columns
    assert table.column("epochs to val_accuracy ≥ 0.85") == ["3.0", "3.0"]


def test_results_table_marks_targets_not_reached():
    slow = [run(0.8, val=(0.5, 0.6, 0.7)), run(0.8, val=(0.5, 0.6, 0.9), seed=1)]
    never = [run(0.7, val=(0.5, 0.6, 0.7))]
    table = results_table({"slow": slow, "never": never}, target=0.85)
    rows = {r["activation"]: r for r in table.rows}
    assert rows["slow"]["epochs to val_accuracy ≥ 0.85"] == "3.0 (1/2 runs)"
    assert rows["never"]["epochs to val_accuracy ≥ 0.85"] == "not reached"
    assert "n/a" in rows["never"]["test accuracy (mean ± std)"]


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


# ---------------------------------------------------------------- speed verdict


def test_speed_verdict_fastest_and_fewest():
    fast = runs_with([0.9, 0.9, 0.9], val=(0.88, 0.9, 0.95), epoch_seconds=(2.0, 1.0, 1.0))
    slow = runs_with([0.9, 0.9, 0.9], val=(0.5, 0.8, 0.9), epoch_seconds=(2.0, 2.0, 2.0))
    v = speed_verdict({"relu": fast, "sigmoid": slow}, target=0.85)
    assert v.faster_per_epoch == ("sigmoid",) and v.fewer_epochs == ("sigmoid",)
    assert v.fastest_per_epoch and v.fewest_epochs
    assert "Both readings support" in v.text


def test_speed_verdict_only_convergence_and_noise():
    relu = [
        run(0.9, val=(0.9, 0.9, 0.9), epoch_seconds=(2.0, 1.0, 1.0)),
        run(0.9, val=(0.9, 0.9, 0.9), epoch_seconds=(2.0, 1.4, 1.4), seed=1),
    ]
    other = [
        run(0.9, val=(0.5, 0.9, 0.9), epoch_seconds=(2.0, 1.1, 1.1)),
        run(0.9, val=(0.5, 0.9, 0.9), epoch_seconds=(2.0, 1.2, 1.2), seed=1),
    ]
    v = speed_verdict({"relu": relu, "tanh": other}, target=0.85)
    assert v.faster_per_epoch == () and v.slower_per_epoch == ()  # within the spread
    assert v.fewer_epochs == ("tanh",) and v.fewest_epochs and not v.fastest_per_epoch
    assert "holds for convergence" in v.text and "not for the time an epoch takes" in v.text


def test_speed_verdict_neither_and_slower():
    relu = runs_with([0.9, 0.9], val=(0.5, 0.9, 0.9), epoch_seconds=(2.0, 2.0, 2.0))
    gelu = runs_with([0.9, 0.9], val=(0.9, 0.9, 0.9), epoch_seconds=(2.0, 1.0, 1.0))
    v = speed_verdict({"relu": relu, "gelu": gelu}, target=0.85)
    assert v.slower_per_epoch == ("gelu",) and v.more_epochs == ("gelu",)
    assert not v.fastest_per_epoch and not v.fewest_epochs
    assert "Neither reading" in v.text


def test_speed_verdict_counts_missed_targets():
    relu = runs_with([0.9, 0.9], val=(0.5, 0.8, 0.9))
    sigmoid = [run(0.8, val=(0.5, 0.6, 0.7)), run(0.8, val=(0.5, 0.6, 0.9), seed=1)]
    v = speed_verdict({"relu": relu, "sigmoid": sigmoid}, target=0.85)
    assert v.fewer_epochs == ("sigmoid",)
    lost = speed_verdict({"relu": sigmoid, "x": relu}, target=0.85)
    assert "1 of 2 runs got there" in lost.text and lost.more_epochs == ("x",)


def test_speed_verdict_bad_input():
    with pytest.raises(KeyError, match="relu"):
        speed_verdict({"tanh": [run(0.9)]}, target=0.8)
    with pytest.raises(ValueError, match="other activation"):
        speed_verdict({"relu": [run(0.9)]}, target=0.8)


# ---------------------------------------------------------------- plots


def test_plot_histories_two_panels_mean_and_band():
    results = {
        "relu": [run(0.9, val=(0.5, 0.8, 0.9)), run(0.9, val=(0.7, 0.8, 0.95), seed=1)],
        "tanh": run(0.9, val=(0.4, 0.6, 0.8)),
    }
    fig = plot_histories(results)
    assert isinstance(fig, Figure)
    train_ax, val_ax = fig.axes
    assert train_ax.get_title() == "Training accuracy"
    assert val_ax.get_title() == "Validation accuracy"
    lines = {line.get_label(): line for line in val_ax.get_lines()}
    np.testing.assert_allclose(lines["relu (2 runs)"].get_ydata(), [0.6, 0.8, 0.925])
    np.testing.assert_allclose(lines["tanh"].get_xdata(), [1, 2, 3])
    assert len(val_ax.collections) == 1  # a band only for the activation with two runs
    band = val_ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(0.5) and band.max() == pytest.approx(0.95)


def test_plot_histories_loss_and_axes():
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2)
    plt.close(fig)
    assert plot_histories({"relu": run(0.9)}, metric="loss", axes=axes) is fig
    assert axes[0].get_title() == "Training loss"
    with pytest.raises(ValueError, match="two Axes"):
        plot_histories({"relu": run(0.9)}, axes=[axes[0]])


def test_plot_histories_bad_input():
    with pytest.raises(KeyError, match="no 'top5'"):
        plot_histories({"relu": run(0.9)}, metric="top5")
    with pytest.raises(TypeError, match="compare_activations"):
        plot_histories([run(0.9)])
    with pytest.raises(TypeError, match="RunResult"):
        plot_histories({"relu": [1, 2]})


def test_plot_test_accuracies_one_dot_per_run_best_on_top():
    fig = plot_test_accuracies({"a": runs_with([0.9, 0.92]), "b": runs_with([0.95, 0.96, 0.97])})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]  # bottom to top
    dots = [line for line in ax.get_lines() if line.get_marker() == "o" and len(line.get_xdata())]
    assert sorted(len(d.get_xdata()) for d in dots) == [2, 3]
