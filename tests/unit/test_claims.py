"""acttutor.claims: a claim's verdict follows from its measurement and rule."""

from __future__ import annotations

import math

import pytest

from acttutor.claims import Claim, claims_table, claims_verdict


def _claim(measured: float, expect: str = "<", threshold: float = 1.0, paper: str = "A 2010"):
    return Claim(paper, "Fig. 1", "x is small", "x", measured, expect, threshold)


def test_the_rule_decides_the_verdict() -> None:
    assert _claim(0.5).agrees and _claim(0.5).verdict == "agrees"
    assert not _claim(1.0).agrees  # strict: equal to the threshold does not agree
    assert _claim(2.0, ">").agrees and not _claim(0.5, ">").agrees
    assert _claim(2.0).verdict == "does not agree"


def test_bad_claims_are_refused_with_a_message() -> None:
    with pytest.raises(ValueError, match="expect"):
        _claim(1.0, "=")
    with pytest.raises(ValueError, match="finite"):
        _claim(math.nan)
    with pytest.raises(ValueError, match="finite"):
        _claim(True)  # type: ignore[arg-type]


def test_table_and_summary() -> None:
    claims = [_claim(0.5, paper="A 2010"), _claim(3.0, paper="B 2016")]
    table = claims_table(claims)
    assert table.column("agrees?") == ["agrees", "does not agree"]
    assert table.column("rule") == ["x < 1", "x < 1"]
    assert table.column("measured") == [0.5, 3.0]
    assert claims_verdict(claims) == (
        "1 of 2 claims agree with our measurement; not reproduced here: B 2016")
    with pytest.raises(TypeError, match="Claim"):
        claims_table([])
    with pytest.raises(TypeError, match="Claim"):
        claims_verdict(["not a claim"])  # type: ignore[list-item]
