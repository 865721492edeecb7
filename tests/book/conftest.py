"""Every test in this folder needs the executed notebooks or the built book: mark it ``book``.

``make unit`` deselects them (``-m "not book"``); ``make booktest`` runs them after nbmake has
executed every notebook into ``.testbook`` and the test build has turned it into HTML.

On a CI machine (``CI=true``) a test here that skips fails instead: a missing browser, PDF
reader or built book there means a check did not run, which must not pass unnoticed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


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
