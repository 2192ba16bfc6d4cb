"""The blocks of the chapter "After VGG" against torch modules built here from the papers'
descriptions: parameters (PyTorch's numel), output shapes and MACs (torch's FLOP counter, which
counts one multiply–accumulate of a convolution or matrix product as 2 FLOPs)."""

from __future__ import annotations

import itertools

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from cnnlib import zoo
from cnnlib.costs import bottleneck_costs, inception_costs, separable_costs


def count(module, in_shape):
    x = torch.zeros(1, *in_shape)
    with FlopCounterMode(display=False) as fc:
        y = module.eval()(x)
    return sum(p.numel() for p in module.parameters()), tuple(y.shape[1:]), fc.get_total_flops() // 2


class Inception(nn.Module):
    """The paper's module: 1×1 | 1×1 → 3×3 | 1×1 → 5×5 | 3×3 max pool → 1×1, with biases."""

    def __init__(self, c, b1, b3r, b3, b5r, b5, pp, reduce=True):
        super().__init__()
        if reduce:
            self.branches = nn.ModuleList([
                nn.Conv2d(c, b1, 1), nn.Sequential(nn.Conv2d(c, b3r, 1), nn.Conv2d(b3r, b3, 3, padding=1)),
                nn.Sequential(nn.Conv2d(c, b5r, 1), nn.Conv2d(b5r, b5, 5, padding=2)),
                nn.Sequential(nn.MaxPool2d(3, 1, 1), nn.Conv2d(c, pp, 1))])
        else:
            self.branches = nn.ModuleList([nn.Conv2d(c, b1, 1), nn.Conv2d(c, b3, 3, padding=1),
                                           nn.Conv2d(c, b5, 5, padding=2), nn.MaxPool2d(3, 1, 1)])

    def forward(self, x):
        return torch.cat([b(x) for b in self.branches], 1)


@pytest.mark.parametrize("name", list(zoo.GOOGLENET_MODULES)[:4])
@pytest.mark.parametrize("reduce", [True, False])
def test_inception_module_matches_torch(name, reduce):
    cfg = zoo.GOOGLENET_MODULES[name]
    c = {"inception3a": 192, "inception3b": 256, "inception4a": 480, "inception4b": 512}[name]
    params, shape, macs = count(Inception(c, *cfg, reduce=reduce), (c, 28, 28))
    ours = inception_costs((c, 28, 28), *cfg, reduce=reduce)
    assert (ours["params"], ours["out_shape"], ours["macs"]) == (params, shape, macs)


@pytest.mark.parametrize("c,m", list(itertools.product((64, 256, 512), (16, 64, 128))))
def test_bottleneck_matches_torch(c, m):
    plain = nn.Conv2d(c, c, 3, padding=1, bias=False)
    bott = nn.Sequential(nn.Conv2d(c, m, 1, bias=False), nn.Conv2d(m, m, 3, padding=1, bias=False),
                         nn.Conv2d(m, c, 1, bias=False))
    ours = bottleneck_costs(c, m, size=14)
    assert (ours["plain"]["params"], ours["plain"]["macs"]) == count(plain, (c, 14, 14))[::2]
    assert (ours["bottleneck"]["params"], ours["bottleneck"]["macs"]) == count(bott, (c, 14, 14))[::2]


@pytest.mark.parametrize("c_in,c_out,k", list(itertools.product((32, 512), (64, 1024), (3, 5))))
def test_separable_matches_torch(c_in, c_out, k):
    std = nn.Conv2d(c_in, c_out, k, padding=k // 2, bias=False)
    sep = nn.Sequential(nn.Conv2d(c_in, c_in, k, padding=k // 2, groups=c_in, bias=False),
                        nn.Conv2d(c_in, c_out, 1, bias=False))
    ours = separable_costs(c_in, c_out, k, size=14)
    assert (ours["standard"]["weights"], ours["standard"]["macs"]) == count(std, (c_in, 14, 14))[::2]
    assert (ours["separable"]["weights"], ours["separable"]["macs"]) == count(sep, (c_in, 14, 14))[::2]


def test_resnet50_bottleneck_block_matches_torch():
    """layer2.1: 1×1 512 → 128, 3×3 128 → 128, 1×1 128 → 512, each with BatchNorm."""
    block = nn.Sequential(nn.Conv2d(512, 128, 1, bias=False), nn.BatchNorm2d(128), nn.ReLU(),
                          nn.Conv2d(128, 128, 3, padding=1, bias=False), nn.BatchNorm2d(128), nn.ReLU(),
                          nn.Conv2d(128, 512, 1, bias=False), nn.BatchNorm2d(512))
    params, shape, macs = count(block, (512, 28, 28))
    rows = [r for r in zoo.resnet(50).rows() if r.name.startswith("layer2.1.")]
    assert sum(r.params for r in rows) == params
    assert sum(r.macs for r in rows) == macs
    assert rows[-1].out_shape == shape


def test_mobilenet_v1_macs_match_torch():
    from test_rules_receptive_torch import torch_mobilenet_v1

    trunk, head = torch_mobilenet_v1(0.5)
    net = nn.Sequential(trunk, head)
    params, shape, macs = count(net, (3, 160, 160))
    m = zoo.mobilenet_v1(0.5, input_size=160)
    assert (m.total_params, m.output_shape, m.macs) == (params, shape, macs)
