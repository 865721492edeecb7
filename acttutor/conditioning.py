r"""Why uncentred inputs slow gradient descent: the condition number of E[ã ãᵀ].

A unit ``y = w·a + b`` trained on a squared error has the Hessian
:math:`H = \mathbb{E}[\tilde a \tilde a^\top]` with :math:`\tilde a = [a; 1]` (its inputs
with a 1 for the bias) (LeCun et al., "Efficient BackProp", 1998). Plain gradient
descent converges at a rate set by the condition number
:math:`\kappa(H) = \lambda_{\max}/\lambda_{\min}`.
When the inputs share a non-zero mean, :math:`H` gains one large eigenvalue along the
mean direction and :math:`\kappa` grows with :math:`\lVert \mathbb{E}[a] \rVert^2`; the
bias can absorb the offset in what the unit *computes*, but not this. Scaling all
inputs changes :math:`\mathbb{E}[a^2]` as well, which also moves :math:`\kappa`, so
:func:`match_second_moment` rescales inputs to a reference's mean square: comparisons
at equal :math:`\mathbb{E}[a^2]` isolate the mean.

Example:

>>> import numpy as np
>>> a = np.random.default_rng(0).standard_normal((10_000, 4))
>>> condition_number(a) < 1.2 < 10 < condition_number(a + 2.0)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "InputConditioning",
    "augmented_second_moment",
    "condition_number",
    "conditioning_verdict",
    "input_conditioning",
    "match_second_moment",
]


def _inputs(a: object, caller: str) -> np.ndarray:
    """``a`` as a finite float64 matrix (examples × inputs), or a clear error."""
    array = np.asarray(a.numpy() if hasattr(a, "numpy") else a, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] < 2 or array.shape[1] < 1:
        raise ValueError(
            f"{caller}: a must be a 2-D array of examples × inputs (at least 2 examples); "
            f"got shape {array.shape}."
        )
    if not np.isfinite(array).all():
        raise ValueError(f"{caller}: a must hold finite numbers only.")
    return array


def augmented_second_moment(a: object, *, bias: bool = True) -> np.ndarray:
    r"""The matrix :math:`\mathbb{E}[\tilde a \tilde a^\top]`, with :math:`\tilde a = [a; 1]`.

    .. math:: H = \frac{1}{N} \sum_{n=1}^{N} \tilde a_n \tilde a_n^\top

    Example:

    >>> augmented_second_moment(np.array([[1.0], [3.0]]))
    array([[5., 2.],
           [2., 1.]])

    Args:
        a: Inputs, shape (examples, inputs).
        bias: Whether to append the constant 1 that multiplies the bias.

    Returns:
        A symmetric (inputs + 1) × (inputs + 1) matrix (inputs × inputs without bias).
    """
    array = _inputs(a, "augmented_second_moment")
    if bias:
        array = np.concatenate([array, np.ones((array.shape[0], 1))], axis=1)
    return array.T @ array / array.shape[0]


def condition_number(a: object, *, bias: bool = True) -> float:
    r"""The condition number :math:`\lambda_{\max} / \lambda_{\min}` of E[ã ãᵀ].

    Example:

    >>> round(condition_number(np.array([[1.0], [-1.0]])), 6)
    1.0

    Args:
        a: Inputs, shape (examples, inputs).
        bias: Whether the unit has a bias (appends the constant 1).

    Returns:
        The ratio of the largest to the smallest eigenvalue (``inf`` when singular).
    """
    eigenvalues = np.linalg.eigvalsh(augmented_second_moment(a, bias=bias))
    smallest = float(eigenvalues[0])
    largest = float(eigenvalues[-1])
    if smallest <= largest * 1e-15:
        return float("inf")
    return largest / smallest


def match_second_moment(a: object, reference: object) -> np.ndarray:
    r"""``a`` multiplied by the one factor that gives it ``reference``'s mean square.

    .. math:: a' = a \sqrt{\mathbb{E}[r^2] / \mathbb{E}[a^2]}

    Example:

    >>> match_second_moment(np.array([[2.0], [2.0]]), np.array([[1.0], [-1.0]]))
    array([[1.],
           [1.]])

    Args:
        a: Inputs to rescale, shape (examples, inputs).
        reference: Inputs whose mean square (over all entries) to copy.

    Returns:
        The rescaled inputs, float64, same shape as ``a``.
    """
    array = _inputs(a, "match_second_moment")
    target = _inputs(reference, "match_second_moment")
    own = float(np.mean(array**2))
    if own == 0.0:
        raise ValueError("match_second_moment: a is all zeros, so no factor can rescale it.")
    return array * np.sqrt(float(np.mean(target**2)) / own)


@dataclass(frozen=True)
class InputConditioning:
    """Mean, mean square and condition number of one set of inputs.

    Example:

    >>> input_conditioning(np.array([[1.0], [-1.0]])).mean
    0.0

    Attributes:
        mean: The mean over all entries, E[a].
        mean_square: The mean square over all entries, E[a²].
        condition: The condition number of E[ã ãᵀ] (with the bias's 1).
    """

    mean: float
    mean_square: float
    condition: float


def input_conditioning(a: object) -> InputConditioning:
    """Measure what decides how fast a unit fed ``a`` trains under plain gradient descent.

    Example:

    >>> row = input_conditioning(np.array([[0.0], [2.0]]))
    >>> row.mean, row.mean_square
    (1.0, 2.0)

    Args:
        a: Inputs, shape (examples, inputs).

    Returns:
        An :class:`InputConditioning`.
    """
    array = _inputs(a, "input_conditioning")
    return InputConditioning(
        mean=float(array.mean()),
        mean_square=float(np.mean(array**2)),
        condition=condition_number(array),
    )


def conditioning_verdict(centred: float, uncentred: float) -> str:
    """Say how much worse the uncentred inputs' E[ã ãᵀ] is conditioned than the centred one's.

    The rule: a ratio of condition numbers above 2 is "worse conditioned"; otherwise
    centring "made little difference" to the conditioning.

    Example:

    >>> conditioning_verdict(2.0, 50.0)
    'the uncentred inputs give a condition number 25× that of the centred ones'

    Args:
        centred: The condition number for the centred inputs.
        uncentred: The condition number for the uncentred inputs.

    Returns:
        A clause without a final full stop.
    """
    for label, number in (("centred", centred), ("uncentred", uncentred)):
        if isinstance(number, bool) or not isinstance(number, (int, float, np.floating)):
            raise TypeError(f"conditioning_verdict: {label} must be a number, got {number!r}.")
        if not number >= 1.0:
            raise ValueError(
                f"conditioning_verdict: {label} must be a condition number (>= 1), "
                f"got {number!r}."
            )
    ratio = uncentred / centred
    if ratio > 2.0:
        return (
            f"the uncentred inputs give a condition number {ratio:,.0f}× that of the "
            "centred ones"
        )
    return (
        f"centring made little difference to the conditioning here (ratio {ratio:.1f})"
    )
