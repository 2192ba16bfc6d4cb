"""cnnlib against PyTorch 2.13 (CPU): shapes, parameter counts and the error boundary.

For random layers — valid ones and, on purpose, invalid ones (stride 0, negative
padding, dilation 0, kernels larger than the input, groups that do not divide the
channels, pooling padding > k/2, zero channels, input size 0 or 1) — the test builds
the torch module, runs a zero tensor of batch 1 through it and asks cnnlib the same
question.  They must agree exactly: both raise, or both give the same output shape
(without the batch dimension) and the same ``sum(p.numel() for p in m.parameters())``.

Known torch behaviours the strategies steer around, each pinned by its own test below:

* ``padding='same'`` with stride > 1: torch refuses, cnnlib follows Keras (see
  test_keras_same.py), so 'same' is only drawn with stride 1 (or the invalid 0).
* a convolution of a zero-channel input (C_in = 0): torch skips its argument checks
  and returns an empty (0, H_out, W_out) tensor, whatever out_channels is. cnnlib
  mirrors the shape (and, like torch, accepts a spatial size 0 there when the padding
  alone holds the kernel), but still rejects kernel 0 / dilation 0, where torch returns
  nonsense sizes; those two are not drawn together with C_in = 0.

The number of examples per test is CNNLIB_EXAMPLES (default 2000, see conftest.py);
the per-kind counts are printed at the end of the run.
"""

from __future__ import annotations

import math
import warnings

import pytest
import torch
import torchinfo
from hypothesis import given, settings
from hypothesis import strategies as st

import cnnlib
from cnnlib import ShapeError

torch.set_num_threads(1)

# the profile in conftest.py reads CNNLIB_EXAMPLES; the MACs tests run a fraction of it
EXAMPLES = settings.default.max_examples


from helpers import Case, compare, per_dim, size, sometimes_bad

# ----------------------------------------------------------------- convolutions


@st.composite
def conv_cases(draw, nd):
    kind = "Conv2d" if nd == 2 else "Conv1d"
    c_in = sometimes_bad(draw, st.integers(1, 12), [0], one_in=15)
    g_kind = draw(st.sampled_from(["1", "1", "divisor", "depthwise", "any"]))
    if g_kind == "1":
        groups = 1
    elif g_kind == "divisor":
        groups = draw(st.sampled_from([d for d in range(1, max(c_in, 1) + 1) if c_in % d == 0]))
    elif g_kind == "depthwise":
        groups = c_in  # 0 when c_in is 0: an invalid groups value on purpose
    else:
        groups = draw(st.integers(-1, 6))
    if draw(st.integers(0, 9)) == 0:
        out = draw(st.integers(0, 12))  # may not be a multiple of groups, may be 0
    else:
        out = max(groups, 1) * draw(st.integers(1, 3))
    zero_ok = c_in > 0  # torch skips its checks for an empty input: see the docstring
    kbad = [0, -1] if zero_ok else [1]
    kernel = per_dim(draw, nd, lambda: sometimes_bad(draw, st.integers(1, 7), kbad, one_in=25))
    dilation = per_dim(draw, nd, lambda: sometimes_bad(draw, st.sampled_from([1, 1, 2, 3]),
                                                       [0, -1] if zero_ok else [1], one_in=25))
    mode = draw(st.sampled_from(["int", "int", "int", "valid", "same"]))
    if mode == "same":
        padding = "same"
        stride = per_dim(draw, nd, lambda: sometimes_bad(draw, st.just(1), [0], one_in=25))
    else:
        padding = mode if mode == "valid" else per_dim(
            draw, nd, lambda: sometimes_bad(draw, st.integers(0, 4), [-1], one_in=25))
        stride = per_dim(draw, nd, lambda: sometimes_bad(draw, st.integers(1, 4), [0, -1], one_in=25))
    spatial = tuple(size(draw) for _ in range(nd))
    bias = draw(st.booleans())
    kwargs = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups, "bias": bias}
    return Case(kind, (c_in, *spatial), kwargs, (c_in, out, kernel))


@given(conv_cases(2))
def test_conv2d_agrees_with_torch(agreement, case):
    compare(agreement, case, torch.nn.Conv2d, cnnlib.Conv2d, case.positional[1:])


@given(conv_cases(1))
def test_conv1d_agrees_with_torch(agreement, case):
    compare(agreement, case, torch.nn.Conv1d, cnnlib.Conv1d, case.positional[1:])


# ---------------------------------------------------------------------- pooling


@st.composite
def pool_cases(draw, kind, nd, has_dilation):
    channels = sometimes_bad(draw, st.integers(1, 4), [0], one_in=20)
    ks = [sometimes_bad(draw, st.integers(1, 7), [0, -1], one_in=15) for _ in range(nd)]
    # padding: mostly 0..k/2, which torch allows; one time in five 0..4 (often > k/2)
    ps = [sometimes_bad(draw, st.integers(0, max(k, 0) // 2), [-1] + list(range(5)), one_in=5)
          for k in ks]
    same = nd == 1 or (len(set(ks)) == 1 and len(set(ps)) == 1 and draw(st.booleans()))
    kernel = ks[0] if same and draw(st.booleans()) else tuple(ks)
    padding = ps[0] if same and draw(st.booleans()) else tuple(ps)
    if draw(st.integers(0, 3)) == 0:
        stride = None
    else:
        stride = per_dim(draw, nd, lambda: sometimes_bad(draw, st.integers(1, 4), [0, -1], one_in=25))
    kwargs = {"stride": stride, "padding": padding, "ceil_mode": draw(st.booleans())}
    if has_dilation:
        kwargs["dilation"] = per_dim(
            draw, nd, lambda: sometimes_bad(draw, st.sampled_from([1, 1, 2, 3]), [0, -1], one_in=25))
    spatial = tuple(size(draw) for _ in range(nd))
    return Case(kind, (channels, *spatial), kwargs, (kernel,))


@given(pool_cases("MaxPool2d", 2, True))
def test_maxpool2d_agrees_with_torch(agreement, case):
    compare(agreement, case, torch.nn.MaxPool2d, cnnlib.MaxPool2d, case.positional)


@given(pool_cases("AvgPool2d", 2, False))
def test_avgpool2d_agrees_with_torch(agreement, case):
    compare(agreement, case, torch.nn.AvgPool2d, cnnlib.AvgPool2d, case.positional)


@given(pool_cases("MaxPool1d", 1, True))
def test_maxpool1d_agrees_with_torch(agreement, case):
    compare(agreement, case, torch.nn.MaxPool1d, cnnlib.MaxPool1d, case.positional)


@given(pool_cases("AvgPool1d", 1, False))
def test_avgpool1d_agrees_with_torch(agreement, case):
    compare(agreement, case, torch.nn.AvgPool1d, cnnlib.AvgPool1d, case.positional)


# ------------------------------------------------- the quirks the strategies avoid


def test_torch_refuses_same_with_stride_but_cnnlib_follows_keras():
    with pytest.raises(ValueError, match="strided"):
        torch.nn.Conv2d(3, 8, 3, stride=2, padding="same")
    # Keras/TensorFlow: o = ⌈7/2⌉ = 4 (checked against Keras in test_keras_same.py)
    assert cnnlib.Conv2d(8, 3, stride=2, padding="same").output_shape((3, 7, 7)) == (8, 4, 4)


def test_zero_input_channels_torch_returns_an_empty_map():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Initializing zero-element tensors is a no-op"
        m = torch.nn.Conv2d(0, 4, 3, stride=2, padding=1)
    y = m(torch.zeros(1, 0, 5, 5))
    assert tuple(y.shape[1:]) == (0, 3, 3)  # not (4, 3, 3): torch's empty-input shortcut
    assert sum(p.numel() for p in m.parameters()) == 4  # 4·0·3·3 weights + 4 biases
    layer = cnnlib.Conv2d(4, 3, stride=2, padding=1)
    assert layer.output_shape((0, 5, 5)) == (0, 3, 3)
    assert layer.params((0, 5, 5)) == 4
    assert layer.macs((0, 5, 5)) == 0


def test_zero_input_channels_torch_skips_kernel_and_dilation_checks():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # kernel 0 on 5×5 gives a 6×6 "output" in torch; dilation 0 gives 5×5
        assert tuple(torch.nn.Conv2d(0, 4, 0)(torch.zeros(1, 0, 5, 5)).shape) == (1, 0, 6, 6)
        assert tuple(torch.nn.Conv2d(0, 4, 3, dilation=0)(torch.zeros(1, 0, 5, 5)).shape) == (1, 0, 5, 5)
    # cnnlib keeps rejecting a kernel 0 or dilation 0 whatever the input
    with pytest.raises(ShapeError, match="kernel"):
        cnnlib.Conv2d(4, 0).output_shape((0, 5, 5))
    with pytest.raises(ShapeError, match="dilation"):
        cnnlib.Conv2d(4, 3, dilation=0).output_shape((0, 5, 5))


def test_pooling_zero_channels_raises_in_torch_and_cnnlib():
    with pytest.raises(RuntimeError):
        torch.nn.MaxPool2d(2)(torch.zeros(1, 0, 4, 4))
    with pytest.raises(ShapeError):
        cnnlib.MaxPool2d(2).output_shape((0, 4, 4))


# ---------------------------------------------------------------------------- MACs


def torchinfo_macs(module, in_shape):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stats = torchinfo.summary(module, input_size=(1, *in_shape), verbose=0, device="cpu")
    leaves = [info for info in stats.summary_list if info.is_leaf_layer]
    assert len(leaves) == 1
    return leaves[0].macs, tuple(leaves[0].output_size[1:])


@st.composite
def valid_conv(draw, nd):
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    c_in = groups * draw(st.integers(1, 4))
    out = groups * draw(st.integers(1, 4))
    kernel = tuple(draw(st.integers(1, 5)) for _ in range(nd))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    padding = tuple(draw(st.integers(0, 2)) for _ in range(nd))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    spatial = tuple(draw(st.integers(d * (k - 1) + 1, 24)) for k, d in zip(kernel, dilation))
    bias = draw(st.booleans())
    return c_in, out, kernel, {"stride": stride, "padding": padding, "dilation": dilation,
                                   "groups": groups, "bias": bias}, spatial


@settings(max_examples=min(300, max(20, EXAMPLES // 6)))
@given(st.sampled_from([1, 2]).flatmap(valid_conv))
def test_conv_macs_are_torchinfo_mult_adds_minus_bias(agreement, cfg):
    c_in, out, kernel, kw, spatial = cfg
    nd = len(kernel)
    module = (torch.nn.Conv2d if nd == 2 else torch.nn.Conv1d)(c_in, out, kernel, **kw)
    layer = (cnnlib.Conv2d if nd == 2 else cnnlib.Conv1d)(out, kernel, **kw)
    in_shape = (c_in, *spatial)
    ti_macs, out_shape = torchinfo_macs(module, in_shape)
    positions = math.prod(out_shape[1:])
    bias_adds = (out if kw["bias"] else 0) * positions  # torchinfo counts (weights + bias)·positions
    assert layer.output_shape(in_shape) == out_shape
    assert layer.macs(in_shape) == ti_macs - bias_adds
    # and by hand: each output element is one dot product of length C_in/g · Πk
    assert layer.macs(in_shape) == out * positions * (c_in // kw["groups"]) * math.prod(kernel)
    agreement[f"Conv{nd}d MACs (torchinfo)"]["examples"] += 1
    agreement[f"Conv{nd}d MACs (torchinfo)"]["both_ok"] += 1


@settings(max_examples=min(100, max(20, EXAMPLES // 20)))
@given(st.integers(1, 300), st.integers(1, 300), st.booleans())
def test_dense_macs_are_torchinfo_mult_adds_minus_bias(agreement, n_in, n_out, bias):
    ti_macs, out_shape = torchinfo_macs(torch.nn.Linear(n_in, n_out, bias=bias), (n_in,))
    layer = cnnlib.Dense(n_out, bias=bias)
    assert layer.output_shape((n_in,)) == out_shape
    assert layer.macs((n_in,)) == ti_macs - (n_out if bias else 0) == n_in * n_out
    agreement["Dense MACs (torchinfo)"]["examples"] += 1
    agreement["Dense MACs (torchinfo)"]["both_ok"] += 1
