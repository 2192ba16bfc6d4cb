"""cnnlib.playground: build/parse never raise, presets hand-checked, render and the live UI."""

from __future__ import annotations

import random

import pytest

from cnnlib import Sequential, zoo
from cnnlib.playground import (
    EXAMPLES,
    MAX_LAYERS,
    PRESETS,
    build,
    format_network,
    format_spec,
    live_result,
    parse,
    random_network,
    read_network,
    render,
    render_for,
)

KERAS = PRESETS["Keras case 1"]
ALEX = PRESETS["AlexNet (single tower, 227)"]


# ------------------------------------------------------------------ presets


def test_keras_case1_hand_worked():
    model, message = build(*KERAS)
    assert message == ""
    # conv1 (1·9 + 1)·32, conv2 (32·9 + 1)·32, fc1 (5·5·32 + 1)·128, fc2 (128 + 1)·10
    assert [r.params for r in model.rows() if r.params] == [320, 9248, 102528, 1290]
    assert model.total_params == 320 + 9248 + 102528 + 1290 == 113386


def test_alexnet_preset():
    model, message = build(*ALEX)
    assert message == "" and model.total_params == 62378344
    assert model.output_shape == (1000,)


def test_all_presets_build_and_round_trip():
    for name, (shape, spec) in PRESETS.items():
        model, message = build(shape, spec)
        assert model is not None, (name, message)
        assert parse(format_spec(spec)) == (spec, ""), name


def test_vgg_block_preset():
    (c, h, w), spec = PRESETS["VGG block"]
    assert (c, h, w) == (3, 64, 64)
    model, _ = build((c, h, w), spec)
    # conv 3→64: 1,792; conv 64→64: 36,928; fc (64·32·32 + 1)·10
    assert model.total_params == 1792 + 36928 + (64 * 32 * 32 + 1) * 10


# ------------------------------------------------------------------ messages


@pytest.mark.parametrize("shape, spec, start", [
    ((1, 28, 28), [{"type": "conv", "out": 8, "k": 3}, {"type": "pool", "k": 2},
                   {"type": "conv", "out": 8, "k": 30}], "layer 3 (conv2): "),
    ((1, 28, 28), [{"type": "flatten"}, {"type": "bn"}], "layer 2 (bn1): "),
    ((1, 28, 28), [{"type": "dense"}], "layer 1 (fc1): dense needs out"),
    ((1, 28, 28), [{"type": "conv", "out": 0, "k": 3}], "layer 1 (conv1): out must be ≥ 1"),
    ((1, 28, 28), [{"type": "conv", "out": 4, "k": 2.5}], "layer 1 (conv1): k must be a whole"),
    ((1, 28, 28), [{"type": "conv", "out": True, "k": 3}], "layer 1 (conv1): out must be a whole"),
    ((1, 28, 28), [{"type": "pool", "k": 2, "q": 1}], "layer 1 (pool1): pool takes"),
    ((1, 28, 28), [{"type": "pool", "k": 2, "p": 2}], "layer 1 (pool1): padding"),
    ((1, 28, 28), [{"type": "dropout", "p": 2}], "layer 1 (dropout1): dropout p"),
    ((1, 28, 28), [{"type": "bogus"}], "layer 1: unknown layer type 'bogus'"),
    ((1, 28, 28), ["conv"], "layer 1: expected a dict"),
    ((1, 28, 28), [], "the network is empty"),
    ((1, 28, 28), "conv 3 3", "the spec must be a list"),
    ((0, 28, 28), [{"type": "relu"}], "input: C must be ≥ 1"),
    ((28, 28), [{"type": "relu"}], "input: the input shape must be (C, H, W)"),
])
def test_messages_name_the_layer(shape, spec, start):
    model, message = build(shape, spec)
    assert model is None
    assert message.startswith(start), message


def test_shape_error_text_is_kept():
    _, message = build((1, 8, 8), [{"type": "conv", "out": 4, "k": 9}])
    assert message.startswith("layer 1 (conv1): Conv2d(4, 9) on 8×8×1")
    assert "kernel 9 is larger than the padded input 8" in message


GARBAGE = [None, 3, 3.5, "x", b"x", {}, [], [[]], [None], [{}], [{"type": None}],
           [{"type": ["conv"]}], [{"type": "conv", "out": "32", "k": 3}],
           [{"type": "conv", "out": -1, "k": 3}], [{"type": "conv", "out": 10**12, "k": 3}],
           [{"type": "dense", "out": None}], [{"type": "gap"}, {"type": "gap"}],
           [{"type": "avgpool", "k": 3, "s": 0}], [{"type": "pool", "k": 2, "s": None}],
           [{"type": "dropout", "p": "half"}], [{"type": "dropout", "p": float("nan")}],
           iter([{"type": "relu"}]), object()]
SHAPES = [(1, 28, 28), (3, 1, 1), (0, 0, 0), None, "abc", (1.0, 2, 2), (1, 2), (True, 4, 4)]


@pytest.mark.parametrize("spec", GARBAGE)
@pytest.mark.parametrize("shape", SHAPES)
def test_garbage_never_raises(shape, spec):
    model, message = build(shape, spec)
    assert (model is None) == bool(message)
    html = render(shape, spec, diagram=False)
    assert isinstance(html, str) and html


def _random_spec(rng):
    kinds = ["conv", "pool", "avgpool", "dense", "flatten", "relu", "bn", "dropout", "gap",
             "nonsense"]
    spec = []
    for _ in range(rng.randint(0, 8)):
        kind = rng.choice(kinds)
        item = {"type": kind}
        for key in rng.sample(["out", "k", "s", "p"], rng.randint(0, 4)):
            item[key] = rng.choice([0, 1, 2, 3, 5, 7, -1, 2.0, None, "3"])
        spec.append(item)
    return spec


def test_random_specs_never_raise():
    rng = random.Random(7)
    ok = 0
    for _ in range(3000):
        shape = (rng.randint(0, 4), rng.randint(0, 40), rng.randint(0, 40))
        model, message = build(shape, _random_spec(rng))
        assert (model is None) == bool(message)
        if model is not None:
            ok += 1
            assert model.total_params >= 0
        else:
            assert message.startswith(("layer ", "input:", "the network is empty")), message
    assert ok >= 20  # the generator reaches valid networks too


# ------------------------------------------------------------------ text syntax


def test_parse_valid():
    text = """
    # a comment line
    conv 32 3 s2 p1   # trailing comment
    POOL 2
    avgpool 3 s2 p1
    flatten
    dense 10
    dropout 0.25
    relu
    bn
    gap
    dropout
    """
    spec, message = parse(text)
    assert message == ""
    assert spec == [
        {"type": "conv", "out": 32, "k": 3, "s": 2, "p": 1}, {"type": "pool", "k": 2},
        {"type": "avgpool", "k": 3, "s": 2, "p": 1}, {"type": "flatten"},
        {"type": "dense", "out": 10}, {"type": "dropout", "p": 0.25}, {"type": "relu"},
        {"type": "bn"}, {"type": "gap"}, {"type": "dropout"},
    ]


@pytest.mark.parametrize("text, start", [
    ("conv 32", "line 1: conv takes OUT K"),
    ("relu\nconv 32 3 x1", "line 2: conv takes OUT K"),
    ("conv 32 3 s1 s2", "line 1: conv: s is given twice"),
    ("dense 10 s2", "line 1: dense has no s"),
    ("pool two", "line 1: pool: 'two' is not a whole number"),
    ("conv 32 3 sx", "line 1: conv: 'x' is not a whole number"),
    ("dropout a", "line 1: dropout: 'a' is not a number"),
    ("dropout 0.1 0.2", "line 1: dropout takes at most one"),
    ("flatten 3", "line 1: flatten takes no numbers"),
    ("convolve 3", "line 1: unknown layer 'convolve'"),
])
def test_parse_errors(text, start):
    spec, message = parse(text)
    assert spec is None and message.startswith(start), message


def test_parse_garbage_never_raises():
    rng = random.Random(11)
    alphabet = "conv pool dense flatten relu bn gap dropout avgpool 0123456789 sp#.-,\n\t\x00é"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        spec, message = parse(text)
        assert (spec is None) == bool(message)
        if spec is not None:
            build((1, 28, 28), spec)  # never raises either
    for bad in (None, 3, b"conv 3 3", ["conv 3 3"]):
        assert parse(bad)[0] is None


# ------------------------------------------------------------------ rendering


def test_render_contains_totals_and_diagram():
    html = render(*KERAS)
    assert "113,386" in html
    assert '<div class="pg-diagram"><svg' in html and "1,290" in html  # the diagram, with fc2's params
    assert "MiB" in html and "MB" in html
    assert "113,386" in render(*KERAS, diagram=False)
    assert "<svg" not in render(*KERAS, diagram=False)
    assert "62,378,344" in render(*ALEX, diagram=False)


def test_render_error_box_and_is_deterministic():
    html = render((1, 4, 4), [{"type": "conv", "out": 8, "k": 5}])
    assert 'class="pg-error"' in html and "layer 1 (conv1)" in html
    assert render(*KERAS) == render(*KERAS)  # nbval compares the static widget's output


def test_render_for_resizes():
    assert "113,386" in render_for("Keras case 1", 28, diagram=False)
    assert "pg-error" in render_for("AlexNet (single tower, 227)", 16, diagram=False)


# ------------------------------------------------------------------ live UI


# ------------------------------------------------------------------ the live page's builder


def test_read_network_input_line_and_line_numbers():
    text = "# my net\n\ninput 3 32 32   # C H W\nconv 8 3 p1\n\n# a gap\nrelu\npool 2"
    shape, spec, lines, message, line = read_network(text)
    assert (shape, message, line) == ((3, 32, 32), "", None)
    assert [s["type"] for s in spec] == ["conv", "relu", "pool"] and lines == [4, 7, 8]
    assert read_network("input 3x224x224\nrelu")[0] == (3, 224, 224)
    assert read_network("INPUT 1, 28, 28\nrelu")[0] == (1, 28, 28)


@pytest.mark.parametrize("text, start, line", [
    ("", "line 1: start with the input shape", 1),
    ("conv 8 3", "line 1: start with the input shape", 1),
    ("input 1 28\nrelu", "line 1: input takes three whole numbers", 1),
    ("input 1 28 0\nrelu", "line 1: input takes three whole numbers", 1),
    ("input a b c\nrelu", "line 1: input takes three whole numbers", 1),
    ("input 1 28 28\nrelu\ninput 1 2 2", "line 3: the input is given twice (line 1 and line 3)", 3),
    ("input 1 28 28\n\nconv 8 three", "line 3: conv: 'three' is not a whole number", 3),
])
def test_read_network_messages_name_the_line(text, start, line):
    shape, spec, _, message, got = read_network(text)
    assert shape is None and spec is None and message.startswith(start) and got == line, message


def test_live_result_hand_worked_keras_case1():
    r = live_result(format_network(*KERAS))
    # 320 + 9,248 + 102,528 + 1,290 (test_keras_case1_hand_worked)
    assert r["ok"] and r["params"] == 113386 and r["params_text"] == "113,386" and r["message"] == ""
    html = r["html"]
    assert 'class="cnnlib-summary"' in html and '<div class="pg-diagram"><svg' in html
    assert "<style" not in html  # the page holds the table's CSS once
    # memory in float32: 113,386 · 4 = 453,544 bytes of parameters
    assert "parameters take 0.45 MB (0.43 MiB)" in html and "training needs ≈" in html


def test_live_result_vgg16_example():
    r = live_result(format_network(*EXAMPLES["VGG-16 (224)"]))
    assert r["ok"] and r["params"] == zoo.vgg(16).total_params == 138_357_544
    assert r["params_text"] == "138,357,544"


def test_live_result_names_the_line_of_a_layer_that_cannot_run():
    text = "input 1 28 28\n# comment\nconv 8 3\n\nflatten\nbn"
    r = live_result(text)
    assert not r["ok"] and r["line"] == 6 and r["html"] == "" and r["params"] is None
    assert r["message"].startswith("line 6: layer 3 (bn1): BatchNorm2d()"), r["message"]
    r = live_result("input 1 8 8\nconv 4 9")
    assert r["line"] == 2 and "kernel 9 is larger than the padded input 8" in r["message"]


def test_live_result_never_raises():
    rng = random.Random(5)
    alphabet = "input conv pool dense flatten relu bn gap dropout 0123456789 sp#x.-,\n\t\x00é"
    for _ in range(2000):
        text = "input 1 28 28\n" * rng.randint(0, 1) + "".join(
            rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        r = live_result(text)
        assert set(r) == {"ok", "html", "params", "params_text", "message", "line"}
        assert r["ok"] == (r["message"] == "") == (r["params"] is not None)
    for bad in (None, 3, b"input 1 2 2", ["relu"], {"text": "x"}):
        assert live_result(bad)["ok"] is False
    big = "input 1 8 8\n" + "relu\n" * (MAX_LAYERS + 1)
    assert live_result(big)["message"] == f"line {MAX_LAYERS + 2}: more than {MAX_LAYERS} layers"


def test_random_networks_are_valid_varied_and_reproducible():
    texts = [random_network(seed) for seed in range(300)]
    assert texts == [random_network(seed) for seed in range(300)]
    assert len(set(texts)) == 300
    kinds = set()
    for text in texts:
        r = live_result(text)
        assert r["ok"], (text, r["message"])
        shape, spec, *_ = read_network(text)
        kinds |= {item["type"] for item in spec}
        # the total is the sum over the rows of the built Sequential
        model = build(shape, spec)[0]
        assert isinstance(model, Sequential) and r["params"] == sum(row.params for row in model.rows())
    assert kinds == {"conv", "pool", "avgpool", "dense", "flatten", "relu", "bn", "dropout", "gap"}


def test_format_network_round_trips():
    for name, (shape, spec) in EXAMPLES.items():
        got = read_network(format_network(shape, spec))
        assert got[:2] == (shape, spec) and got[3] == "", name
