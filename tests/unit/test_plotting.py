"""acttutor.plotting re-exports acttutor.plots; every public plotting function keeps the contract.

The contract (DESIGN.md): each returns a Figure; with ``ax=`` (``axes=`` for the
two-panel history plot) it draws into that Axes and returns its Figure; no figure
is left in pyplot's registry, so a notebook shows each one once.
"""

from __future__ import annotations

import inspect
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

import acttutor.plots as plots
from acttutor import plotting
from acttutor.calibration import reliability_bins
from acttutor.training import RunResult

RUN = RunResult(history={"accuracy": [0.8, 0.9], "val_accuracy": [0.7, 0.85],
                         "loss": [0.5, 0.3], "val_loss": [0.6, 0.4]},
                test_acc=0.85, test_loss=0.4, seconds=1.0)
COSTS = SimpleNamespace(rows=(SimpleNamespace(name="relu", forward=1.0, forward_backward=2.0,
                                              kernels=("Relu",), bound="memory"),))
X = np.linspace(-2.0, 2.0, 21)
RNG = np.random.default_rng(0)

# One small, valid call per public plotting function: (positional args, keyword args).
CALLS = {
    "plot_activation": (("relu",), {}),
    "plot_activations": ((["relu", "tanh"],), {}),
    "plot_catalog": ((["relu", "tanh"],), {}),
    "plot_costs": ((COSTS,), {}),
    "plot_dead_fractions": (({"h1": 0.0, "h2": 0.5},), {}),
    "plot_distribution_bars": (({"a": [0.5, 0.5]},), {}),
    "plot_fits": ((X, X**2, {"line": X}), {}),
    "plot_gradient_norms": (({"h1": 0.1, "h2": 1.0},), {}),
    "plot_correlations": (({"tanh": [0.5, 0.9]}, {"tanh": [0.5, 0.88]}), {}),
    "plot_depth_profiles": (({"relu": {"pre_var": [1.0, 0.9], "grad_var": [1.0, 1.1]}},), {}),
    "plot_histories": (({"relu": RUN},), {}),
    "plot_layer_histogram": ((RNG.normal(size=50),), {}),
    "plot_layer_histograms": (({"h1": RNG.normal(size=50)},), {}),
    "plot_layer_statistics": (({"relu": {"mean": [0.0, 0.1], "std": [1.0, 0.8]}},), {}),
    "plot_layer_values": (({"h1": 1e-3, "h2": 0.5},), {"ylabel": "spread"}),
    "plot_lines": (({"a": [1.0, 2.0]},), {}),
    "plot_ratio_bars": (({"a": 1.0, "b": 2.0},), {}),
    "plot_reliability": (({"m": reliability_bins(np.array([[0.9, 0.1], [0.4, 0.6]]),
                                                 np.array([0, 0]), n_bins=5)},), {}),
    "plot_test_accuracies": (({"relu": RUN},), {}),
    "plot_trajectories": (({"sgd": np.array([[0.0, 0.0], [1.0, 1.0]])},), {}),
    "plot_vector_activations": ((["softmax"], [1.0, 2.0, 0.5]), {}),
}
PLOTTERS = sorted(n for n in plotting.__all__ if n.startswith("plot_"))
DRAW_INTO = [n for n in PLOTTERS
             if {"ax", "axes"} & set(inspect.signature(getattr(plotting, n)).parameters)]
# These lay out a grid of their own panels, so they take no Axes.
GRIDS = {"plot_activations", "plot_catalog", "plot_depth_profiles", "plot_layer_histograms",
         "plot_layer_statistics", "plot_vector_activations"}


def test_plotting_exports_exactly_what_plots_exports() -> None:
    assert sorted(plotting.__all__) == sorted(plots.__all__)
    assert len(set(plotting.__all__)) == len(plotting.__all__)


@pytest.mark.parametrize("name", sorted(plots.__all__))
def test_each_name_is_the_same_object_in_both(name: str) -> None:
    assert getattr(plotting, name) is getattr(plots, name)
    defined_in = getattr(plots, name).__module__
    assert defined_in.startswith("acttutor.plots."), "documented where it is defined"


def test_every_plotting_function_has_a_sample_call() -> None:
    assert sorted(CALLS) == PLOTTERS


@pytest.mark.parametrize("name", PLOTTERS)
def test_every_plotting_function_returns_a_figure_that_pyplot_does_not_keep(name: str) -> None:
    args, kwargs = CALLS[name]
    before = plt.get_fignums()
    fig = getattr(plotting, name)(*args, **kwargs)
    assert isinstance(fig, Figure)
    assert plt.get_fignums() == before


def test_every_function_but_the_grids_draws_into_a_given_axes() -> None:
    assert set(PLOTTERS) - set(DRAW_INTO) == GRIDS


@pytest.mark.parametrize("name", DRAW_INTO)
def test_with_ax_a_function_draws_there_and_returns_that_figure(name: str) -> None:
    fn = getattr(plotting, name)
    params = inspect.signature(fn).parameters
    fig, axes = plt.subplots(1, 2)
    plt.close(fig)
    args, kwargs = CALLS[name]
    where = {"ax": axes[0]} if "ax" in params else {"axes": list(axes)}
    assert fn(*args, **kwargs, **where) is fig
    assert axes[0].has_data()


def test_the_contract_signatures_hold() -> None:
    activation = inspect.signature(plotting.plot_activation).parameters
    assert list(activation)[:2] == ["fn_or_name", "x"] and activation["x"].default is None
    assert activation["derivative"].kind is inspect.Parameter.KEYWORD_ONLY
    assert activation["derivative"].default is False and activation["ax"].default is None
    assert list(inspect.signature(plotting.plot_activations).parameters)[0] == "names"
    histories = inspect.signature(plotting.plot_histories).parameters
    assert list(histories)[:2] == ["results", "metric"]
    assert histories["metric"].default == "accuracy"
