"""How long each notebook of the book takes to execute, cold, and where the time goes.

Executes every notebook under ``book/`` (exercises included, placeholders as
committed) in a fresh kernel with nbclient, one after another, with the same
kernel settings as the Makefile (``IPYTHONDIR=tools/ipython``),
and prints a table: notebook, seconds, share of the total, and the split of each
notebook's time into

* **start-up**: starting the kernel until it answers;
* **setup**: the cell that calls ``acttutor.setup()`` (imports; else the first code cell);
* **training**: cells whose source trains or evaluates a model (``.fit(``,
  ``.evaluate(``, ``train_and_evaluate(``, ``compare_activations(``, ``run_with_``);
* **other**: every other cell (plots, small computations, checkers).

Data: the notebooks read MNIST from ``ACTTUTOR_MNIST_PATH``. ``--full-mnist``
builds a full-size MNIST-shaped file (60,000 training and 10,000 test images,
the shapes of the real MNIST) by tiling the 10k sample (8,000 + 2,000 real
digits; tiled 7.5 and 5 times), in a temporary folder, **for timing only**, and
points ``ACTTUTOR_MNIST_PATH`` at it. ``--uses-mnist`` keeps only notebooks
that load MNIST.

``--compare`` times, in one run, the three ways the book's notebooks get executed
(all of them, or those ``--only`` picks):
the serial path above; ``tools/execute_book.py`` (what ``make book`` runs: ``--jobs``
kernels at once, default one per CPU) into a scratch jupyter-cache; and ``make test``'s
nbmake stage (``pytest --nbmake -n JOBS`` on a scratch copy of the book). It prints each
wall time and the ratios the build targets: parallel at most 80% of serial, and no slower
than nbmake.

Usage (from the repository root)::

    ACTTUTOR_MNIST_PATH=../shared/data/mnist-10k.npz .venv/bin/python benchmarks/book_timing.py
    ACTTUTOR_MNIST_PATH=../shared/data/mnist-10k.npz .venv/bin/python benchmarks/book_timing.py \
        --compare
    .venv/bin/python benchmarks/book_timing.py --full-mnist --uses-mnist
    .venv/bin/python benchmarks/book_timing.py --only relu --env TF_NUM_INTRAOP_THREADS=1

It uses every core for minutes: run it on an otherwise quiet machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
KERNEL_ENV = {"IPYTHONDIR": str(ROOT / "tools" / "ipython")}
DEFAULT_SAMPLE = ROOT.parent / "shared" / "data" / "mnist-10k.npz"
TRAINING = re.compile(
    r"\.fit\(|\.evaluate\(|train_and_evaluate\(|compare_activations\(|run_with_\w*\("
)
FULL_SHAPES = {"train": 60_000, "test": 10_000}


@dataclass
class NotebookTime:
    """Timings of one executed notebook, in seconds."""

    path: str
    startup: float = 0.0
    setup: float = 0.0
    training: float = 0.0
    other: float = 0.0
    error: str = ""
    slowest: list[tuple[float, str]] = field(default_factory=list)

    @property
    def total(self) -> float:
        """Start-up plus every cell."""
        return self.startup + self.setup + self.training + self.other


def build_full_mnist(sample: Path, folder: Path) -> Path:
    """Write a 60,000 + 10,000 image MNIST-shaped ``.npz`` by tiling ``sample``.

    Args:
        sample: A Keras-format ``mnist.npz`` (``x_train``, ``y_train``, ``x_test``, ``y_test``).
        folder: Where to write the file.

    Returns:
        The path of the new file (timing only: the images repeat).
    """
    import numpy as np

    if not sample.exists():
        raise SystemExit(
            f"--full-mnist needs the 10k sample at {sample}; pass --sample PATH to point at it."
        )
    with np.load(sample, allow_pickle=False) as data:
        arrays = {key: data[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    out = {}
    for split, n in FULL_SHAPES.items():
        for kind in ("x", "y"):
            array = arrays[f"{kind}_{split}"]
            reps = -(-n // len(array))
            out[f"{kind}_{split}"] = np.concatenate([array] * reps)[:n]
    path = folder / "mnist-60k-tiled.npz"
    np.savez(path, **out)
    return path


def notebooks(only: list[str], uses_mnist: bool) -> list[Path]:
    """The notebooks to time, in path order."""
    found = sorted(p for p in BOOK.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    if only:
        found = [p for p in found if any(o in str(p.relative_to(ROOT)) for o in only)]
    if uses_mnist:
        found = [p for p in found if "load_mnist" in p.read_text(encoding="utf-8")]
    return found


def time_notebook(path: Path, timeout: int) -> NotebookTime:
    """Execute one notebook in a fresh kernel and time its parts."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = nbformat.read(path, as_version=4)
    result = NotebookTime(str(path.relative_to(ROOT)))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    setup_cells = {i for i in code if "acttutor.setup(" in nb.cells[i].source} or set(code[:1])
    started = time.perf_counter()
    try:
        with client.setup_kernel():
            result.startup = time.perf_counter() - started
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                t0 = time.perf_counter()
                client.execute_cell(cell, index)
                spent = time.perf_counter() - t0
                if index in setup_cells:
                    result.setup += spent
                elif TRAINING.search(cell.source):
                    result.training += spent
                else:
                    result.other += spent
                line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                result.slowest.append((spent, f"cell {index}: {line[:60]}"))
    except (CellExecutionError, CellTimeoutError) as exc:
        result.error = str(exc).strip().splitlines()[-1][:120]
    result.slowest.sort(reverse=True)
    return result


def report(results: list[NotebookTime], wall: float, data: str) -> str:
    """The printed table."""
    total = sum(r.total for r in results) or 1.0
    width = max([len(r.path) for r in results] + [8])
    lines = [
        f"book execution, cold, one notebook at a time; MNIST: {data}",
        f"{'notebook':<{width}} {'seconds':>8} {'share':>6} {'start-up':>9} {'setup':>7} "
        f"{'training':>9} {'other':>7}",
    ]
    for r in sorted(results, key=lambda r: -r.total):
        lines.append(
            f"{r.path:<{width}} {r.total:8.1f} {r.total / total:6.1%} {r.startup:9.1f} "
            f"{r.setup:7.1f} {r.training:9.1f} {r.other:7.1f}"
            + (f"  ERROR: {r.error}" if r.error else "")
        )
    parts = {name: sum(getattr(r, name) for r in results)
             for name in ("startup", "setup", "training", "other")}
    lines.append(
        f"{'total':<{width}} {total:8.1f} {1:6.0%} {parts['startup']:9.1f} {parts['setup']:7.1f} "
        f"{parts['training']:9.1f} {parts['other']:7.1f}"
    )
    lines.append(
        "split: " + ", ".join(f"{name} {value / total:.0%}" for name, value in parts.items())
        + f"; wall time of this run {wall:.1f} s ({wall / 60:.1f} min)"
    )
    slow = sorted(((s, f"{r.path} {label}") for r in results for s, label in r.slowest[:3]),
                  reverse=True)[:8]
    lines.append("slowest cells:")
    lines += [f"  {s:7.1f} s  {label}" for s, label in slow]
    return "\n".join(lines)


def cpu_count() -> int:
    """The CPUs this process may use (as ``tools/execute_book.py`` counts them)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import execute_book

    return execute_book.cpu_count()


def time_parallel(jobs: int, paths: list[Path]) -> tuple[float, int, list[str]]:
    """Execute ``paths`` as ``make book`` does, into a scratch cache.

    Returns:
        Wall seconds, notebooks executed, and the ones that failed.
    """
    sys.path.insert(0, str(ROOT / "tools"))
    import execute_book

    with tempfile.TemporaryDirectory(prefix="acttutor-cache-") as build:
        report = execute_book.execute_book(ROOT, Path(build), jobs, only=paths)
    failed = [f["path"] for f in report["failed"]]
    return float(report["wall_seconds"]), len(report["executed"]) + len(failed), failed


def time_nbmake(jobs: int, paths: list[Path]) -> tuple[float, int]:
    """Run ``paths`` under nbmake in a scratch copy of the book, as ``make notebooks`` does.

    Returns:
        Wall seconds and pytest's exit status.
    """
    sys.path.insert(0, str(ROOT / "tools"))
    from prepare_testbook import prepare

    with tempfile.TemporaryDirectory(prefix="acttutor-nbmake-") as scratch:
        copy = prepare(Path(scratch) / "testbook")
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbmake",
             "--nbmake-timeout=900", "-n", str(jobs),
             *(str(copy / p.relative_to(ROOT)) for p in paths)],
            cwd=copy, capture_output=True, text=True,
        )
        return time.perf_counter() - started, done.returncode


def compare_report(serial: float, parallel: float, nbmake: float, jobs: int,
                   count: int = 19) -> str:
    """The comparison table of ``--compare``: wall times and the two target ratios.

    Example:

    >>> print(compare_report(200.0, 120.0, 130.0, 2).splitlines()[-1])
    verdict: parallel/serial 60% (target at most 80%: met); parallel/nbmake 92% (at most 100%: met)
    """
    to_serial, to_nbmake = parallel / serial, parallel / nbmake
    return "\n".join([
        f"execution of {count} notebooks, wall time, {os.cpu_count()} CPUs, "
        f"{jobs} kernels at once:",
        f"  serial (one kernel at a time)             {serial:7.1f} s",
        f"  tools/execute_book.py --jobs {jobs} (make book) {parallel:7.1f} s",
        f"  nbmake -n {jobs} (make test's notebooks)       {nbmake:7.1f} s",
        f"verdict: parallel/serial {to_serial:.0%} (target at most 80%: "
        f"{'met' if to_serial <= 0.8 else 'MISSED'}); parallel/nbmake {to_nbmake:.0%} "
        f"(at most 100%: {'met' if to_nbmake <= 1.0 else 'MISSED'})",
    ])


def main(argv: list[str] | None = None) -> int:
    """Time the book's notebooks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full-mnist", action="store_true",
                        help="time with a 60,000 + 10,000 image file tiled from the 10k sample")
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE,
                        help=f"the 10k sample to tile (default {DEFAULT_SAMPLE})")
    parser.add_argument("--uses-mnist", action="store_true",
                        help="only notebooks that call load_mnist")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="only notebooks whose path contains TEXT (repeatable)")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra environment for the kernels (repeatable)")
    parser.add_argument("--timeout", type=int, default=900, help="per-cell timeout in seconds")
    parser.add_argument("--compare", action="store_true",
                        help="also time make book's parallel executor and make test's nbmake")
    parser.add_argument("--jobs", type=int, default=cpu_count(),
                        help="kernels at once for --compare (default: one per CPU)")
    args = parser.parse_args(argv)

    env = dict(KERNEL_ENV)
    for item in args.env:
        key, sep, value = item.partition("=")
        if not sep or not key:
            parser.error(f"--env needs KEY=VALUE, got {item!r}")
        env[key] = value
    tmp = None
    if args.full_mnist:
        tmp = Path(tempfile.mkdtemp(prefix="acttutor-mnist-"))
        env["ACTTUTOR_MNIST_PATH"] = str(build_full_mnist(args.sample, tmp))
    os.environ.update(env)
    data = os.environ.get("ACTTUTOR_MNIST_PATH", "not set (keras download or offline stand-in)")
    if args.full_mnist:
        data = f"{FULL_SHAPES['train']:,} + {FULL_SHAPES['test']:,} images tiled from {args.sample}"

    paths = notebooks(args.only, args.uses_mnist)
    if not paths:
        parser.error("no notebook matches")
    results = []
    started = time.perf_counter()
    try:
        for path in paths:
            result = time_notebook(path, args.timeout)
            print(f"{result.total:7.1f} s  {result.path}" + (" (ERROR)" if result.error else ""),
                  flush=True)
            results.append(result)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    serial_wall = time.perf_counter() - started
    print()
    print(report(results, serial_wall, data))
    if args.env:
        print("kernel environment:", ", ".join(args.env))
    failed = any(r.error for r in results)
    if args.compare:
        print(f"\ntiming tools/execute_book.py --jobs {args.jobs} ...", flush=True)
        parallel, count, broken = time_parallel(args.jobs, paths)
        print(f"  {parallel:.1f} s for {count} notebooks"
              + (f"; FAILED: {broken}" if broken else ""))
        print(f"timing nbmake -n {args.jobs} ...", flush=True)
        nbmake, status = time_nbmake(args.jobs, paths)
        print(f"  {nbmake:.1f} s (pytest exit status {status})\n")
        print(compare_report(serial_wall, parallel, nbmake, args.jobs, len(paths)))
        failed = failed or bool(broken) or status != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
