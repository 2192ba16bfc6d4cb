"""The static exercise bank in a real browser (Playwright for Python + Debian chromium).

A standalone page with two banks is written to a temporary directory and opened over
file:// (no server, no network).  The test types a right and a wrong answer, checks the
feedback, that the solution is hidden until asked for, that "New exercise" moves on,
that the two banks do not interfere and that the console stays free of errors.  A
screenshot is saved to $CNNLIB_SCREENSHOT_DIR (default /tmp) as cnnlib_exercises.png.

Without /usr/bin/chromium (or Playwright) the test is skipped with the reason printed,
unless CI or CNNLIB_REQUIRE_BROWSER is set: then it fails (the ``chromium`` fixture of
``conftest.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cnnlib import exercises as E
from cnnlib.shapes import shape_text

pytestmark = pytest.mark.browser


PAGE = """<!DOCTYPE html>
<html lang="en" data-theme="light"><head><meta charset="utf-8"><title>Exercises</title>
<style>body{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1.5rem;color:#222;background:#fff}}</style></head>
<body><h1>Exercises</h1>
{a}
<p>Some prose between the two banks.</p>
{b}
</body></html>
"""


def _shape_text(value):
    return shape_text(value)  # H×W×C, as the question asks


def test_two_banks_check_answers_in_the_browser(chromium, tmp_path):
    bank_a = E.static_bank("conv_output", count=5, seed=1)
    bank_b = E.static_bank("dense", count=5, seed=2)
    page_file = tmp_path / "exercises.html"
    page_file.write_text(PAGE.format(a=bank_a.html, b=bank_b.html), encoding="utf-8")

    page = chromium.new_page(viewport={"width": 1100, "height": 1200})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(page_file.as_uri())

    a = page.locator(f"#cnnlib-ex-{bank_a.key}")
    b = page.locator(f"#cnnlib-ex-{bank_b.key}")
    assert a.get_attribute("data-ready") == "1" and b.get_attribute("data-ready") == "1"

    # --- bank A: one shape answer
    ex = bank_a.exercises[0]
    value = ex.answers["output shape"]
    box = a.locator('[data-role="answer-input"][data-answer="output shape"]')
    fb = a.locator('[data-role="feedback"][data-answer="output shape"]')
    assert a.locator('[data-role="question"]').inner_text().startswith(ex.question.split("\n")[0][:40])
    box.fill(_shape_text(value))
    a.locator('[data-role="check"]').click()
    assert fb.get_attribute("data-state") == "correct"
    assert fb.inner_text() == "✓ " + E.check(ex, "output shape", _shape_text(value)).message

    c, h, w = value
    box.fill(f"({c}, {h}, {w})")  # channels-first, in brackets
    box.press("Enter")
    assert fb.get_attribute("data-state") == "correct"

    wrong = f"{h + 7}x{w + 7}x{c}"
    assert not E.check(ex, "output shape", wrong).correct
    box.fill(wrong)
    a.locator('[data-role="check"]').click()
    assert fb.get_attribute("data-state") == "wrong"
    assert fb.inner_text().startswith("✗ Not quite.")
    assert str(h) not in fb.inner_text().split("Hint:")[0]  # the answer is not leaked

    box.fill(f"{c}x{h}x{w}")  # channels first written with ×: a diagnosed mistake
    a.locator('[data-role="check"]').click()
    if h != c or w != c:
        assert "wrong order" in fb.inner_text()

    box.fill("lots")
    a.locator('[data-role="check"]').click()
    assert fb.get_attribute("data-state") == "format"
    assert "Could not read “lots”" in fb.inner_text()

    # solution hidden until asked for
    sol = a.locator('[data-role="solution"]')
    assert sol.is_hidden()
    page.screenshot(path=str(_shot_dir() / "cnnlib_exercises_before.png"), full_page=True)
    a.locator('[data-role="solution-button"]').click()
    assert sol.is_visible() and sol.inner_text().strip() == ex.solution
    assert a.locator('[data-role="solution-button"]').inner_text() == "Hide solution"

    # --- bank B: two answers, one right and one wrong, independent of bank A
    exb = bank_b.exercises[0]
    b.locator('[data-role="answer-input"][data-answer="flattened size"]').fill(
        f"{exb.answers['flattened size']:,}")
    weights_only = exb.layers[1].weights(exb.layers[0].output_shape(exb.in_shape))
    b.locator('[data-role="answer-input"][data-answer="parameters"]').fill(str(weights_only))
    b.locator('[data-role="check"]').click()
    assert b.locator('[data-role="feedback"][data-answer="flattened size"]').get_attribute(
        "data-state") == "correct"
    fbp = b.locator('[data-role="feedback"][data-answer="parameters"]')
    if weights_only != exb.answers["parameters"]:
        assert fbp.get_attribute("data-state") == "wrong"
        assert "biases" in fbp.inner_text()
    assert b.locator('[data-role="solution"]').is_hidden()
    assert fb.get_attribute("data-state") == "format"  # bank A untouched

    page.screenshot(path=str(_shot_dir() / "cnnlib_exercises.png"), full_page=True)

    # --- next exercise: new question, cleared feedback, solution hidden again
    a.locator('[data-role="next"]').click()
    assert a.locator('[data-role="number"]').inner_text() == "2"
    assert a.locator('[data-role="question"]').inner_text() == bank_a.exercises[1].question
    assert a.locator('[data-role="feedback"]').first.inner_text() == ""
    assert sol.is_hidden()
    for _ in range(4):
        a.locator('[data-role="next"]').click()
    assert a.locator('[data-role="number"]').inner_text() == "1"  # cycles

    assert errors == [], errors
    assert failed == [], failed
    page.close()


def _shot_dir() -> Path:
    d = Path(os.environ.get("CNNLIB_SCREENSHOT_DIR", "/tmp"))
    d.mkdir(parents=True, exist_ok=True)
    return d
