"""cnnlib.analysis (and the size slider of cnnlib.calculators): per-layer parameters and MACs,
shares by kind, window arithmetic and activation terms, read from model rows."""

from fractions import Fraction

import pytest
from hand_worked import ALEXNET

from cnnlib import Conv2d, Dense, Flatten, MaxPool2d, ReLU, Sequential
from cnnlib.analysis import activation_terms, input_size_sweep, layer_costs, share_by_kind, window_steps
from cnnlib.calculators import size_html


def test_costs_by_hand():
    costs = layer_costs(ALEXNET)
    assert [c.name for c in costs] == ["conv1", "conv2", "conv3", "conv4", "conv5", "fc1", "fc2", "fc3"]
    # MACs = output elements × (C_in · k · k): conv1 55·55·96 · 11·11·3
    assert costs[0].macs == 55 * 55 * 96 * 11 * 11 * 3
    assert costs[1].macs == 27 * 27 * 256 * 5 * 5 * 96
    assert costs[5].params == 9216 * 4096 + 4096 and costs[5].macs == 9216 * 4096
    assert sum(c.params for c in costs) == 62_378_344
    assert len(layer_costs(ALEXNET, all_layers=True)) == len(ALEXNET.layers)


def test_shares():
    params = share_by_kind(ALEXNET, "params")
    macs = share_by_kind(ALEXNET, "macs")
    assert params["conv"][0] + params["fc"][0] == 62_378_344
    assert params["fc"][1] > 0.9 and macs["conv"][1] > 0.9
    assert sum(s for _, s in macs.values()) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        share_by_kind(ALEXNET, "flops")


def _alexnet(n):
    return Sequential((3, n, n), ALEXNET.layers)


def test_window_steps_224_floors():
    steps = window_steps(_alexnet(224))
    # (224 − 11)/4 + 1 = 54.25: PyTorch keeps 54, and one row is never read
    assert steps[0].exact == Fraction(217, 4) and steps[0].out == 54 and steps[0].unused == 1
    assert steps[0].formula() == "(224 + 2·0 − 11)/4 + 1 = 54.25 → 54"
    assert [st.out for st in steps if st.kind == "pool"] == [26, 12, 5]
    assert all(st.is_exact for st in window_steps(_alexnet(227)))


def test_activation_terms_vgg16_cs231n():
    layers = []
    for v in [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]:
        layers += [MaxPool2d(2)] if v == "M" else [Conv2d(v, 3, padding=1), ReLU()]
    layers += [Flatten(), Dense(4096), ReLU(), Dense(4096), ReLU(), Dense(1000)]
    terms = activation_terms(Sequential((3, 224, 224), layers))
    assert len(terms) == 1 + 13 + 5 + 3
    assert terms[0].expression() == "224·224·3" and terms[1].elements == 224 * 224 * 64
    assert terms[-1].expression() == "1000"
    # the CS231n column, summed by hand: 150,528 + 2·3,211,264 + 802,816 + 2·1,605,632 + 401,408
    # + 3·802,816 + 200,704 + 3·401,408 + 100,352 + 3·100,352 + 25,088 + 4,096 + 4,096 + 1,000
    assert sum(t.elements for t in terms) == 15_237_608


def test_sweep_and_slider_html():
    rows = input_size_sweep(_alexnet, [66, 67, 224, 227])
    assert [r["ok"] for r in rows] == [False, True, True, True]
    assert rows[2]["fc1_in"] == 5 * 5 * 256 and rows[3]["fc1_in"] == 6 * 6 * 256
    assert rows[3]["total"] == 62_378_344
    assert "impossible" in size_html(_alexnet, 66) and "&lt; 1" in size_html(_alexnet, 66)
    html = size_html(_alexnet, 224, reference=227)
    assert "54.25 → 54" in html and "6,400 inputs" in html and "floored" in html
    assert "every division exact" in size_html(_alexnet, 227)
