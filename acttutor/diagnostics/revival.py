"""Dead units over time: which ReLU units are dead, which came back, and what the numbers say.

A ReLU unit that outputs 0 on every example gets an exactly zero gradient for
its own weights and bias. That does not make it dead for good: its input is
the previous layer's output, which keeps changing while the layers below it
train, so a unit in a deeper layer can start firing again. Only a first-layer
unit, whose inputs are the fixed data, stays dead under plain gradient descent
(nothing but weight decay or momentum left over from earlier steps can move it).

:func:`~acttutor.diagnostics.revival.dead_units` marks the dead units of each ReLU
layer; :func:`~acttutor.diagnostics.revival.unit_turnover` compares two such
marks (before and after more training), and
:func:`~acttutor.diagnostics.revival.revival_verdict` and
:func:`~acttutor.diagnostics.revival.recovery_verdict` put the result into words
for the book's prose.

Example:

>>> import keras, numpy as np
>>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, "relu", name="h")])
>>> model.get_layer("h").set_weights([np.ones((2, 2)), np.array([0.0, -9.0])])
>>> dead_units(model, np.ones((3, 2), "float32"))["h"].tolist()
[False, True]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras
import numpy as np

from acttutor._checks import check_model
from acttutor.diagnostics._inputs import check_x, dense_layers, run_layers, symbolic
from acttutor.diagnostics.layers import is_relu

__all__ = ["dead_units", "recovery_verdict", "revival_verdict", "unit_turnover"]

_COUNTS = ("units", "dead_before", "revived", "newly_dead", "dead_after")


def dead_units(model: keras.Model, x: Any) -> dict[str, np.ndarray]:
    """Return, for each ReLU ``Dense`` layer, which of its units are dead on ``x``.

    A unit is dead on ``x`` when its output is exactly 0 for every example,
    the same rule as :func:`~acttutor.diagnostics.layers.dead_unit_fraction`
    (whose value is the mean of this mask).

    Example:

    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, "relu", name="h")])
    >>> model.get_layer("h").set_weights([np.ones((2, 3)), np.array([1.0, -9.0, -9.0])])
    >>> int(dead_units(model, np.ones((4, 2), "float32"))["h"].sum())
    2

    Args:
        model: A built Sequential or functional ``keras.Model`` with one input.
        x: A batch of examples, shape ``(n, ...)``.

    Returns:
        A dict from layer name to a boolean array with one entry per unit
        (True: dead); empty if no layer uses ReLU.

    Raises:
        TypeError: ``model`` is not a Keras model, or ``x`` is not numeric.
        ValueError: the model has no defined input, or ``x`` has the wrong shape,
            no examples, or NaN/inf values.
    """
    model_input = check_model(model, "dead_units", single_input=True)
    xs = check_x(x, model_input, "dead_units")
    relu_layers = [layer for layer in dense_layers(model) if is_relu(layer.activation)]
    outputs = run_layers(model, model_input,
                         [symbolic(layer, "output", model) for layer in relu_layers], xs)
    return {layer.name: np.all(out.reshape(-1, out.shape[-1]) == 0, axis=0)
            for layer, out in zip(relu_layers, outputs, strict=True)}


def unit_turnover(before: Mapping[str, np.ndarray], after: Mapping[str, np.ndarray]
                  ) -> dict[str, dict[str, int]]:
    """Count, per layer, the dead units that came back and the live ones that died.

    Example:

    >>> import numpy as np
    >>> before = {"h1": np.array([True, True, False])}
    >>> after = {"h1": np.array([True, False, True])}
    >>> unit_turnover(before, after)["h1"]
    {'units': 3, 'dead_before': 2, 'revived': 1, 'newly_dead': 1, 'dead_after': 2}

    Args:
        before: :func:`dead_units` of the model before the further training.
        after: :func:`dead_units` of the same model afterwards, on the same ``x``.

    Returns:
        ``{layer: {"units", "dead_before", "revived", "newly_dead", "dead_after"}}``
        in the layer order of ``before``; every value is a count of units.

    Raises:
        ValueError: the two do not name the same layers with the same unit counts.
    """
    if not isinstance(before, Mapping) or not isinstance(after, Mapping) or (
            list(before) != list(after)):
        raise ValueError("unit_turnover needs two dicts from dead_units(model, x) of the same "
                         "model, before and after training, naming the same layers.")
    result: dict[str, dict[str, int]] = {}
    for name in before:
        was, now = np.asarray(before[name], dtype=bool), np.asarray(after[name], dtype=bool)
        if was.shape != now.shape:
            raise ValueError(f"unit_turnover: layer {name!r} has {was.size} units before and "
                             f"{now.size} after; compare masks of the same model.")
        counts = (was.size, was.sum(), (was & ~now).sum(), (~was & now).sum(), now.sum())
        result[name] = {key: int(value) for key, value in zip(_COUNTS, counts, strict=True)}
    return result


def revival_verdict(turnover: Mapping[str, Mapping[str, int]]) -> str:
    r"""Say in words how many dead units came back, first layer and deeper layers apart.

    The first layer named in ``turnover`` is taken as the one next to the
    input. The sentence is built from the counts alone, so it stays true
    whatever a run produced.

    Example:

    >>> turnover = {"h1": {"dead_before": 3, "revived": 0},
    ...             "h2": {"dead_before": 5, "revived": 2},
    ...             "h3": {"dead_before": 4, "revived": 0}}
    >>> print(revival_verdict(turnover).replace("; ", ";\n"))
    none of the 3 dead units of the first layer came back;
    in the deeper layers 2 of 9 came back, in 1 of 2 layers

    Args:
        turnover: The result of :func:`unit_turnover`, layers in order from the input.

    Returns:
        A sentence fragment without a capital or a full stop.

    Raises:
        ValueError: ``turnover`` is empty or lacks the counts.
    """
    if not isinstance(turnover, Mapping) or not turnover:
        raise ValueError("revival_verdict needs the dict from unit_turnover(before, after).")
    try:
        rows = [(int(t["dead_before"]), int(t["revived"])) for t in turnover.values()]
    except (KeyError, TypeError, ValueError):
        raise ValueError("revival_verdict: every layer needs the counts 'dead_before' and "
                         "'revived', as unit_turnover returns them.") from None
    (first_dead, first_back), deeper = rows[0], rows[1:]
    if first_dead == 0:
        first = "the first layer had no dead unit"
    elif first_dead == 1:
        first = ("the one dead unit of the first layer came back" if first_back else
                 "the one dead unit of the first layer did not come back")
    elif first_back == 0:
        first = f"none of the {first_dead} dead units of the first layer came back"
    else:
        first = f"{first_back} of the {first_dead} dead units of the first layer came back"
    if not deeper:
        return first
    dead = sum(d for d, _ in deeper)
    back = sum(r for _, r in deeper)
    layers = sum(r > 0 for _, r in deeper)
    if dead == 0:
        rest = "the deeper layers had no dead unit"
    elif back == 0:
        rest = f"in the deeper layers none of {dead} came back"
    else:
        rest = (f"in the deeper layers {back} of {dead} came back, in {layers} of "
                f"{len(deeper)} layers")
    return f"{first}; {rest}"


def recovery_verdict(before: float, after: float, *, margin: float = 0.02) -> str:
    """Say in words how a share of units changed, counting only changes beyond ``margin``.

    Example:

    >>> recovery_verdict(0.445, 0.453)
    'hardly moved (44.5% before, 45.3% after)'
    >>> recovery_verdict(0.40, 0.10)
    'fell from 40.0% to 10.0%'

    Args:
        before: The share before, in [0, 1].
        after: The share after, in [0, 1].
        margin: The smallest change, as a share, that counts as one.

    Returns:
        A sentence fragment: "fell from …", "rose from …" or "hardly moved (…)".

    Raises:
        ValueError: a share outside [0, 1] or a negative margin.
    """
    for name, value in (("before", before), ("after", after)):
        if not isinstance(value, (int, float, np.floating)) or not 0 <= float(value) <= 1:
            raise ValueError(f"recovery_verdict: {name} must be a share in [0, 1], got "
                             f"{value!r}.")
    if not isinstance(margin, (int, float, np.floating)) or margin < 0:
        raise ValueError(f"recovery_verdict: margin must be a non-negative share, got {margin!r}.")
    b, a = float(before), float(after)
    if a <= b - margin:
        return f"fell from {b:.1%} to {a:.1%}"
    if a >= b + margin:
        return f"rose from {b:.1%} to {a:.1%}"
    return f"hardly moved ({b:.1%} before, {a:.1%} after)"
