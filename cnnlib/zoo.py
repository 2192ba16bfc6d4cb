"""The networks of the sources, built from cnnlib layers (no weights, just arithmetic).

Every function returns a :class:`cnnlib.Sequential`; its totals are sums over the same
layer objects that its table lists.  Published totals (PyTorch's parameter count):

========================================  ============
network                                   parameters
========================================  ============
``alexnet()`` (single tower, 227)           62,378,344
``alexnet("two_tower")``                    60,965,224
``alexnet("torchvision")`` (224)            61,100,840
``vgg(11 | 13 | 16 | 19)``                  132,863,336 / 133,047,848 / 138,357,544 / 143,667,240
``vgg(…, batch_norm=True)``                 132,868,840 / 133,053,736 / 138,365,992 / 143,678,248
``lenet5()``                                61,706
``googlenet()`` (no auxiliary heads)        6,624,904
``resnet(18 | 50)``                         11,689,512 / 25,557,032
``face_net(n)``                             48,320 + 160·n (48,520 + 161·n with biases)
``keras_case1()``                           113,386 (506,602 without the second pool)
========================================  ============

>>> alexnet().total_params
62378344
>>> vgg(16).total_params
138357544
"""

from __future__ import annotations

from .arithmetic import check_int
from .blocks import Concat, Residual
from .errors import DimensionProblem, ShapeError
from .layers import (
    AdaptiveAvgPool2d,
    BatchNorm2d,
    Conv1d,
    Conv2d,
    Dense,
    Dropout,
    Flatten,
    LocalResponseNorm,
    MaxPool2d,
    ReLU,
    Softmax,
)
from .model import Sequential

__all__ = [
    "MODELS",
    "alexnet",
    "face_net",
    "googlenet",
    "keras_case1",
    "keras_case2",
    "keras_case3",
    "keras_conv1d",
    "lenet5",
    "plain_chain",
    "resnet",
    "vgg",
]


def _size(name, value, minimum=1, maximum=None) -> int:
    """A whole-number argument of a builder (numpy integers accepted), or ShapeError."""
    try:
        value = check_int(name, value, minimum)
    except DimensionProblem as e:
        raise ShapeError(f"{e}") from None
    if maximum is not None and value > maximum:
        raise ShapeError(f"{name} = {value:,} is more than this builder makes ({maximum:,})")
    return value


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
    for v in VGG_CONFIGS[depth]:
        if v == "M":
            layers.append((f"pool{block}", MaxPool2d(2, stride=2)))
            block, i = block + 1, 0
            continue
        i += 1
        tag = f"{block}_{i}"
        layers.append((f"conv{tag}", Conv2d(v, 3, padding=1)))
        if batch_norm:
            layers.append((f"bn{tag}", BatchNorm2d()))
        layers.append((f"relu{tag}", ReLU()))
    layers += [
        ("flatten", Flatten()),
        ("fc1", Dense(4096)), ("relu_fc1", ReLU()), ("dropout1", Dropout(0.5)),
        ("fc2", Dense(4096)), ("relu_fc2", ReLU()), ("dropout2", Dropout(0.5)),
        ("fc3", Dense(num_classes)),
    ]
    name = f"vgg{depth}" + ("_bn" if batch_norm else "")
    return Sequential((3, input_size, input_size), layers, name=name)


# --------------------------------------------------------------------- LeNet


def lenet5(num_classes: int = 10) -> Sequential:
    """LeNet-5 on 32×32×1: conv 6 5×5, pool 2, conv 16 5×5, pool 2, FC 120, 84, 10.

    156 + 2,416 + 48,120 + 10,164 + 850 = 61,706 parameters. C5 is written as a dense
    layer on the flattened 5×5×16 map (a 5×5 convolution on a 5×5 map is the same thing).
    Max pooling and ReLU stand in for the paper's trainable subsampling and tanh, which
    change no count used here.

    >>> lenet5().total_params
    61706
    """
    _size("num_classes", num_classes)
    return Sequential((1, 32, 32), [
        ("conv1", Conv2d(6, 5)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
        ("conv2", Conv2d(16, 5)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)),
        ("flatten", Flatten()),
        ("fc1", Dense(120)), ("relu3", ReLU()), ("fc2", Dense(84)), ("relu4", ReLU()),
        ("fc3", Dense(num_classes)),
    ], name="lenet5")


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
    ResNet-18: 11,689,512 parameters; ResNet-50: 25,557,032.

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


# -------------------------------------------------------------- small nets


def face_net(n: int = 10, *, bias: bool = False) -> Sequential:
    """The face-recognition net of the source post: input 39×31×1 (H = 39, W = 31), no biases
    unless ``bias=True`` (the post assumes none).

    conv 20 4×4 → pool 2 → conv 40 3×3 → pool 2 → conv 60 3×3 → pool 2 → conv 80 2×2 →
    flatten (2·1·80 = 160) → dense n. Parameters 320 + 7,200 + 21,600 + 19,200 + 160·n
    = 48,320 + 160·n; with biases 48,520 + 161·n.

    >>> face_net(100).total_params, face_net(10, bias=True).total_params
    (64320, 50130)
    """
    _size("n", n)
    b = bool(bias)
    return Sequential((1, 39, 31), [
        ("conv1", Conv2d(20, 4, bias=b)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
        ("conv2", Conv2d(40, 3, bias=b)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)),
        ("conv3", Conv2d(60, 3, bias=b)), ("relu3", ReLU()), ("pool3", MaxPool2d(2)),
        ("conv4", Conv2d(80, 2, bias=b)), ("relu4", ReLU()),
        ("flatten", Flatten()), ("fc1", Dense(n, bias=b)),
    ], name=f"face_net_{n}" + ("_bias" if b else ""))


def keras_case1(n: int = 28, *, second_pool: bool = True, units: int = 128, classes: int = 10,
                filters: int = 32) -> Sequential:
    """Keras example 1 (MNIST), with the knobs chapter 4 turns: Conv2D(filters, 3×3) on n×n×1,
    MaxPool 2, Conv2D(filters, 3×3), [MaxPool 2], Flatten, Dense(units), Dense(classes).

    320 + 9,248 + 102,528 + 1,290 = 113,386 parameters; without the second pool the
    flattened map is 11·11·32 = 3,872 and the total 506,602.

    >>> keras_case1().total_params, keras_case1(second_pool=False).total_params
    (113386, 506602)
    """
    for name, v in (("n", n), ("units", units), ("classes", classes), ("filters", filters)):
        _size(name, v)
    layers = [("conv1", Conv2d(filters, 3)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
              ("conv2", Conv2d(filters, 3)), ("relu2", ReLU())]
    if second_pool:
        layers.append(("pool2", MaxPool2d(2)))
    layers += [("flatten", Flatten()), ("fc1", Dense(units)), ("relu3", ReLU()),
               ("fc2", Dense(classes)), ("softmax", Softmax())]
    return Sequential((1, n, n), layers, name="keras_case1")


def keras_case2() -> Sequential:
    """Keras example 2: Conv2D(1, 3×3) on 10×10×1 → 8×8×1, 3·3·1·1 + 1 = 10 parameters.

    >>> keras_case2().total_params
    10
    """
    return Sequential((1, 10, 10), [("conv1", Conv2d(1, 3))], name="keras_case2")


def keras_case3() -> Sequential:
    """Keras example 3: Conv2D(5, 3×3) then Conv2D(2, 3×3) on 10×10×1: 50 + 92 parameters.

    >>> [r.params for r in keras_case3().rows()[1:]]
    [50, 92]
    """
    return Sequential((1, 10, 10), [("conv1", Conv2d(5, 3)), ("conv2", Conv2d(2, 3))],
                      name="keras_case3")


def keras_conv1d() -> Sequential:
    """Keras example 4: Conv1D(8, 3) then Conv1D(1, 3) on (100, 5) — (5, 100) channels first.

    8·(3·5) + 8 = 128 and 1·(3·8) + 1 = 25 parameters.

    >>> [r.params for r in keras_conv1d().rows()[1:]]
    [128, 25]
    """
    return Sequential((5, 100), [("conv1", Conv1d(8, 3)), ("conv2", Conv1d(1, 3))],
                      name="keras_conv1d")


def plain_chain(n_conv: int = 152, channels: int = 64, input_size: int = 56) -> Sequential:
    """A plain chain of `n_conv` 3×3 convolutions (padding 1) with BN and ReLU, then FC 10.

    For the depth-scaling benchmark: a summary's cost should grow linearly with depth.

    >>> plain_chain(3, channels=8, input_size=8).total_params == 8*9*3 + 2*8*9*8 + 3*2*8 + 8*64*10 + 10
    True
    """
    n_conv = _size("n_conv", n_conv, maximum=10_000)
    layers = []
    for i in range(1, n_conv + 1):
        layers += [(f"conv{i}", Conv2d(channels, 3, padding=1, bias=False)),
                   (f"bn{i}", BatchNorm2d()), (f"relu{i}", ReLU())]
    layers += [("flatten", Flatten()), ("fc", Dense(10))]
    return Sequential((3, input_size, input_size), layers, name=f"plain{n_conv}")


# ------------------------------------------------------------------ registry

#: name → (builder, keyword defaults) for the CLI: ``python -m cnnlib summary vgg16``.
MODELS = {
    "alexnet": (alexnet, {}),
    **{f"vgg{d}": (vgg, {"depth": d}) for d in VGG_CONFIGS},
    **{f"vgg{d}_bn": (vgg, {"depth": d, "batch_norm": True}) for d in VGG_CONFIGS},
    "lenet5": (lenet5, {}),
    "googlenet": (googlenet, {}),
    **{f"resnet{d}": (resnet, {"depth": d}) for d in RESNET_LAYOUTS},
    "face_net": (face_net, {}),
    "keras_case1": (keras_case1, {}),
    "keras_case2": (keras_case2, {}),
    "keras_case3": (keras_case3, {}),
    "keras_conv1d": (keras_conv1d, {}),
    "plain_chain": (plain_chain, {}),
}
