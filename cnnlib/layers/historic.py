"""Layers of the early networks that frameworks no longer ship: LeNet-5's (LeCun et al., 1998).

* :class:`Subsample2d` — a *trainable* subsampling layer: each output adds the k×k inputs of
  its window, multiplies the sum by one coefficient per map and adds one bias per map
  (2·C parameters).  Its windows are average pooling's.
* :class:`TableConv2d` — a convolution whose output map j reads only the input maps listed
  in ``table[j]`` (the paper's Table I for C3): k·k·Σ|table[j]| weights plus C_out biases,
  where a full convolution has k·k·C_in·C_out.
* :class:`EuclideanRBF` — the paper's output layer: unit i computes Σⱼ (xⱼ − wᵢⱼ)², with its
  in·out centres chosen by hand and kept fixed (buffers, not parameters, unless
  ``trainable=True``).

MACs follow the paper's *connections*: every input a unit reads is one multiply–accumulate
(for Subsample2d the k·k inputs share one coefficient, so the arithmetic is k·k − 1 additions
and one multiplication; for the RBF a subtraction, a square and an addition), and
connections = MACs + bias adds.  PyTorch has none of these layers; tests/oracle builds them as
small torch modules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar

from ..errors import ShapeError
from ..facts import GLOBAL, Facts, new_facts
from .base import Layer, _pos
from .conv import Conv2d
from .pool import AvgPool2d

__all__ = ["EuclideanRBF", "Subsample2d", "TableConv2d"]


@dataclass(frozen=True, repr=False)
class Subsample2d(AvgPool2d):
    """LeNet's subsampling on (C, H, W): average pooling's windows, then ×coefficient + bias per map.

    Output size: o = ⌊(n + 2p − k)/s⌋ + 1 (s = k by default), as for pooling.
    Parameters: C coefficients + C biases.  MACs: C·o·o·k·k (one per input read, all
    sharing the map's coefficient); bias adds C·o·o.

    >>> s2 = Subsample2d(2)
    >>> s2.output_shape((6, 28, 28)), s2.params((6, 28, 28))
    ((6, 14, 14), 12)
    >>> s2.macs((6, 28, 28)) + s2.bias_adds((6, 28, 28))  # the paper's 5,880 connections
    5880
    """

    def _facts(self, shape) -> Facts:
        f = super()._facts(shape)
        c = shape[0]
        positions = math.prod(f.out_shape[1:])
        taps = math.prod(self.kernel_size)
        return new_facts(Facts, (f.out_shape, c, c, 0, c * positions * taps, c * positions, True,
                                 f.windows, f.rf))


def _table_arg(table) -> tuple:
    """A connection table as a tuple of sorted tuples of input-map indices, or ShapeError."""
    if isinstance(table, (str, bytes)) or not isinstance(table, (tuple, list)) or not table:
        raise ShapeError("TableConv2d: table must list, for every output map, the input maps it "
                         f"reads (e.g. ((0, 1, 2), (1, 2, 3))); got {table!r}")
    out = []
    for j, entry in enumerate(table):
        if isinstance(entry, (str, bytes)) or not isinstance(entry, (tuple, list, range, set, frozenset)) or not entry:
            raise ShapeError(f"TableConv2d: table[{j}] must be a non-empty list of input-map indices, "
                             f"got {entry!r}")
        if any(isinstance(i, bool) or not isinstance(i, int) or i < 0 for i in entry):
            raise ShapeError(f"TableConv2d: table[{j}] holds input-map indices, whole numbers ≥ 0; "
                             f"got {entry!r}")
        if len(set(entry)) != len(entry):
            raise ShapeError(f"TableConv2d: table[{j}] names an input map twice: {entry!r}")
        out.append(tuple(sorted(entry)))
    return tuple(out)


@dataclass(frozen=True, repr=False)
class TableConv2d(Conv2d):
    """A 2-d convolution whose output map j reads only the input maps ``table[j]``.

    ``out_channels`` must equal ``len(table)``.  With T = Σⱼ |table[j]| connected map pairs
    (T = C_in·C_out for a full convolution):
    weights k_h·k_w·T, biases C_out, MACs H_out·W_out·k_h·k_w·T.  Output size as Conv2d.

    >>> from cnnlib.zoo import LENET5_C3_TABLE
    >>> c3 = TableConv2d(16, 5, table=LENET5_C3_TABLE)
    >>> c3.output_shape((6, 14, 14)), c3.params((6, 14, 14))
    ((16, 10, 10), 1516)
    """

    table: tuple = field(default=(), repr=False)

    def __post_init__(self):
        super().__post_init__()
        table = _table_arg(self.table)
        if len(table) != self.out_channels:
            raise ShapeError(f"TableConv2d: the table has {len(table)} entries for {self.out_channels} "
                             "output maps; give one entry (the input maps it reads) per output map")
        if self.groups != 1:
            raise ShapeError("TableConv2d: the table says which maps each output reads; groups must be 1")
        self.__dict__["table"] = table

    @property
    def connections(self) -> int:
        """Σⱼ |table[j]|: the (input map, output map) pairs that have a kernel."""
        return sum(len(t) for t in self.table)

    def _facts(self, shape) -> Facts:
        f = super()._facts(shape)
        top = max(max(t) for t in self.table)
        if top >= shape[0]:
            raise self._error(shape, f"channels: the table reads input map {top} (counting from 0), "
                                     f"but the input has {shape[0]} channel(s)")
        per_map = math.prod(self.kernel_size)
        weights = per_map * self.connections
        positions = math.prod(f.out_shape[1:])
        return new_facts(Facts, (f.out_shape, weights, f.biases, 0, positions * weights, f.bias_adds,
                                 True, f.windows, f.rf))

    def hyper(self) -> str:
        return f"{super().hyper()}, {self.connections} map pairs"


@dataclass(frozen=True, repr=False)
class EuclideanRBF(Layer):
    """Euclidean radial-basis output units on a vector (F,) → (units,): yᵢ = Σⱼ (xⱼ − wᵢⱼ)².

    F·units centres, no bias.  LeNet-5 fixed them by hand (±1 bitmaps of the characters), so
    by default they are buffers — stored, not trained — and the layer has 0 parameters;
    ``trainable=True`` counts them as weights.  MACs F·units.

    >>> rbf = EuclideanRBF(10)
    >>> rbf.output_shape((84,)), rbf.params((84,)), rbf.buffers((84,)), rbf.macs((84,))
    ((10,), 0, 840, 840)
    """

    units: int = _pos()
    trainable: bool = False
    kind: ClassVar[str] = "fc"

    def __post_init__(self):
        object.__setattr__(self, "units", self._argument("units", self.units, 1))
        if not isinstance(self.trainable, bool):
            raise ShapeError(f"EuclideanRBF: trainable must be True or False, got {self.trainable!r}")

    def _facts(self, shape) -> Facts:
        self._rank(shape, 1, "vector (F,)")
        centres = shape[0] * self.units
        weights, buffers = (centres, 0) if self.trainable else (0, centres)
        return new_facts(Facts, ((self.units,), weights, 0, buffers, centres, 0, True, None, GLOBAL))

    def hyper(self) -> str:
        return f"{self.units} units" + ("" if self.trainable else ", fixed")
