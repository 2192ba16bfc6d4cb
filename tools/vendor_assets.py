"""Vendor the JavaScript the built book needs, so that it works without a network.

The pinned npm packages below go through ``tools/vendor.py``: each tarball is fetched once with
``npm pack`` into ``.cache/npm`` (gitignored), its sha512 checked against the pinned npm
``dist.integrity`` before anything is extracted, and only the files the pages load are copied
into ``vendor_static/`` (gitignored), which Sphinx copies into ``_build/html/_static/`` through
``html_static_path`` in ``_config.yml``.

Not ``_static/``: Sphinx adds every ``.js`` found in a theme/static folder named like that to
every page (TOOLCHAIN.md).

    python tools/vendor_assets.py          # idempotent: copies nothing when the stamp is current
    python tools/vendor_assets.py --force  # re-copy from the cached (re-verified) tarballs

What is vendored (and why):

- mathjax@3.2.2 -> vendor_static/mathjax/: ``tex-mml-chtml.js`` (``mathjax_path``), the CHTML
  woff fonts it loads relative to itself, the TeX extensions ``autoload`` may fetch on demand
  (e.g. ``\\cancel``, ``\\color``), and the ``ui``/``a11y`` components its menu can load.
  Sphinx 7 needs MathJax 3 (4.x is npm's latest).
- @jupyter-widgets/html-manager@1.0.15 -> vendor_static/widgets/embed-amd.js (+ woff fonts):
  renders the widget state myst-nb embeds (``nb_ipywidgets_js``). Its bundle already contains
  @jupyter-widgets/base, controls and output, so requirejs never falls back to its CDN.
- requirejs@2.3.8 -> vendor_static/widgets/require.js: embed-amd.js needs an AMD loader.
- vendor_static/widgets/config.js (written here): points require.js's module path for the
  html-manager at this folder, so the widget CSS finds its Font Awesome fonts here instead of
  under ``<page folder>/@jupyter-widgets/html-manager/dist/`` (a 404 on every widget page);
  and gives MathJax 3 the ``MathJax.Hub.Queue`` of MathJax 2 that the widgets call to typeset
  their labels (a TypeError on every page with both math and a widget).

- pyodide@314.0.7 -> vendor_static/pyodide/314.0.7/: Python 3.14 compiled to WebAssembly, the
  runtime of the live page (``tools/live/``): ``pyodide.mjs`` (the loader the Web Worker
  imports), ``pyodide.asm.mjs`` and ``pyodide.asm.wasm`` (the interpreter),
  ``python_stdlib.zip`` and ``pyodide-lock.json`` (read at start-up), 13.5 MB; only fetched
  when a reader makes a page live.  The folder carries the version, so a server may let
  browsers cache it for good (``tools/serve.py`` does).  It is Pyodide's core: no numpy and
  no micropip, so what runs in the page is standard-library Python — cnnlib's core.

One patch (asserted to apply, 5 places): the bundle builds its webpack public path as
``${origin}${pathname}``, and a ``file:`` page's origin is the string "null"; it now uses the
URL's own href, so the fonts also load when the book is opened from disk.

A new asset is one more ``Package`` in ``PACKAGES`` (``tools/vendor.py`` shows Pyodide as the
example); the stamp ``vendor_static/.vendored`` changes with it, so the next run re-vendors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if not __package__:  # run as `python tools/vendor_assets.py`: make the `tools` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.vendor import DEFAULT_CACHE, Package, Patch, VendorError, vendor

ROOT = Path(__file__).resolve().parent.parent
CACHE = DEFAULT_CACHE  # .cache/npm
DEST = ROOT / "vendor_static"

PYODIDE_VERSION = "314.0.7"
#: where Pyodide lands under vendor_static/ (``_static/`` in the built book); the live page's
#: worker loads it from there (tools/live_page.py)
PYODIDE_DIR = f"pyodide/{PYODIDE_VERSION}"

PACKAGES = (
    Package("mathjax", "3.2.2",
            "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
            dest="mathjax", strip="es5/",
            files=("es5/tex-mml-chtml.js", "es5/output/chtml/fonts/woff-v2/*.woff",
                   "es5/input/tex/extensions/*.js", "es5/input/mml/extensions/*.js", "es5/ui/*.js",
                   "es5/a11y/*.js", "LICENSE")),
    Package("@jupyter-widgets/html-manager", "1.0.15",
            "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
            dest="widgets", strip="dist/",
            files=("dist/embed-amd.js", "dist/*.woff2", "dist/*.woff", "package.json"),
            rename={"package.json": "html-manager-package.json"},
            patches=(Patch("dist/embed-amd.js",
                           r"(\w)\.p=`\$\{(\w)\.origin\}\$\{\2\.pathname\}`",
                           r'\1.p=\2.href.replace(/[?#].*$/,"")',
                           5, "webpack public path from the module URL"),)),
    Package("requirejs", "2.3.8",
            "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
            dest="widgets", files=("require.js",)),
    Package("pyodide", PYODIDE_VERSION,
            # npm view pyodide@314.0.7 dist.integrity
            "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A==",
            dest=PYODIDE_DIR,
            files=("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                   "pyodide-lock.json", "package.json"),
            rename={"package.json": "pyodide-package.json"}),
)


# Loaded after require.js and before embed-amd.js (``nb_ipywidgets_js`` keeps this order).
CONFIG_JS = """\
// Written by tools/vendor_assets.py; loaded after require.js, before embed-amd.js.
(function () {
  // 1. The widget manager's AMD modules (and the fonts their CSS needs) live beside this file.
  //    Each bundled module takes its webpack public path from its own module URL, so map every
  //    module id defined in embed-amd.js to a file name directly in this folder.
  var src = document.currentScript && document.currentScript.src;
  if (src && window.require) {
    var base = src.replace(/[?#].*$/, "").replace(/\\/[^\\/]*$/, "");
    var paths = { "@jupyter-widgets/html-manager/dist": base };
    ["base", "base7", "controls", "controls7", "output", "html-manager"].forEach(function (m) {
      paths["@jupyter-widgets/" + m] = base + "/" + m;
    });
    window.require.config({ paths: paths });
  }
  // 2. The widgets typeset their labels with MathJax 2's MathJax.Hub.Queue; the book loads
  //    MathJax 3 (Sphinx 7), which has no Hub: map the call to typesetPromise. MathJax is a
  //    deferred script, so it has replaced window.MathJax by DOMContentLoaded.
  document.addEventListener("DOMContentLoaded", function () {
    var mj = window.MathJax;
    if (!mj || mj.Hub) { return; }
    mj.Hub = { Queue: function () {
      var els = [];
      for (var i = 0; i < arguments.length; i++) {
        var a = arguments[i];
        if (Array.isArray(a) && a[0] === "Typeset" && a[2]) { els.push(a[2]); }
      }
      var ready = (mj.startup && mj.startup.promise) || Promise.resolve();
      ready.then(function () {
        if (mj.typesetPromise && els.length) { return mj.typesetPromise(els); }
      }).catch(function (e) { console.warn("MathJax: typesetting a widget label failed", e); });
    } };
  });
})();
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="re-copy even if vendor_static/ is up to date")
    args = ap.parse_args()
    try:
        done = vendor(PACKAGES, DEST, CACHE, generated={"widgets/config.js": CONFIG_JS}, force=args.force)
    except VendorError as exc:
        raise SystemExit(f"vendor_assets: {exc}") from None
    if not done:
        print("==> vendor_static/ is up to date (" + ", ".join(p.spec for p in PACKAGES) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
