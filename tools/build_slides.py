#!/usr/bin/env python3
"""Build one reveal.js deck per chapter notebook: ``_build/html/slides/<chapter>.slides.html``.

Run ``make slides`` (after ``make book``) or ``.venv/bin/python tools/build_slides.py``.
Notebooks are *not* executed: the outputs come from the book build's jupyter-cache
(``_build/.jupyter_cache``) when it holds a run of the notebook's current code, else from the
committed outputs.  The decks work offline from
``file://``: reveal.js, MathJax 2, require.js, jQuery, the widget renderer and Font Awesome are
vendored from pinned npm packages (``tools/slides/assets.py``, sha512-verified by
``tools/vendor.py``) into ``_build/html/slides/vendor/``; the template's mermaid import is
removed by the custom template in ``tools/slides_template/``; after the build every deck (and
the CSS it links) is checked with ``tools/urls.py`` for loads from other hosts or of missing
local files, and the build fails if one is left.

The stages live in ``tools/slides/``: ``rules.py`` (the default rule below), ``myst.py`` (MyST
and glue simplified), ``prepare.py`` (the in-memory copy of a notebook), ``assets.py`` (pinned
packages and their URLs), ``export.py`` (nbconvert, writing and checking decks).

Guide for chapter authors
=========================
A deck is built from every chapter, whether or not you add slide metadata.  Without metadata
the builder applies the *default rule* below; add metadata only where the default is wrong.

Default rule (cells **without** ``slideshow.slide_type`` metadata):

* A markdown cell whose first line is a ``#`` or ``##`` heading starts a new slide; a ``###``
  (or deeper) heading starts a sub-slide (the arrow keys step through both, in order).
* Other cells continue the current slide until it is full (a rough height estimate: prose
  lines, table rows, figure height); the cell that does not fit starts a continuation
  sub-slide, unless the slide holds only its heading.  A to_jshtml animation or a big figure
  after a paragraph therefore gets its own slide.
* Code inputs are hidden; a code cell with nothing visible to show (no output, only stderr,
  glue records, a bare ``<Figure size …>`` repr, ``remove-output``) is skipped, as are cells tagged ``remove-cell`` and markdown cells that
  hold only MyST targets/comments.

Explicit metadata always wins.  In Jupyter: View → Cell Toolbar → Slideshow (classic) or the
property inspector (JupyterLab), which writes ``"slideshow": {"slide_type": ...}``:

* ``slide``     – start a new slide (one idea per slide: the heading + 1–3 short paragraphs,
                  or one figure/table with a sentence);
* ``subslide``  – continue the idea on a new page below the current slide;
* ``fragment``  – reveal this cell on the next key press (a result after its question);
* ``-``         – keep on the current slide (overrides the "slide is full" rule);
* ``skip``      – leave out of the deck (setup cells, long derivations, exercises' solutions);
* ``notes``     – speaker notes (press ``s`` in the deck).

Tags (cell metadata ``tags``):

* ``slides-show-code`` – show this cell's code in the deck (when the code *is* the point:
  a one-line ``conv_output_size(...)`` call, the PyTorch layer definition);
* ``slides-skip``      – leave out of the deck (same as ``slide_type: skip``);
* ``remove-cell`` / ``remove-input`` / ``remove-output`` are honoured as in the book.

MyST in markdown is simplified for the deck: glue roles/directives (``{glue}``,
``{glue:text}`key:fmt```, ``{glue:figure}``, ``path.ipynb::key``) are replaced by the glued
values from the committed outputs, ``{math}`` becomes ``$…$``, ``{ref}``/``{numref}``/``{doc}``/
``{term}``/``{eq}`` keep their text, admonitions become quotes, ``(label)=`` lines are dropped.
Keep tables narrow (≤ 8 columns) and figures ≤ 6 in wide so they stay legible on a projector.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if not __package__:  # run as `python tools/build_slides.py`: make the `tools` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.slides.assets import CACHE
from tools.slides.export import DEFAULT_JUPYTER_CACHE, DEFAULT_OUT, build, toc_chapters
from tools.vendor import VendorError


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notebooks", nargs="*", type=Path,
                    help="notebooks to convert (default: the chapters in _toc.yml under notebooks/)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    ap.add_argument("--cache", type=Path, default=CACHE, help="npm tarball cache (default %(default)s)")
    ap.add_argument("--jupyter-cache", type=Path, default=DEFAULT_JUPYTER_CACHE,
                    help="jupyter-cache of the book build, for outputs (default %(default)s)")
    args = ap.parse_args(argv)
    notebooks = args.notebooks or toc_chapters()
    print(f"==> slides: {len(notebooks)} notebooks -> {args.out}")
    try:
        build(notebooks, args.out, args.cache, args.jupyter_cache)
    except VendorError as exc:
        raise SystemExit(f"build_slides: {exc}") from None
    print("==> slides: no external or missing loads in any deck")
    return 0


if __name__ == "__main__":
    sys.exit(main())
