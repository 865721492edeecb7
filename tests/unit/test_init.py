"""acttutor.setup(): seeds, the colour-blind-safe plot style and a clear message for bad seeds."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest
import tensorflow as tf

import acttutor


def test_setup_makes_random_draws_repeatable() -> None:
    acttutor.setup(seed=3)
    first = (np.random.rand(3), tf.random.uniform((3,)).numpy())
    acttutor.setup(seed=3)
    second = (np.random.rand(3), tf.random.uniform((3,)).numpy())
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_setup_sets_the_colour_blind_safe_palette() -> None:
    acttutor.setup()
    colours = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    assert colours[: len(acttutor.PALETTE)] == list(acttutor.PALETTE)


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_setup_rejects_bad_seeds(seed) -> None:
    with pytest.raises(ValueError, match="non-negative int"):
        acttutor.setup(seed=seed)
