"""cnnlib.book.charts: the shapes diagram and the bar charts, drawn headless (Agg)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from hand_worked import ALEXNET, ALEXNET_LABELS
from matplotlib.patches import Rectangle

from cnnlib import Conv1d, Conv2d, Dense, Flatten, MaxPool1d, MaxPool2d, ReLU, Sequential, zoo
from cnnlib.book.charts import cost_bars, params_and_macs, shapes_diagram
from cnnlib.shapes import shape_text


def _boxes(ax):
    """Front faces: the Rectangles drawn in the data area (the legend's are not in ax.patches)."""
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_one_box_per_layer_that_is_not_in_place():
    not_in_place = [r for r in ALEXNET.rows()[1:] if r.type not in ("ReLU", "Dropout")]
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
        shape_text((96, 55, 55), "WHC")


def test_sequences():
    fig = shapes_diagram(Sequential((5, 100), [Conv1d(8, 3), MaxPool1d(2), Flatten(), Dense(1)]))
    assert len(_boxes(fig.axes[0])) == 5


def test_draw_on_given_axes():
    fig, (a, b) = plt.subplots(2, 1, figsize=(10, 10))
    assert shapes_diagram(ALEXNET, ax=b) is fig
    assert len(_boxes(b)) == 13 and not a.patches
    plt.close(fig)


def test_every_zoo_network_draws():
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
        # one box per top-level layer that is not an in-place activation or dropout, + the input
        in_place = sum(1 for _, layer in model.layers if getattr(layer, "kind", "") in ("act", "drop"))
        assert len(_boxes(fig.axes[0])) == len(list(model.layers)) - in_place + 1
        drawn += 1
    assert drawn > 0


def test_deep_networks_wrap_onto_rows():
    layers = []
    for c in (64, 64, 128, 128, 256, 256, 256, 512, 512, 512):
        layers += [Conv2d(c, 3, padding=1), ReLU()]
    model = Sequential((3, 64, 64), layers + [MaxPool2d(2), Flatten(), Dense(10)])
    fig = shapes_diagram(model, per_row=7)  # 14 boxes: two rows of 7
    boxes = _boxes(fig.axes[0])
    assert len(boxes) == 14
    centres = sorted({round(b.get_y() + b.get_height() / 2, 6) for b in boxes})
    assert len(centres) == 2  # every box is centred on one of two row lines
    one_row = shapes_diagram(model, per_row=None)
    assert len({round(b.get_y() + b.get_height() / 2, 6) for b in _boxes(one_row.axes[0])}) == 1


def test_bars_draw_one_bar_per_costed_layer():
    ax = cost_bars(ALEXNET, "macs").axes[0]
    assert len(ax.patches) == 8
    texts = [t.get_text() for t in ax.texts]
    assert any("39.5%" in t for t in texts)  # conv2's share of the MACs
    assert "1,135,256,096" in ax.get_title(loc="left")
    fig = params_and_macs(ALEXNET, title="AlexNet")
    assert len(fig.axes) == 2
