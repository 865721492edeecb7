"""The floor every element-wise op is measured against: a plain copy of the same tensor.

An element-wise activation reads every input element once and writes every
output element once, exactly like a copy, and a copy does no arithmetic at all.
So the fastest of the real copies in :data:`~acttutor.cost.floor.COPIES` is the
*floor* for any element-wise op on the same tensor.
:func:`~acttutor.cost.floor.ratios_to_floor` times functions round-robin with the
floor and reports each one's ratio to it, round by round;
:func:`~acttutor.cost.floor.copy_steps` and :func:`~acttutor.cost.floor.forward_backward`
give the same comparison for a training step (forward and backward).

Example:

>>> import tensorflow as tf
>>> result = ratios_to_floor({"relu": tf.nn.relu}, tf.ones([4096]), repeats=2)
>>> sorted(result.copy_seconds) == sorted(COPIES)
True
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import tensorflow as tf

from acttutor.timing import time_samples

__all__ = ["COPIES", "FloorRatios", "copy", "copy_steps", "forward_backward", "ratios_to_floor"]

TensorFn = Callable[[tf.Tensor], tf.Tensor]


def copy(x: tf.Tensor) -> tf.Tensor:
    """Return a fresh copy of ``x`` made by ``tf.raw_ops.DeepCopy``.

    DeepCopy is the op whose only job is to allocate a new tensor and copy
    the bytes into it: it reads every element once and writes every element
    once, the memory traffic of an element-wise activation with no
    arithmetic at all. (``tf.identity`` is no use as a copy: in eager mode
    it hands back the same buffer without moving a byte.)

    Example:

    >>> import tensorflow as tf
    >>> copy(tf.constant([1.0, -2.0])).numpy()
    array([ 1., -2.], dtype=float32)

    Args:
        x: A tensor.

    Returns:
        A new tensor with the same values.
    """
    return tf.raw_ops.DeepCopy(x=x)


def _times_one(x: tf.Tensor) -> tf.Tensor:
    return x * tf.constant(1.0, dtype=x.dtype)


def _plus_zero(x: tf.Tensor) -> tf.Tensor:
    return tf.add(x, tf.constant(0.0, dtype=x.dtype))


#: Three ways to make a real copy in eager TensorFlow. Each reads ``n`` values
#: and writes ``n`` new ones; which is fastest varies with the machine and its
#: load, so the floor is the fastest of them, measured in the same loop.
COPIES: dict[str, TensorFn] = {
    "DeepCopy": copy,
    "x * 1.0": _times_one,
    "tf.add(x, 0.0)": _plus_zero,
}


def copy_steps(upstream: tf.Tensor) -> dict[str, TensorFn]:
    """Return the forward + backward floors: copy ``x``, then copy ``upstream``.

    An element-wise function's training step moves at least this much
    memory: its forward pass reads ``x`` and writes ``y``; its backward pass
    reads the upstream gradient and writes ``dx`` (most also reread ``x`` or
    ``y``). Two plain copies do exactly the unavoidable part; there is one
    such step per way of copying in :data:`~acttutor.cost.floor.COPIES`.

    Example:

    >>> import tensorflow as tf
    >>> steps = copy_steps(tf.ones([2]))
    >>> y, dy = steps["DeepCopy"](tf.zeros([2]))
    >>> dy.numpy()
    array([1., 1.], dtype=float32)

    Args:
        upstream: The gradient tensor the backward pass would receive.

    Returns:
        The names of :data:`~acttutor.cost.floor.COPIES`, each mapped to a function of ``x``
        returning ``(copy of x, copy of upstream)``.
    """

    def step_with(method: TensorFn) -> TensorFn:
        def step(x: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
            return method(x), method(upstream)

        return step

    return {name: step_with(method) for name, method in COPIES.items()}


def forward_backward(fn: TensorFn, upstream: tf.Tensor) -> TensorFn:
    """Return a function that runs ``fn`` forward and backward on its input.

    The backward pass uses ``upstream`` as the gradient arriving from the
    layer above (``tape.gradient(..., output_gradients=upstream)``), so no
    time is spent building a tensor of ones.

    Example:

    >>> import tensorflow as tf
    >>> step = forward_backward(tf.nn.relu, tf.ones([2]))
    >>> step(tf.constant([-1.0, 3.0])).numpy()
    array([0., 1.], dtype=float32)

    Args:
        fn: An element-wise function of one tensor.
        upstream: The gradient with respect to ``fn``'s output.

    Returns:
        A function of ``x`` that returns ``d(fn)/dx * upstream``.
    """

    def step(x: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        grad = tape.gradient(y, x, output_gradients=upstream)
        return tf.zeros_like(x) if grad is None else grad

    return step


def _again(fn: TensorFn) -> TensorFn:
    """The same function as a new object (so it gets its own timing slot)."""

    def same(x: tf.Tensor) -> Any:
        return fn(x)

    return same


@dataclass(frozen=True)
class FloorRatios:
    """The result of :func:`ratios_to_floor`.

    Example:

    >>> import tensorflow as tf
    >>> result = ratios_to_floor({"tanh": tf.tanh}, tf.ones([4096]), repeats=2)
    >>> sorted(result.copy_seconds) == sorted(COPIES)
    True

    Attributes:
        ratios: Each function's time divided by the floor's (median over rounds).
        control: The floor measured a second time, divided by the floor
            (median over rounds): 1.0 on a quiet machine.
        copy_seconds: The median seconds of each floor function.
    """

    ratios: dict[str, float]
    control: float
    copy_seconds: dict[str, float]


def ratios_to_floor(
    fns: Mapping[str, Callable[..., Any]],
    *args: Any,
    floors: Mapping[str, Callable[..., Any]] | None = None,
    repeats: int = 7,
    clock: Callable[[], float] = time.process_time,
) -> FloorRatios:
    """Time functions together with the floor; return each one's ratio to the floor.

    Everything runs round-robin (:func:`acttutor.timing.time_samples`): the
    floor functions (by default :data:`~acttutor.cost.floor.COPIES`), the same floor functions a
    second time as the control, then ``fns``. In every round the floor is
    the fastest of the floor functions, and each function's time is divided
    by the floor of *its own round*; the ratio reported is the median over
    the rounds. Pairing within a round cancels slow changes in the
    machine's load.

    The default clock is ``time.process_time``, the CPU time of this
    process: on a crowded machine a long kernel is often paused so another
    program can run, which inflates wall time for long kernels more than for
    short ones; CPU time leaves those pauses out. With one TensorFlow thread
    on a quiet machine, the two are the same.

    Example:

    >>> import tensorflow as tf
    >>> x = tf.random.normal([4096])
    >>> result = ratios_to_floor({"relu": tf.nn.relu}, x, repeats=3)
    >>> result.ratios["relu"] > 0 and result.control > 0
    True

    Args:
        fns: Names mapped to the functions to compare with the floor.
        *args: Positional arguments passed to every function.
        floors: Names mapped to floor functions; :data:`~acttutor.cost.floor.COPIES` by default.
        repeats: Timed rounds, after one untimed warm-up round.
        clock: ``time.process_time`` (CPU time, default) or ``time.perf_counter``.

    Returns:
        A :class:`FloorRatios`.

    Raises:
        ValueError: If a name in ``fns`` is also a floor's name.
    """
    floors = dict(COPIES if floors is None else floors)
    again = {f"{name} (again)": _again(fn) for name, fn in floors.items()}
    clash = [name for name in fns if name in floors or name in again]
    if clash:
        raise ValueError(
            f"{clash[0]!r} is the name of a floor function: give that function another name."
        )
    samples = time_samples({**floors, **again, **fns}, *args, repeats=repeats, clock=clock)

    def round_min(names: Mapping[str, Any], i: int) -> float:
        return min(samples[name][i] for name in names)

    floor = [round_min(floors, i) for i in range(repeats)]
    floor = [max(f, 1e-12) for f in floor]  # a clock that did not tick: avoid 0

    def median_ratio(times: list[float]) -> float:
        pairs = zip(times, floor, strict=True)
        return float(statistics.median(max(t, 1e-12) / f for t, f in pairs))

    return FloorRatios(
        ratios={name: median_ratio(samples[name]) for name in fns},
        control=median_ratio([round_min(again, i) for i in range(repeats)]),
        copy_seconds={name: float(statistics.median(samples[name])) for name in floors},
    )
