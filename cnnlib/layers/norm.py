"""Normalisation layers: batch, group and layer normalisation, AlexNet's local response normalisation.

Each makes a new tensor (kept for backward).  For receptive fields they count as point-wise:
the statistics a group or layer norm takes over a whole map are not counted as reading it,
as receptive-field analyses do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..errors import ShapeError
from ..facts import POINTWISE, Facts, new_facts
from .base import Layer, _pos

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "ChannelLayerNorm", "GroupNorm", "LayerNorm",
           "LocalResponseNorm"]


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
        return new_facts(Facts, (shape, c if self.affine else 0, c if self.affine else 0,
                     2 * c + 1 if self.track_running_stats else 0, 0, 0, True, None, POINTWISE))


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
class BatchNorm3d(_BatchNorm):
    """Batch normalisation over (C, D, H, W): 2·C parameters."""

    ndims: ClassVar[tuple] = (4,)
    spatial: ClassVar[int] = 3


@dataclass(frozen=True, repr=False)
class GroupNorm(Layer):
    """Group normalisation (torch.nn.GroupNorm without its num_channels, which the input gives):
    the C channels in ``num_groups`` groups; γ and β per channel → 2·C parameters, no buffers.

    >>> GroupNorm(32).params((256, 14, 14))
    512
    """

    num_groups: int = _pos()
    affine: bool = True
    kind: ClassVar[str] = "bn"

    def __post_init__(self):
        object.__setattr__(self, "num_groups", self._argument("num_groups", self.num_groups, 1))
        if not isinstance(self.affine, bool):
            raise ShapeError(f"GroupNorm: affine must be True or False, got {self.affine!r}")

    def _facts(self, shape) -> Facts:
        if not shape:  # torch takes (N, C) too: a flat input is C channels of one value
            raise self._error(shape, "expects (C, …): the channels first")
        c = shape[0]
        if c % self.num_groups:
            raise self._error(shape, f"channels: {c} channels are not divisible by num_groups "
                                     f"{self.num_groups}; use a number of groups dividing {c}")
        return new_facts(Facts, (shape, c if self.affine else 0, c if self.affine else 0, 0, 0, 0, True, None, POINTWISE))


@dataclass(frozen=True, repr=False)
class LayerNorm(Layer):
    """Layer normalisation over the trailing axes ``normalized_shape`` (torch.nn.LayerNorm; the
    shape is channels first, so LayerNorm((C, H, W)) normalises each whole sample).
    Parameters: γ and β per normalised element, 2·∏normalized_shape (β absent with bias=False).

    >>> LayerNorm((64, 7, 7)).params((64, 7, 7))
    6272
    """

    normalized_shape: object = _pos()
    elementwise_affine: bool = True
    bias: bool = True
    kind: ClassVar[str] = "bn"

    def __post_init__(self):
        from ..arithmetic import check_int
        from ..errors import DimensionProblem

        v = self.normalized_shape
        values = tuple(v) if isinstance(v, (tuple, list)) else (v,)
        try:
            values = tuple(check_int("normalized_shape", x, 1) for x in values)
        except DimensionProblem as e:
            raise ShapeError(f"LayerNorm: {e}") from None
        if not values:
            raise ShapeError("LayerNorm: normalized_shape needs at least one size")
        object.__setattr__(self, "normalized_shape", values)
        for name in ("elementwise_affine", "bias"):
            if not isinstance(getattr(self, name), bool):
                raise ShapeError(f"LayerNorm: {name} must be True or False")

    def _facts(self, shape) -> Facts:
        k = len(self.normalized_shape)
        if tuple(shape[-k:]) != self.normalized_shape or len(shape) < k:
            raise self._error(shape, f"normalized_shape {tuple(self.normalized_shape)} must be the last "
                                     f"{k} size(s) of the input, which are {tuple(shape[-k:])}")
        n = 1
        for x in self.normalized_shape:
            n *= x
        w = n if self.elementwise_affine else 0
        b = n if self.elementwise_affine and self.bias else 0
        return new_facts(Facts, (shape, w, b, 0, 0, 0, True, None, POINTWISE))


@dataclass(frozen=True, repr=False)
class ChannelLayerNorm(Layer):
    """Layer normalisation over the channels at each position: Keras' ``LayerNormalization()``
    (axis −1) on a channels-last map, torchvision's ``LayerNorm2d`` (ConvNeXt), or
    ``nn.LayerNorm(C)`` on the channels-last permutation. Channels first, the channels are
    the *first* axis, which :class:`LayerNorm` (trailing axes) cannot say.
    Parameters: γ and β per channel, 2·C (β absent with bias=False); no buffers.

    >>> ChannelLayerNorm().params((96, 56, 56)), ChannelLayerNorm().output_shape((96, 56, 56))
    (192, (96, 56, 56))
    """

    elementwise_affine: bool = True
    bias: bool = True
    kind: ClassVar[str] = "bn"

    def __post_init__(self):
        for name in ("elementwise_affine", "bias"):
            if not isinstance(getattr(self, name), bool):
                raise ShapeError(f"ChannelLayerNorm: {name} must be True or False")

    def _facts(self, shape) -> Facts:
        if not shape or shape[0] < 1:
            raise self._error(shape, "expects (C, …) with at least one channel")
        c = shape[0]
        w = c if self.elementwise_affine else 0
        b = c if self.elementwise_affine and self.bias else 0
        return Facts(shape, w, b, 0, 0, 0, True, None, POINTWISE)


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
        return new_facts(Facts, (shape, 0, 0, 0, 0, 0, True, None, POINTWISE))
