"""Where parameters live and where compute lives, read from a model's rows.

``layer_costs(model)`` and ``share_by_kind(model, metric)`` list and group the rows that
have parameters or MACs; ``window_steps(model)`` writes the height arithmetic of every
sliding-window layer; ``activation_terms(model)`` lists the tensors the forward pass keeps.
All of them read ``model.rows()`` — the rows the summary table and the totals sum — so a
chart, a table and a total cannot disagree.  The bar charts that draw them are in
:mod:`cnnlib.book.charts`.

>>> from cnnlib import Sequential, Conv2d, ReLU, Flatten, Dense
>>> net = Sequential((3, 32, 32), [Conv2d(8, 3, padding=1), ReLU(), Flatten(), Dense(10)])
>>> [(c.name, c.params, c.macs) for c in layer_costs(net)]
[('conv1', 224, 221184), ('fc1', 81930, 81920)]
>>> round(share_by_kind(net, "params")["fc"][1], 4)
0.9973
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .arithmetic import Window, fmt_exact
from .errors import ShapeError
from .shapes import shape_tuple

__all__ = ["METRICS", "ActivationTerm", "LayerCost", "WindowStep", "activation_terms", "first_dense",
           "input_size_sweep", "layer_costs", "share_by_kind", "window_steps"]

METRICS = {"params": "parameters", "macs": "MACs (multiply–accumulates)"}


@dataclass(frozen=True)
class LayerCost:
    """Parameters and MACs of one layer for the shape it receives."""

    name: str
    kind: str
    in_shape: tuple
    out_shape: tuple
    params: int
    macs: int

    def get(self, metric: str) -> int:
        if metric not in METRICS:
            raise ValueError(f"metric must be one of {tuple(METRICS)}, got {metric!r}")
        return getattr(self, metric)


def layer_costs(model, *, all_layers: bool = False) -> list[LayerCost]:
    """One LayerCost per row that has parameters or MACs (every layer if all_layers)."""
    return [LayerCost(r.name, r.kind, r.in_shape, r.out_shape, r.params, r.macs)
            for r in model.rows() if r.layer is not None and (all_layers or r.params or r.macs)]


def share_by_kind(model, metric: str = "params") -> dict:
    """{kind: (total, share of the model's total)} for metric "params" or "macs".

    >>> from cnnlib import Sequential, Conv2d, Flatten, Dense
    >>> share_by_kind(Sequential((1, 4, 4), [Conv2d(2, 3), Flatten(), Dense(1)]), "macs")
    {'conv': (72, 0.9), 'fc': (8, 0.1)}
    """
    costs = layer_costs(model)
    total = sum(c.get(metric) for c in costs)
    kinds: dict = {}
    for c in costs:
        kinds[c.kind] = kinds.get(c.kind, 0) + c.get(metric)
    return {k: (v, v / total if total else 0.0) for k, v in kinds.items()}


def first_dense(model) -> LayerCost | None:
    """The first dense layer's costs (its in_shape is the flattened feature vector)."""
    return next((c for c in layer_costs(model) if c.kind == "fc"), None)


@dataclass(frozen=True)
class WindowStep:
    """One sliding-window layer along the height: o = (n + 2p − d·(k − 1) − 1)/s + 1 before ⌊⌋.

    ``k`` is the kernel's span d·(k − 1) + 1; ``exact`` the value before rounding; ``out``
    what PyTorch keeps (the floor, or the ceiling in ceil mode); ``unused`` the rows at the
    bottom that no window reaches.
    """

    name: str
    kind: str
    window: Window

    @property
    def n(self) -> int:
        return self.window.n

    @property
    def k(self) -> int:
        return self.window.span

    @property
    def s(self) -> int:
        return self.window.s

    @property
    def p(self) -> int:
        return self.window.before

    @property
    def exact(self) -> Fraction:
        return self.window.exact

    @property
    def out(self) -> int:
        return self.window.out

    @property
    def is_exact(self) -> bool:
        return self.exact.denominator == 1

    @property
    def unused(self) -> int:
        return self.window.unread

    def formula(self) -> str:
        """'(224 + 2·0 − 11)/4 + 1 = 54.25 → 54' (the rounding shown only when it bites)."""
        text = f"({self.n} + 2·{self.p} − {self.k})/{self.s} + 1 = {fmt_exact(self.exact, 6)}"
        return text if self.is_exact else f"{text} → {self.out}"


def window_steps(model) -> list[WindowStep]:
    """The height arithmetic of every convolution and pooling row with equal padding on both
    sides (the first spatial axis of ``row.windows``).

    >>> from cnnlib import Sequential, Conv2d, MaxPool2d
    >>> m = Sequential((3, 224, 224), [Conv2d(96, 11, stride=4), MaxPool2d(3, stride=2)])
    >>> [s.formula() for s in window_steps(m)]
    ['(224 + 2·0 − 11)/4 + 1 = 54.25 → 54', '(54 + 2·0 − 3)/2 + 1 = 26.5 → 26']
    """
    return [WindowStep(r.name, r.kind, r.windows[0]) for r in model.rows()
            if r.windows and r.windows[0].before == r.windows[0].after]


@dataclass(frozen=True)
class ActivationTerm:
    """One term of an activation-memory sum: a tensor the forward pass keeps."""

    name: str
    shape: tuple  # channels first
    elements: int

    def expression(self) -> str:
        """'224·224·64' (H·W·C, the order of the CS231n table) or '4096' for a vector."""
        return "·".join(str(x) for x in shape_tuple(self.shape, "HWC"))


def activation_terms(model) -> list[ActivationTerm]:
    """The terms of ``model.activation_elements``: the input and every output the forward
    pass keeps (conv, pool, dense, BatchNorm, LRN; ReLU works in place and Flatten is a
    view, so neither counts) — for a network without BatchNorm, the CS231n VGG table.

    >>> from cnnlib import Sequential, Conv2d, ReLU, MaxPool2d
    >>> [(t.expression(), t.elements) for t in activation_terms(
    ...     Sequential((3, 8, 8), [Conv2d(4, 3, padding=1), ReLU(), MaxPool2d(2)]))]
    [('8·8·3', 192), ('8·8·4', 256), ('4·4·4', 64)]
    """
    return [ActivationTerm(r.name, r.out_shape, r.activations) for r in model.rows() if r.activations]


def input_size_sweep(build, sizes) -> list[dict]:
    """For each input size n: build(n), then fc1's inputs and parameters and the total.

    An input the network cannot take gives ok=False and the ShapeError's message as reason,
    so a slider over sizes never fails silently.
    """
    rows = []
    for n in sizes:
        try:
            model = build(n)
        except ShapeError as e:
            rows.append({"n": n, "ok": False, "reason": str(e), "fc1_in": None,
                         "fc1_params": None, "total": None})
            continue
        fc = first_dense(model)
        rows.append({
            "n": n, "ok": True, "reason": "",
            "fc1_in": fc.in_shape[-1] if fc else None,
            "fc1_params": fc.params if fc else None,
            "total": model.total_params,
        })
    return rows
