"""Convolutions: Conv1d, Conv2d (and, by the same class, any number of spatial axes)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from ..arithmetic import _LIMIT, check_int, check_same, conv_dim, same_dim
from ..errors import DimensionProblem, ShapeError
from ..facts import Facts, new_facts
from .base import AXES, Layer, _pos, _show, floor_windows, floor_windows_2d, join_problems

__all__ = ["Conv1d", "Conv2d", "Conv3d", "tuple_arg"]


def tuple_arg(layer: str, name: str, value, n: int, minimum: int, *, strings=()) -> tuple:
    """An int or an n-tuple → an n-tuple of checked ints (or of one of ``strings``).

    >>> tuple_arg("Conv2d", "kernel_size", 3, 2, 1)
    (3, 3)
    """
    if type(value) is int and minimum <= value < _LIMIT:  # the common case, fast
        return (value,) * n
    if isinstance(value, str):
        if value.lower() in strings:
            return (value.lower(),) * n
        allowed = "an int ≥ 0" + (", an (h, w) pair" if n == 2 else "") + \
            "".join(f", '{x}'" for x in strings)
        raise ShapeError(f"{layer}: {name} must be {allowed}; got {value!r}")
    if isinstance(value, (tuple, list)):
        if len(value) != n:
            what = "an int or an (h, w) pair" if n == 2 else f"an int or a {n}-tuple"
            raise ShapeError(f"{layer}: {name} must be {what}, got {value!r}")
        values = tuple(value)
    else:
        values = (value,) * n
    out = []
    for axis, v in zip(AXES[n], values):
        try:
            out.append(check_int(name, v, minimum))
        except DimensionProblem as e:
            where = f"{axis}: " if len(set(map(repr, values))) > 1 else ""
            raise ShapeError(f"{layer}: {where}{e}") from None
    return tuple(out)


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

    def _direct_init(self, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True):
        """The dataclass's ``__init__`` (see base.fast_init) with the common case in line: every
        argument a plain int in range, groups 1, bias a bool.  Anything else: __post_init__."""
        v = self.__dict__
        v["out_channels"], v["groups"], v["bias"] = out_channels, groups, bias
        if (kernel_size.__class__ is stride.__class__ is padding.__class__ is dilation.__class__
                is out_channels.__class__ is groups.__class__ is int and groups == 1 and bias.__class__ is bool
                and 0 < kernel_size < _LIMIT and 0 < stride < _LIMIT and 0 <= padding < _LIMIT
                and 0 < dilation < _LIMIT and 0 < out_channels < _LIMIT):
            if self.spatial == 2:
                v["kernel_size"], v["stride"] = (kernel_size, kernel_size), (stride, stride)
                v["padding"], v["dilation"] = (padding, padding), (dilation, dilation)
                return
            n = self.spatial
            v["kernel_size"], v["stride"] = (kernel_size,) * n, (stride,) * n
            v["padding"], v["dilation"] = (padding,) * n, (dilation,) * n
            return
        v["kernel_size"], v["stride"], v["padding"], v["dilation"] = kernel_size, stride, padding, dilation
        self.__post_init__()

    def __post_init__(self):
        v = self.__dict__
        n, name = len(self.dims), type(self).__name__
        # one dict update instead of object.__setattr__ per field: models make many layers
        v.update(kernel_size=tuple_arg(name, "kernel", v["kernel_size"], n, 1),
                 stride=tuple_arg(name, "stride", v["stride"], n, 1),
                 dilation=tuple_arg(name, "dilation", v["dilation"], n, 1),
                 padding=tuple_arg(name, "padding", v["padding"], n, 0, strings=("valid", "same")),
                 out_channels=self._argument("out_channels", v["out_channels"], 1),
                 groups=self._argument("groups", v["groups"], 1))
        if v["bias"] is not True and v["bias"] is not False:
            raise ShapeError(f"{name}: bias must be True or False, got {self.bias!r}")
        if self.padding[0] == "same":
            for s, d in zip(self.stride, self.dilation):
                try:
                    check_same(s, d)
                except DimensionProblem as e:
                    raise ShapeError(f"{name}: {e}") from None
        if self.out_channels % self.groups:
            raise ShapeError(
                f"{self!r}: out_channels {self.out_channels} is not divisible by groups "
                f"{self.groups}; use a multiple of {self.groups} filters"
            )

    def _facts(self, shape) -> Facts:
        if len(shape) == 3 and self.spatial == 2:  # the commonest case (2-d, numeric padding), in line
            c_in, h, w = shape
            g = self.groups
            wins = None if c_in % g else floor_windows_2d(h, w, self.kernel_size, self.stride, self.dilation,
                                                          self.padding)
            if wins is not None:
                oh, ow = wins[0][6], wins[1][6]  # Window.out
                kh, kw = self.kernel_size
                c_out = self.out_channels
                per_output = (c_in // g) * kh * kw
                biases = c_out if self.bias else 0
                positions = oh * ow
                return new_facts(Facts, ((c_out if c_in else 0, oh, ow), c_out * per_output, biases, 0,
                                         c_out * positions * per_output, biases * positions, True, wins, wins))
        dims = self.dims
        nd = len(dims)
        if len(shape) != 1 + nd:
            self._rank(shape, 1 + nd, "(C, " + ", ".join(d[0].upper() for d in dims) + ")")
        c_in = shape[0]
        g = self.groups
        if c_in % g:
            raise self._error(shape, (
                f"channels: {c_in} input channels are not divisible by groups {g}; "
                f"each group needs C_in/g channels — use groups dividing {c_in}"))
        ks, ss, ds, ps = self.kernel_size, self.stride, self.dilation, self.padding
        wins = floor_windows(shape, ks, ss, ds, ps)  # numeric padding, a map that fits
        if len(wins) != nd:
            wins = self._windows_slow(shape)
        # PyTorch accepts a zero-channel input and returns an empty (0, H_out, W_out) map,
        # whatever out_channels is; cnnlib mirrors that shape (and counts 0 MACs).
        c_out = self.out_channels
        outs = tuple([w.out for w in wins])
        positions = math.prod(outs)
        per_output = (c_in // g) * math.prod(ks)
        biases = c_out if self.bias else 0
        wins = tuple(wins)
        return new_facts(Facts, ((c_out if c_in else 0, *outs), c_out * per_output, biases, 0,
                                 c_out * positions * per_output, biases * positions, True, wins, wins))

    def _windows_slow(self, shape) -> list:
        """Every axis with its checks and messages ('same', 'valid', empty maps, too small)."""
        dims, c_in = self.dims, shape[0]
        wins, problems = [], []
        for i, dim in enumerate(dims):
            n, k, s, d, p = shape[1 + i], self.kernel_size[i], self.stride[i], self.dilation[i], self.padding[i]
            try:
                if p == "same":
                    if n < 1:
                        raise DimensionProblem(f"input size = {n} must be ≥ 1 (a feature map needs "
                                               "at least one row and one column)")
                    wins.append(same_dim(n, k, s, d))
                else:
                    # like torch, a zero-channel input may have size 0 when numeric padding
                    # alone holds the kernel
                    if n < 1 and (c_in or p == "valid"):
                        raise DimensionProblem(f"input size = {n} must be ≥ 1 (a feature map needs "
                                               "at least one row and one column)")
                    p = 0 if p == "valid" else p
                    wins.append(conv_dim(n, k, s, p, p, d))
            except DimensionProblem as e:
                problems.append(f"{dim}: {e}")
        if problems:
            raise self._error(shape, join_problems(dims, problems))
        return wins

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

    dims: ClassVar[tuple] = AXES[2]
    spatial: ClassVar[int] = 2


@dataclass(frozen=True, repr=False)
class Conv1d(_ConvNd):
    """1-d convolution on (C, L) → (C_out, L_out); same arguments as Conv2d.

    >>> Conv1d(8, 3).output_shape((5, 100))
    (8, 98)
    >>> Conv1d(8, 3).params((5, 100))
    128
    """

    dims: ClassVar[tuple] = AXES[1]
    spatial: ClassVar[int] = 1


@dataclass(frozen=True, repr=False)
class Conv3d(_ConvNd):
    """3-d convolution on (C, D, H, W) (video); same arguments as Conv2d.

    >>> Conv3d(8, 3).output_shape((3, 5, 6, 7))
    (8, 3, 4, 5)
    """

    dims: ClassVar[tuple] = AXES[3]
    spatial: ClassVar[int] = 3
