"""The live playground for JupyterLab: preset, input sliders, a layer text box, the output.

All logic is in :mod:`cnnlib.playground` (parse, build, render — pure and never raising);
this is wiring.  ipywidgets is imported inside the UI.
"""

from __future__ import annotations

import asyncio

from ..playground import PRESETS, SpecError, _error_box, format_spec, parse, render

__all__ = ["playground"]


class _UI:
    """The live playground's widgets and the handler that redraws the output."""

    def __init__(self, preset: str):
        import ipywidgets as w

        style, layout = {"description_width": "initial"}, w.Layout(width="360px")
        (c, h, wd), spec = PRESETS[preset]
        self.preset = w.Dropdown(options=list(PRESETS), value=preset, description="preset",
                                 style=style, layout=layout)
        self.c = w.IntSlider(value=c, min=1, max=16, description="C (channels)", style=style,
                             layout=layout)
        self.h = w.IntSlider(value=h, min=1, max=256, description="H (height)", style=style,
                             layout=layout)
        self.w = w.IntSlider(value=wd, min=1, max=256, description="W (width)", style=style,
                             layout=layout)
        self.text = w.Textarea(value=format_spec(spec), description="layers",
                               layout=w.Layout(width="360px", height="300px"), style=style)
        self.help = w.HTML("<small>One layer per line: <code>conv OUT K [sS] [pP]</code>, "
                           "<code>pool K [sS] [pP]</code>, <code>avgpool K</code>, "
                           "<code>dense OUT</code>, <code>flatten</code>, <code>relu</code>, "
                           "<code>bn</code>, <code>gap</code>, <code>dropout [P]</code>; "
                           "<code>#</code> starts a comment.</small>")
        self.out = w.HTML()
        self._busy = False
        self._pending = None
        self.preset.observe(self.on_preset, names="value")
        for widget in (self.c, self.h, self.w):
            widget.observe(self.update, names="value")
        self.text.observe(self.soon, names="value")
        left = w.VBox([self.preset, self.c, self.h, self.w, self.text, self.help],
                      layout=w.Layout(min_width="380px"))
        self.box = w.HBox([left, self.out])
        self.box.playground = self
        self.update()

    def on_preset(self, change=None):
        (c, h, wd), spec = PRESETS[self.preset.value]
        self._busy = True
        try:
            self.c.value, self.h.value, self.w.value = c, h, wd
            self.text.value = format_spec(spec)
        finally:
            self._busy = False
        self.update()

    DELAY = 0.35  # seconds of no typing before the output is redrawn

    def soon(self, change=None):
        """Redraw once typing pauses (a kernel runs an event loop); without a running
        loop (tests, a plain script) redraw at once."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.update()
            return
        if self._pending is not None:
            self._pending.cancel()
        self._pending = loop.call_later(self.DELAY, self.update)

    def update(self, change=None):
        self._pending = None
        if self._busy:
            return
        spec, message = parse(self.text.value)
        shape = (self.c.value, self.h.value, self.w.value)
        self.out.value = _error_box(message) if spec is None else render(shape, spec)


def playground(preset: str = "Keras case 1"):
    """The live playground: preset dropdown, C/H/W sliders, a layer text box, the output.

    Returns an ipywidgets HBox; its ``.playground`` attribute holds the widgets and the
    ``update``/``on_preset`` handlers (for tests).
    """
    if preset not in PRESETS:
        raise SpecError(f"preset must be one of {list(PRESETS)}, got {preset!r}")
    return _UI(preset).box
