"""Slider figures in the browser: the book's five sliders move their picture, offline.

Each slider of the built book is moved with the keyboard (End, Home, arrow keys) and by
setting its value, and the test checks that the picture, its alt text and the value shown
change together. A slider figure on its own page (no book, no network) checks the
script's behaviour, including what an output without its script (an untrusted notebook)
still shows.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pytest
from nbutils import ROOT, TESTBOOK

from acttutor.plots.interactive import SliderFigure, slider_figure

sys.path.insert(0, str(ROOT / "tools"))
import book_browser  # noqa: E402

HTML = Path(os.environ.get("ACTTUTOR_BOOK_HTML") or TESTBOOK / "_build" / "html")
#: The parameter each chapter's slider moves (its label starts with it).
EXPECTED = {
    "book/leaky_relu": ["α"],
    "book/softmax": ["T"],
    "book/catalog": ["β"],
    "book/advanced_layers": ["θ", "alpha"],
}

STATE = """root => {
  const input = root.querySelector('input[type=range]');
  const shown = [...root.querySelectorAll('img')].filter(i => i.getClientRects().length > 0);
  const note = root.querySelector('.acttutor-slider-note');
  return {
    value: input.value, max: input.max, disabled: input.disabled,
    valuetext: input.getAttribute('aria-valuetext'),
    label: input.labels.length ? input.labels[0].textContent.trim() : '',
    output: root.querySelector('output').textContent,
    shown: shown.length, src: shown.length ? shown[0].src : '',
    alt: shown.length ? shown[0].alt : '',
    loaded: shown.length ? shown[0].complete && shown[0].naturalWidth > 0 : false,
    note: note ? !note.hidden : false,
  };
}"""


def offline_page(browser: Any, blocked: list[str]) -> tuple[Any, Any]:
    context = book_browser.offline_context(browser, blocked,
                                           viewport={"width": 1280, "height": 900})
    return context, context.new_page()


def moves(page: Any, root: Any) -> list[dict[str, Any]]:
    """The slider's state at the start, after End, Home, ArrowRight and a set value."""
    states = [root.evaluate(STATE)]
    slider = root.locator("input[type=range]")
    slider.focus()
    for key in ("End", "Home", "ArrowRight"):
        page.keyboard.press(key)
        states.append(root.evaluate(STATE))
    slider.fill("0")  # a pointer or touch sets the value directly
    states.append(root.evaluate(STATE))
    return states


def check_moves(states: list[dict[str, Any]], where: str) -> None:
    start, end, home, right, zero = states
    last = start["max"]
    assert (end["value"], home["value"], right["value"], zero["value"]) == (last, "0", "1", "0")
    for state in states:
        assert not state["disabled"], f"{where}: the slider is disabled"
        assert state["shown"] == 1 and state["loaded"], f"{where}: {state['shown']} frames shown"
        assert state["alt"].startswith(state["valuetext"] + ":"), where
        assert state["output"] == state["valuetext"], where
        assert not state["note"], f"{where}: the 'run the cell' note shows"
    pictures = {s["src"] for s in (end, home, right)}
    assert len(pictures) == 3, f"{where}: moving the slider did not change the picture"
    assert len({s["alt"] for s in (end, home, right)}) == 3, where
    assert home["src"] == zero["src"]


def test_every_chapter_slider_moves_its_picture(browser: Any) -> None:
    if not (HTML / "book" / "index.html").exists():
        pytest.skip(f"no built test book in {HTML}: run `make booktest` (it builds it first)")
    context, page = offline_page(browser, blocked := [])
    found: dict[str, list[str]] = {}
    with book_browser.serve(HTML) as base:
        for docname in EXPECTED:
            page.goto(f"{base}{docname}.html")
            book_browser.settle(page)
            sliders = page.locator("[data-acttutor-slider]")
            found[docname] = []
            for i in range(sliders.count()):
                root = sliders.nth(i)
                root.scroll_into_view_if_needed()
                states = moves(page, root)
                found[docname].append(states[0]["label"])
                check_moves(states, f"{docname} slider {i + 1}")
    context.close()
    assert {d: [label.split()[0] for label in labels] for d, labels in found.items()} == EXPECTED
    assert sum(len(v) for v in found.values()) >= 5
    assert blocked == []


def line_to(k: float) -> Any:
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, 1], [0, k])
    ax.set_ylim(0, 4)
    return fig


@pytest.fixture(scope="module")
def figure() -> SliderFigure:
    return slider_figure(line_to, [1, 2, 3, 4], parameter="k", label="k (slope)", start=2)


def test_a_slider_on_its_own_page_works_offline(browser: Any, figure: SliderFigure) -> None:
    context, page = offline_page(browser, blocked := [])
    page.set_content(f"<!DOCTYPE html><html lang='en'><body>{figure.to_html()}</body></html>")
    root = page.locator("[data-acttutor-slider]")
    states = moves(page, root)
    context.close()
    assert states[0]["value"] == "1" and states[0]["valuetext"] == "k = 2"
    assert states[0]["label"] == "k (slope)"
    check_moves(states, "own page")
    assert blocked == []


def test_without_its_script_the_figure_shows_its_start(browser: Any,
                                                        figure: SliderFigure) -> None:
    """An untrusted notebook strips scripts: the start frame and a note remain."""
    html = figure.to_html()
    stripped = html[: html.index("<script>")] + html[html.index("</script>") + 9:]
    context, page = offline_page(browser, [])
    page.set_content(f"<!DOCTYPE html><html lang='en'><body>{stripped}</body></html>")
    state = page.locator("[data-acttutor-slider]").evaluate(STATE)
    context.close()
    assert state["shown"] == 1 and state["loaded"] and state["alt"].startswith("k = 2:")
    assert state["disabled"] and state["note"]


LAB_CELL = """import matplotlib.pyplot as plt
from acttutor.plots.interactive import slider_figure


def draw(k):
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, 1], [0, k])
    return fig


slider_figure(draw, [1, 2, 3, 4], parameter="k", start=2)"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.stage  # needs the lab extra: `make labtest` runs it
def test_a_slider_works_in_jupyterlab(browser: Any, tmp_path: Path) -> None:
    """Run as a learner does: the cell's output is trusted, so its script runs in Lab."""
    if importlib.util.find_spec("jupyterlab") is None:
        pytest.skip("JupyterLab is not installed (pip install -e '.[lab]')")
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "id": "slider",
                           "metadata": {}, "outputs": [], "source": LAB_CELL}],
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                            "language": "python"}},
                "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "slider.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    port = free_port()
    env = dict(os.environ, JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"),
               MPLBACKEND="Agg")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
         f"--port={port}", "--ServerApp.ip=127.0.0.1", "--ServerApp.token=",
         "--ServerApp.password=", f"--ServerApp.root_dir={tmp_path}", "--LabApp.news_url="],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(1)
        context, page = offline_page(browser, blocked := [])
        page.goto(f"http://127.0.0.1:{port}/lab/tree/slider.ipynb", timeout=120_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell .jp-InputArea-editor", timeout=120_000)
        # Run the cell once the kernel is up and idle.
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=180_000)
        root = page.locator("[data-acttutor-slider]")
        for _ in range(6):  # a run sent before the kernel's connection is up does nothing
            page.locator(".jp-Cell .jp-InputArea-editor").first.click()
            page.keyboard.press("Shift+Enter")
            try:
                root.wait_for(timeout=30_000)
                break
            except Exception:  # noqa: BLE001 - Playwright's timeout: run the cell again
                continue
        if not root.count():
            page.screenshot(path=str(tmp_path / "lab.png"))
            pytest.fail(f"the cell's slider never appeared in JupyterLab (see {tmp_path})")
        states = moves(page, root)
        context.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    check_moves(states, "JupyterLab")
    assert blocked == []
