"""What every exercise generator shares: the topics, the notes on answer formats, the
:class:`Exercise` record and the builder that collects answers, working, hints and mistakes."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..arithmetic import conv_formula, pool_formula
from ..errors import ShapeError
from ..layers import AvgPool2d, Conv2d, MaxPool2d
from ..model import Sequential
from ..shapes import shape_text
from .canon import accepted_readings

TOPICS = {
    "conv_output": "Output shape of a convolution",
    "conv_params": "Parameters of a convolution",
    "pool": "Output shape of a pooling layer",
    "dense": "Flatten and a dense layer",
    "grouped": "Grouped and depthwise convolutions",
    "bottleneck": "A ResNet bottleneck block",
    "network": "A small network, end to end",
    "transposed": "Output shape and parameters of a transposed convolution",
    "receptive_field": "Receptive field and jump of a chain of layers",
}

SHAPE_NOTE = ("Write a shape as H×W×C (height×width×channels, e.g. 55×55×96) "
              "or channels-first in brackets as PyTorch prints it, (C, H, W), e.g. (96, 55, 55); "
              "another order counts when you name it, e.g. 96×55×55 (C×H×W).")
NUMBER_NOTE = "Write a number as 62,378,344, 62 378 344 or 62378344."


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


def _n(x: int) -> str:
    return f"{x:,}"


def _chain_shapes(layers, in_shape) -> list:
    """The input shape and every layer's output shape, from a Sequential's rows."""
    return [r.out_shape for r in Sequential(in_shape, list(layers)).rows()]


class _Builder:
    """Collects an exercise's answers, working, hints and mistake readings."""

    def __init__(self, topic, seed, layers, in_shape):
        self.topic, self.seed, self.layers, self.in_shape = topic, seed, tuple(layers), tuple(in_shape)
        self.rows = Sequential(self.in_shape, list(self.layers)).rows()[1:]  # one per layer
        self.shapes = [self.in_shape] + [r.out_shape for r in self.rows]
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
                            "H×W×C (height×width×channels); channels-first goes in brackets, (C, H, W), "
                            "or name the order after the numbers: … (C×H×W).")),
                           (f"t:{h},{w},{c}", ("Right numbers, wrong order: in brackets the book reads "
                            "channels first, (C, H, W), as PyTorch prints it; H×W×C is written with ×, "
                            "or name the order after the numbers: … (H, W, C)."))):
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
    return f"a {shape_text(shape)} input (H×W×C; ({', '.join(map(str, shape))}) in PyTorch's order)"


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


#: the channel counts the generators draw from
CHANNELS = (3, 16, 32, 48, 64, 96, 128, 192, 256, 384, 512)
