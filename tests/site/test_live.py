"""The live book in Chromium: cnnlib's core running in the page (Pyodide in a Web Worker).

Run after ``make book``; the book is served by ``tools/serve.py`` (what ``make serve`` runs) on
127.0.0.1 from a thread of the test.  Every request to another host is recorded and aborted
and must not happen; a console error fails the test (fixtures in ``conftest.py``).

- before the reader asks, a page fetches nothing of live mode (no Pyodide, no core archive);
- the page runs the repository's core: the sha256 of every file Python imported in the page
  equals the core's source files (``tools/live_pack.py``), and ``cnnlib/book/`` is absent;
- the playground builder computes 200 random networks (``cnnlib.playground.random_network``,
  fixed seeds) and shows for each the total that Python-side cnnlib gives; garbage text gives
  the message naming the line and keeps the last good result on screen;
- a chapter calculator takes numbers outside its precomputed range and shows exactly what
  Python-side ``cnnlib.calculators`` gives; "Another one" shows a generated exercise whose right
  answer (computed here) is accepted and a wrong one refused;
- a second start in the same browser restores the memory snapshot;
- over file:// the page says how to get live mode and the precomputed widgets still work;
- screenshots (1280 px and 390 px wide) in ``_build/screenshots/live/``.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from cnnlib import calculators as W
from cnnlib import exercises as E
from cnnlib.playground import EXAMPLES, build, format_network, random_network, read_network
from cnnlib.shapes import shape_text

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "_build" / "screenshots" / "live"
START_MS = 90_000  # generous: a loaded 2-core machine; bench/live.py measures the real time
NETWORKS = 200

READY = "document.documentElement.getAttribute('data-cnnlib-live') === 'ready'"
SETTLED = "(el) => ['ok', 'error'].includes(el.getAttribute('data-live-state'))"
NORMALISE = "(html) => { const d = document.createElement('div'); d.innerHTML = html; return d.innerHTML; }"


def _shot(page, name: str, top=None):
    """A viewport screenshot; ``top``: a locator to bring just under the theme's sticky header."""
    if top is not None:
        top.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 70)")
        page.wait_for_timeout(100)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=False)


def _clean(page, log):
    page.wait_for_timeout(200)
    assert not log.external, f"requests to another host: {log.external}"
    assert not log.errors, "; ".join(log.errors)


def _go_live(page):
    page.locator(".cnnlib-live button").click()
    page.wait_for_function(READY, timeout=START_MS)


def _settled(locator, timeout=30_000):
    locator.page.wait_for_function(SETTLED, arg=locator.element_handle(), timeout=timeout)
    return locator.get_attribute("data-live-state")


def _requests(page):
    urls = []
    page.on("request", lambda r: urls.append(r.url))
    return urls


# ------------------------------------------------------------------ nothing before the click

@pytest.mark.parametrize("chapter", ["notebooks/01_convolution.html", "notebooks/playground.html"])
def test_nothing_of_live_mode_is_loaded_before_the_reader_asks(chapter, book_url, new_page):
    page, log = new_page()
    urls = _requests(page)
    page.goto(book_url + chapter, wait_until="networkidle")
    page.wait_for_timeout(500)
    live = [u for u in urls if "/_live/" in u or "/pyodide/" in u]
    assert live == [], live
    button = page.locator(".cnnlib-live button")
    assert button.is_visible() and button.inner_text() == "Make this page live"
    assert page.get_attribute("html", "data-cnnlib-live") is None
    _clean(page, log)


# ------------------------------------------------------------------ the playground builder

def test_playground_runs_the_repository_core_on_200_random_networks(book_url, new_page):
    page, log = new_page()
    page.goto(book_url + "notebooks/playground.html", wait_until="networkidle")
    builder = page.locator(".cnnlib-builder")
    box = page.locator("#cnnlib-playground-input")
    total = page.locator("#cnnlib-playground-params")
    assert total.inner_text() == "113,386"  # precomputed: the Keras case-1 example
    box.fill(random_network(0))  # the first edit makes the page live
    page.wait_for_function(READY, timeout=START_MS)

    # the files Python imported in the page are the core's sources, byte for byte
    from tools.live_pack import core_files
    digest = page.evaluate("() => window.cnnlibLive.call('cnnlib.live.source_digest', {})")["value"]
    want = {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in core_files()}
    assert digest == want
    assert not [n for n in digest if n.startswith("cnnlib/book/")]

    for seed in range(NETWORKS):
        text = random_network(seed)
        box.fill(text)
        assert _settled(builder) == "ok", (seed, page.locator("[data-role=message]").inner_text())
        shape, spec, *_ = read_network(text)
        model = build(shape, spec)[0]
        assert total.inner_text() == f"{model.total_params:,}", (seed, text)
    assert page.locator(".cnnlib-builder .cnnlib-summary").count() == 1
    _clean(page, log)


def test_playground_bad_text_keeps_the_last_result(book_url, new_page):
    page, log = new_page()
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(book_url + "notebooks/playground.html", wait_until="networkidle")
    builder = page.locator(".cnnlib-builder")
    page.locator(".cnnlib-builder button[data-role=example]", has_text="VGG-16").click()
    page.wait_for_function(READY, timeout=START_MS)
    assert _settled(builder) == "ok"
    total = page.locator("#cnnlib-playground-params")
    assert total.inner_text() == "138,357,544"
    out = page.locator(".cnnlib-builder [data-role=output]")
    good = out.inner_html()
    assert "cnnlib-summary" in good and "<svg" in good
    _shot(page, "playground_vgg16.png", top=builder)

    box = page.locator("#cnnlib-playground-input")
    vgg = format_network(*EXAMPLES["VGG-16 (224)"])
    bad = vgg.replace("conv 256 3 s1 p1", "conv 256 three s1 p1", 1)
    line = bad.splitlines().index("conv 256 three s1 p1") + 1
    box.fill(bad)
    assert _settled(builder) == "error"
    message = page.locator(".cnnlib-builder [data-role=message]")
    assert message.is_visible()
    assert message.inner_text().splitlines()[0] == f"line {line}: conv: 'three' is not a whole number"
    assert total.inner_text() == "138,357,544" and out.inner_html() == good  # the last good result stays
    box.evaluate("el => { el.scrollTop = 0; }")  # the named line in view
    _shot(page, "playground_error.png", top=page.locator(".cnnlib-builder label"))

    for garbage in ("", "garbage", "input 3 224 224\nconv 64 3\nbn\nflatten\nbn", "\x00é#\n\n\t",
                    "input 1 1 1\nconv 8 3"):
        box.fill(garbage)
        assert _settled(builder) == "error"
        assert re.match(r"line \d+: ", message.inner_text()), message.inner_text()
        assert total.inner_text() == "138,357,544" and out.inner_html() == good
    box.fill(vgg.replace("dense 1000", "dense 10"))
    assert _settled(builder) == "ok" and not message.is_visible()
    assert total.inner_text() == f"{138_357_544 - 990 * 4097:,}"  # fc3: (4096 + 1)·10 instead of ·1000
    _clean(page, log)


def test_playground_at_phone_width(book_url, new_page):
    page, log = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(book_url + "notebooks/playground.html", wait_until="networkidle")
    page.locator(".cnnlib-builder button[data-role=example]", has_text="AlexNet").click()
    page.wait_for_function(READY, timeout=START_MS)
    assert _settled(page.locator(".cnnlib-builder")) == "ok"
    assert page.locator("#cnnlib-playground-params").inner_text() == "62,378,344"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px wide)"
    _shot(page, "playground_390.png", top=page.locator(".cnnlib-builder .pgb-status"))
    _clean(page, log)


# ------------------------------------------------------------------ chapter calculators

def _widget(page, fn: str):
    return page.locator(f".static-widget[data-fn='{fn}']")


def _same_html(page, shown: str, python_html: str) -> bool:
    return shown == page.evaluate(NORMALISE, python_html)


def test_calculator_takes_numbers_outside_its_range(book_url, new_page):
    page, log = new_page()
    page.goto(book_url + "notebooks/02_padding_stride.html", wait_until="networkidle")
    widget = _widget(page, "cnnlib.calculators.conv_html")
    assert widget.locator("input.sw-num").count() == 0  # static until the reader asks
    _shot(page, "chapter_before.png")
    _go_live(page)
    _shot(page, "chapter_live.png")
    assert _settled(widget) == "ok"
    assert widget.get_attribute("data-live") == "1"
    # the precomputed sliders stop at n = 12, k = 5, s = 4: ask for n = 100, k = 7, s = 3
    for name, value in (("n", "100"), ("k", "7"), ("s", "3")):
        widget.locator(f"input.sw-num[data-param={name}]").fill(value)
    assert _settled(widget) == "ok"
    args = json.loads(widget.locator(".sw-out").get_attribute("data-live-args"))
    assert args == {"n": "100", "k": "7", "s": "3", "p": "0", "d": "1"}
    shown = widget.locator(".sw-out").inner_html()
    assert _same_html(page, shown, W.conv_html(100, 7, 3, 0, 1))
    assert "output size <b>32</b>" in shown  # ⌊(100 − 7)/3⌋ + 1 = 32
    assert widget.locator("input.sw-slider[data-param=n]").get_attribute("class").endswith("sw-off")
    _shot(page, "calculator_conv.png", top=widget)

    widget.locator("input.sw-num[data-param=n]").fill("100000")  # beyond the live bounds
    assert _settled(widget) == "error"
    assert "n (input): type a whole number from 1 to 512" in widget.locator(".sw-live-msg").inner_text()
    assert widget.locator(".sw-out").inner_html() == shown  # the last good result stays
    # the slider still drives the number box and the live result
    widget.locator("input.sw-slider[data-param=n]").fill("11")  # position 11: n = 12
    assert _settled(widget) == "ok"
    assert widget.locator("input.sw-num[data-param=n]").input_value() == "12"
    assert _same_html(page, widget.locator(".sw-out").inner_html(), W.conv_html(12, 7, 3, 0, 1))
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "calculator_conv_390.png", top=widget)
    _clean(page, log)


def test_alexnet_at_an_input_size_the_book_did_not_precompute(book_url, new_page):
    page, log = new_page()
    page.goto(book_url + "notebooks/07_alexnet.html", wait_until="networkidle")
    _go_live(page)
    widget = _widget(page, "cnnlib.calculators.alexnet_size_html")
    assert _settled(widget) == "ok"
    widget.locator("input.sw-num[data-param=n]").fill("300")  # precomputed: 195 … 259
    assert _settled(widget) == "ok"
    shown = widget.locator(".sw-out").inner_html()
    assert _same_html(page, shown, W.alexnet_size_html(300)) and "91,738,472" in shown
    _shot(page, "calculator_alexnet.png", top=widget)
    _clean(page, log)


def test_a_switch_is_read_by_its_name(book_url, new_page):
    # chapter 4's "second max pool" slider reads no/yes; live, it goes with a size the book did not
    # precompute (6 … 64): n = 100 without the second pool is conv 98, pool 49, conv 47, so
    # fc1 sees 47·47·32 = 70,688 values: (70,688 + 1)·128 = 9,048,192 parameters
    page, log = new_page()
    page.goto(book_url + "notebooks/04_dense.html", wait_until="networkidle")
    widget = _widget(page, "cnnlib.calculators.dense_html")
    assert widget.locator("output[data-for=second_pool]").inner_text() == "yes"
    _go_live(page)
    assert _settled(widget) == "ok"
    widget.locator("input.sw-slider[data-param=second_pool]").fill("0")
    widget.locator("input.sw-num[data-param=n]").fill("100")
    assert _settled(widget) == "ok"
    args = json.loads(widget.locator(".sw-out").get_attribute("data-live-args"))
    assert args["second_pool"] == "no" and args["n"] == "100"
    shown = widget.locator(".sw-out").inner_html()
    assert _same_html(page, shown, W.dense_html(100, False, 128)) and "9,048,192" in shown
    _clean(page, log)


# ------------------------------------------------------------------ exercises

def test_another_one_is_generated_and_checked_by_cnnlib(book_url, new_page):
    page, log = new_page()
    page.goto(book_url + "notebooks/03_pooling.html", wait_until="networkidle")
    bank = page.locator(".cnnlib-exercise[data-topic=pool]")
    assert bank.locator("[data-role=another]").count() == 0
    _go_live(page)
    page.wait_for_function("(el) => el.getAttribute('data-live') === '1'", arg=bank.element_handle())
    for _ in range(2):
        before = bank.get_attribute("data-live-seed")
        bank.locator("[data-role=another]").click()
        page.wait_for_function("([el, s]) => el.getAttribute('data-live-seed') !== s",
                               arg=[bank.element_handle(), before])
    seed = int(bank.get_attribute("data-live-seed"))
    ex = E.generate("pool", seed)
    assert bank.locator("[data-role=question]").inner_text().startswith(ex.question.split("\n")[0])
    assert bank.locator("[data-role=position]").inner_text() == f"Generated exercise, seed {seed}"
    (name, value), = ex.answers.items()
    box = bank.locator(f"[data-role=answer-input][data-answer='{name}']")
    feedback = bank.locator(f"[data-role=feedback][data-answer='{name}']")

    right = shape_text(value)
    box.fill(right)
    bank.locator("[data-role=check]").click()
    page.wait_for_function("(el) => el.getAttribute('data-state') === 'correct'", arg=feedback.element_handle())
    assert feedback.inner_text() == "✓ " + E.check(ex, name, right).message

    c, h, w = value
    wrong = f"{h + 1}×{w + 1}×{c}"
    assert not E.check(ex, name, wrong).correct
    box.fill(wrong)
    bank.locator("[data-role=check]").click()
    page.wait_for_function("(el) => el.getAttribute('data-state') === 'wrong'", arg=feedback.element_handle())
    assert feedback.inner_text() == "✗ " + E.check(ex, name, wrong).message
    _shot(page, "exercise_another.png", top=bank)

    # the precomputed bank is still there: "New exercise" goes back to it
    bank.locator("[data-role=next]").click()
    assert bank.locator("[data-role=position]").inner_text().startswith("Exercise ")
    _clean(page, log)


# ------------------------------------------------------------------ second start, file://

def test_second_start_restores_the_snapshot(book_url, chromium):
    context = chromium.new_context()
    context.route(lambda url: not url.startswith(book_url), lambda route: route.abort())
    try:
        starts = []
        for _ in range(2):
            page = context.new_page()
            errors = []
            page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
            page.goto(book_url + "notebooks/05_one_by_one.html", wait_until="networkidle")
            _go_live(page)
            page.wait_for_function("window.cnnlibLive.firstResultMs !== undefined", timeout=30_000)
            restored = page.evaluate("window.cnnlibLive.restored")
            if not restored:
                page.wait_for_function("window.cnnlibLive.snapshot !== null", timeout=60_000)
            starts.append((restored, page.evaluate("window.cnnlibLive.snapshot")))
            widget = _widget(page, "cnnlib.calculators.bottleneck_html")
            widget.locator("input.sw-num[data-param=mid]").fill("100")
            assert _settled(widget) == "ok"
            assert _same_html(page, widget.locator(".sw-out").inner_html(), W.bottleneck_html(256, 100))
            assert errors == [], errors
            page.close()
        assert starts == [(False, "stored"), (True, None)], starts
    finally:
        context.close()


def test_file_url_says_how_and_keeps_the_static_widgets(built_book, new_page):
    page, log = new_page()
    urls = _requests(page)
    page.goto((built_book / "notebooks/03_pooling.html").as_uri(), wait_until="load")
    page.wait_for_timeout(500)
    assert page.get_attribute("html", "data-cnnlib-live") == "file"
    assert not page.locator(".cnnlib-live button").is_visible()
    hint = page.locator(".cnnlib-live .cnnlib-live-file")
    assert hint.is_visible() and "make serve" in hint.inner_text()
    assert len(hint.inner_text().splitlines()) == 1
    # the precomputed slider still answers
    widget = page.locator(".static-widget[data-fn]").first
    out = widget.locator(".sw-out")
    before = out.inner_html()
    widget.locator("input.sw-slider[data-param=n]").fill("3")
    page.wait_for_function("([el, b]) => el.innerHTML !== b", arg=[out.element_handle(), before])
    _shot(page, "file_url_hint.png")
    assert not [u for u in urls if "/_live/" in u or "/pyodide/" in u]

    page.goto((built_book / "notebooks/playground.html").as_uri(), wait_until="load")
    assert page.locator("#cnnlib-playground-input").get_attribute("readonly") is not None
    assert page.locator(".cnnlib-builder .pgb-file").is_visible()
    assert page.locator("#cnnlib-playground-params").inner_text() == "113,386"
    _clean(page, log)


# ------------------------------------------------------------------ pasted PyTorch and Keras code

TORCH_SNIPPETS = [
    (("input 3 32 32\nnet = nn.Sequential(\n    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),\n"
     "    nn.Conv2d(16, 32, kernel_size=3, stride=2), nn.BatchNorm2d(32), nn.ReLU(),\n"
     "    nn.Flatten(), nn.Linear(32 * 7 * 7, 100), nn.Dropout(0.5), nn.Linear(100, 10))"),
     lambda nn: nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(16, 32, kernel_size=3, stride=2), nn.BatchNorm2d(32), nn.ReLU(),
                              nn.Flatten(), nn.Linear(32 * 7 * 7, 100), nn.Dropout(0.5), nn.Linear(100, 10))),
    (("input 1 28 28\ntorch.nn.Sequential(torch.nn.Conv2d(1, 6, 5, padding=2), torch.nn.Tanh(),\n"
     "    torch.nn.AvgPool2d(2), torch.nn.Conv2d(6, 16, 5), torch.nn.Tanh(), torch.nn.AvgPool2d(2),\n"
     "    torch.nn.Flatten(), torch.nn.Linear(400, 120), torch.nn.Linear(120, 84), torch.nn.Linear(84, 10))"),
     lambda nn: nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2), nn.Conv2d(6, 16, 5),
                              nn.Tanh(), nn.AvgPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.Linear(120, 84),
                              nn.Linear(84, 10))),
    (("input 64 56 56\nnn.Sequential(nn.Conv2d(64, 64, 3, padding=1, groups=64, bias=False),\n"
     "    nn.Conv2d(64, 128, 1, bias=False), nn.ReLU6(), nn.ConvTranspose2d(128, 32, 4, stride=2, padding=1))"),
     lambda nn: nn.Sequential(nn.Conv2d(64, 64, 3, padding=1, groups=64, bias=False),
                              nn.Conv2d(64, 128, 1, bias=False), nn.ReLU6(),
                              nn.ConvTranspose2d(128, 32, 4, stride=2, padding=1))),
]

KERAS_SNIPPETS = [
    (("model = keras.Sequential([\n    keras.Input(shape=(28, 28, 1)),\n"
     "    layers.Conv2D(32, 3, activation='relu'), layers.MaxPooling2D(2),\n"
     "    layers.Conv2D(64, (3, 3), activation='relu'), layers.MaxPooling2D(2),\n"
     "    layers.Flatten(), layers.Dropout(0.5), layers.Dense(10, activation='softmax')])"),
     lambda k, L: k.Sequential([k.Input(shape=(28, 28, 1)), L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(2),
                                L.Conv2D(64, (3, 3), activation="relu"), L.MaxPooling2D(2), L.Flatten(),
                                L.Dropout(0.5), L.Dense(10, activation="softmax")])),
    (("model = keras.Sequential()\nmodel.add(layers.Conv2D(8, 5, strides=2, padding='same', input_shape=(64, 64, 3)))\n"
     "model.add(layers.GlobalAveragePooling2D())\nmodel.add(layers.Dense(4))"),
     lambda k, L: k.Sequential([k.Input(shape=(64, 64, 3)), L.Conv2D(8, 5, strides=2, padding="same"),
                                L.GlobalAveragePooling2D(), L.Dense(4)])),
]


def test_playground_reads_pasted_pytorch_and_keras_code(book_url, new_page):
    """Code pasted into the builder is read by cnnlib.parse_model in the page (parsed, never
    run); its total equals what torch and Keras themselves count for the same network, built
    here; a wrong layer names its line; a hostile snippet is refused."""
    import os

    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras
    from torch import nn

    page, log = new_page()
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(book_url + "notebooks/playground.html", wait_until="networkidle")
    builder = page.locator(".cnnlib-builder")
    box = page.locator("#cnnlib-playground-input")
    total = page.locator("#cnnlib-playground-params")
    out = page.locator(".cnnlib-builder [data-role=output]")
    message = page.locator(".cnnlib-builder [data-role=message]")
    for i, (text, make) in enumerate(TORCH_SNIPPETS):
        box.fill(text)
        if i == 0:
            page.wait_for_function(READY, timeout=START_MS)
        assert _settled(builder) == "ok", message.inner_text()
        want = sum(p.numel() for p in make(nn).parameters())
        assert total.inner_text() == f"{want:,}", (i, text)
        assert "Read as PyTorch code" in out.inner_text()
        if i == 0:
            _shot(page, "playground_pytorch.png", top=builder)
    for i, (text, make) in enumerate(KERAS_SNIPPETS):
        box.fill(text)
        assert _settled(builder) == "ok", message.inner_text()
        model = make(keras, keras.layers)
        trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
        assert total.inner_text() == f"{trainable:,}", (i, text)
        assert "Read as Keras code" in out.inner_text()
        if i == 0:
            _shot(page, "playground_keras.png", top=builder)
    good = total.inner_text()
    box.fill("input 3 32 32\nnn.Sequential(\n    nn.Conv2d(3, 8, 3),\n    nn.Flatten(),\n    nn.Linear(100, 10))")
    assert _settled(builder) == "error"
    assert message.inner_text().startswith("line 5: nn.Linear(100, 10) expects 100 inputs but receives 7,200")
    assert total.inner_text() == good  # the last good result stays
    _shot(page, "playground_code_error.png", top=builder)
    box.fill("input 3 8 8\nnn.Sequential(__import__('os').system('echo hi'))")
    assert _settled(builder) == "error" and message.inner_text().startswith("line 2: ")
    _clean(page, log)
