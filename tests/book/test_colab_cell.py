"""The first notebook cell that installs acttutor on Colab and does nothing elsewhere."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbutils import ROOT, all_notebooks

sys.path.insert(0, str(ROOT / "tools"))
import colab_cell  # noqa: E402

SOURCE = colab_cell.cell_source()


class FakeShell:
    """Stands in for IPython's ``get_ipython()``: records line magics instead of running them."""

    def __init__(self, colab: bool = False) -> None:
        self.magics: list[tuple[str, str]] = []
        # Colab's shell is google.colab._shell.Shell; a plain Jupyter kernel's is not.
        self.name = "google.colab._shell.Shell" if colab else "ipykernel.zmqshell.ZMQShell"

    def __str__(self) -> str:
        return f"<{self.name} object>"

    def run_line_magic(self, name: str, line: str) -> None:
        self.magics.append((name, line))


def run_cell(*, installed: bool, colab: bool) -> tuple[str, FakeShell]:
    """Run the cell's code as IPython would, on Colab or not, in a notebook that has
    already imported acttutor (``installed``) or not."""
    import acttutor

    code = TransformerManager().transform_cell(SOURCE)
    shell = FakeShell(colab)
    namespace: dict[str, Any] = {"get_ipython": lambda: shell}
    if installed:
        namespace["acttutor"] = acttutor
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        exec(compile(code, "<colab cell>", "exec"), namespace)
    return out.getvalue(), shell


def test_cell_does_nothing_and_prints_nothing_where_acttutor_is_installed() -> None:
    printed, shell = run_cell(installed=True, colab=False)
    assert printed == "" and shell.magics == []
    printed, shell = run_cell(installed=True, colab=True)
    assert printed == "" and shell.magics == []


def test_cell_installs_from_the_configured_repository_on_colab() -> None:
    url, branch = colab_cell.repository()
    printed, shell = run_cell(installed=False, colab=True)
    assert shell.magics == [("pip", f"install -q acttutor@git+{url}.git@{branch}")]
    assert printed == ""


def test_install_requirement_names_the_package_and_the_branch() -> None:
    from packaging.requirements import Requirement

    url, branch = colab_cell.repository()
    _, shell = run_cell(installed=False, colab=True)
    requirement = Requirement(shell.magics[0][1].split()[-1])
    assert requirement.name == "acttutor"
    assert requirement.url == f"git+{url}.git@{branch}"


def test_cell_outside_colab_leaves_a_missing_package_to_the_next_import() -> None:
    # Outside Colab the cell installs nothing; its comment says what to do, and the
    # next cell's `import acttutor` names the missing module.
    printed, shell = run_cell(installed=False, colab=False)
    assert printed == "" and shell.magics == []
    assert "pip install -e ." in SOURCE.splitlines()[0]


def test_cell_is_three_lines_that_fit() -> None:
    lines = SOURCE.splitlines()
    assert len(lines) <= 3
    assert max(map(len, lines)) <= 79


def test_cell_follows_the_repository_setting(tmp_path: Path) -> None:
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://github.com/someone/course/\n"
                      "  branch: dev\n")
    assert "acttutor@git+https://github.com/someone/course.git@dev" in (
        colab_cell.cell_source(config))
    config.write_text("repository:\n  url: git@github.com:someone/course\n")
    with pytest.raises(ValueError, match="repository.url"):
        colab_cell.cell_source(config)
    config.write_text("repository:\n  url: https://github.com/someone/" + "c" * 40 + "\n")
    with pytest.raises(ValueError, match="shorter URL or branch"):
        colab_cell.cell_source(config)


def _notebook(*cells: Any) -> nbformat.NotebookNode:
    return new_notebook(cells=list(cells))


def test_apply_inserts_before_the_first_code_cell_and_is_idempotent() -> None:
    nb = _notebook(new_markdown_cell("# Title"), new_code_cell("import acttutor"))
    assert colab_cell.apply(nb, SOURCE) is True
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code"]
    assert nb.cells[1].source == SOURCE
    assert nb.cells[1].metadata["tags"] == ["colab-install", "remove-cell"]
    before = nbformat.writes(nb)
    assert colab_cell.apply(nb, SOURCE) is False
    assert nbformat.writes(nb) == before


def test_apply_replaces_an_outdated_cell_and_keeps_its_id_and_extra_tags() -> None:
    old = new_code_cell("%pip install old")
    old.metadata["tags"] = ["colab-install", "my-tag"]
    nb = _notebook(new_markdown_cell("# T"), new_code_cell("x = 1"), old)
    assert colab_cell.apply(nb, SOURCE) is True
    install = [c for c in nb.cells if "colab-install" in c.metadata.get("tags", [])]
    assert len(install) == 1 and install[0].source == SOURCE and install[0].id == old.id
    assert install[0].metadata["tags"] == ["colab-install", "remove-cell", "my-tag"]
    assert nb.cells[1] is install[0]  # moved before the first code cell


def test_update_leaves_a_current_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    nbformat.write(_notebook(new_markdown_cell("# T"), new_code_cell("pass")), path)
    assert colab_cell.update(path, SOURCE) is True
    text = path.read_bytes()
    assert colab_cell.update(path, SOURCE) is False
    assert path.read_bytes() == text
    assert colab_cell.main(["--check", str(path)]) == 0


@pytest.mark.parametrize("path", all_notebooks(), ids=str)
def test_every_notebook_starts_with_the_current_colab_cell(path: Path) -> None:
    nb = nbformat.read(ROOT / path, as_version=4)
    assert colab_cell.has_current_cell(nb, SOURCE), (
        f"{path}: run `python tools/colab_cell.py` to add or refresh its Colab install cell"
    )
