"""Every general rule the LeNet-5 chapter (notebooks/06_lenet.ipynb) states in words, tested over
a grid of layers or input sizes.  Each test is named after its sentence.  Expected values are
worked by hand from the rule itself or are the paper's published counts (LeCun et al., 1998,
section II.B) — never cnnlib's own output.
"""

from __future__ import annotations

import itertools
import random

import pytest

from cnnlib import (
    Conv2d,
    Dense,
    MaxPool2d,
    ReLU,
    ShapeError,
    Subsample2d,
    TableConv2d,
    Tanh,
    zoo,
)
from cnnlib.analysis import share_by_kind, window_steps
from cnnlib.calculators import lenet_walk

SIZES = range(1, 41)


# ---------------------------------------------------------------- sizes


@pytest.mark.parametrize("k", [1, 2, 3, 5, 7])
def test_a_kxk_convolution_without_padding_takes_k_minus_1_off_the_size(k):
    """'Every 5×5 convolution without padding takes 4 rows and 4 columns off the map.'"""
    for n, c in itertools.product(SIZES, (1, 6)):
        if n < k:
            with pytest.raises(ShapeError):
                Conv2d(3, k).output_shape((c, n, n))
            continue
        assert Conv2d(3, k).output_shape((c, n, n)) == (3, n - (k - 1), n - (k - 1))


@pytest.mark.parametrize("pool", [MaxPool2d(2), Subsample2d(2)], ids=["max", "subsample"])
def test_a_2x2_pool_with_stride_2_halves_the_size_rounding_down(pool):
    for n, c in itertools.product(range(2, 80), (1, 6, 16)):
        assert pool.output_shape((c, n, n + 1)) == (c, n // 2, (n + 1) // 2)


# ---------------------------------------------------------------- parameters and MACs


GRID = list(itertools.product((1, 3, 5), (1, 6, 16), (1, 16, 120), (5, 10, 28)))  # k, C_in, C_out, n


def test_a_convolution_has_k_k_cin_cout_plus_cout_parameters():
    for k, c_in, c_out, n in GRID:
        assert Conv2d(c_out, k).params((c_in, n, n)) == k * k * c_in * c_out + c_out


def test_a_convolution_uses_each_weight_at_every_output_position():
    for k, c_in, c_out, n in GRID:
        o = n - k + 1
        assert Conv2d(c_out, k).macs((c_in, n, n)) == (k * k * c_in * c_out) * o * o


def test_a_dense_layer_on_a_vector_uses_each_weight_once():
    for f_in, f_out in itertools.product((1, 84, 120, 400, 9216), (1, 10, 84, 120)):
        d = Dense(f_out)
        assert d.weights((f_in,)) == d.macs((f_in,)) == f_in * f_out
        assert d.params((f_in,)) == f_in * f_out + f_out


def test_a_kxk_convolution_on_a_kxk_map_is_a_dense_layer_on_the_flattened_map():
    """C5: 120 filters of 5×5×16 on the 5×5×16 map of S4 = a dense layer on its 400 values."""
    for k, c_in, c_out in itertools.product((1, 2, 3, 5), (1, 6, 16), (1, 10, 120)):
        conv, dense = Conv2d(c_out, k), Dense(c_out)
        shape, flat = (c_in, k, k), (c_in * k * k,)
        assert conv.output_shape(shape) == (c_out, 1, 1)
        assert conv.params(shape) == dense.params(flat) == k * k * c_in * c_out + c_out
        assert conv.macs(shape) == dense.macs(flat) == k * k * c_in * c_out


def test_a_subsampling_layer_has_two_parameters_per_map_whatever_its_window():
    """The paper's S2 and S4: one coefficient and one bias per map (12 and 32); max pooling: none."""
    for c, n, k in itertools.product((1, 6, 16, 64), (4, 10, 28, 33), (1, 2, 3, 4)):
        assert Subsample2d(k).params((c, n, n)) == 2 * c
        assert MaxPool2d(k).params((c, n, n)) == 0


def test_activation_functions_have_no_parameters():
    """Scaled tanh (the paper) or ReLU (the modern version): the counts do not change."""
    for shape in ((6, 28, 28), (16, 10, 10), (84,)):
        assert Tanh().params(shape) == ReLU().params(shape) == 0


def _random_table(rng, c_in, c_out):
    return tuple(tuple(rng.sample(range(c_in), rng.randint(1, c_in))) for _ in range(c_out))


def test_a_table_of_t_map_pairs_has_k_k_t_plus_cout_parameters_and_a_full_table_is_a_convolution():
    rng = random.Random(6)
    for k, c_in, c_out, n in GRID:
        table = _random_table(rng, c_in, c_out)
        t = sum(len(e) for e in table)
        layer, shape = TableConv2d(c_out, k, table=table), (c_in, n, n)
        o = n - k + 1
        assert layer.params(shape) == k * k * t + c_out
        assert layer.macs(shape) == k * k * t * o * o
        full = TableConv2d(c_out, k, table=[range(c_in)] * c_out)
        assert full.params(shape) == Conv2d(c_out, k).params(shape)
        assert full.macs(shape) == Conv2d(c_out, k).macs(shape)


def test_no_choice_of_groups_gives_c3s_table():
    """Groups split the maps into g equal sets that do not overlap: output j reads the input
    maps of its group.  C3's entries overlap, so no g that divides 6 and 16 reproduces them."""
    c_in, c_out = 6, 16
    for g in (1, 2):  # the common divisors of 6 and 16
        grouped = tuple(tuple(range((j // (c_out // g)) * (c_in // g), (j // (c_out // g) + 1) * (c_in // g)))
                        for j in range(c_out))
        assert Conv2d(c_out, 5, groups=g).params((c_in, 14, 14)) == 25 * sum(map(len, grouped)) + c_out
        assert grouped != zoo.LENET5_C3_TABLE


def test_a_table_that_reads_a_map_the_input_does_not_have_is_refused():
    with pytest.raises(ShapeError, match="reads input map 5"):
        TableConv2d(2, 3, table=((0, 1), (4, 5))).output_shape((5, 8, 8))


# ---------------------------------------------------------------- the paper's counts

# LeCun et al. (1998), section II.B: trainable parameters and connections of every layer
PAPER = {"C1": (156, 122_304), "S2": (12, 5_880), "C3": (1_516, 151_600), "S4": (32, 2_000),
         "C5": (48_120, 48_120), "F6": (10_164, 10_164)}


def test_the_papers_parameters_and_connections_layer_by_layer():
    """'The paper counts connections: every input a unit reads, plus its bias' = MACs + bias adds."""
    rows = {r["name"]: r for r in lenet_walk(zoo.lenet5("paper"))}
    for name, (params, connections) in PAPER.items():
        assert (rows[name]["params"], rows[name]["connections"]) == (params, connections), name


def test_the_papers_totals():
    """About 60,000 trainable parameters and 340,908 connections, the output's 84·10 included."""
    m = zoo.lenet5("paper")
    assert m.total_params == sum(p for p, _ in PAPER.values()) == 60_000
    assert m.macs + m.bias_adds == sum(c for _, c in PAPER.values()) + 84 * 10 == 340_908
    assert m.buffers == 84 * 10  # the RBF centres: fixed by hand, not trained


def test_the_two_versions_differ_by_c3s_table_the_subsampling_and_the_output_only():
    """−900 in C3 (5·5·(96 − 60)), +2·6 + 2·16 in S2 and S4, −(84·10 + 10) at the output."""
    paper, modern = zoo.lenet5("paper"), zoo.lenet5("modern")
    pairs = dict(zip(["C1", "S2", "C3", "S4", "C5", "F6", "output"],
                     ["conv1", "pool1", "conv2", "pool2", "fc1", "fc2", "fc3"]))
    diff = {p: modern.row(m).params - paper.row(p).params for p, m in pairs.items()}
    assert diff == {"C1": 0, "S2": -12, "C3": 5 * 5 * (96 - 60), "S4": -32, "C5": 0, "F6": 0,
                    "output": 84 * 10 + 10}
    assert modern.total_params - paper.total_params == sum(diff.values()) == 1_706


# ---------------------------------------------------------------- input sizes


def _builds(variant, n):
    try:
        zoo.lenet5(variant, n)
    except ShapeError:
        return False
    return True


def test_the_modern_lenet_takes_inputs_from_16_and_the_papers_from_32():
    """Modern: the last pool needs a 2×2 map; the paper: C5 needs S4's map to be at least 5×5."""
    for n in range(1, 161):
        assert _builds("modern", n) == (n >= 16), n
        assert _builds("paper", n) == (n >= 32), n


@pytest.mark.parametrize("variant, low", [("modern", 16), ("paper", 32)])
def test_every_division_is_exact_exactly_when_n_is_a_multiple_of_4(variant, low):
    for n in range(low, 161):
        exact = all(s.is_exact for s in window_steps(zoo.lenet5(variant, n)))
        assert exact == (n % 4 == 0), n


def test_the_input_size_changes_only_the_layers_after_the_last_pool():
    """In the modern version fc1 takes 16·m·m inputs, m = ⌊(⌊(n − 4)/2⌋ − 4)/2⌋; the rest stays."""
    base = zoo.lenet5()
    for n in range(16, 161):
        m = ((n - 4) // 2 - 4) // 2
        model = zoo.lenet5(input_size=n)
        for name in ("conv1", "conv2", "fc2", "fc3"):
            assert model.row(name).params == base.row(name).params
        assert model.row("fc1").in_shape == (16 * m * m,)
        assert model.row("fc1").params == 16 * m * m * 120 + 120


def test_the_papers_c5_is_larger_than_1x1_above_32():
    """C5 is a convolution: on an S4 map of m×m it gives (m − 4)×(m − 4)×120, and F6 grows."""
    for n in range(32, 161):
        m = ((n - 4) // 2 - 4) // 2
        model = zoo.lenet5("paper", n)
        assert model.row("C5").out_shape == (120, m - 4, m - 4)
        for name, params in (("C1", 156), ("S2", 12), ("C3", 1_516), ("S4", 32), ("C5", 48_120)):
            assert model.row(name).params == params
        assert model.row("F6").params == 120 * (m - 4) ** 2 * 84 + 84


def test_in_the_modern_lenet_dense_layers_hold_most_parameters_and_convolutions_do_most_macs():
    for n in range(16, 161):
        model = zoo.lenet5(input_size=n)
        params, macs = share_by_kind(model, "params"), share_by_kind(model, "macs")
        assert params["fc"][0] > params["conv"][0], n
        assert macs["conv"][0] > macs["fc"][0], n
