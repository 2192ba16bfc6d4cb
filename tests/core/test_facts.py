"""A layer owns every fact of itself: a new layer type that does not define them all is refused,
never silently wrong, and every public layer's facts are consistent with its own shape."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import cnnlib
from cnnlib import Facts, Layer, Sequential, receptive_field
from cnnlib.analysis import window_steps
from cnnlib.facts import GLOBAL, IRREGULAR, POINTWISE, RFStep


@dataclass(frozen=True, repr=False)
class HalfOnly(Layer):
    """Says its output shape (a stride-2 subsampling) and nothing else."""

    def output_shape(self, in_shape):
        c, h, w = in_shape
        return (c, h // 2, w // 2)


def test_a_layer_that_defines_only_its_shape_is_refused_everywhere():
    layer = HalfOnly()
    assert layer.output_shape((3, 8, 8)) == (3, 4, 4)  # what it says, it says
    for fact in ("params", "weights", "biases", "buffers", "macs", "bias_adds", "windows"):
        with pytest.raises(NotImplementedError, match="does not define its facts"):
            getattr(layer, fact)((3, 8, 8))
    with pytest.raises(NotImplementedError):  # a model cannot be made of it, so no total is wrong
        Sequential((3, 8, 8), [cnnlib.Conv2d(4, 3, padding=1), layer])


@dataclass(frozen=True, repr=False)
class Subsample(Layer):
    """The same layer, written as a layer should: every fact, including its window."""

    def _facts(self, shape):
        from cnnlib.arithmetic import conv_dim

        wins = tuple(conv_dim(n, 1, 2, 0, 0, 1) for n in shape[1:])
        return Facts((shape[0], *(w.out for w in wins)), 0, 0, 0, 0, 0, True, wins,
                     tuple(RFStep(1, 2, 0) for _ in wins))


def test_a_new_layer_that_states_its_facts_works_everywhere():
    m = Sequential((3, 8, 8), [cnnlib.Conv2d(4, 3, padding=1), Subsample()])
    assert m.output_shape == (4, 4, 4)
    # by hand: conv 3×3 → r 3, j 1; subsampling by 2 keeps r and doubles j
    assert (receptive_field(m)[-1].size, receptive_field(m)[-1].jump) == (3, 2)
    steps = window_steps(m)
    assert [s.name for s in steps] == ["conv1", "subsample1"]
    assert steps[-1].formula() == "(8 + 2·0 − 1)/2 + 1 = 4.5 → 4"
    assert m.activation_elements == 3 * 64 + 4 * 64 + 4 * 16


#: a valid instance and input of every public layer (the test below fails for a layer not here
#: that cannot be made without arguments)
EXAMPLES = {
    "Conv1d": ((8, 3), (4, 16)), "Conv2d": ((8, 3), (4, 16, 16)), "Conv3d": ((8, 3), (4, 8, 8, 8)),
    "ConvTranspose1d": ((8, 3), (4, 16)), "ConvTranspose2d": ((8, 4, 2, 1), (4, 16, 16)),
    "ConvTranspose3d": ((8, 3), (4, 8, 8, 8)),
    "MaxPool1d": ((2,), (4, 16)), "MaxPool2d": ((2,), (4, 16, 16)), "MaxPool3d": ((2,), (4, 8, 8, 8)),
    "AvgPool1d": ((2,), (4, 16)), "AvgPool2d": ((2,), (4, 16, 16)), "AvgPool3d": ((2,), (4, 8, 8, 8)),
    "AdaptiveAvgPool1d": ((4,), (4, 16)), "AdaptiveMaxPool1d": ((4,), (4, 16)),
    "AdaptiveAvgPool2d": ((4,), (4, 16, 16)), "AdaptiveMaxPool2d": ((4,), (4, 16, 16)),
    "GlobalAvgPool1d": ((), (4, 16)), "GlobalMaxPool1d": ((), (4, 16)),
    "BatchNorm1d": ((), (4, 16)), "BatchNorm3d": ((), (4, 8, 8, 8)),
    "GroupNorm": ((2,), (4, 16, 16)), "LayerNorm": (((16, 16),), (4, 16, 16)),
    "Dense": ((10,), (4, 16, 16)), "Upsample": ((None, 2), (4, 16, 16)),
    "ZeroPad1d": ((1,), (4, 16)), "ZeroPad2d": ((1,), (4, 16, 16)), "ZeroPad3d": ((1,), (4, 8, 8, 8)),
    "Crop2d": ((1,), (4, 16, 16)), "CenterCrop2d": ((8,), (4, 16, 16)), "PReLU": ((4,), (4, 16, 16)),
    "Reshape": (((16, 4, 16),), (4, 16, 16)),
    # LeNet-5's layers (cnnlib/layers/historic.py); TableConv2d's table is its last field
    "Subsample2d": ((2,), (4, 16, 16)), "EuclideanRBF": ((10,), (64,)),
    "TableConv2d": ((2, 3, 1, 0, 1, 1, True, ((0, 1), (1, 2, 3))), (4, 16, 16)),
}


@pytest.mark.parametrize("name", sorted(n for n in cnnlib.__all__
                                        if isinstance(getattr(cnnlib, n), type)
                                        and issubclass(getattr(cnnlib, n), Layer)
                                        and getattr(cnnlib, n) is not Layer))
def test_every_public_layer_states_consistent_facts(name):
    cls = getattr(cnnlib, name)
    args, shape = EXAMPLES.get(name, ((), (4, 16, 16)))
    layer = cls(*args)
    if layer.arity is None:  # a merge reads two tensors
        f = layer.facts([shape, shape])
    else:
        f = layer.facts(shape)
    assert isinstance(f, Facts)
    for v in (f.weights, f.biases, f.buffers, f.macs, f.bias_adds):
        assert isinstance(v, int) and v >= 0
    assert isinstance(f.saves_output, bool)
    spatial = len(f.out_shape) - 1
    if f.windows is not None:
        assert len(f.windows) == spatial and all(w.out == o for w, o in zip(f.windows, f.out_shape[1:]))
    assert f.rf in (POINTWISE, GLOBAL, IRREGULAR) or len(f.rf) == len(shape) - 1
