"""Command line: ``python -m cnnlib summary vgg16``, ``… conv --n 227 --kernel 11 --stride 4``.

Commands

* ``summary MODEL [--input-size N] [--variant V] [--batch-norm] [--num-classes K] [--n N]
  [--order HWC|CHW] [--bytes B] [--batch N]`` — the model's table and totals
  (MODEL: alexnet, vgg11…vgg19, vgg16_bn…, lenet5, nin, googlenet, resnet18…152,
  densenet121…201, mobilenet_v2, squeezenet1_0, squeezenet1_1, unet, unet_padded,
  dcgan_generator, dcgan_discriminator, face_net, keras_case1…3, keras_conv1d, plain_chain).
* ``summary --code FILE [--input-shape C,H,W]`` — the same for a model written in FILE (``-``:
  standard input) as PyTorch or Keras code or the playground's lines
  (:func:`cnnlib.parse.parse_model`; the code is read, never run).
* ``conv --n N --kernel K [--stride S] [--padding P|valid|same] [--dilation D]`` — the
  output size with the formula and the numbers plugged in.
* ``pool --n N --kernel K [--stride S] [--padding P] [--dilation D] [--ceil-mode]``.
* ``models`` — the names ``summary`` accepts.

``--format table|csv|json|markdown`` (default table). Bad input exits with status 2 and one
line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from fractions import Fraction

from .arithmetic import (
    conv_formula,
    conv_output_size,
    fmt_exact,
    pool_formula,
    pool_output_size,
    same_padding,
)
from .errors import ShapeError
from .shapes import ORDERS

__all__ = ["main", "run"]

FORMATS = ("table", "csv", "json", "markdown")


class _UsageError(Exception):
    """A bad command line; becomes one line on stderr and exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse prints usage + error and exits; we want one line
        raise _UsageError(f"{self.prog}: error: {message}")


def _padding(text: str):
    if text.lower() in ("valid", "same"):
        return text.lower()
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"padding must be a whole number, 'valid' or 'same', got {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="cnnlib", description="CNN arithmetic: sizes, parameters, MACs, memory.")
    fmt = {"choices": FORMATS, "default": "table", "help": "output format (default: table)"}
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    s = sub.add_parser("summary", help="a zoo model's (or your code's) table and totals")
    s.add_argument("model", nargs="?", help="model name (see `cnnlib models`)")
    s.add_argument("--code", metavar="FILE",
                   help="read the model from FILE ('-': stdin): nn.Sequential(...), keras.Sequential(...) "
                        "or playground lines; never run")
    s.add_argument("--input-shape", metavar="C,H,W", help="with --code: the input shape, channels first")
    s.add_argument("--input-size", type=int, help="input height = width")
    s.add_argument("--variant", help="alexnet: single, two_tower or torchvision")
    s.add_argument("--batch-norm", action="store_true", help="vgg: BatchNorm after each conv")
    s.add_argument("--num-classes", type=int, help="size of the last dense layer")
    s.add_argument("--n", type=int, help="face_net: number of identities (outputs)")
    s.add_argument("--order", choices=("HWC", "CHW"), default="HWC",
                   help="shape order in the table (default HWC, as the sources write 55×55×96)")
    s.add_argument("--bytes", type=int, default=4, help="bytes per element for memory (default 4)")
    s.add_argument("--batch", type=int, default=1, help="batch size for memory (default 1)")
    s.add_argument("--format", **fmt)

    for name in ("conv", "pool"):
        c = sub.add_parser(name, help=f"{name} output size along one dimension, with the formula")
        c.add_argument("--n", type=int, required=True, help="input size n")
        c.add_argument("--kernel", "-k", type=int, required=True, help="kernel size k")
        c.add_argument("--stride", "-s", type=int, default=None if name == "pool" else 1,
                       help="stride s (pool default: the kernel size)")
        c.add_argument("--padding", "-p", type=_padding, default=0,
                       help="padding p on each side, or valid / same")
        c.add_argument("--dilation", "-d", type=int, default=1, help="dilation d")
        if name == "pool":
            c.add_argument("--ceil-mode", action="store_true", help="PyTorch's ceil_mode")
        c.add_argument("--format", **fmt)

    m = sub.add_parser("models", help="the model names summary accepts")
    m.add_argument("--format", **fmt)
    return p


# ------------------------------------------------------------------- commands


def _read_code(path: str) -> str:
    """The text of FILE or of stdin ('-'), at most one character more than parse_model reads."""
    from .parse import MAX_TEXT

    try:
        if path == "-":
            return sys.stdin.read(MAX_TEXT + 1)
        with open(path, encoding="utf-8") as f:
            return f.read(MAX_TEXT + 1)
    except (OSError, UnicodeDecodeError) as e:
        raise _UsageError(f"cannot read {path}: {e}") from None


def _input_shape(text: str) -> tuple:
    words = text.replace(",", " ").replace("x", " ").replace("×", " ").split()
    try:
        return tuple(int(w) for w in words)
    except ValueError:
        raise _UsageError(f"--input-shape must be whole numbers such as 3,32,32; got {text!r}") from None


def _build(args):
    from .zoo import MODELS

    if args.code is not None:
        from .parse import parse_model

        if args.model is not None:
            raise _UsageError("give a model name or --code FILE, not both")
        zoo_only = [f"--{k.replace('_', '-')}" for k in ("input_size", "variant", "num_classes", "n")
                    if getattr(args, k) is not None] + (["--batch-norm"] if args.batch_norm else [])
        if zoo_only:
            raise _UsageError(f"--code does not take {', '.join(zoo_only)} (they choose a zoo model)")
        shape = _input_shape(args.input_shape) if args.input_shape is not None else None
        return parse_model(_read_code(args.code), shape)
    if args.model is None:
        raise _UsageError("summary needs a model name (see `cnnlib models`) or --code FILE")
    if args.input_shape is not None:
        raise _UsageError("--input-shape goes with --code; a zoo model takes --input-size")
    name = args.model.lower().replace("-", "_")
    if name not in MODELS:
        raise _UsageError(f"unknown model {args.model!r}; choose from {', '.join(MODELS)}")
    fn, kw = MODELS[name]
    kw = dict(kw)
    allowed = fn.__code__.co_varnames[:fn.__code__.co_argcount]
    given = {"input_size": args.input_size, "variant": args.variant,
             "num_classes": args.num_classes, "n": args.n}
    if args.batch_norm:
        given["batch_norm"] = True
    for key, value in given.items():
        if value is None:
            continue
        if key not in allowed:
            raise _UsageError(f"{name} does not take --{key.replace('_', '-')}")
        kw[key] = value
    return fn(**kw)


def _summary(args) -> str:
    from . import tables

    model = _build(args)
    mem = model.memory(bytes_per_element=args.bytes, batch=args.batch)
    if args.format == "table":
        return model.table(order=args.order)
    notes = getattr(model, "notes", ())
    if args.format == "markdown":
        return tables.markdown_table(model, order=args.order) + "".join(f"\n\n*Note:* {n}" for n in notes)
    recs = tables.records(model, order=args.order)
    if args.format == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(recs[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(recs)
        return buf.getvalue().rstrip("\n")
    return json.dumps({
        "model": model.name, "input_shape": list(model.input_shape),
        "output_shape": list(model.output_shape), "shape_order": ORDERS[args.order],
        "total_params": model.total_params, "weights": model.weights, "biases": model.biases,
        "buffers": model.buffers, "macs": model.macs, "bias_adds": model.bias_adds,
        "activation_elements": model.activation_elements, "memory": mem.as_dict(),
        "conventions": tables.CONVENTIONS, "layers": recs,
        **({"notes": list(notes)} if notes else {}),
    }, indent=2, ensure_ascii=False)


def _one_dim(args) -> dict:
    n, k, s, p, d = args.n, args.kernel, args.stride, args.padding, args.dilation
    if args.command == "conv":
        out = conv_output_size(n, k, s, p, d)
        if isinstance(p, str):
            before, after = same_padding(n, k, s, d) if p == "same" else (0, 0)
            formula = (f"'{p}': padding {before} before, {after} after; o = ⌈n/s⌉ = ⌈{n}/{s}⌉ = {out}"
                       if p == "same" else conv_formula(n, k, s, 0, d))
            p = f"{p} ({before}+{after})"
        else:
            formula = conv_formula(n, k, s, p, d)
    else:
        ceil = args.ceil_mode
        out = pool_output_size(n, k, s, p, d, ceil)
        s = k if s is None else s
        if isinstance(p, str):
            before, after = same_padding(n, k, s, d) if p == "same" else (0, 0)
            formula = (f"'{p}': o = ⌈n/s⌉ = ⌈{n}/{s}⌉ = {out}" if p == "same"
                       else pool_formula(n, k, s, 0, d, ceil))
        else:
            formula = pool_formula(n, k, s, p, d, ceil)
    rec = {"layer": args.command, "n": n, "kernel": k, "stride": s, "padding": p, "dilation": d,
           "output": out, "formula": formula}
    if not isinstance(args.padding, str):
        exact = Fraction(n + 2 * args.padding - d * (k - 1) - 1, s) + 1
        if exact.denominator != 1:
            how = "rounded up (ceil_mode)" if getattr(args, "ceil_mode", False) else "floored"
            rec["note"] = (f"the exact value {_exact_text(exact)} is not whole; PyTorch {how} it "
                           f"— the last {(n + 2 * args.padding - d * (k - 1) - 1) % s} row(s)/column(s) "
                           f"of the padded input are never covered" if how == "floored" else
                           f"the exact value {_exact_text(exact)} is not whole; {how}")
    return rec


def _exact_text(x: Fraction) -> str:
    """54.25 for a small value; 164703072086692424 + 5/7 when 4 digits would hide the fraction."""
    if abs(x) < 10**6:
        return fmt_exact(x)
    whole = x.numerator // x.denominator
    rest = x - whole
    return f"{whole} + {rest.numerator}/{rest.denominator}"


def _format_one_dim(rec, fmt) -> str:
    if fmt == "json":
        return json.dumps(rec, ensure_ascii=False)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rec), lineterminator="\n")
        w.writeheader()
        w.writerow(rec)
        return buf.getvalue().rstrip("\n")
    if fmt == "markdown":
        return "\n".join(["| " + " | ".join(rec) + " |", "|" + "---|" * len(rec),
                          "| " + " | ".join(str(v) for v in rec.values()) + " |"])
    lines = [f"o = {rec['formula']}" if not rec["formula"].startswith("'") else rec["formula"]]
    if "note" in rec:
        lines.append(rec["note"])
    return "\n".join(lines)


def _models(args) -> str:
    from .zoo import MODELS

    names = list(MODELS)
    if args.format == "json":
        return json.dumps(names)
    return "\n".join(names)


def run(argv=None) -> str:
    """Parse `argv` and return the text to print; raises _UsageError or ShapeError."""
    args = _parser().parse_args(argv)
    if args.command is None:
        raise _UsageError("cnnlib: give a command: summary, conv, pool or models (see --help)")
    if args.command == "summary":
        return _summary(args)
    if args.command == "models":
        return _models(args)
    return _format_one_dim(_one_dim(args), args.format)


def main(argv=None) -> int:
    """Entry point: print the result; on bad input one line on stderr and exit status 2."""
    try:
        text = run(argv)
    except (_UsageError, ShapeError, ValueError, TypeError) as e:
        msg = " ".join(str(e).split())
        if not msg.startswith("cnnlib"):
            msg = f"cnnlib: error: {msg}"
        print(msg, file=sys.stderr)
        return 2
    try:
        print(text)
    except BrokenPipeError:  # `… | head`
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
