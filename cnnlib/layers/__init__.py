"""Layers: small frozen dataclasses that know every fact of themselves (see :mod:`.base`).

One module per family: convolution, pooling, dense, normalisation, element-wise.
"""

from .base import GLOBAL, IRREGULAR, POINTWISE, Facts, Layer, RFStep, shape_str
from .conv import Conv1d, Conv2d
from .dense import Dense, Flatten
from .elementwise import Dropout, ReLU, Softmax
from .norm import BatchNorm1d, BatchNorm2d, LocalResponseNorm
from .pool import AdaptiveAvgPool2d, AvgPool1d, AvgPool2d, GlobalAvgPool2d, MaxPool1d, MaxPool2d

__all__ = [
    "GLOBAL",
    "IRREGULAR",
    "POINTWISE",
    "AdaptiveAvgPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "BatchNorm1d",
    "BatchNorm2d",
    "Conv1d",
    "Conv2d",
    "Dense",
    "Dropout",
    "Facts",
    "Flatten",
    "GlobalAvgPool2d",
    "Layer",
    "LocalResponseNorm",
    "MaxPool1d",
    "MaxPool2d",
    "RFStep",
    "ReLU",
    "Softmax",
    "shape_str",
]
