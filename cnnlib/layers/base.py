"""What every layer knows about itself: the :class:`Facts` of one input shape.

A layer is a small frozen dataclass.  Its hyper-parameters are checked once, when it is
made; ``facts(in_shape)`` then checks the input and returns *every* per-layer fact in one
record — output shape, weights, biases, buffers, MACs, bias adds, whether the output is a
new tensor kept for the backward pass, the sliding windows per spatial axis and the
receptive-field step.  The convenience methods (``output_shape``, ``params``, ``macs`` …)
read that record.  The base class defines no fact: a new layer type that does not say
all of them raises ``NotImplementedError`` instead of being silently wrong, and ``kind``
is only for display (summary names, diagram colours).

Shapes are channels-first tuples as in PyTorch, without the batch dimension:
(C, H, W) for images, (C, L) for sequences, (C, D, H, W) for volumes, (F,) for vectors.

* weights + biases are what ``sum(p.numel() for p in module.parameters())`` counts in
  PyTorch; BatchNorm's running mean and variance are *buffers*.
* MACs are the multiply–accumulates of one forward pass for one input, of convolution
  and dense layers only (output elements × C_in/g · kernel elements; in·out); bias
  additions are counted separately (``bias_adds``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import ClassVar

from ..arithmetic import _LIMIT, Window, check_int, new_window, short_repr
from ..errors import DimensionProblem, ShapeError
from ..facts import GLOBAL, IRREGULAR, POINTWISE, Facts, RFStep, shape_str

__all__ = ["GLOBAL", "IRREGULAR", "POINTWISE", "Facts", "Layer", "RFStep", "shape_str"]

def _show(v):
    """(3, 3) → 3 for reprs; non-square tuples stay tuples."""
    if isinstance(v, tuple) and v and len(set(v)) == 1:
        return v[0]
    return v


def _pos(**kw):
    """A dataclass field written positionally in the layer's repr."""
    return field(metadata={"positional": True}, **kw)


@dataclass(frozen=True, repr=False)
class Layer:
    """Base class of every layer; subclasses define :meth:`_facts` (see the module docstring)."""

    kind: ClassVar[str] = "layer"  # for display only: summary names and diagram colours
    arity: ClassVar[int | None] = 1  # inputs it reads; None: any number ≥ 2 (merges)
    spatial: ClassVar[int | None] = None  # spatial axes of its input, when fixed (Conv2d: 2)

    # -- the facts ----------------------------------------------------------------------
    def facts(self, in_shape) -> Facts:
        """Every fact of this layer on ``in_shape`` (one checked call)."""
        if self.arity == 1:
            return self._facts(self._checked(in_shape))
        try:
            shapes = tuple(in_shape)
        except TypeError:
            raise ShapeError(f"{self!r}: expects a list of input shapes, got {in_shape!r}") from None
        return self._facts(tuple(self._checked(s) for s in shapes))

    def _facts(self, shape) -> Facts:
        """The facts for a checked shape (a tuple of ints ≥ 0; a tuple of them for merges)."""
        raise NotImplementedError(
            f"{type(self).__name__} does not define its facts (output shape, weights, biases, "
            "buffers, MACs, bias adds, saved output, windows, receptive-field step): "
            "implement _facts() so that no count is silently wrong")

    def output_shape(self, in_shape) -> tuple:
        return self.facts(in_shape).out_shape

    def params(self, in_shape) -> int:
        """weights + biases, as PyTorch's ``parameters()`` counts them."""
        return self.facts(in_shape).params

    def weights(self, in_shape) -> int:
        return self.facts(in_shape).weights

    def biases(self, in_shape) -> int:
        return self.facts(in_shape).biases

    def buffers(self, in_shape) -> int:
        """Non-trainable state PyTorch keeps (BatchNorm's running statistics)."""
        return self.facts(in_shape).buffers

    def macs(self, in_shape) -> int:
        return self.facts(in_shape).macs

    def bias_adds(self, in_shape) -> int:
        return self.facts(in_shape).bias_adds

    def windows(self, in_shape) -> tuple | None:
        """One :class:`cnnlib.arithmetic.Window` per spatial axis, or None."""
        return self.facts(in_shape).windows

    def hyper(self) -> str:
        """Kernel/stride/padding for a summary row ('' when there is none)."""
        return ""

    # -- the functional API ---------------------------------------------------------
    def __call__(self, *tensors, name: str | None = None):
        """``Conv2d(8, 3)(x)``: a new tensor of a graph model (see :func:`cnnlib.Input`)."""
        from ..graph import apply_layer  # the graph knows layers only through this call

        return apply_layer(self, tensors, name)

    # -- helpers --------------------------------------------------------------------
    def __repr__(self) -> str:
        args, kwargs = [], []
        for f in fields(self):
            if not f.repr:
                continue
            v = getattr(self, f.name)
            if f.metadata.get("positional"):
                args.append(repr(_show(v)))
            elif _show(v) != f.default and v != f.default:
                kwargs.append(f"{f.name}={_show(v)!r}")
        return f"{type(self).__name__}({', '.join(args + kwargs)})"

    def _error(self, in_shape, message: str) -> ShapeError:
        return ShapeError(f"{self!r} on {shape_str(in_shape) or '()'}: {message}")

    def _argument(self, name: str, value, minimum: int) -> int:
        """A checked hyper-parameter, or a ShapeError naming this layer."""
        if type(value) is int and minimum <= value < _LIMIT:  # the common case
            return value
        try:
            return check_int(name, value, minimum)
        except DimensionProblem as e:
            raise ShapeError(f"{type(self).__name__}: {e}") from None

    def _checked(self, in_shape) -> tuple:
        """The input shape as a tuple of ints ≥ 0 (numpy integers accepted), or ShapeError."""
        if type(in_shape) is tuple and all(type(x) is int and 0 <= x < _LIMIT for x in in_shape):
            return in_shape
        if isinstance(in_shape, (str, bytes)):
            raise ShapeError(f"{self!r}: the input shape must be a tuple such as (3, 224, 224), "
                             f"got {short_repr(in_shape)}")
        try:
            shape = tuple(in_shape)
        except TypeError:
            raise ShapeError(f"{self!r}: the input shape must be a tuple such as (3, 224, 224), "
                             f"got {short_repr(in_shape)}") from None
        try:
            return tuple(check_int("size", x, 0) for x in shape)
        except DimensionProblem as e:
            raise ShapeError(f"{self!r} on {short_repr(shape)}: sizes must be whole numbers ≥ 0 ({e})") from None

    def _rank(self, shape, ndim: int, what: str) -> None:
        if len(shape) != ndim:
            raise ShapeError(f"{self!r} on {shape_str(shape) or '()'}: expects a {what} input "
                             f"({ndim} numbers, channels first), got {len(shape)}")


def join_problems(dims, problems) -> str:
    """'height: X; width: X' → 'height and width: X' when both dimensions fail alike."""
    texts = [p.split(": ", 1)[1] for p in problems]
    if len(problems) == len(dims) > 1 and len(set(texts)) == 1:
        return f"{' and '.join(dims)}: {texts[0]}"
    return "; ".join(problems)


def window_rf(windows) -> tuple:
    """The receptive-field steps of sliding windows: the windows themselves (each has span
    d·(k − 1) + 1, stride s and the padding before)."""
    return tuple(windows)


def floor_windows(shape, ks, ss, ds, ps) -> list:
    """The floor-mode :class:`Window` of each spatial axis of ``shape`` (C, …) for kernel sizes
    ``ks``, strides ``ss``, dilations ``ds`` and numeric paddings ``ps`` (the same on both sides):
    the fast path of a convolution's or pooling layer's facts.  It stops at the first axis that
    needs the checks and messages of the slow path (padding given as a word, an empty map, a
    window larger than the padded map): the list is then shorter than the number of axes.

    >>> [w.out for w in floor_windows((3, 10, 9), (3, 3), (2, 2), (1, 1), (0, 1))]
    [4, 5]
    >>> len(floor_windows((3, 2), (3,), (1,), (1,), (0,)))
    0
    """
    wins = []
    for i in range(len(ks)):
        n, k, s, d, p = shape[1 + i], ks[i], ss[i], ds[i], ps[i]
        if type(p) is not int or n < 1:
            break
        num = n + 2 * p - d * (k - 1) - 1
        if num < 0:
            break
        wins.append(new_window(Window, (n, k, s, p, p, d, num // s + 1)))
    return wins

def floor_windows_2d(h, w, ks, ss, ds, ps):
    """:func:`floor_windows` of an (H, W) map written out for two axes — the commonest case of a
    convolution's or pooling layer's facts: the pair of Windows, or None where the slow path must
    speak (padding given as a word, an empty map, a window larger than the padded map).  A square
    window on a square map is one (immutable) Window for both axes.

    >>> wh, ww = floor_windows_2d(10, 10, (3, 3), (2, 2), (1, 1), (1, 1))
    >>> wh.out, wh is ww
    (5, True)
    >>> floor_windows_2d(2, 9, (3, 3), (1, 1), (1, 1), (0, 0)) is None
    True
    """
    ph, pw = ps
    if ph.__class__ is not int or pw.__class__ is not int or not h or not w:
        return None
    kh, kw = ks
    sh, sw = ss
    dh, dw = ds
    nh, nw = h + 2 * ph - dh * (kh - 1) - 1, w + 2 * pw - dw * (kw - 1) - 1
    if nh < 0 or nw < 0:
        return None
    wh = new_window(Window, (h, kh, sh, ph, ph, dh, nh // sh + 1))
    if h == w and kh == kw and sh == sw and ph == pw and dh == dw:
        return wh, wh
    return wh, new_window(Window, (w, kw, sw, pw, pw, dw, nw // sw + 1))


AXES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def _same_parameters(fn, init_fields) -> bool:
    """Whether ``fn(self, …)`` takes exactly the dataclass ``__init__``'s parameters: the fields'
    names in order, each with the field's default (a subclass that adds a field gets its own)."""
    from dataclasses import MISSING

    code = fn.__code__
    if code.co_kwonlyargcount or code.co_varnames[1:code.co_argcount] != tuple(f.name for f in init_fields):
        return False
    defaults = tuple(f.default for f in init_fields if f.default is not MISSING)
    n_required = len(init_fields) - len(defaults)
    return (fn.__defaults__ or ()) == defaults and all(f.default is MISSING for f in init_fields[:n_required])


def fast_init(cls):
    """Give a frozen dataclass layer an ``__init__`` that stores its fields with one dict write each.

    The ``__init__`` that ``dataclass(frozen=True)`` writes calls ``object.__setattr__`` per
    field, which costs more than the rest of making a convolution; a model makes one layer per
    row, so cnnlib writes the same ``__init__`` (same parameters, defaults and order, then
    ``__post_init__``) storing into ``self.__dict__`` directly, as dataclasses itself does:
    by generating the function's text from the class's fields.  Equality, hashing, repr and
    immutability are still the dataclass's.  A class may write its own as ``_direct_init``
    (the common case of its arguments checked and stored in one step); it is used when its
    parameters are exactly the fields', with the same defaults — otherwise (a subclass with
    another field) the generated one is.
    """
    from dataclasses import MISSING

    direct = getattr(cls, "_direct_init", None)
    if direct is not None and _same_parameters(direct, [f for f in fields(cls) if f.init]):
        cls.__init__ = direct  # a hand-written one with the common case in line (see _ConvNd)
        return cls
    params, lines, env = [], [], {}
    for f in fields(cls):
        if not f.init:
            continue
        if not f.name.isidentifier():  # pragma: no cover - fields are code identifiers
            raise TypeError(f.name)
        if f.default is not MISSING:
            env[f"_d_{f.name}"] = f.default
            params.append(f"{f.name}=_d_{f.name}")
        else:
            params.append(f.name)
        lines.append(f"    d[{f.name!r}] = {f.name}")
    post = "    self.__post_init__()\n" if hasattr(cls, "__post_init__") else ""
    src = (f"def __init__(self, {', '.join(params)}):\n    d = self.__dict__\n"
           + "\n".join(lines) + "\n" + post)
    exec(src, env)  # noqa: S102 — code made here from the class's own field names, as dataclasses does
    env["__init__"].__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = env["__init__"]
    return cls
