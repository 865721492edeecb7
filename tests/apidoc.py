"""Which acttutor modules and names the API page must document (for the docs and site tests).

``tests/conftest.py`` puts this folder on ``sys.path``, so any test can ``from apidoc import ...``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import acttutor
import acttutor.exercises

_BOOK = Path(__file__).resolve().parents[1] / "book"
#: The API reference: an index page and one page per subject under ``book/api/``.
API_FILES = [_BOOK / "api.md", *sorted((_BOOK / "api").glob("*.md"))]


def api_source() -> str:
    """The MyST source of every API reference page, joined."""
    return "\n".join(path.read_text(encoding="utf-8") for path in API_FILES)

#: Every public module of the package (no part of the name starts with ``_``).
MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(acttutor.__path__, "acttutor.")
    if not any(part.startswith("_") for part in info.name.split("."))
)
ALL_MODULES = ["acttutor", *MODULES]


def _defines_an_exercise(module_name: str) -> bool:
    module = importlib.import_module(module_name)
    return any(isinstance(obj, acttutor.exercises.Exercise) for obj in vars(module).values())


#: Modules that define the exercise objects; the API page documents them via the package.
CHECKER_MODULES = {
    name for name in MODULES
    if name.startswith("acttutor.exercises.") and _defines_an_exercise(name)
}


def public_names(module: Any) -> Iterator[tuple[str, Any]]:
    """A module's public names: its ``__all__``, else the functions and classes defined in it."""
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n, obj in vars(module).items()
                 if not n.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
                 and getattr(obj, "__module__", None) == module.__name__]
    for name in names:
        yield name, getattr(module, name)
