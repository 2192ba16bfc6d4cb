"""The rules the chapter "Receptive fields" states in words, each over a grid of layers.

The independent source here is a brute force written in this file from the definition of a
sliding window — output position i of a layer with kernel k, stride s, padding p and dilation d
reads input positions i·s − p + t·d for t = 0 … k − 1 — which follows one unit back to the
input position by position and never uses cnnlib's recurrence, its RFStep or its
``field_positions``.  (tests/oracle/test_rules_receptive_torch.py checks the same rules against
gradients in torch.)
"""

from __future__ import annotations

import itertools
import math
import random

import pytest

from cnnlib import (
    AdaptiveAvgPool1d,
    Add,
    BatchNorm1d,
    Concatenate,
    Conv1d,
    Conv2d,
    Dense,
    Flatten,
    Input,
    MaxPool1d,
    Model,
    ReLU,
    Sequential,
    ShapeError,
    receptive_field,
    zoo,
)
from cnnlib.receptive import effective_field, field_positions

RNG_SEED = 20261127


# ------------------------------------------------------------------ the brute force


def spec(layer):
    """(k, s, p, d) of a 1-D window layer from its hyper-parameters, or None (pointwise)."""
    if isinstance(layer, (Conv1d, MaxPool1d)):
        one = lambda v: v[0] if isinstance(v, tuple) else v
        k = one(layer.kernel_size)
        s = one(layer.stride) if layer.stride is not None else k
        return k, s, one(layer.padding), one(getattr(layer, "dilation", 1))
    return None


def reads(k, s, p, d, i):
    return [i * s - p + t * d for t in range(k)]


def reached(chain, unit):
    """Input positions (padding included) that `unit` of the last layer of a chain of (k, s, p, d)
    reads, following every window back to the input."""
    now = {unit}
    for k, s, p, d in reversed(chain):
        now = {x for i in now for x in reads(k, s, p, d, i)}
    return now


def out_size(n, k, s, p, d):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def random_chain(rng, n, max_layers=6, dilation=True):
    """A random chain of 1-D convolutions and max pools that fits an n-long input."""
    chain, layers, size = [], [], n
    for _ in range(rng.randint(1, max_layers)):
        if rng.random() < 0.7:
            k, s, d = rng.randint(1, 5), rng.randint(1, 3), rng.randint(1, 3) if dilation else 1
            p = rng.randint(0, (d * (k - 1)) // 2 + 1)
            layer = Conv1d(1, k, stride=s, padding=p, dilation=d)
        else:
            k = rng.randint(1, 4)
            s, p, d = rng.randint(1, k), rng.randint(0, k // 2), 1
            layer = MaxPool1d(k, stride=s, padding=p)
        o = out_size(size, k, s, p, d)
        if o < 2:
            break
        chain.append((k, s, p, d))
        layers.append(layer)
        size = o
    return chain, layers, size


def chains(count=3000, n_range=(8, 80)):
    rng = random.Random(RNG_SEED)
    made = 0
    while made < count:
        n = rng.randint(*n_range)
        chain, layers, size = random_chain(rng, n)
        if not chain:
            continue
        made += 1
        yield n, chain, layers, size


# ------------------------------------------------------------------ the rule for a chain


def test_r_grows_by_k_minus_1_times_d_times_j_and_j_multiplies_by_s():
    """r ← r + (k − 1)·d·j and j ← j·s, from r = 1 and j = 1: r is the extent of the input
    positions one unit reads, j the distance between the fields of neighbouring units."""
    checked = 0
    for n, chain, layers, size in chains():
        last = receptive_field(Sequential((1, n), layers))[-1]
        for unit in {0, size // 2, size - 1}:
            got = reached(chain, unit)
            assert max(got) - min(got) + 1 == last.size, (chain, unit)
            # start: the centre of unit 0's field; the field of unit i is centred j·i further on
            assert (max(got) + min(got)) / 2 == last.start + unit * last.jump, (chain, unit)
        a, b = reached(chain, 0), reached(chain, 1)
        assert min(b) - min(a) == last.jump == math.prod(s for _, s, _, _ in chain)
        checked += 1
    assert checked == 3000


def test_every_row_of_a_chain_follows_the_recurrence_step_by_step():
    """Layer by layer: the recurrence written out in this test gives every row's r, j and start."""
    for n, chain, layers, _ in itertools.islice(chains(), 500):
        rows = receptive_field(Sequential((1, n), layers))
        r, j, start = 1, 1, 0.0
        assert (rows[0].size, rows[0].jump, rows[0].start) == (1, 1, 0)
        for (k, s, p, d), row in zip(chain, rows[1:]):
            r, start, j = r + (k - 1) * d * j, start + ((d * (k - 1)) / 2 - p) * j, j * s
            assert (row.size, row.jump, row.start) == (r, j, start)


def test_two_3x3_convolutions_see_5x5_and_three_see_7x7():
    """VGG's argument: L stacked k×k stride-1 convolutions see L·(k − 1) + 1 on each side —
    two 3×3 see 5×5, three see 7×7 — with L·k²·C² weights against (L·(k − 1) + 1)²·C²."""
    for depth, k, c in itertools.product(range(1, 9), (3, 5, 7), (1, 8, 64)):
        m = Sequential((c, 64, 64), [Conv2d(c, k, padding=k // 2, bias=False) for _ in range(depth)])
        r = depth * (k - 1) + 1
        assert receptive_field(m)[-1].size == r
        assert m.weights == depth * k * k * c * c
        one = Sequential((c, 64, 64), [Conv2d(c, r, padding=r // 2, bias=False)])
        assert receptive_field(one)[-1].size == r and one.weights == r * r * c * c
        if depth > 1:
            assert m.weights < one.weights
    assert receptive_field(Sequential((3, 32, 32), [Conv2d(8, 3), Conv2d(8, 3)]))[-1].size == 5
    assert receptive_field(Sequential((3, 32, 32), [Conv2d(8, 3) for _ in range(3)]))[-1].size == 7


def test_identical_layers_give_a_geometric_sum():
    """L identical layers (k, s, d): r = 1 + (k − 1)·d·(1 + s + … + s^(L−1)) and j = s^L."""
    for depth, k, s, d in itertools.product(range(1, 7), range(1, 6), range(1, 4), range(1, 4)):
        n = s ** depth * depth * (d * (k - 1) + 1) + 2
        m = Sequential((1, n), [Conv1d(1, k, stride=s, dilation=d) for _ in range(depth)])
        last = receptive_field(m)[-1]
        assert last.size == 1 + (k - 1) * d * sum(s ** i for i in range(depth))
        assert last.jump == s ** depth


def test_a_stride_multiplies_the_growth_of_every_later_layer():
    """A layer after a stride-s layer adds (k − 1)·s cells, not k − 1."""
    for s, k in itertools.product(range(1, 5), range(2, 6)):
        before = receptive_field(Sequential((1, 200), [Conv1d(1, 3, stride=s)]))[-1].size
        after = receptive_field(Sequential((1, 200), [Conv1d(1, 3, stride=s), Conv1d(1, k)]))[-1].size
        assert after - before == (k - 1) * s


def test_padding_changes_neither_r_nor_j_only_where_the_field_starts():
    for k, s, d, p in itertools.product(range(1, 6), range(1, 4), range(1, 3), range(4)):
        if p > (d * (k - 1)) // 2 + 1:
            continue
        a = receptive_field(Sequential((1, 300), [Conv1d(1, k, stride=s, dilation=d) for _ in range(3)]))[-1]
        b = receptive_field(Sequential((1, 300), [Conv1d(1, k, stride=s, padding=p, dilation=d) for _ in range(3)]))[-1]
        assert (a.size, a.jump) == (b.size, b.jump)
        assert a.start - b.start == p * (1 + s + s * s)


def test_pointwise_layers_do_not_change_the_field():
    """1×1 convolutions, activations and batch norm: r and j stay as they are."""
    base = [Conv1d(4, 3), MaxPool1d(2), Conv1d(4, 3)]
    for extra in ([Conv1d(4, 1)], [ReLU()], [BatchNorm1d()], [Conv1d(4, 1), ReLU(), BatchNorm1d()]):
        a = receptive_field(Sequential((4, 50), base))[-1]
        b = receptive_field(Sequential((4, 50), base + extra))[-1]
        assert (a.size, a.jump, a.start) == (b.size, b.jump, b.start)


# ------------------------------------------------------------------ dilation


def test_dilation_widens_the_span_to_d_times_k_minus_1_plus_1_and_leaves_gaps():
    """One dilated layer spans d·(k − 1) + 1 cells but reads only k of them."""
    for k, d in itertools.product(range(1, 8), range(1, 6)):
        last = receptive_field(Sequential((1, 100), [Conv1d(1, k, dilation=d)]))[-1]
        got = reached([(k, 1, 0, d)], 0)
        assert last.size == d * (k - 1) + 1 == max(got) - min(got) + 1
        assert len(got) == k  # k of the span's cells: d − 1 gaps between taps


def test_dilations_1_2_4_fill_the_gaps_and_grow_r_exponentially():
    """3-wide layers with dilations 1, 2, 4, …, 2^(L−1): r = 2^(L+1) − 1 and every cell is read;
    with one dilation 2 repeated, r grows by 4 per layer and every other cell is never read."""
    for depth in range(1, 8):
        chain = [(3, 1, 0, 2 ** i) for i in range(depth)]
        layers = [Conv1d(1, 3, dilation=2 ** i) for i in range(depth)]
        n = 2 ** (depth + 1) + 4
        last = receptive_field(Sequential((1, n), layers))[-1]
        got = reached(chain, 0)
        assert last.size == 2 ** (depth + 1) - 1 == len(got) == max(got) - min(got) + 1
        same = [(3, 1, 0, 2)] * depth
        got2 = reached(same, 0)
        assert max(got2) - min(got2) + 1 == 4 * depth + 1 and len(got2) == 2 * depth + 1


# ------------------------------------------------------------------ branches and the whole input


def branched(rng, n):
    """Two random chains from one input merged by Concatenate or Add (when the lengths agree)."""
    x = Input((1, n))
    outs, specs = [], []
    for _ in range(2):
        chain, layers, _ = random_chain(rng, n, max_layers=4)
        y = x
        for layer in layers:
            y = layer(y)
        outs.append(y)
        specs.append(chain)
    if outs[0].shape != outs[1].shape:
        return None
    merge = Concatenate() if rng.random() < 0.5 else Add()
    return Model(x, merge(*outs)), specs


def test_at_a_merge_a_unit_sees_the_union_of_its_paths():
    """At a concatenation or a sum a unit sees every input pixel any of its paths sees: the
    union of the paths' fields — the widest path's field when the paths are centred alike."""
    rng = random.Random(RNG_SEED)
    checked = wider = 0
    while checked < 1500:
        made = branched(rng, rng.randint(10, 60))
        if made is None:
            continue
        model, specs = made
        jumps = {math.prod(s for _, s, _, _ in c) for c in specs}
        if len(jumps) > 1:  # different jumps: no one field for every unit (documented)
            continue
        last = receptive_field(model)[-1]
        size = model.output_shape[1]
        for unit in {0, size // 2, size - 1}:
            got = reached(specs[0], unit) | reached(specs[1], unit)
            assert max(got) - min(got) + 1 == last.size, (specs, unit)
        alone = [max(g) - min(g) + 1 for g in (reached(specs[0], 0), reached(specs[1], 0))]
        wider += last.size > max(alone)
        assert last.size >= max(alone)
        assert ("wider than each" in last.note) == (last.size > max(alone))
        checked += 1
    assert wider > 0  # the grid holds merges whose union is wider than either path


def test_inception_and_resnet_branches_are_centred_alike_so_the_union_is_the_maximum():
    """In GoogLeNet and ResNet every merge's field equals its widest input's."""
    for model in (zoo.googlenet(), zoo.resnet(18), zoo.resnet(50)):
        fields = {r.name: f for r, f in zip(model.rows(), receptive_field(model))}
        for row in model.rows():
            if len(row.inputs) > 1:
                assert fields[row.name].size == max(fields[i].size for i in row.inputs), row.name


def test_after_global_pooling_or_a_dense_layer_a_unit_sees_the_whole_input():
    """r is None (the whole input) after global average pooling or a dense layer, and
    field_positions reaches every input position."""
    for head in ([AdaptiveAvgPool1d(1), Flatten()], [Flatten(), Dense(3)]):
        m = Sequential((2, 30), [Conv1d(4, 3), MaxPool1d(2)] + head)
        last = receptive_field(m)[-1]
        assert last.size is None and last.jump is None
        assert any(r.note == "sees the whole input" for r in receptive_field(m))
        reach = field_positions(m, m.rows()[-1].name, 0)
        assert set(reach["input"]) == set(range(30))
    for model in (zoo.resnet(50), zoo.googlenet(), zoo.vgg(16), zoo.mobilenet_v1()):
        assert receptive_field(model)[-1].size is None


def test_field_positions_agrees_with_the_brute_force_and_counts_paths():
    """field_positions reaches the brute force's positions; its counts are the numbers of
    chains of taps (for 3-wide layers: trinomial coefficients)."""
    for n, chain, layers, size in itertools.islice(chains(), 800):
        m = Sequential((1, n), layers)
        got = field_positions(m, unit=size // 2)["input"]
        assert set(got) == reached(chain, size // 2)
    m = Sequential((1, 20), [Conv1d(1, 3) for _ in range(3)])
    assert list(field_positions(m, unit=0)["input"].values()) == [1, 3, 6, 7, 6, 3, 1]


# ------------------------------------------------------------------ theoretical vs effective


def test_the_effective_field_is_narrower_and_grows_like_the_square_root_of_depth():
    """For L stacked 3-wide layers the theoretical r = 2L + 1 grows like L; the narrowest run
    holding 95% of the paths grows like √L: between 1.5·√L and 5·√L, and a shrinking share of r."""
    ratios = []
    for depth in range(1, 65):
        m = Sequential((1, 2 * depth + 1), [Conv1d(1, 3) for _ in range(depth)])
        paths = field_positions(m)["input"]
        r = receptive_field(m)[-1].size
        e = effective_field(paths, 0.95)
        assert r == 2 * depth + 1 and e <= r
        if depth >= 4:
            assert 1.5 * math.sqrt(depth) <= e <= 5 * math.sqrt(depth), (depth, e)
        ratios.append(e / r)
    assert ratios[63] < ratios[15] < ratios[3]


def test_effective_field_width_by_hand():
    assert effective_field({0: 1, 1: 2, 2: 3, 3: 2, 4: 1}, 1.0) == 5
    assert effective_field({0: 1, 1: 2, 2: 3, 3: 2, 4: 1}, 7 / 9) == 3
    assert effective_field({-3: 5, 9: 5}, 0.5) == 1
    with pytest.raises(ValueError):
        effective_field({}, 0.5)
    with pytest.raises(ValueError):
        effective_field({0: 1}, 0)


def test_a_chain_that_does_not_fit_has_no_field():
    with pytest.raises(ShapeError):
        Sequential((1, 5), [Conv1d(1, 7)])
