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

import contextlib
import gc
import re

from ..errors import ShapeError
from ..facts import shape_str
from ..frameworks import (
    BATCHNORMS,
    FRAMEWORKS,
    Refused,
    activation_layers,
)
from ..model import Sequential
from .reader import _Call, _parse, _Reader
from .text import (
    _LIMIT,
    MAX_CODE,
    MAX_DEPTH,
    MAX_LAYERS,
    MAX_LINES,
    MAX_NESTING,
    MAX_TEXT,
    _check_shape,
    _declared_input,
    _error,
    _guard,
    _guard_code,
    _tup,
)

__all__ = ["MAX_CODE", "MAX_DEPTH", "MAX_LAYERS", "MAX_LINES", "MAX_NESTING", "MAX_TEXT", "ParsedModel",
           "parse_model", "parse_result"]


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
    from .. import playground

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
    reader = _Reader(code).read(_parse(code))
    # Keras code with an `input` line that reads like (H, W, C) — 28 28 1, 224 224 3: the line is
    # C H W, as everywhere in cnnlib, so say so whether or not the model can be built
    channels_last = (input_shape is None and declared and len(declared) == 3 and reader.framework == "keras"
                     and declared[2] <= 4 < declared[0])
    if channels_last:
        notes.append(f"check the input: {_keras_input_advice(declared)}")
    try:
        return _build(reader, shape, where, notes)
    except ShapeError as e:
        if channels_last:
            hint = ShapeError(f"{e} — {_keras_input_advice(declared)}")
            hint.line = getattr(e, "line", None)
            raise hint from None
        raise


def _keras_input_advice(declared) -> str:
    """What to write when Keras code's `input` line may be channels last (Keras writes (H, W, C)).

    >>> _keras_input_advice((28, 28, 1))
    'the `input` line is read channels first (C H W); for a 28×28 image with 1 channel write `input 1 28 28`, or keras.Input(shape=(28, 28, 1)) as the first layer'
    """
    h, w, c = declared
    return (f"the `input` line is read channels first (C H W); for a {h}×{w} image with "
            f"{c} channel{'s' if c != 1 else ''} write `input {c} {h} {w}`, or "
            f"keras.Input(shape=({h}, {w}, {c})) as the first layer")


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
