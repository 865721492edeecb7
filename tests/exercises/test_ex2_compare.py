"""Checker tests for exercise 2 (compare activations; the checker reads RunResults)."""

from __future__ import annotations

import dataclasses
import math
import time
from types import SimpleNamespace

import pytest

from acttutor.exercises import ex2
from acttutor.training import RunResult

STATUSES = {"passed", "failed", "not_attempted", "error", "checker_error"}


@pytest.fixture(autouse=True)
def _not_strict(monkeypatch):
    monkeypatch.delenv("ACTTUTOR_STRICT", raising=False)


def run(final=0.9, epochs=3, *, test=None, loss=None, val_offset=-0.02):
    """A RunResult whose accuracy climbs to ``final`` over ``epochs`` epochs."""
    acc = [final - 0.1 * (epochs - 1 - i) / max(epochs - 1, 1) for i in range(epochs)]
    val = [a + val_offset for a in acc]
    return RunResult(
        history={
            "accuracy": acc,
            "val_accuracy": val,
            "loss": loss if loss is not None else [1.0 / (i + 1) for i in range(epochs)],
            "val_loss": [1.1 / (i + 1) for i in range(epochs)],
        },
        test_acc=final - 0.03 if test is None else test,
        test_loss=0.4,
        seconds=1.0,
    )


def three(**overrides):
    results = {"relu": run(0.93), "tanh": run(0.91), "sigmoid": run(0.85)}
    results.update(overrides)
    return results


@pytest.fixture(scope="module")
def real_results():
    """The reference solution, run for real on the bundled digits (a few seconds)."""
    from acttutor.data import load_digits

    return ex2.reference({"data": load_digits()})


# --------------------------------------------------------------------------- correct answers


def test_reference_solution_passes_on_real_training(real_results):
    assert set(real_results) == {"relu", "tanh", "sigmoid"}
    assert all(isinstance(r, RunResult) for rs in real_results.values() for r in rs)
    result = ex2.check(real_results)
    assert result.status == "passed", result.message
    assert "read from the trained model" in result.message  # 10 outputs -> chance 0.1
    assert "one seed" in " ".join(result.notes)
    best = max(real_results, key=lambda k: real_results[k][0].test_acc)
    assert f"best first: {best} {real_results[best][0].test_acc:.3f}" in result.message


def test_plain_dict_of_runresults_passes():
    result = ex2.check(three())
    assert result.status == "passed", result.message
    assert "best first: relu 0.900, tanh 0.880, sigmoid 0.820" in result.message
    assert "assumed" in result.message  # no model to read the classes from


def test_lists_of_several_seeds_pass_with_mean_and_spread():
    results = {
        name: [run(a), run(a + 0.02)] for name, a in
        (("relu", 0.9), ("elu", 0.87), ("gelu", 0.91), ("sigmoid", 0.8))
    }
    result = ex2.check(results)
    assert result.status == "passed", result.message
    assert "2 runs each" in result.message
    assert "gelu 0.890 ± 0.014" in result.message  # sample standard deviation of 0.88, 0.90
    assert not any("one seed" in n for n in result.notes)


def test_duck_typed_runs_with_arrays_and_binary_classes_pass():
    import numpy as np

    def duck(final):
        return SimpleNamespace(
            history={
                "accuracy": np.array([final - 0.05, final]),
                "val_accuracy": (final - 0.06, final - 0.01),
            },
            test_acc=np.float32(final - 0.02),
        )

    result = ex2.check({"a": duck(0.8), "b": duck(0.75), "c": duck(0.7)}, num_classes=2)
    assert result.status == "passed", result.message
    assert "0.5 for 2 classes, as given" in result.message


# --------------------------------------------------------------------------- wrong answers


def test_unequal_epoch_budgets_are_an_unfair_comparison():
    result = ex2.check(three(sigmoid=run(0.85, epochs=5)))
    assert result.status == "failed"
    assert "results['relu'] was trained for 3 epochs but results['sigmoid'] for 5" in (
        result.message)
    assert "same budget" in result.message


def test_too_few_activations():
    result = ex2.check({"relu": run(), "tanh": run(0.8)})
    assert result.status == "failed"
    assert "Only 2 activation(s) compared (relu, tanh)" in result.message
    assert "at least 3" in result.message


def test_percentages_are_told_to_divide_by_100():
    good = run(0.9)
    pct = dataclasses.replace(
        good,
        history={k: [v * 100 for v in vs] if "acc" in k else vs for k, vs in good.history.items()},
        test_acc=87.0,
    )
    result = ex2.check(three(tanh=pct))
    assert result.status == "failed"
    assert "results['tanh']" in result.message
    assert "percentage" in result.message and "divide by 100" in result.message


def test_percentages_in_real_results(real_results):
    bad = {
        name: [dataclasses.replace(r, test_acc=r.test_acc * 100) for r in rs]
        for name, rs in real_results.items()
    }
    result = ex2.check(bad)
    assert result.status == "failed"
    assert "test_acc reaches" in result.message and "divide by 100" in result.message


def test_single_epoch_is_not_a_curve():
    result = ex2.check(three(relu=run(0.9, epochs=1)))
    assert result.status == "failed"
    assert "results['relu'] was trained for 1 epoch(s)" in result.message
    assert "at least 2" in result.message


def test_missing_validation_curve():
    r = run(0.9)
    r.history.pop("val_accuracy")
    result = ex2.check(three(sigmoid=r))
    assert result.status == "failed"
    assert "results['sigmoid'].history has no 'val_accuracy'" in result.message
    assert "validation_split" in result.message


def test_missing_accuracy_metric():
    r = run(0.9)
    r.history.pop("accuracy")
    result = ex2.check(three(relu=r))
    assert result.status == "failed"
    assert "no 'accuracy'" in result.message and "metrics=['accuracy']" in result.message


def test_no_better_than_chance_names_activation_and_chance():
    result = ex2.check(three(sigmoid=run(0.2, test=0.11)))
    assert result.status == "failed"
    assert "results['sigmoid']: the test accuracy is 0.110, no better than chance" in result.message
    assert "0.1 for 10 classes" in result.message


def test_chance_level_follows_num_classes_option():
    results = three(tanh=run(0.55, test=0.52))
    assert ex2.check(results).passed  # well above 1/10
    result = ex2.check(results, num_classes=2)
    assert result.status == "failed"
    assert "results['tanh']" in result.message and "0.5 for 2 classes" in result.message


def test_chance_on_real_results_uses_the_models_outputs(real_results):
    bad = dict(real_results)
    bad["tanh"] = [dataclasses.replace(r, test_acc=0.1) for r in real_results["tanh"]]
    result = ex2.check(bad)
    assert result.status == "failed"
    assert "results['tanh'][0]" not in result.message  # one seed: no index
    assert "results['tanh']: the test accuracy is 0.100" in result.message
    assert "read from the trained model" in result.message


def test_same_run_under_two_names():
    shared = run(0.9)
    result = ex2.check({"relu": shared, "tanh": shared, "sigmoid": run(0.8)})
    assert result.status == "failed"
    assert "results['relu'] and results['tanh'] hold the same training history" in result.message


def test_same_real_run_under_two_names(real_results):
    copied = {**real_results, "elu": real_results["relu"]}
    result = ex2.check(copied)
    assert result.status == "failed"
    assert "results['relu'] and results['elu'] hold the same training history" in result.message


def test_diverged_loss():
    result = ex2.check(three(relu=run(0.9, loss=[1.0, math.nan, math.nan])))
    assert result.status == "failed"
    assert "results['relu']: the training loss is nan at epoch 2" in result.message


def test_curves_of_different_lengths():
    r = run(0.9)
    r.history["val_accuracy"] = r.history["val_accuracy"][:2]
    result = ex2.check(three(tanh=r))
    assert result.status == "failed"
    assert "has 3 values but history['val_accuracy'] has 2" in result.message


def test_negative_and_huge_and_nan_accuracies():
    neg = run(0.9)
    neg.history["accuracy"][0] = -0.2
    result = ex2.check(three(relu=neg))
    assert result.status == "failed" and "-0.2" in result.message and "[0, 1]" in result.message
    huge = run(0.9, test=250.0)
    result = ex2.check(three(relu=huge))
    assert result.status == "failed" and "250" in result.message
    assert "percentage" not in result.message
    nan = run(0.9, test=math.nan)
    result = ex2.check(three(relu=nan))
    assert result.status == "failed" and "NaN" in result.message


def test_wrong_shapes_of_answer():
    r = run(0.9)
    cases = [
        ([r, run(0.8), run(0.7)], "so the checker knows which result belongs"),
        (r, "single RunResult"),
        (ex2.check, "You passed a function"),
        (42, "Expected a dict mapping activation names"),
        (three(relu=[]), "results['relu'] is an empty list"),
        (three(relu={"accuracy": [0.9]}), "results['relu'] is a dict, not a RunResult"),
        (three(relu=0.93), "results['relu'] is a float"),
        (three(relu=dataclasses.replace(r, test_acc="high")), "test accuracy as one number"),
        (three(relu=dataclasses.replace(r, history=[0.8, 0.9])), "expected a dict of per-epoch"),
        (
            three(relu=dataclasses.replace(r, history={**r.history, "accuracy": "0.8, 0.9"})),
            "expected a list with one number per epoch",
        ),
        (
            three(relu=dataclasses.replace(r, history={**r.history, "accuracy": [0.8, "x", 0.9]})),
            "not a number",
        ),
    ]
    for answer, expected in cases:
        result = ex2.check(answer)
        assert result.status == "failed", (answer, result)
        assert expected in result.message, (expected, result.message)


def test_keras_history_objects_are_explained():
    history = SimpleNamespace(history=run(0.9).history, params={}, model=None)
    result = ex2.check(three(relu=history))
    assert result.status == "failed"
    assert "what model.fit returns" in result.message
    result = ex2.check(history)
    assert result.status == "failed" and "one training history" in result.message
    wrapped = dataclasses.replace(run(0.9), history=history)
    result = ex2.check(three(relu=wrapped))
    assert result.status == "failed" and "history=fit_result.history" in result.message


def test_bad_num_classes_option():
    result = ex2.check(three(), num_classes=1)
    assert result.status == "failed" and "num_classes must be an int" in result.message
    result = ex2.check(three(), classes=10)
    assert result.status == "failed" and "unexpected keyword 'classes'" in result.message


# --------------------------------------------------------------------------- placeholders, errors


class _Stub:
    """A hand-made result whose ``history`` is still being written, or is buggy."""

    def __init__(self, exc):
        self.exc = exc
        self.test_acc = 0.9

    @property
    def history(self):
        raise self.exc


@pytest.mark.parametrize("answer", [None, ...])
def test_placeholders_are_not_attempted(answer):
    result = ex2.check(answer)
    assert result.status == "not_attempted"
    assert "ex2.hint()" in result.message


def test_a_run_raising_not_implemented_is_an_error_not_a_placeholder():
    # Only the untouched placeholder (``...``) is not_attempted; a run of the learner's
    # own class that raises NotImplementedError is their code raising.
    result = ex2.check(three(relu=_Stub(NotImplementedError())))
    assert result.status == "error"
    assert "NotImplementedError" in result.message and "results['relu']" in result.message


def test_raising_answer_is_an_error():
    result = ex2.check(three(tanh=_Stub(ValueError("no history yet"))))
    assert result.status == "error"
    assert "results['tanh'].history" in result.message
    assert "ValueError: no history yet" in result.message


@pytest.mark.parametrize(
    "answer",
    [0, "results", [], {}, {1: 2, 3: 4, 5: 6}, {None: run(), "a": run(), "b": run(0.8)},
     three(relu=SimpleNamespace(history=None, test_acc=None)), lambda: three()],
)
def test_check_never_raises(answer):
    result = ex2.check(answer)
    assert result.status in STATUSES - {"checker_error"}


def test_non_string_keys_are_named_and_kept_apart():
    import tensorflow as tf

    result = ex2.check({tf.nn.relu: run(0.9), tf.nn.elu: run(0.88), "sigmoid": run(0.8)})
    assert result.status == "passed", result.message
    assert "relu 0.870" in result.message
    result = ex2.check({tf.nn.relu: run(0.9), "relu": run(0.2, test=0.1), "tanh": run(0.8)})
    assert result.status == "failed"
    assert "results['relu (2)']: the test accuracy is 0.100" in result.message


def test_strict_mode(monkeypatch):
    monkeypatch.setenv("ACTTUTOR_STRICT", "1")
    with pytest.raises(AssertionError, match="ex2"):
        ex2.check({"relu": run()})
    assert ex2.check(three()).passed


def test_check_time_is_measured(real_results):
    start = time.perf_counter()
    assert ex2.check(real_results).passed
    assert time.perf_counter() - start > 0.0


def test_hints_and_solution():
    assert "compare_activations" in ex2.hint()
    assert "val_accuracy" in ex2.hint(2)
    assert "results = compare_activations(" in ex2.solution()


# --------------------------------------------------------------------------- issue 13: fairness

SETTINGS = {"epochs": 3, "batch_size": 32, "validation_split": 0.1, "n_train": 1437,
            "data_source": "scikit-learn digits", "units": [128, 64, 10]}


def trained(final, activation, *, seed=None, **settings):
    """A run as compare_activations makes it: with its activation, seed and settings."""
    return dataclasses.replace(run(final), activation=activation, seed=seed,
                               settings={**SETTINGS, **settings})


def fair(**overrides):
    results = {"relu": [trained(0.93, "relu")], "tanh": [trained(0.91, "tanh")],
               "sigmoid": [trained(0.85, "sigmoid")]}
    results.update(overrides)
    return results


def test_a_fair_comparison_with_settings_passes():
    result = ex2.check(fair())
    assert result.status == "passed", result.message
    assert "the same data and settings" in result.message


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        (fair(ReLU=[trained(0.92, "relu")]),
         "results['relu'] and results['ReLU'] hold runs of the same activation ('relu'"),
        ({"relu": run(0.93), "ReLU": run(0.92), "tanh": run(0.9)},
         "results['relu'] and results['ReLU'] hold runs of the same activation"),
        (fair(relu=[trained(0.93, "relu", seed=0)] * 3),
         "results['relu'][0] and results['relu'][1] are the same run"),
        (fair(relu=[trained(0.93, "relu", seed=0), trained(0.92, "relu", seed=0)]),
         "were both trained with seed 0"),
        (fair(tanh=[trained(0.91, "tanh", data_source="mnist-10k.npz")]),
         "trained with different data ('scikit-learn digits' and 'mnist-10k.npz')"),
        (fair(tanh=[trained(0.91, "tanh", batch_size=128)]),
         "trained with different batch size (32 and 128)"),
        (fair(tanh=[trained(0.91, "tanh", units=[32, 10])]), "different layer sizes"),
        (fair(tanh=[dataclasses.replace(trained(0.91, "tanh"), test_loss=math.nan)]),
         "test_loss is nan"),
        (three(tanh=dataclasses.replace(run(0.91), history={
            **run(0.91).history, "val_loss": [1.0, math.nan, 0.5]})),
         "the validation loss is nan at epoch 2"),
        (three(tanh=dataclasses.replace(run(0.91), history={
            **run(0.91).history, "accuracy": ["0.81", "0.86", "0.91"]})),
         "history['accuracy'] holds '0.81' (text), not a number"),
        (three(tanh=dataclasses.replace(run(0.91), test_acc="0.88")),
         "test_acc is a str ('0.88'); expected the test accuracy as one number"),
        (three(tanh=dataclasses.replace(run(0.91), history={
            **run(0.91).history, "accuracy": [True, True, True]})), "holds True (bool)"),
        (three(tanh=dataclasses.replace(run(0.91), history={
            **run(0.91).history, "val_accuracy": [0.9, 1.0, 1.2]})),
         "history['val_accuracy'] reaches 1.2, above 1"),
    ],
    ids=["same-activation-two-names", "same-key-spelling", "one-run-as-three-seeds",
         "repeated-seed", "different-data", "different-batch", "different-network",
         "nan-test-loss", "nan-val-loss", "string-accuracy", "string-test-acc",
         "bool-accuracy", "val-accuracy-above-1"],
)
def test_unfair_or_invalid_comparisons_fail(results, expected):
    result = ex2.check(results)
    assert result.status == "failed", result.message
    assert expected in result.message, result.message


def test_above_1_is_not_called_a_percentage():
    result = ex2.check(three(tanh=dataclasses.replace(run(0.91), history={
        **run(0.91).history, "val_accuracy": [0.9, 1.0, 1.2]})))
    assert "percentage" not in result.message


def test_real_runs_of_one_activation_under_two_names_fail(real_results):
    renamed = {**real_results, "ReLU": real_results["relu"]}
    result = ex2.check(renamed)
    assert result.status == "failed"
    assert "same training history" in result.message or "same activation" in result.message


def test_a_comparison_needs_runs_of_its_own_per_seed_but_may_vary_their_number():
    result = ex2.check({"relu": [run(0.9), run(0.91)], "tanh": run(0.88), "sigmoid": run(0.8)})
    assert result.status == "passed"
    assert any("different numbers of seeds" in n for n in result.notes)
