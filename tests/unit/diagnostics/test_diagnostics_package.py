"""acttutor.diagnostics gathers its modules' public names; the old propagation module is gone."""

from __future__ import annotations

import importlib

import pytest

import acttutor.diagnostics as diagnostics

HOMES = {
    "acttutor.diagnostics.layers": ["dead_unit_fraction", "inactive_unit_fraction", "is_relu",
                                    "layer_outputs"],
    "acttutor.diagnostics.gradients": ["gradient_norms", "gradient_rms"],
    "acttutor.diagnostics.meanfield": ["chi", "correlation_map", "edge_of_chaos", "regime",
                                       "variance_fixed_point", "variance_gain"],
    "acttutor.diagnostics.propagation": ["depth_profile", "measured_correlation",
                                         "signal_statistics"],
    "acttutor.diagnostics.revival": ["dead_units", "recovery_verdict", "revival_verdict",
                                     "unit_turnover"],
    "acttutor.diagnostics.spread": ["shrink_factor", "spread_across_examples"],
    "acttutor.diagnostics.updates": ["kernel_snapshot", "relative_change"],
}


@pytest.mark.parametrize("home", sorted(HOMES))
def test_every_name_is_the_object_from_its_home_module(home):
    module = importlib.import_module(home)
    for name in HOMES[home]:
        assert getattr(diagnostics, name) is getattr(module, name), name
    assert set(module.__all__) == set(HOMES[home])


def test_the_contract_names_are_importable_from_acttutor_diagnostics():
    from acttutor.diagnostics import dead_unit_fraction, gradient_norms, layer_outputs

    assert {f.__name__ for f in (layer_outputs, dead_unit_fraction, gradient_norms)} == {
        "layer_outputs", "dead_unit_fraction", "gradient_norms"}
    assert sorted(diagnostics.__all__) == sorted(n for names in HOMES.values() for n in names)


def test_signal_statistics_moved_into_diagnostics():
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("acttutor.propagation")
