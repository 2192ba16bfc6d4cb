"""Receptive fields: cnnlib's ``receptive_field`` against a measurement in torch.

The measurement, independent of cnnlib: the torch reference network (tests/oracle/torch_zoo.py)
cut after its last spatial layer, on the CPU in eval mode, every convolution and dense weight
set to the same positive value 1/fan_in (so activations stay near 1) and every bias to 0;
BatchNorm keeps its fresh statistics (mean 0, variance 1, γ 1, β 0). The input is all ones, so
every activation is positive and ReLU passes its gradient everywhere; max pooling, whose
gradient reaches only the maximum of each window, is swapped for average pooling with the same
window (kernel, stride, padding, ceil mode) — the same inputs in reach. The gradient of one
central output unit with respect to the input is then nonzero exactly on the inputs it depends
on: its extent along each axis is the receptive field (summed over the channels, so that a
concatenation's unit counts its widest branch, as cnnlib's maximum over paths), and the input is
made large enough that the field does not touch a border (asserted). MobileNetV2's ReLU6,
which would clip the growing activations to a zero gradient, is replaced by the identity.

After upsampling the field depends on the unit's position: U-Net's output units see 188 or
204 pixels (a period of 16, the four up-convolutions'), and cnnlib's linear model — jumps of
1/2 — says 200, between the two (tested as such).

cnnlib reports None after a layer that sees the whole input — a dense layer or global
pooling (the avgpool, fc and flatten rows of these networks) — so the comparison is at the
final spatial layer, the row before that.
"""

from __future__ import annotations

import pytest
import torch
import torch_zoo as T
from torch import nn

from cnnlib import receptive_field, zoo


def positive(trunk):
    """The trunk with weights 1/fan_in, biases 0, max pools replaced by average pools, eval mode."""
    for name, m in list(trunk.named_modules()):
        for child_name, child in list(m.named_children()):
            if isinstance(child, nn.MaxPool2d):
                setattr(m, child_name, nn.AvgPool2d(child.kernel_size, child.stride, child.padding,
                                                    ceil_mode=child.ceil_mode))
            elif isinstance(child, nn.ReLU6):  # it clips activations above 6 to a zero gradient
                setattr(m, child_name, nn.Identity())
    with torch.no_grad():
        for m in trunk.modules():
            if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
                m.weight.fill_(1.0 / m.weight[0].numel())
                if m.bias is not None:
                    m.bias.zero_()
    for p in trunk.parameters():
        p.requires_grad_(False)
    return trunk.eval()


def measured_field(trunk, in_shape):
    """Extent (rows, columns) of the input pixels one central output unit depends on."""
    x = torch.ones(1, *in_shape, requires_grad=True)
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        y = positive(trunk)(x)
        y[0, :, y.shape[2] // 2, y.shape[3] // 2].sum().backward()
    finally:
        torch.set_num_threads(threads)
    reached = x.grad[0].abs().sum(0) > 0
    extents = []
    for axis in (1, 0):  # rows reached (any column), columns reached (any row)
        idx = reached.any(axis).nonzero().flatten()
        lo, hi = int(idx.min()), int(idx.max())
        assert lo > 0 and hi < in_shape[1 + (axis == 0)] - 1, "the field touches the border: use a larger input"
        extents.append(hi - lo + 1)
    return tuple(extents)


def cnnlib_field(model, row):
    rf = {r.name: r for r in receptive_field(model)}
    return rf[row].size


def squeezenet_trunk(version):
    """SqueezeNet up to its last spatial layer: the features and the classifier's 1×1 conv and ReLU."""
    net = T.torch_squeezenet(version, device="cpu")
    return nn.Sequential(net.features, net.classifier[:3])


CASES = [
    # (id, cnnlib model at the measured size, its final spatial row, torch trunk, input size)
    ("alexnet", lambda n: zoo.alexnet(input_size=n), "pool3", lambda: T.torch_alexnet("single", device="cpu")[:13], 323),
    ("vgg16", lambda n: zoo.vgg(16, input_size=n), "pool5", lambda: T.torch_vgg(16, device="cpu")[:-8], 320),
    ("resnet18", lambda n: zoo.resnet(18, input_size=n), "layer4.1.relu",
     lambda: T.torch_resnet(18, device="cpu")[:-3], 512),
    ("resnet50", lambda n: zoo.resnet(50, input_size=n), "layer4.2.relu",
     lambda: T.torch_resnet(50, device="cpu")[:-3], 512),
    ("googlenet", lambda n: zoo.googlenet(input_size=n), "inception5b.concat",
     lambda: T.torch_googlenet(device="cpu")[:-4], 448),
    ("nin", lambda n: zoo.nin(input_size=n), "net.7.5", lambda: T.torch_nin(device="cpu").net[:8], 323),
    ("squeezenet1_0", lambda n: zoo.squeezenet("1_0", input_size=n), "classifier.2",
     lambda: squeezenet_trunk("1_0"), 288),
    ("squeezenet1_1", lambda n: zoo.squeezenet("1_1", input_size=n), "classifier.2",
     lambda: squeezenet_trunk("1_1"), 320),
    ("mobilenet_v2", lambda n: zoo.mobilenet_v2(input_size=n), "features.18.2",
     lambda: T.torch_mobilenet_v2(device="cpu").features, 576),
]


@pytest.mark.parametrize("name,build,row,trunk,n", CASES, ids=[c[0] for c in CASES])
def test_receptive_field_matches_a_gradient_measurement(name, build, row, trunk, n):
    model = build(n)
    size = cnnlib_field(model, row)
    assert measured_field(trunk(), model.input_shape) == (size, size)


def field_by_position(trunk, in_shape, period=16):
    """Extent (columns) of the field of the outputs on the centre row, over one period of positions."""
    net = positive(trunk)
    x = torch.ones(1, *in_shape, requires_grad=True)
    y = net(x)
    c = y.shape[2] // 2
    sizes = set()
    for o in range(c - period // 2, c + period // 2):
        (g,) = torch.autograd.grad(y[0, :, c, o].sum(), x, retain_graph=True)
        cols = (g[0].abs().sum(0) > 0).any(0).nonzero().flatten()
        assert cols.min() > 0 and cols.max() < in_shape[2] - 1
        sizes.add(int(cols.max() - cols.min() + 1))
    return sizes


@pytest.mark.parametrize("padded,n", [(False, 572), (True, 256)])
def test_unet_field_depends_on_the_position_and_cnnlib_is_between(padded, n):
    """U-Net's field does not depend on its widths: 4 … 64 channels instead of 64 … 1024."""
    model = zoo.unet(padded=padded, input_size=n, base=4)
    sizes = field_by_position(T.UNet(padding=int(padded), widths=(4, 8, 16, 32, 64)), model.input_shape)
    assert sizes == {188, 204}
    assert min(sizes) <= cnnlib_field(model, "head") <= max(sizes)
    assert cnnlib_field(model, "head") == 200


def test_none_after_dense_and_global_pooling():
    """cnnlib has no size where a unit sees the whole input; the note says why."""
    rf = {r.name: r for r in receptive_field(zoo.resnet(18))}
    assert rf["avgpool"].size is None and rf["fc"].size is None and rf["avgpool"].note == "sees the whole input"
    rf = {r.name: r for r in receptive_field(zoo.vgg(16))}
    assert rf["flatten"].size == 212 and rf["fc1"].size is None
