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
