"""tools/book_cache.py: the key that decides whether the book's executed outputs are stale."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import book_cache  # noqa: E402


@pytest.fixture
def package(tmp_path: Path) -> Path:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("VALUE = 1\n")
    (pkg / "sub" / "mod.py").write_text("X = 2\n")
    return pkg


def test_package_digest_follows_content_not_timestamps(package: Path) -> None:
    first = book_cache.tree_digest(package)
    os.utime(package / "__init__.py", (1, 1))
    assert book_cache.tree_digest(package) == first, "a timestamp must not change the key"
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    (package / "sub" / "mod.pyc").write_bytes(b"compiled")
    assert book_cache.tree_digest(package) == first, "compiled files must not change the key"
    (package / "sub" / "mod.py").write_text("X = 3\n")
    edited = book_cache.tree_digest(package)
    assert edited != first
    (package / "sub" / "new.py").write_text("")
    assert book_cache.tree_digest(package) not in (first, edited), "an added file counts"
    (package / "sub" / "new.py").rename(package / "sub" / "renamed.py")
    renamed = book_cache.tree_digest(package)
    (package / "sub" / "renamed.py").unlink()
    assert renamed != book_cache.tree_digest(package) == edited, "removals and renames count"


def test_dependencies_are_the_project_ones_not_the_extras(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "x"\nversion = "0"\n'
        'dependencies = ["NumPy>=2", "scikit_learn >=1.4", "PyYAML; python_version>\'3\'"]\n'
        '[project.optional-dependencies]\ntest = ["pytest>=8"]\n'
    )
    assert book_cache.dependency_names(pyproject) == ["numpy", "pyyaml", "scikit-learn"]
    versions = book_cache.installed_versions(book_cache.dependency_names(pyproject))
    import numpy

    assert versions["numpy"] == numpy.__version__


def test_the_real_dependencies_include_tensorflow_and_keras() -> None:
    names = book_cache.dependency_names(ROOT / "pyproject.toml")
    assert {"tensorflow", "keras", "numpy"} <= set(names)
    assert "pytest" not in names and "jupyter-book" not in names


def test_missing_pyproject_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="pass --pyproject"):
        book_cache.dependency_names(tmp_path / "nope.toml")


def test_dataset_identity_names_file_size_and_mtime(tmp_path: Path) -> None:
    data = tmp_path / "mnist.npz"
    data.write_bytes(b"12345")
    env = {"ACTTUTOR_MNIST_PATH": str(data), "KERAS_HOME": str(tmp_path / "keras")}
    first = book_cache.dataset_identity(env)
    assert str(data.resolve()) in first and "5 bytes" in first
    os.utime(data, (10, 10))
    assert book_cache.dataset_identity(env) != first, "a replaced file (new mtime) counts"
    other = tmp_path / "other.npz"
    other.write_bytes(b"12345")
    assert book_cache.dataset_identity({**env, "ACTTUTOR_MNIST_PATH": str(other)}) != first
    assert "missing" in book_cache.dataset_identity(
        {**env, "ACTTUTOR_MNIST_PATH": str(tmp_path / "gone.npz")})


def test_dataset_identity_without_a_file(tmp_path: Path) -> None:
    env = {"KERAS_HOME": str(tmp_path / "keras")}
    assert "offline stand-in" in book_cache.dataset_identity(env)
    cached = tmp_path / "keras" / "datasets" / "mnist.npz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"x")
    assert str(cached) in book_cache.dataset_identity(env), "Keras's downloaded copy counts"


def test_kernel_digest_ignores_what_ipython_writes(tmp_path: Path) -> None:
    profile = tmp_path / "profile_default"
    profile.mkdir()
    (profile / "ipython_kernel_config.py").write_text("c = 1\n")
    first = book_cache.kernel_digest(tmp_path)
    (profile / "history.sqlite").write_bytes(b"history")
    (profile / "log").mkdir()
    assert book_cache.kernel_digest(tmp_path) == first
    (profile / "ipython_kernel_config.py").write_text("c = 2\n")
    assert book_cache.kernel_digest(tmp_path) != first


def state(build: Path) -> None:
    for name in book_cache.STATE:
        (build / name).mkdir(parents=True, exist_ok=True)
        (build / name / "entry").write_text("x")


def kept(build: Path) -> bool:
    return all((build / name / "entry").exists() for name in book_cache.STATE)


def test_refresh_clears_only_when_the_key_changes(tmp_path: Path) -> None:
    build = tmp_path / "_build"
    key = {"package": "a", "dependencies": {"numpy": "2.0.0"}, "dataset": "d"}
    state(build)
    assert book_cache.refresh(build, key) == ["no stored key (first build)"]
    assert not kept(build)
    state(build)
    assert book_cache.refresh(build, key) == [] and kept(build)
    newer = {**key, "dependencies": {"numpy": "2.1.0"}}
    assert book_cache.refresh(build, newer) == ["dependencies: numpy 2.0.0 -> 2.1.0"]
    assert not kept(build)
    state(build)
    assert book_cache.refresh(build, {**newer, "package": "b"}) == ["package: files changed"]
    state(build)
    assert book_cache.refresh(build, {**newer, "package": "b"}, force=True)[0].startswith("forced")
    assert not kept(build)
    assert json.loads((build / book_cache.KEY_FILE).read_text())["package"] == "b"


def test_a_corrupt_stored_key_counts_as_no_key(tmp_path: Path) -> None:
    build = tmp_path / "_build"
    build.mkdir()
    (build / book_cache.KEY_FILE).write_text("{not json")
    assert book_cache.refresh(build, {"python": "3"}) == ["no stored key (first build)"]


def test_the_key_of_this_repository_is_stable() -> None:
    env = {"KERAS_HOME": "/nonexistent"}
    first = book_cache.cache_key(environ=env)
    assert first == book_cache.cache_key(environ=env)
    assert set(first) == {"package", "dependencies", "python", "dataset", "kernel"}


def test_the_build_tools_doctests_pass() -> None:
    import doctest

    import execute_book

    for module in (book_cache, execute_book):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_execute_book_finds_the_toc_notebooks_in_order() -> None:
    import execute_book
    import yaml

    paths = execute_book.toc_notebooks(ROOT)
    toc = (ROOT / "_toc.yml").read_text()
    listed = [line.split("file:", 1)[1].strip() for line in toc.splitlines() if "file:" in line]
    expected = [ROOT / f"{f}.ipynb" for f in listed if (ROOT / f"{f}.ipynb").exists()]
    assert paths == expected and len(paths) >= 10
    assert execute_book.execution_settings(ROOT)["timeout"] == yaml.safe_load(
        (ROOT / "_config.yml").read_text())["execute"]["timeout"]


def test_a_kernel_that_never_started_is_retried_but_a_failing_cell_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import execute_book
    import nbformat
    from jupyter_cache.executors import utils

    path = tmp_path / "one.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), path)
    calls: list[int] = []

    def port_taken_once(nb, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return utils.ExecutionResult(nb, None, 0.5, None, None)

    monkeypatch.setattr(utils, "single_nb_execution", port_taken_once)
    _, text, _, error = execute_book._execute(str(path), 30, False)
    assert (len(calls), error) == (2, "") and text

    calls.clear()

    def always_dies(nb, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        raise RuntimeError("Kernel died while waiting for execute reply.")

    monkeypatch.setattr(utils, "single_nb_execution", always_dies)
    _, text, _, error = execute_book._execute(str(path), 30, False)
    assert len(calls) == 1 and "execute reply" in error and text == ""
