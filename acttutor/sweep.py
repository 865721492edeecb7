r"""A learning-rate sweep: every activation trained at several Adam rates, seed by seed.

One learning rate for every activation is not a fair race: an activation whose
gradients are small or badly scaled may need a larger step than another.
:func:`sweep_learning_rates` trains the chapter's MLP once per activation, rate
and seed, and :func:`best_rates` picks each activation's rate on the
**validation** split, so that :func:`at_best_rates` can compare every
activation at its own best rate. The test split plays no part in the choice.

A sweep is ``{name: {rate: [RunResult for each seed]}}``.

**Paired runs.** A run depends only on its activation, rate and seed: the seed
fixes the initial weights (the same for every activation, because they do not
depend on the activation) and the order of the batches. So two runs with the
same seed differ only by the setting compared, and the results are analysed
seed by seed (see :mod:`acttutor.comparison`).

**Cost.** On a small MLP the fixed costs of a run rival its training: building
and compiling a Keras model, tracing its training step, and the tf.data
pipeline Keras builds (and traces) around NumPy arrays at every ``fit``. The
sweep builds one compiled model per activation and, before each run, resets it
to the seed's initial weights, clears Adam's moment estimates and step count,
and sets the rate; and it feeds ``fit`` a ``tf.data`` pipeline of its own,
shuffled with the run's seed at every epoch. The result is the same run,
number for number, as a freshly built model fed the same way (a unit test
checks this); only the set-up time is saved. The batch order therefore differs
from :func:`~acttutor.training.compare_activations` runs of the same seed, so
the two are not mixed. Because the model is shared, ``RunResult.model`` is
``None`` for sweep runs.

Example:

>>> from acttutor.data import load_digits
>>> sweep = sweep_learning_rates(["relu"], load_digits(), learning_rates=(1e-3, 1e-2),
...                              seeds=(0, 1, 2), epochs=1)
>>> sorted(sweep["relu"]), [run.seed for run in sweep["relu"][0.01]]
([0.001, 0.01], [0, 1, 2])
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from acttutor import _checks
from acttutor._fitting import EpochTimer, accuracy_key, check_data, check_split, data_dims
from acttutor.data import Dataset
from acttutor.models import ActivationSpec, build_mlp
from acttutor.run_result import RunResult
from acttutor.tables import Table
from acttutor.training import _activation_of, _name_activations, _warm_up

__all__ = [
    "Sweep",
    "at_best_rates",
    "at_rate",
    "best_rates",
    "edge_verdict",
    "rate_table",
    "reset_model",
    "sweep_learning_rates",
]

#: ``{name: {learning rate: [RunResult for each seed]}}``, as :func:`sweep_learning_rates`
#: returns it.
Sweep = dict[str, dict[float, list[RunResult]]]


def reset_model(model: keras.Model, weights: Sequence[np.ndarray], learning_rate: float) -> None:
    """Put a compiled model back to the start of training: given weights, fresh Adam, new rate.

    Sets the weights, sets every optimizer variable except the learning rate
    (Adam's step count and its first and second moment estimates) to zero, and
    sets the learning rate. A run that follows is the same as a run of a
    freshly built and compiled model with those initial weights and that rate.

    Example:

    >>> model = build_mlp("relu", input_dim=4, num_classes=2, hidden=(3,))
    >>> start = build_mlp("relu", input_dim=4, num_classes=2, hidden=(3,), seed=1)
    >>> reset_model(model, start.get_weights(), 0.01)
    >>> round(float(model.optimizer.learning_rate), 6)
    0.01

    Args:
        model: A compiled model whose optimizer has a constant learning rate.
        weights: ``model.get_weights()`` of the starting point (same shapes).
        learning_rate: The new learning rate, a positive number.

    Returns:
        ``None``; ``model`` is changed in place.
    """
    rate = _rate(learning_rate)
    model.set_weights(list(weights))
    optimizer = model.optimizer
    for variable in optimizer.variables:
        if variable is optimizer._learning_rate or "learning_rate" in variable.path:
            continue
        variable.assign(np.zeros(variable.shape, dtype=variable.dtype))
    optimizer.learning_rate = rate


def sweep_learning_rates(
    activations: Iterable[ActivationSpec] | Mapping[str, ActivationSpec],
    data: Dataset,
    *,
    learning_rates: Sequence[float],
    seeds: Sequence[int] = (0, 1, 2),
    epochs: int = 5,
    hidden: Sequence[int] = (128, 64),
    batch_size: int = 128,
    validation_split: float = 0.1,
    warmup: bool = True,
) -> Sweep:
    """Train the MLP for every activation, Adam learning rate and seed.

    Runs go seed by seed (every activation and rate with seed 0, then seed 1,
    ...), so a slow-down of the machine part-way through hits every setting
    alike. Each run fits a model reset with :func:`reset_model` to
    ``build_mlp(activation, hidden, seed=seed)``'s initial weights on the first
    ``1 - validation_split`` of the training examples, in batches reshuffled
    with the seed at every epoch, validates on the rest after every epoch, and
    is evaluated once on the test split.

    Example:

    >>> from acttutor.data import load_digits
    >>> sweep = sweep_learning_rates(["relu", "tanh"], load_digits(),
    ...                              learning_rates=(1e-3, 3e-3, 1e-2), seeds=(0, 1, 2),
    ...                              epochs=1)
    >>> {name: len(rates) for name, rates in sweep.items()}
    {'relu': 3, 'tanh': 3}

    Args:
        activations: Names (``"relu"``), callables, or a mapping from a label to either.
        data: A :class:`~acttutor.data.Dataset`.
        learning_rates: At least one distinct positive Adam learning rate.
        seeds: One run per seed for each activation and rate.
        epochs: Epochs per run.
        hidden: Hidden layer sizes of the MLP.
        batch_size: Examples per gradient step.
        validation_split: Share of the training examples held out for validation;
            :func:`best_rates` chooses on them.
        warmup: First train a throwaway model briefly (untimed), so the first timed
            run does not pay TensorFlow's one-time start-up costs.

    Returns:
        ``{name: {rate: [RunResult for each seed]}}``, names and rates in the order given.

    Raises:
        TypeError: For activations, data or seeds of the wrong kind.
        ValueError: For unknown or duplicate activations, bad or repeated rates, bad
            counts or split.
    """
    named = _name_activations(activations)
    rates = _rates(learning_rates)
    seeds = _checks.seeds(seeds)
    epochs = _checks.positive_int("epochs", epochs)
    if not isinstance(data, Dataset):
        check_data(None, data)  # raises the helpful message
    dims = data_dims(data)
    check_split(validation_split, len(data.x_train))
    hidden = _checks.sizes("hidden", hidden)
    batch_size = _checks.positive_int("batch_size", batch_size)
    feed = _Feed(data, validation_split, batch_size)
    settings = {
        "epochs": epochs,
        "batch_size": batch_size,
        "validation_split": float(validation_split),
        "n_train": len(data.x_train),
        "data_source": data.source,
        "units": [*hidden, dims[1]],
        "feed": "acttutor.sweep",
    }
    if warmup:
        _warm_up(named[0][1], data, hidden, dims, batch_size, None)
    models: dict[str, keras.Model] = {}
    starts: dict[int, list[np.ndarray]] = {}
    sweep: Sweep = {name: {rate: [] for rate in rates} for name, _ in named}
    for seed in seeds:
        for name, activation in named:
            for rate in rates:
                if seed not in starts:  # the initial weights depend on the seed alone
                    starts[seed] = build_mlp(activation, hidden, *dims, seed=seed).get_weights()
                if name not in models:
                    models[name] = build_mlp(activation, hidden, *dims, seed=seed)
                model = models[name]
                reset_model(model, starts[seed], rate)
                run = feed.run(model, seed=seed, epochs=epochs, settings=settings)
                run.activation = name
                sweep[name][rate].append(run)
    return sweep


def at_rate(sweep: Sweep, rate: float) -> dict[str, list[RunResult]]:
    """Every activation's runs at one learning rate: ``{name: [RunResult, ...]}``.

    Example:

    >>> from acttutor.run_result import RunResult
    >>> run = RunResult(history={"val_accuracy": [0.9]}, test_acc=0.9, test_loss=0.3,
    ...                 seconds=1.0)
    >>> list(at_rate({"relu": {0.001: [run], 0.01: [run]}}, 0.01))
    ['relu']

    Args:
        sweep: The output of :func:`sweep_learning_rates`.
        rate: One of the swept rates.

    Returns:
        ``{name: [RunResult for each seed]}`` in the sweep's order.
    """
    _check_sweep(sweep)
    out = {}
    for name, by_rate in sweep.items():
        match = [r for r in by_rate if math.isclose(r, float(rate), rel_tol=1e-9)]
        if not match:
            have = ", ".join(f"{r:g}" for r in by_rate)
            raise KeyError(f"No runs of {name!r} at learning rate {rate:g}; it has {have}.")
        out[name] = by_rate[match[0]]
    return out


def best_rates(sweep: Sweep, *, metric: str = "val_accuracy") -> dict[str, float]:
    """Each activation's learning rate with the highest mean final ``metric`` over the seeds.

    The choice reads the last epoch of ``metric`` (by default the validation
    accuracy), never the test split. A tie goes to the rate listed first.

    Example:

    >>> from acttutor.run_result import RunResult
    >>> def run(v):
    ...     return RunResult(history={"val_accuracy": [v]}, test_acc=0.0, test_loss=0.0,
    ...                      seconds=1.0)
    >>> best_rates({"relu": {0.001: [run(0.90), run(0.92)], 0.01: [run(0.93), run(0.94)]}})
    {'relu': 0.01}

    Args:
        sweep: The output of :func:`sweep_learning_rates`.
        metric: The history key to maximise, at the last epoch.

    Returns:
        ``{name: rate}``.
    """
    _check_sweep(sweep)
    return {
        name: max(by_rate, key=lambda rate: _mean_final(by_rate[rate], metric, name))
        for name, by_rate in sweep.items()
    }


def at_best_rates(sweep: Sweep, *, metric: str = "val_accuracy") -> dict[str, list[RunResult]]:
    """Every activation's runs at its own best learning rate (chosen on ``metric``).

    Example:

    >>> from acttutor.run_result import RunResult
    >>> def run(v):
    ...     return RunResult(history={"val_accuracy": [v]}, test_acc=0.0, test_loss=0.0,
    ...                      seconds=1.0)
    >>> best = at_best_rates({"relu": {0.001: [run(0.90)], 0.01: [run(0.95)]}})
    >>> best["relu"][0].history["val_accuracy"]
    [0.95]

    Args:
        sweep: The output of :func:`sweep_learning_rates`.
        metric: The history key the rate is chosen on (see :func:`best_rates`).

    Returns:
        ``{name: [RunResult for each seed]}``.
    """
    chosen = best_rates(sweep, metric=metric)
    return {name: sweep[name][rate] for name, rate in chosen.items()}


def edge_verdict(sweep: Sweep, *, metric: str = "val_accuracy") -> str:
    """Say which activations' best rate lies at an end of the swept range.

    A best rate at the largest (or smallest) rate tried says only that the best
    is there *or beyond*: a wider sweep might find a better rate.

    Example:

    >>> from acttutor.run_result import RunResult
    >>> def run(v):
    ...     return RunResult(history={"val_accuracy": [v]}, test_acc=0.0, test_loss=0.0,
    ...                      seconds=1.0)
    >>> edge_verdict({"relu": {0.001: [run(0.90)], 0.003: [run(0.92)], 0.01: [run(0.95)]},
    ...               "tanh": {0.001: [run(0.90)], 0.003: [run(0.93)], 0.01: [run(0.91)]}})
    'For relu the best rate is the largest tried (0.01), so a wider sweep might find a better one'

    Args:
        sweep: The output of :func:`sweep_learning_rates`.
        metric: The history key the rate is chosen on.

    Returns:
        A clause without a final full stop.
    """
    chosen = best_rates(sweep, metric=metric)
    parts = []
    for end, pick in (("largest", max), ("smallest", min)):
        names = [n for n, rate in chosen.items() if len(sweep[n]) > 1 and rate == pick(sweep[n])]
        if names:
            rates = sorted({f"{chosen[n]:g}" for n in names})
            parts.append(f"{', '.join(names)} the best rate is the {end} tried "
                         f"({', '.join(rates)})")
    if not parts:
        return "Every activation's best rate lies inside the swept range"
    return "For " + "; for ".join(parts) + ", so a wider sweep might find a better one"


def rate_table(sweep: Sweep, *, metric: str = "val_accuracy") -> Table:
    """A table of mean final ``metric`` per activation (rows) and learning rate (columns).

    Each activation's best rate (see :func:`best_rates`) is marked with ``*``.

    Example:

    >>> from acttutor.run_result import RunResult
    >>> def run(v):
    ...     return RunResult(history={"val_accuracy": [v]}, test_acc=0.0, test_loss=0.0,
    ...                      seconds=1.0)
    >>> rate_table({"relu": {0.001: [run(0.90)], 0.01: [run(0.95)]}}).column("lr 0.01")
    ['0.9500 *']

    Args:
        sweep: The output of :func:`sweep_learning_rates`.
        metric: The history key, read at the last epoch.

    Returns:
        A :class:`~acttutor.tables.Table`.
    """
    chosen = best_rates(sweep, metric=metric)
    rates = list(next(iter(sweep.values())))
    rows = []
    for name, by_rate in sweep.items():
        cells = []
        for rate in rates:
            if rate not in by_rate:
                raise ValueError(f"{name!r} was not run at learning rate {rate:g}.")
            mark = " *" if rate == chosen[name] else ""
            cells.append(f"{_mean_final(by_rate[rate], metric, name):.4f}{mark}")
        rows.append([name, *cells])
    return Table(["activation", *[f"lr {rate:g}" for rate in rates]], rows)


# --------------------------------------------------------------------------- internals


def _rate(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
        raise TypeError(f"A learning rate must be a number such as 0.001, got {value!r}.")
    rate = float(value)
    if not (math.isfinite(rate) and rate > 0):
        raise ValueError(f"A learning rate must be a positive finite number, got {value!r}.")
    return rate


def _rates(values: Sequence[float]) -> list[float]:
    if isinstance(values, str) or not isinstance(values, Sequence | np.ndarray):
        raise TypeError(
            f"learning_rates must be a list of numbers such as (1e-3, 3e-3), got {values!r}."
        )
    rates = [_rate(v) for v in values]
    if not rates:
        raise ValueError("learning_rates needs at least one rate, such as (1e-3, 3e-3).")
    if len(set(rates)) != len(rates):
        raise ValueError(f"learning_rates lists a rate twice: {values!r}.")
    return rates


class _Feed:
    """The splits of one dataset as tensors, and the runs that feed on them."""

    def __init__(self, data: Dataset, validation_split: float, batch_size: int) -> None:
        x, y, x_test, y_test = check_data(None, data)
        cut = int(math.floor(len(x) * (1.0 - float(validation_split))))  # Keras's rule
        self.fit = (tf.constant(x[:cut]), tf.constant(y[:cut]))
        self.n_fit = cut
        self.batch_size = batch_size
        self.val = tf.data.Dataset.from_tensor_slices((x[cut:], y[cut:])).batch(batch_size)
        self.test = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(batch_size)

    def run(self, model: keras.Model, *, seed: int, epochs: int,
            settings: dict[str, Any]) -> RunResult:
        """Fit ``model`` (reshuffled with ``seed`` every epoch), then evaluate on test."""
        keras.utils.set_random_seed(seed)
        batches = (
            tf.data.Dataset.from_tensor_slices(self.fit)
            .shuffle(self.n_fit, seed=seed, reshuffle_each_iteration=True)
            .batch(self.batch_size)
        )
        timer = EpochTimer()
        start = time.perf_counter()
        history = model.fit(batches, epochs=epochs, validation_data=self.val, verbose=0,
                            callbacks=[timer], shuffle=False)  # shuffled above, by seed
        scores = model.evaluate(self.test, verbose=0, return_dict=True)
        seconds = time.perf_counter() - start
        return RunResult(
            history={k: [float(v) for v in vals] for k, vals in history.history.items()},
            test_acc=float(scores[accuracy_key(scores)]),
            test_loss=float(scores["loss"]),
            seconds=seconds,
            activation=_activation_of(model),
            seed=seed,
            epoch_seconds=timer.seconds,
            settings={**settings, "learning_rate": float(model.optimizer.learning_rate)},
        )


def _check_sweep(sweep: object) -> None:
    if not isinstance(sweep, Mapping) or not sweep or not all(
        isinstance(by_rate, Mapping) and by_rate for by_rate in sweep.values()
    ):
        raise TypeError(
            "Expected a sweep, {name: {learning rate: [RunResult, ...]}}, as "
            "sweep_learning_rates returns."
        )


def _mean_final(runs: Sequence[RunResult], metric: str, name: str) -> float:
    if not runs:
        raise ValueError(f"No runs for {name!r}.")
    return float(np.mean([run._metric(metric)[-1] for run in runs]))
