r"""Exercise 5: the gradient norm of every Dense layer's kernel.

The learner writes ``f(model, x, y, loss_fn) -> dict[str, float]`` with the
semantics of :func:`acttutor.diagnostics.gradient_norms`: for each ``Dense``
layer (the output layer included), keyed by ``layer.name``, the L2
(Frobenius) norm of the gradient of the scalar ``loss_fn(y, model(x))`` with
respect to the layer's **kernel** (not its bias).

:data:`ex5` builds its own small models and data and computes the reference
gradients independently of TensorFlow, by back-propagating by hand in NumPy
(float64). It accepts the learner's norms at a relative tolerance of 1e-4.
One model is a classifier with sigmoid, tanh and softmax layers and
categorical cross-entropy; the other a regressor with ReLU, a ``Rescaling``
layer (not ``Dense``), a ``Dense`` layer without bias and mean squared error.
Typical mistakes get their own message: the bias included in the norm, the
norm of the weights instead of their gradient, an L1 or squared norm, a loss
summed over the batch, ``loss_fn``'s arguments swapped, the output layer
left out, keys that are indices or variable paths.

Example:

>>> import keras, tensorflow as tf
>>> def f(model, x, y, loss_fn):
...     dense = [l for l in model.layers if isinstance(l, keras.layers.Dense)]
...     with tf.GradientTape() as tape:
...         loss = loss_fn(y, model(x))
...     grads = tape.gradient(loss, [l.kernel for l in dense])
...     return {l.name: float(tf.norm(g)) for l, g in zip(dense, grads)}
>>> ex5.check(f).status
'passed'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from acttutor.exercises import notebook_of
from acttutor.exercises import references as ref
from acttutor.exercises.core import Exercise
from acttutor.exercises.kit import call_learner, is_number, require_dict
from acttutor.exercises.models import check_layer_keys, sequential, unchanged_weights, zero_dense
from acttutor.exercises.outcomes import Fail
from acttutor.exercises.references import NP
from acttutor.exercises.timelimit import budget
from acttutor.exercises.words import describe, learner_name

__all__ = ["RTOL", "ex5"]

#: Relative tolerance between the learner's norms and the reference.
RTOL = 1e-4

_SOLUTION = '''
import keras
import tensorflow as tf


def kernel_grad_norms(model, x, y, loss_fn):
    """L2 norm of d loss / d kernel for every Dense layer, keyed by layer name."""
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    kernels = [layer.kernel for layer in dense]          # the kernels only, not the biases
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))                      # one number: the batch's mean loss
    grads = tape.gradient(loss, kernels)
    return {layer.name: float(tf.norm(g)) for layer, g in zip(dense, grads)}
'''


# --------------------------------------------------------------------------- the reference


@dataclass
class _Step:
    """One layer of a chain model, as the NumPy reference sees it."""

    name: str
    kind: str  # "dense" or "scale"
    kernel: np.ndarray | None = None
    bias: np.ndarray | None = None
    activation: str = "linear"
    factor: float = 1.0


_ACTIVATIONS = {"sigmoid": ref.sigmoid, "tanh": ref.tanh, "relu": ref.relu,
                "softmax": ref.softmax}


def _act(name: str, z: np.ndarray) -> np.ndarray:
    return _ACTIVATIONS[name](z) if name in _ACTIVATIONS else z


def _act_backward(name: str, z: np.ndarray, a: np.ndarray, da: np.ndarray) -> np.ndarray:
    if name == "sigmoid":
        return da * a * (1.0 - a)
    if name == "tanh":
        return da * (1.0 - a * a)
    if name == "relu":
        return da * (z > 0)
    if name == "softmax":
        return a * (da - np.sum(da * a, axis=1, keepdims=True))
    return da


@dataclass
class _Grads:
    kernel: dict[str, np.ndarray] = field(default_factory=dict)
    bias: dict[str, np.ndarray] = field(default_factory=dict)
    pre: dict[str, np.ndarray] = field(default_factory=dict)  # pre-activations (for guards)
    probs: np.ndarray | None = None


def _backprop(steps: list[_Step], x: np.ndarray, y: np.ndarray, loss: str,
              swapped: bool = False) -> _Grads:
    """Gradients of the mean loss w.r.t. every kernel and bias, by hand, in float64.

    ``loss`` is ``"cce"`` (categorical cross-entropy on a softmax output) or
    ``"mse"``. With ``swapped=True`` the cross-entropy is computed as Keras
    would for ``loss_fn(model(x), y)``: the prediction as target, and the
    clipped one-hot labels as probabilities.
    """
    n = x.shape[0]
    out = _Grads()
    a = x.astype(np.float64)
    cache = []
    for step in steps:
        if step.kind == "scale":
            cache.append((step, a, None, None))
            a = a * step.factor
            continue
        z = a @ step.kernel + (0.0 if step.bias is None else step.bias)
        new = _act(step.activation, z)
        cache.append((step, a, z, new))
        out.pre[step.name] = z
        a = new
    y64 = y.astype(np.float64)
    last, _, z_last, p = cache[-1]
    if loss == "cce" and not swapped:
        out.probs = p
        delta: np.ndarray | None = (p - y64) / n  # softmax and cross-entropy together
        da = None
    elif loss == "cce":
        eps = 1e-7
        da = -NP.log(NP.clip(y64, eps, 1.0 - eps)) / n
        delta = None
    else:
        da = 2.0 * (p - y64) / (n * p.shape[1])
        delta = None
    for step, a_in, z, a_out in reversed(cache):
        if step.kind == "scale":
            da = da * step.factor
            continue
        dz = delta if delta is not None else _act_backward(step.activation, z, a_out, da)
        delta = None
        out.kernel[step.name] = a_in.T @ dz
        if step.bias is not None:
            out.bias[step.name] = dz.sum(axis=0)
        da = dz @ step.kernel.T
    return out


def _norm(g: np.ndarray) -> float:
    return float(NP.sqrt(NP.sum(g * g)))


# --------------------------------------------------------------------------- the cases


@dataclass
class _Case:
    label: str
    model: keras.Model
    x: np.ndarray
    y: np.ndarray
    loss_fn: keras.losses.Loss
    loss_text: str
    kinds: dict[str, str]
    expected: dict[str, float]
    variants: dict[str, dict[str, float]]

    def text(self) -> str:
        layers = ", ".join(f"{name} [{kind}]" for name, kind in self.kinds.items())
        return (f"the checker's model {self.label!r} (layers: {layers}) with x of shape "
                f"{self.x.shape} and loss_fn={self.loss_text}")


def _steps(model: keras.Model) -> list[_Step]:
    steps = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            weights = [w.astype(np.float64) for w in layer.get_weights()]
            act = getattr(layer.activation, "__name__", "linear")
            steps.append(_Step(layer.name, "dense", weights[0],
                               weights[1] if len(weights) > 1 else None, act))
        else:
            steps.append(_Step(layer.name, "scale", factor=float(layer.scale)))
    return steps


def _build(label: str, spec: list[Any], input_dim: int, n: int, loss: str, seed: int,
           kinds: dict[str, str]) -> _Case:
    """A model with random weights and data, chosen so the reference is well conditioned.

    Inputs are redrawn until no ReLU pre-activation is within 1e-3 of 0 (where float32
    and float64 could disagree about the kink) and no softmax probability is near 0 or 1
    (where Keras clips).
    """
    model = sequential(label, input_dim, spec)
    rng = np.random.default_rng(seed)
    for _attempt in range(100):
        for layer in model.layers:
            if isinstance(layer, keras.layers.Dense):
                fan_in = layer.kernel.shape[0]
                weights = [rng.normal(scale=1.3 / np.sqrt(fan_in),
                                      size=layer.kernel.shape).astype(np.float32)]
                if layer.bias is not None:
                    weights.append(rng.normal(scale=0.3, size=layer.bias.shape)
                                   .astype(np.float32))
                layer.set_weights(weights)
        x = rng.normal(size=(n, input_dim)).astype(np.float32)
        k = model.layers[-1].units
        if loss == "cce":
            y = np.eye(k, dtype=np.float32)[rng.integers(0, k, size=n)]
        else:
            y = rng.normal(size=(n, k)).astype(np.float32)
        steps = _steps(model)
        grads = _backprop(steps, x, y, loss)
        relu_ok = all(np.abs(grads.pre[s.name]).min() > 1e-3 for s in steps
                      if s.kind == "dense" and s.activation == "relu")
        probs_ok = grads.probs is None or (1e-4 < grads.probs.min()
                                           and grads.probs.max() < 1 - 1e-4)
        if relu_ok and probs_ok:
            break
    else:  # pragma: no cover - the seeds are fixed; tests make sure this never happens
        raise RuntimeError(f"could not build a well-conditioned model {label!r}")
    dense = [s for s in steps if s.kind == "dense"]
    expected = {s.name: _norm(grads.kernel[s.name]) for s in dense}
    variants = {
        "with_bias": {s.name: float(np.sqrt(_norm(grads.kernel[s.name]) ** 2 + (
            _norm(grads.bias[s.name]) ** 2 if s.name in grads.bias else 0.0))) for s in dense},
        "weights": {s.name: _norm(s.kernel) for s in dense},
        "l1": {s.name: float(np.abs(grads.kernel[s.name]).sum()) for s in dense},
        "squared": {s.name: _norm(grads.kernel[s.name]) ** 2 for s in dense},
        "summed": {s.name: n * _norm(grads.kernel[s.name]) for s in dense},
        "bias_only": {s.name: _norm(grads.bias[s.name]) if s.name in grads.bias else 0.0
                      for s in dense},
        "max_abs": {s.name: float(NP.max(NP.abs(grads.kernel[s.name]))) for s in dense},
        "mean_abs": {s.name: float(NP.mean(NP.abs(grads.kernel[s.name]))) for s in dense},
        "rms": {s.name: _norm(grads.kernel[s.name]) / float(NP.sqrt(grads.kernel[s.name].size))
                for s in dense},
    }
    if loss == "cce":
        swapped = _backprop(steps, x, y, loss, swapped=True)
        variants["swapped"] = {s.name: _norm(swapped.kernel[s.name]) for s in dense}
        loss_fn: keras.losses.Loss = keras.losses.CategoricalCrossentropy()
        loss_text = "keras.losses.CategoricalCrossentropy()"
    else:
        loss_fn = keras.losses.MeanSquaredError()
        loss_text = "keras.losses.MeanSquaredError()"
    return _Case(label, model, x, y, loss_fn, loss_text, kinds, expected, variants)


def _classifier_case() -> _Case:
    spec = [zero_dense(8, "sigmoid", "first"), zero_dense(8, "sigmoid", "second"),
            zero_dense(6, "tanh", "third"), zero_dense(4, "softmax", "probs")]
    kinds = {"first": "Dense, sigmoid", "second": "Dense, sigmoid", "third": "Dense, tanh",
             "probs": "Dense, softmax"}
    return _build("classifier", spec, 6, 24, "cce", 505, kinds)


def _regressor_case() -> _Case:
    spec = [zero_dense(7, "relu", "wide"), keras.layers.Rescaling(0.5, name="halve"),
            zero_dense(5, "tanh", "nobias", use_bias=False), zero_dense(3, None, "linear_out")]
    kinds = {"wide": "Dense, relu", "halve": "Rescaling, not Dense",
             "nobias": "Dense, tanh, no bias", "linear_out": "Dense, linear"}
    return _build("regressor", spec, 5, 20, "mse", 606, kinds)


# --------------------------------------------------------------------------- judging

_VARIANT_MESSAGES = {
    "with_bias": "These are the norms of the kernel AND bias gradients together. Take the "
                 "gradient with respect to layer.kernel only and leave the bias out.",
    "weights": "These are the norms of the weights themselves (the kernels), not of their "
               "gradients. Record the loss under tf.GradientTape() and use "
               "tape.gradient(loss, kernels).",
    "l1": "These look like L1 norms (sums of absolute values). Use the L2 (Frobenius) norm: "
          "tf.norm(g), or np.sqrt(np.sum(g ** 2)).",
    "squared": "These are squared norms (sums of squares). Take the square root: tf.norm(g), "
               "or np.sqrt(np.sum(g ** 2)).",
    "summed": "These are {n} times too large: the loss is summed over the {n} examples instead "
              "of averaged. Use loss = loss_fn(y, model(x)) as given (a keras.losses.Loss "
              "averages over the batch), not tf.reduce_sum of per-example losses.",
    "bias_only": "These are the norms of the bias gradients. Use each layer's kernel "
                 "(layer.kernel), not its bias.",
    "swapped": "These come from loss_fn(model(x), y): the arguments are swapped. Keras losses "
               "take the targets first: loss_fn(y, model(x)).",
    "max_abs": "These are the largest absolute entries of the gradients (the max norm). Use "
               "the L2 (Frobenius) norm of the whole gradient: tf.norm(g).",
    "mean_abs": "These are the mean absolute entries of the gradients. Use the L2 "
                "(Frobenius) norm, the square root of the SUM of squares: tf.norm(g).",
    "rms": "These are root-mean-square values (the norm divided by the square root of the "
           "number of entries). Use the L2 norm itself, without dividing: tf.norm(g).",
}


def _close(got: dict, want: dict[str, float], rtol: float) -> bool:
    return all(
        abs(float(got[k]) - v) <= rtol * abs(v) + 1e-12 for k, v in want.items()
    )


def _explain_extra(case: _Case, name: str) -> str:
    """Why ``name`` is not a key the dict should have."""
    want = list(case.expected)
    parts = name.replace(":", "/").split("/")
    owner = next((d for d in want if d in parts), None)
    if owner is not None:
        return (f"returned the key {name!r}, a variable's name or path. Key the dict by the "
                f"layer's name, layer.name ({owner!r}).")
    kind = case.kinds.get(name)
    if kind is not None:
        return (f"returned an entry for {name!r}, a {kind.split(',')[0]} layer. Only Dense "
                "layers have a kernel; leave the other layers out.")
    return (f"returned the key {name!r}, which is not a layer of that model. The expected keys "
            f"are {want!r}. (The checker uses several models, so compute the answer from the "
            "model you are given.)")


def _explain_missing(case: _Case, name: str) -> str:
    """Which Dense layer ``name`` is."""
    if name == list(case.expected)[-1]:
        return (f"has no entry for {name!r}, the output layer. It is a Dense layer too, with a "
                "kernel: include every Dense layer.")
    return (f"has no entry for {name!r} ({case.kinds[name]}). Include every Dense layer, "
            "keyed by layer.name.")


def _check_types(got: dict, case: _Case, call: str) -> None:
    for name in case.expected:
        value = got[name]
        if is_number(value, integers=False):
            if not np.isfinite(float(value)):
                raise Fail(f"{call} returned {float(value)} for {name!r}; the correct norm is "
                           f"{case.expected[name]:.6g}. Check for a division by zero or a "
                           "log of 0.")
            continue
        if isinstance(value, tf.Tensor) or hasattr(value, "numpy"):
            shape = tuple(getattr(value, "shape", ()))
            if shape and "Variable" in type(value).__name__:
                raise Fail(f"{call} returned {describe(value)} for {name!r}: a variable of the "
                           "model (its weights), not a gradient. Take the gradient of the loss "
                           "with respect to it, then its L2 norm: float(tf.norm(g)).")
            if shape:
                raise Fail(f"{call} returned a tensor of shape {shape} for {name!r}: the "
                           "gradient itself. Reduce it to its L2 norm: float(tf.norm(g)).")
            raise Fail(f"{call} returned a tf.Tensor for {name!r}; return a plain float: "
                       "float(tf.norm(g)).")
        if isinstance(value, np.ndarray):
            if value.ndim:
                raise Fail(f"{call} returned {describe(value)} for {name!r}: an array, not "
                           "one number. Reduce the gradient to its L2 norm.")
            raise Fail(f"{call} returned a 0-d NumPy array for {name!r}; wrap it in "
                       "float(...).")
        raise Fail(f"{call} returned {describe(value)} ({type(value).__name__}) for {name!r}; "
                   "expected a float, the gradient's L2 norm.")


def _check_values(got: dict, case: _Case, call: str) -> None:
    if _close(got, case.expected, RTOL):
        return
    for variant, values in case.variants.items():
        differs = {k: v for k, v in values.items()
                   if abs(v - case.expected[k]) > 10 * RTOL * abs(case.expected[k])}
        if differs and _close(got, values, 1e-3):
            example = next(iter(differs))
            why = _VARIANT_MESSAGES[variant].format(n=len(case.x))
            raise Fail(f"{call}: for {example!r} you returned {float(got[example]):.6g}, but "
                       f"the kernel's gradient norm is {case.expected[example]:.6g}. {why}")
    _check_pairing(got, case, call)
    for name, want in case.expected.items():
        value = float(got[name])
        if abs(value - want) > RTOL * abs(want) + 1e-12:
            ratio = value / want if want else float("inf")
            off = (f"{ratio:.3g} times the correct value" if not 0.67 < ratio < 1.5 else
                   f"off by {abs(ratio - 1):.2%}")
            raise Fail(
                f"{call}: wrong norm for {name!r}: expected {want:.6g} (to a relative "
                f"{RTOL:g}), got {value:.6g} ({off}). Take the "
                "gradient of loss_fn(y, model(x)) with respect to layer.kernel under "
                "tf.GradientTape, then its L2 norm."
            )


def _check_pairing(got: dict, case: _Case, call: str) -> None:
    """The right norms on the wrong layers: a shifted or reversed zip of layers and gradients."""
    names = list(case.expected)
    for name in names:
        owner = next((other for other in names if other != name and abs(
            float(got[name]) - case.expected[other]) <= 10 * RTOL * case.expected[other]), None)
        if owner is not None and abs(float(got[name]) - case.expected[name]) > (
                10 * RTOL * case.expected[name]):
            raise Fail(f"{call}: the value for {name!r} ({float(got[name]):.6g}) is the kernel "
                       f"gradient norm of {owner!r}: the norms are paired with the wrong layers. "
                       "Keep each layer with its own gradient, zip(dense, grads) in the same "
                       "order as the kernels you passed to tape.gradient.")


def _judge(got: Any, case: _Case, call: str) -> None:
    require_dict(got, call, keys="Dense layer", values="kernel's gradient norm")
    check_layer_keys(got, list(case.expected), call,
                     explain_extra=lambda k: _explain_extra(case, k),
                     explain_missing=lambda k: _explain_missing(case, k))
    _check_types(got, case, call)
    _check_values(got, case, call)


def _check(f: Callable[..., Any], *, notes: list[str]) -> str:
    from acttutor.diagnostics import gradient_norms

    if f is gradient_norms:
        notes.append("That is acttutor's own gradient_norms; try writing it yourself.")
    for build in (_classifier_case, _regressor_case):
        case = build()
        call = f"{learner_name(f)}(model, x, y, loss_fn) on {case.text()}"
        with unchanged_weights(case.model, call, "Only compute gradients: do not apply them "
                               "(no optimizer step, no fit, no assign)."):
            got = call_learner(f, case.model, case.x, case.y, case.loss_fn, call=call,
                               params=("model", "x", "y", "loss_fn"), warnings_out=notes,
                               notes=notes, budget=budget("tensorflow"))
        _judge(got, case, call)
    return ("Correct: the kernel gradient norms match a reference back-propagated by hand, to "
            f"a relative {RTOL:g}, on a sigmoid/tanh classifier with cross-entropy and a ReLU "
            "regressor with mean squared error.")


ex5 = Exercise(
    "ex5",
    "Gradient flow: kernel gradient norm per layer",
    _check,
    hints=[
        "Collect the Dense layers: `dense = [l for l in model.layers if isinstance(l, "
        "keras.layers.Dense)]`. Their kernels are `l.kernel`.",
        "Compute the loss inside `with tf.GradientTape() as tape:` as "
        "`loss = loss_fn(y, model(x))`, then `grads = tape.gradient(loss, kernels)` gives "
        "one gradient per kernel, in the same order.",
        "The L2 (Frobenius) norm of a gradient g is `float(tf.norm(g))` (or "
        "`np.sqrt(np.sum(g.numpy() ** 2))`). Leave the biases out, include the output layer, "
        "and key the dict by `layer.name`.",
    ],
    solution_code=_SOLUTION,
    answer_name="kernel_grad_norms",
    notebook=notebook_of(__name__),
)
