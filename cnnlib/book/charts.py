"""The book's matplotlib charts: parameters and MACs per layer, the shapes diagram, the bottleneck curve.

Each chart reads a model's rows through the core (:mod:`cnnlib.analysis`,
:mod:`cnnlib.diagram`, :mod:`cnnlib.costs`), so a bar, a box and a table row cannot
disagree.  matplotlib is imported inside the functions; a Figure is made without pyplot, so
a notebook shows it once, as the value of the cell.
"""

from __future__ import annotations

import math

from .. import layout as _layout
from ..analysis import METRICS, layer_costs
from ..costs import bottleneck_costs
from ..diagram import (
    KIND_NAMES,
    colour,
    diagram_rows,
    geometry,
    lower_labels,
    scale_note,
    short_count,
    wrap,
)

__all__ = ["bottleneck_figure", "cost_bars", "params_and_macs", "shapes_diagram"]


def _short(n: float) -> str:
    for div, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if n >= div:
            return f"{n / div:.3g}{unit}"
    return f"{n:g}"


def _cuboid(ax, x, y0, w, h, dx, dy, fill):
    """A feature map's box: its front face (w × h at x, y0) and, when it has depth, the top and
    side faces of the oblique projection (dx, dy)."""
    from matplotlib.patches import Polygon, Rectangle

    ax.add_patch(Rectangle((x, y0), w, h, facecolor=fill, edgecolor="black", lw=0.8, alpha=0.9, zorder=3))
    if dx or dy:
        ax.add_patch(Polygon([(x, y0 + h), (x + w, y0 + h), (x + w + dx, y0 + h + dy), (x + dx, y0 + h + dy)],
                             closed=True, facecolor=fill, edgecolor="black", lw=0.8, alpha=0.55, zorder=2))
        ax.add_patch(Polygon([(x + w, y0), (x + w + dx, y0 + dy), (x + w + dx, y0 + h + dy), (x + w, y0 + h)],
                             closed=True, facecolor=fill, edgecolor="black", lw=0.8, alpha=0.7, zorder=2))


def _kind_legend(kinds):
    """(handles, labels) of a legend with one coloured square per layer kind."""
    from matplotlib.patches import Rectangle

    kinds = list(dict.fromkeys(kinds))
    return ([Rectangle((0, 0), 1, 1, facecolor=colour(k), edgecolor="black") for k in kinds],
            [KIND_NAMES.get(k, k) for k in kinds])


def cost_bars(model, metric: str = "params", ax=None, *, title: str | None = None,
              fontsize: float | None = None, min_share_label: float = 0.0, dpi: float = 90,
              layout: str | None = None):
    """Bar chart of one metric per layer, each bar labelled with its value and share.

    Bars are coloured by layer kind (same colours as the shapes diagram); the title says
    what is counted. Returns the Figure (a new one, made without pyplot, unless ``ax`` is given).
    ``layout="slide"`` (:mod:`cnnlib.layout`) draws the bars sideways, one layer a row with its
    name on the left, every text at ``fontsize`` (16 pt), for a 1280×720 slide.
    """
    costs = layer_costs(model)
    if _layout.resolve(layout) == "slide":
        ax = ax if ax is not None else _slide_bars_figure(len(costs), dpi).add_subplot()
        _hbars(ax, costs, metric, title=title, fontsize=fontsize or SLIDE_FONT)
        return ax.figure
    fontsize = fontsize or 11
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    values = [c.get(metric) for c in costs]
    total = sum(values)
    if ax is None:
        ax = Figure(figsize=(max(6.0, 0.7 * len(costs) + 2), 4.2), dpi=dpi).add_subplot()
    xs = range(len(costs))
    ax.bar(xs, values, color=[colour(c.kind) for c in costs], edgecolor="black", linewidth=0.6)
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
    handles, labels = _kind_legend(c.kind for c in costs)
    ax.legend(handles, labels, frameon=False, fontsize=fontsize * 0.9,
              loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=len(handles), borderaxespad=0.2,
              handlelength=1.0, columnspacing=0.8)
    return ax.figure


def params_and_macs(model, *, title: str | None = None, fontsize: float | None = None,
                    figsize=None, dpi: float = 90, layout: str | None = None):
    """Two bar charts: parameters and MACs per layer (side by side, or stacked when there are
    more than 10 layers). Returns the Figure.

    ``layout="slide"`` (:mod:`cnnlib.layout`): the two charts side by side with their bars
    sideways, the layer names once on the left, every text at 16 pt, 12.8 inches wide."""
    from matplotlib.figure import Figure

    if _layout.resolve(layout) == "slide":
        return _params_and_macs_slide(model, title=title, fontsize=fontsize or SLIDE_FONT, dpi=dpi)
    fontsize = fontsize or 11
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
                   show_params: bool | None = None, title: str | None = None, fontsize: float | None = None,
                   rotate: bool | None = None, legend: bool = True, dpi: float = 90,
                   per_row: int | None = 14, layout: str | None = None):
    """Draw one box per layer output of ``model``; return the matplotlib Figure.

    Feature maps are cuboids (face √H tall, oblique depth √W, thickness ∝ log₂(C + 1));
    vectors are thin bars √F tall. Above each box: its shape in ``order`` ("HWC" as the
    AlexNet and VGG papers write 55×55×96, or "CHW" as PyTorch stores it); below: the
    layer's name and parameter count. ``rotate`` turns the labels vertical (default: when
    there are more than 8 boxes in a row). Without ``ax`` a new Figure is made (not through pyplot,
    so a notebook shows it once, as the cell's value); with ``ax`` the drawing goes there.
    More than ``per_row`` boxes wrap onto several rows (all drawn to one scale), so a deep
    network stays legible on a page or a projector; ``per_row=None`` keeps one row.

    ``layout="slide"`` (the default in a deck run, :mod:`cnnlib.layout`) draws for a
    1280×720 slide instead: every text at one size (``fontsize``, 16 pt), labels
    horizontal, boxes in equal slots as wide as the widest label, as many per row as fit
    12.8 inches, and the parameter counts left out when a network has too many rows of
    boxes for them (``show_params=None``, the default) — see :func:`slide_shapes_plan`.
    """
    if _layout.resolve(layout) == "slide":
        return _shapes_slide(model, ax, order=order, show_input=show_input, show_params=show_params,
                             title=title, fontsize=fontsize or SLIDE_FONT, legend=legend, dpi=dpi)
    show_params = True if show_params is None else show_params
    fontsize = fontsize or 11
    from matplotlib.figure import Figure

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
        y0 = -h / 2 - line * step
        dx, dy = d * 0.8, d * 0.5  # oblique projection of the W axis
        _cuboid(ax, x, y0, w, h, dx, dy, colour(r.kind))
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
        handles, labels = _kind_legend(r.kind for r in rows)
        ax.legend(handles, labels, loc="lower left",
                  bbox_to_anchor=(0.0, 1.4 * fontsize / 72 / ax_h), fontsize=fontsize * 0.9,
                  ncol=len(handles), frameon=False, borderaxespad=0.0, handlelength=1.2,
                  columnspacing=1.2)
    return fig


# ------------------------------------------------------------------ slide layout

#: the slide layout's font size (pt) and width (inches): a deck shows 12.8 inches as 1,150 px,
#: so 16 pt is 20 px on the 1280×720 slide — above the 18 px a projector needs
SLIDE_FONT = 16.0
SLIDE_WIDTH = 12.8
#: the height (inches) a slide figure can have and keep that scale (570 px below the title)
SLIDE_HEIGHT = 6.3


def _text_width(texts, fontsize: float, bold: bool = False) -> float:
    """Width in inches of the widest line of ``texts`` at ``fontsize`` (matplotlib's metrics)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    prop = FontProperties(size=fontsize, weight="bold" if bold else "normal")
    widest = 0.0
    for t in texts:
        for line in str(t).split("\n"):
            if line.strip():
                widest = max(widest, TextPath((0, 0), line, prop=prop).get_extents().width)
    return widest / 72


def _wrap_words(text: str, width_in: float, fontsize: float) -> str:
    """``text`` broken into lines no wider than ``width_in`` inches."""
    lines: list[str] = []
    for word in text.split():
        if lines and _text_width([lines[-1] + " " + word], fontsize) <= width_in:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def slide_shapes_plan(n: int, label_in: float, lower_in: float, fontsize: float = SLIDE_FONT,
                      lower_lines: int = 2, width: float = SLIDE_WIDTH, height: float = SLIDE_HEIGHT,
                      titled: bool = True) -> dict:
    """How the slide layout arranges ``n`` boxes whose widest shape label is ``label_in`` and
    widest lower label ``lower_in`` inches: slot width, boxes per row, rows, the height of a
    row's boxes (``band``) and of the whole figure, and whether the lower labels keep their
    second line (the parameter count) — they do when the figure then still fits ``height``.

    >>> p = slide_shapes_plan(10, 1.0, 0.9)
    >>> p["per_row"], p["rows"], p["lower_lines"]
    (10, 1, 2)
    >>> p = slide_shapes_plan(23, 1.5, 0.9)
    >>> p["per_row"] * p["rows"] >= 23 and p["height"] <= SLIDE_HEIGHT, p["lower_lines"]
    (True, 1)
    >>> p = slide_shapes_plan(23, 1.72, 0.9)  # VGG-16: four rows; the note keeps one line
    >>> p["rows"], p["note_lines"], p["height"] <= SLIDE_HEIGHT
    (4, 1, True)
    """
    line = 1.3 * fontsize / 72  # one line of text, inches
    slot = max(label_in, lower_in) + 0.6 * fontsize / 72
    fit = max(1, int(width // slot))
    rows = math.ceil(n / fit)
    per = math.ceil(n / rows)
    head = 1.6 * line if titled else 0.0
    # from the roomiest to the tightest: parameter counts under the names, then without them,
    # then the scale note cut to its first sentence (one line) and the rows closer together
    tries = [(lines, 2, 0.25) for lines in ([lower_lines, 1] if lower_lines > 1 else [1])]
    tries.append((1, 1, 0.15))
    plan = {}
    for lines, note_lines, gap in tries:
        foot = (1.4 + 1.0 * note_lines) * line  # the legend and the note
        text = line + lines * line + 0.1  # a shape label above, the lower labels below
        band = (height - head - foot) / rows - text - gap
        band = min(max(band, 0.45), 2.2)
        plan = {"slot": slot, "per_row": per, "rows": rows, "band": band, "lower_lines": lines,
                "note_lines": note_lines, "gap": gap, "text": text, "head": head, "foot": foot,
                "height": head + foot + rows * (band + text + gap)}
        if plan["height"] <= height + 1e-9:
            break
    return plan


def _shapes_slide(model, ax, *, order, show_input, show_params, title, fontsize, legend, dpi):
    """:func:`shapes_diagram` for a slide (see its docstring and :func:`slide_shapes_plan`)."""
    from matplotlib.figure import Figure

    rows = diagram_rows(model, order=order, show_input=show_input)
    geo = geometry(rows)
    names = [r.name for r in rows]
    counts = [short_count(r.params) + " p" for r in rows]
    label_in = _text_width([r.shape_label for r in rows], fontsize, bold=True)
    lower_in = _text_width(names + (counts if show_params is not False else []), fontsize)
    plan = slide_shapes_plan(len(rows), label_in, lower_in, fontsize,
                             lower_lines=1 if show_params is False else 2, titled=bool(title))
    if show_params is True and plan["lower_lines"] == 1:  # asked for: keep them, taller figure
        plan = dict(plan, lower_lines=2, height=plan["height"] + plan["rows"] * 1.3 * fontsize / 72)
    with_params = plan["lower_lines"] == 2
    per, slot, band = plan["per_row"], plan["slot"], plan["band"]
    width = per * slot
    if ax is None:
        fig = Figure(figsize=(width, plan["height"]), dpi=dpi)
        ax = fig.add_axes((0, 0, 1, 1))
    else:
        fig = ax.figure
    line = 1.3 * fontsize / 72
    # one scale for both axes (inches), so that the boxes keep their proportions
    span = max(h / 2 + 0.5 * d for _, h, d in geo) + max(h / 2 for _, h, _ in geo)
    unit = min(band / span, (slot - 0.45 * fontsize / 72) / max(w + 0.8 * d for w, _, d in geo))
    pitch = band + plan["text"] + plan["gap"]
    top = plan["height"] - plan["head"]
    above = max(h / 2 + 0.5 * d for _, h, d in geo) * unit  # a row's line to its highest box top
    for i, (r, (w, h, d)) in enumerate(zip(rows, geo)):
        ln, k = divmod(i, per)
        cx = (k + 0.5) * slot
        centre = top - ln * pitch - line - 0.05 - above
        w, h, dx, dy = w * unit, h * unit, 0.8 * d * unit, 0.5 * d * unit
        x, y0 = cx - (w + dx) / 2, centre - h / 2
        _cuboid(ax, x, y0, w, h, dx, dy, colour(r.kind))
        row_top = top - ln * pitch
        ax.text(cx, row_top - line + 0.04, r.shape_label, ha="center", va="bottom", fontsize=fontsize,
                fontweight="bold", zorder=4)
        lower = r.name + ("\n" + counts[i] if with_params else "")
        ax.text(cx, row_top - line - 0.1 - band, lower, ha="center", va="top", fontsize=fontsize,
                linespacing=1.1, zorder=4)
    ax.set_xlim(0, width)
    ax.set_ylim(0, plan["height"])
    ax.axis("off")
    if title:
        ax.text(0.05, plan["height"] - 0.1, title, ha="left", va="top", fontsize=fontsize * 1.15,
                fontweight="bold")
    foot_top = plan["foot"]
    if legend:
        handles, labels = _kind_legend(r.kind for r in rows)
        ax.legend(handles, labels, loc="upper left",
                  bbox_to_anchor=(0.0, foot_top / plan["height"]), fontsize=fontsize, ncol=len(handles),
                  frameon=False, borderaxespad=0.0, handlelength=1.0, columnspacing=1.0)
    note = scale_note(order, with_params)
    if plan["note_lines"] == 1:  # only its first sentence: the order of the shapes
        note = note.split(". ")[0] + "."
    note = _wrap_words(note, width - 0.2, fontsize)
    ax.text(0.05, foot_top - 1.2 * line, note, ha="left", va="top", fontsize=fontsize, color="#333333",
            linespacing=1.15)
    return fig


def _slide_bars_figure(n: int, dpi: float = 90):
    """A figure for one sideways bar chart of ``n`` layers on a slide."""
    from matplotlib.figure import Figure

    return Figure(figsize=(SLIDE_WIDTH * 0.6, min(SLIDE_HEIGHT, 1.6 + 0.36 * n)), dpi=dpi,
                  layout="constrained")


def _hbars(ax, costs, metric, *, title=None, fontsize=SLIDE_FONT, names=True, legend=True):
    """One metric of each layer's ``costs`` (:func:`cnnlib.analysis.layer_costs`) as sideways bars
    (first layer on top), each labelled with its value and share; every text at ``fontsize``."""
    values = [c.get(metric) for c in costs]
    total = sum(values)
    top = max(values) if values and max(values) else 1
    ys = range(len(costs))
    ax.barh(ys, values, color=[colour(c.kind) for c in costs],
            edgecolor="black", linewidth=0.6, height=0.7)
    for y, v in zip(ys, values):
        ax.text(v + top * 0.02, y, f"{_short(v)}  {v / total if total else 0:.1%}", va="center",
                ha="left", fontsize=fontsize)
    ax.set_yticks(list(ys), [c.name for c in costs] if names else [""] * len(costs), fontsize=fontsize)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(len(costs) - 0.5, -0.5)
    ax.set_xlim(0, top * 1.75)
    ax.xaxis.set_visible(False)
    ax.spines[["top", "right", "bottom"]].set_visible(False)
    ax.set_title(title or f"{METRICS[metric].split(' (')[0]}: total {total:,}", fontsize=fontsize,
                 loc="left")
    if legend:
        handles, labels = _kind_legend(c.kind for c in costs)
        ax.legend(handles, labels, frameon=False, fontsize=fontsize,
                  loc="upper left", bbox_to_anchor=(0.0, 0.0), ncol=len(handles), borderaxespad=0.2,
                  handlelength=1.0, columnspacing=0.8)


def _params_and_macs_slide(model, *, title, fontsize, dpi):
    """:func:`params_and_macs` for a slide (see its docstring)."""
    from matplotlib.figure import Figure

    costs = layer_costs(model)
    fig = Figure(figsize=(SLIDE_WIDTH, min(SLIDE_HEIGHT, 2.0 + 0.36 * len(costs))), dpi=dpi,
                 layout="constrained")
    a, b = fig.subplots(1, 2)
    _hbars(a, costs, "params", fontsize=fontsize)
    _hbars(b, costs, "macs", fontsize=fontsize, names=False, legend=False)
    if title:
        fig.suptitle(title, fontsize=fontsize, fontweight="bold", x=0.01, ha="left")
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
