"""Run an nn-level snippet with a given ``torch`` module (ember or real PyTorch).

Reuses the tensor-op harness (``tests/ember/diff/_harness.py``) for normalising results and
comparing them; adds a prelude of deterministic helpers that every snippet may use. The prelude is
plain PyTorch code, so a snippet plus the prelude runs unchanged under torch.
"""

from __future__ import annotations

import ast
import builtins
from typing import Any

import numpy as np

try:
    from tests.ember.diff._harness import Case, _error, compare, normalize, parse_group
except ImportError:  # run as a script by make_expected.py
    from diff._harness import (  # type: ignore[no-redef]
        Case,
        _error,
        compare,
        normalize,
        parse_group,
    )

__all__ = ["Case", "compare_results", "parse_group", "run_nn_snippet", "PRELUDE"]

PRELUDE = r'''
import io
import math
from collections import OrderedDict
nn = torch.nn
F = torch.nn.functional
optim = torch.optim
data = torch.utils.data


def arr(*shape, k=0.37, off=0.0, scale=1.0):
    """Deterministic float64 numpy values: scale * sin(k * i + off)."""
    n = int(np.prod(shape)) if shape else 1
    return (np.sin(np.arange(n) * k + off) * scale).reshape(shape)


def seq(*shape, k=0.37, off=0.0, scale=1.0, dtype=None, grad=False):
    """A deterministic tensor (default dtype unless dtype says otherwise)."""
    dtype = dtype or torch.get_default_dtype()
    t = torch.tensor(arr(*shape, k=k, off=off, scale=scale), dtype=dtype)
    return t.requires_grad_() if grad else t


def det_(m, scale=0.5, k=0.7):
    """Load deterministic values into every floating entry of m.state_dict(); returns m."""
    new = {}
    for i, (name, v) in enumerate(m.state_dict().items()):
        if v.is_floating_point():
            a = arr(*v.shape, k=k, off=0.3 * i, scale=scale)
            new[name] = torch.from_numpy(a).to(v.dtype)
    m.load_state_dict(new, strict=False)
    return m


def shapes(sd):
    return [(k, list(v.shape)) for k, v in sd.items()]


def pshapes(m):
    return [(n, list(p.shape), p.requires_grad) for n, p in m.named_parameters()]


def grads(m):
    return [(n, p.grad) for n, p in m.named_parameters()]


def nparams(m):
    return sum(p.numel() for p in m.parameters())


def quad_params():
    return [nn.Parameter(seq(2, 3)), nn.Parameter(seq(3, off=1.0))]


def quad_loss(ps):
    w, b = ps
    r = seq(4, 2, off=2.0) @ w + b - seq(4, 3, off=3.0)
    return (r ** 2).mean() + 0.1 * (w ** 4).sum()


def run_opt(make, steps=3):
    """Parameters after ``steps`` optimizer steps on a fixed small problem."""
    ps = quad_params()
    opt = make(ps)
    for _ in range(steps):
        opt.zero_grad()
        quad_loss(ps).backward()
        opt.step()
    return [p.detach().clone() for p in ps]


def lrs(make_sched, n=8, make_opt=None, metrics=None):
    """get_last_lr() after construction and after each of n scheduler steps."""
    p = nn.Parameter(torch.zeros(1))
    opt = make_opt([p]) if make_opt else optim.SGD([p], lr=0.1)
    sched = make_sched(opt)
    out = [sched.get_last_lr()]
    for i in range(n):
        opt.step()
        sched.step(metrics[i]) if metrics else sched.step()
        out.append(sched.get_last_lr())
    return out


def fwd_bwd(m, *xs):
    """Output, input grads and parameter grads after out.sum() (times a fixed weight)."""
    out = m(*xs)
    y = out[0] if isinstance(out, tuple) else out
    (y * seq(*y.shape, k=0.11, off=0.5)).sum().backward()
    return y, [x.grad for x in xs if x.requires_grad], grads(m)
'''


_PRELUDE_CODE = compile(PRELUDE, "<prelude>", "exec")


def run_nn_snippet(src: str, torch_mod: Any) -> Any:
    """Run the prelude plus ``src`` with ``torch`` bound to ``torch_mod``; normalised result.

    As ``run_snippet`` of the tensor-op harness (the value of the last line is the result, an
    exception is recorded as the result), with the prelude compiled once, not per snippet.
    """
    ns: dict[str, Any] = {"torch": torch_mod, "np": np, "__builtins__": builtins}
    torch_mod.manual_seed(0)
    try:
        exec(_PRELUDE_CODE, ns)
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
        return {**_error(exc), "mro": [c.__name__ for c in type(exc).__mro__]}
    finally:
        torch_mod.set_default_dtype(torch_mod.float32)
        torch_mod.set_printoptions(profile="default")


def compare_results(got: Any, exp: Any, case: Case) -> list[str]:
    """``compare`` of the tensor-op harness, where an ember exception that is an instance of the
    class PyTorch raised (by name, anywhere in its MRO) counts as the same class."""
    if got.get("kind") == "error" == exp.get("kind") and exp["cls"] in got.get("mro", ()):
        got = {**got, "cls": exp["cls"]}
    return compare(got, exp, case)
