"""Exercises generated from cnnlib: every number in a question, answer, hint or solution is
computed here, by building the layers as a :class:`cnnlib.Sequential` and reading its rows.

Topics (:data:`TOPICS`, named by what they ask, not by chapter number, since chapters move):
``conv_output``, ``conv_params``, ``pool``, ``dense``, ``grouped``, ``bottleneck``,
``network``, ``transposed`` and ``receptive_field``.
"""

from __future__ import annotations

import math
import random

from ..arithmetic import conv_formula, pool_formula
from ..errors import ShapeError
from ..layers import AvgPool2d, Conv2d, Dense, Flatten, MaxPool2d
from ..shapes import shape_text, shape_tuple
from .beyond import _gen_receptive_field, _gen_transposed, transposed_exercise
from .canon import shape_both
from .common import (
    CHANNELS,
    CONV_HINT,
    NUMBER_NOTE,
    SHAPE_NOTE,
    TOPICS,
    Exercise,
    _Builder,
    _chain_shapes,
    _conv_desc,
    _conv_param_line,
    _input_desc,
    _n,
    _shape_working,
    _try,
)

__all__ = ["NUMBER_NOTE", "SHAPE_NOTE", "TOPICS", "Exercise", "bank", "conv_output_exercise", "generate",
           "next_seed", "transposed_exercise"]

# -------------------------------------------------------------------- generators



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
                    + [f"Output shape: {shape_both(out)}."])
    return b.build(q, sol)


def _gen_conv_params(rng: random.Random, seed: int) -> Exercise:
    k = rng.choice((1, 1, 3, 3, 3, 5, 7, 11))
    c_in, c_out = rng.choice(CHANNELS), rng.choice(CHANNELS[1:])
    bias = rng.random() < 0.8
    n = rng.choice((7, 13, 14, 27, 28, 55, 56, 112, 224))
    layer = Conv2d(c_out, k, padding=k // 2, bias=bias)
    b = _Builder("conv_params", seed, [layer], (c_in, n, n))
    total = b.rows[0].params
    weights = b.rows[0].weights
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
    total = sum(r.params for r in b.rows)
    lines = [(f"layer {i + 1}", _conv_param_line(layer, s[0]))
             for i, (layer, s) in enumerate(zip(b.layers, b.shapes))]
    if len(lines) > 1:
        lines.append(("total", " + ".join(_n(r.params) for r in b.rows)
                      + f" = {_n(total)}"))
    b.answer("parameters", total, lines,
             "each filter sees only C_in/g input channels: k·k·(C_in/g)·C_out weights"
             f"{' plus C_out biases' if bias else ' (no bias)'}, layer by layer.")
    dense = sum(layer.out_channels * s[0] * math.prod(layer.kernel_size) + (layer.out_channels if bias else 0)
                for layer, s in zip(b.layers, b.shapes))
    b.mistake("parameters", dense, "That is the count of an ordinary convolution (groups = 1): with "
              "groups, each filter sees only C_in/g input channels.")
    b.mistake("parameters", total - sum(r.biases for r in b.rows) if bias
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
                    + [f"Output shape: {shape_both(out)}."])
    return b.build(q, sol)


def _gen_dense(rng: random.Random, seed: int) -> Exercise:
    c = rng.choice((16, 32, 64, 128, 256, 512))
    n = rng.choice((1, 2, 3, 4, 5, 6, 7, 8, 13, 14))
    units = rng.choice((10, 100, 128, 256, 512, 1000, 1024, 4096))
    bias = rng.random() < 0.85
    b = _Builder("dense", seed, [Flatten(), Dense(units, bias=bias)], (c, n, n))
    flat = b.shapes[1][0]
    params = b.rows[1].params
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
    q = (f"A {shape_text(b.in_shape)} feature map (H×W×C; ({c}, {n}, {n}) in PyTorch's order) is flattened "
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
    total = sum(r.params for r in b.rows)
    b.answer("output shape", out, _shape_working(b),
             f"the 1×1 convolutions keep height and width; the 3×3 one has stride {s} and padding 1; "
             "the last layer's filters give the channels.")
    lines = [(f"conv {i + 1}", _conv_param_line(layer, sh[0]))
             for i, (layer, sh) in enumerate(zip(b.layers, b.shapes))]
    lines.append(("total", " + ".join(_n(r.params) for r in b.rows)
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
                    + [f"Output shape: {shape_both(out)}."]
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
    total = sum(r.params for r in b.rows)
    rows, shape_rows = [], []
    for layer, row, sh, out in zip(b.layers, b.rows, b.shapes, b.shapes[1:]):
        if isinstance(layer, Conv2d):
            shape_rows.append(f"conv {layer.kernel_size[0]}×{layer.kernel_size[0]} p{layer.padding[0]}: "
                              f"{conv_formula(sh[1], layer.kernel_size[0], 1, layer.padding[0])} → {shape_text(out)}")
        elif isinstance(layer, MaxPool2d):
            shape_rows.append(f"max-pool 2×2: {pool_formula(sh[1], 2, 2)} → {shape_text(out)}")
        elif isinstance(layer, Flatten):
            shape_rows.append("flatten: " + "·".join(map(str, shape_tuple(sh))) + f" = {_n(out[0])}")
        if isinstance(layer, Conv2d):
            rows.append(f"{shape_text(sh)} → conv {layer.kernel_size[0]}×{layer.kernel_size[0]} p{layer.padding[0]} "
                        f"→ {shape_text(out)}; {_conv_param_line(layer, sh[0])}")
        elif isinstance(layer, MaxPool2d):
            rows.append(f"{shape_text(sh)} → max-pool 2×2 → {shape_text(out)} "
                        f"({pool_formula(sh[1], 2, 2)} per side); no parameters")
        elif isinstance(layer, Flatten):
            rows.append(f"{shape_text(sh)} → flatten → {out[0]} = " + "·".join(map(str, shape_tuple(sh))))
        else:
            rows.append(f"dense {sh[0]} → {out[0]}: in·out + out = {_n(sh[0])}·{out[0]} + {out[0]} "
                        f"= {_n(row.params)}")
    flat_shape = b.shapes[fi]
    b.answer("flattened size", flat, [("", r) for r in shape_rows],
             "follow the shape layer by layer with o = ⌊(n + 2p − (k − 1) − 1)/s⌋ + 1, then H·W·C.")
    b.answer("parameters", total, [("", r) for r in rows if "no parameters" not in r
                                   and "flatten" not in r] +
             [("total", " + ".join(_n(r.params) for r in b.rows if r.params) + f" = {_n(total)}")],
             "add k·k·C_in·C_out + C_out for every convolution and in·out + out for every dense layer; "
             "pooling and flatten have none.")
    no_pool = [layer for layer in b.layers if not isinstance(layer, MaxPool2d)]
    shapes = _try(_chain_shapes, no_pool[:no_pool.index(b.layers[fi]) + 1], b.in_shape)
    if shapes:
        b.mistake("flattened size", shapes[-1][0], "That skips the pooling layers: each 2×2 max-pool "
                  "halves height and width (rounding down).")
    b.mistake("flattened size", flat_shape[1] * flat_shape[2], f"That is one channel; the last "
              f"convolution has {flat_shape[0]}.")
    b.mistake("parameters", total - sum(r.biases for r in b.rows),
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
    "transposed": _gen_transposed,
    "receptive_field": _gen_receptive_field,
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


