"""Page or slide: the one switch between the book's drawings and a lecture deck's.

A drawing made for a page (the book, JupyterLab) is read at arm's length: 8–11 pt labels,
many boxes in a row, rotated labels where they are crowded.  A 1280×720 slide seen from the
back of a room needs text of at least 18 px there, so some drawings have a second layout
that leaves room for large text: fewer boxes per row, horizontal labels, bars drawn
sideways, one font size for every label.  The functions that have one take
``layout="page" | "slide"``; without it they use the layout chosen here, ``"page"`` unless
something called :func:`use` — the slide decks' deck run (``tools/slides/run.py``) calls
``use("slide")`` once in the kernel that re-executes a chapter, so the chapter's own code
draws for the projector.  Nothing else changes it.

>>> current()
'page'
>>> resolve("slide"), resolve(None)
('slide', 'page')
"""

from __future__ import annotations

__all__ = ["LAYOUTS", "current", "resolve", "use"]

LAYOUTS = ("page", "slide")
_current = "page"


def use(layout: str) -> str:
    """Make ``layout`` the default of every drawing that has one; return the previous one."""
    global _current
    previous = _current
    _current = resolve(layout)
    return previous


def current() -> str:
    """The layout a drawing uses when it is not given one."""
    return _current


def resolve(layout: str | None) -> str:
    """``layout`` checked, or the current one when it is None."""
    if layout is None:
        return _current
    if layout not in LAYOUTS:
        raise ValueError(f"layout {layout!r}: choose one of {LAYOUTS}")
    return layout
