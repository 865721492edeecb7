"""The checkers' Keras models: build them with known weights, and judge per-layer answers.

The diagnostics exercises (``ex4``, ``ex5``) give the learner's function a
model the checker built, and expect a dict keyed by layer name. This module
holds what they share: :func:`zero_dense` and :func:`sequential` build models
whose every weight the checker then sets itself; :func:`unchanged_weights`
fails an answer that trains or edits the model it was given; and
:func:`check_layer_keys` judges the keys of the returned dict. The exercises
whose answer goes inside a model (``ex3``'s activation) use
:func:`train_one_step`, and :func:`walk_layers` finds every layer of a
learner's model, nested ones included.

Example:

>>> model = sequential("tiny", 3, [zero_dense(2, "relu", "hidden")])
>>> check_layer_keys({"hidden": 0.0}, ["hidden"], "f(model, x)",
...                  explain_extra=lambda k: "", explain_missing=lambda k: "")
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import keras
import numpy as np

from acttutor.exercises.guard import library_guard
from acttutor.exercises.outcomes import Fail, LearnerError
from acttutor.exercises.timelimit import TimeUp, budget, time_limit
from acttutor.exercises.words import too_slow

__all__ = ["check_layer_keys", "quiet_tf", "sequential", "train_one_step", "unchanged_weights",
           "walk_layers", "zero_dense"]


def zero_dense(units: int, activation: Any, name: str, *, use_bias: bool = True
               ) -> keras.layers.Dense:
    """A ``Dense`` layer whose initial weights are zeros, for the checker to set itself.

    Zero initialisers draw no random numbers, so building the checker's models
    leaves the learner's seeds untouched.

    Example:

    >>> zero_dense(4, "relu", "hidden").units
    4

    Args:
        units: Output width.
        activation: Any activation Keras accepts (a name, a function, ``None``).
        name: The layer's name (the key the learner's dict must use).
        use_bias: Whether the layer has a bias.

    Returns:
        The layer (not yet built).
    """
    return keras.layers.Dense(units, activation=activation, name=name, use_bias=use_bias,
                              kernel_initializer="zeros", bias_initializer="zeros")


def sequential(label: str, input_dim: int, layers: Sequence[keras.layers.Layer]
               ) -> keras.Sequential:
    """A ``keras.Sequential`` model named ``label`` that starts with ``keras.Input``.

    Example:

    >>> sequential("tiny", 3, [zero_dense(2, None, "out")]).output_shape
    (None, 2)

    Args:
        label: The model's name, used in messages.
        input_dim: The width of the input.
        layers: The layers, in order.

    Returns:
        The built model.
    """
    return keras.Sequential([keras.Input((input_dim,), name=f"{label}_input"), *layers],
                            name=label)


@contextmanager
def unchanged_weights(model: keras.Model, call: str, fix: str) -> Iterator[None]:
    """Fail if the code run inside changes the model's weights (or its list of weights).

    Example:

    >>> model = sequential("tiny", 3, [zero_dense(2, None, "out")])
    >>> with unchanged_weights(model, "f(model, x)", "Only read the model."):
    ...     _ = model.get_weights()

    Args:
        model: The model handed to the learner's function.
        call: A description of the call, for the message.
        fix: What to do instead.

    Returns:
        A context manager.
    """
    before = [np.array(w, copy=True) for w in model.get_weights()]
    yield
    after = model.get_weights()
    changed = len(before) != len(after) or any(
        a.shape != b.shape or not np.array_equal(a, b, equal_nan=True)
        for a, b in zip(before, after, strict=False)
    )
    if changed:
        raise Fail(f"{call} changed the model's weights. {fix}")


def check_layer_keys(
    got: dict,
    expected: Sequence[str],
    call: str,
    *,
    explain_extra: Callable[[str], str],
    explain_missing: Callable[[str], str],
) -> None:
    """Fail unless the dict's keys are exactly the expected layer names.

    The first problem is named: keys that are layer positions, a key that is
    not a string, a key that should not be there (``explain_extra`` says why),
    then a missing key (``explain_missing`` says which layer it is).

    Example:

    >>> try:
    ...     check_layer_keys({0: 0.5}, ["hidden"], "f(model, x)",
    ...                      explain_extra=str, explain_missing=str)
    ... except Fail as exc:
    ...     print(str(exc)[:52])
    f(model, x) returned keys [0]: those look like layer

    Args:
        got: The learner's dict.
        expected: The layer names it must have, in the model's order.
        call: A description of the call, for messages.
        explain_extra: Given an unexpected key, the rest of the message after ``call``,
            such as ``"returned the key 'x', which is not a layer of that model."``.
        explain_missing: Given a missing key, the rest of the message after ``call``,
            such as ``"has no entry for 'out', the output layer."``.

    Returns:
        None when the keys are right.
    """
    keys = list(got)
    want = list(expected)
    if keys and all(isinstance(k, (int, np.integer)) or (isinstance(k, str) and k.isdigit())
                    for k in keys):
        raise Fail(f"{call} returned keys {sorted(keys, key=str)!r}: those look like layer "
                   f"positions. Key the dict by layer.name instead, here {want!r}.")
    bad = [k for k in keys if not isinstance(k, str)]
    if bad:
        example = want[0] if want else "layer.name"
        raise Fail(f"{call} returned the key {bad[0]!r} ({type(bad[0]).__name__}); every key "
                   f"must be a layer's name (layer.name), a str such as {example!r}.")
    extra = [k for k in keys if k not in want]
    if extra:
        raise Fail(f"{call} {explain_extra(extra[0])}")
    missing = [k for k in want if k not in got]
    if missing:
        raise Fail(f"{call} {explain_missing(missing[0])}")


@contextmanager
def quiet_tf() -> Iterator[None]:
    """Keep TensorFlow's Python log (retracing notices) out of the learner's output.

    Example:

    >>> with quiet_tf():
    ...     pass

    Returns:
        A context manager.
    """
    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def walk_layers(model: Any) -> Iterator[Any]:
    """Every layer of a model, and of the models and blocks nested in it, in order.

    Example:

    >>> inner = sequential("inner", 2, [zero_dense(2, "relu", "a")])
    >>> [layer.name for layer in walk_layers(sequential("outer", 2, [inner]))]
    ['inner', 'a']

    Args:
        model: A Keras model (or anything with a ``layers`` list).

    Returns:
        An iterator over the layers.
    """
    for layer in getattr(model, "layers", []):
        yield layer
        if hasattr(layer, "layers"):
            yield from walk_layers(layer)


def train_one_step(layers: Sequence[keras.layers.Layer], x: np.ndarray, y: np.ndarray, *,
                   what: str, restore: Sequence[Any] = ()) -> tuple[float, float]:
    """Train a tiny softmax classifier around ``layers`` for one step; return its two losses.

    The model is ``Input -> layers -> Dense(classes, softmax)``, compiled with
    SGD and categorical cross-entropy, and runs ``train_on_batch`` once (graph
    mode, as in ``fit``), then ``test_on_batch``, within the time budget of
    one training step (``timelimit.budget("training")``). An exception there is the
    learner's code failing inside Keras (:class:`~acttutor.exercises.outcomes.LearnerError`,
    reported with ``what``). Keras layers in ``restore`` (the learner's own)
    get their weights back afterwards, so the check changes nothing it was given.

    Example:

    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(8, 3)).astype("float32")
    >>> y = np.eye(2, dtype="float32")[rng.integers(0, 2, 8)]
    >>> before, after = train_one_step([keras.layers.Dense(4, activation="tanh")], x, y,
    ...                                what="Dense(4, activation='tanh')")
    >>> bool(np.isfinite(before) and np.isfinite(after))
    True

    Args:
        layers: The hidden layers, built around the learner's answer.
        x: A float32 batch of inputs.
        y: One-hot targets for it.
        what: How to name the model in messages, such as ``"Dense(8, activation=f)"``.
        restore: Keras layers whose weights must be put back after the step.

    Returns:
        ``(loss during the step, loss after it)``.
    """
    saved = [(layer, layer.get_weights()) for layer in restore]
    where = f"building a model with {what}"
    seconds = budget("training")
    try:
        with quiet_tf(), time_limit(seconds), library_guard():
            out = keras.layers.Dense(
                y.shape[1], activation="softmax",
                kernel_initializer=keras.initializers.GlorotUniform(seed=1))
            model = keras.Sequential([keras.Input(shape=(x.shape[1],)), *layers, out])
            model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05),
                          loss="categorical_crossentropy", jit_compile=False)
            where = f"one training step (model.train_on_batch) with {what}"
            before = float(np.asarray(model.train_on_batch(x, y)))
            where = f"evaluating the model with {what} after one training step"
            after = float(np.asarray(model.test_on_batch(x, y)))
    except TimeUp:
        raise Fail(too_slow(where[:1].upper() + where[1:], seconds, [x],
                            what="training")) from None
    except (Fail, LearnerError):
        raise
    except Exception as exc:  # the learner's code failed inside Keras (graph mode)
        raise LearnerError(exc, where) from exc
    finally:
        for layer, weights in saved:
            if weights:
                layer.set_weights(weights)
    return before, after
