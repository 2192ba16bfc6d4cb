"""Random layer calls drawn once and used twice: rendered as source text for cnnlib.parse_model, and
built directly as torch / Keras objects from the same drawn arguments (never by running the text).

A :class:`Drawn` call is a name, positional arguments and keyword arguments.  :func:`render`
writes it the way a reader might — a prefix (``nn.``, ``torch.nn.``, ``layers.`` …), numbers
sometimes as literal arithmetic (``64`` → ``8 * 8``, ``2 ** 6``, ``70 - 6``) — and
:func:`build` calls the framework's constructor with the very same values.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Drawn:
    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)

    def build(self, module):
        return getattr(module, self.name)(*self.args, **self.kwargs)


def number(rng: random.Random, v) -> str:
    """An int written as itself or as literal arithmetic that evaluates to it."""
    if type(v) is not int or v < 0 or rng.random() < 0.6:
        return repr(v)
    forms = [f"{v + 3} - 3", f"({v} + 0)", f"{v} * 1"]
    if v > 1:
        for a in range(2, min(v, 12) + 1):
            if v % a == 0:
                forms.append(f"{a} * {v // a}")
        p = v.bit_length() - 1
        if v == 2**p:
            forms.append(f"2 ** {p}")
        forms.append(f"{v * 2} // 2")
    return rng.choice(forms)


def value(rng: random.Random, v) -> str:
    if isinstance(v, tuple):
        inner = ", ".join(value(rng, x) for x in v)
        return f"({inner},)" if len(v) == 1 else f"({inner})"
    if isinstance(v, list):
        return "[" + ", ".join(value(rng, x) for x in v) + "]"
    return number(rng, v)


def render(rng: random.Random, prefix: str, call: Drawn) -> str:
    parts = [value(rng, a) for a in call.args]
    parts += [f"{k}={value(rng, v)}" for k, v in call.kwargs.items()]
    return f"{prefix}{call.name}({', '.join(parts)})"


def split(rng: random.Random, sig: list, values: dict) -> tuple:
    """Some leading arguments positional (in signature order), the rest as keywords."""
    cut = 0
    while cut < len(sig) and sig[cut] in values and rng.random() < 0.6:
        cut += 1
    return tuple(values[n] for n in sig[:cut]), {n: v for n, v in values.items() if n not in sig[:cut]}


def agree(agreement, kind: str, seed: int, text: str, expected, got) -> None:
    """cnnlib's answer equals the framework's (None: both raise); counted under `kind`."""
    assert got == expected, f"seed {seed}: {kind}: framework {expected}, cnnlib {got}\n{text}"
    c = agreement[kind]
    c["examples"] += 1
    c["both_raised" if expected is None else "both_ok"] += 1


def coverage(cases) -> tuple:
    """({raised?} outcomes, drawn layer names) of (drawn calls, expected) pairs: what a generator reached."""
    outcomes, names = set(), set()
    for drawn, expected in cases:
        outcomes.add(expected is None)
        names.update(d.name for d in drawn)
    return outcomes, names
