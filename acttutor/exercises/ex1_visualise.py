r"""Exercise 1: plot every activation side by side, checked by reading the figure back.

The learner writes ``f(x) -> Figure`` with one Axes per activation (ReLU,
Sigmoid, Tanh, Leaky ReLU with any slope in (0, 1), and Softmax over the whole
vector ``x``), each titled with the activation's name. :data:`ex1` calls ``f``
on its own ``x`` and reads the plotted data back from every Axes' lines
(``Line2D.get_xdata``/``get_ydata``), so any layout, extra Axes, extra lines
(``axhline``, derivatives) and NumPy or TensorFlow implementations are fine.

An activation passes when at least one Axes titled with its name shows it over
all of ``x``, so panels such as "Sigmoid derivative" are fine too. A curve may
be drawn as several lines that together cover ``x`` (one for ``x <= 0``, one
for ``x >= 0``). No titled Axes may show one of the five activations that its
title does not name: a loop that draws every curve on every Axes fails, while
a comparison panel titled "ReLU vs. Leaky ReLU" may show both.

Titles are matched loosely: case, spaces, digits and punctuation are ignored,
so ``"Leaky ReLU"``, ``"LeakyReLU"`` and ``"leaky_relu (alpha=0.1)"`` all name
Leaky ReLU. Because ``relu`` is part of ``leaky relu``, Leaky ReLU is matched
first and removed before looking for plain ReLU.

Example:

>>> import matplotlib.pyplot as plt
>>> def f(x):
...     fig, axes = plt.subplots(1, 5)
...     e = np.exp(x - x.max())
...     for ax, (t, y) in zip(axes, {"ReLU": np.maximum(x, 0), "Sigmoid": 1 / (1 + np.exp(-x)),
...             "Tanh": np.tanh(x), "Leaky ReLU": np.where(x > 0, x, 0.1 * x),
...             "Softmax": e / e.sum()}.items()):
...         ax.plot(x, y)
...         ax.set_title(t)
...     return fig
>>> ex1.check(f).status
'passed'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from acttutor.exercises import notebook_of
from acttutor.exercises import references as ref
from acttutor.exercises.core import Exercise
from acttutor.exercises.figures import Part, axes_title, covered, covering, line_data, line_parts
from acttutor.exercises.kit import call_learner, close
from acttutor.exercises.outcomes import Fail
from acttutor.exercises.references import NP
from acttutor.exercises.words import describe

__all__ = ["CHECK_X", "ex1", "title_names"]

#: The input the checker passes to the learner's function: 101 points over [-4, 6].
#: It is deliberately not symmetric, so a function that ignores ``x`` and plots its
#: own ``np.linspace(-5, 5, ...)`` is caught.
CHECK_X: np.ndarray = np.linspace(-4.0, 6.0, 101)

_RTOL = 1e-4  # float32 implementations (TensorFlow) are fine
_ATOL = 1e-6


@dataclass(frozen=True)
class _Target:
    """One activation the figure must show."""

    key: str
    label: str
    aliases: tuple[str, ...]
    blockers: tuple[str, ...]  # removed from the title before looking for an alias


# Leaky ReLU comes first: "relu" is part of "leakyrelu".
_TARGETS: tuple[_Target, ...] = (
    _Target("relu", "ReLU", ("relu", "rectifiedlinear"), ("leakyrelu", "leakyrectifiedlinear")),
    _Target("sigmoid", "Sigmoid", ("sigmoid", "logistic"), ("hardsigmoid", "logsigmoid")),
    _Target("tanh", "Tanh", ("tanh", "hyperbolictangent"), ("hardtanh", "tanhshrink")),
    _Target("leaky_relu", "Leaky ReLU", ("leaky",), ()),
    _Target("softmax", "Softmax", ("softmax",), ("logsoftmax",)),
)
_BY_KEY = {t.key: t for t in _TARGETS}


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def title_names(title: str) -> list[str]:
    """The activations a title names, as keys (``"relu"``, ``"leaky_relu"``, ...).

    Case, spaces, digits and punctuation are ignored. Leaky ReLU is removed
    before looking for plain ReLU, so ``"Leaky ReLU"`` names only Leaky ReLU,
    while ``"ReLU vs Leaky ReLU"`` names both.

    Example:

    >>> title_names("leaky_relu (alpha=0.1)")
    ['leaky_relu']
    >>> title_names("ReLU vs. Leaky ReLU")
    ['relu', 'leaky_relu']

    Args:
        title: An Axes title.

    Returns:
        The keys of the activations named, in the checker's order.
    """
    norm = _normalise(title)
    found = []
    for target in _TARGETS:
        rest = norm
        for blocker in target.blockers:
            rest = rest.replace(blocker, " ")
        if any(alias in rest for alias in target.aliases):
            found.append(target.key)
    return found


# --------------------------------------------------------------------------- references

_REFERENCE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "relu": ref.relu,
    "sigmoid": ref.sigmoid,
    "tanh": ref.tanh,
    "softmax": lambda x: ref.softmax(x, axis=None),  # over the whole vector x
}


def _close(y: np.ndarray, expected: np.ndarray) -> bool:
    return close(y, expected, rtol=_RTOL, atol=_ATOL)


def _slope_left(x: np.ndarray, y: np.ndarray) -> float | None:
    """The negative-side slope ``alpha`` if ``y`` is ``x`` for x > 0 and ``alpha*x`` below."""
    neg = x < 0
    if not neg.any() or not np.all(np.isfinite(y)):
        return None
    alpha = float(NP.median(y[neg] / x[neg]))
    return alpha if _close(y, ref.leaky_relu(x, alpha)) else None


def _fits(key: str, x: np.ndarray, part: Part, alpha: float = 0.0) -> bool:
    """Whether the line ``part`` lies on activation ``key``'s curve over ``x``."""
    xs = x[part.idx]
    if key == "leaky_relu":
        return _close(part.y, ref.leaky_relu(xs, alpha))
    if key == "softmax":  # softmax of the WHOLE x, read at the line's points
        return _close(part.y, _REFERENCE["softmax"](x)[part.idx])
    return _close(part.y, _REFERENCE[key](xs))


def _shown(key: str, x: np.ndarray, parts: list[Part]) -> tuple[bool, float | None]:
    """Whether the lines show ``key`` over all of ``x`` (and Leaky ReLU's slope when they do)."""
    if key != "leaky_relu":
        return covering(parts, lambda p: _fits(key, x, p), x.size), None
    for part in parts:
        alpha = _slope_left(x[part.idx], part.y)
        if alpha is None or not 0.0 < alpha < 1.0 or np.isclose(alpha, 0.0, atol=1e-6):
            continue
        if covering(parts, lambda p, a=alpha: _fits(key, x, p, a), x.size):
            return True, alpha
    return False, None


def _identify(x: np.ndarray, y: np.ndarray) -> str | None:
    """A short description of what curve ``y`` is, when it is a familiar one."""
    for key in ("relu", "sigmoid", "tanh", "softmax"):
        if _close(y, _REFERENCE[key](x)):
            return _BY_KEY[key].label
    alpha = _slope_left(x, y)
    if alpha is not None:
        if np.isclose(alpha, 1.0):
            return "the identity (y = x)"
        return f"Leaky ReLU with alpha = {alpha:.3g}"
    if _close(y, NP.exp(x)):
        return "exp(x), without dividing by the sum"
    if np.all(np.isfinite(y)) and _close(y, NP.ones_like(x)):
        return "the constant 1"
    return None


# --------------------------------------------------------------------------- messages


def _no_curve_message(ax: Any, title: str, x: np.ndarray) -> str:
    lines = ax.get_lines()
    span = f"the {x.size} points from {x[0]:g} to {x[-1]:g} that check passed in"
    if lines:
        plotted_against_index = any(
            (d := line_data(line)) is not None
            and d[0].shape == x.shape
            and np.array_equal(d[0], np.arange(x.size))
            for line in lines
        )
        if plotted_against_index:
            return (
                f"The Axes titled {title!r} plots its curve against 0, 1, 2, ... instead of x: "
                "ax.plot(y) uses the index as the x coordinate. Call ax.plot(x, y)."
            )
        return (
            f"The Axes titled {title!r} has {len(lines)} line(s), but none is drawn over x "
            f"({span}). Plot against the x argument of your function, ax.plot(x, y), "
            "instead of making your own np.linspace."
        )
    if ax.collections or ax.patches:
        return (
            f"The Axes titled {title!r} holds no line: draw the curve with ax.plot(x, y) "
            "(the checker reads lines, not scatter points, bars or filled areas)."
        )
    return f"The Axes titled {title!r} is empty: nothing is plotted on it. Call ax.plot(x, y)."


def _partial_message(key: str, title: str, x: np.ndarray, parts: list[Part]) -> str | None:
    """When lines on the curve cover only part of x: which part."""
    label = _BY_KEY[key].label
    if key == "leaky_relu":
        alphas = [a for p in parts if (a := _slope_left(x[p.idx], p.y)) is not None]
        fitting = [p for p in parts if any(_fits(key, x, p, a) for a in alphas or [0.1])]
    else:
        fitting = [p for p in parts if _fits(key, x, p)]
    mask = covered(fitting, x.size)
    if not mask.any():
        return None
    return (
        f"The Axes titled {title!r} shows {label} only over part of x: {int(mask.sum())} of "
        f"its {x.size} points, from {x[mask].min():g} to {x[mask].max():g}. Draw it over every "
        "point of the x your function receives."
    )


def _others_shown(key: str, x: np.ndarray, parts: list[Part]) -> list[str]:
    """The other activations (of the five) that these lines also show over all of x."""
    return [t.key for t in _TARGETS if t.key != key and _shown(t.key, x, parts)[0]]


def _labels(keys: list[str]) -> str:
    labels = [_BY_KEY[k].label for k in keys]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


def _crowded_message(key: str, title: str, others: list[str]) -> str:
    return (
        f"The Axes titled {title!r} shows {_BY_KEY[key].label}, but also {_labels(others)}, "
        "which its title does not name. Give each activation an Axes of its own with only "
        "its curve (a loop over the curves inside a loop over the Axes draws every curve "
        "everywhere)."
    )


def _wrong_lines_message(key: str, title: str, x: np.ndarray, parts: list[Part]) -> str:
    """Why the lines of an Axes titled for ``key`` do not show it."""
    whole = [p.y for p in parts if covered([p], x.size).all()]
    if whole:
        return _wrong_curve_message(key, title, x, whole)
    partial = _partial_message(key, title, x, parts)
    if partial:
        return partial
    part = max(parts, key=lambda p: p.idx.size)
    xs = x[part.idx]
    expected = ref.leaky_relu(xs, 0.1) if key == "leaky_relu" else (
        _REFERENCE["softmax"](x)[part.idx] if key == "softmax" else _REFERENCE[key](xs))
    i = int(NP.argmax(NP.where(NP.isfinite(part.y), NP.abs(part.y - expected), np.inf)))
    return (
        f"The Axes titled {title!r} has a line over {part.idx.size} of the {x.size} points of "
        f"x, and it does not show {_BY_KEY[key].label} there: at x = {xs[i]:.3g} it plots "
        f"{part.y[i]:.4g}, where {_BY_KEY[key].label} is {expected[i]:.4g}. Plot y against "
        "the same x it was computed from, over every point: ax.plot(x, y)."
    )


def _wrong_curve_message(key: str, title: str, x: np.ndarray, curves: list[np.ndarray]) -> str:
    label = _BY_KEY[key].label
    y = curves[0]
    seen = _identify(x, y)
    head = f"The Axes titled {title!r} does not show {label} of x"
    if key == "leaky_relu":
        alpha = _slope_left(x, y)
        if alpha is not None and np.isclose(alpha, 0.0, atol=1e-6):
            return (
                f"{head}: it shows plain ReLU (slope 0 for x < 0). Give the negative side a "
                "small slope, for example np.where(x > 0, x, 0.1 * x)."
            )
        if alpha is not None:
            what = " (so the curve is the identity, y = x)" if np.isclose(alpha, 1.0) else ""
            return (
                f"{head}: its slope for x < 0 is alpha = {alpha:.3g}{what}, but Leaky ReLU "
                "needs 0 < alpha < 1, such as 0.01 or 0.1."
            )
        expected = ref.leaky_relu(x, 0.1)
        desc = "Leaky ReLU with alpha = 0.1"
    else:
        expected = _REFERENCE[key](x)
        desc = label
    if key == "softmax" and seen is None and np.all(np.isfinite(y)) and np.isclose(y.sum(), 1.0):
        return (
            f"{head}: its values sum to 1, but they are not the softmax of the x passed to "
            "your function. Compute softmax over that whole vector x, "
            "np.exp(x - x.max()) / np.exp(x - x.max()).sum()."
        )
    if seen is not None:
        extra = ""
        if key == "softmax" and seen == "Sigmoid":
            extra = (
                " Sigmoid squashes each value on its own; softmax divides exp(x) by the sum "
                "over the whole vector."
            )
        elif key == "softmax" and seen == "the constant 1":
            extra = (
                " Softmax over an axis of length 1 is always 1: do not reshape x to a column; "
                "apply softmax to the whole 1-D vector."
            )
        return f"{head}: it shows {seen}.{extra} Check which curve goes with which title."
    bad = ~np.isfinite(y) & np.isfinite(expected)
    if bad.any():
        i = int(np.argmax(bad))
        return f"{head}: at x = {x[i]:.3g} it plots {y[i]}, where {desc} is {expected[i]:.4g}."
    err = np.abs(y - expected)
    i = int(np.argmax(err))
    if close(y, expected, rtol=5e-3, atol=1e-3):
        return (
            f"{head} precisely enough: at x = {x[i]:.3g} it plots {y[i]:.6g}, but {desc} is "
            f"{expected[i]:.6g}, a relative error of {err[i] / max(abs(expected[i]), 1e-12):.1e}. "
            "That is low precision, such as float16: compute in float32 or float64."
        )
    return (
        f"{head}: at x = {x[i]:.3g} it plots {y[i]:.4g}, but {desc} is {expected[i]:.4g}. "
        "Check the formula."
    )


def _missing_message(missing: list[str], fig: Any, found_titles: list[str]) -> str:
    labels = [_BY_KEY[k].label for k in missing]
    head = (
        f"Your figure has no Axes titled {labels[0]}."
        if len(labels) == 1
        else f"Your figure has no Axes titled {', '.join(labels[:-1])} or {labels[-1]}."
    )
    in_legend = sorted(
        {
            _BY_KEY[k].label
            for ax in fig.axes
            for line in ax.get_lines()
            for k in title_names(str(line.get_label()))
            if k in missing
        },
        key=lambda s: [t.label for t in _TARGETS].index(s),
    )
    titles = ", ".join(repr(t) for t in found_titles[:8]) or "none"
    tail = (
        f" {', '.join(in_legend)} appear(s) only as legend labels: give each activation its "
        "own Axes and title it with ax.set_title(...)."
        if in_legend
        else " Draw each activation on its own Axes and name it with ax.set_title(...)."
    )
    return f"{head} Titles found: {titles}.{tail}"


def _own_axes(key: str, axes: list[tuple[Any, str]], x: np.ndarray) -> float | None:
    """Check that one Axes titled with ``key`` shows it, and none of the five its title omits.

    Returns Leaky ReLU's slope (``None`` for the others); raises ``Fail`` otherwise.
    """
    problems: list[str] = []
    crowded: list[str] = []
    for ax, title in axes:
        parts = line_parts(ax, x)
        ok, slope = _shown(key, x, parts) if parts else (False, None)
        if ok:
            others = [k for k in _others_shown(key, x, parts) if k not in title_names(title)]
            if not others:
                return slope
            crowded.append(_crowded_message(key, title, others))
        elif parts:
            problems.append(_wrong_lines_message(key, title, x, parts))
    empty = [_no_curve_message(ax, title, x) for ax, title in axes if not line_parts(ax, x)]
    raise Fail((crowded or problems or empty)[0])


def _check_figure(fig: Any, x: np.ndarray) -> str:
    if not fig.axes:
        raise Fail(
            "The Figure has no Axes. Create them with fig, axes = plt.subplots(2, 3) "
            "and plot one activation on each."
        )
    titled: dict[str, list[tuple[Any, str]]] = {t.key: [] for t in _TARGETS}
    found_titles = []
    for ax in fig.axes:
        title = axes_title(ax)
        if title:
            found_titles.append(title)
        for key in title_names(title):
            titled[key].append((ax, title))
    missing = [k for k, axes in titled.items() if not axes]
    if missing:
        raise Fail(_missing_message(missing, fig, found_titles))
    # Each activation needs an Axes titled with its name that shows it. Other Axes that
    # mention the name (say "Sigmoid derivative") may show something else, but no titled
    # Axes may show one of the five that its title does not name.
    slopes = {t.key: _own_axes(t.key, titled[t.key], x) for t in _TARGETS}
    for ax in fig.axes:
        title = axes_title(ax)
        named = title_names(title)
        if not named:
            continue
        parts = line_parts(ax, x)
        foreign = [k for k in _others_shown("", x, parts) if k not in named]
        if foreign:
            raise Fail(
                f"The Axes titled {title!r} also shows {_labels(foreign)}, which its title "
                "does not name. Draw each curve on the Axes titled with its activation."
            )
    return (
        "All five activations are plotted over x, each on an Axes with the right "
        f"title: ReLU, Sigmoid, Tanh, Leaky ReLU (alpha = {slopes['leaky_relu']:.3g}) and "
        "Softmax."
    )


def _wrong_return_message(out: Any) -> str:
    from matplotlib.axes import Axes

    if out is None:
        return (
            "Your function returned None. End it with `return fig`: plt.show() only displays "
            "the plot, and the checker needs the Figure object to read the curves back."
        )
    if isinstance(out, Axes):
        return "Your function returned an Axes; return its Figure instead (`return ax.figure`)."
    if isinstance(out, np.ndarray) and out.dtype == object:
        return (
            "Your function returned an array of Axes; return the Figure instead "
            "(`fig, axes = plt.subplots(...)` ... `return fig`)."
        )
    if isinstance(out, (tuple, list)):
        return (
            f"Your function returned a {type(out).__name__} of {len(out)} items; "
            "return just the Figure (`return fig`)."
        )
    return (
        f"Your function returned a {type(out).__name__} ({describe(out)}); "
        "expected a matplotlib Figure (`fig, axes = plt.subplots(...)` ... `return fig`)."
    )


def _check(f: Any, *, notes: list[str]) -> str:
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    before = set(plt.get_fignums())
    fig = None
    try:
        out = call_learner(f, CHECK_X.copy(), params=("x",), warnings_out=notes, notes=notes)
        if not isinstance(out, Figure):
            raise Fail(_wrong_return_message(out))
        fig = out
        return _check_figure(fig, CHECK_X)
    finally:
        # Nothing the check made may show up again at the end of the notebook cell.
        if fig is not None:
            plt.close(fig)
        for number in set(plt.get_fignums()) - before:
            plt.close(number)


_SOLUTION = '''
import matplotlib.pyplot as plt
import numpy as np


def plot_all_activations(x):
    """Plot ReLU, Sigmoid, Tanh, Leaky ReLU and Softmax of x side by side."""
    alpha = 0.1
    exp_shifted = np.exp(x - np.max(x))  # shift for stability; softmax is unchanged
    curves = {
        "ReLU": np.maximum(x, 0.0),
        "Sigmoid": 1.0 / (1.0 + np.exp(-x)),
        "Tanh": np.tanh(x),
        f"Leaky ReLU (alpha = {alpha})": np.where(x > 0, x, alpha * x),
        "Softmax (over the whole x)": exp_shifted / exp_shifted.sum(),
    }
    fig, axes = plt.subplots(2, 3, figsize=(11, 6))
    for ax, (title, y) in zip(axes.flat, curves.items()):
        ax.plot(x, y)
        ax.axhline(0.0, color="0.6", linewidth=0.8)  # a reference line is fine
        ax.set_title(title)
        ax.set_xlabel("x")
    axes.flat[-1].set_visible(False)  # five activations, six panels
    fig.tight_layout()
    plt.close(fig)  # we return the figure, so Jupyter shows it only once
    return fig
'''

ex1 = Exercise(
    "ex1",
    "Visualise every activation",
    _check,
    hints=[
        "Make a grid with `fig, axes = plt.subplots(2, 3)`; `axes.flat` walks through its "
        "panels. On each one call `ax.plot(x, y)` and `ax.set_title(\"ReLU\")` (and so on), "
        "and finish with `return fig`.",
        "NumPy gives every curve in one line: `np.maximum(x, 0)`, `1 / (1 + np.exp(-x))`, "
        "`np.tanh(x)`, `np.where(x > 0, x, 0.1 * x)`. Softmax treats x as ONE vector: "
        "`e = np.exp(x - x.max()); e / e.sum()`. Its curve therefore sums to 1 over x.",
        "Plot against the x your function receives (not a new np.linspace), give every "
        "activation its own Axes, and return the Figure rather than calling plt.show(). "
        "Hide the unused sixth panel with `axes.flat[-1].set_visible(False)`.",
    ],
    solution_code=_SOLUTION,
    answer_name="plot_all_activations",
    notebook=notebook_of(__name__),
)
