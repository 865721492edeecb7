"""Tiny datasets, models and run results that the unit tests build on (shared by several files).

``tests/conftest.py`` puts this folder on ``sys.path``, so any test can ``from toys import ...``.
"""

from __future__ import annotations

import keras
import numpy as np

from acttutor.data import Dataset
from acttutor.models import build_mlp
from acttutor.run_result import RunResult

# --------------------------------------------------------------------------- training


FEATURES, CLASSES = 12, 3


def tiny(n_train: int = 80, n_test: int = 30, features: int = FEATURES, seed: int = 0) -> Dataset:
    """A learnable toy problem: the class is the argmax of three fixed projections."""
    rng = np.random.default_rng(seed)
    w = np.random.default_rng(99).normal(size=(features, CLASSES))
    x = rng.random((n_train + n_test, features), dtype=np.float32)
    labels = (x @ w).argmax(axis=1)
    y = np.eye(CLASSES, dtype=np.float32)[labels]
    return Dataset(x[:n_train], y[:n_train], x[n_train:], y[n_train:], "tiny test data")


def small(activation="relu", seed=0):
    return build_mlp(activation, hidden=(8, 4), input_dim=FEATURES, num_classes=CLASSES, seed=seed)


def make_result(val_acc, epoch_seconds=(), **kw):
    n = len(val_acc)
    return RunResult(
        history={"accuracy": list(val_acc), "val_accuracy": list(val_acc),
                 "loss": [1.0] * n, "val_loss": [1.0] * n},
        test_acc=kw.pop("test_acc", val_acc[-1]),
        test_loss=1.0,
        seconds=kw.pop("seconds", 1.0),
        epoch_seconds=list(epoch_seconds),
        **kw,
    )


# --------------------------------------------------------------------------- diagnostics


def dense_model(*specs, input_dim=3, name="m"):
    """Sequential of Dense layers from (units, activation, name) triples, zero-initialised."""
    layers = [keras.Input((input_dim,))]
    for units, act, lname in specs:
        layers.append(keras.layers.Dense(units, activation=act, name=lname,
                                         kernel_initializer="zeros"))
    return keras.Sequential(layers, name=name)


def batch(n=40, d=3, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d)).astype(np.float32)


def random_weights(model, seed=0, scale=0.8):
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            w = [rng.normal(scale=scale, size=v.shape).astype(np.float32)
                 for v in layer.get_weights()]
            layer.set_weights(w)


def planted_model():
    """h1: 6 units; units 0-2 read x0, x1, x2 (sometimes 0), units 3-5 have bias -50 (dead)."""
    model = dense_model((6, "relu", "h1"), (2, "softmax", "out"))
    kernel = np.zeros((3, 6), np.float32)
    kernel[0, 0] = kernel[1, 1] = kernel[2, 2] = 1.0
    kernel[:, 3:] = 0.5
    bias = np.array([0, 0, 0, -50, -50, -50], np.float32)
    model.get_layer("h1").set_weights([kernel, bias])
    return model


def classifier(seed=0):
    model = dense_model((5, "sigmoid", "first"), (4, "tanh", "second"),
                         (3, "softmax", "last"))
    random_weights(model, seed=seed)
    x = batch(12, seed=seed + 1)
    y = np.eye(3, dtype=np.float32)[np.arange(12) % 3]
    return model, x, y
