"""How fast cnnlib.parse_model refuses hostile texts and reads real ones (target: 100 ms each).

    .venv/bin/python bench/parse.py [--repeat 5] [--target-ms 100]

Times every text of tests/core/hostile_inputs.py (each must be refused with a ShapeError) and a
few valid models, including the largest one the limits allow (1,000 layers), best of --repeat
runs and the worst run.  Exits with status 1 when a hostile text's best time is over the target
(the tests allow 1 s, so that a loaded CI machine does not fail them; this script keeps the
100 ms honest).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "core"))

from hostile_inputs import payloads

from cnnlib import ShapeError, parse_model

VALID = {
    "small PyTorch CNN": "# input: 3 32 32\nnn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), "
                         "nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 16 * 16, 10))",
    "Keras MNIST convnet": "keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3, activation='relu'),"
                           " layers.MaxPooling2D(2), layers.Conv2D(64, 3, activation='relu'), layers.MaxPooling2D(2),"
                           " layers.Flatten(), layers.Dropout(0.5), layers.Dense(10, activation='softmax')])",
    "VGG-16 as nn.Sequential": "# input: 3 224 224\nnn.Sequential(\n" + "".join(
        f"    nn.Conv2d({c_in}, {c_out}, 3, padding=1), nn.ReLU(inplace=True),\n"
        + ("    nn.MaxPool2d(2, 2),\n" if pool else "")
        for c_in, c_out, pool in [(3, 64, 0), (64, 64, 1), (64, 128, 0), (128, 128, 1), (128, 256, 0),
                                  (256, 256, 0), (256, 256, 1), (256, 512, 0), (512, 512, 0), (512, 512, 1),
                                  (512, 512, 0), (512, 512, 0), (512, 512, 1)])
        + "    nn.Flatten(), nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(),\n"
          "    nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(), nn.Linear(4096, 1000))",
    "1,000 layers (the limit)": "# input: 8 4 4\nnn.Sequential(\n" + "    nn.Conv2d(8, 8, 3, padding=1),\n" * 1_000
                                + ")",
}


def best_and_worst(text, repeat):
    times, outcome = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        try:
            parse_model(text)
            outcome = "read"
        except ShapeError:
            outcome = "refused"
        times.append(time.perf_counter() - t0)
    return min(times) * 1000, max(times) * 1000, outcome


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--target-ms", type=float, default=100.0)
    args = p.parse_args(argv)
    parse_model("input 1\nnn.Sequential(nn.ReLU())")  # imports and first-call costs out of the timings
    over, rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        witness = Path(tmp) / "pwned"
        for name, text in payloads(str(witness)).items():
            best, worst, outcome = best_and_worst(text, args.repeat)
            rows.append(("hostile", name, best, worst, outcome))
            if outcome != "refused" or witness.exists():
                over.append(f"{name}: {outcome}, witness {'exists' if witness.exists() else 'absent'}")
            elif best > args.target_ms:
                over.append(f"{name}: {best:.1f} ms")
    for name, text in VALID.items():
        best, worst, outcome = best_and_worst(text, args.repeat)
        rows.append(("valid", name, best, worst, outcome))
    width = max(len(r[1]) for r in rows)
    print(f"{'kind':<8}{'text':<{width + 2}}{'best ms':>9}{'worst ms':>10}  outcome")
    for kind, name, best, worst, outcome in rows:
        print(f"{kind:<8}{name:<{width + 2}}{best:>9.2f}{worst:>10.2f}  {outcome}")
    hostile = [r for r in rows if r[0] == "hostile"]
    slowest = max(hostile, key=lambda r: r[2])
    print(f"\n{len(hostile)} hostile texts; slowest best-of-{args.repeat}: {slowest[2]:.1f} ms ({slowest[1]}), "
          f"slowest single run: {max(r[3] for r in hostile):.1f} ms; target {args.target_ms:.0f} ms")
    if over:
        print("over the target or not refused:\n  " + "\n  ".join(over))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
