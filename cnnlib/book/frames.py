"""Summaries as pandas objects for notebooks: a DataFrame and a styled table.

Both format the same records as :mod:`cnnlib.tables` (the standard-library tables the page
shows); pandas is imported inside the functions.
"""

from __future__ import annotations

import hashlib

from ..shapes import COLUMNS, ORDERS, check_order
from ..tables import CONVENTIONS, records, totals_record

__all__ = ["commas", "styled_table", "summary_frame"]


def _columns(columns):
    if columns is None:
        return list(COLUMNS)
    bad = [c for c in columns if c not in COLUMNS]
    if bad:
        raise ValueError(f"unknown column(s) {bad}; choose from {list(COLUMNS)}")
    return list(columns)


def summary_frame(model, columns=None, order: str = "HWC"):
    """A DataFrame, one row per row of ``model.rows()`` (input first); ``attrs`` state the shape
    order and the conventions; every total is the sum of its column."""
    import pandas as pd

    order = check_order(order)
    df = pd.DataFrame(records(model, order), columns=list(COLUMNS))[_columns(columns)]
    df.attrs["shape_order"] = ORDERS[order]
    df.attrs["conventions"] = CONVENTIONS
    return df


def styled_table(model, order: str = "HWC"):
    """A pandas Styler for notebooks: thousands separators, a params-share column, totals row."""
    import pandas as pd

    order = check_order(order)
    df = summary_frame(model, order=order)
    total = totals_record(model, order)
    t = {"params": total["params"]}
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
                  # … and within the screen, kept in view while a wide table scrolls sideways
                  {"selector": "caption", "props": "caption-side: bottom; text-align: left; "
                                                   "font-size: 85%; white-space: normal; "
                                                   "max-width: min(40em, calc(100vw - 3rem)); "
                                                   "position: sticky; left: 0"},
              ], overwrite=False))
    # pandas draws a random table id on every call; a stable one keeps nbval outputs identical.
    ident = hashlib.sha1(f"{model.name}|{model.input_shape}|{len(df)}|{t['params']}|{order}".encode())
    return styler.set_uuid("cnnlib-" + ident.hexdigest()[:10])


def commas(frame):
    """A DataFrame with every integer cell written with thousands separators (for display).

    >>> import pandas as pd
    >>> commas(pd.DataFrame({"params": [37752832, 0]}))["params"].tolist()
    ['37,752,832', '0']
    """
    import numbers

    return frame.map(lambda v: f"{v:,}" if isinstance(v, numbers.Integral) and not isinstance(v, bool)
                     else v)
