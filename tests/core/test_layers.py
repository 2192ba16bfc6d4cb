"""cnnlib.layers: shapes, parameters and MACs worked by hand, error messages, bad input.

Shapes are channels first, (C, H, W) / (C, L) / (F,); the source posts write them
channels last (55×55×96), which the comments translate.
"""

from __future__ import annotations

import pytest

import cnnlib
from cnnlib import (
    AdaptiveAvgPool2d,
    AvgPool1d,
    AvgPool2d,
    BatchNorm1d,
    BatchNorm2d,
    Conv1d,
    Conv2d,
    Dense,
    Dropout,
    Flatten,
    GlobalAvgPool2d,
    LocalResponseNorm,
    MaxPool1d,
    MaxPool2d,
    ReLU,
    ShapeError,
    Softmax,
)


def test_alexnet_first_layers():
    conv = Conv2d(96, 11, stride=4)
    assert conv.output_shape((3, 227, 227)) == (96, 55, 55)         # ⌊216/4⌋ + 1
    assert conv.params((3, 227, 227)) == 11 * 11 * 3 * 96 + 96      # 34,848 + 96 = 34,944
    assert conv.macs((3, 227, 227)) == 96 * 55 * 55 * 11 * 11 * 3   # 105,415,200
    assert MaxPool2d(3, stride=2).output_shape((96, 55, 55)) == (96, 27, 27)


def test_conv_4x4_on_39x31():
    assert Conv2d(1, 4).output_shape((1, 39, 31)) == (1, 36, 28)


def test_keras_maxpool_11_to_5():
    assert MaxPool2d(2).output_shape((1, 11, 11)) == (1, 5, 5)


def test_conv1d_100_98_96():
    # Keras input (100, 5): length 100, 5 channels → channels first (5, 100)
    first, second = Conv1d(8, 3), Conv1d(1, 3)
    assert first.output_shape((5, 100)) == (8, 98)
    assert first.params((5, 100)) == 128     # (3·5 + 1)·8
    assert second.output_shape((8, 98)) == (1, 96)
    assert second.params((8, 98)) == 25      # (3·8 + 1)·1


def test_5x5x3x4_weights():
    conv = Conv2d(4, 5)
    assert conv.output_shape((3, 32, 32)) == (4, 28, 28)  # 32×32×3 → 28×28×4
    assert conv.weights((3, 32, 32)) == 300               # 5·5·3·4
    assert conv.biases((3, 32, 32)) == 4
    assert conv.params((3, 32, 32)) == 304


def test_3x3x32_to_32():
    assert Conv2d(32, 3).params((32, 13, 13)) == 9248  # (3·3·32 + 1)·32


def test_128_3x3_on_64_channels():
    conv = Conv2d(128, 3, padding=1)
    assert conv.weights((64, 56, 56)) == 73728   # 128·3·3·64
    assert conv.params((64, 56, 56)) == 73728 + 128


def test_keras_cases():
    # case 2: one 3×3 filter on a 1-channel image: (3·3·1 + 1)·1 = 10
    assert Conv2d(1, 3).params((1, 28, 28)) == 10
    # case 3: 5 filters of 3×3 on 1 channel, then 2 filters of 3×3 on those 5
    a, b = Conv2d(5, 3), Conv2d(2, 3)
    assert a.params((1, 28, 28)) == 50            # (3·3·1 + 1)·5
    assert a.output_shape((1, 28, 28)) == (5, 26, 26)
    assert b.params((5, 26, 26)) == 92            # (3·3·5 + 1)·2


def test_vgg_conv3_256():
    assert Conv2d(256, 3, padding=1).params((128, 56, 56)) == 295168   # 3·3·128·256 + 256
    assert Conv2d(256, 3, padding=1).params((256, 56, 56)) == 590080   # 3·3·256·256 + 256
    assert Conv2d(256, 3, padding=1).output_shape((128, 56, 56)) == (256, 56, 56)


def test_alexnet_fc6():
    assert Flatten().output_shape((256, 6, 6)) == (9216,)                 # 6·6·256
    assert Dense(4096).params((9216,)) == 37752832                        # 9216·4096 + 4096
    assert Dense(4096).macs((9216,)) == 9216 * 4096
    assert Dense(4096, bias=False).params((9216,)) == 9216 * 4096


def test_depthwise_and_grouped():
    dw = Conv2d(32, 3, padding=1, groups=32)
    assert dw.params((32, 112, 112)) == 32 * 3 * 3 + 32        # one 3×3 filter per channel
    assert dw.macs((32, 112, 112)) == 32 * 112 * 112 * 9
    g = Conv2d(8, (3, 5), groups=2, bias=False)
    assert g.output_shape((4, 10, 10)) == (8, 8, 6)
    assert g.params((4, 10, 10)) == 8 * 2 * 3 * 5             # C_out·(C_in/g)·kh·kw


def test_same_padding_layers():
    assert Conv2d(8, 3, stride=2, padding="same").output_shape((3, 7, 8)) == (8, 4, 4)  # ⌈7/2⌉, ⌈8/2⌉
    assert MaxPool2d(3, stride=2, padding="same").output_shape((8, 7, 7)) == (8, 4, 4)
    assert Conv1d(4, 4, padding="same").output_shape((2, 10)) == (4, 10)


def test_pooling_variants():
    assert AvgPool2d(2).output_shape((32, 11, 11)) == (32, 5, 5)
    assert AvgPool1d(3, stride=1).output_shape((4, 10)) == (4, 8)
    assert MaxPool1d(2).output_shape((8, 98)) == (8, 49)
    assert MaxPool2d(3, stride=2, ceil_mode=True).output_shape((1, 6, 6)) == (1, 3, 3)  # ⌈3/2⌉ + 1
    assert MaxPool2d(3, stride=2).output_shape((1, 6, 6)) == (1, 2, 2)                  # ⌊3/2⌋ + 1
    assert AdaptiveAvgPool2d(6).output_shape((256, 13, 13)) == (256, 6, 6)
    assert GlobalAvgPool2d().output_shape((1024, 7, 7)) == (1024, 1, 1)
    for layer in (MaxPool2d(2), AvgPool2d(2), GlobalAvgPool2d()):
        assert layer.params((3, 8, 8)) == 0 and layer.macs((3, 8, 8)) == 0


def test_batchnorm_and_elementwise():
    assert BatchNorm2d().params((64, 56, 56)) == 128   # γ, β per channel
    assert BatchNorm2d().buffers((64, 56, 56)) == 129  # running mean, var + num_batches_tracked
    assert BatchNorm1d().params((100,)) == 200
    for layer in (ReLU(), Softmax(), Dropout(0.5), LocalResponseNorm(5)):
        assert layer.output_shape((3, 4, 5)) == (3, 4, 5)
        assert layer.params((3, 4, 5)) == 0


# ------------------------------------------------------------------- error messages


def test_alexnet_conv_on_a_tiny_input_message():
    with pytest.raises(ShapeError) as info:
        Conv2d(96, 11, stride=4).output_shape((3, 5, 5))
    msg = str(info.value)
    assert msg.startswith("Conv2d(96, 11, stride=4)")
    assert "width" in msg and "height" in msg
    assert "(5 + 2·0 − 1·(11−1) − 1)/4 + 1 = -0.5" in msg
    assert "padding ≥ 3" in msg


def test_only_the_failing_dimension_is_named():
    with pytest.raises(ShapeError) as info:
        Conv2d(4, (3, 9)).output_shape((1, 10, 5))
    msg = str(info.value)
    assert "width" in msg and "height" not in msg
    assert "(5 + 2·0 − 1·(9−1) − 1)/1 + 1 = -3" in msg  # 5 − 9 + 1 = −3
    assert "padding ≥ 2" in msg                           # ⌈(9 − 5)/2⌉ = 2


def test_conv1d_message_names_length():
    with pytest.raises(ShapeError, match="length"):
        Conv1d(8, 5).output_shape((3, 2))


def test_groups_message():
    with pytest.raises(ShapeError, match="not divisible by groups 2"):
        Conv2d(4, 3, groups=2).output_shape((3, 8, 8))
    with pytest.raises(ShapeError, match="out_channels 3 is not divisible by groups 2"):
        Conv2d(3, 3, groups=2)


def test_pool_padding_message():
    with pytest.raises(ShapeError) as info:
        MaxPool2d(2, padding=2).output_shape((3, 6, 6))
    assert "MaxPool2d(2, padding=2)" in str(info.value)
    assert "padding ≤ 1" in str(info.value)


# ---------------------------------------------------------------------- bad input

BAD = ["3", -1, 0, True, 2.5, 3.0, None, (3, 3, 3), [], 1j]


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("make", [
    lambda b: Conv2d(b, 3),
    lambda b: Conv2d(8, b),
    lambda b: Conv2d(8, 3, stride=b),
    lambda b: Conv2d(8, 3, dilation=b),
    lambda b: Conv2d(8, 3, groups=b),
    lambda b: Conv1d(b, 3),
    lambda b: Conv1d(8, b),
    lambda b: Conv1d(8, 3, stride=b),
    lambda b: MaxPool2d(b),
    lambda b: MaxPool2d(2, stride=b if b is not None else 0),
    lambda b: MaxPool2d(3, dilation=b),
    lambda b: AvgPool2d(b),
    lambda b: MaxPool1d(b),
    lambda b: AvgPool1d(b),
    lambda b: AdaptiveAvgPool2d(b if b != 0 else -1),  # 0 is valid in torch (an empty map)
    lambda b: Dense(b),
    lambda b: LocalResponseNorm(b),
])
def test_bad_hyperparameters_raise_shape_error(make, bad):
    """At construction or at the first shape: a ShapeError, never TypeError & co."""
    with pytest.raises(ShapeError):
        layer = make(bad)
        layer.output_shape((4, 12, 12) if "1d" not in type(layer).__name__ else (4, 12))
        layer.params((4, 12, 12) if "1d" not in type(layer).__name__ else (4, 12))


@pytest.mark.parametrize("padding", [-1, "full", 2.5, True, (1, 2, 3), None])
def test_bad_padding_raises_shape_error(padding):
    with pytest.raises(ShapeError):
        Conv2d(8, 3, padding=padding).output_shape((3, 12, 12))
    with pytest.raises(ShapeError):
        MaxPool2d(3, padding=padding).output_shape((3, 12, 12))


def test_dropout_probability():
    for p in (-0.1, 1.5, "0.5", True):
        with pytest.raises(ShapeError):
            Dropout(p)


LAYERS = [Conv2d(8, 3), Conv1d(8, 3), MaxPool2d(2), AvgPool2d(2), MaxPool1d(2), AvgPool1d(2),
          GlobalAvgPool2d(), AdaptiveAvgPool2d(2), Flatten(), Dense(10), BatchNorm2d(), BatchNorm1d(),
          ReLU(), Softmax(), Dropout(), LocalResponseNorm()]
BAD_SHAPES = [(3, 12), (3, 12, 12, 12), "abc", 5, None, (3, -1, 8), (3, 8.0, 8), (3, True, 8), (3, "8", 8), ()]


@pytest.mark.parametrize("layer", LAYERS, ids=lambda x: type(x).__name__)
@pytest.mark.parametrize("shape", BAD_SHAPES, ids=repr)
def test_bad_input_shapes_raise_shape_error(layer, shape):
    """Each method either works (the shape is fine for this layer) or raises ShapeError."""
    ok = True
    for method in ("output_shape", "params", "weights", "biases", "buffers", "macs"):
        try:
            getattr(layer, method)(shape)
        except ShapeError:
            ok = False
    # wrong-typed or negative sizes can never be fine
    if not isinstance(shape, tuple) or any(not isinstance(x, int) or isinstance(x, bool) or x < 0
                                           for x in shape):
        assert not ok


@pytest.mark.parametrize("layer", LAYERS[:7], ids=lambda x: type(x).__name__)
def test_wrong_rank_raises(layer):
    wrong = (3, 12, 12, 12)
    with pytest.raises(ShapeError):
        layer.output_shape(wrong)


def test_public_names_exist():
    for name in ("conv_output_size", "pool_output_size", "same_padding", "effective_kernel",
                 "conv_formula", "pool_formula", "ShapeError", "shape_str"):
        assert hasattr(cnnlib, name)
    assert cnnlib.shape_str((3, 227, 227)) == "227×227×3"  # × is always H×W×C
    assert Conv2d.kind == "conv"
    # ReLU works in place (no activation memory of its own); a convolution makes a new tensor
    assert not ReLU().facts((3, 4, 4)).saves_output and Conv2d(2, 3).facts((3, 4, 4)).saves_output


def test_channel_layer_norm_by_hand():
    """γ and β per channel (the first axis), whatever the spatial axes; none without affine."""
    layer = cnnlib.ChannelLayerNorm()
    for shape in ((96, 56, 56), (64, 100), (10,), (8, 2, 3, 4)):
        f = layer.facts(shape)
        assert (f.out_shape, f.weights, f.biases, f.buffers, f.macs) == (shape, shape[0], shape[0], 0, 0)
    assert cnnlib.ChannelLayerNorm(bias=False).params((96, 7, 7)) == 96
    assert cnnlib.ChannelLayerNorm(elementwise_affine=False).params((96, 7, 7)) == 0
    with pytest.raises(ShapeError):
        layer.facts((0, 4, 4))
    with pytest.raises(ShapeError):
        cnnlib.ChannelLayerNorm(bias="yes")


def test_reshape_by_hand():
    """A view: same elements, no parameters, no new tensor; −1 inferred; a wrong count refused."""
    r = cnnlib.Reshape((64, 1, 1))
    f = r.facts((64,))
    assert (f.out_shape, f.params, f.buffers, f.saves_output) == ((64, 1, 1), 0, 0, False)
    assert cnnlib.Reshape((-1, 7, 7)).output_shape((3136,)) == (64, 7, 7)
    for bad_input in ((63,), (3, 5, 5)):
        with pytest.raises(ShapeError):
            r.output_shape(bad_input)
    for bad in ((-1, -1), (0, 4), (), "64", (2.0, 3)):
        with pytest.raises(ShapeError):
            cnnlib.Reshape(bad)


# ---------------------------------------------- the constructors' in-line common case


def test_every_layer_takes_its_dataclass_fields():
    """Each layer class's __init__ (generated, or a hand-written _direct_init) takes exactly its
    dataclass fields, in order, with their defaults — what dataclasses' own __init__ would take."""
    import dataclasses
    import inspect

    for name, cls in cnnlib.LAYERS.items():
        want = [(f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default)
                for f in dataclasses.fields(cls) if f.init]
        got = [(p.name, p.default) for p in list(inspect.signature(cls.__init__).parameters.values())[1:]]
        assert got == want, name
    # the hand-written ones are in use where their parameters match (TableConv2d adds a field)
    for cls in (Conv1d, Conv2d, cnnlib.Conv3d, MaxPool2d, MaxPool1d, AvgPool2d, AvgPool1d):
        assert cls.__init__ is cls._direct_init, cls.__name__
    assert cnnlib.TableConv2d.__init__ is not cnnlib.TableConv2d._direct_init


def _spread(x, n):
    return (x,) * n


@pytest.mark.parametrize("cls", [Conv1d, Conv2d, cnnlib.Conv3d])
def test_conv_in_line_case_equals_the_general_checks(cls):
    """Plain ints take the constructor's in-line path, the same values as n-tuples take the
    general one (tuple_arg): the layers must be equal, field by field, and so must their facts."""
    n = cls.spatial
    shape = (6, *(13,) * n)
    for k in (1, 2, 3, 5):
        for s in (1, 2, 3):
            for p in (0, 1, 2):
                for d in (1, 2):
                    for bias in (True, False):
                        fast = cls(8, k, s, p, d, 1, bias)
                        slow = cls(8, _spread(k, n), stride=_spread(s, n), padding=list(_spread(p, n)),
                                   dilation=_spread(d, n), bias=bias)
                        assert fast == slow and fast.__dict__ == slow.__dict__
                        try:
                            want = slow.facts(shape)
                        except ShapeError as e:
                            with pytest.raises(ShapeError) as got:
                                fast.facts(shape)
                            assert str(got.value) == str(e)
                        else:
                            assert fast.facts(shape) == want


@pytest.mark.parametrize("cls", [MaxPool1d, MaxPool2d, cnnlib.MaxPool3d, AvgPool1d, AvgPool2d, cnnlib.AvgPool3d])
def test_pool_in_line_case_equals_the_general_checks(cls):
    n = cls.spatial
    shape = (4, *(11,) * n)
    for k in (1, 2, 3, 4):
        for s in (None, 1, 2, 3):
            for p in range(k // 2 + 1):
                for ceil in (False, True):
                    fast = cls(k, s, p, ceil_mode=ceil)
                    slow = cls(_spread(k, n), None if s is None else list(_spread(s, n)), _spread(p, n),
                               ceil_mode=ceil)
                    assert fast == slow and fast.__dict__ == slow.__dict__
                    assert fast.facts(shape) == slow.facts(shape)
    # outside the in-line case (padding > k/2, a bad ceil_mode) the general checks still speak
    with pytest.raises(ShapeError, match="padding"):
        cls(2, padding=2)
    with pytest.raises(ShapeError, match="ceil_mode must be True or False"):
        cls(2, ceil_mode=1)
