"""The exercise framework (acttutor/exercises/core.py and its kit), tested with a toy exercise."""

from __future__ import annotations

import numpy as np
import pytest

from acttutor.exercises.core import (
    CheckResult,
    Exercise,
    Fail,
    Snippet,
    call_learner,
    compare_arrays,
    describe,
)
from acttutor.exercises.display import Solution

X = np.array([-2.0, -0.5, 0.0, 1.5])


def _check_double(f, *, notes, scale: float = 2.0):
    got = call_learner(f, X, warnings_out=notes)
    compare_arrays(got, scale * X, inputs=X)
    return "doubles correctly"


DOUBLE = Exercise(
    "double",
    "Double it",
    _check_double,
    hints=["Multiply by two.", "return 2 * x"],
    solution_code="def double(x):\n    return 2.0 * x\n",
    answer_name="double",
)


def raise_not_implemented(x):
    raise NotImplementedError


def test_reference_solution_passes() -> None:
    result = DOUBLE.check(DOUBLE.reference())
    assert result.passed and result.status == "passed"
    assert result.message == "doubles correctly"


@pytest.mark.parametrize("placeholder", [None, ..., raise_not_implemented])
def test_placeholders_are_not_attempted(placeholder) -> None:
    result = DOUBLE.check(placeholder)
    assert result.status == "not_attempted"
    assert "placeholder" in result.message and "double.hint()" in result.message


def test_learner_exception_is_error_with_the_input() -> None:
    def broken(x):
        return x / undefined_name  # noqa: F821

    result = DOUBLE.check(broken)
    assert result.status == "error"
    assert "NameError" in result.message and "array([-2." in result.message


def test_wrong_values_give_one_counterexample() -> None:
    result = DOUBLE.check(lambda x: x + x + 1)
    assert result.status == "failed"
    assert "expected -4" in result.message and "got -3" in result.message
    assert "4 of 4 values differ" in result.message


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (42, "Expected a function"),
        (lambda x: None, "returned None"),
        (lambda x: list(2 * x), "returned a list"),
        (lambda x: (2 * x)[:2], "returned shape (2,)"),
        (lambda x: (2 * x).astype(int), "dtype int64"),
        (lambda x: np.where(x > 0, np.inf, 2 * x), "returned inf"),
    ],
)
def test_first_problem_is_named(answer, fragment: str) -> None:
    result = DOUBLE.check(answer)
    assert result.status == "failed"
    assert fragment in result.message


def test_in_place_mutation_fails_and_the_callers_array_is_untouched() -> None:
    def sneaky(x):
        x *= 2
        return x

    before = X.copy()
    result = DOUBLE.check(sneaky)
    assert result.status == "failed" and "in place" in result.message
    np.testing.assert_array_equal(X, before)


def test_warnings_become_notes_without_failing() -> None:
    def noisy(x):
        np.exp(np.array([1000.0]))  # overflow warning, result unused
        return 2.0 * x

    result = DOUBLE.check(noisy)
    assert result.passed
    assert any("overflow" in note for note in result.notes)


def test_checker_bug_is_checker_error_not_blamed_on_learner() -> None:
    def buggy_check(f, *, notes):
        raise KeyError("internal")

    ex = Exercise("bug", "Bug", buggy_check, hints=[], solution_code="x = 1", answer_name="x")
    result = ex.check(lambda x: x)
    assert result.status == "checker_error"
    assert "not in your answer" in result.message


def test_options_are_passed_and_unknown_ones_reported() -> None:
    assert DOUBLE.check(lambda x: 3.0 * x, scale=3.0).passed
    result = DOUBLE.check(lambda x: 2.0 * x, scael=3.0)
    assert result.status == "failed" and "'scael'" in result.message and "scale" in result.message


def test_strict_mode_raises_only_when_not_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTTUTOR_STRICT", "1")
    assert DOUBLE.check(lambda x: 2.0 * x).passed
    with pytest.raises(AssertionError, match="double"):
        DOUBLE.check(lambda x: x)


def test_hints_in_order_then_a_polite_note() -> None:
    assert DOUBLE.hint() == "Multiply by two."
    assert DOUBLE.hint(2) == "return 2 * x"
    assert "only 2 hints" in DOUBLE.hint(3)
    assert "numbered from 1" in DOUBLE.hint(0)
    assert "Hint 1 of 2" in DOUBLE.hint()._repr_markdown_()


def test_solution_is_highlighted_code_shown_collapsed() -> None:
    sol = DOUBLE.solution()
    assert isinstance(sol, Solution) and "def double" in sol and str(sol) == DOUBLE.solution_code
    page = sol._repr_html_()
    assert page.startswith('<details class="acttutor-solution"><summary>') and page.endswith(
        "</details>")
    assert 'class="highlight' in page and " open" not in page.split(">")[0]
    markdown = sol._repr_markdown_()
    assert markdown.startswith("<details><summary>") and markdown.endswith("</details>")
    assert "```python\ndef double(x):" in markdown
    assert "def double" not in repr(sol) and "double" in repr(sol)
    assert "print(double.solution())" in repr(sol)


def test_check_result_displays_once_in_rich_form() -> None:
    result = CheckResult("failed", "x <b>", exercise="e", notes=("n",))
    assert not result and not result.passed
    assert "&lt;b&gt;" in result._repr_html_()
    assert "Not yet" in result._repr_markdown_()
    assert str(result).startswith("❌")


def test_describe_never_prints_a_whole_array() -> None:
    text = describe(np.arange(1000.0))
    assert "shape (1000,)" in text and "999" not in text


def test_fail_is_an_exception() -> None:
    with pytest.raises(Fail):
        compare_arrays(np.zeros(2), np.ones(2), inputs=np.zeros(2))


def test_hint_html_renders_inline_code_and_escapes_the_rest() -> None:
    html_text = Snippet("Call `np.maximum(x, 0)` <now>", "hint", "Hint 1")._repr_html_()
    assert "<code>np.maximum(x, 0)</code>" in html_text and "&lt;now&gt;" in html_text


# --------------------------------------------------------------------------- issue 13: framework


@pytest.mark.parametrize("n", [2, 2.0, "2", " 2 ", np.int64(2)])
def test_hint_number_may_be_given_as_float_or_text(n) -> None:
    assert DOUBLE.hint(n) == "return 2 * x"


@pytest.mark.parametrize("n", [True, 2.5, "two", "-1", None, 0])
def test_hint_that_is_not_a_whole_number_gets_a_polite_note(n) -> None:
    note = DOUBLE.hint(n)
    assert note.kind == "note" and "numbered from 1" in note and "double.hint(2)" in note


def test_options_may_be_given_by_position() -> None:
    assert DOUBLE.check(lambda x: 3.0 * x, 3.0).passed
    too_many = DOUBLE.check(lambda x: 3.0 * x, 3.0, 4.0)
    assert too_many.status == "failed" and "at most 1 more argument(s) (scale)" in too_many.message
    twice = DOUBLE.check(lambda x: 3.0 * x, 3.0, scale=3.0)
    assert twice.status == "failed" and "'scale' twice" in twice.message


def _stub_with_docstring_and_comments(x):
    """Double every element."""
    # Replace the line below with your code.
    pass
    raise NotImplementedError("Replace this line with your code.")


class _StubCallable:
    def __call__(self, x):
        raise NotImplementedError


def test_the_untouched_placeholder_body_is_not_attempted() -> None:
    for stub in (_stub_with_docstring_and_comments, _StubCallable()):
        result = DOUBLE.check(stub)
        assert result.status == "not_attempted", stub


def test_not_implemented_for_some_inputs_is_an_error_naming_the_input() -> None:
    def only_positive(x):
        if (x < 0).any():
            raise NotImplementedError("negative inputs later")
        return 2.0 * x

    result = DOUBLE.check(only_positive)
    assert result.status == "error"
    assert "NotImplementedError: negative inputs later" in result.message
    assert "array([-2. , -0.5, 0. , 1.5])" in result.message


def test_a_function_with_the_wrong_number_of_parameters_is_told_what_the_check_passes() -> None:
    def double(x, factor):
        return factor * x

    result = DOUBLE.check(double)
    assert result.status == "failed"
    assert "double(x, factor): your function takes 2 arguments" not in result.message
    assert "your function needs 2 arguments; the check calls it with 1 (arg1)" in result.message
    assert "core.py" not in result.message and "kit.py" not in result.message
    result = DOUBLE.check(lambda: 0.0)
    assert "your function takes 0 arguments; the check calls it with 1 (arg1)" in result.message


def test_a_keyboard_interrupt_in_the_learners_code_still_interrupts() -> None:
    def interrupted(x):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        DOUBLE.check(interrupted)
