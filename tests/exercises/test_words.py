"""How the checkers word values and functions in messages (acttutor/exercises/words.py)."""

from __future__ import annotations

import functools

import numpy as np

from acttutor.exercises.words import describe, learner_name, plural, too_slow


def test_describe_never_prints_a_whole_array_tensor_or_kernel() -> None:
    import tensorflow as tf

    big = np.arange(1000.0).reshape(50, 20)
    text = describe(big)
    assert "shape (50, 20)" in text and "999" not in text and "starting [0, 1, 2, 3, ...]" in text
    kernel = tf.Variable(np.full((64, 32), 0.25, np.float32))
    text = describe({"dense": kernel, "out": tf.zeros((3,))})
    assert "tf.Variable of shape (64, 32)" in text and "starting [0.25" in text
    assert text.count("0.25") == 4 and "tf.Tensor([0., 0., 0.], dtype=float32)" in text
    assert len(describe(list(range(1000)))) <= 120
    assert describe(np.array(3.5)) == "a 0-d array holding 3.5"


def test_learner_name_names_lambdas_f() -> None:
    def relu(x):
        return x

    assert learner_name(relu) == "relu" and learner_name(lambda x: x) == "f"
    assert learner_name(functools.partial(relu)) == "f"


def test_plural_and_the_time_out_message() -> None:
    assert plural(1, "argument") == "1 argument" and plural(2, "argument") == "2 arguments"
    text = too_slow("f(x)", 5.0, [np.zeros(3)])
    assert "your function took longer than 5 s on input array([0., 0., 0.])" in text
    assert "ACTTUTOR_TIME_SCALE" in text
