"""The record of what one layer does to one input shape, and receptive-field steps.

A leaf module (standard library only, imported by the layers, the graph and the model), so
that nothing depends in a circle.  Both records are named tuples: immutable, compared by
value, and cheap to make (a model makes one per layer).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["GLOBAL", "IRREGULAR", "POINTWISE", "Facts", "RFStep", "input_facts", "shape_str"]

#: receptive-field steps that are not a window: each output reads the input element at its own
#: position (activations, BatchNorm, Flatten), the whole input (dense, global pooling), or
#: windows of varying size (adaptive pooling when the output does not divide the input)
POINTWISE = "pointwise"
GLOBAL = "global"
IRREGULAR = "irregular"


class RFStep(NamedTuple):
    """How one output position maps to the input along one spatial axis.

    Output position i reads input positions i·stride − before … i·stride − before + span − 1
    (in input pixels; fractions for a layer that upsamples).  For a convolution or pooling
    layer: span = d·(k − 1) + 1, stride = s, before = the padding before.
    """

    span: object
    stride: object
    before: object


class Facts(NamedTuple):
    """Every fact of one layer on one input shape (see the module docstring)."""

    out_shape: tuple
    weights: int
    biases: int
    buffers: int
    macs: int
    bias_adds: int
    saves_output: bool  # the output is a new tensor kept for backward (activation memory)
    windows: tuple | None  # one arithmetic.Window per spatial axis; None: not a window layer
    rf: object  # per spatial axis a step (span, stride, before: an RFStep or the Window itself),
    #             or POINTWISE / GLOBAL / IRREGULAR

    @property
    def params(self) -> int:
        return self.weights + self.biases


#: make a Facts from a tuple of its nine values without the generated __new__ (a model makes
#: one per layer: this is its hot path)
new_facts = tuple.__new__


def input_facts(shape) -> Facts:
    """The facts of a model's input: its shape, kept for backward (it is an activation)."""
    return Facts(shape, 0, 0, 0, 0, 0, True, None, POINTWISE)


def shape_str(shape) -> str:
    """A shape as messages write it, in the book's one notation: × means height × width ×
    channels, whatever the order of the tuple (which is PyTorch's, channels first).

    >>> shape_str((3, 227, 227)), shape_str((8, 98)), shape_str((4096,)), shape_str(())
    ('227×227×3', '98×8', '4096', '')

    (:func:`cnnlib.shapes.shape_text` with order ``"HWC"``, kept here so that layers
    need no other module.)
    """
    shape = tuple(shape)
    return "×".join(str(x) for x in (shape[1:] + shape[:1] if len(shape) >= 2 else shape))
