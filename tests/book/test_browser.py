"""The built book as a reader sees it: every page opened in headless Chromium.

``make booktest`` builds ``.testbook/_build/html`` (the notebooks executed once by
nbmake) before these tests run. Each page of ``_toc.yml`` is served from 127.0.0.1 and
opened once; the tests below check what that visit recorded (set ``ACTTUTOR_BOOK_HTML``
to check another build, such as ``_build/html`` from ``make book``). Any request to another
host is blocked and reported: the book must read offline.

The same visit audits the page's accessibility with axe-core, in the light theme and then
in the dark one (:mod:`axe_audit`; ``test_a11y_audit.py`` tests the audit itself). Loading
each page once for both is the longest piece of the book tests; with its per-page tests
this file is also the first that ``--dist loadfile`` hands out, so it starts at once and
the other files fill the other worker meanwhile.
"""

from __future__ import annotations

import io
import json
import re
import struct
import sys
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml
from axe_audit import audit_both_themes, blocking
from nbutils import ROOT, TF_NOISE
from page_probes import CODE_LINE_LENGTH, FIT_JS, PAGE_JS

sys.path.insert(0, str(ROOT / "tools"))
import book_browser  # noqa: E402

SHOTS = ROOT / "_build" / "screenshots"
PAGES = book_browser.toc_pages()

# A warning that leaked (rather than one a chapter captured and printed on purpose) looks
# like Python's own warning line, "file.py:12: UserWarning: ...", or a logging record.
STRAY_WARNING = re.compile(
    r"\.py:\d+: \w*(UserWarning|DeprecationWarning|FutureWarning|Warning):"
    r"|^WARNING:(absl|tensorflow|root):"
    r"|^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ \S+:\d+\]",
    re.M,
)

@pytest.fixture(scope="module")
def walk(browser: Any, base_url: str) -> dict[str, Any]:
    """Open every page of the table of contents once and record what happened.

    One browser tab visits the pages in turn, as a reader clicking through the book would
    (its cache then serves the shared scripts and styles: about half the time of a fresh
    tab per page). What each visit records goes into that page's report: what the page
    shows, its fit at 1280 px, its favicon links, and under ``"a11y"`` axe-core's
    violations in each theme (None where axe-core is not installed).

    Returns:
        ``{"pages": {docname: report}, "sampled_styles": {theme: styles}}``, the styles
        whose contrast the audit checked in the sampled regions (axe_audit.SAMPLED).
    """
    audit = not book_browser.axe_missing()
    seen: dict[str, set[str]] = {"light": set(), "dark": set()}  # sampled styles (axe_audit)
    reports: dict[str, dict[str, Any]] = {}
    blocked: list[str] = []
    context = book_browser.offline_context(browser, blocked)
    page = context.new_page()
    now: dict[str, list[str]] = {"console": [], "failed": []}  # the page being visited
    page.on("console", lambda m: now["console"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: now["console"].append(f"uncaught: {e}"))
    # A request still open when the tab moves on to the next page ends as net::ERR_ABORTED
    # (the favicon, say): that is the navigation, not a broken resource. A missing file
    # shows as its HTTP status, a refused host in `blocked`.
    page.on("requestfailed", lambda r: now["failed"].append(f"{r.url} ({r.failure})")
            if "ERR_ABORTED" not in (r.failure or "") else None)
    page.on("response", lambda r: now["failed"].append(f"{r.url} (HTTP {r.status})")
            if r.status >= 400 else None)
    for docname in PAGES:
        now.update(console=[], failed=[])
        del blocked[:]
        page.emulate_media(color_scheme="light")
        response = page.goto(f"{base_url}{docname}.html")
        book_browser.settle(page)
        report = page.evaluate(PAGE_JS)
        report.update(status=response.status if response else None,
                      console=list(now["console"]), failed=list(now["failed"]),
                      blocked=list(blocked),
                      # At 1280 px wide: what the fit tests below measure, in the same visit.
                      fit=page.evaluate(FIT_JS, CODE_LINE_LENGTH),
                      icons=page.eval_on_selector_all(
                          "link[rel~='icon']", "links => links.map(l => l.href)"))
        # Last, as it changes the page: axe-core also fetches the page's stylesheets again
        # (resolving one @import against the page, not the sheet: a 404 of axe's making).
        report["a11y"] = audit_both_themes(page, seen) if audit else None
        reports[docname] = report
    context.close()
    return {"pages": reports, "sampled_styles": seen}


@pytest.fixture(scope="module")
def visits(walk: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each page's report from :func:`walk`."""
    return walk["pages"]


def per_page(visits: dict[str, dict[str, Any]], problem: Any) -> list[str]:
    """``docname: problem`` for every page where ``problem(report)`` is truthy."""
    found = []
    for docname, report in visits.items():
        detail = problem(report)
        if detail:
            found.append(f"{docname}: {detail}")
    return found


def test_every_page_loads(visits: dict[str, dict[str, Any]]) -> None:
    assert list(visits) == PAGES
    assert per_page(visits, lambda r: r["status"] != 200 and f"HTTP {r['status']}") == []
    assert per_page(visits, lambda r: not r["title"] and "no title") == []


def test_no_javascript_console_errors(visits: dict[str, dict[str, Any]]) -> None:
    assert per_page(visits, lambda r: r["console"]) == []


def test_no_request_leaves_the_machine(visits: dict[str, dict[str, Any]]) -> None:
    assert per_page(visits, lambda r: r["blocked"]) == []


def test_every_local_resource_loads(visits: dict[str, dict[str, Any]]) -> None:
    assert per_page(visits, lambda r: r["failed"]) == []


def test_every_image_in_the_content_has_loaded(visits: dict[str, dict[str, Any]]) -> None:
    broken = per_page(visits, lambda r: [i["src"] for i in r["images"]
                                         if not i["complete"] or i["width"] <= 0])
    assert broken == []


def test_figures_have_alt_text(visits: dict[str, dict[str, Any]]) -> None:
    """An image's alt text describes it: not empty, not its own file name."""

    def missing(report: dict[str, Any]) -> list[str]:
        bad = []
        for image in report["images"]:
            alt = (image["alt"] or "").strip()
            name = Path(image["src"] or "").name
            if not alt or re.search(r"\.(png|jpe?g|svg|gif)$", alt) or alt in (name, image["src"]):
                bad.append(name)
        return bad

    assert per_page(visits, missing) == [], (
        "figures without alt text: end the cell with a Figure after acttutor.setup() "
        "(acttutor.a11y describes it), or set the cell's `mystnb: image: alt:` metadata"
    )


def test_math_is_typeset_offline(visits: dict[str, dict[str, Any]]) -> None:
    with_math = {d: r for d, r in visits.items() if r["math"]}
    assert "book/glossary" in with_math, "the glossary's formulas were not found as math"
    assert per_page(with_math, lambda r: r["mathjax"] < r["math"]
                    and f"{r['mathjax']} of {r['math']} formulas typeset") == []
    assert per_page(with_math,
                    lambda r: r["math_errors"] and f"{r['math_errors']} TeX errors") == []


def test_cell_outputs_are_clean(visits: dict[str, dict[str, Any]]) -> None:
    def problems(report: dict[str, Any]) -> list[str]:
        found = []
        text = "\n".join(report["outputs"])
        found += [f"TensorFlow log line {m!r}" for m in TF_NOISE if m in text]
        found += [f"stray warning {m.group(0)!r}" for m in STRAY_WARNING.finditer(text)]
        if "Traceback (most recent call last)" in text or report["error_outputs"]:
            found.append("a traceback in an output")
        if report["stderr_outputs"]:
            found.append(f"{report['stderr_outputs']} stderr outputs")
        return found

    assert per_page(visits, problems) == []


def test_code_cells_have_copy_buttons(visits: dict[str, dict[str, Any]]) -> None:
    notebooks = {d: r for d, r in visits.items() if (ROOT / f"{d}.ipynb").exists()}
    assert sum(r["input_blocks"] for r in notebooks.values()) > 0
    assert per_page(notebooks, lambda r: r["input_copy_buttons"] < r["input_blocks"]
                    and f"{r['input_copy_buttons']} of {r['input_blocks']} code cells") == []
    assert per_page(visits, lambda r: r["output_copy_buttons"]
                    and f"{r['output_copy_buttons']} copy buttons on printed outputs") == []


def test_notebook_pages_offer_colab_and_download(visits: dict[str, dict[str, Any]],
                                                 base_url: str) -> None:
    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    org_repo = urlparse(repo["url"]).path.strip("/").removesuffix(".git")
    for docname, report in visits.items():
        is_notebook = (ROOT / f"{docname}.ipynb").exists()
        expected = (f"https://colab.research.google.com/github/{org_repo}/blob/"
                    f"{repo.get('branch', 'main')}/{docname}.ipynb")
        if not is_notebook:
            assert report["colab"] == [], f"{docname} is not a notebook but offers Colab"
            continue
        assert report["colab"] == [expected], docname
        assert report["downloads"], f"{docname}: no .ipynb download link"
        assert urlparse(report["downloads"][0]).hostname in book_browser.LOCAL_HOSTS
        with urllib.request.urlopen(report["downloads"][0]) as reply:  # the local server
            nb = json.loads(reply.read())
        assert nb["nbformat"] == 4 and nb["cells"], f"{docname}: download is not a notebook"


def test_copy_button_copies_code_without_prompts(browser: Any, base_url: str,
                                                 html_dir: Path) -> None:
    context = book_browser.offline_context(browser, blocked := [])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    page.goto(f"{base_url}book/api/core.html")
    block = page.locator("div.doctest div.highlight", has_text=">>>").first
    block.hover()
    block.locator(".copybtn").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    context.close()
    assert copied.strip(), "nothing was copied"
    assert not re.search(r"^(>>>|\.\.\.) ", copied, re.M), copied
    assert blocked == []


def test_search_finds_the_softmax_chapter(browser: Any, base_url: str, html_dir: Path) -> None:
    context = book_browser.offline_context(browser, blocked := [])
    page = context.new_page()
    page.goto(f"{base_url}search.html?q=softmax")
    page.wait_for_selector("ul.search li a", timeout=20_000)
    hits = page.eval_on_selector_all("ul.search li a", "as => as.map(a => a.href)")
    context.close()
    paths = [urlparse(h).path for h in hits]
    assert "/book/softmax.html" in paths, paths
    assert blocked == []


def test_next_and_previous_links_walk_the_toc(visits: dict[str, dict[str, Any]]) -> None:
    """Following "next" from the first page, and "previous" from the last, walks the toc."""
    by_path = {f"/{d}.html": d for d in visits}

    def walk(start: str, key: str) -> list[str]:
        path, seen = f"/{start}.html", []
        while path in by_path and len(seen) <= len(PAGES):
            seen.append(path)
            link = visits[by_path[path]][key]
            path = urlparse(link).path if link else None
        return seen

    expected = [f"/{d}.html" for d in PAGES]
    assert walk(PAGES[0], "next") == expected
    assert walk(PAGES[-1], "prev") == expected[::-1]


def test_clicking_next_then_previous_moves_one_page(browser: Any, base_url: str,
                                                    html_dir: Path) -> None:
    context = book_browser.offline_context(browser, blocked := [])
    page = context.new_page()
    page.goto(f"{base_url}{PAGES[1]}.html")
    page.locator("a.right-next").first.click()
    page.wait_for_load_state("load")
    after_next = urlparse(page.url).path
    page.locator("a.left-prev").first.click()
    page.wait_for_load_state("load")
    after_prev = urlparse(page.url).path
    context.close()
    assert (after_next, after_prev) == (f"/{PAGES[2]}.html", f"/{PAGES[1]}.html")
    assert blocked == []


# ---- Accessibility (axe-core, in the same visit) -----------------------------------------


@pytest.fixture(scope="module")
def audits(visits: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """axe-core's violations on every page, by theme: ``{theme: {docname: violations}}``."""
    reason = book_browser.axe_missing()
    if reason:
        pytest.skip(reason)
    return {scheme: {d: r["a11y"][scheme] for d, r in visits.items()}
            for scheme in ("light", "dark")}


def test_every_page_was_audited_in_both_themes(audits: dict[str, dict[str, Any]]) -> None:
    assert list(audits["light"]) == list(audits["dark"]) == PAGES


# One test per page and theme (the audit itself ran in the visits).
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("docname", PAGES)
def test_no_serious_accessibility_violation(audits: dict[str, dict[str, Any]], docname: str,
                                            scheme: str) -> None:
    assert blocking(audits[scheme][docname]) == []


def test_both_kinds_of_sampled_region_were_sampled(walk: dict[str, Any],
                                                  audits: dict[str, dict[str, Any]]) -> None:
    for scheme in ("light", "dark"):
        styles = walk["sampled_styles"][scheme]
        assert any(k.endswith("< div.highlight") for k in styles), scheme
        assert any(k.split(" < ")[-1].startswith("dl.") and ".py" in k.split(" < ")[-1]
                   for k in styles), scheme


# ---- Code, outputs and tables fit the column -------------------------------------------

WIDTH = 1280  # the window the visits use (book_browser.VIEWPORT)


@pytest.fixture(scope="module")
def fit(visits: dict[str, dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Every page measured at 1280 px wide, in its visit (``test_phone_view.py``: 390 px)."""
    assert book_browser.VIEWPORT["width"] == WIDTH
    return {"wide": {docname: visit["fit"] for docname, visit in visits.items()}}


def test_every_page_has_an_article_to_measure(fit: dict[str, Any]) -> None:
    assert [d for d, r in fit["wide"].items() if r is None] == []
    assert all(r["column"] >= 700 for r in fit["wide"].values()), "the column is too narrow"


def test_a_code_line_of_the_chosen_length_fits_at_1280(fit: dict[str, Any]) -> None:
    notebooks = {d: r for d, r in fit["wide"].items() if r["fits"] is not None}
    assert len(notebooks) >= 10
    assert [d for d, r in notebooks.items() if not r["fits"]] == [], (
        f"a code line of {CODE_LINE_LENGTH} characters scrolls: widen the column or shrink "
        "the code font in tools/sphinxext/static/acttutor.css"
    )


def test_outputs_text_blocks_and_tables_fit_at_1280(fit: dict[str, Any]) -> None:
    """Nothing but a code cell with a line too long for the column may need scrolling."""

    def problems(report: dict[str, Any]) -> list[str]:
        found = [f"{b['kind']} block {b['where']} ({b['longest']} characters): "
                 f"{'scrolls' if b['scrolls'] else 'clipped'}"
                 for b in report["blocks"] if (b["scrolls"] or b["clipped"])
                 and not (b["kind"] == "code" and b["longest"] > CODE_LINE_LENGTH)]
        found += [f"table {t['where']} ({t['width']} px): "
                  f"{'scrolls' if t['scrolls'] else 'clipped'}"
                  for t in report["tables"] if t["scrolls"] or t["clipped"]]
        return found

    assert sum(len(r["blocks"]) for r in fit["wide"].values()) > 200
    assert sum(len(r["tables"]) for r in fit["wide"].values()) > 10
    assert per_page(fit["wide"], problems) == []


def test_code_cells_fit_at_1280(fit: dict[str, Any]) -> None:
    """Every code cell fits: none needs scrolling, however long its lines."""
    assert per_page(fit["wide"], lambda r: [
        f"code {b['where']} ({b['longest']} characters)" for b in r["blocks"]
        if b["kind"] == "code" and (b["scrolls"] or b["clipped"])]) == []


# ---- Favicon and the dark theme ----------------------------------------------------------


def test_every_page_links_a_favicon_that_loads(visits: dict[str, dict[str, Any]]) -> None:
    icons = {docname: visit["icons"] for docname, visit in visits.items()}
    assert per_page(icons, lambda found: not found and "no <link rel=icon>") == []
    for url in {u for found in icons.values() for u in found}:
        assert urlparse(url).hostname in book_browser.LOCAL_HOSTS, url
        with urllib.request.urlopen(url) as reply:  # the local server
            assert reply.status == 200
            assert reply.headers.get_content_type().startswith("image/"), url


# A figure of the page, shown in the dark theme: its background, its filter, and the
# colour of a pixel near its corner (where matplotlib draws no ink) in a screenshot.
def test_figures_keep_an_opaque_light_background_in_dark_mode(browser: Any, base_url: str,
                                                               html_dir: Path) -> None:
    context = book_browser.offline_context(browser, blocked := [], color_scheme="dark")
    page = context.new_page()
    page.goto(f"{base_url}book/relu.html")
    book_browser.settle(page)
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    figure = page.locator(".cell_output img").first
    figure.scroll_into_view_if_needed()
    styles = figure.evaluate("""img => {
      const s = getComputedStyle(img); return [s.backgroundColor, s.filter]; }""")
    shot = figure.screenshot()
    page_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    context.close()
    assert styles == ["rgb(255, 255, 255)", "none"], styles
    assert page_background != "rgb(255, 255, 255)", "the dark theme did not apply"
    from PIL import Image

    image = Image.open(io.BytesIO(shot)).convert("RGB")
    corner = image.getpixel((2, 2))
    assert min(corner) >= 245, f"the figure's corner is {corner}, not white, in dark mode"
    assert blocked == []


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_screenshots_of_the_landing_page_and_a_chapter(browser: Any, base_url: str) -> None:
    """Saved to _build/screenshots; `make screenshots` refreshes the README's copies."""
    for path in SHOTS.glob("*.png"):
        path.unlink()
    written = book_browser.screenshot_pages(browser, base_url, SHOTS)
    assert sorted(p.name for p in written) == sorted(f"{n}.png" for n in book_browser.SCREENSHOTS)
    for path in written:
        assert _png_size(path) == (book_browser.VIEWPORT["width"], book_browser.VIEWPORT["height"])
        assert path.stat().st_size > 20_000, f"{path} looks blank"
