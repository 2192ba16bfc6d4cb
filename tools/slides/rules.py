"""The rules of a deck: what is left out, what a lecture slide shows, what things cost in height.

* **Left out** (:func:`left_out`): cells tagged ``remove-cell``, ``jupyter-only`` or
  ``slides-skip`` (or ``slideshow.slide_type: skip``), outputs the book collapses
  (``hide-output``: a detail a reader may open, not a slide), raw cells, values cells and other code
  without visible output, live widgets (``remove-output``), and in any prose the sentences
  that only make sense in JupyterLab (:data:`MEDIUM`: "In JupyterLab, run the next cell…",
  "In the book (no kernel), …", "it needs a running kernel").
* **Prose on a slide**: a paragraph's first sentence is its bullet on the slide; the whole
  paragraph goes into the speaker notes (:func:`sentences`).  A paragraph that opens with
  **Worked example** is a worked example: all its sentences, one step at a time.
* **Roles** by heading (:func:`role_of_heading`): Exercises → check, Summary → summary,
  Try it → demo, Worked example(s) → example, anything else → idea.
* **Heights** in CSS px of the 1280×720 slide (:func:`text_height`, :func:`output_height`):
  rough for text and tables, exact for the figures a deck run draws (their size is in the PNG).
"""

from __future__ import annotations

import base64
import re

from . import render

SHOW_CODE_TAG = "slides-show-code"
SKIP_TAG = "slides-skip"
JUPYTER_ONLY_TAG = "jupyter-only"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# --- slide geometry (CSS px on the 1280×720 slide; the template's CSS matches these) ---
SLIDE_H = 720
CAPACITY = 670.0  # height for content, title included (the rest is padding and slide number)
TITLE_H = 80.0  # an h2 title line and its margin
TITLE_LINE_H = 52.0
TITLE_CHARS = 46
TEXT_LINE_H = 37.5  # 28 px text, line-height 1.35
TEXT_CHARS = 74  # characters per line of a bullet (28 px sans-serif, ~1100 px wide)
BLOCK_GAP = 22.0  # between two blocks
LIST_ITEM_GAP = 9.0
PRE_LINE_H = 29.0  # printed output, 22 px monospace
PRE_CHARS = 84  # characters of printed output per line on the slide (measured: 84 fit; a longer line wraps)
PRE_GAP = 26.0
TABLE_ROW_H = 42.0  # a table row, 22–24 px text
MATH_H = 128.0  # a displayed formula (a fraction)
QUESTION_CHARS, QUESTION_LINE_H = 56, 46.0  # the opening question, 34 px
GOALS_CHARS, GOALS_LINE_H = 78, 37.0  # the goals under it, 26 px
ANIM_CONTROLS_H = 140.0  # an animation player's slider, buttons and mode switches
FIGURE_GAP = 14.0
LEAD_IN_H = 160.0  # bullets this short before a figure that needs a slide of its own go to the notes

# sentences about the medium, not the subject: dropped from slides and notes
MEDIUM = re.compile(
    r"\bJupyter ?Lab\b|\bJupyter Notebook\b|\bColab\b|\bBinder\b"
    r"|\b(?:running|live|Python|Jupyter|IPython)\s+kernel\b|\b(?:no|without\s+a|needs?\s+a)\s+(?:running\s+)?kernel\b"
    r"|\b(?:run|execute|re-run)\s+(?:the|this|that|each|every)\s+(?:next\s+|last\s+|following\s+)?cells?\b"
    r"|\b(?:next|last|previous|following)\s+cell\b|\bRun All\b|^\s*In the book\b",
    re.IGNORECASE)

_ROLE_PATTERNS = (
    (re.compile(r"^(exercises?|check(s| yourself)?|practice|questions?|quiz)\b", re.IGNORECASE), "check"),
    (re.compile(r"^(summary|recap|key points|takeaways?|in short)\b", re.IGNORECASE), "summary"),
    (re.compile(r"^(try it|explore|interactive|playground)\b", re.IGNORECASE), "demo"),
    (re.compile(r"^worked examples?\b", re.IGNORECASE), "example"),
)
ROLES = ("question", "idea", "demo", "example", "check", "summary")
_ABBREV = re.compile(r"\b(?:e\.g|i\.e|cf|vs|etc|Fig|Eq|No|approx|resp|al|Dr|Mr|Ms|St)\.$", re.IGNORECASE)
_BOLD_LEAD = re.compile(r"^\s*\*\*(?P<lead>[^*]+?)\*\*\s*(?P<rest>.*)$", re.DOTALL)
_EXERCISE = re.compile(r"^\s*\*\*\s*(?:Exercise\s+)?(\d+)[.)]?\s*\*\*")
_WORKED = re.compile(r"^\s*worked examples?\b", re.IGNORECASE)


def tags(cell) -> set[str]:
    return set((cell.get("metadata", {}) or {}).get("tags", []) or [])


def cell_source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def explicit_slide_type(cell) -> str | None:
    """The author's ``slideshow.slide_type`` (or ``skip`` for the ``slides-skip`` tag), else None."""
    if SKIP_TAG in tags(cell):
        return "skip"
    meta = (cell.get("metadata", {}) or {}).get("slideshow")
    if isinstance(meta, dict) and "slide_type" in meta:
        return meta["slide_type"] or "-"
    return None


_OBJECT_REPR = re.compile(r"^\s*<[A-Za-z_][\w.]*( [^<>]*)?>\s*$")


def _object_repr_only(out) -> bool:
    """Noise such as ``<Figure size 640x480 with 1 Axes>``: only a ``<…>`` object repr as text."""
    data = out.get("data", {}) or {}
    return set(data) == {"text/plain"} and bool(_OBJECT_REPR.match("".join(data["text/plain"])))


def visible_outputs(cell) -> list:
    """Outputs a deck shows: not stderr, not a bare object repr, nothing of a remove-output cell."""
    if cell.get("cell_type") != "code" or "remove-output" in tags(cell):
        return []
    return [o for o in cell.get("outputs", []) or []
            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            and o.get("output_type") != "error" and not _object_repr_only(o)]


def shows_input(cell) -> bool:
    t = tags(cell)
    return cell.get("cell_type") == "code" and SHOW_CODE_TAG in t and "remove-input" not in t


def left_out(cell) -> str | None:
    """Why a cell is not in the deck at all (None: it is)."""
    t = tags(cell)
    if "remove-cell" in t:
        return "remove-cell"
    if "hide-output" in t:
        return "hide-output (collapsed in the book: a detail the lecture leaves to the page)"
    if JUPYTER_ONLY_TAG in t:
        return JUPYTER_ONLY_TAG
    if explicit_slide_type(cell) == "skip":
        return "skip"
    kind = cell.get("cell_type")
    if kind == "raw":
        return "raw"
    if kind == "code":
        if "remove-output" in t and not shows_input(cell):
            return "remove-output (a live widget or a values cell)"
        if not visible_outputs(cell) and not shows_input(cell):
            return "no visible output"
    return None


# ------------------------------------------------------------------ sentences

def _mask(text: str):
    """Math, code spans and links replaced by placeholders (their dots are not sentence ends)."""
    kept: list[str] = []

    def keep(m):
        kept.append(m.group(0))
        return f"\x01{len(kept) - 1}\x02"

    masked = re.sub(r"\$\$.+?\$\$|\$[^$\n]+\$|`[^`]*`|\[[^\]]*\]\([^)]*\)", keep, text, flags=re.DOTALL)
    return masked, kept


def _unmask(text: str, kept) -> str:
    while "\x01" in text:
        text = re.sub(r"\x01(\d+)\x02", lambda m: kept[int(m.group(1))], text)
    return text


def sentences(text: str) -> list[str]:
    """The sentences of a markdown paragraph (math, code and abbreviations are not split).

    >>> sentences("A $k = 3.5$ kernel. Then e.g. more. (A note.) Last")
    ['A $k = 3.5$ kernel.', 'Then e.g. more.', '(A note.)', 'Last']
    """
    masked, kept = _mask(" ".join(text.split()))
    out, start = [], 0
    for m in re.finditer(r"[.!?…][*_\"'”’)\]]*(?=\s+[\"'“‘(\[*_]*[A-Z0-9\x01¹²³⁴⁵⁶⁷⁸⁹−-])", masked):
        if _ABBREV.search(masked[start:m.start() + 1]):
            continue
        out.append(masked[start:m.end()].strip())
        start = m.end()
    rest = masked[start:].strip()
    if rest:
        out.append(rest)
    return [_unmask(s, kept) for s in out if s]


_ASIDE = re.compile(r"\s*\([^()]*\)")
# a sentence that only goes on about the one before it ("Both call …" after "In JupyterLab, the
# next cell gives a live slider; the book shows …")
_CONTINUES = re.compile(r"^[\s*_]*(?:Both|Either|Neither|It|Its|They|This|That|These|Those)\b")


def _without_medium_aside(s: str) -> str | None:
    """``s`` without the parenthetical asides about the medium, if that leaves a sentence free
    of them ("… checks your answers (in the book it works without a kernel)." → "… checks
    your answers."); None if the medium is in the sentence itself."""
    kept = _ASIDE.sub(lambda m: "" if MEDIUM.search(_strip_md(m.group(0))) else m.group(0), s)
    kept = re.sub(r"\s+([.,:;!?])", r"\1", kept).strip()
    if kept == s or MEDIUM.search(_strip_md(kept)) or not re.search(r"\w", kept):
        return None
    return kept


def drop_medium(text: str) -> str:
    """A paragraph without its sentences about JupyterLab, kernels and cells ('' if all are).

    A parenthetical aside about them goes and the rest of its sentence stays; a sentence that
    only continues a dropped one ("Both call …", "It needs …") goes with it.

    >>> drop_medium("More practice (in JupyterLab, the last cell is live): a bank. Done.")
    'More practice: a bank. Done.'
    >>> drop_medium("In JupyterLab, the next cell is live; the book shows it precomputed. Both call f. Then x.")
    'Then x.'
    """
    out, dropped = [], False
    for s in sentences(text):
        if MEDIUM.search(_strip_md(s)):
            kept = _without_medium_aside(s)
            if kept is None:
                dropped = True
                continue
            s = kept
        elif dropped and _CONTINUES.match(s):
            continue
        dropped = False
        out.append(s)
    return " ".join(out)


def _strip_md(s: str) -> str:
    return re.sub(r"[*_`]", "", s)


def bold_lead(text: str):
    """(lead, rest) of a paragraph that opens with a bold phrase, else None."""
    m = _BOLD_LEAD.match(text)
    return (m.group("lead").strip(), m.group("rest").strip()) if m else None


def exercise_number(text: str) -> int | None:
    """N for a paragraph that opens with **N.** (an exercise's question)."""
    m = _EXERCISE.match(text)
    return int(m.group(1)) if m else None


def is_worked_example(text: str) -> bool:
    lead = bold_lead(text)
    return bool(lead and _WORKED.match(lead[0]))


def is_answer(block) -> bool:
    """An exercise's answer: an admonition titled Answer/Solution, or any dropdown admonition."""
    if block.kind != "directive":
        return False
    klass = set(block.options.get("class", "").split())
    if "dropdown" in klass or block.name == "dropdown":
        return True
    return block.name == "admonition" and bool(re.match(r"^(answer|solution)s?\b", block.arg, re.IGNORECASE))


def role_of_heading(title: str) -> str:
    """The lecture role of a section from its heading (idea unless the heading says otherwise)."""
    plain = re.sub(r"[*_`$]", "", title).strip()
    for pattern, role in _ROLE_PATTERNS:
        if pattern.match(plain):
            return role
    return "idea"


# ------------------------------------------------------------------ heights

def text_lines(md: str, chars: int = TEXT_CHARS) -> int:
    """Lines a markdown text takes at ``chars`` characters per line (markup not counted)."""
    plain = re.sub(r"\$([^$]*)\$", lambda m: "x" * max(1, len(m.group(1)) // 2), md)
    plain = re.sub(r"[*_`]|\\(?=\S)", "", plain)
    n = 0
    for line in plain.splitlines():
        n += max(1, -(-len(line.strip()) // chars)) if line.strip() else 0
    return max(n, 1)


def title_height(title: str) -> float:
    lines = max(1, -(-len(re.sub(r"[*_`$\\]", "", title)) // TITLE_CHARS))
    return TITLE_H + (lines - 1) * TITLE_LINE_H


def text_height(md: str, chars: int = TEXT_CHARS, line_h: float = TEXT_LINE_H) -> float:
    """Height of bullets or a short paragraph."""
    return text_lines(md, chars) * line_h + BLOCK_GAP


def table_height(md: str) -> float:
    rows = [r for r in md.splitlines() if r.strip().startswith("|") and not set(r.strip()) <= set("|-: ")]
    extra = sum(max(0, text_lines(r, 90) - 1) for r in rows)
    return (len(rows) + extra) * TABLE_ROW_H + BLOCK_GAP


def math_height(md: str) -> float:
    return MATH_H + 40.0 * md.count("\\\\") + BLOCK_GAP


def png_css_size(png_b64: str) -> tuple[float, float] | None:
    """Display size (CSS px) of a PNG drawn by a deck run (None for another PNG)."""
    try:
        png = base64.b64decode(png_b64)
    except ValueError:
        return None
    meta, size = render.png_meta(png), render.png_size(png)
    if not meta or not size:
        return None
    d = meta.get("density") or 1.0
    return size[0] / d, size[1] / d


def html_table_rows(html: str) -> int:
    return html.count("<tr")


def wrapped(line: str) -> int:
    """Lines one line of printed output takes on a slide (it wraps after PRE_CHARS)."""
    return max(1, -(-len(line.rstrip()) // PRE_CHARS))


def pre_lines(text: str) -> int:
    """Lines a printed output takes on a slide, its long lines wrapped.

    >>> pre_lines("short\\n" + "=" * 85)
    3
    """
    return sum(wrapped(line) for line in text.splitlines())


def output_height(out) -> float:
    """Rough height of one output on a slide."""
    data = out.get("data", {}) or {}
    known = (out.get("metadata") or {}).get("deck_height")
    if known:
        return float(known) + BLOCK_GAP
    if out.get("output_type") == "stream":
        return PRE_LINE_H * pre_lines("".join(out.get("text", "")).rstrip("\n")) + PRE_GAP
    if "text/html" in data:
        html = "".join(data["text/html"])
        if "_anim_img" in html:
            m = re.search(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)", html)
            size = png_css_size(m.group(1).replace("\\\n", "")) if m else None
            return (size[1] if size else render.ANIM_H) + ANIM_CONTROLS_H
        if "static-widget" in html:
            first = re.search(r'class="sw-out"[^>]*>(.*?)<script', html, re.DOTALL)
            shown = first.group(1) if first else ""
            body = 40 + TABLE_ROW_H * shown.count("<tr") if "<table" in shown else 290
            return 50 + 44 * html.count('class="sw-slider"') + body
        if "cnnlib-exercise" in html:
            return 460.0
        if "<table" in html:
            return 50 + TABLE_ROW_H * max(0, html_table_rows(html) - 1) + BLOCK_GAP
        if "<img" in html or "<svg" in html:
            return 400.0
        text = re.sub(r"<[^>]+>", "", html).strip()
        return text_height(text)
    if "image/png" in data:
        size = png_css_size("".join(data["image/png"]))
        return (size[1] if size else 400.0) + FIGURE_GAP
    if "image/svg+xml" in data or "image/jpeg" in data:
        return 400.0
    if WIDGET_MIME in data:
        return 200.0
    if "text/latex" in data or "text/markdown" in data:
        return 80.0
    if "text/plain" in data:
        return PRE_LINE_H * pre_lines("".join(data["text/plain"])) + PRE_GAP
    return TEXT_LINE_H
