r"""Reference activations for the checkers, built from NumPy functions captured at import.

``import acttutor`` imports this module, so the NumPy functions below are
captured before any learner code runs. A learner's answer that replaces
``np.exp`` (or ``np.tanh``, ``np.maximum``, ...) therefore cannot change the
values a checker compares against, in that check or in any later one. (The
kit also puts such replacements back after each call of the learner's code;
see :func:`~acttutor.exercises.kit.call_learner`.)

Every reference works in float64 and never overflows: for example the
sigmoid only ever exponentiates numbers :math:`\le 0`.

Example:

>>> import numpy as np
>>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
array([0. , 0.5, 1. ])
>>> softmax(np.array([[1000.0, 1000.0], [0.0, -1000.0]]))
array([[0.5, 0.5],
       [1. , 0. ]])
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np

__all__ = ["AT_IMPORT", "NP", "leaky_relu", "relu", "sigmoid", "softmax", "tanh"]

#: NumPy's functions as they were when acttutor was imported: ``NP.exp``, ``NP.where``, ...
NP = SimpleNamespace(**{
    name: getattr(np, name)
    for name in (
        "abs", "all", "allclose", "any", "argmax", "argwhere", "array", "asarray", "clip",
        "exp", "expm1", "float32", "float64", "isclose", "isfinite", "log", "log1p",
        "logaddexp", "max", "maximum", "mean", "median", "min", "minimum", "ones_like",
        "sign", "sqrt", "sum", "tanh", "unravel_index", "where", "zeros_like",
    )
})


#: NumPy's and ``math``'s whole namespaces as they were at import, to tell when one was changed.
AT_IMPORT: dict[str, dict[str, object]] = {"np": dict(vars(np)), "math": dict(vars(math))}


def _f64(x: np.ndarray) -> np.ndarray:
    return NP.asarray(x, dtype=NP.float64)


def relu(x: np.ndarray) -> np.ndarray:
    r"""ReLU, :math:`\max(0, x)`, element by element.

    Example:

    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])

    Args:
        x: Any array.

    Returns:
        The float64 result.
    """
    return NP.maximum(_f64(x), 0.0)


def sigmoid(x: np.ndarray) -> np.ndarray:
    r"""The sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`, without overflow.

    Example:

    >>> float(sigmoid(np.array(0.0)))
    0.5

    Args:
        x: Any array.

    Returns:
        The float64 result.
    """
    x = _f64(x)
    e = NP.exp(-NP.abs(x))  # in (0, 1]
    return NP.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def tanh(x: np.ndarray) -> np.ndarray:
    r"""The hyperbolic tangent :math:`\tanh(x) = (e^x - e^{-x}) / (e^x + e^{-x})`.

    Example:

    >>> tanh(np.array([-1000.0, 0.0]))
    array([-1.,  0.])

    Args:
        x: Any array.

    Returns:
        The float64 result.
    """
    return NP.tanh(_f64(x))


def leaky_relu(x: np.ndarray, alpha: float) -> np.ndarray:
    r"""Leaky ReLU: :math:`x` for :math:`x > 0`, :math:`\alpha x` otherwise.

    Example:

    >>> leaky_relu(np.array([-2.0, 3.0]), 0.1)
    array([-0.2,  3. ])

    Args:
        x: Any array.
        alpha: The slope for negative inputs.

    Returns:
        The float64 result.
    """
    x = _f64(x)
    return NP.where(x > 0, x, alpha * x)


def softmax(x: np.ndarray, axis: int | None = -1) -> np.ndarray:
    r"""Softmax :math:`e^{x_i} / \sum_j e^{x_j}` along ``axis``, shifted by the maximum.

    Example:

    >>> softmax(np.array([0.0, 0.0]))
    array([0.5, 0.5])

    Args:
        x: Any array.
        axis: The axis to normalise over; ``None`` for the whole array.

    Returns:
        The float64 result, summing to 1 along ``axis``.
    """
    x = _f64(x)
    e = NP.exp(x - NP.max(x, axis=axis, keepdims=True))
    return e / NP.sum(e, axis=axis, keepdims=True)
