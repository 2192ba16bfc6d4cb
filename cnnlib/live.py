"""The live page's one door into cnnlib: a JSON request in, a JSON answer out.

When a reader makes a page of the book live, the page runs this package — the same files the
tests run, packed by ``make book`` — on Pyodide in a Web Worker (``tools/live/``).  The page's
JavaScript computes nothing: it sends the text of :func:`call`'s request and shows the
answer's HTML or text.  :func:`call` never raises and only runs the entry points below.

Requests and answers::

    {"fn": "<entry point>", "kwargs": {...}}  →  {"ok": true, "value": ...}
                                              or {"ok": false, "message": "..."}

Entry points:

* every slider function of :data:`WIDGETS` — ``cnnlib.calculators.conv_html`` and the
  others the book's static sliders show (their HTML names it: ``data-fn``).  Its arguments
  arrive as text, as the reader typed them, and are read against the function's
  :class:`cnnlib.calculators.Param` s: a whole number inside ``Param.live``, or one of
  ``Param.values`` (by its label).  The value is the function's HTML;
* ``cnnlib.live.describe`` — each widget's arguments (name, label, kind, bounds);
* ``cnnlib.live.source_digest`` — the sha256 of every file this cnnlib was imported from;
* ``cnnlib.live.builder_result`` — the playground builder (``text``: the playground's lines,
  or PyTorch/Keras code read by :func:`cnnlib.parse_model`; ``cnnlib.playground.live_result``
  is the playground-lines half);
* ``cnnlib.exercises.another`` / ``cnnlib.exercises.check_answers`` — the exercise banks.

>>> import json
>>> json.loads(call('{"fn": "cnnlib.calculators.conv_html", "kwargs": {"n": "227", "k": "11", "s": "4"}}'))["ok"]
True
>>> json.loads(call('{"fn": "cnnlib.calculators.conv_html", "kwargs": {"n": "100000"}}'))["message"]
'n (input): type a whole number from 1 to 512'
>>> json.loads(call('{"fn": "os.system", "kwargs": {}}'))["message"][:29]
'not an entry point: os.system'
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re

from . import calculators as _c
from . import playground as _pg

__all__ = ["ENTRY_POINTS", "WIDGETS", "builder_result", "call", "describe", "entry_name", "entry_point", "read_kwargs",
           "source_digest",
           "widget_html"]


def entry_name(fn) -> str:
    """The name the page uses for a function: ``cnnlib.calculators.conv_html`` — the public
    name, whichever module of the :mod:`cnnlib.calculators` package defines it."""
    module = fn.__module__
    if module.startswith("cnnlib.calculators."):
        module = "cnnlib.calculators"
    return f"{module}.{fn.__qualname__}"


#: the functions behind the book's static sliders, with the Params the live page reads
WIDGETS = {entry_name(fn): (fn, params) for fn, params in (
    (_c.channels_html, _c.CHANNELS_PARAMS),
    (_c.conv_html, _c.CONV_PARAMS),
    (_c.pool_html, _c.POOL_PARAMS),
    (_c.dense_html, _c.DENSE_PARAMS),
    (_c.bottleneck_html, _c.BOTTLENECK_PARAMS),
    (_c.alexnet_size_html, _c.ALEXNET_SIZE_PARAMS),
    (_c.vgg16_size_html, _c.VGG16_SIZE_PARAMS),
    (_c.face_net_html, _c.FACE_PARAMS),
    (_c.lenet_html, _c.LENET_PARAMS),
    (_c.rf_stack_html, _c.RF_STACK_PARAMS),
    (_c.mobilenet_html, _c.MOBILENET_PARAMS),
    (_c.transpose_html, _c.TRANSPOSE_PARAMS),
    (_pg.render_for, _pg.PRESET_PARAMS),
)}


def _read(param, text):
    """One argument, as typed or as a slider label, → (value, "") or (None, message)."""
    if param.live is not None:
        lo, hi = param.live
        word = text.strip().replace(",", "").replace("_", "") if isinstance(text, str) else text
        value = None
        if isinstance(word, str) and re.fullmatch(r"-?[0-9]+", word):
            value = int(word)
        elif isinstance(word, int) and not isinstance(word, bool):
            value = word
        if value is None or not lo <= value <= hi:
            return None, f"{param.text}: type a whole number from {lo:,} to {hi:,}"
        return value, ""
    for v in param.values:
        if text == param.show(v) or text == str(v) or (type(text) is type(v) and text == v):
            return v, ""
    return None, f"{param.text}: choose one of {', '.join(map(param.show, param.values))}"


def read_kwargs(name: str, kwargs) -> tuple:
    """A widget's arguments from the page → (kwargs for the function, "") or (None, message).

    A missing argument takes its Param's default; an unknown one is refused.

    >>> read_kwargs("cnnlib.calculators.pool_html", {"n": " 13 ", "ceil_mode": "True"})
    ({'n': 13, 'k': 2, 's': 2, 'p': 0, 'ceil_mode': True}, '')
    """
    if name not in WIDGETS:
        return None, f"not a widget: {name}"
    if not isinstance(kwargs, dict):
        return None, "the arguments must be an object"
    params = WIDGETS[name][1]
    unknown = set(kwargs) - {p.name for p in params}
    if unknown:
        return None, f"unknown argument(s): {', '.join(sorted(map(str, unknown)))}"
    out = {}
    for p in params:
        if p.name not in kwargs:
            out[p.name] = p.start
            continue
        value, message = _read(p, kwargs[p.name])
        if message:
            return None, message
        out[p.name] = value
    return out, ""


def widget_html(name: str, kwargs) -> tuple:
    """(the widget function's HTML for the page's arguments, "") or ("", message)."""
    args, message = read_kwargs(name, kwargs)
    if message:
        return "", message
    return WIDGETS[name][0](**args), ""


def describe(names=None) -> dict:
    """Each widget's arguments for the page: ``{name: [{"name", "label", "kind", …}]}`` with
    kind "int" (``min``, ``max``: the live bounds) or "choice" (``values``: the labels).

    >>> describe(["cnnlib.calculators.face_net_html"])["cnnlib.calculators.face_net_html"]
    [{'name': 'n', 'label': 'n (dense neurons)', 'kind': 'int', 'min': 1, 'max': 1000000}]
    """
    if names is None:
        names = list(WIDGETS)
    if isinstance(names, str):
        names = [names]
    out = {}
    for name in names:
        if name not in WIDGETS:
            continue
        out[name] = [({"name": p.name, "label": p.text, "kind": "int", "min": p.live[0], "max": p.live[1]}
                      if p.live is not None else
                      {"name": p.name, "label": p.text, "kind": "choice", "values": [p.show(v) for v in p.values]})
                     for p in WIDGETS[name][1]]
    return out


def source_digest() -> dict:
    """``{path: sha256}`` of the package files this cnnlib was imported from (``cnnlib/…``,
    ``__pycache__`` left out): the page's answer to "which files am I running?", which the
    browser test compares with the repository's core."""
    root = os.path.dirname(os.path.abspath(__file__))
    out = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".pyc"):
                continue
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                rel = os.path.relpath(path, os.path.dirname(root)).replace(os.sep, "/")
                out[rel] = hashlib.sha256(f.read()).hexdigest()
    return out


#: every other function the page may call: its name → "module:function", imported on the
#: first call (the exercises are not needed for a page's first result, and start-up counts)
ENTRY_POINTS = {
    "cnnlib.live.describe": "cnnlib.live:describe",
    "cnnlib.live.source_digest": "cnnlib.live:source_digest",
    "cnnlib.playground.live_result": "cnnlib.playground:live_result",
    "cnnlib.live.builder_result": "cnnlib.live:builder_result",
    "cnnlib.exercises.another": "cnnlib.exercises.live:another",
    "cnnlib.exercises.check_answers": "cnnlib.exercises.live:check_answers",
}


def builder_result(text) -> dict:
    """The live playground's one call: the reader's text, whatever it is.

    PyTorch or Keras code (an ``nn.Sequential(...)``, a ``keras.Sequential([...])`` or
    ``model.add(...)`` lines, with an ``input C H W`` line or Keras' ``Input(shape=…)``) is
    read by :func:`cnnlib.parse.parse_result` — parsed with :mod:`ast`, never run — and the
    playground's own lines by :func:`cnnlib.playground.live_result`.  The same dict as
    ``live_result`` (ok, html, params, params_text, message, line) plus ``syntax`` and
    ``notes`` (what the reader should know about the conversion, shown under the totals).
    Never raises.

    >>> # 3·3·3·8 + 8 = 224 and (8·30·30)·10 + 10 = 72,010
    >>> r = builder_result("input 3 32 32\\nnn.Sequential(nn.Conv2d(3, 8, 3), nn.Flatten(), nn.Linear(8 * 30 * 30, 10))")
    >>> r["ok"], r["syntax"], r["params_text"]
    (True, 'pytorch', '72,234')
    >>> builder_result("input 1 28 28\\nconv 8 3")["syntax"]
    'playground'
    """
    import html as _html

    from . import playground
    from .parse import _is_code, parse_result

    try:
        if not isinstance(text, str) or not _is_code(text):
            return {**playground.live_result(text), "syntax": "playground", "notes": []}
        r = parse_result(text)
        if not r["ok"]:
            return {"ok": False, "html": "", "params": None, "params_text": "", "message": r["message"],
                    "line": r["line"], "syntax": r["syntax"], "notes": []}
        model, params = r["model"], r["model"].total_params
        notes = "".join(f"<li>{_html.escape(n)}</li>" for n in r["notes"])
        body = playground._model_html(model, memory=True, style=False)
        head = (f'<div class="pg-notes"><small>Read as {"PyTorch" if r["syntax"] == "pytorch" else "Keras"} '
                f"code (parsed, never run)</small><ul>{notes}</ul></div>" if notes else
                f'<div class="pg-notes"><small>Read as {"PyTorch" if r["syntax"] == "pytorch" else "Keras"} '
                "code (parsed, never run)</small></div>")
        return {"ok": True, "html": head + body, "params": params, "params_text": f"{params:,}", "message": "",
                "line": None, "syntax": r["syntax"], "notes": list(r["notes"])}
    except Exception as e:  # noqa: BLE001 — the page must get an answer
        return {"ok": False, "html": "", "params": None, "params_text": "", "message": f"{type(e).__name__}: {e}",
                "line": None, "syntax": "", "notes": []}


def entry_point(name: str):
    """The function behind an :data:`ENTRY_POINTS` name."""
    module, _, attr = ENTRY_POINTS[name].partition(":")
    return getattr(importlib.import_module(module), attr)


def call(request) -> str:
    """Run one request (JSON text: ``{"fn": name, "kwargs": {...}}``) → the answer as JSON
    text: ``{"ok": true, "value": …}`` or ``{"ok": false, "message": …}``.  Never raises."""
    try:
        req = json.loads(request) if isinstance(request, (str, bytes)) else request
        if not isinstance(req, dict):
            raise TypeError("the request must be an object")
        name, kwargs = req.get("fn"), req.get("kwargs", {})
        if not isinstance(kwargs, dict):
            raise TypeError("kwargs must be an object")
        if name in WIDGETS:
            html, message = widget_html(name, kwargs)
            answer = {"ok": not message, "value": html, "message": message}
        elif name in ENTRY_POINTS:
            answer = {"ok": True, "value": entry_point(name)(**kwargs), "message": ""}
        else:
            answer = {"ok": False, "value": None, "message": f"not an entry point: {str(name)[:80]}"}
        return json.dumps(answer, ensure_ascii=False)
    except Exception as e:  # noqa: BLE001 — the page must get an answer
        return json.dumps({"ok": False, "value": None, "message": f"{type(e).__name__}: {e}"[:500]},
                          ensure_ascii=False)
