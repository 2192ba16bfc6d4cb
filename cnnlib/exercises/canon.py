"""Reading the reader's answer: the canonical forms both checkers compare.

:func:`canonicalise` turns text such as ``55 × 55 × 96``, ``(96, 55, 55)`` or ``62,378,344`` into
canonical *readings*; :func:`accepted_readings` lists the readings that mean a value.  The
page's JavaScript twin (``data/canon.js``, :data:`CANON_JS`) does exactly the same —
tests run both on the same thousands of strings with node — and nothing else: no formula
is computed in JavaScript.
"""

from __future__ import annotations

import re
from importlib import resources

from ..shapes import shape_text, shape_tuple

__all__ = ["CANON_JS", "accepted_readings", "canonicalise", "reading_shape", "shape_both"]

#: the JavaScript twin of :func:`canonicalise` (package data, loaded once)
CANON_JS = resources.files(__package__).joinpath("data/canon.js").read_text(encoding="utf-8")

_NUM_GROUPED = re.compile(r"[0-9]+|[0-9]{1,3}(,[0-9]{3})+")
_DIGITS = re.compile(r"[0-9]+")


def _strip0(p: str) -> str:
    return re.sub(r"^0+(?=[0-9])", "", p)


_LABEL = "([chwCHW](?:[x,]?[chwCHW]){2})"
_PREFIX = re.compile(_LABEL + "[:=](.*)")
_SUFFIX = re.compile(r"(.*)[(\[]" + _LABEL + r"[)\]]")


def canonicalise(text) -> tuple[tuple[str, ...], str | None]:
    """The reader's text → (readings, error); the Python twin of :data:`CANON_JS`.

    A reading is ``"n:<digits>"`` (a number), ``"x:a,b,c"`` (written with ×, read H×W×C)
    or ``"t:a,b,c"`` (a comma list, read channels-first).  Spaces, underscores and
    apostrophes are dropped; ``x``, ``X``, ``×`` and ``*`` all mean ×.  A bare
    ``62,378,344`` has two readings (a number and a list).  ``error`` is ``"empty"`` or
    ``"format"`` when there is no reading.

    Another order is read only when the answer says which: a label of the three letters
    C, H, W before a colon or in brackets after the numbers (``96×55×55 (C×H×W)``,
    ``CHW: 96, 55, 55``, ``(55, 55, 96) (H, W, C)``) turns three numbers into the
    channels-first reading ``"t:c,h,w"``.

    >>> canonicalise("55 × 55 × 96")
    (('x:55,55,96',), None)
    >>> canonicalise("(96, 55, 55)")
    (('t:96,55,55',), None)
    >>> canonicalise("62,378,344")
    (('n:62378344', 't:62,378,344'), None)
    >>> canonicalise("lots")
    ((), 'format')
    >>> canonicalise("96 × 55 × 55 (C×H×W)"), canonicalise("HWC: (55, 55, 96)")
    ((('t:96,55,55',), None), (('t:96,55,55',), None))
    """
    s = "" if text is None else str(text)
    s = re.sub("[\u00d7\u2715\u2716xX*]", "x", s)
    s = re.sub("[ \t\r\n\u00a0\u2009\u202f]", "", s)
    s = re.sub("[_'\u2019]", "", s)
    if not s:
        return (), "empty"
    m = _PREFIX.fullmatch(s)
    label, rest = (m.group(1), m.group(2)) if m else (None, None)
    if not m:
        m = _SUFFIX.fullmatch(s)
        label, rest = (m.group(2), m.group(1)) if m else (None, None)
    if label is not None:
        return _labelled(label, rest)
    return _plain(s)


def _labelled(label: str, rest: str):
    """Three numbers in the order a C/H/W label names → the channels-first reading."""
    order = re.sub("[x,]", "", label).lower()
    if "".join(sorted(order)) != "chw":
        return (), "format"
    readings, error = _plain(rest)
    shapes = [r for r in readings if r[0] in "xt" and r.count(",") == 2]
    if error or not shapes:
        return (), "format"
    nums = dict(zip(order, shapes[0][2:].split(",")))
    return (f"t:{nums['c']},{nums['h']},{nums['w']}",), None


def _plain(s: str):
    if not s:
        return (), "format"
    bad = ((), "format")
    tup = len(s) >= 2 and s[0] in "([" and s[-1] in ")]"
    if tup:
        s = s[1:-1]
    if re.search(r"[()\[\]]", s):
        return bad
    if "x" in s:
        parts = s.split("x")
        if tup or not all(_NUM_GROUPED.fullmatch(p) for p in parts):
            return bad
        return ("x:" + ",".join(_strip0(p.replace(",", "")) for p in parts),), None
    if tup:
        parts = s.removesuffix(",").split(",")
        if not all(_DIGITS.fullmatch(p) for p in parts):
            return bad
        return ("t:" + ",".join(map(_strip0, parts)),), None
    if _DIGITS.fullmatch(s):
        return ("n:" + _strip0(s),), None
    t = "t:" + ",".join(map(_strip0, re.sub(",$", "", s).split(",")))
    if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+", s):
        return ("n:" + _strip0(s.replace(",", "")), t), None
    if re.fullmatch(r"[0-9]+(,[0-9]+)+,?", s):
        return (t,), None
    return bad


def accepted_readings(value) -> tuple[str, ...]:
    """Canonical readings that mean `value`: a number, or a (C, H, W) shape in both orders.

    >>> accepted_readings((96, 55, 55))
    ('x:55,55,96', 't:96,55,55')
    >>> accepted_readings(62378344)
    ('n:62378344',)
    """
    if isinstance(value, tuple):
        return ("x:" + ",".join(map(str, shape_tuple(value))), "t:" + ",".join(map(str, value)))
    return (f"n:{value}",)


def shape_both(shape: tuple) -> str:
    """'55×55×96 (H×W×C), (96, 55, 55) channels-first'."""
    return f"{shape_text(shape)} (H×W×C), ({', '.join(map(str, shape))}) channels-first"


def reading_shape(reading: str):
    """A shape reading → (C, H, W) tuple (x: is H×W×C, t: is C, H, W), else None."""
    kind, _, body = reading.partition(":")
    nums = tuple(int(x) for x in body.split(","))
    if kind == "x" and len(nums) == 3:
        return (nums[2], nums[0], nums[1])
    if kind == "t" and len(nums) == 3:
        return nums
    return None


