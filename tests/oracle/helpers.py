"""Shared by the oracle tests: random sizes with invalid values mixed in, and the comparison of
one layer with its torch module (shape without the batch, parameter count, raise or not)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import torch
from hypothesis import note
from hypothesis import strategies as st

from cnnlib import ShapeError


def sometimes_bad(draw, good, bad, one_in=8):
    """Mostly a value from `good`, about one time in `one_in` one of the `bad` values."""
    if draw(st.integers(0, one_in - 1)) == 0:
        return draw(st.sampled_from(bad))
    return draw(good)


def size(draw):
    """An input size: up to 40, often small (kernels larger than the input), sometimes 0."""
    if draw(st.integers(0, 59)) == 0:
        return 0
    return draw(st.integers(1, 8)) if draw(st.integers(0, 3)) == 0 else draw(st.integers(1, 40))


def per_dim(draw, nd, value):
    """Either one value for all dims (an int) or a tuple of `nd` independent draws."""
    if nd >= 2 and draw(st.booleans()):
        return tuple(value() for _ in range(nd))
    v = value()
    return v if nd >= 2 or draw(st.booleans()) else (v,)


@dataclass
class Case:
    kind: str
    in_shape: tuple
    kwargs: dict
    positional: tuple


def run_torch(case: Case, module_cls):
    """(shape without batch, params) or None if torch raises anywhere."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = module_cls(*case.positional, **case.kwargs)
            with torch.no_grad():
                y = m(torch.zeros((1, *case.in_shape)))
    except (RuntimeError, ValueError, TypeError, IndexError) as e:
        note(f"torch raised {type(e).__name__}: {str(e)[:200]}")
        return None
    return tuple(y.shape[1:]), sum(p.numel() for p in m.parameters())


def run_cnnlib(case: Case, layer_cls, positional):
    """(shape, params) or None on ShapeError — any other exception fails the test."""
    try:
        layer = layer_cls(*positional, **case.kwargs)
        shape = layer.output_shape(case.in_shape)
        params = layer.params(case.in_shape)
    except ShapeError as e:
        note(f"cnnlib raised: {e}")
        return None
    assert layer.weights(case.in_shape) + layer.biases(case.in_shape) == params
    assert layer.macs(case.in_shape) >= 0
    return shape, params


def compare(agreement, case, module_cls, layer_cls, positional):
    note(repr(case))
    expected = run_torch(case, module_cls)
    got = run_cnnlib(case, layer_cls, positional)
    assert got == expected, f"{case}: torch {expected}, cnnlib {got}"
    counter = agreement[case.kind]
    counter["examples"] += 1
    counter["both_raised" if expected is None else "both_ok"] += 1


