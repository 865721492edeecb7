"""Shared helpers for tests that look at notebooks.

* :func:`executed` returns a chapter's executed notebook. ``make notebooks``
  runs every notebook once under nbmake into ``.testbook`` (keeping the
  outputs); tests that check a chapter's claims read those outputs instead of
  executing the notebook again. Run on its own, a test executes the notebook.
* :func:`glued` reads the values a notebook stored with ``myst_nb.glue``.
* :func:`run_with_solutions` swaps each exercise's reference solution into
  the cells tagged ``exercise:<name>`` and runs the notebook with
  ``ACTTUTOR_STRICT=1``, so every check must pass.
"""

from __future__ import annotations

import ast
import os
from functools import cache
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
TESTBOOK = ROOT / ".testbook"
#: TensorFlow's C++ start-up lines, which must never reach the book's cell outputs.
TF_NOISE = (
    "absl::InitializeLog",
    "oneDNN custom operations",
    "cudart_stub",
    "Could not find cuda drivers",
    "cuInit",
    "cpu_feature_guard",
)

# Kernels run as in a reader's Jupyter (matplotlib's inline backend), with the
# kernel setting that keeps TensorFlow's C++ start-up lines out of the outputs.
KERNEL_ENV = {"IPYTHONDIR": str(ROOT / "tools" / "ipython")}


def all_notebooks() -> list[Path]:
    """Every notebook under book/, as paths relative to the repository root."""
    return sorted(
        p.relative_to(ROOT)
        for p in BOOK.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )


def execute(nb: nbformat.NotebookNode, cwd: Path, env: dict[str, str] | None = None,
            timeout: int = 900, allow_errors: bool = False) -> nbformat.NotebookNode:
    """Execute ``nb`` in a fresh kernel, in folder ``cwd``, with extra environment ``env``.

    With ``allow_errors`` a cell that raises keeps its error as an output and the cells
    after it still run; otherwise the first error stops the run (``CellExecutionError``).
    """
    saved = dict(os.environ)
    os.environ.pop("MPLBACKEND", None)  # set to Agg for the unit tests by conftest.py
    os.environ.update(KERNEL_ENV)
    os.environ.update(env or {})
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                       resources={"metadata": {"path": str(cwd)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return nb


@cache
def executed(relpath: str) -> nbformat.NotebookNode:
    """The executed version of ``book/...ipynb`` (from the nbmake run when present)."""
    source = ROOT / relpath
    copy = TESTBOOK / relpath
    if copy.exists():
        nb = nbformat.read(copy, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        fresh = nbformat.read(source, as_version=4)
        same_code = [c.source for c in code] == [
            c.source for c in fresh.cells if c.cell_type == "code"
        ]
        if same_code and code and all(c.get("execution_count") for c in code):
            return nb
    nb = nbformat.read(source, as_version=4)
    return execute(nb, source.parent)


def outputs_text(nb: nbformat.NotebookNode) -> str:
    """All stream and text/plain output of a notebook, joined.

    Consecutive pieces of one stream are joined without a separator: the kernel may
    split one ``print`` into several stream outputs, depending on when it flushes.
    """
    parts: list[str] = []
    for cell in nb.cells:
        last_stream = None
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                if last_stream == out.get("name") and parts:
                    parts[-1] += out.get("text", "")
                else:
                    parts.append(out.get("text", ""))
                last_stream = out.get("name")
                continue
            last_stream = None
            if "data" in out:
                parts.append(out["data"].get("text/plain", ""))
            elif out.get("output_type") == "error":
                parts.append("\n".join(out.get("traceback", [])))
    return "\n".join(parts)


def glued(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """Values stored with ``myst_nb.glue``, parsed from their text form where possible."""
    values: dict[str, Any] = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if not name:
                continue
            prefix = out["metadata"]["scrapbook"].get("mime_prefix", "")
            text = out.get("data", {}).get(f"{prefix}text/plain", "")
            try:
                values[name] = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                try:
                    values[name] = float(text.replace("np.float64(", "").replace(
                        "np.float32(", "").rstrip(")"))
                except ValueError:
                    values[name] = text.strip("'\"")
    return values


def exercise_cells(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """``(cell index, exercise name)`` for each cell tagged ``exercise:<name>``."""
    found = []
    for i, cell in enumerate(nb.cells):
        for tag in cell.get("metadata", {}).get("tags", []):
            if tag.startswith("exercise:"):
                found.append((i, tag.split(":", 1)[1]))
    return found


def with_solutions(relpath: str) -> nbformat.NotebookNode:
    """The notebook with every ``exercise:<name>`` cell replaced by its reference solution."""
    import acttutor.exercises as exercises

    nb = nbformat.read(ROOT / relpath, as_version=4)
    for i, name in exercise_cells(nb):
        nb.cells[i].source = getattr(exercises, name).solution_code
    return nb


def exercise_section(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The setup cell and everything from the heading of the first exercise on.

    In Run All order no cell above an exercise can use the learner's answer, so this is
    all of a chapter that a solution can change; the chapter's experiments above it are
    left out (they ran already, in the nbmake pass).
    """
    first = exercise_cells(nb)[0][0]
    start = max(i for i, c in enumerate(nb.cells[: first + 1])
                if c.cell_type == "markdown" and c.source.lstrip().startswith("#"))
    setup = [c for c in nb.cells[:start] if c.cell_type == "code" and "acttutor.setup(" in c.source]
    if len(setup) != 1:
        raise ValueError(f"expected one setup cell (acttutor.setup) above the exercise, "
                         f"found {len(setup)}")
    section = nbformat.v4.new_notebook(metadata=nb.metadata)
    section.cells = [setup[0], *nb.cells[start:]]
    return section


def is_finished_call(cell: nbformat.NotebookNode) -> bool:
    """Whether the cell is an exercise's one ``<name>.finished()`` call."""
    source = cell.source.strip()
    return (cell.cell_type == "code" and source.endswith(".finished()")
            and source[: -len(".finished()")].isidentifier())


def run_with_solutions(relpath: str, exercise_only: bool = False) -> nbformat.NotebookNode:
    """Run the notebook with its solutions filled in and ``ACTTUTOR_STRICT=1``.

    With ``exercise_only``, run only :func:`exercise_section` of it.

    The ``<name>.finished()`` cells are left out: with the solution already in the
    exercise cell they would run the cells above them a second time with the same answer.
    What they show is checked on the notebook as shipped, where they run.
    """
    nb = with_solutions(relpath)
    if exercise_only:
        nb = exercise_section(nb)
    nb.cells = [c for c in nb.cells if not is_finished_call(c)]
    return execute(nb, (ROOT / relpath).parent, env={"ACTTUTOR_STRICT": "1"})


def run_sections_with_solutions(relpaths: list[str]) -> dict[str, list[nbformat.NotebookNode]]:
    """Each notebook's :func:`exercise_section`, solved, run strictly in one kernel in turn.

    What :func:`run_with_solutions` with ``exercise_only`` does for one notebook, for
    several at the cost of one kernel start: between two sections ``%reset -f`` empties the
    namespace (the modules stay imported), and each section starts with its own setup cell,
    so no section sees another's names. The notebooks must share a folder. An error stays in
    the output of the cell that raised it, and the other sections still run.

    Returns:
        For each notebook, its section's executed cells.
    """
    folders = {(ROOT / p).parent for p in relpaths}
    if len(folders) != 1:
        raise ValueError(f"the notebooks must share one folder, not {sorted(folders)}")
    combined = nbformat.v4.new_notebook()
    for relpath in relpaths:
        section = exercise_section(with_solutions(relpath))
        if combined.cells:
            combined.cells.append(nbformat.v4.new_code_cell("%reset -f"))
        for cell in section.cells:
            if not is_finished_call(cell):
                cell.metadata["acttutor_section"] = relpath
                combined.cells.append(cell)
    combined.metadata = section.metadata
    execute(combined, folders.pop(), env={"ACTTUTOR_STRICT": "1"}, allow_errors=True)
    return {p: [c for c in combined.cells if c.metadata.get("acttutor_section") == p]
            for p in relpaths}


def code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The notebook's code cells, without the Colab install cell (tools/colab_cell.py)."""
    return [
        c for c in nb.cells
        if c.cell_type == "code" and "colab-install" not in c.get("metadata", {}).get("tags", [])
    ]
