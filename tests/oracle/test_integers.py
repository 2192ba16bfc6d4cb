"""numpy integers (what torch users have at hand) are accepted wherever cnnlib takes a number."""

from __future__ import annotations

import numpy as np

import cnnlib
from cnnlib import zoo


def test_numpy_integers_in_functions_layers_models_and_builders():
    i64, i32 = np.int64, np.int32
    assert cnnlib.conv_output_size(i64(227), i32(11), stride=i64(4)) == 55          # (227 − 11)/4 + 1
    assert cnnlib.pool_output_size(i64(55), i64(3), stride=i32(2)) == 27
    conv = cnnlib.Conv2d(i64(96), i64(11), stride=i64(4))
    assert conv.output_shape((i64(3), i64(227), i64(227))) == (96, 55, 55)
    m = cnnlib.Sequential((i64(3), i64(227), i64(227)), [conv])
    assert m.total_params == 11 * 11 * 3 * 96 + 96
    assert zoo.vgg(16, input_size=i64(224)).total_params == 138_357_544
    assert all(type(x) is int for x in m.output_shape)
