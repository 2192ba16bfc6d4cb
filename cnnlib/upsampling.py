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

from .arithmetic import check_int, fmt_exact, short_repr
from .errors import DimensionProblem, ShapeError

__all__ = [
    "TransposeWindow",
    "conv_transpose_dim",
    "conv_transpose_formula",
    "conv_transpose_output_size",
    "keras_transpose_dim",
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
    reported with PyTorch's p and a (a may then exceed PyTorch's limit: Keras allows it).
    """
    span = d * (k - 1) + 1
    if mode == "valid":
        a = max(span, s) - span if a is None else a
        out = (n - 1) * s + span + a
    else:
        out = n * s if a is None else (n - 1) * s + span % 2 + a
    # o = (n − 1)·s − 2p + span + a'  →  2p − a' = (n − 1)·s + span − o
    gap = (n - 1) * s + span - out
    p = max(-(-gap // 2), 0)
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


def conv_transpose_formula(n, k, s=1, p=0, a=0, d=1) -> str:
    """The transposed-convolution formula with numbers plugged in.

    >>> conv_transpose_formula(16, 4, 2, 1)
    '(16 − 1)·2 − 2·1 + 1·(4−1) + 0 + 1 = 32'
    """
    o = conv_transpose_output_size(n, k, s, p, a, d)
    return f"{conv_transpose_formula_text(n, k, s, p, a, d)} = {o}"


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
