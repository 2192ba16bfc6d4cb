"""cnnlib — count what a convolutional network computes, without running it.

Output sizes, parameters, multiply–accumulates and activation memory, computed
analytically from layer descriptions and checked against PyTorch 2.13.

>>> import cnnlib
>>> cnnlib.conv_output_size(227, 11, stride=4)
55
>>> cnnlib.Conv2d(96, 11, stride=4).output_shape((3, 227, 227))
(96, 55, 55)
"""

from .arithmetic import (
    conv_formula,
    conv_output_size,
    effective_kernel,
    pool_formula,
    pool_output_size,
    same_padding,
)
from .errors import ShapeError
from .layers import (
    AdaptiveAvgPool2d,
    AvgPool1d,
    AvgPool2d,
    BatchNorm1d,
    BatchNorm2d,
    Conv1d,
    Conv2d,
    Dense,
    Dropout,
    Flatten,
    GlobalAvgPool2d,
    Layer,
    LocalResponseNorm,
    MaxPool1d,
    MaxPool2d,
    ReLU,
    Softmax,
    shape_str,
)

__version__ = "0.1.0"

__all__ = [
    "AdaptiveAvgPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "BatchNorm1d",
    "BatchNorm2d",
    "Conv1d",
    "Conv2d",
    "Dense",
    "Dropout",
    "Flatten",
    "GlobalAvgPool2d",
    "Layer",
    "LocalResponseNorm",
    "MaxPool1d",
    "MaxPool2d",
    "ReLU",
    "ShapeError",
    "Softmax",
    "conv_formula",
    "conv_output_size",
    "effective_kernel",
    "pool_formula",
    "pool_output_size",
    "same_padding",
    "shape_str",
]

# models, summaries and the zoo (issue 4)
from . import zoo
from .model import COLUMNS, Concat, LayerRow, Memory, Residual, RFRow, Sequential, receptive_field

__all__ += ["COLUMNS", "Concat", "LayerRow", "Memory", "RFRow", "Residual", "Sequential",
            "receptive_field", "zoo"]
