"""Networks side by side: the counts one comparison table shows, read from each model's rows.

:func:`network_record` gives, for one model, what the chapter "After VGG" compares — parameters
(and the share in dense layers), MACs, forward activations, weight layers, the receptive field
of the last spatial map and how often each weight is used per image (MACs per parameter) — all
sums over ``model.rows()`` or :func:`cnnlib.receptive_field`, so every cell of the table can be
traced to the layers.  :data:`AFTER_VGG` lists the networks of that chapter as zoo calls.

>>> from cnnlib import zoo
>>> r = network_record("VGG-16", zoo.vgg(16))
>>> r["params"], r["rf"], r["weight_layers"]
(138357544, 212, 16)
"""

from __future__ import annotations

from . import zoo
from .receptive import receptive_field

__all__ = ["AFTER_VGG", "after_vgg_models", "network_record", "network_records"]

#: the chapter's networks: label → (zoo builder, keyword arguments, what the model is)
AFTER_VGG = {
    "AlexNet": (zoo.alexnet, {}, "single tower, 227×227×3 (the sources' count)"),
    "VGG-16": (zoo.vgg, {"depth": 16}, "configuration D, 224×224×3"),
    "NiN": (zoo.nin, {"in_channels": 3, "num_classes": 1000},
            "d2l.ai's layout on 224×224×3 with 1000 classes (not the paper's ImageNet net)"),
    "GoogLeNet": (zoo.googlenet, {}, "torchvision's, no auxiliary heads, 224×224×3"),
    "ResNet-18": (zoo.resnet, {"depth": 18}, "torchvision's, 224×224×3"),
    "ResNet-50": (zoo.resnet, {"depth": 50}, "torchvision's, 224×224×3"),
    "MobileNet": (zoo.mobilenet_v1, {}, "width 1.0, Keras's layout, 224×224×3"),
    "MobileNetV2": (zoo.mobilenet_v2, {}, "width 1.0, torchvision's layout, 224×224×3"),
}


def after_vgg_models() -> dict:
    """{label: model} for :data:`AFTER_VGG`."""
    return {label: build(**kw) for label, (build, kw, _) in AFTER_VGG.items()}


def network_record(label: str, model) -> dict:
    """The comparison row of one model (float32, batch 1; MACs of conv and dense layers without
    bias adds; activations = input + outputs of conv/pool/dense/BN/LRN layers).

    Keys: network, input (H×W×C), params, dense_params (in dense layers), dense_share, macs,
    activations (elements), activation_mb (float32, 10⁶ bytes), weight_layers (convolution
    and dense rows), rf (the receptive field of the last row with a spatial map, in input
    pixels along one side; a tuple when height and width differ), rf_row, macs_per_param.
    """
    rows = model.rows()
    t = model.totals()
    dense = sum(r.params for r in rows if r.kind == "fc")
    fields = receptive_field(model)
    last = None
    for row, f in zip(rows, fields):
        if len(row.out_shape) > 1 and f.size is not None:
            last = (row.name, f.size)
    shape = model.rows()[0].out_shape
    return {
        "network": label,
        "input": "×".join(str(x) for x in (*shape[1:], shape[0])),
        "params": t["params"],
        "dense_params": dense,
        "dense_share": dense / t["params"] if t["params"] else 0.0,
        "macs": t["macs"],
        "activations": t["activation_elements"],
        "activation_mb": 4 * t["activation_elements"] / 1e6,
        "weight_layers": sum(1 for r in rows if r.kind in ("conv", "fc")),
        "rf": None if last is None else last[1],
        "rf_row": None if last is None else last[0],
        "macs_per_param": t["macs"] / t["params"] if t["params"] else 0.0,
    }


def network_records(models: dict | None = None) -> list[dict]:
    """:func:`network_record` for each {label: model} (default: :func:`after_vgg_models`)."""
    models = after_vgg_models() if models is None else models
    return [network_record(label, m) for label, m in models.items()]
