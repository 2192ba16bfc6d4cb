"""Where parameters live and where compute lives: per-layer costs, shares and bar charts.

``layer_costs(model)`` and ``share_by_kind(model, metric)`` are pure (no plotting
library); ``cost_bars`` and ``params_and_macs`` draw them with matplotlib, imported only
when called. MACs are multiply–accumulates of one forward pass for one image, without the
bias additions (cnnlib's convention, see ``cnnlib.layers``).

>>> from cnnlib import Conv2d, ReLU, Flatten, Dense
>>> net = ((3, 32, 32), [Conv2d(8, 3, padding=1), ReLU(), Flatten(), Dense(10)])
>>> [(c.name, c.params, c.macs) for c in layer_costs(net)]
[('conv1', 224, 221184), ('fc1', 81930, 81920)]
>>> round(share_by_kind(net, "params")["fc"][1], 4)
0.9973
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .diagram import KIND_COLOURS, KIND_NAMES, model_layers

__all__ = [
    "ActivationTerm", "LayerCost", "WindowStep", "activation_terms", "cost_bars", "first_dense",
    "input_size_sweep", "layer_costs", "leaf_rows", "params_and_macs", "share_by_kind", "size_html",
    "window_steps",
]

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


def leaf_rows(model):
    """``model.rows()`` of a cnnlib Sequential (a plain ``(input_shape, layers)`` pair is
    wrapped in one): the input row, then one LayerRow per leaf layer."""
    from .model import Sequential

    if isinstance(model, tuple):
        model = Sequential(*model)
    return model.rows()


def layer_costs(model, *, all_layers: bool = False) -> list[LayerCost]:
    """One LayerCost per leaf layer that has parameters or MACs (every layer if all_layers),
    read from ``model.rows()`` — the same rows the summary table and the totals sum."""
    return [LayerCost(r.name, r.kind, r.in_shape, r.out_shape, r.params, r.macs)
            for r in leaf_rows(model)[1:] if all_layers or r.params or r.macs]


def share_by_kind(model, metric: str = "params") -> dict:
    """{kind: (total, share of the model's total)} for metric "params" or "macs".

    >>> from cnnlib import Conv2d, Flatten, Dense
    >>> share_by_kind(((1, 4, 4), [Conv2d(2, 3), Flatten(), Dense(1)]), "macs")
    {'conv': (72, 0.9), 'fc': (8, 0.1)}
    """
    costs = layer_costs(model)
    total = sum(c.get(metric) for c in costs)
    kinds: dict = {}
    for c in costs:
        kinds[c.kind] = kinds.get(c.kind, 0) + c.get(metric)
    return {k: (v, v / total if total else 0.0) for k, v in kinds.items()}


@dataclass(frozen=True)
class WindowStep:
    """One sliding-window layer along the height: o = (n + 2p − d·(k − 1) − 1)/s + 1 before ⌊⌋.

    ``exact`` is that value as a fraction; ``out`` is what PyTorch keeps (the floor);
    ``unused`` counts the rows at the bottom that no window reaches.
    """

    name: str
    kind: str
    n: int
    k: int
    s: int
    p: int
    exact: Fraction
    out: int

    @property
    def is_exact(self) -> bool:
        return self.exact.denominator == 1

    @property
    def unused(self) -> int:
        return self.n + 2 * self.p - ((self.out - 1) * self.s + self.k)

    def formula(self) -> str:
        """'(224 + 2·0 − 11)/4 + 1 = 54.25 → 54' (the floor shown only when it bites)."""
        value = f"{float(self.exact):g}" if not self.is_exact else str(self.exact)
        text = f"({self.n} + 2·{self.p} − {self.k})/{self.s} + 1 = {value}"
        return text if self.is_exact else f"{text} → {self.out}"


def window_steps(model) -> list[WindowStep]:
    """The height arithmetic of every convolution and pooling layer with integer padding.

    >>> from cnnlib import Conv2d, MaxPool2d
    >>> [s.formula() for s in window_steps(((3, 224, 224), [Conv2d(96, 11, stride=4),
    ...                                                      MaxPool2d(3, stride=2)]))]
    ['(224 + 2·0 − 11)/4 + 1 = 54.25 → 54', '(54 + 2·0 − 3)/2 + 1 = 26.5 → 26']
    """
    shape, layers = model_layers(model)
    steps = []
    for name, layer in layers:
        new = tuple(layer.output_shape(shape))
        k = getattr(layer, "kernel_size", None)
        pad = getattr(layer, "padding", None)
        if k is not None and len(shape) >= 2 and pad is not None and not isinstance(pad[0], str):
            s = (layer.stride or k)[0]
            d = getattr(layer, "dilation", (1,))[0]
            kk = d * (k[0] - 1) + 1
            exact = Fraction(shape[1] + 2 * pad[0] - kk, s) + 1
            steps.append(WindowStep(name, layer.kind, shape[1], kk, s, pad[0], exact, new[1]))
        shape = new
    return steps


@dataclass(frozen=True)
class ActivationTerm:
    """One term of an activation-memory sum: a tensor the forward pass keeps."""

    name: str
    shape: tuple  # channels first
    elements: int

    def expression(self) -> str:
        """'224·224·64' (H·W·C, the order of the CS231n table) or '4096' for a vector."""
        dims = self.shape[1:] + self.shape[:1] if len(self.shape) > 1 else self.shape
        return "·".join(str(x) for x in dims)


def activation_terms(model) -> list[ActivationTerm]:
    """The terms of ``model.activation_elements``: the input and every output the forward
    pass keeps (conv, pool, dense, BatchNorm, LRN; ReLU works in place and Flatten is a
    view, so neither counts) — for a network without BatchNorm, the CS231n VGG table.

    >>> from cnnlib import Conv2d, ReLU, MaxPool2d
    >>> [(t.expression(), t.elements) for t in activation_terms(
    ...     ((3, 8, 8), [Conv2d(4, 3, padding=1), ReLU(), MaxPool2d(2)]))]
    [('8·8·3', 192), ('8·8·4', 256), ('4·4·4', 64)]
    """
    return [ActivationTerm(r.name, r.out_shape, r.activations)
            for r in leaf_rows(model) if r.activations]


def first_dense(model) -> LayerCost | None:
    """The first dense layer's costs (its in_shape is the flattened feature vector)."""
    return next((c for c in layer_costs(model) if c.kind == "fc"), None)


def input_size_sweep(build, sizes) -> list[dict]:
    """For each input size n: build(n), then fc1's inputs and parameters and the total.

    An input the network cannot take gives ok=False and the ShapeError's message as reason
    (the first line of it), so a slider over sizes never fails silently.
    """
    from .errors import ShapeError

    rows = []
    for n in sizes:
        try:
            model = build(n)
            costs = layer_costs(model)
        except ShapeError as e:
            rows.append({"n": n, "ok": False, "reason": str(e), "fc1_in": None,
                         "fc1_params": None, "total": None})
            continue
        fc = next((c for c in costs if c.kind == "fc"), None)
        rows.append({
            "n": n, "ok": True, "reason": "",
            "fc1_in": fc.in_shape[-1] if fc else None,
            "fc1_params": fc.params if fc else None,
            "total": sum(c.params for c in costs),
        })
    return rows


def size_html(build, n: int, *, reference: int | None = None, changes_only: bool = True) -> str:
    """HTML for a slider over the input size: each window layer's arithmetic, fc1, the total.

    ``build(n)`` returns the model for an n×n input. Layers whose division is not exact are
    marked (PyTorch floors and the last rows are never read); with ``changes_only`` the
    layers that keep the size exactly (3×3, stride 1, padding 1) are left out. An input the
    network cannot take shows the ShapeError's reason in red instead of failing.
    ``reference`` adds the change of fc1 and of the total against that input size.
    """
    import html as _html

    from .errors import ShapeError

    try:
        model = build(n)
        steps = window_steps(model)
        costs = layer_costs(model)
    except ShapeError as e:
        return (f"<div style='color:#b00020'><b>{n}×{n}: impossible.</b> "
                f"{_html.escape(str(e))}</div>")
    rows = []
    for st in steps:
        if changes_only and st.is_exact and st.out == st.n:
            continue
        mark = ("" if st.is_exact else
                f" <span style='color:#b35900'>floored: {st.unused} row(s) never read</span>")
        rows.append(f"<tr><td>{_html.escape(st.name)}</td><td><code>{_html.escape(st.formula())}"
                    f"</code>{mark}</td></tr>")
    fc = next((c for c in costs if c.kind == "fc"), None)
    total = sum(c.params for c in costs)
    inexact = sum(1 for st in steps if not st.is_exact)
    verdict = ("<span style='color:#007a4d'>every division exact</span>" if not inexact else
               f"<span style='color:#b35900'>{inexact} division(s) floored</span>")
    lines = [f"<div><b>input {n}×{n}</b> — {verdict}</div>",
             "<table style='font-size:95%'>" + "".join(rows) + "</table>"]
    if fc is not None:
        feat = fc.in_shape[-1]
        lines.append(f"<div>fc1: {feat:,} inputs → {fc.params:,} parameters</div>")
    lines.append(f"<div><b>total: {total:,} parameters</b></div>")
    if reference is not None and reference != n:
        try:
            ref_costs = layer_costs(build(reference))
        except ShapeError:
            ref_costs = None
        if ref_costs:
            ref_total = sum(c.params for c in ref_costs)
            lines.append(f"<div style='color:#555'>vs {reference}×{reference}: "
                         f"{total - ref_total:+,} parameters</div>")
    return "\n".join(lines)


def _short(n: float) -> str:
    for div, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if n >= div:
            return f"{n / div:.3g}{unit}"
    return f"{n:g}"


def cost_bars(model, metric: str = "params", ax=None, *, title: str | None = None,
              fontsize: float = 11, min_share_label: float = 0.0, dpi: float = 90):
    """Bar chart of one metric per layer, each bar labelled with its value and share.

    Bars are coloured by layer kind (same colours as the shapes diagram); the title says
    what is counted. Returns the Figure (a new one, made without pyplot, unless ``ax`` is given).
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import FuncFormatter

    costs = layer_costs(model)
    values = [c.get(metric) for c in costs]
    total = sum(values)
    if ax is None:
        ax = Figure(figsize=(max(6.0, 0.7 * len(costs) + 2), 4.2), dpi=dpi).add_subplot()
    colours = [KIND_COLOURS.get(c.kind, KIND_COLOURS["layer"]) for c in costs]
    xs = range(len(costs))
    ax.bar(xs, values, color=colours, edgecolor="black", linewidth=0.6)
    top = max(values) if values else 1
    crowded = len(costs) > 10
    for x, v in zip(xs, values):
        share = v / total if total else 0
        if share >= min_share_label:
            ax.text(x, v + top * 0.02, f"{_short(v)}  {share:.1%}" if crowded
                    else f"{_short(v)}\n{share:.1%}", ha="center", va="bottom",
                    rotation=90 if crowded else 0, fontsize=fontsize * 0.85, linespacing=1.0)
    ax.set_xticks(list(xs))
    ax.set_xticklabels([c.name for c in costs], rotation=45 if len(costs) > 10 else 0,
                       ha="right" if len(costs) > 10 else "center", fontsize=fontsize)
    ax.set_ylim(0, top * (1.6 if crowded else 1.22))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _short(v) if v else "0"))
    ax.tick_params(axis="y", labelsize=fontsize * 0.9)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title or f"{METRICS[metric]} per layer\ntotal {total:,}", fontsize=fontsize * 1.1,
                 loc="left")
    kinds = list(dict.fromkeys(c.kind for c in costs))
    ax.legend([Rectangle((0, 0), 1, 1, facecolor=KIND_COLOURS.get(k, KIND_COLOURS["layer"]),
                         edgecolor="black") for k in kinds],
              [KIND_NAMES.get(k, k) for k in kinds], frameon=False, fontsize=fontsize * 0.9,
              loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=len(kinds), borderaxespad=0.2,
              handlelength=1.0, columnspacing=0.8)
    return ax.figure


def params_and_macs(model, *, title: str | None = None, fontsize: float = 11,
                    figsize=None, dpi: float = 90):
    """Two bar charts: parameters and MACs per layer (side by side, or stacked when there are
    more than 10 layers). Returns the Figure."""
    from matplotlib.figure import Figure

    n = len(layer_costs(model))
    if n > 10:  # many layers: one chart above the other
        fig = Figure(figsize=figsize or (min(0.6 * n + 2, 14), 8.6), dpi=dpi)
        a, b = fig.subplots(2, 1)
    else:
        fig = Figure(figsize=figsize or (min(2 * (0.6 * n + 1.5), 16), 4.6), dpi=dpi)
        a, b = fig.subplots(1, 2)
    cost_bars(model, "params", a, fontsize=fontsize)
    cost_bars(model, "macs", b, fontsize=fontsize)
    if title:
        fig.suptitle(title, fontsize=fontsize * 1.25, fontweight="bold", x=0.01, ha="left")
    fig.tight_layout()
    return fig
