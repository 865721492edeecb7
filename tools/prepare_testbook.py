"""Copy the book's sources into a scratch folder for the test build.

``make notebooks`` runs every notebook of the copy once under nbmake (with
``--overwrite``, so the copies keep their outputs), and the book-build test
then builds the copy with execution turned off. Each notebook therefore runs
once per ``make test`` instead of twice, and the reader's own ``_build`` and
jupyter-cache are never touched.

Usage: python tools/prepare_testbook.py DEST [--execute force]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SKIP = {
    ".git", ".venv", "_build", ".testbook", "tests", "benchmarks", ".pytest_cache", ".ruff_cache",
    ".ci", ".github", "ci", "dist",
}


def prepare(dest: Path, execute: str = "off") -> Path:
    """Copy the book sources to ``dest`` and set its execution mode.

    Args:
        dest: The folder to (re)create.
        execute: The ``execute_notebooks`` value for the copy's ``_config.yml``.

    Returns:
        The folder holding the copy.
    """
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for item in ROOT.iterdir():
        if item.name in SKIP or item.name.endswith("_cache"):
            continue
        if item.is_dir():
            shutil.copytree(
                item, dest / item.name, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
            )
        else:
            shutil.copy2(item, dest / item.name)
    config_path = dest / "_config.yml"
    config = yaml.safe_load(config_path.read_text())
    config.setdefault("execute", {})["execute_notebooks"] = execute
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    return dest


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--execute", default="off", choices=["off", "force", "cache"])
    args = parser.parse_args()
    print(f"prepared {prepare(args.dest.resolve(), args.execute)}")


if __name__ == "__main__":
    main()
