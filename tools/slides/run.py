"""The deck run: a chapter executed again, with its figures drawn for the projector.

The book's outputs are drawn for a page (8–11 pt labels); a deck needs ≥ 18 px text on the
1280×720 slide.  So every chapter is executed once more, in its own kernel (the notebook's
kernelspec, "cnnlib" for the chapters), after a first hidden cell that installs
:mod:`.render` (matplotlib patched to draw every figure and animation frame at the deck's
size, with its text size recorded in the PNG).  Code and prose are the chapter's; the
``{eval}`` values are still the ones stored in its markdown cells (``make execute``).

A run is cached in ``_build/.slides_runs/<chapter>-<key>.ipynb``, the key a hash of the
notebook, of ``cnnlib/`` and of ``render.py`` (the inputs that change outputs): a second
``make slides`` executes nothing.  A cell that raises is an error naming the chapter and cell.
"""

from __future__ import annotations

import copy
import hashlib
import sys
from pathlib import Path

from . import SlidesError

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_RUNS = ROOT / "_build" / ".slides_runs"
SETUP = ("import sys as _s; _s.path.insert(0, {root!r}); "
         "from tools.slides import render as _cnnlib_deck_render; _cnnlib_deck_render.install(); "
         "del _s")


def _inputs_digest() -> str:
    h = hashlib.sha256()
    files = sorted(p for p in (ROOT / "cnnlib").rglob("*") if p.suffix in (".py", ".js", ".css")
                   and "__pycache__" not in p.parts)
    for p in files + [Path(__file__).with_name("render.py"), Path(__file__)]:
        h.update(p.relative_to(ROOT).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def run_key(nb_path: Path, digest: str | None = None) -> str:
    h = hashlib.sha256((digest or _inputs_digest()).encode())
    h.update(Path(nb_path).read_bytes())
    return h.hexdigest()[:16]


def deck_run(nb_path: Path, runs: Path | None = DEFAULT_RUNS, timeout: int = 600, digest: str | None = None):
    """The chapter with the outputs of its deck run (from the cache when it is current)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb_path = Path(nb_path)
    key = run_key(nb_path, digest)
    cached = runs / f"{nb_path.stem}-{key}.ipynb" if runs else None
    if cached is not None and cached.is_file():
        return nbformat.read(cached, as_version=4), "cached deck run"
    nb = nbformat.read(nb_path, as_version=4)
    run = copy.deepcopy(nb)
    setup = nbformat.v4.new_code_cell(SETUP.format(root=str(ROOT)), id="cnnlib-deck-setup")
    run.cells.insert(0, setup)
    kernel = (nb.metadata.get("kernelspec") or {}).get("name") or "python3"
    client = NotebookClient(run, kernel_name=kernel, timeout=timeout, allow_errors=False,
                            store_widget_state=True, resources={"metadata": {"path": str(nb_path.parent)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        index = next((i for i, c in enumerate(run.cells)
                      if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        where = f"cell {index - 1}" if index else "a cell"
        raise SlidesError(f"{nb_path.name}: the deck run failed at {where}:\n{exc}") from None
    except Exception as exc:  # noqa: BLE001 - no kernel, a dead kernel: say which chapter
        raise SlidesError(f"{nb_path.name}: the deck run could not execute the chapter "
                          f"(kernel {kernel!r}): {exc}") from None
    run.cells.pop(0)
    if cached is not None:
        runs.mkdir(parents=True, exist_ok=True)
        for old in runs.glob(f"{nb_path.stem}-*.ipynb"):
            old.unlink()
        nbformat.write(run, cached)
    return run, "deck run"


def committed(nb_path: Path):
    """The chapter with its committed outputs (``--no-execute``: figures are the book's)."""
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    if code and not any(c.get("outputs") for c in code):
        print(f"warning: {nb_path.name} has no committed outputs", file=sys.stderr)
    return nb, "committed outputs"
