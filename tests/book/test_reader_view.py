"""The built HTML, read as files: offline assets, reference pages and the page furniture.

These checks need no browser; ``tests/book/test_browser.py`` looks at the same build in one.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from apidoc import ALL_MODULES, CHECKER_MODULES, public_names
from nbutils import ROOT, TESTBOOK

sys.path.insert(0, str(ROOT / "tools"))
from book_browser import toc_pages as toc  # noqa: E402

HTML = Path(os.environ.get("ACTTUTOR_BOOK_HTML") or TESTBOOK / "_build" / "html")


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    if not (HTML / "book" / "index.html").exists():
        pytest.skip(f"no built test book in {HTML}: run `make booktest` (it builds it first)")
    return {d: (HTML / f"{d}.html").read_text(encoding="utf-8") for d in toc()}


# A resource the browser fetches by itself (not a link the reader may follow).
REMOTE_RESOURCE = re.compile(
    r"<(script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc=[\"'](https?:)?//"
    r"|<link\b(?=[^>]*\brel=[\"'](stylesheet|preload|modulepreload|icon|prefetch)[\"'])"
    r"[^>]*\bhref=[\"'](https?:)?//",
    re.I,
)
CSS_REMOTE = re.compile(r"(url\(\s*[\"']?|@import\s+[\"'])(https?:)?//", re.I)


def test_pages_load_nothing_from_the_network(pages: dict[str, str]) -> None:
    found = {d: REMOTE_RESOURCE.findall(p) for d, p in pages.items()}
    assert {d: f for d, f in found.items() if f} == {}
    css = {str(p.relative_to(HTML)): CSS_REMOTE.findall(p.read_text(errors="replace"))
           for p in (HTML / "_static").rglob("*.css")}
    assert {p: f for p, f in css.items() if f} == {}


def test_each_inline_script_appears_once(pages: dict[str, str]) -> None:
    for docname, page in pages.items():
        bodies = Counter(b.strip() for b in re.findall(r"<script>(.*?)</script>", page, re.S))
        assert [b[:60] for b, n in bodies.items() if n > 1] == [], docname


def test_mathjax_is_served_from_the_book(pages: dict[str, str]) -> None:
    assert (HTML / "_static" / "mathjax" / "tex-chtml.js").is_file()
    with_math = [d for d, p in pages.items() if 'class="math' in p]
    assert "book/glossary" in with_math
    for docname in with_math:
        assert re.search(r'<script[^>]+src="[./]*_static/mathjax/tex-chtml\.js', pages[docname]), (
            docname)


def test_execution_statistics_list_every_notebook(pages: dict[str, str]) -> None:
    table = re.search(r"<table.*?</table>", pages["book/exec_stats"], re.S)
    assert table, "the execution statistics page has no table"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.S)[1:]
    cells = [[re.sub(r"<[^>]+>", "", c).strip()
              for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]
    by_doc = {c[0]: c for c in cells}
    notebooks = [d for d in toc() if (ROOT / f"{d}.ipynb").exists()]
    assert sorted(by_doc) == sorted(notebooks)
    for docname, (_, _modified, _method, runtime, status) in by_doc.items():
        assert float(runtime) > 0, docname
        assert status == "✅", f"{docname} failed to execute"


def test_api_page_documents_every_public_function_and_class(pages: dict[str, str]) -> None:
    api_html = "".join(html for doc, html in pages.items() if doc.startswith("book/api"))
    ids = set(re.findall(r'<dt class="sig sig-object py" id="([^"]+)"', api_html))
    missing = []
    for module_name in set(ALL_MODULES) - CHECKER_MODULES:
        module = importlib.import_module(module_name)
        for name, obj in public_names(module):
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            qualified = f"{module_name}.{name}"
            if getattr(obj, "__module__", None) == module_name and qualified not in ids:
                missing.append(qualified)
    assert missing == []
    assert "acttutor.setup" in ids and "acttutor.exercises.core.Exercise.check" in ids


def test_glossary_defines_the_terms_chapters_use(pages: dict[str, str]) -> None:
    glossary = pages["book/glossary"]
    for term in ("saturation", "dead-unit", "logit", "zero-centred", "vanishing-gradient",
                 "pre-activation", "softmax", "activation-function"):
        assert f'id="term-{term}"' in glossary, term


def test_notebook_pages_have_launch_download_and_repository_buttons(pages: dict[str, str]) -> None:
    page = pages["book/about"]
    assert "colab.research.google.com/github/" in page
    assert re.search(r'href="[./]*_sources/book/about\.ipynb"', page)
    assert "btn-source-repository-button" in page
    assert "copybutton.js" in page
