"""Summaries of training runs: tables, and conclusions computed from them.

Everything here reads the output of
:func:`acttutor.training.compare_activations` (``{name: [RunResult, ...]}``,
one result per seed; a single ``RunResult`` per name works too) and never
trains anything. The verdict functions turn the numbers into sentences, so a
chapter states only what its own runs support.

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
    "SpeedVerdict",
    "accuracy_verdict",
    "activation_stats",
    "common_target",
    "results_table",
    "runs_by_name",
    "speed_verdict",
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
        epoch_seconds: Each run's median epoch time, first epoch left out.
        epochs_to_target: Each run's first epoch at the target validation
            accuracy (``None``: not reached); empty without a target.
        seconds_to_target: Each run's training time up to that epoch.
    """

    name: str
    runs: int
    test_acc: tuple[float, ...]
    seconds: tuple[float, ...]
    epoch_seconds: tuple[float, ...]
    epochs_to_target: tuple[int | None, ...] = ()
    seconds_to_target: tuple[float | None, ...] = ()

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
        """Mean over runs of the median epoch time (first epoch left out)."""
        return float(np.mean(self.epoch_seconds))

    @property
    def epoch_seconds_std(self) -> float:
        """Sample standard deviation over runs of the median epoch time."""
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
        )
    return stats


def results_table(
    results: Results, *, target: float | None = None, metric: str = "val_accuracy"
) -> Table:
    """A table of test accuracy (mean ± std over seeds) and timings, best first.

    Columns: activation, runs, test accuracy mean ± std, worst and best run,
    seconds per run (fit + evaluate), seconds per epoch (median, first epoch
    left out) and, with a ``target``, the epochs and seconds to reach it.

    Example:

    >>> from acttutor.training import RunResult
    >>> run = RunResult(history={"loss": [1.0]}, test_acc=0.9, test_loss=0.3, seconds=2.0)
    >>> results_table({"relu": [run]}).column("activation")
    ['relu']

    Args:
        results: ``{name: [RunResult, ...]}`` or ``{name: RunResult}``.
        target: Optional level of ``metric`` for the convergence columns.
        metric: The history key the target refers to.

    Returns:
        A :class:`acttutor.tables.Table` (shows itself as HTML in a notebook).
    """
    stats = activation_stats(results, target=target, metric=metric)
    ordered = sorted(stats.values(), key=lambda s: -s.acc_mean)
    columns = [
        "activation",
        "runs",
        "test accuracy (mean ± std)",
        "worst run",
        "best run",
        "s per run",
        "s per epoch",
    ]
    if target is not None:
        columns += [f"epochs to {metric} ≥ {target:g}", f"s to {metric} ≥ {target:g}"]
    rows = []
    for s in ordered:
        row = [
            s.name,
            s.runs,
            f"{s.acc_mean:.4f} ± {_fmt(s.acc_std, '.4f')}",
            f"{min(s.test_acc):.4f}",
            f"{max(s.test_acc):.4f}",
            f"{s.seconds_mean:.2f}",
            f"{s.epoch_seconds_mean:.3f}",
        ]
        if target is not None:
            row += [_reach_text(s.epochs_to_target_mean, s, ".1f"),
                    _reach_text(s.seconds_to_target_mean, s, ".2f")]
        rows.append(row)
    return Table(columns, rows)


def common_target(results: Results, *, metric: str = "val_accuracy", step: float = 0.01) -> float:
    """A level of ``metric`` every activation gets to: the weakest one's final mean, rounded down.

    For each activation, average the last epoch's ``metric`` over the seeds;
    take the smallest of these averages and round it down to a multiple of
    ``step``. Timing each run to this level compares how *fast* activations
    get somewhere they all get, instead of whether a slow one gets there at all.

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


@dataclass(frozen=True)
class SpeedVerdict:
    """How one activation's training speed compares with the others'.

    Built by :func:`speed_verdict`.

    Example:

    >>> from acttutor.training import RunResult
    >>> def run(v, t):
    ...     return RunResult(history={"val_accuracy": v}, test_acc=v[-1], test_loss=0,
    ...                      seconds=sum(t), epoch_seconds=t)
    >>> res = {"relu": [run([0.9, 0.95], [1, 0.5]), run([0.9, 0.96], [1, 0.6])],
    ...        "gelu": [run([0.9, 0.95], [1, 0.9]), run([0.9, 0.96], [1, 1.0])]}
    >>> v = speed_verdict(res, target=0.9)
    >>> v.faster_per_epoch, v.fewer_epochs
    (('gelu',), ())

    Args:
        name: The activation examined (e.g. ``"relu"``).
        target: The validation accuracy used for convergence.
        faster_per_epoch: Activations it beat on time per epoch by more than the spread.
        slower_per_epoch: Activations that beat it on time per epoch by more than the spread.
        fewer_epochs: Activations that needed more epochs to reach ``target``
            (or did not reach it in every run).
        more_epochs: Activations that needed fewer epochs to reach ``target``.
        fastest_per_epoch: Whether it beat every other activation per epoch.
        fewest_epochs: Whether it needed fewer epochs than every other activation.
        text: The findings in words.
    """

    name: str
    target: float
    faster_per_epoch: tuple[str, ...]
    slower_per_epoch: tuple[str, ...]
    fewer_epochs: tuple[str, ...]
    more_epochs: tuple[str, ...]
    fastest_per_epoch: bool
    fewest_epochs: bool
    text: str


def speed_verdict(
    results: Results, name: str = "relu", *, target: float, metric: str = "val_accuracy"
) -> SpeedVerdict:
    """Test "``name`` trains faster" two ways: time per epoch, and epochs to reach ``target``.

    *Time per epoch*: each run's median epoch time (first epoch, which also
    builds the graph, left out), averaged over seeds; a difference counts only
    when it exceeds the larger seed-to-seed standard deviation of the two.
    *Convergence*: the mean number of epochs to first reach ``target``, under
    the same spread rule; an activation with more runs that never reached it
    counts as slower than one with fewer.

    Example:

    >>> from acttutor.training import RunResult
    >>> def run(v, t):
    ...     return RunResult(history={"val_accuracy": v}, test_acc=v[-1], test_loss=0,
    ...                      seconds=sum(t), epoch_seconds=t)
    >>> res = {"relu": [run([0.9, 0.95], [1, 0.5]), run([0.9, 0.96], [1, 0.5])],
    ...        "tanh": [run([0.8, 0.92], [1, 0.5]), run([0.8, 0.93], [1, 0.5])]}
    >>> speed_verdict(res, target=0.9).fewer_epochs
    ('tanh',)

    Args:
        results: ``{name: [RunResult, ...]}`` including ``name``.
        name: The activation whose claim to speed is tested.
        target: The level of ``metric`` for convergence (see :func:`common_target`).
        metric: The history key the target refers to.

    Returns:
        A :class:`SpeedVerdict`.
    """
    stats = activation_stats(results, target=target, metric=metric)
    if name not in stats:
        raise KeyError(f"No results for {name!r}; have {', '.join(stats)}.")
    me = stats[name]
    others = [s for key, s in stats.items() if key != name]
    if not others:
        raise ValueError("speed_verdict needs at least one other activation to compare with.")
    faster, slower, same = [], [], []
    for s in others:
        diff = s.epoch_seconds_mean - me.epoch_seconds_mean
        noise = _nanmax([s.epoch_seconds_std, me.epoch_seconds_std])
        if not math.isnan(noise) and abs(diff) > noise:
            (faster if diff > 0 else slower).append(s.name)
        else:
            same.append(s.name)
    fewer, more, level = [], [], []
    for s in others:
        order = _compare_epochs(me, s)
        (fewer if order < 0 else more if order > 0 else level).append(s.name)

    def listing(items: list[str]) -> str:
        return ", ".join(items) if items else "none"

    per_epoch = (
        f"Time per epoch ({me.epoch_seconds_mean:.3f} s for {name}): faster than "
        f"{listing(faster)}; slower than {listing(slower)}; no difference beyond the "
        f"seed-to-seed spread from {listing(same)}."
    )
    if me.reached:
        reach = (
            f"{me.epochs_to_target_mean:.1f} epochs on average"
            + (f" ({me.reached} of {me.runs} runs got there)" if me.reached < me.runs else "")
        )
    else:
        reach = "never reached it"
    convergence = (
        f"To reach {metric} ≥ {target:g}, {name} needed {reach}: fewer epochs than "
        f"{listing(fewer)}; more than {listing(more)}; as many as {listing(level)}."
    )
    fastest = len(faster) == len(others)
    fewest = len(fewer) == len(others)
    if fastest and fewest:
        overall = f"Both readings support the claim that {name} trains faster."
    elif fewest:
        overall = (
            f"The claim holds for convergence ({name} needed the fewest epochs) but not for "
            "the time an epoch takes."
        )
    elif fastest:
        overall = (
            f"The claim holds for time per epoch but not for convergence: {name} did not need "
            "the fewest epochs."
        )
    else:
        overall = (
            f"Neither reading shows {name} ahead of every other activation; it was ahead of "
            "those listed above, no more."
        )
    return SpeedVerdict(name, target, tuple(faster), tuple(slower), tuple(fewer), tuple(more),
                        fastest, fewest, f"{per_epoch} {convergence} {overall}")


# --------------------------------------------------------------------------- helpers


def _std(values: Sequence[float]) -> float:
    vals = [v for v in values if not math.isnan(v)]
    return float(np.std(vals, ddof=1)) if len(vals) > 1 else math.nan


def _nanmax(values: Sequence[float]) -> float:
    vals = [v for v in values if not math.isnan(v)]
    return max(vals) if vals else math.nan


def _fmt(value: float, spec: str) -> str:
    return "n/a" if math.isnan(value) else format(value, spec)


def _reach_text(value: float, s: ActivationStats, spec: str) -> str:
    if not s.reached:
        return "not reached"
    text = format(value, spec)
    return text if s.reached == s.runs else f"{text} ({s.reached}/{s.runs} runs)"


def _compare_epochs(a: ActivationStats, b: ActivationStats) -> int:
    """-1 if ``a`` got to the target sooner than ``b``, 1 if later, 0 if no clear difference.

    Fewer runs that missed the target wins; among equals, a difference in mean
    epochs counts only when it exceeds the larger seed-to-seed standard deviation.
    """
    missed_a, missed_b = a.runs - a.reached, b.runs - b.reached
    if missed_a != missed_b:
        return -1 if missed_a < missed_b else 1
    if not a.reached:  # neither reached it in any run
        return 0
    hits_a = [e for e in a.epochs_to_target if e is not None]
    hits_b = [e for e in b.epochs_to_target if e is not None]
    diff = float(np.mean(hits_a)) - float(np.mean(hits_b))
    noise = _nanmax([_std(hits_a), _std(hits_b)])
    noise = 0.0 if math.isnan(noise) else noise
    if abs(diff) > noise:
        return -1 if diff < 0 else 1
    return 0
