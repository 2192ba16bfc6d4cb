"""cnnlib.book.sources (the source posts' claims and errata), the zoo networks they use and
cnnlib.costs, each checked against PyTorch 2.13 modules built here and hand-worked numbers."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from cnnlib import zoo
from cnnlib.book import sources as ex
from cnnlib.book.sources import BORDERLINE, CLAIMS, ERRATA, errata_table
from cnnlib.costs import bottleneck_costs, inception_costs, separable_costs

torch.set_num_threads(1)


def P(m):
    return sum(p.numel() for p in m.parameters())


def out(m, *shape):
    with torch.no_grad():
        return tuple(m(torch.zeros(1, *shape)).shape[1:])


def torch_seq(model):
    """A cnnlib chain → torch.nn.Sequential of the same layers (those used here), built from
    torch's own arguments; activations and dropout are left out (they change no count)."""
    mods = []
    for row in model.rows()[1:]:
        layer, shape, kind = row.layer, row.in_shape, row.type
        if kind in ("ReLU", "Dropout", "Softmax"):
            continue
        if kind in ("Conv2d", "Conv1d"):
            cls = nn.Conv2d if kind == "Conv2d" else nn.Conv1d
            mods.append(cls(shape[0], layer.out_channels, layer.kernel_size, layer.stride,
                            layer.padding, layer.dilation, layer.groups, bias=layer.bias))
        elif kind == "MaxPool2d":
            mods.append(nn.MaxPool2d(layer.kernel_size, layer.stride, layer.padding))
        elif kind == "Flatten":
            mods.append(nn.Flatten())
        elif kind == "Dense":
            mods.append(nn.Linear(shape[-1], layer.out_features, bias=layer.bias))
        else:  # pragma: no cover
            raise TypeError(kind)
    return nn.Sequential(*mods)


# ------------------------------------------------------------------ networks


@pytest.mark.parametrize("n", [1, 2, 10, 37, 1000])
@pytest.mark.parametrize("bias", [False, True])
def test_face_net_against_torch(n, bias):
    model = zoo.face_net(n, bias=bias)
    m = torch_seq(model)
    assert P(m) == model.total_params == (48320 + 160 * n if not bias else 48520 + 161 * n)
    assert out(m, 1, 39, 31) == (n,)


def test_vgg16_against_torch():
    model = zoo.vgg(16)
    m = torch_seq(model)
    assert P(m) == model.total_params == 138_357_544
    weights = sum(mod.weight.numel() for mod in m if hasattr(mod, "weight"))
    assert weights == model.weights == 138_344_128
    assert sum(1 for r in model.rows() if r.kind in ("conv", "fc")) == 16


@pytest.mark.parametrize("n", [20, 28, 32, 64])
@pytest.mark.parametrize("second_pool", [True, False])
@pytest.mark.parametrize("units", [16, 128])
def test_keras_case1_against_torch(n, second_pool, units):
    model = zoo.keras_case1(n, second_pool=second_pool, units=units)
    m = torch_seq(model)
    assert P(m) == model.total_params
    assert out(m, 1, n, n) == (10,)


def test_keras_case1_hand_worked():
    assert zoo.keras_case1().total_params == 320 + 9248 + 102528 + 1290 == 113386
    # without the second pool: 11·11·32 = 3,872 inputs to the first dense layer
    assert zoo.keras_case1(second_pool=False).total_params == 320 + 9248 + (3872 + 1) * 128 + 1290


# -------------------------------------------------------------------- claims


TORCH_CLAIMS = {
    "000.fc_kinds": lambda: math.prod(out(nn.MaxPool2d(3, 2), 256, 13, 13)),
    "001.conv_73728": lambda: P(nn.Conv2d(128, 64, 3, bias=False)),
    "002.conv1": lambda: P(nn.Conv2d(1, 20, 4, bias=False)),
    "002.conv1.shape": lambda: out(nn.Conv2d(1, 20, 4), 1, 39, 31),
    "002.pool1.shape": lambda: out(nn.MaxPool2d(2), 20, 36, 28),
    "002.conv2": lambda: P(nn.Conv2d(20, 40, 3, bias=False)),
    "002.conv2.shape": lambda: out(nn.Conv2d(20, 40, 3), 20, 18, 14),
    "002.pool2.shape": lambda: out(nn.MaxPool2d(2), 40, 16, 12),
    "002.conv3": lambda: P(nn.Conv2d(40, 60, 3, bias=False)),
    "002.conv3.shape": lambda: out(nn.Conv2d(40, 60, 3), 40, 8, 6),
    "002.pool3.shape": lambda: out(nn.MaxPool2d(2), 60, 6, 4),
    "002.conv4": lambda: P(nn.Conv2d(60, 80, 2, bias=False)),
    "002.conv4.shape": lambda: out(nn.Conv2d(60, 80, 2), 60, 3, 2),
    "002.flatten": lambda: out(nn.Flatten(), 80, 2, 1)[0],
    "002.convs": lambda: P(torch_seq(zoo.face_net(1))) - 160,
    "002.per_class": lambda: P(nn.Linear(160, 1, bias=False)),
    "003.total": lambda: P(torch_seq(zoo.vgg(16))),
    "003.first_conv256": lambda: P(nn.Conv2d(128, 256, 3, padding=1)),
    "004.case1.conv1": lambda: P(nn.Conv2d(1, 32, 3)),
    "004.case1.conv1.shape": lambda: out(nn.Conv2d(1, 32, 3), 1, 28, 28),
    "004.case1.pool1.shape": lambda: out(nn.MaxPool2d(2), 32, 26, 26),
    "004.case1.conv2": lambda: P(nn.Conv2d(32, 32, 3)),
    "004.case1.pool2.shape": lambda: out(nn.MaxPool2d(2), 32, 11, 11),
    "004.case1.flatten": lambda: out(nn.Flatten(), 32, 5, 5)[0],
    "004.case1.fc1": lambda: P(nn.Linear(800, 128)),
    "004.case1.fc2": lambda: P(nn.Linear(128, 10)),
    "004.case2": lambda: P(nn.Conv2d(1, 1, 3)),
    "004.case2.shape": lambda: out(nn.Conv2d(1, 1, 3), 1, 10, 10),
    "004.case3.conv1": lambda: P(nn.Conv2d(1, 5, 3)),
    "004.case3.conv1.shape": lambda: out(nn.Conv2d(1, 5, 3), 1, 10, 10),
    "004.case3.conv2": lambda: P(nn.Conv2d(5, 2, 3)),
    "004.case3.conv2.shape": lambda: out(nn.Conv2d(5, 2, 3), 5, 8, 8),
    "004.case4.conv1": lambda: P(nn.Conv1d(5, 8, 3)),
    "004.case4.conv1.shape": lambda: out(nn.Conv1d(5, 8, 3), 5, 100),
    "004.case4.conv2": lambda: P(nn.Conv1d(8, 1, 3)),
    "004.case4.conv2.shape": lambda: out(nn.Conv1d(8, 1, 3), 8, 98),
}


@pytest.mark.parametrize("key", sorted(TORCH_CLAIMS))
def test_claim_against_torch(key):
    c = CLAIMS[key]
    assert c.value == TORCH_CLAIMS[key]()
    assert c.holds, c.line()


def test_every_numeric_claim_has_a_torch_check():
    numeric = {k for k, c in CLAIMS.items() if not isinstance(c.claimed, bool)}
    assert numeric <= set(TORCH_CLAIMS)


def test_boolean_claims():
    assert CLAIMS["001.dense_share"].holds and CLAIMS["001.bottleneck"].holds
    # two-GPU AlexNet weights: dense 58,621,952 of 60,954,656 (with the corrected fc1)
    assert math.isclose(ex._alexnet_two_gpu_fc_share(), 58_621_952 / 60_954_656)


def test_claim_lines():
    assert CLAIMS["004.case1.fc1"].verified() == "verified: 102,528 = (800 + 1)·128"
    assert CLAIMS["004.case1.conv2"].line().startswith("claimed 9,248 / computed 9,248 ✓")
    assert "E13" in CLAIMS["004.case1.conv2"].verdict()
    wrong = ex.Claim("x", "000", "conv5", (256, 27, 27), lambda: (256, 13, 13), erratum="E1")
    assert wrong.line() == "claimed 27×27×256 / computed 13×13×256 ✗ see errata E1"


# -------------------------------------------------------------------- errata


def vgg_activation_elements():
    m = torch_seq(zoo.vgg(16))
    x = torch.zeros(1, 3, 224, 224)
    total = x.numel()
    with torch.no_grad():
        for mod in m:
            x = mod(x)
            if not isinstance(mod, nn.Flatten):
                total += x.numel()
    return total


TORCH_ERRATA = {
    "E1": lambda: out(nn.Sequential(nn.Conv2d(256, 384, 3, 1, 1), nn.Conv2d(384, 384, 3, 1, 1),
                                    nn.Conv2d(384, 256, 3, 1, 1)), 256, 13, 13),
    "E2": lambda: out(nn.Conv2d(1, 1, 4, padding=2), 1, 32, 32)[-1],
    "E3": lambda: next(p for p in range(6) if out(nn.Conv2d(1, 1, 5, padding=p), 1, 32, 32)[-1] == 32),
    "E4": lambda: nn.Linear(math.prod(out(nn.MaxPool2d(3, 2), 256, 13, 13)), 4096).weight.numel(),
    "E5": lambda: out(nn.Conv2d(64, 256, 1), 64, 56, 56)[0],
    "E6": lambda: out(nn.Conv2d(1, 20, 4), 1, 39, 31)[1],
    "E8": lambda: len(torch_seq(zoo.face_net())),  # the post's sections: one per module
    "E9": vgg_activation_elements,
    "E10": lambda: P(torch_seq(zoo.vgg(16))),
    "E11": lambda: nn.Conv2d(128, 256, 3).weight.numel(),
    "E13": lambda: nn.Conv2d(32, 32, 3).weight[0].numel(),
    "E14": lambda: nn.Conv2d(5, 2, 3).weight[0].numel(),
    "E15": lambda: f"{nn.Conv1d(5, 8, 3).weight[0].numel()} and {nn.Conv1d(8, 1, 3).weight[0].numel()}",
    "E16": lambda: round(torch.softmax(torch.tensor([1.0, 2.0, 10.0], dtype=torch.float64), 0)[0].item(), 6),
}


@pytest.mark.parametrize("e", ERRATA, ids=lambda e: e.key)
def test_erratum_is_wrong_and_computed(e):
    assert e.is_wrong
    assert e.correct_text() and e.explanation and e.where
    if e.key in TORCH_ERRATA:
        assert e.computed == TORCH_ERRATA[e.key](), e.key


def test_errata_hand_worked():
    by = {e.key: e for e in ERRATA}
    assert [e.key for e in ERRATA] == [f"E{i}" for i in range(1, 17)]
    assert by["E1"].computed == (256, 13, 13)
    assert by["E2"].values()["before"] + by["E2"].values()["after"] == 4 - 1
    assert by["E3"].computed == (5 - 1) // 2
    assert by["E4"].computed == 6 * 6 * 256 * 4096 == 37_748_736
    assert by["E4"].values()["claimed_expr"] == 177_209_344 == by["E4"].claimed
    assert by["E5"].values()["bott"] == 256 * 64 + 9 * 64 * 64 + 64 * 256 == 69_632
    assert by["E6"].computed == (39 - 4) // 1 + 1 and by["E6"].values()["literal"] == 9
    assert by["E7"].computed == "Max Pooling Layer3"
    assert by["E8"].computed == 9
    v9 = by["E9"].values()
    assert v9["value"] == 15_237_608 and v9["bytes"] == 60_950_432
    assert round(v9["mb"], 1) == 61.0 and round(v9["mib"], 1) == 58.1
    v10 = by["E10"].values()
    assert (v10["weights"], v10["biases"], v10["first"]) == (138_344_128, 13_416, 295_168)
    assert by["E11"].computed == 128 * 3 * 3 * 256 == 294_912
    assert by["E12"].computed == "VGG-16"
    assert by["E13"].values()["replicated"] == 320 and by["E13"].computed == 3 * 3 * 32
    assert by["E14"].values()["params"] == 92
    assert by["E15"].values()["pa"] == 128 and by["E15"].values()["pb"] == 25


def test_softmax_is_not_elementwise():
    a, b = ex.softmax([1.0, 2.0, 3.0]), ex.softmax([1.0, 2.0, 10.0])
    t = torch.softmax(torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64), 0).tolist()
    assert all(math.isclose(x, y) for x, y in zip(a, t))
    assert a[0] != b[0] and math.isclose(sum(b), 1.0)


def test_borderline_notes_render():
    notes = {b.where: b.note_text() for b in BORDERLINE}
    assert "60,965,224" in notes["62,378,344 개"] and "62,378,344" in notes["62,378,344 개"]
    assert "48,520 + 161·n" in notes["bias는 없다고 가정 (biases assumed absent)"]
    # FC-1 reads pool3's output, not conv5's: flatten sizes from torch
    pool3 = torch.nn.MaxPool2d(3, stride=2)(torch.zeros(1, 256, 13, 13)).flatten(1).shape[1]
    fc_note = next(v for k, v in notes.items() if k.startswith("마지막 Conv layer"))
    assert f"= {pool3:,} values" in fc_note and f"= {256 * 13 * 13:,} (" in fc_note
    assert "11 → 5," in next(v for k, v in notes.items() if "PoolingSize" in k)  # ⌊11/2⌋ by hand


def test_two_gpu_alexnet_against_torch():
    two = zoo.alexnet("two_tower")
    assert P(torch_seq(two)) == two.total_params == 60_965_224
    assert P(torch_seq(zoo.alexnet())) == 62_378_344


def test_errata_table_columns():
    t = errata_table()
    assert list(t.index) == [e.key for e in ERRATA]
    assert t.loc["E4", "computed"] == "37,748,736"


# ------------------------------------------------------------ chapter helpers


@pytest.mark.parametrize("c,m,k", [(256, 64, 3), (128, 32, 3), (64, 16, 5)])
def test_bottleneck_against_torch(c, m, k):
    b = bottleneck_costs(c, m, size=14, k=k)
    plain = nn.Conv2d(c, c, k, padding=(k - 1) // 2, bias=False)
    bott = nn.Sequential(nn.Conv2d(c, m, 1, bias=False), nn.Conv2d(m, m, k, padding=(k - 1) // 2, bias=False),
                         nn.Conv2d(m, c, 1, bias=False))
    assert b["plain"]["params"] == P(plain) == k * k * c * c
    assert b["bottleneck"]["params"] == P(bott) == c * m + k * k * m * m + m * c
    assert b["bottleneck"]["out_shape"] == out(bott, c, 14, 14)
    assert b["plain"]["macs"] == 14 * 14 * k * k * c * c
    assert b["bottleneck"]["macs"] == 14 * 14 * (c * m + k * k * m * m + m * c)


def test_inception_3a_hand_worked():
    c = inception_costs()
    assert c["params"] == (192 * 64 + 64) + (192 * 96 + 96) + (9 * 96 * 128 + 128) + \
        (192 * 16 + 16) + (25 * 16 * 32 + 32) + (192 * 32 + 32) == 163_696
    assert c["macs"] == 28 * 28 * (192 * 64 + 192 * 96 + 9 * 96 * 128 + 192 * 16 + 25 * 16 * 32 + 192 * 32)
    n = inception_costs(reduce=False)
    assert n["macs"] == 28 * 28 * 192 * (64 + 9 * 128 + 25 * 32)


@pytest.mark.parametrize("ci,co,k", [(256, 256, 3), (32, 64, 3), (512, 512, 5)])
def test_separable_against_torch(ci, co, k):
    s = separable_costs(ci, co, k, size=14)
    std = nn.Conv2d(ci, co, k, padding=(k - 1) // 2, bias=False)
    sep = nn.Sequential(nn.Conv2d(ci, ci, k, padding=(k - 1) // 2, groups=ci, bias=False),
                        nn.Conv2d(ci, co, 1, bias=False))
    assert s["standard"]["weights"] == P(std) == k * k * ci * co
    assert s["separable"]["weights"] == P(sep) == k * k * ci + ci * co
    assert s["separable"]["macs"] == 14 * 14 * (k * k * ci + ci * co)
