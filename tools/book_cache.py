"""Decide by content whether the book's cached notebook outputs are still valid.

jupyter-cache (``execute_notebooks: cache``) reuses a notebook's outputs while
the notebook's code cells are unchanged. The outputs also depend on things the
notebooks do not contain, so this tool keeps a **key** beside the cache, made of

* ``package``: a hash of every file of the ``acttutor/`` package (names and
  bytes; ``__pycache__`` and compiled files left out);
* ``dependencies``: the installed version of each package named in
  ``pyproject.toml``'s ``[project].dependencies``, read with
  :mod:`importlib.metadata` (the extras, such as ``[test]``, are not part of it);
* ``python``: the interpreter's version;
* ``dataset``: which MNIST the notebooks will load: the file named by
  ``ACTTUTOR_MNIST_PATH`` (resolved path, size, modification time), else Keras's
  cached ``mnist.npz``, else "no MNIST file" (the download or the offline stand-in);
* ``kernel``: a hash of the kernel settings (``IPYTHONDIR``'s configuration files,
  not the history and logs IPython writes beside them).

When the key differs from the one stored with the last build (or ``--force``
is given), the tool removes the executed outputs *and* Sphinx's saved
environment, names what changed, and stores the new key. Sphinx re-reads only
pages whose source changed and MyST-NB executes a notebook only while Sphinx
reads it, so the cache alone would not be enough. File timestamps and install
stamps play no part: reinstalling the same versions, installing the test extra
or touching a file keeps every output.

Usage (``make book`` runs it before executing the book)::

    python tools/book_cache.py                # check the key, clear what is stale
    python tools/book_cache.py --force        # clear everything (make book FORCE=1)
    python tools/book_cache.py --show         # print the key, change nothing
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import tomllib
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The file, inside the build folder, that holds the key of the cached outputs.
KEY_FILE = ".acttutor-cache-key.json"
#: What the key protects, inside the build folder: executed outputs and Sphinx's environment.
STATE = (".jupyter_cache", ".doctrees")
#: The environment variable naming the MNIST file (as in ``acttutor.data``).
MNIST_VAR = "ACTTUTOR_MNIST_PATH"
_SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
_SKIP_SUFFIXES = {".pyc", ".pyo"}


def tree_digest(folder: Path) -> str:
    """Hash the names and contents of every file under ``folder``.

    Compiled files and ``__pycache__`` folders are left out, so running the code
    (which writes them) does not change the digest; timestamps are never read.

    Example:

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.py").write_text("x = 1")
    >>> before = tree_digest(folder)
    >>> _ = (folder / "a.py").write_text("x = 2")
    >>> tree_digest(folder) == before
    False

    Args:
        folder: The folder to hash (a missing folder hashes as empty).

    Returns:
        A hex SHA-256 digest.
    """
    digest = hashlib.sha256()
    if folder.is_dir():
        files = sorted(
            p for p in folder.rglob("*")
            if p.is_file()
            and not _SKIP_PARTS.intersection(p.relative_to(folder).parts)
            and p.suffix not in _SKIP_SUFFIXES
        )
        for path in files:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def kernel_digest(ipythondir: Path) -> str:
    """Hash the configuration files of an IPython directory's default profile.

    Only ``ipython*_config.py`` and the ``startup/*.py`` scripts count: IPython
    writes its history database and logs beside them at every kernel start.

    Example:

    >>> kernel_digest(Path("/nonexistent")) == kernel_digest(Path("/nonexistent/too"))
    True

    Args:
        ipythondir: The folder ``IPYTHONDIR`` names.

    Returns:
        A hex SHA-256 digest (of nothing, when there are no such files).
    """
    profile = ipythondir / "profile_default"
    digest = hashlib.sha256()
    files = sorted([*profile.glob("ipython*_config.py"), *profile.glob("startup/*.py")])
    for path in files:
        digest.update(path.relative_to(profile).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def dependency_names(pyproject: Path) -> list[str]:
    """Read the distribution names of ``[project].dependencies`` (no extras).

    Example:

    >>> "tensorflow" in dependency_names(ROOT / "pyproject.toml")
    True

    Args:
        pyproject: The project's ``pyproject.toml``.

    Returns:
        The names, normalised (lower case, ``-`` for ``_`` and ``.``), sorted.

    Raises:
        SystemExit: When the file is missing or has no ``[project].dependencies``.
    """
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        requirements = project["dependencies"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise SystemExit(
            f"{pyproject}: cannot read [project].dependencies ({exc}); "
            "pass --pyproject with the project's pyproject.toml."
        ) from None
    names = set()
    for requirement in requirements:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
        if match:
            names.add(re.sub(r"[-_.]+", "-", match.group(1)).lower())
    return sorted(names)


def installed_versions(names: list[str]) -> dict[str, str]:
    """Look up the installed version of each distribution.

    Example:

    >>> installed_versions(["no-such-distribution-here"])
    {'no-such-distribution-here': 'not installed'}

    Args:
        names: Distribution names.

    Returns:
        ``{name: version}``, with ``"not installed"`` for a missing one.
    """
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _file_identity(path: Path) -> str:
    stat = path.stat()
    return f"{path} ({stat.st_size} bytes, modified {stat.st_mtime_ns})"


def dataset_identity(environ: Mapping[str, str] | None = None) -> str:
    """Say which MNIST the notebooks will load, as ``acttutor.data.load_mnist`` looks for it.

    Example:

    >>> dataset_identity({"KERAS_HOME": "/nonexistent"})
    'no MNIST file: Keras download, else the offline stand-in'

    Args:
        environ: The environment the notebooks run in (default: this process's).

    Returns:
        The resolved file with its size and modification time, or a note that
        there is no file (the notebooks then download MNIST or use the stand-in).
    """
    env = os.environ if environ is None else environ
    named = env.get(MNIST_VAR)
    if named:
        path = Path(named).expanduser().resolve()
        if not path.is_file():
            return f"{MNIST_VAR}={path} (missing)"
        return f"{MNIST_VAR}={_file_identity(path)}"
    keras_home = Path(env.get("KERAS_HOME") or Path(env.get("HOME", "~")) / ".keras")
    cached = keras_home.expanduser() / "datasets" / "mnist.npz"
    if cached.is_file():
        return f"keras cache {_file_identity(cached.resolve())}"
    return "no MNIST file: Keras download, else the offline stand-in"


def cache_key(
    package: Path = ROOT / "acttutor",
    pyproject: Path = ROOT / "pyproject.toml",
    kernel: Path = ROOT / "tools" / "ipython",
    environ: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """Everything the executed outputs depend on besides the notebooks themselves.

    Example:

    >>> sorted(cache_key())
    ['dataset', 'dependencies', 'kernel', 'package', 'python']

    Args:
        package: The helper package's folder.
        pyproject: The ``pyproject.toml`` naming the dependencies.
        kernel: The kernel settings folder (``IPYTHONDIR``).
        environ: The notebooks' environment (default: this process's).

    Returns:
        The key's parts, JSON-serialisable.
    """
    return {
        "package": tree_digest(package),
        "dependencies": installed_versions(dependency_names(pyproject)),
        "python": sys.version.split()[0],
        "dataset": dataset_identity(environ),
        "kernel": kernel_digest(kernel),
    }


def differences(old: Mapping[str, object], new: Mapping[str, object]) -> list[str]:
    """Describe, part by part, how two keys differ.

    Example:

    >>> differences({"python": "3.11.7"}, {"python": "3.12.1"})
    ['python: 3.11.7 -> 3.12.1']

    Args:
        old: The stored key.
        new: The current key.

    Returns:
        One line per changed part (empty when the keys agree).
    """
    lines = []
    for part in sorted(set(old) | set(new)):
        before, after = old.get(part), new.get(part)
        if before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict):
            for name in sorted(set(before) | set(after)):
                if before.get(name) != after.get(name):
                    lines.append(f"{part}: {name} {before.get(name)} -> {after.get(name)}")
        elif part in ("package", "kernel"):
            lines.append(f"{part}: files changed")
        else:
            lines.append(f"{part}: {before} -> {after}")
    return lines


def refresh(build: Path, key: Mapping[str, object], *, force: bool = False) -> list[str]:
    """Clear the executed outputs when ``key`` differs from the stored one, then store it.

    Example:

    >>> import tempfile
    >>> build = Path(tempfile.mkdtemp())
    >>> refresh(build, {"python": "3.11.7"})
    ['no stored key (first build)']
    >>> refresh(build, {"python": "3.11.7"})
    []

    Args:
        build: The book's build folder (``_build``).
        key: The current key (from :func:`cache_key`).
        force: Clear the outputs even when the key is unchanged.

    Returns:
        Why the outputs were cleared, one line per reason; empty when they were kept.
    """
    stored_path = build / KEY_FILE
    try:
        stored = json.loads(stored_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = None
    if not isinstance(stored, dict):
        reasons = ["no stored key (first build)"]
    else:
        reasons = differences(stored, key)
    if force:
        reasons.insert(0, "forced (FORCE=1)")
    if reasons:
        for name in STATE:
            shutil.rmtree(build / name, ignore_errors=True)
        build.mkdir(parents=True, exist_ok=True)
        temporary = stored_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(key, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(temporary, stored_path)
    return reasons


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: check the key and clear stale outputs.

    Args:
        argv: The arguments (by default, ``sys.argv[1:]``).

    Returns:
        The exit status (0).
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the book's source folder (default: the repository)")
    parser.add_argument("--build", type=Path, help="the build folder (default: ROOT/_build)")
    parser.add_argument("--package", type=Path, help="the package (default: ROOT/acttutor)")
    parser.add_argument("--pyproject", type=Path, help="default: ROOT/pyproject.toml")
    parser.add_argument("--force", action="store_true", help="clear every executed output")
    parser.add_argument("--show", action="store_true", help="print the key and change nothing")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    key = cache_key(
        package=args.package or root / "acttutor",
        pyproject=args.pyproject or root / "pyproject.toml",
        kernel=Path(os.environ.get("IPYTHONDIR") or root / "tools" / "ipython"),
    )
    if args.show:
        print(json.dumps(key, indent=1, sort_keys=True))
        return 0
    reasons = refresh(args.build or root / "_build", key, force=args.force)
    if reasons:
        print("book cache: executed outputs cleared, every notebook runs again:")
        for reason in reasons:
            print(f"  {reason}")
    else:
        print("book cache: key unchanged (acttutor/, dependencies, dataset); outputs kept")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
