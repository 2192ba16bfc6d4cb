"""Models: a chain of layers with an input shape, branches, summaries and totals.

``Sequential(input_shape, layers)`` carries a shape through its layers and answers the
questions of the sources' tables — output shape, weights, biases, parameters, MACs and
activation elements of every layer — computed from the layer objects each time they are
asked (derive, don't store).  ``Concat`` (Inception modules) and ``Residual`` (ResNet
blocks) hold branches of layers; every total is the sum over *leaf* layers only, so a
container never counts its children twice (torchinfo's container double-count is the bug
to avoid).

Conventions (one paragraph the book reuses):

* **Parameters** are what ``sum(p.numel() for p in model.parameters())`` counts in
  PyTorch. BatchNorm's running mean and variance are *buffers* (``Sequential.buffers``);
  Keras lists them as "non-trainable params" and so reports 4·C per BatchNorm, not 2·C.
* **MACs** are the multiply–accumulates of one forward pass for one input, of convolution
  and dense layers only: C_out·H_out·W_out·(C_in/g)·k_h·k_w and in·out.  Bias additions
  are *not* counted (they are ``bias_adds``); FLOPs ≈ 2·MACs where a source says so.
  torchinfo's "mult-adds" adds the bias adds and 2·C per BatchNorm
  (see :meth:`Sequential.torchinfo_totals`).
* **Activation elements** follow the CS231n VGG table: the input plus the output of every
  layer that makes a new tensor — convolution, pooling, dense, and (cnnlib's choice, the
  table has none) BatchNorm and local response normalisation, whose outputs PyTorch also
  keeps for the backward pass.  Activation functions and dropout act in place, Flatten is
  a view, and the merge of a Concat or Residual adds nothing (the branch outputs are
  counted; an implementation can write them into one buffer and add in place, as
  torchvision's ``out += identity`` does).

>>> from cnnlib import Conv2d, MaxPool2d, ReLU, Flatten, Dense
>>> m = Sequential((1, 28, 28), [Conv2d(32, 3), ReLU(), MaxPool2d(2), Conv2d(32, 3), ReLU(),
...                MaxPool2d(2), Flatten(), Dense(128), ReLU(), Dense(10)])
>>> m.total_params, m.output_shape
(113386, (10,))
>>> m.names[:4]
('conv1', 'relu1', 'pool1', 'conv2')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar

from .errors import ShapeError
from .layers import Layer, shape_str

__all__ = [
    "COLUMNS",
    "Concat",
    "LayerRow",
    "Memory",
    "RFRow",
    "Residual",
    "Sequential",
    "receptive_field",
]

#: Summary columns, chosen by name as torchinfo's ColumnSettings.
COLUMNS = ("name", "type", "kernel/stride/padding", "output shape", "weights", "biases",
           "params", "MACs", "activations")

_COUNTED_KINDS = ("conv", "pool", "fc", "bn", "norm")  # layers whose output is a new tensor
_NAME_OF_KIND = {"drop": "dropout", "concat": "concat", "residual": "block", "norm": "lrn"}


# ------------------------------------------------------------------- naming


def _default_stem(layer) -> str:
    if layer.kind == "act":
        return type(layer).__name__.lower()
    return _NAME_OF_KIND.get(layer.kind, layer.kind)


def _named(items, what="layers") -> tuple:
    """Layers or (name, layer) pairs → a tuple of (name, layer) with kind-numbered names."""
    if isinstance(items, Layer):
        raise ShapeError(f"{what} must be a list of layers, got a single {items!r}; wrap it in [ ]")
    try:
        items = list(items)
    except TypeError:
        raise ShapeError(f"{what} must be a list of layers, got {items!r}") from None
    out, counts, seen = [], {}, set()
    for item in items:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            name, layer = item
        else:
            name, layer = None, item
        if not isinstance(layer, Layer):
            raise ShapeError(f"{what}: {layer!r} is not a cnnlib layer")
        if name is None:
            stem = _default_stem(layer)
            counts[stem] = counts.get(stem, 0) + 1
            name = f"{stem}{counts[stem]}"
        if name in seen:
            raise ShapeError(f"{what}: the name {name!r} is used twice")
        seen.add(name)
        out.append((name, layer))
    return tuple(out)


def _prefixed(error: ShapeError, name: str) -> ShapeError:
    """The same error with the layer's name in front: 'conv5: Conv2d(…) on …: …'."""
    path = getattr(error, "layer_path", None)
    detail = getattr(error, "detail", str(error))
    path = f"{name}.{path}" if path else name
    new = ShapeError(f"{path}: {detail}")
    new.layer_path, new.detail = path, detail
    return new


def _run(chain, shape) -> tuple:
    """Carry `shape` through a named chain; errors name the failing layer."""
    for name, layer in chain:
        try:
            shape = tuple(layer.output_shape(shape))
        except ShapeError as e:
            raise _prefixed(e, name) from None
    return shape


# ------------------------------------------------------------------- rows


@dataclass(frozen=True)
class LayerRow:
    """One leaf layer (or the input) of a summary — torchinfo's LayerInfo, computed.

    ``activations`` is the number of elements this row adds to the forward activation
    total (its output for a conv/pool/dense/BN/LRN layer and the input row, else 0);
    ``bias_adds`` the bias additions of a conv or dense layer (not part of ``macs``).
    """

    name: str
    layer: object = field(repr=False)  # None for the input row
    depth: int
    in_shape: tuple
    out_shape: tuple
    weights: int
    biases: int
    buffers: int
    macs: int
    bias_adds: int
    activations: int

    @property
    def params(self) -> int:
        return self.weights + self.biases

    @property
    def type(self) -> str:
        return "Input" if self.layer is None else type(self.layer).__name__

    @property
    def kind(self) -> str:
        return "input" if self.layer is None else self.layer.kind

    @property
    def hyper(self) -> str:
        """Kernel/stride/padding text of the layer ('' for the input and parameter-free ones)."""
        return "" if self.layer is None else self.layer.hyper()


def _counts(layer, shape) -> tuple:
    """(out, weights, biases, buffers, macs, bias_adds, activations) of one leaf layer."""
    out = tuple(layer.output_shape(shape))  # checks the shape; the base methods add nothing
    cls = type(layer)
    counts_params = any(getattr(cls, m) is not getattr(Layer, m) for m in ("params", "weights", "biases"))
    weights, biases = (layer.weights(shape), layer.biases(shape)) if counts_params else (0, 0)
    buffers = layer.buffers(shape) if cls.buffers is not Layer.buffers else 0
    macs = layer.macs(shape) if cls.macs is not Layer.macs else 0
    bias_adds = 0
    if biases and layer.kind == "conv":
        bias_adds = biases * math.prod(out[1:])
    elif biases and layer.kind == "fc":
        bias_adds = biases * math.prod(out[:-1])
    acts = math.prod(out) if layer.kind in _COUNTED_KINDS and not layer.in_place else 0
    return out, weights, biases, buffers, macs, bias_adds, acts


def _leaf_row(name, layer, shape, depth, seen=None) -> LayerRow:
    """The row of one leaf; `seen` shares the counts of a layer met again on the same shape
    within one summary (ResNet's repeated blocks) — computed once, never kept afterwards."""
    key = None
    if seen is not None:
        try:
            key = (layer, shape)
            hit = seen.get(key)
        except TypeError:  # a layer with unhashable fields: just compute
            key, hit = None, None
        if hit is not None:
            return LayerRow(name, layer, depth, shape, *hit)
    try:
        counts = _counts(layer, shape)
    except ShapeError as e:
        raise _prefixed(e, name) from None
    if key is not None:
        seen[key] = counts
    return LayerRow(name, layer, depth, shape, *counts)


def _rows(chain, shape, prefix, depth, out, seen=None) -> tuple:
    """Append the leaf rows of a named chain to `out`; return the chain's output shape."""
    for name, layer in chain:
        full = f"{prefix}{name}"
        if isinstance(layer, _Container):
            try:
                new = layer._leaf_rows(shape, full, depth + 1, out, seen)
            except ShapeError as e:
                if getattr(e, "layer_path", "").startswith(full):
                    raise
                raise _prefixed(e, full) from None
            shape = new
        else:
            row = _leaf_row(full, layer, shape, depth, seen)
            out.append(row)
            shape = row.out_shape
    return shape


# -------------------------------------------------------------- containers


def _sub(path: str, name: str = "") -> str:
    """Prefix for the leaves under `path` (and branch `name`): 'inc3a.' + 'branch2.'."""
    parts = [x for x in (path, name) if x]
    return ".".join(parts) + "." if parts else ""


@dataclass(frozen=True, repr=False)
class _Container(Layer):
    """A layer made of other layers; all its counts are sums over its leaves."""

    def _leaf_rows(self, shape, prefix, depth, out, seen=None) -> tuple:
        raise NotImplementedError

    def rows(self, in_shape) -> list[LayerRow]:
        """The leaf rows of this container for `in_shape` (names relative to it)."""
        out: list = []
        self._leaf_rows(tuple(in_shape), "", 0, out, {})
        return out

    def _sum(self, in_shape, attr) -> int:
        return sum(getattr(r, attr) for r in self.rows(in_shape))

    def params(self, in_shape) -> int:
        return self._sum(in_shape, "params")

    def weights(self, in_shape) -> int:
        return self._sum(in_shape, "weights")

    def biases(self, in_shape) -> int:
        return self._sum(in_shape, "biases")

    def buffers(self, in_shape) -> int:
        return self._sum(in_shape, "buffers")

    def macs(self, in_shape) -> int:
        return self._sum(in_shape, "macs")


@dataclass(frozen=True, repr=False)
class Concat(_Container):
    """Branches that read the same input; their outputs are joined along the channels.

    An Inception module: every branch is a chain of layers, C_out = Σ C_branch, and the
    spatial sizes (H, W) of all branches must agree, else ShapeError.  Branches are a list
    of lists (named branch1, branch2, …) or a dict {name: [layers]}; layers may be
    (name, layer) pairs.

    >>> from cnnlib import Conv2d, MaxPool2d
    >>> inc = Concat([[Conv2d(64, 1)], [Conv2d(96, 1), Conv2d(128, 3, padding=1)],
    ...               [MaxPool2d(3, stride=1, padding=1), Conv2d(32, 1)]])
    >>> inc.output_shape((192, 28, 28))
    (224, 28, 28)
    >>> inc.params((192, 28, 28)) == (192*64+64) + (192*96+96) + (96*9*128+128) + (192*32+32)
    True
    """

    branches: object = field(default=(), metadata={"positional": True})
    kind: ClassVar[str] = "concat"

    def __post_init__(self):
        items = self.branches
        if isinstance(items, dict):
            pairs = list(items.items())
        else:
            if isinstance(items, Layer):
                raise ShapeError("Concat needs a list of branches (lists of layers)")
            pairs = [(f"branch{i + 1}", b) for i, b in enumerate(items)]
        if not pairs:
            raise ShapeError("Concat needs at least one branch")
        norm = tuple((str(n), _named(b if not isinstance(b, Layer) else [b], f"Concat branch {n}"))
                     for n, b in pairs)
        object.__setattr__(self, "branches", norm)

    def __repr__(self) -> str:
        return f"Concat({len(self.branches)} branches)"

    def _merge(self, shape, outs) -> tuple:
        ranks = {len(o) for _, o in outs}
        spatial = {o[1:] for _, o in outs}
        if len(ranks) > 1 or len(spatial) > 1 or not all(len(o) >= 2 for _, o in outs):
            listing = ", ".join(f"{n} → {shape_str(o)}" for n, o in outs)
            raise ShapeError(
                f"Concat on {shape_str(shape)}: the branches must agree on every axis but the "
                f"channels to be concatenated, got {listing}; change a branch's stride or "
                f"padding so that they give the same spatial size")
        return (sum(o[0] for _, o in outs), *outs[0][1][1:])

    def output_shape(self, in_shape) -> tuple:
        shape = tuple(in_shape)
        outs = []
        for name, chain in self.branches:
            try:
                outs.append((name, _run(chain, shape)))
            except ShapeError as e:
                raise _prefixed(e, name) from None
        return self._merge(shape, outs)

    def _leaf_rows(self, shape, prefix, depth, out, seen=None) -> tuple:
        outs = []
        for name, chain in self.branches:
            outs.append((name, _rows(chain, shape, _sub(prefix, name), depth, out, seen)))
        return self._merge(shape, outs)

    def hyper(self) -> str:
        return f"{len(self.branches)} branches"


@dataclass(frozen=True, repr=False)
class Residual(_Container):
    """out = block(x) + shortcut(x), then the `post` layers (ResNet's final ReLU).

    ``shortcut=None`` is the identity; the block's output must then have the input's
    shape, else ShapeError (use a projection shortcut, e.g. a strided 1×1 convolution and
    BatchNorm, as torchvision's ``downsample``).  The addition has no parameters and no MACs
    in cnnlib's convention (bias adds are not counted either).

    >>> from cnnlib import Conv2d, BatchNorm2d, ReLU
    >>> blk = Residual([Conv2d(64, 3, padding=1, bias=False), BatchNorm2d(), ReLU(),
    ...                 Conv2d(64, 3, padding=1, bias=False), BatchNorm2d()], post=[ReLU()])
    >>> blk.output_shape((64, 56, 56)), blk.params((64, 56, 56))
    ((64, 56, 56), 73984)
    """

    block: object = field(default=(), metadata={"positional": True})
    shortcut: object = None
    post: object = ()
    kind: ClassVar[str] = "residual"

    def __post_init__(self):
        object.__setattr__(self, "block", _named(self.block, "Residual block"))
        if self.shortcut is not None:
            object.__setattr__(self, "shortcut", _named(self.shortcut, "Residual shortcut"))
        object.__setattr__(self, "post", _named(self.post, "Residual post"))

    def __repr__(self) -> str:
        sc = "identity" if not self.shortcut else "projection"
        return f"Residual({len(self.block)} layers, {sc} shortcut)"

    def _merge(self, shape, main, side) -> tuple:
        if main != side:
            what = "the input" if not self.shortcut else "the shortcut"
            raise ShapeError(
                f"Residual on {shape_str(shape)}: the block gives {shape_str(main)} but {what} "
                f"gives {shape_str(side)}; they are added element by element, so they must "
                f"match — use a projection shortcut (1×1 conv with the block's stride and "
                f"channels) or keep stride 1 and the channel count")
        return main

    def output_shape(self, in_shape) -> tuple:
        shape = tuple(in_shape)
        main = _run(self.block, shape)
        try:
            side = _run(self.shortcut, shape) if self.shortcut else shape
        except ShapeError as e:
            raise _prefixed(e, "shortcut") from None
        return _run(self.post, self._merge(shape, main, side))

    def _leaf_rows(self, shape, prefix, depth, out, seen=None) -> tuple:
        main = _rows(self.block, shape, _sub(prefix), depth, out, seen)
        side = (_rows(self.shortcut, shape, _sub(prefix, "shortcut"), depth, out, seen)
                if self.shortcut else shape)
        return _rows(self.post, self._merge(shape, main, side), _sub(prefix), depth, out, seen)

    def hyper(self) -> str:
        return "identity shortcut" if not self.shortcut else "projection shortcut"


# ------------------------------------------------------------------- memory


def _mb(x: int) -> str:
    return f"{x / 1e6:,.2f} MB ({x / 2**20:,.2f} MiB)"


@dataclass(frozen=True)
class Memory:
    """Bytes of a model for `batch` inputs at `bytes_per_element` (4 for float32).

    * ``param_bytes`` = parameters · b (weights and biases, stored once, any batch);
      ``buffer_bytes`` = buffers · b (BatchNorm running statistics).
    * ``activation_bytes`` = activation elements · batch · b: the forward pass, input
      included (the CS231n VGG table's "TOTAL memory").
    * ``training_bytes`` ≈ 2·param_bytes + buffer_bytes + 2·activation_bytes: weights and
      their gradients, the buffers, the kept activations and their gradients ("×2 for
      backward").  Optimizer state is not included (+1× params for SGD momentum, +2× for
      Adam).

    torchinfo counts differently: "Forward/backward pass size" is 2 · b · batch · the
    outputs of leaf layers *that have parameters* (conv, dense, BatchNorm — no pooling,
    no input), "Input size" separately, and MB = 10⁶ bytes.  Keras reports only parameter
    bytes, in "KB"/"MB" that are KiB/MiB, and counts BatchNorm's moving statistics as
    (non-trainable) parameters.

    >>> m = Memory(params=1000, buffers=0, activations=500)
    >>> m.param_bytes, m.activation_bytes, m.training_bytes
    (4000, 2000, 12000)
    """

    params: int
    buffers: int
    activations: int
    bytes_per_element: int = 4
    batch: int = 1

    def __post_init__(self):
        for name in ("bytes_per_element", "batch"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ShapeError(f"memory: {name} must be a whole number ≥ 1, got {v!r}")

    @property
    def param_bytes(self) -> int:
        return self.params * self.bytes_per_element

    @property
    def buffer_bytes(self) -> int:
        return self.buffers * self.bytes_per_element

    @property
    def activation_bytes(self) -> int:
        return self.activations * self.batch * self.bytes_per_element

    @property
    def training_bytes(self) -> int:
        return 2 * self.param_bytes + self.buffer_bytes + 2 * self.activation_bytes

    def as_dict(self) -> dict:
        return {"bytes_per_element": self.bytes_per_element, "batch": self.batch,
                "param_bytes": self.param_bytes, "buffer_bytes": self.buffer_bytes,
                "activation_bytes": self.activation_bytes, "training_bytes": self.training_bytes}

    def __str__(self) -> str:
        return (f"parameters {_mb(self.param_bytes)}; forward activations "
                f"{_mb(self.activation_bytes)}; training ≈ {_mb(self.training_bytes)} "
                f"({self.bytes_per_element} bytes/element, batch {self.batch}; MB = 10⁶ bytes)")


# ------------------------------------------------------------------- Sequential


@dataclass(frozen=True)
class Sequential:
    """A chain of layers applied to an `input_shape` (channels first, no batch).

    Layers may be cnnlib layers, ``Concat``/``Residual`` containers or (name, layer) pairs;
    unnamed layers are numbered by kind: conv1, pool1, fc1, bn1, relu1, dropout1 …
    Shapes are checked when the model is made: an impossible layer raises ShapeError
    naming it ("conv5: Conv2d(…) on …").  Every total is a sum over ``rows()``, the leaf
    layers, so each number can be traced to the layers that make it:

    * ``total_params`` = Σ (weights + biases); ``macs`` = Σ conv/dense MACs (no bias adds);
    * ``activation_elements`` = input + Σ outputs of conv, pool, dense, BN and LRN layers.

    >>> from cnnlib import Conv2d, Flatten, Dense
    >>> m = Sequential((1, 10, 10), [Conv2d(5, 3), Conv2d(2, 3), Flatten(), Dense(1)])
    >>> [r.params for r in m.rows()]
    [0, 50, 92, 0, 73]
    >>> m.macs == 5*8*8*9 + 2*6*6*5*9 + 72
    True
    """

    input_shape: tuple
    layers: tuple
    name: str | None = None

    def __post_init__(self):
        try:
            shape = tuple(self.input_shape)
        except TypeError:
            raise ShapeError(f"input_shape must be a tuple such as (3, 224, 224), got "
                             f"{self.input_shape!r}") from None
        if not shape or any(isinstance(x, bool) or not isinstance(x, int) or x < 1 for x in shape):
            raise ShapeError(f"input_shape must be whole numbers ≥ 1, channels first, such as "
                             f"(3, 224, 224); got {self.input_shape!r}")
        object.__setattr__(self, "input_shape", shape)
        object.__setattr__(self, "layers", _named(self.layers))
        self.output_shape  # noqa: B018 — check every shape now, naming the failing layer

    # -- structure ---------------------------------------------------------------
    @property
    def names(self) -> tuple:
        """Top-level layer names, in order (containers count as one)."""
        return tuple(n for n, _ in self.layers)

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, key):
        if isinstance(key, str):
            for n, layer in self.layers:
                if n == key:
                    return layer
            raise KeyError(key)
        return self.layers[key][1]

    @property
    def output_shape(self) -> tuple:
        return _run(self.layers, self.input_shape)

    def rows(self) -> list[LayerRow]:
        """The input row, then one LayerRow per leaf layer, in execution order."""
        x = self.input_shape
        out = [LayerRow("input", None, 0, x, x, 0, 0, 0, 0, 0, math.prod(x))]
        _rows(self.layers, x, "", 0, out, {})
        return out

    # -- totals (sums over leaf rows) ------------------------------------------------
    def totals(self, rows=None) -> dict:
        """Every total of the summary from one pass over the leaf rows.

        Keys: params, weights, biases, buffers, macs, bias_adds, activation_elements.

        >>> from cnnlib import Conv2d
        >>> Sequential((1, 10, 10), [Conv2d(1, 3)]).totals()["params"]
        10
        """
        rows = self.rows() if rows is None else rows
        t = {"params": 0, "weights": 0, "biases": 0, "buffers": 0, "macs": 0, "bias_adds": 0,
             "activation_elements": 0}
        for r in rows:
            t["weights"] += r.weights
            t["biases"] += r.biases
            t["buffers"] += r.buffers
            t["macs"] += r.macs
            t["bias_adds"] += r.bias_adds
            t["activation_elements"] += r.activations
        t["params"] = t["weights"] + t["biases"]
        return t

    def _total(self, attr) -> int:
        return sum(getattr(r, attr) for r in self.rows())

    @property
    def total_params(self) -> int:
        """Σ weights + biases over the leaf layers (PyTorch's parameters().numel())."""
        return self._total("params")

    @property
    def weights(self) -> int:
        return self._total("weights")

    @property
    def biases(self) -> int:
        return self._total("biases")

    @property
    def buffers(self) -> int:
        """BatchNorm running mean, variance and num_batches_tracked (not parameters)."""
        return self._total("buffers")

    @property
    def macs(self) -> int:
        """Multiply–accumulates of conv and dense layers, one input, bias adds not counted."""
        return self._total("macs")

    @property
    def bias_adds(self) -> int:
        """Bias additions of conv and dense layers (C_out·H_out·W_out, out), not in macs."""
        return self._total("bias_adds")

    @property
    def activation_elements(self) -> int:
        """Input + outputs of conv, pool, dense, BN and LRN layers (CS231n's VGG table)."""
        return self._total("activations")

    def memory(self, bytes_per_element: int = 4, batch: int = 1, rows=None) -> Memory:
        """Parameter, forward-activation and training bytes; see :class:`Memory`.

        >>> from cnnlib import Dense
        >>> Sequential((10,), [Dense(5)]).memory().param_bytes
        220
        """
        t = self.totals(rows)
        return Memory(t["params"], t["buffers"], t["activation_elements"], bytes_per_element, batch)

    def torchinfo_totals(self, batch: int = 1, bytes_per_element: int = 4, rows=None) -> dict:
        """The totals torchinfo 1.8 prints for this model, from cnnlib's rows.

        * total_mult_adds = batch · Σ (conv/dense MACs + bias adds + 2·C per BatchNorm):
          torchinfo multiplies every parameter of a layer by the output positions;
        * forward_backward_bytes = 2 · b · batch · Σ outputs of leaf layers with parameters;
        * input_bytes = b · batch · input elements; params_bytes = b · parameters.

        >>> from cnnlib import Dense
        >>> Sequential((10,), [Dense(5)]).torchinfo_totals()["total_mult_adds"]
        55
        """
        rows = self.rows() if rows is None else rows
        mult_adds = sum(r.macs + r.bias_adds + (r.params if r.kind == "bn" else 0) for r in rows)
        fb = sum(2 * math.prod(r.out_shape) for r in rows[1:] if r.params > 0)
        return {
            "total_params": sum(r.params for r in rows),
            "total_mult_adds": batch * mult_adds,
            "input_bytes": bytes_per_element * batch * math.prod(self.input_shape),
            "forward_backward_bytes": bytes_per_element * batch * fb,
            "params_bytes": bytes_per_element * sum(r.params for r in rows),
        }

    # -- tables ----------------------------------------------------------------------
    def summary(self, columns=None, order: str = "HWC"):
        """A pandas DataFrame, one row per leaf layer after an input row.

        Columns (choose with ``columns``, names from ``COLUMNS``): name, type,
        kernel/stride/padding, output shape, weights, biases, params, MACs, activations.
        "output shape" is written in `order` — "HWC" (55×55×96, as the sources write it,
        the default) or "CHW" (96×55×55, the API's order); ``df.attrs`` states it and the
        conventions.  Every total is the sum of its column.
        """
        from .render import summary_frame

        return summary_frame(self, columns=columns, order=order)

    def table(self, order: str = "HWC") -> str:
        """The Keras/torchinfo-style text table with totals (what ``print(model)`` shows)."""
        from .render import text_table

        return text_table(self, order=order)

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        name = f", name={self.name!r}" if self.name else ""
        return (f"Sequential({shape_str(self.input_shape)} → {shape_str(self.output_shape)}, "
                f"{len(self.layers)} layers{name})")

    def _repr_html_(self) -> str:
        from .render import styled_table

        return styled_table(self).to_html()


# ------------------------------------------------------------- receptive field


@dataclass(frozen=True)
class RFRow:
    """Receptive field after one layer of a chain, along one spatial axis (or (h, w)).

    size: input pixels one output unit sees; jump: input pixels between neighbouring
    output units (the effective stride); start: input coordinate (0-based pixel index)
    of the centre of the first output unit's field (negative = in the padding).
    ``size`` is None after a layer that sees the whole input (dense, adaptive pooling).
    """

    name: str
    size: object
    jump: object
    start: object


def _window_params(layer, n):
    """(k_eff, s, p_before) along one axis of a conv/pool layer, per axis tuples."""
    from .arithmetic import effective_kernel, same_padding

    k = layer.kernel_size
    s = getattr(layer, "stride", None) or k
    d = getattr(layer, "dilation", None) or (1,) * len(k)
    out = []
    for i in range(len(k)):
        p = layer.padding[i]
        if p == "valid":
            p = 0
        elif p == "same":
            p = same_padding(n[i], k[i], s[i], d[i])[0]
        out.append((effective_kernel(k[i], d[i]), s[i], p))
    return out


def _squash(values):
    values = tuple(values)
    return values[0] if len(set(values)) == 1 else values


def receptive_field(model) -> list[RFRow]:
    """Receptive field size, jump (effective stride) and start of every layer of a chain.

    r_out = r_in + (k_eff − 1)·j_in,  j_out = j_in·s,  start_out = start_in + ((k_eff − 1)/2 − p)·j_in,
    with k_eff = d·(k − 1) + 1 and the input at r = 1, j = 1, start = 0.  Two 3×3
    convolutions see 5×5 and three see 7×7 — with 2·9·C² and 3·9·C² weights instead of
    25·C² and 49·C²: why VGG stacks 3×3 kernels.

    >>> from cnnlib import Conv2d
    >>> rf = receptive_field(Sequential((3, 32, 32), [Conv2d(8, 3), Conv2d(8, 3), Conv2d(8, 3)]))
    >>> [(r.name, r.size, r.jump) for r in rf]
    [('input', 1, 1), ('conv1', 3, 1), ('conv2', 5, 1), ('conv3', 7, 1)]
    """
    shape = tuple(model.input_shape)
    ndim = len(shape) - 1
    size, jump, start = [1] * ndim, [1] * ndim, [0.0] * ndim
    rows = [RFRow("input", _squash(size), _squash(jump), _squash(start))]
    whole = False
    for name, layer in model.layers:
        if isinstance(layer, _Container):
            raise TypeError(f"receptive_field works on chains; {name} is a {type(layer).__name__} "
                             f"with branches — compute each path as a chain")
        if not whole and hasattr(layer, "kernel_size") and layer.kind in ("conv", "pool"):
            for i, (k, s, p) in enumerate(_window_params(layer, shape[1:])):
                size[i] += (k - 1) * jump[i]
                start[i] += ((k - 1) / 2 - p) * jump[i]
                jump[i] *= s
        elif layer.kind in ("fc", "pool"):
            whole = True  # a dense unit and adaptive pooling see the whole input
        shape = tuple(layer.output_shape(shape))
        if whole:
            rows.append(RFRow(name, None, None, None))
        else:
            starts = [int(x) if float(x).is_integer() else x for x in start]
            rows.append(RFRow(name, _squash(size), _squash(jump), _squash(starts)))
    return rows
