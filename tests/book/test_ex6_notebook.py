"""The ex6 notebook's claims, read from its executed version (the placeholder in place)."""

from __future__ import annotations

import math
import re

import numpy as np
from nbutils import executed, outputs_text

EX6 = "book/exercises/ex6_cross_entropy.ipynb"


def test_the_loss_table_agrees_with_an_independent_computation():
    text = outputs_text(executed(EX6))
    assert "measured with Keras's loss" in text  # the placeholder: Keras stands in
    rows = re.findall(r"yours\s+(\S+)\s+Keras\s+(\S+)\s+naive\s+(\S+)", text)
    logits = [[2.0, -1.0, 0.5], [30.0, 0.0, -30.0], [1000.0, -1000.0, 0.0]]
    labels = [0, 1, 1]
    assert len(rows) == len(logits)
    for (yours, keras_value, naive), row, label in zip(rows, logits, labels, strict=True):
        m = max(row)
        want = m + math.log(math.fsum(math.exp(v - m) for v in row)) - row[label]
        assert float(yours) == float(keras_value)
        assert abs(float(yours) - want) <= 5e-5 + 1e-7 * want  # printed to 4 decimals
        overflows = max(row) > math.log(np.finfo(np.float64).max)
        assert (naive in ("nan", "inf")) == overflows, (row, naive)
        if not overflows:
            assert math.isclose(float(naive), want, rel_tol=1e-5, abs_tol=1e-6)


def test_the_last_finite_spread_is_where_float64_underflows():
    text = outputs_text(executed(EX6))
    shown = float(re.search(r"finite up to a spread of (\S+)", text).group(1))
    grid = np.linspace(0.0, 2000.0, 81)
    want = max(s for s in grid if math.exp(-s) > 0.0)  # math, not NumPy: an independent route
    assert shown == want
