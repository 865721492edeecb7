"""Execute the book's notebooks into its jupyter-cache, several at a time, before the build.

MyST-NB (``execute_notebooks: cache``) executes the notebooks one after another
while Sphinx reads them. This tool runs first: it finds each notebook of the
table of contents that has no valid entry in the cache (``_build/.jupyter_cache``,
where the build looks), executes those in ``--jobs`` kernels at once (default:
one per CPU), longest first by the times of earlier builds, and stores each result
in the cache exactly as MyST-NB would. The build that follows then finds every
notebook cached and executes nothing.

It writes ``_build/.acttutor-executed.json``: which notebooks it executed in
this run, how long each took, which it found cached, and the wall time. The
build-sequence tests and ``benchmarks/book_timing.py`` read it.

Usage (``make book`` runs it after ``tools/book_cache.py``)::

    python tools/execute_book.py                 # one kernel per CPU
    python tools/execute_book.py --jobs 1        # one at a time (the serial path)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
#: This run's report, inside the build folder.
REPORT = ".acttutor-executed.json"
#: Execution times of earlier runs (kept when the cache is cleared), for the order.
TIMES = ".acttutor-notebook-seconds.json"
#: Inside the cache folder (so clearing the cache clears it too): the SHA-256 of each
#: notebook file last found or stored in the cache. An unchanged file is known to be
#: cached without importing nbformat and jupyter-cache, which takes seconds.
KNOWN = "acttutor-known.json"
#: Calls that train a model: a cold build starts the notebooks with most of them first.
TRAINING = re.compile(r"\.fit\(|train_and_evaluate\(|compare_activations\(|train_on_batch\(")


@dataclass
class Outcome:
    """What happened to one notebook."""

    path: str
    seconds: float = 0.0
    error: str = ""


def cpu_count() -> int:
    """Count the CPUs this process may run on (all of them where that cannot be asked).

    Example:

    >>> cpu_count() >= 1
    True

    Returns:
        The number of usable CPUs, at least 1.
    """
    if hasattr(os, "sched_getaffinity"):  # Linux; macOS and Windows lack it
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def toc_notebooks(root: Path) -> list[Path]:
    """List the ``.ipynb`` files that ``_toc.yml`` names, in table-of-contents order.

    Example:

    >>> paths = toc_notebooks(ROOT)
    >>> paths[0].name, all(p.suffix == ".ipynb" for p in paths)
    ('intro.ipynb', True)

    Args:
        root: The book's source folder (holding ``_toc.yml``).

    Returns:
        Absolute paths; Markdown pages are left out.
    """
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")) or {}
    found: list[Path] = []

    def visit(node: object) -> None:
        if isinstance(node, dict):
            for key in ("root", "file"):
                if isinstance(node.get(key), str):
                    path = root / f"{node[key]}.ipynb"
                    if path.is_file() and path not in found:
                        found.append(path)
            for value in node.values():
                if isinstance(value, (list, dict)):
                    visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(toc)
    return found


def execution_settings(root: Path) -> dict[str, object]:
    """Read the ``execute:`` section of ``_config.yml`` with Jupyter Book's defaults.

    Example:

    >>> execution_settings(ROOT)["execute_notebooks"]
    'cache'

    Args:
        root: The book's source folder.

    Returns:
        ``execute_notebooks``, ``timeout`` and ``allow_errors``.
    """
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    execute = config.get("execute") or {}
    return {
        "execute_notebooks": execute.get("execute_notebooks", "auto"),
        "timeout": int(execute.get("timeout", 30)),
        "allow_errors": bool(execute.get("allow_errors", False)),
    }


# Kernels started at once can draw the same free TCP port (jupyter_client picks the ports,
# then the kernel binds them): the loser dies before it runs a cell, so a retry is safe.
STARTS = 3


def _failed_to_start(message: str) -> bool:
    """Whether an execution error means the kernel never started (no cell ran)."""
    return "before replying to kernel_info" in message or "Address already in use" in message


def _execute(path: str, timeout: int, allow_errors: bool) -> tuple[str, str, float, str]:
    """Run one notebook in a fresh kernel (in a worker process); return it as JSON text."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    started = time.perf_counter()
    for attempt in range(1, STARTS + 1):
        nb = nbformat.read(path, as_version=4)
        try:
            result = single_nb_execution(nb, cwd=str(Path(path).parent), timeout=timeout,
                                         allow_errors=allow_errors, meta_override=True)
            break
        except Exception as exc:  # a dead kernel, a kernel that never starts ...
            message = f"{type(exc).__name__}: {exc}"
            if attempt == STARTS or not _failed_to_start(message):
                return path, "", time.perf_counter() - started, message
    if result.err is not None:
        lines = (result.exc_string or repr(result.err)).strip().splitlines()
        return path, "", result.time, "\n".join(lines[-40:])
    return path, nbformat.writes(nb), result.time, ""


def _read_known(cache_dir: Path) -> dict[str, str]:
    try:
        known = json.loads((cache_dir / KNOWN).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in known.items()} if isinstance(known, dict) else {}


def _read_times(build: Path) -> dict[str, float]:
    try:
        times = json.loads((build / TIMES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in times.items()} if isinstance(times, dict) else {}


def execute_book(
    root: Path, build: Path, jobs: int, only: list[Path] | None = None
) -> dict[str, object]:
    """Execute every notebook of the book that the cache lacks, ``jobs`` at a time.

    Args:
        root: The book's source folder.
        build: The build folder (the cache is ``build/.jupyter_cache``).
        jobs: How many kernels run at once.
        only: Consider only these notebooks of the table of contents (default: all).

    Returns:
        The report written to ``build/.acttutor-executed.json``.
    """
    settings = execution_settings(root)
    report: dict[str, object] = {"jobs": jobs, "executed": [], "cached": [], "failed": [],
                                 "wall_seconds": 0.0, "mode": settings["execute_notebooks"]}
    build.mkdir(parents=True, exist_ok=True)
    if settings["execute_notebooks"] != "cache":
        report["note"] = "execute_notebooks is not 'cache': left to the build"
        return report
    cache_dir = build / ".jupyter_cache"
    known = _read_known(cache_dir)
    chosen = {p.resolve() for p in only} if only is not None else None
    candidates = [p for p in toc_notebooks(root) if chosen is None or p.resolve() in chosen]
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in candidates}
    unknown = [p for p in candidates if known.get(str(p.relative_to(root))) != digests[p]]
    report["cached"] = [str(p.relative_to(root)) for p in candidates if p not in unknown]
    pending: list[Path] = []
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    if not unknown:
        return _finish(report, build, cache_dir, known, _read_times(build), outcomes, started)
    workers = max(1, min(jobs, len(unknown)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        # The workers import nbformat and nbclient while this process checks the cache.
        for _ in range(workers):
            pool.submit(_warm)
        import nbformat
        from jupyter_cache import get_cache
        from jupyter_cache.base import CacheBundleIn

        cache = get_cache(str(cache_dir))
        for path in unknown:
            try:
                cache.match_cache_notebook(nbformat.read(path, as_version=4))
            except KeyError:
                pending.append(path)
            else:
                report["cached"].append(str(path.relative_to(root)))
                known[str(path.relative_to(root))] = digests[path]
        times = _read_times(build)
        # Longest first, so that no long notebook starts last: by the times of earlier
        # runs, else by how often the notebook trains a model, else by its size.
        pending.sort(key=lambda p: (-times.get(str(p.relative_to(root)), 0.0),
                                    -len(TRAINING.findall(p.read_text(encoding="utf-8"))),
                                    -p.stat().st_size))
        if pending:
            print(f"executing {len(pending)} notebook(s), {min(workers, len(pending))} at a "
                  f"time ({len(report['cached'])} cached)", flush=True)
        futures = [pool.submit(_execute, str(p), settings["timeout"], settings["allow_errors"])
                   for p in pending]
        for future in as_completed(futures):
            path, text, seconds, error = future.result()
            rel = str(Path(path).relative_to(root))
            outcomes.append(Outcome(rel, round(seconds, 2), error))
            if error:
                print(f"  FAILED {rel} after {seconds:.1f} s", flush=True)
                continue
            nb = nbformat.reads(text, as_version=4)
            record = cache.add_nb_to_project(path)
            cache.cache_notebook_bundle(
                CacheBundleIn(nb, record.uri, data={"execution_seconds": seconds}),
                check_validity=False, overwrite=True,
            )
            times[rel] = round(seconds, 2)
            known[rel] = digests[Path(path)]
            print(f"  {seconds:6.1f} s  {rel}", flush=True)
    return _finish(report, build, cache_dir, known, times, outcomes, started)


def _warm() -> None:
    """Import what :func:`_execute` needs (in a worker, while the cache is checked)."""
    import nbformat  # noqa: F401
    from jupyter_cache.executors.utils import single_nb_execution  # noqa: F401


def _finish(report: dict[str, object], build: Path, cache_dir: Path, known: dict[str, str],
            times: dict[str, float], outcomes: list[Outcome], started: float,
            ) -> dict[str, object]:
    """Complete the report and write it, the known notebooks and the times."""
    report["wall_seconds"] = round(time.perf_counter() - started, 2)
    report["executed"] = [asdict(o) for o in outcomes if not o.error]
    report["failed"] = [asdict(o) for o in outcomes if o.error]
    if cache_dir.is_dir():
        (cache_dir / KNOWN).write_text(json.dumps(known, indent=1, sort_keys=True) + "\n",
                                       encoding="utf-8")
    (build / TIMES).write_text(json.dumps(times, indent=1, sort_keys=True) + "\n", "utf-8")
    (build / REPORT).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point.

    Args:
        argv: The arguments (by default, ``sys.argv[1:]``).

    Returns:
        The exit status: 1 when a notebook failed to execute.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the book's source folder")
    parser.add_argument("--build", type=Path, help="the build folder (default: ROOT/_build)")
    parser.add_argument("--jobs", type=int, default=cpu_count(),
                        help="kernels at once (default: one per CPU)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be 1 or more, got {args.jobs}")
    root = args.root.resolve()
    missing = [name for name in ("_config.yml", "_toc.yml") if not (root / name).is_file()]
    if missing:
        parser.error(f"{root} has no {' or '.join(missing)}: pass --root with the book's folder")
    report = execute_book(root, (args.build or root / "_build").resolve(), args.jobs)
    executed, failed = report["executed"], report["failed"]
    print(f"executed {len(executed)} notebook(s) in {report['wall_seconds']:.1f} s wall; "
          f"{len(report['cached'])} from the cache")
    for outcome in failed:
        print(f"\nnotebook {outcome['path']} failed to execute:\n{outcome['error']}",
              file=sys.stderr)
    if failed:
        print(f"\n{len(failed)} notebook(s) failed; open them in JupyterLab to see the "
              "error (make lab).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
