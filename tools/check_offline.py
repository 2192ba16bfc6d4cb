"""Fail if the built book loads anything from the network.

Scans every HTML file under the build folder (default ``_build/html``) for resources the
browser would fetch — ``<script src>``, ``<link href>`` with a loading ``rel`` (stylesheet,
preload, icon, preconnect, …), ``<img|iframe|source|video|audio|embed|track|object|input src>``,
``srcset``, ``<style>`` blocks and ``style=""`` attributes — and every CSS file for ``url(...)``
and ``@import``. Any such reference to ``http:``, ``https:`` or ``//host`` is an error.
Ordinary links (``<a href="https://...">``, ``<link rel="canonical">``) are fine: they are
only followed when a reader clicks them.

Local references must also exist in the build, so a vendored file missing from
``vendor_static/`` is caught here rather than as a 404 in the browser.

    python tools/check_offline.py [_build/html]      # exit 1 and a list of problems, or 0
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# <link rel=...> values that make the browser fetch or connect.
LOADING_RELS = {
    "stylesheet", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch",
    "prerender", "icon", "shortcut", "apple-touch-icon", "manifest", "mask-icon",
}
SRC_TAGS = {"script", "img", "iframe", "source", "video", "audio", "embed", "track", "input",
            "frame", "image"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+?)\1\s*\)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(['"]?)([^'");\s]+)\1""", re.IGNORECASE)


def is_external(url: str) -> bool:
    url = url.strip()
    if url.startswith("//"):
        return True
    scheme = urlsplit(url).scheme.lower()
    return scheme in {"http", "https", "ws", "wss", "ftp"}


def is_checkable_local(url: str) -> bool:
    url = url.strip()
    if not url or url.startswith(("#", "data:", "blob:", "about:", "javascript:", "mailto:")):
        return False
    return not urlsplit(url).scheme and not url.startswith("//")


class ResourceParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.resources: list[tuple[int, str, str]] = []  # (line, what, url)
        self.css_blocks: list[tuple[int, str]] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        line = self.getpos()[0]
        if tag == "link":
            rels = set(a.get("rel", "").lower().split())
            if rels & LOADING_RELS and a.get("href"):
                self.resources.append((line, f"<link rel={a['rel']}>", a["href"]))
        if tag in SRC_TAGS:
            for key in ("src", "data-src", "poster"):
                if a.get(key):
                    self.resources.append((line, f"<{tag} {key}>", a[key]))
            for part in a.get("srcset", "").split(","):
                if part.strip():
                    self.resources.append((line, f"<{tag} srcset>", part.split()[0]))
        if tag == "object" and a.get("data"):
            self.resources.append((line, "<object data>", a["data"]))
        if tag in ("svg", "use", "image") and (a.get("href") or a.get("xlink:href")):
            href = a.get("href") or a.get("xlink:href")
            if not href.startswith("#"):
                self.resources.append((line, f"<{tag} href>", href))
        if a.get("style"):
            self.css_blocks.append((line, a["style"]))
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.css_blocks.append((self.getpos()[0], data))


def css_urls(text: str):
    for m in CSS_URL.finditer(text):
        yield "url()", m.group(2)
    for m in CSS_IMPORT.finditer(text):
        yield "@import", m.group(2)


def strip_css_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)


def local_target(base: Path, url: str) -> Path:
    path = unquote(urlsplit(url).path)
    return (base.parent / path).resolve()


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
        parser = ResourceParser()
        parser.feed(f.read_text(encoding="utf-8", errors="replace"))
        items = [(ln, what, url) for ln, what, url in parser.resources]
        for ln, block in parser.css_blocks:
            items += [(ln, f"inline CSS {what}", url) for what, url in css_urls(strip_css_comments(block))]
        for ln, what, url in dict.fromkeys(items):
            if is_external(url):
                problems.append(f"{rel}:{ln}: external {what}: {url}")
            elif is_checkable_local(url) and not local_target(f, url).exists():
                problems.append(f"{rel}:{ln}: missing local {what}: {url}")
    for f in css_files:
        rel = f.relative_to(root)
        text = strip_css_comments(f.read_text(encoding="utf-8", errors="replace"))
        for what, url in dict.fromkeys(css_urls(text)):
            if is_external(url):
                problems.append(f"{rel}: external {what}: {url}")
            elif is_checkable_local(url) and not local_target(f, url).exists():
                problems.append(f"{rel}: missing local {what}: {url}")
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
