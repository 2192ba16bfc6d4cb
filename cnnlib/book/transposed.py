"""Drawings and small-grid arithmetic for the chapter on transposed convolution and upsampling.

A transposed convolution computed two ways on lists of numbers — by its definition (every
input cell stamps the kernel, scaled, onto the output: :func:`conv_transpose2d_scatter`) and
as a direct convolution (:func:`conv_transpose2d_direct`: s − 1 zeros between the inputs,
d·(k − 1) − p zeros of padding around them plus output_padding at the end, the kernel
flipped, stride 1) — and the figures drawn from the same geometry
(:class:`cnnlib.upsampling.TransposeWindow`, :func:`cnnlib.calculators.explain_transpose`):
the direct-convolution animation, the taps that land on each output cell (the checkerboard),
the scatter view in one dimension and Dumoulin & Visin's relationships 8–14 as strips.

The sizes come from :func:`cnnlib.conv_transpose_output_size`; nothing here computes one.
matplotlib is imported inside the functions.

>>> conv_transpose2d_scatter([[1, 2], [3, 4]], [[1, 1], [1, 1]], stride=2)
[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]
>>> conv_transpose2d_direct([[1, 2], [3, 4]], [[1, 1], [1, 1]], stride=2)
[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]
"""

from __future__ import annotations

from .. import layout as _layout
from ..calculators import explain_transpose
from ..errors import ShapeError
from ..layers.resize import centre_offset
from ..upsampling import conv_transpose_dim, conv_transpose_output_size
from .plots import (
    BLUE,
    GREY,
    LIGHT_BLUE,
    LIGHT_GREEN,
    ORANGE,
    _axes,
    _cell,
    _clear,
    _figure,
    _kernel_grid,
    _num,
    _output_grid,
)

__all__ = [
    "CELL_COLOURS",
    "checkerboard_figure",
    "conv_matrix",
    "conv_transpose2d_direct",
    "conv_transpose2d_scatter",
    "matrix_figure",
    "overlap_figure",
    "relationships_figure",
    "small_table",
    "stretch",
    "taps_grid",
    "transpose_animation",
    "transpose_widget",
    "unet_joins",
]

#: cell kind → face colour: an input value, an inserted zero, padding, output_padding
CELL_COLOURS = {"in": "white", "zero": "#e4edf8", "pad": GREY, "op": "#fde2b8"}


def _window(n, k, s, p, a, d):
    """The checked TransposeWindow (ShapeError for an impossible layer, as PyTorch)."""
    conv_transpose_output_size(n, k, stride=s, padding=p, output_padding=a, dilation=d)
    return conv_transpose_dim(n, k, s, p, a, d)


def stretch(x, stride=1, padding=0, output_padding=0, kernel=None, dilation=1):
    """The input of the direct convolution that equals a transposed convolution of the square
    grid ``x`` with a kernel of size ``kernel``: stride − 1 zeros between the inputs, then
    d·(k − 1) − p zeros before and d·(k − 1) − p + output_padding after, on both axes (a
    negative number crops the stretched grid instead).

    Returns (grid, kinds): the values and, per cell, "in" (an input value), "zero" (an inserted
    zero), "pad" (padding) or "op" (the output_padding rows and columns at the end).

    >>> grid, kinds = stretch([[5, 6], [7, 8]], stride=2, padding=1, output_padding=1, kernel=3)
    >>> grid[1], kinds[1]
    ([0, 5, 0, 6, 0, 0], ['pad', 'in', 'zero', 'in', 'pad', 'op'])
    """
    n = len(x)
    k = kernel if kernel is not None else 1
    w = _window(n, k, stride, padding, output_padding, dilation)

    def kind(q):  # q in stretched coordinates
        if q < 0 or q >= w.stretched:
            return "op" if q >= w.stretched + w.after - output_padding else "pad"
        return "zero" if q % stride else "in"

    qs = range(-w.before, w.stretched + w.after)
    kinds1 = [kind(q) for q in qs]
    grid = [[x[qa // stride][qb // stride] if ka == kb == "in" else 0
             for qb, kb in zip(qs, kinds1)] for qa, ka in zip(qs, kinds1)]
    # a cell is an input only where both its row and its column are; padding wins over zeros
    rank = {"op": 3, "pad": 2, "zero": 1, "in": 0}
    kinds = [[max(ka, kb, key=rank.get) for kb in kinds1] for ka in kinds1]
    return grid, kinds


def conv_transpose2d_direct(x, w, stride=1, padding=0, output_padding=0, dilation=1):
    """A transposed convolution of the square grid ``x`` with the square kernel ``w``,
    computed as a direct convolution: the grid from :func:`stretch`, the kernel turned by
    180° (flipped along both axes), windows at stride 1 with the taps d apart.

    o = (n − 1)·s − 2p + d·(k − 1) + output_padding + 1 along each axis.
    """
    k = len(w)
    grid, _ = stretch(x, stride, padding, output_padding, k, dilation)
    o = conv_transpose_output_size(len(x), k, stride, padding, output_padding, dilation)
    flipped = [row[::-1] for row in w[::-1]]
    d = dilation
    return [[sum(grid[i + a * d][j + b * d] * flipped[a][b] for a in range(k) for b in range(k))
             for j in range(o)] for i in range(o)]


def conv_transpose2d_scatter(x, w, stride=1, padding=0, output_padding=0, dilation=1):
    """A transposed convolution by its definition: input cell (i, j) adds x[i][j]·w[a][b] to
    output cell (i·s − p + a·d, j·s − p + b·d) for every kernel tap (a, b); cells that fall
    outside the o×o output (the p cropped on each side) are dropped.  Same result as
    :func:`conv_transpose2d_direct` (and as ``torch.nn.functional.conv_transpose2d``).
    """
    n, k = len(x), len(w)
    o = conv_transpose_output_size(n, k, stride, padding, output_padding, dilation)
    y = [[0] * o for _ in range(o)]
    for i in range(n):
        for j in range(n):
            for a in range(k):
                for b in range(k):
                    r, c = i * stride - padding + a * dilation, j * stride - padding + b * dilation
                    if 0 <= r < o and 0 <= c < o:
                        y[r][c] += x[i][j] * w[a][b]
    return y


def taps_grid(n, k, s=1, p=0, a=0, d=1):
    """How many kernel taps land on a real input for each cell of the o×o output of a
    transposed convolution of an n×n input: the product of the two axes' counts
    (:meth:`cnnlib.upsampling.TransposeWindow.taps_per_output`).

    >>> taps_grid(2, 3, s=2)
    [[1, 1, 2, 1, 1], [1, 1, 2, 1, 1], [2, 2, 4, 2, 2], [1, 1, 2, 1, 1], [1, 1, 2, 1, 1]]
    """
    t = _window(n, k, s, p, a, d).taps_per_output()
    return [[u * v for v in t] for u in t]


def conv_matrix(n, k, s=1, p=0, d=1):
    """A 1-d convolution as a matrix: one row per output, one column per input, and in each
    cell the index t of the kernel tap that multiplies that input (None: 0).  Output i reads
    input i·s − p + t·d.  The transposed convolution with the same k, s, p, d multiplies by
    the transpose of this matrix (rows and columns swapped): it maps o values back to n.

    >>> conv_matrix(4, 3)
    [[0, 1, 2, None], [None, 0, 1, 2]]
    """
    from ..arithmetic import conv_output_size

    o = conv_output_size(n, k, stride=s, padding=p, dilation=d)
    rows = []
    for i in range(o):
        row = [None] * n
        for t in range(k):
            j = i * s - p + t * d
            if 0 <= j < n:
                row[j] = t
        rows.append(row)
    return rows


def matrix_figure(n, k, s=1, p=0, *, dpi=80):
    """The convolution's matrix C (o×n, taps w0 … w(k−1)) next to its transpose Cᵀ (n×o): the
    convolution maps n values to o, the transposed convolution — the same weights, read the
    other way — maps o values back to n."""
    m = conv_matrix(n, k, s, p)
    o = len(m)
    t = [[m[i][j] for i in range(o)] for j in range(n)]
    fig = _figure(min(0.55 * (n + o + 3), 10), min(0.55 * (max(n, o) + 1.8), 7), dpi)
    ax = _axes(fig)
    ax.set_xlim(-0.2, n + o + 2.7)
    ax.set_ylim(max(n, o) + 0.3, -1.4)
    for label, grid, x0 in ((f"C: {n} inputs → {o} outputs", m, 0),
                            (f"Cᵀ: {o} inputs → {n} outputs", t, n + 2.5)):
        cols = len(grid[0])
        ax.text(x0 + cols / 2, -0.7, label, ha="center", fontsize=10)
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                _cell(ax, x0 + j, i, fc=LIGHT_BLUE if v is not None else "white",
                      text=f"w{v}" if v is not None else "0", fs=9, color="black" if v is not None else "#999")
    return fig


def unet_joins(model) -> list[dict]:
    """The skip connections of a U-Net from :func:`cnnlib.zoo.unet`, one dict per join (deepest
    first): ``skip`` the size of the contracting path's map, ``up from``/``up`` the
    up-convolution's input and output size, ``cropped`` the rows (and columns) the centre crop
    removes in total, ``before``/``after`` on each side (0 for the padded U-Net, which has no
    crops), ``channels`` after the concatenation."""
    out = []
    level = 1
    while True:
        try:
            up = model.row(f"up{level}")
            cat = model.row(f"cat{level}")
        except KeyError:
            break
        try:
            crop = model.row(f"crop{level}")
            skip = crop.in_shape[1]
        except KeyError:
            crop, skip = None, cat.in_shape[0][1]
        cut = skip - up.out_shape[1]
        before = centre_offset(skip, up.out_shape[1]) if crop else 0
        out.append({"join": f"cat{level}", "skip": skip, "up from": up.in_shape[1], "up": up.out_shape[1],
                    "cropped": cut, "before": before, "after": cut - before, "channels": cat.out_shape[0]})
        level += 1
    return out


# ------------------------------------------------------------------ the animation


def transpose_animation(x, w, *, stride=1, padding=0, output_padding=0, max_frames=36, dpi=84):
    """Animation of a transposed convolution as a direct convolution, one frame per output cell.

    Left: the stretched, padded input — input values (white), inserted zeros (pale blue),
    padding (grey, dashed) and the output_padding rows and columns (orange) — with the current
    window outlined; middle: the kernel turned by 180°; right: the output filled cell by cell;
    below: the products that meet an input value (the other taps meet zeros) and their sum.
    """
    from matplotlib.animation import FuncAnimation
    from matplotlib.patches import Rectangle

    n, k = len(x), len(w)
    grid, kinds = stretch(x, stride, padding, output_padding, k)
    y = conv_transpose2d_direct(x, w, stride, padding, output_padding)
    flipped = [row[::-1] for row in w[::-1]]
    o, P = len(y), len(grid)
    W = P + k + o + 3.4
    H = max(P, k, o) + 3.2
    fig = _figure(min(0.5 * W, 10), min(0.5 * H, 7), dpi)
    ax = _axes(fig)
    cells = [(i, j) for i in range(o) for j in range(o)][:max_frames]
    styles = {"in": ("-", "black", "bold"), "zero": ("-", "#5a7aa0", "normal"),
              "pad": ("--", "#777", "normal"), "op": ("--", ORANGE, "normal")}

    def draw(f):
        _clear(ax, W, H)
        i, j = cells[f]
        ax.text(P / 2, -0.5, f"stretched input {n}×{n} → {P}×{P}", ha="center", fontsize=10)
        for r in range(P):
            for c in range(P):
                ls, color, weight = styles[kinds[r][c]]
                inside = i <= r < i + k and j <= c < j + k
                fc = LIGHT_BLUE if inside and kinds[r][c] == "in" else CELL_COLOURS[kinds[r][c]]
                _cell(ax, c, r, fc=fc, text=_num(grid[r][c]), ls=ls, color=color, weight=weight,
                      ec="#555" if kinds[r][c] in ("in", "zero") else "#999")
        ax.add_patch(Rectangle((j, i), k, k, fill=False, ec=BLUE, lw=2.5))
        kx = P + 1.5
        _kernel_grid(ax, kx, flipped, "kernel, turned 180°")
        _output_grid(ax, kx + k + 1.5, y, f"output {o}×{o}", f, (i, j))
        terms = [f"{_num(grid[i + a][j + b])}·{_num(flipped[a][b])}"
                 for a in range(k) for b in range(k) if kinds[i + a][j + b] == "in"]
        text = f"o[{i},{j}] = " + (" + ".join(terms) if terms else "0 (every tap meets a zero)")
        if terms:
            text += f" = {_num(y[i][j])}"
        ax.text(0, max(P, k, o) + 0.5, text, va="top", fontsize=10, family="monospace")
        ax.text(0, max(P, k, o) + 1.5, "white: input · blue: inserted zero · grey: padding · "
                "orange: output_padding", va="top", fontsize=9, color="#555")
        return []

    return FuncAnimation(fig, draw, frames=len(cells), interval=900, blit=False)


# ------------------------------------------------------------------ static figures


def checkerboard_figure(cases, n=5, *, dpi=72):
    """Taps per output cell of transposed convolutions on an n×n input, one panel per case
    (k, s, p): each cell shows how many kernel taps land on an input value there (the product
    of the two axes' counts), darker for more.  An uneven pattern away from the borders is
    the checkerboard (Odena et al.)."""
    import matplotlib.colors as mc

    grids = [(c, taps_grid(n, *c)) for c in cases]
    top = max(max(max(r) for r in g) for _, g in grids)
    size = max(len(g) for _, g in grids)
    fig = _figure(min(0.42 * (size + 1) * len(grids), 10), min(0.42 * size + 1.2, 7), dpi)
    cmap = mc.LinearSegmentedColormap.from_list("taps", ["#ffffff", BLUE])
    width = 1 / len(grids)
    for idx, ((k, s, p), g) in enumerate(grids):
        ax = _axes(fig, (idx * width + 0.01, 0.0, width - 0.02, 0.9))
        o = len(g)
        ax.set_xlim(-0.2, size + 0.2)
        ax.set_ylim(size + 0.2, -0.2)
        for a in range(o):
            for b in range(o):
                v = g[a][b]
                _cell(ax, b, a, fc=cmap(0.15 + 0.85 * v / top), text=str(v), fs=8,
                      color="white" if v / top > 0.6 else "black")
        fig.text(idx * width + width / 2, 0.95, f"k = {k}, s = {s}, p = {p}: {n}×{n} → {o}×{o}",
                 ha="center", va="center", fontsize=11)
    return fig


def overlap_figure(n, k, s=1, p=0, a=0, *, dpi=72):
    """The scatter view of one transposed-convolution axis: one row per input cell, its k kernel
    taps drawn at the output positions i·s − p + t (taps that fall outside the output are
    hatched), and below them the taps each output cell receives."""
    r = explain_transpose(n, k, s, p, a)
    if not r["ok"]:
        raise ShapeError(r["message"])
    o = r["out"]
    lo = min(0, -p)
    hi = max(o, (n - 1) * s - p + k)
    fig = _figure(min(0.45 * (hi - lo) + 1.6, 10), min(0.45 * (n + 3) + 0.4, 7), dpi)
    ax = _axes(fig)
    ax.set_xlim(lo - 2.2, hi + 0.2)
    ax.set_ylim(n + 2.6, -1.0)
    ax.text(lo + (hi - lo) / 2, -0.5, f"k = {k}, s = {s}, p = {p}" + (f", a = {a}" if a else "")
            + f": input {n} → output {o}", ha="center", fontsize=11)
    for i in range(n):
        ax.text(lo - 0.3, i + 0.5, f"input {i}", ha="right", va="center", fontsize=9)
        for t in range(k):
            q = i * s - p + t
            outside = not 0 <= q < o
            _cell(ax, q, i, fc="white" if outside else LIGHT_BLUE, ec="#999" if outside else BLUE,
                  text=f"w{t}", fs=8, hatch="//" if outside else None, color="#777" if outside else "black")
    row = n + 0.8
    ax.text(lo - 0.3, row + 0.5, "taps", ha="right", va="center", fontsize=9, weight="bold")
    top = max(r["taps"]) or 1
    import matplotlib.colors as mc
    cmap = mc.LinearSegmentedColormap.from_list("taps", ["#ffffff", BLUE])
    for q, t in enumerate(r["taps"]):
        _cell(ax, q, row, fc=cmap(0.15 + 0.85 * t / top), text=str(t), weight="bold",
              color="white" if t / top > 0.6 else "black")
    return fig


def relationships_figure(cases, *, dpi=80, layout=None):
    """Dumoulin & Visin's relationships as strips: for each :class:`cnnlib.upsampling.GuideCase`,
    the input of its equivalent direct convolution in one dimension — p′ padding cells, the i′
    inputs with s − 1 inserted zeros between them (ĩ′ cells), a extra zeros after — and the o′
    output cells below it.  ``layout="slide"`` (:mod:`cnnlib.layout`): labels at 16 pt, cells
    0.3 inch without their x labels (the colours say which cells are inputs)."""
    rows = []
    for c in cases:
        r = explain_transpose(c.i_t, c.k, c.s, c.p, c.a)
        rows.append((c, r))
    slide = _layout.resolve(layout) == "slide"
    span = max(r["before"] + r["stretched"] + r["after"] for _, r in rows)
    left, pitch, fs = (17.0, 2.9, 16) if slide else (7.2, 2.3, 10)  # cells of text, row pitch
    if slide:
        fig = _figure(0.3 * (left + span + 0.2), 0.3 * pitch * len(rows), dpi)
    else:
        fig = _figure(min(0.5 * span + 3.6, 10), min(0.9 * len(rows) + 0.2, 9), dpi)
    ax = _axes(fig)
    ax.set_xlim(-left, span + 0.2)
    ax.set_ylim(pitch * len(rows) - 0.1, -0.3)
    for idx, (c, r) in enumerate(rows):
        y = pitch * idx
        ax.text(0.2 - left, y + 0.5, f"{c.number}: i′ = {c.i_t}, k = {c.k}, s = {c.s}, p = {c.p}",
                va="center", fontsize=fs, weight="bold")
        ax.text(0.2 - left, y + 1.55 + (0.3 if slide else 0), f"p′ = {c.p_t}"
                + (f", ĩ′ = {c.stretched}" if c.s > 1 else "") + (f", a = {c.a}" if c.a else "")
                + f" → o′ = {c.o_t}", va="center", fontsize=fs)
        before, st = r["before"], r["stretched"]
        for x in range(before + st + r["after"]):
            q = x - before
            if q < 0 or q >= st:
                kind = "op" if q >= st + r["after"] - c.a else "pad"
            else:
                kind = "zero" if q % c.s else "in"
            _cell(ax, x, y, fc=CELL_COLOURS[kind], ec="#555" if kind in ("in", "zero") else "#999",
                  ls="--" if kind in ("pad", "op") else "-", fs=9,
                  text=f"x{q // c.s}" if kind == "in" and not slide else None)
        off = (c.k - 1) / 2  # each output cell sits under the centre of its window
        for q in range(r["out"]):
            _cell(ax, q + off, y + 1.05, fc=LIGHT_GREEN, ec="#4a8a4a", lw=0.8)
    return fig


# ------------------------------------------------------------------ tables


def small_table(rows, uuid: str, *, number_columns=()):
    """A pandas Styler for a short list of dicts (the chapter's tables): no index, cells padded
    as the book's CSS pads them (also in JupyterLab), numbers right-aligned, the integers in
    ``number_columns`` with thousands separators, and a fixed id (nbval compares outputs)."""
    import pandas as pd

    frame = pd.DataFrame(rows)
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    styler = (frame.style.hide(axis="index").set_uuid(uuid)
              .set_properties(subset=numeric, **{"text-align": "right"})
              .set_table_styles([{"selector": "th, td", "props": "padding: 0.3rem 0.65rem; white-space: nowrap"},
                                 {"selector": "th", "props": "vertical-align: bottom; white-space: normal"}],
                                overwrite=False))
    if number_columns:
        styler = styler.format("{:,}", subset=list(number_columns))
    return styler


# ------------------------------------------------------------------ the live slider


def transpose_widget(max_n: int = 32):
    """Live sliders (JupyterLab) over n, k, s, p and output_padding for
    :func:`cnnlib.calculators.transpose_html`, with wider ranges than the static slider."""
    from ..calculators import TRANSPOSE_PARAMS, Param, transpose_html
    from .widgets import live_widget

    ranges = {"n": range(1, max_n + 1), "k": range(1, 12), "s": range(1, 7), "p": range(6), "a": range(6)}
    params = [Param(q.name, tuple(ranges[q.name]), q.label, q.default) for q in TRANSPOSE_PARAMS]
    return live_widget(transpose_html, params, title="Transposed convolution along one dimension")
