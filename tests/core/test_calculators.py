"""The functions behind every slider: never raise over their whole range, and agree with
numbers worked out by hand."""

from __future__ import annotations

import itertools

import pytest

from cnnlib import calculators as W


def _combos(params):
    names = [p.name for p in params]
    for values in itertools.product(*(p.values for p in params)):
        yield dict(zip(names, values))


# ------------------------------------------------------------------ sweeps


@pytest.mark.parametrize("explain, params", [
    (W.explain_conv, W.CONV_PARAMS),
    (W.explain_pool, W.POOL_PARAMS),
    (W.explain_channels, W.CHANNELS_PARAMS),
])
def test_explain_sweeps_whole_static_range(explain, params):
    seen_ok = seen_bad = 0
    for kw in _combos(params):
        r = explain(**kw)  # must not raise
        if r["ok"]:
            seen_ok += 1
            assert isinstance(r["out"], int) and r["out"] >= 1, kw
            assert r["formula"] and r["message"] is None
        else:
            seen_bad += 1
            msg = r["message"]
            assert any(w in msg for w in ("< 1", "must", "half")), (kw, msg)
    assert seen_ok and seen_bad  # each range contains valid and impossible settings


@pytest.mark.parametrize("html, params", [
    (W.conv_html, W.CONV_PARAMS),
    (W.pool_html, W.POOL_PARAMS),
    (W.channels_html, W.CHANNELS_PARAMS),
])
def test_html_sweeps_whole_static_range(html, params):
    for kw in _combos(params):
        text = html(**kw)
        assert text.startswith("<style>") and text.endswith("</div>")
        assert ("No output" in text) or ("output" in text), kw


def test_conv_live_range_dense_grid():
    # the live widget's wider ranges, on a dense grid
    for n, k, s, p, d in itertools.product(range(1, 33, 3), range(1, 12), range(1, 7),
                                           range(6), range(1, 5)):
        r = W.explain_conv(n, k, s, p, d)
        assert r["ok"] == (n + 2 * p >= d * (k - 1) + 1)


def test_pool_live_range_dense_grid():
    for n, k, s, p, ceil in itertools.product(range(1, 33, 2), range(1, 7), range(1, 7),
                                              range(4), (False, True)):
        r = W.explain_pool(n, k, s, p, ceil)
        if p > k // 2:
            assert not r["ok"] and "half" in r["message"]


@pytest.mark.parametrize("bad", [(0, 3), (5, 0), (5, 3, 0), (5, 3, 1, -1), ("7", 3), (7.0, 3),
                                 (None, 3), (True, 3), (5, 3, 1, "full")])
def test_bad_arguments_give_a_message_not_an_exception(bad):
    for fn in (W.explain_conv, W.explain_pool):
        r = fn(*bad)
        assert not r["ok"] and r["message"]
        assert "No output" in (W.conv_html(*bad) if fn is W.explain_conv else W.pool_html(*bad))
    assert not W.explain_conv(5, 3, d=0)["ok"] and not W.explain_pool(5, 3, d=0)["ok"]
    assert not W.explain_channels(0, 3, 1, 1)["ok"] and not W.explain_channels(5, 3, 1, 0)["ok"]


# ------------------------------------------------------------------ hand-worked values


def test_conv_hand_values():
    # AlexNet conv1: (227 − 11)/4 + 1 = 55, exact, every row read
    r = W.explain_conv(227, 11, 4)
    assert r["out"] == 55 and r["unread"] == []
    # 224: (224 − 11)/4 = 53.25 → 53 + 1 = 54; windows start at 0, 4, …, 212 and end at 222
    r = W.explain_conv(224, 11, 4)
    assert r["out"] == 54 and r["unread"] == [223] and r["taps"][-1][-1] == 222
    # n=10, k=3, s=2: starts 0, 2, 4, 6; row 9 never read
    r = W.explain_conv(10, 3, 2)
    assert r["starts"] == [0, 2, 4, 6] and r["unread"] == [9]
    # padding 1: starts at −1; 5 + 2 − 3 = 4, /2 = 2, + 1 = 3
    r = W.explain_conv(5, 3, 2, 1)
    assert r["out"] == 3 and r["starts"] == [-1, 1, 3]
    # dilation 2 on 7: span 5, 3 positions, taps 0, 2, 4
    r = W.explain_conv(7, 3, 1, 0, 2)
    assert r["out"] == 3 and r["eff"] == 5 and r["taps"][0] == [0, 2, 4]
    # Keras 'same', stride 2 on 16: ⌈16/2⌉ = 8, padding 0 before and 1 after
    r = W.explain_conv(16, 3, 2, "same")
    assert (r["out"], r["before"], r["after"]) == (8, 0, 1)
    # k = 5 on n = 3: impossible, and the message says why
    r = W.explain_conv(3, 5)
    assert not r["ok"] and "larger than the padded input" in r["message"]


def test_pool_hand_values():
    assert W.explain_pool(55, 3, 2)["out"] == 27  # (55 − 3)/2 + 1
    assert W.explain_pool(13, 3, 2)["out"] == 6  # (13 − 3)/2 + 1
    r = W.explain_pool(11, 2)  # Keras 11×11 → 5×5, last row ignored
    assert r["out"] == 5 and r["unread"] == [10]
    r = W.explain_pool(11, 2, ceil_mode=True)  # ⌈9/2⌉ + 1 = 6, last window hangs over
    assert r["out"] == 6 and r["unread"] == [] and r["partial"] == [5]
    # n=5, k=2, s=2, p=1, ceil: ⌈4/2⌉ + 1 = 4 windows at −1, 1, 3, 5; the last starts at
    # 5 = n, in the right padding → dropped, 3 remain
    r = W.explain_pool(5, 2, 2, 1, ceil_mode=True)
    assert r["out"] == 3 and r["starts"] == [-1, 1, 3]
    r = W.explain_pool(6, 2, 1, 2)  # padding 2 > 2 // 2
    assert not r["ok"] and "half" in r["message"]


def test_channels_hand_values():
    r = W.explain_channels(32, 5, 3, 4)  # 32×32×3 → 28×28×4: 5·5·3·4 = 300 weights
    assert r["out_shape"] == (4, 28, 28) and r["weights"] == 300 and r["biases"] == 4
    assert W.explain_channels(10, 3, 1, 1)["params"] == 10  # Keras: 3·3 + 1
    assert W.explain_channels(10, 3, 1, 5)["params"] == 50  # 5·(3·3 + 1)
    assert W.explain_channels(8, 3, 5, 2)["params"] == 92  # 2·(3·3·5 + 1)
    assert W.explain_channels(13, 3, 32, 32)["params"] == 9248  # 32·(3·3·32 + 1)
    assert W.explain_channels(28, 3, 1, 32)["params"] == 320
    assert W.explain_channels(10, 3, 1, 1, bias=False)["params"] == 9
    assert not W.explain_channels(2, 3, 1, 1)["ok"]


def test_windows_svg_marks_unread_and_partial():
    svg = W.windows_svg(W.explain_pool(11, 2, ceil_mode=True))
    assert 'class="wp"' in svg and 'class="nr"' not in svg
    svg = W.windows_svg(W.explain_conv(10, 3, 2))
    assert svg.count('class="nr"') == 1 and svg.count('<g class="w">') == 4
    assert W.windows_svg(W.explain_conv(3, 5)) == ""


# ------------------------------------------------------------------ the chapters' network panes


def test_alexnet_size_hand_values():
    # 227: every division exact, fc1 takes 6·6·256 = 9,216 inputs, 62,378,344 in all
    html = W.alexnet_size_html(227)
    assert "every division exact" in html and "9,216 inputs" in html and "62,378,344" in html
    assert "vs 227×227" not in html  # no change against itself
    # 195: conv1 (195 − 11)/4 + 1 = 47, pools 23, 11, 5; fc1 (5·5·256 + 1)·4096 = 26,218,496,
    # 11,534,336 fewer than at 227 (9,216 − 6,400 = 2,816 inputs × 4,096)
    html = W.alexnet_size_html(195)
    assert "(195 + 2·0 − 11)/4 + 1 = 47" in html and "6,400 inputs → 26,218,496" in html
    assert "50,844,008" in html and "-11,534,336" in html
    # 300 (outside the static slider's 195…259): conv1 ⌊289/4⌋ + 1 = 73 (1 row unread),
    # pools 36, ⌊33/2⌋ + 1 = 17 (floored), 8; fc1 (8·8·256 + 1)·4096 = 67,112,960
    html = W.alexnet_size_html(300)
    assert "16,384 inputs → 67,112,960" in html and "91,738,472" in html and "+29,360,128" in html
    assert "floored" in html


def test_vgg16_size_hand_values():
    html = W.vgg16_size_html(224)  # 512·7·7 = 25,088 inputs to fc1
    assert "25,088 inputs" in html and "138,357,544" in html and "every division exact" in html
    html = W.vgg16_size_html(256)  # 512·8·8 = 32,768: (32,768 + 1)·4096 = 134,221,824
    assert "32,768 inputs → 134,221,824" in html and "+31,457,280" in html
    html = W.vgg16_size_html(100)  # 100 → 50 → 25 → 12 (floored) → 6 → 3
    assert "4,608 inputs" in html and "floored" in html  # 512·3·3
    assert "impossible" in W.vgg16_size_html(16)  # 16 → 8 → 4 → 2 → 1, and the fifth pool has ⌊1/2⌋ = 0


def test_network_panes_match_zoo_and_never_raise():
    from cnnlib import zoo

    for n in range(195, 260, 16):
        assert f"{zoo.alexnet(input_size=n).total_params:,} parameters" in W.alexnet_size_html(n)
    for n in (32, 64, 224, 448, 512):
        assert f"{zoo.vgg(16, input_size=n).total_params:,} parameters" in W.vgg16_size_html(n)
    garbage = [0, -1, 1, 2, "7", 7.0, None, True, [], 10**6]
    for fn in (W.alexnet_size_html, W.vgg16_size_html, W.face_net_html, W.dense_html):
        for bad in garbage:
            assert isinstance(fn(bad), str)
    for a, b in itertools.product(garbage, repeat=2):
        assert isinstance(W.bottleneck_html(a, b), str)
    assert "No output" in W.bottleneck_html(0) and "No output" in W.face_net_html(0)
    assert "No output" in W.dense_html(0) and "impossible" in W.alexnet_size_html(None)


@pytest.mark.parametrize("fn, params", [
    (W.dense_html, W.DENSE_PARAMS), (W.bottleneck_html, W.BOTTLENECK_PARAMS),
    (W.face_net_html, W.FACE_PARAMS), (W.alexnet_size_html, W.ALEXNET_SIZE_PARAMS),
    (W.vgg16_size_html, W.VGG16_SIZE_PARAMS),
])
def test_panes_sweep_static_range_and_live_bounds(fn, params):
    for kw in _combos(params):
        assert isinstance(fn(**kw), str)
    # the live page's extremes: every whole-number argument at its live bounds
    for p in params:
        if p.live is not None:
            for v in p.live:
                assert isinstance(fn(**{p.name: v}), str)


def test_live_bounds_contain_the_static_values():
    for params in (W.CONV_PARAMS, W.POOL_PARAMS, W.CHANNELS_PARAMS, W.DENSE_PARAMS, W.BOTTLENECK_PARAMS,
                   W.FACE_PARAMS, W.ALEXNET_SIZE_PARAMS, W.VGG16_SIZE_PARAMS):
        for p in params:
            if p.live is not None:
                lo, hi = p.live
                assert all(lo <= v <= hi for v in p.values), p
            assert p.start in p.values, p


def test_one_dimension_panes_at_their_live_bounds():
    # the largest input the live page accepts still draws (one cell per element)
    html = W.conv_html(512, 64, 1, 64, 1)  # 512 + 2·64 − 64 + 1 = 577 windows, 640 cells drawn
    assert "output size <b>577</b>" in html and html.count("<rect") == 640
    assert "No output" in W.conv_html(512, 64, 1, 64, 16)  # span 16·63 + 1 = 1,009 > 640
    # ⌈(512 + 64 − 64)/64⌉ + 1 = 9; the last window starts at 8·64 − 32 = 480, inside the input
    assert "output size <b>9</b>" in W.pool_html(512, 64, 64, 32, True)
