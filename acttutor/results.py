"""Summaries of training runs: tables, and conclusions computed from them.

Everything here reads the output of
:func:`acttutor.training.compare_activations` (``{name: [RunResult, ...]}``,
one result per seed; a single ``RunResult`` per name works too) and never
trains anything. The verdict functions turn the numbers into sentences, so a
chapter states only what its own runs support. The paired comparison of
activations over seeds, with bootstrap intervals, is in
:mod:`acttutor.comparison`; the spread rule below is the quick screen the
exercises use.

**Epoch time.** A run's time per epoch is its *fastest* epoch after the first
(:meth:`~acttutor.run_result.RunResult.seconds_per_epoch`). The first epoch also
builds TensorFlow's graph, so it is left out. On a shared machine other work only
ever adds time to an epoch, never removes it, so the fastest epoch is the one
least disturbed and the closest to the cost of the computation itself (the
reasoning of :mod:`timeit`'s best-of-N); a median still carries the noise of
whichever half of the epochs was disturbed.

**Spread.** The seed-to-seed spread of a quantity is its sample standard
deviation over the seeds (``ddof=1``). A difference between two activations
*exceeds the spread* when it is larger than the bigger of their two standard
deviations. With a handful of seeds this is a rough screen, not a
significance test, and the sentences say so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from acttutor.tables import Table
from acttutor.training import RunResult

__all__ = [
    "AccuracyVerdict",
    "ActivationStats",
    "accuracy_verdict",
    "activation_stats",
    "common_target",
    "results_table",
    "runs_by_name",
]

Results = Mapping[str, RunResult] | Mapping[str, Sequence[RunResult]]


def runs_by_name(results: Results) -> dict[str, list[RunResult]]:
    """Return every name's runs as a list; each summary, verdict and plot of runs reads this.

    Example:

    >>> from acttutor.training import RunResult
    >>> run = RunResult(history={"loss": [1.0]}, test_acc=0.9, test_loss=0.3, seconds=2.0)
    >>> {name: len(runs) for name, runs in runs_by_name({"a": run, "b": [run, run]}).items()}
    {'a': 1, 'b': 2}

    Args:
        results: ``{name: [RunResult, ...]}`` (as from ``compare_activations``) or
            ``{name: RunResult}``, with at least one name.

    Returns:
        A new ``{name: [RunResult, ...]}`` in the order of ``results``.
    """
    if not isinstance(results, Mapping):
        raise TypeError("Expected {name: RunResult} or {name: [RunResult, ...]} (the output of "
                        f"compare_activations), got {type(results).__name__}.")
    if not results:
        raise ValueError("Expected results for at least one activation: {name: [RunResult]}.")
    out = {}
    for name, runs in results.items():
        if hasattr(runs, "history"):
            runs = [runs]
        elif isinstance(runs, Sequence) and not isinstance(runs, str):
            runs = list(runs)
        if not isinstance(runs, list) or not all(hasattr(r, "history") for r in runs):
            raise TypeError(f"results[{name!r}] must be a RunResult or a list of them.")
        if not runs:
            raise ValueError(f"No runs for {name!r}: give at least one RunResult.")
        out[str(name)] = runs
    return out


@dataclass(frozen=True)
class ActivationStats:
    """Numbers that summarise one activation's runs (one run per seed).

    Example:

    >>> stats = ActivationStats("relu", 2, test_acc=(0.93, 0.95), seconds=(2.0, 2.2),
    ...                         epoch_seconds=(0.20, 0.22))
    >>> round(stats.acc_mean, 3), round(stats.acc_std, 4)
    (0.94, 0.0141)

    Args:
        name: The activation.
        runs: Number of runs (seeds).
        test_acc: Test accuracy of each run.
        seconds: Wall time (fit + evaluate) of each run.
        epoch_seconds: Each run's fastest epoch time, first epoch left out.
        epochs_to_target: Each run's first epoch at the target validation
            accuracy (``None``: not reached); empty without a target.
        seconds_to_target: Each run's training time up to that epoch.
        val_acc: Each run's validation accuracy at its last epoch (empty when the
            runs have no ``val_accuracy``).
    """

    name: str
    runs: int
    test_acc: tuple[float, ...]
    seconds: tuple[float, ...]
    epoch_seconds: tuple[float, ...]
    epochs_to_target: tuple[int | None, ...] = ()
    seconds_to_target: tuple[float | None, ...] = ()
    val_acc: tuple[float, ...] = ()

    @property
    def acc_mean(self) -> float:
        """Mean test accuracy over the runs."""
        return float(np.mean(self.test_acc))

    @property
    def acc_std(self) -> float:
        """Sample standard deviation of the test accuracy (``nan`` for one run)."""
        return _std(self.test_acc)

    @property
    def seconds_mean(self) -> float:
        """Mean wall time of a run."""
        return float(np.mean(self.seconds))

    @property
    def epoch_seconds_mean(self) -> float:
        """Mean over runs of each run's fastest epoch time (first epoch left out)."""
        return float(np.mean(self.epoch_seconds))

    @property
    def epoch_seconds_std(self) -> float:
        """Sample standard deviation over runs of the fastest epoch time."""
        return _std(self.epoch_seconds)

    @property
    def reached(self) -> int:
        """How many runs reached the target."""
        return sum(e is not None for e in self.epochs_to_target)

    @property
    def epochs_to_target_mean(self) -> float:
        """Mean epochs to the target over the runs that reached it (``nan`` if none)."""
        hits = [e for e in self.epochs_to_target if e is not None]
        return float(np.mean(hits)) if hits else math.nan

    @property
    def seconds_to_target_mean(self) -> float:
        """Mean seconds to the target over the runs that reached it (``nan`` if none)."""
        hits = [s for s in self.seconds_to_target if s is not None]
        return float(np.mean(hits)) if hits else math.nan


def activation_stats(
    results: Results, *, target: float | None = None, metric: str = "val_accuracy"
) -> dict[str, ActivationStats]:
    """Collect per-activation numbers from ``compare_activations`` output.

    Example:

    >>> from acttutor.training import RunResult
    >>> run = RunResult(history={"val_accuracy": [0.8, 0.9]}, test_acc=0.9,
    ...                 test_loss=0.3, seconds=2.0, epoch_seconds=[1.5, 0.5])
    >>> stats = activation_stats({"relu": [run, run]}, target=0.85)
    >>> stats["relu"].acc_mean, stats["relu"].epochs_to_target
    (0.9, (2, 2))

    Args:
        results: ``{name: [RunResult, ...]}`` or ``{name: RunResult}``.
        target: A level of ``metric`` to time each run to; ``None`` for none.
        metric: The history key the target refers to.

    Returns:
        ``{name: ActivationStats}`` in the order of ``results``.
    """
    stats = {}
    for name, runs in runs_by_name(results).items():
        stats[name] = ActivationStats(
            name=name,
            runs=len(runs),
            test_acc=tuple(float(r.test_acc) for r in runs),
            seconds=tuple(float(r.seconds) for r in runs),
            epoch_seconds=tuple(r.seconds_per_epoch() for r in runs),
            epochs_to_target=(
                tuple(r.epochs_to_reach(target, metric) for r in runs) if target is not None else ()
            ),
            seconds_to_target=(
                tuple(r.seconds_to_reach(target, metric) for r in runs)
                if target is not None
                else ()
            ),
            val_acc=(
                tuple(float(r.history["val_accuracy"][-1]) for r in runs)
                if all(r.history.get("val_accuracy") for r in runs)
                else ()
            ),
        )
    return stats


def results_table(
    results: Results,
    *,
    target: float | None = None,
    metric: str = "val_accuracy",
    by: str = "test",
) -> Table:
    """A table of accuracy (mean ± std over seeds) and timings, best first.

    Columns: activation, runs, the accuracy ranked ``by`` (mean ± std, worst and
    best run), seconds per run (fit + evaluate), seconds per epoch (each run's
    fastest epoch after the first, averaged over runs) and, with a ``target``,
    how many runs reached it by their last epoch. There is no "epochs to target"
    column: over a few epochs, whole epochs are too coarse to tell 1.7 from 2.0.

    Example:

    >>> from acttutor.training import RunResult
    >>> run = RunResult(history={"loss": [1.0], "val_accuracy": [0.8]}, test_acc=0.9,
    ...                 test_loss=0.3, seconds=2.0)
    >>> results_table({"relu": [run]}, by="validation").column("validation accuracy (mean ± std)")
    ['0.8000 ± n/a']

    Args:
        results: ``{name: [RunResult, ...]}`` or ``{name: RunResult}``.
        target: Optional level of ``metric`` for the "runs that reached it" column.
        metric: The history key the target refers to.
        by: ``"test"`` (test accuracy) or ``"validation"`` (last-epoch validation
            accuracy): the accuracy shown and ranked on.

    Returns:
        A :class:`acttutor.tables.Table` (shows itself as HTML in a notebook).
    """
    if by not in ("test", "validation"):
        raise ValueError(f"by must be 'test' or 'validation', got {by!r}.")
    stats = activation_stats(results, target=target, metric=metric)

    def scores(s: ActivationStats) -> tuple[float, ...]:
        if by == "test":
            return s.test_acc
        if not s.val_acc:
            raise KeyError(f"The runs of {s.name!r} have no 'val_accuracy' to rank by.")
        return s.val_acc

    ordered = sorted(stats.values(), key=lambda s: -float(np.mean(scores(s))))
    label = "test accuracy" if by == "test" else "validation accuracy"
    columns = ["activation", "runs", f"{label} (mean ± std)", "worst run", "best run",
               "s per run", "s per epoch"]
    if target is not None:
        columns.append(f"runs reaching {metric} ≥ {target:g}")
    rows = []
    for s in ordered:
        values = scores(s)
        row = [
            s.name,
            s.runs,
            f"{np.mean(values):.4f} ± {_fmt(_std(values), '.4f')}",
            f"{min(values):.4f}",
            f"{max(values):.4f}",
            f"{s.seconds_mean:.2f}",
            f"{s.epoch_seconds_mean:.3f}",
        ]
        if target is not None:
            row.append(f"{s.reached} of {s.runs}")
        rows.append(row)
    return Table(columns, rows)


def common_target(results: Results, *, metric: str = "val_accuracy", step: float = 0.01) -> float:
    """The weakest activation's mean final ``metric``, rounded down to a multiple of ``step``.

    For each activation, average the last epoch's ``metric`` over the seeds;
    take the smallest of these averages and round it down to a multiple of
    ``step``. This is *not* a level every run reaches: it is a mean, so some
    runs of the weakest activation (and possibly of others) may stay below it.
    Count them with :func:`acttutor.comparison.target_verdict`.

    Example:

    >>> from acttutor.training import RunResult
    >>> def run(v):
    ...     return RunResult(history={"val_accuracy": v}, test_acc=0, test_loss=0, seconds=0)
    >>> common_target({"a": [run([0.5, 0.93])], "b": [run([0.7, 0.887])]})
    0.88

    Args:
        results: ``{name: [RunResult, ...]}`` or ``{name: RunResult}``.
        metric: The history key.
        step: The rounding step.

    Returns:
        The target level.
    """
    finals = [
        float(np.mean([r.history[metric][-1] for r in runs]))
        for runs in runs_by_name(results).values()
    ]
    # round() first guards against 0.88 / 0.01 = 87.99999...
    return round(math.floor(round(min(finals) / step, 6)) * step, 10)


@dataclass(frozen=True)
class AccuracyVerdict:
    """Which activation has the best mean test accuracy, and whether the lead is real.

    Built by :func:`accuracy_verdict`.

    Example:

    >>> from acttutor.training import RunResult
    >>> def run(acc):
    ...     return RunResult(history={}, test_acc=acc, test_loss=0.0, seconds=1.0)
    >>> v = accuracy_verdict({"a": [run(0.90), run(0.95)], "b": [run(0.92), run(0.93)]})
    >>> v.best, v.exceeds_spread, v.tied_with_best
    ('a', False, ('a', 'b'))

    Args:
        best: The activation with the highest mean test accuracy.
        runner_up: The second highest (``""`` with a single activation).
        gap: ``best`` mean minus ``runner_up`` mean.
        spread: The larger of the two seed-to-seed standard deviations.
        exceeds_spread: ``gap > spread``.
        separated: Every run of ``best`` beat every run of ``runner_up``.
        tied_with_best: The best and every activation whose gap to it fails the same
            test (gap above the spread and every run beaten).
        spread_all: The largest seed-to-seed standard deviation of any activation.
        text: The conclusion in a sentence or two.
    """

    best: str
    runner_up: str
    gap: float
    spread: float
    exceeds_spread: bool
    separated: bool
    tied_with_best: tuple[str, ...]
    spread_all: float
    text: str


def accuracy_verdict(results: Results) -> AccuracyVerdict:
    """Decide, from the runs alone, which activation is best and whether the lead is real.

    The lead counts as real only when the gap between the best and the
    runner-up exceeds the seed-to-seed spread **and** every run of the best
    beat every run of the runner-up.

    Example:

    >>> from acttutor.training import RunResult
    >>> def run(acc):
    ...     return RunResult(history={}, test_acc=acc, test_loss=0.0, seconds=1.0)
    >>> v = accuracy_verdict({"a": [run(0.90), run(0.91)], "b": [run(0.80), run(0.81)]})
    >>> v.best, v.separated
    ('a', True)

    Args:
        results: ``{name: [RunResult, ...]}`` with at least one activation.

    Returns:
        An :class:`AccuracyVerdict`.
    """
    stats = activation_stats(results)
    ordered = sorted(stats.values(), key=lambda s: -s.acc_mean)
    best = ordered[0]
    seeds = min(s.runs for s in ordered)
    if len(ordered) == 1:
        text = (
            f"{best.name} is the only activation compared "
            f"(mean test accuracy {best.acc_mean:.4f})."
        )
        return AccuracyVerdict(best.name, "", math.nan, best.acc_std, False, False,
                               (best.name,), best.acc_std, text)
    second = ordered[1]
    gap = best.acc_mean - second.acc_mean
    spread = _nanmax([best.acc_std, second.acc_std])
    spread_all = _nanmax([s.acc_std for s in ordered])
    exceeds = bool(not math.isnan(spread) and gap > spread)
    separated = bool(min(best.test_acc) > max(second.test_acc))
    tied = tuple(s.name for s in ordered if s is best or not _lead_holds(best, s))
    lead = (
        f"{best.name} has the highest mean test accuracy ({best.acc_mean:.4f}), "
        f"{gap:.4f} ahead of {second.name} ({second.acc_mean:.4f})"
    )
    if seeds < 2:
        text = f"{lead}. With one seed per activation there is no spread to compare the gap with."
    elif exceeds and separated:
        text = (
            f"{lead}. The gap is larger than the seed-to-seed spread (standard deviation up to "
            f"{spread:.4f}) and every {best.name} run beat every {second.name} run, so over "
            f"these {seeds} seeds the lead holds (a rough screen, not a significance test)."
        )
    else:
        why = (
            f"the gap is smaller than the seed-to-seed spread (standard deviation up to "
            f"{spread:.4f})"
            if not exceeds
            else f"the runs overlap (the worst {best.name} run, {min(best.test_acc):.4f}, "
            f"did not beat the best {second.name} run, {max(second.test_acc):.4f})"
        )
        text = (
            f"{lead}, but {why}, so these {seeds} seeds do not separate the two. "
            f"Not separated from the best by these seeds: {', '.join(tied)}."
        )
    return AccuracyVerdict(best.name, second.name, gap, spread, exceeds, separated, tied,
                           spread_all, text)


def _lead_holds(best: ActivationStats, other: ActivationStats) -> bool:
    """Whether ``best`` beats ``other`` by more than the spread and in every run."""
    gap = best.acc_mean - other.acc_mean
    spread = _nanmax([best.acc_std, other.acc_std])
    return bool(
        not math.isnan(spread) and gap > spread and min(best.test_acc) > max(other.test_acc)
    )


# --------------------------------------------------------------------------- helpers


def _std(values: Sequence[float]) -> float:
    vals = [v for v in values if not math.isnan(v)]
    return float(np.std(vals, ddof=1)) if len(vals) > 1 else math.nan


def _nanmax(values: Sequence[float]) -> float:
    vals = [v for v in values if not math.isnan(v)]
    return max(vals) if vals else math.nan


def _fmt(value: float, spec: str) -> str:
    return "n/a" if math.isnan(value) else format(value, spec)
