"""The two namespaces the tutorial mixes: ``tf.nn.*`` and ``keras.activations.*``.

:func:`counterparts` pairs every ``keras.activations`` function with the
TensorFlow function of the same name (in ``tf.nn``, else ``tf.math``), reads
both signatures, and measures whether they give the same values at their
defaults. :func:`tf_nn_only` finds the functions of ``tf.nn`` that map a
tensor to a tensor of the same shape (or of a doubled last axis, like
``tf.nn.crelu``) and have no ``keras.activations`` counterpart. Everything is
found by introspection and measurement, so a new TensorFlow or Keras release
updates the answers.

Example:

>>> row = counterparts().rows[0]
>>> sorted(row)[:2]
['keras', 'keras parameters']
>>> "crelu" in tf_nn_only()
True
"""

from __future__ import annotations

import inspect
import logging
import warnings
from collections.abc import Callable
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from acttutor.activations import CATALOG, keras_activation_names
from acttutor.tables import Table

__all__ = ["counterparts", "parameters", "tf_counterpart", "tf_nn_only"]

_PROBE = np.linspace(-6.0, 6.0, 2 * 64, dtype=np.float32).reshape(2, 64)


def parameters(fn: Callable[..., Any]) -> str:
    """Describe a function's parameters after the first, as ``name=default`` text.

    The tensor argument (the first) and TensorFlow's ``name`` argument are left out.

    Example:

    >>> parameters(keras.activations.leaky_relu)
    'negative_slope=0.2'
    >>> parameters(tf.nn.relu)
    '—'

    Args:
        fn: A Python function.

    Returns:
        Comma-separated ``name=default`` (or just ``name`` when required), or ``—``.
    """
    params = list(inspect.signature(fn).parameters.values())[1:]
    parts = [
        p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}"
        for p in params
        if p.name != "name" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    return ", ".join(parts) or "—"


def tf_counterpart(name: str) -> tuple[str, Callable[..., Any]] | None:
    """Return ``(qualified name, function)`` of TensorFlow's function called ``name``.

    Looks in ``tf.nn`` first, then ``tf.math``.

    Example:

    >>> tf_counterpart("relu")[0]
    'tf.nn.relu'
    >>> tf_counterpart("log_sigmoid")[0]
    'tf.math.log_sigmoid'
    >>> tf_counterpart("mish") is None
    True

    Args:
        name: A ``keras.activations`` name.

    Returns:
        The pair, or ``None`` when neither namespace has the name.
    """
    for prefix, module in (("tf.nn", tf.nn), ("tf.math", tf.math)):
        fn = getattr(module, name, None)
        if callable(fn) and not inspect.isclass(fn):
            return f"{prefix}.{name}", fn
    return None


def counterparts() -> Table:
    """Pair each ``keras.activations`` function with its TensorFlow namesake.

    For each name: the TensorFlow function (``tf.nn`` or ``tf.math``), both
    parameter lists, and the largest absolute difference between the two
    when called with their defaults on a (2, 64) float32 grid over [-6, 6]
    (``0`` means the same values; for ``threshold``, the catalog's bound
    values are used on the Keras side).

    Example:

    >>> t = counterparts()
    >>> t.rows[t.column("keras").index("leaky_relu")]["tensorflow"]
    'tf.nn.leaky_relu'

    Returns:
        A :class:`~acttutor.tables.Table` with columns ``keras``,
        ``keras parameters``, ``tensorflow``, ``tensorflow parameters`` and
        ``max |difference|`` (``None`` where there is no counterpart).
    """
    rows = []
    for name in keras_activation_names():
        keras_fn = getattr(keras.activations, name)
        found = tf_counterpart(name)
        if found is None:
            rows.append([name, parameters(keras_fn), "—", "—", None])
            continue
        tf_name, tf_fn = found
        ours = np.asarray(CATALOG[name].fn(tf.constant(_PROBE)))
        theirs = np.asarray(tf_fn(tf.constant(_PROBE)))
        diff = float(np.max(np.abs(ours - theirs))) if ours.shape == theirs.shape else None
        rows.append([name, parameters(keras_fn), tf_name, parameters(tf_fn), diff])
    return Table(
        ["keras", "keras parameters", "tensorflow", "tensorflow parameters", "max |difference|"],
        rows,
    )


def tf_nn_only() -> list[str]:
    """List ``tf.nn`` functions that act like activations but are not in ``keras.activations``.

    A function qualifies when calling it with a single float32 tensor of
    shape (2, 64) succeeds and returns a tensor of the same shape, or of
    shape (2, 128) (a doubled last axis, as ``tf.nn.crelu`` gives). Names
    that ``keras.activations`` also has are left out. The probe does not
    judge purpose: a same-shape normalisation such as ``l2_normalize`` also
    qualifies.

    Example:

    >>> "relu" in tf_nn_only()
    False

    Returns:
        Sorted names (without the ``tf.nn.`` prefix).
    """
    keras_names = set(keras_activation_names())
    probe = tf.constant(_PROBE)
    found = []
    logger = tf.get_logger()
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        for name in sorted(dir(tf.nn)):
            fn = getattr(tf.nn, name)
            if name.startswith("_") or name in keras_names or inspect.isclass(fn) or not callable(
                fn
            ):
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    out = fn(probe)
                except Exception:  # most of tf.nn needs more arguments: not an activation
                    continue
            shape = tuple(getattr(out, "shape", ()))
            if shape in ((2, 64), (2, 128)):
                found.append(name)
    finally:
        logger.setLevel(level)
    return found
