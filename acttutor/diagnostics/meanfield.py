r"""The mean-field theory of a wide random network: gains, fixed points, correlations, chaos.

In a wide layer :math:`z_{l+1} = W h_l + b`, with :math:`W_{ij} \sim N(0, \sigma_w^2/n)`
and :math:`b_i \sim N(0, \sigma_b^2)`, every pre-activation is close to Gaussian, and
its variance :math:`q_l` follows a one-dimensional map (Poole et al., 2016):

.. math:: q_{l+1} = \sigma_w^2 \, \mathbb{E}_{z \sim N(0,1)}[f(\sqrt{q_l}\, z)^2] + \sigma_b^2 .

Two inputs' pre-activations have a correlation :math:`c_l` that follows a second map,
and the slope of that map at :math:`c = 1`,
:math:`\chi_1 = \sigma_w^2 \, \mathbb{E}[f'(\sqrt{q^*} z)^2]`, decides the regime:
below 1 every pair of inputs ends up with the same representation (*ordered*), above
1 nearby inputs are pulled apart (*chaotic*), and at 1 (the *edge of chaos*) signals
and gradients travel furthest (Schoenholz et al., 2017). The expectations here are
computed by Gauss–Hermite quadrature, not sampled, so they are the theory's values;
:mod:`acttutor.diagnostics.propagation` measures the same quantities in real networks.

Example:

>>> round(variance_gain("relu"), 4)
1.4142
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import tensorflow as tf

from acttutor import _checks
from acttutor.activations import resolve

__all__ = [
    "chi",
    "correlation_map",
    "edge_of_chaos",
    "regime",
    "variance_fixed_point",
    "variance_gain",
]

_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(80)
_WEIGHTS = _WEIGHTS / np.sqrt(2.0 * np.pi)  # so that sum(w * g(z)) = E[g(z)], z ~ N(0, 1)


def _function(
    activation: str | Callable[[Any], Any], caller: str
) -> Callable[[np.ndarray], np.ndarray]:
    """``activation`` as a float64 NumPy function, or a clear error naming ``caller``."""
    try:
        _, fn = resolve(activation)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{caller}: {exc} Use a Keras activation name such as 'tanh'.") from None

    def numpy_fn(x: np.ndarray) -> np.ndarray:
        return np.asarray(fn(tf.constant(x, dtype=tf.float64)), dtype=float)

    return numpy_fn


def _slope(activation: str | Callable[[Any], Any], x: np.ndarray) -> np.ndarray:
    """f'(x) by ``tf.GradientTape`` in float64."""
    _, fn = resolve(activation)
    xs = tf.constant(x, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(xs)
        ys = fn(xs)
    return np.asarray(tape.gradient(ys, xs), dtype=float)


def _non_negative(name: str, value: Any, caller: str) -> float:
    if isinstance(value, bool):
        raise TypeError(f"{caller}: {name} must be a number, got {value!r}.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{caller}: {name} must be a number, got {value!r}.") from None
    if not np.isfinite(number) or number < 0:
        raise ValueError(f"{caller}: {name} must be a finite number >= 0, got {value!r}.")
    return number


def variance_gain(activation: str | Callable[[Any], Any]) -> float:
    r"""The weight gain that keeps unit variance through a layer of ``activation``.

    With weights :math:`W_{ij} \sim N(0, g^2/n)` and no bias, a unit-variance
    Gaussian pre-activation gives the next layer variance
    :math:`g^2\,\mathbb{E}[f(z)^2]`; it stays 1 when
    :math:`g = 1/\sqrt{\mathbb{E}_{z \sim N(0,1)}[f(z)^2]}`. For ReLU,
    :math:`\mathbb{E}[f(z)^2] = 1/2` gives He's :math:`\sqrt 2`; for SELU the
    constants were chosen so that :math:`\mathbb{E}[f(z)^2] = 1`, gain 1
    (LeCun normal).

    Example:

    >>> round(variance_gain("selu"), 2)
    1.0

    Args:
        activation: A Keras activation name or an element-wise function of one tensor.

    Returns:
        The gain :math:`g`; a Keras initialiser with it is
        ``VarianceScaling(scale=g**2, mode="fan_in")``.
    """
    fn = _function(activation, "variance_gain")
    second_moment = float(np.sum(_WEIGHTS * fn(_NODES) ** 2))
    if not np.isfinite(second_moment) or second_moment <= 0:
        raise ValueError(
            f"variance_gain: E[f(z)^2] is {second_moment} for {activation!r}; the activation "
            "must be finite and not zero everywhere."
        )
    return float(1.0 / np.sqrt(second_moment))


def variance_fixed_point(
    activation: str | Callable[[Any], Any],
    sigma_w2: float,
    sigma_b2: float = 0.0,
    *,
    q0: float = 1.0,
    depth: int = 500,
) -> list[float]:
    r"""Iterate the variance map from layer to layer, from ``q0``.

    The map: :math:`q \mapsto \sigma_w^2 \mathbb{E}[f(\sqrt q z)^2] + \sigma_b^2`.

    Example:

    >>> q = variance_fixed_point("relu", 2.0, depth=3)
    >>> [round(v, 6) for v in q]
    [1.0, 1.0, 1.0, 1.0]

    Args:
        activation: A Keras activation name or an element-wise function.
        sigma_w2: Weight variance times fan-in, :math:`\sigma_w^2` (the gain squared).
        sigma_b2: Bias variance :math:`\sigma_b^2`.
        q0: The variance of the first pre-activation.
        depth: Number of layers to iterate.

    Returns:
        ``[q0, q1, ..., q_depth]``; the last value approximates the fixed point
        :math:`q^*` when the map converges.
    """
    caller = "variance_fixed_point"
    sigma_w2 = _non_negative("sigma_w2", sigma_w2, caller)
    sigma_b2 = _non_negative("sigma_b2", sigma_b2, caller)
    q = _non_negative("q0", q0, caller)
    depth = _checks.positive_int("depth", depth, caller=caller)
    fn = _function(activation, caller)
    values = [q]
    while len(values) <= depth:
        q = sigma_w2 * float(np.sum(_WEIGHTS * fn(np.sqrt(q) * _NODES) ** 2)) + sigma_b2
        if abs(q - values[-1]) <= 1e-14 * max(1.0, q):  # converged: the rest repeat q
            values.extend([q] * (depth + 1 - len(values)))
        else:
            values.append(q)
    return values


def correlation_map(
    activation: str | Callable[[Any], Any],
    sigma_w2: float,
    sigma_b2: float = 0.0,
    *,
    c0: float = 0.5,
    depth: int = 50,
) -> list[float]:
    r"""The correlation of two inputs' pre-activations, layer by layer, in theory.

    At the variance fixed point :math:`q^*`, with :math:`u_1 = \sqrt{q^*} z_1` and
    :math:`u_2 = \sqrt{q^*}(c z_1 + \sqrt{1-c^2} z_2)`,

    .. math:: c_{l+1} = \frac{\sigma_w^2 \, \mathbb{E}[f(u_1) f(u_2)] + \sigma_b^2}{q^*} .

    Example:

    >>> c = correlation_map("tanh", 0.5, 0.05, c0=0.2, depth=30)
    >>> c[-1] > 0.99   # ordered: every pair of inputs ends up alike
    True

    Args:
        activation: A Keras activation name or an element-wise function.
        sigma_w2: :math:`\sigma_w^2`.
        sigma_b2: :math:`\sigma_b^2`.
        c0: The correlation of the two inputs' first pre-activations, in [-1, 1].
        depth: Number of layers.

    Returns:
        ``[c0, c1, ..., c_depth]``.
    """
    caller = "correlation_map"
    if not isinstance(c0, (int, float)) or isinstance(c0, bool) or not -1 <= c0 <= 1:
        raise ValueError(f"{caller}: c0 must be a correlation in [-1, 1], got {c0!r}.")
    q = variance_fixed_point(activation, sigma_w2, sigma_b2)[-1]
    if q <= 0:
        raise ValueError(f"{caller}: the variance fixed point is 0; give sigma_b2 > 0.")
    depth = _checks.positive_int("depth", depth, caller=caller)
    fn = _function(activation, caller)
    z1, z2 = np.meshgrid(_NODES, _NODES, indexing="ij")
    weights = np.outer(_WEIGHTS, _WEIGHTS)
    f1 = fn(np.sqrt(q) * z1)
    values = [float(c0)]
    c = float(c0)
    for _ in range(depth):
        u2 = np.sqrt(q) * (c * z1 + np.sqrt(max(0.0, 1.0 - c * c)) * z2)
        c = (sigma_w2 * float(np.sum(weights * f1 * fn(u2))) + sigma_b2) / q
        c = min(1.0, max(-1.0, c))
        values.append(c)
    return values


def chi(activation: str | Callable[[Any], Any], sigma_w2: float, sigma_b2: float = 0.0) -> float:
    r"""The slope :math:`\chi_1` of the correlation map at :math:`c = 1`.

    .. math:: \chi_1 = \sigma_w^2 \, \mathbb{E}[f'(\sqrt{q^*} z)^2] .

    It is also the factor by which the squared gradient changes per layer
    (Schoenholz et al., 2017): below 1 gradients vanish, above 1 they explode.

    Example:

    >>> round(chi("relu", 2.0), 6)  # He's gain: E[relu'(z)^2] = 1/2
    1.0

    Args:
        activation: A Keras activation name or an element-wise function.
        sigma_w2: :math:`\sigma_w^2`.
        sigma_b2: :math:`\sigma_b^2`.

    Returns:
        :math:`\chi_1`.
    """
    q = variance_fixed_point(activation, sigma_w2, sigma_b2, depth=2000)[-1]
    slope = _slope(activation, np.sqrt(q) * _NODES)
    return float(sigma_w2 * np.sum(_WEIGHTS * slope**2))


def edge_of_chaos(
    activation: str | Callable[[Any], Any], sigma_b2: float, *, low: float = 0.5, high: float = 4.0
) -> float:
    r"""The :math:`\sigma_w^2` in ``[low, high]`` where :math:`\chi_1 = 1`, found by bisection.

    Example:

    >>> 1.0 < edge_of_chaos("tanh", 0.05) < 2.0
    True

    Args:
        activation: A Keras activation name or an element-wise function.
        sigma_b2: :math:`\sigma_b^2`.
        low: Lower end of the search; :math:`\chi_1` must be below 1 there.
        high: Upper end; :math:`\chi_1` must be above 1 there.

    Returns:
        The critical :math:`\sigma_w^2`.
    """
    if not (chi(activation, low, sigma_b2) < 1.0 < chi(activation, high, sigma_b2)):
        raise ValueError(
            f"edge_of_chaos: chi_1 does not cross 1 between sigma_w2={low} and {high} for "
            f"{activation!r}; widen [low, high]."
        )
    for _ in range(20):
        middle = 0.5 * (low + high)
        if chi(activation, middle, sigma_b2) < 1.0:
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)


def regime(chi_1: float, *, tolerance: float = 0.05) -> str:
    r"""Name the regime of a network from its :math:`\chi_1`.

    The rule: within ``tolerance`` of 1 is the edge of chaos; below, ordered; above, chaotic.

    Example:

    >>> regime(0.6), regime(1.01), regime(1.8)
    ('ordered', 'edge of chaos', 'chaotic')

    Args:
        chi_1: The slope :math:`\chi_1` (see :func:`acttutor.diagnostics.meanfield.chi`).
        tolerance: How close to 1 counts as the edge.

    Returns:
        ``"ordered"``, ``"edge of chaos"`` or ``"chaotic"``.
    """
    value = float(chi_1)
    if not np.isfinite(value):
        raise ValueError(f"regime: chi_1 must be a finite number, got {chi_1!r}.")
    if abs(value - 1.0) <= tolerance:
        return "edge of chaos"
    return "ordered" if value < 1.0 else "chaotic"
