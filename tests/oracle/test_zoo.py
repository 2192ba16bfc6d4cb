"""cnnlib.zoo against networks built independently in plain torch.nn (and Keras).

Each reference network below is written from the papers / torchvision's layout with
``torch.nn`` modules, never from cnnlib.  The big ones run on the ``meta`` device (shapes
without arithmetic), small ones and the error cases on the CPU.  For every leaf module
in execution order the test compares the type, the output shape (without the batch) and
``sum(p.numel())``; then the totals, the published totals, and torchinfo's mult-adds for
conv and dense layers (cnnlib MACs + bias adds = torchinfo's convention).
"""

from __future__ import annotations

import math
import os

import pytest
import torch
import torchinfo
from torch import nn

from cnnlib import ShapeError, zoo

torch.set_num_threads(1)

META = torch.device("meta")

TORCH_TO_CNNLIB = {"Linear": "Dense", "LazyLinear": "Dense"}


# --------------------------------------------------------------- torch helpers


class Cat(nn.Module):
    """Branches on the same input, concatenated along the channels (an Inception module)."""

    def __init__(self, *branches):
        super().__init__()
        self.branches = nn.ModuleList(branches)

    def forward(self, x):
        return torch.cat([b(x) for b in self.branches], 1)


class Res(nn.Module):
    """relu(block(x) + shortcut(x)), shortcut the identity when None."""

    def __init__(self, block, shortcut=None):
        super().__init__()
        self.block, self.shortcut, self.relu = block, shortcut, nn.ReLU(inplace=True)

    def forward(self, x):
        out = self.block(x)
        side = self.shortcut(x) if self.shortcut is not None else x
        return self.relu(out + side)


def leaf_records(module, in_shape, device=META):
    """[(type, out_shape, params)] of every leaf module, in execution order."""
    records, hooks = [], []

    def hook(mod, inp, out):
        records.append((type(mod).__name__, tuple(out.shape[1:]), mod))

    for m in module.modules():
        if not any(m.children()):
            hooks.append(m.register_forward_hook(hook))
    try:
        module(torch.zeros(1, *in_shape, device=device))
    finally:
        for h in hooks:
            h.remove()
    return [(TORCH_TO_CNNLIB.get(t, t), s, sum(p.numel() for p in m.parameters()))
            for t, s, m in records]


def layer_rows(model):
    """cnnlib's rows of layers that torch writes as modules: merges (torch.cat, +) are functions."""
    return [r for r in model.rows()[1:] if r.kind != "merge"]


def cnnlib_records(model):
    return [(r.type, r.out_shape, r.params) for r in layer_rows(model)]


def check_against_torch(model, reference, device=META):
    """Per-leaf type/shape/params, totals, and torchinfo's MACs and memory totals."""
    ref = reference.to(device) if device != META else reference
    got, want = cnnlib_records(model), leaf_records(ref, model.input_shape, device)
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"row {i} ({layer_rows(model)[i].name}): cnnlib {g} vs torch {w}"
    assert model.total_params == sum(p.numel() for p in ref.parameters())
    assert model.buffers == sum(b.numel() for b in ref.buffers())
    assert model.output_shape == want[-1][1]

    stats = torchinfo.summary(ref, input_size=(1, *model.input_shape), device=device, verbose=0)
    leaves = [li for li in stats.summary_list if li.is_leaf_layer]
    rows = layer_rows(model)
    assert len(leaves) == len(rows)
    for row, li in zip(rows, leaves):
        if row.kind in ("conv", "fc"):
            assert row.macs + row.bias_adds == li.macs, row.name
            # and without bias adds: output positions × weights, the cnnlib convention
            positions = math.prod(row.out_shape[1:]) if row.kind == "conv" else 1
            assert row.macs == positions * row.weights
    ti = model.torchinfo_totals()
    assert ti["total_params"] == stats.total_params
    assert ti["total_mult_adds"] == stats.total_mult_adds
    assert ti["forward_backward_bytes"] == stats.total_output_bytes
    # torchinfo sizes the input with sys.getsizeof(storage): the bytes plus Python's overhead
    assert 0 <= stats.total_input - ti["input_bytes"] <= 256
    assert ti["params_bytes"] == stats.total_param_bytes
    return stats


def seq(*layers):
    return nn.Sequential(*layers)


# ------------------------------------------------------------- torch networks


def torch_alexnet(variant, num_classes=1000, lrn=False, device=META):
    with torch.device(device):
        if variant == "torchvision":
            return seq(
                nn.Conv2d(3, 64, 11, 4, 2), nn.ReLU(True), nn.MaxPool2d(3, 2),
                nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(True), nn.MaxPool2d(3, 2),
                nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(True),
                nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(True),
                nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(True), nn.MaxPool2d(3, 2),
                nn.AdaptiveAvgPool2d((6, 6)), nn.Flatten(),
                nn.Dropout(0.5), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(True),
                nn.Dropout(0.5), nn.Linear(4096, 4096), nn.ReLU(True), nn.Linear(4096, num_classes))
        g = 2 if variant == "two_tower" else 1
        norm = (lambda: [nn.LocalResponseNorm(5)]) if lrn else list
        return seq(
            nn.Conv2d(3, 96, 11, 4), nn.ReLU(True), *norm(), nn.MaxPool2d(3, 2),
            nn.Conv2d(96, 256, 5, padding=2, groups=g), nn.ReLU(True), *norm(), nn.MaxPool2d(3, 2),
            nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(True),
            nn.Conv2d(384, 384, 3, padding=1, groups=g), nn.ReLU(True),
            nn.Conv2d(384, 256, 3, padding=1, groups=g), nn.ReLU(True), nn.MaxPool2d(3, 2),
            nn.Flatten(), nn.Dropout(0.5), nn.LazyLinear(4096), nn.ReLU(True),
            nn.Dropout(0.5), nn.Linear(4096, 4096), nn.ReLU(True), nn.Linear(4096, num_classes))


# the VGG paper's Table 1: convolutions per stage (A, B, D, E); widths 64, 128, 256, 512, 512
VGG = {11: (1, 1, 2, 2, 2), 13: (2, 2, 2, 2, 2), 16: (2, 2, 3, 3, 3), 19: (2, 2, 4, 4, 4)}


def torch_vgg(depth, batch_norm=False, num_classes=1000):
    layers, c = [], 3
    with META:
        for n, width in zip(VGG[depth], (64, 128, 256, 512, 512)):
            for _ in range(n):
                layers.append(nn.Conv2d(c, width, 3, padding=1))
                if batch_norm:
                    layers.append(nn.BatchNorm2d(width))
                layers.append(nn.ReLU(True))
                c = width
            layers.append(nn.MaxPool2d(2, 2))
        layers += [nn.Flatten(), nn.LazyLinear(4096), nn.ReLU(True), nn.Dropout(),
                   nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(), nn.Linear(4096, num_classes)]
        return seq(*layers)


def basic_conv(cin, cout, k, stride=1, padding=0):
    return [nn.Conv2d(cin, cout, k, stride, padding, bias=False), nn.BatchNorm2d(cout, eps=0.001),
            nn.ReLU(True)]


def torch_googlenet(num_classes=1000):
    def inception(cin, c1, c3r, c3, c5r, c5, pp):
        return Cat(seq(*basic_conv(cin, c1, 1)),
                   seq(*basic_conv(cin, c3r, 1), *basic_conv(c3r, c3, 3, padding=1)),
                   seq(*basic_conv(cin, c5r, 1), *basic_conv(c5r, c5, 3, padding=1)),
                   seq(nn.MaxPool2d(3, 1, 1, ceil_mode=True), *basic_conv(cin, pp, 1)))

    with META:
        return seq(
            *basic_conv(3, 64, 7, 2, 3), nn.MaxPool2d(3, 2, ceil_mode=True),
            *basic_conv(64, 64, 1), *basic_conv(64, 192, 3, padding=1),
            nn.MaxPool2d(3, 2, ceil_mode=True),
            inception(192, 64, 96, 128, 16, 32, 32), inception(256, 128, 128, 192, 32, 96, 64),
            nn.MaxPool2d(3, 2, ceil_mode=True),
            inception(480, 192, 96, 208, 16, 48, 64), inception(512, 160, 112, 224, 24, 64, 64),
            inception(512, 128, 128, 256, 24, 64, 64), inception(512, 112, 144, 288, 32, 64, 64),
            inception(528, 256, 160, 320, 32, 128, 128), nn.MaxPool2d(2, 2, ceil_mode=True),
            inception(832, 256, 160, 320, 32, 128, 128), inception(832, 384, 192, 384, 48, 128, 128),
            nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Dropout(0.2), nn.Linear(1024, num_classes))


def torch_resnet(depth, num_classes=1000):
    bottleneck = depth >= 50
    counts = {18: (2, 2, 2, 2), 34: (3, 4, 6, 3), 50: (3, 4, 6, 3), 101: (3, 4, 23, 3)}[depth]
    exp = 4 if bottleneck else 1
    with META:
        layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(True),
                  nn.MaxPool2d(3, 2, 1)]
        cin = 64
        for stage, (planes, n) in enumerate(zip((64, 128, 256, 512), counts)):
            for b in range(n):
                s = 2 if stage and not b else 1
                if bottleneck:
                    block = seq(nn.Conv2d(cin, planes, 1, bias=False), nn.BatchNorm2d(planes),
                                nn.ReLU(True),
                                nn.Conv2d(planes, planes, 3, s, 1, bias=False), nn.BatchNorm2d(planes),
                                nn.ReLU(True),
                                nn.Conv2d(planes, planes * 4, 1, bias=False), nn.BatchNorm2d(planes * 4))
                else:
                    block = seq(nn.Conv2d(cin, planes, 3, s, 1, bias=False), nn.BatchNorm2d(planes),
                                nn.ReLU(True),
                                nn.Conv2d(planes, planes, 3, 1, 1, bias=False), nn.BatchNorm2d(planes))
                short = None
                if s != 1 or cin != planes * exp:
                    short = seq(nn.Conv2d(cin, planes * exp, 1, s, bias=False),
                                nn.BatchNorm2d(planes * exp))
                layers.append(Res(block, short))
                cin = planes * exp
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512 * exp, num_classes)]
        return seq(*layers)


def torch_lenet5():
    return seq(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
               nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84),
               nn.ReLU(), nn.Linear(84, 10))


def torch_face_net(n):
    return seq(nn.Conv2d(1, 20, 4, bias=False), nn.ReLU(), nn.MaxPool2d(2),
               nn.Conv2d(20, 40, 3, bias=False), nn.ReLU(), nn.MaxPool2d(2),
               nn.Conv2d(40, 60, 3, bias=False), nn.ReLU(), nn.MaxPool2d(2),
               nn.Conv2d(60, 80, 2, bias=False), nn.ReLU(), nn.Flatten(), nn.Linear(160, n, bias=False))


# ------------------------------------------------------------ published totals

PUBLISHED = [
    (lambda: zoo.alexnet(), 62_378_344),
    (lambda: zoo.alexnet("two_tower"), 60_965_224),
    (lambda: zoo.alexnet("torchvision", input_size=224), 61_100_840),
    (lambda: zoo.vgg(11), 132_863_336), (lambda: zoo.vgg(13), 133_047_848),
    (lambda: zoo.vgg(16), 138_357_544), (lambda: zoo.vgg(19), 143_667_240),
    (lambda: zoo.vgg(11, batch_norm=True), 132_868_840),
    (lambda: zoo.vgg(13, batch_norm=True), 133_053_736),
    (lambda: zoo.vgg(16, batch_norm=True), 138_365_992),
    (lambda: zoo.vgg(19, batch_norm=True), 143_678_248),
    (zoo.lenet5, 61_706), (zoo.googlenet, 6_624_904),
    (lambda: zoo.resnet(18), 11_689_512), (lambda: zoo.resnet(50), 25_557_032),
    (zoo.keras_case1, 113_386), (zoo.keras_case2, 10), (zoo.keras_case3, 50 + 92),
    (zoo.keras_conv1d, 128 + 25),
]


@pytest.mark.parametrize("build,total", PUBLISHED)
def test_published_totals(build, total):
    assert build().total_params == total


@pytest.mark.parametrize("n", [1, 10, 100, 1000])
def test_face_net_formula(n):
    assert zoo.face_net(n).total_params == 48_320 + 160 * n


def test_keras_case1_per_layer():
    assert [r.params for r in zoo.keras_case1().rows() if r.params] == [320, 9_248, 102_528, 1_290]


# ------------------------------------------------------------------ vs torch


@pytest.mark.parametrize("variant,size", [("single", 227), ("single", 224), ("single", 300),
                                          ("two_tower", 227), ("two_tower", 224),
                                          ("torchvision", 224), ("torchvision", 227),
                                          ("torchvision", 100)])
def test_alexnet_vs_torch(variant, size):
    check_against_torch(zoo.alexnet(variant, input_size=size), torch_alexnet(variant))


def test_alexnet_lrn_vs_torch():
    check_against_torch(zoo.alexnet(lrn=True, num_classes=10), torch_alexnet("single", 10, lrn=True))


def test_alexnet_224_typo():
    """224 without padding: (224 − 11)/4 + 1 = 54.25 → torch floors to 54; fc1 gets 6,400 inputs."""
    m = zoo.alexnet(input_size=224)
    assert m.rows()[1].out_shape == (96, 54, 54)
    fc1 = next(r for r in m.rows() if r.name == "fc1")
    assert fc1.in_shape == (256 * 5 * 5,)
    assert m.total_params == 62_378_344 - (9216 - 6400) * 4096


def test_alexnet_too_small_raises_like_torch():
    ref = torch_alexnet("single", device="cpu")
    with pytest.raises(RuntimeError):
        ref(torch.zeros(1, 3, 60, 60))
    with pytest.raises(ShapeError, match=r"^pool3: MaxPool2d"):
        zoo.alexnet(input_size=60)


@pytest.mark.parametrize("depth", [11, 13, 16, 19])
@pytest.mark.parametrize("bn", [False, True])
def test_vgg_vs_torch(depth, bn):
    check_against_torch(zoo.vgg(depth, batch_norm=bn), torch_vgg(depth, bn))


@pytest.mark.parametrize("size", [32, 64, 100, 256])
def test_vgg_other_sizes_vs_torch(size):
    check_against_torch(zoo.vgg(16, input_size=size, num_classes=10), torch_vgg(16, num_classes=10))


def test_googlenet_vs_torch():
    check_against_torch(zoo.googlenet(), torch_googlenet())


@pytest.mark.parametrize("size", [112, 299])
def test_googlenet_other_sizes_vs_torch(size):
    check_against_torch(zoo.googlenet(input_size=size), torch_googlenet())


@pytest.mark.parametrize("depth", [18, 34, 50, 101])
def test_resnet_vs_torch(depth):
    check_against_torch(zoo.resnet(depth), torch_resnet(depth))


@pytest.mark.parametrize("size", [64, 97, 320])
def test_resnet_other_sizes_vs_torch(size):
    check_against_torch(zoo.resnet(50, input_size=size, num_classes=7), torch_resnet(50, num_classes=7))


def test_small_nets_vs_torch_cpu():
    check_against_torch(zoo.lenet5(), torch_lenet5(), device="cpu")
    check_against_torch(zoo.face_net(10), torch_face_net(10), device="cpu")
    check_against_torch(zoo.keras_case1(), seq(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(800, 128), nn.ReLU(), nn.Linear(128, 10), nn.Softmax(-1)), device="cpu")
    check_against_torch(zoo.keras_conv1d(), seq(nn.Conv1d(5, 8, 3), nn.Conv1d(8, 1, 3)), device="cpu")


def test_plain_chain_vs_torch():
    layers = []
    c = 3
    with META:
        for _ in range(20):
            layers += [nn.Conv2d(c, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU()]
            c = 64
        ref = seq(*layers, nn.Flatten(), nn.Linear(64 * 56 * 56, 10))
    check_against_torch(zoo.plain_chain(20), ref)


# ------------------------------------------------------------------- Keras


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    return pytest.importorskip("keras")


def test_keras_examples_vs_keras(keras):
    L = keras.layers
    cases = [
        (zoo.keras_case1(), [keras.Input((28, 28, 1)), L.Conv2D(32, 3, activation="relu"),
                             L.MaxPooling2D(2), L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(2),
                             L.Flatten(), L.Dense(128, activation="relu"),
                             L.Dense(10, activation="softmax")]),
        (zoo.keras_case2(), [keras.Input((10, 10, 1)), L.Conv2D(1, 3)]),
        (zoo.keras_case3(), [keras.Input((10, 10, 1)), L.Conv2D(5, 3), L.Conv2D(2, 3)]),
        (zoo.keras_conv1d(), [keras.Input((100, 5)), L.Conv1D(8, 3), L.Conv1D(1, 3)]),
    ]
    for model, layers in cases:
        k = keras.Sequential(layers)
        assert model.total_params == k.count_params()
        want = [(lay.count_params(), tuple(lay.output.shape[1:])) for lay in k.layers]
        got = [(r.params, r.out_shape[1:] + r.out_shape[:1]) for r in model.rows()[1:]
               if r.kind in ("conv", "pool", "fc", "flatten")]
        assert got == want
