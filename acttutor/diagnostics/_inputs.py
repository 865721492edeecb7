"""What every diagnostic needs first: a checked batch, and the model run on it layer by layer.

The private helpers here check ``x`` (and the targets ``y`` and a loss) against
the model's input with a message that says what to change, run symbolic layer
tensors of a model on a batch in inference mode, and compute a ``Dense``
layer's pre-activation from its public ``kernel`` and ``bias``.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np

#: Rows per forward pass when a batch is large (keeps memory bounded).
_CHUNK = 4096


def check_x(x: Any, model_input: keras.KerasTensor, caller: str, what: str = "x") -> np.ndarray:
    """Turn ``x`` into a float array with a batch axis that fits the model's input."""
    if x is None:
        raise TypeError(f"{caller}: {what} is None; pass a batch of examples, shape (n, ...).")
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{caller}: could not turn {what} into an array ({exc}).") from exc
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(
            f"{caller}: {what} must hold numbers, got an array of dtype {arr.dtype}."
        )
    expected = tuple(model_input.shape)  # (None, 784), for example
    want = "(n, " + ", ".join(str(d) for d in expected[1:]) + ")"
    if arr.ndim == len(expected) - 1 and arr.shape == tuple(
        d if d is not None else s for d, s in zip(expected[1:], arr.shape, strict=True)
    ):
        raise ValueError(
            f"{caller}: {what} has shape {arr.shape}, which looks like one example without "
            f"the batch axis. Pass a batch of shape {want}; for a single example use "
            f"{what}[None, ...]."
        )
    fits = arr.ndim == len(expected) and all(
        d is None or d == s for d, s in zip(expected[1:], arr.shape[1:], strict=True)
    )
    if not fits:
        raise ValueError(
            f"{caller}: {what} has shape {arr.shape}, but the model expects {want}."
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{caller}: {what} holds no examples; pass at least one.")
    try:  # the model's own input dtype (float32 for a Dense network, int for an Embedding)
        dtype = np.dtype(str(model_input.dtype))
    except TypeError:
        dtype = np.dtype(np.float32)
    arr = arr.astype(dtype, copy=False)
    if np.issubdtype(arr.dtype, np.floating) and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(
            f"{caller}: {what} contains {bad} NaN or infinite value(s). Clean the data first "
            "(for example np.nan_to_num), or drop those examples."
        )
    return arr


def chunks(x: np.ndarray) -> list[np.ndarray]:
    return [x[i:i + _CHUNK] for i in range(0, len(x), _CHUNK)]


def symbolic(layer: keras.Layer, attribute: str, model: keras.Model) -> Any:
    """``layer.input`` or ``layer.output``, with a clear error for shared layers."""
    try:
        return getattr(layer, attribute)
    except (AttributeError, ValueError) as exc:
        raise ValueError(
            f"Cannot read the {attribute} of layer {layer.name!r} in model {model.name!r} "
            f"({exc}). Layers used more than once (shared layers) are not supported."
        ) from exc


def run_layers(model: keras.Model, model_input: keras.KerasTensor, tensors: list[Any],
         x: np.ndarray) -> list[np.ndarray]:
    """Evaluate symbolic ``tensors`` of ``model`` on ``x`` in inference mode."""
    if not tensors:
        return []
    extractor = keras.Model(inputs=model_input, outputs=tensors)
    parts: list[list[np.ndarray]] = [[] for _ in tensors]
    for chunk in chunks(x):
        values = extractor(chunk, training=False)
        if not isinstance(values, (list, tuple)):
            values = [values]
        for store, value in zip(parts, values, strict=True):
            store.append(keras.ops.convert_to_numpy(value))
    return [np.concatenate(p, axis=0) for p in parts]


def pre_activation_of(layer: keras.layers.Dense, inputs: np.ndarray) -> np.ndarray:
    """``inputs @ kernel + bias``: the same operations as ``Dense.call``, without the activation."""
    z = keras.ops.matmul(keras.ops.convert_to_tensor(inputs), layer.kernel)
    if layer.bias is not None:
        z = keras.ops.add(z, layer.bias)
    return keras.ops.convert_to_numpy(z)


def top_layers(model: keras.Model) -> list[keras.Layer]:
    return [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]


def dense_layers(model: keras.Model) -> list[keras.layers.Dense]:
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def is_output_layer(layer: keras.Layer, model: keras.Model) -> bool:
    try:
        out = layer.output
    except (AttributeError, ValueError):
        return False
    return any(out is t for t in model.outputs)


def never_positive(values: np.ndarray) -> np.ndarray:
    """Per unit (last axis): True where the value is <= 0 for every example."""
    flat = values.reshape(-1, values.shape[-1])
    return np.all(flat <= 0, axis=0)


def l2(values: np.ndarray) -> float:
    flat = np.asarray(values, dtype=np.float64).ravel()
    return float(np.sqrt(np.dot(flat, flat)))


def check_targets(y: Any, n: int, caller: str) -> np.ndarray:
    if y is None:
        raise TypeError(f"{caller}: y is None; pass the targets for x (one row per example).")
    try:
        arr = np.asarray(y)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{caller}: could not turn y into an array ({exc}).") from exc
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(f"{caller}: y must hold numbers, got an array of dtype {arr.dtype}.")
    if arr.ndim == 0 or arr.shape[0] != n:
        raise ValueError(
            f"{caller}: y has shape {arr.shape}, but x has {n} examples; y needs one row "
            "per example."
        )
    if np.issubdtype(arr.dtype, np.floating):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{caller}: y contains NaN or infinite values.")
        return arr.astype(np.float32, copy=False)
    return arr


def check_loss(loss_fn: Any, caller: str) -> None:
    if isinstance(loss_fn, str):
        raise TypeError(
            f"{caller}: loss_fn is the string {loss_fn!r}; pass a loss object instead, "
            "for example keras.losses.CategoricalCrossentropy()."
        )
    if isinstance(loss_fn, type) and issubclass(loss_fn, keras.losses.Loss):
        raise TypeError(
            f"{caller}: loss_fn is the class {loss_fn.__name__}; create an instance: "
            f"keras.losses.{loss_fn.__name__}()."
        )
    if not callable(loss_fn):
        raise TypeError(
            f"{caller}: loss_fn must be a keras.losses.Loss instance (callable as "
            f"loss_fn(y_true, y_pred)), got {type(loss_fn).__name__}."
        )
