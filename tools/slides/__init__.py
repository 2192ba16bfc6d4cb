"""Slide decks by stage; ``tools/build_slides.py`` is the command and documents the rules.

``rules`` (cell -> slide type) -> ``myst`` (MyST/glue simplified) -> ``prepare`` (the notebook
copy the exporter sees) -> ``export`` (nbconvert, template, decks written and checked), with
``assets`` (the pinned npm packages and their URLs, vendored by ``tools/vendor.py``).
"""
