"""Where a Keras transposed convolution ('valid'/'same') puts its output, against Keras 3
(KERAS_BACKEND=torch): the taps per output cell of cnnlib's window (keras_transpose_dim) equal
Keras' transposed convolution of ones with a kernel of ones.

This caught a mirrored window: for 'same' with an odd number of cells to crop, cnnlib cropped
the extra cell at the start, Keras crops it at the end (its forward 'same' convolution pads
the odd cell at the end).  Sizes were right either way (tests/oracle/test_keras_same.py); the
geometry is what figures, windows_of and the receptive field read.
"""

from __future__ import annotations

import itertools

import numpy as np

from cnnlib.upsampling import keras_transpose_dim


def _keras_taps(keras, n, k, s, mode, a, d):
    layer = keras.layers.Conv1DTranspose(1, k, strides=s, padding=mode, output_padding=a, dilation_rate=d,
                                         use_bias=False, kernel_initializer="ones")
    y = layer(np.ones((1, n, 1), dtype="float32"))
    return np.rint(keras.ops.convert_to_numpy(y)[0, :, 0]).astype(int).tolist()


def test_keras_transposed_windows_put_each_tap_where_keras_does(keras, agreement):
    cases = [(n, k, s, mode, None, 1) for n, k, s, mode in itertools.product(range(1, 7), range(1, 7), range(1, 5),
                                                                             ("same", "valid"))]
    cases += [(n, k, s, mode, a, 1) for n, k, s, mode in itertools.product(range(2, 6), range(2, 6), range(2, 4),
                                                                           ("same", "valid"))
              for a in range(s)]
    cases += [(n, k, 1, mode, None, d) for n, k, mode, d in itertools.product(range(2, 6), range(2, 5),
                                                                              ("same", "valid"), (2, 3))]
    for n, k, s, mode, a, d in cases:
        expected = _keras_taps(keras, n, k, s, mode, a, d)
        if not expected:  # Keras' empty output ('same', n = 1, even k, a = 0): cnnlib refuses it
            continue
        w = keras_transpose_dim(n, k, s, mode, a, d)
        assert w.out == len(expected)
        assert w.taps_per_output() == expected, (n, k, s, mode, a, d)
        agreement["Keras transposed window vs Keras"].update(examples=1, both_ok=1)


def test_keras_refuses_an_output_padding_not_smaller_than_the_stride_and_so_does_cnnlib(keras):
    """Keras' rule has no "or smaller than the dilation" (PyTorch's has): before the fix cnnlib
    accepted Conv1DTranspose-style layers that Keras refuses."""
    import cnnlib

    for s, a, d, mode in itertools.product(range(1, 4), range(4), (1, 2), ("same", "valid")):
        if d > 1 and s > 1:
            continue  # Keras refuses dilation with strides anyway
        try:
            keras.layers.Conv1DTranspose(1, 3, strides=s, padding=mode, output_padding=a, dilation_rate=d)
            keras_ok = True
        except ValueError:
            keras_ok = False
        assert keras_ok == (a < s)
        for build, args in ((cnnlib.ConvTranspose1d, (1, 3, s, mode, a, 1, True, d)),
                            (cnnlib.conv_transpose_output_size, (5, 3, s, mode, a, d))):
            try:
                build(*args)
                ours = True
            except cnnlib.ShapeError as e:
                ours = False
                assert "smaller than the stride" in str(e)
            assert ours == keras_ok, (s, a, d, mode)
