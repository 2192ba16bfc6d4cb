"""Drawings run headless; jshtml is deterministic and offline; static widgets stay small."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
pytest.importorskip("matplotlib")

from cnnlib import calculators as widgets
from cnnlib.book import plots, static_widgets

X5 = [[1, 2, 0, 1, 3], [0, 1, 3, 2, 1], [2, 0, 1, 1, 0], [1, 3, 0, 2, 2], [0, 1, 2, 0, 1]]
W3 = [[1, 0, -1], [2, 0, 1], [0, 1, 1]]


def test_import_cnnlib_does_not_load_matplotlib():
    code = ("import sys, cnnlib, cnnlib.calculators, cnnlib.book.static_widgets, cnnlib.book.plots, "
            "cnnlib.book.charts; print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_grid_arithmetic_by_hand():
    # top-left: 1·1 + 2·0 + 0·−1 + 0·2 + 1·0 + 3·1 + 2·0 + 0·1 + 1·1 = 5
    y = plots.conv2d_valid(X5, W3)
    assert len(y) == 3 and y[0][0] == 5
    # padded by 1, first window: zeros, then [0, 1, 2]·[2, 0, 1] = 2 and [0, 0, 1]·[0, 1, 1] = 1
    y = plots.conv2d_valid(X5, W3, stride=2, padding=1)
    assert len(y) == 3 and y[0][0] == 3
    assert plots.pool2d([[1, 3], [5, 2]], 2) == [[5]]
    assert plots.pool2d([[1, 3], [5, 2]], 2, mode="avg") == [[2.75]]
    assert len(plots.pool2d(X5, 2)) == 2 and len(plots.pool2d(X5, 2, ceil_mode=True)) == 3


@pytest.mark.parametrize("r", [
    widgets.explain_conv(10, 3, 2), widgets.explain_conv(5, 3, 1, 2), widgets.explain_conv(7, 3, 1, 0, 2),
    widgets.explain_pool(11, 2), widgets.explain_pool(11, 2, ceil_mode=True),
    widgets.explain_pool(5, 2, 2, 1, ceil_mode=True), widgets.explain_conv(3, 5),
])
def test_windows_figure_runs(r):
    fig = plots.windows_figure(r)
    fig.canvas.draw() if hasattr(fig.canvas, "draw") else None
    fig.savefig(os.devnull, format="png")


def test_static_figures_run():
    for fig in (plots.output_size_plot(10, 3, range(1, 7), range(4)),
                plots.output_size_plot(5, 7, range(1, 4), range(2)),
                plots.channels_figure(32, 5, 3, 4), plots.channels_figure(10, 3, 1, 8),
                plots.grid_figure(X5, title="x", highlight={(0, 0)})):
        fig.savefig(os.devnull, format="png")


def test_jshtml_offline_and_deterministic():
    a1 = plots.jshtml(plots.conv_animation(X5, W3), "t_conv")
    a2 = plots.jshtml(plots.conv_animation(X5, W3), "t_conv")
    assert a1 == a2
    assert not re.search(r"<link[^>]*http", a1) and "font-awesome" not in a1
    assert 'class="anim-slider"' in a1
    assert not re.search(r"[0-9a-f]{32}", a1.split("data:image")[0])  # no uuid left
    p1 = plots.jshtml(plots.pool_animation(X5, 2), "t_pool")
    assert p1 == plots.jshtml(plots.pool_animation(X5, 2), "t_pool")
    assert re.search(r'id="_anim_imgt_pool_[0-9a-f]{10}"', p1)
    assert len(a1) < 1_000_000 and len(p1) < 1_000_000


def test_animation_frame_counts():
    html = plots.jshtml(plots.conv_animation(X5, W3, stride=2, padding=1), "t_count")
    assert len(re.findall(r"frames\[\d+\] = ", html)) == 9  # one frame per output cell, 3×3
    html = plots.jshtml(plots.pool_animation(X5, 2, ceil_mode=True), "t_count2")
    assert len(re.findall(r"frames\[\d+\] = ", html)) == 9


@pytest.mark.parametrize("fn, params", [
    (widgets.conv_html, widgets.CONV_PARAMS),
    (widgets.pool_html, widgets.POOL_PARAMS),
    (widgets.channels_html, widgets.CHANNELS_PARAMS),
])
def test_static_widget_payload_bound_and_stable(fn, params):
    html = static_widgets.static_widget(fn, params, name="t")
    assert static_widgets.payload_size(html) <= 300_000
    assert html == static_widgets.static_widget(fn, params, name="t")
    assert html.count('class="sw-slider"') == len(params)
    assert "http" not in html


def test_static_widget_lookup_table_round_trip():
    import base64
    import json
    import zlib

    params = widgets.POOL_PARAMS
    html = static_widgets.static_widget(widgets.pool_html, params, name="t")
    meta = json.loads(re.search(r"<script type=\"application/json\">(.*?)</script>", html).group(1)
                      .replace("<\\/", "</"))
    data = json.loads(zlib.decompress(base64.b64decode(meta["z"])))
    import itertools
    for i, combo in enumerate(itertools.product(*(p.values for p in params))):
        if i % 37:
            continue
        text = "\n".join(data["t"][int(j)] for j in data["r"][i].split(","))
        assert text == widgets.pool_html(**{p.name: v for p, v in zip(params, combo)})


def test_static_widget_too_large():
    with pytest.raises(static_widgets.WidgetTooLarge):
        static_widgets.static_widget(widgets.conv_html, widgets.CONV_PARAMS, name="t", max_bytes=1000)
    with pytest.raises(ValueError):
        static_widgets.static_widget(widgets.conv_html, widgets.CONV_PARAMS, name="bad name")
