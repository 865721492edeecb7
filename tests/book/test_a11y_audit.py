"""Accessibility of the built book: axe-core on every page, and keyboard navigation.

axe-core (pinned in ``tools/install_browser_deps.sh``, installed from npm into
``tools/axe``, served from disk) audits every page of ``_toc.yml``. Its default rules run,
plus ``label-content-name-mismatch`` (experimental in axe, and one the book used to fail).
No violation of impact "serious" or "critical" may remain, and none of ``region`` (content
outside the page's landmarks).

The colour rules run again in the dark theme (the other rules read the page's structure,
which the theme does not change). Each page is loaded once: audited in the light theme,
then switched to the dark one in place (the browser's colour scheme changes, transitions
are turned off, and the theme follows), which gives the same colours as a page loaded in
the dark theme (a test below checks this on an exercise page).

Colour contrast is axe's slowest rule by far (about 6 ms per element of text), and code
blocks and API entries repeat a few styles thousands of times. So in those regions
(:data:`SAMPLED`) contrast is checked on one element of each style (its tag and classes,
its parent's and its container's), the first the audit meets in the whole book; everywhere
else it is checked on every element. Each audit is one ``axe.run`` over the page (each run
pays axe's set-up over the whole page again): the elements not sampled are marked, and the
contrast rule is told to leave them out.

A second test walks a chapter with the Tab key, as a keyboard user would, and checks that
focus reaches the search box, the sidebar's links and the next/previous links.
"""

from __future__ import annotations

import sys
from typing import Any
from urllib.parse import urlparse

import pytest
from nbutils import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import book_browser  # noqa: E402

#: The window the audit was tuned at (a little taller than book_browser.VIEWPORT).
VIEWPORT = {"width": 1280, "height": 900}
PAGES = book_browser.toc_pages()
#: Impacts that fail the audit.
BLOCKING = {"serious", "critical"}
#: Rules that fail the audit whatever their impact.
ALSO_BLOCKING = {"region"}
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}
# Runs axe on a context ("document", or an include/exclude object) with the given options.
RUN_AXE = """async ([context, options]) => {
  const result = await axe.run(context === 'document' ? document : context, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3), count: v.nodes.length}));
}"""



#: Regions that repeat a few styles many times: contrast is checked on one element per style.
SAMPLED = ".highlight, dl.py"
#: The rules that depend on the theme's colours.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
# In the SAMPLED regions, marks with data-a11y-sample the elements that have text of their
# own and a style not in ``seen`` (the styles met so far), and every other element with
# data-a11y-skip (the contrast rule leaves those out); returns the new styles.
MARK_SAMPLES = """([selector, seen]) => {
  const key = e => e ? e.tagName.toLowerCase() + '.' + [...e.classList].sort().join('.') : '';
  const container = e => e.parentElement && e.parentElement.closest(
    '.highlight, .admonition, details, .cell_output, dl.py, table, .sidebar, nav, footer');
  const known = new Set(seen), added = [];
  for (const e of document.querySelectorAll('[data-a11y-sample], [data-a11y-skip]')) {
    e.removeAttribute('data-a11y-sample');
    e.removeAttribute('data-a11y-skip');
  }
  for (const root of document.querySelectorAll(selector)) {
    for (const e of root.querySelectorAll('*')) {
      const text = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
      const k = [key(e), key(e.parentElement), key(container(e))].join(' < ');
      if (text && e.getClientRects().length && !known.has(k)) {
        known.add(k);
        added.push(k);
        e.setAttribute('data-a11y-sample', '');
      } else {
        e.setAttribute('data-a11y-skip', '');
      }
    }
  }
  return added;
}"""
# Tells axe-core's contrast rule to leave out the elements marked data-a11y-skip.
CONFIGURE_AXE = """() => axe.configure(
  {rules: [{id: 'color-contrast', selector: ':not([data-a11y-skip])'}]})"""
# Switches a loaded page to the dark theme in place: colour transitions off first, so that
# the colours axe reads are the final ones.
NO_TRANSITIONS = """() => {
  const style = document.createElement('style');
  style.textContent = '*, *::before, *::after { transition: none !important; '
    + 'animation: none !important; }';
  document.head.appendChild(style);
}"""
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def axe_options(rules: list[str] | None = None) -> dict[str, Any]:
    """axe-core's options: the audit's rules (all of them, or only ``rules``)."""
    options: dict[str, Any] = {"resultTypes": ["violations"],
                               "rules": dict(AXE_OPTIONS["rules"])}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    return options


def audit_page(page: Any, scheme: str, seen: set[str]) -> list[dict[str, Any]]:
    """The violations on one loaded page, in its present theme ``scheme``.

    Every rule runs in the light theme, the colour rules in the dark one; contrast in the
    sampled regions is checked on the elements of styles not in ``seen`` (the styles of
    the sampled regions checked so far in this theme), which are added to it.
    """
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(book_browser.AXE_JS))
        page.evaluate(CONFIGURE_AXE)
    seen.update(page.evaluate(MARK_SAMPLES, [SAMPLED, sorted(seen)]))
    options = axe_options(COLOUR_RULES if scheme == "dark" else None)
    return page.evaluate(RUN_AXE, ["document", options])


def switch_to_dark(page: Any) -> None:
    """Turn a loaded page (in the light theme) into the dark theme, as a dark load shows it."""
    page.evaluate(NO_TRANSITIONS)
    page.emulate_media(color_scheme="dark")
    page.wait_for_function("document.documentElement.dataset.theme === 'dark'",
                           timeout=5_000)
    page.evaluate(TWO_FRAMES)


@pytest.fixture(scope="module")
def audits(browser: Any, base_url: str) -> dict[str, Any]:
    """axe-core's violations on every page, in the light and in the dark theme, and the
    styles of the sampled regions whose contrast was checked."""
    reason = book_browser.axe_missing()
    if reason:
        pytest.skip(reason)
    found: dict[str, Any] = {"light": {}, "dark": {}, "styles": {"light": set(), "dark": set()}}
    blocked: list[str] = []
    context = book_browser.offline_context(browser, blocked, viewport=VIEWPORT)
    page = context.new_page()
    for docname in PAGES:
        page.emulate_media(color_scheme="light")
        page.goto(f"{base_url}{docname}.html")
        book_browser.settle(page)
        assert page.evaluate("document.documentElement.dataset.theme") == "light"
        found["light"][docname] = audit_page(page, "light", found["styles"]["light"])
        switch_to_dark(page)
        found["dark"][docname] = audit_page(page, "dark", found["styles"]["dark"])
    context.close()
    assert blocked == [], f"the audited pages asked for {blocked[:3]}"
    return found


def blocking(violations: list[dict[str, Any]]) -> list[str]:
    return [f"{v['id']} ({v['impact']}, {v['count']}×: {v['help']}) at {v['nodes']}"
            for v in violations if v["impact"] in BLOCKING or v["id"] in ALSO_BLOCKING]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_on_any_page(audits: dict[str, Any],
                                                        scheme: str) -> None:
    assert list(audits[scheme]) == PAGES
    problems = {d: blocking(v) for d, v in audits[scheme].items() if blocking(v)}
    assert problems == {}


def test_both_kinds_of_sampled_region_were_sampled(audits: dict[str, Any]) -> None:
    for scheme in ("light", "dark"):
        styles = audits["styles"][scheme]
        assert any(k.endswith("< div.highlight") for k in styles), scheme
        assert any(k.split(" < ")[-1].startswith("dl.") and ".py" in k.split(" < ")[-1]
                   for k in styles), scheme


def test_the_audit_can_fail(browser: Any, base_url: str) -> None:
    """axe-core really runs: a page with an unlabelled button and grey-on-grey text fails."""
    reason = book_browser.axe_missing()
    if reason:
        pytest.skip(reason)
    context = book_browser.offline_context(browser, [], viewport=VIEWPORT)
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
            browser, [], viewport=VIEWPORT,
            color_scheme="dark" if scheme == "dark" else "light")
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
    context = book_browser.offline_context(browser, blocked := [], viewport=VIEWPORT)
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
