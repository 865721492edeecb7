"""Claims of book/gated.ipynb, read from its executed outputs.

The page glues every run's test accuracy; the tests rebuild the comparison from
those numbers with acttutor's own helpers and check that the printed table and
verdicts are what they compute, that a verdict of "better" or "worse" appears only
where the interval excludes 0, and that the parameter counts, the ``glu`` relation
and the settings the prose names are what the page printed.
"""

from __future__ import annotations

import re

import keras
import numpy as np
import pytest
from nbutils import glued

from acttutor.comparison import compare_to_best, standing_verdict
from acttutor.gated import GATES, GEGLU, GLU, ReGLU, SwiGLU
from acttutor.run_result import RunResult

CHAPTER = "book/gated.ipynb"
KINDS = ["relu", "gelu", "glu", "geglu", "swiglu"]


@pytest.fixture(scope="module")
def runs(nb):
    g = glued(nb)
    return {k: [RunResult(history={"val_accuracy": [a]}, test_acc=a, test_loss=0.0, seconds=0.0,
                          seed=s) for s, a in zip(g["seeds"], accs, strict=True)]
            for k, accs in g["test_acc"].items()}


def test_settings_the_prose_names(nb, runs):
    g = glued(nb)
    assert list(runs) == KINDS  # ReLU, GELU, GLU, GEGLU, SwiGLU; ReGLU left out
    assert g["seeds"] == [0, 1, 2] and g["epochs"] == 2  # "three seeds", "two epochs"
    assert all(0.1 < a <= 1.0 for accs in g["test_acc"].values() for a in accs)  # above chance


def test_at_least_three_figures(nb):
    images = sum("image/png" in out.get("data", {})
                 for c in nb.cells for out in c.get("outputs", []))
    assert images >= 3


def test_the_page_shows_the_block_and_each_variants_gate(text):
    assert "return self.w2(self.gate(self.w(x)) * self.v(x))" in text
    assert str({cls.__name__: cls.GATE for cls in (GLU, ReGLU, GEGLU, SwiGLU)}) in text
    assert [GLU.GATE, ReGLU.GATE, GEGLU.GATE, SwiGLU.GATE] == list(GATES.values())

def test_glu_splits_the_last_axis_and_gates(text):
    line = re.search(r"largest difference from a \* sigmoid\(b\): (.+)", text).group(1)
    assert "differ" not in line
    z = np.random.default_rng(0).normal(size=(4, 6)).astype("float32")
    a, b = z[:, :3].astype(np.float64), z[:, 3:].astype(np.float64)
    np.testing.assert_allclose(np.asarray(keras.activations.glu(z)), a / (1 + np.exp(-b)),
                               rtol=1e-5, atol=1e-7)


def test_the_glu_layer_is_glu_of_one_fused_projection(text):
    assert "fused kernel shape: (8, 24)" in text  # (d_model, 2 d_ff) for GLU(8, 12)
    line = re.search(r"largest difference from the GLU layer: (.+)", text).group(1)
    assert "differ" not in line and ("exactly 0" in line or "round-off" in line)


def test_parameter_counts_are_matched(text):
    rows = re.findall(r"(\w+): hidden width\s+(\d+), block\s+(\d+) weights, whole model\s+(\d+)",
                      text)
    counts = {kind: (int(h), int(b), int(m)) for kind, h, b, m in rows}
    assert set(counts) == {"relu", "gelu", "glu", "reglu", "geglu", "swiglu"}
    d_model, d_ff = 32, 4 * 32
    for kind, (hidden, block, _) in counts.items():
        gated = kind not in ("relu", "gelu")
        assert hidden == (round(2 * d_ff / 3) if gated else d_ff)
        assert block == (3 if gated else 2) * d_model * hidden
        assert abs(block / (2 * d_model * d_ff) - 1) < 0.01  # "the same parameter budget"
    totals = {m for _, _, m in counts.values()}
    assert max(totals) < 20_000  # "under twenty thousand weights"
    assert counts["relu"][2] - counts["swiglu"][2] == counts["relu"][1] - counts["swiglu"][1]


def test_comparison_text_is_what_acttutor_computes(text, runs):
    comparison = compare_to_best(runs, metric="test_acc", quantity="test accuracy")
    assert comparison.text in text
    assert standing_verdict(comparison, "swiglu", "SwiGLU") + "." in text
    assert standing_verdict(comparison, "relu", "ReLU") + "." in text


def test_verdict_words_follow_the_intervals(text, runs):
    comparison = compare_to_best(runs, metric="test_acc", quantity="test accuracy")
    for name, d in comparison.differences.items():
        if d.excludes_zero:
            assert f"{name} is worse than {comparison.best}" in text
            assert not d.low <= 0 <= d.high
        else:
            assert f"{name} and {comparison.best} cannot be told apart" in text
            assert d.low <= 0 <= d.high
    table = re.findall(r"^(\w+)\s+[\d.]+\s+[+-][\d.]+\s+([+-][\d.]+) to ([+-][\d.]+)\s+"
                       r"(below the best|not separated|above the best)$", text, flags=re.M)
    assert len(table) == len(KINDS) - 1
    for _, low, high, verdict in table:
        assert (verdict == "not separated") == (float(low) <= 0 <= float(high))
