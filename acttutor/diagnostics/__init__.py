"""Looking inside a network: layer outputs, dead units, gradients, weight updates and signals.

The questions a chapter asks of a trained (or untrained) Keras model, one
module each:

* :func:`~acttutor.diagnostics.layers.layer_outputs`: what does every layer
  output on a batch ``x``? With ``pre_activation=True``, each ``Dense`` layer
  gives ``x @ W + b``, its value before the activation.
* :func:`~acttutor.diagnostics.layers.dead_unit_fraction`: which share of the
  units of each ReLU layer outputs exactly 0 on **every** example (a "dead"
  unit, whose own weights get exactly zero gradient)?
  :func:`~acttutor.diagnostics.layers.inactive_unit_fraction` extends "dead"
  to every activation through pre-activations, so that Leaky ReLU or ELU,
  which never output exactly 0, can be compared with ReLU.
* :func:`~acttutor.diagnostics.revival.unit_turnover`: which dead units came
  back after more training, and which live ones died? A first-layer unit
  (fixed inputs) cannot come back under plain gradient descent; a deeper one
  can, because the layers below it keep changing its inputs.
* :func:`~acttutor.diagnostics.gradients.gradient_norms`: how large is the
  gradient of the loss with respect to each ``Dense`` kernel (the
  vanishing-gradient picture)? :func:`~acttutor.diagnostics.gradients.gradient_rms`
  gives the size of one typical entry, which compares layers of different shapes.
* :func:`~acttutor.diagnostics.updates.relative_change`: how far has training
  moved each kernel, relative to its size (after one step: the
  update-to-weight ratio)?
* :func:`~acttutor.diagnostics.spread.spread_across_examples`: how different are
  a layer's outputs from one example to the next (a forward signal that
  collapses gives every input the same vector)?
* :func:`~acttutor.diagnostics.propagation.signal_statistics`: how do the mean
  and spread of a signal change through a deep stack at initialisation?
  :func:`~acttutor.diagnostics.propagation.depth_profile` records pre-activations
  and their gradients, and
  :func:`~acttutor.diagnostics.propagation.measured_correlation` how alike two
  inputs become; :mod:`acttutor.diagnostics.meanfield` gives the wide-network
  theory of both (gains, fixed points, the slope chi_1, the edge of chaos).

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

from acttutor.diagnostics.gradients import gradient_norms, gradient_rms
from acttutor.diagnostics.layers import (
    dead_unit_fraction,
    inactive_unit_fraction,
    is_relu,
    layer_outputs,
)
from acttutor.diagnostics.meanfield import (
    chi,
    correlation_map,
    edge_of_chaos,
    regime,
    variance_fixed_point,
    variance_gain,
)
from acttutor.diagnostics.propagation import (
    depth_profile,
    measured_correlation,
    signal_statistics,
)
from acttutor.diagnostics.revival import (
    dead_units,
    recovery_verdict,
    revival_verdict,
    unit_turnover,
)
from acttutor.diagnostics.spread import shrink_factor, spread_across_examples
from acttutor.diagnostics.updates import kernel_snapshot, relative_change

__all__ = [
    "chi",
    "correlation_map",
    "dead_unit_fraction",
    "dead_units",
    "depth_profile",
    "edge_of_chaos",
    "gradient_norms",
    "gradient_rms",
    "inactive_unit_fraction",
    "is_relu",
    "kernel_snapshot",
    "layer_outputs",
    "measured_correlation",
    "recovery_verdict",
    "regime",
    "relative_change",
    "revival_verdict",
    "shrink_factor",
    "signal_statistics",
    "spread_across_examples",
    "unit_turnover",
    "variance_fixed_point",
    "variance_gain",
]
