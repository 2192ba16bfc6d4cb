"""Sphinx extension: the book's bibliography style, "cnnlib" — pybtex's plain style with the
entries sorted by citation key.

Plain sorts by author; the source posts have no (Latin) author, so they came out in a
random-looking order and their labels S1…S5 did not follow the posts' numbers 000…004.  By
key, post000…post004 are S1…S5 in order and the papers sort by first author and year (their
keys are author + year).  Enable with ``bibtex_default_style: cnnlib`` and this extension in
``_config.yml``.
"""

from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.sorting import BaseSortingStyle


class KeySorting(BaseSortingStyle):
    """Entries in the order of their citation keys."""

    def sorting_key(self, entry):
        return entry.key.lower()


class Style(PlainStyle):
    default_sorting_style = "cnnlib_key"


def setup(app):
    register_plugin("pybtex.style.sorting", "cnnlib_key", KeySorting)
    register_plugin("pybtex.style.formatting", "cnnlib", Style)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
