"""cnnlib.parse_model on generated Keras snippets against Keras 3 (KERAS_BACKEND=torch).

As tests/oracle/test_parse_torch.py: a seeded generator draws a chain of keras.layers with their
arguments; the draw is rendered as Keras code (``keras.Sequential([...])`` with ``keras.Input``,
``input_shape=`` on the first layer, ``model.add(...)`` lines, ``layers.`` / ``keras.layers.`` /
``tf.keras.layers.`` prefixes or imported bare names) *and* built with Keras from the same drawn
arguments.  Keras' output shape (channels last, turned channels first), its trainable parameter
count (cnnlib's total: PyTorch's convention), its non-trainable count (BatchNormalization's
moving statistics, :meth:`cnnlib.parse.ParsedModel.keras_params`) and whether it raises must
equal cnnlib's.
"""

from __future__ import annotations

import os

os.environ["KERAS_BACKEND"] = "torch"

import functools
import random
import warnings

import keras
import numpy as np
import pytest
from snippets import Drawn, agree, coverage, render, split

from cnnlib import ShapeError, parse_model

# keras' torch backend calls np.asarray(tensor, copy=False): a numpy 2 DeprecationWarning
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CASES = 400
KL = keras.layers

CONV = ["filters", "kernel_size", "strides", "padding"]
POOL = ["pool_size", "strides", "padding"]


def conv(rng, shape):
    nd = len(shape) - 1
    v = {"filters": rng.randint(1, 8), "kernel_size": rng.randint(1, 4) if nd == 1 or rng.random() < 0.7
         else (rng.randint(1, 4), rng.randint(1, 4))}
    if rng.random() < 0.5:
        v["strides"] = rng.randint(1, 3)
    if rng.random() < 0.6:
        v["padding"] = rng.choice(["valid", "same", "same", "SAME"])
    if rng.random() < 0.2:
        v["dilation_rate"] = 2
    if rng.random() < 0.3:
        v["activation"] = rng.choice(["relu", "sigmoid", "tanh", "softmax", "gelu", "swish", "linear"])
    if rng.random() < 0.2:
        v["use_bias"] = False
    return {1: "Conv1D", 2: "Conv2D"}[nd], CONV, v


def conv_transpose(rng, shape):
    s = rng.randint(1, 3)
    v = {"filters": rng.randint(1, 6), "kernel_size": rng.randint(1, 4), "strides": s,
         "padding": rng.choice(["valid", "same"])}
    if rng.random() < 0.3:
        v["output_padding"] = rng.randint(0, s)  # = s sometimes: Keras refuses
    return "Conv2DTranspose", CONV + ["output_padding"], v


def depthwise(rng, shape):
    v = {"kernel_size": rng.randint(1, 4)}
    if rng.random() < 0.5:
        v["strides"] = rng.randint(1, 2)
    if rng.random() < 0.5:
        v["padding"] = rng.choice(["valid", "same"])
    if rng.random() < 0.4:
        v["depth_multiplier"] = rng.randint(1, 3)
    if rng.random() < 0.2:
        v["use_bias"] = False
    if rng.random() < 0.5:
        return "DepthwiseConv2D", ["kernel_size", "strides", "padding", "depth_multiplier"], v
    return "SeparableConv2D", CONV, {"filters": rng.randint(1, 8), **v}


def pool(rng, shape):
    nd = len(shape) - 1
    kind = rng.choice(["MaxPooling", "AveragePooling"])
    v = {"pool_size": rng.randint(1, 4) if nd == 1 or rng.random() < 0.7 else (rng.randint(1, 3), rng.randint(1, 3))}
    if rng.random() < 0.4:
        v["strides"] = rng.randint(1, 3)
    if rng.random() < 0.5:
        v["padding"] = rng.choice(["valid", "same"])
    return f"{kind}{nd}D", POOL, v


def global_pool(rng, shape):
    nd = len(shape) - 1
    v = {"keepdims": True} if rng.random() < 0.3 else {}
    return f"Global{rng.choice(['Average', 'Max'])}Pooling{nd}D", ["data_format", "keepdims"], v


def norm(rng, shape):
    c = shape[-1]
    kind = rng.choice(["BatchNormalization", "BatchNormalization", "LayerNormalization", "GroupNormalization"])
    if kind == "BatchNormalization":
        return kind, [], ({"center": False, "scale": False} if rng.random() < 0.2 else {"momentum": 0.9})
    if kind == "LayerNormalization":
        axis = -1 if len(shape) == 1 else list(range(1, len(shape) + 1))
        return kind, [], ({"axis": axis} if axis != -1 or rng.random() < 0.3 else {})
    g = rng.choice([d for d in range(1, c + 1) if c % d == 0]) if rng.random() < 0.85 else c + 1
    return kind, ["groups"], {"groups": g}


def dense(rng, shape):
    v = {"units": rng.randint(1, 24)}
    if rng.random() < 0.3:
        v["activation"] = rng.choice(["relu", "softmax", "elu", "leaky_relu", "hard_sigmoid"])
    if rng.random() < 0.2:
        v["use_bias"] = False
    return "Dense", ["units", "activation", "use_bias"], v


def act(rng, shape):
    spatial = list(range(1, len(shape)))
    name, v = rng.choice([("Activation", {"activation": rng.choice(["relu", "tanh", "relu6", "silu", "linear"])}),
                          ("ReLU", {}), ("ReLU", {"max_value": 6.0}), ("ReLU", {"negative_slope": 0.1}),
                          ("LeakyReLU", {"negative_slope": 0.2}), ("ELU", {}), ("Softmax", {}),
                          ("Dropout", {"rate": 0.3}), ("Identity", {}),
                          ("PReLU", {"shared_axes": spatial} if spatial else {})])
    return name, ["activation"] if name == "Activation" else ["rate"] if name == "Dropout" else [], v


def flatten(rng, shape):
    return "Flatten", [], {}


def upsampling(rng, shape):
    nd = len(shape) - 1
    if nd == 1:
        return "UpSampling1D", ["size"], {"size": rng.randint(1, 3)}
    v = {"size": rng.randint(1, 3) if rng.random() < 0.5 else (rng.randint(1, 3), rng.randint(1, 3))}
    if rng.random() < 0.3:
        v["interpolation"] = rng.choice(["bilinear", "nearest"])
    return "UpSampling2D", ["size"], v


def pad_or_crop(rng, shape):
    nd = len(shape) - 1
    if nd == 1:
        return "ZeroPadding1D", ["padding"], {"padding": rng.choice([1, 2, (0, 2), (1, 0)])}
    kind = rng.choice(["ZeroPadding2D", "Cropping2D"])
    key = "padding" if kind == "ZeroPadding2D" else "cropping"
    a, b, c, d = (rng.randint(0, 3) for _ in range(4))
    return kind, [key], {key: rng.choice([a, (a, b), ((a, b), (c, d))])}


BY_RANK = {
    1: [dense, dense, act, norm],
    2: [conv, conv, pool, global_pool, norm, act, flatten, dense, upsampling, pad_or_crop],
    3: [conv, conv, conv, pool, pool, global_pool, norm, act, act, flatten, dense, conv_transpose, depthwise,
        upsampling, pad_or_crop],
}


def keras_out(drawn, hwc):
    """(output shape channels first, trainable, non-trainable) or None when Keras raises."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = keras.Sequential([keras.Input(shape=hwc), *[d.build(KL) for d in drawn]])
            model(np.zeros((1, *hwc), "float32"))
    except (ValueError, RuntimeError, TypeError, IndexError):
        return None
    out = tuple(model.output_shape[1:])
    shape = (out[-1], *out[:-1]) if len(out) > 1 else out
    return (shape, sum(int(np.prod(w.shape)) for w in model.trainable_weights),
            sum(int(np.prod(w.shape)) for w in model.non_trainable_weights))


def draw_case(seed: int):
    rng = random.Random(seed)
    hwc = rng.choice([(rng.randint(1, 16), rng.randint(1, 16), rng.randint(1, 6)),
                      (rng.randint(1, 24), rng.randint(1, 6)), (rng.randint(1, 40),)])
    x = keras.Input(shape=hwc)
    shape, drawn = hwc, []
    for _ in range(rng.randint(1, 6)):
        pick = rng.choice(BY_RANK[len(shape)])
        name, sig, values = pick(rng, shape)
        args, kwargs = split(rng, sig, values)
        d = Drawn(name, args, kwargs)
        drawn.append(d)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                x = d.build(KL)(x)
        except (ValueError, RuntimeError, TypeError, IndexError):
            break  # impossible from here on; both must say so
        shape = tuple(x.shape[1:])
        if any(s is None or s < 1 for s in shape):
            break
    return render_case(rng, drawn, hwc), drawn, hwc


def render_case(rng, drawn, hwc):
    style = rng.choice(["layers.", "keras.layers.", "tf.keras.layers.", "bare"])
    imports = {"layers.": rng.choice(["", "from keras import layers\n", "from tensorflow.keras import layers\n"]),
               "keras.layers.": "import keras\n", "tf.keras.layers.": "import tensorflow as tf\n",
               "bare": f"from tensorflow.keras.layers import {', '.join(sorted({d.name for d in drawn}))}\n"
                       "from tensorflow.keras.models import Sequential\n"}[style]
    prefix = "" if style == "bare" else style
    seq = {"layers.": "keras.Sequential", "keras.layers.": "keras.Sequential",
           "tf.keras.layers.": "tf.keras.Sequential", "bare": "Sequential"}[style]
    inp = {"layers.": "keras.Input", "keras.layers.": "keras.Input", "tf.keras.layers.": "tf.keras.Input",
           "bare": None}[style]
    how = rng.choice(["Input", "input_shape", "line"] if inp else ["input_shape", "line"])
    rendered = [render(rng, prefix, d) for d in drawn]
    head = ""
    if how == "input_shape":
        rendered[0] = rendered[0][:-1] + (", " if rendered[0][-2] != "(" else "") + f"input_shape={hwc!r})"
    elif how == "Input":
        rendered.insert(0, f"{inp}(shape={hwc!r})")
    else:
        chw = (hwc[-1], *hwc[:-1]) if len(hwc) > 1 else hwc
        head = f"input {' '.join(map(str, chw))}\n"
    if rng.random() < 0.3:
        body = f"model = {seq}()\n" + "".join(f"model.add({r})\n" for r in rendered) + "model.summary()\n"
    else:
        body = f"model = {seq}([\n    " + ",\n    ".join(rendered) + ",\n])\n"
    return imports + head + body


@functools.cache
def case(seed: int):
    text, drawn, hwc = draw_case(seed)
    return text, drawn, hwc, keras_out(drawn, hwc)


def cnnlib_out(text):
    try:
        m = parse_model(text)
    except ShapeError:
        return None
    k = m.keras_params()
    return m.output_shape, k["trainable"], k["non_trainable"]


@pytest.mark.parametrize("seed", range(CASES))
def test_keras_snippet(seed, agreement):
    text, _, _, expected = case(seed)
    agree(agreement, "parse_model vs Keras (snippets)", seed, text, expected, cnnlib_out(text))


def test_the_generator_draws_both_outcomes_and_the_keras_specials():
    outcomes, names = coverage((drawn, expected) for _, drawn, _, expected in map(case, range(CASES)))
    assert outcomes == {True, False}
    assert {"Conv2D", "Conv1D", "DepthwiseConv2D", "SeparableConv2D", "Conv2DTranspose", "BatchNormalization",
            "Dense", "ZeroPadding2D", "Cropping2D", "UpSampling2D", "PReLU"} <= names


def test_batch_norm_note_states_keras_total():
    m = parse_model("model = keras.Sequential([keras.Input(shape=(8, 8, 3)), layers.Conv2D(16, 3), "
                    "layers.BatchNormalization()])")
    k = keras.Sequential([keras.Input(shape=(8, 8, 3)), KL.Conv2D(16, 3), KL.BatchNormalization()])
    assert m.total_params == 448 + 32 and k.count_params() == 448 + 64
    assert any(f"Total params: {k.count_params():,}" in n and "Non-trainable params: 32" in n for n in m.notes)


#: layers the generator does not draw (3-d, transposed 1-d/3-d, depthwise/separable 1-d, adaptive …):
#: (input shape channels last, drawn calls)
RARER = [
    ((6, 7, 8, 2), [Drawn("Conv3D", (4, 3), {"padding": "same", "strides": 2}), Drawn("MaxPooling3D")]),
    ((6, 7, 8, 2), [Drawn("Conv3D", (4, (1, 2, 3))), Drawn("AveragePooling3D", (2,), {"padding": "same"}),
                    Drawn("UpSampling3D", ((1, 2, 2),)), Drawn("ZeroPadding3D", (((1, 0), (0, 2), (1, 1)),))]),
    ((4, 5, 6, 3), [Drawn("Conv3DTranspose", (2, 3), {"strides": 2, "padding": "same"})]),
    ((9, 3), [Drawn("Conv1DTranspose", (5, 3), {"strides": 3}), Drawn("SeparableConv1D", (4, 3),
                                                                     {"depth_multiplier": 2})]),
    ((9, 3), [Drawn("DepthwiseConv1D", (3,), {"depth_multiplier": 2, "padding": "same"}),
              Drawn("GlobalAveragePooling1D", (), {"keepdims": True}), Drawn("Flatten")]),
    ((9, 3), [Drawn("SpatialDropout1D", (0.2,)), Drawn("AveragePooling1D", (3,), {"strides": 2}),
              Drawn("UpSampling1D", (3,)), Drawn("MaxPooling1D")]),
    ((9, 9, 4), [Drawn("AdaptiveAveragePooling2D", ((3, 2),)), Drawn("AdaptiveMaxPooling2D", (1,))]),
    ((10, 4), [Drawn("AdaptiveMaxPooling1D", (4,)), Drawn("AdaptiveAveragePooling1D", (2,))]),
    ((8, 8, 4), [Drawn("SpatialDropout2D", (0.5,)), Drawn("Cropping2D", (3,)), Drawn("GroupNormalization", (),
                                                                                  {"groups": 4})]),
    ((8, 8, 4), [Drawn("Cropping2D", (4,))]),  # nothing left: Keras refuses
    ((8, 8, 4), [Drawn("GroupNormalization", (), {"groups": 3})]),  # 4 channels in 3 groups: refused
    ((8, 8, 4), [Drawn("Identity"), Drawn("Softmax"), Drawn("ReLU", (), {"max_value": 6.0}),
                 Drawn("Conv2D", (6, 3), {"groups": 2, "activation": "hard_silu"})]),
    ((8, 8, 4), [Drawn("Conv2D", (6, 3), {"groups": 3})]),  # 4 channels in 3 groups: refused
    ((8, 8, 4), [Drawn("Conv2D", (4, 3), {"strides": 2, "dilation_rate": 2})]),  # refused by Keras
    ((8, 8, 4), [Drawn("DepthwiseConv2D", (3,), {"strides": 2, "dilation_rate": 2})]),  # accepted by Keras
    ((8, 8, 4), [Drawn("LayerNormalization", (), {"axis": [-3, -2, -1], "center": False})]),
    ((8, 8, 4), [Drawn("LayerNormalization")]),  # axis −1 on a map: per position (ChannelLayerNorm)
    ((6, 5), [Drawn("LayerNormalization", (), {"scale": False, "center": False})]),
    ((8, 8, 4), [Drawn("LayerNormalization", (), {"axis": 1})]),  # over the height only: refused
    ((7,), [Drawn("Dense", (5,), {"activation": "leaky_relu"}), Drawn("BatchNormalization", (), {"scale": False,
                                                                                              "center": False}),
            Drawn("PReLU"), Drawn("Dropout", (0.5,), {"seed": 3})]),
]


@pytest.mark.parametrize("hwc, drawn", RARER, ids=[" ".join(d.name for d in ds) for _, ds in RARER])
def test_rarer_keras_layers(hwc, drawn, agreement):
    chw = (hwc[-1], *hwc[:-1])
    text = f"input {' '.join(map(str, chw))}\nkeras.Sequential([\n" + "".join(
        f"    {render(random.Random(0), 'layers.', d)},\n" for d in drawn) + "])"
    agree(agreement, "parse_model vs Keras (rarer layers)", 0, text, keras_out(drawn, hwc), cnnlib_out(text))
