"""Small networks for small devices: MobileNetV2 and SqueezeNet 1.0/1.1 (torchvision's layouts)."""

from __future__ import annotations

from ..errors import ShapeError
from ..graph import Input
from ..layers import (
    AdaptiveAvgPool2d,
    Add,
    BatchNorm2d,
    Concatenate,
    Conv2d,
    Dense,
    Dropout,
    Flatten,
    MaxPool2d,
    ReLU,
    ReLU6,
)
from ..model import Model, Sequential
from ._common import apply_chain
from ._common import size_arg as _size

__all__ = ["MOBILENET_V1_BLOCKS", "MOBILENET_V2_SETTINGS", "SQUEEZENET_VERSIONS", "mobilenet_v1", "mobilenet_v2",
           "squeezenet"]

# ---------------------------------------------------------------- MobileNet (v1)

#: the 13 depthwise-separable blocks of MobileNet (Howard et al., Table 1): (pointwise output
#: channels at α = 1, stride of the depthwise 3×3)
MOBILENET_V1_BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1),
                       (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1))


def mobilenet_v1(width_mult: float = 1.0, input_size: int = 224, num_classes: int = 1000) -> Sequential:
    """MobileNet (Howard et al., 2017) with width multiplier α, as Keras builds it (a chain).

    Stem: conv ⌊32·α⌋ 3×3 s2 (no bias) → BN → ReLU6; then 13 depthwise-separable blocks
    (:data:`MOBILENET_V1_BLOCKS`): depthwise 3×3 (groups = channels, the block's stride, no
    bias) → BN → ReLU6 → pointwise 1×1 to ⌊C·α⌋ channels (no bias) → BN → ReLU6; global
    average pooling, dropout and a dense classifier (Keras writes it as a 1×1 convolution
    with bias: the same parameters).  Every channel count is ⌊C·α⌋, Keras's rounding.  Rows
    are named as Keras names its layers (``conv_dw_1``, ``conv_pw_1_bn`` …).  The 3×3
    convolutions are padded by 1 on each side (Keras pads stride-2 layers by one row and
    column at the bottom and right only: the same output sizes for an even input).
    The paper's Table 6 gives 4.2 M parameters and 569 M MACs at α = 1 and 224×224; the
    parameters are Keras's trainable count at any α (tests/oracle).

    >>> m = mobilenet_v1()
    >>> m.total_params, m.output_shape
    (4231976, (1000,))
    """
    _size("input_size", input_size)
    _size("num_classes", num_classes)
    if isinstance(width_mult, bool) or not isinstance(width_mult, (int, float)) or not width_mult > 0:
        raise ShapeError(f"width_mult must be a number > 0, got {width_mult!r}")

    def width(c):
        w = int(c * width_mult)
        if w < 1:
            raise ShapeError(f"width_mult = {width_mult}: ⌊{c}·{width_mult}⌋ = {w} channels; "
                             f"a layer needs at least 1 (use α ≥ {1 / c:.3g})")
        return w

    layers = [("conv1", Conv2d(width(32), 3, stride=2, padding=1, bias=False)), ("conv1_bn", BatchNorm2d()),
              ("conv1_relu", ReLU6())]
    c = width(32)
    for i, (out, stride) in enumerate(MOBILENET_V1_BLOCKS, start=1):
        layers += [(f"conv_dw_{i}", Conv2d(c, 3, stride=stride, padding=1, groups=c, bias=False)),
                   (f"conv_dw_{i}_bn", BatchNorm2d()), (f"conv_dw_{i}_relu", ReLU6())]
        c = width(out)
        layers += [(f"conv_pw_{i}", Conv2d(c, 1, bias=False)), (f"conv_pw_{i}_bn", BatchNorm2d()),
                   (f"conv_pw_{i}_relu", ReLU6())]
    layers += [("global_average_pooling2d", AdaptiveAvgPool2d(1)), ("flatten", Flatten()),
               ("dropout", Dropout(0.001)), ("conv_preds", Dense(num_classes))]
    name = "mobilenet_v1" if width_mult == 1 else f"mobilenet_v1_{width_mult:g}"
    return Sequential((3, input_size, input_size), layers, name=name)

# ---------------------------------------------------------------- MobileNetV2

#: expansion t, output channels c, repeats n, first stride s (Sandler et al., Table 2)
MOBILENET_V2_SETTINGS = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
                         (6, 160, 3, 2), (6, 320, 1, 1))


def _conv_bn_relu6(prefix, out, k, stride=1, groups=1) -> list:
    """torchvision's Conv2dNormActivation: conv (no bias, 'same' padding (k − 1)/2) → BN → ReLU6."""
    return [(f"{prefix}.0", Conv2d(out, k, stride=stride, padding=(k - 1) // 2, groups=groups, bias=False)),
            (f"{prefix}.1", BatchNorm2d()), (f"{prefix}.2", ReLU6())]


def _inverted_residual(x, prefix, c_in, c_out, stride, t):
    """torchvision's InvertedResidual: 1×1 expansion to t·C_in (absent when t = 1) → 3×3 depthwise
    (groups = channels, the stride) → 1×1 linear projection + BN, no activation after it; the
    input is added back when the stride is 1 and the channels stay (x + conv(x))."""
    hidden = c_in * t
    layers, j = [], 0
    if t != 1:
        layers += _conv_bn_relu6(f"{prefix}.conv.0", hidden, 1)
        j = 1
    layers += _conv_bn_relu6(f"{prefix}.conv.{j}", hidden, 3, stride, groups=hidden)
    layers += [(f"{prefix}.conv.{j + 1}", Conv2d(c_out, 1, bias=False)), (f"{prefix}.conv.{j + 2}", BatchNorm2d())]
    y = apply_chain(x, layers)
    return Add()(x, y, name=f"{prefix}.add") if stride == 1 and c_in == c_out else y


def mobilenet_v2(input_size: int = 224, num_classes: int = 1000) -> Model:
    """MobileNetV2 (Sandler et al., 2018) in torchvision's layout (width 1.0), a graph model.

    Stem conv 32 3×3 s2 → BN → ReLU6; 17 inverted residual blocks (see
    :data:`MOBILENET_V2_SETTINGS`); 1×1 conv to 1280 → BN → ReLU6; global average pool,
    dropout 0.2, FC. Rows are named as torchvision's modules (``features.3.conv.1.0`` is the
    depthwise conv of the fourth block, ``features.3.add`` its residual sum);
    3,504,872 parameters (torchvision's documented total), about 300 M MACs at 224.

    >>> m = mobilenet_v2()
    >>> m.total_params, m.row("features.3.conv.1.0").layer.groups
    (3504872, 144)
    """
    _size("input_size", input_size)
    _size("num_classes", num_classes)
    inp = Input((3, input_size, input_size))
    x = apply_chain(inp, _conv_bn_relu6("features.0", 32, 3, 2))
    c, i = 32, 1
    for t, c_out, n, s in MOBILENET_V2_SETTINGS:
        for r in range(n):
            x = _inverted_residual(x, f"features.{i}", c, c_out, s if r == 0 else 1, t)
            c, i = c_out, i + 1
    y = apply_chain(x, _conv_bn_relu6(f"features.{i}", 1280, 1) + [
        ("adaptive_avg_pool2d", AdaptiveAvgPool2d(1)), ("flatten", Flatten()),
        ("classifier.0", Dropout(0.2)), ("classifier.1", Dense(num_classes))])
    return Model(inp, y, name="mobilenet_v2")


# ----------------------------------------------------------------- SqueezeNet

#: version → (stem conv (channels, kernel), Fire modules (squeeze, expand1x1, expand3x3) or "M" for a pool)
SQUEEZENET_VERSIONS = {
    "1_0": ((96, 7), [(16, 64, 64), (16, 64, 64), (32, 128, 128), "M", (32, 128, 128), (48, 192, 192),
                      (48, 192, 192), (64, 256, 256), "M", (64, 256, 256)]),
    "1_1": ((64, 3), [(16, 64, 64), (16, 64, 64), "M", (32, 128, 128), (32, 128, 128), "M",
                      (48, 192, 192), (48, 192, 192), (64, 256, 256), (64, 256, 256)]),
}


def _fire(x, prefix, squeeze, e1, e3):
    """torchvision's Fire: 1×1 squeeze → ReLU, then 1×1 and 3×3 (p1) expands, each → ReLU, concatenated."""
    x = apply_chain(x, [(f"{prefix}.squeeze", Conv2d(squeeze, 1)), (f"{prefix}.squeeze_activation", ReLU())])
    a = apply_chain(x, [(f"{prefix}.expand1x1", Conv2d(e1, 1)), (f"{prefix}.expand1x1_activation", ReLU())])
    b = apply_chain(x, [(f"{prefix}.expand3x3", Conv2d(e3, 3, padding=1)),
                        (f"{prefix}.expand3x3_activation", ReLU())])
    return Concatenate()(a, b, name=f"{prefix}.cat")


def squeezenet(version: str = "1_0", input_size: int = 224, num_classes: int = 1000) -> Model:
    """SqueezeNet 1.0 (Iandola et al., 2016) or 1.1 in torchvision's layout, a graph model.

    1.0: conv 96 7×7 s2 → ReLU → max pool 3 s2 (ceil) → eight Fire modules with two more
    pools; 1.1 starts with conv 64 3×3 s2 and pools earlier (about 2.4× fewer MACs, the same
    accuracy). No dense layer: dropout 0.5, a 1×1 conv to the classes → ReLU → global average
    pool. Rows are named as torchvision's modules (``features.3.expand3x3`` …). Parameters
    (torchvision's documented totals): 1.0: 1,248,424; 1.1: 1,235,496.

    >>> squeezenet("1_0").total_params, squeezenet("1_1").total_params
    (1248424, 1235496)
    """
    if version not in SQUEEZENET_VERSIONS:
        raise ShapeError(f"squeezenet version must be one of {tuple(SQUEEZENET_VERSIONS)}, got {version!r}")
    _size("input_size", input_size)
    _size("num_classes", num_classes)
    (stem, k), modules = SQUEEZENET_VERSIONS[version]
    inp = Input((3, input_size, input_size))
    x = apply_chain(inp, [("features.0", Conv2d(stem, k, stride=2)), ("features.1", ReLU()),
                          ("features.2", MaxPool2d(3, stride=2, ceil_mode=True))])
    for i, m in enumerate(modules, start=3):
        if m == "M":
            x = MaxPool2d(3, stride=2, ceil_mode=True)(x, name=f"features.{i}")
        else:
            x = _fire(x, f"features.{i}", *m)
    y = apply_chain(x, [("classifier.0", Dropout(0.5)), ("classifier.1", Conv2d(num_classes, 1)),
                        ("classifier.2", ReLU()), ("classifier.3", AdaptiveAvgPool2d(1)),
                        ("flatten", Flatten())])
    return Model(inp, y, name=f"squeezenet{version}")
