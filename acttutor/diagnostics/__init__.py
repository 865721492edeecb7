"""Looking inside a network: layer outputs, dead ReLU units, gradient norms and signal statistics.

Four questions a chapter asks of a trained (or untrained) Keras model, one
module each:

* :func:`~acttutor.diagnostics.layers.layer_outputs`: what does every layer
  output on a batch ``x``? With ``pre_activation=True``, each ``Dense`` layer
  gives ``x @ W + b``, its value before the activation.
* :func:`~acttutor.diagnostics.layers.dead_unit_fraction`: which share of the
  units of each ReLU layer outputs exactly 0 on **every** example (a "dead"
  unit, which passes no gradient and so cannot recover)?
  :func:`~acttutor.diagnostics.layers.inactive_unit_fraction` extends "dead"
  to every activation through pre-activations, so that Leaky ReLU or ELU,
  which never output exactly 0, can be compared with ReLU.
* :func:`~acttutor.diagnostics.gradients.gradient_norms`: how large is the
  gradient of the loss with respect to each ``Dense`` kernel (the
  vanishing-gradient picture)?
* :func:`~acttutor.diagnostics.propagation.signal_statistics`: how do the mean
  and spread of a signal change through a deep stack at initialisation?

Only public Keras API is used: ``model.inputs``, ``layer.input``,
``layer.output``, ``layer.kernel``, ``layer.bias`` and ``layer.activation``.
The model is always run in inference mode (``training=False``), so
``Dropout`` is off and the numbers are reproducible. Only the model's
top-level layers are inspected; a nested model counts as one layer. Every
public name is importable from ``acttutor.diagnostics`` itself.

Example:

>>> import keras, numpy as np
>>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu")])
>>> x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
>>> sorted(dead_unit_fraction(model, x)) == [model.layers[0].name]
True
"""

from __future__ import annotations

from acttutor.diagnostics.gradients import gradient_norms
from acttutor.diagnostics.layers import (
    dead_unit_fraction,
    inactive_unit_fraction,
    is_relu,
    layer_outputs,
)
from acttutor.diagnostics.propagation import signal_statistics

__all__ = [
    "dead_unit_fraction",
    "gradient_norms",
    "inactive_unit_fraction",
    "is_relu",
    "layer_outputs",
    "signal_statistics",
]
