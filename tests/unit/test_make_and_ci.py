"""The Makefile explains itself, and the GitHub workflows test and publish the book."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MAKEFILE = (ROOT / "Makefile").read_text()
WORKFLOWS = ROOT / ".github" / "workflows"


def phony_targets() -> list[str]:
    match = re.search(r"^\.PHONY:((?:.*\\\n)*.*)$", MAKEFILE, re.M)
    assert match, "the Makefile declares its targets .PHONY"
    return match.group(1).replace("\\\n", " ").split()


def test_every_target_has_a_help_line() -> None:
    documented = dict(re.findall(r"^([a-z][a-z-]*):[^\n]*?## (.+)$", MAKEFILE, re.M))
    for target in phony_targets():
        assert target in documented, f"make {target} has no `## ...` comment for make help"
    for target in ("book", "test", "lint", "unit", "notebooks", "booktest", "venv", "pdf", "lab"):
        assert target in documented


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_help_prints_every_target() -> None:
    done = subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    listed = {line.split()[0] for line in done.stdout.splitlines()[1:] if line.strip()}
    assert listed == set(phony_targets())


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_is_rooted_at_book_and_passes_lab_args() -> None:
    done = subprocess.run(["make", "-n", "--no-print-directory", "lab", "LAB_ARGS=--port=1234"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    command = done.stdout.replace("\\\n", " ")
    line = next(x for x in command.splitlines() if "jupyter lab" in x)
    assert f'--ServerApp.root_dir="{ROOT}/book"' in line and line.rstrip().endswith("--port=1234")


def test_lint_checks_the_workflows_with_actionlint() -> None:
    lint = re.search(r"^lint:.*\n((?:\t.*\n)+)", MAKEFILE, re.M)
    assert lint and "ruff check" in lint.group(1) and "actionlint" in lint.group(1)
    assert "lint" in re.search(r"^test:.*\n\t(.*)", MAKEFILE, re.M).group(1)


def load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML reads `on:` as True
    return workflow


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_the_test_workflow_runs_make_test_on_push_and_pull_request() -> None:
    workflow = load("test.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert any("make test" in step.get("run", "") for step in steps(workflow))


def test_the_pages_workflow_builds_the_book_and_deploys_it() -> None:
    workflow = load("pages.yml")
    assert "main" in workflow["on"]["push"]["branches"]
    assert workflow["permissions"]["pages"] == "write"
    runs = [step.get("run", "") for step in steps(workflow)]
    assert any("make book" in run for run in runs)
    upload = next(s for s in steps(workflow) if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "_build/html"
    assert any("deploy-pages" in s.get("uses", "") for s in steps(workflow))


def test_only_the_book_config_names_the_repository() -> None:
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    for path in [*WORKFLOWS.glob("*.yml"), ROOT / "Makefile", ROOT / ".ci" / "run"]:
        assert url not in path.read_text(), f"{path.name} names the repository; use _config.yml"
