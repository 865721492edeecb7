r"""How the loss gradient reaches each layer: the size of its gradient with respect to the kernel.

:func:`~acttutor.diagnostics.gradients.gradient_norms` differentiates one scalar loss on a
batch with respect to every ``Dense`` kernel and reports the Frobenius norms:
small norms near the input and large ones near the output are the
vanishing-gradient picture. The norm also grows with the kernel's size;
:func:`~acttutor.diagnostics.gradients.gradient_rms` divides that out and gives the size of
one typical entry, the number an optimiser's step is compared with.

Example:

>>> import keras, numpy as np
>>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="out")])
>>> x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
>>> list(gradient_norms(model, x, y, keras.losses.MeanSquaredError()))
['out']
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from acttutor._checks import check_model
from acttutor.diagnostics._inputs import check_loss, check_targets, check_x, dense_layers, l2

__all__ = ["gradient_norms", "gradient_rms"]


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
    dense, grads = _kernel_gradients(model, x, y, loss_fn, "gradient_norms")
    return {
        layer.name: 0.0 if g is None else l2(g)
        for layer, g in zip(dense, grads, strict=True)
    }


def gradient_rms(model: keras.Model, x: Any, y: Any, loss_fn: Callable[[Any, Any], Any]
                 ) -> dict[str, float]:
    r"""Return, for each ``Dense`` layer, the root mean square of its kernel's loss gradient.

    The gradient is the one :func:`gradient_norms` uses; dividing its
    Frobenius norm by the square root of the number of kernel entries gives
    the size of a typical entry, so layers of different shapes compare
    fairly (a 784 × 64 kernel has twelve times the entries of a 64 × 64 one):

    .. math:: \operatorname{rms}_l = \sqrt{\tfrac{1}{m_l n_l}
              \textstyle\sum_{ij} (\partial L / \partial W^{(l)}_{ij})^2}
              = \lVert \nabla_{W^{(l)}} L \rVert_F / \sqrt{m_l n_l}

    This is the number to compare with an optimiser's scale: plain SGD moves
    each weight by the learning rate times it, while Adam's step hardly
    depends on it, except where it falls below Adam's ``epsilon``.

    Example:

    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="out")])
    >>> x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    >>> loss = keras.losses.MeanSquaredError()
    >>> rms, norm = gradient_rms(model, x, y, loss), gradient_norms(model, x, y, loss)
    >>> bool(np.isclose(rms["out"], norm["out"] / np.sqrt(3 * 2)))
    True

    Args:
        model: A built Sequential or functional ``keras.Model`` with one input.
        x: A batch of examples, shape ``(n, ...)``.
        y: The targets for ``x``, in the form ``loss_fn`` expects.
        loss_fn: A ``keras.losses.Loss`` instance (or any callable
            ``loss_fn(y_true, y_pred)`` that returns a scalar).

    Returns:
        A dict from ``Dense`` layer name to a non-negative float.

    Raises:
        TypeError: a bad ``model``, ``x``, ``y`` or ``loss_fn``.
        ValueError: mismatched or invalid shapes, NaN/inf in the data, or a loss that
            is not a scalar.
    """
    dense, grads = _kernel_gradients(model, x, y, loss_fn, "gradient_rms")
    return {
        layer.name: 0.0 if g is None else l2(g) / math.sqrt(g.size)
        for layer, g in zip(dense, grads, strict=True)
    }


def _kernel_gradients(model: keras.Model, x: Any, y: Any, loss_fn: Callable[[Any, Any], Any],
                      caller: str) -> tuple[list[keras.layers.Dense], list[np.ndarray | None]]:
    """The ``Dense`` layers of ``model`` and the loss gradient w.r.t. each kernel (None: unused)."""
    model_input = check_model(model, caller, single_input=True)
    xs = check_x(x, model_input, caller)
    ys = check_targets(y, len(xs), caller)
    check_loss(loss_fn, caller)
    dense = dense_layers(model)
    if not dense:
        return [], []
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
    return dense, [None if g is None else keras.ops.convert_to_numpy(g) for g in grads]
