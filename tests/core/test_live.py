"""cnnlib.live, the live page's one door: JSON text in, JSON text out, never raising.

Every widget the book's static sliders name (``data-fn``) is callable with every slider
value and with any whole number inside its live bounds, and nothing else is callable."""

from __future__ import annotations

import itertools
import json
import random

import pytest

from cnnlib import calculators as W
from cnnlib import live as L
from cnnlib import playground as P


def ask(fn, **kwargs) -> dict:
    answer = json.loads(L.call(json.dumps({"fn": fn, "kwargs": kwargs})))
    assert set(answer) == {"ok", "value", "message"}
    return answer


def test_widget_calls_give_the_functions_html():
    a = ask("cnnlib.calculators.conv_html", n="227", k="11", s="4", p="0", d="1")
    assert a["ok"] and a["value"] == W.conv_html(227, 11, 4, 0, 1) and "output size <b>55</b>" in a["value"]
    a = ask("cnnlib.calculators.pool_html", n="11", k="2", s="2", p="0", ceil_mode="True")
    assert a["value"] == W.pool_html(11, 2, 2, 0, True)
    a = ask("cnnlib.calculators.vgg16_size_html", n=" 1,000 ")
    assert a["value"] == W.vgg16_size_html(1000)
    a = ask("cnnlib.playground.render_for", preset="VGG block", size="100")
    assert a["value"] == P.render_for("VGG block", 100)


@pytest.mark.parametrize("name", list(L.WIDGETS))
def test_every_widget_takes_every_slider_value_and_its_live_bounds(name):
    fn, params = L.WIDGETS[name]
    assert L.entry_name(fn) == name
    for p in params:
        values = [str(v) for v in p.values] + ([str(v) for v in p.live] if p.live else [])
        for text in values:
            args, message = L.read_kwargs(name, {p.name: text})
            assert message == "" and args is not None, (p.name, text, message)
        if p.live:
            lo, hi = p.live
            for bad in (str(lo - 1), str(hi + 1), "", "x", "1.5", "--3", "²", None, True):
                args, message = L.read_kwargs(name, {p.name: bad})
                assert args is None and message.startswith(f"{p.text}: type a whole number from"), bad
        else:
            assert L.read_kwargs(name, {p.name: "nonsense"})[1].startswith(f"{p.text}: choose one of")


@pytest.mark.parametrize("name", list(L.WIDGETS))
def test_every_widget_never_raises_at_random_live_values(name):
    params = L.WIDGETS[name][1]
    rng = random.Random(name)
    for _ in range(60):
        kwargs = {p.name: str(rng.randint(*p.live)) if p.live else str(rng.choice(p.values)) for p in params}
        a = ask(name, **kwargs)
        assert a["ok"] and isinstance(a["value"], str) and a["value"], (kwargs, a["message"])


def test_describe_gives_the_pages_inputs():
    d = L.describe()
    assert set(d) == set(L.WIDGETS)
    conv = {p["name"]: p for p in d["cnnlib.calculators.conv_html"]}
    assert conv["n"] == {"name": "n", "label": "n (input)", "kind": "int", "min": 1, "max": 512}
    pool = {p["name"]: p for p in d["cnnlib.calculators.pool_html"]}
    assert pool["ceil_mode"] == {"name": "ceil_mode", "label": "ceil_mode", "kind": "choice",
                                 "values": ["False", "True"]}
    assert L.describe("nope") == {} and ask("cnnlib.live.describe", names=[])["value"] == {}


def test_entry_points_resolve_and_answer():
    for name in L.ENTRY_POINTS:
        assert callable(L.entry_point(name)), name
    a = ask("cnnlib.playground.live_result", text=P.format_network(*P.PRESETS["Keras case 1"]))
    assert a["ok"] and a["value"]["params_text"] == "113,386"
    a = ask("cnnlib.exercises.another", topic="dense", after=7)
    assert a["ok"] and a["value"]["seed"] == 8
    digest = ask("cnnlib.live.source_digest")["value"]
    assert "cnnlib/live.py" in digest and all(len(h) == 64 for h in digest.values())


@pytest.mark.parametrize("request_text", [
    "", "{", "null", "[]", '"text"', "3", '{"fn": null}', '{"fn": "os.system", "kwargs": {"command": "ls"}}',
    '{"fn": "cnnlib.live.call"}', '{"fn": "cnnlib.calculators.conv_html", "kwargs": []}',
    '{"fn": "cnnlib.calculators.conv_html", "kwargs": {"q": 1}}',
    '{"fn": "cnnlib.playground.live_result", "kwargs": {"text": "x", "extra": 1}}',
    '{"fn": "cnnlib.calculators.conv_html", "kwargs": {"n": "99999999999999999999"}}',
])
def test_bad_requests_get_a_message(request_text):
    answer = json.loads(L.call(request_text))
    assert answer["ok"] is False and answer["message"]


def test_call_never_raises_on_random_requests():
    rng = random.Random(3)
    names = list(L.WIDGETS) + list(L.ENTRY_POINTS) + ["nope", None, 3]
    values = ["", "0", "-1", "1", "12", "x", None, True, 1.5, [], {}, "input 1 4 4\nrelu", "pool", 10**30]
    for _ in range(400):
        kwargs = {k: rng.choice(values) for k in rng.sample(["n", "k", "s", "p", "d", "text", "topic", "seed",
                                                             "answers", "after", "names", "size", "preset"],
                                                            rng.randint(0, 4))}
        answer = json.loads(L.call(json.dumps({"fn": rng.choice(names), "kwargs": kwargs})))
        assert isinstance(answer["ok"], bool)


def test_static_sliders_of_the_book_are_live_widgets():
    """What the notebooks hand to static_widget: the Params of cnnlib.calculators/playground."""
    assert {L.entry_name(fn) for fn, _ in L.WIDGETS.values()} == set(L.WIDGETS)
    for name, (fn, params) in L.WIDGETS.items():
        names = [p.name for p in params]
        assert len(set(names)) == len(names)
        for combo in itertools.islice(itertools.product(*(p.values for p in params)), 50):
            assert L.widget_html(name, {p.name: str(v) for p, v in zip(params, combo)})[1] == ""
