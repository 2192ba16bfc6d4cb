"""Receptive fields of every row of a model — chains and graphs alike.

Along one spatial axis, a layer whose output position i reads input positions
i·s − p … i·s − p + span − 1 (span = d·(k − 1) + 1) updates the field of a unit:

    r ← r + (span − 1)·j,    j ← j·s,    start ← start + ((span − 1)/2 − p)·j

with the input at r = 1, j = 1, start = 0 (r: input pixels one unit sees; j: input pixels
between neighbouring units, the effective stride; start: the input coordinate of the centre
of the first unit's field, negative in the padding).  Each layer says how it maps positions
(its receptive-field step, :class:`cnnlib.RFStep`); a layer that reads the whole input
(dense, global pooling) ends the field (None: everything).  Where branches merge, the
field is the **maximum over the paths** (the row's ``note`` says so): a unit of a
concatenation or a sum sees what its widest input sees.  After upsampling (a jump below 1:
transposed convolutions, Upsample) the inputs a unit reaches depend on its position; the size is
then the linear estimate, between the smallest and largest fields of the units (U-Net's output:
200, where a gradient measurement in torch finds 188 or 204 by position —
tests/oracle/test_receptive_torch.py).

>>> from cnnlib import Sequential, Conv2d
>>> rf = receptive_field(Sequential((3, 32, 32), [Conv2d(8, 3), Conv2d(8, 3), Conv2d(8, 3)]))
>>> [(r.name, r.size, r.jump) for r in rf]
[('input', 1, 1), ('conv1', 3, 1), ('conv2', 5, 1), ('conv3', 7, 1)]
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .facts import GLOBAL, IRREGULAR, POINTWISE

__all__ = ["RFRow", "receptive_field"]


@dataclass(frozen=True)
class RFRow:
    """Receptive field after one row, along one spatial axis (or a tuple, one per axis).

    size: input pixels one output unit sees; jump: input pixels between neighbouring
    output units; start: input coordinate of the centre of the first unit's field.
    ``size`` is None after a layer that sees the whole input (dense, global pooling) or
    whose windows vary in size (adaptive pooling that does not divide its input); ``note``
    says why, or that a merge took the maximum over its paths.
    """

    name: str
    size: object
    jump: object
    start: object
    note: str = ""


def _plain(x):
    """An exact number as the reader wants it: 3 (not Fraction(3, 1)), 0.5."""
    x = Fraction(x)
    return x.numerator if x.denominator == 1 else float(x)


def _squash(values):
    values = tuple(_plain(v) for v in values)
    if not values:  # a vector has no spatial axis
        return None
    return values[0] if len(set(values)) == 1 else values


def _step(state, rf):
    """The field after one layer: state is a tuple of (size, jump, start) per axis, or None."""
    if state is None or rf == GLOBAL or rf == IRREGULAR:
        return None
    if rf == POINTWISE:
        return state
    if len(rf) != len(state):
        return None
    out = []
    for (r, j, start), step in zip(state, rf):
        out.append((r + (step.span - 1) * j, j * Fraction(step.stride),
                    start + (Fraction(step.span - 1, 2) - step.before) * j))
    return tuple(out)


def receptive_field(model) -> list[RFRow]:
    """Receptive field size, jump (effective stride) and start of every row of a model.

    Two 3×3 convolutions see 5×5 and three see 7×7 — with 2·9·C² and 3·9·C² weights
    instead of 25·C² and 49·C²: why VGG stacks 3×3 kernels.
    """
    states, out = {}, []
    for row in model.rows():
        note = ""
        if row.layer is None:
            state = tuple((Fraction(1), Fraction(1), Fraction(0)) for _ in row.out_shape[1:])
        elif len(row.inputs) > 1:
            ins = [states[n] for n in row.inputs]
            if any(s is None for s in ins) or len({len(s) for s in ins}) > 1:
                state = None
            else:  # per axis, the widest path
                state = tuple(max(axis, key=lambda t: (t[0], t[1])) for axis in zip(*ins))
            note = f"maximum over {len(ins)} paths"
        else:
            state = _step(states[row.inputs[0]], row.facts.rf)
            if state is None and states[row.inputs[0]] is not None:
                note = ("varying windows (adaptive pooling)" if row.facts.rf == IRREGULAR
                        else "sees the whole input")
        states[row.name] = state
        if state is None:
            out.append(RFRow(row.name, None, None, None, note))
        else:
            out.append(RFRow(row.name, _squash(s[0] for s in state), _squash(s[1] for s in state),
                             _squash(s[2] for s in state), note))
    return out
