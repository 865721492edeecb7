"""acttutor.activations: the catalog is complete, gives the Keras values, and resolves names."""

from __future__ import annotations

import dataclasses
import inspect
from types import SimpleNamespace

import keras
import numpy as np
import pytest
import tensorflow as tf

from acttutor import activations as act
from acttutor.activations import (
    CATALOG,
    EXCLUDED,
    Activation,
    elementwise_activations,
    elementwise_names,
    keras_activation_names,
    resolve,
)

VECTOR_VALUED = {"softmax", "log_softmax", "sparsemax", "glu"}


def public_keras_activations() -> set[str]:
    """Every public function of keras.activations, read here independently of acttutor."""
    return {
        name
        for name in dir(keras.activations)
        if not name.startswith("_")
        and inspect.isfunction(getattr(keras.activations, name))
        and name not in {"serialize", "deserialize", "get"}
    }


def test_catalog_has_every_keras_activation_and_nothing_else():
    expected = public_keras_activations()
    missing = expected - set(CATALOG)
    extra = set(CATALOG) - expected
    assert not missing, f"keras.activations gained {sorted(missing)}: add them to CATALOG"
    assert not extra, f"CATALOG has names Keras does not: {sorted(extra)}"
    assert keras_activation_names() == sorted(expected)


def test_catalog_is_a_dict_of_activations():
    assert isinstance(CATALOG, dict)
    assert all(isinstance(e, Activation) for e in CATALOG.values())


def test_catalog_size_on_this_keras():
    # Keras 3.15 has 32; a newer Keras may add more, which the test above then demands.
    assert len(CATALOG) >= 32


@pytest.mark.parametrize("alias, target", [("swish", "silu"), ("hard_swish", "hard_silu")])
def test_aliases_share_the_entry_and_keras_agrees(alias, target):
    assert getattr(keras.activations, alias) is getattr(keras.activations, target)
    assert CATALOG[alias] is CATALOG[target]
    assert alias in CATALOG[target].aliases
    assert CATALOG[alias].name == target


def test_every_non_alias_entry_is_named_after_its_key():
    for key, entry in CATALOG.items():
        if key not in entry.aliases:
            assert entry.name == key


def test_entries_are_frozen_and_params_read_only():
    entry = CATALOG["threshold"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        entry.params["threshold"] = 5.0  # type: ignore[index]


def _probe() -> np.ndarray:
    rng = np.random.default_rng(1)
    return (rng.normal(size=(4, 24)) * 4).astype(np.float32)


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_fn_gives_the_keras_values(key):
    entry = CATALOG[key]
    x = tf.constant(_probe())
    expected = np.asarray(getattr(keras.activations, key)(x, **entry.params))
    got = np.asarray(entry.fn(x))
    np.testing.assert_array_equal(got, expected)


def test_functions_without_required_params_are_the_keras_objects():
    for key, entry in CATALOG.items():
        if not entry.params:
            assert entry.fn is getattr(keras.activations, key)


def test_threshold_binds_documented_values():
    entry = CATALOG["threshold"]
    assert dict(entry.params) == {"threshold": 1.0, "default_value": 0.0}
    assert r"\theta = 1" in entry.formula and "v = 0" in entry.formula
    # x > theta keeps x; x <= theta (including theta itself) gives the default value
    got = np.asarray(entry.fn([0.5, 1.0, 1.5, -3.0]))
    np.testing.assert_array_equal(got, [0.0, 0.0, 1.5, 0.0])
    assert entry.fn.__name__ == "threshold"


def test_required_parameters_are_all_bound():
    for key, entry in CATALOG.items():
        sig = inspect.signature(getattr(keras.activations, key))
        required = [p.name for p in list(sig.parameters.values())[1:]
                    if p.default is inspect.Parameter.empty]
        assert set(required) <= set(entry.params), f"{key} leaves {required} unbound"


def test_elementwise_flag_matches_behaviour():
    probe = np.linspace(-0.3, 0.3, 8, dtype=np.float32).reshape(2, 4)

    def behaves_elementwise(fn) -> bool:
        out = np.asarray(fn(probe))
        if out.shape != probe.shape:
            return False
        for j in range(probe.size):
            nudged = probe.copy()
            nudged.flat[j] += 0.5
            moved = np.asarray(fn(nudged)) != out
            moved.flat[j] = False
            if moved.any():
                return False
        return True

    for key, entry in CATALOG.items():
        assert behaves_elementwise(entry.fn) == entry.elementwise, key
    assert {k for k, e in CATALOG.items() if not e.elementwise} == VECTOR_VALUED


def test_formulas_are_latex_without_dollars_and_balanced():
    for key, entry in CATALOG.items():
        assert entry.formula and "$" not in entry.formula, key
        assert entry.formula.count("{") == entry.formula.count("}"), key
        assert "|" not in entry.formula, f"{key}: use \\lvert/\\rvert (pipes break tables)"


def test_formula_constants_agree_with_the_functions():
    f64 = tf.float64
    selu = keras.activations.selu
    assert round(float(selu(tf.constant([1.0], f64))[0]), 4) == 1.0507
    assert "1.0507" in CATALOG["selu"].formula
    floor = float(selu(tf.constant([-60.0], f64))[0])
    assert round(-floor / 1.0507009873554805, 4) == 1.6733
    assert "1.6733" in CATALOG["selu"].formula
    assert float(keras.activations.leaky_relu(tf.constant([-1.0]))[0]) == pytest.approx(-0.2)
    assert r"\alpha = 0.2" in CATALOG["leaky_relu"].formula
    assert float(keras.activations.elu(tf.constant([-60.0], f64))[0]) == pytest.approx(-1.0)
    assert float(keras.activations.hard_shrink(tf.constant([0.5, 0.51]))[1]) == pytest.approx(0.51)
    assert float(keras.activations.squareplus(tf.constant([0.0]))[0]) == pytest.approx(1.0)


def test_elementwise_names():
    names = elementwise_names()
    assert "relu" in names and "swish" not in names and not set(names) & VECTOR_VALUED
    assert "swish" in elementwise_names(aliases=True)
    assert len(names) == len(public_keras_activations()) - len(VECTOR_VALUED) - 2




def test_elementwise_activations_lists_each_catalog_function_once():
    fns = elementwise_activations()
    unique = {id(e) for e in CATALOG.values() if e.elementwise}
    assert len(fns) == len(unique)
    assert "relu" in fns and "silu" in fns and "hard_silu" in fns
    for name in ("softmax", "log_softmax", "sparsemax", "glu", "swish", "hard_swish"):
        assert name not in fns
    assert fns["relu"] is CATALOG["relu"].fn


def test_elementwise_activations_with_a_custom_catalog():
    relu = SimpleNamespace(name="relu", fn=tf.nn.relu, elementwise=True)
    silu = SimpleNamespace(name="silu", fn=tf.nn.silu, elementwise=True)
    soft = SimpleNamespace(name="softmax", fn=tf.nn.softmax, elementwise=False)
    again = SimpleNamespace(name="relu_alias", fn=tf.nn.relu, elementwise=True)
    catalog = {"relu": relu, "swish": silu, "silu": silu, "softmax": soft, "r2": again}
    assert elementwise_activations(catalog) == {"relu": tf.nn.relu, "silu": tf.nn.silu}
    with pytest.raises(TypeError, match="catalog must map names to entries"):
        elementwise_activations(["relu"])
    with pytest.raises(TypeError, match=r"catalog\['x'\] has no function `fn`"):
        elementwise_activations({"x": SimpleNamespace(name="x", elementwise=True)})


def test_the_element_wise_list_is_one_list():
    """elementwise_names and elementwise_activations name the same entries, in the same order."""
    assert list(elementwise_activations()) == elementwise_names()
    with_aliases = elementwise_names(aliases=True)
    assert set(with_aliases) - set(elementwise_names()) == {"swish", "hard_swish"}
    assert with_aliases == sorted(with_aliases)


def test_excluded_names_are_keras_helpers_not_activations():
    assert EXCLUDED == {"serialize", "deserialize", "get"}
    assert all(callable(getattr(keras.activations, name)) for name in EXCLUDED)
    assert not EXCLUDED & set(CATALOG)


# --- resolve --------------------------------------------------------------------------


def test_resolve():
    assert resolve("relu") == ("relu", CATALOG["relu"].fn)
    name, fn = resolve("threshold")
    assert name == "threshold" and fn is CATALOG["threshold"].fn
    assert resolve(tf.nn.relu)[0] == "relu"
    with pytest.raises(ValueError, match="Unknown activation"):
        resolve("not_an_activation")
    with pytest.raises(TypeError, match="name or a callable"):
        resolve(3)


def test_resolve_prefers_the_catalog_then_keras():
    # threshold needs bound parameters: the catalog's entry has them, Keras's bare function not
    _, fn = resolve("threshold")
    np.testing.assert_array_equal(np.asarray(fn([0.5, 2.0])), [0.0, 2.0])
    # an alias key gives the entry it aliases
    assert resolve("swish") == ("swish", CATALOG["silu"].fn)


def test_module_docstrings_and_exports():
    assert set(act.__all__) >= {"CATALOG", "Activation", "derivative", "resolve"}
    for name in act.__all__:
        obj = getattr(act, name)
        if callable(obj) and not isinstance(obj, dict):
            assert inspect.getdoc(obj) and "Example" in inspect.getdoc(obj), name
