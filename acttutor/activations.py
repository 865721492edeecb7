r"""The activation catalog: every function in ``keras.activations``, with its properties.

:data:`CATALOG` maps each public function name of ``keras.activations``
(except ``serialize``, ``deserialize`` and ``get``) to an :class:`Activation`:
the Keras function itself (``fn``), its formula in LaTeX, and whether it acts
element by element. ``swish`` and ``hard_swish`` are Keras aliases of ``silu``
and ``hard_silu``; their keys point to the same entries.

Nothing about an activation's behaviour is typed in. :func:`compute_properties`
measures it from the function (see :class:`Properties` for the definitions),
and :func:`relative_cost` times it.

Example:

>>> entry = CATALOG["relu"]
>>> entry.fn([-1.0, 2.0]).numpy()
array([0., 2.], dtype=float32)
>>> entry.properties.monotonic, entry.properties.bounded_above
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

import keras
import numpy as np
import tensorflow as tf

from acttutor.tables import Table

__all__ = [
    "CATALOG",
    "EXCLUDED",
    "PROBE_INTERVAL",
    "Activation",
    "Properties",
    "compute_properties",
    "derivative",
    "elementwise_names",
    "keras_activation_names",
    "properties_table",
    "relative_cost",
    "resolve",
]

TensorFn = Callable[[tf.Tensor], tf.Tensor]

#: Public names of ``keras.activations`` that are helpers, not activations.
EXCLUDED: frozenset[str] = frozenset({"serialize", "deserialize", "get"})

#: The interval on which :class:`Properties` measures range, monotonicity and smoothness.
PROBE_INTERVAL: tuple[float, float] = (-20.0, 20.0)
_PROBE_STEP = 2.0**-8  # a power of two, so every multiple of 1/256 (0, ±0.5, ±3 ...) is on it
_JUMP_TOL = 1e-2  # smallest jump (relative to 1 + |slope|) counted as a discontinuity
_ZERO_CENTRED_TOL = 0.1  # |mean| / std below which an output counts as zero-centred


def derivative(
    fn: TensorFn, x: np.ndarray | tf.Tensor, *, dtype: tf.DType = tf.float32
) -> np.ndarray:
    r"""Return the element-wise derivative ``dfn/dx`` at every point of ``x``.

    Uses ``tf.GradientTape``: because ``fn`` acts element by element, the
    gradient of ``sum(fn(x))`` with respect to ``x`` is exactly ``fn'(x)``.
    At a kink (ReLU at 0) the value is whatever TensorFlow's gradient
    defines there.

    Example:

    >>> import numpy as np, tensorflow as tf
    >>> derivative(tf.nn.relu, np.array([-1.0, 2.0]))
    array([0., 1.], dtype=float32)

    Args:
        fn: An element-wise function of one tensor.
        x: Points at which to evaluate the derivative.
        dtype: The float dtype to compute in (``tf.float64`` for precise work).

    Returns:
        A NumPy array of the same shape as ``x``.

    Raises:
        ValueError: If ``fn`` changes the shape of its input, so it cannot be
            element-wise (``glu``), or does not return a tensor.
    """
    xt = tf.convert_to_tensor(x, dtype=dtype)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = fn(xt)
    if not hasattr(y, "shape") or tuple(y.shape) != tuple(xt.shape):
        got = tuple(y.shape) if hasattr(y, "shape") else type(y).__name__
        raise ValueError(
            f"derivative() needs an element-wise function that keeps the input shape "
            f"{tuple(xt.shape)}; this one returned {got}. For a vector-valued function "
            "such as softmax or glu, use tf.GradientTape with tape.jacobian instead."
        )
    grad = tape.gradient(y, xt)
    if grad is None:  # fn ignores x entirely (a constant): its derivative is 0
        return np.zeros(xt.shape, dtype=xt.dtype.as_numpy_dtype)
    return grad.numpy()


@dataclass(frozen=True)
class Properties:
    r"""Behaviour of an element-wise activation, measured from its function.

    Every field is computed by :func:`compute_properties`, in float64, from
    the function's values and its ``tf.GradientTape`` derivative. The probe
    grid is :data:`PROBE_INTERVAL` ([-20, 20]) in steps of 1/256, which
    contains 0, ±0.5, ±1, ±3 and 6, where the piecewise Keras functions
    change formula.

    Attributes:
        low: Output range, lower end: the minimum of ``f`` on the probe grid.
        high: Output range, upper end: the maximum of ``f`` on the probe grid.
        bounded_below: ``f`` stays above some finite value for all inputs.
            Measured on a grid reaching |x| = 10^4: the infimum over |x| <= R
            is finite, and the drop from R = 10^2 to 10^4 is less than half
            the drop from R = 1 to 10^2 (the curve flattens out rather than
            going on falling, as ``relu`` on the right or ``x`` would).
        bounded_above: The same test for the supremum.
        monotonic: ``f`` never decreases (or never increases) along the probe
            grid, up to 1e-12 of round-off.
        zero_centred: For standard-normal inputs z, the mean output is close
            to 0 compared with its spread: |E[f(z)]| < 0.1 * sd[f(z)]. This is
            the sense in which tanh is zero-centred and the sigmoid is not.
        mean_normal: E[f(z)] for z ~ N(0, 1), by quadrature on [-10, 10].
        std_normal: sd[f(z)] for z ~ N(0, 1), by the same quadrature.
        continuous: No jump in ``f`` on the probe grid: no step between
            neighbouring points exceeds twice the steps two places either side
            by more than 0.01 * (1 + |slope|).
        smooth: ``f`` is continuous and so is its derivative (``f`` is C^1):
            the same jump test applied to ``f'``, sampled half-way between grid
            points (so the value TensorFlow picks exactly at a kink does not
            matter). ReLU has a kink at 0, so it is not smooth; ELU with
            alpha = 1 is; SELU's slope jumps at 0, so it is not.

    Example:

    >>> p = compute_properties(tf.tanh)
    >>> p.zero_centred, p.bounded_below, p.smooth
    (True, True, True)
    """

    low: float
    high: float
    bounded_below: bool
    bounded_above: bool
    monotonic: bool
    zero_centred: bool
    mean_normal: float
    std_normal: float
    continuous: bool
    smooth: bool

    @property
    def range_text(self) -> str:
        """The output range on the probe interval as short text, e.g. ``'0 … 20'``.

        Example:

        >>> compute_properties(tf.nn.relu).range_text
        '0 … 20'

        Returns:
            ``low … high`` with 3 significant digits each.
        """
        return f"{_short(self.low)} … {_short(self.high)}"


def _short(value: float) -> str:
    text = f"{value:.3g}"
    return "0" if text in ("-0", "0") else text.replace("-", "−")


def _probe_grid() -> np.ndarray:
    lo, hi = PROBE_INTERVAL
    n = round((hi - lo) / _PROBE_STEP) + 1
    return np.linspace(lo, hi, n, dtype=np.float64)


def _values(fn: TensorFn, x: np.ndarray) -> np.ndarray:
    y = fn(tf.constant(x, dtype=tf.float64))
    return np.asarray(y, dtype=np.float64)


def _has_jump(steps: np.ndarray, slope: np.ndarray) -> bool:
    """True when one step |g[i+1] - g[i]| stands out from the steps 2 places either side."""
    d = np.abs(steps)
    padded = np.pad(d, 2, mode="edge")
    neighbours = np.maximum(padded[:-4], padded[4:])
    excess = d - 2.0 * neighbours
    with np.errstate(invalid="ignore"):
        return bool(np.any(excess > _JUMP_TOL * (1.0 + np.abs(slope))))


def _bounded(sup: Callable[[float], float]) -> bool:
    s1, s2, s4 = sup(1.0), sup(1e2), sup(1e4)
    if not np.all(np.isfinite([s1, s2, s4])):
        return False
    return (s4 - s2) <= 0.5 * (s2 - s1) or (s4 - s2) <= 1e-9 * (1.0 + abs(s2))


def compute_properties(fn: TensorFn) -> Properties:
    r"""Measure the :class:`Properties` of an element-wise activation function.

    The function is called on float64 tensors: a grid over
    :data:`PROBE_INTERVAL` in steps of 1/256, a log-spaced grid out to
    |x| = 10^4 for the boundedness test, and a Gauss-weighted grid on
    [-10, 10] for the mean and spread under standard-normal inputs. Each
    property's definition is in the :class:`Properties` docstring.

    Example:

    >>> p = compute_properties(tf.nn.relu)
    >>> p.low, p.monotonic, p.zero_centred, p.smooth
    (0.0, True, False, False)

    Args:
        fn: A function of one tensor that acts element by element and
            accepts float64 input.

    Returns:
        The measured :class:`Properties`.

    Raises:
        ValueError: If ``fn`` changes the shape of its input (it is not
            element-wise), or gives NaN or infinity on the probe interval.
    """
    x = _probe_grid()
    y = _values(fn, x)
    if y.shape != x.shape:
        raise ValueError(
            f"compute_properties() needs an element-wise function; this one maps shape "
            f"{x.shape} to {y.shape}."
        )
    bad = ~np.isfinite(y)
    if bad.any():
        raise ValueError(
            f"compute_properties() needs finite values on {PROBE_INTERVAL}, but f({x[bad][0]:g})"
            f" = {y[bad][0]}. Is this an activation function defined for every real input?"
        )
    # The slope is sampled between grid points, so that TensorFlow's choice of
    # gradient exactly at a kink (relu'(0) = 0, or a tie inside max/min) is not
    # mistaken for a jump of the derivative.
    slope = derivative(fn, 0.5 * (x[:-1] + x[1:]), dtype=tf.float64)

    with np.errstate(invalid="ignore"):
        tol = 1e-12 * (1.0 + np.abs(y[:-1]))
        dy = np.diff(y)
        monotonic = bool(np.all(dy >= -tol) or np.all(dy <= tol))
    continuous = not _has_jump(dy, slope)
    smooth = continuous and not _has_jump(np.diff(slope), slope[:-1])

    tail = np.logspace(np.log10(PROBE_INTERVAL[1]), 4.0, 200)
    wide = np.concatenate([-tail[::-1], x, tail])
    with np.errstate(over="ignore", invalid="ignore"):
        wide_y = _values(fn, wide)

    def extreme(radius: float, pick: Callable[[np.ndarray], float]) -> float:
        return float(pick(wide_y[np.abs(wide) <= radius]))

    bounded_above = _bounded(lambda r: extreme(r, np.max))
    bounded_below = _bounded(lambda r: -extreme(r, np.min))

    z = np.linspace(-10.0, 10.0, 8001)
    weights = np.exp(-0.5 * z**2)
    weights /= weights.sum()
    fz = _values(fn, z)
    with np.errstate(over="ignore", invalid="ignore"):
        mean = float(np.sum(weights * fz))
        std = float(np.sqrt(max(np.sum(weights * (fz - mean) ** 2), 0.0)))
    zero_centred = bool(np.isfinite(mean) and abs(mean) < _ZERO_CENTRED_TOL * std)

    return Properties(
        low=float(np.min(y)),
        high=float(np.max(y)),
        bounded_below=bounded_below,
        bounded_above=bounded_above,
        monotonic=monotonic,
        zero_centred=zero_centred,
        mean_normal=mean,
        std_normal=std,
        continuous=continuous,
        smooth=smooth,
    )


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
        """The measured :class:`Properties` (computed on first access, then cached).

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


def elementwise_names(*, aliases: bool = False) -> list[str]:
    """List the catalog's element-wise activations (those with :class:`Properties`).

    Example:

    >>> "softmax" in elementwise_names()
    False

    Args:
        aliases: Also list alias keys (``swish``, ``hard_swish``).

    Returns:
        Sorted catalog keys whose entry is element-wise.
    """
    return sorted(
        key
        for key, entry in CATALOG.items()
        if entry.elementwise and (aliases or key == entry.name)
    )


def relative_cost(
    names: Sequence[str] | None = None,
    *,
    baseline: str = "relu",
    size: int = 1 << 20,
    repeats: int = 7,
) -> dict[str, float]:
    """Time each activation on one large float32 tensor, relative to ``baseline``.

    The measurement is the cost chapter's (:func:`acttutor.cost.ratios_to_floor`):
    the functions run round-robin together with a plain memory copy, each
    timing is divided by the copy's time in the same round, and the median
    over rounds counts, so a busy spell on the machine slows them all alike.
    Dividing by the baseline's ratio then makes the baseline 1.0. This is
    eager TensorFlow on the machine at hand: the ratios, not the seconds,
    carry over, and even they vary by CPU. ``linear`` returns its input
    object and costs almost nothing.

    Example:

    >>> costs = relative_cost(["relu", "gelu"], size=1024, repeats=2)
    >>> costs["relu"]
    1.0

    Args:
        names: Catalog keys; by default every element-wise entry.
        baseline: The catalog key whose time is 1.0.
        size: Number of elements in the input tensor.
        repeats: Timed runs per function.

    Returns:
        ``{name: median time / baseline median time}``.

    Raises:
        ValueError: For an unknown or vector-valued name, or a bad ``size``/``repeats``.
    """
    from acttutor.cost import ratios_to_floor

    names = elementwise_names() if names is None else list(names)
    unknown = [n for n in [*names, baseline] if n not in CATALOG]
    if unknown:
        raise ValueError(f"Not in CATALOG: {unknown}. Use keys such as 'relu' or 'gelu'.")
    vector = [n for n in [*names, baseline] if not CATALOG[n].elementwise]
    if vector:
        raise ValueError(f"relative_cost times element-wise functions only, not {vector}.")
    if not isinstance(size, int) or size < 1 or not isinstance(repeats, int) or repeats < 1:
        raise ValueError("relative_cost needs integers size >= 1 and repeats >= 1.")
    x = tf.random.stateless_normal((size,), seed=(0, 0), dtype=tf.float32)
    fns = {name: CATALOG[name].fn for name in dict.fromkeys([baseline, *names])}
    ratios = ratios_to_floor(fns, x, repeats=repeats).ratios
    return {name: ratios[name] / ratios[baseline] for name in names}


def properties_table(
    names: Sequence[str] | None = None, *, costs: Mapping[str, float] | None = None
) -> Table:
    """Tabulate the measured :class:`Properties` of catalog entries, one row each.

    Example:

    >>> t = properties_table(["relu", "tanh"])
    >>> t.column("monotonic")
    [True, True]

    Args:
        names: Element-wise catalog keys; by default :func:`elementwise_names`.
        costs: Optional ``{name: relative cost}`` (from :func:`relative_cost`),
            added as a last column.

    Returns:
        A :class:`acttutor.tables.Table` that displays itself in a notebook.
    """
    names = elementwise_names() if names is None else list(names)
    columns = ["activation", f"range on [{PROBE_INTERVAL[0]:g}, {PROBE_INTERVAL[1]:g}]",
               "bounded below", "bounded above", "monotonic", "zero-centred", "smooth (C¹)",
               "mean for N(0,1) input"]
    if costs is not None:
        columns.append("cost (× relu)")
    rows = []
    for name in names:
        p = CATALOG[name].properties
        row: list[object] = [name, p.range_text, p.bounded_below, p.bounded_above, p.monotonic,
                             p.zero_centred, p.smooth, round(p.mean_normal, 3) + 0.0]
        if costs is not None:
            row.append(costs[name])
        rows.append(row)
    return Table(columns, rows, digits=3)


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
    catalog = globals().get("CATALOG")
    if catalog is not None and fn_or_name in catalog:
        return fn_or_name, catalog[fn_or_name].fn
    try:
        return fn_or_name, keras.activations.get(fn_or_name)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"Unknown activation {fn_or_name!r}. Use a name from keras.activations, "
            "such as 'relu', 'sigmoid' or 'tanh', or pass a function."
        ) from exc
