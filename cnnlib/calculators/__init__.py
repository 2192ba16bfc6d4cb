"""The calculators behind the book's sliders: pure functions that never raise (one module per
group of sliders: :mod:`.base`, :mod:`.networks`, :mod:`.lenet`, :mod:`.transposed`, :mod:`.fields`).

Every slider in the book calls one of the ``*_html`` functions below with the slider
values and shows the HTML it returns: the live ipywidget in JupyterLab
(:mod:`cnnlib.book.widgets`), the precomputed static slider of the built book
(:mod:`cnnlib.book.static_widgets`) and the live page (cnnlib running in the browser) all
call the same function, so they always agree.  For an impossible setting the HTML shows
the reason — the :class:`cnnlib.ShapeError` message, which names the formula, the numbers
and a fix — instead of a number.  ``explain_conv`` / ``explain_pool`` / ``explain_channels``
return the numbers behind the panes (and behind the book's figures) as dicts.

>>> explain_conv(227, 11, s=4)["out"]
55
>>> explain_conv(3, 5)["ok"]
False
>>> explain_pool(11, 2)["unread"]
[10]
"""

from .base import (
    CHANNELS_PARAMS,
    CONV_PARAMS,
    CSS,
    POOL_PARAMS,
    Param,
    channels_html,
    conv_html,
    explain_channels,
    explain_conv,
    explain_pool,
    pool_html,
    windows_svg,
)
from .fields import (
    MOBILENET_PARAMS,
    RF_DRAW_MAX,
    RF_PADDINGS,
    RF_STACK_PARAMS,
    explain_mobilenet,
    explain_rf_stack,
    field_svg,
    mobilenet_html,
    rf_stack_html,
)
from .lenet import LENET_PARAMS, lenet_html, lenet_min_input, lenet_walk
from .networks import (
    ALEXNET_SIZE_PARAMS,
    BOTTLENECK_PARAMS,
    DENSE_PARAMS,
    FACE_PARAMS,
    VGG16_SIZE_PARAMS,
    alexnet_size_html,
    bottleneck_html,
    dense_html,
    face_net_html,
    size_html,
    vgg16_size_html,
)
from .transposed import TRANSPOSE_PARAMS, explain_transpose, transpose_html, transpose_svg

__all__ = [
    "ALEXNET_SIZE_PARAMS", "BOTTLENECK_PARAMS", "CHANNELS_PARAMS", "CONV_PARAMS", "CSS", "DENSE_PARAMS",
    "FACE_PARAMS", "LENET_PARAMS", "MOBILENET_PARAMS", "POOL_PARAMS", "RF_DRAW_MAX", "RF_PADDINGS", "RF_STACK_PARAMS",
    "TRANSPOSE_PARAMS",
    "VGG16_SIZE_PARAMS", "Param", "alexnet_size_html", "bottleneck_html", "channels_html", "conv_html",
    "dense_html", "explain_channels", "explain_conv", "explain_mobilenet", "explain_pool", "explain_rf_stack",
    "explain_transpose", "face_net_html", "field_svg", "lenet_html", "lenet_min_input", "lenet_walk",
    "mobilenet_html", "pool_html", "rf_stack_html", "size_html", "transpose_html", "transpose_svg",
    "vgg16_size_html", "windows_svg",
]
