"""The comparison table and chart of the chapter "After VGG", and the table of one block's layers.

Both read :func:`cnnlib.compare.network_records` (sums over each model's rows), so a bar, a
table cell and a number in the text are the same value.  pandas and matplotlib are imported
inside the functions.
"""

from __future__ import annotations

from ..compare import network_records
from ..shapes import shape_text

__all__ = ["block_frame", "compare_chart", "comparison_frame"]

#: the chart's panels: record key, title, divisor, unit
PANELS = (("params", "parameters", 1e6, "M"), ("macs", "MACs per image", 1e9, "G"),
          ("activation_mb", "forward activations, float32", 1.0, "MB"))


def comparison_frame(records=None, *, uuid: str = "after-vgg-compare"):
    """The records as one styled table: parameters (with the dense layers' share), MACs,
    activations in MB, weight layers, receptive field, MACs per parameter."""
    import pandas as pd

    records = network_records() if records is None else records
    df = pd.DataFrame([{
        "network": r["network"], "parameters": r["params"], "in dense layers": f"{r['dense_share']:.1%}",
        "MACs": r["macs"], "activations (MB)": round(r["activation_mb"], 1),
        "weight layers": r["weight_layers"], "receptive field": r["rf"],
        "MACs per parameter": round(r["macs_per_param"], 1),
    } for r in records])
    inputs = sorted({r["input"] for r in records})
    ints = ["parameters", "MACs"]
    return (df.style.hide(axis="index").format("{:,}", subset=ints)
            .format("{:.1f}", subset=["activations (MB)", "MACs per parameter"])
            .set_caption(f"Counted by cnnlib from each network's layers, for one image ({' or '.join(inputs)}, "
                         "H×W×C), batch 1: parameters = weights + biases (BatchNorm's γ and β included, its "
                         "running statistics not); MACs of convolution and dense layers, bias adds not "
                         "counted; activations = the input plus every output that a convolution, "
                         "pooling, dense or normalisation layer makes, 4 bytes each, MB = 10⁶ bytes; "
                         "weight layers = convolution and dense layers; receptive field = input "
                         "pixels (one side) that a unit of the last spatial map sees.")
            .set_properties(subset=[c for c in df.columns if c != "network"], **{"text-align": "right"})
            .set_table_styles([
                {"selector": "", "props": "font-size: 90%"},
                {"selector": "th, td", "props": "padding: 2px 7px; white-space: nowrap"},
                {"selector": "th", "props": "white-space: normal; vertical-align: bottom"},
                {"selector": "caption", "props": "caption-side: bottom; text-align: left; font-size: 85%; "
                                                 "white-space: normal; max-width: 44em"}], overwrite=False)
            .set_uuid(uuid))


def compare_chart(records=None, *, fontsize: float = 11, dpi: float = 90, log: bool = True):
    """Three panels of horizontal bars, one bar per network: parameters (millions), MACs
    (billions) and forward activation memory (MB), each bar labelled with its value; a
    logarithmic axis by default (the values span two orders of magnitude). Returns the Figure."""
    from matplotlib.figure import Figure

    records = network_records() if records is None else records
    names = [r["network"] for r in records]
    fig = Figure(figsize=(12, 0.42 * len(records) + 1.6), dpi=dpi, layout="constrained")
    axes = fig.subplots(1, len(PANELS), sharey=True)
    colours = ["#999999" if n in ("AlexNet", "VGG-16") else "#1f5fa8" for n in names]
    ys = list(range(len(records)))[::-1]
    for ax, (key, title, div, unit) in zip(axes, PANELS):
        vals = [r[key] / div for r in records]
        ax.barh(ys, vals, color=colours, edgecolor="black", linewidth=0.5)
        if log:
            ax.set_xscale("log")
            ax.set_xlim(min(vals) / 1.6, max(vals) * 6)
        else:
            ax.set_xlim(0, max(vals) * 1.3)
        for y, v in zip(ys, vals):
            ax.text(v * (1.08 if log else 1.0) + (0 if log else max(vals) * 0.01), y,
                    f"{v:,.3g} {unit}", va="center", fontsize=fontsize * 0.85)
        ax.set_title(f"{title} ({unit})", loc="left", fontsize=fontsize)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelsize=fontsize * 0.8)
    axes[0].set_yticks(ys)
    axes[0].set_yticklabels(names, fontsize=fontsize)
    fig.suptitle("Counts per network (grey: the two networks before; log scale)" if log else
                 "Counts per network (grey: the two networks before)", x=0.01, ha="left",
                 fontsize=fontsize * 1.15, fontweight="bold")
    return fig


def block_frame(model, block: str, *, uuid: str | None = None, order: str = "HWC"):
    """The rows of one block of a model (names starting with ``block``): layer, type,
    kernel/stride/padding, output (H×W×C), weights, biases, parameters and MACs, with a total."""
    import pandas as pd

    rows = [r for r in model.rows() if r.name == block or r.name.startswith(block + ".")]
    if not rows:
        raise KeyError(f"no rows in block {block!r}")
    recs = [{"layer": r.name[len(block) + 1:] or r.name, "type": r.type, "kernel, stride, padding": r.hyper,
             "output": shape_text(r.out_shape, order), "parameters": r.params, "MACs": r.macs}
            for r in rows]
    recs.append({"layer": "total", "type": "", "kernel, stride, padding": "", "output": "",
                 "parameters": sum(r.params for r in rows), "MACs": sum(r.macs for r in rows)})
    df = pd.DataFrame(recs)
    last = len(df) - 1
    return (df.style.hide(axis="index").format("{:,}", subset=["parameters", "MACs"])
            .apply(lambda r: ["font-weight: bold; border-top: 2px solid" if r.name == last else ""
                              for _ in r], axis=1)
            .set_properties(subset=["parameters", "MACs"], **{"text-align": "right"})
            .set_table_styles([{"selector": "", "props": "font-size: 90%"},
                               {"selector": "th, td", "props": "padding: 2px 6px; white-space: nowrap"},
                               {"selector": "th", "props": "white-space: normal; vertical-align: bottom"}],
                              overwrite=False)
            .set_uuid(uuid or f"block-{block}".replace(".", "-")))
