"""Exact arithmetic and bounded work: any integer gives a result or a ShapeError, numpy-like
integers are accepted, work that would grow without bound is refused quickly, wrong types
get a message saying what was expected."""

from __future__ import annotations

import itertools
import time

import pytest

import cnnlib
from cnnlib import Conv2d, ReLU, Sequential, ShapeError, zoo

HUGE = [2**53 + 1, 2**64, 10**200, 10**299, 10**300, 10**400, 10**5000, -(10**400)]


@pytest.mark.parametrize("value", HUGE, ids=["2^53+1", "2^64", "1e200", "1e299", "1e300", "1e400",
                                              "1e5000", "-1e400"])
def test_any_integer_gives_a_result_or_a_shape_error(value):
    for call in (lambda: cnnlib.conv_output_size(value, 3), lambda: cnnlib.conv_output_size(5, value),
                 lambda: cnnlib.pool_output_size(value, 2), lambda: cnnlib.same_padding(value, 3, 2),
                 lambda: cnnlib.conv_transpose_output_size(value, 4, 2, 1),
                 lambda: Conv2d(8, 3).output_shape((3, value, 5)), lambda: Conv2d(value, 3),
                 lambda: Sequential((3, value, value), [Conv2d(4, 3)]).total_params):
        try:
            result = call()
        except ShapeError as e:
            assert len(str(e)) < 2000  # a message, not a dump of digits
        else:
            assert result is not None


def test_exact_above_two_to_the_53():
    n = 2**53 + 1
    # ⌊(n − 3)/2⌋ + 1 = (2^53 − 2)/2 + 1 = 2^52: a float would round n to 2^53 and give 2^52 − 1 + 1
    assert cnnlib.conv_output_size(n, 3, stride=2) == 2**52
    assert cnnlib.conv_output_size(10**200 + 7, 3, stride=10**100) == (10**200 + 7 - 3) // 10**100 + 1
    with pytest.raises(ShapeError, match=r"add padding ≥ 5000000000000000000"):  # ⌈(10^19 − 1)/2⌉ in integers
        cnnlib.conv_output_size(1, 10**19)


def test_a_billion_layers_is_refused_quickly():
    t = time.perf_counter()
    with pytest.raises(ShapeError, match="10,000"):
        zoo.plain_chain(10**9)
    with pytest.raises(ShapeError, match="100,000"):
        Sequential((3, 8, 8), (ReLU() for _ in itertools.count()))  # never-ending: refused, not consumed
    assert time.perf_counter() - t < 1.0


@pytest.mark.parametrize("shape", ["3x224x224", (), [], None, 5, (3, 0, 4), (3, 2.0, 4), (3, True, 4),
                                   {"c": 3}, b"abc"])
def test_wrong_input_shapes_say_what_was_expected(shape):
    with pytest.raises(ShapeError, match=r"such as \(3, 224, 224\)"):
        Sequential(shape, [ReLU()])
    with pytest.raises(ShapeError):
        Conv2d(4, 3).output_shape(shape)
