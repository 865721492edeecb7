"""Tests for the implement-it-yourself checkers (ReLU, sigmoid, tanh, Leaky ReLU, softmax).

Each checker must pass correct answers written in different ways, fail known-wrong
"mutants" with a message that names the mistake, and report placeholders, exceptions,
non-callables and in-place mutation with the right status. ``check`` never raises.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from acttutor.exercises import (
    implement_leaky_relu,
    implement_relu,
    implement_sigmoid,
    implement_softmax,
    implement_tanh,
)
from acttutor.exercises.core import CheckResult

ALL = [implement_relu, implement_sigmoid, implement_tanh, implement_leaky_relu, implement_softmax]
ONE_ARG = [implement_relu, implement_sigmoid, implement_tanh, implement_softmax]


def _status(ex, answer) -> CheckResult:
    result = ex.check(answer)
    assert isinstance(result, CheckResult)
    assert result.status != "checker_error", result.message
    return result


# --- correct answers -----------------------------------------------------------------------------


def _relu_where(x):
    return np.where(x > 0, x, 0.0)


def _relu_abs(x):
    return (x + np.abs(x)) / 2


def _relu_mask(x):
    return x * (x > 0)


def _relu_float32(x):
    return np.maximum(x, 0).astype(np.float32)


def _sigmoid_tanh(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _sigmoid_logaddexp(x):
    return np.exp(-np.logaddexp(0.0, -x))


def _sigmoid_float32(x):
    e = np.exp(-np.abs(x.astype(np.float32)))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(np.float32)


def _tanh_expm1(x):
    e = np.expm1(-2.0 * np.abs(x))
    return -np.sign(x) * e / (2.0 + e)


def _tanh_via_sigmoid(x):
    return 2.0 * _sigmoid_logaddexp(2.0 * x) - 1.0


def _leaky_tutorial(x, alpha):  # the tutorial's formula max(αx, x)
    return np.maximum(alpha * x, x)


def _leaky_split(x, alpha):
    return np.maximum(x, 0.0) + alpha * np.minimum(x, 0.0)


def _leaky_copy(x, alpha):
    out = x.copy()
    out[out < 0] *= alpha
    return out


def _softmax_logsumexp(z):
    m = z.max(axis=-1, keepdims=True)
    return np.exp(z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True)))


def _softmax_rows(z):
    rows = np.atleast_2d(z)
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out.reshape(z.shape)


def _softmax_float32(z):
    z32 = z.astype(np.float32)
    e = np.exp(z32 - z32.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


CORRECT = [
    (implement_relu, _relu_where),
    (implement_relu, _relu_abs),
    (implement_relu, _relu_mask),
    (implement_relu, _relu_float32),
    (implement_sigmoid, _sigmoid_tanh),
    (implement_sigmoid, _sigmoid_logaddexp),
    (implement_sigmoid, _sigmoid_float32),
    (implement_tanh, _tanh_expm1),
    (implement_tanh, _tanh_via_sigmoid),
    (implement_leaky_relu, _leaky_tutorial),
    (implement_leaky_relu, _leaky_split),
    (implement_leaky_relu, _leaky_copy),
    (implement_softmax, _softmax_logsumexp),
    (implement_softmax, _softmax_rows),
    (implement_softmax, _softmax_float32),
]


@pytest.mark.parametrize("ex", ALL, ids=lambda e: e.name)
def test_reference_solution_passes_without_notes(ex):
    result = _status(ex, ex.reference())
    assert result.passed, result.message
    assert result.notes == ()
    assert ex.answer_name in ex.solution()
    assert "1000" in result.message


@pytest.mark.parametrize(("ex", "fn"), CORRECT, ids=lambda v: getattr(v, "__name__", v))
def test_differently_written_correct_answers_pass(ex, fn):
    result = _status(ex, fn)
    assert result.passed, result.message


def test_each_exercise_has_two_alternative_answers():
    for ex in ALL:
        assert sum(e is ex for e, _ in CORRECT) >= 2, ex.name


# --- mutants -------------------------------------------------------------------------------------


def _relu_inplace(x):
    x[x < 0] = 0.0
    return x


MUTANTS = [
    # ReLU
    (implement_relu, lambda x: np.abs(x), "-x (like np.abs)"),
    (implement_relu, lambda x: np.max(x, 0), "single number"),
    (implement_relu, lambda x: np.where(x > 0, x, 0.01 * x), "that is Leaky ReLU"),
    (implement_relu, lambda x: x, "came back unchanged"),
    (implement_relu, lambda x: np.maximum(x, 0).astype(int), "dtype int"),
    (implement_relu, lambda x: (x > 0), "dtype bool"),
    (implement_relu, lambda x: np.maximum(x, 0).ravel(), "shape (6,); expected (2, 3)"),
    (implement_relu, lambda x: list(np.maximum(x, 0)), "returned a list"),
    (implement_relu, lambda x: np.maximum(x, 0) + 1e-4, "wrong value"),
    (implement_relu, _relu_inplace, "changed its input array in place"),
    # sigmoid
    (implement_sigmoid, lambda x: 1 / (1 + np.exp(x)), "sign of the exponent"),
    (implement_sigmoid, lambda x: np.exp(x) / (1 + np.exp(x)), "inf / inf = nan"),
    (implement_sigmoid, lambda x: np.tanh(x), "Those are tanh values"),
    (implement_sigmoid, lambda x: 0.5 * (1 + np.tanh(x)), "σ(2x)"),
    (implement_sigmoid, lambda x: np.round(1 / (1 + np.exp(-np.clip(x, -50, 50))), 4),
     "wrong value"),
    (implement_sigmoid, lambda x: (1 / (1 + np.exp(-np.clip(x, -50, 50)))).astype(np.float16),
     "dtype float16"),
    (implement_sigmoid, lambda x: None, "forget the `return`"),
    # tanh
    (implement_tanh, lambda x: (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x)),
     "Use a stable form, e = np.exp(-2 * np.abs(x))"),
    (implement_tanh, lambda x: np.sinh(x) / np.cosh(x), "inf / inf is nan"),
    (implement_tanh, lambda x: 2 / (1 + np.exp(-np.clip(x, -50, 50))) - 1, "2σ(2x) - 1"),
    (implement_tanh, lambda x: 1 / (1 + np.exp(-np.clip(x, -50, 50))), "Those are sigmoid"),
    (implement_tanh, lambda x: np.clip(x, -1, 1), "hard tanh"),
    (implement_tanh, lambda x: (2 / (1 + np.exp(-2 * np.clip(x, -50, 50))) - 1).sum(),
     "single number"),
    (implement_tanh, lambda x: np.tanh(x), "calls np.tanh, which this exercise asks you to"),
    # Leaky ReLU
    (implement_leaky_relu, lambda x, alpha: np.where(x > 0, x, 0.01 * x), "ignores its alpha"),
    (implement_leaky_relu, lambda x, alpha: np.minimum(alpha * x, x), "unchanged"),
    (implement_leaky_relu, lambda x, alpha: np.maximum(x, 0.0), "plain ReLU"),
    (implement_leaky_relu, lambda x, alpha: np.where(x > 0, alpha * x, x), "For x < 0"),
    (implement_leaky_relu, lambda x, alpha: np.where(x >= 0, x * (1 - alpha), alpha * x),
     "For x > 0, Leaky ReLU returns x itself"),
    (implement_leaky_relu, lambda x: np.maximum(0.1 * x, x),
     "the check calls it with 2 (x, alpha)"),
    (implement_leaky_relu, lambda x, *, alpha: np.maximum(alpha * x, x),
     "the check calls it with 2 (x, alpha)"),
    # softmax
    (implement_softmax, lambda z: np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True),
     "subtract the maximum first"),
    (implement_softmax, lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(
        axis=-1, keepdims=True), "each row's own maximum"),
    (implement_softmax, lambda z: np.exp(z) / np.exp(z).sum(axis=0), "axis 0"),
    (implement_softmax, lambda z: np.exp(z) / np.exp(z).sum(), "the whole array"),
    (implement_softmax, lambda z: z / z.sum(axis=-1, keepdims=True), "exponentiates first"),
    (implement_softmax, lambda z: z - z.max(axis=-1, keepdims=True) - np.log(
        np.exp(z - z.max(axis=-1, keepdims=True)).sum(axis=-1, keepdims=True)), "sum to 1"),
    (implement_softmax, lambda z: np.exp(z).sum(axis=-1), "single number"),
    (implement_softmax, lambda x, alpha: x, "the check calls it with 1 (logits)"),
]


@pytest.mark.parametrize(("ex", "fn", "expected"), MUTANTS,
                         ids=[f"{e.name}-{m[:24]}" for e, _, m in MUTANTS])
def test_mutants_fail_with_a_meaningful_message(ex, fn, expected):
    result = _status(ex, fn)
    assert result.status == "failed", result
    assert expected in result.message, result.message
    assert "(array of shape" not in result.message  # the counterexample is a small input


def test_each_exercise_has_four_mutants():
    for ex in ALL:
        assert sum(e is ex for e, _, _ in MUTANTS) >= 4, ex.name


def test_mutant_message_gives_a_small_counterexample():
    result = implement_relu.check(lambda x: np.abs(x))
    assert "input -3" in result.message and "expected 0" in result.message
    assert "got 3" in result.message


# --- statuses ------------------------------------------------------------------------------------


def _not_implemented(x, alpha=None):
    raise NotImplementedError("your code here")


@pytest.mark.parametrize("ex", ALL, ids=lambda e: e.name)
@pytest.mark.parametrize("placeholder", [None, ..., _not_implemented],
                         ids=["None", "Ellipsis", "NotImplementedError"])
def test_placeholders_are_not_attempted(ex, placeholder):
    result = _status(ex, placeholder)
    assert result.status == "not_attempted"
    assert f"{ex.name}.hint()" in result.message


@pytest.mark.parametrize("ex", ALL, ids=lambda e: e.name)
def test_a_raising_function_is_an_error_that_shows_the_input(ex):
    def broken(x, alpha=0.1):
        raise ZeroDivisionError("oops")

    result = _status(ex, broken)
    assert result.status == "error"
    assert "ZeroDivisionError: oops" in result.message
    assert "broken(array(" in result.message


@pytest.mark.parametrize("ex", ALL, ids=lambda e: e.name)
@pytest.mark.parametrize("answer", [3, "relu", np.zeros(3)], ids=["int", "str", "array"])
def test_a_non_callable_fails(ex, answer):
    result = _status(ex, answer)
    assert result.status == "failed"
    assert "Expected a function" in result.message


@pytest.mark.parametrize("ex", ALL, ids=lambda e: e.name)
def test_returning_a_tensorflow_tensor_fails_with_advice(ex):
    tf = pytest.importorskip("tensorflow")

    def tensor_out(x, alpha=0.2):
        return tf.constant(x)

    result = _status(ex, tensor_out)
    assert result.status == "failed"
    assert "TensorFlow tensor" in result.message


def test_in_place_mutation_fails_for_every_exercise():
    def inplace(x):
        np.maximum(x, 0.0, out=x)
        return x

    def inplace_leaky(x, alpha):
        x[x < 0] *= alpha
        return x

    def inplace_softmax(z):
        z -= z.max(axis=-1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=-1, keepdims=True)
        return z

    for ex, fn in [(implement_relu, inplace), (implement_sigmoid, inplace),
                   (implement_tanh, inplace), (implement_leaky_relu, inplace_leaky),
                   (implement_softmax, inplace_softmax)]:
        result = _status(ex, fn)
        assert result.status == "failed"
        assert "in place" in result.message


def test_missing_alpha_parameter_is_reported_not_raised():
    def my_leaky(x):
        return np.maximum(0.01 * x, x)

    result = _status(implement_leaky_relu, my_leaky)
    assert result.status == "failed"
    assert "the check calls it with 2 (x, alpha)" in result.message
    assert "def my_leaky(x, alpha):" in result.message


def test_one_argument_exercises_report_an_extra_required_parameter():
    for ex in ONE_ARG:
        result = _status(ex, lambda x, scale: x * scale)
        assert result.status == "failed"
        assert "needs 2 arguments; the check calls it with 1 (" in result.message


# --- numerics: overflow, extremes, tolerance -----------------------------------------------------


def test_naive_sigmoid_passes_with_a_note_about_overflow():
    def naive(x):
        return 1.0 / (1.0 + np.exp(-x))

    result = _status(implement_sigmoid, naive)
    assert result.passed, result.message
    assert result.notes and "overflow" in result.notes[0]
    assert "np.exp(-np.abs(x))" in result.notes[0]  # points to a form that never overflows
    assert "overflow" in str(result)


def test_tutorial_tanh_formula_fails_at_1000_pointing_to_a_stable_form():
    def tutorial_tanh(x):
        return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))

    result = _status(implement_tanh, tutorial_tanh)
    assert result.status == "failed"
    assert "nan" in result.message and "1000" in result.message
    assert "np.exp(-2 * np.abs(x))" in result.message
    assert "np.tanh" not in result.message  # the exercise is to write tanh without it


def test_tanh_via_overflowing_identity_passes_with_note():
    result = _status(implement_tanh, lambda x: 2.0 / (1.0 + np.exp(-2.0 * x)) - 1.0)
    assert result.passed, result.message
    assert any("overflow" in n for n in result.notes)


def test_tutorial_leaky_relu_formula_passes_for_alphas_in_0_1():
    result = _status(implement_leaky_relu, _leaky_tutorial)
    assert result.passed, result.message
    assert "alpha = 0.1, 0.3, 0.01, 0.5, 0.75, 0.2" in result.message


def test_leaky_checker_calls_with_several_alphas_positionally():
    seen: list[float] = []

    def spy(x, alpha):
        seen.append(alpha)
        return np.where(x > 0, x, alpha * x)

    assert _status(implement_leaky_relu, spy).passed
    assert len(set(seen)) >= 4 and all(0 < a < 1 for a in seen)


def test_softmax_checker_uses_rows_near_plus_and_minus_1000():
    shapes: list[tuple[int, ...]] = []
    extremes: list[np.ndarray] = []

    def spy(z):
        shapes.append(z.shape)
        if z.ndim == 2 and z.max() >= 1000 and z.min() <= -1000:
            extremes.append(z.copy())
        return _softmax_logsumexp(z)

    assert _status(implement_softmax, spy).passed
    assert any(len(s) == 1 for s in shapes) and any(len(s) == 2 for s in shapes)
    assert extremes, "no 2-D batch with rows at +1000 and -1000 was tried"
    row_means = extremes[0].mean(axis=-1)
    assert row_means.max() > 900 and row_means.min() < -900


def test_softmax_global_max_fails_only_because_of_the_mixed_scale_rows():
    def global_max(z):
        e = np.exp(z - z.max())
        return e / e.sum(axis=-1, keepdims=True)

    result = _status(implement_softmax, global_max)
    assert result.status == "failed"
    assert "near +1000 and the other near -1000" in result.message


def test_elementwise_checkers_try_1d_2d_and_plus_minus_1000():
    for ex in (implement_relu, implement_sigmoid, implement_tanh, implement_leaky_relu):
        inputs: list[np.ndarray] = []
        correct = ex.reference()

        def spy(x, *alpha, _correct=correct, _inputs=inputs):
            _inputs.append(x.copy())
            return _correct(x, *alpha)

        assert _status(ex, spy).passed
        assert {x.ndim for x in inputs} == {1, 2}
        assert any(x.max() >= 1000 for x in inputs) and any(x.min() <= -1000 for x in inputs)


def test_float32_output_is_accepted_but_a_float32_error_beyond_tolerance_is_not():
    assert _status(implement_sigmoid, _sigmoid_float32).passed

    def off_by_1e5(x):  # a relative error of 1e-5 is well above float32 rounding
        return (_tanh_expm1(x) * (1 + 1e-5)).astype(np.float32)

    result = _status(implement_tanh, off_by_1e5)
    assert result.status == "failed" and "wrong value" in result.message


def test_nan_where_the_answer_is_finite_fails():
    def nan_at_zero(x):
        with np.errstate(all="ignore"):
            return np.where(x == 0, np.nan, np.maximum(x, 0.0))

    result = _status(implement_relu, nan_at_zero)
    assert result.status == "failed"
    assert "nan" in result.message and "correct value is 0" in result.message


# --- the framework contract ----------------------------------------------------------------------


@pytest.mark.parametrize("ex", ALL, ids=lambda e: e.name)
def test_check_never_raises_and_strict_mode_raises(ex, monkeypatch):
    weird = [object(), lambda *a: 1 / 0, lambda *a: "text", lambda *a: np.array(["a"])]
    for answer in weird:
        assert isinstance(ex.check(answer), CheckResult)
    monkeypatch.setenv("ACTTUTOR_STRICT", "1")
    with pytest.raises(AssertionError):
        ex.check(None)
    assert ex.check(ex.reference()).passed


@pytest.mark.parametrize("ex", ALL, ids=lambda e: e.name)
def test_hints_and_solution(ex):
    assert ex.hint() == ex.hints[0]
    assert len(ex.hints) >= 2
    assert "hint" in ex.hint(99).lower() or "solution" in ex.hint(99).lower()
    code = ex.solution()
    assert f"def {ex.answer_name}(" in code and "import numpy as np" in code
    assert "```python" in code._repr_markdown_()


def test_checkers_do_not_share_state_between_calls():
    first = implement_softmax.check(_softmax_rows)
    second = implement_softmax.check(_softmax_rows)
    assert first.message == second.message and first.passed


# --- issue 13: wrong answers that used to pass, and more a learner would write ----------------


def _tanh_from_numpy_closure():
    t = np.tanh
    return lambda x: t(x)


def _tanh_default(x, t=np.tanh):
    return t(x)


def _leaky_swapped(alpha, x):
    return np.where(x > 0, x, alpha * x)


def _softmax_no_keepdims(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1)


LEARNER_MUTANTS = [
    # thresholds near 0
    (implement_relu, lambda x: np.where(x > 0.1, x, 0.0), "failed",
     "For small positive inputs such as x = 0.05 you return 0 instead of 0.05"),
    (implement_relu, lambda x: x * (x > 1e-4), "failed", "not at a threshold near it"),
    (implement_relu, lambda x: np.where(x >= -1e-3, x, 0.0), "failed",
     "For small negative inputs such as x = -0.001"),
    (implement_leaky_relu, lambda x, a: np.where(x > 0.1, x, a * x), "failed",
     "Leaky ReLU switches at exactly 0"),
    # dtypes and types
    (implement_relu, lambda x: np.maximum(x, 0).astype(np.float16), "failed",
     "float16 keeps only about 3 significant digits"),
    (implement_sigmoid, lambda x: (1 / (1 + np.exp(-np.clip(x, -50, 50)))).astype(np.float16),
     "failed", "do not cast the result down"),
    (implement_relu, lambda x: np.maximum(x, 0).tolist(), "failed", "returned a list"),
    (implement_softmax, lambda z: tuple(z), "failed", "returned a tuple"),
    # in place
    (implement_relu, lambda x: np.maximum(x, 0, out=x), "failed", "changed its input array"),
    (implement_leaky_relu, lambda x, a: np.multiply(x, np.where(x > 0, 1.0, a), out=x), "failed",
     "changed its input array"),
    # values that overflow, or are clipped, only far out
    (implement_sigmoid, lambda x: 1 / (1 + np.exp(-np.clip(x, -20, 20))), "failed",
     "clipping x to avoid the overflow"),
    (implement_relu, lambda x: np.clip(x, 0, 10), "failed", "input 1000, expected 1000, got 10"),
    (implement_relu, lambda x: np.log1p(np.exp(x)), "failed", "got 0.69314718"),
    # wrong formulas
    (implement_sigmoid, lambda x: 0.5 + x / 4, "failed", "σ(0) = 0.5"),
    (implement_softmax, lambda z: (z == z.max(axis=-1, keepdims=True)).astype(float), "failed",
     "one-hot"),
    (implement_softmax, lambda z: 1 / (1 + np.exp(-z)), "failed", "must sum to 1"),
    (implement_leaky_relu, _leaky_swapped, "failed", "the array first, the slope second"),
    # np.tanh in the tanh exercise, however it is reached
    (implement_tanh, np.tanh, "failed", "calls np.tanh"),
    (implement_tanh, _tanh_from_numpy_closure(), "failed", "calls np.tanh"),
    (implement_tanh, _tanh_default, "failed", "calls np.tanh"),
    (implement_tanh, lambda x: np.vectorize(math.tanh)(x), "failed", "calls math.tanh"),
    # exceptions are errors that show the input
    (implement_softmax, _softmax_no_keepdims, "error", "could not be broadcast"),
    (implement_leaky_relu, lambda x, a: x * a if x < 0 else x, "error", "truth value"),
]


@pytest.mark.parametrize(("ex", "fn", "status", "expected"), LEARNER_MUTANTS,
                         ids=[f"{e.name}-{m[:30]}" for e, _, _, m in LEARNER_MUTANTS])
def test_learner_mistakes_fail_with_a_precise_message(ex, fn, status, expected):
    result = _status(ex, fn)
    assert result.status == status, result
    assert expected in result.message, result.message


def test_a_sigmoid_through_np_tanh_stays_correct_and_tanh_stays_usable_afterwards():
    assert _status(implement_tanh, np.tanh).status == "failed"
    assert _status(implement_sigmoid, _sigmoid_tanh).passed
    assert np.tanh(0.5) == pytest.approx(0.46211715726)


def test_tanh_hints_and_messages_never_suggest_np_tanh():
    texts = list(implement_tanh.hints) + [implement_tanh.solution_code]
    texts += [_status(implement_tanh, fn).message for fn in (
        lambda x: (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x)),
        lambda x: np.sinh(x) / np.cosh(x),
        lambda x: np.clip(x, -1, 1),
    )]
    assert not any("np.tanh" in t for t in texts[:-3]) and all("np.tanh(" not in t for t in texts)


def test_the_checkers_probe_values_just_either_side_of_zero():
    from acttutor.exercises.implement import NEAR_ZERO, elementwise_cases

    xs = np.concatenate([c.x.ravel() for c in elementwise_cases("")])
    for v in NEAR_ZERO:
        assert v in xs
    assert (0 < xs[xs > 0]).all() and xs[xs > 0].min() <= 1e-6 and xs[xs < 0].max() >= -1e-6
