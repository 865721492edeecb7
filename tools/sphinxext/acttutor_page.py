r"""Sphinx extension for the acttutor book's pages: layout, favicon and accessible markup.

``acttutor_sphinx`` loads it. It does three jobs, each checked in the browser by
``tests/book/test_browser.py`` (which also runs the axe-core audit of every page) and
``tests/book/test_a11y_audit.py``:

* **Assets.** ``static/acttutor.css`` (a column that holds an 88-character code line at
  1280 px, tables and outputs that wrap, figures on white in the dark theme, the slider
  figures' controls) and the favicon in ``static/`` are added to every page.
* **Template overrides** (``templates/``, searched before the theme's ``components/``): the colour
  mode button's icons are hidden from screen readers, so its name is its label, and the
  search button's name is its visible text ("Search Ctrl+K"); axe-core reported both as
  ``label-content-name-mismatch``.
* **Markup fixes in the rendered page.** The navigation's expand buttons (``<summary>``
  elements holding only a chevron) are named after the section they open
  (``summary-name``); bibliography entries get the list-item role that their list requires
  (``aria-required-children``; ``doc-biblioentry`` is deprecated); a hidden cell's toggle is
  named by its visible text ("Show code cell output"); and a formula in a table
  cell that lists several parts (``x \text{ if } x > 0 ...,\ \alpha = 1``) is split at its
  top-level commas into separate formulas, so that the cell can wrap between them
  instead of pushing the table out of the column (MathJax 3 does not break lines).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from sphinx.application import Sphinx

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
#: The stylesheet added to every page (from :data:`STATIC`).
STYLESHEET = "acttutor.css"

#: A top-level comma followed by TeX spacing: where a formula may be split.
_SPLIT_AT = re.compile(r",\\(?: |,|;|quad\b|qquad\b)\s*")
#: An inline formula as Sphinx and acttutor.tables write it.
_INLINE_MATH = re.compile(
    r'<span class="math notranslate nohighlight">\\\((?P<tex>.*?)\\\)</span>', re.S)
#: One table cell (cells do not nest in this book).
_CELL = re.compile(r"<t[dh]\b.*?</t[dh]>", re.S)


def split_formula(tex: str) -> list[str]:
    r"""Split a TeX formula at its top-level commas that are followed by spacing.

    Commas inside braces, brackets or parentheses (``\max(0, x)``) stay where they are;
    each part but the last keeps its comma.

    Example:

    >>> split_formula(r"x \text{ if } x > 0 \text{ else } \alpha(e^{x} - 1),\ \alpha = 1")
    ['x \\text{ if } x > 0 \\text{ else } \\alpha(e^{x} - 1),', '\\alpha = 1']
    >>> split_formula(r"\max(0, x)")
    ['\\max(0, x)']

    Args:
        tex: The formula, without its ``\(`` and ``\)`` delimiters.

    Returns:
        The parts, in order; the formula itself when it has no such comma.
    """
    parts: list[str] = []
    depth = start = i = 0
    while i < len(tex):
        char = tex[i]
        if char == "\\" and i + 1 < len(tex) and tex[i + 1] in "{}()[],":
            i += 2
            continue
        if char in "{([":
            depth += 1
        elif char in "})]":
            depth -= 1
        elif char == "," and depth == 0:
            match = _SPLIT_AT.match(tex, i)
            if match:
                parts.append(tex[start: i + 1])
                start = i = match.end()
                continue
        i += 1
    parts.append(tex[start:])
    return [p for p in parts if p.strip()] or [tex]


def split_table_formulas(body: str) -> str:
    r"""Split every multi-part formula inside a table cell of a page's HTML.

    Example:

    >>> cell = r'<td><span class="math notranslate nohighlight">\(a,\ b\)</span></td>'
    >>> split_table_formulas(cell).count('class="math')
    2

    Args:
        body: The page's HTML.

    Returns:
        The HTML with each such formula written as several, separated by spaces.
    """

    def one_formula(match: re.Match[str]) -> str:
        return " ".join(f'<span class="math notranslate nohighlight">\\({part}\\)</span>'
                        for part in split_formula(match.group("tex")))

    return _CELL.sub(lambda cell: _INLINE_MATH.sub(one_formula, cell.group(0)), body)


def fix_citation_roles(body: str) -> str:
    """Give bibliography entries the ``listitem`` role their ``role="list"`` parent needs.

    Example:

    >>> fix_citation_roles('<div class="citation" id="x" role="doc-biblioentry">')
    '<div class="citation" id="x" role="listitem">'

    Args:
        body: The page's HTML.

    Returns:
        The HTML with ``role="doc-biblioentry"`` replaced.
    """
    return body.replace('role="doc-biblioentry"', 'role="listitem"')


def fix_cell_toggle_names(body: str) -> str:
    """Let a hidden cell's toggle be named by its visible text ("Show code cell output").

    MyST-NB labels the ``<summary>`` "Toggle hidden content", which does not contain the
    words a sighted reader sees (axe-core: ``label-content-name-mismatch``).

    Example:

    >>> fix_cell_toggle_names('<summary aria-label="Toggle hidden content">')
    '<summary>'

    Args:
        body: The page's HTML.

    Returns:
        The HTML with that label removed.
    """
    return body.replace('<summary aria-label="Toggle hidden content">', "<summary>")


def name_toggles(html: str) -> str:
    """Give each navigation ``<summary>`` that holds only an icon a name for screen readers.

    Example:

    >>> toc = ('<li><a class="reference" href="x.html">Exercises</a><details><summary>'
    ...        '<span class="toctree-toggle" role="presentation"><i></i></span></summary>'
    ...        '</details></li>')
    >>> 'aria-label="Show or hide the pages under Exercises"' in name_toggles(toc)
    True

    Args:
        html: A navigation tree's HTML.

    Returns:
        The HTML, with ``aria-label`` on each summary that has no text.
    """
    if "<summary" not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    for summary in soup.find_all("summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        item = summary.find_parent("li")
        link = item.find("a") if item else None
        title = " ".join(link.get_text(" ").split()) if link else ""
        summary["aria-label"] = (f"Show or hide the pages under {title}" if title
                                 else "Show or hide the pages in this section")
    return str(soup)


def _fix_page(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
              doctree: Any) -> None:
    body = context.get("body")
    if isinstance(body, str):
        context["body"] = fix_cell_toggle_names(fix_citation_roles(split_table_formulas(body)))


def _name_toggles_in_pages(app: Sphinx, exception: Exception | None) -> None:
    # The theme renders the navigation inside its templates, after html-page-context:
    # name its toggles in the written pages.
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "<summary><span class=\"toctree-toggle\"" not in text:
            continue
        start, end = text.find("<nav"), text.rfind("</nav>")
        fixed = re.sub(r"<li\b[^>]*has-children[^>]*>.*?</summary>",
                       lambda m: name_toggles(m.group(0) + "</details></li>")[
                           : -len("</details></li>")],
                       text[start:end], flags=re.S)
        page.write_text(text[:start] + fixed + text[end:], encoding="utf-8")


def _add_paths(app: Sphinx, config: Any) -> None:
    config.html_static_path.append(str(STATIC))
    config.templates_path.insert(0, str(TEMPLATES))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the stylesheet, the template folder and the page fixes.

    Args:
        app: The Sphinx application.

    Returns:
        Extension metadata: safe for parallel reading and writing.
    """
    app.connect("config-inited", _add_paths)
    app.add_css_file(STYLESHEET, priority=900)
    # After the theme's own handlers (priority 500) have put their functions in the context.
    app.connect("html-page-context", _fix_page, priority=900)
    app.connect("build-finished", _name_toggles_in_pages)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
