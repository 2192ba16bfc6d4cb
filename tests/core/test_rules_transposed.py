"""Every general rule the chapter on transposed convolution and upsampling states in words, as a
property over a grid of layers, named after the sentence.

Expected values come from brute force (scanning sizes with the convolution's formula, counting
kernel taps by placing every input's stamp), from the formulas as Dumoulin & Visin's guide
writes them, or from exact arithmetic — not from the function under test.  PyTorch checks the
same numbers in tests/oracle/test_transposed_torch.py.
"""

from __future__ import annotations

import itertools
import math
import re
from fractions import Fraction

import pytest
from hand_worked import GUIDE, GUIDE_CONDITIONS

import cnnlib
from cnnlib import Conv2d, ConvTranspose2d, Dense, ShapeError, Upsample, zoo
from cnnlib.analysis import window_steps
from cnnlib.upsampling import (
    conv_inputs_for,
    conv_transpose_dim,
    guide_case,
    guide_relationship_of,
    output_padding_for,
)

T = cnnlib.conv_transpose_output_size


def conv(i, k, s=1, p=0, d=1):
    """The convolution's output size, or None where it is impossible."""
    try:
        return cnnlib.conv_output_size(i, k, stride=s, padding=p, dilation=d)
    except ShapeError:
        return None


def stamp_counts(n, k, s, p, a, d=1):
    """Taps per output cell by the definition: input j puts tap t at j·s − p + t·d."""
    o = (n - 1) * s - 2 * p + d * (k - 1) + a + 1
    counts = [0] * o
    for j in range(n):
        for t in range(k):
            q = j * s - p + t * d
            if 0 <= q < o:
                counts[q] += 1
    return counts


GRID = list(itertools.product(range(1, 7), range(1, 5), range(4), range(1, 4)))  # k, s, p, d


def transposed_cases(sizes):
    """(n, k, s, p, d, a, o) for every n in ``sizes``, every layer of GRID and every allowed
    output_padding a < max(s, d), where torch's formula gives an output o (the others skipped)."""
    for n, (k, s, p, d) in itertools.product(sizes, GRID):
        for a in range(max(s, d)):
            try:
                yield n, k, s, p, d, a, T(n, k, s, p, a, d)
            except ShapeError:
                continue


# ------------------------------------------------------------------ output_padding


def test_a_strided_convolution_maps_s_consecutive_input_sizes_to_the_same_output_size():
    for k, s, p, d in GRID:
        by_output = {}
        for i in range(1, 80):
            o = conv(i, k, s, p, d)
            if o is not None:
                by_output.setdefault(o, []).append(i)
        for o, sizes in by_output.items():
            if o < max(by_output) - 1:  # the scan is complete below the largest outputs
                assert sizes == list(range(sizes[0], sizes[0] + len(sizes)))  # consecutive
                assert conv_inputs_for(o, k, s, p, d) == sizes, (k, s, p, d, o)
                if sizes[0] > 1:  # none cut off at size 1: exactly s of them
                    assert len(sizes) == s


def test_output_padding_picks_which_of_those_sizes_the_transposed_convolution_gives_back():
    for k, s, p, d in GRID:
        for i in range(1, 60):
            n = conv(i, k, s, p, d)
            if n is None:
                continue
            a = output_padding_for(i, k, s, p, d)
            assert 0 <= a < s
            assert T(n, k, s, p, a, d) == i, (i, k, s, p, d)
            # without output_padding it gives back the smallest of them — unless the smallest
            # would be below 1 (fewer than s sizes ≥ 1 map to n): then a = 0 is impossible
            smallest = min(x for x in range(1, i + 1) if conv(x, k, s, p, d) == n)
            try:
                assert T(n, k, s, p, 0, d) == smallest
            except ShapeError:
                assert len(conv_inputs_for(n, k, s, p, d)) < s


def test_output_padding_must_be_smaller_than_the_stride_or_the_dilation():
    for n, k, s, p, a, d in itertools.product((3, 8), (1, 3, 4), range(1, 4), (0, 1), range(5), range(1, 4)):
        allowed = a < s or a < d
        try:
            T(n, k, s, p, a, d)
            raised = False
        except ShapeError as e:
            raised = True
            if not allowed:
                assert "output_padding" in str(e)
        assert raised == (not allowed)  # every size here is ≥ 1: no other reason to refuse


def test_with_a_dilation_larger_than_the_stride_output_padding_may_reach_the_stride_and_the_size_is_not_given_back():
    for n, k, s, d in itertools.product(range(1, 9), range(2, 5), range(1, 3), range(3, 5)):
        for a in range(s, d):  # allowed only because a < d
            o = T(n, k, s, 0, a, d)
            assert conv(o, k, s, 0, d) == n + a // s != n


# ------------------------------------------------------------------ Dumoulin & Visin


@pytest.mark.parametrize("number", sorted(GUIDE))
def test_each_relationship_is_pytorchs_formula_with_padding_p_and_output_padding_a(number):
    seen = 0
    for i, k, s, p in itertools.product(range(1, 14), range(1, 7), range(1, 4), range(6)):
        if not GUIDE_CONDITIONS[number](i, k, s, p) or conv(i, k, s, p) is None:
            continue
        it = conv(i, k, s, p)
        a = (i + 2 * p - k) % s
        c = guide_case(number, i, k, s, p)
        expected = GUIDE[number](it, k, s, p, a)
        assert (c.i_t, c.a, c.o_t) == (it, a if number == 14 else 0, expected)
        # the guide's o′ is PyTorch's o with padding = p and output_padding = a, and it is i
        assert c.out == T(it, k, s, p, a) == expected == i
        assert c.p_t == k - p - 1 and c.stretched == (it - 1) * s + 1
        seen += 1
    assert seen >= 20


def test_relationships_8_to_13_need_no_output_padding_and_a_is_zero_when_s_divides():
    for i, k, s, p in itertools.product(range(1, 14), range(1, 7), range(1, 4), range(4)):
        if conv(i, k, s, p) is None:
            continue
        number = guide_relationship_of(i, k, s, p)
        assert GUIDE_CONDITIONS[number](i, k, s, p)
        assert ((i + 2 * p - k) % s == 0) == (number != 14)


def test_a_case_outside_a_relationships_conditions_is_refused():
    with pytest.raises(ShapeError, match="relationship 8"):
        guide_case(8, 5, 3, 1, 1)
    with pytest.raises(ShapeError, match="needs s divides"):
        guide_case(13, 6, 3, 2, 1)
    with pytest.raises(ShapeError, match="8–14"):
        guide_case(7, 5, 3)


# ------------------------------------------------------------------ the direct convolution


def test_the_stretched_input_padded_by_span_minus_one_minus_p_with_a_after_gives_the_output_size():
    """(n − 1)·s + 1 cells after inserting s − 1 zeros between n inputs, d·(k − 1) − p before,
    d·(k − 1) − p + a after; a stride-1 window of span d·(k − 1) + 1 fits o times."""
    for n, k, s, p, d, a, o in transposed_cases(range(1, 9)):
        w = conv_transpose_dim(n, k, s, p, a, d)
        stretched = (n - 1) * s + 1
        assert (w.stretched, w.before, w.after) == (stretched, d * (k - 1) - p, d * (k - 1) - p + a)
        assert stretched + w.before + w.after - (d * (k - 1) + 1) + 1 == o


# ------------------------------------------------------------------ checkerboard


def interior(n, k, s, p, a, d=1):
    """Counts of the output cells whose window lies inside the stretched input (away from the
    borders), by the definition."""
    counts = stamp_counts(n, k, s, p, a, d)
    before, stretched, span = d * (k - 1) - p, (n - 1) * s + 1, d * (k - 1) + 1
    return [c for o, c in enumerate(counts) if o - before >= 0 and o - before + span <= stretched]


def test_away_from_the_borders_every_output_cell_gets_the_same_number_of_taps_exactly_when_s_divides_k():
    checked = 0
    for n, k, s, p in itertools.product(range(2, 12), range(1, 9), range(1, 5), range(4)):
        a = 0
        if (n - 1) * s - 2 * p + k < 1:
            continue
        inner = interior(n, k, s, p, a)
        assert stamp_counts(n, k, s, p, a) == conv_transpose_dim(n, k, s, p, a, 1).taps_per_output()
        if len(inner) < s:  # too few cells to see a pattern
            continue
        checked += 1
        assert (len(set(inner)) == 1) == (k % s == 0), (n, k, s, p, inner)
        assert set(inner) <= {k // s, -(-k // s)}
        if k % s == 0:
            assert set(inner) == {k // s}
    assert checked > 300


def test_a_stride_larger_than_the_kernels_span_leaves_output_cells_that_no_input_reaches():
    for n, k, s, d in itertools.product(range(2, 8), range(1, 5), range(1, 9), range(1, 3)):
        span = d * (k - 1) + 1
        for p in range(span):
            if (n - 1) * s - 2 * p + span < 1:
                continue
            counts = stamp_counts(n, k, s, p, 0, d)
            if s > span:
                assert 0 in counts, (n, k, s, p, d)


def test_taps_in_two_dimensions_are_the_product_of_the_two_axes_counts():
    """A 2-d tap (a, b) lands on an input value exactly when its row tap and its column tap do."""
    for n, k, s, p in itertools.product(range(1, 5), range(1, 5), range(1, 4), range(3)):
        try:
            T(n, k, s, p)
        except ShapeError:
            continue
        rows = stamp_counts(n, k, s, p, 0)
        o = len(rows)
        grid = [[0] * o for _ in range(o)]
        for i, j, ta, tb in itertools.product(range(n), range(n), range(k), range(k)):
            r, c = i * s - p + ta, j * s - p + tb
            if 0 <= r < o and 0 <= c < o:
                grid[r][c] += 1
        assert grid == [[u * v for v in rows] for u in rows]


# ------------------------------------------------------------------ sizes


def test_a_transposed_convolution_multiplies_the_size_by_s_exactly_when_d_k_minus_1_plus_a_plus_1_equals_s_plus_2p():
    for n, k, s, p, d, a, o in transposed_cases(range(1, 12)):
        assert (o == n * s) == (d * (k - 1) + a + 1 == s + 2 * p)


def test_a_4x4_stride_2_padding_1_layer_halves_an_even_size_as_a_convolution_and_doubles_it_transposed():
    for m in range(1, 200):
        assert conv(2 * m, 4, 2, 1) == m
        assert T(m, 4, 2, 1) == 2 * m


def test_keras_same_transposed_convolution_gives_n_times_s():
    for n, k, s, d in itertools.product(range(1, 20), range(1, 7), range(1, 5), (1, 2)):
        if d > 1 and s > 1:
            continue  # Keras refuses dilation with strides
        assert T(n, k, s, "same", None, d) == n * s


def test_the_weights_of_a_transposed_convolution_are_those_of_the_convolution_going_the_other_way():
    for c_in, c_out, k, g in itertools.product((1, 3, 8, 12), (2, 6, 12), (1, 2, 3, 4), (1, 2)):
        if c_in % g or c_out % g:
            continue
        t = ConvTranspose2d(c_out, k, stride=2, groups=g)
        c = Conv2d(c_in, k, stride=2, groups=g)
        assert t.weights((c_in, 8, 8)) == c.weights((c_out, 16, 16)) == c_in * c_out * k * k // g
        assert t.biases((c_in, 8, 8)) == c_out


def test_upsample_has_no_parameters_and_gives_the_floor_of_n_times_the_scale():
    scales = (2, 3, 1.5, 2.5, 0.5, 0.75, Fraction(4, 3), Fraction(5, 2))
    for n, scale, mode in itertools.product(range(1, 40), scales, ("nearest", "bilinear")):
        expected = math.floor(Fraction(n) * Fraction(scale))  # floats above are exact in binary
        layer = Upsample(scale_factor=scale, mode=mode)
        if expected < 1:
            with pytest.raises(ShapeError):
                layer.output_shape((4, n, n))
            continue
        assert layer.output_shape((4, n, n)) == (4, expected, expected)
        assert layer.params((4, n, n)) == 0


def test_an_integer_upsampling_factor_multiplies_the_size():
    for n, f in itertools.product(range(1, 50), range(1, 6)):
        assert Upsample(scale_factor=f).output_shape((1, n, n)) == (1, n * f, n * f)


def test_a_k_by_k_transposed_convolution_of_a_1x1_input_is_a_dense_layer_to_k_k_c_out_outputs():
    for nz, c_out, k in itertools.product((1, 16, 100), (1, 8, 64), (1, 2, 4, 7)):
        t = ConvTranspose2d(c_out, k, bias=False)
        shape = t.output_shape((nz, 1, 1))
        assert shape == (c_out, k, k)
        assert t.params((nz, 1, 1)) == Dense(k * k * c_out, bias=False).params((nz,)) == nz * k * k * c_out


# ------------------------------------------------------------------ U-Net and DCGAN


VALID_UNET = range(150, 700)


def _all_pools_exact(n):
    try:
        m = zoo.unet(input_size=n)
    except ShapeError:
        return None
    return all(st.is_exact for st in window_steps(m) if st.kind == "pool"), m


def test_every_pool_of_the_valid_unet_sees_an_even_size_exactly_when_n_is_16m_plus_12_and_then_o_is_n_minus_184():
    """Hand derivation: each level loses 4 (two 3×3 convolutions) and then halves, four times —
    n − 4 ≡ 0 (mod 2), (n − 4)/2 − 4 ≡ 0 (mod 2), … ⇔ n ≡ 12 (mod 16); the smallest that keeps
    an output is 188.  Every layer is then linear in n: o = n − 184 (572 → 388)."""
    exact = []
    for n in VALID_UNET:
        r = _all_pools_exact(n)
        if r is None:
            assert n < 188
            continue
        ok, m = r
        # each pool's input is even exactly when its division is exact
        assert ok == all(m.row(f"pool{i}").in_shape[1] % 2 == 0 for i in range(1, 5))
        if ok:
            exact.append(n)
            assert m.output_shape[1] == n - 184
    assert exact == [n for n in VALID_UNET if n % 16 == 12 and n >= 188]


def test_each_crop_of_the_valid_unet_is_twice_the_crop_below_plus_the_eight_pixels_of_the_two_double_convolutions():
    for n in (188, 572, 588, 604):
        m = zoo.unet(input_size=n)
        cuts = [m.row(f"crop{i}").in_shape[1] - m.row(f"crop{i}").out_shape[1] for i in range(1, 5)]
        assert cuts[0] == 2 * 4  # the deepest join: the bottom double convolution's 4, doubled
        for below, here in itertools.pairwise(cuts):
            assert here == 2 * (below + 4 + 4)
        assert cuts == [8, 32, 80, 176]  # U-Net paper, Fig. 1: 64→56, 136→104, 280→200, 568→392


def test_the_padded_unet_joins_uncropped_and_keeps_the_input_size():
    for n in range(16, 400, 16):
        m = zoo.unet(padded=True, input_size=n)
        assert m.output_shape == (2, n, n)
        assert not [r for r in m.rows() if r.name.startswith("crop")]


def test_the_dcgan_generator_doubles_the_size_at_every_stride_2_layer():
    for ngf in (8, 64, 128):
        g = zoo.dcgan_generator(ngf=ngf)
        sizes = [r.out_shape[1] for r in g.rows() if r.type == "ConvTranspose2d"]
        assert sizes == [4, 8, 16, 32, 64]
        assert [r.out_shape[0] for r in g.rows() if r.type == "ConvTranspose2d"] == \
            [8 * ngf, 4 * ngf, 2 * ngf, ngf, 3]
    # Radford et al., Fig. 1: 4×4×1024 → 8×8×512 → 16×16×256 → 32×32×128 → 64×64×3 (ngf = 128)
    g = zoo.dcgan_generator(ngf=128)
    assert [r.out_shape for r in g.rows() if r.type == "ConvTranspose2d"] == \
        [(1024, 4, 4), (512, 8, 8), (256, 16, 16), (128, 32, 32), (3, 64, 64)]


# ------------------------------------------------------------------ the formula with numbers


def test_the_formula_with_numbers_ends_with_the_output_size_and_shows_numbers_only():
    """Before the fix, conv_transpose_formula(4, 3, 2, 'same') wrote '2·same' into PyTorch's
    formula and ended with 7 (Keras gives 4·2 = 8), and a=None wrote '+ None +'."""
    for n, k, s, d in itertools.product(range(1, 8), range(1, 6), range(1, 4), (1, 2)):
        if d > 1 and s > 1:
            continue
        for p, a in [(0, None), (1, 0), ("same", None), ("valid", None), ("same", 0), ("valid", s - 1)]:
            try:
                o = T(n, k, s, p, a, d)
            except ShapeError:
                continue
            text = cnnlib.conv_transpose_formula(n, k, s, p, a, d)
            assert text.endswith(f"= {o}")
            assert not re.search(r"same|valid|None", text), text
    assert cnnlib.conv_transpose_formula(4, 3, 2, "same") == "4·2 = 8"


def test_a_convolution_with_the_same_k_s_p_d_maps_the_output_size_back_to_n_as_long_as_a_is_below_s():
    for n, (k, s, p, d) in itertools.product(range(1, 12), GRID):
        for a in range(s):
            try:
                o = T(n, k, s, p, a, d)
            except ShapeError:
                continue
            assert conv(o, k, s, p, d) == n


def test_for_a_3x3_stride_2_padding_1_decoder_even_sizes_need_output_padding_1_and_odd_sizes_0():
    for i in range(2, 300):
        a = output_padding_for(i, 3, 2, 1)
        assert a == (1 if i % 2 == 0 else 0)
        assert T(conv(i, 3, 2, 1), 3, 2, 1, a) == i


def test_when_every_unet_pool_sees_an_even_size_every_crop_removes_as_many_rows_on_both_sides():
    for n in range(188, 700):
        m = zoo.unet(input_size=n)
        sides = [(m.row(f"crop{i}").in_shape[1] - m.row(f"crop{i}").out_shape[1]) for i in range(1, 5)]
        even_pools = all(m.row(f"pool{i}").in_shape[1] % 2 == 0 for i in range(1, 5))
        if even_pools:
            assert all(cut % 2 == 0 for cut in sides), n
    # 570 is not one of them: a pool drops a row and a crop removes an odd number of rows
    m = zoo.unet(input_size=570)
    assert any((m.row(f"crop{i}").in_shape[1] - m.row(f"crop{i}").out_shape[1]) % 2 for i in range(1, 5))
