"""What an activation costs: element-wise functions timed against a memory copy.

An element-wise activation reads every input element once and writes every
output element once, exactly like a copy. A copy does no arithmetic at all,
so its time is the *floor* for any element-wise op on the same tensor: the
time it takes to move the bytes. :func:`~acttutor.cost.measure.measure_costs`
times each function against the real copies of
:data:`~acttutor.cost.floor.COPIES`, interleaved round-robin on the same
tensor, and reports **ratios** to the fastest of them (the *floor*): ``1.0``
means "as cheap as moving the data".

Two measurements per function, each against a floor timed the same way:

* ``forward``: ``fn(x)`` in eager mode, as a notebook runs it;
* ``forward_backward``: ``fn(x)`` and its gradient under ``tf.GradientTape``,
  given an upstream gradient, as a training step needs it.

Many Keras activations are built from several TensorFlow ops, and eager
TensorFlow runs each op as its own pass over memory.
:func:`~acttutor.cost.ops.traffic` reads those ops from a trace of the
function and adds up the bytes they must read and write, in units of one
copy. The **rule** (:func:`~acttutor.cost.ops.classify`): a function is
*memory-bound* when its forward time is at most
:data:`~acttutor.cost.ops.MEMORY_BOUND_MAX` times what its memory traffic
alone costs (``forward <= 1.5 * traffic``), and *compute-bound* otherwise:
then the arithmetic, not moving bytes, sets its speed.

The package has one module per job: :mod:`acttutor.cost.floor` (the copies
and the round-robin ratio), :mod:`acttutor.cost.ops` (ops, traffic and
the rule), :mod:`acttutor.cost.measure` (the cost table),
:mod:`acttutor.cost.relative` (the catalog relative to ReLU),
:mod:`acttutor.cost.machine` (this CPU's cache) and
:mod:`acttutor.cost.verdicts` (the chapter's verdicts in words). Every public
name is importable from ``acttutor.cost`` itself.

Example:

>>> import tensorflow as tf
>>> table = measure_costs({"relu": tf.nn.relu}, size=2**12, repeats=3)
>>> row = table.row("relu")
>>> row.traffic, row.bound in ("memory", "compute")
(1.0, True)
"""

from __future__ import annotations

from acttutor.activations import elementwise_activations
from acttutor.cost.floor import (
    COPIES,
    FloorRatios,
    copy,
    copy_steps,
    forward_backward,
    ratios_to_floor,
)
from acttutor.cost.machine import cache_verdict, last_level_cache_bytes
from acttutor.cost.measure import Cost, CostTable, measure_costs
from acttutor.cost.ops import MEMORY_BOUND_MAX, SPECIAL_OPS, classify, kernels, traffic
from acttutor.cost.relative import relative_cost
from acttutor.cost.verdicts import (
    cheapest_verdict,
    claim_verdict,
    comparison_verdict,
    floor_verdict,
    fusion_gains_verdict,
    gap_verdict,
    memory_special_note,
    plain_compute_note,
    pow_note,
    xla_verdict,
)

__all__ = [
    "COPIES",
    "MEMORY_BOUND_MAX",
    "SPECIAL_OPS",
    "Cost",
    "CostTable",
    "FloorRatios",
    "cache_verdict",
    "cheapest_verdict",
    "claim_verdict",
    "classify",
    "comparison_verdict",
    "copy",
    "copy_steps",
    "elementwise_activations",
    "floor_verdict",
    "forward_backward",
    "fusion_gains_verdict",
    "gap_verdict",
    "kernels",
    "last_level_cache_bytes",
    "measure_costs",
    "memory_special_note",
    "plain_compute_note",
    "pow_note",
    "ratios_to_floor",
    "relative_cost",
    "traffic",
    "xla_verdict",
]
