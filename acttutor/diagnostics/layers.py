"""Inside each layer: what it outputs, and which of its units are dead or inactive.

:func:`~acttutor.diagnostics.layers.layer_outputs` gives every layer's output on a
batch (or each ``Dense`` layer's value before its activation),
:func:`~acttutor.diagnostics.layers.dead_unit_fraction` the share of units of each ReLU
layer that output exactly 0 for every example, and
:func:`~acttutor.diagnostics.layers.inactive_unit_fraction` the share whose
pre-activation is never positive, which compares ReLU with Leaky ReLU or ELU.
:func:`~acttutor.diagnostics.layers.is_relu` decides by behaviour whether an activation
is ReLU.

Example:

>>> import keras, numpy as np
>>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, "relu", name="h")])
>>> sorted(layer_outputs(model, np.ones((4, 2), "float32")))
['h']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from acttutor._checks import check_model
from acttutor.diagnostics._inputs import (
    check_x,
    dense_layers,
    is_output_layer,
    never_positive,
    pre_activation_of,
    run_layers,
    symbolic,
    top_layers,
)

__all__ = ["dead_unit_fraction", "inactive_unit_fraction", "is_relu", "layer_outputs"]

#: Probe values on which an activation must match max(x, 0) to count as ReLU.
_PROBE = np.array(
    [[-1000.0, -5.0, -1.0, -0.25, -1e-3, -0.0, 0.0, 1e-3, 0.25, 1.0, 5.0, 1000.0]],
    dtype=np.float32,
)


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
    model_input = check_model(model, "layer_outputs", single_input=True)
    xs = check_x(x, model_input, "layer_outputs")
    layers = top_layers(model)
    wanted = []
    for layer in layers:
        use_input = pre_activation and isinstance(layer, keras.layers.Dense)
        wanted.append(symbolic(layer, "input" if use_input else "output", model))
    values = run_layers(model, model_input, wanted, xs)
    result: dict[str, np.ndarray] = {}
    for layer, value in zip(layers, values, strict=True):
        if pre_activation and isinstance(layer, keras.layers.Dense):
            value = pre_activation_of(layer, value)
        result[layer.name] = value
    return result


def dead_unit_fraction(model: keras.Model, x: Any) -> dict[str, float]:
    r"""Return, for each ReLU ``Dense`` layer, the share of its units that are dead on ``x``.

    A unit is **dead** on ``x`` when its output is exactly 0 for *every*
    example: its own weights and bias then get exactly zero gradient. A
    first-layer unit, whose inputs are fixed, stays dead under plain
    gradient descent; a deeper one can come back when the layers below it
    change its inputs (see :mod:`acttutor.diagnostics.revival`). A unit that
    is 0 for only some examples is healthy (that is ReLU's normal sparsity).

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
    model_input = check_model(model, "dead_unit_fraction", single_input=True)
    xs = check_x(x, model_input, "dead_unit_fraction")
    relu_layers = [layer for layer in dense_layers(model) if is_relu(layer.activation)]
    wanted = [symbolic(la, "output", model) for la in relu_layers]
    outputs = run_layers(model, model_input, wanted, xs)
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
      point of those activations. (ELU's gradient is exactly 0 in float32
      for z below about -17.3: TensorFlow computes it from the output as
      y + 1, and y = e^z - 1 rounds to -1 there.)

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
    model_input = check_model(model, "inactive_unit_fraction", single_input=True)
    xs = check_x(x, model_input, "inactive_unit_fraction")
    dense = [
        layer for layer in dense_layers(model)
        if include_output or not is_output_layer(layer, model)
    ]
    inputs = run_layers(model, model_input, [symbolic(la, "input", model) for la in dense], xs)
    return {
        layer.name: float(np.mean(never_positive(pre_activation_of(layer, inp))))
        for layer, inp in zip(dense, inputs, strict=True)
    }
