"""Rules stated in the chapters' prose that were reworded or added while the chapters moved to
{eval} (tests/RULES.md lists the older ones, tests/core/test_rules.py checks them).  Each test
is named after its sentence and checks it on a grid of layers built from cnnlib's layers
(whose counts agree with torch in tests/oracle), not from the helper the chapter prints."""

from __future__ import annotations

import math

from cnnlib import Conv2d


def _bottleneck_weights(c: int, m: int) -> int:
    shape = (c, 8, 8)
    reduce, conv, expand = Conv2d(m, 1, bias=False), Conv2d(m, 3, padding=1, bias=False), Conv2d(c, 1, bias=False)
    return reduce.weights(shape) + conv.weights((m, 8, 8)) + expand.weights((m, 8, 8))


def test_a_bottleneck_costs_less_exactly_when_9m2_plus_2cm_is_below_9c2_wider_or_from_about_0_9c_it_costs_more():
    """05_one_by_one: "A bottleneck costs less than the plain convolution exactly when
    9m² + 2Cm < 9C² …: a middle width wider than the block always costs more, and so does one
    only a little narrower (from about 0.9·C)"."""
    checked = 0
    for c in range(1, 161):
        plain = Conv2d(c, 3, padding=1, bias=False).weights((c, 8, 8))
        for m in range(1, 2 * c + 1):
            cheaper = _bottleneck_weights(c, m) < plain
            assert cheaper == (9 * m * m + 2 * c * m < 9 * c * c), (c, m)
            if m > c or 10 * m >= 9 * c:
                assert not cheaper, (c, m)
            checked += 1
    # the threshold is C·(√82 − 1)/9 ≈ 0.895·C: "about 0.9·C", and just below it is cheaper
    assert math.isclose((math.sqrt(82) - 1) / 9, 0.895, abs_tol=0.001)
    assert _bottleneck_weights(1000, 880) < Conv2d(1000, 3, padding=1, bias=False).weights((1000, 8, 8))
    assert checked > 25_000


def test_at_stride_1_a_1x1_convolution_keeps_height_and_width_and_at_stride_2_it_halves_them():
    """05_one_by_one: "…and, at stride 1, height and width do not change" (ResNet's projection
    shortcuts are 1×1 with stride 2)."""
    for n in range(1, 40):
        for c in (1, 3, 64):
            assert Conv2d(8, 1).output_shape((c, n, n)) == (8, n, n)
            assert Conv2d(8, 1, stride=2).output_shape((c, n, n)) == (8, (n + 1) // 2, (n + 1) // 2)
