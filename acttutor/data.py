"""Datasets for the course, offline-safe.

:func:`load_mnist` finds MNIST wherever it can, in a fixed order, and always
says what it loaded in :attr:`Dataset.source`:

1. the ``path=`` argument;
2. the ``ACTTUTOR_MNIST_PATH`` environment variable (a Keras-format ``mnist.npz``);
3. ``keras.datasets.mnist.load_data()`` (its cache, or a download);
4. if that raises (no network, say), an **offline stand-in** built from
   scikit-learn's bundled 8×8 digits, enlarged to 28×28. It announces itself
   with a printed note, so a reader never mistakes it for MNIST.

A file you name (argument or environment variable) is never skipped: when it
is missing you get ``FileNotFoundError``, when it is unreadable ``ValueError``,
each naming the file and what is wrong.

:func:`load_digits` gives the small 8×8 digits dataset itself (64 features),
and :func:`subset` takes a smaller slice of any :class:`Dataset`; both work
offline, which suits quick experiments and exercises.
"""

from __future__ import annotations

import os
import socket
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from acttutor import _checks

__all__ = [
    "DOWNLOAD_TIMEOUT_S",
    "ENV_VAR",
    "Dataset",
    "clear_cache",
    "load_digits",
    "load_mnist",
    "subset",
]

#: Environment variable naming a Keras-format ``mnist.npz``.
ENV_VAR = "ACTTUTOR_MNIST_PATH"

#: Seconds a stalled connection may block the MNIST download before we give up.
DOWNLOAD_TIMEOUT_S = 15.0

_KEYS = ("x_train", "y_train", "x_test", "y_test")
_NUM_CLASSES = 10

# Raw (uint8 / int) arrays and the source text, keyed by where they came from.
# Each call converts them afresh, so a caller that edits its arrays in place
# never changes what the next call returns.
_CACHE: dict[tuple, tuple[tuple[np.ndarray, ...], str]] = {}
_KERAS_FAILURE: list[str] = []  # why the download failed earlier in this process


@dataclass(frozen=True, repr=False)
class Dataset:
    """A train/test split of images and labels, and a note on where it came from.

    Example:

    >>> import numpy as np
    >>> d = Dataset(np.zeros((4, 784), "float32"), np.zeros((4, 10), "float32"),
    ...             np.zeros((2, 784), "float32"), np.zeros((2, 10), "float32"), "zeros")
    >>> d
    Dataset(source='zeros', x_train=(4, 784) float32, y_train=(4, 10) float32, \
x_test=(2, 784) float32, y_test=(2, 10) float32)

    Args:
        x_train: Training inputs, float32 in [0, 1].
        y_train: Training labels: one-hot float32 ``(n, classes)`` or integer ``(n,)``.
        x_test: Test inputs, like ``x_train``.
        y_test: Test labels, like ``y_train``.
        source: What was loaded, in words (a file name, ``keras mnist``, ...).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str

    def __repr__(self) -> str:
        parts = [f"source={self.source!r}"]
        for key in _KEYS:
            value = getattr(self, key)
            shape = getattr(value, "shape", None)
            dtype = getattr(value, "dtype", type(value).__name__)
            parts.append(f"{key}={shape if shape is not None else '?'} {dtype}")
        return f"Dataset({', '.join(parts)})"


# --------------------------------------------------------------------------- public


def load_mnist(
    *, flatten: bool = True, one_hot: bool = True, path: str | os.PathLike | None = None
) -> Dataset:
    """Load MNIST from a file, the Keras cache or download, or an offline stand-in.

    Pixels become float32 in [0, 1] (``x / 255``); labels become one-hot
    float32 rows, or integer class numbers with ``one_hot=False``. The raw
    arrays are cached in this process per source, so calling it again is fast.

    Example:

    >>> data = load_mnist()  # doctest: +SKIP
    >>> data.x_train.shape, data.y_train.shape  # doctest: +SKIP
    ((60000, 784), (60000, 10))
    >>> print(data.source)  # doctest: +SKIP
    keras mnist (60,000 train + 10,000 test images)

    Args:
        flatten: Give images as rows of 784 pixels (``True``) or as 28×28 arrays.
        one_hot: Give labels one-hot ``(n, 10)`` (``True``) or as integers ``(n,)``.
        path: A Keras-format ``mnist.npz`` to load. Overrides the
            ``ACTTUTOR_MNIST_PATH`` environment variable.

    Returns:
        A :class:`Dataset` whose ``source`` says what was loaded: the file name,
        ``keras mnist``, or ``offline stand-in ...``.

    Raises:
        FileNotFoundError: The given file does not exist.
        ValueError: The given file is not a readable ``.npz`` with the keys
            ``x_train``, ``y_train``, ``x_test`` and ``y_test`` holding images and labels.
    """
    for name, flag in (("flatten", flatten), ("one_hot", one_hot)):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"load_mnist({name}=...) must be True or False, got {flag!r}.")
    given, origin = _given_path(path)
    if given is not None:
        raw, source = _load_file(given, origin)
    else:
        raw, source = _load_keras_or_stand_in()
    return _finish(raw, source, flatten=bool(flatten), one_hot=bool(one_hot), side=28)


def load_digits(*, one_hot: bool = True, test_fraction: float = 0.2, seed: int = 0) -> Dataset:
    """Load scikit-learn's 8×8 handwritten digits (1,797 images), bundled and offline.

    Pixels become float32 in [0, 1] (the raw values run 0–16), flattened to 64
    features; build a matching model with ``build_mlp(..., input_dim=64)``.

    Example:

    >>> data = load_digits()
    >>> data.x_train.shape, data.x_test.shape
    ((1438, 64), (359, 64))

    Args:
        one_hot: Give labels one-hot ``(n, 10)`` or as integers ``(n,)``.
        test_fraction: Share of the images held out for testing, in (0, 1).
        seed: Seed of the shuffle that splits train from test.

    Returns:
        A :class:`Dataset` with source ``"scikit-learn digits (8x8)"``.
    """
    test_fraction = _checks.fraction("test_fraction", test_fraction, caller="load_digits")
    seed = _checks.seed(seed, caller="load_digits")
    x, y = _sklearn_digits()
    raw = _split(x, y, test_fraction, seed)
    n_train, n_test = len(raw[0]), len(raw[2])
    source = f"scikit-learn digits (8x8): {n_train:,} train + {n_test:,} test images"
    return _finish(raw, source, flatten=True, one_hot=one_hot, side=8, scale=16.0)


def subset(data: Dataset, n_train: int | None = None, n_test: int | None = None) -> Dataset:
    """Keep the first ``n_train`` training and ``n_test`` test examples of a dataset.

    Handy for a quick experiment: fewer examples train faster. Asking for more
    examples than there are keeps them all (the small offline stand-in has fewer
    than MNIST), and the ``source`` records the cut and any shortfall.

    Example:

    >>> small = subset(load_digits(), n_train=200, n_test=100)
    >>> small.x_train.shape
    (200, 64)

    Args:
        data: The dataset to cut.
        n_train: How many training examples to keep (``None``: all).
        n_test: How many test examples to keep (``None``: all).

    Returns:
        A new :class:`Dataset`.
    """
    if not isinstance(data, Dataset):
        raise TypeError(f"subset needs a Dataset (from load_mnist), got {type(data).__name__}.")
    counts: dict[str, int] = {}
    capped: list[str] = []
    for name, n, available in (
        ("n_train", n_train, len(data.x_train)),
        ("n_test", n_test, len(data.x_test)),
    ):
        if n is None:
            counts[name] = available
            continue
        n = _checks.positive_int(name, n, caller="subset", what="or None for all")
        counts[name] = min(n, available)
        if n > available:
            capped.append(f"{name}={n:,} asked, only {available:,} available")
    a, b = counts["n_train"], counts["n_test"]
    note = f" ({'; '.join(capped)})" if capped else ""
    return Dataset(
        data.x_train[:a].copy(),
        data.y_train[:a].copy(),
        data.x_test[:b].copy(),
        data.y_test[:b].copy(),
        f"{data.source}; subset: first {a:,} train + {b:,} test{note}",
    )


def clear_cache() -> None:
    """Forget every dataset loaded in this process (and any failed download).

    Example:

    >>> clear_cache()

    Returns:
        None.
    """
    _CACHE.clear()
    _KERAS_FAILURE.clear()


# --------------------------------------------------------------------------- sources


def _given_path(path: str | os.PathLike | None) -> tuple[Path | None, str]:
    """The file the caller named, and how (argument or environment variable)."""
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(
                "load_mnist(path=...) must be a file path (str or Path), "
                f"got {type(path).__name__}."
            )
        text = os.fspath(path)
        if not str(text).strip():
            raise ValueError("load_mnist(path=...) is an empty string; give the path of an .npz.")
        return Path(os.path.expandvars(str(text))).expanduser(), "path argument"
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(os.path.expandvars(env)).expanduser(), f"{ENV_VAR} environment variable"
    return None, ""


def _load_file(file: Path, origin: str) -> tuple[tuple[np.ndarray, ...], str]:
    """Read and check a Keras-format npz; errors name the file and the problem."""
    where = f"{file} (from the {origin})"
    if not file.exists():
        raise FileNotFoundError(
            f"MNIST file not found: {where}. Check the path, or unset it to let "
            "load_mnist download MNIST or fall back to its offline stand-in."
        )
    if file.is_dir():
        hint = file / "mnist.npz"
        extra = f" Did you mean {hint}?" if hint.exists() else ""
        raise ValueError(f"{where} is a folder, not an .npz file.{extra}")
    stat = file.stat()
    key = ("file", str(file.resolve()), stat.st_mtime_ns, stat.st_size)
    if key in _CACHE:
        return _CACHE[key]
    arrays = _read_npz(file, where)
    _check_images_labels(arrays, where)
    n_train, n_test = len(arrays[0]), len(arrays[2])
    source = f"{file.name}: {n_train:,} train + {n_test:,} test images"
    _CACHE[key] = (arrays, source)
    return arrays, source


def _read_npz(file: Path, where: str) -> tuple[np.ndarray, ...]:
    if not zipfile.is_zipfile(file):
        raise ValueError(
            f"{where} is not an .npz archive (it is not a zip file); it may be corrupt or "
            "a different format. Give a Keras-format mnist.npz."
        )
    try:
        with np.load(file, allow_pickle=False) as npz:
            missing = [k for k in _KEYS if k not in npz.files]
            if missing:
                raise ValueError(
                    f"{where} lacks the key(s) {', '.join(missing)}; it holds "
                    f"{', '.join(npz.files) or 'nothing'}. A Keras-format mnist.npz holds "
                    f"{', '.join(_KEYS)}."
                )
            return tuple(npz[k] for k in _KEYS)
    except ValueError as exc:
        if str(exc).startswith(where):
            raise
        raise ValueError(f"{where} could not be read as an .npz: {exc}") from None
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, OSError ...
        raise ValueError(
            f"{where} is corrupt or truncated ({type(exc).__name__}: {exc}). "
            "Replace it with a good copy."
        ) from None


def _check_images_labels(arrays: tuple[np.ndarray, ...], where: str) -> None:
    for split, x, y in (("train", arrays[0], arrays[1]), ("test", arrays[2], arrays[3])):
        if x.ndim not in (2, 3) or x.shape[1:] not in ((28, 28), (784,)):
            raise ValueError(
                f"{where}: x_{split} has shape {x.shape}; expected (n, 28, 28) images."
            )
        if not (np.issubdtype(x.dtype, np.integer) or np.issubdtype(x.dtype, np.floating)):
            raise ValueError(f"{where}: x_{split} has dtype {x.dtype}; expected uint8 pixels.")
        if x.size and np.issubdtype(x.dtype, np.floating) and not np.isfinite(x).all():
            raise ValueError(f"{where}: x_{split} contains NaN or infinite pixels.")
        if x.size and (x.min() < 0 or x.max() > 255):
            raise ValueError(
                f"{where}: x_{split} has pixels outside 0..255 "
                f"(min {x.min()}, max {x.max()})."
            )
        if y.ndim != 1 or len(y) != len(x):
            raise ValueError(
                f"{where}: y_{split} has shape {y.shape}; expected ({len(x)},) "
                f"integer labels, one per image in x_{split}."
            )
        if not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"{where}: y_{split} has dtype {y.dtype}; expected integer labels.")
        if y.size and (y.min() < 0 or y.max() >= _NUM_CLASSES):
            raise ValueError(
                f"{where}: y_{split} has labels outside 0..9 (min {y.min()}, max {y.max()})."
            )
        if len(x) == 0:
            raise ValueError(f"{where}: x_{split} holds no images.")


def _load_keras_or_stand_in() -> tuple[tuple[np.ndarray, ...], str]:
    if ("keras",) in _CACHE:
        return _CACHE[("keras",)]
    repeat = bool(_KERAS_FAILURE)
    if not repeat:
        try:
            arrays = _keras_mnist()
        except Exception as exc:  # no network, a broken cache, a proxy error ...
            _KERAS_FAILURE.append(f"{type(exc).__name__}: {exc}")
        else:
            source = f"keras mnist: {len(arrays[0]):,} train + {len(arrays[2]):,} test images"
            _CACHE[("keras",)] = (arrays, source)
            return arrays, source
    arrays, source = _stand_in()
    _announce_stand_in(source, _KERAS_FAILURE[0], repeat=repeat)
    return arrays, source


def _keras_mnist() -> tuple[np.ndarray, ...]:
    """``keras.datasets.mnist.load_data()`` with a bounded wait on a stalled network."""
    import keras

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)
    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    finally:
        socket.setdefaulttimeout(previous)
    return x_train, y_train, x_test, y_test


def _stand_in() -> tuple[tuple[np.ndarray, ...], str]:
    if ("stand-in",) in _CACHE:
        return _CACHE[("stand-in",)]
    x, y = _sklearn_digits()
    # 8×8 → 20×20 (bilinear), centred in 28×28 like MNIST's 20×20 digit boxes.
    w = _linear_resize_matrix(8, 20)
    big = np.einsum("ri,nij,cj->nrc", w, x.reshape(-1, 8, 8), w)
    big = np.clip(big, 0.0, 16.0)
    images = np.zeros((len(x), 28, 28), dtype=np.uint8)
    images[:, 4:24, 4:24] = np.rint(big * (255.0 / 16.0)).astype(np.uint8)
    arrays = _split(images, y, 0.2, seed=0)
    source = (
        "offline stand-in: scikit-learn digits (8x8 enlarged to 28x28), "
        f"{len(arrays[0]):,} train + {len(arrays[2]):,} test images, NOT MNIST"
    )
    _CACHE[("stand-in",)] = (arrays, source)
    return arrays, source


def _announce_stand_in(source: str, reason: str, *, repeat: bool = False) -> None:
    reason = reason if len(reason) <= 160 else reason[:157] + "..."
    when = "earlier in this session " if repeat else ""
    print(
        "NOTE: MNIST could not be loaded, so load_mnist() is using an OFFLINE STAND-IN.\n"
        f"  why: keras.datasets.mnist.load_data() failed {when}({reason})\n"
        f"  using: {source}\n"
        "  Results will differ from real MNIST. To use real digits, connect to the internet,\n"
        f"  or set {ENV_VAR} (or pass path=) to a Keras-format mnist.npz."
    )


# --------------------------------------------------------------------------- helpers


def _sklearn_digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits as sk_load_digits

    bunch = sk_load_digits()
    return bunch.data.astype(np.float32), bunch.target.astype(np.int64)


def _linear_resize_matrix(n_in: int, n_out: int) -> np.ndarray:
    """``(n_out, n_in)`` weights of 1-D linear interpolation, corners mapped to corners."""
    pos = np.linspace(0.0, n_in - 1.0, n_out)
    low = np.minimum(np.floor(pos).astype(int), n_in - 2)
    frac = pos - low
    w = np.zeros((n_out, n_in), dtype=np.float32)
    w[np.arange(n_out), low] = 1.0 - frac
    w[np.arange(n_out), low + 1] += frac
    return w


def _split(
    x: np.ndarray, y: np.ndarray, test_fraction: float, seed: int
) -> tuple[np.ndarray, ...]:
    order = np.random.default_rng(seed).permutation(len(x))
    n_test = max(1, round(len(x) * test_fraction))
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]


def _finish(
    raw: tuple[np.ndarray, ...],
    source: str,
    *,
    flatten: bool,
    one_hot: bool,
    side: int,
    scale: float | None = None,
) -> Dataset:
    x_train, y_train, x_test, y_test = raw
    return Dataset(
        _pixels(x_train, flatten, side, scale),
        _labels(y_train, one_hot),
        _pixels(x_test, flatten, side, scale),
        _labels(y_test, one_hot),
        source,
    )


def _pixels(x: np.ndarray, flatten: bool, side: int, scale: float | None) -> np.ndarray:
    if scale is None:
        scale = 1.0 if np.issubdtype(x.dtype, np.floating) and x.size and x.max() <= 1.0 else 255.0
    out = np.asarray(x, dtype=np.float32) / np.float32(scale)
    return out.reshape(len(x), side * side) if flatten else out.reshape(len(x), side, side)


def _labels(y: np.ndarray, one_hot: bool) -> np.ndarray:
    y = np.asarray(y).astype(np.int64)
    if not one_hot:
        return y
    out = np.zeros((len(y), _NUM_CLASSES), dtype=np.float32)
    out[np.arange(len(y)), y] = 1.0
    return out

