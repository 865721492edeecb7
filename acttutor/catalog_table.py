"""The catalog as one table: the measured properties of each element-wise activation.

:func:`properties_table` reads each entry's
:class:`~acttutor.properties.Properties` from
:data:`~acttutor.activations.CATALOG` and lays them out one row per
activation, optionally with a cost column from
:func:`acttutor.cost.relative.relative_cost`. The catalog chapter shows it.

Example:

>>> t = properties_table(["relu", "tanh"])
>>> t.column("zero-centred")
[False, True]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from acttutor.activations import CATALOG, elementwise_names
from acttutor.properties import PROBE_INTERVAL
from acttutor.tables import Table

__all__ = ["properties_table", "smoothness_verdict"]


def properties_table(
    names: Sequence[str] | None = None, *, costs: Mapping[str, float] | None = None
) -> Table:
    """Tabulate the measured properties of catalog entries, one row each.

    Example:

    >>> t = properties_table(["relu", "tanh"])
    >>> t.column("monotonic")
    [True, True]

    Args:
        names: Element-wise catalog keys; by default
            :func:`~acttutor.activations.elementwise_names`.
        costs: Optional ``{name: relative cost}`` (from
            :func:`acttutor.cost.relative.relative_cost`), added as a last column.

    Returns:
        A :class:`acttutor.tables.Table` that displays itself in a notebook.

    Raises:
        TypeError: If ``names`` is not a list of names or ``costs`` not a dict.
        ValueError: For a name that is not in the catalog or not element-wise,
            or a ``costs`` without an entry for every name.
    """
    names = elementwise_names() if names is None else _checked_names(names)
    if costs is not None and not isinstance(costs, Mapping):
        raise TypeError(
            f"costs must be a dict {{name: relative cost}}, such as relative_cost(names); got "
            f"{type(costs).__name__}."
        )
    if costs is not None:
        missing = [n for n in names if n not in costs]
        if missing:
            raise ValueError(
                f"costs has no value for {missing}; pass relative_cost(names) for the same "
                "names as the table."
            )
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


def smoothness_verdict(names: Sequence[str]) -> str:
    """Say which of ``names`` the table's measured ``smooth (C¹)`` column marks smooth.

    The words come from each entry's computed ``properties.smooth``, the same value
    the table shows.

    Example:

    >>> smoothness_verdict(["tanh", "relu"])
    'the table marks tanh as smooth (C¹) and relu as not smooth'

    Args:
        names: Element-wise catalog keys.

    Returns:
        A clause without a final full stop.
    """
    names = _checked_names(names)
    if not names:
        raise ValueError("smoothness_verdict: give at least one name, such as ['gelu'].")
    smooth = [n for n in names if CATALOG[n].properties.smooth]
    rough = [n for n in names if not CATALOG[n].properties.smooth]
    parts = []
    if smooth:
        parts.append(f"{_listing(smooth)} as smooth (C¹)")
    if rough:
        parts.append(f"{_listing(rough)} as not smooth")
    return "the table marks " + " and ".join(parts)


def _listing(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _checked_names(names: Sequence[str]) -> list[str]:
    if isinstance(names, str) or not isinstance(names, Iterable):
        raise TypeError(f"names must be a list such as ['relu', 'tanh'], got {names!r}.")
    names = list(names)
    unknown = [n for n in names if n not in CATALOG]
    if unknown:
        raise ValueError(f"Not in CATALOG: {unknown}. Use keys such as 'relu' or 'gelu'.")
    vector = [n for n in names if not CATALOG[n].elementwise]
    if vector:
        raise ValueError(
            f"{vector} are not element-wise, so they have no per-input properties; "
            "leave them out (elementwise_names() lists the ones that do)."
        )
    return names
