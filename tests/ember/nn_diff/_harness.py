"""Run an nn-level snippet with a given ``torch`` module (ember or real PyTorch).

Reuses the tensor-op harness (``tests/ember/diff/_harness.py``) for normalising results and
comparing them; adds a prelude of deterministic helpers that every snippet may use. The prelude is
plain PyTorch code, so a snippet plus the prelude runs unchanged under torch.
"""

from __future__ import annotations

from typing import Any

try:
    from tests.ember.diff._harness import Case, compare, parse_group, run_snippet
except ImportError:  # run as a script by make_expected.py
    from diff._harness import Case, compare, parse_group, run_snippet  # type: ignore[no-redef]

__all__ = ["Case", "compare", "parse_group", "run_nn_snippet", "PRELUDE"]

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
    """A deterministic tensor (float32 unless dtype says otherwise)."""
    t = torch.tensor(arr(*shape, k=k, off=off, scale=scale), dtype=dtype or torch.float32)
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


def fwd_bwd(m, *xs):
    """Output, input grads and parameter grads after out.sum() (times a fixed weight)."""
    out = m(*xs)
    y = out[0] if isinstance(out, tuple) else out
    (y * seq(*y.shape, k=0.11, off=0.5)).sum().backward()
    return y, [x.grad for x in xs if x.requires_grad], grads(m)
'''


def run_nn_snippet(src: str, torch_mod: Any) -> Any:
    """Run the prelude plus ``src`` with ``torch`` bound to ``torch_mod``; normalised result."""
    return run_snippet(PRELUDE + "\n" + src, torch_mod)
