"""JupyterLab for real: `make lab` serves book/, Chromium runs a chapter and does its exercise.

The test starts ``make lab`` (``LAB_ARGS`` gives a free loopback port, a token and
``--no-browser``), opens the softmax chapter in JupyterLab with Playwright, runs every cell
and finds no error output, then types a correct ``my_softmax`` into the exercise cell, runs
the notebook again and reads "Correct" in the check's output. Autosave is off (user settings
in a temporary folder) and the test checks that no file under ``book/`` changed.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import book_browser  # noqa: E402

pytestmark = pytest.mark.stage
CHAPTER = "softmax.ipynb"
ANSWER = '''import numpy as np


def my_softmax(logits):
    z = np.asarray(logits, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
'''
#: JupyterLab user settings: never save on its own, keep every cell in the page.
SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def book_files() -> dict[str, bytes]:
    return {str(p.relative_to(ROOT)): p.read_bytes() for p in (ROOT / "book").rglob("*")
            if p.is_file() and ".ipynb_checkpoints" not in p.parts}


def lab_command(args: str) -> list[str]:
    """``make lab`` when its install stamp is current, else the same command without make."""
    if shutil.which("make"):
        stamp = subprocess.run(["make", "-q", ".venv/.installed-lab"], cwd=ROOT)
        if stamp.returncode == 0:
            return ["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"]
    if shutil.which("jupyter-lab", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("JupyterLab is not installed: run `make labtest` (installs the lab extra)")
    root = ["--allow-root"] if hasattr(os, "getuid") and os.getuid() == 0 else []
    return [str(Path(sys.executable).with_name("jupyter-lab")),
            f"--ServerApp.root_dir={ROOT / 'book'}", *root, *args.split()]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    reason = book_browser.chromium_missing()
    if reason:
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("lab")
    for name, value in SETTINGS.items():
        path = tmp / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    port, token = free_port(), secrets.token_hex(16)
    args = (f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} "
            f"--ServerApp.port_retries=0 --IdentityProvider.token={token} "
            "--LabApp.news_url=None --LabApp.expose_app_in_browser=True "
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate")
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(tmp / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
           "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp / "config"),
           "IPYTHONDIR": str(ROOT / "tools" / "ipython"),
           "ACTTUTOR_HOME": str(tmp / "home"), "PATH": f"{Path(sys.executable).parent}:"
           + os.environ.get("PATH", "")}
    env.pop("MPLBACKEND", None)
    before = book_files()
    log = (tmp / "lab.log").open("w")
    server = subprocess.Popen(lab_command(args), cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + (tmp / "lab.log").read_text())
                time.sleep(1)
        contents = json.loads(urllib.request.urlopen(
            f"{url}/api/contents?token={token}", timeout=10).read())
        names = {item["name"] for item in contents["content"]}
        assert CHAPTER in names and "exercises" in names, f"lab is not rooted at book/: {names}"
        yield f"{url}/lab/tree/{CHAPTER}?token={token}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
        shutil.rmtree(ROOT / "book" / ".ipynb_checkpoints", ignore_errors=True)
        assert book_files() == before, "JupyterLab changed files under book/"


#: The kernel's status as JupyterLab sees it ("idle", "busy", "starting", ...).
KERNEL_STATUS = """() => {
  const widget = window.jupyterapp.shell.currentWidget;
  const kernel = widget && widget.sessionContext && widget.sessionContext.session
    && widget.sessionContext.session.kernel;
  return kernel ? kernel.status : "none";
}"""


def run_all(page, timeout_s: float = 300) -> None:
    """Run every cell (JupyterLab's "Run All Cells" command) and wait until all have run."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    deadline = time.monotonic() + timeout_s
    prompts: list[str] = []
    while time.monotonic() < deadline:
        prompts = [p.strip() for p in
                   page.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()]
        done = prompts and all(p not in ("[ ]:", "[*]:", "") for p in prompts)
        if done and page.evaluate(KERNEL_STATUS) == "idle":
            return
        time.sleep(1)
    pytest.fail(f"the cells did not finish running in {timeout_s:.0f} s: {prompts}")


def error_outputs(page) -> list[str]:
    selector = ('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
                ".jp-OutputArea-output.jp-mod-error, "
                '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')
    return page.locator(selector).all_inner_texts()


def test_a_chapter_runs_and_its_exercise_says_correct(lab: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = book_browser.launch(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(lab)
            page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=120_000)
            page.wait_for_function(f"() => ({KERNEL_STATUS})() === 'idle'", timeout=120_000)
            run_all(page)
            errors = error_outputs(page)
            assert errors == [], f"error output in {CHAPTER}: {errors[:3]}"
            check = page.locator(".jp-CodeCell", has_text="implement_softmax.check(my_softmax)")
            assert "Not attempted" in check.locator(".jp-OutputArea").inner_text()

            exercise = page.locator(".jp-CodeCell", has_text="def my_softmax(logits)").first
            exercise.locator(".cm-content").click()
            page.keyboard.press("Control+A")
            page.keyboard.insert_text(ANSWER)
            assert "np.exp(z - z.max" in exercise.locator(".cm-content").inner_text()
            page.keyboard.press("Escape")
            run_all(page)
            output = check.locator(".jp-OutputArea").inner_text()
            assert "Correct" in output, output
            assert error_outputs(page) == []
        finally:
            browser.close()
