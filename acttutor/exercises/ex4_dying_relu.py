r"""Exercise 4: measure the dead ReLU units of every layer.

The learner writes ``f(model, x) -> dict[str, float]`` with the semantics of
:func:`acttutor.diagnostics.dead_unit_fraction`: one entry per ``Dense``
layer whose activation is ReLU (by behaviour), keyed by ``layer.name``,
holding the share of that layer's units whose output is exactly 0 for
**every** example in ``x``.

:data:`ex4` calls ``f`` on its own small models, with dead units planted
through their biases, and float32 NumPy inputs (see
:mod:`acttutor.exercises.planting`), so it knows each answer by construction
and a hard-coded answer cannot pass. Typical mistakes get their own message:
a unit counted dead when it is 0 for *any* example, the overall share of zero
activations, a threshold instead of exactly 0 (nearly dead units are alive),
layers that are not ``Dense`` skipped in the forward pass, the wrong axis,
each layer's input measured instead of its output, layers that are not ReLU
included (softmax, Leaky ReLU, GELU, a separate ``Activation`` layer), keys
that are indices rather than names, a count or a percentage instead of a
fraction.

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
from typing import Any

import numpy as np
import tensorflow as tf

from acttutor.exercises import notebook_of
from acttutor.exercises.core import Exercise
from acttutor.exercises.kit import call_learner, is_number, require_dict
from acttutor.exercises.models import check_layer_keys, unchanged_weights
from acttutor.exercises.outcomes import Fail
from acttutor.exercises.planting import PlantedCase, planted_cases
from acttutor.exercises.timelimit import budget
from acttutor.exercises.words import describe, learner_name

__all__ = ["ex4"]

_SOLUTION = '''
import keras
import numpy as np
import tensorflow as tf


def is_relu(activation):
    """True when `activation` behaves like ReLU: 0 for inputs <= 0, the input itself above."""
    probe = tf.constant([[-1000.0, -3.0, -0.5, 0.0, 0.5, 3.0, 1000.0]])
    try:
        out = np.asarray(activation(probe))
    except Exception:
        return False
    return out.shape == probe.shape and bool(np.all(out == np.maximum(probe.numpy(), 0.0)))


def dead_fraction(model, x):
    """Share of units that output exactly 0 for every example, per ReLU Dense layer."""
    fractions = {}
    h = x
    for layer in model.layers:          # a Sequential model: feed x through every layer
        h = layer(h)
        if isinstance(layer, keras.layers.Dense) and is_relu(layer.activation):
            out = np.asarray(h)
            dead = np.all(out == 0, axis=0)          # one True/False per unit
            fractions[layer.name] = float(dead.mean())
    return fractions
'''

# --------------------------------------------------------------------------- keys


def _explain_extra(case: PlantedCase, name: str) -> str:
    """Why the layer ``name`` does not belong in the dict."""
    kind = case.kinds.get(name)
    if kind is None:
        return (f"returned the key {name!r}, which is not a layer of that model. Key the dict "
                f"by layer.name; the expected keys are {sorted(case.expected)!r}. (The checker "
                "uses several models, so compute the answer from the model you are given.)")
    head = f"returned an entry for {name!r}: "
    what, _, activation = kind.partition(", ")
    if "softmax" in kind and name == case.dense[-1]:
        return head + (f"{name!r} is the softmax output layer, not a ReLU layer. Leave it "
                       "out: only Dense layers whose activation is ReLU belong in the dict.")
    if what != "Dense":
        article = "an" if what[:1].lower() in "aeiou" else "a"
        return head + (f"{name!r} is {article} {what} layer. Only Dense layers whose activation is "
                       "ReLU belong in the dict.")
    if "Leaky" in activation or "ELU" in activation:
        return head + (f"{name!r} uses {activation}, which never outputs exactly 0 for "
                       "negative inputs, so it has no dead units in this sense. Only layers "
                       "whose activation is ReLU belong in the dict.")
    if activation == "linear":
        return head + (f"{name!r} is a Dense layer with a linear activation; the "
                       "Activation('relu') layer after it is a layer of its own, not part of "
                       "the Dense layer. Only Dense layers whose own activation is ReLU count.")
    return head + (f"{name!r} uses {activation}, not ReLU. Only Dense layers whose activation "
                   "is ReLU belong in the dict.")


def _explain_missing(case: PlantedCase, name: str) -> str:
    """What the missing layer ``name`` is, and how to recognise ReLU."""
    activation = case.kinds[name].partition(", ")[2]
    return (
        f"has no entry for {name!r}, a Dense layer whose activation is {activation}. Recognise "
        "ReLU by what it does, not by one spelling: 'relu', keras.activations.relu and "
        "tf.nn.relu are all ReLU (compare layer.activation(v) with np.maximum(v, 0) on a "
        "few values, or compare layer.activation.__name__ with 'relu')."
    )


# --------------------------------------------------------------------------- values

_VARIANTS: dict[str, str] = {
    "any_zero": "counts a unit as dead when it is 0 for ANY example. A ReLU unit is often 0 "
                "for some examples; that is normal. It is dead only when it is 0 for EVERY "
                "example: np.all(out == 0, axis=0), not np.any.",
    "zero_share": "returned the overall share of zero activations. Decide per unit first: a "
                  "unit is dead when its whole column is 0 (np.all(out == 0, axis=0)); then "
                  "take the share of dead units.",
    "nearly": "counts units whose outputs are merely small as dead. A unit that outputs even "
              "0.003 for every example still passes gradient and learns: it is dead only when "
              "its output is exactly 0 (out == 0), not below a threshold.",
    "skipped": "skips the layers that are not Dense in the forward pass. They change what the "
               "next layer receives (here a Rescaling(-1) flips the signs, so other units "
               "die): feed x through every layer, h = layer(h), and only record the Dense "
               "ones.",
    "per_example": "takes np.all over the wrong axis: axis=1 asks whether an EXAMPLE is all "
                   "zeros. The output has shape (examples, units), and a unit is a column: "
                   "np.all(out == 0, axis=0).",
    "input": "measured each layer's input (the previous layer's output) instead of its "
             "output: record h after h = layer(h), not before.",
}


def _check_types(got: dict, case: PlantedCase, call: str) -> None:
    for name in sorted(case.expected):
        value = got[name]
        if is_number(value, integers=False):
            if not np.isfinite(float(value)):
                raise Fail(f"{call} returned {float(value)} for {name!r}; expected a finite "
                           "fraction between 0 and 1.")
            continue
        if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
            if int(value) == case.counts[name] and case.counts[name] != case.expected[name]:
                raise Fail(f"{call} returned {value} for {name!r}: that is the number of dead "
                           "units. Return the fraction: divide by the number of units (or use "
                           ".mean() on the per-unit True/False array).")
            raise Fail(f"{call} returned the int {value!r} for {name!r}; return a float "
                       "fraction, e.g. float(dead.mean()).")
        if isinstance(value, np.ndarray) and value.ndim > 0:
            raise Fail(f"{call} returned {describe(value)} for {name!r}: one value per unit. "
                       "Reduce it to one fraction per layer, e.g. float(dead.mean()).")
        kind = ("a tf.Tensor" if isinstance(value, tf.Tensor) else
                "a 0-d NumPy array" if isinstance(value, np.ndarray) else
                f"a {type(value).__name__}")
        raise Fail(f"{call} returned {kind} for {name!r}; return a plain float: wrap the "
                   "value in float(...).")


def _same(got: Mapping[str, Any], want: Mapping[str, float]) -> bool:
    return all(abs(float(got[n]) - v) <= 1e-6 for n, v in want.items())


def _check_values(got: dict, case: PlantedCase, call: str) -> None:
    want = case.expected
    if _same(got, want):
        return
    first = sorted(want)[0]
    example = (f" (e.g. {float(got[first]):.4g} for {first!r}, expected {want[first]:.4g})")
    if _same(got, {n: 100 * v for n, v in want.items()}):
        raise Fail(f"{call} returned percentages{example}; return fractions between 0 and 1.")
    if _same(got, {n: 1 - v for n, v in want.items()}):
        raise Fail(f"{call} returned the share of units that are alive, not dead{example}.")
    for variant, values in case.variants.items():
        differs = [n for n, v in values.items() if abs(v - want[n]) > 1e-6]
        if differs and _same(got, values):
            n = differs[0]
            why = _VARIANTS[variant.partition(":")[0]]
            raise Fail(f"{call} {why} (For {n!r} you returned {float(got[n]):.4g}; the dead "
                       f"fraction is {want[n]:.4g}.)")
    for name in sorted(want):
        value = float(got[name])
        if abs(value - want[name]) > 1e-6:
            raise Fail(
                f"{call}: wrong fraction for {name!r}: expected {want[name]:.4g} "
                f"({case.counts[name]} dead of {case.units[name]} units), got {value:.4g}. "
                "A unit is dead when its output is exactly 0 for every example in x."
            )


def _judge(got: Any, case: PlantedCase, call: str) -> None:
    require_dict(got, call, keys="ReLU layer", values="dead fraction")
    check_layer_keys(got, sorted(case.expected), call,
                     explain_extra=lambda k: _explain_extra(case, k),
                     explain_missing=lambda k: _explain_missing(case, k))
    _check_types(got, case, call)
    _check_values(got, case, call)


def _check(f: Callable[..., Any], *, notes: list[str]) -> str:
    from acttutor.diagnostics import dead_unit_fraction

    if f is dead_unit_fraction:
        notes.append("That is acttutor's own dead_unit_fraction; try writing it yourself.")
    cases = planted_cases()
    for case in cases:
        call = f"{learner_name(f)}(model, x) on {case.text()}"
        with unchanged_weights(case.model, call, "Only read the model: do not train it or "
                               "assign to its weights."):
            got = call_learner(f, case.model, case.x, call=call, params=("model", "x"),
                               warnings_out=notes, notes=notes, budget=budget("tensorflow"))
        _judge(got, case, call)
    return (f"Correct: dead fractions match on {len(cases)} models with planted dead units "
            "(ReLU written as 'relu', keras.activations.relu and tf.nn.relu; nearly dead units "
            "counted as alive; tanh, Leaky ReLU, ELU, GELU, softmax, a separate Activation "
            "layer and non-Dense layers left out, a Rescaling(-1) followed through).")


ex4 = Exercise(
    "ex4",
    "Dying ReLU: dead-unit fraction per layer",
    _check,
    hints=[
        "Feed x through a Sequential model one layer at a time (`h = layer(h)`), through "
        "every layer, Dense or not, and keep each Dense layer's output. Its shape is "
        "(examples, units).",
        "A unit (a column of the output) is dead when it is exactly 0 for EVERY example: "
        "`dead = np.all(out == 0, axis=0)` gives one True/False per unit, and "
        "`float(dead.mean())` the fraction. A small positive output is not dead.",
        "Only Dense layers with ReLU count: check `isinstance(layer, keras.layers.Dense)` and "
        "test the activation by behaviour, e.g. compare `layer.activation(v)` with "
        "`np.maximum(v, 0)` on a few negative and positive values, so that 'relu', "
        "keras.activations.relu and tf.nn.relu all count, and Leaky ReLU, ELU and softmax do "
        "not. Key by `layer.name`.",
    ],
    solution_code=_SOLUTION,
    answer_name="dead_fraction",
    notebook=notebook_of(__name__),
)
