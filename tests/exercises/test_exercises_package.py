"""The exercises package: found by a naming rule, imported lazily (acttutor/exercises/__init__)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from nbutils import ROOT

import acttutor.exercises as exercises


def test_every_exercise_is_found_by_the_naming_rule() -> None:
    names = exercises.exercise_names()
    assert names[:5] == sorted(names[:5]) and all(n.startswith("implement_") for n in names[:5])
    assert names[5:] == sorted(names[5:], key=lambda n: int(n[2:]))
    assert {"ex1", "ex2", "ex3", "ex4", "ex5"} <= set(names[5:])
    assert set(names) <= set(exercises.__all__)
    for name in names:
        module = exercises.module_of(name)
        exercise = getattr(exercises, name)
        assert exercise.name == name and type(exercise).__name__ == "Exercise"
        assert sys.modules[module].__dict__[name] is exercise
        notebook = exercise.notebook
        folder = ROOT / "book" / ("" if name.startswith("implement_") else "exercises")
        assert (folder / notebook).is_file(), (name, notebook)
        assert notebook == exercises.notebook_of(module)


def test_unknown_names_are_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="no attribute 'ex99'"):
        exercises.ex99  # noqa: B018
    with pytest.raises(KeyError, match="no exercise named 'implement_gelu'"):
        exercises.module_of("implement_gelu")


def test_importing_one_numpy_exercise_loads_neither_tensorflow_nor_the_others() -> None:
    code = ("import sys\nfrom acttutor.exercises import implement_relu, CheckResult\n"
            "import acttutor\nacttutor.progress()\n"
            "print(sorted(m for m in sys.modules if m.startswith(('tensorflow', 'keras', "
            "'acttutor.exercises.ex'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stdout
