"""acttutor.training on tiny data: runs, comparisons, reproducibility, progress, bad input."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from toys import CLASSES, FEATURES, make_result, small, tiny

from acttutor.data import Dataset
from acttutor.training import (
    PROGRESS_ENV,
    RunResult,
    build_mlp,
    compare_activations,
    progress_default,
    train_and_evaluate,
)


@pytest.fixture(scope="module")
def data():
    return tiny()


def test_train_and_evaluate_result(data):
    model = small()
    r = train_and_evaluate(model, data, epochs=3, batch_size=16, validation_split=0.25, seed=1)
    assert isinstance(r, RunResult)
    assert {"accuracy", "val_accuracy", "loss", "val_loss"} <= set(r.history)
    assert all(len(v) == 3 for v in r.history.values())
    assert r.epochs == 3 and len(r.epoch_seconds) == 3
    assert all(t > 0 for t in r.epoch_seconds)
    assert r.seconds >= sum(r.epoch_seconds)
    assert 0.0 <= r.test_acc <= 1.0 and r.test_loss > 0
    scores = model.evaluate(data.x_test, data.y_test, verbose=0, return_dict=True)
    assert r.test_acc == pytest.approx(scores["accuracy"])
    assert r.test_loss == pytest.approx(scores["loss"], rel=1e-5)
    assert r.activation == "relu" and r.seed == 1 and r.model is model
    assert isinstance(r.history["loss"][0], float)


def test_training_learns_the_toy_problem():
    data = tiny(n_train=600, n_test=200)
    model = build_mlp("relu", hidden=(32,), input_dim=FEATURES, num_classes=CLASSES, seed=0)
    r = train_and_evaluate(model, data, epochs=30, batch_size=32, seed=0)
    assert r.history["loss"][-1] < r.history["loss"][0]
    assert r.test_acc > 0.6  # chance is 1/3


def test_same_seed_same_run(data):
    runs = [
        train_and_evaluate(small(seed=5), data, epochs=2, batch_size=16, seed=5) for _ in range(2)
    ]
    assert runs[0].history == runs[1].history
    assert runs[0].test_acc == runs[1].test_acc and runs[0].test_loss == runs[1].test_loss
    other = train_and_evaluate(small(seed=6), data, epochs=2, batch_size=16, seed=6)
    assert other.history["loss"] != runs[0].history["loss"]


def test_progress_uses_keras_bar_only_when_asked(data, capfd):
    train_and_evaluate(small(), data, epochs=1, batch_size=16, progress=False)
    assert "step" not in capfd.readouterr().out
    train_and_evaluate(small(), data, epochs=1, batch_size=16, progress=True)
    out = capfd.readouterr().out
    assert "/step" in out and "val_accuracy" in out


def test_progress_default(monkeypatch):
    assert PROGRESS_ENV == "ACTTUTOR_PROGRESS_BAR"
    monkeypatch.setenv(PROGRESS_ENV, "1")
    assert progress_default() is True
    monkeypatch.setenv(PROGRESS_ENV, "off")
    assert progress_default() is False
    monkeypatch.delenv(PROGRESS_ENV)
    # Under pytest stdout is captured, not a terminal and not a notebook frontend.
    assert progress_default() is False


def test_progress_recording_switch_does_not_touch_the_progress_bar(monkeypatch):
    """ACTTUTOR_PROGRESS belongs to the exercises' progress recording, not to training."""
    monkeypatch.delenv(PROGRESS_ENV, raising=False)
    monkeypatch.setenv("ACTTUTOR_PROGRESS", "1")
    assert progress_default() is False  # not forced on: pytest is not watched
    monkeypatch.setenv(PROGRESS_ENV, "yes")
    monkeypatch.setenv("ACTTUTOR_PROGRESS", "0")
    assert progress_default() is True


@pytest.mark.parametrize(
    ("make_args", "error", "message"),
    [
        (lambda d: ("not a model", d), TypeError, "keras.Model"),
        (lambda d: (small(), (d.x_train, d.y_train)), TypeError, "load_data"),
        (lambda d: (small(), [1, 2]), TypeError, "Dataset"),
        (
            lambda d: (build_mlp("relu", (4,), input_dim=5, num_classes=3), d),
            ValueError,
            "input_dim=12",
        ),
        (
            lambda d: (build_mlp("relu", (4,), input_dim=12, num_classes=4), d),
            ValueError,
            "num_classes=3",
        ),
        (
            lambda d: (small(), Dataset(d.x_train, d.y_train.argmax(1), d.x_test, d.y_test, "s")),
            ValueError,
            "one_hot=True",
        ),
        (
            lambda d: (
                small(),
                Dataset(np.full_like(d.x_train, np.nan), d.y_train, d.x_test, d.y_test, "s"),
            ),
            ValueError,
            "NaN",
        ),
        (
            lambda d: (small(), Dataset(d.x_train, d.y_train[:5], d.x_test, d.y_test, "s")),
            ValueError,
            "has 80 examples but data.y_train has 5",
        ),
    ],
)
def test_train_and_evaluate_bad_input(data, make_args, error, message):
    model, bad = make_args(data)
    with pytest.raises(error, match=message):
        train_and_evaluate(model, bad, epochs=1)


def test_image_shaped_data_gets_a_flatten_hint():
    d = tiny()
    images = Dataset(d.x_train.reshape(-1, 3, 4), d.y_train, d.x_test.reshape(-1, 3, 4),
                     d.y_test, "images")
    with pytest.raises(ValueError, match="flatten=True"):
        train_and_evaluate(small(), images)


def test_uncompiled_model_is_refused(data):
    model = keras.Sequential([keras.Input(shape=(FEATURES,)), keras.layers.Dense(CLASSES)])
    with pytest.raises(ValueError, match="not compiled"):
        train_and_evaluate(model, data)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epochs": 0}, "epochs"),
        ({"epochs": 2.5}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"validation_split": 0.0}, "validation_split"),
        ({"validation_split": 1.5}, "validation_split"),
        ({"validation_split": 0.001}, "no examples"),
        ({"seed": "zero"}, "seed"),
    ],
)
def test_train_and_evaluate_bad_options(data, kwargs, message):
    with pytest.raises(ValueError, match=message):
        train_and_evaluate(small(), data, **kwargs)


# ---------------------------------------------------------------- compare_activations


def test_compare_activations_structure_and_seeds(data):
    def my_act(x):
        return tf.nn.relu(x) - 0.1

    runs = compare_activations(
        ["relu", my_act], data, seeds=(0, 7), epochs=2, hidden=(8,), batch_size=16
    )
    assert list(runs) == ["relu", "my_act"]
    for name, results in runs.items():
        assert [r.seed for r in results] == [0, 7]
        assert all(isinstance(r, RunResult) and r.activation == name for r in results)
        assert all(r.epochs == 2 for r in results)
        assert results[0].history != results[1].history  # different seeds, different runs
    assert runs["my_act"][0].model.get_layer("hidden_1").activation is my_act


def test_compare_matches_a_single_run_and_ignores_order(data):
    """A run depends only on (activation, seed): reusing runs across comparisons is honest."""
    opts = {"epochs": 2, "hidden": (8, 4), "batch_size": 16, "warmup": False}
    after_tanh = compare_activations(["tanh", "relu"], data, seeds=(1,), **opts)
    alone = compare_activations(["relu"], data, seeds=(1,), **opts)
    assert alone["relu"][0].history == after_tanh["relu"][0].history
    direct = train_and_evaluate(small("relu", seed=1), data, epochs=2, batch_size=16, seed=1)
    assert direct.history == after_tanh["relu"][0].history
    assert direct.test_acc == after_tanh["relu"][0].test_acc


def test_reuse_takes_over_matching_runs_and_trains_the_rest(data, monkeypatch):
    opts = {"epochs": 2, "hidden": (8,), "batch_size": 16, "warmup": False}
    first = compare_activations(["relu"], data, seeds=(0,), **opts)
    import acttutor.training as training

    trained = []
    real = training.train_and_evaluate

    def counting(model, data, **kw):
        trained.append((model.name, kw["seed"]))
        return real(model, data, **kw)

    monkeypatch.setattr(training, "train_and_evaluate", counting)
    both = compare_activations(["relu", "elu"], data, seeds=(0, 1), reuse=first, **opts)
    assert sorted(trained) == [("mlp_elu", 0), ("mlp_elu", 1), ("mlp_relu", 1)]
    assert both["relu"][0] is first["relu"][0]
    assert [r.seed for r in both["relu"]] == [0, 1] and [r.seed for r in both["elu"]] == [0, 1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"epochs": 3}, "epochs: 2 there, 3 here"),
        ({"batch_size": 32}, "batch_size"),
        ({"hidden": (4,)}, "units"),
        ({"validation_split": 0.2}, "validation_split"),
    ],
)
def test_reuse_refuses_runs_trained_differently(data, change, message):
    opts = {"epochs": 2, "hidden": (8,), "batch_size": 16}
    # The settings train_and_evaluate records for these options (see the test above).
    settings = {"epochs": 2, "batch_size": 16, "validation_split": 0.1, "n_train": 80,
                "data_source": data.source, "units": [8, CLASSES]}
    earlier = {"relu": [make_result([0.5, 0.6], seed=0, settings=settings)]}
    kept = compare_activations(["relu"], data, seeds=(0,), reuse=earlier, **opts)
    assert kept["relu"][0] is earlier["relu"][0]  # matching settings: taken over, not trained
    with pytest.raises(ValueError, match=message):
        compare_activations(["relu"], data, seeds=(0,), reuse=earlier, **(opts | change))


def test_reuse_refuses_other_data(data):
    first = compare_activations(["relu"], data, seeds=(0,), epochs=1, hidden=(4,), warmup=False)
    assert first["relu"][0].settings == {
        "epochs": 1, "batch_size": 128, "validation_split": 0.1, "n_train": 80,
        "data_source": "tiny test data", "units": [4, CLASSES],
        "learning_rate": pytest.approx(1e-3),  # build_mlp's Adam
    }
    other = tiny(seed=1)
    other = Dataset(other.x_train, other.y_train, other.x_test, other.y_test, "other data")
    with pytest.raises(ValueError, match="data_source"):
        compare_activations(["relu"], other, seeds=(0,), epochs=1, hidden=(4,), reuse=first)
    with pytest.raises(TypeError, match="reuse"):
        compare_activations(["relu"], data, reuse=[1, 2])


def test_compare_activations_accepts_a_dict_of_labels(data):
    runs = compare_activations(
        {"leaky 0.1": keras.layers.LeakyReLU(negative_slope=0.1), "plain": "relu"},
        data,
        epochs=1,
        hidden=(4,),
        batch_size=32,
        warmup=False,
    )
    assert list(runs) == ["leaky 0.1", "plain"] and all(len(v) == 1 for v in runs.values())


@pytest.mark.parametrize(
    ("activations", "kwargs", "error", "message"),
    [
        ("relu", {}, TypeError, "list such as"),
        ([], {}, ValueError, "at least one"),
        (["relu", "relu"], {}, ValueError, "share the name"),
        ([lambda x: x, lambda x: -x], {}, ValueError, "share the name"),
        (["rleu"], {}, ValueError, "Did you mean 'relu'"),
        (["relu"], {"seeds": 3}, TypeError, "sequence"),
        (["relu"], {"seeds": ()}, ValueError, "at least one seed"),
        (["relu"], {"seeds": (1, 1)}, ValueError, "repeat"),
        (["relu"], {"epochs": 0}, ValueError, "epochs"),
    ],
)
def test_compare_activations_bad_input(data, activations, kwargs, error, message):
    with pytest.raises(error, match=message):
        compare_activations(activations, data, **kwargs)


def test_compare_activations_needs_a_dataset(data):
    with pytest.raises(TypeError, match="Dataset"):
        compare_activations(["relu"], {"x": data.x_train})


# ---------------------------------------------------------------- strategy (one device)


def test_train_and_evaluate_under_a_one_device_strategy(data):
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    model = build_mlp("relu", hidden=(8, 4), input_dim=FEATURES, num_classes=CLASSES, seed=2,
                      strategy=strategy)
    run = train_and_evaluate(model, data, epochs=2, batch_size=16, seed=2, strategy=strategy)
    plain = train_and_evaluate(small(seed=2), data, epochs=2, batch_size=16, seed=2)
    assert run.history.keys() == plain.history.keys()
    np.testing.assert_allclose(run.history["loss"], plain.history["loss"], rtol=1e-5)
    assert run.test_acc == pytest.approx(plain.test_acc)


def test_train_and_evaluate_refuses_a_model_built_outside_the_strategy(data):
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    with pytest.raises(ValueError, match=r"not built in this strategy's scope.*strategy=strategy"):
        train_and_evaluate(small(), data, epochs=1, strategy=strategy)
    with pytest.raises(TypeError, match="tf.distribute.Strategy"):
        train_and_evaluate(small(), data, epochs=1, strategy="mirrored")


def test_compare_activations_passes_the_strategy_to_every_run(data):
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    runs = compare_activations(["relu", "tanh"], data, seeds=(0, 1), epochs=1, hidden=(4,),
                               batch_size=16, strategy=strategy)
    assert {name: len(results) for name, results in runs.items()} == {"relu": 2, "tanh": 2}
    assert all(r.model.distribute_strategy is strategy for rs in runs.values() for r in rs)



def test_training_keeps_the_contract_names_it_gathers():
    import acttutor.models
    import acttutor.run_result
    import acttutor.training as training

    assert training.build_mlp is acttutor.models.build_mlp
    assert training.RunResult is acttutor.run_result.RunResult
    assert training.ActivationSpec is acttutor.models.ActivationSpec
    assert not hasattr(training, "Activation")  # renamed: the catalog's dataclass owns the name
