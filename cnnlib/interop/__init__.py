"""Converters from PyTorch and Keras models to cnnlib models: :func:`from_torch`, :func:`from_keras`.

Not part of the standard-library core's rule: these modules may import torch and keras — but
only inside the converter functions, so that ``import cnnlib`` imports neither (the book's
pages run the core where neither exists).  Every count of a converted model comes from
cnnlib's own layers: a converter only reads a module's hyper-parameters (kernel, stride,
channels …) and writes the matching cnnlib layer, never a parameter count.
"""

from .keras_graph import from_keras
from .torch_fx import from_torch

__all__ = ["from_keras", "from_torch"]
