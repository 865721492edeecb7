r"""The finished exercise: the cells after an exercise, run again with the reference solution.

In the static HTML book the learner's placeholder is still in the exercise
cell, so the cells after it print "once it passes ..." and draw nothing.
``ex3.finished()`` (:meth:`~acttutor.exercises.core.Exercise.finished`), one
call at the end of an exercise's cells, runs those cells again with the
reference solution and shows what they produce (code, printed text, tables
and figures, embedded) in one collapsed ``<details>`` block labelled "with
the reference solution". Nothing leaks out of the block: outputs are
captured, figures are closed, and checks run inside it are not recorded as
the learner's progress.

Which cells: the code cells between the cell tagged ``exercise:<name>`` and
the cell that calls ``<name>.finished()``, read from the exercise's notebook
(found next to the kernel's working folder, as in Jupyter, the book build and
nbmake), that use the answer, directly or through a name an earlier such cell
defined. They run on a copy of the kernel's namespace, so the learner's own
variables are left as they were.

Example:

>>> cells = [{"cell_type": "code", "source": "def f(x):\n    raise NotImplementedError",
...           "metadata": {"tags": ["exercise", "exercise:demo"]}},
...          {"cell_type": "code", "source": "print(f(2))", "metadata": {}},
...          {"cell_type": "code", "source": "print('unrelated')", "metadata": {}},
...          {"cell_type": "code", "source": "demo.finished()", "metadata": {}}]
>>> downstream_cells(cells, "demo", "def f(x):\n    return 2 * x\n")
['print(f(2))']
"""

from __future__ import annotations

import ast
import base64
import html
import json
import os
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from acttutor.exercises.display import WRAP, highlight_python

__all__ = ["FinishedRun", "Output", "downstream_cells", "find_notebook", "run_finished"]

_LABEL = "with the reference solution"
_ROOT = Path(__file__).resolve().parents[2]  # the course folder, for an editable install


@dataclass
class Output:
    r"""One output of a re-run cell.

    Example:

    >>> Output("text", "4\n").html().endswith('>4\n</pre>')
    True

    Args:
        kind: ``"text"`` (printed or plain), ``"html"``, ``"png"`` or ``"error"``.
        data: The text, the HTML, or the PNG as base64.
        alt: A description of a figure, for its ``alt`` text.
    """

    kind: str
    data: str
    alt: str = ""

    def html(self) -> str:
        """This output as HTML.

        Returns:
            An HTML fragment.
        """
        if self.kind == "html":
            return f'<div class="acttutor-finished-html">{self.data}</div>'
        if self.kind == "png":
            alt = html.escape(self.alt or "A figure drawn by the cell above.", quote=True)
            return (f'<img class="acttutor-finished-figure" alt="{alt}" '
                    f'src="data:image/png;base64,{self.data}" style="max-width:100%">')
        css = "acttutor-finished-error" if self.kind == "error" else "acttutor-finished-text"
        return f'<pre class="{css}" style="{WRAP}">{html.escape(self.data)}</pre>'


@dataclass
class FinishedRun:
    r"""The re-run cells of an exercise; shows itself as one collapsed block.

    Example:

    >>> run = FinishedRun("demo", [("print(2)", [Output("text", "2\n")])])
    >>> "<details" in run._repr_html_() and "with the reference solution" in repr(run)
    True

    Args:
        exercise: The exercise's name.
        cells: ``(source, outputs)`` for each cell run.
        note: Why nothing could be run, when that is so.
        failed: Whether a cell raised.
    """

    exercise: str
    cells: list[tuple[str, list[Output]]] = field(default_factory=list)
    note: str = ""
    failed: bool = False

    def __repr__(self) -> str:
        what = self.note or f"{len(self.cells)} cell(s) run {_LABEL}"
        return (f"<{self.exercise} finished {_LABEL}: {what}. In a notebook it shows as a "
                "collapsed block; click it to open.>")

    def _repr_html_(self) -> str:
        parts = [f'<p class="acttutor-finished-note">{html.escape(self.note)}</p>'] if (
            self.note) else []
        for source, outputs in self.cells:
            parts.append('<div class="acttutor-finished-cell">' + highlight_python(source)
                         + "".join(o.html() for o in outputs) + "</div>")
        summary = (f"The cells above, run {_LABEL} (click to show what the finished "
                   f"{self.exercise} produces)")
        return (f'<details class="acttutor-finished"><summary>{html.escape(summary)}</summary>'
                f'<div class="acttutor-finished-body">{"".join(parts)}</div></details>')


# --------------------------------------------------------------------------- which cells


def _source(cell: dict[str, Any]) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else str(text)


def _names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """The names a piece of code reads, and the names it defines at its top level."""
    loads = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
             and isinstance(n.ctx, ast.Load)}
    stores: set[str] = set()
    for node in getattr(tree, "body", []):
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                stores.add(sub.id)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stores.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            stores |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return loads, stores


def _parse(source: str) -> ast.AST | None:
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        source = TransformerManager().transform_cell(source)  # %magics become Python
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        pass
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def downstream_cells(cells: list[dict[str, Any]], name: str, solution_code: str) -> list[str]:
    """The sources of the cells after exercise ``name`` that use its answer.

    A cell counts when it reads a name the solution defines, or a name that an
    earlier counted cell defined. The exercise's own ``hint()``, ``solution()``
    and ``finished()`` cells, and cells tagged ``remove-cell``, never count.
    Only the cells up to the one calling ``<name>.finished()`` are read.

    Example:

    >>> downstream_cells([], "demo", "x = 1")
    []

    Args:
        cells: The notebook's cells (``nbformat`` dicts).
        name: The exercise's name.
        solution_code: The reference solution.

    Returns:
        The sources, in notebook order.
    """
    start = next((i for i, c in enumerate(cells)
                  if f"exercise:{name}" in c.get("metadata", {}).get("tags", [])), None)
    if start is None:
        return []
    solution = _parse(solution_code)
    known = _names(solution)[1] if solution is not None else set()
    own = re.compile(rf"^\s*{re.escape(name)}\.(hint|solution|finished)\(.*\)\s*;?\s*$", re.S)
    found = []
    for cell in cells[start + 1:]:
        source = _source(cell)
        if cell.get("cell_type") != "code":
            continue
        if re.search(rf"\b{re.escape(name)}\.finished\(", source):
            break
        if own.match(source) or "remove-cell" in cell.get("metadata", {}).get("tags", []):
            continue
        tree = _parse(source)
        if tree is None:
            continue
        loads, stores = _names(tree)
        if loads & known:
            found.append(source)
            known |= stores
    return found


def find_notebook(filename: str) -> Path | None:
    """The notebook ``filename``: next to the kernel's working folder, else in the course.

    Example:

    >>> find_notebook("no-such-notebook.ipynb") is None
    True

    Args:
        filename: Such as ``"ex3_custom.ipynb"``.

    Returns:
        Its path, or ``None`` when it is not found.
    """
    for folder in (Path.cwd(), _ROOT / "book" / "exercises", _ROOT / "book"):
        candidate = folder / filename
        if candidate.is_file():
            return candidate
    return None


# --------------------------------------------------------------------------- running


def _outputs_of(captured: Any) -> list[Output]:
    outs: list[Output] = []
    for item in captured.outputs:
        data = item.data or {}
        if (item.metadata or {}).get("scrapbook") or any("papermill" in k for k in data):
            continue  # a glue() record: bookkeeping, not an output
        if "text/html" in data:
            outs.append(Output("html", data["text/html"]))
        elif "image/png" in data:
            png = data["image/png"]
            png = png if isinstance(png, str) else base64.b64encode(png).decode("ascii")
            outs.append(Output("png", png, data.get("text/plain", "")))
        elif "text/plain" in data:
            outs.append(Output("text", data["text/plain"]))
    return outs


def _figure_output(fig: Any) -> Output:
    """A matplotlib Figure as an embedded PNG, described for its alt text."""
    from io import BytesIO

    from acttutor.a11y import describe_figure

    buffer = BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return Output("png", base64.b64encode(buffer.getvalue()).decode("ascii"),
                  describe_figure(fig))


def _value_output(value: Any) -> Output:
    """A cell's last value as Jupyter would show it: its HTML, a figure, or its repr."""
    from matplotlib.figure import Figure

    if isinstance(value, Figure):
        return _figure_output(value)
    rich = getattr(value, "_repr_html_", None)
    page = rich() if callable(rich) else None
    return Output("html", page) if page else Output("text", repr(value))


def _run_cell(source: str, namespace: dict[str, Any], label: str) -> list[Output]:
    """Run one cell as Jupyter would (the last expression is shown) and capture its outputs."""
    import matplotlib.pyplot as plt
    from IPython.utils.capture import capture_output

    tree = _parse(source)
    if tree is None:
        return [Output("error", f"(this cell could not be parsed, so it was not run)\n{source}")]
    body = list(tree.body)
    last = body.pop() if body and isinstance(body[-1], ast.Expr) else None
    before = set(plt.get_fignums())
    outputs: list[Output] = []
    with capture_output(stdout=True, stderr=True, display=True) as captured:
        try:
            exec(compile(ast.Module(body, []), label, "exec"), namespace)  # noqa: S102
            if last is not None:
                value = eval(compile(ast.Expression(last.value), label, "eval"), namespace)  # noqa: S307
                if value is not None and not source.rstrip().endswith(";"):
                    outputs.append(_value_output(value))
            outputs += [_figure_output(plt.figure(n))  # left open, as the inline backend shows
                        for n in sorted(set(plt.get_fignums()) - before)]
        except Exception as exc:  # noqa: BLE001 - shown in the block (and raised when strict)
            outputs.append(Output("error", "".join(traceback.format_exception_only(exc))))
        finally:
            for number in set(plt.get_fignums()) - before:
                plt.close(number)
    text = captured.stdout + (captured.stderr or "")
    shown = [Output("text", text)] if text.strip() else []
    return shown + _outputs_of(captured) + outputs


def run_finished(exercise: Any, namespace: dict[str, Any] | None = None,
                 notebook: str | Path | None = None) -> FinishedRun:
    """Run the cells after ``exercise`` with its reference solution; return the block.

    With ``ACTTUTOR_STRICT=1`` a cell that raises raises ``AssertionError``
    here too, so the tests notice.

    Example:

    >>> run_finished(type("E", (), {"name": "demo", "notebook": ""})()).note[:30]
    'There is no notebook to re-run'

    Args:
        exercise: The :class:`~acttutor.exercises.core.Exercise`.
        namespace: The variables the cells may use (by default the kernel's own, copied).
        notebook: The notebook file (by default the exercise's, found by
            :func:`find_notebook`).

    Returns:
        A :class:`FinishedRun`.
    """
    from acttutor.progress import paused

    name = exercise.name
    path = Path(notebook) if notebook else (
        find_notebook(exercise.notebook) if getattr(exercise, "notebook", "") else None)
    if path is None or not path.is_file():
        return FinishedRun(name, note=(
            "There is no notebook to re-run here (this runs where the exercise's notebook sits "
            "next to the kernel, as in Jupyter and the book); the HTML book shows the "
            f"finished exercise {_LABEL}."))
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    sources = downstream_cells(cells, name, exercise.solution_code)
    if namespace is None:
        from IPython import get_ipython

        shell = get_ipython()
        namespace = shell.user_ns if shell is not None else {}
    scope = dict(namespace)
    run = FinishedRun(name)
    with paused():
        outputs = _run_cell(exercise.solution_code, scope, f"<{name} reference solution>")
        run.cells.append((exercise.solution_code.rstrip("\n"), outputs))
        for i, source in enumerate(sources):
            if run.failed:
                break
            outputs = _run_cell(source, scope, f"<{name} cell {i + 1}, {_LABEL}>")
            run.cells.append((source, outputs))
            run.failed = any(o.kind == "error" for o in outputs)
    if run.failed and os.environ.get("ACTTUTOR_STRICT") == "1":
        errors = [o.data for _, outs in run.cells for o in outs if o.kind == "error"]
        raise AssertionError(f"{name}: a cell failed when run {_LABEL}: {errors[0]}")
    return run
