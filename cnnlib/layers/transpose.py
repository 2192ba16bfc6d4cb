"""Transposed convolutions: ConvTranspose1d, ConvTranspose2d, ConvTranspose3d.

Parameters: C_in · (C_out/g) · kernel elements weights (PyTorch stores them as
(C_in, C_out/g, k…)), plus C_out biases.  MACs by the same convention as Conv2d — every
multiplication the layer makes: each input element meets C_out/g · kernel-elements weights,
so C_in · input positions · (C_out/g) · kernel elements (as ``torch.utils.flop_counter``
counts a transposed convolution, halved).  The receptive field is regular when each output
reads the same number of inputs — s divides k (d = 1), or s = 1 — and then spans k/s inputs
at a jump of 1/s; otherwise windows differ from output to output (the checkerboard) and the
field is reported as irregular.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

from ..errors import DimensionProblem, ShapeError
from ..facts import IRREGULAR, Facts, RFStep
from ..upsampling import conv_transpose_dim, keras_transpose_dim
from .base import AXES, Layer, _pos, _show, join_problems
from .conv import tuple_arg

__all__ = ["ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]


def transpose_rf(wins):
    """Receptive-field steps of transposed windows (see the module docstring)."""
    steps = []
    for w in wins:
        if w.s == 1:
            steps.append(RFStep(w.span, 1, w.before))
        elif w.d == 1 and w.k % w.s == 0:
            span = w.k // w.s
            # output 0 reads the inputs i with 0 ≤ i·s + before' ≤ k − 1 around it: the first is
            # ⌈(p − (k − 1))/s⌉; the centre of its field is that plus (span − 1)/2
            first = -((w.k - 1 - w.p) // w.s)
            centre = first + Fraction(span - 1, 2)
            steps.append(RFStep(span, Fraction(1, w.s), Fraction(span - 1, 2) - centre))
        else:
            return IRREGULAR
    return tuple(steps)


@dataclass(frozen=True, repr=False)
class _ConvTransposeNd(Layer):
    out_channels: int = _pos()
    kernel_size: object = _pos()
    stride: object = 1
    padding: object = 0
    output_padding: object = 0
    groups: int = 1
    bias: bool = True
    dilation: object = 1

    kind: ClassVar[str] = "conv"
    dims: ClassVar[tuple] = ()

    def __post_init__(self):
        n, name = len(self.dims), type(self).__name__
        set_ = object.__setattr__
        set_(self, "kernel_size", tuple_arg(name, "kernel", self.kernel_size, n, 1))
        set_(self, "stride", tuple_arg(name, "stride", self.stride, n, 1))
        set_(self, "dilation", tuple_arg(name, "dilation", self.dilation, n, 1))
        set_(self, "padding", tuple_arg(name, "padding", self.padding, n, 0, strings=("valid", "same")))
        if self.output_padding is None:
            if not isinstance(self.padding[0], str):
                raise ShapeError(f"{name}: output_padding=None (Keras' default) goes with padding "
                                 "'valid' or 'same'; with a number use output_padding=0")
        else:
            set_(self, "output_padding", tuple_arg(name, "output_padding", self.output_padding, n, 0))
        set_(self, "out_channels", self._argument("out_channels", self.out_channels, 1))
        set_(self, "groups", self._argument("groups", self.groups, 1))
        if not isinstance(self.bias, bool):
            raise ShapeError(f"{name}: bias must be True or False, got {self.bias!r}")
        if self.out_channels % self.groups:
            raise ShapeError(f"{self!r}: out_channels {self.out_channels} is not divisible by groups "
                             f"{self.groups}; use a multiple of {self.groups} filters")
        if isinstance(self.padding[0], str) and self.output_padding is not None:
            for axis, a, s in zip(self.dims, self.output_padding, self.stride):
                if a >= s:  # Keras: "output_padding must be strictly less than strides"
                    where = f"{axis}: " if n > 1 else ""
                    raise ShapeError(
                        f"{self!r}: {where}output_padding {a} must be smaller than the stride {s} "
                        f"(Keras' rule for padding='{self.padding[0]}'); use output_padding ≤ {s - 1} "
                        "or None")
        if not isinstance(self.padding[0], str):
            for axis, a, s, d in zip(self.dims, self.output_padding, self.stride, self.dilation):
                if not (a < s or a < d):
                    where = f"{axis}: " if n > 1 else ""
                    raise ShapeError(
                        f"{self!r}: {where}output_padding {a} must be smaller than the stride {s} or "
                        f"the dilation {d}; use output_padding ≤ {max(s, d) - 1}")

    def _facts(self, shape) -> Facts:
        dims = self.dims
        if len(shape) != 1 + len(dims):
            self._rank(shape, 1 + len(dims), "(C, " + ", ".join(d[0].upper() for d in dims) + ")")
        c_in, g = shape[0], self.groups
        if c_in < 1:
            raise self._error(shape, "channels: a transposed convolution needs at least one input "
                                     "channel (PyTorch refuses an empty weight)")
        if c_in % g:
            raise self._error(shape, (
                f"channels: {c_in} input channels are not divisible by groups {g}; "
                f"use groups dividing {c_in}"))
        wins, problems = [], []
        for i, dim in enumerate(dims):
            n, k, s, d, p = shape[1 + i], self.kernel_size[i], self.stride[i], self.dilation[i], self.padding[i]
            a = None if self.output_padding is None else self.output_padding[i]
            try:
                if n < 1:
                    raise DimensionProblem(f"input size = {n} must be ≥ 1 (PyTorch refuses an empty map)")
                if isinstance(p, str):
                    wins.append(keras_transpose_dim(n, k, s, p, a, d))
                else:
                    wins.append(conv_transpose_dim(n, k, s, p, a, d))
            except DimensionProblem as e:
                problems.append(f"{dim}: {e}")
        if problems:
            raise self._error(shape, join_problems(dims, problems))
        c_out = self.out_channels
        kernel = math.prod(self.kernel_size)
        biases = c_out if self.bias else 0
        out_positions = math.prod(w.out for w in wins)
        in_positions = math.prod(shape[1:])
        return Facts((c_out, *(w.out for w in wins)), c_in * (c_out // g) * kernel, biases, 0,
                     c_in * in_positions * (c_out // g) * kernel, biases * out_positions, True, None,
                     transpose_rf(wins))

    def windows_of(self, in_shape) -> tuple:
        """The direct convolutions this layer equals, one per axis (for figures)."""
        shape = self._checked(in_shape)
        self._facts(shape)
        out = []
        for i in range(len(self.dims)):
            n, k, s, d, p = shape[1 + i], self.kernel_size[i], self.stride[i], self.dilation[i], self.padding[i]
            a = None if self.output_padding is None else self.output_padding[i]
            out.append(keras_transpose_dim(n, k, s, p, a, d) if isinstance(p, str)
                       else conv_transpose_dim(n, k, s, p, a, d))
        return tuple(out)

    def hyper(self) -> str:
        parts = ["×".join(map(str, self.kernel_size)), f"s{_show(self.stride)}"]
        p = _show(self.padding)
        parts.append(f"p{p}" if not isinstance(p, str) else p)
        if self.output_padding is not None and any(self.output_padding):
            parts.append(f"op{_show(self.output_padding)}")
        if self.dilation != (1,) * len(self.dims):
            parts.append(f"d{_show(self.dilation)}")
        if self.groups != 1:
            parts.append(f"g{self.groups}")
        return "transposed " + " ".join(str(x) for x in parts)


@dataclass(frozen=True, repr=False)
class ConvTranspose2d(_ConvTransposeNd):
    """2-d transposed convolution on (C, H, W): o = (n − 1)·s − 2p + d·(k − 1) + a + 1 per axis.

    >>> ConvTranspose2d(64, 4, stride=2, padding=1).output_shape((128, 16, 16))
    (64, 32, 32)
    >>> ConvTranspose2d(64, 4, stride=2, padding=1).params((128, 16, 16))
    131136
    """

    dims: ClassVar[tuple] = AXES[2]
    spatial: ClassVar[int] = 2


@dataclass(frozen=True, repr=False)
class ConvTranspose1d(_ConvTransposeNd):
    """1-d transposed convolution on (C, L).

    >>> ConvTranspose1d(6, 3, stride=2).output_shape((4, 5))
    (6, 11)
    """

    dims: ClassVar[tuple] = AXES[1]
    spatial: ClassVar[int] = 1


@dataclass(frozen=True, repr=False)
class ConvTranspose3d(_ConvTransposeNd):
    """3-d transposed convolution on (C, D, H, W)."""

    dims: ClassVar[tuple] = AXES[3]
    spatial: ClassVar[int] = 3
