r"""Very deep MLPs, as a plain stack or as residual blocks with LayerNorm, trained in a short loop.

A hundred Keras ``Dense`` layers take about a minute to trace on two cores, so this
module writes the network with plain TensorFlow variables: a ``plain`` stack computes
:math:`h_{l+1} = f(h_l W_l + b_l)`; a ``residual`` one computes
:math:`h_{l+1} = h_l + f(\operatorname{LN}(h_l) W_l + b_l)`, where LN normalises each
example's vector to mean 0 and variance 1 (LayerNorm without its learned scale and
shift). Both start from a ``Dense`` map of the 784 pixels to ``width`` units and end
with a softmax readout, and train with Adam on the cross-entropy.

Example:

>>> import numpy as np
>>> from acttutor.data import Dataset
>>> rng = np.random.default_rng(0)
>>> x = rng.random((64, 784)).astype("float32")
>>> y = np.eye(10, dtype="float32")[rng.integers(0, 10, 64)]
>>> data = Dataset(x, y, x, y, "random")
>>> run = train_deep_stack(data, depth=3, width=8, epochs=1)
>>> 0.0 <= run.test_acc <= 1.0
True
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

from acttutor import _checks
from acttutor.activations import resolve
from acttutor.data import Dataset

__all__ = ["DeepRun", "depth_verdict", "train_deep_stack"]


@dataclass(frozen=True)
class DeepRun:
    """The outcome of :func:`acttutor.deep.train_deep_stack`.

    Example:

    >>> DeepRun(test_acc=0.5, losses=[2.3, 1.0], seconds=1.0).test_acc
    0.5

    Attributes:
        test_acc: Accuracy on the test split, a fraction.
        losses: Mean training loss of each epoch.
        seconds: Wall time of training and evaluation.
        settings: What was trained (depth, width, activation, residual, ...).
    """

    test_acc: float
    losses: list[float]
    seconds: float
    settings: dict[str, object] = field(default_factory=dict)


def _layer_norm(h: tf.Tensor) -> tf.Tensor:
    mean, var = tf.nn.moments(h, axes=[-1], keepdims=True)
    return (h - mean) * tf.math.rsqrt(var + 1e-5)


def train_deep_stack(
    data: Dataset,
    *,
    depth: int = 100,
    width: int = 64,
    activation: str = "tanh",
    residual: bool = False,
    epochs: int = 2,
    batch_size: int = 64,
    learning_rate: float = 1e-3,
    seed: int = 0,
) -> DeepRun:
    r"""Train a ``depth``-layer MLP on ``data``, plain or residual with LayerNorm.

    Hidden kernels are Glorot-uniform (the Keras default), biases 0. The residual
    form adds a final LayerNorm before the readout, as pre-norm Transformers do.

    Example:

    >>> DeepRun(0.9, [0.5], 1.0).losses
    [0.5]

    Args:
        data: A :class:`~acttutor.data.Dataset` with flattened images and one-hot labels.
        depth: Number of hidden layers (blocks).
        width: Units per hidden layer.
        activation: A Keras activation name.
        residual: ``False`` for a plain stack, ``True`` for residual blocks with LayerNorm.
        epochs: Passes over the training split.
        batch_size: Examples per step.
        learning_rate: Adam's learning rate.
        seed: Seed of the weights and the order of the examples.

    Returns:
        A :class:`~acttutor.deep.DeepRun`.
    """
    caller = "train_deep_stack"
    for label, value in (("depth", depth), ("width", width), ("epochs", epochs),
                         ("batch_size", batch_size)):
        _checks.positive_int(label, value, caller=caller)
    seed = _checks.seed(seed, caller=caller)
    if not isinstance(data, Dataset) or np.ndim(data.x_train) != 2 or np.ndim(data.y_train) != 2:
        raise TypeError(
            f"{caller}: data must be a Dataset from load_mnist() with flatten=True and "
            "one_hot=True."
        )
    _, fn = resolve(activation)
    start = time.perf_counter()
    glorot = keras.initializers.GlorotUniform(seed=seed)
    inputs, classes = data.x_train.shape[1], data.y_train.shape[1]
    first = tf.Variable(glorot((inputs, width)))
    kernels = tf.Variable(tf.stack([
        keras.initializers.GlorotUniform(seed=seed + 1 + i)((width, width)) for i in range(depth)
    ]))
    biases = tf.Variable(tf.zeros((depth, width)))
    readout = tf.Variable(keras.initializers.GlorotUniform(seed=seed + depth + 1)((width, classes)))
    variables = [first, kernels, biases, readout]
    optimizer = keras.optimizers.Adam(learning_rate)

    def layer(h: tf.Tensor, weights: tuple[tf.Tensor, tf.Tensor]) -> tf.Tensor:
        kernel, bias = weights
        if residual:
            return h + fn(tf.matmul(_layer_norm(h), kernel) + bias)
        return fn(tf.matmul(h, kernel) + bias)

    def forward(x: tf.Tensor) -> tf.Tensor:
        # One loop in the graph, not ``depth`` copies of the layer: fast to trace.
        h = tf.foldl(layer, (kernels, biases), initializer=tf.matmul(x, first))
        if residual:
            h = _layer_norm(h)
        return tf.matmul(h, readout)

    @tf.function
    def step(x: tf.Tensor, y: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(
                tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=forward(x)))
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    x_train = tf.constant(data.x_train, tf.float32)
    y_train = tf.constant(data.y_train, tf.float32)
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(epochs):
        order = rng.permutation(len(data.x_train))
        epoch = []
        for begin in range(0, len(order), batch_size):
            index = order[begin:begin + batch_size]
            epoch.append(float(step(tf.gather(x_train, index), tf.gather(y_train, index))))
        losses.append(float(np.mean(epoch)))
    predicted = np.argmax(forward(tf.constant(data.x_test, tf.float32)).numpy(), axis=1)
    test_acc = float(np.mean(predicted == np.argmax(data.y_test, axis=1)))
    settings = {"depth": depth, "width": width, "activation": activation,
                "residual": residual, "epochs": epochs, "batch_size": batch_size,
                "learning_rate": learning_rate, "data": data.source}
    return DeepRun(test_acc, losses, time.perf_counter() - start, settings)


def depth_verdict(plain: DeepRun, residual: DeepRun, *, chance: float = 0.1) -> str:
    """Say whether the plain stack and the residual one trained.

    The rule: a run *trained* when its test accuracy is at least five times
    ``chance``; it *did not train* when it is within 0.05 of chance; otherwise it
    *trained only partly*.

    Example:

    >>> text = depth_verdict(DeepRun(0.11, [2.3], 1.0), DeepRun(0.86, [0.5], 1.0))
    >>> text.split("; ")[1]
    'the residual one trained (86%)'

    Args:
        plain: The plain stack's run.
        residual: The residual stack's run.
        chance: Accuracy of guessing (0.1 for ten classes).

    Returns:
        One sentence, without a final full stop.
    """
    def word(run: DeepRun) -> str:
        if not isinstance(run, DeepRun):
            raise TypeError(f"depth_verdict: expected DeepRun objects, got {type(run).__name__}.")
        if run.test_acc >= 5 * chance:
            return "trained"
        if run.test_acc <= chance + 0.05:
            return "did not train"
        return "trained only partly"

    return (f"the plain stack {word(plain)} ({plain.test_acc:.0%} test accuracy, chance is "
            f"{chance:.0%}); the residual one {word(residual)} ({residual.test_acc:.0%})")
