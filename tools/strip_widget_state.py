"""Drop saved ipywidgets state from notebooks (run by `make execute` after execution).

Live widgets are for JupyterLab, where the kernel recreates them; in the static book their
cells' outputs are removed (tag remove-output) and the static counterparts are shown. Saved
widget state would only make every page load the 3.6 MB widget manager for nothing.

    python tools/strip_widget_state.py notebooks/*.ipynb
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def strip(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    if "widgets" not in nb.get("metadata", {}):
        return False
    del nb["metadata"]["widgets"]
    # nbformat's own layout: one-space indent, non-ASCII kept, trailing newline.
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return True


def main(argv: list[str]) -> int:
    for name in argv:
        if strip(Path(name)):
            print(f"    {name}: saved widget state removed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
