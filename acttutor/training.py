"""Models and training runs: build an MLP, train it, compare activations.

The chapter's experiment in three calls::

    data = load_mnist()
    model = build_mlp("relu")                 # 784 → 128 → 64 → 10, compiled
    result = train_and_evaluate(model, data)  # fit, then evaluate on the test split
    runs = compare_activations(["relu", "tanh"], data, seeds=(0, 1, 2))

A run's :class:`RunResult` keeps the per-epoch history, the test accuracy
and loss, and the wall time, so runs can be tabulated and plotted later
(see :mod:`acttutor.results` and :func:`acttutor.plots.runs.plot_histories`).

**Progress.** ``progress=None`` (the default) shows Keras's own progress bar
only when someone is watching: in a terminal, or in a notebook opened in
JupyterLab, Jupyter Notebook, VS Code or Colab. Notebooks executed in batch
(the book build, nbmake) stay silent. ``progress=True``/``False`` forces it,
and so does the environment variable ``ACTTUTOR_PROGRESS=1``/``0``.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np

from acttutor.data import Dataset

__all__ = [
    "PROGRESS_ENV",
    "RunResult",
    "build_mlp",
    "compare_activations",
    "progress_default",
    "train_and_evaluate",
]

#: Environment variable that forces progress bars on (``1``) or off (``0``).
PROGRESS_ENV = "ACTTUTOR_PROGRESS"

Activation = str | Callable[..., Any]
_REQUIRED_HISTORY = ("accuracy", "val_accuracy", "loss", "val_loss")


@dataclass
class RunResult:
    """The outcome of one training run.

    Build it from the four required keywords; the rest have defaults.

    Example:

    >>> r = RunResult(history={"accuracy": [0.8, 0.9], "val_accuracy": [0.85, 0.88],
    ...                        "loss": [0.6, 0.3], "val_loss": [0.5, 0.4]},
    ...               test_acc=0.87, test_loss=0.41, seconds=2.5)
    >>> r.epochs, r.epochs_to_reach(0.86)
    (2, 2)

    Args:
        history: Per-epoch lists, at least ``accuracy``, ``val_accuracy``,
            ``loss`` and ``val_loss``.
        test_acc: Accuracy on the test split, a fraction in [0, 1].
        test_loss: Loss on the test split.
        seconds: Wall time of ``fit`` plus ``evaluate``, in seconds.
        activation: Name of the hidden layers' activation.
        seed: The seed of the run (initial weights and shuffling), if known.
        epoch_seconds: Wall time of each epoch (training plus validation).
        settings: How the run was trained (``epochs``, ``batch_size``,
            ``validation_split``, ``n_train``, ``data_source`` and the layer
            ``units``), so runs can be reused safely.
        model: The trained model (not shown in the repr, not compared).
    """

    history: dict[str, list[float]]
    test_acc: float
    test_loss: float
    seconds: float
    activation: str = ""
    seed: int | None = None
    epoch_seconds: list[float] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    model: Any = field(default=None, repr=False, compare=False)

    @property
    def epochs(self) -> int:
        """Number of epochs in the history."""
        return len(self.history.get("loss", ()))

    def seconds_per_epoch(self, *, skip_first: bool = True, statistic: str = "min") -> float:
        """Wall time of one epoch: the fastest epoch (default) or the median.

        The first epoch also builds TensorFlow's graph for the model, so by
        default it is left out (when there is more than one epoch). The
        fastest of the remaining epochs is the one least disturbed by other
        work on the machine, the same reasoning as :mod:`timeit`'s best-of-N.

        Args:
            skip_first: Leave out the first epoch.
            statistic: ``"min"`` or ``"median"`` of the epoch times.

        Returns:
            Seconds, or ``nan`` when no epoch times were recorded.
        """
        if statistic not in ("min", "median"):
            raise ValueError(f"statistic must be 'min' or 'median', got {statistic!r}.")
        times = list(self.epoch_seconds)
        if skip_first and len(times) > 1:
            times = times[1:]
        if not times:
            return math.nan
        return float(np.min(times) if statistic == "min" else np.median(times))

    def epochs_to_reach(self, threshold: float, metric: str = "val_accuracy") -> int | None:
        """The first epoch (counting from 1) at which ``metric`` reaches ``threshold``.

        Args:
            threshold: The level to reach (``>=``).
            metric: A key of :attr:`history`.

        Returns:
            The epoch number, or ``None`` if it was never reached.
        """
        values = self._metric(metric)
        for epoch, value in enumerate(values, start=1):
            if value >= threshold:
                return epoch
        return None

    def seconds_to_reach(self, threshold: float, metric: str = "val_accuracy") -> float | None:
        """Wall time from the start of training until ``metric`` first reaches ``threshold``.

        Args:
            threshold: The level to reach (``>=``).
            metric: A key of :attr:`history`.

        Returns:
            Seconds (the sum of the epoch times up to that epoch), or ``None``
            if it was never reached or no epoch times were recorded.
        """
        epoch = self.epochs_to_reach(threshold, metric)
        if epoch is None or len(self.epoch_seconds) < epoch:
            return None
        return float(sum(self.epoch_seconds[:epoch]))

    def _metric(self, metric: str) -> list[float]:
        if metric not in self.history:
            known = ", ".join(sorted(self.history)) or "none"
            raise KeyError(f"This run's history has no {metric!r}; it has {known}.")
        return list(self.history[metric])


# --------------------------------------------------------------------------- models


def build_mlp(
    activation: Activation,
    hidden: Sequence[int] = (128, 64),
    input_dim: int = 784,
    num_classes: int = 10,
    *,
    seed: int = 0,
) -> keras.Model:
    """Build and compile a multilayer perceptron with one activation in every hidden layer.

    The layers are ``Dense(h, activation)`` for each ``h`` in ``hidden``, then
    ``Dense(num_classes, "softmax")``. Every kernel starts from Glorot-uniform
    values drawn from ``seed`` (biases start at 0), so the same seed gives the
    same initial weights. Compiled with Adam (learning rate 0.001),
    categorical cross-entropy and accuracy.

    Example:

    >>> model = build_mlp("relu", seed=0)
    >>> [layer.units for layer in model.layers]
    [128, 64, 10]

    Args:
        activation: A name from ``keras.activations`` (``"relu"``) or a callable
            such as ``tf.nn.relu`` or ``keras.layers.LeakyReLU(negative_slope=0.1)``.
        hidden: Units of each hidden layer.
        input_dim: Features per example (784 for flattened MNIST).
        num_classes: Output classes.
        seed: Seed of the initial weights.

    Returns:
        A compiled ``keras.Model`` with layers named ``hidden_1``, ``hidden_2``, ...,
        ``output``.
    """
    name, fn = _resolve_activation(activation)
    hidden = _check_hidden(hidden)
    input_dim = _positive_int("input_dim", input_dim)
    num_classes = _positive_int("num_classes", num_classes)
    if num_classes < 2:
        raise ValueError(f"num_classes must be at least 2, got {num_classes}.")
    seed = _seed(seed)
    layer_seeds = np.random.SeedSequence(seed).generate_state(len(hidden) + 1)
    layers: list[keras.layers.Layer] = [keras.Input(shape=(input_dim,), name="pixels")]
    for i, units in enumerate(hidden):
        layers.append(
            keras.layers.Dense(
                units,
                activation=fn,
                kernel_initializer=keras.initializers.GlorotUniform(seed=int(layer_seeds[i])),
                name=f"hidden_{i + 1}",
            )
        )
    layers.append(
        keras.layers.Dense(
            num_classes,
            activation="softmax",
            kernel_initializer=keras.initializers.GlorotUniform(seed=int(layer_seeds[-1])),
            name="output",
        )
    )
    model = keras.Sequential(layers, name=_model_name(name))
    _try_activation(model, name, input_dim, (*hidden, num_classes))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


# --------------------------------------------------------------------------- runs


def train_and_evaluate(
    model: keras.Model,
    data: Dataset,
    *,
    epochs: int = 5,
    batch_size: int = 128,
    validation_split: float = 0.1,
    progress: bool | None = None,
    seed: int | None = None,
) -> RunResult:
    """Fit a compiled model on ``data``'s training split, then evaluate it on the test split.

    Keras holds out the **last** ``validation_split`` of the training examples
    (before shuffling) for the per-epoch validation metrics.

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
        batch_size: Examples per gradient step.
        validation_split: Share of the training examples held out for validation, in (0, 1).
        progress: Show Keras's progress bar. ``None``: only when interactive
            (see :func:`progress_default`).
        seed: Seed Python, NumPy and TensorFlow (the shuffling) before fitting.
            ``None`` leaves the random state as it is.

    Returns:
        A :class:`RunResult`; ``seconds`` is the wall time of fit plus evaluate.
    """
    _check_model(model)
    x_train, y_train, x_test, y_test = _check_data(model, data)
    epochs = _positive_int("epochs", epochs)
    batch_size = _positive_int("batch_size", batch_size)
    _check_split(validation_split, len(x_train))
    show = progress_default() if progress is None else bool(progress)
    if seed is not None:
        keras.utils.set_random_seed(_seed(seed))
    timer = _EpochTimer()
    start = time.perf_counter()
    history = model.fit(
        x_train,
        y_train,
        batch_size=batch_size,
        epochs=epochs,
        validation_split=validation_split,
        verbose=1 if show else 0,
        callbacks=[timer],
    )
    scores = model.evaluate(x_test, y_test, batch_size=batch_size, verbose=0, return_dict=True)
    seconds = time.perf_counter() - start
    hist = {key: [float(v) for v in values] for key, values in history.history.items()}
    return RunResult(
        history=hist,
        test_acc=float(scores[_accuracy_key(scores)]),
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
        },
        model=model,
    )


def compare_activations(
    activations: Iterable[Activation] | Mapping[str, Activation],
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
) -> dict[str, list[RunResult]]:
    """Train the same MLP once per activation and seed, and collect the results.

    Each run is ``build_mlp(activation, hidden, seed=seed)`` followed by
    ``train_and_evaluate(..., seed=seed)``, so a run depends only on its
    activation and seed, never on which runs came before. Runs go seed by
    seed (every activation with seed 0, then seed 1, ...) so that a slow-down
    of the machine part-way through hits every activation alike.

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

    Returns:
        ``{name: [RunResult for each seed]}``, in the order given.
    """
    named = _name_activations(activations)
    seeds = _check_seeds(seeds)
    epochs = _positive_int("epochs", epochs)
    if not isinstance(data, Dataset):
        _check_data(None, data)  # raises the helpful message
    input_dim, num_classes = _data_dims(data)
    show = progress_default() if progress is None else bool(progress)
    _check_split(validation_split, len(data.x_train))
    wanted = {
        "epochs": epochs,
        "batch_size": _positive_int("batch_size", batch_size),
        "validation_split": float(validation_split),
        "n_train": len(data.x_train),
        "data_source": data.source,
        "units": [*_check_hidden(hidden), num_classes],
    }
    reused = _reusable(reuse, [name for name, _ in named], seeds, wanted)
    todo = len(named) * len(seeds) - len(reused)
    if warmup and todo:
        _warm_up(named[0][1], data, hidden, input_dim, num_classes, batch_size)
    results: dict[str, list[RunResult]] = {name: [] for name, _ in named}
    bar = keras.utils.Progbar(todo, unit_name="run") if show and todo else None
    done = 0
    for seed in seeds:
        for name, activation in named:
            if (name, seed) in reused:
                results[name].append(reused[(name, seed)])
                continue
            model = build_mlp(activation, hidden, input_dim, num_classes, seed=seed)
            result = train_and_evaluate(
                model,
                data,
                epochs=epochs,
                batch_size=batch_size,
                validation_split=validation_split,
                progress=False,
                seed=seed,
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

    ``ACTTUTOR_PROGRESS=1`` or ``0`` decides outright. Otherwise progress is on
    in a notebook kernel opened from JupyterLab / Jupyter Notebook (which set
    ``JPY_SESSION_NAME``), VS Code or Colab, and in a terminal; it is off in
    notebooks executed in batch (the book build, nbmake), in tests and in
    scripts whose output goes to a file.

    Example:

    >>> import os
    >>> os.environ["ACTTUTOR_PROGRESS"] = "0"
    >>> progress_default()
    False
    >>> del os.environ["ACTTUTOR_PROGRESS"]

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


class _EpochTimer(keras.callbacks.Callback):
    """Records the wall time of each epoch (training plus validation)."""

    def __init__(self) -> None:
        super().__init__()
        self.seconds: list[float] = []
        self._start = 0.0

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.seconds.append(time.perf_counter() - self._start)


def _known_activation_names() -> list[str]:
    skip = {"serialize", "deserialize", "get"}
    return sorted(
        n for n in dir(keras.activations) if not n.startswith("_") and n not in skip
    )


def _resolve_activation(activation: Activation) -> tuple[str, Callable[..., Any]]:
    if isinstance(activation, str):
        name = activation.strip()
        known = _known_activation_names()
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(
                f"Unknown activation {activation!r}.{hint} Known names: {', '.join(known)}."
            )
        return name, keras.activations.get(name)
    if isinstance(activation, type):
        raise TypeError(
            f"Got the class {activation.__name__}; pass an instance such as "
            f"{activation.__name__}() or a function of one tensor."
        )
    if activation is None or activation is ...:
        raise TypeError("No activation given: pass a name such as 'relu' or a function.")
    if not callable(activation):
        raise TypeError(
            "activation must be a name such as 'relu' or a function of one tensor, "
            f"got {type(activation).__name__}."
        )
    return _callable_name(activation), activation


def _try_activation(
    model: keras.Model, name: str, input_dim: int, units: Sequence[int]
) -> None:
    """Run two examples through the layers so a broken activation fails here, clearly."""
    out = np.full((2, input_dim), 0.5, dtype=np.float32)
    for layer, width in zip(model.layers, units, strict=True):
        try:
            out = layer(out)
        except Exception as exc:  # the learner's activation raised
            raise ValueError(
                f"The activation {name!r} failed inside layer {layer.name!r} "
                f"({type(exc).__name__}: {_first_line(exc)}). It must take one tensor and "
                "return a tensor of the same shape, using TensorFlow or keras.ops functions."
            ) from None
        shape = tuple(getattr(out, "shape", ()))
        if shape != (2, width):
            raise ValueError(
                f"The activation {name!r} changed the shape of layer {layer.name!r}: a batch "
                f"of 2 should give (2, {width}), got {shape}. An activation must work "
                "element by element and keep the shape."
            )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else ""
    return line if len(line) <= 200 else line[:197] + "..."


def _callable_name(fn: Callable[..., Any]) -> str:
    name = getattr(fn, "__name__", None)
    if isinstance(name, str) and name:
        return name
    return getattr(fn, "name", None) or type(fn).__name__


def _model_name(activation_name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", activation_name).strip("_") or "custom"
    return f"mlp_{cleaned}"


def _activation_of(model: keras.Model) -> str:
    for layer in model.layers:
        fn = getattr(layer, "activation", None)
        if fn is not None and layer.name != "output":
            return _callable_name(fn)
    return ""


def _name_activations(
    activations: Iterable[Activation] | Mapping[str, Activation],
) -> list[tuple[str, Activation]]:
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
            _resolve_activation(act)
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
            name, _ = _resolve_activation(act)
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


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}.")
    return int(value)


def _seed(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"seed must be a non-negative int, got {value!r}.")
    return int(value)


def _check_seeds(seeds: Sequence[int]) -> list[int]:
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        raise TypeError(f"seeds must be a sequence such as (0, 1, 2), got the int {seeds}.")
    out = [_seed(s) for s in seeds]
    if not out:
        raise ValueError("seeds must hold at least one seed, e.g. seeds=(0,).")
    if len(set(out)) != len(out):
        raise ValueError(f"seeds repeat a value: {tuple(out)}; each run needs its own seed.")
    return out


def _check_hidden(hidden: Sequence[int]) -> tuple[int, ...]:
    if isinstance(hidden, (int, np.integer)) and not isinstance(hidden, bool):
        raise TypeError(
            f"hidden must be a sequence of layer sizes such as (128, 64), got {hidden}."
        )
    try:
        sizes = tuple(hidden)
    except TypeError:
        raise TypeError(
            f"hidden must be a sequence of layer sizes such as (128, 64), got {hidden!r}."
        ) from None
    return tuple(_positive_int("each hidden layer size", h) for h in sizes)


def _check_split(split: Any, n: int) -> None:
    if isinstance(split, bool) or not isinstance(split, (int, float, np.floating)):
        raise ValueError(f"validation_split must be a number in (0, 1), got {split!r}.")
    if not 0.0 < float(split) < 1.0:
        raise ValueError(
            f"validation_split must lie strictly between 0 and 1, got {split!r}: the "
            "validation curves need held-out examples."
        )
    n_val = int(n * float(split))
    if n_val < 1 or n - n_val < 1:
        raise ValueError(
            f"validation_split={split} of {n} training examples leaves no examples for "
            "training or for validation; use more data or another split."
        )


def _check_model(model: Any) -> None:
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"model must be a keras.Model (e.g. from build_mlp), got {type(model).__name__}."
        )
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        raise ValueError(
            "The model is not compiled: call model.compile(optimizer='adam', "
            "loss='categorical_crossentropy', metrics=['accuracy']) first."
        )


def _data_dims(data: Dataset) -> tuple[int, int]:
    x, y = np.asarray(data.x_train), np.asarray(data.y_train)
    if x.ndim != 2:
        raise ValueError(
            f"data.x_train has shape {x.shape}; the MLP needs one row of features per "
            "example. Load with load_mnist(flatten=True)."
        )
    if y.ndim != 2:
        raise ValueError(
            f"data.y_train has shape {y.shape}; the MLP is trained with one-hot labels. "
            "Load with load_mnist(one_hot=True)."
        )
    return int(x.shape[1]), int(y.shape[1])


def _check_data(model: keras.Model | None, data: Any) -> tuple[np.ndarray, ...]:
    if not isinstance(data, Dataset):
        if isinstance(data, tuple):
            hint = (
                " It looks like the output of keras' load_data(); use acttutor.data.load_mnist(), "
                "or wrap your arrays as Dataset(x_train, y_train, x_test, y_test, source)."
            )
        else:
            hint = " Use acttutor.data.load_mnist() or build a Dataset from your arrays."
        raise TypeError(f"data must be an acttutor Dataset, got {type(data).__name__}.{hint}")
    arrays = []
    for key in ("x_train", "y_train", "x_test", "y_test"):
        value = getattr(data, key)
        try:
            arr = np.asarray(value, dtype=np.float32)
        except (TypeError, ValueError):
            raise TypeError(
                f"data.{key} must be a numeric array, got {type(value).__name__}."
            ) from None
        if arr.ndim == 0 or len(arr) == 0:
            raise ValueError(f"data.{key} holds no examples (shape {arr.shape}).")
        if not np.isfinite(arr).all():
            raise ValueError(f"data.{key} contains NaN or infinite values; clean them first.")
        arrays.append(arr)
    x_train, y_train, x_test, y_test = arrays
    for split, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
        if len(x) != len(y):
            raise ValueError(
                f"data.x_{split} has {len(x)} examples but data.y_{split} has {len(y)}."
            )
    if x_train.shape[1:] != x_test.shape[1:]:
        raise ValueError(
            f"data.x_train examples have shape {x_train.shape[1:]} but data.x_test "
            f"examples have {x_test.shape[1:]}."
        )
    if model is None:
        return tuple(arrays)
    expected = tuple(model.input_shape[1:])
    if tuple(x_train.shape[1:]) != expected:
        hint = ""
        if len(expected) == 1 and int(np.prod(x_train.shape[1:])) == expected[0]:
            hint = " Flatten the images: load_mnist(flatten=True)."
        elif len(expected) == 1 and x_train.ndim == 2:
            hint = f" Build the model with input_dim={x_train.shape[1]}."
        raise ValueError(
            f"The model expects examples of shape {expected}, but data.x_train has "
            f"examples of shape {tuple(x_train.shape[1:])}.{hint}"
        )
    units = model.output_shape[-1]
    loss = str(getattr(model, "loss", "") or "")
    if y_train.ndim == 1 and "sparse" not in loss:
        raise ValueError(
            f"data.y_train holds integer labels, shape {y_train.shape}, but the model is "
            "trained with one-hot labels. Load with load_mnist(one_hot=True)."
        )
    if y_train.ndim == 2 and y_train.shape[1] != units:
        raise ValueError(
            f"data.y_train has {y_train.shape[1]} columns (classes) but the model has "
            f"{units} outputs. Build it with num_classes={y_train.shape[1]}."
        )
    return tuple(arrays)


def _accuracy_key(scores: Mapping[str, Any]) -> str:
    for key in ("accuracy", "acc", "categorical_accuracy", "sparse_categorical_accuracy"):
        if key in scores:
            return key
    for key in scores:
        if key.endswith("accuracy"):
            return key
    raise ValueError(
        "The model reports no accuracy; compile it with metrics=['accuracy']. "
        f"It reports: {', '.join(scores)}."
    )


def _warm_up(
    activation: Activation,
    data: Dataset,
    hidden: Sequence[int],
    input_dim: int,
    num_classes: int,
    batch_size: int,
) -> None:
    """Train a throwaway model briefly so one-time start-up costs are paid untimed."""
    n = min(len(data.x_train), 2 * batch_size)
    if n < 4:
        return
    x = np.asarray(data.x_train[:n], dtype=np.float32)
    y = np.asarray(data.y_train[:n], dtype=np.float32)
    model = build_mlp(activation, hidden, input_dim, num_classes, seed=0)
    model.fit(x, y, batch_size=batch_size, epochs=2, validation_split=0.5, verbose=0)
    model.evaluate(x, y, batch_size=batch_size, verbose=0)
