"""acttutor.prose.glue_values: several values for the prose in one call, as plain Python."""

from __future__ import annotations

import ast
from typing import Any

import numpy as np
import pytest
import tensorflow as tf

import acttutor
from acttutor import prose


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any], str]]:
    """What glue_values publishes, as if it ran in a kernel: (name, bundle, mime prefix)."""
    import myst_nb.ext.glue as glue_module

    found: list[tuple[str, dict[str, Any], str]] = []

    def display(bundle: dict[str, Any], raw: bool, metadata: dict[str, Any]) -> None:
        assert raw is True
        scrapbook = metadata["scrapbook"]
        found.append((scrapbook["name"], bundle, scrapbook["mime_prefix"]))

    monkeypatch.setattr(prose, "_in_a_kernel", lambda: True)
    monkeypatch.setattr(glue_module, "ipy_display", display)
    return found


def _stored_text(found: list[tuple[str, dict[str, Any], str]]) -> dict[str, str]:
    return {name: bundle[f"{prefix}text/plain"] for name, bundle, prefix in found}


def test_each_value_is_glued_hidden_under_its_name(published: list) -> None:
    assert acttutor.glue_values is prose.glue_values
    acttutor.glue_values(share=0.5, label="relu", steps=160)
    assert [name for name, _, _ in published] == ["share", "label", "steps"]
    # display=False: the values are stored under the glue prefix, so the cell shows nothing
    assert all(prefix and not any(k.startswith("text/") for k in bundle)
               for _, bundle, prefix in published)
    assert _stored_text(published) == {"share": "0.5", "label": "'relu'", "steps": "160"}


def test_numpy_and_tensorflow_values_are_stored_as_plain_python(published: list) -> None:
    prose.glue_values(
        f32=np.float32(0.25),
        i64=np.int64(7),
        flag=np.bool_(True),
        array=np.array([1.5, 2.5]),
        tensor=tf.constant(3.0),
        variable=tf.Variable([1, 2]),
        nested={"a": [np.float64(0.125), (np.int32(2),)]},
    )
    text = _stored_text(published)
    values = {name: ast.literal_eval(t) for name, t in text.items()}
    assert values == {"f32": 0.25, "i64": 7, "flag": True, "array": [1.5, 2.5],
                      "tensor": 3.0, "variable": [1, 2], "nested": {"a": [0.125, (2,)]}}
    assert "np." not in "".join(text.values())  # no np.float32(...) reprs in the prose
    assert type(values["flag"]) is bool and type(values["i64"]) is int


def test_a_mapping_gives_names_made_in_a_loop(published: list) -> None:
    prose.glue_values({f"acc_{n}": a for n, a in [("relu", 0.9), ("tanh", 0.8)]}, best="relu")
    assert _stored_text(published) == {"acc_relu": "0.9", "acc_tanh": "0.8", "best": "'relu'"}


def test_outside_a_kernel_nothing_is_published(monkeypatch: pytest.MonkeyPatch) -> None:
    import myst_nb.ext.glue as glue_module

    def fail(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("published outside a kernel")

    import IPython

    monkeypatch.setattr(glue_module, "ipy_display", fail)
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert prose._in_a_kernel() is False
    assert prose.glue_values(x=1.0) is None
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())  # a kernel's shell
    assert prose._in_a_kernel() is True


@pytest.mark.parametrize(("args", "kwargs", "error", "words"), [
    ((["x", 1],), {}, TypeError, "mapping from name to value"),
    (({1: 2.0},), {}, TypeError, "names are strings"),
    ((), {"not a name": 1}, ValueError, "letters, digits and underscores"),
    ((), {"2fast": 1}, ValueError, "not a valid name"),
    (({"x": 1},), {"x": 2}, ValueError, "x given twice"),
])
def test_bad_input_gets_a_clear_message(published: list, args: tuple, kwargs: dict,
                                        error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        prose.glue_values(*args, **kwargs)
    assert published == []  # nothing half-stored
