"""cnnlib.book.fields and cnnlib.book.families: the receptive-field figures and tables and the
after-VGG comparison, drawn headless (Agg) and checked against numbers worked by hand."""

import matplotlib

matplotlib.use("Agg")

from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from cnnlib import Conv1d, Sequential, zoo
from cnnlib.book.families import block_frame, compare_chart, comparison_frame
from cnnlib.book.fields import BLUE, effective_figure, effective_rows, rf_frame, rf_records, stacked_windows


def _cells(fig):
    return [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]


def test_stacked_windows_shades_the_cells_the_top_unit_reaches():
    # three 3-wide convolutions on 9 cells: 9, 7, 5, 3 units; the centre unit reaches 7, 5, 3, 1
    m = Sequential((1, 9), [Conv1d(1, 3) for _ in range(3)])
    fig = stacked_windows(m, counts=True)
    cells = _cells(fig)
    assert len(cells) == 9 + 7 + 5 + 3
    shaded = [c for c in cells if to_hex(c.get_facecolor()) != "#ffffff"]
    assert len(shaded) == 7 + 5 + 3 + 1
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "r = 7, j = 1" in texts and "receptive field: 7 input cells" in texts
    assert [t for t in texts if t.isdigit()] == ["1", "3", "6", "7", "6", "3", "1"]


def test_stacked_windows_with_stride_and_dilation():
    m = Sequential((1, 17), [Conv1d(1, 3, padding=1), Conv1d(1, 3, dilation=2, padding=2),
                             Conv1d(1, 3, dilation=4, padding=4)])
    texts = [t.get_text() for t in stacked_windows(m).axes[0].texts]
    assert "r = 15, j = 1" in texts  # 1 + 2 + 4 + 8
    m = Sequential((1, 16), [Conv1d(1, 3, stride=2, padding=1), Conv1d(1, 3, padding=1)])
    fig = stacked_windows(m)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "r = 7, j = 2" in texts
    blue = [c for c in _cells(fig) if to_hex(c.get_facecolor()) == BLUE]
    assert len(blue) == 1 + 7  # the top unit and the 7 input cells


def test_rf_records_and_frame():
    recs = rf_records(zoo.vgg(16), only=("conv1_2", "pool5", "fc1"))
    assert [(r["layer"], r["r"], r["j"], r["start"]) for r in recs] == [
        ("conv1_2", "5", "1", "0"), ("pool5", "212", "32", "15.5"), ("fc1", "whole input", "—", "—")]
    changes = rf_records(zoo.alexnet(), changes_only=True)
    assert all(r["type"] != "ReLU" for r in changes[1:])
    html = rf_frame(zoo.alexnet(), changes_only=True).to_html()
    assert "195" in html and "start" in html


def test_effective_rows_and_figure():
    rows = effective_rows((1, 2, 8))
    assert [r["r"] for r in rows] == [3, 5, 17]
    assert rows[0]["effective"] == 3 and rows[2]["effective"] < 17
    fig = effective_figure(depths=range(1, 9), show=(2, 8))
    assert len(fig.axes) == 2 and len(fig.axes[1].lines) == 2


def test_comparison_frame_and_chart():
    html = comparison_frame().to_html()
    for value in ("138,357,544", "6,624,904", "25,557,032", "4,231,976", "3,504,872"):
        assert value in html
    fig = compare_chart()
    assert len(fig.axes) == 3 and all(len(ax.patches) == 8 for ax in fig.axes)
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "138 M" in labels and "6.62 M" in labels


def test_block_frame_sums_the_block():
    html = block_frame(zoo.resnet(50), "layer2.1").to_html()
    assert "280,064" in html  # 512·128 + 9·128·128 + 128·512 + BatchNorm 2·(128 + 128 + 512)
