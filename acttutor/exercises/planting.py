"""The models ``ex4`` checks a dead-unit counter on: dead (and nearly dead) units planted by hand.

A unit with a large negative bias never fires, so the checker knows each
layer's dead fraction by construction and a hard-coded answer cannot pass.
Each model mixes what a learner must tell apart:

* ReLU written three ways (``"relu"``, ``keras.activations.relu``,
  ``tf.nn.relu``), and layers that are not ReLU: tanh, Leaky ReLU, ELU, GELU,
  softmax, and a linear ``Dense`` followed by a separate ``Activation("relu")``
  layer;
* units that are *nearly* dead: their output is a small positive number for
  every example, so they are alive (a threshold such as ``out < 1e-2`` is wrong);
* layers that are not ``Dense`` but change what the next layer sees: a
  ``Rescaling(-1)`` between two ReLU layers swaps which units are dead, so a
  forward pass that skips non-Dense layers gets other fractions.

For every model, :func:`planted_cases` also computes the answers that the
common mistakes give (any example instead of every example, the share of
zeros, a threshold, skipped layers, the wrong axis, each layer's input
instead of its output), so a message can name the mistake.

Example:

>>> cases = planted_cases()
>>> [case.label for case in cases]
['planted', 'mixed', 'flipped', 'no_relu']
>>> cases[0].expected
{'encoder_a': 0.4, 'encoder_b': 0.375}
"""

from __future__ import annotations

from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

from acttutor.exercises.models import sequential, zero_dense

__all__ = ["PlantedCase", "planted_cases"]

#: The thresholds a "nearly dead" mistake might use; the planted nearly-dead units sit below.
_THRESHOLDS = (1e-1, 1e-2, 5e-3)


@dataclass
class PlantedCase:
    """One model the checker builds, with what it knows about the answer.

    Example:

    >>> planted_cases()[3].expected  # a model without ReLU layers
    {}

    Args:
        label: The model's name, used in messages.
        model: The Keras model, its weights set by the checker.
        x: The float32 inputs the learner's function gets.
        kinds: Every layer's name -> a short description of its kind (``"Dense, 'relu'"``).
        dense: The names of the ``Dense`` layers, in order.
        expected: The correct answer: each ReLU ``Dense`` layer's dead fraction.
        counts: How many units are dead in each of those layers.
        units: How many units each of those layers has.
        variants: The answers of common mistakes, by name (``"any_zero"``, ``"nearly"``, ...).
    """

    label: str
    model: keras.Model
    x: np.ndarray
    kinds: dict[str, str]
    dense: list[str]
    expected: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)
    variants: dict[str, dict[str, float]] = field(default_factory=dict)

    def text(self) -> str:
        """The model described for a message: its name, layers and input shape.

        Returns:
            One line of text.
        """
        layers = ", ".join(f"{name} [{kind}]" for name, kind in self.kinds.items())
        return (f"the checker's model {self.label!r} (layers: {layers}) with x of shape "
                f"{self.x.shape}")


def _outputs(model: keras.Model, x: np.ndarray, skip_non_dense: bool = False
             ) -> dict[str, np.ndarray]:
    """Every layer's output, by feeding ``x`` through (optionally skipping non-Dense layers)."""
    h = tf.convert_to_tensor(x)
    out = {}
    for layer in model.layers:
        if skip_non_dense and not isinstance(layer, keras.layers.Dense):
            continue
        h = layer(h)
        out[layer.name] = np.asarray(h)
    return out


def _dead_units(rng: np.random.Generator, fan_in: int, units: int, dead: list[int],
                inputs: np.ndarray, *, nonnegative_inputs: bool, nearly: tuple[int, ...] = ()
                ) -> list[np.ndarray]:
    """Weights for a ReLU layer whose units in ``dead`` never fire on ``inputs``.

    Live units are half on, half off over the examples (bias at the median of
    their input sum), so they are zero for some examples but never for all.
    Units in ``nearly`` output a small positive number (about 3e-3) for every
    example: alive, however small.
    """
    kernel = rng.normal(size=(fan_in, units))
    if nonnegative_inputs:
        kernel = np.abs(kernel)
    bias = np.zeros(units)
    z = inputs.astype(np.float64) @ kernel
    for j in range(units):
        if j in dead:
            bias[j] = -(np.abs(z[:, j]).max() + 25.0)
        elif j in nearly:
            kernel[:, j] *= 1e-6 / max(float(np.abs(inputs).max()), 1.0)
            bias[j] = 3e-3
        else:
            bias[j] = -float(np.median(z[:, j]))
    return [kernel.astype(np.float32), bias.astype(np.float32)]


def _random(rng: np.random.Generator, fan_in: int, units: int, scale: float = 0.5
            ) -> list[np.ndarray]:
    return [rng.normal(scale=scale, size=(fan_in, units)).astype(np.float32),
            rng.normal(scale=0.1, size=units).astype(np.float32)]


def _fraction(mask: np.ndarray) -> float:
    return float(np.mean(mask))


def _finish(case: PlantedCase, planted: dict[str, list[int]]) -> PlantedCase:
    """Fill in the known answer and the common wrong answers; verify the planting."""
    outs = _outputs(case.model, case.x)
    skipped = _outputs(case.model, case.x, skip_non_dense=True)
    names = [layer.name for layer in case.model.layers]
    for name in planted:
        out = outs[name]
        dead = np.all(out == 0, axis=0)
        if sorted(np.flatnonzero(dead).tolist()) != sorted(planted[name]):
            raise RuntimeError(f"planting dead units failed in layer {name!r}")
        case.expected[name] = len(planted[name]) / out.shape[-1]
        case.counts[name] = len(planted[name])
        case.units[name] = out.shape[-1]
        before = outs[names[names.index(name) - 1]] if names.index(name) else case.x
        found = {
            "any_zero": _fraction(np.any(out == 0, axis=0)),
            "zero_share": _fraction(out == 0),
            "per_example": _fraction(np.all(out == 0, axis=1)),
            "skipped": _fraction(np.all(skipped[name] == 0, axis=0)),
            "input": _fraction(np.all(before == 0, axis=0)),
        }
        found.update({f"nearly:{t:g}": _fraction(np.all(out < t, axis=0)) for t in _THRESHOLDS})
        for variant, value in found.items():
            case.variants.setdefault(variant, {})[name] = value
    return case


def _planted_case() -> PlantedCase:
    rng = np.random.default_rng(404)
    x = rng.normal(size=(64, 8)).astype(np.float32)
    model = sequential("planted", 8, [
        zero_dense(10, "relu", "encoder_a"), zero_dense(8, tf.nn.relu, "encoder_b"),
        zero_dense(6, "tanh", "squash"), zero_dense(4, "softmax", "probs"),
    ])
    planted = {"encoder_a": [1, 4, 6, 7], "encoder_b": [0, 5, 2]}
    model.get_layer("encoder_a").set_weights(
        _dead_units(rng, 8, 10, planted["encoder_a"], x, nonnegative_inputs=False, nearly=(9,)))
    h = _outputs(model, x)["encoder_a"]
    model.get_layer("encoder_b").set_weights(
        _dead_units(rng, 10, 8, planted["encoder_b"], h, nonnegative_inputs=True, nearly=(3,)))
    model.get_layer("squash").set_weights(_random(rng, 8, 6))
    model.get_layer("probs").set_weights(_random(rng, 6, 4))
    case = PlantedCase(
        "planted", model, x,
        kinds={"encoder_a": "Dense, 'relu'", "encoder_b": "Dense, tf.nn.relu",
               "squash": "Dense, tanh", "probs": "Dense, softmax"},
        dense=["encoder_a", "encoder_b", "squash", "probs"],
    )
    return _finish(case, planted)


def _mixed_case() -> PlantedCase:
    rng = np.random.default_rng(505)
    x = rng.normal(size=(48, 5)).astype(np.float32)
    model = sequential("mixed", 5, [
        zero_dense(6, keras.activations.relu, "gate"), keras.layers.Rescaling(0.5, name="halve"),
        zero_dense(6, keras.activations.leaky_relu, "leaky"), zero_dense(5, "elu", "smooth"),
        zero_dense(4, "relu", "late"), zero_dense(3, "softmax", "out"),
    ])
    planted = {"gate": [3], "late": [0, 2]}
    model.get_layer("gate").set_weights(
        _dead_units(rng, 5, 6, planted["gate"], x, nonnegative_inputs=False))
    # Leaky ReLU with every unit pushed far below 0: never exactly 0, so never "dead".
    model.get_layer("leaky").set_weights([
        rng.normal(scale=0.1, size=(6, 6)).astype(np.float32), np.full(6, -30.0, np.float32)])
    model.get_layer("smooth").set_weights(_random(rng, 6, 5, scale=0.3))
    h = _outputs(model, x)["smooth"]
    model.get_layer("late").set_weights(
        _dead_units(rng, 5, 4, planted["late"], h, nonnegative_inputs=False))
    model.get_layer("out").set_weights(_random(rng, 4, 3))
    case = PlantedCase(
        "mixed", model, x,
        kinds={"gate": "Dense, keras.activations.relu", "halve": "Rescaling, not Dense",
               "leaky": "Dense, Leaky ReLU", "smooth": "Dense, ELU",
               "late": "Dense, 'relu'", "out": "Dense, softmax"},
        dense=["gate", "leaky", "smooth", "late", "out"],
    )
    return _finish(case, planted)


def _flipped_case() -> PlantedCase:
    """A ``Rescaling(-1)`` between two ReLU layers: skipping it swaps the dead units."""
    rng = np.random.default_rng(707)
    x = rng.normal(size=(40, 6)).astype(np.float32)
    model = sequential("flipped", 6, [
        zero_dense(8, "relu", "first"), keras.layers.Rescaling(-1.0, name="flip"),
        zero_dense(6, "relu", "second"), zero_dense(5, "gelu", "smooth"),
        zero_dense(4, None, "linear"), keras.layers.Activation("relu", name="act"),
        zero_dense(3, "softmax", "out"),
    ])
    planted = {"first": [2], "second": [0, 3]}
    model.get_layer("first").set_weights(
        _dead_units(rng, 6, 8, planted["first"], x, nonnegative_inputs=False, nearly=(5,)))
    h = _outputs(model, x)["first"]  # >= 0; the next layer sees -h
    kernel = np.abs(rng.normal(size=(8, 6)))
    bias = np.zeros(6)
    for j in range(6):
        if j in planted["second"]:  # -h . w - 0.1 < 0 always; skipping the flip revives it
            bias[j] = -0.1
        else:  # |h . w| + b, half on; skipping the flip kills it
            kernel[:, j] *= -1.0
            bias[j] = -float(np.median(np.abs(h @ kernel[:, j])))
    model.get_layer("second").set_weights([kernel.astype(np.float32), bias.astype(np.float32)])
    model.get_layer("smooth").set_weights(_random(rng, 6, 5, scale=1.0))
    model.get_layer("linear").set_weights(_random(rng, 5, 4))
    model.get_layer("out").set_weights(_random(rng, 4, 3))
    case = PlantedCase(
        "flipped", model, x,
        kinds={"first": "Dense, 'relu'", "flip": "Rescaling(-1), not Dense",
               "second": "Dense, 'relu'", "smooth": "Dense, GELU",
               "linear": "Dense, linear", "act": "Activation('relu'), not Dense",
               "out": "Dense, softmax"},
        dense=["first", "second", "smooth", "linear", "out"],
    )
    return _finish(case, planted)


def _no_relu_case() -> PlantedCase:
    rng = np.random.default_rng(606)
    x = rng.normal(size=(16, 4)).astype(np.float32)
    model = sequential("no_relu", 4, [zero_dense(5, "sigmoid", "soft"),
                                      zero_dense(3, "softmax", "probs")])
    model.get_layer("soft").set_weights([rng.normal(size=(4, 5)).astype(np.float32),
                                         np.zeros(5, np.float32)])
    model.get_layer("probs").set_weights([rng.normal(size=(5, 3)).astype(np.float32),
                                          np.zeros(3, np.float32)])
    return PlantedCase("no_relu", model, x,
                       kinds={"soft": "Dense, sigmoid", "probs": "Dense, softmax"},
                       dense=["soft", "probs"])


def planted_cases() -> list[PlantedCase]:
    """Build the four models, in the order the checker tries them.

    Example:

    >>> planted_cases()[2].expected
    {'first': 0.125, 'second': 0.3333333333333333}

    Returns:
        Fresh models (each check gets its own, so an answer that edits one cannot
        change the next check).
    """
    return [_planted_case(), _mixed_case(), _flipped_case(), _no_relu_case()]

