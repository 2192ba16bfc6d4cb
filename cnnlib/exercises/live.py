"""The live page's exercises: "Another one" draws a new exercise, the checker judges it.

The static bank (:mod:`.static`) ships precomputed exercises and checks answers by looking
them up; once the page is live (cnnlib running in the reader's browser, :mod:`cnnlib.live`),
each bank gains an "Another one" button that calls :func:`another` and a Check that calls
:func:`check_answers` — :func:`cnnlib.exercises.generate` and :func:`cnnlib.exercises.check`
themselves.  Both return JSON-able dicts and never raise.

>>> item = another("conv_params", after=41)
>>> item["seed"], item["topic"], item["answers"][0]["name"]
(42, 'conv_params', 'parameters')
>>> right = generate("conv_params", 42).answers["parameters"]
>>> check_answers("conv_params", 42, {"parameters": f"{right:,}"})["parameters"]["state"]
'correct'
"""

from __future__ import annotations

import random
import re

from .checker import check
from .generator import TOPICS, generate, next_seed
from .static import bank_item

__all__ = ["STATES", "another", "check_answers"]

#: the checker's reasons → the bank's feedback states (its colours: green, red, amber)
STATES = {"correct": "correct", "mistake": "wrong", "wrong": "wrong", "empty": "format",
          "unreadable": "format", "kind": "format"}


def _whole(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value.strip()):
        return int(value.strip())
    return None


def another(topic: str, after=None) -> dict:
    """A generated exercise of `topic` as the static bank's item (question, answer names and
    formats, worked solution) plus ``topic``, ``seed`` and ``title``.

    ``after``: the seed of the exercise on screen (a number, or its text); the new one is
    :func:`next_seed` of it, so a reader steps through seeds as in JupyterLab's live widget.
    None draws a seed at random (the operating system's randomness, so a page restored from
    a memory snapshot still varies).  An unknown topic gives ``{"error": message}``.
    """
    if topic not in TOPICS:
        return {"error": f"unknown topic {topic!r}; choose one of {', '.join(TOPICS)}"}
    start = _whole(after)
    seed = next_seed(start) if start is not None else random.SystemRandom().randrange(1_000_000)
    try:
        ex = generate(topic, seed)
    except Exception as e:  # noqa: BLE001 — the page must get an answer
        return {"error": f"{type(e).__name__}: {e}"}
    return {**bank_item(ex), "topic": topic, "seed": seed, "title": f"Generated exercise, seed {seed}"}


def check_answers(topic: str, seed, answers) -> dict:
    """``{answer name: {"correct", "state", "message", "reason"}}`` for the reader's texts,
    judged by :func:`cnnlib.exercises.check` on ``generate(topic, seed)``.  ``state`` is the
    bank's: correct, wrong or format.  A missing answer counts as empty; bad arguments give
    ``{"error": message}``."""
    s = _whole(seed)
    if topic not in TOPICS or s is None or not isinstance(answers, dict):
        return {"error": f"cannot check: topic {topic!r}, seed {seed!r}, answers {type(answers).__name__}"}
    try:
        ex = generate(topic, s)
    except Exception as e:  # noqa: BLE001
        return {"error": f"{type(e).__name__}: {e}"}
    out = {}
    for name in ex.answers:
        fb = check(ex, name, answers.get(name, ""))
        out[name] = {"correct": fb.correct, "state": STATES.get(fb.reason, "wrong"),
                     "message": fb.message, "reason": fb.reason}
    return out
