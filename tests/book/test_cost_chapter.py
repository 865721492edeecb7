"""Claims of book/cost.ipynb, checked against its executed outputs.

The chapter's prose quotes glued values; these tests check that the values are sane
measurements (finite, positive ratios; never wall-clock thresholds) and that every
verdict and list on the page follows from the numbers by the rule the page states.
"""

from __future__ import annotations

import math

import pytest

CHAPTER = "book/cost.ipynb"


@pytest.fixture(scope="module")
def costs(g):
    return g["costs"]


def _positive(value) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and value > 0


def _names(text: str) -> list[str]:
    """Names from a glued "`a`, `b`" list."""
    return [part.strip().strip("`") for part in text.split(",") if part.strip().strip("`")]


def test_the_chapter_ran_cleanly(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", out
            assert not (out.get("output_type") == "stream" and out.get("name") == "stderr"), (
                f"stderr in the cost chapter: {out.get('text', '')[:300]}"
            )


def test_the_bar_chart_is_drawn(nb):
    images = [
        out for cell in nb.cells if "plot_costs(" in cell.get("source", "")
        for out in cell.get("outputs", []) if "image/png" in out.get("data", {})
    ]
    assert len(images) == 1


def test_the_stated_size_and_settings(g):
    assert g["size"] == 2**23
    assert g["size_mib"] == pytest.approx(32.0)
    assert g["threads"] == 1
    assert isinstance(g["repeats"], int) and g["repeats"] >= 3


def test_the_cache_statement_matches_the_machine(g):
    from acttutor.cost import last_level_cache_bytes

    cache = last_level_cache_bytes()
    verdict = g["cache_verdict"]
    if cache is None:
        assert "does not report" in verdict
    elif 2 * g["size"] * 4 > cache:
        assert "larger than" in verdict and f"({cache / 2**20:.0f} MiB)" in verdict
    else:
        assert "fit in" in verdict


def test_every_elementwise_catalog_function_is_measured_or_explained(g, costs):
    from acttutor.cost import elementwise_activations

    expected = set(elementwise_activations())
    skipped = set(_names(g["skipped"]))
    assert set(costs) | skipped == expected
    assert not set(costs) & skipped
    assert skipped == {"linear"}
    assert g["n_measured"] == len(costs)
    for alias in ("swish", "hard_swish", "softmax", "glu"):
        assert alias not in costs


def test_every_ratio_is_a_sane_measurement(g, costs):
    for name, row in costs.items():
        assert _positive(row["forward"]), name
        assert _positive(row["forward_backward"]), name
        assert row["forward"] < 1e4 and row["forward_backward"] < 1e4, name
    for key in ("control_fwd", "control_fb", "identity_gbs", "copy_gbs_min", "copy_gbs_max",
                "sigmoid_over_relu", "tanh_over_relu"):
        assert _positive(g[key]), key
    assert g["copy_gbs_min"] <= g["copy_gbs_max"]


def test_kernels_and_traffic_on_the_page_are_those_of_the_functions(costs):
    from acttutor.cost import elementwise_activations, kernels, traffic

    fns = elementwise_activations()
    for name, row in costs.items():
        assert row["kernels"] == len(kernels(fns[name])), name
        assert row["traffic"] == pytest.approx(traffic(fns[name]), abs=1e-4), name


def test_the_classification_follows_the_stated_rule(g, costs):
    from acttutor.cost import MEMORY_BOUND_MAX, classify

    assert g["limit"] == MEMORY_BOUND_MAX
    for name, row in costs.items():
        assert row["bound"] == classify(row["forward"], row["traffic"]), name
    memory = [n for n, r in costs.items() if r["bound"] == "memory"]
    compute = [n for n, r in costs.items() if r["bound"] == "compute"]
    assert _names(g["memory_names"]) == memory
    assert _names(g["compute_names"]) == compute
    assert g["n_memory"] + g["n_compute"] == len(costs)
    assert g["n_memory"] == len(memory)


def test_the_special_function_counts(g, costs):
    from acttutor.cost import SPECIAL_OPS, elementwise_activations, kernels

    fns = elementwise_activations()
    special = {n for n in costs if any(k in SPECIAL_OPS for k in kernels(fns[n]))}
    compute = {n for n, r in costs.items() if r["bound"] == "compute"}
    memory = set(costs) - compute
    assert g["n_compute_special"] == len(compute & special)
    assert g["n_memory_special"] == len(memory & special)
    plain = set() if g["compute_plain"] == "none" else set(_names(g["compute_plain"]))
    assert plain == compute - special
    for name in plain:
        assert name in g["compute_plain_note"]
    if not plain:
        assert g["compute_plain_note"].startswith("All of them")
    memory_special = set() if g["memory_special"] == "none" else set(_names(g["memory_special"]))
    assert memory_special == memory & special


def test_the_relu_verdict_follows_from_the_numbers(g, costs):
    relu, sig, tanh = costs["relu"], costs["sigmoid"], costs["tanh"]
    assert g["relu_fwd"] == pytest.approx(relu["forward"], rel=1e-3)
    assert g["sigmoid_fwd"] == pytest.approx(sig["forward"], rel=1e-3)
    assert g["tanh_fwd"] == pytest.approx(tanh["forward"], rel=1e-3)
    assert g["sigmoid_over_relu"] == pytest.approx(sig["forward"] / relu["forward"], rel=1e-3)
    assert g["tanh_over_relu_fb"] == pytest.approx(
        tanh["forward_backward"] / relu["forward_backward"], rel=1e-3)
    relu_cheapest = relu["forward"] < min(sig["forward"], tanh["forward"])
    assert g["relu_verdict"].startswith("Yes") == relu_cheapest
    assert (g["claim_holds"] == "the tutorial's claim holds") == relu_cheapest
    if relu_cheapest:
        rank = sorted(costs, key=lambda n: costs[n]["forward"]).index("relu") + 1
        assert f"ranks {rank} of {len(costs)}" in g["relu_verdict"]
    narrows = (sig["forward_backward"] / relu["forward_backward"]
               < sig["forward"] / relu["forward"]
               and tanh["forward_backward"] / relu["forward_backward"]
               < tanh["forward"] / relu["forward"])
    assert (g["gap_fb"] == "the gap narrows") == narrows
    from acttutor.cost import MEMORY_BOUND_MAX

    assert g["relu_floor_verdict"].startswith("within") == (relu["forward"] <= MEMORY_BOUND_MAX)


def test_identity_is_not_a_copy(g):
    # The page says tf.identity "moved nothing": its implied bandwidth must exceed that
    # of every real copy (by far: no data moves at all).
    assert g["identity_over_best"] > 2
    assert g["fastest_copy"] in ("DeepCopy", "x * 1.0", "tf.add(x, 0.0)")


def test_the_hard_sigmoid_comparison(g, costs):
    hard, sig = costs["hard_sigmoid"], costs["sigmoid"]
    assert g["hard_sigmoid_kernels"] == hard["kernels"] >= 2
    assert g["hard_sigmoid_fwd"] == pytest.approx(hard["forward"], rel=1e-3)
    noise = max(0.1, abs(g["control_fwd"] - 1.0))
    if hard["forward"] < sig["forward"] / (1 + noise):
        expected = "cheaper than"
    elif hard["forward"] <= sig["forward"] * (1 + noise):
        expected = "about as expensive as"
    else:
        expected = "more expensive than"
    assert g["hard_vs_sigmoid"] == expected
    most = max(costs, key=lambda n: costs[n]["kernels"])
    assert costs[g["most_kernels_name"]]["kernels"] == costs[most]["kernels"] == g["most_kernels"]


def test_the_takeaway_lists(g, costs):
    from acttutor.cost import MEMORY_BOUND_MAX

    near = [n for n, r in costs.items() if r["forward"] <= MEMORY_BOUND_MAX]
    assert _names(g["near_floor_names"]) == near
    assert "relu" in near or not g["relu_floor_verdict"].startswith("within")
    compute = [r["forward"] for r in costs.values() if r["bound"] == "compute"]
    if compute:
        low, high = g["compute_range"].split(" to ")
        assert float(low) == pytest.approx(min(compute), abs=0.051)
        assert float(high) == pytest.approx(max(compute), abs=0.51)


def test_the_fusion_section(g, costs):
    speedups, fused = g["fused_speedups"], g["fused_ratios"]
    multi = {n for n, r in costs.items() if r["kernels"] >= 3}
    assert set(speedups) == set(fused) == multi
    assert g["n_fused"] == len(multi)
    for name in multi:
        assert _positive(speedups[name]) and _positive(fused[name]), name
    from acttutor.cost import MEMORY_BOUND_MAX

    below = [n for n in fused if fused[n] <= MEMORY_BOUND_MAX]
    listed = [] if g["fused_memory"] == "none" else _names(g["fused_memory"])
    assert listed == below and g["n_fused_memory"] == len(below)
    best = max(speedups, key=speedups.get)
    assert g["fused_best"] == best
    assert g["fused_best_speedup"] == pytest.approx(speedups[best], rel=1e-3)
    assert g["keras_auto_xla"] in ("uses", "does not use")
    if g["pow_note"]:
        assert fused["sparse_plus"] <= MEMORY_BOUND_MAX
        assert f"{fused['sparse_plus']:.2f} copies" in g["pow_note"]
