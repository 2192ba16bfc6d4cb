"""The cnnlib core as the live page loads it: one reproducible ``.tar.gz`` of ``cnnlib/``
without ``cnnlib/book/``.

The live page (``tools/live/``) unpacks this archive into Pyodide's file system and imports
``cnnlib`` from it, so the page runs the very files the tests run.  What is packed
(:func:`core_files`): every file under ``cnnlib/`` — Python modules and their package data
(the exercise bank's JavaScript and CSS) — except the book part ``cnnlib/book/``, bytecode
caches (``__pycache__/``, ``*.pyc``) and hidden files.

The archive is reproducible (:func:`pack`): plain ustar (no PAX headers; the page's worker
reads it with twenty lines of JavaScript), members in sorted order, mode 0644, owner 0/0, no
user or group names, mtime 0, and a gzip header without file name or time — the same
sources give the same bytes on any machine.  :func:`check` compares an archive with the
sources byte for byte (``tests/site/test_live_pack.py`` runs it on a fresh pack and on the
one ``make book`` wrote).

    python tools/live_pack.py OUT.tar.gz      # write the pack
    python tools/live_pack.py --check FILE    # exit 1 unless FILE equals the current sources
"""

from __future__ import annotations

import gzip
import io
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cnnlib"
BOOK_PART = "book"  # cnnlib/book/: pandas, matplotlib, ipywidgets — not in the page


def core_files(package: Path = PACKAGE) -> list[tuple[str, Path]]:
    """(path in the archive, file) for every core file, sorted: ``cnnlib/…``."""
    out = []
    for f in package.rglob("*"):
        rel = f.relative_to(package)
        if not f.is_file() or rel.parts[0] == BOOK_PART:
            continue
        if "__pycache__" in rel.parts or f.suffix == ".pyc" or any(p.startswith(".") for p in rel.parts):
            continue
        out.append(((Path(package.name) / rel).as_posix(), f))
    return sorted(out)


def pack(package: Path = PACKAGE) -> bytes:
    """The core as gzip-compressed tar bytes, identical for identical sources."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, path in core_files(package):
            data = path.read_bytes()
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def members(archive: bytes) -> dict[str, bytes]:
    """{path: bytes} of the regular files in a packed archive."""
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def check(archive: bytes, package: Path = PACKAGE) -> list[str]:
    """Problems with ``archive`` as a pack of ``package``'s core (empty list: it is exact)."""
    got = members(archive)
    want = {name: path.read_bytes() for name, path in core_files(package)}
    problems = [f"{name}: from the book part, must not be packed" for name in sorted(got)
                if name.startswith(f"{package.name}/{BOOK_PART}/")]
    problems += [f"{name}: missing from the pack" for name in sorted(set(want) - set(got))]
    problems += [f"{name}: not a core source file" for name in sorted(set(got) - set(want))
                 if not name.startswith(f"{package.name}/{BOOK_PART}/")]
    problems += [f"{name}: differs from the source" for name in sorted(set(got) & set(want))
                 if got[name] != want[name]]
    return problems


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "--check":
        problems = check(Path(argv[2]).read_bytes())
        for p in problems:
            print(f"live_pack: {p}", file=sys.stderr)
        print(f"live_pack: {argv[2]} {'differs from' if problems else 'equals'} the core's sources")
        return 1 if problems else 0
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-2:], file=sys.stderr)
        return 2
    data = pack()
    Path(argv[1]).write_bytes(data)
    print(f"live_pack: {len(core_files())} files, {len(data):,} bytes -> {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
