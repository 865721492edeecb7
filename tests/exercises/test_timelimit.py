"""Time budgets: code that runs too long is stopped in-process, and Ctrl-C still works."""

from __future__ import annotations

import os
import signal
import threading
import time

import numpy as np
import pytest

from acttutor.exercises import implement_relu, timelimit
from acttutor.exercises.timelimit import TimeUp, budget, time_limit


@pytest.fixture
def short_budgets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every budget at a tenth of a second per unit, so the tests are quick."""
    monkeypatch.setitem(timelimit.SECONDS, "call", 0.3)
    monkeypatch.setitem(timelimit.SECONDS, "tensorflow", 0.3)
    monkeypatch.delenv("ACTTUTOR_TIME_SCALE", raising=False)
    monkeypatch.delenv("ACTTUTOR_STRICT", raising=False)


def _sleeps(x):
    time.sleep(30)
    return np.maximum(x, 0.0)


def _spins(x):
    while True:
        pass


def _swallows(x):
    while True:
        try:
            while True:
                pass
        except BaseException:  # noqa: BLE001 - a learner's bare except, catching the TimeUp
            continue


@pytest.mark.parametrize("answer", [_sleeps, _spins, _swallows], ids=["sleep", "spin", "swallow"])
def test_a_slow_answer_is_stopped_and_failed_naming_the_input(short_budgets, answer) -> None:
    start = time.monotonic()
    result = implement_relu.check(answer)
    elapsed = time.monotonic() - start
    assert result.status == "failed"
    assert "your function took longer than 0.3 s on input array([-3. , -1. , -0.25" in (
        result.message)
    assert elapsed < 5.0


def test_a_normal_check_is_unaffected_and_leaves_no_alarm_behind(short_budgets) -> None:
    handler = signal.getsignal(signal.SIGALRM)
    assert implement_relu.check(implement_relu.reference()).passed
    assert signal.getsignal(signal.SIGALRM) is handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    time.sleep(0.5)  # no TimeUp turns up later either


def test_stopping_works_off_the_main_thread_too(short_budgets) -> None:
    results = []
    worker = threading.Thread(target=lambda: results.append(implement_relu.check(_spins)))
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert results[0].status == "failed" and "took longer than 0.3 s" in results[0].message


def test_ctrl_c_still_interrupts_a_check(short_budgets, monkeypatch) -> None:
    monkeypatch.setitem(timelimit.SECONDS, "call", 20.0)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        implement_relu.check(_sleeps)
    timer.join()
    assert time.monotonic() - start < 5.0
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_limit_nests_and_keeps_the_outer_budget() -> None:
    with pytest.raises(TimeUp), time_limit(0.2), time_limit(30.0):
        time.sleep(5)
    with time_limit(None), time_limit(0):
        time.sleep(0.01)  # no limit at all


def test_budgets_scale_with_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("ACTTUTOR_TIME_SCALE", "3")
    assert budget("training") == 3 * timelimit.SECONDS["training"]
    monkeypatch.setenv("ACTTUTOR_TIME_SCALE", "nonsense")
    assert budget("call") == timelimit.SECONDS["call"]


def test_ex3_stops_an_endless_activation_and_an_endless_training_step(short_budgets, monkeypatch):
    import tensorflow as tf

    from acttutor.exercises import ex3

    def endless(x):
        while True:
            pass

    result = ex3.check(endless)
    assert result.status == "failed" and "took longer than 0.3 s" in result.message

    monkeypatch.setitem(timelimit.SECONDS, "tensorflow", 30.0)
    monkeypatch.setitem(timelimit.SECONDS, "training", 0.5)

    def slow_in_graph(x):  # fast when called eagerly, sleeps inside the training step
        if not tf.executing_eagerly():
            tf.py_function(lambda: time.sleep(30), [], [])
            time.sleep(30)
        return x * tf.sigmoid(x)

    result = ex3.check(slow_in_graph)
    assert result.status == "failed", result.message
    assert "training took longer than 0.5 s" in result.message


def test_ex2_stops_a_property_that_never_returns(short_budgets) -> None:
    from acttutor.exercises import ex2

    class Endless:
        history = {"accuracy": [0.8, 0.9], "val_accuracy": [0.8, 0.9]}

        @property
        def test_acc(self):
            while True:
                pass

    runs = {name: Endless() for name in ("relu", "tanh", "sigmoid")}
    result = ex2.check(runs)
    assert result.status == "failed"
    assert "it took longer than 0.3 s" in result.message and "test_acc" in result.message
