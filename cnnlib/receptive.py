"""Receptive fields of every row of a model — chains and graphs alike.

Along one spatial axis, a layer whose output position i reads input positions
i·s − p … i·s − p + span − 1 (span = d·(k − 1) + 1) updates the field of a unit:

    r ← r + (span − 1)·j,    j ← j·s,    start ← start + ((span − 1)/2 − p)·j

with the input at r = 1, j = 1, start = 0 (r: input pixels one unit sees; j: input pixels
between neighbouring units, the effective stride; start: the input coordinate of the centre
of the first unit's field, negative in the padding).  Each layer says how it maps positions
(its receptive-field step, :class:`cnnlib.RFStep`); a layer that reads the whole input
(dense, global pooling) ends the field (None: everything).  Where branches merge, a unit
of the concatenation or sum sees what any of its inputs sees: the **union** of the paths'
fields, which is the **maximum over the paths** when they are centred alike (Inception,
ResNet; the row's ``note`` says that paths were merged).  Paths centred differently give a
wider union than either (an earlier version took the widest path there, one or two pixels
short; tests/core/test_rules_receptive.py checks every merge against the positions reached).
After upsampling (a jump below 1:
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

__all__ = ["RFRow", "effective_field", "field_positions", "receptive_field"]


@dataclass(frozen=True)
class RFRow:
    """Receptive field after one row, along one spatial axis (or a tuple, one per axis).

    size: input pixels one output unit sees; jump: input pixels between neighbouring
    output units; start: input coordinate of the centre of the first unit's field.
    ``size`` is None after a layer that sees the whole input (dense, global pooling) or
    whose windows vary in size (adaptive pooling that does not divide its input); ``note``
    says why, or that a merge took the maximum over its paths ("maximum over 2 paths") or a
    union wider than each of them ("union of 2 paths, wider than each").
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


def _union(fields):
    """The field of a unit that reads several paths: the union of their fields (one axis).

    Each path's field of unit i covers start + i·j ± (r − 1)/2.  With one jump j for all
    paths the union is the same interval for every unit: from the lowest left edge to the
    highest right edge — the widest field when the paths are centred alike (Inception's
    'same'-padded branches, ResNet's shortcut), wider when their centres differ.  Paths
    with different jumps have no one union (it depends on i): the widest path is kept.
    """
    if len({j for _, j, _ in fields}) > 1:
        return max(fields, key=lambda t: (t[0], t[1]))
    lo = min(start - Fraction(r - 1, 2) for r, _, start in fields)
    hi = max(start + Fraction(r - 1, 2) for r, _, start in fields)
    return (hi - lo + 1, fields[0][1], (lo + hi) / 2)


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
            else:  # per axis, the union of the paths' fields
                state = tuple(_union(axis) for axis in zip(*ins))
            widest = state is not None and all(
                axis[0] == max(t[0] for t in paths) for axis, paths in zip(state, zip(*ins)))
            note = (f"maximum over {len(ins)} paths" if state is None or widest
                    else f"union of {len(ins)} paths, wider than each")
            if state is not None and any(len({j for _, j, _ in axis}) > 1 for axis in zip(*ins)):
                note += " (their jumps differ: the widest path; the field depends on the position)"
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


# ------------------------------------------------------------ positions reached, paths counted


def _taps(step, i):
    """Input positions output position i of one layer reads along one axis (dilation's gaps
    included: a Window knows its k and d; any other step reads its whole span)."""
    d = getattr(step, "d", None)
    if d is not None:
        first = i * step.s - step.before
        return range(first, first + d * step.k, d)
    stride, before, span = Fraction(step.stride), Fraction(step.before), Fraction(step.span)
    first = i * stride - before
    if stride.denominator != 1 or before.denominator != 1 or span.denominator != 1 or \
            first.denominator != 1:
        raise ValueError("field_positions follows whole positions only: this model upsamples "
                         "(a unit's inputs depend on its position)")
    return range(int(first), int(first + span))


def field_positions(model, row: str | None = None, unit: int | None = None, axis: int = 0) -> dict:
    """Which positions of every earlier map one unit depends on, and along how many paths.

    Walks the rows backwards from the unit at position ``unit`` (default: the centre) of row
    ``row`` (default: the last row with a spatial map), along spatial ``axis``, and returns
    {row name: {position: paths}} for every row the unit reaches — its own row included.
    A window layer's output i reads positions i·s − p + t·d (t = 0 … k − 1), so dilation
    leaves gaps; negative positions and positions ≥ n are padding.  Activations, batch norm
    and merges pass positions through (a merge to each of its inputs); a dense or global
    layer, and a vector (after Flatten: one unit, position 0), reads every position.  ``paths`` counts the chains of taps that lead from the
    position to the unit: the gradient of the unit when every weight is 1 and nothing is
    clipped, the measure behind the *effective* receptive field (:func:`effective_field`).

    The extent of the input's positions is the receptive field that :func:`receptive_field`
    computes with its recurrence (tests/core/test_rules_receptive.py checks one against the
    other).

    >>> from cnnlib import Sequential, Conv1d
    >>> m = Sequential((1, 9), [Conv1d(1, 3), Conv1d(1, 3)])
    >>> field_positions(m)["input"]
    {2: 1, 3: 2, 4: 3, 5: 2, 6: 1}
    """
    rows = model.rows()
    by_name = {r.name: r for r in rows}
    if row is None:
        spatial = [r for r in rows if len(r.out_shape) > 1 + axis]
        if not spatial:
            raise ValueError("the model has no spatial map")
        row = spatial[-1].name
    if row not in by_name:
        raise KeyError(f"no row named {row!r}")
    shape = by_name[row].out_shape
    size = shape[1 + axis] if len(shape) > 1 + axis else 1  # a vector: one unit, the whole of it
    unit = size // 2 if unit is None else unit
    if not 0 <= unit < size:
        raise ValueError(f"unit {unit} is outside the map of {row} (0 … {size - 1})")
    pending = {row: {unit: 1}}
    out = {}
    for r in reversed(rows):
        here = pending.pop(r.name, None)
        if here is None:
            continue
        out[r.name] = dict(sorted(here.items()))
        if r.layer is None:
            continue
        rf = r.facts.rf
        spatial_out = len(r.out_shape) > 1 + axis
        for name in r.inputs:
            target = pending.setdefault(name, {})
            in_shape = by_name[name].out_shape
            if len(in_shape) <= 1 + axis:  # a vector feeds this row: its one unit
                target[0] = target.get(0, 0) + sum(here.values())
            elif not spatial_out or rf == GLOBAL or rf == IRREGULAR or \
                    (rf != POINTWISE and len(rf) <= axis):  # every position (dense, global pooling)
                total = sum(here.values())
                for pos in range(in_shape[1 + axis]):
                    target[pos] = target.get(pos, 0) + total
            elif len(r.inputs) > 1 or rf == POINTWISE:
                for pos, c in here.items():
                    target[pos] = target.get(pos, 0) + c
            else:
                step = rf[axis]
                for pos, c in here.items():
                    for t in _taps(step, pos):
                        target[t] = target.get(t, 0) + c
    return out


def effective_field(paths: dict, share: float = 0.95) -> int:
    """Width of the narrowest run of positions that holds ``share`` of the paths (or of any
    other non-negative weights) {position: weight} — a measure of the effective receptive field.

    With every weight 1, the paths from an input pixel to a unit are its gradient: most of
    them start near the centre, so the effective field is narrower than the theoretical one
    (which counts any pixel reached by one path at all), and for a stack of L layers it grows
    like √L, not like L (Luo et al., 2016; Araujo et al., 2019).

    >>> effective_field({0: 1, 1: 2, 2: 3, 3: 2, 4: 1}, 0.5)
    2
    """
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share!r}")
    pos = sorted(paths)
    weights = [paths[p] for p in pos]
    total = sum(weights)
    if not pos or total <= 0:
        raise ValueError("no positions with weight")
    best = None
    j, acc = 0, 0
    for i in range(len(pos)):  # two pointers over the sorted positions
        while j < len(pos) and acc < share * total:
            acc += weights[j]
            j += 1
        if acc >= share * total:
            width = pos[j - 1] - pos[i] + 1
            best = width if best is None else min(best, width)
        acc -= weights[i]
    return best
