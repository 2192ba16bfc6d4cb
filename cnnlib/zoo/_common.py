"""What the zoo's builders share: checked arguments and named chains in the functional API."""

from __future__ import annotations

from ..arithmetic import check_int
from ..errors import DimensionProblem, ShapeError

__all__ = ["apply_chain", "size_arg"]


def size_arg(name, value, minimum=1, maximum=None) -> int:
    """A whole-number argument of a builder (numpy integers accepted), or ShapeError."""
    try:
        value = check_int(name, value, minimum)
    except DimensionProblem as e:
        raise ShapeError(f"{e}") from None
    if maximum is not None and value > maximum:
        raise ShapeError(f"{name} = {value:,} is more than this builder makes ({maximum:,})")
    return value


def apply_chain(x, pairs):
    """Apply (name, layer) pairs one after the other to the tensor `x` (the functional API), so
    that every row is named as the torch module it mirrors ('features.0.0' …).

    >>> from cnnlib import Input, Conv2d, ReLU
    >>> apply_chain(Input((3, 8, 8)), [("conv", Conv2d(4, 3)), ("relu", ReLU())]).shape
    (4, 6, 6)
    """
    for name, layer in pairs:
        x = layer(x, name=name)
    return x
