"""The calculators behind the book's sliders: pure functions that never raise.

Every slider in the book calls one of the ``*_html`` functions below with the slider
values and shows the HTML it returns: the live ipywidget in JupyterLab
(:mod:`cnnlib.book.widgets`), the precomputed static slider of the built book
(:mod:`cnnlib.book.static_widgets`) and the live page (cnnlib running in the browser) all
call the same function, so they always agree.  For an impossible setting the HTML shows
the reason — the :class:`cnnlib.ShapeError` message, which names the formula, the numbers
and a fix — instead of a number.  ``explain_conv`` / ``explain_pool`` / ``explain_channels``
return the numbers behind the panes (and behind the book's figures) as dicts.

>>> explain_conv(227, 11, s=4)["out"]
55
>>> explain_conv(3, 5)["ok"]
False
>>> explain_pool(11, 2)["unread"]
[10]
"""

from __future__ import annotations

import functools
import html as _html
from dataclasses import dataclass

from . import zoo
from .analysis import WindowStep, first_dense, share_by_kind, window_steps
from .arithmetic import (
    conv_formula,
    conv_output_size,
    conv_window,
    effective_kernel,
    pool_formula,
    pool_output_size,
    pool_window,
)
from .costs import bottleneck_costs
from .diagram import KIND_NAMES
from .errors import DimensionProblem, ShapeError
from .layers import Conv2d
from .shapes import shape_text

__all__ = [
    "ALEXNET_SIZE_PARAMS",
    "BOTTLENECK_PARAMS",
    "CHANNELS_PARAMS",
    "CONV_PARAMS",
    "CSS",
    "DENSE_PARAMS",
    "FACE_PARAMS",
    "LENET_PARAMS",
    "MOBILENET_PARAMS",
    "POOL_PARAMS",
    "RF_STACK_PARAMS",
    "VGG16_SIZE_PARAMS",
    "Param",
    "alexnet_size_html",
    "bottleneck_html",
    "channels_html",
    "conv_html",
    "dense_html",
    "explain_channels",
    "explain_conv",
    "explain_mobilenet",
    "explain_pool",
    "explain_rf_stack",
    "face_net_html",
    "field_svg",
    "lenet_html",
    "lenet_min_input",
    "lenet_walk",
    "mobilenet_html",
    "pool_html",
    "rf_stack_html",
    "size_html",
    "vgg16_size_html",
    "windows_svg",
]


# ------------------------------------------------------------------ parameters


@dataclass(frozen=True)
class Param:
    """One slider: a keyword argument name, the values it can take, a label, a default.

    ``values`` is a tuple (ints, bools or strings); the slider moves over its positions.
    ``live`` is the range (lo, hi) of whole numbers the live page accepts for this argument
    (any number typed in, not only the slider's values); None keeps the live page to
    ``values`` (bools, strings).  :mod:`cnnlib.live` refuses anything else with a message.
    """

    name: str
    values: tuple
    label: str = ""
    default: object = None
    live: tuple | None = None

    @property
    def start(self):
        return self.values[0] if self.default is None else self.default

    @property
    def text(self) -> str:
        return self.label or self.name


def _ints(lo, hi):
    return tuple(range(lo, hi + 1))


# ------------------------------------------------------------------ explanations


def _geometry(n, before, after, starts, k, d):
    """Window taps, clipped to the input, and the input cells no window reads."""
    taps = [[st + j * d for j in range(k)] for st in starts]
    read = {t for ts in taps for t in ts if 0 <= t < n}
    unread = [i for i in range(n) if i not in read]
    return taps, unread


def _failed(kind, args, message):
    return {"ok": False, "kind": kind, "args": args, "out": None, "formula": None,
            "message": message, "text": f"impossible: {message}", "n": args.get("n"),
            "before": 0, "after": 0, "starts": [], "taps": [], "unread": []}


def explain_conv(n, k, s=1, p=0, d=1) -> dict:
    """Output size of one convolution dimension with the window positions, never raising.

    o = ⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1.  Keys: ok, out, formula (the formula with the
    numbers plugged in), message (the ShapeError text when ok is False), before/after
    (padding), starts (first tap of each window, in input coordinates: −p is the first
    padding cell), taps (every cell each window reads), unread (input cells no window
    reads), text (one line for a reader).

    >>> r = explain_conv(10, 3, s=2)
    >>> r["out"], r["unread"]
    (4, [9])
    """
    args = {"n": n, "k": k, "s": s, "p": p, "d": d}
    try:
        out = conv_output_size(n, k, stride=s, padding=p, dilation=d)
        w = conv_window(n, k, s, p, d)
    except ShapeError as e:
        return _failed("conv", args, str(e))
    except Exception as e:  # noqa: BLE001 — a slider must show the reason, never crash
        return _failed("conv", args, f"{type(e).__name__}: {e}")
    starts = [i * w.s - w.before for i in range(out)]
    taps, unread = _geometry(w.n, w.before, w.after, starts, w.k, w.d)
    formula = (conv_formula(w.n, w.k, w.s, w.before, w.d) if w.before == w.after
               else f"⌊({w.n} + {w.before} + {w.after} − {w.d}·({w.k}−1) − 1)/{w.s}⌋ + 1"
                    f" = ⌈{w.n}/{w.s}⌉ = {out}")
    text = f"o = {formula}"
    if unread:
        text += f"; never read: {_cells(unread)}"
    return {"ok": True, "kind": "conv", "args": args, "out": out, "formula": formula,
            "message": None, "text": text, "n": w.n, "before": w.before, "after": w.after,
            "k": w.k, "s": w.s, "d": w.d, "eff": effective_kernel(w.k, w.d), "starts": starts,
            "taps": taps, "unread": unread}


def explain_pool(n, k, s=None, p=0, ceil_mode=False, d=1) -> dict:
    """Output size of one pooling dimension (PyTorch's rules) with the windows, never raising.

    Floor: o = ⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1; ceil_mode uses ⌈⌉ but drops a last window
    that would start in the right padding.  s=None means s = k.  Same keys as
    :func:`explain_conv`, plus ``partial``: windows that hang over the padded input
    (ceil_mode), which PyTorch clips.

    >>> r = explain_pool(11, 2, ceil_mode=True)
    >>> r["out"], r["partial"], r["unread"]
    (6, [5], [])
    """
    args = {"n": n, "k": k, "s": s, "p": p, "ceil_mode": ceil_mode, "d": d}
    try:
        out = pool_output_size(n, k, stride=s, padding=p, dilation=d, ceil_mode=ceil_mode)
        w = pool_window(n, k, s, p, d, ceil_mode)
        formula = pool_formula(w.n, w.k, w.s, w.before, w.d, ceil_mode)
    except ShapeError as e:
        return _failed("pool", args, str(e))
    except DimensionProblem as e:
        return _failed("pool", args, str(e))
    except Exception as e:  # noqa: BLE001
        return _failed("pool", args, f"{type(e).__name__}: {e}")
    starts = [i * w.s - w.before for i in range(out)]
    taps, unread = _geometry(w.n, w.before, w.after, starts, w.k, w.d)
    eff = effective_kernel(w.k, w.d)
    partial = [i for i, st in enumerate(starts) if st + eff > w.n + w.after]
    text = f"o = {formula}"
    if unread:
        text += f"; never read: {_cells(unread)}"
    return {"ok": True, "kind": "pool", "args": args, "out": out, "formula": formula,
            "message": None, "text": text, "n": w.n, "before": w.before, "after": w.after,
            "k": w.k, "s": w.s, "d": w.d, "eff": eff, "starts": starts, "taps": taps,
            "unread": unread, "partial": partial}


def explain_channels(n, k, c_in, c_out, bias=True) -> dict:
    """A 2-d convolution (stride 1, no padding) on n×n×C_in with C_out filters of k×k.

    Each filter is k×k×C_in (its depth is the number of input channels) and gives one
    output channel.  weights = k·k·C_in·C_out, biases = C_out, o = n − k + 1.

    >>> r = explain_channels(32, 5, 3, 4)
    >>> r["out_shape"], r["weights"], r["params"]
    ((4, 28, 28), 300, 304)
    """
    args = {"n": n, "k": k, "c_in": c_in, "c_out": c_out, "bias": bias}
    try:
        layer = Conv2d(c_out, k, bias=bias)
        shape = (c_in, n, n)
        out_shape = layer.output_shape(shape)
        weights, biases = layer.weights(shape), layer.biases(shape)
    except ShapeError as e:
        return _failed("channels", args, str(e))
    except Exception as e:  # noqa: BLE001
        return _failed("channels", args, f"{type(e).__name__}: {e}")
    params = weights + biases
    formula = f"{k}·{k}·{c_in}·{c_out} = {weights:,} weights" + (
        f" + {biases} biases = {params:,} parameters" if bias else " (no biases)")
    return {"ok": True, "kind": "channels", "args": args, "in_shape": shape,
            "out_shape": out_shape, "filter_shape": (c_in, k, k), "weights": weights,
            "biases": biases, "params": params, "per_filter": k * k * c_in + (1 if bias else 0),
            "formula": formula, "message": None, "out": out_shape[1],
            "text": f"{n}×{n}×{c_in} → {out_shape[1]}×{out_shape[2]}×{c_out}: {formula}"}


def _cells(idx) -> str:
    return ", ".join(str(i) for i in idx)


# ------------------------------------------------------------------ HTML and SVG

CSS = (
    "<style>.cw{font:14px/1.45 system-ui,sans-serif}.cw .f{font-family:monospace}"
    ".cw .bad{color:#b00020}.cw svg{display:block;margin:4px 0;max-width:100%;height:auto}"
    ".cw .in{fill:#fff;stroke:#555}.cw .pd{fill:#ddd;stroke:#999;stroke-dasharray:3 2}"
    ".cw .nr{fill:#f6c4c4;stroke:#b00020}.cw .ov{fill:none;stroke:#bbb;stroke-dasharray:2 2}"
    ".cw .w{stroke:#1f5fa8;stroke-width:2;fill:#1f5fa8}.cw .wp{stroke:#c77800;stroke-width:2;"
    "fill:#c77800}.cw text{font:10px sans-serif;fill:#333}"
    ".cw table{border-collapse:collapse;margin:0}"
    ".cw th,.cw td{padding:2px 8px;text-align:left;vertical-align:top}"
    ".cw th{border-bottom:1px solid #999}.cw td{white-space:nowrap}</style>"
)
_CS = 16  # cell size in px
_ROW = 11  # one window row


def windows_svg(r: dict, *, max_rows: int = 20) -> str:
    """An inline SVG (one line per element group) of the windows along one dimension.

    Top strip: padding cells (grey, dashed), input cells (white) and never-read input
    cells (red).  Below, one row per output position: a bar over the cells the window
    spans, a dot on every cell it reads (dilation leaves gaps).  Windows that hang over
    the padded input (ceil_mode) are orange.  Empty string when ``r`` is not ok.
    """
    if not r.get("ok"):
        return ""
    n, before, after, eff = r["n"], r["before"], r["after"], r["eff"]
    first = -before
    last = max(n + after, max(st + eff for st in r["starts"]))
    partial = set(r.get("partial", []))
    unread = set(r["unread"])
    rows = min(len(r["starts"]), max_rows)
    width = (last - first) * _CS + 42
    height = 32 + rows * _ROW + (12 if len(r["starts"]) > rows else 0)
    lines = [(f'<svg width="{round(width * 1.4)}" height="{round(height * 1.4)}" '
              f'viewBox="0 0 {width} {height}" role="img" aria-label="window positions">')]
    cells = []
    for i in range(first, last):
        x = 36 + (i - first) * _CS
        cls = "ov" if i >= n + after else "pd" if (i < 0 or i >= n) else "nr" if i in unread else "in"
        cells.append(f'<rect class="{cls}" x="{x}" y="2" width="{_CS - 2}" height="{_CS - 2}"/>')
    lines.append("<g>" + "".join(cells) + "</g>")
    lines.append(f'<text x="{36 + before * _CS}" y="28">0</text>'
                 f'<text x="{36 + (before + n - 1) * _CS}" y="28">{n - 1}</text>')
    for i, (st, taps) in enumerate(zip(r["starts"][:rows], r["taps"][:rows])):
        y = 36 + i * _ROW
        x1 = 36 + (st - first) * _CS + _CS // 2 - 1
        x2 = 36 + (taps[-1] - first) * _CS + _CS // 2 - 1
        dots = "".join(f'<circle cx="{36 + (t - first) * _CS + _CS // 2 - 1}" cy="{y}" r="3"/>'
                       for t in taps)
        cls = "wp" if i in partial else "w"
        lines.append(f'<g class="{cls}"><text x="2" y="{y + 3}" stroke="none">o{i}</text>'
                     f'<path d="M{x1} {y}H{x2}"/>{dots}</g>')
    if len(r["starts"]) > rows:
        lines.append(f'<text x="2" y="{height - 2}">… {len(r["starts"]) - rows} more</text>')
    lines.append("</svg>")
    return "\n".join(lines)


def _legend(r) -> str:
    parts = ['<span style="color:#777">grey: padding</span>']
    if r["unread"]:
        parts.append(f'<span class="bad">red: never read ({len(r["unread"])})</span>')
    if r.get("partial"):
        parts.append('<span style="color:#c77800">orange: window hangs over the edge</span>')
    return "<div>" + " · ".join(parts) + "</div>"


def conv_html(n, k, s=1, p=0, d=1) -> str:
    """HTML for the convolution slider: the formula with numbers, or the reason, plus the SVG."""
    r = explain_conv(n, k, s, p, d)
    return _window_html(r, "o")


def pool_html(n, k, s=None, p=0, ceil_mode=False) -> str:
    """HTML for the pooling slider (floor or ceil_mode): formula or reason, plus the SVG."""
    r = explain_pool(n, k, s, p, ceil_mode)
    return _window_html(r, "o")


def _window_html(r, sym) -> str:
    lines = [CSS, '<div class="cw">']
    if r["ok"]:
        lines.append(f'<div class="f">{sym} = {_html.escape(r["formula"])}</div>')
        lines.append(f'<div>output size <b>{r["out"]}</b>; never read: '
                     f'{_html.escape(_cells(r["unread"])) if r["unread"] else "none"}</div>')
        lines.append(windows_svg(r))
        lines.append(_legend(r))
    else:
        lines.append('<div class="bad"><b>No output:</b></div>')
        lines.append(f'<div class="bad f">{_html.escape(r["message"])}</div>')
    lines.append("</div>")
    return "\n".join(lines)


def channels_html(n, k, c_in, c_out) -> str:
    """HTML for the channels slider: shapes, filter shape, weights and biases, or the reason."""
    r = explain_channels(n, k, c_in, c_out)
    lines = [CSS, '<div class="cw">']
    if r["ok"]:
        o = r["out"]
        lines.append(f"<div>input {n}×{n}×{c_in} → output <b>{o}×{o}×{c_out}</b> "
                     f"(height×width×channels)</div>")
        lines.append(f"<div>{c_out} filter{'s' if c_out > 1 else ''}, each {k}×{k}×{c_in} "
                     f"(depth = input channels) + 1 bias = {r['per_filter']} parameters</div>")
        lines.append(f'<div class="f">{_html.escape(r["formula"])}</div>')
    else:
        lines.append('<div class="bad"><b>No output:</b></div>')
        lines.append(f'<div class="bad f">{_html.escape(r["message"])}</div>')
    lines.append("</div>")
    return "\n".join(lines)


# Slider ranges of the book's static widgets (kept small: every combination is
# precomputed) and, as ``live``, the whole numbers the live page accepts.  The 1-d panes
# draw one cell per input element, so their n stops at 512.
CONV_PARAMS = (
    Param("n", _ints(1, 12), "n (input)", 7, live=(1, 512)),
    Param("k", _ints(1, 5), "k (kernel)", 3, live=(1, 64)),
    Param("s", _ints(1, 4), "s (stride)", 2, live=(1, 64)),
    Param("p", _ints(0, 3), "p (padding each side)", 0, live=(0, 64)),
    Param("d", _ints(1, 3), "d (dilation)", 1, live=(1, 16)),
)
POOL_PARAMS = (
    Param("n", _ints(1, 12), "n (input)", 11, live=(1, 512)),
    Param("k", _ints(1, 4), "k (window)", 2, live=(1, 64)),
    Param("s", _ints(1, 4), "s (stride)", 2, live=(1, 64)),
    Param("p", _ints(0, 2), "p (padding each side)", 0, live=(0, 32)),
    Param("ceil_mode", (False, True), "ceil_mode", False),
)
CHANNELS_PARAMS = (
    Param("n", _ints(1, 12), "n (input height = width)", 10, live=(1, 4096)),
    Param("k", _ints(1, 5), "k (kernel)", 3, live=(1, 64)),
    Param("c_in", _ints(1, 6), "C_in (input channels)", 1, live=(1, 4096)),
    Param("c_out", _ints(1, 6), "C_out (filters)", 5, live=(1, 4096)),
)
DENSE_PARAMS = (
    Param("n", tuple(range(6, 65)), "n (input height = width)", 28, live=(1, 1024)),
    Param("second_pool", (False, True), "second max pool", True),
    Param("units", (16, 32, 64, 128, 256, 512), "fc1 neurons", 128, live=(1, 65536)),
)
BOTTLENECK_PARAMS = (
    Param("channels", (64, 128, 256, 512, 1024, 2048), "C (in and out)", 256, live=(1, 8192)),
    Param("mid", (16, 32, 48, 64, 96, 128, 192, 256, 384, 512), "m (middle)", 64, live=(1, 8192)),
)
FACE_PARAMS = (Param("n", _ints(1, 200), "n (dense neurons)", 10, live=(1, 1_000_000)),)
ALEXNET_SIZE_PARAMS = (Param("n", _ints(195, 259), "input size n (n×n×3)", 227, live=(1, 4096)),)
VGG16_SIZE_PARAMS = (Param("n", tuple(range(32, 449, 32)), "input size n (n×n×3)", 224, live=(1, 4096)),)


# ------------------------------------------------------------------ network panes


def _pane(lines, ok=True) -> str:
    body = "\n".join(f"<div>{line}</div>" for line in lines)
    return f'{CSS}<div class="cw">{body}</div>' if ok else \
        f'{CSS}<div class="cw"><div class="bad"><b>No output:</b></div><div class="bad f">{body}</div></div>'


def _case1_flat(n: int, second_pool: bool) -> int | None:
    try:
        return zoo.keras_case1(n, second_pool=second_pool).row("flatten").out_shape[0]
    except ShapeError:
        return None


def _reason_pane(fn):
    """A pane function that shows why (the ShapeError text, in red) instead of raising."""

    @functools.wraps(fn)
    def pane(*args, **kwargs) -> str:
        try:
            return fn(*args, **kwargs)
        except ShapeError as e:
            return _pane([_html.escape(str(e))], ok=False)
        except Exception as e:  # noqa: BLE001 — a slider must show the reason, never crash
            return _pane([_html.escape(f"{type(e).__name__}: {e}")], ok=False)

    return pane


@_reason_pane
def dense_html(n: int = 28, second_pool: bool = True, units: int = 128) -> str:
    """Post 004's case-1 network on an n×n×1 input: the size after every convolution and
    pooling (so each step of n shows), the flattened size, the first dense layer's
    parameters (in + 1)·units, the total and fc1's share of it — or why the network fails.
    When neighbouring n give the same flattened size, it says which n do and why.

    >>> "102,528" in dense_html()
    True
    >>> "No output" in dense_html(8)
    True
    >>> "n = 26 … 29" in dense_html(28)
    True
    """
    try:
        model = zoo.keras_case1(n, second_pool=second_pool, units=units)
    except ShapeError as e:
        return _pane([_html.escape(f"on a {n}×{n}×1 input: {e}")], ok=False)
    flat = model.row("flatten").out_shape
    chain = " → ".join(
        [f"{n}×{n}"] + [f"{r.name} {r.out_shape[1]}×{r.out_shape[2]}" for r in model.rows()
                        if r.name.startswith(("conv", "pool"))])
    fc1 = model.row("fc1").params
    tot = model.total_params
    lo = hi = n
    while lo > 1 and _case1_flat(lo - 1, second_pool) == flat[0]:
        lo -= 1
    while hi < n + 64 and _case1_flat(hi + 1, second_pool) == flat[0]:
        hi += 1
    same = (f"n = {lo} … {hi} all flatten to {flat[0]:,}: the 2×2 pools round down, "
            "dropping a last row that no window reads" if hi > lo else f"only n = {n} flattens to {flat[0]:,}")
    return _pane([
        f'<span class="f">{chain}</span>',
        (f"last feature map {shape_text(model.row('flatten').in_shape)} → flatten → "
         f"<b>{flat[0]:,}</b> values ({same})"),
        f'<span class="f">fc1 = ({flat[0]:,} + 1)·{units} = <b>{fc1:,}</b></span>',
        f"total <b>{tot:,}</b>; fc1 is <b>{fc1 / tot:.1%}</b> of it",
    ])


@_reason_pane
def bottleneck_html(channels: int = 256, mid: int = 64, size: int = 56) -> str:
    """A plain 3×3 convolution at `channels` vs the 1×1 → 3×3 → 1×1 bottleneck through `mid`
    channels (weights only, as ResNet's convolutions have no bias), with MACs on size×size.

    >>> "69,632" in bottleneck_html()
    True
    >>> "No output" in bottleneck_html(0)
    True
    """
    b = bottleneck_costs(channels, mid, size)
    p, q = b["plain"], b["bottleneck"]
    c, m = channels, mid
    return _pane([
        (f'<span class="f">plain 3×3: 3·3·{c}·{c} = <b>{p["params"]:,}</b> weights, '
        f'{p["macs"]:,} MACs</span>'),
        (f'<span class="f">bottleneck: {c}·{m} + 3·3·{m}·{m} + {m}·{c} = <b>{q["params"]:,}</b> weights, '
        f'{q["macs"]:,} MACs</span>'),
        (f"the bottleneck needs <b>{q['params'] / p['params']:.1%}</b> of the weights "
        f"({'fewer' if q['params'] < p['params'] else 'more'}, ×{b['ratio']:.2f})"),
    ])


@_reason_pane
def face_net_html(n: int = 10) -> str:
    """Post 002's network with n dense neurons: 48,320 + 160·n without biases,
    48,520 + 161·n with them.

    >>> "49,920" in face_net_html(10)
    True
    >>> "No output" in face_net_html(0)
    True
    """
    nb, wb = zoo.face_net(n).total_params, zoo.face_net(n, bias=True).total_params
    conv = nb - 160 * n
    convb = wb - 161 * n
    return _pane([
        f'<span class="f">bias-free: {conv:,} + 160·{n} = <b>{nb:,}</b></span>',
        f'<span class="f">with biases: {convb:,} + 161·{n} = <b>{wb:,}</b> (+{wb - nb:,})</span>',
        f"the dense layer holds {160 * n / nb:.1%} of the bias-free total",
    ])


def size_html(build, n: int, *, reference: int | None = None, changes_only: bool = True) -> str:
    """HTML for a slider over the input size: each window layer's arithmetic, fc1, the total.

    ``build(n)`` returns the model for an n×n input. Layers whose division is not exact are
    marked (PyTorch floors and the last rows are never read); with ``changes_only`` the
    layers that keep the size exactly (3×3, stride 1, padding 1) are left out. An input the
    network cannot take shows the ShapeError's reason in red instead of failing.
    ``reference`` adds the change of fc1 and of the total against that input size.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        return (f"<div style='color:#b00020'><b>impossible:</b> the input size must be a whole "
                f"number, got {_html.escape(repr(n))}</div>")
    try:
        model = build(n)
    except ShapeError as e:
        return (f"<div style='color:#b00020'><b>{n}×{n}: impossible.</b> "
                f"{_html.escape(str(e))}</div>")
    steps = window_steps(model)
    rows = []
    for st in steps:
        if changes_only and st.is_exact and st.out == st.n:
            continue
        mark = ("" if st.is_exact else
                f" <span style='color:#b35900'>floored: {st.unused} row(s) never read</span>")
        rows.append(f"<tr><td>{_html.escape(st.name)}</td><td><code>{_html.escape(st.formula())}"
                    f"</code>{mark}</td></tr>")
    fc = first_dense(model)
    total = model.total_params
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
            ref_total = build(reference).total_params
        except ShapeError:
            ref_total = None
        if ref_total is not None:
            lines.append(f"<div style='color:#555'>vs {reference}×{reference}: "
                         f"{total - ref_total:+,} parameters</div>")
    return "\n".join(lines)


def alexnet_size_html(n: int = 227) -> str:
    """The AlexNet chapter's slider: AlexNet (single tower) on an n×n×3 input against its 227×227
    (:func:`size_html` of :func:`cnnlib.zoo.alexnet`).  At 227 every division is exact and
    fc1 takes 6·6·256 = 9,216 inputs; at 195 the maps end at 5×5 and fc1 has
    (5·5·256 + 1)·4096 = 26,218,496 parameters, 11,534,336 fewer.

    >>> "62,378,344" in alexnet_size_html(227)
    True
    >>> "-11,534,336" in alexnet_size_html(195)
    True
    """
    return size_html(lambda m: zoo.alexnet(input_size=m), n, reference=227)


def vgg16_size_html(n: int = 224) -> str:
    """The VGG chapter's slider: VGG-16 on an n×n×3 input against its 224×224
    (:func:`size_html` of :func:`cnnlib.zoo.vgg`).  Five 2×2 pools divide n by 32, so fc1
    takes 512·(n/32)² inputs: 25,088 at 224, 32,768 at 256 (31,457,280 more parameters).

    >>> "138,357,544" in vgg16_size_html(224)
    True
    >>> "+31,457,280" in vgg16_size_html(256)
    True
    """
    return size_html(lambda m: zoo.vgg(16, input_size=m), n, reference=224)


# ============================================================================================
# LeNet-5 — the functions behind the chapter notebooks/06_lenet.ipynb (its own section)
# ============================================================================================

#: the slider of that chapter: input size n (n×n×1) and which LeNet-5
LENET_PARAMS = (
    Param("n", _ints(12, 64), "input size n (n×n×1)", 32, live=(1, 1024)),
    Param("variant", ("modern", "paper"), "version (modern | paper)", "modern"),
)


def _params_formula(row) -> str:
    """How a row's parameters come about, numbers plugged in ('5·5·1·6 + 6 = 156')."""
    from .layers import Conv2d as _Conv2d
    from .layers import Dense, EuclideanRBF, Subsample2d, TableConv2d

    layer, p = row.layer, row.params
    if isinstance(layer, TableConv2d):
        kh, kw = layer.kernel_size
        return f"{kh}·{kw}·{layer.connections} + {layer.out_channels} = {p:,}"
    if isinstance(layer, _Conv2d):
        kh, kw = layer.kernel_size
        c_in = row.in_shape[0] // layer.groups
        bias = f" + {layer.out_channels}" if layer.bias else ""
        return f"{kh}·{kw}·{c_in}·{layer.out_channels}{bias} = {p:,}"
    if isinstance(layer, Subsample2d):
        c = row.in_shape[0]
        return f"{c} + {c} = {p:,}"
    if isinstance(layer, Dense):
        bias = f" + {layer.out_features}" if layer.bias else ""
        return f"{row.in_shape[-1]:,}·{layer.out_features}{bias} = {p:,}"
    if isinstance(layer, EuclideanRBF):
        fixed = row.facts.buffers
        return f"{p:,}" + (f" ({row.in_shape[0]}·{layer.units} = {fixed:,} fixed centres)" if fixed else "")
    return f"{p:,}"


def _size_formula(row) -> str:
    """The output-size formula of a window row along the height ('(32 + 2·0 − 5)/1 + 1 = 28')."""
    return WindowStep(row.name, row.kind, row.windows[0]).formula()


def lenet_walk(model) -> list[dict]:
    """The layer-by-layer walk of a LeNet-style chain: one dict per row that changes the shape
    or has a cost (activation functions, which change neither, are left out).

    Keys: name, type, out_shape (channels first), size (the output-size formula of a window
    layer, along the height; '' for the rest), params_formula (k·k·C_in·C_out + C_out and the
    like, numbers plugged in), params, macs, bias_adds, connections (= macs + bias_adds: what
    LeCun et al. call a layer's connections), activations (elements the row keeps).

    >>> from cnnlib import zoo
    >>> [(r["name"], r["size"], r["params_formula"]) for r in lenet_walk(zoo.lenet5())][1]
    ('conv1', '(32 + 2·0 − 5)/1 + 1 = 28', '5·5·1·6 + 6 = 156')
    """
    out = []
    for r in model.rows():
        if r.layer is not None and r.kind == "act":
            continue
        windowed = bool(r.windows) and r.windows[0].before == r.windows[0].after
        out.append({
            "name": r.name, "type": r.type, "out_shape": r.out_shape,
            "size": _size_formula(r) if windowed else "",
            "params_formula": _params_formula(r) if r.layer is not None else "",
            "params": r.params, "macs": r.macs, "bias_adds": r.bias_adds,
            "connections": r.macs + r.bias_adds, "activations": r.activations,
        })
    return out


def lenet_min_input(variant: str = "modern", limit: int = 256) -> int | None:
    """The smallest n for which ``zoo.lenet5(variant, n)`` can be built (None up to ``limit``).

    >>> lenet_min_input("modern"), lenet_min_input("paper")
    (16, 32)
    """
    for n in range(1, limit + 1):
        try:
            zoo.lenet5(variant, n)
        except ShapeError:
            continue
        return n
    return None


def lenet_html(n: int = 32, variant: str = "modern") -> str:
    """HTML for the LeNet-5 slider: every layer's size (the formula with n plugged in) and
    parameters on an n×n×1 input, the flattened features, the dense layers' share and the
    total against 32×32 — or, for an input the network cannot take, the layer that fails,
    why (the ShapeError's message) and the smallest input that works.

    >>> "61,706" in lenet_html(32)
    True
    >>> "smallest input" in lenet_html(31, "paper")
    True
    """
    try:
        model = zoo.lenet5(variant, n)
    except ShapeError as e:
        low = lenet_min_input(variant)
        return _pane([
            _html.escape(f"{variant} LeNet-5 on a {n}×{n}×1 input: {e}"),
            _html.escape(f"The smallest input this version takes is {low}×{low}×1."),
        ], ok=False)
    rows = lenet_walk(model)
    cell = "<td"
    body = []
    for r in rows[1:]:
        body.append(f"<tr>{cell}>{_html.escape(r['name'])}</td>{cell}>{shape_text(r['out_shape'])}</td>"
                    f"{cell} class='f'>{_html.escape(r['size'])}</td>"
                    f"{cell} class='f'>{_html.escape(r['params_formula'])}</td></tr>")
    head = "".join(f"<th>{h}</th>"
                   for h in ("layer", "output (H×W×C)", "size o = (n + 2p − k)/s + 1", "parameters"))
    table = (f"<table style='font-size:92%'><tr>{head}</tr>"
             + "".join(body) + "</table>")
    floored = [r["name"] for r in rows if "→" in r["size"]]
    verdict = ("every division exact" if not floored else
               f"rounded down at {', '.join(floored)}: the last row and column of its input are never read")
    flat = model.row("flatten")
    total = model.total_params
    shares = ", ".join(f"{KIND_NAMES.get(kind, kind)} {v:,} ({share:.1%})"
                       for kind, (v, share) in share_by_kind(model, "params").items() if v)
    ref = zoo.lenet5(variant, 32).total_params
    lines = [
        f"<b>{variant} LeNet-5, input {n}×{n}×1</b> — {verdict}",
        table,
        f"flatten: {shape_text(flat.in_shape)} → <b>{flat.out_shape[0]:,}</b> values",
        f"parameters by kind of layer: {shares}",
        f"<b>total: {total:,} parameters</b>"
        + ("" if n == 32 else f" ({total - ref:+,} against 32×32)".replace("-", "−")),
    ]
    return _pane(lines)
# ====================================================================================
# Transposed convolution (chapter "Transposed convolution and upsampling")
# ------------------------------------------------------------------------------------
# explain_transpose / transpose_svg / transpose_html and TRANSPOSE_PARAMS: the slider over
# n, k, s, p and output_padding of one transposed-convolution dimension.

__all__ += ["TRANSPOSE_PARAMS", "explain_transpose", "transpose_html", "transpose_svg"]


def explain_transpose(n, k, s=1, p=0, a=0, d=1) -> dict:
    """One transposed-convolution dimension (PyTorch's ConvTranspose), never raising.

    o = (n − 1)·s − 2p + d·(k − 1) + a + 1, with a = output_padding < s or < d.  Seen as a
    direct convolution: s − 1 zeros between the n inputs (the stretched input, (n − 1)·s + 1
    cells), d·(k − 1) − p cells of padding before it and d·(k − 1) − p + a after it (a
    negative number crops), and the kernel slides with stride 1.  Keys: ok, out, formula,
    message (the ShapeError text when ok is False), text, stretched, before, after, span,
    taps (kernel taps landing on a real input, per output cell), even (whether the taps are
    the same away from the borders), back (the size a convolution with the same k, s, p, d
    makes of the output: n unless a ≥ s) and siblings (the input sizes that convolution maps
    to n: output_padding picks one of them).

    >>> r = explain_transpose(4, 3, s=2, p=1, a=1)
    >>> r["out"], r["stretched"], r["before"], r["after"], r["siblings"]
    (8, 7, 1, 2, [7, 8])
    >>> explain_transpose(4, 3, s=2, a=2)["ok"]
    False
    """
    from .upsampling import (
        conv_inputs_for,
        conv_transpose_dim,
        conv_transpose_formula_text,
        conv_transpose_output_size,
    )

    args = {"n": n, "k": k, "s": s, "p": p, "a": a, "d": d}
    try:
        out = conv_transpose_output_size(n, k, stride=s, padding=p, output_padding=a, dilation=d)
        w = conv_transpose_dim(n, k, s, p, a, d)
    except ShapeError as e:
        return _failed("transpose", args, str(e)) | {"taps": [], "siblings": []}
    except Exception as e:  # noqa: BLE001 — a slider must show the reason, never crash
        return _failed("transpose", args, f"{type(e).__name__}: {e}") | {"taps": [], "siblings": []}
    taps = w.taps_per_output()
    inner = [t for o, t in enumerate(taps)
             if o - w.before >= 0 and o - w.before + w.span - 1 <= w.stretched - 1]
    try:
        back = conv_output_size(out, k, stride=s, padding=p, dilation=d)
    except ShapeError:  # pragma: no cover - the output always holds the kernel
        back = None
    formula = f"{conv_transpose_formula_text(n, k, s, p, a, d)} = {out}"
    text = f"o = {formula}"
    return {"ok": True, "kind": "transpose", "args": args, "out": out, "formula": formula,
            "message": None, "text": text, "n": n, "k": k, "s": s, "p": p, "a": a, "d": d,
            "span": w.span, "stretched": w.stretched, "before": w.before, "after": w.after,
            "taps": taps, "inner": inner, "even": len(set(inner)) <= 1, "back": back,
            "siblings": conv_inputs_for(n, k, s, p, d)}


_TCLS = {"in": "fill:#fff;stroke:#555", "z": "fill:#eef3fa;stroke:#9ab", "pd": "fill:#ddd;stroke:#999",
         "op": "fill:#fde2b8;stroke:#c77800", "cr": "fill:#f6c4c4;stroke:#b00020"}


def transpose_svg(r: dict) -> str:
    """An inline SVG of :func:`explain_transpose`: the stretched, padded input as one strip
    (inputs numbered, inserted zeros pale blue, padding grey, the output_padding cells orange,
    cropped cells red when p > d·(k − 1)), the first output's window as a bracket, and below
    it the output cells, each under the centre of its window, with the number of kernel taps
    that land on a real input (darker = more).  One element per line (the static widget
    stores each distinct line once).  Empty string when ``r`` is not ok.
    """
    if not r.get("ok"):
        return ""
    st, before, after, s, span = r["stretched"], r["before"], r["after"], r["s"], r["span"]
    lo, hi = min(0, -before), max(st, st + after)  # stretched coordinates drawn
    top = max(r["taps"]) or 1
    cs, x0 = 20, 50
    width = x0 + (hi - lo) * cs + 4
    height = 74
    lines = [(f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
              'aria-label="stretched input and outputs" style="max-width:100%;height:auto">'),
             '<text x="0" y="25" style="font:12px sans-serif">input</text>',
             '<text x="0" y="63" style="font:12px sans-serif">taps</text>']
    for q in range(lo, hi):
        x = x0 + (q - lo) * cs
        if q < -before or q >= st + after:
            cls, label = "cr", "×"
        elif q < 0 or q >= st:
            cls, label = ("op" if q >= st + after - r["a"] else "pd"), ""
        elif q % s:
            cls, label = "z", ""
        else:
            cls, label = "in", str(q // s)
        lines.append(f'<rect x="{x}" y="10" width="{cs - 2}" height="{cs - 2}" style="{_TCLS[cls]}"/>')
        if label:
            lines.append(f'<text x="{x + cs // 2 - 1}" y="24" text-anchor="middle" '
                         f'style="font:11px sans-serif">{label}</text>')
    # the first output's window: from stretched position −before, span cells
    x1 = x0 + (-before - lo) * cs
    lines.append(f'<path d="M{x1} 7V3H{x1 + (span - 1) * cs + cs - 2}V7" '
                 'style="fill:none;stroke:#1f5fa8;stroke-width:1.5"/>')
    for o, t in enumerate(r["taps"]):
        centre = o - before + (span - 1) / 2  # stretched coordinate under the window's centre
        x = x0 + (centre - lo) * cs
        shade = round(235 - 150 * t / top)
        lines.append(f'<rect x="{x:g}" y="48" width="{cs - 2}" height="{cs - 2}" '
                     f'style="fill:rgb({shade},{shade + 10},255);stroke:#1f5fa8"/>')
        lines.append(f'<text x="{x + cs / 2 - 1:g}" y="62" text-anchor="middle" '
                     f'style="font:11px sans-serif">{t}</text>')
    lines.append("</svg>")
    return "\n".join(lines)


def transpose_html(n, k, s=1, p=0, a=0) -> str:
    """HTML for the transposed-convolution slider: the formula with numbers and the output
    size, the equivalent direct convolution, the taps per output cell, which input sizes the
    matching convolution maps to n — or the reason there is no output."""
    r = explain_transpose(n, k, s, p, a)
    lines = [CSS, '<div class="cw">']
    if not r["ok"]:
        lines += ['<div class="bad"><b>No output:</b></div>',
                  f'<div class="bad f">{_html.escape(r["message"])}</div>', "</div>"]
        return "\n".join(lines)
    o = r["out"]
    lines.append(f'<div class="f">o = {_html.escape(r["formula"])}</div>')
    lines.append(f"<div>output size <b>{o}</b></div>")
    pad = (f"pad {r['before']} before and {r['after']} after" if r["before"] >= 0 and r["after"] >= 0
           else f"padding {r['before']} before and {r['after']} after (negative: crop)")
    gaps = "no zeros between inputs" if s == 1 else f"{s - 1} zero{'s' if s > 2 else ''} between inputs"
    lines.append(f"<div>as a direct convolution: {gaps} → {r['stretched']} cells, {pad}, kernel {k} at "
                 "stride 1</div>")
    lines.append(transpose_svg(r))
    taps = ", ".join(str(t) for t in r["taps"])
    verdict = ("the same count everywhere away from the borders" if r["even"]
               else "<span class='bad'>uneven away from the borders: a checkerboard</span>")
    lines.append(f"<div>taps per output cell: {_html.escape(taps)} — {verdict}</div>")
    sib = r["siblings"]
    if len(sib) > 1:
        lines.append(f"<div>a convolution with k = {k}, s = {s}, p = {p} maps each of "
                     f"{', '.join(map(str, sib))} to {n}; output_padding = {a} picks {o}</div>")
    elif r["back"] == n:
        lines.append(f"<div>a convolution with k = {k}, s = {s}, p = {p} maps {o} back to {n} "
                     f"(and only {o})</div>")
    lines.append('<div style="color:#777">top: the input of the direct convolution (white: input, '
                 'pale blue: inserted zero, grey: padding, orange: output_padding, red: cropped; the '
                 'bracket is the first window); below: one cell per output, under its window\'s centre, '
                 'with the taps that reach an input</div>')
    lines.append("</div>")
    return "\n".join(lines)


TRANSPOSE_PARAMS = (
    Param("n", _ints(1, 6), "n (input)", 4, live=(1, 64)),
    Param("k", _ints(1, 5), "k (kernel)", 3, live=(1, 16)),
    Param("s", _ints(1, 3), "s (stride)", 2, live=(1, 8)),
    Param("p", _ints(0, 3), "p (padding each side)", 1, live=(0, 16)),
    Param("a", _ints(0, 2), "a (output_padding)", 1, live=(0, 7)),
)


# ======================================================================================
# Receptive fields and the networks after VGG (chapters "Receptive fields" and
# "After VGG"): the stack slider and the MobileNet width/resolution slider.
# ======================================================================================

#: the widest field whose cells the stack slider draws
RF_DRAW_MAX = 4096

#: padding choices of the stack slider: p = 0, or p = ⌊d·(k − 1)/2⌋ ('same' when d·(k − 1) is even)
RF_PADDINGS = ("half", "none")


def _stack(layers, k, s, d, n, padding):
    """A chain of `layers` identical 1-D convolutions on an n-long input (cnnlib.Conv1d)."""
    from .layers import Conv1d
    from .model import Sequential

    p = (d * (k - 1)) // 2 if padding == "half" else 0
    return Sequential((1, n), [(f"conv{i + 1}", Conv1d(1, k, stride=s, padding=p, dilation=d))
                               for i in range(layers)]), p


def explain_rf_stack(layers: int = 3, k: int = 3, s: int = 1, d: int = 1, n: int = 64,
                     padding: str = "half") -> dict:
    """Receptive field of a stack of `layers` identical convolutions (kernel k, stride s,
    dilation d, padding "half" = ⌊d·(k − 1)/2⌋ or "none") on an n-long input, never raising.

    Per layer (from :func:`cnnlib.receptive_field`): r ← r + (k − 1)·d·j, j ← j·s,
    start ← start + ((span − 1)/2 − p)·j.  Keys: ok, message, p, span, rows (one dict per
    layer: name, out, r, j, start, r_before, j_before), r, j, positions (the input positions
    the centre unit of the last layer reads, :func:`cnnlib.receptive.field_positions`).

    >>> r = explain_rf_stack(3, 3)
    >>> r["r"], r["j"]
    (7, 1)
    >>> explain_rf_stack(6, 7, s=3, padding="none")["ok"]
    False
    """
    from .receptive import field_positions, receptive_field

    args = {"layers": layers, "k": k, "s": s, "d": d, "n": n, "padding": padding}
    fail = {"ok": False, "args": args, "rows": [], "r": None, "j": None, "positions": {}}
    if padding not in RF_PADDINGS:
        return {**fail, "message": f"padding must be one of {RF_PADDINGS}, got {padding!r}"}
    for name, v in (("layers", layers), ("k", k), ("s", s), ("d", d), ("n", n)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            return {**fail, "message": f"{name} must be a whole number ≥ 1, got {v!r}"}
    if layers > 64:
        return {**fail, "message": f"layers = {layers}: this calculator stacks at most 64"}
    try:
        model, p = _stack(layers, k, s, d, n, padding)
    except ShapeError as e:
        return {**fail, "message": str(e), "p": (d * (k - 1)) // 2 if padding == "half" else 0,
                "span": d * (k - 1) + 1}
    rf = receptive_field(model)
    rows = []
    for before, after, row in zip(rf, rf[1:], model.rows()[1:]):
        rows.append({"name": after.name, "out": row.out_shape[1], "r": after.size, "j": after.jump,
                     "start": after.start, "r_before": before.size, "j_before": before.jump})
    # the positions are drawn only for a field of at most RF_DRAW_MAX cells (a deep strided
    # stack reaches millions: the sizes above are exact either way)
    positions = field_positions(model)["input"] if rf[-1].size <= RF_DRAW_MAX else {}
    return {"ok": True, "args": args, "message": None, "p": p, "span": d * (k - 1) + 1, "rows": rows,
            "r": rf[-1].size, "j": rf[-1].jump, "start": rf[-1].start, "positions": positions}


def _num(x) -> str:
    """An exact number as a reader writes it: 3, 1.5, −0.5."""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return str(x).replace("-", "−")


def field_svg(positions: dict, n: int, *, width: int = 480) -> str:
    """The input along one axis (white: image, grey: padding) with the cells one unit reads
    shaded (blue; dilation leaves white gaps inside the field), and the field's extent as a
    line below. Empty string without positions.

    >>> field_svg({0: 1, 1: 1}, 4).count('class="rd"')
    1
    """
    if not positions:
        return ""
    lo, hi = min(min(positions), 0), max(max(positions), n - 1)
    cw = max(0.5, min(14.0, width / (hi - lo + 1)))
    w = (hi - lo + 1) * cw + 2

    def rect(cls, a, b):  # cells a … b − 1
        return f'<rect class="{cls}" x="{1 + (a - lo) * cw:.1f}" y="2" width="{(b - a) * cw:.1f}" height="14"/>'

    parts = [(f'<svg width="{w:.0f}" height="26" viewBox="0 0 {w:.1f} 26" role="img" '
              f'aria-label="input cells read by the centre unit">')]
    if lo < 0:
        parts.append(rect("pd", lo, 0))
    parts.append(rect("in", 0, n))
    if hi >= n:
        parts.append(rect("pd", n, hi + 1))
    read = sorted(positions)
    run = [read[0], read[0] + 1]
    for p in read[1:] + [None]:  # one rectangle per run of neighbouring cells read
        if p is not None and p == run[1]:
            run[1] += 1
            continue
        parts.append(rect("rd", *run))
        if p is not None:
            run = [p, p + 1]
    a, b = read[0], read[-1] + 1
    parts.append(f'<path d="M{1 + (a - lo) * cw:.1f} 21H{1 + (b - lo) * cw:.1f}" stroke="#1f5fa8" '
                 f'stroke-width="2"/></svg>')
    return "".join(parts)


_RF_CSS = ("<style>.cw .rd{fill:#1f5fa8}.cw .in{fill:#fff;stroke:#999;stroke-width:.5}"
           ".cw .pd{fill:#ddd;stroke:#999;stroke-width:.5}.cw table.rf td,.cw table.rf th{padding:1px 8px;text-align:right;"
           "white-space:nowrap}"
           ".cw table.rf{border-collapse:collapse;font-size:95%;margin:4px 0}</style>")


def rf_stack_html(layers: int = 3, k: int = 3, s: int = 1, d: int = 1, n: int = 64,
                  padding: str = "half") -> str:
    """HTML for the receptive-field slider: each layer's r and j with the numbers plugged in,
    the closing sentence, and the input cells the centre unit reads — or why the stack fails.

    >>> "r = 5 + 2·1 = <b>7</b>" in rf_stack_html(3, 3)
    True
    """
    r = explain_rf_stack(layers, k, s, d, n, padding)
    head = (f"{layers} × conv k = {k}, s = {s}, d = {d} (span d·(k − 1) + 1 = {d * (k - 1) + 1}), "
            f"padding {padding}")
    if not r["ok"]:
        return _pane([_html.escape(f"{head}, on an input of n = {n}: {r['message']}")], ok=False)
    span1 = r["span"] - 1
    body = [("<tr><th>layer</th><th>o</th><th>r ← r + (k − 1)·d·j</th><th>j ← j·s</th>"
             "<th>start</th></tr>")]
    for row in r["rows"]:
        body.append(f"<tr><td>{row['name']}</td><td>{row['out']}</td>"
                    f"<td>r = {_num(row['r_before'])} + {span1}·{_num(row['j_before'])} = <b>{_num(row['r'])}</b></td>"
                    f"<td>j = {_num(row['j_before'])}·{s} = <b>{_num(row['j'])}</b></td>"
                    f"<td>{_num(row['start'])}</td></tr>")
    rr, jj = r["r"], r["j"]
    reads = len(r["positions"])
    gaps = rr - reads if reads else 0
    if rr > n:
        where = f"<b>r = {_num(rr)} &gt; n = {n}</b>: the field is wider than the input; its outer cells are padding"
    else:
        where = f"r = {_num(rr)} of the n = {n} input cells"
    holes = (f"; {gaps} cell(s) inside it are read by no path (gaps left by dilation, or by a "
             f"stride larger than the kernel)" if gaps else "; every cell inside it is read" if reads
             else f" (too wide to draw cell by cell: more than {RF_DRAW_MAX:,})")
    return _pane([
        f"{_html.escape(head)}: p = {r['p']} on each side, input n = {n}",
        _RF_CSS + '<table class="rf f">' + "".join(body) + "</table>",
        (f"each unit of {r['rows'][-1]['name']} sees <b>{where}</b>{holes}; neighbouring units are "
         f"<b>j = {_num(jj)}</b> input cells apart"),
        field_svg(r["positions"], n),
        '<span style="color:#555">blue: cells the centre unit reads · white: image · grey: padding</span>',
    ])


RF_STACK_PARAMS = (
    Param("layers", _ints(1, 6), "L (layers)", 3, live=(1, 24)),
    Param("k", (1, 2, 3, 5, 7), "k (kernel)", 3, live=(1, 15)),
    Param("s", _ints(1, 3), "s (stride)", 1, live=(1, 4)),
    Param("d", _ints(1, 3), "d (dilation)", 1, live=(1, 8)),
    Param("padding", RF_PADDINGS, "padding", "half"),
)


# ------------------------------------------------------------------ MobileNet's two multipliers

#: the paper's Tables 6 and 7 (Howard et al., 2017): (α, input size) → (million MACs, million parameters)
MOBILENET_V1_PUBLISHED = {
    (1.0, 224): (569, 4.2), (0.75, 224): (325, 2.6), (0.5, 224): (149, 1.3), (0.25, 224): (41, 0.5),
    (1.0, 192): (418, 4.2), (1.0, 160): (290, 4.2), (1.0, 128): (186, 4.2),
}


def explain_mobilenet(alpha: float = 1.0, n: int = 224) -> dict:
    """MobileNet (v1) at width multiplier α and input n×n×3, from :func:`cnnlib.zoo.mobilenet_v1`,
    never raising: params, MACs, activation elements, the shares of the depthwise and pointwise
    layers, and the paper's published values where it gives them.

    >>> e = explain_mobilenet()
    >>> e["params"], round(e["macs"] / 1e6)
    (4231976, 569)
    """
    try:
        m = zoo.mobilenet_v1(alpha, input_size=n)
    except ShapeError as e:
        return {"ok": False, "message": str(e), "alpha": alpha, "n": n}
    rows = [r for r in m.rows() if r.layer is not None]
    dw = [r for r in rows if r.kind == "conv" and r.layer.groups > 1]
    pw = [r for r in rows if r.kind == "conv" and r.layer.groups == 1 and r.layer.kernel_size == (1, 1)]
    t = m.totals()
    return {"ok": True, "message": None, "alpha": alpha, "n": n, "params": t["params"], "macs": t["macs"],
            "activations": t["activation_elements"], "last": m.row("conv_pw_13").out_shape,
            "dw_macs": sum(r.macs for r in dw), "pw_macs": sum(r.macs for r in pw),
            "dw_params": sum(r.params for r in dw), "pw_params": sum(r.params for r in pw),
            "published": MOBILENET_V1_PUBLISHED.get((alpha, n))}


def mobilenet_html(alpha: float = 1.0, n: int = 224) -> str:
    """HTML for the MobileNet slider: parameters, MACs and activations at (α, n), against
    α = 1 at 224 and against VGG-16, with the paper's value where it has one — or why not.

    >>> "4,231,976" in mobilenet_html()
    True
    """
    e = explain_mobilenet(alpha, n)
    if not e["ok"]:
        return _pane([_html.escape(f"MobileNet α = {alpha}, {n}×{n}×3: {e['message']}")], ok=False)
    base = explain_mobilenet(1.0, 224)
    vgg = zoo.vgg(16)
    lines = [
        (f"MobileNet, width multiplier <b>α = {alpha:g}</b>, input <b>{n}×{n}×3</b> "
         f"(last map {shape_text(e['last'])})"),
        (f"parameters <b>{e['params']:,}</b> ({e['params'] / base['params']:.1%} of α = 1; "
         f"VGG-16 has {vgg.total_params / e['params']:.0f}× more)"),
        (f"MACs <b>{e['macs']:,}</b> ({e['macs'] / base['macs']:.1%} of α = 1 at 224; "
         f"VGG-16 needs {vgg.macs / e['macs']:.0f}× more)"),
        f"activation elements {e['activations']:,} = {4 * e['activations'] / 1e6:.1f} MB in float32",
        (f"1×1 (pointwise) layers: {e['pw_macs'] / e['macs']:.1%} of the MACs, "
         f"{e['pw_params'] / e['params']:.1%} of the parameters; depthwise 3×3: "
         f"{e['dw_macs'] / e['macs']:.1%} of the MACs"),
    ]
    pub = e["published"]
    if pub:
        lines.append(f'<span style="color:#555">the paper (Tables 6–7): {pub[0]} M MACs, {pub[1]} M parameters '
                     f"— cnnlib: {e['macs'] / 1e6:.0f} M, {e['params'] / 1e6:.1f} M</span>")
    return _pane(lines)


MOBILENET_PARAMS = (
    Param("alpha", (0.25, 0.5, 0.75, 1.0), "α (width multiplier)", 1.0),
    Param("n", (128, 160, 192, 224), "n (input n×n×3)", 224, live=(32, 1024)),
)
