#!/usr/bin/env python3
"""Build one reveal.js deck per chapter notebook: ``_build/html/slides/<chapter>.slides.html``.

Run ``make slides`` (after ``make book``) or ``.venv/bin/python tools/build_slides.py`` (the
chapters of ``_toc.yml``), ``… --root DIR`` (another book folder: its ``_toc.yml`` and
``_build/html/slides/``) or ``… notebooks/01_convolution.ipynb …`` (those notebooks).

Each chapter is executed once more for its deck — the *deck run* (``tools/slides/run.py``,
cached in ``_build/.slides_runs/``): the same code, with matplotlib drawing every figure and
animation frame for a 1280×720 slide, its smallest text at least 18 px there
(``tools/slides/render.py``).  The numbers in the prose are the ``{eval}`` values stored in the
chapter (``make execute``).  The decks work offline from ``file://``: reveal.js, MathJax 2,
require.js, jQuery, the widget renderer and Font Awesome are vendored from pinned npm packages
(``tools/slides/assets.py``, sha512-verified by ``tools/vendor.py``) into
``_build/html/slides/vendor/``; after the build every deck (and the CSS it links) is checked
with ``tools/urls.py`` for loads from other hosts or of missing local files.

The stages live in ``tools/slides/`` (see its ``__init__``): ``run`` → ``myst`` → ``lecture``
(with ``rules`` and the plans in ``lectures/``) → ``prepare`` → ``export``.

Guide for chapter authors
=========================
A deck is a lecture made from the chapter; you write the chapter (DEVELOPERS.md), the deck
follows these rules.

* **Order**: question → idea → worked example → check → summary.  The first slide poses the
  chapter's question (from its lecture plan, else "How do we …?" from the first item of
  **What you will be able to do**) and lists the goals; the introduction is in its notes.
  Sections follow in the chapter's order, then the exercises, then the summary.  A plan,
  ``tools/slides/lectures/<chapter>.yml``, can name the question, pick and order sections by
  heading and add checks (``tools/slides/lectures/README.md``).
* **Slides follow headings**: every ``##``/``###`` section starts a slide titled with its
  heading; what does not fit (a rough height estimate, ``rules.py``) continues on a slide
  titled "… (continued)".
* **What a slide shows**: formulas, figures, tables, lists, printed output, callouts (title
  and first sentence) and the **first sentence of each paragraph** — so put a paragraph's
  point in its first sentence.  The whole paragraph is in the **speaker notes** (press
  ``s``).  A sentence or two leading into a figure that needs the whole slide, and a short
  remark after a figure at the end of a section, are notes only.
* **Worked examples**: a paragraph that opens with ``**Worked example.**`` (or
  ``**Worked example: conv2.**``) gets a slide of its own, one sentence per step.
* **Exercises**: a paragraph that opens with ``**1.**`` is a question; the admonition after it
  (``:::{admonition} Answer`` with ``:class: dropdown``, or titled Answer/Solution) is its
  answer, revealed as a fragment after the question — one exercise per slide.
* **Left out**: cells tagged ``jupyter-only``, ``remove-cell`` or ``slides-skip``; live widgets
  (``remove-output``) and values cells; sentences about JupyterLab and kernels ("In
  JupyterLab, run the next cell…", "In the book (no kernel), …").
* **Numbers**: every ``{eval}`` becomes its stored value as plain text; a missing or failed
  value stops the build (naming chapter and expression), and so does glue.
* **Figures** are redrawn larger where their labels would be under 18 px; a figure whose
  labels cannot get there without colliding (labels laid out from a font size) is drawn as
  large as it can and the browser test names it: give such a function a layout that suits a
  16:9 slide.  Tables are shown at 22 px and split by rows over several slides when long;
  a long table caption goes to the notes.

Explicit metadata still works: ``slideshow.slide_type`` ``slide``/``subslide`` starts a new
slide, ``fragment`` reveals the cell on a key press, ``notes`` makes it speaker notes, ``skip``
leaves it out; the tag ``slides-show-code`` shows a code cell's source.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if not __package__:  # run as `python tools/build_slides.py`: make the `tools` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.slides import SlidesError
from tools.slides.assets import CACHE
from tools.slides.export import DEFAULT_OUT, ROOT, build, toc_chapters
from tools.slides.lecture import PLANS
from tools.slides.run import DEFAULT_RUNS
from tools.vendor import VendorError


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notebooks", nargs="*", type=Path,
                    help="notebooks to convert (default: the chapters in the book's _toc.yml under notebooks/)")
    ap.add_argument("--root", type=Path, default=ROOT,
                    help="the book's folder: its _toc.yml lists the chapters, its _build/html/slides/ "
                         "gets the decks (default: this repository)")
    ap.add_argument("--out", type=Path, default=None, help=f"output folder (default {DEFAULT_OUT} under --root)")
    ap.add_argument("--cache", type=Path, default=CACHE, help="npm tarball cache (default %(default)s)")
    ap.add_argument("--runs", type=Path, default=DEFAULT_RUNS,
                    help="cache of the deck runs (default %(default)s)")
    ap.add_argument("--no-execute", action="store_true",
                    help="use the committed outputs instead of a deck run (figures keep the book's size: "
                         "a quick look, not a deck for a projector)")
    ap.add_argument("--plans", type=Path, default=PLANS, help="folder of lecture plans (default %(default)s)")
    args = ap.parse_args(argv)
    root = args.root.resolve()
    out = args.out or root / DEFAULT_OUT.relative_to(ROOT)
    notebooks = args.notebooks or toc_chapters(root)
    print(f"==> slides: {len(notebooks)} notebooks -> {out}")
    try:
        build(notebooks, out, args.cache, execute=not args.no_execute, runs=args.runs, plans=args.plans)
    except (VendorError, SlidesError) as exc:
        raise SystemExit(f"build_slides: {exc}") from None
    print("==> slides: no external or missing loads in any deck")
    return 0


if __name__ == "__main__":
    sys.exit(main())
