"""The words of the verdicts the chapters state about their own measurements.

A chapter measures something, then says in a sentence what the measurement shows. The
sentence depends on the numbers of that run, so the chapter does not assemble it in its
own code: it calls one of these functions, prints or glues what comes back, and the
prose quotes it. Each function decides with the rule its docstring names, and its
wording is the one place to change what the chapter says. (The training-run verdicts
live in :mod:`acttutor.results`, the cost chapter's in :mod:`acttutor.cost.verdicts`.)

Example:

>>> fastest_verdict({"ReLU": 1.0, "sigmoid": 2.5, "tanh": 1.5}, "ReLU")
'ReLU was the fastest of the three: sigmoid took 2.5× and tanh 1.5× as long'
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from acttutor.results import Results

__all__ = [
    "centring_verdict",
    "change_verdict",
    "convergence_verdict",
    "fastest_verdict",
    "he_init_verdict",
    "leaky_rate_verdict",
    "rank_verdict",
    "same_outputs_verdict",
    "sparsemax_verdict",
]

_COUNTS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def _number(value: object, what: str, caller: str) -> float:
    """``value`` as a finite float, or a clear error naming the caller and the argument."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, (bool, str)):
        raise TypeError(f"{caller}: {what} must be a number, got {value!r}.")
    if not math.isfinite(number):
        raise ValueError(f"{caller}: {what} must be a finite number, got {number!r}.")
    return number


def _listing(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def fastest_verdict(ratios: Mapping[str, float], baseline: str) -> str:
    """Say whether ``baseline`` was faster than every other function that was timed.

    The rule: ``baseline`` is the fastest when every other function's time ratio to
    it (``time(other) / time(baseline)``) is above 1.

    Example:

    >>> fastest_verdict({"ReLU": 1.0, "sigmoid": 0.9, "tanh": 1.4}, "ReLU")
    'ReLU was not faster than both of the others on this run'

    Args:
        ratios: Each function's median time divided by the baseline's (as the ReLU
            chapter computes from :func:`acttutor.timing.time_ops`).
        baseline: The key of the function the claim is about.

    Returns:
        A clause without a final full stop, for example "ReLU was the fastest of the
        three: sigmoid took 2.1× and tanh 1.8× as long".
    """
    if not isinstance(ratios, Mapping) or baseline not in ratios:
        raise ValueError(
            f"fastest_verdict: ratios must be a dict of time ratios that includes the "
            f"baseline {baseline!r}, got {ratios!r}."
        )
    others = {
        name: _number(r, f"the ratio of {name!r}", "fastest_verdict")
        for name, r in ratios.items()
        if name != baseline
    }
    if not others:
        raise ValueError("fastest_verdict: time at least one function besides the baseline.")
    if min(others.values()) > 1.0:
        count = _COUNTS.get(len(ratios), str(len(ratios)))
        parts = [
            f"{name} {'took ' if i == 0 else ''}{r:.1f}×"
            for i, (name, r) in enumerate(others.items())
        ]
        return f"{baseline} was the fastest of the {count}: {_listing(parts)} as long"
    everyone = "both of the others" if len(others) == 2 else "all of the others"
    return f"{baseline} was not faster than {everyone} on this run"


def convergence_verdict(ratio: float, every_seed: bool) -> str:
    """Say how much faster tanh trained than sigmoid, from their final losses.

    The rule, with ``ratio = final loss of sigmoid / final loss of tanh``: above 1.5
    and lower for every seed is "clearly faster"; above 1.1 "somewhat faster"; below
    0.9 sigmoid was faster; otherwise "about equally fast".

    Example:

    >>> convergence_verdict(2.0, True)
    'tanh converged clearly faster than sigmoid, for every seed'

    Args:
        ratio: Sigmoid's mean final loss divided by tanh's.
        every_seed: Whether tanh ended lower than sigmoid for every seed.

    Returns:
        A clause without a final full stop.
    """
    ratio = _number(ratio, "ratio", "convergence_verdict")
    if ratio > 1.5 and every_seed:
        return "tanh converged clearly faster than sigmoid, for every seed"
    if ratio > 1.1:
        return "tanh converged somewhat faster than sigmoid"
    if ratio < 0.9:
        return "sigmoid converged faster than tanh"
    return "tanh and sigmoid converged about equally fast"


def centring_verdict(ratio: float, every_seed: bool) -> str:
    """Say whether zero-centring helped, from tanh + 1 against tanh.

    The rule, with ``ratio = final loss of tanh + 1 / final loss of tanh``: above 1.25
    and higher for every seed means centring helped; below 0.8 it did not; otherwise
    it made little difference, so tanh's gain over sigmoid came from its slope.

    Example:

    >>> centring_verdict(0.5, False)
    'the uncentred tanh + 1 did better than tanh, so zero-centring did not help'

    Args:
        ratio: The mean final loss of ``tanh + 1`` divided by that of ``tanh``.
        every_seed: Whether ``tanh + 1`` ended higher than ``tanh`` for every seed.

    Returns:
        A clause without a final full stop.
    """
    ratio = _number(ratio, "ratio", "centring_verdict")
    if ratio > 1.25 and every_seed:
        return (
            "zero-centring helped: the uncentred tanh + 1 ended with a clearly higher "
            "loss than tanh"
        )
    if ratio < 0.8:
        return "the uncentred tanh + 1 did better than tanh, so zero-centring did not help"
    return (
        "zero-centring made little difference: tanh + 1, with the same slope but "
        "positive outputs, trained about as well as tanh, so the gain over sigmoid "
        "came from tanh's steeper slope, not from its centring"
    )


def change_verdict(value: float, base: float, margin: float = 0.05) -> str:
    """Say whether a share went down, up or stayed put, ignoring changes within ``margin``.

    Example:

    >>> change_verdict(0.10, 0.30), change_verdict(0.31, 0.30)
    ('lowered', 'hardly changed')

    Args:
        value: The share measured with the change (for example the mean share of
            inactive units with He initialisation).
        base: The same share without it.
        margin: The smallest difference that counts as a change.

    Returns:
        ``"lowered"``, ``"raised"`` or ``"hardly changed"``.
    """
    diff = _number(value, "value", "change_verdict") - _number(base, "base", "change_verdict")
    if diff <= -margin:
        return "lowered"
    if diff >= margin:
        return "raised"
    return "hardly changed"


def he_init_verdict(he_share: float, relu_share: float, margin: float = 0.05) -> str:
    """Explain what He initialisation did to the share of inactive ReLU units.

    The rule: unless He initialisation lowered the mean share of inactive units by
    more than ``margin``, the start is not what kills units.

    Example:

    >>> he_init_verdict(0.10, 0.40)
    'A better-scaled start leaves fewer units to be knocked out.'

    Args:
        he_share: Mean share of inactive units with He initialisation.
        relu_share: The same for plain ReLU at the same learning rate.
        margin: The smallest drop that counts.

    Returns:
        One or two sentences, with their full stops.
    """
    he_share = _number(he_share, "he_share", "he_init_verdict")
    if he_share > _number(relu_share, "relu_share", "he_init_verdict") - margin:
        return (
            "It sets the scale of the signal at the start, which is not what kills units "
            "here: the large steps are."
        )
    return "A better-scaled start leaves fewer units to be knocked out."


def leaky_rate_verdict(
    leaky_acc: float, low_acc: float, high_lr: float, low_lr: float, margin: float = 0.02
) -> str:
    """Compare Leaky ReLU at a too-high learning rate with plain ReLU at a cautious one.

    The rule: Leaky ReLU "does not make a too-high learning rate harmless" when its
    test accuracy is more than ``margin`` below plain ReLU's at the low rate.

    Example:

    >>> leaky_rate_verdict(0.80, 0.90, 0.01, 0.001).startswith("It does not make")
    True

    Args:
        leaky_acc: Test accuracy of Leaky ReLU at ``high_lr``.
        low_acc: Test accuracy of plain ReLU at ``low_lr``.
        high_lr: The high learning rate.
        low_lr: The cautious learning rate.
        margin: How much lower counts as worse.

    Returns:
        Two sentences (or one), with their full stops and both accuracies in percent.
    """
    leaky_acc = _number(leaky_acc, "leaky_acc", "leaky_rate_verdict")
    low_acc = _number(low_acc, "low_acc", "leaky_rate_verdict")
    if leaky_acc < low_acc - margin:
        return (
            "It does not make a too-high learning rate harmless, though: Leaky ReLU at "
            f"learning rate {high_lr} reaches {leaky_acc:.1%} test accuracy, while plain "
            f"ReLU at {low_lr} reaches {low_acc:.1%}. Treat dying units as a symptom, "
            "and check the learning rate first."
        )
    return (
        "Here it even keeps up with the cautious setting: Leaky ReLU at learning rate "
        f"{high_lr} reaches {leaky_acc:.1%} test accuracy, against {low_acc:.1%} for "
        f"plain ReLU at {low_lr}."
    )


def rank_verdict(results: Results, name: str = "relu", label: str = "ReLU") -> str:
    """Say where one activation ranks by mean test accuracy, and whether the best beat it.

    The lead of the best counts only as :func:`acttutor.results.accuracy_verdict`
    counts it: a gap above the seed-to-seed spread and every run beaten.

    Example:

    >>> from acttutor.training import RunResult
    >>> def run(acc):
    ...     return RunResult(history={}, test_acc=acc, test_loss=0.0, seconds=1.0)
    >>> rank_verdict({"gelu": [run(0.95), run(0.96)], "relu": [run(0.90), run(0.91)]})
    "ReLU ranks 2 of 2 by mean test accuracy, and gelu's lead over it holds"

    Args:
        results: ``{name: [RunResult, ...]}``, as from
            :func:`acttutor.training.compare_activations`.
        name: The activation the sentence is about.
        label: How the sentence names it.

    Returns:
        A clause without a final full stop.
    """
    from acttutor.results import accuracy_verdict, activation_stats

    stats = activation_stats(results)
    if name not in stats:
        raise KeyError(f"rank_verdict: no runs for {name!r}; have {', '.join(stats)}.")
    ranking = sorted(stats, key=lambda key: -stats[key].acc_mean)
    rank = ranking.index(name) + 1
    if rank == 1:
        return f"{label} has the best mean test accuracy of the {len(ranking)} activations"
    verdict = accuracy_verdict(results)
    lead = (
        "these seeds do not separate it from the best"
        if name in verdict.tied_with_best
        else f"{verdict.best}'s lead over it holds"
    )
    return f"{label} ranks {rank} of {len(ranking)} by mean test accuracy, and {lead}"


def same_outputs_verdict(max_difference: float) -> str:
    """Say how far apart the outputs of models that should compute the same function are.

    Example:

    >>> same_outputs_verdict(0.0)
    'exactly 0: the three models run the same operations in the same order'

    Args:
        max_difference: The largest absolute difference between their outputs.

    Returns:
        A phrase that follows "the largest difference is".
    """
    value = _number(max_difference, "max_difference", "same_outputs_verdict")
    if value == 0.0:
        return "exactly 0: the three models run the same operations in the same order"
    return f"at most {value:.2g}, float32 round-off"


def sparsemax_verdict(agrees_everywhere: bool) -> str:
    """Say whether Keras's sparsemax agreed with the reference algorithm on every vector.

    Example:

    >>> sparsemax_verdict(True)
    'agrees with the reference on every vector'

    Args:
        agrees_everywhere: Whether the two agreed on every random logit vector tried.

    Returns:
        A phrase that follows "Keras's sparsemax".
    """
    if agrees_everywhere:
        return "agrees with the reference on every vector"
    return "does not: its output sums to less than 1 whenever more than one logit survives"
