"""`make book`'s cache on a tiny book: each kind of change re-executes exactly what it affects.

The tiny book has three one-cell notebooks and a stand-in for ``acttutor/``. The tests run
the same three steps as ``make book`` (``tools/book_cache.py``, ``tools/execute_book.py``,
``jupyter-book build``) and count, from the executor's report and the build's log, how many
notebooks each step re-executes. ``.ci/stage rebuild`` checks the real book the same way
after ``make book; make test``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[2]
JB = Path(sys.executable).with_name("jupyter-book")
CHAPTERS = ("one", "two", "three")
CONFIG = """\
title: Tiny
author: tests
only_build_toc_files: true
exclude_patterns: [_build, acttutor, "**/.ipynb_checkpoints"]
execute:
  execute_notebooks: cache
  timeout: 300
  allow_errors: false
  stderr_output: warn
sphinx:
  config:
    nb_merge_streams: true
"""

pytestmark = pytest.mark.stage


def write_chapter(root: Path, name: str, value: object, heading: str = "") -> None:
    nb = new_notebook(cells=[
        new_markdown_cell(f"# Chapter {name}{heading}"),
        new_code_cell(f"print('chapter {name} says', {value!r})"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, root / "book" / f"{name}.ipynb")


def make_tiny_book(root: Path) -> Path:
    (root / "book").mkdir(parents=True)
    (root / "_config.yml").write_text(CONFIG)
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/index\nchapters:\n" + "".join(
        f"  - file: book/{name}\n" for name in CHAPTERS))
    (root / "book" / "index.md").write_text("# Tiny book\n\nThree chapters.\n")
    for i, name in enumerate(CHAPTERS):
        write_chapter(root, name, i)
    (root / "acttutor").mkdir()
    (root / "acttutor" / "__init__.py").write_text('"""Stand-in."""\nVALUE = 1\n')
    (root / "pyproject.toml").write_text(
        '[project]\nname = "tiny"\nversion = "0"\ndependencies = ["numpy>=1", "PyYAML"]\n')
    return root


class Book:
    """The tiny book and the three build steps, run as ``make book`` runs them."""

    def __init__(self, root: Path, dataset: Path) -> None:
        self.root = root
        self.env = {**os.environ, "IPYTHONDIR": str(ROOT / "tools" / "ipython"),
                    "ACTTUTOR_MNIST_PATH": str(dataset), "ACTTUTOR_PROGRESS": "0"}
        self.env.pop("MPLBACKEND", None)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=self.root, env=self.env, capture_output=True,
                              text=True, timeout=900)

    def cache(self) -> str:
        done = self.run(sys.executable, str(ROOT / "tools" / "book_cache.py"),
                        "--root", str(self.root))
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def execute(self) -> list[str]:
        """Run the executor; return the notebooks it executed."""
        done = self.run(sys.executable, str(ROOT / "tools" / "execute_book.py"),
                        "--root", str(self.root), "--jobs", "2")
        assert done.returncode == 0, done.stdout + done.stderr
        report = json.loads((self.root / "_build" / ".acttutor-executed.json").read_text())
        return sorted(entry["path"] for entry in report["executed"])

    def build(self) -> str:
        done = self.run(str(JB), "build", ".", "-W", "-n", "--keep-going")
        log = done.stdout + done.stderr
        assert done.returncode == 0, log[-3000:]
        assert "Executing notebook" not in log, "the build executed a notebook itself"
        return log

    def make_book(self) -> tuple[list[str], str]:
        """The three steps; return what was executed and the build's log."""
        self.cache()
        executed = self.execute()
        return executed, self.build()

    def page(self, name: str) -> str:
        return (self.root / "_build" / "html" / "book" / f"{name}.html").read_text()


@pytest.fixture
def book(tmp_path: Path) -> Book:
    data = tmp_path / "mnist-a.npz"
    data.write_bytes(b"a")
    return Book(make_tiny_book(tmp_path / "tiny"), data)


ALL = sorted(f"book/{name}.ipynb" for name in CHAPTERS)


def test_each_change_re_executes_exactly_what_it_affects(book: Book, tmp_path: Path) -> None:
    executed, log = book.make_book()
    assert executed == ALL, "a cold build executes every notebook"
    assert log.count("Using cached notebook") == 3, "the build takes all three from the cache"

    executed, log = book.make_book()
    assert executed == [], "a second build with nothing changed executes nothing"
    assert "Using cached notebook" not in log

    # What `make test` does around the book: installs extras, runs the package (compiled
    # files), rewrites files without changing them (new timestamps).
    with (book.root / "pyproject.toml").open("a") as f:
        f.write('[project.optional-dependencies]\ntest = ["pytest>=8"]\n')
    (book.root / "acttutor" / "__pycache__").mkdir()
    (book.root / "acttutor" / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(b"0")
    for path in book.root.rglob("*"):
        if "_build" not in path.parts:
            os.utime(path)
    assert "outputs kept" in book.cache()
    assert book.execute() == []

    write_chapter(book.root, "two", "edited")
    executed, log = book.make_book()
    assert executed == ["book/two.ipynb"], "editing one chapter re-executes that chapter only"
    assert "edited" in book.page("two")

    write_chapter(book.root, "one", 0, heading=", retitled")
    executed, _ = book.make_book()
    assert executed == [], "a prose-only edit re-executes nothing"

    (book.root / "acttutor" / "__init__.py").write_text('"""Stand-in."""\nVALUE = 2\n')
    assert "package: files changed" in book.cache()
    assert book.execute() == ALL, "editing acttutor/ re-executes everything"

    other = tmp_path / "mnist-b.npz"
    other.write_bytes(b"b")
    book.env["ACTTUTOR_MNIST_PATH"] = str(other)
    assert "dataset:" in book.cache()
    assert book.execute() == ALL, "switching the dataset re-executes everything"


def test_a_failing_notebook_fails_the_step_and_is_named(book: Book) -> None:
    nb = nbformat.read(book.root / "book" / "three.ipynb", as_version=4)
    nb.cells[1].source = "raise RuntimeError('broken on purpose')"
    nbformat.write(nb, book.root / "book" / "three.ipynb")
    book.cache()
    done = book.run(sys.executable, str(ROOT / "tools" / "execute_book.py"),
                    "--root", str(book.root), "--jobs", "2")
    assert done.returncode == 1
    assert "book/three.ipynb failed to execute" in done.stderr
    assert "broken on purpose" in done.stderr
    report = json.loads((book.root / "_build" / ".acttutor-executed.json").read_text())
    assert [entry["path"] for entry in report["failed"]] == ["book/three.ipynb"]
    executed = sorted(entry["path"] for entry in report["executed"])
    assert executed == ["book/one.ipynb", "book/two.ipynb"]


def test_make_book_checks_the_key_then_executes_in_parallel_then_builds() -> None:
    done = subprocess.run(["make", "-n", "--no-print-directory", "book", "FORCE=1"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    lines = [line for line in done.stdout.splitlines() if "tools/" in line or "build ." in line]
    markers = ("book_cache.py --force", "execute_book.py --jobs", "jupyter-book build")
    steps = [next(i for i, line in enumerate(lines) if marker in line) for marker in markers]
    assert steps == sorted(steps), done.stdout
    assert "ACTTUTOR_PROGRESS=0" in done.stdout, "the book build must not record progress"
