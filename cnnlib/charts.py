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

from .diagram import KIND_COLOURS, KIND_NAMES, model_layers

__all__ = ["LayerCost", "cost_bars", "layer_costs", "params_and_macs", "share_by_kind"]

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
    """One LayerCost per layer that has parameters or MACs (every layer if all_layers).

    Computed from the layers themselves: ``layer.params(in_shape)``, ``layer.macs(in_shape)``
    with in_shape carried from the model's input.
    """
    shape, layers = model_layers(model)
    out = []
    for name, layer in layers:
        params, macs = layer.params(shape), layer.macs(shape)
        new = tuple(layer.output_shape(shape))
        if all_layers or params or macs:
            out.append(LayerCost(name, layer.kind, shape, new, params, macs))
        shape = new
    return out


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


def _short(n: float) -> str:
    for div, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if n >= div:
            return f"{n / div:.3g}{unit}"
    return f"{n:g}"


def cost_bars(model, metric: str = "params", ax=None, *, title: str | None = None,
              fontsize: float = 11, min_share_label: float = 0.0):
    """Bar chart of one metric per layer, each bar labelled with its value and share.

    Bars are coloured by layer kind (same colours as the shapes diagram); the title says
    what is counted. Returns the Axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    costs = layer_costs(model)
    values = [c.get(metric) for c in costs]
    total = sum(values)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 0.7 * len(costs) + 2), 4.2))
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
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: _short(v) if v else "0"))
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
    return ax


def params_and_macs(model, *, title: str | None = None, fontsize: float = 11,
                    figsize=None):
    """Two bar charts: parameters and MACs per layer (side by side, or stacked when there are
    more than 10 layers). Returns the Figure."""
    import matplotlib.pyplot as plt

    n = len(layer_costs(model))
    if n > 10:  # many layers: one chart above the other
        fig, (a, b) = plt.subplots(2, 1, figsize=figsize or (min(0.6 * n + 2, 14), 8.6))
    else:
        fig, (a, b) = plt.subplots(1, 2, figsize=figsize or (min(2 * (0.6 * n + 1.5), 16), 4.6))
    cost_bars(model, "params", a, fontsize=fontsize)
    cost_bars(model, "macs", b, fontsize=fontsize)
    if title:
        fig.suptitle(title, fontsize=fontsize * 1.25, fontweight="bold", x=0.01, ha="left")
    fig.tight_layout()
    return fig
