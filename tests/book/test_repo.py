"""Repository hygiene: notebooks, table of contents, packaging and CI wiring."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from nbutils import BOOK, ROOT, all_notebooks

NOTEBOOKS = all_notebooks()


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    found = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                found.append(entry["file"])
            for key in ("chapters", "sections", "parts"):
                walk(entry.get(key, []))

    walk(toc.get("parts", []) + toc.get("chapters", []))
    return found


def test_there_are_notebooks() -> None:
    assert len(NOTEBOOKS) >= 10


@pytest.mark.parametrize("path", NOTEBOOKS, ids=str)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = json.loads((ROOT / path).read_text())
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"{path}: cell {i} has outputs; strip them"
            assert cell.get("execution_count") is None, f"{path}: cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=str)
def test_notebook_starts_with_acttutor_setup(path: Path) -> None:
    nb = json.loads((ROOT / path).read_text())
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    setup_cells = [i for i, src in enumerate(code) if "acttutor.setup(" in src]
    assert setup_cells, f"{path} never calls acttutor.setup()"
    # Only an optional Colab install cell may come before it.
    for src in code[: setup_cells[0]]:
        assert "import acttutor" in src or "pip install" in src, f"{path}: code before setup"
    assert not any("sys.path" in src for src in code), f"{path} edits sys.path"


def test_every_toc_entry_exists_and_every_notebook_is_listed() -> None:
    files = toc_files()
    assert len(files) == len(set(files)), "duplicate entries in _toc.yml"
    for entry in files:
        assert any((ROOT / f"{entry}{ext}").exists() for ext in (".ipynb", ".md")), entry
    listed = set(files)
    for path in NOTEBOOKS:
        assert str(path.with_suffix("")) in listed, f"{path} is not in _toc.yml"
    for path in BOOK.rglob("*.md"):
        assert str(path.relative_to(ROOT).with_suffix("")) in listed, f"{path} not in _toc.yml"


def test_config_keeps_the_offline_build_settings() -> None:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["only_build_toc_files"] is True
    excluded = set(config["exclude_patterns"])
    for folder in (".venv", "tests", "_build", "benchmarks"):
        assert folder in excluded
    assert any("_cache" in pattern for pattern in excluded)
    assert config["execute"]["timeout"] >= 300
    assert config["execute"]["execute_notebooks"] == "cache"


def _requirements() -> tuple[str, set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    reqs = set(project["dependencies"]) | set(extras["book"]) | set(extras["lab"])
    return project["requires-python"], {re.sub(r"\s+", "", r) for r in reqs}


def test_environment_yml_matches_pyproject() -> None:
    requires_python, reqs = _requirements()
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python"))
    version = python.split("=", 1)[1]
    minimum = requires_python.removeprefix(">=")
    assert tuple(map(int, version.split("."))) >= tuple(map(int, minimum.split(".")))
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    listed = {re.sub(r"\s+", "", r) for r in pip if not r.startswith("-e")}
    assert listed == reqs
    assert "-e ." in pip


def test_pyproject_uses_ranges_not_exact_pins() -> None:
    _, reqs = _requirements()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    test_reqs = project["optional-dependencies"]["test"]
    for req in reqs | set(test_reqs):
        assert "==" not in req, req
    assert any(r.startswith("jupyter-book>=1.0.4,<2") for r in reqs)
    # The floors that CI installs together (ci/floors.txt; tests/unit/test_floors.py).
    assert any(r.startswith("tensorflow>=2.18") for r in reqs)
    assert any(r.startswith("keras>=3.15") for r in reqs)


def test_package_is_typed() -> None:
    assert (ROOT / "acttutor" / "py.typed").exists()


def test_ci_runs_make_test_and_readme_shows_both_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    readme = (ROOT / "README.md").read_text()
    assert "make book" in readme and "make test" in readme
    assert "pip install -e" in readme and "jupyter-book build" in readme
