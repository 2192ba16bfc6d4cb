"""cnnlib.diagram: boxes and labels of the shapes diagram, drawn headless (Agg)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import Rectangle

from cnnlib import (
    BatchNorm2d,
    Conv1d,
    Conv2d,
    Dense,
    Dropout,
    Flatten,
    LocalResponseNorm,
    MaxPool1d,
    MaxPool2d,
    ReLU,
)
from cnnlib.diagram import diagram_rows, shape_label, shapes_diagram

# AlexNet, one tower, as source 000 lists it (input 227×227×3)
ALEXNET = ((3, 227, 227), [
    Conv2d(96, 11, stride=4), ReLU(), MaxPool2d(3, stride=2),
    Conv2d(256, 5, padding=2), ReLU(), MaxPool2d(3, stride=2),
    Conv2d(384, 3, padding=1), ReLU(), Conv2d(384, 3, padding=1), ReLU(),
    Conv2d(256, 3, padding=1), ReLU(), MaxPool2d(3, stride=2), Flatten(),
    Dense(4096), ReLU(), Dropout(), Dense(4096), ReLU(), Dropout(), Dense(1000),
])
# worked by hand: (227 − 11)/4 + 1 = 55, (55 − 3)/2 + 1 = 27, 27 + 4 − 5 + 1 = 27, 13, 13, 13, 13, 6
ALEXNET_LABELS = ["227×227×3", "55×55×96", "27×27×96", "27×27×256", "13×13×256", "13×13×384",
                  "13×13×384", "13×13×256", "6×6×256", "9216", "4096", "4096", "1000"]
# 11·11·3·96 + 96, 5·5·96·256 + 256, 3·3·256·384 + 384, 3·3·384·384 + 384, 3·3·384·256 + 256,
# 9216·4096 + 4096, 4096·4096 + 4096, 4096·1000 + 1000
ALEXNET_PARAMS = [0, 34_944, 0, 614_656, 0, 885_120, 1_327_488, 884_992, 0, 0, 37_752_832,
                  16_781_312, 4_097_000]


def _boxes(ax):
    """Front faces: the Rectangles drawn in the data area (the legend's are not in ax.patches)."""
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_rows_alexnet_hand_worked():
    rows = diagram_rows(ALEXNET)
    assert [r.shape_label for r in rows] == ALEXNET_LABELS
    assert [r.params for r in rows] == ALEXNET_PARAMS
    assert sum(r.params for r in rows) == 62_378_344


def test_one_box_per_layer_that_is_not_in_place():
    _, layers = ALEXNET
    not_in_place = [layer for layer in layers if not layer.in_place]
    assert len(not_in_place) == 12  # 5 conv, 3 pool, flatten, 3 dense
    fig = shapes_diagram(ALEXNET, title="AlexNet")
    assert len(_boxes(fig.axes[0])) == len(not_in_place) + 1  # + the input
    fig = shapes_diagram(ALEXNET, show_input=False)
    assert len(_boxes(fig.axes[0])) == len(not_in_place)


def test_labels_carry_shapes_and_params():
    texts = _texts(shapes_diagram(ALEXNET).axes[0])
    for label in ALEXNET_LABELS:
        assert label in texts
    assert any("34,944" in t for t in texts)  # conv1's parameters
    assert any(t.startswith("Shapes as H×W×C") for t in texts)  # the order is stated


def test_channels_first_order():
    texts = _texts(shapes_diagram(ALEXNET, order="CHW").axes[0])
    assert "96×55×55" in texts and "256×6×6" in texts
    assert any(t.startswith("Shapes as C×H×W") for t in texts)
    with pytest.raises(ValueError):
        shape_label((96, 55, 55), "WHC")


def test_vgg_block_and_batch_norm_boxes():
    layers = [Conv2d(64, 3, padding=1), BatchNorm2d(), ReLU(), Conv2d(64, 3, padding=1),
              BatchNorm2d(), ReLU(), MaxPool2d(2)]
    rows = diagram_rows(((3, 224, 224), layers), show_input=False)
    assert [r.kind for r in rows] == ["conv", "bn", "conv", "bn", "pool"]
    assert [r.shape_label for r in rows][-1] == "112×112×64"
    # 3·3·3·64 + 64 and 3·3·64·64 + 64; batch norm: γ and β per channel
    assert [r.params for r in rows] == [1_792, 128, 36_928, 128, 0]


def test_sequences_and_lrn():
    rows = diagram_rows(((5, 100), [Conv1d(8, 3), ReLU(), MaxPool1d(2), Flatten(), Dense(1)]))
    assert [r.shape_label for r in rows] == ["100×5", "98×8", "49×8", "392", "1"]
    fig = shapes_diagram(((5, 100), [Conv1d(8, 3), MaxPool1d(2), Flatten(), Dense(1)]))
    assert len(_boxes(fig.axes[0])) == 5
    rows = diagram_rows(((96, 55, 55), [LocalResponseNorm(5)]), show_input=False)
    assert rows[0].kind == "norm"  # LRN makes a new tensor: it gets a box


def test_draw_on_given_axes():
    fig, (a, b) = plt.subplots(2, 1, figsize=(10, 10))
    assert shapes_diagram(ALEXNET, ax=b) is fig
    assert len(_boxes(b)) == 13 and not a.patches
    plt.close(fig)


def test_every_zoo_network_draws():
    zoo = pytest.importorskip("cnnlib.zoo")
    names = [n for n in getattr(zoo, "__all__", []) if callable(getattr(zoo, n))]
    drawn = 0
    for name in names:
        try:
            model = getattr(zoo, name)()
        except TypeError:  # a builder that needs arguments
            continue
        if not hasattr(model, "layers"):
            continue
        fig = shapes_diagram(model, title=name)
        in_place = sum(1 for _, layer in model.layers if layer.in_place)
        assert len(_boxes(fig.axes[0])) == len(list(model.layers)) - in_place + 1
        drawn += 1
    assert drawn > 0


def test_deep_networks_wrap_onto_rows():
    layers = []
    for c in (64, 64, 128, 128, 256, 256, 256, 512, 512, 512):
        layers += [Conv2d(c, 3, padding=1), ReLU()]
    model = ((3, 64, 64), layers + [MaxPool2d(2), Flatten(), Dense(10)])
    fig = shapes_diagram(model, per_row=7)  # 14 boxes: two rows of 7
    boxes = _boxes(fig.axes[0])
    assert len(boxes) == 14
    centres = sorted({round(b.get_y() + b.get_height() / 2, 6) for b in boxes})
    assert len(centres) == 2  # every box is centred on one of two row lines
    one_row = shapes_diagram(model, per_row=None)
    assert len({round(b.get_y() + b.get_height() / 2, 6) for b in _boxes(one_row.axes[0])}) == 1


# ------------------------------------------------------------------ SVG


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
    from cnnlib.diagram import shapes_svg

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
    from cnnlib.diagram import shapes_svg

    model = ((1, 28, 28), [Conv2d(32, 3), MaxPool2d(2), Flatten(), Dense(10)])
    boxes, _ = _svg_boxes(shapes_svg(model, order="CHW"))
    # 28 − 3 + 1 = 26, ⌊26/2⌋ = 13, 32·13·13 = 5,408; 3·3·1·32 + 32 = 320, 5,408·10 + 10
    assert [t[0] for _, _, t in boxes] == ["1×28×28", "32×26×26", "32×13×13", "5408", "10"]
    assert boxes[1][2][1] == "conv1320 p"  # two tspans: 'conv1' and '320 p'
    assert boxes[4][2][1] == "fc154,090 p"
    escaped = shapes_svg(((1, 8, 8), [("a<b&c", Conv2d(2, 3))]))
    assert "a&lt;b&amp;c" in escaped  # names are escaped, the SVG stays valid XML
    _svg_boxes(escaped)
