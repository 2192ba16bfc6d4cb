"""The numbers a reader sees in the built book, page by page — to compare two builds.

A refactoring must leave the book's numbers as they were (unless a change is a fix, which
its commit names).  This script reads every chapter page of a built book and writes, per
page, the visible text's numbers in order, plus the numbers inside the precomputed static
widgets (unpacked from their zlib payload) and the exercise banks' JSON.  Two such dumps are
compared line by line:

    python tools/book_numbers.py _build/html > after.txt
    python tools/book_numbers.py --compare before_html _build/html   # exit 1 and a diff if they differ

Scripts, styles and SVG drawings are left out of the text (their coordinates are not numbers a
reader reads); each number is taken with its thousands separators (``62,378,344``).
"""

from __future__ import annotations

import base64
import difflib
import json
import re
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path

NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
SKIP = {"script", "style", "svg", "head", "nav", "footer"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []
        self.json_blobs: list[str] = []
        self._json = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("type") == "application/json":
            self._json = True
        if tag in SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in SKIP and self.depth:
            self.depth -= 1
        if tag == "script":
            self._json = False

    def handle_data(self, data):
        if self._json:
            self.json_blobs.append(data)
        elif not self.depth:
            self.parts.append(data)


def _strip_tags(html: str) -> str:
    p = _Text()
    p.feed(html)
    return " ".join(p.parts)


def page_numbers(path: Path) -> list[str]:
    """Lines: ``text: n n n …`` for the visible text, then one line per widget/bank payload."""
    p = _Text()
    p.feed(path.read_text(encoding="utf-8"))
    main = " ".join(p.parts)
    lines = ["text: " + " ".join(NUMBER.findall(main))]
    for blob in p.json_blobs:
        try:
            data = json.loads(blob)
        except ValueError:
            continue
        if isinstance(data, dict) and "z" in data:  # a static widget: unpack the results
            table = json.loads(zlib.decompress(base64.b64decode(data["z"])).decode("utf-8"))
            texts = [_strip_tags("\n".join(table["t"][int(j)] for j in r.split(",")))
                     for r in table["r"]]
            lines.append("widget: " + " | ".join(" ".join(NUMBER.findall(t)) for t in texts))
        elif isinstance(data, dict) and "items" in data:  # an exercise bank
            for item in data["items"]:
                nums = NUMBER.findall(item.get("question", "") + " " + item.get("solution", ""))
                lines.append("bank: " + " ".join(nums))
    return lines


def dump(root: Path) -> dict[str, list[str]]:
    pages = sorted(p for p in root.rglob("*.html")
                   if "_static" not in p.parts and "slides" not in p.parts
                   and p.name not in ("search.html", "genindex.html"))
    return {str(p.relative_to(root)): page_numbers(p) for p in pages}


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--compare"] and len(args) == 3:
        a, b = dump(Path(args[1])), dump(Path(args[2]))
        bad = 0
        for page in sorted(set(a) | set(b)):
            if a.get(page) != b.get(page):
                bad += 1
                print(f"== {page}")
                for line in difflib.unified_diff(a.get(page, []), b.get(page, []), lineterm="", n=0):
                    print(line[:2000])
        print(f"{len(set(a) | set(b))} pages compared, {bad} differ")
        return 1 if bad else 0
    if len(args) != 1:
        print(__doc__)
        return 2
    for page, lines in dump(Path(args[0])).items():
        print(f"== {page}")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
