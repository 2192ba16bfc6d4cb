"""Sliders that work in the static book, without a kernel: every result precomputed.

:func:`static_widget` calls a Python function (e.g. :func:`cnnlib.calculators.conv_html`)
for every combination of slider positions, and emits one self-contained HTML block:
``<input type="range">`` sliders, the precomputed results and ~30 lines of JavaScript
that only *look up* the result for the current positions — no formula is computed in
JavaScript.  To keep the payload small, results are split into lines and every distinct
line is stored once (a result is a list of line numbers), and the table is compressed
with zlib and base64-encoded; the browser unpacks it with ``DecompressionStream``
(Chromium 80+, Firefox 113+, Safari 16.4+).  The result at the default positions is also
written as plain HTML, so the widget shows something even before the JavaScript runs.

The block has ``class="static-widget"`` and ``data-widget="<name>"``; its sliders have
``class="sw-slider"`` and its output ``class="sw-out"``; once the table is unpacked the
block gets ``data-ready="1"`` and the output ``data-index`` (for browser tests).  Ids are
derived from ``name``, so the HTML is identical on every run (nbval compares it).

>>> from cnnlib.calculators import Param
>>> html = static_widget(lambda a, b: f"{a}+{b}={a + b}", [Param("a", (1, 2)), Param("b", (3, 4))],
...                      name="add")
>>> 'class="sw-slider"' in html and "1+3=4" in html
True
"""

from __future__ import annotations

import base64
import html as _html
import itertools
import json
import re
import zlib

__all__ = ["WidgetTooLarge", "payload_size", "static_widget"]

MAX_BYTES = 300_000

#: a slider row: label, slider, value in one line; on a narrow screen (a phone) the label goes
#: above and the slider and its value share the line, so the value never leaves the screen
ROW_CSS = (".static-widget .sw-row{display:flex;flex-wrap:wrap;align-items:center;gap:.1em .6em;"
           "margin:2px 0}"
           ".static-widget .sw-label{flex:0 0 13em}"
           ".static-widget .sw-slider{flex:1 1 8em;min-width:6em;max-width:22em}"
           ".static-widget .sw-val{flex:0 0 auto;min-width:3em;font-variant-numeric:tabular-nums}"
           ".static-widget .sw-out{overflow-x:auto;max-width:100%}"
           "@media (max-width:600px){.static-widget .sw-label{flex-basis:100%}}")


class WidgetTooLarge(ValueError):
    """The precomputed payload exceeds the size bound: narrow the slider ranges."""


def _encode(fn, params):
    table, index, results = [], {}, []
    for combo in itertools.product(*(p.values for p in params)):
        text = fn(**{p.name: v for p, v in zip(params, combo)})
        if not isinstance(text, str):
            text = str(text)
        ids = []
        for line in text.split("\n"):
            if line not in index:
                index[line] = len(table)
                table.append(line)
            ids.append(index[line])
        results.append(",".join(map(str, ids)))
    return table, results


def _label(v) -> str:
    return str(v)


def payload_size(html: str) -> int:
    """Bytes (UTF-8) of a static widget's HTML."""
    return len(html.encode("utf-8"))


_JS = """
(function () {
  var root = document.getElementById("%(id)s");
  if (!root) return;
  var meta = JSON.parse(root.querySelector("script[type='application/json']").textContent);
  var sliders = root.querySelectorAll("input.sw-slider");
  var out = root.querySelector(".sw-out");
  var data = null;
  function show() {
    var idx = 0;
    for (var i = 0; i < sliders.length; i++) {
      var pos = parseInt(sliders[i].value, 10);
      idx = idx * meta.v[i].length + pos;
      root.querySelector("output[data-for='" + sliders[i].dataset.param + "']").textContent = meta.v[i][pos];
    }
    if (!data) return;
    out.innerHTML = data.r[idx].split(",").map(function (j) { return data.t[+j]; }).join("\\n");
    out.dataset.index = idx;
  }
  for (var i = 0; i < sliders.length; i++) sliders[i].addEventListener("input", show);
  if (typeof DecompressionStream === "undefined") {
    out.insertAdjacentHTML("beforebegin", "<p>This browser cannot unpack the precomputed results " +
      "(it lacks DecompressionStream); the sliders are inactive.</p>");
    return;
  }
  var bin = atob(meta.z), bytes = new Uint8Array(bin.length);
  for (var k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
  new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate")))
    .text().then(function (text) { data = JSON.parse(text); root.dataset.ready = "1"; show(); });
})();
"""


def static_widget(fn, params, *, name: str, title: str = "", note: str = "",
                  max_bytes: int = MAX_BYTES) -> str:
    """One self-contained HTML block: sliders over ``params`` and ``fn``'s precomputed results.

    ``fn(**{param.name: value})`` must return a string (HTML) for every combination;
    ``params`` is a sequence of :class:`cnnlib.calculators.Param`.  The first result shown
    is the one at each Param's default.  Raises :class:`WidgetTooLarge` when the HTML
    exceeds ``max_bytes`` (300 KB by default).
    """
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", name):
        raise ValueError(f"name must be a simple identifier, got {name!r}")
    params = list(params)
    table, results = _encode(fn, params)
    labels = [[_label(v) for v in p.values] for p in params]
    starts = [list(p.values).index(p.start) for p in params]
    idx = 0
    for p, pos in zip(params, starts):
        idx = idx * len(p.values) + pos
    first = "\n".join(table[int(j)] for j in results[idx].split(","))
    packed = json.dumps({"t": table, "r": results}, ensure_ascii=False, separators=(",", ":"))
    z = base64.b64encode(zlib.compress(packed.encode("utf-8"), 9)).decode("ascii")
    data = json.dumps({"v": labels, "z": z}, ensure_ascii=False,
                      separators=(",", ":")).replace("</", "<\\/")
    wid = f"sw-{name}"
    rows = []
    for p, pos, lab in zip(params, starts, labels):
        rows.append(
            f'<label class="sw-row"><span class="sw-label">{_html.escape(p.text)}</span>'
            f'<input type="range" class="sw-slider" data-param="{p.name}" min="0" '
            f'max="{len(p.values) - 1}" step="1" value="{pos}" aria-label="{_html.escape(p.text)}">'
            f'<output class="sw-val" data-for="{p.name}">{_html.escape(lab[pos])}</output>'
            f"</label>"
        )
    head = f"<div style='font-weight:600'>{_html.escape(title)}</div>" if title else ""
    foot = f"<div style='color:#666;font-size:90%'>{_html.escape(note)}</div>" if note else ""
    html = (
        f'<div class="static-widget" id="{wid}" data-widget="{name}" '
        f'style="border:1px solid #ccc;border-radius:6px;padding:8px 12px;margin:8px 0">'
        f"<style>{ROW_CSS}</style>{head}\n" + "\n".join(rows) + f'\n<div class="sw-out" data-index="{idx}" style="overflow-x:auto;max-width:100%">{first}</div>\n'
        f"{foot}\n"
        f'<script type="application/json">{data}</script>\n'
        f"<script>{_JS % {'id': wid}}</script>\n</div>"
    )
    size = payload_size(html)
    if size > max_bytes:
        raise WidgetTooLarge(f"static widget {name!r} is {size:,} bytes > {max_bytes:,}; "
                             "narrow the slider ranges")
    return html
