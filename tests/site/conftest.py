"""Browser fixtures shared by the site tests (Playwright for Python driving Debian's chromium).

- ``built_book``: ``_build/html`` (fails when the book is not built);
- ``book_url``: a quiet ``tools/serve.py`` server on 127.0.0.1 (random port) for it — the
  server ``make serve`` runs, with its cache headers and media types;
- ``chromium``: one browser per session (a missing browser skips, or fails under CI or
  ``CNNLIB_REQUIRE_BROWSER=1``);
- ``new_page``: a factory of fresh pages whose requests to any other host are recorded and
  aborted, with a :class:`PageLog` of console errors, page errors and failed local requests.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # tools/ is a package of scripts, not installed
    sys.path.insert(0, str(ROOT))
HTML = ROOT / "_build" / "html"
CHROMIUM = os.environ.get("CNNLIB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 30_000


# --------------------------------------------------------------------------- fixtures

def _browser_required() -> bool:
    ci = os.environ.get("CI", "").strip().lower()
    return (ci not in ("", "0", "false", "no")) or os.environ.get("CNNLIB_REQUIRE_BROWSER") == "1"


def _unavailable(reason: str):
    if _browser_required():
        pytest.fail(f"{reason} (required because CI or CNNLIB_REQUIRE_BROWSER=1 is set)", pytrace=False)
    print(f"\nSKIP browser tests: {reason}", file=sys.stderr)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def built_book() -> Path:
    if not (HTML / "index.html").exists():
        pytest.fail("the book is not built: run `make book` first (make test does)", pytrace=False)
    return HTML


@pytest.fixture(scope="session")
def book_url(built_book):
    """``tools/serve.py``'s server on 127.0.0.1 (random port), quiet, serving _build/html."""
    from tools.serve import make_server

    server = make_server(built_book, 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} not found (Debian: apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed (make venv)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "file", "chrome-extension", "devtools"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname == "127.0.0.1"


class PageLog:
    """Console errors, page errors, failed requests and non-local requests of one page."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.external: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("request", self._request)
        page.on("requestfailed", lambda r: _is_local(r.url) and self.errors.append(
            f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))

    def _console(self, msg):
        if msg.type == "error":
            where = msg.location.get("url", "") if msg.location else ""
            self.errors.append(f"console error: {msg.text} [{where}]")

    def _request(self, req):
        if not _is_local(req.url):
            self.external.append(req.url)


@pytest.fixture
def new_page(chromium):
    """A fresh page whose non-local requests are recorded and then aborted (never sent)."""
    contexts = []

    def make():
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
        contexts.append(context)
        context.route(lambda url: not _is_local(url), lambda route: route.abort())
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        return page, PageLog(page)

    yield make
    for context in contexts:
        context.close()
