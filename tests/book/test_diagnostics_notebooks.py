"""The diagnostics chapter: structure, and the claims in the prose.

Structure tests read the committed notebook; claim tests read the executed one. Exercises 4
and 5 are tested with the other exercise notebooks, in ``test_exercise_notebooks.py``.
"""

from __future__ import annotations

import math
import re

import nbformat
import numpy as np
import pytest
from nbutils import (
    ROOT,
    code_cells,
    executed,
    glued,
)

CHAPTER = "book/diagnostics.ipynb"


def _read(relpath):
    return nbformat.read(ROOT / relpath, as_version=4)


def _stderr(nb):
    return [
        out.get("text", "") or out.get("ename", "")
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if (out.get("output_type") == "stream" and out.get("name") == "stderr")
        or out.get("output_type") == "error"
    ]


def _images(cell):
    return sum("image/png" in out.get("data", {}) for out in cell.get("outputs", []))


def _text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif "data" in out:
            parts.append(out["data"].get("text/plain", ""))
    return "\n".join(parts)


def _cell(nb, needle):
    return next(c for c in nb.cells if c.cell_type == "code" and needle in c.source)


def _glue_refs(nb):
    refs = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            refs |= set(re.findall(r"\{glue:(?:text)?\}`([A-Za-z0-9_]+)", cell.source))
    return refs


# --------------------------------------------------------------------------- structure (fast)


def test_stored_without_outputs_and_set_up_first():
    nb = _read(CHAPTER)
    code = code_cells(nb)
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert "acttutor.setup(" in code[0].source
    assert "sys.path" not in "".join(c.source for c in code)
    assert "Estimated time" in nb.cells[0].source and "Prerequisites" in nb.cells[0].source


def test_every_glued_name_in_the_chapter_prose_is_glued_by_a_cell():
    nb = _read(CHAPTER)
    code = "".join(c.source for c in nb.cells if c.cell_type == "code")
    refs = _glue_refs(nb)
    assert len(refs) >= 25
    missing = [r for r in refs if f'glue("{r}"' not in code and f"(\"{r}\"" not in code
               and f'("{r}", ' not in code]
    assert not missing


# --------------------------------------------------------------------------- the chapter


@pytest.fixture(scope="module")
def chapter():
    return executed(CHAPTER)


def test_chapter_runs_clean_and_every_reference_is_glued(chapter):
    assert not _stderr(chapter)
    g = glued(chapter)
    assert _glue_refs(chapter) <= set(g)


def test_chapter_figures_are_shown_once_each(chapter):
    figure_cells = [c for c in chapter.cells if c.cell_type == "code"
                    and "plotting.plot_" in c.source]
    assert len(figure_cells) == 5
    assert all(_images(c) == 1 for c in figure_cells)


def test_demo_layer_dead_versus_zero(chapter):
    g = glued(chapter)
    w = np.array([[1.0, -1.0, 0.5, 1.0], [0.0, 1.0, 0.5, 1.0]])
    b = np.array([0.0, 0.0, -10.0, 0.5])
    x = np.array([[1.0, 2.0], [-1.0, 0.5], [2.0, -3.0]])
    out = np.maximum(x @ w + b, 0)
    assert g["demo_zero_share"] == pytest.approx(np.mean(out == 0))
    assert g["demo_dead"] == pytest.approx(np.mean(np.all(out == 0, axis=0)))
    assert (out == 0).any(axis=0).all()  # "every unit is 0 somewhere"
    assert g["demo_dead"] == 0.25  # "only one unit" of four


def test_dying_relu_is_shown_happening(chapter):
    g = glued(chapter)
    assert 0 <= g["dead_before_mean"] < g["dead_after_mean"]
    assert g["dead_after_mean"] > g["dead_before_mean"] + 0.1
    assert g["dead_worst"] >= g["dead_after_mean"]
    assert re.fullmatch(r"hidden_\d+", g["dead_worst_layer"])
    # "fewer units fire, and those that do fire harder"
    assert g["n_hidden"] == 10 and g["zeros_grew"] > g["n_hidden"] / 2
    assert g["max_after"] > g["max_before"]
    # "a dead unit gets no gradient"
    assert g["dead_on_train"] > 0 and g["dead_cols_zero"] is True
    text = _text(_cell(chapter, "dead_on_train = np.all"))
    assert "all exactly 0: True" in text


def test_mitigation_verdicts_follow_from_the_numbers(chapter):
    g = glued(chapter)
    # "Leaky ReLU and ELU keep their units in play"
    assert g["inactive_leaky"] < g["inactive_relu"] - 0.1
    assert g["inactive_elu"] < g["inactive_relu"] - 0.1
    assert g["inactive_relu"] == pytest.approx(g["dead_after_mean"])  # same network, same probe

    def verdict(value):
        diff = value - g["inactive_relu"]
        return "lowered" if diff <= -0.05 else "raised" if diff >= 0.05 else "hardly changed"

    assert g["he_verdict"] == verdict(g["inactive_he"])
    assert g["low_verdict"] == verdict(g["inactive_low"])
    accs = {"relu": g["acc_relu"], "leaky": g["acc_leaky"], "elu": g["acc_elu"],
            "he": g["acc_he"], "low": g["acc_low"]}
    labels = {"relu": "ReLU, lr 0.01", "leaky": "Leaky ReLU, lr 0.01", "elu": "ELU, lr 0.01",
              "he": "ReLU + He init, lr 0.01", "low": "ReLU, lr 0.001"}
    assert g["best_acc_label"] == labels[max(accs, key=accs.get)]
    inactive = {k: g[f"inactive_{k}"] for k in labels}
    assert g["fewest_label"] == labels[min(inactive, key=inactive.get)]
    if g["acc_leaky"] < g["acc_low"] - 0.02:
        assert g["leaky_claim"].startswith("It does not make a too-high learning rate harmless")
    else:
        assert g["leaky_claim"].startswith("Here it even keeps up")
    if g["inactive_he"] > g["inactive_relu"] - 0.05:
        assert "not what kills units here" in g["he_comment"]
    table = _text(_cell(chapter, "Table([\"network\""))
    assert "inactive units (mean)" in table and "ReLU + He init" in table
    assert g["acc_relu"] == pytest.approx(g["relu_high_acc"])
    assert all(0.05 < a <= 1 for a in accs.values())


def test_sigmoid_gradient_vanishes_by_orders_of_magnitude(chapter):
    g = glued(chapter)
    assert g["sigmoid_orders"] == pytest.approx(math.log10(g["sig_last"] / g["sig_first"]),
                                                abs=1e-9)
    assert g["sigmoid_orders"] > 3
    assert g["others_orders"] < 1.5 and g["others_orders"] < g["sigmoid_orders"] - 2
    assert g["sigmoid_orders_trained"] > 3  # "training does not repair"
    assert g["sigmoid_acc"] < 0.3 and g["flow_best"] != "sigmoid"
    assert g["flow_best_acc"] > g["sigmoid_acc"] + 0.2
    assert g["sigmoid_slope_max"] == pytest.approx(0.25, abs=1e-4)
    assert g["sigmoid_estimate"] == pytest.approx(10 * math.log10(4), abs=1e-2)
    by_hand = _text(_cell(chapter, "grad = tape.gradient(loss, first.kernel)"))
    values = re.findall(r"(?:by hand|gradient_norms):\s+(\S+)", by_hand)
    assert len(values) == 2 and float(values[0]) == pytest.approx(float(values[1]), rel=1e-4)
    assert float(values[0]) == pytest.approx(g["sig_first"], rel=1e-3)
    table = _text(_cell(chapter, "def orders(norms)"))
    assert all(name in table for name in ("sigmoid", "tanh", "relu", "gelu"))
