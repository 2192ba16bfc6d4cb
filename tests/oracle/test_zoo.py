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

import pytest
import torch
import torchinfo
from torch import nn
from torch_zoo import (
    META,
    leaf_records,
    seq,
    torch_alexnet,
    torch_dcgan,
    torch_densenet,
    torch_face_net,
    torch_googlenet,
    torch_lenet5,
    torch_mobilenet_v2,
    torch_nin,
    torch_resnet,
    torch_squeezenet,
    torch_unet,
    torch_vgg,
)

from cnnlib import ShapeError, zoo

torch.set_num_threads(1)


def layer_rows(model, functional=()):
    """cnnlib's rows of layers that torch writes as modules: merges (torch.cat, +) and the rows
    named in `functional` (F.relu, torch.flatten, slicing …) are functions in torch."""
    return [r for r in model.rows()[1:] if r.kind != "merge" and r.name not in functional]


def check_against_torch(model, reference, device=META, functional=(), names=False):
    """Per-leaf type/shape/params (and names: torch's module paths), totals, and torchinfo's MACs
    and memory totals."""
    ref = reference.to(device) if device != META else reference
    rows = layer_rows(model, functional)
    got = [(r.type, r.out_shape, r.params) + ((r.name,) if names else ()) for r in rows]
    want = leaf_records(ref, model.input_shape, device, names)
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"row {i} ({rows[i].name}): cnnlib {g} vs torch {w}"
    assert model.total_params == sum(p.numel() for p in ref.parameters())
    assert model.buffers == sum(b.numel() for b in ref.buffers())
    with torch.no_grad():
        assert model.output_shape == tuple(ref(torch.zeros(1, *model.input_shape, device=device)).shape[1:])

    stats = torchinfo.summary(ref, input_size=(1, *model.input_shape), device=device, verbose=0)
    leaves = [li for li in stats.summary_list if li.is_leaf_layer]
    assert len(leaves) == len(rows)
    for row, li in zip(rows, leaves):
        # torchinfo multiplies a transposed convolution's weights by its *output* positions,
        # which is not its multiply count (see cnnlib.layers.transpose); its total still agrees
        # below, as cnnlib.memory.torchinfo_totals applies torchinfo's rule
        if row.kind in ("conv", "fc") and "Transpose" not in row.type:
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
    (lambda: zoo.resnet(18), 11_689_512), (lambda: zoo.resnet(34), 21_797_672),
    (lambda: zoo.resnet(50), 25_557_032), (lambda: zoo.resnet(101), 44_549_160),
    (lambda: zoo.resnet(152), 60_192_808),
    # torchvision's documentation (its model builders' pages)
    (zoo.mobilenet_v2, 3_504_872), (lambda: zoo.squeezenet("1_0"), 1_248_424),
    (lambda: zoo.squeezenet("1_1"), 1_235_496), (lambda: zoo.densenet(121), 7_978_856),
    (lambda: zoo.densenet(161), 28_681_000), (lambda: zoo.densenet(169), 14_149_480),
    (lambda: zoo.densenet(201), 20_013_928),
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


@pytest.mark.parametrize("depth", [18, 34, 50, 101, 152])
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


# --------------------------------------------------------------- after VGG

#: torchvision's documented parameter counts, checked on the torch builds themselves (no cnnlib)
TORCH_PUBLISHED = [
    (lambda: torch_resnet(18), 11_689_512), (lambda: torch_resnet(34), 21_797_672),
    (lambda: torch_resnet(50), 25_557_032), (lambda: torch_resnet(101), 44_549_160),
    (lambda: torch_resnet(152), 60_192_808), (torch_mobilenet_v2, 3_504_872),
    (lambda: torch_squeezenet("1_0"), 1_248_424), (lambda: torch_squeezenet("1_1"), 1_235_496),
    (lambda: torch_densenet(121), 7_978_856), (lambda: torch_densenet(161), 28_681_000),
    (lambda: torch_densenet(169), 14_149_480), (lambda: torch_densenet(201), 20_013_928),
]


@pytest.mark.parametrize("build,total", TORCH_PUBLISHED)
def test_torch_builds_have_the_published_totals(build, total):
    assert sum(p.numel() for p in build().parameters()) == total


#: rows that torchvision's forward computes with functions, not modules
TAIL = ("adaptive_avg_pool2d", "flatten")


@pytest.mark.parametrize("size", [224, 160])
def test_mobilenet_v2_vs_torch(size):
    m = zoo.mobilenet_v2(input_size=size)
    check_against_torch(m, torch_mobilenet_v2(), functional=TAIL, names=True)
    # ten inverted residuals keep their shape and add their input back
    assert sum(1 for r in m.rows() if r.type == "Add") == 10


@pytest.mark.parametrize("version", ["1_0", "1_1"])
@pytest.mark.parametrize("size", [224, 111])
def test_squeezenet_vs_torch(version, size):
    check_against_torch(zoo.squeezenet(version, input_size=size), torch_squeezenet(version),
                        functional=("flatten",), names=True)


@pytest.mark.parametrize("depth", [121, 161, 169, 201])
def test_densenet_vs_torch(depth):
    check_against_torch(zoo.densenet(depth), torch_densenet(depth), functional=("relu", *TAIL), names=True)


def test_densenet_layers_read_every_earlier_tensor():
    m = zoo.densenet(121)
    cat = m.row("features.denseblock1.denselayer6.cat")
    assert cat.inputs == ("features.pool0", *(f"features.denseblock1.denselayer{i}.conv2" for i in range(1, 6)))
    assert cat.out_shape == (64 + 5 * 32, 56, 56)
    assert len(m.row("features.denseblock4.cat").inputs) == 17


@pytest.mark.parametrize("size", [224, 100])
def test_nin_vs_torch(size):
    check_against_torch(zoo.nin(input_size=size), torch_nin(), names=True)


def test_nin_three_channels_vs_torch():
    check_against_torch(zoo.nin(in_channels=3, num_classes=100), torch_nin(3, 100))


UNET_CROPS = tuple(f"crop{i}" for i in range(1, 5))


def test_unet_valid_vs_torch():
    m = zoo.unet()
    check_against_torch(m, torch_unet(), functional=UNET_CROPS, names=True)
    assert (m.input_shape, m.output_shape) == ((1, 572, 572), (2, 388, 388))
    # the paper's Figure 1: 568 → 392 at the top join, 64 → 56 at the deepest
    assert m.row("crop4").in_shape == (64, 568, 568) and m.row("crop4").out_shape == (64, 392, 392)
    assert m.row("crop1").in_shape == (512, 64, 64) and m.row("crop1").out_shape == (512, 56, 56)
    assert m.row("cat1").inputs == ("crop1", "up1")


@pytest.mark.parametrize("size", [512, 256, 64])
def test_unet_padded_vs_torch(size):
    m = zoo.unet(padded=True, input_size=size)
    check_against_torch(m, torch_unet(padding=1), names=True)
    assert m.output_shape == (2, size, size)
    assert m.total_params == zoo.unet().total_params
    assert not any(r.type == "CenterCrop2d" for r in m.rows())  # the skips join as they are


def test_unet_padded_needs_a_multiple_of_16():
    with pytest.raises(ShapeError, match="divisible by 16"):
        zoo.unet(padded=True, input_size=572)
    # torch's build runs, but the crops cut the odd maps and the output is no longer the input's size
    assert torch_unet(padding=1)(torch.zeros(1, 1, 72, 72, device=META)).shape[2:] == (64, 64)


def test_dcgan_vs_torch_cpu():
    g, d = zoo.dcgan_generator(), zoo.dcgan_discriminator()
    check_against_torch(g, torch_dcgan("generator", "cpu").eval(), device="cpu", names=True)
    check_against_torch(d, torch_dcgan("discriminator", "cpu").eval(), device="cpu", names=True)
    assert (g.input_shape, g.output_shape) == ((100, 1, 1), (3, 64, 64))
    assert [r.out_shape[1] for r in g.rows() if r.type == "ConvTranspose2d"] == [4, 8, 16, 32, 64]
    assert d.output_shape == (1, 1, 1)


# ------------------------------------------------------------------- Keras


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
