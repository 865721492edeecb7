"""Every test in this folder needs the executed notebooks or the built book: mark it ``book``.

``make unit`` deselects them (``-m "not book"``); ``make booktest`` runs them after nbmake has
executed every notebook into ``.testbook`` and the test build has turned it into HTML.

On a CI machine (``CI=true``) a test here that skips fails instead: a missing browser, PDF
reader or built book there means a check did not run, which must not pass unnoticed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from nbutils import ROOT, TESTBOOK, executed, glued, outputs_text

sys.path.insert(0, str(ROOT / "tools"))
import book_browser  # noqa: E402

HERE = Path(__file__).resolve().parent
#: The test build by default; ACTTUTOR_BOOK_HTML points the browser tests at another build.
HTML = Path(os.environ.get("ACTTUTOR_BOOK_HTML") or TESTBOOK / "_build" / "html")


@pytest.fixture(scope="module")
def html_dir() -> Path:
    """The built book's HTML folder; skips (fails under CI) when it is not built."""
    if not (HTML / "book" / "index.html").exists():
        pytest.skip(f"no built test book in {HTML}: run `make booktest` (it builds it first)")
    return HTML


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium, one per test module; skips when Chromium or Playwright is missing."""
    reason = book_browser.chromium_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = book_browser.launch(p)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def base_url(html_dir: Path) -> Iterator[str]:
    """The built book served from 127.0.0.1 for the module's tests."""
    with book_browser.serve(html_dir) as url:
        yield url


def _here(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Add the ``book`` marker to every test collected from this folder."""
    for item in items:
        if _here(item):
            item.add_marker(pytest.mark.book)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Under ``CI=true``, turn a skip of a test in this folder into a failure."""
    outcome = yield
    report = outcome.get_result()
    expected_failure = hasattr(report, "wasxfail")
    if report.skipped and not expected_failure and os.environ.get("CI") == "true" and _here(item):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped on a CI machine (CI=true), where every check must run: {reason}"


# A chapter's test module names its notebook in CHAPTER ("book/cost.ipynb"); these read
# the executed copy once per module.
@pytest.fixture(scope="module")
def nb(request: pytest.FixtureRequest) -> Any:
    """The executed notebook that the test module's ``CHAPTER`` names."""
    return executed(request.module.CHAPTER)


@pytest.fixture(scope="module")
def g(nb: Any) -> dict[str, Any]:
    """The values the chapter glued, by name."""
    return glued(nb)


@pytest.fixture(scope="module")
def text(nb: Any) -> str:
    """The text of the chapter's outputs."""
    return outputs_text(nb)
