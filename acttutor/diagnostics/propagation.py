r"""How a signal travels through a deep stack of Dense layers at initialisation.

:func:`~acttutor.diagnostics.propagation.signal_statistics` pushes standard-normal inputs
through ``depth`` freshly initialised ``Dense`` layers of equal width and
records, layer by layer, the mean and standard deviation of the activations
(forward) and the standard deviation of the gradient that flows back to each
layer's output (backward). It is the experiment behind two claims of the book:
SELU with LeCun-normal weights keeps mean ≈ 0 and std ≈ 1 through many layers
(Klambauer et al., 2017), and each activation family needs the initialiser
scaled for it (He for ReLU, He et al., 2015; Glorot for tanh, Glorot & Bengio,
2010).

Example:

>>> stats = signal_statistics("selu", "lecun_normal", depth=3, width=32, n=64)
>>> sorted(stats), len(stats["std"])
(['grad_std', 'mean', 'std'], 3)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from acttutor import _checks

__all__ = ["signal_statistics"]


def _initializer(name: str, seed: int) -> keras.initializers.Initializer:
    try:
        prototype = keras.initializers.get(name)
    except ValueError as exc:
        raise ValueError(
            f"Unknown initializer {name!r}. Use a Keras name such as 'he_normal', "
            "'glorot_uniform' or 'lecun_normal'."
        ) from exc
    config = prototype.get_config()
    if "seed" not in config:
        raise ValueError(f"Initializer {name!r} takes no seed; use a random initializer.")
    config["seed"] = seed
    return type(prototype).from_config(config)


def signal_statistics(
    activation: str | Callable[[Any], Any],
    initializer: str = "lecun_normal",
    *,
    depth: int = 30,
    width: int = 256,
    n: int = 1024,
    seed: int = 0,
) -> dict[str, list[float]]:
    r"""Measure activation and gradient statistics layer by layer through a deep MLP.

    The input is an ``(n, width)`` batch of standard-normal values. Layer
    :math:`l` computes :math:`h_l = f(h_{l-1} W_l + b_l)` with ``W_l`` drawn
    by ``initializer`` (seeded ``seed + l``) and ``b_l = 0``. The backward
    pass differentiates the loss :math:`L = \operatorname{mean}(h_{depth} \odot r)`
    for a fixed standard-normal ``r``, so the gradient reaching each layer
    depends only on the network, not on a task.

    Example:

    >>> stats = signal_statistics("relu", "he_normal", depth=2, width=16, n=32)
    >>> len(stats["mean"])
    2

    Args:
        activation: A Keras activation name or a function of one tensor.
        initializer: A Keras initializer name for every kernel.
        depth: Number of Dense layers.
        width: Units per layer (also the input width).
        n: Number of input examples.
        seed: Seed of the inputs, the readout ``r`` and the weights.

    Returns:
        ``{"mean": [...], "std": [...], "grad_std": [...]}``, one value per
        layer: the mean and standard deviation over all examples and units
        of :math:`h_l`, and the standard deviation of
        :math:`\partial L / \partial h_l` (scaled by ``n * width``, so that
        the last layer's value is that of ``r``, about 1).
    """
    for label, value in (("depth", depth), ("width", width), ("n", n)):
        _checks.positive_int(label, value, caller="signal_statistics")
    seed = _checks.seed(seed, caller="signal_statistics")
    layers = [
        keras.layers.Dense(width, activation=activation,
                           kernel_initializer=_initializer(initializer, seed + i))
        for i in range(depth)
    ]
    x = tf.random.stateless_normal((n, width), seed=(seed, 0))
    readout = tf.random.stateless_normal((n, width), seed=(seed, 1))
    outputs = []
    with tf.GradientTape() as tape:
        h = x
        for layer in layers:
            h = layer(h)
            outputs.append(h)
        loss = tf.reduce_mean(h * readout)
    grads = tape.gradient(loss, outputs)
    scale = float(n * width)
    return {
        "mean": [float(np.mean(o)) for o in outputs],
        "std": [float(np.std(o)) for o in outputs],
        "grad_std": [float(np.std(g) * scale) if g is not None else 0.0 for g in grads],
    }
