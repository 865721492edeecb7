"""Training runs: fit a compiled model, evaluate it, and compare activations seed by seed.

The chapter's experiment in three calls::

    data = load_mnist()
    model = build_mlp("relu")                 # 784 → 128 → 64 → 10, compiled
    result = train_and_evaluate(model, data)  # fit, then evaluate on the test split
    runs = compare_activations(["relu", "tanh"], data, seeds=(0, 1, 2))

A run's :class:`~acttutor.run_result.RunResult` keeps the per-epoch history,
the test accuracy and loss, and the wall time, so runs can be tabulated and
plotted later (see :mod:`acttutor.results` and
:func:`acttutor.plots.runs.plot_histories`). :func:`~acttutor.models.build_mlp` and
:class:`~acttutor.run_result.RunResult` are defined in :mod:`acttutor.models`
and :mod:`acttutor.run_result` and imported from here.

**Progress.** ``progress=None`` (the default) shows Keras's own progress bar
only when someone is watching: in a terminal, or in a notebook opened in
JupyterLab, Jupyter Notebook, VS Code or Colab. Notebooks executed in batch
(the book build, nbmake) stay silent. ``progress=True``/``False`` forces it,
and so does the environment variable ``ACTTUTOR_PROGRESS_BAR=1``/``0``.

**More than one device.** Every function takes ``strategy=``, a
``tf.distribute.Strategy`` such as ``tf.distribute.MirroredStrategy()``: the
model is built and compiled in its scope and each batch is split over its
replicas. Each split is fed in batches whose first batch divides evenly over
the replicas (see :func:`train_and_evaluate`).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from acttutor import _checks
from acttutor._fitting import (
    EpochTimer,
    accuracy_key,
    check_data,
    check_split,
    data_dims,
    fit_and_evaluate,
    replica_count,
)
from acttutor.data import Dataset
from acttutor.models import ActivationSpec, build_mlp, callable_name, resolve_activation
from acttutor.run_result import RunResult

__all__ = [
    "PROGRESS_ENV",
    "ActivationSpec",
    "RunResult",
    "build_mlp",
    "compare_activations",
    "progress_default",
    "train_and_evaluate",
]

#: Environment variable that forces training's progress bars on (``1``) or off (``0``).
#: (``ACTTUTOR_PROGRESS`` is the exercises' switch for recording progress, not this.)
PROGRESS_ENV = "ACTTUTOR_PROGRESS_BAR"


def train_and_evaluate(
    model: keras.Model,
    data: Dataset,
    *,
    epochs: int = 5,
    batch_size: int = 128,
    validation_split: float = 0.1,
    progress: bool | None = None,
    seed: int | None = None,
    strategy: tf.distribute.Strategy | None = None,
) -> RunResult:
    """Fit a compiled model on ``data``'s training split, then evaluate it on the test split.

    Keras's rule for ``validation_split`` holds: the **last**
    ``validation_split`` of the training examples (before shuffling) are held
    out for the per-epoch validation metrics.

    Under a strategy with several replicas, each batch is split over the
    replicas, and Keras 3 fails when the *first* batch of a split does not
    divide evenly (103 test examples in one batch, over 2 replicas). So each
    split is **rebatched**, never padded: its batch size becomes
    ``min(batch_size, n)`` rounded down to a multiple of the replica count,
    and the few examples left over form a last, smaller batch. No example is
    added, dropped or weighted differently, so the validation and test
    metrics are those of every example. For the training split this changes
    anything only when it is smaller than one batch (then an epoch takes two
    steps); ``batch_size`` itself must be a multiple of the replica count.

    Example:

    >>> from acttutor.data import load_digits
    >>> data = load_digits()
    >>> result = train_and_evaluate(build_mlp("relu", input_dim=64), data, epochs=2)
    >>> sorted(result.history)
    ['accuracy', 'loss', 'val_accuracy', 'val_loss']

    Args:
        model: A compiled Keras model whose input matches ``data.x_train``.
        data: A :class:`~acttutor.data.Dataset` (for example from ``load_mnist()``).
        epochs: Passes over the training data.
        batch_size: Examples per gradient step (over all replicas together).
        validation_split: Share of the training examples held out for validation, in (0, 1).
        progress: Show Keras's progress bar. ``None``: only when interactive
            (see :func:`progress_default`).
        seed: Seed Python, NumPy and TensorFlow (the shuffling) before fitting.
            ``None`` leaves the random state as it is.
        strategy: The ``tf.distribute.Strategy`` the model was built in (with
            ``build_mlp(..., strategy=strategy)``); ``None`` uses the model's own.

    Returns:
        A :class:`~acttutor.run_result.RunResult`; ``seconds`` is the wall time
        of fit plus evaluate.

    Raises:
        TypeError: For a model that is not a ``keras.Model``, or data that is
            not a :class:`~acttutor.data.Dataset`.
        ValueError: For an uncompiled model, data that does not fit it, bad
            counts or split, a model built outside ``strategy``, or a split too
            small for the replicas.
    """
    _checks.check_model(model, "train_and_evaluate", compiled=True)
    x_train, y_train, x_test, y_test = check_data(model, data)
    epochs = _checks.positive_int("epochs", epochs)
    batch_size = _checks.positive_int("batch_size", batch_size)
    check_split(validation_split, len(x_train))
    replicas = replica_count(model, strategy, batch_size)
    show = progress_default() if progress is None else bool(progress)
    if seed is not None:
        keras.utils.set_random_seed(_checks.seed(seed))
    timer = EpochTimer()
    start = time.perf_counter()
    history, scores = fit_and_evaluate(
        model, (x_train, y_train, x_test, y_test), epochs=epochs, batch_size=batch_size,
        validation_split=validation_split, replicas=replicas, verbose=1 if show else 0,
        callbacks=[timer],
    )
    seconds = time.perf_counter() - start
    return RunResult(
        history=history,
        test_acc=float(scores[accuracy_key(scores)]),
        test_loss=float(scores["loss"]),
        seconds=seconds,
        activation=_activation_of(model),
        seed=seed,
        epoch_seconds=timer.seconds,
        settings={
            "epochs": epochs,
            "batch_size": batch_size,
            "validation_split": float(validation_split),
            "n_train": len(x_train),
            "data_source": str(getattr(data, "source", "")),
            "units": [int(layer.units) for layer in model.layers if hasattr(layer, "units")],
            "learning_rate": _learning_rate_of(model),
        },
        model=model,
    )


def compare_activations(
    activations: Iterable[ActivationSpec] | Mapping[str, ActivationSpec],
    data: Dataset,
    *,
    seeds: Sequence[int] = (0,),
    epochs: int = 5,
    hidden: Sequence[int] = (128, 64),
    batch_size: int = 128,
    validation_split: float = 0.1,
    progress: bool | None = None,
    warmup: bool = True,
    reuse: Mapping[str, Sequence[RunResult]] | None = None,
    strategy: tf.distribute.Strategy | None = None,
) -> dict[str, list[RunResult]]:
    """Train the same MLP once per activation and seed, and collect the results.

    Each run is ``build_mlp(activation, hidden, seed=seed)`` followed by
    ``train_and_evaluate(..., seed=seed)``, so a run depends only on its
    activation and seed, never on which runs came before. Runs go seed by
    seed (every activation with seed 0, then seed 1, ...) so that a slow-down
    of the machine part-way through hits every activation alike.

    At full size on a GPU machine, pass the whole of MNIST
    (``load_mnist()``; the download has 60,000 training images) and, for
    several GPUs, ``strategy=tf.distribute.MirroredStrategy()`` with a
    ``batch_size`` that is a multiple of the number of GPUs. TensorFlow uses a
    single visible GPU without any strategy.

    Example:

    >>> from acttutor.data import load_digits
    >>> runs = compare_activations(["relu", "tanh"], load_digits(), seeds=(0, 1), epochs=2)
    >>> {name: len(results) for name, results in runs.items()}
    {'relu': 2, 'tanh': 2}

    Args:
        activations: Names (``"relu"``), callables, or a mapping from a label to
            either. Keys of the result are the names given, or ``fn.__name__``.
        data: A :class:`~acttutor.data.Dataset`.
        seeds: One run per seed for each activation.
        epochs: Epochs per run.
        hidden: Hidden layer sizes of the MLP.
        batch_size: Examples per gradient step.
        validation_split: Share of the training examples held out for validation.
        progress: Show one Keras progress bar over all runs. ``None``: only when
            interactive (see :func:`progress_default`).
        warmup: First train a throwaway model on a few examples (untimed), so the
            first timed run does not pay TensorFlow's one-time start-up costs.
        reuse: Results of an earlier comparison (``{name: [RunResult, ...]}``). A run
            whose activation name and seed are found there is taken over instead of
            trained again, provided it was trained with the same epochs, batch size,
            validation split, data and layer sizes (else ``ValueError``).
            Because a run depends only on its activation and seed, this changes no
            number except the timings, which come from the earlier session.
        strategy: A ``tf.distribute.Strategy``: every model is built and compiled
            in its scope and trained over its replicas (see
            :func:`train_and_evaluate` for how the batches are split).

    Returns:
        ``{name: [RunResult for each seed]}``, in the order given.

    Raises:
        TypeError: For activations that are not a list or dict of names or
            callables, data that is not a :class:`~acttutor.data.Dataset`, or a
            bad ``seeds``, ``reuse`` or ``strategy``.
        ValueError: For unknown or duplicate activation names, bad counts or
            split, or a reused run trained differently.
    """
    named = _name_activations(activations)
    seeds = _checks.seeds(seeds)
    epochs = _checks.positive_int("epochs", epochs)
    if not isinstance(data, Dataset):
        check_data(None, data)  # raises the helpful message
    input_dim, num_classes = data_dims(data)
    show = progress_default() if progress is None else bool(progress)
    check_split(validation_split, len(data.x_train))
    wanted = {
        "epochs": epochs,
        "batch_size": _checks.positive_int("batch_size", batch_size),
        "validation_split": float(validation_split),
        "n_train": len(data.x_train),
        "data_source": data.source,
        "units": [*_checks.sizes("hidden", hidden), num_classes],
    }
    reused = _reusable(reuse, [name for name, _ in named], seeds, wanted)
    todo = len(named) * len(seeds) - len(reused)
    if warmup and todo:
        _warm_up(named[0][1], data, hidden, (input_dim, num_classes), batch_size, strategy)
    results: dict[str, list[RunResult]] = {name: [] for name, _ in named}
    bar = keras.utils.Progbar(todo, unit_name="run") if show and todo else None
    done = 0
    for seed in seeds:
        for name, activation in named:
            if (name, seed) in reused:
                results[name].append(reused[(name, seed)])
                continue
            model = build_mlp(activation, hidden, input_dim, num_classes, seed=seed,
                              strategy=strategy)
            result = train_and_evaluate(
                model,
                data,
                epochs=epochs,
                batch_size=batch_size,
                validation_split=validation_split,
                progress=False,
                seed=seed,
                strategy=strategy,
            )
            result.activation = name
            results[name].append(result)
            done += 1
            if bar is not None:
                bar.update(done, values=[("test_acc", result.test_acc)])
    return results


def _reusable(
    reuse: Mapping[str, Sequence[RunResult]] | None,
    names: list[str],
    seeds: list[int],
    wanted: dict[str, Any],
) -> dict[tuple[str, int], RunResult]:
    """The earlier runs to take over, keyed by (name, seed), after checking their settings."""
    if reuse is None:
        return {}
    if not isinstance(reuse, Mapping):
        raise TypeError(
            "reuse must be the output of an earlier compare_activations call, "
            f"{{name: [RunResult, ...]}}, got {type(reuse).__name__}."
        )
    found: dict[tuple[str, int], RunResult] = {}
    for name, runs in reuse.items():
        runs = [runs] if isinstance(runs, RunResult) else list(runs)
        for run in runs:
            if not isinstance(run, RunResult):
                raise TypeError(f"reuse[{name!r}] must hold RunResults, got {type(run).__name__}.")
            if name not in names or run.seed not in seeds:
                continue
            differ = {
                key: (run.settings.get(key), value)
                for key, value in wanted.items()
                if run.settings.get(key) != value
            }
            if differ:
                detail = "; ".join(
                    f"{key}: {then} there, {now} here" for key, (then, now) in differ.items()
                )
                raise ValueError(
                    f"Cannot reuse the {name!r} run with seed {run.seed}: it was trained "
                    f"differently ({detail})."
                )
            found[(name, run.seed)] = run
    return found


def progress_default() -> bool:
    """Whether training should show progress bars here: is someone watching?

    ``ACTTUTOR_PROGRESS_BAR=1`` or ``0`` decides outright. Otherwise progress is on
    in a notebook kernel opened from JupyterLab / Jupyter Notebook (which set
    ``JPY_SESSION_NAME``), VS Code or Colab, and in a terminal; it is off in
    notebooks executed in batch (the book build, nbmake), in tests and in
    scripts whose output goes to a file.

    Example:

    >>> import os
    >>> os.environ["ACTTUTOR_PROGRESS_BAR"] = "0"
    >>> progress_default()
    False
    >>> del os.environ["ACTTUTOR_PROGRESS_BAR"]

    Returns:
        ``True`` to show progress.
    """
    forced = os.environ.get(PROGRESS_ENV, "").strip().lower()
    if forced in {"1", "true", "yes", "on"}:
        return True
    if forced in {"0", "false", "no", "off"}:
        return False
    if "ipykernel" in sys.modules:
        return bool(
            os.environ.get("JPY_SESSION_NAME")
            or os.environ.get("VSCODE_PID")
            or "google.colab" in sys.modules
        )
    stream = getattr(sys, "stdout", None)
    return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())


# --------------------------------------------------------------------------- internals


def _learning_rate_of(model: keras.Model) -> float:
    """The optimizer's learning rate (``nan`` for a schedule or no optimizer)."""
    try:
        return float(model.optimizer.learning_rate)
    except (AttributeError, TypeError, ValueError):
        return float("nan")


def _activation_of(model: keras.Model) -> str:
    for layer in model.layers:
        fn = getattr(layer, "activation", None)
        if fn is not None and layer.name != "output":
            return callable_name(fn)
    return ""


def _name_activations(
    activations: Iterable[ActivationSpec] | Mapping[str, ActivationSpec],
) -> list[tuple[str, ActivationSpec]]:
    if isinstance(activations, (str, bytes)) or callable(activations):
        raise TypeError(
            "activations must be a list such as ['relu', 'tanh'] (or a dict name -> "
            f"activation), got the single {type(activations).__name__} {activations!r}."
        )
    if isinstance(activations, Mapping):
        pairs = []
        for key, act in activations.items():
            if not isinstance(key, str):
                raise TypeError(f"Names in the activations dict must be str, got {key!r}.")
            resolve_activation(act)
            pairs.append((key, act))
    else:
        try:
            items = list(activations)
        except TypeError:
            raise TypeError(
                "activations must be a list of names or functions, "
                f"got {type(activations).__name__}."
            ) from None
        pairs = []
        for act in items:
            name, _ = resolve_activation(act)
            pairs.append((act.strip() if isinstance(act, str) else name, act))
    if not pairs:
        raise ValueError("compare_activations needs at least one activation.")
    names = [name for name, _ in pairs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(
            f"Two activations share the name {duplicates[0]!r}. Pass a dict "
            "{'label': activation, ...} to give each its own name."
        )
    return pairs


def _warm_up(
    activation: ActivationSpec,
    data: Dataset,
    hidden: Sequence[int],
    dims: tuple[int, int],
    batch_size: int,
    strategy: tf.distribute.Strategy | None,
) -> None:
    """Train a throwaway model briefly so one-time start-up costs are paid untimed."""
    n = min(len(data.x_train), 2 * batch_size)
    if n < 4 * getattr(strategy, "num_replicas_in_sync", 1):
        return
    model = build_mlp(activation, hidden, *dims, seed=0, strategy=strategy)
    replicas = replica_count(model, strategy, batch_size)
    x = np.asarray(data.x_train[:n], dtype=np.float32)
    y = np.asarray(data.y_train[:n], dtype=np.float32)
    fit_and_evaluate(model, (x, y, x, y), epochs=2, batch_size=batch_size,
                      validation_split=0.5, replicas=replicas, verbose=0, callbacks=[])
