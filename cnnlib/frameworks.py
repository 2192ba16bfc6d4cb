"""Which PyTorch and Keras layers cnnlib reads, and how each becomes cnnlib layers: one table per
framework, as data (:data:`TORCH`, :data:`KERAS`), read by :mod:`cnnlib.parse`.

Each row is an :class:`Entry`: the framework's constructor signature (positional order and
defaults, so that ``nn.Conv2d(3, 64, 3, 1, 1)`` binds as torch binds it), which arguments go
to which cnnlib keyword, which values cnnlib can count, and which arguments PyTorch checks
against the input.  Keras is channels last: its entries turn its arguments into cnnlib's
channels-first ones (ZeroPadding2D's ((top, bottom), (left, right)) → torch's (left, right,
top, bottom); Dense on a map → a 1×1 convolution; DepthwiseConv2D → Conv2d with groups = C;
SeparableConv2D → depthwise + pointwise rows; BatchNormalization → BatchNorm1d/2d/3d by the
input's rank).

>>> supported_names()["Conv2d"]
{'torch': ['Conv2d'], 'keras': ['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Dense']}
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import layers as L
from .facts import shape_str

__all__ = ["FRAMEWORKS", "KERAS", "KERAS_ACTIVATIONS", "KERAS_ALIASES", "KERAS_INPUT", "REQUIRED", "TORCH",
           "UNMAPPED", "Entry", "Refused", "activation_layers", "sig", "supported_names", "to"]


class Refused(Exception):
    """A message for the reader; :mod:`cnnlib.parse` turns it into a ShapeError with its line."""


def _is_number(v) -> bool:
    return type(v) in (int, float)


REQUIRED = object()


def sig(required: str = "", **defaults) -> tuple:
    """A constructor's arguments in positional order: ``sig("a b", c=1)`` → (("a", REQUIRED),
    ("b", REQUIRED), ("c", 1))."""
    return tuple((name, REQUIRED) for name in required.split()) + tuple(defaults.items())


def to(spec: str) -> dict:
    """Framework arguments passed on to the cnnlib layer: ``to("filters:out_channels kernel_size")``
    → {"filters": "out_channels", "kernel_size": "kernel_size"}."""
    return dict(part.split(":") if ":" in part else (part, part) for part in spec.split())


@dataclass(frozen=True)
class Entry:
    """How one framework layer becomes cnnlib layers (one row of :data:`TORCH` or :data:`KERAS`).

    ``make`` is a cnnlib layer class, called with the arguments named in ``args`` (framework
    name → cnnlib keyword) plus ``fixed``; or a function (arguments, input shape) → layers,
    whose possible classes ``makes`` names.  Arguments of ``sig`` not in ``args`` are read
    and change no count (eps, inplace, initialisers …), unless ``only`` restricts their
    values.  ``expects`` names the arguments PyTorch checks against the input ("channels":
    its first size, "features": its last); ``convert`` maps a value first; each of ``checks``
    gives a message for an argument combination the framework refuses (None when fine);
    ``ranks`` lists the input ranks (cnnlib shapes, no batch) it accepts.
    """

    make: object
    sig: tuple
    args: dict = field(default_factory=dict)
    fixed: dict = field(default_factory=dict)
    only: dict = field(default_factory=dict)
    expects: dict = field(default_factory=dict)
    convert: dict = field(default_factory=dict)
    checks: tuple = ()
    ranks: tuple = ()
    makes: tuple = ()

    @property
    def classes(self) -> tuple:
        """The cnnlib classes this entry can make."""
        return (self.make,) if isinstance(self.make, type) else tuple(self.makes)


# ---- PyTorch: channels first, as cnnlib

def _numeric_padding(v):
    if isinstance(v, str):
        raise Refused(f"padding must be a number or a tuple of numbers here, got {v!r}")
    return v


def _torch_padding(v):
    if isinstance(v, str) and v not in ("same", "valid"):
        raise Refused(f"padding must be 'same', 'valid' or numbers, got {v!r} (PyTorch's strings are "
                       "lower case)")
    return v


def _torch_same_unstrided(a):
    if a["padding"] == "same" and any(s != 1 for s in _per_axis(a["stride"])):
        return "padding='same' is not supported for strided convolutions (PyTorch); give the padding as numbers"
    return None


def _per_axis(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v,)


def _flatten_t(a, shape):
    if (a["start_dim"], a["end_dim"]) != (1, -1):
        raise Refused("cnnlib's Flatten keeps the batch axis only (start_dim=1, end_dim=-1)")
    return [L.Flatten()]


_DEVICE = {"device": (None, "cpu", "cuda"), "dtype": (None,)}
_TORCH_CONV = sig("in_channels out_channels kernel_size", stride=1, padding=0, dilation=1, groups=1,
                  bias=True, padding_mode="zeros", device=None, dtype=None)
_TORCH_CONVT = sig("in_channels out_channels kernel_size", stride=1, padding=0, output_padding=0, groups=1,
                   bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None)
_TORCH_BN = sig("num_features", eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None,
                dtype=None)
_INPLACE = sig(inplace=False)
_DROPOUT = sig(p=0.5, inplace=False)


def _conv_t(cls):
    return Entry(cls, _TORCH_CONV, to("out_channels kernel_size stride padding dilation groups bias"),
                 only={"padding_mode": ("zeros",), **_DEVICE}, expects={"in_channels": "channels"},
                 convert={"padding": _torch_padding}, checks=(_torch_same_unstrided,))


def _convt_t(cls):
    return Entry(cls, _TORCH_CONVT, to("out_channels kernel_size stride padding output_padding groups bias "
                                       "dilation"),
                 only={"padding_mode": ("zeros",), **_DEVICE}, expects={"in_channels": "channels"},
                 convert={"padding": _numeric_padding})


def _maxpool_t(cls):
    return Entry(cls, sig("kernel_size", stride=None, padding=0, dilation=1, return_indices=False,
                          ceil_mode=False),
                 to("kernel_size stride padding dilation ceil_mode"), only={"return_indices": (False,)},
                 convert={"padding": _numeric_padding})


def _avgpool_t(cls, divisor_override=True):
    more = {"divisor_override": None} if divisor_override else {}  # AvgPool1d has none
    return Entry(cls, sig("kernel_size", stride=None, padding=0, ceil_mode=False, count_include_pad=True, **more),
                 to("kernel_size stride padding ceil_mode"), convert={"padding": _numeric_padding})


def _adaptive_t(cls, max_=False):
    return Entry(cls, sig("output_size", **({"return_indices": False} if max_ else {})), to("output_size"),
                 only={"return_indices": (False,)} if max_ else {})


def _bn_t(cls):
    return Entry(cls, _TORCH_BN, to("affine track_running_stats"), only=dict(_DEVICE),
                 expects={"num_features": "channels"})


def _plain(cls, signature=_INPLACE, args="", **kw):
    return Entry(cls, signature, to(args), **kw)


#: PyTorch: torch.nn name → how it becomes cnnlib layers
TORCH = {
    "Conv1d": _conv_t(L.Conv1d), "Conv2d": _conv_t(L.Conv2d), "Conv3d": _conv_t(L.Conv3d),
    "ConvTranspose1d": _convt_t(L.ConvTranspose1d), "ConvTranspose2d": _convt_t(L.ConvTranspose2d),
    "ConvTranspose3d": _convt_t(L.ConvTranspose3d),
    "MaxPool1d": _maxpool_t(L.MaxPool1d), "MaxPool2d": _maxpool_t(L.MaxPool2d),
    "MaxPool3d": _maxpool_t(L.MaxPool3d),
    "AvgPool1d": _avgpool_t(L.AvgPool1d, divisor_override=False), "AvgPool2d": _avgpool_t(L.AvgPool2d),
    "AvgPool3d": _avgpool_t(L.AvgPool3d),
    "AdaptiveAvgPool1d": _adaptive_t(L.AdaptiveAvgPool1d), "AdaptiveAvgPool2d": _adaptive_t(L.AdaptiveAvgPool2d),
    "AdaptiveMaxPool1d": _adaptive_t(L.AdaptiveMaxPool1d, True),
    "AdaptiveMaxPool2d": _adaptive_t(L.AdaptiveMaxPool2d, True),
    "BatchNorm1d": _bn_t(L.BatchNorm1d), "BatchNorm2d": _bn_t(L.BatchNorm2d), "BatchNorm3d": _bn_t(L.BatchNorm3d),
    "GroupNorm": _plain(L.GroupNorm, sig("num_groups num_channels", eps=1e-5, affine=True, device=None,
                                         dtype=None),
                        "num_groups affine", only=dict(_DEVICE), expects={"num_channels": "channels"}),
    "LayerNorm": _plain(L.LayerNorm, sig("normalized_shape", eps=1e-5, elementwise_affine=True, bias=True,
                                         device=None, dtype=None),
                        "normalized_shape elementwise_affine bias", only=dict(_DEVICE)),
    "LocalResponseNorm": _plain(L.LocalResponseNorm, sig("size", alpha=1e-4, beta=0.75, k=1.0), "size"),
    "Linear": _plain(L.Dense, sig("in_features out_features", bias=True, device=None, dtype=None),
                     "out_features bias", only=dict(_DEVICE), expects={"in_features": "features"}),
    "Flatten": Entry(_flatten_t, sig(start_dim=1, end_dim=-1), makes=(L.Flatten,)),
    "Dropout": _plain(L.Dropout, _DROPOUT, "p"), "Dropout1d": _plain(L.Dropout, _DROPOUT, "p", ranks=(1, 2)),
    "Dropout2d": _plain(L.Dropout, _DROPOUT, "p"), "Dropout3d": _plain(L.Dropout, _DROPOUT, "p"),
    "AlphaDropout": _plain(L.Dropout, _DROPOUT, "p"),
    "ReLU": _plain(L.ReLU), "ReLU6": _plain(L.ReLU6), "SiLU": _plain(L.SiLU), "Hardswish": _plain(L.Hardswish),
    "Hardsigmoid": _plain(L.Hardsigmoid), "Sigmoid": _plain(L.Sigmoid, sig()), "Tanh": _plain(L.Tanh, sig()),
    "Identity": _plain(L.Identity, sig()), "Softmax": _plain(L.Softmax, sig(dim=None)),
    "LeakyReLU": _plain(L.LeakyReLU, sig(negative_slope=0.01, inplace=False), "negative_slope"),
    "ELU": _plain(L.ELU, sig(alpha=1.0, inplace=False), "alpha"),
    "GELU": _plain(L.GELU, sig(approximate="none"), "approximate"),
    "PReLU": _plain(L.PReLU, sig(num_parameters=1, init=0.25, device=None, dtype=None), "num_parameters",
                    only=dict(_DEVICE)),
    "Upsample": _plain(L.Upsample, sig(size=None, scale_factor=None, mode="nearest", align_corners=None,
                                       recompute_scale_factor=None), "size scale_factor mode align_corners"),
    "UpsamplingNearest2d": _plain(L.Upsample, sig(size=None, scale_factor=None), "size scale_factor"),
    "UpsamplingBilinear2d": _plain(L.Upsample, sig(size=None, scale_factor=None), "size scale_factor",
                                   fixed={"mode": "bilinear", "align_corners": True}),
    "ZeroPad1d": _plain(L.ZeroPad1d, sig("padding"), "padding"),
    "ZeroPad2d": _plain(L.ZeroPad2d, sig("padding"), "padding"),
    "ZeroPad3d": _plain(L.ZeroPad3d, sig("padding"), "padding"),
}

# ---- Keras: channels last; every layer also takes name, dtype, trainable …

_KERAS_ANY = sig(name=None, dtype=None, trainable=True, autocast=True, input_shape=None, input_dim=None,
                 batch_size=None)
_KERAS_ONLY = {"data_format": (None, "channels_last"), "trainable": (True,)}
# initialisers, regularisers and constraints change no count (a call such as l2(1e-4) is refused anyway)
_REGULARIZED = {"bias_initializer": "zeros", "bias_regularizer": None, "activity_regularizer": None,
                "bias_constraint": None}
_INIT = {"kernel_initializer": "glorot_uniform", "kernel_regularizer": None, "kernel_constraint": None,
         **_REGULARIZED}
_DW_INIT = {"depthwise_initializer": "glorot_uniform", "depthwise_regularizer": None, "depthwise_constraint": None,
            **_REGULARIZED}
_SEP_INIT = {**_DW_INIT, "pointwise_initializer": "glorot_uniform", "pointwise_regularizer": None,
             "pointwise_constraint": None}
_NORM_INIT = {"beta_initializer": "zeros", "gamma_initializer": "ones", "beta_regularizer": None,
              "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None}


def _keras_padding(v):
    if not isinstance(v, str) or v.lower() not in ("valid", "same"):
        hint = " (for 'causal', pad with ZeroPadding1D((d·(k − 1), 0)) and use 'valid')" if v == "causal" else ""
        raise Refused(f"padding must be 'valid' or 'same', got {v!r}{hint}")
    return v.lower()


def _keras_strided_dilation(a):
    if any(s != 1 for s in _per_axis(a["strides"])) and any(d != 1 for d in _per_axis(a["dilation_rate"])):
        return "strides > 1 together with dilation_rate > 1 is refused by Keras' convolutions; use one of them"
    return None


def _keras_output_padding(a):
    op, s = a["output_padding"], a["strides"]
    if op is None:
        return None
    n = max(len(_per_axis(op)), len(_per_axis(s)))
    ops, strides = (v if isinstance(v, (tuple, list)) else (v,) * n for v in (op, s))
    if any(o >= t for o, t in zip(ops, strides)):
        return f"output_padding {op!r} must be smaller than the strides {s!r} (Keras refuses it)"
    return None


def _conv_k(cls, *middle):
    """Keras' Conv{1,2,3}D and Conv{1,2,3}DTranspose; `middle`: the arguments after padding, in order."""
    defaults = {"data_format": None, "dilation_rate": 1, "groups": 1, "output_padding": None}
    transposed = "output_padding" in middle
    return Entry(cls, sig("filters kernel_size", strides=1, padding="valid", **{m: defaults[m] for m in middle},
                          activation=None, use_bias=True, **_INIT),
                 to("filters:out_channels kernel_size strides:stride padding dilation_rate:dilation use_bias:bias "
                    + ("output_padding" if transposed else "groups")),
                 only=dict(_KERAS_ONLY), convert={"padding": _keras_padding},
                 checks=(_keras_strided_dilation, *((_keras_output_padding,) if transposed else ())))


def _pool_k(cls, default=REQUIRED):
    return Entry(cls, (("pool_size", default), *sig(strides=None, padding="valid", data_format=None)),
                 to("pool_size:kernel_size strides:stride padding"), only=dict(_KERAS_ONLY),
                 convert={"padding": _keras_padding})


def _adaptive_k(cls):
    return Entry(cls, sig("output_size", data_format=None), to("output_size"), only=dict(_KERAS_ONLY))


def _global_k(cls):
    return Entry(cls, sig(data_format=None, keepdims=False), to("keepdims"), only=dict(_KERAS_ONLY))


_CONV = {1: L.Conv1d, 2: L.Conv2d, 3: L.Conv3d}


def _depthwise(n):
    def make(a, shape):
        c = shape[0] if shape else 1
        return [_CONV[n](c * a["depth_multiplier"], a["kernel_size"], stride=a["strides"], padding=a["padding"],
                         dilation=a["dilation_rate"], groups=c, bias=a["use_bias"])]
    return Entry(make, sig("kernel_size", strides=1, padding="valid", depth_multiplier=1, data_format=None,
                           dilation_rate=1, activation=None, use_bias=True, **_DW_INIT),
                 only=dict(_KERAS_ONLY), convert={"padding": _keras_padding}, makes=(_CONV[n],))


def _separable(n):
    def make(a, shape):
        c = shape[0] if shape else 1
        return [_CONV[n](c * a["depth_multiplier"], a["kernel_size"], stride=a["strides"], padding=a["padding"],
                         dilation=a["dilation_rate"], groups=c, bias=False),
                _CONV[n](a["filters"], 1, bias=a["use_bias"])]
    return Entry(make, sig("filters kernel_size", strides=1, padding="valid", data_format=None, dilation_rate=1,
                           depth_multiplier=1, activation=None, use_bias=True, **_SEP_INIT),
                 only=dict(_KERAS_ONLY), convert={"padding": _keras_padding}, makes=(_CONV[n],))


def _dense_k(a, shape):
    """Dense acts on Keras' last axis, the channels: on a map it is a 1×1 convolution."""
    if len(shape) <= 1:
        return [L.Dense(a["units"], bias=a["use_bias"])]
    if len(shape) - 1 not in _CONV:
        raise Refused(f"Dense on a {len(shape)}-axis input")
    return [_CONV[len(shape) - 1](a["units"], 1, bias=a["use_bias"])]


def _affine(a, what):
    if a["center"] != a["scale"]:
        raise Refused(f"{what} with center={a['center']!r} and scale={a['scale']!r}: cnnlib counts γ and β "
                       "together (both or neither)")
    return a["center"]


def _channels_axis(a, shape, what):
    if a["axis"] not in (-1, len(shape)):
        raise Refused(f"{what}(axis={a['axis']!r}): cnnlib works on the channels, Keras' last axis (axis=-1)")


BATCHNORMS = {1: L.BatchNorm1d, 2: L.BatchNorm1d, 3: L.BatchNorm2d, 4: L.BatchNorm3d}


def _batchnorm_k(a, shape):
    _channels_axis(a, shape, "BatchNormalization")
    return [BATCHNORMS.get(len(shape), L.BatchNorm2d)(affine=_affine(a, "BatchNormalization"))]


def _groupnorm_k(a, shape):
    _channels_axis(a, shape, "GroupNormalization")
    return [L.GroupNorm(a["groups"], affine=_affine(a, "GroupNormalization"))]


def _layernorm_k(a, shape):
    rank, axis = len(shape), a["axis"]
    axes = sorted(x % (rank + 1) for x in _per_axis(axis)) if all(type(x) is int for x in _per_axis(axis)) else None
    if a["center"] and not a["scale"]:
        raise Refused("LayerNormalization with center=True and scale=False: cnnlib counts β only with γ")
    if axes == list(range(1, rank + 1)):
        return [L.LayerNorm(shape, elementwise_affine=a["scale"], bias=a["center"])]
    if rank > 1 and axes == [rank]:  # Keras' default axis −1 on a map: the channels at each position
        return [L.ChannelLayerNorm(elementwise_affine=a["scale"], bias=a["center"])]
    raise Refused(f"LayerNormalization(axis={axis!r}) on {shape_str(shape)} (H×W×C): cnnlib normalises "
                   f"whole samples (axis={list(range(1, rank + 1))}) or the channels at each position "
                   "(axis=-1)")


def _prelu_k(a, shape):
    shared = sorted(set(_per_axis(a["shared_axes"]))) if a["shared_axes"] is not None else []
    spatial = list(range(1, len(shape)))  # Keras' axes of a channels-last input, batch = 0
    if shared == spatial:
        return [L.PReLU(shape[0])]
    if shared == [*spatial, len(shape)]:
        return [L.PReLU(1)]
    raise Refused(f"PReLU(shared_axes={a['shared_axes']!r}) on {shape_str(shape)}: cnnlib counts one slope or "
                   f"one per channel (shared_axes={spatial})")


#: Keras activation names (``activation=`` and ``Activation(...)``) → cnnlib layer (None: no row)
KERAS_ACTIVATIONS = {
    "relu": L.ReLU, "relu6": L.ReLU6, "sigmoid": L.Sigmoid, "tanh": L.Tanh, "softmax": L.Softmax,
    "gelu": L.GELU, "silu": L.SiLU, "swish": L.SiLU, "hard_swish": L.Hardswish, "hard_silu": L.Hardswish,
    "hard_sigmoid": L.Hardsigmoid, "elu": L.ELU, "leaky_relu": L.LeakyReLU, "linear": None,
}
_ACTIVATION_ARGS = {"leaky_relu": {"negative_slope": 0.2}}


def activation_layers(name) -> list:
    if name is None:
        return []
    key = name.lower() if isinstance(name, str) else None
    if key not in KERAS_ACTIVATIONS:
        raise Refused(f"activation {name!r} has no cnnlib layer; cnnlib reads {', '.join(KERAS_ACTIVATIONS)}")
    cls = KERAS_ACTIVATIONS[key]
    return [cls(**_ACTIVATION_ARGS.get(key, {}))] if cls else []


def _activation_k(a, shape):
    return activation_layers(a["activation"]) or [L.Identity()]


def _relu_k(a, shape):
    m, s, t = a["max_value"], a["negative_slope"], a["threshold"]
    if t == 0 and s == 0 and m in (None, 6):
        return [L.ReLU() if m is None else L.ReLU6()]
    if t == 0 and m is None and _is_number(s):
        return [L.LeakyReLU(s)]
    raise Refused(f"ReLU(max_value={m!r}, negative_slope={s!r}, threshold={t!r}) has no cnnlib layer (it has "
                   "no parameters: ReLU() counts the same)")


_ZEROPAD = {1: L.ZeroPad1d, 2: L.ZeroPad2d, 3: L.ZeroPad3d}


def _zeropad_k(n):
    def make(a, shape):
        p = a["padding"]
        if not isinstance(p, (tuple, list)):
            pairs = [(p, p)] * n
        elif n == 1:
            pairs = [tuple(p)]
        else:
            pairs = [tuple(v) if isinstance(v, (tuple, list)) else (v, v) for v in p]
        if len(pairs) != n or any(len(x) != 2 for x in pairs):
            raise Refused(f"padding {p!r}: an int, {n} ints or {n} (before, after) pairs")
        # Keras lists the axes first to last, torch the last axis first: (left, right, top, bottom, …)
        return [_ZEROPAD[n](tuple(v for pair in reversed(pairs) for v in pair))]
    default = {1: 1, 2: (1, 1), 3: ((1, 1), (1, 1), (1, 1))}[n]
    return Entry(make, sig(padding=default, data_format=None), only=dict(_KERAS_ONLY), makes=(_ZEROPAD[n],))


def _upsampling_k(n):
    def make(a, shape):
        return [L.Upsample(scale_factor=a["size"], mode=a.get("interpolation", "nearest"))]
    signature = {1: sig(size=2), 2: sig(size=(2, 2), data_format=None, interpolation="nearest"),
                 3: sig(size=(2, 2, 2), data_format=None)}[n]
    return Entry(make, signature, only={**_KERAS_ONLY, "interpolation": ("nearest", "bilinear", "bicubic")},
                 makes=(L.Upsample,))


def _dropout_k(*middle, ranks=()):
    return Entry(L.Dropout, sig("rate", **dict.fromkeys(middle)), to("rate:p"),
                 only={**_KERAS_ONLY, "noise_shape": (None,)}, ranks=ranks)


#: Keras: keras.layers name → how it becomes cnnlib layers (aliases in KERAS_ALIASES)
KERAS = {
    "Conv1D": _conv_k(L.Conv1d, "data_format", "dilation_rate", "groups"),
    "Conv2D": _conv_k(L.Conv2d, "data_format", "dilation_rate", "groups"),
    "Conv3D": _conv_k(L.Conv3d, "data_format", "dilation_rate", "groups"),
    "Conv1DTranspose": _conv_k(L.ConvTranspose1d, "output_padding", "data_format", "dilation_rate"),
    "Conv2DTranspose": _conv_k(L.ConvTranspose2d, "output_padding", "data_format", "dilation_rate"),
    "Conv3DTranspose": _conv_k(L.ConvTranspose3d, "data_format", "output_padding", "dilation_rate"),
    "DepthwiseConv1D": _depthwise(1), "DepthwiseConv2D": _depthwise(2),
    "SeparableConv1D": _separable(1), "SeparableConv2D": _separable(2),
    "MaxPooling1D": _pool_k(L.MaxPool1d, 2), "MaxPooling2D": _pool_k(L.MaxPool2d, (2, 2)),
    "MaxPooling3D": _pool_k(L.MaxPool3d, (2, 2, 2)),
    "AveragePooling1D": _pool_k(L.AvgPool1d), "AveragePooling2D": _pool_k(L.AvgPool2d),
    "AveragePooling3D": _pool_k(L.AvgPool3d),
    "AdaptiveAveragePooling1D": _adaptive_k(L.AdaptiveAvgPool1d),
    "AdaptiveAveragePooling2D": _adaptive_k(L.AdaptiveAvgPool2d),
    "AdaptiveMaxPooling1D": _adaptive_k(L.AdaptiveMaxPool1d), "AdaptiveMaxPooling2D": _adaptive_k(L.AdaptiveMaxPool2d),
    "GlobalAveragePooling1D": _global_k(L.GlobalAvgPool1d), "GlobalAveragePooling2D": _global_k(L.GlobalAvgPool2d),
    "GlobalMaxPooling1D": _global_k(L.GlobalMaxPool1d), "GlobalMaxPooling2D": _global_k(L.GlobalMaxPool2d),
    "BatchNormalization": Entry(_batchnorm_k, sig(axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True,
                                                  **_NORM_INIT, moving_mean_initializer="zeros",
                                                  moving_variance_initializer="ones", renorm=False,
                                                  renorm_clipping=None, renorm_momentum=0.99, synchronized=False),
                                only={**_KERAS_ONLY, "renorm": (False,)}, makes=tuple(BATCHNORMS.values())),
    "GroupNormalization": Entry(_groupnorm_k, sig(groups=32, axis=-1, epsilon=0.001, center=True, scale=True,
                                                  **_NORM_INIT), only=dict(_KERAS_ONLY), makes=(L.GroupNorm,)),
    "LayerNormalization": Entry(_layernorm_k, sig(axis=-1, epsilon=0.001, center=True, scale=True, **_NORM_INIT),
                                only=dict(_KERAS_ONLY), makes=(L.LayerNorm, L.ChannelLayerNorm)),
    "Dense": Entry(_dense_k, sig("units", activation=None, use_bias=True, **_INIT, lora_rank=None),
                   only={**_KERAS_ONLY, "lora_rank": (None,)}, makes=(L.Dense, *_CONV.values())),
    "Flatten": Entry(L.Flatten, sig(data_format=None), only=dict(_KERAS_ONLY)),
    "Dropout": _dropout_k("noise_shape", "seed"),
    "SpatialDropout1D": _dropout_k("seed", ranks=(2,)),
    "SpatialDropout2D": _dropout_k("data_format", "seed", ranks=(3,)),
    "SpatialDropout3D": _dropout_k("data_format", "seed", ranks=(4,)),
    "Activation": Entry(_activation_k, sig("activation"),
                        makes=(L.Identity, *dict.fromkeys(c for c in KERAS_ACTIVATIONS.values() if c))),
    "ReLU": Entry(_relu_k, sig(max_value=None, negative_slope=0.0, threshold=0.0),
                  makes=(L.ReLU, L.ReLU6, L.LeakyReLU)),
    "LeakyReLU": Entry(L.LeakyReLU, sig(negative_slope=0.3), to("negative_slope")),
    "ELU": Entry(L.ELU, sig(alpha=1.0), to("alpha")),
    "PReLU": Entry(_prelu_k, sig(alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None,
                                 shared_axes=None), makes=(L.PReLU,)),
    "Softmax": Entry(L.Softmax, sig(axis=-1)),
    "Identity": Entry(L.Identity, sig()),
    "UpSampling1D": _upsampling_k(1), "UpSampling2D": _upsampling_k(2), "UpSampling3D": _upsampling_k(3),
    "ZeroPadding1D": _zeropad_k(1), "ZeroPadding2D": _zeropad_k(2), "ZeroPadding3D": _zeropad_k(3),
    "Cropping2D": Entry(L.Crop2d, sig(cropping=((0, 0), (0, 0)), data_format=None), to("cropping"),
                        only=dict(_KERAS_ONLY)),
}
#: other names Keras gives the same layers
KERAS_ALIASES = {
    "Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
    "Convolution1DTranspose": "Conv1DTranspose", "Convolution2DTranspose": "Conv2DTranspose",
    "Convolution3DTranspose": "Conv3DTranspose", "SeparableConvolution1D": "SeparableConv1D",
    "SeparableConvolution2D": "SeparableConv2D", "MaxPool1D": "MaxPooling1D", "MaxPool2D": "MaxPooling2D",
    "MaxPool3D": "MaxPooling3D", "AvgPool1D": "AveragePooling1D", "AvgPool2D": "AveragePooling2D",
    "AvgPool3D": "AveragePooling3D", "GlobalAvgPool1D": "GlobalAveragePooling1D",
    "GlobalAvgPool2D": "GlobalAveragePooling2D", "GlobalMaxPool1D": "GlobalMaxPooling1D",
    "GlobalMaxPool2D": "GlobalMaxPooling2D",
}
KERAS.update({alias: KERAS[name] for alias, name in KERAS_ALIASES.items()})
KERAS_INPUT = sig(shape=None, batch_size=None, dtype=None, sparse=None, ragged=None, batch_shape=None, name=None,
                   tensor=None, optional=False, input_shape=None)

#: cnnlib layers that no sequential text names, and why
UNMAPPED = {
    "Add": "a merge: it needs branches (cnnlib's functional API)",
    "Concatenate": "a merge: it needs branches (cnnlib's functional API)",
    "Multiply": "a merge: it needs branches (cnnlib's functional API)",
    "CenterCrop2d": "torchvision's transform, not a torch.nn layer; Keras' CenterCrop also resizes",
    "Subsample2d": "LeNet-5's trainable subsampling (1998): neither PyTorch nor Keras has the layer",
    "TableConv2d": "LeNet-5's C3 with a connection table (1998): neither PyTorch nor Keras has the layer",
    "EuclideanRBF": "LeNet-5's RBF output units (1998): neither PyTorch nor Keras has the layer",
    "Reshape": "a view written in forward() (x.view, x.reshape), which is code to run, not a layer "
               "to read; cnnlib.from_torch and cnnlib.from_keras convert it from a live model",
}


@dataclass(frozen=True)
class _Framework:
    name: str  # as messages say it
    syntax: str  # ParsedModel.syntax
    table: dict
    common: tuple = ()  # keyword arguments every layer takes
    append: str = "add"  # the model's method that adds a layer


FRAMEWORKS = {"torch": _Framework("PyTorch", "pytorch", TORCH, append="append"),
              "keras": _Framework("Keras", "keras", KERAS, _KERAS_ANY)}


def supported_names() -> dict:
    """cnnlib layer class name → {"torch": [names], "keras": [names]}: what :func:`parse_model` reads.

    Keras' activations by name appear as ``Activation('relu')`` (also ``activation='relu'``).

    >>> supported_names()["Conv2d"]["torch"], supported_names()["BatchNorm2d"]["keras"]
    (['Conv2d'], ['BatchNormalization'])
    """
    out = {name: {"torch": [], "keras": []} for name in L.LAYERS}
    for key, fw in FRAMEWORKS.items():
        for name, entry in fw.table.items():
            if name in KERAS_ALIASES or entry.make is _activation_k:
                continue  # aliases and Activation('…') are listed apart
            for cls in dict.fromkeys(entry.classes):
                out[cls.__name__][key].append(name)
    for act, cls in KERAS_ACTIVATIONS.items():
        out[(cls or L.Identity).__name__]["keras"].append(f"Activation('{act}')")
    return out
