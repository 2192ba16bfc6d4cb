"""Element-wise layers without parameters: activations and dropout.

Same shape in and out, no parameters, no MACs (cnnlib counts multiply–accumulates of
convolution and dense layers only), and — the convention of the CS231n VGG table that the
book follows — no activation memory of their own: ``ReLU(inplace=True)`` writes into its
input, and dropout's mask is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..errors import ShapeError
from ..facts import POINTWISE, Facts
from .base import Layer

__all__ = ["Dropout", "ReLU", "Softmax"]


@dataclass(frozen=True, repr=False)
class _Elementwise(Layer):
    kind: ClassVar[str] = "act"

    def _facts(self, shape) -> Facts:
        return Facts(shape, 0, 0, 0, 0, 0, False, None, POINTWISE)


@dataclass(frozen=True, repr=False)
class ReLU(_Elementwise):
    """max(0, x) element by element: same shape, no parameters."""


@dataclass(frozen=True, repr=False)
class Softmax(_Elementwise):
    """Softmax over the last axis: same shape, no parameters (each output reads the whole
    axis, so it is not element-wise in what it computes; in what it costs here, it is)."""


@dataclass(frozen=True, repr=False)
class Dropout(_Elementwise):
    """Zeroes elements with probability p while training: same shape, no parameters."""

    p: float = 0.5
    kind: ClassVar[str] = "drop"

    def __post_init__(self):
        if isinstance(self.p, bool) or not isinstance(self.p, (int, float)) or not 0 <= self.p <= 1:
            raise ShapeError(f"Dropout: p must be a probability between 0 and 1, got {self.p!r}")
