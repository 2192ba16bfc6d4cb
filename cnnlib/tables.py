"""Summaries for people, in the standard library: records, a Keras/torchinfo-style text table,
Markdown and an HTML table (what the page shows when it runs cnnlib, where there is no pandas).

Everything here formats ``model.rows()``; no number is computed twice.  Shapes are written
in the order the caller asks for (:mod:`cnnlib.shapes`: "HWC", the default, or "CHW") and
every table says which.  The pandas versions (a DataFrame, a styled table) are in
:mod:`cnnlib.book.frames`.

>>> from cnnlib import Sequential, Conv2d, Flatten, Dense
>>> m = Sequential((1, 10, 10), [Conv2d(1, 3), Flatten(), Dense(2)], name="tiny")
>>> print(text_table(m).splitlines()[0])
Model: "tiny" — shapes H×W×C (as the sources write them; cnnlib's tuples are C×H×W)
"""

from __future__ import annotations

import hashlib
import html as _html

from .shapes import COLUMNS, ORDERS, check_order, shape_text

__all__ = ["CONVENTIONS", "footer_lines", "html_table", "markdown_table", "records", "text_table",
           "totals_record"]

CONVENTIONS = (
    "params = weights + biases (PyTorch's parameters(); BatchNorm running statistics are "
    "buffers, not counted); MACs = multiply–accumulates of conv and dense layers for one "
    "input, bias adds not counted; activations = input + outputs of conv, pool, dense, "
    "BatchNorm and LRN layers (activation functions and dropout act in place, Flatten is a "
    "view), as in the CS231n VGG table"
)

NUMERIC = ("weights", "biases", "params", "MACs", "activations")


def _record(row, order) -> dict:
    return {
        "name": row.name, "type": row.type, "kernel/stride/padding": row.hyper,
        "output shape": shape_text(row.out_shape, order), "weights": row.weights,
        "biases": row.biases, "params": row.params, "MACs": row.macs,
        "activations": row.activations,
    }


def records(model, order: str = "HWC", rows=None) -> list[dict]:
    """One dict per row of ``model.rows()`` (input first), shapes in `order`."""
    order = check_order(order)
    return [_record(r, order) for r in (model.rows() if rows is None else rows)]


def totals_record(model, order: str = "HWC", rows=None, name: str = "total") -> dict:
    """The totals row of a table: the columns' sums and the model's output shape."""
    t = model.totals(rows)
    return {"name": name, "type": "", "kernel/stride/padding": "",
            "output shape": shape_text(model.output_shape, check_order(order)),
            "weights": t["weights"], "biases": t["biases"], "params": t["params"], "MACs": t["macs"],
            "activations": t["activation_elements"]}


def _title(model, order) -> str:
    name = f'Model: "{model.name}"' if model.name else "Model"
    api = "C×H×W" if order == "HWC" else "H×W×C"
    how = ("as the sources write them; cnnlib's tuples are C×H×W" if order == "HWC"
           else f"cnnlib's and PyTorch's tuple order; the sources write {api}")
    return f"{name} — shapes {ORDERS[order]} ({how})"


def footer_lines(model, rows=None) -> list[str]:
    """The totals under a table, each with its convention."""
    rows = model.rows() if rows is None else rows
    t = model.totals(rows)
    mem = model.memory(rows=rows)
    return [
        f"Total params: {t['params']:,} (weights {t['weights']:,} + biases {t['biases']:,})",
        f"Buffers, not parameters (BatchNorm running statistics): {t['buffers']:,}",
        (f"MACs: {t['macs']:,} (conv + dense multiply–accumulates, one input; "
         f"bias adds not counted: {t['bias_adds']:,})"),
        (f"Activation elements: {t['activation_elements']:,} (input + conv/pool/dense/BN/LRN outputs; "
         f"activations and dropout in place)"),
        f"Memory: {mem}",
    ]


def text_table(model, order: str = "HWC") -> str:
    """Keras/torchinfo-style text: a header, one line per row, totals below."""
    order = check_order(order)
    heads = ["Layer", "Type", "Kernel/stride/pad", "Output shape", "Params", "MACs", "Activations"]
    keys = ["name", "type", "kernel/stride/padding", "output shape", "params", "MACs", "activations"]
    numeric = {"params", "MACs", "activations"}
    rows = model.rows()
    body = [[f"{rec[k]:,}" if k in numeric else str(rec[k]) for k in keys]
            for rec in records(model, order, rows)]
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(heads)]

    def line(cells):
        return "  ".join(c.rjust(w) if keys[i] in numeric else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    rule = "=" * (sum(widths) + 2 * (len(widths) - 1))
    lines = [_title(model, order), rule, line(heads), rule]
    lines += [line(r) for r in body]
    lines += [rule, *footer_lines(model, rows), rule]
    return "\n".join(lines)


def markdown_table(model, order: str = "HWC") -> str:
    """The summary as a Markdown table (pipe syntax) with a totals row."""
    order = check_order(order)
    rows = model.rows()
    head = "| " + " | ".join(COLUMNS) + " |"
    align = "| " + " | ".join("---:" if c in NUMERIC else "---" for c in COLUMNS) + " |"
    lines = [f"*Shapes {ORDERS[order]}.*", "", head, align]
    for rec in records(model, order, rows):
        lines.append("| " + " | ".join(f"{rec[c]:,}" if c in NUMERIC else str(rec[c]).replace(
            "|", "\\|") for c in COLUMNS) + " |")
    tot = totals_record(model, order, rows, name="**total**")
    lines.append("| " + " | ".join(f"**{tot[c]:,}**" if c in NUMERIC else str(tot[c])
                                    for c in COLUMNS) + " |")
    return "\n".join(lines)


#: the columns of the HTML tables, in display order: what a reader sums first (params and its
#: share) comes right after the shape, so it stays in view when a narrow page scrolls the rest
HTML_COLUMNS = ("name", "type", "kernel/stride/padding", "output shape", "params", "params %",
                "weights", "biases", "MACs", "activations")
HTML_HEADS = {"kernel/stride/padding": "kernel, stride, padding"}

TABLE_CSS = (
    ".cnnlib-summary{border-collapse:collapse;font-size:90%;margin:.5em 0}"
    ".cnnlib-summary th,.cnnlib-summary td{padding:2px 8px;white-space:nowrap;text-align:left}"
    ".cnnlib-summary th{white-space:normal;vertical-align:bottom;border-bottom:1px solid #888}"
    ".cnnlib-summary td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".cnnlib-summary tr.total td{font-weight:bold;border-top:2px solid}"
    ".cnnlib-summary .bar{display:inline-block;height:.8em;background:#88aadd;vertical-align:middle;"
    "margin-right:4px}"
    ".cnnlib-summary caption{caption-side:bottom;text-align:left;font-size:85%;white-space:normal;"
    "max-width:min(40em,calc(100vw - 3rem));position:sticky;left:0}"
)


def html_table(model, order: str = "HWC", *, caption: bool = True) -> str:
    """The summary as one HTML table (no pandas): a row per layer, a params-share bar, the
    totals row, and a caption with the shape order and the conventions.

    >>> from cnnlib import Sequential, Dense
    >>> "1,010" in html_table(Sequential((100,), [Dense(10)]))
    True
    """
    order = check_order(order)
    rows = model.rows()
    recs = records(model, order, rows)
    tot = totals_record(model, order, rows)
    total = tot["params"]
    ident = hashlib.sha1(f"{model.name}|{model.input_shape}|{len(recs)}|{total}|{order}".encode())
    out = [(f'<style>{TABLE_CSS}</style><table class="cnnlib-summary" '
            f'id="cnnlib-{ident.hexdigest()[:10]}"><thead><tr>')]
    out += [f'<th>{_html.escape(HTML_HEADS.get(c, c))}</th>' for c in HTML_COLUMNS]
    out.append("</tr></thead><tbody>")
    for rec in [*recs, tot]:
        cls = ' class="total"' if rec is tot else ""
        share = 100.0 * rec["params"] / total if total else 0.0
        cells = []
        for c in HTML_COLUMNS:
            if c == "params %":
                bar = f'<span class="bar" style="width:{share * 0.6:.1f}px"></span>' if share else ""
                cells.append(f'<td class="num">{bar}{share:.1f}</td>')
            elif c in NUMERIC:
                cells.append(f'<td class="num">{rec[c]:,}</td>')
            else:
                cells.append(f"<td>{_html.escape(str(rec[c]))}</td>")
        out.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    out.append("</tbody>")
    if caption:
        out.append(f"<caption>{_html.escape(model.name or 'model')}: shapes {ORDERS[order]}. "
                   f"{_html.escape(CONVENTIONS)}.</caption>")
    out.append("</table>")
    return "".join(out)
