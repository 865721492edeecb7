"""The output layers and losses chapter: every printed or glued claim, checked independently.

Reads the executed notebook (``nbutils.executed``) and recomputes each claim by another
route: the standard library instead of NumPy, formulas instead of TensorFlow, the
direction of the papers' results instead of typed numbers.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from nbutils import glued

CHAPTER = "book/outputs_losses.ipynb"


def _number(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    assert match, pattern
    return float(match.group(1))


def test_no_errors_or_stray_stderr(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", cell.source
            assert not (out.get("output_type") == "stream" and out.get("name") == "stderr"), (
                cell.source, out.get("text"))


def test_at_least_three_figures(nb):
    figures = sum("image/png" in out.get("data", {})
                  for cell in nb.cells for out in cell.get("outputs", []))
    assert figures >= 3


def test_poisson_loss_matches_its_formula(text):
    counts, z = [0.0, 2.0, 5.0, 1.0], [-0.5, 0.8, 1.4, 0.1]
    want = math.fsum(math.exp(v) - y * v for y, v in zip(counts, z, strict=True)) / 4
    nll = want + math.fsum(math.log(math.factorial(int(y))) for y in counts) / 4
    assert _number(r"Keras Poisson loss\s+(\S+)", text) == pytest.approx(want, abs=1e-5)
    assert _number(r"lambda - y log lambda\s+(\S+)", text) == pytest.approx(want, abs=1e-6)
    assert _number(r"-log Poisson likelihood\s+(\S+)", text) == pytest.approx(nll, abs=1e-6)


def test_gradients_match_the_formulas_and_mse_stalls(text):
    mse_err = _number(r"max \|tape - formula\|: MSE (\S+),", text)
    bce_err = _number(r"cross-entropy (\S+)\n", text)
    assert mse_err < 1e-8 and bce_err < 1e-8
    p = 1.0 / (1.0 + math.exp(8.0))  # sigma(-8), target 1
    mse = _number(r"at z = -8: MSE gradient (\S+),", text)
    bce = _number(r"cross-entropy gradient (\S+)", text)
    assert mse == pytest.approx((p - 1) * p * (1 - p), rel=1e-2)
    assert bce == pytest.approx(p - 1, abs=1e-4)
    assert abs(bce) > 100 * abs(mse)  # the confident mistake: MSE barely pushes


def test_the_logit_routes_and_the_probability_routes(text):
    rows = dict(re.findall(r"^\s*(log_softmax|from_logits=True|probabilities in|"
                           r"-log\(softmax\) by hand): \[(.*)\]", text, re.M))
    values = {k: [float(v) for v in s.split()] for k, s in rows.items()}
    second = math.log(math.exp(4) + math.exp(1) + 1) - 4
    true_first = 2000.0 + math.log1p(math.exp(-1000.0))
    for name in ("log_softmax", "from_logits=True"):
        assert values[name][0] == pytest.approx(true_first, rel=1e-6)
    for name in values:
        assert values[name][1] == pytest.approx(second, rel=1e-5)
    # Keras clips probabilities to its epsilon (1e-7) before the log: a capped loss
    assert values["probabilities in"][0] == pytest.approx(-math.log(1e-7), rel=1e-3)
    assert math.isinf(values["-log(softmax) by hand"][0])


def test_float16_threshold_and_softmax(nb, text):
    threshold = math.log(65504.0)
    assert glued(nb)["f16_threshold"] == f"{threshold:.2f}"
    assert f"exp(z) overflows for z > {threshold:.2f}" in text
    hand = re.search(r"hand-written exp / sum: (\[.*\])", text).group(1)
    assert "nan" in hand.split("], [")[1]  # above the threshold: inf / inf
    assert "nan" not in hand.split("], [")[0]
    soft = eval(re.search(r"tf.nn.softmax:\s+(\[.*\])", text).group(1))  # noqa: S307
    assert all(math.isfinite(v) for row in soft for v in row)
    assert soft[1][1] == pytest.approx(1 / (1 + math.exp(threshold + 0.1)), rel=1e-2)


def test_mixed_precision_policy(text):
    assert "policy alone: output <dtype: 'float16'>" in text
    assert "output layer in float32: output <dtype: 'float32'>" in text
    assert "global policy now: float32" in text


def test_bfloat16_has_float32s_range(text):
    import ml_dtypes

    bf16 = float(ml_dtypes.finfo(ml_dtypes.bfloat16).max)
    shown = _number(r"bfloat16: max (\S+),", text)
    assert shown == pytest.approx(bf16, rel=1e-3)
    assert _number(r"bfloat16: max \S+, exp overflows for z > (\S+)", text) == pytest.approx(
        math.log(bf16), abs=0.01)
    assert _number(r"float32: max \S+, exp overflows for z > (\S+)", text) == pytest.approx(
        math.log(float(np.finfo(np.float32).max)), abs=0.01)


def test_calibration_claims(nb, text):
    g = glued(nb)
    t = _number(r"T = (\S+)\n", text)
    assert g["temperature"] == f"{t:.2f}" and t > 0
    assert "predictions unchanged by T: True" in text  # dividing by T > 0 keeps the argmax
    assert _number(r"test accuracy (\S+)%", text) > 80
    before = _number(r"test ECE: (\S+)% before", text) / 100
    after = _number(r"test ECE: \S+% before, (\S+)% after", text) / 100
    verdict = g["calib_verdict"]
    assert verdict in text
    # the verdict's word follows from the two numbers (the helper's margin is 0.2 points)
    if after < before - 0.0025:
        assert "lowered" in verdict
    elif after > before + 0.0025:
        assert "raised" in verdict
    assert f"{before:.1%}" in verdict and f"{after:.1%}" in verdict


def test_multi_label_example(text):
    z = [3.0, 2.5, -2.0]
    sig = [1 / (1 + math.exp(-v)) for v in z]
    e = [math.exp(v) for v in z]
    soft = [v / sum(e) for v in e]
    assert "-> ['cat', 'dog']" in text  # both true labels above 0.5 with sigmoids
    assert sum(p > 0.5 for p in soft) == 1 and "softmax: " in text
    assert re.search(r"softmax: .* -> \['cat'\]", text)
    bce = -(math.log(sig[0]) + math.log(sig[1]) + math.log(1 - sig[2])) / 3
    assert _number(r"binary cross-entropy of the sigmoids: (\S+)", text) == pytest.approx(
        bce, abs=1e-4)
