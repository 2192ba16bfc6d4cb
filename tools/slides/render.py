"""Figures drawn for a deck: every matplotlib text at least ``TARGET_PX`` on the 1280×720 slide.

This module runs **inside the kernel** of a deck run (:mod:`.run` imports it in a first,
hidden cell).  The book's figures are drawn for a page read at arm's length: 8–10 pt labels on
figures 6–10 inches wide, which a projector shows at 12–16 px.  A deck run re-draws them:

* A figure is shown at the largest size that fits its box on the slide (``BOX_W`` × ``BOX_H``
  CSS px; an animation's frame ``BOX_W`` × ``ANIM_H``, its player's buttons below), enlarged at
  most ``MAX_SCALE`` px per point.  If its smallest text would still be below ``TARGET_PX``
  there, every text of the figure is enlarged by the same factor (the geometry stays), and
  the fit is computed again with the larger labels (a tight bounding box grows with them) —
  but never so far that two texts that were apart would touch (a figure that lays its labels
  out from a font size, like the shapes diagram, keeps them apart); if that is not enough, a
  static figure gets the whole slide below its title (``FULL_H``).  What cannot reach the
  target this way is drawn as large as it can and its PNG says so (the test fails on it).
* The PNG is rendered at ``DENSITY`` image pixels per CSS pixel and carries what it was drawn
  for in a ``tEXt`` chunk (key ``META_KEY``, JSON): the smallest font size drawn (pt, after
  enlarging), the dpi and the density.  The deck shows the image at ``width / density`` CSS
  px, so its smallest text is ``min_text_pt · dpi / 72 / density`` px on the slide — the deck
  builder sets that size and the browser test computes the rendered size from it.
* Only the texts that are actually drawn count (tick labels of a hidden axis do not): a dry
  draw records them.

One choke point catches every figure: ``FigureCanvasBase.print_figure`` (what IPython's inline
display, ``savefig`` and the animation writers call); ``Animation.to_jshtml`` is wrapped so
that all frames of an animation share one size, one font factor and one bounding box (the
union over its frames, so no frame's text is cut off).  Nothing here changes a notebook or
the book: only a deck run imports it.
"""

from __future__ import annotations

import contextlib
import json

BOX_W = 1150.0  # CSS px available for a figure on the 1280×720 slide
BOX_H = 470.0  # … its height, leaving room for the title and a line or two
FULL_H = 570.0  # … or, when its labels need it, the whole slide below the title
ANIM_H = 440.0  # an animation's frame (the player's slider, buttons and modes take ~140 px more)
TARGET_PX = 19.5  # smallest text on the slide (the requirement is 18 px)
MAX_SCALE = 2.6  # CSS px per point: a small figure is enlarged at most this much
DENSITY = 1.5  # image px per CSS px (sharp on a 1920-px projector)
META_KEY = "cnnlib-deck"
_PAD_IN = 0.1  # matplotlib's pad_inches around a tight bounding box

_installed = False
_recording: list | None = None


def _record_draw(orig):
    def draw(self, renderer, *args, **kwargs):
        if _recording is not None and self.get_visible() and self.get_text().strip():
            _recording.append(self)
        return orig(self, renderer, *args, **kwargs)

    draw._cnnlib_deck = True
    return draw


def drawn_texts(fig) -> list:
    """The Text artists a draw of ``fig`` actually draws (visible, non-empty, on visible axes)."""
    global _recording
    _recording = []
    try:
        fig.draw_without_rendering()
        texts = [t for t in dict.fromkeys(_recording) if t.get_figure(root=True) is fig]
    finally:
        _recording = None
    return texts


@contextlib.contextmanager
def scaled(texts, factor: float):
    """Every text of ``texts`` ``factor`` times larger inside the block, restored after it."""
    sizes = [t.get_fontsize() for t in texts]
    try:
        if factor != 1.0:
            for t, s in zip(texts, sizes):
                t.set_fontsize(s * factor)
        yield
    finally:
        if factor != 1.0:
            for t, s in zip(texts, sizes):
                t.set_fontsize(s)


def fit(w_pt: float, h_pt: float, box_h: float) -> float:
    """CSS px per point that fits a w_pt × h_pt drawing into BOX_W × box_h (≤ MAX_SCALE)."""
    return min(BOX_W / w_pt, box_h / h_pt, MAX_SCALE)


def _tight_pt(fig):
    bb = fig.get_tightbbox()
    return bb, (bb.width + 2 * _PAD_IN) * 72, (bb.height + 2 * _PAD_IN) * 72


def overlaps(fig, texts, factor: float = 1.0) -> set:
    """Pairs (i, j) of ``texts`` whose boxes intersect when drawn ``factor`` times larger."""
    with scaled(texts, factor):
        fig.draw_without_rendering()
        renderer = fig._get_renderer()
        boxes = [t.get_window_extent(renderer) for t in texts]
    pairs = set()
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            w = min(a.x1, b.x1) - max(a.x0, b.x0)
            h = min(a.y1, b.y1) - max(a.y0, b.y0)
            if w > 1 and h > 1:
                pairs.add((i, j))
    return pairs


def _safe_factor(wanted: float, collides) -> float:
    """The largest factor ≤ ``wanted`` (to 2%) at which ``collides(factor)`` is False."""
    if wanted <= 1.0 or not collides(wanted):
        return wanted
    lo, hi = 1.0, wanted
    while hi / lo > 1.02:
        mid = (lo * hi) ** 0.5
        lo, hi = (lo, mid) if collides(mid) else (mid, hi)
    return lo


def _grow(min_pt, factor, measure):
    """Enlarge ``factor`` until min_pt · factor · scale reaches TARGET_PX (the scale shrinks as
    larger labels widen the drawing); ``measure(factor)`` gives the scale."""
    for _ in range(8):
        s = measure(factor)
        if min_pt * factor * s >= TARGET_PX:
            break
        factor *= TARGET_PX / (min_pt * factor * s) * 1.01
    return factor


def plan_static(fig) -> dict:
    """Font factor and display scale for a figure shown once (tight bounding box).

    The figure is fitted into BOX_W × BOX_H, its texts enlarged until the smallest reaches
    TARGET_PX, but never so far that two texts that were apart touch; if that is not enough,
    the same with the whole slide (FULL_H) as its box.
    """
    texts = drawn_texts(fig)
    if not texts:
        _, w, h = _tight_pt(fig)
        return {"factor": 1.0, "scale": fit(w, h, BOX_H), "min_text_pt": None, "box_h": BOX_H}
    min_pt = min(t.get_fontsize() for t in texts)
    base = overlaps(fig, texts)
    best = None
    for box_h in (BOX_H, FULL_H):
        def measure(f, box_h=box_h):
            with scaled(texts, f):
                _, w, h = _tight_pt(fig)
            return fit(w, h, box_h)

        factor = _safe_factor(_grow(min_pt, 1.0, measure),
                              lambda f: bool(overlaps(fig, texts, f) - base))
        s = measure(factor)
        plan = {"factor": factor, "scale": s, "min_text_pt": min_pt * factor, "box_h": box_h}
        if min_pt * factor * s >= TARGET_PX:
            return plan
        if best is None or min_pt * factor * s > best["min_text_pt"] * best["scale"]:
            best = plan
    return best


def _frame_data(anim) -> list:
    """The data of every frame ``anim`` saves, read once; a FuncAnimation keeps them in its
    save cache, so its writer replays exactly these (a generator of frames is not re-run)."""
    data = list(anim.new_saved_frame_seq())
    if hasattr(anim, "_save_seq"):
        anim._save_seq = type(anim._save_seq)(data, anim._save_seq.maxlen)
    return data


def _frames(anim, data):
    """Draw each frame of ``anim`` in turn (what its writer does), yielding after each; the
    animation's save cache is left as it was."""
    seq = getattr(anim, "_save_seq", None)
    kept = list(seq) if seq is not None else None
    try:
        for d in data:
            anim._draw_next_frame(d, blit=False)
            yield
    finally:
        if seq is not None:
            anim._save_seq.clear()
            anim._save_seq.extend(kept)


def plan_animation(anim) -> dict:
    """Font factor, scale and one bounding box (the union over all frames) for an animation,
    by the rules of :func:`plan_static` (its frame's box: BOX_W × ANIM_H)."""
    from matplotlib.transforms import Bbox

    fig = anim._fig
    data = _frame_data(anim)
    min_pt, base = None, {}
    for i, _ in enumerate(_frames(anim, data)):
        texts = drawn_texts(fig)
        if texts:
            m = min(t.get_fontsize() for t in texts)
            min_pt = m if min_pt is None else min(min_pt, m)
            base[i] = overlaps(fig, texts)

    def union(f):
        boxes = []
        for _ in _frames(anim, data):
            with scaled(drawn_texts(fig), f):
                boxes.append(fig.get_tightbbox())
        return Bbox.union(boxes).padded(_PAD_IN)

    def collides(f):
        for i, _ in enumerate(_frames(anim, data)):
            if i in base and overlaps(fig, drawn_texts(fig), f) - base[i]:
                return True
        return False

    best = None
    for box_h in (ANIM_H,):
        def measure(f, box_h=box_h):
            bb = union(f)
            return fit(bb.width * 72, bb.height * 72, box_h)

        factor = 1.0 if min_pt is None else _safe_factor(_grow(min_pt, 1.0, measure), collides)
        bb = union(factor)
        s = fit(bb.width * 72, bb.height * 72, box_h)
        plan = {"factor": factor, "scale": s, "bbox": bb, "box_h": box_h,
                "min_text_pt": None if min_pt is None else min_pt * factor}
        if min_pt is None or min_pt * factor * s >= TARGET_PX:
            return plan
        if best is None or min_pt * factor * s > best["min_text_pt"] * best["scale"]:
            best = plan
    return best


def _meta(plan, dpi, kind):
    return json.dumps({"kind": kind, "min_text_pt": plan["min_text_pt"], "dpi": dpi,
                       "density": DENSITY, "font_factor": round(plan["factor"], 4),
                       "box_h": plan["box_h"]})


def install():
    """Patch matplotlib in this kernel so every PNG is drawn for the deck (idempotent)."""
    global _installed
    if _installed:
        return
    from matplotlib import animation
    from matplotlib.backend_bases import FigureCanvasBase
    from matplotlib.text import Text

    if not getattr(Text.draw, "_cnnlib_deck", False):
        Text.draw = _record_draw(Text.draw)
    orig_print = FigureCanvasBase.print_figure

    def print_figure(self, filename, *args, **kwargs):
        fmt = (kwargs.get("format") or "").lower()
        if fmt != "png" or args or _recording is not None:
            return orig_print(self, filename, *args, **kwargs)
        fig = self.figure
        anim_plan = getattr(fig, "_cnnlib_deck_anim", None)
        if anim_plan is not None:  # a frame of an animation: its shared plan and box
            plan, kind = anim_plan, "animation"
            kwargs["bbox_inches"] = plan["bbox"]
            kwargs["pad_inches"] = 0
        else:
            plan, kind = plan_static(fig), "figure"
            kwargs["bbox_inches"] = "tight"
            kwargs["pad_inches"] = _PAD_IN
        dpi = 72 * plan["scale"] * DENSITY
        kwargs["dpi"] = dpi
        kwargs["metadata"] = {**(kwargs.get("metadata") or {}), META_KEY: _meta(plan, dpi, kind)}
        texts = drawn_texts(fig)
        with scaled(texts, plan["factor"]):
            return orig_print(self, filename, **kwargs)

    FigureCanvasBase.print_figure = print_figure
    orig_jshtml = animation.Animation.to_jshtml

    def to_jshtml(self, *args, **kwargs):
        fig = self._fig
        fig._cnnlib_deck_anim = plan_animation(self)
        try:
            return orig_jshtml(self, *args, **kwargs)
        finally:
            del fig._cnnlib_deck_anim

    animation.Animation.to_jshtml = to_jshtml
    try:  # drawings that have a slide layout (cnnlib.layout) use it in this kernel
        from cnnlib import layout
    except ImportError:  # a notebook that is not a chapter (no cnnlib in its kernel)
        pass
    else:
        layout.use("slide")
    _installed = True


def png_meta(png: bytes) -> dict | None:
    """The deck's ``tEXt`` record of a PNG drawn by a deck run (None if it has none)."""
    import struct

    if png[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    pos = 8
    while pos + 8 <= len(png):
        length, tag = struct.unpack(">I4s", png[pos:pos + 8])
        if tag == b"tEXt":
            key, _, value = png[pos + 8:pos + 8 + length].partition(b"\0")
            if key.decode("latin-1") == META_KEY:
                return json.loads(value.decode("latin-1"))
        if tag == b"IEND":
            break
        pos += 12 + length
    return None


def png_size(png: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels of a PNG."""
    import struct

    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        return None
    return struct.unpack(">II", png[16:24])
