"""Every page of the built book on a laptop (1280×900) and a phone (390×844), in Chromium.

- no page-level sideways scroll (a wide table scrolls inside its own box);
- no slider, value readout, button or answer box of a widget, an animation or an exercise
  lies outside the screen's width;
- every table cell has at least 6 px of padding left and right (numbers never run together);
- no link to a repository, Binder or Colab unless one is configured for the build
  (CNNLIB_REPOSITORY_URL, tools/slides_link.py);
- the References page lists at least eight works and the five source posts.

Screenshots of a chapter on the phone and of a styled table go to $CNNLIB_SCREENSHOT_DIR
(default /tmp): cnnlib_phone_<page>.png.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = Path(os.environ.get("CNNLIB_SCREENSHOT_DIR", "/tmp"))
VIEWPORTS = {"laptop": (1280, 900), "phone": (390, 844)}


def _pages() -> list[str]:
    if not HTML.exists():
        return ["book/intro.html"]  # the built_book fixture fails with the reason
    skip = {"genindex.html", "search.html"}
    return sorted(str(p.relative_to(HTML)) for p in HTML.rglob("*.html")
                  if p.parts[len(HTML.parts)] in ("book", "notebooks") and p.name not in skip)


CONTROLS = ("input", "button", "select", "textarea", "output")

PROBE = """(controls) => {
  const vw = window.innerWidth, out = {scroll: document.documentElement.scrollWidth - vw,
                                        tight: [], offscreen: [], links: []};
  for (const cell of document.querySelectorAll('article td, article th')) {
    if (!cell.offsetParent || !cell.textContent.trim()) continue;
    const cs = getComputedStyle(cell);
    const l = parseFloat(cs.paddingLeft), r = parseFloat(cs.paddingRight);
    if (l < 6 || r < 6) out.tight.push(`${cell.textContent.trim().slice(0, 24)} (${l}/${r} px)`);
  }
  for (const el of document.querySelectorAll(controls.map(c => 'article ' + c).join(','))) {
    const b = el.getBoundingClientRect();
    if (!el.offsetParent || b.width === 0) continue;
    if (b.left < -1 || b.right > vw + 1)
      out.offscreen.push(`${el.tagName.toLowerCase()}.${el.className || ''} at ${Math.round(b.left)}..${Math.round(b.right)}`);
  }
  for (const a of document.querySelectorAll('a[href]'))
    if (/github\\.com|gitlab\\.com|mybinder\\.org|colab\\.research\\.google\\.com/.test(a.href)) out.links.push(a.href);
  return out;
}"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("page_path", _pages())
def test_page_fits_the_screen(built_book, book_url, new_page, page_path, viewport):
    page, log = new_page()
    page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS[viewport])))
    page.goto(book_url + page_path)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # static widgets unpack their tables
    r = page.evaluate(PROBE, list(CONTROLS))
    if viewport == "phone" and page_path.startswith("notebooks/"):
        page.screenshot(path=str(SHOTS / f"cnnlib_phone_{Path(page_path).stem}.png"))
    assert not log.errors, log.errors[:3]
    assert r["scroll"] <= 0, f"{page_path} at {viewport}: the page scrolls sideways by {r['scroll']} px"
    assert not r["offscreen"], f"{page_path} at {viewport}: controls off screen: {r['offscreen'][:5]}"
    assert not r["tight"], f"{page_path} at {viewport}: cells with < 6 px padding: {r['tight'][:5]}"
    configured = os.environ.get("CNNLIB_REPOSITORY_URL", "").strip().rstrip("/")
    stray = [h for h in r["links"] if not (configured and (h.startswith(configured) or "colab" in h
                                                           or "mybinder" in h))]
    assert not stray, f"{page_path}: links to a repository that is not configured: {stray[:3]}"


def test_references_page(built_book, book_url, new_page):
    page, _ = new_page()
    page.goto(book_url + "book/references.html")
    text = page.locator("article").inner_text()
    entries = page.locator("article div.citation").count()
    assert entries >= 8 + 5, f"References lists {entries} entries (≥ 8 works and the five posts expected)"
    for needle in ("ImageNet classification", "Very deep convolutional", "Going deeper",
                   "Deep residual", "Gradient-based learning", "convolution arithmetic",
                   "CS231n", "Dive into Deep Learning"):
        assert needle.lower() in text.lower(), f"References should list {needle!r}"
    for post in ("CNN 간단 정리 2", "Model Analysis"):
        assert post in text
