r"""Gated feed-forward blocks (GLU, ReGLU, GEGLU, SwiGLU) and a tiny Transformer encoder.

A gated block projects each token twice, passes one projection through a
gate activation :math:`g`, multiplies the two element by element and projects
back (Dauphin et al. 2017; Shazeer 2020):

.. math:: \mathrm{FFN}_g(x) = \big(g(xW) \odot xV\big)\,W_2

with :math:`g` the sigmoid (GLU), ReLU (ReGLU), GELU (GEGLU) or SiLU
(SwiGLU), and no biases. It has :math:`3 \cdot d_\text{model} \cdot d_\text{ff}`
weights where the ungated block :math:`\mathrm{act}(xW_1)W_2` has
:math:`2 \cdot d_\text{model} \cdot d_\text{ff}`, so a comparison at equal
size gives the gated blocks two thirds of the hidden width
(:func:`matched_hidden`).

Example:

>>> import numpy as np
>>> block = feed_forward("swiglu", d_model=8, hidden=12)
>>> tuple(block(np.zeros((2, 5, 8), "float32")).shape), block.count_params()
((2, 5, 8), 288)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np

from acttutor import _checks
from acttutor.data import Dataset
from acttutor.run_result import RunResult
from acttutor.training import train_and_evaluate

__all__ = [
    "FFN_KINDS",
    "GATES",
    "GEGLU",
    "GLU",
    "GatedFeedForward",
    "ReGLU",
    "SwiGLU",
    "feed_forward",
    "matched_hidden",
    "pooled_rows",
    "tiny_transformer",
    "train_variants",
    "same_values_verdict",
]

#: The gate activation of each gated variant.
GATES: dict[str, str] = {"glu": "sigmoid", "reglu": "relu", "geglu": "gelu", "swiglu": "silu"}
#: Every feed-forward block :func:`feed_forward` builds: two ungated, four gated.
FFN_KINDS: tuple[str, ...] = ("relu", "gelu", *GATES)


class GatedFeedForward(keras.layers.Layer):
    r"""The gated block :math:`(g(xW) \odot xV)\,W_2`, three kernels and no biases.

    Example:

    >>> import numpy as np
    >>> block = GatedFeedForward(4, 6, gate="sigmoid")
    >>> tuple(block(np.ones((1, 3, 4), "float32")).shape), len(block.trainable_weights)
    ((1, 3, 4), 3)

    Args:
        d_model: The width of each token, in and out.
        d_ff: The hidden width of W and V.
        gate: The gate activation, a name Keras knows (``"silu"``, ``"sigmoid"``, ...);
            by default the class's ``GATE``.
        **kwargs: Passed to ``keras.layers.Layer`` (``name=``, ...).
    """

    #: The gate when none is given; each named variant below sets its own.
    GATE = "silu"

    def __init__(self, d_model: int, d_ff: int, gate: str | None = None, **kwargs: Any
                 ) -> None:
        super().__init__(**kwargs)
        self.d_model = _checks.positive_int("d_model", d_model)
        self.d_ff = _checks.positive_int("d_ff", d_ff)
        self.gate_name = gate or self.GATE
        self.gate = keras.activations.get(self.gate_name)
        self.w = keras.layers.Dense(d_ff, use_bias=False, name="w")
        self.v = keras.layers.Dense(d_ff, use_bias=False, name="v")
        self.w2 = keras.layers.Dense(d_model, use_bias=False, name="w2")

    def build(self, input_shape: tuple) -> None:
        """Create the three kernels for inputs of ``input_shape``.

        Args:
            input_shape: The shape of the input, (..., d_model).
        """
        self.w.build(input_shape)
        self.v.build(input_shape)
        self.w2.build((*input_shape[:-1], self.d_ff))

    def call(self, x: Any) -> Any:
        """The block's output for a batch ``x``.

        Args:
            x: A tensor of shape (..., d_model).

        Returns:
            A tensor of the same shape.
        """
        return self.w2(self.gate(self.w(x)) * self.v(x))

    def get_config(self) -> dict[str, Any]:
        """The arguments that rebuild this layer (for saving).

        Returns:
            The layer's configuration, with ``d_model``, ``d_ff`` and ``gate``.
        """
        return {**super().get_config(), "d_model": self.d_model, "d_ff": self.d_ff,
                "gate": self.gate_name}


class GLU(GatedFeedForward):
    """The gated block with a sigmoid gate (Dauphin et al. 2017).

    It takes the arguments of :class:`GatedFeedForward`; ``gate`` defaults to ``GATE``.

    Example:

    >>> GLU(4, 6).gate_name
    'sigmoid'
    """

    GATE = "sigmoid"


class ReGLU(GatedFeedForward):
    """The gated block with a ReLU gate (Shazeer 2020); arguments as :class:`GLU`.

    Example:

    >>> ReGLU(4, 6).gate_name
    'relu'
    """

    GATE = "relu"


class GEGLU(GatedFeedForward):
    """The gated block with a GELU gate (Shazeer 2020); arguments as :class:`GLU`.

    Example:

    >>> GEGLU(4, 6).gate_name
    'gelu'
    """

    GATE = "gelu"


class SwiGLU(GatedFeedForward):
    """The gated block with a SiLU (Swish) gate (Shazeer 2020); arguments as :class:`GLU`.

    Example:

    >>> SwiGLU(4, 6).gate_name
    'silu'
    """

    GATE = "silu"


def same_values_verdict(max_difference: float) -> str:
    """Say whether two ways of computing the same values agree, from their largest gap.

    Exactly 0 is "identical"; up to ``1e-5`` times the values' scale (1 here) it is
    float32 round-off; above that, the two computations differ.

    Example:

    >>> same_values_verdict(0.0), same_values_verdict(3e-7)[:9], same_values_verdict(0.2)[:7]
    ('exactly 0: identical', 'at most 3', '0.2: th')

    Args:
        max_difference: The largest absolute difference between the two results.

    Returns:
        A phrase that follows "largest difference:".
    """
    value = float(max_difference)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"same_values_verdict needs a finite gap >= 0, got {max_difference!r}.")
    if value == 0.0:
        return "exactly 0: identical"
    if value <= 1e-5:
        return f"at most {value:.2g}, float32 round-off: the same values"
    return f"{value:.3g}: the two computations differ"


def matched_hidden(d_ff: int) -> int:
    r"""The gated blocks' hidden width with the weights of an ungated block of width ``d_ff``.

    .. math:: 3 \cdot d \cdot h = 2 \cdot d \cdot d_\text{ff}
       \quad\Rightarrow\quad h = \mathrm{round}(2 d_\text{ff} / 3)

    Example:

    >>> matched_hidden(128)
    85

    Args:
        d_ff: The ungated block's hidden width.

    Returns:
        The gated hidden width, rounded to the nearest integer.
    """
    return round(2 * _checks.positive_int("d_ff", d_ff) / 3)


def feed_forward(kind: str, d_model: int, hidden: int, name: str | None = None
                 ) -> keras.layers.Layer:
    """A feed-forward block of one of :data:`FFN_KINDS`, without biases.

    ``"relu"`` and ``"gelu"`` give ``act(x W1) W2`` (two kernels); the gated
    kinds give a :class:`GatedFeedForward` (three kernels).

    Example:

    >>> [feed_forward(k, 8, 12).name for k in ("relu", "glu")]
    ['ffn_relu', 'ffn_glu']

    Args:
        kind: One of :data:`FFN_KINDS`.
        d_model: The width of each token.
        hidden: The hidden width.
        name: The layer's name (by default ``"ffn_<kind>"``).

    Returns:
        An unbuilt Keras layer mapping (..., d_model) to (..., d_model).
    """
    if kind not in FFN_KINDS:
        raise ValueError(f"feed_forward: unknown kind {kind!r}; use one of {FFN_KINDS}.")
    name = name or f"ffn_{kind}"
    if kind in GATES:
        return GatedFeedForward(d_model, hidden, gate=GATES[kind], name=name)
    return keras.Sequential([
        keras.layers.Dense(hidden, activation=kind, use_bias=False),
        keras.layers.Dense(d_model, use_bias=False),
    ], name=name)


class _AddPosition(keras.layers.Layer):
    """Adds a learned vector per position to a (batch, seq, d_model) batch."""

    def build(self, input_shape: tuple) -> None:
        self.position = self.add_weight(shape=tuple(input_shape[1:]), initializer="zeros",
                                        name="position")

    def call(self, x: Any) -> Any:
        return x + self.position


def tiny_transformer(
    kind: str,
    *,
    seq_len: int = 28,
    features: int = 28,
    d_model: int = 32,
    d_ff: int = 128,
    heads: int = 2,
    classes: int = 10,
    learning_rate: float = 3e-3,
    seed: int = 0,
    compile: bool = True,
) -> keras.Model:
    """A one-block, pre-LayerNorm Transformer encoder classifier, compiled.

    Each of ``seq_len`` tokens (an MNIST row) is embedded by a ``Dense`` to
    ``d_model`` and given a learned position vector; then ``x + attention(LN(x))``
    and ``x + FFN(LN(x))``, an average over the tokens and a softmax. The FFN is
    :func:`feed_forward` of ``kind``, with hidden width ``d_ff`` for the ungated
    kinds and :func:`matched_hidden` of it for the gated ones, so every variant
    has almost the same number of weights.

    Example:

    >>> model = tiny_transformer("swiglu", d_model=8, d_ff=12, heads=1)
    >>> model.get_layer("ffn_swiglu").count_params()
    192

    Args:
        kind: The feed-forward block, one of :data:`FFN_KINDS`.
        seq_len: Tokens per example.
        features: Features per token.
        d_model: The width of each token inside the encoder.
        d_ff: The ungated hidden width (gated kinds use two thirds of it).
        heads: Attention heads (each of width ``d_model // heads``).
        classes: Output classes.
        learning_rate: Adam's step size.
        seed: Seeds the initial weights (``keras.utils.set_random_seed``).
        compile: Compile it with Adam, categorical cross-entropy and accuracy.

    Returns:
        A ``keras.Model``, compiled unless ``compile=False``.
    """
    if kind not in FFN_KINDS:
        raise ValueError(f"tiny_transformer: unknown kind {kind!r}; use one of {FFN_KINDS}.")
    heads = _checks.positive_int("heads", heads)
    if d_model % heads:
        raise ValueError(f"tiny_transformer: d_model={d_model} must be a multiple of "
                         f"heads={heads}.")
    keras.utils.set_random_seed(_checks.seed(seed))
    hidden = matched_hidden(d_ff) if kind in GATES else d_ff
    inputs = keras.Input(shape=(seq_len, features))
    x = _AddPosition(name="position")(keras.layers.Dense(d_model, name="embed")(inputs))
    h = keras.layers.LayerNormalization(name="ln_attention")(x)
    x = x + keras.layers.MultiHeadAttention(heads, d_model // heads, name="attention")(h, h)
    h = keras.layers.LayerNormalization(name="ln_ffn")(x)
    x = x + feed_forward(kind, d_model, hidden)(h)
    x = keras.layers.GlobalAveragePooling1D()(keras.layers.LayerNormalization()(x))
    outputs = keras.layers.Dense(classes, activation="softmax", name="classes")(x)
    model = keras.Model(inputs, outputs, name=f"transformer_{kind}")
    if compile:
        model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                      loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def pooled_rows(data: Dataset, side: int = 14) -> Dataset:
    """Square images averaged down to ``side`` × ``side``: ``side`` tokens of ``side`` features.

    Each image's rows become the tokens of a sequence. Averaging 2 × 2 blocks
    (``side=14``) keeps the digits legible and makes attention four times cheaper.

    Example:

    >>> import numpy as np
    >>> from acttutor.data import Dataset
    >>> d = Dataset(np.ones((2, 28, 28)), np.eye(2), np.zeros((1, 28, 28)), np.eye(2)[:1], "x")
    >>> pooled_rows(d).x_train.shape
    (2, 14, 14)

    Args:
        data: A dataset of square images, ``load_mnist(flatten=False)``.
        side: The new side; it must divide the old one.

    Returns:
        A new :class:`~acttutor.data.Dataset` with the same labels.
    """
    if not isinstance(data, Dataset) or np.ndim(data.x_train) != 3:
        raise TypeError("pooled_rows needs a Dataset of images, from load_mnist(flatten=False).")
    old = data.x_train.shape[1]
    if old % side:
        raise ValueError(f"pooled_rows: side={side} must divide the image side {old}.")
    k = old // side

    def pool(x: np.ndarray) -> np.ndarray:
        return x.reshape(len(x), side, k, side, k).mean(axis=(2, 4)).astype(np.float32)

    return Dataset(pool(data.x_train), data.y_train, pool(data.x_test), data.y_test,
                   f"{data.source}; rows averaged to {side} x {side}")


def train_variants(
    data: Dataset,
    kinds: Sequence[str] = FFN_KINDS,
    *,
    seeds: Sequence[int] = (0, 1, 2),
    epochs: int = 3,
    batch_size: int = 64,
    **model_options: Any,
) -> dict[str, list[RunResult]]:
    """Train :func:`tiny_transformer` of each kind once per seed; collect the runs.

    Each kind's model is built and compiled once, so Keras traces its training
    step once; every seed then restarts it from that seed's initial weights
    (those of ``tiny_transformer(kind, seed=seed)``) with fresh Adam state, and
    trains it with :func:`acttutor.training.train_and_evaluate` (the seed also
    fixes the batch order). A run therefore depends only on its kind and seed.

    Example:

    >>> from acttutor.data import load_mnist, subset  # doctest: +SKIP
    >>> data = pooled_rows(subset(load_mnist(flatten=False), 512, 256))  # doctest: +SKIP
    >>> runs = train_variants(data, ["relu", "swiglu"], seeds=(0, 1))  # doctest: +SKIP

    Args:
        data: The sequences, from :func:`pooled_rows`.
        kinds: The feed-forward blocks, from :data:`FFN_KINDS`.
        seeds: One run per seed.
        epochs: Passes over the training data.
        batch_size: Examples per step.
        **model_options: Passed to :func:`tiny_transformer` (``d_model=``, ``d_ff=``, ...).

    Returns:
        ``{kind: [RunResult per seed]}``, ready for :func:`acttutor.comparison.compare_to_best`.
    """
    seeds = _checks.seeds(seeds)
    shape = {"seq_len": data.x_train.shape[1], "features": data.x_train.shape[2]}
    runs: dict[str, list[RunResult]] = {}
    for kind in kinds:
        model = tiny_transformer(kind, **shape, **model_options, seed=seeds[0])
        runs[kind] = []
        for seed in seeds:
            fresh = tiny_transformer(kind, **shape, **model_options, seed=seed, compile=False)
            model.set_weights(fresh.get_weights())
            for variable in model.optimizer.variables:
                if "learning_rate" not in variable.name:
                    variable.assign(np.zeros(variable.shape, variable.dtype))
            run = train_and_evaluate(model, data, epochs=epochs, batch_size=batch_size,
                                     seed=seed, progress=False)
            run.activation, run.model = kind, None
            runs[kind].append(run)
    return runs
