"""The other half of convolution arithmetic: sizes that grow — transposed convolution and resizing.

Notation as in :mod:`cnnlib.arithmetic` (n input size, k kernel, s stride, p padding on each
side, d dilation), plus a, the ``output_padding``.  A transposed convolution is the gradient
of a convolution with the same n, k, s, p, d; its output size is

    o = (n − 1)·s − 2p + d·(k − 1) + a + 1

Why ``a`` exists: a convolution floors, so ⌊(i + 2p − d·(k − 1) − 1)/s⌋ + 1 gives the same
n for s different input sizes i; the transpose must be told which one to give back, and
PyTorch requires a < s or a < d (otherwise the extra rows could not come from the floor).
Seen as a direct convolution (Dumoulin & Visin's relationships 8–14): insert s − 1 zeros
between the n inputs, pad d·(k − 1) − p on each side (plus a at the end), and slide the
kernel with stride 1.

Keras writes ``padding='valid'`` / ``'same'`` instead of p: 'valid' gives
(n − 1)·s + max(d·(k − 1) + 1, s) and 'same' gives n·s (when a is not given).

>>> conv_transpose_output_size(16, 4, stride=2, padding=1)
32
>>> conv_transpose_output_size(7, 3, stride=2, padding=1, output_padding=1)
14
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from .arithmetic import check_int, conv_output_size, fmt_exact, short_repr
from .errors import DimensionProblem, ShapeError

__all__ = [
    "GUIDE_RELATIONSHIPS",
    "GuideCase",
    "TransposeWindow",
    "conv_inputs_for",
    "conv_transpose_dim",
    "conv_transpose_formula",
    "conv_transpose_output_size",
    "guide_case",
    "guide_relationship_of",
    "keras_transpose_dim",
    "output_padding_for",
    "scaled_size",
]


@dataclass(frozen=True)
class TransposeWindow:
    """One dimension of a transposed convolution, as the direct convolution it equals.

    ``stretched`` = (n − 1)·s + 1 cells after inserting s − 1 zeros between inputs;
    ``before``/``after`` the zero padding around them: d·(k − 1) − p each, plus a after (a
    negative value crops); the kernel then slides with stride 1 and gives ``out`` cells.
    """

    n: int
    k: int
    s: int
    p: int
    a: int
    d: int
    out: int

    @property
    def span(self) -> int:
        return self.d * (self.k - 1) + 1

    @property
    def stretched(self) -> int:
        return (self.n - 1) * self.s + 1

    @property
    def before(self) -> int:
        return self.d * (self.k - 1) - self.p

    @property
    def after(self) -> int:
        return self.d * (self.k - 1) - self.p + self.a

    def taps_per_output(self) -> list[int]:
        """How many kernel taps land on a real (non-inserted, non-padding) input for each output
        cell — the overlap that makes checkerboard artefacts when it varies.

        >>> conv_transpose_dim(4, 3, 2, 0, 0, 1).taps_per_output()
        [1, 1, 2, 1, 2, 1, 2, 1, 1]
        """
        counts = []
        for o in range(self.out):
            # output o reads stretched positions o − before … o − before + span − 1, every d-th
            c = 0
            for t in range(self.k):
                q = o - self.before + t * self.d
                if 0 <= q < self.stretched and q % self.s == 0:
                    c += 1
            counts.append(c)
        return counts


def _transpose_advice(n, k, s, p, a, d, value) -> str:
    grow = (n - 1) * s + d * (k - 1) + a + 1
    return (f"{conv_transpose_formula_text(n, k, s, p, a, d)} = {fmt_exact(value)} < 1 — the padding "
            f"removes more than the {grow} cells the layer makes; use padding ≤ {(grow - 1) // 2}")


def conv_transpose_formula_text(n, k, s, p, a, d) -> str:
    return f"({n} − 1)·{s} − 2·{p} + {d}·({k}−1) + {a} + 1"


def conv_transpose_dim(n: int, k: int, s: int, p: int, a: int, d: int) -> TransposeWindow:
    """One transposed-convolution dimension from checked numbers (n ≥ 1, k, s, d ≥ 1, p, a ≥ 0),
    PyTorch's rules: a < s or a < d, and an output ≥ 1 (DimensionProblem otherwise)."""
    if not (a < s or a < d):
        raise DimensionProblem(
            f"output_padding {a} must be smaller than the stride {s} or the dilation {d} "
            f"(it picks one of the {max(s, d)} input sizes that the convolution maps to the same "
            f"output); use output_padding ≤ {max(s, d) - 1}")
    out = (n - 1) * s - 2 * p + d * (k - 1) + a + 1
    if out < 1:
        raise DimensionProblem(_transpose_advice(n, k, s, p, a, d, out))
    return TransposeWindow(n, k, s, p, a, d, out)


def keras_transpose_dim(n: int, k: int, s: int, mode: str, a, d: int) -> TransposeWindow:
    """Keras' ``padding='valid'|'same'`` for a transposed convolution, as the equivalent p, a.

    'valid': o = (n − 1)·s + span + a, with a = max(span, s) − span when not given;
    'same': o = n·s when a is not given, else (n − 1)·s + span mod 2 + a.  The window is
    reported with PyTorch's p and a: Keras crops ⌊gap/2⌋ cells of the full (n − 1)·s + span
    before and the rest after — the forward 'same' convolution pads its odd cell at the end —
    so an odd gap gives a = −1 (one more cell cropped at the end), and a may also exceed
    PyTorch's limit.  A given output_padding must be smaller than the stride (Keras' rule, which
    has no "or smaller than the dilation").

    >>> w = keras_transpose_dim(2, 2, 1, "same", None, 1)
    >>> (w.p, w.a, w.out), w.taps_per_output()
    ((0, -1, 2), [1, 2])
    """
    if a is not None and a >= s:
        raise DimensionProblem(f"output_padding {a} must be smaller than the stride {s} (Keras' rule for "
                               f"padding='{mode}'); use output_padding ≤ {s - 1} or leave it None")
    span = d * (k - 1) + 1
    if mode == "valid":
        a = max(span, s) - span if a is None else a
        out = (n - 1) * s + span + a
    else:
        out = n * s if a is None else (n - 1) * s + span % 2 + a
    # o = (n − 1)·s − 2p + span + a'  →  2p − a' = (n − 1)·s + span − o; Keras crops ⌊gap/2⌋ first
    gap = (n - 1) * s + span - out
    p = max(gap // 2, 0)
    a2 = 2 * p - gap
    if out < 1:
        raise DimensionProblem(f"padding='{mode}' gives an output of {out} < 1")
    return TransposeWindow(n, k, s, p, a2, d, out)


def conv_transpose_output_size(n, kernel, stride=1, padding=0, output_padding=None, dilation=1) -> int:
    """Output size of a transposed convolution along one dimension (PyTorch's ConvTranspose).

    o = (n − 1)·s − 2p + d·(k − 1) + a + 1, with a = ``output_padding`` < s or < d.
    ``padding`` may also be Keras' 'valid' or 'same'; ``output_padding=None`` (the default)
    is 0 for PyTorch's int padding and Keras' default for 'valid'/'same'.

    >>> conv_transpose_output_size(4, 3, stride=2)
    9
    >>> conv_transpose_output_size(4, 3, stride=2, padding="same")
    8
    """
    call = "conv_transpose_output_size(" + ", ".join(
        f"{k}={short_repr(v)}" for k, v in (("n", n), ("kernel", kernel), ("stride", stride), ("padding", padding),
                                            ("output_padding", output_padding), ("dilation", dilation))) + ")"
    try:
        n = check_int("input size", n, 1)
        k = check_int("kernel", kernel, 1)
        s = check_int("stride", stride, 1)
        d = check_int("dilation", dilation, 1)
        if isinstance(padding, str):
            mode = padding.lower()
            if mode not in ("valid", "same"):
                raise DimensionProblem(f"padding must be an int ≥ 0, 'valid' or 'same', got {short_repr(padding)}")
            a = None if output_padding is None else check_int("output_padding", output_padding, 0)
            return keras_transpose_dim(n, k, s, mode, a, d).out
        p = check_int("padding", padding, 0)
        a = check_int("output_padding", 0 if output_padding is None else output_padding, 0)
        return conv_transpose_dim(n, k, s, p, a, d).out
    except DimensionProblem as e:
        raise ShapeError(f"{call}: {e}") from None


def conv_transpose_formula(n, k, s=1, p=0, a=None, d=1) -> str:
    """The transposed-convolution formula with numbers plugged in.

    ``p`` is PyTorch's padding (an int; ``a=None`` means output_padding 0) or Keras' 'valid'
    or 'same', shown with Keras' own formula: 'valid' (n − 1)·s + max(d·(k − 1) + 1, s),
    'same' n·s — or, with an output_padding a given, (n − 1)·s + d·(k − 1) + 1 + a and
    (n − 1)·s + (d·(k − 1) + 1) mod 2 + a.

    >>> conv_transpose_formula(16, 4, 2, 1)
    '(16 − 1)·2 − 2·1 + 1·(4−1) + 0 + 1 = 32'
    >>> conv_transpose_formula(4, 3, 2, "same"), conv_transpose_formula(4, 3, 2, "valid")
    ('4·2 = 8', '(4 − 1)·2 + max(1·(3−1) + 1, 2) = 9')
    >>> conv_transpose_formula(4, 3, 2, "same", 0)
    '(4 − 1)·2 + (1·(3−1) + 1) mod 2 + 0 = 7'
    """
    o = conv_transpose_output_size(n, k, s, p, a, d)
    if isinstance(p, str):
        span = f"{d}·({k}−1) + 1"
        if p.lower() == "same":
            text = f"{n}·{s}" if a is None else f"({n} − 1)·{s} + ({span}) mod 2 + {a}"
        else:
            text = f"({n} − 1)·{s} + max({span}, {s})" if a is None else f"({n} − 1)·{s} + {span} + {a}"
        return f"{text} = {o}"
    return f"{conv_transpose_formula_text(n, k, s, p, 0 if a is None else a, d)} = {o}"


def scaled_size(n: int, scale) -> int:
    """⌊n·scale⌋ as PyTorch's ``interpolate`` computes it: exactly for an int or a Fraction, and
    for a float as PyTorch does — the product of two doubles, then the floor (so 3·(1/3) is 1,
    as in torch, although the exact product of 3 and the double nearest 1/3 is just below 1).

    >>> scaled_size(5, 2), scaled_size(5, 1.5), scaled_size(3, 1 / 3), scaled_size(7, Fraction(1, 2))
    (10, 7, 1, 3)
    """
    if isinstance(scale, float):
        if n >= 2**53:
            raise DimensionProblem(f"a float scale factor on an input of {n} is not exact (PyTorch "
                                   "multiplies doubles); give the scale as an int or a Fraction")
        return math.floor(float(n) * scale)
    return math.floor(n * Fraction(scale))


# ------------------------------------------------------------------ which input sizes


def conv_inputs_for(o: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> list[int]:
    """The input sizes i ≥ 1 that a convolution (k, s, p, d) maps to the output size o.

    o = ⌊(i + 2p − d·(k − 1) − 1)/s⌋ + 1 holds for i = (o − 1)·s + d·(k − 1) + 1 − 2p + r with
    r = 0 … s − 1: s consecutive sizes (fewer when the smallest would be below 1).  Their
    transposes differ only in output_padding: a = r gives back the size i.

    >>> conv_inputs_for(4, 3, s=2, p=1)
    [7, 8]
    >>> conv_inputs_for(4, 3)
    [6]
    """
    first = (o - 1) * s + d * (k - 1) + 1 - 2 * p
    return [i for i in range(first, first + s) if i >= 1]


def output_padding_for(i: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> int:
    """The output_padding that makes a transposed convolution give back the size i that the
    convolution (k, s, p, d) started from: a = (i + 2p − d·(k − 1) − 1) mod s — the remainder
    the convolution's floor dropped (Dumoulin & Visin's a, relationship 14, with dilation).

    >>> output_padding_for(8, 3, s=2, p=1), output_padding_for(7, 3, s=2, p=1)
    (1, 0)
    """
    return (i + 2 * p - d * (k - 1) - 1) % s


# ------------------------------------------------------------ Dumoulin & Visin, 8–14

#: The guide's transposed-convolution relationships: number → (title, the conditions on the
#: direct convolution i, k, s, p, the equivalent direct convolution's padding p′, the
#: guide's output formula).  i′ is the transposed convolution's input (the direct
#: convolution's output), ĩ′ = (i′ − 1)·s + 1 the stretched input, a the extra zeros after.
GUIDE_RELATIONSHIPS = {
    8: ("no zero padding, unit strides, transposed", "s = 1, p = 0", "p′ = k − 1",
        "o′ = i′ + (k − 1)"),
    9: ("zero padding, unit strides, transposed", "s = 1", "p′ = k − p − 1",
        "o′ = i′ + (k − 1) − 2p"),
    10: ("half (same) padding, transposed", "s = 1, k odd, p = ⌊k/2⌋", "p′ = p",
         "o′ = i′"),
    11: ("full padding, transposed", "s = 1, p = k − 1", "p′ = 0", "o′ = i′ − (k − 1)"),
    12: ("no zero padding, non-unit strides, transposed", "p = 0, s divides i − k",
         "s′ = 1, p′ = k − 1 on the stretched input ĩ′", "o′ = s·(i′ − 1) + k"),
    13: ("zero padding, non-unit strides, transposed", "s divides i + 2p − k",
         "s′ = 1, p′ = k − p − 1 on the stretched input ĩ′", "o′ = s·(i′ − 1) + k − 2p"),
    14: ("zero padding, non-unit strides, transposed (any i)", "any i, k, s, p",
         "s′ = 1, p′ = k − p − 1 on ĩ′, plus a = (i + 2p − k) mod s zeros after",
         "o′ = s·(i′ − 1) + a + k − 2p"),
}


class GuideCase(NamedTuple):
    """One of Dumoulin & Visin's relationships 8–14 worked for a direct convolution i, k, s, p.

    ``i_t`` (the guide's i′) is the direct convolution's output, the transposed one's input;
    ``stretched`` is ĩ′ = (i′ − 1)·s + 1; ``p_t`` the padding p′ of the equivalent direct
    convolution on each side; ``a`` the extra zeros after (relationship 14; 0 otherwise);
    ``o_t`` the guide's o′; ``guide`` its formula with the numbers; ``torch`` PyTorch's
    formula with the numbers (``padding`` = the guide's p, ``output_padding`` = a) and
    ``out`` what cnnlib's :func:`conv_transpose_output_size` gives.
    """

    number: int
    i: int
    k: int
    s: int
    p: int
    i_t: int
    stretched: int
    p_t: int
    a: int
    o_t: int
    guide: str
    torch: str
    out: int

    @property
    def title(self) -> str:
        return GUIDE_RELATIONSHIPS[self.number][0]

    @property
    def call(self) -> str:
        """The PyTorch layer (one dimension shown; C_in, C_out left out)."""
        parts = [f"kernel_size={self.k}", f"stride={self.s}", f"padding={self.p}"]
        if self.a:
            parts.append(f"output_padding={self.a}")
        return "ConvTranspose2d(C_in, C_out, " + ", ".join(parts) + ")"


def guide_relationship_of(i: int, k: int, s: int = 1, p: int = 0) -> int:
    """The most specific of relationships 8–14 that describes the transpose of the direct
    convolution (i, k, s, p) (no dilation).

    >>> guide_relationship_of(4, 3), guide_relationship_of(5, 3, p=1), guide_relationship_of(6, 3, 2, 1)
    (8, 10, 14)
    """
    if s == 1:
        if p == 0:
            return 8
        if p == k - 1:
            return 11
        if k % 2 == 1 and p == k // 2:
            return 10
        return 9
    if (i + 2 * p - k) % s == 0:
        return 12 if p == 0 else 13
    return 14


def _guide_output(number, i_t, k, s, p, a) -> tuple[int, str]:
    """The guide's o′ for relationship `number`, and the formula with the numbers."""
    if number == 8:
        o = i_t + (k - 1)
        return o, f"o′ = i′ + (k − 1) = {i_t} + ({k} − 1) = {o}"
    if number == 9:
        o = i_t + (k - 1) - 2 * p
        return o, f"o′ = i′ + (k − 1) − 2p = {i_t} + ({k} − 1) − 2·{p} = {o}"
    if number == 10:
        return i_t, f"o′ = i′ = {i_t}"
    if number == 11:
        o = i_t - (k - 1)
        return o, f"o′ = i′ − (k − 1) = {i_t} − ({k} − 1) = {o}"
    if number == 12:
        o = s * (i_t - 1) + k
        return o, f"o′ = s·(i′ − 1) + k = {s}·({i_t} − 1) + {k} = {o}"
    if number == 13:
        o = s * (i_t - 1) + k - 2 * p
        return o, f"o′ = s·(i′ − 1) + k − 2p = {s}·({i_t} − 1) + {k} − 2·{p} = {o}"
    o = s * (i_t - 1) + a + k - 2 * p
    return o, f"o′ = s·(i′ − 1) + a + k − 2p = {s}·({i_t} − 1) + {a} + {k} − 2·{p} = {o}"


def guide_case(number: int, i: int, k: int, s: int = 1, p: int = 0) -> GuideCase:
    """Relationship `number` (8–14) of Dumoulin & Visin's guide, worked for the direct
    convolution with input i, kernel k, stride s and padding p (the guide has no dilation).

    Raises ShapeError when the numbers do not meet the relationship's conditions (e.g. p ≠ 0
    for relationship 8) or the convolution is impossible.

    >>> c = guide_case(14, 6, 3, s=2, p=1)
    >>> c.i_t, c.stretched, c.a, c.o_t, c.out
    (3, 5, 1, 6, 6)
    >>> c.torch
    '(3 − 1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 6'
    """
    if number not in GUIDE_RELATIONSHIPS:
        raise ShapeError(f"Dumoulin & Visin's transposed relationships are 8–14, got {short_repr(number)}")
    title, condition = GUIDE_RELATIONSHIPS[number][:2]
    ok = {
        8: s == 1 and p == 0,
        9: s == 1,
        10: s == 1 and k % 2 == 1 and p == k // 2,
        11: s == 1 and p == k - 1,
        12: p == 0 and (i - k) % s == 0,
        13: (i + 2 * p - k) % s == 0,
        14: True,
    }[number]
    if not ok:
        raise ShapeError(f"relationship {number} ({title}) needs {condition}; "
                         f"i = {i}, k = {k}, s = {s}, p = {p} do not meet it")
    i_t = conv_output_size(i, k, stride=s, padding=p)
    a = (i + 2 * p - k) % s
    p_t = k - p - 1  # the guide's p′ in every case: k − 1 for p = 0, p for half, 0 for full padding
    o_t, guide = _guide_output(number, i_t, k, s, p, a)
    out = conv_transpose_output_size(i_t, k, stride=s, padding=p, output_padding=a)
    return GuideCase(number, i, k, s, p, i_t, (i_t - 1) * s + 1, p_t, a, o_t, guide,
                     conv_transpose_formula(i_t, k, s, p, a), out)
