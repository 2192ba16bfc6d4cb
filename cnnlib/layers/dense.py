"""Flatten, Reshape and the dense (fully connected) layer."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from ..arithmetic import _LIMIT
from ..errors import ShapeError
from ..facts import GLOBAL, POINTWISE, Facts, new_facts
from .base import Layer, _pos

__all__ = ["Dense", "Flatten", "Reshape"]


@dataclass(frozen=True, repr=False)
class Flatten(Layer):
    """(C, H, W) → (C·H·W,), as torch.nn.Flatten() on a batch (a view: no new tensor).

    >>> Flatten().output_shape((256, 6, 6))
    (9216,)
    """

    kind: ClassVar[str] = "flatten"

    def _facts(self, shape) -> Facts:
        if not shape:
            raise self._error(shape, "nothing to flatten")
        return new_facts(Facts, ((math.prod(shape),), 0, 0, 0, 0, 0, False, None, POINTWISE))


@dataclass(frozen=True, repr=False)
class Reshape(Layer):
    """The same elements in another shape, channels first without the batch (``x.view(N, C, 1, 1)``
    on a batch, Keras' Reshape): one size may be −1, the rest is inferred. A view: no new tensor,
    no parameters. Its units mix positions, so a receptive field ends here (like Flatten's
    inverse, a squeeze-and-excitation gate's (C,) → (C, 1, 1) follows a global pool anyway).

    >>> Reshape((64, 1, 1)).output_shape((64,)), Reshape((-1, 7, 7)).output_shape((3136,))
    ((64, 1, 1), (64, 7, 7))
    """

    shape: object = _pos()
    kind: ClassVar[str] = "flatten"

    def __post_init__(self):
        v = self.shape
        values = tuple(v) if isinstance(v, (tuple, list)) else (v,)
        if not values or any(isinstance(x, bool) or not isinstance(x, int) or (x < 1 and x != -1)
                             for x in values) or values.count(-1) > 1:
            raise ShapeError(f"Reshape: shape is whole numbers ≥ 1, one of them may be −1; got {v!r}")
        object.__setattr__(self, "shape", values)

    def _facts(self, shape) -> Facts:
        n, known = math.prod(shape), math.prod(x for x in self.shape if x != -1)
        if -1 in self.shape:
            if n % known:
                raise self._error(shape, f"{n} elements do not split into {self.shape}")
            out = tuple(n // known if x == -1 else x for x in self.shape)
        else:
            out = self.shape
        if math.prod(out) != n:
            raise self._error(shape, f"{n} elements cannot take the shape {out} ({math.prod(out)} elements)")
        return Facts(out, 0, 0, 0, 0, 0, False, None, GLOBAL)

    def hyper(self) -> str:
        return "→" + "×".join(map(str, self.shape))


@dataclass(frozen=True, repr=False)
class Dense(Layer):
    """Fully connected layer (torch.nn.Linear, Keras Dense) on the last axis.

    Weights in·out plus out biases; MACs in·out per position. On a flat input (F,)
    that is the usual dense layer; like torch, a multi-axis input keeps its other axes.

    >>> Dense(4096).params((9216,))
    37752832
    """

    out_features: int = _pos()
    bias: bool = True
    kind: ClassVar[str] = "fc"

    def __post_init__(self):
        v = self.__dict__
        n = v["out_features"]
        if n.__class__ is not int or not 0 < n < _LIMIT:  # the common case needs no call
            v["out_features"] = self._argument("out_features", n, 1)
        if v["bias"].__class__ is not bool:
            raise ShapeError(f"Dense: bias must be True or False, got {self.bias!r}")

    def _facts(self, shape) -> Facts:
        out = self.out_features
        if len(shape) == 1:  # the usual flat input (F,), in line
            n = shape[0] * out
            biases = out if self.bias else 0
            return new_facts(Facts, ((out,), n, biases, 0, n, biases, True, None, GLOBAL))
        if not shape:
            raise self._error(shape, "needs at least one axis")
        positions = math.prod(shape[:-1])
        biases = out if self.bias else 0
        return new_facts(Facts, ((*shape[:-1], out), shape[-1] * out, biases, 0, positions * shape[-1] * out,
                     biases * positions, True, None, GLOBAL))

    def hyper(self) -> str:
        return f"{self.out_features} units"
