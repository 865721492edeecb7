"""Text descriptions of figures, used as alt text in the HTML book.

A notebook shows a matplotlib Figure as a PNG, which a screen reader cannot read.
:func:`describe_figure` writes a short description from what the Figure itself holds
(titles, axis labels and ranges, legend entries, how many lines, bars or images), and
:func:`enable_alt_text` makes IPython use it as the Figure's ``text/plain`` form. The
book build then copies that text into the image's ``alt`` attribute
(``tools/sphinxext/acttutor_sphinx.py``). Readers in Jupyter see the picture as before.

Example:

>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots()
>>> _ = ax.plot([0, 1], [0, 1], label="identity"); _ = ax.set_title("A line")
>>> describe_figure(fig)
'Figure: "A line": 1 line (identity); x axis from 0 to 1; y axis from 0 to 1.'
>>> plt.close(fig)
"""

from __future__ import annotations

import math
import re
from typing import Any

from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

__all__ = ["MAX_CHARS", "describe_axes", "describe_figure", "enable_alt_text"]

#: Longest description returned; screen readers read alt text in one go.
MAX_CHARS = 600


def _number(value: float) -> str:
    return f"{value:.3g}".replace("-", "−") if value < 0 else f"{value:.3g}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _data_range(data: Any, view: Any) -> tuple[float, float]:
    """The span of the plotted data, or the visible span when there is no data."""
    low, high = (float(v) for v in data)
    if not (math.isfinite(low) and math.isfinite(high)) or low > high:
        low, high = (float(v) for v in view)
    tiny = 1e-9 * max(1.0, high - low)  # round-off such as -4e-16 reads as 0
    return tuple(0.0 if abs(v) < tiny else v for v in (low, high))  # type: ignore[return-value]


def _category_labels(axis: Any) -> list[str]:
    """Tick labels of an axis that names categories (bars per activation), else ``[]``."""
    try:
        labels = axis.get_major_formatter().format_ticks(axis.get_majorticklocs())
    except Exception:  # noqa: BLE001 - an unusual formatter: fall back to the range
        return []
    labels = [str(t) for t in labels if str(t).strip()]
    numeric = re.compile(r"^[−\-+]?[\d.,]+(e[−\-+]?\d+)?%?$")
    return labels if labels and not all(numeric.match(t) for t in labels) else []


def describe_axes(ax: Axes) -> str:
    """Describe one Axes: title, what is drawn, and the axis labels and data ranges.

    Example:

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.bar(["a", "b"], [1, 2]); _ = ax.set_ylabel("count")
    >>> describe_axes(ax)
    '1 bar group (2 bars); x axis with a, b; y axis "count" from 0 to 2'
    >>> plt.close(fig)

    Args:
        ax: The Axes.

    Returns:
        One sentence without a final full stop.
    """
    parts: list[str] = []
    title = " ".join(t for t in (ax.get_title("left"), ax.get_title(), ax.get_title("right")) if t)
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    bar_patches = {id(p) for c in bars for p in c.patches}
    # Data lines: labelled, or longer than the 2-point guides such as axhline/axvline.
    lines = [
        ln for ln in ax.get_lines()
        if ln.get_visible() and (not ln.get_label().startswith("_") or len(ln.get_xdata()) > 2)
    ]
    labels = [ln.get_label() for ln in lines if not ln.get_label().startswith("_")]
    drawn: list[str] = []
    if lines:
        drawn.append(_count(len(lines), "line") + (f" ({', '.join(labels)})" if labels else ""))
    if bars:
        n = sum(len(c.patches) for c in bars)
        drawn.append(f"{_count(len(bars), 'bar group')} ({_count(n, 'bar')})")
    others = [p for p in ax.patches if id(p) not in bar_patches]
    if ax.images:
        drawn.append(_count(len(ax.images), "image"))
    if ax.collections:
        drawn.append(_count(len(ax.collections), "point set"))
    if others and not bars:
        drawn.append(_count(len(others), "shape"))
    if title:
        parts.append(f'"{title}"')
    if drawn:
        parts.append(", ".join(drawn))
    for name, axis, label, limits in (
        ("x", ax.xaxis, ax.get_xlabel(), _data_range(ax.dataLim.intervalx, ax.get_xlim())),
        ("y", ax.yaxis, ax.get_ylabel(), _data_range(ax.dataLim.intervaly, ax.get_ylim())),
    ):
        text = f"{name} axis" + (f' "{label}"' if label else "")
        categories = _category_labels(axis)
        if categories:
            parts.append(f"{text} with {', '.join(categories)}")
        else:
            parts.append(f"{text} from {_number(min(limits))} to {_number(max(limits))}")
    head = parts[0] + ":" if title else ""
    body = "; ".join(parts[1:] if title else parts)
    return f"{head} {body}".strip()


def describe_figure(fig: Figure) -> str:
    """Describe a Figure in one or a few sentences, for alt text.

    Example:

    >>> import matplotlib.pyplot as plt
    >>> fig, axes = plt.subplots(1, 2)
    >>> _ = fig.suptitle("Two panels")
    >>> describe_figure(fig).split(".")[0]
    'Figure "Two panels" with 2 panels'
    >>> plt.close(fig)

    Args:
        fig: The Figure.

    Returns:
        Text starting with ``Figure``, at most :data:`MAX_CHARS` characters long.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"describe_figure needs a matplotlib Figure, got {type(fig).__name__}.")
    axes = [ax for ax in fig.get_axes() if ax.get_visible() and ax.get_label() != "<colorbar>"]
    title = fig.get_suptitle()
    name = f'Figure "{title}"' if title else "Figure"
    if not axes:
        text = f"{name} (empty)."
    elif len(axes) == 1:
        text = f"{name}: {describe_axes(axes[0])}."
    else:
        panels = " ".join(f"Panel {i}: {describe_axes(ax)}." for i, ax in enumerate(axes, 1))
        text = f"{name} with {len(axes)} panels. {panels}"
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1].rstrip() + "…"


def _plain(fig: Figure, printer: Any, cycle: bool) -> None:
    printer.text(describe_figure(fig))


_IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg", "application/pdf")


def _shows_figures(formatter: Any) -> bool:
    try:
        formatter.lookup_by_type(Figure)
    except KeyError:
        return False
    return True


def enable_alt_text(shell: Any = None) -> bool:
    """Make IPython show a Figure as a PNG together with a description in words.

    The words become the Figure's ``text/plain`` form: Jupyter front ends still show
    the picture, and the HTML book copies the words into the image's ``alt`` text.
    When no image format is registered for Figures (with ``MPLBACKEND=Agg``, as in
    the book build, IPython would otherwise show only ``<Figure size ...>``), PNG is
    registered too; a format the notebook backend already chose is kept.

    Example:

    >>> enable_alt_text()  # outside IPython there is nothing to do
    False

    Args:
        shell: The IPython shell; by default the running one.

    Returns:
        Whether a shell was found and the formatters registered.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython ships with Jupyter
            return False
        shell = get_ipython()
    if shell is None:
        return False
    # Load the notebook's matplotlib backend first: activating the inline backend resets
    # every Figure formatter, which would drop the description registered below.
    import matplotlib.pyplot  # noqa: F401
    from IPython.core.pylabtools import select_figure_formats

    formatters = shell.display_formatter.formatters
    if not any(_shows_figures(formatters[t]) for t in _IMAGE_TYPES if t in formatters):
        select_figure_formats(shell, {"png"})
    formatters["text/plain"].for_type(Figure, _plain)
    return True
