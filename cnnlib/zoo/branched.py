"""Networks with branches: GoogLeNet (Inception), ResNet and DenseNet."""

from __future__ import annotations

from ..blocks import Concat, Residual
from ..errors import ShapeError
from ..graph import Input
from ..layers import (
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Concatenate,
    Conv2d,
    Dense,
    Dropout,
    Flatten,
    MaxPool2d,
    ReLU,
)
from ..model import Model, Sequential
from ._common import apply_chain
from ._common import size_arg as _size

__all__ = ["DENSENET_LAYOUTS", "GOOGLENET_MODULES", "RESNET_LAYOUTS", "densenet", "googlenet", "inception",
           "resnet"]


# ----------------------------------------------------------------- GoogLeNet


def _basic(out, k, stride=1, padding=0) -> list:
    """torchvision's BasicConv2d: conv (no bias) → BatchNorm (eps 0.001) → ReLU."""
    return [Conv2d(out, k, stride=stride, padding=padding, bias=False), BatchNorm2d(), ReLU()]


def _named_basic(prefix, out, k, stride=1, padding=0) -> list:
    conv, bn, relu = _basic(out, k, stride, padding)
    return [(f"{prefix}conv", conv), (f"{prefix}bn", bn), (f"{prefix}relu", relu)]


def inception(ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj) -> Concat:
    """torchvision's Inception module: four branches concatenated along the channels.

    branch1 1×1; branch2 1×1 → 3×3; branch3 1×1 → **3×3** (torchvision's kernel — the paper
    has 5×5 here; torchvision keeps 3×3 for compatibility, and 6,624,904 counts it);
    branch4 3×3 max pool (stride 1, padding 1, ceil mode) → 1×1.
    """
    return Concat({
        "branch1": _named_basic("", ch1x1, 1),
        "branch2": _named_basic("0.", ch3x3red, 1) + _named_basic("1.", ch3x3, 3, padding=1),
        "branch3": _named_basic("0.", ch5x5red, 1) + _named_basic("1.", ch5x5, 3, padding=1),
        "branch4": [("0", MaxPool2d(3, stride=1, padding=1, ceil_mode=True))]
        + _named_basic("1.", pool_proj, 1),
    })


def _ceil_pool(k=3) -> MaxPool2d:
    return MaxPool2d(k, stride=2, ceil_mode=True)


GOOGLENET_MODULES = {
    "inception3a": (64, 96, 128, 16, 32, 32), "inception3b": (128, 128, 192, 32, 96, 64),
    "inception4a": (192, 96, 208, 16, 48, 64), "inception4b": (160, 112, 224, 24, 64, 64),
    "inception4c": (128, 128, 256, 24, 64, 64), "inception4d": (112, 144, 288, 32, 64, 64),
    "inception4e": (256, 160, 320, 32, 128, 128), "inception5a": (256, 160, 320, 32, 128, 128),
    "inception5b": (384, 192, 384, 48, 128, 128),
}


def googlenet(input_size: int = 224, num_classes: int = 1000) -> Sequential:
    """GoogLeNet (Inception v1) as torchvision builds it, without the auxiliary heads.

    Stem: BasicConv2d 64 7×7 s2 p3, max pool 3 s2 (ceil), BasicConv2d 64 1×1, 192 3×3 p1,
    max pool; Inception 3a, 3b, pool, 4a–4e, pool 2 s2 (ceil), 5a, 5b; global average
    pool, dropout 0.2, FC 1024 → 1000. BasicConv2d = conv without bias + BatchNorm + ReLU.
    Each Inception's third branch uses a 3×3 kernel where the paper has 5×5 (torchvision's
    choice, see :func:`inception`): 6,624,904 parameters, as torchvision counts them
    (aux_logits=False). With the paper's 5×5 the count would be higher.

    >>> googlenet().total_params
    6624904
    """
    _size("input_size", input_size)
    _size("num_classes", num_classes)
    layers = (_named_basic("conv1.", 64, 7, stride=2, padding=3) + [("maxpool1", _ceil_pool())]
              + _named_basic("conv2.", 64, 1) + _named_basic("conv3.", 192, 3, padding=1)
              + [("maxpool2", _ceil_pool())])
    for name, cfg in GOOGLENET_MODULES.items():
        layers.append((name, inception(*cfg)))
        if name == "inception3b":
            layers.append(("maxpool3", _ceil_pool()))
        elif name == "inception4e":
            layers.append(("maxpool4", _ceil_pool(2)))
    layers += [("avgpool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()),
               ("dropout", Dropout(0.2)), ("fc", Dense(num_classes))]
    return Sequential((3, input_size, input_size), layers, name="googlenet")


# -------------------------------------------------------------------- ResNet

RESNET_LAYOUTS = {
    18: ("basic", (2, 2, 2, 2)), 34: ("basic", (3, 4, 6, 3)), 50: ("bottleneck", (3, 4, 6, 3)),
    101: ("bottleneck", (3, 4, 23, 3)), 152: ("bottleneck", (3, 8, 36, 3)),
}


def _bn_conv(prefix, out, k, stride=1, padding=0) -> list:
    return [(f"conv{prefix}", Conv2d(out, k, stride=stride, padding=padding, bias=False)),
            (f"bn{prefix}", BatchNorm2d())]


def _res_block(kind, in_ch, planes, stride) -> tuple[Residual, int]:
    """torchvision's BasicBlock (expansion 1) or Bottleneck v1.5 (expansion 4)."""
    if kind == "basic":
        out = planes
        block = (_bn_conv("1", planes, 3, stride, 1) + [("relu1", ReLU())]
                 + _bn_conv("2", planes, 3, 1, 1))
    else:
        out = planes * 4
        block = (_bn_conv("1", planes, 1) + [("relu1", ReLU())]
                 + _bn_conv("2", planes, 3, stride, 1) + [("relu2", ReLU())]
                 + _bn_conv("3", out, 1))
    shortcut = None
    if stride != 1 or in_ch != out:
        shortcut = [("0", Conv2d(out, 1, stride=stride, bias=False)), ("1", BatchNorm2d())]
    return Residual(block, shortcut, post=[("relu", ReLU())]), out


def resnet(depth: int = 50, input_size: int = 224, num_classes: int = 1000) -> Sequential:
    """ResNet-18/34/50/101/152 in torchvision's layout (v1.5: stride on the Bottleneck's 3×3).

    Stem conv 64 7×7 s2 p3 (no bias) + BN + ReLU, max pool 3 s2 p1; four stages of
    residual blocks (64, 128, 256, 512 planes; stride 2 from the second stage); a
    shortcut is a 1×1 conv (stride of the block, no bias) + BN where the shape changes,
    else the identity; global average pool, FC → num_classes.
    Parameters (torchvision's documented totals): ResNet-18 11,689,512, ResNet-34 21,797,672,
    ResNet-50 25,557,032, ResNet-101 44,549,160, ResNet-152 60,192,808.

    >>> resnet(18).total_params, resnet(50).total_params
    (11689512, 25557032)
    """
    if depth not in RESNET_LAYOUTS:
        raise ShapeError(f"resnet depth must be one of {tuple(RESNET_LAYOUTS)}, got {depth!r}")
    _size("input_size", input_size)
    _size("num_classes", num_classes)
    kind, counts = RESNET_LAYOUTS[depth]
    layers = [("conv1", Conv2d(64, 7, stride=2, padding=3, bias=False)), ("bn1", BatchNorm2d()),
              ("relu", ReLU()), ("maxpool", MaxPool2d(3, stride=2, padding=1))]
    ch = 64
    for stage, (planes, n) in enumerate(zip((64, 128, 256, 512), counts), start=1):
        for b in range(n):
            stride = 2 if stage > 1 and b == 0 else 1
            block, ch = _res_block(kind, ch, planes, stride)
            layers.append((f"layer{stage}.{b}", block))
    layers += [("avgpool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()), ("fc", Dense(num_classes))]
    return Sequential((3, input_size, input_size), layers, name=f"resnet{depth}")




# ------------------------------------------------------------------ DenseNet

#: depth → (growth rate k, initial features, dense layers per block), torchvision's table
DENSENET_LAYOUTS = {
    121: (32, 64, (6, 12, 24, 16)), 161: (48, 96, (6, 12, 36, 24)),
    169: (32, 64, (6, 12, 32, 32)), 201: (32, 64, (6, 12, 48, 32)),
}


def _dense_layer(inputs, prefix, growth, bn_size):
    """torchvision's _DenseLayer: BN → ReLU → 1×1 conv (bn_size·k) → BN → ReLU → 3×3 conv (k),
    reading the concatenation of every earlier tensor of its block."""
    x = inputs[0] if len(inputs) == 1 else Concatenate()(*inputs, name=f"{prefix}.cat")
    return apply_chain(x, [
        (f"{prefix}.norm1", BatchNorm2d()), (f"{prefix}.relu1", ReLU()),
        (f"{prefix}.conv1", Conv2d(bn_size * growth, 1, bias=False)),
        (f"{prefix}.norm2", BatchNorm2d()), (f"{prefix}.relu2", ReLU()),
        (f"{prefix}.conv2", Conv2d(growth, 3, padding=1, bias=False))])


def densenet(depth: int = 121, input_size: int = 224, num_classes: int = 1000, bn_size: int = 4) -> Model:
    """DenseNet-121/161/169/201 (Huang et al., 2017) in torchvision's layout, a graph model.

    Stem: conv 7×7 s2 p3 (no bias) → BN → ReLU → max pool 3 s2 p1. Four dense blocks; in a
    block, layer i reads the concatenation of the block's input and the i − 1 earlier layers'
    outputs (k channels each, the growth rate) — the non-adjacent skips — and the block's
    output is the concatenation of all of them: C_in + n·k channels. Between blocks a
    transition halves the channels and the map: BN → ReLU → 1×1 conv → 2×2 average pool.
    Then BN, ReLU, global average pool and FC. Rows are named as torchvision's modules
    (``features.denseblock1.denselayer1.conv1`` …); the functional tail is named as torch.fx
    names torchvision's calls (``relu``, ``adaptive_avg_pool2d``, ``flatten``).
    Parameters (torchvision's documented totals): 121: 7,978,856; 161: 28,681,000;
    169: 14,149,480; 201: 20,013,928.

    >>> m = densenet(121)
    >>> m.total_params, m.row("features.denseblock1.cat").out_shape
    (7978856, (256, 56, 56))
    """
    if depth not in DENSENET_LAYOUTS:
        raise ShapeError(f"densenet depth must be one of {tuple(DENSENET_LAYOUTS)}, got {depth!r}")
    _size("input_size", input_size)
    _size("num_classes", num_classes)
    _size("bn_size", bn_size)
    growth, init, blocks = DENSENET_LAYOUTS[depth]
    inp = Input((3, input_size, input_size))
    x = apply_chain(inp, [
        ("features.conv0", Conv2d(init, 7, stride=2, padding=3, bias=False)),
        ("features.norm0", BatchNorm2d()), ("features.relu0", ReLU()),
        ("features.pool0", MaxPool2d(3, stride=2, padding=1))])
    channels = init
    for b, n in enumerate(blocks, start=1):
        block = f"features.denseblock{b}"
        tensors = [x]
        for i in range(1, n + 1):
            tensors.append(_dense_layer(tensors, f"{block}.denselayer{i}", growth, bn_size))
        x = Concatenate()(*tensors, name=f"{block}.cat")
        channels += n * growth
        if b < len(blocks):
            channels //= 2
            t = f"features.transition{b}"
            x = apply_chain(x, [(f"{t}.norm", BatchNorm2d()), (f"{t}.relu", ReLU()),
                                (f"{t}.conv", Conv2d(channels, 1, bias=False)),
                                (f"{t}.pool", AvgPool2d(2, stride=2))])
    y = apply_chain(x, [("features.norm5", BatchNorm2d()), ("relu", ReLU()),
                        ("adaptive_avg_pool2d", AdaptiveAvgPool2d(1)), ("flatten", Flatten()),
                        ("classifier", Dense(num_classes))])
    return Model(inp, y, name=f"densenet{depth}")
