"""The package's shape, checked: the core imports only the standard library and itself, the book
part only the core and its plotting/table/widget libraries, the converters (``cnnlib.interop``)
the core, torch and keras — those two only inside functions, so that ``import cnnlib`` imports
neither — and no module depends on itself through a circle of imports.  Every ``import``
statement counts, also those inside functions.

The core (``cnnlib`` minus ``cnnlib.book``) is what the book's pages run in the browser, where
only the standard library exists; a test also imports every core module in a fresh Python
that refuses third-party packages.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "cnnlib"
#: what the book part may import besides the standard library and the core
BOOK_LIBRARIES = {"pandas", "matplotlib", "ipywidgets", "IPython"}
#: the converters' package and what it may import, inside its functions only
INTEROP = "cnnlib.interop"
INTEROP_LIBRARIES = {"torch", "keras"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_core(name: str) -> bool:
    return name == "cnnlib" or (name.startswith("cnnlib.") and not name.startswith(("cnnlib.book", INTEROP)))


def is_interop(name: str) -> bool:
    return name == INTEROP or name.startswith(INTEROP + ".")


def imports(name: str, top_level_only: bool = False) -> list[tuple[str, int]]:
    """(imported module, line) for every import statement of a module, anywhere in it (or only
    those that run when it is imported: outside functions)."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    inside = set()
    if top_level_only:
        for f in ast.walk(tree):
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                inside |= {id(n) for n in ast.walk(f)}
    out = []
    for node in ast.walk(tree):
        if id(node) in inside:
            continue
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            for a in node.names:  # `from . import zoo` imports the submodule cnnlib.zoo
                sub = f"{target}.{a.name}"
                out.append((sub if sub in MODULES else target, node.lineno))
    return out


def test_every_module_is_found():
    assert "cnnlib.layers.base" in MODULES and "cnnlib.book.charts" in MODULES
    assert "cnnlib.zoo.branched" in MODULES and "cnnlib.interop.torch_fx" in MODULES
    assert is_core("cnnlib.tables") and not is_core("cnnlib.book.frames") and not is_core("cnnlib.interop")


@pytest.mark.parametrize("name", [m for m in MODULES if is_core(m)])
def test_core_imports_only_the_standard_library_and_the_core(name):
    for target, line in imports(name):
        top = target.split(".")[0]
        if top == "cnnlib":
            # the package re-exports cnnlib.from_torch / from_keras, whose modules import no
            # third-party package when imported (test_interop_imports_torch_and_keras_only_in_functions)
            allowed = is_core(target) or (name == "cnnlib" and is_interop(target))
            assert allowed, f"{name}:{line} imports {target}, which is not the core"
        else:
            assert top in sys.stdlib_module_names, f"{name}:{line} imports {target}, not in the standard library"


@pytest.mark.parametrize("name", [m for m in MODULES if is_interop(m)])
def test_interop_imports_torch_and_keras_only_in_functions(name):
    for target, line in imports(name):
        top = target.split(".")[0]
        assert top in sys.stdlib_module_names or top in INTEROP_LIBRARIES or is_core(target) \
            or is_interop(target), f"{name}:{line} imports {target}"
    for target, line in imports(name, top_level_only=True):
        top = target.split(".")[0]
        assert top not in INTEROP_LIBRARIES, f"{name}:{line} imports {target} when the module is imported"


def test_import_cnnlib_imports_neither_torch_nor_keras():
    code = "import sys, cnnlib; cnnlib.from_torch, cnnlib.from_keras; print(sorted({'torch', 'keras'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True,
                         cwd=PACKAGE.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", [m for m in MODULES if not is_core(m) and not is_interop(m)])
def test_book_imports_the_core_and_its_libraries(name):
    for target, line in imports(name):
        top = target.split(".")[0]
        assert top == "cnnlib" or top in sys.stdlib_module_names or top in BOOK_LIBRARIES, \
            f"{name}:{line} imports {target}"


def test_no_import_circles():
    graph = {m: {t for t, _ in imports(m) if t in MODULES and t != m} for m in MODULES}
    # a package's __init__ re-exports its children; a child never imports its own package
    for m, targets in graph.items():
        for t in targets:
            assert not m.startswith(t + "."), f"{m} imports its own package {t}"
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for t in sorted(graph[m]):
            if state.get(t) == "open":
                raise AssertionError("import circle: " + " → ".join(stack[stack.index(t):] + [t]))
            if t not in state:
                visit(t)
        stack.pop()
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_core_modules_import_without_any_third_party_package():
    # that one runs the CLI; the converters' modules import torch and keras only when called
    core = sorted(m for m in MODULES if (is_core(m) or is_interop(m)) and m != "cnnlib.__main__")
    code = f"""
import importlib, sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] not in sys.stdlib_module_names and name.split(".")[0] != "cnnlib":
            raise ImportError("refused: " + name)
sys.meta_path.insert(0, Refuse())
for m in {core!r}:
    importlib.import_module(m)
import cnnlib
m = cnnlib.zoo.resnet(18)
assert m.total_params == 11_689_512
print(len({core!r}))
"""
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True,
                         cwd=PACKAGE.parent)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) == len(core)
