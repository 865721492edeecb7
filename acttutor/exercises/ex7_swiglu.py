r"""Exercise 7: a SwiGLU feed-forward block as a Keras layer.

The learner writes ``f(d_model, d_ff)`` returning a ``keras.layers.Layer``
that maps ``(batch, seq, d_model)`` to ``(batch, seq, d_model)`` as

.. math:: \mathrm{FFN}(x) = W_2^\top\big(\mathrm{silu}(xW) \odot xV\big),

without biases (Shazeer 2020). :data:`ex7` checks behaviour and public
weights only, for two sizes (``d_model`` and ``d_ff`` differ, so shapes tell
the kernels apart):

1. **a layer:** ``f(d_model, d_ff)`` returns a ``keras.layers.Layer``
   instance (a ``keras.Model`` is one too);
2. **shape and dtype:** on a float32 tensor of shape ``(2, 5, d_model)`` it
   returns a float32 tensor of the same shape;
3. **weights:** its ``trainable_weights`` are exactly three kernels and no
   bias: two of shape ``(d_model, d_ff)`` (W and V, in either order) and one
   of shape ``(d_ff, d_model)`` (W₂), ``3·d_model·d_ff`` parameters in all.
   One fused ``(d_model, 2·d_ff)`` kernel split in two inside ``call`` is a
   correct SwiGLU, but it is not three kernels: the check says so and asks
   for separate W and V, as the exercise states;
4. **values:** the output equals ``(silu(xW) ⊙ xV) W₂`` computed in NumPy
   float64 from the layer's own kernels, at a relative tolerance of
   :data:`RTOL`; a sigmoid (GLU), ReLU (ReGLU) or GELU (GEGLU) gate, no gate,
   and W₂ applied before the gate each get their own message;
5. **trainable:** every kernel gets a finite, non-zero gradient, and inside
   a tiny model (``Reshape -> your layer -> Flatten -> Dense(softmax)``) one
   training step gives a finite loss.

Example:

>>> import keras
>>> class Block(keras.layers.Layer):
...     def __init__(self, d_model, d_ff):
...         super().__init__()
...         self.w = keras.layers.Dense(d_ff, use_bias=False)
...         self.v = keras.layers.Dense(d_ff, use_bias=False)
...         self.w2 = keras.layers.Dense(d_model, use_bias=False)
...     def call(self, x):
...         return self.w2(keras.activations.silu(self.w(x)) * self.v(x))
>>> ex7.check(Block).status
'passed'
>>> ex7.check(lambda d_model, d_ff: keras.layers.Dense(d_model)).status
'failed'
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from acttutor.exercises import notebook_of
from acttutor.exercises import references as ref
from acttutor.exercises.core import Exercise
from acttutor.exercises.kit import call_learner
from acttutor.exercises.models import train_one_step
from acttutor.exercises.outcomes import Fail
from acttutor.exercises.references import NP
from acttutor.exercises.timelimit import budget
from acttutor.exercises.words import describe

__all__ = ["RTOL", "SIZES", "ex7"]

#: Relative tolerance between the layer's output and the reference from its own kernels.
RTOL = 1e-4
#: The ``(d_model, d_ff)`` pairs the check builds the layer with (never equal, so the
#: kernels' shapes tell W and V from W₂).
SIZES: tuple[tuple[int, int], ...] = ((6, 10), (4, 7))

_BATCH, _SEQ = 2, 5
_FORMULA = "(silu(xW) ⊙ xV) W₂"


# --------------------------------------------------------------------------- the formulas


def _silu(z: np.ndarray) -> np.ndarray:
    return z * ref.sigmoid(z)


_ERF = np.vectorize(math.erf, otypes=[np.float64])


def _gelu(z: np.ndarray) -> np.ndarray:
    return 0.5 * z * (1.0 + _ERF(z / math.sqrt(2.0)))


def _gelu_tanh(z: np.ndarray) -> np.ndarray:
    return 0.5 * z * (1.0 + NP.tanh(math.sqrt(2.0 / math.pi) * (z + 0.044715 * z**3)))


#: Gates a learner may use instead of silu, each with the message's name for it.
_GATES: tuple[tuple[str, Callable[[np.ndarray], np.ndarray]], ...] = (
    ("a sigmoid gate, σ(xW) ⊙ xV: that is the original GLU (Dauphin et al. 2017)",
     ref.sigmoid),
    ("a ReLU gate, relu(xW) ⊙ xV: that is ReGLU", ref.relu),
    ("a GELU gate, gelu(xW) ⊙ xV: that is GEGLU", _gelu),
    ("a GELU gate (its tanh approximation), gelu(xW) ⊙ xV: that is GEGLU", _gelu_tanh),
    ("tanh as the gate", ref.tanh),
)


def _wrong_formulas(x: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray
                    ) -> list[tuple[str, np.ndarray]]:
    """What typical mistakes compute from the kernels ``a``, ``b`` (d_model, d_ff), ``c``."""
    out = []
    for first, second in ((a, b), (b, a)):
        xw, xv = x @ first, x @ second
        out += [(f"Your layer uses {name}. SwiGLU gates with silu(z) = z·sigmoid(z): use "
                 "keras.activations.silu (or tf.nn.silu) on xW.", (gate(xw) * xv) @ c)
                for name, gate in _GATES]
        out += [
            ("Your layer has no gate: it computes silu(xW) W₂ and never multiplies by xV. "
             "Multiply silu(xW) element by element with the second projection xV before W₂.",
             _silu(xw) @ c),
            ("Your layer multiplies xW ⊙ xV without the silu: a bilinear block. Apply "
             "keras.activations.silu to xW before multiplying by xV.", (xw * xv) @ c),
            ("Your layer adds silu(xW) + xV; the gate multiplies them element by element "
             "(silu(xW) * xV).", (_silu(xw) + xv) @ c),
            ("Your layer applies W₂ before the gate: it computes silu(xW W₂) ⊙ (xV W₂). W₂ "
             "comes last, on the gated hidden vector: W₂(silu(xW) * xV).",
             _silu(xw @ c) * (xv @ c)),
            ("Your layer applies silu to the output as well: silu((silu(xW) ⊙ xV) W₂). The "
             "block ends with the linear W₂; leave its output as it is.",
             _silu((_silu(xw) * xv) @ c)),
        ]
    return out


# --------------------------------------------------------------------------- the steps


def _build(f: Any, d_model: int, d_ff: int) -> Any:
    import keras

    made = f"f(d_model={d_model}, d_ff={d_ff})"
    if inspect.isclass(f) and not issubclass(f, keras.layers.Layer):
        raise Fail(f"You passed the class {f.__name__}; pass a function f(d_model, d_ff) that "
                   "returns a keras.layers.Layer (or the Layer subclass itself).")
    layer = call_learner(f, d_model, d_ff, params=("d_model", "d_ff"), call=made,
                         budget=budget("tensorflow"))
    if layer is None:
        raise Fail(f"{made} returned None. Did you forget the `return` statement?")
    if not isinstance(layer, keras.layers.Layer):
        if inspect.isclass(layer) and issubclass(layer, keras.layers.Layer):
            fix = f"Return an instance: {layer.__name__}(d_model, d_ff), not the class."
        elif callable(layer):
            fix = ("A plain function is not a layer: write a subclass of keras.layers.Layer "
                   "whose call(x) computes the block, and return an instance of it.")
        else:
            fix = "Return an instance of a keras.layers.Layer subclass."
        raise Fail(f"{made} returned {describe(layer)} (a {type(layer).__name__}); expected a "
                   f"keras.layers.Layer. {fix}")
    return layer


def _output(layer: Any, x: np.ndarray, d_model: int, d_ff: int) -> np.ndarray:
    import tensorflow as tf

    call = f"Your layer (d_model={d_model}, d_ff={d_ff}) on a float32 tensor of shape {x.shape}"
    out = call_learner(layer, tf.constant(x), call=call, params=("x",),
                       budget=budget("tensorflow"))
    if out is None:
        raise Fail(f"{call} returned None. Did call(x) forget its `return` statement?")
    if not tf.is_tensor(out):
        raise Fail(f"{call} returned {describe(out)}; expected a tensor. Build the output "
                   "from x with Keras or TensorFlow operations.")
    shape = tuple(out.shape)
    if shape == (*x.shape[:-1], d_ff):
        raise Fail(f"{call} returned shape {shape}: the hidden width d_ff = {d_ff}, not "
                   f"d_model = {d_model}. The output projection W₂, of shape (d_ff, d_model), "
                   "is missing: end with a Dense(d_model, use_bias=False) on the gated vector.")
    if shape != x.shape:
        raise Fail(f"{call} returned shape {shape}; expected {x.shape}, the input's shape: "
                   "the block maps (batch, seq, d_model) to (batch, seq, d_model).")
    if out.dtype != tf.float32:
        raise Fail(f"{call} returned dtype {out.dtype.name}; expected float32, like x. Do not "
                   "cast inside the block.")
    return np.asarray(out.numpy(), dtype=np.float64)


def _kernels(layer: Any, d_model: int, d_ff: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The layer's W, V and W₂, found by shape; ``Fail`` when they are not three kernels."""
    weights = list(layer.trainable_weights)
    shapes = [tuple(int(n) for n in w.shape) for w in weights]
    total = int(sum(np.prod(s) for s in shapes))
    want = 3 * d_model * d_ff
    sizes = f"d_model={d_model}, d_ff={d_ff}"
    listed = ", ".join(str(s) for s in shapes) or "none"
    expected = (f"SwiGLU with {sizes} has exactly 3·{d_model}·{d_ff} = {want} parameters: W "
                f"and V of shape ({d_model}, {d_ff}) and W₂ of shape ({d_ff}, {d_model})")
    if not weights:
        raise Fail(f"Your layer ({sizes}) has no trainable weights after it was called. "
                   "Create W, V and W₂ in __init__ or build() (three "
                   "keras.layers.Dense(..., use_bias=False), or self.add_weight).")
    vectors = [s for s in shapes if len(s) == 1]
    if vectors:
        raise Fail(f"Your layer ({sizes}) has a trainable weight of shape {vectors[0]}, a bias "
                   f"(its weights: {listed}). The block has no biases: give every Dense "
                   "use_bias=False.")
    pair, out = (d_model, d_ff), (d_ff, d_model)
    if shapes == [(d_model, 2 * d_ff)]:
        raise Fail(f"Your layer ({sizes}) holds W and V in one fused kernel of shape "
                   f"({d_model}, {2 * d_ff}), and no W₂. The exercise asks for three "
                   f"separate kernels: W and V of shape {pair}, W₂ of shape {out}.")
    if sorted(shapes) == sorted([(d_model, 2 * d_ff), out]):
        raise Fail(f"Your layer ({sizes}) holds W and V in one fused kernel of shape "
                   f"({d_model}, {2 * d_ff}). That computes the same block, but the exercise "
                   f"asks for three separate kernels (W and V of shape {pair}, W₂ of shape "
                   f"{out}) so that the check can find them: use two Dense(d_ff, "
                   "use_bias=False) layers for W and V.")
    if len(weights) == 2 and sorted(shapes) == sorted([pair, out]):
        _two_kernels(layer, weights, shapes, d_model, d_ff)  # raises: it names the mistake
    if shapes.count(pair) == 2 and shapes.count(out) == 1 and len(weights) == 3:
        values = [np.asarray(w.numpy(), dtype=np.float64) for w in weights]
        c = values[shapes.index(out)]
        a, b = (v for v, s in zip(values, shapes, strict=True) if s == pair)
        return a, b, c
    if len(weights) == 3 and total != want:
        hidden = sorted({n for s in shapes for n in s if n != d_model}) or [d_model]
        raise Fail(f"Your layer has {total} trainable parameters in kernels of shapes "
                   f"{listed}; {expected}. Its hidden width is {hidden[0]}, not d_ff = {d_ff}: "
                   "use the d_ff argument as it is, with no 2/3 or other factor.")
    if len(weights) == 3 and shapes.count(pair) == 1 and shapes.count((d_model, d_model)) == 0:
        raise Fail(f"Your layer's kernels have shapes {listed}; {expected}. Store W₂ as "
                   f"({d_ff}, {d_model}), as Dense(d_model) does, not transposed.")
    raise Fail(f"Your layer has {len(weights)} trainable weights of shapes {listed} "
               f"({total} parameters); {expected}.")


def _two_kernels(layer: Any, weights: list, shapes: list, d_model: int, d_ff: int) -> None:
    """Two kernels W (d_model, d_ff) and W₂: name what the layer computes with them."""
    values = [np.asarray(w.numpy(), dtype=np.float64) for w in weights]
    w = values[shapes.index((d_model, d_ff))]
    w2 = values[shapes.index((d_ff, d_model))]
    x = np.random.default_rng(11).normal(size=(_BATCH, _SEQ, d_model)).astype(np.float32)
    got = _output(layer, x, d_model, d_ff)
    x64 = x.astype(np.float64)
    if _matches(got, (_silu(x64 @ w) * (x64 @ w)) @ w2):
        raise Fail("Your layer uses one kernel for both W and V (it computes silu(xW) ⊙ xW, "
                   "the kernel shared), so it has 2 kernels where SwiGLU has 3. Create V as "
                   "its own weight: a second Dense(d_ff, use_bias=False).")
    if _matches(got, _silu(x64 @ w) @ w2):
        raise Fail("Your layer has no gate: it computes silu(xW) W₂, an ordinary feed-forward "
                   "block with 2 kernels. Add a second projection V (Dense(d_ff, "
                   "use_bias=False)) and multiply silu(xW) by xV before W₂.")
    raise Fail(f"Your layer has 2 trainable kernels, of shapes {shapes[0]} and {shapes[1]}; "
               f"SwiGLU has 3: W and V of shape ({d_model}, {d_ff}) and W₂ of shape "
               f"({d_ff}, {d_model}). Give W and V a kernel each.")


def _matches(got: np.ndarray, want: np.ndarray, rtol: float = RTOL) -> bool:
    atol = 1e-5 * max(1.0, float(NP.max(NP.abs(want))))
    return bool(NP.all(NP.isclose(got, want, rtol=rtol, atol=atol)))


def _check_values(got: np.ndarray, x: np.ndarray, a: np.ndarray, b: np.ndarray,
                  c: np.ndarray, d_model: int, d_ff: int) -> None:
    x64 = x.astype(np.float64)
    refs = [(_silu(x64 @ a) * (x64 @ b)) @ c, (_silu(x64 @ b) * (x64 @ a)) @ c]
    if any(_matches(got, r) for r in refs):
        return
    for message, wrong in _wrong_formulas(x64, a, b, c):
        if _matches(got, wrong, rtol=1e-3):
            raise Fail(message)
    best = min(refs, key=lambda r: float(NP.max(NP.abs(got - r))))
    i = tuple(int(k) for k in NP.unravel_index(int(NP.argmax(NP.abs(got - best))), got.shape))
    raise Fail(f"Your layer (d_model={d_model}, d_ff={d_ff}) computes other values than "
               f"{_FORMULA} with its own kernels: on a seeded input of shape {x.shape}, at "
               f"index {i} the block gives {best[i]:.6g}, yours {got[i]:.6g}. Check the "
               "formula: two projections of x, silu on one, multiplied, then W₂.")


def _check_gradients(layer: Any, x: np.ndarray, d_model: int, d_ff: int) -> None:
    import tensorflow as tf

    def loss_and_grads() -> list:
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(layer(tf.constant(x))))
        return tape.gradient(loss, layer.trainable_weights)

    grads = call_learner(loss_and_grads, call="The gradient of your layer's output",
                         params=(), budget=budget("tensorflow"))
    for w, g in zip(layer.trainable_weights, grads, strict=True):
        shape = tuple(w.shape)
        g = None if g is None else np.asarray(tf.convert_to_tensor(g).numpy())
        if g is None or not NP.any(g != 0.0):
            raise Fail(f"No gradient reaches your kernel of shape {shape} ({d_model=}, "
                       f"{d_ff=}): training would never change it. Compute the output from "
                       "the weights with Keras or TensorFlow operations (no .numpy(), NumPy "
                       "or tf.stop_gradient).")
        if not NP.all(NP.isfinite(g)):
            raise Fail(f"The gradient for your kernel of shape {shape} is not finite.")


def _check_training(layer: Any, d_model: int) -> tuple[float, float]:
    import keras

    rng = np.random.default_rng(5)
    x = rng.normal(size=(32, _SEQ * d_model)).astype(np.float32)
    y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, size=32)]
    layers = [keras.layers.Reshape((_SEQ, d_model)), layer, keras.layers.Flatten()]
    before, after = train_one_step(layers, x, y, restore=[layer],
                                   what="Reshape -> your layer -> Flatten")
    for when, loss in (("during", before), ("after", after)):
        if not np.isfinite(loss):
            raise Fail(f"Inside a tiny model (Reshape -> your layer -> Flatten -> Dense), the "
                       f"loss {when} one training step is {loss}; it must be finite.")
    return before, after


def _check(f: Any, *, notes: list[str]) -> str:
    for d_model, d_ff in SIZES:
        layer = _build(f, d_model, d_ff)
        x = np.random.default_rng(d_model).normal(
            size=(_BATCH, _SEQ, d_model)).astype(np.float32)
        got = _output(layer, x, d_model, d_ff)
        a, b, c = _kernels(layer, d_model, d_ff)
        _check_values(got, x, a, b, c, d_model, d_ff)
        _check_gradients(layer, x, d_model, d_ff)
    before, after = _check_training(layer, SIZES[-1][0])
    sizes = " and ".join(f"(d_model, d_ff) = ({m}, {h})" for m, h in SIZES)
    return (f"Your block has three kernels and no bias ({sizes}: 3·d_model·d_ff parameters "
            f"each), computes {_FORMULA} from its own kernels at rtol {RTOL:g}, passes a "
            f"finite, non-zero gradient to every kernel, and trained one step inside a tiny "
            f"model with a finite loss ({before:.4f} → {after:.4f}).")


_SOLUTION = '''
import keras


class SwiGLU(keras.layers.Layer):
    """The SwiGLU feed-forward block: (silu(x W) * x V) W2, without biases."""

    def __init__(self, d_model, d_ff, **kwargs):
        super().__init__(**kwargs)
        self.w = keras.layers.Dense(d_ff, use_bias=False)       # the gate's projection
        self.v = keras.layers.Dense(d_ff, use_bias=False)       # the value's projection
        self.w2 = keras.layers.Dense(d_model, use_bias=False)   # back to d_model

    def call(self, x):
        return self.w2(keras.activations.silu(self.w(x)) * self.v(x))


def swiglu_block(d_model, d_ff):
    """A SwiGLU block mapping (batch, seq, d_model) to (batch, seq, d_model)."""
    return SwiGLU(d_model, d_ff)
'''

ex7 = Exercise(
    "ex7",
    "A SwiGLU feed-forward block",
    _check,
    hints=[
        "Subclass `keras.layers.Layer`. In `__init__`, create three "
        "`keras.layers.Dense(..., use_bias=False)` layers: two of width `d_ff` (W and V) "
        "and one of width `d_model` (W₂). Dense acts on the last axis, so it works on "
        "(batch, seq, d_model) tensors as they are.",
        "In `call(x)`, compute `keras.activations.silu(self.w(x)) * self.v(x)` (shape "
        "(batch, seq, d_ff)), then apply `self.w2` to it. Your function `f(d_model, d_ff)` "
        "returns an instance of the layer.",
        "The check counts trainable weights: exactly three kernels, "
        "3·d_model·d_ff numbers, no biases. It then recomputes the output from those "
        "kernels in NumPy and compares.",
    ],
    solution_code=_SOLUTION,
    answer_name="swiglu_block",
    notebook=notebook_of(__name__),
)
