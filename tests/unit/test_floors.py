"""The declared version floors: ci/floors.txt is exactly pyproject.toml's lower bounds."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
FLOORS = ROOT / "ci" / "floors.txt"


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> list[Requirement]:
    project = PYPROJECT["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    return [Requirement(r) for r in reqs]


def lower_bounds() -> dict[str, Version]:
    bounds: dict[str, Version] = {}
    for req in declared():
        floors = [Version(s.version) for s in req.specifier if s.operator == ">="]
        assert len(floors) == 1, f"{req}: every requirement needs exactly one >= floor"
        name = normal(req.name)
        if name in bounds:
            assert bounds[name] == floors[0], f"{name} has two different floors in pyproject"
        bounds[name] = floors[0]
    return bounds


def pinned() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for number, line in enumerate(FLOORS.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][0-9A-Za-z.+!-]*)", line)
        assert match, f"ci/floors.txt line {number}: {line!r} is not name==version"
        name = normal(match.group(1))
        assert name not in pins, f"ci/floors.txt pins {name} twice"
        pins[name] = Version(match.group(2))
    return pins


def test_floors_file_pins_exactly_the_lower_bounds() -> None:
    bounds, pins = lower_bounds(), pinned()
    assert sorted(pins) == sorted(bounds), (
        f"only in pyproject: {sorted(set(bounds) - set(pins))}; "
        f"only in ci/floors.txt: {sorted(set(pins) - set(bounds))}"
    )
    for name, version in bounds.items():
        assert pins[name] == version, f"{name}: pyproject says >={version}, floors {pins[name]}"


def test_each_floor_satisfies_its_whole_requirement() -> None:
    pins = pinned()
    for req in declared():
        assert req.specifier.contains(pins[normal(req.name)]), f"{req} excludes its own floor"


def test_keras_is_declared_directly_with_a_working_floor() -> None:
    names = {normal(Requirement(r).name): Requirement(r)
             for r in PYPROJECT["project"]["dependencies"]}
    assert "keras" in names
    # The catalog names functions that keras.activations gained up to 3.10, and the
    # choosing chapter relies on train_on_batch's 3.15 behaviour.
    assert lower_bounds()["keras"] >= Version("3.15")


def test_the_linter_cannot_change_under_make_test() -> None:
    ruff = next(r for r in declared() if normal(r.name) == "ruff")
    uppers = [s for s in ruff.specifier if s.operator in ("<", "<=", "==")]
    assert uppers, f"{ruff}: give ruff an upper bound so a new release cannot break make test"


@pytest.mark.parametrize("minimum", ["3.11"])
def test_requires_python_matches_the_floor_stage(minimum: str) -> None:
    assert PYPROJECT["project"]["requires-python"] == f">={minimum}"
    stage = (ROOT / ".ci" / "stage").read_text()
    assert f"versions_stage {minimum} -c ci/floors.txt" in stage


def test_ci_runs_the_floor_and_newest_stages_after_make_test() -> None:
    run = (ROOT / ".ci" / "run").read_text()
    stage = (ROOT / ".ci" / "stage").read_text()
    stages = re.search(r'STAGES="\$\{CI_STAGES:-([^}]*)\}"', run)
    assert stages, ".ci/run must list its stages"
    names = stages.group(1).split()
    for name in ("test", "floors", "newest", "wheel", "lab", "sequence"):
        assert name in names
    assert names[0] == "test", "make test runs first"
    assert "make test" in stage and "versions_stage 3.13" in stage
    # The cold build and the rebuild stay available on request.
    assert "\n  book)" in stage and "\n  rebuild)" in stage
