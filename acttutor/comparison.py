r"""Activations compared seed by seed: paired differences, their intervals, and the verdicts.

Runs with the same seed start from the same weights and see the batches in the
same order (see :mod:`acttutor.sweep`), so the fair comparison of two
activations is **paired**: the difference seed by seed, then the mean of those
differences with a seeded percentile-bootstrap 95% interval
(:func:`acttutor.stats.paired_difference`). A difference counts as real only
when its interval excludes 0; the words of every verdict here follow that rule,
and never say "better", "worse", "faster" or "slower" otherwise.

What an interval that includes 0 means: these seeds cannot tell the two
settings apart. It does not show that they are equal; more seeds might
separate them, or might not.

Example:

>>> from acttutor.stats import paired_difference
>>> d = paired_difference([0.95, 0.96, 0.95, 0.97], [0.93, 0.94, 0.94, 0.95],
...                       name="relu", baseline="tanh")
>>> difference_verdict(d)[:64]
'relu is better than tanh: validation accuracy higher by 0.0175 o'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from acttutor.results import Results, runs_by_name
from acttutor.run_result import RunResult
from acttutor.stats import PairedDifference, paired_difference
from acttutor.tables import Table

__all__ = [
    "Comparison",
    "compare_to_best",
    "comparison_table",
    "difference_verdict",
    "final_values",
    "speed_verdict_words",
    "standing_verdict",
    "target_verdict",
]


def final_values(runs: Sequence[RunResult], metric: str = "val_accuracy") -> list[float]:
    """Each run's last-epoch ``metric`` (``"test_acc"``: the test accuracy), in run order.

    Example:

    >>> from acttutor.run_result import RunResult
    >>> r = RunResult(history={"val_accuracy": [0.8, 0.9]}, test_acc=0.88, test_loss=0.3,
    ...               seconds=1.0)
    >>> final_values([r]), final_values([r], "test_acc")
    ([0.9], [0.88])

    Args:
        runs: Runs, one per seed.
        metric: A history key, or ``"test_acc"``.

    Returns:
        One float per run.
    """
    if metric == "test_acc":
        return [float(r.test_acc) for r in runs]
    return [float(r._metric(metric)[-1]) for r in runs]


def difference_verdict(
    d: PairedDifference,
    *,
    quantity: str = "validation accuracy",
    higher: str = "better",
    lower: str = "worse",
    spec: str = ".4f",
    unit: str = "",
) -> str:
    """Say what one paired difference shows: a real difference only if its interval excludes 0.

    The rule: when the interval lies wholly above 0, ``d.name`` is ``higher``
    than ``d.baseline``; wholly below 0, it is ``lower``; otherwise the two
    cannot be told apart, and neither word appears.

    Example:

    >>> from acttutor.stats import PairedDifference
    >>> d = PairedDifference("gelu", "relu", (0.01, -0.02, 0.0), -0.0033, -0.02, 0.01, 0.95)
    >>> difference_verdict(d).split(": ")[0]
    'gelu and relu cannot be told apart'

    Args:
        d: The paired difference ``d.name - d.baseline`` (from
            :func:`acttutor.stats.paired_difference`).
        quantity: What was measured, for the sentence.
        higher: The word for a real positive difference (``"better"``, ``"slower"``).
        lower: The word for a real negative difference (``"worse"``, ``"faster"``).
        spec: The format of the numbers.
        unit: Appended to each number (``" s"``).

    Returns:
        A clause without a final full stop.
    """
    if not isinstance(d, PairedDifference):
        raise TypeError(
            f"difference_verdict needs a PairedDifference (from acttutor.stats."
            f"paired_difference), got {type(d).__name__}."
        )
    level = f"{d.confidence:.0%}"

    def num(value: float) -> str:
        return f"{format(value, spec)}{unit}"

    interval = f"{num(d.low)} to {num(d.high)}"
    if d.direction > 0:
        return (f"{d.name} is {higher} than {d.baseline}: {quantity} higher by "
                f"{num(d.mean)} on average ({level} interval {interval})")
    if d.direction < 0:
        return (f"{d.name} is {lower} than {d.baseline}: {quantity} lower by "
                f"{num(-d.mean)} on average ({level} interval {interval})")
    return (f"{d.name} and {d.baseline} cannot be told apart: the mean difference is "
            f"{num(d.mean)}, and its {level} interval, {interval}, includes 0")


@dataclass(frozen=True)
class Comparison:
    """Every activation against the best one, paired seed by seed.

    Built by :func:`compare_to_best`.

    Example:

    >>> from acttutor.run_result import RunResult
    >>> def runs(values):
    ...     return [RunResult(history={"val_accuracy": [v]}, test_acc=0.0, test_loss=0.0,
    ...                       seconds=1.0, seed=s) for s, v in enumerate(values)]
    >>> c = compare_to_best({"a": runs([0.95, 0.96, 0.97]), "b": runs([0.90, 0.92, 0.91])})
    >>> c.best, c.separated, c.tied
    ('a', ('b',), ('a',))

    Attributes:
        metric: What was compared (a history key read at the last epoch, or ``"test_acc"``).
        best: The activation with the highest mean.
        means: Each activation's mean over the seeds, highest first.
        seeds: The seeds the pairs share.
        differences: For each other activation, ``other - best`` paired by seed.
        separated: The activations whose interval excludes 0 (really below the best).
        tied: The best and the activations these seeds cannot tell apart from it.
        text: The verdict in sentences.
    """

    metric: str
    best: str
    means: dict[str, float]
    seeds: tuple[int | None, ...]
    differences: dict[str, PairedDifference]
    separated: tuple[str, ...]
    tied: tuple[str, ...]
    text: str


def compare_to_best(
    results: Results,
    *,
    metric: str = "val_accuracy",
    quantity: str = "validation accuracy",
    confidence: float = 0.95,
    resamples: int = 10_000,
    seed: int = 0,
) -> Comparison:
    r"""Rank activations by mean ``metric``, then compare each with the best, seed by seed.

    .. math:: d_s = m_{\text{other}, s} - m_{\text{best}, s}

    For each other activation, the mean of the :math:`d_s` and a seeded
    percentile-bootstrap interval (:func:`acttutor.stats.paired_difference`).
    Runs are paired by their ``seed``; every activation needs runs of the same
    seeds (at least :data:`acttutor.stats.MIN_PAIRS`).

    Example:

    >>> from acttutor.run_result import RunResult
    >>> def runs(values):
    ...     return [RunResult(history={"val_accuracy": [v]}, test_acc=0.0, test_loss=0.0,
    ...                       seconds=1.0, seed=s) for s, v in enumerate(values)]
    >>> c = compare_to_best({"a": runs([0.95, 0.90, 0.97]), "b": runs([0.94, 0.93, 0.93])})
    >>> c.best, c.tied
    ('a', ('a', 'b'))

    Args:
        results: ``{name: [RunResult for each seed]}``, at least two activations.
        metric: A history key read at the last epoch (``"val_accuracy"``), or ``"test_acc"``.
        quantity: How the sentences name ``metric``.
        confidence: The intervals' coverage.
        resamples: Bootstrap samples per interval.
        seed: The seed of the resampling.

    Returns:
        A :class:`Comparison`.
    """
    lists = runs_by_name(results)
    if len(lists) < 2:
        raise ValueError("compare_to_best needs at least two activations to compare.")
    by_seed = {name: _by_seed(name, runs, metric) for name, runs in lists.items()}
    seeds = tuple(by_seed[next(iter(by_seed))])
    for name, values in by_seed.items():
        if tuple(values) != seeds:
            raise ValueError(
                f"Every activation needs runs of the same seeds to pair them; {name!r} has "
                f"seeds {list(values)}, {next(iter(by_seed))!r} has {list(seeds)}."
            )
    means = {name: float(np.mean(list(v.values()))) for name, v in by_seed.items()}
    means = dict(sorted(means.items(), key=lambda item: -item[1]))
    best = next(iter(means))
    best_values = [by_seed[best][s] for s in seeds]
    differences = {
        name: paired_difference([by_seed[name][s] for s in seeds], best_values, name=name,
                                baseline=best, confidence=confidence, resamples=resamples,
                                seed=seed)
        for name in means if name != best
    }
    separated = tuple(n for n, d in differences.items() if d.excludes_zero)
    tied = (best, *(n for n in differences if n not in separated))
    lines = [
        f"By mean final {quantity} over {len(seeds)} seeds, {best} comes first "
        f"({means[best]:.4f})."
    ]
    lines += [difference_verdict(d, quantity=quantity) + "." for d in differences.values()]
    if len(tied) == 1:
        lines.append(f"Every other activation is really below {best} on these seeds.")
    else:
        others = ", ".join(tied[1:])
        lines.append(f"These {len(seeds)} seeds do not separate {best} from {others}.")
    return Comparison(metric, best, means, seeds, differences, separated, tied, " ".join(lines))


def standing_verdict(comparison: Comparison, name: str = "relu", label: str = "ReLU") -> str:
    """Say where one activation stands in a :class:`Comparison`, by the interval rule.

    Example:

    >>> from acttutor.run_result import RunResult
    >>> def runs(values):
    ...     return [RunResult(history={"val_accuracy": [v]}, test_acc=0.0, test_loss=0.0,
    ...                       seconds=1.0, seed=s) for s, v in enumerate(values)]
    >>> c = compare_to_best({"gelu": runs([0.95, 0.96, 0.97]), "relu": runs([0.90, 0.92, 0.91])})
    >>> standing_verdict(c)[:40]
    'ReLU ranks 2 of 2 and is really below ge'

    Args:
        comparison: From :func:`compare_to_best`.
        name: The activation the sentence is about.
        label: How the sentence names it.

    Returns:
        A clause without a final full stop.
    """
    if not isinstance(comparison, Comparison):
        raise TypeError(f"Expected a Comparison from compare_to_best, got {comparison!r}.")
    if name not in comparison.means:
        raise KeyError(f"No {name!r} in this comparison; it has {', '.join(comparison.means)}.")
    rank, n = list(comparison.means).index(name) + 1, len(comparison.means)
    if name == comparison.best:
        return f"{label} has the highest mean of the {n} activations"
    d = comparison.differences[name]
    interval = f"{d.low:+.4f} to {d.high:+.4f}"
    if d.excludes_zero:
        return (f"{label} ranks {rank} of {n} and is really below {comparison.best} "
                f"(paired difference {d.mean:+.4f}, interval {interval})")
    return (f"{label} ranks {rank} of {n}, but these seeds cannot tell it apart from "
            f"{comparison.best}, the best (paired difference {d.mean:+.4f}, interval "
            f"{interval}, which includes 0)")


def comparison_table(comparison: Comparison, *, spec: str = ".4f") -> Table:
    """A table of a :class:`Comparison`: each activation's mean, its paired difference and interval.

    Example:

    >>> from acttutor.run_result import RunResult
    >>> def runs(values):
    ...     return [RunResult(history={"val_accuracy": [v]}, test_acc=0.0, test_loss=0.0,
    ...                       seconds=1.0, seed=s) for s, v in enumerate(values)]
    >>> c = compare_to_best({"a": runs([0.95, 0.96, 0.97]), "b": runs([0.90, 0.92, 0.91])})
    >>> comparison_table(c).column("verdict")
    ['best', 'below the best']

    Args:
        comparison: From :func:`compare_to_best`.
        spec: The format of the numbers.

    Returns:
        A :class:`~acttutor.tables.Table`, best first.
    """
    if not isinstance(comparison, Comparison):
        raise TypeError(f"Expected a Comparison from compare_to_best, got {comparison!r}.")
    rows = []
    for name, mean in comparison.means.items():
        if name == comparison.best:
            rows.append([name, format(mean, spec), "", "", "best"])
            continue
        d = comparison.differences[name]
        verdict = "below the best" if d.direction < 0 else (
            "above the best" if d.direction > 0 else "not separated")
        rows.append([name, format(mean, spec), format(d.mean, "+" + spec),
                     f"{format(d.low, '+' + spec)} to {format(d.high, '+' + spec)}", verdict])
    level = f"{next(iter(comparison.differences.values())).confidence:.0%}"
    return Table(["activation", f"mean {comparison.metric}", "minus the best (mean)",
                  f"{level} interval", "verdict"], rows)


def target_verdict(results: Results, target: float, *, metric: str = "val_accuracy") -> str:
    """Say how many runs reached ``target`` by their last epoch, overall and per activation.

    Example:

    >>> from acttutor.run_result import RunResult
    >>> def run(v):
    ...     return RunResult(history={"val_accuracy": [0.5, v]}, test_acc=0.0, test_loss=0.0,
    ...                      seconds=1.0)
    >>> target_verdict({"a": [run(0.95), run(0.96)], "b": [run(0.90), run(0.94)]}, 0.93)
    '3 of 4 runs reached validation accuracy 0.93 at some epoch; short of it: b (1 of 2 runs)'

    Args:
        results: ``{name: [RunResult, ...]}``.
        target: The level of ``metric``.
        metric: The history key.

    Returns:
        A clause without a final full stop.
    """
    lists = runs_by_name(results)
    reached = {n: sum(r.epochs_to_reach(target, metric) is not None for r in runs)
               for n, runs in lists.items()}
    total = sum(len(runs) for runs in lists.values())
    what = metric.replace("val_", "validation ").replace("_", " ")
    text = f"{sum(reached.values())} of {total} runs reached {what} {target:g} at some epoch"
    short = [f"{n} ({reached[n]} of {len(lists[n])} runs)" for n in lists
             if reached[n] < len(lists[n])]
    return text + ("; short of it: " + ", ".join(short) if short else "; every run did")


def speed_verdict_words(
    results: Results,
    name: str = "relu",
    *,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[dict[str, PairedDifference], dict[str, PairedDifference], str]:
    """Test "``name`` trains faster" two ways, paired seed by seed against each other activation.

    *Time per epoch*: each run's fastest epoch after the first
    (:meth:`~acttutor.run_result.RunResult.seconds_per_epoch`), other minus
    ``name``. *Progress per step*: the validation accuracy after the first
    epoch, ``name`` minus other, so both read "positive: ``name`` ahead".

    Example:

    >>> from acttutor.run_result import RunResult
    >>> def run(s, v, t):
    ...     return RunResult(history={"val_accuracy": [v, v]}, test_acc=v, test_loss=0.0,
    ...                      seconds=1.0, seed=s, epoch_seconds=[1.0, t])
    >>> res = {"relu": [run(0, 0.9, 0.5), run(1, 0.9, 0.5), run(2, 0.9, 0.5)],
    ...        "tanh": [run(0, 0.9, 0.7), run(1, 0.9, 0.8), run(2, 0.9, 0.6)]}
    >>> times, early, text = speed_verdict_words(res)
    >>> times["tanh"].direction, early["tanh"].direction
    (1, 0)

    Args:
        results: ``{name: [RunResult for each seed]}`` including ``name``.
        name: The activation whose claim is tested.
        confidence: The intervals' coverage.
        seed: The seed of the resampling.

    Returns:
        ``(epoch times, first-epoch accuracy, text)``: the paired differences by
        other activation, and the findings in sentences.
    """
    lists = runs_by_name(results)
    if name not in lists:
        raise KeyError(f"No runs for {name!r}; have {', '.join(lists)}.")
    if len(lists) < 2:
        raise ValueError("speed_verdict_words needs at least one other activation.")
    mine_t = _by_seed(name, lists[name], "epoch_time")
    mine_a = _by_seed(name, lists[name], "first_val_accuracy")
    times, early = {}, {}
    for other, runs in lists.items():
        if other == name:
            continue
        t, a = _by_seed(other, runs, "epoch_time"), _by_seed(other, runs, "first_val_accuracy")
        if list(t) != list(mine_t):
            raise ValueError(f"{other!r} and {name!r} need runs of the same seeds to pair them.")
        times[other] = paired_difference([t[s] for s in mine_t], [mine_t[s] for s in mine_t],
                                         name=other, baseline=name, confidence=confidence,
                                         seed=seed)
        early[other] = paired_difference([mine_a[s] for s in mine_a], [a[s] for s in mine_a],
                                         name=name, baseline=other, confidence=confidence,
                                         seed=seed)
    def sorted_by(diffs: dict[str, PairedDifference], up: str, down: str) -> str:
        groups = (
            (up, [o for o, d in diffs.items() if d.direction > 0]),
            (down, [o for o, d in diffs.items() if d.direction < 0]),
            ("not separated from", [o for o, d in diffs.items() if d.direction == 0]),
        )
        return "; ".join(f"{words} {', '.join(names)}" for words, names in groups if names)

    n = len(mine_t)
    text = (
        f"Time per epoch, paired over {n} seeds: {name}'s epochs were "
        f"{sorted_by(times, 'really shorter than those of', 'really longer than those of')}. "
        f"Validation accuracy after the first epoch: {name} was "
        f"{sorted_by(early, 'really ahead of', 'really behind')}."
    )
    return times, early, text


# --------------------------------------------------------------------------- internals


def _by_seed(name: str, runs: Sequence[RunResult], what: str) -> dict[int | None, float]:
    """``{seed: value}`` for one activation's runs; seeds must be distinct."""
    seeds = [r.seed for r in runs]
    if None in seeds:
        seeds = list(range(len(runs)))  # hand-made runs without seeds: pair by position
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"{name!r} has two runs with the same seed; pair one run per seed.")
    values = []
    for r in runs:
        if what == "epoch_time":
            values.append(r.seconds_per_epoch())
        elif what == "first_val_accuracy":
            values.append(float(r._metric("val_accuracy")[0]))
        else:
            values.append(final_values([r], what)[0])
    if any(isinstance(v, float) and math.isnan(v) for v in values):
        raise ValueError(f"A run of {name!r} has no {what.replace('_', ' ')} to compare.")
    return dict(sorted(zip(seeds, values, strict=True), key=lambda kv: kv[0]))
