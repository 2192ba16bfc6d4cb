"""The rules the chapter "After VGG" states in words, each over a grid of layers or networks.

Expected values are written here from the formulas the chapter states (products of channel
counts and kernel sizes, done by this file's own arithmetic) or are published totals;
tests/oracle/test_rules_after_vgg_torch.py checks the blocks against torch modules.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest

from cnnlib import (
    AdaptiveAvgPool2d,
    BatchNorm2d,
    Conv2d,
    Dense,
    Flatten,
    Residual,
    Sequential,
    zoo,
)
from cnnlib.compare import AFTER_VGG, network_record, network_records
from cnnlib.costs import bottleneck_costs, inception_costs, separable_costs

CHANNELS = (1, 3, 16, 64, 96, 256)


def test_a_1x1_convolution_has_c_in_times_c_out_weights_and_keeps_the_map():
    for c_in, c_out, h, w in itertools.product(CHANNELS, CHANNELS, (1, 7, 28), (1, 5, 28)):
        conv = Conv2d(c_out, 1)
        assert conv.weights((c_in, h, w)) == c_in * c_out
        assert conv.biases((c_in, h, w)) == c_out
        assert conv.output_shape((c_in, h, w)) == (c_out, h, w)
        assert conv.macs((c_in, h, w)) == c_in * c_out * h * w


def test_global_average_pooling_has_no_parameters_and_leaves_c_values():
    """GAP: H×W×C → C with no parameters; a dense classifier after it has (C + 1)·classes
    parameters, after flattening instead (H·W·C + 1)·classes."""
    for c, h, w, classes in itertools.product((16, 512, 1024), (1, 7, 13), (1, 7, 13), (10, 1000)):
        gap = Sequential((c, h, w), [AdaptiveAvgPool2d(1), Flatten(), Dense(classes)])
        flat = Sequential((c, h, w), [Flatten(), Dense(classes)])
        assert gap.rows()[1].params == 0 and gap.rows()[2].out_shape == (c,)
        assert gap.total_params == (c + 1) * classes
        assert flat.total_params == (h * w * c + 1) * classes


@pytest.mark.parametrize("name", ["NiN", "GoogLeNet", "ResNet-18", "ResNet-50", "MobileNet", "MobileNetV2"])
def test_with_global_pooling_the_parameters_do_not_depend_on_the_input_size(name):
    build, kw, _ = AFTER_VGG[name]
    counts = {build(**kw, input_size=n).total_params for n in (160, 224, 320)}
    assert len(counts) == 1


def test_with_a_flattened_map_the_first_dense_layer_grows_with_the_input():
    """VGG-16 (flatten, no global pooling): fc1 = (512·(n/32)² + 1)·4096."""
    for n in (64, 224, 320):
        fc1 = zoo.vgg(16, input_size=n).row("fc1")
        assert fc1.params == (512 * (n // 32) ** 2 + 1) * 4096


def test_googlenet_has_fewer_parameters_than_alexnets_first_dense_layer():
    """The published totals: torchvision's GoogLeNet 6,624,904; AlexNet's fc1 takes 6·6·256."""
    assert zoo.googlenet().total_params == 6_624_904
    fc1 = (6 * 6 * 256) * 4096 + 4096
    assert zoo.alexnet().row("fc1").params == fc1
    assert zoo.googlenet().total_params < fc1
    assert zoo.vgg(16).total_params == 138_357_544 and zoo.alexnet().total_params == 62_378_344


# ------------------------------------------------------------------ Inception


@pytest.mark.parametrize("name", list(zoo.GOOGLENET_MODULES))
def test_an_inception_module_concatenates_its_branches_channels_at_one_size(name):
    """C_out = C_1×1 + C_3×3 + C_5×5 + C_pool, and every branch keeps H×W."""
    b1, _, b3, _, b5, pp = zoo.GOOGLENET_MODULES[name]
    m = zoo.googlenet()
    concat = m.row(f"{name}.concat")
    assert concat.out_shape[0] == b1 + b3 + b5 + pp
    assert {s[1:] for s in concat.in_shape} == {concat.out_shape[1:]}


def test_a_1x1_reduction_costs_c_m_plus_k2_m_c_out_instead_of_k2_c_c_out():
    """In front of a k×k convolution C → C', a 1×1 reduction to m channels: C·m + k²·m·C'
    weights instead of k²·C·C' (biases: m + C' instead of C')."""
    for c, m, c_out, k in itertools.product((64, 192, 480), (16, 96), (32, 128), (3, 5)):
        direct = Sequential((c, 28, 28), [Conv2d(c_out, k, padding=k // 2)])
        reduced = Sequential((c, 28, 28), [Conv2d(m, 1), Conv2d(c_out, k, padding=k // 2)])
        assert direct.weights == k * k * c * c_out
        assert reduced.weights == c * m + k * k * m * c_out
        assert reduced.biases == m + c_out
        assert reduced.macs == 28 * 28 * (c * m + k * k * m * c_out)


def test_inception_3a_by_hand():
    """Module 3a of the paper (5×5 in the third branch, biases): 163,696 parameters."""
    hand = (192 * 64 + 64) + (192 * 96 + 96) + (9 * 96 * 128 + 128) + (192 * 16 + 16) \
        + (25 * 16 * 32 + 32) + (192 * 32 + 32)
    assert hand == 163_696 == inception_costs()["params"]
    naive = (192 * 64 + 64) + (9 * 192 * 128 + 128) + (25 * 192 * 32 + 32)
    assert inception_costs(reduce=False)["params"] == naive


# ------------------------------------------------------------------ residual blocks


def test_an_identity_shortcut_adds_no_parameters_and_no_macs():
    for c, size in itertools.product((16, 64, 256), (7, 14, 56)):
        body = [Conv2d(c, 3, padding=1, bias=False), BatchNorm2d(), Conv2d(c, 3, padding=1, bias=False)]
        chain = Sequential((c, size, size), body)
        res = Sequential((c, size, size), [Residual([Conv2d(c, 3, padding=1, bias=False), BatchNorm2d(),
                                                      Conv2d(c, 3, padding=1, bias=False)])])
        assert (res.total_params, res.macs) == (chain.total_params, chain.macs)


def test_a_projection_shortcut_adds_c_in_times_c_out_weights():
    for c_in, c_out, stride in itertools.product((64, 256), (128, 512), (1, 2)):
        body = [Conv2d(c_out, 3, stride=stride, padding=1, bias=False)]
        plain = Sequential((c_in, 28, 28), body)
        res = Sequential((c_in, 28, 28), [Residual([Conv2d(c_out, 3, stride=stride, padding=1, bias=False)],
                                                    shortcut=[Conv2d(c_out, 1, stride=stride, bias=False)])])
        assert res.weights - plain.weights == c_in * c_out


def test_a_bottleneck_has_c_m_plus_9_m2_plus_m_c_weights_against_9_c2():
    """1×1 (C → m), 3×3 (m → m), 1×1 (m → C); with ResNet's m = C/4 it has 144/17 ≈ 8.5× fewer
    weights than one plain 3×3 convolution at C channels."""
    for c, m in itertools.product((64, 256, 512, 1024, 2048), (16, 64, 128, 256, 512)):
        b = bottleneck_costs(c, m, size=14)
        assert b["bottleneck"]["weights"] == c * m + 9 * m * m + m * c
        assert b["plain"]["weights"] == 9 * c * c
        if 4 * m == c:
            assert Fraction(b["plain"]["weights"], b["bottleneck"]["weights"]) == Fraction(144, 17)


def test_resnet50_bottleneck_block_by_hand():
    """layer2.1 of ResNet-50 (512 → 128 → 128 → 512 on 28×28, BatchNorm, no biases)."""
    m = zoo.resnet(50)
    rows = [r for r in m.rows() if r.name.startswith("layer2.1.")]
    weights = 512 * 128 + 9 * 128 * 128 + 128 * 512
    bn = 2 * 128 + 2 * 128 + 2 * 512
    assert sum(r.params for r in rows) == weights + bn == 280_064
    assert sum(r.macs for r in rows) == weights * 28 * 28


# ------------------------------------------------------------------ depthwise separable, MobileNet


def test_a_depthwise_separable_convolution_has_k2_c_in_plus_c_in_c_out_weights():
    """Depthwise k×k (groups = C_in) + pointwise 1×1: k²·C_in + C_in·C_out weights and MACs
    (× H_out·W_out) instead of k²·C_in·C_out: a saving of 1 / (1/C_out + 1/k²)."""
    for c_in, c_out, k, size in itertools.product((8, 32, 256, 512), (16, 64, 512, 1024), (3, 5), (7, 14)):
        s = separable_costs(c_in, c_out, k, size)
        assert s["standard"]["weights"] == k * k * c_in * c_out
        assert s["separable"]["weights"] == k * k * c_in + c_in * c_out
        assert s["separable"]["macs"] == (k * k * c_in + c_in * c_out) * size * size
        ratio = Fraction(k * k * c_in * c_out, k * k * c_in + c_in * c_out)
        assert ratio == 1 / (Fraction(1, c_out) + Fraction(1, k * k))
        assert ratio < k * k


def test_mobilenet_block_7_by_hand():
    """conv_dw_7 / conv_pw_7 of MobileNet on 14×14×512: 3·3·512 and 512·512 weights."""
    m = zoo.mobilenet_v1()
    assert m.row("conv_dw_7").weights == 9 * 512 and m.row("conv_dw_7").macs == 9 * 512 * 14 * 14
    assert m.row("conv_pw_7").weights == 512 * 512 and m.row("conv_pw_7").macs == 512 * 512 * 14 * 14


def test_mobilenet_published_counts():
    """Howard et al., Tables 6 and 7: million MACs and parameters at α and input size (the paper
    rounds its MACs: 290.7 M at 160 is printed as 290, 568.7 M at 224 as 569 — within 1 M)."""
    published = {(1.0, 224): (569, 4.2), (0.75, 224): (325, 2.6), (0.5, 224): (149, 1.3),
                 (0.25, 224): (41, 0.5), (1.0, 192): (418, 4.2), (1.0, 160): (290, 4.2),
                 (1.0, 128): (186, 4.2)}
    for (alpha, n), (macs, params) in published.items():
        m = zoo.mobilenet_v1(alpha, input_size=n)
        assert abs(m.macs / 1e6 - macs) < 1
        assert round(m.total_params / 1e6, 1) == params


def test_the_width_multiplier_scales_pointwise_layers_by_alpha_squared_and_depthwise_by_alpha():
    """Where α·C is a whole number for every C: a pointwise layer's weights and MACs × α², a
    depthwise layer's × α."""
    full = zoo.mobilenet_v1(1.0)
    for alpha in (Fraction(1, 2), Fraction(1, 4), Fraction(3, 4)):
        thin = zoo.mobilenet_v1(float(alpha))
        for i in range(1, 14):
            pw, dw = f"conv_pw_{i}", f"conv_dw_{i}"
            assert Fraction(thin.row(pw).weights, full.row(pw).weights) == alpha ** 2
            assert Fraction(thin.row(pw).macs, full.row(pw).macs) == alpha ** 2
            assert Fraction(thin.row(dw).weights, full.row(dw).weights) == alpha
            assert Fraction(thin.row(dw).macs, full.row(dw).macs) == alpha


def test_the_input_size_scales_every_convolutions_macs_by_its_square_and_no_parameter():
    """n a multiple of 32: every map scales by n/224, so each convolution's MACs by (n/224)²."""
    base = zoo.mobilenet_v1(input_size=224)
    for n in (128, 160, 192, 256):
        m = zoo.mobilenet_v1(input_size=n)
        assert m.total_params == base.total_params
        for r in base.rows():
            if r.kind == "conv":
                assert Fraction(m.row(r.name).macs, r.macs) == Fraction(n, 224) ** 2


def test_an_inverted_residual_expands_filters_depthwise_and_projects():
    """MobileNetV2's block with expansion t: 1×1 C → t·C, depthwise 3×3 on t·C, 1×1 t·C → C'
    with no activation after it: t·C·C + 9·t·C + t·C·C' weights; the input is added back only
    when the stride is 1 and C' = C."""
    m = zoo.mobilenet_v2()
    c, i, adds = 32, 1, 0
    for t, c_out, reps, stride in zoo.MOBILENET_V2_SETTINGS:
        for rep in range(reps):
            s = stride if rep == 0 else 1
            rows = [r for r in m.rows() if r.name.startswith(f"features.{i}.")]
            convs = [r for r in rows if r.kind == "conv"]
            hidden = t * c
            expect = (c * hidden if t != 1 else 0) + 9 * hidden + hidden * c_out
            assert sum(r.weights for r in convs) == expect
            assert convs[-1].layer.kernel_size == (1, 1)
            after = [r.type for r in rows[rows.index(convs[-1]) + 1:]]
            assert "ReLU6" not in after  # the linear bottleneck
            has_add = any(r.type == "Add" for r in rows)
            assert has_add == (s == 1 and c == c_out)
            adds += has_add
            c, i = c_out, i + 1
    assert adds == 10


# ------------------------------------------------------------------ the comparison table


def test_the_comparison_records_are_sums_over_the_rows():
    for r, (label, (build, kw, _)) in zip(network_records(), AFTER_VGG.items()):
        m = build(**kw)
        assert r["network"] == label
        assert r["params"] == m.total_params and r["macs"] == m.macs
        assert r["activations"] == m.activation_elements
        assert r["dense_params"] == sum(x.params for x in m.rows() if x.type == "Dense")
        assert r["weight_layers"] == sum(1 for x in m.rows() if x.type in ("Conv2d", "Dense"))


def test_published_totals_in_the_comparison():
    """torchvision's documented totals and Keras's MobileNet count."""
    got = {r["network"]: r["params"] for r in network_records()}
    assert got["GoogLeNet"] == 6_624_904 and got["ResNet-18"] == 11_689_512
    assert got["ResNet-50"] == 25_557_032 and got["MobileNetV2"] == 3_504_872
    assert got["MobileNet"] == 4_231_976


def test_receptive_fields_in_the_comparison_are_those_measured_in_torch():
    """AlexNet 195, VGG-16 212, GoogLeNet 379, ResNet-18 435, ResNet-50 427, MobileNetV2 491
    (tests/oracle/test_receptive_torch.py measures each); MobileNet 315
    (tests/oracle/test_rules_receptive_torch.py)."""
    got = {r["network"]: r["rf"] for r in network_records()}
    assert got == {"AlexNet": 195, "VGG-16": 212, "NiN": 195, "GoogLeNet": 379, "ResNet-18": 435,
                   "ResNet-50": 427, "MobileNet": 315, "MobileNetV2": 491}
    assert network_record("x", zoo.vgg(16))["rf_row"] == "pool5"


def test_mobilenet_table_2_shares_by_layer_type():
    """Howard et al., Table 2: the 1×1 convolutions do 94.86% of the Mult-Adds and hold 74.59% of
    the parameters, the depthwise 3×3 3.06% and 1.06%, the dense layer 0.18% and 24.33% — the
    parameters counted as weights only (no biases, no batch normalisation)."""
    m = zoo.mobilenet_v1()
    rows = [r for r in m.rows() if r.kind in ("conv", "fc")]
    weights = sum(r.weights for r in rows)
    kinds = {(94.86, 74.59): lambda r: r.kind == "conv" and r.layer.kernel_size == (1, 1),
             (3.06, 1.06): lambda r: r.kind == "conv" and r.layer.groups > 1,
             (0.18, 24.33): lambda r: r.kind == "fc"}
    for (macs, params), is_kind in kinds.items():
        assert round(100 * sum(r.macs for r in rows if is_kind(r)) / m.macs, 2) == macs
        assert round(100 * sum(r.weights for r in rows if is_kind(r)) / weights, 2) == params
