"""The library guard: replaced library functions are put back, forbidden ones refuse to run."""

from __future__ import annotations

import math

import numpy as np
import pytest

from acttutor.exercises import guard
from acttutor.exercises.kit import call_learner
from acttutor.exercises.outcomes import Fail

ORIGINAL_EXP = np.exp
ORIGINAL_TANH = np.tanh


def test_a_replaced_numpy_function_is_put_back_with_a_note() -> None:
    def sneaky(x):
        np.exp = lambda v: 0 * v  # replaces NumPy's exp for everyone
        np.maximum = lambda a, b: a
        return x

    notes: list[str] = []
    call_learner(sneaky, np.ones(2), notes=notes)
    assert np.exp is ORIGINAL_EXP and np.exp(0.0) == 1.0
    assert np.maximum(-1.0, 0.0) == 0.0
    assert len(notes) == 1 and "np.exp" in notes[0] and "np.maximum" in notes[0]


def test_the_guard_puts_functions_back_even_when_the_code_raises() -> None:
    def sneaky(x):
        math.sqrt = abs
        raise ValueError("boom")

    real_sqrt = math.sqrt
    with pytest.raises(Exception, match="boom"):
        call_learner(sneaky, 4.0)
    assert math.sqrt is real_sqrt


def test_new_attributes_and_submodules_are_not_reported() -> None:
    with guard.library_guard() as restored:
        np.__dict__["_acttutor_test_marker"] = 1  # a new key, not a replacement
    del np.__dict__["_acttutor_test_marker"]
    assert restored == []


from numpy import tanh as imported_tanh  # noqa: E402 - a learner's import, for the test


def _helper(x):
    return imported_tanh(x)


def _make_closure():
    t = np.tanh
    return lambda x: t(x)


def _with_default(x, t=np.tanh):
    return t(x)


def _swallows(x):
    try:
        return np.tanh(x)
    except Exception:  # noqa: BLE001 - a learner's catch-all must not hide the refusal
        return x


@pytest.mark.parametrize(
    "fn",
    [lambda x: np.tanh(x), lambda x: imported_tanh(x), lambda x: _helper(x), _make_closure(),
     _with_default, _swallows, lambda x: np.vectorize(math.tanh)(x)],
    ids=["attribute", "imported-name", "helper", "closure", "default-argument",
         "except-Exception", "math.tanh"],
)
def test_a_forbidden_function_refuses_wherever_the_code_reaches_it(fn) -> None:
    with pytest.raises(Fail, match=r"calls (np|math)\.tanh, which this exercise asks you"):
        call_learner(fn, np.array([0.5]), forbid=["numpy.tanh", "math.tanh"])
    # afterwards every route works again
    assert np.tanh is ORIGINAL_TANH and imported_tanh is ORIGINAL_TANH
    assert _with_default.__defaults__ == (ORIGINAL_TANH,)
    np.testing.assert_allclose(fn(np.array([0.5])), np.tanh(0.5))


def test_without_forbid_the_same_functions_run() -> None:
    out = call_learner(lambda x: 0.5 * (1 + np.tanh(x / 2)), np.array([0.0]))
    np.testing.assert_allclose(out, [0.5])


def test_forbidden_names_of_libraries_not_imported_are_skipped() -> None:
    with guard.library_guard(forbid=["nosuchlibrary.tanh", "numpy.no_such_function"]):
        assert np.tanh(0.0) == 0.0


def test_restored_note_lists_at_most_four_names() -> None:
    note = guard.restored_note([f"np.f{i}" for i in range(6)])
    assert "np.f3, ..." in note and "np.f4" not in note
