"""Slides (tools/build_slides.py, tools/slides/): the slide-type rule, MyST simplification, the
offline check (tools/urls.py), and the decks in Chromium.

The browser tests build every chapter listed in _toc.yml plus a demo notebook (executed here,
with math, a table, a to_jshtml animation, inline HTML+JS, a widget, glue and speaker notes)
into a temporary folder, then open each deck from file:// and from a local HTTP server on
127.0.0.1 with Playwright + Debian chromium.  Screenshots go to _build/screenshots/slides/.
Without /usr/bin/chromium the browser tests are skipped, unless CI or CNNLIB_REQUIRE_BROWSER
is set (then they fail).
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import os
import sys
import threading
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "_build" / "screenshots" / "slides"

if str(ROOT) not in sys.path:  # tools/ is a package of scripts, not installed
    sys.path.insert(0, str(ROOT))
from tools import urls
from tools.slides import assets, export, prepare, rules


def md(src, **meta):
    return nbformat.v4.new_markdown_cell(src, metadata=meta)


def code(src, outputs=(), **meta):
    c = nbformat.v4.new_code_cell(src, metadata=meta)
    c.outputs = list(outputs)
    return c


def out_text(text):
    return nbformat.v4.new_output("execute_result", data={"text/plain": text}, execution_count=1)


# --------------------------------------------------------------------------------------------
# The default slide-type rule (no browser)
# --------------------------------------------------------------------------------------------

def test_headings_start_slides_and_subslides():
    cells = [md("# Title\n\nIntro."), md("Some prose."), md("## Section"), md("Text."),
             md("### Detail"), md("More.")]
    assert rules.assign_slide_types(cells) == ["slide", "-", "slide", "-", "subslide", "-"]
    assert rules.expected_slide_count(cells) == 3


def test_explicit_metadata_wins():
    cells = [md("# Title", slideshow={"slide_type": "slide"}),
             md("## Not a new slide", slideshow={"slide_type": "-"}),
             md("plain", slideshow={"slide_type": "fragment"}),
             md("notes", slideshow={"slide_type": "notes"}),
             md("## skipped heading", slideshow={"slide_type": "skip"}),
             md("body", tags=["slides-skip"]),
             md("plain but new", slideshow={"slide_type": "subslide"})]
    assert rules.assign_slide_types(cells) == ["slide", "-", "fragment", "notes", "skip", "skip",
                                            "subslide"]
    assert rules.expected_slide_count(cells) == 2


def test_code_without_visible_output_is_skipped():
    stderr = nbformat.v4.new_output("stream", name="stderr", text="warning\n")
    cells = [md("# T"), code("import x"), code("warn()", [stderr]),
             code("x", [out_text("1")], tags=["remove-output"]),
             code("fig", [out_text("<Figure size 640x480 with 1 Axes>")]),
             code("1 + 1", [out_text("2")]), code("y = 1", tags=["slides-show-code"]),
             md("x", tags=["remove-cell"]), md("(label)=\n% a comment"),
             nbformat.v4.new_raw_cell("raw")]
    assert rules.assign_slide_types(cells) == ["slide", "skip", "skip", "skip", "skip", "-", "-",
                                            "skip", "skip", "skip"]


def test_first_visible_cell_starts_a_slide_and_empty_decks_have_one_slide():
    assert rules.assign_slide_types([code("import x"), md("no heading")]) == ["skip", "slide"]
    assert rules.expected_slide_count([md("# Only cell")]) == 1
    assert rules.expected_slide_count([]) == 1
    assert rules.expected_slide_count([code("import x")]) == 1


def test_full_slide_continues_on_a_subslide_but_heading_only_slide_does_not():
    long = " ".join(["word"] * 80)  # 399 characters: 5 lines each
    cells = [md("## A"), md(long), md(long), md(long)]
    assert rules.assign_slide_types(cells) == ["slide", "-", "-", "subslide"]
    big_png = nbformat.v4.new_output("display_data", data={"image/png": _png_b64(100, 600)})
    cells = [md("## Figure"), code("plot()", [big_png])]
    assert rules.assign_slide_types(cells) == ["slide", "-"]  # not a heading alone on a slide


def _png_b64(w, h):
    import base64
    import struct
    import zlib

    raw = b"".join(b"\x00" + b"\xff" * (w * 3) for _ in range(h))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return base64.b64encode(png).decode()


def test_png_height_estimate():
    assert rules._png_height(_png_b64(7, 123)) == 123


def test_prepare_hides_inputs_except_tagged_and_keeps_notebook_unchanged():
    nb = nbformat.v4.new_notebook(cells=[md("# T"), code("secret()", [out_text("1")]),
                                         code("shown()", [out_text("2")], tags=["slides-show-code"])])
    before = json.dumps(nb, sort_keys=True)
    prepared = prepare.prepare_notebook(nb)
    assert json.dumps(nb, sort_keys=True) == before
    assert prepared.cells[1].metadata["transient"]["remove_source"] is True
    assert "transient" not in prepared.cells[2].metadata
    assert [c.metadata["slideshow"]["slide_type"] for c in prepared.cells] == ["slide", "-", "-"]


def test_all_hidden_notebook_gets_a_title_slide():
    nb = nbformat.v4.new_notebook(cells=[code("import x")])
    prepared = prepare.prepare_notebook(nb, Path("notebooks/08_vgg.ipynb"))
    assert prepared.cells[0].source == "# 08_vgg"
    assert prepared.cells[0].metadata["slideshow"]["slide_type"] == "slide"


def test_glue_and_myst_are_simplified():
    glued = nbformat.v4.new_output("display_data", data={"text/plain": "55"},
                                   metadata={"scrapbook": {"name": "o", "mime_prefix": ""}})
    big = nbformat.v4.new_output("display_data", data={"text/plain": "1234567.891"},
                                 metadata={"scrapbook": {"name": "n", "mime_prefix": ""}})
    nb = nbformat.v4.new_notebook(cells=[
        code("glue('o', 55)", [glued, big]),
        md("(sec-x)=\n# Out {glue:text}`o` and {glue:text}`n:,.1f`, {math}`k^2`, "
           "see {ref}`the table <tab-x>` and {glue}`missing`\n% comment\n"
           ":::{note}\nKeep $p$ per side.\n:::\n$$ o = n - k + 1 $$ (eq-o)"),
    ])
    text = prepare.prepare_notebook(nb).cells[1].source
    assert "(sec-x)=" not in text and "comment" not in text
    assert "Out 55 and 1,234,567.9, $k^2$, see the table and ⟨missing⟩" in text
    assert "> **Note**" in text and "> Keep $p$ per side." in text
    assert "$$ o = n - k + 1 $$" in text and "(eq-o)" not in text


def test_font_awesome_cdn_link_is_replaced():
    html_out = nbformat.v4.new_output("display_data", data={"text/html": (
        '<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/font-awesome/4.4.0/css/'
        'font-awesome.min.css"><div class="animation"></div>')})
    nb = nbformat.v4.new_notebook(cells=[md("# T"), code("anim", [html_out])])
    out = prepare.prepare_notebook(nb).cells[1].outputs[0].data["text/html"]
    assert assets.FONT_AWESOME_URL in out and "bootstrapcdn" not in out


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


def test_toc_chapters_are_the_notebooks():
    chapters = export.toc_chapters()
    assert chapters and all(p.suffix == ".ipynb" and p.parent.name == "notebooks" for p in chapters)


def test_slides_link_href():
    spec = importlib.util.spec_from_file_location("slides_link", ROOT / "tools" / "slides_link.py")
    sl = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sl)
    assert sl.slides_href("notebooks/01_convolution") == "../slides/01_convolution.slides.html"
    assert 'href="../slides/errata.slides.html"' in sl.link_html("notebooks/errata")


# --------------------------------------------------------------------------------------------
# Decks in a real browser
# --------------------------------------------------------------------------------------------

DEMO_CELLS = [
    ("md", "# Demo deck\n\nThe output size is $o = \\lfloor (n + 2p - k)/s \\rfloor + 1$."),
    ("code", ("import matplotlib\nmatplotlib.use('agg')\nimport matplotlib.pyplot as plt\n"
             "from matplotlib.animation import FuncAnimation\nfrom IPython.display import HTML\n"
             "import pandas as pd\nimport ipywidgets as widgets\nfrom myst_nb import glue\n"
             "glue('conv1', (227 - 11) // 4 + 1, display=False)")),
    ("md", "## A table\n\nAlexNet's first layer gives {glue:text}`conv1` outputs per side."),
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
# 7 headings (# ## ## ## ### ## ##) + 1 continuation: the third 5-line paragraph overflows
# the long section's slide (1.6 + 5 + 5 + 5 > 16 lines) and starts a sub-slide.
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
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="session")
def decks(tmp_path_factory):
    """Build all chapter decks and the demo deck into a temporary slides folder."""
    tmp = tmp_path_factory.mktemp("slides")
    demo = _demo_notebook(tmp / "demo_slides.ipynb")
    tiny = tmp / "one_cell.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[md("# Only one cell")]), tiny)
    notebooks = export.toc_chapters() + [demo, tiny]
    out = tmp / "html" / "slides"
    built = export.build(notebooks, out)
    # the builder takes outputs from the book's jupyter-cache when it matches: count with those
    expected = {d.name: rules.expected_slide_count(export.read_with_outputs(nb)[0].cells)
                for d, nb in zip(built, notebooks)}
    return out, built, expected


def test_demo_rule_matches_hand_count(decks):
    _, _, expected = decks
    assert expected["demo_slides.slides.html"] == DEMO_EXPECTED_SLIDES
    assert expected["one_cell.slides.html"] == 1


def test_built_decks_have_no_external_urls(decks):
    out, built, _ = decks
    for deck in built:
        assert export.check_deck(deck) == []
        text = deck.read_text()
        assert "mermaid" not in text.split("</head>")[0]
    assert json.loads((out / "vendor" / "VERSIONS.json").read_text())["reveal.js"] == "4.6.1"


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
            scrolls: scrolls, fits: scrolls || s.scrollHeight * zoom <= avail};
}"""


def _deck_params():
    names = [p.stem + ".slides.html" for p in export.toc_chapters()]
    return names + ["demo_slides.slides.html", "one_cell.slides.html"]


@pytest.mark.browser
@pytest.mark.parametrize("via", ["file", "http"])
@pytest.mark.parametrize("name", _deck_params())
def test_deck_in_browser(decks, browser, server, name, via):
    out, _, expected = decks
    deck = out / name
    if via == "file":
        url, prefix = deck.as_uri(), "file://"
    else:
        url, prefix = f"{server}/{name}", server + "/"
    page, problems = _open(browser, url, prefix)
    try:
        total = page.evaluate("Reveal.getTotalSlides()")
        sections = page.evaluate("document.querySelectorAll('.reveal .slides > section > section').length")
        assert total == expected[name] == sections, (total, expected[name], sections)
        SHOTS.mkdir(parents=True, exist_ok=True)
        stem = name.replace(".slides.html", "")
        shrunk = []

        def settle(step):
            # the deck fits each slide to the screen once MathJax is done with it
            page.wait_for_function("Reveal.getCurrentSlide().dataset.fitted === '1'", timeout=20000)
            fit = page.evaluate(FIT_JS)
            assert fit["fits"], f"slide {fit['indices']} overflows: {fit}"
            if fit["zoom"] < 1:
                shrunk.append((fit["indices"], fit["zoom"]))
            if via == "file" and (stem == "demo_slides" or stem.startswith("01_") or step < 3):
                page.screenshot(path=str(SHOTS / f"{stem}-{step + 1:02d}.png"))

        settle(0)
        # step through the whole deck with the arrow key
        steps = 0
        before = page.evaluate("JSON.stringify(Reveal.getIndices())")
        while not page.evaluate("Reveal.isLastSlide() && !Reveal.availableFragments().next"):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(50)
            now = page.evaluate("JSON.stringify(Reveal.getIndices())")
            assert now != before, f"ArrowRight did not advance from {before}"
            before = now
            steps += 1
            assert steps < 300
            settle(steps)
        past = page.evaluate("Reveal.getSlidePastCount()")
        assert past + 1 == total
        if shrunk and via == "file":
            print(f"\n{name}: slides shrunk to fit the screen (index, zoom): {shrunk}")
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
        # glue value substituted in the prose
        assert "gives 55 outputs" in page.inner_text(".reveal .slides")
        # inline HTML+JS output ran
        assert page.inner_text("#demo-js") == "JS ran"
        # the to_jshtml player: moving its slider changes the frame
        page.evaluate("Reveal.slide(2, 0)")
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
        # speaker notes are in an <aside>, not on the slide
        assert page.locator("aside.notes").count() == 1
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
    url, prefix = ((out / name).as_uri(), "file://") if via == "file" else (f"{server}/{name}", server + "/")
    page, problems = _open(browser, url, prefix)
    try:
        where = page.evaluate("""() => {
            const hs = document.querySelectorAll('.reveal .slides > section');
            for (let h = 0; h < hs.length; h++) {
                const vs = hs[h].querySelectorAll(':scope > section');
                for (let v = 0; v < vs.length; v++)
                    if (vs[v].querySelector('.anim-buttons i.fa-play')) return [h, v];
            }
            return null;
        }""")
        assert where is not None, "chapter 1's deck has no animation player"
        page.evaluate(f"Reveal.slide({where[0]}, {where[1]})")
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
