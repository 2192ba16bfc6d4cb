"""The playground: build a small network from a list of layers and see what it costs.

A network is an input shape (C, H, W) and a *spec*: a list of plain dicts, one per layer.

=========  ===========================================  ==================================
type       keys (defaults)                              cnnlib layer
=========  ===========================================  ==================================
conv       out, k, s (1), p (0)                         ``Conv2d(out, k, stride=s, padding=p)``
pool       k, s (= k), p (0)                            ``MaxPool2d(k, stride=s, padding=p)``
avgpool    k, s (= k), p (0)                            ``AvgPool2d(k, stride=s, padding=p)``
dense      out                                          ``Dense(out)``
flatten    —                                            ``Flatten()``
relu       —                                            ``ReLU()``
bn         —                                            ``BatchNorm2d()``
dropout    p (0.5)                                      ``Dropout(p)``
gap        —                                            ``GlobalAvgPool2d()``
=========  ===========================================  ==================================

The text syntax of the live widget (:func:`parse`, :func:`format_spec`) is one layer per
line, the type followed by its numbers; stride and padding are written ``s2``, ``p1``;
blank lines and everything after ``#`` are ignored::

    conv 32 3 s1 p0     # 32 filters of 3×3, stride 1, padding 0
    pool 2              # 2×2 max pool, stride 2
    avgpool 3 s2 p1
    flatten
    dense 128
    relu / bn / gap / dropout [0.5]

:func:`build`, :func:`parse` and :func:`render` never raise: a bad spec gives a message
naming the layer ("layer 3 (conv2): …"), shown in a red box.  The live ipywidgets UI is
:func:`cnnlib.book.playground_ui.playground`.

>>> shape, spec = PRESETS["Keras case 1"]
>>> model, msg = build(shape, spec)
>>> model.total_params, msg
(113386, '')
>>> parse("conv 32 3 s1 p0\\npool 2")
([{'type': 'conv', 'out': 32, 'k': 3, 's': 1, 'p': 0}, {'type': 'pool', 'k': 2}], '')
>>> build((1, 4, 4), [{"type": "conv", "out": 8, "k": 5}])[1][:19]
'layer 1 (conv1): Co'
"""

from __future__ import annotations

import html as _html
import random

from .calculators import Param
from .errors import ShapeError
from .layers import (
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    Dense,
    Dropout,
    Flatten,
    GlobalAvgPool2d,
    MaxPool2d,
    ReLU,
)
from .model import Sequential
from .tables import TABLE_CSS, html_table

__all__ = ["EXAMPLES", "LAYER_TYPES", "MAX_LAYERS", "PRESETS", "PRESET_PARAMS", "SpecError", "build",
           "diagram_svg", "format_network", "format_spec", "live_result", "memory_html", "parse",
           "random_network", "read_network", "render", "render_for", "totals_html"]

#: type → (required keys, optional keys with defaults, name stem in the summary)
LAYER_TYPES = {
    "conv": (("out", "k"), {"s": 1, "p": 0}, "conv"),
    "pool": (("k",), {"s": None, "p": 0}, "pool"),
    "avgpool": (("k",), {"s": None, "p": 0}, "avgpool"),
    "dense": (("out",), {}, "fc"),
    "flatten": ((), {}, "flatten"),
    "relu": ((), {}, "relu"),
    "bn": ((), {}, "bn"),
    "dropout": ((), {"p": 0.5}, "dropout"),
    "gap": ((), {}, "gap"),
}

_MIN = {"out": 1, "k": 1, "s": 1, "p": 0}


class SpecError(ValueError):
    """A layer dict or a line of text that cannot be read (caught by build and parse)."""


def _conv(out, k, s=1, p=0):
    return {"type": "conv", "out": out, "k": k, "s": s, "p": p}


_RELU = {"type": "relu"}

#: name → (input shape (C, H, W), spec)
PRESETS = {
    "Keras case 1": ((1, 28, 28), [
        _conv(32, 3), _RELU, {"type": "pool", "k": 2},
        _conv(32, 3), _RELU, {"type": "pool", "k": 2},
        {"type": "flatten"}, {"type": "dense", "out": 128}, _RELU, {"type": "dense", "out": 10},
    ]),
    "AlexNet (single tower, 227)": ((3, 227, 227), [
        _conv(96, 11, s=4), _RELU, {"type": "pool", "k": 3, "s": 2},
        _conv(256, 5, p=2), _RELU, {"type": "pool", "k": 3, "s": 2},
        _conv(384, 3, p=1), _RELU, _conv(384, 3, p=1), _RELU, _conv(256, 3, p=1), _RELU,
        {"type": "pool", "k": 3, "s": 2}, {"type": "flatten"},
        {"type": "dropout"}, {"type": "dense", "out": 4096}, _RELU,
        {"type": "dropout"}, {"type": "dense", "out": 4096}, _RELU,
        {"type": "dense", "out": 1000},
    ]),
    "VGG block": ((3, 64, 64), [
        _conv(64, 3, p=1), _RELU, _conv(64, 3, p=1), _RELU, {"type": "pool", "k": 2},
        {"type": "flatten"}, {"type": "dense", "out": 10},
    ]),
    "BN + global average pool": ((3, 32, 32), [
        _conv(32, 3, p=1), {"type": "bn"}, _RELU, {"type": "pool", "k": 2},
        _conv(64, 3, p=1), {"type": "bn"}, _RELU, {"type": "gap"},
        {"type": "flatten"}, {"type": "dense", "out": 10},
    ]),
}



def _vgg16_spec():
    spec = []
    for out, convs in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)):
        spec += [_conv(out, 3, p=1), _RELU] * convs + [{"type": "pool", "k": 2}]
    spec.append({"type": "flatten"})
    for out in (4096, 4096):
        spec += [{"type": "dense", "out": out}, _RELU, {"type": "dropout"}]
    return spec + [{"type": "dense", "out": 1000}]


#: the live playground's examples: the presets and a network the size of VGG-16
#: (138,357,544 parameters), kept out of :data:`PRESETS` so the static book's
#: precomputed presets × sizes widget stays as it is
EXAMPLES = {**PRESETS, "VGG-16 (224)": ((3, 224, 224), _vgg16_spec())}


# ------------------------------------------------------------------ building


def _whole(key, value, minimum) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SpecError(f"{key} must be a whole number, got {value!r}")
    if value < minimum:
        raise SpecError(f"{key} must be ≥ {minimum}, got {value}")
    return value


def _layer(item):
    """One spec dict → (stem, cnnlib layer); ValueError/ShapeError with the reason."""
    if not isinstance(item, dict):
        raise SpecError(f"expected a dict such as {{'type': 'conv', 'out': 32, 'k': 3}}, "
                         f"got {item!r}")
    kind = item.get("type")
    if not isinstance(kind, str) or kind not in LAYER_TYPES:
        raise SpecError(f"unknown layer type {kind!r}; use one of {', '.join(LAYER_TYPES)}")
    required, optional, stem = LAYER_TYPES[kind]
    extra = set(item) - {"type", *required, *optional}
    if extra:
        raise SpecError(f"{kind} takes {', '.join((*required, *optional)) or 'no numbers'}, "
                         f"not {', '.join(sorted(map(str, extra)))}")
    missing = [k for k in required if k not in item]
    if missing:
        raise SpecError(f"{kind} needs {', '.join(missing)}")
    v = {**optional, **{k: item[k] for k in (*required, *optional) if k in item}}
    if kind == "dropout":
        p = v["p"]
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
            raise SpecError(f"dropout p must be a probability between 0 and 1, got {p!r}")
        return stem, Dropout(p)
    for key, value in v.items():
        if value is not None:
            _whole(key, value, _MIN[key])
    if kind == "conv":
        return stem, Conv2d(v["out"], v["k"], stride=v["s"], padding=v["p"])
    if kind in ("pool", "avgpool"):
        cls = MaxPool2d if kind == "pool" else AvgPool2d
        if 2 * v["p"] > v["k"]:
            raise SpecError(f"padding {v['p']} is more than half the window {v['k']} "
                             f"(PyTorch refuses it); use p ≤ {v['k'] // 2}")
        return stem, cls(v["k"], stride=v["s"], padding=v["p"])
    if kind == "dense":
        return stem, Dense(v["out"])
    return stem, {"flatten": Flatten, "relu": ReLU, "bn": BatchNorm2d,
                  "gap": GlobalAvgPool2d}[kind]()


def _check_input(input_shape):
    try:
        shape = tuple(input_shape)
    except TypeError:
        raise SpecError(f"the input shape must be (C, H, W), got {input_shape!r}") from None
    if len(shape) != 3:
        raise SpecError(f"the input shape must be (C, H, W), got {input_shape!r}")
    for key, value in zip("CHW", shape):
        _whole(key, value, 1)
    return shape


def build(input_shape, spec) -> tuple:
    """(Sequential, "") for a valid spec, else (None, one message naming the layer).

    Layers are named by type and number (conv1, pool1, fc1 …) as the summary shows them;
    the message reads "layer 3 (conv2): <reason>", the reason being cnnlib's ShapeError
    text for a layer that cannot run on its input.  Never raises.

    >>> build((1, 28, 28), [{"type": "dense"}])[1]
    'layer 1 (fc1): dense needs out'
    """
    return _build(input_shape, spec)[:2]


def _build(input_shape, spec) -> tuple:
    """:func:`build` plus the number (1, 2, …) of the layer the message is about, else None."""
    try:
        shape = _check_input(input_shape)
    except ValueError as e:
        return None, f"input: {e}", None
    if isinstance(spec, (str, bytes, dict)) or spec is None:
        return None, f"the spec must be a list of layer dicts, got {spec!r}"[:300], None
    try:
        spec = list(spec)
    except TypeError:
        return None, f"the spec must be a list of layer dicts, got {spec!r}"[:300], None
    if not spec:
        return None, "the network is empty: add a layer", None
    pairs, counts, where = [], {}, {}
    for i, item in enumerate(spec, 1):
        kind = item.get("type") if isinstance(item, dict) else None
        try:
            kind_ok = kind in LAYER_TYPES
        except TypeError:  # an unhashable 'type'
            kind_ok = False
        name, label = "", f"layer {i}"
        if kind_ok:
            stem = LAYER_TYPES[kind][2]
            counts[stem] = counts.get(stem, 0) + 1
            name = f"{stem}{counts[stem]}"
            label = f"layer {i} ({name})"
        try:
            _, layer = _layer(item)
        except (ValueError, ShapeError) as e:
            return None, f"{label}: {e}", i
        except Exception as e:  # noqa: BLE001 — never raise, say what went wrong
            return None, f"{label}: {type(e).__name__}: {e}", i
        pairs.append((name, layer))
        where[name] = i
    try:
        model = Sequential(shape, pairs, name="playground")
        model.rows()
    except ShapeError as e:
        path = getattr(e, "layer_path", "") or ""
        name = path.split(".")[0]
        if name in where:
            return None, f"layer {where[name]} ({name}): {getattr(e, 'detail', e)}", where[name]
        return None, str(e), None
    except Exception as e:  # noqa: BLE001
        return None, f"{type(e).__name__}: {e}", None
    return model, "", None


# ------------------------------------------------------------------ text syntax


def parse(text) -> tuple:
    """The playground's text syntax → (spec, "") or (None, "line n: reason"). Never raises.

    One layer per line: ``conv OUT K [sS] [pP]``, ``pool K [sS] [pP]``,
    ``avgpool K [sS] [pP]``, ``dense OUT``, ``dropout [P]``, ``flatten``, ``relu``, ``bn``,
    ``gap``; ``#`` starts a comment.  Shape checks are :func:`build`'s job.

    >>> parse("conv 32 three")
    (None, "line 1: conv: 'three' is not a whole number")
    """
    spec, _, message = _parse(text)
    return spec, message


def _words(raw: str) -> list:
    """The words of one line: ``#`` starts a comment, commas separate like spaces."""
    return raw.split("#", 1)[0].replace(",", " ").split()


def _parse(text) -> tuple:
    """:func:`parse` plus the line number (1, 2, …) of every layer: (spec, lines, message)."""
    if not isinstance(text, str):
        return None, [], f"expected text, got {type(text).__name__}"
    spec, lines = [], []
    for n, raw in enumerate(text.splitlines(), 1):
        words = _words(raw)
        if not words:
            continue
        try:
            spec.append(_parse_line(words))
        except ValueError as e:
            return None, [], f"line {n}: {e}"
        lines.append(n)
    return spec, lines, ""


def _parse_line(words) -> dict:
    kind, args = words[0].lower(), words[1:]
    if kind not in LAYER_TYPES:
        raise SpecError(f"unknown layer {words[0]!r}; use one of {', '.join(LAYER_TYPES)}")
    required, optional, _ = LAYER_TYPES[kind]
    item = {"type": kind}
    if kind == "dropout":
        if len(args) > 1:
            raise SpecError("dropout takes at most one number, the probability p")
        if args:
            try:
                item["p"] = float(args[0])
            except ValueError:
                raise SpecError(f"dropout: {args[0]!r} is not a number") from None
        return item
    positional = [a for a in args if not (a[:1] in "sp" and len(a) > 1)]
    named = [a for a in args if a not in positional]
    if len(positional) != len(required):
        want = " ".join(k.upper() for k in required) or "no numbers"
        raise SpecError(f"{kind} takes {want}"
                         + (" (then optional sS pP)" if optional else "")
                         + f", got {' '.join(args) or 'nothing'}")
    for key, word in zip(required, positional):
        item[key] = _int(kind, word)
    for word in named:
        key = word[0]
        if key not in optional:
            raise SpecError(f"{kind} has no {key} (stride/padding): {word!r}")
        if key in item:
            raise SpecError(f"{kind}: {key} is given twice")
        item[key] = _int(kind, word[1:])
    return item


def _int(kind, word) -> int:
    try:
        return int(word)
    except ValueError:
        raise SpecError(f"{kind}: {word!r} is not a whole number") from None


def format_spec(spec) -> str:
    """A spec → the text syntax, one layer per line (the inverse of :func:`parse`).

    >>> format_spec([{"type": "conv", "out": 32, "k": 3, "s": 1, "p": 0}, {"type": "flatten"}])
    'conv 32 3 s1 p0\\nflatten'
    """
    lines = []
    for item in spec:
        kind = item["type"]
        required, optional, _ = LAYER_TYPES[kind]
        words = [kind, *(str(item[k]) for k in required)]
        if kind == "dropout":
            words += [str(item["p"])] if "p" in item else []
        else:
            words += [f"{k}{item[k]}" for k in optional if item.get(k) is not None]
        lines.append(" ".join(words))
    return "\n".join(lines)


# ------------------------------------------------------------------ rendering


def _error_box(message: str) -> str:
    return ('<div class="pg-error" style="border:2px solid #c00;background:#fee;color:#900;'
            'padding:6px 10px;border-radius:4px;white-space:pre-wrap">'
            f"<b>Cannot build this network.</b> {_html.escape(message)}</div>")


def totals_html(model) -> str:
    """One line of totals: parameters, MACs and forward activation memory (float32)."""
    act = model.memory().activation_bytes
    return ('<div class="pg-totals" style="margin:4px 0">'
            f"<b>{model.total_params:,}</b> parameters · <b>{model.macs:,}</b> MACs · "
            f"activations {model.activation_elements:,} elements = "
            f"{act / 1e6:,.2f} MB ({act / 2**20:,.2f} MiB) in float32, batch 1 "
            f"(MB = 10⁶ bytes, MiB = 2²⁰)</div>")


def diagram_svg(model) -> str:
    """The shapes diagram as inline SVG (:func:`cnnlib.diagram.shapes_svg`): written as text,
    about a millisecond, so the live playground can redraw it on every slider step."""
    from .diagram import shapes_svg

    return f'<div class="pg-diagram">{shapes_svg(model, fontsize=11)}</div>'


def render(input_shape, spec, *, diagram: bool = True) -> str:
    """HTML: totals, the styled summary table and (optionally) the shapes diagram — or the
    message of :func:`build` in a red box.  Never raises.

    >>> "113,386" in render(*PRESETS["Keras case 1"], diagram=False)
    True
    """
    model, message = build(input_shape, spec)
    if model is None:
        return _error_box(message)
    try:
        return _model_html(model, diagram=diagram)
    except Exception as e:  # noqa: BLE001 — the UI must keep working
        return _error_box(f"{type(e).__name__}: {e}")


def _model_html(model, *, diagram: bool = True, memory: bool = False, style: bool = True) -> str:
    table = html_table(model)
    if not style:  # the page holds TABLE_CSS once: a <style> per update restyles the whole page
        table = table.replace(f"<style>{TABLE_CSS}</style>", "", 1)
    parts = [totals_html(model)]
    if memory:
        parts.append(memory_html(model))
    parts.append(table)
    if diagram:
        parts.append(diagram_svg(model))
    return "\n".join(parts)


def render_for(preset: str, size: int, diagram: bool = True) -> str:
    """:func:`render` of a preset with its input resized to size×size (the static widget)."""
    (c, _, _), spec = PRESETS[preset]
    return render((c, size, size), spec, diagram=diagram)


#: the static book's presets × input sizes widget (``render_for``); the live page takes any
#: size from 1 to 1024
PRESET_PARAMS = (
    Param("preset", tuple(PRESETS), "preset", "Keras case 1"),
    Param("size", (12, 16, 20, 24, 28, 32, 40, 48, 64, 96, 128, 160, 192, 227), "input height = width", 28,
          live=(1, 1024)),
)


# ------------------------------------------------------------------ the live page

_NO_INPUT = "line 1: start with the input shape, a line such as input 3 224 224 (C H W)"

#: the most layers the live playground reads (a longer text gets a message, not a long wait)
MAX_LAYERS = 400


def memory_html(model) -> str:
    """One line of memory in float32 for batch 1 (the totals line has the activations): the
    parameters, and training ≈ 2·parameters (weights and gradients) + buffers + 2·activations
    (outputs and their gradients) — :class:`cnnlib.Memory`, no optimizer state."""
    m = model.memory()
    return ('<div class="pg-memory" style="margin:4px 0">'
            f"parameters take {m.param_bytes / 1e6:,.2f} MB ({m.param_bytes / 2**20:,.2f} MiB) in float32; "
            f"training needs ≈ {m.training_bytes / 1e6:,.2f} MB (weights and gradients, activations and "
            "theirs, batch 1, no optimizer state)</div>")


def format_network(input_shape, spec) -> str:
    """An input shape and a spec → the live playground's text: ``input C H W`` then the layers.

    >>> print(format_network((1, 28, 28), [{"type": "conv", "out": 8, "k": 3}, {"type": "relu"}]))
    input 1 28 28
    conv 8 3
    relu
    """
    c, h, w = input_shape
    return f"input {c} {h} {w}\n" + format_spec(spec)


def read_network(text) -> tuple:
    """The live playground's text → (input shape, spec, line of each layer, message, line).

    The text is :func:`parse`'s syntax plus one line ``input C H W`` (channels first, as
    everywhere in cnnlib) before the layers.  On success the message is "" and the last
    item None; otherwise the shape and spec are None and the message names the line.  Never
    raises.  This is the one place the page's text is read: a reader of other syntaxes
    (PyTorch or Keras code, ``cnnlib.parse_model``) plugs in here and returns the same tuple.

    >>> read_network("input 1 28 28\\n# a comment\\nconv 8 3")[:3]
    ((1, 28, 28), [{'type': 'conv', 'out': 8, 'k': 3}], [3])
    >>> read_network("conv 8 3")[3]
    'line 1: start with the input shape, a line such as input 3 224 224 (C H W)'
    """
    if not isinstance(text, str):
        return None, None, [], f"expected text, got {type(text).__name__}", None
    lines = text.splitlines()
    shape, first = None, None
    for n, raw in enumerate(lines, 1):
        words = _words(raw)
        if not words:
            continue
        if words[0].lower() != "input":
            if shape is None:
                break
            continue
        if shape is not None:
            return None, None, [], f"line {n}: the input is given twice (line {first} and line {n})", n
        numbers = [w for word in words[1:] for w in word.lower().replace("×", "x").split("x") if w]
        try:
            shape = tuple(int(w) for w in numbers)
        except ValueError:
            shape = ()
        if len(shape) != 3 or min(shape) < 1:
            return None, None, [], (f"line {n}: input takes three whole numbers ≥ 1, C H W "
                                    f"(channels first), got {' '.join(words[1:]) or 'nothing'}"), n
        first = n
        lines[n - 1] = ""  # keep the numbering of the layer lines
    if shape is None:
        return None, None, [], _NO_INPUT, 1
    spec, where, message = _parse("\n".join(lines))
    if spec is None:
        return None, None, [], message, _line_of(message)
    if len(spec) > MAX_LAYERS:
        return None, None, [], f"line {where[MAX_LAYERS]}: more than {MAX_LAYERS} layers", where[MAX_LAYERS]
    return shape, spec, where, "", None


def _line_of(message: str):
    head = message.split(":", 1)[0]
    return int(head[5:]) if head.startswith("line ") and head[5:].isdigit() else None


def _failure(message: str, line) -> dict:
    return {"ok": False, "html": "", "params": None, "params_text": "", "message": message,
            "line": line}


def live_result(text) -> dict:
    """What the live playground shows for the text in its box: the one call the page makes.

    Reads the text with :func:`read_network`, builds it with :func:`build` and returns a
    JSON-able dict: ``ok``; ``html`` — totals, memory, the summary table
    (:func:`cnnlib.tables.html_table`, without its ``<style>``: the page carries
    :data:`cnnlib.tables.TABLE_CSS` once) and the shapes diagram
    (:func:`cnnlib.diagram.shapes_svg`), "" when not ok; ``params`` (an int) and
    ``params_text`` (with thousands separators); ``message`` — "" or the reason, starting
    with the line it is about ("line 4: layer 3 (conv2): …"); ``line``.  Never raises.

    >>> r = live_result(format_network(*PRESETS["Keras case 1"]))
    >>> r["ok"], r["params"], r["params_text"]
    (True, 113386, '113,386')
    >>> live_result("input 1 28 28\\nconv 8 3\\nconv 8 40")["message"][:29]
    'line 3: layer 2 (conv2): Conv'
    """
    try:
        shape, spec, where, message, line = read_network(text)
        if message:
            return _failure(message, line)
        model, message, index = _build(shape, spec)
        if model is None:
            line = where[index - 1] if index else None
            return _failure(f"line {line}: {message}" if line else message, line)
        params = model.total_params
        return {"ok": True, "html": _model_html(model, memory=True, style=False), "params": params,
                "params_text": f"{params:,}", "message": "", "line": None}
    except Exception as e:  # noqa: BLE001 — the page must get an answer
        return _failure(f"{type(e).__name__}: {e}", None)


def random_network(seed) -> str:
    """A random valid network in the live playground's syntax, the same for the same seed.

    An input of 1–4 or 16 channels and 8–256 pixels a side (not always square), then up to
    24 layers drawn from every type with random sizes, strides and padding; a layer that
    cannot run on its input is drawn again (at most 20 tries, then left out), so
    :func:`live_result` always accepts the text.  Some lines carry a comment.  For tests.

    >>> live_result(random_network(1))["ok"]
    True
    """
    rng = random.Random(f"playground:{seed}")
    h = rng.randint(8, 256)
    shape = (rng.choice((1, 2, 3, 4, 16)), h, h if rng.random() < 0.7 else rng.randint(8, 256))
    spec: list = []
    flat = False
    for _ in range(rng.randint(1, 24)):
        for _try in range(20):
            item = _random_layer(rng, flat)
            if build(shape, spec + [item])[0] is not None:
                spec.append(item)
                flat = flat or item["type"] in ("flatten", "dense", "gap")
                break
    if not spec:
        spec = [{"type": "relu"}]
    lines = format_network(shape, spec).splitlines()
    for i in range(1, len(lines)):
        if rng.random() < 0.1:
            lines[i] += "   # " + rng.choice(("wider", "try s2", "why?", "from the paper"))
    return "\n".join(lines)


def _random_layer(rng, flat: bool) -> dict:
    if flat:
        kind = rng.choices(("dense", "relu", "dropout"), (5, 3, 2))[0]
    else:
        kind = rng.choices(("conv", "pool", "avgpool", "relu", "bn", "dropout", "gap", "flatten", "dense"),
                           (40, 15, 5, 15, 5, 3, 2, 10, 5))[0]
    if kind == "conv":
        k = rng.choice((1, 1, 3, 3, 3, 5, 7, 11))
        item = {"type": "conv", "out": rng.choice((1, 8, 16, 32, 64, 96, 128, 256, 512)), "k": k}
        if rng.random() < 0.5:
            item["s"] = rng.choice((1, 2, 4))
        if rng.random() < 0.5:
            item["p"] = rng.randint(0, k)
        return item
    if kind in ("pool", "avgpool"):
        k = rng.choice((2, 2, 3, 4))
        item = {"type": kind, "k": k}
        if rng.random() < 0.4:
            item["s"] = rng.randint(1, k)
        if rng.random() < 0.3:
            item["p"] = rng.randint(0, k // 2)
        return item
    if kind == "dense":
        return {"type": "dense", "out": rng.choice((1, 10, 100, 128, 1000, 4096))}
    if kind == "dropout":
        return {"type": "dropout", "p": rng.choice((0.1, 0.25, 0.5))} if rng.random() < 0.5 else {"type": "dropout"}
    return {"type": kind}
