"""cnnlib models against torch: container totals leaf by leaf, MACs against torch's FLOP counter,
and the exercise generators' answers against torch modules."""

from __future__ import annotations

import math
import os

import pytest
import torch
from torch import nn

import cnnlib
from cnnlib import Concat, Conv2d, Dense, Flatten, Residual, Sequential
from cnnlib import exercises as E

N_TORCH = int(os.environ.get("CNNLIB_EXERCISES", "300"))  # exercises per topic

torch.set_num_threads(1)


def test_container_totals_leaf_only_vs_torch():
    """A nested container counts each leaf once — torch's parameters() agrees."""
    inner = Residual([Conv2d(8, 3, padding=1)])
    m = Sequential((8, 10, 10), [Concat([[inner], [Conv2d(8, 1)]]), Flatten(), Dense(3)])

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b, self.fc = nn.Conv2d(8, 8, 3, padding=1), nn.Conv2d(8, 8, 1), nn.Linear(1600, 3)

        def forward(self, x):
            return self.fc(torch.cat([self.a(x) + x, self.b(x)], 1).flatten(1))

    net = Net()
    assert m.total_params == sum(p.numel() for p in net.parameters())
    assert m.output_shape == tuple(net(torch.zeros(1, 8, 10, 10)).shape[1:])


def test_conv_macs_equal_torch_flops_half():
    """MACs of a conv equal half of torch's FLOP counter (2 FLOPs per MAC, bias excluded)."""
    from torch.utils.flop_counter import FlopCounterMode

    m = Sequential((3, 32, 32), [Conv2d(16, 3, padding=1, bias=False), Flatten(), Dense(10, bias=False)])
    net = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.Flatten(),
                        nn.Linear(16 * 32 * 32, 10, bias=False))
    with FlopCounterMode(display=False) as fc:
        net(torch.zeros(1, 3, 32, 32))
    assert 2 * m.macs == fc.get_total_flops()
    assert m.macs == 16 * 32 * 32 * 27 + math.prod((16, 32, 32)) * 10


@pytest.mark.parametrize("topic", list(E.TOPICS))
def test_generated_answers_agree_with_torch(topic, agreement):

    def module(layer, shape):
        if isinstance(layer, Conv2d):
            return nn.Conv2d(shape[0], layer.out_channels, layer.kernel_size, layer.stride, layer.padding,
                             layer.dilation, layer.groups, layer.bias, device="meta")
        if isinstance(layer, cnnlib.ConvTranspose2d):
            return nn.ConvTranspose2d(shape[0], layer.out_channels, layer.kernel_size, layer.stride, layer.padding,
                                      layer.output_padding, layer.groups, layer.bias, layer.dilation, device="meta")
        if isinstance(layer, (cnnlib.MaxPool2d, cnnlib.AvgPool2d)):
            stride = layer.stride or layer.kernel_size
            if isinstance(layer, cnnlib.MaxPool2d):
                return nn.MaxPool2d(layer.kernel_size, stride, layer.padding, layer.dilation,
                                    ceil_mode=layer.ceil_mode)
            return nn.AvgPool2d(layer.kernel_size, stride, layer.padding, ceil_mode=layer.ceil_mode)
        if isinstance(layer, Flatten):
            return nn.Flatten()
        if isinstance(layer, Dense):
            return nn.Linear(shape[-1], layer.out_features, bias=layer.bias, device="meta")
        raise AssertionError(layer)  # pragma: no cover

    for seed in range(N_TORCH):
        ex = E.generate(topic, 10_000 + seed)
        x = torch.empty((1, *ex.in_shape), device="meta")
        params = 0
        for layer in ex.layers:  # each torch module is sized from torch's own tensor
            m = module(layer, tuple(x.shape[1:]))
            x = m(x)
            params += sum(p.numel() for p in m.parameters())
            if isinstance(layer, Flatten) and "flattened size" in ex.answers:
                assert ex.answers["flattened size"] == x.shape[1], ex.question
        if "output shape" in ex.answers:
            assert ex.answers["output shape"] == tuple(x.shape[1:]), ex.question
        if "parameters" in ex.answers:
            assert ex.answers["parameters"] == params, ex.question
        agreement[f"exercise {topic} vs torch"].update(examples=1, both_ok=1)
