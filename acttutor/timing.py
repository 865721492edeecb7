"""Small, honest timers: a stopwatch and a median-of-repeats op timer.

On a shared machine a single timing is noise. :func:`time_op` therefore
warms the function up (TensorFlow picks and caches kernels on the first
call), repeats it and returns the **median**, which ignores the odd run
slowed down by a neighbour. :func:`time_ops` interleaves several functions
round-robin, so that a slow spell on the machine hits all of them alike, and
:func:`ratio` turns two timings into the number the book reports: speed
claims are ratios, never absolute seconds.

Example:

>>> import tensorflow as tf
>>> x = tf.random.normal([1024])
>>> seconds = time_op(tf.nn.relu, x, repeats=3)
>>> seconds > 0
True
"""

from __future__ import annotations

import math
import numbers
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

from acttutor import _checks

__all__ = ["Timer", "block_until_ready", "ratio", "time_op", "time_ops", "time_samples"]


class Timer:
    """Record several running times, in the style of d2l's ``Timer``.

    A ``Timer`` starts on creation. ``stop()`` records the time since the last
    ``start()``; it also works as a context manager, recording one time per
    ``with`` block.

    Example:

    >>> timer = Timer()
    >>> with timer:
    ...     total = sum(range(1000))
    >>> len(timer.times)
    1
    >>> timer.sum() >= 0.0
    True

    Args:
        clock: A function returning seconds; ``time.perf_counter`` by default.
    """

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self.times: list[float] = []
        self._tik = self._clock()

    def start(self) -> None:
        """Start (or restart) the stopwatch."""
        self._tik = self._clock()

    def stop(self) -> float:
        """Record and return the seconds since the last :meth:`start`.

        Returns:
            The elapsed seconds (also appended to ``times``).
        """
        elapsed = self._clock() - self._tik
        self.times.append(elapsed)
        return elapsed

    def __enter__(self) -> Timer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _need_times(self) -> None:
        if not self.times:
            raise ValueError("The Timer has no recorded times yet: call stop() first.")

    def sum(self) -> float:
        """Return the total of the recorded times, in seconds.

        Returns:
            The sum, 0.0 when nothing was recorded.
        """
        return float(sum(self.times))

    def avg(self) -> float:
        """Return the mean of the recorded times, in seconds.

        Returns:
            The mean.

        Raises:
            ValueError: If nothing was recorded yet.
        """
        self._need_times()
        return self.sum() / len(self.times)

    def median(self) -> float:
        """Return the median of the recorded times, in seconds.

        Returns:
            The median.

        Raises:
            ValueError: If nothing was recorded yet.
        """
        self._need_times()
        return float(statistics.median(self.times))

    def cumsum(self) -> list[float]:
        """Return the running total of the recorded times.

        Returns:
            One running total per recorded time, in seconds.
        """
        out: list[float] = []
        total = 0.0
        for t in self.times:
            total += t
            out.append(total)
        return out


def block_until_ready(value: Any) -> Any:
    """Wait until ``value`` has really been computed, then return it.

    TensorFlow on a GPU returns from an op before the device has finished;
    timing without waiting would measure only the launch. Fetching one
    element of a tensor waits for every kernel queued before it, at the cost
    of a few microseconds. On a CPU, eager TensorFlow is already synchronous,
    so CPU tensors are returned at once (no overhead in the timing). Tuples,
    lists and dicts are handled element by element; other values are
    returned as they are.

    Example:

    >>> import tensorflow as tf
    >>> y = block_until_ready(tf.nn.relu(tf.ones([3])))

    Args:
        value: What a timed function returned.

    Returns:
        The same ``value``.
    """
    if isinstance(value, (list, tuple)):
        for item in value:
            block_until_ready(item)
        return value
    if isinstance(value, Mapping):
        for item in value.values():
            block_until_ready(item)
        return value
    ready = getattr(value, "block_until_ready", None)
    if callable(ready):  # JAX-style arrays
        ready()
        return value
    tf = sys.modules.get("tensorflow")
    if tf is not None and isinstance(value, tf.Tensor) and hasattr(value, "numpy"):
        on_cpu = "CPU" in (getattr(value, "device", "") or "CPU")
        if not on_cpu and value.shape.num_elements():
            tf.reshape(value, [-1])[:1].numpy()
    return value


def time_samples(
    fns: Mapping[str, Callable[..., Any]],
    *args: Any,
    repeats: int = 7,
    warmup: int = 1,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, list[float]]:
    """Time several functions round-robin; return every timed call's seconds.

    The functions run in rounds (``a, b, c, a, b, c, ...``): round ``i`` of
    each list was measured at about the same moment, so a ratio taken within
    a round cancels slow changes in the machine's load. :func:`time_ops`
    summarises these samples; use this function to pair them yourself.

    Example:

    >>> import tensorflow as tf
    >>> x = tf.random.normal([1024])
    >>> samples = time_samples({"relu": tf.nn.relu, "tanh": tf.tanh}, x, repeats=3)
    >>> [len(v) for v in samples.values()]
    [3, 3]

    Args:
        fns: Names mapped to the functions to time.
        *args: Positional arguments passed to every function.
        repeats: Rounds of timed calls.
        warmup: Untimed rounds first (kernel selection, caches, compilation).
        clock: Seconds now: ``time.perf_counter`` (wall time, the default) or
            ``time.process_time`` (CPU time of this process: on a crowded
            machine it leaves out the time the operating system gave to
            other programs, but it adds up the time of all threads).

    Returns:
        A dict from each name to its ``repeats`` times in seconds, in round order.

    Raises:
        ValueError: If ``fns`` is empty or ``repeats``/``warmup`` are invalid.
        TypeError: If a value of ``fns`` is not callable.
    """
    repeats = _checks.positive_int("repeats", repeats)
    warmup = _checks.non_negative_int("warmup", warmup)
    if not fns:
        raise ValueError("time_ops needs at least one function to time.")
    for name, fn in fns.items():
        if not callable(fn):
            raise TypeError(f"time_ops: {name!r} is a {type(fn).__name__}, not a function.")
    for _ in range(warmup):
        for fn in fns.values():
            block_until_ready(fn(*args))
    timers = {name: Timer(clock=clock) for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            timer = timers[name]
            timer.start()
            block_until_ready(fn(*args))
            timer.stop()
    return {name: list(timer.times) for name, timer in timers.items()}


def time_ops(
    fns: Mapping[str, Callable[..., Any]],
    *args: Any,
    repeats: int = 7,
    warmup: int = 1,
    reduce: str = "median",
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, float]:
    """Time several functions on the same arguments; return each one's median seconds.

    The functions run round-robin (``a, b, c, a, b, c, ...``) rather than one
    after another (see :func:`time_samples`), so a burst of load from
    elsewhere on the machine slows all of them alike and their *ratios* stay
    meaningful. Each call's result is waited for with :func:`block_until_ready`.

    ``reduce="min"`` reports the fastest call instead of the median. On a
    busy machine the noise only ever adds time, so the minimum is the best
    estimate of what the operation itself costs (the advice of Python's
    ``timeit``); the median is the better summary of what a user will see.

    Example:

    >>> import tensorflow as tf
    >>> x = tf.random.normal([1024])
    >>> medians = time_ops({"relu": tf.nn.relu, "tanh": tf.tanh}, x, repeats=3)
    >>> sorted(medians)
    ['relu', 'tanh']

    Args:
        fns: Names mapped to the functions to time.
        *args: Positional arguments passed to every function.
        repeats: Timed calls per function; the median of these is reported.
        warmup: Untimed calls per function first (kernel selection, caches).
        reduce: ``"median"`` or ``"min"``: how the repeats are summarised.
        clock: Wall time (``time.perf_counter``, default) or CPU time
            (``time.process_time``); see :func:`time_samples`.

    Returns:
        A dict from each name to its median (or fastest) time per call, in seconds.

    Raises:
        ValueError: If ``fns`` is empty or ``repeats``/``warmup``/``reduce`` are invalid.
        TypeError: If a value of ``fns`` is not callable.
    """
    if reduce not in ("median", "min"):
        raise ValueError(f"reduce must be 'median' or 'min', got {reduce!r}.")
    samples = time_samples(fns, *args, repeats=repeats, warmup=warmup, clock=clock)
    if reduce == "min":
        return {name: min(times) for name, times in samples.items()}
    return {name: float(statistics.median(times)) for name, times in samples.items()}


def time_op(
    fn: Callable[..., Any],
    *args: Any,
    repeats: int = 7,
    warmup: int = 1,
    reduce: str = "median",
) -> float:
    """Return the median seconds one call of ``fn(*args)`` takes (see :func:`time_ops`).

    Example:

    >>> import tensorflow as tf
    >>> x = tf.random.normal([1024])
    >>> time_op(tf.nn.relu, x, repeats=5) > 0
    True

    Args:
        fn: The function to time.
        *args: Its positional arguments.
        repeats: Timed calls; the median is returned.
        warmup: Untimed calls first.
        reduce: ``"median"`` (default) or ``"min"`` (the fastest call).

    Returns:
        The median (or fastest) time per call, in seconds.
    """
    return time_ops({"fn": fn}, *args, repeats=repeats, warmup=warmup, reduce=reduce)["fn"]


def ratio(seconds: float, baseline_seconds: float) -> float:
    """Return ``seconds / baseline_seconds``: how many baselines one run costs.

    Example:

    >>> ratio(0.003, 0.001)
    3.0

    Args:
        seconds: The time of the operation of interest.
        baseline_seconds: The time of the reference operation (e.g. a copy).

    Returns:
        The ratio, a positive float.

    Raises:
        ValueError: If either time is not a finite positive number.
    """
    for label, value in (("seconds", seconds), ("baseline_seconds", baseline_seconds)):
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Real)
            or not math.isfinite(value)
            or value <= 0
        ):
            raise ValueError(f"ratio: {label} must be a finite positive time, got {value!r}.")
    return float(seconds) / float(baseline_seconds)
