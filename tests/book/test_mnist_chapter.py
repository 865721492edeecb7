"""Claims of book/mnist.ipynb, read from its executed outputs.

The page glues every run's numbers (``sweep_record``); the tests rebuild the runs
from them and check that each sentence is what acttutor computes from those numbers,
that a verdict of "better" or "worse" appears only where the interval excludes 0,
that every choice was made on the validation split, and that the test split is
reported once.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from nbutils import outputs_text

from acttutor.comparison import (
    compare_to_best,
    speed_verdict_words,
    standing_verdict,
    target_verdict,
)
from acttutor.results import common_target
from acttutor.stats import MIN_PAIRS
from acttutor.sweep import at_best_rates, at_rate, best_rates, edge_verdict
from acttutor.training import RunResult

CHAPTER = "book/mnist.ipynb"
TUTORIAL = ("relu", "tanh", "sigmoid")
EXTRAS = {"leaky_relu", "elu", "gelu", "silu", "selu"}
VERDICT_WORDS = re.compile(r"\b(better|worse|faster|slower|really)\b")


@pytest.fixture(scope="module")
def sweep(g):
    """The page's sweep, rebuilt from the numbers it glued."""
    return {
        name: {
            float(rate): [
                RunResult(
                    history={"val_accuracy": r["val_accuracy"]},
                    test_acc=r["test_acc"],
                    test_loss=0.0,
                    seconds=sum(r["epoch_seconds"]),
                    seed=r["seed"],
                    epoch_seconds=r["epoch_seconds"],
                )
                for r in runs
            ]
            for rate, runs in by_rate.items()
        }
        for name, by_rate in g["sweep_record"].items()
    }


@pytest.fixture(scope="module")
def baseline_rate(g):
    return float(g["baseline_rate"])


def prose(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_data_source_is_printed(nb, g):
    text = outputs_text(nb)
    line = re.search(r"^source: (.+)$", text, re.MULTILINE)
    assert line, "the page must print the data source"
    assert line.group(1).strip() == g["data_source"]
    assert any(k in g["data_source"] for k in (".npz", "keras mnist", "offline stand-in"))
    if "offline stand-in" in g["data_source"]:
        assert "OFFLINE STAND-IN" in text  # the stand-in announces itself on the page


def test_experiment_size(g, sweep):
    assert set(TUTORIAL) <= set(sweep) and len(sweep) >= 6 and len(EXTRAS & set(sweep)) >= 3
    rates = {tuple(by_rate) for by_rate in sweep.values()}
    assert len(rates) == 1 and len(next(iter(rates))) >= 3  # the same rates for everyone
    seeds = {tuple(r.seed for r in runs) for by_rate in sweep.values()
             for runs in by_rate.values()}
    assert len(seeds) == 1, "every setting needs the same seeds to be paired"
    assert g["n_seeds"] == len(next(iter(seeds))) >= max(MIN_PAIRS, 5)
    assert g["n_runs"] == sum(len(r) for b in sweep.values() for r in b.values())
    assert g["n_trained"] == g["n_runs"] + len(TUTORIAL)
    assert all(len(r.history["val_accuracy"]) == g["sweep_epochs"]
               for b in sweep.values() for runs in b.values() for r in runs)
    assert all(0.0 <= r.test_acc <= 1.0 for b in sweep.values() for rs in b.values() for r in rs)


def test_tutorial_ranking_is_on_validation(g):
    vals = g["tutorial_vals"]
    assert set(vals) == set(TUTORIAL) and set(g["tutorial_accs"]) == set(TUTORIAL)
    assert g["tutorial_first"] == max(vals, key=vals.get)


def test_target_is_computed_and_its_reach_counted(nb, g, sweep, baseline_rate):
    fixed = at_rate(sweep, baseline_rate)
    target = common_target(fixed)
    assert g["target"] == f"{target:.2f}"
    assert g["target_text"] == target_verdict(fixed, target)
    reached = sum(r.epochs_to_reach(target) is not None for rs in fixed.values() for r in rs)
    total = sum(len(rs) for rs in fixed.values())
    assert g["target_text"].startswith(f"{reached} of {total} runs reached")
    text = " ".join(prose(nb).split())  # the prose wraps its lines anywhere
    assert "{glue:text}`target_text`" in text
    # The false claim is quoted once, as a common claim, and never stated as true.
    assert text.count("so that every activation can reach it") == 1
    assert "a mean is not a floor" in text


def paired_checks(comparison, text) -> None:
    assert text == comparison.text
    sentences = re.split(r"\.\s", text)  # a decimal point is never followed by a space
    for d in comparison.differences.values():
        (words,) = [s for s in sentences if s.startswith((f"{d.name} is ", f"{d.name} and "))]
        assert bool(VERDICT_WORDS.search(words)) == d.excludes_zero, words
        assert ("includes 0" in words) == (not d.excludes_zero), words


def test_fixed_rate_verdict_is_paired_and_on_validation(g, sweep, baseline_rate):
    fixed = at_rate(sweep, baseline_rate)
    comparison = compare_to_best(fixed)
    means = {n: np.mean([r.history["val_accuracy"][-1] for r in rs]) for n, rs in fixed.items()}
    assert comparison.best == g["fixed_best"] == max(means, key=means.get)
    paired_checks(comparison, g["fixed_verdict"])
    assert g["relu_fixed_text"] == standing_verdict(comparison)


def test_each_rate_is_chosen_on_validation_and_compared_paired(g, sweep):
    chosen = best_rates(sweep)
    for name, by_rate in sweep.items():
        means = {rate: np.mean([r.history["val_accuracy"][-1] for r in runs])
                 for rate, runs in by_rate.items()}
        assert chosen[name] == max(means, key=means.get)
    comparison = compare_to_best(at_best_rates(sweep))
    paired_checks(comparison, g["best_verdict"])
    assert g["relu_best_text"] == standing_verdict(comparison)
    assert g["edge_text"] == edge_verdict(sweep)
    assert g["winner"] == comparison.best
    assert float(g["winner_rate"]) == pytest.approx(chosen[comparison.best])


def test_the_test_split_is_reported_once_for_the_chosen_setting(nb, g, sweep):
    runs = sweep[g["winner"]][float(g["winner_rate"])]
    tests = [r.test_acc for r in runs]
    assert g["chosen_tests"] == tests
    assert g["chosen_test"] == f"{np.mean(tests):.4f}"
    text = prose(nb)
    assert text.count("{glue:text}`chosen_test`") == 1
    # No other test accuracy reaches the prose.
    assert "{glue:text}`tutorial_accs`" not in text
    printed = [ln for ln in outputs_text(nb).splitlines() if "test accuracy" in ln]
    tutorial_lines = [ln for ln in printed if ln.split()[0] in TUTORIAL]
    assert len(printed) - len(tutorial_lines) == 1  # the chosen setting's line


def test_speed_claim_is_paired_and_has_no_epochs_to_target(nb, g, sweep, baseline_rate):
    fixed = at_rate(sweep, baseline_rate)
    times, early, text = speed_verdict_words(fixed, "relu")
    assert g["speed_text"] == text
    assert "Time per epoch, paired over" in text and "after the first epoch" in text
    tables = [
        out["data"]["text/html"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "acttutor-table" in out.get("data", {}).get("text/html", "")
    ]
    assert not any("epochs to" in t for t in tables)


def test_prose_explains_the_intervals_and_states_the_seeds(nb):
    text = " ".join(prose(nb).split())
    for name in ("n_seeds", "fixed_verdict", "best_verdict", "relu_fixed_text",
                 "relu_best_text", "speed_text", "tutorial_first", "n_fit", "winner"):
        assert f"{{glue:text}}`{name}`" in text, name
    assert "percentile-bootstrap" in text and "includes 0" in text
    assert "cannot tell the two" in text  # what an interval including 0 means
    # No hand-typed results: accuracies or timings never appear as literals in the prose.
    assert not re.search(r"\b0\.\d{2,}", text)
    assert not re.search(r"\d+(\.\d+)? ?s per epoch", text)
    assert "Trimmed" in text  # the page says what it left out
    assert "the tutorial says" not in text.lower()


def test_outputs_are_clean(nb):
    pngs = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert not (out.get("output_type") == "stream" and out.get("name") == "stderr"), (
                out.get("text", "")[:300]
            )
            assert out.get("output_type") != "error"
            data = out.get("data", {})
            assert "application/vnd.jupyter.widget-view+json" not in data
            if out.get("output_type") == "stream":
                assert "/step" not in out["text"], "no Keras progress bars in the book"
            pngs += "image/png" in data
    assert pngs >= 3  # tutorial curves, all curves, paired differences


def test_tables_have_one_row_per_activation(nb, g, sweep):
    tables = [
        out["data"]["text/html"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "acttutor-table" in out.get("data", {}).get("text/html", "")
    ]
    assert len(tables) == 4  # baseline, paired at baseline, rates, paired at best rates
    assert all(t.count("<tr>") == len(sweep) + 1 for t in tables)
    assert "±" in tables[0] and "validation accuracy" in tables[0]
