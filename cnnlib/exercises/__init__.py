"""Exercises that check answers: generated from cnnlib, checked without re-deriving anything.

How a chapter ends (chapter authors add two cells at the end of a notebook)::

    # cell tagged "remove-input": the static bank, interactive in the built book
    from cnnlib.exercises import static_bank
    static_bank("conv_output", count=20, seed=1)

    # cell tagged "remove-output" (and "nbval-ignore-output"): the live widget, for JupyterLab
    from cnnlib.book.exercise_ui import live
    live("conv_output", seed=1)

One module per step: :mod:`.canon` reads the reader's text, :mod:`.generator` makes the
exercises, :mod:`.checker` judges an answer, :mod:`.static` writes the static bank (its
JavaScript and CSS are package data in ``data/``), :mod:`.live` is what the live page calls
(another exercise, the checker's verdicts).  Give everything a ``seed`` so nbval sees
the same output on every run.

Answer formats the checker accepts (each question says so):

* a shape as H×W×C, the order the papers print: ``55x55x96``, ``55×55×96``, ``55 x 55 x 96``;
* a shape channels-first, PyTorch's (C, H, W), in brackets: ``(96, 55, 55)``, ``[96,55,55]``
  (a bare ``96, 55, 55`` is read the same way);
* a number: ``62,378,344``, ``62378344``, ``62 378 344``, ``62_378_344``.

>>> ex = generate("conv_params", seed=3)
>>> value = ex.answers["parameters"]
>>> check(ex, "parameters", f"{value:,}").correct
True
>>> check(ex, "parameters", "lots").message.startswith("Could not read")
True
"""

from .canon import CANON_JS, accepted_readings, canonicalise
from .checker import Feedback, check, check_all, feedback_html, question_html, solution_html
from .generator import (
           NUMBER_NOTE,
           SHAPE_NOTE,
           TOPICS,
           Exercise,
           bank,
           conv_output_exercise,
           generate,
           next_seed,
)
from .live import another, check_answers
from .static import StaticBank, static_bank

__all__ = ["CANON_JS", "NUMBER_NOTE", "SHAPE_NOTE", "TOPICS", "Exercise", "Feedback", "StaticBank",
           "accepted_readings", "another", "bank", "canonicalise", "check", "check_all", "check_answers",
           "conv_output_exercise",
           "feedback_html", "generate", "next_seed", "question_html", "solution_html", "static_bank"]
