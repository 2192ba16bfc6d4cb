"""The receptive-field rules of the chapter "Receptive fields", with torch's gradients as the truth.

A unit depends on exactly the input positions where its gradient is nonzero once every weight
is positive, every bias 0 and the input all ones (max pooling swapped for average pooling over
the same windows, as in test_receptive_torch.py).  With every weight exactly 1 and no
nonlinearity, the gradient at an input position is the number of chains of taps that lead from
it to the unit — what ``field_positions`` counts and the effective field is measured on.
"""

from __future__ import annotations

import random

import pytest
import torch
from torch import nn

from cnnlib import (
    Add,
    Concatenate,
    Conv1d,
    Input,
    MaxPool1d,
    Model,
    Sequential,
    ShapeError,
    receptive_field,
    zoo,
)
from cnnlib.receptive import field_positions

SEED = 20261127


def torch_layer(layer):
    """The torch module of a 1-D cnnlib layer, from its hyper-parameters (max → average pooling)."""
    one = lambda v: v[0] if isinstance(v, tuple) else v
    if isinstance(layer, Conv1d):
        m = nn.Conv1d(1, 1, one(layer.kernel_size), stride=one(layer.stride), padding=one(layer.padding),
                      dilation=one(layer.dilation), bias=False)
        with torch.no_grad():
            m.weight.fill_(1.0)
        return m
    k = one(layer.kernel_size)
    s = one(layer.stride) if layer.stride is not None else k
    return nn.AvgPool1d(k, stride=s, padding=one(layer.padding), count_include_pad=True)


def random_layers(rng, n, max_layers=5, pools=True):
    layers, size = [], n
    for _ in range(rng.randint(1, max_layers)):
        if not pools or rng.random() < 0.7:
            k, s, d = rng.randint(1, 5), rng.randint(1, 3), rng.randint(1, 3)
            p = rng.randint(0, (d * (k - 1)) // 2)
            layer = Conv1d(1, k, stride=s, padding=p, dilation=d)
        else:
            k = rng.randint(1, 4)
            layer = MaxPool1d(k, stride=rng.randint(1, k), padding=rng.randint(0, k // 2))
        try:
            size = layer.output_shape((1, size))[1]
        except ShapeError:
            break
        if size < 3:
            break
        layers.append(layer)
    return layers


def gradient(modules, n, unit, dtype=torch.float64):
    """d(output[unit]) / d(input) for a chain of torch modules on an all-ones n-long input."""
    x = torch.ones(1, 1, n, dtype=dtype, requires_grad=True)
    y = x
    for m in modules:
        y = m.to(dtype)(y)
    y[0, 0, unit].backward()
    return x.grad[0, 0]


def cases(count, pools=True):
    rng = random.Random(SEED)
    made = 0
    while made < count:
        layers = random_layers(rng, rng.randint(12, 60), pools=pools)
        if not layers:
            continue
        made += 1
        yield layers


@pytest.mark.parametrize("batch", range(4))
def test_r_is_the_extent_of_the_nonzero_gradient(batch):
    """r ← r + (k − 1)·d·j, j ← j·s: the extent of the gradient of the centre unit, on an
    input padded wide enough that the field never reaches the border."""
    for layers in list(cases(400))[batch * 100:(batch + 1) * 100]:
        last = receptive_field(Sequential((1, 1000), layers))[-1]
        model = Sequential((1, 1000), layers)
        size = model.output_shape[1]
        g = gradient([torch_layer(x) for x in layers], 1000, size // 2)
        idx = g.nonzero().flatten()
        assert 0 < int(idx.min()) and int(idx.max()) < 999
        # the extent of what is read; r also counts the cells inside it that dilation skips
        assert int(idx.max() - idx.min()) + 1 == last.size
        assert (int(idx.max()) + int(idx.min())) / 2 == last.start + (size // 2) * last.jump


def test_the_paths_to_a_unit_are_its_gradient_when_every_weight_is_1():
    """field_positions counts, per input position, the chains of taps to the unit: exactly the
    gradient of a linear chain of convolutions whose weights are all 1."""
    for layers in cases(200, pools=False):
        model = Sequential((1, 600), layers)
        size = model.output_shape[1]
        g = gradient([torch_layer(x) for x in layers], 600, size // 2)
        paths = field_positions(model, unit=size // 2)["input"]
        inside = {p: c for p, c in paths.items() if 0 <= p < 600}
        assert inside == {int(i): int(g[i]) for i in g.nonzero().flatten()}


def test_a_merge_sees_the_union_of_its_paths_measured():
    """Two branches merged by a concatenation or a sum: the measured field is the union of the
    branches' fields, as cnnlib computes it (also where it is wider than either branch)."""
    rng = random.Random(SEED + 1)
    big = 1000  # wide enough that no field reaches the border
    checked = wider = 0
    while checked < 200:
        n = rng.randint(20, 60)
        a, b = random_layers(rng, n, 4), random_layers(rng, n, 4)
        if not a or not b:
            continue
        x = Input((1, big))
        ya, yb = x, x
        for layer in a:
            ya = layer(ya)
        for layer in b:
            yb = layer(yb)
        if ya.shape != yb.shape:
            continue
        merged = Model(x, (Concatenate() if checked % 2 else Add())(ya, yb))
        last = receptive_field(merged)[-1]
        if "jumps differ" in last.note:  # no one field for every unit (documented)
            continue
        size = merged.output_shape[1]
        ga = gradient([torch_layer(x) for x in a], big, size // 2)
        gb = gradient([torch_layer(x) for x in b], big, size // 2)
        idx = ((ga != 0) | (gb != 0)).nonzero().flatten()
        assert 0 < int(idx.min()) and int(idx.max()) < big - 1
        assert int(idx.max() - idx.min()) + 1 == last.size
        alone = max(receptive_field(Sequential((1, big), c))[-1].size for c in (a, b))
        wider += last.size > alone
        checked += 1
    assert wider > 0


# ------------------------------------------------------------------ MobileNet (v1) in torch


def torch_mobilenet_v1(alpha=1.0, num_classes=1000):
    """(trunk, head) of tests/oracle/torch_zoo.py's MobileNet: the layers up to the last
    ReLU6 and the global pool with the classifier (built on the CPU, for the gradient)."""
    from torch_zoo import torch_mobilenet_v1 as build

    net = build(alpha, num_classes, device=torch.get_default_device())
    return nn.Sequential(*net[:-4]), nn.Sequential(*net[-4:])


@pytest.mark.parametrize("alpha", [0.25, 0.5, 0.75, 1.0])
def test_mobilenet_v1_parameters_match_torch(alpha):
    with torch.device("meta"):
        trunk, head = torch_mobilenet_v1(alpha)
    total = sum(p.numel() for p in trunk.parameters()) + sum(p.numel() for p in head.parameters())
    assert zoo.mobilenet_v1(alpha).total_params == total


def test_mobilenet_v1_receptive_field_matches_a_gradient_measurement():
    from test_receptive_torch import measured_field

    model = zoo.mobilenet_v1(input_size=512)
    size = {r.name: r for r in receptive_field(model)}["conv_pw_13_relu"].size
    trunk, _ = torch_mobilenet_v1()
    # ReLU6 would clip the growing activations to a zero gradient: the identity instead
    trunk = nn.Sequential(*[nn.Identity() if isinstance(m, nn.ReLU6) else m for m in trunk])
    assert measured_field(trunk, (3, 512, 512)) == (size, size)
    at_224 = {r.name: r for r in receptive_field(zoo.mobilenet_v1())}["conv_pw_13_relu"].size
    assert size == at_224  # the field does not depend on the input size


@pytest.mark.parametrize("alpha", [0.25, 0.5, 0.75, 1.0])
def test_mobilenet_v1_matches_keras(keras, alpha):
    """Keras's MobileNet(alpha): its trainable parameters, and the MACs of its layer graph."""
    from cnnlib import from_keras

    m = keras.applications.MobileNet(input_shape=(224, 224, 3), alpha=alpha, weights=None)
    trainable = sum(int(w.numpy().size) for w in m.trainable_weights)
    ours = zoo.mobilenet_v1(alpha)
    assert ours.total_params == trainable
    assert from_keras(m).macs == ours.macs
