r"""How far training moves each layer's weights, relative to their size.

:func:`~acttutor.diagnostics.updates.kernel_snapshot` copies every ``Dense``
kernel; after some training (one step, or several epochs)
:func:`~acttutor.diagnostics.updates.relative_change` reports
:math:`\lVert W_{now} - W_{then} \rVert_F / \lVert W_{then} \rVert_F` per layer.
After one optimiser step this is the *update-to-weight ratio*: a layer whose
ratio is orders of magnitude below the others hardly learns, whatever its
gradient looks like.

Example:

>>> import keras, numpy as np
>>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="out")])
>>> before = kernel_snapshot(model)
>>> relative_change(model, before)
{'out': 0.0}
"""

from __future__ import annotations

from collections.abc import Mapping

import keras
import numpy as np

from acttutor._checks import check_model
from acttutor.diagnostics._inputs import dense_layers, l2

__all__ = ["kernel_snapshot", "relative_change"]


def kernel_snapshot(model: keras.Model) -> dict[str, np.ndarray]:
    """Return a copy of every ``Dense`` kernel of ``model``, keyed by layer name.

    The copies are NumPy arrays, so later training does not change them.

    Example:

    >>> import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="out")])
    >>> kernel_snapshot(model)["out"].shape
    (3, 2)

    Args:
        model: A built Keras model.

    Returns:
        A dict from ``Dense`` layer name to a float array (a copy of its kernel).

    Raises:
        TypeError: ``model`` is not a Keras model.
        ValueError: the model is not built.
    """
    check_model(model, "kernel_snapshot")
    return {layer.name: np.array(keras.ops.convert_to_numpy(layer.kernel), copy=True)
            for layer in dense_layers(model)}


def relative_change(model: keras.Model, snapshot: Mapping[str, np.ndarray]) -> dict[str, float]:
    r"""Return, per ``Dense`` layer, how far its kernel has moved since ``snapshot``.

    .. math:: r_l = \lVert W^{(l)}_{now} - W^{(l)}_{then} \rVert_F
              \,/\, \lVert W^{(l)}_{then} \rVert_F

    Taken right after one optimiser step, :math:`r_l` is the layer's
    update-to-weight ratio. Plain SGD's update is the learning rate times
    the gradient, so the ratio follows the gradient's size; Adam divides each
    gradient by a running estimate of its own size, so the ratio is about the
    learning rate over the typical weight wherever the gradient is well above
    Adam's ``epsilon``.

    Example:

    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, name="out")])
    >>> model.get_layer("out").set_weights([np.array([[3.0], [4.0]]), np.zeros(1)])
    >>> before = kernel_snapshot(model)
    >>> model.get_layer("out").set_weights([np.array([[3.0], [4.5]]), np.zeros(1)])
    >>> relative_change(model, before)
    {'out': 0.1}

    Args:
        model: The model the snapshot was taken of.
        snapshot: The result of :func:`kernel_snapshot` before the training.

    Returns:
        A dict from ``Dense`` layer name to a non-negative float (``inf`` for a
        kernel that was all zeros and has moved).

    Raises:
        TypeError: ``model`` is not a Keras model, or ``snapshot`` is not a dict.
        ValueError: the snapshot does not match the model's ``Dense`` layers.
    """
    caller = "relative_change"
    check_model(model, caller)
    if not isinstance(snapshot, Mapping):
        raise TypeError(f"{caller}: snapshot must be the dict that kernel_snapshot(model) "
                        f"returned, got {type(snapshot).__name__}.")
    dense = dense_layers(model)
    names = [layer.name for layer in dense]
    if sorted(snapshot) != sorted(names):
        raise ValueError(f"{caller}: the snapshot holds layers {sorted(snapshot)}, but the "
                         f"model's Dense layers are {sorted(names)}. Take the snapshot with "
                         "kernel_snapshot(model) of this same model.")
    result: dict[str, float] = {}
    for layer in dense:
        then = np.asarray(snapshot[layer.name], dtype=np.float64)
        now = np.asarray(keras.ops.convert_to_numpy(layer.kernel), dtype=np.float64)
        if then.shape != now.shape:
            raise ValueError(f"{caller}: layer {layer.name!r} has a kernel of shape "
                             f"{now.shape}, the snapshot {then.shape}; take a new snapshot.")
        moved, size = l2(now - then), l2(then)
        result[layer.name] = moved / size if size > 0 else (0.0 if moved == 0 else float("inf"))
    return result
