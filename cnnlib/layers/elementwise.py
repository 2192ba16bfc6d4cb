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
from ..facts import POINTWISE, Facts, new_facts
from .base import Layer

__all__ = [
    "ELU",
    "GELU",
    "Dropout",
    "Hardsigmoid",
    "Hardswish",
    "Identity",
    "LeakyReLU",
    "PReLU",
    "ReLU",
    "ReLU6",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Tanh",
]


@dataclass(frozen=True, repr=False)
class _Elementwise(Layer):
    kind: ClassVar[str] = "act"

    def _facts(self, shape) -> Facts:
        return new_facts(Facts, (shape, 0, 0, 0, 0, 0, False, None, POINTWISE))


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
        p = self.p
        if p.__class__ is float and 0 <= p <= 1:  # the common case, in line
            return
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
            raise ShapeError(f"Dropout: p must be a probability between 0 and 1, got {self.p!r}")


@dataclass(frozen=True, repr=False)
class Identity(_Elementwise):
    """Passes its input on unchanged (a placeholder, as torch.nn.Identity)."""

    kind: ClassVar[str] = "identity"


@dataclass(frozen=True, repr=False)
class Sigmoid(_Elementwise):
    """1/(1 + e^−x) element by element."""


@dataclass(frozen=True, repr=False)
class Tanh(_Elementwise):
    """tanh(x) element by element."""


@dataclass(frozen=True, repr=False)
class ReLU6(_Elementwise):
    """min(max(0, x), 6) (MobileNet)."""


@dataclass(frozen=True, repr=False)
class LeakyReLU(_Elementwise):
    """x for x ≥ 0, negative_slope·x below."""

    negative_slope: float = 0.01

    def __post_init__(self):
        if isinstance(self.negative_slope, bool) or not isinstance(self.negative_slope, (int, float)):
            raise ShapeError(f"LeakyReLU: negative_slope must be a number, got {self.negative_slope!r}")


@dataclass(frozen=True, repr=False)
class ELU(_Elementwise):
    """x for x > 0, α·(eˣ − 1) below."""

    alpha: float = 1.0


@dataclass(frozen=True, repr=False)
class GELU(_Elementwise):
    """x·Φ(x) (``approximate='tanh'`` for the tanh form)."""

    approximate: str = "none"

    def __post_init__(self):
        if self.approximate not in ("none", "tanh"):
            raise ShapeError(f"GELU: approximate must be 'none' or 'tanh', got {self.approximate!r}")


@dataclass(frozen=True, repr=False)
class SiLU(_Elementwise):
    """x·σ(x) (swish)."""


@dataclass(frozen=True, repr=False)
class Hardswish(_Elementwise):
    """x·ReLU6(x + 3)/6 (MobileNetV3)."""


@dataclass(frozen=True, repr=False)
class Hardsigmoid(_Elementwise):
    """ReLU6(x + 3)/6."""


@dataclass(frozen=True, repr=False)
class PReLU(Layer):
    """LeakyReLU with a learned slope: ``num_parameters`` slopes, 1 (shared) or one per channel.

    >>> PReLU().params((64, 8, 8)), PReLU(64).params((64, 8, 8))
    (1, 64)
    """

    num_parameters: int = 1
    kind: ClassVar[str] = "act"

    def __post_init__(self):
        object.__setattr__(self, "num_parameters", self._argument("num_parameters", self.num_parameters, 1))

    def _facts(self, shape) -> Facts:
        k = self.num_parameters
        if k != 1 and (len(shape) < 1 or shape[0] != k):
            raise self._error(shape, f"{k} slopes need {k} channels; the input has "
                                     f"{shape[0] if shape else 0} (use 1 or the channel count)")
        return new_facts(Facts, (shape, k, 0, 0, 0, 0, False, None, POINTWISE))
