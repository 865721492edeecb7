"""Claims of book/reproductions.ipynb, checked against its executed outputs.

Each row's verdict is re-derived here from its measured value and the rule the page
states, and each measurement is checked against the theory the paper gives.
"""

from __future__ import annotations

import math

import pytest

CHAPTER = "book/reproductions.ipynb"
# The rule each row states on the page: (paper, where, expect, threshold).
RULES = [
    ("Klambauer et al. 2017", "Theorem 1", "<", 0.2),
    ("He et al. 2015", "Sec. 2.2", ">", 1e6),
    ("He et al. 2015", "Fig. 3", "<", 0.1),
    ("Glorot & Bengio 2010", "Sec. 4.2, Fig. 7", "<", 0.1),
    ("Clevert et al. 2016", "Sec. 2", "<", 1.0),
    ("Hendrycks & Gimpel 2016", "Fig. 2", "<", 0.0),
]


def _agrees(value: float, expect: str, threshold: float) -> bool:
    return value < threshold if expect == "<" else value > threshold


def test_every_verdict_follows_from_its_measurement(g):
    rows = g["claim_rows"]
    assert [r[:2] for r in rows] == [list(r[:2]) for r in RULES]
    for (paper, _, measured, verdict), (*_, expect, threshold) in zip(rows, RULES,
                                                                      strict=True):
        assert math.isfinite(measured), paper
        assert verdict == ("agrees" if _agrees(measured, expect, threshold) else
                           "does not agree"), paper
    good = sum(r[3] == "agrees" for r in rows)
    assert g["claims_verdict"].startswith(f"{good} of {len(rows)} claims agree")


def test_measurements_match_their_theory(g):
    rows = {f"{r[0]}, {r[1]}": r[2] for r in g["claim_rows"]}
    mean, var = g["selu_end"]
    assert rows["Klambauer et al. 2017, Theorem 1"] == pytest.approx(math.hypot(mean, var - 1),
                                                                      rel=1e-6)
    # Glorot halves a ReLU signal at each of the 30 layers, He keeps it: about 2^30.
    assert g["he_glorot_ratio"] == pytest.approx(2.0**30, rel=0.9)
    assert rows["He et al. 2015, Sec. 2.2"] == g["he_glorot_ratio"]
    # The 30-layer stack in training: each run's first-to-fifth-epoch drop, as the row says.
    # A network that learns nothing stays at the loss of a uniform guess, ln 10.
    stall = g["stall_losses"]
    assert [len(v) for v in stall.values()] == [5, 5]
    drops = {k: v[0] - v[-1] for k, v in stall.items()}
    assert rows["He et al. 2015, Fig. 3"] == pytest.approx(
        drops["glorot_normal"] / drops["he_normal"], rel=1e-6)
    assert all(v == pytest.approx(math.log(10), abs=0.01) for v in stall["glorot_normal"])
    assert stall["he_normal"][-1] < math.log(10) - 0.05
    # Gain 1/sqrt(3): chi_1 -> 1/3 as the signal vanishes, so about (1/3)^4 over 4 layers.
    ratios = g["tanh_grad_ratios"]
    assert rows["Glorot & Bengio 2010, Sec. 4.2, Fig. 7"] == ratios["standard"]
    assert ratios["standard"] == pytest.approx(3.0**-4, rel=2.0)
    assert ratios["normalised"] > 10 * ratios["standard"]
    ratios = g["mean_ratios"]
    # ReLU of a centred Gaussian: mean / std = (1/sqrt(2 pi)) / sqrt(1/2 - 1/(2 pi)).
    relu_ratio = (1 / math.sqrt(2 * math.pi)) / math.sqrt(0.5 - 1 / (2 * math.pi))
    assert ratios["relu"] == pytest.approx(relu_ratio, rel=0.2)
    assert rows["Clevert et al. 2016, Sec. 2"] == pytest.approx(ratios["elu"] / ratios["relu"])
    losses = g["final_losses"]
    gap = losses["gelu"] - min(losses["elu"], losses["relu"])
    assert rows["Hendrycks & Gimpel 2016, Fig. 2"] == pytest.approx(gap, abs=1e-6)


def test_at_least_three_figures(nb):
    figures = sum("image/png" in out.get("data", {})
                  for cell in nb.cells for out in cell.get("outputs", []))
    assert figures >= 3
