"""Drawings for the book: grids, sliding windows, padding, never-read rows, animations.

Every function builds a :class:`matplotlib.figure.Figure` directly (not through pyplot),
so a notebook shows it once, as the value of the cell, and nothing leaks between cells.
Geometry comes from :mod:`cnnlib.calculators` (``explain_conv`` / ``explain_pool``), the same
functions behind the sliders, so a picture cannot disagree with the text.

:func:`jshtml` turns an animation into HTML for the static book: deterministic element
ids (nbval compares outputs) and no Font Awesome stylesheet from a CDN (the book works
offline).  matplotlib is imported inside the functions; ``import cnnlib`` never loads it.
"""

from __future__ import annotations

import hashlib
import re

from ..calculators import explain_conv, explain_pool

__all__ = [
    "channels_figure",
    "conv2d_valid",
    "conv_animation",
    "grid_figure",
    "jshtml",
    "output_size_plot",
    "pool2d",
    "pool_animation",
    "windows_figure",
]

BLUE, ORANGE, RED, GREY = "#1f5fa8", "#c77800", "#b00020", "#d9d9d9"
LIGHT_BLUE, LIGHT_RED, LIGHT_GREEN = "#cfe0f5", "#f6c4c4", "#d5efd5"


def _figure(w, h, dpi=72):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w, h), dpi=dpi)
    return fig


def _axes(fig, rect=(0, 0, 1, 1)):
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    ax.set_aspect("equal")
    return ax


def _cell(ax, x, y, *, fc="white", ec="#555", text=None, fs=10, lw=1.0, ls="-", hatch=None,
          color="black", weight="normal"):
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((x, y), 1, 1, facecolor=fc, edgecolor=ec, lw=lw, ls=ls, hatch=hatch))
    if text is not None:
        ax.text(x + 0.5, y + 0.5, text, ha="center", va="center", fontsize=fs, color=color,
                weight=weight)


def _num(v) -> str:
    if isinstance(v, float):
        return f"{v:g}" if v == int(v) else f"{v:.2f}".rstrip("0")
    return str(v)


# ------------------------------------------------------------------ arithmetic on grids


def conv2d_valid(x, w, stride=1, padding=0, dilation=1, bias=0):
    """Cross-correlation of a 2-d list ``x`` with kernel ``w`` (what CNN layers compute).

    Returns the output grid as a list of lists; sizes follow the one formula.

    >>> conv2d_valid([[1, 2, 0], [0, 1, 3], [2, 0, 1]], [[1, 0], [0, 1]])
    [[2, 5], [0, 2]]
    """
    n, k = len(x), len(w)
    r = explain_conv(n, k, stride, padding, dilation)
    if not r["ok"]:
        from ..errors import ShapeError
        raise ShapeError(r["message"])
    xp = _pad(x, padding)
    o = r["out"]
    return [[sum(xp[i * stride + a * dilation][j * stride + b * dilation] * w[a][b]
                 for a in range(k) for b in range(k)) + bias for j in range(o)] for i in range(o)]


def pool2d(x, k, stride=None, ceil_mode=False, mode="max"):
    """Max or average pooling of a 2-d list (no padding; ceil_mode windows are clipped).

    >>> pool2d([[1, 2, 0], [0, 4, 3], [2, 0, 1]], 2)
    [[4]]
    >>> pool2d([[1, 2, 0], [0, 4, 3], [2, 0, 1]], 2, mode="avg")
    [[1.75]]
    """
    s = k if stride is None else stride
    n = len(x)
    r = explain_pool(n, k, s, 0, ceil_mode)
    if not r["ok"]:
        from ..errors import ShapeError
        raise ShapeError(r["message"])
    out = []
    for i in range(r["out"]):
        row = []
        for j in range(r["out"]):
            vals = _window_values(x, i * s, j * s, k)
            row.append(max(vals) if mode == "max" else sum(vals) / len(vals))
        out.append(row)
    return out


def _clear(ax, W, H):
    """One animation frame's empty axes, W cells wide and H tall (row 0 at the top)."""
    ax.clear()
    ax.set_axis_off()
    ax.set_xlim(-0.2, W)
    ax.set_ylim(H, -1.1)


def _kernel_grid(ax, x0, w, title):
    """The k×k kernel ``w`` drawn from column ``x0``, with ``title`` above it."""
    k = len(w)
    ax.text(x0 + k / 2, -0.5, title, ha="center", fontsize=10)
    for a in range(k):
        for b in range(k):
            _cell(ax, x0 + b, a, fc="#fff4d6", text=_num(w[a][b]))


def _output_grid(ax, x0, y, title, f, cur_cell, *, bold=True, fs=10):
    """The o×o output ``y`` from column ``x0``: cells up to frame ``f`` filled, the current
    one (``cur_cell``) outlined and green (its number ``bold``)."""
    o = len(y)
    ax.text(x0 + o / 2, -0.5, title, ha="center", fontsize=10)
    for a in range(o):
        for b in range(o):
            cur = (a, b) == cur_cell
            _cell(ax, x0 + b, a, fc=LIGHT_GREEN if cur else "white",
                  text=_num(y[a][b]) if a * o + b <= f else None, ec=BLUE if cur else "#555",
                  lw=2.5 if cur else 1, fs=fs, weight="bold" if cur and bold else "normal")


def _window_values(x, r0, c0, k):
    n = len(x)
    return [x[a][b] for a in range(r0, min(r0 + k, n)) for b in range(c0, min(c0 + k, n))]


def _pad(x, p):
    n = len(x)
    return [[x[i - p][j - p] if 0 <= i - p < n and 0 <= j - p < n else 0
             for j in range(n + 2 * p)] for i in range(n + 2 * p)]


# ------------------------------------------------------------------ animations → HTML


#: matplotlib's player, made to fit a narrow column (its own CSS fixes a 374 px slider and
#: 54 px buttons in one row); selectors more specific than matplotlib's
PLAYER_CSS = (
    ".animation{max-width:100%}"
    ".animation img{max-width:100%;height:auto}"
    ".animation input[type=range].anim-slider{width:100%;max-width:374px}"
    ".animation .anim-buttons{display:flex;flex-wrap:wrap;justify-content:center;gap:2px}"
    ".animation .anim-buttons button{width:auto;min-width:2.6em;min-height:2.4em;padding:4px 8px}"
)


def jshtml(anim, name: str | None = None, *, default_mode: str = "once", fps: float | None = None) -> str:
    """HTML for a matplotlib animation: a frame slider that works without a kernel.

    Like ``anim.to_jshtml()`` but (1) the random uuid matplotlib puts in element ids is
    replaced by ``name`` plus a hash of the frames, so two calls give identical HTML, and
    (2) the Font Awesome ``<link>`` to a CDN is removed (the player's buttons still work).
    The slider is ``input.anim-slider``; the image ``img#_anim_img<id>``.  (3) On a narrow
    screen (a phone) the frame and the slider shrink to the width and the buttons wrap, so
    every control stays on screen (:data:`PLAYER_CSS`).
    """
    html = anim.to_jshtml(fps=fps, default_mode=default_mode) + f"<style>{PLAYER_CSS}</style>"
    html = re.sub(r'<link rel="stylesheet"[^>]*?>\s*', "", html, flags=re.DOTALL)
    uids = set(re.findall(r"_anim_img([0-9a-f]{32})", html))
    digest = hashlib.sha256(re.sub("|".join(uids) or "$^", "", html).encode()).hexdigest()[:10]
    ident = (re.sub(r"[^A-Za-z0-9_]", "_", name) + "_" if name else "a") + digest
    for uid in uids:
        html = html.replace(uid, ident)
    return html


def conv_animation(x, w, *, stride=1, padding=0, dilation=1, bias=0, max_frames=30, dpi=72):
    """Animation of a kernel sliding over a small grid: window, products, output cell.

    Left: the (padded) input with the current window shaded; middle: the kernel; right:
    the output, filled cell by cell; below: the products and their sum.  One frame per
    output cell (at most ``max_frames``).
    """
    from matplotlib.animation import FuncAnimation

    n, k = len(x), len(w)
    r = explain_conv(n, k, stride, padding, dilation)
    if not r["ok"]:
        from ..errors import ShapeError
        raise ShapeError(r["message"])
    o, p = r["out"], padding
    y = conv2d_valid(x, w, stride, padding, dilation, bias)
    xp = _pad(x, p)
    P = n + 2 * p
    W = P + k + o + 5
    H = max(P, k, o) + 3.2
    fig = _figure(min(0.5 * W, 10), min(0.5 * H, 7), dpi)
    ax = _axes(fig)
    cells = [(i, j) for i in range(o) for j in range(o)][:max_frames]

    def draw(f):
        _clear(ax, W, H)
        i, j = cells[f]
        r0, c0 = i * stride, j * stride
        taps = {(r0 + a * dilation, c0 + b * dilation): (a, b) for a in range(k) for b in range(k)}
        ax.text(P / 2, -0.5, f"input {n}×{n}" + (f", padding {p}" if p else ""), ha="center",
                fontsize=10)
        for a in range(P):
            for b in range(P):
                pad = not (p <= a < p + n and p <= b < p + n)
                fc = LIGHT_BLUE if (a, b) in taps else (GREY if pad else "white")
                _cell(ax, b, a, fc=fc, text=_num(xp[a][b]), ls="--" if pad else "-",
                      color="#777" if pad else "black")
        ext = (k - 1) * dilation + 1
        from matplotlib.patches import Rectangle
        ax.add_patch(Rectangle((c0, r0), ext, ext, fill=False, ec=BLUE, lw=2.5))
        kx = P + 1.5
        _kernel_grid(ax, kx, w, f"kernel {k}×{k}")
        _output_grid(ax, kx + k + 1.5, y, f"output {o}×{o}", f, (i, j))
        terms = [f"{_num(xp[ra][cb])}·{_num(w[a][b])}" for (ra, cb), (a, b) in taps.items()]
        rows = [" + ".join(terms[q:q + k]) for q in range(0, len(terms), k)]
        text = f"o[{i},{j}] = " + "\n     + ".join(rows)
        if bias:
            text += f" + {_num(bias)}"
        text += f" = {_num(y[i][j])}"
        ax.text(0, max(P, k, o) + 0.4, text, va="top", fontsize=10, family="monospace")
        return []

    anim = FuncAnimation(fig, draw, frames=len(cells), interval=900, blit=False)
    return anim


def pool_animation(x, k, stride=None, *, ceil_mode=False, max_frames=30, dpi=72):
    """Animation of a pooling window: the window on the input, max and average outputs side by side."""
    from matplotlib.animation import FuncAnimation
    from matplotlib.patches import Rectangle

    s = k if stride is None else stride
    n = len(x)
    r = explain_pool(n, k, s, 0, ceil_mode)
    if not r["ok"]:
        from ..errors import ShapeError
        raise ShapeError(r["message"])
    o = r["out"]
    mx, av = pool2d(x, k, s, ceil_mode, "max"), pool2d(x, k, s, ceil_mode, "avg")
    unread = set(r["unread"])
    W = n + 2 * o + 5
    H = max(n, o) + 2.6
    fig = _figure(min(0.55 * W, 10), min(0.55 * H, 7), dpi)
    ax = _axes(fig)
    cells = [(i, j) for i in range(o) for j in range(o)][:max_frames]

    def draw(f):
        _clear(ax, W, H)
        i, j = cells[f]
        r0, c0 = i * s, j * s
        ax.text(n / 2, -0.5, f"input {n}×{n}", ha="center", fontsize=10)
        vals = _window_values(x, r0, c0, k)
        for a in range(n):
            for b in range(n):
                inside = r0 <= a < r0 + k and c0 <= b < c0 + k
                fc = LIGHT_BLUE if inside else (LIGHT_RED if (a in unread or b in unread) else "white")
                _cell(ax, b, a, fc=fc, text=_num(x[a][b]))
        ax.add_patch(Rectangle((c0, r0), k, k, fill=False, ec=BLUE, lw=2.5, clip_on=False))
        for label, grid, ox in (("max", mx, n + 1.5), ("average", av, n + o + 3)):
            _output_grid(ax, ox, grid, f"{label} {o}×{o}", f, (i, j), bold=False, fs=9)
        text = (f"window ({i},{j}): max({', '.join(map(_num, vals))}) = {_num(mx[i][j])}\n"
                f"               mean = {_num(sum(vals))}/{len(vals)} = {_num(av[i][j])}")
        ax.text(0, max(n, o) + 0.4, text, va="top", fontsize=10, family="monospace")
        return []

    anim = FuncAnimation(fig, draw, frames=len(cells), interval=900, blit=False)
    return anim


# ------------------------------------------------------------------ static figures


def windows_figure(r: dict, *, title: str | None = None, show_window: str = "last", dpi=72):
    """A 2-d picture of one explanation (``explain_conv``/``explain_pool``, square input).

    Cells are shaded by how many windows read them (light = once, darker = more); padding is grey and
    dashed; input rows and columns that no window reads are red and hatched.  The first
    window is outlined in orange and the last in blue, and the title says so (a caption
    can name the colours the figure itself states).  For an impossible setting, the reason
    is drawn.
    """
    from matplotlib.patches import Rectangle

    if not r["ok"]:
        fig = _figure(7, 1.2, dpi)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        import textwrap
        ax.text(0.01, 0.5, "\n".join(textwrap.wrap("impossible: " + r["message"], 95)),
                va="center", fontsize=9, color=RED)
        return fig
    n, before, after = r["n"], r["before"], r["after"]
    last = max(n + after, max(st + r["eff"] for st in r["starts"]))
    first = -before
    span = last - first
    count = {}
    for ti in r["taps"]:
        for tj in r["taps"]:
            for a in ti:
                for b in tj:
                    count[a, b] = count.get((a, b), 0) + 1
    top = max(count.values())
    size = min(0.42 * span, 6.5)
    fig = _figure(size + 0.2, size + 0.9, dpi)
    ax = _axes(fig)
    ax.set_xlim(first - 0.2, last + 0.2)
    ax.set_ylim(last + 0.2, first - 1.4 * span / 12 - 0.4)
    unread = set(r["unread"])
    import matplotlib.colors as mc
    cmap = mc.LinearSegmentedColormap.from_list("reads", ["#eaf1fb", BLUE])
    for a in range(first, last):
        for b in range(first, last):
            inside = 0 <= a < n and 0 <= b < n
            beyond = a >= n + after or b >= n + after
            if beyond:
                _cell(ax, b, a, fc="white", ec="#bbb", ls=":")
            elif not inside:
                c = count.get((a, b), 0)
                _cell(ax, b, a, fc=GREY, ec="#999", ls="--")
            elif a in unread or b in unread:
                _cell(ax, b, a, fc=LIGHT_RED, ec=RED, hatch="//")
            else:
                c = count.get((a, b), 0)
                shade = 0.2 + 0.6 * (c - 1) / max(top - 1, 1)  # read once: light blue
                _cell(ax, b, a, fc=cmap(shade) if c else "white", ec="#555")
    starts = r["starts"]
    ext = r["eff"]
    for st, color in ((starts[0], ORANGE), (starts[-1], BLUE)):
        if show_window == "last" or st == starts[0]:
            ax.add_patch(Rectangle((st, st), ext, ext, fill=False, ec=color, lw=2.5, clip_on=False))
    ax.add_patch(Rectangle((0, 0), n, n, fill=False, ec="black", lw=1.6))
    head = title or (f"o = {r['out']}; never read: "
                     + (", ".join(map(str, r["unread"])) if r["unread"] else "none")
                     + ("; first window orange, last blue" if show_window == "last" and len(starts) > 1
                        else "; first window orange"))
    ax.text(first, first - 0.3, head, fontsize=11, va="bottom")
    return fig


def output_size_plot(n, k, strides, paddings, *, d=1, dpi=80):
    """Output size o against stride s, one line per padding p (impossible settings: red ×)."""
    fig = _figure(6.4, 3.6, dpi)
    ax = fig.add_axes((0.1, 0.15, 0.62, 0.72))
    for p in paddings:
        xs, ys, bad = [], [], []
        for s in strides:
            r = explain_conv(n, k, s, p, d)
            (xs.append(s), ys.append(r["out"])) if r["ok"] else bad.append(s)
        ax.plot(xs, ys, "o-", label=f"p = {p}")
        if bad:
            ax.plot(bad, [0] * len(bad), "x", color=RED, ms=9)
    ax.set_xlabel("stride s")
    ax.set_ylabel("output size o")
    ax.set_xticks(list(strides))
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), title=f"n = {n}, k = {k}, d = {d}")
    ax.set_title("o = ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1", fontsize=11)
    return fig


def channels_figure(n, k, c_in, c_out, *, dpi=72):
    """Input n×n×C_in, C_out filters of k×k×C_in, output o×o×C_out, as stacked slabs."""
    from matplotlib.patches import Polygon

    from ..layers import Conv2d

    o = Conv2d(c_out, k).output_shape((c_in, n, n))[1]
    fig = _figure(9, 3.6, dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 27)  # widened below when there are many filters
    ax.set_ylim(-2.4, 8.4)
    palette = ["#e57373", "#81c784", "#64b5f6", "#ffd54f", "#ba68c8", "#4db6ac", "#ff8a65", "#a1887f"]

    def slab(x0, y0, size, depth_i, color, dx=0.5, dy=0.35):
        x, y = x0 + depth_i * dx, y0 + depth_i * dy
        ax.add_patch(Polygon([(x, y), (x + size, y), (x + size, y + size), (x, y + size)],
                             closed=True, fc=color, ec="#333", lw=0.8, alpha=0.95))

    def stack(x0, size, depth, colors, label):
        for c in reversed(range(depth)):
            slab(x0, 1.0, size, c, colors[c % len(colors)])
        ax.text(x0 + size / 2 + depth * 0.25, -0.6, label, ha="center", va="top", fontsize=10)

    stack(0.4, 5.0, c_in, palette, f"input\n{n}×{n}×{c_in}")
    fx = 8.2
    fsize = max(1.2, 5.0 * k / n)
    for f in range(c_out):
        for c in reversed(range(c_in)):
            slab(fx + f * (fsize + 0.35 + 0.35 * c_in) * 0.9, 2.6 + (f % 2) * 0.4, fsize, c,
                 palette[c % len(palette)], dx=0.3, dy=0.25)
    ax.text(fx + c_out * (fsize + 0.35 + 0.35 * c_in) * 0.45, -0.6,
            f"{c_out} filters, each {k}×{k}×{c_in}\n(depth = input channels)",
            ha="center", va="top", fontsize=10)
    ox = max(19.0, fx + c_out * (fsize + 0.35 + 0.35 * c_in) * 0.9 + 1.0)
    stack(ox, 5.0 * o / n, c_out, ["#90a4ae"] * 8, f"output\n{o}×{o}×{c_out}")
    ax.set_xlim(0, max(27, ox + 5.0 * o / n + 0.5 * c_out + 1))
    for f in range(c_out):
        ax.text(ox + 5.0 * o / n + f * 0.5 + 0.15, 1.0 + 5.0 * o / n + f * 0.35 - 0.3,
                f"{f + 1}", fontsize=8)
    fend = fx + (c_out - 1) * (fsize + 0.35 + 0.35 * c_in) * 0.9 + fsize + 0.3 * c_in
    for x0, x1 in ((0.4 + 5.0 + 0.5 * c_in + 0.1, fx - 0.2), (fend + 0.2, ox - 0.2)):
        if x1 > x0:
            ax.annotate("", xy=(x1, 3.5), xytext=(x0, 3.5), arrowprops={"arrowstyle": "->", "lw": 1.5})
    return fig


def grid_figure(x, *, title: str = "", highlight=(), dpi=72):
    """A small grid of numbers (a list of lists), optionally with some cells shaded."""
    n, m = len(x), len(x[0])
    fig = _figure(0.45 * m + 0.3, 0.45 * n + 0.6, dpi)
    ax = _axes(fig)
    ax.set_xlim(-0.1, m + 0.1)
    ax.set_ylim(n + 0.1, -1.0)
    for a in range(n):
        for b in range(m):
            _cell(ax, b, a, fc=LIGHT_BLUE if (a, b) in highlight else "white", text=_num(x[a][b]))
    if title:
        ax.text(m / 2, -0.4, title, ha="center", fontsize=10)
    return fig
