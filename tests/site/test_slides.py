"""Slides (tools/build_slides.py, tools/slides/): decks that are lectures.

What issue 14 #7 asks of every deck, one group of tests each:

1. values as plain text — every {eval} replaced by its stored value, a missing or failed value
   a build error, no Python-quoted value anywhere;
2. answers behind fragments — after the question, hidden when the slide appears;
3. Jupyter-only content left out — tagged cells, live widgets, "In JupyterLab, run …";
4. a title on every slide — "(continued)" on a section's later slides;
5. figure and table text ≥ 18 px on the 1280×720 slide — measured in Chromium (tables, SVG
   text) or computed from what the deck run drew (PNG: font size, dpi, displayed width);
6. speaker notes — the prose a slide does not show is in its notes;
7. lecture order — question → idea → worked example → check (→ summary), plans honoured.

The unit tests need neither a kernel nor a browser.  The deck tests build every migrated
chapter in _toc.yml (a chapter still using glue cannot become a deck and is reported, not
built; CNNLIB_SLIDES_CHAPTERS="notebooks/x.ipynb …" names other chapters instead), a demo notebook (executed here: math, a table, an animation, inline HTML+JS, a
widget, notes and a fragment) and a one-cell notebook into a temporary folder; the browser
tests open them with Playwright + Debian chromium from file:// and from a local HTTP server.
Screenshots go to _build/screenshots/slides/.  Without /usr/bin/chromium the browser tests
are skipped, unless CI or CNNLIB_REQUIRE_BROWSER is set (then they fail).
"""

from __future__ import annotations

import base64
import functools
import http.server
import importlib.util
import json
import os
import re
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "_build" / "screenshots" / "slides"
MIN_PX = 18.0

if str(ROOT) not in sys.path:  # tools/ is a package of scripts, not installed
    sys.path.insert(0, str(ROOT))
from tools import urls
from tools.slides import SlidesError, assets, export, lecture, myst, prepare, render, rules


def md(src, **meta):
    return nbformat.v4.new_markdown_cell(src, metadata=meta)


def code(src, outputs=(), **meta):
    c = nbformat.v4.new_code_cell(src, metadata=meta)
    c.outputs = list(outputs)
    return c


def out_text(text):
    return nbformat.v4.new_output("execute_result", data={"text/plain": text}, execution_count=1)


def stored(**values):
    """metadata.user_expressions as tools/execute_notebooks.py stores them."""
    return [{"expression": k, "result": {"status": "ok", "data": {"text/plain": v}}} for k, v in values.items()]


def evmd(src, **values):
    return md(src, user_expressions=stored(**values))


def build_lecture(cells, plan=None, name="t.ipynb"):
    nb = nbformat.v4.new_notebook(cells=cells)
    chapter = lecture.read_chapter(nb, Path(name), warn=lambda *a: None)
    return chapter, lecture.compose(chapter, plan, warn=lambda *a: None)


def uses_glue(path: Path) -> bool:
    return bool(re.search(r"\{glue(:\w+)?\}`|myst_nb import glue", path.read_text(encoding="utf-8")))


ALL_TOC = export.toc_chapters()
# CNNLIB_SLIDES_CHAPTERS="notebooks/06_lenet.ipynb …" tests those chapters instead (a chapter
# not yet in _toc.yml, before it joins the book)
_ONLY = os.environ.get("CNNLIB_SLIDES_CHAPTERS", "").split()
CHAPTERS = [ROOT / p for p in _ONLY] if _ONLY else [p for p in ALL_TOC if not uses_glue(p)]


# --------------------------------------------------------------------------------------------
# 1. Values as plain text (no browser)
# --------------------------------------------------------------------------------------------

def test_eval_values_come_from_the_stored_metadata():
    cell = evmd("AlexNet has {eval}`total` parameters; conv1 gives {eval}`shape` "
                "and `{eval}`kept`` is code.", total="62,378,344", shape="55×55×96")
    text = myst.substitute(cell.source, myst.stored_values(cell, "ch"), "ch")
    assert text == "AlexNet has 62,378,344 parameters; conv1 gives 55×55×96 and `{eval}`kept`` is code."


def test_eval_inside_a_directive_is_replaced_and_code_blocks_are_not():
    src = ("**1.** Q?\n\n```{admonition} Answer\n:class: dropdown\nOutput {eval}`o`.\n```\n\n"
           "```python\nx = {eval}`o`\n```")
    text = myst.substitute(src, {"o": {"text/plain": "62×62×16"}}, "ch")
    assert "Output 62×62×16." in text and "x = {eval}`o`" in text


def test_math_values_use_their_latex_and_text_is_escaped():
    values = {"f": {"text/plain": r"o = \lfloor 54.25 \rfloor", "text/latex": r"$o = \lfloor 54.25 \rfloor$"},
              "t": {"text/plain": "a*b_c <x> | y"}}
    text = myst.substitute("{eval}`f` and {eval}`t`", values, "ch")
    assert text == r"$o = \lfloor 54.25 \rfloor$ and a\*b\_c \<x\> \| y"


def test_missing_value_is_a_build_error_naming_chapter_and_expression():
    nb = nbformat.v4.new_notebook(cells=[md("# T"), md("Output {eval}`alex_out`.")])
    with pytest.raises(SlidesError, match=r"07_alexnet\.ipynb.*\{eval\}`alex_out`"):
        lecture.read_chapter(nb, Path("notebooks/07_alexnet.ipynb"))


def test_failed_value_is_a_build_error_naming_chapter_and_expression():
    bad = [{"expression": "x", "result": {"status": "error", "ename": "NameError", "evalue": "x"}}]
    nb = nbformat.v4.new_notebook(cells=[md("# T"), md("Value {eval}`x`.", user_expressions=bad)])
    with pytest.raises(SlidesError, match=r"ch\.ipynb.*\{eval\}`x`.*NameError"):
        lecture.read_chapter(nb, Path("ch.ipynb"))


def test_quoted_python_string_value_is_shown_without_quotes_and_reported():
    said = []
    cell = evmd("Shape {eval}`s`, ratio {eval}`r`.", s="'55×55×96'", r='"54.25"')
    text = myst.substitute(cell.source, myst.stored_values(cell, "ch"), "ch", warn=said.append)
    assert text == "Shape 55×55×96, ratio 54.25."
    assert len(said) == 2 and "prose" in said[0]


def test_a_chapter_that_cannot_be_a_deck_is_named_before_it_is_executed(tmp_path):
    nb_path = tmp_path / "04_dense.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[md("# Dense"), md("It has {glue:text}`n` weights."),
                                                   code("raise SystemExit('executed')")]), nb_path)
    with pytest.raises(SlidesError, match=r"04_dense\.ipynb.*glue"):
        export.build_deck(nb_path, tmp_path, runs=None)
    assert not list(tmp_path.glob("*.slides.html"))


def test_glue_is_a_build_error():
    nb = nbformat.v4.new_notebook(cells=[md("# T"), md("Output {glue:text}`alex_out`.")])
    with pytest.raises(SlidesError, match="glue is gone"):
        lecture.read_chapter(nb, Path("ch.ipynb"))


def test_roles_become_plain_text():
    res = myst.Resolver(ROOT / "notebooks" / "01_convolution.ipynb", {"sec-x": "Odd sizes"})
    text = myst.substitute("{doc}`02_padding_stride`, {doc}`the glossary <../book/glossary>`, "
                           "{term}`stride <s>`, {ref}`sec-x`, {math}`k^2`, {cite}`lecun1998`", {}, "ch", res)
    assert text == "Padding and stride, the glossary, stride, Odd sizes, $k^2$, [LeCun et al., 1998]"


# --------------------------------------------------------------------------------------------
# 3. Jupyter-only content (no browser)
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "In JupyterLab, run the next cell for live sliders with wider ranges.",
    "In JupyterLab, the last cell gives endless exercises with live checking.",
    "In the book (no kernel), these sliders look up results that cnnlib computed in advance.",
    "Run the next cell to see the live slider.",
    "Live sliders need a running kernel, so the book does not show them.",
])
def test_sentences_about_jupyter_are_dropped(sentence):
    assert rules.drop_medium(f"The kernel is 3×3. {sentence} The output is 3×3.") == \
        "The kernel is 3×3. The output is 3×3."


def test_jupyter_only_cells_and_live_widgets_are_left_out():
    widget = nbformat.v4.new_output("execute_result", data={rules.WIDGET_MIME: {"model_id": "x"},
                                                            "text/plain": "VBox()"}, execution_count=1)
    cells = [md("# T"), md("In JupyterLab, the next cell is live.", tags=["jupyter-only"]),
             code("live_widget()", [widget], tags=["remove-output"]),
             code("x = prose.num(3)", tags=["remove-input", "remove-output"]),
             code("hidden", [out_text("1")], tags=["remove-cell"]),
             code("skipped", [out_text("2")], tags=["slides-skip"]),
             md("## Section\n\nShown. In JupyterLab, run the next cell. Also shown."),
             code("1 + 1", [out_text("42")])]
    for c in cells[1:6]:
        assert rules.left_out(c)
    _, slides = build_lecture(cells)
    nb = prepare.slides_notebook(slides)
    text = json.dumps(nb)
    assert "JupyterLab" not in text and rules.WIDGET_MIME not in text and "hidden" not in text
    assert "Shown. Also shown." in text and '"42"' in text


# --------------------------------------------------------------------------------------------
# 2, 4, 6, 7 on a small chapter (no browser)
# --------------------------------------------------------------------------------------------

SMALL = [
    md("# Small chapter\n\nIntro sentence one. Intro sentence two.\n\n**What you will be able to do**\n\n"
       "- compute the output size of a layer, with the formula;\n- count its weights."),
    md("## Idea A\n\nFirst sentence of A. Second sentence of A, which only the notes have.\n\n$$o = n - k + 1$$"),
    evmd("**Worked example.** A 32×32 image gives {eval}`o`. It has {eval}`w` weights. Done.", o="28×28×4", w="300"),
    md("## Exercises\n\n**1.** What is $o$ for $n = 5$, $k = 3$?\n\n```{admonition} Answer\n:class: dropdown\n3.\n```\n\n"
       "**2.** And the weights?\n\n:::{admonition} Solution\nNine.\n:::"),
    md("## Idea B\n\n" + " ".join(f"Sentence {i} of a long paragraph about padding and strides." for i in range(30))),
    md("## Summary\n\n- One formula.\n- Count weights."),
]


def test_small_chapter_is_a_lecture():
    _, slides = build_lecture(SMALL)
    roles = [s.role for s in slides]
    # question first; the idea after the exercises moves before them; summary last
    assert roles[0] == "question" and roles[-1] == "summary"
    assert [s.title for s in slides] == ["Small chapter", "Idea A", "Worked example: Idea A", "Idea B",
                                         "Exercises (1/2)", "Exercises (2/2)", "Summary"]
    assert slides[0].pieces[0].md == "**Question:** How do we compute the output size of a layer?"
    assert "Intro sentence one. Intro sentence two." in slides[0].notes
    # 6. the slide shows the first sentence, the notes have the paragraph
    a = slides[1]
    assert a.pieces[0].md == "- First sentence of A." and any("only the notes have" in n for n in a.notes)
    assert not any("only the notes have" in p.md for p in a.pieces)
    # worked example: one step at a time, values substituted
    ex = slides[2]
    assert [p.fragment for p in ex.pieces] == [False, True, True]
    assert ex.pieces[0].md == "- A 32×32 image gives 28×28×4." and ex.role == "example"
    # 2. answers are fragments after their question, on the same slide
    for s, answer in zip(slides[4:6], ("3.", "Nine.")):
        assert [p.css for p in s.pieces] == ["deck-question", "deck-answer"]
        assert [p.fragment for p in s.pieces] == [False, True] and answer in s.pieces[1].md


def test_small_chapter_notebook_for_the_exporter():
    _, slides = build_lecture(SMALL)
    nb = prepare.slides_notebook(slides)
    kinds = [(c.metadata["slideshow"]["slide_type"], c.source[:12]) for c in nb.cells]
    assert kinds[0] == ("slide", "# Small chap") and kinds[1][0] == "notes"
    # every slide starts with its title; notes come right after it (never inside a fragment)
    starts = [i for i, c in enumerate(nb.cells) if c.metadata["slideshow"]["slide_type"] in ("slide", "subslide")]
    assert len(starts) == prepare.slide_count(nb) == len(slides)
    for i in starts:
        assert re.match(r"^#{1,2} \S", nb.cells[i].source)
    for i, c in enumerate(nb.cells):
        if c.metadata["slideshow"]["slide_type"] == "notes":
            assert nb.cells[i - 1].metadata["slideshow"]["slide_type"] in ("slide", "subslide")
    answers = [c for c in nb.cells if "deck-answer" in c.metadata.get("tags", [])]
    assert len(answers) == 2 and all(c.metadata["slideshow"]["slide_type"] == "fragment" for c in answers)


def test_long_section_continues_with_its_title():
    cells = [md("# T"), md("## Long\n\n" + "\n\n".join(
        f"Paragraph {i}: " + " ".join(["padding keeps the output size"] * 13) for i in range(5)))]
    _, slides = build_lecture(cells)
    titles = [s.title for s in slides[1:]]
    assert titles[0] == "Long" and len(titles) > 1
    assert all(t == "Long (continued)" for t in titles[1:])
    assert all(s.used <= rules.CAPACITY for s in slides[1:])


def test_plan_picks_and_orders_sections_and_adds_checks(tmp_path):
    (tmp_path / "t.yml").write_text(textwrap.dedent("""\
        question: Why?
        sections:
          - Idea B
          - {heading: Idea A, role: example}
          - Summary
        checks:
          - question: How many weights?
            answer: "{eval}`w`"
        """))
    plan = lecture.load_plan("t", tmp_path)
    _, slides = build_lecture(SMALL, plan)
    assert slides[0].pieces[0].md == "**Question:** Why?"
    order = [(s.title, s.role) for s in slides if not s.continued]
    assert order == [("Small chapter", "question"), ("Idea B", "idea"), ("Idea A", "example"),
                     ("Worked example: Idea A", "example"), ("Check (1/1)", "check"), ("Summary", "summary")]
    check = next(s for s in slides if s.role == "check")
    assert check.pieces[1].fragment and "300" in check.pieces[1].md


def test_plan_with_a_missing_heading_is_an_error(tmp_path):
    (tmp_path / "t.yml").write_text("sections:\n  - Idea A\n  - Vanished section\n")
    plan = lecture.load_plan("t", tmp_path)
    with pytest.raises(SlidesError, match="no heading 'Vanished section'"):
        build_lecture(SMALL, plan)


@pytest.mark.parametrize("stem", sorted(p.stem for p in (ROOT / "tools" / "slides" / "lectures").glob("*.yml")))
def test_every_plan_matches_its_chapter(stem):
    nb_path = ROOT / "notebooks" / f"{stem}.ipynb"
    assert nb_path.exists(), f"lecture plan for a chapter that does not exist: {stem}"
    nb = nbformat.read(nb_path, as_version=4)
    chapter = lecture.read_chapter(nb, nb_path, warn=lambda *a: None)
    left = []
    slides = lecture.compose(chapter, lecture.load_plan(stem), warn=left.append)
    assert left == [], left  # a plan lists every section (or says in a comment why not)
    assert slides[0].role == "question" and slides[0].pieces[0].md.rstrip().endswith("?")


def test_long_html_table_is_split_with_its_header():
    rows = "".join(f"<tr><td>E{i}</td><td>{'a long explanation ' * 12}</td></tr>" for i in range(12))
    html = f"<table><caption>{'c' * 200}</caption><thead><tr><th>id</th><th>why</th></tr></thead><tbody>{rows}</tbody></table>"
    out = nbformat.v4.new_output("display_data", data={"text/html": html})
    parts = prepare.split_table_output(out, 500)
    assert len(parts) > 1
    seen = []
    for p in parts:
        h = p["data"]["text/html"]
        assert h.count("<th>") == 2 and "<caption>" not in h and p["metadata"]["deck_notes"] == "c" * 200
        assert p["metadata"]["deck_height"] <= 500
        seen += re.findall(r"<td>(E\d+)</td>", h)
    assert seen == [f"E{i}" for i in range(12)]


def test_long_markdown_table_and_printed_output_continue_on_the_next_slide():
    table = "| n | o |\n| --- | --- |\n" + "\n".join(f"| {n} | {n - 2} |" for n in range(3, 43))
    printed = nbformat.v4.new_output("stream", name="stdout", text="".join(f"line {i}\n" for i in range(60)))
    _, slides = build_lecture([md("# T"), md("## Table\n\n" + table), md("## Printed"), code("p()", [printed])])
    tables = [s for s in slides if s.section == "Table"]
    assert len(tables) > 1 and all(s.used <= rules.CAPACITY for s in tables)
    shown = [r for s in tables for r in s.pieces[0].md.splitlines()]
    assert sum(r.startswith("| n |") for r in shown) == len(tables)  # the header on every part
    assert [r for r in shown if not r.startswith(("| n |", "| ---"))] == table.splitlines()[2:]
    prints = [s for s in slides if s.section == "Printed"]
    assert len(prints) > 1 and all(s.used <= rules.CAPACITY for s in prints)
    text = "".join(p.cell["outputs"][0]["text"] for s in prints for p in s.pieces)
    assert text == printed["text"]


def test_sentences_keep_math_and_abbreviations():
    assert rules.sentences("A $k = 3.5$ kernel. Then e.g. more. (A note.) Last") == \
        ["A $k = 3.5$ kernel.", "Then e.g. more.", "(A note.)", "Last"]


# --------------------------------------------------------------------------------------------
# 5. Figures drawn for the deck (a separate Python: render.install patches matplotlib)
# --------------------------------------------------------------------------------------------

def test_deck_run_draws_small_labels_large_enough():
    script = textwrap.dedent(f"""
        import base64, io, json, sys
        sys.path.insert(0, {str(ROOT)!r})
        from tools.slides import render
        render.install()
        from matplotlib.figure import Figure
        fig = Figure(figsize=(9, 3.6), dpi=72)
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, 1]); ax.set_title("eight-point title", fontsize=8)
        for x in range(6):
            ax.text(x / 6, 0.5, f"label {{x}}", fontsize=8)
        ax.tick_params(labelsize=8)
        buf = io.BytesIO(); fig.savefig(buf, format="png", bbox_inches="tight")
        print(json.dumps([render.png_meta(buf.getvalue()), render.png_size(buf.getvalue())]))
    """)
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    meta, (w, h) = json.loads(res.stdout.strip().splitlines()[-1])
    shown_w, shown_h = w / meta["density"], h / meta["density"]
    px = meta["min_text_pt"] * meta["dpi"] / 72 * shown_w / w
    assert px >= render.TARGET_PX >= MIN_PX
    assert meta["font_factor"] > 1  # 8 pt on a 9-inch figure is too small for the slide as drawn
    assert shown_w <= render.BOX_W + 1 and shown_h <= max(render.BOX_H, render.FULL_H) + 1


# --------------------------------------------------------------------------------------------
# The no-external-URL check (no browser)
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("snippet", [
    '<script src="https://cdn.jsdelivr.net/npm/x.js"></script>',
    '<script src="//unpkg.com/reveal.js@4.0.2/dist/reveal.js"></script>',
    '<link rel="stylesheet" href="http://example.org/theme.css">',
    '<img src="https://example.org/a.png">',
    '<style>@import url(https://fonts.googleapis.com/css?family=Lato);</style>',
    '<style>@font-face { src: url("https://example.org/f.woff2"); }</style>',
    "<script type=\"module\">import mermaid from 'https://cdnjs.cloudflare.com/m.mjs';</script>",
    "<script>require(['https://unpkg.com/reveal.js@4.0.2/dist/reveal.js'], f)</script>",
    '<div style="background: url(https://example.org/bg.png)"></div>',
])
def test_external_loads_are_found(snippet):
    assert urls.find_external_urls(snippet)


@pytest.mark.parametrize("snippet", [
    '<script src="vendor/requirejs/require.js"></script>',
    '<link rel="stylesheet" href="vendor/reveal.js/dist/reveal.css">',
    '<a href="https://github.com/x/y">a link is not a load</a>',
    '<img src="data:image/png;base64,AAAA">',
    '<style>/* see https://github.com/x */ .a { background: url(img/a.png); }</style>',
    '<script>var s = "see https://example.org for details";</script>',
])
def test_local_or_non_loading_urls_pass(snippet):
    assert urls.find_external_urls(snippet) == []


def test_check_deck_follows_local_stylesheets(tmp_path):
    (tmp_path / "a.css").write_text("@import url(./b.css);")
    (tmp_path / "b.css").write_text("@import url(https://fonts.googleapis.com/css?family=X);")
    deck = tmp_path / "d.slides.html"
    deck.write_text('<link rel="stylesheet" href="a.css">')
    problems = export.check_deck(deck)
    assert len(problems) == 1 and "googleapis" in problems[0]


def test_font_awesome_cdn_link_is_replaced():
    html_out = nbformat.v4.new_output("display_data", data={"text/html": (
        '<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/font-awesome/4.4.0/css/'
        'font-awesome.min.css"><div class="animation"></div>')})
    out = prepare.adapt_output(html_out)["data"]["text/html"]
    assert assets.FONT_AWESOME_URL in out and "bootstrapcdn" not in out


def test_toc_chapters_are_the_notebooks():
    assert ALL_TOC and all(p.suffix == ".ipynb" and p.parent.name == "notebooks" for p in ALL_TOC)


def test_slides_link_href():
    spec = importlib.util.spec_from_file_location("slides_link", ROOT / "tools" / "slides_link.py")
    sl = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sl)
    assert sl.slides_href("notebooks/01_convolution") == "../slides/01_convolution.slides.html"
    assert 'href="../slides/errata.slides.html"' in sl.link_html("notebooks/errata")


# --------------------------------------------------------------------------------------------
# Built decks
# --------------------------------------------------------------------------------------------

DEMO_CELLS = [
    ("md", "# Demo deck\n\nThe output size is $o = \\lfloor (n + 2p - k)/s \\rfloor + 1$."),
    ("code", ("import matplotlib\nmatplotlib.use('agg')\nimport matplotlib.pyplot as plt\n"
              "from matplotlib.animation import FuncAnimation\nfrom IPython.display import HTML\n"
              "import pandas as pd\nimport ipywidgets as widgets\n"
              "conv1 = (227 - 11) // 4 + 1")),
    ("md", "## A table\n\nAlexNet's first layer gives {eval}`conv1` outputs per side."),
    ("code", ("pd.DataFrame({'layer': ['conv1', 'pool1', 'conv2', 'pool2', 'conv3', 'conv4'],\n"
              "              'output (H×W×C)': ['55×55×96', '27×27×96', '27×27×256', '13×13×256',"
              " '13×13×384', '13×13×384'],\n"
              "              'params': [34944, 0, 614656, 0, 885120, 1327488]})")),
    ("md", "## An animation"),
    ("code", ("fig, ax = plt.subplots(figsize=(6, 2.5))\nax.set_xlim(0, 10); ax.set_ylim(0, 1)\n"
              "(bar,) = ax.plot([0, 3], [0.5, 0.5], lw=12)\n"
              "def draw(i):\n    bar.set_data([i, i + 3], [0.5, 0.5])\n    return (bar,)\n"
              "anim = FuncAnimation(fig, draw, frames=8)\nplt.close(fig)\n"
              "HTML(anim.to_jshtml(default_mode='once'))")),
    ("md", "## Inline HTML and JavaScript"),
    ("code", ("HTML('<div id=\"demo-js\" style=\"font-size:30px\">JS did not run</div>'\n"
              "     '<script>document.getElementById(\"demo-js\").textContent = \"JS ran\";</script>')")),
    ("md", "### A widget (stored state)"),
    ("code", "widgets.IntSlider(value=3, min=1, max=7, description='k')"),
    ("md", "## Code shown on purpose"),
    ("code:slides-show-code", "(227 - 11) // 4 + 1"),
    ("md:notes", "Say: the stride divides the span, then add one."),
    ("md:fragment", "**Check:** the answer is 55."),
    ("md", "## A long section"),
] + [("md", f"Paragraph {i}: " + " ".join(["padding keeps the output size"] * 13)) for i in (1, 2, 3)]
# the question slide, 5 ## and ### sections (table, animation, HTML, widget, code) and the long
# section over 2 slides: three 5-line paragraphs (3 × 209 px) and its title do not fit 670 px
DEMO_EXPECTED_SLIDES = 8


def _demo_notebook(path: Path):
    from nbclient import NotebookClient

    cells = []
    for kind, src in DEMO_CELLS:
        base, _, extra = kind.partition(":")
        meta = {}
        if extra == "slides-show-code":
            meta["tags"] = [extra]
        elif extra:
            meta["slideshow"] = {"slide_type": extra}
        cells.append(md(src, **meta) if base == "md" else code(src, **meta))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                   store_widget_state=True).execute()
    nb.cells[2].metadata["user_expressions"] = stored(conv1="55")  # what `make execute` stores
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="session")
def decks(tmp_path_factory):
    """All migrated chapters, the demo and a one-cell notebook as decks in a temporary folder."""
    tmp = tmp_path_factory.mktemp("slides")
    demo = _demo_notebook(tmp / "demo_slides.ipynb")
    tiny = tmp / "one_cell.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[md("# Only one cell")]), tiny)
    skipped = [p.name for p in ALL_TOC if p not in CHAPTERS]
    if skipped:
        print(f"\nnot migrated to {{eval}} (no deck): {', '.join(skipped)}")
    notebooks = CHAPTERS + [demo, tiny]
    out = tmp / "html" / "slides"
    built = export.build(notebooks, out)
    expected = {}
    for deck, nb_path in zip(built, notebooks):
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(deck.read_text(encoding="utf-8"), "html.parser")
        expected[deck.name] = len(soup.select(".reveal .slides > section > section"))
    return out, dict(zip((p.stem for p in notebooks), built)), expected


def _soup(deck):
    from bs4 import BeautifulSoup

    return BeautifulSoup(deck.read_text(encoding="utf-8"), "html.parser")


def _slides(soup):
    return soup.select(".reveal .slides > section > section")


def _visible_text(slide) -> str:
    parts = []
    for el in slide.find_all(string=True):
        if el.find_parent(["aside", "script", "style"]) is None:
            parts.append(str(el))
    return " ".join(" ".join(parts).split())


def _text(soup_or_tag) -> str:
    """All text (visible and speaker notes), without scripts and styles."""
    parts = [str(t) for t in soup_or_tag.find_all(string=True) if t.find_parent(["script", "style"]) is None]
    return " ".join(" ".join(parts).split())


def _norm(text: str) -> str:
    """Text without markup and whitespace (inline elements add spaces around their text)."""
    return re.sub(r"[*_`$\\{}¶\s]", "", text)


def test_demo_and_tiny_decks_have_the_slides_counted_by_hand(decks):
    _, _, expected = decks
    assert expected["demo_slides.slides.html"] == DEMO_EXPECTED_SLIDES
    assert expected["one_cell.slides.html"] == 1


def test_built_decks_have_no_external_urls(decks):
    out, built, _ = decks
    for deck in built.values():
        assert export.check_deck(deck) == []
        assert "mermaid" not in deck.read_text().split("</head>")[0]
    assert json.loads((out / "vendor" / "VERSIONS.json").read_text())["reveal.js"] == "4.6.1"


QUOTED = re.compile(r"""(['"‘“])\(?[-+]?\d[\d,.]*(?:\s*[×x,]\s*\d[\d,.]*)*\)?(['"’”])""")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_1_every_value_is_plain_text_in_the_deck(decks, chapter):
    _, built, _ = decks
    html = built[chapter.stem].read_text(encoding="utf-8")
    assert "{eval}" not in html and "{glue" not in html and "⟨" not in html
    text = _norm(_text(_soup(built[chapter.stem])))
    nb = nbformat.read(chapter, as_version=4)
    missing = []
    for cell in nb.cells:
        if cell.cell_type != "markdown" or rules.left_out(cell):
            continue
        for expr, data in myst.stored_values(cell, chapter.name).items():
            shown = _norm(myst.value_text(data, chapter.name, expr))
            if shown not in text:
                missing.append((expr, shown))
    assert missing == []


@pytest.mark.parametrize("name", [p.stem for p in CHAPTERS] + ["demo_slides"])
def test_1_no_python_quoted_value_in_any_deck(decks, name):
    _, built, _ = decks
    soup = _soup(built[name])
    for slide in _slides(soup):
        text = _text(slide)
        assert not QUOTED.search(text), (QUOTED.search(text).group(0), text[:200])
    if name == "demo_slides":
        assert "gives 55 outputs" in _visible_text(_slides(soup)[1])


def _answer_count(nb_path: Path) -> int:
    n = 0
    for cell in nbformat.read(nb_path, as_version=4).cells:
        if cell.cell_type == "markdown" and not rules.left_out(cell):
            src = cell.source
            n += len(re.findall(r"^\s*(?:```+|:::+)\{admonition\}\s*(?:Answer|Solution)", src, re.MULTILINE | re.IGNORECASE))
            n += len(re.findall(r"^\s*(?:```+|:::+)\{(?:dropdown|(?!admonition)\w+)\}[^\n]*\n(?:\s*:[\w-]+:.*\n)*?"
                                r"\s*:class:[^\n]*dropdown", src, re.MULTILINE))
    return n


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_2_every_answer_is_a_fragment_after_its_question(decks, chapter):
    _, built, _ = decks
    soup = _soup(built[chapter.stem])
    answers = soup.select(".celltag_deck-answer")
    plan = lecture.load_plan(chapter.stem) or {}
    assert len(answers) == _answer_count(chapter) + len(plan.get("checks") or [])
    for a in answers:
        assert a.find_parent(class_="fragment") is not None, a.get_text()[:80]
        slide = a.find_parent("section")
        question = slide.select_one(".celltag_deck-question")
        if question is not None:  # the answer follows the question on its slide
            assert str(slide).index(str(question)) < str(slide).index(str(a))
        else:  # or is on the next slide, titled as the answer to it
            assert slide.find(["h1", "h2"]).get_text().rstrip("¶").endswith(": answer")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_3_jupyter_only_content_is_not_in_the_deck(decks, chapter):
    _, built, _ = decks
    html = built[chapter.stem].read_text(encoding="utf-8")
    text = _text(_soup(built[chapter.stem]))
    assert rules.WIDGET_MIME not in html and "jupyter-widgets" not in html.split("</head>")[1]
    assert not rules.MEDIUM.search(text), rules.MEDIUM.search(text).group(0)
    for cell in nbformat.read(chapter, as_version=4).cells:
        if rules.JUPYTER_ONLY_TAG in rules.tags(cell) and cell.cell_type == "markdown":
            assert _norm(cell.source)[:60] not in _norm(text)


@pytest.mark.parametrize("name", [p.stem for p in CHAPTERS] + ["demo_slides", "one_cell"])
def test_4_every_slide_has_a_title(decks, name):
    _, built, _ = decks
    earlier: list[str] = []
    for slide in _slides(_soup(built[name])):
        heading = slide.find(["h1", "h2", "h3"])
        assert heading is not None and heading.get_text().strip("¶ \n"), str(slide)[:200]
        title = heading.get_text().strip("¶ \n")
        if slide.get("data-continued"):  # a later slide of a section repeats its title
            assert title.endswith((" (continued)", ": answer")), title
            base = title.removesuffix(" (continued)").removesuffix(": answer")
            assert base in earlier, (title, earlier)
        earlier.append(title)


def _paragraphs(nb_path: Path):
    """(paragraph text, is shown whole) of a chapter's prose, as the deck must carry it."""
    nb = nbformat.read(nb_path, as_version=4)
    res = myst.Resolver(nb_path, lecture._labels(nb.cells))
    for cell in nb.cells:
        if cell.cell_type != "markdown" or rules.left_out(cell):
            continue
        text = myst.substitute(cell.source, myst.stored_values(cell, nb_path.name), nb_path.name, res)
        for b in myst.blocks(text):
            if b.kind == "paragraph" and not lecture._GOALS.match(b.md):
                p = rules.drop_medium(b.md)
                if p:
                    yield p


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_6_prose_not_on_the_slide_is_in_its_notes(decks, chapter):
    _, built, _ = decks
    slides = _slides(_soup(built[chapter.stem]))
    notes = [_norm(" ".join(a.get_text(" ") for a in s.select("aside.notes"))) for s in slides]
    shown = [_norm(_visible_text(s)) for s in slides]
    for para in _paragraphs(chapter):
        whole = _norm(para)
        first = _norm(rules.sentences(para)[0])
        carried = [i for i in range(len(slides)) if whole in notes[i] or whole in shown[i]]
        assert carried, f"paragraph in no slide and no notes: {para[:100]}"
        for i, text in enumerate(shown):
            if first in text and whole not in text and len(first) > 40:
                assert whole in notes[i], f"slide {i} shows '{first[:60]}' without its paragraph in the notes"


RANK = {"question": 0, "idea": 1, "demo": 1, "example": 1, "check": 2, "summary": 3}


@pytest.mark.parametrize("name", [p.stem for p in CHAPTERS] + ["demo_slides"])
def test_7_lecture_order(decks, name):
    _, built, _ = decks
    slides = _slides(_soup(built[name]))
    roles = [s.get("data-role") for s in slides]
    assert all(r in RANK for r in roles), roles
    # question → idea (demo, worked example) → check → summary
    assert roles[0] == "question" and "Question:" in _visible_text(slides[0])
    ranks = [RANK[r] for r in roles]
    assert ranks == sorted(ranks), roles
    if "example" in roles:  # a worked example follows an idea it works
        assert "idea" in roles[:roles.index("example")]
    chapter = next((p for p in CHAPTERS if p.stem == name), None)
    if chapter is not None and _answer_count(chapter):
        assert "check" in roles
    plan = lecture.load_plan(name)
    if plan:
        assert " ".join(plan["question"].split()) in " ".join(_visible_text(slides[0]).split())
        sections = [_norm(s.get("data-section", "")).lower() for s in slides]
        firsts = []
        for entry in plan["sections"]:
            head = _norm(entry if isinstance(entry, str) else entry["heading"]).lower()
            firsts.append(next(i for i, sec in enumerate(sections) if sec.startswith(head)))
        assert firsts == sorted(firsts), list(zip(plan["sections"], firsts))


# --------------------------------------------------------------------------------------------
# Decks in a real browser
# --------------------------------------------------------------------------------------------

def _require_browser():
    if not Path(CHROMIUM).exists():
        msg = f"{CHROMIUM} not found: browser tests need Debian chromium"
        if os.environ.get("CI") or os.environ.get("CNNLIB_REQUIRE_BROWSER"):
            pytest.fail(msg)
        print(f"SKIP: {msg}")
        pytest.skip(msg)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if os.environ.get("CI") or os.environ.get("CNNLIB_REQUIRE_BROWSER"):
            raise
        pytest.skip("playwright (python) is not installed")


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def server(decks):
    out, _, _ = decks
    handler = functools.partial(_QuietHandler, directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _open(browser, url, allowed_prefix):
    """Open a deck; return (page, problems) where problems collects external requests and errors."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    problems: list[str] = []

    def on_request(req):
        u = req.url
        if not u.startswith((allowed_prefix, "data:", "blob:", "about:")):
            problems.append(f"external request: {u}")

    page.on("request", on_request)
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.goto(url, wait_until="load")
    page.wait_for_function("window.Reveal && Reveal.isReady && Reveal.isReady()", timeout=30000)
    # MathJax 2 typesets asynchronously; wait until its queue is idle
    page.wait_for_function(
        "!window.MathJax || !MathJax.Hub || (MathJax.Hub.queue.pending === 0 && MathJax.Hub.queue.running === 0)",
        timeout=30000)
    return page, problems


FIT_JS = """() => {
    const s = Reveal.getCurrentSlide();
    const zoom = parseFloat(s.style.zoom || "1");
    const avail = Reveal.getConfig().height;
    const scrolls = s.style.overflowY === "auto";
    return {indices: Reveal.getIndices(), zoom: zoom, height: s.scrollHeight * zoom, avail: avail,
            scrolls: scrolls, fits: !scrolls && s.scrollHeight * zoom <= avail,
            wide: s.scrollWidth > s.clientWidth + 2};
}"""

# Text sizes on the current slide, in CSS px of the 1280×720 slide (reveal's scale to the
# window taken out, the zoom of a slide fitted to the screen kept).
SIZES_JS = """() => {
    const s = Reveal.getCurrentSlide(), scale = Reveal.getScale();
    const zoomOf = el => { let z = 1; for (let e = el; e; e = e.parentElement) {
        const v = parseFloat(getComputedStyle(e).zoom); if (v) z *= v; } return z; };
    const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const cells = [], images = [], svg = [];
    s.querySelectorAll('td, th, caption').forEach(el => {
        if (!shown(el) || !el.textContent.trim()) return;
        cells.push([el.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(el).fontSize) * zoomOf(el)]);
    });
    s.querySelectorAll('img').forEach(img => {
        if (!shown(img) || !img.src.startsWith('data:image/png')) return;
        images.push({src: img.src, natural: img.naturalWidth,
                     width: img.getBoundingClientRect().width / scale, id: img.id || img.className});
    });
    s.querySelectorAll('svg text').forEach(t => {
        if (!shown(t) || !t.textContent.trim()) return;
        const root = t.ownerSVGElement;
        const vb = root.viewBox && root.viewBox.baseVal && root.viewBox.baseVal.width;
        const units = vb || root.width.baseVal.value;
        const px = parseFloat(getComputedStyle(t).fontSize) * (root.getBoundingClientRect().width / scale) / units;
        svg.push([t.textContent.trim().slice(0, 20), px]);
    });
    return {indices: Reveal.getIndices(), cells, images, svg};
}"""


def _png_text_px(img) -> float | None:
    """Smallest text of a PNG drawn by a deck run, in px on the slide: its font size (pt) at
    its dpi, scaled by the displayed width over the image's width (None: no record)."""
    png = base64.b64decode(img["src"].split(",", 1)[1])
    meta = render.png_meta(png)
    if not meta:
        return None
    if meta["min_text_pt"] is None:
        return float("inf")  # a drawing without text
    return meta["min_text_pt"] * meta["dpi"] / 72 * img["width"] / img["natural"]


def _deck_params():
    return [p.stem + ".slides.html" for p in CHAPTERS] + ["demo_slides.slides.html", "one_cell.slides.html"]


@pytest.mark.browser
@pytest.mark.parametrize("via", ["file", "http"])
@pytest.mark.parametrize("name", _deck_params())
def test_deck_in_browser(decks, browser, server, name, via):
    """Every slide fits the 1280×720 slide, the arrow key reaches every slide and fragment,
    nothing is loaded from another host; on the way (file://): 5. text sizes, 2. answers
    hidden until their fragment, 6. notes where the slide has prose."""
    out, _, expected = decks
    deck = out / name
    if via == "file":
        url, prefix = deck.as_uri(), "file://"
    else:
        url, prefix = f"{server}/{name}", server + "/"
    page, problems = _open(browser, url, prefix)
    try:
        total = page.evaluate("Reveal.getTotalSlides()")
        assert total == expected[name], (total, expected[name])
        SHOTS.mkdir(parents=True, exist_ok=True)
        stem = name.replace(".slides.html", "")
        small, unmeasured, seen = [], [], set()

        def settle(step):
            # the deck fits each slide to the screen once MathJax is done with it
            page.wait_for_function("Reveal.getCurrentSlide().dataset.fitted === '1'", timeout=20000)
            fit = page.evaluate(FIT_JS)
            assert fit["fits"], f"slide {fit['indices']} does not fit: {fit}"
            assert not fit["wide"], f"slide {fit['indices']} is wider than the screen: {fit}"
            if via != "file":
                return
            idx = (fit["indices"]["h"], fit["indices"]["v"])
            if idx not in seen:  # first time on this slide: no fragment shown yet
                seen.add(idx)
                hidden = page.evaluate("""() => [...Reveal.getCurrentSlide().querySelectorAll(
                    '.celltag_deck-answer')].map(a => getComputedStyle(a.closest('.fragment')).opacity)""")
                assert all(float(o) == 0 for o in hidden), f"answer visible with its question on {idx}"
                sizes = page.evaluate(SIZES_JS)
                for text, px in sizes["cells"] + sizes["svg"]:
                    if px < MIN_PX:
                        small.append((idx, text, round(px, 1)))
                for img in sizes["images"]:
                    px = _png_text_px(img)
                    if px is None:
                        unmeasured.append((idx, img["id"]))
                    elif px < MIN_PX:
                        small.append((idx, img["id"], round(px, 1)))
                page.screenshot(path=str(SHOTS / f"{stem}-{step + 1:02d}.png"))

        settle(0)
        steps = 0
        before = page.evaluate("JSON.stringify(Reveal.getIndices())")
        while not page.evaluate("Reveal.isLastSlide() && !Reveal.availableFragments().next"):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(50)
            now = page.evaluate("JSON.stringify(Reveal.getIndices())")
            assert now != before, f"ArrowRight did not advance from {before}"
            before = now
            steps += 1
            assert steps < 400
            settle(steps)
        assert page.evaluate("Reveal.getSlidePastCount()") + 1 == total
        assert small == [], f"text below {MIN_PX} px on the slide: {small}"
        assert unmeasured == [], f"figures not drawn by the deck run (no text size recorded): {unmeasured}"
        assert problems == []
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", [p.stem + ".slides.html" for p in CHAPTERS])
def test_6_speaker_notes_in_the_browser(decks, browser, name):
    """reveal.js gives notes (what the speaker view shows) for every slide whose prose the
    slide shortens, and an answer appears with its fragment."""
    out, _, _ = decks
    page, problems = _open(browser, (out / name).as_uri(), "file://")
    try:
        rows = page.evaluate("""() => Reveal.getSlides().map(s => ({
            bullets: s.querySelectorAll('.jp-RenderedMarkdown li').length,
            role: s.dataset.role, notes: (Reveal.getSlideNotes(s) || '').trim().length,
            prose: [...s.querySelectorAll('aside.notes')].length}))""")
        for i, r in enumerate(rows):
            assert (r["notes"] > 0) == (r["prose"] > 0), f"slide {i}: reveal.js notes {r}"
        assert any(r["notes"] for r in rows)
        where = page.evaluate("""() => { const s = document.querySelector('.celltag_deck-answer');
            if (!s) return null; const sec = s.closest('section'); return Reveal.getIndices(sec); }""")
        if where:
            page.evaluate(f"Reveal.slide({where['h']}, {where['v']}, -1)")
            frag = "document.querySelector('.celltag_deck-answer').closest('.fragment')"
            assert float(page.evaluate(f"getComputedStyle({frag}).opacity")) == 0
            page.evaluate("Reveal.nextFragment()")
            page.wait_for_timeout(400)
            assert float(page.evaluate(f"getComputedStyle({frag}).opacity")) == 1
        assert problems == []
    finally:
        page.close()


@pytest.mark.browser
def test_demo_interactive_content_works(decks, browser):
    out, _, _ = decks
    page, problems = _open(browser, (out / "demo_slides.slides.html").as_uri(), "file://")
    try:
        # math rendered by the vendored MathJax 2
        assert page.locator(".MathJax_CHTML, .MathJax").count() > 0
        # the stored {eval} value in the prose
        assert "gives 55 outputs" in page.inner_text(".reveal .slides")
        # inline HTML+JS output ran
        assert page.inner_text("#demo-js") == "JS ran"
        # the to_jshtml player (drawn by the deck run): moving its slider changes the frame
        where = page.evaluate("Reveal.getIndices(document.querySelector('img[id^=_anim_img]').closest('section'))")
        page.evaluate(f"Reveal.slide({where['h']}, {where['v']})")
        img = page.locator("img[id^=_anim_img]")
        first = img.get_attribute("src")
        page.locator("input.anim-slider").fill("5")
        page.wait_for_timeout(200)
        assert img.get_attribute("src") != first
        # play/pause buttons have their Font Awesome icons (vendored)
        assert page.evaluate("""getComputedStyle(document.querySelector('.anim-buttons i.fa'))
                                .fontFamily""").lower().startswith("fontawesome")
        # the widget renders its stored state
        page.wait_for_selector(".widget-slider, .jupyter-widgets", timeout=20000)
        assert page.locator(".widget-readout").first.inner_text().strip() == "3"
        # code shown only where tagged
        assert page.locator(".jp-CodeCell .jp-InputArea").count() == 1
        assert "(227 - 11) // 4 + 1" in page.locator(".jp-CodeCell .jp-InputArea").inner_text()
        # the author's notes cell is a speaker note; the fragment cell a fragment
        notes = page.evaluate("[...document.querySelectorAll('aside.notes')].map(a => a.textContent).join(' ')")
        assert "the stride divides the span" in notes
        assert "the answer is 55" in page.locator(".fragment").last.inner_text()
        assert problems == []
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("via", ["file", "http"])
def test_chapter_animation_player_icons_load(decks, browser, server, via):
    """The chapters' jshtml players (cnnlib.plots.jshtml drops matplotlib's CDN link) get
    their Font Awesome 4 icons from the vendored stylesheet: the face loads, from file:// too."""
    out, _, _ = decks
    name = "01_convolution.slides.html"
    if not (out / name).exists():
        pytest.skip("chapter 1 is not migrated")
    url, prefix = ((out / name).as_uri(), "file://") if via == "file" else (f"{server}/{name}", server + "/")
    page, problems = _open(browser, url, prefix)
    try:
        where = page.evaluate("""() => {
            const b = document.querySelector('.anim-buttons i.fa-play');
            return b ? Reveal.getIndices(b.closest('section')) : null; }""")
        assert where is not None, "chapter 1's deck has no animation player"
        page.evaluate(f"Reveal.slide({where['h']}, {where['v']})")
        page.wait_for_function("""[...document.fonts].some(f =>
            f.family.replace(/["']/g, '') === 'FontAwesome' && f.status === 'loaded')""", timeout=15000)
        # the icon is a glyph, not an empty box: the play icon's ::before holds U+F04B
        content = page.evaluate("""getComputedStyle(document.querySelector('.anim-buttons i.fa-play'),
                                   '::before').content""")
        assert content == '"\uf04b"', content
        if via == "file":
            page.wait_for_timeout(300)
            page.screenshot(path=str(SHOTS / "01_convolution-player.png"))
        assert problems == []
    finally:
        page.close()
