"""The LeNet-5 chapter's slider function (cnnlib.calculators.lenet_html): a result or a clear
message at every position of the static and the live range, and every step changes what it
shows.  (Kept apart from test_calculators.py, which other chapters extend.)"""

from __future__ import annotations

import itertools
import re

from cnnlib import calculators as W
from cnnlib import zoo

LIVE_SIZES = range(1, 129)


def _positions(params):
    names = [p.name for p in params]
    return [dict(zip(names, v)) for v in itertools.product(*(p.values for p in params))]


def test_every_static_position_gives_a_result_or_the_reason():
    seen = {"ok": 0, "bad": 0}
    for kw in _positions(W.LENET_PARAMS):
        text = W.lenet_html(**kw)
        assert text.startswith("<style>") and text.endswith("</div>")
        if "No output" in text:
            seen["bad"] += 1
            low = 16 if kw["variant"] == "modern" else 32  # worked by hand, see test_rules_lenet
            assert kw["n"] < low
            assert f"smallest input this version takes is {low}×{low}×1" in text
            assert re.search(r"(conv|pool|C5|C3|S2|S4|C1)\w*: ", text), text  # names the layer
        else:
            seen["ok"] += 1
            assert f"input {kw['n']}×{kw['n']}×1" in text and "total:" in text
    assert seen["ok"] and seen["bad"]


def test_the_live_range_never_raises():
    for n, variant in itertools.product(LIVE_SIZES, zoo.LENET5_VARIANTS):
        assert "</div>" in W.lenet_html(n, variant)


def test_every_step_of_every_slider_changes_what_it_shows():
    params = {p.name: p.values for p in W.LENET_PARAMS}
    for variant in params["variant"]:
        shown = [W.lenet_html(n, variant) for n in params["n"]]
        assert all(a != b for a, b in itertools.pairwise(shown))
    for n in params["n"]:
        assert W.lenet_html(n, "modern") != W.lenet_html(n, "paper")


def test_the_default_position_shows_the_published_totals():
    assert "total: 61,706 parameters" in W.lenet_html(32, "modern")
    assert "total: 60,000 parameters" in W.lenet_html(32, "paper")
    # MNIST's 28×28 straight in: fc1 takes 4·4·16 = 256 values, (256 + 1)·120 = 30,840 parameters
    assert "256·120 + 120 = 30,840" in W.lenet_html(28, "modern")


def test_a_rounded_division_is_named():
    # 30: conv1 26, pool1 13, conv2 9, pool2 (9 − 2)/2 + 1 = 4.5 → 4
    text = W.lenet_html(30, "modern")
    assert "4.5 → 4" in text and "rounded down at pool2" in text
    assert "every division exact" in W.lenet_html(36, "modern")


def test_lenet_walk_params_formulas_are_the_rows_params():
    for variant in zoo.LENET5_VARIANTS:
        for r in W.lenet_walk(zoo.lenet5(variant)):
            if r["params_formula"]:
                assert r["params_formula"].startswith(f"{r['params']:,}") or \
                    r["params_formula"].endswith(f"= {r['params']:,}"), r
