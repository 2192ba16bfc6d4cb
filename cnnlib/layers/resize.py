"""Layers that change the spatial size without weights: upsampling, zero padding and cropping.

None has parameters or MACs; each makes a new tensor (kept for the backward pass).  Their
receptive-field steps: upsampling by an integer factor f reads 1 (nearest) or 2 (linear
modes) inputs per output at a jump of 1/f; padding and cropping shift positions by the
cells added or removed before.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

from ..arithmetic import check_int
from ..errors import DimensionProblem, ShapeError
from ..facts import IRREGULAR, Facts, RFStep
from ..upsampling import scaled_size
from .base import AXES, Layer, _pos, _show, join_problems
from .pool import adaptive_accepts_no_channels

__all__ = ["CenterCrop2d", "Crop2d", "Upsample", "ZeroPad1d", "ZeroPad2d", "ZeroPad3d"]

#: mode → (spatial axes it works on, inputs each output reads)
MODES = {"nearest": ((1, 2, 3), 1), "nearest-exact": ((1, 2, 3), 1), "linear": ((1,), 2),
         "bilinear": ((2,), 2), "bicubic": ((2,), 4), "trilinear": ((3,), 2), "area": ((1, 2, 3), None)}


def _scale(value):
    """A scale factor: int, float or Fraction > 0 (checked at construction)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        try:
            value = check_int("scale_factor", value, 0)
        except DimensionProblem:
            raise ShapeError(f"Upsample: scale_factor must be a number, got {value!r}") from None
    return value


@dataclass(frozen=True, repr=False)
class Upsample(Layer):
    """Resize (C, L), (C, H, W) or (C, D, H, W) by ``scale_factor`` or to ``size``, as torch.nn.Upsample.

    Output per axis: ``size`` when given, else ⌊n·scale⌋ (a float scale is multiplied as
    PyTorch does, in double precision; an int or a Fraction exactly).  Modes: nearest,
    nearest-exact, area (any rank), linear (1-d), bilinear and bicubic (2-d), trilinear (3-d).

    >>> Upsample(scale_factor=2).output_shape((64, 28, 28))
    (64, 56, 56)
    >>> Upsample(scale_factor=1.5, mode="bilinear").output_shape((3, 5, 7))
    (3, 7, 10)
    """

    size: object = None
    scale_factor: object = None
    mode: str = "nearest"
    align_corners: object = None
    kind: ClassVar[str] = "resize"

    def __post_init__(self):
        if self.mode not in MODES:
            raise ShapeError(f"Upsample: mode must be one of {', '.join(MODES)}, got {self.mode!r}")
        if self.align_corners is not None:
            if self.mode in ("nearest", "nearest-exact", "area"):
                raise ShapeError("Upsample: align_corners can only be set with the interpolating modes "
                                 "linear, bilinear, bicubic and trilinear")
            if not isinstance(self.align_corners, bool):
                raise ShapeError(f"Upsample: align_corners must be True, False or None, got {self.align_corners!r}")
        # PyTorch: a scale of 0 counts as not given
        sf = self.scale_factor
        scale_given = sf is not None and (isinstance(sf, (tuple, list, str)) or sf != 0)
        if self.size is not None and scale_given:
            raise ShapeError("Upsample: give size or scale_factor, not both")
        if self.size is None and not scale_given:
            raise ShapeError("Upsample: give size (the output size) or scale_factor (how many times larger)")
        if self.size is not None:
            try:
                object.__setattr__(self, "size", tuple(check_int("size", v, 0) for v in self.size)
                                   if isinstance(self.size, (tuple, list)) else check_int("size", self.size, 0))
            except DimensionProblem as e:
                raise ShapeError(f"Upsample: {e} (PyTorch: output sizes must be greater than 0)") from None
        else:
            sf = self.scale_factor
            object.__setattr__(self, "scale_factor", tuple(_scale(v) for v in sf)
                               if isinstance(sf, (tuple, list)) else _scale(sf))

    def _per_axis(self, value, n_axes, what):
        if isinstance(value, tuple):
            if len(value) != n_axes:
                raise ShapeError(f"{self!r}: {what} has {len(value)} values for {n_axes} spatial axes")
            return value
        return (value,) * n_axes

    def _facts(self, shape) -> Facts:
        n_axes = len(shape) - 1
        ranks, reads = MODES[self.mode]
        if n_axes not in ranks:
            want = " or ".join(str(r) for r in ranks)
            raise self._error(shape, f"mode '{self.mode}' resizes {want} spatial axes; this input has "
                                     f"{n_axes} (channels first, no batch)")
        dims = AXES[n_axes]
        area = self.mode == "area"  # PyTorch computes it as adaptive average pooling
        outs, problems = [], []
        targets = self._per_axis(self.size, n_axes, "size") if self.size is not None else None
        scales = self._per_axis(self.scale_factor, n_axes, "scale_factor") if targets is None else None
        for i, dim in enumerate(dims):
            n = shape[1 + i]
            try:
                o = targets[i] if targets else scaled_size(n, scales[i])
                if area and n >= 1 and o == 0:
                    pass  # adaptive pooling to an empty map is allowed
                elif o < 1 or n < 1:
                    raise DimensionProblem(f"input {n} and output {o} sizes must be greater than 0 "
                                           "(PyTorch refuses them)")
                outs.append(o)
            except DimensionProblem as e:
                problems.append(f"{dim}: {e}")
        if problems:
            raise self._error(shape, join_problems(dims, problems))
        if shape[0] < 1 and not (area and adaptive_accepts_no_channels("avg", outs)):
            raise self._error(shape, "channels: resizing needs at least one channel (PyTorch refuses "
                                     "an empty input)")
        return Facts((shape[0], *outs), 0, 0, 0, 0, 0, True, None, self._rf(shape[1:], outs, reads))

    def _rf(self, sizes, outs, reads):
        if reads is None:  # area: adaptive average windows
            return IRREGULAR if any(o == 0 or (n % o and o % n) for n, o in zip(sizes, outs)) else tuple(
                RFStep(max(n // o, 1), Fraction(n, o), 0) for n, o in zip(sizes, outs))
        steps = []
        for n, o in zip(sizes, outs):
            if self.align_corners and o > 1:
                stride = Fraction(n - 1, o - 1)
                first = Fraction(0)
            else:
                stride = Fraction(n, o)
                first = Fraction(1, 2) * stride - Fraction(1, 2) if reads > 1 else Fraction(0)
            # the centre of output 0's field, in input coordinates, is `first`
            steps.append(RFStep(reads, stride, Fraction(reads - 1, 2) - first))
        return tuple(steps)

    def hyper(self) -> str:
        how = f"→{'×'.join(map(str, self.size)) if isinstance(self.size, tuple) else self.size}" \
            if self.size is not None else f"×{_show(self.scale_factor)}"
        return f"{how} {self.mode}"


@dataclass(frozen=True, repr=False)
class _ZeroPadNd(Layer):
    padding: object = _pos()
    kind: ClassVar[str] = "pad"
    n_axes: ClassVar[int] = 2

    def __post_init__(self):
        n = 2 * self.n_axes
        v = self.padding
        values = tuple(v) if isinstance(v, (tuple, list)) else (v,) * n
        if len(values) != n:
            raise ShapeError(f"{type(self).__name__}: padding is an int or {n} numbers "
                             f"({self._order()}), got {v!r}")
        try:
            values = tuple(check_int("padding", x, -10**299) for x in values)
        except DimensionProblem as e:
            raise ShapeError(f"{type(self).__name__}: {e}") from None
        object.__setattr__(self, "padding", values)

    def _order(self):
        return ", ".join(["left, right", "top, bottom", "front, back"][: self.n_axes])

    def _facts(self, shape) -> Facts:
        if len(shape) != 1 + self.n_axes:
            self._rank(shape, 1 + self.n_axes, "(C, " + ", ".join(d[0].upper() for d in AXES[self.n_axes]) + ")")
        dims = AXES[self.n_axes]
        # torch pads the last axis with the first pair (left, right), the one before with the next;
        # it crops (negative values) first, then pads
        pairs = [self.padding[2 * j: 2 * j + 2] for j in range(self.n_axes)][::-1]
        outs, problems = [], []
        for dim, n, (a, b) in zip(dims, shape[1:], pairs):
            kept = n + min(a, 0) + min(b, 0)
            if kept < 0:
                problems.append(f"{dim}: cropping {-min(a, 0) - min(b, 0)} of {n} cells leaves {kept} < 0 "
                                f"— negative padding cannot remove more cells than there are")
            outs.append(kept + max(a, 0) + max(b, 0))
        if problems:
            raise self._error(shape, "; ".join(problems))
        return Facts((shape[0], *outs), 0, 0, 0, 0, 0, True, None,
                     tuple(RFStep(1, 1, a) for a, _ in pairs))

    def hyper(self) -> str:
        return f"pad {_show(self.padding)}"


@dataclass(frozen=True, repr=False)
class ZeroPad2d(_ZeroPadNd):
    """Zero padding of (C, H, W) as torch.nn.ZeroPad2d: an int, or (left, right, top, bottom);
    negative values crop.

    >>> ZeroPad2d((1, 2, 3, 4)).output_shape((3, 5, 5))
    (3, 12, 8)
    """


@dataclass(frozen=True, repr=False)
class ZeroPad1d(_ZeroPadNd):
    """Zero padding of (C, L): an int or (left, right)."""

    n_axes: ClassVar[int] = 1


@dataclass(frozen=True, repr=False)
class ZeroPad3d(_ZeroPadNd):
    """Zero padding of (C, D, H, W): an int or (left, right, top, bottom, front, back)."""

    n_axes: ClassVar[int] = 3


@dataclass(frozen=True, repr=False)
class Crop2d(Layer):
    """Remove rows and columns from the borders of (C, H, W), as Keras' Cropping2D:
    ``cropping`` is an int, (h, w) (the same on both sides) or ((top, bottom), (left, right)).

    >>> Crop2d(((1, 2), (3, 4))).output_shape((8, 10, 10))
    (8, 7, 3)
    """

    cropping: object = _pos()
    kind: ClassVar[str] = "pad"
    spatial: ClassVar[int] = 2

    def __post_init__(self):
        c = self.cropping
        try:
            if isinstance(c, (tuple, list)) and len(c) == 2 and all(isinstance(x, (tuple, list)) for x in c):
                pairs = tuple(tuple(x) for x in c)
            elif isinstance(c, (tuple, list)) and len(c) == 2:
                pairs = ((c[0], c[0]), (c[1], c[1]))
            elif isinstance(c, (tuple, list)):
                raise DimensionProblem("cropping is an int, (h, w) or ((top, bottom), (left, right))")
            else:
                pairs = ((c, c), (c, c))
            if any(len(p) != 2 for p in pairs):
                raise DimensionProblem("cropping is an int, (h, w) or ((top, bottom), (left, right))")
            pairs = tuple(tuple(check_int("cropping", x, 0) for x in p) for p in pairs)
        except DimensionProblem as e:
            raise ShapeError(f"Crop2d: {e}; got {c!r}") from None
        object.__setattr__(self, "cropping", pairs)

    def _facts(self, shape) -> Facts:
        if len(shape) != 3:
            self._rank(shape, 3, "(C, H, W)")
        outs, problems = [], []
        for dim, n, (a, b) in zip(AXES[2], shape[1:], self.cropping):
            o = n - a - b
            if o < 1:
                problems.append(f"{dim}: {n} − {a} − {b} = {o} < 1 — crop less")
            outs.append(o)
        if problems:
            raise self._error(shape, "; ".join(problems))
        return Facts((shape[0], *outs), 0, 0, 0, 0, 0, True, None,
                     tuple(RFStep(1, 1, -a) for a, _ in self.cropping))

    def hyper(self) -> str:
        return f"crop {self.cropping}"


def centre_offset(n: int, m: int) -> int:
    """Rows cropped before when n becomes m: round((n − m)/2), halves to the even number
    (torchvision's CenterCrop: int(round((n − m) / 2.0)))."""
    d = n - m
    half, odd = divmod(d, 2)
    return half + (1 if odd and half % 2 else 0)


@dataclass(frozen=True, repr=False)
class CenterCrop2d(Layer):
    """Cut the centre size×size (or h×w) of each map, as U-Net crops its skip connections
    (offsets as torchvision's CenterCrop).

    >>> CenterCrop2d(56).output_shape((512, 64, 64))
    (512, 56, 56)
    """

    size: object = _pos()
    kind: ClassVar[str] = "pad"
    spatial: ClassVar[int] = 2

    def __post_init__(self):
        from .conv import tuple_arg

        object.__setattr__(self, "size", tuple_arg("CenterCrop2d", "size", self.size, 2, 1))

    def _facts(self, shape) -> Facts:
        if len(shape) != 3:
            self._rank(shape, 3, "(C, H, W)")
        problems = [f"{dim}: the map has {n} < {m}; a centre crop cannot grow it"
                    for dim, n, m in zip(AXES[2], shape[1:], self.size) if n < m]
        if problems:
            raise self._error(shape, "; ".join(problems))
        return Facts((shape[0], *self.size), 0, 0, 0, 0, 0, True, None,
                     tuple(RFStep(1, 1, -centre_offset(n, m)) for n, m in zip(shape[1:], self.size)))

    def hyper(self) -> str:
        return "centre " + "×".join(map(str, self.size))
