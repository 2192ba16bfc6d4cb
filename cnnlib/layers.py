"""Layers as small frozen dataclasses: output_shape, params and macs of one input shape.

Shapes are channels-first tuples as in PyTorch, without the batch dimension:
(C, H, W) for images, (C, L) for sequences, (F,) for vectors.

* ``params(in_shape)`` counts what ``sum(p.numel() for p in module.parameters())``
  counts in PyTorch (BatchNorm: 2·C; its running mean and variance are buffers, see
  ``buffers``).
* ``macs(in_shape)`` counts multiply–accumulates of one forward pass for one input:
  output elements × (C_in/g · kh · kw) for a convolution, in·out for a dense layer.
  Bias additions are not counted (torchinfo's "mult-adds" counts them; see the book).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import ClassVar

from .arithmetic import _DimProblem, check_int, conv_window, pool_window
from .errors import ShapeError

__all__ = [
    "AdaptiveAvgPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "BatchNorm1d",
    "BatchNorm2d",
    "Conv1d",
    "Conv2d",
    "Dense",
    "Dropout",
    "Flatten",
    "GlobalAvgPool2d",
    "Layer",
    "LocalResponseNorm",
    "MaxPool1d",
    "MaxPool2d",
    "ReLU",
    "Softmax",
    "shape_str",
]


def shape_str(shape) -> str:
    """(3, 227, 227) → '3×227×227' (channels first, as the tuple is)."""
    return "×".join(str(x) for x in shape)


def _pair(name: str, value, *, allow_str=False):
    """An int or an (h, w) pair → a tuple of two values (strings kept for padding)."""
    if allow_str and isinstance(value, str):
        if value.lower() not in ("valid", "same"):
            raise ShapeError(f"padding must be an int ≥ 0, an (h, w) pair, 'valid' or 'same'; got {value!r}")
        return (value.lower(), value.lower())
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ShapeError(f"{name} must be an int or an (h, w) pair, got {value!r}")
        return tuple(value)
    return (value, value)


def _single(name: str, value, *, allow_str=False):
    if allow_str and isinstance(value, str):
        if value.lower() not in ("valid", "same"):
            raise ShapeError(f"padding must be an int ≥ 0, 'valid' or 'same'; got {value!r}")
        return (value.lower(),)
    if isinstance(value, (tuple, list)):
        if len(value) != 1:
            raise ShapeError(f"{name} of a 1-d layer must be an int or a 1-tuple, got {value!r}")
        return tuple(value)
    return (value,)


def _show(v):
    """(3, 3) → 3 for reprs; non-square pairs stay pairs."""
    if isinstance(v, tuple) and len(set(v)) == 1:
        return v[0]
    return v


@dataclass(frozen=True)
class Layer:
    """Base class. Subclasses implement `output_shape`; params and macs default to 0."""

    kind: ClassVar[str] = "layer"  # summary row prefix: conv, pool, fc, bn, ...
    in_place: ClassVar[bool] = False  # activations/dropout: no new activation memory

    def output_shape(self, in_shape) -> tuple:
        raise NotImplementedError

    def params(self, in_shape) -> int:
        self.output_shape(in_shape)
        return 0

    def weights(self, in_shape) -> int:
        return self.params(in_shape) - self.biases(in_shape)

    def biases(self, in_shape) -> int:
        return 0

    def buffers(self, in_shape) -> int:
        """Non-trainable state PyTorch keeps (BatchNorm's running statistics)."""
        return 0

    def macs(self, in_shape) -> int:
        self.output_shape(in_shape)
        return 0

    def hyper(self) -> str:
        """Kernel/stride/padding for a summary row ('' when there is none)."""
        return ""

    # -- helpers --------------------------------------------------------------------
    def __repr__(self) -> str:
        args, kwargs = [], []
        for f in fields(self):
            if not f.repr:
                continue
            v = getattr(self, f.name)
            if f.metadata.get("positional"):
                args.append(repr(_show(v)))
            elif _show(v) != f.default and v != f.default:
                kwargs.append(f"{f.name}={_show(v)!r}")
        return f"{type(self).__name__}({', '.join(args + kwargs)})"

    def _error(self, in_shape, message: str) -> ShapeError:
        return ShapeError(f"{self!r} on {shape_str(in_shape)}: {message}")

    def _expect(self, in_shape, ndim: int | None = None, what: str = "") -> tuple:
        try:
            shape = tuple(in_shape)
        except TypeError:
            raise ShapeError(f"{self!r}: input shape must be a tuple, got {in_shape!r}") from None
        if ndim is not None and len(shape) != ndim:
            raise ShapeError(
                f"{self!r} on {shape_str(shape) or '()'}: expects a {what} input "
                f"({ndim} numbers, channels first), got {len(shape)}"
            )
        try:
            shape = tuple(check_int("size", x, 0) for x in shape)
        except _DimProblem:
            raise ShapeError(f"{self!r} on {shape}: sizes must be whole numbers ≥ 0") from None
        return shape


def _join_problems(dims, problems) -> str:
    """'height: X; width: X' → 'height and width: X' when both dimensions fail alike."""
    texts = [p.split(": ", 1)[1] for p in problems]
    if len(problems) == len(dims) > 1 and len(set(texts)) == 1:
        return f"{' and '.join(dims)}: {texts[0]}"
    return "; ".join(problems)


def _pos(**kw):
    return field(metadata={"positional": True}, **kw)


# ------------------------------------------------------------------ convolution


@dataclass(frozen=True, repr=False)
class _ConvNd(Layer):
    out_channels: int = _pos()
    kernel_size: object = _pos()
    stride: object = 1
    padding: object = 0
    dilation: object = 1
    groups: int = 1
    bias: bool = True

    kind: ClassVar[str] = "conv"
    dims: ClassVar[tuple] = ()

    def __post_init__(self):
        norm = _pair if len(self.dims) == 2 else _single
        for name in ("kernel_size", "stride", "dilation"):
            object.__setattr__(self, name, norm(name, getattr(self, name)))
        object.__setattr__(self, "padding", norm("padding", self.padding, allow_str=True))
        try:
            check_int("out_channels", self.out_channels, 1)
            check_int("groups", self.groups, 1)
        except _DimProblem as e:
            raise ShapeError(f"{type(self).__name__}: {e}") from None
        if self.out_channels % self.groups:
            raise ShapeError(
                f"{self!r}: out_channels {self.out_channels} is not divisible by groups "
                f"{self.groups}; use a multiple of {self.groups} filters"
            )

    def _windows(self, in_shape):
        shape = self._expect(in_shape, 1 + len(self.dims), "(C, " + ", ".join(
            d[0].upper() for d in self.dims) + ")")
        c_in = shape[0]
        if c_in % self.groups:
            raise self._error(shape, (
                f"channels: {c_in} input channels are not divisible by groups {self.groups}; "
                f"each group needs C_in/g channels — use groups dividing {c_in}"))
        wins, problems = [], []
        for i, dim in enumerate(self.dims):
            try:
                wins.append(conv_window(shape[1 + i], self.kernel_size[i], self.stride[i],
                                        self.padding[i], self.dilation[i], empty_ok=c_in == 0))
            except _DimProblem as e:
                problems.append(f"{dim}: {e}")
        if problems:
            raise self._error(shape, _join_problems(self.dims, problems))
        return shape, wins

    def output_shape(self, in_shape) -> tuple:
        shape, wins = self._windows(in_shape)
        # PyTorch accepts a zero-channel input and returns an empty (0, H_out, W_out) map,
        # whatever out_channels is; cnnlib mirrors that shape (and counts 0 MACs).
        c_out = self.out_channels if shape[0] else 0
        return (c_out, *(w.out for w in wins))

    def weights(self, in_shape) -> int:
        shape, _ = self._windows(in_shape)
        return self.out_channels * (shape[0] // self.groups) * math.prod(self.kernel_size)

    def biases(self, in_shape) -> int:
        self._windows(in_shape)
        return self.out_channels if self.bias else 0

    def params(self, in_shape) -> int:
        return self.weights(in_shape) + self.biases(in_shape)

    def macs(self, in_shape) -> int:
        shape, wins = self._windows(in_shape)
        per_output = (shape[0] // self.groups) * math.prod(self.kernel_size)
        return self.out_channels * math.prod(w.out for w in wins) * per_output

    def hyper(self) -> str:
        k = "×".join(map(str, self.kernel_size))
        parts = [k, f"s{_show(self.stride)}"]
        p = _show(self.padding)
        parts.append(f"p{p}" if not isinstance(p, str) else p)
        if self.dilation != (1,) * len(self.dims):
            parts.append(f"d{_show(self.dilation)}")
        if self.groups != 1:
            parts.append(f"g{self.groups}")
        return " ".join(str(x) for x in parts)


@dataclass(frozen=True, repr=False)
class Conv2d(_ConvNd):
    """2-d convolution on (C, H, W) → (C_out, H_out, W_out).

    Parameters: C_out · (C_in/g) · kh · kw weights, plus C_out biases.
    MACs: C_out · H_out · W_out · (C_in/g) · kh · kw.

    >>> Conv2d(96, 11, stride=4).output_shape((3, 227, 227))
    (96, 55, 55)
    >>> Conv2d(32, 3).params((32, 13, 13))
    9248
    """

    dims: ClassVar[tuple] = ("height", "width")


@dataclass(frozen=True, repr=False)
class Conv1d(_ConvNd):
    """1-d convolution on (C, L) → (C_out, L_out); same arguments as Conv2d.

    >>> Conv1d(8, 3).output_shape((5, 100))
    (8, 98)
    >>> Conv1d(8, 3).params((5, 100))
    128
    """

    dims: ClassVar[tuple] = ("length",)


# ---------------------------------------------------------------------- pooling


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
        norm = _pair if len(self.dims) == 2 else _single
        object.__setattr__(self, "kernel_size", norm("kernel_size", self.kernel_size))
        if self.stride is not None:
            object.__setattr__(self, "stride", norm("stride", self.stride))
        object.__setattr__(self, "padding", norm("padding", self.padding, allow_str=True))
        object.__setattr__(self, "dilation", norm("dilation", self.dilation))

    def _windows(self, in_shape):
        shape = self._expect(in_shape, 1 + len(self.dims), "(C, " + ", ".join(
            d[0].upper() for d in self.dims) + ")")
        if shape[0] < 1:
            raise self._error(shape, "channels: a pooling layer needs at least one channel "
                                     "(PyTorch refuses an empty input)")
        stride = self.stride or (None,) * len(self.dims)
        wins, problems = [], []
        for i, dim in enumerate(self.dims):
            try:
                wins.append(pool_window(shape[1 + i], self.kernel_size[i], stride[i],
                                        self.padding[i], self.dilation[i], self.ceil_mode))
            except _DimProblem as e:
                problems.append(f"{dim}: {e}")
        if problems:
            raise self._error(shape, _join_problems(self.dims, problems))
        return shape, wins

    def output_shape(self, in_shape) -> tuple:
        shape, wins = self._windows(in_shape)
        return (shape[0], *(w.out for w in wins))

    def hyper(self) -> str:
        k = "×".join(map(str, self.kernel_size))
        s = _show(self.stride) if self.stride is not None else _show(self.kernel_size)
        parts = [k, f"s{s}"]
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

    dims: ClassVar[tuple] = ("height", "width")


@dataclass(frozen=True, repr=False)
class MaxPool1d(_PoolNd):
    """Max pooling on (C, L).

    >>> MaxPool1d(2).output_shape((8, 98))
    (8, 49)
    """

    dims: ClassVar[tuple] = ("length",)


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
    dims: ClassVar[tuple] = ("height", "width")


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
    dims: ClassVar[tuple] = ("length",)


@dataclass(frozen=True, repr=False)
class AdaptiveAvgPool2d(Layer):
    """Average pooling to a fixed (H, W) whatever the input size, as torch's layer.

    >>> AdaptiveAvgPool2d(6).output_shape((256, 13, 13))
    (256, 6, 6)
    """

    output_size: object = _pos()
    kind: ClassVar[str] = "pool"

    def __post_init__(self):
        object.__setattr__(self, "output_size", _pair("output_size", self.output_size))
        try:
            for v in self.output_size:
                check_int("output size", v, 1)
        except _DimProblem as e:
            raise ShapeError(f"AdaptiveAvgPool2d: {e}") from None

    def output_shape(self, in_shape) -> tuple:
        shape = self._expect(in_shape, 3, "(C, H, W)")
        if min(shape[1:]) < 1:
            raise self._error(shape, "height and width must be ≥ 1")
        return (shape[0], *self.output_size)

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


# ------------------------------------------------------------------ dense & co.


@dataclass(frozen=True, repr=False)
class Flatten(Layer):
    """(C, H, W) → (C·H·W,), as torch.nn.Flatten() on a batch.

    >>> Flatten().output_shape((256, 6, 6))
    (9216,)
    """

    kind: ClassVar[str] = "flatten"

    def output_shape(self, in_shape) -> tuple:
        shape = self._expect(in_shape)
        if not shape:
            raise self._error(shape, "nothing to flatten")
        return (math.prod(shape),)


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
        try:
            check_int("out_features", self.out_features, 1)
        except _DimProblem as e:
            raise ShapeError(f"Dense: {e}") from None

    def _check(self, in_shape):
        shape = self._expect(in_shape)
        if not shape:
            raise self._error(shape, "needs at least one axis")
        return shape

    def output_shape(self, in_shape) -> tuple:
        shape = self._check(in_shape)
        return (*shape[:-1], self.out_features)

    def weights(self, in_shape) -> int:
        return self._check(in_shape)[-1] * self.out_features

    def biases(self, in_shape) -> int:
        self._check(in_shape)
        return self.out_features if self.bias else 0

    def params(self, in_shape) -> int:
        return self.weights(in_shape) + self.biases(in_shape)

    def macs(self, in_shape) -> int:
        shape = self._check(in_shape)
        return math.prod(shape) * self.out_features

    def hyper(self) -> str:
        return f"{self.out_features} units"


@dataclass(frozen=True, repr=False)
class _BatchNorm(Layer):
    affine: bool = True
    track_running_stats: bool = True
    kind: ClassVar[str] = "bn"
    ndims: ClassVar[tuple] = ()

    def output_shape(self, in_shape) -> tuple:
        shape = self._expect(in_shape)
        if len(shape) not in self.ndims:
            raise self._error(shape, f"expects an input with {' or '.join(map(str, self.ndims))} axes")
        return shape

    def params(self, in_shape) -> int:
        return 2 * self.output_shape(in_shape)[0] if self.affine else 0

    def biases(self, in_shape) -> int:
        return self.output_shape(in_shape)[0] if self.affine else 0

    def buffers(self, in_shape) -> int:
        # running_mean, running_var (C each) and num_batches_tracked (1)
        return 2 * self.output_shape(in_shape)[0] + 1 if self.track_running_stats else 0


@dataclass(frozen=True, repr=False)
class BatchNorm2d(_BatchNorm):
    """Batch normalisation over (C, H, W): γ and β per channel → 2·C parameters.

    >>> BatchNorm2d().params((64, 224, 224))
    128
    """

    ndims: ClassVar[tuple] = (3,)


@dataclass(frozen=True, repr=False)
class BatchNorm1d(_BatchNorm):
    """Batch normalisation over (F,) or (C, L): 2·C parameters."""

    ndims: ClassVar[tuple] = (1, 2)


@dataclass(frozen=True, repr=False)
class _Elementwise(Layer):
    kind: ClassVar[str] = "act"
    in_place: ClassVar[bool] = True

    def output_shape(self, in_shape) -> tuple:
        shape = self._expect(in_shape)
        return shape


@dataclass(frozen=True, repr=False)
class ReLU(_Elementwise):
    """max(0, x) element by element: same shape, no parameters."""


@dataclass(frozen=True, repr=False)
class Softmax(_Elementwise):
    """Softmax over the last axis: same shape, no parameters."""


@dataclass(frozen=True, repr=False)
class Dropout(_Elementwise):
    """Zeroes elements with probability p while training: same shape, no parameters."""

    p: float = 0.5
    kind: ClassVar[str] = "drop"

    def __post_init__(self):
        if isinstance(self.p, bool) or not isinstance(self.p, (int, float)) or not 0 <= self.p <= 1:
            raise ShapeError(f"Dropout: p must be a probability between 0 and 1, got {self.p!r}")


@dataclass(frozen=True, repr=False)
class LocalResponseNorm(_Elementwise):
    """AlexNet's local response normalisation across channels: same shape, no parameters."""

    size: int = _pos(default=5)
    kind: ClassVar[str] = "norm"
    in_place: ClassVar[bool] = False

    def __post_init__(self):
        try:
            check_int("size", self.size, 1)
        except _DimProblem as e:
            raise ShapeError(f"LocalResponseNorm: {e}") from None
