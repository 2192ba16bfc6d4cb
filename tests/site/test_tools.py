"""The build tools' shared modules: vendoring (tools/vendor.py) and URL scanning (tools/urls.py).

Vendoring is tested on small fake npm tarballs written to tmp_path and placed in the cache
folder under npm pack's file name, so nothing is fetched: ``npm`` is hidden from the code
under test, and a test that reached for it would fail.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # tools/ is a package of scripts, not installed
    sys.path.insert(0, str(ROOT))
from tools import urls, vendor, vendor_assets
from tools.slides import assets
from tools.vendor import Package, Patch, VendorError

FILES = {
    "dist/app.js": b"var base = `${u.origin}${u.pathname}`; var again = `${u.origin}${u.pathname}`;\n",
    "dist/app.js.map": b"{}",
    "dist/fonts/a.woff": b"woff",
    "dist/fonts/sub/b.woff": b"woff2",
    "src/app.ts": b"// not shipped",
    "package.json": b'{"name": "fake", "version": "1.2.3"}',
    "README.md": b"# fake",
}


def fake_tarball(path: Path, files=FILES, top="package") -> Path:
    """An npm-like tarball: every file under ``package/``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def sha512_integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


@pytest.fixture(autouse=True)
def no_npm(monkeypatch):
    """No test here may fetch: the cache must already hold every tarball."""
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "npm" else real(name, *a, **k))


@pytest.fixture
def cache(tmp_path):
    """A cache holding the fake package's tarball under npm pack's name for fake@1.2.3."""
    c = tmp_path / "cache"
    fake_tarball(c / "fake-1.2.3.tgz")
    return c


def pinned(cache: Path, **kw) -> Package:
    """fake@1.2.3 pinned to the integrity of the tarball in ``cache``."""
    kw.setdefault("files", ("dist/app.js",))
    return Package("fake", "1.2.3", vendor.integrity_of(cache / "fake-1.2.3.tgz"), **kw)


# --------------------------------------------------------------------------- integrity

def test_integrity_is_npms_sha512_format(tmp_path):
    f = tmp_path / "x.tgz"
    f.write_bytes(b"some bytes")
    assert vendor.integrity_of(f) == sha512_integrity(b"some bytes")
    # npm's dist.integrity of an empty file, as `ssri` writes it
    f.write_bytes(b"")
    assert vendor.integrity_of(f) == ("sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+"
                                      "DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==")


def test_integrity_mismatch_is_refused_before_anything_is_copied(cache, tmp_path):
    wrong = sha512_integrity(b"not the tarball")
    pkg = Package("fake", "1.2.3", wrong, files=("dist/*",))
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "keep.txt").write_text("from an earlier run")
    with pytest.raises(VendorError) as err:
        vendor.vendor([pkg], dest, cache, log=lambda _: None)
    msg = str(err.value)
    actual = vendor.integrity_of(cache / "fake-1.2.3.tgz")
    assert "fake@1.2.3" in msg and f"expected {wrong}" in msg and f"actual   {actual}" in msg
    # dest was neither emptied nor filled, and no stamp says it is up to date
    assert sorted(p.name for p in dest.iterdir()) == ["keep.txt"]


def test_extract_verifies_the_tarball_itself(cache, tmp_path):
    pkg = Package("fake", "1.2.3", sha512_integrity(b"other"), files=("dist/app.js",))
    with pytest.raises(VendorError, match="does not match the pinned integrity"):
        vendor.extract(pkg, cache / "fake-1.2.3.tgz", tmp_path / "dest")
    assert not (tmp_path / "dest").exists()


def test_a_changed_tarball_in_the_cache_is_refused(cache, tmp_path):
    pkg = pinned(cache)
    fake_tarball(cache / "fake-1.2.3.tgz", {**FILES, "dist/app.js": b"evil()"})
    with pytest.raises(VendorError, match="fake@1.2.3"):
        vendor.vendor([pkg], tmp_path / "dest", cache, log=lambda _: None)


@pytest.mark.parametrize("kw, problem", [
    ({"version": "^1.2.3"}, "exact version"),
    ({"version": "1"}, "exact version"),
    ({"integrity": "sha1-" + base64.b64encode(hashlib.sha1(b"x").digest()).decode()}, "sha512"),
    ({"files": ()}, "no files"),
])
def test_pins_must_be_exact(kw, problem):
    args = {"name": "fake", "version": "1.2.3", "integrity": sha512_integrity(b"x"), "files": ("a",)}
    with pytest.raises(VendorError, match=problem):
        Package(**{**args, **kw})


# --------------------------------------------------------------------------- what is copied

def test_only_listed_files_are_copied(cache, tmp_path):
    pkg = pinned(cache, dest="lib/fake", strip="dist/", files=("dist/*", "package.json"),
                 exclude=r"\.map$", rename={"package.json": "fake-package.json"})
    dest = tmp_path / "dest"
    assert vendor.vendor([pkg], dest, cache, log=lambda _: None) is True
    copied = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert copied == [".vendored", "lib/fake/app.js", "lib/fake/fake-package.json",
                      "lib/fake/fonts/a.woff", "lib/fake/fonts/sub/b.woff"]
    assert (dest / "lib/fake/fonts/sub/b.woff").read_bytes() == b"woff2"


def test_exact_names_copy_one_file_each_and_keep_their_path(cache, tmp_path):
    pkg = pinned(cache, dest="fake", files=("dist/app.js", "README.md"))
    dest = tmp_path / "dest"
    vendor.vendor([pkg], dest, cache, log=lambda _: None)
    assert sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file()) == [
        ".vendored", "fake/README.md", "fake/dist/app.js"]


def test_a_glob_that_matches_nothing_is_an_error(cache, tmp_path):
    pkg = pinned(cache, files=("dist/app.js", "dist/*.css"))
    with pytest.raises(VendorError, match=r"fake@1\.2\.3: no file matches 'dist/\*\.css'"):
        vendor.vendor([pkg], tmp_path / "dest", cache, log=lambda _: None)


def test_paths_outside_dest_are_refused(tmp_path):
    tgz = fake_tarball(tmp_path / "cache" / "fake-1.2.3.tgz", {"../evil.js": b"x"})
    pkg = Package("fake", "1.2.3", vendor.integrity_of(tgz), files=("*",))
    with pytest.raises(VendorError, match="outside"):
        vendor.extract(pkg, tgz, tmp_path / "dest")
    assert not (tmp_path / "evil.js").exists()


# --------------------------------------------------------------------------- patches

PUBLIC_PATH = r"`\$\{(\w)\.origin\}\$\{\1\.pathname\}`"


def test_patch_applies_when_the_count_matches(cache, tmp_path):
    pkg = pinned(cache, dest="w", strip="dist/",
                 patches=(Patch("dist/app.js", PUBLIC_PATH, r"\1.href", 2, "public path"),))
    dest = tmp_path / "dest"
    lines = []
    vendor.vendor([pkg], dest, cache, log=lines.append)
    assert (dest / "w/app.js").read_text() == "var base = u.href; var again = u.href;\n"
    assert "  patched w/app.js (2x): public path" in lines


@pytest.mark.parametrize("count", [1, 3])
def test_patch_count_mismatch_is_refused(cache, tmp_path, count):
    pkg = pinned(cache, patches=(Patch("dist/app.js", PUBLIC_PATH, r"\1.href", count),))
    with pytest.raises(VendorError, match=f"fake@1.2.3: patch of dist/app.js expected {count} "
                                          r"match\(es\), found 2"):
        vendor.vendor([pkg], tmp_path / "dest", cache, log=lambda _: None)
    assert not (tmp_path / "dest" / ".vendored").exists()  # the next run tries again


def test_patch_of_a_file_not_copied_is_refused(cache, tmp_path):
    pkg = pinned(cache, patches=(Patch("src/app.ts", "x", "y", 1),))
    with pytest.raises(VendorError, match="not among the copied files"):
        vendor.vendor([pkg], tmp_path / "dest", cache, log=lambda _: None)


# --------------------------------------------------------------------------- stamp

def test_stamp_makes_a_second_run_copy_nothing(cache, tmp_path):
    pkg = pinned(cache, files=("dist/app.js",))
    dest = tmp_path / "dest"
    gen = {"config.js": "// written\n"}
    assert vendor.vendor([pkg], dest, cache, generated=gen, stamp="V.json", log=lambda _: None)
    assert (dest / "config.js").read_text() == "// written\n"
    stamp = json.loads((dest / "V.json").read_text())
    assert stamp["fake"] == "1.2.3" and len(stamp["fingerprint"]) == 64
    (dest / "dist/app.js").write_text("touched")
    assert not vendor.vendor([pkg], dest, cache, generated=gen, stamp="V.json", log=lambda _: None)
    assert (dest / "dist/app.js").read_text() == "touched"  # nothing re-copied
    # a change in what is vendored (here the generated file) re-vendors from scratch
    assert vendor.vendor([pkg], dest, cache, generated={"config.js": "// v2\n"}, stamp="V.json",
                         log=lambda _: None)
    assert (dest / "dist/app.js").read_bytes() == FILES["dist/app.js"]
    assert vendor.vendor([pkg], dest, cache, generated={"config.js": "// v2\n"}, stamp="V.json",
                         force=True, log=lambda _: None)


def test_without_npm_a_missing_tarball_is_a_clear_error(tmp_path):
    pkg = Package("@scope/absent", "0.0.1", sha512_integrity(b""), files=("a",))
    assert pkg.tarball == "scope-absent-0.0.1.tgz"
    with pytest.raises(VendorError, match="npm is needed once to fetch @scope/absent@0.0.1"):
        vendor.fetch(pkg, tmp_path / "cache")


# --------------------------------------------------------------------------- the real pins

def test_book_and_deck_pins():
    book = {p.spec for p in vendor_assets.PACKAGES}
    assert book == {"mathjax@3.2.2", "@jupyter-widgets/html-manager@1.0.15", "requirejs@2.3.8",
                    "pyodide@314.0.7"}
    # Pyodide lands in a folder named by its version (tools/serve.py lets browsers keep it)
    pyodide = next(p for p in vendor_assets.PACKAGES if p.name == "pyodide")
    assert pyodide.dest == vendor_assets.PYODIDE_DIR == "pyodide/314.0.7"
    assert {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"} <= set(pyodide.files)
    decks = {p.spec for p in assets.PACKAGES}
    assert decks == {"reveal.js@4.6.1", "mathjax@2.7.9", "requirejs@2.3.8", "jquery@3.7.1",
                     "@jupyter-widgets/html-manager@1.0.15", "font-awesome@4.7.0"}
    # a package used by both is pinned to the same tarball
    by_spec = {p.spec: p.integrity for p in assets.PACKAGES}
    for p in vendor_assets.PACKAGES:
        assert by_spec.get(p.spec, p.integrity) == p.integrity
    (patch,) = next(p for p in vendor_assets.PACKAGES if p.name.endswith("html-manager")).patches
    assert patch.count == 5 and patch.file == "dist/embed-amd.js"


# --------------------------------------------------------------------------- urls

def test_import_url_is_one_import():
    assert list(urls.css_urls('@import url("https://f.example/a.css"); /* url(x.png) */ '
                              ".b { background: url('b.png') }")) == [
        ("url()", "b.png"), ("@import", "https://f.example/a.css")]


def test_inline_script_urls_only_when_asked():
    page = "<script>require(['https://unpkg.com/x@1/x.js'], f)</script>"
    assert urls.find_external_urls(page, scripts=False) == []
    assert urls.find_external_urls(page) == ["<script> string: https://unpkg.com/x@1/x.js"]


def test_check_html_reports_external_and_missing_with_lines(tmp_path):
    (tmp_path / "here.js").write_text("")
    page = tmp_path / "p.html"
    page.write_text('<script src="here.js?v=1"></script>\n<img src="gone.png">\n'
                    '<link rel="preconnect" href="https://fonts.gstatic.com">\n'
                    '<a href="https://example.org">a link</a>\n')
    assert urls.check_html(page, "p.html") == [
        "p.html:2: missing local <img src>: gone.png",
        "p.html:3: external <link rel=preconnect>: https://fonts.gstatic.com"]


def test_stylesheets_follow_local_imports_once(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css/a.css").write_text("@import url(b.css); @import 'a.css';")
    (tmp_path / "css/b.css").write_text("@import url(https://fonts.example/x.css);")
    page = tmp_path / "p.html"
    page.write_text('<link rel="stylesheet" href="css/a.css"><link rel="stylesheet" href="none.css">')
    assert [p.name for p in urls.stylesheets(page)] == ["a.css", "b.css"]
    assert urls.check_css(tmp_path / "css/b.css", "b.css") == [
        "b.css: external @import: https://fonts.example/x.css"]


# --------------------------------------------------------------------------- make serve

def test_serve_caches_versioned_files_for_good_and_revalidates_the_rest(tmp_path):
    import threading
    import urllib.request

    from tools import serve

    (tmp_path / "_static" / "pyodide" / "314.0.7").mkdir(parents=True)
    (tmp_path / "_static" / "pyodide" / "314.0.7" / "pyodide.asm.wasm").write_bytes(b"\0asm")
    (tmp_path / "_live").mkdir()
    (tmp_path / "_live" / "worker.mjs").write_text("export {};\n")
    (tmp_path / "index.html").write_text("<p>hi</p>")
    server = serve.make_server(tmp_path, 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        def head(path):
            with urllib.request.urlopen(urllib.request.Request(base + path, method="HEAD")) as r:
                return r.headers["Content-Type"], r.headers["Cache-Control"]

        assert head("/_static/pyodide/314.0.7/pyodide.asm.wasm") == ("application/wasm", serve.IMMUTABLE)
        assert head("/_live/worker.mjs?v=0123456789ab") == ("text/javascript", serve.IMMUTABLE)
        assert head("/_live/worker.mjs") == ("text/javascript", "no-cache")
        assert head("/index.html") == ("text/html", "no-cache")
    finally:
        server.shutdown()
        server.server_close()
    assert serve.main([str(tmp_path / "nothing")]) == 1  # no built book: a message, no server
