"""cnnlib.book.transposed: the small-grid arithmetic against values worked by hand, the figures
and the animation run headless and are deterministic, and the U-Net joins are the paper's.
(tests/oracle/test_transposed_torch.py compares the arithmetic with PyTorch.)"""

from __future__ import annotations

import itertools
import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
pytest.importorskip("matplotlib")

from cnnlib import ShapeError, zoo
from cnnlib.book import plots
from cnnlib.book import transposed as T
from cnnlib.upsampling import guide_case

X = [[1, 2], [3, -1]]
W = [[1, 0, 2], [0, 1, 0], [1, 1, 0]]


def test_stretch_by_hand():
    # 2 inputs, stride 2 → x 0 x; k = 3, p = 1: 3 − 1 − 1 = 1 zero before, 1 + 1 after
    grid, kinds = T.stretch(X, stride=2, padding=1, output_padding=1, kernel=3)
    assert grid == [[0] * 6, [0, 1, 0, 2, 0, 0], [0] * 6, [0, 3, 0, -1, 0, 0], [0] * 6, [0] * 6]
    assert kinds[1] == ["pad", "in", "zero", "in", "pad", "op"]
    assert kinds[2] == ["pad", "zero", "zero", "zero", "pad", "op"]
    assert kinds[5] == ["op"] * 6
    # padding beyond k − 1 crops: k = 2, p = 2 → 1 − 2 = −1 on each side, 5 − 2 = 3 cells remain
    grid, kinds = T.stretch([[1, 2, 3, 4, 5]] * 5, stride=1, padding=2, kernel=2)
    assert grid[0] == [2, 3, 4] and len(grid) == 3 and kinds[0] == ["in"] * 3


def test_the_animations_example_by_hand():
    y = T.conv_transpose2d_scatter(X, W, stride=2, padding=1, output_padding=1)
    # output (r, c) collects x[i][j]·w[a][b] with r = 2i − 1 + a, c = 2j − 1 + b
    # (0, 0): i = j = 0, a = b = 1: 1·w[1][1] = 1
    # (1, 1): (i, j, a, b) = (0, 0, 2, 2) 1·0, (0, 1, 2, 0) 2·1, (1, 0, 0, 2) 3·2, (1, 1, 0, 0) −1·1 → 7
    assert y[0][0] == 1 and y[1][1] == 7 and len(y) == 4
    assert T.conv_transpose2d_direct(X, W, stride=2, padding=1, output_padding=1) == y


def test_direct_and_scatter_agree_on_a_grid():
    for n, k, s, p, a, d in itertools.product(range(1, 4), range(1, 4), range(1, 4), range(3), range(3),
                                              (1, 2)):
        x = [[(3 * i + j) % 5 - 2 for j in range(n)] for i in range(n)]
        w = [[(i - 2 * j) % 3 - 1 for j in range(k)] for i in range(k)]
        try:
            direct = T.conv_transpose2d_direct(x, w, s, p, a, d)
        except ShapeError:
            with pytest.raises(ShapeError):
                T.conv_transpose2d_scatter(x, w, s, p, a, d)
            continue
        assert direct == T.conv_transpose2d_scatter(x, w, s, p, a, d)


def test_conv_matrix_by_hand():
    # n = 5, k = 3, s = 2: output 0 reads inputs 0, 1, 2; output 1 reads 2, 3, 4
    assert T.conv_matrix(5, 3, 2) == [[0, 1, 2, None, None], [None, None, 0, 1, 2]]
    # padding 1: output 0 reads −1 (padding), 0, 1
    assert T.conv_matrix(3, 3, 1, 1)[0] == [1, 2, None]


def test_taps_grid_by_hand():
    # k = 3, s = 2 on 2 inputs: the middle output row and column get both inputs' taps
    assert T.taps_grid(2, 3, 2)[2] == [2, 2, 4, 2, 2]
    # k = 4, s = 2, p = 1: two taps per axis inside, so four per cell
    g = T.taps_grid(4, 4, 2, 1)
    assert {g[r][c] for r in range(1, 7) for c in range(1, 7)} == {4}


def test_unet_joins_are_the_papers():
    joins = T.unet_joins(zoo.unet())
    # Ronneberger et al., Fig. 1: copy and crop 64→56, 136→104, 280→200, 568→392
    assert [(j["skip"], j["up"]) for j in joins] == [(64, 56), (136, 104), (280, 200), (568, 392)]
    assert [(j["before"], j["after"]) for j in joins] == [(4, 4), (16, 16), (40, 40), (88, 88)]
    assert [j["cropped"] for j in T.unet_joins(zoo.unet(padded=True))] == [0, 0, 0, 0]


def test_figures_run():
    cases = [guide_case(n, *c) for n, c in {8: (4, 3), 11: (5, 3, 1, 2), 14: (6, 3, 2, 1)}.items()]
    for fig in (T.checkerboard_figure([(3, 2, 1), (4, 2, 1)], n=5), T.overlap_figure(4, 3, 2, 1, 1),
                T.overlap_figure(3, 2, 3), T.relationships_figure(cases), T.matrix_figure(5, 3, 2)):
        fig.savefig(os.devnull, format="png")
    with pytest.raises(ShapeError):
        T.overlap_figure(1, 1, 1, 3)


def test_the_animation_has_a_frame_per_output_cell_and_is_deterministic():
    anim = T.transpose_animation(X, W, stride=2, padding=1, output_padding=1)
    assert anim._save_count == 16 or len(list(anim.new_frame_seq())) == 16
    a = plots.jshtml(anim, "t")
    b = plots.jshtml(T.transpose_animation(X, W, stride=2, padding=1, output_padding=1), "t")
    assert a == b and "cdnjs" not in a and a.count("frames[") >= 16


def test_small_table_is_deterministic_and_formats_numbers():
    rows = [{"layer": "a", "parameters": 16448, "size": 14}, {"layer": "b", "parameters": 0, "size": 7}]
    html = T.small_table(rows, "t-x", number_columns=["parameters"]).to_html()
    assert html == T.small_table(rows, "t-x", number_columns=["parameters"]).to_html()
    assert "16,448" in html and 'id="T_t-x"' in html and "padding: 0.3rem 0.65rem" in html
