"""What a page or stylesheet makes the browser load, and whether it stays on this machine.

The one URL scanner of the offline checks: ``tools/check_offline.py`` (the book) and
``tools/slides/export.py`` (the decks) both use it.

Loads found in HTML: ``<script src>``, ``<link href>`` with a loading ``rel`` (stylesheet,
preload, icon, preconnect, …), ``<img|iframe|source|video|audio|embed|track|object|input …>``
``src``/``data-src``/``poster``, ``srcset``, ``<object data>``, ``<svg|use|image href>``,
``<style>`` blocks and ``style=""`` attributes (CSS ``url(...)`` and ``@import``).  With
``scripts=True`` (the decks) also URLs in inline ``<script>`` code: quoted absolute URLs of
``.js``/``.mjs``/``.css``/font files (``require([...])``, ``<link>`` built in JS) and
``import … from "//host/…"``.  Ordinary links (``<a href>``, ``<link rel="canonical">``) are
not loads: they are followed only when a reader clicks them.

A load is *external* when it names a host (``http:``, ``https:``, ``ws:``, ``wss:``, ``ftp:``,
``//host``); a *local* one (no scheme) must exist on disk, relative to the file that loads it.

>>> [(what, url) for _, what, url in html_loads('<script src="//cdn.example/x.js"></script>')]
[('<script src>', '//cdn.example/x.js')]
>>> is_external("vendor/reveal.js/dist/reveal.js"), is_external("https://example.org/a.css")
(False, True)
"""

from __future__ import annotations

import re
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
# In inline JavaScript: a quoted absolute URL of a script, stylesheet or font, and ES imports.
JS_URL = re.compile(r"""["'`]((?:https?:)?//[^"'`\s]+?\.(?:m?js|css|woff2?|ttf|otf)(?:\?[^"'`\s]*)?)["'`]""")
JS_IMPORT = re.compile(r"""\bimport\b[^;'"]*?(?:from\s*)?["']((?:https?:)?//[^"']+)["']""")


def is_external(url: str) -> bool:
    """True for a URL on another host: ``http(s)://``, ``ws(s)://``, ``ftp://`` or ``//host``."""
    url = url.strip()
    if url.startswith("//"):
        return True
    scheme = urlsplit(url).scheme.lower()
    return scheme in {"http", "https", "ws", "wss", "ftp"}


def is_checkable_local(url: str) -> bool:
    """True for a relative or root-relative path (not ``#frag``, ``data:``, ``mailto:``, …)."""
    url = url.strip()
    if not url or url.startswith(("#", "data:", "blob:", "about:", "javascript:", "mailto:")):
        return False
    return not urlsplit(url).scheme and not url.startswith("//")


def local_target(base: Path, url: str) -> Path:
    """The file a local ``url`` in the file ``base`` points to (query and fragment dropped)."""
    path = unquote(urlsplit(url).path)
    return (base.parent / path).resolve()


class ResourceParser(HTMLParser):
    """Collects ``resources`` (line, what, url) and ``css_blocks`` (line, CSS text) of a page."""

    def __init__(self, scripts: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts = scripts
        self.resources: list[tuple[int, str, str]] = []
        self.css_blocks: list[tuple[int, str]] = []
        self._in: str | None = None

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
        if tag in ("style", "script"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        line = self.getpos()[0]
        if self._in == "style":
            self.css_blocks.append((line, data))
        elif self._in == "script" and self.scripts:
            self.resources += [(line, "<script> string", u) for u in JS_URL.findall(data)]
            self.resources += [(line, "<script> import", u) for u in JS_IMPORT.findall(data)]


def strip_css_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)


def css_urls(text: str):
    """(what, url) of every ``url(...)`` and ``@import`` in CSS text (comments skipped);
    ``@import url(x)`` is one ``@import``, not also a ``url()``."""
    text = strip_css_comments(text)
    imports = list(CSS_IMPORT.finditer(text))
    for m in CSS_URL.finditer(text):
        if not any(i.start() <= m.start() < i.end() for i in imports):
            yield "url()", m.group(2)
    for m in imports:
        yield "@import", m.group(2)


def html_loads(text: str, scripts: bool = False) -> list[tuple[int, str, str]]:
    """(line, what, url) of every load in an HTML page, inline CSS included, without repeats."""
    parser = ResourceParser(scripts)
    parser.feed(text)
    parser.close()
    items = list(parser.resources)
    for ln, block in parser.css_blocks:
        items += [(ln, f"inline CSS {what}", url) for what, url in css_urls(block)]
    return list(dict.fromkeys(items))


def find_external_urls(text: str, scripts: bool = True) -> list[str]:
    """``what: url`` of each external load in an HTML page (inline scripts scanned by default)."""
    return [f"{what}: {url}" for _, what, url in html_loads(text, scripts) if is_external(url)]


def _problems(f: Path, label: str, loads) -> list[str]:
    out = []
    for where, what, url in loads:
        if is_external(url):
            out.append(f"{label}{where}: external {what}: {url}")
        elif is_checkable_local(url) and not local_target(f, url).exists():
            out.append(f"{label}{where}: missing local {what}: {url}")
    return out


def check_html(f: Path, label: str, scripts: bool = False) -> list[str]:
    """``label:line: external|missing local <what>: url`` for each bad load of the page ``f``."""
    loads = html_loads(f.read_text(encoding="utf-8", errors="replace"), scripts)
    return _problems(f, label, [(f":{ln}", what, url) for ln, what, url in loads])


def check_css(f: Path, label: str) -> list[str]:
    """``label: external|missing local <what>: url`` for each bad load of the stylesheet ``f``."""
    loads = dict.fromkeys(css_urls(f.read_text(encoding="utf-8", errors="replace")))
    return _problems(f, label, [("", what, url) for what, url in loads])


def stylesheets(page: Path) -> list[Path]:
    """The local stylesheets that exist and that ``page`` loads: its ``<link>``ed ``.css`` files
    and, recursively, the local files they ``@import``."""
    todo = [local_target(page, url) for _, what, url in html_loads(page.read_text(encoding="utf-8", errors="replace"))
            if what.startswith("<link") and is_checkable_local(url)
            and urlsplit(url).path.endswith(".css")]
    seen: list[Path] = []
    while todo:
        css = todo.pop(0)
        if css in seen or not css.is_file():
            continue
        seen.append(css)
        todo += [local_target(css, url) for what, url in css_urls(css.read_text(encoding="utf-8", errors="replace"))
                 if what == "@import" and is_checkable_local(url)]
    return seen
