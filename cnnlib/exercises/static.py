"""A bank of exercises as one self-contained HTML block for the static book.

The questions, the stored answers and the worked solutions are computed in Python when the
book is built; the page's JavaScript (``data/bank.js``, with the canonicaliser
``data/canon.js``) only canonicalises the reader's text and looks it up in the precomputed
set of accepted strings — no formula is re-implemented in JavaScript.  The block works on
file://, several per page, and is byte-identical for the same arguments (nbval compares it).

Test hooks (all inside ``div.cnnlib-exercise``, whose ``data-cnnlib-bank`` is
``<topic>-<seed>-<count>``; the id is ``cnnlib-ex-`` + that, and ``data-ready="1"`` is set
once its script has run):

==============================  ===========================================================
``data-role="number"``          the exercise number shown ("3" of 20)
``data-role="question"``        the question text (the format note in ``span.cnnlib-ex-note``)
``data-role="answers"``         the container of the answer rows
``data-role="answer-row"``      one per asked answer, ``data-answer="<name>"``
``data-role="answer-input"``    the text box of that answer (``data-answer="<name>"``)
``data-role="feedback"``        its feedback; ``data-state`` is ``correct``, ``wrong`` or ``format``
``data-role="check"``           the Check button (Enter in a box does the same)
``data-role="solution-button"`` shows/hides the worked solution
``data-role="solution"``        the worked solution (``hidden`` until asked for)
``data-role="next"``            the next exercise of the bank (cycles)
``data-role="position"``        "Exercise n of N", or the title of a generated exercise
``data-role="bank-data"``       the JSON the page runs on
==============================  ===========================================================

The live page (``tools/live/live.js``) adds an "Another one" button (``data-role="another"``)
that shows a generated exercise (:func:`cnnlib.exercises.another`) through the block's
``cnnlibBank.show(item)`` and has its answers judged by :func:`cnnlib.exercises.check_answers`
(``cnnlibBank.check``); the precomputed items stay as they are.
"""

from __future__ import annotations

import html
import json
from importlib import resources

from .canon import CANON_JS, accepted_readings
from .checker import MESSAGES, _correct_message, _kind_message
from .generator import TOPICS, Exercise, bank

__all__ = ["CSS", "RUNTIME_JS", "StaticBank", "bank_item", "static_bank"]

_DATA = resources.files(__package__).joinpath("data")
CSS = _DATA.joinpath("bank.css").read_text(encoding="utf-8")
RUNTIME_JS = CANON_JS + _DATA.joinpath("bank.js").read_text(encoding="utf-8")


def bank_item(ex: Exercise) -> dict:
    """One exercise as the bank's page runs it: the question, per answer its name, kind,
    accepted readings, diagnosed mistakes, hint and messages, and the worked solution."""
    answers = []
    for name, value in ex.answers.items():
        kind = ex.kind(name)
        answers.append({
            "name": name,
            "kind": kind,
            "dims": len(value) if kind == "shape" else 1,
            "accept": list(accepted_readings(value)),
            "mistakes": ex.mistakes[name],
            "hint": ex.hints[name][0].upper() + ex.hints[name][1:],
            "right": _correct_message(value),
            "kindMsg": _kind_message(kind, value),
            "placeholder": "e.g. 55×55×96 or (96, 55, 55)" if kind == "shape" else "e.g. 62,378,344",
        })
    return {"question": ex.question, "answers": answers, "solution": ex.solution}


class StaticBank:
    """A bank of exercises as a self-contained HTML block (``_repr_html_``)."""

    def __init__(self, topic: str, exercises: list, seed: int):
        self.topic, self.exercises, self.seed = topic, exercises, seed
        self.key = f"{topic}-{seed}-{len(exercises)}"
        self.html = _bank_html(self)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"StaticBank({self.topic!r}, {len(self.exercises)} exercises, seed={self.seed})"


def _question_markup(question: str) -> str:
    main, _, note = question.partition("\n")
    return html.escape(main) + (f'<span class="cnnlib-ex-note">{html.escape(note)}</span>' if note else "")


def _bank_html(b: StaticBank) -> str:
    data = {"msg": MESSAGES, "items": [bank_item(ex) for ex in b.exercises]}
    blob = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    blob = blob.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    first = b.exercises[0]
    rid = f"cnnlib-ex-{b.key}"
    return (
        f'<div class="cnnlib-exercise" id="{rid}" data-cnnlib-bank="{html.escape(b.key)}" '
        f'data-topic="{html.escape(b.topic)}">\n'
        f"<style>{CSS}</style>\n"
        f'<div class="cnnlib-ex-head"><span>{html.escape(TOPICS[b.topic])}</span>'
        f'<span data-role="position">Exercise <span data-role="number">1</span> of {len(b.exercises)}</span>'
        f'</div>\n'
        f'<p class="cnnlib-ex-question" data-role="question">{_question_markup(first.question)}</p>\n'
        f'<div data-role="answers"></div>\n'
        f'<div class="cnnlib-ex-buttons"><button type="button" data-role="check">Check</button>'
        f'<button type="button" data-role="solution-button" aria-expanded="false">Show solution</button>'
        f'<button type="button" data-role="next">New exercise</button></div>\n'
        f'<div class="cnnlib-ex-solution" data-role="solution" hidden>{html.escape(first.solution)}</div>\n'
        f'<noscript>Checking answers needs JavaScript.</noscript>\n'
        f'<script type="application/json" data-role="bank-data">{blob}</script>\n'
        f"<script>{RUNTIME_JS}</script>\n</div>"
    )


def static_bank(topic: str, count: int = 20, seed: int = 0) -> StaticBank:
    """`count` pre-generated exercises of `topic` as an HTML block for the built book.

    The answers are computed now, in Python; the page only canonicalises the reader's
    text and looks it up.  The same arguments give byte-identical HTML.

    >>> b = static_bank("pool", count=3, seed=1)
    >>> b.html == static_bank("pool", count=3, seed=1).html, 'id="cnnlib-ex-pool-1-3"' in b.html
    (True, True)
    """
    return StaticBank(topic, bank(topic, count, seed), seed)
