"""The slides of a lecture as the notebook nbconvert's SlidesExporter turns into a deck.

Every slide becomes a heading cell (``slide`` for the first slide of a section, ``subslide``
for the others, with ``data-role``/``data-section``/``data-continued`` on its ``<section>``),
a ``notes`` cell (reveal.js speaker notes, ``<aside class="notes">``) right after it, then its
pieces: markdown cells (wrapped in ``<div class="deck-…">`` for questions, answers, callouts
and worked-example steps) and code cells holding outputs; fragments (answers, the later steps
of a worked example) are ``fragment`` cells.  Outputs are adapted for the projector: figures
drawn by the deck run are shown at their drawn size (``width / density``), an animation's frame
likewise, long tables are split by rows over several slides (their header repeated) and long
captions go to the notes; matplotlib's CDN Font Awesome link points at the vendored copy.  The
chapter notebook is never modified.
"""

from __future__ import annotations

import copy
import os
import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell

from . import rules
from .assets import FONT_AWESOME_URL

_FA_LINK = re.compile(r"""(["'])(?:https?:)?//[^"']*font-awesome[^"']*\.css\1""")
# CNNLIB_SLIDES_DEBUG=1: every piece is tagged with the height the builder estimated for it
# (class celltag_deck-est-<px>), to compare with what the browser lays out
_DEBUG = " deck-est-{:.0f}" if os.environ.get("CNNLIB_SLIDES_DEBUG") else ""
LONG_CAPTION = 120  # characters: a longer table caption is read out, not shown
TABLE_FONT_PX = 22.0


# ------------------------------------------------------------------ outputs

def _png_tag(b64: str) -> str:
    """A figure drawn by the deck run at its drawn size; another PNG (``--no-execute``) as the
    template's CSS fits it."""
    size = rules.png_css_size(b64)
    if not size:
        return f'<img src="data:image/png;base64,{b64}" alt="">'
    return (f'<img class="deck-figure" src="data:image/png;base64,{b64}" '
            f'style="width:{size[0]:.1f}px;height:{size[1]:.1f}px" alt="">')


def adapt_output(out):
    """One output as the deck shows it (a copy): figures at their drawn size, CDN links local."""
    out = copy.deepcopy(out)
    data = out.get("data")
    if not data:
        return out
    if "image/png" in data:
        b64 = "".join(data["image/png"]).replace("\n", "").strip()
        out["data"] = {"text/html": _png_tag(b64)}
        out["metadata"] = {}
        return out
    if "text/html" in data:
        text = _FA_LINK.sub(f'"{FONT_AWESOME_URL}"', "".join(data["text/html"]))
        if "_anim_img" in text:
            m = re.search(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)", text)
            size = rules.png_css_size(m.group(1).replace("\\\n", "")) if m else None
            if size:
                style = f"width:{size[0]:.1f}px;height:{size[1]:.1f}px;max-width:none"
                text = re.sub(r'(<img id="_anim_img[^"]*")', rf'\1 class="deck-frame" style="{style}"', text, count=1)
        data["text/html"] = text
    return out


def _col_weights(rows) -> list[float]:
    """Relative column widths of a table: its width:N% styles, else its text lengths."""
    head = rows[0].find_all(["th", "td"], recursive=False) if rows else []
    widths = []
    for cell in head:
        m = re.search(r"width:\s*([\d.]+)%", cell.get("style", ""))
        widths.append(float(m.group(1)) if m else None)
    if head and all(w is not None for w in widths):
        return widths
    n = max((len(r.find_all(["th", "td"], recursive=False)) for r in rows), default=1)
    longest = [4.0] * n
    for r in rows:
        for i, c in enumerate(r.find_all(["th", "td"], recursive=False)[:n]):
            longest[i] = max(longest[i], min(len(c.get_text(" ", strip=True)), 45))
    return longest


def _row_height(row, weights) -> float:
    total = sum(weights) or 1.0
    lines = 1
    for i, c in enumerate(row.find_all(["th", "td"], recursive=False)):
        w = weights[i] if i < len(weights) else weights[-1]
        chars = max(4.0, rules.render.BOX_W * w / total / (TABLE_FONT_PX * 0.52))
        text = c.get_text(" ", strip=True)
        brs = len(c.find_all("br"))
        lines = max(lines, -(-len(text) // int(chars)) + brs)
    return lines * TABLE_FONT_PX * 1.3 + 10


def split_table_output(out, max_h: float) -> list:
    """An HTML table output as one or more outputs whose tables fit ``max_h`` px: the rows are
    split (the header repeated on each part); a long caption is moved to the output's metadata
    (``deck_notes``) for the speaker notes."""
    data = out.get("data") or {}
    if "text/html" not in data:
        return [out]
    text = "".join(data["text/html"])
    if "<table" not in text or any(k in text for k in ("static-widget", "cnnlib-exercise", "_anim_img")):
        return [out]
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    tables = soup.find_all("table")
    if len(tables) != 1:
        return [out]
    table = tables[0]
    notes = ""
    cap = table.find("caption")
    if cap is not None and len(cap.get_text(" ", strip=True)) > LONG_CAPTION:
        notes = cap.get_text(" ", strip=True)
        cap.decompose()
    body = table.find("tbody") or table
    rows = body.find_all("tr", recursive=False)
    head_rows = table.thead.find_all("tr", recursive=False) if table.thead else []
    weights = _col_weights(head_rows[-1:] + rows if head_rows else rows)
    head_h = sum(_row_height(r, weights) for r in head_rows) + 20
    cap_h = _row_height(cap, [1.0]) if cap is not None and cap.parent is not None else 0.0
    heights = [_row_height(r, weights) for r in rows]
    chunks, cur, used = [], [], head_h + cap_h
    for i, h in enumerate(heights):
        if cur and used + h > max_h:
            chunks.append(cur)
            cur, used = [], head_h + cap_h
        cur.append(i)
        used += h
    chunks.append(cur)
    parts = []
    for chunk in chunks:
        keep = set(chunk)
        part_soup = BeautifulSoup(str(soup), "html.parser")
        part_body = part_soup.find("table").find("tbody") or part_soup.find("table")
        for i, r in enumerate(part_body.find_all("tr", recursive=False)):
            if i not in keep:
                r.decompose()
        o = copy.deepcopy(out)
        o["data"] = {"text/html": str(part_soup)}
        o.setdefault("metadata", {})
        o["metadata"] = dict(o["metadata"], deck_height=head_h + cap_h + sum(heights[i] for i in chunk))
        if notes:
            o["metadata"]["deck_notes"] = notes
        parts.append(o)
    return parts


# ------------------------------------------------------------------ the notebook

def _md_cell(source: str, slide_type: str, data: dict | None = None, css: str = ""):
    """A markdown cell; its ``css`` words become tags, which nbconvert turns into
    ``celltag_<word>`` classes on the rendered markdown (the template styles them)."""
    meta = {"slideshow": {"slide_type": slide_type}}
    if data:
        meta["slideshow"]["data"] = data
    if css.split():
        meta["tags"] = css.split()
    return new_markdown_cell(source, metadata=meta)


def _merge_bullets(pieces):
    """Adjacent bullet pieces (same fragment state and style) as one list."""
    out = []
    for p in pieces:
        if (out and p.bullet and out[-1].bullet and not p.fragment and not out[-1].fragment
                and p.css == out[-1].css and out[-1].cell is None):
            merged = copy.copy(out[-1])
            merged.md = out[-1].md + "\n" + p.md
            merged.height = out[-1].height + p.height
            out[-1] = merged
        else:
            out.append(p)
    return out


def slides_notebook(slides, metadata: dict | None = None):
    """The notebook the exporter sees: heading, notes and pieces of every slide, in order."""
    cells = []
    for slide in slides:
        notes = list(slide.notes)
        for p in slide.pieces:
            if p.cell is not None:
                for out in p.cell.get("outputs", []):
                    n = (out.get("metadata") or {}).get("deck_notes")
                    if n and n not in notes:
                        notes.append(n)
        hashes = "#" if slide.level == 1 else "##"
        data = {"role": slide.role, "section": " ".join(re.sub(r"[*_`$\\]", "", slide.section).split())}
        if slide.continued:
            data["continued"] = "1"
        data["estimate"] = f"{slide.used:.0f}"  # px the builder expects the slide to take
        cells.append(_md_cell(f"{hashes} {slide.title}", "slide" if slide.starts_section else "subslide", data))
        if notes:
            cells.append(_md_cell("\n\n".join(notes), "notes"))
        for p in _merge_bullets(slide.pieces):
            st = "fragment" if p.fragment else "-"
            if p.cell is None:
                cells.append(_md_cell(p.md, st, css=p.css + _DEBUG.format(p.height)))
                continue
            c = new_code_cell(rules.cell_source(p.cell), metadata={"slideshow": {"slide_type": st}})
            if _DEBUG:
                c.metadata["tags"] = [_DEBUG.format(p.height).strip()]
            if not rules.shows_input(p.cell):
                c.metadata["transient"] = {"remove_source": True}
            c.outputs = [nbformat.from_dict(adapt_output(o)) for o in p.cell.get("outputs", [])]
            for o in c.outputs:
                o.get("metadata", {}).pop("deck_notes", None)
                o.get("metadata", {}).pop("deck_height", None)
            c.execution_count = None
            cells.append(c)
    nb = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(metadata or {}))
    shown = any(rules.WIDGET_MIME in (o.get("data") or {}) for c in cells for o in c.get("outputs", []))
    if not shown:
        # Widget state saved by execution but no widget left on a slide (live widgets sit in
        # remove-output cells): without this the deck loads the widget manager for nothing.
        nb.metadata.pop("widgets", None)
    return nb


def slide_count(nb) -> int:
    """Number of slides reveal.js shows (Reveal.getTotalSlides()): slides plus sub-slides."""
    return sum((c.get("metadata", {}).get("slideshow") or {}).get("slide_type") in ("slide", "subslide")
               for c in nb.cells)


