"""The exercise topic "transposed": output shape and parameters of a ConvTranspose2d.

The generic checks (layers possible, answers equal cnnlib's, no wrong answer reveals the
result, every stored mistake reachable, the static bank) run for this topic too, from
tests/core/test_exercises.py; tests/oracle/test_model_torch.py compares the answers with
PyTorch.  Here: the answers against the formula worked by hand, the typical mistakes'
diagnoses, and the hint.
"""

from __future__ import annotations

import re

import pytest

from cnnlib import ConvTranspose2d
from cnnlib import exercises as E
from cnnlib.exercises.generator import transposed_exercise

EX = transposed_exercise(ConvTranspose2d(64, 3, stride=2, padding=1, output_padding=1), (128, 16, 16))


def test_the_example_from_the_chapter():
    # (16 − 1)·2 − 2·1 + (3 − 1) + 1 + 1 = 32; 128·64·3·3 + 64 = 73,728 + 64 = 73,792
    assert EX.answers == {"output shape": (64, 32, 32), "parameters": 73_792}
    assert "16×16×128" in EX.question and "output_padding 1" in EX.question
    assert "32×32×64" in EX.solution and "73,792" in EX.solution
    assert E.check(EX, "output shape", "32x32x64").correct
    assert E.check(EX, "parameters", "73792").correct


@pytest.mark.parametrize("text, words", [
    ("31x31x64", "output_padding"),                  # forgot output_padding
    ("36x36x64", "removes p = 1 cells"),             # added the padding: 30 + 2 + 4
    ("34x34x64", "(n − 1)·s apart, not n·s"),        # n·s instead of (n − 1)·s
    ("8x8x64", "ordinary convolution"),              # the direct convolution's formula
    ("32x32x128", "number of filters"),              # the input's channels
    ("64x32x32", "wrong order"),                     # channels first with ×
])
def test_typical_shape_mistakes_are_diagnosed(text, words):
    fb = E.check(EX, "output shape", text)
    assert fb.reason == "mistake" and words in fb.message, fb
    assert "32×32×64" not in fb.message


@pytest.mark.parametrize("text, words", [
    ("73728", "weights only"),                       # no bias
    ("24640", "not k"),                              # C_in·C_out·k + C_out
    ("640", "C_in = 128"),                           # C_out·k·k + C_out
    ("1153", "one output channel"),                  # one filter
])
def test_typical_parameter_mistakes_are_diagnosed(text, words):
    fb = E.check(EX, "parameters", text)
    assert fb.reason == "mistake" and words in fb.message, fb
    assert "73,792" not in fb.message


def test_n_times_s_is_diagnosed_when_it_is_wrong():
    ex = transposed_exercise(ConvTranspose2d(8, 3, stride=2), (4, 10, 10))  # (10 − 1)·2 + 3 = 21
    assert ex.answers["output shape"] == (8, 21, 21)
    fb = E.check(ex, "output shape", "20x20x8")
    assert fb.reason == "mistake" and "n·s is only right when" in fb.message


def test_a_wrong_answer_gets_the_formula_with_this_exercises_numbers_not_the_result():
    fb = E.check(EX, "output shape", "30x30x64")
    assert fb.reason == "wrong"
    assert "o = (n − 1)·s − 2p + d·(k − 1) + a + 1" in fb.message
    assert "n = 16, k = 3, s = 2, p = 1, d = 1, a = output_padding = 1" in fb.message
    assert not re.search(r"(?<![\d,])32(?![\d,])", fb.message)


def test_generated_answers_are_the_formula_worked_by_hand():
    for seed in range(300):
        ex = E.generate("transposed", seed)
        (layer,) = ex.layers
        c_in, h, w = ex.in_shape
        k, s, p, a, d = (layer.kernel_size[0], layer.stride[0], layer.padding[0], layer.output_padding[0],
                         layer.dilation[0])
        size = [(n - 1) * s - 2 * p + d * (k - 1) + a + 1 for n in (h, w)]
        assert ex.answers["output shape"] == (layer.out_channels, *size)
        assert ex.answers["parameters"] == c_in * layer.out_channels * k * k + (layer.out_channels if layer.bias
                                                                                 else 0)
        assert a < s or a < d


def test_the_generator_varies_what_matters():
    layers = [E.generate("transposed", seed).layers[0] for seed in range(400)]
    assert {x.stride[0] for x in layers} >= {1, 2, 3, 4}
    assert {x.kernel_size[0] for x in layers} >= {2, 3, 4, 5}
    assert sum(x.output_padding[0] > 0 for x in layers) > 50
    assert sum(x.padding[0] > 0 for x in layers) > 100
    assert any(x.dilation[0] > 1 for x in layers) and any(not x.bias for x in layers)


def test_the_static_bank_of_the_chapter():
    bank = E.static_bank("transposed", 12, seed=1)
    assert len(bank.exercises) == 12 and "transposed convolution" in bank.html
