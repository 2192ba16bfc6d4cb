"""Chapter -> reveal.js deck: the deck run (:mod:`.run`), the lecture (:mod:`.lecture`), the
notebook the exporter sees (:mod:`.prepare`), nbconvert's SlidesExporter with the template in
``tools/slides_template/``, vendored assets (:mod:`.assets`), and a check of every deck with
``tools/urls.py``.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from tools import urls

from . import SlidesError, assets, lecture, prepare, run

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATE_DIR = ROOT / "tools" / "slides_template"
TEMPLATE_NAME = "cnnlib_reveal"
DEFAULT_OUT = ROOT / "_build" / "html" / "slides"

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


def lecture_notebook(nb, nb_path: Path, plans: Path = lecture.PLANS, warn=print):
    """The chapter (with outputs) as the notebook of its lecture: what the exporter converts."""
    chapter = lecture.read_chapter(nb, nb_path, warn=warn)
    plan = lecture.load_plan(nb_path.stem, plans)
    slides = lecture.compose(chapter, plan, warn=warn)
    return prepare.slides_notebook(slides, nb.get("metadata", {}))


def build_deck(nb_path: Path, out: Path, exporter=None, *, execute: bool = True,
               runs: Path | None = run.DEFAULT_RUNS, plans: Path = lecture.PLANS, digest=None):
    """Write ``<out>/<chapter>.slides.html``; return (deck path, slide count, where the outputs came from)."""
    exporter = exporter or make_exporter()
    committed, source = run.committed(nb_path)
    if execute:
        # values, glue and the plan are checked before the chapter is executed (seconds, not minutes)
        lecture_notebook(committed, nb_path, plans, warn=lambda *a: None)
        nb, source = run.deck_run(nb_path, runs, digest=digest)
    else:
        nb = committed
    prepared = lecture_notebook(nb, nb_path, plans)
    body, _ = exporter.from_notebook_node(
        prepared, resources={"metadata": {"name": nb_path.stem, "path": str(nb_path.parent)},
                             # nbconvert's reveal template never links font_awesome_url; ours
                             # does, for the icons of the matplotlib animation players
                             "font_awesome_url": assets.FONT_AWESOME_URL})
    deck = out / f"{nb_path.stem}.slides.html"
    deck.write_text(body, encoding="utf-8")
    return deck, prepare.slide_count(prepared), source


def build(notebooks: list[Path], out: Path = DEFAULT_OUT, cache: Path = assets.CACHE, *,
          execute: bool = True, runs: Path | None = run.DEFAULT_RUNS,
          plans: Path = lecture.PLANS) -> list[Path]:
    """Every notebook's deck in ``out`` (assets vendored, each deck checked for network loads).

    A chapter that cannot become a deck (a missing value, glue, a failing deck run, a plan that
    names a missing heading) does not stop the others; the build fails at the end, naming each.
    """
    out.mkdir(parents=True, exist_ok=True)
    assets.vendor_decks(out, cache)
    exporter = make_exporter()
    digest = run._inputs_digest() if execute else None
    decks, problems, failed = [], [], []
    for nb_path in notebooks:
        try:
            deck, n, source = build_deck(Path(nb_path), out, exporter, execute=execute, runs=runs,
                                         plans=plans, digest=digest)
        except SlidesError as exc:
            failed.append(str(exc))
            continue
        print(f"    {deck.name}: {n} slides, from the {source}")
        decks.append(deck)
        problems += check_deck(deck)
    if failed:
        raise SlidesError("no deck for " + str(len(failed)) + " chapter(s):\n  " + "\n  ".join(failed))
    if problems:
        raise SystemExit("external or missing loads in the decks (they must work offline):\n  "
                         + "\n  ".join(problems))
    return decks
