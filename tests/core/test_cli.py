"""python -m cnnlib: commands, formats, and bad input (exit 2, one line on stderr)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from cnnlib.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_conv_formula(capsys):
    code, out, err = run(capsys, "conv", "--n", "227", "--kernel", "11", "--stride", "4")
    assert code == 0 and err == ""
    assert out.strip() == "o = ⌊(227 + 2·0 − 1·(11−1) − 1)/4⌋ + 1 = 55"


def test_conv_224_is_floored(capsys):
    code, out, _ = run(capsys, "conv", "--n", "224", "--kernel", "11", "--stride", "4")
    assert code == 0 and "= 54" in out and "54.25" in out  # (224 − 11)/4 + 1 = 54.25


def test_conv_same_and_pool(capsys):
    _, out, _ = run(capsys, "conv", "--n", "7", "--kernel", "3", "--stride", "2", "--padding", "same")
    assert "⌈7/2⌉ = 4" in out
    _, out, _ = run(capsys, "pool", "--n", "55", "--kernel", "3", "--stride", "2", "--format", "json")
    assert json.loads(out)["output"] == 27  # (55 − 3)/2 + 1
    _, out, _ = run(capsys, "pool", "--n", "11", "--kernel", "2", "--ceil-mode")
    assert "= 6" in out


def test_summary_vgg16_table(capsys):
    code, out, _ = run(capsys, "summary", "vgg16", "--input-size", "224")
    assert code == 0 and "Total params: 138,357,544" in out


def test_summary_two_tower_json_csv_markdown(capsys):
    _, out, _ = run(capsys, "summary", "alexnet", "--variant", "two_tower", "--format", "json")
    data = json.loads(out)
    assert data["total_params"] == 60_965_224
    assert sum(r["params"] for r in data["layers"]) == 60_965_224
    _, out, _ = run(capsys, "summary", "alexnet", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sum(int(r["params"]) for r in rows) == 62_378_344
    assert rows[1]["output shape"] == "55×55×96"
    _, out, _ = run(capsys, "summary", "face_net", "--n", "10", "--format", "markdown")
    assert "**49,920**" in out  # 48,320 + 160·10
    _, out, _ = run(capsys, "summary", "vgg16_bn", "--format", "json")
    assert json.loads(out)["total_params"] == 138_365_992


@pytest.mark.parametrize("argv", [
    ["conv", "--n", "5", "--kernel", "11", "--stride", "4"],   # output < 1
    ["conv", "--n", "x", "--kernel", "3"],                      # not a number
    ["conv", "--n", "10", "--kernel", "3", "--padding", "half"],
    ["pool", "--n", "10", "--kernel", "2", "--padding", "2"],   # padding > k/2
    ["summary", "vgg99"],
    ["summary", "alexnet", "--input-size", "30"],
    ["summary", "alexnet", "--variant", "bogus"],
    ["summary", "lenet5", "--variant", "single"],
    ["summary", "vgg16", "--format", "xml"],
    ["summary", "vgg16", "--batch", "0"],
    [],
])
def test_bad_input_exit_2_one_line(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_python_m_cnnlib_subprocess():
    ok = subprocess.run([sys.executable, "-m", "cnnlib", "summary", "alexnet", "--variant", "torchvision"],
                        capture_output=True, text=True, timeout=120, check=False)
    assert ok.returncode == 0 and "Total params: 61,100,840" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "cnnlib", "summary", "alexnet", "--input-size", "20"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert bad.returncode == 2 and bad.stdout == ""
    assert len(bad.stderr.strip().splitlines()) == 1 and bad.stderr.startswith("cnnlib: error: pool2:")  # 20 → 3 → 1 → 1, pool2 on 1×1


@pytest.mark.parametrize(("args", "never"), [
    # hand-worked: windows cover (o − 1)·s + k cells of the padded input; the rest is never read
    (["pool", "--n", "11", "--kernel", "2"], 1),                          # 11 → 5 covers 10
    (["conv", "--n", "224", "--kernel", "11", "--stride", "4"], 1),       # 54 windows cover 223
    (["conv", "--n", "10", "--kernel", "3", "--stride", "2", "--padding", "1"], 1),  # 12 padded, 11 covered
    (["conv", "--n", "14", "--kernel", "2", "--stride", "5"], 2),         # windows 0-1, 5-6, 10-11: 12, 13 unread
])
def test_never_covered_note_counts_rows(args, never, capsys):
    from cnnlib.cli import main

    assert main([*args, "--format", "json"]) == 0
    out = capsys.readouterr().out
    if never == 0:
        assert "never covered" not in out
    else:
        assert f"the last {never} row(s)/column(s)" in out


# ------------------------------------------------------------------ random argv


TOKENS = ["summary", "conv", "pool", "models", "--n", "--kernel", "-k", "--stride", "-s", "--padding",
          "-p", "--dilation", "-d", "--ceil-mode", "--format", "table", "csv", "json", "markdown",
          "--input-size", "--variant", "--batch-norm", "--num-classes", "--order", "HWC", "CHW", "--bytes",
          "--batch", "vgg16", "alexnet", "resnet18", "googlenet", "lenet5", "two_tower", "same", "valid",
          "--help", "-h", "0", "1", "2", "3", "-1", "227", "11", "4", "1e3", "2.5", "nan", "x",
          str(10**400), str(-10**30), "3x224x224", "", " ", "\x00", "é", "--", "-"]


def _argv_strategy():
    from hypothesis import strategies as st

    token = st.one_of(st.sampled_from(TOKENS), st.text(max_size=8),
                      st.integers(-10**20, 10**20).map(str))
    return st.lists(token, max_size=8)


def test_random_argv_never_tracebacks(capsys):
    """Any command line gives a result (exit 0) or one line on stderr (exit 2) — never a traceback."""
    from hypothesis import example, given, settings

    seen = {0: 0, 2: 0}

    # a random draw may reach only one of the two exits: these two always run, one of each
    @settings(max_examples=600)
    @given(_argv_strategy())
    @example(["conv", "--n", "227", "--kernel", "11", "--stride", "4"])
    @example(["conv", "--n", "2", "--kernel", "11"])
    def check(argv):
        try:
            code = main(argv)
        except SystemExit as e:  # --help prints usage and exits 0, as argparse does
            code = e.code
        out, err = capsys.readouterr()
        assert code in (0, 2), (argv, code, err)
        assert "Traceback" not in err and "Traceback" not in out
        if code == 2:
            assert err.count("\n") == 1 and err.startswith("cnnlib"), (argv, err)
        seen[code] += 1

    check()
    assert seen[0] and seen[2]  # both paths were reached


def test_huge_numbers_give_a_message(capsys):
    code, _, err = run(capsys, "conv", "--n", "5", "--kernel", str(10**400))
    assert code == 2 and "10^400" in err and "Traceback" not in err
    code, out, _ = run(capsys, "conv", "--n", str(2**60), "--kernel", "3", "--stride", "7")
    # ⌊(2^60 − 3)/7⌋ + 1, exact integer arithmetic (a float would be off by one here or there)
    first, note = out.strip().splitlines()
    assert code == 0 and first.endswith(f"= {(2**60 - 3) // 7 + 1}")
    assert f"{(2**60 - 3) // 7 + 1} + {(2**60 - 3) % 7}/7" in note  # (2^60 − 3)/7 + 1, before the floor
# ------------------------------------------------------------------ summary --code (cnnlib.parse_model)

SMALL_TORCH = """\
# input: 3 32 32
model = nn.Sequential(
    nn.Conv2d(3, 16, kernel_size=3, padding=1),   # (3·9 + 1)·16 = 448
    nn.ReLU(inplace=True),
    nn.MaxPool2d(2, 2),
    nn.Flatten(),
    nn.Linear(16 * 16 * 16, 10),                  # 4,096·10 + 10 = 40,970
)
"""
SMALL_KERAS = """\
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, 3, activation="relu"),      # (9 + 1)·32 = 320 → 26×26×32
    layers.MaxPooling2D(2),                       # 13×13×32
    layers.Flatten(),
    layers.Dense(10),                             # 5,408·10 + 10 = 54,090
])
"""


def test_cli_summary_code(tmp_path, capsys):
    path = tmp_path / "model.py"
    path.write_text(SMALL_TORCH, encoding="utf-8")
    code, out, err = run(capsys, "summary", "--code", str(path))
    assert code == 0 and err == "" and "Total params: 41,418" in out and "Note: input: (3, 32, 32), channels first, from line 1" in out
    code, out, _ = run(capsys, "summary", "--code", str(path), "--format", "json")
    data = json.loads(out)
    assert data["output_shape"] == [10] and data["total_params"] == 41_418 and data["notes"]
    path.write_text("nn.Sequential(nn.Conv2d(3, 8, 3), nn.AdaptiveAvgPool2d(1))", encoding="utf-8")
    code, out, _ = run(capsys, "summary", "--code", str(path), "--format", "json", "--input-shape", "3,64,64")
    assert code == 0 and json.loads(out)["layers"][1]["output shape"] == "62×62×8"


def test_cli_summary_code_from_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(SMALL_KERAS))
    code, out, _ = run(capsys, "summary", "--code", "-", "--order", "CHW")
    assert code == 0 and "Total params: 54,410" in out


@pytest.mark.parametrize("argv, text", [
    (["summary", "--code", "MODEL"], "input 3 8 8\nnn.Sequential(nn.Linear(5, 2))"),
    (["summary", "--code", "MODEL"], "__import__('os').system('touch WITNESS')"),
    (["summary", "--code", "MODEL"], "nn.Sequential(" * 1000),
    (["summary", "--code", "MODEL", "--variant", "single"], SMALL_TORCH),
    (["summary", "--code", "MODEL", "--input-shape", "three"], SMALL_TORCH),
    (["summary", "vgg16", "--code", "MODEL"], SMALL_TORCH),
    (["summary", "--code", "/no/such/file"], ""),
    (["summary"], ""),
])
def test_cli_bad_code_exit_2_one_line(tmp_path, capsys, argv, text):
    path, witness = tmp_path / "model.py", tmp_path / "pwned"
    path.write_text(text.replace("WITNESS", str(witness)), encoding="utf-8")
    code, out, err = run(capsys, *[str(path) if a == "MODEL" else a for a in argv])
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and not witness.exists()


def test_cli_binary_file(tmp_path, capsys):
    path = tmp_path / "model.bin"
    path.write_bytes(bytes(range(256)) * 4)
    code, out, err = run(capsys, "summary", "--code", str(path))
    assert code == 2 and out == "" and err.startswith("cnnlib: error: cannot read")
