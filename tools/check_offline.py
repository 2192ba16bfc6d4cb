"""Fail if the built book loads anything from the network.

Scans every HTML file under the build folder (default ``_build/html``) for resources the
browser would fetch — ``<script src>``, ``<link href>`` with a loading ``rel`` (stylesheet,
preload, icon, preconnect, …), ``<img|iframe|source|video|audio|embed|track|object|input src>``,
``srcset``, ``<style>`` blocks and ``style=""`` attributes — and every CSS file for ``url(...)``
and ``@import``. Any such reference to ``http:``, ``https:`` or ``//host`` is an error.
Ordinary links (``<a href="https://...">``, ``<link rel="canonical">``) are fine: they are
only followed when a reader clicks them. The scanning is ``tools/urls.py``'s (shared with the
slide decks' check); inline ``<script>`` code is not scanned here (Sphinx pages hold URL
constants, such as thebe's, that are never loaded).

Local references must also exist in the build, so a vendored file missing from
``vendor_static/`` is caught here rather than as a 404 in the browser.

    python tools/check_offline.py [_build/html]      # exit 1 and a list of problems, or 0
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as `python tools/check_offline.py`: make the `tools` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools import urls


def check(root: Path) -> list[str]:
    problems: list[str] = []
    html_files = sorted(root.rglob("*.html"))
    css_files = sorted(root.rglob("*.css"))
    if not html_files:
        return [f"{root}: no HTML files (was the book built?)"]
    for f in html_files:
        rel = f.relative_to(root)
        if rel.parts[0] in {"_sources", "_static"}:
            continue  # page sources and theme templates (Jinja), not pages
        problems += urls.check_html(f, str(rel))
    for f in css_files:
        problems += urls.check_css(f, str(f.relative_to(root)))
    return problems


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "_build/html")
    problems = check(root)
    n_html = len(list(root.rglob("*.html")))
    n_css = len(list(root.rglob("*.css")))
    if problems:
        print(f"check_offline: {len(problems)} problem(s) in {root} — the book must not load "
              "anything from the network:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print(f"check_offline: OK — {n_html} HTML and {n_css} CSS files in {root} load nothing external")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
