"""acttutor.diagnostics.updates: kernel snapshots and how far training moves each kernel."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from toys import batch, classifier, dense_model

from acttutor.diagnostics.updates import kernel_snapshot, relative_change


def test_snapshot_is_a_copy_that_training_does_not_touch():
    model, _, _ = classifier()
    snap = kernel_snapshot(model)
    assert list(snap) == ["first", "second", "last"]
    first = model.get_layer("first")
    np.testing.assert_array_equal(snap["first"], first.kernel.numpy())
    first.kernel.assign(first.kernel + 1.0)
    assert not np.allclose(snap["first"], first.kernel.numpy())
    assert relative_change(model, snap)["first"] == pytest.approx(
        np.sqrt(snap["first"].size) / np.linalg.norm(snap["first"]), rel=1e-5)
    assert relative_change(model, snap)["second"] == 0.0


def _one_step(model, x, y, optimizer, scale=1.0):
    def loss(t, p):
        return scale * keras.losses.mean_squared_error(t, p)

    model.compile(optimizer=optimizer, loss=loss)
    snap = kernel_snapshot(model)
    model.train_on_batch(x, y)
    return relative_change(model, snap)


def _linear(seed=0):
    model = dense_model((4, None, "lin"), input_dim=3)
    rng = np.random.default_rng(seed)
    model.get_layer("lin").set_weights([rng.normal(size=(3, 4)).astype(np.float32),
                                        np.zeros(4, np.float32)])
    return model


def test_sgd_update_to_weight_ratio_is_lr_times_gradient_over_weight():
    x, y = batch(16, seed=1), np.random.default_rng(2).normal(size=(16, 4)).astype(np.float32)
    model = _linear()
    w = model.get_layer("lin").kernel.numpy().astype(np.float64)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.mean_squared_error(y, model(x)))
    g = tape.gradient(loss, model.get_layer("lin").kernel).numpy().astype(np.float64)
    ratio = _one_step(model, x, y, keras.optimizers.SGD(0.1))["lin"]
    assert ratio == pytest.approx(0.1 * np.linalg.norm(g) / np.linalg.norm(w), rel=1e-4)


def test_adam_step_hardly_depends_on_the_gradient_scale_sgd_step_does():
    x, y = batch(16, seed=1), np.random.default_rng(2).normal(size=(16, 4)).astype(np.float32)
    # (the ratios are differences of float32 weights, so they carry rounding error ~1e-3)
    sgd = [_one_step(_linear(), x, y, keras.optimizers.SGD(0.01), s)["lin"] for s in (1, 0.1)]
    adam = [_one_step(_linear(), x, y, keras.optimizers.Adam(1e-2), s)["lin"] for s in (1, 0.1)]
    assert sgd[0] == pytest.approx(10 * sgd[1], rel=1e-2)
    assert adam[0] == pytest.approx(adam[1], rel=1e-2)
    # Adam's first step is lr * g / (|g| + eps): lr per entry when |g| >> eps
    w = _linear().get_layer("lin").kernel.numpy()
    assert adam[0] == pytest.approx(1e-2 * np.sqrt(w.size) / np.linalg.norm(w), rel=1e-2)
    # ... and far smaller once the gradient falls below eps = 1e-7
    tiny = _one_step(_linear(), x, y, keras.optimizers.Adam(1e-2), 1e-9)["lin"]
    assert tiny < adam[0] / 5


def test_relative_change_rejects_a_mismatched_snapshot():
    model, _, _ = classifier()
    with pytest.raises(TypeError, match="kernel_snapshot"):
        relative_change(model, [1, 2])
    with pytest.raises(ValueError, match="Take the snapshot with kernel_snapshot"):
        relative_change(model, {"other": np.zeros((3, 5))})
    snap = kernel_snapshot(model)
    snap["first"] = np.zeros((2, 2))
    with pytest.raises(ValueError, match="take a new snapshot"):
        relative_change(model, snap)
    with pytest.raises(TypeError):
        kernel_snapshot("not a model")


def test_a_zero_kernel_that_moved_is_infinitely_far():
    model = dense_model((2, None, "z"), input_dim=2)
    snap = kernel_snapshot(model)
    assert relative_change(model, snap) == {"z": 0.0}
    model.get_layer("z").kernel.assign(np.ones((2, 2), np.float32))
    assert relative_change(model, snap) == {"z": float("inf")}
