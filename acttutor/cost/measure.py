"""The cost table: element-wise functions timed forward and backward, in copies.

:func:`~acttutor.cost.measure.measure_costs` times each function against the floor of
:mod:`acttutor.cost.floor` in two modes (``forward``, and ``forward_backward``
as a training step needs it), reads its kernels and traffic
(:mod:`acttutor.cost.ops`), and returns a :class:`~acttutor.cost.measure.CostTable`
with one :class:`~acttutor.cost.measure.Cost` row per function.

Example:

>>> import tensorflow as tf
>>> table = measure_costs({"relu": tf.nn.relu}, size=2**12, repeats=3)
>>> row = table.row("relu")
>>> row.traffic, row.bound in ("memory", "compute")
(1.0, True)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import tensorflow as tf

from acttutor import _checks
from acttutor.cost.floor import copy_steps, forward_backward, ratios_to_floor
from acttutor.cost.ops import SPECIAL_OPS, classify, kernels, traffic

__all__ = ["Cost", "CostTable", "measure_costs"]

TensorFn = Callable[[tf.Tensor], tf.Tensor]


@dataclass(frozen=True)
class Cost:
    """The measured cost of one element-wise function, in copies.

    Example:

    >>> row = Cost("relu", forward=1.02, forward_backward=1.3, kernels=("Relu",),
    ...            traffic=1.0, bound="memory")
    >>> row.per_traffic, row.special
    (1.02, False)

    Attributes:
        name: The function's name.
        forward: Eager ``fn(x)`` time / the floor (the fastest of
            :data:`~acttutor.cost.floor.COPIES`).
        forward_backward: Eager forward + backward time (``tf.GradientTape``)
            / the fastest of :func:`~acttutor.cost.floor.copy_steps` (two copies).
        kernels: The full-size TensorFlow ops ``fn`` runs in eager mode.
        traffic: Bytes those ops read and write, in copies
            (:func:`~acttutor.cost.ops.traffic`).
        bound: ``"memory"`` or ``"compute"`` by :func:`~acttutor.cost.ops.classify`.
    """

    name: str
    forward: float
    forward_backward: float
    kernels: tuple[str, ...]
    traffic: float
    bound: str

    @property
    def special(self) -> bool:
        """Whether one of its kernels evaluates a special function (one of ``SPECIAL_OPS``).

        Returns:
            True when a kernel is in :data:`~acttutor.cost.ops.SPECIAL_OPS`.
        """
        return any(k in SPECIAL_OPS for k in self.kernels)

    @property
    def per_traffic(self) -> float:
        """``forward / traffic``: time per copy's worth of bytes moved (1.0 = memory speed)."""
        return self.forward / self.traffic


@dataclass(frozen=True)
class CostTable:
    """The result of :func:`measure_costs`.

    Example:

    >>> import tensorflow as tf
    >>> table = measure_costs({"relu": tf.nn.relu}, size=4096, repeats=2)
    >>> table.names, sorted(table.control)
    (['relu'], ['forward', 'forward_backward'])

    Attributes:
        rows: One :class:`Cost` per measured function, cheapest forward first.
        size: Number of float32 elements in the timed tensor.
        copy_seconds: For each mode (``"forward"``, ``"forward_backward"``),
            the median seconds of each way of copying in :data:`~acttutor.cost.floor.COPIES`.
        control: For each mode, the floor measured a second time (every copy
            again, in its own slot) divided by the floor. It would be 1.0 on
            a quiet machine; its distance from 1.0 shows the noise.
        repeats: Timed rounds per mode.
        clock: The clock's name (``"process_time"``: CPU time).
        skipped: Functions not timed, each with the reason.
    """

    rows: tuple[Cost, ...]
    size: int
    copy_seconds: dict[str, dict[str, float]]
    control: dict[str, float]
    repeats: int
    clock: str = "process_time"
    skipped: dict[str, str] = field(default_factory=dict)

    def row(self, name: str) -> Cost:
        """Return the row called ``name``.

        Args:
            name: A measured function's name.

        Returns:
            Its :class:`Cost`.

        Raises:
            KeyError: If nothing of that name was measured.
        """
        for r in self.rows:
            if r.name == name:
                return r
        raise KeyError(f"No measurement named {name!r}; measured: {self.names}.")

    @property
    def names(self) -> list[str]:
        """The measured names, cheapest forward first."""
        return [r.name for r in self.rows]

    def floor_seconds(self, mode: str = "forward") -> float:
        """Return the floor in ``mode``: the fastest copy's seconds.

        Args:
            mode: ``"forward"`` or ``"forward_backward"``.

        Returns:
            The seconds every ratio of that mode is divided by.
        """
        return min(self.copy_seconds[mode].values())

    def copy_bandwidth_gb_s(self) -> float:
        """Return the fastest copy's memory throughput in GB/s (bytes read + written).

        Returns:
            ``8 * size`` bytes divided by the forward floor's seconds, in GB/s.
        """
        return 2 * 4 * self.size / self.floor_seconds("forward") / 1e9

    def to_text(self) -> str:
        """Return the table as aligned plain text, one function per line.

        Returns:
            A header line, then one line per row.
        """
        lines = [
            f"{'activation':<15} {'forward':>8} {'fwd+bwd':>8} {'kernels':>8} "
            f"{'traffic':>8} {'fwd/traffic':>12}  bound",
        ]
        for r in self.rows:
            lines.append(
                f"{r.name:<15} {r.forward:8.2f} {r.forward_backward:8.2f} {len(r.kernels):8d} "
                f"{r.traffic:8.2f} {r.per_traffic:12.2f}  {r.bound}"
            )
        return "\n".join(lines)


def _check_args(fns: Mapping[str, TensorFn], size: int, repeats: int) -> None:
    if not isinstance(fns, Mapping) or not fns:
        raise ValueError("measure_costs needs a non-empty dict of {name: function}.")
    for name, fn in fns.items():
        if not callable(fn):
            raise TypeError(f"measure_costs: {name!r} is a {type(fn).__name__}, not a function.")
    _checks.positive_int("size", size, what="number of elements")
    _checks.positive_int("repeats", repeats)


def _sort_out(fns: Mapping[str, TensorFn]) -> tuple[dict[str, TensorFn], dict[str, str]]:
    """Split ``fns`` into those to time and those that run no kernel."""
    probe = tf.linspace(-3.0, 3.0, 8)
    timed: dict[str, TensorFn] = {}
    skipped: dict[str, str] = {}
    for name, fn in fns.items():
        try:
            out = fn(probe)
        except Exception as exc:  # a broken function: say which, and why
            raise ValueError(
                f"measure_costs: {name!r} raised {type(exc).__name__} on a float32 "
                f"tensor of shape (8,): {exc}"
            ) from exc
        if out is probe:
            skipped[name] = "returns its input unchanged: no kernel runs, nothing to time"
        elif getattr(out, "shape", None) != probe.shape:
            raise ValueError(
                f"measure_costs: {name!r} is not element-wise: input shape (8,) gave "
                f"output shape {getattr(out, 'shape', type(out).__name__)}."
            )
        else:
            timed[name] = fn
    if not timed:
        raise ValueError(f"Nothing to time: every function returns its input ({sorted(skipped)}).")
    return timed, skipped


def measure_costs(
    fns: Mapping[str, TensorFn],
    *,
    size: int = 2**23,
    repeats: int = 7,
    seed: int = 0,
    clock: Callable[[], float] = time.process_time,
) -> CostTable:
    """Time element-wise functions against a copy of the same float32 tensor.

    The input holds ``size`` values drawn from a normal distribution with
    standard deviation 3 (both sides of every kink), and the upstream
    gradient for the backward pass is a second such tensor. Each mode is
    timed with :func:`~acttutor.cost.floor.ratios_to_floor`: the floor is
    the fastest copy of :data:`~acttutor.cost.floor.COPIES` for the forward
    pass and of :func:`~acttutor.cost.floor.copy_steps` (two copies) for
    forward + backward, and the control times the floor again.
    A function that returns its input object unchanged (``linear``)
    launches no kernel; it is listed in ``skipped`` rather than timed.

    Example:

    >>> import tensorflow as tf
    >>> table = measure_costs({"relu": tf.nn.relu, "tanh": tf.tanh}, size=4096, repeats=3)
    >>> sorted(table.names)
    ['relu', 'tanh']

    Args:
        fns: Names mapped to element-wise functions of one tensor.
        size: Number of float32 elements (``2**23`` is 32 MiB per tensor).
        repeats: Timed rounds per mode.
        seed: Seed of the random input.
        clock: ``time.process_time`` (CPU time, default) or ``time.perf_counter``.

    Returns:
        A :class:`CostTable`.

    Raises:
        ValueError: For an empty ``fns``, a bad ``size``/``repeats``, a name
            that clashes with a copy's, or a function that raises or changes
            the shape.
        TypeError: If a value of ``fns`` is not callable.
    """
    _check_args(fns, size, repeats)
    timed, skipped = _sort_out(fns)
    x = 3.0 * tf.random.stateless_normal([size], seed=[seed, 0], dtype=tf.float32)
    upstream = tf.random.stateless_normal([size], seed=[seed, 1], dtype=tf.float32)
    fwd = ratios_to_floor(timed, x, repeats=repeats, clock=clock)
    both = ratios_to_floor(
        {name: forward_backward(fn, upstream) for name, fn in timed.items()},
        x,
        floors=copy_steps(upstream),
        repeats=repeats,
        clock=clock,
    )
    rows = []
    for name, fn in timed.items():
        moved = traffic(fn)
        rows.append(
            Cost(
                name=name,
                forward=fwd.ratios[name],
                forward_backward=both.ratios[name],
                kernels=tuple(kernels(fn)),
                traffic=moved,
                bound=classify(fwd.ratios[name], moved),
            )
        )
    rows.sort(key=lambda r: r.forward)
    return CostTable(
        rows=tuple(rows),
        size=size,
        copy_seconds={"forward": fwd.copy_seconds, "forward_backward": both.copy_seconds},
        control={"forward": fwd.control, "forward_backward": both.control},
        repeats=repeats,
        clock=getattr(clock, "__name__", str(clock)),
        skipped=skipped,
    )
