"""Pooling: max and average pooling (PyTorch's rules), adaptive and global average pooling."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ..arithmetic import check_pool_padding, check_pool_same, pool_dim, same_dim
from ..errors import DimensionProblem, ShapeError
from ..facts import GLOBAL, IRREGULAR, Facts, RFStep
from .base import AXES, Layer, _pos, _show, join_problems, window_rf
from .conv import tuple_arg

__all__ = ["AdaptiveAvgPool2d", "AvgPool1d", "AvgPool2d", "GlobalAvgPool2d", "MaxPool1d", "MaxPool2d"]


@dataclass(frozen=True, repr=False)
class _PoolNd(Layer):
    kernel_size: object = _pos()
    stride: object = None
    padding: object = 0
    dilation: object = 1
    ceil_mode: bool = False

    kind: ClassVar[str] = "pool"
    dims: ClassVar[tuple] = ()

    def __post_init__(self):
        n, name = len(self.dims), type(self).__name__
        set_ = object.__setattr__
        set_(self, "kernel_size", tuple_arg(name, "kernel", self.kernel_size, n, 1))
        if self.stride is not None:
            set_(self, "stride", tuple_arg(name, "stride", self.stride, n, 1))
        set_(self, "padding", tuple_arg(name, "padding", self.padding, n, 0, strings=("valid", "same")))
        set_(self, "dilation", tuple_arg(name, "dilation", self.dilation, n, 1))
        if not isinstance(self.ceil_mode, bool):
            raise ShapeError(f"{name}: ceil_mode must be True or False, got {self.ceil_mode!r}")
        try:
            for i, p in enumerate(self.padding):
                if p == "same":
                    check_pool_same(self.dilation[i])
                elif p != "valid":
                    check_pool_padding(self.kernel_size[i], self.dilation[i], p)
        except DimensionProblem as e:
            raise ShapeError(f"{self!r}: {e}") from None

    @property
    def strides(self) -> tuple:
        """The stride per axis (the kernel size where none is given)."""
        return self.stride if self.stride is not None else self.kernel_size

    def _facts(self, shape) -> Facts:
        dims = self.dims
        if len(shape) != 1 + len(dims):
            self._rank(shape, 1 + len(dims), "(C, " + ", ".join(d[0].upper() for d in dims) + ")")
        if shape[0] < 1:
            raise self._error(shape, "channels: a pooling layer needs at least one channel "
                                     "(PyTorch refuses an empty input)")
        strides = self.strides
        wins, problems = [], []
        for i, dim in enumerate(dims):
            n, k, s, d, p = shape[1 + i], self.kernel_size[i], strides[i], self.dilation[i], self.padding[i]
            try:
                if n < 1:
                    raise DimensionProblem(f"input size = {n} must be ≥ 1 (a feature map needs at "
                                           "least one row and one column)")
                if p == "same":
                    wins.append(same_dim(n, k, s, d))
                else:
                    wins.append(pool_dim(n, k, s, 0 if p == "valid" else p, d, self.ceil_mode))
            except DimensionProblem as e:
                problems.append(f"{dim}: {e}")
        if problems:
            raise self._error(shape, join_problems(dims, problems))
        return Facts((shape[0], *(w.out for w in wins)), 0, 0, 0, 0, 0, True, tuple(wins),
                     window_rf(wins))

    def hyper(self) -> str:
        k = "×".join(map(str, self.kernel_size))
        parts = [k, f"s{_show(self.strides)}"]
        p = _show(self.padding)
        if p != 0:
            parts.append(f"p{p}" if not isinstance(p, str) else p)
        if self.dilation != (1,) * len(self.dims):
            parts.append(f"d{_show(self.dilation)}")
        if self.ceil_mode:
            parts.append("ceil")
        return " ".join(str(x) for x in parts)


@dataclass(frozen=True, repr=False)
class MaxPool2d(_PoolNd):
    """Max pooling on (C, H, W), PyTorch's rules (stride=None means stride = kernel).

    No parameters. Padding must be ≤ kernel/2; ceil_mode drops a last window that
    would start in the right padding.

    >>> MaxPool2d(3, stride=2).output_shape((96, 55, 55))
    (96, 27, 27)
    """

    dims: ClassVar[tuple] = AXES[2]
    spatial: ClassVar[int] = 2


@dataclass(frozen=True, repr=False)
class MaxPool1d(_PoolNd):
    """Max pooling on (C, L).

    >>> MaxPool1d(2).output_shape((8, 98))
    (8, 49)
    """

    dims: ClassVar[tuple] = AXES[1]
    spatial: ClassVar[int] = 1


@dataclass(frozen=True, repr=False)
class AvgPool2d(_PoolNd):
    """Average pooling on (C, H, W) (PyTorch's AvgPool2d has no dilation).

    >>> AvgPool2d(2).output_shape((32, 11, 11))
    (32, 5, 5)
    """

    kernel_size: object = _pos()
    stride: object = None
    padding: object = 0
    ceil_mode: bool = False
    dilation: object = field(default=1, repr=False, init=False)
    dims: ClassVar[tuple] = AXES[2]
    spatial: ClassVar[int] = 2


@dataclass(frozen=True, repr=False)
class AvgPool1d(_PoolNd):
    """Average pooling on (C, L).

    >>> AvgPool1d(3, stride=1).output_shape((4, 10))
    (4, 8)
    """

    kernel_size: object = _pos()
    stride: object = None
    padding: object = 0
    ceil_mode: bool = False
    dilation: object = field(default=1, repr=False, init=False)
    dims: ClassVar[tuple] = AXES[1]
    spatial: ClassVar[int] = 1


def adaptive_rf(sizes, outs):
    """Receptive-field step of adaptive pooling: GLOBAL when every output is 1; a regular window
    k = s = n/o when every o divides n; otherwise IRREGULAR (PyTorch's windows
    [⌊i·n/o⌋, ⌈(i + 1)·n/o⌉) then differ in size)."""
    if all(o == 1 for o in outs):
        return GLOBAL
    if all(n % o == 0 for n, o in zip(sizes, outs)):
        return tuple(RFStep(n // o, n // o, 0) for n, o in zip(sizes, outs))
    return IRREGULAR


@dataclass(frozen=True, repr=False)
class AdaptiveAvgPool2d(Layer):
    """Average pooling to a fixed (H, W) whatever the input size, as torch's layer.

    >>> AdaptiveAvgPool2d(6).output_shape((256, 13, 13))
    (256, 6, 6)
    """

    output_size: object = _pos()
    kind: ClassVar[str] = "pool"
    spatial: ClassVar[int] = 2

    def __post_init__(self):
        object.__setattr__(self, "output_size",
                           tuple_arg(type(self).__name__, "output size", self.output_size, 2, 1))

    def _facts(self, shape) -> Facts:
        if len(shape) != 3:
            self._rank(shape, 3, "(C, H, W)")
        if min(shape[1:]) < 1:
            raise self._error(shape, "height and width must be ≥ 1")
        return Facts((shape[0], *self.output_size), 0, 0, 0, 0, 0, True, None,
                     adaptive_rf(shape[1:], self.output_size))

    def hyper(self) -> str:
        return "→" + "×".join(map(str, self.output_size))


@dataclass(frozen=True, repr=False)
class GlobalAvgPool2d(AdaptiveAvgPool2d):
    """Average of each whole feature map: (C, H, W) → (C, 1, 1), as AdaptiveAvgPool2d(1).

    Keras' GlobalAveragePooling2D returns (C,) instead; add Flatten() for that.

    >>> GlobalAvgPool2d().output_shape((1024, 7, 7))
    (1024, 1, 1)
    """

    output_size: object = field(default=(1, 1), repr=False, init=False)

    def hyper(self) -> str:
        return "global"
