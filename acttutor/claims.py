"""Published claims re-run: one row per claim, with the verdict computed from the measurement.

A :class:`Claim` holds what a paper says (and where), the number we measured, and the
rule that decides agreement: ``measured`` compared with ``threshold`` by ``expect``
(``"<"`` or ``">"``). The verdict is never typed in; it follows from the number.

Example:

>>> c = Claim("He et al. 2015", "Sec. 2.2", "He keeps the variance", "ratio", 0.9, ">", 0.5)
>>> c.agrees, c.verdict
(True, 'agrees')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from acttutor.tables import Table

__all__ = ["Claim", "claims_table", "claims_verdict"]


@dataclass(frozen=True)
class Claim:
    """One published claim, our measurement of it, and the rule that says whether they agree.

    Example:

    >>> Claim("p", "Fig. 1", "x is small", "x", 3.0, "<", 1.0).verdict
    'does not agree'

    Attributes:
        paper: Authors and year, for example ``"Klambauer et al. 2017"``.
        where: The figure, table or theorem the claim comes from.
        claim: The claim, in a sentence.
        quantity: What was measured, in words.
        measured: The measured value.
        expect: ``"<"`` or ``">"``: how ``measured`` must compare with ``threshold``.
        threshold: The value the rule compares with.
    """

    paper: str
    where: str
    claim: str
    quantity: str
    measured: float
    expect: str
    threshold: float

    def __post_init__(self) -> None:
        if self.expect not in ("<", ">"):
            raise ValueError(f"Claim: expect must be '<' or '>', got {self.expect!r}.")
        for name in ("measured", "threshold"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(
                value
            ):
                raise ValueError(f"Claim: {name} must be a finite number, got {value!r}.")

    @property
    def agrees(self) -> bool:
        """Whether the measurement satisfies the claim's rule.

        Example:

        >>> Claim("p", "w", "c", "q", 0.2, "<", 0.5).agrees
        True

        Returns:
            ``measured < threshold`` or ``measured > threshold``, as ``expect`` says.
        """
        if self.expect == "<":
            return self.measured < self.threshold
        return self.measured > self.threshold

    @property
    def verdict(self) -> str:
        """``"agrees"`` or ``"does not agree"``, from :attr:`agrees`.

        Example:

        >>> Claim("p", "w", "c", "q", 0.7, "<", 0.5).verdict
        'does not agree'

        Returns:
            The verdict word.
        """
        return "agrees" if self.agrees else "does not agree"


def claims_table(claims: Sequence[Claim]) -> Table:
    """One row per claim: paper, source, claim, the rule, our measurement, agrees?

    Example:

    >>> t = claims_table([Claim("p", "Fig. 2", "c", "x", 2.0, ">", 1.0)])
    >>> t.column("agrees?")
    ['agrees']

    Args:
        claims: The claims, in the order to show.

    Returns:
        A :class:`~acttutor.tables.Table`.
    """
    if not claims or not all(isinstance(c, Claim) for c in claims):
        raise TypeError("claims_table: give a non-empty list of Claim objects.")
    rows = [[c.paper, c.where, c.claim, f"{c.quantity} {c.expect} {c.threshold:g}",
             c.measured, c.verdict] for c in claims]
    return Table(["paper", "where", "claim", "rule", "measured", "agrees?"], rows,
                 caption="Published claims, re-run at a small scale")


def claims_verdict(claims: Sequence[Claim]) -> str:
    """Count the claims that agree, and name the ones that do not.

    Example:

    >>> claims_verdict([Claim("A 2010", "w", "c", "q", 1.0, ">", 0.0)])
    '1 of 1 claims agree with our measurement'

    Args:
        claims: The claims.

    Returns:
        One sentence, without a final full stop.
    """
    if not claims or not all(isinstance(c, Claim) for c in claims):
        raise TypeError("claims_verdict: give a non-empty list of Claim objects.")
    good = sum(c.agrees for c in claims)
    text = f"{good} of {len(claims)} claims agree with our measurement"
    bad = [c.paper for c in claims if not c.agrees]
    if bad:
        text += "; not reproduced here: " + ", ".join(bad)
    return text
