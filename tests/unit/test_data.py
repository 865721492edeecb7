"""Every branch of acttutor.data.load_mnist, plus load_digits and subset."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest
from nbutils import ROOT

from acttutor import data as data_mod
from acttutor.data import ENV_VAR, Dataset, clear_cache, load_digits, load_mnist, subset

SHARED = ROOT.parent / "shared" / "data" / "mnist-10k.npz"


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    """Each test starts with no cache and no environment override."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    clear_cache()
    yield
    clear_cache()


def write_mnist(path: Path, n_train: int = 30, n_test: int = 10, **overrides) -> Path:
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, size=(n_train, 28, 28), dtype=np.uint8),
        "y_train": (np.arange(n_train) % 10).astype(np.uint8),
        "x_test": rng.integers(0, 256, size=(n_test, 28, 28), dtype=np.uint8),
        "y_test": ((np.arange(n_test) + 3) % 10).astype(np.uint8),
    }
    for key, value in overrides.items():
        if value is None:
            arrays.pop(key)
        else:
            arrays[key] = value
    np.savez(path, **arrays)
    return path


@pytest.fixture
def no_network(monkeypatch):
    """Simulate a machine without network: the Keras download raises."""
    import keras

    calls = []

    def fail():
        calls.append(1)
        raise Exception("URL fetch failure on https://example.invalid/mnist.npz: no network")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", fail)
    return calls


# ---------------------------------------------------------------- a given file


def test_path_argument_loads_and_converts(tmp_path):
    file = write_mnist(tmp_path / "my-mnist.npz")
    d = load_mnist(path=file)
    assert isinstance(d, Dataset)
    assert d.x_train.shape == (30, 784) and d.x_test.shape == (10, 784)
    assert d.x_train.dtype == np.float32 and d.y_train.dtype == np.float32
    assert d.y_train.shape == (30, 10) and d.y_test.shape == (10, 10)
    assert 0.0 <= d.x_train.min() and d.x_train.max() <= 1.0
    raw = np.load(file)
    np.testing.assert_allclose(d.x_train[3], raw["x_train"][3].reshape(-1) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(d.y_train.argmax(axis=1), raw["y_train"])
    np.testing.assert_array_equal(d.y_train.sum(axis=1), 1.0)
    assert "my-mnist.npz" in d.source
    assert "30 train" in d.source and "10 test" in d.source


def test_flatten_false_and_integer_labels(tmp_path):
    file = write_mnist(tmp_path / "m.npz")
    d = load_mnist(path=str(file), flatten=False, one_hot=False)
    assert d.x_train.shape == (30, 28, 28) and d.x_train.dtype == np.float32
    assert d.y_train.shape == (30,) and np.issubdtype(d.y_train.dtype, np.integer)
    np.testing.assert_array_equal(d.y_test, (np.arange(10) + 3) % 10)


def test_env_var_is_used(tmp_path, monkeypatch, no_network):
    file = write_mnist(tmp_path / "from-env.npz", n_train=20)
    monkeypatch.setenv(ENV_VAR, str(file))
    d = load_mnist()
    assert "from-env.npz" in d.source and d.x_train.shape == (20, 784)
    assert not no_network  # the download was never attempted


def test_path_argument_beats_env_var(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(write_mnist(tmp_path / "env.npz", n_train=20)))
    d = load_mnist(path=write_mnist(tmp_path / "arg.npz", n_train=40))
    assert "arg.npz" in d.source and len(d.x_train) == 40


def test_missing_file_raises_file_not_found_naming_it(tmp_path, no_network):
    missing = tmp_path / "nope.npz"
    with pytest.raises(FileNotFoundError, match="nope.npz"):
        load_mnist(path=missing)
    assert not no_network  # never falls through to the download


def test_missing_env_file_raises_and_says_where_it_came_from(tmp_path, monkeypatch, no_network):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "gone.npz"))
    with pytest.raises(FileNotFoundError, match=r"gone\.npz.*ACTTUTOR_MNIST_PATH"):
        load_mnist()
    assert not no_network


def test_not_an_npz_raises_value_error(tmp_path, no_network):
    bad = tmp_path / "notes.npz"
    bad.write_text("this is not a zip archive")
    with pytest.raises(ValueError, match=r"notes\.npz.*not an \.npz"):
        load_mnist(path=bad)
    assert not no_network


def test_single_npy_file_is_rejected(tmp_path):
    npy = tmp_path / "array.npy"
    np.save(npy, np.zeros(3))
    with pytest.raises(ValueError, match=r"array\.npy.*not an \.npz"):
        load_mnist(path=npy)


def test_truncated_npz_raises_value_error(tmp_path):
    good = write_mnist(tmp_path / "good.npz")
    broken = tmp_path / "broken.npz"
    blob = good.read_bytes()
    broken.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(ValueError, match="broken.npz"):
        load_mnist(path=broken)


def test_corrupt_member_raises_value_error(tmp_path):
    good = write_mnist(tmp_path / "good.npz")
    blob = bytearray(good.read_bytes())
    # Overwrite bytes inside the first member's data, keeping the zip directory intact.
    blob[200:260] = b"\xff" * 60
    corrupt = tmp_path / "corrupt.npz"
    corrupt.write_bytes(bytes(blob))
    with pytest.raises(ValueError, match="corrupt.npz"):
        load_mnist(path=corrupt)


def test_missing_key_raises_value_error_naming_key(tmp_path, no_network):
    file = write_mnist(tmp_path / "partial.npz", y_test=None)
    with pytest.raises(ValueError, match=r"partial\.npz.*y_test"):
        load_mnist(path=file)
    assert not no_network


def test_pickled_object_array_is_refused(tmp_path):
    file = write_mnist(tmp_path / "pickled.npz", y_train=np.array([{"a": 1}] * 30, dtype=object))
    with pytest.raises(ValueError, match="pickled.npz"):
        load_mnist(path=file)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"x_train": np.zeros((30, 10), np.uint8)}, "x_train has shape"),
        ({"y_train": np.zeros(29, np.uint8)}, "y_train has shape"),
        ({"y_test": np.full(10, 12, np.uint8)}, "labels outside 0..9"),
        ({"y_test": np.zeros(10, np.float32)}, "integer labels"),
        ({"x_test": np.full((10, 28, 28), np.nan, np.float32)}, "NaN"),
        ({"x_test": np.full((10, 28, 28), 300, np.int32)}, "outside 0..255"),
    ],
)
def test_wrong_contents_raise_value_error(tmp_path, override, message):
    file = write_mnist(tmp_path / "odd.npz", **override)
    with pytest.raises(ValueError, match=message) as info:
        load_mnist(path=file)
    assert "odd.npz" in str(info.value)


def test_folder_is_not_a_file(tmp_path):
    write_mnist(tmp_path / "mnist.npz")
    with pytest.raises(ValueError, match=r"folder.*Did you mean .*mnist\.npz"):
        load_mnist(path=tmp_path)


def test_wrong_argument_types():
    with pytest.raises(TypeError, match="path"):
        load_mnist(path=123)
    with pytest.raises(TypeError, match="flatten"):
        load_mnist(flatten="yes")
    with pytest.raises(ValueError, match="empty"):
        load_mnist(path="")


def test_file_is_cached_but_arrays_are_fresh(tmp_path, monkeypatch):
    file = write_mnist(tmp_path / "c.npz")
    first = load_mnist(path=file)
    first.x_train[:] = 7.0  # a caller editing its arrays in place ...
    calls = []
    monkeypatch.setattr(data_mod, "_read_npz", lambda *a: calls.append(a))
    second = load_mnist(path=file)
    assert not calls  # ... the second call did not read the file again
    assert second.x_train.max() <= 1.0  # ... and does not see the edit


def test_changed_file_is_reloaded(tmp_path):
    file = write_mnist(tmp_path / "c.npz", n_train=30)
    assert len(load_mnist(path=file).x_train) == 30
    os.remove(file)
    write_mnist(file, n_train=50)
    os.utime(file, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert len(load_mnist(path=file).x_train) == 50


# ---------------------------------------------------------------- keras and the stand-in


def test_keras_download_is_used_when_it_works(monkeypatch):
    import keras

    rng = np.random.default_rng(1)
    fake = (
        (rng.integers(0, 256, (12, 28, 28), dtype=np.uint8), np.arange(12) % 10),
        (rng.integers(0, 256, (4, 28, 28), dtype=np.uint8), np.arange(4)),
    )
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: fake)
    d = load_mnist()
    assert d.source.startswith("keras mnist")
    assert d.x_train.shape == (12, 784)
    np.testing.assert_array_equal(d.y_test.argmax(axis=1), np.arange(4))


def test_offline_fallback_is_announced_and_labelled(no_network, capsys):
    start = time.perf_counter()
    d = load_mnist()
    elapsed = time.perf_counter() - start
    out = capsys.readouterr().out
    assert "offline stand-in" in d.source
    assert "OFFLINE STAND-IN" in out and "no network" in out and ENV_VAR in out
    assert no_network == [1]
    assert d.x_train.shape[1] == 784 and d.y_train.shape[1] == 10
    assert d.x_train.dtype == np.float32 and 0.0 <= d.x_train.min() <= d.x_train.max() <= 1.0
    assert len(d.x_train) > 1000 and len(d.x_test) > 300
    assert set(d.y_train.argmax(axis=1)) == set(range(10))
    # Digits sit in the centre like MNIST's: the 4-pixel border is empty.
    images = d.x_train.reshape(-1, 28, 28)
    assert images[:, :4, :].max() == 0.0 and images[:, 24:, :].max() == 0.0
    assert images[:, 4:24, 4:24].max() > 0.9
    assert elapsed < 30  # a sanity bound on a simulated failure, not a speed claim


def test_offline_fallback_twice_announces_again_without_retrying(no_network, capsys):
    load_mnist()
    capsys.readouterr()
    d = load_mnist(flatten=False, one_hot=False)
    out = capsys.readouterr().out
    assert "OFFLINE STAND-IN" in out and "earlier in this session" in out
    assert no_network == [1]
    assert d.x_train.shape[1:] == (28, 28) and d.y_train.ndim == 1


def test_fallback_bounds_socket_timeout_and_restores_it(monkeypatch):
    import socket

    import keras

    seen = []

    def fake():
        seen.append(socket.getdefaulttimeout())
        raise OSError("network unreachable")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", fake)
    before = socket.getdefaulttimeout()
    load_mnist()
    assert seen == [data_mod.DOWNLOAD_TIMEOUT_S]
    assert socket.getdefaulttimeout() == before


def test_clear_cache_retries_the_download(no_network):
    load_mnist()
    clear_cache()
    load_mnist()
    assert no_network == [1, 1]


# ---------------------------------------------------------------- the shared 10k file


@pytest.mark.skipif(not SHARED.exists(), reason="shared/data/mnist-10k.npz is not on this machine")
def test_shared_mnist_10k_file():
    d = load_mnist(path=SHARED)
    assert "mnist-10k.npz" in d.source
    assert d.x_train.shape == (8000, 784) and d.x_test.shape == (2000, 784)
    labels = np.concatenate([d.y_train.argmax(1), d.y_test.argmax(1)])
    # The checks its README gives.
    np.testing.assert_array_equal(
        np.bincount(labels), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    )
    np.testing.assert_array_equal(labels[:10], [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])


# ---------------------------------------------------------------- digits and subset


def test_load_digits():
    d = load_digits()
    assert d.x_train.shape == (1438, 64) and d.x_test.shape == (359, 64)
    assert d.x_train.max() == 1.0 and d.x_train.min() == 0.0
    assert "digits" in d.source
    ints = load_digits(one_hot=False, test_fraction=0.5)
    assert ints.y_train.ndim == 1 and abs(len(ints.x_train) - len(ints.x_test)) <= 1
    with pytest.raises(ValueError, match="test_fraction"):
        load_digits(test_fraction=1.0)


def test_subset():
    d = load_digits()
    s = subset(d, n_train=100, n_test=20)
    assert s.x_train.shape == (100, 64) and s.y_test.shape == (20, 10)
    np.testing.assert_array_equal(s.x_train, d.x_train[:100])
    assert "subset" in s.source and d.source in s.source
    assert subset(d, n_test=5).x_train.shape == d.x_train.shape
    capped = subset(d, n_train=10_000)
    assert len(capped.x_train) == len(d.x_train)
    assert f"n_train=10,000 asked, only {len(d.x_train):,} available" in capped.source
    with pytest.raises(ValueError, match="n_test"):
        subset(d, n_test=0)
    with pytest.raises(TypeError, match="Dataset"):
        subset((d.x_train, d.y_train), n_train=3)


def test_dataset_is_frozen_and_has_short_repr():
    d = load_digits()
    with pytest.raises(AttributeError):
        d.source = "other"
    text = repr(d)
    assert "(1438, 64) float32" in text and len(text) < 400


def test_bad_counts_seeds_and_fractions_get_clear_messages():
    d = load_digits()
    with pytest.raises(ValueError, match=r"subset: n_train must be a positive int \(or None"):
        subset(d, n_train=2.5)
    with pytest.raises(ValueError, match="load_digits: seed must be a non-negative int"):
        load_digits(seed=-1)
    with pytest.raises(ValueError, match="load_digits: test_fraction must be a number in"):
        load_digits(test_fraction="half")
