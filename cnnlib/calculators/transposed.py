"""The transposed-convolution chapter's slider: one dimension of a transposed convolution
as a direct convolution over the stretched, padded input."""

from __future__ import annotations

import html as _html

from ..arithmetic import (
    conv_output_size,
)
from ..errors import ShapeError
from .base import CSS, Param, _failed, _ints

# ====================================================================================
# Transposed convolution (chapter "Transposed convolution and upsampling")
# ------------------------------------------------------------------------------------
# explain_transpose / transpose_svg / transpose_html and TRANSPOSE_PARAMS: the slider over
# n, k, s, p and output_padding of one transposed-convolution dimension.



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
    from ..upsampling import (
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
    cs, x0 = 24, 52  # 14 px text in 22 px cells: legible on a phone and on a projected slide
    width = x0 + (hi - lo) * cs + 4
    height = 80
    lines = [(f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
              'aria-label="stretched input and outputs" style="max-width:100%;height:auto">'),
             '<text x="0" y="27" style="font:14px sans-serif">input</text>',
             '<text x="0" y="67" style="font:14px sans-serif">taps</text>']
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
            lines.append(f'<text x="{x + cs // 2 - 1}" y="27" text-anchor="middle" '
                         f'style="font:14px sans-serif">{label}</text>')
    # the first output's window: from stretched position −before, span cells
    x1 = x0 + (-before - lo) * cs
    lines.append(f'<path d="M{x1} 7V3H{x1 + (span - 1) * cs + cs - 2}V7" '
                 'style="fill:none;stroke:#1f5fa8;stroke-width:1.5"/>')
    for o, t in enumerate(r["taps"]):
        centre = o - before + (span - 1) / 2  # stretched coordinate under the window's centre
        x = x0 + (centre - lo) * cs
        shade = round(235 - 150 * t / top)
        lines.append(f'<rect x="{x:g}" y="52" width="{cs - 2}" height="{cs - 2}" '
                     f'style="fill:rgb({shade},{shade + 10},255);stroke:#1f5fa8"/>')
        lines.append(f'<text x="{x + cs / 2 - 1:g}" y="67" text-anchor="middle" '
                     f'style="font:14px sans-serif">{t}</text>')
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
