r"""Paired comparisons: the mean of per-seed differences and its bootstrap confidence interval.

Two settings trained with the same seed share their initial weights and the order of
their batches, so their results are *paired*: the difference seed by seed removes the
luck of the draw that both runs share. :func:`paired_difference` takes two lists of
results in seed order and returns a :class:`PairedDifference` with the mean difference
and a percentile-bootstrap interval for it; the difference counts as real only when the
interval excludes 0.

Example:

>>> d = paired_difference([0.91, 0.92, 0.90, 0.93], [0.89, 0.90, 0.89, 0.90],
...                       name="relu", baseline="tanh")
>>> round(d.mean, 4), d.excludes_zero
(0.02, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["MIN_PAIRS", "PairedDifference", "bootstrap_mean_interval", "paired_difference"]

#: The fewest pairs (seeds) a paired comparison accepts. With two, a bootstrap of the
#: mean can only give back the two values and their average, which is no interval at all.
MIN_PAIRS = 3


def _finite_vector(values: Sequence[float], what: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numbers; got {values!r}.") from None
    if array.ndim != 1:
        raise ValueError(f"{what} must be one list of numbers; got shape {array.shape}.")
    if not np.isfinite(array).all():
        raise ValueError(f"{what} must be finite numbers; got {values!r}.")
    return array


def bootstrap_mean_interval(
    values: Sequence[float],
    *,
    confidence: float = 0.95,
    resamples: int = 10_000,
    seed: int = 0,
) -> tuple[float, float]:
    r"""A percentile-bootstrap confidence interval for the mean of ``values``.

    Draw ``resamples`` samples of ``len(values)`` values with replacement, take each
    sample's mean, and return the :math:`(1 - c)/2` and :math:`(1 + c)/2` quantiles of
    those means, where :math:`c` is ``confidence``. With few values the interval is too
    narrow rather than too wide (the bootstrap cannot see spread the sample lacks), so
    treat an interval from 3 to 5 seeds as a lower bound on the uncertainty.

    Example:

    >>> low, high = bootstrap_mean_interval([1.0, 2.0, 3.0, 4.0])
    >>> 1.0 <= low < 2.5 < high <= 4.0
    True

    Args:
        values: At least :data:`MIN_PAIRS` finite numbers.
        confidence: The coverage, strictly between 0 and 1.
        resamples: How many bootstrap samples to draw (at least 100).
        seed: The seed of the resampling, so the same values give the same interval.

    Returns:
        ``(low, high)``.
    """
    array = _finite_vector(values, "bootstrap_mean_interval(values)")
    if array.size < MIN_PAIRS:
        raise ValueError(
            f"bootstrap_mean_interval needs at least {MIN_PAIRS} values; got {array.size}. "
            "Train with more seeds."
        )
    if not (isinstance(confidence, float | int) and 0.0 < confidence < 1.0):
        raise ValueError(f"confidence must be between 0 and 1, such as 0.95; got {confidence!r}.")
    if not isinstance(resamples, int) or isinstance(resamples, bool) or resamples < 100:
        raise ValueError(f"resamples must be an int of at least 100; got {resamples!r}.")
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, array.size, size=(resamples, array.size))
    means = array[picks].mean(axis=1)
    tail = (1.0 - float(confidence)) / 2.0
    low, high = np.quantile(means, [tail, 1.0 - tail])
    return float(low), float(high)


@dataclass(frozen=True)
class PairedDifference:
    r"""The paired difference ``name - baseline`` over seeds, with its confidence interval.

    Example:

    >>> d = PairedDifference("relu", "tanh", (0.01, 0.02, 0.03), 0.02, 0.01, 0.03, 0.95)
    >>> d.excludes_zero
    True

    Attributes:
        name: The setting compared.
        baseline: The setting it is compared with.
        differences: ``name``'s result minus ``baseline``'s, one per seed, in seed order.
        mean: The mean of ``differences``.
        low: The lower end of the confidence interval for the mean.
        high: The upper end.
        confidence: The interval's coverage, such as 0.95.
    """

    name: str
    baseline: str
    differences: tuple[float, ...]
    mean: float
    low: float
    high: float
    confidence: float

    @property
    def excludes_zero(self) -> bool:
        """Whether the interval lies wholly above or wholly below 0, so the difference is real."""
        return self.low > 0.0 or self.high < 0.0

    @property
    def direction(self) -> int:
        """The sign of a real difference, or 0 when the interval includes 0.

        It is +1 when ``name`` is really higher and -1 when it is really lower.
        """
        if not self.excludes_zero:
            return 0
        return 1 if self.low > 0.0 else -1


def paired_difference(
    results: Sequence[float],
    baseline_results: Sequence[float],
    *,
    name: str = "a",
    baseline: str = "b",
    confidence: float = 0.95,
    resamples: int = 10_000,
    seed: int = 0,
) -> PairedDifference:
    r"""Compare two settings run with the same seeds: mean difference and bootstrap interval.

    .. math:: d_s = r_s - b_s, \qquad \bar d = \frac{1}{n} \sum_s d_s

    with the interval from :func:`bootstrap_mean_interval` over the :math:`d_s`.

    Example:

    >>> d = paired_difference([0.90, 0.91, 0.89], [0.90, 0.90, 0.90])
    >>> d.excludes_zero, d.direction
    (False, 0)

    Args:
        results: One result per seed for the setting compared, in seed order.
        baseline_results: The baseline's results for the same seeds, in the same order.
        name: A name for the setting compared.
        baseline: A name for the baseline.
        confidence: The interval's coverage.
        resamples: How many bootstrap samples to draw.
        seed: The seed of the resampling.

    Returns:
        A :class:`PairedDifference`.
    """
    a = _finite_vector(results, f"the results of {name!r}")
    b = _finite_vector(baseline_results, f"the results of {baseline!r}")
    if a.size != b.size:
        raise ValueError(
            f"paired_difference needs one result per seed for both settings; {name!r} has "
            f"{a.size} and {baseline!r} has {b.size}. Compare runs of the same seeds."
        )
    diffs = a - b
    low, high = bootstrap_mean_interval(
        diffs, confidence=confidence, resamples=resamples, seed=seed
    )
    return PairedDifference(name, baseline, tuple(float(d) for d in diffs), float(diffs.mean()),
                            low, high, float(confidence))
