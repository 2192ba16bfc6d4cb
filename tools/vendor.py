"""Pinned npm packages, verified and copied: the one vendoring routine of the book and the decks.

A :class:`Package` names an npm package at an exact version, the sha512 ``dist.integrity``
npm publishes for its tarball (``npm view <name>@<version> dist.integrity``) and the files of
it that a page loads.  :func:`vendor` then, for a list of packages:

1. fetches each tarball once with ``npm pack`` into a cache folder (``.cache/npm``); a fresh
   tarball is verified before it is moved into the cache;
2. verifies the cached tarball's sha512 against the pin before anything is extracted (and every
   time it is used): a mismatch raises :class:`VendorError` naming the package, the expected
   and the actual integrity, and nothing is copied;
3. copies only the files that match the package's globs (``fnmatch``: ``*`` also matches
   ``/``, so ``"fonts/*"`` is a whole folder; every glob must match a file), minus ``exclude``
   (a regex), to ``<dest>/<package.dest>/<path in the package, less strip>``;
4. applies the package's regex :class:`Patch` es, each asserted to match exactly ``count``
   times (else :class:`VendorError`);
5. writes the generated files it is given (text the caller owns, such as a config script) and a
   stamp: the packages' versions and a fingerprint of every pin, glob, patch and generated
   file.  While the stamp matches, :func:`vendor` copies nothing.

Users: ``tools/vendor_assets.py`` (the book, into ``vendor_static/``) and
``tools/slides/assets.py`` (the decks, into ``_build/html/slides/vendor/``).

Adding an asset is one more entry.  For example Pyodide's core for the book would be, in
``tools/vendor_assets.py``'s ``PACKAGES``::

    Package("pyodide", "314.0.7",
            # npm view pyodide@314.0.7 dist.integrity
            "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A==",
            dest="pyodide",
            files=("pyodide.js", "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm",
                   "python_stdlib.zip", "pyodide-lock.json")),

which lands in ``vendor_static/pyodide/`` (``_static/pyodide/`` in the built book).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = ROOT / ".cache" / "npm"

_EXACT_VERSION = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$")
_SHA512 = re.compile(r"^sha512-[A-Za-z0-9+/]{86}==$")


def say(message: str) -> None:
    print(message, flush=True)


def _shown(path: Path) -> str:
    """``path`` relative to the working folder when it is below it (shorter messages)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class VendorError(RuntimeError):
    """A package cannot be vendored as pinned (integrity, missing file, patch, npm)."""


@dataclass(frozen=True)
class Patch:
    """Replace ``pattern`` (a regex) by ``replacement`` in ``file``, which must match ``count`` times.

    ``file`` is the file's path in the package (``"dist/embed-amd.js"``); it must be copied.
    """

    file: str
    pattern: str
    replacement: str
    count: int
    why: str = ""


@dataclass(frozen=True)
class Package:
    """An npm package pinned to an exact version and sha512 integrity, and the files to copy.

    ``files``: globs relative to the package root (the tarball's ``package/`` folder).
    ``dest``: folder under the destination.  ``strip``: a leading path removed from a file's
    path when present (``"es5/"``).  ``exclude``: regex of paths never copied.  ``rename``:
    path in the package -> path under ``dest``.  ``patches``: applied after copying.
    """

    name: str
    version: str
    integrity: str
    files: tuple[str, ...]
    dest: str = ""
    strip: str = ""
    exclude: str = ""
    rename: Mapping[str, str] = field(default_factory=dict)
    patches: tuple[Patch, ...] = ()

    def __post_init__(self):
        if not _EXACT_VERSION.match(self.version):
            raise VendorError(f"{self.name}: pin an exact version, not {self.version!r}")
        if not _SHA512.match(self.integrity):
            raise VendorError(f"{self.name}@{self.version}: integrity must be npm's sha512 "
                              f"dist.integrity ('sha512-…=='), not {self.integrity!r}")
        if not self.files:
            raise VendorError(f"{self.name}@{self.version}: no files listed")

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def tarball(self) -> str:
        """``npm pack``'s file name: ``@scope/name`` 1.2.3 -> ``scope-name-1.2.3.tgz``."""
        return f"{self.name.lstrip('@').replace('/', '-')}-{self.version}.tgz"

    def target(self, path: str) -> str:
        """Where the package file ``path`` goes, relative to the destination folder."""
        rel = self.rename.get(path) or path.removeprefix(self.strip)
        return str(PurePosixPath(self.dest, rel)) if self.dest else rel


def integrity_of(path: Path) -> str:
    """npm's ``dist.integrity`` of a file: ``sha512-`` + base64 of its SHA-512 digest."""
    h = hashlib.sha512()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return "sha512-" + base64.b64encode(h.digest()).decode()


def verify(pkg: Package, tgz: Path) -> None:
    """Raise :class:`VendorError` unless ``tgz`` has the integrity pinned for ``pkg``."""
    actual = integrity_of(tgz)
    if actual != pkg.integrity:
        raise VendorError(
            f"{pkg.spec}: {_shown(tgz)} does not match the pinned integrity\n"
            f"  expected {pkg.integrity}\n  actual   {actual}\n"
            f"  (if the pin is right, the file is corrupt or not the published one: delete it to "
            f"fetch it again)")


def fetch(pkg: Package, cache: Path = DEFAULT_CACHE, log: Callable[[str], None] = say) -> Path:
    """The verified tarball of ``pkg`` in ``cache``, fetched with ``npm pack`` when missing."""
    cache.mkdir(parents=True, exist_ok=True)
    tgz = cache / pkg.tarball
    if not tgz.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise VendorError(f"npm is needed once to fetch {pkg.spec} into {_shown(cache)} "
                              "(apt-get install -y npm)")
        log(f"  npm pack {pkg.spec}")
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            res = subprocess.run([npm, "pack", pkg.spec, "--silent", "--pack-destination", tmp],
                                 capture_output=True, text=True, check=False)
            produced = sorted(Path(tmp).glob("*.tgz"))
            if res.returncode != 0 or len(produced) != 1:
                raise VendorError(f"npm pack {pkg.spec} failed:\n{res.stderr.strip()}")
            verify(pkg, produced[0])
            produced[0].replace(tgz)
    verify(pkg, tgz)
    return tgz


def extract(pkg: Package, tgz: Path, dest: Path) -> list[Path]:
    """Verify ``tgz``, then copy the files of ``pkg`` it lists to ``dest``; return the copies."""
    verify(pkg, tgz)
    exclude = re.compile(pkg.exclude) if pkg.exclude else None
    copied = []
    with tarfile.open(tgz) as tar:
        # npm tarballs hold one top folder (usually "package/"): paths are relative to it
        members = {m.name.split("/", 1)[1]: m for m in tar.getmembers()
                   if m.isfile() and "/" in m.name}
        chosen: dict[str, tarfile.TarInfo] = {}
        for pattern in pkg.files:
            hits = [p for p in members if fnmatchcase(p, pattern)]
            if not hits:
                raise VendorError(f"{pkg.spec}: no file matches {pattern!r}")
            chosen.update((p, members[p]) for p in hits if not (exclude and exclude.search(p)))
        for path, member in chosen.items():
            rel = PurePosixPath(pkg.target(path))
            if rel.is_absolute() or ".." in rel.parts:
                raise VendorError(f"{pkg.spec}: {path} would be copied outside {dest}")
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
            copied.append(target)
    return copied


def apply_patch(pkg: Package, patch: Patch, dest: Path) -> None:
    """Apply ``patch`` to the copied file; :class:`VendorError` unless it matched ``count`` times."""
    f = dest / pkg.target(patch.file)
    if not f.is_file():
        raise VendorError(f"{pkg.spec}: patch of {patch.file}, which is not among the copied files")
    text, n = re.subn(patch.pattern, patch.replacement, f.read_text(encoding="utf-8"))
    if n != patch.count:
        raise VendorError(f"{pkg.spec}: patch of {patch.file} expected {patch.count} match(es), "
                          f"found {n}")
    f.write_text(text, encoding="utf-8")


def stamp_of(packages: Sequence[Package], generated: Mapping[str, str]) -> dict:
    """What the stamp records: ``name: version`` of each package and a fingerprint of everything."""
    pins = json.dumps([dataclasses.asdict(p) for p in packages] + [dict(generated)], sort_keys=True)
    stamp = {p.name: p.version for p in packages}
    stamp["fingerprint"] = hashlib.sha256(pins.encode()).hexdigest()
    return stamp


def vendor(packages: Sequence[Package], dest: Path, cache: Path = DEFAULT_CACHE, *,
           generated: Mapping[str, str] | None = None, stamp: str = ".vendored",
           force: bool = False, log: Callable[[str], None] = say) -> bool:
    """Fill ``dest`` with the listed files of ``packages`` (replacing what was there).

    ``generated`` maps a path under ``dest`` to the text written there after the packages.
    Returns False, touching nothing, when ``dest/stamp`` shows this exact set is in place
    (unless ``force``).  Every tarball is fetched and verified before ``dest`` is emptied.
    """
    generated = dict(generated or {})
    wanted = stamp_of(packages, generated)
    stamp_file = dest / stamp
    if not force and stamp_file.exists():
        try:
            if json.loads(stamp_file.read_text(encoding="utf-8")) == wanted:
                return False
        except ValueError:
            pass  # an older or broken stamp: vendor again
    log(f"==> vendoring {len(packages)} pinned npm packages into {_shown(dest)}/ (cache: {_shown(cache)})")
    tarballs = [fetch(p, cache, log) for p in packages]
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    total = 0
    for pkg, tgz in zip(packages, tarballs):
        files = extract(pkg, tgz, dest)
        size = sum(f.stat().st_size for f in files)
        total += size
        log(f"  {pkg.spec}: {len(files)} files, {size / 1e6:.1f} MB -> {pkg.dest or '.'}/")
        for patch in pkg.patches:
            apply_patch(pkg, patch, dest)
            log(f"  patched {pkg.target(patch.file)} ({patch.count}x): {patch.why}")
    for rel, text in generated.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(text, encoding="utf-8")
    stamp_file.write_text(json.dumps(wanted, indent=1) + "\n", encoding="utf-8")
    log(f"  total {total / 1e6:.1f} MB")
    return True
