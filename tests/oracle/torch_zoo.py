"""Reference networks written in plain torch.nn from the papers and torchvision's layouts — never
from cnnlib — for the zoo, receptive-field and converter tests.

Each builder takes ``device`` (``meta`` by default: shapes without arithmetic, so the big ones
are free).  Where torchvision has a layout, the module names are torchvision's
(``features.denseblock1.denselayer1.conv1``) and so is the forward (functional calls included),
so that a converted model can be compared name by name.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

META = torch.device("meta")

TORCH_TO_CNNLIB = {"Linear": "Dense", "LazyLinear": "Dense"}


def leaf_records(module, in_shape, device=META, names=False):
    """[(type, out_shape, params)] of every leaf module, in execution order (and its path with
    ``names=True``)."""
    records, hooks = [], []
    paths = {id(m): n for n, m in module.named_modules()}

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
            + ((paths[id(m)],) if names else ()) for t, s, m in records]


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


def torch_vgg(depth, batch_norm=False, num_classes=1000, device=META):
    layers, c = [], 3
    with torch.device(device):
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


def torch_googlenet(num_classes=1000, device=META):
    def inception(cin, c1, c3r, c3, c5r, c5, pp):
        return Cat(seq(*basic_conv(cin, c1, 1)),
                   seq(*basic_conv(cin, c3r, 1), *basic_conv(c3r, c3, 3, padding=1)),
                   seq(*basic_conv(cin, c5r, 1), *basic_conv(c5r, c5, 3, padding=1)),
                   seq(nn.MaxPool2d(3, 1, 1, ceil_mode=True), *basic_conv(cin, pp, 1)))

    with torch.device(device):
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


def torch_resnet(depth, num_classes=1000, device=META):
    bottleneck = depth >= 50
    counts = {18: (2, 2, 2, 2), 34: (3, 4, 6, 3), 50: (3, 4, 6, 3), 101: (3, 4, 23, 3),
              152: (3, 8, 36, 3)}[depth]
    exp = 4 if bottleneck else 1
    with torch.device(device):
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




# ----------------------------------------------------------- after VGG


class Module(nn.Module):
    """A chain of modules given as (name, module) pairs, named as given."""

    def __init__(self, pairs=()):
        super().__init__()
        for name, m in pairs:
            self.add_module(name, m)

    def forward(self, x):
        for m in self.children():
            x = m(x)
        return x


def torch_nin(in_channels=1, num_classes=10, device=META):
    """d2l.ai's NiN (PyTorch tab), ``self.net`` as in d2l, explicit in_channels instead of Lazy."""

    def block(cin, cout, k, s, p):
        return seq(nn.Conv2d(cin, cout, k, s, p), nn.ReLU(), nn.Conv2d(cout, cout, 1), nn.ReLU(),
                   nn.Conv2d(cout, cout, 1), nn.ReLU())

    class NiN(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = seq(block(in_channels, 96, 11, 4, 0), nn.MaxPool2d(3, stride=2),
                           block(96, 256, 5, 1, 2), nn.MaxPool2d(3, stride=2),
                           block(256, 384, 3, 1, 1), nn.MaxPool2d(3, stride=2), nn.Dropout(0.5),
                           block(384, num_classes, 3, 1, 1), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten())

        def forward(self, x):
            return self.net(x)

    with torch.device(device):
        return NiN()


class ConvBNReLU6(nn.Sequential):
    """torchvision's Conv2dNormActivation with ReLU6 (MobileNetV2)."""

    def __init__(self, cin, cout, k=3, stride=1, groups=1):
        super().__init__(nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU6(inplace=True))


class InvertedResidual(nn.Module):
    """torchvision's InvertedResidual (expand 1×1, depthwise 3×3, linear 1×1)."""

    def __init__(self, inp, oup, stride, expand_ratio):
        super().__init__()
        hidden = inp * expand_ratio
        self.use_res_connect = stride == 1 and inp == oup
        layers = [ConvBNReLU6(inp, hidden, 1)] if expand_ratio != 1 else []
        layers += [ConvBNReLU6(hidden, hidden, 3, stride, groups=hidden), nn.Conv2d(hidden, oup, 1, bias=False),
                   nn.BatchNorm2d(oup)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        if self.use_res_connect:
            return x + self.conv(x)
        return self.conv(x)


class MobileNetV2(nn.Module):
    """torchvision's MobileNetV2, width 1.0 (the paper's Table 2: t, c, n, s)."""

    def __init__(self, num_classes=1000):
        super().__init__()
        table = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2],
                 [6, 320, 1, 1]]
        features, cin = [ConvBNReLU6(3, 32, stride=2)], 32
        for t, c, n, s in table:
            for i in range(n):
                features.append(InvertedResidual(cin, c, s if i == 0 else 1, t))
                cin = c
        features.append(ConvBNReLU6(cin, 1280, 1))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, num_classes))

    def forward(self, x):
        x = self.features(x)
        x = F.adaptive_avg_pool2d(x, (1, 1))
        x = torch.flatten(x, 1)
        return self.classifier(x)


def torch_mobilenet_v2(num_classes=1000, device=META):
    with torch.device(device):
        return MobileNetV2(num_classes)


class Fire(nn.Module):
    """torchvision's SqueezeNet Fire module."""

    def __init__(self, inplanes, squeeze, e1, e3):
        super().__init__()
        self.squeeze = nn.Conv2d(inplanes, squeeze, 1)
        self.squeeze_activation = nn.ReLU(inplace=True)
        self.expand1x1 = nn.Conv2d(squeeze, e1, 1)
        self.expand1x1_activation = nn.ReLU(inplace=True)
        self.expand3x3 = nn.Conv2d(squeeze, e3, 3, padding=1)
        self.expand3x3_activation = nn.ReLU(inplace=True)

    def forward(self, x):
        x = self.squeeze_activation(self.squeeze(x))
        return torch.cat([self.expand1x1_activation(self.expand1x1(x)),
                          self.expand3x3_activation(self.expand3x3(x))], 1)


class SqueezeNet(nn.Module):
    """torchvision's SqueezeNet 1.0 and 1.1."""

    def __init__(self, version="1_0", num_classes=1000):
        super().__init__()

        def pool():
            return nn.MaxPool2d(3, stride=2, ceil_mode=True)

        if version == "1_0":
            self.features = nn.Sequential(
                nn.Conv2d(3, 96, 7, stride=2), nn.ReLU(inplace=True), pool(),
                Fire(96, 16, 64, 64), Fire(128, 16, 64, 64), Fire(128, 32, 128, 128), pool(),
                Fire(256, 32, 128, 128), Fire(256, 48, 192, 192), Fire(384, 48, 192, 192),
                Fire(384, 64, 256, 256), pool(), Fire(512, 64, 256, 256))
        else:
            self.features = nn.Sequential(
                nn.Conv2d(3, 64, 3, stride=2), nn.ReLU(inplace=True), pool(),
                Fire(64, 16, 64, 64), Fire(128, 16, 64, 64), pool(),
                Fire(128, 32, 128, 128), Fire(256, 32, 128, 128), pool(),
                Fire(256, 48, 192, 192), Fire(384, 48, 192, 192), Fire(384, 64, 256, 256),
                Fire(512, 64, 256, 256))
        self.classifier = nn.Sequential(nn.Dropout(p=0.5), nn.Conv2d(512, num_classes, 1), nn.ReLU(inplace=True),
                                        nn.AdaptiveAvgPool2d((1, 1)))

    def forward(self, x):
        x = self.features(x)
        x = self.classifier(x)
        return torch.flatten(x, 1)


def torch_squeezenet(version="1_0", num_classes=1000, device=META):
    with torch.device(device):
        return SqueezeNet(version, num_classes)


class DenseLayer(nn.Module):
    """torchvision's _DenseLayer (memory_efficient=False, drop_rate 0): reads a list of tensors."""

    def __init__(self, num_input_features, growth_rate, bn_size):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(num_input_features)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(num_input_features, bn_size * growth_rate, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth_rate)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(bn_size * growth_rate, growth_rate, 3, padding=1, bias=False)

    def forward(self, inputs):
        concated = torch.cat(inputs, 1)
        bottleneck = self.conv1(self.relu1(self.norm1(concated)))
        return self.conv2(self.relu2(self.norm2(bottleneck)))


class DenseBlock(nn.ModuleDict):
    def __init__(self, num_layers, num_input_features, bn_size, growth_rate):
        super().__init__()
        for i in range(num_layers):
            self.add_module(f"denselayer{i + 1}", DenseLayer(num_input_features + i * growth_rate, growth_rate,
                                                             bn_size))

    def forward(self, init_features):
        features = [init_features]
        for layer in self.values():
            features.append(layer(features))
        return torch.cat(features, 1)


class Transition(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__()
        self.norm = nn.BatchNorm2d(cin)
        self.relu = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(cin, cout, 1, bias=False)
        self.pool = nn.AvgPool2d(2, stride=2)


class DenseNet(nn.Module):
    """torchvision's DenseNet (growth_rate, block_config, num_init_features, bn_size 4)."""

    def __init__(self, growth_rate=32, block_config=(6, 12, 24, 16), num_init_features=64, num_classes=1000):
        super().__init__()
        self.features = nn.Sequential()
        self.features.add_module("conv0", nn.Conv2d(3, num_init_features, 7, stride=2, padding=3, bias=False))
        self.features.add_module("norm0", nn.BatchNorm2d(num_init_features))
        self.features.add_module("relu0", nn.ReLU(inplace=True))
        self.features.add_module("pool0", nn.MaxPool2d(3, stride=2, padding=1))
        c = num_init_features
        for i, n in enumerate(block_config):
            self.features.add_module(f"denseblock{i + 1}", DenseBlock(n, c, 4, growth_rate))
            c += n * growth_rate
            if i != len(block_config) - 1:
                self.features.add_module(f"transition{i + 1}", Transition(c, c // 2))
                c //= 2
        self.features.add_module("norm5", nn.BatchNorm2d(c))
        self.classifier = nn.Linear(c, num_classes)

    def forward(self, x):
        features = self.features(x)
        out = F.relu(features, inplace=True)
        out = F.adaptive_avg_pool2d(out, (1, 1))
        out = torch.flatten(out, 1)
        return self.classifier(out)


DENSENETS = {121: (32, (6, 12, 24, 16), 64), 161: (48, (6, 12, 36, 24), 96), 169: (32, (6, 12, 32, 32), 64),
             201: (32, (6, 12, 48, 32), 64)}


def torch_densenet(depth=121, num_classes=1000, device=META):
    growth, blocks, init = DENSENETS[depth]
    with torch.device(device):
        return DenseNet(growth, blocks, init, num_classes)


class UNet(nn.Module):
    """U-Net from the paper's Figure 1: valid 3×3 convolutions (or padding 1), 2×2 max pools,
    2×2 up-convolutions halving the channels, skips centre-cropped by slicing and concatenated
    before the upsampled map, a 1×1 head."""

    def __init__(self, in_channels=1, num_classes=2, padding=0, widths=(64, 128, 256, 512, 1024)):
        super().__init__()

        def double(cin, cout):
            return seq(nn.Conv2d(cin, cout, 3, padding=padding), nn.ReLU(inplace=True),
                       nn.Conv2d(cout, cout, 3, padding=padding), nn.ReLU(inplace=True))

        cin = in_channels
        for i, w in enumerate(widths, start=1):
            self.add_module(f"enc{i}", double(cin, w))
            if i < len(widths):
                self.add_module(f"pool{i}", nn.MaxPool2d(2))
            cin = w
        for i, w in enumerate(reversed(widths[:-1]), start=1):
            self.add_module(f"up{i}", nn.ConvTranspose2d(cin, w, 2, stride=2))
            self.add_module(f"dec{i}", double(2 * w, w))
            cin = w
        self.head = nn.Conv2d(cin, num_classes, 1)
        self.levels = len(widths) - 1

    def forward(self, x):
        skips = []
        for i in range(1, self.levels + 1):
            x = getattr(self, f"enc{i}")(x)
            skips.append(x)
            x = getattr(self, f"pool{i}")(x)
        x = getattr(self, f"enc{self.levels + 1}")(x)
        for i in range(1, self.levels + 1):
            x = getattr(self, f"up{i}")(x)
            skip = skips[-i]
            top = (skip.size(2) - x.size(2)) // 2
            left = (skip.size(3) - x.size(3)) // 2
            skip = skip[:, :, top:top + x.size(2), left:left + x.size(3)]
            x = torch.cat([skip, x], 1)
            x = getattr(self, f"dec{i}")(x)
        return self.head(x)


def torch_unet(padding=0, device=META):
    with torch.device(device):
        return UNet(padding=padding)


class DCGANGenerator(nn.Module):
    """The PyTorch DCGAN tutorial's Generator (nz = 100, ngf = 64, nc = 3)."""

    def __init__(self, nz=100, ngf=64, nc=3):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, x):
        return self.main(x)


class DCGANDiscriminator(nn.Module):
    """The PyTorch DCGAN tutorial's Discriminator (ndf = 64, nc = 3)."""

    def __init__(self, ndf=64, nc=3):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 4),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 8),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False), nn.Sigmoid())

    def forward(self, x):
        return self.main(x)


def torch_dcgan(part, device=META):
    with torch.device(device):
        return DCGANGenerator() if part == "generator" else DCGANDiscriminator()


def torch_mobilenet_v1(alpha=1.0, num_classes=1000, device=META):
    """MobileNet (v1) written from the paper's Table 1 (3×3 convolutions padded by 1, BatchNorm,
    ReLU6 as Keras' MobileNet), as one Sequential: the trunk, then the global pool and classifier."""
    def cbr(cin, cout, stride, groups=1, k=3):
        return [nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, groups=groups, bias=False),
                nn.BatchNorm2d(cout), nn.ReLU6()]

    with torch.device(device):
        c = int(32 * alpha)
        layers = cbr(3, c, 2)
        for out, stride in ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1),
                            (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)):
            layers += cbr(c, c, stride, groups=c)
            layers += cbr(c, int(out * alpha), 1, k=1)
            c = int(out * alpha)
        return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.001),
                             nn.Linear(c, num_classes))
