"""Figures and tables of the receptive-field chapter: stacked windows in 1-D, r and j layer by
layer, theoretical vs effective fields.

Every number drawn comes from the core: the cells a unit reaches and the paths to them from
:func:`cnnlib.receptive.field_positions`, the sizes, jumps and starts from
:func:`cnnlib.receptive_field`, the effective width from :func:`cnnlib.receptive.effective_field`
— so a figure, its caption and the table beside it cannot disagree.  matplotlib and pandas are
imported inside the functions.
"""

from __future__ import annotations

from .. import layout as _layout
from ..receptive import effective_field, field_positions, receptive_field

__all__ = ["effective_figure", "effective_rows", "rf_frame", "rf_records", "stacked_windows", "styled"]

BLUE, LIGHT, GREY, EDGE = "#1f5fa8", "#9ec3ea", "#dddddd", "#555555"


def _plain(x):
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def _fmt(x) -> str:
    """A size, jump or start as the tables write it: 212, 15.5, −64 (a tuple: one per axis)."""
    if isinstance(x, tuple):
        return " × ".join(_fmt(v) for v in x)
    return f"{float(x):g}".replace("-", "−")


def styled(df, uuid: str, *, caption: str = "", ints=(), right=()):
    """A small DataFrame as the book's tables look: no index, cell padding, thousands separators
    in the ``ints`` columns, ``right``-aligned number columns, an optional caption below."""
    styler = df.style.hide(axis="index")
    if ints:
        styler = styler.format("{:,}", subset=list(ints))
    if ints or right:
        styler = styler.set_properties(subset=list(ints) + list(right), **{"text-align": "right"})
    if caption:
        styler = styler.set_caption(caption)
    return styler.set_table_styles([
        {"selector": "", "props": "font-size: 90%; margin: .5em 0"},
        {"selector": "th, td", "props": "padding: 2px 10px; white-space: nowrap"},
        {"selector": "th", "props": "white-space: normal; vertical-align: bottom; text-align: left"},
        {"selector": "caption", "props": "caption-side: bottom; text-align: left; font-size: 85%; "
                                         "white-space: normal; max-width: 40em"}], overwrite=False
    ).set_uuid(uuid)


def stacked_windows(model, *, unit: int | None = None, ax=None, title: str | None = None,
                    counts: bool = False, fontsize: float = 11, dpi: float = 90):
    """A 1-D picture of a chain's windows: the input at the bottom, one strip per layer above,
    each unit drawn over the centre of its own field (position start + i·j, width j), so a
    strided layer's cells are wider.  The chosen unit of the top layer (default: the centre)
    and every unit it reaches below are blue, joined to the cells they read; padding cells
    are grey.  Right of each strip: the layer's r and j.  Below the input: the field's extent.
    ``counts=True`` writes in each reached input cell the number of paths to the unit.

    ``model`` is a chain on a 1-D input, such as ``Sequential((1, 11), [Conv1d(1, 3), …])``.
    Returns the Figure.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    rows = model.rows()
    rf = receptive_field(model)
    top = rows[-1].name
    reach = field_positions(model, top, unit)
    levels = len(rows)
    xs_all = []
    for row, f in zip(rows, rf):  # every cell drawn: the map and any padding cell reached
        cells = set(range(row.out_shape[1])) | set(reach.get(row.name, {}))
        xs_all += [f.start + min(cells) * f.jump - f.jump / 2, f.start + max(cells) * f.jump + f.jump / 2]
    inp = reach["input"]
    left, right = min(xs_all), max(xs_all)
    width_in = min(max(5.0, 0.42 * (right - left) + 3.2), 13.0)
    if ax is None:
        fig = Figure(figsize=(width_in, 0.9 * levels + 1.2 + (0.35 if title else 0)), dpi=dpi,
                     layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    h = 0.5
    centre = {}  # (level, position) → x of the cell's centre
    for lvl, (row, f) in enumerate(zip(rows, rf)):
        n = row.out_shape[1]
        got = reach.get(row.name, {})
        positions = sorted(set(range(n)) | set(got))
        for i in positions:
            x = f.start + i * f.jump
            centre[(lvl, i)] = x
            pad = i < 0 or i >= n
            face = (BLUE if lvl == levels - 1 else LIGHT) if i in got else (GREY if pad else "white")
            if lvl == 0 and i in got:
                face = BLUE
            ax.add_patch(Rectangle((x - f.jump / 2 + 0.04, lvl - h / 2), f.jump - 0.08, h, facecolor=face,
                                   edgecolor=EDGE, lw=0.8, ls="--" if pad else "-", zorder=3))
            if counts and lvl == 0 and i in got:
                ax.text(x, lvl, str(got[i]), ha="center", va="center", fontsize=fontsize * 0.85,
                        color="white", zorder=4, fontweight="bold")
        label = "input" if lvl == 0 else f"{row.name}  {row.hyper}"
        ax.text(left - 0.6, lvl, label, ha="right", va="center", fontsize=fontsize)
        ax.text(right + 0.6, lvl, f"r = {_plain(f.size)}, j = {_plain(f.jump)}", ha="left", va="center",
                fontsize=fontsize, color=BLUE if lvl else "black")
    # lines from each reached unit to the cells it reads
    for lvl in range(levels - 1, 0, -1):
        row = rows[lvl]
        step = row.facts.rf
        if not isinstance(step, tuple):
            continue
        st = step[0]
        for i in reach.get(row.name, {}):
            first = i * st.s - st.before
            for t in range(st.k):
                below = first + t * st.d
                if (lvl - 1, below) in centre:
                    ax.plot([centre[(lvl, i)], centre[(lvl - 1, below)]], [lvl - h / 2, lvl - 1 + h / 2],
                            color=BLUE, lw=0.8, alpha=0.6, zorder=2)
    a, b = min(inp) - 0.5, max(inp) + 0.5
    ax.annotate("", xy=(a, -0.62), xytext=(b, -0.62),
                arrowprops={"arrowstyle": "|-|", "color": BLUE, "lw": 1.2, "shrinkA": 0, "shrinkB": 0})
    ax.text((a + b) / 2, -0.78, f"receptive field: {_plain(rf[-1].size)} input cells", ha="center", va="top",
            fontsize=fontsize, color=BLUE)
    ax.set_xlim(left - 0.5, right + 0.5)
    ax.set_ylim(-1.2, levels - 0.5)
    ax.set_aspect("auto")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=fontsize * 1.15, loc="left")
    return fig


def rf_records(model, *, only=None, changes_only: bool = False) -> list[dict]:
    """One dict per row: name, layer (kernel/stride/padding), output size, r, j, start and the
    note, from :func:`cnnlib.receptive_field`.  ``only`` keeps the rows whose names it lists
    (or for which it returns True); ``changes_only`` keeps the rows where r or j changes.
    After a dense layer or global pooling r is None: the unit sees the whole input."""
    out, prev = [], None
    for row, f in zip(model.rows(), receptive_field(model)):
        keep = True
        if only is not None:
            keep = only(row.name) if callable(only) else row.name in only
        if changes_only and prev is not None and (f.size, f.jump) == prev:
            keep = keep and only is not None and not callable(only)
        if keep:
            spatial = row.out_shape[1:]
            out.append({"layer": row.name, "type": row.type, "kernel, stride, padding": row.hyper,
                        "output": "×".join(map(str, spatial)) if spatial else str(row.out_shape[0]),
                        "r": "whole input" if f.size is None else _fmt(f.size),
                        "j": "—" if f.jump is None else _fmt(f.jump),
                        "start": "—" if f.start is None else _fmt(f.start),
                        "note": f.note if f.size is not None else ""})
        prev = (f.size, f.jump)
    return out


def rf_frame(model, *, only=None, changes_only: bool = False, uuid: str | None = None):
    """:func:`rf_records` as a pandas Styler (no index, a caption saying what r, j and start are)."""
    import pandas as pd

    df = pd.DataFrame(rf_records(model, only=only, changes_only=changes_only))
    if not df["note"].astype(bool).any():
        df = df.drop(columns="note")
    return styled(df, uuid or f"rf-{model.name or 'model'}", right=("r", "j", "start"), caption=(
        f"{model.name or 'model'}: r = input pixels one unit sees (along one side), j = input pixels "
        "between neighbouring units, start = input coordinate of the first unit's centre "
        "(negative: in the padding); output = height×width of the map."))


def effective_rows(depths, k: int = 3, share: float = 0.95, n: int | None = None) -> list[dict]:
    """For stacks of L = each of ``depths`` k×k stride-1 convolutions (1-D, no padding needed):
    the theoretical field r, the effective width holding ``share`` of the paths, and their ratio.
    """
    from ..layers import Conv1d
    from ..model import Sequential

    out = []
    for depth in depths:
        size = n or (depth * (k - 1) + 1)
        m = Sequential((1, size), [Conv1d(1, k) for _ in range(depth)])
        paths = field_positions(m)["input"]
        r = receptive_field(m)[-1].size
        e = effective_field(paths, share)
        out.append({"L": depth, "r": r, "effective": e, "ratio": e / r, "paths": paths})
    return out


def effective_figure(depths=tuple(range(1, 33)), k: int = 3, share: float = 0.95, *, show=(2, 8, 32),
                     fontsize: float | None = None, dpi: float = 90, layout: str | None = None):
    """Left: theoretical r and the effective width (``share`` of the paths) against depth L for a
    stack of k-wide convolutions. Right: the paths to the centre unit for a few depths
    (``show``), each scaled to its peak — the profile narrows relative to r as L grows.
    Returns the Figure.  ``layout="slide"`` (:mod:`cnnlib.layout`): every text at 16 pt, the
    legends under the charts, 12.8 inches wide."""
    from matplotlib.figure import Figure

    slide = _layout.resolve(layout) == "slide"
    fontsize = fontsize or (16 if slide else 11)
    rows = effective_rows(depths, k, share)
    fig = Figure(figsize=(12.8, 6.2) if slide else (12, 3.9), dpi=dpi, layout="constrained")
    a, b = fig.subplots(1, 2)
    ls = [r["L"] for r in rows]
    a.plot(ls, [r["r"] for r in rows], "o-", ms=3, color="#D55E00", label="theoretical r = L·(k − 1) + 1")
    a.plot(ls, [r["effective"] for r in rows], "o-", ms=3, color=BLUE,
           label=f"effective: narrowest run with {share:.0%} of the paths")
    a.set_xlabel(f"L ({k}-wide convolutions, stride 1)", fontsize=fontsize)
    a.set_ylabel("input cells", fontsize=fontsize)
    a.legend(frameon=False, fontsize=fontsize * (1.0 if slide else 0.9), loc="upper left",
             **({"bbox_to_anchor": (0.0, -0.22)} if slide else {}))
    a.spines[["top", "right"]].set_visible(False)
    a.set_title("Field size against depth", loc="left", fontsize=fontsize * 1.1)
    by_l = {r["L"]: r for r in rows}
    colours = ["#009E73", BLUE, "#CC79A7", "#E69F00"]
    for depth, c in zip(show, colours):
        if depth not in by_l:
            continue
        p, r = by_l[depth]["paths"], by_l[depth]["r"]
        centre, half = (min(p) + max(p)) / 2, (r - 1) / 2 or 1
        peak = max(p.values())
        b.plot([(x - centre) / half for x in p], [v / peak for v in p.values()], color=c,
               label=f"L = {depth}: r = {r}, effective {by_l[depth]['effective']}")
    b.set_xlabel("input position, as a fraction of the half-field (r − 1)/2", fontsize=fontsize)
    b.set_ylabel("paths / most paths", fontsize=fontsize)
    b.legend(frameon=False, fontsize=fontsize * (1.0 if slide else 0.85), loc="upper left",
             bbox_to_anchor=(0.0, -0.22) if slide else (1.0, 1.0), handlelength=1.2)
    if slide:
        for ax in (a, b):
            ax.tick_params(labelsize=fontsize)
    b.set_xlim(-1.05, 1.05)
    b.spines[["top", "right"]].set_visible(False)
    b.set_title("Where the paths start, across the field", loc="left", fontsize=fontsize * 1.1)
    return fig
