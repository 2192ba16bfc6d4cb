"""The live exercise widget for JupyterLab: question, answer boxes, Check, solution, another one.

All logic is in :mod:`cnnlib.exercises` (generate, check, the ``*_html`` renderers); this is
wiring.  ipywidgets is imported inside :func:`live`.  Its CSS classes (``cnnlib-live-*``) are
not the static bank's (``cnnlib-exercise``), so a page that shows both styles each its own.
"""

from __future__ import annotations

import random
import warnings

from ..exercises import check_all, feedback_html, generate, next_seed, question_html, solution_html

__all__ = ["live"]


def _on_enter(box, callback) -> None:
    """Run `callback` when Enter is pressed in `box` (ipywidgets 8 still sends the submit
    event but warns that ``on_submit`` is deprecated; its suggested replacement,
    continuous_update=False, would also fire on leaving the box)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        box.on_submit(callback)


def live(topic: str, seed: int | None = None):
    """An ipywidgets exercise for JupyterLab: question, one box per answer, Check (or
    Enter), Show solution and Another one.  A wrong answer gets the diagnosis or a hint,
    never the result; the solution is shown only on request, and old feedback goes away
    as soon as an answer is edited.  ``seed=None`` draws a random one."""
    import ipywidgets as w

    if seed is None:
        seed = random.SystemRandom().randrange(1_000_000)
    state = {"seed": seed, "ex": generate(topic, seed), "inputs": {}}
    question = w.HTML()
    rows = w.VBox()
    feedback = w.HTML()
    solution = w.HTML()
    check_b = w.Button(description="Check", button_style="primary", tooltip="or press Enter")
    show_b = w.Button(description="Show solution")
    next_b = w.Button(description="Another one")

    def clear(_=None):
        feedback.value = ""

    def render():
        ex = state["ex"]
        question.value = question_html(ex)
        state["inputs"] = {}
        for name in ex.answers:
            box = w.Text(placeholder="55×55×96 or (96, 55, 55)" if ex.kind(name) == "shape"
                         else "62,378,344", layout=w.Layout(width="16em"))
            box.observe(clear, "value")
            _on_enter(box, on_check)
            state["inputs"][name] = box
        rows.children = [w.HBox([w.Label(name, layout=w.Layout(width="9em")), box])
                         for name, box in state["inputs"].items()]
        feedback.value = solution.value = ""

    def on_check(_=None):
        texts = {name: box.value for name, box in state["inputs"].items()}
        feedback.value = feedback_html(check_all(state["ex"], texts))

    def on_show(_=None):
        solution.value = "" if solution.value else solution_html(state["ex"])
        show_b.description = "Hide solution" if solution.value else "Show solution"

    def on_next(_=None):
        state["seed"] = next_seed(state["seed"])
        state["ex"] = generate(topic, state["seed"])
        show_b.description = "Show solution"
        render()

    check_b.on_click(on_check)
    show_b.on_click(on_show)
    next_b.on_click(on_next)
    render()
    box = w.VBox([question, rows, w.HBox([check_b, show_b, next_b]), feedback, solution])
    box.add_class("cnnlib-live-exercise")
    box.cnnlib_state = state
    return box
