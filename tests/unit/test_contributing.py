"""CONTRIBUTING.md is a map of the repository: it names real paths and every module."""

from __future__ import annotations

import pkgutil
import re

from nbutils import ROOT

import acttutor

TEXT = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def _named_paths() -> set[str]:
    """Paths in backticks that name a file or folder literally (no placeholder, no glob)."""
    found = set()
    for token in re.findall(r"`([^`\s]+)`", TEXT):
        if "/" in token and not re.search(r"[<*]", token) and not token.startswith(".venv/"):
            found.add(token)
    return found


def test_every_path_it_names_exists():
    paths = _named_paths()
    assert len(paths) > 20, "CONTRIBUTING.md should name the places a change goes"
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert missing == [], f"CONTRIBUTING.md names paths that do not exist: {missing}"


def test_every_top_level_module_and_package_is_on_the_map():
    names = [info.name for info in pkgutil.iter_modules(acttutor.__path__)
             if not info.name.startswith("_")]
    assert "plots" in names and "exercises" in names
    absent = sorted(n for n in names
                    if f"acttutor/{n}.py" not in TEXT and f"acttutor/{n}/" not in TEXT)
    assert absent == [], f"CONTRIBUTING.md does not say where these live: {absent}"


def test_it_says_which_command_checks_each_kind_of_change():
    for command in ("make lint", "make unit", "make booktest", "make test", "--nbmake"):
        assert command in TEXT, command
