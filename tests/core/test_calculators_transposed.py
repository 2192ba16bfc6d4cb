"""The transposed-convolution slider's function (cnnlib.calculators.explain_transpose /
transpose_html): a result or a clear message at every position of its range, every step of
every slider changes what it shows, and the numbers agree with values worked by hand.

(A file of its own next to tests/core/test_calculators.py, which sweeps the other sliders.)
"""

from __future__ import annotations

import itertools
import re

import pytest

from cnnlib import calculators as W


def _combos(params):
    names = [p.name for p in params]
    for values in itertools.product(*(p.values for p in params)):
        yield dict(zip(names, values))


def test_every_position_of_the_static_range_gives_a_result_or_a_clear_message():
    ok = bad = 0
    for kw in _combos(W.TRANSPOSE_PARAMS):
        r = W.explain_transpose(**kw)
        html = W.transpose_html(**kw)
        assert html.startswith("<style>") and html.endswith("</div>")
        if r["ok"]:
            ok += 1
            assert isinstance(r["out"], int) and r["out"] >= 1 and r["message"] is None
            assert f"output size <b>{r['out']}</b>" in html and "<svg" in html
        else:
            bad += 1
            assert "No output" in html
            assert ("output_padding" in r["message"] and "smaller than the stride" in r["message"]) or \
                "< 1" in r["message"], (kw, r["message"])
    assert ok and bad


def test_every_step_of_every_slider_changes_what_the_slider_shows():
    params = W.TRANSPOSE_PARAMS
    cache = {}

    def shown(kw):
        key = tuple(sorted(kw.items()))
        if key not in cache:
            cache[key] = W.transpose_html(**kw)
        return cache[key]

    for kw in _combos(params):
        for prm in params:
            i = prm.values.index(kw[prm.name])
            if i + 1 < len(prm.values):
                nxt = dict(kw, **{prm.name: prm.values[i + 1]})
                assert shown(kw) != shown(nxt), (kw, prm.name)


def test_the_live_range_on_a_dense_grid():
    for n, k, s, p, a, d in itertools.product(range(1, 33, 5), range(1, 12, 2), range(1, 7), range(6),
                                              range(4), range(1, 4)):
        r = W.explain_transpose(n, k, s, p, a, d)
        out = (n - 1) * s - 2 * p + d * (k - 1) + a + 1
        assert r["ok"] == ((a < s or a < d) and out >= 1)
        if r["ok"]:
            assert r["out"] == out and len(r["taps"]) == out


@pytest.mark.parametrize("bad", [(0, 3), (4, 0), (4, 3, 0), (4, 3, 1, -1), (4, 3, 2, 0, -1), ("4", 3),
                                 (4.0, 3), (None, 3), (True, 3), (4, 3, 1, "full"), (4, 3, 1, 0, 0, 0)])
def test_bad_arguments_give_a_message_not_an_exception(bad):
    r = W.explain_transpose(*bad)
    assert not r["ok"] and r["message"]
    if len(bad) <= 5:
        assert "No output" in W.transpose_html(*bad)
    assert W.transpose_svg(r) == ""


def test_hand_values():
    # n = 4, k = 3, s = 2, p = 1, a = 1: (4 − 1)·2 − 2 + 2 + 1 + 1 = 8; 1 zero between the 4
    # inputs → 7 cells; padding 3 − 1 − 1 = 1 before, 1 + 1 = 2 after
    r = W.explain_transpose(4, 3, 2, 1, 1)
    assert (r["out"], r["stretched"], r["before"], r["after"]) == (8, 7, 1, 2)
    # output o reads stretched cells o − 1 … o + 1; inputs sit at 0, 2, 4, 6
    assert r["taps"] == [1, 2, 1, 2, 1, 2, 1, 1] and not r["even"]
    # a 3-wide, stride-2, padding-1 convolution maps 7 and 8 to 4
    assert r["siblings"] == [7, 8] and r["back"] == 4
    # k = 4, s = 2, p = 1 (DCGAN): 4 → 8, two taps everywhere inside
    r = W.explain_transpose(4, 4, 2, 1)
    assert r["out"] == 8 and r["even"] and set(r["inner"]) == {2}
    # p larger than k − 1 crops the stretched input: before = 2 − 3 = −1
    r = W.explain_transpose(5, 3, 1, 3)
    assert r["out"] == 1 and r["before"] == -1 and r["after"] == -1
    # output_padding ≥ stride (and ≥ dilation) is refused, and the message says so
    r = W.explain_transpose(4, 3, 2, 0, 2)
    assert not r["ok"] and "output_padding 2 must be smaller than the stride 2" in r["message"]
    # the padding removes everything: (1 − 1)·1 − 6 + 0 + 0 + 1 = −5
    r = W.explain_transpose(1, 1, 1, 3)
    assert not r["ok"] and "= -5 < 1" in r["message"]


def test_the_svg_numbers_the_inputs_and_marks_padding_output_padding_and_crops():
    r = W.explain_transpose(4, 3, 2, 1, 1)
    svg = W.transpose_svg(r)
    inputs = re.findall(r'style="font:\d+px sans-serif">(\d+)</text>', svg.split("<path")[0])
    assert inputs == ["0", "1", "2", "3"]
    assert svg.count("fill:#eef3fa") == 3  # the inserted zeros
    assert svg.count("fill:#fde2b8") == 1  # one output_padding cell
    assert svg.count("fill:#ddd") == 2  # one padding cell on each side
    cropped = W.transpose_svg(W.explain_transpose(5, 3, 1, 3))
    assert cropped.count("fill:#f6c4c4") == 2  # one cell cropped at each end
    assert all(line.count("<") <= 2 for line in svg.splitlines())  # one element per line

