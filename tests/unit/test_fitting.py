"""acttutor._fitting: Keras's validation split, batches per replica and the data checks."""

from __future__ import annotations

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
from toys import CLASSES, FEATURES, small, tiny

from acttutor import _fitting
from acttutor.data import Dataset


@pytest.mark.parametrize(("n", "batch", "replicas", "expected"), [
    (103, 128, 1, 128),  # one device: the batch size as given
    (103, 128, 2, 102),  # one odd batch: 102 now, the last example in a batch of its own
    (81, 128, 4, 80),
    (9, 8, 2, 8),  # more than one batch: the first is a full, even batch already
    (500, 64, 2, 64),
    (2, 128, 2, 2),
])
def test_even_batch_makes_the_first_batch_divide_over_the_replicas(n, batch, replicas, expected):
    size = _fitting.even_batch(n, batch, replicas, "test")
    assert size == expected
    assert min(size, n) % replicas == 0
    assert math.ceil(n / size) * size >= n  # every example is still in some batch


def test_even_batch_needs_an_example_per_replica():
    with pytest.raises(ValueError, match="The validation split has 1 example.*2 replicas"):
        _fitting.even_batch(1, 128, 2, "validation")


def test_replica_count_of_a_plain_model_is_one():
    assert _fitting.replica_count(small(), None, 15) == 1
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    with strategy.scope():
        inside = small()
    assert _fitting.replica_count(inside, strategy, 15) == 1
    with pytest.raises(ValueError, match="not built in this strategy's scope"):
        _fitting.replica_count(small(), strategy, 16)
    with pytest.raises(TypeError, match="tf.distribute.Strategy"):
        _fitting.replica_count(small(), object(), 16)


def test_fit_and_evaluate_holds_out_the_last_examples_as_keras_does():
    """The split done here is exactly Keras's validation_split: the same run, number for number."""
    data = tiny(n_train=91)  # 91 * 0.9 = 81.9: Keras keeps the first 81 for fitting
    arrays = _fitting.check_data(None, data)
    first, second = small(seed=1), small(seed=1)
    keras.utils.set_random_seed(0)
    ours, scores = _fitting.fit_and_evaluate(
        first, arrays, epochs=2, batch_size=16, validation_split=0.1, replicas=1, verbose=0,
        callbacks=[])
    keras.utils.set_random_seed(0)
    keras_own = second.fit(arrays[0], arrays[1], batch_size=16, epochs=2,
                           validation_split=0.1, verbose=0).history
    assert ours == {key: [float(v) for v in values] for key, values in keras_own.items()}
    expected = second.evaluate(arrays[2], arrays[3], batch_size=16, verbose=0, return_dict=True)
    assert scores == expected


def test_check_split_counts_validation_examples():
    _fitting.check_split(0.1, 80)
    with pytest.raises(ValueError, match="leaves no examples"):
        _fitting.check_split(0.001, 80)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        _fitting.check_split(1.0, 80)
    with pytest.raises(ValueError, match="a number in"):
        _fitting.check_split("0.1", 80)


def test_data_dims_and_check_data():
    data = tiny()
    assert _fitting.data_dims(data) == (FEATURES, CLASSES)
    arrays = _fitting.check_data(None, data)
    assert [a.dtype for a in arrays] == [np.float32] * 4
    ints = Dataset(data.x_train, data.y_train.argmax(1), data.x_test, data.y_test, "ints")
    with pytest.raises(ValueError, match="one-hot labels"):
        _fitting.data_dims(ints)
    with pytest.raises(TypeError, match="load_data"):
        _fitting.check_data(None, (data.x_train, data.y_train))
    empty = Dataset(data.x_train[:0], data.y_train[:0], data.x_test, data.y_test, "empty")
    with pytest.raises(ValueError, match="data.x_train holds no examples"):
        _fitting.check_data(None, empty)


def test_accuracy_key_finds_the_accuracy_metric():
    assert _fitting.accuracy_key({"loss": 1.0, "accuracy": 0.5}) == "accuracy"
    assert _fitting.accuracy_key({"loss": 1.0, "top_accuracy": 0.5}) == "top_accuracy"
    with pytest.raises(ValueError, match=r"metrics=\['accuracy'\]"):
        _fitting.accuracy_key({"loss": 1.0})
