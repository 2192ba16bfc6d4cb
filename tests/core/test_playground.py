"""cnnlib.playground: build/parse never raise, presets hand-checked, render and the live UI."""

from __future__ import annotations

import random

import pytest

from cnnlib.playground import PRESETS, build, format_spec, parse, render, render_for

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
