r"""What one dense layer does to a gradient on its way back: its Jacobian diag(f′(z)) Wᵀ.

A layer :math:`a = f(z)`, :math:`z = xW + b`, passes a gradient :math:`g` (with respect
to :math:`a`) back to its input as :math:`g\,\operatorname{diag}(f'(z))\,W^\top` for one
example. The activation contributes the factor :math:`f'(z)` (at most 1/4 for the
sigmoid); the weights contribute :math:`W^\top`, whose gain can be far above 1. So a
bound on :math:`f'` alone does not bound what the layer does to the gradient:
:func:`jacobian_gains` measures the largest singular value of the whole Jacobian,
example by example, and :func:`jacobian_verdict` says in words what it found.

Example:

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> x = rng.standard_normal((8, 64))
>>> w = rng.standard_normal((64, 64))        # large weights: std 1, not 1/sqrt(64)
>>> gains = jacobian_gains(x, w, "sigmoid")
>>> bool(np.median(gains.gains) > 1.0 and gains.max_slope <= 0.25)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from acttutor.activations import resolve
from acttutor.properties import derivative

__all__ = ["JacobianGains", "jacobian_gains", "jacobian_verdict"]


@dataclass(frozen=True)
class JacobianGains:
    """The gains of one layer's Jacobian, example by example, and its largest slope.

    Example:

    >>> JacobianGains(gains=np.array([0.5, 2.0]), max_slope=0.25).median
    1.25

    Attributes:
        gains: The largest singular value of diag(f′(z)) Wᵀ for each example.
        max_slope: The largest activation derivative f′(z) over all examples and units.
    """

    gains: np.ndarray
    max_slope: float

    @property
    def median(self) -> float:
        """The median gain over the examples."""
        return float(np.median(self.gains))


def jacobian_gains(
    x: np.ndarray, kernel: np.ndarray, activation: object, bias: np.ndarray | None = None
) -> JacobianGains:
    r"""The largest singular value of a dense layer's Jacobian at each example.

    .. math:: J(x) = \operatorname{diag}\bigl(f'(xW + b)\bigr)\, W^\top

    Example:

    >>> eye = np.eye(2)
    >>> round(float(jacobian_gains(np.zeros((1, 2)), 4 * eye, "sigmoid").gains[0]), 6)
    1.0

    Args:
        x: Inputs of the layer, shape (examples, inputs).
        kernel: The layer's kernel W, shape (inputs, units).
        activation: An element-wise activation (name or function), as for
            :func:`acttutor.activations.resolve`.
        bias: The layer's bias, shape (units,); zeros if not given.

    Returns:
        A :class:`JacobianGains`.
    """
    x = np.asarray(x, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if x.ndim != 2 or kernel.ndim != 2 or x.shape[1] != kernel.shape[0]:
        raise ValueError(
            "jacobian_gains: x must be (examples, inputs) and kernel (inputs, units) with "
            f"matching inputs; got x {x.shape} and kernel {kernel.shape}."
        )
    b = np.zeros(kernel.shape[1]) if bias is None else np.asarray(bias, dtype=np.float64)
    if b.shape != (kernel.shape[1],):
        raise ValueError(
            f"jacobian_gains: bias must have shape ({kernel.shape[1]},), got {b.shape}."
        )
    _, fn = resolve(activation)
    slopes = np.asarray(derivative(fn, x @ kernel + b, dtype=tf.float64))
    gains = np.array(
        [np.linalg.norm(slope[:, None] * kernel.T, ord=2) for slope in slopes]
    )
    return JacobianGains(gains=gains, max_slope=float(slopes.max()))


def jacobian_verdict(gains: JacobianGains, bound: float = 0.25) -> str:
    """Say whether a layer's Jacobian stayed within the bound of its activation's slope.

    Example:

    >>> jacobian_verdict(JacobianGains(gains=np.array([1.4]), max_slope=0.25))
    'the slope never exceeded 0.25, yet the layer multiplied the gradient by up to 1.4'

    Args:
        gains: From :func:`jacobian_gains`.
        bound: The bound on the activation's derivative (1/4 for the sigmoid).

    Returns:
        A clause without a final full stop.
    """
    if not isinstance(gains, JacobianGains):
        raise TypeError(
            f"jacobian_verdict: gains must come from jacobian_gains(), got {gains!r}."
        )
    largest = float(np.max(gains.gains))
    slope = "never exceeded" if gains.max_slope <= bound + 1e-12 else "exceeded"
    if largest > bound:
        return (
            f"the slope {slope} {bound:g}, yet the layer multiplied the gradient by up "
            f"to {largest:.2g}"
        )
    return (
        f"the slope {slope} {bound:g}, and the layer multiplied the gradient by at most "
        f"{largest:.2g}"
    )
