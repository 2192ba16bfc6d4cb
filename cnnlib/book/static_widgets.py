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
``class="sw-slider"`` and ``data-param="<argument>"``, its output ``class="sw-out"``; once
the table is unpacked the block gets ``data-ready="1"`` and the output ``data-index`` (for
browser tests).  Ids are derived from ``name``, so the HTML is identical on every run (nbval
compares it).

When ``fn`` is one of the live page's widget functions (:data:`cnnlib.live.WIDGETS`), the
block also says which: ``data-fn="cnnlib.calculators.conv_html"``.  A page made live
(``tools/live/``) then calls that function in the reader's browser with any numbers the
reader types, and sets ``data-live`` on the block, from which point this block's script
stops writing precomputed results into the output.

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

__all__ = ["WidgetTooLarge", "payload_size", "playground_builder", "static_widget"]

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


def _live_name(fn, params) -> str:
    """`` data-fn="<name>"`` when the live page can call ``fn`` with every slider value, else ""."""
    from ..live import WIDGETS, entry_name, read_kwargs

    name = entry_name(fn) if hasattr(fn, "__qualname__") else ""
    if name not in WIDGETS:
        return ""
    for p in params:
        for v in p.values:
            _, message = read_kwargs(name, {p.name: p.show(v)})
            if message:
                raise ValueError(f"{name}: the live page would refuse slider value {v!r}: {message}")
    return f' data-fn="{_html.escape(name)}"'


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
    if (!data || root.dataset.live) return;
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
    live_fn = _live_name(fn, params)
    table, results = _encode(fn, params)
    labels = [[p.show(v) for v in p.values] for p in params]
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
    foot = f"<div class='sw-note' style='color:#666;font-size:90%'>{_html.escape(note)}</div>" if note else ""
    html = (
        f'<div class="static-widget" id="{wid}" data-widget="{name}"{live_fn} '
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


_BUILDER_CSS = """
.cnnlib-builder{border:1px solid #ccc;border-radius:6px;padding:8px 12px;margin:8px 0}
.cnnlib-builder .pgb-examples{display:flex;flex-wrap:wrap;gap:.4em;align-items:center;margin:0 0 .5em}
.cnnlib-builder .pgb-examples button{font:inherit;font-size:.9em;padding:.15em .7em;border-radius:4px;
 border:1px solid #8c959f;background:#fff;color:#1f2328;cursor:pointer}
.cnnlib-builder .pgb-examples button:hover{background:#eef2f6}
.cnnlib-builder .pgb-examples button:disabled{opacity:.5;cursor:default;background:#fff}
.cnnlib-builder label{display:block;font-weight:600;margin:.2em 0}
.cnnlib-builder textarea{box-sizing:border-box;width:100%;min-height:14em;resize:vertical;
 font:14px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:6px 8px;
 border:1px solid #8c959f;border-radius:4px;background:#fff;color:#1f2328}
.cnnlib-builder textarea:focus{outline:2px solid #2b6cb0;outline-offset:1px}
.cnnlib-builder textarea[readonly]{background:#f6f8fa}
.cnnlib-builder .pgb-help{font-size:.85em;color:#57606a;margin:.2em 0 .6em}
.cnnlib-builder .pgb-status{font-size:.9em;color:#57606a;margin:.3em 0}
.cnnlib-builder .pgb-file{display:none}
html[data-cnnlib-live=file] .cnnlib-builder .pgb-file{display:block}
html[data-cnnlib-live=file] .cnnlib-builder .pgb-status{display:none}
.cnnlib-builder .pgb-total{font-size:1.15em;margin:.3em 0}
.cnnlib-builder .pgb-total b{font-variant-numeric:tabular-nums}
.cnnlib-builder .pgb-message{border-left:4px solid #c0392b;background:#fdecea;color:#8a1c1c;
 padding:4px 10px;margin:.4em 0;white-space:pre-wrap;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;
 font-size:.9em}
.cnnlib-builder .pgb-out{overflow-x:auto;max-width:100%;transition:opacity .15s;contain:content}
.cnnlib-builder .pgb-placeholder{color:#57606a;font-style:italic;margin:.5em 0}
.cnnlib-builder .pgb-out.pgb-stale{opacity:.45}
.cnnlib-builder .pgb-message small{display:block;font-family:system-ui,sans-serif;color:#57606a}
.cnnlib-builder[data-live-state=error] .pgb-total{opacity:.6}
html[data-theme=dark] .cnnlib-builder textarea,html[data-theme=dark] .cnnlib-builder .pgb-examples button{
 background:#0d1117;color:#e6edf3}
"""

_BUILDER_JS = """
(function () {
  var root = document.getElementById("cnnlib-playground");
  var box = document.getElementById("cnnlib-playground-input");
  var examples = JSON.parse(root.querySelector("script[data-role='examples']").textContent);
  var buttons = root.querySelectorAll("button[data-role='example']");
  if (location.protocol === "file:") {  // no live mode from disk: say so (CSS), edit nothing
    document.documentElement.setAttribute("data-cnnlib-live", "file");
    box.readOnly = true;
    buttons.forEach(function (b) { b.disabled = true; });
    return;
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      box.value = examples[b.getAttribute("data-name")];
      box.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });
  box.addEventListener("input", function () {
    if (!(window.cnnlibLive && window.cnnlibLive.started)) document.dispatchEvent(new Event("cnnlib-live-request"));
  });
})();
"""


def playground_builder(examples=None, start: str = "Keras case 1") -> str:
    """The playground's builder for the book page: a text box holding a network in the
    playground's syntax (:func:`cnnlib.playground.read_network`), example buttons that fill
    it, the total parameter count (computed now for the first example) and an output area
    where the live page (``tools/live/``) shows what :func:`cnnlib.playground.live_result`
    gives for the text, on every edit once the reader's first edit has made the page live.
    The table's CSS is here once (live results come without it); the output is not
    precomputed, so that the page weighs about what it did without the builder — the
    presets × sizes widget above it shows precomputed tables and diagrams.

    Test hooks: the text box ``#cnnlib-playground-input``, the total
    ``#cnnlib-playground-params``; in ``div.cnnlib-builder`` (``data-fn`` names the entry
    point), ``[data-role=output]``, ``[data-role=message]`` (a bad text's reason), and
    ``data-live-state`` (pending, ok, error) once live.  Byte-identical for the same
    arguments (nbval compares it).
    """
    from ..playground import EXAMPLES, format_network, live_result
    from ..tables import TABLE_CSS

    examples = dict(EXAMPLES if examples is None else examples)
    texts = {name: format_network(*net) for name, net in examples.items()}
    first = live_result(texts[start])
    if not first["ok"]:
        raise ValueError(f"the first example does not build: {first['message']}")
    buttons = "".join(f'<button type="button" data-role="example" data-name="{_html.escape(n)}">'
                      f"{_html.escape(n)}</button>" for n in texts)
    data = json.dumps(texts, ensure_ascii=False).replace("</", "<\\/")
    return (
        f'<div class="cnnlib-builder" id="cnnlib-playground" data-fn="cnnlib.playground.live_result">'
        f"<style>{_BUILDER_CSS}{TABLE_CSS}</style>\n"
        f'<div class="pgb-examples" role="group" aria-label="examples"><span>Examples:</span>{buttons}</div>\n'
        '<label for="cnnlib-playground-input">Your network: the input shape (C H W), then one layer per line'
        "</label>\n"
        f'<textarea id="cnnlib-playground-input" spellcheck="false" autocomplete="off" rows="14">'
        f"{_html.escape(texts[start])}</textarea>\n"
        '<div class="pgb-help">Layers: <code>conv OUT K [sS] [pP]</code>, <code>pool K [sS] [pP]</code>, '
        "<code>avgpool K [sS] [pP]</code>, <code>dense OUT</code>, <code>flatten</code>, <code>relu</code>, "
        "<code>bn</code>, <code>gap</code>, <code>dropout [P]</code>; <code>#</code> starts a comment. Or paste PyTorch code (<code>nn.Sequential(…)</code> after the input line) or Keras code (<code>keras.Sequential([…])</code>): it is parsed, never run.</div>\n"
        '<div class="pgb-status" data-cnnlib-live-status="builder">Edit the network or pick an example: the '
        "page goes live (cnnlib in your browser, a few seconds the first time) and recomputes as you type.</div>\n"
        '<div class="pgb-file">Editing needs live mode, which needs the book served over http: run '
        "<code>make serve</code> and open the address it prints. The presets above work here.</div>\n"
        f'<div class="pgb-total">Total parameters: <b id="cnnlib-playground-params">{first["params_text"]}</b></div>\n'
        '<div class="pgb-message" data-role="message" aria-live="polite" hidden></div>\n'
        '<div class="pgb-out" data-role="output"><p class="pgb-placeholder">The totals, the memory, the '
        "summary table and the shapes diagram of your network appear here once the page is live.</p></div>\n"
        f'<script type="application/json" data-role="examples">{data}</script>\n'
        f"<script>{_BUILDER_JS}</script>\n</div>"
    )
