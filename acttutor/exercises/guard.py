"""Keep the learner's code from changing the libraries a checker relies on, or using banned ones.

While the learner's code runs inside :func:`library_guard`:

* any function it replaces in NumPy, ``math``, TensorFlow or Keras
  (``np.exp = ...``) is put back afterwards, so neither this check nor a
  later one computes with the replacement;
* the functions named in ``forbid`` (``"numpy.tanh"``) raise
  :class:`Forbidden` instead of running, wherever the learner's code reaches
  them: as ``np.tanh``, through a name it imported (``from numpy import
  tanh``), a closure or a default argument, in its own function or in a
  helper it calls.

Example:

>>> import numpy as np
>>> def sneaky(x):
...     np.exp = lambda v: v  # replaces NumPy's exp for everyone
...     return x
>>> with library_guard(sneaky) as restored:
...     _ = sneaky(1.0)
>>> restored, float(np.exp(0.0))
(['np.exp'], 1.0)
"""

from __future__ import annotations

import math
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import numpy as np

__all__ = ["Forbidden", "guarded_modules", "library_guard", "replaced_since_import",
           "restored_note"]

_MISSING = object()


class Forbidden(BaseException):
    """Raised when the learner's code calls a function the exercise rules out.

    A ``BaseException``, so that the learner's own ``except Exception:`` does
    not swallow it.

    Example:

    >>> Forbidden("np.tanh").name
    'np.tanh'

    Args:
        name: The function's name as the learner writes it, such as ``"np.tanh"``.
    """

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def guarded_modules() -> dict[str, ModuleType]:
    """The library modules whose functions are put back after the learner's code runs.

    NumPy and ``math`` always; TensorFlow (``tf``, ``tf.math``, ``tf.nn``) and
    Keras (``keras``, ``keras.activations``, ``keras.ops``) once they are
    imported. Keyed by how a learner writes them (``"np"``, ``"tf.math"``).

    Example:

    >>> {"np", "np.linalg", "math"} <= set(guarded_modules())
    True

    Returns:
        ``{short name: module}``.
    """
    found: dict[str, ModuleType] = {"np": np, "np.linalg": np.linalg, "math": math}
    tf = sys.modules.get("tensorflow")
    if tf is not None:
        found["tf"] = tf
        for sub in ("math", "nn"):
            module = getattr(tf, sub, None)
            if isinstance(module, ModuleType):
                found[f"tf.{sub}"] = module
    keras = sys.modules.get("keras")
    if keras is not None:
        found["keras"] = keras
        for sub in ("activations", "ops"):
            module = getattr(keras, sub, None)
            if isinstance(module, ModuleType):
                found[f"keras.{sub}"] = module
    return found


_ALIASES = {"numpy": "np", "tensorflow": "tf"}


def _short(dotted: str) -> tuple[str, str]:
    """Split a dotted name the way a learner writes it: ``"numpy.tanh"`` -> ``("np", "tanh")``."""
    module, _, attr = dotted.rpartition(".")
    head, _, rest = module.partition(".")
    head = _ALIASES.get(head, head)
    return (f"{head}.{rest}" if rest else head), attr


def _refuser(name: str) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise Forbidden(name)

    refuse.__name__ = name.rpartition(".")[2]
    return refuse


@contextmanager
def library_guard(fn: Any = None, *, forbid: Sequence[str] = ()) -> Iterator[list[str]]:
    """Run the learner's code with the libraries protected; yields the names it replaced.

    Example:

    >>> with library_guard(forbid=["numpy.tanh"]):
    ...     try:
    ...         np.tanh(0.0)
    ...     except Forbidden as exc:
    ...         print("refused:", exc.name)
    refused: np.tanh

    Args:
        fn: The learner's function: names in its globals bound to a forbidden function
            are covered too.
        forbid: Dotted names (``"numpy.tanh"``, ``"math.tanh"``) of functions to refuse;
            names of modules not imported are skipped.

    Returns:
        A context manager. The list it yields is filled, on exit, with the short names
        (``"np.exp"``) of the functions the code replaced and that were put back.
    """
    modules = guarded_modules()
    saved = {short: dict(vars(module)) for short, module in modules.items()}
    banned: list[tuple[Any, str, Any]] = []  # (namespace dict or module, key, original)
    originals: dict[int, str] = {}
    for dotted in forbid:
        short, attr = _short(dotted)
        module = modules.get(short)
        if module is not None and hasattr(module, attr):
            originals[id(getattr(module, attr))] = f"{short}.{attr}"
    target = getattr(fn, "func", fn)  # functools.partial(np.tanh) is np.tanh too
    if id(target) in originals:  # the answer IS the forbidden function
        raise Forbidden(originals[id(target)])
    for dotted in forbid:
        short, attr = _short(dotted)
        module = modules.get(short)
        if module is None or not hasattr(module, attr):
            continue
        original = getattr(module, attr)
        setattr(module, attr, _refuser(f"{short}.{attr}"))
        banned.append((module, attr, original))
    if originals:
        banned += _ban_references(fn, originals)
    restored: list[str] = []
    try:
        yield restored
    finally:
        for holder, key, original in reversed(banned):
            if isinstance(holder, dict):
                holder[key] = original
            elif isinstance(holder, types.CellType):
                holder.cell_contents = original
            else:
                setattr(holder, key, original)
        for short, module in modules.items():
            current = vars(module)
            for key, value in saved[short].items():
                now = current.get(key, _MISSING)
                if now is value or not _protected(key, value, now):
                    continue
                setattr(module, key, value)
                restored.append(f"{short}.{key}")


def _functions_reached(fn: Any, limit: int = 50) -> list[types.FunctionType]:
    """``fn`` and the Python functions it can reach by name: helpers in its globals."""
    start = getattr(fn, "__func__", fn)
    if not isinstance(start, types.FunctionType):  # a callable object: its __call__ method
        start = next((vars(k)["__call__"] for k in type(fn).__mro__ if "__call__" in vars(k)),
                     None)
    todo = [start] if isinstance(start, types.FunctionType) else []
    seen: list[types.FunctionType] = []
    while todo and len(seen) < limit:
        f = todo.pop()
        if any(f is g for g in seen):
            continue
        seen.append(f)
        codes = [f.__code__]
        names: set[str] = set()
        while codes:
            code = codes.pop()
            names |= set(code.co_names)
            codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
        values = [f.__globals__.get(n) for n in names]
        values += [c.cell_contents for c in (f.__closure__ or ()) if _filled(c)]
        todo += [v for v in values if isinstance(v, types.FunctionType)]
    return seen


def _filled(cell: types.CellType) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - an empty cell raises
    except ValueError:
        return False
    return True


def _ban_references(fn: Any, originals: dict[int, str]) -> list[tuple[Any, Any, Any]]:
    """Replace forbidden functions wherever the learner's code holds them; return the undo list.

    That is: names in the globals of ``fn`` and of the helpers it calls, their
    closure cells (``t = np.tanh`` in an enclosing function) and their default
    arguments (``def f(x, t=np.tanh)``).
    """
    undo: list[tuple[Any, Any, Any]] = []
    for f in _functions_reached(fn):
        namespace = f.__globals__
        for key, value in list(namespace.items()):
            if id(value) in originals:
                namespace[key] = _refuser(originals[id(value)])
                undo.append((namespace, key, value))
        for cell in f.__closure__ or ():
            if _filled(cell) and id(cell.cell_contents) in originals:
                original = cell.cell_contents
                cell.cell_contents = _refuser(originals[id(original)])
                undo.append((cell, None, original))
        if f.__defaults__ and any(id(v) in originals for v in f.__defaults__):
            undo.append((f, "__defaults__", f.__defaults__))
            f.__defaults__ = tuple(_refuser(originals[id(v)]) if id(v) in originals else v
                                   for v in f.__defaults__)
        kwdefaults = f.__kwdefaults__ or {}
        for key, value in list(kwdefaults.items()):
            if id(value) in originals:
                kwdefaults[key] = _refuser(originals[id(value)])
                undo.append((kwdefaults, key, value))
    return undo


def _protected(key: str, saved: Any, now: Any) -> bool:
    """Whether a changed module attribute is one to put back.

    Dunder entries (``__warningregistry__``) and submodules are left alone: a
    library changes those itself, for example when a lazily loaded submodule
    replaces its placeholder on first use.
    """
    return not (key.startswith("__") or isinstance(saved, ModuleType)
                or isinstance(now, ModuleType))


def replaced_since_import() -> list[str]:
    """NumPy and ``math`` functions that are no longer the ones acttutor saw at import.

    When a check crashes, this tells a learner's earlier ``np.maximum = ...``
    (which breaks NumPy itself) from a bug in acttutor.

    Example:

    >>> replaced_since_import()
    []

    Returns:
        Their short names, such as ``["np.maximum"]``.
    """
    from acttutor.exercises.references import AT_IMPORT

    current = {"np": vars(np), "math": vars(math)}
    return [f"{short}.{key}" for short, saved in AT_IMPORT.items() for key, value in saved.items()
            if current[short].get(key, _MISSING) is not value
            and _protected(key, value, current[short].get(key, _MISSING))]


def restored_note(names: Sequence[str]) -> str:
    """The note telling the learner that library functions they replaced were put back.

    Example:

    >>> restored_note(["np.exp"])[:42]
    'Your code replaced np.exp while it ran; th'

    Args:
        names: The short names of the functions put back.

    Returns:
        The note.
    """
    listed = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
    return (
        f"Your code replaced {listed} while it ran; the checker put the library's own "
        "function back, so it would not compute with yours. Give a helper of your own a "
        "new name instead of assigning to a library's attribute."
    )
