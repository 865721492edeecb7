"""compare_activations under tf.distribute.MirroredStrategy over two logical CPU devices.

Logical devices must be configured before TensorFlow initialises, so the runs happen in a
fresh interpreter that prints its findings as JSON. The data are tiny and chosen so that every
split is one batch that does not divide over two replicas (81 training, 9 validation and 103
test examples in batches of 128), the case Keras 3.15's MirroredStrategy fails on by itself.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import json, sys
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    import keras
    import numpy as np

    from acttutor.data import Dataset
    from acttutor.training import build_mlp, compare_activations, train_and_evaluate

    def toy(n_train, n_test):
        rng = np.random.default_rng(0)
        w = np.random.default_rng(99).normal(size=(12, 3))
        x = rng.random((n_train + n_test, 12), dtype=np.float32)
        y = np.eye(3, dtype=np.float32)[(x @ w).argmax(axis=1)]
        return Dataset(x[:n_train], y[:n_train], x[n_train:], y[n_train:], "toy")

    def shape(runs):
        return {name: [[r.seed, r.activation, sorted(r.history),
                        [len(v) for _, v in sorted(r.history.items())],
                        bool(np.isfinite(r.test_acc) and np.isfinite(r.test_loss)),
                        0.0 <= r.test_acc <= 1.0]
                       for r in results]
                for name, results in runs.items()}

    devices = [d.name for d in tf.config.list_logical_devices("CPU")]
    strategy = tf.distribute.MirroredStrategy(devices)
    out = {"replicas": strategy.num_replicas_in_sync}
    opts = dict(seeds=(0,), epochs=2, hidden=(4,), batch_size=128, validation_split=0.1)

    odd = toy(90, 103)  # fit 81, validation 9, test 103: each one odd-sized batch
    with_strategy = compare_activations(["relu", "tanh"], odd, strategy=strategy, **opts)
    without = compare_activations(["relu", "tanh"], odd, **opts)
    out["odd"] = [shape(with_strategy), shape(without)]
    out["odd_mirrored"] = all(r.model.distribute_strategy is strategy
                              for rs in with_strategy.values() for r in rs)

    # Plain Keras on the same odd-sized test batch, for the record (not asserted: a later
    # Keras may fix it). The same model then serves the bad-input checks below.
    model = build_mlp("relu", (4,), 12, 3, strategy=strategy)
    try:
        model.evaluate(odd.x_test, odd.y_test, batch_size=128, verbose=0)
        out["plain_keras_odd_batch"] = "ok"
    except Exception as exc:
        out["plain_keras_odd_batch"] = type(exc).__name__

    # Even splits (fit 72, validation 8, test 30 in batches of 8): the two replicas together
    # compute the same updates as one device, up to float rounding.
    even = toy(80, 30)
    runs = {}
    for label, s in (("mirrored", strategy), ("single", None)):
        m = build_mlp("relu", (4,), 12, 3, seed=3, strategy=s)
        runs[label] = train_and_evaluate(m, even, epochs=2, batch_size=8, seed=3, strategy=s)
    out["even_loss"] = [runs["mirrored"].history["loss"], runs["single"].history["loss"]]
    out["even_test_acc"] = [runs["mirrored"].test_acc, runs["single"].test_acc]

    # What a learner gets wrong: a batch size that the replicas cannot share.
    try:
        train_and_evaluate(model, even, epochs=1, batch_size=15, strategy=strategy)
        out["odd_batch_size"] = "no error"
    except ValueError as exc:
        out["odd_batch_size"] = str(exc)
    try:
        train_and_evaluate(model, toy(80, 1), epochs=1, batch_size=8, strategy=strategy)
        out["tiny_test_split"] = "no error"
    except ValueError as exc:
        out["tiny_test_split"] = str(exc)
    print("RESULT " + json.dumps(out))
    """
)


def run_script() -> dict:
    """Run :data:`SCRIPT` in a fresh interpreter and return what it found."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, timeout=600)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    return json.loads(lines[-1][len("RESULT "):])


@pytest.fixture(scope="module")
def mirrored(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> dict:
    """The script's findings, computed once per test session.

    Under pytest-xdist the tests of this module may land on different workers: the first
    to get here runs the script (about a minute) and the others wait for its file.
    """
    if worker_id == "master":  # no xdist
        return run_script()
    shared = tmp_path_factory.getbasetemp().parent  # this session's folder, all workers
    result = shared / "mirrored-strategy.json"
    with open(shared / "mirrored-strategy.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            result.write_text(json.dumps(run_script()))
    return json.loads(result.read_text())


def test_two_logical_devices_make_two_replicas(mirrored):
    assert mirrored["replicas"] == 2


def test_compare_activations_under_mirrored_strategy_matches_the_single_device_shape(mirrored):
    with_strategy, without = mirrored["odd"]
    assert with_strategy == without, mirrored.get("plain_keras_odd_batch")
    assert list(with_strategy) == ["relu", "tanh"]
    for name, runs in with_strategy.items():
        assert [r[0] for r in runs] == [0]  # one result per seed
        for _seed, activation, keys, lengths, finite, fraction in runs:
            assert activation == name
            assert keys == ["accuracy", "loss", "val_accuracy", "val_loss"]
            assert lengths == [2, 2, 2, 2] and finite and fraction
    assert mirrored["odd_mirrored"]


def test_mirrored_training_computes_what_one_device_computes(mirrored):
    mirrored_loss, single_loss = mirrored["even_loss"]
    assert mirrored_loss == pytest.approx(single_loss, rel=1e-4)
    assert mirrored["even_test_acc"][0] == pytest.approx(mirrored["even_test_acc"][1], abs=1e-6)


def test_what_the_replicas_cannot_share_gets_a_clear_message(mirrored):
    assert "batch_size=15 does not split evenly over the strategy's 2 replicas" in (
        mirrored["odd_batch_size"])
    assert "use a multiple of 2, such as 14" in mirrored["odd_batch_size"]
    assert "The test split has 1 example(s), fewer than the strategy's 2 replicas" in (
        mirrored["tiny_test_split"])
