r"""What floating-point rounding does to activations: where they saturate, and exact zeros.

Two questions the chapters answer with these helpers:

* **Where does float32 close a function's range?** :func:`first_float32_input` finds,
  by bisection over the float32 numbers themselves, the smallest input at which a
  monotone function returns a given value (for the sigmoid: exactly 1.0).
  :func:`rounded_sigmoid` is the correctly rounded reference (computed in float64,
  rounded once to float32), so a kernel that approximates can be compared with it;
  :func:`saturation_verdict` says in words how the two compare.
* **How often is a pre-activation exactly 0?** Only there does the value a library
  picks for ReLU's derivative at the corner matter. :func:`exact_zero_share` counts,
  :func:`relu_with_derivative_at_zero` builds a ReLU whose derivative at exactly 0 is
  any chosen value, and :func:`derivative_at_zero_verdict` says whether that choice
  changed a gradient.

Example:

>>> import numpy as np
>>> x = first_float32_input(rounded_sigmoid, 1.0)
>>> bool(17.3 < x < 17.4 and rounded_sigmoid(np.float32(x)) == 1.0)
True
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import tensorflow as tf

__all__ = [
    "derivative_at_zero_verdict",
    "exact_zero_share",
    "first_float32_input",
    "relu_with_derivative_at_zero",
    "rounded_sigmoid",
    "saturation_verdict",
]


def _float32_bits(x: float) -> int:
    """The float32 bit pattern of a non-negative ``x``, as an int (ordered like the values)."""
    return int(np.array(x, dtype=np.float32).view(np.int32))


def _from_bits(bits: int) -> np.float32:
    return np.array(bits, dtype=np.int32).view(np.float32)[()]


def _scalar_output(fn: Callable, x: np.float32) -> float:
    """``fn`` applied to the float32 scalar ``x``, as one float (1-element tensors allowed)."""
    value = fn(np.array([x], dtype=np.float32))
    value = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
    if value.size != 1:
        raise ValueError(
            "first_float32_input: fn must return one number for a one-element input; "
            f"got {value.size} numbers. Pass an element-wise function of one argument."
        )
    return float(value.reshape(-1)[0])


def first_float32_input(
    fn: Callable, value: float, *, lo: float = 0.0, hi: float = 40.0
) -> float:
    r"""The smallest float32 ``x`` in ``[lo, hi]`` at which ``fn(x)`` equals ``value`` exactly.

    Non-negative float32 numbers are ordered like their bit patterns, so the search
    bisects the integers between the patterns of ``lo`` and ``hi``: about 30 calls
    of ``fn`` find the exact boundary, with no grid step to miss it by. ``fn`` must
    reach ``value`` and stay there (for example the sigmoid reaching 1.0).

    Example:

    >>> first_float32_input(lambda x: np.minimum(x, 2.0), 2.0)
    2.0

    Args:
        fn: An element-wise function of a float32 array (NumPy or TensorFlow).
        value: The output to look for.
        lo: The lower end of the search, at least 0, where ``fn`` is not ``value``.
        hi: The upper end, where ``fn`` already is ``value``.

    Returns:
        The float32 boundary, as a Python float.
    """
    if not callable(fn):
        raise TypeError(f"first_float32_input: fn must be a function, got {fn!r}.")
    if not (math.isfinite(lo) and math.isfinite(hi) and 0.0 <= lo < hi):
        raise ValueError(
            f"first_float32_input: need finite 0 <= lo < hi, got lo={lo!r}, hi={hi!r}."
        )
    low, high = _float32_bits(lo), _float32_bits(hi)
    if _scalar_output(fn, _from_bits(high)) != value:
        raise ValueError(
            f"first_float32_input: fn({hi}) is not {value}; raise hi until it is."
        )
    if _scalar_output(fn, _from_bits(low)) == value:
        return float(_from_bits(low))
    while high - low > 1:
        middle = (low + high) // 2
        if _scalar_output(fn, _from_bits(middle)) == value:
            high = middle
        else:
            low = middle
    return float(_from_bits(high))


def rounded_sigmoid(x: np.ndarray) -> np.ndarray:
    r"""The sigmoid computed in float64 and rounded once to float32: the correct float32 value.

    .. math:: \operatorname{round}_{32}\!\left(\frac{1}{1 + e^{-x}}\right)

    It is 1.0 exactly when :math:`1 - \sigma(x)` is below half the float32 gap under 1
    (:math:`2^{-25}`), that is from about :math:`x = 25 \ln 2 \approx 17.33`.

    Example:

    >>> rounded_sigmoid(np.array([0.0, 20.0], dtype=np.float32))
    array([0.5, 1. ], dtype=float32)

    Args:
        x: Inputs (any shape).

    Returns:
        float32 array of the same shape.
    """
    x64 = np.asarray(x, dtype=np.float64)
    return (1.0 / (1.0 + np.exp(-x64))).astype(np.float32)


def saturation_verdict(reference: float, kernel: float, *, name: str = "TensorFlow") -> str:
    """Say where a kernel's function reaches its limit, against the correctly rounded one.

    The rule: the kernel saturates "early" when its boundary is more than one part in
    10⁴ below the reference's, "late" when above, otherwise "where correct rounding
    does".

    Example:

    >>> saturation_verdict(17.33, 16.64)
    "TensorFlow's kernel reaches 1.0 earlier, at 16.64 instead of 17.33, because it approximates"

    Args:
        reference: The boundary of the correctly rounded function.
        kernel: The boundary of the kernel's function.
        name: Whose kernel it is.

    Returns:
        A clause without a final full stop.
    """
    for label, number in (("reference", reference), ("kernel", kernel)):
        if isinstance(number, bool) or not isinstance(number, (int, float, np.floating)):
            raise TypeError(f"saturation_verdict: {label} must be a number, got {number!r}.")
    if kernel < reference * (1 - 1e-4):
        return (
            f"{name}'s kernel reaches 1.0 earlier, at {kernel:.2f} instead of "
            f"{reference:.2f}, because it approximates"
        )
    if kernel > reference * (1 + 1e-4):
        return (
            f"{name}'s kernel reaches 1.0 later, at {kernel:.2f} instead of {reference:.2f}"
        )
    return f"{name}'s kernel reaches 1.0 where correct rounding does, at {kernel:.2f}"


def exact_zero_share(z: object) -> float:
    """The share of entries of ``z`` that are exactly 0 (``+0.0`` or ``-0.0``).

    Example:

    >>> exact_zero_share(np.array([0.0, -0.0, 1e-30, 2.0]))
    0.5

    Args:
        z: An array or tensor, for example a layer's pre-activations.

    Returns:
        A fraction in [0, 1].
    """
    array = np.asarray(z.numpy() if hasattr(z, "numpy") else z)
    if array.size == 0 or not np.issubdtype(array.dtype, np.number):
        raise ValueError(
            f"exact_zero_share: z must be a non-empty numeric array; got {array!r}."
        )
    return float(np.mean(array == 0))


def relu_with_derivative_at_zero(value: float) -> Callable[[tf.Tensor], tf.Tensor]:
    r"""A ReLU whose derivative at exactly 0 is ``value`` (TensorFlow's own uses 0).

    .. math:: f(x) = \max(0, x), \qquad f'(x) = [x > 0] + \text{value}\cdot[x = 0]

    Example:

    >>> relu_one = relu_with_derivative_at_zero(1.0)
    >>> x = tf.constant([-1.0, 0.0, 2.0])
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = relu_one(x)
    >>> tape.gradient(y, x).numpy()
    array([0., 1., 1.], dtype=float32)

    Args:
        value: The derivative to use at exactly 0, usually 0 or 1.

    Returns:
        A function of one tensor with a custom gradient.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(
            f"relu_with_derivative_at_zero: value must be a finite number, got {value!r}."
        )

    @tf.custom_gradient
    def relu(x: tf.Tensor) -> tuple[tf.Tensor, Callable]:
        def grad(upstream: tf.Tensor) -> tf.Tensor:
            slope = tf.cast(x > 0, x.dtype) + tf.cast(x == 0, x.dtype) * value
            return upstream * slope

        return tf.nn.relu(x), grad

    relu.__name__ = f"relu_derivative_{value:g}_at_0"
    return relu


def derivative_at_zero_verdict(max_difference: float, zero_share: float) -> str:
    """Say whether the derivative chosen at ReLU's corner changed a gradient.

    Example:

    >>> derivative_at_zero_verdict(0.0, 0.0)
    'no pre-activation was exactly 0, so the choice changed nothing here'

    Args:
        max_difference: The largest absolute difference between the two gradients.
        zero_share: The share of pre-activations that were exactly 0.

    Returns:
        A clause without a final full stop.
    """
    for label, number in (("max_difference", max_difference), ("zero_share", zero_share)):
        if isinstance(number, bool) or not isinstance(number, (int, float, np.floating)):
            raise TypeError(
                f"derivative_at_zero_verdict: {label} must be a number, got {number!r}."
            )
    if zero_share == 0:
        return "no pre-activation was exactly 0, so the choice changed nothing here"
    if max_difference == 0:
        return (
            f"{zero_share:.0%} of the pre-activations were exactly 0, yet the gradients "
            "came out the same"
        )
    return (
        f"{zero_share:.0%} of the pre-activations were exactly 0, and the choice changed "
        f"the gradient by up to {max_difference:.2g}"
    )
