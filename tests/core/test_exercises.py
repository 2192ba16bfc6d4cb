"""cnnlib.exercises: generators, the checker, the static bank.

* Every generated exercise describes a layer that cnnlib accepts, with answers equal to
  cnnlib's (tests/oracle/test_model_torch.py checks them against PyTorch 2.13).
* The checker accepts the equivalent formats, rejects garbage with a message, never
  raises, and every message path (correct, empty, unreadable, kind, mistake, wrong,
  unknown-answer, error) is reached.
* The static bank is deterministic, small and self-contained; the JavaScript
  canonicaliser embedded in it agrees with the Python one (run with node).
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import re
import shutil
import subprocess

import pytest

from cnnlib import Conv2d, Flatten
from cnnlib import exercises as E
from cnnlib.exercises import checker as check_module
from cnnlib.shapes import shape_text

N_GENERATED = int(os.environ.get("CNNLIB_EXERCISES", "300"))
NODE = shutil.which("node") or "/usr/bin/node"


def _chain(ex):
    shapes = [ex.in_shape]
    for layer in ex.layers:
        shapes.append(layer.output_shape(shapes[-1]))
    return shapes


def _text(reading: str) -> str:
    """A canonical reading back to something a reader would type."""
    head, _, body = reading.partition(":")
    if head == "n":
        return f"{int(body):,}"
    if head == "x":
        return "×".join(body.split(","))
    return "(" + ", ".join(body.split(",")) + ")"


# ---------------------------------------------------------------- generators


@pytest.mark.parametrize("topic", list(E.TOPICS))
def test_generated_layers_are_possible_and_answers_match_cnnlib(topic):
    seen = set()
    for seed in range(400):
        ex = E.generate(topic, seed)
        assert ex == E.generate(topic, seed)  # deterministic
        shapes = _chain(ex)  # raises ShapeError for an impossible layer
        assert all(min(s) >= 1 for s in shapes)
        for name, value in ex.answers.items():
            if name == "output shape":
                assert value == shapes[-1]
            elif name == "parameters":
                assert value == sum(la.params(s) for la, s in zip(ex.layers, shapes))
            elif name == "flattened size":
                i = next(i for i, la in enumerate(ex.layers) if isinstance(la, Flatten))
                assert value == shapes[i + 1][0]
            elif name in ("receptive field", "jump"):  # the recurrence, from the hyper-parameters
                r = j = 1
                for la in ex.layers:
                    k, d = la.kernel_size[0], la.dilation[0]
                    r, j = r + (k - 1) * d * j, j * (la.stride or la.kernel_size)[0]
                assert value == (r if name == "receptive field" else j)
            else:  # pragma: no cover
                pytest.fail(f"unknown answer {name}")
            # the solution states the answer; no mistake is a right answer
            shown = shape_text(value) if isinstance(value, tuple) else f"{value:,}"
            assert shown in ex.solution
            assert not set(ex.mistakes[name]) & set(E.accepted_readings(value))
        assert ex.question.count("?") >= 1 and ("H×W×C" in ex.question or "62,378,344" in ex.question)
        seen.add(ex.question)
    assert len(seen) > (60 if topic == "bottleneck" else 300), "the generator should vary"


def test_unknown_topic():
    with pytest.raises(ValueError, match="unknown topic"):
        E.generate("nonsense")


def test_bank_has_distinct_exercises():
    b = E.bank("conv_output", 30, seed=4)
    assert len(b) == 30 and len({e.question for e in b}) == 30


def test_the_example_from_the_issue():
    ex = E.conv_output_exercise(Conv2d(128, 3, stride=2, padding=1), (64, 57, 57))
    assert ex.answers == {"output shape": (128, 29, 29)}
    assert "57×57×64" in ex.question and "(64, 57, 57)" in ex.question
    fb = E.check(ex, "output shape", "56x56x128")
    assert not fb.correct and fb.reason == "wrong"
    # the first wrong answer gets which numbers are right and the formula with this
    # exercise's numbers, never the result (29) or the working
    assert "Channels are right; height and width are not." in fb.message
    assert "n = 57, k = 3, s = 2, p = 1" in fb.message and "29" not in fb.message
    assert "show the solution" in fb.message


# ----------------------------------------------------------------- checker


def _number_exercise(value=62_378_344):
    ex = E.generate("conv_params", 0)
    return dataclasses.replace(ex, answers={"parameters": value},
                               working={"parameters": (("parameters", f"x = {value:,}"),)},
                               mistakes={"parameters": {"n:1": "One is lonely."}})


SHAPE_EX = E.conv_output_exercise(Conv2d(96, 11, stride=4), (3, 227, 227))  # (96, 55, 55)


@pytest.mark.parametrize("text", [
    "55x55x96", "55×55×96", "55 x 55 x 96", "55X55X96", "55*55*96", " 55 × 55 × 96 ", "55\u2009×\u200955×\u200996",
    "(96, 55, 55)", "(96,55,55)", "[96, 55, 55]", "(96, 55, 55,)", "96,55,55", "96, 55, 55", "( 96 , 55 , 55 )",
    "055x55x96",
])
def test_shape_formats_accepted(text):
    fb = E.check(SHAPE_EX, "output shape", text)
    assert fb.correct, (text, fb)
    assert fb.reason == "correct" and "55×55×96" in fb.message and "(96, 55, 55)" in fb.message


@pytest.mark.parametrize("text", ["62,378,344", "62378344", "62 378 344", "62_378_344", "62'378'344",
                                  "62\u202f378\u202f344", 62378344, "062378344"])
def test_number_formats_accepted(text):
    fb = E.check(_number_exercise(), "parameters", text)
    assert fb.correct and fb.message == "Right: 62,378,344.", (text, fb)


@pytest.mark.parametrize("text, reason", [
    ("", "empty"), ("   ", "empty"), (None, "empty"),
    ("lots", "unreadable"), ("55.5", "unreadable"), ("-3", "unreadable"), ("(96, 55", "unreadable"),
    ("55x", "unreadable"), ("x55", "unreadable"), ("(55x55x96)", "unreadable"), ("6.2e7", "unreadable"),
    ("((1,2))", "unreadable"), ("1,2,,3", "unreadable"), ("５５", "unreadable"),
])
def test_garbage_rejected_with_a_message(text, reason):
    for ex, name in ((SHAPE_EX, "output shape"), (_number_exercise(), "parameters")):
        fb = E.check(ex, name, text)
        assert not fb.correct and fb.message
        assert fb.reason == reason, (text, fb)
    assert E.check(SHAPE_EX, "output shape", "lots").message.startswith("Could not read “lots”")


def test_kind_messages():
    fb = E.check(SHAPE_EX, "output shape", "55")
    assert fb.reason == "kind" and "3 numbers" in fb.message
    fb = E.check(SHAPE_EX, "output shape", "55x55")
    assert fb.reason == "kind"
    fb = E.check(_number_exercise(), "parameters", "55x55x96")
    assert fb.reason == "kind" and "one number" in fb.message
    # a bare 62,378,344 is a number (and a 3-list); as a shape answer it is a list
    fb = E.check(SHAPE_EX, "output shape", "62,378,344")
    assert fb.reason == "wrong" and "you answered (62, 378, 344), read as (C, H, W)" in fb.message


def test_wrong_answers_get_a_hint_not_the_answer():
    fb = E.check(SHAPE_EX, "output shape", "(96, 54, 55)")
    assert fb.reason == "wrong" and "read as (C, H, W)" in fb.message
    assert "Width and channels are right; height is not." in fb.message
    assert "Hint: o = ⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1" in fb.message
    assert "= 55" not in fb.message and "55×55×96" not in fb.message
    fb = E.check(SHAPE_EX, "output shape", "7x7x7")
    assert "None of its numbers is right." in fb.message
    fb = E.check(_number_exercise(), "parameters", "62,378,343")
    assert fb.reason == "wrong" and "you answered 62,378,343" in fb.message
    assert "62,378,344" not in fb.message and "Hint:" in fb.message


@pytest.mark.parametrize("topic", list(E.TOPICS))
def test_no_wrong_answer_reveals_the_result(topic):
    """Off-by-one, doubled and order-swapped answers: the verdict never contains the
    right answer in either notation, only the solution does."""
    for seed in range(40):
        ex = E.generate(topic, seed)
        for name, value in ex.answers.items():
            if isinstance(value, tuple):
                c, h, w = value
                tries = [f"{h + 1}x{w}x{c}", f"{h}x{w + 2}x{c + 1}", f"({c * 2}, {h}, {w})", "1x1x1"]
                secrets = [shape_text(value), f"({c}, {h}, {w})"]
            else:
                tries = [str(value + 1), str(value * 2), "7" if value != 7 else "9999"]
                secrets = [f"{value:,}"]
            for text in tries:
                fb = E.check(ex, name, text)
                assert not fb.correct
                for secret in secrets:  # (unless the question gives it, e.g. H = W = 1)
                    hidden = re.search(rf"(?<![\d,]){re.escape(secret)}(?![\d,])", fb.message)
                    assert not hidden or secret in ex.question, (topic, seed, text, secret, fb.message)


def test_mistakes_are_diagnosed():
    fb = E.check(SHAPE_EX, "output shape", "96x55x55")  # channels first with ×
    assert fb.reason == "mistake" and "wrong order" in fb.message and "H×W×C" in fb.message
    fb = E.check(SHAPE_EX, "output shape", "(55, 55, 96)")
    assert fb.reason == "mistake" and "channels first" in fb.message
    fb = E.check(SHAPE_EX, "output shape", "55x55x3")
    assert fb.reason == "mistake" and "number of filters" in fb.message
    fb = E.check(SHAPE_EX, "output shape", "217x217x96")  # stride 1
    assert fb.reason == "mistake" and "stride" in fb.message
    fb = E.check(_number_exercise(), "parameters", "1")
    assert fb.reason == "mistake" and "One is lonely." in fb.message and "62,378,344" not in fb.message


@pytest.mark.parametrize("topic", list(E.TOPICS))
def test_every_stored_mistake_is_reachable(topic):
    for seed in range(60):
        ex = E.generate(topic, seed)
        for name, mistakes in ex.mistakes.items():
            for reading, message in mistakes.items():
                fb = E.check(ex, name, _text(reading))
                if fb.reason != "mistake":  # an earlier reading of the same text won
                    assert fb.reason in ("mistake", "correct") or reading.startswith("t:"), (reading, fb)
                    continue
                assert message in fb.message


def test_unknown_answer_and_error_paths(monkeypatch):
    fb = E.check(SHAPE_EX, "parameters", "5")
    assert fb.reason == "unknown-answer" and "output shape" in fb.message

    def boom(*a):
        raise KeyError("x")

    monkeypatch.setattr(check_module, "_check", boom)
    fb = E.check(SHAPE_EX, "output shape", "5")
    assert fb == E.Feedback(False, "Could not check this answer (KeyError).", "error")


def test_check_all():
    out = E.check_all(E.generate("dense", 1), {"parameters": "1"})
    assert set(out) == {"flattened size", "parameters"}
    assert out["flattened size"].reason == "empty"


# ----------------------------------------------------------- canonicalisation

SAMPLES = [
    "55x55x96", "55×55×96", "55 x 55 x 96", "55X55X96", "55*55*96", "55✕55✖96", "(96, 55, 55)", "[96,55,55]",
    "(96,55,55,)", "96,55,55", "96, 55, 55,", "62,378,344", "62378344", "62 378 344", "62_378_344",
    "62'378'344", "62’378’344", "0", "000", "007", "1,024", "1,02,4", "1,0245", "7x7x1,024", "7x7x1,02",
    "", "   ", "\t\n", "abc", "55.5", "-3", "+3", "(", ")", "()", "[]", "(1)", "(1,)", "[1,2]", "(1,2]",
    "((1))", "x", "xx", "1x", "x1", "1xx2", "(1x2)", "1,", ",1", "1,,2", "６２", "62\u00a0378", "62\u202f378",
    "62\u2009378", "1e6", "१२३", "12\u2028", "١٢", "55×55×96 ", "55 × 55 × 96\n", "1_000_000", "Ⅻ",
    "99999999999999999999999999", "(99999999999999999999, 1)", "😀", "1😀", "(😀)",
    "96x55x55 (CxHxW)", "CHW: 96, 55, 55", "(55, 55, 96) (H, W, C)", "c,h,w=96,55,55", "96x55x55 [CHW]",
    "96x55x55(CHH)", "96x55(CxHxW)", "CHW:", "(CHW)", "W×H×C: 5×6×7", "62,378,344 (CHW)", "HWC:(CHW)",
    "CHW:HWC:1x2x3", "1x2x3(HWC)(CHW)", "chw:", "CH:1x2x3", "CHWC:1x2x3",
]


def test_python_canonicalise_examples():
    assert E.canonicalise("55 x 55 x 96") == (("x:55,55,96",), None)
    assert E.canonicalise("(96, 55, 55)") == (("t:96,55,55",), None)
    assert E.canonicalise("62 378 344") == (("n:62378344",), None)
    assert E.canonicalise("62,378,344") == (("n:62378344", "t:62,378,344"), None)
    assert E.canonicalise("1,0245") == (("t:1,245",), None)
    assert E.canonicalise("") == ((), "empty")
    assert E.canonicalise("６２") == ((), "format")  # full-width digits are not read
    # another order only with a label saying which
    assert E.canonicalise("96x55x55 (C×H×W)") == (("t:96,55,55",), None)
    assert E.canonicalise("H, W, C: (55, 55, 96)") == (("t:96,55,55",), None)
    assert E.canonicalise("96x55x55 (CHH)") == ((), "format")


@pytest.mark.parametrize("text", ["96×55×55 (C×H×W)", "CHW: 96×55×55", "(55, 55, 96) (H, W, C)",
                                  "HWC = 55, 55, 96", "55×96×55 (H×C×W)"])
def test_other_orders_accepted_when_labelled(text):
    fb = E.check(SHAPE_EX, "output shape", text)
    assert fb.correct, (text, fb)


@pytest.mark.parametrize("text", ["96×55×55", "(55, 55, 96)"])
def test_other_orders_unlabelled_are_the_order_mistake(text):
    fb = E.check(SHAPE_EX, "output shape", text)
    assert fb.reason == "mistake" and "wrong order" in fb.message


@pytest.mark.skipif(not os.path.exists(NODE), reason="node is not installed")
def test_js_and_python_canonicalise_agree(tmp_path):
    html = E.static_bank("conv_output", 3, seed=0).html
    assert E.CANON_JS in html  # the page runs exactly this function
    script = tmp_path / "canon.js"
    script.write_text(E.CANON_JS + """
const inputs = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(inputs.map(cnnlibCanon)));
""", encoding="utf-8")
    rng = random.Random(0)  # plus fuzz: strings over the characters the canonicaliser cares about
    alphabet = "0123456789012345,,xX×*✕ ()[]_'’.-a\u00a0\u2009\u202f\t\n\u2028６CHWchw:="
    inputs = SAMPLES + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(5000)]
    inputs += [rng.choice(("", "(", "[")) + rng.choice(("x", ",", ", ", " × ")).join(
        str(rng.randint(0, 3000)) for _ in range(rng.randint(1, 4))) + rng.choice(("", ")", "]", ",)"))
        for _ in range(2000)]
    labels = ["".join(rng.sample("CHW", 3)) for _ in range(8)] + ["C×H×W", "c, h, w", "HxWxC", "CHC", "HW"]
    inputs += [(f"{rng.choice(labels)}{rng.choice(':=')} {text}" if rng.random() < 0.5
                else f"{text} {rng.choice('([')}{rng.choice(labels)}{rng.choice(')]')}")
               for text in inputs[-2000:]]
    out = subprocess.run([NODE, str(script)], input=json.dumps(inputs), capture_output=True, text=True,
                         check=True, timeout=60)
    js = json.loads(out.stdout)
    assert len(js) == len(inputs)
    for text, got in zip(inputs, js):
        readings, error = E.canonicalise(text)
        assert (tuple(got["readings"]), got["error"]) == (readings, error), repr(text)


# ------------------------------------------------------------------ static bank


@pytest.mark.parametrize("topic", list(E.TOPICS))
def test_static_bank_deterministic_small_self_contained(topic):
    a, b = E.static_bank(topic, 20, seed=3), E.static_bank(topic, 20, seed=3)
    assert a.html == b.html and a._repr_html_() == a.html
    assert repr(a) == f"StaticBank({topic!r}, 20 exercises, seed=3)"
    assert len(a.html.encode()) <= 100_000
    assert f'id="cnnlib-ex-{topic}-3-20"' in a.html
    assert E.static_bank(topic, 20, seed=4).html != a.html
    assert not re.search(r"(src|href)\s*=|https?://|@import|uuid|Math\.random", a.html)
    for role in ("number", "question", "answers", "check", "solution-button", "solution", "next", "bank-data"):
        assert f'data-role="{role}"' in a.html
    assert re.search(r'data-role="solution" hidden>', a.html)
    blob = re.search(r'<script type="application/json" data-role="bank-data">(.*?)</script>', a.html, re.DOTALL)
    assert "<" not in blob.group(1)
    data = json.loads(blob.group(1))
    assert len(data["items"]) == 20
    for item, ex in zip(data["items"], a.exercises):
        assert item["question"] == ex.question and item["solution"] == ex.solution
        for ans in item["answers"]:
            value = ex.answers[ans["name"]]
            assert ans["accept"] == list(E.accepted_readings(value))
            assert ans["right"] == E.check(ex, ans["name"], _text(ans["accept"][0])).message


def test_static_bank_escapes_html():
    b = E.static_bank("dense", 2, seed=0)
    assert "<script>" in b.html and b.html.count("<script") == 2


# --------------------------------------------------------------- live widget


def test_pure_html_helpers():
    ex = E.generate("dense", 5)
    assert "Flatten and a dense layer" in E.question_html(ex) and "<br>" in E.question_html(ex)
    fbs = E.check_all(ex, {"flattened size": str(ex.answers["flattened size"]), "parameters": "<b>"})
    html = E.feedback_html(fbs)
    assert "✓ flattened size" in html and "✗ parameters" in html and "&lt;b&gt;" in html
    assert "Solution." in E.solution_html(ex)
    assert E.next_seed(41) == 42


# ---------------------------------------------------------------- the live page's banks


@pytest.mark.parametrize("topic", list(E.TOPICS))
def test_another_is_the_generator_and_steps_through_seeds(topic):
    item = E.another(topic, after=99)
    ex = E.generate(topic, 100)
    assert item["seed"] == 100 and item["topic"] == topic and item["question"] == ex.question
    assert [a["name"] for a in item["answers"]] == list(ex.answers) and item["solution"] == ex.solution
    assert item["title"] == "Generated exercise, seed 100"
    assert E.another(topic, after="100")["seed"] == E.next_seed(100) == 101
    json.dumps(item)  # the page receives it as JSON
    drawn = E.another(topic)  # no seed: drawn at random
    assert drawn["question"] == E.generate(topic, drawn["seed"]).question


@pytest.mark.parametrize("topic", list(E.TOPICS))
def test_check_answers_is_the_checker(topic):
    for seed in range(20):
        ex = E.generate(topic, seed)
        right = {name: (shape_text(v) if isinstance(v, tuple) else f"{v:,}") for name, v in ex.answers.items()}
        got = E.check_answers(topic, seed, right)
        assert all(v["correct"] and v["state"] == "correct" for v in got.values()), got
        wrong = {name: ("1×1×1" if isinstance(v, tuple) else str(v + 1)) for name, v in ex.answers.items()}
        got = E.check_answers(topic, str(seed), wrong)
        for name, v in got.items():
            assert not v["correct"] and v["state"] == "wrong", (name, v)
            assert v["message"] == E.check(ex, name, wrong[name]).message
        got = E.check_answers(topic, seed, {})
        assert all(v["state"] == "format" and v["reason"] == "empty" for v in got.values())
        json.dumps(got)


@pytest.mark.parametrize("args", [("nope", 1, {}), ("pool", None, {}), ("pool", "x", {}), ("pool", "-1", {}),
                                  ("pool", True, {}), ("pool", 1, ["a"]), ("pool", 1.5, {})])
def test_live_exercise_calls_never_raise(args):
    assert "error" in E.check_answers(*args)
    assert "error" in E.another("nope")
    assert E.check_answers("pool", 1, {"output shape": None, "extra": 3})["output shape"]["state"] == "format"
