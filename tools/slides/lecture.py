"""A chapter as a lecture: question → idea → worked example → check.

:func:`read_chapter` turns a chapter notebook (with the outputs of its deck run) into a
:class:`Chapter`: its title, the question it answers and what the reader will be able to do,
and its sections (one per heading), each a list of :class:`Item` — prose, lists, formulas,
tables, callouts, worked examples, exercise questions and answers, outputs.

:func:`compose` lays the sections out as :class:`Slide` s in lecture order:

1. **question** — the chapter's title, its question (from the lecture plan, else made from the
   first "What you will be able to do" item) and the goals; the introduction in the notes;
2. **idea** (and **demo**, **example**) sections in the chapter's order — or the plan's: each
   slide shows its heading, formulas, figures, tables, lists and the first sentence of each
   paragraph; the paragraphs themselves are the speaker notes.  A section that does not fit
   continues on a slide titled "… (continued)".  A paragraph that opens with **Worked
   example** becomes its own slide, one sentence per step (fragments);
3. **check** — one slide per exercise, the answer a fragment after the question (or on the
   next slide when both do not fit), then the rest of the section (practice banks);
4. **summary**.

A lecture plan, ``tools/slides/lectures/<chapter>.yml``, names the question, picks sections by
heading in the order the lecture wants them (a heading's subsections come with it unless
listed themselves) and may add checks; see ``lectures/README.md``.  Without a plan the
deck keeps the chapter's order, moves exercises after the last idea and the summary last.
"""

from __future__ import annotations

import copy
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import SlidesError, prepare, rules
from .myst import Resolver, blocks, classes, stored_values, strip_roles, substitute

PLANS = Path(__file__).resolve().parent / "lectures"
CALLOUTS = {"note", "warning", "tip", "important", "hint", "caution", "attention", "danger",
            "error", "seealso", "admonition"}
_GOALS = re.compile(r"^\s*(?:\*\*\s*(what you will (?:be able to do|learn)|you will be able to|goals?|"
                    r"learning (?:goals|objectives))\s*:?\s*\*\*\s*:?"
                    r"|(?:\*\*)?\s*(?:by the end of (?:this|the) (?:chapter|lecture|page),?\s*)?"
                    r"you (?:can|will be able to)\s*:(?:\*\*)?)"
                    r"\s*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_ORDERED_ITEM = re.compile(r"^(\d+)[.)](\s+|$)")


@dataclass
class Item:
    """One thing a section says. kind: prose, lead, example, question, answer, bullets, math,
    table, callout, code, html, output, notes."""

    kind: str
    md: str = ""
    title: str = ""
    cell: dict | None = None
    fragment: bool = False
    break_before: bool = False
    css: str = ""


@dataclass
class Section:
    title: str
    level: int
    items: list[Item] = field(default_factory=list)
    label: str | None = None
    parent: Section | None = None
    role: str = "idea"


@dataclass
class Chapter:
    stem: str
    title: str
    intro: list[Item]
    goals: list[str]
    sections: list[Section]
    values: dict[str, dict]  # every stored {eval} value of the chapter (for plans' checks)


@dataclass
class Piece:
    """Something a slide shows: markdown (``md``) or a code cell's outputs (``cell``)."""

    md: str = ""
    cell: dict | None = None
    height: float = 0.0
    fragment: bool = False
    css: str = ""
    bullet: bool = False
    source: str = ""  # the paragraph a bullet was made from


@dataclass
class Slide:
    title: str
    role: str
    section: str
    pieces: list[Piece] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    continued: bool = False
    level: int = 2
    starts_section: bool = True

    @property
    def used(self) -> float:
        return rules.title_height(self.title) + sum(p.height for p in self.pieces)

    @property
    def has_fragment(self) -> bool:
        return any(p.fragment for p in self.pieces)


# ------------------------------------------------------------------ reading a chapter

def _labels(cells) -> dict[str, str]:
    """(label)= targets -> the text of the heading they mark."""
    out = {}
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for m in re.finditer(r"^\s*\(([^)\s]+)\)=\s*\n+\s*#+\s+(.+?)\s*$", rules.cell_source(cell),
                                 re.MULTILINE):
                out[m.group(1)] = strip_roles(m.group(2))
    return out


def _list_items(md: str) -> list[str]:
    items: list[str] = []
    for line in md.splitlines():
        if _LIST_ITEM.match(line):
            items.append(_LIST_ITEM.sub("", line, count=1).strip())
        elif items and line.strip():
            items[-1] += " " + line.strip()
    return items


def _list_chunks(md: str) -> list[str]:
    """A markdown list as one markdown snippet per top-level item (nested lines kept); an item
    about JupyterLab (rules.MEDIUM) loses those sentences, or is left out."""
    chunks: list[list[str]] = []
    for line in md.splitlines():
        if _LIST_ITEM.match(line) and not line[:1].isspace():
            chunks.append([line])
        elif chunks:
            chunks[-1].append(line)
    out = []
    for c in chunks or [[md]]:
        text = "\n".join(c).rstrip()
        if rules.MEDIUM.search(text):
            marker = _LIST_ITEM.match(text)
            kept = rules.drop_medium(text[marker.end():] if marker else text)
            text = (marker.group(0) if marker else "") + kept if kept else ""
        if text:
            out.append(text)
    return out


def _ordered_items(md: str) -> list[tuple[str, str]] | None:
    """(number, content) of each top-level item of an ordered list, the content dedented to
    its own column (nested blocks kept); None for a list that is not ordered."""
    items: list[tuple[str, list[str], int]] = []
    for line in md.splitlines():
        m = _ORDERED_ITEM.match(line)
        if m:
            items.append((m.group(1), [line[m.end():]], m.end()))
        elif not items:
            return None
        else:
            indent = items[-1][2]
            items[-1][1].append(line[indent:] if line[:indent].strip() == "" else line.lstrip())
    return [(n, "\n".join(lines).strip("\n")) for n, lines, _ in items] or None


def _question_md(number: str, text: str) -> str:
    """An exercise's question as the deck shows it: "**N.** text" (as a **N.** paragraph)."""
    return f"**{number}.** " + " ".join(text.split())


def _ordered_exercises(b, chapter: str) -> list[Item] | None:
    """An ordered list whose items hold their answers ("1. Question?" with the answer's
    admonition indented under it) as question and answer items; None for any other list."""
    items = _ordered_items(b.md)
    if not items:
        return None
    inner = [(n, blocks(content)) for n, content in items]
    if not any(rules.is_answer(x) for _, bs in inner for x in bs):
        return None
    out: list[Item] = []
    for n, bs in inner:
        asked = False
        for x in bs:
            if x.kind == "paragraph" and not asked:
                text = rules.drop_medium(x.md)
                out.append(Item("question", _question_md(n, text)))
                asked = True
                continue
            out += _items_of_block(x, chapter)
    return out


def _mark_questions(items: list[Item]):
    """An ordered list followed by an answer is that exercise's question ("1. …" written as a
    markdown list, the answer's admonition after it): one item becomes "**N.** …", several
    stay a list, shown as the question."""
    shown = [i for i, it in enumerate(items) if it.kind != "notes"]
    for a, b in itertools.pairwise(shown):
        item, nxt = items[a], items[b]
        if item.kind != "bullets" or nxt.kind != "answer":
            continue
        parts = _ordered_items(item.md)
        if not parts:
            continue
        md = _question_md(*parts[0]) if len(parts) == 1 else item.md
        items[a] = Item("question", md, fragment=item.fragment, break_before=item.break_before)


def _table_chunks(md: str, max_h: float) -> list[str]:
    """A markdown table as tables of at most ``max_h`` px, each with the header rows."""
    lines = [ln for ln in md.splitlines() if ln.strip()]
    sep = next((i for i, ln in enumerate(lines) if set(ln.strip()) <= set("|-: ")), None)
    if sep is None or rules.table_height(md) <= max_h:
        return [md]
    head, rows = lines[:sep + 1], lines[sep + 1:]
    chunks, cur = [], []
    for row in rows:
        if cur and rules.table_height("\n".join(head + cur + [row])) > max_h:
            chunks.append(cur)
            cur = []
        cur.append(row)
    chunks.append(cur)
    return ["\n".join(head + c) for c in chunks]


def _stream_chunks(out, max_h: float) -> list:
    """A printed output longer than ``max_h`` px as several outputs of consecutive lines."""
    if out.get("output_type") != "stream" or rules.output_height(out) <= max_h:
        return [out]
    lines = "".join(out.get("text", "")).rstrip("\n").split("\n")
    per = max(1, int((max_h - rules.PRE_GAP) // rules.PRE_LINE_H))  # slide lines, wrapped ones too
    groups: list[list[str]] = [[]]
    used = 0
    for line in lines:  # a line is never cut: it starts the next part when it would not fit
        n = rules.wrapped(line)
        if groups[-1] and used + n > per:
            groups.append([])
            used = 0
        groups[-1].append(line)
        used += n
    parts = []
    for group in groups:
        o = copy.deepcopy(out)
        o["text"] = "\n".join(group) + "\n"
        parts.append(o)
    return parts


def _items_of_block(b, chapter: str) -> list[Item]:
    """The items of one markdown block (medium sentences already dropped from prose)."""
    if b.kind == "paragraph":
        text = rules.drop_medium(b.md)
        if not text:
            return []
        if rules.exercise_number(text) is not None:
            return [Item("question", text)]
        if rules.is_worked_example(text):
            return [Item("example", text)]
        if rules.bold_lead(text):
            return [Item("lead", text)]
        return [Item("prose", text)]
    if b.kind == "list":
        return _ordered_exercises(b, chapter) or [Item("bullets", b.md)]
    if b.kind == "table":
        return [Item("table", b.md)]
    if b.kind == "math":
        return [Item("math", b.md)]
    if b.kind in ("code", "html"):
        return [Item(b.kind, b.md)]
    if b.kind == "quote":
        return [Item("prose", re.sub(r"^\s*>\s?", "", b.md, flags=re.MULTILINE))]
    if b.kind == "directive":
        if rules.is_answer(b):
            return [Item("answer", b.body, title=b.arg or "Answer")]
        if b.name in CALLOUTS:
            paragraphs = (rules.drop_medium(p) for p in re.split(r"\n\s*\n", b.body))
            body = "\n\n".join(p for p in paragraphs if p)
            return [Item("callout", body, title=b.arg or b.name.capitalize(),
                         css=" ".join(sorted(classes(b) | {b.name})))] if body else []
        if b.name in ("toctree", "tableofcontents", "bibliography", "glossary", "code-cell"):
            return []
        out: list[Item] = []
        for inner in blocks(b.body):
            out += _items_of_block(inner, chapter)
        return out
    return []


def read_chapter(nb, nb_path: Path | None = None, warn=print) -> Chapter:
    """The chapter as sections of items; values substituted, Jupyter-only content left out."""
    cells = nb.get("cells", [])
    stem = nb_path.stem if nb_path else (nb.get("metadata", {}).get("title") or "deck")
    chapter = f"{nb_path.name}" if nb_path else stem
    resolver = Resolver(nb_path, _labels(cells))
    title, intro, goals, sections = "", [], [], []
    current: Section | None = None
    parents: dict[int, Section] = {}
    all_values: dict[str, dict] = {}
    label = None
    want_goals = False
    for cell in cells:
        if rules.left_out(cell):
            continue
        st = rules.explicit_slide_type(cell)
        target = current.items if current else intro
        if cell.get("cell_type") == "code":
            c = copy.deepcopy(cell)
            c["outputs"] = rules.visible_outputs(cell)
            kind = "code" if rules.shows_input(cell) else "output"
            item = Item(kind, cell=c, fragment=st == "fragment", break_before=st in ("slide", "subslide"))
            (current.items if current else intro).append(item)
            continue
        values = stored_values(cell, chapter)
        all_values.update(values)
        md = substitute(rules.cell_source(cell), values, chapter, resolver, warn)
        first = True
        for b in blocks(md):
            if b.kind == "target":
                label = b.text
                continue
            if b.kind == "heading":
                text = b.text
                if b.level == 1 and not title:
                    title = text
                    continue
                level = max(b.level, 2)
                parent = next((parents[lv] for lv in sorted(parents, reverse=True) if lv < level), None)
                current = Section(text, level, label=label, parent=parent)
                parents = {lv: s for lv, s in parents.items() if lv < level}
                parents[level] = current
                sections.append(current)
                label, want_goals, first = None, False, False
                target = current.items
                continue
            if st == "notes":
                target.append(Item("notes", rules.drop_medium(b.md) if b.kind == "paragraph" else b.md))
                continue
            if current is None and b.kind == "paragraph":
                m = _GOALS.match(b.md)
                if m:
                    rest = m.group("rest").strip()
                    if rest:
                        goals.append(rest)
                    else:
                        want_goals = True
                    continue
            if current is None and want_goals and b.kind == "list":
                goals += _list_items(b.md)
                want_goals = False
                continue
            for item in _items_of_block(b, chapter):
                item.fragment = st == "fragment"
                item.break_before = first and st in ("slide", "subslide")
                target.append(item)
                first = False
    if not title:
        title = stem
    for s in sections:
        _mark_questions(s.items)
        role = rules.role_of_heading(s.title)
        if role == "idea" and s.parent is not None and s.parent.role != "idea":
            role = s.parent.role
        s.role = role
    return Chapter(stem, title, intro, goals, sections, all_values)


# ------------------------------------------------------------------ plans

def _norm(title: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[*_`$\\]", "", strip_roles(title))).strip().lower()


def load_plan(stem: str, plans: Path = PLANS) -> dict | None:
    """The lecture plan ``<plans>/<stem>.yml`` as a dict (None if there is none)."""
    path = plans / f"{stem}.yml"
    if not path.is_file():
        return None
    import yaml

    plan = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(plan, dict):
        raise SlidesError(f"{path}: a lecture plan is a mapping (question, sections, checks)")
    unknown = set(plan) - {"question", "sections", "checks"}
    if unknown:
        raise SlidesError(f"{path}: unknown keys {sorted(unknown)} (question, sections, checks)")
    plan["_path"] = str(path)
    return plan


def _find(chapter: Chapter, heading: str, where: str) -> Section:
    want = _norm(heading)
    exact = [s for s in chapter.sections if _norm(s.title) == want]
    found = exact or [s for s in chapter.sections if _norm(s.title).startswith(want)]
    if len(found) != 1:
        have = "; ".join(s.title for s in chapter.sections)
        what = "no heading" if not found else f"{len(found)} headings"
        raise SlidesError(f"{where}: {what} '{heading}' in {chapter.stem} (headings: {have})")
    return found[0]


def ordered_sections(chapter: Chapter, plan: dict | None, warn=print) -> list[tuple[Section, str]]:
    """(section, role) in lecture order: the plan's, or the chapter's with checks and summary last."""
    if not plan or not plan.get("sections"):
        rank = {"check": 1, "summary": 2}
        return sorted(((s, s.role) for s in chapter.sections), key=lambda sr: rank.get(sr[1], 0))
    where = plan["_path"]
    picked: list[tuple[Section, str]] = []
    listed = []
    for entry in plan["sections"]:
        if isinstance(entry, str):
            heading, role = entry, None
        elif isinstance(entry, dict) and "heading" in entry:
            heading, role = entry["heading"], entry.get("role")
            unknown = set(entry) - {"heading", "role", "title"}
            if unknown:
                raise SlidesError(f"{where}: unknown keys {sorted(unknown)} for '{heading}' (heading, role, title)")
        else:
            raise SlidesError(f"{where}: a section is a heading or {{heading: …, role: …, title: …}}, not {entry!r}")
        if role is not None and role not in rules.ROLES[1:]:
            raise SlidesError(f"{where}: role '{role}' of '{heading}' is not one of {rules.ROLES[1:]}")
        sec = _find(chapter, heading, where)
        listed.append((sec, role))
    chosen = {id(s) for s, _ in listed}
    for sec, role in listed:
        picked.append((sec, role or sec.role))
        # its subsections (document order) unless the plan lists them itself
        for sub in chapter.sections:
            p = sub.parent
            while p is not None and p is not sec:
                p = p.parent
            if p is sec and id(sub) not in chosen:
                picked.append((sub, sub.role if sub.role != "idea" else (role or sub.role)))
                chosen.add(id(sub))
    for s in chapter.sections:
        if id(s) not in chosen:
            warn(f"    {chapter.stem}: section '{s.title}' is not in {Path(where).name}: left out of the deck")
    return picked


def slide_titles(chapter: Chapter, plan: dict | None) -> dict[int, str]:
    """id(section) -> the title its slides show instead of its heading (a plan's ``title``:
    for a heading that suits the book but not a lecture, such as "… in JupyterLab")."""
    titles = {}
    for entry in (plan or {}).get("sections") or []:
        if isinstance(entry, dict) and entry.get("title"):
            titles[id(_find(chapter, entry["heading"], plan["_path"]))] = str(entry["title"]).strip()
    return titles


def question_of(chapter: Chapter, plan: dict | None) -> str:
    """The question the lecture opens with: the plan's, else made from the first goal."""
    if plan and plan.get("question"):
        return str(plan["question"]).strip()
    if chapter.goals:
        goal = chapter.goals[0].strip().rstrip(";.,: ")
        masked = re.sub(r"\$[^$]*\$", lambda m: "\x00" * len(m.group(0)), goal)
        for sep in (": ", "; ", " — ", ", "):
            i = masked.find(sep)
            if i > 0 and (sep != ", " or len(goal[:i].split()) >= 4):
                goal = goal[:i]
                masked = masked[:i]
        return "How do we " + goal[:1].lower() + goal[1:] + "?"
    for item in chapter.intro:
        if item.kind in ("prose", "lead"):
            return rules.sentences(item.md)[0]
    return f"What is {chapter.title}?"


# ------------------------------------------------------------------ slides

def _bullet(text: str) -> str:
    return "- " + " ".join(text.split())


def _titled(title: str, body: str) -> str:
    return f"**{title}**\n\n{body}" if title else body


class _Flow:
    """Places pieces on the slides of one section: a slide that is full continues on a slide
    titled "… (continued)"; a piece after a fragment starts a new slide too (a fragment must
    stay the last thing revealed)."""

    def __init__(self, title: str, role: str, section: str, out: list[Slide], first_starts: bool = True):
        self.title, self.role, self.section, self.out = title, role, section, out
        self.cur: Slide | None = None
        self.n = 0
        self.first_starts = first_starts

    def slide(self, new: bool = False, title: str | None = None) -> Slide:
        if self.cur is None or new:
            cont = self.n > 0
            t = title or (self.title + (" (continued)" if cont else ""))
            self.cur = Slide(t, self.role, self.section, continued=cont,
                             starts_section=self.first_starts and not cont)
            self.n += 1
            self.out.append(self.cur)
        return self.cur

    def place(self, piece: Piece) -> Slide:
        s = self.slide()
        if s.pieces and (s.used + piece.height > rules.CAPACITY or (s.has_fragment and not piece.fragment)):
            lead_in = sum(p.height for p in s.pieces)
            if (all(p.bullet and p.source and not p.fragment for p in s.pieces) and lead_in <= rules.LEAD_IN_H
                    and rules.title_height(s.title) + piece.height <= rules.CAPACITY):
                # a sentence or two leading into a figure or table that needs the whole slide:
                # they are said (notes), the slide shows what they lead into
                for p in s.pieces:
                    if p.source not in s.notes:
                        s.notes.append(p.source)
                s.pieces.clear()
            else:
                old = s
                carry = []
                last = old.pieces[-1]
                if (len(old.pieces) > 1 and last.bullet and not last.fragment and _leads_in(last.md)
                        and rules.title_height(self.title + " (continued)") + last.height + piece.height
                        <= rules.CAPACITY):
                    carry = [old.pieces.pop()]  # "… learns" stays with the formula it leads into
                s = self.slide(new=True)
                for p in carry:
                    s.pieces.append(p)
                    if p.source in old.notes:
                        old.notes.remove(p.source)
                        s.notes.append(p.source)
        s.pieces.append(piece)
        return s


def _leads_in(md: str) -> bool:
    """A bullet that announces what follows ("… learns", "… formula:")."""
    text = re.sub(r"[*_`\s]+$", "", md)
    return text.endswith(":") or not re.search(r"[.!?)\]\"'”’$]$", text)


def _output_pieces(cell, fragment: bool) -> list[Piece]:
    """A code cell's outputs as pieces: one per output (a figure can then move to the next slide)."""
    pieces = []
    shown_code = rules.shows_input(cell)
    outs = cell.get("outputs", [])
    if shown_code:
        c = copy.deepcopy(cell)
        c["outputs"] = []
        pieces.append(Piece(cell=c, height=rules.PRE_LINE_H * (len(rules.cell_source(cell).splitlines()) + 1)
                            + rules.BLOCK_GAP, fragment=fragment))
    room = rules.CAPACITY - rules.TITLE_H - 20
    for out in outs:
        for part in [p for o in _stream_chunks(out, room) for p in prepare.split_table_output(o, room)]:
            c = copy.deepcopy(cell)
            c["outputs"] = [part]
            c.setdefault("metadata", {}).setdefault("tags", [])
            if shown_code:
                c["metadata"]["tags"] = [t for t in c["metadata"]["tags"] if t != rules.SHOW_CODE_TAG]
            pieces.append(Piece(cell=c, height=rules.output_height(part), fragment=fragment))
    return pieces


def _flow_section(sec: Section, role: str, out: list[Slide], title: str | None = None,
                  first_starts: bool = True):
    flow = _Flow(title or sec.title, role, sec.title, out, first_starts)
    for item in sec.items:
        if item.break_before and flow.cur is not None and flow.cur.pieces:
            flow.slide(new=True)
        if item.kind == "example":
            _example_slides(item, sec, out, title or sec.title)
            flow.cur = None
            flow.n = max(flow.n, 1)
            continue
        _place_item(item, flow)
    _fold_tail(flow)
    return flow


def _fold_tail(flow: _Flow):
    """A last slide holding only a short remark after a figure: the remark goes to the notes of
    the slide before it (the lecturer says it while the figure is up)."""
    mine = [s for s in flow.out if s.section == flow.section and s.role == flow.role]
    if len(mine) < 2 or flow.cur is None or flow.cur is not mine[-1]:
        return
    last, before = mine[-1], mine[-2]
    if (last.pieces and all(p.bullet and p.source and not p.fragment for p in last.pieces)
            and sum(p.height for p in last.pieces) <= rules.LEAD_IN_H and not before.has_fragment
            and flow.out[-1] is last):
        for p in last.pieces:
            if p.source not in before.notes:
                before.notes.append(p.source)
        before.notes += [n for n in last.notes if n not in before.notes]
        flow.out.pop()
        flow.cur = before


def _place_item(item: Item, flow: _Flow):
    k = item.kind
    if k == "notes":
        flow.slide().notes.append(item.md)
        return
    if k == "question":  # an exercise's question outside Exercises: shown whole
        flow.place(Piece(md=item.md, height=rules.text_height(item.md), fragment=item.fragment,
                         css="deck-question"))
        return
    if k in ("prose", "lead"):
        lead = rules.bold_lead(item.md) if k == "lead" else None
        if lead and re.search(r"[.:!?]$", lead[0]):
            rest = rules.sentences(lead[1])
            shown, more = f"**{lead[0]}** " + (rest[0] if rest else ""), len(rest) > 1
        else:
            sents = rules.sentences(item.md)
            shown, more = (sents[0] if sents else item.md), len(sents) > 1
        s = flow.place(Piece(md=_bullet(shown), height=rules.text_height(shown),
                             fragment=item.fragment, bullet=True, source=item.md))
        if more and item.md not in s.notes:
            s.notes.append(item.md)
        return
    if k == "bullets":  # item by item, so that a long list continues on the next slide
        for md in _list_chunks(item.md):
            flow.place(Piece(md=md, height=rules.text_lines(md) * rules.TEXT_LINE_H + rules.LIST_ITEM_GAP,
                             fragment=item.fragment, bullet=True))
    elif k == "table":  # row by row, the header repeated, when it does not fit one slide
        for md in _table_chunks(item.md, rules.CAPACITY - rules.TITLE_H - 2 * rules.TABLE_ROW_H):
            flow.place(Piece(md=md, height=rules.table_height(md), fragment=item.fragment))
    elif k == "math":
        flow.place(Piece(md=item.md, height=rules.math_height(item.md), fragment=item.fragment))
    elif k in ("code", "html") and item.cell is None:
        flow.place(Piece(md=item.md, height=rules.text_height(item.md), fragment=item.fragment))
    elif k == "callout":
        sents = rules.sentences(item.md.split("\n\n")[0])
        shown = sents[0] if sents else item.md
        md = _titled(item.title, shown)
        s = flow.place(Piece(md=md, height=rules.text_height(md) + 30, fragment=item.fragment,
                             css="deck-callout " + item.css))
        if shown.strip() != item.md.strip():
            s.notes.append(_titled(item.title, item.md))
    elif k == "answer":
        md = _titled(item.title or "Answer", item.md)
        flow.place(Piece(md=md, height=rules.text_height(md) + 30, fragment=True, css="deck-answer"))
    elif k in ("output", "code"):
        for p in _output_pieces(item.cell, item.fragment):
            flow.place(p)


def _example_slides(item: Item, sec: Section, out: list[Slide], shown: str | None = None):
    lead, rest = rules.bold_lead(item.md)
    name = re.sub(r"^\s*worked examples?\s*[:.—–-]?\s*", "", lead, flags=re.IGNORECASE).rstrip(". ")
    short = re.split(r":\s| — | – ", shown or sec.title, maxsplit=1)[0]
    title = "Worked example: " + (name or short)
    steps = rules.sentences(rest) or [rest]
    flow = _Flow(title, "example", sec.title, out, first_starts=False)
    for i, step in enumerate(steps):
        s = flow.place(Piece(md=_bullet(step), height=rules.text_height(step), fragment=i > 0,
                             css="deck-step", bullet=True))
        if item.md not in s.notes:
            s.notes.append(item.md)


def _exercises(sec: Section):
    """(questions, answers) pairs of an exercise section, and the items after the last one."""
    groups: list[tuple[list[Item], list[Item]]] = []
    rest: list[Item] = []
    pending: list[Item] = []
    for item in sec.items:
        if item.kind == "question":
            if pending:
                rest += pending
            pending = [item]
        elif item.kind == "answer":
            if pending:
                groups.append((pending, [item]))
                pending = []
            elif groups:
                groups[-1][1].append(item)
        elif item.kind in ("prose", "lead", "bullets", "math", "table", "code", "html") and pending:
            pending.append(item)
        elif item.kind in ("prose", "lead") and not groups:
            pending = [item]  # an unnumbered question: the prose before its answer
        else:
            rest += pending + [item]
            pending = []
    rest += pending
    return groups, rest


def _check_slides(sec: Section, title: str, out: list[Slide], extra=()):
    groups, rest = _exercises(sec)
    groups = groups + list(extra)
    n = len(groups)
    for i, (question, answers) in enumerate(groups, 1):
        t = f"{title} ({i}/{n})"
        flow = _Flow(t, "check", sec.title, out, first_starts=i == 1)
        for q in question:
            if q.kind in ("question", "prose", "lead"):
                flow.place(Piece(md=q.md, height=rules.text_height(q.md), css="deck-question"))
            else:
                _place_item(q, flow)
        for a in answers:
            md = _titled(a.title or "Answer", a.md)
            piece = Piece(md=md, height=rules.text_height(md) + 30, fragment=True, css="deck-answer")
            if flow.slide().used + piece.height > rules.CAPACITY:
                flow.slide(new=True, title=f"{t}: answer")
            flow.cur.pieces.append(piece)
    if rest:
        rest_sec = Section(sec.title, sec.level, items=rest, parent=sec.parent, role="check")
        _flow_section(rest_sec, "check", out, title=f"{title}: more practice" if n else title,
                      first_starts=not n)


def _question_slide(chapter: Chapter, plan: dict | None, out: list[Slide]):
    flow = _Flow(chapter.title, "question", chapter.title, out)
    s = flow.slide()
    s.level = 1
    q = question_of(chapter, plan)
    md = f"**Question:** {q}"
    s.pieces.append(Piece(md=md, height=rules.text_height(md, rules.QUESTION_CHARS, rules.QUESTION_LINE_H) + 50,
                          css="deck-lecture-question"))
    if chapter.goals:
        goals = "You will be able to:\n\n" + "\n".join(_bullet(g) for g in chapter.goals)
        s.pieces.append(Piece(md=goals, height=rules.text_height(goals, rules.GOALS_CHARS, rules.GOALS_LINE_H)
                              + 6 * len(chapter.goals), css="deck-goals"))
    for item in chapter.intro:
        if item.kind in ("prose", "lead", "notes"):
            s.notes.append(item.md)
        else:
            _place_item(item, flow)


def _plan_checks(chapter: Chapter, plan: dict | None) -> list:
    extra = []
    for i, entry in enumerate((plan or {}).get("checks") or [], 1):
        if not isinstance(entry, dict) or "question" not in entry or "answer" not in entry:
            raise SlidesError(f"{plan['_path']}: check {i} needs a question and an answer")
        where = f"{chapter.stem} (lecture plan {Path(plan['_path']).name})"
        q = substitute(str(entry["question"]), chapter.values, where)
        a = substitute(str(entry["answer"]), chapter.values, where)
        extra.append(([Item("question", q)], [Item("answer", a, title="Answer")]))
    return extra


def compose(chapter: Chapter, plan: dict | None = None, warn=print) -> list[Slide]:
    """The chapter's slides in lecture order (see the module docstring)."""
    out: list[Slide] = []
    _question_slide(chapter, plan, out)
    extra = _plan_checks(chapter, plan)
    done_extra = False
    order = ordered_sections(chapter, plan, warn)
    titles = slide_titles(chapter, plan)
    checks = [s for s, r in order if r == "check"]
    for sec, role in order:
        title = titles.get(id(sec), sec.title)
        if role == "check":
            last = sec is checks[-1]
            _check_slides(sec, title, out, extra if last else ())
            done_extra = done_extra or last
        else:
            if role == "summary" and extra and not done_extra:
                _check_slides(Section("Check", 2, role="check"), "Check", out, extra)
                done_extra = True
            _flow_section(sec, role, out, title=title)
    if extra and not done_extra:
        _check_slides(Section("Check", 2, role="check"), "Check", out, extra)
    return [s for s in out if s.pieces or s.role == "question"]
