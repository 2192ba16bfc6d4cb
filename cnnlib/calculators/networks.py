"""Sliders over whole networks: the Keras MNIST model's dense layer, the bottleneck, the
bias-free face network, and AlexNet / VGG-16 at other input sizes."""

from __future__ import annotations

import html as _html

from .. import zoo
from ..analysis import first_dense, window_steps
from ..costs import bottleneck_costs
from ..errors import ShapeError
from ..shapes import shape_text
from .base import Param, _ints, _pane, _reason_pane

DENSE_PARAMS = (
    Param("n", tuple(range(6, 65)), "n (input height = width)", 28, live=(1, 1024)),
    Param("second_pool", (False, True), "second max pool", True, shown=("no", "yes")),
    Param("units", (16, 32, 64, 128, 256, 512), "fc1 neurons", 128, live=(1, 65536)),
)
BOTTLENECK_PARAMS = (
    Param("channels", (64, 128, 256, 512, 1024, 2048), "C (in and out)", 256, live=(1, 8192)),
    Param("mid", (16, 32, 48, 64, 96, 128, 192, 256, 384, 512), "m (middle)", 64, live=(1, 8192)),
)
FACE_PARAMS = (Param("n", _ints(1, 200), "n (dense neurons)", 10, live=(1, 1_000_000)),)
ALEXNET_SIZE_PARAMS = (Param("n", _ints(195, 259), "input size n (n×n×3)", 227, live=(1, 4096)),)
VGG16_SIZE_PARAMS = (Param("n", tuple(range(32, 449, 32)), "input size n (n×n×3)", 224, live=(1, 4096)),)


def _case1_flat(n: int, second_pool: bool) -> int | None:
    try:
        return zoo.keras_case1(n, second_pool=second_pool).row("flatten").out_shape[0]
    except ShapeError:
        return None


@_reason_pane
def dense_html(n: int = 28, second_pool: bool = True, units: int = 128) -> str:
    """Post 004's case-1 network on an n×n×1 input: the size after every convolution and
    pooling (so each step of n shows), the flattened size, the first dense layer's
    parameters (in + 1)·units, the total and fc1's share of it — or why the network fails.
    When neighbouring n give the same flattened size, it says which n do and why.

    >>> "102,528" in dense_html()
    True
    >>> "No output" in dense_html(8)
    True
    >>> "n = 26 … 29" in dense_html(28)
    True
    """
    try:
        model = zoo.keras_case1(n, second_pool=second_pool, units=units)
    except ShapeError as e:
        return _pane([_html.escape(f"on a {n}×{n}×1 input: {e}")], ok=False)
    flat = model.row("flatten").out_shape
    chain = " → ".join(
        [f"{n}×{n}"] + [f"{r.name} {r.out_shape[1]}×{r.out_shape[2]}" for r in model.rows()
                        if r.name.startswith(("conv", "pool"))])
    fc1 = model.row("fc1").params
    tot = model.total_params
    lo = hi = n
    while lo > 1 and _case1_flat(lo - 1, second_pool) == flat[0]:
        lo -= 1
    while hi < n + 64 and _case1_flat(hi + 1, second_pool) == flat[0]:
        hi += 1
    same = (f"n = {lo} … {hi} all flatten to {flat[0]:,}: the 2×2 pools round down, "
            "dropping a last row that no window reads" if hi > lo else f"only n = {n} flattens to {flat[0]:,}")
    return _pane([
        f'<span class="f">{chain}</span>',
        (f"last feature map {shape_text(model.row('flatten').in_shape)} → flatten → "
         f"<b>{flat[0]:,}</b> values ({same})"),
        f'<span class="f">fc1 = ({flat[0]:,} + 1)·{units} = <b>{fc1:,}</b></span>',
        f"total <b>{tot:,}</b>; fc1 is <b>{fc1 / tot:.1%}</b> of it",
    ])


@_reason_pane
def bottleneck_html(channels: int = 256, mid: int = 64, size: int = 56) -> str:
    """A plain 3×3 convolution at `channels` vs the 1×1 → 3×3 → 1×1 bottleneck through `mid`
    channels (weights only, as ResNet's convolutions have no bias), with MACs on size×size.

    >>> "69,632" in bottleneck_html()
    True
    >>> "No output" in bottleneck_html(0)
    True
    """
    b = bottleneck_costs(channels, mid, size)
    p, q = b["plain"], b["bottleneck"]
    c, m = channels, mid
    return _pane([
        (f'<span class="f">plain 3×3: 3·3·{c}·{c} = <b>{p["params"]:,}</b> weights, '
        f'{p["macs"]:,} MACs</span>'),
        (f'<span class="f">bottleneck: {c}·{m} + 3·3·{m}·{m} + {m}·{c} = <b>{q["params"]:,}</b> weights, '
        f'{q["macs"]:,} MACs</span>'),
        (f"the bottleneck needs <b>{q['params'] / p['params']:.1%}</b> of the weights "
        f"({'fewer' if q['params'] < p['params'] else 'more'}, ×{b['ratio']:.2f})"),
    ])


@_reason_pane
def face_net_html(n: int = 10) -> str:
    """Post 002's network with n dense neurons: 48,320 + 160·n without biases,
    48,520 + 161·n with them.

    >>> "49,920" in face_net_html(10)
    True
    >>> "No output" in face_net_html(0)
    True
    """
    nb, wb = zoo.face_net(n).total_params, zoo.face_net(n, bias=True).total_params
    conv = nb - 160 * n
    convb = wb - 161 * n
    return _pane([
        f'<span class="f">bias-free: {conv:,} + 160·{n} = <b>{nb:,}</b></span>',
        f'<span class="f">with biases: {convb:,} + 161·{n} = <b>{wb:,}</b> (+{wb - nb:,})</span>',
        f"the dense layer holds {160 * n / nb:.1%} of the bias-free total",
    ])


def size_html(build, n: int, *, reference: int | None = None, changes_only: bool = True) -> str:
    """HTML for a slider over the input size: each window layer's arithmetic, fc1, the total.

    ``build(n)`` returns the model for an n×n input. Layers whose division is not exact are
    marked (PyTorch floors and the last rows are never read); with ``changes_only`` the
    layers that keep the size exactly (3×3, stride 1, padding 1) are left out. An input the
    network cannot take shows the ShapeError's reason in red instead of failing.
    ``reference`` adds the change of fc1 and of the total against that input size.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        return (f"<div style='color:#b00020'><b>impossible:</b> the input size must be a whole "
                f"number, got {_html.escape(repr(n))}</div>")
    try:
        model = build(n)
    except ShapeError as e:
        return (f"<div style='color:#b00020'><b>{n}×{n}: impossible.</b> "
                f"{_html.escape(str(e))}</div>")
    steps = window_steps(model)
    rows = []
    for st in steps:
        if changes_only and st.is_exact and st.out == st.n:
            continue
        mark = ("" if st.is_exact else
                f" <span style='color:#b35900'>floored: {st.unused} row(s) never read</span>")
        rows.append(f"<tr><td>{_html.escape(st.name)}</td><td><code>{_html.escape(st.formula())}"
                    f"</code>{mark}</td></tr>")
    fc = first_dense(model)
    total = model.total_params
    inexact = sum(1 for st in steps if not st.is_exact)
    verdict = ("<span style='color:#007a4d'>every division exact</span>" if not inexact else
               f"<span style='color:#b35900'>{inexact} division(s) floored</span>")
    lines = [f"<div><b>input {n}×{n}</b> — {verdict}</div>",
             "<table style='font-size:95%'>" + "".join(rows) + "</table>"]
    if fc is not None:
        feat = fc.in_shape[-1]
        lines.append(f"<div>fc1: {feat:,} inputs → {fc.params:,} parameters</div>")
    lines.append(f"<div><b>total: {total:,} parameters</b></div>")
    if reference is not None and reference != n:
        try:
            ref_total = build(reference).total_params
        except ShapeError:
            ref_total = None
        if ref_total is not None:
            lines.append(f"<div style='color:#555'>vs {reference}×{reference}: "
                         f"{total - ref_total:+,} parameters</div>")
    return "\n".join(lines)


def alexnet_size_html(n: int = 227) -> str:
    """The AlexNet chapter's slider: AlexNet (single tower) on an n×n×3 input against its 227×227
    (:func:`size_html` of :func:`cnnlib.zoo.alexnet`).  At 227 every division is exact and
    fc1 takes 6·6·256 = 9,216 inputs; at 195 the maps end at 5×5 and fc1 has
    (5·5·256 + 1)·4096 = 26,218,496 parameters, 11,534,336 fewer.

    >>> "62,378,344" in alexnet_size_html(227)
    True
    >>> "-11,534,336" in alexnet_size_html(195)
    True
    """
    return size_html(lambda m: zoo.alexnet(input_size=m), n, reference=227)


def vgg16_size_html(n: int = 224) -> str:
    """The VGG chapter's slider: VGG-16 on an n×n×3 input against its 224×224
    (:func:`size_html` of :func:`cnnlib.zoo.vgg`).  Five 2×2 pools divide n by 32, so fc1
    takes 512·(n/32)² inputs: 25,088 at 224, 32,768 at 256 (31,457,280 more parameters).

    >>> "138,357,544" in vgg16_size_html(224)
    True
    >>> "+31,457,280" in vgg16_size_html(256)
    True
    """
    return size_html(lambda m: zoo.vgg(16, input_size=m), n, reference=224)
