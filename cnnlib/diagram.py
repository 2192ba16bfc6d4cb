"""A shapes diagram: one box per layer output, drawn to scale, labelled with its shape.

``diagram_rows(model)`` reads the boxes from ``model.rows()`` (names, shapes, parameters and
the label text); ``shapes_svg(model)`` draws them as SVG text in pure Python (fast enough for
a live widget to redraw on every change, and what the page draws when it runs cnnlib);
:func:`cnnlib.book.charts.shapes_diagram` draws the same rows, scales and colours with
matplotlib for the book's figures.

Scales (stated in the figure's subtitle):

* a feature map (C, H, W) is a cuboid whose front face is √H tall and whose depth (drawn
  obliquely) is √W, relative to the largest map; its thickness grows with log₂(C + 1);
* a vector (F,) is a thin bar √F tall, relative to the longest vector;
* layers that change nothing (ReLU, Dropout) get no box; a block (Inception module,
  residual block) is one box.

>>> from cnnlib import Conv2d, ReLU, MaxPool2d, Sequential
>>> rows = diagram_rows(Sequential((3, 227, 227), [Conv2d(96, 11, stride=4), ReLU(), MaxPool2d(3, 2)]))
>>> [r.shape_label for r in rows]
['227×227×3', '55×55×96', '27×27×96']
>>> rows[1].params
34944
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .shapes import ORDERS, shape_text

__all__ = ["KIND_COLOURS", "KIND_NAMES", "DiagramRow", "diagram_rows", "geometry", "shapes_svg"]

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


def _block_kind(group) -> str:
    """A block's box colour: 'concat' (Inception), 'residual' (ResNet) or 'layer'."""
    types = {r.type for r in group}
    return "concat" if "Concatenate" in types else "residual" if "Add" in types else "layer"


def diagram_rows(model, *, order: str = "HWC", show_input: bool = True) -> list[DiagramRow]:
    """The boxes of a shapes diagram, read from ``model.rows()``: the input (optional), then one
    box per top-level layer that makes something new — a new tensor, a new shape or
    parameters — and one per block (an Inception module or residual block, its parameters
    summed).  A layer that changes nothing (ReLU, Dropout) gets no box; its parameters
    (none in cnnlib) would go to the box before it.
    """
    rows = model.rows()
    groups: dict[str, list] = {}
    for r in rows:
        groups.setdefault(r.block, []).append(r)
    out = []
    for name, group in groups.items():
        last = group[-1]
        params = sum(r.params for r in group)
        if last.layer is None:
            if show_input:
                out.append(DiagramRow(name, "input", last.out_shape, 0, shape_text(last.out_shape, order)))
            continue
        if len(group) > 1 or last.depth:
            kind = _block_kind(group)
        else:
            f = last.facts
            if not (f.saves_output or params or f.out_shape != last.in_shape):
                if out and params:
                    prev = out[-1]
                    out[-1] = DiagramRow(prev.name, prev.kind, prev.shape, prev.params + params,
                                         prev.shape_label)
                continue
            kind = last.kind
        out.append(DiagramRow(name, kind, last.out_shape, params, shape_text(last.out_shape, order)))
    return out


def short_count(n: int) -> str:
    """34944 → '34,944'; 102764544 → '102.8M' (labels stay short on a slide)."""
    if n >= 10_000_000:
        return f"{n / 1e6:.1f}M"
    return f"{n:,}"


# ---------------------------------------------------------------- drawing


def geometry(rows):
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


def wrap(n: int, per_row: int | None) -> tuple[int, int]:
    """(rows, boxes per row): more than ``per_row`` boxes wrap onto balanced rows."""
    lines = 1 if not per_row or n <= per_row else math.ceil(n / per_row)
    return lines, math.ceil(n / lines)


def lower_labels(rows, rotate: bool, show_params: bool) -> list[str]:
    """The text under each box: the layer's name, then (optionally) its parameter count."""
    sep = "  " if rotate else "\n"
    return [r.name + (sep + short_count(r.params) + " p" if show_params else "") for r in rows]


def colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, KIND_COLOURS["layer"])


def scale_note(order: str, show_params: bool) -> str:
    """The line under a diagram that states its order and scales."""
    return (f"Shapes as {ORDERS[order]}. Box height ∝ √H, depth ∝ √W, thickness ∝ "
            "log₂(C+1); dense vectors: thin bars ∝ √F" + ("; p = parameters." if show_params else "."))


def _svg_num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def shapes_svg(model, *, order: str = "HWC", show_input: bool = True, show_params: bool = True,
               per_row: int | None = 14, unit: float = 70.0, fontsize: float = 12.0) -> str:
    """The shapes diagram as a standalone ``<svg>`` string (no plotting library).

    The rows of :func:`diagram_rows`, the scales of :func:`geometry`, the colours and labels
    of :func:`cnnlib.book.charts.shapes_diagram` (matplotlib), but written as
    text in pure Python: about a millisecond instead of the tens of milliseconds that
    matplotlib needs to rasterise a figure, so a live widget can redraw it on every slider
    step (the playground does). ``unit`` is the height in pixels of the tallest face; the
    SVG scales to its container's width (``max-width: 100%``).

    >>> from cnnlib import Conv2d, MaxPool2d, Sequential
    >>> svg = shapes_svg(Sequential((3, 32, 32), [Conv2d(8, 3), MaxPool2d(2)]))
    >>> svg.startswith("<svg") and "30×30×8" in svg and "16×16×8" not in svg
    True
    """
    from html import escape

    rows = diagram_rows(model, order=order, show_input=show_input)
    geo = geometry(rows)
    lines, per = wrap(len(rows), per_row)
    rotate = per > 8
    fs, fs_small = fontsize, fontsize * 0.9
    char = 0.7 * fs  # advance of a bold sans-serif digit or ×, px (generous: no clipping)
    lowers = lower_labels(rows, rotate, show_params)
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
        fill = colour(r.kind)
        title = escape(f"{r.name}: {r.shape_label}, {r.params:,} parameters")
        out.append(f'<g class="box"><title>{title}</title>')
        if d:
            out.append(f'<polygon points="{p(x)},{p(y0)} {p(x + w)},{p(y0)} {p(x + w + dx)},'
                       f'{p(y0 - dy)} {p(x + dx)},{p(y0 - dy)}" fill="{fill}" '
                       'fill-opacity="0.55" stroke="black" stroke-width="0.8"/>')
            out.append(f'<polygon points="{p(x + w)},{p(y0)} {p(x + w + dx)},{p(y0 - dy)} '
                       f'{p(x + w + dx)},{p(y0 + h - dy)} {p(x + w)},{p(y0 + h)}" '
                       f'fill="{fill}" fill-opacity="0.7" stroke="black" stroke-width="0.8"/>')
        out.append(f'<rect x="{p(x)}" y="{p(y0)}" width="{p(w)}" height="{p(h)}" '
                   f'fill="{fill}" fill-opacity="0.9" stroke="black" stroke-width="0.8"/>')
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
                   f'fill="{colour(kind)}" stroke="black" stroke-width="0.8"/>')
        out.append(f'<text x="{p(lx + 1.4 * fs)}" y="{p(y + 0.85 * fs)}" '
                   f'font-size="{p(fs_small)}">{escape(name)}</text>')
        lx += 1.4 * fs + len(name) * 0.6 * fs_small + 1.2 * fs
    note = scale_note(order, show_params)
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
