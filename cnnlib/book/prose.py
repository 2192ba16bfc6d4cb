"""Values for the prose: numbers and shapes that the chapters' text shows with ``{eval}``.

A chapter's markdown writes ``{eval}`alex_out``` and a (hidden) code cell computes
``alex_out = num(cnnlib.conv_output_size(227, 11, stride=4))``: the same expression renders in
the built book (myst-nb, inline execution) and in JupyterLab (jupyterlab-myst), so text and
code cannot drift apart.  Both show a value by its plain-text representation; the helpers
here return strings whose representation is the text itself (no quotes), formatted as the
book writes numbers: thousands separators, shapes H×W×C.

>>> num(62378344), num(54.25), shape((96, 55, 55)), pct(0.9403)
(62,378,344, 54.25, 55×55×96, 94.0%)
"""

from __future__ import annotations

from fractions import Fraction

from ..arithmetic import fmt_exact
from ..shapes import shape_text

__all__ = ["Shown", "cells", "math", "num", "pct", "shape", "text"]


class Shown(str):
    """A string shown as itself: ``repr`` without quotes (what {eval} and a bare cell display)."""

    def __repr__(self) -> str:
        return str(self)


def text(value) -> Shown:
    """Any value as plain text in the prose."""
    return Shown(str(value))


def num(value, digits: int | None = None) -> Shown:
    """An int with thousands separators (62,378,344); a float or Fraction with `digits` decimals
    (or, by default, up to 4 significant digits: 54.25, 4.333).

    >>> num(Fraction(217, 4)), num(2.0 / 3, 2), num(1.5e-7)
    (54.25, 0.67, 1.5e-07)
    """
    if isinstance(value, bool):
        return Shown(str(value))
    if isinstance(value, int):
        return Shown(f"{value:,}")
    if digits is not None:
        return Shown(f"{float(value):,.{digits}f}")
    if isinstance(value, Fraction):
        return Shown(fmt_exact(value))
    return Shown(f"{float(value):.4g}")


def pct(share: float, digits: int = 1) -> Shown:
    """A share (0.9403) as a percentage (94.0%)."""
    return Shown(f"{100 * share:.{digits}f}%")


def shape(value, order: str = "HWC") -> Shown:
    """A channels-first shape as the book writes it: (96, 55, 55) → 55×55×96."""
    return Shown(shape_text(value, order))


def cells(values) -> Shown:
    """A list of indices or sizes: [9] → '9'; [7, 8, 9] → '7, 8, 9'."""
    return Shown(", ".join(str(v) for v in values))


class _Math:
    """LaTeX that renders as math in the book and in JupyterLab ({eval} cannot sit inside $…$)."""

    def __init__(self, latex: str):
        self.latex = latex

    def _repr_latex_(self) -> str:
        return f"${self.latex}$"

    def __repr__(self) -> str:
        return self.latex


def math(latex: str) -> _Math:
    """An inline formula to show with {eval}: ``math(r"o = \\lfloor 54.25 \\rfloor = 54")``."""
    return _Math(latex)
