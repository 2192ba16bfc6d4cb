"""cnnlib.charts: per-layer parameters and MACs, shares by kind, bar charts (Agg)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from cnnlib import Conv2d, Dense, Dropout, Flatten, MaxPool2d, ReLU
from cnnlib.charts import cost_bars, layer_costs, params_and_macs, share_by_kind

ALEXNET = ((3, 227, 227), [
    Conv2d(96, 11, stride=4), ReLU(), MaxPool2d(3, stride=2),
    Conv2d(256, 5, padding=2), ReLU(), MaxPool2d(3, stride=2),
    Conv2d(384, 3, padding=1), ReLU(), Conv2d(384, 3, padding=1), ReLU(),
    Conv2d(256, 3, padding=1), ReLU(), MaxPool2d(3, stride=2), Flatten(),
    Dense(4096), ReLU(), Dropout(), Dense(4096), ReLU(), Dropout(), Dense(1000),
])


def test_costs_by_hand():
    costs = layer_costs(ALEXNET)
    assert [c.name for c in costs] == ["conv1", "conv2", "conv3", "conv4", "conv5", "fc1", "fc2", "fc3"]
    # MACs = output elements × (C_in · k · k): conv1 55·55·96 · 11·11·3
    assert costs[0].macs == 55 * 55 * 96 * 11 * 11 * 3
    assert costs[1].macs == 27 * 27 * 256 * 5 * 5 * 96
    assert costs[5].params == 9216 * 4096 + 4096 and costs[5].macs == 9216 * 4096
    assert sum(c.params for c in costs) == 62_378_344
    assert len(layer_costs(ALEXNET, all_layers=True)) == len(ALEXNET[1])


def test_shares():
    params = share_by_kind(ALEXNET, "params")
    macs = share_by_kind(ALEXNET, "macs")
    assert params["conv"][0] + params["fc"][0] == 62_378_344
    assert params["fc"][1] > 0.9 and macs["conv"][1] > 0.9
    assert sum(s for _, s in macs.values()) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        share_by_kind(ALEXNET, "flops")


def test_bars_draw_one_bar_per_costed_layer():
    ax = cost_bars(ALEXNET, "macs")
    assert len(ax.patches) == 8
    texts = [t.get_text() for t in ax.texts]
    assert any("39.5%" in t for t in texts)  # conv2's share of the MACs
    assert "1,135,256,096" in ax.get_title(loc="left")
    plt.close(ax.figure)
    fig = params_and_macs(ALEXNET, title="AlexNet")
    assert len(fig.axes) == 2
    plt.close(fig)
