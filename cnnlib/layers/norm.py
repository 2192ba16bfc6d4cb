"""Normalisation layers: batch normalisation and AlexNet's local response normalisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..errors import ShapeError
from ..facts import POINTWISE, Facts
from .base import Layer, _pos

__all__ = ["BatchNorm1d", "BatchNorm2d", "LocalResponseNorm"]


@dataclass(frozen=True, repr=False)
class _BatchNorm(Layer):
    affine: bool = True
    track_running_stats: bool = True
    kind: ClassVar[str] = "bn"
    ndims: ClassVar[tuple] = ()

    def __post_init__(self):
        for name in ("affine", "track_running_stats"):
            if not isinstance(getattr(self, name), bool):
                raise ShapeError(f"{type(self).__name__}: {name} must be True or False, "
                                 f"got {getattr(self, name)!r}")

    def _facts(self, shape) -> Facts:
        if len(shape) not in self.ndims:
            raise self._error(shape, f"expects an input with {' or '.join(map(str, self.ndims))} axes")
        c = shape[0]
        # γ and β per channel; running_mean, running_var (C each) and num_batches_tracked (1)
        return Facts(shape, c if self.affine else 0, c if self.affine else 0,
                     2 * c + 1 if self.track_running_stats else 0, 0, 0, True, None, POINTWISE)


@dataclass(frozen=True, repr=False)
class BatchNorm2d(_BatchNorm):
    """Batch normalisation over (C, H, W): γ and β per channel → 2·C parameters.

    >>> BatchNorm2d().params((64, 224, 224))
    128
    """

    ndims: ClassVar[tuple] = (3,)
    spatial: ClassVar[int] = 2


@dataclass(frozen=True, repr=False)
class BatchNorm1d(_BatchNorm):
    """Batch normalisation over (F,) or (C, L): 2·C parameters."""

    ndims: ClassVar[tuple] = (1, 2)
    spatial: ClassVar[int] = 1


@dataclass(frozen=True, repr=False)
class LocalResponseNorm(Layer):
    """AlexNet's local response normalisation across channels: same shape, no parameters.

    Each output reads `size` neighbouring channels at its own position (pointwise in space);
    its output is a new tensor that the backward pass keeps.
    """

    size: int = _pos(default=5)
    kind: ClassVar[str] = "norm"

    def __post_init__(self):
        object.__setattr__(self, "size", self._argument("size", self.size, 1))

    def _facts(self, shape) -> Facts:
        return Facts(shape, 0, 0, 0, 0, 0, True, None, POINTWISE)
