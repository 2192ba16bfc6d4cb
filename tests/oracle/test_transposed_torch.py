"""The chapter on transposed convolution and upsampling against PyTorch 2.13 (CPU).

* Dumoulin & Visin's relationships 8–14: torch's Conv2d gives i′, torch's ConvTranspose2d with
  padding p and output_padding a gives back i — the guide's o′ and cnnlib's number.
* A transposed convolution equals a direct convolution over the stretched input: torch's
  conv_transpose2d against torch's conv2d on the input with s − 1 zeros inserted, padded by
  d·(k − 1) − p (cropped where negative) plus output_padding after, with the kernel flipped and
  its in/out channels swapped — the geometry taken from cnnlib's TransposeWindow; and
  cnnlib.book.transposed's pure-Python versions against torch.
* The taps per output cell (the checkerboard) are torch's transposed convolution of ones with
  a kernel of ones; the convolution's matrix and its transpose are conv1d and conv_transpose1d.
* output_padding: torch refuses it exactly when cnnlib does, and torch's ``output_size=``
  argument picks the output_padding cnnlib computes.
* The layers of the chapter's tables (Upsample, ConvTranspose2d, the 1×1-input layer that is a
  dense layer) agree with torch in size, parameters and values.
"""

from __future__ import annotations

import itertools
import random

import pytest
import torch
import torch.nn.functional as F
from hand_worked import GUIDE_CONDITIONS, GUIDE_EXAMPLES

import cnnlib
from cnnlib import ShapeError
from cnnlib.book import transposed as T
from cnnlib.upsampling import conv_transpose_dim, guide_case, output_padding_for

torch.set_num_threads(1)
D = torch.float64


def _conv_size(i, k, s, p):
    try:
        return torch.nn.Conv2d(1, 1, k, s, p)(torch.zeros(1, 1, i, i)).shape[-1]
    except RuntimeError:
        return None


@pytest.mark.parametrize("number", sorted(GUIDE_EXAMPLES))
def test_each_relationship_against_torch(number, agreement):
    conditions = GUIDE_CONDITIONS[number]
    cases = [GUIDE_EXAMPLES[number]] + [c for c in itertools.product(range(1, 12), range(1, 6), range(1, 4),
                                                                        range(5)) if conditions(*c)]
    for i, k, s, p in cases:
        i_t = _conv_size(i, k, s, p)
        if i_t is None:
            continue
        a = (i + 2 * p - k) % s
        y = torch.nn.ConvTranspose2d(1, 1, k, s, p, output_padding=a)(torch.zeros(1, 1, i_t, i_t))
        c = guide_case(number, i, k, s, p)
        assert (c.i_t, c.o_t, c.out) == (i_t, y.shape[-1], y.shape[-1]) and y.shape[-1] == i
        agreement[f"D&V relationship {number} vs torch"].update(examples=1, both_ok=1)


def _direct_with_torch(x, w, s, p, a, d):
    """conv_transpose2d as torch's conv2d on the stretched, padded input (geometry from cnnlib)."""
    n, k = x.shape[-1], w.shape[-1]
    win = conv_transpose_dim(n, k, s, p, a, d)
    c_in = x.shape[1]
    z = torch.zeros(x.shape[0], c_in, win.stretched, win.stretched, dtype=D)
    z[:, :, ::s, ::s] = x  # s − 1 zeros between the inputs
    # pad before/after (F.pad crops where a value is negative)
    z = F.pad(z, (win.before, win.after, win.before, win.after))
    kernel = w.flip(-1, -2).transpose(0, 1)  # (C_in, C_out, k, k) → (C_out, C_in, k, k), turned 180°
    return F.conv2d(z, kernel, dilation=d)


def test_transposed_convolution_is_a_direct_convolution_over_the_stretched_input(agreement):
    g = torch.Generator().manual_seed(0)
    count = 0
    for n, k, s, p, a, d in itertools.product(range(1, 6), range(1, 5), range(1, 4), range(4), range(3),
                                              range(1, 3)):
        x = torch.randn(2, 3, n, n, generator=g, dtype=D)
        w = torch.randn(3, 2, k, k, generator=g, dtype=D)
        try:
            ref = F.conv_transpose2d(x, w, stride=s, padding=p, output_padding=a, dilation=d)
        except RuntimeError:
            with pytest.raises(ShapeError):
                cnnlib.conv_transpose_output_size(n, k, s, p, a, d)
            continue
        got = _direct_with_torch(x, w, s, p, a, d)
        assert got.shape == ref.shape
        assert torch.allclose(got, ref, atol=1e-10), (n, k, s, p, a, d)
        count += 1
        agreement["transposed = direct conv on stretched input"].update(examples=1, both_ok=1)
    assert count > 700


def test_the_books_grid_arithmetic_is_torchs_conv_transpose2d(agreement):
    rng = random.Random(1)
    for n, k, s, p, a, d in itertools.product(range(1, 5), range(1, 5), range(1, 4), range(4), range(3),
                                              range(1, 3)):
        x = [[rng.randint(-3, 3) for _ in range(n)] for _ in range(n)]
        w = [[rng.randint(-3, 3) for _ in range(k)] for _ in range(k)]
        try:
            ref = F.conv_transpose2d(torch.tensor(x, dtype=D)[None, None], torch.tensor(w, dtype=D)[None, None],
                                     stride=s, padding=p, output_padding=a, dilation=d)[0, 0]
        except RuntimeError:
            for fn in (T.conv_transpose2d_direct, T.conv_transpose2d_scatter):
                with pytest.raises(ShapeError):
                    fn(x, w, s, p, a, d)
            agreement["book grid transposed conv vs torch"].update(examples=1, both_raised=1)
            continue
        expected = ref.round().to(torch.int64).tolist()
        assert T.conv_transpose2d_direct(x, w, s, p, a, d) == expected
        assert T.conv_transpose2d_scatter(x, w, s, p, a, d) == expected
        agreement["book grid transposed conv vs torch"].update(examples=1, both_ok=1)


def test_the_animations_example_against_torch():
    x, w = [[1, 2], [3, -1]], [[1, 0, 2], [0, 1, 0], [1, 1, 0]]
    ref = F.conv_transpose2d(torch.tensor(x, dtype=D)[None, None], torch.tensor(w, dtype=D)[None, None],
                             stride=2, padding=1, output_padding=1)[0, 0].to(torch.int64).tolist()
    assert T.conv_transpose2d_direct(x, w, 2, 1, 1) == ref
    grid, kinds = T.stretch(x, 2, 1, 1, 3)
    assert len(grid) == 6 and sum(row.count("in") for row in kinds) == 4


def test_taps_per_output_are_torchs_transposed_convolution_of_ones():
    for n, k, s, p, a, d in itertools.product(range(1, 7), range(1, 6), range(1, 5), range(5), range(4),
                                              range(1, 3)):
        try:
            ones = F.conv_transpose1d(torch.ones(1, 1, n, dtype=D), torch.ones(1, 1, k, dtype=D), stride=s,
                                      padding=p, output_padding=a, dilation=d)[0, 0]
        except RuntimeError:
            continue
        assert conv_transpose_dim(n, k, s, p, a, d).taps_per_output() == ones.round().to(torch.int64).tolist()
    for n, k, s, p in itertools.product(range(1, 5), range(1, 5), range(1, 4), range(3)):
        try:
            ones = F.conv_transpose2d(torch.ones(1, 1, n, n, dtype=D), torch.ones(1, 1, k, k, dtype=D), stride=s,
                                      padding=p)[0, 0]
        except RuntimeError:
            continue
        assert T.taps_grid(n, k, s, p) == ones.round().to(torch.int64).tolist()


def test_the_convolutions_matrix_and_its_transpose_are_conv1d_and_conv_transpose1d():
    g = torch.Generator().manual_seed(2)
    for n, k, s, p in itertools.product(range(1, 9), range(1, 5), range(1, 4), range(3)):
        try:
            m = T.conv_matrix(n, k, s, p)
        except ShapeError:
            continue
        w = torch.randn(k, generator=g, dtype=D)
        C = torch.tensor([[0.0 if t is None else w[t].item() for t in row] for row in m], dtype=D)
        x = torch.randn(n, generator=g, dtype=D)
        assert torch.allclose(C @ x, F.conv1d(x[None, None], w[None, None], stride=s, padding=p)[0, 0])
        y = torch.randn(len(m), generator=g, dtype=D)
        a = output_padding_for(n, k, s, p)
        back = F.conv_transpose1d(y[None, None], w[None, None], stride=s, padding=p, output_padding=a)[0, 0]
        assert torch.allclose(C.T @ y, back)  # the transpose maps o values back to n


def test_torch_refuses_output_padding_exactly_when_cnnlib_does():
    for n, k, s, p, a, d in itertools.product((2, 5), (1, 3), range(1, 4), (0, 1), range(5), range(1, 4)):
        try:
            torch.nn.ConvTranspose1d(1, 1, k, s, p, output_padding=a, dilation=d)(torch.zeros(1, 1, n))
            torch_ok = True
        except (RuntimeError, ValueError):
            torch_ok = False
        try:
            cnnlib.conv_transpose_output_size(n, k, s, p, a, d)
            ours = True
        except ShapeError:
            ours = False
        assert torch_ok == ours, (n, k, s, p, a, d)


def test_torchs_output_size_argument_picks_the_output_padding_cnnlib_computes():
    for i, k, s, p in itertools.product(range(5, 20), (2, 3, 4, 5), (2, 3), (0, 1, 2)):
        n = cnnlib.conv_output_size(i, k, s, p)
        layer = torch.nn.ConvTranspose2d(1, 1, k, s, p)
        y = layer(torch.zeros(1, 1, n, n), output_size=[i, i])
        a = output_padding_for(i, k, s, p)
        assert y.shape[-1] == i == cnnlib.conv_transpose_output_size(n, k, s, p, a)


def test_the_chapters_upsampling_layers_against_torch():
    for n in (7, 16):
        for mode, scale in (("nearest", 2), ("bilinear", 2), ("nearest", 1.5), ("bilinear", 1.5)):
            ref = torch.nn.Upsample(scale_factor=scale, mode=mode)(torch.zeros(1, 64, n, n)).shape[1:]
            assert cnnlib.Upsample(scale_factor=scale, mode=mode).output_shape((64, n, n)) == tuple(ref)
        for k, s, p, a in ((2, 2, 0, 0), (4, 2, 1, 0), (3, 2, 1, 0), (3, 2, 1, 1)):
            m = torch.nn.ConvTranspose2d(64, 32, k, s, p, output_padding=a)
            layer = cnnlib.ConvTranspose2d(32, k, stride=s, padding=p, output_padding=a)
            assert layer.output_shape((64, n, n)) == tuple(m(torch.zeros(1, 64, n, n)).shape[1:])
            assert layer.params((64, n, n)) == sum(q.numel() for q in m.parameters())


def test_a_transposed_convolution_of_a_1x1_input_is_a_dense_layer():
    g = torch.Generator().manual_seed(3)
    nz, c_out, k = 10, 6, 4
    t = torch.nn.ConvTranspose2d(nz, c_out, k, bias=False).double()
    z = torch.randn(5, nz, 1, 1, generator=g, dtype=D)
    dense = torch.nn.Linear(nz, c_out * k * k, bias=False).double()
    with torch.no_grad():
        dense.weight.copy_(t.weight.reshape(nz, c_out * k * k).T)  # weight (C_in, C_out, k, k)
    assert torch.allclose(t(z).reshape(5, -1), dense(z.reshape(5, nz)))
    assert cnnlib.ConvTranspose2d(c_out, k, bias=False).params((nz, 1, 1)) == dense.weight.numel()
