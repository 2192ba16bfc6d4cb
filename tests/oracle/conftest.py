"""tests/oracle/helpers.py and torch_zoo.py are imported by the oracle tests as ``helpers`` and
``torch_zoo``; the ``keras`` fixture gives Keras 3 on the torch backend."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    return pytest.importorskip("keras")
