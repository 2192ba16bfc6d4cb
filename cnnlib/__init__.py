"""cnnlib — count what a convolutional network computes, without running it.

Output sizes, parameters, multiply–accumulates and activation memory, computed
analytically from layer descriptions and checked against PyTorch 2.13.

This package is the standard-library **core**: sizes, layers, models, receptive fields,
the reference networks, tables, the SVG diagram, the calculators behind the book's sliders,
exercises, reading a model from PyTorch/Keras code (:func:`parse_model`, never run) and the
command line — everything the book's pages can run in the browser.
:func:`from_torch` and :func:`from_keras` (:mod:`cnnlib.interop`) convert live PyTorch and
Keras models; they import torch and keras when called, never when cnnlib is imported.  What
needs pandas, matplotlib or ipywidgets lives in :mod:`cnnlib.book`, which imports the core
(never the reverse).

>>> import cnnlib
>>> cnnlib.conv_output_size(227, 11, stride=4)
55
>>> cnnlib.Conv2d(96, 11, stride=4).output_shape((3, 227, 227))
(96, 55, 55)
"""

from . import zoo
from .arithmetic import (
    conv_formula,
    conv_output_size,
    effective_kernel,
    pool_formula,
    pool_output_size,
    same_padding,
)
from .blocks import Concat, Residual
from .errors import ShapeError
from .graph import Input, Tensor
from .interop import from_keras, from_torch
from .layers import *
from .layers import LAYERS, Facts, Layer, RFStep, shape_str
from .memory import Memory
from .model import LayerRow, Model, Sequential
from .parse import ParsedModel, parse_model, parse_result
from .receptive import RFRow, receptive_field
from .shapes import COLUMNS, ORDERS, shape_text
from .upsampling import conv_transpose_formula, conv_transpose_output_size

__version__ = "0.2.0"

__all__ = [
    "COLUMNS",
    "ELU",
    "GELU",
    "LAYERS",
    "ORDERS",
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
    "Concat",
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
    "Input",
    "Layer",
    "LayerNorm",
    "LayerRow",
    "LeakyReLU",
    "LocalResponseNorm",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
    "Memory",
    "Model",
    "Multiply",
    "PReLU",
    "ParsedModel",
    "RFRow",
    "RFStep",
    "ReLU",
    "ReLU6",
    "Reshape",
    "Residual",
    "Sequential",
    "ShapeError",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Subsample2d",
    "TableConv2d",
    "Tanh",
    "Tensor",
    "Upsample",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
    "conv_formula",
    "conv_output_size",
    "conv_transpose_formula",
    "conv_transpose_output_size",
    "effective_kernel",
    "from_keras",
    "from_torch",
    "parse_model",
    "parse_result",
    "pool_formula",
    "pool_output_size",
    "receptive_field",
    "same_padding",
    "shape_str",
    "shape_text",
    "zoo",
]
