"""acttutor.cost.verdicts: the cost chapter's verdicts follow the rules they name."""

from __future__ import annotations

import pytest

from acttutor.cost import MEMORY_BOUND_MAX, Cost, CostTable
from acttutor.cost import verdicts as v


def cost(name: str, fwd: float, fb: float = 1.0, kernels: tuple[str, ...] = ("Mul",),
         bound: str = "memory") -> Cost:
    return Cost(name, fwd, fb, kernels, 1.0, bound)


def table(*rows: Cost, control: float = 1.0) -> CostTable:
    ordered = tuple(sorted(rows, key=lambda r: r.forward))
    return CostTable(ordered, 2**10, {}, {"forward": control}, 3)


def test_cheapest_claim_and_gap_when_relu_is_cheapest() -> None:
    t = table(cost("relu", 1.0, 1.0), cost("sigmoid", 3.0, 2.0), cost("tanh", 2.0, 1.5),
              cost("elu", 0.9))
    assert v.cheapest_verdict(t) == (
        "Yes: ReLU is the cheapest of the three, and ranks 2 of 4 overall")
    assert v.claim_verdict(t) == "the tutorial's claim holds"
    assert v.gap_verdict(t) == "the gap narrows"


def test_cheapest_claim_and_gap_when_it_is_not() -> None:
    t = table(cost("relu", 1.2, 1.0), cost("sigmoid", 3.0, 4.0), cost("tanh", 1.1, 0.5))
    assert v.cheapest_verdict(t) == "Not here: tanh came out cheaper than ReLU in this run"
    assert v.claim_verdict(t) == "the tutorial's claim does not hold in this run"
    assert v.gap_verdict(t) == "the gap does not narrow in this run"  # sigmoid's grew


def test_floor_verdict_at_the_limit() -> None:
    assert v.floor_verdict(table(cost("relu", MEMORY_BOUND_MAX))).startswith("within")
    assert v.floor_verdict(table(cost("relu", MEMORY_BOUND_MAX + 0.01))) == (
        f"more than {MEMORY_BOUND_MAX} copies in this run")


def test_notes_count_and_name_the_functions() -> None:
    special = ("Exp",)
    t = table(cost("a", 3.0, bound="compute"), cost("b", 4.0, bound="compute"),
              cost("c", 5.0, kernels=special, bound="compute"),
              cost("d", 1.1, kernels=special), cost("e", 1.0))
    assert v.plain_compute_note(t).startswith("The other 2 (a, b) use only simple ops")
    assert v.memory_special_note(t).startswith("One of them, d, runs a special-function kernel")
    one = table(cost("a", 3.0, bound="compute"), cost("d", 1.1, kernels=special),
                cost("f", 1.2, kernels=special))
    assert v.plain_compute_note(one).startswith("The other one, a, uses only simple ops")
    assert v.memory_special_note(one).startswith("2 of them (d, f) run")
    none = table(cost("c", 5.0, kernels=special, bound="compute"), cost("e", 1.0))
    assert v.plain_compute_note(none) == "All of them run at least one such kernel."
    assert v.memory_special_note(none) == "None of them runs a special-function kernel."


@pytest.mark.parametrize(("hard", "control", "expected"), [
    (2.5, 1.0, "cheaper than"),            # below 3.0 / 1.1
    (2.8, 1.0, "about as expensive as"),
    (3.3, 1.0, "about as expensive as"),   # 3.0 * 1.1
    (3.4, 1.0, "more expensive than"),
    (3.4, 1.2, "about as expensive as"),   # a noisy control widens the band
])
def test_comparison_verdict_within_the_noise(hard: float, control: float,
                                             expected: str) -> None:
    t = table(cost("hard_sigmoid", hard), cost("sigmoid", 3.0), control=control)
    assert v.comparison_verdict(t, "hard_sigmoid", "sigmoid") == expected


def test_fusion_gains_and_pow_note() -> None:
    t = table(cost("a", 3.0, kernels=("Mul", "Add")), cost("b", 4.0, kernels=("Mul", "Max")),
              cost("c", 5.0, kernels=("Exp", "Mul")))
    assert v.fusion_gains_verdict({"a": 2.0, "b": 4.0, "c": 1.2}, t) == (
        "the median speed-up was 3.0x for the functions with only simple kernels and 1.2x "
        "for those with a special function")
    assert v.fusion_gains_verdict({"a": 2.0}, t).startswith("there was no mix")
    assert v.pow_note({"sparse_plus": 1.234}).endswith("compiled, it cost 1.23 copies.")
    assert v.pow_note({"sparse_plus": MEMORY_BOUND_MAX + 0.1}) == ""
    assert v.xla_verdict(True) == "uses" and v.xla_verdict(False) == "does not use"


def test_bad_input_gets_a_clear_message() -> None:
    with pytest.raises(TypeError, match="pass the CostTable that measure_costs returned"):
        v.claim_verdict({"relu": 1.0})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no row for tanh"):
        v.gap_verdict(table(cost("relu", 1.0), cost("sigmoid", 2.0)))
