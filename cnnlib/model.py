"""Models: layers wired into a graph, walked once into rows.

Two ways to write a network, one model type:

* a chain, ``Sequential(input_shape, layers)`` — layers may be (name, layer) pairs and
  blocks with branches (:class:`cnnlib.Concat` for Inception modules,
  :class:`cnnlib.Residual` for ResNet blocks);
* a graph in the style of Keras' functional API, whose layers read any earlier tensor::

      x = Input((3, 64, 64))
      a = Conv2d(16, 3, padding=1)(x)
      b = Conv2d(16, 1)(x)
      y = Add()(a, b)            # or Concatenate()(a, b), Multiply()(a, gate)
      model = Model(x, y)

Either way the model is immutable and its **rows** — one :class:`LayerRow` per input and
per layer application, in execution order — are computed once, when it is made, from the
layers' own facts (:meth:`cnnlib.Layer.facts`); every table, total, chart, diagram and
receptive field reads them (``model.rows()``, ``model.row(name)``), so a number can always be
traced to the layer that makes it.  An impossible layer raises :class:`cnnlib.ShapeError`
when the model is made, naming it ("conv5: Conv2d(…) on …").

Conventions (one paragraph the book reuses):

* **Parameters** are what ``sum(p.numel() for p in model.parameters())`` counts in
  PyTorch.  A layer object applied twice shares its weights (as in PyTorch and Keras): the
  second row counts none and names the first in ``shares``.  BatchNorm's running mean and
  variance are *buffers*; Keras lists them as "non-trainable params".
* **MACs** are the multiply–accumulates of one forward pass for one input, of convolution
  and dense layers only; bias additions are ``bias_adds``; FLOPs ≈ 2·MACs where a source
  says so.
* **Activation elements** follow the CS231n VGG table: the input plus the output of every
  layer that makes a new tensor (convolution, pooling, dense, normalisation); activation
  functions and dropout act in place, Flatten is a view, and a merge (concatenation,
  addition, multiplication) adds nothing — its inputs are counted, and an implementation
  can write the branches into one buffer or add in place (torchvision's ``out += identity``).

>>> from cnnlib import Conv2d, MaxPool2d, ReLU, Flatten, Dense
>>> m = Sequential((1, 28, 28), [Conv2d(32, 3), ReLU(), MaxPool2d(2), Conv2d(32, 3), ReLU(),
...                MaxPool2d(2), Flatten(), Dense(128), ReLU(), Dense(10)])
>>> m.total_params, m.output_shape
(113386, (10,))
>>> m.names[:4]
('conv1', 'relu1', 'pool1', 'conv2')
"""

from __future__ import annotations

import difflib
import itertools
import math
import operator
from typing import NamedTuple

from .arithmetic import short_repr
from .errors import ShapeError
from .facts import Facts, input_facts
from .graph import Tensor, _check_input_shape, _Node, _node, _prefixed
from .layers.base import Layer
from .memory import Memory, torchinfo_totals

__all__ = ["Block", "LayerRow", "Model", "Sequential"]

#: the most rows a model may have: work grows with them, and no real network comes close
MAX_ROWS = 100_000

_NAME_OF_KIND = {"drop": "dropout", "norm": "lrn", "merge": None}


# ------------------------------------------------------------------- rows


class LayerRow(NamedTuple):
    """One row of a model: an input, or one application of a layer (torchinfo's LayerInfo).

    ``inputs`` names the rows it reads; ``in_shape`` is its input shape (a tuple of shapes
    for a merge); ``facts`` holds everything the layer knows about itself on that input;
    ``block`` is the top-level name it belongs to (a Concat or Residual, or itself);
    ``shares`` names the row whose weights it reuses ('' when it has its own).
    """

    name: str
    layer: object  # None for an input row
    depth: int
    inputs: tuple
    in_shape: tuple
    facts: Facts
    block: str = ""
    shares: str = ""

    @property
    def out_shape(self) -> tuple:
        return self.facts.out_shape

    @property
    def weights(self) -> int:
        return 0 if self.shares else self.facts.weights

    @property
    def biases(self) -> int:
        return 0 if self.shares else self.facts.biases

    @property
    def params(self) -> int:
        return 0 if self.shares else self.facts.weights + self.facts.biases

    @property
    def buffers(self) -> int:
        return 0 if self.shares else self.facts.buffers

    @property
    def macs(self) -> int:
        return self.facts.macs

    @property
    def bias_adds(self) -> int:
        return self.facts.bias_adds

    @property
    def activations(self) -> int:
        """Elements this row adds to the forward activation total (0 unless it saves its output)."""
        return math.prod(self.facts.out_shape) if self.facts.saves_output else 0

    @property
    def windows(self):
        return self.facts.windows

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


_new_row = tuple.__new__  # a LayerRow from its eight values, without the generated __new__ (hot path)
_name_of, _layer_of = operator.itemgetter(0), operator.itemgetter(1)  # a row's name and layer, for map()


# ------------------------------------------------------------------- naming


def default_stem(layer) -> str:
    """conv, pool, fc, bn, relu, dropout, lrn, flatten, add, concat … (names are stem + number)."""
    if layer.kind in ("act", "merge", "layer"):  # named by their type: relu1, add1, subsample1
        return type(layer).__name__.lower()
    return _NAME_OF_KIND.get(layer.kind) or layer.kind


def numbered(stem: str, i: int) -> str:
    """conv + 1 → conv1; relu6 + 1 → relu6_1 (a stem that ends in a digit gets a separator)."""
    return f"{stem}_{i}" if stem[-1:].isdigit() else f"{stem}{i}"


def as_items(items, what="layers") -> list:
    """A list of layers or (name, layer) pairs, or a ShapeError saying what was expected."""
    if isinstance(items, (Layer, Block)):
        raise ShapeError(f"{what} must be a list of layers, got a single {items!r}; wrap it in [ ]")
    if isinstance(items, (str, bytes, dict)):
        raise ShapeError(f"{what} must be a list of layers, got {short_repr(items, 200)}")
    try:
        # at most MAX_ROWS + 1 items: a generator of a billion layers is refused, not consumed
        out = list(itertools.islice(iter(items), MAX_ROWS + 1))
    except TypeError:
        raise ShapeError(f"{what} must be a list of layers, got {short_repr(items, 200)}") from None
    if len(out) > MAX_ROWS:
        raise ShapeError(f"{what}: more than {MAX_ROWS:,} layers is more than cnnlib handles")
    return out


def named(items, what="layers") -> tuple:
    """Layers or (name, layer) pairs → a tuple of (name, layer) with kind-numbered names."""
    items = as_items(items, what)
    if len(items) > MAX_ROWS:
        raise ShapeError(f"{what}: {len(items):,} layers is more than cnnlib handles ({MAX_ROWS:,})")
    out, counts, seen = [], {}, set()
    for item in items:
        if type(item) is tuple and len(item) == 2 and (type(item[0]) is str or isinstance(item[0], str)):
            name, layer = item
        else:
            name, layer = None, item
        if not isinstance(layer, (Layer, Block)):
            raise ShapeError(f"{what}: {layer!r} is not a cnnlib layer"[:300])
        if name is None:
            stem = default_stem(layer) if isinstance(layer, Layer) else layer.stem
            counts[stem] = counts.get(stem, 0) + 1
            name = numbered(stem, counts[stem])
        if name in seen:
            raise ShapeError(f"{what}: the name {name!r} is used twice")
        seen.add(name)
        out.append((name, layer))
    return tuple(out)


# ------------------------------------------------------------------- blocks


class Block:
    """A group of layers with branches that a chain can hold (Concat, Residual).

    Inside a model a block is expanded into its layers and a merge; its rows are named
    ``<block>.<branch>.<layer>``.  Alone, ``block.output_shape(in_shape)``,
    ``block.params(in_shape)`` … answer for that input (sums over its rows).
    """

    stem = "block"
    arity = None  # not a one-input layer: a chain hands it to the graph machinery

    def build(self, x: _Node, prefix: str, depth: int, block: str, record=None) -> _Node:
        """Append this block's nodes after `x` (and to ``record``); return its output node."""
        raise NotImplementedError

    def rows(self, in_shape) -> list[LayerRow]:
        """The rows of this block alone on `in_shape` (names relative to it)."""
        shape = _check_input_shape(in_shape)
        x = _Node(None, (), shape, input_facts(shape), "input")
        out = self.build(x, "", 0, "")
        return _rows_of([x, *_collect([out], stop={x.id})], _namer())[1:]

    def output_shape(self, in_shape) -> tuple:
        shape = _check_input_shape(in_shape)
        x = _Node(None, (), shape, input_facts(shape), "input")
        return self.build(x, "", 0, "").facts.out_shape

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


def chain(x: _Node, pairs, prefix: str, depth: int, block: str, record=None) -> _Node:
    """Apply named (name, layer-or-block) pairs one after the other, from node `x`; the new nodes
    are appended to ``record`` in the order they are made."""
    for name, item in pairs:
        full = prefix + name
        if isinstance(item, Block):
            x = item.build(x, full + ".", depth + 1, block or name, record)
        else:
            x = _node(item, (x,), full, depth, block or name, record)
    return x


# ------------------------------------------------------------------- the model


def _collect(outputs, stop=frozenset()) -> list[_Node]:
    """Every node the outputs depend on, in creation order (a topological order)."""
    seen, todo, nodes = set(stop), list(outputs), []
    while todo:
        n = todo.pop()
        if n.id in seen:
            continue
        seen.add(n.id)
        nodes.append(n)
        if len(nodes) > MAX_ROWS:
            raise ShapeError(f"the model has more than {MAX_ROWS:,} layers")
        todo.extend(n.inputs)
    nodes.sort(key=lambda n: n.id)
    return nodes


def _namer():
    return {"counts": {}, "used": set()}


def _rows_of(nodes, namer) -> list[LayerRow]:
    """Name the unnamed nodes (kind + number), find shared layers, make the rows."""
    used, counts = namer["used"], namer["counts"]
    given = set()
    for n in nodes:
        if n.name:
            if n.name in given:
                raise ShapeError(f"the name {n.name!r} is used twice")
            given.add(n.name)
    used.update(given)
    names = {}  # node id → name (nodes are not changed: a tensor may belong to several models)
    for n in nodes:
        name = n.name
        if not name:
            stem = "input" if n.layer is None else default_stem(n.layer)
            while True:
                counts[stem] = counts.get(stem, 0) + 1
                name = numbered(stem, counts[stem]) if (n.layer is not None or counts[stem] > 1) else stem
                if name not in used:
                    break
            used.add(name)
        names[n.id] = name
    rows = []
    append = rows.append
    for n in nodes:
        f, layer, name = n.facts, n.layer, names[n.id]
        ins = n.inputs
        inputs = (names[ins[0].id],) if len(ins) == 1 else tuple([names[i.id] for i in ins])
        append(_new_row(LayerRow, (name, layer, n.depth, inputs, n.in_shape, f, n.block or name, "")))
    _mark_shared(rows)
    return rows


def _chain_rows(shape, items) -> list[LayerRow] | None:
    """The rows of a plain chain of layers on `shape`, or None when an item is a block.

    Most networks are chains, and a model is made often (every slider move, every pasted
    line), so this pass does per layer only what that layer needs — its name, its facts, its
    row — and checks a layer *class* once per chain (a cnnlib layer that reads one tensor).
    What concerns the whole chain is checked once, over all its rows: a name used twice, and
    a layer object applied twice (which shares its weights: :func:`_mark_shared`, as for graphs).
    """
    rows = [_new_row(LayerRow, ("input", None, 0, (), shape, input_facts(shape), "input", ""))]
    append = rows.append
    counts, checked, prev = {}, set(), "input"
    for item in items:
        lname, layer = None, item
        if item.__class__ is tuple:  # a (name, layer) pair; anything else is refused below
            try:
                lname, layer = item
            except ValueError:
                lname, layer = None, item
            if lname.__class__ is not str and not isinstance(lname, str):
                lname, layer = None, item
        if layer.__class__ not in checked:
            if not isinstance(layer, Layer):
                if isinstance(layer, Block):
                    return None
                raise ShapeError(f"layers: {layer!r} is not a cnnlib layer"[:300])
            if layer.arity != 1:
                stem = default_stem(layer)
                raise _prefixed(ShapeError(f"{layer!r} merges several tensors; a chain has one — use "
                                           "the functional API (cnnlib.Input, Model)"),
                                lname or numbered(stem, counts.get(stem, 0) + 1))
            checked.add(layer.__class__)
        if lname is None:
            stem = default_stem(layer)
            counts[stem] = k = counts.get(stem, 0) + 1
            lname = numbered(stem, k)
        try:
            f = layer._facts(shape)
        except ShapeError as e:
            raise _prefixed(e, lname) from None
        append(_new_row(LayerRow, (lname, layer, 0, (prev,), shape, f, lname, "")))
        shape, prev = f[0], lname
    if len(set(map(_name_of, rows))) < len(rows):
        seen = set()
        for r in rows:
            if r.name in seen:
                raise ShapeError(f"layers: the name {r.name!r} is used twice")
            seen.add(r.name)
    _mark_shared(rows)
    return rows


def _mark_shared(rows) -> None:
    """Rows whose layer object was applied before with weights, biases or buffers share them:
    ``shares`` names the first such row (an input that needs other counts is an error).  Rows
    whose layer objects are all different — nearly every model — are left as they are after
    one look at the objects' identities."""
    if len(set(map(id, map(_layer_of, rows)))) == len(rows):
        return
    owner = {}
    for i, r in enumerate(rows):
        f = r.facts
        if r.layer is None or not (f.weights or f.biases or f.buffers):
            continue
        first = owner.setdefault(id(r.layer), (r.name, f))
        if first[0] != r.name:
            if (first[1].weights, first[1].biases) != (f.weights, f.biases):
                raise ShapeError(
                    f"{r.name}: {r.layer!r} is applied again (as in {first[0]}), which shares its "
                    f"weights, but on an input that needs {f.weights + f.biases:,} parameters instead "
                    f"of {first[1].weights + first[1].biases:,}; use a new layer object")
            rows[i] = r._replace(shares=first[0])


class Model:
    """A network of layers from its input(s) to its output(s); see the module docstring.

    ``Model(inputs, outputs, name=None)`` takes the tensors of the functional API (one or a
    list each).  Unnamed layers are numbered by kind (conv1, relu1, add1 …).
    """

    def __init__(self, inputs, outputs, name: str | None = None):
        ins = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        outs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        for t in ins + outs:
            if not isinstance(t, Tensor):
                raise ShapeError(f"Model takes tensors from Input() and layer calls, got {t!r}"[:300])
        if not ins or not outs:
            raise ShapeError("Model needs at least one input and one output")
        for t in ins:
            if t._node.layer is not None:
                raise ShapeError(f"Model inputs must come from Input(), got the output of {t._node.layer!r}")
        nodes = _collect([t._node for t in outs])
        given = {t._node.id for t in ins}
        for n in nodes:
            if n.layer is None and n.id not in given:
                raise ShapeError(f"the outputs read an Input({n.facts.out_shape}) that is "
                                 "not among the model's inputs")
        reached = {n.id for n in nodes}
        nodes = [t._node for t in ins if t._node.id not in reached] + nodes  # unused inputs
        self._init(nodes, [t._node for t in ins], [t._node for t in outs], name)

    def _init(self, nodes, ins, outs, name):
        rows = _rows_of(nodes, _namer())
        position = {n.id: i for i, n in enumerate(nodes)}
        self._rows = tuple(rows)
        self._inputs = tuple(rows[position[n.id]].name for n in ins)
        self._outputs = tuple(rows[position[n.id]].name for n in outs)
        self._index = None
        self.name = name

    # -- structure -------------------------------------------------------------------
    @property
    def input_shape(self):
        """The input's shape (a tuple of shapes when the model has several inputs)."""
        shapes = tuple(self.row(n).out_shape for n in self._inputs)
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        """The output's shape (a tuple of shapes when the model has several outputs)."""
        shapes = tuple(self.row(n).out_shape for n in self._outputs)
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def inputs(self) -> tuple:
        """Names of the input rows."""
        return self._inputs

    @property
    def outputs(self) -> tuple:
        """Names of the output rows."""
        return self._outputs

    @property
    def layers(self) -> tuple:
        """(name, layer) of every layer application, in order."""
        return tuple((r.name, r.layer) for r in self._rows if r.layer is not None)

    @property
    def names(self) -> tuple:
        return tuple(n for n, _ in self.layers)

    def rows(self) -> list[LayerRow]:
        """The input row(s), then one LayerRow per layer application, in execution order."""
        return list(self._rows)

    def row(self, name: str) -> LayerRow:
        """The row called `name` ('conv1', 'inception3a.branch2.conv1' …).

        >>> from cnnlib import zoo
        >>> zoo.alexnet().row("conv1").out_shape
        (96, 55, 55)
        """
        if self._index is None:
            self._index = {r.name: i for i, r in enumerate(self._rows)}
        try:
            return self._rows[self._index[name]]
        except (KeyError, TypeError):
            close = difflib.get_close_matches(str(name), list(self._index), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise KeyError(f"no row named {name!r}{hint}") from None

    # -- totals (sums over rows) -------------------------------------------------------
    def totals(self, rows=None) -> dict:
        """Every total of the summary from one pass over the rows.

        Keys: params, weights, biases, buffers, macs, bias_adds, activation_elements.

        >>> from cnnlib import Conv2d
        >>> Sequential((1, 10, 10), [Conv2d(1, 3)]).totals()["params"]
        10
        """
        w = b = buf = macs = adds = acts = 0
        prod = math.prod
        for r in self._rows if rows is None else rows:
            # facts by position: out_shape, weights, biases, buffers, macs, bias_adds, saves_output
            f = r[5]
            if not r[7]:  # shares
                w += f[1]
                b += f[2]
                buf += f[3]
            macs += f[4]
            adds += f[5]
            if f[6]:
                acts += prod(f[0])
        return {"params": w + b, "weights": w, "biases": b, "buffers": buf, "macs": macs,
                "bias_adds": adds, "activation_elements": acts}

    @property
    def total_params(self) -> int:
        """Σ weights + biases over the rows (PyTorch's parameters().numel())."""
        return self.totals()["params"]

    @property
    def weights(self) -> int:
        return self.totals()["weights"]

    @property
    def biases(self) -> int:
        return self.totals()["biases"]

    @property
    def buffers(self) -> int:
        """BatchNorm running mean, variance and num_batches_tracked (not parameters)."""
        return self.totals()["buffers"]

    @property
    def macs(self) -> int:
        """Multiply–accumulates of conv and dense layers, one input, bias adds not counted."""
        return self.totals()["macs"]

    @property
    def bias_adds(self) -> int:
        """Bias additions of conv and dense layers (C_out·H_out·W_out, out), not in macs."""
        return self.totals()["bias_adds"]

    @property
    def activation_elements(self) -> int:
        """Inputs + outputs of the layers that make a new tensor (CS231n's VGG table)."""
        return self.totals()["activation_elements"]

    def memory(self, bytes_per_element: int = 4, batch: int = 1, rows=None) -> Memory:
        """Parameter, forward-activation and training bytes; see :class:`cnnlib.Memory`.

        >>> from cnnlib import Dense
        >>> Sequential((10,), [Dense(5)]).memory().param_bytes
        220
        """
        t = self.totals(rows)
        return Memory(t["params"], t["buffers"], t["activation_elements"], bytes_per_element, batch)

    def torchinfo_totals(self, batch: int = 1, bytes_per_element: int = 4, rows=None) -> dict:
        """The totals torchinfo 1.8 prints for this model; see :func:`cnnlib.memory.torchinfo_totals`."""
        return torchinfo_totals(self._rows if rows is None else rows, batch, bytes_per_element)

    # -- text and HTML -----------------------------------------------------------------
    def table(self, order: str = "HWC") -> str:
        """The Keras/torchinfo-style text table with totals (what ``print(model)`` shows)."""
        from .tables import text_table

        return text_table(self, order=order)

    def __str__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        from .tables import html_table

        return html_table(self)

    def __repr__(self) -> str:
        name = f", name={self.name!r}" if self.name else ""
        ins = " + ".join(str(self.row(n).out_shape) for n in self._inputs)
        outs = " + ".join(str(self.row(n).out_shape) for n in self._outputs)
        return f"{type(self).__name__}({ins} → {outs}, {len(self.layers)} layers{name})"


class Sequential(Model):
    """A chain of layers applied to an `input_shape` (channels first, no batch).

    Layers may be cnnlib layers, blocks (``Concat``/``Residual``) or (name, layer) pairs;
    unnamed layers are numbered by kind: conv1, pool1, fc1, bn1, relu1, dropout1 …
    Shapes are checked when the model is made: an impossible layer raises ShapeError
    naming it ("conv5: Conv2d(…) on …").

    * ``total_params`` = Σ (weights + biases); ``macs`` = Σ conv/dense MACs (no bias adds);
    * ``activation_elements`` = input + Σ outputs of conv, pool, dense, BN and LRN layers.

    >>> from cnnlib import Conv2d, Flatten, Dense
    >>> m = Sequential((1, 10, 10), [Conv2d(5, 3), Conv2d(2, 3), Flatten(), Dense(1)])
    >>> [r.params for r in m.rows()]
    [0, 50, 92, 0, 73]
    >>> m.macs == 5*8*8*9 + 2*6*6*5*9 + 72
    True
    """

    def __init__(self, input_shape, layers, name: str | None = None):
        shape = _check_input_shape(input_shape)
        items = as_items(layers)
        rows = _chain_rows(shape, items)
        if rows is None:  # a block: branches go to the graph machinery, from the start
            self._pairs = named(items)
            x = _Node(None, (), shape, input_facts(shape), "input")
            nodes = [x]
            out = chain(x, self._pairs, "", 0, "", nodes)
            self._init(nodes, [x], [out], name)
            return
        self._pairs = None  # the (name, layer) pairs: the rows' first two columns, made when asked for
        self._rows = tuple(rows)
        self._inputs, self._outputs = ("input",), (rows[-1][0],)
        self._index = None  # name → row position, made on the first lookup
        self.name = name

    @property
    def layers(self) -> tuple:
        """The chain's (name, layer) pairs as written (a block counts as one)."""
        if self._pairs is None:
            self._pairs = tuple([(r[0], r[1]) for r in self._rows[1:]])
        return self._pairs

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, key):
        if isinstance(key, str):
            for n, layer in self.layers:
                if n == key:
                    return layer
            raise KeyError(key)
        return self.layers[key][1]
