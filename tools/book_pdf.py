"""Print the built HTML book as one PDF, offline, with headless Chromium.

``make pdf`` runs ``python tools/book_pdf.py`` after ``make book``. Every page of
``_toc.yml`` is read from ``_build/html``, in reading order; only its article is kept (no
sidebars, header buttons, copy buttons or next/previous links), its ids get the chapter's
prefix and its links are rewritten to point inside the one document. Chromium then opens
that document from a local server, MathJax typesets the formulas, and ``page.pdf`` prints
it with ``outline=True`` (a PDF outline built from the headings: one entry per chapter,
sections below) and ``tagged=True`` (an accessible, tagged PDF)::

    python tools/book_pdf.py                                   # _build/html -> _build/pdf/book.pdf
    python tools/book_pdf.py --html .testbook/_build/html --out /tmp/book.pdf

Jupyter Book's own ``pdfhtml`` builder would download a browser, which an offline machine
cannot; this uses Debian's Chromium through Playwright, as ``tools/book_browser.py`` does.
"""

from __future__ import annotations

import argparse
import posixpath
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from bs4 import BeautifulSoup, Tag

sys.path.insert(0, str(Path(__file__).resolve().parent))
import book_browser  # noqa: E402

ROOT = book_browser.ROOT
#: Where the combined document is served from (any name the book does not use).
DOCUMENT = "_acttutor_book_print.html"
#: What a printed page leaves out: page furniture, buttons and scripts.
DROP = (
    "script", "noscript", "button", "nav", ".headerlink", ".prev-next-area",
    ".prev-next-footer", ".header-article", ".copybtn", ".toggle-hidden-button",
    ".acttutor-slider-note", "input[type=range]",
)

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
html, body { background: #fff; }
body { margin: 0; font-size: 10.5pt; }
.pdf-chapter { break-before: page; }
.pdf-chapter:first-of-type { break-before: auto; }
h1, h2, h3, h4 { break-after: avoid; }
/* Chromium builds the PDF outline from the headings' painted lines: with the theme's tight
   line height it repeats a wrapped heading's first line, and it drops the space where a
   line wraps. A looser line height and preserved spaces give outline entries as written. */
h1, h2, h3, h4, h5, h6 { line-height: 1.3 !important; white-space: pre-wrap; }
img, figure, .cell_output .output, table, .math { break-inside: avoid; max-width: 100%; }
img { height: auto; }
/* Nothing is cut off on paper: long code and output lines wrap, wide tables shrink. */
pre, .highlight pre { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible;
  max-height: none; font-size: 8.5pt; }
.table-wrapper, .pst-scrollable-table-container, .output_area, .cell_output, div.output
  { overflow: visible !important; max-height: none !important; }
table { font-size: 8.5pt; width: auto; }
table td, table th { overflow-wrap: anywhere; }
a { color: #0a5cad; text-decoration: none; }
details:not([open]) > :not(summary) { display: none; }
.pdf-title-page { text-align: center; padding-top: 30%; }
.pdf-title { font-size: 26pt; font-weight: 700; margin: 0 0 0.5em; }
.pdf-contents { break-before: page; }
.pdf-contents ol { list-style: none; padding-left: 0; }
.pdf-contents li { margin: 0.2em 0; }
.pdf-contents .pdf-part { font-weight: 700; margin-top: 0.8em; }
"""


def anchor(docname: str) -> str:
    """The id of a chapter in the combined document.

    Example:

    >>> anchor("book/exercises/ex1_visualise")
    'ch-book-exercises-ex1_visualise'

    Args:
        docname: A document name from ``_toc.yml``.

    Returns:
        An id that is valid in HTML and unique per chapter.
    """
    return "ch-" + docname.replace("/", "-")


def toc_parts(root: Path = ROOT) -> list[tuple[str, list[str]]]:
    """The parts of ``_toc.yml`` (caption and documents), with the root page first.

    Example:

    >>> toc_parts()[0]
    ('', ['book/index'])

    Args:
        root: The repository (or book copy) holding ``_toc.yml``.

    Returns:
        ``(caption, docnames)`` pairs in reading order.
    """
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    parts: list[tuple[str, list[str]]] = [("", [toc["root"]])]

    def files(entries: list[dict[str, Any]]) -> Iterator[str]:
        for entry in entries:
            if "file" in entry:
                yield entry["file"]
            for key in ("chapters", "sections"):
                yield from files(entry.get(key, []))

    for part in toc.get("parts", []):
        parts.append((part.get("caption", ""), list(files(part.get("chapters", [])))))
    if toc.get("chapters"):
        parts.append(("", list(files(toc["chapters"]))))
    return parts


def rewrite_link(href: str, docname: str, pages: set[str]) -> str | None:
    """Where a link of one page points in the combined document.

    Example:

    >>> pages = {"book/relu", "book/glossary"}
    >>> rewrite_link("glossary.html#term-ReLU", "book/relu", pages)
    '#ch-book-glossary--term-ReLU'
    >>> rewrite_link("#the-dying-relu", "book/relu", pages)
    '#ch-book-relu--the-dying-relu'
    >>> rewrite_link("https://keras.io/", "book/relu", pages)
    'https://keras.io/'
    >>> rewrite_link("../_sources/book/relu.ipynb", "book/relu", pages) is None
    True

    Args:
        href: The link as the page has it.
        docname: The page the link is on.
        pages: Every document in the PDF.

    Returns:
        The new ``href``: a fragment for a page in the PDF, the link itself when it
        leaves the book, or ``None`` for a local file the PDF does not contain.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return href
    if not parts.path:
        target = docname
    else:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(docname), parts.path))
        if not path.endswith(".html") or path[: -len(".html")] not in pages:
            return None
        target = path[: -len(".html")]
    return f"#{anchor(target)}--{parts.fragment}" if parts.fragment else f"#{anchor(target)}"


#: TeX commands written out when a heading's formula becomes plain text.
_TEX_WORDS = {
    "alpha": "α", "beta": "β", "theta": "θ", "sigma": "σ", "tau": "τ", "lambda": "λ",
    "Phi": "Φ", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "cdot": "·", "times": "×",
    "infty": "∞", "to": "→", "approx": "≈", "neq": "≠", "pm": "±",
}


def tex_to_text(tex: str) -> str:
    r"""A formula as plain text, for a heading (the PDF outline holds text, not math).

    Example:

    >>> tex_to_text(r"\tanh(x) = 2\sigma(2x) - 1")
    'tanh(x) = 2σ(2x) − 1'

    Args:
        tex: The formula's TeX source.

    Returns:
        Greek letters and relations as symbols, other commands as their names.
    """
    text = re.sub(r"\\([A-Za-z]+)", lambda m: _TEX_WORDS.get(m.group(1), m.group(1)), tex)
    text = re.sub(r"[{}]|\\[,;!: ]", "", text).replace("-", "−")
    return " ".join(text.split())


def _local_url(url: str, docname: str) -> str:
    """A page-relative resource (image, stylesheet) as a path from the server root."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("data:", "/")):
        return url
    path = posixpath.normpath(posixpath.join(posixpath.dirname(docname), parts.path))
    return "/" + path + (f"?{parts.query}" if parts.query else "")


def chapter(html_dir: Path, docname: str, pages: set[str]) -> Tag:
    """One page's article, ready for the combined document.

    Args:
        html_dir: The built book.
        docname: The page to read.
        pages: Every document in the PDF (for the links).

    Returns:
        A ``<section class="pdf-chapter">`` holding the article.
    """
    path = html_dir / f"{docname}.html"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: build the book first (`make book`).")
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article") or soup.select_one("main") or soup.body
    if article is None:
        raise ValueError(f"{path} has no article to print.")
    for selector in DROP:
        for element in article.select(selector):
            element.decompose()
    for math in article.select(":is(h1, h2, h3, h4, h5, h6) .math"):
        tex = math.get_text().strip().removeprefix("\\(").removesuffix("\\)")
        math.replace_with(tex_to_text(tex))
    prefix = anchor(docname)
    for element in article.find_all(id=True):
        element["id"] = f"{prefix}--{element['id']}"
    for link in article.find_all("a", href=True):
        target = rewrite_link(str(link["href"]), docname, pages)
        if target is None:
            link.unwrap()
        else:
            link["href"] = target
            link.attrs.pop("target", None)
    for element in article.find_all(["img", "source"], src=True):
        element["src"] = _local_url(str(element["src"]), docname)
    section = soup.new_tag("section", attrs={"class": "pdf-chapter", "id": prefix})
    section.extend(list(article.children))
    return section


def _chapter_title(section: Tag, docname: str) -> str:
    heading = section.find("h1")
    return " ".join(heading.get_text(" ").split()) if heading else docname


def combine(html_dir: Path, root: Path = ROOT) -> str:
    """Every page of the book, in ``_toc.yml`` order, as one HTML document.

    The document opens with a title page and a contents list that links to each
    chapter; it loads the book's own stylesheets and MathJax.

    Args:
        html_dir: The built book, such as ``_build/html``.
        root: The repository (or book copy) holding ``_toc.yml`` and ``_config.yml``.

    Returns:
        The HTML text, to be served from ``html_dir``'s root.
    """
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    parts = toc_parts(root)
    pages = {d for _, docs in parts for d in docs}
    first = BeautifulSoup((html_dir / f"{parts[0][1][0]}.html").read_text(encoding="utf-8"),
                          "html.parser")
    out = BeautifulSoup("<!DOCTYPE html><html lang='en' data-theme='light'>"
                        "<head><meta charset='utf-8'></head><body></body></html>",
                        "html.parser")
    head, body = out.head, out.body
    assert head is not None and body is not None
    title = str(config.get("title", "Book"))
    title_tag = out.new_tag("title")
    title_tag.string = title
    head.append(title_tag)
    for link in first.select("head link[rel~=stylesheet]"):
        head.append(out.new_tag("link", attrs={
            "rel": "stylesheet", "href": _local_url(str(link["href"]), parts[0][1][0])}))
    for script in first.select("head script"):
        source = script.get("src")
        if source and "mathjax" in str(source).lower():
            head.append(out.new_tag("script", attrs={
                "defer": "", "src": _local_url(str(source), parts[0][1][0])}))
        elif not source and "MathJax" in script.get_text():
            inline = out.new_tag("script")
            inline.string = script.get_text()
            head.append(inline)
    style = out.new_tag("style")
    style.string = PRINT_CSS
    head.append(style)

    sections = [(d, chapter(html_dir, d, pages)) for _, docs in parts for d in docs]
    titles = {d: _chapter_title(s, d) for d, s in sections}
    cover = out.new_tag("div", attrs={"class": "pdf-title-page"})
    for cls, text in (("pdf-title", title), ("pdf-author", str(config.get("author", "")))):
        paragraph = out.new_tag("p", attrs={"class": cls})
        paragraph.string = text
        cover.append(paragraph)
    contents = out.new_tag("div", attrs={"class": "pdf-contents"})
    heading = out.new_tag("p", attrs={"class": "pdf-title"})
    heading.string = "Contents"
    contents.append(heading)
    listing = out.new_tag("ol")
    for caption, docs in parts:
        if caption:
            item = out.new_tag("li", attrs={"class": "pdf-part"})
            item.string = caption
            listing.append(item)
        for docname in docs:
            item = out.new_tag("li")
            link = out.new_tag("a", href=f"#{anchor(docname)}")
            link.string = titles[docname]
            item.append(link)
            listing.append(item)
    contents.append(listing)
    body.append(cover)
    body.append(contents)
    for _, section in sections:
        body.append(section)
    return str(out)


def chapter_titles(html_dir: Path, root: Path = ROOT) -> list[str]:
    """The title (first heading) of every chapter, in ``_toc.yml`` order.

    Args:
        html_dir: The built book.
        root: The repository (or book copy) holding ``_toc.yml``.

    Returns:
        One title per document.
    """
    parts = toc_parts(root)
    pages = {d for _, docs in parts for d in docs}
    return [_chapter_title(chapter(html_dir, d, pages), d) for _, docs in parts for d in docs]


FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def build_pdf(html_dir: Path, out: Path, root: Path = ROOT) -> Path:
    """Write the whole book as one PDF with an outline, from the built HTML.

    Args:
        html_dir: The built book, such as ``_build/html``.
        out: The PDF to write (its folder is created).
        root: The repository (or book copy) holding ``_toc.yml`` and ``_config.yml``.

    Returns:
        ``out``.
    """
    from playwright.sync_api import sync_playwright

    document = combine(html_dir, root)
    out.parent.mkdir(parents=True, exist_ok=True)
    with book_browser.serve(html_dir) as base, sync_playwright() as p:
        browser = book_browser.launch(p)
        try:
            context = browser.new_context()
            blocked: list[str] = []

            def route(request_route: Any) -> None:
                url = request_route.request.url
                if url == base + DOCUMENT:
                    request_route.fulfill(status=200, body=document,
                                          content_type="text/html; charset=utf-8")
                elif urlsplit(url).hostname in book_browser.LOCAL_HOSTS:
                    request_route.continue_()
                else:
                    blocked.append(url)
                    request_route.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.goto(base + DOCUMENT, wait_until="load", timeout=120_000)
            page.emulate_media(media="print")
            book_browser.settle(page)
            page.pdf(path=str(out), format="A4", print_background=True, outline=True,
                     tagged=True, display_header_footer=True, header_template="<span></span>",
                     footer_template=FOOTER,
                     margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"})
            context.close()
        finally:
            browser.close()
    if blocked:
        raise RuntimeError(f"the PDF asked for resources outside the book: {blocked[:5]}")
    return out


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: build ``_build/pdf/book.pdf`` from ``_build/html``.

    Args:
        argv: The arguments (by default, ``sys.argv[1:]``).

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "book.pdf")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the folder holding _toc.yml and _config.yml")
    args = parser.parse_args(argv)
    reason = book_browser.chromium_missing()
    if reason:
        print(f"cannot print the book: {reason}", file=sys.stderr)
        return 1
    if not (args.html / "book" / "index.html").is_file():
        print(f"no built book in {args.html}: run `make book` first", file=sys.stderr)
        return 1
    path = build_pdf(args.html, args.out, args.root)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
