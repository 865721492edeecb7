"""What an element-wise function makes memory do: its kernels, their traffic, and the verdict.

Many Keras activations are built from several TensorFlow ops, and eager
TensorFlow runs each op as its own pass over memory.
:func:`~acttutor.cost.ops.kernels` reads those ops from a trace of the function,
:func:`~acttutor.cost.ops.traffic` adds up the bytes they must read and write in
units of one copy, and :func:`~acttutor.cost.ops.classify` applies the rule: a
function is *memory-bound* when its forward time is at most
:data:`~acttutor.cost.ops.MEMORY_BOUND_MAX` times what its memory traffic alone
costs, and *compute-bound* otherwise.

Example:

>>> import tensorflow as tf
>>> kernels(tf.nn.relu), traffic(tf.nn.relu), classify(1.2, 1.0)
(['Relu'], 1.0, 'memory')
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import tensorflow as tf

__all__ = ["MEMORY_BOUND_MAX", "SPECIAL_OPS", "classify", "kernels", "traffic"]

TensorFn = Callable[[tf.Tensor], tf.Tensor]

#: Largest ``forward / traffic`` still called memory-bound (see :func:`classify`).
MEMORY_BOUND_MAX: float = 1.5

#: TensorFlow ops that evaluate a special function (exponential, logarithm, tanh, erf, power)
#: per value: many instructions each, where ``max`` or a multiply takes one.
SPECIAL_OPS: frozenset[str] = frozenset(
    {"Exp", "Expm1", "Log", "Log1p", "Softplus", "Sigmoid", "Tanh", "Elu", "Selu", "Erf",
     "Erfc", "Pow"}
)

#: Graph ops that do not launch a kernel over the data (they only name or alias it).
_NOT_KERNELS = frozenset({"Placeholder", "Const", "Identity", "IdentityN", "NoOp"})

#: Length of the 1-D tensor used to trace a function (any size gives the same ops).
_TRACE_SIZE = 1024


def _full_size_ops(fn: TensorFn) -> list[tf.Operation]:
    spec = tf.TensorSpec([_TRACE_SIZE], tf.float32)
    graph = tf.function(fn).get_concrete_function(spec).graph
    return [
        op
        for op in graph.get_operations()
        if op.type not in _NOT_KERNELS
        and any(out.shape.as_list() == [_TRACE_SIZE] for out in op.outputs)
    ]


def _full_size_bytes(tensors: Any) -> int:
    return sum(
        t.dtype.size * _TRACE_SIZE for t in tensors if t.shape.as_list() == [_TRACE_SIZE]
    )


def kernels(fn: TensorFn) -> list[str]:
    """Return the TensorFlow ops ``fn`` runs over the whole tensor, in order.

    In eager mode each of these is a separate kernel: a separate pass that
    reads its inputs from memory and writes a full-size result. The list
    comes from tracing ``fn`` with ``tf.function`` and keeping the ops whose
    output has the input's shape.

    Example:

    >>> import tensorflow as tf
    >>> kernels(tf.nn.relu)
    ['Relu']
    >>> kernels(lambda x: tf.nn.relu6(x + 3.0) / 6.0)
    ['AddV2', 'Relu6', 'RealDiv']

    Args:
        fn: An element-wise function of one tensor.

    Returns:
        The op type names, one per full-size op.
    """
    return [op.type for op in _full_size_ops(fn)]


def traffic(fn: TensorFn) -> float:
    """Return the bytes ``fn``'s kernels read and write, in units of one copy.

    A copy of ``n`` float32 values reads ``4n`` bytes and writes ``4n``. For
    each full-size op of :func:`kernels`, this adds the bytes of its
    full-size inputs and outputs (a boolean mask counts 1 byte per element, a
    float32 tensor 4), and divides the total by ``8n``. Scalars are free.

    Example:

    >>> import tensorflow as tf
    >>> traffic(tf.nn.relu)
    1.0
    >>> traffic(lambda x: x * tf.sigmoid(x))  # Sigmoid: 1 copy; Mul reads 2, writes 1
    2.5

    Args:
        fn: An element-wise function of one tensor.

    Returns:
        The memory traffic as a multiple of one copy's (0.0 if no kernel runs).
    """
    total = 0
    for op in _full_size_ops(fn):
        total += _full_size_bytes(op.inputs) + _full_size_bytes(op.outputs)
    return total / (2 * 4 * _TRACE_SIZE)


def classify(forward: float, traffic_copies: float, limit: float = MEMORY_BOUND_MAX) -> str:
    """Return ``"memory"`` or ``"compute"``: what limits an element-wise function.

    Rule: ``"memory"`` when ``forward <= limit * traffic_copies``, that is,
    when the function takes at most ``limit`` times as long as moving its
    bytes would; ``"compute"`` otherwise.

    Example:

    >>> classify(1.1, 1.0), classify(3.0, 1.0), classify(6.0, 5.0)
    ('memory', 'compute', 'memory')

    Args:
        forward: Measured forward time divided by a copy's time.
        traffic_copies: The function's memory traffic in copies (:func:`traffic`).
        limit: The largest ``forward / traffic_copies`` still called memory-bound.

    Returns:
        ``"memory"`` or ``"compute"``.

    Raises:
        ValueError: If a ratio is not finite and positive.
    """
    for label, value in (("forward", forward), ("traffic_copies", traffic_copies)):
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"classify needs a finite positive {label}, got {value!r}.")
    return "memory" if forward <= limit * traffic_copies else "compute"
