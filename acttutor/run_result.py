"""One training run's record: its per-epoch history, test scores, timings and settings.

A :class:`~acttutor.run_result.RunResult` is what :func:`acttutor.training.train_and_evaluate`
returns and what the results tables and run plots read. It can be built by
hand from four keywords, so a test or an exercise can make one without
training anything.

Example:

>>> r = RunResult(history={"loss": [0.9, 0.5], "val_accuracy": [0.7, 0.8]},
...               test_acc=0.79, test_loss=0.52, seconds=1.0)
>>> r.epochs, r.epochs_to_reach(0.75)
(2, 2)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["RunResult"]


@dataclass
class RunResult:
    """The outcome of one training run.

    Build it from the four required keywords; the rest have defaults.

    Example:

    >>> r = RunResult(history={"accuracy": [0.8, 0.9], "val_accuracy": [0.85, 0.88],
    ...                        "loss": [0.6, 0.3], "val_loss": [0.5, 0.4]},
    ...               test_acc=0.87, test_loss=0.41, seconds=2.5)
    >>> r.epochs, r.epochs_to_reach(0.86)
    (2, 2)

    Args:
        history: Per-epoch lists, at least ``accuracy``, ``val_accuracy``,
            ``loss`` and ``val_loss``.
        test_acc: Accuracy on the test split, a fraction in [0, 1].
        test_loss: Loss on the test split.
        seconds: Wall time of ``fit`` plus ``evaluate``, in seconds.
        activation: Name of the hidden layers' activation.
        seed: The seed of the run (initial weights and shuffling), if known.
        epoch_seconds: Wall time of each epoch (training plus validation).
        settings: How the run was trained (``epochs``, ``batch_size``,
            ``validation_split``, ``n_train``, ``data_source`` and the layer
            ``units``), so runs can be reused safely.
        model: The trained model (not shown in the repr, not compared).
    """

    history: dict[str, list[float]]
    test_acc: float
    test_loss: float
    seconds: float
    activation: str = ""
    seed: int | None = None
    epoch_seconds: list[float] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    model: Any = field(default=None, repr=False, compare=False)

    @property
    def epochs(self) -> int:
        """Number of epochs in the history."""
        return len(self.history.get("loss", ()))

    def seconds_per_epoch(self, *, skip_first: bool = True, statistic: str = "min") -> float:
        """Wall time of one epoch: the fastest epoch (default) or the median.

        The first epoch also builds TensorFlow's graph for the model, so by
        default it is left out (when there is more than one epoch). The
        fastest of the remaining epochs is the one least disturbed by other
        work on the machine, the same reasoning as :mod:`timeit`'s best-of-N.

        Args:
            skip_first: Leave out the first epoch.
            statistic: ``"min"`` or ``"median"`` of the epoch times.

        Returns:
            Seconds, or ``nan`` when no epoch times were recorded.
        """
        if statistic not in ("min", "median"):
            raise ValueError(f"statistic must be 'min' or 'median', got {statistic!r}.")
        times = list(self.epoch_seconds)
        if skip_first and len(times) > 1:
            times = times[1:]
        if not times:
            return math.nan
        return float(np.min(times) if statistic == "min" else np.median(times))

    def epochs_to_reach(self, threshold: float, metric: str = "val_accuracy") -> int | None:
        """The first epoch (counting from 1) at which ``metric`` reaches ``threshold``.

        Args:
            threshold: The level to reach (``>=``).
            metric: A key of :attr:`history`.

        Returns:
            The epoch number, or ``None`` if it was never reached.
        """
        values = self._metric(metric)
        for epoch, value in enumerate(values, start=1):
            if value >= threshold:
                return epoch
        return None

    def seconds_to_reach(self, threshold: float, metric: str = "val_accuracy") -> float | None:
        """Wall time from the start of training until ``metric`` first reaches ``threshold``.

        Args:
            threshold: The level to reach (``>=``).
            metric: A key of :attr:`history`.

        Returns:
            Seconds (the sum of the epoch times up to that epoch), or ``None``
            if it was never reached or no epoch times were recorded.
        """
        epoch = self.epochs_to_reach(threshold, metric)
        if epoch is None or len(self.epoch_seconds) < epoch:
            return None
        return float(sum(self.epoch_seconds[:epoch]))

    def _metric(self, metric: str) -> list[float]:
        if metric not in self.history:
            known = ", ".join(sorted(self.history)) or "none"
            raise KeyError(f"This run's history has no {metric!r}; it has {known}.")
        return list(self.history[metric])
