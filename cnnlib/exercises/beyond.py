"""Exercises for the chapters after VGG: the receptive field of a chain of layers and the
output shape and parameters of a transposed convolution."""

from __future__ import annotations

import random

from ..arithmetic import conv_output_size
from ..layers import Conv2d, ConvTranspose2d, MaxPool2d
from ..model import Sequential
from ..upsampling import conv_transpose_formula
from .canon import shape_both
from .common import CHANNELS, Exercise, _Builder, _input_desc, _n, _try


def _gen_receptive_field(rng: random.Random, seed: int) -> Exercise:
    """A chain of 2–4 convolution and pooling layers: the last layer's receptive field r and
    jump j, worked layer by layer with r ← r + (k − 1)·d·j, j ← j·s (cnnlib.receptive_field)."""
    from ..receptive import receptive_field

    layers = []
    for _ in range(rng.randint(2, 4)):
        if rng.random() < 0.7:
            k = rng.choice((1, 3, 3, 3, 5, 7))
            s = rng.choice((1, 1, 1, 2, 2))
            d = rng.choice((1, 1, 1, 1, 2)) if k > 1 else 1
            layers.append(Conv2d(rng.choice((16, 32, 64)), k, stride=s, padding=d * (k - 1) // 2, dilation=d))
        else:
            k = rng.choice((2, 3))
            layers.append(MaxPool2d(k, stride=2))
    n = rng.choice((32, 64, 96, 128))
    b = _Builder("receptive_field", seed, layers, (3, n, n))
    rf = receptive_field(Sequential(b.in_shape, list(b.layers)))
    lines, descs = [], []
    for i, (layer, before, after) in enumerate(zip(b.layers, rf, rf[1:]), start=1):
        k, s = layer.kernel_size[0], (layer.stride or layer.kernel_size)[0]
        d = layer.dilation[0]
        dd = f"·{d}" if d != 1 else ""
        kind = "conv" if isinstance(layer, Conv2d) else "max pool"
        lines.append((f"layer {i} ({kind} k = {k}{f', d = {d}' if d != 1 else ''}, s = {s})",
                      (f"r = {before.size} + ({k} − 1){dd}·{before.jump} = {after.size}; "
                       f"j = {before.jump}·{s} = {after.jump}")))
        what = (f"a {k}×{k} convolution with {layer.out_channels} filters, stride {s}, padding {layer.padding[0]}"
                + (f", dilation {d}" if d != 1 else "") if kind == "conv" else
                f"a {k}×{k} max pool with stride {s}")
        descs.append(what)
    r, j = rf[-1].size, rf[-1].jump
    b.answer("receptive field", r, lines, "Apply r ← r + (k − 1)·d·j layer by layer, from r = 1 and "
             "j = 1, where the jump j is the product of the strides before the layer.")
    b.answer("jump", j, [("j", " · ".join(str((la.stride or la.kernel_size)[0]) for la in b.layers) + f" = {j}")],
             "The jump j is the product of all the strides.")
    naive = 1 + sum((la.kernel_size[0] - 1) * la.dilation[0] for la in b.layers)
    b.mistake("receptive field", naive, "Each layer adds (k − 1)·d times the jump j of the layers "
              "before it (the product of their strides), not just (k − 1)·d.")
    if any(la.dilation[0] != 1 for la in b.layers):
        plain = [Conv2d(la.out_channels, la.kernel_size[0], stride=la.stride[0], padding=la.padding[0])
                 if isinstance(la, Conv2d) else la for la in b.layers]
        undilated = _try(lambda: receptive_field(Sequential(b.in_shape, plain))[-1].size)
        if undilated is not None:
            b.mistake("receptive field", undilated, "A dilated kernel spans d·(k − 1) + 1 cells: "
                      "its k − 1 counts d times.")
    strides = [(la.stride or la.kernel_size)[0] for la in b.layers]
    if sum(strides) != j:
        b.mistake("jump", sum(strides), "The jump multiplies the strides; it does not add them.")
    q = (f"A chain of layers on {_input_desc(b.in_shape)}: " + "; then ".join(descs) + ". "
         "Along one side, how many input pixels does one unit of the last layer see (its receptive "
         "field r, counting the cells a dilated kernel skips), and how many input pixels apart are "
         "neighbouring units of the last layer (the jump j)?")
    sol = "\n".join([f"{lab}: {line}" for lab, line in lines]
                    + [f"Receptive field: {r:,} (input pixels along one side); jump: {j:,}."])
    return b.build(q, sol)


# ------------------------------------------------------------- transposed convolution

TRANSPOSE_HINT = ("o = (n − 1)·s − 2p + d·(k − 1) + a + 1 for height and width with n = {n}, k = {k}, s = {s}, "
                  "p = {p}, d = {d}, a = output_padding = {a}; the output has one channel per filter; "
                  "weights C_in·C_out·k·k{bias}.")


def _gen_transposed(rng: random.Random, seed: int) -> Exercise:
    k = rng.choice((2, 3, 3, 4, 4, 4, 5))
    s = rng.choice((1, 2, 2, 2, 2, 3, 4))
    p = rng.randint(0, (k - 1) // 2 + (1 if rng.random() < 0.15 else 0))
    d = 2 if k > 1 and rng.random() < 0.1 else 1
    a = rng.randint(1, max(s, d) - 1) if max(s, d) > 1 and rng.random() < 0.4 else 0
    h = rng.choice((rng.randint(1, 8), rng.randint(2, 64), rng.randint(2, 64)))
    w = h if rng.random() < 0.85 else rng.randint(2, 64)
    c_in, c_out = rng.choice(CHANNELS[1:]), rng.choice((1, 3) + CHANNELS[1:])
    bias = rng.random() < 0.6
    layer = ConvTranspose2d(c_out, k, stride=s, padding=p, output_padding=a, dilation=d, bias=bias)
    return transposed_exercise(layer, (c_in, h, w), seed)


def _transpose_desc(t: ConvTranspose2d) -> str:
    k = t.kernel_size[0]
    parts = [f"{t.out_channels} filters of size {k}×{k}", f"stride {t.stride[0]}", f"padding {t.padding[0]}",
             f"output_padding {t.output_padding[0]}"]
    if t.dilation[0] != 1:
        parts.append(f"dilation {t.dilation[0]}")
    parts.append("with bias" if t.bias else "without bias")
    return ", ".join(parts)


def transposed_exercise(layer: ConvTranspose2d, in_shape: tuple, seed: int = 0) -> Exercise:
    """The exercise of topic "transposed": output shape and parameters of one square-kernel
    ConvTranspose2d on a (C, H, W) input.  Raises ShapeError for an impossible layer.

    >>> ex = transposed_exercise(ConvTranspose2d(64, 3, stride=2, padding=1, output_padding=1), (128, 16, 16))
    >>> ex.answers["output shape"], ex.answers["parameters"]
    ((64, 32, 32), 73792)
    """
    k, s, p, d = layer.kernel_size[0], layer.stride[0], layer.padding[0], layer.dilation[0]
    a = layer.output_padding[0]
    c_in, h, w = in_shape
    c_out = layer.out_channels
    b = _Builder("transposed", seed, [layer], tuple(in_shape))
    out = b.shapes[-1]
    row = b.rows[0]
    lines = [(dim, conv_transpose_formula(n, k, s, p, a, d)) for dim, n in (("height", h), ("width", w))]
    lines.append(("channels", f"one output channel per filter: C_out = {c_out}"))
    bias = " plus C_out biases" if layer.bias else " (no bias)"
    b.answer("output shape", out, lines,
             TRANSPOSE_HINT.format(n=h if h == w else f"{h} (height), {w} (width)", k=k, s=s, p=p, d=d, a=a,
                                   bias=bias).split("; weights")[0] + ".")
    pline = (f"C_in·C_out·k·k + C_out = {c_in}·{c_out}·{k}·{k} + {c_out} = {_n(row.weights)} + {c_out} "
             f"= {_n(row.params)}" if layer.bias else
             f"C_in·C_out·k·k = {c_in}·{c_out}·{k}·{k} = {_n(row.weights)} (no bias)")
    b.answer("parameters", row.params, [("parameters", pline)],
             f"weights C_in·C_out·k·k{bias}, with C_in = {c_in}, C_out = {c_out}, k = {k}; the "
             "input's height and width do not matter.")

    def alt(message, size):  # a wrong size formula, applied to height and width
        hh, ww = size(h), size(w)
        if hh >= 1 and ww >= 1:
            b.mistake("output shape", (c_out, hh, ww), message)

    grow = d * (k - 1) + a + 1  # what the formula adds after (n − 1)·s − 2p

    if a:
        alt(f"That leaves out output_padding: a = {a} adds {a} row{'s' if a > 1 else ''} and "
            f"column{'s' if a > 1 else ''} at the end (+ a in the formula).",
            lambda n: (n - 1) * s - 2 * p + grow - a)
    if p:
        alt(f"Padding works backwards in a transposed convolution: it removes p = {p} cells from each "
            "side of the output (− 2p), it does not add them.", lambda n: (n - 1) * s + 2 * p + grow)
    if s > 1:
        alt("The first input cell needs no stride: the inputs are spread (n − 1)·s apart, not n·s.",
            lambda n: n * s - 2 * p + grow)
    direct = [_try(conv_output_size, n, k, stride=s, padding=p, dilation=d) for n in (h, w)]
    if all(direct):
        b.mistake("output shape", (c_out, *direct), "That is the formula of an ordinary convolution, which "
                  "shrinks the map; a transposed convolution grows it: o = (n − 1)·s − 2p + d·(k − 1) + a + 1.")
    if s > 1:
        b.mistake("output shape", (c_out, h * s, w * s), f"n·s is only right when d·(k − 1) + a + 1 = s + 2p; "
                  f"here d·(k − 1) + a + 1 = {d * (k - 1) + a + 1} and s + 2p = {s + 2 * p}.")
    b.mistake("output shape", (c_out, out[1] - 1, out[2] - 1),
              "One short in height and width: the formula ends with + 1.")
    b.mistake("output shape", (c_in, *out[1:]), f"Height and width are right, but the channels are the "
              f"number of filters, {c_out}, not the input's {c_in}.")
    b.order_mistakes("output shape")
    if layer.bias:
        b.mistake("parameters", row.weights, f"That counts the weights only; add one bias per output "
                  f"channel, C_out = {c_out}.")
    else:
        b.mistake("parameters", row.weights + c_out, "The layer has no bias (bias=False), so there are "
                  "weights only.")
    extra = c_out if layer.bias else 0
    b.mistake("parameters", c_in * c_out * k + extra, f"A {k}×{k} kernel has k·k weights per pair of "
              "input and output channels, not k.")
    b.mistake("parameters", c_out * k * k + extra, f"Every output channel has a {k}×{k} kernel for each of "
              f"the C_in = {c_in} input channels: C_in·C_out·k·k weights.")
    b.mistake("parameters", c_in * k * k + (1 if layer.bias else 0), f"That is one output channel's "
              f"kernels; the layer has C_out = {c_out} of them.")
    q = (f"A transposed convolution (PyTorch's ConvTranspose2d) with {_transpose_desc(layer)} is applied "
         f"to {_input_desc(b.in_shape)}. What is the output shape, and how many parameters does the "
         "layer have?")
    sol = "\n".join([f"{lab}: {line}" for lab, line in b.working["output shape"]]
                    + [f"Output shape: {shape_both(out)}.", pline + "."])
    return b.build(q, sol)


