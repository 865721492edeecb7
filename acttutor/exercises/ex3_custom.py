r"""Exercise 3: write a custom activation in TensorFlow and use it in a network.

The learner writes ``f(x: tf.Tensor) -> tf.Tensor`` (Swish with a β, or a
design of their own) and optionally a model that uses it. :data:`ex3` checks
behaviour only, by calling ``f`` on fresh seeded tensors:

1. **type, shape, dtype:** ``f`` returns a ``tf.Tensor`` of the input's shape
   and dtype for float32 input (1-D and 2-D);
2. **finite:** the output is finite on a grid over [-20, 20] (0 included) and
   at float32 inputs out to ±1000 (:data:`EXTREMES`), where ``exp`` overflows;
3. **a function:** the same input gives the same output on every call (an
   activation is not random); **element-wise:** each output depends only on
   its own input: ``f`` of one
   element alone equals that element of ``f`` of the vector, permuting the
   input permutes the output, and a 2-D input gives the same values as the
   flat one;
4. **non-linear:** ``f`` is not affine (``a*x + b``) on that grid: a
   least-squares line leaves a clear residual;
5. **gradient:** ``tf.GradientTape`` gives a derivative that is finite at
   every one of those inputs (a single NaN or infinite slope turns a whole
   update into NaN) and non-zero somewhere;
6. **in a layer:** a small model with ``keras.layers.Dense(8, activation=f)``
   builds, takes one training step with ``train_on_batch`` (graph mode, as in
   ``fit``) and gives a finite loss before and after the step;
7. **with** ``model=`` (or ``ex3.check(f, model)``): some layer's public
   ``activation`` attribute is ``f`` itself, or gives the same values as ``f``
   (for example after saving and loading the model).

Example:

>>> import tensorflow as tf
>>> ex3.check(lambda x: x * tf.sigmoid(1.5 * x)).status
'passed'
>>> ex3.check(lambda x: 2.0 * x + 1.0).status
'failed'
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from acttutor.exercises import notebook_of
from acttutor.exercises.core import Exercise
from acttutor.exercises.kit import call_learner, close
from acttutor.exercises.models import quiet_tf, train_one_step, walk_layers
from acttutor.exercises.outcomes import Fail
from acttutor.exercises.timelimit import TimeUp, budget, time_limit
from acttutor.exercises.words import describe, too_slow

__all__ = ["EXTREMES", "GRID", "PROBE", "ex3"]

#: Where ``f`` must be finite, non-linear and have a gradient: 401 points over [-20, 20]
#: (0 included exactly).
GRID: np.ndarray = np.round(np.linspace(-20.0, 20.0, 401), 6).astype(np.float32)
#: Large float32 inputs where ``f`` and its derivative must be finite too: out to ±1000,
#: and either side of 88.7, where float32 ``exp`` overflows.
EXTREMES: np.ndarray = np.array(
    [-1000, -500, -200, -100, -90, -89, -88, -50, -30, 30, 50, 88, 89, 90, 100, 200, 500, 1000],
    dtype=np.float32,
)
#: Every input the derivative is checked at: :data:`GRID` and :data:`EXTREMES`.
PROBE: np.ndarray = np.concatenate([GRID, EXTREMES])

_SMALL = np.array([0.5, -1.0, 2.0, -3.0], dtype=np.float32)
_RTOL = 1e-5
_ATOL = 1e-6
# Standard element-wise activations a learner might reproduce (a note, not a failure).
_STANDARD = (
    "relu", "sigmoid", "tanh", "elu", "selu", "gelu", "silu", "softplus", "softsign",
    "mish", "relu6", "hard_sigmoid", "hard_silu", "leaky_relu", "exponential", "celu",
)


def _close(a: Any, b: Any) -> bool:
    return close(a, b, rtol=_RTOL, atol=_ATOL)


def _call(f: Any, x: Any, notes: list[str]) -> Any:
    return call_learner(f, x, params=("x",), warnings_out=notes, notes=notes,
                        budget=budget("tensorflow"))


def _as_array(out: Any, x: np.ndarray, what: str) -> np.ndarray:
    """Check type, shape and dtype of ``f``'s output; return its values."""
    import tensorflow as tf

    call = f"{what[:1].upper()}{what[1:]} on a float32 tensor of shape {x.shape}"
    if out is None:
        raise Fail(f"{call} returned None. Did you forget the `return` statement?")
    if isinstance(out, np.ndarray):
        raise Fail(
            f"{call} returned a NumPy array. Use TensorFlow operations (tf.sigmoid, tf.exp, "
            "tf.where, tf.math.*) instead of np.* or .numpy(): inside a Keras layer x is a "
            "symbolic tensor, and gradients flow only through TensorFlow operations."
        )
    if not tf.is_tensor(out):
        raise Fail(
            f"{call} returned a {type(out).__name__} ({describe(out)}); expected a tf.Tensor "
            "of the same shape as x. Build the result from x with TensorFlow operations."
        )
    shape = tuple(out.shape)
    if shape != x.shape:
        raise Fail(
            f"{call} returned shape {shape}; an activation keeps the shape of its input, "
            f"{x.shape}. Apply the formula to each element; do not sum, reduce or reshape."
        )
    if out.dtype != tf.float32:
        if out.dtype == tf.float64:
            fix = ("Keep x's dtype: do not cast to float64; a Keras layer computes in float32, "
                   "and a plain Python number as a constant keeps it.")
        elif out.dtype.is_floating:
            fix = (f"Do not cast down: {out.dtype.name} keeps only about 3 significant digits, "
                   "too few for training. Compute in x's own dtype.")
        else:
            fix = "Return floats: a comparison or tf.cast to an integer type loses the values."
        raise Fail(f"{call} returned dtype {out.dtype.name}; expected float32, like x. {fix}")
    return np.asarray(out.numpy(), dtype=np.float64)


def _check_signature(f: Any) -> None:
    if isinstance(f, str):
        raise Fail(
            f"You passed the string {f!r}. Pass your function itself: ex3.check(my_activation)."
        )
    if inspect.isclass(f):
        raise Fail(
            f"You passed the class {f.__name__}. Pass an instance ({f.__name__}()) or a "
            "function of one tensor."
        )
    if not callable(f):
        return  # call_learner reports non-callables
    try:
        params = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):  # builtins and some callables have no signature
        return
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    required = [
        p.name for p in params if p.kind in kinds and p.default is inspect.Parameter.empty
    ]
    if len(required) > 1:
        raise Fail(
            f"Your function needs {len(required)} arguments ({', '.join(required)}); the check "
            "calls it with 1 (x), as a Keras layer calls its activation with one tensor: "
            "f(x). Give the others default values, e.g. def swish(x, beta=1.5), or fix them "
            "with functools.partial."
        )
    if not required and not any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params):
        raise Fail(
            "Your function takes no argument; the check calls it with 1 (x), as a Keras layer "
            "calls its activation with one tensor: f(x)."
        )


def _values(f: Any, x: np.ndarray, notes: list[str], what: str = "your function") -> np.ndarray:
    import tensorflow as tf

    return _as_array(_call(f, tf.constant(x), notes), x, what)


def _check_finite(x: np.ndarray, y: np.ndarray) -> None:
    bad = ~np.isfinite(y)
    if not bad.any():
        return
    i = int(np.argmax(bad))
    if np.isnan(y[i]):
        cause = "NaN usually comes from log or sqrt of a negative number, inf - inf or inf / inf"
    elif x[i] == 0.0:
        cause = "an infinity at 0 usually means dividing by x"
    else:
        cause = (
            "an infinity away from 0 means an overflow, such as exp of a large x; "
            "float32 overflows above about 3.4e38, so tf.exp(x) is inf from x = 89"
        )
    raise Fail(
        f"Your function returns {y[i]} at x = {x[i]:g}. The inputs of an activation "
        "(a layer's weighted sums) can be any real number, so f must be finite for all of "
        f"them ({cause})."
    )


def _check_deterministic(f: Any, y_grid: np.ndarray, notes: list[str]) -> None:
    again = _values(f, GRID, notes)
    if not _close(again, y_grid):
        i = int(np.argmax(np.abs(again - y_grid)))
        raise Fail(
            f"Your function gives different outputs for the same input: at x = {GRID[i]:g} it "
            f"returned {y_grid[i]:.6g} on one call and {again[i]:.6g} on the next, so it is "
            "random (or keeps state between calls). An activation must be a fixed function "
            "of x; for randomness during training, use a separate keras.layers.Dropout."
        )


def _check_elementwise(f: Any, y_grid: np.ndarray, notes: list[str]) -> None:
    ys = _values(f, _SMALL, notes)
    y1 = _values(f, _SMALL[:1], notes)
    if not _close(y1[0], ys[0]):
        raise Fail(
            "Your function is not element-wise: an output depends on the other elements of x. "
            f"f({describe(_SMALL)})[0] = {ys[0]:.6g}, but f(array([{_SMALL[0]:g}]))[0] = "
            f"{y1[0]:.6g}. An activation transforms each number on its own (like tf.nn.relu), "
            "so avoid sums, means, max or softmax over x."
        )
    rng = np.random.default_rng(3)
    x = rng.normal(0.0, 3.0, size=64).astype(np.float32)
    perm = rng.permutation(x.size)
    y = _values(f, x, notes)
    yp = _values(f, x[perm], notes)
    if not _close(yp, y[perm]):
        i = int(np.argmax(np.abs(yp - y[perm])))
        raise Fail(
            "Your function is not element-wise: its output depends on where a value sits in x. "
            f"The value {x[perm][i]:.4g} gives {y[perm][i]:.6g} in one position and "
            f"{yp[i]:.6g} in another. Apply the same formula to every element."
        )
    x2 = x.reshape(8, 8)
    y2 = _values(f, x2, notes)
    if not _close(y2, y.reshape(8, 8)):
        raise Fail(
            "Your function is not element-wise: on a 2-D batch of shape (8, 8) it gives other "
            "values than on the same 64 numbers in 1-D. Do not reduce along an axis "
            "(tf.reduce_*, softmax, normalisation); transform each element on its own."
        )


def _check_nonlinear(y: np.ndarray) -> None:
    x = GRID.astype(np.float64)
    design = np.stack([x, np.ones_like(x)], axis=1)
    (a, b), *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = float(np.max(np.abs(y - (a * x + b))))
    if residual > 1e-4 * max(1.0, float(np.max(np.abs(y)))):
        return
    if np.allclose(a, 0.0, atol=1e-7):
        raise Fail(
            f"Your function is constant (about {b:.4g} everywhere on [-20, 20]): it ignores x. "
            "An activation must depend on its input, non-linearly."
        )
    line = f"{a:.4g}*x" if abs(b) < 1e-6 * max(1.0, abs(a)) else f"{a:.4g}*x + {b:.4g}"
    raise Fail(
        f"Your function is linear: on [-20, 20] it equals {line}. Stacked layers "
        "with a linear activation collapse into a single linear layer, so the network gains "
        "nothing from depth. Bend the curve somewhere, e.g. x * tf.sigmoid(beta * x)."
    )


def _check_gradient(f: Any, notes: list[str]) -> float:
    import tensorflow as tf

    x = tf.constant(PROBE)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = _call(f, x, notes)
    grad = tape.gradient(y, x)
    if grad is None:
        raise Fail(
            "No gradient flows through your function: tf.GradientTape finds no path from x to "
            "f(x). Build f(x) from differentiable TensorFlow operations; .numpy(), np.*, "
            "tf.stop_gradient, tf.round or comparisons (x > 0) cut the path."
        )
    g = np.asarray(grad.numpy(), dtype=np.float64)
    bad = ~np.isfinite(g)
    if bad.any():
        i = int(np.argmax(bad))
        at = PROBE[i]
        cause = (
            "tf.where evaluates both branches, so an overflow in the branch not taken (tf.exp "
            "of a large x) still poisons the gradient: clip the input of that branch, e.g. "
            "tf.exp(tf.minimum(x, 0.0))"
            if abs(at) > 20 else
            "a slope that is infinite there, such as that of sqrt(|x|) or |x|^0.5 at 0"
        )
        raise Fail(
            f"The derivative of your function is {g[i]} at x = {at:g}. A single NaN or infinite "
            "slope turns the whole weight update of a layer into NaN, so the derivative must be "
            f"finite for every input ({cause})."
        )
    if not np.any(g != 0.0):
        raise Fail(
            "The gradient of your function is zero everywhere from -1000 to 1000, so gradient "
            "descent cannot learn through it (steps like tf.sign or tf.round have zero "
            "slope). Use a smooth or piecewise-linear formula with a slope."
        )
    return float(g[int(np.argmin(np.abs(PROBE - 1.0)))])


def _check_in_dense(f: Any) -> tuple[float, float]:
    """One training step of a small model with Dense(activation=f); returns the losses."""
    import keras

    rng = np.random.default_rng(7)
    x = rng.normal(size=(64, 6)).astype(np.float32)
    y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, size=64)]
    hidden = keras.layers.Dense(8, activation=f,
                                kernel_initializer=keras.initializers.GlorotUniform(seed=0))
    # An activation written as a Keras layer may own weights; they are put back afterwards.
    own = [f] if isinstance(f, keras.layers.Layer) else []
    before, after = train_one_step([hidden], x, y, what="Dense(8, activation=f)", restore=own)
    for when, loss in (("during", before), ("after", after)):
        if not np.isfinite(loss):
            raise Fail(
                f"Inside keras.layers.Dense(activation=f), the loss {when} one training step "
                f"is {loss}. Your function, or its gradient, is not finite for some typical "
                "inputs; look for a division by zero, a log or sqrt of a negative number, or "
                "an overflow."
            )
    return before, after


def _act_name(act: Any) -> str:
    return str(getattr(act, "__name__", None) or type(act).__name__)


def _check_model(model: Any, f: Any, y_grid: np.ndarray) -> str:
    import keras
    import tensorflow as tf

    if not isinstance(model, keras.Model):
        raise Fail(
            f"model= must be a keras.Model that uses your activation, but got a "
            f"{type(model).__name__} ({describe(model)}). Build one with "
            "build_mlp(my_activation) or keras.Sequential([...]) and pass it."
        )
    with_activation = []
    grid = tf.constant(GRID)
    for layer in walk_layers(model):
        act = getattr(layer, "activation", None)  # public on Dense, Conv*, Activation ...
        if act is None or not callable(act):
            continue
        with_activation.append(f"{layer.name} ({_act_name(act)})")
        if act is f:
            return layer.name
        seconds = budget("tensorflow")
        try:
            with quiet_tf(), time_limit(seconds):
                values = np.asarray(act(grid), dtype=np.float64)
        except TimeUp:
            raise Fail(too_slow(f"The activation of your model's layer {layer.name!r}", seconds,
                                [GRID], what="it")) from None
        except Exception:  # noqa: BLE001 - this layer's activation is not comparable; skip it
            continue
        if values.shape == y_grid.shape and _close(values, y_grid):
            return layer.name
    found = ", ".join(with_activation) or "none"
    raise Fail(
        "None of the model's layers uses your function as its activation (layers with an "
        f"activation: {found}). Pass it to a layer, e.g. keras.layers.Dense(64, "
        "activation=my_activation), or build_mlp(my_activation)."
    )


def _same_as_standard(y_grid: np.ndarray) -> str | None:
    import keras
    import tensorflow as tf

    grid = tf.constant(GRID)
    for name in _STANDARD:
        fn = getattr(keras.activations, name, None)
        if fn is None:
            continue
        values = np.asarray(fn(grid), dtype=np.float64)
        if values.shape == y_grid.shape and _close(values, y_grid):
            return name
    return None


def _check(f: Any, *, model: Any = None, notes: list[str]) -> str:
    _check_signature(f)
    y_grid = _values(f, GRID, notes)
    _values(f, GRID.reshape(-1, 1)[:12], notes)  # shape and dtype on a 2-D batch
    _check_finite(GRID, y_grid)
    _check_finite(EXTREMES, _values(f, EXTREMES, notes))
    _check_deterministic(f, y_grid, notes)
    _check_elementwise(f, y_grid, notes)
    _check_nonlinear(y_grid)
    slope = _check_gradient(f, notes)
    before, after = _check_in_dense(f)
    standard = _same_as_standard(y_grid)
    if standard is not None:
        notes.append(
            f"Your function gives the same values as keras.activations.{standard}. That is "
            "fine for practice; for the exercise, try a design of your own (add a parameter, "
            "for example)."
        )
    message = (
        "Your activation is element-wise, keeps shape and float32, is non-linear, has a "
        f"usable gradient (slope {slope:.4g} at x = 1), and a Dense(activation=f) layer "
        f"trained one step with a finite loss ({before:.4f} → {after:.4f})."
    )
    if model is not None:
        layer = _check_model(model, f, y_grid)
        message += f" Your model's layer {layer!r} uses it."
    return message


_SOLUTION = '''
import tensorflow as tf

BETA = 1.5  # Swish's slope parameter: beta = 1 is SiLU; a large beta approaches ReLU


def my_activation(x):
    """Swish with beta = 1.5: x * sigmoid(beta * x)."""
    return x * tf.sigmoid(BETA * x)
'''

ex3 = Exercise(
    "ex3",
    "A custom activation",
    _check,
    hints=[
        "Write a function of ONE tensor that returns a tensor of the same shape, using only "
        "TensorFlow operations such as `tf.sigmoid`, `tf.tanh`, `tf.exp` and `tf.where`. "
        "Python numbers like `1.5` are fine as constants.",
        "Swish is a good start: `x * tf.sigmoid(beta * x)` with, say, `beta = 1.5`. Keep "
        "`beta` as a module constant or a default argument (`def f(x, beta=1.5)`), because "
        "Keras calls the activation with x alone.",
        "The checker wants: same shape and float32 dtype as x, each output depending only on "
        "its own input, a curve that is not a straight line, a non-zero slope somewhere, and "
        "finite values and slopes for every input, out to ±1000 (where `tf.exp(x)` is "
        "already inf).",
    ],
    solution_code=_SOLUTION,
    answer_name="my_activation",
    notebook=notebook_of(__name__),
)
