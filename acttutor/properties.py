r"""Measured behaviour of an element-wise function: its derivative and its :class:`Properties`.

Nothing about an activation's behaviour is typed in anywhere in acttutor.
:func:`compute_properties` measures range, boundedness, monotonicity,
zero-centring and smoothness from the function itself, on the probe grid over
:data:`PROBE_INTERVAL`, and :func:`~acttutor.properties.derivative` differentiates it with
``tf.GradientTape``. The catalog (:mod:`acttutor.activations`) attaches these
to each of its entries as ``CATALOG[name].properties``.

Example:

>>> import tensorflow as tf
>>> p = compute_properties(tf.nn.relu)
>>> p.monotonic, p.bounded_above, p.range_text
(True, False, '0 … 20')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

__all__ = ["PROBE_INTERVAL", "Properties", "compute_properties", "derivative"]

TensorFn = Callable[[tf.Tensor], tf.Tensor]

#: The interval on which :class:`Properties` measures range, monotonicity and smoothness.
PROBE_INTERVAL: tuple[float, float] = (-20.0, 20.0)
_PROBE_STEP = 2.0**-8  # a power of two, so every multiple of 1/256 (0, ±0.5, ±3 ...) is on it
_JUMP_TOL = 1e-2  # smallest jump (relative to 1 + |slope|) counted as a discontinuity
_ZERO_CENTRED_TOL = 0.1  # |mean| / std below which an output counts as zero-centred


def derivative(
    fn: TensorFn, x: np.ndarray | tf.Tensor, *, dtype: tf.DType = tf.float32
) -> np.ndarray:
    r"""Return the element-wise derivative ``dfn/dx`` at every point of ``x``.

    Uses ``tf.GradientTape``: because ``fn`` acts element by element, the
    gradient of ``sum(fn(x))`` with respect to ``x`` is exactly ``fn'(x)``.
    At a kink (ReLU at 0) the value is whatever TensorFlow's gradient
    defines there.

    Example:

    >>> import numpy as np, tensorflow as tf
    >>> derivative(tf.nn.relu, np.array([-1.0, 2.0]))
    array([0., 1.], dtype=float32)

    Args:
        fn: An element-wise function of one tensor.
        x: Points at which to evaluate the derivative.
        dtype: The float dtype to compute in (``tf.float64`` for precise work).

    Returns:
        A NumPy array of the same shape as ``x``.

    Raises:
        ValueError: If ``fn`` changes the shape of its input, so it cannot be
            element-wise (``glu``), or does not return a tensor.
    """
    xt = tf.convert_to_tensor(x, dtype=dtype)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = fn(xt)
    if not hasattr(y, "shape") or tuple(y.shape) != tuple(xt.shape):
        got = tuple(y.shape) if hasattr(y, "shape") else type(y).__name__
        raise ValueError(
            f"derivative() needs an element-wise function that keeps the input shape "
            f"{tuple(xt.shape)}; this one returned {got}. For a vector-valued function "
            "such as softmax or glu, use tf.GradientTape with tape.jacobian instead."
        )
    grad = tape.gradient(y, xt)
    if grad is None:  # fn ignores x entirely (a constant): its derivative is 0
        return np.zeros(xt.shape, dtype=xt.dtype.as_numpy_dtype)
    return grad.numpy()


@dataclass(frozen=True)
class Properties:
    r"""Behaviour of an element-wise activation, measured from its function.

    Every field is computed by :func:`compute_properties`, in float64, from
    the function's values and its ``tf.GradientTape`` derivative. The probe
    grid is :data:`PROBE_INTERVAL` ([-20, 20]) in steps of 1/256, which
    contains 0, ±0.5, ±1, ±3 and 6, where the piecewise Keras functions
    change formula.

    Attributes:
        low: Output range, lower end: the minimum of ``f`` on the probe grid.
        high: Output range, upper end: the maximum of ``f`` on the probe grid.
        bounded_below: ``f`` stays above some finite value for all inputs.
            Measured on a grid reaching |x| = 10^4: the infimum over |x| <= R
            is finite, and the drop from R = 10^2 to 10^4 is less than half
            the drop from R = 1 to 10^2 (the curve flattens out rather than
            going on falling, as ``relu`` on the right or ``x`` would).
        bounded_above: The same test for the supremum.
        monotonic: ``f`` never decreases (or never increases) along the probe
            grid, up to 1e-12 of round-off.
        zero_centred: For standard-normal inputs z, the mean output is close
            to 0 compared with its spread: |E[f(z)]| < 0.1 * sd[f(z)]. This is
            the sense in which tanh is zero-centred and the sigmoid is not.
        mean_normal: E[f(z)] for z ~ N(0, 1), by quadrature on [-10, 10].
        std_normal: sd[f(z)] for z ~ N(0, 1), by the same quadrature.
        continuous: No jump in ``f`` on the probe grid: no step between
            neighbouring points exceeds twice the steps two places either side
            by more than 0.01 * (1 + |slope|).
        smooth: ``f`` is continuous and so is its derivative (``f`` is C^1):
            the same jump test applied to ``f'``, sampled half-way between grid
            points (so the value TensorFlow picks exactly at a kink does not
            matter). ReLU has a kink at 0, so it is not smooth; ELU with
            alpha = 1 is; SELU's slope jumps at 0, so it is not.

    Example:

    >>> p = compute_properties(tf.tanh)
    >>> p.zero_centred, p.bounded_below, p.smooth
    (True, True, True)
    """

    low: float
    high: float
    bounded_below: bool
    bounded_above: bool
    monotonic: bool
    zero_centred: bool
    mean_normal: float
    std_normal: float
    continuous: bool
    smooth: bool

    @property
    def range_text(self) -> str:
        """The output range on the probe interval as short text, e.g. ``'0 … 20'``.

        Example:

        >>> compute_properties(tf.nn.relu).range_text
        '0 … 20'

        Returns:
            ``low … high`` with 3 significant digits each.
        """
        return f"{_short(self.low)} … {_short(self.high)}"


def _short(value: float) -> str:
    text = f"{value:.3g}"
    return "0" if text in ("-0", "0") else text.replace("-", "−")


def _probe_grid() -> np.ndarray:
    lo, hi = PROBE_INTERVAL
    n = round((hi - lo) / _PROBE_STEP) + 1
    return np.linspace(lo, hi, n, dtype=np.float64)


def _values(fn: TensorFn, x: np.ndarray) -> np.ndarray:
    y = fn(tf.constant(x, dtype=tf.float64))
    return np.asarray(y, dtype=np.float64)


def _has_jump(steps: np.ndarray, slope: np.ndarray) -> bool:
    """True when one step |g[i+1] - g[i]| stands out from the steps 2 places either side."""
    d = np.abs(steps)
    padded = np.pad(d, 2, mode="edge")
    neighbours = np.maximum(padded[:-4], padded[4:])
    excess = d - 2.0 * neighbours
    with np.errstate(invalid="ignore"):
        return bool(np.any(excess > _JUMP_TOL * (1.0 + np.abs(slope))))


def _bounded(sup: Callable[[float], float]) -> bool:
    s1, s2, s4 = sup(1.0), sup(1e2), sup(1e4)
    if not np.all(np.isfinite([s1, s2, s4])):
        return False
    return (s4 - s2) <= 0.5 * (s2 - s1) or (s4 - s2) <= 1e-9 * (1.0 + abs(s2))


def compute_properties(fn: TensorFn) -> Properties:
    r"""Measure the :class:`Properties` of an element-wise activation function.

    The function is called on float64 tensors: a grid over
    :data:`PROBE_INTERVAL` in steps of 1/256, a log-spaced grid out to
    |x| = 10^4 for the boundedness test, and a Gauss-weighted grid on
    [-10, 10] for the mean and spread under standard-normal inputs. Each
    property's definition is in the :class:`Properties` docstring.

    Example:

    >>> p = compute_properties(tf.nn.relu)
    >>> p.low, p.monotonic, p.zero_centred, p.smooth
    (0.0, True, False, False)

    Args:
        fn: A function of one tensor that acts element by element and
            accepts float64 input.

    Returns:
        The measured :class:`Properties`.

    Raises:
        ValueError: If ``fn`` changes the shape of its input (it is not
            element-wise), or gives NaN or infinity on the probe interval.
    """
    x = _probe_grid()
    y = _values(fn, x)
    if y.shape != x.shape:
        raise ValueError(
            f"compute_properties() needs an element-wise function; this one maps shape "
            f"{x.shape} to {y.shape}."
        )
    bad = ~np.isfinite(y)
    if bad.any():
        raise ValueError(
            f"compute_properties() needs finite values on {PROBE_INTERVAL}, but f({x[bad][0]:g})"
            f" = {y[bad][0]}. Is this an activation function defined for every real input?"
        )
    # The slope is sampled between grid points, so that TensorFlow's choice of
    # gradient exactly at a kink (relu'(0) = 0, or a tie inside max/min) is not
    # mistaken for a jump of the derivative.
    slope = derivative(fn, 0.5 * (x[:-1] + x[1:]), dtype=tf.float64)

    with np.errstate(invalid="ignore"):
        tol = 1e-12 * (1.0 + np.abs(y[:-1]))
        dy = np.diff(y)
        monotonic = bool(np.all(dy >= -tol) or np.all(dy <= tol))
    continuous = not _has_jump(dy, slope)
    smooth = continuous and not _has_jump(np.diff(slope), slope[:-1])

    tail = np.logspace(np.log10(PROBE_INTERVAL[1]), 4.0, 200)
    wide = np.concatenate([-tail[::-1], x, tail])
    with np.errstate(over="ignore", invalid="ignore"):
        wide_y = _values(fn, wide)

    def extreme(radius: float, pick: Callable[[np.ndarray], float]) -> float:
        return float(pick(wide_y[np.abs(wide) <= radius]))

    bounded_above = _bounded(lambda r: extreme(r, np.max))
    bounded_below = _bounded(lambda r: -extreme(r, np.min))

    z = np.linspace(-10.0, 10.0, 8001)
    weights = np.exp(-0.5 * z**2)
    weights /= weights.sum()
    fz = _values(fn, z)
    with np.errstate(over="ignore", invalid="ignore"):
        mean = float(np.sum(weights * fz))
        std = float(np.sqrt(max(np.sum(weights * (fz - mean) ** 2), 0.0)))
    zero_centred = bool(np.isfinite(mean) and abs(mean) < _ZERO_CENTRED_TOL * std)

    return Properties(
        low=float(np.min(y)),
        high=float(np.max(y)),
        bounded_below=bounded_below,
        bounded_above=bounded_above,
        monotonic=monotonic,
        zero_centred=zero_centred,
        mean_normal=mean,
        std_normal=std,
        continuous=continuous,
        smooth=smooth,
    )
