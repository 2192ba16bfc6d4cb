"""cnnlib.parse_model on generated PyTorch snippets against real torch 2.13.

Each case draws a chain of torch.nn layers from a seeded generator; the draw is rendered as an
``nn.Sequential(...)`` text (positional and keyword arguments, literal arithmetic, ``torch.nn.``
prefixes, nested Sequentials, ``model.append`` lines, the input as a line, a comment or the
``input_shape`` argument) *and* built directly with torch from the same drawn arguments — the
text is never run.  torch's output shape (eval mode), parameter count and whether it
raises anywhere must equal cnnlib's.  About one layer in twelve gets a wrong in_channels /
in_features / num_features, and small inputs make kernels too large, so both outcomes occur.
"""

from __future__ import annotations

import functools
import random
import warnings

import pytest
import torch
from snippets import Drawn, agree, coverage, render, split

from cnnlib import ShapeError, parse_model

CASES = 1000
nn = torch.nn

CONV = ["in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias"]
CONVT = ["in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups", "bias",
         "dilation"]
MAXPOOL = ["kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"]
AVGPOOL = ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"]


def wrong(rng, v):
    """Usually v; one time in twelve a different positive number (a mistake torch refuses)."""
    return v if rng.random() > 1 / 12 else max(1, v + rng.choice([-3, -1, 1, 2, 8]))


def pair(rng, lo, hi):
    return rng.randint(lo, hi) if rng.random() < 0.7 else (rng.randint(lo, hi), rng.randint(lo, hi))


def conv(rng, shape):
    nd = len(shape) - 1
    name = {1: "Conv1d", 2: "Conv2d", 3: "Conv3d"}[nd]
    c = shape[0]
    g = rng.choice([d for d in range(1, c + 1) if c % d == 0]) if rng.random() < 0.2 else 1
    v = {"in_channels": wrong(rng, c), "out_channels": g * rng.randint(1, 6), "kernel_size": pair(rng, 1, 5)
         if nd == 2 else rng.randint(1, 5)}
    if rng.random() < 0.5:
        v["stride"] = rng.randint(1, 3)
    if rng.random() < 0.5:
        v["padding"] = rng.choice([0, 1, 2, "same", "valid"]) if rng.random() < 0.9 else (1, 0)[: 1 if nd == 1 else 2]
    if rng.random() < 0.2:
        v["dilation"] = rng.randint(1, 2)
    if g > 1:
        v["groups"] = g
    if rng.random() < 0.2:
        v["bias"] = False
    if nd != 2 and isinstance(v.get("padding"), tuple):
        v["padding"] = 1
    return name, CONV, v


def conv_transpose(rng, shape):
    s = rng.randint(1, 3)
    v = {"in_channels": wrong(rng, shape[0]), "out_channels": rng.randint(1, 6), "kernel_size": rng.randint(1, 4),
         "stride": s}
    if rng.random() < 0.5:
        v["padding"] = rng.randint(0, 2)
    if rng.random() < 0.4:
        v["output_padding"] = rng.randint(0, s)  # = s sometimes: torch refuses
    if rng.random() < 0.2:
        v["dilation"] = rng.randint(1, 2)
    return {1: "ConvTranspose1d", 2: "ConvTranspose2d"}[len(shape) - 1], CONVT, v


def pool(rng, shape):
    nd = len(shape) - 1
    kind = rng.choice(["Max", "Avg"])
    k = rng.randint(1, 4)
    v = {"kernel_size": k}
    if rng.random() < 0.5:
        v["stride"] = rng.randint(1, 3)
    if rng.random() < 0.4:
        v["padding"] = rng.randint(0, k // 2 + (1 if rng.random() < 0.15 else 0))
    if kind == "Max" and rng.random() < 0.2:
        v["dilation"] = 2
    if rng.random() < 0.3:
        v["ceil_mode"] = True
    return f"{kind}Pool{nd}d", (MAXPOOL if kind == "Max" else AVGPOOL), v


def adaptive(rng, shape):
    nd = len(shape) - 1
    o = rng.randint(1, 6)
    size = o if nd == 1 or rng.random() < 0.5 else rng.choice([(o, rng.randint(1, 6)), (None, o), (1, 1)])
    return f"Adaptive{rng.choice(['Avg', 'Max'])}Pool{nd}d", ["output_size"], {"output_size": size}


def batchnorm(rng, shape):
    name = {1: "BatchNorm1d", 2: "BatchNorm1d", 3: "BatchNorm2d"}[len(shape)]
    v = {"num_features": wrong(rng, shape[0])}
    if rng.random() < 0.2:
        v["affine"] = False
    if rng.random() < 0.2:
        v["momentum"] = 0.01
    return name, ["num_features", "eps", "momentum", "affine", "track_running_stats"], v


def groupnorm(rng, shape):
    c = shape[0]
    g = rng.choice([d for d in range(1, c + 1) if c % d == 0]) if rng.random() < 0.85 else c + 1
    return "GroupNorm", ["num_groups", "num_channels", "eps", "affine"], {"num_groups": g,
                                                                          "num_channels": wrong(rng, c)}


def layernorm(rng, shape):
    tail = shape[-rng.randint(1, len(shape)):]
    ns = tail[0] if len(tail) == 1 and rng.random() < 0.5 else list(tail) if rng.random() < 0.3 else tuple(tail)
    return "LayerNorm", ["normalized_shape", "eps", "elementwise_affine"], {"normalized_shape": ns}


def linear(rng, shape):
    v = {"in_features": wrong(rng, shape[-1]), "out_features": rng.randint(1, 40)}
    if rng.random() < 0.2:
        v["bias"] = False
    return "Linear", ["in_features", "out_features", "bias"], v


def activation(rng, shape):
    name, v = rng.choice([("ReLU", {"inplace": True}), ("ReLU", {}), ("ReLU6", {}), ("LeakyReLU", {"negative_slope": 0.1}),
                          ("GELU", {}), ("SiLU", {}), ("Sigmoid", {}), ("Tanh", {}), ("Hardswish", {}),
                          ("Hardsigmoid", {}), ("ELU", {"alpha": 0.5}), ("Softmax", {"dim": 1}), ("Identity", {}),
                          ("Dropout", {"p": 0.25}), ("Dropout", {}), ("Dropout2d", {"p": 0.1}),
                          ("PReLU", {}), ("PReLU", {"num_parameters": wrong(rng, shape[0])})])
    return name, list(v), v


def flatten(rng, shape):
    return "Flatten", [], {}


def upsample(rng, shape):
    nd = len(shape) - 1
    mode = rng.choice(["nearest", "bilinear" if nd == 2 else "linear"])
    v = {"scale_factor": rng.choice([2, 3, 1.5])} if rng.random() < 0.7 else \
        {"size": rng.randint(1, 12) if nd == 1 else (rng.randint(1, 12), rng.randint(1, 12))}
    if mode != "nearest":
        v["mode"] = mode
    return "Upsample", ["size", "scale_factor", "mode"], v


def zeropad(rng, shape):
    nd = len(shape) - 1
    p = rng.randint(0, 2) if rng.random() < 0.5 else tuple(rng.randint(-1, 2) for _ in range(2 * nd))
    return f"ZeroPad{nd}d", ["padding"], {"padding": p}


#: what may follow a shape of each rank (the generator also sometimes ignores this)
BY_RANK = {
    1: [linear, linear, activation, batchnorm, layernorm],
    2: [conv, conv, pool, batchnorm, activation, flatten, conv_transpose, adaptive, upsample, zeropad,
        groupnorm, layernorm, linear],
    3: [conv, conv, conv, pool, pool, batchnorm, activation, activation, flatten, conv_transpose, adaptive,
        upsample, zeropad, groupnorm, layernorm],
}
ALL = sorted({f for fs in BY_RANK.values() for f in fs}, key=lambda f: f.__name__)


def torch_out(modules, shape):
    """(output shape without batch, params) or None when torch raises (construction or forward).

    Batch 2 in eval mode, as tests/oracle/test_torch_new_layers.py: GroupNorm (and BatchNorm in
    training) refuses one value per group, which is a property of batch 1, not of the layer."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = nn.Sequential(*[d.build(nn) for d in modules]).eval()
            with torch.no_grad():
                y = model(torch.zeros((2, *shape)))
    except (RuntimeError, ValueError, TypeError, IndexError, ZeroDivisionError):
        return None
    return tuple(y.shape[1:]), sum(p.numel() for p in model.parameters())


def draw_case(seed: int):
    """(text, input_shape argument or None, drawn calls, input shape) for one seeded case."""
    rng = random.Random(seed)
    start = rng.choice([(rng.randint(1, 8), rng.randint(1, 24), rng.randint(1, 24)),
                        (rng.randint(1, 8), rng.randint(1, 30)), (rng.randint(1, 64),)])
    shape, calls = start, []
    for _ in range(rng.randint(1, 7)):
        pick = rng.choice(BY_RANK[len(shape)] if rng.random() < 0.95 else ALL)
        try:
            name, sig, values = pick(rng, shape)
        except (KeyError, IndexError, ValueError):  # a drawer that does not fit this rank
            continue
        if not hasattr(nn, name):  # e.g. a 0-d pooling drawn for a flat input
            continue
        args, kwargs = split(rng, sig, values)
        calls.append(Drawn(name, args, kwargs))
        out = torch_out(calls, start)
        if out is None:
            break  # the chain is impossible here; both must say so
        shape = out[0]
        if 0 in shape:
            break
    if not calls:
        calls.append(Drawn("Identity"))
    return render_case(rng, calls, start), calls, start


def render_case(rng, calls, start):
    prefix = rng.choice(["nn.", "nn.", "torch.nn."])
    rendered = [render(rng, prefix, c) for c in calls]
    if len(rendered) > 2 and rng.random() < 0.25:  # nest a run of layers
        i = rng.randrange(len(rendered) - 1)
        j = rng.randrange(i + 1, len(rendered))
        rendered[i:j + 1] = [f"{prefix}Sequential({', '.join(rendered[i:j + 1])})"]
    how = rng.choice(["line", "comment", "argument"])
    first = {**dict(zip(["in_features"], calls[0].args)), **calls[0].kwargs}
    if len(start) == 1 and calls[0].name == "Linear" and first["in_features"] == start[0] and rng.random() < 0.5:
        how = "inferred"
    head = {"line": f"input {' '.join(map(str, start))}\n", "comment": f"# input: {start}\n"}.get(how, "")
    imports = rng.choice(["", "import torch\n", "import torch.nn as nn\n", "from torch import nn\n"])
    if rng.random() < 0.2:
        body = "model = nn.Sequential()\n" + "".join(f"model.append({r})\n" for r in rendered)
        if prefix == "torch.nn.":
            body = body.replace("nn.Sequential()", "torch.nn.Sequential()", 1)
    else:
        sep = rng.choice([", ", ",\n    "])
        body = rng.choice(["model = ", "net = ", ""]) + f"{prefix}Sequential(\n    {sep.join(rendered)},\n)\n"
    text = imports + head + body
    return text, (start if how == "argument" else None)


def cnnlib_out(text, input_shape):
    try:
        m = parse_model(text, input_shape)
    except ShapeError:
        return None
    return m.output_shape, m.total_params


@functools.cache
def case(seed: int):
    """The drawn case and torch's answer, once per seed and session."""
    (text, input_shape), calls, start = draw_case(seed)
    return text, input_shape, calls, start, torch_out(calls, start)


@pytest.mark.parametrize("seed", range(CASES))
def test_torch_snippet(seed, agreement):
    text, input_shape, _, _, expected = case(seed)
    agree(agreement, "parse_model vs torch (snippets)", seed, text, expected, cnnlib_out(text, input_shape))


def test_the_generator_draws_both_outcomes_and_every_kind():
    outcomes, names = coverage((calls, expected) for _, _, calls, _, expected in map(case, range(CASES)))
    assert outcomes == {True, False}
    assert {"Conv1d", "Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool1d", "AdaptiveAvgPool2d", "BatchNorm1d",
            "BatchNorm2d", "GroupNorm", "LayerNorm", "Linear", "Flatten", "Upsample", "ZeroPad2d",
            "PReLU"} <= names


#: layers the generator does not draw (3-d, local response norm, the fixed-mode upsamplers …): (input, calls)
RARER = [
    ((2, 6, 7, 8), [Drawn("Conv3d", (2, 4, 3), {"padding": 1, "stride": 2}), Drawn("BatchNorm3d", (4,)),
                    Drawn("MaxPool3d", (2,), {"ceil_mode": True}), Drawn("ZeroPad3d", ((1, 0, 0, 2, 1, 1),))]),
    ((2, 6, 7, 8), [Drawn("AvgPool3d", (3,), {"stride": 1, "padding": 1}), Drawn("ConvTranspose3d", (2, 3, 2),
                                                                                  {"stride": 2}),
                    Drawn("Dropout3d"), Drawn("Upsample", (), {"scale_factor": 2, "mode": "trilinear"})]),
    ((2, 4, 5, 6), [Drawn("AvgPool3d", (5,))]),  # torch checks 3-d average pooling before padding: refused
    ((96, 27, 27), [Drawn("LocalResponseNorm", (5,)), Drawn("UpsamplingNearest2d", (), {"scale_factor": 2}),
                    Drawn("UpsamplingBilinear2d", (), {"size": (9, 10)}), Drawn("AlphaDropout", (0.1,))]),
    ((3, 20), [Drawn("ConvTranspose1d", (3, 2, 4), {"stride": 2, "output_padding": 1}), Drawn("Dropout1d"),
               Drawn("AdaptiveMaxPool1d", (5,)), Drawn("ZeroPad1d", ((2, -1),)), Drawn("Softmax", (), {"dim": -1})]),
    ((3, 8, 8), [Drawn("Dropout1d")]),  # a 4-d input: torch refuses
    ((3, 8, 8), [Drawn("Conv2d", (3, 6, 3), {"groups": 3, "dilation": 2, "padding": "same", "bias": False}),
                 Drawn("GroupNorm", (3, 6), {"affine": False}), Drawn("LayerNorm", ([6, 8, 8],), {"bias": False}),
                 Drawn("Hardswish"), Drawn("Flatten"), Drawn("Linear", (384, 2), {"bias": False})]),
    ((3, 8, 8), [Drawn("Upsample", (), {"size": 4, "mode": "bicubic", "align_corners": True}),
                 Drawn("AdaptiveAvgPool2d", ((None, 2),))]),
]


@pytest.mark.parametrize("shape, calls", RARER, ids=[" ".join(c.name for c in cs) for _, cs in RARER])
def test_rarer_torch_layers(shape, calls, agreement):
    rng = random.Random(0)
    text = f"input {' '.join(map(str, shape))}\nnn.Sequential(\n" + "".join(
        f"    {render(rng, 'nn.', c)},\n" for c in calls) + ")"
    agree(agreement, "parse_model vs torch (rarer layers)", 0, text, torch_out(calls, shape), cnnlib_out(text, None))


def test_the_brief_message():
    text = """# input: 3 224 224
model = nn.Sequential(
    nn.Conv2d(3, 64, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2, 2),
    nn.Conv2d(64, 512, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2, 2),
    nn.AdaptiveAvgPool2d((7, 7)),
    nn.Flatten(),
    nn.Linear(4096, 10),
)"""
    with pytest.raises(ShapeError) as e:
        parse_model(text)
    assert str(e.value).startswith("line 7: nn.Linear(4096, 10) expects 4096 inputs but receives 25,088 — ")
    with pytest.raises(RuntimeError):  # torch fails on the same layer
        nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.MaxPool2d(2, 2), nn.Conv2d(64, 512, 3, padding=1),
                      nn.MaxPool2d(2, 2), nn.AdaptiveAvgPool2d((7, 7)), nn.Flatten(),
                      nn.Linear(4096, 10))(torch.zeros(1, 3, 224, 224))
