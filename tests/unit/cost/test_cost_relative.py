"""acttutor.cost.relative: the catalog's activations timed relative to ReLU."""

from __future__ import annotations

import math

import pytest

from acttutor.cost import relative_cost


def test_relative_cost_runs_and_is_relative_to_the_baseline():
    costs = relative_cost(["relu", "tanh", "gelu"], size=4096, repeats=2)
    assert costs["relu"] == 1.0
    assert all(math.isfinite(v) and v > 0 for v in costs.values())
    other = relative_cost(["relu"], baseline="tanh", size=1024, repeats=1)
    assert set(other) == {"relu"}


def test_relative_cost_rejects_bad_input():
    with pytest.raises(ValueError, match="Not in CATALOG"):
        relative_cost(["nope"], size=16, repeats=1)
    with pytest.raises(ValueError, match="element-wise"):
        relative_cost(["softmax"], size=16, repeats=1)
    with pytest.raises(ValueError, match="size"):
        relative_cost(["relu"], size=0)




def test_relative_cost_rejects_a_string_and_bad_repeats():
    with pytest.raises(TypeError, match="list such as"):
        relative_cost("relu", size=16, repeats=1)
    with pytest.raises(TypeError, match="list such as"):
        relative_cost(7, size=16, repeats=1)
    with pytest.raises(ValueError, match="repeats must be a positive int"):
        relative_cost(["relu"], size=16, repeats=0)
