"""Bytes: parameters, forward activations, a training estimate — and torchinfo's totals.

Both work on a model's rows (:meth:`cnnlib.Model.rows`), so every byte can be traced to
the layers it comes from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import ShapeError

__all__ = ["Memory", "megabytes", "torchinfo_totals"]


def megabytes(x: int) -> str:
    """Bytes in MB (10⁶) and MiB (2²⁰): '60.95 MB (58.13 MiB)'.

    >>> megabytes(60_950_432)
    '60.95 MB (58.13 MiB)'
    """
    return f"{x / 1e6:,.2f} MB ({x / 2**20:,.2f} MiB)"


@dataclass(frozen=True)
class Memory:
    """Bytes of a model for `batch` inputs at `bytes_per_element` (4 for float32).

    * ``param_bytes`` = parameters · b (weights and biases, stored once, any batch);
      ``buffer_bytes`` = buffers · b (BatchNorm running statistics).
    * ``activation_bytes`` = activation elements · batch · b: the forward pass, input
      included (the CS231n VGG table's "TOTAL memory").
    * ``training_bytes`` ≈ 2·param_bytes + buffer_bytes + 2·activation_bytes: weights and
      their gradients, the buffers, the kept activations and their gradients ("×2 for
      backward").  Optimizer state is not included (+1× params for SGD momentum, +2× for
      Adam).

    torchinfo counts differently: "Forward/backward pass size" is 2 · b · batch · the
    outputs of leaf layers *that have parameters* (conv, dense, BatchNorm — no pooling,
    no input), "Input size" separately, and MB = 10⁶ bytes.  Keras reports only parameter
    bytes, in "KB"/"MB" that are KiB/MiB, and counts BatchNorm's moving statistics as
    (non-trainable) parameters.

    >>> m = Memory(params=1000, buffers=0, activations=500)
    >>> m.param_bytes, m.activation_bytes, m.training_bytes
    (4000, 2000, 12000)
    """

    params: int
    buffers: int
    activations: int
    bytes_per_element: int = 4
    batch: int = 1

    def __post_init__(self):
        for name in ("bytes_per_element", "batch"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ShapeError(f"memory: {name} must be a whole number ≥ 1, got {v!r}")

    @property
    def param_bytes(self) -> int:
        return self.params * self.bytes_per_element

    @property
    def buffer_bytes(self) -> int:
        return self.buffers * self.bytes_per_element

    @property
    def activation_bytes(self) -> int:
        return self.activations * self.batch * self.bytes_per_element

    @property
    def training_bytes(self) -> int:
        return 2 * self.param_bytes + self.buffer_bytes + 2 * self.activation_bytes

    def as_dict(self) -> dict:
        return {"bytes_per_element": self.bytes_per_element, "batch": self.batch,
                "param_bytes": self.param_bytes, "buffer_bytes": self.buffer_bytes,
                "activation_bytes": self.activation_bytes, "training_bytes": self.training_bytes}

    def __str__(self) -> str:
        return (f"parameters {megabytes(self.param_bytes)}; forward activations "
                f"{megabytes(self.activation_bytes)}; training ≈ {megabytes(self.training_bytes)} "
                f"({self.bytes_per_element} bytes/element, batch {self.batch}; MB = 10⁶ bytes)")


def torchinfo_totals(rows, batch: int = 1, bytes_per_element: int = 4) -> dict:
    """The totals torchinfo 1.8 prints, from cnnlib's rows (its rules, applied to the facts).

    * total_mult_adds = batch · Σ over layers of their parameters × (the output positions
      for a layer whose class name contains "Conv", else 1) — torchinfo multiplies every
      weight and bias by where it is applied; for a convolution that is its MACs plus its
      bias adds, for a dense layer on a vector in·out + out, for BatchNorm 2·C;
    * forward_backward_bytes = 2 · b · batch · Σ outputs of the layers with parameters;
    * input_bytes = b · batch · input elements; params_bytes = b · parameters.

    >>> from cnnlib import Sequential, Dense
    >>> torchinfo_totals(Sequential((10,), [Dense(5)]).rows())["total_mult_adds"]
    55
    """
    mult_adds = fb = params = inputs = 0
    for r in rows:
        f, layer = r.facts, r.layer
        if layer is None:
            inputs += math.prod(f.out_shape)
            continue
        own = f.weights + f.biases
        if own:
            positions = math.prod(f.out_shape[1:]) if "Conv" in type(layer).__name__ else 1
            mult_adds += own * positions
            fb += 2 * math.prod(f.out_shape)
            if not r.shares:
                params += own
    return {
        "total_params": params,
        "total_mult_adds": batch * mult_adds,
        "input_bytes": bytes_per_element * batch * inputs,
        "forward_backward_bytes": bytes_per_element * batch * fb,
        "params_bytes": bytes_per_element * params,
    }
