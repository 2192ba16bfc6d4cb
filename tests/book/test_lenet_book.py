"""cnnlib.book.lenet: the LeNet-5 chapter's tables and C3 figure (headless)."""

import matplotlib

matplotlib.use("Agg")

from matplotlib.patches import Rectangle

from cnnlib import zoo
from cnnlib.book.lenet import c3_table_figure, versions_rows, versions_table, walk_table


def test_walk_table_rows_and_totals_modern():
    df = walk_table(zoo.lenet5()).data
    # worked by hand: 32 → 28 → 14 → 10 → 5, then 400, 120, 84, 10
    assert list(df["output (H×W×C)"]) == ["32×32×1", "28×28×6", "14×14×6", "10×10×16", "5×5×16", "400",
                                          "120", "84", "10", "10"]
    # 5·5·1·6 + 6, 5·5·6·16 + 16, 400·120 + 120, 120·84 + 84, 84·10 + 10
    assert list(df["parameters"])[1:] == ["5·5·1·6 + 6 = 156", "0", "5·5·6·16 + 16 = 2,416", "0", "0",
                                          "400·120 + 120 = 48,120", "120·84 + 84 = 10,164",
                                          "84·10 + 10 = 850", "61,706"]
    assert df["size o = (n + 2p − k)/s + 1"][2] == "(28 + 2·0 − 2)/2 + 1 = 14"
    # MACs: 28·28·6·25, 10·10·16·150, 400·120, 120·84, 84·10
    assert df["MACs"].iloc[-1] == 117_600 + 240_000 + 48_000 + 10_080 + 840


def test_walk_table_connections_are_the_papers():
    df = walk_table(zoo.lenet5("paper"), connections=True).data
    assert list(df["connections"])[1:] == [122_304, 5_880, 151_600, 2_000, 48_120, 0, 10_164, 840, 340_908]
    assert "walk" in walk_table(zoo.lenet5()).to_html()


def test_versions_rows_and_table():
    rows = versions_rows()
    assert [(r["paper"], r["modern"]) for r in rows][:3] == [("C1", "conv1"), ("S2", "pool1"), ("C3", "conv2")]
    assert (rows[-1]["paper params"], rows[-1]["modern params"]) == (60_000, 61_706)
    html = versions_table().to_html()
    assert "+900" in html and "−12" in html and "1,706" in html


def test_c3_figure_fills_60_of_96_cells():
    fig = c3_table_figure()
    ax = fig.axes[0]
    cells = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(cells) == 96
    assert sum(p.get_facecolor()[:3] != (1.0, 1.0, 1.0) for p in cells) == 60
    assert "60 of the 6·16 = 96" in fig._suptitle.get_text()
    labels = [t.get_text() for t in ax.texts]
    assert labels.count("3, neighbours") == 1 and labels.count("4, with a gap") == 1
