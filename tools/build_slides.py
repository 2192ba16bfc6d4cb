#!/usr/bin/env python3
"""Build one reveal.js deck per chapter notebook: ``_build/html/slides/<chapter>.slides.html``.

Run ``make slides`` (after ``make book``) or ``.venv/bin/python tools/build_slides.py``.
Notebooks are *not* executed: the outputs come from the book build's jupyter-cache
(``_build/.jupyter_cache``) when it holds a run of the notebook's current code, else from the
committed outputs.  The decks work offline from
``file://``: reveal.js, MathJax 2, require.js, jQuery, the widget renderer and Font Awesome are
vendored from pinned npm packages (``VENDOR`` below, checked against their sha512 integrity)
into ``_build/html/slides/vendor/``; the template's mermaid import is removed by the custom
template in ``tools/slides_template/``; after the build every deck (and the CSS it links) is
checked for URLs on other hosts, and the build fails if one is left.

Guide for chapter authors
=========================
A deck is built from every chapter, whether or not you add slide metadata.  Without metadata
the builder applies the *default rule* below; add metadata only where the default is wrong.

Default rule (cells **without** ``slideshow.slide_type`` metadata):

* A markdown cell whose first line is a ``#`` or ``##`` heading starts a new slide; a ``###``
  (or deeper) heading starts a sub-slide (the arrow keys step through both, in order).
* Other cells continue the current slide until it is full (a rough height estimate: prose
  lines, table rows, figure height); the cell that does not fit starts a continuation
  sub-slide, unless the slide holds only its heading.  A to_jshtml animation or a big figure
  after a paragraph therefore gets its own slide.
* Code inputs are hidden; a code cell with nothing visible to show (no output, only stderr,
  glue records, a bare ``<Figure size …>`` repr, ``remove-output``) is skipped, as are cells tagged ``remove-cell`` and markdown cells that
  hold only MyST targets/comments.

Explicit metadata always wins.  In Jupyter: View → Cell Toolbar → Slideshow (classic) or the
property inspector (JupyterLab), which writes ``"slideshow": {"slide_type": ...}``:

* ``slide``     – start a new slide (one idea per slide: the heading + 1–3 short paragraphs,
                  or one figure/table with a sentence);
* ``subslide``  – continue the idea on a new page below the current slide;
* ``fragment``  – reveal this cell on the next key press (a result after its question);
* ``-``         – keep on the current slide (overrides the "slide is full" rule);
* ``skip``      – leave out of the deck (setup cells, long derivations, exercises' solutions);
* ``notes``     – speaker notes (press ``s`` in the deck).

Tags (cell metadata ``tags``):

* ``slides-show-code`` – show this cell's code in the deck (when the code *is* the point:
  a one-line ``conv_output_size(...)`` call, the PyTorch layer definition);
* ``slides-skip``      – leave out of the deck (same as ``slide_type: skip``);
* ``remove-cell`` / ``remove-input`` / ``remove-output`` are honoured as in the book.

MyST in markdown is simplified for the deck: glue roles/directives (``{glue}``,
``{glue:text}`key:fmt```, ``{glue:figure}``, ``path.ipynb::key``) are replaced by the glued
values from the committed outputs, ``{math}`` becomes ``$…$``, ``{ref}``/``{numref}``/``{doc}``/
``{term}``/``{eq}`` keep their text, admonitions become quotes, ``(label)=`` lines are dropped.
Keep tables narrow (≤ 8 columns) and figures ≤ 6 in wide so they stay legible on a projector.
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import html
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = Path(__file__).resolve().parent / "slides_template"
TEMPLATE_NAME = "cnnlib_reveal"
DEFAULT_OUT = ROOT / "_build" / "html" / "slides"
DEFAULT_JUPYTER_CACHE = ROOT / "_build" / ".jupyter_cache"  # where `jupyter-book build` caches outputs
DEFAULT_CACHE = Path(os.environ.get("CNNLIB_SLIDES_CACHE", ROOT / "_build" / ".slides-npm-cache"))

# Pinned npm packages: name, exact version, sha512 integrity (from `npm view <pkg>@<v> dist.integrity`),
# directory under vendor/, and the files/folders (relative to the package root) that are copied.
VENDOR = {
    "reveal.js": {
        "version": "4.6.1",  # nbconvert's reveal template is written for reveal.js 4.x
        "integrity": "sha512-1CW0auaXNPmwmvQ7TwpszwVxMi2Xr5cTS3J3EBC/HHgbPF32Dn7aiu/LKWDOGjMbaDwKQiGmfqcoGQ74HUHCMw==",
        "dest": "reveal.js",
        "files": ["dist/reveal.js", "dist/reveal.css", "dist/reset.css", "dist/theme/white.css",
                  "dist/theme/fonts/source-sans-pro", "plugin/notes/notes.js", "LICENSE"],
    },
    "mathjax": {
        "version": "2.7.9",  # the template's MathJax macro uses the MathJax 2 API (MathJax.Hub)
        "integrity": "sha512-NOGEDTIM9+MrsqnjPEjVGNx4q0GQxqm61yQwSK+/5S59i26wId5IC5gNu9/bu8+CCVl5p9G2IHcAl/wJa+5+BQ==",
        "dest": "mathjax",
        "files": ["MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions", "jax/input/TeX",
                  "jax/element", "jax/output/CommonHTML", "jax/output/PreviewHTML",
                  "jax/output/NativeMML", "fonts/HTML-CSS/TeX/woff", "fonts/HTML-CSS/TeX/otf",
                  "localization/en", "LICENSE"],
    },
    "requirejs": {
        "version": "2.3.8",
        "integrity": "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
        "dest": "requirejs",
        "files": ["require.js"],
    },
    "jquery": {
        "version": "3.7.1",
        "integrity": "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        "dest": "jquery",
        "files": ["dist/jquery.min.js", "LICENSE.txt"],
    },
    "@jupyter-widgets/html-manager": {
        "version": "1.0.15",  # renders ipywidgets 8 embedded state
        "integrity": "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
        "dest": "html-manager",
        "files": ["dist"],
        "exclude": r"\.map$|/embed\.js$|libembed-amd\.js$|LICENSE\.txt$",
    },
    "font-awesome": {
        "version": "4.7.0",  # matplotlib's to_jshtml player links Font Awesome 4.x icons
        "integrity": "sha512-U6kGnykA/6bFmg1M/oT9EkFeIYv7JlX3bozwQJWiiLz6L0w3F5vBVPxHlwyX/vtNq1ckcpRKOB9f2Qal/VtFpg==",
        "dest": "font-awesome",
        "files": ["css/font-awesome.min.css", "fonts"],
    },
}

# URLs the deck uses, relative to the deck's folder.
REVEAL_PREFIX = "vendor/reveal.js"
MATHJAX_URL = "vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
REQUIRE_URL = "vendor/requirejs/require.js"
JQUERY_URL = "vendor/jquery/dist/jquery.min.js"
WIDGETS_URL = "vendor/html-manager/dist/embed-amd.js"
FONT_AWESOME_URL = "vendor/font-awesome/css/font-awesome.min.css"

# Projector settings: 16:9, reveal scales everything to fit the screen.
REVEAL_WIDTH = "1280"
REVEAL_HEIGHT = "720"

# --------------------------------------------------------------------------------------------
# Slide-type assignment (the default rule)
# --------------------------------------------------------------------------------------------

SLIDE_CAPACITY = 16.0  # rough height of a slide in "text lines" (36 px at 1280×720)
MIN_BEFORE_BREAK = 4.0  # a slide holding less than this (e.g. only its heading) is never split
CHARS_PER_LINE = 85
SHOW_CODE_TAG = "slides-show-code"
GLUE_PREFIX = "application/papermill.record/"
SKIP_TAG = "slides-skip"
VISIBLE_TYPES = {"slide", "subslide", "fragment", "-", ""}
_HEADING = re.compile(r"^(#{1,6})\s+\S")
_TARGET_OR_COMMENT = re.compile(r"^\s*(\([^)]*\)=|%.*|<!--.*-->)?\s*$")


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []) or [])


def explicit_slide_type(cell) -> str | None:
    """The author's ``slideshow.slide_type`` (or ``skip`` for the ``slides-skip`` tag), else None."""
    if SKIP_TAG in _tags(cell):
        return "skip"
    meta = cell.get("metadata", {}).get("slideshow")
    if isinstance(meta, dict) and "slide_type" in meta:
        return meta["slide_type"] or "-"
    return None


def heading_level(cell) -> int:
    """Level of the heading on the first non-blank line of a markdown cell (0 if none)."""
    if cell.get("cell_type") != "markdown":
        return 0
    for line in _source(cell).splitlines():
        if line.strip():
            m = _HEADING.match(line.strip())
            return len(m.group(1)) if m else 0
    return 0


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _png_height(b64: str) -> int | None:
    try:
        raw = base64.b64decode(b64[:64] + "=" * (-len(b64[:64]) % 4))
        if raw[:8] == b"\x89PNG\r\n\x1a\n":
            return struct.unpack(">I", raw[20:24])[0]
    except (ValueError, struct.error):  # a malformed image only loses the estimate
        return None
    return None


def visible_outputs(cell) -> list:
    """Outputs shown in the deck: stderr streams and outputs of ``remove-output`` cells are not."""
    if cell.get("cell_type") != "code" or "remove-output" in _tags(cell):
        return []
    return [o for o in cell.get("outputs", [])
            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            and not _glue_only(o) and not _object_repr_only(o)]


_OBJECT_REPR = re.compile(r"^\s*<[A-Za-z_][\w.]*( [^<>]*)?>\s*$")


def _object_repr_only(out) -> bool:
    """Noise such as ``<Figure size 640x480 with 1 Axes>``: only a ``<…>`` object repr as text."""
    data = out.get("data", {}) or {}
    return set(data) == {"text/plain"} and bool(_OBJECT_REPR.match("".join(data["text/plain"])))


def _glue_only(out) -> bool:
    """A myst_nb ``glue(..., display=False)`` record: stored for the text, never displayed."""
    data = out.get("data", {}) or {}
    return bool(data) and all(k.startswith(GLUE_PREFIX) for k in data)


def shows_input(cell) -> bool:
    tags = _tags(cell)
    return cell.get("cell_type") == "code" and SHOW_CODE_TAG in tags and "remove-input" not in tags


def estimate_height(cell) -> float:
    """Rough height of a cell on a slide, in text lines (see SLIDE_CAPACITY)."""
    h = 0.0
    if cell.get("cell_type") == "markdown":
        in_math = False
        for line in _source(cell).splitlines():
            s = line.strip()
            if s.startswith("$$"):
                in_math = not in_math if s.count("$$") == 1 else in_math
                h += 1.0
            elif in_math:
                h += 0.6
            elif not s:
                h += 0.4
            elif _HEADING.match(s):
                h += 1.6
            elif s.startswith("|") and set(s) <= set("|-: "):
                continue  # table separator row
            else:
                h += max(1, math.ceil(len(s) / CHARS_PER_LINE))
        return h
    if shows_input(cell):
        h += 0.8 * (len(_source(cell).splitlines()) + 1)
    for out in visible_outputs(cell):
        data = out.get("data", {})
        if out.get("output_type") == "stream":
            h += 0.8 * len(str("".join(out.get("text", ""))).splitlines())
        elif "application/vnd.jupyter.widget-view+json" in data:
            h += 4
        elif "text/html" in data:
            text = "".join(data["text/html"])
            if "_anim_img" in text or "anim-slider" in text:
                # a to_jshtml player: its first frame plus the controls
                m = re.search(r"data:image/png;base64,([A-Za-z0-9+/]{64})", text)
                px = _png_height(m.group(1)) if m else None
                h += min(SLIDE_CAPACITY, (px or 480) / 36) + 3
            elif "<table" in text:
                h += min(SLIDE_CAPACITY, 1.5 + text.count("<tr"))
            elif "<img" in text or "<svg" in text or "<canvas" in text:
                h += 9
            else:
                h += max(1, len(re.sub(r"<[^>]+>", "", text).strip()) / CHARS_PER_LINE)
        elif "image/png" in data:
            px = _png_height("".join(data["image/png"]))
            h += min(SLIDE_CAPACITY, (px or 400) / 36)
        elif "image/svg+xml" in data or "image/jpeg" in data:
            h += 10
        elif "text/latex" in data or "text/markdown" in data:
            h += 2
        elif "text/plain" in data:
            h += 0.8 * len("".join(data["text/plain"]).splitlines())
        else:
            h += 1
    return h


def auto_slide_type(cell, used: float) -> str:
    """Default slide type of a cell without metadata, given the height already used on the slide."""
    tags = _tags(cell)
    if "remove-cell" in tags:
        return "skip"
    if cell.get("cell_type") == "raw":
        return "skip"
    if cell.get("cell_type") == "code" and not visible_outputs(cell) and not shows_input(cell):
        return "skip"
    if cell.get("cell_type") == "markdown":
        if all(_TARGET_OR_COMMENT.match(line) for line in _source(cell).splitlines()):
            return "skip"
        level = heading_level(cell)
        if level in (1, 2):
            return "slide"
        if level >= 3:
            return "subslide"
    if used >= MIN_BEFORE_BREAK and used + estimate_height(cell) > SLIDE_CAPACITY:
        return "subslide"
    return "-"


def assign_slide_types(cells) -> list[str]:
    """The slide type of every cell: explicit metadata where present, else the default rule.

    The first visible cell always starts a slide (as nbconvert does).
    """
    types: list[str] = []
    used = 0.0
    seen_visible = False
    for cell in cells:
        st = explicit_slide_type(cell)
        if st is None:
            st = auto_slide_type(cell, used)
        if st in ("skip", "notes"):
            types.append(st)
            continue
        if not seen_visible:
            st = "slide"
            seen_visible = True
        if st in ("slide", "subslide"):
            used = 0.0
        used += estimate_height(cell)
        types.append(st)
    return types


def expected_slide_count(cells) -> int:
    """Number of slides reveal.js shows (Reveal.getTotalSlides()): slides plus sub-slides."""
    n = sum(t in ("slide", "subslide") for t in assign_slide_types(cells))
    return max(n, 1)  # an empty or all-hidden notebook gets a title slide


# --------------------------------------------------------------------------------------------
# MyST / glue simplification for the deck
# --------------------------------------------------------------------------------------------

_ROLE = re.compile(r"\{([a-zA-Z][\w:-]*)\}`([^`]*)`")
_FENCE_OPEN = re.compile(r"^(\s*)(`{3,}|:{3,})\{([\w:-]+)\}\s*(.*)$")


def collect_glue(nb) -> dict:
    """myst_nb.glue values stored in the notebook's outputs: name -> output data dict."""
    glued = {}
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            meta = out.get("metadata", {}) or {}
            sb = meta.get("scrapbook")
            if isinstance(sb, dict) and "name" in sb:
                prefix = sb.get("mime_prefix") or ""
                glued[sb["name"]] = {k.removeprefix(prefix): v
                                     for k, v in (out.get("data", {}) or {}).items()}
    return glued


class _Glue:
    def __init__(self, nb_path: Path | None, nb):
        self.nb_path = nb_path
        self.cache = {None: collect_glue(nb)}

    def lookup(self, key: str):
        path = None
        if "::" in key:
            path, key = key.split("::", 1)
        if path not in self.cache:
            data = {}
            if self.nb_path is not None:
                p = (self.nb_path.parent / path)
                if p.suffix != ".ipynb":
                    p = p.with_suffix(".ipynb")
                if p.exists():
                    data = collect_glue(json.loads(p.read_text(encoding="utf-8")))
            self.cache[path] = data
        return self.cache[path].get(key.strip())


def _plain(data) -> str:
    return "".join(data.get("text/plain", "")) if data else ""


def _format_value(text: str, fmt: str) -> str:
    try:
        value = int(text) if re.fullmatch(r"[-+]?\d+", text) else float(text)
        return format(value, fmt)
    except (ValueError, TypeError):
        return text


def _glue_html(data) -> str:
    if not data:
        return ""
    for mime in ("image/png", "image/jpeg"):
        if mime in data:
            return f'<img src="data:{mime};base64,{"".join(data[mime]).strip()}" alt=""/>'
    if "image/svg+xml" in data:
        return "".join(data["image/svg+xml"])
    if "text/html" in data:
        return "".join(data["text/html"])
    if "text/latex" in data:
        return "".join(data["text/latex"])
    return html.escape(_plain(data))


def _role(glue: _Glue, name: str, content: str) -> str:
    if name.startswith("glue"):
        kind = name.split(":", 1)[1] if ":" in name else ""
        key, fmt = content, ""
        if kind == "text":
            # key may be path::name:fmt ; the format is after the last ':' of the name part
            head, sep, name_part = content.rpartition("::")
            if ":" in name_part:
                name_part, fmt = name_part.split(":", 1)
            key = head + sep + name_part
        data = glue.lookup(key)
        if data is None:
            return f"⟨{key}⟩"
        if kind == "math":
            return "$" + "".join(data.get("text/latex", _plain(data))).strip().strip("$") + "$"
        if kind == "md":
            return "".join(data.get("text/markdown", _plain(data)))
        if kind in ("", "any") and any(m in data for m in ("image/png", "image/jpeg", "image/svg+xml")):
            return _glue_html(data)
        text = _plain(data)
        return _format_value(text, fmt) if fmt else text
    if name == "math":
        return f"${content}$"
    if name in ("ref", "numref", "doc", "term", "eq", "download", "abbr", "cite", "prf:ref"):
        m = re.match(r"^(.*?)\s*<[^>]*>\s*$", content, re.DOTALL)
        return m.group(1) if m and m.group(1) else content
    return content


def simplify_myst(text: str, glue: _Glue) -> str:
    """Turn MyST-only markdown into what nbconvert's markdown renderer understands."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if re.match(r"^\s*\([^)]*\)=\s*$", line) or re.match(r"^\s*%", line):
            i += 1
            continue
        m = _FENCE_OPEN.match(line)
        if m:
            _indent, fence, name, arg = m.groups()
            body = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence):
                body.append(lines[i])
                i += 1
            i += 1  # closing fence
            # drop directive options (":key: value" lines at the top)
            while body and re.match(r"^\s*:[\w-]+:", body[0]):
                body.pop(0)
            inner = simplify_myst("\n".join(body), glue)
            if name.startswith("glue"):
                fig = _glue_html(glue.lookup(arg.strip()))
                out.append(f'<figure class="glue">{fig}<figcaption>{inner}</figcaption></figure>'
                           if inner.strip() else f'<div class="glue">{fig}</div>')
            elif name in ("math",):
                out += ["$$", inner, "$$"]
            elif name in ("note", "warning", "tip", "important", "hint", "caution",
                          "attention", "danger", "error", "seealso", "admonition"):
                title = arg.strip() or name.capitalize()
                out.append(f"> **{title}**")
                out += ["> " + b for b in inner.splitlines()]
            elif name in ("code-cell", "toctree", "tableofcontents", "bibliography"):
                pass
            else:
                out.append(inner)
            continue
        line = re.sub(r"^(\s*\$\$.*\$\$)\s*\([^)]*\)\s*$", r"\1", line)
        line = re.sub(r"^(\s*\$\$)\s*\([^)]*\)\s*$", r"\1", line)
        out.append(_ROLE.sub(lambda mm: _role(glue, mm.group(1), mm.group(2)), line))
        i += 1
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Preparing the in-memory copy of a notebook
# --------------------------------------------------------------------------------------------

_FA_LINK = re.compile(r"""(["'])(?:https?:)?//[^"']*font-awesome[^"']*\.css\1""")


def prepare_notebook(nb, nb_path: Path | None = None):
    """A copy of ``nb`` ready for the SlidesExporter: slide types set, inputs hidden, MyST simplified.

    The notebook file is not modified.
    """
    nb = copy.deepcopy(nb)
    types = assign_slide_types(nb["cells"])
    glue = _Glue(nb_path, nb)
    for cell, st in zip(nb["cells"], types):
        meta = cell.setdefault("metadata", {})
        meta["slideshow"] = {"slide_type": st}
        if cell["cell_type"] == "markdown":
            cell["source"] = simplify_myst(_source(cell), glue)
        elif cell["cell_type"] == "code":
            if not shows_input(cell):
                meta.setdefault("transient", {})["remove_source"] = True
            cell["outputs"] = visible_outputs(cell)
            for out in cell["outputs"]:
                data = out.get("data", {})
                if "text/html" in data:
                    text = "".join(data["text/html"])
                    data["text/html"] = _FA_LINK.sub(f'"{FONT_AWESOME_URL}"', text)
    shown = any("application/vnd.jupyter.widget-view+json" in out.get("data", {})
                for cell in nb["cells"] for out in cell.get("outputs", []))
    if not shown:
        # Widget state saved by execution but no widget left on a slide (live widgets sit in
        # remove-output cells): without this the deck loads the widget manager for nothing.
        nb.get("metadata", {}).pop("widgets", None)
    if not nb["cells"] or all(t in ("skip", "notes") for t in types):
        # nbconvert refuses an all-hidden notebook: show a title slide instead
        title = nb.get("metadata", {}).get("title") or (nb_path.stem if nb_path else "Slides")
        from nbformat.v4 import new_markdown_cell

        nb["cells"].insert(0, new_markdown_cell(f"# {title}", id="slides-title",
                                                metadata={"slideshow": {"slide_type": "slide"}}))
    return nb


# --------------------------------------------------------------------------------------------
# External URL check
# --------------------------------------------------------------------------------------------

_ABS_URL = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//", re.DOTALL)
_CSS_URL = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*["']?((?:[a-zA-Z][\w+.-]*:)?//[^"')\s;]+)""")
_JS_URL = re.compile(r"""["'`]((?:https?:)?//[^"'`\s]+?\.(?:m?js|css|woff2?|ttf|otf)(?:\?[^"'`\s]*)?)["'`]""")
_JS_IMPORT = re.compile(r"""\bimport\b[^;'"]*?(?:from\s*)?["']((?:https?:)?//[^"']+)["']""")


class _LoadedURLs(HTMLParser):
    ATTRS: ClassVar[dict[str, str]] = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src",
             "video": "src", "audio": "src", "embed": "src", "object": "data", "track": "src",
             "input": "src"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        key = self.ATTRS.get(tag)
        if key and a.get(key) and _ABS_URL.match(a[key]) and not a[key].strip().startswith("data:"):
            self.found.append(f"<{tag} {key}={a[key]}>")
        if a.get("style"):
            self.found += [f"style url {u}" for u in _CSS_URL.findall(a["style"])]
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.found += [f"<style> {u}" for u in _CSS_URL.findall(data)]
        elif self._in == "script":
            self.found += [f"<script> {u}" for u in _JS_URL.findall(data)]
            self.found += [f"<script> import {u}" for u in _JS_IMPORT.findall(data)]


def find_external_urls(text: str) -> list[str]:
    """URLs on other hosts that a page would load (scripts, stylesheets, fonts, images, imports).

    Links a reader may click (``<a href>``) are not loads and are allowed.
    """
    p = _LoadedURLs()
    p.feed(text)
    p.close()
    return p.found


def find_external_urls_in_css(text: str) -> list[str]:
    return _CSS_URL.findall(text)


def check_deck(deck: Path) -> list[str]:
    """External loads in a deck and in the local stylesheets it links (recursively via @import)."""
    problems = [f"{deck.name}: {u}" for u in find_external_urls(deck.read_text(encoding="utf-8"))]
    css_files = [deck.parent / h.split("?")[0] for h in
                 re.findall(r"""<link[^>]+href=["']([^"']+\.css[^"']*)["']""", deck.read_text(encoding="utf-8"))
                 if not _ABS_URL.match(h)]
    seen = set()
    while css_files:
        css = css_files.pop()
        if css in seen or not css.exists():
            if not css.exists():
                problems.append(f"{deck.name}: missing local stylesheet {css}")
            continue
        seen.add(css)
        text = css.read_text(encoding="utf-8", errors="replace")
        problems += [f"{deck.name} -> {css.name}: {u}" for u in find_external_urls_in_css(text)]
        for imp in re.findall(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""", text):
            if not _ABS_URL.match(imp):
                css_files.append((css.parent / imp).resolve())
    return problems


# --------------------------------------------------------------------------------------------
# Vendoring
# --------------------------------------------------------------------------------------------

def _integrity_ok(path: Path, integrity: str) -> bool:
    algo, _, b64 = integrity.partition("-")
    h = hashlib.new(algo, path.read_bytes()).digest()
    return base64.b64encode(h).decode() == b64


def fetch_package(name: str, cache: Path) -> Path:
    """The pinned tarball of ``name`` in ``cache`` (``npm pack`` if missing), integrity checked."""
    spec = VENDOR[name]
    cache.mkdir(parents=True, exist_ok=True)
    tgz = cache / (name.replace("@", "").replace("/", "-") + f"-{spec['version']}.tgz")
    if not tgz.exists() or not _integrity_ok(tgz, spec["integrity"]):
        npm = shutil.which("npm")
        if not npm:
            raise SystemExit(f"npm is needed once to fetch {name}@{spec['version']} into {cache}")
        print(f"==> npm pack {name}@{spec['version']}")
        res = subprocess.run([npm, "pack", f"{name}@{spec['version']}", "--json", "--silent",
                              "--pack-destination", str(cache)], capture_output=True, text=True,
                             check=False)
        if res.returncode != 0:
            raise SystemExit(f"npm pack {name}@{spec['version']} failed:\n{res.stderr}")
        produced = cache / json.loads(res.stdout)[0]["filename"]
        if produced != tgz:
            produced.replace(tgz)
    if not _integrity_ok(tgz, spec["integrity"]):
        raise SystemExit(f"{tgz}: sha512 does not match the pinned integrity of {name}@{spec['version']}")
    return tgz


def vendor(out: Path, cache: Path = DEFAULT_CACHE) -> Path:
    """Copy the needed files of every pinned package to ``out/vendor/<dest>/`` (idempotent)."""
    vdir = out / "vendor"
    stamp = vdir / "VERSIONS.json"
    wanted = {n: s["version"] for n, s in VENDOR.items()}
    wanted["files-sha1"] = hashlib.sha1(json.dumps(VENDOR, sort_keys=True).encode()).hexdigest()
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return vdir
    if vdir.exists():
        shutil.rmtree(vdir)
    for name, spec in VENDOR.items():
        tgz = fetch_package(name, cache)
        exclude = re.compile(spec["exclude"]) if spec.get("exclude") else None
        dest = vdir / spec["dest"]
        with tarfile.open(tgz) as tf:
            for member in tf.getmembers():
                if not member.isfile():
                    continue
                rel = member.name.split("/", 1)[1]  # strip the "package/" folder
                if not any(rel == f or rel.startswith(f.rstrip("/") + "/") for f in spec["files"]):
                    continue
                if exclude and exclude.search(rel):
                    continue
                target = dest / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                with tf.extractfile(member) as src:
                    target.write_bytes(src.read())
        print(f"    vendored {name}@{spec['version']} -> {dest.relative_to(out)}")
    stamp.write_text(json.dumps(wanted, indent=1) + "\n")
    return vdir


# --------------------------------------------------------------------------------------------
# Building decks
# --------------------------------------------------------------------------------------------

def toc_chapters(root: Path = ROOT) -> list[Path]:
    """Notebooks listed in _toc.yml under notebooks/, in book order."""
    text = (root / "_toc.yml").read_text(encoding="utf-8")
    files = re.findall(r"^\s*-?\s*file:\s*['\"]?(notebooks/[^'\"\s#]+)", text, re.MULTILINE)
    paths = []
    for f in files:
        p = root / f
        if p.suffix != ".ipynb":
            p = p.with_suffix(".ipynb")
        if p.exists():
            paths.append(p)
        else:
            print(f"warning: {f} in _toc.yml has no notebook; no deck", file=sys.stderr)
    return paths


def make_exporter():
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    c = Config()
    c.SlidesExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    c.SlidesExporter.template_name = TEMPLATE_NAME
    c.SlidesExporter.reveal_url_prefix = REVEAL_PREFIX
    c.SlidesExporter.reveal_theme = "white"
    c.SlidesExporter.reveal_transition = "none"
    c.SlidesExporter.reveal_number = "c/t"
    c.SlidesExporter.reveal_width = REVEAL_WIDTH
    c.SlidesExporter.reveal_height = REVEAL_HEIGHT
    c.SlidesExporter.reveal_scroll = True
    c.SlidesExporter.mathjax_url = MATHJAX_URL
    c.SlidesExporter.require_js_url = REQUIRE_URL
    c.SlidesExporter.jquery_url = JQUERY_URL
    c.SlidesExporter.widget_renderer_url = WIDGETS_URL
    c.SlidesExporter.font_awesome_url = FONT_AWESOME_URL
    c.SlidesExporter.mermaid_js_url = ""
    c.SlidesExporter.mermaid_layout_elk_js_url = ""
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    c.SlidesExporter.embed_images = True
    return SlidesExporter(config=c)


def read_with_outputs(nb_path: Path, jupyter_cache: Path | None = DEFAULT_JUPYTER_CACHE):
    """The notebook with its outputs, without executing anything.

    The chapters may be committed without outputs (the book executes them, caching the results
    in ``_build/.jupyter_cache``), so the outputs of the book build are used when the cache holds
    a run of exactly this code; otherwise the committed outputs are used.
    """
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    source = "committed outputs"
    if jupyter_cache and Path(jupyter_cache).is_dir():
        try:
            from jupyter_cache import get_cache

            _, nb = get_cache(str(jupyter_cache)).merge_match_into_notebook(nb)
            source = f"outputs of the book build ({jupyter_cache})"
        except KeyError:
            pass  # no cached run of this code
        except Exception as exc:  # noqa: BLE001 - a broken cache must not stop the slides
            print(f"warning: {nb_path.name}: jupyter cache unusable ({exc}); using committed outputs",
                  file=sys.stderr)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    if code and not any(c.get("outputs") for c in code):
        print(f"warning: {nb_path.name} has no outputs (neither committed nor in {jupyter_cache}): "
              "run `make book` before `make slides`", file=sys.stderr)
    return nb, source


def build_deck(nb_path: Path, out: Path, exporter=None,
               jupyter_cache: Path | None = DEFAULT_JUPYTER_CACHE) -> Path:
    import nbformat

    exporter = exporter or make_exporter()
    nb, _ = read_with_outputs(nb_path, jupyter_cache)
    prepared = nbformat.from_dict(prepare_notebook(nb, nb_path))
    body, _ = exporter.from_notebook_node(
        prepared, resources={"metadata": {"name": nb_path.stem, "path": str(nb_path.parent)},
                             # nbconvert's reveal template never links font_awesome_url; ours
                             # does, for the icons of the matplotlib animation players
                             "font_awesome_url": FONT_AWESOME_URL})
    deck = out / f"{nb_path.stem}.slides.html"
    deck.write_text(body, encoding="utf-8")
    return deck


def build(notebooks: list[Path], out: Path = DEFAULT_OUT, cache: Path = DEFAULT_CACHE,
          jupyter_cache: Path | None = DEFAULT_JUPYTER_CACHE) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    vendor(out, cache)
    exporter = make_exporter()
    decks, problems = [], []
    for nb_path in notebooks:
        deck = build_deck(nb_path, out, exporter, jupyter_cache)
        nb, source = read_with_outputs(nb_path, jupyter_cache)
        print(f"    {deck.name}: {expected_slide_count(nb.cells)} slides, from {source}")
        decks.append(deck)
        problems += check_deck(deck)
    if problems:
        raise SystemExit("external URLs left in the decks (they must work offline):\n  "
                         + "\n  ".join(problems))
    return decks


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notebooks", nargs="*", type=Path,
                    help="notebooks to convert (default: the chapters in _toc.yml under notebooks/)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="npm tarball cache")
    ap.add_argument("--jupyter-cache", type=Path, default=DEFAULT_JUPYTER_CACHE,
                    help="jupyter-cache of the book build, for outputs (default %(default)s)")
    args = ap.parse_args(argv)
    notebooks = args.notebooks or toc_chapters()
    print(f"==> slides: {len(notebooks)} notebooks -> {args.out}")
    build(notebooks, args.out, args.cache, args.jupyter_cache)
    print("==> slides: no external URLs in any deck")
    return 0


if __name__ == "__main__":
    sys.exit(main())
