r"""Counting the kinks of a ReLU network of one input, layer by layer, exactly.

A network ``1 → ReLU layers → linear output`` computes a piecewise-linear function of its
one input :math:`x`. A first-layer unit bends it at most once, where its pre-activation
:math:`w x + b` crosses 0. A unit of the next layer sees a function that is already
piecewise linear, so its pre-activation can cross 0 once on *each* piece, and it can add
several kinks (Montúfar et al., "On the Number of Linear Regions of Deep Neural
Networks", NeurIPS 2014). :func:`relu_kinks` finds every such crossing in float64:
within each piece the pre-activations are affine in :math:`x`, so the crossing is where
the straight line through the piece's two ends meets 0. :func:`kinks_verdict` says how
the count compares with one kink per unit.

Example:

>>> import numpy as np
>>> kernels = [np.array([[1.0, -1.0]]), np.array([[1.0], [1.0]])]
>>> biases = [np.array([0.0, 0.5]), np.array([-1.0])]
>>> relu_kinks(kernels, biases, -2.0, 2.0)
[2, 2]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["kinks_verdict", "model_kinks", "relu_kinks"]


def _forward(points: np.ndarray, kernels: Sequence[np.ndarray], biases: Sequence[np.ndarray],
             depth: int) -> np.ndarray:
    """Pre-activations of hidden layer ``depth`` (0-based) at ``points``."""
    a = points[:, None]
    for layer in range(depth):
        a = np.maximum(a @ kernels[layer] + biases[layer], 0.0)
    return a @ kernels[depth] + biases[depth]


def relu_kinks(
    kernels: Sequence[np.ndarray], biases: Sequence[np.ndarray], lo: float, hi: float
) -> list[int]:
    """How many kinks each ReLU layer adds to the network's function on ``[lo, hi]``.

    A kink is a point where some unit's pre-activation crosses 0 strictly inside the
    interval. The count of a layer is the number of distinct new points it adds; a
    point where the output happens not to change slope (for example because that unit's
    outgoing weights are 0) still counts, so this is the number of pieces the network
    can use.

    Example:

    >>> relu_kinks([np.array([[1.0, 1.0]])], [np.array([0.0, -1.0])], -3.0, 3.0)
    [2]

    Args:
        kernels: The hidden layers' kernels, shapes (1, n₁), (n₁, n₂), ... (not the
            output layer's).
        biases: The matching biases.
        lo: The left end of the input interval.
        hi: The right end, above ``lo``.

    Returns:
        One count per hidden layer.
    """
    kernels = [np.asarray(k, dtype=np.float64) for k in kernels]
    biases = [np.asarray(b, dtype=np.float64) for b in biases]
    one_input = bool(kernels) and kernels[0].ndim == 2 and kernels[0].shape[0] == 1
    if len(kernels) != len(biases) or not one_input:
        raise ValueError(
            "relu_kinks: give matching lists of kernels and biases, the first kernel of "
            f"shape (1, units) for one input; got {len(kernels)} kernels and "
            f"{len(biases)} biases."
        )
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"relu_kinks: need finite lo < hi, got {lo!r} and {hi!r}.")
    points = np.array([lo, hi], dtype=np.float64)
    counts = []
    for depth in range(len(kernels)):
        z = _forward(points, kernels, biases, depth)  # (points, units)
        left, right = z[:-1], z[1:]
        cross = (left * right) < 0
        rows, units = np.nonzero(cross)
        x0, x1 = points[rows], points[rows + 1]
        z0, z1 = left[rows, units], right[rows, units]
        new = np.unique(x0 + (x1 - x0) * z0 / (z0 - z1))
        new = new[~np.isin(new, points)]
        counts.append(int(new.size))
        points = np.union1d(points, new)
    return counts


def model_kinks(model: object, lo: float, hi: float) -> list[int]:
    """:func:`relu_kinks` for a Keras ``Sequential`` of ``Dense`` layers with ReLU.

    Example:

    >>> import keras
    >>> net = keras.Sequential([keras.Input(shape=(1,)),
    ...                         keras.layers.Dense(4, activation="relu"),
    ...                         keras.layers.Dense(1)])
    >>> len(model_kinks(net, -1.0, 1.0))
    1

    Args:
        model: A model of one input whose hidden layers are ``Dense`` with ReLU and
            whose last layer is a linear ``Dense``.
        lo: The left end of the input interval.
        hi: The right end.

    Returns:
        One count per hidden layer.
    """
    dense = [layer for layer in getattr(model, "layers", []) if layer.get_weights()]
    if len(dense) < 2:
        raise ValueError(
            "model_kinks: the model needs at least one hidden Dense layer and an output "
            "Dense layer."
        )
    weights = [layer.get_weights() for layer in dense[:-1]]
    return relu_kinks([w[0] for w in weights], [w[1] for w in weights], lo, hi)


def kinks_verdict(counts: Sequence[int], units: Sequence[int]) -> str:
    """Compare a network's kinks, layer by layer, with one kink per unit.

    Example:

    >>> kinks_verdict([3, 7], [4, 4])
    'the first layer adds 3 kinks (it has 4 units), the second 7 (4 units): more kinks than units'

    Args:
        counts: From :func:`relu_kinks`, one per hidden layer.
        units: The number of units of each hidden layer.

    Returns:
        A clause without a final full stop.
    """
    counts, units = list(counts), list(units)
    if len(counts) != len(units) or not counts:
        raise ValueError(
            f"kinks_verdict: give one count per hidden layer and as many unit numbers; "
            f"got {counts!r} and {units!r}."
        )
    ordinals = ["first", "second", "third", "fourth", "fifth"]
    parts = []
    for i, (count, n) in enumerate(zip(counts, units, strict=True)):
        name = ordinals[i] if i < len(ordinals) else f"layer {i + 1}"
        parts.append(
            f"the {name} layer adds {count} kinks (it has {n} units)" if i == 0
            else f"the {name} {count} ({n} units)"
        )
    total, total_units = sum(counts), sum(units)
    tail = "more kinks than units" if total > total_units else "no more kinks than units"
    return ", ".join(parts) + f": {tail}"
