"""Live ipywidgets for JupyterLab: sliders wired to the calculators of :mod:`cnnlib.calculators`.

Every widget is wiring only: each change calls a pure, unit-tested ``*_html`` function and
shows what it returns.  ipywidgets is imported inside the builders.
"""

from __future__ import annotations

import html as _html

from ..calculators import (
    CHANNELS_PARAMS,
    CONV_PARAMS,
    POOL_PARAMS,
    Param,
    channels_html,
    conv_html,
    pool_html,
)

__all__ = ["channels_widget", "conv_widget", "live_widget", "pool_widget"]


def _ints(lo, hi):
    return tuple(range(lo, hi + 1))


def live_widget(fn, params, *, title: str = ""):
    """An ipywidgets box: one slider per Param and an HTML pane showing ``fn(**values)``.

    Integer ranges become IntSliders, other values SelectionSliders; every change calls
    ``fn`` again (which must return HTML and never raise — the ``*_html`` functions).
    """
    import ipywidgets as w

    sliders = {}
    for prm in params:
        vals = list(prm.values)
        style = {"description_width": "initial"}
        layout = w.Layout(width="420px")
        if all(isinstance(v, int) and not isinstance(v, bool) for v in vals) and \
                vals == list(range(vals[0], vals[-1] + 1)):
            sliders[prm.name] = w.IntSlider(value=prm.start, min=vals[0], max=vals[-1],
                                            description=prm.text, style=style, layout=layout,
                                            continuous_update=True)
        else:
            sliders[prm.name] = w.SelectionSlider(options=[(prm.show(v), v) for v in vals], value=prm.start,
                                                  description=prm.text, style=style,
                                                  layout=layout)
    pane = w.HTML()

    def update(_=None):
        pane.value = fn(**{k: s.value for k, s in sliders.items()})

    for s in sliders.values():
        s.observe(update, names="value")
    update()
    head = [w.HTML(f"<b>{_html.escape(title)}</b>")] if title else []
    return w.VBox([*head, *sliders.values(), pane])


def _wider(params, **ranges):
    out = []
    for prm in params:
        if prm.name in ranges:
            prm = Param(prm.name, ranges[prm.name], prm.label, prm.default)
        out.append(prm)
    return tuple(out)


def conv_widget(max_n: int = 32):
    """Live sliders for n, k, s, p, d → output size, windows drawn, or the reason."""
    return live_widget(conv_html, _wider(CONV_PARAMS, n=_ints(1, max_n), k=_ints(1, 11),
                                         s=_ints(1, 6), p=_ints(0, 5), d=_ints(1, 4)),
                       title="Convolution along one dimension")


def pool_widget(max_n: int = 32):
    """Live sliders for pooling: n, k, s, p, ceil_mode."""
    return live_widget(pool_html, _wider(POOL_PARAMS, n=_ints(1, max_n), k=_ints(1, 6),
                                         s=_ints(1, 6), p=_ints(0, 3)),
                       title="Pooling along one dimension")


def channels_widget():
    """Live sliders for n, k, C_in, C_out → output shape and parameter count."""
    return live_widget(channels_html, _wider(CHANNELS_PARAMS, n=_ints(1, 64),
                                             k=_ints(1, 11), c_in=_ints(1, 64),
                                             c_out=_ints(1, 64)),
                       title="Filters and channels")
