"""The one exception cnnlib raises for an impossible layer or bad argument."""


class ShapeError(ValueError):
    """A layer that cannot be applied to its input (PyTorch would raise too).

    The message names the layer, the dimension, the formula with the numbers
    filled in and what would make the layer valid, e.g.::

        Conv2d(96, 11, stride=4) on 3×5×5: width: (5 + 2·0 − 1·(11−1) − 1)/4 + 1 = -0.5 < 1
        — kernel 11 is larger than the padded input 5; add padding ≥ 3 or use a kernel ≤ 5
    """
