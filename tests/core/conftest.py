"""With CNNLIB_CORE_ONLY=1 (``make test-core``), the core's tests run in a Python that refuses the
third-party packages the rest of the project uses: the core needs the standard library only.

Modules next to the tests that are not tests (``hostile_inputs``) are importable by name, and the
slowest refusal of a hostile text (tests/core/test_parse.py) is printed at the end of the run."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

REFUSED = {"torch", "torchinfo", "keras", "pandas", "matplotlib", "ipywidgets", "IPython", "numpy"}


class _Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in REFUSED:
            raise ImportError(f"{name} is refused here: cnnlib's core tests must not need it")


if os.environ.get("CNNLIB_CORE_ONLY") == "1":
    leaked = sorted(m for m in REFUSED if m in sys.modules)
    if leaked:  # pragma: no cover - a plugin imported them before this file
        raise RuntimeError(f"already imported before the core tests: {leaked}")
    sys.meta_path.insert(0, _Refuse())


_HOSTILE_SECONDS: dict = {}


@pytest.fixture(scope="session")
def hostile_seconds():
    """name → seconds parse_model took to refuse that hostile text, best of three (printed at the end)."""
    return _HOSTILE_SECONDS


def pytest_terminal_summary(terminalreporter):
    if _HOSTILE_SECONDS:
        name = max(_HOSTILE_SECONDS, key=_HOSTILE_SECONDS.get)
        terminalreporter.write_line(
            f"parse_model: {len(_HOSTILE_SECONDS)} hostile texts refused, slowest (best of 3) "
            f"{_HOSTILE_SECONDS[name] * 1000:.1f} ms "
            f"({name}); the target is 100 ms (bench/parse.py), the tests allow 1 s")
