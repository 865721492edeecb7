"""The built book as a reader sees it: every page opened in headless Chromium.

``make booktest`` builds ``.testbook/_build/html`` (the notebooks executed once by
nbmake) before these tests run. Each page of ``_toc.yml`` is served from 127.0.0.1 and
opened once; the tests below check what that visit recorded (set ``ACTTUTOR_BOOK_HTML``
to check another build, such as ``_build/html`` from ``make book``). Any request to another
host is blocked and reported: the book must read offline.
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
from nbutils import ROOT, TF_NOISE

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

# Everything one visit records, computed in the page after it has settled.
PAGE_JS = """() => {
  const article = document.querySelector('article.bd-article') || document.body;
  const imgs = [...article.querySelectorAll('img')].map(i => ({
    src: i.getAttribute('src'), alt: i.getAttribute('alt'),
    complete: i.complete, width: i.naturalWidth,
    output: !!i.closest('.cell_output')}));
  const outputs = [...document.querySelectorAll('.cell_output')].map(e => e.innerText);
  const code = [...document.querySelectorAll('.cell_input div.highlight pre')];
  const abs = sel => { const a = document.querySelector(sel); return a ? a.href : null; };
  return {
    title: document.title,
    images: imgs,
    math: document.querySelectorAll('.math').length,
    mathjax: document.querySelectorAll('mjx-container').length,
    math_errors: document.querySelectorAll('mjx-merror').length,
    outputs: outputs,
    stderr_outputs: document.querySelectorAll('.output.stderr').length,
    error_outputs: document.querySelectorAll('.output.error, .output.traceback').length,
    input_blocks: code.length,
    input_copy_buttons: code.filter(pre => pre.parentElement.querySelector('.copybtn')).length,
    // Printed text gets no copy button; code shown in an HTML output (a solution) may.
    output_copy_buttons: document.querySelectorAll(
      '.cell_output .output:not(.text_html) .copybtn').length,
    next: abs('a.right-next'), prev: abs('a.left-prev'),
    colab: [...document.querySelectorAll('a[href*="colab.research.google.com"]')].map(a => a.href),
    downloads: [...document.querySelectorAll('a[href$=".ipynb"]')].map(a => a.href)
      .filter(h => h.startsWith(location.origin)),
  };
}"""


@pytest.fixture(scope="module")
def visits(browser: Any, base_url: str) -> dict[str, dict[str, Any]]:
    """Open every page of the table of contents once and record what happened."""
    reports: dict[str, dict[str, Any]] = {}
    for docname in PAGES:
        blocked: list[str] = []
        context = book_browser.offline_context(browser, blocked)
        page = context.new_page()
        console: list[str] = []
        failed: list[str] = []
        page.on("console", lambda m, c=console: c.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, c=console: c.append(f"uncaught: {e}"))
        page.on("requestfailed", lambda r, f=failed: f.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r, f=failed: f.append(f"{r.url} (HTTP {r.status})")
                if r.status >= 400 else None)
        response = page.goto(f"{base_url}{docname}.html")
        book_browser.settle(page)
        report = page.evaluate(PAGE_JS)
        report.update(status=response.status if response else None, console=console,
                      failed=failed, blocked=blocked,
                      # At 1280 px wide: what the fit tests below measure, in the same visit.
                      fit=page.evaluate(FIT_JS, CODE_LINE_LENGTH),
                      icons=page.eval_on_selector_all(
                          "link[rel~='icon']", "links => links.map(l => l.href)"))
        reports[docname] = report
        context.close()
    return reports


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


# ---- Code, outputs and tables fit the column -------------------------------------------

#: The longest code line the article column holds at 1280 px (tools/sphinxext/static/
#: acttutor.css sizes the column and the code font for it); the notebooks' code is
#: formatted to this length.
CODE_LINE_LENGTH = 88
WIDTH = 1280  # the window the visits use (book_browser.VIEWPORT)
PHONE = {"width": 390, "height": 844}

# What does not fit, measured in the page: every visible <pre> (code cell, output, other
# text) and table in the article, whether it scrolls sideways or reaches past the column,
# and whether the page as a whole scrolls sideways. `probe` puts a code line of the given
# length into a code cell and says whether it fits.
FIT_JS = """(probe) => {
  const article = document.querySelector('article.bd-article');
  if (!article) { return null; }
  const style = getComputedStyle(article);
  const box = article.getBoundingClientRect();
  const left = box.left + parseFloat(style.paddingLeft) - 1;
  const right = box.right - parseFloat(style.paddingRight) + 1;
  const visible = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const where = e => {
    const section = e.closest('section[id]');
    return section ? '#' + section.id : '';
  };
  const blocks = [...article.querySelectorAll('pre')].filter(visible).map(pre => {
    const r = pre.getBoundingClientRect();
    return {
      kind: pre.closest('.cell_input') ? 'code' : pre.closest('.cell_output') ? 'output' : 'text',
      scrolls: pre.scrollWidth > pre.clientWidth + 1,
      clipped: r.left < left || r.right > right,
      longest: Math.max(0, ...pre.innerText.split('\\n').map(line => line.length)),
      where: where(pre),
    };
  });
  const tables = [...article.querySelectorAll('table')].filter(visible).map(table => {
    const holder = table.parentElement;
    const r = holder.getBoundingClientRect();
    return {
      scrolls: holder.scrollWidth > holder.clientWidth + 1
        || table.scrollWidth > table.clientWidth + 1,
      clipped: r.left < left || r.right > right,
      width: Math.round(table.getBoundingClientRect().width),
      where: where(table),
    };
  });
  let fits = null;
  const cell = article.querySelector('.cell_input div.highlight pre');
  if (cell && probe) {
    const copy = cell.cloneNode(false);
    copy.textContent = 'x'.repeat(probe - 1) + '#';
    cell.parentElement.appendChild(copy);
    fits = copy.scrollWidth <= copy.clientWidth;
    copy.remove();
  }
  return {blocks, tables, fits, column: Math.round(right - left),
          pageScrolls: document.documentElement.scrollWidth > window.innerWidth};
}"""


@pytest.fixture(scope="module")
def fit(browser: Any, base_url: str, visits: dict[str, dict[str, Any]]
        ) -> dict[str, dict[str, dict[str, Any]]]:
    """Every page measured at 1280 px wide (in its visit) and at 390×844 (a phone)."""
    assert book_browser.VIEWPORT["width"] == WIDTH
    found = {"wide": {docname: visit["fit"] for docname, visit in visits.items()}, "phone": {}}
    context = book_browser.offline_context(browser, [], viewport=PHONE)
    page = context.new_page()
    for docname in PAGES:
        page.goto(f"{base_url}{docname}.html")
        book_browser.settle(page)
        found["phone"][docname] = page.evaluate(FIT_JS, CODE_LINE_LENGTH)
    context.close()
    return found


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


def test_no_page_scrolls_sideways_on_a_phone(fit: dict[str, Any]) -> None:
    """At 390 px a wide table or code cell may scroll in its own box; the page never does."""
    assert per_page(fit["phone"], lambda r: r["pageScrolls"] and "the page scrolls") == []
    assert per_page(fit["phone"], lambda r: [
        f"table {t['where']} clipped" for t in r["tables"] if t["clipped"]]) == []


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
