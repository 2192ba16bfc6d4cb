"""Exercises that check answers: generated from cnnlib, checked without re-deriving anything.

How a chapter ends (chapter authors add two cells at the end of a notebook)::

    # cell tagged "remove-input": the static bank, interactive in the built book
    from cnnlib.exercises import static_bank
    static_bank("conv_output", count=20, seed=1)

    # cell tagged "remove-output" (and "nbval-ignore-output"): the live widget, for JupyterLab
    from cnnlib.exercises import live
    live("conv_output", seed=1)

The static bank is a self-contained HTML + JavaScript block (no external resources, works
on file://, several per page): the questions, the stored answers and the worked solutions
are computed here, in Python, at build time.  The page's JavaScript only *canonicalises*
the reader's text (``CANON_JS``, the twin of :func:`canonicalise`) and looks the result up
in the precomputed set of accepted strings; no formula is re-implemented in JavaScript.
The live widget calls :func:`check`, which explains a wrong answer with the formula and
the reader's numbers.  Give both a ``seed`` so nbval sees the same output on every run.

Topics (:data:`TOPICS`): ``conv_output`` (ch. 1–2), ``conv_params`` (ch. 1), ``pool``
(ch. 3), ``dense`` (ch. 4), ``grouped`` and ``bottleneck`` (ch. 5), ``network`` (ch. 6–7).

Answer formats the checker accepts (each question says so):

* a shape as H×W×C, the order the papers print: ``55x55x96``, ``55×55×96``, ``55 x 55 x 96``;
* a shape channels-first, PyTorch's (C, H, W), in brackets: ``(96, 55, 55)``, ``[96,55,55]``
  (a bare ``96, 55, 55`` is read the same way);
* a number: ``62,378,344``, ``62378344``, ``62 378 344``, ``62_378_344``.

Test hooks in the static bank's HTML (all inside ``div.cnnlib-exercise``, whose
``data-cnnlib-bank`` is ``<topic>-<seed>-<count>``; the id is ``cnnlib-ex-`` + that, and
``data-ready="1"`` is set once its script has run; the same bank twice on a page works):

==========================  =================================================================
``data-role="number"``      the exercise number shown ("3" of 20)
``data-role="question"``    the question text (the format note in ``span.cnnlib-ex-note``)
``data-role="answers"``     the container of the answer rows
``data-role="answer-row"``  one per asked answer, ``data-answer="<name>"``
``data-role="answer-input"`` the text box of that answer (``data-answer="<name>"``)
``data-role="feedback"``    its feedback; ``data-state`` is ``correct``, ``wrong`` or ``format``
``data-role="check"``       the Check button (Enter in a box does the same)
``data-role="solution-button"`` shows/hides the worked solution
``data-role="solution"``    the worked solution (``hidden`` until asked for)
``data-role="next"``        the next exercise of the bank (cycles)
``data-role="bank-data"``   the JSON the page runs on
==========================  =================================================================

>>> ex = generate("conv_params", seed=3)
>>> value = ex.answers["parameters"]
>>> check(ex, "parameters", f"{value:,}").correct
True
>>> check(ex, "parameters", "lots").message.startswith("Could not read")
True
"""

from __future__ import annotations

import html
import json
import math
import random
import re
from dataclasses import dataclass, field

from .arithmetic import conv_formula, pool_formula
from .errors import ShapeError
from .layers import AvgPool2d, Conv2d, Dense, Flatten, MaxPool2d

__all__ = [  # noqa: RUF022 - grouped by purpose
    "TOPICS", "Exercise", "Feedback", "generate", "bank", "check", "check_all",
    "canonicalise", "accepted_readings", "hwc", "question_html", "feedback_html",
    "solution_html", "next_seed", "live", "static_bank", "StaticBank", "CANON_JS",
    "conv_output_exercise",
]

TOPICS = {
    "conv_output": "Output shape of a convolution (chapters 1–2)",
    "conv_params": "Parameters of a convolution (chapter 1)",
    "pool": "Output shape of a pooling layer (chapter 3)",
    "dense": "Flatten and a dense layer (chapter 4)",
    "grouped": "Grouped and depthwise convolutions (chapter 5)",
    "bottleneck": "A ResNet bottleneck block (chapter 5)",
    "network": "A small network, end to end (chapters 6–7)",
}

SHAPE_NOTE = ("Write a shape as H×W×C (height×width×channels, e.g. 55×55×96) "
              "or channels-first in brackets as PyTorch prints it, (C, H, W), e.g. (96, 55, 55).")
NUMBER_NOTE = "Write a number as 62,378,344, 62 378 344 or 62378344."

MESSAGES = {
    "empty": "Type an answer first.",
    "format": ("Could not read “{text}” as a number or a shape. Numbers: 62,378,344 or 62378344. "
               "Shapes: 55×55×96 (H×W×C) or (96, 55, 55) (C, H, W)."),
}


# ----------------------------------------------------------------- canonical forms

# The JavaScript twin of canonicalise(); tests run both on the same inputs with node.
CANON_JS = r"""function cnnlibCanon(text) {
  var s = String(text == null ? "" : text);
  s = s.replace(/[\u00d7\u2715\u2716xX*]/g, "x");
  s = s.replace(/[ \t\r\n\u00a0\u2009\u202f]/g, "").replace(/[_'\u2019]/g, "");
  if (!s) return {readings: [], error: "empty"};
  var bad = {readings: [], error: "format"};
  var strip0 = function (p) { return p.replace(/^0+(?=[0-9])/, ""); };
  var all = function (parts, re) {
    for (var i = 0; i < parts.length; i++) if (!re.test(parts[i])) return false;
    return true;
  };
  var tup = s.length >= 2 && "([".indexOf(s.charAt(0)) >= 0 && ")]".indexOf(s.charAt(s.length - 1)) >= 0;
  if (tup) s = s.slice(1, -1);
  if (/[()\[\]]/.test(s)) return bad;
  var parts;
  if (s.indexOf("x") >= 0) {
    parts = s.split("x");
    if (tup || !all(parts, /^([0-9]+|[0-9]{1,3}(,[0-9]{3})+)$/)) return bad;
    return {readings: ["x:" + parts.map(function (p) { return strip0(p.replace(/,/g, "")); }).join(",")],
            error: null};
  }
  if (tup) {
    if (s.charAt(s.length - 1) === ",") s = s.slice(0, -1);
    parts = s.split(",");
    if (!all(parts, /^[0-9]+$/)) return bad;
    return {readings: ["t:" + parts.map(strip0).join(",")], error: null};
  }
  if (/^[0-9]+$/.test(s)) return {readings: ["n:" + strip0(s)], error: null};
  parts = s.replace(/,$/, "").split(",");
  var t = "t:" + parts.map(strip0).join(",");
  if (/^[0-9]{1,3}(,[0-9]{3})+$/.test(s)) return {readings: ["n:" + strip0(s.replace(/,/g, "")), t], error: null};
  if (/^[0-9]+(,[0-9]+)+,?$/.test(s)) return {readings: [t], error: null};
  return bad;
}"""

_NUM_GROUPED = re.compile(r"[0-9]+|[0-9]{1,3}(,[0-9]{3})+")
_DIGITS = re.compile(r"[0-9]+")


def _strip0(p: str) -> str:
    return re.sub(r"^0+(?=[0-9])", "", p)


def canonicalise(text) -> tuple[tuple[str, ...], str | None]:
    """The reader's text → (readings, error); the Python twin of :data:`CANON_JS`.

    A reading is ``"n:<digits>"`` (a number), ``"x:a,b,c"`` (written with ×, read H×W×C)
    or ``"t:a,b,c"`` (a comma list, read channels-first).  Spaces, underscores and
    apostrophes are dropped; ``x``, ``X``, ``×`` and ``*`` all mean ×.  A bare
    ``62,378,344`` has two readings (a number and a list).  ``error`` is ``"empty"`` or
    ``"format"`` when there is no reading.

    >>> canonicalise("55 × 55 × 96")
    (('x:55,55,96',), None)
    >>> canonicalise("(96, 55, 55)")
    (('t:96,55,55',), None)
    >>> canonicalise("62,378,344")
    (('n:62378344', 't:62,378,344'), None)
    >>> canonicalise("lots")
    ((), 'format')
    """
    s = "" if text is None else str(text)
    s = re.sub("[\u00d7\u2715\u2716xX*]", "x", s)
    s = re.sub("[ \t\r\n\u00a0\u2009\u202f]", "", s)
    s = re.sub("[_'\u2019]", "", s)
    if not s:
        return (), "empty"
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
        return ("x:" + ",".join(map(str, hwc_tuple(value))), "t:" + ",".join(map(str, value)))
    return (f"n:{value}",)


def hwc_tuple(shape: tuple) -> tuple:
    """(C, H, W) → (H, W, C); other ranks unchanged."""
    return (*shape[1:], shape[0]) if len(shape) == 3 else tuple(shape)


def hwc(shape: tuple) -> str:
    """(96, 55, 55) → '55×55×96' (H×W×C, the order the papers print).

    >>> hwc((96, 55, 55))
    '55×55×96'
    """
    return "×".join(map(str, hwc_tuple(shape)))


def _shape_both(shape: tuple) -> str:
    return f"{hwc(shape)} (H×W×C), ({', '.join(map(str, shape))}) channels-first"


def _reading_shape(reading: str):
    """A shape reading → (C, H, W) tuple (x: is H×W×C, t: is C, H, W), else None."""
    kind, _, body = reading.partition(":")
    nums = tuple(int(x) for x in body.split(","))
    if kind == "x" and len(nums) == 3:
        return (nums[2], nums[0], nums[1])
    if kind == "t" and len(nums) == 3:
        return nums
    return None


# --------------------------------------------------------------------- exercises


@dataclass(frozen=True)
class Exercise:
    """One generated exercise; every number in it comes from cnnlib.

    ``answers`` maps an answer name ("output shape", "parameters", "flattened size") to
    its value: a channels-first tuple or an int.  ``working`` gives, per answer, the
    formula lines with this exercise's numbers and results, labelled ("height", "width",
    "channels" for a shape); ``hints`` the formula with the numbers but without the
    result; ``mistakes`` maps canonical readings of typical wrong answers to a diagnosis.
    """

    topic: str
    seed: int
    question: str
    layers: tuple
    in_shape: tuple
    answers: dict
    solution: str
    working: dict = field(repr=False)
    hints: dict = field(repr=False)
    mistakes: dict = field(repr=False)

    def kind(self, name: str) -> str:
        return "shape" if isinstance(self.answers[name], tuple) else "number"


@dataclass(frozen=True)
class Feedback:
    """The checker's verdict. ``reason``: correct, empty, unreadable, kind, mistake,
    wrong or unknown-answer."""

    correct: bool
    message: str
    reason: str = ""


def _n(x: int) -> str:
    return f"{x:,}"


def _chain_shapes(layers, in_shape):
    shapes = [tuple(in_shape)]
    for layer in layers:
        shapes.append(layer.output_shape(shapes[-1]))
    return shapes


class _Builder:
    """Collects an exercise's answers, working, hints and mistake readings."""

    def __init__(self, topic, seed, layers, in_shape):
        self.topic, self.seed, self.layers, self.in_shape = topic, seed, tuple(layers), tuple(in_shape)
        self.shapes = _chain_shapes(self.layers, self.in_shape)
        self.answers, self.working, self.hints, self.mistakes = {}, {}, {}, {}

    def answer(self, name, value, working, hint):
        self.answers[name] = value
        self.working[name] = tuple(working)
        self.hints[name] = hint
        self.mistakes[name] = {}

    def mistake(self, name, value, message):
        right = set(accepted_readings(self.answers[name]))
        for r in accepted_readings(value):
            if r not in right and r not in self.mistakes[name]:
                self.mistakes[name][r] = message

    def order_mistakes(self, name):
        """The right numbers in the wrong order: C×H×W written with ×, (H, W, C) in brackets."""
        c, h, w = self.answers[name]
        right = set(accepted_readings(self.answers[name]))
        for r, message in ((f"x:{c},{h},{w}", ("Right numbers, wrong order: written with × the book reads "
                            "H×W×C (height×width×channels); channels-first goes in brackets, (C, H, W).")),
                           (f"t:{h},{w},{c}", ("Right numbers, wrong order: in brackets the book reads "
                            "channels first, (C, H, W), as PyTorch prints it; H×W×C is written with ×."))):
            if r not in right:
                self.mistakes[name].setdefault(r, message)

    def build(self, question, solution) -> Exercise:
        kinds = {type(v) for v in self.answers.values()}
        notes = [SHAPE_NOTE] if tuple in kinds else []
        notes += [NUMBER_NOTE] if int in kinds else []
        return Exercise(self.topic, self.seed, question + "\n" + " ".join(notes), self.layers,
                        self.in_shape, dict(self.answers), solution, dict(self.working),
                        dict(self.hints), {k: dict(v) for k, v in self.mistakes.items()})


def _try(fn, *args, **kw):
    try:
        return fn(*args, **kw)
    except (ShapeError, ValueError, ZeroDivisionError):
        return None


def _conv_desc(c: Conv2d, c_in: int | None = None) -> str:
    kh, kw = c.kernel_size
    parts = [f"{c.out_channels} filters of size {kh}×{kw}", f"stride {c.stride[0]}", f"padding {c.padding[0]}"]
    if c.dilation[0] != 1:
        parts.append(f"dilation {c.dilation[0]}")
    if c.groups != 1:
        parts.append(f"groups {c.groups}")
    parts.append("with bias" if c.bias else "without bias")
    return ", ".join(parts)


def _input_desc(shape) -> str:
    return f"a {hwc(shape)} input (H×W×C; ({', '.join(map(str, shape))}) in PyTorch's order)"


def _conv_param_line(c: Conv2d, c_in: int) -> str:
    kh, kw = c.kernel_size
    per = c_in // c.groups
    cin = f"({c_in}/{c.groups})" if c.groups != 1 else f"{c_in}"
    w = c.out_channels * per * kh * kw
    if c.bias:
        return (f"k_h·k_w·(C_in/g)·C_out + C_out = {kh}·{kw}·{cin}·{c.out_channels} + {c.out_channels} "
                f"= {_n(w)} + {c.out_channels} = {_n(w + c.out_channels)}")
    return f"k_h·k_w·(C_in/g)·C_out = {kh}·{kw}·{cin}·{c.out_channels} = {_n(w)} (no bias)"


def _dim_line(layer, n: int, i: int) -> str:
    """The output-size formula of one layer along dimension i, numbers plugged in."""
    if isinstance(layer, Conv2d):
        if (layer.kernel_size[i], layer.stride[i], layer.padding[i]) == (1, 1, 0):
            return f"a 1×1 convolution keeps {n}"
        return conv_formula(n, layer.kernel_size[i], layer.stride[i], layer.padding[i], layer.dilation[i])
    s = layer.stride[i] if layer.stride is not None else layer.kernel_size[i]
    return pool_formula(n, layer.kernel_size[i], s, layer.padding[i], layer.dilation[i], layer.ceil_mode)


def _shape_working(b: _Builder, idx=None):
    """Working lines (height, width, channels) through the sliding-window layers."""
    lines = {"height": [], "width": []}
    channels = None
    for layer, shape in zip(b.layers, b.shapes):
        if isinstance(layer, (Conv2d, MaxPool2d, AvgPool2d)):
            for i, dim in enumerate(("height", "width")):
                lines[dim].append(_dim_line(layer, shape[1 + i], i))
            if isinstance(layer, Conv2d):
                channels = f"one output channel per filter: C_out = {layer.out_channels}"
            elif channels is None:
                channels = f"pooling works on each channel separately: C = {shape[0]}"
    out = b.shapes[-1]
    return (("height", "; then ".join(lines["height"])), ("width", "; then ".join(lines["width"])),
            ("channels", channels or f"C = {out[0]}"))


CONV_HINT = ("o = ⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1 for height and width with n = {n}, k = {k}, "
             "s = {s}, p = {p}, d = {d}; the output has one channel per filter.")


# -------------------------------------------------------------------- generators

CHANNELS = (3, 16, 32, 48, 64, 96, 128, 192, 256, 384, 512)


def _gen_conv_output(rng: random.Random, seed: int) -> Exercise:
    k = rng.choice((1, 3, 3, 3, 5, 5, 7, 11))
    s = rng.choice((1, 1, 2, 2, 2, 3, 4))
    p = rng.randint(0, k // 2 + (1 if rng.random() < 0.2 else 0))
    d = rng.choice((2, 3)) if k > 1 and rng.random() < 0.25 else 1
    h = rng.randint(5, 256)
    w = h if rng.random() < 0.8 else rng.randint(5, 256)
    c_in, c_out = rng.choice(CHANNELS), rng.choice(CHANNELS[1:])
    return conv_output_exercise(Conv2d(c_out, k, stride=s, padding=p, dilation=d), (c_in, h, w), seed)


def conv_output_exercise(layer: Conv2d, in_shape: tuple, seed: int = 0) -> Exercise:
    """The "output shape" exercise for one square-kernel Conv2d on a (C, H, W) input — the
    generator's, usable for an example from the text.  Raises ShapeError for an impossible layer.

    >>> ex = conv_output_exercise(Conv2d(128, 3, stride=2, padding=1), (64, 57, 57))
    >>> ex.answers["output shape"]
    (128, 29, 29)
    """
    k, s, p, d = layer.kernel_size[0], layer.stride[0], layer.padding[0], layer.dilation[0]
    c_in, h, w = in_shape
    c_out = layer.out_channels
    b = _Builder("conv_output", seed, [layer], tuple(in_shape))
    out = b.shapes[-1]
    b.answer("output shape", out, _shape_working(b),
             CONV_HINT.format(n=h if h == w else f"{h} (height), {w} (width)", k=k, s=s, p=p, d=d))

    def alt(message, **kw):
        args = {"out_channels": c_out, "kernel_size": k, "stride": s, "padding": p, "dilation": d} | kw
        shape = _try(lambda: Conv2d(**args).output_shape((c_in, h, w)))
        if shape is not None:
            b.mistake("output shape", shape, message)

    if p:
        alt(f"That is the shape without padding; the layer pads {p} on each side, so n + 2p = "
            f"{h} + 2·{p}.", padding=0)
    if d > 1:
        alt(f"That is the shape with a plain kernel; dilation {d} spreads the {k} taps over "
            f"d·(k − 1) + 1 = {d * (k - 1) + 1} pixels.", dilation=1)
    if s > 1:
        alt(f"That is the shape for stride 1; with stride {s} the division by s is needed.", stride=1)
    b.mistake("output shape", (c_out, out[1] - 1, out[2] - 1),
              "One short in height and width: the formula ends with + 1 (the first window).")
    ceil = tuple(math.ceil((n + 2 * p - d * (k - 1) - 1) / s) + 1 for n in (h, w))
    b.mistake("output shape", (c_out, *ceil), "Rounded up: a convolution rounds down (⌊ ⌋); "
              "a window that does not fit is dropped.")
    b.mistake("output shape", (c_in, *out[1:]), f"Height and width are right, but the channels "
              f"are the number of filters, {c_out}, not the input's {c_in}.")
    b.order_mistakes("output shape")
    q = (f"A convolution with {_conv_desc(layer)} is applied to {_input_desc(b.in_shape)}. "
         "What is the output shape?")
    sol = "\n".join([f"{lab}: {line}" for lab, line in b.working["output shape"]]
                    + [f"Output shape: {_shape_both(out)}."])
    return b.build(q, sol)


def _gen_conv_params(rng: random.Random, seed: int) -> Exercise:
    k = rng.choice((1, 1, 3, 3, 3, 5, 7, 11))
    c_in, c_out = rng.choice(CHANNELS), rng.choice(CHANNELS[1:])
    bias = rng.random() < 0.8
    n = rng.choice((7, 13, 14, 27, 28, 55, 56, 112, 224))
    layer = Conv2d(c_out, k, padding=k // 2, bias=bias)
    b = _Builder("conv_params", seed, [layer], (c_in, n, n))
    total = layer.params(b.in_shape)
    weights = layer.weights(b.in_shape)
    b.answer("parameters", total, [("parameters", _conv_param_line(layer, c_in))],
             f"weights k·k·C_in·C_out{' plus C_out biases' if bias else ' (no bias)'}, with k = {k}, "
             f"C_in = {c_in}, C_out = {c_out}.")
    if bias:
        b.mistake("parameters", weights, f"That counts the weights only; add one bias per filter, "
                  f"C_out = {c_out}.")
    else:
        b.mistake("parameters", weights + c_out, "The layer has no bias (bias=False, as before a "
                  "BatchNorm), so there are weights only.")
    b.mistake("parameters", k * c_in * c_out + (c_out if bias else 0),
              f"A {k}×{k} kernel has k·k = {k * k} weights per input channel, not k = {k}.")
    b.mistake("parameters", k * k * c_out + (c_out if bias else 0),
              f"Each filter spans all C_in = {c_in} input channels: k·k·C_in weights per filter.")
    b.mistake("parameters", k * k * c_in + (1 if bias else 0),
              f"That is one filter; the layer has C_out = {c_out} of them.")
    size = "A 1×1 (pointwise) convolution" if k == 1 else f"{'An' if k == 11 else 'A'} {k}×{k} convolution"
    q = (f"{size} with {c_out} filters, {'with' if bias else 'without'} bias, "
         f"padding {k // 2}, is applied to {_input_desc(b.in_shape)}. How many trainable "
         "parameters does it have?")
    sol = (f"{_conv_param_line(layer, c_in)}.\nThe input's height and width ({n}) do not matter: "
           f"the same {k}×{k}×{c_in} filter slides over every position.")
    return b.build(q, sol)


def _gen_grouped(rng: random.Random, seed: int) -> Exercise:
    variant = rng.choice(("grouped", "depthwise", "separable"))
    c_in = rng.choice((32, 64, 96, 128, 192, 256, 512))
    n = rng.choice((7, 14, 28, 56, 112))
    bias = rng.random() < 0.5
    if variant == "grouped":
        g = rng.choice([g for g in (2, 4, 8, 16, 32) if c_in % g == 0])
        c_out = rng.choice([c for c in (64, 128, 256, 512) if c % g == 0])
        layers = [Conv2d(c_out, 3, padding=1, groups=g, bias=bias)]
        what = f"A 3×3 convolution with {c_out} filters in {g} groups (groups={g}), padding 1"
    elif variant == "depthwise":
        m = rng.choice((1, 1, 2))
        k = rng.choice((3, 3, 5))
        layers = [Conv2d(c_in * m, k, padding=k // 2, groups=c_in, bias=bias)]
        what = (f"A depthwise {k}×{k} convolution (groups = C_in = {c_in}, {m} filter"
                f"{'s' if m > 1 else ''} per channel, so {c_in * m} output channels), padding {k // 2}")
    else:
        c_out = rng.choice((64, 128, 256, 512))
        layers = [Conv2d(c_in, 3, padding=1, groups=c_in, bias=bias), Conv2d(c_out, 1, bias=bias)]
        what = (f"A depthwise-separable convolution — a 3×3 depthwise convolution (groups = {c_in}), "
                f"padding 1, then a 1×1 convolution with {c_out} filters")
    b = _Builder("grouped", seed, layers, (c_in, n, n))
    total = sum(layer.params(s) for layer, s in zip(b.layers, b.shapes))
    lines = [(f"layer {i + 1}", _conv_param_line(layer, s[0]))
             for i, (layer, s) in enumerate(zip(b.layers, b.shapes))]
    if len(lines) > 1:
        lines.append(("total", " + ".join(_n(layer.params(s)) for layer, s in zip(b.layers, b.shapes))
                      + f" = {_n(total)}"))
    b.answer("parameters", total, lines,
             "each filter sees only C_in/g input channels: k·k·(C_in/g)·C_out weights"
             f"{' plus C_out biases' if bias else ' (no bias)'}, layer by layer.")
    dense = sum(layer.out_channels * s[0] * math.prod(layer.kernel_size) + (layer.out_channels if bias else 0)
                for layer, s in zip(b.layers, b.shapes))
    b.mistake("parameters", dense, "That is the count of an ordinary convolution (groups = 1): with "
              "groups, each filter sees only C_in/g input channels.")
    b.mistake("parameters", total - sum(layer.biases(s) for layer, s in zip(b.layers, b.shapes)) if bias
              else total + sum(layer.out_channels for layer in b.layers),
              "Check the biases: " + ("one per output channel of each layer." if bias else
                                      "this layer has none (bias=False)."))
    sol = "\n".join(f"{lab}: {line}" for lab, line in lines) + f"\nTotal: {_n(total)} parameters."
    q = f"{what}, {'with' if bias else 'without'} bias, on {_input_desc(b.in_shape)}. How many parameters?"
    return b.build(q, sol)


def _gen_pool(rng: random.Random, seed: int) -> Exercise:
    cls = rng.choice((MaxPool2d, MaxPool2d, AvgPool2d))
    k = rng.choice((2, 2, 3, 3, 3, 4, 5))
    s = rng.choice((None, None, 1, 2, 2, 3))
    p = rng.choice((0, 0, 0, 1, k // 2))
    ceil = rng.random() < 0.35
    h = rng.randint(4, 128)
    w = h if rng.random() < 0.85 else rng.randint(4, 128)
    c = rng.choice(CHANNELS)
    layer = cls(k, stride=s, padding=p, ceil_mode=ceil)
    b = _Builder("pool", seed, [layer], (c, h, w))
    out = b.shapes[-1]
    s_eff = k if s is None else s
    b.answer("output shape", out, _shape_working(b),
             f"o = {'⌈' if ceil else '⌊'}(n + 2p − (k − 1) − 1)/s{'⌉' if ceil else '⌋'} + 1 with "
             f"n = {h if h == w else f'{h}×{w}'}, k = {k}, s = {s_eff}, p = {p}"
             f"{' (ceil mode: drop a last window that would start in the right padding)' if ceil else ''}; "
             "the channels pass through.")

    def alt(message, **kw):
        args = {"kernel_size": k, "stride": s, "padding": p, "ceil_mode": ceil} | kw
        shape = _try(lambda: cls(**args).output_shape((c, h, w)))
        if shape is not None:
            b.mistake("output shape", shape, message)

    alt("That is the " + ("floor-mode result; ceil_mode=True rounds up (⌈ ⌉)." if ceil else
                          "ceil-mode result; by default pooling rounds down (⌊ ⌋)."), ceil_mode=not ceil)
    if p:
        alt(f"That is the shape without padding; the layer pads {p} on each side.", padding=0)
    if s is None and k > 1:
        alt(f"With no stride given, PyTorch's pooling uses stride = kernel size = {k}, not 1.", stride=1)
    b.order_mistakes("output shape")
    name = "max" if cls is MaxPool2d else "average"
    stride_txt = f"stride {s}" if s is not None else "no stride given (PyTorch's default)"
    q = (f"A {k}×{k} {name} pooling layer, {stride_txt}, padding {p}, ceil_mode={ceil}, is applied to "
         f"{_input_desc(b.in_shape)}. What is the output shape?")
    sol = "\n".join([f"{lab}: {line}" for lab, line in b.working["output shape"]]
                    + [f"Output shape: {_shape_both(out)}."])
    return b.build(q, sol)


def _gen_dense(rng: random.Random, seed: int) -> Exercise:
    c = rng.choice((16, 32, 64, 128, 256, 512))
    n = rng.choice((1, 2, 3, 4, 5, 6, 7, 8, 13, 14))
    units = rng.choice((10, 100, 128, 256, 512, 1000, 1024, 4096))
    bias = rng.random() < 0.85
    b = _Builder("dense", seed, [Flatten(), Dense(units, bias=bias)], (c, n, n))
    flat = b.shapes[1][0]
    params = b.layers[1].params(b.shapes[1])
    b.answer("flattened size", flat, [("flattened size", f"H·W·C = {n}·{n}·{c} = {_n(flat)}")],
             f"Flatten lines up every element: H·W·C with H = W = {n}, C = {c}.")
    b.mistake("flattened size", n * n, f"That is one channel; there are C = {c} of them.")
    b.mistake("flattened size", n * c, "Both height and width count: H·W·C.")
    b.mistake("flattened size", n + n + c, "Flattening multiplies the sizes: H·W·C.")
    pline = (f"in·out + out = {_n(flat)}·{units} + {units} = {_n(params)}" if bias
             else f"in·out = {_n(flat)}·{units} = {_n(params)} (no bias)")
    b.answer("parameters", params, [("parameters", pline)],
             f"a weight for every (input, output) pair{', plus one bias per output' if bias else ''}, "
             f"with {units} outputs.")
    if bias:
        b.mistake("parameters", flat * units, f"That counts the weights only; add {units} biases.")
    else:
        b.mistake("parameters", flat * units + units, "This dense layer has no bias (bias=False).")
    b.mistake("parameters", c * units + (units if bias else 0),
              f"The dense layer sees the flattened vector of {_n(flat)} values, not {c} channels.")
    q = (f"A {hwc(b.in_shape)} feature map (H×W×C; ({c}, {n}, {n}) in PyTorch's order) is flattened "
         f"and fed to a dense (fully connected) layer with {units} outputs, "
         f"{'with' if bias else 'without'} bias. How long is the flattened vector, and how many "
         "parameters does the dense layer have?")
    sol = (f"Flattened size: H·W·C = {n}·{n}·{c} = {_n(flat)}.\n"
           f"Dense parameters: {pline}.")
    return b.build(q, sol)


def _gen_bottleneck(rng: random.Random, seed: int) -> Exercise:
    c = rng.choice((256, 512, 1024, 2048))
    mid = c // 4
    c_in = rng.choice((c, c, c // 2, mid))  # the first block of a stage takes fewer channels
    n = rng.choice((56, 28, 14, 7))
    s = rng.choice((1, 2)) if n > 7 else 1
    layers = [Conv2d(mid, 1, bias=False), Conv2d(mid, 3, stride=s, padding=1, bias=False),
              Conv2d(c, 1, bias=False)]
    b = _Builder("bottleneck", seed, layers, (c_in, n, n))
    out = b.shapes[-1]
    total = sum(layer.params(sh) for layer, sh in zip(b.layers, b.shapes))
    b.answer("output shape", out, _shape_working(b),
             f"the 1×1 convolutions keep height and width; the 3×3 one has stride {s} and padding 1; "
             "the last layer's filters give the channels.")
    lines = [(f"conv {i + 1}", _conv_param_line(layer, sh[0]))
             for i, (layer, sh) in enumerate(zip(b.layers, b.shapes))]
    lines.append(("total", " + ".join(_n(layer.params(sh)) for layer, sh in zip(b.layers, b.shapes))
                  + f" = {_n(total)}"))
    b.answer("parameters", total, lines,
             f"k·k·C_in·C_out per convolution, no biases: 1×1 {c_in}→{mid}, 3×3 {mid}→{mid}, 1×1 {mid}→{c}.")
    b.mistake("parameters", total + 2 * mid + c, "These convolutions have no bias (each is followed "
              "by BatchNorm, whose parameters are not asked for).")
    b.mistake("parameters", 9 * c_in * c, f"That is a plain 3×3 convolution {c_in}→{c}; the bottleneck "
              "is three convolutions through {mid} channels.".replace("{mid}", str(mid)))
    b.mistake("parameters", c_in * mid + mid * mid + mid * c, "The middle convolution is 3×3: 3·3·C_in·C_out.")
    if s > 1:
        b.mistake("output shape", (c, n, n), "The 3×3 convolution has stride 2: it halves height and width.")
    b.mistake("output shape", (mid, *out[1:]), f"The last 1×1 convolution expands back to {c} channels.")
    q = (f"A ResNet bottleneck block on {_input_desc(b.in_shape)}: a 1×1 convolution to {mid} channels, "
         f"a 3×3 convolution with {mid} filters, stride {s}, padding 1, and a 1×1 convolution back to "
         f"{c} channels, all without bias. What is the output shape of the main path, and how many "
         "parameters do the three convolutions have (the shortcut not counted)?")
    sol = "\n".join([f"{lab}: {line}" for lab, line in b.working["output shape"]]
                    + [f"Output shape: {_shape_both(out)}."]
                    + [f"{lab}: {line}" for lab, line in lines])
    return b.build(q, sol)


def _gen_network(rng: random.Random, seed: int) -> Exercise:
    c_in = rng.choice((1, 3))
    n = rng.choice((28, 32, 48, 64, 96))
    layers, desc = [], []
    c = rng.choice((8, 16, 32))
    for _ in range(rng.choice((2, 2, 3))):
        k = rng.choice((3, 3, 5))
        p = rng.choice((0, k // 2))
        layers += [Conv2d(c, k, padding=p), MaxPool2d(2)]
        desc.append(f"conv {k}×{k}, {c} filters, padding {p}; max-pool 2×2 stride 2")
        c *= 2
    hidden = rng.choice((None, 64, 128, 256))
    classes = 10
    layers.append(Flatten())
    if hidden:
        layers.append(Dense(hidden))
        desc.append(f"flatten; dense {hidden}")
    else:
        desc.append("flatten")
    layers.append(Dense(classes))
    desc.append(f"dense {classes}")
    b = _Builder("network", seed, layers, (c_in, n, n))
    fi = next(i for i, layer in enumerate(b.layers) if isinstance(layer, Flatten))
    flat = b.shapes[fi + 1][0]
    total = sum(layer.params(sh) for layer, sh in zip(b.layers, b.shapes))
    rows, shape_rows = [], []
    for layer, sh, out in zip(b.layers, b.shapes, b.shapes[1:]):
        if isinstance(layer, Conv2d):
            shape_rows.append(f"conv {layer.kernel_size[0]}×{layer.kernel_size[0]} p{layer.padding[0]}: "
                              f"{conv_formula(sh[1], layer.kernel_size[0], 1, layer.padding[0])} → {hwc(out)}")
        elif isinstance(layer, MaxPool2d):
            shape_rows.append(f"max-pool 2×2: {pool_formula(sh[1], 2, 2)} → {hwc(out)}")
        elif isinstance(layer, Flatten):
            shape_rows.append("flatten: " + "·".join(map(str, hwc_tuple(sh))) + f" = {_n(out[0])}")
        if isinstance(layer, Conv2d):
            rows.append(f"{hwc(sh)} → conv {layer.kernel_size[0]}×{layer.kernel_size[0]} p{layer.padding[0]} "
                        f"→ {hwc(out)}; {_conv_param_line(layer, sh[0])}")
        elif isinstance(layer, MaxPool2d):
            rows.append(f"{hwc(sh)} → max-pool 2×2 → {hwc(out)} "
                        f"({pool_formula(sh[1], 2, 2)} per side); no parameters")
        elif isinstance(layer, Flatten):
            rows.append(f"{hwc(sh)} → flatten → {out[0]} = " + "·".join(map(str, hwc_tuple(sh))))
        else:
            rows.append(f"dense {sh[0]} → {out[0]}: in·out + out = {_n(sh[0])}·{out[0]} + {out[0]} "
                        f"= {_n(layer.params(sh))}")
    flat_shape = b.shapes[fi]
    b.answer("flattened size", flat, [("", r) for r in shape_rows],
             "follow the shape layer by layer with o = ⌊(n + 2p − (k − 1) − 1)/s⌋ + 1, then H·W·C.")
    b.answer("parameters", total, [("", r) for r in rows if "no parameters" not in r
                                   and "flatten" not in r] +
             [("total", " + ".join(_n(layer.params(sh)) for layer, sh in zip(b.layers, b.shapes)
                                   if layer.params(sh)) + f" = {_n(total)}")],
             "add k·k·C_in·C_out + C_out for every convolution and in·out + out for every dense layer; "
             "pooling and flatten have none.")
    no_pool = [layer for layer in b.layers if not isinstance(layer, MaxPool2d)]
    shapes = _try(_chain_shapes, no_pool[:no_pool.index(b.layers[fi]) + 1], b.in_shape)
    if shapes:
        b.mistake("flattened size", shapes[-1][0], "That skips the pooling layers: each 2×2 max-pool "
                  "halves height and width (rounding down).")
    b.mistake("flattened size", flat_shape[1] * flat_shape[2], f"That is one channel; the last "
              f"convolution has {flat_shape[0]}.")
    b.mistake("parameters", total - sum(layer.biases(sh) for layer, sh in zip(b.layers, b.shapes)),
              "That counts the weights only; every convolution and dense layer here has biases.")
    q = (f"A small network takes {_input_desc(b.in_shape)}: " + "; ".join(desc) + ". Convolutions have "
         "stride 1 and bias. How long is the flattened vector, and how many parameters does the network have?")
    sol = "\n".join(rows) + f"\nFlattened size: {_n(flat)}. Total parameters: {_n(total)}."
    return b.build(q, sol)


_GENERATORS = {
    "conv_output": _gen_conv_output,
    "conv_params": _gen_conv_params,
    "pool": _gen_pool,
    "dense": _gen_dense,
    "grouped": _gen_grouped,
    "bottleneck": _gen_bottleneck,
    "network": _gen_network,
}


def generate(topic: str, seed: int = 0) -> Exercise:
    """One exercise of `topic` (see :data:`TOPICS`), the same for the same seed.

    Draws layer settings with ``random.Random(f"{topic}:{seed}")`` and keeps drawing until
    cnnlib accepts the layer(s), so an exercise never describes an impossible layer.

    >>> ex = generate("conv_output", seed=0)
    >>> ex.answers["output shape"] == ex.layers[0].output_shape(ex.in_shape)
    True
    """
    if topic not in _GENERATORS:
        raise ValueError(f"unknown topic {topic!r}; choose one of {', '.join(TOPICS)}")
    rng = random.Random(f"{topic}:{seed}")
    for _ in range(1000):
        try:
            return _GENERATORS[topic](rng, seed)
        except ShapeError:
            continue
    raise RuntimeError(f"no valid {topic} exercise for seed {seed}")  # pragma: no cover


def bank(topic: str, count: int = 20, seed: int = 0) -> list[Exercise]:
    """`count` different exercises of `topic`: seeds seed·1000, seed·1000 + 1, … (duplicates skipped).

    >>> exercises = bank("dense", 5, seed=2)
    >>> len({e.question for e in exercises}), exercises[0].seed
    (5, 2000)
    """
    out, seen = [], set()
    s = seed * 1000
    while len(out) < count and s < seed * 1000 + 100 * count + 1000:
        ex = generate(topic, s)
        if ex.question not in seen:
            seen.add(ex.question)
            out.append(ex)
        s += 1
    return out


def next_seed(seed: int) -> int:
    """The seed of the exercise that "Another one" draws."""
    return seed + 1


# ----------------------------------------------------------------------- checker


def _kind_ok(reading: str, kind: str, value) -> bool:
    head, _, body = reading.partition(":")
    if kind == "number":
        return head == "n"
    return head in ("x", "t") and len(body.split(",")) == len(value)


def _kind_message(kind: str, value) -> str:
    if kind == "number":
        return "The answer is one number, like 62,378,344 (or 62378344)."
    return (f"The answer is a shape with {len(value)} numbers: H×W×C like 55×55×96, "
            "or channels-first in brackets like (96, 55, 55).")


def _correct_message(value) -> str:
    if isinstance(value, tuple):
        return f"Right: {_shape_both(value)}."
    return f"Right: {_n(value)}."


def _working_text(lines) -> str:
    return "\n".join(f"{lab}: {text}" if lab else text for lab, text in lines)


def check(exercise: Exercise, answer_name: str, text) -> Feedback:
    """Check the reader's `text` for one answer; never raises.

    Accepts the formats in :data:`SHAPE_NOTE` and :data:`NUMBER_NOTE`.  A wrong answer
    gets a diagnosis when it is a known mistake (no padding, no bias, wrong order, …) and
    the working with this exercise's numbers, comparing the reader's numbers one by one.
    """
    try:
        return _check(exercise, answer_name, text)
    except Exception as e:  # noqa: BLE001 - a checker must answer, not crash
        return Feedback(False, f"Could not check this answer ({type(e).__name__}).", "error")


def _check(ex: Exercise, name: str, text) -> Feedback:
    if name not in ex.answers:
        return Feedback(False, f"This exercise asks for {', '.join(ex.answers)}, not {name!r}.",
                        "unknown-answer")
    value, kind = ex.answers[name], ex.kind(name)
    readings, error = canonicalise(text)
    if error == "empty":
        return Feedback(False, MESSAGES["empty"], "empty")
    if error:
        return Feedback(False, MESSAGES["format"].replace("{text}", str(text).strip()), "unreadable")
    right = set(accepted_readings(value))
    if any(r in right for r in readings):
        return Feedback(True, _correct_message(value), "correct")
    working = _working_text(ex.working[name])
    for r in readings:
        if r in ex.mistakes[name]:
            return Feedback(False, f"Not quite. {ex.mistakes[name][r]}\n{working}", "mistake")
    usable = [r for r in readings if _kind_ok(r, kind, value)]
    if not usable:
        return Feedback(False, _kind_message(kind, value), "kind")
    if kind == "number":
        got = int(usable[0][2:])
        return Feedback(False, f"Not quite: you answered {_n(got)}.\n{working}", "wrong")
    got = _reading_shape(usable[0])
    parts = []
    labels = dict(ex.working[name])
    for label, mine, theirs in zip(("channels", "height", "width"), got, value):
        if mine == theirs:
            parts.append(f"{label}: {mine} is right.")
        else:
            parts.append(f"{label}: you answered {mine}; {labels[label]}.")
    order = "H×W×C" if usable[0].startswith("x") else "(C, H, W)"
    shown = hwc(got) if order == "H×W×C" else f"({', '.join(map(str, got))})"
    head = f"Not quite: you answered {shown}, read as {order}."
    return Feedback(False, head + "\n" + "\n".join(parts[1:] + parts[:1]), "wrong")


def check_all(exercise: Exercise, texts: dict) -> dict:
    """{answer name: Feedback} for the answers in `texts` (missing ones count as empty)."""
    return {name: check(exercise, name, texts.get(name, "")) for name in exercise.answers}


# ------------------------------------------------------------------- live widget


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def question_html(ex: Exercise) -> str:
    """The question as HTML for the live widget."""
    return (f'<div class="cnnlib-ex-question" style="font-size:1.05em;line-height:1.5">'
            f"<b>{html.escape(TOPICS[ex.topic])}</b> · exercise {ex.seed}<br>{_esc(ex.question)}</div>")


def feedback_html(feedbacks: dict) -> str:
    """{name: Feedback} → HTML, green for right, red for wrong."""
    rows = []
    for name, fb in feedbacks.items():
        colour = "#1e6b34" if fb.correct else ("#7a5200" if fb.reason in ("empty", "unreadable", "kind")
                                               else "#8a1c1c")
        mark = "✓" if fb.correct else "✗"
        rows.append(f'<div style="color:{colour};margin:.3em 0"><b>{mark} {html.escape(name)}:</b> '
                    f"{_esc(fb.message)}</div>")
    return "".join(rows)


def solution_html(ex: Exercise) -> str:
    """The worked solution as HTML."""
    return f'<div style="line-height:1.5"><b>Solution.</b><br>{_esc(ex.solution)}</div>'


def live(topic: str, seed: int | None = None):
    """An ipywidgets exercise for JupyterLab: question, one box per answer, Check,
    Show solution and Another one.  All logic is in :func:`generate`, :func:`check`
    and the ``*_html`` functions; this is wiring.  ``seed=None`` draws a random one."""
    import ipywidgets as w

    if seed is None:
        seed = random.SystemRandom().randrange(1_000_000)
    state = {"seed": seed, "ex": generate(topic, seed), "inputs": {}}
    question = w.HTML()
    rows = w.VBox()
    feedback = w.HTML()
    solution = w.HTML()
    check_b = w.Button(description="Check", button_style="primary")
    show_b = w.Button(description="Show solution")
    next_b = w.Button(description="Another one")

    def render():
        ex = state["ex"]
        question.value = question_html(ex)
        state["inputs"] = {name: w.Text(placeholder="55×55×96 or (96, 55, 55)" if ex.kind(name) == "shape"
                                        else "62,378,344", layout=w.Layout(width="16em"))
                           for name in ex.answers}
        rows.children = [w.HBox([w.Label(name, layout=w.Layout(width="9em")), box])
                         for name, box in state["inputs"].items()]
        feedback.value = solution.value = ""

    def on_check(_=None):
        texts = {name: box.value for name, box in state["inputs"].items()}
        feedback.value = feedback_html(check_all(state["ex"], texts))

    def on_show(_=None):
        solution.value = "" if solution.value else solution_html(state["ex"])

    def on_next(_=None):
        state["seed"] = next_seed(state["seed"])
        state["ex"] = generate(topic, state["seed"])
        render()

    check_b.on_click(on_check)
    show_b.on_click(on_show)
    next_b.on_click(on_next)
    render()
    box = w.VBox([question, rows, w.HBox([check_b, show_b, next_b]), feedback, solution])
    box.add_class("cnnlib-exercise")
    box.cnnlib_state = state
    return box


# ------------------------------------------------------------------- static bank

CSS = """
.cnnlib-exercise{border:1px solid #d0d7de;border-left:5px solid #2b6cb0;border-radius:6px;
 padding:1rem 1.25rem;margin:1.5rem 0;background:#f6f8fa;color:#1f2328;font-size:1.05rem;
 line-height:1.55;max-width:54rem}
.cnnlib-exercise .cnnlib-ex-head{display:flex;justify-content:space-between;gap:1rem;font-weight:600;
 color:#2b6cb0;margin-bottom:.5rem}
.cnnlib-exercise .cnnlib-ex-question{white-space:pre-line;margin:0 0 .75rem}
.cnnlib-exercise .cnnlib-ex-note{display:block;margin-top:.4rem;font-size:.9rem;color:#57606a}
.cnnlib-exercise .cnnlib-ex-row{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:.5rem 0}
.cnnlib-exercise .cnnlib-ex-row label{min-width:9.5rem;font-weight:600}
.cnnlib-exercise input{font:inherit;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
 padding:.35rem .6rem;border:1px solid #8c959f;border-radius:4px;width:16rem;max-width:100%;
 background:#fff;color:#1f2328}
.cnnlib-exercise input:focus{outline:2px solid #2b6cb0;outline-offset:1px}
.cnnlib-exercise .cnnlib-ex-feedback{flex-basis:100%;white-space:pre-line;padding:.4rem .7rem;
 border-radius:4px}
.cnnlib-exercise .cnnlib-ex-feedback:empty{display:none}
.cnnlib-exercise [data-state=correct]{background:#e6f4ea;color:#1e6b34;border-left:4px solid #2e8b57}
.cnnlib-exercise [data-state=wrong]{background:#fdecea;color:#8a1c1c;border-left:4px solid #c0392b}
.cnnlib-exercise [data-state=format]{background:#fff8e1;color:#6b4a00;border-left:4px solid #d4a017}
.cnnlib-exercise .cnnlib-ex-buttons{display:flex;flex-wrap:wrap;gap:.5rem;margin:.75rem 0 .25rem}
.cnnlib-exercise button{font:inherit;font-size:.95rem;padding:.35rem .9rem;border-radius:4px;cursor:pointer;
 border:1px solid #8c959f;background:#fff;color:#1f2328}
.cnnlib-exercise button:hover{background:#eef2f6}
.cnnlib-exercise button[data-role=check]{background:#2b6cb0;border-color:#2b6cb0;color:#fff}
.cnnlib-exercise button[data-role=check]:hover{background:#245a93}
.cnnlib-exercise .cnnlib-ex-solution{white-space:pre-line;background:#fff;border:1px solid #d0d7de;
 border-radius:4px;padding:.6rem .8rem;margin-top:.5rem}
.cnnlib-exercise .cnnlib-ex-solution::before{content:"Worked solution";display:block;font-weight:600;
 color:#2b6cb0}
html[data-theme=dark] .cnnlib-exercise{background:#1f242c;color:#e6edf3;border-color:#3d444d;
 border-left-color:#58a6ff}
html[data-theme=dark] .cnnlib-exercise .cnnlib-ex-head{color:#58a6ff}
html[data-theme=dark] .cnnlib-exercise .cnnlib-ex-note{color:#9da7b3}
html[data-theme=dark] .cnnlib-exercise input,html[data-theme=dark] .cnnlib-exercise button,
html[data-theme=dark] .cnnlib-exercise .cnnlib-ex-solution{background:#0d1117;color:#e6edf3}
"""

RUNTIME_JS = CANON_JS + r"""
function cnnlibInitBank(root) {
  root.setAttribute("data-ready", "1");
  var data = JSON.parse(root.querySelector('script[data-role="bank-data"]').textContent);
  var q = function (role) { return root.querySelector('[data-role="' + role + '"]'); };
  var rows = q("answers"), sol = q("solution"), solBtn = q("solution-button");
  var i = 0;
  function kindOk(r, a) {
    var head = r.split(":")[0], body = r.slice(2);
    if (a.kind === "number") return head === "n";
    return (head === "x" || head === "t") && body.split(",").length === a.dims;
  }
  function verdict(a, text) {
    var c = cnnlibCanon(text);
    if (c.error) return ["format", data.msg[c.error].replace("{text}", String(text).trim())];
    var k, ok = false;
    for (k = 0; k < c.readings.length; k++) if (a.accept.indexOf(c.readings[k]) >= 0) return ["correct", a.right];
    for (k = 0; k < c.readings.length; k++) {
      if (Object.prototype.hasOwnProperty.call(a.mistakes, c.readings[k])) {
        return ["wrong", "Not quite. " + a.mistakes[c.readings[k]] + " Try again, or show the solution."];
      }
      if (kindOk(c.readings[k], a)) ok = true;
    }
    if (!ok) return ["format", a.kindMsg];
    return ["wrong", "Not quite. Hint: " + a.hint + " Try again, or show the solution."];
  }
  function checkAll() {
    var item = data.items[i];
    for (var j = 0; j < item.answers.length; j++) {
      var a = item.answers[j];
      var row = rows.children[j];
      var v = verdict(a, row.querySelector('[data-role="answer-input"]').value);
      var fb = row.querySelector('[data-role="feedback"]');
      fb.setAttribute("data-state", v[0]);
      fb.textContent = (v[0] === "correct" ? "\u2713 " : "\u2717 ") + v[1];
    }
  }
  function render() {
    var item = data.items[i];
    q("number").textContent = String(i + 1);
    var qel = q("question"), cut = item.question.indexOf("\n");
    qel.textContent = cut < 0 ? item.question : item.question.slice(0, cut);
    if (cut >= 0) {
      var note = document.createElement("span");
      note.className = "cnnlib-ex-note";
      note.textContent = item.question.slice(cut + 1);
      qel.appendChild(note);
    }
    while (rows.firstChild) rows.removeChild(rows.firstChild);
    item.answers.forEach(function (a, j) {
      var row = document.createElement("div");
      row.className = "cnnlib-ex-row";
      row.setAttribute("data-role", "answer-row");
      row.setAttribute("data-answer", a.name);
      var id = root.id + "-a" + j;
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = a.name;
      var input = document.createElement("input");
      input.type = "text";
      input.id = id;
      input.autocomplete = "off";
      input.spellcheck = false;
      input.placeholder = a.placeholder;
      input.setAttribute("data-role", "answer-input");
      input.setAttribute("data-answer", a.name);
      input.addEventListener("keydown", function (e) { if (e.key === "Enter") checkAll(); });
      var fb = document.createElement("div");
      fb.className = "cnnlib-ex-feedback";
      fb.setAttribute("data-role", "feedback");
      fb.setAttribute("data-answer", a.name);
      fb.setAttribute("aria-live", "polite");
      row.appendChild(label); row.appendChild(input); row.appendChild(fb);
      rows.appendChild(row);
    });
    sol.textContent = item.solution;
    sol.hidden = true;
    solBtn.textContent = "Show solution";
    solBtn.setAttribute("aria-expanded", "false");
  }
  q("check").addEventListener("click", checkAll);
  solBtn.addEventListener("click", function () {
    sol.hidden = !sol.hidden;
    solBtn.textContent = sol.hidden ? "Show solution" : "Hide solution";
    solBtn.setAttribute("aria-expanded", sol.hidden ? "false" : "true");
  });
  q("next").addEventListener("click", function () { i = (i + 1) % data.items.length; render(); });
  render();
}
(function () {
  var roots = document.querySelectorAll(".cnnlib-exercise[data-cnnlib-bank]:not([data-ready])");
  for (var r = 0; r < roots.length; r++) cnnlibInitBank(roots[r]);
})();
"""


def _bank_item(ex: Exercise) -> dict:
    answers = []
    for name, value in ex.answers.items():
        kind = ex.kind(name)
        answers.append({
            "name": name,
            "kind": kind,
            "dims": len(value) if kind == "shape" else 1,
            "accept": list(accepted_readings(value)),
            "mistakes": ex.mistakes[name],
            "hint": ex.hints[name][0].upper() + ex.hints[name][1:],
            "right": _correct_message(value),
            "kindMsg": _kind_message(kind, value),
            "placeholder": "e.g. 55×55×96 or (96, 55, 55)" if kind == "shape" else "e.g. 62,378,344",
        })
    return {"question": ex.question, "answers": answers, "solution": ex.solution}


class StaticBank:
    """A bank of exercises as a self-contained HTML block (``_repr_html_``)."""

    def __init__(self, topic: str, exercises: list, seed: int):
        self.topic, self.exercises, self.seed = topic, exercises, seed
        self.key = f"{topic}-{seed}-{len(exercises)}"
        self.html = _bank_html(self)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"StaticBank({self.topic!r}, {len(self.exercises)} exercises, seed={self.seed})"


def _question_markup(question: str) -> str:
    main, _, note = question.partition("\n")
    return html.escape(main) + (f'<span class="cnnlib-ex-note">{html.escape(note)}</span>' if note else "")


def _bank_html(b: StaticBank) -> str:
    data = {"msg": MESSAGES, "items": [_bank_item(ex) for ex in b.exercises]}
    blob = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    blob = blob.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    first = b.exercises[0]
    rid = f"cnnlib-ex-{b.key}"
    return (
        f'<div class="cnnlib-exercise" id="{rid}" data-cnnlib-bank="{html.escape(b.key)}" '
        f'data-topic="{html.escape(b.topic)}">\n'
        f"<style>{CSS}</style>\n"
        f'<div class="cnnlib-ex-head"><span>{html.escape(TOPICS[b.topic])}</span>'
        f'<span>Exercise <span data-role="number">1</span> of {len(b.exercises)}</span></div>\n'
        f'<p class="cnnlib-ex-question" data-role="question">{_question_markup(first.question)}</p>\n'
        f'<div data-role="answers"></div>\n'
        f'<div class="cnnlib-ex-buttons"><button type="button" data-role="check">Check</button>'
        f'<button type="button" data-role="solution-button" aria-expanded="false">Show solution</button>'
        f'<button type="button" data-role="next">New exercise</button></div>\n'
        f'<div class="cnnlib-ex-solution" data-role="solution" hidden>{html.escape(first.solution)}</div>\n'
        f'<noscript>Checking answers needs JavaScript.</noscript>\n'
        f'<script type="application/json" data-role="bank-data">{blob}</script>\n'
        f"<script>{RUNTIME_JS}</script>\n</div>"
    )


def static_bank(topic: str, count: int = 20, seed: int = 0) -> StaticBank:
    """`count` pre-generated exercises of `topic` as an HTML block for the built book.

    The answers are computed now, in Python; the page only canonicalises the reader's
    text and looks it up.  The same arguments give byte-identical HTML.

    >>> b = static_bank("pool", count=3, seed=1)
    >>> b.html == static_bank("pool", count=3, seed=1).html, 'id="cnnlib-ex-pool-1-3"' in b.html
    (True, True)
    """
    return StaticBank(topic, bank(topic, count, seed), seed)
