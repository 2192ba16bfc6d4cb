"""The core archive the live page runs (tools/live_pack.py): reproducible, exactly the core's
source files, nothing of cnnlib/book/ — checked on a fresh pack and on the one in the build."""

from __future__ import annotations

import hashlib
import io
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # tools/ is a package of scripts, not installed
    sys.path.insert(0, str(ROOT))
from tools import live_pack, live_page

HTML = ROOT / "_build" / "html"


def test_pack_is_reproducible_and_exact():
    data = live_pack.pack()
    assert data == live_pack.pack()
    assert data[4:8] == b"\0\0\0\0"  # gzip header: no modification time
    files = live_pack.core_files()
    members = live_pack.members(data)
    assert list(members) == [name for name, _ in files]  # sorted, one member per file
    for name, path in files:
        assert members[name] == path.read_bytes(), name
    assert not [n for n in members if n.startswith("cnnlib/book/")]
    assert not [n for n in members if "__pycache__" in n or n.endswith(".pyc")]
    assert live_pack.check(data) == []
    # what is packed is the core: every module of cnnlib/ outside book/, and its package data
    on_disk = {p.relative_to(ROOT).as_posix() for p in (ROOT / "cnnlib").rglob("*.py")
               if "book" not in p.relative_to(ROOT / "cnnlib").parts[:1]}
    assert on_disk <= set(members)
    assert {"cnnlib/live.py", "cnnlib/exercises/data/bank.js", "cnnlib/exercises/data/canon.js"} <= set(members)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:  # plain ustar, as the page's reader expects
        for m in tar.getmembers():
            assert m.isfile() and m.mtime == 0 and m.uid == m.gid == 0 and m.mode == 0o644
            assert not m.pax_headers


def test_check_names_every_difference(tmp_path):
    pkg = tmp_path / "cnnlib"
    (pkg / "book").mkdir(parents=True)
    (pkg / "a.py").write_text("A = 1\n")
    (pkg / "book" / "ui.py").write_text("import pandas\n")
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    data = live_pack.pack(pkg)
    assert set(live_pack.members(data)) == {"cnnlib/a.py"}
    (pkg / "a.py").write_text("A = 2\n")
    (pkg / "b.py").write_text("")
    assert live_pack.check(data, pkg) == ["cnnlib/b.py: missing from the pack", "cnnlib/a.py: differs from the source"]
    # an archive with a book file in it is refused by name
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tar:
        info = tarfile.TarInfo("cnnlib/book/ui.py")
        info.size = 0
        tar.addfile(info, io.BytesIO(b""))
    assert "cnnlib/book/ui.py: from the book part, must not be packed" in live_pack.check(raw.getvalue(), pkg)


@pytest.mark.browser  # runs with the site's tests, after make book (not with the unit tests, before it)
def test_the_built_book_carries_the_current_core(built_book):
    built = HTML / live_page.OUT / live_page.CORE
    assert built.exists(), "make book writes _build/html/_live/"
    assert live_pack.check(built.read_bytes()) == [], "the built pack differs from cnnlib/: run make book"
    assert built.read_bytes() == live_pack.pack()
    js = (HTML / live_page.OUT / "live.js").read_text(encoding="utf-8")
    assert js.startswith("window.CNNLIB_LIVE_CONFIG = ")
    for name in ("worker.mjs", "live.css"):
        assert (HTML / live_page.OUT / name).read_bytes() == (live_page.SOURCES / name).read_bytes()
    assert (HTML / "_static" / live_page.PYODIDE_DIR / "pyodide.asm.wasm").is_file()


def test_version_changes_with_the_core(tmp_path, monkeypatch):
    out = tmp_path / "html"
    (out / "_static" / live_page.PYODIDE_DIR).mkdir(parents=True)
    (out / "_static" / live_page.PYODIDE_DIR / "pyodide.mjs").write_text("")
    v1 = live_page.write_live(out)
    assert v1 == live_page.write_live(out) and len(v1) == 12
    core = (out / "_live" / "cnnlib-core.tar.gz").read_bytes()
    assert hashlib.sha256(core).digest() == hashlib.sha256(live_pack.pack()).digest()
    monkeypatch.setattr(live_pack, "pack", lambda: b"other")
    assert live_page.write_live(out) != v1


def test_loader_is_small_and_only_loads_on_request():
    html = live_page.control_html("notebooks/02_padding_stride")
    assert 'data-base="../_live/"' in html and "make serve" in html
    assert len(html.encode()) < 2_000
    assert "live.js" in live_page.LOADER_JS and "addEventListener(\"click\", start)" in live_page.LOADER_JS
