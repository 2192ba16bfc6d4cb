"""The live page's performance, printed beside its budgets (measured, never asserted).

    .venv/bin/python bench/live.py                        # after `make book`
    .venv/bin/python bench/live.py --before /tmp/html-old # page weight against an older build
    .venv/bin/python bench/live.py --runs 5 --edits 200

Budgets (the live-book issue):

- page weight before interaction unchanged: the bytes Chromium fetches for each chapter page
  before the reader clicks anything, against ``--before`` (a build of the book without live
  mode; e.g. ``git worktree add /tmp/old <commit> && cd /tmp/old && make book``); and no
  file of live mode (``_live/``, Pyodide) among them;
- "Make this page live" → first live result ≤ 4 s (first visit: a fresh browser profile)
  and ≤ 1.5 s (second visit: same profile, new page) — from the click to the first result
  written into the page (``window.cnnlibLive.firstResultMs``, measured in the page), on a
  chapter page (button) and on the playground (first edit);
- playground update p95 ≤ 30 ms for a VGG-16-sized network: the Python call in the worker
  (timed there) plus the DOM update and layout (timed in the page), over ``--edits`` edits
  of the VGG-16 example; the round trip (with the message passing) is printed beside it.

The book is served by ``tools/serve.py`` (what ``make serve`` runs).  The machine's load
average is printed: on a shared 2-core machine the start times move with it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from book import CHROMIUM_ARGS, HTML, ROOT, loaded_weights, serve

sys.path.insert(0, str(ROOT))
from cnnlib.playground import EXAMPLES, format_network

BUDGETS = {"first": 4000.0, "second": 1500.0, "update p95": 30.0}
LIVE_ASSETS = ("/_live/", "/pyodide/")
READY = "document.documentElement.getAttribute('data-cnnlib-live') === 'ready'"


def _ok(value, budget) -> str:
    return "within budget" if value <= budget else "OVER BUDGET"


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def page_weight(before: Path | None) -> None:
    pages = sorted((HTML / "notebooks").glob("*.html"))
    urls: dict = {}
    after = loaded_weights(pages, HTML, urls)
    if after is None:
        print("page weight: needs /usr/bin/chromium and playwright")
        return
    old = loaded_weights([before / p.relative_to(HTML) for p in pages], before) if before else None
    print("page weight before interaction (bytes fetched by Chromium; MB = 10⁶ bytes):")
    print(f"  {'page':28s} {'before':>12s} {'after':>12s} {'change':>10s}  live files fetched")
    worst = 0.0
    for p in pages:
        size, n = after[p]
        live = [u for u in urls[p] if any(a in u for a in LIVE_ASSETS)]
        if old is not None:
            b, bn = old[before / p.relative_to(HTML)]
            change = (size - b) / b
            worst = max(worst, change)
            print(f"  {p.name:28s} {b:>12,} {size:>12,} {change:>+9.2%}  {len(live)} ({bn} → {n} requests)")
        else:
            print(f"  {p.name:28s} {'':>12s} {size:>12,} {'':>10s}  {len(live)} ({n} requests)")
    if old is not None:
        print(f"largest change: {worst:+.2%} (budget: unchanged — no live file fetched, and only the "
              "button, its loader and the pages' own new content added)")


def _time_start(browser, base: str, page_path: str, how: str, runs: int) -> tuple[list, list, list]:
    firsts, seconds, steps = [], [], []
    for _ in range(runs):
        context = browser.new_context()
        context.route(lambda url: not url.startswith(base), lambda route: route.abort())
        for visit in (0, 1):
            page = context.new_page()
            page.goto(base + page_path, wait_until="networkidle")
            if how == "button":
                page.click(".cnnlib-live button")
            else:
                page.locator("#cnnlib-playground-input").press("End")
                page.locator("#cnnlib-playground-input").type(" ")
            page.wait_for_function("window.cnnlibLive && window.cnnlibLive.firstResultMs !== undefined",
                                   timeout=120_000)
            info = page.evaluate("({ms: window.cnnlibLive.firstResultMs, restored: window.cnnlibLive.restored,"
                                 " steps: window.cnnlibLive.steps})")
            if visit == 0:
                firsts.append(info["ms"])
                steps.append(info["steps"])
                page.wait_for_function("window.cnnlibLive.snapshot !== null", timeout=60_000)
            else:
                seconds.append(info["ms"] if info["restored"] else float("nan"))
            page.close()
        context.close()
    return firsts, seconds, steps


def start_times(runs: int) -> None:
    from playwright.sync_api import sync_playwright

    server, base = serve(HTML)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            print(f"make live → first live result ({runs} runs each, a fresh browser profile per run; {_load()}):")
            for page_path, how in (("notebooks/02_padding_stride.html", "button"),
                                   ("notebooks/playground.html", "first edit")):
                firsts, seconds, steps = _time_start(browser, base, page_path, how, runs)
                med1, max1 = statistics.median(firsts), max(firsts)
                med2, max2 = statistics.median(seconds), max(seconds)
                print(f"  {page_path} ({how})")
                print(f"    first visit  median {med1:6.0f} ms, worst {max1:6.0f} ms   budget 4000 ms: "
                      f"{_ok(max1, BUDGETS['first'])}")
                print(f"    second visit median {med2:6.0f} ms, worst {max2:6.0f} ms   budget 1500 ms: "
                      f"{_ok(max2, BUDGETS['second'])} (memory snapshot from Cache Storage)")
                s = steps[firsts.index(med1)] if med1 in firsts else steps[0]
                if s:
                    print(f"    first visit, in the worker: Pyodide started at {s['loadPyodide']:.0f} ms, core "
                          f"unpacked at {s['core']:.0f} ms, cnnlib imported at {s['imported']:.0f} ms")
            browser.close()
    finally:
        server.shutdown()


def update_times(edits: int) -> None:
    from playwright.sync_api import sync_playwright

    server, base = serve(HTML)
    vgg = format_network(*EXAMPLES["VGG-16 (224)"])
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + "notebooks/playground.html", wait_until="networkidle")
            page.locator(".cnnlib-builder button[data-role=example]", has_text="VGG-16").click()
            page.wait_for_function(READY, timeout=120_000)
            page.wait_for_function("window.cnnlibLive.snapshot !== null", timeout=60_000)
            builder = page.locator(".cnnlib-builder")
            box = page.locator("#cnnlib-playground-input")
            page.evaluate("window.cnnlibLive.timings.length = 0")
            for i in range(edits):
                box.fill(vgg.replace("dense 1000", f"dense {1000 + i}"))
                page.wait_for_function("(el) => el.getAttribute('data-live-state') === 'ok'",
                                       arg=builder.element_handle())
                time.sleep(0.01)
            t = page.evaluate("window.cnnlibLive.timings")
            browser.close()
    finally:
        server.shutdown()
    work = [x["python"] + x["dom"] for x in t]

    def p95(xs):
        return statistics.quantiles(xs, n=20)[-1]

    def line(label, xs, end=""):
        print(f"  {label:36s} median {statistics.median(xs):5.1f} ms, p95 {p95(xs):5.1f} ms{end}")

    print(f"playground update, VGG-16 (224) example, {len(t)} edits ({_load()}):")
    line("Python in the worker", [x["python"] for x in t])
    line("DOM update + layout", [x["dom"] for x in t])
    line("Python + DOM", work, f"   budget 30 ms: {_ok(p95(work), BUDGETS['update p95'])}")
    line("request → DOM (with message passing)", [x["total"] for x in t],
         " (after the 150 ms typing debounce)")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", type=Path, help="an older build of the book (its _build/html) to compare with")
    ap.add_argument("--runs", type=int, default=3, help="start-time runs per page (default 3)")
    ap.add_argument("--edits", type=int, default=100, help="playground edits timed (default 100)")
    args = ap.parse_args(argv)
    if not (HTML / "_live" / "live.js").exists():
        raise SystemExit("no live book in _build/html: run make book")
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    page_weight(args.before)
    start_times(args.runs)
    update_times(args.edits)


if __name__ == "__main__":
    main()
