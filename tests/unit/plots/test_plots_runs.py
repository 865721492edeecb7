"""acttutor.plots.runs: training histories and every run's test accuracy, on hand-made runs."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from acttutor.comparison import compare_to_best
from acttutor.plots.runs import plot_histories, plot_paired_differences, plot_test_accuracies
from acttutor.training import RunResult


def run(test_acc, val=(0.5, 0.8, 0.9), seed=0):
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
        seconds=1.0,
        seed=seed,
    )


def runs_with(accs):
    return [run(a, seed=i) for i, a in enumerate(accs)]


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
    assert fig.get_suptitle().startswith("mean over seeds")
    assert train_ax.get_legend() is None and val_ax.get_legend() is not None


def test_plot_histories_loss_and_axes():
    fig, axes = plt.subplots(1, 2)
    plt.close(fig)
    assert plot_histories({"relu": run(0.9)}, metric="loss", axes=axes) is fig
    assert axes[0].get_title() == "Training loss"
    assert fig.get_suptitle() == ""  # one run each: nothing to explain
    with pytest.raises(ValueError, match="two Axes"):
        plot_histories({"relu": run(0.9)}, axes=[axes[0]])


def test_plot_histories_bad_input():
    with pytest.raises(KeyError, match="no 'top5'"):
        plot_histories({"relu": run(0.9)}, metric="top5")
    with pytest.raises(TypeError, match="compare_activations"):
        plot_histories([run(0.9)])
    with pytest.raises(TypeError, match="RunResult"):
        plot_histories({"relu": [1, 2]})
    with pytest.raises(ValueError, match="at least one activation"):
        plot_histories({})


def test_plot_test_accuracies_one_dot_per_run_best_on_top():
    fig = plot_test_accuracies({"a": runs_with([0.9, 0.92]), "b": runs_with([0.95, 0.96, 0.97])})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]  # bottom to top
    dots = [line for line in ax.get_lines() if line.get_marker() == "o" and len(line.get_xdata())]
    assert sorted(len(d.get_xdata()) for d in dots) == [2, 3]


def test_plot_test_accuracies_marks_each_mean():
    ax = plot_test_accuracies({"a": runs_with([0.9, 0.92]), "b": run(0.8)}).axes[0]
    means = [ln for ln in ax.get_lines() if ln.get_marker() in ("None", None, "")
             and len(ln.get_xdata()) == 2]
    assert sorted(float(ln.get_xdata()[0]) for ln in means) == pytest.approx([0.8, 0.91])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["one run (seed)", "mean"]


def test_plot_paired_differences_one_row_per_other_activation_with_its_interval():
    res = {"a": runs_with([0.9] * 4), "b": runs_with([0.85, 0.86, 0.84, 0.85]),
           "c": runs_with([0.91, 0.88, 0.89, 0.92])}
    c = compare_to_best(res, metric="test_acc")  # these runs vary in their test accuracy
    fig = plot_paired_differences(c)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(c.differences)[::-1]
    bars = [ln for ln in ax.lines if len(ln.get_xdata()) == 2 and ln.get_linewidth() == 3]
    spans = sorted(tuple(np.round(ln.get_xdata(), 9)) for ln in bars)
    want = sorted((round(d.low, 9), round(d.high, 9)) for d in c.differences.values())
    assert spans == want
    dots = [ln for ln in ax.lines if ln.get_marker() == "o" and len(ln.get_xdata())]
    assert sum(len(ln.get_xdata()) for ln in dots) == 4 * 2  # one dot per seed and activation
    assert "minus a's" in ax.get_xlabel()
    plt.close(fig)
    with pytest.raises(TypeError, match="compare_to_best"):
        plot_paired_differences(res)
