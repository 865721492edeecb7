r"""Exercise 4: measure the dead ReLU units of every layer.

The learner writes ``f(model, x) -> dict[str, float]`` with the semantics of
:func:`acttutor.diagnostics.dead_unit_fraction`: one entry per ``Dense``
layer whose activation is ReLU, keyed by ``layer.name``, holding the share
of that layer's units whose output is exactly 0 for **every** example in
``x``.

:data:`ex4` builds its own small models with dead units planted through
their biases (a unit with a large negative bias never fires), so it knows
each answer by construction; a hard-coded answer cannot pass. The models use
``"relu"``, ``keras.activations.relu`` and ``tf.nn.relu`` for ReLU, and also
tanh, Leaky ReLU, ELU, softmax and a layer that is not ``Dense``, which must
all be left out. Typical mistakes get their own message: a unit counted dead
when it is 0 for *any* example, the overall share of zero activations, the
softmax output layer included, keys that are indices rather than names, a
count or a percentage instead of a fraction.

Example:

>>> import keras, numpy as np
>>> def f(model, x):
...     out, h = {}, x
...     for layer in model.layers:
...         h = layer(h)
...         if isinstance(layer, keras.layers.Dense) and getattr(
...                 layer.activation, "__name__", "") == "relu":
...             out[layer.name] = float(np.all(np.asarray(h) == 0, axis=0).mean())
...     return out
>>> ex4.check(f).status
'passed'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from acttutor.exercises.core import Exercise
from acttutor.exercises.kit import call_learner, describe, is_number, learner_name, require_dict
from acttutor.exercises.models import check_layer_keys, sequential, unchanged_weights, zero_dense
from acttutor.exercises.outcomes import Fail

__all__ = ["ex4"]


_SOLUTION = '''
import keras
import numpy as np
import tensorflow as tf


def is_relu(activation):
    """True when `activation` behaves like ReLU: 0 for inputs <= 0, the input itself above."""
    probe = tf.constant([[-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0]])
    try:
        out = np.asarray(activation(probe))
    except Exception:
        return False
    return out.shape == probe.shape and bool(np.all(out == np.maximum(probe.numpy(), 0.0)))


def dead_fraction(model, x):
    """Share of units that output exactly 0 for every example, per ReLU Dense layer."""
    fractions = {}
    h = x
    for layer in model.layers:          # a Sequential model: feed x through layer by layer
        h = layer(h)
        if isinstance(layer, keras.layers.Dense) and is_relu(layer.activation):
            out = np.asarray(h)
            dead = np.all(out == 0, axis=0)          # one True/False per unit
            fractions[layer.name] = float(dead.mean())
    return fractions
'''


@dataclass
class _Case:
    """One model the checker builds, with what it knows about the answer."""

    label: str
    model: keras.Model
    x: np.ndarray
    kinds: dict[str, str]  # every layer's name -> short description of its kind
    dense: list[str]  # Dense layers in order
    expected: dict[str, float]
    counts: dict[str, int] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)
    any_zero: dict[str, float] = field(default_factory=dict)
    zero_share: dict[str, float] = field(default_factory=dict)

    def text(self) -> str:
        layers = ", ".join(f"{name} [{kind}]" for name, kind in self.kinds.items())
        return (
            f"the checker's model {self.label!r} (layers: {layers}) with x of shape "
            f"{self.x.shape}"
        )


# --------------------------------------------------------------------------- building


def _outputs(model: keras.Model, x: np.ndarray) -> dict[str, np.ndarray]:
    h = tf.convert_to_tensor(x)
    out = {}
    for layer in model.layers:
        h = layer(h)
        out[layer.name] = h.numpy()
    return out


def _dead_units(rng: np.random.Generator, fan_in: int, units: int, dead: list[int],
                inputs: np.ndarray, nonnegative_inputs: bool) -> tuple[np.ndarray, np.ndarray]:
    """Weights for a ReLU layer whose units in ``dead`` never fire on ``inputs``.

    Live units are half on, half off over the examples (bias at the median of
    their input sum), so they are zero for some examples but never for all.
    """
    kernel = rng.normal(size=(fan_in, units))
    if nonnegative_inputs:
        kernel = np.abs(kernel)
    bias = np.zeros(units)
    z = inputs.astype(np.float64) @ kernel
    for j in range(units):
        if j in dead:
            bias[j] = -(np.abs(z[:, j]).max() + 25.0)
        else:
            bias[j] = -float(np.median(z[:, j]))
    return kernel.astype(np.float32), bias.astype(np.float32)


def _finish(case: _Case, relu: list[str], planted: dict[str, list[int]]) -> _Case:
    """Fill in the known answer and the common wrong answers; verify the planting."""
    outs = _outputs(case.model, case.x)
    for name in relu:
        out = outs[name]
        units = out.shape[-1]
        dead = np.all(out == 0, axis=0)
        if sorted(np.flatnonzero(dead).tolist()) != sorted(planted[name]):
            raise RuntimeError(f"planting dead units failed in layer {name!r}")
        case.expected[name] = len(planted[name]) / units
        case.counts[name] = len(planted[name])
        case.units[name] = units
        case.any_zero[name] = float(np.mean(np.any(out == 0, axis=0)))
        case.zero_share[name] = float(np.mean(out == 0))
    return case


def _planted_case() -> _Case:
    rng = np.random.default_rng(404)
    x = rng.normal(size=(64, 8)).astype(np.float32)
    specs = [
        ("encoder_a", zero_dense(10, "relu", "encoder_a")),
        ("encoder_b", zero_dense(8, tf.nn.relu, "encoder_b")),
        ("squash", zero_dense(6, "tanh", "squash")),
        ("probs", zero_dense(4, "softmax", "probs")),
    ]
    model = sequential("planted", 8, [layer for _, layer in specs])
    planted = {"encoder_a": [1, 4, 6, 7], "encoder_b": [0, 5, 2]}
    model.get_layer("encoder_a").set_weights(
        list(_dead_units(rng, 8, 10, planted["encoder_a"], x, nonnegative_inputs=False)))
    h = _outputs(model, x)["encoder_a"]
    model.get_layer("encoder_b").set_weights(
        list(_dead_units(rng, 10, 8, planted["encoder_b"], h, nonnegative_inputs=True)))
    for name, fan_in, units in (("squash", 8, 6), ("probs", 6, 4)):
        model.get_layer(name).set_weights([
            rng.normal(scale=0.5, size=(fan_in, units)).astype(np.float32),
            rng.normal(scale=0.1, size=units).astype(np.float32),
        ])
    case = _Case(
        "planted", model, x,
        kinds={"encoder_a": "Dense, 'relu'", "encoder_b": "Dense, tf.nn.relu",
               "squash": "Dense, tanh", "probs": "Dense, softmax"},
        dense=["encoder_a", "encoder_b", "squash", "probs"], expected={},
    )
    return _finish(case, ["encoder_a", "encoder_b"], planted)


def _mixed_case() -> _Case:
    rng = np.random.default_rng(505)
    x = rng.normal(size=(48, 5)).astype(np.float32)
    specs = [
        ("gate", zero_dense(6, keras.activations.relu, "gate")),
        ("halve", keras.layers.Rescaling(0.5, name="halve")),
        ("leaky", zero_dense(6, keras.activations.leaky_relu, "leaky")),
        ("smooth", zero_dense(5, "elu", "smooth")),
        ("late", zero_dense(4, "relu", "late")),
        ("out", zero_dense(3, "softmax", "out")),
    ]
    model = sequential("mixed", 5, [layer for _, layer in specs])
    planted = {"gate": [3], "late": [0, 2]}
    model.get_layer("gate").set_weights(
        list(_dead_units(rng, 5, 6, planted["gate"], x, nonnegative_inputs=False)))
    # Leaky ReLU with every unit pushed far below 0: never exactly 0, so never "dead".
    model.get_layer("leaky").set_weights([
        rng.normal(scale=0.1, size=(6, 6)).astype(np.float32),
        np.full(6, -30.0, np.float32),
    ])
    model.get_layer("smooth").set_weights([
        rng.normal(scale=0.3, size=(6, 5)).astype(np.float32),
        rng.normal(scale=0.5, size=5).astype(np.float32),
    ])
    h = _outputs(model, x)["smooth"]
    model.get_layer("late").set_weights(
        list(_dead_units(rng, 5, 4, planted["late"], h, nonnegative_inputs=False)))
    model.get_layer("out").set_weights([
        rng.normal(scale=0.5, size=(4, 3)).astype(np.float32), np.zeros(3, np.float32)])
    case = _Case(
        "mixed", model, x,
        kinds={"gate": "Dense, keras.activations.relu", "halve": "Rescaling, not Dense",
               "leaky": "Dense, Leaky ReLU", "smooth": "Dense, ELU",
               "late": "Dense, 'relu'", "out": "Dense, softmax"},
        dense=["gate", "leaky", "smooth", "late", "out"], expected={},
    )
    return _finish(case, ["gate", "late"], planted)


def _no_relu_case() -> _Case:
    rng = np.random.default_rng(606)
    x = rng.normal(size=(16, 4)).astype(np.float32)
    specs = [("soft", zero_dense(5, "sigmoid", "soft")),
             ("probs", zero_dense(3, "softmax", "probs"))]
    model = sequential("no_relu", 4, [layer for _, layer in specs])
    for name, fan_in, units in (("soft", 4, 5), ("probs", 5, 3)):
        model.get_layer(name).set_weights([
            rng.normal(size=(fan_in, units)).astype(np.float32), np.zeros(units, np.float32)])
    return _Case("no_relu", model, x, kinds={"soft": "Dense, sigmoid", "probs": "Dense, softmax"},
                 dense=["soft", "probs"], expected={})


# --------------------------------------------------------------------------- judging


def _same(got: Mapping[str, Any], want: Mapping[str, float], names: list[str]) -> bool:
    return all(abs(float(got[n]) - want[n]) <= 1e-6 for n in names)


def _explain_extra(case: _Case, name: str) -> str:
    """Why the layer ``name`` does not belong in the dict."""
    want = sorted(case.expected)
    kind = case.kinds.get(name)
    if kind is None:
        return (f"returned the key {name!r}, which is not a layer of that model. Key the dict "
                f"by layer.name; the expected keys are {want!r}. (The checker uses several "
                "models, so compute the answer from the model you are given.)")
    head = f"returned an entry for {name!r}: "
    if "softmax" in kind and name == case.dense[-1]:
        return head + (f"{name!r} is the softmax output layer, not a ReLU layer. Leave it "
                       "out: only Dense layers whose activation is ReLU belong in the dict.")
    if "Dense" not in kind:
        return head + (f"{name!r} is a {kind.split(',')[0]} layer. Only Dense layers whose "
                "activation is ReLU belong in the dict.")
    if "Leaky" in kind or "ELU" in kind:
        return head + (f"{name!r} uses {kind.split(', ')[1]}, which never outputs exactly 0 for "
                "negative inputs, so it has no dead units in this sense. Only layers whose "
                "activation is ReLU belong in the dict.")
    return head + (f"{name!r} uses {kind.split(', ')[1]}, not ReLU. Only Dense layers whose "
            "activation is ReLU belong in the dict.")


def _explain_missing(case: _Case, name: str) -> str:
    """What the missing layer ``name`` is, and how to recognise ReLU."""
    kind = case.kinds[name].split(", ")[1]
    return (
        f"has no entry for {name!r}, a Dense layer whose activation is {kind}. Recognise "
        "ReLU by what it does, not by one spelling: 'relu', keras.activations.relu and "
        "tf.nn.relu are all ReLU (compare layer.activation(v) with np.maximum(v, 0) on a "
        "few values, or compare layer.activation.__name__ with 'relu')."
    )


def _check_values(got: dict, case: _Case, call: str) -> None:
    names = sorted(case.expected)
    for name in names:
        value = got[name]
        if is_number(value, integers=False):
            if not np.isfinite(float(value)):
                raise Fail(f"{call} returned {float(value)} for {name!r}; expected a finite "
                           "fraction between 0 and 1.")
            continue
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            if int(value) == case.counts[name] and case.counts[name] != case.expected[name]:
                raise Fail(
                    f"{call} returned {value} for {name!r}: that is the number of dead units. "
                    "Return the fraction: divide by the number of units (or use .mean() on "
                    "the per-unit True/False array)."
                )
            raise Fail(f"{call} returned the int {value!r} for {name!r}; return a float "
                       "fraction, e.g. float(dead.mean()).")
        if isinstance(value, np.ndarray) and value.ndim > 0:
            raise Fail(
                f"{call} returned {describe(value)} for {name!r}: one value per unit. Reduce "
                "it to one fraction per layer, e.g. float(dead.mean())."
            )
        kind = ("a tf.Tensor" if isinstance(value, tf.Tensor) else
                "a 0-d NumPy array" if isinstance(value, np.ndarray) else
                f"a {type(value).__name__}")
        raise Fail(f"{call} returned {kind} for {name!r}; return a plain float: wrap the value "
                   "in float(...).")
    if _same(got, case.expected, names):
        return
    if names and _same(got, {n: 100 * case.expected[n] for n in names}, names):
        raise Fail(f"{call} returned percentages (e.g. {float(got[names[0]])!r} for "
                   f"{names[0]!r}); return fractions between 0 and 1.")
    if names and _same(got, {n: 1 - case.expected[n] for n in names}, names):
        raise Fail(f"{call} returned the share of units that are alive, not dead (e.g. "
                   f"{float(got[names[0]]):.4g} for {names[0]!r} instead of "
                   f"{case.expected[names[0]]:.4g}).")
    if names and _same(got, case.any_zero, names):
        raise Fail(
            f"{call} counts a unit as dead when it is 0 for ANY example (e.g. "
            f"{float(got[names[0]]):.4g} for {names[0]!r}, expected "
            f"{case.expected[names[0]]:.4g}). A ReLU unit is often 0 for some examples; that is "
            "normal. It is dead only when it is 0 for EVERY example: np.all(out == 0, axis=0), "
            "not np.any."
        )
    if names and _same(got, case.zero_share, names):
        raise Fail(
            f"{call} returned the overall share of zero activations (e.g. "
            f"{float(got[names[0]]):.4g} for {names[0]!r}, expected "
            f"{case.expected[names[0]]:.4g}). Decide per unit first: a unit is dead when its "
            "whole column is 0 (np.all(out == 0, axis=0)); then take the share of dead units."
        )
    for name in names:
        value = float(got[name])
        if abs(value - case.expected[name]) > 1e-6:
            raise Fail(
                f"{call}: wrong fraction for {name!r}: expected {case.expected[name]:.4g} "
                f"({case.counts[name]} dead of {case.units[name]} units), got {value:.4g}. "
                "A unit is dead when its "
                "output is exactly 0 for every example in x."
            )


def _judge(got: Any, case: _Case, call: str) -> None:
    require_dict(got, call, keys="ReLU layer", values="dead fraction")
    check_layer_keys(got, sorted(case.expected), call,
                     explain_extra=lambda k: _explain_extra(case, k),
                     explain_missing=lambda k: _explain_missing(case, k))
    _check_values(got, case, call)


def _check(f: Callable[..., Any], *, notes: list[str]) -> str:
    from acttutor.diagnostics import dead_unit_fraction

    if f is dead_unit_fraction:
        notes.append("That is acttutor's own dead_unit_fraction; try writing it yourself.")
    for build in (_planted_case, _mixed_case, _no_relu_case):
        case = build()
        call = f"{learner_name(f)}(model, x) on {case.text()}"
        with unchanged_weights(case.model, call, "Only read the model: do not train it or "
                               "assign to its weights."):
            got = call_learner(f, case.model, case.x, call=call, params=("model", "x"),
                               warnings_out=notes, notes=notes)
        _judge(got, case, call)
    return ("Correct: dead fractions match on three models with planted dead units "
            "(ReLU written as 'relu', keras.activations.relu and tf.nn.relu; tanh, Leaky ReLU, "
            "ELU, softmax and a non-Dense layer left out).")


ex4 = Exercise(
    "ex4",
    "Dying ReLU: dead-unit fraction per layer",
    _check,
    hints=[
        "Feed x through a Sequential model one layer at a time (`h = layer(h)`) and keep each "
        "Dense layer's output. Its shape is (examples, units).",
        "A unit (a column of the output) is dead when it is 0 for EVERY example: "
        "`dead = np.all(out == 0, axis=0)` gives one True/False per unit, and "
        "`float(dead.mean())` the fraction.",
        "Only Dense layers with ReLU count: check `isinstance(layer, keras.layers.Dense)` and "
        "test the activation by behaviour, e.g. compare `layer.activation(v)` with "
        "`np.maximum(v, 0)` on a few values, so that 'relu', keras.activations.relu and "
        "tf.nn.relu all count, and Leaky ReLU, ELU and softmax do not. Key by `layer.name`.",
    ],
    solution_code=_SOLUTION,
    answer_name="dead_fraction",
)
