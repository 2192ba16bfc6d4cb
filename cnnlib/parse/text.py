"""The text before it is parsed: the limits, the guards (control and bidi characters, ASCII
outside comments, nesting), the input-shape line, and the literals that are evaluated —
never run."""

from __future__ import annotations

import ast
import math
import operator
import re

from ..arithmetic import MAX_DIGITS
from ..errors import ShapeError
from ..frameworks import (
    Refused,
)


def _tup(shape) -> str:
    """A channels-first shape as the book writes a tuple: (3, 32, 32)."""
    return "(" + ", ".join(map(str, shape)) + ")"


# ------------------------------------------------------------------ limits

#: characters of text read at all (1 MB); more is refused before anything else
MAX_TEXT = 1_000_000
#: lines of text
MAX_LINES = 10_000
#: characters of code outside comments and blanks: bounds the work of ast.parse (≈ 30 ms here)
MAX_CODE = 30_000
#: brackets ( [ { open at once (Python's own parser stops at 200)
MAX_NESTING = 50
#: nesting of one expression (arithmetic, tuples, nested Sequentials) as the reader walks it
MAX_DEPTH = 50
#: layers (rows) of one model
MAX_LAYERS = 1_000
_LIMIT = 10**MAX_DIGITS
_LIMIT_BITS = _LIMIT.bit_length()
_MAX_STRING = 100  # a string argument ('same', 'relu', …) longer than this is refused
_MAX_ITEMS = 16  # elements of one tuple or list argument

#: C0 controls (tab and newline excepted), DEL, line separators Python does not split on,
#: and the bidirectional overrides that make code read differently from how it parses
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u061c\u200e\u200f\u2028\u2029"
                        "\u202a-\u202e\u2066-\u2069\ufeff]")
_BRACKETS = re.compile(r"[()\[\]{}]")


def _at(e: Refused, node) -> Refused:
    """The refusal with the line of `node`, unless a deeper node already gave one."""
    if getattr(e, "line", None) is None:
        e.line = node.lineno
    return e


def _error(line, message: str) -> ShapeError:
    """The ShapeError for line `line` (``e.line``); a message quoting huge values is cut at 500 characters."""
    message = message if len(message) <= 500 else message[:499] + "…"
    e = ShapeError(f"line {line:,}: {message}" if line else message)
    e.line = line
    return e


def _short(text: str, most: int = 60) -> str:
    """A name from the text, shortened for a message (a hostile one can be 30,000 characters)."""
    return text if len(text) <= most else text[:most - 1] + "…"


def _line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _guard(text) -> str:
    """The text, newlines normalised, or a ShapeError for anything too big or strange to parse."""
    if not isinstance(text, str):
        raise _error(None, f"expected the model as text (str), got {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise _error(_line_at(text, MAX_TEXT), f"the text has more than {MAX_TEXT:,} characters (1 MB); cnnlib "
                     "reads models up to that size")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise _error(MAX_LINES + 1, f"the text has {lines:,} lines; cnnlib reads at most {MAX_LINES:,}")
    bad = _FORBIDDEN.search(text)
    if bad:
        raise _error(_line_at(text, bad.start()), f"the character U+{ord(bad.group()):04X} is not "
                     "allowed (control and bidirectional-override characters can hide what code does)")
    return text


def _guard_code(code: str) -> None:
    """Bound what ast.parse will see, line by line: plain ASCII outside comments, the characters of
    code, the nesting of brackets."""
    used = depth = 0
    for n, raw in enumerate(code.split("\n"), 1):
        part = raw.split("#", 1)[0]
        if not part.isascii():
            ch = next(c for c in part if not c.isascii())
            raise _error(n, f"the character {ch!r} (U+{ord(ch):04X}) is outside a comment: code is read in plain "
                         "ASCII (look-alike letters are refused)")
        used += len(part) - part.count(" ") - part.count("\t")
        if used > MAX_CODE:
            raise _error(n, f"more than {MAX_CODE:,} characters of code (outside comments and blanks); "
                         f"cnnlib reads models up to that size (about {MAX_LAYERS:,} layers)")
        for b in _BRACKETS.findall(part):
            depth = depth + 1 if b in "([{" else max(depth - 1, 0)
            if depth > MAX_NESTING:
                raise _error(n, f"brackets are nested more than {MAX_NESTING} deep")


# ------------------------------------------------------------------ the input shape in the text

#: "input", "input shape", "input_shape", then ":" or "=" — no nested quantifiers, so no backtracking
_INPUT_WORD = re.compile(r"input(?:[ _]?shape)?[ \t]*[:=]?", re.IGNORECASE)
_TOKENS = re.compile(r"[0-9]+|\S")
_SEPARATORS = (",", "x", "X", "×")


def _shape_at(tail: str):
    """The numbers that start `tail` — '3 32 32', '(3, 32, 32)', '3x32x32' — and the tokens after them;
    None when it does not start with one.  Reads at most 200 characters, token by token (a regex
    with nested quantifiers here took 26 s on a line of 1,000 spaces)."""
    toks = _TOKENS.findall(tail[:200])
    paren = toks[:1] == ["("]
    i, nums = int(paren), []
    while i < len(toks) and toks[i][0] in "0123456789" and len(nums) < 4:
        nums.append(int(toks[i]) if len(toks[i]) <= 9 else 0)
        i += 1
        if i + 1 < len(toks) and toks[i] in _SEPARATORS and toks[i + 1][0] in "0123456789":
            i += 1
    if not nums:
        return None
    i += toks[i:i + 1] == [","]
    if paren:
        if toks[i:i + 1] != [")"]:
            return None
        i += 1
    return tuple(nums), toks[i:]


def _declared(raw: str, n: int):
    """The shape an `input …` line or `# input: …` comment declares on line n, and whether the line is
    such an `input` line (blanked before the code is parsed)."""
    text = raw.lstrip()
    m = _INPUT_WORD.match(text)
    if m:
        body = text[m.end():].split("#", 1)[0].strip()
        if body[:1] and body[0] in "0123456789(":
            found = _shape_at(body) if len(body) <= 200 else None
            if found is None or found[1]:
                raise _error(n, f"an input line reads `input C H W` (up to four whole numbers, channels first), "
                             f"got {raw.strip()[:60]!r}")
            return found[0], True
    hash_at = raw.find("#")
    if hash_at >= 0:
        after = raw[hash_at + 1:].lstrip()
        m = _INPUT_WORD.match(after)
        found = _shape_at(after[m.end():]) if m else None
        if found and not (found[1] and found[1][0][0] in "0123456789"):
            return found[0], False
    return None, False


def _declared_input(text: str):
    """(code with `input …` lines blanked, shape or None, line or None)."""
    lines = text.split("\n")
    shape = where = None
    for n, raw in enumerate(lines, 1):
        if "input" not in raw.lower():
            continue
        found, statement = _declared(raw, n)
        if statement:
            lines[n - 1] = ""
        if found is None:
            continue
        if min(found) < 1:
            raise _error(n, f"input sizes must be whole numbers from 1 to 999,999,999, got "
                         f"{' '.join(map(str, found))}")
        if shape is not None and found != shape:
            raise _error(n, f"a second input shape {_tup(found)} differs from line {where}'s "
                         f"{_tup(shape)}")
        shape, where = found, n
    return "\n".join(lines), shape, where


def _check_shape(shape) -> tuple:
    try:
        values = tuple(shape)
    except TypeError:
        values = ()
    if not values or len(values) > 4 or any(type(v) is not int or not 1 <= v < _LIMIT for v in values):
        raise _error(None, f"input_shape must be whole numbers ≥ 1, channels first, such as (3, 224, 224); "
                     f"got {shape!r}"[:300])
    return values


# ------------------------------------------------------------------ literals, never run

_WHAT = {  # how a refused node is named in a message
    "Name": "a name (variables are not read: write the number)",
    "Attribute": "attribute access", "Call": "a call that is not a layer constructor",
    "Lambda": "a lambda", "ListComp": "a comprehension", "SetComp": "a comprehension",
    "DictComp": "a comprehension", "GeneratorExp": "a generator expression",
    "NamedExpr": "an assignment expression (:=)", "JoinedStr": "an f-string",
    "FormattedValue": "an f-string", "Subscript": "indexing", "Starred": "unpacking (*)",
    "Dict": "a dict", "Set": "a set", "BoolOp": "and/or", "Compare": "a comparison",
    "IfExp": "a conditional expression", "Await": "await", "Yield": "yield", "YieldFrom": "yield",
    "Slice": "a slice", "Constant": "a constant",
    "Import": "an import of a module other than torch, keras or tensorflow",
    "ImportFrom": "an import of a module other than torch, keras or tensorflow",
    "ClassDef": "a class definition", "FunctionDef": "a function definition",
    "AsyncFunctionDef": "a function definition", "For": "a loop", "AsyncFor": "a loop",
    "While": "a loop", "If": "an if statement", "With": "a with statement",
    "AsyncWith": "a with statement", "Try": "a try statement", "Raise": "raise",
    "Assert": "assert", "Delete": "del", "Global": "global", "Nonlocal": "nonlocal",
    "AugAssign": "an augmented assignment", "AnnAssign": "an annotated assignment",
    "Return": "return", "Pass": "pass", "Break": "break", "Continue": "continue",
    "Match": "a match statement",
}

#: the arithmetic read on numbers: ast operator → (symbol, function); ** is bounded apart (_power)
_OPS = {ast.Add: ("+", operator.add), ast.Sub: ("-", operator.sub), ast.Mult: ("*", operator.mul),
        ast.Div: ("/", operator.truediv), ast.FloorDiv: ("//", operator.floordiv), ast.Mod: ("%", operator.mod),
        ast.Pow: ("**", None)}


def _what(node) -> str:
    return _WHAT.get(type(node).__name__, type(node).__name__)


def _is_number(v) -> bool:
    return type(v) in (int, float)


def _bounded(v):
    if type(v) is int and -_LIMIT < v < _LIMIT:
        return v
    if type(v) is float and math.isfinite(v) and abs(v) < 1e300:
        return v
    if type(v) is complex:
        raise Refused("the result is a complex number")
    raise Refused(f"a number beyond 10^{MAX_DIGITS}")


def _power(a, b):
    if type(a) is int and type(b) is int and b >= 0:
        if abs(a) >= 2 and (b > _LIMIT_BITS or b * (abs(a).bit_length() - 1) > _LIMIT_BITS):
            raise Refused(f"a power beyond 10^{MAX_DIGITS}")
        return a**b
    if abs(b) > 1e6 and abs(a) > 1:
        raise Refused(f"a power beyond 10^{MAX_DIGITS}")
    return float(a) ** b


def _arith(op, a, b):
    """a op b on ints and floats, sizes bounded before computing (10**10**10 is refused at once)."""
    if op is ast.Mult and type(a) is int and type(b) is int and \
            a.bit_length() + b.bit_length() > _LIMIT_BITS + 1:
        raise Refused(f"a product beyond 10^{MAX_DIGITS}")
    try:
        return _bounded(_power(a, b) if op is ast.Pow else _OPS[op][1](a, b))
    except ZeroDivisionError:
        raise Refused("division by zero") from None
    except OverflowError:
        raise Refused(f"a number beyond 10^{MAX_DIGITS}") from None


def _value(node, depth: int = 0):
    """A literal argument: number, string, True/False/None, tuple or list of them, arithmetic."""
    if depth > MAX_DEPTH:
        raise Refused(f"an expression nested more than {MAX_DEPTH} deep")
    if isinstance(node, ast.Constant):
        v = node.value
        if v is None or type(v) in (bool, int, float):
            return _bounded(v) if _is_number(v) else v
        if type(v) is str:
            if len(v) > _MAX_STRING:
                raise Refused(f"a string of {len(v):,} characters")
            return v
        raise Refused(f"the constant {type(v).__name__} {str(v)[:20]!r}")
    if isinstance(node, (ast.Tuple, ast.List)):
        if len(node.elts) > _MAX_ITEMS:
            raise Refused(f"a {type(node).__name__.lower()} of {len(node.elts):,} items")
        items = [_value(e, depth + 1) for e in node.elts]
        return tuple(items) if isinstance(node, ast.Tuple) else items
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _value(node.operand, depth + 1)
        if not _is_number(v):
            raise Refused(f"a sign in front of {v!r}")
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        a, b = _value(node.left, depth + 1), _value(node.right, depth + 1)
        if not (_is_number(a) and _is_number(b)):
            raise Refused(f"{_OPS[type(node.op)][0]} on {type(a).__name__} and {type(b).__name__} "
                           "(arithmetic is read on numbers only)")
        return _arith(type(node.op), a, b)
    raise Refused(f"{_what(node)} is not read (only literals, arithmetic on numbers and layer "
                   "constructors are)")


