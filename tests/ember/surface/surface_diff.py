"""The torch operator surface ember lacks, and which torch functions take ``out=``.

Two modes, run from the repository root (never part of the test suite):

    /work/ref/torch/bin/python tests/ember/surface/surface_diff.py --write
        lists torch 2.13's public callables (``torch``, ``torch.Tensor``, ``torch.nn.functional``,
        ``torch.special``, ``torch.fft``) and the functions whose signature takes ``out=``, into
        ``torch_surface.json`` next to this file;
    .venv/bin/python tests/ember/surface/surface_diff.py [--namespace torch|Tensor|F|special|fft]
        prints the names in that fixture that ember lacks (the list ``docs/not-supported.md``
        summarises), and the ``out=`` functions ember has but that do not accept ``out=``.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import re
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "torch_surface.json"
# namespace key -> (torch module path, ember module path); "Tensor" is the class.
NAMESPACES = {
    "torch": ("torch", "ember"),
    "Tensor": ("torch.Tensor", "ember.Tensor"),
    "F": ("torch.nn.functional", "ember.nn.functional"),
    "special": ("torch.special", "ember.special"),
    "fft": ("torch.fft", "ember.fft"),
    "linalg": ("torch.linalg", "ember.linalg"),
}
OUT_NAMES = HERE.parents[2] / "packages/ember/src/ember/ops/_out_names.py"
# Factory functions take their dtype and device from ``out``; index results need int64 outs.
FACTORIES = [
    "arange",
    "empty",
    "eye",
    "full",
    "linspace",
    "logspace",
    "ones",
    "rand",
    "randint",
    "randn",
    "randperm",
    "range",
    "zeros",
]
INDEX_RESULTS = ["argmax", "argmin", "argsort", "nonzero"]


def _resolve(path: str) -> Any:
    mod, _, attr = path.partition(".Tensor")
    obj = importlib.import_module(mod)
    return getattr(obj, "Tensor") if attr == "" and path.endswith(".Tensor") else obj


def _public_callables(obj: Any) -> list[str]:
    names = []
    for name in dir(obj):
        if name.startswith("_"):
            continue
        try:
            value = getattr(obj, name)
        except Exception:  # noqa: BLE001 - some torch attributes raise on access
            continue
        if callable(value) and not inspect.isclass(value) and not inspect.ismodule(value):
            names.append(name)
    return sorted(names)


def _schema_out_names() -> set[str]:
    """aten operator names with an overload writing keyword-only outputs (``out``, or
    ``values``/``indices``... for ops with several results, which Python takes as ``out=``)."""
    import torch

    names = set()
    for schema in torch._C._jit_get_all_schemas():
        for arg in schema.arguments:
            if arg.kwarg_only and arg.alias_info is not None and arg.alias_info.is_write:
                names.add(schema.name.split("::", 1)[1])
    return names


# Stand-ins for the argument types the Python argument parser names in its TypeErrors.
_STAND_INS = {
    "int": 0,
    "tuple of ints": [0],
    "float": 0.0,
    "Number": 0,
    "bool": False,
    "str": "sum",
    "Scalar": 0,
    "SymInt": 0,
    "tuple of SymInts": [0],
    "torch.dtype": None,
    "Dimname": 0,
}


def _parser_accepts_out(fn: Any) -> bool | None:
    """Ask torch's argument parser whether ``fn`` takes ``out=`` (None: it could not tell).

    Calls ``fn(t, t, ..., out=object())`` with more and more positional tensors, swapping in a
    stand-in where the parser names another type, until the parser's error speaks of ``out``.
    """
    import torch

    t = torch.zeros(1)
    for k in range(9):
        args: list[Any] = [t] * k
        for _ in range(12):
            try:
                fn(*args, out=object())
                return True
            except TypeError as e:
                msg = str(e)
                if re.search(r"takes .*positional|missing \d+ required", msg):
                    break
                if "expected one of" in msg:
                    return bool(re.search(r"Tensor(\(a!\))? out\b|Tensors out\b", msg))
                if "keyword argument 'out'" in msg:
                    return False
                if "argument 'out'" in msg:
                    return True
                wanted = re.search(r"\(position (\d+)\) must be (.+?), not", msg)
                if not wanted or wanted.group(2) not in _STAND_INS:
                    return None
                args[int(wanted.group(1)) - 1] = _STAND_INS[wanted.group(2)] or torch.float32
            except RuntimeError as e:  # functions torch removed raise on every call
                return False if "removed" in str(e) else None
            except Exception:  # noqa: BLE001 - an odd function; the schema decides
                return None
    return None


def _takes_out(obj: Any, name: str, aten: set[str], prefix: str) -> bool:
    fn = getattr(obj, name)
    try:
        return "out" in inspect.signature(fn).parameters
    except (TypeError, ValueError):  # a C builtin: the schemas, then the parser
        return f"{prefix}{name}" in aten and _parser_accepts_out(fn) is not False


def write() -> None:
    """Dump torch's surface and its ``out=`` functions into the fixture."""
    import torch

    aten = _schema_out_names()
    prefixes = {"torch": "", "special": "special_", "fft": "fft_", "linalg": "linalg_"}
    surface: dict[str, Any] = {"torch_version": torch.__version__}
    out: dict[str, list[str]] = {}
    for key, (tpath, _) in NAMESPACES.items():
        obj = _resolve(tpath)
        surface[key] = _public_callables(obj)
        if key in prefixes:
            out[key] = [n for n in surface[key] if _takes_out(obj, n, aten, prefixes[key])]
    surface["out"] = out
    FIXTURE.write_text(json.dumps(surface, indent=0, sort_keys=True) + "\n")
    _write_out_names(out, torch.__version__)
    print(f"wrote {FIXTURE} and {OUT_NAMES.name} (torch {torch.__version__})")


def _write_out_names(out: dict[str, list[str]], version: str) -> None:
    """Write ``ember/ops/_out_names.py`` (in ruff's format, so it stays format-clean)."""

    def block(names: list[str], indent: int) -> list[str]:
        pad = " " * indent
        return [f"{pad[4:]}{{", *(f'{pad}"{n}",' for n in names), f"{pad[4:]}}}"]

    lines = [
        f'"""The functions torch {version} gives ``out=`` (generated by',
        '``tests/ember/surface/surface_diff.py --write``; ``ember.ops._out`` wraps them)."""',
        "",
        "from __future__ import annotations",
        "",
        "OUT_FUNCTIONS: dict[str, frozenset[str]] = {",
    ]
    for key, names in out.items():
        lines += [f'    "{key}": frozenset(', *block(names, 12), "    ),"]
    lines += ["}", "FACTORIES = frozenset(", *block(FACTORIES, 8), ")"]
    lines += ["INDEX_RESULTS = frozenset(", *block(INDEX_RESULTS, 8), ")"]
    OUT_NAMES.write_text("\n".join(lines) + "\n")


def missing(key: str) -> list[str]:
    """Names torch has in namespace ``key`` that ember lacks."""
    data = json.loads(FIXTURE.read_text())
    obj = _resolve(NAMESPACES[key][1])
    return [n for n in data[key] if not hasattr(obj, n)]


def missing_out(key: str) -> list[str]:
    """Functions torch gives ``out=`` that ember has without an ``out`` parameter."""
    data = json.loads(FIXTURE.read_text())
    obj = _resolve(NAMESPACES[key][1])
    names = []
    for n in data["out"].get(key, []):
        fn = getattr(obj, n, None)
        if fn is None or getattr(fn, "_takes_out", False):  # ember.ops._out's wrapper
            continue
        try:
            params = inspect.signature(fn).parameters
        except (TypeError, ValueError):
            params = {}
        if "out" not in params:
            names.append(n)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="regenerate the fixture (torch)")
    parser.add_argument("--namespace", choices=list(NAMESPACES), action="append")
    args = parser.parse_args()
    if args.write:
        write()
        return
    for key in args.namespace or list(NAMESPACES):
        lacking = missing(key)
        print(f"## {key}: {len(lacking)} missing")
        print(" ".join(lacking))
        if key in ("torch", "special", "fft", "linalg"):
            no_out = missing_out(key)
            print(f"## {key}: {len(no_out)} present without out=")
            print(" ".join(no_out))


if __name__ == "__main__":
    main()
