"""What both converters share: the finished model, a chain as a Sequential."""

from __future__ import annotations

from ..errors import ShapeError
from ..graph import Tensor
from ..model import Model, Sequential

__all__ = ["finish"]


def finish(inp, outputs, name):
    """Model(inp, outputs), or a Sequential when every row reads the row before it.

    >>> from cnnlib import Input, Conv2d
    >>> x = Input((3, 8, 8))
    >>> type(finish(x, [Conv2d(4, 3)(x, name="c")], "net")).__name__
    'Sequential'
    """
    outs = list(outputs)
    if not outs or not all(isinstance(t, Tensor) for t in outs):
        raise ShapeError(f"{name}: the outputs must be tensors computed from the input")
    m = Model(inp, outs if len(outs) > 1 else outs[0], name=name)
    rows = m.rows()
    if len(outs) == 1 and len(m.inputs) == 1 and all(r.inputs == (rows[i].name,) for i, r in enumerate(rows[1:])):
        return Sequential(m.input_shape, [(r.name, r.layer) for r in rows[1:]], name=name)
    return m
