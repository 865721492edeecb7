"""acttutor.catalog_table: the catalog's measured properties as one table."""

from __future__ import annotations

import pytest

from acttutor.activations import CATALOG, elementwise_names
from acttutor.catalog_table import properties_table, smoothness_verdict


def test_properties_table():
    table = properties_table(["relu", "tanh"], costs={"relu": 1.0, "tanh": 2.5})
    assert table.column("activation") == ["relu", "tanh"]
    assert table.column("monotonic") == [True, True]
    assert table.column("cost (× relu)") == [1.0, 2.5]
    assert "<table" in table._repr_html_()




def test_properties_table_defaults_to_every_element_wise_entry():
    table = properties_table()
    assert table.column("activation") == elementwise_names()
    expected = [CATALOG[n].properties.monotonic for n in elementwise_names()]
    assert table.column("monotonic") == expected
    assert "cost (× relu)" not in table.columns


def test_properties_table_rejects_bad_names_and_costs():
    with pytest.raises(ValueError, match="Not in CATALOG"):
        properties_table(["nope"])
    with pytest.raises(ValueError, match="not element-wise"):
        properties_table(["softmax"])
    with pytest.raises(TypeError, match="list such as"):
        properties_table("relu")
    with pytest.raises(TypeError, match="list such as"):
        properties_table(3)
    with pytest.raises(TypeError, match=r"costs must be a dict \{name: relative cost\}"):
        properties_table(["relu"], costs=1.0)
    with pytest.raises(ValueError, match=r"costs has no value for \['tanh'\]"):
        properties_table(["relu", "tanh"], costs={"relu": 1.0})


def test_smoothness_verdict_follows_the_measured_column():
    modern = ["gelu", "silu", "mish", "selu", "softplus"]
    words = smoothness_verdict(modern)
    smooth_part, _, rough_part = words.partition(" as smooth (C¹)")
    for name in modern:
        if CATALOG[name].properties.smooth:
            assert name in smooth_part and name not in rough_part
        else:
            assert name in rough_part and name not in smooth_part
    # SELU's two slopes (lambda and lambda * alpha) do not meet at 0.
    assert not CATALOG["selu"].properties.smooth
    assert smoothness_verdict(["relu"]) == "the table marks relu as not smooth"
    with pytest.raises(ValueError, match="at least one"):
        smoothness_verdict([])
    with pytest.raises(ValueError, match="Not in CATALOG"):
        smoothness_verdict(["nonsense"])
