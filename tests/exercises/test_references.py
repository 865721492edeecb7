"""The checkers' reference activations, and their immunity to a learner replacing NumPy."""

from __future__ import annotations

import numpy as np
import pytest

from acttutor.exercises import references as ref
from acttutor.exercises.implement.relu import implement_relu
from acttutor.exercises.implement.sigmoid import implement_sigmoid

X = np.array([-1000.0, -30.0, -1.0, 0.0, 1e-9, 2.0, 30.0, 1000.0])


def test_references_are_right_and_finite_at_the_extremes() -> None:
    with np.errstate(over="ignore"):
        naive_sigmoid = 1.0 / (1.0 + np.exp(-X))
    np.testing.assert_allclose(ref.sigmoid(X), naive_sigmoid, rtol=1e-12, atol=0)
    np.testing.assert_allclose(ref.tanh(X), np.tanh(X), rtol=0, atol=0)
    np.testing.assert_array_equal(ref.relu(X), np.where(X > 0, X, 0.0))
    np.testing.assert_array_equal(ref.leaky_relu(X, 0.1), np.where(X > 0, X, 0.1 * X))
    rows = ref.softmax(np.array([[1000.0, 999.0], [-1000.0, -1002.0]]))
    np.testing.assert_allclose(rows.sum(axis=-1), 1.0)
    np.testing.assert_allclose(rows[0], [1 / (1 + np.exp(-1.0)), 1 / (1 + np.exp(1.0))])
    whole = ref.softmax(np.array([0.0, np.log(3.0)]), axis=None)
    np.testing.assert_allclose(whole, [0.25, 0.75])


def test_references_use_numpy_as_captured_at_import(monkeypatch: pytest.MonkeyPatch) -> None:
    # A learner's cell that replaced NumPy's functions before the check ran.
    monkeypatch.setattr(np, "exp", lambda v: np.zeros_like(v))
    monkeypatch.setattr(np, "maximum", lambda a, b: np.abs(a))
    monkeypatch.setattr(np, "tanh", lambda v: v)
    assert ref.sigmoid(np.array([0.0]))[0] == 0.5
    assert ref.relu(np.array([-2.0]))[0] == 0.0
    assert ref.tanh(np.array([1000.0]))[0] == 1.0
    # A wrong answer that agrees with the sabotaged NumPy is not passed; the sabotage
    # breaks NumPy itself, and the learner (not acttutor) is told so.
    result = implement_relu.check(lambda x: np.abs(x))
    assert result.status == "error" and "np.maximum" in result.message
    assert "restart the kernel" in result.message


def test_importing_acttutor_captures_numpy() -> None:
    import sys

    import acttutor  # noqa: F401 - the import is the point

    assert "acttutor.exercises.references" in sys.modules


def test_an_answer_that_replaces_np_exp_corrupts_neither_this_check_nor_the_next() -> None:
    real_exp = np.exp

    def sabotage(x):
        np.exp = lambda v: real_exp(0.0 * v)  # every exp is now 1: sigmoid would be 0.5
        return 0.5 + 0.0 * x

    result = implement_sigmoid.check(sabotage)
    assert result.status == "failed" and "expected 0.047425873, got 0.5" in result.message
    assert np.exp is real_exp
    assert implement_sigmoid.check(implement_sigmoid.reference()).passed
