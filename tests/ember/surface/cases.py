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


A = "a = torch.tensor([[1.5, -2.0, 0.5, 3.0], [0.25, -1.0, 2.0, -0.75], [1.0, 0.0, -3.0, 2.5]], dtype=torch.float64)\n"  # noqa: E501
N = "n = torch.tensor([[12, -7, 0], [9, 15, 4]])\nm = torch.tensor([[18, 21, 5], [-6, 10, 0]])\n"

NEW = f"""
{A}torch.exp2(a)

torch.exp2(torch.tensor([0, 3, -1]))

{A}a.requires_grad_()
torch.exp2(a).sum().backward()
a.grad

{A}torch.logaddexp2(a, a.flip(0))

{A}(torch.deg2rad(a), torch.rad2deg(a), torch.deg2rad(torch.tensor([180])))

torch.float_power(torch.tensor([2, 3]), 2)

torch.float_power(torch.tensor([2.0, 3.0]), torch.tensor([0.5, -1.0]))

torch.float_power(torch.tensor([2.0 + 1j]), 2)

x = torch.tensor([2.0])
x.float_power_(2)
#! msg: float_power_

{A}torch.ldexp(a, torch.tensor([1, 2, -1, 0]))

torch.ldexp(torch.tensor([1, 2]), torch.tensor([3, 1]))

{A}torch.frexp(a)

torch.frexp(torch.tensor([1, 2]))

{N}(torch.gcd(n, m), torch.lcm(n, m))

{N}n.gcd_(m)
n

torch.gcd(torch.tensor([1.5]), torch.tensor([2.0]))

{A}torch.heaviside(a, torch.tensor([0.5], dtype=torch.float64))

torch.heaviside(torch.tensor([-1, 0, 2]), torch.tensor([7]))

torch.heaviside(torch.tensor([-1.0, 0.0]), torch.tensor([7]))

{A}torch.nextafter(a, torch.zeros(()).double()) - a

torch.signbit(torch.tensor([-0.0, 0.0, -2.0, 3.0, float("nan")]))

torch.signbit(torch.tensor([-1, 0, 2]))

{A}torch.positive(a) is a

torch.positive(torch.tensor([True]))

{A}torch.igamma(a.abs() + 0.5, a.abs())

{A}torch.igammac(a.abs() + 0.5, a.abs())

{A}torch.renorm(a, 2, 0, 2.0)

{A}torch.renorm(a, 1, 1, 1.5)

{A}a.requires_grad_()
torch.renorm(a, 2, 0, 2.0).pow(2).sum().backward()
a.grad

{A}a.renorm_(3, -1, 1.0)
a

torch.renorm(torch.tensor([3.0, 4.0]), 2, 0, 1.0)

{A}torch.index_reduce(a, 0, torch.tensor([2, 0, 2]), torch.ones(3, 4, dtype=torch.float64) * 2, "prod")

{A}torch.index_reduce(a, 1, torch.tensor([1, 1]), a[:, :2] + 1, "mean")

{A}torch.index_reduce(a, 1, torch.tensor([1, 1]), a[:, :2] + 1, "mean", include_self=False)

{A}a.index_reduce(0, torch.tensor([0, 0, 1]), a * 0.5, "amax")

{A}a.index_reduce(0, torch.tensor([0, 0, 1]), a * 0.5, "amin", include_self=False)

{A}a.index_reduce_(0, torch.tensor([2]), a[:1] * 3, "prod")
a

{A}src = (a * 0.7 + 0.1).clone()
a.requires_grad_()
src.requires_grad_()
torch.index_reduce(a, 0, torch.tensor([1, 2, 1]), src, "prod").sum().backward()
(a.grad, src.grad)

{A}src = (a * 0.7 + 0.1).clone()
a.requires_grad_()
src.requires_grad_()
torch.index_reduce(a, 0, torch.tensor([1, 2, 1]), src, "mean", include_self=False).pow(2).sum().backward()
(a.grad, src.grad)

{A}torch.index_reduce(a, 0, torch.tensor([0]), a[:1], "sum")

{A}torch.index_reduce(a, 0, torch.tensor([0]), a[:1].float(), "prod")

torch.index_reduce(torch.tensor(2.0), 0, torch.tensor([0]), torch.tensor([3.0]), "prod")

{A}torch.index_reduce(a, 0, torch.tensor([0, 1]), a, "amax")

{A}torch.histogram(a, bins=4)

{A}torch.histogram(a, bins=3, range=(-1.0, 1.0), density=True)

{A}torch.histogram(a, torch.tensor([-3.0, 0.0, 1.0, 3.0], dtype=torch.float64))

{A}torch.histogram(a.reshape(-1), 2, weight=a.abs().reshape(-1))

torch.vander(torch.tensor([1, 2, 3]), N=4)

torch.vander(torch.tensor([0.5, -1.0, 2.0]), increasing=True)

torch.unravel_index(torch.tensor([5, 0, 11, -1]), (3, 4))

torch.unravel_index(torch.tensor(7), (2, 2, 2))

torch.unravel_index(torch.tensor([12]), (3, 4))

torch.isin(torch.tensor([[1, 2], [3, 4]]), torch.tensor([2, 3, 9]))

torch.isin(torch.tensor([1.0, 2.0]), 2.0)

torch.isin(torch.tensor([1, 2, 3]), torch.tensor([2]), invert=True)

torch.nonzero_static(torch.tensor([[0, 1], [2, 0]]), size=4)

torch.nonzero_static(torch.tensor([0, 1, 2, 3]), size=2, fill_value=9)

{A}torch.gradient(a)

{A}torch.gradient(a, spacing=2.0, dim=1, edge_order=2)

{A}torch.gradient(a, spacing=[0.5, 2.0])

{A}a.requires_grad_()
torch.gradient(a, dim=1)[0].pow(2).sum().backward()
a.grad

torch.gradient(torch.arange(27.0).reshape(3, 3, 3) ** 1.5, dim=[0, -1], spacing=[torch.tensor([1.1, 2.0, 3.5]), torch.tensor([4.0, 2.0, 6.0])], edge_order=1)

torch.gradient(torch.arange(27.0).reshape(3, 3, 3) ** 1.5, dim=[0, 1], spacing=[torch.tensor([1.0, 3.0, 2.0]), torch.tensor([8.0, 6.0, 1.0])], edge_order=2)

x = (torch.arange(16.0).reshape(4, 4) / 3).requires_grad_()
torch.gradient(x.sin(), spacing=[torch.tensor([0.0, 0.5, 2.0, 2.5]), torch.tensor([1.0, 2.0, 4.0, 8.0])], edge_order=2)[1].pow(2).sum().backward()
x.grad

torch.gradient(torch.tensor([1.0, 4.0, 9.0, 16.0]), spacing=None)

torch.histogramdd(torch.tensor([[0.0, 0.0], [1.0, 1.0]]), [torch.tensor([3.0, -3.0]), torch.tensor([0.0, 1.0])])

torch.histogramdd(torch.tensor([[2.0, 2.0]]), [1, 1])

torch.histogramdd(torch.arange(25.0).reshape(5, 5).sin(), [2, 3, 2, 3, 2]).hist.sum()

torch.histogramdd(torch.arange(25.0).reshape(5, 5).cos(), [1, 1, 1, 1, 1], weight=torch.arange(5.0), density=True)

x = torch.tensor([8.0, 0.3, -5.0], requires_grad=True)
m, e = torch.frexp(x)
m.sum().backward()
(m, e, x.grad)

x = torch.tensor([1.0, 2.0], requires_grad=True)
o = torch.tensor([3.0, 0.0], requires_grad=True)
torch.nextafter(x, o).sum().backward()
(x.grad, o.grad)

torch.renorm(torch.arange(-12.0, 12.0).reshape(2, 3, 4), float("inf"), 2, 0.5)

(torch.index_reduce(torch.tensor(-4.5), 0, torch.tensor([0]), torch.tensor(-1.5), "amax"), torch.index_reduce(torch.tensor(-4.5), 0, torch.tensor([0]), torch.tensor(-1.5), "amin", include_self=False))

{A}torch.row_stack([a[0], a[1]])

{A}[t.shape for t in torch.unsafe_chunk(a, 2, 1)]

{A}torch.unsafe_split(a, 2)

{A}torch.fill(a, 2.5)

{A}torch.empty_strided((2, 3), (1, 2)).shape

torch.empty_permuted((2, 3, 4), (0, 2, 1)).shape

{A}torch.as_strided_scatter(torch.zeros(8), torch.arange(1.0, 4.0), (3,), (2,), 1)

x = torch.zeros(2, 4, requires_grad=True)
s = torch.ones(2, 2, requires_grad=True)
y = torch.as_strided_scatter(x * 1, s * 3, (2, 2), (4, 1), 1)
(y * torch.arange(8.0).reshape(2, 4)).sum().backward()
(y, s.grad)

{A}a.new_empty_strided((2, 2), (2, 1)).shape

{A}(a.cfloat(), a.cdouble().dtype)

{A}a.__rdiv__(2.0)

{A}(torch.exp_(a.clone()), torch.abs_(a.clone()), torch.zero_(a.clone()))

{A}b = a.clone()
torch.clamp_(b, -1, 1)
b

{A}b = a.clone()
b.sinc_()
b.arctanh_() if False else b

{A}b = a.abs() + 0.5
(b.clone().lgamma_(), b.clone().digamma_(), b.clone().polygamma_(1), b.clone().mvlgamma_(1))
#! tol: 1e-8

{A}b = a.clone()
b.subtract_(1.5)
b.multiply_(2)
b.true_divide_(4)
b

{A}b = a.clone()
b.deg2rad_()
b

torch.tensor([7, 9]).lcm_(torch.tensor([3, 6]))

{A}torch.is_same_size(a, a.T)

{A}(torch.is_signed(a), torch.is_signed(torch.tensor([1], dtype=torch.uint8)))

{A}(torch.is_conj(a), torch.is_neg(a), torch.resolve_neg(a) is a)

{A}x = a.clone().requires_grad_()
y = torch.transpose_copy(x, 0, 1)
y[0, 0] = 100.0
(y, x)

{A}torch.view_copy(a, (2, 6))

{A}torch.permute_copy(a.reshape(3, 2, 2), (2, 0, 1))

{A}torch.expand_copy(a[:1], (2, 3, 4))

{A}torch.unsqueeze_copy(a, 1).shape

{A}torch.squeeze_copy(a.reshape(3, 1, 4), 1).shape

{A}torch.diagonal_copy(a, 1)

{A}torch.select_copy(a, 1, 2)

{A}torch.slice_copy(a, 1, 1, 4, 2)

{A}torch.t_copy(a)

{A}torch.unfold_copy(a, 1, 2, 1)

{A}torch.as_strided_copy(a, (2, 2), (1, 4))

{A}torch.alias_copy(a)

{A}torch.detach_copy(a)

{A}torch.split_copy(a, 2, 1)

{A}torch.split_with_sizes_copy(a, [1, 3], 1)

{A}torch.unbind_copy(a, 1)

torch.view_as_real_copy(torch.tensor([1 + 2j, 3 - 1j]))

torch.view_as_complex_copy(torch.tensor([[1.0, 2.0], [3.0, -1.0]]))

{A}x = a.clone().requires_grad_()
(torch.diagonal_copy(x) * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum().backward()
x.grad

x = torch.ones(1, 3, 2, 2)
(x.float(memory_format=torch.contiguous_format).shape, x.to(memory_format=torch.preserve_format).shape, x.contiguous(memory_format=torch.channels_last).shape, str(torch.channels_last))

x = torch.arange(24.0).reshape(2, 3, 4)
w = torch.arange(18.0).reshape(3, 3, 2) / 10
(torch.conv1d(x, w, None, 1, 1), torch.max_pool1d(x, 2), torch.avg_pool1d(x, 3, 1))

x = torch.arange(24.0).reshape(2, 3, 4)
(torch.adaptive_max_pool1d(x, 2), torch.max_pool1d_with_indices(x, 2))

x = torch.arange(24.0).reshape(2, 3, 4)
torch.constant_pad_nd(x, (1, -1, 2, 0), 7.0)

x = torch.arange(24.0).reshape(2, 3, 4) / 10
w = torch.tensor([1.0, 2.0, 0.5])
b = torch.tensor([0.1, 0.0, -0.1])
(torch.batch_norm(x, w, b, None, None, True, 0.1, 1e-5, False), torch.layer_norm(x, [4]), torch.group_norm(x, 3, w, b))

x = torch.arange(24.0).reshape(2, 3, 4) / 10
w = torch.tensor([1.0, 2.0, 0.5])
b = torch.tensor([0.1, 0.0, -0.1])
torch.native_batch_norm(x, w, b, None, None, True, 0.1, 1e-5)

x = torch.arange(24.0).reshape(2, 3, 4) / 10
torch.native_batch_norm(x, None, None, torch.zeros(3), torch.ones(3), False, 0.1, 1e-5)

x = torch.arange(24.0).reshape(2, 3, 4) / 10
torch.native_layer_norm(x, [3, 4], None, None, 1e-5)

x = torch.arange(24.0).reshape(2, 3, 4) / 10
w = torch.tensor([1.0, 2.0, 0.5])
torch.native_group_norm(x, w, None, 2, 3, 4, 3, 1e-5)

x = torch.arange(24.0).reshape(2, 3, 4) / 10
torch.instance_norm(x, None, None, None, None, True, 0.1, 1e-5, False)

w = torch.arange(10.0).reshape(5, 2)
(torch.embedding(w, torch.tensor([[1, 4], [0, 0]])), torch.embedding(w, torch.tensor([3]), 3))

x = torch.tensor([[0.5, -1.0], [2.0, 0.1]])
t = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
(torch.binary_cross_entropy_with_logits(x, t), torch.binary_cross_entropy_with_logits(x, t, None, None, 0), torch.kl_div(x.log_softmax(1), t.softmax(1), 2))

x = torch.tensor([[0.5, -1.0], [2.0, 0.1]])
y = torch.tensor([[1.0, 0.3], [-0.2, 1.0]])
t = torch.tensor([1.0, -1.0])
(torch.cosine_embedding_loss(x, y, t), torch.margin_ranking_loss(x[:, 0], y[:, 0], t, 0.1, 2), torch.hinge_embedding_loss(x, torch.tensor([[1.0, -1.0], [-1.0, 1.0]]), 1.0, 0))

x = torch.tensor([[0.5, -1.0], [2.0, 0.1]])
y = torch.tensor([[1.0, 0.3], [-0.2, 1.0]])
(torch.poisson_nll_loss(x, y.abs(), True, False, 1e-8, 1), torch.triplet_margin_loss(x, y, -x), torch.pairwise_distance(x, y), torch.pdist(x), torch.cosine_similarity(x, y))

x = torch.tensor([[0.5, -1.0, 3.0], [2.0, 0.1, -0.4]])
(torch.celu(x, 0.5), torch.selu(x), torch.threshold(x, 0.4, -9.0), torch.hardshrink(x, 0.45), x.hardshrink(), torch.prelu(x, torch.tensor([0.25])), torch.rrelu(x))

x = torch.tensor([[0.5, -1.0, 3.0], [2.0, 0.1, -0.4]])
torch.selu_(x)
x

x = torch.tensor([[0.5, -1.0, 3.0], [2.0, 0.1, -0.4]])
(torch.dropout(x, 0.5, False), torch.alpha_dropout(x, 0.5, False), torch.feature_dropout(x, 0.3, False))

x = torch.arange(16.0).reshape(1, 4, 2, 2)
(torch.pixel_shuffle(x, 2).shape, torch.pixel_unshuffle(torch.pixel_shuffle(x, 2), 2).shape, torch.channel_shuffle(x, 2))

x = torch.tensor([[0.5, -1.0, 3.0], [2.0, 0.1, -0.4]])
h = torch.tensor([[0.1, 0.2], [-0.3, 0.4]])
c = torch.tensor([[1.0, -1.0], [0.5, 0.0]])
w_ih = torch.arange(24.0).reshape(8, 3) / 20 - 0.5
w_hh = torch.arange(16.0).reshape(8, 2) / 10 - 0.7
b = torch.linspace(-0.2, 0.3, 8)
torch.lstm_cell(x, (h, c), w_ih, w_hh, b, b * 2)

x = torch.tensor([[0.5, -1.0, 3.0], [2.0, 0.1, -0.4]])
h = torch.tensor([[0.1, 0.2], [-0.3, 0.4]])
w_ih = torch.arange(18.0).reshape(6, 3) / 20 - 0.5
w_hh = torch.arange(12.0).reshape(6, 2) / 10 - 0.7
b = torch.linspace(-0.2, 0.3, 6)
(torch.gru_cell(x, h, w_ih, w_hh, b, b * 2), torch.rnn_tanh_cell(x, h, w_ih[:2], w_hh[:2]), torch.rnn_relu_cell(x, h, w_ih[:2], w_hh[:2], b[:2]))

x = torch.arange(16.0).reshape(1, 1, 4, 4)
g = torch.tensor([[[[-0.5, -0.5], [0.25, 0.9]], [[1.0, -1.0], [0.0, 0.3]]]])
(torch.grid_sampler_2d(x, g, 0, 0, False), torch.grid_sampler(x, g, 1, 1, True))

theta = torch.tensor([[[1.0, 0.2, 0.1], [-0.1, 0.9, 0.0]]])
torch.affine_grid_generator(theta, (1, 1, 2, 3), False)

x = torch.tensor([[0.5, -1.0], [2.0, 0.1]])
torch.rms_norm(x, [2])
"""

_POLYS = [
    "chebyshev_polynomial_t",
    "chebyshev_polynomial_u",
    "chebyshev_polynomial_v",
    "chebyshev_polynomial_w",
    "shifted_chebyshev_polynomial_t",
    "shifted_chebyshev_polynomial_u",
    "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w",
    "hermite_polynomial_h",
    "hermite_polynomial_he",
    "laguerre_polynomial_l",
    "legendre_polynomial_p",
]
_BESSEL = [
    "bessel_y0",
    "bessel_y1",
    "modified_bessel_k0",
    "modified_bessel_k1",
    "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1",
]
_PX = (
    "x = torch.tensor([-1.0, -0.7, -0.2, 0.0, 0.35, 0.5, 0.9, 1.0, 1.6], dtype=torch.float64)\n"
    "n = torch.tensor([[0], [1], [2], [3], [5], [9], [12], [-1]])\n"
)


def _special_group() -> str:
    parts = [f"{_PX}torch.special.{p}(x, n)" for p in _POLYS]
    parts += [f"{_PX}torch.special.{p}(x.float(), 4)" for p in _POLYS]
    parts += [
        f"{_PX}torch.special.chebyshev_polynomial_t(torch.tensor([2, 3]), torch.tensor([3, 2]))",
        f"{_PX}torch.special.legendre_polynomial_p(x, 7.9)",
        f"{_PX}torch.special.erfcx(torch.cat([x * 4, torch.tensor([-3.0, 2.5, 7.0, 30.0, 1e3], dtype=torch.float64)]))",  # noqa: E501
        f"{_PX}torch.special.erfcx(torch.tensor([0, 1]))",
        f"{_PX}x.requires_grad_()\ntorch.special.erfcx(x * 3).sum().backward()\nx.grad",
        f"{_PX}torch.special.spherical_bessel_j0(torch.cat([x * 7, torch.tensor([0.0, 1e-6])]))",
        f"{_PX}x.requires_grad_()\ntorch.special.spherical_bessel_j0(x * 3).sum().backward()\nx.grad",
        f"{_PX}(torch.special.modified_bessel_i0(x), torch.special.modified_bessel_i1(x))",
    ]
    pts = (
        "torch.tensor([0.0, 1e-3, 0.5, 1.0, 2.0, 2.1, 3.3, 7.0, 12.5, 16.0, 24.9, 25.0, 40.0, "
        "100.0, 700.0, -1.0, float('inf')], dtype=torch.float64)"
    )
    for name in _BESSEL:
        parts.append(f"torch.special.{name}({pts})\n#! tol: 1e-6")
        parts.append(f"torch.special.{name}(torch.tensor([0.5, 3.0, 30.0]))\n#! tol: 1e-5")
    return "\n\n".join(parts)


# Empty tensors and other edges the torch OpInfo samples reach.
EDGES = """
torch.softmax(torch.zeros(0, 3), 0)

(torch.gather(torch.arange(5.0), 0, torch.zeros(0, dtype=torch.bool)), torch.gather(torch.arange(5.0), 0, torch.zeros(2, 0, dtype=torch.int64)).shape)

torch.gather(torch.tensor(2.5), 0, torch.tensor([0]))

torch.index_fill(torch.tensor(2.5), 0, torch.tensor([0]), torch.tensor(7.0))

torch.searchsorted(torch.zeros(0, 0), torch.zeros(0, 0), out_int32=True)

torch.searchsorted(torch.tensor([False, True]), torch.tensor([True]))

torch.logit(torch.tensor([True, False]))

(torch.arange(0.0, -8.000001, -4.0, dtype=torch.int64), torch.arange(2.1, -2.9, -1.0, dtype=torch.int64), torch.arange(3.1, dtype=torch.int64))

torch.arange(3, dtype=torch.bool)

(torch.logspace(4.3, 1.2, 4, dtype=torch.int64), torch.logspace(0, 1.2, 2, 5.0, dtype=torch.int64), torch.logspace(-3, 0, 1, dtype=torch.bool))

torch.logspace(0, 1, 3, dtype=torch.bool)

torch.log_softmax(torch.zeros(2, 0), 1)

torch.nn.functional.softmin(torch.zeros(0, 3), 1)

torch.unique(torch.zeros(0, 2), dim=0)

torch.unique(torch.tensor([[1, 2], [1, 2], [0, 1]]), dim=0, return_inverse=True, return_counts=True)

torch.unique_consecutive(torch.zeros(0, 2), dim=0)

torch.aminmax(torch.zeros(5, 0, 5), dim=1)

torch.amax(torch.zeros(5, 0, 5), 0)

torch.amin(torch.zeros(0, 3))

torch.take_along_dim(torch.arange(10.0).reshape(2, 5), torch.tensor([[-5, 1], [-1, 0]]), 1)

torch.zeros(5).masked_fill(torch.tensor([[True], [False]]), 1.0)

torch.zeros(5).masked_fill_(torch.ones(2, 5, dtype=torch.bool), 1.0)

t = torch.scalar_tensor(2.5, requires_grad=True)
(t * 3).backward()
(t, t.grad, torch.scalar_tensor(3, dtype=torch.int64))

torch.bucketize(torch.tensor([0.5, 2.5]), torch.tensor([1.0, 2.0, 3.0]), out=torch.empty(0, dtype=torch.int64))

torch.histc(torch.tensor([0.5, 2.5, 2.6]), 3, 0.0, 3.0, out=torch.empty(0))

torch.polygamma(2, torch.tensor([0.7, 2.0], dtype=torch.float64), out=torch.empty(0, dtype=torch.float64))
#! tol: 1e-8

torch.mvlgamma(torch.tensor([2.5, 3.0], dtype=torch.float64), 2, out=torch.empty(0, dtype=torch.float64))

torch.histogramdd(torch.tensor([[0.0, 0.0], [1.0, 1.0], [0.2, 0.9], [0.6, 0.1]]), bins=2)

torch.histogramdd(torch.tensor([[0.0, 0.0], [1.0, 1.0], [0.2, 0.9]]), bins=[2, 3], range=[0.0, 1.0, 0.0, 1.0], density=True)

torch.histogramdd(torch.tensor([[0.0, 0.5], [1.0, 1.0]]), bins=[torch.tensor([0.0, 0.5, 1.0]), torch.tensor([0.0, 1.0])], weight=torch.tensor([2.0, 3.0]))

x = torch.arange(12.0).reshape(4, 3).sin().requires_grad_()
w = torch.arange(15.0).reshape(5, 3).cos().requires_grad_()
b = torch.linspace(-1, 1, 5)
loss = torch.nn.functional.linear_cross_entropy(x, w, torch.tensor([0, 4, 1, 2]), linear_bias=b, label_smoothing=0.1)
loss.backward()
(loss, x.grad, w.grad)

x = torch.arange(12.0).reshape(4, 3).sin()
w = torch.arange(15.0).reshape(5, 3).cos()
torch.nn.functional.linear_cross_entropy(x, w, torch.tensor([0, -100, 1, 2]), reduction="none", ignore_index=-100)

logits = torch.tensor([[0.5, -1.0, 2.0], [0.0, 0.0, 0.0]], requires_grad=True)
y = torch.nn.functional.gumbel_softmax(logits, tau=0.5, hard=True)
(y.sum(-1), y.shape, ((y == 0) | (y == 1)).all())
#! random

(torch.cov(torch.tensor([[1.0, 2.0, 4.0]])), torch.corrcoef(torch.tensor([[1.0, 2.0, 4.0]])))

x = torch.zeros(3, requires_grad=True)
y = x.masked_fill(torch.tensor([[True], [False]]), 2.0)
(y * torch.arange(6.0).reshape(2, 3)).sum().backward()
(y, x.grad)
"""

MISC = """
torch.range(0, 1, 0.25)

torch.range(1, 4, dtype=torch.int64)

torch.frombuffer(bytearray(b"\\x01\\x00\\x00\\x00\\x02\\x00\\x00\\x00"), dtype=torch.int32)

torch.frombuffer(bytearray(8), dtype=torch.float32, count=1, offset=4)

(torch.typename(1.5), torch.typename([1]))

(torch.frobenius_norm(torch.arange(6.0).reshape(2, 3), (0, 1)), torch.nuclear_norm(torch.arange(6.0).reshape(2, 3)))

torch.cond(torch.tensor(False), lambda x: x + 1, lambda x: x - 1, (torch.ones(2),))

torch.wait(torch.fork(lambda a: a * 2, torch.ones(2)))

(torch.sym_int(2.7), torch.sym_float(2), torch.sym_max(2, 5), torch.sym_min(2, 5), torch.sym_not(False), torch.sym_sqrt(9), torch.sym_sum([1, 2, 3]), torch.sym_ite(False, 1, 2))

torch.set_deterministic_debug_mode("warn")
mode = torch.get_deterministic_debug_mode()
torch.set_deterministic_debug_mode(0)
(mode, torch.get_deterministic_debug_mode(), torch.are_deterministic_algorithms_enabled())

torch.set_warn_always(True)
on = torch.is_warn_always_enabled()
torch.set_warn_always(False)
(on, torch.is_warn_always_enabled())

torch.set_anomaly_enabled(True)
on = torch.is_anomaly_enabled()
torch.set_anomaly_enabled(False)
(on, torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())

x = torch.ones(2)
(torch.is_inference(x), torch.is_distributed(x), torch.is_storage(x), torch.detach(x.requires_grad_()).requires_grad)

x = torch.zeros(2, 3)
x.apply_(lambda v: v + 2)
x.map_(torch.arange(3.0), lambda a, b: a * b)
x.map2_(torch.ones(3), torch.full((2, 3), 3.0), lambda a, b, c: a + b + c)
x

x = torch.zeros(2, 3)
(x.dense_dim(), x.sparse_dim(), x.to_dense() is x)

class Sub(torch.Tensor):
    pass
x = torch.ones(2, requires_grad=True)
y = x.as_subclass(Sub)
(y * 2).sum().backward()
(type(y).__name__, isinstance(y, torch.Tensor), x.grad)

x = torch.empty(2000, dtype=torch.float64)
(x.cauchy_(1.0, 2.0).median().round(decimals=0), x.log_normal_(0.0, 0.5).shape, x.geometric_(0.3).min())
#! random

x = torch.empty(3, dtype=torch.float64)
x.geometric_(0.3)
x.dtype

x = torch.arange(6.0).reshape(3, 2)
torch.vmap(lambda a, b: (a * b).sum())(x, x + 1)

x = torch.arange(6.0).reshape(3, 2)
w = torch.tensor([[1.0, -1.0, 0.5], [2.0, 0.0, 1.0]])
torch.vmap(lambda r, w: r @ w, in_dims=(0, None))(x, w)

x = torch.arange(6.0).reshape(2, 3)
torch.vmap(lambda a: (a.exp(), a * 2), in_dims=1, out_dims=(0, 1))(x)

x = torch.arange(6.0).reshape(2, 3)
torch.vmap(torch.vmap(lambda a, b: a * b))(x, x)

x = torch.arange(6.0).reshape(3, 2).requires_grad_()
torch.vmap(lambda r: (r**2).sum())(x).sum().backward()
x.grad

torch.vmap(lambda a, b: a + b)(torch.ones(3, 2), torch.ones(4, 2))

torch.vmap(lambda a: a, in_dims=(None,))(torch.ones(2))
"""

GROUPS = {
    "misc": MISC,
    "out": OUT,
    "zerod": _zerod_group(),
    "new": NEW,
    "special": _special_group(),
    "edges": EDGES,
}


def all_cases() -> list[Case]:
    """Every snippet of every group, in order."""
    return [case for name, text in GROUPS.items() for case in parse_group(name, text)]
