"""What an activation costs: element-wise functions timed against a memory copy.

An element-wise activation reads every input element once and writes every
output element once, exactly like a copy. A copy does no arithmetic at all,
so its time is the *floor* for any element-wise op on the same tensor: the
time it takes to move the bytes. :func:`measure_costs` times each function
against the real copies of :data:`COPIES`, interleaved round-robin on the
same tensor, and reports **ratios** to the fastest of them (the *floor*):
``1.0`` means "as cheap as moving the data".

Two measurements per function, each against a floor timed the same way:

* ``forward``: ``fn(x)`` in eager mode, as a notebook runs it;
* ``forward_backward``: ``fn(x)`` and its gradient under ``tf.GradientTape``,
  given an upstream gradient, as a training step needs it.

Many Keras activations are built from several TensorFlow ops, and eager
TensorFlow runs each op as its own pass over memory. :func:`traffic` reads
those ops from a trace of the function and adds up the bytes they must read
and write, in units of one copy. The **rule** (:func:`classify`): a function
is *memory-bound* when its forward time is at most :data:`MEMORY_BOUND_MAX`
times what its memory traffic alone costs (``forward <= 1.5 * traffic``),
and *compute-bound* otherwise: then the arithmetic, not moving bytes, sets
its speed.

Example:

>>> import tensorflow as tf
>>> table = measure_costs({"relu": tf.nn.relu}, size=2**12, repeats=3)
>>> row = table.row("relu")
>>> row.traffic, row.bound in ("memory", "compute")
(1.0, True)
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import tensorflow as tf

from acttutor.timing import time_samples

__all__ = [
    "MEMORY_BOUND_MAX",
    "SPECIAL_OPS",
    "Cost",
    "CostTable",
    "FloorRatios",
    "classify",
    "COPIES",
    "copy",
    "copy_steps",
    "elementwise_activations",
    "forward_backward",
    "cache_verdict",
    "kernels",
    "last_level_cache_bytes",
    "measure_costs",
    "ratios_to_floor",
    "traffic",
]

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
    such step per way of copying in :data:`COPIES`.

    Example:

    >>> import tensorflow as tf
    >>> steps = copy_steps(tf.ones([2]))
    >>> y, dy = steps["DeepCopy"](tf.zeros([2]))
    >>> dy.numpy()
    array([1., 1.], dtype=float32)

    Args:
        upstream: The gradient tensor the backward pass would receive.

    Returns:
        The names of :data:`COPIES`, each mapped to a function of ``x``
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
        forward: Eager ``fn(x)`` time / the floor (the fastest of :data:`COPIES`).
        forward_backward: Eager forward + backward time (``tf.GradientTape``)
            / the fastest of :func:`copy_steps` (two copies).
        kernels: The full-size TensorFlow ops ``fn`` runs in eager mode.
        traffic: Bytes those ops read and write, in copies (:func:`traffic`).
        bound: ``"memory"`` or ``"compute"`` by :func:`classify`.
    """

    name: str
    forward: float
    forward_backward: float
    kernels: tuple[str, ...]
    traffic: float
    bound: str

    @property
    def special(self) -> bool:
        """Whether one of its kernels evaluates a special function (:data:`SPECIAL_OPS`)."""
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
            the median seconds of each way of copying in :data:`COPIES`.
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


def last_level_cache_bytes(root: str = "/sys/devices/system/cpu/cpu0/cache") -> int | None:
    """Return the size of this CPU's largest cache in bytes, or ``None`` if unknown.

    Reads Linux's ``/sys/devices/system/cpu/cpu0/cache``; other systems give
    ``None``. A tensor pair (input and output) larger than this cannot stay
    in the cache, so every pass over it goes to main memory.

    Example:

    >>> size = last_level_cache_bytes()
    >>> size is None or size > 0
    True

    Args:
        root: The folder describing CPU 0's caches (one ``index*`` folder per cache).

    Returns:
        The size in bytes, or ``None``.
    """
    from pathlib import Path

    best: tuple[int, int] | None = None
    for index in sorted(Path(root).glob("index*")):
        try:
            level = int((index / "level").read_text().strip())
            text = (index / "size").read_text().strip().upper()
        except (OSError, ValueError):
            continue
        units = {"K": 2**10, "M": 2**20, "G": 2**30}
        try:
            size = int(text[:-1]) * units[text[-1]] if text[-1] in units else int(text)
        except ValueError:
            continue
        if best is None or level > best[0]:
            best = (level, size)
    return best[1] if best else None


def cache_verdict(nbytes: int, cache: int | None = None) -> str:
    """Say whether ``nbytes`` of tensors fit in the last-level cache, as a sentence part.

    Example:

    >>> cache_verdict(64 * 2**20, cache=32 * 2**20)[:46]
    'input and output together (64 MiB) are larger '

    Args:
        nbytes: Bytes the timed op touches (input and output together).
        cache: Cache size in bytes; :func:`last_level_cache_bytes` by default.

    Returns:
        A phrase such as "input and output together (64 MiB) are larger than this
        machine's last-level cache (32 MiB), so every pass really goes to main memory".
    """
    if cache is None:
        cache = last_level_cache_bytes()
    if cache is None:
        return "this system does not report its cache size, so we cannot check here"
    size = f"input and output together ({nbytes / 2**20:.0f} MiB)"
    if nbytes > cache:
        return (f"{size} are larger than this machine's last-level cache "
                f"({cache / 2**20:.0f} MiB), so every pass really goes to main memory")
    return (f"{size} fit in this machine's last-level cache ({cache / 2**20:.0f} MiB), so "
            "the floor here is the cache's speed, not main memory's")


def elementwise_activations(catalog: Mapping[str, Any] | None = None) -> dict[str, TensorFn]:
    """Return ``{name: fn}`` for every element-wise entry of the catalog, once each.

    Aliases (``swish`` and ``silu`` share an entry) appear once, under the
    entry's own ``name``.

    Example:

    >>> fns = elementwise_activations()
    >>> "relu" in fns and "softmax" not in fns and "swish" not in fns
    True

    Args:
        catalog: A mapping of names to entries with ``name``, ``fn`` and
            ``elementwise``; :data:`acttutor.activations.CATALOG` by default.

    Returns:
        Names mapped to one-tensor functions, in the catalog's order.
    """
    if catalog is None:
        from acttutor import activations

        catalog = activations.CATALOG
    out: dict[str, TensorFn] = {}
    seen: set[int] = set()
    for key, entry in catalog.items():
        if not getattr(entry, "elementwise", False):
            continue
        fn = entry.fn
        if id(entry) in seen or id(fn) in seen:
            continue
        seen.update((id(entry), id(fn)))
        out[getattr(entry, "name", None) or key] = fn
    return out


def _check_args(fns: Mapping[str, TensorFn], size: int, repeats: int) -> None:
    if not isinstance(fns, Mapping) or not fns:
        raise ValueError("measure_costs needs a non-empty dict of {name: function}.")
    for name, fn in fns.items():
        if not callable(fn):
            raise TypeError(f"measure_costs: {name!r} is a {type(fn).__name__}, not a function.")
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ValueError(f"size must be a positive int (number of elements), got {size!r}.")
    if not isinstance(repeats, int) or isinstance(repeats, bool) or repeats < 1:
        raise ValueError(f"repeats must be a positive int, got {repeats!r}.")


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
    floor functions (by default :data:`COPIES`), the same floor functions a
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
        floors: Names mapped to floor functions; :data:`COPIES` by default.
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
    timed with :func:`ratios_to_floor`: the floor is the fastest copy of
    :data:`COPIES` for the forward pass and of :func:`copy_steps` (two
    copies) for forward + backward, and the control times the floor again.
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
