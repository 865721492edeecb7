"""The exercise notebooks (book/exercises/): structure, as shipped (placeholders) and solved.

Structure tests read the committed notebooks. The others read the executed notebooks
(placeholders in the exercise cells, so every check reports ``not_attempted``), or run a
notebook once with its reference solutions filled in and ``ACTTUTOR_STRICT=1``.
"""

from __future__ import annotations

import html
import re

import nbformat
import numpy as np
import pytest
from nbutils import (
    ROOT,
    code_cells,
    executed,
    exercise_cells,
    glued,
    is_finished_call,
    outputs_text,
    run_with_solutions,
)

NOTEBOOKS = {
    "ex1": "book/exercises/ex1_visualise.ipynb",
    "ex2": "book/exercises/ex2_compare.ipynb",
    "ex3": "book/exercises/ex3_custom.ipynb",
    "ex4": "book/exercises/ex4_dying_relu.ipynb",
    "ex5": "book/exercises/ex5_gradient_flow.ipynb",
    "ex6": "book/exercises/ex6_cross_entropy.ipynb",
    "ex7": "book/exercises/ex7_swiglu.ipynb",
}
EX4 = NOTEBOOKS["ex4"]
EX5 = NOTEBOOKS["ex5"]


def _source(relpath: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / relpath, as_version=4)


def _cell_outputs(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif "data" in out:
            data = out["data"]
            parts.append(data.get("text/markdown", "") or data.get("text/plain", ""))
        elif out.get("output_type") == "error":
            parts.append("\n".join(out.get("traceback", [])))
    return "\n".join(parts)


def _stderr(nb) -> list[str]:
    """Text on stderr, and the names of errors, in any cell's outputs."""
    return [
        out.get("text", "") or out.get("ename", "")
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if (out.get("output_type") == "stream" and out.get("name") == "stderr")
        or out.get("output_type") == "error"
    ]


def _images(cell) -> int:
    return sum("image/png" in out.get("data", {}) for out in cell.get("outputs", []))


def _text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif "data" in out:
            parts.append(out["data"].get("text/plain", ""))
    return "\n".join(parts)


def _cell(nb, needle):
    return next(c for c in nb.cells if c.cell_type == "code" and needle in c.source)


def _check_cells(nb, name: str) -> list:
    """Code cells after the exercise cell whose source calls ``<name>.check(``."""
    (start, _), = exercise_cells(nb)
    return [
        c for c in nb.cells[start + 1:] if c.cell_type == "code" and f"{name}.check(" in c.source
    ]


def _figures(cells) -> int:
    """How many outputs show a matplotlib Figure (as a PNG, or as its text form under Agg)."""
    return sum(
        "image/png" in out.get("data", {})
        or out.get("data", {}).get("text/plain", "").startswith("<Figure size")
        for c in cells
        for out in c.get("outputs", [])
    )


# --------------------------------------------------------------------------- structure (fast)


@pytest.mark.parametrize(("name", "relpath"), NOTEBOOKS.items())
def test_notebook_structure(name, relpath):
    nb = _source(relpath)
    first_md = next(c for c in nb.cells if c.cell_type == "markdown")
    assert first_md.source.startswith("# Exercise")
    for words in ("You will", "Prerequisites", "Estimated time"):
        assert words in first_md.source
    first_code = code_cells(nb)[0]
    assert "acttutor.setup()" in first_code.source and "sys.path" not in first_code.source
    tagged = [i for i, c in enumerate(nb.cells) if f"exercise:{name}" in c.metadata.get("tags", [])]
    assert exercise_cells(nb) == [(i, name) for i in tagged]
    (index, _), = exercise_cells(nb)
    assert "exercise" in nb.cells[index].metadata["tags"]
    solution = [i for i, c in enumerate(nb.cells) if c.source.strip() == f"{name}.solution()"]
    assert len(solution) == 1  # it shows itself collapsed: no hide-output toggle around it
    tags = set(nb.cells[solution[0]].metadata.get("tags", []))
    assert not {"hide-output", "remove-output"} & tags
    finished = [i for i, c in enumerate(nb.cells) if c.source.strip() == f"{name}.finished()"]
    assert len(finished) == 1 and finished[0] > solution[0]
    assert [i for i, c in enumerate(nb.cells) if is_finished_call(c)] == finished  # as dropped
    assert nb.cells[finished[0]].metadata.get("tags") == ["remove-input"]
    assert "With the reference solution" in nb.cells[finished[0] - 1].source
    assert any(f"{name}.hint()" in c.source for c in nb.cells if c.cell_type == "code")
    assert _check_cells(nb, name)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None
    assert "sys.path" not in "".join(c.source for c in code_cells(nb))


@pytest.mark.parametrize(("relpath", "name", "answer"),
                         [(EX4, "ex4", "dead_fraction"), (EX5, "ex5", "kernel_grad_norms"),
                          (NOTEBOOKS["ex6"], "ex6", "cross_entropy")])
def test_exercise_notebook_mechanics(relpath, name, answer):
    import acttutor.exercises as exercises

    nb = _source(relpath)
    cells = exercise_cells(nb)
    assert [n for _, n in cells] == [name]
    index = cells[0][0]
    placeholder = nb.cells[index]
    assert set(placeholder.metadata["tags"]) == {"exercise", f"exercise:{name}"}
    assert f"def {answer}(" in placeholder.source and "NotImplementedError" in placeholder.source
    assert getattr(exercises, name).answer_name == answer
    after = [c for c in nb.cells[index + 1:] if c.cell_type == "code"]
    assert after[0].source.strip() == f"{name}.check({answer})"
    solution = next(c for c in after if f"{name}.solution()" in c.source)
    assert "hide-output" not in solution.metadata.get("tags", [])




def test_cifar10_recipe_on_the_ex2_page_builds_a_dataset(monkeypatch):
    """Run the page's CIFAR-10 snippet against stand-in arrays of CIFAR-10's shapes."""
    import keras

    from acttutor.training import build_mlp

    nb = _source(NOTEBOOKS["ex2"])
    text = next(c.source for c in nb.cells if "cifar10.load_data()" in c.source)
    snippet = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    rng = np.random.default_rng(0)

    def fake_load_data():
        def split(n):
            images = rng.integers(0, 256, size=(n, 32, 32, 3), dtype=np.uint8)
            return images, rng.integers(0, 10, size=(n, 1), dtype=np.uint8)

        return split(10_000), split(2_000)

    monkeypatch.setattr(keras.datasets.cifar10, "load_data", fake_load_data)
    namespace: dict = {}
    exec(compile(snippet, "<ex2 CIFAR-10 recipe>", "exec"), namespace)  # noqa: S102
    data = namespace["data"]
    assert data.x_train.shape == (10_000, 3072) and data.x_test.shape == (2_000, 3072)
    assert data.y_train.shape == (10_000, 10) and data.y_train.dtype == np.float32
    assert 0.0 <= data.x_train.min() and data.x_train.max() <= 1.0
    assert np.allclose(data.y_train.sum(axis=1), 1.0)
    model = build_mlp("relu", input_dim=data.x_train.shape[1])
    assert model.input_shape == (None, 3072)


# --------------------------------------------------------------------------- as shipped


@pytest.mark.parametrize(("name", "relpath"), NOTEBOOKS.items())
def test_shipped_notebook_reports_not_attempted(name, relpath):
    nb = executed(relpath)
    assert not _stderr(nb)
    first_check = _check_cells(nb, name)[0]
    assert "Not attempted yet" in _cell_outputs(first_check)
    assert "Traceback" not in outputs_text(nb)


def test_shipped_ex1_softmax_claims():
    nb = executed(NOTEBOOKS["ex1"])
    g = glued(nb)
    narrow = np.exp(np.arange(-2.0, 3.0))
    wide = np.exp(np.arange(-4.0, 5.0))
    assert g["at_zero_narrow"] == pytest.approx(narrow[2] / narrow.sum(), rel=1e-5)
    assert g["at_zero_wide"] == pytest.approx(wide[4] / wide.sum(), rel=1e-5)
    assert g["at_zero_narrow"] != pytest.approx(g["at_zero_wide"], rel=1e-2)
    assert 0.0 <= g["ratio_spread"] < 1e-5  # "float32 rounding"


def test_shipped_ex2_data_claims():
    from acttutor.data import load_digits

    g = glued(executed(NOTEBOOKS["ex2"]))
    data = load_digits()
    assert g["n_train"] == len(data.x_train) and g["n_test"] == len(data.x_test)
    assert g["n_features"] == 64 and g["n_classes"] == 10


def test_shipped_ex3_swish_claims():
    nb = executed(NOTEBOOKS["ex3"])
    text = outputs_text(nb)
    gaps = re.findall(r"beta =\s+(\d+): largest gap to silu ([\d.]+), to ReLU ([\d.]+)", text)
    assert [int(b) for b, _, _ in gaps] == [1, 4, 16]
    assert float(gaps[0][1]) == 0.0  # beta = 1 is silu
    to_relu = [float(r) for _, _, r in gaps]
    assert to_relu == sorted(to_relu, reverse=True) and to_relu[-1] < to_relu[0] / 10
    gap = re.search(r"beta = 0 and x / 2: (\S+)", text)
    assert float(gap.group(1)) == 0.0


@pytest.mark.parametrize(("relpath", "name", "fallback"),
                         [(EX4, "ex4", "acttutor's dead_unit_fraction"),
                          (EX5, "ex5", "acttutor's gradient_norms")])
def test_exercise_as_shipped_is_not_attempted(relpath, name, fallback):
    nb = executed(relpath)
    assert not _stderr(nb)
    check = _cell(nb, f"{name}.check(")
    assert "not_attempted" in _text(check)
    assert f"measured with {fallback}" in outputs_text(nb)
    assert sum(_images(c) for c in nb.cells) == (2 if name == "ex4" else 1)


def _counts(text: str) -> dict[str, int]:
    return {kind: int(n) for kind, n in re.findall(r"(ReLU|SwiGLU) block parameters:\s+(\d+)",
                                                  text)}


def test_shipped_ex7_dense_acts_on_the_last_axis():
    text = outputs_text(executed(NOTEBOOKS["ex7"]))
    assert "output shape: (2, 5, 8)" in text and "kernel shape: (4, 8)" in text
    assert "comparison runs here once your layer passes" in text


# --------------------------------------------------------------------------- with solutions


def test_ex7_with_solution():
    nb = run_with_solutions(NOTEBOOKS["ex7"])
    assert not _stderr(nb)
    assert "Correct" in _cell_outputs(_check_cells(nb, "ex7")[0])
    d_model = 64
    counts = _counts(outputs_text(nb))
    assert counts["ReLU"] == 2 * d_model * 4 * d_model
    assert counts["SwiGLU"] == 3 * d_model * round(4 * d_model * 2 / 3)
    assert abs(counts["SwiGLU"] / counts["ReLU"] - 1) < 0.01  # "almost the same number"


def test_ex1_with_solution():
    nb = run_with_solutions(NOTEBOOKS["ex1"])
    assert not _stderr(nb)
    check = _check_cells(nb, "ex1")[0]
    assert "Correct" in _cell_outputs(check)
    look = next(c for c in nb.cells if "plot_all_activations(wide_x)" in c.source)
    assert _figures([look]) == 1  # shown once
    assert _figures(nb.cells) == 1  # the check's own figure never reaches the page


def test_ex2_with_solution():
    nb = run_with_solutions(NOTEBOOKS["ex2"])
    assert not _stderr(nb)
    assert "Correct" in _cell_outputs(_check_cells(nb, "ex2")[0])
    assert _figures(nb.cells) == 1  # the learning curves
    text = outputs_text(nb)
    assert "highest mean test accuracy" in text  # the computed verdict


def test_ex3_with_solution():
    nb = run_with_solutions(NOTEBOOKS["ex3"])
    assert not _stderr(nb)
    checks = [_cell_outputs(c) for c in _check_cells(nb, "ex3")]
    assert len(checks) == 3 and all("Correct" in out for out in checks)
    assert "uses it" in checks[-1]  # the reloaded model's layer uses my_activation
    text = outputs_text(nb)
    assert "Could not locate function 'my_activation'" in text
    assert "registered as acttutor_ex3>my_activation" in text
    gap = float(re.search(r"loaded model's outputs: (\S+)", text).group(1))
    assert gap == 0.0
    assert "highest mean test accuracy" in text
    assert _figures(nb.cells) == 2  # the activation with its derivative, the learning curves


def test_ex4_with_solution():
    nb = run_with_solutions(EX4)
    assert not _stderr(nb)
    assert "passed" in _text(_cell(nb, "ex4.check("))
    text = outputs_text(nb)
    assert "measured with your dead_fraction" in text
    assert "dead fraction of the Leaky ReLU network: {}" in text


def test_ex5_with_solution():
    nb = run_with_solutions(EX5)
    assert not _stderr(nb)
    assert "passed" in _text(_cell(nb, "ex5.check("))
    assert "measured with your kernel_grad_norms" in outputs_text(nb)
    table = _text(_cell(nb, "def orders("))
    sigmoid = re.search(r"sigmoid\s+\S+\s+\S+\s+([+-]\d+\.\d)", table)
    assert sigmoid and float(sigmoid.group(1)) > 3


# --------------------------------------------------------------------------- how exercises display


def _outside_details(text: str) -> str:
    """``text`` with every ``<details>...</details>`` element removed, innermost first."""
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"<details\b[^>]*>(?:(?!<details\b).)*?</details>", "", text, flags=re.S)
    return text


def _words(page: str) -> str:
    """What a reader sees of some HTML or Markdown: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def _solution_lines(code: str) -> list[str]:
    """The lines of a solution that give it away (not imports, comments or blank lines)."""
    lines = [line.strip() for line in code.splitlines()]
    return [line for line in lines
            if len(line) >= 12 and not line.startswith(("import ", "from ", "#", '"""'))]


def _shown(out) -> list[str]:
    """Every representation of one output a front end might show."""
    if out.get("output_type") == "stream":
        return [out.get("text", "")]
    data = out.get("data", {})
    return [data.get(mime, "") for mime in ("text/html", "text/markdown", "text/plain")
            if isinstance(data.get(mime, ""), str)]


@pytest.mark.parametrize(("name", "relpath"), NOTEBOOKS.items())
def test_run_all_reveals_no_reference_solution_outside_a_collapsed_element(name, relpath):
    import acttutor.exercises as exercises

    lines = _solution_lines(getattr(exercises, name).solution_code)
    assert len(lines) >= 2  # the test has something to look for
    nb = executed(relpath)  # run top to bottom with the placeholder, as "Run All" does
    collapsed = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for shown in _shown(out):
                visible = _words(_outside_details(shown))
                leaked = [line for line in lines if line in visible]
                # A hint may quote a line (ax.plot(x, y)); the solution must not show.
                assert len(leaked) < max(2, len(lines) / 2), (cell.source, leaked)
                collapsed += all(line in _words(shown) for line in lines)
    assert collapsed >= 2  # inside details: the solution() cell and the finished block


FINISHED_SHOWS = {
    "ex1": ["✅ Correct", "data:image/png"],
    "ex2": ["✅ Correct", "highest mean test accuracy", "data:image/png"],
    "ex3": ["✅ Correct", "registered as acttutor_ex3&gt;my_activation", "uses it",
            "data:image/png"],
    "ex4": ["✅ Correct", "measured with your dead_fraction", "data:image/png"],
    "ex5": ["✅ Correct", "measured with your kernel_grad_norms", "data:image/png"],
    "ex6": ["✅ Correct", "measured with your cross_entropy", "data:image/png"],
    "ex7": ["✅ Correct", "SwiGLU output shape: (2, 28, 64)", "SwiGLU block parameters:"],
}


@pytest.mark.parametrize(("name", "relpath"), NOTEBOOKS.items())
def test_the_static_page_shows_the_finished_exercise_collapsed_and_labelled(name, relpath):
    nb = executed(relpath)
    (cell,) = [c for c in nb.cells if c.source.strip() == f"{name}.finished()"]
    (out,) = cell.outputs
    page = out["data"]["text/html"]
    assert page.startswith('<details class="acttutor-finished">') and page.endswith("</details>")
    assert "with the reference solution" in page.split("</summary>")[0]
    for fragment in FINISHED_SHOWS[name]:
        assert fragment in page, fragment
    assert 'alt=""' not in page
    assert "acttutor-finished-error" not in page
    first_check = _check_cells(nb, name)[0]  # ... while the page itself still has the placeholder
    assert "Not attempted yet" in _cell_outputs(first_check)
