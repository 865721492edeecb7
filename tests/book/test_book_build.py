"""The built HTML book: every page exists and reads cleanly.

``make booktest`` builds ``.testbook`` (the notebooks executed once by
nbmake) with ``jupyter-book build -W -n --keep-going`` before these tests run.
Run on their own, the fixture builds the book itself, executing every notebook.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from nbutils import ROOT, TESTBOOK, TF_NOISE
from test_repo import toc_files

HTML = TESTBOOK / "_build" / "html"


@pytest.fixture(scope="module")
def html_dir() -> Path:
    if not (HTML / "index.html").exists():
        sys.path.insert(0, str(ROOT / "tools"))
        from prepare_testbook import prepare

        prepare(TESTBOOK, execute="force")
        jb = Path(sys.executable).with_name("jupyter-book")
        subprocess.run(
            [str(jb), "build", str(TESTBOOK), "-W", "-n", "--keep-going"], check=True
        )
    return HTML


def pages(html_dir: Path) -> dict[str, str]:
    return {entry: (html_dir / f"{entry}.html").read_text() for entry in toc_files()}


def cell_outputs(page: str) -> str:
    """The text of the cell-output areas of one page."""
    return "\n".join(re.findall(r'<div class="cell_output[^"]*">(.*?)</div>\s*</div>', page, re.S))


def test_every_toc_page_is_built(html_dir: Path) -> None:
    for entry in toc_files():
        assert (html_dir / f"{entry}.html").exists(), f"{entry} was not built"
    assert (html_dir / "index.html").exists()


def test_no_tensorflow_start_up_noise(html_dir: Path) -> None:
    for entry, page in pages(html_dir).items():
        for marker in TF_NOISE:
            assert marker not in page, f"{entry}: TensorFlow log line {marker!r} in the HTML"


def test_no_traceback_or_stderr_in_outputs(html_dir: Path) -> None:
    for entry, page in pages(html_dir).items():
        outputs = cell_outputs(page)
        assert "Traceback (most recent call last)" not in outputs, entry
        assert "output stderr" not in page, f"{entry}: stderr output shown"
        for warning in ("UserWarning", "DeprecationWarning", "FutureWarning"):
            assert not re.search(rf"site-packages.*{warning}", outputs), f"{entry}: {warning}"


def test_no_widget_outputs_needing_a_cdn(html_dir: Path) -> None:
    for entry, page in pages(html_dir).items():
        assert "application/vnd.jupyter.widget-view+json" not in page, entry


def test_notebook_pages_show_executed_outputs(html_dir: Path) -> None:
    page = (html_dir / "book" / "intro.html").read_text()
    assert "cell_output" in page
    assert "final mean squared error" in page
    assert re.search(r'<img[^>]+src="[^"]+\.png"', page), "the intro's figure is missing"
