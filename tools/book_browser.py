"""Look at the built HTML book in a real browser: a local server, Chromium and screenshots.

``tests/book/test_browser.py`` and the other browser tests use these helpers to open
every page the way a reader does.
Run as a script, it refreshes the screenshots the README shows::

    python tools/book_browser.py screenshots                  # from _build/html
    python tools/book_browser.py screenshots --html .testbook/_build/html

Playwright drives Debian's Chromium (``/usr/bin/chromium``, or ``$ACTTUTOR_CHROMIUM``):
``playwright install`` would download a browser, which an offline machine cannot.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parents[1]
#: Chromium to drive; override with the ``ACTTUTOR_CHROMIUM`` environment variable.
CHROMIUM = os.environ.get("ACTTUTOR_CHROMIUM", "/usr/bin/chromium")
#: Flags for a headless Chromium that contacts nothing by itself.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Hosts the book may load from: the local server only.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
#: The install script, which pins axe-core and installs the browser tests' dependencies.
INSTALL_SCRIPT = ROOT / "tools" / "install_browser_deps.sh"
#: axe-core, installed from npm by :data:`INSTALL_SCRIPT`; override with ``ACTTUTOR_AXE``.
AXE_JS = Path(os.environ.get("ACTTUTOR_AXE")
              or ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js")
#: The README's screenshots: file stem -> page of the book.
SCREENSHOTS = {"landing": "book/index.html", "relu": "book/relu.html"}
VIEWPORT = {"width": 1280, "height": 800}


def toc_pages(root: Path = ROOT) -> list[str]:
    """Every document of ``_toc.yml`` in reading order (the order of the next links).

    Example:

    >>> toc_pages()[0]
    'book/index'

    Args:
        root: The repository (or book copy) holding ``_toc.yml``.

    Returns:
        Document names such as ``book/relu``, depth first.
    """
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]]

    def walk(entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            if "file" in entry:
                found.append(entry["file"])
            for key in ("chapters", "sections", "parts"):
                walk(entry.get(key, []))

    walk(toc.get("parts", []) + toc.get("chapters", []))
    return found


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1 (a free port) while the block runs.

    Example:

    >>> with serve(Path(".")) as url:  # doctest: +SKIP
    ...     print(url)
    http://127.0.0.1:40123/

    Args:
        directory: The folder to serve, such as ``_build/html``.

    Returns:
        A context manager giving the base URL, ending in ``/``.
    """
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def chromium_missing() -> str | None:
    """Say why the browser cannot run here, or ``None`` when it can.

    Returns:
        A reason (no Chromium, or no Playwright), or ``None``.
    """
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium; .ci/run does it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


def axe_version() -> str:
    """The axe-core version that :data:`INSTALL_SCRIPT` pins.

    Example:

    >>> axe_version().count(".")
    2

    Returns:
        A version such as ``4.11.4``.
    """
    match = re.search(r"^AXE_VERSION=(\S+)$", INSTALL_SCRIPT.read_text(encoding="utf-8"), re.M)
    if not match:
        raise ValueError(f"{INSTALL_SCRIPT} does not pin AXE_VERSION")
    return match.group(1)


def axe_missing() -> str | None:
    """Say why axe-core cannot run here, or ``None`` when the pinned version is installed.

    Returns:
        A reason naming the command that installs it, or ``None``.
    """
    fix = "run tools/install_browser_deps.sh (`make` does it)"
    if not AXE_JS.is_file():
        return f"axe-core is not installed at {AXE_JS}: {fix}"
    package = AXE_JS.parent / "package.json"
    if package.is_file():
        import json

        installed = json.loads(package.read_text(encoding="utf-8")).get("version")
        if installed != axe_version():
            return f"axe-core {installed} is installed, the tests pin {axe_version()}: {fix}"
    return None


def launch(playwright: Any) -> Any:
    """Start headless Chromium through Playwright.

    Args:
        playwright: The object ``sync_playwright()`` gives.

    Returns:
        A Playwright ``Browser``.
    """
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )


def offline_context(browser: Any, blocked: list[str], **options: Any) -> Any:
    """A browser context that lets only the local server through.

    Every request to another host is aborted and its URL appended to ``blocked``,
    so a test can assert that the book reads offline.

    Args:
        browser: A Playwright ``Browser`` (from :func:`launch`).
        blocked: A list that collects the URLs of the refused requests.
        **options: Passed to ``browser.new_context`` (``viewport`` defaults to
            :data:`VIEWPORT`; ``color_scheme=``, ...).

    Returns:
        A Playwright ``BrowserContext``.
    """
    context = browser.new_context(**{"viewport": VIEWPORT, **options})

    def route(route: Any) -> None:
        url = route.request.url
        if urlparse(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", route)
    return context

#: Waits until web fonts are loaded, MathJax (when the page has it) has typeset, and the
#: colour transitions the theme starts as it loads have ended (a page read mid-transition
#: shows colours between two themes').
SETTLE_JS = """async () => {
  const done = (async () => {
    await document.fonts.ready;
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      await MathJax.startup.promise;
    }
    const finite = a => !a.effect || a.effect.getComputedTiming().endTime !== Infinity;
    await Promise.all(document.getAnimations().filter(finite)
      .map(a => a.finished.catch(() => null)));
  })();
  // Never hang a test: give up waiting after 20 s (the checks then report what is missing).
  await Promise.race([done, new Promise(resolve => setTimeout(resolve, 20000))]);
}"""


def settle(page: Any) -> None:
    """Wait until a loaded page has finished drawing: fonts, typeset math, transitions.

    Args:
        page: A Playwright ``Page`` after ``goto``.
    """
    page.wait_for_load_state("load")
    page.evaluate(SETTLE_JS)


def screenshot_pages(browser: Any, base_url: str, out_dir: Path) -> list[Path]:
    """Save a PNG of each page in :data:`SCREENSHOTS`, at a 1280×800 window.

    Args:
        browser: A Playwright ``Browser`` (from :func:`launch`).
        base_url: Where the built book is served (from :func:`serve`).
        out_dir: Where to write ``<name>.png`` (created if needed).

    Returns:
        The paths written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        for name, path in SCREENSHOTS.items():
            page.goto(base_url + path)
            settle(page)
            target = out_dir / f"{name}.png"
            page.screenshot(path=str(target))
            written.append(target)
    finally:
        context.close()
    return written


def take_screenshots(html_dir: Path, out_dir: Path) -> list[Path]:
    """Serve ``html_dir``, start Chromium and save the :data:`SCREENSHOTS` into ``out_dir``.

    Args:
        html_dir: The built book, such as ``_build/html``.
        out_dir: Where to write the PNG files.

    Returns:
        The paths written.
    """
    from playwright.sync_api import sync_playwright

    with serve(html_dir) as base, sync_playwright() as p:
        browser = launch(p)
        try:
            return screenshot_pages(browser, base, out_dir)
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ``screenshots`` refreshes ``docs/images``.

    Args:
        argv: The arguments (by default, ``sys.argv[1:]``).

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    shots = sub.add_parser("screenshots", help="save the README's screenshots")
    shots.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    shots.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args(argv)
    reason = chromium_missing()
    if reason:
        print(f"cannot take screenshots: {reason}", file=sys.stderr)
        return 1
    if not (args.html / "book" / "index.html").is_file():
        print(f"no built book in {args.html}: run `make book` first", file=sys.stderr)
        return 1
    for path in take_screenshots(args.html, args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
