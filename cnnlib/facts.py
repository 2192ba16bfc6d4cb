"""The record of what one layer does to one input shape, and receptive-field steps.

A leaf module (standard library only, imported by the layers, the graph and the model), so
that nothing depends in a circle.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GLOBAL", "IRREGULAR", "POINTWISE", "Facts", "RFStep", "input_facts", "shape_str"]

#: receptive-field steps that are not a window: each output reads the input element at its own
#: position (activations, BatchNorm, Flatten), the whole input (dense, global pooling), or
#: windows of varying size (adaptive pooling when the output does not divide the input)
POINTWISE = "pointwise"
GLOBAL = "global"
IRREGULAR = "irregular"


@dataclass(frozen=True, slots=True)
class RFStep:
    """How one output position maps to the input along one spatial axis.

    Output position i reads input positions i·stride − before … i·stride − before + span − 1
    (in input pixels; fractions for a layer that upsamples).  For a convolution or pooling
    layer: span = d·(k − 1) + 1, stride = s, before = the padding before.
    """

    span: object
    stride: object
    before: object


@dataclass(frozen=True, slots=True)
class Facts:
    """Every fact of one layer on one input shape (see the module docstring)."""

    out_shape: tuple
    weights: int
    biases: int
    buffers: int
    macs: int
    bias_adds: int
    saves_output: bool  # the output is a new tensor kept for backward (activation memory)
    windows: tuple | None  # one arithmetic.Window per spatial axis; None: not a window layer
    rf: object  # one RFStep per spatial axis, or POINTWISE / GLOBAL / IRREGULAR

    @property
    def params(self) -> int:
        return self.weights + self.biases


def input_facts(shape) -> Facts:
    """The facts of a model's input: its shape, kept for backward (it is an activation)."""
    return Facts(shape, 0, 0, 0, 0, 0, True, None, POINTWISE)


def shape_str(shape) -> str:
    """(3, 227, 227) → '3×227×227' (the tuple's own order, channels first)."""
    return "×".join(str(x) for x in shape)
