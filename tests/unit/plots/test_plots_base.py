"""acttutor.plots.base: new Axes, axis styling, the panel grid and the palette's colours."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import acttutor
from acttutor.plots.base import (
    COLOURS,
    DEFAULT_X,
    GREYS,
    finish_grid,
    function_inputs,
    new_axes,
    panel_grid,
    series_colour,
    set_axes,
)


def test_new_axes_makes_a_figure_that_pyplot_does_not_keep() -> None:
    before = plt.get_fignums()
    fig, ax = new_axes(figsize=(3.0, 2.0))
    assert isinstance(fig, Figure) and isinstance(ax, Axes) and ax.figure is fig
    assert tuple(fig.get_size_inches()) == (3.0, 2.0)
    assert plt.get_fignums() == before  # shown once, as the cell's value


def test_new_axes_returns_the_figure_of_a_given_axes_and_rejects_other_objects() -> None:
    fig, ax = new_axes()
    assert new_axes(ax) == (fig, ax)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        new_axes("left")  # type: ignore[arg-type]


def test_set_axes_labels_and_draws_origin_lines_and_legend() -> None:
    _, ax = new_axes()
    ax.plot([0, 1], [1, 2], label="a")
    assert set_axes(ax, xlabel="x", ylabel="y", title="t", legend=True, origin_lines=True) is ax
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("x", "y", "t")
    guides = [ln for ln in ax.get_lines() if ln.get_label().startswith("_")]
    assert len(guides) == 2  # y = 0 and x = 0
    assert {ln.get_color() for ln in guides} == {GREYS["guide"]}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a"]
    _, bare = new_axes()
    set_axes(bare)
    assert bare.get_lines() == [] and bare.get_legend() is None


def test_panel_grid_hides_spare_panels_and_sizes_the_figure_by_panel() -> None:
    fig, panels = panel_grid(5, ncols=3, panel_size=(2.0, 1.5))
    assert len(panels) == 5 and all(ax.get_visible() for ax in panels)
    assert len(fig.axes) == 6 and not fig.axes[5].get_visible()
    assert tuple(fig.get_size_inches()) == (6.0, 3.0)
    assert [ax.get_subplotspec().is_first_col() for ax in panels] == [True, False, False,
                                                                       True, False]
    _, one_row = panel_grid(2, ncols=5, panel_size=(2.0, 1.5))
    assert len(one_row[0].figure.axes) == 2  # ncols never exceeds the count
    with pytest.raises(ValueError, match="at least one panel"):
        panel_grid(0)


def test_panel_grid_can_share_the_y_axis() -> None:
    _, (a, b) = panel_grid(2, ncols=2, sharey=True)
    a.plot([0, 1], [0, 10])
    b.plot([0, 1], [0, 1])
    assert a.get_ylim() == b.get_ylim()


def test_finish_grid_adds_a_line_for_the_title_and_one_for_the_shared_legend() -> None:
    fig, panels = panel_grid(2, ncols=2, panel_size=(2.0, 2.0))
    panels[0].plot([0, 1], label="first")
    panels[0].plot([1, 0], label="second")
    assert finish_grid(fig, title="Grid", legend_from=panels[0]) is fig
    assert fig.get_figheight() == pytest.approx(2.0 + 2 * 0.35)
    assert fig.get_suptitle() == "Grid"
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["first", "second"]
    plain, _ = panel_grid(1, panel_size=(2.0, 2.0))
    finish_grid(plain)
    assert plain.get_figheight() == pytest.approx(2.0) and plain.legends == []


def test_colours_come_from_the_palette_by_name_and_in_order() -> None:
    assert list(COLOURS.values()) == list(acttutor.PALETTE)
    assert COLOURS["blue"] == "#0072B2" and COLOURS["vermillion"] == "#D55E00"
    assert [series_colour(i) for i in range(3)] == list(acttutor.PALETTE[:3])
    assert series_colour(len(acttutor.PALETTE)) == acttutor.PALETTE[0]


def test_function_inputs_default_and_checks() -> None:
    assert function_inputs(None) is DEFAULT_X
    assert DEFAULT_X.dtype == np.float32 and DEFAULT_X[0] == -10.0 and DEFAULT_X[-1] == 10.0
    xs = function_inputs([0, 1, 2])
    assert xs.dtype == np.float32 and xs.tolist() == [0.0, 1.0, 2.0]
    with pytest.raises(ValueError, match="1-D array of at least 2 points"):
        function_inputs(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="at least 2 points"):
        function_inputs([1.0])
    with pytest.raises(ValueError, match="numbers"):
        function_inputs(["a", "b"])
