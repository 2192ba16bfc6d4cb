"""Layers: small frozen dataclasses that know every fact of themselves (see :mod:`.base`).

One module per family: convolution, transposed convolution, pooling, resizing (upsampling,
padding, cropping), dense, normalisation, element-wise, merges — and the historic layers of
LeNet-5 (trainable subsampling, a convolution through a connection table, RBF output units).
"""

from ..facts import GLOBAL, IRREGULAR, POINTWISE, Facts, RFStep, shape_str
from .base import Layer, fast_init
from .conv import Conv1d, Conv2d, Conv3d
from .dense import Dense, Flatten, Reshape
from .elementwise import (
    ELU,
    GELU,
    Dropout,
    Hardsigmoid,
    Hardswish,
    Identity,
    LeakyReLU,
    PReLU,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Tanh,
)
from .historic import EuclideanRBF, Subsample2d, TableConv2d
from .merge import Add, Concatenate, Multiply
from .norm import (
    BatchNorm1d,
    BatchNorm2d,
    BatchNorm3d,
    ChannelLayerNorm,
    GroupNorm,
    LayerNorm,
    LocalResponseNorm,
)
from .pool import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    AvgPool2d,
    AvgPool3d,
    GlobalAvgPool1d,
    GlobalAvgPool2d,
    GlobalMaxPool1d,
    GlobalMaxPool2d,
    MaxPool1d,
    MaxPool2d,
    MaxPool3d,
)
from .resize import CenterCrop2d, Crop2d, Upsample, ZeroPad1d, ZeroPad2d, ZeroPad3d
from .transpose import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d

#: every layer class, by name (what the parsers and converters look up)
LAYERS = {cls.__name__: cls for cls in (
    AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, Add, AvgPool1d, AvgPool2d,
    AvgPool3d, BatchNorm1d, BatchNorm2d, BatchNorm3d, CenterCrop2d, ChannelLayerNorm, Concatenate, Conv1d,
    Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, Crop2d, Dense, Dropout, ELU, EuclideanRBF,
    Flatten, GELU,
    GlobalAvgPool1d, GlobalAvgPool2d, GlobalMaxPool1d, GlobalMaxPool2d, GroupNorm, Hardsigmoid, Hardswish,
    Identity, LayerNorm, LeakyReLU, LocalResponseNorm, MaxPool1d, MaxPool2d, MaxPool3d, Multiply, PReLU,
    ReLU, ReLU6, Reshape, SiLU, Sigmoid, Softmax, Subsample2d, TableConv2d, Tanh, Upsample, ZeroPad1d,
    ZeroPad2d, ZeroPad3d)}

for _cls in LAYERS.values():  # see base.fast_init: the hot path of making a model
    fast_init(_cls)

__all__ = [
    "ELU",
    "GELU",
    "GLOBAL",
    "IRREGULAR",
    "LAYERS",
    "POINTWISE",
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "Add",
    "AvgPool1d",
    "AvgPool2d",
    "AvgPool3d",
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    "CenterCrop2d",
    "ChannelLayerNorm",
    "Concatenate",
    "Conv1d",
    "Conv2d",
    "Conv3d",
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    "Crop2d",
    "Dense",
    "Dropout",
    "EuclideanRBF",
    "Facts",
    "Flatten",
    "GlobalAvgPool1d",
    "GlobalAvgPool2d",
    "GlobalMaxPool1d",
    "GlobalMaxPool2d",
    "GroupNorm",
    "Hardsigmoid",
    "Hardswish",
    "Identity",
    "Layer",
    "LayerNorm",
    "LeakyReLU",
    "LocalResponseNorm",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
    "Multiply",
    "PReLU",
    "RFStep",
    "ReLU",
    "ReLU6",
    "Reshape",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Subsample2d",
    "TableConv2d",
    "Tanh",
    "Upsample",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
    "shape_str",
]
