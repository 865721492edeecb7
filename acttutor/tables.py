"""Small result tables that show themselves in a notebook.

A :class:`Table` holds rows of plain values. As the last line of a cell it
renders as an HTML table (in Jupyter and in the built book), where text
between ``$`` signs becomes inline mathematics; ``print`` gives aligned
plain text, and tests read :attr:`Table.rows`.

Example:

>>> t = Table(["name", "value"], [["relu", 1.5], ["gelu", 2.25]])
>>> print(t)
name  value
----  -----
relu    1.5
gelu   2.25
>>> t.column("value")
[1.5, 2.25]
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Table"]


def _cell_text(value: Any, digits: int) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def _cell_html(value: Any, digits: int) -> str:
    """Escape a cell for HTML; ``$...$`` in text becomes inline math for MathJax."""
    parts = _cell_text(value, digits).split("$")
    if len(parts) % 2 == 0:  # unbalanced dollars: plain text
        return html.escape("$".join(parts))
    return "".join(
        html.escape(part) if i % 2 == 0
        else f'<span class="math notranslate nohighlight">\\({html.escape(part)}\\)</span>'
        for i, part in enumerate(parts)
    )


@dataclass
class Table:
    """Rows of values with column names, displayed as an HTML table.

    Example:

    >>> Table(["a", "b"], [[1, True]]).rows
    [{'a': 1, 'b': True}]

    Attributes:
        columns: Column names.
        data: One sequence of values per row, in column order.
        caption: Optional caption shown above the table.
        digits: Significant digits for floats in the display.
    """

    columns: Sequence[str]
    data: Sequence[Sequence[Any]]
    caption: str = ""
    digits: int = 3

    def __post_init__(self) -> None:
        self.columns = list(self.columns)
        self.data = [list(row) for row in self.data]
        bad = [i for i, row in enumerate(self.data) if len(row) != len(self.columns)]
        if bad:
            raise ValueError(
                f"Table row {bad[0]} has {len(self.data[bad[0]])} values for "
                f"{len(self.columns)} columns {self.columns}."
            )

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The rows as dictionaries keyed by column name.

        Example:

        >>> Table(["x"], [[1], [2]]).rows
        [{'x': 1}, {'x': 2}]

        Returns:
            One dict per row.
        """
        return [dict(zip(self.columns, row, strict=True)) for row in self.data]

    def column(self, name: str) -> list[Any]:
        """Return one column's values.

        Example:

        >>> Table(["x", "y"], [[1, 2], [3, 4]]).column("y")
        [2, 4]

        Args:
            name: A column name.

        Returns:
            The values in row order.
        """
        if name not in self.columns:
            raise KeyError(f"No column {name!r}; the columns are {self.columns}.")
        i = list(self.columns).index(name)
        return [row[i] for row in self.data]

    def __str__(self) -> str:
        texts = [[_cell_text(v, self.digits) for v in row] for row in self.data]
        widths = [
            max([len(c), *(len(r[i]) for r in texts)]) for i, c in enumerate(self.columns)
        ]
        numeric = [
            all(isinstance(row[i], (int, float)) and not isinstance(row[i], bool)
                for row in self.data) and bool(self.data)
            for i in range(len(self.columns))
        ]

        def fmt(cells: list[str]) -> str:
            return "  ".join(
                c.rjust(w) if num else c.ljust(w)
                for c, w, num in zip(cells, widths, numeric, strict=True)
            ).rstrip()

        lines = [self.caption] if self.caption else []
        lines += [fmt(list(self.columns)), fmt(["-" * w for w in widths])]
        lines += [fmt(r) for r in texts]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self.columns)
        body = "".join(
            "<tr>"
            + "".join(f"<td>{_cell_html(v, self.digits)}</td>" for v in row)
            + "</tr>"
            for row in self.data
        )
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return (
            f'<table class="acttutor-table">{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )
