"""acttutor.cost.ops: the full-size ops of a function, their traffic, and the rule."""

from __future__ import annotations

import math

import pytest
import tensorflow as tf

from acttutor import cost
from acttutor.activations import CATALOG
from acttutor.cost.ops import MEMORY_BOUND_MAX, classify, kernels, traffic


def test_kernels_lists_the_full_size_ops_in_order():
    assert kernels(tf.nn.relu) == ["Relu"]
    assert kernels(lambda x: tf.nn.relu6(x + 3.0) / 6.0) == ["AddV2", "Relu6", "RealDiv"]
    assert kernels(lambda x: x) == []
    # A reduction to a scalar is not a full-size pass.
    assert kernels(lambda x: x - tf.reduce_mean(x)) == ["Sub"]


@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        (tf.nn.relu, 1.0),
        (lambda x: x * tf.sigmoid(x), 2.5),  # Sigmoid 4+4 bytes, Mul 4+4+4
        (lambda x: tf.where(x > 1.0, x, 0.0), 1.75),  # Greater 4+1, SelectV2 1+4+4
        (lambda x: x, 0.0),
        (lambda x: tf.nn.relu(x) + tf.nn.relu(-x), 4.5),  # Relu, Neg, Relu: 1 each; Add 1.5
    ],
)
def test_traffic_counts_bytes_in_units_of_one_copy(fn, expected):
    assert traffic(fn) == pytest.approx(expected)


def test_traffic_of_catalog_functions_matches_their_kernels():
    assert traffic(CATALOG["relu"].fn) == 1.0
    assert traffic(CATALOG["hard_sigmoid"].fn) == pytest.approx(3.0)
    assert len(kernels(CATALOG["soft_shrink"].fn)) >= 3


def test_classify_applies_the_stated_rule():
    assert classify(1.0, 1.0) == "memory"
    assert classify(MEMORY_BOUND_MAX, 1.0) == "memory"  # the boundary is memory-bound
    assert classify(MEMORY_BOUND_MAX * 1.01, 1.0) == "compute"
    assert classify(6.0, 5.0) == "memory"  # five passes at memory speed
    assert classify(6.0, 1.0) == "compute"
    assert classify(2.0, 1.0, limit=3.0) == "memory"


@pytest.mark.parametrize(("fwd", "moved"), [(0.0, 1.0), (1.0, 0.0), (math.nan, 1.0),
                                            (1.0, math.inf), (-2.0, 1.0)])
def test_classify_rejects_ratios_that_are_not_finite_positive(fwd, moved):
    with pytest.raises(ValueError, match="finite positive"):
        classify(fwd, moved)


def test_module_constants_are_consistent():
    assert cost.MEMORY_BOUND_MAX > 1.0
    assert {"Exp", "Tanh", "Sigmoid", "Erfc", "Pow"} <= cost.SPECIAL_OPS
    assert "Relu" not in cost.SPECIAL_OPS
