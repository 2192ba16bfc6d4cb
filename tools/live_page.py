"""Sphinx extension: the live book — cnnlib's core running in the reader's page, on request.

Every chapter page (the documents under ``notebooks/``) gets a "Make this page live" button
and a few hundred bytes of inline script (:data:`LOADER_JS`) that does nothing until the
reader clicks it (or edits the playground's network).  Then it loads ``_live/live.js``,
which starts ``_live/worker.mjs``: Pyodide (vendored in ``_static/pyodide/<version>/`` by
``tools/vendor_assets.py``) with cnnlib's core unpacked from ``_live/cnnlib-core.tar.gz``.
Nothing of this is fetched before the click, so a page weighs what it weighed without it
(``bench/live.py`` measures both).  Over ``file://`` Chromium refuses the fetches live mode
needs; the control then says, in one line, to run ``make serve``, and the precomputed
sliders and exercises work as before.

At the end of every build (``build-finished``) :func:`write_live` writes ``_live/``:

- ``cnnlib-core.tar.gz``: ``cnnlib/`` without ``cnnlib/book/``, packed reproducibly from the
  sources by ``tools/live_pack.py`` (so the page runs the files the tests run);
- ``worker.mjs``, ``live.css``: copied from ``tools/live/``;
- ``live.js``: ``tools/live/live.js`` after one line of configuration — the version (a hash
  of the four files and Pyodide's folder, which keys the browser's caches) and the paths.

Enable it in ``_config.yml`` (``local_extensions: {live_page: tools/}``); the option
``live_page_docs_prefix`` (default ``"notebooks/"``) selects the pages.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from pathlib import Path

try:
    from tools import live_pack
    from tools.vendor_assets import PYODIDE_DIR
except ImportError:  # loaded by Sphinx with tools/ itself on the path
    import live_pack
    from vendor_assets import PYODIDE_DIR

__version__ = "1.0"

SOURCES = Path(__file__).resolve().parent / "live"
OUT = "_live"
CORE = "cnnlib-core.tar.gz"

LOADER_JS = """(function () {
  var c = document.currentScript.previousElementSibling, b = c.querySelector("button");
  if (location.protocol === "file:") {
    document.documentElement.setAttribute("data-cnnlib-live", "file");
    return;
  }
  function start() {
    if (window.cnnlibLive) return;
    window.cnnlibLive = { clickedAt: performance.now() };
    b.disabled = true;
    var s = document.createElement("script");
    s.src = c.getAttribute("data-base") + "live.js";
    document.head.appendChild(s);
  }
  b.addEventListener("click", start);
  document.addEventListener("cnnlib-live-request", start);
})();"""

CSS = """
div.cnnlib-live { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.3em 0.8em;
  margin: 0 0 1em 0; font-size: 0.9em; }
div.cnnlib-live button { font: inherit; font-weight: 600; padding: 0.15em 0.8em; border-radius: 4px;
  cursor: pointer; border: 1px solid #2b6cb0; background: #2b6cb0; color: #fff; }
div.cnnlib-live button:hover { background: #245a93; }
div.cnnlib-live button:disabled { opacity: 0.6; cursor: progress; }
div.cnnlib-live .cnnlib-live-status { color: #57606a; flex: 1 1 20em; }
div.cnnlib-live .cnnlib-live-file { display: none; }
html[data-cnnlib-live="file"] div.cnnlib-live .cnnlib-live-file { display: inline; }
html[data-cnnlib-live="file"] div.cnnlib-live .cnnlib-live-status,
html[data-cnnlib-live="file"] div.cnnlib-live button { display: none; }
html[data-cnnlib-live="ready"] div.cnnlib-live .cnnlib-live-status { color: #1e6b34; }
html[data-cnnlib-live="failed"] div.cnnlib-live .cnnlib-live-status { color: #8a1c1c; }
"""

#: the one line a reader sees on file:// (also in the playground builder)
FILE_HINT = ("Live mode needs the book served over http: run <code>make serve</code> and open the "
             "address it prints.")


def live_base(pagename: str) -> str:
    """Relative URL from a page to the ``_live/`` folder.

    >>> live_base("notebooks/01_convolution")
    '../_live/'
    """
    return "../" * pagename.count("/") + f"{OUT}/"


def control_html(pagename: str) -> str:
    """The button, its status line, the file:// hint and the loader script of one page."""
    return (
        f'<div class="cnnlib-live" data-base="{live_base(pagename)}">'
        '<button type="button">Make this page live</button>'
        '<span class="cnnlib-live-status" data-cnnlib-live-status="">Run cnnlib itself in this page '
        "(Python in your browser, about 14 MB the first time): every slider takes any number, "
        "exercises draw new ones.</span>"
        f'<span class="cnnlib-live-file">{FILE_HINT}</span></div>\n'
        f"<script>{LOADER_JS}</script>\n"
    )


def _add_control(app, pagename, templatename, context, doctree):
    if doctree is None or not pagename.startswith(app.config.live_page_docs_prefix) or "body" not in context:
        return
    context["body"] = control_html(pagename) + context["body"]
    context["metatags"] = context.get("metatags", "") + f"<style>{CSS}</style>"


def write_live(outdir: Path) -> str:
    """Write ``_live/`` into the built book and return its version (a content hash)."""
    pyodide = outdir / "_static" / PYODIDE_DIR
    if not (pyodide / "pyodide.mjs").is_file():
        raise RuntimeError(f"live_page: {pyodide}/pyodide.mjs is missing: run tools/vendor_assets.py")
    core = live_pack.pack()
    sources = {name: (SOURCES / name).read_bytes() for name in ("live.js", "worker.mjs", "live.css")}
    h = hashlib.sha256(PYODIDE_DIR.encode() + core)
    for name in sorted(sources):
        h.update(sources[name])
    version = h.hexdigest()[:12]
    config = {"version": version, "core": CORE,
              "pyodide": posixpath.relpath(f"_static/{PYODIDE_DIR}", OUT) + "/"}
    dest = outdir / OUT
    dest.mkdir(parents=True, exist_ok=True)
    (dest / CORE).write_bytes(core)
    (dest / "worker.mjs").write_bytes(sources["worker.mjs"])
    (dest / "live.css").write_bytes(sources["live.css"])
    (dest / "live.js").write_bytes(
        f"window.CNNLIB_LIVE_CONFIG = {json.dumps(config)};  // written by tools/live_page.py\n".encode()
        + sources["live.js"])
    return version


def _write(app, exception):
    if exception is None and app.builder.format == "html":
        write_live(Path(app.outdir))


def setup(app):
    app.add_config_value("live_page_docs_prefix", "notebooks/", "html")
    # before slides_link's handler (priority 500), which also prepends: the slides link and the
    # "run it yourself" box stay on top, the live control comes under them
    app.connect("html-page-context", _add_control, priority=400)
    app.connect("build-finished", _write)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
