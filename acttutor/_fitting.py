"""Feeding a compiled model: check the data, split and batch it per replica, fit and evaluate.

The private plumbing under :func:`acttutor.training.train_and_evaluate` and
:func:`acttutor.training.compare_activations`. The data checks turn a wrong
dataset into a message that says what to load instead; :func:`fit_and_evaluate`
applies Keras's ``validation_split`` rule itself, so that each split gets a
batch size whose first batch divides evenly over a strategy's replicas
(Keras 3 fails on one that does not).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from acttutor import _checks
from acttutor.data import Dataset


def fit_and_evaluate(
    model: keras.Model,
    arrays: tuple[np.ndarray, ...],
    *,
    epochs: int,
    batch_size: int,
    validation_split: float,
    replicas: int,
    verbose: int,
    callbacks: list[keras.callbacks.Callback],
) -> tuple[dict[str, list[float]], dict[str, Any]]:
    """``model.fit`` then ``model.evaluate``, each split batched evenly over the replicas."""
    x_train, y_train, x_test, y_test = arrays
    # Keras's own validation_split rule, applied here so that each split gets its batch size.
    split_at = int(math.floor(len(x_train) * (1.0 - validation_split)))
    x_fit, y_fit = x_train[:split_at], y_train[:split_at]
    x_val, y_val = x_train[split_at:], y_train[split_at:]
    fit_batch, val_batch, test_batch = (  # all checked before any training
        even_batch(len(x), batch_size, replicas, split)
        for x, split in ((x_fit, "training"), (x_val, "validation"), (x_test, "test"))
    )
    history = model.fit(
        x_fit,
        y_fit,
        batch_size=fit_batch,
        epochs=epochs,
        validation_data=(x_val, y_val),
        validation_batch_size=val_batch,
        verbose=verbose,
        callbacks=callbacks,
    )
    scores = model.evaluate(x_test, y_test, batch_size=test_batch, verbose=0, return_dict=True)
    hist = {key: [float(v) for v in values] for key, values in history.history.items()}
    return hist, scores


def replica_count(model: keras.Model, strategy: Any, batch_size: int) -> int:
    """The replica count to batch for, after checking ``model`` was built in ``strategy``."""
    if strategy is not None:
        if not isinstance(strategy, tf.distribute.Strategy):
            raise TypeError(
                "strategy must be a tf.distribute.Strategy, such as "
                f"tf.distribute.MirroredStrategy(), or None; got {type(strategy).__name__}."
            )
        if model.distribute_strategy is not strategy:
            raise ValueError(
                "The model was not built in this strategy's scope, so its weights are not "
                "on the strategy's devices. Build it with build_mlp(..., strategy=strategy), "
                "or create and compile it inside `with strategy.scope():`."
            )
    replicas = int(getattr(model.distribute_strategy, "num_replicas_in_sync", 1))
    if replicas > 1 and batch_size % replicas:
        lower = max(replicas, batch_size // replicas * replicas)
        raise ValueError(
            f"batch_size={batch_size} does not split evenly over the strategy's {replicas} "
            f"replicas; use a multiple of {replicas}, such as {lower}."
        )
    return replicas


def even_batch(n: int, batch_size: int, replicas: int, split: str) -> int:
    """A batch size whose first batch of ``n`` examples divides evenly over the replicas."""
    if replicas == 1:
        return batch_size
    size = min(batch_size, n) // replicas * replicas
    if size == 0:
        raise ValueError(
            f"The {split} split has {n} example(s), fewer than the strategy's {replicas} "
            "replicas, so some replicas would get no data; use more examples."
        )
    return size


class EpochTimer(keras.callbacks.Callback):
    """Records the wall time of each epoch (training plus validation)."""

    def __init__(self) -> None:
        super().__init__()
        self.seconds: list[float] = []
        self._start = 0.0

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.seconds.append(time.perf_counter() - self._start)


def check_split(split: Any, n: int) -> None:
    """Check ``validation_split`` and that it leaves examples both to fit and to validate."""
    _checks.fraction("validation_split", split, why="the validation curves need held-out examples.")
    n_val = int(n * float(split))
    if n_val < 1 or n - n_val < 1:
        raise ValueError(
            f"validation_split={split} of {n} training examples leaves no examples for "
            "training or for validation; use more data or another split."
        )


def data_dims(data: Dataset) -> tuple[int, int]:
    x, y = np.asarray(data.x_train), np.asarray(data.y_train)
    if x.ndim != 2:
        raise ValueError(
            f"data.x_train has shape {x.shape}; the MLP needs one row of features per "
            "example. Load with load_mnist(flatten=True)."
        )
    if y.ndim != 2:
        raise ValueError(
            f"data.y_train has shape {y.shape}; the MLP is trained with one-hot labels. "
            "Load with load_mnist(one_hot=True)."
        )
    return int(x.shape[1]), int(y.shape[1])


def check_data(model: keras.Model | None, data: Any) -> tuple[np.ndarray, ...]:
    if not isinstance(data, Dataset):
        if isinstance(data, tuple):
            hint = (
                " It looks like the output of keras' load_data(); use acttutor.data.load_mnist(), "
                "or wrap your arrays as Dataset(x_train, y_train, x_test, y_test, source)."
            )
        else:
            hint = " Use acttutor.data.load_mnist() or build a Dataset from your arrays."
        raise TypeError(f"data must be an acttutor Dataset, got {type(data).__name__}.{hint}")
    arrays = []
    for key in ("x_train", "y_train", "x_test", "y_test"):
        value = getattr(data, key)
        try:
            arr = np.asarray(value, dtype=np.float32)
        except (TypeError, ValueError):
            raise TypeError(
                f"data.{key} must be a numeric array, got {type(value).__name__}."
            ) from None
        if arr.ndim == 0 or len(arr) == 0:
            raise ValueError(f"data.{key} holds no examples (shape {arr.shape}).")
        if not np.isfinite(arr).all():
            raise ValueError(f"data.{key} contains NaN or infinite values; clean them first.")
        arrays.append(arr)
    x_train, y_train, x_test, y_test = arrays
    for split, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
        if len(x) != len(y):
            raise ValueError(
                f"data.x_{split} has {len(x)} examples but data.y_{split} has {len(y)}."
            )
    if x_train.shape[1:] != x_test.shape[1:]:
        raise ValueError(
            f"data.x_train examples have shape {x_train.shape[1:]} but data.x_test "
            f"examples have {x_test.shape[1:]}."
        )
    if model is None:
        return tuple(arrays)
    expected = tuple(model.input_shape[1:])
    if tuple(x_train.shape[1:]) != expected:
        hint = ""
        if len(expected) == 1 and int(np.prod(x_train.shape[1:])) == expected[0]:
            hint = " Flatten the images: load_mnist(flatten=True)."
        elif len(expected) == 1 and x_train.ndim == 2:
            hint = f" Build the model with input_dim={x_train.shape[1]}."
        raise ValueError(
            f"The model expects examples of shape {expected}, but data.x_train has "
            f"examples of shape {tuple(x_train.shape[1:])}.{hint}"
        )
    units = model.output_shape[-1]
    loss = str(getattr(model, "loss", "") or "")
    if y_train.ndim == 1 and "sparse" not in loss:
        raise ValueError(
            f"data.y_train holds integer labels, shape {y_train.shape}, but the model is "
            "trained with one-hot labels. Load with load_mnist(one_hot=True)."
        )
    if y_train.ndim == 2 and y_train.shape[1] != units:
        raise ValueError(
            f"data.y_train has {y_train.shape[1]} columns (classes) but the model has "
            f"{units} outputs. Build it with num_classes={y_train.shape[1]}."
        )
    return tuple(arrays)


def accuracy_key(scores: Mapping[str, Any]) -> str:
    for key in ("accuracy", "acc", "categorical_accuracy", "sparse_categorical_accuracy"):
        if key in scores:
            return key
    for key in scores:
        if key.endswith("accuracy"):
            return key
    raise ValueError(
        "The model reports no accuracy; compile it with metrics=['accuracy']. "
        f"It reports: {', '.join(scores)}."
    )
