"""Unit tests of the activation catalog and its helpers (issue 4).

Covers acttutor.activations (CATALOG, derivative, computed properties, relative
cost), acttutor.namespaces, acttutor.propagation and acttutor.tables (the catalog's
plots are tested in tests/unit/plots/). All fast: no notebook is executed here.
"""

from __future__ import annotations

import dataclasses
import inspect
import math

import keras
import matplotlib
import numpy as np
import pytest
import tensorflow as tf

from acttutor import activations as act
from acttutor.activations import (
    CATALOG,
    Activation,
    Properties,
    compute_properties,
    derivative,
    elementwise_names,
    keras_activation_names,
    properties_table,
    relative_cost,
    resolve,
)

matplotlib.use("Agg")

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


# --- completeness -------------------------------------------------------------------


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


# --- values -------------------------------------------------------------------------


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


# --- derivative ---------------------------------------------------------------------


@pytest.mark.parametrize("key", elementwise_names())
def test_derivative_matches_central_differences(key):
    fn = CATALOG[key].fn
    x = np.random.default_rng(7).uniform(-5.0, 5.0, size=64)
    h = 1e-6
    numeric = (np.asarray(fn(tf.constant(x + h))) - np.asarray(fn(tf.constant(x - h)))) / (2 * h)
    analytic = derivative(fn, x, dtype=tf.float64)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-6)


def test_derivative_float32_default_and_known_values():
    d = derivative(tf.nn.relu, np.array([-1.0, 2.0]))
    assert d.dtype == np.float32
    np.testing.assert_array_equal(d, [0.0, 1.0])
    x = np.linspace(-3, 3, 7)
    np.testing.assert_allclose(derivative(tf.tanh, x), 1 - np.tanh(x) ** 2, rtol=1e-5)
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(derivative(tf.sigmoid, x), s * (1 - s), rtol=1e-5)


def test_derivative_of_a_constant_is_zero():
    d = derivative(lambda t: tf.constant(3.0) + 0 * tf.stop_gradient(t), np.ones(3))
    np.testing.assert_array_equal(d, np.zeros(3))


def test_derivative_rejects_vector_valued_functions():
    with pytest.raises(ValueError, match="element-wise"):
        derivative(keras.activations.glu, np.ones((2, 4)))


# --- computed properties ------------------------------------------------------------


def props(key: str) -> Properties:
    return CATALOG[key].properties


def test_relu_properties():
    p = props("relu")
    assert p.monotonic and p.bounded_below and not p.bounded_above
    assert p.low == 0.0 and p.high == pytest.approx(20.0)
    assert not p.zero_centred and p.continuous and not p.smooth
    assert p.mean_normal == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-4)


def test_tanh_properties():
    p = props("tanh")
    assert p.zero_centred and abs(p.mean_normal) < 1e-9
    assert p.bounded_below and p.bounded_above and -1 <= p.low < -0.99 and 0.99 < p.high <= 1
    assert p.monotonic and p.smooth


def test_sigmoid_is_bounded_in_open_unit_interval():
    p = props("sigmoid")
    assert p.bounded_below and p.bounded_above
    assert 0.0 < p.low < 1e-8 and 1 - 1e-8 < p.high < 1.0
    assert not p.zero_centred and p.mean_normal == pytest.approx(0.5)
    assert p.monotonic and p.smooth


@pytest.mark.parametrize("key", ["gelu", "silu", "mish", "hard_silu"])
def test_non_monotonic_activations(key):
    p = props(key)
    assert not p.monotonic and p.low < 0 and p.bounded_below and not p.bounded_above


def test_non_monotonic_set_is_exactly_the_dipping_ones():
    assert {k for k in elementwise_names() if not props(k).monotonic} == {
        "gelu", "silu", "mish", "hard_silu"}


@pytest.mark.parametrize("key, smooth", [
    ("elu", True), ("celu", True), ("selu", False), ("softplus", True), ("gelu", True),
    ("relu", False), ("leaky_relu", False), ("hard_sigmoid", False), ("sparse_plus", True),
    ("hard_silu", False), ("relu6", False), ("exponential", True),
])
def test_smoothness(key, smooth):
    assert props(key).smooth is smooth


@pytest.mark.parametrize("key", ["threshold", "hard_shrink"])
def test_discontinuous(key):
    assert not props(key).continuous and not props(key).smooth


@pytest.mark.parametrize("key, below, above", [
    ("exponential", True, False), ("log_sigmoid", False, True), ("linear", False, False),
    ("leaky_relu", False, False), ("softsign", True, True), ("squareplus", True, False),
    ("relu6", True, True), ("selu", True, False), ("tanh_shrink", False, False),
])
def test_boundedness(key, below, above):
    p = props(key)
    assert (p.bounded_below, p.bounded_above) == (below, above)


def test_selu_is_zero_centred_for_standard_normal_inputs():
    p = props("selu")
    assert p.zero_centred and abs(p.mean_normal) < 1e-3
    assert p.std_normal == pytest.approx(1, abs=1e-3)


def test_properties_of_functions_outside_keras():
    cube = compute_properties(lambda x: x**3)
    assert cube.monotonic and cube.zero_centred and cube.smooth
    assert not cube.bounded_below and not cube.bounded_above
    absolute = compute_properties(tf.abs)
    assert not absolute.monotonic and absolute.continuous and not absolute.smooth
    assert absolute.bounded_below and not absolute.bounded_above
    assert compute_properties(lambda x: -x).monotonic  # non-increasing counts
    step = compute_properties(tf.sign)
    assert not step.continuous and step.bounded_below and step.bounded_above
    arctan = compute_properties(tf.atan)  # approaches pi/2 slowly, but bounded
    assert arctan.bounded_above and arctan.bounded_below and arctan.smooth
    slow = compute_properties(lambda x: tf.sign(x) * tf.math.log1p(tf.abs(x)))
    assert not slow.bounded_above and not slow.bounded_below  # log growth is unbounded
    assert not compute_properties(lambda x: tf.sqrt(tf.abs(x))).bounded_above


def test_properties_reject_nan_with_a_clear_message():
    with pytest.raises(ValueError, match="finite values"):
        compute_properties(tf.math.log1p)


def test_properties_of_vector_valued_entries_raise():
    for key in VECTOR_VALUED:
        with pytest.raises(ValueError, match="not element-wise"):
            _ = CATALOG[key].properties


def test_properties_are_cached():
    assert CATALOG["relu"].properties is CATALOG["relu"].properties


def test_every_property_is_defined_in_the_docstring():
    doc = inspect.getdoc(Properties)
    for f in dataclasses.fields(Properties):
        assert f"{f.name}:" in doc, f"Properties docstring does not define {f.name}"


def test_range_text():
    assert props("relu").range_text == "0 … 20"
    assert props("tanh").range_text == "−1 … 1"


def test_properties_table():
    table = properties_table(["relu", "tanh"], costs={"relu": 1.0, "tanh": 2.5})
    assert table.column("activation") == ["relu", "tanh"]
    assert table.column("monotonic") == [True, True]
    assert table.column("cost (× relu)") == [1.0, 2.5]
    assert "<table" in table._repr_html_()


# --- relative cost -------------------------------------------------------------------


def test_relative_cost_runs_and_is_relative_to_the_baseline():
    costs = relative_cost(["relu", "tanh", "gelu"], size=4096, repeats=2)
    assert costs["relu"] == 1.0
    assert all(math.isfinite(v) and v > 0 for v in costs.values())
    other = relative_cost(["relu"], baseline="tanh", size=1024, repeats=1)
    assert set(other) == {"relu"}


def test_relative_cost_rejects_bad_input():
    with pytest.raises(ValueError, match="Not in CATALOG"):
        relative_cost(["nope"], size=16, repeats=1)
    with pytest.raises(ValueError, match="element-wise"):
        relative_cost(["softmax"], size=16, repeats=1)
    with pytest.raises(ValueError, match="size"):
        relative_cost(["relu"], size=0)


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


def test_module_docstrings_and_exports():
    assert set(act.__all__) >= {"CATALOG", "Activation", "derivative", "resolve"}
    for name in act.__all__:
        obj = getattr(act, name)
        if callable(obj) and not isinstance(obj, dict):
            assert inspect.getdoc(obj) and "Example" in inspect.getdoc(obj), name


# --- namespaces ------------------------------------------------------------------------


def test_counterparts_table():
    from acttutor.namespaces import counterparts, parameters, tf_counterpart, tf_nn_only

    table = counterparts()
    rows = {r["keras"]: r for r in table.rows}
    assert set(rows) == public_keras_activations()
    assert rows["leaky_relu"]["tensorflow"] == "tf.nn.leaky_relu"
    assert rows["leaky_relu"]["keras parameters"] == "negative_slope=0.2"
    assert rows["leaky_relu"]["tensorflow parameters"] == "alpha=0.2"
    assert rows["mish"]["tensorflow"] == "—" and rows["mish"]["max |difference|"] is None
    paired = [r for r in table.rows if r["tensorflow"] != "—"]
    assert paired and all(r["max |difference|"] == 0.0 for r in paired)
    assert parameters(tf.nn.relu) == "—"
    assert tf_counterpart("log_sigmoid")[0] == "tf.math.log_sigmoid"
    only = tf_nn_only()
    assert "crelu" in only and "relu" not in only and "softmax" not in only


# --- propagation -----------------------------------------------------------------------


def test_signal_statistics_shapes_and_known_behaviour():
    from acttutor.propagation import signal_statistics

    selu = signal_statistics("selu", "lecun_normal", depth=8, width=128, n=256)
    assert {len(v) for v in selu.values()} == {8}
    assert abs(selu["std"][-1] - 1.0) < 0.15 and abs(selu["mean"][-1]) < 0.1
    he = signal_statistics("relu", "he_normal", depth=8, width=128, n=256)
    glorot = signal_statistics("relu", "glorot_normal", depth=8, width=128, n=256)
    assert glorot["std"][-1] < 0.2 * he["std"][-1]
    assert he["grad_std"][-1] == pytest.approx(1.0, rel=0.1)  # the readout's own size
    again = signal_statistics("relu", "he_normal", depth=8, width=128, n=256)
    assert again == he  # seeded: reproducible


def test_signal_statistics_rejects_bad_input():
    from acttutor.propagation import signal_statistics

    with pytest.raises(ValueError, match="depth"):
        signal_statistics("relu", depth=0)
    with pytest.raises(ValueError, match="Unknown initializer"):
        signal_statistics("relu", "not_an_initializer", depth=2, width=4, n=4)
    with pytest.raises(ValueError, match="takes no seed"):
        signal_statistics("relu", "zeros", depth=2, width=4, n=4)


# --- tables ------------------------------------------------------------------------------


def test_table_rendering():
    from acttutor.tables import Table

    t = Table(["name", "ok", "value", "none"], [["a|b", True, 0.123456, None]])
    assert t.rows == [{"name": "a|b", "ok": True, "value": 0.123456, "none": None}]
    text = str(t)
    assert "yes" in text and "0.123" in text and "—" in text
    assert "<td>a|b</td>" in t._repr_html_()
    maths = Table(["f"], [["$x < 1$ or $y$"], ["costs $5"]])._repr_html_()
    assert r'<span class="math notranslate nohighlight">\(x &lt; 1\)</span> or ' in maths
    assert "<td>costs $5</td>" in maths  # an unpaired dollar stays text
    with pytest.raises(ValueError, match="row 0 has 1 values for 2 columns"):
        Table(["a", "b"], [[1]])
    with pytest.raises(KeyError, match="No column"):
        t.column("missing")
