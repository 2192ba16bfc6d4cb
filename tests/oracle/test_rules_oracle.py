"""The book's rules about what PyTorch 2.13 and Keras 3 (torch backend) do, checked against them.

The companion of tests/core/test_rules.py, whose docstring holds the table of every rule: each test
here is named after the sentence it guards, quotes it with its location, and compares the
framework with the rule as the book states it (or as corrected, where the book is wrong) — and,
where cnnlib computes the quantity, with cnnlib too. Grids are smaller than in the core tests
(a framework call costs ~0.1 ms for torch, ~1 ms for Keras) but each covers the rule's corners.
"""

from __future__ import annotations

import os

os.environ["KERAS_BACKEND"] = "torch"

import itertools
import random
import re
import warnings

import keras
import numpy as np
import pytest
import torch
import torch.nn.functional as F
import torchinfo
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

import cnnlib
from cnnlib import Conv1d, Conv2d, Dense, ShapeError, receptive_field, same_padding

# keras' torch backend calls np.asarray(tensor, copy=False): a numpy 2 DeprecationWarning
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")

KL = keras.layers
RNG = random.Random(2024)
torch.manual_seed(2024)


def book_o(n, k, s=1, p=0, d=1):
    num = n + 2 * p - d * (k - 1) - 1
    return None if num < 0 else num // s + 1


def ceil_div(a, b):
    return -(-a // b)


def conv1d(c_in, c_out, k, stride=1, padding=0, dilation=1):
    """torch's 1-d convolution with a zero kernel, for sizes: F.conv1d costs ~10 µs where making an
    nn.Conv1d (its random initialisation) costs ~1 ms."""
    weight = torch.zeros(c_out, c_in, k)
    return lambda x: F.conv1d(x, weight, None, stride, padding, dilation)


def max_pool1d(k, stride=None, padding=0, dilation=1, ceil_mode=False):
    return lambda x: F.max_pool1d(x, k, stride, padding, dilation, ceil_mode)


def torch_len(module, n, c=1):
    """Output length of a 1-d module on (1, c, n), or None if torch raises."""
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            return module(torch.zeros(1, c, n)).shape[-1]
    except (RuntimeError, ValueError):
        return None


def sample(grid, count):
    grid = list(grid)
    return grid if len(grid) <= count else RNG.sample(grid, count)


GRID = list(itertools.product(range(1, 31), range(1, 8), range(1, 5), range(4), range(1, 4)))


# ============================================================ chapter 1: convolution


def test_pytorch_output_sizes_come_from_the_one_formula_per_dimension_and_take_the_floor():
    """"Every output size in the book comes from one formula, applied to each spatial dimension
    separately" (01_convolution, Notation); "The formula is applied to the height and the width
    separately" (02_padding_stride, The formula, term by term); "PyTorch (and cnnlib) take the
    floor" (07_alexnet, Why 227 and not 224). Conv2d with different numbers on each axis."""
    cases = sample(itertools.product(GRID, GRID), 5000)
    for (nh, kh, sh, ph, dh), (nw, kw, sw, pw, dw) in cases:
        expected = (book_o(nh, kh, sh, ph, dh), book_o(nw, kw, sw, pw, dw))
        try:
            with torch.no_grad():
                got = tuple(F.conv2d(torch.zeros(1, 1, nh, nw), torch.zeros(1, 1, kh, kw), None, (sh, sw), (ph, pw),
                                     (dh, dw)).shape[2:])
        except RuntimeError:
            got = None
        assert got == (None if None in expected else expected)
        try:
            ours = Conv2d(1, (kh, kw), stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw)).output_shape((1, nh, nw))
        except ShapeError:
            ours = None
        assert ours == (None if got is None else (1, *got))


def test_libraries_compute_cross_correlation_an_output_cell_is_the_sum_of_products_under_the_window():
    """"Deep-learning libraries compute this cross-correlation; they do not flip the kernel"
    (01_convolution, The sliding window); "At each position it multiplies all k·k·C_in input values
    under it by its own weights and adds everything up, across the channels too, into one number."
    (01_convolution, Channels); "An output cell is the sum of the products of the kernel weights and
    the input values under the window." (01_convolution, Summary).

    PyTorch and Keras against the sum written out; the flipped kernel gives other values."""
    for c_in, c_out, k, n in [(1, 1, 3, 5), (3, 2, 3, 6), (2, 4, 2, 5), (5, 1, 4, 7)]:
        x = torch.randn(1, c_in, n, n, dtype=torch.float64)
        w = torch.randn(c_out, c_in, k, k, dtype=torch.float64)
        o = n - k + 1
        by_hand = torch.zeros(1, c_out, o, o, dtype=torch.float64)
        for f, i, j in itertools.product(range(c_out), range(o), range(o)):
            by_hand[0, f, i, j] = (w[f] * x[0, :, i:i + k, j:j + k]).sum()
        assert torch.allclose(F.conv2d(x, w), by_hand)
        assert not torch.allclose(F.conv2d(x, torch.flip(w, (2, 3))), by_hand)
        layer = KL.Conv2D(c_out, k, use_bias=False)
        layer.build((1, n, n, c_in))
        layer.set_weights([w.permute(2, 3, 1, 0).numpy().astype("float32")])
        got = keras.ops.convert_to_numpy(layer(x.permute(0, 2, 3, 1).numpy().astype("float32")))
        assert np.allclose(got, by_hand.permute(0, 2, 3, 1).numpy(), atol=1e-4)


def test_a_filter_is_as_deep_as_its_input_in_pytorch_and_keras():
    """"A filter is as deep as its input … each filter is k × k × C_in" and "The number of filters is
    the number of output channels." (01_convolution, Channels); "weights = k·k·C_in·C_out, biases =
    C_out"; "for 1-d data, k·C_in·C_out + C_out" (01_convolution, Summary); "(n·m·k + 1)·L for an n×m
    kernel over k input and L output maps" (08_vgg, Block by block); glossary C_in, C_out:
    "C_out filters, each k × k × C_in/g deep"."""
    for c_in, c_out, kh, kw, g in itertools.product((1, 2, 6), (2, 6), (1, 3), (2, 3), (1, 2)):
        if c_in % g:
            continue
        m = nn.Conv2d(c_in, c_out, (kh, kw), groups=g)
        assert tuple(m.weight.shape) == (c_out, c_in // g, kh, kw) and tuple(m.bias.shape) == (c_out,)
        params = sum(p.numel() for p in m.parameters())
        assert params == Conv2d(c_out, (kh, kw), groups=g).params((c_in, 8, 8)) == (kh * kw * c_in // g + 1) * c_out
        m1 = nn.Conv1d(c_in, c_out, kw)
        assert sum(p.numel() for p in m1.parameters()) == Conv1d(c_out, kw).params((c_in, 9)) == (kw * c_in + 1) * c_out
    for c_in, c_out, k in [(1, 1, 3), (1, 5, 3), (5, 2, 3), (3, 4, 5)]:
        layer = KL.Conv2D(c_out, k)
        layer.build((None, 10, 10, c_in))
        assert tuple(layer.kernel.shape) == (k, k, c_in, c_out)
        assert layer.count_params() == Conv2d(c_out, k).params((c_in, 10, 10))
        layer = KL.Conv1D(c_out, k)
        layer.build((None, 100, c_in))
        assert layer.count_params() == (k * c_in + 1) * c_out


def test_keras_shapes_are_cnnlib_shapes_written_channels_last():
    """"Keras writes shapes as (height, width, channels) …; cnnlib takes them channels first"
    (01_convolution, Checking Keras summaries): Keras' output shape is cnnlib's, reordered H×W×C."""
    for c_in, c_out, h, w, k, s in sample(itertools.product((1, 3), (2, 5), (6, 11), (7, 10), (1, 3), (1, 2)), 40):
        y = KL.Conv2D(c_out, k, strides=s)(np.zeros((1, h, w, c_in), "float32"))
        ours = Conv2d(c_out, k, stride=s).output_shape((c_in, h, w))
        assert tuple(y.shape[1:]) == cnnlib.shapes.shape_tuple(ours, "HWC")
    y = KL.Conv1D(8, 3)(np.zeros((1, 100, 5), "float32"))
    assert tuple(y.shape[1:]) == cnnlib.shapes.shape_tuple(Conv1d(8, 3).output_shape((5, 100)), "HWC")


# ======================================================= chapter 2: padding and stride


def test_same_keeps_the_size_at_stride_1_in_pytorch_and_keras_for_any_kernel_and_dilation():
    """"'same' keeps o = n when s = 1. With d = 1 and an odd kernel, p = (k−1)/2 on each side does
    it" (02_padding_stride, Special cases …; Exercise 1; errata E3)."""
    for n, k, d in itertools.product(range(1, 25), range(1, 8), range(1, 4)):
        assert torch_len(conv1d(1, 1, k, padding="same", dilation=d), n) == n
        if k % 2 and d == 1:
            assert torch_len(conv1d(1, 1, k, padding=(k - 1) // 2), n) == n
            assert torch_len(conv1d(1, 1, k, stride=2, padding=(k - 1) // 2), n) == ceil_div(n, 2)
    for n, k, d in sample(itertools.product(range(1, 16), range(1, 7), range(1, 3)), 60):
        y = KL.Conv1D(1, k, padding="same", dilation_rate=d)(np.zeros((1, n, 1), "float32"))
        assert y.shape[1] == n


def test_pytorch_accepts_padding_same_only_with_stride_1():
    """"PyTorch accepts padding='same' only with stride 1 and raises an error for a strided
    convolution; there you pad by hand." (02_padding_stride, 'same' with a stride, and an even
    kernel; Summary; Exercise 2: "PyTorch would refuse padding='same' here"; glossary 'same')."""
    for k, s in itertools.product(range(1, 8), range(1, 5)):
        if s == 1:
            with torch.no_grad():
                assert nn.Conv2d(1, 1, k, padding="same")(torch.zeros(1, 1, 9, 9)).shape[-1] == 9
        else:
            with pytest.raises(ValueError, match="stride"):
                nn.Conv2d(1, 1, k, stride=s, padding="same")


def test_keras_same_puts_the_odd_padding_at_the_bottom_right_and_refuses_a_stride_with_a_dilation():
    """"TensorFlow and Keras define padding='same' for any stride as o = ⌈n/s⌉. They add the total
    padding that needs … and when that total is odd the extra row goes to the bottom (the extra
    column to the right)." (02_padding_stride, 'same' with a stride, and an even kernel; Summary;
    glossary 'same' padding: "for any stride").

    Keras' values equal PyTorch's on the input padded by cnnlib.same_padding's (before, after) per
    axis, and not with an odd total swapped. "For any stride" holds for d = 1: Keras refuses a
    stride > 1 with a dilation > 1.
    """
    swapped_differs = 0
    cases = sample(itertools.product(range(3, 12), range(3, 12), range(1, 6), range(1, 4)), 120)
    for h, w, k, s in cases:
        x = np.random.default_rng(h * 100 + w).standard_normal((1, h, w, 1)).astype("float32")
        layer = KL.Conv2D(1, k, strides=s, padding="same", use_bias=False)
        y = keras.ops.convert_to_numpy(layer(x))
        kernel = torch.from_numpy(np.asarray(layer.get_weights()[0])).permute(3, 2, 0, 1)
        (bh, ah), (bw, aw) = same_padding(h, k, s), same_padding(w, k, s)
        xt = torch.from_numpy(x).permute(0, 3, 1, 2)
        ref = F.conv2d(F.pad(xt, (bw, aw, bh, ah)), kernel, stride=s).permute(0, 2, 3, 1).numpy()
        assert y.shape[1:3] == (ceil_div(h, s), ceil_div(w, s))
        assert np.allclose(y, ref, atol=1e-5)
        if ah != bh or aw != bw:
            swapped = F.conv2d(F.pad(xt, (aw, bw, ah, bh)), kernel, stride=s).permute(0, 2, 3, 1).numpy()
            swapped_differs += not np.allclose(y, swapped, atol=1e-5)
    assert swapped_differs > 10
    for s, d in [(2, 2), (3, 2), (2, 3)]:
        with pytest.raises(ValueError, match="dilation"):
            KL.Conv2D(1, 3, strides=s, dilation_rate=d, padding="same")(np.zeros((1, 9, 9, 1), "float32"))
        with pytest.raises(ShapeError):
            cnnlib.conv_output_size(9, 3, s, "same", d)


def test_an_even_kernel_cannot_keep_the_size_with_equal_padding_in_pytorch_unless_the_dilation_is_even():
    """"An even kernel cannot keep the size with equal padding on both sides" (02_padding_stride, 'same'
    with a stride, and an even kernel; Summary; errata E2; teaching notes). At stride 1, with d odd;
    d = 2 makes the total d(k − 1) even (k = 2, d = 2, p = 1 keeps the size)."""
    for n, k, d in itertools.product(range(1, 16), range(1, 7), range(1, 4)):
        keeps = [p for p in range(3 * k * d) if torch_len(conv1d(1, 1, k, padding=p, dilation=d), n) == n]
        assert bool(keeps) == (d * (k - 1) % 2 == 0)
    assert torch_len(conv1d(1, 1, 2, padding=1, dilation=2), 10) == 10


def test_full_padding_p_k_minus_1_in_pytorch_gives_n_plus_k_minus_1_at_stride_1_and_every_window_reads_input():
    """"Full padding p = k − 1 lets the window start with a single input cell under its corner:
    o = n + k − 1, the largest output that still reads an input cell at every position."
    (02_padding_stride, Special cases …; glossary full padding).

    With an all-ones input and kernel, each output counts the input cells its window reads: the
    smallest is 1 at p = k − 1 (first and last windows) and 0 beyond; o = n + k − 1 at s = 1 only.
    """
    for n, k, s in itertools.product(range(1, 13), range(1, 6), range(1, 4)):
        for p in range(k + 2):
            if book_o(n, k, s, p) is None:
                continue
            y = F.conv1d(torch.ones(1, 1, n), torch.ones(1, 1, k), None, s, p)[0, 0]
            assert (y.min().item() >= 1) == (p <= k - 1)
            if p == k - 1:
                assert y[0].item() == 1
                if s == 1:
                    assert len(y) == n + k - 1 and y[-1].item() == 1


def test_pytorch_dilation_changes_only_the_span_and_not_the_weights():
    """"A dilated kernel … still has nine weights. In the formula only the span d(k − 1) + 1
    changes." (02_padding_stride, Dilation)"""
    for n, k, s, p, d in GRID:
        assert torch_len(conv1d(1, 1, k, stride=s, padding=p, dilation=d), n) == \
            torch_len(conv1d(1, 1, d * (k - 1) + 1, stride=s, padding=p), n)
    assert sum(q.numel() for q in nn.Conv2d(1, 1, 3, dilation=2, bias=False).parameters()) == 9


def test_pytorch_never_reads_the_input_rows_after_the_last_window_and_they_number_r_minus_p():
    """The FALSE sentence: "When s does not divide n + 2p − d(k − 1), the floor drops the remainder …
    and the rows (and columns) after it are never read." (02_padding_stride, Rows the windows never
    read).

    The gradient of PyTorch's output with respect to its input is zero exactly on the cells no
    window reads. After the last window there are max(0, r − p) input rows, r =
    (n + 2p − d(k − 1) − 1) mod s — the corrected rule — and they are all that is skipped at the end
    when the windows leave no gaps (d = 1, k ≥ s); with gaps, cells inside the last window's span can
    be skipped too. The sentence's condition (s ∤ n + 2p − d(k − 1)) disagrees with PyTorch, first
    of all on the chapter's own n = 10, k = 3, s = 2.
    """
    book_wrong = 0
    for n, k, s, p, d in sample(GRID, 4000):
        if book_o(n, k, s, p, d) is None:
            continue
        x = torch.ones(1, 1, n, requires_grad=True)
        F.conv1d(x, torch.ones(1, 1, k), None, s, p, d).sum().backward()
        g = x.grad[0, 0]
        read = torch.nonzero(g).flatten().tolist()
        trailing = n - 1 - read[-1] if read else n
        r = (n + 2 * p - d * (k - 1) - 1) % s
        assert trailing >= max(0, r - p) == max(0, cnnlib.arithmetic.conv_window(n, k, s, p, d).unread - p)
        if d == 1 and k >= s:  # windows without gaps: nothing else is skipped
            assert trailing == max(0, r - p)
        book_wrong += ((n + 2 * p - d * (k - 1)) % s != 0) != (r > 0)
    assert book_wrong > 0
    m = nn.Conv1d(1, 1, 3, stride=2, bias=False)
    x = torch.ones(1, 1, 10, requires_grad=True)
    m(x).sum().backward()
    assert x.grad[0, 0, 9] == 0 and (10 - 2) % 2 == 0


def test_pytorch_raises_exactly_when_the_kernel_span_exceeds_the_padded_input():
    """"When a setting is impossible (the kernel span exceeds the padded input), the reason from
    cnnlib.ShapeError replaces the number." (02_padding_stride, Try it); "Nothing raises an error,
    so the network runs" (07_alexnet, Why 227 and not 224)."""
    for n, k, s, p, d in sample(GRID, 3000):
        impossible = d * (k - 1) + 1 > n + 2 * p
        assert (torch_len(conv1d(1, 1, k, stride=s, padding=p, dilation=d), n) is None) == impossible


# ================================================================ chapter 3: pooling


def test_pytorch_pooling_has_no_parameters_and_pools_each_channel_on_its_own():
    """"It has no weights, and it works on each channel separately, so the number of channels does
    not change." (03_pooling, introduction; No parameters, same channels; Summary; glossary
    parameter). Changing one channel of the input changes that channel of the output only."""
    for module in [nn.MaxPool2d(2), nn.AvgPool2d(3, stride=1, padding=1), nn.AdaptiveAvgPool2d(1),
                   nn.MaxPool2d(3, stride=2, ceil_mode=True), nn.AdaptiveMaxPool2d((2, 3))]:
        assert sum(p.numel() for p in module.parameters()) == 0
        x = torch.randn(1, 6, 9, 9)
        y = module(x)
        assert y.shape[1] == 6
        for c in range(6):
            x2 = x.clone()
            x2[0, c] += torch.randn(9, 9) * 10
            changed = (module(x2) != y).flatten(2).any(-1)[0]
            assert changed.tolist() == [i == c for i in range(6)]


def test_max_pooling_takes_the_largest_value_and_average_pooling_the_mean_of_each_window():
    """"Max pooling keeps the strongest response in each block; average pooling smooths."
    (03_pooling, Max and average on a small grid): each output is the maximum / the mean of its
    window."""
    for n, k, s in itertools.product(range(2, 10), range(1, 4), range(1, 4)):
        if k > n:
            continue
        x = torch.randn(1, 1, n)
        mx, av = nn.MaxPool1d(k, stride=s)(x)[0, 0], nn.AvgPool1d(k, stride=s)(x)[0, 0]
        for i in range(len(mx)):
            window = x[0, 0, i * s:i * s + k]
            assert mx[i] == window.max() and torch.isclose(av[i], window.mean())


def test_pytorch_and_keras_pooling_stride_defaults_to_the_window_and_a_dilated_pool_then_overlaps():
    """"The stride defaults to the window size (PyTorch's stride=None, Keras' strides=None), so the
    windows do not overlap unless asked to." (03_pooling, The one formula, with s = k by default).
    Holds for d = 1: a dilated PyTorch pool also steps by k, so its windows share cells (the maximum
    at cell 2 of MaxPool1d(2, dilation=2) is taken by two windows)."""
    for k in range(1, 8):
        assert nn.MaxPool2d(k).stride == k and nn.AvgPool2d(k).stride == k
        assert KL.MaxPooling2D(k).strides == (k, k) and KL.AveragePooling1D(k).strides == (k,)
    x = torch.tensor([[[0.0, 0.0, 5.0, 0.0, 0.0, 0.0]]], requires_grad=True)
    y = nn.MaxPool1d(2, dilation=2)(x)
    assert y.tolist() == [[[5.0, 5.0]]]  # windows {0, 2} and {2, 4}
    y.sum().backward()
    assert x.grad[0, 0, 2].item() == 2.0


def test_pytorch_pooling_follows_the_one_formula_and_ceil_mode_drops_a_window_that_would_start_in_the_right_padding():
    """"Pooling sizes follow the same formula as convolutions" (03_pooling, The one formula …;
    Summary); "PyTorch's pooling layers take ceil_mode=True, which replaces ⌊ ⌋ by ⌈ ⌉ … PyTorch drops
    such a window: if (o − 1)s ≥ n + p, the output is one smaller." (03_pooling, ceil_mode: round up,
    but never start in the padding; Summary; glossary ceil_mode)."""
    drops = 0
    for n, k, s, p, d in GRID:
        if p > k // 2:
            continue
        floor = book_o(n, k, s, p, d)
        assert torch_len(max_pool1d(k, stride=s, padding=p, dilation=d), n) == floor
        if d == 1:
            assert torch_len(lambda x, k=k, s=s, p=p: F.avg_pool1d(x, k, s, p), n) == floor
        if floor is None:
            continue
        raw = ceil_div(n + 2 * p - d * (k - 1) - 1, s) + 1
        rule = raw - 1 if (raw - 1) * s >= n + p else raw
        drops += rule != raw
        assert torch_len(max_pool1d(k, stride=s, padding=p, dilation=d, ceil_mode=True), n) == rule
        assert cnnlib.pool_output_size(n, k, s, p, d, ceil_mode=True) == rule
    assert drops > 0
    assert torch_len(max_pool1d(2, stride=2, padding=1, ceil_mode=True), 5) == 3


def test_pytorch_ceil_mode_reads_the_last_row_when_the_window_is_at_least_the_stride():
    """"If the border matters, pad before pooling or use ceil mode." (03_pooling, Odd sizes: floor
    drops the last row and column). With k ≥ s the last row gets a gradient in ceil mode; with k < s
    it can stay unread (n = 5, k = 1, s = 3)."""
    def last_row_read(n, k, s):
        x = torch.rand(1, 1, n, requires_grad=True)
        nn.AvgPool1d(k, stride=s, ceil_mode=True)(x).sum().backward()
        return x.grad[0, 0, -1].item() != 0

    for n, k, s in itertools.product(range(1, 20), range(1, 6), range(1, 6)):
        if k <= n and k >= s:
            assert last_row_read(n, k, s)
    assert not last_row_read(5, 1, 3) and not last_row_read(7, 2, 4)


def test_pytorch_pooling_padding_may_be_at_most_half_the_window():
    """"(PyTorch's rules: the padding may be at most half the window; otherwise the reason is
    shown)" (03_pooling, Try it)."""
    for k, p, d in itertools.product(range(1, 8), range(6), range(1, 3)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                nn.MaxPool1d(k, stride=1, padding=p, dilation=d)(torch.zeros(1, 1, 40))
                ok = True
            except RuntimeError:
                ok = False
        assert ok == (p <= k // 2)
        try:
            cnnlib.pool_output_size(40, k, 1, p, d)
            ours = True
        except ShapeError:
            ours = False
        assert ours == ok


def test_keras_has_no_ceil_mode_and_its_same_pooling_gives_ceil_n_over_s():
    """"(Keras has no ceil_mode; its padding='same' pooling gives ⌈n/s⌉ instead.)" (03_pooling,
    ceil_mode: round up, but never start in the padding)."""
    with pytest.raises((TypeError, ValueError)):
        KL.MaxPooling2D(2, ceil_mode=True)
    for n, k, s in sample(itertools.product(range(1, 20), range(1, 6), range(1, 6)), 150):
        y = KL.MaxPooling1D(k, strides=s, padding="same")(np.zeros((1, n, 1), "float32"))
        assert y.shape[1] == ceil_div(n, s) == cnnlib.pool_output_size(n, k, s, "same")


def test_global_average_pooling_gives_one_mean_per_channel():
    """"Global average pooling uses one window as large as the whole map: each channel becomes a
    single number, its mean." (03_pooling, Global average pooling; Summary; Exercise 5)."""
    for c, h, w in [(1, 1, 1), (3, 7, 7), (16, 5, 9)]:
        x = torch.randn(1, c, h, w)
        assert torch.allclose(nn.AdaptiveAvgPool2d(1)(x).flatten(), x.mean((2, 3)).flatten())
        y = KL.GlobalAveragePooling2D()(x.permute(0, 2, 3, 1).numpy())
        assert tuple(y.shape[1:]) == (c,) == cnnlib.GlobalAvgPool2d(keepdims=False).output_shape((c, h, w))


# ============================================================= chapter 4: dense layers


def test_flatten_gives_c_h_w_values_in_pytorch_and_keras_in_different_orders():
    """"the vector has C·H·W elements. Nothing is learned — Flatten has no parameters … (PyTorch and
    Keras order the elements differently, channels first or last, but the length is the same.)"
    (04_dense, Flatten: a feature map becomes a vector; Summary)."""
    for c, h, w in [(2, 3, 4), (32, 5, 5), (256, 6, 6)]:
        x = torch.randn(1, c, h, w)
        pt = nn.Flatten()(x)[0]
        ks = keras.ops.convert_to_numpy(KL.Flatten()(x.permute(0, 2, 3, 1).numpy()))[0]
        assert len(pt) == len(ks) == c * h * w == cnnlib.Flatten().output_shape((c, h, w))[0]
        assert not np.allclose(pt.numpy(), ks) and np.allclose(np.sort(pt.numpy()), np.sort(ks))
        assert sum(p.numel() for p in nn.Flatten().parameters()) == 0


def test_a_dense_layer_has_in_plus_1_times_out_parameters_in_pytorch_and_keras():
    """"params = in·out + out = (in + 1)·out" (04_dense, A dense layer …; Summary)."""
    for i, o in itertools.product((1, 7, 800, 9216), (1, 10, 128, 4096)):
        assert sum(p.numel() for p in nn.Linear(i, o).parameters()) == (i + 1) * o == Dense(o).params((i,))
    for i, o in [(1, 1), (800, 128), (128, 10)]:
        layer = KL.Dense(o)
        layer.build((None, i))
        assert layer.count_params() == (i + 1) * o


# ====================================================== chapter 5: 1×1 convolutions


def test_a_1x1_convolution_is_a_dense_layer_applied_to_every_pixel_with_the_same_weights():
    """"Followed by a nonlinearity, it is a small fully connected layer applied to every pixel with
    the same weights." (05_one_by_one, The bottleneck …); "the layer has C_in·C_out weights (plus
    C_out biases), and height and width do not change" (05_one_by_one, A 1×1 convolution mixes
    channels …) — at stride 1; stride 2 halves them (ResNet's shortcuts)."""
    for c_in, c_out, h, w in [(3, 5, 4, 6), (64, 16, 7, 7), (8, 32, 1, 9)]:
        conv = nn.Conv2d(c_in, c_out, 1)
        lin = nn.Linear(c_in, c_out)
        with torch.no_grad():
            lin.weight.copy_(conv.weight[:, :, 0, 0])
            lin.bias.copy_(conv.bias)
            x = torch.randn(1, c_in, h, w)
            assert torch.allclose(conv(x), lin(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2), atol=1e-5)
            assert conv(x).shape[2:] == (h, w)
            assert nn.Conv2d(c_in, c_out, 1, stride=2)(x).shape[2:] == (ceil_div(h, 2), ceil_div(w, 2))


def test_grouped_convolutions_split_the_channels_into_groups_that_do_not_see_each_other():
    """"groups = g splits the channels into g independent groups, and the weights are
    k·k·(C_in/g)·C_out" (05_one_by_one, The next step …); glossary g: "splits the channels into g
    groups that do not see each other"; "a filter sees C_in/2 channels, so the layer has half the
    weights" (07_alexnet, Two GPUs …)."""
    for c_in, c_out, g, k in [(4, 4, 2, 3), (6, 9, 3, 1), (8, 8, 8, 3), (12, 24, 4, 3)]:
        m = nn.Conv2d(c_in, c_out, k, groups=g, bias=False)
        assert m.weight.numel() == k * k * (c_in // g) * c_out == Conv2d(c_out, k, groups=g).weights((c_in, 9, 9))
        assert m.weight.numel() * g == nn.Conv2d(c_in, c_out, k, bias=False).weight.numel()
        x = torch.randn(1, c_in, 9, 9)
        with torch.no_grad():
            y = m(x)
            for a in range(g):
                x2 = x.clone()
                x2[0, a * c_in // g] += 1.0
                changed = (m(x2) != y).flatten(2).any(-1)[0].tolist()
                assert changed == [j // (c_out // g) == a for j in range(c_out)]


def test_depthwise_separable_needs_k_k_cin_plus_cin_cout_weights_in_pytorch():
    """"k·k·C_in (depthwise) + C_in·C_out (pointwise)" instead of k·k·C_in·C_out (05_one_by_one,
    The next step …; Summary; glossary depthwise-separable convolution)."""
    for c_in, c_out, k in itertools.product((1, 3, 32), (1, 16, 64), (1, 3, 5)):
        dw = nn.Conv2d(c_in, c_in, k, groups=c_in, bias=False)
        pw = nn.Conv2d(c_in, c_out, 1, bias=False)
        std = nn.Conv2d(c_in, c_out, k, bias=False)
        assert dw.weight.numel() + pw.weight.numel() == k * k * c_in + c_in * c_out
        assert std.weight.numel() == k * k * c_in * c_out
        assert dw.weight.numel() // c_in == k * k  # "each filter sees one channel only and has k·k weights"


# ======================================================= chapter 6: MACs, the network


def _flops(module, x):
    with FlopCounterMode(display=False) as counter:
        module(x)
    return counter.get_total_flops()


def test_pytorch_counts_2_flops_per_mac_of_a_convolution_and_a_dense_layer_without_bias_adds():
    """"A parameter is stored once; a multiply–accumulate (MAC) is done once per output position. A
    convolution reuses its few weights at every position …, a dense layer uses each of its many
    weights exactly once." and "(MACs for one image, bias additions not counted)" (07_alexnet, Where
    the parameters live …); glossary MAC: "C_out H_out W_out · (C_in/g) k_h k_w MACs per input; this
    book does not count the bias additions. FLOPs are 2 × MACs only where stated." — PyTorch's
    FlopCounterMode states it: 2 FLOPs per multiply–accumulate, bias adds not counted."""
    cases = sample(itertools.product((1, 2, 4), (1, 3), (1, 2), (0, 1), (1, 2), (8, 13), (True, False)), 150)
    for g, k, s, p, d, n, bias in cases:
        c_in, c_out = 4 * g, 2 * g
        m = nn.Conv2d(c_in, c_out, k, stride=s, padding=p, dilation=d, groups=g, bias=bias)
        ours = Conv2d(c_out, k, stride=s, padding=p, dilation=d, groups=g, bias=bias).macs((c_in, n, n))
        assert _flops(m, torch.zeros(1, c_in, n, n)) == 2 * ours
        m1 = nn.Conv1d(c_in, c_out, k, stride=s, padding=p, dilation=d, groups=g, bias=bias)
        assert _flops(m1, torch.zeros(1, c_in, n)) == 2 * Conv1d(c_out, k, stride=s, padding=p, dilation=d,
                                                                  groups=g, bias=bias).macs((c_in, n))
    for i, o in [(9216, 4096), (7, 3), (100, 1)]:
        lin = nn.Linear(i, o)
        assert _flops(lin, torch.zeros(1, i)) == 2 * Dense(o).macs((i,)) == 2 * i * o


# ================================================================== chapter 7: VGG


def test_batch_norm_has_2c_parameters_and_its_running_statistics_are_buffers_that_keras_lists_as_non_trainable():
    """"Batch normalisation adds a scale and a shift per channel after every convolution." and
    "(BatchNorm's running mean and variance are buffers, not parameters; Keras lists them as
    non-trainable parameters.)" (08_vgg, The family in one table); glossary parameter ("batch
    normalisation has 2C (γ and β)") and buffer."""
    for c in (1, 3, 64, 512):
        bn = nn.BatchNorm2d(c)
        assert sum(p.numel() for p in bn.parameters()) == 2 * c == cnnlib.BatchNorm2d().params((c, 4, 4))
        buffers = dict(bn.named_buffers())
        assert buffers["running_mean"].numel() == buffers["running_var"].numel() == c
        assert sum(b.numel() for b in bn.buffers()) == cnnlib.BatchNorm2d().buffers((c, 4, 4))
        layer = KL.BatchNormalization()
        layer.build((None, 4, 4, c))
        assert sum(int(np.prod(w.shape)) for w in layer.trainable_weights) == 2 * c
        assert sum(int(np.prod(w.shape)) for w in layer.non_trainable_weights) == 2 * c


def test_pytorch_activation_and_dropout_layers_have_no_parameters_except_prelu():
    """"pooling, activation and dropout layers have none" (glossary: parameter) — except PReLU."""
    for module in [nn.ReLU(), nn.ReLU6(), nn.LeakyReLU(), nn.ELU(), nn.GELU(), nn.SiLU(), nn.Sigmoid(),
                   nn.Tanh(), nn.Hardswish(), nn.Hardsigmoid(), nn.Softmax(-1), nn.Identity(), nn.Dropout()]:
        assert sum(p.numel() for p in module.parameters()) == 0
    assert sum(p.numel() for p in nn.PReLU().parameters()) == 1 == cnnlib.PReLU().params((8, 4, 4))


def test_torchinfo_prints_mb_of_10_6_bytes_and_keras_prints_mb_for_mib():
    """Glossary MB, MiB: "torchinfo prints MB (10⁶); Keras prints "MB" for MiB." (also 08_vgg,
    introduction: "MB means 10⁶ bytes and MiB 2²⁰ bytes")."""
    model = nn.Sequential(nn.Flatten(), nn.Linear(192, 100_000))
    params = sum(p.numel() for p in model.parameters())
    text = str(torchinfo.summary(model, input_size=(1, 3, 8, 8), verbose=0))
    shown = float(re.search(r"Params size \(MB\): ([\d.]+)", text).group(1))
    assert shown == round(4 * params / 1e6, 2) != round(4 * params / 2**20, 2)
    kmodel = keras.Sequential([keras.Input((8, 8, 3)), KL.Flatten(), KL.Dense(100_000)])
    lines = []
    kmodel.summary(print_fn=lambda line, **kw: lines.append(line))
    shown = float(re.search(r"Total params: [\d,]+ \(([\d.]+) MB\)", "\n".join(lines)).group(1))
    assert kmodel.count_params() == params
    assert shown == round(4 * params / 2**20, 2) != round(4 * params / 1e6, 2)


@pytest.mark.parametrize("chain", [
    [(3, 1, 1)] * 2, [(3, 1, 1)] * 3, [(3, 2, 1), (3, 1, 1)], [(5, 2, 1), (3, 1, 2), (3, 2, 1)],
    [(7, 2, 1), (3, 2, 1), (3, 1, 1), (3, 1, 1)], [(2, 2, 1), (2, 2, 1), (3, 1, 3)], [(1, 1, 1), (3, 3, 1)],
])
def test_the_receptive_field_in_pytorch_grows_by_d_k_minus_1_times_the_jump(chain):
    """"Two 3×3 convolutions in a row let each output see a 5×5 patch of the input, three see 7×7 —
    the receptive field grows by k − 1 = 2 per layer" (08_vgg, Why stacks of 3×3; glossary receptive
    field). The input cells that get a gradient from one output unit in the middle span exactly
    cnnlib's receptive field, 1 + Σ d(k − 1)·jump — 5 and 7 at stride 1, 7 for two 3×3 after a
    stride of 2."""
    layers, expected, jump = [], 1, 1
    for k, s, d in chain:
        conv = nn.Conv1d(1, 1, k, stride=s, dilation=d, bias=False)
        nn.init.ones_(conv.weight)
        layers.append(conv)
        expected += d * (k - 1) * jump
        jump *= s
    n = 4 * expected + 10 * jump
    x = torch.ones(1, 1, n, requires_grad=True)
    y = nn.Sequential(*layers)(x)
    y[0, 0, y.shape[-1] // 2].backward()
    touched = torch.nonzero(x.grad[0, 0]).flatten()
    assert (touched[-1] - touched[0] + 1).item() == expected
    ours = receptive_field(cnnlib.Sequential((1, n), [Conv1d(1, k, stride=s, dilation=d) for k, s, d in chain]))
    assert ours[-1].size == expected
    if chain == [(3, 1, 1)] * 2:
        assert expected == 5
    if chain == [(3, 2, 1), (3, 1, 1)]:
        assert expected == 7


# ======================================================= chapter 8: worked examples


def test_relu_looks_at_one_number_at_a_time_and_softmax_changes_every_output_when_one_input_changes():
    """"ReLU is; softmax divides by a sum over all outputs of the layer, so changing one input
    changes them all" (12_worked_examples, Case 1, erratum E16); "ReLU looks at one number at a time;
    softmax divides by a sum over the whole layer, so changing one input changes every output"
    (errata, Softmax is not element-wise)."""
    for n in (2, 5, 10):
        z = torch.randn(n, dtype=torch.float64)
        relu_j = torch.autograd.functional.jacobian(torch.relu, z)
        assert torch.count_nonzero(relu_j - torch.diag(torch.diagonal(relu_j))) == 0
        soft_j = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, -1), z)
        assert torch.all(soft_j != 0)


def test_conv1d_length_is_l_minus_k_over_s_rounded_down_plus_1_in_pytorch_and_keras():
    """The UNDERSPECIFIED summary line "Conv1D counts like Conv2D with one spatial axis:
    (k·C_in + 1)·C_out parameters, L_out = (L − k)/s + 1." (12_worked_examples, Summary): PyTorch and
    Keras give ⌊(L − k)/s⌋ + 1 (no padding, d = 1) — 49 for L = 100, k = 3, s = 2, not 49.5."""
    for length, k, s in itertools.product(range(1, 40), range(1, 6), range(1, 5)):
        if k <= length:
            assert torch_len(conv1d(5, 8, k, stride=s), length, c=5) == (length - k) // s + 1
    for length, k, s in [(100, 3, 2), (100, 3, 1), (17, 4, 3), (10, 5, 4)]:
        y = KL.Conv1D(8, k, strides=s)(np.zeros((1, length, 5), "float32"))
        assert y.shape[1] == (length - k) // s + 1
    assert torch_len(conv1d(5, 8, 3, stride=2), 100, c=5) == 49
