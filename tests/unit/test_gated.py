"""Unit tests of acttutor.gated: the gated blocks, parameter matching, the tiny Transformer."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from acttutor.data import Dataset
from acttutor.gated import (
    FFN_KINDS,
    GATES,
    GEGLU,
    GLU,
    GatedFeedForward,
    ReGLU,
    SwiGLU,
    feed_forward,
    matched_hidden,
    pooled_rows,
    same_values_verdict,
    tiny_transformer,
)

SILU = lambda z: z / (1 + np.exp(-z))  # noqa: E731


def _kernels(block):
    return (np.asarray(block.w.kernel), np.asarray(block.v.kernel), np.asarray(block.w2.kernel))


@pytest.mark.parametrize(("cls", "gate"), [
    (GLU, lambda z: 1 / (1 + np.exp(-z))), (ReGLU, lambda z: np.maximum(z, 0)),
    (SwiGLU, SILU),
])
def test_each_variant_computes_its_formula_from_its_own_kernels(cls, gate):
    block = cls(4, 6)
    x = np.random.default_rng(0).normal(size=(2, 3, 4)).astype("float32")
    got = np.asarray(block(x), dtype=np.float64)
    w, v, w2 = (k.astype(np.float64) for k in _kernels(block))
    x = x.astype(np.float64)
    np.testing.assert_allclose(got, (gate(x @ w) * (x @ v)) @ w2, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("cls", [GLU, ReGLU, GEGLU, SwiGLU])
def test_each_variant_rebuilds_from_its_config(cls):
    block = cls(4, 6, name="block")
    again = cls.from_config(block.get_config())
    assert (type(again), again.gate_name, again.d_model, again.d_ff) == (cls, cls.GATE, 4, 6)
    assert again.name == "block"


def test_geglu_uses_exact_gelu():
    block = GEGLU(3, 5)
    x = np.linspace(-3, 3, 6, dtype="float32").reshape(1, 2, 3)
    got = np.asarray(block(x))
    w, v, w2 = _kernels(block)
    want = (np.asarray(keras.activations.gelu(x @ w, approximate=False)) * (x @ v)) @ w2
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)


def test_gated_block_has_three_kernels_and_no_bias():
    block = GatedFeedForward(8, 12, gate="silu")
    block(np.zeros((1, 2, 8), "float32"))
    assert sorted(tuple(w.shape) for w in block.trainable_weights) == [(8, 12), (8, 12), (12, 8)]
    assert block.count_params() == 3 * 8 * 12


@pytest.mark.parametrize("kind", FFN_KINDS)
def test_feed_forward_counts(kind):
    block = feed_forward(kind, 8, 12)
    out = block(np.ones((2, 3, 8), "float32"))
    assert tuple(out.shape) == (2, 3, 8)
    assert block.count_params() == (3 if kind in GATES else 2) * 8 * 12


@pytest.mark.parametrize("d_ff", [3, 64, 128, 256, 1000])
def test_matched_hidden_is_the_closest_equal_budget(d_ff):
    h = matched_hidden(d_ff)
    assert abs(3 * h - 2 * d_ff) <= 1.5  # no other integer is closer
    assert all(abs(3 * h - 2 * d_ff) <= abs(3 * g - 2 * d_ff) for g in (h - 1, h + 1))


def test_bad_arguments_get_clear_messages():
    with pytest.raises(ValueError, match="unknown kind 'tanh'"):
        feed_forward("tanh", 4, 4)
    with pytest.raises(ValueError, match="multiple of heads"):
        tiny_transformer("relu", d_model=10, heads=3)
    with pytest.raises(TypeError, match="load_mnist\\(flatten=False\\)"):
        pooled_rows(np.zeros((2, 28, 28)))
    with pytest.raises(ValueError, match="finite gap"):
        same_values_verdict(float("nan"))


def test_pooled_rows_averages_blocks():
    x = np.arange(2 * 4 * 4, dtype="float32").reshape(2, 4, 4)
    d = pooled_rows(Dataset(x, np.eye(2), x[:1], np.eye(2)[:1], "toy"), side=2)
    assert d.x_train.shape == (2, 2, 2)
    assert d.x_train[0, 0, 0] == pytest.approx(x[0, :2, :2].mean())
    assert d.x_train[1, 1, 1] == pytest.approx(x[1, 2:, 2:].mean())
    assert "2 x 2" in d.source


def test_tiny_transformer_swaps_only_the_feed_forward_block():
    relu = tiny_transformer("relu", seq_len=4, features=3, d_model=8, d_ff=12, heads=2)
    swiglu = tiny_transformer("swiglu", seq_len=4, features=3, d_model=8, d_ff=12, heads=2)
    diff = relu.count_params() - swiglu.count_params()
    assert diff == 2 * 8 * 12 - 3 * 8 * matched_hidden(12)
    assert tuple(relu(np.zeros((5, 4, 3), "float32")).shape) == (5, 10)


def test_same_seed_same_weights():
    a = tiny_transformer("glu", seq_len=4, features=3, d_model=8, d_ff=6, seed=3, compile=False)
    b = tiny_transformer("glu", seq_len=4, features=3, d_model=8, d_ff=6, seed=3, compile=False)
    c = tiny_transformer("glu", seq_len=4, features=3, d_model=8, d_ff=6, seed=4, compile=False)
    assert all(np.array_equal(u, v) for u, v in zip(a.get_weights(), b.get_weights(), strict=True))
    assert not all(np.array_equal(u, v)
                   for u, v in zip(a.get_weights(), c.get_weights(), strict=True))


def test_same_values_verdict_words():
    assert same_values_verdict(0.0).startswith("exactly 0")
    assert "round-off" in same_values_verdict(1e-7)
    assert "differ" in same_values_verdict(0.01)


def test_train_variants_restarts_each_seed_as_a_fresh_model():
    from acttutor.gated import train_variants
    from acttutor.training import train_and_evaluate

    rng = np.random.default_rng(0)
    x = rng.uniform(size=(40, 4, 3)).astype("float32")
    y = np.eye(10, dtype="float32")[rng.integers(0, 10, 40)]
    data = Dataset(x[:32], y[:32], x[32:], y[32:], "toy")
    options = {"d_model": 4, "d_ff": 6, "heads": 1}
    runs = train_variants(data, ["swiglu"], seeds=(0, 1), epochs=1, batch_size=16, **options)
    alone = train_and_evaluate(tiny_transformer("swiglu", seq_len=4, features=3, seed=1,
                                                **options),
                               data, epochs=1, batch_size=16, seed=1, progress=False)
    second = runs["swiglu"][1]
    assert second.seed == 1 and second.activation == "swiglu"
    assert second.test_loss == pytest.approx(alone.test_loss, rel=1e-5)
    assert second.history["loss"] == pytest.approx(alone.history["loss"], rel=1e-5)
