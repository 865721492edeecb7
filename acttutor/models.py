"""The chapters' model: a compiled multilayer perceptron with one activation in every hidden layer.

:func:`~acttutor.models.build_mlp` builds ``784 → 128 → 64 → 10`` by default, seeded so that the
same seed gives the same initial weights, and compiled (Adam, categorical
cross-entropy, accuracy) so that it is ready for
:func:`acttutor.training.train_and_evaluate`. With ``strategy=`` it is built
and compiled in a ``tf.distribute.Strategy``'s scope, so that training runs
on every device of the strategy.

Example:

>>> model = build_mlp("tanh", hidden=(16,), input_dim=64)
>>> [layer.name for layer in model.layers]
['hidden_1', 'output']
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Callable, Sequence
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from acttutor import _checks
from acttutor.activations import keras_activation_names

__all__ = ["ActivationSpec", "build_mlp"]

#: What may be passed as an activation: a ``keras.activations`` name such as
#: ``"relu"``, or a callable of one tensor (a function, or a layer instance such
#: as ``keras.layers.LeakyReLU(negative_slope=0.1)``).
ActivationSpec = str | Callable[..., Any]


def build_mlp(
    activation: ActivationSpec,
    hidden: Sequence[int] = (128, 64),
    input_dim: int = 784,
    num_classes: int = 10,
    *,
    seed: int = 0,
    strategy: tf.distribute.Strategy | None = None,
) -> keras.Model:
    """Build and compile a multilayer perceptron with one activation in every hidden layer.

    The layers are ``Dense(h, activation)`` for each ``h`` in ``hidden``, then
    ``Dense(num_classes, "softmax")``. Every kernel starts from Glorot-uniform
    values drawn from ``seed`` (biases start at 0), so the same seed gives the
    same initial weights. Compiled with Adam (learning rate 0.001),
    categorical cross-entropy and accuracy.

    Example:

    >>> model = build_mlp("relu", seed=0)
    >>> [layer.units for layer in model.layers]
    [128, 64, 10]

    Args:
        activation: A name from ``keras.activations`` (``"relu"``) or a callable
            such as ``tf.nn.relu`` or ``keras.layers.LeakyReLU(negative_slope=0.1)``.
        hidden: Units of each hidden layer.
        input_dim: Features per example (784 for flattened MNIST).
        num_classes: Output classes.
        seed: Seed of the initial weights.
        strategy: A ``tf.distribute.Strategy`` (for example
            ``tf.distribute.MirroredStrategy()`` over several GPUs): the model is
            built and compiled in its scope, so its variables live on every
            replica. ``None`` builds it on the default device.

    Returns:
        A compiled ``keras.Model`` with layers named ``hidden_1``, ``hidden_2``, ...,
        ``output``.

    Raises:
        TypeError: For an activation that is neither a name nor a callable, a
            ``hidden`` that is not a sequence, or a ``strategy`` that is not a
            ``tf.distribute.Strategy``.
        ValueError: For an unknown activation name, sizes that are not
            positive ints, fewer than 2 classes, a negative seed, or an
            activation that fails or changes the shape inside a layer.
    """
    name, fn = resolve_activation(activation)
    hidden = _checks.sizes("hidden", hidden)
    input_dim = _checks.positive_int("input_dim", input_dim)
    num_classes = _checks.positive_int("num_classes", num_classes)
    if num_classes < 2:
        raise ValueError(f"num_classes must be at least 2, got {num_classes}.")
    seed = _checks.seed(seed)
    with strategy_scope(strategy):
        model = _mlp(name, fn, hidden, input_dim, num_classes, seed)
        _try_activation(model, name, input_dim, (*hidden, num_classes))
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=1e-3),
            loss="categorical_crossentropy",
            metrics=["accuracy"],
        )
    return model


def _mlp(name: str, fn: Callable[..., Any], hidden: tuple[int, ...], input_dim: int,
         num_classes: int, seed: int) -> keras.Model:
    layer_seeds = np.random.SeedSequence(seed).generate_state(len(hidden) + 1)
    layers: list[keras.layers.Layer] = [keras.Input(shape=(input_dim,), name="pixels")]
    for i, units in enumerate(hidden):
        layers.append(
            keras.layers.Dense(
                units,
                activation=fn,
                kernel_initializer=keras.initializers.GlorotUniform(seed=int(layer_seeds[i])),
                name=f"hidden_{i + 1}",
            )
        )
    layers.append(
        keras.layers.Dense(
            num_classes,
            activation="softmax",
            kernel_initializer=keras.initializers.GlorotUniform(seed=int(layer_seeds[-1])),
            name="output",
        )
    )
    return keras.Sequential(layers, name=_model_name(name))


def strategy_scope(
    strategy: tf.distribute.Strategy | None,
) -> contextlib.AbstractContextManager[Any]:
    """The scope to build a model in: ``strategy.scope()``, or nothing for ``None``.

    Args:
        strategy: ``None`` or a ``tf.distribute.Strategy``.

    Returns:
        A context manager.
    """
    if strategy is None:
        return contextlib.nullcontext()
    if not isinstance(strategy, tf.distribute.Strategy):
        raise TypeError(
            "strategy must be a tf.distribute.Strategy, such as "
            f"tf.distribute.MirroredStrategy(), or None; got {type(strategy).__name__}."
        )
    return strategy.scope()


def resolve_activation(activation: ActivationSpec) -> tuple[str, Callable[..., Any]]:
    """Return ``(name, function)`` for an activation spec, or raise with what to pass instead.

    Args:
        activation: A ``keras.activations`` name or a callable.

    Returns:
        The display name (the name given, or the callable's name) and the callable.
    """
    if isinstance(activation, str):
        name = activation.strip()
        known = keras_activation_names()
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(
                f"Unknown activation {activation!r}.{hint} Known names: {', '.join(known)}."
            )
        return name, keras.activations.get(name)
    if isinstance(activation, type):
        raise TypeError(
            f"Got the class {activation.__name__}; pass an instance such as "
            f"{activation.__name__}() or a function of one tensor."
        )
    if activation is None or activation is ...:
        raise TypeError("No activation given: pass a name such as 'relu' or a function.")
    if not callable(activation):
        raise TypeError(
            "activation must be a name such as 'relu' or a function of one tensor, "
            f"got {type(activation).__name__}."
        )
    return callable_name(activation), activation


def callable_name(fn: Callable[..., Any]) -> str:
    """The name a callable activation goes by: ``__name__``, else a layer's ``name``.

    Args:
        fn: A function or a callable object such as a Keras layer.

    Returns:
        The name.
    """
    name = getattr(fn, "__name__", None)
    if isinstance(name, str) and name:
        return name
    return getattr(fn, "name", None) or type(fn).__name__


def _try_activation(
    model: keras.Model, name: str, input_dim: int, units: Sequence[int]
) -> None:
    """Run two examples through the layers so a broken activation fails here, clearly."""
    out = np.full((2, input_dim), 0.5, dtype=np.float32)
    for layer, width in zip(model.layers, units, strict=True):
        try:
            out = layer(out)
        except Exception as exc:  # the learner's activation raised
            raise ValueError(
                f"The activation {name!r} failed inside layer {layer.name!r} "
                f"({type(exc).__name__}: {_first_line(exc)}). It must take one tensor and "
                "return a tensor of the same shape, using TensorFlow or keras.ops functions."
            ) from None
        shape = tuple(getattr(out, "shape", ()))
        if shape != (2, width):
            raise ValueError(
                f"The activation {name!r} changed the shape of layer {layer.name!r}: a batch "
                f"of 2 should give (2, {width}), got {shape}. An activation must work "
                "element by element and keep the shape."
            )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else ""
    return line if len(line) <= 200 else line[:197] + "..."


def _model_name(activation_name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", activation_name).strip("_") or "custom"
    return f"mlp_{cleaned}"
