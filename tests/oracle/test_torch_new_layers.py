"""The layers after convolution and pooling, against PyTorch 2.13 (CPU): transposed convolution,
upsampling, zero padding, adaptive and global pooling, 3-d layers, group and layer norm,
activations — output shape, parameters, buffers and raise-vs-no-raise, with invalid values
mixed in on purpose (zero or negative sizes, strides, kernels, output_padding ≥ stride,
scale factors that give an empty map, groups that do not divide the channels …).

CNNLIB_EXAMPLES (default 2000) examples per convolution/pooling kind, fewer for the cheap
checks; the counts are printed at the end of the run.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import pytest
import torch
from helpers import Case, compare, per_dim, run_cnnlib, run_torch, size, sometimes_bad
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.utils.flop_counter import FlopCounterMode

import cnnlib
from cnnlib import ShapeError

torch.set_num_threads(1)
EXAMPLES = settings.default.max_examples
FEW = max(50, EXAMPLES // 4)


# ------------------------------------------------------------ transposed convolution


@st.composite
def transpose_cases(draw, nd):
    kind = f"ConvTranspose{nd}d"
    c_in = sometimes_bad(draw, st.integers(1, 8), [0], one_in=20)
    g_kind = draw(st.sampled_from(["1", "1", "divisor", "any"]))
    if g_kind == "1":
        groups = 1
    elif g_kind == "divisor":
        groups = draw(st.sampled_from([d for d in range(1, max(c_in, 1) + 1) if c_in % d == 0]))
    else:
        groups = draw(st.integers(-1, 4))
    out = max(groups, 1) * draw(st.integers(1, 3)) if draw(st.integers(0, 9)) else draw(st.integers(0, 8))
    kernel = per_dim(draw, nd, lambda: sometimes_bad(draw, st.integers(1, 6), [0, -1], one_in=25))
    stride = per_dim(draw, nd, lambda: sometimes_bad(draw, st.integers(1, 4), [0, -1], one_in=25))
    padding = per_dim(draw, nd, lambda: sometimes_bad(draw, st.integers(0, 4), [-1, 5, 7], one_in=15))
    # torch's grouped path skips its dilation check for a 1-wide kernel (pinned below): bad
    # dilations are drawn with groups = 1 only
    dilation = per_dim(draw, nd, lambda: sometimes_bad(draw, st.sampled_from([1, 1, 1, 2, 3]),
                                                       [0, -1] if groups == 1 else [1], one_in=25))
    # output_padding: usually valid (< stride), often not (≥ both stride and dilation)
    output_padding = per_dim(draw, nd, lambda: draw(st.integers(0, 3)))
    hi = 16 if nd == 3 else 30
    spatial = tuple(min(size(draw), hi) for _ in range(nd))
    kwargs = {"stride": stride, "padding": padding, "output_padding": output_padding, "groups": groups,
              "bias": draw(st.booleans()), "dilation": dilation}
    return Case(kind, (c_in, *spatial), kwargs, (c_in, out, kernel))


def compare_transpose(agreement, case, module_cls, layer_cls):
    """As ``compare``, but an output size of 0 is refused by cnnlib while torch sometimes returns
    an empty map and sometimes raises, depending on the backend it picks (see the pinned test
    below): both refusing and torch's empty map count as agreement there."""
    want = run_torch(case, module_cls)
    got = run_cnnlib(case, layer_cls, case.positional[1:])
    if want is not None and got is None and 0 in want[0][1:]:
        agreement[f"{case.kind} (torch's empty output)"].update(examples=1, both_raised=1)
        return
    dilation = case.kwargs["dilation"]
    if want is not None and got is None and 0 in (dilation if isinstance(dilation, tuple) else (dilation,)):
        # torch's check of dilation ≥ 1 is skipped on some paths (pinned below); the same layer
        # on a 2-wide input must raise in torch, or the disagreement is real
        wider = dataclasses.replace(case, in_shape=(case.in_shape[0], *(2,) * (len(case.in_shape) - 1)))
        assert run_torch(wider, module_cls) is None, f"{case}: torch computes it on 2-wide input too"
        agreement[f"{case.kind} (torch skips its dilation check)"].update(examples=1, both_raised=1)
        return
    compare(agreement, case, module_cls, layer_cls, case.positional[1:])


@given(transpose_cases(2))
def test_conv_transpose2d_agrees_with_torch(agreement, case):
    compare_transpose(agreement, case, torch.nn.ConvTranspose2d, cnnlib.ConvTranspose2d)


@given(transpose_cases(1))
def test_conv_transpose1d_agrees_with_torch(agreement, case):
    compare_transpose(agreement, case, torch.nn.ConvTranspose1d, cnnlib.ConvTranspose1d)


@settings(max_examples=FEW)
@given(transpose_cases(3))
def test_conv_transpose3d_agrees_with_torch(agreement, case):
    compare_transpose(agreement, case, torch.nn.ConvTranspose3d, cnnlib.ConvTranspose3d)


def test_torch_grouped_transpose_skips_the_dilation_check():
    """torch 2.13 computes a grouped, 1-wide transposed convolution with dilation 0, and an
    ungrouped 4×4/stride-4 one on a 1×1 map (its check runs on the other paths); cnnlib refuses
    dilation 0 everywhere, as torch does elsewhere."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = torch.nn.ConvTranspose2d(2, 2, 1, groups=2, dilation=0, bias=False)
    assert tuple(m(torch.zeros(1, 2, 5, 5)).shape) == (1, 2, 5, 5)
    with pytest.raises(RuntimeError, match="dilation should be greater than zero"):
        torch.nn.ConvTranspose2d(2, 2, 1, dilation=0)(torch.zeros(1, 2, 5, 5))
    with pytest.raises(ShapeError, match="dilation"):
        cnnlib.ConvTranspose2d(2, 1, groups=2, dilation=0)
    # and, ungrouped, a 4×4 kernel with stride 4 on a 1×1 map (not on a 2×2 one)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = torch.nn.ConvTranspose2d(1, 1, 4, stride=4, dilation=0, bias=False)
    assert tuple(m(torch.zeros(1, 1, 1, 1)).shape) == (1, 1, 1, 1)
    with pytest.raises(RuntimeError):
        m(torch.zeros(1, 1, 2, 2))
    with pytest.raises(ShapeError, match="dilation"):
        cnnlib.ConvTranspose2d(1, 4, stride=4, dilation=0)


def test_torch_output_size_zero_depends_on_the_backend():
    """o = (5 − 1) − 8 + 3 + 1 = 0: torch 2.13 returns an empty map for some kernels and groups
    and raises "Output size is too small" for others; cnnlib always refuses o < 1."""
    def shape(module, x):
        try:
            return tuple(module(x).shape[2:])
        except RuntimeError:
            return "raises"

    assert shape(torch.nn.ConvTranspose1d(2, 2, 4, padding=4, groups=2), torch.zeros(1, 2, 5)) == (0,)
    assert shape(torch.nn.ConvTranspose1d(2, 2, 4, padding=4), torch.zeros(1, 2, 5)) == "raises"
    with pytest.raises(ShapeError, match="= 0 < 1"):
        cnnlib.ConvTranspose1d(2, 4, padding=4, groups=2).output_shape((2, 5))


@settings(max_examples=min(300, FEW))
@given(st.integers(1, 2), st.integers(1, 3), st.data())
def test_conv_transpose_macs_are_half_torch_flops(agreement, nd, groups, data):
    """MACs of a transposed convolution equal half of torch's FLOP count (bias not counted)."""
    c_in = groups * data.draw(st.integers(1, 3))
    out = groups * data.draw(st.integers(1, 3))
    k = tuple(data.draw(st.integers(1, 5)) for _ in range(nd))
    s = tuple(data.draw(st.integers(1, 3)) for _ in range(nd))
    spatial = tuple(data.draw(st.integers(1, 12)) for _ in range(nd))
    cls, layer_cls = ((torch.nn.ConvTranspose1d, cnnlib.ConvTranspose1d) if nd == 1
                      else (torch.nn.ConvTranspose2d, cnnlib.ConvTranspose2d))
    m = cls(c_in, out, k, s, groups=groups, bias=False)
    with FlopCounterMode(display=False) as fc:
        y = m(torch.zeros(1, c_in, *spatial))
    layer = layer_cls(out, k, s, groups=groups, bias=False)
    assert layer.output_shape((c_in, *spatial)) == tuple(y.shape[1:])
    assert 2 * layer.macs((c_in, *spatial)) == fc.get_total_flops()
    # by hand: every input element meets C_out/g · Πk weights
    assert layer.macs((c_in, *spatial)) == c_in * math.prod(spatial) * (out // groups) * math.prod(k)
    agreement["ConvTranspose MACs (flop counter)"].update(examples=1, both_ok=1)


@given(st.integers(1, 40), st.integers(1, 6), st.integers(1, 4), st.integers(0, 4), st.integers(0, 3),
       st.integers(1, 3))
def test_conv_transpose_output_size_is_the_formula(agreement, n, k, s, p, a, d):
    """conv_transpose_output_size against torch, and o = (n − 1)·s − 2p + d·(k − 1) + a + 1."""
    try:
        got = cnnlib.conv_transpose_output_size(n, k, s, p, a, d)
    except ShapeError:
        got = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = torch.nn.ConvTranspose1d(1, 1, k, s, p, a, dilation=d)(torch.zeros(1, 1, n)).shape[-1]
    except RuntimeError:
        want = None
    assert got == want
    if got is not None:
        assert got == (n - 1) * s - 2 * p + d * (k - 1) + a + 1
    agreement["conv_transpose_output_size"].update(examples=1, **{"both_ok" if got else "both_raised": 1})


def test_conv_transpose_checkerboard_overlap_by_hand():
    # k = 3, s = 2 on 4 inputs: outputs alternate between 1 and 2 taps (the checkerboard),
    # the first and last see only the edge input
    from cnnlib.upsampling import conv_transpose_dim

    assert conv_transpose_dim(4, 3, 2, 0, 0, 1).taps_per_output() == [1, 1, 2, 1, 2, 1, 2, 1, 1]
    # k = 4, s = 2, p = 1: every output gets exactly 2 taps — no checkerboard inside
    assert conv_transpose_dim(4, 4, 2, 1, 0, 1).taps_per_output() == [1, 2, 2, 2, 2, 2, 2, 1]
    # torch agrees: a transposed conv of ones with all-one weights counts the taps
    m = torch.nn.ConvTranspose1d(1, 1, 3, 2, bias=False)
    torch.nn.init.ones_(m.weight)
    with torch.no_grad():
        assert m(torch.ones(1, 1, 4))[0, 0].tolist() == [1, 1, 2, 1, 2, 1, 2, 1, 1]


# -------------------------------------------------------------------- upsampling

SCALES = [1, 2, 3, 0.5, 1.5, 2.5, 1 / 3, 0.7, 2.0, 0.25, 3.3, 0, -2]


@st.composite
def upsample_cases(draw):
    nd = draw(st.sampled_from([1, 2, 3]))
    mode = draw(st.sampled_from(["nearest", "nearest", "linear", "bilinear", "bicubic", "trilinear",
                                 "nearest-exact", "area"]))
    kwargs = {"mode": mode}
    if draw(st.booleans()):
        kwargs["size"] = per_dim(draw, nd, lambda: sometimes_bad(draw, st.integers(1, 30), [0, -1], one_in=15))
        if draw(st.integers(0, 15)) == 0:
            kwargs["scale_factor"] = 2  # both given: an error in torch and cnnlib
    else:
        scale = draw(st.sampled_from(SCALES))
        if nd > 1 and draw(st.booleans()):
            scale = tuple(draw(st.sampled_from(SCALES[:-2])) for _ in range(nd))
        kwargs["scale_factor"] = scale
    if mode in ("linear", "bilinear", "bicubic", "trilinear") and draw(st.booleans()):
        kwargs["align_corners"] = draw(st.booleans())
    elif draw(st.integers(0, 20)) == 0:
        kwargs["align_corners"] = True  # refused with the non-interpolating modes
    channels = sometimes_bad(draw, st.integers(1, 3), [0], one_in=20)
    # 'area' is adaptive average pooling: an empty map to size 1 hits its NaN shortcut (see
    # test_torch_adaptive_average_to_one_of_an_empty_map_is_nan), so no empty maps there
    spatial = tuple(max(min(size(draw), 24), 1 if mode == "area" else 0) for _ in range(nd))
    return Case("Upsample", (channels, *spatial), kwargs, ())


@given(upsample_cases())
def test_upsample_agrees_with_torch(agreement, case):
    compare(agreement, case, torch.nn.Upsample, cnnlib.Upsample, ())


def test_upsample_float_scale_is_multiplied_as_torch_does():
    # the double nearest 1/3 is a little below 1/3, but 3·(1/3) rounds to 1.0 in doubles
    y = torch.nn.Upsample(scale_factor=1 / 3)(torch.zeros(1, 1, 3, 3))
    assert tuple(y.shape[2:]) == (1, 1)
    assert cnnlib.Upsample(scale_factor=1 / 3).output_shape((1, 3, 3)) == (1, 1, 1)


# ------------------------------------------------------------------ zero padding


@st.composite
def pad_cases(draw, nd):
    n = 2 * nd
    if draw(st.booleans()):
        padding = draw(st.integers(-4, 4))
    else:
        padding = tuple(draw(st.integers(-6, 5)) for _ in range(n))
    channels = draw(st.integers(1, 3))
    spatial = tuple(draw(st.integers(1, 12)) for _ in range(nd))
    return Case(f"ZeroPad{nd}d", (channels, *spatial), {}, (padding,))


@pytest.mark.parametrize("nd", [1, 2, 3])
@settings(max_examples=FEW)
@given(data=st.data())
def test_zero_pad_agrees_with_torch(agreement, nd, data):
    case = data.draw(pad_cases(nd))
    cls = {1: torch.nn.ZeroPad1d, 2: torch.nn.ZeroPad2d, 3: torch.nn.ZeroPad3d}[nd]
    compare(agreement, case, cls, getattr(cnnlib, f"ZeroPad{nd}d"), case.positional)


# -------------------------------------------------------------- adaptive pooling


@st.composite
def adaptive_cases(draw, kind, nd):
    values = [None if nd > 1 and draw(st.integers(0, 6)) == 0 else draw(st.integers(0, 9))
              for _ in range(nd)]
    out = values[0] if nd == 1 or (len(set(values)) == 1 and values[0] is not None
                                    and draw(st.booleans())) else tuple(values)
    channels = sometimes_bad(draw, st.integers(1, 4), [0], one_in=20)
    # an empty map: torch refuses it, except that average pooling to size 1 takes a mean
    # shortcut that returns NaN (pinned below); cnnlib always refuses it
    empty = [0] if "Max" in kind or 1 not in values else [1]
    spatial = tuple(sometimes_bad(draw, st.integers(1, 20), empty, one_in=20) for _ in range(nd))
    return Case(kind, (channels, *spatial), {}, (out,))


@pytest.mark.parametrize("kind", ["AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "AdaptiveAvgPool1d",
                                  "AdaptiveMaxPool1d"])
@given(data=st.data())
def test_adaptive_pooling_agrees_with_torch(agreement, kind, data):
    nd = int(kind[-2])
    case = data.draw(adaptive_cases(kind, nd))
    compare(agreement, case, getattr(torch.nn, kind), getattr(cnnlib, kind), case.positional)


def test_torch_adaptive_average_to_one_of_an_empty_map_is_nan():
    y = torch.nn.AdaptiveAvgPool1d(1)(torch.zeros(1, 2, 0))
    assert tuple(y.shape) == (1, 2, 1) and torch.isnan(y).all()
    with pytest.raises(RuntimeError):
        torch.nn.AdaptiveAvgPool1d(2)(torch.zeros(1, 2, 0))
    with pytest.raises(ShapeError, match="must be ≥ 1"):
        cnnlib.AdaptiveAvgPool1d(1).output_shape((2, 0))


@pytest.mark.parametrize("name, torch_module", [("GlobalAvgPool2d", torch.nn.AdaptiveAvgPool2d(1)),
                                                ("GlobalMaxPool2d", torch.nn.AdaptiveMaxPool2d(1)),
                                                ("GlobalAvgPool1d", torch.nn.AdaptiveAvgPool1d(1)),
                                                ("GlobalMaxPool1d", torch.nn.AdaptiveMaxPool1d(1))])
def test_global_pooling(name, torch_module):
    nd = int(name[-2])
    shape = (7, *(5,) * nd)
    y = torch_module(torch.zeros(1, *shape))
    layer = getattr(cnnlib, name)
    assert layer().output_shape(shape) == tuple(y.shape[1:])
    assert layer(keepdims=False).output_shape(shape) == tuple(y.flatten(1).shape[1:]) == (7,)


# ------------------------------------------------------------------------- 3-d


@st.composite
def conv3d_cases(draw):
    c_in = draw(st.integers(1, 4))
    groups = draw(st.sampled_from([d for d in range(1, c_in + 1) if c_in % d == 0]))
    out = groups * draw(st.integers(1, 2))
    kernel = per_dim(draw, 3, lambda: sometimes_bad(draw, st.integers(1, 4), [0], one_in=25))
    stride = per_dim(draw, 3, lambda: sometimes_bad(draw, st.integers(1, 3), [0], one_in=25))
    padding = per_dim(draw, 3, lambda: draw(st.integers(0, 2)))
    dilation = per_dim(draw, 3, lambda: draw(st.sampled_from([1, 1, 2])))
    spatial = tuple(draw(st.integers(1, 10)) for _ in range(3))
    kwargs = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups,
              "bias": draw(st.booleans())}
    return Case("Conv3d", (c_in, *spatial), kwargs, (c_in, out, kernel))


@settings(max_examples=FEW)
@given(conv3d_cases())
def test_conv3d_agrees_with_torch(agreement, case):
    compare(agreement, case, torch.nn.Conv3d, cnnlib.Conv3d, case.positional[1:])


@st.composite
def pool3d_cases(draw, kind):
    kernel = per_dim(draw, 3, lambda: sometimes_bad(draw, st.integers(1, 4), [0], one_in=25))
    ks = kernel if isinstance(kernel, tuple) else (kernel,) * 3
    padding = tuple(sometimes_bad(draw, st.integers(0, max(k, 1) // 2), [3], one_in=10) for k in ks)
    stride = None if draw(st.booleans()) else per_dim(draw, 3, lambda: draw(st.integers(1, 3)))
    spatial = tuple(draw(st.integers(1, 10)) for _ in range(3))
    kwargs = {"stride": stride, "padding": padding, "ceil_mode": draw(st.booleans())}
    return Case(kind, (draw(st.integers(1, 3)), *spatial), kwargs, (kernel,))


@pytest.mark.parametrize("kind", ["MaxPool3d", "AvgPool3d"])
@settings(max_examples=FEW)
@given(data=st.data())
def test_pool3d_agrees_with_torch(agreement, kind, data):
    case = data.draw(pool3d_cases(kind))
    compare(agreement, case, getattr(torch.nn, kind), getattr(cnnlib, kind), case.positional)


# ------------------------------------------------------------------ normalisation


def torch_counts(module, in_shape):
    y = module(torch.zeros(2, *in_shape))  # batch 2: BatchNorm needs more than one value
    return (tuple(y.shape[1:]), sum(p.numel() for p in module.parameters()),
            sum(b.numel() for b in module.buffers()))


def cnnlib_counts(layer, in_shape):
    f = layer.facts(in_shape)
    return f.out_shape, f.weights + f.biases, f.buffers


@settings(max_examples=FEW)
@given(st.integers(1, 6), st.integers(1, 24), st.booleans(), st.integers(1, 6), st.integers(0, 2))
def test_group_norm_agrees_with_torch(agreement, groups, channels, affine, hw, axes):
    shape = (channels, *(hw,) * axes)  # (C,), (C, L) and (C, H, W), as torch takes them
    try:
        want = torch_counts(torch.nn.GroupNorm(groups, channels, affine=affine), shape)
    except (ValueError, RuntimeError):
        want = None
    try:
        got = cnnlib_counts(cnnlib.GroupNorm(groups, affine=affine), shape)
    except ShapeError:
        got = None
    assert got == want
    agreement["GroupNorm"].update(examples=1, **{"both_ok" if got else "both_raised": 1})


@settings(max_examples=FEW)
@given(st.lists(st.integers(1, 6), min_size=1, max_size=4), st.integers(1, 3), st.booleans(),
       st.booleans(), st.data())
def test_layer_norm_agrees_with_torch(agreement, shape, k, affine, bias, data):
    shape = tuple(shape)
    k = min(k, len(shape))
    normalized = shape[-k:] if data.draw(st.booleans()) else tuple(data.draw(st.integers(1, 6)) for _ in range(k))
    try:
        want = torch_counts(torch.nn.LayerNorm(normalized, elementwise_affine=affine, bias=bias), shape)
    except RuntimeError:
        want = None
    try:
        got = cnnlib_counts(cnnlib.LayerNorm(normalized, elementwise_affine=affine, bias=bias), shape)
    except ShapeError:
        got = None
    assert got == want
    agreement["LayerNorm"].update(examples=1, **{"both_ok" if got else "both_raised": 1})


class ChannelsLastLayerNorm(torch.nn.Module):
    """nn.LayerNorm(C) on the channels-last permutation (torchvision's LayerNorm2d, ConvNeXt)."""

    def __init__(self, channels, affine, bias):
        super().__init__()
        self.norm = torch.nn.LayerNorm(channels, elementwise_affine=affine, bias=bias)

    def forward(self, x):
        return self.norm(x.movedim(1, -1)).movedim(-1, 1)


@settings(max_examples=FEW)
@given(st.lists(st.integers(1, 6), min_size=1, max_size=4), st.booleans(), st.booleans())
def test_channel_layer_norm_agrees_with_torch(agreement, shape, affine, bias):
    shape = tuple(shape)
    want = torch_counts(ChannelsLastLayerNorm(shape[0], affine, bias), shape)
    assert cnnlib_counts(cnnlib.ChannelLayerNorm(elementwise_affine=affine, bias=bias), shape) == want
    agreement["ChannelLayerNorm"].update(examples=1, both_ok=1)


@settings(max_examples=FEW)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=4), st.lists(st.integers(-1, 6), min_size=1, max_size=4))
def test_reshape_agrees_with_torch_view(agreement, shape, target):
    """cnnlib.Reshape(target) on `shape` vs x.view(1, *target) in torch: same shape, or both refuse."""
    try:
        want = tuple(torch.zeros(1, *shape).view(1, *target).shape[1:])
    except RuntimeError:
        want = None
    try:
        got = cnnlib.Reshape(tuple(target)).output_shape(tuple(shape))
    except ShapeError:
        got = None
    assert got == want
    agreement["Reshape"].update(examples=1, **{"both_ok" if got else "both_raised": 1})


def test_batch_norm_3d():
    assert cnnlib_counts(cnnlib.BatchNorm3d(), (4, 3, 5, 5)) == torch_counts(torch.nn.BatchNorm3d(4), (4, 3, 5, 5))


# --------------------------------------------------------------------- activations


@pytest.mark.parametrize("name, module", [
    ("Identity", torch.nn.Identity()), ("Sigmoid", torch.nn.Sigmoid()), ("Tanh", torch.nn.Tanh()),
    ("ReLU6", torch.nn.ReLU6()), ("LeakyReLU", torch.nn.LeakyReLU(0.2)), ("GELU", torch.nn.GELU()),
    ("SiLU", torch.nn.SiLU()), ("Hardswish", torch.nn.Hardswish()), ("Hardsigmoid", torch.nn.Hardsigmoid()),
    ("ELU", torch.nn.ELU()), ("PReLU", torch.nn.PReLU()), ("PReLU", torch.nn.PReLU(6)),
])
def test_activations_keep_the_shape_and_count_like_torch(name, module):
    shape = (6, 5, 4)
    kwargs = {"PReLU": {"num_parameters": getattr(module, "num_parameters", 1)}}.get(name, {})
    layer = getattr(cnnlib, name)(**kwargs)
    want = torch_counts(module, shape)
    assert cnnlib_counts(layer, shape) == want
    assert layer.macs(shape) == 0


def test_prelu_channel_mismatch_raises_in_both():
    with pytest.raises(RuntimeError):
        torch.nn.PReLU(4)(torch.zeros(1, 6, 5, 5))
    with pytest.raises(ShapeError, match="4 slopes need 4 channels"):
        cnnlib.PReLU(4).output_shape((6, 5, 5))


# ----------------------------------------------------------------- centre crop


def torchvision_center_crop(x, size):
    """torchvision.transforms.functional.center_crop's offsets (torchvision is not installable
    here; its formula: crop_top = int(round((image_height - crop_height) / 2.0)))."""
    h, w = x.shape[-2:]
    th, tw = size
    top, left = round((h - th) / 2.0), round((w - tw) / 2.0)  # round() of a float is an int
    return x[..., top:top + th, left:left + tw], (top, left)


@settings(max_examples=FEW)
@given(st.integers(1, 40), st.integers(1, 40), st.integers(1, 40), st.integers(1, 40))
def test_centre_crop_offsets_match_torchvision(agreement, h, w, th, tw):
    from cnnlib.layers.resize import centre_offset

    x = torch.arange(h * w, dtype=torch.float64).reshape(1, 1, h, w)
    layer = cnnlib.CenterCrop2d((th, tw))
    if th > h or tw > w:
        with pytest.raises(ShapeError):
            layer.output_shape((1, h, w))
        agreement["CenterCrop2d"].update(examples=1, both_raised=1)
        return
    y, (top, left) = torchvision_center_crop(x, (th, tw))
    assert layer.output_shape((1, h, w)) == tuple(y.shape[1:])
    assert (centre_offset(h, th), centre_offset(w, tw)) == (top, left)
    agreement["CenterCrop2d"].update(examples=1, both_ok=1)
