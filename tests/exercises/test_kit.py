"""The checking kit shared by every exercise (acttutor/exercises/kit.py)."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from acttutor.exercises.kit import (
    call_learner,
    close,
    compare_arrays,
    is_number,
    is_placeholder,
    require_arity,
    require_dict,
)
from acttutor.exercises.outcomes import Fail, LearnerError

X = np.array([-1.0, 0.0, 2.0])


def test_is_number_and_close() -> None:
    assert all(is_number(v) for v in (1, 1.5, np.float32(1), np.int64(2)))
    assert not any(is_number(v) for v in (True, np.bool_(True), "1", None, [1.0], np.ones(1)))
    assert not is_number(3, integers=False) and is_number(3.0, integers=False)
    assert close(np.array([1.0, np.nan]), np.array([1.0 + 1e-9, np.nan]), rtol=1e-6)
    assert not close(np.array([1.0]), np.array([1.1]), rtol=1e-6)
    assert not close("a", np.array([1.0]), rtol=1e-6)


def test_require_arity_names_what_the_check_passes() -> None:
    def one(x):
        return x

    def keyword_only(x, *, alpha):
        return x

    with pytest.raises(Fail, match=r"your function takes 1 argument; the check calls it with 2 "
                                   r"\(model, x\)\. Define it as `def one\(model, x\):`"):
        require_arity(one, ["model", "x"])
    with pytest.raises(Fail, match="needs the keyword-only argument"):
        require_arity(keyword_only, ["x", "alpha"])
    require_arity(lambda *a: a, ["model", "x"])  # *args takes anything
    require_arity(np.abs, ["x"])  # a ufunc of one argument
    with pytest.raises(Fail, match=r"needs 2 arguments; the check calls it with 1 \(x\)"):
        require_arity(np.maximum, ["x"])


def test_call_learner_reports_arity_before_calling() -> None:
    calls = []

    def wrong(model):
        calls.append(model)

    with pytest.raises(Fail, match=r"the check calls it with 2 \(model, x\)"):
        call_learner(wrong, "m", np.ones(2), params=("model", "x"))
    assert calls == []


def test_call_learner_turns_exceptions_into_learner_errors_with_the_call() -> None:
    with pytest.raises(LearnerError) as info:
        call_learner(lambda x: 1 / 0, X, call="f(the checker's x)")
    assert info.value.call == "f(the checker's x)"
    assert isinstance(info.value.exc, ZeroDivisionError)


@pytest.mark.parametrize(
    ("got", "fragment", "not_fragment"),
    [
        (X.astype(np.float16), "float16 keeps only about 3 significant digits", "integer"),
        (X.astype(np.int64), "An integer result loses the fractional part", "float16"),
        (X > 0, "A True/False array is the result of a comparison", "integer"),
        (X.astype(complex), "went complex", "integer"),
    ],
)
def test_dtype_messages_fit_the_dtype(got, fragment: str, not_fragment: str) -> None:
    with pytest.raises(Fail) as info:
        compare_arrays(got, np.maximum(X, 0.0), inputs=X)
    assert fragment in str(info.value) and not_fragment not in str(info.value)


def test_require_dict_messages() -> None:
    with pytest.raises(Fail, match="returned None"):
        require_dict(None, "f(model, x)", keys="Dense layer", values="norm")
    with pytest.raises(Fail, match="returned a list; return a dict"):
        require_dict([1.0], "f(model, x)", keys="Dense layer", values="norm")
    assert require_dict({}, "f", keys="k", values="v") == {}


def test_is_placeholder_reads_the_function_body() -> None:
    def stub(model, x):
        # 1. ...
        raise NotImplementedError("Replace this line with your code.")

    def nested_stub(x):
        def helper(v):
            return v

        raise NotImplementedError

    assert is_placeholder(None) and is_placeholder(...) and is_placeholder(stub)
    assert is_placeholder(functools.partial(stub, None))
    assert not is_placeholder(nested_stub)  # it defines a helper: work has started
    assert not is_placeholder(lambda x: x) and not is_placeholder(int) and not is_placeholder(3)
