"""Exercise notebooks 1-3: as shipped (placeholders) and with the reference solutions."""

from __future__ import annotations

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
    outputs_text,
    run_with_solutions,
)

NOTEBOOKS = {
    "ex1": "book/exercises/ex1_visualise.ipynb",
    "ex2": "book/exercises/ex2_compare.ipynb",
    "ex3": "book/exercises/ex3_custom.ipynb",
}


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
    return [
        out.get("text", "")
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    ]


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
    assert any(
        c.source.strip() == f"{name}.solution()" and "hide-output" in c.metadata.get("tags", [])
        for c in nb.cells
    )
    assert any(f"{name}.hint()" in c.source for c in nb.cells if c.cell_type == "code")
    assert _check_cells(nb, name)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None


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


@pytest.mark.book
@pytest.mark.parametrize(("name", "relpath"), NOTEBOOKS.items())
def test_shipped_notebook_reports_not_attempted(name, relpath):
    nb = executed(relpath)
    assert not _stderr(nb)
    first_check = _check_cells(nb, name)[0]
    assert "Not attempted yet" in _cell_outputs(first_check)
    assert "Traceback" not in outputs_text(nb)


@pytest.mark.book
def test_shipped_ex1_softmax_claims():
    nb = executed(NOTEBOOKS["ex1"])
    g = glued(nb)
    narrow = np.exp(np.arange(-2.0, 3.0))
    wide = np.exp(np.arange(-4.0, 5.0))
    assert g["at_zero_narrow"] == pytest.approx(narrow[2] / narrow.sum(), rel=1e-5)
    assert g["at_zero_wide"] == pytest.approx(wide[4] / wide.sum(), rel=1e-5)
    assert g["at_zero_narrow"] != pytest.approx(g["at_zero_wide"], rel=1e-2)
    assert 0.0 <= g["ratio_spread"] < 1e-5  # "float32 rounding"


@pytest.mark.book
def test_shipped_ex2_data_claims():
    from acttutor.data import load_digits

    g = glued(executed(NOTEBOOKS["ex2"]))
    data = load_digits()
    assert g["n_train"] == len(data.x_train) and g["n_test"] == len(data.x_test)
    assert g["n_features"] == 64 and g["n_classes"] == 10


@pytest.mark.book
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


# --------------------------------------------------------------------------- with solutions


@pytest.mark.book
def test_ex1_with_solution():
    nb = run_with_solutions(NOTEBOOKS["ex1"])
    assert not _stderr(nb)
    check = _check_cells(nb, "ex1")[0]
    assert "Correct" in _cell_outputs(check)
    look = next(c for c in nb.cells if "plot_all_activations(wide_x)" in c.source)
    assert _figures([look]) == 1  # shown once
    assert _figures(nb.cells) == 1  # the check's own figure never reaches the page


@pytest.mark.book
def test_ex2_with_solution():
    nb = run_with_solutions(NOTEBOOKS["ex2"])
    assert not _stderr(nb)
    assert "Correct" in _cell_outputs(_check_cells(nb, "ex2")[0])
    assert _figures(nb.cells) == 1  # the learning curves
    text = outputs_text(nb)
    assert "highest mean test accuracy" in text  # the computed verdict


@pytest.mark.book
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
