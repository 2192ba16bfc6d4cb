"""Plain chains: AlexNet, VGG, LeNet-5 and Network in Network."""

from __future__ import annotations

from ..errors import ShapeError
from ..layers import (
    AdaptiveAvgPool2d,
    BatchNorm2d,
    Conv2d,
    Dense,
    Dropout,
    EuclideanRBF,
    Flatten,
    LocalResponseNorm,
    MaxPool2d,
    ReLU,
    Subsample2d,
    TableConv2d,
    Tanh,
)
from ..model import Sequential
from ._common import size_arg as _size

__all__ = ["ALEXNET_VARIANTS", "LENET5_C3_TABLE", "LENET5_VARIANTS", "VGG_CONFIGS", "alexnet", "lenet5", "nin",
           "vgg"]


# ------------------------------------------------------------------- AlexNet

ALEXNET_VARIANTS = ("single", "two_tower", "torchvision")


def alexnet(variant: str = "single", input_size: int | None = None, num_classes: int = 1000,
            lrn: bool = False) -> Sequential:
    """AlexNet as the sources count it.

    * ``"single"`` (input 227 by default): conv 96 11×11 s4 → pool 3 s2 → conv 256 5×5 p2 →
      pool → conv 384, 384, 256 3×3 p1 → pool → FC 4096, 4096, 1000: 62,378,344 parameters.
    * ``"two_tower"``: Krizhevsky et al.'s two-GPU net, conv2, conv4 and conv5 grouped
      (groups = 2, each filter sees half the channels): 60,965,224.
    * ``"torchvision"`` (224 by default): 64/192/384/256/256 channels, padding 2 on conv1,
      AdaptiveAvgPool2d(6) before the classifier: 61,100,840 at any input size.

    The paper's "224×224" input: (224 − 11)/4 + 1 = 54.25 is not whole; PyTorch (and
    cnnlib) floor it to 54, and the net still runs — with 256·5·5 = 6,400 inputs to fc1
    instead of 9,216. ``input_size`` too small for the net raises ShapeError naming the
    layer. ``lrn=True`` adds the paper's response normalisation after the first two
    ReLUs (no parameters). Dropout 0.5 before fc1 and fc2, ReLU after each layer.

    >>> alexnet(input_size=224).rows()[1].out_shape
    (96, 54, 54)
    >>> alexnet("two_tower").total_params, alexnet("torchvision").total_params
    (60965224, 61100840)
    """
    if variant not in ALEXNET_VARIANTS:
        raise ShapeError(f"alexnet variant must be one of {ALEXNET_VARIANTS}, got {variant!r}")
    if input_size is None:
        input_size = 224 if variant == "torchvision" else 227
    _size("input_size", input_size)
    _size("num_classes", num_classes)
    if variant == "torchvision":
        layers = [
            ("conv1", Conv2d(64, 11, stride=4, padding=2)), ("relu1", ReLU()),
            ("pool1", MaxPool2d(3, stride=2)),
            ("conv2", Conv2d(192, 5, padding=2)), ("relu2", ReLU()),
            ("pool2", MaxPool2d(3, stride=2)),
            ("conv3", Conv2d(384, 3, padding=1)), ("relu3", ReLU()),
            ("conv4", Conv2d(256, 3, padding=1)), ("relu4", ReLU()),
            ("conv5", Conv2d(256, 3, padding=1)), ("relu5", ReLU()),
            ("pool3", MaxPool2d(3, stride=2)), ("avgpool", AdaptiveAvgPool2d(6)),
            ("flatten", Flatten()),
            ("dropout1", Dropout(0.5)), ("fc1", Dense(4096)), ("relu6", ReLU()),
            ("dropout2", Dropout(0.5)), ("fc2", Dense(4096)), ("relu7", ReLU()),
            ("fc3", Dense(num_classes)),
        ]
        return Sequential((3, input_size, input_size), layers, name="alexnet_torchvision")
    g = 2 if variant == "two_tower" else 1
    norm = (lambda i: [(f"lrn{i}", LocalResponseNorm(5))]) if lrn else (lambda i: [])
    layers = [
        ("conv1", Conv2d(96, 11, stride=4)), ("relu1", ReLU()), *norm(1),
        ("pool1", MaxPool2d(3, stride=2)),
        ("conv2", Conv2d(256, 5, padding=2, groups=g)), ("relu2", ReLU()), *norm(2),
        ("pool2", MaxPool2d(3, stride=2)),
        ("conv3", Conv2d(384, 3, padding=1)), ("relu3", ReLU()),
        ("conv4", Conv2d(384, 3, padding=1, groups=g)), ("relu4", ReLU()),
        ("conv5", Conv2d(256, 3, padding=1, groups=g)), ("relu5", ReLU()),
        ("pool3", MaxPool2d(3, stride=2)), ("flatten", Flatten()),
        ("dropout1", Dropout(0.5)), ("fc1", Dense(4096)), ("relu6", ReLU()),
        ("dropout2", Dropout(0.5)), ("fc2", Dense(4096)), ("relu7", ReLU()),
        ("fc3", Dense(num_classes)),
    ]
    return Sequential((3, input_size, input_size), layers, name=f"alexnet_{variant}")


# ----------------------------------------------------------------------- VGG

VGG_CONFIGS = {
    11: [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    13: [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    16: [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    19: [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
         512, 512, 512, 512, "M"],
}


def vgg(depth: int = 16, batch_norm: bool = False, input_size: int = 224,
        num_classes: int = 1000) -> Sequential:
    """VGG-11/13/16/19 (configurations A, B, D, E): 3×3 convolutions, padding 1, 2×2 pools.

    After five pools the map is ⌊n/32⌋ on a side; fc1 takes 512·⌊n/32⌋² inputs (7·7 at
    224 — torchvision's AdaptiveAvgPool2d(7) does nothing there and is left out, so other
    input sizes size fc1 from the flattened map). Then FC 4096, 4096, num_classes with
    ReLU and dropout. ``batch_norm=True`` puts BatchNorm (2·C parameters) after each conv.
    Parameters at 224: 132,863,336 / 133,047,848 / 138,357,544 / 143,667,240; with batch
    norm 132,868,840 / 133,053,736 / 138,365,992 / 143,678,248.

    >>> [r.in_shape for r in vgg(16, input_size=32).rows() if r.name == "fc1"]
    [(512,)]
    >>> vgg(19, batch_norm=True).total_params
    143678248
    """
    if depth not in VGG_CONFIGS:
        raise ShapeError(f"vgg depth must be one of {tuple(VGG_CONFIGS)}, got {depth!r}")
    _size("input_size", input_size)
    _size("num_classes", num_classes)
    layers, block, i = [], 1, 0
    add = layers.append
    for v in VGG_CONFIGS[depth]:
        if v == "M":
            add((f"pool{block}", MaxPool2d(2, stride=2)))
            block, i = block + 1, 0
            continue
        i += 1
        add((f"conv{block}_{i}", Conv2d(v, 3, padding=1)))
        if batch_norm:
            add((f"bn{block}_{i}", BatchNorm2d()))
        add((f"relu{block}_{i}", ReLU()))
    layers += [
        ("flatten", Flatten()),
        ("fc1", Dense(4096)), ("relu_fc1", ReLU()), ("dropout1", Dropout(0.5)),
        ("fc2", Dense(4096)), ("relu_fc2", ReLU()), ("dropout2", Dropout(0.5)),
        ("fc3", Dense(num_classes)),
    ]
    name = f"vgg{depth}" + ("_bn" if batch_norm else "")
    return Sequential((3, input_size, input_size), layers, name=name)


# --------------------------------------------------------------------- LeNet


#: LeNet-5's C3 (LeCun et al., 1998, Table I): the S2 maps (0–5) each of the 16 C3 maps reads —
#: six contiguous triples, six contiguous quadruples, three discontinuous quadruples, then all six.
LENET5_C3_TABLE = (
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (0, 4, 5), (0, 1, 5),
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (0, 3, 4, 5), (0, 1, 4, 5), (0, 1, 2, 5),
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
)

LENET5_VARIANTS = ("modern", "paper")


def lenet5(variant: str = "modern", input_size: int = 32, num_classes: int = 10) -> Sequential:
    """LeNet-5 (LeCun et al., 1998) on an n×n×1 input (32 by default), in two versions.

    * ``"modern"``, the layout of PyTorch's tutorial and most frameworks: conv 6 5×5 → ReLU →
      max pool 2 → conv 16 5×5 (every filter reads all 6 maps) → ReLU → max pool 2 → flatten →
      FC 120, 84, num_classes. 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706 parameters.
      fc1 is the paper's C5 written as a dense layer on the flattened 5×5×16 map (at 32×32 a
      5×5 convolution on a 5×5 map is the same layer); at other sizes it takes 16·m·m inputs.
    * ``"paper"``, the network of the paper: C1 conv 6 5×5 → S2 trainable subsampling
      (coefficient and bias per map: 12) → C3 16 5×5 maps through Table I
      (:data:`LENET5_C3_TABLE`, 60 of the 96 map pairs: 1,516 instead of 2,416) → S4
      subsampling (32) → C5 conv 120 5×5 (48,120) → F6 dense 84 (10,164) → Euclidean RBF
      output with fixed centres (840 buffers, no parameter); the scaled tanh after every layer up
      to F6.  60,000 parameters.  C5 is a convolution, so 32 is the smallest input it takes.

    The two differ by −900 in C3, +12 + 32 in the subsampling layers and −850 at the output
    (a dense layer's 84·10 + 10 against fixed RBF centres): 61,706 − 60,000 = 1,706.

    >>> lenet5().total_params, lenet5("paper").total_params
    (61706, 60000)
    >>> lenet5(input_size=28).row("fc1").in_shape, lenet5("paper", 36).row("C5").out_shape
    ((256,), (120, 2, 2))
    """
    if variant not in LENET5_VARIANTS:
        raise ShapeError(f"lenet5 variant must be one of {LENET5_VARIANTS}, got {variant!r}")
    _size("input_size", input_size)
    _size("num_classes", num_classes)
    if variant == "modern":
        return Sequential((1, input_size, input_size), [
            ("conv1", Conv2d(6, 5)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
            ("conv2", Conv2d(16, 5)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)),
            ("flatten", Flatten()),
            ("fc1", Dense(120)), ("relu3", ReLU()), ("fc2", Dense(84)), ("relu4", ReLU()),
            ("fc3", Dense(num_classes)),
        ], name="lenet5")
    return Sequential((1, input_size, input_size), [
        ("C1", Conv2d(6, 5)), ("tanh1", Tanh()), ("S2", Subsample2d(2)), ("tanh2", Tanh()),
        ("C3", TableConv2d(16, 5, table=LENET5_C3_TABLE)), ("tanh3", Tanh()),
        ("S4", Subsample2d(2)), ("tanh4", Tanh()),
        ("C5", Conv2d(120, 5)), ("tanh5", Tanh()), ("flatten", Flatten()),
        ("F6", Dense(84)), ("tanh6", Tanh()),
        ("output", EuclideanRBF(num_classes)),
    ], name="lenet5_paper")


# ------------------------------------------------------ Network in Network


def _nin_block(index, out, k, stride, padding) -> list:
    """d2l's nin_block: a k×k convolution, then two 1×1 convolutions (the "mlpconv"), each with ReLU."""
    p = f"net.{index}."
    return [(p + "0", Conv2d(out, k, stride=stride, padding=padding)), (p + "1", ReLU()),
            (p + "2", Conv2d(out, 1)), (p + "3", ReLU()), (p + "4", Conv2d(out, 1)), (p + "5", ReLU())]


def nin(input_size: int = 224, in_channels: int = 1, num_classes: int = 10) -> Sequential:
    """Network in Network (Lin, Chen and Yan, 2014) as d2l.ai's PyTorch chapter builds it.

    d2l's version, not the paper's CIFAR/ImageNet nets: Fashion-MNIST resized to 224×224×1,
    four NiN blocks (a k×k convolution and two 1×1 convolutions, ReLU after each) with 96
    (11×11 s4), 256 (5×5 p2), 384 (3×3 p1) and num_classes (3×3 p1) channels, 3×3 s2 max
    pools between them, dropout 0.5 before the last block, then global average pooling: no
    dense layer at all. Rows are named as d2l's modules (``net.0.0`` … ``net.9``).
    1,992,166 parameters with 10 classes on one input channel.

    >>> nin().total_params, nin().output_shape
    (1992166, (10,))
    """
    _size("input_size", input_size)
    _size("in_channels", in_channels)
    _size("num_classes", num_classes)
    layers = (_nin_block(0, 96, 11, 4, 0) + [("net.1", MaxPool2d(3, stride=2))]
              + _nin_block(2, 256, 5, 1, 2) + [("net.3", MaxPool2d(3, stride=2))]
              + _nin_block(4, 384, 3, 1, 1) + [("net.5", MaxPool2d(3, stride=2)), ("net.6", Dropout(0.5))]
              + _nin_block(7, num_classes, 3, 1, 1)
              + [("net.8", AdaptiveAvgPool2d(1)), ("net.9", Flatten())])
    return Sequential((in_channels, input_size, input_size), layers, name="nin")
