"""The package installs anywhere: the wheel, and the Colab cell's git URL, in fresh venvs.

``python -m build`` makes a wheel and an sdist. The wheel goes into a fresh virtual
environment outside the repository, and a script run from an empty folder (no repository
on ``sys.path``, no ``ACTTUTOR_MNIST_PATH``, an empty Keras cache and every proxy pointed at
a closed loopback port, so a download fails at once) checks that every exercise's ``check``,
``hint`` and ``solution`` work, that ``load_mnist`` falls back to the labelled offline
stand-in, and that ``import acttutor`` needs no repository file. Then the install command of
the notebooks' Colab cell runs against a local git URL (a committed copy of this working
tree), with the dependencies already present as they are on Colab, and the same import runs.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import colab_cell  # noqa: E402

pytestmark = pytest.mark.stage
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
WHEEL_NAME = f"acttutor-{PROJECT['version']}-py3-none-any.whl"
#: A closed port on this machine: every download through a proxy fails at once.
DEAD_PROXY = "http://127.0.0.1:9"

# Run inside the fresh venv, from an empty folder. Prints one JSON object.
SMOKE = r'''
import json, os, sys, time
from pathlib import Path

root = Path(sys.argv[1])
contexts = json.loads(Path(sys.argv[3]).read_text()) if len(sys.argv) > 3 else {}
report = {"sys_path_in_repo": [p for p in sys.path if p and Path(p).resolve().is_relative_to(root)]}
import acttutor
from acttutor import exercises
from acttutor.exercises import Exercise

report["acttutor_file"] = acttutor.__file__
report["exercises"] = {}
full = len(sys.argv) > 2 and sys.argv[2] == "full"
names = [n for n in exercises.__all__ if isinstance(getattr(exercises, n), Exercise)]
for name in names if full else names[:1]:
    ex = getattr(exercises, name)
    entry = {"placeholder": ex.check(None).status}
    hint = ex.hint()
    entry["hint"] = bool(getattr(hint, "_repr_markdown_", lambda: "")().strip())
    solution = ex.solution()
    shown = "".join(getattr(solution, method, lambda: "")() or ""
                    for method in ("_repr_html_", "_repr_markdown_"))
    entry["solution_shows_code"] = ex.answer_name in shown
    started = time.perf_counter()
    try:
        answer = ex.reference()
    except NameError:
        # The solution uses names its notebook defines earlier (ex2: the data): run those
        # cells first, as the learner's kernel has.
        namespace = {}
        exec(compile(contexts[name], f"<{name} notebook>", "exec"), namespace)
        answer = ex.reference(namespace)
    result = ex.check(answer)
    entry["reference"] = result.status
    entry["message"] = result.message[:300]
    entry["seconds"] = round(time.perf_counter() - started, 1)
    report["exercises"][name] = entry
if full:
    from acttutor.data import load_mnist
    started = time.perf_counter()
    data = load_mnist()
    report["mnist_source"] = data.source
    report["mnist_seconds"] = round(time.perf_counter() - started, 1)
    report["mnist_shape"] = list(data.x_train.shape)
print("SMOKE-REPORT " + json.dumps(report))
'''


def installer() -> list[str]:
    """uv (from the test extra, or on PATH); pip when there is neither."""
    if importlib.util.find_spec("uv") is not None:
        return [sys.executable, "-m", "uv"]
    if shutil.which("uv"):
        return [str(shutil.which("uv"))]
    return []


def make_venv(path: Path, *, seed: bool = False) -> Path:
    uv = installer()
    if uv:
        subprocess.run([*uv, "venv", "-q", *(["--seed"] if seed else []), "-p", sys.executable,
                        str(path)], check=True, timeout=300)
    else:
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, timeout=300)
    return path / "bin" / "python"


def install(python: Path, *requirements: str) -> None:
    uv = installer()
    if uv:
        command = [*uv, "pip", "install", "-q", "--python", str(python), *requirements]
    else:
        command = [str(python), "-m", "pip", "install", "-q", *requirements]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}"


def offline_env(tmp: Path) -> dict[str, str]:
    """No repository, no MNIST file, no Keras cache, no network, progress kept in tmp."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    env = {k: v for k, v in os.environ.items() if k in keep}
    (tmp / "keras").mkdir(exist_ok=True)
    env.update({
        "KERAS_HOME": str(tmp / "keras"),
        "ACTTUTOR_HOME": str(tmp / "home"),
        "MPLBACKEND": "Agg",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        **{proxy: DEAD_PROXY for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                                           "http_proxy", "https_proxy", "all_proxy")},
    })
    return env


def notebook_contexts() -> dict[str, str]:
    """For each exercise, the code cells its notebook runs before the exercise cell."""
    contexts = {}
    for path in sorted((ROOT / "book").rglob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        code: list[str] = []
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            tags = cell.get("metadata", {}).get("tags", [])
            names = [t.split(":", 1)[1] for t in tags if t.startswith("exercise:")]
            for name in names:
                contexts[name] = "\n\n".join(code)
            if "colab-install" not in tags and not names:
                code.append("".join(cell["source"]))
    return contexts


def smoke(python: Path, tmp: Path, mode: str) -> dict:
    workdir = tmp / "empty"
    workdir.mkdir(exist_ok=True)
    script = tmp / "smoke.py"
    script.write_text(SMOKE)
    contexts = tmp / "contexts.json"
    contexts.write_text(json.dumps(notebook_contexts()))
    done = subprocess.run([str(python), str(script), str(ROOT), mode, str(contexts)],
                          cwd=workdir,
                          env=offline_env(tmp), capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("SMOKE-REPORT "))
    report = json.loads(line.removeprefix("SMOKE-REPORT "))
    report["stdout"] = done.stdout
    return report


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "build", "--outdir", str(out)]
    if installer():
        command += ["--installer", "uv"]
    done = subprocess.run([*command, str(ROOT)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def test_build_makes_a_wheel_and_an_sdist(dist: Path) -> None:
    assert (dist / WHEEL_NAME).is_file()
    assert (dist / f"acttutor-{PROJECT['version']}.tar.gz").is_file()
    with zipfile.ZipFile(dist / WHEEL_NAME) as wheel:
        names = wheel.namelist()
    assert "acttutor/__init__.py" in names and "acttutor/py.typed" in names
    assert any(n.startswith("acttutor/exercises/") for n in names)
    assert not [n for n in names if n.startswith(("tests/", "book/", "tools/"))]
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    with zipfile.ZipFile(dist / WHEEL_NAME) as wheel:
        text = wheel.read(metadata).decode()
    for requirement in PROJECT["dependencies"]:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group(0)
        assert re.search(rf"^Requires-Dist: {re.escape(name)}\b", text, re.M | re.I), name


def test_the_wheel_works_outside_the_repository(dist: Path, tmp_path: Path) -> None:
    python = make_venv(tmp_path / "venv")
    install(python, str(dist / WHEEL_NAME))
    report = smoke(python, tmp_path, "full")
    site = (tmp_path / "venv").resolve()
    assert Path(report["acttutor_file"]).resolve().is_relative_to(site), report["acttutor_file"]
    assert report["sys_path_in_repo"] == [], "the repository must not be on sys.path"
    assert len(report["exercises"]) >= 10, sorted(report["exercises"])
    for name, entry in report["exercises"].items():
        assert entry["placeholder"] == "not_attempted", (name, entry)
        assert entry["hint"], f"{name}: hint() shows nothing"
        assert entry["solution_shows_code"], f"{name}: solution() does not show the code"
        assert entry["reference"] == "passed", (name, entry)
    assert "offline stand-in" in report["mnist_source"], report["mnist_source"]
    assert report["mnist_shape"][1:] == [784]
    assert "offline stand-in" in report["stdout"], "the stand-in must announce itself"
    assert report["mnist_seconds"] < 60, "the failed download must give up quickly"


def committed_copy(dest: Path) -> Path:
    """This working tree (tracked and new, unignored files) as a fresh git repository."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid",
           "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=dest, check=True)
    subprocess.run([*git, "add", "-A"], cwd=dest, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "copy"], cwd=dest, check=True)
    subprocess.run([*git, "branch", "-M", "main"], cwd=dest, check=True)
    return dest


def colab_install_args(requirement: str) -> list[str]:
    """The arguments of the ``%pip install`` line of the Colab cell, for ``requirement``."""
    cell = colab_cell.CELL_TEMPLATE.format(requirement=requirement)
    line = next(x.strip() for x in cell.splitlines() if x.strip().startswith("%pip install"))
    return shlex.split(line)[2:]


def test_the_colab_install_command_works_with_a_git_url(tmp_path: Path) -> None:
    repo = committed_copy(tmp_path / "repo")
    _, branch = colab_cell.repository()
    # The cell's form: name@url with no spaces, unquoted (tools/colab_cell.py).
    requirement = f"acttutor@git+file://{repo}@{branch}"
    args = colab_install_args(requirement)
    assert args[-1] == requirement and "-q" in args
    python = make_venv(tmp_path / "venv", seed=True)
    # Colab comes with TensorFlow, Keras, NumPy, matplotlib and scikit-learn installed.
    install(python, *PROJECT["dependencies"])
    done = subprocess.run([str(python), "-m", "pip", "install", *args], capture_output=True,
                          text=True, timeout=1200, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    report = smoke(python, tmp_path, "quick")
    assert Path(report["acttutor_file"]).resolve().is_relative_to((tmp_path / "venv").resolve())
    assert report["sys_path_in_repo"] == []
    (entry,) = report["exercises"].values()
    assert entry["placeholder"] == "not_attempted" and entry["reference"] == "passed", entry
