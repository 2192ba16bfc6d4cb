"""The sources' worked examples and claims, each next to the value cnnlib computes.

Two kinds of records:

* :class:`Claim` — one number (or shape) a source post states, with a function that
  computes it from cnnlib layers.  ``claim.line()`` prints
  "claimed 102,528 / computed 102,528 ✓" for the chapters' "verified" lines and the
  worked examples.
* :class:`Erratum` — a wrong claim: what is claimed, what is true (a template filled with
  computed values), the computed value and a one-line explanation.  :data:`ERRATA` is the
  errata page; :data:`BORDERLINE` lists claims that are defensible but need a caveat.

Posts: 000 AlexNet single tower, 001 "CNN summary 2", 002 bias-free network on 39×31×1,
003 VGG-16 Q&A, 004 Keras ``model.summary()`` cases.  Shapes are channels-first tuples;
:func:`hwc` prints them in the sources' order (H×W×C).

Also the small pure helpers the chapters on dense layers and 1×1 convolutions need
(:func:`mnist_cnn`, :func:`bottleneck_costs`, :func:`inception_costs`,
:func:`separable_costs`, :func:`softmax`), each tested against torch in
tests/test_examples.py.

>>> ERRATA[0].key, ERRATA[0].computed_text()
('E1', '13×13×256')
>>> CLAIMS["004.case1.fc1"].line()
'claimed 102,528 / computed 102,528 ✓'
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from .arithmetic import conv_output_size, same_padding
from .diagram import model_layers
from .layers import Conv1d, Conv2d, Dense, Flatten, MaxPool2d

__all__ = [
    "BORDERLINE",
    "CLAIMS",
    "ERRATA",
    "Borderline",
    "Claim",
    "Erratum",
    "alexnet_single_tower",
    "bottleneck_costs",
    "bottleneck_figure",
    "bottleneck_html",
    "commas",
    "count",
    "dense_html",
    "errata_html",
    "errata_table",
    "face_net_html",
    "fmt",
    "hwc",
    "inception_costs",
    "mnist_cnn",
    "separable_costs",
    "softmax",
    "total",
    "vgg16_d",
]


# ----------------------------------------------------------------- formatting


def hwc(shape) -> str:
    """(256, 13, 13) → '13×13×256' (the sources' H×W×C order); (8, 98) → '98×8'; (160,) → '160'.

    >>> hwc((256, 13, 13)), hwc((8, 98)), hwc((160,))
    ('13×13×256', '98×8', '160')
    """
    shape = tuple(shape)
    if len(shape) >= 2:
        shape = shape[1:] + shape[:1]
    return "×".join(str(x) for x in shape)


def fmt(value) -> str:
    """A value as the book prints it: ints with thousands separators, shapes H×W×C.

    >>> fmt(138357544), fmt((256, 13, 13)), fmt(0.09003057), fmt("VGG-16")
    ('138,357,544', '13×13×256', '0.09003', 'VGG-16')
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, tuple):
        return hwc(value)
    return str(value)


def commas(frame):
    """A DataFrame with every integer cell written with thousands separators (for display).

    >>> import pandas as pd
    >>> commas(pd.DataFrame({"params": [37752832, 0]}))["params"].tolist()
    ['37,752,832', '0']
    """
    import numbers

    return frame.map(lambda v: f"{v:,}" if isinstance(v, numbers.Integral) and not isinstance(v, bool)
                     else v)


# ------------------------------------------------------------- model helpers


def total(model, what: str = "params") -> int:
    """Sum of ``layer.params`` (or ``weights``, ``biases``, ``macs``) over a model's layers.

    Works on a cnnlib Sequential or a plain ``(input_shape, layers)`` pair.

    >>> total(((800,), [Dense(128), Dense(10)]))
    103818
    """
    shape, layers = model_layers(model)
    s = 0
    for _, layer in layers:
        s += getattr(layer, what)(shape)
        shape = tuple(layer.output_shape(shape))
    return s


def count(model, kinds=("conv", "fc")) -> int:
    """How many layers of the given kinds a model has (VGG-16 has 16 weight layers).

    >>> count(((1, 8, 8), [Conv2d(2, 3), MaxPool2d(2), Flatten(), Dense(3)]))
    2
    """
    return sum(1 for _, layer in model_layers(model)[1] if layer.kind in kinds)


def _shape_after(model, name: str) -> tuple:
    from .errors import ShapeError

    shape, layers = model_layers(model)
    for n, layer in layers:
        try:
            shape = tuple(layer.output_shape(shape))
        except ShapeError as e:
            raise ShapeError(f"{n}: {e}") from None
        if n == name:
            return shape
    raise KeyError(name)


def mnist_cnn(n: int = 28, *, second_pool: bool = True, units: int = 128, classes: int = 10,
              filters: int = 32):
    """Post 004's case 1 (Keras) as a cnnlib pair, with the knobs chapter 4 turns.

    conv 3×3 (filters) → pool 2 → conv 3×3 (filters) → [pool 2] → flatten → dense(units)
    → dense(classes), on an n×n×1 image.  Default: 320 + 9,248 + 102,528 + 1,290.

    >>> total(mnist_cnn())
    113386
    >>> total(mnist_cnn(second_pool=False))
    506602
    """
    layers = [("conv1", Conv2d(filters, 3)), ("pool1", MaxPool2d(2)), ("conv2", Conv2d(filters, 3))]
    if second_pool:
        layers.append(("pool2", MaxPool2d(2)))
    layers += [("flatten", Flatten()), ("fc1", Dense(units)), ("fc2", Dense(classes))]
    return ((1, n, n), layers)


def vgg16_d():
    """VGG-16 (configuration D) on 224×224×3 as a plain pair, for the errata checks.

    Kept here (not imported from cnnlib.zoo) so the errata computations depend on the core
    layers only; tests/test_examples.py checks it against torch and against cnnlib.zoo.

    >>> total(vgg16_d())
    138357544
    """
    layers, blocks = [], [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]
    for b, (width, reps) in enumerate(blocks, 1):
        for i in range(1, reps + 1):
            layers.append((f"conv{b}_{i}", Conv2d(width, 3, padding=1)))
        layers.append((f"pool{b}", MaxPool2d(2)))
    layers += [("flatten", Flatten()), ("fc1", Dense(4096)), ("fc2", Dense(4096)),
               ("fc3", Dense(1000))]
    return ((3, 224, 224), layers)


def face_net(n: int = 10, *, bias: bool = False):
    """Post 002's network on a 39×31×1 input (H = 39, W = 31), bias-free by default.

    >>> total(face_net(10)), total(face_net(10, bias=True))
    (49920, 50130)
    """
    return ((1, 39, 31), [
        ("conv1", Conv2d(20, 4, bias=bias)), ("pool1", MaxPool2d(2)),
        ("conv2", Conv2d(40, 3, bias=bias)), ("pool2", MaxPool2d(2)),
        ("conv3", Conv2d(60, 3, bias=bias)), ("pool3", MaxPool2d(2)),
        ("conv4", Conv2d(80, 2, bias=bias)), ("flatten", Flatten()),
        ("dense", Dense(n, bias=bias)),
    ])


def softmax(z) -> list[float]:
    """exp(z_i) / Σ_j exp(z_j): every output depends on every input (not element-wise).

    >>> [round(v, 4) for v in softmax([1.0, 2.0, 3.0])]
    [0.09, 0.2447, 0.6652]
    """
    m = max(z)
    e = [math.exp(v - m) for v in z]
    s = sum(e)
    return [v / s for v in e]


# ------------------------------------------------ 1×1 convolutions and friends


def _costs(in_shape, layers) -> dict:
    """params, weights and MACs of a chain of layers, and its output shape."""
    shape, p, w, m = tuple(in_shape), 0, 0, 0
    for layer in layers:
        p += layer.params(shape)
        w += layer.weights(shape)
        m += layer.macs(shape)
        shape = tuple(layer.output_shape(shape))
    return {"params": p, "weights": w, "macs": m, "out_shape": shape}


def bottleneck_costs(channels: int = 256, mid: int = 64, size: int = 56, k: int = 3,
                     bias: bool = False) -> dict:
    """A plain k×k convolution channels → channels vs the bottleneck
    1×1 (channels → mid), k×k (mid → mid), 1×1 (mid → channels), both 'same'-padded.

    Weights: k²·C² vs C·m + k²·m² + m·C.  Returns {"plain": {...}, "bottleneck": {...},
    "ratio": plain / bottleneck parameters}; MACs are for one size×size map.

    >>> c = bottleneck_costs()
    >>> c["plain"]["params"], c["bottleneck"]["params"]
    (589824, 69632)
    """
    shape = (channels, size, size)
    pad = (k - 1) // 2
    plain = _costs(shape, [Conv2d(channels, k, padding=pad, bias=bias)])
    bott = _costs(shape, [Conv2d(mid, 1, bias=bias), Conv2d(mid, k, padding=pad, bias=bias),
                          Conv2d(channels, 1, bias=bias)])
    return {"plain": plain, "bottleneck": bott, "ratio": plain["params"] / bott["params"]}


def inception_costs(in_shape=(192, 28, 28), b1=64, b3r=96, b3=128, b5r=16, b5=32, pool_proj=32,
                    *, reduce: bool = True) -> dict:
    """An Inception module (GoogLeNet's 3a by default) with or without its 1×1 reductions.

    With reductions: 1×1 (b1) | 1×1 (b3r) → 3×3 (b3) | 1×1 (b5r) → 5×5 (b5) |
    3×3 max pool s1 p1 → 1×1 (pool_proj).  Without ("naive"): 1×1 (b1) | 3×3 (b3) |
    5×5 (b5) | pool, all on the full input.  Convolutions have biases (as in GoogLeNet).
    Returns {"branches": [(name, costs)], "params", "macs", "out_channels"}.

    >>> c = inception_costs()
    >>> c["params"], c["out_channels"]
    (163696, 256)
    >>> n = inception_costs(reduce=False)
    >>> n["params"], n["out_channels"]
    (387296, 416)
    """
    c_in = in_shape[0]
    if reduce:
        branches = [
            ("1×1", [Conv2d(b1, 1)]),
            ("1×1 → 3×3", [Conv2d(b3r, 1), Conv2d(b3, 3, padding=1)]),
            ("1×1 → 5×5", [Conv2d(b5r, 1), Conv2d(b5, 5, padding=2)]),
            ("pool → 1×1", [MaxPool2d(3, stride=1, padding=1), Conv2d(pool_proj, 1)]),
        ]
    else:
        branches = [
            ("1×1", [Conv2d(b1, 1)]),
            ("3×3", [Conv2d(b3, 3, padding=1)]),
            ("5×5", [Conv2d(b5, 5, padding=2)]),
            ("pool", [MaxPool2d(3, stride=1, padding=1)]),
        ]
    rows = [(name, _costs(in_shape, layers)) for name, layers in branches]
    hw = {r["out_shape"][1:] for _, r in rows}
    assert len(hw) == 1, hw  # every branch keeps the spatial size, so they can be concatenated
    out_c = sum(r["out_shape"][0] for _, r in rows)
    return {"branches": rows, "params": sum(r["params"] for _, r in rows),
            "macs": sum(r["macs"] for _, r in rows), "in_channels": c_in, "out_channels": out_c,
            "out_shape": (out_c, *next(iter(hw)))}


def separable_costs(c_in: int = 256, c_out: int = 256, k: int = 3, size: int = 14,
                    bias: bool = False) -> dict:
    """A standard k×k convolution vs a depthwise-separable one (MobileNet style):
    depthwise k×k with groups = C_in, then pointwise 1×1 C_in → C_out.

    Weights k²·C_in·C_out vs k²·C_in + C_in·C_out; MACs are those times H_out·W_out.

    >>> c = separable_costs()
    >>> c["standard"]["weights"], c["separable"]["weights"]
    (589824, 67840)
    """
    shape = (c_in, size, size)
    pad = (k - 1) // 2
    std = _costs(shape, [Conv2d(c_out, k, padding=pad, bias=bias)])
    dw = Conv2d(c_in, k, padding=pad, groups=c_in, bias=bias)
    sep = _costs(shape, [dw, Conv2d(c_out, 1, bias=bias)])
    sep["depthwise"] = dw.weights(shape)
    sep["pointwise"] = sep["weights"] - sep["depthwise"]
    return {"standard": std, "separable": sep, "ratio": std["weights"] / sep["weights"]}


# ------------------------------------------------------------------ claims


@dataclass(frozen=True)
class Claim:
    """A number a source states, and how cnnlib computes it.

    ``erratum`` names the errata row when the number is right but the source's explanation
    of it is wrong (E13–E15), or when the claim itself is wrong.
    """

    key: str
    post: str
    claim: str
    claimed: object
    compute: Callable[[], object] = field(repr=False, compare=False)
    how: str = ""
    erratum: str = ""

    @property
    def value(self):
        return self.compute()

    @property
    def holds(self) -> bool:
        return self.value == self.claimed

    def verdict(self) -> str:
        if not self.holds:
            return f"✗ see errata {self.erratum}".rstrip()
        if self.erratum:
            return f"✓ (the number; its explanation: see errata {self.erratum})"
        return "✓"

    def line(self) -> str:
        """'claimed 320 / computed 320 ✓'."""
        return f"claimed {fmt(self.claimed)} / computed {fmt(self.value)} {self.verdict()}"

    def verified(self) -> str:
        """'verified: 102,528 = (800 + 1)·128' (the how, when there is one)."""
        if not self.holds:
            return self.line()
        if isinstance(self.value, bool):
            return f"verified: {self.how}"
        tail = f" = {self.how}" if self.how else ""
        return f"verified: {fmt(self.value)}{tail}"


def _param(layer, in_shape) -> Callable[[], int]:
    return lambda: layer.params(in_shape)


def _shape(layer, in_shape) -> Callable[[], tuple]:
    return lambda: tuple(layer.output_shape(in_shape))


_C1 = mnist_cnn()
_C1_NOPOOL = mnist_cnn(second_pool=False)

_CLAIM_LIST = [
    # ---- 000: AlexNet single tower, 227×227×3
    Claim("000.fc_kinds", "000", "FC-1 reads the flattened 6×6×256 map; FC-2 reads FC-1's vector",
          9216, lambda: math.prod(MaxPool2d(3, stride=2).output_shape((256, 13, 13))),
          "6·6·256"),
    # ---- 001
    Claim("001.dense_share", "001", "the dense layers hold most of AlexNet's weights", True,
          lambda: _alexnet_two_gpu_fc_share() > 0.5, "dense share of the weights > 1/2"),
    Claim("001.bottleneck", "001", "a deeper bottleneck can have fewer parameters", True,
          lambda: bottleneck_costs()["bottleneck"]["params"] < bottleneck_costs()["plain"]["params"],
          "1×1 + 3×3 + 1×1 weights < one 3×3 at 256 channels"),
    Claim("001.conv_73728", "001", "128·3·3·64 weights", 73728,
          lambda: Conv2d(64, 3, bias=False).params((128, 32, 32)), "128·3·3·64"),
    # ---- 002: bias-free network on 39×31×1
    Claim("002.conv1", "002", "Conv 1: 4·4·20·1 weights", 320,
          _param(Conv2d(20, 4, bias=False), (1, 39, 31)), "4·4·1·20"),
    Claim("002.conv1.shape", "002", "Conv 1 output (36, 28, 20)", (20, 36, 28),
          _shape(Conv2d(20, 4), (1, 39, 31)), "(39 − 4)/1 + 1, (31 − 4)/1 + 1"),
    Claim("002.pool1.shape", "002", "Pool 1 output (18, 14, 20)", (20, 18, 14),
          _shape(MaxPool2d(2), (20, 36, 28)), "⌊36/2⌋, ⌊28/2⌋"),
    Claim("002.conv2", "002", "Conv 2: 20·3·3·40 weights", 7200,
          _param(Conv2d(40, 3, bias=False), (20, 18, 14)), "20·3·3·40"),
    Claim("002.conv2.shape", "002", "Conv 2 output (16, 12, 40)", (40, 16, 12),
          _shape(Conv2d(40, 3), (20, 18, 14))),
    Claim("002.pool2.shape", "002", "Pool 2 output (8, 6, 40)", (40, 8, 6),
          _shape(MaxPool2d(2), (40, 16, 12))),
    Claim("002.conv3", "002", "Conv 3: 40·3·3·60 weights", 21600,
          _param(Conv2d(60, 3, bias=False), (40, 8, 6)), "40·3·3·60"),
    Claim("002.conv3.shape", "002", "Conv 3 output (6, 4, 60)", (60, 6, 4),
          _shape(Conv2d(60, 3), (40, 8, 6))),
    Claim("002.pool3.shape", "002", "Pool 3 output (3, 2, 60)", (60, 3, 2),
          _shape(MaxPool2d(2), (60, 6, 4))),
    Claim("002.conv4", "002", "Conv 4: 60·2·2·80 weights", 19200,
          _param(Conv2d(80, 2, bias=False), (60, 3, 2)), "60·2·2·80"),
    Claim("002.conv4.shape", "002", "Conv 4 output (2, 1, 80)", (80, 2, 1),
          _shape(Conv2d(80, 2), (60, 3, 2))),
    Claim("002.flatten", "002", "Flatten: 160 values", 160,
          lambda: Flatten().output_shape((80, 2, 1))[0], "2·1·80"),
    Claim("002.convs", "002", "the convolutions' total (the 48,320 of 48,320 + 160·n)", 48320,
          lambda: total(face_net(1)) - 160, "320 + 7,200 + 21,600 + 19,200"),
    Claim("002.per_class", "002", "each dense neuron adds 160 weights (160·n)", 160,
          lambda: total(face_net(2)) - total(face_net(1)), "160 inputs per neuron"),
    # ---- 003: VGG-16
    Claim("003.total", "003", "VGG-16 has 138,357,544 parameters", 138357544,
          lambda: total(vgg16_d())),
    Claim("003.first_conv256", "003", "first conv3-256: 128·3·3·256 + 256", 295168,
          _param(Conv2d(256, 3, padding=1), (128, 56, 56)), "128·3·3·256 + 256"),
    # ---- 004 case 1 (Keras, 28×28×1)
    Claim("004.case1.conv1", "004", "Conv2D(32, 3×3) on 28×28×1: (3·3 + 1)·32", 320,
          lambda: _C1[1][0][1].params((1, 28, 28)), "(3·3·1 + 1)·32"),
    Claim("004.case1.conv1.shape", "004", "output (26, 26, 32)", (32, 26, 26),
          lambda: _shape_after(_C1, "conv1")),
    Claim("004.case1.pool1.shape", "004", "MaxPooling2D(2, 2) → (13, 13, 32)", (32, 13, 13),
          lambda: _shape_after(_C1, "pool1")),
    Claim("004.case1.conv2", "004", "Conv2D(32, 3×3) on 13×13×32: (3·3·32 + 1)·32", 9248,
          lambda: Conv2d(32, 3).params((32, 13, 13)), "(3·3·32 + 1)·32", erratum="E13"),
    Claim("004.case1.pool2.shape", "004", "second pool on 11×11 → (5, 5, 32)", (32, 5, 5),
          lambda: _shape_after(_C1, "pool2"), "⌊11/2⌋ = 5"),
    Claim("004.case1.flatten", "004", "Flatten: 5·5·32 values", 800,
          lambda: _shape_after(_C1, "flatten")[0], "5·5·32"),
    Claim("004.case1.fc1", "004", "Dense(128): 801·128", 102528,
          lambda: Dense(128).params((800,)), "(800 + 1)·128"),
    Claim("004.case1.fc2", "004", "Dense(10): (128 + 1)·10", 1290,
          lambda: Dense(10).params((128,)), "(128 + 1)·10"),
    # ---- 004 cases 2–4
    Claim("004.case2", "004", "Conv2D(1, 3×3) on 10×10×1: 3·3 + 1", 10,
          _param(Conv2d(1, 3), (1, 10, 10)), "(3·3·1 + 1)·1"),
    Claim("004.case2.shape", "004", "output (8, 8, 1)", (1, 8, 8), _shape(Conv2d(1, 3), (1, 10, 10))),
    Claim("004.case3.conv1", "004", "Conv2D(5, 3×3) on 10×10×1: (3·3 + 1)·5", 50,
          _param(Conv2d(5, 3), (1, 10, 10)), "(3·3·1 + 1)·5"),
    Claim("004.case3.conv1.shape", "004", "output (8, 8, 5)", (5, 8, 8), _shape(Conv2d(5, 3), (1, 10, 10))),
    Claim("004.case3.conv2", "004", "Conv2D(2, 3×3) on 8×8×5: (3·3·5 + 1)·2", 92,
          _param(Conv2d(2, 3), (5, 8, 8)), "(3·3·5 + 1)·2", erratum="E14"),
    Claim("004.case3.conv2.shape", "004", "output (6, 6, 2)", (2, 6, 6), _shape(Conv2d(2, 3), (5, 8, 8))),
    Claim("004.case4.conv1", "004", "Conv1D(8, 3) on (100, 5): (3·5 + 1)·8", 128,
          _param(Conv1d(8, 3), (5, 100)), "(3·5 + 1)·8", erratum="E15"),
    Claim("004.case4.conv1.shape", "004", "output (98, 8)", (8, 98), _shape(Conv1d(8, 3), (5, 100))),
    Claim("004.case4.conv2", "004", "Conv1D(1, 3) on (98, 8): (3·8 + 1)·1", 25,
          _param(Conv1d(1, 3), (8, 98)), "(3·8 + 1)·1", erratum="E15"),
    Claim("004.case4.conv2.shape", "004", "output (96, 1)", (1, 96), _shape(Conv1d(1, 3), (8, 98))),
]

#: every checked claim by key (the chapters print ``CLAIMS[key].line()`` or ``.verified()``)
CLAIMS: dict[str, Claim] = {c.key: c for c in _CLAIM_LIST}


def _alexnet_two_gpu():
    """Post 001's AlexNet: two GPUs, so conv2, conv4 and conv5 are grouped (g = 2)."""
    return ((3, 227, 227), [
        ("conv1", Conv2d(96, 11, stride=4)), ("pool1", MaxPool2d(3, stride=2)),
        ("conv2", Conv2d(256, 5, padding=2, groups=2)), ("pool2", MaxPool2d(3, stride=2)),
        ("conv3", Conv2d(384, 3, padding=1)),
        ("conv4", Conv2d(384, 3, padding=1, groups=2)),
        ("conv5", Conv2d(256, 3, padding=1, groups=2)), ("pool3", MaxPool2d(3, stride=2)),
        ("flatten", Flatten()), ("fc1", Dense(4096)), ("fc2", Dense(4096)), ("fc3", Dense(1000)),
    ])


def _alexnet_two_gpu_fc_share() -> float:
    shape, layers = model_layers(_alexnet_two_gpu())
    fc = allw = 0
    for _, layer in layers:
        w = layer.weights(shape)
        allw += w
        fc += w if layer.kind == "fc" else 0
        shape = tuple(layer.output_shape(shape))
    return fc / allw


# ------------------------------------------------------------------ errata


@dataclass(frozen=True)
class Erratum:
    """A wrong claim in a source post.

    ``compute()`` returns named values computed with cnnlib; ``correct`` is a template
    filled with them (``{fc1:,}``) and ``value`` names the one shown as "computed".
    ``claimed`` is the source's value (None for a conceptual error with no number).
    """

    key: str
    post: str
    where: str          # the source's words (short quote, original language)
    claim: str          # what it claims, in English
    claimed: object
    correct: str        # what is true (template)
    explanation: str
    kind: str           # numeric, formula, conceptual, label
    compute: Callable[[], dict] = field(repr=False, compare=False)
    value: str = "value"
    chapter: str = ""

    def values(self) -> dict:
        return self.compute()

    @property
    def computed(self):
        return self.values()[self.value]

    def computed_text(self) -> str:
        return fmt(self.computed)

    def correct_text(self) -> str:
        v = self.values()
        return self.correct.format(**{k: (hwc(x) if isinstance(x, tuple) else x) for k, x in v.items()})

    @property
    def is_wrong(self) -> bool:
        """The claimed value differs from the computed one (True for conceptual rows)."""
        return self.claimed is None or self.claimed != self.computed


def _e1():
    shape = (256, 13, 13)  # pool2's output; conv3 and conv4 keep 13×13
    for layer in (Conv2d(384, 3, padding=1), Conv2d(384, 3, padding=1), Conv2d(256, 3, padding=1)):
        shape = tuple(layer.output_shape(shape))
    return {"value": shape, "h": shape[1]}


def _e2():
    return {"value": conv_output_size(32, 4, padding=2), "p1": conv_output_size(32, 4, padding=1),
            "before": same_padding(32, 4)[0], "after": same_padding(32, 4)[1]}


def _e3():
    return {"value": same_padding(32, 5)[0], "o3": conv_output_size(32, 5, padding=3),
            "o2": conv_output_size(32, 5, padding=2)}


def _e4():
    flat = math.prod(MaxPool2d(3, stride=2).output_shape((256, 13, 13)))
    return {"flat": flat, "value": Dense(4096).weights((flat,)), "params": Dense(4096).params((flat,)),
            "claimed_expr": 13 * 13 * 128 * 2 * 2048 * 2}


def _e5():
    b = bottleneck_costs()
    return {"value": Conv2d(256, 1).output_shape((64, 56, 56))[0], "w": Conv2d(256, 1, bias=False).params((64, 56, 56)),
            "bott": b["bottleneck"]["weights"], "plain": b["plain"]["weights"]}


def _e6():
    return {"value": conv_output_size(39, 4), "literal": (39 - 31) // 1 + 1}


def _layer_numbers():
    """The post's sections are one per layer: conv1, pool1, …, flatten, dense (1-based)."""
    names = [n for n, _ in face_net()[1]]
    return names


def _e7():
    names = _layer_numbers()
    pools = [n for n in names if n.startswith("pool")]
    after_conv3 = names[names.index("conv3") + 1]
    return {"value": f"Max Pooling Layer{pools.index(after_conv3) + 1}", "n": pools.index(after_conv3) + 1}


def _e8():
    names = _layer_numbers()
    return {"value": names.index("dense") + 1, "flatten": names.index("flatten") + 1}


def _e9():
    from .charts import activation_terms

    elements = sum(t.elements for t in activation_terms(vgg16_d()))
    b = 4 * elements
    return {"value": elements, "bytes": b, "mb": b / 1e6, "mib": b / 2**20,
            "claimed_mb": 24e6 * 4 / 1e6, "claimed_mib": 24e6 * 4 / 2**20}


def _e10():
    m = vgg16_d()
    return {"value": total(m), "weights": total(m, "weights"), "biases": total(m, "biases"),
            "first": Conv2d(256, 3, padding=1).params((128, 56, 56))}


def _e12():
    return {"value": f"VGG-{count(vgg16_d())}", "n": count(vgg16_d())}


def _per_filter(layer, in_shape):
    return layer.weights(in_shape) // layer.out_channels


def _e13():
    conv = Conv2d(32, 3)
    s = (32, 13, 13)
    return {"value": _per_filter(conv, s), "params": conv.params(s),
            "replicated": (3 * 3 + 1) * conv.out_channels}


def _e14():
    conv = Conv2d(2, 3)
    s = (5, 8, 8)
    return {"value": _per_filter(conv, s), "params": conv.params(s)}


def _e15():
    a, b = Conv1d(8, 3), Conv1d(1, 3)
    wa, wb = _per_filter(a, (5, 100)), _per_filter(b, (8, 98))
    return {"value": f"{wa} and {wb}",
            "pa": a.params((5, 100)), "pb": b.params((8, 98)),
            "wa": wa, "wb": wb}


def _e16():
    s = softmax([1.0, 2.0, 3.0])
    s2 = softmax([1.0, 2.0, 10.0])
    return {"value": round(s2[0], 6), "before": f"{s[0]:.4f}", "after": f"{s2[0]:.6f}",
            "relu_before": max(0.0, 1.0), "relu_after": max(0.0, 1.0)}


ERRATA: tuple[Erratum, ...] = (
    Erratum("E1", "000", "Conv-5는 크기를 27x27x256으로 변환함", "Conv-5 outputs 27×27×256",
            (256, 27, 27), "{value}: a 3×3 conv with stride 1 and padding 1 keeps {h}×{h}",
            "Conv-3, 4, 5 all keep the 13×13 size that MaxPool-2 produced; a map never grows back to 27.",
            "numeric", _e1, chapter="06_alexnet"),
    Erratum("E2", "001", "(4 × 4 면 padding 2, …)", "a 4×4 kernel (stride 1) keeps the size with padding 2",
            32, "padding 2 on each side gives n + 1 ({value} from 32); padding 1 gives {p1}. Same size needs "
            "{before} before and {after} after (uneven)",
            "o = n + 2p − k + 1, so p = (k − 1)/2 = 1.5 for k = 4: no symmetric padding keeps the size.",
            "numeric", _e2, chapter="02_padding_stride"),
    Erratum("E3", "001", "5 × 5 면 padding이 3일 때", "a 5×5 kernel keeps the size with padding 3",
            3, "padding {value} (32 → {o2}); padding 3 gives 32 → {o3}",
            "p = (k − 1)/2 = 2 for k = 5.", "numeric", _e3, chapter="02_padding_stride"),
    Erratum("E4", "001", "13 × 13 × 128 * 2 × 2048 * 2 ∼ 177M", "AlexNet's first dense layer has ≈ 177M weights",
            177209344, "{flat:,} inputs (6·6·256) × 4,096 = {value:,} weights ({params:,} with biases)",
            "13×13 is conv5's map before the third 3×3/2 max pool, which makes it 6×6.",
            "numeric", _e4, chapter="06_alexnet"),
    Erratum("E5", "001", "1 by 1 은 … channel의 개수만 줄이는 기능이다", "a 1×1 convolution only reduces the channel count",
            None, "a 1×1 conv maps C_in → any C_out: 64 → {value} expands ({w:,} weights), as the bottleneck's "
            "last 1×1 does; bottleneck {bott:,} vs plain 3×3 {plain:,} weights",
            "It mixes the channels at each pixel (a learned linear map); reducing is one use, not the definition.",
            "conceptual", _e5, chapter="05_one_by_one"),
    Erratum("E6", "002", "RowSize = (shape[0]-shape[1])/stride+1", "output rows = (shape[0] − shape[1])/stride + 1",
            None, "o = (n − k)/s + 1 = (39 − 4)/1 + 1 = {value}; taken literally, (39 − 31)/1 + 1 = {literal}",
            "The formula must subtract the kernel size from the input size, not the input's two sides.",
            "formula", _e6, chapter="08_worked_examples"),
    Erratum("E7", "002", "6. Max Pooling Layer2 (second time)", "the pool after Conv Layer3 is 'Max Pooling Layer2'",
            "Max Pooling Layer2", "it is the third pooling layer: {value}",
            "Two different layers carry the same name.", "label", _e7, chapter="08_worked_examples"),
    Erratum("E8", "002", "8. Dense layer (after 8. Flatten Layer)", "section number 8 for the dense layer",
            8, "section {value} (section {flatten} is Flatten)", "Duplicate section number.", "label", _e8,
            chapter="08_worked_examples"),
    Erratum("E9", "003", "TOTAL memory: 24M * 4 bytes ~= 93MB / image", "VGG-16's activations: 24M values ≈ 93 MB "
            "per image (forward)", 24_000_000,
            "the table's rows sum to {value:,} values; ×4 bytes = {bytes:,} B ≈ {mb:.1f} MB ({mib:.1f} MiB)",
            "The table does not give 24M: its rows add up to about 15.2M values (93 fits a rounded 24M only in MiB).",
            "numeric", _e9, chapter="07_vgg"),
    Erratum("E10", "003", "畳み込み層にはバイアスがありません", "VGG's convolutions have no biases, so 295,168 is wrong",
            None, "they have one bias per filter: first conv3-256 = {first:,}; total {value:,} = {weights:,} "
            "weights + {biases:,} biases",
            "Without biases the total would not be the 138,357,544 that both answers quote.",
            "conceptual", _e10, chapter="07_vgg"),
    Erratum("E11", "003", "128x3x3x256(重み)= 294,9112", "128·3·3·256 = 294,9112", 2949112,
            "{value:,}", "Typo: an extra digit (the final 1).", "numeric",
            lambda: {"value": Conv2d(256, 3, padding=1, bias=False).params((128, 56, 56))}, chapter="07_vgg"),
    Erratum("E12", "003", "VGG-15のトレーニング", "the 138,357,544-parameter network is 'VGG-15'", "VGG-15",
            "{value}: {n} weight layers (13 conv + 3 dense)", "Typo in the name.", "label", _e12,
            chapter="07_vgg"),
    Erratum("E13", "004", "똑같은 3x3 convolution filter … replicated 32 times",
            "each filter of the second Conv2D is one 3×3 filter copied to all 32 input channels", 9,
            "each filter is a 3×3×32 kernel with {value} independent weights (+1 bias): {params:,} in all; "
            "a copied filter would give only {replicated}",
            "The 32 depth slices are learned separately; that is why the count is (3·3·32 + 1)·32.",
            "conceptual", _e13, chapter="08_worked_examples"),
    Erratum("E14", "004", "(3,3,5)로 size를 늘린 뒤(replicated)", "the 3×3 filter is replicated to depth 5", 9,
            "each of the 2 filters is 3×3×5 with {value} independent weights (+1 bias): {params}",
            "Same misconception as E13; the 92 is right, the explanation is not.", "conceptual", _e14,
            chapter="08_worked_examples"),
    Erratum("E15", "004", "convolution filter는 (3,5)로 replicated", "the size-3 1-D filter is replicated across "
            "the 5 (then 8) channels", "3 and 3",
            "kernels 3×5 ({wa} weights, ×8 filters → {pa}) and 3×8 ({wb} weights → {pb}), all independent",
            "Same misconception as E13; the counts 128 and 25 are right.", "conceptual", _e15,
            chapter="08_worked_examples"),
    Erratum("E16", "004", "ReLU 또는 softmax등 activation 함수가 적용(element-wise)",
            "softmax, like ReLU, is applied element-wise", None,
            "softmax([1, 2, 3])₁ = {before}; changing only z₃ to 10 makes it {after} (ReLU's stays {relu_after})",
            "softmax(z)ᵢ = exp(zᵢ)/Σⱼ exp(zⱼ) depends on every output of the layer.",
            "conceptual", _e16, chapter="08_worked_examples"),
)


def errata_table(errata=ERRATA):
    """The errata page's table as a pandas DataFrame (pandas imported here, on demand)."""
    import pandas as pd

    return pd.DataFrame([{
        "": e.key, "post": e.post, "source (quote)": e.where, "claimed": e.claim,
        "true": e.correct_text(), "computed": e.computed_text(), "why": e.explanation,
    } for e in errata]).set_index("")


def errata_html(errata=ERRATA) -> str:
    """The errata table as fixed-layout HTML that wraps inside a book page's width: one row per
    erratum with the source's words and the paraphrase together, what is true, the computed
    value and why."""
    import html as _h

    widths = (("", "6%"), ("post", "6%"), ("claimed", "24%"), ("true", "27%"),
               ("computed", "16%"), ("why", "21%"))
    head = "".join(f'<th style="width:{w};text-align:left">{_h.escape(n)}</th>' for n, w in widths)
    rows = []
    for e in errata:
        claimed = (f'<span lang="{"ja" if e.post == "003" else "ko"}">「{_h.escape(e.where)}」</span>'
                   f"<br><i>{_h.escape(e.claim)}</i>")
        cells = [f'<b style="white-space:nowrap">{e.key}</b>', e.post, claimed, _h.escape(e.correct_text()),
                 # numbers must not break between digits: wrap only at spaces
                 f'<b style="overflow-wrap:normal;word-break:keep-all">{_h.escape(e.computed_text())}</b>',
                 _h.escape(e.explanation)]
        rows.append("<tr>" + "".join(f'<td style="vertical-align:top;text-align:left">{c}</td>'
                                     for c in cells) + "</tr>")
    return ('<table class="errata" style="table-layout:fixed;width:100%;font-size:90%;'
            'overflow-wrap:break-word"><thead><tr>' + head + "</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


# -------------------------------------------------------------- borderline


@dataclass(frozen=True)
class Borderline:
    """A claim that is defensible but needs a caveat; ``note`` is a template over compute()."""

    post: str
    where: str
    note: str
    compute: Callable[[], dict] = field(repr=False, compare=False, default=dict)

    def note_text(self) -> str:
        return self.note.format(**self.compute())


def _two_gpu_total():
    m = _alexnet_two_gpu()
    return {"two": total(m), "single": total(alexnet_single_tower())}


def alexnet_single_tower():
    """Post 000's AlexNet (one tower, 227×227×3) as a plain pair: 62,378,344 parameters.

    >>> total(alexnet_single_tower())
    62378344
    """
    return ((3, 227, 227), [
        ("conv1", Conv2d(96, 11, stride=4)), ("pool1", MaxPool2d(3, stride=2)),
        ("conv2", Conv2d(256, 5, padding=2)), ("pool2", MaxPool2d(3, stride=2)),
        ("conv3", Conv2d(384, 3, padding=1)), ("conv4", Conv2d(384, 3, padding=1)),
        ("conv5", Conv2d(256, 3, padding=1)), ("pool3", MaxPool2d(3, stride=2)),
        ("flatten", Flatten()), ("fc1", Dense(4096)), ("fc2", Dense(4096)), ("fc3", Dense(1000)),
    ])


BORDERLINE: tuple[Borderline, ...] = (
    Borderline("000", "논문의 224*224 사이즈는 오타임 (the paper's 224 is a typo)",
               "Overstated: 224 with padding 0 gives {p0} (not 55), but 224 with padding 2 gives {p2}; "
               "227 with padding 0 gives {i227}. Either the input is 227 or conv1 is padded.",
               lambda: {"p0": conv_output_size(224, 11, 4), "p2": conv_output_size(224, 11, 4, 2),
                        "i227": conv_output_size(227, 11, 4)}),
    Borderline("000", "마지막 Conv layer의 바로 뒤에 붙는 FC layer (the FC layer right after the last conv)",
               "Loose: pool3 sits between conv5 and FC-1, so FC-1 reads 6×6×256 = {f:,} values, not "
               "conv5's 13×13×256 = {c:,} (the slip behind E4).",
               lambda: {"f": Flatten().output_shape(MaxPool2d(3, stride=2).output_shape((256, 13, 13)))[0],
                        "c": Flatten().output_shape((256, 13, 13))[0]}),
    Borderline("000", "62,378,344 개", "Right for the post's single-tower network ({single:,}); the two-GPU "
               "AlexNet of the paper (conv2, 4, 5 grouped) has {two:,}.", _two_gpu_total),
    Borderline("001", "5 × 5 × 3 × 4", "{w} weights; with the 4 biases the layer has {p} parameters "
               "(the post counts weights only, also for AlexNet).",
               lambda: {"w": Conv2d(4, 5, bias=False).params((3, 32, 32)), "p": Conv2d(4, 5).params((3, 32, 32))}),
    Borderline("001", "∼884k, ∼663k, ∼16M", "Truncated rather than rounded: exact {a:,}, {b:,}, {c:,}.",
               lambda: {"a": Conv2d(384, 3, padding=1, bias=False).params((256, 13, 13)),
                        "b": Conv2d(384, 3, padding=1, groups=2, bias=False).params((384, 13, 13)),
                        "c": Dense(4096, bias=False).params((4096,))}),
    Borderline("002", "OutputRowSize = InputRowSize / PoolingSize",
               "Right for every (even) size in the post and for any non-overlapping pool once rounded "
               "down (11 → {o11}, not 5.5); windows that overlap (k ≠ s) need ⌊(n − k)/s⌋ + 1.",
               lambda: {"o11": MaxPool2d(2).output_shape((1, 11, 11))[1]}),
    Borderline("002", "출력 데이터 = (160, 1)", "A column-vector convention; frameworks give ({f},) per sample.",
               lambda: {"f": Flatten().output_shape((80, 2, 1))[0]}),
    Borderline("002", "bias는 없다고 가정 (biases assumed absent)",
               "A stated assumption, not an error; with biases the count is {b0:,} + {b1}·n.",
               lambda: {"b0": total(face_net(1, bias=True)) - 161, "b1": 161}),
    Borderline("003", "0.59M =(3 * 3)*(256 * 256)",
               "Right ({w:,} weights) for the 2nd and 3rd conv3-256; the first has 128 inputs ({f:,}).",
               lambda: {"w": Conv2d(256, 3, padding=1, bias=False).params((256, 56, 56)),
                        "f": Conv2d(256, 3, padding=1, bias=False).params((128, 56, 56))}),
    Borderline("003", "TOTAL params: 138M", "The weights column sums to {w:,} (no biases); with biases "
               "{t:,}. Both round to 138M.",
               lambda: {"w": total(vgg16_d(), "weights"), "t": total(vgg16_d())}),
    Borderline("003", "~= 93MB (unit)", "Closer to MiB than MB; the book states MB = 10⁶ B and gives MiB in "
               "brackets (see E9 for the count itself)."),
    Borderline("003", "~*2 for bwd", "A rule of thumb: backward keeps a gradient per stored activation; "
               "the exact figure depends on the framework."),
    Borderline("003", "MAXPOOL3-2:平均", "平均 is a machine translation of 'means', not average pooling."),
    Borderline("004", "100 size의 2차원 data(tabular data)",
               "Conv1D treats the 100 rows as an ordered sequence with 5 channels: time series, not "
               "ordinary tabular rows."),
)


# ------------------------------------------------------------ slider panes
#
# Each *_html function is what one slider shows, for the live ipywidget
# (cnnlib.widgets.live_widget) and the static widget of the built book
# (cnnlib.static_widgets.static_widget) alike; none raises: an impossible setting shows
# the ShapeError's reason instead of numbers.


def _pane(lines, ok=True) -> str:
    from .widgets import CSS

    body = "\n".join(f"<div>{line}</div>" for line in lines)
    return f'{CSS}<div class="cw">{body}</div>' if ok else \
        f'{CSS}<div class="cw"><div class="bad"><b>No output:</b></div><div class="bad f">{body}</div></div>'


def dense_html(n: int = 28, second_pool: bool = True, units: int = 128) -> str:
    """Post 004's case-1 network on an n×n×1 input: flattened size, the first dense layer's
    parameters (in + 1)·units, the total and fc1's share of it — or why the network fails.

    >>> "102,528" in dense_html()
    True
    >>> "No output" in dense_html(8)
    True
    """
    import html as _h

    from .errors import ShapeError

    pair = mnist_cnn(n, second_pool=second_pool, units=units)
    try:
        flat = _shape_after(pair, "flatten")
        last = _shape_after(pair, "pool2" if second_pool else "conv2")
        fc1 = Dense(units).params(flat)
        tot = total(pair)
    except ShapeError as e:
        return _pane([_h.escape(str(e))], ok=False)
    return _pane([
        f"last feature map {hwc(last)} → flatten → <b>{flat[0]:,}</b> values",
        f'<span class="f">fc1 = ({flat[0]:,} + 1)·{units} = <b>{fc1:,}</b></span>',
        f"total <b>{tot:,}</b>; fc1 is <b>{fc1 / tot:.1%}</b> of it",
    ])


def bottleneck_html(channels: int = 256, mid: int = 64, size: int = 56) -> str:
    """A plain 3×3 convolution at `channels` vs the 1×1 → 3×3 → 1×1 bottleneck through `mid`
    channels (weights only, as ResNet's convolutions have no bias), with MACs on size×size.

    >>> "69,632" in bottleneck_html()
    True
    """
    b = bottleneck_costs(channels, mid, size)
    p, q = b["plain"], b["bottleneck"]
    c, m = channels, mid
    return _pane([
        (f'<span class="f">plain 3×3: 3·3·{c}·{c} = <b>{p["params"]:,}</b> weights, '
        f'{p["macs"]:,} MACs</span>'),
        (f'<span class="f">bottleneck: {c}·{m} + 3·3·{m}·{m} + {m}·{c} = <b>{q["params"]:,}</b> weights, '
        f'{q["macs"]:,} MACs</span>'),
        (f"the bottleneck needs <b>{q['params'] / p['params']:.1%}</b> of the weights "
        f"({'fewer' if q['params'] < p['params'] else 'more'}, ×{b['ratio']:.2f})"),
    ])


def face_net_html(n: int = 10) -> str:
    """Post 002's network with n dense neurons: 48,320 + 160·n without biases,
    48,520 + 161·n with them.

    >>> "49,920" in face_net_html(10)
    True
    """
    nb, wb = total(face_net(n)), total(face_net(n, bias=True))
    conv = total(face_net(n)) - 160 * n
    convb = wb - 161 * n
    return _pane([
        f'<span class="f">bias-free: {conv:,} + 160·{n} = <b>{nb:,}</b></span>',
        f'<span class="f">with biases: {convb:,} + 161·{n} = <b>{wb:,}</b> (+{wb - nb:,})</span>',
        f"the dense layer holds {160 * n / nb:.1%} of the bias-free total",
    ])


def bottleneck_figure(channels: int = 256, mids=(16, 32, 48, 64, 96, 128, 192, 256), size: int = 56):
    """Weights of the bottleneck 1×1 → 3×3 → 1×1 for several middle widths, against one plain
    3×3 convolution at `channels` (a horizontal line). Returns a matplotlib Figure."""
    from matplotlib.figure import Figure

    plain = bottleneck_costs(channels, mids[0], size)["plain"]["params"]
    ys = [bottleneck_costs(channels, m, size)["bottleneck"]["params"] for m in mids]
    fig = Figure(figsize=(7, 3.6), dpi=90, layout="constrained")
    ax = fig.add_subplot()
    ax.plot(mids, ys, "o-", color="#0072B2", label="bottleneck 1×1 → 3×3 → 1×1")
    ax.axhline(plain, color="#D55E00", ls="--", label=f"plain 3×3 at {channels}: {plain:,}")
    for m, y in zip(mids, ys):
        ax.annotate(f"{y / 1e3:.0f}k", (m, y), textcoords="offset points", xytext=(0, 6),
                    ha="center", fontsize=8)
    ax.set_xlabel(f"middle channels (input and output: {channels})")
    ax.set_ylabel("weights")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v / 1e3:.0f}k")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, loc="upper left")
    ax.set_title("Weights of a bottleneck vs one plain 3×3 convolution", loc="left")
    return fig
