"""The whole book as one PDF (``make pdf``, ``tools/book_pdf.py``), read back.

The PDF is printed from the built test book by headless Chromium, then read with
poppler's ``pdfinfo`` and ``pdftotext`` and with ``pypdf``: every chapter of
``_toc.yml`` in order (each starts a page, under its own title), a PDF outline with one
entry per chapter, internal links that land on a page, figures, typeset math, and none of
the HTML page's furniture (sidebars, buttons).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from nbutils import ROOT, TESTBOOK

sys.path.insert(0, str(ROOT / "tools"))
import book_browser  # noqa: E402
import book_pdf  # noqa: E402

# A stage of its own (`make pdftest`, `.ci/stage pdf`): printing the book takes a minute.
pytestmark = pytest.mark.stage

HTML = Path(os.environ.get("ACTTUTOR_BOOK_HTML") or TESTBOOK / "_build" / "html")
PAGES = book_browser.toc_pages()
#: Words from the HTML pages' furniture that must not be printed.
FURNITURE = ("Toggle primary sidebar", "Skip to main content", "Back to top", "Ctrl+K",
             "Open in Colab", "Download source file", "Copy to clipboard", "Color mode")


def poppler(tool: str, *args: str) -> str:
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout


def titles_from_html(html_dir: Path) -> list[str]:
    """Each page's title as its HTML shows it: the first heading, without the ``#`` link."""
    titles = []
    for docname in PAGES:
        soup = BeautifulSoup((html_dir / f"{docname}.html").read_text(encoding="utf-8"),
                             "html.parser")
        heading = soup.select_one("article.bd-article h1")
        assert heading is not None, f"{docname} has no title"
        for link in heading.select(".headerlink"):
            link.decompose()
        titles.append(" ".join(heading.get_text(" ").split()))
    return titles


def squash(text: str) -> str:
    """Text without spaces, hyphens and line breaks: how pdftotext's lines compare."""
    return re.sub(r"[\s\u00ad-]+", "", text)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (HTML / "book" / "index.html").exists():
        pytest.skip(f"no built test book in {HTML}: run `make booktest` (it builds it first)")
    reason = book_browser.chromium_missing()
    if reason:
        pytest.skip(reason)
    missing = [t for t in ("pdfinfo", "pdftotext", "pdfimages") if not shutil.which(t)]
    if missing:
        pytest.skip(f"{', '.join(missing)} not found: apt-get install poppler-utils "
                    "(tools/install_browser_deps.sh does it)")
    out = tmp_path_factory.mktemp("pdf") / "book.pdf"
    return book_pdf.build_pdf(HTML, out)


@pytest.fixture(scope="module")
def pages_text(pdf: Path) -> list[str]:
    """The text of every page (pdftotext separates pages with a form feed)."""
    return poppler("pdftotext", "-layout", str(pdf), "-").split("\f")


@pytest.fixture(scope="module")
def reader(pdf: Path) -> Any:
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the outline and links "
                                "(pip install -e '.[test]')")
    return pypdf.PdfReader(str(pdf))


def test_pdf_is_tagged_and_has_a_page_per_chapter_at_least(pdf: Path) -> None:
    info = dict(line.split(":", 1) for line in poppler("pdfinfo", str(pdf)).splitlines()
                if ":" in line)
    pages = int(info["Pages"])
    assert pages >= len(PAGES) + 2, f"{pages} pages for {len(PAGES)} chapters"
    assert info["Tagged"].strip() == "yes"
    assert info["Title"].strip() == "Activation Functions in TensorFlow"


def test_every_chapter_starts_a_page_in_toc_order(pages_text: list[str]) -> None:
    titles = titles_from_html(HTML)
    starts = []
    for title in titles:
        first = [i for i, text in enumerate(pages_text)
                 if squash(text).startswith(squash(title))]
        assert first, f"no page starts with the chapter title {title!r}"
        later = [i for i in first if not starts or i > starts[-1]]
        assert later, f"{title!r} is out of _toc.yml order"
        starts.append(later[0])
    assert starts == sorted(starts) and len(set(starts)) == len(titles)


def test_outline_has_every_chapter_in_order_with_its_sections(reader: Any) -> None:
    titles = titles_from_html(HTML)
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [" ".join(item.title.split()) for item in top] == titles
    numbers = [reader.get_destination_page_number(item) for item in top]
    assert numbers == sorted(numbers) and numbers[0] >= 1  # after the title page
    assert sum(isinstance(item, list) for item in reader.outline) >= len(PAGES) // 2, (
        "few chapters have their sections in the outline")


def test_internal_links_land_on_pages(reader: Any) -> None:
    """Links between chapters (the contents, cross-references) jump inside the PDF."""
    destinations = reader.named_destinations
    targets = []
    external = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Subtype") != "/Link":
                continue
            if "/Dest" in link:
                targets.append(str(link["/Dest"]))
            elif link.get("/A", {}).get("/S") == "/URI":
                uri = str(link["/A"]["/URI"])
                assert not re.match(r"https?://(127\.0\.0\.1|localhost)", uri), uri
                external += 1
    assert len(targets) >= len(PAGES) + 50, f"only {len(targets)} internal links"
    unresolved = sorted({t for t in targets if t.lstrip("/") not in
                         {d.lstrip("/") for d in destinations}})
    assert unresolved == []
    chapters = {f"/{book_pdf.anchor(d)}" for d in PAGES}
    assert chapters <= set(targets), "the contents does not link every chapter"
    assert external > 0


def test_figures_and_math_are_printed(pdf: Path, pages_text: list[str]) -> None:
    images = poppler("pdfimages", "-list", str(pdf)).splitlines()[2:]
    assert len(images) >= 40, f"{len(images)} images in the PDF"
    text = "\n".join(pages_text)
    assert "\\frac" not in text and "\\(" not in text and "$$" not in text, "raw TeX printed"
    assert "σ" in text and "α" in text  # typeset formulas come out as symbols


def test_no_page_furniture_is_printed(pages_text: list[str]) -> None:
    text = "\n".join(pages_text)
    assert [word for word in FURNITURE if word in text] == []
