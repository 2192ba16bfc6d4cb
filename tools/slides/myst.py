"""MyST simplified for a deck: roles replaced by plain text, markdown split into blocks.

* ``{eval}`name``` becomes the value that ``tools/execute_notebooks.py`` stored in the markdown
  cell's ``metadata.user_expressions`` (jupyterlab-myst's format): its ``text/latex`` as
  ``$…$`` when the value is a formula (``prose.math``), else its ``text/plain``, escaped for
  markdown.  A missing or failed value is a :class:`SlidesError` naming the chapter and the
  expression; a value that is a quoted Python string (``'55×55×96'``: a bare ``str`` instead
  of ``prose.text``) is unquoted and reported.
* ``{doc}`` becomes the title of the chapter or page it names, ``{term}``/``{ref}``/``{numref}``
  their text (a ``{ref}`` without one: the heading of its target), ``{cite}`` "[Author, year]"
  from ``book/references.bib``, ``{math}`` ``$…$``.  Glue roles are an error: the book has none.
* :func:`blocks` splits a cell's markdown into top-level blocks (markdown-it-py with MyST's
  colon fences, dollar math and targets, as ``tools/execute_notebooks.py`` parses it), each with
  its markdown source; a directive (``{admonition}``, ``{note}``, …) keeps its name, argument,
  options and body.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

from . import SlidesError

ROOT = Path(__file__).resolve().parent.parent.parent
BIB = ROOT / "book" / "references.bib"

_ROLE = re.compile(r"\{([a-zA-Z][\w:-]*)\}`([^`]*)`")
# a role, or a code span (left alone: `{eval}`x`` in code is not a role), scanning left to right
_ROLE_OR_CODE = re.compile(r"\{(?P<name>[a-zA-Z][\w:-]*)\}`(?P<content>[^`]*)`|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)",
                           re.DOTALL)
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")
_MD = (MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(myst_block_plugin)
       .use(myst_role_plugin).use(colon_fence_plugin).use(dollarmath_plugin))
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#$])")
_QUOTED_NUMBER = re.compile(r"""^(['"]).*\1$""", re.DOTALL)


# ------------------------------------------------------------------ values and roles

def stored_values(cell, chapter: str) -> dict[str, dict]:
    """The ``{eval}`` results stored in a markdown cell: expression -> mime bundle.

    A result whose status is not "ok" is an error naming the chapter and the expression.
    """
    values = {}
    for entry in (cell.get("metadata", {}) or {}).get("user_expressions", []) or []:
        expr = entry.get("expression", "")
        result = entry.get("result", {}) or {}
        if result.get("status") != "ok":
            detail = result.get("ename") or result.get("status") or "no result"
            raise SlidesError(f"{chapter}: {{eval}}`{expr}` failed when the chapter was executed "
                              f"({detail}: {result.get('evalue', '')}); fix it and run `make execute`")
        values[expr] = result.get("data", {}) or {}
    return values


def value_text(data: dict, chapter: str, expr: str, warn=None) -> str:
    """The markdown that shows one stored value: ``$latex$`` for a formula, else escaped text."""
    latex = "".join(data.get("text/latex", "")).strip()
    if latex:
        return latex if latex.startswith("$") else f"${latex}$"
    if "text/plain" not in data:
        raise SlidesError(f"{chapter}: {{eval}}`{expr}` has no text/plain value")
    text = "".join(data["text/plain"])
    if _QUOTED_NUMBER.match(text.strip()):
        try:
            unquoted = ast.literal_eval(text.strip())
        except (ValueError, SyntaxError):
            unquoted = None
        if isinstance(unquoted, str):
            if warn:
                warn(f"{chapter}: {{eval}}`{expr}` is a quoted Python string ({text.strip()}): "
                     "make it with cnnlib.book.prose (prose.text, prose.num, prose.shape)")
            text = unquoted
    return _MD_SPECIAL.sub(r"\\\1", text)


@dataclass
class Resolver:
    """What the roles other than {eval} need: titles of chapters, bib entries, labels."""

    nb_path: Path | None = None
    labels: dict[str, str] = field(default_factory=dict)  # (label)= target -> heading text

    def doc_title(self, target: str) -> str:
        if self.nb_path is None:
            return Path(target).name
        return _doc_title(str((self.nb_path.parent / target).resolve()))

    def ref_text(self, label: str) -> str:
        return self.labels.get(label, label)


@cache
def _doc_title(base: str) -> str:
    """The first ``#`` heading of a chapter notebook or markdown page (else its file name)."""
    import json

    p = Path(base)
    for cand in (p, p.with_suffix(".ipynb"), p.with_suffix(".md")):
        if not cand.is_file():
            continue
        if cand.suffix == ".ipynb":
            cells = json.loads(cand.read_text(encoding="utf-8")).get("cells", [])
            texts = ["".join(c.get("source", "")) for c in cells if c.get("cell_type") == "markdown"]
        else:
            texts = [cand.read_text(encoding="utf-8")]
        for text in texts:
            m = re.search(r"^#\s+(.+?)\s*$", text, re.MULTILINE)
            if m:
                return strip_roles(m.group(1))
    return p.name


@lru_cache(maxsize=1)
def _bib() -> dict[str, str]:
    """bib key -> "Author, year" (or a short title when there is no author)."""
    if not BIB.is_file():
        return {}
    text = BIB.read_text(encoding="utf-8")
    out = {}
    for m in re.finditer(r"@\w+\s*\{\s*([^,\s]+)\s*,(.*?)\n\}", text, re.DOTALL):
        key, body = m.group(1), m.group(2)
        fields = {f.lower(): v for f, v in re.findall(r"(\w+)\s*=\s*\{((?:[^{}]|\{[^{}]*\})*)\}", body)}
        year = fields.get("year", "").strip()
        year = "" if year in ("", "n.d.") else year
        author = fields.get("author", "").strip()
        if author:
            names = [a.strip() for a in author.split(" and ")]
            surnames = [(n.split(",")[0] if "," in n else n.split()[-1]).strip("{} ") for n in names]
            who = (surnames[0] if len(surnames) == 1 else
                   f"{surnames[0]} & {surnames[1]}" if len(surnames) == 2 else f"{surnames[0]} et al.")
        else:
            title = re.sub(r"[{}]", "", fields.get("title", key))
            who = title if len(title) <= 40 else title[:38].rsplit(" ", 1)[0] + "…"
        out[key] = f"{who}, {year}" if year else who
    return out


def cite_text(content: str) -> str:
    keys = [k.strip() for k in content.split(",") if k.strip()]
    bib = _bib()
    return "[" + "; ".join(bib.get(k, k) for k in keys) + "]"


def _shown_text(content: str) -> str | None:
    """``text <target>`` -> text (None without an explicit text)."""
    m = re.match(r"^(.*?)\s*<([^<>]*)>\s*$", content, re.DOTALL)
    return m.group(1) if m and m.group(1) else None


def strip_roles(text: str) -> str:
    """Roles reduced to their text, for headings and titles (no values, no lookups)."""
    return _ROLE.sub(lambda m: _shown_text(m.group(2)) or m.group(2), text)


def substitute(text: str, values: dict[str, dict], chapter: str, resolver: Resolver | None = None,
               warn=None) -> str:
    """Every role of ``text`` replaced by plain markdown (code spans are left alone)."""
    resolver = resolver or Resolver()

    def role(m):
        name, content = m.group("name"), m.group("content")
        if name is None:
            return m.group(0)  # a code span
        if name == "eval":
            expr = content.strip()
            if expr not in values:
                raise SlidesError(f"{chapter}: {{eval}}`{expr}` has no stored value in the cell's "
                                  "metadata.user_expressions; run `make execute` (or "
                                  "tools/execute_notebooks.py) on the chapter")
            return value_text(values[expr], chapter, expr, warn)
        if name.startswith("glue"):
            raise SlidesError(f"{chapter}: {{{name}}}`{content}`: glue is gone from the book; write "
                              "the value with {eval} and a values cell (DEVELOPERS.md)")
        if name == "math":
            return f"${content}$"
        if name == "doc":
            return _shown_text(content) or resolver.doc_title(content.strip())
        if name == "cite" or name.startswith("cite:"):
            return cite_text(content)
        if name in ("ref", "numref", "eq"):
            shown = _shown_text(content)
            return shown or resolver.ref_text(content.strip())
        return _shown_text(content) or content  # term, abbr, download, prf:ref, …

    # fenced blocks: a directive's fence lines are kept and its content substituted; a plain
    # code block (``` without {name}) is kept verbatim
    out, md, lines, i = [], [], text.split("\n"), 0
    open_fences: list[str] = []

    def flush():
        if md:
            out.append(_ROLE_OR_CODE.sub(role, "\n".join(md)))
            md.clear()

    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            md.append(lines[i])
            i += 1
            continue
        fence, info = m.group(1), m.group(2).strip()
        if not info and open_fences and fence[0] == open_fences[-1][0] and len(fence) >= len(open_fences[-1]):
            open_fences.pop()  # closes a directive
            flush()
            out.append(lines[i])
            i += 1
        elif info.startswith("{") and not re.match(r"^\{(code|code-block|code-cell|sourcecode)\}", info):
            open_fences.append(fence)
            flush()
            out.append(lines[i])
            i += 1
        else:  # a code block: verbatim up to its closing fence
            flush()
            j = i + 1
            while j < len(lines) and not re.match(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$", lines[j]):
                j += 1
            out.append("\n".join(lines[i:j + 1]))
            i = j + 1
    flush()
    return "\n".join(out)


# ------------------------------------------------------------------ blocks

@dataclass
class Block:
    """One top-level markdown block of a cell.

    kind: heading, paragraph, list, table, math, directive, code, html, quote, rule, target,
    comment.  ``md`` is its markdown source; a heading has ``level`` and ``text``; a directive
    has ``name`` ({admonition} → "admonition"), ``arg`` (its title), ``options`` and ``body``
    (the markdown inside, options removed); a target has ``text`` (the label).
    """

    kind: str
    md: str
    level: int = 0
    text: str = ""
    name: str = ""
    arg: str = ""
    options: dict = field(default_factory=dict)
    body: str = ""


_KINDS = {"heading_open": "heading", "paragraph_open": "paragraph", "bullet_list_open": "list",
          "ordered_list_open": "list", "table_open": "table", "math_block": "math",
          "math_block_label": "math", "amsmath": "math", "fence": "code", "colon_fence": "code",
          "html_block": "html", "blockquote_open": "quote", "hr": "rule", "code_block": "code",
          "myst_target": "target", "myst_line_comment": "comment", "myst_block_break": "rule",
          "front_matter": "comment"}


def _directive(info: str, content: str):
    m = re.match(r"^\{([\w:-]+)\}\s*(.*)$", info.strip())
    if not m:
        return None
    lines = content.splitlines()
    options = {}
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        for line in lines[1:end]:
            k, _, v = line.partition(":")
            options[k.strip()] = v.strip()
        lines = lines[end + 1:]
    else:
        while lines and re.match(r"^\s*:[\w-]+:", lines[0]):
            k, _, v = lines.pop(0).strip()[1:].partition(":")
            options[k.strip()] = v.strip()
    return m.group(1), m.group(2).strip(), options, "\n".join(lines).strip("\n")


def blocks(md: str) -> list[Block]:
    """The top-level blocks of a markdown text, in order, each with its own source."""
    lines = md.splitlines()
    out: list[Block] = []
    for tok in _MD.parse(md):
        if tok.level != 0 or tok.type not in _KINDS or tok.map is None:
            continue
        src = "\n".join(lines[tok.map[0]:tok.map[1]]).strip("\n")
        kind = _KINDS[tok.type]
        b = Block(kind, src)
        if kind == "heading":
            b.level = int(tok.tag[1])
            b.text = re.sub(r"^\s*#+\s*", "", src).strip()
        elif kind == "target":
            b.text = tok.content.strip()
        elif kind == "code" and tok.type in ("fence", "colon_fence"):
            d = _directive(tok.info, tok.content)
            if d:
                b.kind = "directive"
                b.name, b.arg, b.options, b.body = d
                if b.name in ("code", "code-block", "code-cell", "sourcecode"):
                    b.kind = "code"
        out.append(b)
    return out


def classes(block: Block) -> set[str]:
    return set(block.options.get("class", "").split())
