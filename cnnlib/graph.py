"""Tensors of a model being written: the nodes of the graph and the functional API.

``Input(shape)`` starts a graph; ``layer(tensor)`` (``Layer.__call__``) applies a layer and
returns a new :class:`Tensor` whose shape — and every other fact of that layer on that
input — is computed on the spot, so an impossible layer fails on the line that adds it.
:class:`cnnlib.Model` collects the nodes between its inputs and outputs into rows.
"""

from __future__ import annotations

import itertools

from .arithmetic import _LIMIT, check_int, short_repr
from .errors import DimensionProblem, ShapeError
from .facts import input_facts, shape_str

__all__ = ["Input", "Tensor", "apply_layer"]

_ids = itertools.count()


class _Node:
    """One application of a layer (or an input) while a model is being written."""

    __slots__ = ("block", "depth", "facts", "id", "in_shape", "inputs", "layer", "name")

    def __init__(self, layer, inputs, in_shape, facts, name, depth=0, block=""):
        self.id = next(_ids)
        self.layer, self.inputs, self.in_shape, self.facts = layer, inputs, in_shape, facts
        self.name, self.depth, self.block = name, depth, block


class Tensor:
    """A tensor of a model being written: an :func:`Input` or the output of ``layer(tensor)``.

    ``shape`` is known as soon as the tensor exists (channels first, no batch).
    """

    __slots__ = ("_node",)

    def __init__(self, node: _Node):
        self._node = node

    @property
    def shape(self) -> tuple:
        return self._node.facts.out_shape

    def __repr__(self) -> str:
        name = f"{self._node.name!r}, " if self._node.name else ""
        return f"Tensor({name}{self.shape})"


def _check_input_shape(shape, what="input_shape") -> tuple:
    """A model's input shape: whole numbers ≥ 1 (numpy integers accepted), channels first."""
    if type(shape) is tuple and shape and all(type(x) is int and 0 < x < _LIMIT for x in shape):
        return shape
    bad = ShapeError(f"{what} must be whole numbers ≥ 1, channels first, such as (3, 224, 224); "
                     f"got {short_repr(shape, 200)}")
    if isinstance(shape, (str, bytes)):
        raise bad
    try:
        values = tuple(shape)
    except TypeError:
        raise bad from None
    if not values:
        raise bad
    out = []
    for x in values:
        try:
            out.append(check_int("input size", x, 1))
        except DimensionProblem as e:
            raise (ShapeError(f"{what}: {e}") if "10^" in str(e) else bad) from None
    return tuple(out)


def Input(shape, name: str | None = None) -> Tensor:
    """An input of a graph model: a (C, H, W), (C, L) or (F,) shape, channels first.

    >>> from cnnlib import Conv2d
    >>> x = Input((3, 32, 32))
    >>> Conv2d(8, 3)(x).shape
    (8, 30, 30)
    """
    shape = _check_input_shape(shape, "Input shape")
    return Tensor(_Node(None, (), shape, input_facts(shape), name))


def _prefixed(error: ShapeError, name: str) -> ShapeError:
    """The same error with the layer's name in front: 'conv5: Conv2d(…) on …: …'."""
    path = getattr(error, "layer_path", "")
    detail = getattr(error, "detail", "") or str(error)
    path = f"{name}.{path}" if path else name
    new = ShapeError(f"{path}: {detail}")
    new.layer_path, new.detail = path, detail
    return new


def _node(layer, inputs, name, depth=0, block="", record=None) -> _Node:
    """Apply `layer` to input nodes; a ShapeError names the layer (``name``) when given."""
    try:
        if layer.arity == 1:
            shape = inputs[0].facts.out_shape
            facts = layer._facts(shape)
        else:
            shape = tuple(n.facts.out_shape for n in inputs)
            facts = layer._facts(shape)
    except ShapeError as e:
        if layer.arity != 1:
            listing = ", ".join(f"{n.name or 'a tensor'} ({shape_str(n.facts.out_shape)})" for n in inputs)
            e = ShapeError(f"{layer!r} reads {listing}: {e}")
        raise (_prefixed(e, name) if name else e) from None
    node = _Node(layer, tuple(inputs), shape, facts, name, depth, block)
    if record is not None:  # a chain being built keeps its nodes in order (no graph walk needed)
        record.append(node)
    return node


def apply_layer(layer, tensors, name=None) -> Tensor:
    """``layer(x)`` / ``merge(a, b)`` / ``merge([a, b])``: the functional API (see the module)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if name is not None and not isinstance(name, str):
        raise ShapeError(f"{layer!r}: name must be a string, got {name!r}")
    for t in tensors:
        if not isinstance(t, Tensor):
            raise ShapeError(f"{layer!r} must be applied to a cnnlib tensor (from Input() or another "
                             f"layer), got {t!r}")
    if layer.arity == 1 and len(tensors) != 1:
        raise ShapeError(f"{layer!r} reads one tensor, got {len(tensors)}")
    if layer.arity is None and len(tensors) < 2:
        raise ShapeError(f"{layer!r} merges two or more tensors, got {len(tensors)}")
    return Tensor(_node(layer, [t._node for t in tensors], name))


