"""Blocks that a chain can hold: Inception-style branches and ResNet-style residual blocks.

Inside a model a block becomes its layers and a merge (:class:`cnnlib.Concatenate`,
:class:`cnnlib.Add`); its rows are named ``<block>.<branch>.<layer>`` and ``<block>.concat``
or ``<block>.add``, so every count is a sum over leaf layers and a container never counts
its children twice (torchinfo's container double-count is the bug to avoid).
"""

from __future__ import annotations

from .errors import ShapeError
from .facts import shape_str
from .graph import _node, _prefixed
from .layers.base import Layer
from .layers.merge import Add, Concatenate
from .model import Block, as_items, chain, named

__all__ = ["Concat", "Residual"]


def _at(prefix: str) -> str:
    return prefix.removesuffix(".")


class Concat(Block):
    """Branches that read the same input; their outputs are joined along the channels.

    An Inception module: every branch is a chain of layers, C_out = Σ C_branch, and the
    spatial sizes (H, W) of all branches must agree, else ShapeError.  Branches are a list
    of lists (named branch1, branch2, …) or a dict {name: [layers]}; layers may be
    (name, layer) pairs.

    >>> from cnnlib import Conv2d, MaxPool2d
    >>> inc = Concat([[Conv2d(64, 1)], [Conv2d(96, 1), Conv2d(128, 3, padding=1)],
    ...               [MaxPool2d(3, stride=1, padding=1), Conv2d(32, 1)]])
    >>> inc.output_shape((192, 28, 28))
    (224, 28, 28)
    >>> inc.params((192, 28, 28)) == (192*64+64) + (192*96+96) + (96*9*128+128) + (192*32+32)
    True
    """

    stem = "concat"

    def __init__(self, branches):
        if isinstance(branches, dict):
            pairs = list(branches.items())
        else:
            if isinstance(branches, (Layer, Block, str, bytes)):
                raise ShapeError("Concat needs a list of branches (lists of layers)")
            try:
                pairs = [(f"branch{i + 1}", b) for i, b in enumerate(branches)]
            except TypeError:
                raise ShapeError(f"Concat needs a list of branches, got {branches!r}"[:300]) from None
        if not pairs:
            raise ShapeError("Concat needs at least one branch")
        self.branches = tuple(
            (str(n), named(b if not isinstance(b, (Layer, Block)) else [b], f"Concat branch {n}"))
            for n, b in pairs)

    def __repr__(self) -> str:
        return f"Concat({len(self.branches)} branches)"

    def build(self, x, prefix, depth, block, record=None):
        outs = [(name, chain(x, pairs, f"{prefix}{name}.", depth, block, record))
                for name, pairs in self.branches]
        shapes = [o.facts.out_shape for _, o in outs]
        if len({len(s) for s in shapes}) > 1 or len({s[1:] for s in shapes}) > 1 \
                or not all(len(s) >= 2 for s in shapes):
            listing = ", ".join(f"{n} → {shape_str(o.facts.out_shape)}" for n, o in outs)
            e = ShapeError(
                f"Concat on {shape_str(x.facts.out_shape)}: the branches must agree on every axis but "
                f"the channels to be concatenated, got {listing}; change a branch's stride or "
                f"padding so that they give the same spatial size")
            raise (_prefixed(e, _at(prefix)) if prefix else e)
        if len(outs) == 1:
            return outs[0][1]
        return _node(Concatenate(), [o for _, o in outs], f"{prefix}concat", depth, block, record)


class Residual(Block):
    """out = block(x) + shortcut(x), then the `post` layers (ResNet's final ReLU).

    ``shortcut=None`` is the identity; the block's output must then have the input's
    shape, else ShapeError (use a projection shortcut, e.g. a strided 1×1 convolution and
    BatchNorm, as torchvision's ``downsample``).  The addition has no parameters and no MACs
    in cnnlib's convention (bias adds are not counted either).

    >>> from cnnlib import Conv2d, BatchNorm2d, ReLU
    >>> blk = Residual([Conv2d(64, 3, padding=1, bias=False), BatchNorm2d(), ReLU(),
    ...                 Conv2d(64, 3, padding=1, bias=False), BatchNorm2d()], post=[ReLU()])
    >>> blk.output_shape((64, 56, 56)), blk.params((64, 56, 56))
    ((64, 56, 56), 73984)
    """

    stem = "block"

    def __init__(self, block, shortcut=None, post=()):
        block, post = as_items(block, "Residual block"), as_items(post, "Residual post")
        # the block and the layers after the addition share one row prefix: number them as one
        both = named(block + post, "Residual")
        self.block, self.post = both[:len(block)], both[len(block):]
        self.shortcut = named(shortcut, "Residual shortcut") if shortcut is not None else None

    def __repr__(self) -> str:
        sc = "identity" if not self.shortcut else "projection"
        return f"Residual({len(self.block)} layers, {sc} shortcut)"

    def build(self, x, prefix, depth, block, record=None):
        main = chain(x, self.block, prefix, depth, block, record)
        side = chain(x, self.shortcut, f"{prefix}shortcut.", depth, block, record) if self.shortcut else x
        a, b = main.facts.out_shape, side.facts.out_shape
        if a != b:
            what = "the input" if not self.shortcut else "the shortcut"
            e = ShapeError(
                f"Residual on {shape_str(x.facts.out_shape)}: the block gives {shape_str(a)} but "
                f"{what} gives {shape_str(b)}; they are added element by element, so they must "
                f"match — use a projection shortcut (1×1 conv with the block's stride and "
                f"channels) or keep stride 1 and the channel count")
            raise (_prefixed(e, _at(prefix)) if prefix else e)
        out = _node(Add(), [main, side], f"{prefix}add", depth, block, record)
        return chain(out, self.post, prefix, depth, block, record)
