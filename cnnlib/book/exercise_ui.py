"""The live exercise widget for JupyterLab: question, answer boxes, Check, solution, another one.

All logic is in :mod:`cnnlib.exercises` (generate, check, the ``*_html`` renderers); this is
wiring.  ipywidgets is imported inside :func:`live`.
"""

from __future__ import annotations

import random

from ..exercises import check_all, feedback_html, generate, next_seed, question_html, solution_html

__all__ = ["live"]


def live(topic: str, seed: int | None = None):
    """An ipywidgets exercise for JupyterLab: question, one box per answer, Check,
    Show solution and Another one.  All logic is in :func:`generate`, :func:`check`
    and the ``*_html`` functions; this is wiring.  ``seed=None`` draws a random one."""
    import ipywidgets as w

    if seed is None:
        seed = random.SystemRandom().randrange(1_000_000)
    state = {"seed": seed, "ex": generate(topic, seed), "inputs": {}}
    question = w.HTML()
    rows = w.VBox()
    feedback = w.HTML()
    solution = w.HTML()
    check_b = w.Button(description="Check", button_style="primary")
    show_b = w.Button(description="Show solution")
    next_b = w.Button(description="Another one")

    def render():
        ex = state["ex"]
        question.value = question_html(ex)
        state["inputs"] = {name: w.Text(placeholder="55×55×96 or (96, 55, 55)" if ex.kind(name) == "shape"
                                        else "62,378,344", layout=w.Layout(width="16em"))
                           for name in ex.answers}
        rows.children = [w.HBox([w.Label(name, layout=w.Layout(width="9em")), box])
                         for name, box in state["inputs"].items()]
        feedback.value = solution.value = ""

    def on_check(_=None):
        texts = {name: box.value for name, box in state["inputs"].items()}
        feedback.value = feedback_html(check_all(state["ex"], texts))

    def on_show(_=None):
        solution.value = "" if solution.value else solution_html(state["ex"])

    def on_next(_=None):
        state["seed"] = next_seed(state["seed"])
        state["ex"] = generate(topic, state["seed"])
        render()

    check_b.on_click(on_check)
    show_b.on_click(on_show)
    next_b.on_click(on_next)
    render()
    box = w.VBox([question, rows, w.HBox([check_b, show_b, next_b]), feedback, solution])
    box.add_class("cnnlib-exercise")
    box.cnnlib_state = state
    return box


