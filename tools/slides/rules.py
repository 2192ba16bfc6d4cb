"""The slide-type rule: which cell starts a slide, a sub-slide, or is left out of a deck.

Explicit ``slideshow.slide_type`` metadata (or the ``slides-skip`` tag) wins; otherwise
``#``/``##`` headings start slides, ``###`` sub-slides, and a slide that is full (a rough height
estimate in text lines, :func:`estimate_height`) continues on a sub-slide.  Cells with nothing
to show are skipped.  The rule is spelled out for authors in ``tools/build_slides.py``.
"""

from __future__ import annotations

import base64
import math
import re
import struct

SLIDE_CAPACITY = 16.0  # rough height of a slide in "text lines" (36 px at 1280×720)
MIN_BEFORE_BREAK = 4.0  # a slide holding less than this (e.g. only its heading) is never split
CHARS_PER_LINE = 85
SHOW_CODE_TAG = "slides-show-code"
GLUE_PREFIX = "application/papermill.record/"
SKIP_TAG = "slides-skip"
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
    for line in cell_source(cell).splitlines():
        if line.strip():
            m = _HEADING.match(line.strip())
            return len(m.group(1)) if m else 0
    return 0


def cell_source(cell) -> str:
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
        for line in cell_source(cell).splitlines():
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
        h += 0.8 * (len(cell_source(cell).splitlines()) + 1)
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
        if all(_TARGET_OR_COMMENT.match(line) for line in cell_source(cell).splitlines()):
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
