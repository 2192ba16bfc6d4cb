"""Slide decks by stage; ``tools/build_slides.py`` is the command and documents the rules.

``run`` (the deck run: each chapter executed with :mod:`.render`'s projector-sized figures)
-> ``myst`` (values and roles as plain markdown, blocks) -> ``lecture`` (the chapter as
sections, then as slides in lecture order, with ``rules`` and the plans in ``lectures/``) ->
``prepare`` (the slides as the notebook the exporter sees) -> ``export`` (nbconvert, template,
decks written and checked), with ``assets`` (the pinned npm packages and their URLs, vendored
by ``tools/vendor.py``).
"""


class SlidesError(Exception):
    """A deck cannot be built as the chapter stands (the message names chapter and cause)."""
