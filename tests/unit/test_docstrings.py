"""Every public name of acttutor has a Keras-style docstring (the API page is built from them).

A public name is one in a module's ``__all__``, or, in a module without ``__all__``,
a function or class defined there whose name has no leading underscore. For each:

* functions, classes and public methods have a docstring with a one-line summary;
* a function or method with parameters documents each of them under ``Args:`` (a
  class may list its constructor's under ``Attributes:``, as dataclasses do), and one
  that returns something (its annotation is not ``None``) has a ``Returns:`` section;
* module-level functions and classes (exceptions aside) show an ``Example:`` with a
  ``>>>`` snippet;
* constants carry a ``#:`` comment, which the API page shows as their description (a
  constant a module re-exports is documented where it is defined);
* every public module is on an API page (``book/api/*.md``), except the exercise
  checker modules, which learners reach through ``acttutor.exercises``.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from typing import Any

import pytest
from apidoc import ALL_MODULES, CHECKER_MODULES, MODULES, api_source, public_names
from sphinx.pycode import ModuleAnalyzer

import acttutor

SECTION = re.compile(r"^(\s*)([A-Z][A-Za-z ]*):\s*$")


KNOWN_SECTIONS = {
    "Args", "Arguments", "Returns", "Yields", "Raises", "Example", "Examples",
    "Attributes", "Note", "Notes", "Warning", "See Also",
}


def section_names(doc: str) -> set[str]:
    """The Google-style section headers of a docstring (``Args``, ``Returns``, ...)."""
    return {m.group(2) for line in inspect.cleandoc(doc).splitlines()
            if (m := SECTION.match(line)) and m.group(2) in KNOWN_SECTIONS}


def has_example(doc: str) -> bool:
    """An ``Example:`` header with a ``>>>`` line somewhere after it."""
    lines = inspect.cleandoc(doc).splitlines()
    for i, line in enumerate(lines):
        if line.strip() in ("Example:", "Examples:"):
            return any(ln.lstrip().startswith(">>>") for ln in lines[i + 1:])
    return False


def documented_args(doc: str, headers: tuple[str, ...] = ("Args", "Arguments")) -> set[str]:
    """Names listed under ``Args:`` (``name:``, ``name (type):``, ``*args:``)."""
    names: set[str] = set()
    header_indent = None
    for line in inspect.cleandoc(doc).splitlines():
        match = SECTION.match(line)
        if match:
            header_indent = len(match.group(1)) if match.group(2) in headers else None
            continue
        if header_indent is None or not line.strip():
            continue
        if len(line) - len(line.lstrip()) <= header_indent:
            header_indent = None  # back to body text
            continue
        entry = re.match(r"^\s+(\*{0,2}\w+)(\s*\([^)]*\))?:", line)
        if entry:
            names.add(entry.group(1).lstrip("*"))
    return names


def params(fn: Callable[..., Any], *, bound: bool) -> list[str]:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return []
    names = [p.name for p in sig.parameters.values()]
    return names[1:] if bound and names and names[0] in ("self", "cls") else names


def returns_something(fn: Callable[..., Any]) -> bool:
    annotation = inspect.signature(fn).return_annotation
    return annotation not in (inspect.Signature.empty, None, "None", "NoReturn", "Never")


def check_callable(label: str, fn: Callable[..., Any], *, bound: bool,
                   example: bool) -> list[str]:
    doc = inspect.getdoc(fn)
    if not doc or not doc.strip():
        return [f"{label}: no docstring"]
    problems = []
    summary = inspect.cleandoc(doc).splitlines()[0]
    if not summary.strip():
        problems.append(f"{label}: the docstring does not start with a one-line summary")
    wanted = params(fn, bound=bound)
    missing = [p for p in wanted if p not in documented_args(doc)]
    if missing:
        problems.append(f"{label}: Args: does not document {', '.join(missing)}")
    if returns_something(fn) and not ({"Returns", "Yields"} & section_names(doc)):
        problems.append(f"{label}: no Returns: section")
    if example and not has_example(doc):
        problems.append(f"{label}: no Example: with a >>> snippet")
    return problems


def check_class(label: str, cls: type) -> list[str]:
    doc = cls.__doc__
    if not doc or not doc.strip():
        return [f"{label}: no docstring"]
    problems = []
    is_exception = issubclass(cls, BaseException)
    init = cls.__dict__.get("__init__") or cls.__dict__.get("__new__")
    if init is not None:
        wanted = params(init, bound=True)
        # A dataclass may describe its fields under Attributes: instead.
        documented = documented_args(doc, ("Args", "Arguments", "Attributes"))
        missing = [p for p in wanted if p not in documented]
        if missing:
            problems.append(f"{label}: Args: does not document {', '.join(missing)}")
    if not is_exception and not has_example(doc):
        problems.append(f"{label}: no Example: with a >>> snippet")
    for name, member in cls.__dict__.items():
        if name.startswith("_"):
            continue
        where = f"{label}.{name}"
        if isinstance(member, property):
            if not (member.__doc__ or "").strip():
                problems.append(f"{where}: no docstring")
        elif isinstance(member, (staticmethod, classmethod)):
            problems += check_callable(where, member.__func__,
                                       bound=isinstance(member, classmethod), example=False)
        elif inspect.isfunction(member):
            problems += check_callable(where, member, bound=True, example=False)
    return problems


def imported_from(module_name: str, name: str) -> str | None:
    """The module that ``module_name`` imports ``name`` from (``from X import name``), if any."""
    module = importlib.import_module(module_name)
    tree = ast.parse(inspect.getsource(module))
    package = module_name if hasattr(module, "__path__") else module_name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(
            (alias.asname or alias.name) == name for alias in node.names
        ):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                return f"{base}.{node.module}" if node.module else base
            return node.module
    return None


@functools.cache
def constant_documented(module_name: str, name: str) -> bool:
    """A ``#:`` comment above the constant, here or in the acttutor module it comes from."""
    if ("", name) in ModuleAnalyzer.for_module(module_name).find_attr_docs():
        return True
    source = imported_from(module_name, name)
    return bool(source and source.startswith("acttutor") and source != module_name
                and constant_documented(source, name))


@functools.cache
def problems_in(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    if not (module.__doc__ or "").strip():
        return [f"{module_name}: no module docstring"]
    problems: list[str] = []
    for name, obj in public_names(module):
        label = f"{module_name}.{name}"
        defined_here = getattr(obj, "__module__", module_name) == module_name
        if inspect.isclass(obj):
            problems += check_class(label, obj) if defined_here else []
        elif inspect.isfunction(obj):
            problems += (check_callable(label, obj, bound=False, example=True)
                         if defined_here else [])
        elif inspect.ismodule(obj) or name.startswith("__"):
            continue
        elif type(obj).__module__.startswith("acttutor"):
            continue  # an object of a documented acttutor class, such as an Exercise
        elif not constant_documented(module_name, name):
            problems.append(f"{label}: a constant without a `#:` comment above it")
    return problems


def test_the_package_has_the_expected_modules() -> None:
    for name in ("acttutor.activations", "acttutor.plotting", "acttutor.about",
                 "acttutor.exercises", "acttutor.exercises.core"):
        assert name in MODULES


EXAMPLE = "no Example:"


@pytest.mark.parametrize("module_name", ALL_MODULES)
def test_public_names_have_docstrings_with_args_and_returns(module_name: str) -> None:
    assert [p for p in problems_in(module_name) if EXAMPLE not in p] == []


@pytest.mark.parametrize("module_name", ALL_MODULES)
def test_public_functions_and_classes_show_an_example(module_name: str) -> None:
    assert [p for p in problems_in(module_name) if EXAMPLE in p] == []


def test_every_public_module_is_on_the_api_page() -> None:
    api = api_source()
    documented = set(re.findall(r"^\.\. automodule:: (\S+)", api, re.M))
    expected = set(ALL_MODULES) - CHECKER_MODULES
    assert sorted(expected - documented) == [], "add these modules to a page of book/api/"
    assert sorted(documented - set(ALL_MODULES)) == [], "book/api/ names unknown modules"


# The checker itself must catch what it is meant to catch.

def _undocumented(x: int) -> int:
    return x


def _no_args(x: int, y: int) -> int:
    """Add.

    Example:

    >>> _no_args(1, 2)
    3

    Args:
        x: The first.

    Returns:
        The sum.
    """
    return x + y


def _good(x: int, *rest: int, scale: float = 1.0) -> float:
    """Scale a sum.

    Example:

    >>> _good(1, 2, scale=2.0)
    6.0

    Args:
        x: The first number.
        *rest: More numbers.
        scale: The factor.

    Returns:
        The scaled sum.
    """
    return scale * (x + sum(rest))


def _no_example_no_returns(x: int) -> int:
    """Do it.

    Args:
        x: A number.
    """
    return x


def test_the_checker_flags_what_is_missing() -> None:
    assert check_callable("f", _undocumented, bound=False, example=True) == ["f: no docstring"]
    assert check_callable("f", _no_args, bound=False, example=True) == [
        "f: Args: does not document y"]
    assert check_callable("f", _good, bound=False, example=True) == []
    assert check_callable("f", _no_example_no_returns, bound=False, example=True) == [
        "f: no Returns: section", "f: no Example: with a >>> snippet"]


def test_the_checker_reads_classes_and_methods() -> None:
    class Documented:
        """A thing.

        Example:

        >>> Documented(1).twice()
        2

        Args:
            n: How many.
        """

        def __init__(self, n: int) -> None:
            self.n = n

        def twice(self) -> int:
            """Return twice ``n``.

            Returns:
                The doubled count.
            """
            return 2 * self.n

        def bare(self, k: int) -> None:
            return None

    assert check_class("C", Documented) == ["C.bare: no docstring"]
    Documented.__doc__ = "A thing."
    assert check_class("C", Documented) == [
        "C: Args: does not document n", "C: no Example: with a >>> snippet",
        "C.bare: no docstring"]


def test_the_checker_follows_a_re_exported_constant_to_its_home() -> None:
    assert imported_from("acttutor.cost", "COPIES") == "acttutor.cost.floor"
    assert constant_documented("acttutor.cost", "COPIES")
    assert constant_documented("acttutor.cost.floor", "COPIES")
    assert imported_from("acttutor.cost.floor", "COPIES") is None
    # a name that is neither assigned with a `#:` comment nor imported is not documented
    assert not constant_documented("acttutor.cost.floor", "TensorFn")
    assert CHECKER_MODULES and all(m.startswith("acttutor.exercises.") for m in CHECKER_MODULES)



EVERY_MODULE = ["acttutor", *sorted(
    info.name for info in pkgutil.walk_packages(acttutor.__path__, "acttutor."))]


@pytest.mark.parametrize("module_name", EVERY_MODULE)
def test_every_module_opens_with_one_sentence_saying_its_job(module_name: str) -> None:
    """Private modules too: a newcomer reads the first line to know where a thing lives."""
    doc = inspect.getdoc(importlib.import_module(module_name)) or ""
    lines = doc.splitlines()
    assert lines and lines[0].strip(), f"{module_name}: no module docstring"
    first = lines[0].strip()
    assert first.rstrip('"').endswith((".", "?")), f"{module_name}: {first!r} is not a sentence"
    assert len(lines) == 1 or not lines[1].strip(), f"{module_name}: the summary runs on a line"


#: Modules that gather names defined in other modules of the package. The API page documents
#: each name where it is defined and lists it again, as a link, under the gathering module,
#: so that a reference to the path a chapter imports from (``acttutor.cost.CostTable``)
#: resolves in the nitpicky build.
GATHERING = ("acttutor.activations", "acttutor.training", "acttutor.cost",
             "acttutor.diagnostics")


def api_stubs(api: str) -> dict[str, set[str]]:
    """``{module: names}`` declared with ``.. py:function::``/``.. py:class::`` under a
    ``.. py:currentmodule::`` line of the API page."""
    found: dict[str, set[str]] = {}
    current = None
    for line in api.splitlines():
        if m := re.match(r"^\.\. py:currentmodule:: (\S+)", line):
            current = m.group(1)
        elif (m := re.match(r"^\.\. py:(?:function|class):: (\w+)", line)) and current:
            found.setdefault(current, set()).add(m.group(1))
        elif line.startswith("```") or line.startswith("#"):
            current = None
    return found


@pytest.mark.parametrize("module_name", GATHERING)
def test_gathered_names_are_listed_where_they_are_imported_from(module_name: str) -> None:
    module = importlib.import_module(module_name)
    gathered = {
        name for name, obj in public_names(module)
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ != module_name
    }
    stubs = api_stubs(api_source())
    assert sorted(gathered - stubs.get(module_name, set())) == [], "list these in book/api/"
    assert sorted(stubs.get(module_name, set()) - gathered) == [], "book/api/ lists extras"
