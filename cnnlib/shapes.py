"""The one way cnnlib writes a shape, and the names of the summary columns.

cnnlib's tuples are channels first, as PyTorch's: (C, H, W), (C, L), (F,).  A reader meets
shapes in two orders, and every table, figure and message says which:

* ``"HWC"`` — height × width × channels, as the AlexNet and VGG papers, Keras and the
  source posts write them: 55×55×96 (a sequence: L×C; a vector: F);
* ``"CHW"`` — the tuple's own order, as PyTorch stores it: 96×55×55.

>>> shape_text((96, 55, 55)), shape_text((96, 55, 55), "CHW"), shape_text((8, 98)), shape_text((4096,))
('55×55×96', '96×55×55', '98×8', '4096')
"""

from __future__ import annotations

__all__ = ["COLUMNS", "ORDERS", "check_order", "shape_text", "shape_tuple"]

#: shape order → how tables and figures name it
ORDERS = {"HWC": "H×W×C", "CHW": "C×H×W"}

#: summary columns, chosen by name as torchinfo's ColumnSettings
COLUMNS = ("name", "type", "kernel/stride/padding", "output shape", "weights", "biases",
           "params", "MACs", "activations")


def check_order(order) -> str:
    """'hwc' → 'HWC'; anything but HWC or CHW raises ValueError."""
    key = str(order).upper()
    if key not in ORDERS:
        raise ValueError(f"order must be 'HWC' or 'CHW', got {order!r}")
    return key


def shape_tuple(shape, order: str = "HWC") -> tuple:
    """The numbers of a channels-first shape in `order`: (96, 55, 55) → (55, 55, 96) for HWC."""
    shape = tuple(shape)
    if check_order(order) == "HWC" and len(shape) >= 2:
        return shape[1:] + shape[:1]
    return shape


def shape_text(shape, order: str = "HWC") -> str:
    """A channels-first shape as text in `order` ("HWC", the default, or "CHW")."""
    return "×".join(str(x) for x in shape_tuple(shape, order))
