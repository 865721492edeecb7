"""Accessibility of the built book: the audit itself, and keyboard navigation.

The audit of every page of ``_toc.yml`` (axe-core, :mod:`axe_audit`) runs during the one
visit per page that ``test_browser.py`` makes, and its results are checked there, page by
page and theme by theme. The tests here check what that audit rests on: that axe really
runs and fails a bad page, that the sampling finds a faint style in a code block, and that
switching a page to the dark theme in place gives the colours of a page loaded dark.

A last test walks a chapter with the Tab key, as a keyboard user would, and checks that
focus reaches the search box, the sidebar's links and the next/previous links.
"""

from __future__ import annotations

import sys
from typing import Any
from urllib.parse import urlparse

import pytest
from axe_audit import AXE_OPTIONS, RUN_AXE, audit_page, switch_to_dark
from nbutils import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import book_browser  # noqa: E402


def test_the_audit_can_fail(browser: Any, base_url: str) -> None:
    """axe-core really runs: a page with an unlabelled button and grey-on-grey text fails."""
    reason = book_browser.axe_missing()
    if reason:
        pytest.skip(reason)
    context = book_browser.offline_context(browser, [])
    page = context.new_page()
    page.set_content("<html lang='en'><body><main><button></button>"
                     "<p style='color:#bbb;background:#ccc'>faint</p></main></body></html>")
    page.add_script_tag(path=str(book_browser.AXE_JS))
    found = {v["id"] for v in page.evaluate(RUN_AXE, ["document", AXE_OPTIONS])}
    assert {"button-name", "color-contrast"} <= found

    # Faint text inside a code block, in its second style only: the sampling finds it.
    page.set_content("<html lang='en'><body><main><div class='highlight'><pre>"
                     "<span class='n'>fine</span> <span class='n'>also</span> "
                     "<span class='c1' style='color:#ddd'>faint</span></pre></div>"
                     "</main></body></html>")
    seen: set[str] = set()
    sampled = {v["id"] for v in audit_page(page, "light", seen)}
    context.close()
    assert "color-contrast" in sampled
    assert len(seen) == 2, seen  # span.n and span.c1, each once


# The colours axe's contrast rule reads, element by element: {element: its data}.
CONTRAST_DATA = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']}});
  const out = {};
  for (const kind of ['passes', 'incomplete', 'violations']) {
    for (const v of r[kind]) {
      for (const n of v.nodes) {
        const check = n.any[0] || n.all[0] || n.none[0] || {};
        out[n.target.join(' ')] = JSON.stringify(check.data);
      }
    }
  }
  return out;
}"""


def test_switching_to_dark_in_place_gives_the_colours_of_a_dark_load(browser: Any,
                                                                     base_url: str) -> None:
    """What the audit's in-place switch rests on: the same colours, element by element."""
    reason = book_browser.axe_missing()
    if reason:
        pytest.skip(reason)
    colours = {}
    for scheme in ("light", "switched", "dark"):
        context = book_browser.offline_context(
            browser, [], color_scheme="dark" if scheme == "dark" else "light")
        page = context.new_page()
        page.goto(f"{base_url}book/exercises/ex3_custom.html")
        book_browser.settle(page)
        if scheme == "switched":
            switch_to_dark(page)
        page.add_script_tag(path=str(book_browser.AXE_JS))
        colours[scheme] = page.evaluate(CONTRAST_DATA)
        context.close()
    assert len(colours["dark"]) > 50
    assert colours["switched"] == colours["dark"]
    changed = sum(colours["light"].get(k) != v for k, v in colours["dark"].items())
    assert changed > 0.5 * len(colours["dark"])  # the themes' colours really differ


# The element that has the keyboard focus, described by the parts of the page it is in.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) { return null; }
  return {
    tag: e.tagName.toLowerCase(), href: e.getAttribute('href'),
    classes: e.className && e.className.baseVal === undefined ? e.className : '',
    search: !!e.closest('.search-button-field, .search-button__button, form.bd-search, '
                        + '.search-button__wrapper'),
    sidebar: !!e.closest('.bd-sidebar-primary'),
    next: e.matches('a.right-next'), previous: e.matches('a.left-prev'),
    visible: e.getClientRects().length > 0,
  };
}"""


def test_keyboard_reaches_search_sidebar_and_next_previous(browser: Any, base_url: str) -> None:
    """Tab from the top of a chapter: focus reaches every part a reader navigates with."""
    context = book_browser.offline_context(browser, blocked := [])
    page = context.new_page()
    page.goto(f"{base_url}book/tanh.html")
    book_browser.settle(page)
    seen: list[dict[str, Any]] = []
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused:
            seen.append(focused)
        if focused and focused["previous"] and any(f["next"] for f in seen):
            break
    assert any(f["search"] for f in seen), "Tab never reached the search button"
    sidebar_links = [f for f in seen if f["sidebar"] and f["tag"] == "a" and f["href"]]
    assert len(sidebar_links) >= 5, "Tab reached fewer than 5 links of the sidebar"
    assert any(f["next"] for f in seen) and any(f["previous"] for f in seen), (
        "Tab never reached the next/previous links")
    assert all(f["visible"] for f in seen if f["next"] or f["previous"] or f["search"])

    # The search button opens the search dialog from the keyboard, with its field focused.
    page.goto(f"{base_url}book/tanh.html")
    book_browser.settle(page)
    for _ in range(60):
        page.keyboard.press("Tab")
        if (page.evaluate(FOCUSED) or {}).get("search"):
            break
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.name === 'q'",
                           timeout=5_000)
    page.keyboard.type("softmax")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?*", timeout=20_000)
    assert urlparse(page.url).path.endswith("/search.html")
    context.close()
    assert blocked == []
