"""Claims of book/mnist.ipynb, read from its executed outputs."""

from __future__ import annotations

import re

import numpy as np
import pytest
from nbutils import executed, glued, outputs_text

from acttutor.results import accuracy_verdict, speed_verdict
from acttutor.training import RunResult


CHAPTER = "book/mnist.ipynb"
TUTORIAL = ("relu", "tanh", "sigmoid")
EXTRAS = {"leaky_relu", "elu", "gelu", "silu", "selu"}


@pytest.fixture(scope="module")
def nb():
    return executed(CHAPTER)


@pytest.fixture(scope="module")
def g(nb):
    return glued(nb)


def rebuilt_runs(g) -> dict[str, list[RunResult]]:
    """RunResults rebuilt from the numbers the page glued."""
    return {
        name: [
            RunResult(
                history={"val_accuracy": h["val_accuracy"]},
                test_acc=acc,
                test_loss=0.0,
                seconds=sum(h["epoch_seconds"]),
                epoch_seconds=h["epoch_seconds"],
            )
            for acc, h in zip(g["test_accs"][name], g["histories"][name], strict=True)
        ]
        for name in g["test_accs"]
    }


def test_data_source_is_printed(nb, g):
    text = outputs_text(nb)
    line = re.search(r"^source: (.+)$", text, re.MULTILINE)
    assert line, "the page must print the data source"
    assert line.group(1).strip() == g["data_source"]
    assert any(k in g["data_source"] for k in (".npz", "keras mnist", "offline stand-in"))
    if "offline stand-in" in g["data_source"]:
        assert "OFFLINE STAND-IN" in text  # the stand-in announces itself on the page


def test_experiment_size(g):
    accs = g["test_accs"]
    assert set(TUTORIAL) <= set(accs)
    assert len(accs) >= 6 and len(EXTRAS & set(accs)) >= 3
    assert all(len(v) >= 3 for v in accs.values())
    assert all(0.0 <= a <= 1.0 for v in accs.values() for a in v)
    assert g["n_runs"] == sum(len(v) for v in accs.values())


def test_tutorial_runs_are_reused_not_retrained(g):
    for name in TUTORIAL:
        assert g["tutorial_accs"][name] == g["test_accs"][name][0]
    assert g["n_reused"] == len(TUTORIAL)
    best_single = max(g["tutorial_accs"], key=g["tutorial_accs"].get)
    assert g["tutorial_first"] == best_single


def test_accuracy_conclusion_follows_from_the_numbers(g):
    accs = {n: np.array(v) for n, v in g["test_accs"].items()}
    means = {n: v.mean() for n, v in accs.items()}
    ranked = sorted(means, key=means.get, reverse=True)
    best, second = ranked[:2]
    assert g["best"] == best
    assert g["gap"] == pytest.approx(means[best] - means[second], abs=1e-9)
    spread = max(accs[best].std(ddof=1), accs[second].std(ddof=1))
    assert g["spread"] == pytest.approx(spread, abs=1e-9)
    real_lead = means[best] - means[second] > spread and accs[best].min() > accs[second].max()
    text = g["acc_verdict"]
    assert text.startswith(f"{best} has the highest mean test accuracy ({means[best]:.4f})")
    assert ("the lead holds" in text) == real_lead
    assert ("do not separate" in text) == (not real_lead)
    # The page's sentence is exactly what the library computes from the page's numbers.
    assert text == accuracy_verdict(rebuilt_runs(g)).text


def test_relu_ranking_sentence(g):
    accs = {n: np.array(v) for n, v in g["test_accs"].items()}
    means = {n: v.mean() for n, v in accs.items()}
    ranked = sorted(means, key=means.get, reverse=True)
    rank = ranked.index("relu") + 1
    text = g["relu_acc_text"]
    if rank == 1:
        assert text.startswith("ReLU has the best")
        return
    assert text.startswith(f"ReLU ranks {rank} of {len(means)}")
    best, relu = accs[ranked[0]], accs["relu"]
    lead_holds = (
        best.mean() - relu.mean() > max(best.std(ddof=1), relu.std(ddof=1))
        and best.min() > relu.max()
    )
    assert text.endswith("lead over it holds") == lead_holds
    assert text.endswith("do not separate it from the best") == (not lead_holds)


def test_speed_claim_is_tested_both_ways(g):
    ratios = g["epoch_ratio"]
    assert ratios["relu"] == pytest.approx(1.0)
    assert set(ratios) == set(g["test_accs"]) and all(r > 0 for r in ratios.values())
    text = g["speed_verdict"]
    assert "Time per epoch" in text and f"val_accuracy ≥ {g['target']:g}" in text
    assert text == speed_verdict(rebuilt_runs(g), "relu", target=g["target"]).text
    # The target is one every activation reaches on average by its last epoch.
    finals = [np.mean([h["val_accuracy"][-1] for h in hs]) for hs in g["histories"].values()]
    assert g["target"] <= min(finals) < g["target"] + 0.01 + 1e-9


def test_prose_uses_the_computed_verdicts(nb):
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for name in ("acc_verdict", "relu_acc_text", "speed_verdict", "tutorial_first", "n_fit"):
        assert f"{{glue:text}}`{name}`" in prose
    # No hand-typed results: accuracies or timings never appear as literals in the prose.
    assert not re.search(r"\b0\.\d{2,}", prose)
    assert not re.search(r"\d+(\.\d+)? ?s per epoch", prose)
    assert "Trimmed" in prose  # the page says what it left out


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
    assert pngs >= 3  # tutorial curves, every run's test accuracy, all curves


def test_results_table_has_one_row_per_activation(nb, g):
    tables = [
        out["data"]["text/html"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "acttutor-table" in out.get("data", {}).get("text/html", "")
    ]
    assert len(tables) == 1
    assert tables[0].count("<tr>") == len(g["test_accs"]) + 1
    assert "±" in tables[0]
