"""cnnlib's summary vs torchinfo.summary: same totals, how much faster, how it scales.

    .venv/bin/python bench/summary_vs_torchinfo.py [--repeat 5]

For VGG-16 at 224 and ResNet-50 (CPU, batch 1, float32) the script times

* cnnlib: ``model.rows()`` plus every total (params, MACs, activations, torchinfo's
  totals) on an already-built model — the numbers of the summary; and, separately, the
  pandas DataFrame of ``cnnlib.book.frames.summary_frame(model)`` and the text of ``print(model)``;
* torchinfo: ``torchinfo.summary(net, input_size=(1, 3, 224, 224), verbose=0)`` on an
  equivalent torch.nn network (a real forward pass on the CPU with hooks),

checks that total params, total mult-adds and the forward/backward size are identical, and
prints the speed ratio (best of --repeat runs each). Then the depth scaling of cnnlib:
VGG-11 → 19, ResNet-18 → 50 → 101 → 152 and a plain chain of 152 convolutions, as µs per
leaf layer (flat = linear in the number of layers). Timing lives here, never in tests.
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


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def cnnlib_numbers(model):
    """One pass over the leaf rows; every total (and torchinfo's) from those rows."""
    rows = model.rows()
    t = model.totals(rows)
    return (len(rows), t["params"], t["macs"], t["activation_elements"],
            model.torchinfo_totals(rows=rows))


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


def compare(name, model, net, repeat):
    net.eval()
    stats = torchinfo.summary(net, input_size=(1, *model.input_shape), verbose=0, device="cpu")
    t_ti = best(lambda: torchinfo.summary(net, input_size=(1, *model.input_shape), verbose=0,
                                          device="cpu"), repeat)
    n_rows, params, macs, acts, ti = cnnlib_numbers(model)
    t_cn = best(lambda: cnnlib_numbers(model), max(repeat, 20))
    t_df = best(lambda: summary_frame(model), max(repeat, 20))
    t_txt = best(lambda: str(model), max(repeat, 20))
    same = (ti["total_params"] == stats.total_params
            and ti["total_mult_adds"] == stats.total_mult_adds
            and ti["forward_backward_bytes"] == stats.total_output_bytes)
    print(f"\n{name}: {n_rows - 1} leaf layers")
    print(f"  params       cnnlib {params:>15,}   torchinfo {stats.total_params:>15,}")
    print(f"  mult-adds    cnnlib {ti['total_mult_adds']:>15,}   torchinfo {stats.total_mult_adds:>15,}"
          f"   (cnnlib MACs without bias/BN adds: {macs:,})")
    print(f"  fwd/bwd B    cnnlib {ti['forward_backward_bytes']:>15,}   torchinfo "
          f"{stats.total_output_bytes:>15,}   (cnnlib activation elements: {acts:,})")
    print(f"  identical totals: {'yes' if same else 'NO'}")
    print(f"  time: torchinfo {t_ti * 1e3:8.1f} ms | cnnlib numbers {t_cn * 1e3:6.3f} ms "
          f"→ {t_ti / t_cn:,.0f}× faster | with DataFrame {t_df * 1e3:6.2f} ms → {t_ti / t_df:,.0f}× "
          f"| text table {t_txt * 1e3:6.2f} ms → {t_ti / t_txt:,.0f}×")
    return same, t_ti / t_cn


def scaling(repeat):
    print("\ncnnlib time vs depth (rows + totals of a built model; build time in brackets)")
    cases = [(f"vgg{d}", lambda d=d: zoo.vgg(d)) for d in (11, 13, 16, 19)]
    cases += [(f"resnet{d}", lambda d=d: zoo.resnet(d)) for d in (18, 50, 101, 152)]
    cases += [("plain152", lambda: zoo.plain_chain(152))]
    for name, build in cases:
        t_build = best(build, repeat)
        m = build()
        n = len(m.rows()) - 1
        t = best(lambda m=m: cnnlib_numbers(m), max(repeat, 10))
        print(f"  {name:10s} {n:4d} leaf layers  {t * 1e3:7.3f} ms  {t / n * 1e6:6.1f} µs/layer"
              f"  (build {t_build * 1e3:6.2f} ms)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, torchinfo {torchinfo.__version__ if hasattr(torchinfo, '__version__') else '?'}, "
          f"threads {torch.get_num_threads()}, CPU, batch 1, float32")
    with torch.no_grad():
        ok1, r1 = compare("VGG-16 @224", zoo.vgg(16), torch_vgg16(), args.repeat)
        ok2, r2 = compare("ResNet-50 @224", zoo.resnet(50), torch_resnet50(), args.repeat)
    scaling(args.repeat)
    print(f"\nsummary: identical totals {'yes' if ok1 and ok2 else 'NO'}; speed ratio "
          f"VGG-16 {r1:,.0f}×, ResNet-50 {r2:,.0f}× (goal ≥ 1,000×)")
    return 0 if ok1 and ok2 else 1


if __name__ == "__main__":
    sys.exit(main())
