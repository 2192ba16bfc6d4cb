"""The networks of the sources and after, built from cnnlib layers (no weights, just arithmetic).

Every function returns a :class:`cnnlib.Sequential` (a chain) or a :class:`cnnlib.Model`
(a graph, where a layer reads a tensor other than the previous one: U-Net's skips,
DenseNet's concatenations, MobileNetV2's residual sums); its totals are sums over the same
layer objects that its table lists.  Published totals (PyTorch's parameter count; the
torchvision ones are those its documentation lists, each checked in
``tests/oracle/test_zoo.py`` against a torch build):

==========================================  ============
network                                     parameters
==========================================  ============
``alexnet()`` (single tower, 227)             62,378,344
``alexnet("two_tower")``                      60,965,224
``alexnet("torchvision")`` (224)              61,100,840
``vgg(11 | 13 | 16 | 19)``                    132,863,336 / 133,047,848 / 138,357,544 / 143,667,240
``vgg(…, batch_norm=True)``                   132,868,840 / 133,053,736 / 138,365,992 / 143,678,248
``lenet5()`` (PyTorch's layout)               61,706
``lenet5("paper")`` (C3 table, subsampling)   60,000 (+ 840 fixed RBF centres, buffers)
``nin()`` (d2l's: 224×224×1, 10 classes)      1,992,166
``googlenet()`` (no auxiliary heads)          6,624,904
``resnet(18 | 34 | 50 | 101 | 152)``          11,689,512 / 21,797,672 / 25,557,032 / 44,549,160 / 60,192,808
``densenet(121 | 161 | 169 | 201)``           7,978,856 / 28,681,000 / 14,149,480 / 20,013,928
``mobilenet_v1()`` (width 1.0, Keras's count)  4,231,976
``mobilenet_v2()``                            3,504,872
``squeezenet("1_0" | "1_1")``                 1,248,424 / 1,235,496
``unet()`` (572 → 388, 1 → 2 channels)        31,030,658 (``padded=True``: the same)
``dcgan_generator()`` (z = 100 → 64×64×3)     3,576,704
``dcgan_discriminator()``                     2,765,568
``face_net(n)``                               48,320 + 160·n (48,520 + 161·n with biases)
``keras_case1()``                             113,386 (506,602 without the second pool)
==========================================  ============

>>> alexnet().total_params
62378344
>>> vgg(16).total_params
138357544
>>> sorted(MODELS)[:4]
['alexnet', 'dcgan_discriminator', 'dcgan_generator', 'densenet121']
"""

from __future__ import annotations

from .branched import (
    DENSENET_LAYOUTS,
    GOOGLENET_MODULES,
    RESNET_LAYOUTS,
    densenet,
    googlenet,
    inception,
    resnet,
)
from .classic import (
    ALEXNET_VARIANTS,
    LENET5_C3_TABLE,
    LENET5_VARIANTS,
    VGG_CONFIGS,
    alexnet,
    lenet5,
    nin,
    vgg,
)
from .generative import dcgan_discriminator, dcgan_generator, unet
from .mobile import (
    MOBILENET_V1_BLOCKS,
    MOBILENET_V2_SETTINGS,
    SQUEEZENET_VERSIONS,
    mobilenet_v1,
    mobilenet_v2,
    squeezenet,
)
from .small import face_net, keras_case1, keras_case2, keras_case3, keras_conv1d, plain_chain

__all__ = [
    "ALEXNET_VARIANTS",
    "DENSENET_LAYOUTS",
    "GOOGLENET_MODULES",
    "LENET5_C3_TABLE",
    "LENET5_VARIANTS",
    "MOBILENET_V1_BLOCKS",
    "MOBILENET_V2_SETTINGS",
    "MODELS",
    "RESNET_LAYOUTS",
    "SQUEEZENET_VERSIONS",
    "VGG_CONFIGS",
    "alexnet",
    "dcgan_discriminator",
    "dcgan_generator",
    "densenet",
    "face_net",
    "googlenet",
    "inception",
    "keras_case1",
    "keras_case2",
    "keras_case3",
    "keras_conv1d",
    "lenet5",
    "mobilenet_v1",
    "mobilenet_v2",
    "nin",
    "plain_chain",
    "resnet",
    "squeezenet",
    "unet",
    "vgg",
]

#: name → (builder, keyword defaults) for the CLI: ``python -m cnnlib summary vgg16``.
MODELS = {
    "alexnet": (alexnet, {}),
    **{f"vgg{d}": (vgg, {"depth": d}) for d in VGG_CONFIGS},
    **{f"vgg{d}_bn": (vgg, {"depth": d, "batch_norm": True}) for d in VGG_CONFIGS},
    "lenet5": (lenet5, {}),
    "nin": (nin, {}),
    "googlenet": (googlenet, {}),
    **{f"resnet{d}": (resnet, {"depth": d}) for d in RESNET_LAYOUTS},
    **{f"densenet{d}": (densenet, {"depth": d}) for d in DENSENET_LAYOUTS},
    "mobilenet_v1": (mobilenet_v1, {}),
    "mobilenet_v2": (mobilenet_v2, {}),
    **{f"squeezenet{v}": (squeezenet, {"version": v}) for v in SQUEEZENET_VERSIONS},
    "unet": (unet, {}),
    "unet_padded": (unet, {"padded": True}),
    "dcgan_generator": (dcgan_generator, {}),
    "dcgan_discriminator": (dcgan_discriminator, {}),
    "face_net": (face_net, {}),
    "keras_case1": (keras_case1, {}),
    "keras_case2": (keras_case2, {}),
    "keras_case3": (keras_case3, {}),
    "keras_conv1d": (keras_conv1d, {}),
    "plain_chain": (plain_chain, {}),
}
