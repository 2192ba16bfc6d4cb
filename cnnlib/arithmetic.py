"""Output sizes of sliding-window layers along one dimension.

Notation (used across the book): n input size, k kernel size, s stride, p padding on
*each* side, d dilation, o output size.  The one formula is

    o = ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1

and every special case ('valid', 'same', pooling, ceil_mode) is that formula with
values plugged in.  Where PyTorch 2.13 refuses a layer, these functions raise
:class:`cnnlib.ShapeError` with the formula, the numbers and a way out.
"""

from __future__ import annotations

import math
import operator
from fractions import Fraction
from typing import NamedTuple

from .errors import DimensionProblem, ShapeError

__all__ = [
    "Window",
    "check_int",
    "conv_formula",
    "conv_output_size",
    "conv_window",
    "effective_kernel",
    "fmt_exact",
    "pool_formula",
    "pool_output_size",
    "pool_window",
    "same_padding",
    "short_repr",
]

PADDING_MODES = ("valid", "same")

_DimProblem = DimensionProblem  # the name used inside this module


# --------------------------------------------------------------------------- checks


def fmt_exact(x, digits: int = 4) -> str:
    """An exact number for a message: 55, -0.5, 54.25 — `digits` significant digits when it is
    not whole (as Python's ``.4g``), for integers and fractions of any size.

    >>> fmt_exact(Fraction(217, 4)), fmt_exact(Fraction(-1, 2)), fmt_exact(Fraction(13, 3))
    ('54.25', '-0.5', '4.333')
    >>> fmt_exact(Fraction(10**400, 3))
    '3.333e+399'
    """
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    if abs(x) < Fraction(10) ** 300:
        return f"{float(x):.{digits}g}"
    # beyond float's range: significant digits by integer arithmetic
    sign, x = ("-" if x < 0 else ""), abs(x)
    e = len(str(x.numerator // x.denominator)) - 1
    m = round(x / Fraction(10) ** (e - digits + 1))
    if m >= 10**digits:
        m, e = round(Fraction(m, 10)), e + 1
    d = str(m).rstrip("0") or "0"
    return f"{sign}{d[0]}{'.' + d[1:] if len(d) > 1 else ''}e+{e:02d}"


#: the largest number of digits a size, kernel or count may have: arithmetic is exact at any
#: size, but a result must stay printable (Python refuses to print ints over 4,300 digits, and
#: a parameter count multiplies up to a dozen of these numbers)
MAX_DIGITS = 300
_LIMIT = 10**MAX_DIGITS


def check_int(name: str, value, minimum: int) -> int:
    """`value` as an int ≥ `minimum` (and below 10^300), or DimensionProblem saying what is wrong.

    >>> check_int("stride", 2, 1)
    2
    """
    # PyTorch refuses floats, even 3.0, for sizes; bools are ints to Python (and to torch)
    # but never what a reader means, so they are refused too.  numpy integers are fine.
    if type(value) is int and minimum <= value < _LIMIT:
        return value
    if isinstance(value, (bool, float, str)):
        raise _DimProblem(f"{name} must be a whole number, got {short_repr(value)}")
    try:
        value = operator.index(value)
    except TypeError:
        raise _DimProblem(f"{name} must be a whole number, got {short_repr(value)}") from None
    if abs(value) >= _LIMIT:
        raise _DimProblem(f"{name} is about 10^{int(abs(value).bit_length() * 0.30103)}: cnnlib "
                          f"works with numbers below 10^{MAX_DIGITS}")
    if value < minimum:
        rule = {0: "≥ 0", 1: "≥ 1"}.get(minimum, f"≥ {minimum}")
        why = {
            "stride": "a window cannot move by zero or a negative step",
            "dilation": "a dilation of 1 is a plain kernel; 0 or less has no meaning",
            "padding": "padding adds rows and columns; it cannot remove them",
            "kernel": "a window must cover at least one element",
            "input size": "a feature map needs at least one row and one column",
        }.get(name, "")
        raise _DimProblem(f"{name} = {value} must be {rule}" + (f" ({why})" if why else ""))
    return value


def short_repr(value, limit: int = 60) -> str:
    """repr() for a message: cut to `limit` characters, and safe for integers too long to print
    (Python refuses to write an int of more than 4,300 digits).

    >>> short_repr(10**5000), short_repr("abc")
    ('an integer of about 5000 digits', "'abc'")
    """
    try:
        text = repr(value)
    except ValueError:  # a huge int, or a container holding one
        text = (f"an integer of about {int(abs(value).bit_length() * 0.30103)} digits"
                if isinstance(value, int) else f"a {type(value).__name__} holding a huge integer")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _span(k: int, d: int) -> int:
    return d * (k - 1) + 1


def effective_kernel(kernel: int, dilation: int = 1) -> int:
    """Span of a dilated kernel: d·(k − 1) + 1.

    >>> effective_kernel(3, dilation=2)
    5
    """
    try:
        k = check_int("kernel", kernel, 1)
        d = check_int("dilation", dilation, 1)
    except _DimProblem as e:
        raise ShapeError(f"effective_kernel(kernel={short_repr(kernel)}, dilation={short_repr(dilation)}): "
                         f"{e}") from None
    return d * (k - 1) + 1


# ------------------------------------------------------------------- one dimension


class Window(NamedTuple):
    """The numbers of one sliding-window dimension after checking (all ints).

    n input size, k kernel, s stride, before/after the padding on each side (equal unless
    'same' needs an odd total), d dilation, out the output size PyTorch keeps.

    >>> w = conv_window(10, 3, 2)
    >>> w.out, w.exact, w.unread
    (4, Fraction(9, 2), 1)
    """

    n: int
    k: int
    s: int
    before: int  # padding before (top/left)
    after: int  # padding after (bottom/right)
    d: int
    out: int

    @property
    def padded(self) -> int:
        """n + padding on both sides."""
        return self.n + self.before + self.after

    @property
    def span(self) -> int:
        """d·(k − 1) + 1: the cells one window covers, first tap to last."""
        return self.d * (self.k - 1) + 1

    @property
    def stride(self) -> int:
        """s — with ``span`` and ``before``, a window is its own receptive-field step
        (:class:`cnnlib.RFStep`)."""
        return self.s

    @property
    def exact(self) -> Fraction:
        """(n + before + after − d·(k − 1) − 1)/s + 1 before any rounding."""
        return Fraction(self.padded - self.span, self.s) + 1

    @property
    def unread(self) -> int:
        """Cells at the end of the padded input that no window reaches (0 when the windows
        reach the end or hang over it, as a ceil-mode window may): (n + 2p − span) mod s
        for a floored layer."""
        return max(self.padded - ((self.out - 1) * self.s + self.span), 0)

    def starts(self) -> list[int]:
        """First tap of every window in input coordinates (−before is the first padding cell)."""
        return [i * self.s - self.before for i in range(self.out)]


#: make a Window from a tuple of its seven values without the generated __new__ (hot path)
new_window = tuple.__new__


def _too_big_advice(n, k, s, before, after, d, *, max_pad=None) -> str:
    padded = n + before + after
    eff = _span(k, d)
    if d == 1:
        head = f"kernel {k} is larger than the padded input {padded}"
    else:
        head = (f"the dilated kernel spans {eff} = {d}·({k}−1) + 1, "
                f"more than the padded input {padded}")
    fixes = []
    need = -(-(eff - n) // 2)  # ⌈(span − n)/2⌉ in integers: exact at any size
    if max_pad is None or need <= max_pad:
        fixes.append(f"add padding ≥ {need}")
    fixes.append(f"use a kernel ≤ {(padded - 1) // d + 1}")
    if d > 1 and k > 1:
        fixes.append(f"a dilation ≤ {max(1, (padded - 1) // (k - 1))}")
    return f"{head}; {' or '.join(fixes)} (or an input ≥ {eff - before - after})"


def conv_dim(n: int, k: int, s: int, before: int, after: int, d: int) -> Window:
    """One convolution dimension from numbers already checked (ints; n ≥ 0, k, s, d ≥ 1,
    padding ≥ 0): the Window, or DimensionProblem with the formula and a way out."""
    num = n + before + after - d * (k - 1) - 1
    if num < 0:
        value = Fraction(num, s) + 1  # (n + 2p − d(k−1) − 1)/s + 1, exact
        raise _DimProblem(
            f"{conv_formula(n, k, s, before, d, value=value)} < 1 — "
            + _too_big_advice(n, k, s, before, after, d)
        )
    return Window(n, k, s, before, after, d, num // s + 1)


def conv_window(n, kernel, stride=1, padding=0, dilation=1, *, empty_ok=False) -> Window:
    """Checked numbers for one convolution dimension (raises DimensionProblem).

    ``padding`` is an int ≥ 0, 'valid' or 'same' (Keras: o = ⌈n/s⌉, the odd padding after).
    ``empty_ok``: allow n = 0 with numeric padding — PyTorch does for a zero-channel
    input, as long as the padded size 2p still holds the (dilated) kernel.
    """
    n = check_int("input size", n, 0 if empty_ok and not isinstance(padding, str) else 1)
    k = check_int("kernel", kernel, 1)
    s = check_int("stride", stride, 1)
    d = check_int("dilation", dilation, 1)
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "valid":
            return conv_dim(n, k, s, 0, 0, d)
        if mode == "same":
            check_same(s, d)
            return same_dim(n, k, s, d)
        raise _DimProblem(f"padding must be an int ≥ 0, 'valid' or 'same', got {short_repr(padding)}")
    p = check_int("padding", padding, 0)
    return conv_dim(n, k, s, p, p, d)


def same_dim(n: int, k: int, s: int, d: int) -> Window:
    """Keras 'same' along one checked dimension: o = ⌈n/s⌉, the odd padding after."""
    before, after = _same_pad(n, k, s, d)
    return Window(n, k, s, before, after, d, -(-n // s))


def check_pool_padding(k: int, d: int, p: int) -> None:
    """PyTorch pads a pooling window by at most half its size (DimensionProblem otherwise)."""
    if p > k // 2 or p > _span(k, d) // 2:
        raise _DimProblem(
            f"padding {p} is more than half the kernel ({k} // 2 = {k // 2}); "
            f"PyTorch pads a pooling window by at most half its size — use padding ≤ {k // 2} "
            f"or a kernel ≥ {2 * p}"
        )


def pool_dim(n: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> Window:
    """One pooling dimension (PyTorch's rules) from checked numbers (n ≥ 1; padding ≤ k/2)."""
    eff = _span(k, d)
    num = n + 2 * p - eff + (s - 1 if ceil_mode else 0)
    out = num // s + 1  # floor division rounds toward −∞ like torch's div_rtn
    if ceil_mode and out >= 1 and (out - 1) * s >= n + p:
        out -= 1  # the last window would start in the right padding: PyTorch drops it
    if out < 1:
        value = Fraction(n + 2 * p - eff, s)
        value = (math.ceil(value) if ceil_mode else value) + 1
        raise _DimProblem(
            f"{pool_formula(n, k, s, p, d, ceil_mode, value=value)} < 1 — "
            + _too_big_advice(n, k, s, p, p, d, max_pad=k // 2)
        )
    return Window(n, k, s, p, p, d, out)


def pool_window(n, kernel, stride=None, padding=0, dilation=1, ceil_mode=False) -> Window:
    """Checked numbers for one pooling dimension, PyTorch's rules (raises DimensionProblem)."""
    n = check_int("input size", n, 1)
    k = check_int("kernel", kernel, 1)
    s = k if stride is None else check_int("stride", stride, 1)
    d = check_int("dilation", dilation, 1)
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "valid":
            padding = 0
        elif mode == "same":  # Keras/TensorFlow pooling: o = ⌈n/s⌉, extra on the right
            check_pool_same(d)
            return same_dim(n, k, s, d)
        else:
            raise _DimProblem(f"padding must be an int ≥ 0, 'valid' or 'same', got {short_repr(padding)}")
    p = check_int("padding", padding, 0)
    check_pool_padding(k, d, p)
    return pool_dim(n, k, s, p, d, ceil_mode)


def check_pool_same(d: int) -> None:
    if d != 1:
        raise _DimProblem(
            f"padding='same' with dilation {d}: Keras pooling has no dilation and "
            "PyTorch pooling has no 'same'; use dilation=1 or an explicit padding")


def check_same(s: int, d: int) -> None:
    """'same' exists for stride 1 (PyTorch and Keras) or dilation 1 (Keras) — not both > 1."""
    if s > 1 and d > 1:
        raise _DimProblem(
            f"padding='same' with stride {s} and dilation {d}: Keras refuses strides > 1 with "
            "dilation_rate > 1 and PyTorch refuses 'same' with strides > 1; use stride 1, "
            "dilation 1 or an explicit padding"
        )


def _same_pad(n: int, k: int, s: int, d: int) -> tuple[int, int]:
    total = max((-(-n // s) - 1) * s + _span(k, d) - n, 0)
    return total // 2, total - total // 2


# ------------------------------------------------------------------ public functions


def _public(call: str, fn, *args, **kw) -> int:
    try:
        return fn(*args, **kw).out
    except _DimProblem as e:
        raise ShapeError(f"{call}: {e}") from None


def _call_repr(name, n, kernel, **kw) -> str:
    parts = [f"n={short_repr(n)}", f"kernel={short_repr(kernel)}"] + [
        f"{k}={short_repr(v)}" for k, v in kw.items()]
    return f"{name}({', '.join(parts)})"


def conv_output_size(n, kernel, stride=1, padding=0, dilation=1) -> int:
    """Output size of a convolution along one dimension.

    o = ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1.  ``padding`` is an int ≥ 0 (on each side),
    ``"valid"`` (p = 0) or ``"same"`` with TensorFlow/Keras semantics for any stride:
    o = ⌈n / s⌉, the extra padding on the bottom/right (see :func:`same_padding`).
    PyTorch refuses ``padding="same"`` with stride > 1; cnnlib follows Keras there.
    Keras refuses stride > 1 together with dilation > 1, so with ``"same"`` (which only
    the two frameworks define) that combination raises :class:`ShapeError`; with a
    number or ``"valid"`` it follows PyTorch, which computes it.
    Sizes are Python/numpy ints; floats (even 3.0) and bools raise ShapeError.

    >>> conv_output_size(227, 11, stride=4)
    55
    >>> conv_output_size(224, 3, padding=1)
    224
    >>> conv_output_size(7, 3, stride=2, padding="same")
    4
    """
    call = _call_repr("conv_output_size", n, kernel, stride=stride, padding=padding, dilation=dilation)
    return _public(call, conv_window, n, kernel, stride, padding, dilation)


def pool_output_size(n, kernel, stride=None, padding=0, dilation=1, ceil_mode=False) -> int:
    """Output size of a max/average pooling window along one dimension, PyTorch's rules.

    Floor mode: o = ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1.  ceil_mode: the ⌊⌋ becomes ⌈⌉,
    but a last window that would start in the right padding (at (o − 1)·s ≥ n + p) is
    dropped.  PyTorch allows p ≤ k/2 only.  ``stride=None`` means s = k.
    ``"valid"`` is p = 0; ``"same"`` is Keras' o = ⌈n / s⌉.

    >>> pool_output_size(55, 3, stride=2)
    27
    >>> pool_output_size(11, 2)
    5
    >>> pool_output_size(11, 2, ceil_mode=True)
    6
    """
    call = _call_repr("pool_output_size", n, kernel, stride=stride, padding=padding,
                      dilation=dilation, ceil_mode=ceil_mode)
    return _public(call, pool_window, n, kernel, stride, padding, dilation, ceil_mode)


def same_padding(n, kernel, stride=1, dilation=1) -> tuple[int, int]:
    """(before, after) padding that TensorFlow/Keras 'same' adds along one dimension.

    total = max((⌈n/s⌉ − 1)·s + d·(k − 1) + 1 − n, 0); before = ⌊total/2⌋ and the
    odd one goes after (bottom/right), which is where Keras 3 puts it (checked in
    tests/oracle/test_keras_same.py).  With stride 1 it is PyTorch's ``padding="same"`` too.
    Stride > 1 with dilation > 1 raises ShapeError, as Keras does.

    >>> same_padding(224, 3)
    (1, 1)
    >>> same_padding(10, 4)
    (1, 2)
    >>> same_padding(7, 3, stride=2)
    (1, 1)
    """
    call = _call_repr("same_padding", n, kernel, stride=stride, dilation=dilation)
    try:
        w = conv_window(n, kernel, stride, "same", dilation)
    except _DimProblem as e:
        raise ShapeError(f"{call}: {e}") from None
    return w.before, w.after


# --------------------------------------------------------------------- formulas


def _formula_numbers(call: str, n, k, s, p, d) -> None:
    try:
        check_int("input size", n, 1)
        check_int("kernel", k, 1)
        check_int("stride", s, 1)
        check_int("padding", p, 0)
        check_int("dilation", d, 1)
    except _DimProblem as e:
        raise ShapeError(f"{call}: {e}") from None


def conv_formula(n, k, s=1, p=0, d=1, *, value=None) -> str:
    """The one formula with numbers plugged in, as a line of text.

    o = ⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1 with n, k, s, p (a number, on each side), d
    filled in.  An impossible layer raises :class:`ShapeError` (whose message shows the
    formula without the floor and its value below 1).

    >>> conv_formula(227, 11, 4)
    '⌊(227 + 2·0 − 1·(11−1) − 1)/4⌋ + 1 = 55'
    """
    call = f"conv_formula({', '.join(map(short_repr, (n, k, s, p, d)))})"
    _formula_numbers(call, n, k, s, p, d)
    body = f"({n} + 2·{p} − {d}·({k}−1) − 1)/{s}"
    if value is not None:  # an impossible layer: show the exact value, no floor
        return f"{body} + 1 = {fmt_exact(value)}"
    try:
        out = conv_window(n, k, s, p, d).out
    except _DimProblem as e:
        raise ShapeError(f"{call}: {e}") from None
    return f"⌊{body}⌋ + 1 = {out}"


def pool_formula(n, k, s, p=0, d=1, ceil_mode=False, *, value=None) -> str:
    """The pooling formula with numbers plugged in (⌈⌉ in ceil_mode).

    Floor mode is the one formula; ceil_mode rounds up and says so when PyTorch drops a
    last window that would start in the right padding.  ``s=None`` means s = k.

    >>> pool_formula(55, 3, 2)
    '⌊(55 + 2·0 − 1·(3−1) − 1)/2⌋ + 1 = 27'
    >>> pool_formula(6, 2, 2, p=1, ceil_mode=True)
    '⌈(6 + 2·1 − 1·(2−1) − 1)/2⌉ + 1 = 4'
    """
    call = f"pool_formula({', '.join(map(short_repr, (n, k, s, p, d)))}, ceil_mode={short_repr(ceil_mode)})"
    if s is None:
        s = k
    _formula_numbers(call, n, k, s, p, d)
    body = f"({n} + 2·{p} − {d}·({k}−1) − 1)/{s}"
    if value is not None:
        return (f"⌈{body}⌉ + 1 = {fmt_exact(value)}" if ceil_mode else f"{body} + 1 = {fmt_exact(value)}")
    try:
        w = pool_window(n, k, s, p, d, ceil_mode)
    except _DimProblem as e:
        raise ShapeError(f"{call}: {e}") from None
    if not ceil_mode:
        return f"⌊{body}⌋ + 1 = {w.out}"
    raw = math.ceil(Fraction(n + 2 * p - d * (k - 1) - 1, s)) + 1
    text = f"⌈{body}⌉ + 1 = {raw}"
    if raw != w.out:
        text += f", minus the last window, which would start in the right padding = {w.out}"
    return text
