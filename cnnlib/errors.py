"""The one exception cnnlib raises for an impossible layer or a bad argument.

``ShapeError`` is what users see.  ``DimensionProblem`` is raised by the checks of one
dimension (:mod:`cnnlib.arithmetic`) and by a layer's argument checks; the caller that
knows the context (the layer, the dimension's name) turns it into a ShapeError.
"""


class ShapeError(ValueError):
    """A layer that cannot be applied to its input (PyTorch would raise too).

    The message names the layer, the dimension, the formula with the numbers
    filled in and what would make the layer valid, e.g.::

        Conv2d(96, 11, stride=4) on 3×5×5: width: (5 + 2·0 − 1·(11−1) − 1)/4 + 1 = -0.5 < 1
        — kernel 11 is larger than the padded input 5; add padding ≥ 3 or use a kernel ≤ 5

    Inside a model the message starts with the layer's name ("conv5: …"); ``layer_path``
    holds that name and ``detail`` the rest.
    """

    layer_path: str = ""
    detail: str = ""


class DimensionProblem(Exception):
    """One number or one dimension is wrong; the caller adds the context (internal)."""
