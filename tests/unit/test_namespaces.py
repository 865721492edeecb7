"""acttutor.namespaces: tf.nn and keras.activations paired by introspection and measurement."""

from __future__ import annotations

import inspect

import keras
import tensorflow as tf


def public_keras_activations() -> set[str]:
    """Every public function of keras.activations, read here independently of acttutor."""
    return {
        name
        for name in dir(keras.activations)
        if not name.startswith("_")
        and inspect.isfunction(getattr(keras.activations, name))
        and name not in {"serialize", "deserialize", "get"}
    }


def test_counterparts_table():
    from acttutor.namespaces import counterparts, parameters, tf_counterpart, tf_nn_only

    table = counterparts()
    rows = {r["keras"]: r for r in table.rows}
    assert set(rows) == public_keras_activations()
    assert rows["leaky_relu"]["tensorflow"] == "tf.nn.leaky_relu"
    assert rows["leaky_relu"]["keras parameters"] == "negative_slope=0.2"
    assert rows["leaky_relu"]["tensorflow parameters"] == "alpha=0.2"
    assert rows["mish"]["tensorflow"] == "—" and rows["mish"]["max |difference|"] is None
    paired = [r for r in table.rows if r["tensorflow"] != "—"]
    assert paired and all(r["max |difference|"] == 0.0 for r in paired)
    assert parameters(tf.nn.relu) == "—"
    assert tf_counterpart("log_sigmoid")[0] == "tf.math.log_sigmoid"
    only = tf_nn_only()
    assert "crelu" in only and "relu" not in only and "softmax" not in only
