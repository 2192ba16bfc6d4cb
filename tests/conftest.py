"""Shared test settings: the hypothesis profile and the oracle-agreement counters.

* ``CNNLIB_EXAMPLES`` (default 2000) sets hypothesis' ``max_examples`` for the
  property tests; ``CI=true`` fixes the seed (``derandomize=True``) so a CI run is
  reproducible.
* ``tests/hand_worked.py`` (networks and numbers worked by hand) is importable by name.
* Property tests that compare cnnlib with an oracle (torch, keras) record each
  example in the ``agreement`` session fixture; the counts are printed at the end of
  the run (``pytest -s`` is not needed).
"""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict

import pytest
from hypothesis import HealthCheck, settings

# modules next to the tests that are not tests (hand_worked.py) are importable by name
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

EXAMPLES = int(os.environ.get("CNNLIB_EXAMPLES", "2000"))

settings.register_profile(
    "cnnlib",
    max_examples=EXAMPLES,
    derandomize=os.environ.get("CI", "").lower() == "true",
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large],
)
settings.load_profile("cnnlib")

# kind → Counter(examples=…, both_raised=…, both_ok=…)
_AGREEMENT: defaultdict[str, Counter] = defaultdict(Counter)


@pytest.fixture(scope="session")
def agreement():
    """Per-layer-kind counters of oracle comparisons (see pytest_terminal_summary)."""
    return _AGREEMENT


def pytest_terminal_summary(terminalreporter):
    if not _AGREEMENT:
        return
    tr = terminalreporter
    tr.section("cnnlib vs oracle: examples compared")
    tr.write_line(f"max_examples = {EXAMPLES} (CNNLIB_EXAMPLES), derandomize = "
                  f"{settings.default.derandomize}")
    tr.write_line(f"{'kind':<40}{'examples':>10}{'both ok':>10}{'both raised':>13}")
    for kind in sorted(_AGREEMENT):
        c = _AGREEMENT[kind]
        tr.write_line(f"{kind:<40}{c['examples']:>10}{c['both_ok']:>10}{c['both_raised']:>13}")
