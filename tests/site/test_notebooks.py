"""Static checks of the chapter notebooks (fast; no kernel).

The notebooks themselves are re-run and compared with their committed outputs by nbval
(`make nbval`, part of `make test`); these checks catch what nbval does not:

- the toc and notebooks/ agree (no chapter left out of the book, no toc entry without a file);
- every notebook names the venv's kernel "cnnlib" (the one `make venv` registers), so the
  book, nbval, `make execute` and JupyterLab all run the same Python;
- committed outputs come from one clean top-to-bottom run (execution counts 1, 2, 3, …, as
  `make execute` leaves them) and hold no errors;
- no committed output loads a script, stylesheet or font from the network (matplotlib's
  ``to_jshtml`` links Font Awesome from a CDN: use cnnlib's player instead).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXTERNAL_ASSET = re.compile(
    r"""<(?:script|img|iframe)\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//"""
    r"""|@import\s+(?:url\()?\s*["']?(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//""",
    re.IGNORECASE)


def _toc_files() -> set[str]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found = {toc["root"]}

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.add(node["file"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk({k: v for k, v in toc.items() if k != "root"})
    return {re.sub(r"\.(ipynb|md)$", "", f) for f in found}


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _id(path: Path) -> str:
    return path.name


def test_toc_and_notebooks_agree():
    toc = _toc_files()
    on_disk = {f"notebooks/{p.stem}" for p in NOTEBOOKS}
    assert on_disk - toc == set(), f"notebooks not in _toc.yml: {sorted(on_disk - toc)}"
    missing = {f for f in toc if not any((ROOT / (f + ext)).exists() for ext in (".ipynb", ".md"))}
    assert missing == set(), f"_toc.yml entries without a file: {sorted(missing)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_kernel_is_cnnlib(path):
    spec = _load(path).get("metadata", {}).get("kernelspec", {})
    assert spec.get("name") == "cnnlib", (
        f"{path.name}: kernelspec name is {spec.get('name')!r}; use the venv's kernel 'cnnlib' "
        "(JupyterLab: Kernel > Change Kernel > Python (cnnlib))")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_outputs_come_from_one_clean_run(path):
    codes = [c for c in _load(path)["cells"] if c["cell_type"] == "code"]
    counts = [c.get("execution_count") for c in codes]
    assert counts == list(range(1, len(codes) + 1)), (
        f"{path.name}: execution counts {counts}: run `make execute` so the committed outputs "
        "are those of one clean run with the cnnlib kernel")
    errors = [o.get("ename") for c in codes for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"{path.name}: committed error outputs {errors}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_outputs_load_nothing_from_the_network(path):
    bad = []
    for i, cell in enumerate(_load(path)["cells"]):
        for out in cell.get("outputs", []):
            for mime in ("text/html", "image/svg+xml"):
                text = out.get("data", {}).get(mime, "")
                text = "".join(text) if isinstance(text, list) else text
                for m in EXTERNAL_ASSET.finditer(text):
                    bad.append(f"cell {i} {mime}: {text[m.start():m.start() + 120]!r}")
    assert not bad, f"{path.name} outputs load external assets:\n" + "\n".join(bad)
