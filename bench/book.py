"""Book performance: build times, page weight and widget update times, against budgets.

    .venv/bin/python bench/book.py            # everything (a cold build takes minutes)
    .venv/bin/python bench/book.py --no-build # page weight (of the existing _build) + widgets

Prints measurements and the budget each is held to; it asserts nothing (budgets are goals,
not tests). Budgets (issue 7): cold `make book` ≤ 180 s on the 2-core machine, cached
rebuild ≤ 30 s, largest chapter page (HTML + every local file it loads) ≤ 3 MB (10⁶ bytes),
widget update p95 ≤ 30 ms over the whole slider range.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
BUDGETS = {"cold build": 180.0, "rebuild": 30.0, "page": 3e6, "widget p95": 0.030}


def _ok(value, budget) -> str:
    return "within budget" if value <= budget else "OVER BUDGET"


def time_make_book() -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(["make", "book"], check=False, cwd=ROOT, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if proc.returncode:
        sys.stdout.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"make book failed (exit {proc.returncode})")
    return dt


def cold_and_cached_build() -> None:
    # A fresh _build for the book itself; the npm tarball cache is kept so that the cold time
    # measures building and executing, not downloading.
    for name in ("html", ".jupyter_cache", ".doctrees", "jupyter_execute", ".book-deps"):
        path = ROOT / "_build" / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    cold = time_make_book()
    print(f"cold make book (notebooks executed): {cold:7.1f} s   budget {BUDGETS['cold build']:.0f} s: "
          f"{_ok(cold, BUDGETS['cold build'])}")
    warm = time_make_book()
    print(f"cached rebuild (nothing changed):    {warm:7.1f} s   budget {BUDGETS['rebuild']:.0f} s: "
          f"{_ok(warm, BUDGETS['rebuild'])}")


_REF = re.compile(r"""(?:src|href)\s*=\s*["']([^"'#]+)["']""", re.IGNORECASE)


def page_weight(page: Path) -> tuple[int, int]:
    """Bytes of the page plus every local file it references (scripts, CSS, images, fonts)."""
    seen, total = set(), page.stat().st_size
    todo = [(page, m) for m in _REF.findall(page.read_text(errors="replace"))]
    while todo:
        base, ref = todo.pop()
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc or ref.startswith(("data:", "mailto:", "javascript:")):
            continue
        target = (base.parent / unquote(parts.path)).resolve()
        if target in seen or not target.is_file() or target.suffix in (".html", ".ipynb"):
            continue
        seen.add(target)
        total += target.stat().st_size
        if target.suffix == ".css":  # fonts and images a stylesheet pulls in
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", target.read_text(errors="replace")):
                todo.append((target, url))
    return total, len(seen)


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def serve(root: Path):
    """``tools/serve.py``'s server (what ``make serve`` runs) for ``root`` in a thread → (server, URL)."""
    import threading

    sys.path.insert(0, str(ROOT))
    from tools.serve import make_server

    server = make_server(root, 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def loaded_weights(pages: list[Path], root: Path = HTML, urls: dict | None = None
                   ) -> dict[Path, tuple[int, int]] | None:
    """What a browser really fetches for each page of ``root`` before any interaction (bytes,
    requests), or None without chromium.  ``urls``, if given, receives each page's URLs."""
    if not Path("/usr/bin/chromium").exists():
        return None
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    server, base = serve(root)
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for page_path in pages:
                page = browser.new_page()
                sizes = []
                page.on("response", lambda r, sizes=sizes: sizes.append(r))
                page.goto(base + str(page_path.relative_to(root)), wait_until="networkidle")
                page.wait_for_timeout(500)
                total = 0
                for r in sizes:
                    try:
                        total += len(r.body())
                    except PlaywrightError:  # redirects and aborted requests have no body
                        continue
                out[page_path] = (total, len(sizes))
                if urls is not None:
                    urls[page_path] = [r.url for r in sizes]
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return out


def page_weights() -> None:
    pages = sorted((HTML / "notebooks").glob("*.html")) if HTML.exists() else []
    if not pages:
        print("page weight: no built book in _build/html (run make book)")
        return
    loaded = loaded_weights(pages)
    how = "fetched by chromium" if loaded else "HTML + local files it references (no browser here)"
    print(f"page weight ({how}; MB = 10⁶ bytes, uncompressed):")
    rows = {p: (loaded[p] if loaded else page_weight(p)) for p in pages}
    for p, (size, n) in sorted(rows.items(), key=lambda r: r[1][0], reverse=True):
        print(f"  {p.name:32s} {p.stat().st_size / 1e6:6.2f} MB html, {size / 1e6:6.2f} MB in {n} files")
    page, (size, _) = max(rows.items(), key=lambda r: r[1][0])
    print(f"largest chapter page: {page.name} {size / 1e6:.2f} MB   budget 3 MB: {_ok(size, BUDGETS['page'])}")


def _grid(params):
    names = [p.name for p in params]
    for values in itertools.product(*(p.values for p in params)):
        yield dict(zip(names, values))


def widget_updates() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("MPLBACKEND", "Agg")
    from cnnlib import calculators, playground, zoo

    # Each widget's update function over every position of its slider(s).
    def size_grid(build, lo, hi, step):
        return [(lambda n=n: calculators.size_html(build, n)) for n in range(lo, hi + 1, step)]

    cases = {
        "ch1 channels (channels_html)": [lambda kw=kw: calculators.channels_html(**kw)
                                          for kw in _grid(calculators.CHANNELS_PARAMS)],
        "ch2 conv (conv_html)": [lambda kw=kw: calculators.conv_html(**kw) for kw in _grid(calculators.CONV_PARAMS)],
        "ch3 pool (pool_html)": [lambda kw=kw: calculators.pool_html(**kw) for kw in _grid(calculators.POOL_PARAMS)],
        "ch4 dense (dense_html)": [lambda n=n, sp=sp, u=u: calculators.dense_html(n, sp, u)
                                   for n in range(8, 65, 4) for sp in (False, True) for u in (16, 64, 128, 512)],
        "ch5 bottleneck (bottleneck_html)": [lambda c=c, m=m: calculators.bottleneck_html(c, m)
                                             for c in (64, 128, 256, 512, 1024) for m in (16, 32, 64, 128, 256)],
        "ch6 AlexNet size (size_html)": size_grid(lambda n: zoo.alexnet(input_size=n), 195, 259, 1),
        "ch7 VGG-16 size (size_html)": size_grid(lambda n: zoo.vgg(16, input_size=n), 32, 448, 32),
        "ch8 face_net n (face_net_html)": [lambda n=n: calculators.face_net_html(n) for n in range(1, 101)],
    }
    # the live playground redraws table + diagram on every change; the static one has no diagram
    for label, diagram in (("render + diagram", True), ("render, table only", False)):
        cases[f"playground ({label})"] = [
            lambda n=n, s=s, diagram=diagram: playground.render_for(n, s, diagram=diagram)
            for n in playground.PRESETS for s in (12, 28, 64, 128, 227)]

    worst = 0.0
    for name, calls in cases.items():
        calls[0]()  # warm-up: first-call imports (matplotlib, fonts) are not an update
        times = []
        for call in calls:
            t0 = time.perf_counter()
            call()
            times.append(time.perf_counter() - t0)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        worst = max(worst, p95)
        print(f"  {name:34s} {len(times):5d} positions  median {statistics.median(times) * 1e3:6.2f} ms"
              f"  p95 {p95 * 1e3:6.2f} ms")
    print(f"widget update p95 (worst widget): {worst * 1e3:.2f} ms   budget 30 ms: "
          f"{_ok(worst, BUDGETS['widget p95'])}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-build", action="store_true", help="skip the two timed `make book` runs")
    args = ap.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    if not args.no_build:
        cold_and_cached_build()
    page_weights()
    widget_updates()


if __name__ == "__main__":
    main()
