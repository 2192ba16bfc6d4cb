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
003 VGG-16 Q&A, 004 Keras ``model.summary()`` cases.  The networks are the reference ones of
:mod:`cnnlib.zoo`; shapes are channels-first tuples, printed H×W×C as the sources write them.

>>> ERRATA[0].key, ERRATA[0].computed_text()
('E1', '13×13×256')
>>> CLAIMS["004.case1.fc1"].line()
'claimed 102,528 / computed 102,528 ✓'
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import zoo
from ..arithmetic import conv_output_size, same_padding
from ..costs import bottleneck_costs
from ..layers import Conv1d, Conv2d, Dense, Flatten, MaxPool2d
from ..shapes import shape_text

__all__ = ["BORDERLINE", "CLAIMS", "ERRATA", "Borderline", "Claim", "Erratum", "errata_html", "errata_table",
           "fmt", "softmax"]


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
        return shape_text(value)
    return str(value)


def softmax(z) -> list[float]:
    """exp(z_i) / Σ_j exp(z_j): every output depends on every input (not element-wise).

    >>> [round(v, 4) for v in softmax([1.0, 2.0, 3.0])]
    [0.09, 0.2447, 0.6652]
    """
    m = max(z)
    e = [math.exp(v - m) for v in z]
    s = sum(e)
    return [v / s for v in e]


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


_C1 = zoo.keras_case1()

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
          lambda: zoo.face_net(1).total_params - 160, "320 + 7,200 + 21,600 + 19,200"),
    Claim("002.per_class", "002", "each dense neuron adds 160 weights (160·n)", 160,
          lambda: zoo.face_net(2).total_params - zoo.face_net(1).total_params, "160 inputs per neuron"),
    # ---- 003: VGG-16
    Claim("003.total", "003", "VGG-16 has 138,357,544 parameters", 138357544,
          lambda: zoo.vgg(16).total_params),
    Claim("003.first_conv256", "003", "first conv3-256: 128·3·3·256 + 256", 295168,
          _param(Conv2d(256, 3, padding=1), (128, 56, 56)), "128·3·3·256 + 256"),
    # ---- 004 case 1 (Keras, 28×28×1)
    Claim("004.case1.conv1", "004", "Conv2D(32, 3×3) on 28×28×1: (3·3 + 1)·32", 320,
          lambda: _C1.row("conv1").params, "(3·3·1 + 1)·32"),
    Claim("004.case1.conv1.shape", "004", "output (26, 26, 32)", (32, 26, 26),
          lambda: _C1.row("conv1").out_shape),
    Claim("004.case1.pool1.shape", "004", "MaxPooling2D(2, 2) → (13, 13, 32)", (32, 13, 13),
          lambda: _C1.row("pool1").out_shape),
    Claim("004.case1.conv2", "004", "Conv2D(32, 3×3) on 13×13×32: (3·3·32 + 1)·32", 9248,
          lambda: Conv2d(32, 3).params((32, 13, 13)), "(3·3·32 + 1)·32", erratum="E13"),
    Claim("004.case1.pool2.shape", "004", "second pool on 11×11 → (5, 5, 32)", (32, 5, 5),
          lambda: _C1.row("pool2").out_shape, "⌊11/2⌋ = 5"),
    Claim("004.case1.flatten", "004", "Flatten: 5·5·32 values", 800,
          lambda: _C1.row("flatten").out_shape[0], "5·5·32"),
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


def _alexnet_two_gpu_fc_share() -> float:
    """The dense layers' share of the weights of post 001's two-GPU AlexNet."""
    rows = zoo.alexnet("two_tower").rows()
    return sum(r.weights for r in rows if r.kind == "fc") / sum(r.weights for r in rows)


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
        return self.correct.format(**{k: (shape_text(x) if isinstance(x, tuple) else x) for k, x in v.items()})

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
    """The post's sections are one per layer, activations not counted: conv1, pool1, …,
    flatten, fc1 (1-based)."""
    return [r.name for r in zoo.face_net().rows()[1:] if r.kind != "act"]


def _e7():
    names = _layer_numbers()
    pools = [n for n in names if n.startswith("pool")]
    after_conv3 = names[names.index("conv3") + 1]
    return {"value": f"Max Pooling Layer{pools.index(after_conv3) + 1}", "n": pools.index(after_conv3) + 1}


def _e8():
    names = _layer_numbers()
    return {"value": names.index("fc1") + 1, "flatten": names.index("flatten") + 1}


def _e9():
    elements = zoo.vgg(16).activation_elements
    b = 4 * elements
    return {"value": elements, "bytes": b, "mb": b / 1e6, "mib": b / 2**20,
            "claimed_mb": 24e6 * 4 / 1e6, "claimed_mib": 24e6 * 4 / 2**20}


def _e10():
    m = zoo.vgg(16)
    return {"value": m.total_params, "weights": m.weights, "biases": m.biases,
            "first": Conv2d(256, 3, padding=1).params((128, 56, 56))}


def _e12():
    n = sum(1 for r in zoo.vgg(16).rows() if r.kind in ("conv", "fc"))
    return {"value": f"VGG-{n}", "n": n}


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
            "numeric", _e1, chapter="07_alexnet"),
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
            "numeric", _e4, chapter="07_alexnet"),
    Erratum("E5", "001", "1 by 1 은 … channel의 개수만 줄이는 기능이다", "a 1×1 convolution only reduces the channel count",
            None, "a 1×1 conv maps C_in → any C_out: 64 → {value} expands ({w:,} weights), as the bottleneck's "
            "last 1×1 does; bottleneck {bott:,} vs plain 3×3 {plain:,} weights",
            "It mixes the channels at each pixel (a learned linear map); reducing is one use, not the definition.",
            "conceptual", _e5, chapter="05_one_by_one"),
    Erratum("E6", "002", "RowSize = (shape[0]-shape[1])/stride+1", "output rows = (shape[0] − shape[1])/stride + 1",
            None, "o = ⌊(n − k)/s⌋ + 1 = (39 − 4)/1 + 1 = {value}; taken literally, (39 − 31)/1 + 1 = {literal}",
            "The formula must subtract the kernel size from the input size, not the input's two sides.",
            "formula", _e6, chapter="12_worked_examples"),
    Erratum("E7", "002", "6. Max Pooling Layer2 (second time)", "the pool after Conv Layer3 is 'Max Pooling Layer2'",
            "Max Pooling Layer2", "it is the third pooling layer: {value}",
            "Two different layers carry the same name.", "label", _e7, chapter="12_worked_examples"),
    Erratum("E8", "002", "8. Dense layer (after 8. Flatten Layer)", "section number 8 for the dense layer",
            8, "section {value} (section {flatten} is Flatten)", "Duplicate section number.", "label", _e8,
            chapter="12_worked_examples"),
    Erratum("E9", "003", "TOTAL memory: 24M * 4 bytes ~= 93MB / image", "VGG-16's activations: 24M values ≈ 93 MB "
            "per image (forward)", 24_000_000,
            "the table's rows sum to {value:,} values; ×4 bytes = {bytes:,} B ≈ {mb:.1f} MB ({mib:.1f} MiB)",
            "The table does not give 24M: its rows add up to about 15.2M values (93 fits a rounded 24M only in MiB).",
            "numeric", _e9, chapter="08_vgg"),
    Erratum("E10", "003", "畳み込み層にはバイアスがありません", "VGG's convolutions have no biases, so 295,168 is wrong",
            None, "they have one bias per filter: first conv3-256 = {first:,}; total {value:,} = {weights:,} "
            "weights + {biases:,} biases",
            "Without biases the total would not be the 138,357,544 that both answers quote.",
            "conceptual", _e10, chapter="08_vgg"),
    Erratum("E11", "003", "128x3x3x256(重み)= 294,9112", "128·3·3·256 = 294,9112", 2949112,
            "{value:,}", "Typo: an extra digit (the final 1).", "numeric",
            lambda: {"value": Conv2d(256, 3, padding=1, bias=False).params((128, 56, 56))}, chapter="08_vgg"),
    Erratum("E12", "003", "VGG-15のトレーニング", "the 138,357,544-parameter network is 'VGG-15'", "VGG-15",
            "{value}: {n} weight layers (13 conv + 3 dense)", "Typo in the name.", "label", _e12,
            chapter="08_vgg"),
    Erratum("E13", "004", "똑같은 3x3 convolution filter … replicated 32 times",
            "each filter of the second Conv2D is one 3×3 filter copied to all 32 input channels", 9,
            "each filter is a 3×3×32 kernel with {value} independent weights (+1 bias): {params:,} in all; "
            "a copied filter would give only {replicated}",
            "The 32 depth slices are learned separately; that is why the count is (3·3·32 + 1)·32.",
            "conceptual", _e13, chapter="12_worked_examples"),
    Erratum("E14", "004", "(3,3,5)로 size를 늘린 뒤(replicated)", "the 3×3 filter is replicated to depth 5", 9,
            "each of the 2 filters is 3×3×5 with {value} independent weights (+1 bias): {params}",
            "Same misconception as E13; the 92 is right, the explanation is not.", "conceptual", _e14,
            chapter="12_worked_examples"),
    Erratum("E15", "004", "convolution filter는 (3,5)로 replicated", "the size-3 1-D filter is replicated across "
            "the 5 (then 8) channels", "3 and 3",
            "kernels 3×5 ({wa} weights, ×8 filters → {pa}) and 3×8 ({wb} weights → {pb}), all independent",
            "Same misconception as E13; the counts 128 and 25 are right.", "conceptual", _e15,
            chapter="12_worked_examples"),
    Erratum("E16", "004", "ReLU 또는 softmax등 activation 함수가 적용(element-wise)",
            "softmax, like ReLU, is applied element-wise", None,
            "softmax([1, 2, 3])₁ = {before}; changing only z₃ to 10 makes it {after} (ReLU's stays {relu_after})",
            "softmax(z)ᵢ = exp(zᵢ)/Σⱼ exp(zⱼ) depends on every output of the layer.",
            "conceptual", _e16, chapter="12_worked_examples"),
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
    return {"two": zoo.alexnet("two_tower").total_params, "single": zoo.alexnet().total_params}


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
               "down (11 → {o11}, not 5.5); windows that overlap or leave gaps (k ≠ s) need ⌊(n − k)/s⌋ + 1 (without padding).",
               lambda: {"o11": MaxPool2d(2).output_shape((1, 11, 11))[1]}),
    Borderline("002", "출력 데이터 = (160, 1)", "A column-vector convention; frameworks give ({f},) per sample.",
               lambda: {"f": Flatten().output_shape((80, 2, 1))[0]}),
    Borderline("002", "bias는 없다고 가정 (biases assumed absent)",
               "A stated assumption, not an error; with biases the count is {b0:,} + {b1}·n.",
               lambda: {"b0": zoo.face_net(1, bias=True).total_params - 161, "b1": 161}),
    Borderline("003", "0.59M =(3 * 3)*(256 * 256)",
               "Right ({w:,} weights) for the 2nd and 3rd conv3-256; the first has 128 inputs ({f:,}).",
               lambda: {"w": Conv2d(256, 3, padding=1, bias=False).params((256, 56, 56)),
                        "f": Conv2d(256, 3, padding=1, bias=False).params((128, 56, 56))}),
    Borderline("003", "TOTAL params: 138M", "The weights column sums to {w:,} (no biases); with biases "
               "{t:,}. Both round to 138M.",
               lambda: {"w": zoo.vgg(16).weights, "t": zoo.vgg(16).total_params}),
    Borderline("003", "~= 93MB (unit)", "Closer to MiB than MB; the book states MB = 10⁶ B and gives MiB in "
               "brackets (see E9 for the count itself)."),
    Borderline("003", "~*2 for bwd", "A rule of thumb: backward keeps a gradient per stored activation; "
               "the exact figure depends on the framework."),
    Borderline("003", "MAXPOOL3-2:平均", "平均 is a machine translation of 'means', not average pooling."),
    Borderline("004", "100 size의 2차원 data(tabular data)",
               "Conv1D treats the 100 rows as an ordered sequence with 5 channels: time series, not "
               "ordinary tabular rows."),
)
