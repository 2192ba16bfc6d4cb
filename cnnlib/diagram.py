"""A shapes diagram: one box per layer output, drawn to scale, labelled with its shape.

``diagram_rows(model)`` is the pure part (names, shapes, parameters and the label text,
computed from the layers); ``shapes_diagram(model)`` draws those rows with matplotlib,
which is imported only when a drawing is asked for (``import cnnlib`` stays light), and
``shapes_svg(model)`` writes the same drawing as SVG text in pure Python (fast enough for
a live widget to redraw on every change).

Scales (stated in the figure's subtitle):

* a feature map (C, H, W) is a cuboid whose front face is √H tall and whose depth (drawn
  obliquely) is √W, relative to the largest map; its thickness grows with log₂(C + 1);
* a vector (F,) is a thin bar √F tall, relative to the longest vector;
* layers that change nothing (ReLU, Dropout: ``layer.in_place``) get no box.

>>> from cnnlib import Conv2d, ReLU, MaxPool2d
>>> rows = diagram_rows(((3, 227, 227), [Conv2d(96, 11, stride=4), ReLU(), MaxPool2d(3, 2)]))
>>> [r.shape_label for r in rows]
['227×227×3', '55×55×96', '27×27×96']
>>> rows[1].params
34944
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["DiagramRow", "diagram_rows", "model_layers", "shape_label", "shapes_diagram", "shapes_svg"]

#: shape order → how tables and figures name it
ORDER_LABELS = {"HWC": "H×W×C", "CHW": "C×H×W"}
ORDERS = tuple(ORDER_LABELS)

# colours by layer kind (colour-blind-safe Okabe–Ito palette)
KIND_COLOURS = {
    "input": "#BBBBBB",
    "conv": "#0072B2",
    "pool": "#E69F00",
    "fc": "#009E73",
    "flatten": "#999999",
    "bn": "#CC79A7",
    "norm": "#56B4E9",
    "layer": "#D55E00",
}
KIND_NAMES = {
    "input": "input", "conv": "convolution", "pool": "pooling", "fc": "dense",
    "flatten": "flatten", "bn": "batch norm", "norm": "LRN", "layer": "other",
}


# ----------------------------------------------------------------- pure part


def model_layers(model):
    """(input_shape, [(name, layer), …]) of a cnnlib Sequential, or of a plain pair.

    Accepts a model with ``input_shape`` and ``layers`` (names come from ``model.names``
    or the layers' ``name`` when there is one, else kind + index), or a tuple
    ``(input_shape, layers)``.

    >>> from cnnlib import Dense
    >>> model_layers(((9216,), [Dense(4096)]))
    ((9216,), [('fc1', Dense(4096))])
    """
    if isinstance(model, tuple) and len(model) == 2:
        in_shape, layers = model
        names = None
    else:
        in_shape = tuple(model.input_shape)
        layers = list(model.layers)
        names = getattr(model, "names", None)
        if callable(names):
            names = names()
    out, counts = [], {}
    for i, item in enumerate(layers):
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            name, layer = item
        else:
            layer = item
            name = None
            if names is not None:
                name = list(names)[i]
            name = name or getattr(layer, "name", None)
        if not name:
            counts[layer.kind] = counts.get(layer.kind, 0) + 1
            name = f"{layer.kind}{counts[layer.kind]}"
        out.append((name, layer))
    return tuple(in_shape), out


def shape_label(shape, order: str = "HWC") -> str:
    """A shape as the reader sees it: (96, 55, 55) → '55×55×96' (HWC) or '96×55×55' (CHW).

    Vectors stay '4096'; a sequence (C, L) is 'L×C' in HWC order.

    >>> shape_label((96, 55, 55)), shape_label((96, 55, 55), "CHW"), shape_label((4096,))
    ('55×55×96', '96×55×55', '4096')
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, got {order!r}")
    shape = tuple(shape)
    if order == "HWC" and len(shape) >= 2:
        shape = shape[1:] + shape[:1]
    return "×".join(str(x) for x in shape)


@dataclass(frozen=True)
class DiagramRow:
    """One box of the diagram: the output of one layer (or the input)."""

    name: str
    kind: str
    shape: tuple  # channels first, as cnnlib computes it
    params: int
    shape_label: str

    @property
    def is_map(self) -> bool:
        return len(self.shape) >= 2

    @property
    def elements(self) -> int:
        return math.prod(self.shape)


def diagram_rows(model, *, order: str = "HWC", show_input: bool = True) -> list[DiagramRow]:
    """The boxes of a shapes diagram: input (optional) + one per layer that is not in place.

    Shapes and parameters are computed layer by layer from the input shape with
    ``layer.output_shape`` and ``layer.params``; an in-place layer's parameters (none in
    cnnlib) would be added to the box before it.
    """
    in_shape, layers = model_layers(model)
    rows = []
    if show_input:
        rows.append(DiagramRow("input", "input", in_shape, 0, shape_label(in_shape, order)))
    shape = in_shape
    for name, layer in layers:
        params = layer.params(shape)
        out = tuple(layer.output_shape(shape))
        if getattr(layer, "in_place", False):
            if rows and params:
                last = rows[-1]
                rows[-1] = DiagramRow(last.name, last.kind, last.shape, last.params + params,
                                      last.shape_label)
        else:
            rows.append(DiagramRow(name, layer.kind, out, params, shape_label(out, order)))
        shape = out
    return rows


def _short_count(n: int) -> str:
    """34944 → '34,944'; 102764544 → '102.8M' (labels stay short on a slide)."""
    if n >= 10_000_000:
        return f"{n / 1e6:.1f}M"
    return f"{n:,}"


# ---------------------------------------------------------------- drawing


def _geometry(rows):
    """Width, height and oblique depth of every box, in data units (tallest face = 1)."""
    maps = [r for r in rows if r.is_map]
    vecs = [r for r in rows if not r.is_map]
    h_max = max((r.shape[1] for r in maps), default=1)
    c_max = max((r.shape[0] for r in maps), default=1)
    f_max = max((r.shape[0] for r in vecs), default=1)
    geo = []
    for r in rows:
        if r.is_map:
            H = r.shape[1]
            W = r.shape[2] if len(r.shape) > 2 else 1
            h = max(math.sqrt(H / h_max), 0.05)
            w = 0.06 + 0.55 * math.log2(r.shape[0] + 1) / math.log2(c_max + 1)
            d = 0.45 * math.sqrt(W / h_max) if len(r.shape) > 2 else 0.0
        else:
            h = max(math.sqrt(r.shape[0] / f_max) * (0.9 if maps else 1.0), 0.05)
            w, d = 0.07, 0.0
        geo.append((w, h, d))
    return geo


def _wrap(n: int, per_row: int | None) -> tuple[int, int]:
    """(rows, boxes per row): more than ``per_row`` boxes wrap onto balanced rows."""
    lines = 1 if not per_row or n <= per_row else math.ceil(n / per_row)
    return lines, math.ceil(n / lines)


def _lower_labels(rows, rotate: bool, show_params: bool) -> list[str]:
    """The text under each box: the layer's name, then (optionally) its parameter count."""
    sep = "  " if rotate else "\n"
    return [r.name + (sep + _short_count(r.params) + " p" if show_params else "") for r in rows]


def _colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, KIND_COLOURS["layer"])


def _scale_note(order: str, show_params: bool) -> str:
    """The line under a diagram that states its order and scales."""
    return (f"Shapes as {ORDER_LABELS[order]}. Box height ∝ √H, depth ∝ √W, thickness ∝ "
            "log₂(C+1); dense vectors: thin bars ∝ √F" + ("; p = parameters." if show_params else "."))


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
    geo = _geometry(rows)
    lines, per = _wrap(len(rows), per_row)
    if rotate is None:
        rotate = per > 8
    lower_texts = _lower_labels(rows, rotate, show_params)

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
        colour = _colour(r.kind)
        y0 = -h / 2 - line * step
        dx, dy = d * 0.8, d * 0.5  # oblique projection of the W axis
        ax.add_patch(Rectangle((x, y0), w, h, facecolor=colour, edgecolor="black", lw=0.8,
                               alpha=0.9, zorder=3))
        if d:
            ax.add_patch(Polygon([(x, y0 + h), (x + w, y0 + h), (x + w + dx, y0 + h + dy),
                                  (x + dx, y0 + h + dy)], closed=True, facecolor=colour,
                                 edgecolor="black", lw=0.8, alpha=0.55, zorder=2))
            ax.add_patch(Polygon([(x + w, y0), (x + w + dx, y0 + dy), (x + w + dx, y0 + h + dy),
                                  (x + w, y0 + h)], closed=True, facecolor=colour,
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
    ax.text(0.0, 0.0, _scale_note(order, show_params), transform=ax.transAxes, fontsize=fontsize * 0.85, ha="left",
            va="bottom", color="#333333")
    if legend:
        kinds = list(dict.fromkeys(r.kind for r in rows))
        handles = [Rectangle((0, 0), 1, 1, facecolor=_colour(k), edgecolor="black") for k in kinds]
        ax.legend(handles, [KIND_NAMES.get(k, k) for k in kinds], loc="lower left",
                  bbox_to_anchor=(0.0, 1.4 * fontsize / 72 / ax_h), fontsize=fontsize * 0.9,
                  ncol=len(kinds), frameon=False, borderaxespad=0.0, handlelength=1.2,
                  columnspacing=1.2)
    return fig


# ------------------------------------------------------------------ SVG (no matplotlib)


def _svg_num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def shapes_svg(model, *, order: str = "HWC", show_input: bool = True, show_params: bool = True,
               per_row: int | None = 14, unit: float = 70.0, fontsize: float = 12.0) -> str:
    """The same diagram as :func:`shapes_diagram`, as a standalone ``<svg>`` string.

    Same rows, same scales (:func:`_geometry`), same colours and labels, but written as
    text in pure Python: about a millisecond instead of the tens of milliseconds that
    matplotlib needs to rasterise a figure, so a live widget can redraw it on every slider
    step (the playground does). ``unit`` is the height in pixels of the tallest face; the
    SVG scales to its container's width (``max-width: 100%``).

    >>> from cnnlib import Conv2d, MaxPool2d
    >>> svg = shapes_svg(((3, 32, 32), [Conv2d(8, 3), MaxPool2d(2)]))
    >>> svg.startswith("<svg") and "30×30×8" in svg and "16×16×8" not in svg
    True
    """
    from html import escape

    rows = diagram_rows(model, order=order, show_input=show_input)
    geo = _geometry(rows)
    lines, per = _wrap(len(rows), per_row)
    rotate = per > 8
    fs, fs_small = fontsize, fontsize * 0.9
    char = 0.7 * fs  # advance of a bold sans-serif digit or ×, px (generous: no clipping)
    lowers = _lower_labels(rows, rotate, show_params)
    p = _svg_num
    if rotate:
        t_up = max(len(r.shape_label) for r in rows) * char + 6
        t_down = max(len(t) for t in lowers) * 0.62 * fs_small + 6
    else:
        t_up = 1.5 * fs + 4
        t_down = (2 if show_params else 1) * 1.25 * fs_small + 6
    gap = (0.35 if rotate else 0.55) * unit
    # vertical extent of a row of boxes centred on its line: above (face/2 + oblique rise), below
    up = max(h / 2 + 0.5 * d for _, h, d in geo) * unit
    down = max(h / 2 for _, h, _ in geo) * unit
    row_h = t_up + up + down + t_down + 0.25 * unit
    margin = 8.0
    out, x, x_max = [], margin, margin
    for i, (r, lower, (w, h, d)) in enumerate(zip(rows, lowers, geo)):
        line = i // per
        if i and i % per == 0:
            x_max, x = max(x_max, x - gap), margin
        centre_y = margin + line * row_h + t_up + up
        w, h, dx, dy = w * unit, h * unit, 0.8 * d * unit, 0.5 * d * unit
        y0 = centre_y - h / 2  # top of the front face (SVG y grows downwards)
        colour = _colour(r.kind)
        title = escape(f"{r.name}: {r.shape_label}, {r.params:,} parameters")
        out.append(f'<g class="box"><title>{title}</title>')
        if d:
            out.append(f'<polygon points="{p(x)},{p(y0)} {p(x + w)},{p(y0)} {p(x + w + dx)},'
                       f'{p(y0 - dy)} {p(x + dx)},{p(y0 - dy)}" fill="{colour}" '
                       'fill-opacity="0.55" stroke="black" stroke-width="0.8"/>')
            out.append(f'<polygon points="{p(x + w)},{p(y0)} {p(x + w + dx)},{p(y0 - dy)} '
                       f'{p(x + w + dx)},{p(y0 + h - dy)} {p(x + w)},{p(y0 + h)}" '
                       f'fill="{colour}" fill-opacity="0.7" stroke="black" stroke-width="0.8"/>')
        out.append(f'<rect x="{p(x)}" y="{p(y0)}" width="{p(w)}" height="{p(h)}" '
                   f'fill="{colour}" fill-opacity="0.9" stroke="black" stroke-width="0.8"/>')
        cx = x + (w + dx) / 2
        top_y = (centre_y - up if rotate else y0 - dy) - 4
        bottom_y = centre_y + down + 4
        label = escape(r.shape_label)
        if rotate:
            out.append(f'<text class="shape" transform="translate({p(cx + fs / 3)},{p(top_y)}) '
                       f'rotate(-90)" font-size="{p(fs)}" font-weight="bold">{label}</text>')
            out.append(f'<text class="name" transform="translate({p(cx + fs_small / 3)},'
                       f'{p(bottom_y)}) rotate(-90)" text-anchor="end" '
                       f'font-size="{p(fs_small)}">{escape(lower)}</text>')
        else:
            out.append(f'<text class="shape" x="{p(cx)}" y="{p(top_y)}" text-anchor="middle" '
                       f'font-size="{p(fs)}" font-weight="bold">{label}</text>')
            spans = "".join(f'<tspan x="{p(cx)}" dy="{p(1.1 * fs_small if k else fs_small)}">'
                            f"{escape(t)}</tspan>" for k, t in enumerate(lower.split("\n")))
            out.append(f'<text class="name" y="{p(bottom_y)}" text-anchor="middle" '
                       f'font-size="{p(fs_small)}">{spans}</text>')
        out.append("</g>")
        x += w + dx + gap
    x_max = max(x_max, x - gap)

    # legend and the note on scales, under the last row
    y = margin + lines * row_h + 4
    lx = margin
    for kind in dict.fromkeys(r.kind for r in rows):
        name = KIND_NAMES.get(kind, kind)
        out.append(f'<rect x="{p(lx)}" y="{p(y)}" width="{p(fs)}" height="{p(fs)}" '
                   f'fill="{_colour(kind)}" stroke="black" stroke-width="0.8"/>')
        out.append(f'<text x="{p(lx + 1.4 * fs)}" y="{p(y + 0.85 * fs)}" '
                   f'font-size="{p(fs_small)}">{escape(name)}</text>')
        lx += 1.4 * fs + len(name) * 0.6 * fs_small + 1.2 * fs
    note = _scale_note(order, show_params)
    y += 1.6 * fs
    out.append(f'<text x="{p(margin)}" y="{p(y + 0.85 * fs)}" fill="#333" '
               f'font-size="{p(0.85 * fs)}">{escape(note)}</text>')
    width = max(x_max + margin, lx, len(note) * 0.5 * fs + 2 * margin)
    height = y + 1.3 * fs + margin
    return (f'<svg class="cnn-shapes" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'viewBox="0 0 {p(width)} {p(height)}" width="{p(width)}" '
            f'height="{p(height)}" style="max-width:100%;height:auto;'
            f'font-family:DejaVu Sans,Verdana,sans-serif">'
            f"<title>Shapes diagram ({len(rows)} boxes)</title>" + "".join(out) + "</svg>")
