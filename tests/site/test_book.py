"""The built book in a real browser (Playwright for Python driving Debian's /usr/bin/chromium).

Run after `make book` (``make test`` does both). Every page of ``_build/html`` is checked —
pages are found from ``_toc.yml`` and from the HTML files, so chapters added later are
covered without editing this file:

- no console errors, no page errors, no failed local requests (a missing vendored file shows
  up here as a 404);
- zero requests to any host but 127.0.0.1 (the book must work offline);
- math rendered: every ``.math`` element holds an ``mjx-container`` and none is an error;
- embedded ipywidgets rendered from their stored state (no "Error displaying widget");
- static sliders work without a kernel: moving each ``<input type="range">`` in the page
  (matplotlib ``to_jshtml`` players and any other pre-rendered slider) changes what its output
  shows, and every ``to_jshtml`` frame image is loaded;
- exercise answers are hidden until clicked (``:class: dropdown`` admonitions, sphinx-design
  ``{dropdown}``s and other ``<details>``);
- a full-page screenshot per page in ``_build/screenshots/<page>.png``.

One page is also opened from ``file://`` and must make no external request either.

Without /usr/bin/chromium (or the playwright package) these tests skip with the reason —
unless ``CI`` is set or ``CNNLIB_REQUIRE_BROWSER=1``, where a missing browser fails.

The non-browser tests at the bottom run tools/check_offline.py, the command ``make book`` runs,
on synthetic pages (exit status and messages); the scanning it shares with the slide decks is
tools/urls.py, unit-tested in tests/test_tools.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
# Folders of the build that hold assets or generated helpers, not pages of the book.
NOT_PAGES = {"_static", "_sources", "_images", "_sphinx_design_static", "reports", "_panels_static"}
TIMEOUT_MS = 30_000


# --------------------------------------------------------------------------- page discovery

def _toc_files() -> list[str]:
    """Every ``file:`` of _toc.yml (root, chapters, sections), in book order."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return found


def book_pages() -> list[str]:
    """Pages relative to _build/html: the toc's, then any other built page (genindex, search…)."""
    pages = [re.sub(r"\.(ipynb|md|rst)$", "", f) + ".html" for f in _toc_files()]
    if HTML.is_dir():
        for f in sorted(HTML.rglob("*.html")):
            rel = f.relative_to(HTML).as_posix()
            top = rel.split("/")[0]
            if top in NOT_PAGES or top.startswith(".") or rel == "index.html":  # index.html redirects
                continue
            if "data-content_root" not in f.read_text(encoding="utf-8", errors="replace")[:4000]:
                continue  # not a page of the book (e.g. reveal.js decks from `make slides`)
            if rel not in pages:
                pages.append(rel)
    return list(dict.fromkeys(pages))


def screenshot_name(page: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", page.removesuffix(".html")) + ".png"


# --------------------------------------------------------------------------- checks

def _settle(page):
    page.wait_for_load_state("load")
    try:
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    except Exception as exc:  # noqa: BLE001 - a page that keeps polling still gets checked
        print(f"(network not idle after {TIMEOUT_MS} ms: {exc})")


def check_math(page) -> int:
    n = page.locator(".math").count()
    if n:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.math')].every(e => e.querySelector('mjx-container'))",
            timeout=TIMEOUT_MS)
        errors = page.locator("mjx-merror").count()
        assert errors == 0, f"{errors} MathJax error(s) on the page (bad TeX)"
    return n


def check_widgets(page) -> int:
    n = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if n:
        page.wait_for_function(
            f"() => document.querySelectorAll('.widget-subarea .jupyter-widgets').length >= {n}",
            timeout=TIMEOUT_MS)
        broken = page.locator("text=Error displaying widget").count()
        assert broken == 0, f"{broken} embedded widget(s) failed to render from their stored state"
    return n


SNAPSHOT_JS = """(el) => {
  const box = el.closest('.cell_output, .output, .animation, figure, section') || el.parentElement;
  const imgs = [...box.querySelectorAll('img')].map(i => i.currentSrc || i.src);
  const canvases = [...box.querySelectorAll('canvas')].map(c => { try { return c.toDataURL(); } catch (e) { return ''; } });
  return box.innerHTML + '\\n' + imgs.join('\\n') + '\\n' + canvases.join('\\n');
}"""


def check_sliders(page) -> int:
    """Every range input (jshtml players and other static sliders) must change its output."""
    sliders = page.locator("article input[type=range], main input[type=range]")
    n = sliders.count()
    for i in range(n):
        slider = sliders.nth(i)
        slider.scroll_into_view_if_needed()
        lo = float(slider.get_attribute("min") or 0)
        hi = float(slider.get_attribute("max") or 100)
        assert hi > lo, f"slider {i} has an empty range [{lo}, {hi}]"
        fmt = (lambda v: str(int(v))) if lo.is_integer() and hi.is_integer() else str
        slider.fill(fmt(lo))
        page.wait_for_timeout(100)
        before = slider.evaluate(SNAPSHOT_JS)
        slider.fill(fmt(hi))
        try:
            page.wait_for_function("([el, before, js]) => eval(js)(el) !== before",
                                   arg=[slider.element_handle(), before, SNAPSHOT_JS], timeout=5_000)
        except Exception:  # noqa: BLE001
            pytest.fail(f"moving slider {i} ({slider.get_attribute('id') or slider.get_attribute('class')}) "
                        f"from {lo} to {hi} did not change what its output shows")
        slider.fill(fmt(lo))
    # Every jshtml frame image must actually be an image.
    for img in page.locator("img[id^=_anim_img]").all():
        ok = img.evaluate("i => i.complete && i.naturalWidth > 0")
        assert ok, "a to_jshtml animation frame did not load"
    # ... and its buttons show Font Awesome glyphs (the theme's web font), not empty boxes
    players = page.locator(".anim-buttons i.fa-play")
    if players.count():
        players.first.scroll_into_view_if_needed()
        page.wait_for_function("""[...document.fonts].some(f => /Font ?Awesome/i.test(f.family)
                                  && f.status === 'loaded')""", timeout=10_000)
        glyph = players.first.evaluate("i => getComputedStyle(i, '::before').content")
        assert glyph == '"\uf04b"', f"the play button has no icon: ::before content {glyph}"
    return n


def _answer_bodies(page):
    """(kind, toggle to click, body hidden until then) for every collapsed answer on the page.

    Element handles, not locators: a locator such as ``details:not([open])`` would move on to
    the next element once the first one is opened.
    """
    pairs = []
    for adm in page.query_selector_all(".admonition.dropdown"):
        title = adm.query_selector(":scope > .admonition-title")
        body = adm.query_selector(":scope > :not(.admonition-title)")
        if title and body:
            pairs.append(("dropdown admonition", title, body))
    for det in page.query_selector_all("article details:not([open]), main details:not([open])"):
        summary = det.query_selector(":scope > summary")
        body = det.query_selector(":scope > :not(summary)")
        if summary and body:
            pairs.append(("<details>", summary, body))
    return pairs


def check_answers(page) -> int:
    pairs = _answer_bodies(page)
    for i, (kind, toggle, body) in enumerate(pairs):
        text = " ".join((body.text_content() or "").split())[:60]
        assert not body.is_visible(), f"{kind} {i} shows its content before a click: {text!r}"
        toggle.scroll_into_view_if_needed()
        toggle.click()
        body.wait_for_element_state("visible", timeout=5_000)
        assert body.is_visible(), f"{kind} {i} still hides its content after a click: {text!r}"
    return len(pairs)


# --------------------------------------------------------------------------- browser tests

PAGES = book_pages()
_SEEN: dict[str, dict[str, int]] = {}  # page -> feature counts, filled by test_page


@pytest.mark.browser
@pytest.mark.parametrize("page_path", PAGES)
def test_page(page_path, book_url, built_book, new_page):
    assert (built_book / page_path).exists(), f"{page_path} is in the toc but was not built"
    page, log = new_page()
    page.goto(book_url + page_path, wait_until="load")
    _settle(page)
    n_math = check_math(page)
    n_widgets = check_widgets(page)
    page.wait_for_timeout(300)  # let jshtml players and the theme finish their first paint
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / screenshot_name(page_path)), full_page=True)
    n_answers = check_answers(page)  # opens every answer, so sliders inside them are visible
    n_sliders = check_sliders(page)
    page.wait_for_timeout(200)
    assert not log.external, f"{page_path} requested non-local URLs: {log.external}"
    assert not log.errors, f"{page_path}: " + "; ".join(log.errors)
    _SEEN[page_path] = {"math": n_math, "widgets": n_widgets, "sliders": n_sliders, "answers": n_answers}
    print(f"{page_path}: math={n_math} widgets={n_widgets} sliders={n_sliders} answers={n_answers}")


@pytest.mark.browser
def test_book_exercises_every_check(chromium):
    """The checks above must have had something to check: the book as a whole has math,
    static sliders (jshtml players or precomputed sliders) and hidden answers."""
    if set(_SEEN) != set(PAGES):
        pytest.skip("only meaningful after test_page ran on every page")
    totals = {k: sum(v[k] for v in _SEEN.values()) for k in ("math", "widgets", "sliders", "answers")}
    print("book totals:", totals)
    for k in ("math", "sliders", "answers"):
        assert totals[k] > 0, f"no page of the book has any {k}: {totals}"


@pytest.mark.browser
def test_file_url_makes_no_external_requests(built_book, new_page):
    """Reading the book straight from disk (file://) needs no network either."""
    chapters = [p for p in book_pages() if (built_book / p).exists()]
    # The richest page: the one with the most math, widgets and animations.
    def weight(p):
        text = (built_book / p).read_text(encoding="utf-8", errors="replace")
        return text.count('class="math') + 5 * text.count("widget-view+json") + 5 * text.count("anim-slider")
    target = max(chapters, key=weight)
    page, log = new_page()
    page.goto((built_book / "index.html").as_uri(), wait_until="load")
    _settle(page)
    assert page.url.endswith(".html") and "index.html" not in page.url, f"index.html did not redirect: {page.url}"
    page.goto((built_book / target).as_uri(), wait_until="load")
    _settle(page)
    check_math(page)
    check_widgets(page)
    check_sliders(page)
    assert not log.external, f"file:// {target} requested non-local URLs: {log.external}"
    assert not log.errors, f"file:// {target}: " + "; ".join(log.errors)


@pytest.mark.browser
def test_search_works_offline(book_url, new_page):
    """Sphinx's search runs in the page from the local searchindex.js: a term that only the
    1×1-convolution chapter and the glossary define finds those pages, with no network."""
    page, log = new_page()
    page.goto(f"{book_url}/search.html?q=depthwise", wait_until="load")
    page.wait_for_selector("ul.search li a", timeout=15_000)
    found = page.locator("ul.search li a").all_inner_texts()
    assert any("1×1 convolutions" in t for t in found), found
    assert not log.external and not log.errors, (log.external, log.errors)


# --------------------------------------------------------------------------- checker tests
# tools/check_offline.py as `make book` runs it: a script (it imports the `tools` package itself).

def _run_checker(tmp_path, page_html: str, css: str = "") -> subprocess.CompletedProcess:
    (tmp_path / "index.html").write_text(page_html, encoding="utf-8")
    if css:
        (tmp_path / "_static").mkdir()
        (tmp_path / "_static" / "x.css").write_text(css, encoding="utf-8")
    return subprocess.run([sys.executable, str(ROOT / "tools" / "check_offline.py"), str(tmp_path)],
                          capture_output=True, text=True, check=False)


def test_check_offline_catches_jshtml_font_awesome_link(tmp_path):
    # What matplotlib's to_jshtml() emits at the top of its player.
    page = ('<html><body><link rel="stylesheet"\nhref="https://maxcdn.bootstrapcdn.com/font-awesome/'
            '4.4.0/css/font-awesome.min.css"><div class="animation"></div></body></html>')
    r = _run_checker(tmp_path, page)
    assert r.returncode == 1 and "font-awesome" in r.stderr


@pytest.mark.parametrize("snippet", [
    '<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>',
    '<script src="//cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js"></script>',
    '<link rel="preconnect" href="https://fonts.gstatic.com">',
    '<style>@import url("https://fonts.googleapis.com/css?family=Lato");</style>',
    '<div style="background: url(https://example.org/bg.png)"></div>',
    '<img src="http://example.org/a.png">',
])
def test_check_offline_catches_external_assets(tmp_path, snippet):
    r = _run_checker(tmp_path, f"<html><body>{snippet}</body></html>")
    assert r.returncode == 1, r.stdout + r.stderr


def test_check_offline_catches_external_css_font(tmp_path):
    css = "@font-face { font-family: X; src: url('https://fonts.gstatic.com/x.woff2'); }"
    r = _run_checker(tmp_path, "<html></html>", css)
    assert r.returncode == 1 and "fonts.gstatic.com" in r.stderr


def test_check_offline_allows_links_and_local_assets(tmp_path):
    (tmp_path / "a.js").write_text("", encoding="utf-8")
    page = ('<html><head><link rel="canonical" href="https://example.org/book/">'
            '<script src="a.js?v=1"></script></head><body><a href="https://pytorch.org">PyTorch</a>'
            '</body></html>')
    r = _run_checker(tmp_path, page)
    assert r.returncode == 0, r.stderr


def test_check_offline_catches_missing_local_asset(tmp_path):
    r = _run_checker(tmp_path, '<html><script src="_static/missing.js"></script></html>')
    assert r.returncode == 1 and "missing local" in r.stderr


def test_pages_cover_the_toc():
    pages = book_pages()
    assert pages[0] == "book/intro.html"
    assert all(p.endswith(".html") for p in pages)
