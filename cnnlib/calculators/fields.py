"""The receptive-field and after-VGG chapters' sliders: a stack of identical layers (r, j,
start and the cells read) and MobileNet's width and resolution multipliers."""

from __future__ import annotations

import html as _html

from .. import zoo
from ..errors import ShapeError
from ..shapes import shape_text
from .base import Param, _ints, _pane

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
    from ..layers import Conv1d
    from ..model import Sequential

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
    from ..receptive import field_positions, receptive_field

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
