"""Every test in this folder needs the executed notebooks or the built book: mark it ``book``.

``make unit`` deselects them (``-m "not book"``); ``make booktest`` runs them after nbmake has
executed every notebook into ``.testbook`` and the test build has turned it into HTML.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Add the ``book`` marker to every test collected from this folder."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.book)
