"""Vendor the JavaScript the built book needs, so that it works without a network.

Fetches pinned npm packages with ``npm pack`` into a cache (``.cache/npm``, gitignored) and
copies only the files the pages load into ``vendor_static/`` (gitignored), which Sphinx copies
into ``_build/html/_static/`` through ``html_static_path`` in ``_config.yml``.

Not ``_static/``: Sphinx adds every ``.js`` found in a theme/static folder named like that to
every page (TOOLCHAIN.md).

    python tools/vendor_assets.py          # idempotent: does nothing when up to date
    python tools/vendor_assets.py --force  # re-copy from the cached tarballs

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

One patch (asserted to apply, 5 places): the bundle builds its webpack public path as
``${origin}${pathname}``, and a ``file:`` page's origin is the string "null"; it now uses the
URL's own href, so the fonts also load when the book is opened from disk.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "npm"
DEST = ROOT / "vendor_static"

# npm spec -> list of (glob inside the tarball's "package/", destination folder under DEST, strip)
# ``strip`` is the leading path removed from the member name before copying.
PACKAGES: dict[str, list[tuple[str, str, str]]] = {
    "mathjax@3.2.2": [
        ("es5/tex-mml-chtml.js", "mathjax", "es5/"),
        ("es5/output/chtml/fonts/woff-v2/*.woff", "mathjax", "es5/"),
        ("es5/input/tex/extensions/*.js", "mathjax", "es5/"),
        ("es5/input/mml/extensions/*.js", "mathjax", "es5/"),
        ("es5/ui/*.js", "mathjax", "es5/"),
        ("es5/a11y/*.js", "mathjax", "es5/"),
        ("LICENSE", "mathjax", ""),
    ],
    "@jupyter-widgets/html-manager@1.0.15": [
        ("dist/embed-amd.js", "widgets", "dist/"),
        ("dist/*.woff2", "widgets", "dist/"),
        ("dist/*.woff", "widgets", "dist/"),
        ("package.json", "widgets/html-manager-package.json", ""),
    ],
    "requirejs@2.3.8": [
        ("require.js", "widgets", ""),
    ],
}


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

# (file under DEST, regex, replacement, expected number of matches)
PATCHES = [
    ("widgets/embed-amd.js",
     r"(\w)\.p=`\$\{(\w)\.origin\}\$\{\2\.pathname\}`",
     r'\1.p=\2.href.replace(/[?#].*$/,"")',
     5),
]


def tarball_name(spec: str) -> str:
    """npm pack's file name for a spec: ``@scope/name@1.2.3`` -> ``scope-name-1.2.3.tgz``."""
    name, version = spec.rsplit("@", 1)
    return f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"


def fetch(spec: str) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    tgz = CACHE / tarball_name(spec)
    if tgz.exists() and tgz.stat().st_size > 0:
        return tgz
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("vendor_assets: npm is needed to fetch the book's JavaScript (apt-get install -y npm)")
    print(f"  npm pack {spec}", flush=True)
    subprocess.run([npm, "pack", spec, "--pack-destination", str(CACHE), "--silent"],
                   check=True, stdout=subprocess.DEVNULL)
    if not tgz.exists():
        sys.exit(f"vendor_assets: npm pack {spec} did not produce {tgz.name}")
    return tgz


def extract(spec: str, tgz: Path) -> list[str]:
    copied = []
    with tarfile.open(tgz) as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        for pattern, dest, strip in PACKAGES[spec]:
            hits = [m for m in members if fnmatch(m.name.removeprefix("package/"), pattern)]
            if not hits:
                sys.exit(f"vendor_assets: {spec} has no file matching {pattern}")
            for m in hits:
                rel = m.name.removeprefix("package/")
                if dest.endswith(("LICENSE", ".json")):
                    target = DEST / dest
                else:
                    target = DEST / dest / rel.removeprefix(strip)
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(m) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
                copied.append(str(target.relative_to(DEST)))
    return copied


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="re-copy even if vendor_static/ is up to date")
    args = ap.parse_args()
    fingerprint = hashlib.sha256(json.dumps([PACKAGES, PATCHES, CONFIG_JS], sort_keys=True).encode()).hexdigest()
    stamp = DEST / ".vendored"
    if not args.force and stamp.exists() and stamp.read_text().strip() == fingerprint:
        print("==> vendor_static/ is up to date (" + ", ".join(PACKAGES) + ")")
        return 0
    print("==> vendoring offline assets into vendor_static/ (cache: .cache/npm)", flush=True)
    if DEST.exists():
        shutil.rmtree(DEST)
    total = 0
    for spec in PACKAGES:
        files = extract(spec, fetch(spec))
        size = sum((DEST / f).stat().st_size for f in files)
        total += size
        print(f"  {spec}: {len(files)} files, {size / 1e6:.1f} MB")
    for rel, old, new, count in PATCHES:
        f = DEST / rel
        text, n = re.subn(old, new, f.read_text(encoding="utf-8"))
        if n != count:
            sys.exit(f"vendor_assets: patch for {rel} expected {count} match(es), found {n}")
        f.write_text(text, encoding="utf-8")
        print(f"  patched {rel} ({count}x): webpack public path from the module URL")
    (DEST / "widgets" / "config.js").write_text(CONFIG_JS, encoding="utf-8")
    stamp.write_text(fingerprint + "\n")
    print(f"  total {total / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
