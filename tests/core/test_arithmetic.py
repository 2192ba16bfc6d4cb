"""cnnlib.arithmetic: output sizes worked by hand from the source posts, and bad input.

Every expected number is computed in the comment next to it with
o = ⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1 — never copied from cnnlib's output.
"""

from __future__ import annotations

import pytest

import cnnlib
from cnnlib import (
    ShapeError,
    conv_formula,
    conv_output_size,
    effective_kernel,
    pool_formula,
    pool_output_size,
    same_padding,
)

# ----------------------------------------------------------------- worked examples


def test_alexnet_conv1_227_to_55():
    # ⌊(227 − 11)/4⌋ + 1 = 54 + 1 = 55
    assert conv_output_size(227, 11, stride=4) == 55


def test_alexnet_pool1_55_to_27():
    # ⌊(55 − 3)/2⌋ + 1 = 26 + 1 = 27 (overlapping pooling)
    assert pool_output_size(55, 3, stride=2) == 27


def test_conv_4x4_on_39x31():
    # 39 − 4 + 1 = 36, 31 − 4 + 1 = 28
    assert (conv_output_size(39, 4), conv_output_size(31, 4)) == (36, 28)


def test_keras_maxpool_2_on_11():
    # stride defaults to the pool size: ⌊(11 − 2)/2⌋ + 1 = 4 + 1 = 5
    assert pool_output_size(11, 2) == 5
    # ceil_mode: ⌈9/2⌉ + 1 = 6; the last window starts at 5·2 = 10 < 11, so it stays
    assert pool_output_size(11, 2, ceil_mode=True) == 6


def test_conv1d_lengths_100_98_96():
    # ⌊(100 − 3)/1⌋ + 1 = 98, then 98 − 3 + 1 = 96
    assert conv_output_size(100, 3) == 98
    assert conv_output_size(98, 3) == 96


def test_conv_5x5_on_32_gives_28():
    assert conv_output_size(32, 5) == 28  # 32 − 5 + 1


@pytest.mark.parametrize(("n", "k", "s", "p", "d", "o"), [
    (224, 3, 1, 1, 1, 224),   # 'same' by hand: 224 + 2 − 2 − 1 + 1
    (224, 7, 2, 3, 1, 112),   # ResNet stem: ⌊(224 + 6 − 6 − 1)/2⌋ + 1 = 111 + 1
    (13, 3, 1, 1, 1, 13),     # AlexNet conv3
    (7, 3, 1, 0, 2, 3),       # dilated: span 2·2 + 1 = 5, 7 − 5 + 1
    (5, 3, 2, 0, 1, 2),       # ⌊2/2⌋ + 1
    (6, 3, 2, 0, 1, 2),       # ⌊3/2⌋ + 1: the last column is never visited
    (1, 1, 1, 0, 1, 1),
    (1, 3, 1, 1, 1, 1),       # padding makes a 1-pixel input big enough
    (4, 4, 5, 0, 1, 1),       # ⌊0/5⌋ + 1
])
def test_conv_output_size_by_hand(n, k, s, p, d, o):
    assert conv_output_size(n, k, stride=s, padding=p, dilation=d) == o


@pytest.mark.parametrize(("n", "k", "s", "o"), [
    (224, 3, 1, 224), (224, 3, 2, 112), (7, 3, 2, 4), (5, 2, 3, 2), (1, 7, 4, 1), (10, 4, 3, 4),
])
def test_same_is_ceil_n_over_s(n, k, s, o):
    # Keras/TensorFlow 'same': o = ⌈n/s⌉, whatever the kernel
    assert conv_output_size(n, k, stride=s, padding="same") == o
    assert pool_output_size(n, k, stride=s, padding="same") == o


@pytest.mark.parametrize(("n", "k", "s", "o"), [(10, 3, 1, 8), (10, 3, 2, 4), (10, 4, 3, 3), (4, 4, 1, 1)])
def test_valid_is_no_padding(n, k, s, o):
    # (10 − 3)/1 + 1 = 8; ⌊7/2⌋ + 1 = 4; ⌊6/3⌋ + 1 = 3; 0 + 1 = 1
    assert conv_output_size(n, k, stride=s, padding="valid") == o
    assert conv_output_size(n, k, stride=s, padding=0) == o


@pytest.mark.parametrize(("n", "k", "s", "d", "pads"), [
    (224, 3, 1, 1, (1, 1)),   # total = 223 + 3 − 224 = 2
    (10, 4, 1, 1, (1, 2)),    # total = 9 + 4 − 10 = 3: the odd one after (bottom/right)
    (7, 3, 2, 1, (1, 1)),     # ⌈7/2⌉ = 4: total = 3·2 + 3 − 7 = 2
    (5, 2, 2, 1, (0, 1)),     # ⌈5/2⌉ = 3: total = 2·2 + 2 − 5 = 1
    (6, 2, 2, 1, (0, 0)),     # total = 2·2 + 2 − 6 = 0
    (8, 1, 3, 1, (0, 0)),     # total = max(2·3 + 1 − 8, 0) = 0
    (2, 6, 4, 1, (2, 2)),     # ⌈2/4⌉ = 1: total = 0 + 6 − 2 = 4
    (9, 3, 1, 2, (2, 2)),     # span 5: total = 8 + 5 − 9 = 4
    (9, 4, 1, 2, (3, 3)),     # span 7: total 6
])
def test_same_padding_by_hand(n, k, s, d, pads):
    assert same_padding(n, k, stride=s, dilation=d) == pads


def test_effective_kernel():
    assert effective_kernel(3) == 3
    assert effective_kernel(3, dilation=2) == 5   # 2·2 + 1
    assert effective_kernel(5, dilation=3) == 13  # 3·4 + 1


@pytest.mark.parametrize(("n", "k", "s", "p", "ceil", "o"), [
    (6, 2, 2, 1, False, 4),   # ⌊6/2⌋ + 1
    (5, 2, 2, 1, True, 3),    # ⌈5/2⌉ + 1 = 4, but window 4 would start at 6 ≥ 5 + 1: dropped
    (5, 3, 2, 0, True, 2),    # ⌈2/2⌉ + 1 = 2
    (6, 3, 2, 0, True, 3),    # ⌈3/2⌉ + 1 = 3; the last window starts at 4 < 6
    (3, 5, 5, 0, True, 1),    # ⌈−2/5⌉ + 1 = 1: ceil_mode accepts a kernel larger than n
])
def test_pool_output_size_by_hand(n, k, s, p, ceil, o):
    assert pool_output_size(n, k, stride=s, padding=p, ceil_mode=ceil) == o


def test_pool_dilation():
    # span 2·(3 − 1) + 1 = 5: ⌊(10 − 5)/1⌋ + 1 = 6
    assert pool_output_size(10, 3, stride=1, dilation=2) == 6


# ---------------------------------------------------------------------- formulas


def test_formulas_show_the_numbers():
    assert conv_formula(227, 11, 4) == "⌊(227 + 2·0 − 1·(11−1) − 1)/4⌋ + 1 = 55"
    assert conv_formula(7, 3, 1, 0, 2) == "⌊(7 + 2·0 − 2·(3−1) − 1)/1⌋ + 1 = 3"
    assert pool_formula(55, 3, 2) == "⌊(55 + 2·0 − 1·(3−1) − 1)/2⌋ + 1 = 27"
    assert pool_formula(5, 2, 2, 1, ceil_mode=True) == (
        "⌈(5 + 2·1 − 1·(2−1) − 1)/2⌉ + 1 = 4, minus the last window, which would start "
        "in the right padding = 3")


# ------------------------------------------------------------------- error messages


def test_impossible_conv_message():
    with pytest.raises(ShapeError) as info:
        conv_output_size(5, 11, stride=4)
    msg = str(info.value)
    assert "(5 + 2·0 − 1·(11−1) − 1)/4 + 1 = -0.5" in msg   # (5 − 11)/4 + 1 = −0.5
    assert "padding ≥ 3" in msg                               # ⌈(11 − 5)/2⌉ = 3
    assert "kernel ≤ 5" in msg


def test_dilated_kernel_message():
    with pytest.raises(ShapeError) as info:
        conv_output_size(6, 3, dilation=3)  # span 7 > 6: 6 − 7 + 1 = 0
    msg = str(info.value)
    assert "spans 7" in msg and "= 0 < 1" in msg and "padding ≥ 1" in msg


def test_pool_padding_more_than_half_message():
    with pytest.raises(ShapeError) as info:
        pool_output_size(6, 2, padding=2)
    msg = str(info.value)
    assert "padding 2" in msg and "padding ≤ 1" in msg


# ---------------------------------------------------------------------- bad input

BAD_SIZES = ["3", -1, 0, True, False, 2.5, 3.0, None, [3], (3, 3), 1j]


@pytest.mark.parametrize("bad", BAD_SIZES)
@pytest.mark.parametrize("call", [
    lambda b: conv_output_size(b, 3),
    lambda b: conv_output_size(10, b),
    lambda b: conv_output_size(10, 3, stride=b),
    lambda b: conv_output_size(10, 3, dilation=b),
    lambda b: pool_output_size(b, 2),
    lambda b: pool_output_size(10, b),
    lambda b: pool_output_size(10, 2, stride=b if b is not None else 0),  # None is s = k
    lambda b: pool_output_size(10, 3, dilation=b),
    lambda b: same_padding(b, 3),
    lambda b: same_padding(10, b),
    lambda b: same_padding(10, 3, stride=b),
    lambda b: same_padding(10, 3, dilation=b),
    lambda b: effective_kernel(b),
    lambda b: effective_kernel(3, b),
    lambda b: conv_formula(b, 3),
    lambda b: conv_formula(10, b),
    lambda b: conv_formula(10, 3, b),
    lambda b: conv_formula(10, 3, 1, 0, b),
    lambda b: pool_formula(b, 2, 2),
    lambda b: pool_formula(10, b, 2),
    lambda b: pool_formula(10, 2, b if b is not None else -2),
])
def test_bad_sizes_raise_shape_error(call, bad):
    with pytest.raises(ShapeError):
        call(bad)


@pytest.mark.parametrize("bad", ["3", -1, True, 2.5, 1.0, None, "full", [1], (1, 1)])
@pytest.mark.parametrize("call", [
    lambda b: conv_output_size(10, 3, padding=b),
    lambda b: pool_output_size(10, 3, padding=b),
    lambda b: conv_formula(10, 3, 1, b),
    lambda b: pool_formula(10, 3, 1, b),
])
def test_bad_padding_raises_shape_error(call, bad):
    with pytest.raises(ShapeError):
        call(bad)


def test_zero_padding_and_stride_none_are_fine():
    assert conv_output_size(10, 3, padding=0) == 8
    assert pool_output_size(10, 2, stride=None) == 5


def test_same_with_stride_and_dilation_raises():
    # Keras refuses strides > 1 with dilation_rate > 1, torch refuses 'same' with stride > 1
    with pytest.raises(ShapeError, match="stride 2 and dilation 2"):
        same_padding(9, 3, stride=2, dilation=2)
    with pytest.raises(ShapeError):
        pool_output_size(9, 3, stride=1, padding="same", dilation=2)
    assert conv_output_size(9, 3, stride=2, dilation=2) == 3  # numeric padding: ⌊4/2⌋ + 1


class Index:
    """An integer type of another library (numpy's int64 is one): it has __index__, not int's type."""

    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


def test_integer_types_with_index_are_accepted():
    # numpy integers themselves: tests/oracle/test_integers.py
    assert conv_output_size(Index(227), Index(11), stride=Index(4)) == 55


def test_shape_error_is_a_value_error():
    assert issubclass(cnnlib.ShapeError, ValueError)
