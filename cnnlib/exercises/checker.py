"""Checking the reader's answer: a verdict, a diagnosis of typical mistakes, a hint.

:func:`check` never raises.  It accepts the formats of :data:`SHAPE_NOTE` and
:data:`NUMBER_NOTE`; a wrong answer that matches a known mistake (no padding, no bias,
the wrong order …) gets that diagnosis, any other the exercise's hint (the formula with
this exercise's numbers, without the result) and, for a shape, which of its numbers are
right.  A wrong answer never reveals the result: the working is :func:`solution_html`,
shown when the reader asks for it.  The ``*_html`` functions render verdicts and solutions for
the live checkers (JupyterLab and the live page).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..shapes import shape_text
from .canon import accepted_readings, canonicalise, reading_shape, shape_both
from .generator import TOPICS, Exercise

__all__ = ["MESSAGES", "Feedback", "check", "check_all", "feedback_html", "question_html", "solution_html"]

MESSAGES = {
    "empty": "Type an answer first.",
    "format": ("Could not read “{text}” as a number or a shape. Numbers: 62,378,344 or 62378344. "
               "Shapes: 55×55×96 (H×W×C), (96, 55, 55) (C, H, W), or another order named "
               "after the numbers, 96×55×55 (C×H×W)."),
}


@dataclass(frozen=True)
class Feedback:
    """The checker's verdict. ``reason``: correct, empty, unreadable, kind, mistake,
    wrong or unknown-answer."""

    correct: bool
    message: str
    reason: str = ""


def _n(x: int) -> str:
    return f"{x:,}"


def _kind_ok(reading: str, kind: str, value) -> bool:
    head, _, body = reading.partition(":")
    if kind == "number":
        return head == "n"
    return head in ("x", "t") and len(body.split(",")) == len(value)


def _kind_message(kind: str, value) -> str:
    if kind == "number":
        return "The answer is one number, like 62,378,344 (or 62378344)."
    return (f"The answer is a shape with {len(value)} numbers: H×W×C like 55×55×96, "
            "or channels-first in brackets like (96, 55, 55).")


def _correct_message(value) -> str:
    if isinstance(value, tuple):
        return f"Right: {shape_both(value)}."
    return f"Right: {_n(value)}."


AGAIN = "Try again, or show the solution."


def check(exercise: Exercise, answer_name: str, text) -> Feedback:
    """Check the reader's `text` for one answer; never raises.

    Accepts the formats in :data:`SHAPE_NOTE` and :data:`NUMBER_NOTE`.  A wrong answer
    gets a diagnosis when it is a known mistake (no padding, no bias, wrong order, …),
    otherwise the hint and, for a shape, which numbers are right; never the result.
    """
    try:
        return _check(exercise, answer_name, text)
    except Exception as e:  # noqa: BLE001 - a checker must answer, not crash
        return Feedback(False, f"Could not check this answer ({type(e).__name__}).", "error")


def _check(ex: Exercise, name: str, text) -> Feedback:
    if name not in ex.answers:
        return Feedback(False, f"This exercise asks for {', '.join(ex.answers)}, not {name!r}.",
                        "unknown-answer")
    value, kind = ex.answers[name], ex.kind(name)
    readings, error = canonicalise(text)
    if error == "empty":
        return Feedback(False, MESSAGES["empty"], "empty")
    if error:
        return Feedback(False, MESSAGES["format"].replace("{text}", str(text).strip()), "unreadable")
    right = set(accepted_readings(value))
    if any(r in right for r in readings):
        return Feedback(True, _correct_message(value), "correct")
    for r in readings:
        if r in ex.mistakes[name]:
            return Feedback(False, f"Not quite. {ex.mistakes[name][r]} {AGAIN}", "mistake")
    usable = [r for r in readings if _kind_ok(r, kind, value)]
    if not usable:
        return Feedback(False, _kind_message(kind, value), "kind")
    hint = f"Hint: {ex.hints[name]}"
    if kind == "number":
        got = int(usable[0][2:])
        return Feedback(False, f"Not quite: you answered {_n(got)}. {hint} {AGAIN}", "wrong")
    got = reading_shape(usable[0])
    order = "H×W×C" if usable[0].startswith("x") else "(C, H, W)"
    shown = shape_text(got) if order == "H×W×C" else f"({', '.join(map(str, got))})"
    right = [lab for lab, mine, theirs in zip(("channels", "height", "width"), got, value)
             if mine == theirs]
    wrong = [lab for lab in ("height", "width", "channels") if lab not in right]
    verdict = (f"{_and(right)} {_are(right)} right; {_and(wrong)} {_are(wrong)} not." if right
               else "None of its numbers is right.")
    head = f"Not quite: you answered {shown}, read as {order}. {verdict[0].upper()}{verdict[1:]}"
    return Feedback(False, f"{head}\n{hint} {AGAIN}", "wrong")


def _are(words) -> str:
    return "is" if words in (["height"], ["width"]) else "are"


def _and(words) -> str:
    order = [w for w in ("height", "width", "channels") if w in words]
    return order[0] if len(order) == 1 else ", ".join(order[:-1]) + " and " + order[-1]


def check_all(exercise: Exercise, texts: dict) -> dict:
    """{answer name: Feedback} for the answers in `texts` (missing ones count as empty)."""
    return {name: check(exercise, name, texts.get(name, "")) for name in exercise.answers}


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def question_html(ex: Exercise) -> str:
    """The question as HTML for the live widget."""
    return (f'<div class="cnnlib-live-question" style="font-size:1.05em;line-height:1.5">'
            f"<b>{html.escape(TOPICS[ex.topic])}</b> · exercise {ex.seed}<br>{_esc(ex.question)}</div>")


def feedback_html(feedbacks: dict) -> str:
    """{name: Feedback} → HTML, green for right, red for wrong."""
    rows = []
    for name, fb in feedbacks.items():
        colour = "#1e6b34" if fb.correct else ("#7a5200" if fb.reason in ("empty", "unreadable", "kind")
                                               else "#8a1c1c")
        mark = "✓" if fb.correct else "✗"
        rows.append(f'<div style="color:{colour};margin:.3em 0"><b>{mark} {html.escape(name)}:</b> '
                    f"{_esc(fb.message)}</div>")
    return "".join(rows)


def solution_html(ex: Exercise) -> str:
    """The worked solution as HTML."""
    return f'<div style="line-height:1.5"><b>Solution.</b><br>{_esc(ex.solution)}</div>'


