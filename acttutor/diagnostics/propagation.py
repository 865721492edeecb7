r"""How a signal travels through a deep stack of Dense layers at initialisation.

Three measurements, one function each:
:func:`~acttutor.diagnostics.propagation.signal_statistics` (activations and gradients
of Keras ``Dense`` layers), :func:`~acttutor.diagnostics.propagation.depth_profile`
(mean and variance of pre-activations forward and of their gradients backward) and
:func:`~acttutor.diagnostics.propagation.measured_correlation` (how alike two inputs'
representations become). :mod:`acttutor.diagnostics.meanfield` predicts the same
quantities from theory.

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
from acttutor.activations import resolve

__all__ = ["depth_profile", "measured_correlation", "signal_statistics"]


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


def _kernel(initializer: str | float, width: int, seed: int) -> tf.Tensor:
    """A ``(width, width)`` kernel: from a Keras initializer name, or N(0, gain²/width)."""
    if isinstance(initializer, str):
        return tf.cast(_initializer(initializer, seed)((width, width)), tf.float32)
    gain = float(initializer)
    return tf.random.stateless_normal((width, width), seed=(seed, 7)) * (gain / np.sqrt(width))


def depth_profile(
    activation: str | Callable[[Any], Any],
    initializer: str | float = "lecun_normal",
    *,
    depth: int = 50,
    width: int = 256,
    n: int = 256,
    input_mean: float = 0.0,
    input_std: float = 1.0,
    seed: int = 0,
) -> dict[str, list[float]]:
    r"""Mean and variance, layer by layer, of pre-activations forward and their gradients backward.

    Layer :math:`l` computes :math:`z_l = h_{l-1} W_l` and :math:`h_l = f(z_l)`,
    without biases. The input batch :math:`z_0`, ``(n, width)`` Gaussian with mean
    ``input_mean`` and standard deviation ``input_std``, plays the part of the
    pre-activations of a layer 0, so :math:`h_0 = f(z_0)`: every layer, the first
    included, sees the output of the activation. The backward pass
    differentiates :math:`L = \operatorname{mean}(h_{depth} \odot r)` for a fixed
    standard-normal ``r`` (as :func:`~acttutor.diagnostics.propagation.signal_statistics`
    does) and records :math:`\partial L / \partial z_l`, scaled by ``n * width``.

    Example:

    >>> p = depth_profile("relu", "he_normal", depth=3, width=64, n=32)
    >>> sorted(p)
    ['grad_mean', 'grad_var', 'post_mean', 'post_var', 'pre_mean', 'pre_var']
    >>> len(p["pre_var"])
    3

    Args:
        activation: A Keras activation name or a function of one tensor.
        initializer: A Keras initializer name (such as ``"glorot_normal"`` or
            ``"he_normal"``), or a gain :math:`g`, for weights drawn from
            :math:`N(0, g^2/\text{width})`.
        depth: Number of layers.
        width: Units per layer (also the input width).
        n: Number of input examples.
        input_mean: Mean of the input batch.
        input_std: Standard deviation of the input batch.
        seed: Seed of the inputs, the readout and the weights.

    Returns:
        Lists of ``depth`` floats: ``pre_mean``, ``pre_var`` (of :math:`z_l`),
        ``post_mean``, ``post_var`` (of :math:`h_l`), ``grad_mean`` and
        ``grad_var`` (of the scaled :math:`\partial L/\partial z_l`).
    """
    caller = "depth_profile"
    for label, value in (("depth", depth), ("width", width), ("n", n)):
        _checks.positive_int(label, value, caller=caller)
    seed = _checks.seed(seed, caller=caller)
    if not isinstance(initializer, str):
        if isinstance(initializer, bool) or not isinstance(initializer, (int, float)) or not (
            np.isfinite(initializer) and initializer > 0
        ):
            raise ValueError(
                f"{caller}: initializer must be a Keras initializer name such as 'he_normal' "
                f"or a positive gain such as 1.41, got {initializer!r}."
            )
    _, fn = _activation(activation, caller)
    kernels = [_kernel(initializer, width, seed + i) for i in range(depth)]
    z0 = tf.random.stateless_normal((n, width), seed=(seed, 0)) * input_std + input_mean
    readout = tf.random.stateless_normal((n, width), seed=(seed, 1))
    pre, post = [], []
    with tf.GradientTape() as tape:
        h = fn(z0)
        for kernel in kernels:
            z = tf.matmul(h, kernel)
            tape.watch(z)
            h = fn(z)
            pre.append(z)
            post.append(h)
        loss = tf.reduce_mean(h * readout)
    grads = [g * float(n * width) for g in tape.gradient(loss, pre)]

    def stats(tensors: list[tf.Tensor]) -> tuple[list[float], list[float]]:
        return ([float(np.mean(t)) for t in tensors], [float(np.var(t)) for t in tensors])

    pre_mean, pre_var = stats(pre)
    post_mean, post_var = stats(post)
    grad_mean, grad_var = stats(grads)
    return {
        "pre_mean": pre_mean, "pre_var": pre_var,
        "post_mean": post_mean, "post_var": post_var,
        "grad_mean": grad_mean, "grad_var": grad_var,
    }


def measured_correlation(
    activation: str | Callable[[Any], Any],
    sigma_w2: float,
    sigma_b2: float = 0.0,
    *,
    c0: float = 0.5,
    depth: int = 50,
    width: int = 1000,
    seed: int = 0,
) -> list[float]:
    r"""Measure the correlation of two inputs' pre-activations, layer by layer, in one network.

    Two inputs of width ``width`` with correlation ``c0`` go through the same
    random network, :math:`z_l = W_l f(z_{l-1}) + b_l` with
    :math:`W_{ij} \sim N(0, \sigma_w^2/\text{width})`, :math:`b_i \sim N(0, \sigma_b^2)`;
    the first pre-activations are the inputs themselves, scaled to the variance
    fixed point. The correlation is Pearson's, over the units of one layer.
    :func:`acttutor.diagnostics.meanfield.correlation_map` gives the theory's values.

    Example:

    >>> c = measured_correlation("tanh", 0.5, 0.05, depth=20, width=200)
    >>> len(c), c[-1] > 0.9
    (21, True)

    Args:
        activation: A Keras activation name or an element-wise function.
        sigma_w2: :math:`\sigma_w^2`.
        sigma_b2: :math:`\sigma_b^2`.
        c0: Correlation of the two inputs, in (-1, 1).
        depth: Number of layers.
        width: Units per layer.
        seed: Seed of the inputs and the weights.

    Returns:
        ``[c0_measured, c1, ..., c_depth]``.
    """
    caller = "measured_correlation"
    depth = _checks.positive_int("depth", depth, caller=caller)
    width = _checks.positive_int("width", width, caller=caller)
    seed = _checks.seed(seed, caller=caller)
    if not isinstance(c0, (int, float)) or isinstance(c0, bool) or not -1 < c0 < 1:
        raise ValueError(f"{caller}: c0 must be a correlation in (-1, 1), got {c0!r}.")
    from acttutor.diagnostics.meanfield import variance_fixed_point

    q = max(variance_fixed_point(activation, sigma_w2, sigma_b2)[-1], 1e-12)
    _, fn = _activation(activation, caller)
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal((2, width))
    z = np.sqrt(q) * np.stack([a, c0 * a + np.sqrt(1.0 - c0 * c0) * b])
    values = [float(np.corrcoef(z)[0, 1])]
    for _ in range(depth):
        w = rng.standard_normal((width, width)) * np.sqrt(sigma_w2 / width)
        bias = rng.standard_normal(width) * np.sqrt(sigma_b2)
        h = np.asarray(fn(tf.constant(z, dtype=tf.float64)), dtype=float)
        z = h @ w + bias
        values.append(float(np.corrcoef(z)[0, 1]))
    return values


def _activation(
    activation: str | Callable[[Any], Any], caller: str
) -> tuple[str, Callable[[Any], Any]]:
    """``(name, fn)`` for an activation name or callable, or an error naming ``caller``.

    Example:

    >>> _activation("relu", "me")[0]
    'relu'

    Args:
        activation: A Keras activation name or a function of one tensor.
        caller: The public function to name in an error.

    Returns:
        The display name and the function.
    """
    try:
        return resolve(activation)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{caller}: {exc} Use a Keras activation name such as 'tanh'.") from None
