"""cnnlib's summary vs torchinfo.summary at its fastest setting: same totals, how much faster.

    .venv/bin/python bench/summary_vs_torchinfo.py [--repeat 7]

For VGG-16 and ResNet-50 at 224 (batch 1, float32) the script times

* torchinfo: ``torchinfo.summary(net, input_size=(1, 3, 224, 224), device="meta")`` on an
  equivalent torch.nn network built on the meta device (shapes without arithmetic: torchinfo's
  fastest setting);
* cnnlib: building the model from scratch (``zoo.vgg(16)`` — a fresh model each call, so no
  result is reused across calls), its per-layer rows and every total — the numbers of a
  summary; and, separately, the text table and the pandas DataFrame;

checks that total params, total mult-adds and the forward/backward size are identical, and
prints the ratio beside the goal (≥ 50× on both).  Times are CPU time (``process_time``,
best of --repeat rounds), so other jobs on the machine disturb both sides less.  Then cnnlib's
time against depth (VGG-11 → 19, ResNet-18 → 152, a plain chain of 152 convolutions).
Timing lives here, never in tests.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import torch
import torchinfo
from torch import nn

from cnnlib import zoo
from cnnlib.book.frames import summary_frame

GOAL = 50  # × torchinfo at its fastest setting, for building + rows + totals


def best(fn, repeat, number=1):
    """Best CPU time per call over `repeat` rounds of `number` calls."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        for _ in range(number):
            fn()
        times.append((time.process_time() - t) / number)
    return min(times)


def cnnlib_summary(build):
    """A fresh model, its rows and every total: what a summary needs."""
    model = build()
    rows = model.rows()
    return model, rows, model.totals(rows)


# ------------------------------------------------------------ torch networks


def torch_vgg16():
    layers, c = [], 3
    for n, w in zip((2, 2, 3, 3, 3), (64, 128, 256, 512, 512)):
        for _ in range(n):
            layers += [nn.Conv2d(c, w, 3, padding=1), nn.ReLU(True)]
            c = w
        layers.append(nn.MaxPool2d(2))
    layers += [nn.Flatten(), nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(),
               nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(), nn.Linear(4096, 1000)]
    return nn.Sequential(*layers)


class Bottleneck(nn.Module):
    def __init__(self, cin, planes, stride):
        super().__init__()
        out = planes * 4
        self.body = nn.Sequential(
            nn.Conv2d(cin, planes, 1, bias=False), nn.BatchNorm2d(planes), nn.ReLU(True),
            nn.Conv2d(planes, planes, 3, stride, 1, bias=False), nn.BatchNorm2d(planes), nn.ReLU(True),
            nn.Conv2d(planes, out, 1, bias=False), nn.BatchNorm2d(out))
        self.down = (nn.Sequential(nn.Conv2d(cin, out, 1, stride, bias=False), nn.BatchNorm2d(out))
                     if stride != 1 or cin != out else None)
        self.relu = nn.ReLU(True)

    def forward(self, x):
        return self.relu(self.body(x) + (self.down(x) if self.down is not None else x))


def torch_resnet50():
    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(True),
              nn.MaxPool2d(3, 2, 1)]
    cin = 64
    for stage, (planes, n) in enumerate(zip((64, 128, 256, 512), (3, 4, 6, 3))):
        for b in range(n):
            layers.append(Bottleneck(cin, planes, 2 if stage and not b else 1))
            cin = planes * 4
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2048, 1000)]
    return nn.Sequential(*layers)


# ---------------------------------------------------------------------- main


def compare(name, build, net, repeat):
    net = net.to("meta").eval()
    model, rows, totals = cnnlib_summary(build)
    shape = (1, *model.input_shape)

    def ti():
        return torchinfo.summary(net, input_size=shape, device="meta", verbose=0)

    stats = ti()
    t_ti = best(ti, repeat, 3)
    t_cn = best(lambda: cnnlib_summary(build), repeat, 30)
    t_txt = best(lambda: str(build()), repeat, 10)
    t_df = best(lambda: summary_frame(build()), repeat, 10)
    mine = model.torchinfo_totals(rows=rows)
    same = (mine["total_params"] == stats.total_params == totals["params"]
            and mine["total_mult_adds"] == stats.total_mult_adds
            and mine["forward_backward_bytes"] == stats.total_output_bytes)
    ratio = t_ti / t_cn
    print(f"\n{name}: {len(rows) - 1} rows")
    print(f"  params       cnnlib {totals['params']:>15,}   torchinfo {stats.total_params:>15,}")
    print(f"  mult-adds    cnnlib {mine['total_mult_adds']:>15,}   torchinfo {stats.total_mult_adds:>15,}"
          f"   (cnnlib MACs without bias/BN adds: {totals['macs']:,})")
    print(f"  fwd/bwd B    cnnlib {mine['forward_backward_bytes']:>15,}   torchinfo "
          f"{stats.total_output_bytes:>15,}   (cnnlib activation elements: {totals['activation_elements']:,})")
    print(f"  identical totals: {'yes' if same else 'NO'}")
    print(f"  torchinfo (meta) {t_ti * 1e3:7.2f} ms | cnnlib build + rows + totals {t_cn * 1e3:6.3f} ms "
          f"→ {ratio:5.1f}× (goal ≥ {GOAL}×: {'met' if ratio >= GOAL else 'NOT met'})")
    print(f"  with the text table {t_txt * 1e3:6.3f} ms → {t_ti / t_txt:5.1f}× | with the DataFrame "
          f"{t_df * 1e3:6.3f} ms → {t_ti / t_df:5.1f}×")
    return same, ratio


def scaling(repeat):
    print("\ncnnlib time vs depth (build + rows + totals of a fresh model)")
    cases = [(f"vgg{d}", lambda d=d: zoo.vgg(d)) for d in (11, 13, 16, 19)]
    cases += [(f"resnet{d}", lambda d=d: zoo.resnet(d)) for d in (18, 50, 101, 152)]
    cases += [("plain152", lambda: zoo.plain_chain(152))]
    for name, build in cases:
        n = len(build().rows()) - 1
        t = best(lambda b=build: cnnlib_summary(b), repeat, 5)
        print(f"  {name:10s} {n:4d} rows  {t * 1e3:7.3f} ms  {t / n * 1e6:6.2f} µs/row")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, torchinfo {torchinfo.__version__ if hasattr(torchinfo, '__version__') else '?'}, "
          f"threads {torch.get_num_threads()}, CPU, batch 1, float32")
    with torch.no_grad():
        ok1, r1 = compare("VGG-16 @224", lambda: zoo.vgg(16), torch_vgg16(), args.repeat)
        ok2, r2 = compare("ResNet-50 @224", lambda: zoo.resnet(50), torch_resnet50(), args.repeat)
    scaling(args.repeat)
    print(f"\nsummary: identical totals {'yes' if ok1 and ok2 else 'NO'}; cnnlib vs torchinfo (meta): "
          f"VGG-16 {r1:.1f}×, ResNet-50 {r2:.1f}× (goal ≥ {GOAL}× each)")
    return 0 if ok1 and ok2 else 1


if __name__ == "__main__":
    sys.exit(main())
