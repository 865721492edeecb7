r"""Calibration of a classifier's probabilities: reliability bins, ECE and temperature scaling.

A classifier is *calibrated* when, among the examples it gives confidence
about 0.8, about 80% are right. :func:`acttutor.calibration.reliability_bins` groups examples by
their top probability and compares each group's mean confidence with its
accuracy; :func:`acttutor.calibration.expected_calibration_error` is the count-weighted mean gap
(Guo et al. 2017). :func:`acttutor.calibration.fit_temperature` finds the temperature :math:`T`
that minimises the negative log-likelihood of ``softmax(z / T)`` on held-out
logits, and :func:`acttutor.calibration.calibration_verdict` says in words what scaling changed.
Everything here is NumPy, in float64.

Example:

>>> import numpy as np
>>> logits = np.array([[4.0, 0.0], [3.0, 0.0], [0.0, 2.0], [1.0, 0.0]])
>>> labels = np.array([0, 1, 1, 0])
>>> t = fit_temperature(logits, labels)
>>> bool(t > 1.0)  # one confident mistake: the fitted temperature softens
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "ReliabilityBins",
    "calibration_verdict",
    "expected_calibration_error",
    "fit_temperature",
    "reliability_bins",
    "softmax_probabilities",
]


def _logits_labels(logits: object, labels: object, caller: str) -> tuple[np.ndarray, np.ndarray]:
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels)
    if z.ndim != 2 or z.shape[0] == 0 or z.shape[1] < 2:
        raise ValueError(f"{caller}: pass scores of shape (examples, classes) with at least "
                         f"two classes; got shape {z.shape}.")
    if y.ndim == 2 and y.shape == z.shape:
        y = y.argmax(axis=1)  # one-hot labels
    if y.shape != (z.shape[0],) or y.dtype.kind not in "iu":
        raise ValueError(f"{caller}: pass integer class ids of shape ({z.shape[0]},) (or "
                         f"one-hot rows of shape {z.shape}); got shape {y.shape} and dtype "
                         f"{y.dtype}.")
    if not np.isfinite(z).all():
        raise ValueError(f"{caller}: the scores contain NaN or inf; pass finite values.")
    if y.min() < 0 or y.max() >= z.shape[1]:
        raise ValueError(f"{caller}: class ids must lie in [0, {z.shape[1]}); got "
                         f"{int(y.min())} to {int(y.max())}.")
    return z, y.astype(np.int64)


def softmax_probabilities(logits: object, temperature: float = 1.0) -> np.ndarray:
    r"""Softmax of ``logits / temperature`` over the last axis, without overflow.

    :math:`p_j = e^{z_j / T} / \sum_k e^{z_k / T}`, computed with the row maximum
    subtracted.

    Example:

    >>> softmax_probabilities(np.array([[2.0, 0.0]]), temperature=2.0).round(4)
    array([[0.7311, 0.2689]])

    Args:
        logits: Scores, shape ``(examples, classes)``.
        temperature: :math:`T > 0`; above 1 softens, below 1 sharpens.

    Returns:
        The probabilities, float64, same shape.
    """
    if not (isinstance(temperature, (int, float, np.floating)) and temperature > 0):
        raise ValueError(f"softmax_probabilities: temperature must be a positive number; "
                         f"got {temperature!r}.")
    z = np.asarray(logits, dtype=np.float64) / float(temperature)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class ReliabilityBins:
    """Examples grouped by confidence: each bin's edges, count, mean confidence and accuracy.

    Empty bins have count 0 and NaN confidence and accuracy.

    Example:

    >>> bins = reliability_bins(np.array([[0.9, 0.1], [0.6, 0.4]]), np.array([0, 1]), n_bins=2)
    >>> bins.counts.tolist(), bins.accuracy.tolist()
    ([0, 2], [nan, 0.5])

    Args:
        edges: The ``n_bins + 1`` bin edges on [0, 1].
        counts: Examples per bin.
        confidence: Mean top probability per bin.
        accuracy: Share of correct top predictions per bin.
    """

    edges: np.ndarray
    counts: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray

    @property
    def gaps(self) -> np.ndarray:
        """Confidence minus accuracy per bin; a positive gap means overconfident."""
        return self.confidence - self.accuracy


def reliability_bins(probabilities: object, labels: object, n_bins: int = 15) -> ReliabilityBins:
    r"""Group examples into ``n_bins`` equal-width bins of top probability.

    Bin :math:`b` holds the examples whose confidence :math:`\max_j p_j` lies in
    :math:`(b/B, (b+1)/B]`; its accuracy is the share whose top class is the label.

    Example:

    >>> p = np.array([[0.95, 0.05], [0.9, 0.1], [0.3, 0.7]])
    >>> bins = reliability_bins(p, np.array([0, 1, 1]), n_bins=5)
    >>> bins.counts.tolist()
    [0, 0, 0, 1, 2]

    Args:
        probabilities: Probabilities, shape ``(examples, classes)``, rows summing to 1.
        labels: Integer class ids, shape ``(examples,)``, or one-hot rows.
        n_bins: The number of bins.

    Returns:
        A :class:`acttutor.calibration.ReliabilityBins`.
    """
    p, y = _logits_labels(probabilities, labels, "reliability_bins")
    if (p < 0).any() or not np.allclose(p.sum(axis=1), 1.0, atol=1e-3):
        raise ValueError("reliability_bins: pass probabilities (non-negative rows that sum to "
                         "1), for example softmax_probabilities(logits); not logits.")
    if not (isinstance(n_bins, int) and n_bins >= 1):
        raise ValueError(f"reliability_bins: n_bins must be a positive integer; got {n_bins!r}.")
    confidence = p.max(axis=1)
    correct = (p.argmax(axis=1) == y).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    index = np.clip(np.ceil(confidence * n_bins).astype(int) - 1, 0, n_bins - 1)
    counts = np.bincount(index, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        conf = np.bincount(index, weights=confidence, minlength=n_bins) / counts
        acc = np.bincount(index, weights=correct, minlength=n_bins) / counts
    return ReliabilityBins(edges, counts, conf, acc)


def expected_calibration_error(probabilities: object, labels: object, n_bins: int = 15) -> float:
    r"""The expected calibration error: the count-weighted mean gap between confidence and accuracy.

    :math:`\mathrm{ECE} = \sum_b \frac{n_b}{n} |\mathrm{acc}_b - \mathrm{conf}_b|`,
    over the bins of :func:`acttutor.calibration.reliability_bins`.

    Example:

    >>> p = np.array([[0.9, 0.1], [0.9, 0.1]])
    >>> round(expected_calibration_error(p, np.array([0, 1]), n_bins=10), 6)
    0.4

    Args:
        probabilities: Probabilities, shape ``(examples, classes)``.
        labels: Integer class ids, or one-hot rows.
        n_bins: The number of equal-width bins.

    Returns:
        The ECE, in [0, 1].
    """
    bins = reliability_bins(probabilities, labels, n_bins)
    full = bins.counts > 0
    weights = bins.counts[full] / bins.counts.sum()
    return float(np.sum(weights * np.abs(bins.gaps[full])))


def _nll(z: np.ndarray, y: np.ndarray, temperature: float) -> float:
    s = z / temperature
    m = s.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(s - m).sum(axis=1))
    return float(np.mean(lse - s[np.arange(len(y)), y]))


def fit_temperature(logits: object, labels: object, *, low: float = 0.05,
                    high: float = 20.0) -> float:
    r"""The temperature that minimises the mean negative log-likelihood of ``softmax(z / T)``.

    :math:`T^* = \arg\min_T -\frac{1}{n}\sum_i \log \operatorname{softmax}(z_i / T)_{y_i}`,
    found by golden-section search over :math:`\log T` in ``[low, high]`` (the
    loss is smooth in :math:`T`; fit it on validation logits, never the test set).

    Example:

    >>> z = np.array([[3.0, 0.0], [0.0, 3.0], [3.0, 0.0]])
    >>> bool(fit_temperature(z, np.array([0, 1, 0])) < 1.0)  # all right: sharpen
    True

    Args:
        logits: Logits (not probabilities), shape ``(examples, classes)``.
        labels: Integer class ids, or one-hot rows.
        low: The smallest temperature searched.
        high: The largest temperature searched.

    Returns:
        The fitted temperature.
    """
    z, y = _logits_labels(logits, labels, "fit_temperature")
    if not 0 < low < high:
        raise ValueError(f"fit_temperature: need 0 < low < high; got low={low}, high={high}.")
    a, b = math.log(low), math.log(high)
    ratio = (math.sqrt(5.0) - 1.0) / 2.0
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = _nll(z, y, math.exp(c)), _nll(z, y, math.exp(d))
    for _ in range(80):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = _nll(z, y, math.exp(c))
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = _nll(z, y, math.exp(d))
    return math.exp((a + b) / 2.0)


def calibration_verdict(before: float, after: float, margin: float = 0.002) -> str:
    """Say whether temperature scaling lowered the expected calibration error.

    The rule: lower when ``after < before - margin``, higher when
    ``after > before + margin``, otherwise about the same.

    Example:

    >>> calibration_verdict(0.031, 0.009)
    'temperature scaling lowered the test ECE from 3.1% to 0.9%'

    Args:
        before: ECE with the raw logits.
        after: ECE with the fitted temperature.
        margin: The smallest change that counts.

    Returns:
        The verdict, a phrase without a final full stop.
    """
    for name, value in (("before", before), ("after", after)):
        if not (isinstance(value, (int, float, np.floating)) and 0 <= value <= 1):
            raise ValueError(f"calibration_verdict: {name} must be an ECE in [0, 1]; "
                             f"got {value!r}.")
    if after < before - margin:
        word = "lowered"
    elif after > before + margin:
        word = "raised"
    else:
        return (f"temperature scaling left the test ECE about the same ({before:.1%} and "
                f"{after:.1%})")
    return f"temperature scaling {word} the test ECE from {before:.1%} to {after:.1%}"
