"""Move the book's glue bookkeeping out of sight, into hidden cells next to the code.

A chapter stores the numbers its prose quotes with ``glue(...)`` (or
``acttutor.glue_values(...)``). Those calls are plumbing, not teaching, so the
visible code should not carry them. For every code cell a reader sees (not
tagged ``remove-cell`` or ``remove-input``), this tool takes each top-level
statement that only glues (a ``glue``/``glue_values`` call, or a ``for``,
``if`` or ``with`` whose body only glues, with the comment lines right above
it) and moves it into a code cell tagged ``remove-cell`` inserted right after
the cell (merged into one that is already there). A cell that only glues is
tagged ``remove-cell`` itself. Nothing a cell computes changes: a statement is
moved only when no later statement of its cell rebinds or mutates a name it
reads, and when the cell's displayed result stays the same; otherwise the tool
names it, for a human to fix.

The tool is idempotent: a second run changes nothing.

Usage::

    python tools/tidy_notebooks.py                   # every notebook under book/
    python tools/tidy_notebooks.py book/relu.ipynb   # only these
    python tools/tidy_notebooks.py --check           # list what would move
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
HIDDEN_TAGS = frozenset({"remove-cell", "remove-input"})
GLUE_NAMES = frozenset({"glue", "glue_values"})
#: Methods that read their object without changing it (NumPy arrays, tensors, dicts).
READING_METHODS = frozenset(
    "all any argmax argmin astype copy get item items keys max mean min numpy "
    "reshape round std sum tolist values".split()
)
#: The tag of the Colab install cell (tools/colab_cell.py), which this tool leaves alone.
COLAB_TAG = "colab-install"


@dataclass
class Report:
    """What tidying one notebook did, and what it left for a human.

    Attributes:
        moved: How many statements moved into hidden cells.
        manual: ``"cell N: reason"`` for each glue statement left in place.
    """

    moved: int = 0
    manual: list[str] = field(default_factory=list)


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def is_visible_code(cell: nbformat.NotebookNode) -> bool:
    """Whether a reader of the book sees this cell's code.

    ``hide-input`` cells count as visible (the reader can unfold them).

    Example:

    >>> from nbformat.v4 import new_code_cell
    >>> cell = new_code_cell("x = 1")
    >>> is_visible_code(cell)
    True
    >>> cell.metadata["tags"] = ["remove-input"]
    >>> is_visible_code(cell)
    False

    Args:
        cell: A notebook cell.

    Returns:
        True for a code cell without a ``remove-cell`` or ``remove-input`` tag.
    """
    return cell.cell_type == "code" and not HIDDEN_TAGS & set(_tags(cell))


def _is_glue_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return name in GLUE_NAMES


def only_glues(stmt: ast.stmt) -> bool:
    r"""Whether a statement does nothing but store values for the prose.

    Example:

    >>> only_glues(ast.parse('glue("a", 1, display=False)').body[0])
    True
    >>> only_glues(ast.parse('for k in d:\n    glue(k, d[k])').body[0])
    True
    >>> only_glues(ast.parse('x = 1').body[0])
    False

    Args:
        stmt: A statement of a cell.

    Returns:
        True for a glue call, or a ``for``/``if``/``with`` whose every branch only glues.
    """
    if isinstance(stmt, ast.Expr):
        return _is_glue_call(stmt.value)
    if isinstance(stmt, ast.For | ast.If | ast.With):
        branches = [stmt.body] + ([stmt.orelse] if not isinstance(stmt, ast.With) else [])
        inner = [s for branch in branches for s in branch]
        return bool(inner) and all(only_glues(s) for s in inner)
    return False


def _is_print(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print"


def _names_read(stmt: ast.stmt) -> set[str]:
    bound = {
        n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }
    return {
        n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    } - bound


def _names_changed(stmt: ast.stmt, modules: frozenset[str] = frozenset()) -> set[str]:
    """Names a statement may rebind or mutate (a conservative over-estimate).

    A method call counts as changing its object, except on an imported module
    (``np.mean(x)`` does not change ``np``) or a method that only reads
    (:data:`READING_METHODS`, such as ``x.sum()``).
    """
    changed: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            changed.add(node.id)
        elif isinstance(node, ast.Attribute | ast.Subscript) and isinstance(
            node.ctx, ast.Store | ast.Del
        ):
            changed |= {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            # x.append(...), x.update(...): a method call may change its object.
            receiver = node.func.value
            module = isinstance(receiver, ast.Name) and receiver.id in modules
            if not module and node.func.attr not in READING_METHODS:
                changed |= {n.id for n in ast.walk(receiver) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.Global | ast.Nonlocal):
            changed |= set(node.names)
    return changed


def _span(stmt: ast.stmt, lines: list[str], start_floor: int) -> tuple[int, int]:
    """0-based ``[start, end)`` lines of a statement with the comments right above it."""
    start = stmt.lineno - 1
    if getattr(stmt, "decorator_list", None):
        start = min(d.lineno for d in stmt.decorator_list) - 1  # type: ignore[attr-defined]
    while start > start_floor and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    return start, stmt.end_lineno or stmt.lineno


def imported_names(sources: list[str]) -> frozenset[str]:
    """The names that ``import`` statements bind in these cells.

    Example:

    >>> sorted(imported_names(["import numpy as np", "from a import b", "%magic"]))
    ['b', 'np']

    Args:
        sources: Code cells' sources.

    Returns:
        Every name bound by an ``import`` or ``from ... import`` at any depth.
    """
    names: set[str] = set()
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return frozenset(names)


def split_source(
    source: str, modules: frozenset[str] = frozenset()
) -> tuple[str, list[str], list[str]]:
    r"""Split a cell's code into what stays visible and the glue statements that move.

    Example:

    >>> kept, moved, manual = split_source('x = 2\nglue("x", x, display=False)')
    >>> kept, moved, manual
    ('x = 2', ['glue("x", x, display=False)'], [])

    Args:
        source: A code cell's source.
        modules: Names of imported modules (see :func:`imported_names`).

    Returns:
        ``(kept, moved, manual)``: the source left in the cell, the moved statements'
        source (comments above each included) in order, and a reason for each glue
        statement that had to stay.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source, [], []
    lines = source.splitlines()
    body = tree.body
    movable = [only_glues(s) for s in body]
    if not any(movable):
        return source, [], []
    manual: list[str] = []
    for i, stmt in enumerate(body):
        if not movable[i]:
            continue
        later = [s for j, s in enumerate(body[i + 1 :], i + 1) if not movable[j]]
        clash = (
            _names_read(stmt) & set().union(*(_names_changed(s, modules) for s in later))
            if later
            else set()
        )
        if clash:
            movable[i] = False
            manual.append(f"line {stmt.lineno}: a later statement changes {sorted(clash)}")
    kept_stmts = [s for s, m in zip(body, movable, strict=True) if not m]
    last_before = body[-1]
    if (
        kept_stmts
        and kept_stmts[-1] is not last_before
        and isinstance(kept_stmts[-1], ast.Expr)
        and not _is_print(kept_stmts[-1].value)
    ):
        # Moving the glue would make this expression the cell's displayed result.
        for i, stmt in enumerate(body):
            if movable[i] and stmt.lineno > kept_stmts[-1].lineno:
                movable[i] = False
                manual.append(f"line {stmt.lineno}: the cell would display a new result")
    if not any(movable):
        return source, [], manual
    keep = [True] * len(lines)
    moved: list[str] = []
    floor = 0
    for stmt, move in zip(body, movable, strict=True):
        start, end = _span(stmt, lines, floor)
        floor = end
        if move:
            moved.append("\n".join(lines[start:end]))
            for k in range(start, end):
                keep[k] = False
    kept_lines = [line for line, k in zip(lines, keep, strict=True) if k]
    kept = "\n".join(kept_lines).strip("\n")
    while "\n\n\n\n" in kept:
        kept = kept.replace("\n\n\n\n", "\n\n\n")
    return kept, moved, manual


def _is_glue_cell(cell: nbformat.NotebookNode) -> bool:
    return (
        cell.cell_type == "code" and "remove-cell" in _tags(cell) and COLAB_TAG not in _tags(cell)
    )


def tidy(nb: nbformat.NotebookNode) -> Report:
    r"""Move the glue statements of ``nb``'s visible code cells into hidden cells (in place).

    Example:

    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> nb = new_notebook(cells=[new_code_cell('y = 3\nglue("y", y, display=False)')])
    >>> tidy(nb).moved, [c.source for c in nb.cells], nb.cells[1].metadata.tags
    (1, ['y = 3', 'glue("y", y, display=False)'], ['remove-cell'])
    >>> tidy(nb).moved
    0

    Args:
        nb: A notebook.

    Returns:
        A :class:`Report` of what moved and what a human must fix.
    """
    report = Report()
    modules = imported_names([c.source for c in nb.cells if c.cell_type == "code"])
    i = 0
    while i < len(nb.cells):
        cell = nb.cells[i]
        if not is_visible_code(cell) or COLAB_TAG in _tags(cell):
            i += 1
            continue
        kept, moved, manual = split_source(cell.source, modules)
        report.manual += [f"cell {i}: {reason}" for reason in manual]
        if not moved:
            i += 1
            continue
        report.moved += len(moved)
        glue_code = "\n".join(moved)
        if not kept.strip():
            cell.source = glue_code
            cell.metadata["tags"] = [*_tags(cell), "remove-cell"]
            cell.outputs, cell.execution_count = [], None
            i += 1
            continue
        cell.source = kept
        following = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        if following is not None and _is_glue_cell(following):
            following.source = glue_code + "\n" + following.source
        else:
            hidden = nbformat.v4.new_code_cell(glue_code)
            hidden.metadata["tags"] = ["remove-cell"]
            nb.cells.insert(i + 1, hidden)
        i += 2
    return report


def tidy_file(path: Path, *, write: bool = True) -> Report:
    """Tidy one notebook file, rewriting it only when something moved.

    Args:
        path: The ``.ipynb`` file.
        write: Whether to write the result (False: only report).

    Returns:
        The :class:`Report`.
    """
    nb = nbformat.read(path, as_version=4)
    report = tidy(nb)
    if report.moved and write:
        nbformat.validate(nb)
        nbformat.write(nb, path)
    return report


def notebooks() -> list[Path]:
    """Every notebook under ``book/``, sorted.

    Returns:
        Paths to the ``.ipynb`` files, without checkpoints.
    """
    return sorted(
        p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point.

    Args:
        argv: The arguments (by default, ``sys.argv[1:]``).

    Returns:
        The exit status: 1 when a glue statement is left for a human to fix, or, with
        ``--check``, when something would move.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: all)")
    parser.add_argument("--check", action="store_true", help="only report, change nothing")
    args = parser.parse_args(argv)
    status = 0
    for path in [p.resolve() for p in args.paths] or notebooks():
        report = tidy_file(path, write=not args.check)
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        verb = "would move" if args.check else "moved"
        print(f"{name}: {verb} {report.moved} glue statement(s)")
        for reason in report.manual:
            print(f"  fix by hand, {reason}")
        if report.manual or (args.check and report.moved):
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
