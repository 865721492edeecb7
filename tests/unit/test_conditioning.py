"""acttutor.conditioning: E[ã ãᵀ] and its condition number for centred and uncentred inputs."""

from __future__ import annotations

import numpy as np
import pytest

from acttutor.conditioning import (
    augmented_second_moment,
    condition_number,
    conditioning_verdict,
    input_conditioning,
    match_second_moment,
)

RNG = np.random.default_rng(1)
Z = RNG.standard_normal((50_000, 8))


def test_second_moment_has_the_bias_row_and_column():
    a = RNG.standard_normal((100, 3))
    h = augmented_second_moment(a)
    assert h.shape == (4, 4)
    np.testing.assert_allclose(h[:3, :3], a.T @ a / 100)
    np.testing.assert_allclose(h[3, :3], a.mean(axis=0))
    assert h[3, 3] == 1.0
    assert augmented_second_moment(a, bias=False).shape == (3, 3)


def test_uncentred_inputs_are_worse_conditioned_and_the_bias_does_not_fix_it():
    relu = np.maximum(Z, 0.0)
    centred = relu - relu.mean(axis=0)
    # Centred, independent inputs of variance v: E[a~ a~^T] = diag(v, ..., v, 1).
    variance = 0.5 - 1 / (2 * np.pi)
    assert condition_number(centred) == pytest.approx(1 / variance, rel=0.05)
    assert condition_number(relu) > 5 * condition_number(centred)
    # Growing the shared mean keeps making it worse, even at a fixed E[a^2].
    conds = [condition_number(match_second_moment(np.tanh(Z) + s, np.tanh(Z)))
             for s in (0.0, 0.5, 1.0, 2.0)]
    assert conds == sorted(conds) and conds[-1] > 20 * conds[0]


def test_theory_for_independent_standard_normal_inputs():
    # Centred, unit variance: E[a a~^T] is close to the identity, so kappa is close to 1.
    assert condition_number(Z) == pytest.approx(1.0, abs=0.1)
    # Mean m on each of n inputs: the eigenvalue along the mean grows like n m^2.
    assert condition_number(Z + 3.0) > 8 * 9


def test_match_second_moment():
    a = RNG.standard_normal((200, 2)) + 1.0
    ref = RNG.standard_normal((300, 2))
    matched = match_second_moment(a, ref)
    assert np.mean(matched**2) == pytest.approx(np.mean(ref**2))
    np.testing.assert_allclose(matched / a, (matched / a)[0, 0])
    with pytest.raises(ValueError, match="all zeros"):
        match_second_moment(np.zeros((3, 2)), ref)


def test_input_conditioning_row():
    row = input_conditioning(np.tanh(Z) + 1.0)
    assert row.mean == pytest.approx(1.0, abs=0.01)
    assert row.mean_square == pytest.approx(1.0 + np.mean(np.tanh(Z) ** 2), abs=0.01)
    assert row.condition == condition_number(np.tanh(Z) + 1.0)


def test_singular_inputs_give_infinity():
    assert condition_number(np.ones((10, 2))) == float("inf")


@pytest.mark.parametrize("bad", [np.ones(5), np.ones((1, 3)), np.array([[np.nan, 1.0]] * 3)])
def test_bad_inputs_get_a_clear_message(bad):
    with pytest.raises(ValueError, match="condition_number|augmented_second_moment|finite"):
        condition_number(bad)


def test_conditioning_verdict():
    assert "25×" in conditioning_verdict(2.0, 50.0)
    assert "little difference" in conditioning_verdict(2.0, 3.0)
    with pytest.raises(ValueError, match=">= 1"):
        conditioning_verdict(0.5, 3.0)
    with pytest.raises(TypeError):
        conditioning_verdict("2", 3.0)
