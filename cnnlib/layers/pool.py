"""Pooling: max and average pooling (PyTorch's rules), adaptive and global average pooling."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ..arithmetic import (
    _LIMIT,
    check_int,
    check_pool_padding,
    check_pool_same,
    pool_dim,
    same_dim,
)
from ..errors import DimensionProblem, ShapeError
from ..facts import GLOBAL, IRREGULAR, Facts, RFStep, new_facts
from .base import AXES, Layer, _pos, _show, floor_windows, floor_windows_2d, join_problems
from .conv import tuple_arg

__all__ = ["AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AvgPool1d",
           "AvgPool2d", "AvgPool3d", "GlobalAvgPool1d", "GlobalAvgPool2d", "GlobalMaxPool1d", "GlobalMaxPool2d",
           "MaxPool1d", "MaxPool2d", "MaxPool3d"]


@dataclass(frozen=True, repr=False)
class _PoolNd(Layer):
    kernel_size: object = _pos()
    stride: object = None
    padding: object = 0
    dilation: object = 1
    ceil_mode: bool = False

    kind: ClassVar[str] = "pool"
    dims: ClassVar[tuple] = ()
    unpadded_check: ClassVar[bool] = False  # avg_pool3d also wants n ≥ k before padding

    def _direct_init(self, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
        """The dataclass's ``__init__`` (see base.fast_init), by :meth:`_store`."""
        self._store(kernel_size, stride, padding, dilation, ceil_mode)

    def _store(self, kernel_size, stride, padding, dilation, ceil_mode):
        """Store the arguments with the common case in line: plain ints in range (stride may be
        None), padding ≤ k/2, no dilation.  Anything else: __post_init__ checks them."""
        v = self.__dict__
        v["ceil_mode"] = ceil_mode
        if (kernel_size.__class__ is padding.__class__ is dilation.__class__ is int and dilation == 1
                and ceil_mode.__class__ is bool and 0 < kernel_size < _LIMIT and 0 <= 2 * padding <= kernel_size
                and (stride is None or stride.__class__ is int and 0 < stride < _LIMIT)):
            n = self.spatial
            v["kernel_size"], v["padding"], v["dilation"] = (kernel_size,) * n, (padding,) * n, (1,) * n
            v["stride"] = stride if stride is None else (stride,) * n
            return
        v["kernel_size"], v["stride"], v["padding"], v["dilation"] = kernel_size, stride, padding, dilation
        self.__post_init__()

    def __post_init__(self):
        v = self.__dict__
        n, name = len(self.dims), type(self).__name__
        v.update(kernel_size=tuple_arg(name, "kernel", v["kernel_size"], n, 1),
                 padding=tuple_arg(name, "padding", v["padding"], n, 0, strings=("valid", "same")),
                 dilation=tuple_arg(name, "dilation", self.dilation, n, 1))  # a class default in AvgPool
        if v["stride"] is not None:
            v["stride"] = tuple_arg(name, "stride", v["stride"], n, 1)
        if v["ceil_mode"] is not True and v["ceil_mode"] is not False:
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
        if len(shape) == 3 and self.spatial == 2 and not self.ceil_mode and shape[0]:  # the commonest case
            wins = floor_windows_2d(shape[1], shape[2], self.kernel_size, self.stride or self.kernel_size,
                                    self.dilation, self.padding)
            if wins is not None:
                return new_facts(Facts, ((shape[0], wins[0][6], wins[1][6]), 0, 0, 0, 0, 0, True, wins, wins))
        dims = self.dims
        if len(shape) != 1 + len(dims):
            self._rank(shape, 1 + len(dims), "(C, " + ", ".join(d[0].upper() for d in dims) + ")")
        if shape[0] < 1:
            raise self._error(shape, "channels: a pooling layer needs at least one channel "
                                     "(PyTorch refuses an empty input)")
        strides = self.stride if self.stride is not None else self.kernel_size
        if not self.ceil_mode and not self.unpadded_check:  # the common case, in line
            wins = floor_windows(shape, self.kernel_size, strides, self.dilation, self.padding)
            if len(wins) == len(dims):
                wins = tuple(wins)
                return new_facts(Facts, ((shape[0], *[w.out for w in wins]), 0, 0, 0, 0, 0, True, wins, wins))
        wins, problems = [], []
        for i, dim in enumerate(dims):
            n, k, s, d, p = shape[1 + i], self.kernel_size[i], strides[i], self.dilation[i], self.padding[i]
            try:
                if n < 1:
                    raise DimensionProblem(f"input size = {n} must be ≥ 1 (a feature map needs at "
                                           "least one row and one column)")
                if self.unpadded_check and n < k:
                    raise DimensionProblem(f"input {n} is smaller than the kernel {k}; PyTorch's 3-d "
                                           "average pooling checks the input before padding — use a "
                                           f"kernel ≤ {n}")
                if p == "same":
                    wins.append(same_dim(n, k, s, d))
                else:
                    wins.append(pool_dim(n, k, s, 0 if p == "valid" else p, d, self.ceil_mode))
            except DimensionProblem as e:
                problems.append(f"{dim}: {e}")
        if problems:
            raise self._error(shape, join_problems(dims, problems))
        wins = tuple(wins)
        return new_facts(Facts, ((shape[0], *[w.out for w in wins]), 0, 0, 0, 0, 0, True, wins, wins))

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


def _avg_pool_init(self, kernel_size, stride=None, padding=0, ceil_mode=False):
    """The dataclass's ``__init__`` of average pooling (no dilation argument), by :meth:`_PoolNd._store`."""
    self._store(kernel_size, stride, padding, 1, ceil_mode)


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
    _direct_init = _avg_pool_init


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
    _direct_init = _avg_pool_init


def adaptive_accepts_no_channels(reduce: str, outs) -> bool:
    """Whether PyTorch accepts a zero-channel input: average pooling to 1 everywhere (a mean) or
    of 1 or 2 spatial axes; never max pooling."""
    return reduce == "avg" and (all(o == 1 for o in outs) or len(outs) <= 2)


def adaptive_rf(sizes, outs):
    """Receptive-field step of adaptive pooling: GLOBAL when every output is 1; a regular window
    k = s = n/o when every o divides n; otherwise IRREGULAR (PyTorch's windows
    [⌊i·n/o⌋, ⌈(i + 1)·n/o⌉) then differ in size)."""
    if all(o == 1 for o in outs):
        return GLOBAL
    if all(o and n % o == 0 for n, o in zip(sizes, outs)):
        return tuple(RFStep(n // o, n // o, 0) for n, o in zip(sizes, outs))
    return IRREGULAR


@dataclass(frozen=True, repr=False)
class _AdaptivePoolNd(Layer):
    output_size: object = _pos()
    kind: ClassVar[str] = "pool"
    dims: ClassVar[tuple] = ()
    reduce: ClassVar[str] = "avg"

    def __post_init__(self):
        n, v = len(self.dims), self.output_size
        if v is None:
            raise ShapeError(f"{type(self).__name__}: output_size is an int or {n} values (None inside "
                             "a tuple keeps that axis' size), got None")
        values = tuple(v) if isinstance(v, (tuple, list)) else (v,) * n
        if len(values) != n:
            raise ShapeError(f"{type(self).__name__}: output_size is an int or {n} values, got {v!r}")
        try:  # None keeps that axis' input size, as in PyTorch
            values = tuple(None if x is None else check_int("output size", x, 0) for x in values)
        except DimensionProblem as e:
            raise ShapeError(f"{type(self).__name__}: {e}") from None
        object.__setattr__(self, "output_size", values)

    def _facts(self, shape) -> Facts:
        dims = self.dims
        if len(shape) != 1 + len(dims):
            self._rank(shape, 1 + len(dims), "(C, " + ", ".join(d[0].upper() for d in dims) + ")")
        if min(shape[1:]) < 1:
            raise self._error(shape, f"{' and '.join(dims)} must be ≥ 1")
        outs = tuple(n if o is None else o for n, o in zip(shape[1:], self.output_size))
        if shape[0] < 1 and not adaptive_accepts_no_channels(self.reduce, outs):
            raise self._error(shape, f"channels: adaptive {self.reduce} pooling of this rank needs at "
                                     "least one channel (PyTorch refuses an empty input)")
        return new_facts(Facts, ((shape[0], *outs), 0, 0, 0, 0, 0, True, None, adaptive_rf(shape[1:], outs)))

    def hyper(self) -> str:
        return "→" + "×".join("n" if o is None else str(o) for o in self.output_size)


@dataclass(frozen=True, repr=False)
class AdaptiveAvgPool2d(_AdaptivePoolNd):
    """Average pooling to a fixed (H, W) whatever the input size, as torch's layer.

    >>> AdaptiveAvgPool2d(6).output_shape((256, 13, 13))
    (256, 6, 6)
    """

    dims: ClassVar[tuple] = AXES[2]
    spatial: ClassVar[int] = 2


@dataclass(frozen=True, repr=False)
class AdaptiveMaxPool2d(_AdaptivePoolNd):
    """Max pooling to a fixed (H, W), as torch's layer.

    >>> AdaptiveMaxPool2d((3, 2)).output_shape((8, 5, 5))
    (8, 3, 2)
    """

    reduce: ClassVar[str] = "max"
    dims: ClassVar[tuple] = AXES[2]
    spatial: ClassVar[int] = 2


@dataclass(frozen=True, repr=False)
class AdaptiveAvgPool1d(_AdaptivePoolNd):
    """Average pooling of (C, L) to a fixed length."""

    dims: ClassVar[tuple] = AXES[1]
    spatial: ClassVar[int] = 1


@dataclass(frozen=True, repr=False)
class AdaptiveMaxPool1d(_AdaptivePoolNd):
    """Max pooling of (C, L) to a fixed length."""

    reduce: ClassVar[str] = "max"
    dims: ClassVar[tuple] = AXES[1]
    spatial: ClassVar[int] = 1


@dataclass(frozen=True, repr=False)
class _GlobalPool(Layer):
    """Average or maximum of each whole map: (C, …) → (C, 1, …) (keepdims) or (C,) as Keras'
    GlobalAveragePooling/GlobalMaxPooling return."""

    keepdims: bool = True
    kind: ClassVar[str] = "pool"
    dims: ClassVar[tuple] = ()

    def __post_init__(self):
        if not isinstance(self.keepdims, bool):
            raise ShapeError(f"{type(self).__name__}: keepdims must be True or False, got {self.keepdims!r}")

    def _facts(self, shape) -> Facts:
        dims = self.dims
        if len(shape) != 1 + len(dims):
            self._rank(shape, 1 + len(dims), "(C, " + ", ".join(d[0].upper() for d in dims) + ")")
        if min(shape[1:]) < 1:
            raise self._error(shape, f"{' and '.join(dims)} must be ≥ 1")
        out = (shape[0], *(1,) * len(dims)) if self.keepdims else (shape[0],)
        return new_facts(Facts, (out, 0, 0, 0, 0, 0, True, None, GLOBAL))

    def hyper(self) -> str:
        return "global"


@dataclass(frozen=True, repr=False)
class GlobalAvgPool2d(_GlobalPool):
    """Average of each whole feature map: (C, H, W) → (C, 1, 1), as AdaptiveAvgPool2d(1);
    ``keepdims=False`` gives (C,) as Keras' GlobalAveragePooling2D.

    >>> GlobalAvgPool2d().output_shape((1024, 7, 7)), GlobalAvgPool2d(keepdims=False).output_shape((1024, 7, 7))
    ((1024, 1, 1), (1024,))
    """

    dims: ClassVar[tuple] = AXES[2]
    spatial: ClassVar[int] = 2


@dataclass(frozen=True, repr=False)
class GlobalMaxPool2d(_GlobalPool):
    """Maximum of each whole feature map: (C, H, W) → (C, 1, 1) or (C,)."""

    dims: ClassVar[tuple] = AXES[2]
    spatial: ClassVar[int] = 2


@dataclass(frozen=True, repr=False)
class GlobalAvgPool1d(_GlobalPool):
    """Average over the length: (C, L) → (C, 1) or (C,)."""

    dims: ClassVar[tuple] = AXES[1]
    spatial: ClassVar[int] = 1


@dataclass(frozen=True, repr=False)
class GlobalMaxPool1d(_GlobalPool):
    """Maximum over the length: (C, L) → (C, 1) or (C,)."""

    dims: ClassVar[tuple] = AXES[1]
    spatial: ClassVar[int] = 1


@dataclass(frozen=True, repr=False)
class MaxPool3d(_PoolNd):
    """Max pooling on (C, D, H, W) (video), PyTorch's rules.

    >>> MaxPool3d(2).output_shape((3, 5, 6, 7))
    (3, 2, 3, 3)
    """

    dims: ClassVar[tuple] = AXES[3]
    spatial: ClassVar[int] = 3


@dataclass(frozen=True, repr=False)
class AvgPool3d(_PoolNd):
    """Average pooling on (C, D, H, W) (no dilation, as PyTorch's)."""

    kernel_size: object = _pos()
    stride: object = None
    padding: object = 0
    ceil_mode: bool = False
    dilation: object = field(default=1, repr=False, init=False)
    dims: ClassVar[tuple] = AXES[3]
    spatial: ClassVar[int] = 3
    unpadded_check: ClassVar[bool] = True
    _direct_init = _avg_pool_init
