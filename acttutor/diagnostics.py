"""Looking inside a network: layer outputs, dead ReLU units and gradient norms.

Three questions a chapter asks of a trained (or untrained) Keras model:

* :func:`layer_outputs`: what does every layer output on a batch ``x``?
  With ``pre_activation=True``, each ``Dense`` layer gives ``x @ W + b``,
  its value before the activation.
* :func:`dead_unit_fraction`: which share of the units of each ReLU layer
  outputs exactly 0 on **every** example (a "dead" unit, which passes no
  gradient and so cannot recover)?
* :func:`gradient_norms`: how large is the gradient of the loss with respect
  to each ``Dense`` kernel (the vanishing-gradient picture)?

:func:`inactive_unit_fraction` extends "dead" to every activation through
pre-activations, so that Leaky ReLU or ELU, which never output exactly 0,
can be compared with ReLU. :func:`is_relu` decides by behaviour whether an
activation is ReLU.

Only public Keras API is used: ``model.inputs``, ``layer.input``,
``layer.output``, ``layer.kernel``, ``layer.bias`` and ``layer.activation``.
The model is always run in inference mode (``training=False``), so
``Dropout`` is off and the numbers are reproducible. Only the model's
top-level layers are inspected; a nested model counts as one layer.

Example:

>>> import keras, numpy as np
>>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu")])
>>> x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
>>> sorted(dead_unit_fraction(model, x)) == [model.layers[0].name]
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras
import numpy as np
import tensorflow as tf

__all__ = [
    "dead_unit_fraction",
    "gradient_norms",
    "inactive_unit_fraction",
    "is_relu",
    "layer_outputs",
]

#: Rows per forward pass when a batch is large (keeps memory bounded).
_CHUNK = 4096

#: Probe values on which an activation must match max(x, 0) to count as ReLU.
_PROBE = np.array(
    [[-1000.0, -5.0, -1.0, -0.25, -1e-3, -0.0, 0.0, 1e-3, 0.25, 1.0, 5.0, 1000.0]],
    dtype=np.float32,
)


# --------------------------------------------------------------------------- checks


def _check_model(model: Any, caller: str) -> keras.KerasTensor:
    """Return the model's single symbolic input, or raise a clear error."""
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"{caller} needs a keras.Model (Sequential or functional), "
            f"got {type(model).__name__}. Pass the model itself, for example "
            f"{caller}(model, x)."
        )
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if not inputs:
        raise ValueError(
            f"{caller}: model {model.name!r} has no defined inputs yet. Start a Sequential "
            "model with keras.Input(shape=...), or build a functional model; subclassed "
            "models cannot be inspected layer by layer."
        )
    if len(inputs) != 1:
        raise ValueError(
            f"{caller}: model {model.name!r} has {len(inputs)} inputs; only models with a "
            "single input are supported."
        )
    return inputs[0]


def _check_x(x: Any, model_input: keras.KerasTensor, caller: str, what: str = "x") -> np.ndarray:
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


def _chunks(x: np.ndarray) -> list[np.ndarray]:
    return [x[i:i + _CHUNK] for i in range(0, len(x), _CHUNK)]


def _symbolic(layer: keras.Layer, attribute: str, model: keras.Model) -> Any:
    """``layer.input`` or ``layer.output``, with a clear error for shared layers."""
    try:
        return getattr(layer, attribute)
    except (AttributeError, ValueError) as exc:
        raise ValueError(
            f"Cannot read the {attribute} of layer {layer.name!r} in model {model.name!r} "
            f"({exc}). Layers used more than once (shared layers) are not supported."
        ) from exc


def _run(model: keras.Model, model_input: keras.KerasTensor, tensors: list[Any],
         x: np.ndarray) -> list[np.ndarray]:
    """Evaluate symbolic ``tensors`` of ``model`` on ``x`` in inference mode."""
    if not tensors:
        return []
    extractor = keras.Model(inputs=model_input, outputs=tensors)
    parts: list[list[np.ndarray]] = [[] for _ in tensors]
    for chunk in _chunks(x):
        values = extractor(chunk, training=False)
        if not isinstance(values, (list, tuple)):
            values = [values]
        for store, value in zip(parts, values, strict=True):
            store.append(keras.ops.convert_to_numpy(value))
    return [np.concatenate(p, axis=0) for p in parts]


def _pre_activation(layer: keras.layers.Dense, inputs: np.ndarray) -> np.ndarray:
    """``inputs @ kernel + bias``: the same operations as ``Dense.call``, without the activation."""
    z = keras.ops.matmul(keras.ops.convert_to_tensor(inputs), layer.kernel)
    if layer.bias is not None:
        z = keras.ops.add(z, layer.bias)
    return keras.ops.convert_to_numpy(z)


def _layers(model: keras.Model) -> list[keras.Layer]:
    return [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]


def _dense_layers(model: keras.Model) -> list[keras.layers.Dense]:
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def _is_output_layer(layer: keras.Layer, model: keras.Model) -> bool:
    try:
        out = layer.output
    except (AttributeError, ValueError):
        return False
    return any(out is t for t in model.outputs)


def _never_positive(values: np.ndarray) -> np.ndarray:
    """Per unit (last axis): True where the value is <= 0 for every example."""
    flat = values.reshape(-1, values.shape[-1])
    return np.all(flat <= 0, axis=0)


# --------------------------------------------------------------------------- public API


def is_relu(activation: Callable[[Any], Any] | str | None) -> bool:
    """Whether an activation behaves exactly like ReLU, ``max(x, 0)``.

    The activation is evaluated on probe values from -1000 to 1000 (including
    tiny ones and 0). It counts as ReLU when it returns exactly 0 for every
    input <= 0 and the input itself (to 1e-6 relative) for every positive
    one. So ``"relu"``, ``keras.activations.relu``, ``tf.nn.relu`` and
    ``keras.layers.ReLU()`` are ReLU whatever their name, while Leaky ReLU,
    ELU, GELU and ReLU6 are not. An activation that raises on the probe is
    not ReLU.

    Example:

    >>> import tensorflow as tf, keras
    >>> is_relu(tf.nn.relu), is_relu("relu"), is_relu(keras.activations.leaky_relu)
    (True, True, False)

    Args:
        activation: A callable, a name from ``keras.activations``, or ``None`` (linear).

    Returns:
        True when it behaves like ReLU on every probe value.
    """
    if activation is None:
        return False
    try:
        fn = keras.activations.get(activation) if isinstance(activation, str) else activation
        got = keras.ops.convert_to_numpy(fn(tf.constant(_PROBE)))
    except Exception:  # noqa: BLE001 - an activation that fails on the probe is not ReLU
        return False
    got = np.asarray(got, dtype=np.float64)
    if got.shape != _PROBE.shape:
        return False
    x = _PROBE.astype(np.float64)
    negative = x <= 0
    return bool(
        np.all(got[negative] == 0.0)
        and np.allclose(got[~negative], x[~negative], rtol=1e-6, atol=0.0)
    )


def layer_outputs(model: keras.Model, x: Any, *, pre_activation: bool = False
                  ) -> dict[str, np.ndarray]:
    """Return every layer's output on the batch ``x``, keyed by ``layer.name``.

    The model runs in inference mode (``training=False``). The input layer is
    left out (its output is ``x``). With ``pre_activation=True``, each
    ``Dense`` layer gives its value before the activation,
    :math:`z = x_{in} W + b`, computed from the layer's input and its public
    ``kernel`` and ``bias``; every other layer gives its usual output.

    Example:

    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, name="h")])
    >>> out = layer_outputs(model, np.ones((4, 2), "float32"))
    >>> out["h"].shape
    (4, 3)

    Args:
        model: A built Sequential or functional ``keras.Model`` with one input.
        x: A batch of examples, shape ``(n, ...)`` matching the model's input.
        pre_activation: Give ``Dense`` layers' values before their activation.

    Returns:
        A dict from layer name to a NumPy array with one row per example.

    Raises:
        TypeError: ``model`` is not a Keras model, or ``x`` is not numeric.
        ValueError: the model has no defined input, or ``x`` has the wrong shape,
            no examples, or NaN/inf values.
    """
    model_input = _check_model(model, "layer_outputs")
    xs = _check_x(x, model_input, "layer_outputs")
    layers = _layers(model)
    wanted = []
    for layer in layers:
        use_input = pre_activation and isinstance(layer, keras.layers.Dense)
        wanted.append(_symbolic(layer, "input" if use_input else "output", model))
    values = _run(model, model_input, wanted, xs)
    result: dict[str, np.ndarray] = {}
    for layer, value in zip(layers, values, strict=True):
        if pre_activation and isinstance(layer, keras.layers.Dense):
            value = _pre_activation(layer, value)
        result[layer.name] = value
    return result


def dead_unit_fraction(model: keras.Model, x: Any) -> dict[str, float]:
    r"""Return, for each ReLU ``Dense`` layer, the share of its units that are dead on ``x``.

    A unit is **dead** on ``x`` when its output is exactly 0 for *every*
    example: it then passes no gradient to its weights, so training cannot
    bring it back. A unit that is 0 for only some examples is healthy
    (that is ReLU's normal sparsity).

    .. math:: \text{dead}(l) = \frac{1}{m}\,\#\{\,j : a^{(l)}_{ij} = 0 \;\forall i\,\}

    Only ``Dense`` layers whose activation behaves like ReLU are reported
    (see :func:`is_relu`: ``"relu"``, ``keras.activations.relu``,
    ``tf.nn.relu``). Leaky ReLU and ELU never output exactly 0; compare
    them with :func:`inactive_unit_fraction`. A ``Dense`` layer followed by
    a separate ``Activation``/``ReLU`` layer has a linear activation and is
    not reported.

    Example:

    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)),
    ...                          keras.layers.Dense(4, activation="relu", name="h"),
    ...                          keras.layers.Dense(2, activation="softmax", name="out")])
    >>> model.get_layer("h").set_weights([np.ones((2, 4)), np.array([0.0, 0.0, -9.0, -9.0])])
    >>> dead_unit_fraction(model, np.ones((5, 2), "float32"))
    {'h': 0.5}

    Args:
        model: A built Sequential or functional ``keras.Model`` with one input.
        x: A batch of examples, shape ``(n, ...)``.

    Returns:
        A dict from layer name to a float in [0, 1]; empty if no layer uses ReLU.

    Raises:
        TypeError: ``model`` is not a Keras model, or ``x`` is not numeric.
        ValueError: the model has no defined input, or ``x`` has the wrong shape,
            no examples, or NaN/inf values.
    """
    model_input = _check_model(model, "dead_unit_fraction")
    xs = _check_x(x, model_input, "dead_unit_fraction")
    relu_layers = [layer for layer in _dense_layers(model) if is_relu(layer.activation)]
    outputs = _run(model, model_input, [_symbolic(la, "output", model) for la in relu_layers], xs)
    result: dict[str, float] = {}
    for layer, out in zip(relu_layers, outputs, strict=True):
        flat = out.reshape(-1, out.shape[-1])
        result[layer.name] = float(np.mean(np.all(flat == 0, axis=0)))
    return result


def inactive_unit_fraction(model: keras.Model, x: Any, *, include_output: bool = False
                           ) -> dict[str, float]:
    """Return, for each ``Dense`` layer, the share of units whose pre-activation is never positive.

    A unit is **inactive** on ``x`` when its pre-activation
    :math:`z = x_{in} W + b` is <= 0 for every example. The measure is
    defined for every activation, so it compares ReLU with its mitigations:

    * for ReLU it equals :func:`dead_unit_fraction` (ReLU outputs 0 exactly
      when z <= 0);
    * for Leaky ReLU and ELU such a unit still outputs a small negative value
      and still passes a (small) gradient, so it can recover, which is the
      point of those activations.

    Example:

    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)),
    ...                          keras.layers.Dense(4, activation="elu", name="h"),
    ...                          keras.layers.Dense(2, activation="softmax", name="out")])
    >>> model.get_layer("h").set_weights([np.ones((2, 4)), np.array([0.0, 0.0, -9.0, -9.0])])
    >>> inactive_unit_fraction(model, np.ones((5, 2), "float32"))
    {'h': 0.5}

    Args:
        model: A built Sequential or functional ``keras.Model`` with one input.
        x: A batch of examples, shape ``(n, ...)``.
        include_output: Also report the ``Dense`` layers that produce the model's
            output (left out by default: a softmax output layer has no "dead" units).

    Returns:
        A dict from layer name to a float in [0, 1].

    Raises:
        TypeError: ``model`` is not a Keras model, or ``x`` is not numeric.
        ValueError: the model has no defined input, or ``x`` has the wrong shape,
            no examples, or NaN/inf values.
    """
    model_input = _check_model(model, "inactive_unit_fraction")
    xs = _check_x(x, model_input, "inactive_unit_fraction")
    dense = [
        layer for layer in _dense_layers(model)
        if include_output or not _is_output_layer(layer, model)
    ]
    inputs = _run(model, model_input, [_symbolic(la, "input", model) for la in dense], xs)
    return {
        layer.name: float(np.mean(_never_positive(_pre_activation(layer, inp))))
        for layer, inp in zip(dense, inputs, strict=True)
    }


def gradient_norms(model: keras.Model, x: Any, y: Any, loss_fn: Callable[[Any, Any], Any]
                   ) -> dict[str, float]:
    r"""Return, for each ``Dense`` layer, the L2 norm of the loss gradient w.r.t. its kernel.

    The loss is the scalar ``loss_fn(y, model(x))`` over the whole batch (a
    ``keras.losses.Loss`` averages over the examples); the model runs in
    inference mode. For each ``Dense`` layer :math:`l` with kernel
    :math:`W^{(l)}` the result is the Frobenius norm

    .. math:: \lVert \nabla_{W^{(l)}} L \rVert_F
              = \sqrt{\textstyle\sum_{ij} (\partial L / \partial W^{(l)}_{ij})^2}

    The bias is left out. A layer the loss does not depend on gets 0.0.
    Small norms in the first layers and large ones near the output are the
    vanishing-gradient picture.

    Example:

    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="out")])
    >>> x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    >>> list(gradient_norms(model, x, y, keras.losses.MeanSquaredError()))
    ['out']

    Args:
        model: A built Sequential or functional ``keras.Model`` with one input.
        x: A batch of examples, shape ``(n, ...)``.
        y: The targets for ``x``, in the form ``loss_fn`` expects (for example
            one-hot for ``keras.losses.CategoricalCrossentropy()``).
        loss_fn: A ``keras.losses.Loss`` instance (or any callable
            ``loss_fn(y_true, y_pred)`` that returns a scalar).

    Returns:
        A dict from ``Dense`` layer name to a non-negative float.

    Raises:
        TypeError: a bad ``model``, ``x``, ``y`` or ``loss_fn``.
        ValueError: mismatched or invalid shapes, NaN/inf in the data, or a loss that
            is not a scalar.
    """
    caller = "gradient_norms"
    model_input = _check_model(model, caller)
    xs = _check_x(x, model_input, caller)
    ys = _check_targets(y, len(xs), caller)
    _check_loss(loss_fn, caller)
    dense = _dense_layers(model)
    if not dense:
        return {}
    kernels = [layer.kernel for layer in dense]
    x_t = tf.convert_to_tensor(xs)
    with tf.GradientTape() as tape:
        pred = model(x_t, training=False)
        try:
            loss = loss_fn(ys, pred)
        except Exception as exc:
            raise ValueError(
                f"{caller}: loss_fn(y, model(x)) failed with {type(exc).__name__}: {exc}. "
                f"Check that y (shape {ys.shape}) matches the model's output (shape "
                f"{tuple(pred.shape)}) and the loss (one-hot targets for "
                "CategoricalCrossentropy, integer labels for SparseCategoricalCrossentropy)."
            ) from exc
    if tuple(getattr(loss, "shape", ())) != ():
        raise ValueError(
            f"{caller}: loss_fn returned shape {tuple(loss.shape)}, not a scalar. Pass a "
            "keras.losses.Loss instance such as keras.losses.CategoricalCrossentropy(), "
            "which averages over the batch, rather than the per-example function."
        )
    grads = tape.gradient(loss, kernels)
    return {
        layer.name: 0.0 if g is None else _l2(keras.ops.convert_to_numpy(g))
        for layer, g in zip(dense, grads, strict=True)
    }


def _l2(values: np.ndarray) -> float:
    flat = np.asarray(values, dtype=np.float64).ravel()
    return float(np.sqrt(np.dot(flat, flat)))


def _check_targets(y: Any, n: int, caller: str) -> np.ndarray:
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


def _check_loss(loss_fn: Any, caller: str) -> None:
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
