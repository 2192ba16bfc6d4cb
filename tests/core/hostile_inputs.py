"""Hostile texts for cnnlib.parse_model, shared by tests/core/test_parse.py and bench/parse.py.

Each would do harm, or take long, if the text were run or parsed naively: run commands, write
``witness`` (a path that must still not exist afterwards), set globals, import modules, compute
10**10**10, nest brackets 10,000 deep, or hold a megabyte of text or 100,000 layers.  Every one
must be refused with a ShapeError naming a line, quickly.
"""

from __future__ import annotations

#: modules a payload tries to import; none may be in sys.modules afterwards
IMPORTED = ("antigravity", "this", "webbrowser", "ctypes")


def payloads(witness: str) -> dict:
    """name → text; `witness` is a file path the payloads try to create."""
    w = repr(witness)
    return {
        # running code
        "__import__ os.system": f"__import__('os').system('touch ' + {w})",
        "__import__ in an argument": f"nn.Sequential(nn.Conv2d(3, 8, __import__('os').system('touch ' + {w})))",
        "open() in an argument": f"nn.Sequential(nn.Linear(open({w}, 'w').write('x'), 3))",
        "open() as a statement": f"open({w}, 'w').write('pwned')",
        "eval": f"eval(\"open({w}, 'w')\")",
        "exec": f"exec(\"open({w}, 'w')\")",
        "compile": "compile('1', 'x', 'eval')",
        "import antigravity": "import antigravity\nnn.Sequential(nn.ReLU())",
        "import this in keras": "import keras\nimport this",
        "from ctypes": "from ctypes import CDLL",
        "__import__ webbrowser": "keras.Sequential([layers.Dense(__import__('webbrowser').open('x'))])",
        "globals() set": "globals()['PWNED'] = 1\nnn.Sequential(nn.ReLU())",
        "setattr builtins": "nn.Sequential(nn.Linear(setattr(__builtins__, 'PWNED', 1), 3))",
        "attribute chain": "nn.Sequential(nn.Conv2d.__class__.__bases__[0].__subclasses__())",
        "dunder on a layer": "nn.Sequential(nn.ReLU.__init__.__globals__['sys'].exit())",
        "dunder attribute as a layer": "nn.Sequential(nn.Conv2d.__class__)",
        "torch attribute value": "nn.Sequential(nn.Linear(3, 4, dtype=torch.float64))",
        "model method": "model = nn.Sequential(nn.ReLU())\nmodel.register_forward_hook(print)",
        "lambda": "nn.Sequential(nn.Linear((lambda: 3)(), 3))",
        "comprehension": "nn.Sequential(*[nn.ReLU() for _ in range(10**9)])",
        "generator": "nn.Sequential(nn.Linear(sum(i for i in range(10**9)), 3))",
        "walrus": "nn.Sequential(nn.Linear((x := 3), 3))",
        "f-string": f"nn.Sequential(nn.Upsample(mode=f'{{open({w}, \"w\")}}'))",
        "subscript": "nn.Sequential(nn.ReLU())[0]",
        "name as a value": "n = 3\nnn.Sequential(nn.Linear(n, 3))",
        "class": "class Net(nn.Module):\n    def forward(self, x):\n        return x",
        "function": "def f():\n    return nn.Sequential(nn.ReLU())",
        "decorator": "@eval\ndef f(): pass",
        "with": f"with open({w}, 'w'): pass",
        "if __main__": "if __name__ == '__main__':\n    nn.Sequential(nn.ReLU())",
        "star kwargs": "nn.Sequential(nn.Linear(**{'in_features': 3, 'out_features': 2}))",
        "from torch.nn import *": "from torch.nn import *",
        "relative import": "from . import x",
        # huge numbers, bounded before computing
        "10**10**10": "nn.Sequential(nn.Linear(10**10**10, 5))",
        "9**9**9": "nn.Sequential(nn.Linear(9**9**9, 5))",
        "2**10**8 in an input": "keras.Sequential([keras.Input(shape=(2**10**8,)), layers.Dense(3)])",
        "product of huge": "nn.Sequential(nn.Linear(10**290 * 10**290, 5))",
        "(-8) ** 0.5": "nn.Sequential(nn.Dropout((-8) ** 0.5))",
        "float overflow": "nn.Sequential(nn.Dropout(1e308 * 10))",
        "division by zero": "nn.Sequential(nn.Linear(1 // 0, 3))",
        "string times a number": "nn.Sequential(nn.Upsample(mode='a' * 10**9))",
        "tuple times a number": "nn.Sequential(nn.ZeroPad2d((1,) * 10**9))",
        "4,000-digit literal": "nn.Sequential(nn.Linear(" + "9" * 4000 + ", 3))",
        "complex": "nn.Sequential(nn.Dropout(1j))",
        "bytes": "nn.Sequential(nn.Upsample(mode=b'nearest'))",
        # nesting
        "((((…)))) 10,000 deep": "(" * 10_000 + "1" + ")" * 10_000,
        "nested nn.Sequential 1,000 deep": "nn.Sequential(" * 1_000 + "nn.ReLU()" + ")" * 1_000,
        "[[[…]]] 100 deep": "nn.Sequential(nn.ZeroPad2d(" + "[" * 100 + "1" + "]" * 100 + "))",
        "1+1+… 12,000 terms": "nn.Sequential(nn.Linear(" + "+".join(["1"] * 12_000) + ", 3))",
        "1+1+… 500 terms": "nn.Sequential(nn.Linear(" + "+".join(["1"] * 500) + ", 3))",
        "unary minus 25,000": "nn.Sequential(nn.Linear(" + "-" * 25_000 + "1, 3))",
        "not not …": "not " * 20_000 + "1",
        "indentation 200 deep": "".join(" " * i + "if 1:\n" for i in range(200)),
        # size
        "1 MB of text": "# " + "x" * 1_000_000,
        "1 MB of layers": "nn.Sequential(" + "nn.ReLU()," * 99_990 + ")",
        "100,000 layers (model.add)": "model = keras.Sequential()\n" + "model.add(layers.ReLU())\n" * 100_000,
        "2,500 layers": "# input: 8\nnn.Sequential(" + "nn.ReLU()," * 2_500 + ")",
        "1,001 layers on lines": "input 8\nmodel = keras.Sequential()\n" + "model.add(layers.ReLU())\n" * 1_001,
        "a million newlines": "\n" * 999_000,
        "a 20,000-character string": "nn.Sequential(nn.Upsample(mode='" + "a" * 20_000 + "'))",
        "2,000 statements on a line": ";".join(["nn.Sequential()"] * 2_000),
        # just under the code limit: the most work ast.parse is given
        "names up to the code limit": "nn.Sequential(" + "a," * 14_990 + ")",
        "calls up to the code limit": "nn.Sequential(" + "a()," * 7_490 + ")",
        "a comparison up to the code limit": "x = 1" + "<1" * 14_990,
        "numbers up to the code limit": "nn.Sequential(nn.ZeroPad2d([" + "1," * 14_980 + "]))",
        # long names, quoted back shortened
        "a 28,000-character layer name": "nn.Sequential(nn." + "Conv2d" * 4_800 + "(3, 8, 3))",
        "a 28,000-character keyword": "input 3 8 8\nnn.Sequential(nn.Conv2d(3, 8, 3, " + "stride" * 4_800 + "=1))",
        "a 28,000-character import": "import " + "torch" * 5_600,
        # the input line is read before the parser, token by token (a regex once backtracked here)
        "input and 100,000 spaces": "input 1" + " " * 100_000 + "a",
        "# input and 100,000 spaces": "# input 1" + " " * 100_000 + "a\nnn.Sequential(nn.Conv2d(1, 2, 3))",
        "input and 100,000 brackets": "input " + "(" * 100_000,
        "input and 50,000 commas": "input 1," + " ," * 50_000,
        # characters
        "NUL byte": "nn.Sequential(nn.ReLU())\x00",
        "NUL in a comment": "# \x00\nnn.Sequential(nn.ReLU())",
        "escape sequence": "nn.Sequential(nn.ReLU())\x1b[2J",
        "bidi override (Trojan Source)": "nn.Sequential(nn.ReLU()) # \u202e )(Ulr.nn",
        "right-to-left isolate": "nn.Sequential(nn.ReLU(\u2067))",
        "fullwidth nn": "\uff4e\uff4e.Sequential(\uff4e\uff4e.ReLU())",
        "fullwidth eval": "\uff45\uff56\uff41\uff4c('1')",
        "Cyrillic C in Conv2d": "nn.Sequential(nn.\u0421onv2d(3, 8, 3))",
        "Cyrillic s in 'same'": "keras.Sequential([layers.Conv2D(3, 3, padding='\u0455ame', input_shape=(8, 8, 3))])",
        "zero-width space": "nn.Sequen\u200btial(nn.ReLU())",
        "line separator": "nn.Sequential(nn.ReLU())\u2028eval('1')",
        "not text": b"nn.Sequential(nn.ReLU())",
    }
