"""Networks that make images: U-Net (segmentation) and the DCGAN generator and discriminator."""

from __future__ import annotations

from ..errors import ShapeError
from ..graph import Input
from ..layers import (
    BatchNorm2d,
    CenterCrop2d,
    Concatenate,
    Conv2d,
    ConvTranspose2d,
    LeakyReLU,
    MaxPool2d,
    ReLU,
    Sigmoid,
    Tanh,
)
from ..model import Model, Sequential
from ._common import apply_chain
from ._common import size_arg as _size

__all__ = ["dcgan_discriminator", "dcgan_generator", "unet"]

# ---------------------------------------------------------------------- U-Net


def _double_conv(x, prefix, out, padding):
    """Two 3×3 convolutions, each followed by ReLU (rows prefix.0 … prefix.3, as an nn.Sequential)."""
    return apply_chain(x, [(f"{prefix}.0", Conv2d(out, 3, padding=padding)), (f"{prefix}.1", ReLU()),
                           (f"{prefix}.2", Conv2d(out, 3, padding=padding)), (f"{prefix}.3", ReLU())])


def unet(padded: bool = False, input_size: int | None = None, in_channels: int = 1, num_classes: int = 2,
         base: int = 64) -> Model:
    """U-Net (Ronneberger, Fischer and Brox, 2015), a graph model.

    Contracting path: five double 3×3 convolutions (64, 128, 256, 512, 1024 channels for
    ``base`` = 64), 2×2 max pools between them. Expanding path, four times: an up-convolution
    ``ConvTranspose2d(C/2, 2, stride=2)`` doubles the map and halves the channels, the skip
    connection from the contracting path at the same depth is cut to that size
    (:class:`cnnlib.CenterCrop2d`) and concatenated before it (:class:`cnnlib.Concatenate`),
    then a double convolution. A final 1×1 convolution gives ``num_classes`` maps.

    * ``padded=False`` — the paper's valid convolutions: each 3×3 conv loses 2 pixels, so the
      572×572 input gives a 388×388 output (2 classes) and the skips are cropped
      (64×64 → 56×56 at the deepest join).
    * ``padded=True`` — 'same' convolutions (padding 1): the output has the input's size
      (which must then be divisible by 16, four pools) and the skips join uncropped.

    Rows: ``enc1.0`` … ``enc5.3``, ``pool1`` … ``pool4``, then per level ``up1``,
    ``crop1`` (valid only), ``cat1``, ``dec1.0`` … ``dec1.3``, and ``head``. 31,030,658 parameters for
    1 input channel and 2 classes, either way (padding adds none).

    >>> m = unet()
    >>> m.output_shape, m.row("crop1").out_shape, m.total_params
    ((2, 388, 388), (512, 56, 56), 31030658)
    >>> unet(padded=True, input_size=256).output_shape
    (2, 256, 256)
    """
    padded = bool(padded)
    if input_size is None:
        input_size = 512 if padded else 572
    n = _size("input_size", input_size)
    _size("in_channels", in_channels)
    _size("num_classes", num_classes)
    base = _size("base", base)
    if padded and n % 16:
        raise ShapeError(f"a padded U-Net halves the map four times and doubles it back, so the input "
                         f"size must be divisible by 16; got {n} (try {n - n % 16 or 16})")
    pad = 1 if padded else 0
    inp = Input((in_channels, n, n))
    x, skips = inp, []
    for level in range(1, 6):
        x = _double_conv(x, f"enc{level}", base * 2 ** (level - 1), pad)
        if level < 5:
            skips.append(x)
            x = MaxPool2d(2)(x, name=f"pool{level}")
    for level in range(1, 5):
        width = base * 2 ** (4 - level)
        x = ConvTranspose2d(width, 2, stride=2)(x, name=f"up{level}")
        skip = skips[-level] if padded else CenterCrop2d(x.shape[1:])(skips[-level], name=f"crop{level}")
        x = Concatenate()(skip, x, name=f"cat{level}")
        x = _double_conv(x, f"dec{level}", width, pad)
    y = Conv2d(num_classes, 1)(x, name="head")
    return Model(inp, y, name="unet_padded" if padded else "unet")


# ---------------------------------------------------------------------- DCGAN


def dcgan_generator(nz: int = 100, ngf: int = 64, nc: int = 3) -> Sequential:
    """The DCGAN generator (Radford, Metz and Chintala, 2016) as the PyTorch DCGAN tutorial writes it.

    z (nz×1×1) → transposed conv 8·ngf 4×4 s1 p0 (4×4) → then 4·ngf, 2·ngf, ngf, each 4×4 s2 p1
    (doubling: 8, 16, 32) → nc 4×4 s2 p1 (64×64). BatchNorm and ReLU after each but the last,
    which ends in Tanh; no biases. Rows ``main.0`` … ``main.13`` as the tutorial's
    ``self.main``. 3,576,704 parameters with nz = 100, ngf = 64, nc = 3.

    >>> g = dcgan_generator()
    >>> g.output_shape, g.total_params
    ((3, 64, 64), 3576704)
    """
    nz, ngf, nc = _size("nz", nz), _size("ngf", ngf), _size("nc", nc)
    layers, i = [], 0
    for j, width in enumerate((8 * ngf, 4 * ngf, 2 * ngf, ngf)):
        stride, padding = (1, 0) if j == 0 else (2, 1)
        layers += [(f"main.{i}", ConvTranspose2d(width, 4, stride=stride, padding=padding, bias=False)),
                   (f"main.{i + 1}", BatchNorm2d()), (f"main.{i + 2}", ReLU())]
        i += 3
    layers += [(f"main.{i}", ConvTranspose2d(nc, 4, stride=2, padding=1, bias=False)), (f"main.{i + 1}", Tanh())]
    return Sequential((nz, 1, 1), layers, name="dcgan_generator")


def dcgan_discriminator(ndf: int = 64, nc: int = 3) -> Sequential:
    """The DCGAN discriminator as the PyTorch DCGAN tutorial writes it.

    64×64×nc → conv ndf 4×4 s2 p1 → LeakyReLU 0.2 (32×32) → 2·ndf, 4·ndf, 8·ndf, each 4×4 s2 p1
    → BatchNorm → LeakyReLU 0.2 (16, 8, 4) → conv 1 4×4 s1 p0 (1×1) → Sigmoid; no biases.
    Rows ``main.0`` … ``main.12``. 2,765,568 parameters with ndf = 64, nc = 3.

    >>> d = dcgan_discriminator()
    >>> d.output_shape, d.total_params
    ((1, 1, 1), 2765568)
    """
    ndf, nc = _size("ndf", ndf), _size("nc", nc)
    layers = [("main.0", Conv2d(ndf, 4, stride=2, padding=1, bias=False)), ("main.1", LeakyReLU(0.2))]
    i = 2
    for width in (2 * ndf, 4 * ndf, 8 * ndf):
        layers += [(f"main.{i}", Conv2d(width, 4, stride=2, padding=1, bias=False)),
                   (f"main.{i + 1}", BatchNorm2d()), (f"main.{i + 2}", LeakyReLU(0.2))]
        i += 3
    layers += [(f"main.{i}", Conv2d(1, 4, stride=1, padding=0, bias=False)), (f"main.{i + 1}", Sigmoid())]
    return Sequential((nc, 64, 64), layers, name="dcgan_discriminator")
