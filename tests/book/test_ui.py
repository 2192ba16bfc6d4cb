"""cnnlib.book.playground_ui and exercise_ui: the live widgets construct and update (wiring only;
the logic is tested in tests/core/test_playground.py and test_exercises.py)."""

from __future__ import annotations

import asyncio

import pytest

from cnnlib import exercises as E
from cnnlib.book import widgets as W
from cnnlib.book.exercise_ui import live
from cnnlib.book.playground_ui import playground


def test_ui_constructs_and_updates():
    box = playground()
    ui = box.playground
    assert "113,386" in ui.out.value
    ui.text.value = ui.text.value.replace("dense 128", "dense 64")  # observe → update
    # fc1 (800 + 1)·64, fc2 (64 + 1)·10
    assert f"{320 + 9248 + 801 * 64 + 65 * 10:,}" in ui.out.value
    ui.h.value = 4
    assert "pg-error" in ui.out.value and "layer 4 (conv2)" in ui.out.value
    ui.text.value = "conv 8 three"
    assert "line 1: conv: &#x27;three&#x27; is not a whole number" in ui.out.value
    ui.preset.value = "AlexNet (single tower, 227)"
    assert (ui.c.value, ui.h.value, ui.w.value) == (3, 227, 227)
    assert "62,378,344" in ui.out.value
    ui.text.value = "conv 4 3"
    ui.update()  # calling the handler directly gives the same result
    assert f"{4 * 3 * 9 + 4:,}" in ui.out.value


def test_ui_rejects_unknown_preset():
    with pytest.raises(ValueError):
        playground("nope")


def test_live_widget_wiring():
    pytest.importorskip("ipywidgets")
    box = live("conv_params", seed=7)
    state = box.cnnlib_state
    assert state["ex"] == E.generate("conv_params", 7)
    question, _rows, buttons, feedback, solution = box.children
    check_b, show_b, next_b = buttons.children
    # its own classes: the static bank's CSS (.cnnlib-exercise …) does not reach it
    assert "cnnlib-live-exercise" in box._dom_classes and "cnnlib-exercise" not in box._dom_classes
    assert "cnnlib-ex-" not in question.value
    answer = state["ex"].answers["parameters"]
    state["inputs"]["parameters"].value = f"{answer:,}"
    check_b.click()
    assert "✓ parameters" in feedback.value
    state["inputs"]["parameters"].value = "12"  # editing clears the old verdict
    assert feedback.value == ""
    # Enter checks (the front end sends a submit event)
    state["inputs"]["parameters"]._handle_string_msg(None, {"event": "submit"}, None)
    assert "✗ parameters" in feedback.value and "you answered 12" in feedback.value
    assert "Hint:" in feedback.value and f"{answer:,}" not in feedback.value  # no give-away
    assert solution.value == ""
    show_b.click()
    assert "Solution." in solution.value and f"{answer:,}" in solution.value
    assert show_b.description == "Hide solution"
    show_b.click()
    assert solution.value == ""
    old = question.value
    next_b.click()
    assert state["seed"] == 8 and question.value != old and feedback.value == ""
    assert live("pool").cnnlib_state["ex"].topic == "pool"  # seed=None draws one


def test_live_widgets_build_and_update():
    box = W.conv_widget()
    sliders = {c.description: c for c in box.children if hasattr(c, "min")}
    pane = box.children[-1]
    assert "= 3" in pane.value  # default n=7, k=3, s=2
    sliders["k (kernel)"].value = 11
    assert "No output" in pane.value
    assert "output size" in W.pool_widget().children[-1].value
    assert "parameters" in W.channels_widget().children[-1].value


def test_playground_text_is_debounced():
    """In a kernel (an event loop runs) keystrokes within DELAY redraw once, after the
    pause; the last text wins."""
    ui = playground().playground
    redraws = []
    real = ui.update
    ui.update = lambda change=None: (redraws.append(ui.text.value), real())

    async def type_fast():
        for text in ("conv 4", "conv 4 3", "conv 4 3 s1"):
            ui.text.value = text
            await asyncio.sleep(0.01)
        assert redraws == []  # nothing yet: still typing
        await asyncio.sleep(ui.DELAY + 0.2)

    asyncio.run(type_fast())
    assert redraws == ["conv 4 3 s1"]
    assert f"{4 * ui.c.value * 9 + 4:,}" in ui.out.value  # 4 filters of 3×3×C, 4 biases
