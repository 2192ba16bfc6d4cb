"""cnnlib.from_torch and cnnlib.from_keras against torch and Keras themselves.

* The whole zoo built in torch (tests/oracle/torch_zoo.py, never from cnnlib) → from_torch →
  the zoo model: totals, buffers, output shape and every row (type, shape, parameters,
  buffers); where the torch build mirrors torchvision's module names, the names too.
* Architectures written the way people write them (nn.Module with a forward: functional
  calls, ``+=``, ``view``, a module called twice) → from_torch agrees with torch on the
  totals, buffers and output shape, and layer by layer (every leaf module, in order).
* Keras models, Sequential and functional → from_keras agrees with Keras' trainable count,
  its count_params (plus the BatchNorm moving statistics, see the converter's docstring),
  its output shape and every layer's.
* Hostile cases: an unsupported module, function or Keras layer, a forward fx cannot trace,
  a parameter read in forward, an input torch refuses → ShapeError naming it.
"""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
import torch_zoo as T
from torch import nn

import cnnlib
from cnnlib import ShapeError, from_keras, from_torch, zoo

torch.set_num_threads(1)


def materialised(module, shape):
    """Lazy modules (LazyLinear in the AlexNet and VGG references) take their size from one run."""
    with torch.no_grad():
        module(torch.zeros(1, *shape, device=next(module.parameters()).device))
    return module


def row_facts(model):
    return [(r.type, r.out_shape, r.params, r.buffers, bool(r.shares)) for r in model.rows()]


ZOO = [
    ("alexnet", zoo.alexnet, lambda: T.torch_alexnet("single"), False),
    ("alexnet_torchvision", lambda: zoo.alexnet("torchvision"), lambda: T.torch_alexnet("torchvision"), False),
    ("alexnet_two_tower", lambda: zoo.alexnet("two_tower"), lambda: T.torch_alexnet("two_tower"), False),
    *[(f"vgg{d}{'_bn' if bn else ''}", lambda d=d, bn=bn: zoo.vgg(d, batch_norm=bn),
       lambda d=d, bn=bn: T.torch_vgg(d, bn), False) for d in (11, 16, 19) for bn in (False, True)],
    ("lenet5", zoo.lenet5, T.torch_lenet5, False),
    ("face_net", zoo.face_net, lambda: T.torch_face_net(10), False),
    ("googlenet", zoo.googlenet, T.torch_googlenet, False),
    *[(f"resnet{d}", lambda d=d: zoo.resnet(d), lambda d=d: T.torch_resnet(d), False)
      for d in (18, 34, 50, 101, 152)],
    ("nin", zoo.nin, T.torch_nin, True),
    *[(f"densenet{d}", lambda d=d: zoo.densenet(d), lambda d=d: T.torch_densenet(d), True) for d in (121, 201)],
    ("mobilenet_v1", zoo.mobilenet_v1, T.torch_mobilenet_v1, False),
    ("mobilenet_v2", zoo.mobilenet_v2, T.torch_mobilenet_v2, True),
    ("squeezenet1_0", lambda: zoo.squeezenet("1_0"), lambda: T.torch_squeezenet("1_0"), True),
    ("squeezenet1_1", lambda: zoo.squeezenet("1_1"), lambda: T.torch_squeezenet("1_1"), True),
    ("unet", zoo.unet, T.torch_unet, True),
    ("unet_padded", lambda: zoo.unet(padded=True), lambda: T.torch_unet(padding=1), True),
    ("dcgan_generator", zoo.dcgan_generator, lambda: T.torch_dcgan("generator"), True),
    ("dcgan_discriminator", zoo.dcgan_discriminator, lambda: T.torch_dcgan("discriminator"), True),
]


def test_every_zoo_network_of_the_sources_is_converted():
    """Each network of zoo.MODELS but the Keras examples and the benchmark chain has a torch build here."""
    covered = {name for name, *_ in ZOO} | {"vgg13", "vgg13_bn", "densenet161", "densenet169"}
    left = set(zoo.MODELS) - covered - {"keras_case1", "keras_case2", "keras_case3", "keras_conv1d",
                                        "plain_chain", "alexnet_torchvision"}
    assert left == set()


@pytest.mark.parametrize("name,build,reference,names", ZOO, ids=[z[0] for z in ZOO])
def test_zoo_from_torch_equals_the_zoo(name, build, reference, names):
    want = build()
    ref = materialised(reference(), want.input_shape)
    got = from_torch(ref, want.input_shape)
    assert got.total_params == want.total_params == sum(p.numel() for p in ref.parameters())
    assert got.buffers == want.buffers == sum(b.numel() for b in ref.buffers())
    assert got.output_shape == want.output_shape
    assert row_facts(got) == row_facts(want)
    assert got.macs == want.macs
    rows = want.rows()
    assert isinstance(got, cnnlib.Sequential) == all(r.inputs == (rows[i].name,) for i, r in enumerate(rows[1:]))
    if names:  # rows of torch modules carry the zoo's names, which mirror torchvision's
        modules = dict(ref.named_modules())
        pairs = [(g.name, w.name) for g, w in zip(got.rows(), want.rows()) if g.name in modules]
        assert pairs and all(g == w for g, w in pairs)


def test_small_nets_and_keras_case1_from_torch_cpu():
    ref = T.seq(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                nn.Flatten(), nn.Linear(800, 128), nn.ReLU(), nn.Linear(128, 10), nn.Softmax(-1))
    got = from_torch(ref, (1, 28, 28))
    assert isinstance(got, cnnlib.Sequential)
    assert row_facts(got) == row_facts(zoo.keras_case1())
    assert got.names[:3] == ("0", "1", "2")


# ----------------------------------------------- architectures as people write them


class SEBlock(nn.Module):
    """Squeeze-and-excitation as most repositories write it: view, Linear, view, expand_as."""

    def __init__(self, channels, reduction=16):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Sequential(nn.Linear(channels, channels // reduction, bias=False), nn.ReLU(inplace=True),
                                nn.Linear(channels // reduction, channels, bias=False), nn.Sigmoid())

    def forward(self, x):
        b, c, _, _ = x.size()
        y = self.avg_pool(x).view(b, c)
        y = self.fc(y).view(b, c, 1, 1)
        return x * y.expand_as(x)


class SENet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 64, 3, padding=1)
        self.se = SEBlock(64)
        self.gate = nn.Conv2d(64, 64, 1)

    def forward(self, x):
        x = F.relu(self.conv(x))
        x = self.se(x)
        s = torch.sigmoid(x.mean((2, 3), keepdim=True))  # a second, functional gate
        return self.gate(x * s)


class BasicBlock(nn.Module):
    """torchvision's BasicBlock: one ReLU module called twice, ``out += identity``."""

    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        return self.relu(out)


class Bottleneck(nn.Module):
    """torchvision's Bottleneck (v1.5), ``torch.add`` and ``F.relu`` for variety."""

    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes * 4, 1, stride, bias=False),
                                        nn.BatchNorm2d(planes * 4))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return F.relu(torch.add(out, self.downsample(x)))


class InceptionBlock(nn.Module):
    """An Inception module with F.max_pool2d in a branch and torch.cat."""

    def __init__(self, cin):
        super().__init__()
        self.b1 = nn.Conv2d(cin, 64, 1)
        self.b2 = nn.Sequential(nn.Conv2d(cin, 96, 1), nn.ReLU(), nn.Conv2d(96, 128, 3, padding=1))
        self.b3 = nn.Sequential(nn.Conv2d(cin, 16, 1), nn.ReLU(), nn.Conv2d(16, 32, 5, padding=2))
        self.b4 = nn.Conv2d(cin, 32, 1)

    def forward(self, x):
        branches = [self.b1(x), self.b2(x), self.b3(x), self.b4(F.max_pool2d(x, 3, stride=1, padding=1))]
        return F.relu(torch.cat(branches, dim=1))


class DepthwiseSeparable(nn.Module):
    """MobileNet v1's stack: depthwise 3×3 (groups = channels) + BN + ReLU, pointwise 1×1 + BN + ReLU."""

    def __init__(self):
        super().__init__()
        layers, c = [nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(inplace=True)], 32
        for out, s in ((64, 1), (128, 2), (128, 1), (256, 2)):
            layers += [nn.Conv2d(c, c, 3, s, 1, groups=c, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True),
                       nn.Conv2d(c, out, 1, bias=False), nn.BatchNorm2d(out), nn.ReLU(inplace=True)]
            c = out
        self.model = nn.Sequential(*layers)
        self.fc = nn.Linear(256, 10)

    def forward(self, x):
        x = self.model(x)
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


class AudioCNN(nn.Module):
    """A 1-D audio classifier (M5-style): Conv1d/BatchNorm1d/MaxPool1d, global mean over time."""

    def __init__(self, n_input=1, n_output=35, stride=16, n_channel=32):
        super().__init__()
        self.conv1 = nn.Conv1d(n_input, n_channel, kernel_size=80, stride=stride)
        self.bn1 = nn.BatchNorm1d(n_channel)
        self.pool1 = nn.MaxPool1d(4)
        self.conv2 = nn.Conv1d(n_channel, n_channel, kernel_size=3)
        self.bn2 = nn.BatchNorm1d(n_channel)
        self.pool2 = nn.MaxPool1d(4)
        self.conv3 = nn.Conv1d(n_channel, 2 * n_channel, kernel_size=3)
        self.bn3 = nn.BatchNorm1d(2 * n_channel)
        self.pool3 = nn.MaxPool1d(4)
        self.fc1 = nn.Linear(2 * n_channel, n_output)

    def forward(self, x):
        x = self.pool1(F.relu(self.bn1(self.conv1(x))))
        x = self.pool2(F.relu(self.bn2(self.conv2(x))))
        x = self.pool3(F.relu(self.bn3(self.conv3(x))))
        x = x.mean(-1)
        return self.fc1(x).softmax(dim=-1)


class LeNetFunctional(nn.Module):
    """The PyTorch 60-minute blitz's Net: F.max_pool2d, x.view(x.size(0), -1), F.relu."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(x.size(0), -1)
        x = F.relu(self.fc1(x))
        return self.fc3(F.relu(self.fc2(x)))


class Siamese(nn.Module):
    """One encoder applied to both halves of the input: the second call shares its weights."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.GroupNorm(4, 16), nn.SiLU())
        self.head = nn.Conv2d(32, 8, 1)

    def forward(self, x):
        a = self.encoder(x)
        b = self.encoder(F.interpolate(F.avg_pool2d(x, 2), scale_factor=2, mode="nearest"))
        return self.head(torch.cat([a, b], 1))


class Decoder(nn.Module):
    """Upsampling decoder: nn.Upsample, F.interpolate (bilinear), F.pad, LayerNorm over (C, H, W)."""

    def __init__(self):
        super().__init__()
        self.up = nn.Upsample(scale_factor=2)
        self.conv = nn.Conv2d(8, 8, 3)
        self.norm = nn.LayerNorm((8, 30, 30))
        self.out = nn.Conv2d(8, 3, 1)

    def forward(self, x):
        x = self.conv(F.pad(self.up(x), (1, 1, 1, 1)))
        x = self.norm(x)
        x = F.interpolate(x, size=(48, 48), mode="bilinear", align_corners=False)
        return torch.tanh(self.out(F.leaky_relu(x, 0.1)))


PEOPLE = [
    ("se_block", SENet, (3, 32, 32)),
    ("inverted_residual", lambda: T.InvertedResidual(32, 32, 1, 6), (32, 28, 28)),
    ("unet_small", lambda: T.UNet(widths=(8, 16, 32)), (1, 76, 76)),
    ("unet_small_padded", lambda: T.UNet(padding=1, widths=(8, 16, 32)), (1, 64, 64)),
    ("dcgan_generator", lambda: T.DCGANGenerator(ngf=8), (100, 1, 1)),
    ("resnet_basic_block", lambda: T.seq(BasicBlock(64, 64), BasicBlock(64, 128, 2)), (64, 32, 32)),
    ("resnet_bottleneck", lambda: Bottleneck(64, 32, 2), (64, 32, 32)),
    ("dense_block", lambda: T.DenseBlock(4, 16, 4, 8), (16, 16, 16)),
    ("inception_block", lambda: InceptionBlock(192), (192, 28, 28)),
    ("depthwise_separable", DepthwiseSeparable, (3, 64, 64)),
    ("audio_cnn_1d", AudioCNN, (1, 8000)),
    ("lenet_functional", LeNetFunctional, (1, 32, 32)),
    ("siamese_shared", Siamese, (3, 16, 16)),
    ("decoder", Decoder, (8, 15, 15)),
]


@pytest.mark.parametrize("name,build,shape", PEOPLE, ids=[p[0] for p in PEOPLE])
def test_from_torch_agrees_with_torch(name, build, shape):
    ref = build().eval()
    got = from_torch(ref, shape)
    with torch.no_grad():
        y = ref(torch.randn(2, *shape))
    assert got.output_shape == tuple(y.shape[1:])
    assert got.total_params == sum(p.numel() for p in ref.parameters())
    assert got.buffers == sum(b.numel() for b in ref.buffers())
    # layer by layer: every leaf module torch runs, in order, is a row with its path as name
    # (a second call is 'path#2', sharing the first's weights)
    modules = dict(ref.named_modules())
    rows = [r for r in got.rows() if r.name.split("#")[0] in modules and r.layer is not None]
    want = T.leaf_records(ref, shape, device="cpu", names=True)
    assert [(r.type, r.out_shape, 0 if r.shares else r.params, r.name.split("#")[0]) for r in rows] == \
        [(t, s, 0 if i and path in [w[3] for w in want[:i]] else p, path) for i, (t, s, p, path) in enumerate(want)]
    assert got.torchinfo_totals()["total_params"] == sum(p.numel() for p in ref.parameters())


def test_from_torch_keeps_the_data_flow():
    se = from_torch(SENet(), (3, 32, 32))
    assert se.row("se.fc.3").out_shape == (64,)
    assert [r.type for r in se.rows() if r.inputs and "se.fc.3" in r.inputs] == ["Reshape"]
    assert sum(r.type == "Multiply" for r in se.rows()) == 2
    block = from_torch(T.seq(BasicBlock(64, 64)), (64, 8, 8))
    add = next(r for r in block.rows() if r.type == "Add")
    assert set(add.inputs) == {"0.bn2", "input"}
    assert block.row("0.relu#2").inputs == (add.name,)
    siamese = from_torch(Siamese(), (3, 16, 16))
    assert siamese.row("encoder.0#2").shares == "encoder.0"
    assert siamese.row("encoder.1#2").shares == "encoder.1"
    lenet = from_torch(LeNetFunctional(), (1, 32, 32))
    assert isinstance(lenet, cnnlib.Sequential) and lenet.row("view").type == "Flatten"
    unet = from_torch(T.UNet(widths=(8, 16, 32)), (1, 76, 76))
    crops = [r for r in unet.rows() if r.type == "CenterCrop2d"]
    assert len(crops) == 2 and all(r.in_shape[1] > r.out_shape[1] for r in crops)
    # the 1-D net pools over time with x.mean(-1)
    audio = from_torch(AudioCNN(), (1, 8000))
    assert audio.row("mean").type == "GlobalAvgPool1d"


# --------------------------------------------------------------------- hostile


class WithPixelShuffle(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 12, 3, padding=1)
        self.shuffle = nn.PixelShuffle(2)

    def forward(self, x):
        return self.shuffle(self.conv(x))


class Dynamic(nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Conv2d(3, 8, 3), nn.Conv2d(3, 8, 5, padding=1)

    def forward(self, x):
        if x.sum() > 0:
            return self.a(x)
        return self.b(x)


class Chunked(nn.Module):
    def forward(self, x):
        a, b = torch.chunk(x, 2, dim=1)
        return a + b


class Scaled(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.scale = nn.Parameter(torch.ones(1, 8, 1, 1))

    def forward(self, x):
        return self.conv(x) * self.scale


def test_unsupported_module_is_named():
    with pytest.raises(ShapeError, match=r"shuffle: torch\.nn\.modules\.pixelshuffle\.PixelShuffle is not supported"):
        from_torch(WithPixelShuffle(), (3, 8, 8))
    with pytest.raises(ShapeError, match=r"rnn: torch\.nn\.modules\.rnn\.LSTM is not supported"):
        from_torch(T.Module([("rnn", nn.LSTM(8, 8))]), (4, 8))


def test_dynamic_control_flow_says_fx_cannot_trace():
    with pytest.raises(ShapeError, match=r"torch\.fx cannot trace .*Dynamic.*control flow"):
        from_torch(Dynamic(), (3, 16, 16))


def test_unsupported_function_and_parameter_reads_are_named():
    with pytest.raises(ShapeError, match=r"^torch\.chunk .*at node 'chunk' is not supported"):
        from_torch(Chunked(), (4, 8, 8))
    with pytest.raises(ShapeError, match=r"reads 'scale'.*cannot count it"):
        from_torch(Scaled(), (3, 8, 8))


def test_torch_refusing_the_input_is_a_shape_error_naming_the_layer():
    ref = T.seq(nn.Conv2d(3, 8, 3), nn.Flatten(), nn.Linear(100, 10))  # 8·6·6 = 288 ≠ 100
    with pytest.raises(ShapeError, match=r"^2: torch refuses this input"):
        from_torch(ref, (3, 8, 8))
    with pytest.raises(ShapeError, match=r"^0: Conv2d"):  # cnnlib's own reason, naming the layer
        from_torch(T.seq(nn.Conv2d(3, 8, 5)), (3, 4, 4))


def test_from_torch_leaves_the_module_untouched():
    ref = T.torch_resnet(18, device="cpu")
    before = {k: v.clone() for k, v in ref.state_dict().items()}
    from_torch(ref, (3, 64, 64))
    assert all(torch.equal(before[k], v) and v.device.type == "cpu" for k, v in ref.state_dict().items())


# ----------------------------------------------------------------------- Keras


def keras_models(keras):
    L = keras.layers
    out = {}
    out["sequential_cnn"] = keras.Sequential([
        keras.Input((28, 28, 1)), L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(2),
        L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(2), L.Flatten(), L.Dense(128, activation="relu"),
        L.Dense(10, activation="softmax")])
    out["sequential_mobile"] = keras.Sequential([
        keras.Input((64, 64, 3)), L.Conv2D(16, 3, strides=2, padding="same", use_bias=False),
        L.BatchNormalization(), L.ReLU(max_value=6, name="relu6"),
        L.DepthwiseConv2D(3, padding="same", depth_multiplier=2), L.BatchNormalization(), L.Activation("relu"),
        L.SeparableConv2D(48, 3, strides=2, padding="same", name="sep"),
        L.LayerNormalization(), L.AveragePooling2D(3, strides=2, padding="same"), L.SpatialDropout2D(0.1),
        L.GlobalMaxPooling2D(keepdims=True), L.Reshape((48,)), L.Dropout(0.2), L.Dense(5)])
    x = keras.Input((32, 32, 16))
    y = L.Conv2D(16, 3, padding="same", use_bias=False)(x)
    y = L.BatchNormalization()(y)
    y = L.ReLU()(y)
    y = L.Conv2D(16, 3, padding="same", use_bias=False)(y)
    y = L.BatchNormalization()(y)
    z = L.Add()([x, y])
    z = L.Activation("relu")(z)
    z = L.GlobalAveragePooling2D()(z)
    out["functional_residual"] = keras.Model(x, L.Dense(10)(z))
    x = keras.Input((28, 28, 192))
    b1 = L.Conv2D(64, 1, activation="relu")(x)
    b2 = L.Conv2D(128, 3, padding="same", activation="relu")(L.Conv2D(96, 1, activation="relu")(x))
    b3 = L.Conv2D(32, 5, padding="same", activation="relu")(L.Conv2D(16, 1, activation="relu")(x))
    b4 = L.Conv2D(32, 1, activation="relu")(L.MaxPooling2D(3, strides=1, padding="same")(x))
    out["functional_inception_concat"] = keras.Model(x, L.Concatenate()([b1, b2, b3, b4]))
    x = keras.Input((8000, 1))
    y = L.Conv1D(32, 80, strides=16)(x)
    y = L.BatchNormalization()(y)
    y = L.LeakyReLU(0.1)(y)
    y = L.MaxPooling1D(4)(y)
    y = L.Conv1D(64, 3, padding="same", activation="elu")(y)
    y = L.ZeroPadding1D((2, 3))(y)
    y = L.UpSampling1D(2)(y)
    y = L.GlobalAveragePooling1D()(y)
    out["functional_audio_1d"] = keras.Model(x, L.Dense(35, activation="softmax")(y))
    x = keras.Input((64, 64, 3))
    e = L.Conv2D(8, 3, padding="same", activation="relu")(x)
    d = L.MaxPooling2D(2)(e)
    d = L.Conv2D(16, 3, padding="valid", activation="relu")(d)
    u = L.Conv2DTranspose(8, 2, strides=2)(d)
    u = L.ZeroPadding2D(((2, 2), (2, 2)))(u)
    c = L.Concatenate(axis=-1)([L.Cropping2D(((0, 0), (0, 0)))(e), u])
    se = L.GlobalAveragePooling2D(keepdims=True)(c)
    se = L.Conv2D(16, 1, activation="sigmoid")(se)
    c = L.Multiply()([c, se])
    c = L.UpSampling2D((2, 2), interpolation="bilinear")(c)
    shared = L.Conv2D(4, 3, padding="same")
    a, b = shared(c), shared(L.PReLU(shared_axes=[1, 2])(c))
    out["functional_unet_shared"] = keras.Model(x, L.Add()([a, b]))
    return out


KERAS_NAMES = ["sequential_cnn", "sequential_mobile", "functional_residual", "functional_inception_concat",
               "functional_audio_1d", "functional_unet_shared"]


def keras_shape(cnnlib_shape):
    """cnnlib's (C, …) → Keras' (…, C)."""
    return tuple(cnnlib_shape[1:]) + tuple(cnnlib_shape[:1])


@pytest.mark.parametrize("name", KERAS_NAMES)
def test_from_keras_agrees_with_keras(keras, name):
    k = keras_models(keras)[name]
    got = from_keras(k)
    trainable = sum(math.prod(w.shape) for w in k.trainable_weights)
    assert got.total_params == trainable
    bn = [r for r in got.rows() if r.type.startswith("BatchNorm")]
    assert k.count_params() == got.total_params + sum(2 * r.out_shape[0] for r in bn)
    assert got.buffers == sum(2 * r.out_shape[0] + 1 for r in bn)
    assert keras_shape(got.output_shape) == tuple(k.outputs[0].shape[1:])
    # every Keras layer: its rows' trainable parameters (a shared layer's second call counts none)
    # and its output shape
    for layer in k.layers:
        rows = [r for r in got.rows() if r.name.split("#")[0].split(".")[0] == layer.name]
        if type(layer).__name__ == "InputLayer":
            continue
        assert rows, layer.name
        assert sum(r.params for r in rows) == sum(math.prod(w.shape) for w in layer.trainable_weights), layer.name
        last = [r for r in rows if "#" not in r.name][-1]
        assert keras_shape(last.out_shape) == tuple(layer.output.shape[1:]), layer.name


def test_from_keras_structure(keras):
    models = keras_models(keras)
    assert isinstance(from_keras(models["sequential_cnn"]), cnnlib.Sequential)
    res = from_keras(models["functional_residual"])
    assert not isinstance(res, cnnlib.Sequential)
    add = next(r for r in res.rows() if r.type == "Add")
    assert "input" in add.inputs
    inc = from_keras(models["functional_inception_concat"])
    assert inc.output_shape == (256, 28, 28)
    mob = from_keras(models["sequential_mobile"])
    assert mob.row("sep.depthwise").layer.groups == 32 and mob.row("sep.pointwise").layer.kernel_size == (1, 1)
    assert mob.row("relu6").type == "ReLU6"
    unet = from_keras(models["functional_unet_shared"])
    second = next(r for r in unet.rows() if r.name.endswith("#2"))
    assert second.shares and second.params == 0


def test_from_keras_unsupported_layer_is_named(keras):
    L = keras.layers
    m = keras.Sequential([keras.Input((10, 4)), L.LSTM(8)])
    with pytest.raises(ShapeError, match=r"lstm: keras\.src\.layers\.rnn\.lstm\.LSTM is not supported"):
        from_keras(m)
    m = keras.Sequential([keras.Input((10, 4)), L.Conv1D(8, 3, padding="causal")])
    with pytest.raises(ShapeError, match="causal"):
        from_keras(m)
    m = keras.Sequential([keras.Input((8, 8, 4)), L.Dense(3)])
    with pytest.raises(ShapeError, match="Dense on"):
        from_keras(m)
