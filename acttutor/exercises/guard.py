"""Keep the learner's code from changing the libraries a checker relies on, or using banned ones.

While the learner's code runs inside :func:`library_guard`:

* any function it replaces in NumPy, ``math``, TensorFlow or Keras
  (``np.exp = ...``) is put back afterwards, so neither this check nor a
  later one computes with the replacement;
* the functions named in ``forbid`` (``"numpy.tanh"``) raise
  :class:`Forbidden` instead of running, wherever the learner's code reaches
  them: as ``np.tanh``, or through a name it imported (``from numpy import
  tanh``).

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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import numpy as np

__all__ = ["Forbidden", "guarded_modules", "library_guard", "restored_note"]

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
        if module is None or not hasattr(module, attr):
            continue
        original = getattr(module, attr)
        originals[id(original)] = f"{short}.{attr}"
        setattr(module, attr, _refuser(f"{short}.{attr}"))
        banned.append((module, attr, original))
    namespace = getattr(getattr(fn, "__func__", fn), "__globals__", None)
    if isinstance(namespace, dict) and originals:
        for key, value in list(namespace.items()):
            if id(value) in originals:
                namespace[key] = _refuser(originals[id(value)])
                banned.append((namespace, key, value))
    restored: list[str] = []
    try:
        yield restored
    finally:
        for holder, key, original in banned:
            if isinstance(holder, dict):
                holder[key] = original
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


def _protected(key: str, saved: Any, now: Any) -> bool:
    """Whether a changed module attribute is one to put back.

    Dunder entries (``__warningregistry__``) and submodules are left alone: a
    library changes those itself, for example when a lazily loaded submodule
    replaces its placeholder on first use.
    """
    return not (key.startswith("__") or isinstance(saved, ModuleType)
                or isinstance(now, ModuleType))


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
