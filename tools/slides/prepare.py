"""The in-memory copy of a notebook that the exporter turns into a deck.

Slide types from :mod:`.rules`, inputs hidden unless tagged, invisible outputs dropped, MyST
simplified by :mod:`.myst`, matplotlib's CDN Font Awesome link pointed at the vendored copy, and
saved widget state dropped when no widget is shown.  The notebook file is never modified.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from .assets import FONT_AWESOME_URL
from .myst import Glue, simplify_myst
from .rules import assign_slide_types, cell_source, shows_input, visible_outputs

_FA_LINK = re.compile(r"""(["'])(?:https?:)?//[^"']*font-awesome[^"']*\.css\1""")


def prepare_notebook(nb, nb_path: Path | None = None):
    """A copy of ``nb`` ready for the SlidesExporter: slide types set, inputs hidden, MyST simplified.

    The notebook file is not modified.
    """
    nb = copy.deepcopy(nb)
    types = assign_slide_types(nb["cells"])
    glue = Glue(nb_path, nb)
    for cell, st in zip(nb["cells"], types):
        meta = cell.setdefault("metadata", {})
        meta["slideshow"] = {"slide_type": st}
        if cell["cell_type"] == "markdown":
            cell["source"] = simplify_myst(cell_source(cell), glue)
        elif cell["cell_type"] == "code":
            if not shows_input(cell):
                meta.setdefault("transient", {})["remove_source"] = True
            cell["outputs"] = visible_outputs(cell)
            for out in cell["outputs"]:
                data = out.get("data", {})
                if "text/html" in data:
                    text = "".join(data["text/html"])
                    data["text/html"] = _FA_LINK.sub(f'"{FONT_AWESOME_URL}"', text)
    shown = any("application/vnd.jupyter.widget-view+json" in out.get("data", {})
                for cell in nb["cells"] for out in cell.get("outputs", []))
    if not shown:
        # Widget state saved by execution but no widget left on a slide (live widgets sit in
        # remove-output cells): without this the deck loads the widget manager for nothing.
        nb.get("metadata", {}).pop("widgets", None)
    if not nb["cells"] or all(t in ("skip", "notes") for t in types):
        # nbconvert refuses an all-hidden notebook: show a title slide instead
        title = nb.get("metadata", {}).get("title") or (nb_path.stem if nb_path else "Slides")
        from nbformat.v4 import new_markdown_cell

        nb["cells"].insert(0, new_markdown_cell(f"# {title}", id="slides-title",
                                                metadata={"slideshow": {"slide_type": "slide"}}))
    return nb
