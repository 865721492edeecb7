"""How exercises show themselves in a notebook: check results, hints and solutions.

Example:

>>> print(Snippet("Use np.maximum.", "hint", "Hint 1 of 2")._repr_markdown_())
**Hint 1 of 2**
<BLANKLINE>
Use np.maximum.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

__all__ = ["COLOURS", "HEADINGS", "ICONS", "WRAP", "Snippet", "Solution", "highlight_python",
           "result_html", "result_markdown", "result_text"]

#: The icon shown before each status's heading.
ICONS: dict[str, str] = {
    "passed": "✅",
    "failed": "❌",
    "not_attempted": "✏️",
    "error": "💥",
    "checker_error": "⚠️",
}
#: The heading of each status, in words.
HEADINGS: dict[str, str] = {
    "passed": "Correct",
    "failed": "Not yet",
    "not_attempted": "Not attempted yet",
    "error": "Your code raised an exception",
    "checker_error": "The checker itself failed (not your fault)",
}
#: The inline style that lets preformatted text wrap instead of scrolling sideways.
WRAP = "white-space:pre-wrap;overflow-wrap:anywhere"
#: The colour of each status's margin line (Okabe–Ito, colour-blind safe).
COLOURS: dict[str, str] = {
    "passed": "#009E73",
    "failed": "#D55E00",
    "not_attempted": "#0072B2",
    "error": "#D55E00",
    "checker_error": "#CC79A7",
}


def result_text(status: str, message: str, notes: Sequence[str]) -> str:
    r"""A check result as plain text: icon, heading, message, then one line per note.

    Example:

    >>> result_text("passed", "All good.", ["Mind the overflow."])
    '✅ Correct: All good.\nNote: Mind the overflow.'

    Args:
        status: The result's status.
        message: The result's message.
        notes: Remarks shown after the message.

    Returns:
        The text.
    """
    lines = [f"{ICONS[status]} {HEADINGS[status]}: {message}"]
    lines += [f"Note: {n}" for n in notes]
    return "\n".join(lines)


def result_markdown(status: str, message: str, notes: Sequence[str]) -> str:
    """A check result as Markdown, with its line breaks kept.

    Example:

    >>> result_markdown("failed", "Return x.", [])
    '**❌ Not yet** — Return x.'

    Args:
        status: The result's status.
        message: The result's message.
        notes: Remarks shown after the message.

    Returns:
        The Markdown text.
    """
    body = html.escape(message).replace("\n", "  \n")
    extra = "".join(f"\n\n*Note:* {html.escape(n)}" for n in notes)
    return f"**{ICONS[status]} {HEADINGS[status]}** — {body}{extra}"


def result_html(status: str, message: str, notes: Sequence[str]) -> str:
    """A check result as an HTML block with a coloured margin line.

    Example:

    >>> 'acttutor-passed' in result_html("passed", "Fine.", [])
    True

    Args:
        status: The result's status.
        message: The result's message.
        notes: Remarks shown after the message.

    Returns:
        The HTML.
    """
    colour = COLOURS[status]
    body = html.escape(message)
    extra = "".join(f"<p><em>Note:</em> {html.escape(n)}</p>" for n in notes)
    return (
        f'<div class="acttutor-check acttutor-{status}" '
        f'style="border-left:4px solid {colour};padding:0.4em 0.8em;margin:0.4em 0">'
        f"<strong>{ICONS[status]} {HEADINGS[status]}</strong>"
        # Not <pre>: the text wraps between words; pre-line keeps the message's line breaks.
        f'<div class="acttutor-check-message" style="white-space:pre-line;'
        f'overflow-wrap:break-word;word-break:normal;margin:0.3em 0 0 0">'
        f"{body}</div>{extra}</div>"
    )


class Snippet(str):
    """Text shown as Markdown in a notebook (a hint), or as highlighted code (a solution).

    It is a ``str``, so it can be printed, compared and searched.

    Example:

    >>> Snippet("Use np.maximum.", "hint", "Hint 1 of 2").heading
    'Hint 1 of 2'

    Args:
        text: The hint or the code.
        kind: ``"hint"``, ``"code"`` or ``"note"``.
        heading: A short heading shown above it.
    """

    kind: str
    heading: str

    def __new__(cls, text: str, kind: str = "hint", heading: str = "") -> Snippet:
        """Create the snippet."""
        obj = super().__new__(cls, text)
        obj.kind = kind
        obj.heading = heading
        return obj

    def _repr_markdown_(self) -> str:
        head = f"**{self.heading}**\n\n" if self.heading else ""
        if self.kind == "code":
            return f"{head}```python\n{self}\n```"
        return f"{head}{self}"

    def _repr_html_(self) -> str:
        head = f"<p><strong>{html.escape(self.heading)}</strong></p>" if self.heading else ""
        if self.kind != "code":
            text = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(str(self)))
            return f"{head}<p>{text}</p>"
        return f"{head}{highlight_python(str(self))}"


def highlight_python(code: str) -> str:
    """Python source as highlighted HTML (Pygments), in the book's code-block markup.

    Example:

    >>> "highlight" in highlight_python("x = 1")
    True

    Args:
        code: The source.

    Returns:
        An HTML fragment.
    """
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer

        block = highlight(code, PythonLexer(), HtmlFormatter(cssclass="highlight"))
    except ImportError:  # pragma: no cover - pygments ships with IPython
        block = f"<pre>{html.escape(code)}</pre>"
    # A long line wraps inside the block instead of making the page scroll sideways.
    block = block.replace("<pre>", f'<pre style="{WRAP}">', 1)
    return f'<div class="highlight-python notranslate">{block}</div>'


class Solution:
    r"""A reference solution that shows itself collapsed, so that "Run All" spoils nothing.

    Its rich display (HTML and Markdown) is the code inside a closed
    ``<details>`` element, and nothing else; the reader clicks to open it. Its
    plain-text form names the exercise without printing the code; ``str()``
    (and so ``print``) gives the code itself.

    Example:

    >>> sol = Solution("ex3", "def f(x):\n    return x\n")
    >>> repr(sol)[:47]
    '<reference solution for ex3, collapsed: open it'
    >>> "def f" in sol and sol._repr_html_().startswith("<details")
    True

    Args:
        exercise: The exercise's name.
        code: The solution's source.
    """

    def __init__(self, exercise: str, code: str) -> None:
        self.exercise = exercise
        self.code = code.rstrip("\n") + "\n"

    def __repr__(self) -> str:
        return (f"<reference solution for {self.exercise}, collapsed: open it in a notebook, "
                f"or print({self.exercise}.solution()) to see the code>")

    def __str__(self) -> str:
        return self.code

    def __contains__(self, text: str) -> bool:
        return text in self.code

    def _summary(self) -> str:
        return f"Show a reference solution for {self.exercise}"

    def _repr_html_(self) -> str:
        return (f'<details class="acttutor-solution"><summary>{html.escape(self._summary())}'
                f"</summary>{highlight_python(self.code)}</details>")

    def _repr_markdown_(self) -> str:
        return (f"<details><summary>{html.escape(self._summary())}</summary>\n\n"
                f"```python\n{self.code}```\n\n</details>")
