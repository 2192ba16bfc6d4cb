"""Every step of every slider of the book changes what it shows (issue 14: chapter 4's n slider
once showed the same pane for 43 of its 58 steps). Each static slider's function is in
cnnlib.live.WIDGETS with its Params; moving one slider through all its positions, the others at
their defaults, must give a different pane at every step."""

from __future__ import annotations

import pytest

from cnnlib.live import WIDGETS


@pytest.mark.parametrize("name", sorted(WIDGETS))
def test_every_step_of_every_slider_changes_what_it_shows(name):
    fn, params = WIDGETS[name]
    defaults = {p.name: p.start for p in params}
    for p in params:
        panes = [fn(**{**defaults, p.name: v}) for v in p.values]
        same = [v for v, a, b in zip(p.values[1:], panes, panes[1:]) if a == b]
        assert not same, f"{name}: moving {p.name} to {same[:5]} changes nothing"
        assert len(p.values) >= 2
