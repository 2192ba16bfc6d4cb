"""``from_keras(model)``: a Keras 3 model (Sequential or functional) as a cnnlib model.

The converter walks Keras' own layer graph — the nodes of the model by depth, each with its
layer and its input and output tensors, as Keras runs them — and applies the matching cnnlib
layer to the matching cnnlib tensors, so skips, sums and concatenations keep their data flow.
Shapes are converted from Keras' channels last, (H, W, C), to cnnlib's channels first,
(C, H, W); a concatenation along the last axis is one along cnnlib's channels; every shape is
checked against Keras' own.  Rows are named by the Keras layers' names; a layer applied
twice shares its weights (``name#2``); a layer with an ``activation=`` argument gets a
second row ``name.activation``; ``SeparableConv2D`` is two rows, ``name.depthwise`` (groups =
channels, no bias) and ``name.pointwise`` (1×1, with the bias).

What maps: Conv1D/2D/3D ('valid'/'same'; Keras' 'same' is cnnlib's), Conv1D/2D/3DTranspose,
DepthwiseConv1D/2D, SeparableConv1D/2D, Dense (on a vector), Flatten (and Reshape to a vector),
Reshape (channels last → first), Max/AveragePooling1D/2D/3D, GlobalAverage/MaxPooling1D/2D (keepdims), BatchNormalization,
LayerNormalization on the channels (:class:`cnnlib.ChannelLayerNorm`), Dropout and
SpatialDropout, Activation and the activation layers (ReLU, LeakyReLU, ELU, PReLU shared over
the spatial axes, Softmax), Identity, Add, Multiply, Concatenate, UpSampling1D/2D,
ZeroPadding1D/2D, Cropping2D.  Anything else (or channels_first data, a nested model)
raises :class:`cnnlib.ShapeError` naming the layer.

**BatchNormalization.** cnnlib counts γ and β, 2·C parameters, as PyTorch does, and the
moving mean and variance as buffers (2·C, plus PyTorch's one ``num_batches_tracked``, 2·C + 1).
Keras counts the moving statistics as *non-trainable parameters*: its ``count_params()`` is
cnnlib's parameters plus 2·C per BatchNormalization; its trainable count equals cnnlib's
``total_params``.
"""

from __future__ import annotations

import math

from .. import layers as L
from ..errors import ShapeError
from ..graph import Input
from ._common import finish

__all__ = ["from_keras"]

ACTIVATIONS = {"relu": L.ReLU, "relu6": L.ReLU6, "sigmoid": L.Sigmoid, "tanh": L.Tanh, "softmax": L.Softmax,
               "gelu": L.GELU, "silu": L.SiLU, "swish": L.SiLU, "elu": L.ELU, "hard_sigmoid": L.Hardsigmoid,
               "hard_silu": L.Hardswish, "hard_swish": L.Hardswish}


def _channels_first(shape) -> tuple:
    """Keras' (None, …, C) → cnnlib's (C, …)."""
    dims = tuple(shape[1:])
    if any(d is None for d in dims):
        raise ShapeError(f"from_keras needs every size of the input, got {tuple(shape)}; give Input a full shape")
    return (dims[-1], *dims[:-1]) if len(dims) > 1 else dims


def _activation(fn):
    """A Keras activation function → a cnnlib layer, None for 'linear', or ShapeError."""
    name = getattr(fn, "__name__", str(fn))
    if name == "linear":
        return None
    if name == "leaky_relu":
        return L.LeakyReLU(0.2)  # Keras' default negative slope
    if name not in ACTIVATIONS:
        raise ShapeError(f"the activation {name!r} has no cnnlib layer")
    return ACTIVATIONS[name]()


def _spatial(layer, shape, classes):
    n = len(shape) - 1
    if n not in classes:
        raise ShapeError(f"{layer.name}: {type(layer).__name__} on {n} spatial axes has no cnnlib layer")
    return classes[n]


def _layers_for(layer, shapes):
    """[(row suffix, cnnlib layer)] for one Keras layer on cnnlib input shapes (see the module)."""
    cls = type(layer).__name__
    shape = shapes[0]
    if getattr(layer, "data_format", "channels_last") not in ("channels_last", None):
        raise ShapeError(f"{layer.name}: {cls} with data_format={layer.data_format!r}; from_keras reads "
                         "channels_last models")
    act = []
    if hasattr(layer, "activation") and cls != "Activation":
        a = _activation(layer.activation)
        act = [(".activation", a)] if a is not None else []
    conv = {"Conv1D": L.Conv1d, "Conv2D": L.Conv2d, "Conv3D": L.Conv3d}
    if cls in conv:
        if layer.padding not in ("valid", "same"):
            raise ShapeError(f"{layer.name}: {cls} with padding={layer.padding!r} has no cnnlib layer")
        return [("", conv[cls](layer.filters, layer.kernel_size, stride=layer.strides, padding=layer.padding,
                               dilation=layer.dilation_rate, groups=layer.groups, bias=layer.use_bias))] + act
    transposed = {"Conv1DTranspose": L.ConvTranspose1d, "Conv2DTranspose": L.ConvTranspose2d,
                  "Conv3DTranspose": L.ConvTranspose3d}
    if cls in transposed:
        return [("", transposed[cls](layer.filters, layer.kernel_size, stride=layer.strides,
                                     padding=layer.padding, output_padding=layer.output_padding,
                                     dilation=layer.dilation_rate, bias=layer.use_bias))] + act
    if cls in ("DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D"):
        c = shape[0]
        depth = _spatial(layer, shape, {1: L.Conv1d, 2: L.Conv2d})
        separable = cls.startswith("Separable")
        dw = depth(c * layer.depth_multiplier, layer.kernel_size, stride=layer.strides, padding=layer.padding,
                   dilation=layer.dilation_rate, groups=c, bias=layer.use_bias and not separable)
        if not separable:
            return [("", dw)] + act
        return [(".depthwise", dw), (".pointwise", depth(layer.filters, 1, bias=layer.use_bias))] + act
    if cls == "Dense":
        if len(shape) != 1:
            raise ShapeError(f"{layer.name}: Dense on {shape} works on Keras' last axis (the channels), which "
                             "cnnlib's Dense (on its last axis) cannot say; flatten or pool first")
        return [("", L.Dense(layer.units, bias=layer.use_bias))] + act
    if cls == "Flatten":
        return [("", L.Flatten())]
    if cls == "Reshape":
        target = tuple(layer.target_shape)
        if len(target) == 1 and target[0] in (-1, math.prod(shape)):
            return [("", L.Flatten())]
        return [("", L.Reshape(_channels_first((None, *target))))]
    pools = {"MaxPooling": "MaxPool", "AveragePooling": "AvgPool"}
    for keras_name, ours in pools.items():
        if cls.startswith(keras_name):
            classes = {d: getattr(L, f"{ours}{d}d") for d in (1, 2, 3)}
            return [("", _spatial(layer, shape, classes)(layer.pool_size, stride=layer.strides,
                                                         padding=layer.padding))]
    globals_ = {"GlobalAveragePooling": "GlobalAvgPool", "GlobalMaxPooling": "GlobalMaxPool"}
    for keras_name, ours in globals_.items():
        if cls.startswith(keras_name):
            classes = {d: getattr(L, f"{ours}{d}d") for d in (1, 2)}
            return [("", _spatial(layer, shape, classes)(keepdims=layer.keepdims))]
    if cls == "BatchNormalization":
        if layer.axis not in (-1, len(shape)) or layer.center != layer.scale:
            raise ShapeError(f"{layer.name}: BatchNormalization on axis {layer.axis} (center={layer.center}, "
                             f"scale={layer.scale}) — from_keras converts it on the channels with both or neither")
        bn = {0: L.BatchNorm1d, 1: L.BatchNorm1d, 2: L.BatchNorm2d, 3: L.BatchNorm3d}[len(shape) - 1]
        return [("", bn(affine=layer.scale))]
    if cls == "LayerNormalization":
        axis = layer.axis if isinstance(layer.axis, int) else tuple(layer.axis)
        if axis not in (-1, len(shape), [-1], (-1,)) or (layer.center and not layer.scale):
            raise ShapeError(f"{layer.name}: LayerNormalization on axis {axis} — from_keras converts it on "
                             "the channels (axis −1)")
        return [("", L.ChannelLayerNorm(elementwise_affine=layer.scale, bias=layer.center))]
    if cls in ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"):
        return [("", L.Dropout(layer.rate))]
    if cls == "Activation":
        a = _activation(layer.activation)
        return [("", a if a is not None else L.Identity())]
    if cls == "ReLU":
        slope, top, threshold = layer.negative_slope, layer.max_value, layer.threshold
        if threshold == 0 and slope == 0 and top in (None, 6):
            return [("", L.ReLU() if top is None else L.ReLU6())]
        if threshold == 0 and top is None:
            return [("", L.LeakyReLU(float(slope)))]
        raise ShapeError(f"{layer.name}: ReLU(max_value={top}, negative_slope={slope}, threshold={threshold})")
    if cls == "LeakyReLU":
        return [("", L.LeakyReLU(float(layer.negative_slope)))]
    if cls == "ELU":
        return [("", L.ELU(float(layer.alpha)))]
    if cls == "Softmax":
        return [("", L.Softmax())]
    if cls == "PReLU":
        shared = set(layer.shared_axes or ())
        if shared >= set(range(1, len(shape) + 1)):
            return [("", L.PReLU(1))]
        if shared >= set(range(1, len(shape))):
            return [("", L.PReLU(shape[0]))]
        raise ShapeError(f"{layer.name}: PReLU with a slope per position (shared_axes={layer.shared_axes}); "
                         "cnnlib's PReLU has one slope or one per channel")
    if cls == "Identity":
        return [("", L.Identity())]
    if cls in ("Add", "Multiply"):
        return [("", L.Add() if cls == "Add" else L.Multiply())]
    if cls == "Concatenate":
        axis = layer.axis % (len(shape) + 1)
        if axis == 0:
            raise ShapeError(f"{layer.name}: Concatenate along the batch axis")
        return [("", L.Concatenate(axis=0 if axis == len(shape) else axis))]
    if cls == "UpSampling1D":
        return [("", L.Upsample(scale_factor=layer.size))]
    if cls == "UpSampling2D":
        mode = {"nearest": "nearest", "bilinear": "bilinear"}.get(layer.interpolation)
        if mode is None:
            raise ShapeError(f"{layer.name}: UpSampling2D interpolation {layer.interpolation!r}")
        return [("", L.Upsample(scale_factor=tuple(layer.size), mode=mode))]
    if cls == "ZeroPadding1D":
        return [("", L.ZeroPad1d(tuple(layer.padding)))]
    if cls == "ZeroPadding2D":
        (top, bottom), (left, right) = layer.padding
        return [("", L.ZeroPad2d((left, right, top, bottom)))]
    if cls == "Cropping2D":
        return [("", L.Crop2d(tuple(tuple(p) for p in layer.cropping)))]
    raise ShapeError(f"{layer.name}: {type(layer).__module__}.{type(layer).__qualname__} is not supported by "
                     "cnnlib.from_keras (see the cnnlib.interop.keras_graph docstring)")


def from_keras(model, name: str | None = None):
    """A built Keras 3 model as a :class:`cnnlib.Model` (or Sequential for a chain); see the module.

    The model needs its input shape (``keras.Input((H, W, C))``); the cnnlib model's input is
    (C, H, W).
    """
    graph = model if getattr(model, "_nodes_by_depth", None) else getattr(model, "_functional", None)
    if graph is None or not getattr(graph, "inputs", None):
        raise ShapeError(f"from_keras needs a built Keras model with an Input, got {type(model).__name__}")
    if len(graph.inputs) != 1:
        raise ShapeError(f"from_keras converts models with one input, this one has {len(graph.inputs)}")
    inp = Input(_channels_first(graph.inputs[0].shape))
    tensors = {id(graph.inputs[0]): inp}
    made, calls = {}, {}
    for depth in sorted(graph._nodes_by_depth, reverse=True):
        for node in graph._nodes_by_depth[depth]:
            if node.is_input or not node.operation:
                continue
            layer = node.operation
            ins = [tensors[id(t)] for t in node.input_tensors]
            if hasattr(layer, "layers") and hasattr(layer, "inputs"):
                raise ShapeError(f"{layer.name}: a model used as a layer; from_keras converts flat models")
            if id(layer) not in made:
                made[id(layer)] = _layers_for(layer, [t.shape for t in ins])
            k = calls[id(layer)] = calls.get(id(layer), 0) + 1
            row = layer.name if k == 1 else f"{layer.name}#{k}"
            x = made[id(layer)][0][1](*ins, name=row + made[id(layer)][0][0])
            for suffix, extra in made[id(layer)][1:]:
                x = extra(x, name=row + suffix)
            want = _channels_first(node.outputs[0].shape)
            if x.shape != want:
                raise ShapeError(f"{row}: cnnlib gives {x.shape} but Keras {want}; please report this")
            for t in node.outputs:
                tensors[id(t)] = x
    return finish(inp, [tensors[id(t)] for t in graph.outputs], name or model.name)
