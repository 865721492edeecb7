"""Tests for the five core-activation chapters (ReLU, sigmoid, tanh, Leaky ReLU, softmax).

* Structure tests read the committed notebooks (structure, exercise cells, glue
  references). The plotting helpers the chapters use are tested in ``tests/unit/plots/``.
* Claim tests read the *executed* notebooks through ``nbutils.executed``
  and check every claim the prose makes against an independent computation, or run the
  chapters' exercise sections with the reference solutions filled in
  (``run_sections_with_solutions``).
"""

from __future__ import annotations

import ast
import inspect
import math
import re

import matplotlib
import nbformat
import numpy as np
import pytest
from nbutils import (
    ROOT,
    executed,
    exercise_section,
    glued,
    is_finished_call,
    outputs_text,
    run_sections_with_solutions,
)

matplotlib.use("Agg")

CHAPTERS = {
    "book/relu.ipynb": "implement_relu",
    "book/sigmoid.ipynb": "implement_sigmoid",
    "book/tanh.ipynb": "implement_tanh",
    "book/leaky_relu.ipynb": "implement_leaky_relu",
    "book/softmax.ipynb": "implement_softmax",
}
GLUE_REF = re.compile(r"\{glue(?::text|:md|:any)?\}`([A-Za-z0-9_]+)(?::[^`]*)?`")


def _source(path: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / path, as_version=4)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _sigmoid_prime(x: float) -> float:
    return math.exp(-x) / (1.0 + math.exp(-x)) ** 2


def _softmax(z) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max())
    return e / e.sum()


# --- structure of the committed notebooks (fast) -------------------------------------------------


@pytest.mark.parametrize("path", CHAPTERS)
def test_chapter_frame_and_setup(path):
    nb = _source(path)
    first_md = next(c for c in nb.cells if c.cell_type == "markdown").source
    assert first_md.startswith("# ")
    for part in ("You will learn", "Prerequisites", "Estimated time"):
        assert part in first_md, f"{path}: the learner's frame lacks {part!r}"
    # The first code cell after the optional Colab install cell (tagged colab-install).
    first_code = next(c for c in nb.cells if c.cell_type == "code"
                      and "colab-install" not in c.get("metadata", {}).get("tags", [])).source
    assert "acttutor.setup()" in first_code
    assert "sys.path" not in "".join(c.source for c in nb.cells)


@pytest.mark.parametrize("path", CHAPTERS)
def test_committed_without_outputs(path):
    for cell in _source(path).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path


@pytest.mark.parametrize(("path", "name"), CHAPTERS.items())
def test_exercise_cells(path, name):
    cells = _source(path).cells
    tagged = [i for i, c in enumerate(cells)
              if f"exercise:{name}" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path}: exactly one cell tagged exercise:{name}"
    i = tagged[0]
    assert "exercise" in cells[i].metadata.tags
    assert "raise NotImplementedError" in cells[i].source  # placeholder: not_attempted
    later = [c for c in cells[i + 1:] if c.cell_type == "code"]
    assert later[0].source.rstrip().endswith(f"{name}.check(my_{name.split('_', 1)[1]})")
    solution = [c for c in later if f"{name}.solution()" in c.source]
    # solution() shows itself collapsed (a <details> element), in Jupyter as in the HTML:
    # the cell's output must be shown, not hidden behind a second toggle.
    assert solution and not {"hide-output", "remove-output"} & set(
        solution[0].metadata.get("tags", []))
    assert any(f"{name}.hint()" in c.source for c in later)
    markdown_after = "".join(c.source for c in cells[i + 1:] if c.cell_type == "markdown")
    assert "Stuck? Expand the reference solution below." in markdown_after


@pytest.mark.parametrize(("path", "name"), CHAPTERS.items())
def test_solution_is_a_drop_in_replacement(path, name):
    import acttutor.exercises as exercises

    ex = getattr(exercises, name)
    placeholder = next(c.source for c in _source(path).cells
                       if f"exercise:{name}" in c.get("metadata", {}).get("tags", []))
    defined = re.findall(r"^def (\w+)\(", placeholder, flags=re.M)
    assert defined == [ex.answer_name]
    assert f"def {ex.answer_name}(" in ex.solution_code
    assert ex.check(ex.reference()).passed


def _glue_values_names(nb: nbformat.NotebookNode) -> set[str]:
    """The names a notebook stores with ``glue_values(name=value, ...)`` calls."""
    names: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # a cell with IPython magics
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "glue_values":
                names |= {kw.arg for kw in node.keywords if kw.arg}
    return names


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_glue_reference_is_glued_by_a_cell(path):
    nb = _source(path)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    refs = set(GLUE_REF.findall(markdown))
    assert refs, f"{path}: the prose should quote computed values"
    glued_names = set(re.findall(r"glue\(\s*f?[\"']([A-Za-z0-9_{}.]+)[\"']", code))
    literal = {g for g in glued_names if "{" not in g} | _glue_values_names(nb)
    patterns = [re.compile(re.sub(r"\{[^}]+\}", r"[A-Za-z0-9_]+", g) + "$")
                for g in glued_names if "{" in g]
    missing = {r for r in refs if r not in literal and not any(p.match(r) for p in patterns)}
    assert not missing, f"{path}: prose refers to values no cell glues: {sorted(missing)}"


@pytest.mark.parametrize("path", CHAPTERS)
def test_plots_go_through_acttutor_plotting(path):
    code = "\n".join(c.source for c in _source(path).cells if c.cell_type == "code")
    assert "import matplotlib" not in code and "plt." not in code
    assert "from acttutor.plotting import" in code


def test_relu_chapter_shows_the_gradient_tape_lines():
    code = "\n".join(c.source for c in _source("book/relu.ipynb").cells if c.cell_type == "code")
    assert "with tf.GradientTape() as tape:" in code and "tape.gradient(" in code


def test_softmax_formula_sums_over_all_classes():
    markdown = "\n".join(c.source for c in _source("book/softmax.ipynb").cells
                         if c.cell_type == "markdown")
    assert r"\sum_{j=1}^{K} e^{z_j}" in markdown
    assert "for all j in the same class" in markdown and "wrong" in markdown


# --- executed notebooks: shared checks -----------------------------------------------------------


@pytest.mark.parametrize("path", CHAPTERS)
def test_no_errors_or_stderr_and_figures_render(path):
    nb = executed(path)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"{path}: {out.get('ename')}"
            assert not (out.output_type == "stream" and out.name == "stderr"), out.text
    figure_cells = [c for c in nb.cells if c.cell_type == "code"
                    and re.search(r"^plot_\w+\(", c.source, flags=re.M)]
    assert figure_cells, f"{path} draws no figure"
    for cell in figure_cells:
        kinds = [set(o.get("data", {})) for o in cell.outputs if "data" in o]
        assert any("image/png" in k or "image/svg+xml" in k for k in kinds), (
            f"{path}: the cell {cell.source.splitlines()[0]!r} shows no image; figures "
            "returned as a cell's value must render as images (see acttutor.setup())."
        )


@pytest.mark.parametrize(("path", "name"), CHAPTERS.items())
def test_exercise_check_reports_not_attempted(path, name):
    nb = executed(path)
    check_cell = next(c for c in nb.cells if c.cell_type == "code"
                      and c.source.rstrip().endswith(f"{name}.check(my_{name.split('_', 1)[1]})"))
    shown = "".join(o.get("data", {}).get("text/markdown", "") for o in check_cell.outputs)
    assert "Not attempted yet" in shown
    # The reference solution is shown, but collapsed: a closed <details> element naming it.
    solution_cell = next(c for c in nb.cells if c.cell_type == "code"
                         and f"{name}.solution()" in c.source)
    html = "".join(o.get("data", {}).get("text/html", "") for o in solution_cell.outputs)
    assert html.lstrip().startswith("<details"), html[:200]
    assert " open" not in html.split(">", 1)[0], "the solution must start collapsed"
    assert f"reference solution for {name}" in html


@pytest.fixture(scope="module")
def strict_runs():
    """Each chapter's exercise section with the reference solution, run in strict mode.

    The setup cell and the exercise section: no cell above the exercise can use it. The
    five sections share one kernel, each after ``%reset -f`` (nbutils).
    """
    return run_sections_with_solutions(list(CHAPTERS))


@pytest.mark.parametrize(("path", "name"), CHAPTERS.items())
def test_exercise_runs_with_the_reference_solution_in_strict_mode(strict_runs, path, name):
    cells = strict_runs[path]
    assert cells[0].source.count("acttutor.setup(") == 1
    assert len(cells) == len([c for c in exercise_section(_source(path)).cells
                              if not is_finished_call(c)])
    errors = [o for c in cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == [], "\n".join(e.ename + ": " + e.evalue for e in errors)  # strict check
    check_cell = next(c for c in cells if c.cell_type == "code" and f"{name}.check(" in c.source)
    shown = "".join(o.get("data", {}).get("text/markdown", "") for o in check_cell.outputs)
    assert "Correct" in shown


# --- ReLU ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def relu():
    nb = executed("book/relu.ipynb")
    return glued(nb), outputs_text(nb)


def test_relu_derivative_from_the_tape(relu):
    g, text = relu
    assert g["relu_grad_at_0"] == 0.0
    assert "relu'(x)  [0. 0. 0. 1. 1.]" in text


def test_relu_speed_measurement_runs_and_verdict_matches(relu):
    g, _ = relu
    sig, tanh = g["relu_sigmoid_ratio"], g["relu_tanh_ratio"]
    assert all(math.isfinite(r) and r > 0 for r in (sig, tanh))
    fastest = min(sig, tanh) > 1.0
    assert ("was the fastest" in g["relu_speed_verdict"]) == fastest
    if fastest:
        assert f"{sig:.1f}×" in g["relu_speed_verdict"]


def test_relu_dead_unit_never_recovers(relu):
    g, _ = relu
    assert g["dead_grad_abs_sum"] == 0.0
    assert g["dead_change"] == 0.0 and g["dead_output_max"] == 0.0
    assert g["dead_steps"] == 20 * math.ceil(512 / 64)
    assert g["alive_change_min"] > 0.0
    assert g["dead_loss_last"] < g["dead_loss_first"]


def test_relu_not_zero_centred(relu):
    g, _ = relu
    theory = 1 / math.sqrt(2 * math.pi)
    assert g["relu_mean_theory"] == pytest.approx(theory, rel=1e-12)
    # standard error of the mean of ReLU(Z) over 1e6 samples is about 6e-4
    assert g["relu_mean"] == pytest.approx(theory, abs=3e-3)
    assert g["relu_zero_share"] == pytest.approx(0.5, abs=3e-3)


def test_relu_same_sign_gradients_and_zigzag(relu):
    g, _ = relu
    assert g["same_sign_relu"] == 1.0 and g["same_sign_sigmoid"] == 1.0
    assert g["same_sign_tanh"] < 0.05  # about 2 / 2**8 for 8 centred inputs
    assert g["zigzag_together_pos"] == 1.0
    assert g["zigzag_together_centred"] < 0.8
    assert isinstance(g["zigzag_steps_pos"], int) and isinstance(g["zigzag_steps_centred"], int)


def test_relu_product_of_derivatives(relu):
    g, _ = relu
    assert g["prod_relu_30"] == 1.0
    assert g["sigmoid_max_slope_10"] == pytest.approx(0.25 ** 10)
    assert g["prod_sigmoid_10"] < g["sigmoid_max_slope_10"]
    assert g["prod_sigmoid_10"] < g["prod_tanh_10"] < 1.0
    # each of 10 independent units is active with probability 1/2; n = 10,000 paths
    assert g["relu_open_10"] == pytest.approx(2.0 ** -10, abs=1.5e-3)


# --- sigmoid -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sigmoid():
    return glued(executed("book/sigmoid.ipynb"))


def test_sigmoid_float32_saturation(sigmoid):
    g = sigmoid
    assert g["sig64_open"] is True
    assert g["f32_gap_below_one"] == 2.0 ** -24
    assert g["sig20_is_one"] is True and g["sig20_grad"] == 0.0
    assert g["sig20_grad64"] == pytest.approx(_sigmoid_prime(20.0), rel=1e-9)
    assert g["sigm20_value"] == pytest.approx(_sigmoid(-20.0), rel=1e-5)
    assert g["sigm20_grad"] > 0.0
    # float32 sigmoid reaches 1.0 once exp(-x) is below about 2**-24 or 2**-25
    assert 24 * math.log(2) - 0.01 <= g["sig_first_one"] <= 25 * math.log(2) + 0.01


def test_sigmoid_derivative_values(sigmoid):
    g = sigmoid
    assert g["sig_grad_0"] == pytest.approx(0.25, abs=1e-7)
    assert g["sig_grad_max"] == pytest.approx(0.25, abs=1e-7) and g["sig_grad_argmax"] == 0.0
    assert g["sig_grad_5"] == pytest.approx(_sigmoid_prime(5.0), rel=1e-4)
    # float32 loses digits in 1 - sigmoid(10); float64 is exact to rounding
    assert g["sig_grad_10_64"] == pytest.approx(_sigmoid_prime(10.0), rel=1e-9)
    assert g["sig_grad_10"] == pytest.approx(_sigmoid_prime(10.0), rel=2e-3)
    assert g["sig_grad_10"] == pytest.approx(4.5e-5, rel=0.02)
    assert g["sig_grad_ratio_10"] == pytest.approx(0.25 / g["sig_grad_10"], rel=1e-5)
    assert g["sig_grad_10_relerr"] == pytest.approx(
        abs(g["sig_grad_10"] - g["sig_grad_10_64"]) / g["sig_grad_10_64"], rel=1e-3)


def test_sigmoid_mean_and_probabilities(sigmoid):
    g = sigmoid
    assert g["sig_mean"] == pytest.approx(0.5, abs=1.5e-3)
    assert g["sig_symmetry_gap"] < 1e-6
    assert g["logit_w"] == pytest.approx(2.0, abs=0.4)
    assert g["logit_b"] == pytest.approx(-1.0, abs=0.3)
    assert g["logit_max_err"] < 0.06


# --- tanh ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tanh():
    nb = executed("book/tanh.ipynb")
    return glued(nb), outputs_text(nb)


def test_tanh_range_mean_and_derivative(tanh):
    g, _ = tanh
    assert g["tanh64_open"] is True and g["tanh10_is_one"] is True and g["tanh10_grad"] == 0.0
    assert abs(g["tanh_mean"]) < 3e-3
    assert g["tanh_sigmoid_mean"] == pytest.approx(0.5, abs=1.5e-3)
    assert g["tanh_grad_0"] == 1.0
    assert g["tanh_sigmoid_peak_ratio"] == pytest.approx(4.0, abs=1e-6)
    assert g["tanh_grad_2"] == pytest.approx(1 - math.tanh(2.0) ** 2, rel=1e-4)
    assert g["tanh_grad_5"] == pytest.approx(1 - math.tanh(5.0) ** 2, rel=1e-2)
    assert g["tanh_grad_10_64"] == pytest.approx(1 / math.cosh(10.0) ** 2, rel=1e-6)


def test_tanh_identity_and_textbook_overflow(tanh):
    g, text = tanh
    assert g["identity_gap_float64"] < 1e-14
    assert g["identity_gap_float32"] < 1e-6
    assert g["textbook_nan_at_1000"] is True
    assert g["largest_float64"] == float(np.finfo(np.float64).max)
    assert "warning: overflow encountered in exp" in text


def test_tanh_convergence_experiment_verdicts_follow_the_numbers(tanh):
    g, _ = tanh
    finals = [g["final_sigmoid"], g["final_tanh"], g["final_tanh_plus_1"]]
    assert all(0.0 < f < 1.0 for f in finals)
    assert g["slope_ratio"] == pytest.approx(g["final_sigmoid"] / g["final_tanh"], rel=1e-9)
    assert g["centring_ratio"] == pytest.approx(g["final_tanh_plus_1"] / g["final_tanh"],
                                                rel=1e-9)
    slope, centring = g["tanh_verdict"], g["centring_verdict"]
    if "clearly faster" in slope:
        assert g["slope_ratio"] > 1.5
    elif "somewhat faster" in slope:
        assert g["slope_ratio"] > 1.1
    elif "sigmoid converged faster" in slope:
        assert g["slope_ratio"] < 0.9
    else:
        assert "about equally" in slope and 0.9 <= g["slope_ratio"] <= 1.1
    if "little difference" in centring:
        assert 0.8 <= g["centring_ratio"] <= 1.25
    elif "helped" in centring:
        assert g["centring_ratio"] > 1.25
    else:
        assert "did better" in centring and g["centring_ratio"] < 0.8
    assert abs(g["hidden_mean_tanh"]) < g["hidden_mean_tanh_plus_1"]  # the control is shifted


# --- Leaky ReLU ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def leaky():
    nb = executed("book/leaky_relu.ipynb")
    return glued(nb), outputs_text(nb)


def test_leaky_defaults_are_read_from_the_live_library(leaky):
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    g, text = leaky
    assert g["default_tf_nn"] == inspect.signature(tf.nn.leaky_relu).parameters["alpha"].default
    assert g["default_keras_fn"] == inspect.signature(
        keras.activations.leaky_relu).parameters["negative_slope"].default
    assert g["default_keras_layer"] == inspect.signature(
        keras.layers.LeakyReLU).parameters["negative_slope"].default
    assert (g["default_tf_nn"], g["default_keras_fn"], g["default_keras_layer"]) == (0.2, 0.2, 0.3)
    assert "keras.layers.LeakyReLU         negative_slope = 0.3" in text


def test_leaky_gradient_mean_and_max_form(leaky):
    g, text = leaky
    assert g["leaky_grad_is_alpha"] is True
    assert g["leaky_grad_at_0"] == pytest.approx(0.2, abs=1e-7)
    theory = 0.8 / math.sqrt(2 * math.pi)
    assert g["leaky_mean_02_theory"] == pytest.approx(theory)
    assert g["leaky_mean_02"] == pytest.approx(theory, abs=3e-3)
    assert "alpha = 0.2: max(alpha*x, x) = [-0.4  3. ],  leaky relu = [-0.4  3. ],  equal: True" \
        in text
    assert "equal: False" in text  # alpha = 2 breaks the max form


def test_leaky_unit_keeps_learning_and_keras3_migration(leaky):
    g, _ = leaky
    assert g["leaky_dead_grad"] > 0.0 and g["leaky_unit0_change"] > 0.0
    assert g["leaky_unit0_bias_after"] != -10.0
    assert g["leaky_unit0_active_share"] < 0.5  # the prose says it does not recover quickly
    assert g["alpha_kwarg_warns"] is True and g["negative_slope_warnings"] == 0


# --- softmax -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def softmax():
    nb = executed("book/softmax.ipynb")
    return glued(nb), outputs_text(nb)


TUTORIAL_ROW2 = np.array([0.04383154, 0.107864, 0.84830445])  # the tutorial's (wrong) printout


def test_softmax_corrects_the_tutorial_second_row(softmax):
    g, text = softmax
    correct = _softmax([0.1, 1.0, 3.0])
    assert np.allclose(np.array(ast.literal_eval(g["softmax_row2"])), correct, atol=5e-5)
    assert g["softmax_row2_p3"] == pytest.approx(correct[2], rel=1e-9)
    assert g["tutorial_row2_p3"] == TUTORIAL_ROW2[2]
    assert g["tutorial_row2_maxdiff"] == pytest.approx(np.abs(TUTORIAL_ROW2 - correct).max())
    assert g["tutorial_row2_maxdiff"] > 1e-3  # the tutorial really is wrong
    assert g["tutorial_row1_maxdiff"] < 1e-6  # and its first row is right
    assert g["tutorial_logratio_3"] == pytest.approx(math.log(TUTORIAL_ROW2[2] / TUTORIAL_ROW2[0]))
    assert g["logit_diff_3"] == pytest.approx(2.9)
    assert "0.04622407" in text and "0.84008306" in text


def test_softmax_properties(softmax):
    g, text = softmax
    assert g["row_sum_gap"] < 1e-6
    assert g["shift_gap_max"] < 1e-5
    assert g["naive_is_nan"] is True and "naive : [nan nan nan]" in text
    assert g["stable_p3"] == pytest.approx(_softmax([0.0, 1.0, 2.0])[2], rel=1e-12)
    assert g["softmax_dp_formula_gap"] < 1e-6
    assert g["softmax_dp_max"] == pytest.approx(0.25, abs=1e-3)
    assert g["jacobian_matches"] is True and g["grad_of_sum_max"] < 1e-6
    assert g["two_class_gap"] < 1e-6


def test_softmax_temperature(softmax):
    g, _ = softmax
    scores = np.array([2.0, 1.0, 0.1])
    assert g["temp_monotone"] is True
    assert g["temp_max_low"] == pytest.approx(_softmax(scores / 0.25).max(), rel=1e-5)
    assert g["temp_max_high"] == pytest.approx(_softmax(scores / 5.0).max(), rel=1e-5)
