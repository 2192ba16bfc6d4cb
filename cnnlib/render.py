"""Summaries for people: a pandas DataFrame, a Keras/torchinfo-style text table, a styled table.

Everything here formats ``Sequential.rows()``; no number is computed twice.  Shapes are
written in the order the caller asks for — "HWC" (55×55×96, as the sources and Keras
write them; the default) or "CHW" (96×55×55, cnnlib's and PyTorch's tuple order) — and
every table says which.

>>> from cnnlib import Sequential, Conv2d, Flatten, Dense
>>> m = Sequential((1, 10, 10), [Conv2d(1, 3), Flatten(), Dense(2)], name="tiny")
>>> print(text_table(m).splitlines()[0])
Model: "tiny" — shapes H×W×C (as the sources write them; cnnlib's tuples are C×H×W)
"""

from __future__ import annotations

import hashlib

from .diagram import ORDER_LABELS, shape_label
from .model import COLUMNS

__all__ = ["ORDERS", "markdown_table", "styled_table", "summary_frame", "text_table"]

ORDERS = ORDER_LABELS  # shape order → its name in captions (one table, in diagram.py)

CONVENTIONS = (
    "params = weights + biases (PyTorch's parameters(); BatchNorm running statistics are "
    "buffers, not counted); MACs = multiply–accumulates of conv and dense layers for one "
    "input, bias adds not counted; activations = input + outputs of conv, pool, dense, "
    "BatchNorm and LRN layers (activation functions and dropout act in place, Flatten is a "
    "view), as in the CS231n VGG table"
)


def _order(order: str) -> str:
    key = str(order).upper()
    if key not in ORDERS:
        raise ValueError(f"order must be 'HWC' or 'CHW', got {order!r}")
    return key


def _record(row, order) -> dict:
    return {
        "name": row.name, "type": row.type, "kernel/stride/padding": row.hyper,
        "output shape": shape_label(row.out_shape, order), "weights": row.weights,
        "biases": row.biases, "params": row.params, "MACs": row.macs,
        "activations": row.activations,
    }


def _columns(columns):
    if columns is None:
        return list(COLUMNS)
    bad = [c for c in columns if c not in COLUMNS]
    if bad:
        raise ValueError(f"unknown column(s) {bad}; choose from {list(COLUMNS)}")
    return list(columns)


def records(model, order: str = "HWC", rows=None) -> list[dict]:
    """One dict per row of ``model.rows()`` (input first), shapes in `order`."""
    order = _order(order)
    return [_record(r, order) for r in (model.rows() if rows is None else rows)]


def summary_frame(model, columns=None, order: str = "HWC"):
    """``model.summary()``: a DataFrame of the rows; ``attrs`` state shape order and conventions."""
    import pandas as pd

    order = _order(order)
    df = pd.DataFrame(records(model, order), columns=list(COLUMNS))[_columns(columns)]
    df.attrs["shape_order"] = ORDERS[order]
    df.attrs["conventions"] = CONVENTIONS
    return df


def _totals(model, rows=None) -> dict:
    t = model.totals(rows)
    t["activations"] = t["activation_elements"]
    return t


def _title(model, order) -> str:
    name = f'Model: "{model.name}"' if model.name else "Model"
    api = "C×H×W" if order == "HWC" else "H×W×C"
    how = ("as the sources write them; cnnlib's tuples are C×H×W" if order == "HWC"
           else f"cnnlib's and PyTorch's tuple order; the sources write {api}")
    return f"{name} — shapes {ORDERS[order]} ({how})"


def footer_lines(model, rows=None) -> list[str]:
    """The totals under a table, each with its convention."""
    rows = model.rows() if rows is None else rows
    t = _totals(model, rows)
    mem = model.memory(rows=rows)
    return [
        f"Total params: {t['params']:,} (weights {t['weights']:,} + biases {t['biases']:,})",
        f"Buffers, not parameters (BatchNorm running statistics): {t['buffers']:,}",
        (f"MACs: {t['macs']:,} (conv + dense multiply–accumulates, one input; "
         f"bias adds not counted: {t['bias_adds']:,})"),
        (f"Activation elements: {t['activations']:,} (input + conv/pool/dense/BN/LRN outputs; "
         f"activations and dropout in place)"),
        f"Memory: {mem}",
    ]


def text_table(model, order: str = "HWC") -> str:
    """Keras/torchinfo-style text: a header, one line per leaf layer, totals below."""
    order = _order(order)
    heads = ["Layer", "Type", "Kernel/stride/pad", "Output shape", "Params", "MACs", "Activations"]
    keys = ["name", "type", "kernel/stride/padding", "output shape", "params", "MACs", "activations"]
    numeric = {"params", "MACs", "activations"}
    body = []
    rows = model.rows()
    for rec in records(model, order, rows):
        body.append([f"{rec[k]:,}" if k in numeric else str(rec[k]) for k in keys])
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(heads)]

    def line(cells):
        out = []
        for i, (c, w) in enumerate(zip(cells, widths)):
            out.append(c.rjust(w) if keys[i] in numeric else c.ljust(w))
        return "  ".join(out).rstrip()

    width = sum(widths) + 2 * (len(widths) - 1)
    rule = "=" * width
    lines = [_title(model, order), rule, line(heads), rule]
    lines += [line(r) for r in body]
    lines += [rule, *footer_lines(model, rows), rule]
    return "\n".join(lines)


def markdown_table(model, order: str = "HWC") -> str:
    """The summary as a Markdown table (pipe syntax) with a totals row."""
    order = _order(order)
    numeric = {"weights", "biases", "params", "MACs", "activations"}
    recs = records(model, order)
    head = "| " + " | ".join(COLUMNS) + " |"
    align = "| " + " | ".join("---:" if c in numeric else "---" for c in COLUMNS) + " |"
    lines = [f"*Shapes {ORDERS[order]}.*", "", head, align]
    for rec in recs:
        lines.append("| " + " | ".join(f"{rec[c]:,}" if c in numeric else str(rec[c]).replace(
            "|", "\\|") for c in COLUMNS) + " |")
    t = _totals(model)
    tot = {"name": "**total**", "type": "", "kernel/stride/padding": "",
           "output shape": shape_label(model.output_shape, order), "weights": t["weights"],
           "biases": t["biases"], "params": t["params"], "MACs": t["macs"],
           "activations": t["activations"]}
    lines.append("| " + " | ".join(f"**{tot[c]:,}**" if c in numeric else str(tot[c])
                                    for c in COLUMNS) + " |")
    return "\n".join(lines)


def styled_table(model, order: str = "HWC"):
    """A pandas Styler for notebooks: thousands separators, a params-share column, totals row."""
    import pandas as pd

    order = _order(order)
    df = summary_frame(model, order=order)
    t = _totals(model)
    total = {"name": "total", "type": "", "kernel/stride/padding": "",
             "output shape": shape_label(model.output_shape, order), "weights": t["weights"],
             "biases": t["biases"], "params": t["params"], "MACs": t["macs"],
             "activations": t["activations"]}
    df = pd.concat([df, pd.DataFrame([total])], ignore_index=True)
    df.insert(df.columns.get_loc("params") + 1, "params %",
              100.0 * df["params"] / t["params"] if t["params"] else 0.0)
    # The columns a reader sums first (params and its share) come right after the shape, so
    # they are in view when a narrow text column scrolls the rest sideways.
    first = ["name", "type", "kernel/stride/padding", "output shape", "params", "params %"]
    df = df[first + [c for c in df.columns if c not in first]]
    # headers may wrap (cells do not): "kernel, stride, padding" over "3×3 s1 p1" saves a column
    df = df.rename(columns={"kernel/stride/padding": "kernel, stride, padding"})
    ints = ["weights", "biases", "params", "MACs", "activations"]
    last = len(df) - 1
    styler = (df.style.hide(axis="index")
              .format("{:,}", subset=ints)
              .format("{:.1f}", subset=["params %"])
              .set_caption(f"{model.name or 'model'}: shapes {ORDERS[order]}. {CONVENTIONS}.")
              .apply(lambda r: ["font-weight: bold; border-top: 2px solid"
                                if r.name == last else "" for _ in r], axis=1)
              .bar(subset=["params %"], vmin=0, vmax=100, color="#88aadd")
              .set_properties(subset=ints + ["params %"], **{"text-align": "right"})
              .set_table_styles([
                  {"selector": "", "props": "font-size: 90%"},
                  {"selector": "th, td", "props": "padding: 2px 8px; white-space: nowrap"},
                  {"selector": "th", "props": "white-space: normal; vertical-align: bottom"},
                  # a caption is as wide as its table: cap it so it wraps inside the text column
                  {"selector": "caption", "props": "caption-side: bottom; text-align: left; "
                                                   "font-size: 85%; white-space: normal; "
                                                   "max-width: 40em"},
              ], overwrite=False))
    # pandas draws a random table id on every call; a stable one keeps nbval outputs identical.
    ident = hashlib.sha1(f"{model.name}|{model.input_shape}|{len(df)}|{t['params']}|{order}".encode())
    return styler.set_uuid("cnnlib-" + ident.hexdigest()[:10])
