"""Networks and their numbers worked by hand, shared by the tests that check them (not a test).

AlexNet, one tower, as source 000 lists it (input 227×227×3): output sizes
(227 − 11)/4 + 1 = 55, (55 − 3)/2 + 1 = 27, 27 + 4 − 5 + 1 = 27, 13, 13, 13, 13, 6; parameters
11·11·3·96 + 96, 5·5·96·256 + 256, 3·3·256·384 + 384, 3·3·384·384 + 384, 3·3·384·256 + 256,
9216·4096 + 4096, 4096·4096 + 4096, 4096·1000 + 1000.
"""

from __future__ import annotations

from cnnlib import Conv2d, Dense, Dropout, Flatten, MaxPool2d, ReLU, Sequential

ALEXNET = Sequential((3, 227, 227), [
    Conv2d(96, 11, stride=4), ReLU(), MaxPool2d(3, stride=2),
    Conv2d(256, 5, padding=2), ReLU(), MaxPool2d(3, stride=2),
    Conv2d(384, 3, padding=1), ReLU(), Conv2d(384, 3, padding=1), ReLU(),
    Conv2d(256, 3, padding=1), ReLU(), MaxPool2d(3, stride=2), Flatten(),
    Dense(4096), ReLU(), Dropout(), Dense(4096), ReLU(), Dropout(), Dense(1000),
])
#: the shape after each layer that is not in place (input first), H×W×C
ALEXNET_LABELS = ["227×227×3", "55×55×96", "27×27×96", "27×27×256", "13×13×256", "13×13×384",
                  "13×13×384", "13×13×256", "6×6×256", "9216", "4096", "4096", "1000"]
#: the parameters of the same layers
ALEXNET_PARAMS = [0, 34_944, 0, 614_656, 0, 885_120, 1_327_488, 884_992, 0, 0, 37_752_832,
                  16_781_312, 4_097_000]


# ------------------------------------------------------------------ Dumoulin & Visin

#: the guide's o′ for each of its relationships 8–14 of transposed convolution, written as
#: the guide writes it (i′ is the direct convolution's output; a = (i + 2p − k) mod s)
GUIDE = {
    8: lambda it, k, s, p, a: it + (k - 1),
    9: lambda it, k, s, p, a: it + (k - 1) - 2 * p,
    10: lambda it, k, s, p, a: it,
    11: lambda it, k, s, p, a: it - (k - 1),
    12: lambda it, k, s, p, a: s * (it - 1) + k,
    13: lambda it, k, s, p, a: s * (it - 1) + k - 2 * p,
    14: lambda it, k, s, p, a: s * (it - 1) + a + k - 2 * p,
}
#: the conditions under which the guide states each relationship (i, k, s, p of the direct one)
GUIDE_CONDITIONS = {
    8: lambda i, k, s, p: s == 1 and p == 0,
    9: lambda i, k, s, p: s == 1,
    10: lambda i, k, s, p: s == 1 and k % 2 == 1 and p == k // 2,
    11: lambda i, k, s, p: s == 1 and p == k - 1,
    12: lambda i, k, s, p: p == 0 and (i - k) % s == 0,
    13: lambda i, k, s, p: (i + 2 * p - k) % s == 0,
    14: lambda i, k, s, p: True,
}
#: the guide's own figure for each relationship: (i, k, s, p)
GUIDE_EXAMPLES = {8: (4, 3, 1, 0), 9: (5, 4, 1, 2), 10: (5, 3, 1, 1), 11: (5, 3, 1, 2), 12: (5, 3, 2, 0),
                  13: (5, 3, 2, 1), 14: (6, 3, 2, 1)}
