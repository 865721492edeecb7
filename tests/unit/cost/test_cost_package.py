"""acttutor.cost gathers its modules' public names: each is importable from the package itself."""

from __future__ import annotations

import importlib

import pytest

import acttutor.cost as cost

HOMES = {
    "acttutor.cost.floor": ["COPIES", "FloorRatios", "copy", "copy_steps", "forward_backward",
                            "ratios_to_floor"],
    "acttutor.cost.ops": ["MEMORY_BOUND_MAX", "SPECIAL_OPS", "classify", "kernels", "traffic"],
    "acttutor.cost.measure": ["Cost", "CostTable", "measure_costs"],
    "acttutor.cost.relative": ["relative_cost"],
    "acttutor.cost.machine": ["cache_verdict", "last_level_cache_bytes"],
    "acttutor.cost.verdicts": ["cheapest_verdict", "claim_verdict", "comparison_verdict",
                               "floor_verdict", "fusion_gains_verdict", "gap_verdict",
                               "memory_special_note", "plain_compute_note", "pow_note",
                               "xla_verdict"],
    "acttutor.activations": ["elementwise_activations"],
}


@pytest.mark.parametrize("home", sorted(HOMES))
def test_every_name_is_the_object_from_its_home_module(home):
    module = importlib.import_module(home)
    for name in HOMES[home]:
        assert getattr(cost, name) is getattr(module, name), name


def test_all_lists_exactly_the_gathered_names():
    assert sorted(cost.__all__) == sorted(n for names in HOMES.values() for n in names)
    for home in HOMES:
        if home.startswith("acttutor.cost."):
            assert set(importlib.import_module(home).__all__) <= set(cost.__all__), home


def test_a_submodule_is_not_shadowed_by_a_function_of_the_same_name():
    for home in HOMES:
        if home.startswith("acttutor.cost."):
            short = home.rsplit(".", 1)[1]
            assert short not in cost.__all__, f"cost.{short} would hide the module {home}"
