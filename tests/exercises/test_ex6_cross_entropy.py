"""Checker tests for ex6 (stable cross-entropy): reference, alternatives, mutants, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from acttutor.exercises import ex6
from acttutor.exercises.ex6_cross_entropy import ATOL, RTOL, _cases, reference_loss


def _rows(labels):
    return np.arange(len(labels))


def _softmax(z, axis=1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _stable(z, y):
    return ex6.reference()(z, y)


# --------------------------------------------------------------------------- the reference itself


def test_reference_loss_against_an_independent_computation():
    """math.fsum over Python floats, row by row: no NumPy in the comparison."""
    for case in _cases():
        got = reference_loss(case.logits, case.labels)
        for row, label, value in zip(case.logits, case.labels, got, strict=True):
            m = max(row)
            lse = m + math.log(math.fsum(math.exp(v - m) for v in row))
            assert value == pytest.approx(lse - row[label], rel=1e-12, abs=1e-12)


def test_the_cases_cover_what_the_contract_names():
    cases = _cases()
    logits = np.concatenate([c.logits.ravel() for c in cases])
    assert logits.max() >= 1000 and logits.min() <= -1000
    spans = [float(np.ptp(c.logits, axis=1).max()) for c in cases]
    assert max(spans) >= 2000
    assert any(700 < s < 1500 for s in spans)  # between exp's overflow and the extremes
    assert all(c.labels.dtype.kind == "i" and c.labels.shape == c.logits.shape[:1]
               for c in cases)
    assert any(c.logits.shape[0] != c.logits.shape[1] for c in cases)


# --------------------------------------------------------------------------- correct answers


def test_reference_passes():
    result = ex6.check(ex6.reference())
    assert result.status == "passed", result.message
    assert "float64 reference on 26 examples" in result.message


def alt_logaddexp(logits, labels):
    """np.logaddexp.reduce does the shifting itself."""
    return np.logaddexp.reduce(logits, axis=-1) - logits[_rows(labels), labels]


def alt_lse_plus_max(logits, labels):
    """Max subtraction written out, no scipy, a float32 result of a float64 computation."""
    m = np.max(logits, axis=1)
    lse = m + np.log(np.exp(logits - m[:, None]).sum(axis=1))
    picked = np.take_along_axis(logits, labels[:, None], axis=1)[:, 0]
    return (lse - picked).astype(np.float32)


def alt_loop(logits, labels):
    """Row by row with Python's math module."""
    out = []
    for row, label in zip(logits, labels, strict=True):
        m = max(row)
        out.append(m + math.log(sum(math.exp(v - m) for v in row)) - row[label])
    return np.array(out)


@pytest.mark.parametrize("answer", [alt_logaddexp, alt_lse_plus_max, alt_loop])
def test_other_correct_solutions_pass(answer):
    result = ex6.check(answer)
    assert result.status == "passed", result.message


def test_scipy_logsumexp_passes():
    special = pytest.importorskip("scipy.special")
    result = ex6.check(lambda z, y: special.logsumexp(z, axis=1) - z[_rows(y), y])
    assert result.status == "passed", result.message


# --------------------------------------------------------------------------- wrong answers


def naive_log_softmax(logits, labels):
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return -np.log(p[_rows(labels), labels])


def log_of_stable_softmax(logits, labels):
    return -np.log(_softmax(logits)[_rows(labels), labels])


def shift_by_min(logits, labels):
    """Finite while a row spans less than ~709, inf beyond."""
    s = logits - logits.min(axis=1, keepdims=True)
    return np.log(np.exp(s).sum(axis=1)) - s[_rows(labels), labels]


def mean_loss(logits, labels):
    return np.mean(_stable(logits, labels))


def summed_loss(logits, labels):
    return float(np.sum(_stable(logits, labels)))


def wrong_axis(logits, labels):
    return -np.log(_softmax(logits, axis=0))[_rows(labels), labels]


def sign_error(logits, labels):
    return -_stable(logits, labels)


def one_hot_assumed(logits, labels):
    log_p = logits - np.logaddexp.reduce(logits, axis=1, keepdims=True)
    return -np.sum(labels * log_p, axis=1)


def in_float32(logits, labels):
    z = logits.astype(np.float32)
    shifted = z - z.max(axis=1, keepdims=True)
    return np.log(np.exp(shifted).sum(axis=1)) - shifted[_rows(labels), labels]


def mutates_logits(logits, labels):
    logits -= logits.max(axis=1, keepdims=True)
    return np.log(np.exp(logits).sum(axis=1)) - logits[_rows(labels), labels]


def float16_out(logits, labels):
    return _stable(logits, labels).astype(np.float16)


def int_out(logits, labels):
    return np.round(_stable(logits, labels)).astype(np.int64)


def column_out(logits, labels):
    return _stable(logits, labels)[:, None]


def per_class_out(logits, labels):
    return -(logits - np.logaddexp.reduce(logits, axis=1, keepdims=True))


def list_out(logits, labels):
    return list(_stable(logits, labels))


MUTANTS = {
    naive_log_softmax: ["returned nan", "near 800", "exp(800) overflows",
                        "Subtract each row's maximum"],
    log_of_stable_softmax: ["returned inf", "span 1000", "divide by zero",
                            "Do not take np.log of a softmax"],
    shift_by_min: ["returned inf", "span 1000", "overflow in np.exp",
                   "other than the row maximum"],
    mean_loss: ["single number", "one loss per example, shape (3,)", "Do not average"],
    summed_loss: ["single number", "Do not average or sum"],
    wrong_axis: ["wrong loss for row", "axis 0", "axis=1"],
    sign_error: ["wrong loss for row", "log-probabilities", "negative"],
    one_hot_assumed: ["wrong loss for row", "not one-hot", "np.arange(n), labels"],
    in_float32: ["wrong loss for row", "float32 rounding", "float64"],
    mutates_logits: ["changed `logits` or `labels` in place", "shifted = logits - m"],
    float16_out: ["dtype float16"],
    int_out: ["dtype int64", "float array"],
    column_out: ["shape (3, 1)", "expected (3,)", "reshape(-1)"],
    per_class_out: ["shape (3, 3)", "one value per class"],
    list_out: ["returned a list", "NumPy array of shape (3,)"],
}


@pytest.mark.parametrize("mutant", list(MUTANTS), ids=lambda f: f.__name__)
def test_mutants_fail_with_their_message(mutant):
    result = ex6.check(mutant)
    assert result.status == "failed", result.message
    for fragment in MUTANTS[mutant]:
        assert fragment in result.message, (fragment, result.message)
    assert result.message.count("expected") <= 2  # one problem, one counterexample


def test_shift_by_min_is_right_below_700():
    """The mutant's failure is the overflow, not some other mistake."""
    z = np.array([[600.0, 0.0, 10.0], [3.0, -2.0, 1.0]])
    y = np.array([1, 2])
    assert np.allclose(shift_by_min(z, y), reference_loss(z, y), rtol=1e-12)


def test_float32_mutant_fails_only_by_precision():
    """Where it fails, float32 is within 1e-3 but not within the contract's 1e-5."""
    case = _cases()[2]
    got = in_float32(case.logits.copy(), case.labels)
    want = reference_loss(case.logits, case.labels)
    assert np.allclose(got, want, rtol=1e-3)
    assert not np.allclose(got, want, rtol=RTOL, atol=ATOL)


def test_a_hard_coded_answer_fails():
    first = _cases()[0]
    table = reference_loss(first.logits, first.labels)
    result = ex6.check(lambda z, y: table.copy())
    assert result.status == "failed"
    assert "shape" in result.message


def test_the_message_shows_one_row_not_whole_arrays():
    result = ex6.check(sign_error)
    assert result.message.count("array(") <= 2


# --------------------------------------------------------------------------- outcomes


def test_placeholder_is_not_attempted():
    def cross_entropy(logits, labels):
        raise NotImplementedError("Replace this line with your code.")

    assert ex6.check(cross_entropy).status == "not_attempted"
    assert ex6.check(None).status == "not_attempted"
    assert ex6.check(...).status == "not_attempted"


def test_raising_function_is_error_with_the_input():
    def broken(logits, labels):
        return logits[labels]  # whole rows, not one entry each: wrong, but it runs

    def raises(logits, labels):
        raise ValueError("boom")

    result = ex6.check(raises)
    assert result.status == "error"
    assert "ValueError: boom" in result.message and "logits of shape (3, 3)" in result.message
    assert ex6.check(broken).status == "failed"


@pytest.mark.parametrize("answer", [42, "cross_entropy", lambda logits: logits,
                                    lambda z, y: None, lambda *a: np.array(["a", "b", "c"]),
                                    lambda z, y, w: z])
def test_bad_answers_fail_clearly_and_check_never_raises(answer):
    result = ex6.check(answer)
    assert result.status == "failed", result.message
    assert "Traceback" not in result.message and result.message


def test_inputs_the_checker_passes_are_untouched_by_a_correct_answer():
    seen = []

    def spy(logits, labels):
        seen.append((logits.copy(), labels.copy()))
        return _stable(logits, labels)

    assert ex6.check(spy).passed
    for (z, y), case in zip(seen, _cases(), strict=True):
        assert np.array_equal(z, case.logits) and np.array_equal(y, case.labels)


def test_hints_and_solution():
    assert len(ex6.hints) == 3
    assert "def cross_entropy(logits, labels):" in ex6.solution_code
    assert ex6.answer_name == "cross_entropy"
    assert ex6.notebook == "ex6_cross_entropy.ipynb"
