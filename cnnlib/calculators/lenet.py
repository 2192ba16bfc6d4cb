"""The LeNet-5 chapter's slider: every layer of the modern or the paper's LeNet-5 on an n×n×1
input, with formulas, or the failing layer and the smallest input that works."""

from __future__ import annotations

import html as _html

from .. import zoo
from ..analysis import WindowStep, share_by_kind
from ..diagram import KIND_NAMES
from ..errors import ShapeError
from ..shapes import shape_text
from .base import Param, _ints, _pane

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
    from ..layers import Conv2d as _Conv2d
    from ..layers import Dense, EuclideanRBF, Subsample2d, TableConv2d

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
