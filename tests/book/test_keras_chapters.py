"""Claims of the 'Activations in Keras models' chapters, read from their executed outputs.

The ``book``-marked tests read the notebooks that nbmake executed (via
``nbutils.executed``) and check every number the prose states. The unmarked
tests check the static pages (summary, references) against the code.
"""

from __future__ import annotations

import inspect
import math
import re

import keras
import nbformat
import numpy as np
import pytest
import tensorflow as tf
from nbutils import ROOT, code_cells, executed, glued, outputs_text

from acttutor.activations import CATALOG

CHAPTERS = ["book/three_ways.ipynb", "book/advanced_layers.ipynb", "book/catalog.ipynb",
            "book/choosing.ipynb"]


# --- every chapter ----------------------------------------------------------------------


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_stderr_and_no_errors(chapter):
    nb = executed(chapter)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"{chapter}: {out.get('ename')}"
            assert not (out.get("output_type") == "stream" and out.get("name") == "stderr"), (
                f"{chapter} wrote to stderr: {out.get('text', '')[:300]}")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_glue_reference_is_glued(chapter):
    nb = executed(chapter)
    values = glued(nb)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    referenced = set(re.findall(r"\{glue:(?:text)?\}`([A-Za-z0-9_]+)", prose))
    assert referenced, chapter
    assert referenced <= set(values), f"{chapter}: not glued {sorted(referenced - set(values))}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_structure(chapter):
    nb = nbformat.read(ROOT / chapter, as_version=4)
    first_md = next(c for c in nb.cells if c.cell_type == "markdown").source
    assert first_md.startswith("# ")
    assert "**You will learn to**" in first_md and "**Time:**" in first_md
    first_code = code_cells(nb)[0].source
    assert "acttutor.setup()" in first_code and "sys.path" not in first_code
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None


# --- three ways ----------------------------------------------------------------------------


def test_three_ways_are_the_same_function():
    nb = executed("book/three_ways.ipynb")
    g = glued(nb)
    assert g["max_diff_after"] == 0.0
    assert g["max_diff_before"] > 0.01  # the copy is what makes them equal
    assert g["same_verdict"].startswith("exactly 0")
    assert g["params_all_equal"] is True and g["n_params"] == "109,386"
    assert (g["layers_arg"], g["layers_separate"]) == (3, 6)
    assert outputs_text(nb).count("Total params") >= 4  # summary() of each model


def test_three_ways_separate_layer_claims():
    g = glued(executed("book/three_ways.ipynb"))
    assert g["bn_max_abs_mean"] < 1e-3 and 0.9 < g["bn_min_std"] <= g["bn_max_std"] < 1.1
    assert 0.4 < g["zero_share_bn"] < 0.6
    assert g["share_negative"] == g["share_zero"]
    assert g["pre_diff"] < 1e-5


# --- advanced layers -------------------------------------------------------------------------


def test_tutorial_model_warns_and_modern_model_does_not():
    g = glued(executed("book/advanced_layers.ipynb"))
    assert g["n_tutorial_warnings"] >= 2
    assert "negative_slope" in g["tutorial_warnings"]
    assert "input_shape" in g["tutorial_warnings"]
    assert "Thresholded" not in g["tutorial_warnings"]  # "imported without a warning"
    assert g["n_modern_warnings"] == 0
    assert g["migration_diff"] == 0.0
    assert g["keras_version"] == keras.__version__ and g["tf_version"] == tf.__version__


def test_thresholded_relu_claims():
    g = glued(executed("book/advanced_layers.ipynb"))
    assert g["threshold_legacy_module"] == "keras.src.legacy.layers"
    assert g["threshold_import_error"].startswith("ImportError")
    assert g["threshold_max_diff"] == 0.0
    assert g["threshold_at_theta_legacy"] == [0.0, 0.0, 0.0]
    assert g["threshold_at_theta_relu"] == [0.0, 0.0, 0.0]
    assert 0 < g["neg_zero_legacy"] < g["threshold_points"]
    # the claims hold on the installed Keras too
    assert not hasattr(keras.layers, "ThresholdedReLU")


def test_leaky_relu_defaults_as_stated():
    g = glued(executed("book/advanced_layers.ipynb"))
    layer = inspect.signature(keras.layers.LeakyReLU).parameters["negative_slope"].default
    fn = inspect.signature(keras.activations.leaky_relu).parameters["negative_slope"].default
    assert (g["leaky_layer_default"], g["leaky_fn_default"]) == (layer, fn)
    assert layer != fn


def test_prelu_and_elu_claims():
    g = glued(executed("book/advanced_layers.ipynb"))
    assert 0 < g["prelu_changed"] <= g["prelu_units"] and g["prelu_max_abs_alpha"] > 0.01
    assert g["prelu_steps"] > 0
    for alpha, floor in zip((0.5, 1.0, 2.0), g["elu_floor"], strict=True):
        assert floor == pytest.approx(-alpha, rel=1e-6)
    assert g["elu_right_slopes"] == pytest.approx([1.0, 1.0, 1.0])
    assert g["elu_smooth"] == [False, True, False]


def test_custom_activation_round_trip():
    g = glued(executed("book/advanced_layers.ipynb"))
    assert g["roundtrip_diff"] == 0.0
    assert g["registered_name"] == "acttutor>scaled_tanh"
    assert "Could not locate function 'plain_scaled_tanh'" in g["load_error"]
    assert g["load_error_type"] in ("TypeError", "ValueError")


# --- catalog ----------------------------------------------------------------------------------


def test_catalog_chapter_lists_everything():
    g = glued(executed("book/catalog.ipynb"))
    assert g["n_activations"] == len(CATALOG)
    assert g["catalog_complete"] is True
    assert "swish = silu" in g["aliases"] and "hard_swish = hard_silu" in g["aliases"]
    assert g["n_elementwise"] == len({e.name for e in CATALOG.values() if e.elementwise})
    assert g["n_vector"] == len({e.name for e in CATALOG.values() if not e.elementwise})
    assert g["n_aliases"] == sum(1 for k, e in CATALOG.items() if e.name != k)
    assert g["elementwise_flag_disagreements"] == 0


def _names(text: str) -> set[str]:
    return {n.strip() for n in text.split(",") if n.strip()}


def test_catalog_property_lists_match_the_code_and_known_facts():
    g = glued(executed("book/catalog.ipynb"))
    names = {e.name for e in CATALOG.values() if e.elementwise}
    props = {n: CATALOG[n].properties for n in names}
    assert _names(g["non_monotonic"]) == {n for n, p in props.items() if not p.monotonic}
    assert {"gelu", "silu", "mish"} <= _names(g["non_monotonic"])
    assert "relu" not in _names(g["non_monotonic"])
    zero = _names(g["zero_centred"])
    assert {"tanh", "selu"} <= zero and not {"relu", "sigmoid", "elu", "gelu"} & zero
    assert {"sigmoid", "tanh"} <= _names(g["bounded_both"])
    assert "relu" not in _names(g["bounded_both"])
    assert _names(g["discontinuous"]) == {"threshold", "hard_shrink"}
    smooth = _names(g["smooth_names"])
    assert len(smooth) == g["n_smooth"] and "elu" in smooth and "selu" not in smooth
    assert "relu" not in smooth
    assert g["cost_gelu"] > 0 and g["cost_sigmoid"] > 0


def test_catalog_vector_valued_and_namespaces():
    g = glued(executed("book/catalog.ipynb"))
    assert g["softmax_zeros"] == 0 and g["glu_out_len"] == 3
    assert g["sparsemax_reference_zeros"] == 3
    assert g["n_paired"] == g["n_paired_same"] > 10
    assert "crelu" in _names(g["tf_only"])
    assert "leaky_relu (negative_slope=0.2 vs alpha=0.2)" in g["params_differ"]
    assert g["n_keras_only"] + g["n_paired"] == len(CATALOG)
    assert g["exp_gap"] == 0.0


def _sparsemax_reference(z: np.ndarray) -> np.ndarray:
    """Martins & Astudillo (2016), Algorithm 1, written independently of the notebook."""
    out = np.zeros_like(z, dtype=np.float64)
    for i, row in enumerate(np.asarray(z, dtype=np.float64)):
        for k in range(len(row), 0, -1):
            top = np.sort(row)[::-1][:k]
            tau = (top.sum() - 1) / k
            if top[-1] > tau:
                out[i] = np.maximum(row - tau, 0)
                break
    return out


def test_sparsemax_verdict_matches_the_installed_keras():
    g = glued(executed("book/catalog.ipynb"))
    z = np.random.default_rng(3).normal(size=(200, 6)).astype(np.float32)
    ok = np.allclose(np.asarray(keras.activations.sparsemax(z)), _sparsemax_reference(z),
                     atol=1e-5)
    assert g["sparsemax_verdict"].startswith("agrees") == ok
    assert (g["sparsemax_agree_share"] == 1.0) == ok
    assert np.allclose(_sparsemax_reference(z).sum(axis=1), 1.0)


def test_modern_activation_numbers():
    g = glued(executed("book/catalog.ipynb"))
    assert -0.18 < g["gelu_dip"] < -0.16 and -0.29 < g["silu_dip"] < -0.27
    assert -0.32 < g["mish_dip"] < -0.30
    assert 0 < g["gelu_tanh_gap"] < 1e-3
    assert g["softplus_gap"] == pytest.approx(math.log(2), rel=1e-6)
    assert g["selu_scale"] == pytest.approx(1.0507, abs=1e-4)
    assert g["selu_floor"] == pytest.approx(-1.0507 * 1.6733, abs=1e-3)


def test_selu_self_normalises_and_the_others_do_not():
    g = glued(executed("book/catalog.ipynb"))
    # "The claim holds here": mean near 0 and std near 1 through all 30 layers
    assert g["selu_max_abs_mean"] < 0.05 and g["selu_max_std_dev"] < 0.1
    assert g["tanh_lecun_normal_std30"] < 0.5  # "shrinks"
    assert g["relu_lecun_normal_std30"] < 1e-3  # "collapses"
    assert g["relu_he_normal_std30"] > 0.3 and g["relu_he_normal_mean30"] > 0.1


# --- choosing -------------------------------------------------------------------------------------


def test_hidden_layer_rules():
    g = glued(executed("book/choosing.ipynb"))
    assert g["deep_ratio_sigmoid"] < 1e-2  # vanishing gradient
    assert g["deep_ratio_relu"] > 0.1 and g["deep_ratio_tanh"] > 0.1
    acc = {a: g[f"deep_acc_{a}"] for a in ("sigmoid", "tanh", "relu")}
    assert acc["sigmoid"] < min(acc["tanh"], acc["relu"])
    assert g["deep_best"] == max(acc, key=acc.get)
    assert g["dying_zero_relu"] > 0.1 and g["dying_zero_relu"] == g["dying_inactive_relu"]
    assert g["dying_after_relu"] >= g["dying_zero_relu"] - 1e-9  # dead units stay dead
    # Leaky ReLU's slope below zero is a constant; ELU's e^z only underflows far below zero.
    assert g["dying_zero_leaky_relu"] == 0.0
    assert g["dying_zero_elu"] < g["dying_zero_relu"] / 2
    assert g["dying_inactive_leaky_relu"] > 0 and g["dying_inactive_elu"] > 0
    assert g["lstm_activation"] == "tanh"
    assert g["rnn_tanh_max"] <= 1.0 and g["rnn_relu_15"] > 1e3 > g["rnn_relu_10"]
    assert g["gelu_smooth"] is True and g["relu_smooth"] is False
    # the forward signal of the sigmoid stack collapses; tanh's and ReLU's does not
    assert g["deep_spread_sigmoid"] < 1e-3
    assert g["deep_spread_sigmoid"] < min(g["deep_spread_tanh"], g["deep_spread_relu"]) / 100


def test_elu_gradient_cut_off_and_recovery_words():
    from acttutor.diagnostics import recovery_verdict

    g = glued(executed("book/choosing.ipynb"))
    assert g["elu_grad_175"] == 0.0 and g["selu_grad_175"] == 0.0
    assert g["float32_spacing_below_1"] == 2.0**-24
    assert g["elu_grad_17"] == 2.0**-24  # "coarse": one float32 step, not e^-17
    assert g["elu_exact_17"] == pytest.approx(math.exp(-17.0))
    assert g["elu_cutoff_predicted"] == pytest.approx(-25 * math.log(2))
    assert g["elu_cutoff"] == pytest.approx(g["elu_cutoff_predicted"], abs=1e-3)
    for key in ("leaky_relu", "elu"):
        assert g[f"dying_recovery_{key}"] == recovery_verdict(
            g[f"dying_inactive_{key}"], g[f"dying_after_{key}"])


def test_initialiser_rules_are_the_derived_ones():
    g = glued(executed("book/choosing.ipynb"))
    alpha = keras.layers.LeakyReLU().negative_slope
    assert g["leaky_alpha"] == pytest.approx(alpha)
    assert g["leaky_scale"] == pytest.approx(2 / (1 + alpha**2))
    assert g["sigmoid_at_0"] == 0.5 and g["sigmoid_slope_0"] == pytest.approx(0.25)


def test_choosing_prose_states_the_corrected_rules():
    nb = nbformat.read(ROOT / "book" / "choosing.ipynb", as_version=4)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for stale in ("Glorot for tanh/sigmoid", "| tanh, sigmoid |", "nothing can revive it",
                  "Units with a gradient *can* come back", "smallest positive float32",
                  "scales to\ndepth", "the early layers hardly learn"):
        assert stale not in prose, stale
    for cite in ("he2016deep", "shazeer2020glu", "chowdhery2022palm", "touvron2023llama",
                 "kingma2015adam"):
        assert cite in prose, cite
    assert "residual connection" in prose and "1 + \\alpha^2" in prose


def test_initialiser_pairing_claims():
    g = glued(executed("book/choosing.ipynb"))
    assert g["init_std_he"] / g["init_std_glorot"] == pytest.approx(math.sqrt(2), rel=0.05)
    he, glorot = g["pair_relu_he_normal_std"], g["pair_relu_glorot_normal_std"]
    assert he > 0.1 and he / glorot > 100  # "by orders of magnitude"
    assert g["pair_relu_he_normal_grad"] / g["pair_relu_glorot_normal_grad"] > 100
    assert g["pair_tanh_glorot_normal_std"] < g["pair_tanh_he_normal_std"]
    assert g["pair_tanh_he_normal_grad"] > g["pair_tanh_glorot_normal_grad"]
    assert 0.8 < g["pair_selu_lecun_normal_std"] < 1.2
    assert g["pair_selu_he_normal_std"] > 2 and (
        g["pair_selu_he_normal_grad"] > g["pair_selu_lecun_normal_grad"])


def test_output_layer_rules():
    g = glued(executed("book/choosing.ipynb"))
    assert g["bin_softmax_distinct"] == 1 and g["bin_softmax_acc"] == 0.5
    assert g["bin_sigmoid_acc"] > 0.8
    assert g["bin_softmax_loss_last"] < g["bin_softmax_loss_first"]  # "even falls"
    assert g["multi_sum_gap"] < 1e-5 and g["multi_loss_gap"] < 1e-6
    assert g["ml_softmax_most"] == 1 and g["ml_sigmoid_exact"] > g["ml_softmax_exact"]
    assert 0.05 < g["ml_all_three"] < 0.25
    assert g["reg_sigmoid_max"] < 1.0 and g["reg_mse_linear"] < 0.1
    assert g["reg_mse_sigmoid"] >= g["reg_floor"] - 1e-3


def test_from_logits_claims():
    g = glued(executed("book/choosing.ipynb"))
    assert g["logit_exact"] == pytest.approx(60.0, rel=1e-6)
    assert g["logit_from_logits"] == pytest.approx(g["logit_exact"], rel=1e-5)
    assert g["logit_clipped"] == pytest.approx(g["logit_clip_value"], rel=1e-5)
    assert g["logit_keras_softmax"] == pytest.approx(g["logit_exact"], rel=1e-5)
    assert g["logit_keras_times_one"] == pytest.approx(g["logit_clip_value"], rel=1e-5)
    assert g["grad_probs_norm"] == 0.0
    assert g["grad_logits_norm"] == pytest.approx(math.sqrt(2), rel=1e-4)
    assert g["handmade_loss"] in ("nan", "inf")
    assert g["logit_model_acc"] > 0.8


# --- summary and references (static pages) ---------------------------------------------------


def _summary_rows() -> list[list[str]]:
    text = (ROOT / "book" / "summary.md").read_text()
    rows = []
    for line in text.splitlines():
        if line.startswith("| `"):
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))])
    return rows


def test_summary_rows_agree_with_the_catalog():
    rows = _summary_rows()
    checked = 0
    for name_cell, formula, kind, *_ in rows:
        name = re.match(r"`([A-Za-z_0-9]+)`", name_cell).group(1)
        if name not in CATALOG:  # the PReLU layer
            continue
        entry = CATALOG[name]
        assert formula == f"${entry.formula}$", name
        if not entry.elementwise:
            continue
        p = entry.properties
        expected = {
            (True, True): "bounded both sides", (True, False): "bounded below only",
            (False, True): "bounded above only", (False, False): "unbounded both sides",
        }[(p.bounded_below, p.bounded_above)]
        assert kind.startswith(expected), f"{name}: summary says {kind!r}, measured {expected!r}"
        assert ("non-negative" in kind) == (p.low >= 0.0), name
        assert ("zero-centred" in kind) == p.zero_centred, name
        checked += 1
    assert checked >= 14


def test_summary_links_to_existing_chapters():
    text = (ROOT / "book" / "summary.md").read_text()
    for doc in set(re.findall(r"\{doc\}`([a-z_/0-9]+)`", text)):
        assert (ROOT / "book" / f"{doc}.ipynb").exists() or (ROOT / "book" / f"{doc}.md").exists()


def test_references_bib_has_the_papers_and_every_citation_resolves():
    pybtex = pytest.importorskip("pybtex.database")
    bib = pybtex.parse_file(str(ROOT / "references.bib"))
    expected = {
        "nair2010rectified": ("Nair", "2010"), "glorot2011deep": ("Glorot", "2011"),
        "maas2013rectifier": ("Maas", "2013"), "he2015delving": ("He", "2015"),
        "clevert2015fast": ("Clevert", "2015"), "klambauer2017self": ("Klambauer", "2017"),
        "hendrycks2016gaussian": ("Hendrycks", "2016"),
        "ramachandran2017searching": ("Ramachandran", "2017"),
        "misra2019mish": ("Misra", "2019"), "glorot2010understanding": ("Glorot", "2010"),
    }
    for key, (author, year) in expected.items():
        entry = bib.entries[key]
        assert entry.persons["author"][0].last_names[0] == author and entry.fields["year"] == year
    assert [str(p) for p in bib.entries["glorot2011deep"].persons["author"]] == [
        "Glorot, Xavier", "Bordes, Antoine", "Bengio, Yoshua"]
    cited: set[str] = set()
    for chapter in CHAPTERS:
        nb = nbformat.read(ROOT / chapter, as_version=4)
        for cell in nb.cells:
            for keys in re.findall(r"\{cite\}`([^`]+)`", cell.source):
                cited |= {k.strip() for k in keys.split(",")}
    assert cited and cited <= set(bib.entries), sorted(cited - set(bib.entries))
    assert set(expected) <= cited


def test_references_page_and_config():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert "references.bib" in config["bibtex_bibfiles"]
    assert "```{bibliography}" in (ROOT / "book" / "references.md").read_text()
