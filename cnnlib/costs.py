"""Side-by-side costs of design choices: bottlenecks, Inception reductions, separable convolutions.

Each function builds the competing layer chains as :class:`cnnlib.Sequential` models and
returns their totals, so every number is a sum over the same rows a summary table lists.
"""

from __future__ import annotations

from .errors import ShapeError
from .layers import Conv2d, MaxPool2d
from .model import Sequential

__all__ = ["bottleneck_costs", "inception_costs", "separable_costs"]


def _costs(in_shape, layers) -> dict:
    """params, weights and MACs of a chain of layers (a Sequential's totals), and its output shape."""
    m = Sequential(in_shape, layers)
    t = m.totals()
    return {"params": t["params"], "weights": t["weights"], "macs": t["macs"], "out_shape": m.output_shape}


def bottleneck_costs(channels: int = 256, mid: int = 64, size: int = 56, k: int = 3,
                     bias: bool = False) -> dict:
    """A plain k×k convolution channels → channels vs the bottleneck
    1×1 (channels → mid), k×k (mid → mid), 1×1 (mid → channels), both 'same'-padded.

    Weights: k²·C² vs C·m + k²·m² + m·C.  Returns {"plain": {...}, "bottleneck": {...},
    "ratio": plain / bottleneck parameters}; MACs are for one size×size map.

    >>> c = bottleneck_costs()
    >>> c["plain"]["params"], c["bottleneck"]["params"]
    (589824, 69632)
    """
    shape = (channels, size, size)
    pad = (k - 1) // 2
    plain = _costs(shape, [Conv2d(channels, k, padding=pad, bias=bias)])
    bott = _costs(shape, [Conv2d(mid, 1, bias=bias), Conv2d(mid, k, padding=pad, bias=bias),
                          Conv2d(channels, 1, bias=bias)])
    return {"plain": plain, "bottleneck": bott, "ratio": plain["params"] / bott["params"]}


def inception_costs(in_shape=(192, 28, 28), b1=64, b3r=96, b3=128, b5r=16, b5=32, pool_proj=32,
                    *, reduce: bool = True) -> dict:
    """An Inception module (GoogLeNet's 3a by default) with or without its 1×1 reductions.

    With reductions: 1×1 (b1) | 1×1 (b3r) → 3×3 (b3) | 1×1 (b5r) → 5×5 (b5) |
    3×3 max pool s1 p1 → 1×1 (pool_proj).  Without ("naive"): 1×1 (b1) | 3×3 (b3) |
    5×5 (b5) | pool, all on the full input.  Convolutions have biases (as in GoogLeNet).
    Returns {"branches": [(name, costs)], "params", "macs", "out_channels"}.

    >>> c = inception_costs()
    >>> c["params"], c["out_channels"]
    (163696, 256)
    >>> n = inception_costs(reduce=False)
    >>> n["params"], n["out_channels"]
    (387296, 416)
    """
    c_in = in_shape[0]
    if reduce:
        branches = [
            ("1×1", [Conv2d(b1, 1)]),
            ("1×1 → 3×3", [Conv2d(b3r, 1), Conv2d(b3, 3, padding=1)]),
            ("1×1 → 5×5", [Conv2d(b5r, 1), Conv2d(b5, 5, padding=2)]),
            ("pool → 1×1", [MaxPool2d(3, stride=1, padding=1), Conv2d(pool_proj, 1)]),
        ]
    else:
        branches = [
            ("1×1", [Conv2d(b1, 1)]),
            ("3×3", [Conv2d(b3, 3, padding=1)]),
            ("5×5", [Conv2d(b5, 5, padding=2)]),
            ("pool", [MaxPool2d(3, stride=1, padding=1)]),
        ]
    rows = [(name, _costs(in_shape, layers)) for name, layers in branches]
    hw = {r["out_shape"][1:] for _, r in rows}
    if len(hw) != 1:  # every branch must keep one spatial size to be concatenated
        raise ShapeError(f"inception_costs: the branches give different sizes {sorted(hw)}")
    out_c = sum(r["out_shape"][0] for _, r in rows)
    return {"branches": rows, "params": sum(r["params"] for _, r in rows),
            "macs": sum(r["macs"] for _, r in rows), "in_channels": c_in, "out_channels": out_c,
            "out_shape": (out_c, *next(iter(hw)))}


def separable_costs(c_in: int = 256, c_out: int = 256, k: int = 3, size: int = 14,
                    bias: bool = False) -> dict:
    """A standard k×k convolution vs a depthwise-separable one (MobileNet style):
    depthwise k×k with groups = C_in, then pointwise 1×1 C_in → C_out.

    Weights k²·C_in·C_out vs k²·C_in + C_in·C_out; MACs are those times H_out·W_out.

    >>> c = separable_costs()
    >>> c["standard"]["weights"], c["separable"]["weights"]
    (589824, 67840)
    """
    shape = (c_in, size, size)
    pad = (k - 1) // 2
    std = _costs(shape, [Conv2d(c_out, k, padding=pad, bias=bias)])
    dw = Conv2d(c_in, k, padding=pad, groups=c_in, bias=bias)
    sep = _costs(shape, [dw, Conv2d(c_out, 1, bias=bias)])
    sep["depthwise"] = Sequential(shape, [dw]).weights
    sep["pointwise"] = sep["weights"] - sep["depthwise"]
    return {"standard": std, "separable": sep, "ratio": std["weights"] / sep["weights"]}
