"""Run a snippet with a given ``torch`` module and turn its result into plain JSON-able data.

Shared by ``make_expected.py`` (run with real PyTorch) and ``test_diff.py`` (run with ember bound
to the name ``torch``). Nothing here imports torch: tensors are recognised by duck typing.
"""

from __future__ import annotations

import ast
import builtins
import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Case:
    """One snippet plus its directives (``#! xfail: why``, ``#! random``, ``#! tol: 1e-4``,
    ``#! msg: fragment``)."""

    group: str
    index: int
    src: str
    xfail: str | None = None
    random: bool = False
    tol: float | None = None
    msg: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        first = self.src.strip().splitlines()[-1][:40]
        return f"{self.group}-{self.index:03d}:{first}"


_DIRECTIVE = re.compile(r"^#!\s*(\w+)\s*(?::\s*(.*))?$")


def parse_group(group: str, text: str) -> list[Case]:
    """Split a block of snippets separated by blank lines into Cases."""
    cases = []
    for i, block in enumerate(re.split(r"\n\s*\n", text.strip("\n"))):
        lines, opts = [], {}
        for line in block.strip("\n").splitlines():
            m = _DIRECTIVE.match(line.strip())
            if m:
                opts[m.group(1)] = m.group(2) if m.group(2) is not None else True
            else:
                lines.append(line)
        src = "\n".join(lines).strip("\n")
        cases.append(
            Case(
                group,
                i,
                src,
                xfail=opts.get("xfail"),
                random=bool(opts.get("random")),
                tol=float(opts["tol"]) if "tol" in opts else None,
                msg=opts.get("msg"),
            )
        )
    return cases


def run_snippet(src: str, torch_mod: Any) -> Any:
    """Execute ``src``; the value of its last line (an expression) is the result.

    An exception anywhere becomes the result: ``{"kind": "error", ...}``.
    """
    ns: dict[str, Any] = {"torch": torch_mod, "np": np, "__builtins__": builtins}
    torch_mod.manual_seed(0)
    try:
        tree = ast.parse(src)
        last = tree.body[-1] if tree.body else None
        if isinstance(last, ast.Expr):
            body = ast.Module(body=tree.body[:-1], type_ignores=[])
            exec(compile(body, "<snippet>", "exec"), ns)
            value = eval(compile(ast.Expression(last.value), "<snippet>", "eval"), ns)
        else:
            exec(compile(tree, "<snippet>", "exec"), ns)
            value = ns.get("out")
        return normalize(value)
    except Exception as exc:  # noqa: BLE001 - the error class is the result
        return _error(exc)
    finally:
        torch_mod.set_default_dtype(torch_mod.float32)
        torch_mod.set_printoptions(profile="default")


def _error(exc: BaseException) -> dict[str, Any]:
    base = next(c for c in type(exc).__mro__ if c.__module__ == "builtins")
    return {"kind": "error", "cls": type(exc).__name__, "base": base.__name__, "msg": str(exc)}


def _scalar(v: Any) -> Any:
    """A JSON-safe encoding of a Python number (nan/inf as strings, complex as a list)."""
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return v
    if isinstance(v, complex):
        return ["__complex__", _scalar(v.real), _scalar(v.imag)]
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    if isinstance(v, list):
        return [_scalar(x) for x in v]
    raise TypeError(f"cannot encode {type(v).__name__}")


def _rename(s: str) -> str:
    return s.replace("torch.", "ember.").replace("torch", "ember")


def _is_tensor(x: Any) -> bool:
    return all(hasattr(x, a) for a in ("dtype", "shape", "detach", "requires_grad", "grad_fn"))


def _tensor(t: Any) -> dict[str, Any]:
    v = t.detach().cpu()
    try:
        values = _scalar(v.tolist())
    except Exception as exc:  # noqa: BLE001
        values = _error(exc)
    return {
        "kind": "tensor",
        "dtype": _rename(str(t.dtype)),
        "shape": list(t.shape),
        "requires_grad": bool(t.requires_grad),
        "has_grad_fn": t.grad_fn is not None,
        "values": values,
    }


def normalize(x: Any) -> Any:
    """Plain-data description of a snippet result, comparable across torch and ember."""
    tname = type(x).__name__
    if _is_tensor(x):
        return _tensor(x)
    if isinstance(x, np.ndarray):
        return {"kind": "ndarray", "dtype": str(x.dtype), "shape": list(x.shape),
                "values": _scalar(x.tolist())}
    if isinstance(x, np.generic):
        return {"kind": "npscalar", "dtype": str(x.dtype), "v": _scalar(x.item())}
    if x is None or isinstance(x, (bool, int, float, complex)):
        return {"kind": type(x).__name__, "v": _scalar(x)}
    if isinstance(x, str):
        return {"kind": "str", "v": _rename(x)}
    if tname == "Size":
        return {"kind": "size", "v": list(x)}
    if tname == "dtype":
        return {"kind": "dtype", "v": _rename(str(x))}
    if tname.lower() == "device":
        return {"kind": "device", "v": str(x)}
    if isinstance(x, tuple):
        kind = "tuple" if type(x) is tuple else "namedtuple"
        return {"kind": kind, "items": [normalize(i) for i in x]}
    if isinstance(x, list):
        return {"kind": "list", "items": [normalize(i) for i in x]}
    if isinstance(x, dict):
        return {"kind": "dict", "items": {str(k): normalize(v) for k, v in x.items()}}
    return {"kind": "other", "type": tname}


# -- comparison ----------------------------------------------------------------------------------


def _num(v: Any) -> Any:
    if isinstance(v, str):
        return float(v)
    if isinstance(v, list) and v and v[0] == "__complex__":
        return complex(_num(v[1]), _num(v[2]))
    return v


def _close(a: Any, b: Any, rtol: float, atol: float) -> bool:
    a, b = _num(a), _num(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, complex) or isinstance(b, complex):
        a, b = complex(a), complex(b)
        return _close(a.real, b.real, rtol, atol) and _close(a.imag, b.imag, rtol, atol)
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    if isinstance(a, float) and math.isinf(a) or isinstance(b, float) and math.isinf(b):
        return a == b
    return abs(a - b) <= atol + rtol * abs(b)


def _values_diff(got: Any, exp: Any, rtol: float, atol: float, path: str) -> list[str]:
    if isinstance(exp, list) and not (exp and exp[0] == "__complex__"):
        if not isinstance(got, list) or len(got) != len(exp):
            return [f"{path}: got {got!r}, expected {exp!r}"]
        out: list[str] = []
        for i, (g, e) in enumerate(zip(got, exp)):
            out += _values_diff(g, e, rtol, atol, f"{path}[{i}]")
            if len(out) > 5:
                break
        return out
    if isinstance(exp, dict) or isinstance(got, dict):
        return [] if got == exp else [f"{path}: got {got!r}, expected {exp!r}"]
    if type(_num(got)) is not type(_num(exp)) and not isinstance(_num(exp), float):
        return [f"{path}: got {got!r} ({type(got).__name__}), expected {exp!r}"]
    return [] if _close(got, exp, rtol, atol) else [f"{path}: got {got!r}, expected {exp!r}"]


def _tols(dtype: str, case: Case) -> tuple[float, float]:
    if case.tol is not None:
        return case.tol, case.tol
    if "float16" in dtype or "bfloat16" in dtype:
        return 1e-3, 1e-3
    if "float32" in dtype or "complex64" in dtype:
        return 1e-5, 1e-6
    return 1e-10, 1e-12


def compare(got: Any, exp: Any, case: Case, path: str = "out") -> list[str]:
    """Differences between ember's result ``got`` and torch's ``exp`` (empty when they agree)."""
    if got.get("kind") != exp.get("kind"):
        return [f"{path}: got {got}, expected {exp}"]
    kind = exp["kind"]
    if kind == "error":
        out = []
        if got["base"] != exp["base"] and got["cls"] != exp["cls"]:
            out.append(f"{path}: raised {got['cls']}({got['msg']!r}), expected "
                       f"{exp['cls']}({exp['msg']!r})")
        if case.msg and case.msg.lower() not in got["msg"].lower():
            out.append(f"{path}: message {got['msg']!r} lacks {case.msg!r}")
        return out
    if kind == "tensor":
        out = [f"{path}.{k}: got {got[k]!r}, expected {exp[k]!r}"
               for k in ("dtype", "shape", "requires_grad", "has_grad_fn") if got[k] != exp[k]]
        if out or case.random:
            return out
        rtol, atol = _tols(exp["dtype"], case)
        return _values_diff(got["values"], exp["values"], rtol, atol, path)
    if kind == "ndarray":
        out = [f"{path}.{k}: got {got[k]!r}, expected {exp[k]!r}"
               for k in ("dtype", "shape") if got[k] != exp[k]]
        if out or case.random:
            return out
        rtol, atol = _tols(exp["dtype"], case)
        return _values_diff(got["values"], exp["values"], rtol, atol, path)
    if kind in ("tuple", "namedtuple", "list"):
        if len(got["items"]) != len(exp["items"]):
            return [f"{path}: length {len(got['items'])}, expected {len(exp['items'])}"]
        out = []
        for i, (g, e) in enumerate(zip(got["items"], exp["items"])):
            out += compare(g, e, case, f"{path}[{i}]")
        return out
    if kind == "dict":
        if sorted(got["items"]) != sorted(exp["items"]):
            return [f"{path}: keys {sorted(got['items'])}, expected {sorted(exp['items'])}"]
        out = []
        for k in exp["items"]:
            out += compare(got["items"][k], exp["items"][k], case, f"{path}[{k!r}]")
        return out
    if kind in ("float", "complex", "npscalar"):
        if kind == "npscalar" and got["dtype"] != exp["dtype"]:
            return [f"{path}: numpy scalar {got['dtype']}, expected {exp['dtype']}"]
        if case.random and case.tol is None:
            return []
        rtol, atol = (case.tol, case.tol) if case.tol is not None else (1e-5, 1e-6)
        return _values_diff(got["v"], exp["v"], rtol, atol, path)
    return [] if got == exp else [f"{path}: got {got!r}, expected {exp!r}"]


def snippet_suite(cases: list[Any], expected_json: Any, run: Any = None,
                  check: Any = None) -> tuple[Any, Any]:
    """The two tests every snippet harness runs, for ``cases`` and their stored PyTorch results.

    Returns ``(test_snippet_matches_torch, test_fixture_has_no_stale_entries)``: bind them to
    those names in a test module. ``run(src, ember)`` and ``check(got, expected, case)`` default
    to this module's ``run_snippet`` and ``compare``.
    """
    import json
    import warnings
    from pathlib import Path

    import pytest

    import ember

    expected = json.loads(Path(expected_json).read_text())["results"]
    run = run or run_snippet
    check = check or compare

    def _param(case: Any) -> Any:
        marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
        return pytest.param(case, id=case.id, marks=marks)

    @pytest.mark.parametrize("case", [_param(c) for c in cases])
    def test_snippet_matches_torch(case: Any) -> None:
        assert case.src in expected, f"{case.id}: rerun make_expected.py (snippet not in fixture)"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = run(case.src, ember)
        diffs = check(got, expected[case.src], case)
        assert not diffs, f"snippet:\n{case.src}\n" + "\n".join(diffs)

    def test_fixture_has_no_stale_entries() -> None:
        assert set(expected) <= {c.src for c in cases}, "rerun make_expected.py (stale snippets)"

    return test_snippet_matches_torch, test_fixture_has_no_stale_entries


def write_expected(folder: Any, cases: list[Any], torch_mod: Any, run: Any = None,
                   before_each: Any = None) -> None:
    """Run each snippet of ``cases`` under PyTorch and write ``folder/expected.json``.

    The body of every snippet harness's ``make_expected.py`` (run with the reference interpreter,
    never by the suite). A snippet that appears twice runs once; a case with a ``msg`` stops the
    run when torch's error message lacks it.

    Args:
        folder: the harness's folder (a ``pathlib.Path``).
        cases: its cases.
        torch_mod: the ``torch`` module.
        run: ``run(src, torch_mod)`` for one snippet (default :func:`run_snippet`).
        before_each: called before each snippet runs (to reset global state torch keeps).
    """
    import json
    import warnings

    warnings.simplefilter("ignore")
    run = run or run_snippet
    results: dict[str, Any] = {}
    for case in cases:
        if case.src not in results:
            if before_each is not None:
                before_each()
            results[case.src] = run(case.src, torch_mod)
        got = results[case.src]
        if case.msg and got.get("kind") == "error" and case.msg.lower() not in got["msg"].lower():
            raise SystemExit(f"{case.id}: torch's message lacks {case.msg!r}")
    out = {"torch_version": torch_mod.__version__, "results": results}
    (folder / "expected.json").write_text(json.dumps(out, indent=0, sort_keys=True) + "\n")
    print(f"wrote {len(results)} results with torch {torch_mod.__version__}")
