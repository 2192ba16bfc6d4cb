"""MyST and glue simplified for a deck: what nbconvert's markdown renderer understands.

Glue roles and directives are replaced by the glued values stored in the notebook's outputs
(or another notebook's, for ``path.ipynb::key``), ``{math}`` becomes ``$…$``, cross-reference
roles keep their text, admonitions become quotes, targets and comments are dropped.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

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


class Glue:
    """Glued values by key: this notebook's, and another's for ``path.ipynb::key`` (read once)."""

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


def _role(glue: Glue, name: str, content: str) -> str:
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


def simplify_myst(text: str, glue: Glue) -> str:
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
