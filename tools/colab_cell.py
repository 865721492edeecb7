"""Insert or update the Colab install cell at the top of every notebook.

On Google Colab the course's helper package is not installed, so each notebook starts
with a three-line code cell that installs ``acttutor`` from the repository named in
``_config.yml`` (``repository.url`` and ``repository.branch``) on Colab, unless the notebook
has already imported it. Anywhere else the cell does nothing and prints nothing; its
comment says how to install acttutor, and the next cell's ``import acttutor`` stops
when it is missing. The cell is tagged ``colab-install`` (so this tool finds it again)
and ``remove-cell`` (the HTML book does not show it; the notebook, in Colab or Jupyter,
does).

The tool is idempotent: it puts the cell before the first code cell, replaces an
outdated copy, and leaves a notebook that is already right untouched (byte for byte).

Usage::

    python tools/colab_cell.py                    # every notebook under book/
    python tools/colab_cell.py book/about.ipynb   # only these
    python tools/colab_cell.py --check            # list notebooks without the current cell
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
TAG = "colab-install"
TAGS = [TAG, "remove-cell"]

CELL_TEMPLATE = """\
# On Colab, install acttutor, the course helpers (elsewhere: pip install -e .)
if "google.colab" in str(get_ipython()) and "acttutor" not in globals():
    %pip install -q {requirement}"""
#: The longest line a reader sees without scrolling (the book's ruff line length).
MAX_LINE = 79


def repository(config_path: Path = ROOT / "_config.yml") -> tuple[str, str]:
    """Read the repository URL and branch from the book's configuration.

    Example:

    >>> url, branch = repository()
    >>> url.startswith("https://")
    True

    Args:
        config_path: The book's ``_config.yml``.

    Returns:
        ``(url, branch)``; the branch defaults to ``main``.

    Raises:
        ValueError: When ``repository.url`` is missing or not an https URL.
    """
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    repo = config.get("repository") or {}
    url = str(repo.get("url") or "").rstrip("/")
    if not url.startswith("https://"):
        raise ValueError(
            f"{config_path}: repository.url must be the https URL of the course "
            f"repository, got {url!r}."
        )
    return url.removesuffix(".git"), str(repo.get("branch") or "main")


def cell_source(config_path: Path = ROOT / "_config.yml") -> str:
    """Return the source of the Colab install cell for the configured repository.

    Example:

    >>> "pip install" in cell_source()
    True

    Args:
        config_path: The book's ``_config.yml``.

    Returns:
        The cell's code, which installs ``acttutor@git+<url>.git@<branch>`` with pip.

    Raises:
        ValueError: When the URL and branch make a line longer than :data:`MAX_LINE`.
    """
    url, branch = repository(config_path)
    source = CELL_TEMPLATE.format(requirement=f"acttutor@git+{url}.git@{branch}")
    too_long = [line for line in source.splitlines() if len(line) > MAX_LINE]
    if too_long:
        raise ValueError(
            f"{config_path}: repository.url and repository.branch make a line "
            f"of the Colab cell {len(too_long[0])} characters long, over "
            f"{MAX_LINE}; use a shorter URL or branch name."
        )
    return source


def _is_install_cell(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and TAG in cell.get("metadata", {}).get("tags", [])


def has_current_cell(nb: nbformat.NotebookNode, source: str) -> bool:
    """Whether the notebook's first code cell is the current install cell.

    Args:
        nb: A notebook.
        source: The expected cell source (from :func:`cell_source`).

    Returns:
        True when the first code cell has the tag, the tags and this exact source.
    """
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or not _is_install_cell(code[0]):
        return False
    tags = code[0].metadata.get("tags", [])
    return code[0].source == source and all(t in tags for t in TAGS)


def apply(nb: nbformat.NotebookNode, source: str) -> bool:
    """Put the install cell before the first code cell of ``nb`` (in place).

    Earlier copies of the cell (found by their tag) are removed first, so running it
    twice changes nothing.

    Example:

    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[new_markdown_cell("# T"), new_code_cell("import acttutor")])
    >>> apply(nb, "pass"), apply(nb, "pass")
    (True, False)

    Args:
        nb: The notebook to change.
        source: The cell source (from :func:`cell_source`).

    Returns:
        Whether the notebook changed.
    """
    if has_current_cell(nb, source) and sum(map(_is_install_cell, nb.cells)) == 1:
        return False
    old = next((c for c in nb.cells if _is_install_cell(c)), None)
    nb.cells = [c for c in nb.cells if not _is_install_cell(c)]
    cell = nbformat.v4.new_code_cell(source)
    if old is not None and old.get("id"):
        cell.id = old.id  # keep the cell id stable across updates
    extra_tags = [t for t in (old.metadata.get("tags", []) if old else []) if t not in TAGS]
    cell.metadata["tags"] = TAGS + extra_tags
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), None)
    nb.cells.insert(len(nb.cells) if first_code is None else first_code, cell)
    return True


def update(path: Path, source: str) -> bool:
    """Insert or refresh the install cell in one notebook file.

    Args:
        path: The ``.ipynb`` file.
        source: The cell source (from :func:`cell_source`).

    Returns:
        Whether the file was rewritten.
    """
    nb = nbformat.read(path, as_version=4)
    if not apply(nb, source):
        return False
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return True


def notebooks() -> list[Path]:
    """Every notebook under ``book/``, sorted.

    Returns:
        Paths to the ``.ipynb`` files, without checkpoints.
    """
    return sorted(p for p in (ROOT / "book").rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point.

    Args:
        argv: The arguments (by default, ``sys.argv[1:]``).

    Returns:
        The exit status: 1 with ``--check`` when a notebook lacks the current cell.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: all)")
    parser.add_argument("--check", action="store_true", help="only report, change nothing")
    args = parser.parse_args(argv)
    source = cell_source()
    paths = [p.resolve() for p in args.paths] or notebooks()
    if args.check:
        missing = [p for p in paths if not has_current_cell(nbformat.read(p, 4), source)]
        for path in missing:
            print(f"missing or outdated: {path.relative_to(ROOT)}")
        return 1 if missing else 0
    for path in paths:
        changed = update(path, source)
        print(f"{'updated' if changed else 'up to date'}: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
