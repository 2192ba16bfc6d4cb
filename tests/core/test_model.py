"""cnnlib.model, blocks, memory, receptive and tables: totals from rows, branches, errors, conventions.

Expected values are worked by hand from the formulas or taken from the sources (the
CS231n VGG-16 table), never from cnnlib's own output.
"""

from __future__ import annotations

import pytest

from cnnlib import (
    BatchNorm2d,
    Concat,
    Conv2d,
    Dense,
    Dropout,
    Flatten,
    MaxPool2d,
    ReLU,
    Residual,
    Sequential,
    ShapeError,
    receptive_field,
    zoo,
)
from cnnlib.analysis import layer_costs
from cnnlib.diagram import diagram_rows
from cnnlib.tables import html_table, markdown_table


def small():
    return Sequential((1, 28, 28), [Conv2d(32, 3), ReLU(), MaxPool2d(2), Conv2d(32, 3), ReLU(),
                                    MaxPool2d(2), Flatten(), Dense(128), ReLU(), Dense(10)],
                      name="small")


# --------------------------------------------------------------- Sequential


def test_names_by_kind():
    assert small().names == ("conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten1",
                             "fc1", "relu3", "fc2")


def test_totals_by_hand():
    m = small()
    assert m.output_shape == (10,)
    assert m.total_params == 320 + 9_248 + 102_528 + 1_290
    assert m.weights == 288 + 9_216 + 102_400 + 1_280
    assert m.biases == 32 + 32 + 128 + 10
    # MACs: 26·26·32·9 + 11·11·32·288 + 800·128 + 128·10, bias adds not counted
    assert m.macs == 26 * 26 * 32 * 9 + 11 * 11 * 32 * 288 + 800 * 128 + 128 * 10
    assert m.bias_adds == 26 * 26 * 32 + 11 * 11 * 32 + 128 + 10
    # input + conv, pool, conv, pool, dense, dense outputs; ReLU in place, Flatten a view
    assert m.activation_elements == 784 + 21_632 + 5_408 + 3_872 + 800 + 128 + 10


def test_explicit_names_and_lookup():
    m = Sequential((3, 8, 8), [("stem", Conv2d(4, 3)), ReLU(), ("head", Flatten())])
    assert m.names == ("stem", "relu1", "head")
    assert m["stem"] == Conv2d(4, 3) and m[1] == ReLU()
    with pytest.raises(ShapeError, match="used twice"):
        Sequential((3, 8, 8), [("a", ReLU()), ("a", ReLU())])


def test_a_layer_object_applied_twice_shares_its_weights():
    # as in torch: nn.Sequential(conv, nn.ReLU(), conv).parameters() yields conv's weight and
    # bias once — 4·4·3·3 + 4 = 148 — while both applications compute (MACs twice)
    conv, relu = Conv2d(4, 3, padding=1), ReLU()
    m = Sequential((4, 8, 8), [conv, relu, conv, relu])
    assert [r.shares for r in m.rows()] == ["", "", "", "conv1", ""]
    assert m.total_params == 148 and m.row("conv2").params == 0
    assert m.macs == 2 * (8 * 8 * 4 * 4 * 9)
    named_pairs = Sequential((4, 8, 8), [("a", conv), ("b", conv)])
    assert named_pairs.row("b").shares == "a" and named_pairs.total_params == 148
    # on an input that needs other weights (3 channels, then 4) it cannot be the same layer
    with pytest.raises(ShapeError, match=r"^conv2: .* is applied again \(as in conv1\), which shares its "
                                         r"weights, but on an input that needs 148 parameters instead of 112"):
        Sequential((3, 8, 8), [conv, conv])  # 4·3·3·3 + 4 = 112 on 3 channels, then 148 on 4
    # the same in a graph: one Dense(3) read by two inputs of 5 features, 5·3 + 3 = 18 parameters once
    from cnnlib import Input, Model
    dense, a, b = Dense(3), Input((5,)), Input((5,))
    g = Model([a, b], [dense(a), dense(b)])
    assert g.total_params == 18 and [r.shares for r in g.rows()][-2:] == ["", "fc1"]
    with pytest.raises(ShapeError, match="needs 21 parameters instead of 18"):
        Model([a, c := Input((6,))], [dense(a), dense(c)])  # 6·3 + 3 = 21


def test_names_are_unique_including_the_input_row():
    with pytest.raises(ShapeError, match="the name 'input' is used twice"):
        Sequential((3, 8, 8), [("input", ReLU())])
    with pytest.raises(ShapeError, match="the name 'x' is used twice"):
        Sequential((3, 8, 8), [("x", ReLU()), Conv2d(4, 3), ("x", ReLU())])
    # a pair whose first item is not a name is not a (name, layer) pair
    with pytest.raises(ShapeError, match="not a cnnlib layer"):
        Sequential((3, 8, 8), [(1, ReLU())])
    with pytest.raises(ShapeError, match="not a cnnlib layer"):
        Sequential((3, 8, 8), [("a", ReLU(), ReLU())])


def test_chain_layers_as_written():
    m = Sequential((3, 8, 8), [("stem", Conv2d(4, 3)), ReLU(), Flatten()])
    assert [n for n, _ in m.layers] == ["stem", "relu1", "flatten1"] and len(m) == 3
    assert m[0] == Conv2d(4, 3) and m["relu1"] == ReLU() and m[-1] == Flatten()


def test_error_names_the_layer():
    with pytest.raises(ShapeError, match=r"^conv2: Conv2d\(8, 5\) on 2×2×4"):
        Sequential((1, 4, 4), [Conv2d(4, 3), Conv2d(8, 5)])
    with pytest.raises(ShapeError, match=r"^input_shape"):
        Sequential((3, 0, 4), [ReLU()])
    with pytest.raises(ShapeError, match="not a cnnlib layer"):
        Sequential((3, 4, 4), [object()])


def test_error_inside_branch_names_the_path():
    inc = Concat([[Conv2d(4, 1)], [Conv2d(4, 7)]])
    with pytest.raises(ShapeError, match=r"^inc\.branch2\.conv1: Conv2d\(4, 7\)"):
        Sequential((3, 5, 5), [("inc", inc)])


# --------------------------------------------------------------- branches


def test_concat_counts_and_checks():
    # GoogLeNet's inception 3a without BN: by hand
    inc = Concat([[Conv2d(64, 1)], [Conv2d(96, 1), Conv2d(128, 3, padding=1)],
                  [Conv2d(16, 1), Conv2d(32, 5, padding=2)],
                  [MaxPool2d(3, stride=1, padding=1), Conv2d(32, 1)]])
    x = (192, 28, 28)
    assert inc.output_shape(x) == (256, 28, 28)
    want = (192 * 64 + 64) + (192 * 96 + 96) + (96 * 9 * 128 + 128) + (192 * 16 + 16) + \
        (16 * 25 * 32 + 32) + (192 * 32 + 32)
    assert inc.params(x) == want
    m = Sequential(x, [("inception3a", inc)])
    assert m.total_params == want
    assert [r.name for r in m.rows()][:3] == ["input", "inception3a.branch1.conv1",
                                               "inception3a.branch2.conv1"]
    bad = Concat([[Conv2d(4, 3)], [Conv2d(4, 1)]])
    with pytest.raises(ShapeError, match="branch1 → 26×26×4, branch2 → 28×28×4"):
        bad.output_shape((3, 28, 28))
    with pytest.raises(ShapeError, match=r"^bad: Concat"):
        Sequential((3, 28, 28), [("bad", bad)])


def test_residual_identity_and_projection():
    blk = Residual([Conv2d(64, 3, padding=1, bias=False), BatchNorm2d(), ReLU(),
                    Conv2d(64, 3, padding=1, bias=False), BatchNorm2d()], post=[ReLU()])
    assert blk.params((64, 56, 56)) == 2 * 64 * 64 * 9 + 2 * 128
    with pytest.raises(ShapeError, match="the block gives 28×28×128 but the input gives 56×56×64"):
        Residual([Conv2d(128, 3, stride=2, padding=1)]).output_shape((64, 56, 56))
    proj = Residual([Conv2d(128, 3, stride=2, padding=1)], shortcut=[Conv2d(128, 1, stride=2)])
    assert proj.output_shape((64, 56, 56)) == (128, 28, 28)
    assert proj.params((64, 56, 56)) == (64 * 9 * 128 + 128) + (64 * 128 + 128)
    m = Sequential((64, 56, 56), [("b", proj)])
    # the addition is a row of its own (no parameters, no MACs, no activation memory)
    assert [r.name for r in m.rows()] == ["input", "b.conv1", "b.shortcut.conv1", "b.add"]
    assert m.row("b.add").inputs == ("b.conv1", "b.shortcut.conv1")
    assert (m.row("b.add").params, m.row("b.add").macs, m.row("b.add").activations) == (0, 0, 0)


def test_container_layers_work_with_charts_and_diagram():
    m = zoo.resnet(18)
    assert sum(c.params for c in layer_costs(m)) == m.total_params
    assert diagram_rows(m)[-1].shape == (1000,)


# --------------------------------------------------------------- memory


CS231N_VGG16 = [  # (H, W, C) of each row of the CS231n table, and its "memory" = H·W·C
    (224, 224, 3), (224, 224, 64), (224, 224, 64), (112, 112, 64), (112, 112, 128),
    (112, 112, 128), (56, 56, 128), (56, 56, 256), (56, 56, 256), (56, 56, 256), (28, 28, 256),
    (28, 28, 512), (28, 28, 512), (28, 28, 512), (14, 14, 512), (14, 14, 512), (14, 14, 512),
    (14, 14, 512), (7, 7, 512), (1, 1, 4096), (1, 1, 4096), (1, 1, 1000)]
CS231N_WEIGHTS = [1_728, 36_864, 73_728, 147_456, 294_912, 589_824, 589_824, 1_179_648,
                  2_359_296, 2_359_296, 2_359_296, 2_359_296, 2_359_296, 102_760_448,
                  16_777_216, 4_096_000]


def test_vgg16_activations_reproduce_cs231n_rows():
    m = zoo.vgg(16)
    rows = [r for r in m.rows() if r.activations]
    assert [r.activations for r in rows] == [h * w * c for h, w, c in CS231N_VGG16]
    assert [r.weights for r in m.rows() if r.weights] == CS231N_WEIGHTS  # the table omits biases
    exact = sum(h * w * c for h, w, c in CS231N_VGG16)
    assert exact == 15_237_608  # the rows sum to ~15.2M; the table's "24M" does not follow from them
    assert m.activation_elements == exact
    mem = m.memory()
    assert mem.activation_bytes == 4 * exact == 60_950_432
    assert mem.param_bytes == 4 * 138_357_544
    assert mem.training_bytes == 2 * mem.param_bytes + 2 * mem.activation_bytes
    assert m.memory(bytes_per_element=2, batch=8).activation_bytes == 2 * 8 * exact


def test_batchnorm_counted_as_activation_and_buffers():
    m = Sequential((3, 4, 4), [Conv2d(2, 1), BatchNorm2d(), ReLU(), Dropout()])
    assert m.activation_elements == 48 + 32 + 32
    assert m.buffers == 2 * 2 + 1  # running mean, var, num_batches_tracked
    assert m.memory().buffer_bytes == 20
    with pytest.raises(ShapeError):
        m.memory(batch=0)


def test_torchinfo_totals_by_hand():
    m = Sequential((3, 4, 4), [Conv2d(2, 3), BatchNorm2d(), Flatten(), Dense(5)])
    t = m.torchinfo_totals(batch=2)
    # conv: (54 + 2)·2·2 = 224; BN: 4; dense: 8·5 + 5 = 45; times batch 2
    assert t["total_mult_adds"] == 2 * (224 + 4 + 45)
    # outputs of layers with parameters (conv 8, BN 8, dense 5) ×2 (gradients) ×4 bytes ×batch
    assert t["forward_backward_bytes"] == 2 * 4 * 2 * (8 + 8 + 5)


# --------------------------------------------------------------- receptive field


def test_receptive_field_alexnet():
    rf = {r.name: r for r in receptive_field(zoo.alexnet())}
    # hand-worked: r += (k−1)·j, j *= s
    assert (rf["conv1"].size, rf["conv1"].jump) == (11, 4)
    assert (rf["pool1"].size, rf["pool1"].jump) == (19, 8)
    assert (rf["conv2"].size, rf["pool2"].size, rf["conv5"].size, rf["pool3"].size) == (51, 67, 163, 195)
    assert rf["pool3"].jump == 32
    assert rf["fc1"].size is None


def test_receptive_field_stacked_3x3():
    m = Sequential((3, 32, 32), [Conv2d(8, 3, padding=1) for _ in range(3)])
    assert [r.size for r in receptive_field(m)] == [1, 3, 5, 7]
    # start: centre of the first unit's field; with padding 1 it stays at pixel 0
    assert [r.start for r in receptive_field(m)][1:] == [0, 0, 0]
    assert receptive_field(Sequential((1, 9, 9), [Conv2d(1, 3, dilation=2)]))[1].size == 5


def test_receptive_field_of_a_graph_takes_the_widest_path():
    rf = {r.name: r for r in receptive_field(zoo.resnet(18))}
    # by hand: conv1 7×7/2 → r 7, j 2; maxpool 3/2 → r 7 + 2·2 = 11, j 4;
    # layer1.0: two 3×3 convs → 11 + 2·4 = 19, then 27; the identity shortcut keeps 11
    assert (rf["conv1"].size, rf["maxpool"].size, rf["maxpool"].jump) == (7, 11, 4)
    assert (rf["layer1.0.conv1"].size, rf["layer1.0.conv2"].size) == (19, 27)
    assert rf["layer1.0.add"].size == 27 and "maximum over 2 paths" in rf["layer1.0.add"].note
    assert rf["fc"].size is None


# --------------------------------------------------------------- rendering


def test_text_table_has_totals_and_order():
    text = str(zoo.vgg(16))
    assert "H×W×C" in text.splitlines()[0]
    assert "Total params: 138,357,544" in text
    assert "MACs: 15,470,264,320" in text  # Σ conv/dense MACs, hand-checkable per row
    assert "Activation elements: 15,237,608" in text
    assert "224×224×64" in text





def test_html_table_and_markdown():
    m = small()
    html = html_table(m)
    assert "113,386" in html and "params %" in html and ">total<" in html
    assert html.count("<tr") == len(m.rows()) + 2  # head, rows, totals
    assert m._repr_html_() == html
    md = markdown_table(m)
    assert "| **total** |" in md and "**113,386**" in md
