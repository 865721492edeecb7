"""Read a learner's matplotlib figure back: titles, and the lines drawn over a given grid.

A figure checker calls the learner's plotting function with its own ``x``,
then reads the plotted data back from each Axes. A curve may be drawn as one
line over all of ``x`` or as several lines over parts of it (``ax.plot(x[x <=
0], ...)`` and ``ax.plot(x[x >= 0], ...)``), so lines are read as
:class:`Part` objects, each holding the grid points it covers, and
:func:`covering` asks whether the parts that fit a function cover the grid.

Example:

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> x = np.linspace(-1.0, 1.0, 5)
>>> fig, ax = plt.subplots()
>>> _ = ax.plot(x[x <= 0], 0 * x[x <= 0]); _ = ax.plot(x[x >= 0], x[x >= 0])
>>> parts = line_parts(ax, x)
>>> covering(parts, lambda p: np.allclose(p.y, np.maximum(x[p.idx], 0.0)), x.size)
True
>>> plt.close(fig)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Part", "axes_title", "covered", "covering", "line_data", "line_parts"]


@dataclass(frozen=True)
class Part:
    """One plotted line whose every point lies on the checker's grid.

    Example:

    >>> Part(np.array([0, 1]), np.array([0.0, 0.5])).idx.tolist()
    [0, 1]

    Args:
        idx: The grid indices of the line's points.
        y: The line's y values at those points.
    """

    idx: np.ndarray
    y: np.ndarray


def axes_title(ax: Any) -> str:
    """All of an Axes' titles (left, centre, right) joined into one string.

    Example:

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.set_title("ReLU")
    >>> axes_title(ax)
    'ReLU'
    >>> plt.close(fig)

    Args:
        ax: A matplotlib Axes.

    Returns:
        The title text, ``""`` when it has none.
    """
    parts = [ax.get_title(loc) for loc in ("left", "center", "right")]
    return " ".join(p for p in parts if p).strip()


def line_data(line: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """A line's x and y data as float64 arrays, or ``None`` when they cannot be read.

    Example:

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); (line,) = ax.plot([0, 1], [2, 3])
    >>> [a.tolist() for a in line_data(line)]
    [[0.0, 1.0], [2.0, 3.0]]
    >>> plt.close(fig)

    Args:
        line: A ``matplotlib.lines.Line2D``.

    Returns:
        ``(x, y)``, flattened, of equal length.
    """
    try:
        xd = np.asarray(line.get_xdata(orig=False), dtype=np.float64).ravel()
        yd = np.asarray(line.get_ydata(orig=False), dtype=np.float64).ravel()
    except (TypeError, ValueError):
        return None
    if xd.shape != yd.shape:
        return None
    return xd, yd


def line_parts(ax: Any, grid: np.ndarray) -> list[Part]:
    """The lines of ``ax`` whose every point lies on ``grid`` (sorted ascending), as parts.

    Lines drawn over other x values (the learner's own ``np.linspace``, or the
    index ``0, 1, 2, ...``) are left out.

    Example:

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.plot([0.5, 1.0], [1, 2]); _ = ax.plot([0.3], [0])
    >>> [p.idx.tolist() for p in line_parts(ax, np.array([0.0, 0.5, 1.0]))]
    [[1, 2]]
    >>> plt.close(fig)

    Args:
        ax: A matplotlib Axes.
        grid: The x values the checker passed in, sorted ascending.

    Returns:
        One part per line on the grid, in drawing order.
    """
    parts = []
    for line in ax.get_lines():
        data = line_data(line)
        if data is None or data[0].size == 0:
            continue
        xd, yd = data
        right = np.clip(np.searchsorted(grid, xd), 0, grid.size - 1)
        left = np.clip(right - 1, 0, grid.size - 1)
        idx = np.where(np.abs(grid[left] - xd) <= np.abs(grid[right] - xd), left, right)
        if np.all(np.abs(grid[idx] - xd) <= 1e-6 + 1e-5 * np.abs(xd)):
            parts.append(Part(idx, yd))
    return parts


def covered(parts: Sequence[Part], size: int) -> np.ndarray:
    """Which grid points the parts cover, as a boolean mask.

    Example:

    >>> covered([Part(np.array([0, 2]), np.zeros(2))], 3).tolist()
    [True, False, True]

    Args:
        parts: Parts on a grid of ``size`` points.
        size: The grid's length.

    Returns:
        The mask.
    """
    mask = np.zeros(size, dtype=bool)
    for part in parts:
        mask[part.idx] = True
    return mask


def covering(parts: Sequence[Part], fits: Callable[[Part], bool], size: int) -> bool:
    """Whether the parts that ``fits`` accepts together cover every grid point.

    Example:

    >>> parts = [Part(np.array([0, 1]), np.zeros(2)), Part(np.array([2]), np.ones(1))]
    >>> covering(parts, lambda p: True, 3), covering(parts, lambda p: p.y.sum() == 0, 3)
    (True, False)

    Args:
        parts: Parts on a grid of ``size`` points.
        fits: Whether a part shows the function wanted.
        size: The grid's length.

    Returns:
        True when the fitting parts cover the whole grid.
    """
    return bool(covered([p for p in parts if fits(p)], size).all())
