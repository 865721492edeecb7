r"""The activation catalog: every function in ``keras.activations``, by name.

:data:`CATALOG` maps each public function name of ``keras.activations``
(except those in :data:`EXCLUDED`) to an :class:`Activation`: the Keras
function itself (``fn``), its formula in LaTeX, and whether it acts element by
element. ``swish`` and ``hard_swish`` are Keras aliases of ``silu`` and
``hard_silu``; their keys point to the same entries. :func:`resolve` turns a
name or a function into something to call, and :func:`elementwise_names` is
the one list of the element-wise entries that the rest of acttutor uses.

Nothing about an activation's behaviour is typed in: each entry's
``properties`` are measured from its function by
:func:`acttutor.properties.compute_properties` (``derivative`` is
re-exported from there too).

Example:

>>> entry = CATALOG["relu"]
>>> entry.fn([-1.0, 2.0]).numpy()
array([0., 2.], dtype=float32)
>>> entry.properties.monotonic, entry.properties.bounded_above
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

import keras
import tensorflow as tf

from acttutor.properties import Properties, compute_properties, derivative

__all__ = [
    "CATALOG",
    "EXCLUDED",
    "Activation",
    "derivative",
    "elementwise_activations",
    "elementwise_names",
    "keras_activation_names",
    "resolve",
]

TensorFn = Callable[[tf.Tensor], tf.Tensor]

#: Public names of ``keras.activations`` that are helpers, not activations.
EXCLUDED: frozenset[str] = frozenset({"serialize", "deserialize", "get"})


@dataclass(frozen=True, eq=False)
class Activation:
    r"""One entry of :data:`CATALOG`: a Keras activation function and what it does.

    Example:

    >>> entry = CATALOG["threshold"]
    >>> entry.params
    mappingproxy({'threshold': 1.0, 'default_value': 0.0})
    >>> entry.fn([0.5, 1.0, 2.0]).numpy()
    array([0., 0., 2.], dtype=float32)

    Attributes:
        name: The Keras name (for an alias key such as ``swish``, the name of
            the function it aliases, ``silu``).
        fn: A function of one tensor giving the same values as
            ``keras.activations.<name>(x, **params)``. Where ``params`` is empty
            it *is* the Keras function.
        formula: The definition in LaTeX, with the parameter values Keras uses.
        elementwise: True when each output depends only on the input at the
            same position. False for ``softmax``, ``log_softmax``,
            ``sparsemax`` (they normalise over the last axis) and ``glu``
            (it halves the last axis).
        params: Values bound to the Keras function's required parameters
            (only ``threshold`` has any): documented here, read-only.
        aliases: Other ``keras.activations`` names for the same function.
        reference: Key of the paper in the book's ``references.bib``, if any.
        use: One line on where the function is typically used.
    """

    name: str
    fn: TensorFn
    formula: str
    elementwise: bool = True
    params: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    aliases: tuple[str, ...] = ()
    reference: str | None = None
    use: str = ""

    @cached_property
    def properties(self) -> Properties:
        """The measured :class:`~acttutor.properties.Properties` (computed once, then cached).

        Example:

        >>> CATALOG["sigmoid"].properties.bounded_above
        True

        Returns:
            The properties of ``fn``.

        Raises:
            ValueError: For a vector-valued entry (``elementwise`` is False).
        """
        if not self.elementwise:
            raise ValueError(
                f"{self.name!r} is not element-wise: its output at one position depends on "
                "the whole vector, so range, monotonicity and smoothness per input are not "
                "defined. The catalog chapter treats the vector-valued functions separately."
            )
        return compute_properties(self.fn)

    def __repr__(self) -> str:
        bound = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"Activation({self.name!r}{', ' + bound if bound else ''})"


def _bind(name: str, **params: float) -> TensorFn:
    keras_fn = getattr(keras.activations, name)

    def bound(x: tf.Tensor) -> tf.Tensor:
        if not tf.is_tensor(x):  # Keras' threshold does not accept Python lists
            x = tf.convert_to_tensor(x, dtype=keras.config.floatx())
        return keras_fn(x, **params)

    bound.__name__ = name
    bound.__qualname__ = name
    bound.__doc__ = f"keras.activations.{name}(x, " + ", ".join(
        f"{k}={v!r}" for k, v in params.items()
    ) + ")"
    return bound


def _entry(name: str, formula: str, use: str, *, reference: str | None = None,
           elementwise: bool = True, aliases: tuple[str, ...] = (),
           **params: float) -> Activation:
    fn = _bind(name, **params) if params else getattr(keras.activations, name)
    return Activation(
        name=name,
        fn=fn,
        formula=formula,
        elementwise=elementwise,
        params=MappingProxyType(dict(params)),
        aliases=aliases,
        reference=reference,
        use=use,
    )


_ENTRIES: tuple[Activation, ...] = (
    _entry("celu", r"\max(0, x) + \min\bigl(0, \alpha(e^{x/\alpha} - 1)\bigr),\ \alpha = 1",
           "ELU variant with a continuous derivative for every alpha"),
    _entry("elu", r"x \text{ if } x > 0 \text{ else } \alpha(e^{x} - 1),\ \alpha = 1",
           "hidden layers; negative outputs push mean activations towards 0",
           reference="clevert2015fast"),
    _entry("exponential", r"e^{x}", "positive outputs such as rates (rarely in hidden layers)"),
    _entry("gelu", r"x\,\Phi(x) = \tfrac{x}{2}\bigl(1 + \operatorname{erf}(x/\sqrt{2})\bigr)",
           "Transformers (BERT, GPT)", reference="hendrycks2016gaussian"),
    _entry("glu", r"a \odot \sigma(b),\ [a, b] = \text{split}(x)\text{ on the last axis}",
           "gated feed-forward blocks; halves the last axis", elementwise=False),
    _entry("hard_shrink",
           r"x \text{ if } \lvert x \rvert > \lambda \text{ else } 0,\ \lambda = 0.5",
           "sparse coding, denoising"),
    _entry("hard_sigmoid", r"\max\bigl(0, \min(1, x/6 + 1/2)\bigr)",
           "cheap sigmoid on mobile hardware"),
    _entry("hard_silu", r"x \cdot \max\bigl(0, \min(1, x/6 + 1/2)\bigr)",
           "cheap SiLU on mobile hardware (MobileNetV3)", aliases=("hard_swish",)),
    _entry("hard_tanh", r"\max\bigl(-1, \min(1, x)\bigr)", "cheap tanh"),
    _entry("leaky_relu", r"x \text{ if } x \ge 0 \text{ else } \alpha x,\ \alpha = 0.2",
           "hidden layers when ReLU units die", reference="maas2013rectifier"),
    _entry("linear", r"x", "regression outputs; logits for from_logits=True losses"),
    _entry("log_sigmoid", r"\log \sigma(x) = -\log(1 + e^{-x})",
           "log-probabilities for binary outputs"),
    _entry("log_softmax", r"x_i - \log \textstyle\sum_j e^{x_j}",
           "log-probabilities for multi-class outputs", elementwise=False),
    _entry("mish", r"x \tanh\bigl(\log(1 + e^{x})\bigr)", "hidden layers (YOLOv4)",
           reference="misra2019mish"),
    _entry("relu", r"\max(0, x)", "default for hidden layers", reference="nair2010rectified"),
    _entry("relu6", r"\min\bigl(\max(0, x), 6\bigr)", "mobile networks (MobileNet)"),
    _entry("selu", r"\lambda x \text{ if } x > 0 \text{ else } \lambda\alpha(e^{x} - 1),"
           r"\ \lambda \approx 1.0507,\ \alpha \approx 1.6733",
           "self-normalising dense networks (with lecun_normal)",
           reference="klambauer2017self"),
    _entry("sigmoid", r"\sigma(x) = \frac{1}{1 + e^{-x}}",
           "binary and multi-label outputs; gates in LSTM/GRU"),
    _entry("silu", r"x\,\sigma(x)", "deep CNNs (EfficientNet); found by search as Swish",
           reference="ramachandran2017searching", aliases=("swish",)),
    _entry("soft_shrink",
           r"\operatorname{sign}(x)\max(\lvert x \rvert - \lambda, 0),\ \lambda = 0.5",
           "sparse coding, denoising"),
    _entry("softmax", r"\frac{e^{x_i}}{\sum_j e^{x_j}}", "multi-class outputs",
           elementwise=False),
    _entry("softplus", r"\log(1 + e^{x})", "positive outputs (scales, variances)"),
    _entry("softsign", r"\frac{x}{1 + \lvert x \rvert}", "tanh-like with slower saturation"),
    _entry("sparse_plus", r"0 \text{ if } x \le -1;\ \tfrac14(x + 1)^2 \text{ if }"
           r" \lvert x \rvert < 1;\ x \text{ if } x \ge 1", "softplus-like with exact zeros"),
    _entry("sparse_sigmoid", r"\min\bigl(1, \max(0, (x + 1)/2)\bigr)",
           "sigmoid-like with exact 0 and 1"),
    _entry("sparsemax", r"\max(x_i - \tau(x), 0),\ \tau \text{ such that } \textstyle\sum_i = 1",
           "sparse attention or class probabilities", elementwise=False),
    _entry("squareplus", r"\tfrac12\bigl(x + \sqrt{x^2 + b}\bigr),\ b = 4",
           "softplus-like without exp or log"),
    _entry("tanh", r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
           "recurrent layers (LSTM, GRU); zero-centred hidden units"),
    _entry("tanh_shrink", r"x - \tanh(x)", "sparse coding"),
    _entry("threshold", r"x \text{ if } x > \theta \text{ else } v,\ \theta = 1,\ v = 0",
           "thresholded ReLU (the legacy ThresholdedReLU(theta=1.0))",
           threshold=1.0, default_value=0.0),
)

#: Every activation of ``keras.activations`` by name; alias keys share an entry.
CATALOG: dict[str, Activation] = {
    **{e.name: e for e in _ENTRIES},
    **{alias: e for e in _ENTRIES for alias in e.aliases},
}


def keras_activation_names() -> list[str]:
    """List the public activation functions of the installed ``keras.activations``.

    Reads ``dir(keras.activations)``: every public callable except
    :data:`EXCLUDED`. A new Keras release that adds an activation shows up
    here (and the test-suite then fails until :data:`CATALOG` has it).

    Example:

    >>> "relu" in keras_activation_names()
    True

    Returns:
        Sorted names.
    """
    return sorted(
        name
        for name in dir(keras.activations)
        if not name.startswith("_")
        and name not in EXCLUDED
        and callable(getattr(keras.activations, name))
    )


def _one_per_function(catalog: Mapping[str, Any]) -> dict[str, Any]:
    """The element-wise entries of ``catalog``, each function once, under the entry's own name.

    This is the one definition of "the element-wise activations": an entry
    counts when its ``elementwise`` flag is set, and an alias key (``swish``
    for ``silu``), or a second entry holding the same function, is skipped.
    """
    if not isinstance(catalog, Mapping):
        raise TypeError(
            f"catalog must map names to entries, like CATALOG; got {type(catalog).__name__}."
        )
    out: dict[str, Any] = {}
    seen: set[int] = set()
    for key, entry in catalog.items():
        if not getattr(entry, "elementwise", False):
            continue
        if not callable(getattr(entry, "fn", None)):
            raise TypeError(f"catalog[{key!r}] has no function `fn`; entries are Activation-like.")
        if id(entry) in seen or id(entry.fn) in seen:
            continue
        seen.update((id(entry), id(entry.fn)))
        out[getattr(entry, "name", None) or key] = entry
    return out


def elementwise_names(*, aliases: bool = False) -> list[str]:
    """List the catalog's element-wise activations (those with measured properties).

    Example:

    >>> "softmax" in elementwise_names()
    False

    Args:
        aliases: Also list alias keys (``swish``, ``hard_swish``).

    Returns:
        Sorted catalog keys whose entry is element-wise.
    """
    names = list(_one_per_function(CATALOG))
    if aliases:
        names += [alias for name in names for alias in CATALOG[name].aliases]
    return sorted(names)


def elementwise_activations(catalog: Mapping[str, Any] | None = None) -> dict[str, TensorFn]:
    """Return ``{name: fn}`` for every element-wise entry of the catalog, once each.

    The same entries as :func:`elementwise_names`: aliases (``swish`` and
    ``silu`` share an entry) appear once, under the entry's own ``name``.

    Example:

    >>> fns = elementwise_activations()
    >>> "relu" in fns and "softmax" not in fns and "swish" not in fns
    True

    Args:
        catalog: A mapping of names to entries with ``name``, ``fn`` and
            ``elementwise``; :data:`CATALOG` by default.

    Returns:
        Names mapped to one-tensor functions, in the catalog's order.

    Raises:
        TypeError: If ``catalog`` is not a mapping, or an element-wise entry has no ``fn``.
    """
    entries = _one_per_function(CATALOG if catalog is None else catalog)
    return {name: entry.fn for name, entry in entries.items()}


def resolve(fn_or_name: str | TensorFn) -> tuple[str, TensorFn]:
    """Turn a name or a callable into ``(display_name, fn)``.

    Names are looked up in :data:`CATALOG`, then in ``keras.activations``.

    Example:

    >>> name, fn = resolve("relu")
    >>> name
    'relu'

    Args:
        fn_or_name: An activation name such as ``"relu"``, or a callable.

    Returns:
        A pair of a display name and a function of one tensor.

    Raises:
        TypeError: If ``fn_or_name`` is neither a string nor callable.
        ValueError: If the name is unknown.
    """
    if callable(fn_or_name):
        return getattr(fn_or_name, "__name__", type(fn_or_name).__name__), fn_or_name
    if not isinstance(fn_or_name, str):
        raise TypeError(
            f"Expected an activation name or a callable, got {type(fn_or_name).__name__}."
        )
    if fn_or_name in CATALOG:
        return fn_or_name, CATALOG[fn_or_name].fn
    try:
        return fn_or_name, keras.activations.get(fn_or_name)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"Unknown activation {fn_or_name!r}. Use a name from keras.activations, "
            "such as 'relu', 'sigmoid' or 'tanh', or pass a function."
        ) from exc
