"""How much each catalog activation costs next to ReLU, measured the cost chapter's way.

:func:`~acttutor.cost.relative.relative_cost` is the one-number summary that the
catalog's property table shows: each element-wise entry of
:data:`~acttutor.activations.CATALOG` timed against the floor
(:func:`~acttutor.cost.floor.ratios_to_floor`), then divided by the baseline's ratio
so that the baseline is 1.0.

Example:

>>> costs = relative_cost(["relu", "tanh"], size=1024, repeats=2)
>>> costs["relu"], costs["tanh"] > 0
(1.0, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import tensorflow as tf

from acttutor import _checks
from acttutor.activations import CATALOG, elementwise_names
from acttutor.cost.floor import ratios_to_floor

__all__ = ["relative_cost"]


def relative_cost(
    names: Sequence[str] | None = None,
    *,
    baseline: str = "relu",
    size: int = 1 << 20,
    repeats: int = 7,
) -> dict[str, float]:
    """Time each activation on one large float32 tensor, relative to ``baseline``.

    The measurement is the cost chapter's
    (:func:`~acttutor.cost.floor.ratios_to_floor`): the functions run
    round-robin together with a plain memory copy, each timing is divided by
    the copy's time in the same round, and the median over rounds counts, so a
    busy spell on the machine slows them all alike. Dividing by the baseline's
    ratio then makes the baseline 1.0. This is eager TensorFlow on the machine
    at hand: the ratios, not the seconds, carry over, and even they vary by
    CPU. ``linear`` returns its input object and costs almost nothing.

    Example:

    >>> costs = relative_cost(["relu", "gelu"], size=1024, repeats=2)
    >>> costs["relu"]
    1.0

    Args:
        names: Catalog keys; by default every element-wise entry
            (:func:`~acttutor.activations.elementwise_names`).
        baseline: The catalog key whose time is 1.0.
        size: Number of elements in the input tensor.
        repeats: Timed runs per function.

    Returns:
        ``{name: median time / baseline median time}``.

    Raises:
        TypeError: If ``names`` is not a list of catalog keys.
        ValueError: For an unknown or vector-valued name, or a bad ``size``/``repeats``.
    """
    if isinstance(names, str) or not (names is None or isinstance(names, Iterable)):
        raise TypeError(f"names must be a list such as ['relu', 'gelu'], got {names!r}.")
    names = elementwise_names() if names is None else list(names)
    unknown = [n for n in [*names, baseline] if n not in CATALOG]
    if unknown:
        raise ValueError(f"Not in CATALOG: {unknown}. Use keys such as 'relu' or 'gelu'.")
    vector = [n for n in [*names, baseline] if not CATALOG[n].elementwise]
    if vector:
        raise ValueError(f"relative_cost times element-wise functions only, not {vector}.")
    size = _checks.positive_int("size", size, caller="relative_cost", what="number of elements")
    repeats = _checks.positive_int("repeats", repeats, caller="relative_cost")
    x = tf.random.stateless_normal((size,), seed=(0, 0), dtype=tf.float32)
    fns = {name: CATALOG[name].fn for name in dict.fromkeys([baseline, *names])}
    ratios = ratios_to_floor(fns, x, repeats=repeats).ratios
    return {name: ratios[name] / ratios[baseline] for name in names}
