"""The LeNet-5 chapter's tables and figure, drawn from cnnlib's rows.

* :func:`walk_table` — the layer-by-layer walk of :func:`cnnlib.calculators.lenet_walk` as a
  styled table: output shape, the size formula, the parameter formula, MACs, activations
  (and the paper's connections on request), with a totals row;
* :func:`versions_table` — the paper's LeNet-5 and the modern one side by side, position by
  position, with the difference in parameters;
* :func:`c3_table_figure` — C3's connection table: which S2 maps each C3 map reads.

pandas and matplotlib are imported inside the functions.
"""

from __future__ import annotations

from ..calculators import lenet_walk
from ..shapes import ORDERS, shape_text
from ..tables import CONVENTIONS
from ..zoo import LENET5_C3_TABLE, lenet5

__all__ = ["c3_table_figure", "versions_rows", "versions_table", "walk_table"]

_STYLES = [
    {"selector": "", "props": "font-size: 85%"},
    {"selector": "th, td", "props": "padding: 2px 6px; white-space: nowrap"},
    {"selector": "th", "props": "white-space: normal; vertical-align: bottom; text-align: left"},
    # a caption is as wide as its table: cap it so that it wraps inside the text column, and
    # inside a phone's screen when the table itself scrolls sideways
    {"selector": "caption", "props": "caption-side: bottom; text-align: left; font-size: 85%; "
                                     "white-space: normal; max-width: min(40em, 85vw)"},
]


def _bold_last(frame):
    last = len(frame) - 1
    return lambda r: ["font-weight: bold; border-top: 2px solid" if r.name == last else "" for _ in r]


def walk_table(model, *, connections: bool = False, uuid: str = "lenet-walk"):
    """A pandas Styler: one row per layer that changes the shape or costs something (activation
    functions left out), then the totals.  Columns: layer, output (H×W×C), the size formula,
    the parameter formula (its result is the layer's parameters; the totals row has the total),
    MACs, activations and, with ``connections=True``, the paper's connections."""
    import pandas as pd

    rows = lenet_walk(model)
    size, params = "size o = (n + 2p − k)/s + 1", "parameters"
    recs = []
    for r in rows:
        rec = {"layer": r["name"], "output (H×W×C)": shape_text(r["out_shape"]), size: r["size"],
               params: r["params_formula"], "MACs": r["macs"], "activations": r["activations"]}
        if connections:
            rec["connections"] = r["connections"]
        recs.append(rec)
    total = {"layer": "total", "output (H×W×C)": shape_text(model.output_shape), size: "",
             params: f"{sum(r['params'] for r in rows):,}", "MACs": sum(r["macs"] for r in rows),
             "activations": sum(r["activations"] for r in rows)}
    if connections:
        total["connections"] = sum(r["connections"] for r in rows)
    df = pd.DataFrame([*recs, total])
    ints = ["MACs", "activations"] + (["connections"] if connections else [])
    note = (" connections = MACs + bias adds, as LeCun et al. count them." if connections else "")
    return (df.style.hide(axis="index")
            .format("{:,}", subset=ints)
            .apply(_bold_last(df), axis=1)
            .set_properties(subset=ints, **{"text-align": "right"})
            .set_caption(f"{model.name}: shapes {ORDERS['HWC']}; size along the height (the width is "
                         f"the same), → marks a division that is rounded down. {CONVENTIONS}.{note}")
            .set_table_styles(_STYLES, overwrite=False)
            .set_uuid(uuid))


#: positions of the two versions that do the same job: (paper's layer, modern layer)
PAIRS = (("C1", "conv1"), ("S2", "pool1"), ("C3", "conv2"), ("S4", "pool2"), ("C5", "fc1"),
         ("F6", "fc2"), ("output", "fc3"))


def versions_rows(input_size: int = 32) -> list[dict]:
    """Position by position: the paper's layer and the modern one, their types, parameters and
    the difference (modern − paper); the last dict holds the totals.

    >>> [r["difference"] for r in versions_rows()]
    [0, -12, 900, -32, 0, 0, 850, 1706]
    """
    paper, modern = lenet5("paper", input_size), lenet5("modern", input_size)
    out = []
    for p, m in PAIRS:
        a, b = paper.row(p), modern.row(m)
        out.append({"paper": p, "paper type": a.type, "modern": m, "modern type": b.type,
                    "paper params": a.params, "modern params": b.params,
                    "difference": b.params - a.params, "paper fixed": a.buffers})
    out.append({"paper": "total", "paper type": "", "modern": "total", "modern type": "",
                "paper params": paper.total_params, "modern params": modern.total_params,
                "difference": modern.total_params - paper.total_params, "paper fixed": paper.buffers})
    return out


def versions_table(input_size: int = 32, *, uuid: str = "lenet-versions"):
    """A pandas Styler of :func:`versions_rows`: the paper's LeNet-5 against the modern one."""
    import pandas as pd

    df = pd.DataFrame(versions_rows(input_size)).rename(columns={
        "paper fixed": "paper: fixed (not trained)", "difference": "modern − paper"})
    ints = ["paper params", "modern params", "modern − paper", "paper: fixed (not trained)"]
    return (df.style.hide(axis="index")
            .format("{:,}", subset=ints)
            .format(lambda v: f"{v:+,}".replace("-", "−") if v else "0", subset=["modern − paper"])
            .apply(_bold_last(df), axis=1)
            .set_properties(subset=ints, **{"text-align": "right"})
            .set_caption(f"LeNet-5 on {input_size}×{input_size}×1: the paper's network (LeCun et al., "
                         "1998) and the modern one (PyTorch's tutorial), layer for layer. Parameters "
                         "as PyTorch counts them; the RBF output's centres are fixed, so they are "
                         "buffers.")
            .set_table_styles(_STYLES, overwrite=False)
            .set_uuid(uuid))


def _cyclic_run(entry, inputs) -> bool:
    """Whether the maps of a table entry are neighbours, counting around (5 and 0 touch)."""
    return len(entry) == inputs or any(
        all((start + i) % inputs in entry for i in range(len(entry))) for start in range(inputs))


def c3_table_figure(table=LENET5_C3_TABLE, *, inputs: int | None = None, dpi: float = 90):
    """C3's connection table as a grid: a row per input (S2) map, a column per output (C3) map,
    a filled cell where the output map reads the input map; the count of each column below, the
    groups (neighbouring maps, counting around, or with a gap) above, and the total and its share of
    all map pairs in the title.  Returns a matplotlib Figure."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    inputs = inputs if inputs is not None else max(max(t) for t in table) + 1
    outputs = len(table)
    pairs = sum(len(t) for t in table)
    fig = Figure(figsize=(0.42 * outputs + 1.2, 0.42 * inputs + 1.7), dpi=dpi)
    ax = fig.add_axes((0.07, 0.1, 0.92, 0.75))
    keys = [(len(t), _cyclic_run(t, inputs)) for t in table]
    for j, entry in enumerate(table):
        for i in range(inputs):
            ax.add_patch(Rectangle((j, inputs - 1 - i), 0.92, 0.92,
                                   facecolor="#0072B2" if i in entry else "white",
                                   edgecolor="#555555", lw=0.6))
        ax.text(j + 0.46, -0.5, str(len(entry)), ha="center", va="center", fontsize=9)
    start = 0
    for j in range(1, outputs + 1):  # a bracket over each run of columns of the same kind
        if j == outputs or keys[j] != keys[start]:
            size, run = keys[start]
            label = ("all" if size == inputs else f"{size}, {'neighbours' if run else 'with a gap'}")
            ax.annotate("", xy=(start + 0.05, inputs + 0.6), xytext=(j - 0.13, inputs + 0.6),
                        arrowprops={"arrowstyle": "-", "color": "#D55E00", "lw": 1.4})
            ax.text((start + j - 0.08) / 2, inputs + 0.75, label, ha="center", va="bottom", fontsize=9,
                    color="#D55E00")
            if j < outputs:
                ax.axvline(j - 0.04, ymin=0.1, color="#D55E00", lw=1.0, ls=":")
            start = j
    ax.set_xlim(-0.1, outputs)
    ax.set_ylim(-1.0, inputs + 1.5)
    for j in range(outputs):
        ax.text(j + 0.46, inputs + 0.02, str(j), ha="center", va="bottom", fontsize=8, color="#333333")
    ax.set_xticks([])
    ax.set_yticks([inputs - 1 - i + 0.46 for i in range(inputs)], [str(i) for i in range(inputs)], fontsize=9)
    ax.set_ylabel("S2 map (input)", fontsize=10)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.text(-0.15, -0.5, "Σ", ha="right", va="center", fontsize=9)
    ax.text(outputs / 2, -1.0, "C3 map (columns); Σ: how many S2 maps it reads", ha="center", va="top",
            fontsize=9.5)
    fig.suptitle(f"C3 reads {pairs} of the {inputs}·{outputs} = {inputs * outputs} map pairs "
                 f"({pairs / (inputs * outputs):.1%})", x=0.02, ha="left", fontsize=11, fontweight="bold")
    return fig
