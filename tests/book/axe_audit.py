"""axe-core on a loaded page of the built book: the audit the book tests run.

axe-core (pinned in ``tools/install_browser_deps.sh``, installed from npm into
``tools/axe``, served from disk) runs its default rules, plus
``label-content-name-mismatch`` (experimental in axe, and one the book used to fail).
No violation of impact "serious" or "critical" may remain, and none of ``region`` (content
outside the page's landmarks): :func:`blocking` lists those.

The colour rules run again in the dark theme (the other rules read the page's structure,
which the theme does not change). A page is audited in the light theme, then switched to
the dark one in place by :func:`switch_to_dark` (the browser's colour scheme changes,
transitions are turned off, and the theme follows), which gives the same colours as a
page loaded in the dark theme (``test_a11y_audit.py`` checks this on an exercise page).

Colour contrast is axe's slowest rule by far (about 6 ms per element of text), and code
blocks and API entries repeat a few styles thousands of times. So in those regions
(:data:`SAMPLED`) contrast is checked on one element of each style (its tag and classes,
its parent's and its container's), the first the audit meets in the whole book; everywhere
else it is checked on every element. Each audit is one ``axe.run`` over the page (each run
pays axe's set-up over the whole page again): the elements not sampled are marked, and the
contrast rule is told to leave them out.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import book_browser  # noqa: E402

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


def audit_both_themes(page: Any, seen: dict[str, set[str]]) -> dict[str, list[dict[str, Any]]]:
    """The violations on a page just loaded in the light theme: light, then dark in place.

    Args:
        page: A Playwright ``Page``, settled (``book_browser.settle``) in the light theme.
        seen: The sampled styles met so far in each theme, ``{"light": set, "dark": set}``
            (updated).

    Returns:
        ``{"light": violations, "dark": violations}``; the page is left in the dark theme.
    """
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    found = {"light": audit_page(page, "light", seen["light"])}
    switch_to_dark(page)
    found["dark"] = audit_page(page, "dark", seen["dark"])
    return found


def blocking(violations: list[dict[str, Any]]) -> list[str]:
    """The violations that fail the audit, one line each (rule, impact, count, where)."""
    return [f"{v['id']} ({v['impact']}, {v['count']}×: {v['help']}) at {v['nodes']}"
            for v in violations if v["impact"] in BLOCKING or v["id"] in ALSO_BLOCKING]
