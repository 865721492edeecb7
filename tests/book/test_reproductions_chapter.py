"""Claims of book/reproductions.ipynb, checked against its executed outputs.

Each row's verdict is re-derived here from its measured value and the rule the page
states, and each measurement is checked against the theory the paper gives.
"""

from __future__ import annotations

import math

import pytest

CHAPTER = "book/reproductions.ipynb"
# The rule each row states on the page: (paper, expect, threshold).
RULES = [
    ("Klambauer et al. 2017", "<", 0.2),
    ("He et al. 2015", ">", 1e6),
    ("Glorot & Bengio 2010", "<", 0.1),
    ("Clevert et al. 2016", "<", 1.0),
    ("Hendrycks & Gimpel 2016", "<", 0.0),
]


def _agrees(value: float, expect: str, threshold: float) -> bool:
    return value < threshold if expect == "<" else value > threshold


def test_every_verdict_follows_from_its_measurement(g):
    rows = g["claim_rows"]
    assert [r[0] for r in rows] == [r[0] for r in RULES]
    for (paper, measured, verdict), (_, expect, threshold) in zip(rows, RULES, strict=True):
        assert math.isfinite(measured), paper
        assert verdict == ("agrees" if _agrees(measured, expect, threshold) else
                           "does not agree"), paper
    good = sum(r[2] == "agrees" for r in rows)
    assert g["claims_verdict"].startswith(f"{good} of {len(rows)} claims agree")


def test_measurements_match_their_theory(g):
    rows = {r[0]: r[1] for r in g["claim_rows"]}
    mean, var = g["selu_end"]
    assert rows["Klambauer et al. 2017"] == pytest.approx(math.hypot(mean, var - 1), rel=1e-6)
    # Glorot halves a ReLU signal at each of the 30 layers, He keeps it: about 2^30.
    assert g["he_glorot_ratio"] == pytest.approx(2.0**30, rel=0.9)
    # Gain 1/sqrt(3): chi_1 -> 1/3 as the signal vanishes, so about (1/3)^4 over 4 layers.
    ratios = g["tanh_grad_ratios"]
    assert rows["Glorot & Bengio 2010"] == ratios["standard"]
    assert ratios["standard"] == pytest.approx(3.0**-4, rel=2.0)
    assert ratios["normalised"] > 10 * ratios["standard"]
    ratios = g["mean_ratios"]
    # ReLU of a centred Gaussian: mean / std = (1/sqrt(2 pi)) / sqrt(1/2 - 1/(2 pi)).
    relu_ratio = (1 / math.sqrt(2 * math.pi)) / math.sqrt(0.5 - 1 / (2 * math.pi))
    assert ratios["relu"] == pytest.approx(relu_ratio, rel=0.2)
    assert rows["Clevert et al. 2016"] == pytest.approx(ratios["elu"] / ratios["relu"])
    losses = g["final_losses"]
    gap = losses["gelu"] - min(losses["elu"], losses["relu"])
    assert rows["Hendrycks & Gimpel 2016"] == pytest.approx(gap, abs=1e-6)


def test_at_least_three_figures(nb):
    figures = sum("image/png" in out.get("data", {})
                  for cell in nb.cells for out in cell.get("outputs", []))
    assert figures >= 3
