"""LeNet-5, both versions, against networks written in plain torch (never from cnnlib).

* The modern version (PyTorch's tutorial layout) at several input sizes, through the zoo tests'
  ``check_against_torch`` (every leaf: type, shape, parameters; totals; torchinfo's MACs).
* The paper's version built as torch modules from the paper's text: trainable subsampling
  (sum of the 2×2 window × a coefficient + a bias per map), C3 as one small convolution per
  output map over the S2 maps that Table I marks (typed below from the table's rows, not from
  cnnlib's per-map list), C5 a 5×5 convolution, F6 dense, a Euclidean RBF output whose centres
  are a buffer.  Every layer's output shape and parameter count, the totals and the buffers are
  compared, and where torch cannot run the network cnnlib must refuse it too.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from test_zoo import check_against_torch
from torch import nn

from cnnlib import ShapeError, zoo

torch.set_num_threads(1)

# Table I of LeCun et al. (1998): one line per S2 map (rows 0–5), an X under each of the 16 C3
# maps (columns 0–15) that reads it.
TABLE_I = """
X . . . X X X . . X X X X . X X
X X . . . X X X . . X X X X . X
X X X . . . X X X . . X . X X X
. X X X . . X X X X . . X . X X
. . X X X . . X X X X . X X . X
. . . X X X . . X X X X . X X X
"""


def table_columns():
    rows = [line.split() for line in TABLE_I.strip().splitlines()]
    return [[i for i, row in enumerate(rows) if row[j] == "X"] for j in range(len(rows[0]))]


class Subsample(nn.Module):
    """The paper's S2/S4: four inputs added, times a trainable coefficient, plus a trainable bias."""

    def __init__(self, maps):
        super().__init__()
        self.coefficient = nn.Parameter(torch.ones(maps))
        self.bias = nn.Parameter(torch.zeros(maps))

    def forward(self, x):
        summed = F.avg_pool2d(x, 2) * 4
        return summed * self.coefficient[:, None, None] + self.bias[:, None, None]


class TableConv(nn.Module):
    """C3: output map j is a 5×5 convolution over the input maps in columns[j] only."""

    def __init__(self, columns, k=5):
        super().__init__()
        self.columns = columns
        self.maps = nn.ModuleList(nn.Conv2d(len(c), 1, k) for c in columns)

    def forward(self, x):
        return torch.cat([conv(x[:, c]) for conv, c in zip(self.maps, self.columns)], 1)


class RBF(nn.Module):
    """y_i = Σ_j (x_j − w_ij)², the centres fixed (a buffer)."""

    def __init__(self, inputs, units):
        super().__init__()
        self.register_buffer("centres", torch.sign(torch.randn(units, inputs)))

    def forward(self, x):
        return ((x[:, None, :] - self.centres) ** 2).sum(-1)


class Squash(nn.Module):
    """f(a) = A·tanh(S·a), A = 1.7159, S = 2/3."""

    def forward(self, x):
        return 1.7159 * torch.tanh(2 / 3 * x)


def torch_lenet5_paper():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), Squash(), Subsample(6), Squash(),
        TableConv(table_columns()), Squash(), Subsample(16), Squash(),
        nn.Conv2d(16, 120, 5), Squash(), nn.Flatten(), nn.LazyLinear(84), Squash(), RBF(84, 10))


def torch_lenet5_modern():
    return nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.LazyLinear(120), nn.ReLU(), nn.Linear(120, 84),
                         nn.ReLU(), nn.Linear(84, 10))


def run(module, n):
    """Every top-level module's (output shape, parameters, buffers), or None if torch refuses n."""
    records, x = [], torch.zeros(1, 1, n, n)
    try:
        with torch.no_grad():
            for m in module:
                x = m(x)
                records.append((tuple(x.shape[1:]), sum(p.numel() for p in m.parameters()),
                                sum(b.numel() for b in m.buffers())))
    except RuntimeError:
        return None
    return records


def test_table_i_as_typed_has_60_connections_and_the_papers_groups():
    cols = table_columns()
    assert sum(map(len, cols)) == 60
    assert [len(c) for c in cols] == [3] * 6 + [4] * 9 + [6]


def test_the_zoo_table_is_table_i():
    assert [tuple(c) for c in table_columns()] == list(zoo.LENET5_C3_TABLE)


@pytest.mark.parametrize("n", [16, 28, 32, 36, 64, 100])
def test_modern_lenet_at_other_sizes_vs_torch(n):
    ref = torch_lenet5_modern()
    with torch.no_grad():
        ref(torch.zeros(1, 1, n, n))  # materialise fc1 for this size
    check_against_torch(zoo.lenet5(input_size=n), ref, device="cpu")


@pytest.mark.parametrize("n", [32, 33, 36, 40, 47, 64])
def test_paper_lenet_vs_torch(n):
    model = zoo.lenet5("paper", input_size=n)
    ref = torch_lenet5_paper()
    got = run(ref, n)
    rows = model.rows()[1:]
    assert [(r.out_shape, r.params, r.buffers) for r in rows] == got
    assert model.total_params == sum(p.numel() for p in ref.parameters())
    assert model.buffers == sum(b.numel() for b in ref.buffers())


def test_paper_lenet_totals_vs_torch_at_32():
    ref = torch_lenet5_paper()
    run(ref, 32)
    assert sum(p.numel() for p in ref.parameters()) == zoo.lenet5("paper").total_params == 60_000
    assert sum(b.numel() for b in ref.buffers()) == zoo.lenet5("paper").buffers == 840


@pytest.mark.parametrize("variant, build", [("modern", torch_lenet5_modern), ("paper", torch_lenet5_paper)])
def test_the_same_inputs_are_impossible_in_torch_and_cnnlib(variant, build):
    for n in range(1, 70):
        torch_ok = run(build(), n) is not None
        try:
            zoo.lenet5(variant, input_size=n)
            ok = True
        except ShapeError:
            ok = False
        assert ok == torch_ok, n
