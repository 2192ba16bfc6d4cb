"""Read a model from the reader's own text: PyTorch or Keras code, or the playground's lines.

``parse_model(text, input_shape=None)`` returns a :class:`ParsedModel` (a
:class:`cnnlib.Sequential` that also knows the source line of each layer and carries notes);
``parse_result(text, input_shape=None)`` is the same as a dict that never raises, for a page.
Three kinds of text are read:

* **PyTorch** — one ``nn.Sequential(...)`` (or ``torch.nn.Sequential``, optionally assigned,
  nested Sequentials flattened, ``model.append(...)`` lines), layers with their torch
  arguments, positional or keyword; in_channels / in_features / num_features / num_channels
  are checked against what flows in (torch fails there too);
* **Keras** — ``keras.Sequential([...])`` (also ``models.`` / ``tf.keras.``), or
  ``model = keras.Sequential()`` and ``model.add(layers.X(...))`` lines, with
  ``keras.Input(shape=(H, W, C))`` or ``input_shape=`` on the first layer: channels last,
  turned into cnnlib's (C, H, W); ``activation='relu'`` adds an activation row;
* **the playground's lines** (``conv 32 3 s1 p0`` …), read by :func:`cnnlib.playground.parse`
  and built by :func:`cnnlib.playground.build` — a text is taken for playground lines when,
  outside comments, it has no bracket, ``=`` or ``:`` and no ``import`` line.

The input shape comes from ``input_shape`` (channels first, wins over the text), a line
``input 3 32 32`` (C H W; also ``input: (3, 32, 32)`` or ``3x32x32``), a comment
``# input: 3 32 32``, Keras' ``Input``/``input_shape``/``input_dim``, or — for a PyTorch
model that starts with ``nn.Linear(784, …)`` — the first layer's in_features.

Parameter counts follow PyTorch: a Keras BatchNormalization has 2·C parameters (γ, β); the
notes say that Keras' own total adds its 2·C moving statistics (non-trainable).

**The code is never run.**  It is parsed with :mod:`ast` and read by an allow-list: literals,
tuples and lists of them, unary minus and arithmetic on numbers (``+ - * / // % **``, sizes
bounded *before* computing, results below 10^300), the recognised layer constructors (the
tables :data:`cnnlib.frameworks.TORCH` and :data:`cnnlib.frameworks.KERAS`), the Sequential
calls above, and ``import`` lines of
torch / keras / tensorflow.  Anything else — another call, a name, attribute access outside
the recognised prefixes, lambdas, comprehensions, subscripts, f-strings, other statements —
is refused with a :class:`cnnlib.ShapeError` whose message starts with ``line N:`` (also
in its ``line`` attribute).  Before :func:`ast.parse` the text is bounded: at most
:data:`MAX_TEXT` characters and :data:`MAX_LINES` lines, :data:`MAX_CODE` characters of code
outside comments and blanks, brackets nested at most :data:`MAX_NESTING` deep, no control
or bidirectional-override characters and no non-ASCII character outside comments; the
parser's own RecursionError, MemoryError and SyntaxError become ShapeErrors too.

>>> m = parse_model('''
... # input: 3 32 32
... model = nn.Sequential(
...     nn.Conv2d(3, 16, kernel_size=3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2, 2),
...     nn.Flatten(), nn.Linear(16 * 16 * 16, 10))
... ''')
>>> m.output_shape, m.total_params
((10,), 41418)
>>> parse_model("nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(100, 10))")
Traceback (most recent call last):
  ...
cnnlib.errors.ShapeError: line 1: nn.Linear(100, 10) expects 100 inputs but receives 128 — line 1 (nn.ReLU()) gives 128; PyTorch would fail here too: use in_features=128
>>> k = parse_model("keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3, activation='relu')])")
>>> k.output_shape, [r.type for r in k.rows()]
((8, 26, 26), ['Input', 'Conv2d', 'ReLU'])
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import gc
import math
import operator
import re
import warnings
from dataclasses import dataclass

from .arithmetic import MAX_DIGITS
from .errors import ShapeError
from .facts import shape_str


def _tup(shape) -> str:
    """A channels-first shape as the book writes a tuple: (3, 32, 32)."""
    return "(" + ", ".join(map(str, shape)) + ")"
from .frameworks import (
    BATCHNORMS,
    FRAMEWORKS,
    KERAS,
    KERAS_INPUT,
    REQUIRED,
    TORCH,
    Refused,
    activation_layers,
    sig,
)
from .model import Sequential

__all__ = ["MAX_CODE", "MAX_DEPTH", "MAX_LAYERS", "MAX_LINES", "MAX_NESTING", "MAX_TEXT", "ParsedModel",
           "parse_model", "parse_result"]

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


# ------------------------------------------------------------------ reading the code

#: modules an import line may name (tensorflow.keras is read as keras)
_MODULES = {"torch", "torch.nn", "keras", "keras.layers", "keras.models", "tensorflow", "tensorflow.keras",
            "tensorflow.keras.layers", "tensorflow.keras.models"}
#: names known without an import line
_BINDINGS = {"nn": "torch.nn", "torch": "torch", "keras": "keras", "layers": "keras.layers",
             "models": "keras.models", "tf": "tensorflow"}
_SEQUENTIAL = (("torch", "Sequential"), ("keras", "Sequential"))


def _canonical(path: str):
    """'tensorflow.keras.layers.Conv2D' → ('keras', 'Conv2D'), 'torch.nn.Sequential' → ('torch', 'Sequential');
    None for anything else."""
    if path.startswith("tensorflow.keras."):
        path = path[len("tensorflow."):]
    head, _, last = path.rpartition(".")
    if head == "torch.nn" and (last in TORCH or last == "Sequential"):
        return "torch", last
    if head in ("keras", "keras.models") and last == "Sequential":
        return "keras", "Sequential"
    if (head in ("keras", "keras.layers") and last == "Input") or (head == "keras.layers" and last == "InputLayer"):
        return "keras", "Input"
    if head == "keras.layers" and last in KERAS:
        return "keras", last
    return None


@dataclass
class _Call:
    """One layer constructor as written: where, the source, and its arguments (defaults filled in)."""

    line: int
    src: str
    framework: str
    name: str
    args: dict


class _Reader:
    """Walks the module's statements and collects the layer calls in order; nothing is run."""

    def __init__(self, code: str):
        self.lines = code.split("\n")
        self._encoded = {}  # line index → its UTF-8 bytes (ast's columns count bytes)
        self.bindings = dict(_BINDINGS)
        self.framework = self.model_var = self.model_name = self.model_line = None
        self.calls: list[_Call] = []
        self.input = None  # (shape as written, channels last; line; source) from keras.Input / input_shape

    def read(self, tree) -> _Reader:
        for stmt in tree.body:
            try:
                self._statement(stmt)
            except Refused as e:
                raise _error(getattr(e, "line", None) or stmt.lineno, str(e)) from None
        if self.framework is None:
            raise _error(None, "no model found: write nn.Sequential(...) or keras.Sequential([...])")
        return self

    def _src(self, node, most: int = 70) -> str:
        """The node's source on one line, shortened (ast.get_source_segment re-splits the whole code
        on every call; this reads only the node's lines, and at most a few hundred bytes of them)."""
        first, last = node.lineno - 1, node.end_lineno - 1
        parts, size = [], 0
        for i in range(first, last + 1):
            raw = self._encoded.get(i)
            if raw is None:
                raw = self._encoded[i] = self.lines[i].encode()
            piece = raw[node.col_offset if i == first else 0: node.end_col_offset if i == last else None]
            parts.append(piece.decode(errors="replace"))
            size += len(piece)
            if size > 4 * most:
                break
        text = " ".join(" ".join(parts).split())
        return text if len(text) <= most else text[:most - 3] + "…"

    # -- statements
    def _statement(self, stmt):
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            return self._import(stmt)
        value = getattr(stmt, "value", None)
        if isinstance(value, ast.Call) and self._resolve(value.func, quiet=True) in _SEQUENTIAL:
            if isinstance(stmt, ast.Expr):
                return self._sequential(value, None)
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                return self._sequential(value, stmt.targets[0].id)
        if isinstance(stmt, ast.Expr) and isinstance(value, ast.Call) and self._method(value):
            return None
        if isinstance(stmt, ast.Expr) and isinstance(value, ast.Constant) and type(value.value) is str:
            return None  # a docstring: a literal, nothing to run
        if isinstance(stmt, ast.Expr):
            raise Refused(f"{self._src(value)} is not read ({_what(value)}); cnnlib reads one nn.Sequential(...) "
                           "or keras.Sequential(...), model.add(...) lines and imports")
        if isinstance(stmt, ast.Assign):
            raise Refused(f"{self._src(stmt)} is not read: the only assignment read is model = nn.Sequential(...) "
                           "or keras.Sequential(...)")
        raise Refused(f"{_what(stmt)} is not read; cnnlib reads one nn.Sequential(...) or keras.Sequential(...), "
                       "model.add(...) lines and imports")

    def _import(self, stmt):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.name not in _MODULES:
                    raise Refused(f"import {_short(alias.name)} is refused: only torch, keras and tensorflow imports "
                                   "are read")
                bound = alias.asname or alias.name.split(".")[0]
                self.bindings[bound] = alias.name if alias.asname else bound
            return
        module = stmt.module or ""
        if stmt.level or module not in _MODULES:
            raise Refused(f"from {'.' * min(stmt.level, 3)}{_short(module)} import … is refused: only torch, keras and "
                           "tensorflow imports are read")
        for alias in stmt.names:
            full = f"{module}.{alias.name}"
            if full not in _MODULES and _canonical(full) is None:
                raise Refused(f"from {_short(module)} import {_short(alias.name)} is refused: not a module or layer "
                              "cnnlib reads")
            self.bindings[alias.asname or alias.name] = full

    def _method(self, call) -> bool:
        """``model.add(layer)`` / ``model.append(layer)`` (read) and ``model.summary()`` (ignored)."""
        f = call.func
        if not (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and self.model_var
                and f.value.id == self.model_var):
            return False
        append = FRAMEWORKS[self.framework].append
        if f.attr == append and len(call.args) == 1 and not call.keywords:
            self._item(call.args[0], 0)
            return True
        if f.attr == "summary" and not call.args and not call.keywords:
            return True
        raise Refused(f"{self._src(call)} is not read: only {self.model_var}.{append}(layer) and "
                       f"{self.model_var}.summary() are")

    # -- names
    def _dotted(self, node, depth=0):
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute) and depth < 8:
            head = self._dotted(node.value, depth + 1)
            return None if head is None else f"{head}.{node.attr}"
        return None

    def _resolve(self, func, quiet=False):
        dotted = self._dotted(func)
        first, _, rest = (dotted or "").partition(".")
        found = None
        if dotted is not None and first in self.bindings:
            found = _canonical(self.bindings[first] + (f".{rest}" if rest else ""))
        if found is None and not quiet:
            if dotted is None:
                raise Refused(f"calling {self._src(func)} is not read: only layer constructors are")
            table = [*TORCH, *KERAS] if self.framework is None else FRAMEWORKS[self.framework].table
            close = difflib.get_close_matches(dotted.rpartition(".")[2], list(table), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise Refused(f"{_short(dotted)} is not a layer cnnlib reads{hint} (see cnnlib.frameworks.supported_names())")
        return found

    # -- the model and its layers
    def _sequential(self, call, var):
        framework, _ = self._resolve(call.func)
        if self.framework is not None:
            raise Refused(f"a second model (the first is on line {self.model_line}); cnnlib reads one Sequential "
                           "per text — put its layers in the first")
        self.framework, self.model_var, self.model_name, self.model_line = framework, var, var, call.lineno
        if framework == "torch":
            if call.keywords:
                raise Refused("nn.Sequential takes layers only, no keyword arguments")
            for arg in call.args:
                self._item(arg, 0)
            return
        layers = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "layers"), None)
        call = ast.Call(call.func, call.args[1:], [k for k in call.keywords if k.arg != "layers"])
        args = self._bind(sig(trainable=True, name=None), call, "keras.Sequential")
        if args["trainable"] is not True:
            raise Refused("keras.Sequential(trainable=…): cnnlib counts every parameter as trainable")
        if args["name"] is not None:
            self.model_name = str(args["name"])
        if layers is None or (isinstance(layers, ast.Constant) and layers.value is None):
            return
        if not isinstance(layers, (ast.List, ast.Tuple)):
            raise Refused(f"keras.Sequential takes a list of layers, not {_what(layers)}")
        for node in layers.elts:
            self._item(node, 0)

    def _item(self, node, depth):
        try:
            self._one_item(node, depth)
        except Refused as e:
            raise _at(e, node) from None

    def _one_item(self, node, depth):
        if depth > MAX_DEPTH:
            raise Refused(f"Sequentials nested more than {MAX_DEPTH} deep")
        if not isinstance(node, ast.Call):
            raise Refused(f"{self._src(node)} is not a layer: {_what(node)} is not read")
        framework, name = self._resolve(node.func)
        if framework != self.framework:
            raise Refused(f"{self._src(node)} is a {FRAMEWORKS[framework].name} layer inside a "
                           f"{FRAMEWORKS[self.framework].name} model")
        if name == "Sequential":
            if framework != "torch" or node.keywords:
                raise Refused("a Keras Sequential inside a Sequential is not read; list its layers instead")
            for arg in node.args:
                self._item(arg, depth + 1)
            return
        self._layer(node, framework, name, self._src(node))

    def _layer(self, node, framework, name, src):
        if name == "Input":
            if self.calls or self.input is not None:
                raise Refused(f"{src}: the input comes first, once")
            a = self._bind(KERAS_INPUT, node, src, positional=1)
            shape = next((s for s in (a["shape"], a["input_shape"]) if s is not None), None)
            if shape is None and isinstance(a["batch_shape"], (tuple, list)):
                shape = tuple(a["batch_shape"])[1:]
            self.input = (shape, node.lineno, src)
            return
        fw = FRAMEWORKS[framework]
        entry = fw.table[name]
        args = self._bind(entry.sig + fw.common, node, src, positional=len(entry.sig))
        shape, dim = args.pop("input_shape", None), args.pop("input_dim", None)
        if shape is not None or dim is not None:
            if self.calls or self.input is not None:
                raise Refused(f"{src}: input_shape/input_dim belongs to the first layer only")
            self.input = (shape if shape is not None else (dim,), node.lineno, src)
        if len(self.calls) >= MAX_LAYERS:
            raise Refused(f"more than {MAX_LAYERS:,} layers; cnnlib reads models up to that size")
        self.calls.append(_Call(node.lineno, src, framework, name, args))

    def _argument(self, src, name, node):
        try:
            return _value(node)
        except Refused as e:
            raise _at(Refused(f"{src}: argument {name}: {e}"), node) from None

    def _bind(self, signature, call, src, positional=None) -> dict:
        """The call's arguments by name, defaults filled in; refused where Python would refuse the call."""
        names = [n for n, _ in signature]
        positional = len(names) if positional is None else positional
        if len(call.args) > positional:
            raise Refused(f"{src} takes at most {positional} positional arguments, got {len(call.args)}")
        given = {}
        for name, node in zip(names, call.args):
            if isinstance(node, ast.Starred):
                raise Refused(f"{src}: unpacking (*) is not read")
            given[name] = self._argument(src, name, node)
        for kw in call.keywords:
            if kw.arg is None:
                raise Refused(f"{src}: unpacking (**) is not read")
            if kw.arg not in names:
                close = difflib.get_close_matches(kw.arg, names, n=1)
                raise Refused(f"{src} has no argument {_short(kw.arg)!r}" + (f" (did you mean {close[0]}?)" if close else ""))
            if kw.arg in given:
                raise Refused(f"{src} got {_short(kw.arg)!r} twice")
            given[kw.arg] = self._argument(src, kw.arg, kw.value)
        missing = [n for n, d in signature if d is REQUIRED and n not in given]
        if missing:
            raise Refused(f"{src} needs {', '.join(missing)}")
        return {n: given.get(n, d) for n, d in signature}


def _parse(code: str):
    """ast.parse, its errors (also RecursionError and MemoryError on hostile nesting) as ShapeErrors."""
    try:
        with warnings.catch_warnings():  # "invalid decimal literal" and the like: the text is refused anyway
            warnings.simplefilter("ignore")
            return ast.parse(code, mode="exec")
    except SyntaxError as e:
        raise _error(e.lineno, f"not valid Python: {e.msg}") from None
    except (RecursionError, MemoryError, ValueError, OverflowError):
        lines = code.split("\n")
        longest = max(range(len(lines)), key=lambda i: len(lines[i]))
        raise _error(longest + 1, "the expression is nested too deeply for Python's parser") from None


# ------------------------------------------------------------------ building the model


class ParsedModel(Sequential):
    """A :class:`cnnlib.Sequential` read from text.

    ``syntax`` is "pytorch", "keras" or "playground"; ``notes`` say what the reader should know
    about the conversion (also printed under :meth:`table`); ``source_lines`` maps each row name
    to the line of the text that made it.
    """

    def __init__(self, input_shape, layers, name=None, *, syntax="", notes=(), lines=()):
        super().__init__(input_shape, layers, name)
        self.syntax = syntax
        self.notes = tuple(notes)
        self.source_lines = {n: line for (n, _), line in zip(self.layers, lines)}

    def keras_params(self) -> dict:
        """What Keras' summary would show: trainable = cnnlib's params, non-trainable = the moving mean
        and variance of each BatchNorm (2·C), total = both."""
        moving = sum(2 * r.in_shape[0] for r in self.rows()
                     if isinstance(r.layer, tuple(BATCHNORMS.values())) and r.layer.track_running_stats)
        return {"trainable": self.total_params, "non_trainable": moving, "total": self.total_params + moving}

    def table(self, order: str = "HWC") -> str:
        return super().table(order) + "".join(f"\nNote: {n}" for n in self.notes)


def _channels_first(shape, line, src) -> tuple:
    values = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    if not values or len(values) > 4 or any(type(v) is not int or not 1 <= v < _LIMIT for v in values):
        raise _error(line, f"{src}: the input shape must be whole numbers ≥ 1 (channels last), got {shape!r} — "
                     "None (any size) cannot be counted: give the size")
    return (values[-1], *values[:-1]) if len(values) > 1 else values


def _unexpected(entry, call, shape, prev):
    """PyTorch's check of in_channels / in_features / num_features against the input: a message or None."""
    for arg, where in entry.expects.items():
        want, got = call.args[arg], (shape[0] if where == "channels" else shape[-1])
        if want != got:
            what = "input channels" if where == "channels" else "inputs"
            origin = f"line {prev.line} ({prev.src})" if prev else "the input"
            return (f"{call.src} expects {want} {what} but receives {got:,} — {origin} gives {shape_str(shape)}; "
                    f"PyTorch would fail here too: use {arg}={got}")
    return None


def _layers_of(call: _Call, shape) -> list:
    """The cnnlib layers of one framework call: arguments checked and converted, layers made."""
    entry = FRAMEWORKS[call.framework].table[call.name]
    a = dict(call.args)
    for arg, allowed in entry.only.items():
        if arg in a and a[arg] not in allowed:
            raise Refused(f"{arg}={a[arg]!r}: cnnlib reads {arg}={' or '.join(map(repr, allowed))} only")
    for arg, fn in entry.convert.items():
        a[arg] = fn(a[arg])
    for check in entry.checks:
        problem = check(a)
        if problem:
            raise Refused(problem)
    if entry.ranks and len(shape) not in entry.ranks:
        raise Refused(f"expects an input of {' or '.join(str(r + 1) for r in entry.ranks)} axes with the batch; "
                       f"this one is {shape_str(shape)}")
    if isinstance(entry.make, type):
        made = [entry.make(**{new: a[old] for old, new in entry.args.items()}, **entry.fixed)]
    else:
        made = list(entry.make(a, shape))
    if call.framework == "keras" and call.name != "Activation" and "activation" in a:
        made += activation_layers(a["activation"])
    return made


def _input_shape(reader, shape, where, notes):
    """The input shape: `shape` (from input_shape, or the text's `input` line on line `where`), Keras'
    Input / input_shape (which must agree with an `input` line), or a first nn.Linear's in_features."""
    first = reader.calls[0]
    if reader.input is not None and (shape is None or where is not None):
        raw, line, src = reader.input
        keras = _channels_first(raw, line, src)
        if shape is not None and keras != shape:
            raise _error(line, f"{src} is {_tup(keras)} channels first, but line {where} says the input is "
                         f"{_tup(shape)}; keep one")
        if shape is None and len(keras) > 1:
            notes.append(f"input: Keras' {tuple(raw)} is channels last (H, W, C); cnnlib's shape is "
                         f"{_tup(keras)}, channels first")
        shape = keras
    if shape is None and (first.framework, first.name) == ("torch", "Linear") and \
            type(first.args["in_features"]) is int and first.args["in_features"] >= 1:
        shape = (first.args["in_features"],)
        notes.append(f"input: ({shape[0]},) from the in_features of line {first.line}")
    if shape is None:
        raise _error(first.line, f"no input shape for {first.src}: add a line `input 3 32 32` (C H W, channels "
                     "first) or a comment `# input: 3 32 32`"
                     + (", or keras.Input(shape=(H, W, C)) first" if first.framework == "keras" else ""))
    return shape


def _build(reader: _Reader, shape, where, notes) -> ParsedModel:
    if not reader.calls:
        raise _error(reader.model_line, "the model has no layers")
    shape = _input_shape(reader, shape, where, notes)
    fw = FRAMEWORKS[reader.framework]
    start, layers, lines, prev = shape, [], [], None
    for call in reader.calls:
        entry = fw.table[call.name]
        try:
            made = _layers_of(call, shape)
            before = shape
            for layer in made:
                shape = layer.facts(shape).out_shape
        except (Refused, ShapeError) as e:
            raise _error(call.line, f"{call.src}: {e}") from None
        except (TypeError, ValueError, ArithmeticError) as e:  # an argument of a type no layer checks
            raise _error(call.line, f"{call.src}: {type(e).__name__}: {e}"[:400]) from None
        problem = _unexpected(entry, call, before, prev)
        if problem:
            raise _error(call.line, problem)
        if len(layers) + len(made) > MAX_LAYERS:
            raise _error(call.line, f"more than {MAX_LAYERS:,} layers; cnnlib reads models up to that size")
        layers += made
        lines += [call.line] * len(made)
        if call.framework == "keras" and call.name.startswith("Separable"):
            notes.append(f"line {call.line}: {call.name} is shown as its depthwise (groups = C, no bias) and "
                         "pointwise (1×1) convolutions")
        if call.framework == "keras" and call.name == "Dense" and len(before) > 1:
            notes.append(f"line {call.line}: Dense on a {shape_str(before)} map acts on the channels (Keras' last "
                         f"axis): counted as a 1×1 {type(made[0]).__name__}")
        prev = call
    model = ParsedModel(start, layers, reader.model_name, syntax=fw.syntax, notes=notes, lines=lines)
    keras = model.keras_params()
    if reader.framework == "keras" and keras["non_trainable"]:
        model.notes += ((f"Keras' own summary shows Total params: {keras['total']:,} — Trainable params: "
                         f"{keras['trainable']:,} plus Non-trainable params: {keras['non_trainable']:,}, the moving "
                         "mean and variance of each BatchNormalization (2·C). cnnlib counts parameters as PyTorch "
                         "does: γ and β (2·C), the moving statistics are buffers."),)
    return model


# ------------------------------------------------------------------ the playground's lines

_CODE_HINT = re.compile(r"[()\[\]{}=:]|^\s*(?:import|from)\s")


def _is_code(code: str) -> bool:
    """Python rather than playground lines: a bracket, '=' or ':' outside comments, or an import."""
    return any(_CODE_HINT.search(raw.split("#", 1)[0]) for raw in code.split("\n"))


def _from_playground(code: str, shape, where, notes) -> ParsedModel:
    from . import playground

    spec, message = playground.parse(code)
    if spec is None:
        n, _, rest = message.partition(": ")
        raise _error(int(n.split()[-1]) if n.startswith("line ") else None, rest or message)
    if len(spec) > MAX_LAYERS:
        raise _error(None, f"{len(spec):,} layers; cnnlib reads models up to {MAX_LAYERS:,}")
    lines = [n for n, raw in enumerate(code.split("\n"), 1) if playground.parse(raw)[0]]
    if not spec:
        raise _error(None, "no layers: write nn.Sequential(...), keras.Sequential([...]) or playground lines "
                     "such as `conv 32 3 s1 p1`")
    if shape is None:
        raise _error(lines[0], "no input shape: add a line `input 3 32 32` (C H W)")
    model, message = playground.build(shape, spec)
    if model is None:
        m = re.match(r"layer (\d+)", message)
        raise _error(lines[int(m.group(1)) - 1] if m else where, message)
    return ParsedModel(model.input_shape, model.layers, model.name, syntax="playground", notes=notes, lines=lines)


# ------------------------------------------------------------------ the API


def parse_model(text, input_shape=None) -> ParsedModel:
    """The model written in `text` (PyTorch, Keras or playground lines; see the module docstring).

    `input_shape` is channels first, (C, H, W), and wins over a shape in the text.  Raises
    :class:`cnnlib.ShapeError` ("line N: …", ``e.line`` = N) for anything it cannot or will
    not read, and for a layer that cannot run on its input.

    >>> parse_model("input 1 28 28\\nconv 8 3\\nrelu\\npool 2\\nflatten\\ndense 10").total_params
    13610
    """
    with _collector_paused():
        return _parse_model(text, input_shape)


@contextlib.contextmanager
def _collector_paused():
    """No garbage collection while reading: the parse makes tens of thousands of short-lived objects
    without cycles (AST nodes), and in a process with many live objects the full collections they
    trigger cost more than the parse (measured in pytest, 200,000 live objects: 40 → 280 ms)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _parse_model(text, input_shape) -> ParsedModel:
    text = _guard(text)
    code, declared, where = _declared_input(text)
    notes = []
    if input_shape is not None:  # wins over the text
        shape, where = _check_shape(input_shape), None
    else:
        shape = declared
        if declared:
            notes.append(f"input: {_tup(declared)}, channels first, from line {where}")
    _guard_code(code)
    if not _is_code(code):
        return _from_playground(code, shape, where, notes)
    return _build(_Reader(code).read(_parse(code)), shape, where, notes)


def parse_result(text, input_shape=None) -> dict:
    """:func:`parse_model` for a page: never raises.

    Returns ``{"ok", "message", "line", "model", "notes", "syntax"}``: on success ok=True, the
    model, its notes and syntax; otherwise ok=False, the message ("line 7: …") and its line
    (None when the problem has no single line).

    >>> r = parse_result("nn.Sequential(nn.Linear(10, 5), nn.Linear(4, 1))")
    >>> r["ok"], r["line"]
    (False, 1)
    """
    try:
        model = parse_model(text, input_shape)
    except ShapeError as e:
        return {"ok": False, "message": str(e), "line": getattr(e, "line", None), "model": None, "notes": [],
                "syntax": ""}
    except Exception as e:  # noqa: BLE001 — a page shows the message instead of breaking
        return {"ok": False, "message": f"{type(e).__name__}: {e}"[:400], "line": None, "model": None,
                "notes": [], "syntax": ""}
    return {"ok": True, "message": "", "line": None, "model": model, "notes": list(model.notes),
            "syntax": model.syntax}
