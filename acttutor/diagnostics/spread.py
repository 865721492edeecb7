r"""How different a layer's outputs are from one example to the next.

:func:`~acttutor.diagnostics.spread.spread_across_examples` measures, for every
layer, the spread of its outputs across the examples of a batch: the root mean
square, over the units, of each unit's standard deviation across examples. A
layer whose spread is tiny gives almost the same vector for every input, so
nothing after it can tell the inputs apart.
:func:`~acttutor.diagnostics.spread.shrink_factor` condenses the per-layer
spreads into a typical factor by which one layer shrinks it.

Example:

>>> import keras, numpy as np
>>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="h")])
>>> x = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
>>> list(spread_across_examples(model, x))
['h']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras
import numpy as np

from acttutor.diagnostics.layers import layer_outputs

__all__ = ["shrink_factor", "spread_across_examples"]


def spread_across_examples(model: keras.Model, x: Any, *, relative: bool = False
                           ) -> dict[str, float]:
    r"""Return, for every layer, the spread of its outputs across the examples of ``x``.

    With :math:`a_{ij}` the output of unit :math:`j` (of :math:`m`) on
    example :math:`i`, the spread is

    .. math:: s_l = \sqrt{\tfrac{1}{m} \textstyle\sum_j \operatorname{Var}_i(a_{ij})}

    With ``relative=True`` it is divided by the size of the average output
    vector, :math:`\sqrt{\tfrac{1}{m}\sum_j \bar a_j^{\,2}}`: how much the
    examples differ compared with what they have in common. The model runs
    in inference mode, as in :func:`~acttutor.diagnostics.layers.layer_outputs`.

    Example:

    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, name="h")])
    >>> model.get_layer("h").set_weights([np.array([[2.0]]), np.array([10.0])])
    >>> x = np.array([[-1.0], [1.0]], "float32")       # outputs 8 and 12
    >>> spread_across_examples(model, x), spread_across_examples(model, x, relative=True)
    ({'h': 2.0}, {'h': 0.2})

    Args:
        model: A built Sequential or functional ``keras.Model`` with one input.
        x: A batch of at least two examples, shape ``(n, ...)``.
        relative: Divide by the size of the average output vector.

    Returns:
        A dict from layer name to a non-negative float (``inf`` for a relative
        spread whose average vector is exactly zero while the outputs differ).

    Raises:
        TypeError: ``model`` is not a Keras model, or ``x`` is not numeric.
        ValueError: ``x`` has the wrong shape, fewer than two examples, or NaN/inf.
    """
    outputs = layer_outputs(model, x)
    if any(len(out) < 2 for out in outputs.values()):
        raise ValueError("spread_across_examples: x has fewer than two examples; the spread "
                         "across examples needs at least two.")
    result: dict[str, float] = {}
    for name, out in outputs.items():
        flat = np.asarray(out, dtype=np.float64).reshape(len(out), -1)
        spread = float(np.sqrt(np.mean(np.var(flat, axis=0))))
        if relative:
            size = float(np.sqrt(np.mean(np.mean(flat, axis=0) ** 2)))
            spread = spread / size if size > 0 else (0.0 if spread == 0 else float("inf"))
        result[name] = spread
    return result


def shrink_factor(spreads: Mapping[str, float]) -> float:
    r"""Return the median factor by which the spread shrinks from one layer to the next.

    .. math:: \operatorname{median}_l \; s_l / s_{l+1}

    The median, not the mean, so that one unusual layer (the output layer,
    or a layer where the spread has reached float32 rounding noise) does not
    set the figure. A value above 1 means the spread shrinks.

    Example:

    >>> shrink_factor({"h1": 1.0, "h2": 0.25, "h3": 0.0625, "out": 0.5})
    4.0

    Args:
        spreads: ``{layer name: spread}`` in layer order, as from
            :func:`spread_across_examples`, with at least two layers.

    Returns:
        The median ratio of consecutive spreads.

    Raises:
        ValueError: fewer than two layers, or a spread that is not positive and finite.
    """
    if not isinstance(spreads, Mapping) or len(spreads) < 2:
        raise ValueError("shrink_factor needs {layer name: spread} for at least two layers, "
                         "as returned by spread_across_examples(model, x).")
    values = [float(v) for v in spreads.values()]
    if not all(np.isfinite(v) and v > 0 for v in values):
        raise ValueError("shrink_factor: every spread must be positive and finite; got "
                         f"{values}.")
    ratios = [a / b for a, b in zip(values[:-1], values[1:], strict=True)]
    return float(np.median(ratios))
