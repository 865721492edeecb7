"""How results, hints and solutions show in a notebook (acttutor/exercises/display.py)."""

from __future__ import annotations

from acttutor.exercises.core import CheckResult
from acttutor.exercises.display import Snippet, Solution, result_html


def test_check_result_text_wraps_between_words_and_keeps_line_breaks() -> None:
    page = result_html("not_attempted", "Replace the placeholder.\nStuck? Call ex1.hint().", [])
    assert "<pre" not in page
    assert "white-space:pre-line" in page  # line breaks kept, long lines wrap at spaces
    assert "word-break:normal" in page and "break-all" not in page
    assert "Stuck? Call ex1.hint()." in page


def test_check_result_shows_once_in_rich_form_with_notes() -> None:
    result = CheckResult("passed", "Fine <3", exercise="ex1", notes=("mind the overflow",))
    assert "Fine &lt;3" in result._repr_html_() and "mind the overflow" in result._repr_html_()
    assert result._repr_markdown_().startswith("**✅ Correct**")


def test_solution_displays_only_a_closed_details_element() -> None:
    sol = Solution("ex3", "def f(x):\n    return x * 2\n")
    for rich in (sol._repr_html_(), sol._repr_markdown_()):
        assert rich.startswith("<details") and rich.rstrip().endswith("</details>")
        assert rich.count("<details") == 1 and "<details open" not in rich
        assert "Show a reference solution for ex3" in rich.split("</summary>")[0]
    assert "return x * 2" not in repr(sol) and "ex3" in repr(sol)
    assert "return x * 2" in str(sol) and "return x * 2" in sol


def test_hint_html_renders_inline_code() -> None:
    page = Snippet("Use `np.exp`.", "hint", "Hint 1 of 3")._repr_html_()
    assert "<code>np.exp</code>" in page and "Hint 1 of 3" in page
