"""``from_torch(module, input_shape)``: a PyTorch ``nn.Module`` as a cnnlib model.

Why torch.fx and not forward hooks: hooks see the leaf modules that run, in order, but not
how their outputs flow — a skip connection, a sum, a concatenation, a flatten or a
functional ``F.relu`` written in ``forward`` is invisible to them.  ``torch.fx.symbolic_trace``
records ``forward`` as a graph of nodes (modules, functions, methods) with their arguments,
which is exactly the graph a :class:`cnnlib.Model` is.  Each node is then run once on the
``meta`` device (shapes without arithmetic; the module's own weights are swapped for meta
copies with ``torch.func.functional_call``, so a 60 M-parameter net costs nothing and the
module is left untouched), for two reasons: the values that are not tensors (``x.size(0)``,
crop offsets) become plain numbers, and every cnnlib shape is checked against torch's.

What maps (every count comes from the cnnlib layer, never from torch):

* modules — every torch.nn module cnnlib has a layer for (:data:`cnnlib.LAYERS`): ``Linear``
  → :class:`cnnlib.Dense`, ``GroupNorm(g, C)`` → ``GroupNorm(g)``, ``Dropout1d/2d/3d`` →
  ``Dropout``, ``UpsamplingNearest2d``/``UpsamplingBilinear2d`` → ``Upsample`` …;
  a module applied twice shares its weights (the second row's ``shares`` names the first,
  and is named ``path#2``);
* functions and methods — ``+``/``torch.add``/``x.add`` and ``+=`` of two tensors → ``Add``,
  ``*``/``torch.mul`` → ``Multiply`` (a broadcast gate), ``torch.cat`` → ``Concatenate``
  (one tensor: nothing), ``torch.flatten(x, 1)``/``x.flatten(1)``/``x.view(x.size(0), -1)``/
  ``reshape`` to (N, −1) → ``Flatten``, any other ``view``/``reshape`` that keeps the batch →
  ``Reshape`` (``y.view(b, c, 1, 1)``), ``F.relu``/``torch.relu``/``x.relu()`` and the other
  activations, ``F.max_pool*``/``F.avg_pool*``/``F.adaptive_*_pool*``, ``x.mean((2, 3),
  keepdim=…)`` and ``amax`` over all spatial axes → global pooling, ``F.interpolate`` →
  ``Upsample``, ``F.pad`` with zeros → ``ZeroPad``, ``x[:, :, a:b, c:d]`` → ``CenterCrop2d``
  when it cuts the centre (torchvision's offsets) else ``Crop2d``, ``F.dropout`` → ``Dropout``;
  arithmetic with a plain number (``x * 0.5``, ``x + 3``), ``contiguous``/``clone``, reshapes
  that keep the shape and ``expand``/``expand_as`` (the merge after them broadcasts, as
  cnnlib's ``Multiply`` does) pass through without a row.

Anything else raises :class:`cnnlib.ShapeError` naming it — the module's qualified class
name and its path, or the function and the fx node — and so does a ``forward`` that fx
cannot trace (control flow on tensor values or shapes).  Rows are named by torch's module
paths (``layer1.0.conv1``); rows of functions by fx's node names (``add``, ``cat_1``,
``flatten``).  A graph that is a plain chain comes back as a :class:`cnnlib.Sequential`.
"""

from __future__ import annotations

import math
import operator

from .. import layers as L
from ..errors import ShapeError
from ..graph import Input, Tensor, _check_input_shape
from ..layers.resize import centre_offset
from ._common import finish

__all__ = ["from_torch"]

#: the batch size of the meta run (2, so that BatchNorm1d in training mode accepts it)
BATCH = 2

PASS = object()  # a node that changes nothing cnnlib counts: no row

#: what torch raises when it refuses an input or fx a forward
TORCH_ERRORS = (RuntimeError, ValueError, TypeError, IndexError, NotImplementedError, AttributeError)


def _qual(obj) -> str:
    t = obj if isinstance(obj, type) else type(obj)
    return f"{t.__module__}.{t.__qualname__}"


def _fn_name(fn) -> str:
    """torch.chunk, torch.nn.functional.pixel_shuffle, operator.floordiv … (where the reader finds it)."""
    import sys

    name = getattr(fn, "__name__", repr(fn))
    for where in ("torch.nn.functional", "torch", "operator"):
        if getattr(sys.modules.get(where), name, None) is fn:
            return f"{where}.{name}"
    return f"{getattr(fn, '__module__', None) or ''}.{getattr(fn, '__qualname__', name)}".lstrip(".")


def _by_rank(classes, spatial, what):
    if spatial not in classes:
        raise ShapeError(f"{what} on {spatial} spatial axes has no cnnlib layer")
    return classes[spatial]


# ------------------------------------------------------------------- modules


def _module_layer(m):
    """The cnnlib layer for a torch leaf module (its hyper-parameters only), or None."""
    name = type(m).__name__
    if not type(m).__module__.startswith("torch.nn."):
        return None
    if name in ("Conv1d", "Conv2d", "Conv3d"):
        return getattr(L, name)(m.out_channels, m.kernel_size, stride=m.stride, padding=m.padding,
                                dilation=m.dilation, groups=m.groups, bias=m.bias is not None)
    if name in ("ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"):
        return getattr(L, name)(m.out_channels, m.kernel_size, stride=m.stride, padding=m.padding,
                                output_padding=m.output_padding, groups=m.groups, bias=m.bias is not None,
                                dilation=m.dilation)
    if name == "Linear":
        return L.Dense(m.out_features, bias=m.bias is not None)
    if name == "Flatten":
        return L.Flatten() if (m.start_dim, m.end_dim) == (1, -1) else None
    if name in ("MaxPool1d", "MaxPool2d", "MaxPool3d"):
        if m.return_indices:
            return None
        return getattr(L, name)(m.kernel_size, stride=m.stride, padding=m.padding, dilation=m.dilation,
                                ceil_mode=m.ceil_mode)
    if name in ("AvgPool1d", "AvgPool2d", "AvgPool3d"):
        return getattr(L, name)(m.kernel_size, stride=m.stride, padding=m.padding, ceil_mode=m.ceil_mode)
    if name in ("AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d"):
        return None if getattr(m, "return_indices", False) else getattr(L, name)(m.output_size)
    if name in ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d"):
        return getattr(L, name)(affine=m.affine, track_running_stats=m.track_running_stats)
    if name == "GroupNorm":
        return L.GroupNorm(m.num_groups, affine=m.affine)
    if name == "LayerNorm":
        return L.LayerNorm(m.normalized_shape, elementwise_affine=m.elementwise_affine, bias=m.bias is not None)
    if name == "LocalResponseNorm":
        return L.LocalResponseNorm(m.size)
    if name in ("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout"):
        return L.Dropout(m.p)
    if name in ("ReLU", "ReLU6", "Sigmoid", "Tanh", "SiLU", "Hardswish", "Hardsigmoid", "Identity", "Softmax"):
        return getattr(L, name)()
    if name == "LeakyReLU":
        return L.LeakyReLU(m.negative_slope)
    if name == "ELU":
        return L.ELU(m.alpha)
    if name == "GELU":
        return L.GELU(m.approximate)
    if name == "PReLU":
        return L.PReLU(m.num_parameters)
    if name in ("Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d"):
        align = m.align_corners if m.mode not in ("nearest", "nearest-exact", "area") else None
        scale = m.scale_factor
        return L.Upsample(size=m.size, scale_factor=scale, mode=m.mode, align_corners=align)
    if name in ("ZeroPad1d", "ZeroPad2d", "ZeroPad3d"):
        return getattr(L, name)(tuple(m.padding))
    return None


# ----------------------------------------------------------------- functions

#: parameter names of the functional ops (methods take the tensor as their first argument too)
SIGNATURES = {
    "max_pool": ("input", "kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"),
    "avg_pool": ("input", "kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
                 "divisor_override"),
    "adaptive": ("input", "output_size", "return_indices"),
    "interpolate": ("input", "size", "scale_factor", "mode", "align_corners", "recompute_scale_factor",
                    "antialias"),
    "pad": ("input", "pad", "mode", "value"),
    "cat": ("tensors", "dim"),
    "flatten": ("input", "start_dim", "end_dim"),
    "reduce": ("input", "dim", "keepdim"),
    "leaky_relu": ("input", "negative_slope", "inplace"),
    "elu": ("input", "alpha", "inplace"),
    "gelu": ("input", "approximate"),
    "dropout": ("input", "p", "training", "inplace"),
    "hardtanh": ("input", "min_val", "max_val", "inplace"),
    "binary": ("input", "other"),
    "unary": ("input",),
}

ACTIVATIONS = {"relu": L.ReLU, "relu6": L.ReLU6, "sigmoid": L.Sigmoid, "tanh": L.Tanh, "silu": L.SiLU,
               "hardswish": L.Hardswish, "hardsigmoid": L.Hardsigmoid, "softmax": L.Softmax}


def _function_table(torch):
    """torch function object → (kind, signature name); methods are looked up by name."""
    F = torch.nn.functional
    table = {operator.add: ("add", "binary"), torch.add: ("add", "binary"), operator.iadd: ("add", "binary"),
             operator.mul: ("mul", "binary"), torch.mul: ("mul", "binary"), operator.imul: ("mul", "binary"),
             operator.sub: ("scalar", "binary"), torch.sub: ("scalar", "binary"),
             operator.truediv: ("scalar", "binary"), torch.div: ("scalar", "binary"),
             torch.cat: ("cat", "cat"), torch.concat: ("cat", "cat"), torch.concatenate: ("cat", "cat"),
             torch.flatten: ("flatten", "flatten"), torch.reshape: ("reshape", "unary"),
             torch.mean: ("mean", "reduce"), torch.amax: ("amax", "reduce"),
             operator.getitem: ("getitem", "binary"),
             F.leaky_relu: ("leaky_relu", "leaky_relu"), F.elu: ("elu", "elu"), F.gelu: ("gelu", "gelu"),
             F.hardtanh: ("hardtanh", "hardtanh"), F.relu6: ("relu6", "unary"),
             F.dropout: ("dropout", "dropout"), F.dropout1d: ("dropout", "dropout"),
             F.dropout2d: ("dropout", "dropout"), F.dropout3d: ("dropout", "dropout"),
             F.interpolate: ("interpolate", "interpolate"), F.pad: ("pad", "pad")}
    for act in ("relu", "sigmoid", "tanh", "silu", "hardswish", "hardsigmoid", "softmax"):
        for where in (F, torch):
            if hasattr(where, act):
                table[getattr(where, act)] = (act, "unary")
    table[F.relu_] = table[torch.relu_] = ("relu", "unary")
    for d in (1, 2, 3):
        table[getattr(F, f"max_pool{d}d")] = (f"max_pool{d}", "max_pool")
        table[getattr(F, f"avg_pool{d}d")] = (f"avg_pool{d}", "avg_pool")
    for d in (1, 2):
        table[getattr(F, f"adaptive_avg_pool{d}d")] = (f"adaptive_avg{d}", "adaptive")
        table[getattr(F, f"adaptive_max_pool{d}d")] = (f"adaptive_max{d}", "adaptive")
    return table


METHODS = {"add": ("add", "binary"), "add_": ("add", "binary"), "mul": ("mul", "binary"),
           "mul_": ("mul", "binary"), "sub": ("scalar", "binary"), "div": ("scalar", "binary"),
           "flatten": ("flatten", "flatten"), "view": ("reshape", "unary"), "reshape": ("reshape", "unary"),
           "mean": ("mean", "reduce"), "amax": ("amax", "reduce"),
           "contiguous": ("pass", "unary"), "clone": ("pass", "unary"),
           # a broadcast view: cnnlib keeps the small tensor, the merge after it broadcasts
           "expand_as": ("pass", "unary"), "expand": ("pass", "unary"),
           **{a: (a, "unary") for a in ("relu", "sigmoid", "tanh", "softmax")}, "relu_": ("relu", "unary")}


def _bind(sig, args, kwargs) -> dict:
    names = SIGNATURES[sig]
    out = dict(zip(names, args))
    out.update(kwargs)
    return out


def _pair(v, n):
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * n


def _function_layer(kind, a, shape, out_shape, tensors):
    """The cnnlib layer (or PASS) for a functional op; None when cnnlib has none."""
    spatial = len(shape) - 1
    if kind in ACTIVATIONS:
        return ACTIVATIONS[kind]()
    if kind == "pass":
        return PASS
    if kind in ("add", "mul"):
        if len(tensors) == 2:
            return L.Add() if kind == "add" else L.Multiply()
        return PASS  # with a plain number: element-wise, nothing cnnlib counts
    if kind == "scalar":
        return PASS if len(tensors) == 1 else None
    if kind == "leaky_relu":
        return L.LeakyReLU(a.get("negative_slope", 0.01))
    if kind == "elu":
        return L.ELU(a.get("alpha", 1.0))
    if kind == "gelu":
        return L.GELU(a.get("approximate", "none"))
    if kind == "hardtanh":
        return L.ReLU6() if (a.get("min_val", -1.0), a.get("max_val", 1.0)) == (0, 6) else None
    if kind == "dropout":
        return L.Dropout(a.get("p", 0.5))
    if kind == "cat":
        if len(tensors) == 1:
            return PASS
        dim = a.get("dim", 0)
        if dim % (len(shape) + 1) == 0:
            return None  # along the batch
        return L.Concatenate(axis=dim - 1 if dim > 0 else dim)
    if kind == "flatten":
        start, end = a.get("start_dim", 0), a.get("end_dim", -1)
        return L.Flatten() if (start, end % (len(shape) + 1)) == (1, len(shape)) else None
    if kind == "reshape":
        if tuple(out_shape[1:]) == tuple(shape):
            return PASS
        if tuple(out_shape) == (BATCH, math.prod(shape)) and len(shape) > 1:
            return L.Flatten()
        return L.Reshape(tuple(out_shape[1:])) if out_shape[:1] == (BATCH,) else None
    if kind in ("mean", "amax"):
        dims = a.get("dim")
        dims = sorted(d % (len(shape) + 1) for d in _pair(dims, 1)) if dims is not None else None
        if dims != list(range(2, len(shape) + 1)):
            return None
        classes = {1: L.GlobalAvgPool1d, 2: L.GlobalAvgPool2d} if kind == "mean" else \
            {1: L.GlobalMaxPool1d, 2: L.GlobalMaxPool2d}
        return _by_rank(classes, spatial, kind)(keepdims=bool(a.get("keepdim", False)))
    if kind.startswith("max_pool"):
        if a.get("return_indices"):
            return None
        cls = getattr(L, f"MaxPool{kind[-1]}d")
        return cls(a["kernel_size"], stride=a.get("stride") or None, padding=a.get("padding", 0),
                   dilation=a.get("dilation", 1), ceil_mode=bool(a.get("ceil_mode", False)))
    if kind.startswith("avg_pool"):
        cls = getattr(L, f"AvgPool{kind[-1]}d")
        return cls(a["kernel_size"], stride=a.get("stride") or None, padding=a.get("padding", 0),
                   ceil_mode=bool(a.get("ceil_mode", False)))
    if kind.startswith("adaptive"):
        if a.get("return_indices"):
            return None
        reduce = "Avg" if "avg" in kind else "Max"
        return getattr(L, f"Adaptive{reduce}Pool{kind[-1]}d")(a["output_size"])
    if kind == "interpolate":
        mode = a.get("mode", "nearest")
        return L.Upsample(size=a.get("size"), scale_factor=a.get("scale_factor"), mode=mode,
                          align_corners=a.get("align_corners"))
    if kind == "pad":
        pad, mode, value = a["pad"], a.get("mode", "constant"), a.get("value")
        if mode != "constant" or value not in (None, 0) or len(pad) != 2 * spatial:
            return None
        return _by_rank({1: L.ZeroPad1d, 2: L.ZeroPad2d, 3: L.ZeroPad3d}, spatial, "F.pad")(tuple(pad))
    return None


def _crop_layer(index, shape):
    """x[:, :, a:b, c:d] on a (C, H, W) map → CenterCrop2d (the centre, torchvision's offsets),
    Crop2d, or PASS when it keeps everything; None for any other indexing."""
    index = index if isinstance(index, tuple) else (index,)
    if len(index) > len(shape) + 1 or not all(isinstance(i, slice) for i in index):
        return None
    index = index + (slice(None),) * (len(shape) + 1 - len(index))
    if index[0] != slice(None) or index[1] != slice(None) or len(shape) != 3:
        return None
    pairs, sizes = [], []
    for sl, n in zip(index[2:], shape[1:]):
        start, stop, step = sl.indices(n)
        if step != 1 or stop <= start:
            return None
        pairs.append((start, n - stop))
        sizes.append(stop - start)
    if all(p == (0, 0) for p in pairs):
        return PASS
    if all(t == centre_offset(n, m) for (t, _), n, m in zip(pairs, shape[1:], sizes)):
        return L.CenterCrop2d(tuple(sizes))
    return L.Crop2d(tuple(pairs))


# ----------------------------------------------------------------- converter


def _unsupported(what, node) -> ShapeError:
    return ShapeError(f"{what} at node {node.name!r} is not supported by cnnlib.from_torch: cnnlib has no "
                      f"layer for it (see cnnlib.LAYERS and the cnnlib.interop.torch_fx docstring)")


def from_torch(module, input_shape, name: str | None = None):
    """A torch ``nn.Module`` as a :class:`cnnlib.Model` (or Sequential for a chain); see the module.

    ``input_shape`` is channels first without the batch, as everywhere in cnnlib.
    """
    import torch
    from torch import fx

    shape = _check_input_shape(input_shape)
    if not isinstance(module, torch.nn.Module):
        raise ShapeError(f"from_torch takes a torch.nn.Module, got {type(module).__name__}")
    try:
        gm = fx.symbolic_trace(module)
    except TORCH_ERRORS as e:  # fx raises TraceError (a ValueError), TypeError … on dynamic forwards
        raise ShapeError(
            f"torch.fx cannot trace {_qual(module)}: {type(e).__name__}: {str(e).splitlines()[0][:300]} — "
            "control flow that depends on tensor values or shapes (an `if` or a loop on them) cannot be "
            "traced symbolically; from_torch needs a forward without it") from None
    state = {}
    for kind in ("named_parameters", "named_buffers"):
        for key, value in getattr(gm, kind)(remove_duplicate=False):
            if isinstance(value, (torch.nn.parameter.UninitializedParameter,
                                  torch.nn.parameter.UninitializedBuffer)):
                raise ShapeError(f"{key} is a lazy parameter that is not initialised yet: run the module "
                                 "once on an input before converting it")
            state[f"gm.{key}"] = torch.empty_like(value, device="meta")

    converter = _Converter(gm, _function_table(torch), torch)

    class Runner(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.gm = gm

        def forward(self, x):
            return converter.run(x)

    x = torch.zeros((BATCH, *shape), device="meta")
    converter.input = Input(shape)
    try:
        with torch.no_grad():
            torch.func.functional_call(Runner(), state, (x,))
    except ShapeError as e:  # fx's Interpreter appends its own traceback notes to the message
        raise ShapeError(str(e).split("\n\nWhile executing")[0]) from None
    return converter.model(name or type(module).__name__)


class _Converter:
    """Runs the fx graph node by node on meta tensors and writes the cnnlib graph beside it."""

    def __init__(self, gm, functions, torch):
        from torch import fx

        class Interp(fx.Interpreter):
            def run_node(interp, n):
                return self.run_node(interp, n)

        self.gm, self.functions, self.torch = gm, functions, torch
        self.interp = Interp(gm)
        self.cn = {}  # fx node → cnnlib Tensor (or None for a tensor cnnlib does not follow)
        self.layers = {}  # id(torch module) → cnnlib layer (shared on a second call)
        self.calls = {}
        self.used = {"input"}
        self.outputs = None
        self.input = None

    def run(self, x):
        return self.interp.run(x)

    # -- one node ----------------------------------------------------------------------
    def run_node(self, interp, n):
        from torch import fx

        args, kwargs = interp.fetch_args_kwargs_from_env(n)
        try:
            value, error = getattr(interp, n.op)(n.target, args, kwargs), None
        except TORCH_ERRORS as e:  # torch refuses: cnnlib's layer may say why, else torch's words
            value, error = None, e
        if n.op == "placeholder":
            if self.cn:
                raise ShapeError(f"{n.name}: from_torch converts modules with one tensor input")
            self.cn[n] = self.input
            return value
        if n.op == "output":
            self.outputs = fx.node.map_arg(n.args[0], lambda a: self.cn.get(a))
            return value
        if n.op == "call_module":
            self._module(n)  # an unsupported module is named before anything else is said of it
        cargs = fx.node.map_arg(n.args, lambda a: self.cn.get(a))
        tensors = [t for t in _flat(cargs) if isinstance(t, Tensor)]
        if error is None and not isinstance(value, self.torch.Tensor):
            if tensors and any(isinstance(v, self.torch.Tensor) for v in _flat(value)):
                what = f"torch.Tensor.{n.target}" if n.op == "call_method" else _fn_name(n.target)
                raise _unsupported(f"{what} (it returns {type(value).__name__}, not one tensor)", n)
            return value  # sizes, shapes and the numbers computed from them
        for a in _flat(n.args):  # a tensor that cnnlib does not follow (a parameter read in forward)
            if tensors and isinstance(a, fx.Node) and a in self.cn and self.cn[a] is None:
                raise ShapeError(f"node {n.name!r} reads {a.target if a.op == 'get_attr' else a.name!r}, a "
                                 "tensor that does not come from the input (a parameter, buffer or constant "
                                 "used outside a module): cnnlib cannot count it")
        if not tensors:
            if error is not None:
                raise error
            self.cn[n] = None  # a tensor made inside forward (a parameter read, torch.zeros …)
            return value
        self.cn[n] = self._convert(n, args, kwargs, cargs, tensors, value, error)
        return value

    def _convert(self, n, args, kwargs, cargs, tensors, value, error):
        out_shape = None if value is None else tuple(value.shape)
        if n.op == "call_module":
            layer = self._module(n)
            k = self.calls[n.target] = self.calls.get(n.target, 0) + 1
            row = n.target if k == 1 else f"{n.target}#{k}"
            if len(tensors) != 1 or len(args) != 1 or kwargs:
                raise _unsupported(f"{n.target} called with extra arguments", n)
        else:
            if n.op == "call_method":
                kind, sig = METHODS.get(n.target, (None, None))
                what = f"torch.Tensor.{n.target}"
            else:
                kind, sig = self.functions.get(n.target, (None, None))
                what = _fn_name(n.target)
            if kind is None:
                raise _unsupported(what, n)
            shape = tensors[0].shape
            if kind == "getitem" and not isinstance(cargs[0], Tensor):  # one output of a list or tuple
                if isinstance(args[1], int) and isinstance(cargs[0], (list, tuple)) \
                        and isinstance(cargs[0][args[1]], Tensor):
                    return cargs[0][args[1]]
                raise _unsupported("indexing a collection of tensors", n)
            if kind == "getitem":
                layer = _crop_layer(args[1], shape)
            else:
                layer = _function_layer(kind, _bind(sig, args, kwargs), shape, out_shape or (), tensors)
            if layer is None:
                raise _unsupported(f"{what} with these arguments", n)
            row = n.name
            if layer is PASS:
                if error is not None:
                    raise ShapeError(f"node {n.name!r}: torch refuses it: {error}") from None
                return tensors[0]
        while row in self.used:
            row += "_"
        self.used.add(row)
        t = layer(*tensors, name=row)
        if error is not None:
            raise ShapeError(f"{row}: torch refuses this input ({type(error).__name__}: "
                             f"{str(error).splitlines()[0][:300]})") from None
        if t.shape != out_shape[1:]:
            raise ShapeError(f"{row}: cnnlib gives {t.shape} but torch {out_shape[1:]}; please report this")
        return t

    def _module(self, n):
        """The cnnlib layer of a call_module node's module (one object per module: shared weights)."""
        sub = self.gm.get_submodule(n.target)
        layer = self.layers.get(id(sub))
        if layer is None:
            layer = _module_layer(sub)
            if layer is None:
                raise ShapeError(f"{n.target}: {_qual(sub)} is not supported by cnnlib.from_torch (node "
                                 f"{n.name!r}); cnnlib has layers for: {', '.join(sorted(L.LAYERS))}")
            self.layers[id(sub)] = layer
        return layer

    # -- the model -------------------------------------------------------------------------
    def model(self, name):
        return finish(self.input, _flat(self.outputs), name)


def _flat(x):
    """The leaves of nested tuples, lists, dicts and slices."""
    if isinstance(x, (tuple, list)):
        for v in x:
            yield from _flat(v)
    elif isinstance(x, dict):
        for v in x.values():
            yield from _flat(v)
    elif isinstance(x, slice):
        yield from _flat((x.start, x.stop, x.step))
    else:
        yield x
