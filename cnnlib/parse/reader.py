"""Reading the code: the allow-list walk over the :mod:`ast` of one Sequential model
(PyTorch or Keras), each layer call with its line."""

from __future__ import annotations

import ast
import difflib
import warnings
from dataclasses import dataclass

from ..frameworks import (
    FRAMEWORKS,
    KERAS,
    KERAS_INPUT,
    REQUIRED,
    TORCH,
    Refused,
    sig,
)
from .text import MAX_DEPTH, MAX_LAYERS, _at, _error, _short, _value, _what

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


