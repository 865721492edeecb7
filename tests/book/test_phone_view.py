"""The built book on a phone: every page opened at 390×844 in headless Chromium.

At that width a wide table or code cell may scroll inside its own box, but the page as a
whole never scrolls sideways and no table reaches past the column. (``test_browser.py``
measures the same things at 1280 px, in its one visit per page.)
"""

from __future__ import annotations

import sys
from typing import Any

import pytest
from nbutils import ROOT
from page_probes import CODE_LINE_LENGTH, FIT_JS

sys.path.insert(0, str(ROOT / "tools"))
import book_browser  # noqa: E402

PHONE = {"width": 390, "height": 844}
PAGES = book_browser.toc_pages()


@pytest.fixture(scope="module")
def phone(browser: Any, base_url: str) -> dict[str, dict[str, Any]]:
    """What :data:`page_probes.FIT_JS` measures on every page, in one tab 390 px wide."""
    found = {}
    context = book_browser.offline_context(browser, [], viewport=PHONE)
    page = context.new_page()
    for docname in PAGES:
        page.goto(f"{base_url}{docname}.html")
        book_browser.settle(page)
        found[docname] = page.evaluate(FIT_JS, CODE_LINE_LENGTH)
    context.close()
    return found


def test_every_page_was_measured(phone: dict[str, dict[str, Any]]) -> None:
    assert list(phone) == PAGES
    assert [d for d, r in phone.items() if r is None] == [], "pages without an article"
    assert sum(len(r["tables"]) for r in phone.values()) > 10


def test_no_page_scrolls_sideways_on_a_phone(phone: dict[str, dict[str, Any]]) -> None:
    assert [d for d, r in phone.items() if r["pageScrolls"]] == []


def test_no_table_reaches_past_the_column_on_a_phone(phone: dict[str, dict[str, Any]]) -> None:
    clipped = {d: [t["where"] for t in r["tables"] if t["clipped"]] for d, r in phone.items()}
    assert {d: where for d, where in clipped.items() if where} == {}
