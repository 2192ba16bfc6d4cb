"""The chapters in JupyterLab (with jupyterlab-myst), as a reader who clones the repository
sees them: a JupyterLab server started by the test on copies of two chapters, driven by
Playwright (Debian chromium).

Before any cell runs, the prose must already be rendered — MyST admonitions and dropdowns
as such, every {eval} number shown from the values ``make execute`` stored — with no raw
``{glue``, ``{eval}``, ``{admonition}`` or ``:class:`` text.  After Run All: no error output,
the live ipywidgets render, and the prose is still rendered.  Screenshots go to
$CNNLIB_SCREENSHOT_DIR (default /tmp) as cnnlib_lab_<chapter>_{opened,run}.png.

Without chromium/Playwright the test is skipped with the reason printed, unless CI or
CNNLIB_REQUIRE_BROWSER=1 is set: then it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import cnnlib

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CNNLIB_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(os.environ.get("CNNLIB_SCREENSHOT_DIR", "/tmp"))
TOKEN = "cnnlib-test"
RAW = re.compile(r"\{glue|\{eval\}|\{admonition\}|:class:|\{doc\}|\{term\}|\{cite\}")


def _required() -> bool:
    ci = os.environ.get("CI", "").strip().lower()
    return ci not in ("", "0", "false", "no") or os.environ.get("CNNLIB_REQUIRE_BROWSER") == "1"


def _unavailable(reason: str):
    if _required():
        pytest.fail(f"{reason} (required because CI or CNNLIB_REQUIRE_BROWSER=1 is set)", pytrace=False)
    print(f"\nSKIP JupyterLab test: {reason}", file=sys.stderr)
    pytest.skip(reason)


def _chapter(stem_options) -> Path:
    for stem in stem_options:
        path = ROOT / "notebooks" / f"{stem}.ipynb"
        if path.exists():
            return path
    raise FileNotFoundError(stem_options)


CHAPTERS = {"padding": ("02_padding_stride",), "alexnet": ("07_alexnet",)}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on copies of two chapters (Run All may save them)."""
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} not found")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("Playwright for Python is not installed")
    root = tmp_path_factory.mktemp("lab")
    for key, stems in CHAPTERS.items():
        shutil.copy(_chapter(stems), root / f"{key}.ipynb")
    jupyter = Path(sys.executable).with_name("jupyter")
    # the copies are the committed files, byte for byte: trust them as `make venv` trusts those
    subprocess.run([str(jupyter), "trust", *map(str, root.glob("*.ipynb"))], check=True,
                   capture_output=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # user settings for this server only: every cell rendered (JupyterLab 4 renders only the
    # cells in view by default, so the check would see a few), no news pop-up over the page
    settings = root / "settings"
    for plugin, values in (("notebook-extension/tracker", {"windowingMode": "none"}),
                           ("apputils-extension/notification", {"fetchNews": "false"})):
        path = settings / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = dict(os.environ, JUPYTER_PREFER_ENV_PATH="1", KERAS_BACKEND="torch")
    log = (root / "lab.log").open("w")
    server = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--ServerApp.token={TOKEN}", f"--ServerApp.root_dir={root}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.expose_app_in_browser=True", f"--LabApp.user_settings_dir={settings}",  # window.jupyterapp: run all, wait for the kernel
         *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail("jupyter lab exited: " + (root / "lab.log").read_text()[-2000:])
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("jupyter lab did not answer within 60 s")
    yield base
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _markdown(page) -> list[str]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('.jp-MarkdownCell'))
        .map(c => (c.querySelector('.jp-RenderedMarkdown, .jp-RenderedHTMLCommon') || c).innerText)""")


def _open(browser, lab, name):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    # jupyterlab-myst re-evaluates {eval} when a cell renders; before the kernel has started it
    # rejects a promise with "Session has no kernel." (and keeps the stored value): not an error
    page.on("pageerror", lambda e: str(e) != "Session has no kernel." and errors.append(str(e)))
    # a committed view of a widget whose model is gone ("widget model not found") is a dead widget
    page.on("console", lambda m: m.type == "error" and "model not found" in m.text and errors.append(m.text))
    page.goto(f"{lab}/lab/tree/{name}.ipynb?token={TOKEN}&reset", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook .jp-MarkdownCell", timeout=90_000)
    # every markdown cell rendered as a reader who opens the file sees it (the server renders all
    # cells: windowingMode "none").  Not by 'notebook:render-all-markdown': that *runs* the markdown
    # cells, and jupyterlab-myst then evaluates their {eval} expressions in whatever kernel has
    # started — an empty one shows "NameError: name … is not defined" in the prose (seen once in CI)
    page.wait_for_function("""() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        if (!w || !w.context || !w.context.isReady) return false;
        const md = w.content.widgets.filter(c => c.model.type === 'markdown');
        return md.length > 0 && md.every(c => c.rendered); }""", timeout=90_000)
    page.wait_for_timeout(1500)
    return page, errors


def _wait_idle(page, timeout_s=240):
    """Until every code cell has run (an execution count and no '*') and the kernel is idle."""
    page.wait_for_function("""() => {
        const w = window.jupyterapp.shell.currentWidget, k = w.sessionContext.session?.kernel;
        if (!k || k.status !== 'idle') return false;
        const cells = Array.from(w.content.model.cells).filter(c => c.type === 'code');
        return cells.every(c => c.executionCount !== null);
    }""", timeout=timeout_s * 1000, polling=1000)


@pytest.mark.parametrize("name", list(CHAPTERS))
def test_chapter_renders_and_runs_in_jupyterlab(browser, lab, name):
    page, errors = _open(browser, lab, name)
    before = _markdown(page)
    page.screenshot(path=str(SHOTS / f"cnnlib_lab_{name}_opened.png"))
    raw = [t[:120] for t in before if RAW.search(t)]
    assert not raw, f"raw MyST in the rendered prose of {name} before running: {raw[:5]}"
    text = "\n".join(before)
    # numbers from the stored {eval} values, rendered before any cell runs
    if name == "padding":
        assert f"gives {cnnlib.conv_output_size(227, 11, stride=4)}×" in text
    else:
        assert f"{cnnlib.zoo.alexnet().total_params:,}" in text
    # dropdown answers are folded, not in plain sight
    closed = page.evaluate("() => Array.from(document.querySelectorAll('.jp-MarkdownCell details'))"
                           ".filter(d => !d.open).length")
    assert closed >= 1, "the exercise answers should be folded dropdowns"

    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    _wait_idle(page)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:render-all-markdown')")
    page.wait_for_timeout(1000)
    page.screenshot(path=str(SHOTS / f"cnnlib_lab_{name}_run.png"))
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    tracebacks = page.evaluate("() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))"
                               ".map(o => o.innerText).filter(t => /Traceback|Error:/.test(t)).length")
    assert tracebacks == 0, f"{name}: an output shows an error after Run All"
    assert page.locator(".jp-OutputArea .widget-slider, .jp-OutputArea .widget-hslider").count() >= 1, \
        "the live sliders should render after Run All"
    after = _markdown(page)
    assert not [t for t in after if RAW.search(t)], "raw MyST after Run All"
    assert not errors, errors
    page.close()
