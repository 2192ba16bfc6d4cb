"""The sliders of the chapters "Receptive fields" and "After VGG": a result or a clear message at
every position of their static and live ranges, and every step of every slider changes what
it shows."""

from __future__ import annotations

import itertools

from cnnlib import calculators as W


def _combos(params):
    names = [p.name for p in params]
    for values in itertools.product(*(p.values for p in params)):
        yield dict(zip(names, values))


def _every_step_changes(fn, params):
    """For every position and every slider, moving that slider one step changes the HTML."""
    cache = {}

    def show(kw):
        key = tuple(sorted(kw.items()))
        if key not in cache:
            cache[key] = fn(**kw)
        return cache[key]

    for kw in _combos(params):
        for p in params:
            i = p.values.index(kw[p.name])
            if i + 1 < len(p.values):
                moved = {**kw, p.name: p.values[i + 1]}
                assert show(kw) != show(moved), (kw, p.name)


def test_rf_stack_static_range_gives_a_result_or_a_message():
    ok = bad = 0
    for kw in _combos(W.RF_STACK_PARAMS):
        r = W.explain_rf_stack(**kw)
        html = W.rf_stack_html(**kw)
        if r["ok"]:
            ok += 1
            assert r["r"] >= 1 and r["j"] == kw["s"] ** kw["layers"]
            assert f"<b>{r['r']}</b>" in html
        else:
            bad += 1
            assert "No output" in html and r["message"] and "< 1" in r["message"]
    assert ok and bad


def test_rf_stack_every_step_changes_what_it_shows():
    _every_step_changes(W.rf_stack_html, W.RF_STACK_PARAMS)


def test_rf_stack_live_range_and_bad_arguments():
    for layers, k, s, d, n in itertools.product((1, 4, 8, 12), (1, 2, 4, 7, 11), (1, 2, 4), (1, 3, 5),
                                                (8, 64, 224)):
        for padding in W.RF_PADDINGS:
            html = W.rf_stack_html(layers, k, s, d, n, padding)
            assert html.startswith("<style>") and html.endswith("</div>")
    for bad in ({"layers": 0}, {"k": 0}, {"s": -1}, {"d": 1.5}, {"n": "8"}, {"padding": "same"},
                {"layers": 65}, {"k": True}):
        r = W.explain_rf_stack(**bad)
        assert not r["ok"] and r["message"]
        assert "No output" in W.rf_stack_html(**bad)


def test_rf_stack_numbers_by_hand():
    assert W.explain_rf_stack(2, 3)["r"] == 5 and W.explain_rf_stack(3, 3)["r"] == 7
    r = W.explain_rf_stack(3, 3, s=2, d=2)
    assert (r["r"], r["j"]) == (1 + 4 * (1 + 2 + 4), 8)
    assert len(r["positions"]) < r["r"]  # stride 2 and dilation 2: gaps
    assert "gaps" in W.rf_stack_html(3, 3, s=2, d=2)
    assert "&gt; n = 16" in W.rf_stack_html(8, 3, n=16)


def test_mobilenet_static_range_and_every_step():
    for kw in _combos(W.MOBILENET_PARAMS):
        e = W.explain_mobilenet(**kw)
        assert e["ok"] and f"{e['params']:,}" in W.mobilenet_html(**kw)
    _every_step_changes(W.mobilenet_html, W.MOBILENET_PARAMS)
    assert "the paper" in W.mobilenet_html(0.5, 224) and "the paper" not in W.mobilenet_html(0.5, 160)


def test_mobilenet_live_range_gives_a_result_or_a_message():
    for alpha in [x / 20 for x in range(1, 41)] + [0.01, 0.001]:
        for n in (32, 96, 224, 320):
            html = W.mobilenet_html(alpha, n)
            e = W.explain_mobilenet(alpha, n)
            assert ("No output" in html) == (not e["ok"])
            if not e["ok"]:
                assert "channels" in e["message"] or "< 1" in e["message"]
    for bad in (0, -1, "1", None, True):
        assert not W.explain_mobilenet(bad)["ok"]
        assert "No output" in W.mobilenet_html(bad)
