"""Small networks of the source posts and the benchmark chain."""

from __future__ import annotations

from ..layers import BatchNorm2d, Conv1d, Conv2d, Dense, Flatten, MaxPool2d, ReLU, Softmax
from ..model import Sequential
from ._common import size_arg as _size

__all__ = ["face_net", "keras_case1", "keras_case2", "keras_case3", "keras_conv1d", "plain_chain"]


# -------------------------------------------------------------- small nets


def face_net(n: int = 10, *, bias: bool = False) -> Sequential:
    """The face-recognition net of the source post: input 39×31×1 (H = 39, W = 31), no biases
    unless ``bias=True`` (the post assumes none).

    conv 20 4×4 → pool 2 → conv 40 3×3 → pool 2 → conv 60 3×3 → pool 2 → conv 80 2×2 →
    flatten (2·1·80 = 160) → dense n. Parameters 320 + 7,200 + 21,600 + 19,200 + 160·n
    = 48,320 + 160·n; with biases 48,520 + 161·n.

    >>> face_net(100).total_params, face_net(10, bias=True).total_params
    (64320, 50130)
    """
    _size("n", n)
    b = bool(bias)
    return Sequential((1, 39, 31), [
        ("conv1", Conv2d(20, 4, bias=b)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
        ("conv2", Conv2d(40, 3, bias=b)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)),
        ("conv3", Conv2d(60, 3, bias=b)), ("relu3", ReLU()), ("pool3", MaxPool2d(2)),
        ("conv4", Conv2d(80, 2, bias=b)), ("relu4", ReLU()),
        ("flatten", Flatten()), ("fc1", Dense(n, bias=b)),
    ], name=f"face_net_{n}" + ("_bias" if b else ""))


def keras_case1(n: int = 28, *, second_pool: bool = True, units: int = 128, classes: int = 10,
                filters: int = 32) -> Sequential:
    """Keras example 1 (MNIST), with the knobs chapter 4 turns: Conv2D(filters, 3×3) on n×n×1,
    MaxPool 2, Conv2D(filters, 3×3), [MaxPool 2], Flatten, Dense(units), Dense(classes).

    320 + 9,248 + 102,528 + 1,290 = 113,386 parameters; without the second pool the
    flattened map is 11·11·32 = 3,872 and the total 506,602.

    >>> keras_case1().total_params, keras_case1(second_pool=False).total_params
    (113386, 506602)
    """
    for name, v in (("n", n), ("units", units), ("classes", classes), ("filters", filters)):
        _size(name, v)
    layers = [("conv1", Conv2d(filters, 3)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
              ("conv2", Conv2d(filters, 3)), ("relu2", ReLU())]
    if second_pool:
        layers.append(("pool2", MaxPool2d(2)))
    layers += [("flatten", Flatten()), ("fc1", Dense(units)), ("relu3", ReLU()),
               ("fc2", Dense(classes)), ("softmax", Softmax())]
    return Sequential((1, n, n), layers, name="keras_case1")


def keras_case2() -> Sequential:
    """Keras example 2: Conv2D(1, 3×3) on 10×10×1 → 8×8×1, 3·3·1·1 + 1 = 10 parameters.

    >>> keras_case2().total_params
    10
    """
    return Sequential((1, 10, 10), [("conv1", Conv2d(1, 3))], name="keras_case2")


def keras_case3() -> Sequential:
    """Keras example 3: Conv2D(5, 3×3) then Conv2D(2, 3×3) on 10×10×1: 50 + 92 parameters.

    >>> [r.params for r in keras_case3().rows()[1:]]
    [50, 92]
    """
    return Sequential((1, 10, 10), [("conv1", Conv2d(5, 3)), ("conv2", Conv2d(2, 3))],
                      name="keras_case3")


def keras_conv1d() -> Sequential:
    """Keras example 4: Conv1D(8, 3) then Conv1D(1, 3) on (100, 5) — (5, 100) channels first.

    8·(3·5) + 8 = 128 and 1·(3·8) + 1 = 25 parameters.

    >>> [r.params for r in keras_conv1d().rows()[1:]]
    [128, 25]
    """
    return Sequential((5, 100), [("conv1", Conv1d(8, 3)), ("conv2", Conv1d(1, 3))],
                      name="keras_conv1d")


def plain_chain(n_conv: int = 152, channels: int = 64, input_size: int = 56) -> Sequential:
    """A plain chain of `n_conv` 3×3 convolutions (padding 1) with BN and ReLU, then FC 10.

    For the depth-scaling benchmark: a summary's cost should grow linearly with depth.

    >>> plain_chain(3, channels=8, input_size=8).total_params == 8*9*3 + 2*8*9*8 + 3*2*8 + 8*64*10 + 10
    True
    """
    n_conv = _size("n_conv", n_conv, maximum=10_000)
    layers = []
    for i in range(1, n_conv + 1):
        layers += [(f"conv{i}", Conv2d(channels, 3, padding=1, bias=False)),
                   (f"bn{i}", BatchNorm2d()), (f"relu{i}", ReLU())]
    layers += [("flatten", Flatten()), ("fc", Dense(10))]
    return Sequential((3, input_size, input_size), layers, name=f"plain{n_conv}")


