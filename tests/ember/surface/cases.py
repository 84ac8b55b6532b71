"""Operator-surface snippets: PyTorch code as strings, grouped by area (format:
``tests/ember/diff``). Within a group, snippets are separated by blank lines; the last line is the
compared expression (or assign ``out``). Directives: ``#! xfail: reason``, ``#! random``,
``#! tol: 1e-4``, ``#! msg: fragment``. After editing, rerun
``/work/ref/torch/bin/python tests/ember/surface/make_expected.py``.
"""

from __future__ import annotations

try:
    from tests.ember.diff._harness import Case, parse_group
except ImportError:  # run as a script by make_expected.py
    from _harness import Case, parse_group

X = "x = torch.tensor([[1.5, -2.0, 0.5], [3.0, 0.25, -1.0]])\n"
W = "import warnings\n"

OUT = f"""
{X}o = torch.empty(0)
r = torch.add(x, x, out=o)
(r is o, o)

{X}o = torch.zeros(2, 3, dtype=torch.float64)
torch.mul(x, 2, out=o)
o

{X}o = torch.zeros(2, 3, dtype=torch.int64)
torch.sin(x, out=o)
#! msg: result type Float can't be cast to the desired output type Long

{X}o = torch.zeros(2, 3, dtype=torch.bool)
torch.abs(x, out=o)

{X}o = torch.zeros(2, 3)
torch.eq(x, 1.5, out=o)
o

{X}o = torch.zeros(2, 3, dtype=torch.complex64)
torch.exp(x, out=o)
o

{W}{X}o = torch.zeros(4)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    torch.exp(x, out=o)
(o.shape, len(w), "resized" in str(w[0].message))

{W}{X}o = torch.empty(0)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    torch.neg(x, out=o)
(o, len(w))

{X}x.requires_grad_()
torch.exp(x, out=torch.empty(0))
#! msg: functions with out=... arguments don't support automatic differentiation

{X}o = torch.zeros(2, 3, requires_grad=True)
torch.exp(x, out=o)
#! msg: don't support automatic differentiation

{X}x.requires_grad_()
with torch.no_grad():
    torch.exp(x, out=(o := torch.empty(0)))
(o, o.requires_grad)

{X}base = torch.zeros(2, 6)
v = base[:, ::2]
torch.mul(x, 10, out=v)
base

{X}torch.sum(x, 1, out=torch.empty(0))

{X}torch.sum(x, 1, keepdim=True, out=torch.empty(0, dtype=torch.float64))

{X}torch.mean(x, out=torch.empty(()))

{X}torch.amax(x, dim=0, out=torch.empty(0))

{X}torch.cumsum(x, 1, out=torch.empty(0))

{X}torch.matmul(x, x.T, out=torch.empty(0))

{X}torch.mm(x, x.T, out=torch.empty(0))

{X}torch.clamp(x, -1, 1, out=torch.empty(0))

{X}torch.where(x > 0, x, torch.zeros(()), out=torch.empty(0))

{X}torch.cat([x, x], 0, out=torch.empty(0))

{X}torch.stack([x, x], 1, out=torch.empty(0))

{X}torch.pow(x, 2, out=torch.empty(0))

{X}torch.tanh(x, out=torch.empty(0))

{X}torch.argmax(x, 1, out=torch.empty(0, dtype=torch.int64))

{X}torch.argmax(x, out=torch.empty((), dtype=torch.int32))
#! msg: Expected out tensor to have dtype long int, but got int instead

{X}vals, idx = torch.empty(0), torch.empty(0, dtype=torch.int64)
r = torch.max(x, 1, out=(vals, idx))
(r[0] is vals, r[1] is idx, vals, idx, r.indices is idx)

{X}torch.sort(x, 1, out=(torch.empty(0), torch.empty(0, dtype=torch.int64)))

{X}torch.topk(x, 2, out=(torch.empty(0), torch.empty(0, dtype=torch.int64)))

{X}torch.max(x, 1, out=(torch.empty(0), torch.empty(0)))
#! msg: Expected out tensor to have dtype long int

{X}torch.sort(x, out=torch.empty(0))

torch.zeros(2, 3, out=torch.empty(0, dtype=torch.int64))

torch.ones(2, out=torch.empty(5, dtype=torch.float64))

torch.arange(5, out=torch.empty(0))

torch.arange(0, 1, 0.25, out=torch.empty(0, dtype=torch.float64))

torch.full((2, 2), 7, out=torch.empty(0, dtype=torch.int32))

torch.eye(3, out=torch.empty(0))

torch.linspace(0, 1, 5, out=torch.empty(0, dtype=torch.float64))

torch.rand(2, 3, out=torch.empty(0, dtype=torch.float64)).shape

{X}torch.nonzero(x > 0, out=torch.empty(0, dtype=torch.int64))

{X}torch.lerp(x, torch.zeros(2, 3), 0.5, out=torch.empty(0))

{X}torch.special.expit(x, out=torch.empty(0))

{X}torch.special.xlogy(x.abs(), 2.0, out=torch.empty(0))

{X}torch.fft.rfft(x, out=torch.empty(0, dtype=torch.complex64))

{X}torch.logsumexp(x, 1, out=torch.empty(0))

{X}torch.bitwise_and(torch.tensor([5, 3]), 6, out=torch.empty(0, dtype=torch.int64))

{X}torch.floor_divide(x, 2, out=torch.empty(0))

{X}torch.addmm(torch.zeros(2, 2), x, x.T, out=torch.empty(0))

{X}torch.index_select(x, 1, torch.tensor([2, 0]), out=torch.empty(0))

{X}torch.gather(x, 1, torch.tensor([[0], [2]]), out=torch.empty(0))

{X}torch.tril(torch.ones(3, 3), out=torch.empty(0))

{X}torch.var(x, 1, out=torch.empty(0))

{X}torch.prod(x, 1, out=torch.empty(0))

{X}torch.diag(torch.tensor([1.0, 2.0]), out=torch.empty(0))

{X}torch.outer(x[0], x[1], out=torch.empty(0))
"""

# 0-d tensors under dim 0 / -1 (and an out-of-range dim): {d} is replaced by each dim.
_ZEROD_OPS = [
    "torch.sum(s, {d})",
    "torch.mean(s, {d}, keepdim=True)",
    "torch.all(s > 0, {d})",
    "torch.any(s > 0, {d})",
    "torch.amax(s, {d})",
    "torch.amin(s, {d})",
    "torch.argmax(s, {d})",
    "torch.argmin(s, {d})",
    "torch.max(s, {d})",
    "torch.min(s, {d}, keepdim=True)",
    "torch.prod(s, {d})",
    "torch.std(s, {d})",
    "torch.var(s, {d}, correction=0)",
    "torch.logsumexp(s, {d})",
    "torch.norm(s, dim={d})",
    "torch.nansum(s, {d})",
    "torch.count_nonzero(s, {d})",
    "torch.cumsum(s, {d})",
    "torch.cumprod(s, {d})",
    "torch.logcumsumexp(s, {d})",
    "torch.cummax(s, {d})",
    "torch.cummin(s, {d})",
    "torch.softmax(s, {d})",
    "torch.log_softmax(s, {d})",
    "torch.nn.functional.softmin(s, {d})",
    "torch.nn.functional.normalize(s, dim={d})",
    "torch.gather(s, {d}, i)",
    "torch.scatter(s, {d}, i, v)",
    "torch.scatter_add(s, {d}, i, v)",
    "torch.scatter_reduce(s, {d}, i, v, 'amax')",
    "torch.index_select(s, {d}, i)",
    "torch.index_add(s, {d}, i, v)",
    "torch.index_fill(s, {d}, i, 3.0)",
    "torch.index_copy(s, {d}, i, v)",
    "torch.take_along_dim(s, i, {d})",
    "torch.flip(s, [{d}])",
    "torch.roll(s, 1, {d})",
    "torch.sort(s, {d})",
    "torch.argsort(s, {d})",
    "torch.topk(s, 1, {d})",
    "torch.kthvalue(s, 1, {d})",
    "torch.median(s, {d})",
    "torch.nanmedian(s, {d})",
    "torch.mode(s, {d})",
    "torch.unsqueeze(s, {d})",
    "torch.squeeze(s, {d})",
    "torch.transpose(s, {d}, 0)",
    "torch.movedim(s, {d}, 0)",
    "torch.flatten(s, {d})",
    "torch.unflatten(s, {d}, (1,))",
    "torch.narrow(s, {d}, 0, 1)",
    "torch.split(s, 1, {d})",
    "torch.chunk(s, 1, {d})",
    "torch.tensor_split(s, 1, {d})",
    "torch.diff(s, dim={d})",
    "torch.stack([s, s], {d})",
    "torch.unique_consecutive(s, dim={d})",
    "torch.aminmax(s, dim={d})",
    "torch.var_mean(s, {d})",
    "torch.quantile(s, 0.5, dim={d})",
    "torch.repeat_interleave(s, 2, dim={d})",
    "torch.select(s, {d}, 0)",
    "s.size({d})",
]
_ZEROD_GRADS = [
    "torch.softmax(s, {d})",
    "torch.cumsum(s, {d})",
    "torch.amax(s, {d})",
    "torch.gather(s, {d}, i)",
    "torch.index_add(s, {d}, i, v)",
    "torch.nn.functional.normalize(s, dim={d})",
    "torch.logsumexp(s, {d})",
    "torch.scatter(s, {d}, i, v)",
]
_S = "s = torch.tensor(1.5, dtype=torch.float64)\ni = torch.tensor(0)\nv = torch.tensor(2.0, dtype=torch.float64)\n"


def _zerod_group() -> str:
    parts = [f"{_S}{op.format(d=d)}" for op in _ZEROD_OPS for d in (0, -1, 1)]
    for op in _ZEROD_GRADS:
        for d in (0, -1):
            parts.append(f"{_S}s.requires_grad_()\n{op.format(d=d)}.sum().backward()\ns.grad")
    return "\n\n".join(parts)


GROUPS = {"out": OUT, "zerod": _zerod_group()}


def all_cases() -> list[Case]:
    """Every snippet of every group, in order."""
    return [case for name, text in GROUPS.items() for case in parse_group(name, text)]
