"""The book's matplotlib charts: parameters and MACs per layer, the shapes diagram, the bottleneck curve.

Each chart reads a model's rows through the core (:mod:`cnnlib.analysis`,
:mod:`cnnlib.diagram`, :mod:`cnnlib.costs`), so a bar, a box and a table row cannot
disagree.  matplotlib is imported inside the functions; a Figure is made without pyplot, so
a notebook shows it once, as the value of the cell.
"""

from __future__ import annotations

from ..analysis import METRICS, layer_costs
from ..costs import bottleneck_costs
from ..diagram import (
    KIND_COLOURS,
    KIND_NAMES,
    colour,
    diagram_rows,
    geometry,
    lower_labels,
    scale_note,
    wrap,
)

__all__ = ["bottleneck_figure", "cost_bars", "params_and_macs", "shapes_diagram"]


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


def shapes_diagram(model, ax=None, *, order: str = "HWC", show_input: bool = True,
                   show_params: bool = True, title: str | None = None, fontsize: float = 11,
                   rotate: bool | None = None, legend: bool = True, dpi: float = 90,
                   per_row: int | None = 14):
    """Draw one box per layer output of ``model``; return the matplotlib Figure.

    Feature maps are cuboids (face √H tall, oblique depth √W, thickness ∝ log₂(C + 1));
    vectors are thin bars √F tall. Above each box: its shape in ``order`` ("HWC" as the
    AlexNet and VGG papers write 55×55×96, or "CHW" as PyTorch stores it); below: the
    layer's name and parameter count. ``rotate`` turns the labels vertical (default: when
    there are more than 8 boxes in a row). Without ``ax`` a new Figure is made (not through pyplot,
    so a notebook shows it once, as the cell's value); with ``ax`` the drawing goes there.
    More than ``per_row`` boxes wrap onto several rows (all drawn to one scale), so a deep
    network stays legible on a page or a projector; ``per_row=None`` keeps one row.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon, Rectangle

    rows = diagram_rows(model, order=order, show_input=show_input)
    geo = geometry(rows)
    lines, per = wrap(len(rows), per_row)
    if rotate is None:
        rotate = per > 8
    lower_texts = lower_labels(rows, rotate, show_params)

    # vertical budget in inches: shape labels above, names below, legend + note at the bottom
    char = 0.72 / 72 * fontsize  # a bold character's advance, inches (DejaVu Sans)
    if rotate:
        t_up = max(len(r.shape_label) for r in rows) * char + 0.1
        t_down = max(len(t) for t in lower_texts) * char * 0.9 + 0.1
    else:
        t_up = 1.5 * fontsize / 72 + 0.05
        t_down = 2 * 1.3 * 0.9 * fontsize / 72 + 0.1
    t_legend = 2.6 * fontsize / 72 + 0.15 if legend else 1.4 * fontsize / 72 + 0.1
    band = 2.4
    row_gap = 0.25  # inches between wrapped rows
    if ax is None:
        width = min(max(8.0, 0.62 * per + 2), 20.0)
        t_title = 2.6 * fontsize / 72 if title else 0.0
        height = lines * (band + t_up + t_down) + (lines - 1) * row_gap + t_legend
        fig = Figure(figsize=(width, height + t_title), dpi=dpi)
        ax = fig.add_subplot()
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.0, top=height / (height + t_title))
    else:
        fig = ax.figure
    ax_h = ax.get_position().height * fig.get_figheight()
    band = max((ax_h - t_legend - (lines - 1) * row_gap) / lines - t_up - t_down, 0.5)
    # height of a row of boxes in data units: the highest top (face + oblique depth) to the
    # lowest bottom, boxes being centred on their row's line
    span = max(h / 2 + 0.5 * d for _, h, d in geo) + max(h / 2 for _, h, _ in geo)
    per_inch = span / band  # data units per inch
    step = (band + t_up + t_down + row_gap) * per_inch  # from one row's centre to the next

    gap = 0.35 if rotate else 0.55
    x, x_max = 0.0, 0.0
    tops, bottoms, centres, line_of = [], [], [], []
    for i, (r, (w, h, d)) in enumerate(zip(rows, geo)):
        line = i // per
        if i and i % per == 0:
            x_max, x = max(x_max, x - gap), 0.0
        fill = colour(r.kind)
        y0 = -h / 2 - line * step
        dx, dy = d * 0.8, d * 0.5  # oblique projection of the W axis
        ax.add_patch(Rectangle((x, y0), w, h, facecolor=fill, edgecolor="black", lw=0.8,
                               alpha=0.9, zorder=3))
        if d:
            ax.add_patch(Polygon([(x, y0 + h), (x + w, y0 + h), (x + w + dx, y0 + h + dy),
                                  (x + dx, y0 + h + dy)], closed=True, facecolor=fill,
                                 edgecolor="black", lw=0.8, alpha=0.55, zorder=2))
            ax.add_patch(Polygon([(x + w, y0), (x + w + dx, y0 + dy), (x + w + dx, y0 + h + dy),
                                  (x + w, y0 + h)], closed=True, facecolor=fill,
                                 edgecolor="black", lw=0.8, alpha=0.7, zorder=2))
        centres.append(x + (w + dx) / 2)
        tops.append(y0 + h + dy)
        bottoms.append(y0)
        line_of.append(line)
        x += w + dx + gap
    x_max = max(x_max, x - gap)

    line_top = [max(t for t, ln in zip(tops, line_of) if ln == k) for k in range(lines)]
    line_bottom = [min(b for b, ln in zip(bottoms, line_of) if ln == k) for k in range(lines)]
    pad = 0.06 * per_inch
    for r, lower, cx, t, ln in zip(rows, lower_texts, centres, tops, line_of):
        ax.text(cx, (line_top[ln] if rotate else t) + pad, r.shape_label, ha="center",
                va="bottom", rotation=90 if rotate else 0, fontsize=fontsize, zorder=4,
                fontweight="bold")
        ax.text(cx, line_bottom[ln] - pad, lower, ha="center", va="top",
                rotation=90 if rotate else 0, fontsize=fontsize * 0.9, zorder=4, linespacing=1.1)

    top, bottom = line_top[0], line_bottom[-1]
    ax.set_xlim(-0.3, x_max + 0.3)
    ax.set_ylim(bottom - (t_down + t_legend) * per_inch, top + t_up * per_inch)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=fontsize * 1.3, fontweight="bold", loc="left", pad=14)
    ax.text(0.0, 0.0, scale_note(order, show_params), transform=ax.transAxes, fontsize=fontsize * 0.85, ha="left",
            va="bottom", color="#333333")
    if legend:
        kinds = list(dict.fromkeys(r.kind for r in rows))
        handles = [Rectangle((0, 0), 1, 1, facecolor=colour(k), edgecolor="black") for k in kinds]
        ax.legend(handles, [KIND_NAMES.get(k, k) for k in kinds], loc="lower left",
                  bbox_to_anchor=(0.0, 1.4 * fontsize / 72 / ax_h), fontsize=fontsize * 0.9,
                  ncol=len(kinds), frameon=False, borderaxespad=0.0, handlelength=1.2,
                  columnspacing=1.2)
    return fig


# ------------------------------------------------------------------ SVG (no matplotlib)


def bottleneck_figure(channels: int = 256, mids=(16, 32, 48, 64, 96, 128, 192, 256), size: int = 56):
    """Weights of the bottleneck 1×1 → 3×3 → 1×1 for several middle widths, against one plain
    3×3 convolution at `channels` (a horizontal line). Returns a matplotlib Figure."""
    from matplotlib.figure import Figure

    plain = bottleneck_costs(channels, mids[0], size)["plain"]["params"]
    ys = [bottleneck_costs(channels, m, size)["bottleneck"]["params"] for m in mids]
    fig = Figure(figsize=(7, 3.6), dpi=90, layout="constrained")
    ax = fig.add_subplot()
    ax.plot(mids, ys, "o-", color="#0072B2", label="bottleneck 1×1 → 3×3 → 1×1")
    ax.axhline(plain, color="#D55E00", ls="--", label=f"plain 3×3 at {channels}: {plain:,}")
    for m, y in zip(mids, ys):
        ax.annotate(f"{y / 1e3:.0f}k", (m, y), textcoords="offset points", xytext=(0, 6),
                    ha="center", fontsize=8)
    ax.set_xlabel(f"middle channels (input and output: {channels})")
    ax.set_ylabel("weights")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v / 1e3:.0f}k")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, loc="upper left")
    ax.set_title("Weights of a bottleneck vs one plain 3×3 convolution", loc="left")
    return fig
