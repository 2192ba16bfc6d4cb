"""Execute the chapters in place and store what their prose shows (``make execute``).

For each notebook, in one kernel (the venv's "cnnlib" kernel), top to bottom:

* every code cell runs and keeps its outputs (what nbval later compares, and what the
  slide decks show);
* every markdown cell's MyST inline expressions ``{eval}`name``` are evaluated when the
  cell is reached — after the code cells before it, exactly as JupyterLab's "Run All" and
  myst-nb's inline execution do — and stored in the cell's metadata as jupyterlab-myst
  stores them (``metadata.user_expressions``: a list of ``{"expression", "result"}`` where
  ``result`` is the kernel's reply).  A notebook opened in JupyterLab therefore shows its
  numbers at once, before any cell runs, and the slide builder reads them from there;
* live ipywidgets are not kept: their saved state and their outputs (a view of a model that
  exists only while a kernel runs) are dropped, and the cell is tagged
  ``nbval-ignore-output``.  A reader who opens a chapter sees no dead widget and no "model
  not found" error; Run All creates the widgets.  The built book shows precomputed static
  counterparts instead.

An expression that fails is an error (the notebook is not written): a chapter's prose must
never show a NameError.

    python tools/execute_notebooks.py notebooks/*.ipynb
    python tools/execute_notebooks.py --check notebooks/*.ipynb   # exit 1 if metadata is stale

Expressions are found by parsing markdown as MyST does (markdown-it-py with the MyST role,
colon-fence and dollar-math plugins), so an ``{eval}`` in a code span, a code block or
``$math$`` is not one — jupyterlab-myst ignores those too — while one inside an admonition
or dropdown is.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
import time
from pathlib import Path

import nbformat
from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin
from nbclient import NotebookClient
from nbclient.util import run_sync

KEY = "user_expressions"
KERNEL = "cnnlib"
_MD = (MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(myst_block_plugin)
       .use(myst_role_plugin).use(colon_fence_plugin).use(dollarmath_plugin))
_NOT_MARKDOWN = re.compile(r"^\{(code|code-block|code-cell|sourcecode|math)\}")


def _directive_body(content: str) -> str:
    """A directive's content without its option block (---yaml--- or :key: value lines)."""
    lines = content.splitlines()
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        lines = lines[end + 1:]
    else:
        while lines and re.match(r"^:[\w-]+:", lines[0]):
            lines = lines[1:]
    return "\n".join(lines)


def find_expressions(source: str) -> list[str]:
    """The ``{eval}`` expressions of a markdown cell, in order (repeats kept).

    >>> find_expressions("a {eval}`x` b `{eval}`no`` $ {eval}`no` $ c {eval}`y`")
    ['x', 'y']
    """
    out: list[str] = []
    for tok in _MD.parse(source):
        if tok.type == "inline":
            out += [c.content for c in tok.children or []
                    if c.type == "myst_role" and c.meta.get("name") == "eval"]
        elif (tok.type in ("fence", "colon_fence") and tok.info.strip().startswith("{")
              and not _NOT_MARKDOWN.match(tok.info.strip())):
            out += find_expressions(_directive_body(tok.content))
    return out


async def _evaluate(client: NotebookClient, exprs: list[str]) -> list[dict]:
    """One execute_request with empty code and user_expressions, as jupyterlab-myst sends it."""
    named = {str(i): e for i, e in enumerate(dict.fromkeys(exprs))}
    msg_id = client.kc.execute("", silent=False, store_history=False, user_expressions=named,
                               allow_stdin=False)
    while True:
        reply = await client.kc.get_shell_msg(timeout=client.timeout or 60)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    content = reply["content"]
    if content["status"] != "ok":
        raise RuntimeError(f"kernel reply not ok: {content}")
    results = content["user_expressions"]
    return [{"expression": named[k], "result": results[k]} for k in named]


async def _run(nb, folder: str, timeout: int):
    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL,
                            resources={"metadata": {"path": folder}})
    async with client.async_setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                await client.async_execute_cell(cell, index)
            elif cell.cell_type == "markdown":
                exprs = find_expressions(cell.source)
                if exprs:
                    cell.metadata[KEY] = await _evaluate(client, exprs)
                else:
                    cell.metadata.pop(KEY, None)
    return nb


def errors(nb) -> list[str]:
    """Expressions whose evaluation failed, as 'cell N: expr → NameError: …'."""
    out = []
    for i, cell in enumerate(nb.cells):
        for item in cell.get("metadata", {}).get(KEY, []):
            r = item["result"]
            if r.get("status") != "ok":
                out.append(f"cell {i}: {item['expression']} → {r.get('ename')}: {r.get('evalue')}")
    return out


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def drop_live_widgets(nb) -> int:
    """Remove live-widget outputs (and saved widget state); tag those cells
    ``nbval-ignore-output``.  Returns how many outputs were dropped.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("w")])
    >>> nb.cells[0].outputs = [nbformat.v4.new_output("display_data", {WIDGET_VIEW: {}, "text/plain": "VBox()"})]
    >>> drop_live_widgets(nb), nb.cells[0].outputs, nb.cells[0].metadata["tags"]
    (1, [], ['nbval-ignore-output'])
    """
    nb.metadata.pop("widgets", None)
    dropped = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        keep = [o for o in cell.get("outputs", []) if WIDGET_VIEW not in o.get("data", {})]
        if len(keep) != len(cell.get("outputs", [])):
            dropped += len(cell.outputs) - len(keep)
            cell.outputs = keep
            tags = cell.metadata.setdefault("tags", [])
            if "nbval-ignore-output" not in tags:
                tags.append("nbval-ignore-output")
    return dropped


def execute(path: Path, timeout: int = 600):
    """The executed notebook (outputs, expressions), live widgets dropped."""
    nb = nbformat.read(path, as_version=4)
    run_sync(_run)(nb, str(path.parent.resolve()), timeout)
    drop_live_widgets(nb)
    return nb


def expressions_of(nb) -> list:
    return [c.get("metadata", {}).get(KEY) for c in nb.cells if c.cell_type == "markdown"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="+", type=Path)
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 when a notebook's stored expressions differ from a fresh run")
    ap.add_argument("--timeout", type=int, default=600)
    args = ap.parse_args(argv)
    stale = 0
    for path in args.notebooks:
        t = time.perf_counter()
        before = nbformat.read(path, as_version=4)
        nb = execute(path, args.timeout)
        bad = errors(nb)
        n = sum(len(c.get("metadata", {}).get(KEY, [])) for c in nb.cells)
        if bad:
            print(f"==> {path}: {len(bad)} expression(s) failed:\n    " + "\n    ".join(bad))
            return 1
        if args.check:
            if expressions_of(before) != expressions_of(copy.deepcopy(nb)):
                stale += 1
                print(f"==> {path}: stored {{eval}} values are stale — run make execute")
            continue
        nbformat.write(nb, path)
        print(f"==> {path}: executed, {n} prose value(s) stored ({time.perf_counter() - t:.1f} s)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
