"""cnnlib.diagram: the boxes of the shapes diagram, read from model rows, and its SVG."""

import pytest
from hand_worked import ALEXNET, ALEXNET_LABELS, ALEXNET_PARAMS

from cnnlib import (
    BatchNorm2d,
    Concat,
    Conv1d,
    Conv2d,
    Dense,
    Flatten,
    LocalResponseNorm,
    MaxPool1d,
    MaxPool2d,
    ReLU,
    Residual,
    Sequential,
    zoo,
)
from cnnlib.diagram import diagram_rows, shapes_svg


def test_rows_alexnet_hand_worked():
    rows = diagram_rows(ALEXNET)
    assert [r.shape_label for r in rows] == ALEXNET_LABELS
    assert [r.params for r in rows] == ALEXNET_PARAMS
    assert sum(r.params for r in rows) == 62_378_344


def test_vgg_block_and_batch_norm_boxes():
    layers = [Conv2d(64, 3, padding=1), BatchNorm2d(), ReLU(), Conv2d(64, 3, padding=1),
              BatchNorm2d(), ReLU(), MaxPool2d(2)]
    rows = diagram_rows(Sequential((3, 224, 224), layers), show_input=False)
    assert [r.kind for r in rows] == ["conv", "bn", "conv", "bn", "pool"]
    assert [r.shape_label for r in rows][-1] == "112×112×64"
    # 3·3·3·64 + 64 and 3·3·64·64 + 64; batch norm: γ and β per channel
    assert [r.params for r in rows] == [1_792, 128, 36_928, 128, 0]


def test_sequences_and_lrn_rows():
    rows = diagram_rows(Sequential((5, 100), [Conv1d(8, 3), ReLU(), MaxPool1d(2), Flatten(), Dense(1)]))
    assert [r.shape_label for r in rows] == ["100×5", "98×8", "49×8", "392", "1"]
    rows = diagram_rows(Sequential((96, 55, 55), [LocalResponseNorm(5)]), show_input=False)
    assert rows[0].kind == "norm"  # LRN makes a new tensor: it gets a box


def test_blocks_are_one_box_with_summed_params():
    inc = Concat([[Conv2d(8, 1)], [Conv2d(4, 1), Conv2d(8, 3, padding=1)]])
    res = Residual([Conv2d(16, 3, padding=1), ReLU()], post=[ReLU()])
    m = Sequential((3, 8, 8), [("inc", inc), ("res", res), Flatten(), Dense(2)])
    rows = diagram_rows(m)
    assert [(r.name, r.kind) for r in rows] == [("input", "input"), ("inc", "concat"), ("res", "residual"),
                                                ("flatten1", "flatten"), ("fc1", "fc")]
    # 3·8 + 8, 3·4 + 4, 4·9·8 + 8; the residual conv 16·9·16 + 16; the dense 16·64·2 + 2
    assert [r.params for r in rows] == [0, 32 + 16 + 296, 2_320, 0, 2_050]
    assert rows[1].shape == (16, 8, 8) and sum(r.params for r in rows) == m.total_params
    assert diagram_rows(zoo.resnet(18))[-1].shape == (1000,)


def _svg_boxes(svg):
    """(front-face rect, title text, [text contents]) of every box of a shapes_svg drawing."""
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.w3.org/2000/svg"}
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    boxes = []
    for g in root.findall("s:g[@class='box']", ns):
        rect = g.find("s:rect", ns)
        texts = ["".join(t.itertext()) for t in g.findall("s:text", ns)]
        boxes.append((rect, g.find("s:title", ns).text, texts))
    notes = ["".join(t.itertext()) for t in root.findall("s:text", ns)]
    return boxes, notes



def test_svg_same_boxes_and_labels_as_hand_worked():
    boxes, notes = _svg_boxes(shapes_svg(ALEXNET))
    assert len(boxes) == 13  # input + 5 conv + 3 pool + flatten + 3 dense
    assert [texts[0] for _, _, texts in boxes] == ALEXNET_LABELS
    for (_, title, texts), params in zip(boxes, ALEXNET_PARAMS):
        assert f"{params:,} parameters" in title
    assert "conv1  34,944 p" in boxes[1][2][1]  # rotated labels: name and params on one line
    assert any(t.startswith("Shapes as H×W×C") for t in notes)
    # drawn to scale: face height ∝ √H — 227 against 55 is √(227/55) ≈ 2.03
    h = [float(rect.get("height")) for rect, _, _ in boxes]
    assert h[0] / h[1] == pytest.approx((227 / 55) ** 0.5, rel=0.01)
    # dense bars ∝ √F: fc1 (4096) against fc3 (1000)
    assert h[10] / h[12] == pytest.approx((4096 / 1000) ** 0.5, rel=0.01)


def test_svg_small_model_unrotated_and_channels_first():
    model = Sequential((1, 28, 28), [Conv2d(32, 3), MaxPool2d(2), Flatten(), Dense(10)])
    boxes, _ = _svg_boxes(shapes_svg(model, order="CHW"))
    # 28 − 3 + 1 = 26, ⌊26/2⌋ = 13, 32·13·13 = 5,408; 3·3·1·32 + 32 = 320, 5,408·10 + 10
    assert [t[0] for _, _, t in boxes] == ["1×28×28", "32×26×26", "32×13×13", "5408", "10"]
    assert boxes[1][2][1] == "conv1320 p"  # two tspans: 'conv1' and '320 p'
    assert boxes[4][2][1] == "fc154,090 p"
    escaped = shapes_svg(Sequential((1, 8, 8), [("a<b&c", Conv2d(2, 3))]))
    assert "a&lt;b&amp;c" in escaped  # names are escaped, the SVG stays valid XML
    _svg_boxes(escaped)
