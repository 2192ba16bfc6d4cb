"""'same' and 'valid' padding against Keras 3 (torch backend), and where the padding goes.

PyTorch only has ``padding='same'`` for stride 1, so Keras is the oracle for
cnnlib's 'same': o = ⌈n/s⌉ with total = max((⌈n/s⌉ − 1)·s + d·(k − 1) + 1 − n, 0),
⌊total/2⌋ before and the rest after (bottom/right).

What Keras 3.15 does that the tests pin down:

* every output size for Conv1D, Conv2D, MaxPooling1D/2D and AveragePooling1D/2D with
  'same' and 'valid', strides 1–4, even and odd kernels (grid below);
* the split: Keras' outputs equal torch's conv/pool of the input padded explicitly with
  cnnlib.same_padding's (before, after) — and not with the split the other way round;
* Keras 3.15's torch backend averages an asymmetric 'same' pooling window over
  edge values *replicated* into the padding (symmetric padding is excluded from the
  average, TensorFlow's rule): shapes are unaffected, values differ from TensorFlow's.
* Keras refuses strides > 1 together with dilation_rate > 1, for 'same' *and* 'valid'.
  cnnlib raises for 'same' (no framework defines it: torch refuses 'same' with
  strides > 1), but computes 'valid' and numeric padding as PyTorch does, which
  accepts that combination.
"""

from __future__ import annotations

import os

os.environ["KERAS_BACKEND"] = "torch"

import itertools
import warnings

import keras
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import cnnlib
from cnnlib import ShapeError

# keras' torch backend calls np.asarray(tensor, copy=False): a numpy 2 DeprecationWarning
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

L = keras.layers
to_np = keras.ops.convert_to_numpy
RNG = np.random.default_rng(2024)


def test_keras_runs_on_the_torch_backend():
    assert keras.backend.backend() == "torch"


def keras_out(layer, spatial, channels=1, x=None):
    """Output spatial shape (channels_last, no batch) or None if Keras raises."""
    if x is None:
        x = np.ones((1, *spatial, channels), "float32")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = layer(x)
    except (ValueError, RuntimeError):
        return None
    return tuple(y.shape[1:-1])


def cnnlib_conv(spatial, k, s, padding, d=1):
    try:
        return tuple(cnnlib.conv_output_size(n, k, stride=s, padding=padding, dilation=d)
                     for n in spatial)
    except ShapeError:
        return None


def cnnlib_pool(spatial, k, s, padding):
    try:
        return tuple(cnnlib.pool_output_size(n, k, stride=s, padding=padding) for n in spatial)
    except ShapeError:
        return None


# ------------------------------------------------------------------ output sizes

SIZES_1D = range(1, 22)
KERNELS = range(1, 8)  # even kernels included
STRIDES = range(1, 5)


def test_conv1d_sizes_match_keras(agreement):
    bad = []
    for n, k, s, padding in itertools.product(SIZES_1D, KERNELS, STRIDES, ("same", "valid")):
        expected = keras_out(L.Conv1D(1, k, strides=s, padding=padding), (n,))
        got = cnnlib_conv((n,), k, s, padding)
        if got != expected:
            bad.append((n, k, s, padding, expected, got))
        agreement["Keras Conv1D"]["examples"] += 1
        agreement["Keras Conv1D"]["both_raised" if expected is None else "both_ok"] += 1
    assert not bad, bad[:10]


def test_conv2d_sizes_match_keras(agreement):
    bad = []
    sizes = [(1, 1), (2, 5), (5, 2), (7, 7), (8, 11), (13, 6), (16, 16), (17, 9)]
    kernels = [(1, 1), (2, 2), (3, 3), (2, 5), (4, 3), (5, 5), (6, 2)]
    for (h, w), (kh, kw), s, padding in itertools.product(sizes, kernels, STRIDES, ("same", "valid")):
        expected = keras_out(L.Conv2D(1, (kh, kw), strides=s, padding=padding), (h, w))
        try:
            got = (cnnlib.conv_output_size(h, kh, s, padding), cnnlib.conv_output_size(w, kw, s, padding))
        except ShapeError:
            got = None
        if got != expected:
            bad.append(((h, w), (kh, kw), s, padding, expected, got))
        agreement["Keras Conv2D"]["examples"] += 1
        agreement["Keras Conv2D"]["both_raised" if expected is None else "both_ok"] += 1
    assert not bad, bad[:10]


def test_dilated_conv1d_same_matches_keras_for_stride_1(agreement):
    bad = []
    for n, k, d, padding in itertools.product(range(1, 16), range(1, 6), (2, 3), ("same", "valid")):
        expected = keras_out(L.Conv1D(1, k, padding=padding, dilation_rate=d), (n,))
        got = cnnlib_conv((n,), k, 1, padding, d)
        if got != expected:
            bad.append((n, k, d, padding, expected, got))
        agreement["Keras Conv1D dilated"]["examples"] += 1
        agreement["Keras Conv1D dilated"]["both_raised" if expected is None else "both_ok"] += 1
    assert not bad, bad[:10]


@pytest.mark.parametrize("layer", [L.Conv1D, L.Conv2D])
@pytest.mark.parametrize("padding", ["same", "valid"])
def test_keras_refuses_stride_with_dilation(layer, padding):
    with pytest.raises(ValueError, match="dilation_rate > 1"):
        layer(1, 3, strides=2, dilation_rate=2, padding=padding)


def test_cnnlib_same_with_stride_and_dilation_raises_valid_follows_torch():
    with pytest.raises(ShapeError, match="stride 2 and dilation 2"):
        cnnlib.conv_output_size(9, 3, stride=2, padding="same", dilation=2)
    with pytest.raises(ShapeError, match="dilation"):
        cnnlib.same_padding(9, 3, stride=2, dilation=2)
    with pytest.raises(ShapeError):
        cnnlib.Conv2d(4, 3, stride=2, dilation=2, padding="same").output_shape((1, 9, 9))
    # 'valid' (and numbers) with stride 2 and dilation 2: torch computes ⌊(9 − 5)/2⌋ + 1 = 3
    y = torch.nn.Conv1d(1, 1, 3, stride=2, dilation=2, padding="valid")(torch.zeros(1, 1, 9))
    assert y.shape[-1] == 3
    assert cnnlib.conv_output_size(9, 3, stride=2, padding="valid", dilation=2) == 3


@pytest.mark.parametrize("keras_layer", [L.MaxPooling1D, L.AveragePooling1D])
def test_pool1d_sizes_match_keras(agreement, keras_layer):
    bad = []
    for n, k, s, padding in itertools.product(SIZES_1D, KERNELS, (None, *STRIDES), ("same", "valid")):
        expected = keras_out(keras_layer(k, strides=s, padding=padding), (n,))
        got = cnnlib_pool((n,), k, s, padding)
        if got != expected:
            bad.append((n, k, s, padding, expected, got))
        agreement[f"Keras {keras_layer.__name__}"]["examples"] += 1
        agreement[f"Keras {keras_layer.__name__}"]["both_raised" if expected is None else "both_ok"] += 1
    assert not bad, bad[:10]


@pytest.mark.parametrize("keras_layer", [L.MaxPooling2D, L.AveragePooling2D])
def test_pool2d_sizes_match_keras(agreement, keras_layer):
    bad = []
    sizes = [(1, 1), (2, 7), (11, 11), (10, 5), (16, 13)]
    for (h, w), k, s, padding in itertools.product(sizes, range(1, 6), (None, *STRIDES), ("same", "valid")):
        expected = keras_out(keras_layer(k, strides=s, padding=padding), (h, w))
        got = cnnlib_pool((h, w), k, s, padding)
        if got != expected:
            bad.append(((h, w), k, s, padding, expected, got))
        agreement[f"Keras {keras_layer.__name__}"]["examples"] += 1
        agreement[f"Keras {keras_layer.__name__}"]["both_raised" if expected is None else "both_ok"] += 1
    assert not bad, bad[:10]


def test_keras_maxpool_2_on_11_gives_5():
    # the Keras docs' example: 11×11, pool 2 (stride 2), 'valid' → ⌊(11 − 2)/2⌋ + 1 = 5
    assert keras_out(L.MaxPooling2D(2), (11, 11)) == (5, 5)
    assert cnnlib.MaxPool2d(2).output_shape((1, 11, 11)) == (1, 5, 5)


# -------------------------------------------------------- where the padding goes


def test_ones_probe_shows_the_extra_padding_at_the_end():
    # n = 10, k = 4, s = 1: total padding 3 = 1 before + 2 after.  A kernel of ones on an
    # input of ones counts the real (unpadded) elements under each window:
    # the first window covers 3 real elements (1 pad before), the last 2 (2 pads after).
    conv = L.Conv1D(1, 4, padding="same", use_bias=False)
    conv.build((1, 10, 1))
    conv.set_weights([np.ones((4, 1, 1), "float32")])
    y = to_np(conv(np.ones((1, 10, 1), "float32")))[0, :, 0]
    assert y.tolist() == [3, 4, 4, 4, 4, 4, 4, 4, 3, 2]
    assert cnnlib.same_padding(10, 4) == (1, 2)


def test_ones_probe_2d_bottom_right():
    # 6×6, kernel 2×2, stride 2: ⌈6/2⌉ = 3, total = (3 − 1)·2 + 2 − 6 = 0 → no padding;
    # 5×5, kernel 2×2, stride 2: ⌈5/2⌉ = 3, total = 2·2 + 2 − 5 = 1 → 0 before, 1 after,
    # so only the last row and column of windows see padding (sums 2 and 1 at the corner).
    conv = L.Conv2D(1, 2, strides=2, padding="same", use_bias=False)
    conv.build((1, 5, 5, 1))
    conv.set_weights([np.ones((2, 2, 1, 1), "float32")])
    y = to_np(conv(np.ones((1, 5, 5, 1), "float32")))[0, :, :, 0]
    assert y.tolist() == [[4, 4, 2], [4, 4, 2], [2, 2, 1]]
    assert cnnlib.same_padding(5, 2, stride=2) == (0, 1)
    assert cnnlib.same_padding(6, 2, stride=2) == (0, 0)


def _torch_conv1d_padded(x, kernel, s, d, before, after):
    """x: (n,) numpy, kernel: (k,) numpy → torch's conv of the explicitly padded input."""
    t = F.pad(torch.tensor(x).view(1, 1, -1), (before, after))
    return F.conv1d(t, torch.tensor(kernel).view(1, 1, -1), stride=s, dilation=d).view(-1).numpy()


def test_conv1d_same_split_matches_keras_values(agreement):
    """Keras' output = torch conv of the input padded with same_padding's (before, after)."""
    checked = 0
    for n, k, s in itertools.product(range(1, 15), range(1, 7), STRIDES):
        for d in ((1, 2, 3) if s == 1 else (1,)):
            x = RNG.standard_normal(n).astype("float32")
            w = RNG.standard_normal(k).astype("float32")
            conv = L.Conv1D(1, k, strides=s, padding="same", dilation_rate=d, use_bias=False)
            conv.build((1, n, 1))
            conv.set_weights([w.reshape(k, 1, 1)])
            y = to_np(conv(x.reshape(1, n, 1))).reshape(-1)
            before, after = cnnlib.same_padding(n, k, stride=s, dilation=d)
            expected = _torch_conv1d_padded(x, w, s, d, before, after)
            assert y.shape == expected.shape
            np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5,
                                       err_msg=f"n={n} k={k} s={s} d={d}")
            if before != after and d == 1:  # the mirror split must *not* match: the probe tells
                mirrored = _torch_conv1d_padded(x, w, s, d, after, before)
                if mirrored.shape == y.shape:
                    assert not np.allclose(y, mirrored, rtol=1e-5, atol=1e-5)
            checked += 1
    agreement["Keras same split (conv1d)"]["examples"] += checked
    agreement["Keras same split (conv1d)"]["both_ok"] += checked


def test_conv2d_same_split_matches_keras_values(agreement):
    checked = 0
    for (h, w), (kh, kw), s in itertools.product([(5, 8), (7, 4), (10, 10)], [(2, 3), (4, 4), (3, 1)],
                                                STRIDES):
        x = RNG.standard_normal((h, w)).astype("float32")
        ker = RNG.standard_normal((kh, kw)).astype("float32")
        conv = L.Conv2D(1, (kh, kw), strides=s, padding="same", use_bias=False)
        conv.build((1, h, w, 1))
        conv.set_weights([ker.reshape(kh, kw, 1, 1)])
        y = to_np(conv(x.reshape(1, h, w, 1)))[0, :, :, 0]
        top, bottom = cnnlib.same_padding(h, kh, stride=s)
        left, right = cnnlib.same_padding(w, kw, stride=s)
        t = F.pad(torch.tensor(x).view(1, 1, h, w), (left, right, top, bottom))
        expected = F.conv2d(t, torch.tensor(ker).view(1, 1, kh, kw), stride=s)[0, 0].numpy()
        np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5, err_msg=f"{(h, w, kh, kw, s)}")
        checked += 1
    agreement["Keras same split (conv2d)"]["examples"] += checked
    agreement["Keras same split (conv2d)"]["both_ok"] += checked


def _keras_torch_avg(t, k, s, before, after):
    """Keras 3.15's torch-backend average pool of the (1, 1, n) tensor t with this split."""
    if before == after:
        return F.avg_pool1d(t, k, s, padding=before, count_include_pad=False).view(-1).numpy()
    return F.avg_pool1d(F.pad(t, (before, after), mode="replicate"), k, s).view(-1).numpy()


def test_pool1d_same_split_matches_keras_values(agreement):
    """Max: pad with −∞.  Average, as Keras 3.15's torch backend does it: a symmetric split
    goes to torch's avg_pool1d(padding=p, count_include_pad=False) (padding not counted,
    TensorFlow's rule); an asymmetric one is padded by *replicating* the edge values
    (keras/src/backend/torch/nn.py, _apply_same_padding, mode="replicate"), so those
    averages include copies of the edge.  Either way the odd element goes after."""
    checked = asymmetric = 0
    for n, k, s in itertools.product(range(1, 15), range(1, 7), STRIDES):
        x = RNG.standard_normal(n).astype("float32")
        before, after = cnnlib.same_padding(n, k, stride=s)
        t = torch.tensor(x).view(1, 1, -1)
        ymax = to_np(L.MaxPooling1D(k, strides=s, padding="same")(x.reshape(1, n, 1))).reshape(-1)
        emax = F.max_pool1d(F.pad(t, (before, after), value=-np.inf), k, s).view(-1).numpy()
        np.testing.assert_allclose(ymax, emax, rtol=1e-6, err_msg=f"max n={n} k={k} s={s}")
        yavg = to_np(L.AveragePooling1D(k, strides=s, padding="same")(x.reshape(1, n, 1))).reshape(-1)

        np.testing.assert_allclose(yavg, _keras_torch_avg(t, k, s, before, after), rtol=1e-5, atol=1e-6,
                                   err_msg=f"avg n={n} k={k} s={s}")
        if before != after and n > 1:  # with n = 1 both replicated edges are x[0]
            asymmetric += 1
            mirrored = _keras_torch_avg(t, k, s, after, before)
            assert mirrored.shape != yavg.shape or not np.allclose(yavg, mirrored, rtol=1e-5, atol=1e-6)
        checked += 1
    assert asymmetric > 50  # the split was actually probed
    agreement["Keras same split (pool1d)"]["examples"] += checked
    agreement["Keras same split (pool1d)"]["both_ok"] += checked


# ------------------------------------------------------- transposed convolution
# Keras' 'same' with an explicit output_padding on a length-1 input and an even kernel
# gives an *empty* output ((n − 1)·s + span mod 2 + a = 0); torch refuses a transposed
# convolution whose output would be empty, and so does cnnlib.  That is the one place the
# sizes differ: the 1-d test pins exactly when it happens, and counts it as both raised.

def keras_transpose_out(layer, spatial):
    """Keras' output size, or None if Keras raises or gives an empty map (see above)."""
    out = keras_out(layer, spatial)
    return None if out is None or min(out) == 0 else out


def _cnnlib_transpose(layer_type, shape, **kw):
    try:
        return layer_type(1, **kw).output_shape(shape)[1:]
    except ShapeError:
        return None


def test_conv1d_transpose_sizes_match_keras(agreement):
    """Conv1DTranspose with 'same'/'valid', output_padding None (Keras' default) or given,
    strides 1–4, kernels 1–6: the layer and conv_transpose_output_size both give Keras' size."""
    bad = []
    for n, k, s, padding in itertools.product(range(1, 12), range(1, 7), STRIDES, ("same", "valid")):
        for a in (None, *range(s)):
            raw = keras_out(L.Conv1DTranspose(1, k, strides=s, padding=padding, output_padding=a), (n,))
            expected = None if raw is None or min(raw) == 0 else raw
            if raw is not None and min(raw) == 0:  # the pinned difference
                assert n == 1 and k % 2 == 0 and padding == "same" and a == 0, (n, k, s, padding, a)
            got = _cnnlib_transpose(cnnlib.ConvTranspose1d, (1, n), kernel_size=k, stride=s,
                                    padding=padding, output_padding=a)
            try:
                size = (cnnlib.conv_transpose_output_size(n, k, s, padding, a),)
            except ShapeError:
                size = None
            if not (got == expected == size):
                bad.append((n, k, s, padding, a, expected, got, size))
            agreement["Keras Conv1DTranspose"]["examples"] += 1
            agreement["Keras Conv1DTranspose"]["both_raised" if expected is None else "both_ok"] += 1
    assert not bad, bad[:10]


def test_conv2d_transpose_sizes_match_keras(agreement):
    bad = []
    sizes = [(1, 1), (2, 5), (7, 7), (8, 3)]
    kernels = [(1, 1), (2, 2), (3, 3), (4, 3), (5, 2)]
    for (h, w), (kh, kw), s, padding in itertools.product(sizes, kernels, (1, 2, 3), ("same", "valid")):
        for a in (None, 0, s - 1):
            expected = keras_transpose_out(L.Conv2DTranspose(1, (kh, kw), strides=s, padding=padding,
                                                             output_padding=a), (h, w))
            got = _cnnlib_transpose(cnnlib.ConvTranspose2d, (1, h, w), kernel_size=(kh, kw), stride=s,
                                    padding=padding, output_padding=a)
            if got != expected:
                bad.append(((h, w), (kh, kw), s, padding, a, expected, got))
            agreement["Keras Conv2DTranspose"]["examples"] += 1
            agreement["Keras Conv2DTranspose"]["both_raised" if expected is None else "both_ok"] += 1
    assert not bad, bad[:10]


def test_dilated_conv1d_transpose_matches_keras(agreement):
    """Keras allows dilation with a transposed convolution at stride 1."""
    bad = []
    for n, k, d, padding in itertools.product(range(1, 10), range(1, 5), range(1, 4), ("same", "valid")):
        expected = keras_transpose_out(L.Conv1DTranspose(1, k, padding=padding, dilation_rate=d), (n,))
        got = _cnnlib_transpose(cnnlib.ConvTranspose1d, (1, n), kernel_size=k, dilation=d,
                                padding=padding, output_padding=None)
        if got != expected:
            bad.append((n, k, d, padding, expected, got))
        agreement["Keras Conv1DTranspose dilated"]["examples"] += 1
        agreement["Keras Conv1DTranspose dilated"]["both_raised" if expected is None else "both_ok"] += 1
    assert not bad, bad[:10]
