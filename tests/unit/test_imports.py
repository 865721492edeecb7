"""The package's import graph has no circle, and its layers read upwards.

The walker reads every module of ``acttutor`` with ``ast`` (nothing is imported), collects
each ``import``/``from ... import`` that names an acttutor module, at module level or inside
a function, absolute or relative, and builds the graph of acttutor-internal imports. A
package's ``__init__`` running before its submodules is Python's doing, not an import
written in the code, so it is not an edge. Dynamic imports (``importlib.import_module``
with a computed name) cannot be read statically and are not counted.

Run ``python tests/unit/test_imports.py`` to print the graph.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[2] / "acttutor"

#: The layers, lowest first: a module may import from its own layer or a lower one only.
#: A name covers the module and, for a package, all its submodules. ``properties`` sits at the
#: bottom because the catalog attaches each entry's measured properties (``CATALOG[name]
#: .properties``), so ``activations`` imports it. The package's own ``__init__`` (``setup``,
#: ``PALETTE``) is the entry point and belongs to no layer; it is in the circle check.
LAYERS: list[set[str]] = [
    {"acttutor._checks", "acttutor.tables", "acttutor.timing", "acttutor.properties",
     "acttutor.data", "acttutor.about", "acttutor.stats", "acttutor.prose",
     "acttutor.precision", "acttutor.conditioning", "acttutor.pieces",
     "acttutor.calibration", "acttutor.claims"},
    {"acttutor.activations"},
    {"acttutor.backprop", "acttutor.namespaces", "acttutor.catalog_table", "acttutor.cost",
     "acttutor.diagnostics", "acttutor.models", "acttutor.run_result", "acttutor._fitting",
     "acttutor.training", "acttutor.sweep", "acttutor.gated", "acttutor.deep"},
    {"acttutor.results", "acttutor.verdicts", "acttutor.comparison"},
    {"acttutor.plotting", "acttutor.plots", "acttutor.a11y"},
    {"acttutor.exercises", "acttutor.progress"},
]


def module_files(root: Path) -> dict[str, Path]:
    """Every module of the package at ``root``, by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of ``name`` that is one of ``modules`` (``a.b.func`` -> ``a.b``)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that the module ``name`` (file ``path``) imports, anywhere in it."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (found := _known(alias.name, modules)) is not None:
                    targets.add(found)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            for alias in node.names:
                # `from acttutor import plotting` imports the submodule acttutor.plotting
                found = _known(f"{base}.{alias.name}", modules)
                if found is None or found == _known(base, modules):
                    found = _known(base, modules)
                if found is not None:
                    targets.add(found)
    targets.discard(name)
    return targets


def import_graph(root: Path = PACKAGE_ROOT) -> dict[str, set[str]]:
    """``{module: {modules it imports}}`` for the package at ``root``."""
    modules = module_files(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as ``[a, b, ..., a]``, or ``None`` when the graph has none."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" after
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        path.pop()
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


def layer_of(name: str) -> int | None:
    """The index in :data:`LAYERS` of the longest name that covers module ``name``."""
    best: tuple[int, int] | None = None  # (length of the matching name, layer)
    for index, names in enumerate(LAYERS):
        for covered in names:
            if (name == covered or name.startswith(covered + ".")) and (
                best is None or len(covered) > best[0]
            ):
                best = (len(covered), index)
    return None if best is None else best[1]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a module from a higher layer, as ``"low -> high"``."""
    wrong = []
    for name, targets in sorted(graph.items()):
        here = layer_of(name)
        for target in sorted(targets):
            there = layer_of(target)
            if here is not None and there is not None and there > here:
                wrong.append(f"{name} (layer {here}) -> {target} (layer {there})")
    return wrong


# --------------------------------------------------------------------------- the package


def test_the_walker_sees_the_package():
    graph = import_graph()
    assert {"acttutor", "acttutor.activations", "acttutor.training", "acttutor.cost.floor",
            "acttutor.diagnostics.layers"} <= set(graph)
    assert "acttutor.properties" in graph["acttutor.activations"]
    assert "acttutor.cost.floor" in graph["acttutor.cost.measure"]
    assert "acttutor._checks" in graph["acttutor"]  # an import inside setup() counts


def test_the_package_has_no_import_circle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_every_module_has_a_layer_and_imports_only_downwards():
    graph = import_graph()
    unplaced = sorted(name for name in graph if name != "acttutor" and layer_of(name) is None)
    assert unplaced == [], "give these modules a layer in LAYERS"
    assert upward_imports(graph) == []


# --------------------------------------------------------------------------- the walker itself


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for relative, text in files.items():
        file = root / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    return root


def test_the_walker_finds_a_planted_circle_through_a_function_level_import(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "def f():\n    from pkg import b\n    return b\n",
        "sub/__init__.py": "from .c import thing\n",
        "sub/c.py": "thing = 1\n",
        "b.py": "from .sub import thing\nfrom . import a\n",
    })
    graph = import_graph(root)
    assert graph["pkg.a"] == {"pkg.b"}
    assert graph["pkg.b"] == {"pkg.sub", "pkg.a"}
    assert graph["pkg.sub"] == {"pkg.sub.c"}
    assert find_cycle(graph) == ["pkg.a", "pkg.b", "pkg.a"]


def test_the_walker_resolves_names_and_finds_no_circle_where_there_is_none(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "import os\n",
        "low.py": "import numpy\nVALUE = 1\n",
        "mid/__init__.py": "from ..low import VALUE\n",
        "mid/deep.py": "import pkg.low as low\nfrom pkg.mid import VALUE\n",
        "top.py": "from pkg.mid.deep import low\nfrom pkg import mid, low\n",
    })
    graph = import_graph(root)
    assert graph == {
        "pkg": set(),
        "pkg.low": set(),
        "pkg.mid": {"pkg.low"},
        "pkg.mid.deep": {"pkg.low", "pkg.mid"},
        "pkg.top": {"pkg.mid.deep", "pkg.mid", "pkg.low"},
    }
    assert find_cycle(graph) is None
    graph["pkg.low"].add("pkg.top")  # low -> top -> mid.deep -> low ...
    assert find_cycle(graph) == ["pkg.low", "pkg.top", "pkg.low"]


def test_the_layer_check_flags_an_import_from_above():
    graph = {"acttutor.tables": {"acttutor.results"}, "acttutor.results": {"acttutor.tables"},
             "acttutor.cost.floor": {"acttutor.timing"}}
    assert upward_imports(graph) == [
        "acttutor.tables (layer 0) -> acttutor.results (layer 3)"]
    assert layer_of("acttutor.cost.floor") == layer_of("acttutor.cost") == 2
    assert layer_of("acttutor.unheard_of") is None


if __name__ == "__main__":  # print the graph: python tests/unit/test_imports.py
    for module, targets in sorted(import_graph().items()):
        layer = layer_of(module)
        where = "-" if layer is None else layer
        print(f"{module} [{where}] -> {', '.join(sorted(targets)) or '-'}")
    found = find_cycle(import_graph())
    print("import circle: " + (" -> ".join(found) if found else "none"))
    sys.exit(1 if found else 0)
