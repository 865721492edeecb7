"""acttutor.about and the "About this build" page, which must state what really ran."""

from __future__ import annotations

import platform

import keras
import matplotlib
import numpy as np
import pytest
import tensorflow as tf

import acttutor
from acttutor.about import BuildInfo, build_info, devices, versions


def test_versions_are_those_of_the_running_libraries() -> None:
    found = versions()
    assert found["Python"] == platform.python_version()
    assert found["TensorFlow"] == tf.__version__
    assert found["Keras"] == keras.__version__
    assert found["NumPy"] == np.__version__
    assert found["matplotlib"] == matplotlib.__version__
    assert found["acttutor"] == acttutor.__version__


def test_devices_lists_what_tensorflow_sees() -> None:
    kinds = {d.device_type for d in tf.config.list_physical_devices()}
    listed = devices()
    assert "CPU" in listed
    assert {entry.split(" ")[0] for entry in listed} == kinds


def test_build_info_uses_the_given_source_and_shows_a_table() -> None:
    info = build_info(data_source="mnist.npz <b>")
    assert info.data_source == "mnist.npz <b>"
    rows = dict(info.rows())
    assert rows["MNIST data source"] == "mnist.npz <b>"
    assert rows["TensorFlow"] == tf.__version__
    html = info._repr_html_()
    assert "&lt;b&gt;" in html and "<b>" not in html  # escaped, not injected
    assert html.count("<tr>") == len(info.rows()) + 1  # + the header row
    assert "MNIST data source" in str(info)


def test_build_info_reports_what_load_mnist_loaded(tmp_path, monkeypatch) -> None:
    rng = np.random.default_rng(0)
    path = tmp_path / "tiny-mnist.npz"
    np.savez(path, x_train=rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
             y_train=np.arange(20) % 10, x_test=rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
             y_test=np.arange(10) % 10)
    monkeypatch.setenv("ACTTUTOR_MNIST_PATH", str(path))
    from acttutor import data

    data.clear_cache()
    try:
        assert "tiny-mnist.npz" in build_info().data_source
    finally:
        data.clear_cache()


def test_build_info_rejects_a_non_string_source() -> None:
    with pytest.raises(TypeError, match="data_source"):
        build_info(data_source=42)  # type: ignore[arg-type]


def test_rows_put_versions_first() -> None:
    info = BuildInfo({"Python": "3.x", "TensorFlow": "2.x"}, "src", ("CPU", "GPU x2"), "Linux",
                     "now", cpu_count=2)
    assert info.rows()[:2] == [("Python", "3.x"), ("TensorFlow", "2.x")]
    assert dict(info.rows())["Devices"] == "CPU, GPU x2 (2 CPU cores)"


def test_data_kind_says_whether_the_digits_are_mnist() -> None:
    def info(source: str) -> BuildInfo:
        return BuildInfo({"Python": "3"}, source, ("CPU",), "Linux", "now")

    assert info("mnist-10k.npz").data_kind == "real MNIST digits"
    stand_in = info("scikit-learn digits (offline stand-in, not MNIST)").data_kind
    assert stand_in.startswith("the offline stand-in") and "not MNIST" in stand_in
