"""Notebook -> reveal.js deck: outputs without executing, nbconvert's SlidesExporter with the
template in ``tools/slides_template/``, vendored assets (:mod:`.assets`), and a check of every
deck with ``tools/urls.py``.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from tools import urls

from . import assets
from .prepare import prepare_notebook
from .rules import expected_slide_count

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATE_DIR = ROOT / "tools" / "slides_template"
TEMPLATE_NAME = "cnnlib_reveal"
DEFAULT_OUT = ROOT / "_build" / "html" / "slides"
DEFAULT_JUPYTER_CACHE = ROOT / "_build" / ".jupyter_cache"  # where `jupyter-book build` caches outputs

# Projector settings: 16:9, reveal scales everything to fit the screen.
REVEAL_WIDTH = "1280"
REVEAL_HEIGHT = "720"


def check_deck(deck: Path) -> list[str]:
    """External or missing loads of a deck (inline scripts included) and of the local
    stylesheets it links, followed through their ``@import``s."""
    problems = urls.check_html(deck, deck.name, scripts=True)
    for css in urls.stylesheets(deck):
        problems += urls.check_css(css, f"{deck.name} -> {os.path.relpath(css, deck.parent)}")
    return problems


def toc_chapters(root: Path = ROOT) -> list[Path]:
    """Notebooks listed in _toc.yml under notebooks/, in book order."""
    text = (root / "_toc.yml").read_text(encoding="utf-8")
    files = re.findall(r"^\s*-?\s*file:\s*['\"]?(notebooks/[^'\"\s#]+)", text, re.MULTILINE)
    paths = []
    for f in files:
        p = root / f
        if p.suffix != ".ipynb":
            p = p.with_suffix(".ipynb")
        if p.exists():
            paths.append(p)
        else:
            print(f"warning: {f} in _toc.yml has no notebook; no deck", file=sys.stderr)
    return paths


def make_exporter():
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    c = Config()
    c.SlidesExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    c.SlidesExporter.template_name = TEMPLATE_NAME
    c.SlidesExporter.reveal_url_prefix = assets.REVEAL_PREFIX
    c.SlidesExporter.reveal_theme = "white"
    c.SlidesExporter.reveal_transition = "none"
    c.SlidesExporter.reveal_number = "c/t"
    c.SlidesExporter.reveal_width = REVEAL_WIDTH
    c.SlidesExporter.reveal_height = REVEAL_HEIGHT
    c.SlidesExporter.reveal_scroll = True
    c.SlidesExporter.mathjax_url = assets.MATHJAX_URL
    c.SlidesExporter.require_js_url = assets.REQUIRE_URL
    c.SlidesExporter.jquery_url = assets.JQUERY_URL
    c.SlidesExporter.widget_renderer_url = assets.WIDGETS_URL
    c.SlidesExporter.font_awesome_url = assets.FONT_AWESOME_URL
    c.SlidesExporter.mermaid_js_url = ""
    c.SlidesExporter.mermaid_layout_elk_js_url = ""
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    c.SlidesExporter.embed_images = True
    return SlidesExporter(config=c)


def read_with_outputs(nb_path: Path, jupyter_cache: Path | None = DEFAULT_JUPYTER_CACHE):
    """The notebook with its outputs, without executing anything.

    The chapters may be committed without outputs (the book executes them, caching the results
    in ``_build/.jupyter_cache``), so the outputs of the book build are used when the cache holds
    a run of exactly this code; otherwise the committed outputs are used.
    """
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    source = "committed outputs"
    if jupyter_cache and Path(jupyter_cache).is_dir():
        try:
            from jupyter_cache import get_cache

            _, nb = get_cache(str(jupyter_cache)).merge_match_into_notebook(nb)
            source = f"outputs of the book build ({jupyter_cache})"
        except KeyError:
            pass  # no cached run of this code
        except Exception as exc:  # noqa: BLE001 - a broken cache must not stop the slides
            print(f"warning: {nb_path.name}: jupyter cache unusable ({exc}); using committed outputs",
                  file=sys.stderr)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    if code and not any(c.get("outputs") for c in code):
        print(f"warning: {nb_path.name} has no outputs (neither committed nor in {jupyter_cache}): "
              "run `make book` before `make slides`", file=sys.stderr)
    return nb, source


def build_deck(nb_path: Path, out: Path, exporter=None,
               jupyter_cache: Path | None = DEFAULT_JUPYTER_CACHE) -> Path:
    import nbformat

    exporter = exporter or make_exporter()
    nb, _ = read_with_outputs(nb_path, jupyter_cache)
    prepared = nbformat.from_dict(prepare_notebook(nb, nb_path))
    body, _ = exporter.from_notebook_node(
        prepared, resources={"metadata": {"name": nb_path.stem, "path": str(nb_path.parent)},
                             # nbconvert's reveal template never links font_awesome_url; ours
                             # does, for the icons of the matplotlib animation players
                             "font_awesome_url": assets.FONT_AWESOME_URL})
    deck = out / f"{nb_path.stem}.slides.html"
    deck.write_text(body, encoding="utf-8")
    return deck


def build(notebooks: list[Path], out: Path = DEFAULT_OUT, cache: Path = assets.CACHE,
          jupyter_cache: Path | None = DEFAULT_JUPYTER_CACHE) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    assets.vendor_decks(out, cache)
    exporter = make_exporter()
    decks, problems = [], []
    for nb_path in notebooks:
        deck = build_deck(nb_path, out, exporter, jupyter_cache)
        nb, source = read_with_outputs(nb_path, jupyter_cache)
        print(f"    {deck.name}: {expected_slide_count(nb.cells)} slides, from {source}")
        decks.append(deck)
        problems += check_deck(deck)
    if problems:
        raise SystemExit("external or missing loads in the decks (they must work offline):\n  "
                         + "\n  ".join(problems))
    return decks
