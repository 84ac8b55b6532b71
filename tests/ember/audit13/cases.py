"""Issue-13 audit snippets (round 2): harder variants of the "real programs" idioms, run as
PyTorch code with ember bound to ``torch`` (format and directives: ``tests/ember/diff``).

After editing, rerun ``/work/ref/torch/bin/python tests/ember/audit13/make_expected.py``.
"""

from __future__ import annotations

try:
    from tests.ember.diff._harness import Case, parse_group
except ImportError:  # run as a script by make_expected.py
    from _harness import Case, parse_group

FLAGS = r"""
t = torch.ones(2)
(t.is_floating_point(), t.is_complex(), t.is_leaf, t.is_contiguous(), t.is_signed(), t.is_conj(), t.is_neg(), t.is_inference())

t = torch.ones(2, dtype=torch.uint8)
(t.is_signed(), t.is_floating_point(), t.is_pinned(), t.is_shared())

t = torch.ones(2)
(t.device.type, t.device.index, t.is_cpu, str(t.device))

(torch.cuda.is_available(), torch.cuda.device_count(), torch.backends.cudnn.is_available(), torch.backends.mps.is_built())

torch.xpu.is_available()

"cuda" if torch.cuda.is_available() else "xpu" if torch.xpu.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"

torch.accelerator.is_available() and torch.accelerator.current_accelerator().type

torch.accelerator.memory_allocated()

torch.accelerator.synchronize()

torch.accelerator.empty_cache()

torch.accelerator.memory_reserved()

torch.accelerator.reset_peak_memory_stats()

torch.accelerator.current_device_index()

(torch.accelerator.device_count(), torch.accelerator.current_accelerator())

with torch.accelerator.device_index(None):
    out = torch.ones(1).device

(torch.backends.mkldnn.is_available() in (True, False), torch.backends.openmp.is_available() in (True, False))

(torch.backends.mkl.is_available() in (True, False), torch.backends.cpu.get_cpu_capability() in ("AVX512", "AVX2", "DEFAULT"))

torch.device("cpu") == torch.ones(1).device

torch.ones(1).to(torch.get_default_device()).device

torch.set_default_device("cpu")
out = (torch.arange(3).device, torch.nn.Linear(2, 2).weight.device, torch.randn(2).device, torch.empty(1).device)
torch.set_default_device(None)

v = torch.autograd.Variable(torch.tensor([1.0, 2.0]), requires_grad=True)
y = (v ** 2).sum()
y.backward()
(v.grad, v.data, type(v.data).__name__)

torch.autograd.Variable(torch.ones(2, dtype=torch.int64), requires_grad=True)

torch.backends.cuda.matmul.allow_tf32 = True
out = torch.ones(2, 2) @ torch.ones(2, 2)
torch.backends.cuda.matmul.allow_tf32 = False

torch.set_float32_matmul_precision("high")
out = torch.get_float32_matmul_precision()
torch.set_float32_matmul_precision("highest")

torch.compile(torch.nn.Linear(2, 2)).weight.shape
"""

DROPOUT = r"""
import warnings
torch.manual_seed(0)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    out = torch.nn.functional.dropout2d(torch.ones(2, 50, 4), p=0.5)
(bool(((out == 0).all(-1) | (out != 0).all(-1)).all()), len(w) > 0)

import warnings
torch.manual_seed(0)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    out = torch.nn.functional.dropout2d(torch.ones(40, 30), p=0.5)
(bool(((out == 0).all(-1) | (out != 0).all(-1)).all()), bool(((out == 0).all(0) | (out != 0).all(0)).all()), len(w) > 0)

import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    out = torch.nn.functional.dropout2d(torch.ones(3, 4), p=0.0, training=False)
(out, len(w))

import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    out = torch.nn.functional.dropout3d(torch.ones(2, 3, 4, 5, 6, 7), p=0.0)
out.shape

torch.nn.functional.dropout1d(torch.ones(4), p=0.5)

import warnings
torch.manual_seed(0)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    out = torch.nn.Dropout3d(p=0.5)(torch.ones(30, 2, 3, 4))
(bool(((out.flatten(1) == 0).all(-1) | (out.flatten(1) != 0).all(-1)).all()), len(w) > 0)

import warnings
torch.manual_seed(0)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    out = torch.nn.Dropout1d(p=0.5)(torch.ones(30, 4))
(bool(((out == 0).all(-1) | (out != 0).all(-1)).all()), len(w))

torch.nn.functional.dropout2d(torch.ones(3, 4), p=1.5)

x = torch.ones(2, 3, 4, requires_grad=True)
torch.manual_seed(0)
y = torch.nn.functional.dropout2d(x, p=0.0)
y.sum().backward()
x.grad.sum()
"""

RPOW = r"""
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (-2.0) ** x
y.sum().backward()
(y, x.grad)

x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
(g,) = torch.autograd.grad((2 ** x).sum(), x, create_graph=True)
(g2,) = torch.autograd.grad(g.sum(), x)
(g, g2)

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.pow(2.0, x)
y.sum().backward()
(y, x.grad)

(2.5 ** torch.tensor([1, 2]), True ** torch.tensor([1.0, 2.0]), 2 ** torch.tensor([1.0], dtype=torch.float64))

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.__rpow__(3)
y.sum().backward()
(y, x.grad)

2 ** torch.tensor([-1, 2])

x = torch.tensor([0.0, 1.0], requires_grad=True)
y = 1.0 ** x
y.sum().backward()
(y, x.grad)
"""

VIEWS = r"""
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
y = x * 2
y[0].zero_()
(y ** 2).sum().backward()
x.grad

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
s = torch.tensor([5.0, 6.0], requires_grad=True)
y = x.exp()
y.t()[1].mul_(s)
(y * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
(x.grad, s.grad)

x = torch.arange(6.0, requires_grad=True)
s = torch.tensor([7.0, 8.0, 9.0], requires_grad=True)
y = x * 1
y.view(2, 3)[1].view(-1)[::1].copy_(s ** 2)
(y * torch.arange(6.0)).sum().backward()
(y, x.grad, s.grad)

x = torch.arange(6.0, requires_grad=True)
y = x.sin()
v = y.view(2, 3)
v[:, 1].sigmoid_()
(y * torch.arange(6.0)).sum().backward()
x.grad

x = torch.arange(6.0, requires_grad=True)
y = x * 3
y.view(3, 2).narrow(0, 1, 2).select(1, 0).clamp_(max=5.0)
(y ** 2).sum().backward()
(y, x.grad)

x = torch.arange(4.0, requires_grad=True)
y = x + 1
v = y[1:]
y.mul_(2)
(v * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
(v, x.grad)

x = torch.arange(4.0, requires_grad=True)
y = x + 1
v = y[1:]
v.mul_(x[:3])
(y ** 2).sum().backward()
(y, x.grad)

x = torch.arange(6.0, requires_grad=True)
y = x * 1
y.view(2, 3).masked_fill_(torch.tensor([[True, False, True], [False, False, True]]), 0.0)
(y * torch.arange(6.0)).sum().backward()
x.grad

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
w = torch.tensor([0.5, 1.5], requires_grad=True)
y = x * 2
y.diagonal().copy_(w)
y.unsqueeze(0)[0, 0].add_(w * w)
(y * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
(y, x.grad, w.grad)

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x.clone()
y[1:].copy_(y[:2] * 2)
y.sum().backward()
(y, x.grad)

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
y[0] = x[2] * 5
y[1:2] = 0.0
(y * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
(y, x.grad)

w = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.zeros(2, 2)
y[0].copy_(w)
y[1].copy_(w * 2)
(y * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
(y.tolist(), w.grad.tolist())

x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
y = x * 1
a = y[:2]
b = y[2:]
a.mul_(b)
(y ** 2).sum().backward()
(y.tolist(), x.grad.tolist())

x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
y = x * 1
v = y.view(2, 2)
w = v[1]
v.mul_(2)
w.sum().backward()
x.grad.tolist()

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
y = x + 0
yt = y.t()
y.add_(1)
(yt * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
(yt.tolist(), x.grad.tolist())

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
y.detach().zero_()
y.sum().backward()
(y.tolist(), x.grad.tolist())

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
y.data.mul_(0)
(y * x).sum().backward()
(y.tolist(), x.grad.tolist())
"""

SOFTMAX = r"""
x = torch.tensor([[0.0, float("-inf")], [float("-inf"), float("-inf")]], requires_grad=True)
y = torch.softmax(x, dim=1)
y.sum().backward()
(y, x.grad)

x = torch.tensor([[0.0, float("-inf")], [float("-inf"), float("-inf")]], requires_grad=True)
y = torch.log_softmax(x, dim=1)
y[0].sum().backward()
(y, x.grad)

x = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], dtype=torch.float64, requires_grad=True)
mask = torch.tensor([[True, False, True], [True, True, True]])
y = x.masked_fill(mask, float("-inf")).softmax(-1)
(y * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum().backward()
(y, x.grad)

x = torch.tensor([[1.0, 2.0], [0.5, -1.0]], requires_grad=True)
y = x.masked_fill(torch.tensor([[True, True], [False, True]]), float("-inf")).log_softmax(0)
y[:, 1].sum().backward()
(y, x.grad)

x = torch.tensor([[float("-inf"), float("-inf")], [1.0, 2.0]], requires_grad=True)
y = torch.nn.functional.softmax(x, dim=-1, dtype=torch.float64)
y[1, 0].backward()
(y, x.grad)

x = torch.tensor([[float("inf"), float("inf")], [1.0, 2.0]], requires_grad=True)
y = torch.nn.functional.softmin(x, dim=-1)
y[1, 1].backward()
(y, x.grad)

x = torch.tensor([[float("-inf"), float("-inf")], [1.0, 2.0]], requires_grad=True)
y = torch.logsumexp(x, dim=1)
y.sum().backward()
(y, x.grad)

q = torch.tensor([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]], requires_grad=True)
scores = q @ q.transpose(1, 2)
mask = torch.tensor([[True, True, True], [False, True, True], [False, False, True]])
attn = scores.masked_fill(mask, float("-inf")).softmax(-1)
out = attn @ q
out.nan_to_num().sum().backward()
(attn, q.grad)
"""

EDGES = r"""
x = torch.tensor([[1.0, 2.0, 0.5], [0.1, -1.0, 2.0]], requires_grad=True)
p = torch.tensor([[0.2, 0.3, 0.5], [0.0, 1.0, 0.0]])
loss = torch.nn.functional.cross_entropy(x, p, ignore_index=1)
loss.backward()
(loss, x.grad)

x = torch.tensor([[1.0, 2.0, 0.5], [0.1, -1.0, 2.0]])
torch.nn.functional.cross_entropy(x, torch.tensor([1, 1]), ignore_index=1)

x = torch.tensor([[[1.0, 2.0], [0.5, 0.1]], [[-1.0, 2.0], [0.3, 0.3]]], requires_grad=True)
loss = torch.nn.functional.cross_entropy(x, torch.tensor([[0, -100], [1, 1]]), reduction="none")
loss.sum().backward()
(loss, x.grad)

a = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
b = torch.tensor([[[1.0, 0.0, 1.0]], [[0.0, 2.0, -1.0]]], requires_grad=True)
y = torch.nn.functional.cosine_similarity(a, b, dim=-1)
y.sum().backward()
(y, a.grad, b.grad)

torch.nn.functional.cosine_similarity(torch.zeros(2, 3), torch.ones(1, 3))

torch.nn.functional.cosine_similarity(torch.ones(3), torch.ones(3), dim=0)

x = torch.tensor([-6.0, -3.0, 0.0, 3.0, 6.0], dtype=torch.float64, requires_grad=True)
(g,) = torch.autograd.grad(torch.nn.functional.hardswish(x).sum(), x, create_graph=True)
g

x = torch.tensor([-1.0, 1.0, 0.0, 6.0], requires_grad=True)
torch.nn.functional.hardtanh(x, min_val=-1.0, max_val=6.0).sum().backward()
x.grad

x = torch.tensor([-3.0, 3.0], requires_grad=True)
torch.nn.Hardsigmoid()(x).sum().backward()
x.grad

torch.nn.functional.binary_cross_entropy(torch.tensor([0.2, 0.7]), torch.tensor([0, 1]))

torch.nn.functional.binary_cross_entropy(torch.tensor([0.2, 0.7], dtype=torch.float64), torch.tensor([0.0, 1.0]))

(torch.nn.Flatten(0)(torch.tensor(2.0)), torch.flatten(torch.tensor(2.0), 0, -1))

torch.nn.Flatten()(torch.ones(2))

torch.nn.Flatten(0, 1)(torch.ones(2, 3, 4).permute(2, 0, 1)).shape

torch.nn.Flatten(1)(torch.tensor(2.0))

x = torch.tensor([0.5, 2.0, -1.5, 10.0], dtype=torch.float64, requires_grad=True)
torch.lgamma(x).sum().backward()
(torch.lgamma(x), x.grad)

#! tol: 1e-9
x = torch.tensor([0.5, 2.0, -1.5, 10.0], dtype=torch.float64, requires_grad=True)
(g,) = torch.autograd.grad(torch.digamma(x).sum(), x)
(torch.digamma(x), g)

(torch.lgamma(torch.tensor([0.0, -1.0, -2.5, float("inf")])), torch.digamma(torch.tensor([0.0, -1.0, float("inf")])))
"""

GROUPS = {
    "flags": FLAGS,
    "dropout": DROPOUT,
    "rpow": RPOW,
    "views": VIEWS,
    "softmax": SOFTMAX,
    "edges": EDGES,
}


def all_cases() -> list[Case]:
    """The snippets of every group above, group by group."""
    cases: list[Case] = []
    for name, text in GROUPS.items():
        cases.extend(parse_group(name, text))
    return cases
