"""The sliders' building blocks: Param, the window explanations of one dimension (conv,
pool, channels), their panes and SVG, and the pane helpers every calculator uses."""

from __future__ import annotations

import functools
import html as _html
from dataclasses import dataclass

from ..arithmetic import (
    conv_formula,
    conv_output_size,
    conv_window,
    effective_kernel,
    pool_formula,
    pool_output_size,
    pool_window,
)
from ..errors import DimensionProblem, ShapeError
from ..layers import Conv2d

# ------------------------------------------------------------------ parameters


@dataclass(frozen=True)
class Param:
    """One slider: a keyword argument name, the values it can take, a label, a default.

    ``values`` is a tuple (ints, bools or strings); the slider moves over its positions.
    ``live`` is the range (lo, hi) of whole numbers the live page accepts for this argument
    (any number typed in, not only the slider's values); None keeps the live page to
    ``values`` (bools, strings).  :mod:`cnnlib.live` refuses anything else with a message.
    ``shown`` names the values on the slider's readout where ``str`` would read like code
    (``("no", "yes")`` for a switch); the live page accepts those names back.

    >>> p = Param("second_pool", (False, True), "second max pool", True, shown=("no", "yes"))
    >>> p.show(True), Param("k", (1, 2)).show(2)
    ('yes', '2')
    """

    name: str
    values: tuple
    label: str = ""
    default: object = None
    live: tuple | None = None
    shown: tuple | None = None

    def __post_init__(self):
        if self.shown is not None and len(self.shown) != len(self.values):
            raise ValueError(f"{self.name}: shown names {len(self.shown)} values, the slider has {len(self.values)}")

    def show(self, value) -> str:
        """The readout of ``value``: its name in ``shown``, else ``str(value)``."""
        if self.shown is not None:
            for v, name in zip(self.values, self.shown):
                if v == value and type(v) is type(value):
                    return name
        return str(value)

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


# ------------------------------------------------------------------ panes


# ------------------------------------------------------------------ network panes


def _pane(lines, ok=True) -> str:
    body = "\n".join(f"<div>{line}</div>" for line in lines)
    return f'{CSS}<div class="cw">{body}</div>' if ok else \
        f'{CSS}<div class="cw"><div class="bad"><b>No output:</b></div><div class="bad f">{body}</div></div>'


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
