"""acttutor.sweep: the learning-rate sweep, its reuse of one model, and the choice on validation."""

from __future__ import annotations

import numpy as np
import pytest

from acttutor.data import Dataset, load_digits
from acttutor.run_result import RunResult
from acttutor.sweep import (
    _Feed,
    at_best_rates,
    at_rate,
    best_rates,
    edge_verdict,
    rate_table,
    reset_model,
    sweep_learning_rates,
)
from acttutor.training import build_mlp, train_and_evaluate


@pytest.fixture(scope="module")
def small() -> Dataset:
    d = load_digits()
    return Dataset(d.x_train[:400], d.y_train[:400], d.x_test[:100], d.y_test[:100], d.source)


def run(val: float, test: float = 0.0) -> RunResult:
    return RunResult(history={"val_accuracy": [0.5, val]}, test_acc=test, test_loss=0.0,
                     seconds=1.0)


def test_a_reset_model_trains_exactly_like_a_fresh_one(small) -> None:
    feed = _Feed(small, 0.1, 128)
    fresh = [feed.run(build_mlp("tanh", input_dim=64, seed=s), seed=s, epochs=2, settings={})
             for s in (1, 2)]
    shared = build_mlp("tanh", input_dim=64, seed=0)
    feed.run(shared, seed=0, epochs=1, settings={})  # Adam now has moments and steps
    for s, want in zip((1, 2), fresh, strict=True):
        reset_model(shared, build_mlp("tanh", input_dim=64, seed=s).get_weights(), 1e-3)
        got = feed.run(shared, seed=s, epochs=2, settings={})
        assert got.history == want.history
        assert got.test_acc == want.test_acc
    assert fresh[0].history != fresh[1].history  # another seed, another start and order


def test_the_feed_keeps_keras_validation_rule_and_reshuffles(small) -> None:
    feed = _Feed(small, 0.1, 128)
    assert feed.n_fit == 360 and int(feed.fit[0].shape[0]) == 360
    assert sum(int(x.shape[0]) for x, _ in feed.val) == 40
    model = build_mlp("relu", input_dim=64, seed=0)
    first = feed.run(model, seed=5, epochs=1, settings={})
    reset_model(model, build_mlp("relu", input_dim=64, seed=0).get_weights(), 1e-3)
    again = feed.run(model, seed=5, epochs=1, settings={})
    reset_model(model, build_mlp("relu", input_dim=64, seed=0).get_weights(), 1e-3)
    other = feed.run(model, seed=6, epochs=1, settings={})  # same start, other batch order
    assert first.history == again.history and first.history != other.history


def test_reset_sets_the_rate_and_clears_adam(small) -> None:
    model = build_mlp("relu", input_dim=64, seed=0)
    train_and_evaluate(model, small, epochs=1, seed=0)
    assert int(model.optimizer.iterations) > 0
    reset_model(model, model.get_weights(), 0.02)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.02)
    assert int(model.optimizer.iterations) == 0
    with pytest.raises(ValueError, match="positive"):
        reset_model(model, model.get_weights(), -1.0)


def test_initial_weights_depend_on_the_seed_not_the_activation() -> None:
    # The sweep builds each seed's starting weights once, for every activation.
    a = build_mlp("relu", input_dim=64, seed=3).get_weights()
    b = build_mlp("sigmoid", input_dim=64, seed=3).get_weights()
    c = build_mlp("sigmoid", input_dim=64, seed=4).get_weights()
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a[0], c[0])


def test_the_sweep_matches_separate_runs_and_records_the_rate(small) -> None:
    sweep = sweep_learning_rates(["relu", "sigmoid"], small, learning_rates=(1e-3, 1e-2),
                                 seeds=(0, 1), epochs=2, warmup=False)
    assert list(sweep) == ["relu", "sigmoid"] and list(sweep["relu"]) == [1e-3, 1e-2]
    alone = build_mlp("sigmoid", input_dim=64, seed=1)
    alone.optimizer.learning_rate = 1e-2
    want = _Feed(small, 0.1, 128).run(alone, seed=1, epochs=2, settings={})
    got = sweep["sigmoid"][1e-2][1]
    assert got.history == want.history and got.seed == 1 and got.activation == "sigmoid"
    assert got.settings["learning_rate"] == pytest.approx(1e-2)
    assert got.model is None  # the model is shared, so no run keeps it


def test_best_rate_is_chosen_on_validation_not_test() -> None:
    # At 0.01 the test accuracy is higher, but the validation accuracy is lower.
    sweep = {"relu": {0.001: [run(0.95, test=0.80)], 0.01: [run(0.90, test=0.99)]},
             "tanh": {0.001: [run(0.91)], 0.01: [run(0.93)]}}
    assert best_rates(sweep) == {"relu": 0.001, "tanh": 0.01}
    assert at_best_rates(sweep)["tanh"] is sweep["tanh"][0.01]
    assert at_rate(sweep, 0.01)["relu"] is sweep["relu"][0.01]
    table = rate_table(sweep)
    assert table.column("lr 0.001") == ["0.9500 *", "0.9100"]
    with pytest.raises(KeyError, match="0.003"):
        at_rate(sweep, 0.003)


@pytest.mark.parametrize(
    ("rates", "error", "words"),
    [((), ValueError, "at least one"), ((1e-3, 1e-3), ValueError, "twice"),
     ((0.0,), ValueError, "positive"), (("fast",), TypeError, "number"),
     (0.001, TypeError, "list")],
)
def test_bad_rates_get_a_clear_message(small, rates, error, words) -> None:
    with pytest.raises(error, match=words):
        sweep_learning_rates(["relu"], small, learning_rates=rates, seeds=(0,), epochs=1)


def test_not_a_sweep_is_refused() -> None:
    with pytest.raises(TypeError, match="sweep_learning_rates"):
        best_rates({"relu": [run(0.9)]})


def test_edge_verdict_names_best_rates_at_either_end() -> None:
    inside = {"tanh": {0.001: [run(0.90)], 0.003: [run(0.93)], 0.01: [run(0.91)]}}
    assert edge_verdict(inside) == "Every activation's best rate lies inside the swept range"
    both = {**inside, "relu": {0.001: [run(0.90)], 0.003: [run(0.91)], 0.01: [run(0.95)]},
            "elu": {0.001: [run(0.96)], 0.003: [run(0.91)], 0.01: [run(0.90)]}}
    text = edge_verdict(both)
    assert "relu the best rate is the largest tried (0.01)" in text
    assert "elu the best rate is the smallest tried (0.001)" in text
    assert "tanh" not in text and text.endswith("might find a better one")
