"""Merges: layers that read two or more tensors (concatenation, addition, multiplication).

By cnnlib's conventions a merge has no parameters and no MACs, and adds no activation
memory of its own (its inputs are counted; an implementation can write branches into one
buffer or add in place).  Addition and multiplication broadcast as PyTorch does: shapes are
aligned from the right and an axis of size 1 stretches — a C×1×1 gate multiplies a C×H×W map
(squeeze-and-excitation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..errors import ShapeError
from ..facts import POINTWISE, Facts, shape_str
from .base import Layer

__all__ = ["Add", "Concatenate", "Multiply", "broadcast"]


def broadcast(shapes) -> tuple | None:
    """PyTorch's broadcast of shapes (aligned from the right, size 1 stretches), or None.

    >>> broadcast([(64, 7, 7), (64, 1, 1)]), broadcast([(64, 7, 7), (32, 7, 7)])
    ((64, 7, 7), None)
    """
    rank = max(len(s) for s in shapes)
    out = []
    for i in range(rank):
        sizes = {s[len(s) - rank + i] for s in shapes if len(s) - rank + i >= 0}
        sizes.discard(1)
        if len(sizes) > 1:
            return None
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)


@dataclass(frozen=True, repr=False)
class _Merge(Layer):
    kind: ClassVar[str] = "merge"
    arity: ClassVar[None] = None

    def _merged(self, shapes) -> tuple:
        raise NotImplementedError

    def _facts(self, shapes) -> Facts:
        if len(shapes) < 2:
            raise ShapeError(f"{self!r} merges two or more tensors, got {len(shapes)}")
        return Facts(self._merged(shapes), 0, 0, 0, 0, 0, False, None, POINTWISE)


@dataclass(frozen=True, repr=False)
class Concatenate(_Merge):
    """Join tensors along an axis — by default the channels (axis 0 of a channels-first shape,
    ``torch.cat(…, dim=1)`` on a batch).  Every other axis must agree.

    >>> Concatenate().output_shape([(64, 28, 28), (128, 28, 28)])
    (192, 28, 28)
    """

    axis: int = 0

    def __post_init__(self):
        if isinstance(self.axis, bool) or not isinstance(self.axis, int):
            raise ShapeError(f"Concatenate: axis must be a whole number, got {self.axis!r}")

    def _merged(self, shapes) -> tuple:
        rank = len(shapes[0])
        if any(len(s) != rank for s in shapes) or not -rank <= self.axis < rank:
            raise ShapeError(f"the inputs must have the same number of axes and an axis {self.axis} "
                             f"to join along, got {', '.join(shape_str(s) for s in shapes)}")
        a = self.axis % rank
        rest = {s[:a] + s[a + 1:] for s in shapes}
        if len(rest) > 1:
            what = "channels" if a == 0 else f"axis {a}"
            raise ShapeError(f"tensors joined along the {what} must agree on every other axis, got "
                             f"{', '.join(shape_str(s) for s in shapes)}")
        s = shapes[0]
        return (*s[:a], sum(x[a] for x in shapes), *s[a + 1:])

    def hyper(self) -> str:
        return "channels" if self.axis == 0 else f"axis {self.axis}"


@dataclass(frozen=True, repr=False)
class Add(_Merge):
    """Element-wise sum (a residual connection): shapes equal, or broadcastable as in PyTorch.

    >>> Add().output_shape([(64, 56, 56), (64, 56, 56)])
    (64, 56, 56)
    """

    def _merged(self, shapes) -> tuple:
        out = broadcast(shapes)
        if out is None:
            raise ShapeError(f"shapes {' and '.join(shape_str(s) for s in shapes)} cannot be added "
                             "element by element (each axis must agree or be 1); project one input "
                             "with a 1×1 convolution or change a stride")
        return out


@dataclass(frozen=True, repr=False)
class Multiply(_Merge):
    """Element-wise product, broadcast as in PyTorch: a C×1×1 gate scales a C×H×W map.

    >>> Multiply().output_shape([(64, 7, 7), (64, 1, 1)])
    (64, 7, 7)
    """

    def _merged(self, shapes) -> tuple:
        out = broadcast(shapes)
        if out is None:
            raise ShapeError(f"shapes {' and '.join(shape_str(s) for s in shapes)} cannot be multiplied "
                             "element by element (each axis must agree or be 1)")
        return out
