"""The words of the cost chapter's verdicts, decided from a measured cost table.

Each function reads a :class:`~acttutor.cost.measure.CostTable`.

The chapter "What an activation costs" states, for the run that built it, whether ReLU
was the cheapest, whether the gap narrows with the backward pass, which functions run at
memory speed and what fusing their kernels buys. Each function here takes the numbers it
decides from, applies the rule its docstring names, and returns the words the prose
quotes, so that the notebook assembles no sentences of its own.

Example:

>>> from acttutor.cost.measure import Cost, CostTable
>>> def row(name, fwd, fb):
...     return Cost(name, fwd, fb, ("Op",), 1.0, "memory")
>>> table = CostTable((row("relu", 1.0, 1.1), row("tanh", 1.8, 1.5),
...                    row("sigmoid", 3.0, 2.0)), 2**10, {}, {"forward": 1.0}, 3)
>>> cheapest_verdict(table)
'Yes: ReLU is the cheapest of the three, and ranks 1 of 3 overall'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from acttutor.cost.measure import Cost, CostTable
from acttutor.cost.ops import MEMORY_BOUND_MAX

__all__ = [
    "cheapest_verdict",
    "claim_verdict",
    "comparison_verdict",
    "floor_verdict",
    "fusion_gains_verdict",
    "gap_verdict",
    "memory_special_note",
    "plain_compute_note",
    "pow_note",
    "xla_verdict",
]

#: The three functions the tutorial's claim ("ReLU is cheaper") is about, the claimant first.
CLAIM: tuple[str, ...] = ("relu", "sigmoid", "tanh")


def _table(table: CostTable, caller: str) -> CostTable:
    """``table`` itself, or a clear message when it is not a ``CostTable``."""
    if not isinstance(table, CostTable):
        raise TypeError(
            f"{caller}: pass the CostTable that measure_costs returned, got "
            f"{type(table).__name__}."
        )
    return table


def _rows(table: CostTable, names: Sequence[str], caller: str) -> list[Cost]:
    """The rows called ``names``, or a clear message saying which one is missing."""
    _table(table, caller)
    missing = [n for n in names if n not in table.names]
    if missing:
        raise ValueError(
            f"{caller}: the table has no row for {', '.join(missing)}; measure "
            f"{', '.join(names)} too (it has {', '.join(table.names)})."
        )
    return [table.row(n) for n in names]


def _cheapest(table: CostTable, among: Sequence[str], caller: str) -> str:
    return min(_rows(table, among, caller), key=lambda r: r.forward).name


def cheapest_verdict(table: CostTable, among: Sequence[str] = CLAIM, label: str = "ReLU") -> str:
    """Answer "is the first of ``among`` the cheapest of them, forward?".

    Example:

    >>> from acttutor.cost.measure import Cost, CostTable
    >>> rows = (Cost("tanh", 0.9, 1.0, ("Tanh",), 1.0, "memory"),
    ...         Cost("relu", 1.0, 1.1, ("Relu",), 1.0, "memory"),
    ...         Cost("sigmoid", 3.0, 2.0, ("Sigmoid",), 1.0, "compute"))
    >>> cheapest_verdict(CostTable(rows, 2**10, {}, {}, 3))
    'Not here: tanh came out cheaper than ReLU in this run'

    Args:
        table: The measured costs.
        among: The functions compared; the claim is about the first.
        label: How the sentence names the first.

    Returns:
        A sentence without its full stop, starting "Yes" when the claim holds.
    """
    cheapest = _cheapest(table, among, "cheapest_verdict")
    if cheapest == among[0]:
        rank = table.names.index(among[0]) + 1
        count = {2: "two", 3: "three", 4: "four"}.get(len(among), str(len(among)))
        return (
            f"Yes: {label} is the cheapest of the {count}, and ranks {rank} of "
            f"{len(table.rows)} overall"
        )
    return f"Not here: {cheapest} came out cheaper than {label} in this run"


def claim_verdict(table: CostTable, among: Sequence[str] = CLAIM) -> str:
    """Say whether the tutorial's claim, that the first of ``among`` is cheapest, held.

    Example:

    >>> from acttutor.cost.measure import Cost, CostTable
    >>> rows = (Cost("relu", 1.0, 1.1, ("Relu",), 1.0, "memory"),
    ...         Cost("tanh", 1.8, 1.5, ("Tanh",), 1.0, "compute"),
    ...         Cost("sigmoid", 3.0, 2.0, ("Sigmoid",), 1.0, "compute"))
    >>> claim_verdict(CostTable(rows, 2**10, {}, {}, 3))
    "the tutorial's claim holds"

    Args:
        table: The measured costs.
        among: The functions compared; the claim is about the first.

    Returns:
        "the tutorial's claim holds" or "the tutorial's claim does not hold in this run".
    """
    if _cheapest(table, among, "claim_verdict") == among[0]:
        return "the tutorial's claim holds"
    return "the tutorial's claim does not hold in this run"


def gap_verdict(table: CostTable, among: Sequence[str] = CLAIM) -> str:
    """Say whether the others' lead over the first of ``among`` shrinks with the backward pass.

    The rule: the gap narrows when, for every other function, its forward + backward
    ratio to the first is below its forward-only ratio.

    Example:

    >>> from acttutor.cost.measure import Cost, CostTable
    >>> rows = (Cost("relu", 1.0, 1.0, ("Relu",), 1.0, "memory"),
    ...         Cost("tanh", 1.8, 1.5, ("Tanh",), 1.0, "compute"),
    ...         Cost("sigmoid", 3.0, 2.0, ("Sigmoid",), 1.0, "compute"))
    >>> gap_verdict(CostTable(rows, 2**10, {}, {}, 3))
    'the gap narrows'

    Args:
        table: The measured costs.
        among: The function the gap is measured from, then the others.

    Returns:
        "the gap narrows" or "the gap does not narrow in this run".
    """
    first, *others = _rows(table, among, "gap_verdict")
    if all(
        r.forward_backward / first.forward_backward < r.forward / first.forward for r in others
    ):
        return "the gap narrows"
    return "the gap does not narrow in this run"


def floor_verdict(table: CostTable, name: str = "relu") -> str:
    """Say whether ``name`` ran within ``MEMORY_BOUND_MAX`` copies of the floor.

    ``MEMORY_BOUND_MAX`` comes from :mod:`acttutor.cost.ops`.

    Example:

    >>> from acttutor.cost.measure import Cost, CostTable
    >>> table = CostTable((Cost("relu", 1.2, 1.3, ("Relu",), 1.0, "memory"),),
    ...                   2**10, {}, {}, 3)
    >>> floor_verdict(table)
    'within 1.5 copies of the floor: it runs at the speed of memory'

    Args:
        table: The measured costs.
        name: The function asked about.

    Returns:
        A phrase that starts "within" when it did.
    """
    (row,) = _rows(table, [name], "floor_verdict")
    if row.forward <= MEMORY_BOUND_MAX:
        return f"within {MEMORY_BOUND_MAX} copies of the floor: it runs at the speed of memory"
    return f"more than {MEMORY_BOUND_MAX} copies in this run"


def plain_compute_note(table: CostTable) -> str:
    """Name the compute-bound functions that run no special-function kernel.

    The rule of :func:`acttutor.cost.ops.classify` counts them as compute-bound, yet
    their kernels are simple ops; the note says so without claiming why.

    Example:

    >>> from acttutor.cost.measure import Cost, CostTable
    >>> rows = (Cost("elu", 4.0, 3.0, ("Exp",), 1.0, "compute"),)
    >>> plain_compute_note(CostTable(rows, 2**10, {}, {}, 3))
    'All of them run at least one such kernel.'

    Args:
        table: The measured costs.

    Returns:
        One sentence, with its full stop.
    """
    rows = _table(table, "plain_compute_note").rows
    plain = [r.name for r in rows if r.bound == "compute" and not r.special]
    if not plain:
        return "All of them run at least one such kernel."
    if len(plain) == 1:
        return (
            f"The other one, {plain[0]}, uses only simple ops, yet its kernels run slower "
            "than their memory traffic explains; the rule counts it as not memory-bound "
            "too, without saying why."
        )
    return (
        f"The other {len(plain)} ({', '.join(plain)}) use only simple ops, yet their "
        "kernels run slower than their memory traffic explains; the rule counts them as "
        "not memory-bound too, without saying why."
    )


def memory_special_note(table: CostTable) -> str:
    """Name the memory-bound functions that run a special-function kernel all the same.

    Example:

    >>> from acttutor.cost.measure import Cost, CostTable
    >>> rows = (Cost("tanh", 1.2, 1.5, ("Tanh",), 1.0, "memory"),)
    >>> memory_special_note(CostTable(rows, 2**10, {}, {}, 3))[:30]
    'One of them, tanh, runs a spec'

    Args:
        table: The measured costs.

    Returns:
        One sentence, with its full stop.
    """
    rows = _table(table, "memory_special_note").rows
    special = [r.name for r in rows if r.bound == "memory" and r.special]
    if not special:
        return "None of them runs a special-function kernel."
    if len(special) == 1:
        return (
            f"One of them, {special[0]}, runs a special-function kernel anyway: "
            "TensorFlow's implementation keeps up with memory."
        )
    return (
        f"{len(special)} of them ({', '.join(special)}) run a special-function kernel "
        "anyway: TensorFlow's implementation keeps up with memory."
    )


def comparison_verdict(table: CostTable, name: str, other: str) -> str:
    """Compare two functions' forward cost, calling differences within the noise equal.

    The noise is the control's distance from 1 (see
    :class:`~acttutor.cost.measure.CostTable`), at least 10%:
    ``name`` is cheaper when its ratio is below ``other``'s divided by ``1 + noise``,
    more expensive when above ``other``'s times ``1 + noise``.

    Example:

    >>> from acttutor.cost.measure import Cost, CostTable
    >>> rows = (Cost("hard_sigmoid", 2.0, 2.0, ("Mul", "Add"), 2.0, "memory"),
    ...         Cost("sigmoid", 3.0, 2.5, ("Sigmoid",), 1.0, "compute"))
    >>> comparison_verdict(CostTable(rows, 2**10, {}, {"forward": 1.02}, 3),
    ...                    "hard_sigmoid", "sigmoid")
    'cheaper than'

    Args:
        table: The measured costs, with the control's forward ratio.
        name: The function described.
        other: The function it is compared with.

    Returns:
        "cheaper than", "about as expensive as" or "more expensive than".
    """
    mine, theirs = _rows(table, [name, other], "comparison_verdict")
    noise = max(0.1, abs(table.control.get("forward", 1.0) - 1.0))
    if mine.forward < theirs.forward / (1 + noise):
        return "cheaper than"
    if mine.forward <= theirs.forward * (1 + noise):
        return "about as expensive as"
    return "more expensive than"


def fusion_gains_verdict(speedups: Mapping[str, float], table: CostTable) -> str:
    """Compare what fusing (XLA) gained for simple kernels and for special functions.

    Example:

    >>> from acttutor.cost.measure import Cost, CostTable
    >>> rows = (Cost("elu", 4.0, 3.0, ("Exp", "Mul", "Select"), 3.0, "compute"),
    ...         Cost("hard_silu", 5.0, 4.0, ("Mul", "Add", "Min"), 3.0, "compute"))
    >>> table = CostTable(rows, 2**10, {}, {}, 3)
    >>> fusion_gains_verdict({"elu": 1.5, "hard_silu": 3.0}, table)[:50]
    'the median speed-up was 3.0x for the functions wit'
    >>> fusion_gains_verdict({"hard_silu": 3.0}, table)
    'there was no mix of simple and special-function kernels to compare'

    Args:
        speedups: Eager time / compiled time for each function that was fused.
        table: The measured costs, which say whose kernels are special.

    Returns:
        A clause without a final full stop.
    """
    rows = _rows(table, list(speedups), "fusion_gains_verdict")
    simple = [speedups[r.name] for r in rows if not r.special]
    special = [speedups[r.name] for r in rows if r.special]
    if not (simple and special):
        return "there was no mix of simple and special-function kernels to compare"
    return (
        f"the median speed-up was {np.median(simple):.1f}x for the functions with only "
        f"simple kernels and {np.median(special):.1f}x for those with a special function"
    )


def pow_note(fused_ratios: Mapping[str, float]) -> str:
    """Point out, when it happened, that XLA turned sparse_plus's ``Pow`` into a square.

    Example:

    >>> "one multiplication" in pow_note({"sparse_plus": 1.2})
    True
    >>> pow_note({"elu": 1.2})
    ''

    Args:
        fused_ratios: The compiled (XLA) cost, in copies, of each fused function.

    Returns:
        A sentence that starts with a space, or ``""`` when sparse_plus was not fused
        or stayed above ``MEMORY_BOUND_MAX`` (:mod:`acttutor.cost.ops`) copies.
    """
    ratio = fused_ratios.get("sparse_plus")
    if ratio is None or ratio > MEMORY_BOUND_MAX:
        return ""
    return (
        " A compiler can also simplify arithmetic: sparse_plus computes (x + 1)² / 4 "
        "with a general Pow kernel in eager mode, a square that XLA can do with one "
        f"multiplication; compiled, it cost {ratio:.2f} copies."
    )


def xla_verdict(jit_compile: bool) -> str:
    """Say whether Keras compiles with XLA here (what ``jit_compile="auto"`` resolved to).

    Example:

    >>> xla_verdict(False)
    'does not use'

    Args:
        jit_compile: The model's ``jit_compile`` after ``compile(jit_compile="auto")``.

    Returns:
        "uses" or "does not use".
    """
    return "uses" if jit_compile else "does not use"
