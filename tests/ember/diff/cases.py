"""The snippets: PyTorch code as strings, grouped by topic.

Within a group, snippets are separated by blank lines. The last line of a snippet is an
expression whose value is compared (or assign ``out``). Directive lines:
``#! xfail: reason`` (a known divergence owned elsewhere), ``#! random`` (compare only
dtype/shape, and floats only when ``tol`` is given), ``#! tol: 1e-4``, ``#! msg: fragment``
(a fragment the error message must contain, in torch and in ember).
After editing, rerun ``/work/torchref/bin/python tests/ember/diff/make_expected.py``.
"""

from __future__ import annotations

try:
    from tests.ember.diff._harness import Case, parse_group
except ImportError:  # run as a script by make_expected.py
    from _harness import Case, parse_group

CREATION = r'''
torch.tensor([1, 2, 3])

torch.tensor([1.5, 2])

torch.tensor([True, False])

torch.tensor([1, 2.0, True])

torch.tensor(3)

torch.tensor(3.5)

torch.tensor(True)

torch.tensor([])

torch.tensor([[]])

torch.tensor([[1, 2], [3, 4]], dtype=torch.float64)

torch.tensor([1 + 2j, 3])

torch.tensor(np.array([1, 2], dtype=np.int32))

torch.tensor(np.array([1.0, 2.0]))

torch.tensor(np.float32(2.5))

torch.tensor([np.float64(1.5), 2])

torch.tensor([[1, 2], [3]])

torch.tensor([torch.tensor(1.0), torch.tensor(2.0)])

torch.tensor(2**40)

torch.tensor([2**63])

torch.tensor([1, 2], dtype=torch.uint8) - 3

torch.as_tensor([1, 2, 3])

a = np.array([1.0, 2.0]); t = torch.as_tensor(a); a[0] = 9.0; t

a = np.array([1.0, 2.0]); t = torch.from_numpy(a); t[1] = 7.0; a

a = np.array([1.0, 2.0]); t = torch.tensor(a); a[0] = 9.0; t

torch.from_numpy(np.arange(6, dtype=np.int16).reshape(2, 3))

torch.from_numpy(np.array([True, False]))

torch.zeros(2, 3)

torch.zeros((2, 3))

torch.zeros([2, 3], dtype=torch.int64)

torch.zeros(0)

torch.zeros(())

torch.ones(2, 2, dtype=torch.bool)

torch.ones(3).dtype

torch.empty(2, 3).shape

torch.full((2, 2), 7)

torch.full((2, 2), 7.0)

torch.full((2,), True)

torch.full((2, 2), 1.5, dtype=torch.float64)

torch.zeros_like(torch.tensor([1, 2]))

torch.ones_like(torch.tensor([1.0, 2.0], dtype=torch.float64))

torch.full_like(torch.tensor([1, 2]), 2.7)

torch.empty_like(torch.ones(2, 3)).shape

torch.rand_like(torch.ones(2, 3, dtype=torch.float64)).dtype

torch.randn_like(torch.ones(2, 3)).shape

torch.arange(5)

torch.arange(1, 4)

torch.arange(0, 1, 0.25)

torch.arange(0.0, 3)

torch.arange(1, 2.5, 0.5)

torch.arange(5, 0, -1)

torch.arange(0, 10, 3)

torch.arange(5, dtype=torch.float32)

torch.arange(0, 1, 0.1).shape

torch.arange(-1.0, 1.0, 0.4)

torch.arange(0)

torch.arange(torch.tensor(4))

torch.linspace(0, 1, 5)

torch.linspace(0, 10, steps=3)

torch.linspace(-1, 1, 1)

torch.linspace(0, 1, 0)

torch.linspace(0, 5, 6, dtype=torch.int64)

torch.logspace(0, 2, 3)

torch.logspace(0, 3, 4, base=2)

torch.eye(3)

torch.eye(2, 3)

torch.eye(2, dtype=torch.int32)

torch.tensor([[1, 2], [3, 4]]).new_zeros(3)

torch.tensor([1.0], dtype=torch.float64).new_ones(2, 2)

torch.tensor([1, 2]).new_tensor([1.5, 2.5])

torch.tensor([1.0]).new_full((2,), 3)

torch.tensor([1.0]).new_empty(4).shape

torch.tensor([1, 2, 3], dtype=torch.float16)

torch.tensor([1, 2], dtype=torch.int8)

torch.tensor([300], dtype=torch.uint8)

torch.tensor([1.7, -1.7]).int()

torch.tensor([1.7, -1.7]).long()

torch.tensor([0.0, 2.0]).bool()

torch.tensor([1, 2]).float()

torch.tensor([1, 2]).double()

torch.tensor([1, 2]).half()

torch.tensor([1.5]).to(torch.int32)

torch.tensor([1.5]).to(dtype=torch.float64)

torch.tensor([1.5]).to("cpu")

torch.tensor([1.5]).to("cpu", torch.float64)

torch.tensor([1.5]).to(torch.tensor([1], dtype=torch.int16))

torch.tensor([1.5]).type(torch.float64)

torch.tensor([1.5]).type()

torch.tensor([1]).type()

torch.tensor([1.5]).type('torch.DoubleTensor')

torch.empty(3, dtype=torch.int64).dtype

torch.Tensor([1, 2])

torch.Tensor(2, 3).shape

torch.FloatTensor([1, 2])

torch.LongTensor([1, 2])

torch.complex(torch.tensor([1.0]), torch.tensor([2.0]))

torch.polar(torch.tensor([2.0]), torch.tensor([0.0]))

torch.zeros(2, 3).tolist()

torch.empty(0, 3).tolist()

torch.tensor([], dtype=torch.int64)

torch.tensor([[1, 2], [3, 4]]).T

torch.tril(torch.ones(3, 3))

torch.triu(torch.ones(3, 3), diagonal=1)

torch.diag(torch.tensor([1, 2, 3]))

torch.diag(torch.tensor([[1, 2], [3, 4]]))

torch.diagflat(torch.tensor([1, 2]))

torch.meshgrid(torch.tensor([1, 2]), torch.tensor([3, 4, 5]), indexing='ij')

torch.meshgrid(torch.tensor([1, 2]), torch.tensor([3, 4, 5]), indexing='xy')

torch.cartesian_prod(torch.tensor([1, 2]), torch.tensor([3, 4]))

torch.zeros(-1)

torch.tensor([1, 2], dtype=torch.float32, requires_grad=True)

torch.tensor([1, 2], requires_grad=True)

torch.zeros(2, requires_grad=True)

torch.scalar_tensor(3)

torch.tensor(3).dim()

torch.zeros(2, 3, 4).numel()

torch.zeros(2, 3).size(1)

torch.zeros(2, 3).size(-1)

torch.zeros(2, 3).size()

torch.zeros(2, 3).shape[0]

torch.zeros(2, 3).ndim

torch.zeros(2, 3).element_size()

torch.zeros(2, 3, dtype=torch.float64).nbytes

torch.get_default_dtype()

torch.set_default_dtype(torch.float64); torch.tensor([1.5]).dtype

torch.set_default_dtype(torch.float64); torch.zeros(2).dtype

torch.set_default_dtype(torch.float64); torch.tensor([1]).dtype

torch.set_default_dtype(torch.float64); torch.arange(0, 1, 0.5).dtype

torch.set_default_dtype(torch.float64); torch.tensor([1j]).dtype

torch.tensor([1j]).dtype

torch.is_tensor(torch.zeros(1))

torch.is_tensor([1])

torch.is_floating_point(torch.zeros(1))

torch.zeros(1, dtype=torch.int32).is_floating_point()

torch.numel(torch.zeros(4, 5))

torch.zeros(2).is_complex()

torch.float32.is_floating_point

torch.int64.is_signed

torch.finfo(torch.float32).eps

torch.finfo(torch.float16).max

torch.finfo().tiny

torch.iinfo(torch.int32).max

torch.iinfo(torch.uint8).min

torch.float32.itemsize
'''

PROMOTION = r'''
torch.tensor([1, 2]) + torch.tensor([1.5, 2.5])

torch.tensor([1, 2]) + 1.5

torch.tensor([1, 2]) * 2

torch.tensor([1, 2], dtype=torch.int32) + 1

torch.tensor([1, 2], dtype=torch.int32) + torch.tensor(1)

torch.tensor([1, 2], dtype=torch.int32) + torch.tensor([1])

torch.tensor([1.0], dtype=torch.float16) + 1.0

torch.tensor([1.0], dtype=torch.float16) + torch.tensor(1.0, dtype=torch.float64)

torch.tensor([1.0], dtype=torch.float16) + torch.tensor([1.0], dtype=torch.float64)

torch.tensor([1.0]) + torch.tensor([1.0], dtype=torch.float64)

torch.tensor([1.0]) + torch.tensor(1.0, dtype=torch.float64)

torch.tensor([1], dtype=torch.uint8) + torch.tensor([1], dtype=torch.int8)

torch.tensor([200], dtype=torch.uint8) + 100

torch.tensor([True, False]) + torch.tensor([True, True])

torch.tensor([True, False]) + 1

torch.tensor([True, False]) + 1.5

torch.tensor([True, False]) * torch.tensor([2, 3])

torch.tensor([1, 2]) / 2

torch.tensor([1, 2]) / torch.tensor([2, 2])

torch.tensor([5, -5]) // 2

torch.tensor([5, -5]) % 3

torch.tensor([5.5, -5.5]) % 3

torch.tensor([5.0, -5.0]) // 2

torch.tensor([2, 3]) ** 2

torch.tensor([2, 3]) ** 0.5

torch.tensor([2, 3]) ** -1

2 ** torch.tensor([1, 2])

2.0 ** torch.tensor([1, 2])

torch.tensor([1, 2]) - True

torch.tensor([1, 2]) + 1j

torch.tensor([1.0, 2.0]) * torch.tensor([1j])

torch.tensor([1, 2], dtype=torch.int64) + np.float64(0.5)

torch.tensor([1.0, 2.0]) + np.float64(0.5)

torch.tensor([1.0]) * np.array([2.0])

torch.tensor(3) + torch.tensor([1.5])

torch.tensor(3.5, dtype=torch.float64) * torch.tensor([1, 2])

torch.result_type(torch.tensor([1]), 1.0)

torch.result_type(torch.tensor([1], dtype=torch.int8), torch.tensor(1000))

torch.promote_types(torch.int32, torch.float16)

torch.promote_types(torch.uint8, torch.int8)

torch.promote_types(torch.bool, torch.int32)

torch.can_cast(torch.float64, torch.int32)

torch.can_cast(torch.int32, torch.float64)

torch.tensor([1, 2]) == torch.tensor([1.0, 3.0])

torch.tensor([1, 2]) < 1.5

torch.tensor([1, 2]).add(1.5)

torch.tensor([1, 2]).mul(torch.tensor([0.5]))

torch.add(torch.tensor([1, 2]), torch.tensor([3, 4]), alpha=2)

torch.sub(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]), alpha=0.5)

torch.tensor([1, 2]).true_divide(2)

torch.div(torch.tensor([5, -5]), 2, rounding_mode='floor')

torch.div(torch.tensor([5, -5]), 2, rounding_mode='trunc')

torch.div(torch.tensor([5.0, -5.0]), 2, rounding_mode='trunc')

torch.floor_divide(torch.tensor([7, -7]), 2)

torch.remainder(torch.tensor([-3, 3]), 2)

torch.fmod(torch.tensor([-3, 3]), 2)

torch.fmod(torch.tensor([-3.5, 3.5]), 2)

torch.tensor([1, 2]) & torch.tensor([3, 3])

torch.tensor([True, False]) | torch.tensor([False, False])

torch.tensor([True, False]) ^ True

~torch.tensor([True, False])

~torch.tensor([1, 2])

-torch.tensor([1, 2])

-torch.tensor([True])

torch.tensor([1, 2]) << 2

torch.tensor([8, 16]) >> 1

abs(torch.tensor([-1, 2]))

torch.tensor([1.0]) & torch.tensor([1.0])

torch.tensor([1, 2], dtype=torch.int32) * torch.tensor([1.5], dtype=torch.float64)

torch.tensor([1, 2]).sum().dtype

torch.tensor([1, 2], dtype=torch.int32).sum().dtype

torch.tensor([True, True]).sum()

torch.tensor([1, 2], dtype=torch.uint8).sum().dtype

torch.tensor([1, 2]).mean()

torch.tensor([1, 2]).float().mean()

torch.tensor([1, 2], dtype=torch.int32).prod().dtype

torch.tensor([1, 2]).cumsum(0).dtype

torch.tensor([1, 2], dtype=torch.int8).cumsum(0).dtype

torch.sqrt(torch.tensor([4, 9]))

torch.exp(torch.tensor([0, 1]))

torch.sin(torch.tensor([True]))

torch.tensor([1, 4]).sqrt().dtype

torch.sigmoid(torch.tensor([0]))

torch.tensor([3, 4], dtype=torch.int16).abs().dtype

torch.tensor([1.5, 2.5, -0.5]).round()

torch.tensor([1.234, 5.678]).round(decimals=1)

torch.tensor([1.5]).floor().dtype

torch.tensor([3]).floor()

torch.clamp(torch.tensor([1, 5, 9]), 2, 6)

torch.clamp(torch.tensor([1, 5, 9]), min=2.5)

torch.clamp(torch.tensor([1.0, 5.0]), max=torch.tensor([0.0, 3.0]))

torch.tensor([1, 2]).clamp_min(0.5)

torch.maximum(torch.tensor([1, 5]), torch.tensor([3.0, 2.0]))

torch.minimum(torch.tensor([1.0, float('nan')]), torch.tensor([3.0, 2.0]))

torch.max(torch.tensor([1, 5]), torch.tensor([3, 2]))

torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), torch.tensor([1.5, 2.5]))

torch.where(torch.tensor([True, False]), 1.0, 0.0)

torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), 0.5)

torch.where(torch.tensor([True, False]), 1, 0)

torch.where(torch.tensor([1, 0, 3]))

torch.where(torch.tensor([[0, 1], [1, 0]]) > 0)

torch.lerp(torch.tensor([0.0, 1.0]), torch.tensor([10.0, 11.0]), 0.5)

torch.addcmul(torch.tensor([1.0]), torch.tensor([2.0]), torch.tensor([3.0]), value=0.5)

torch.tensor([1, 2]) @ torch.tensor([3, 4])

torch.tensor([1.0, 2.0]) @ torch.tensor([3, 4])

torch.tensor([1, 2]).dot(torch.tensor([3, 4]))

torch.tensor(5) / torch.tensor(2)

torch.tensor([0.0]) / 0

torch.tensor([1.0, -1.0]) / 0

torch.tensor([1, 2]) / 0

torch.tensor([1, 2]) // 0

torch.tensor([1.0, 2.0]).neg()

torch.tensor([1, 2]).reciprocal()

torch.tensor([1, 2]).square()

torch.tensor([1, 2], dtype=torch.uint8).square()

torch.tensor([-2, 0, 3]).sign()

torch.tensor([-2.0, 0.0, 3.0]).sgn()

torch.tensor([float('nan'), 1.0]).nan_to_num()

torch.tensor([float('inf'), -float('inf'), 1.0]).nan_to_num(posinf=5.0)

torch.tensor([1.0, float('nan'), float('inf')]).isfinite()

torch.isnan(torch.tensor([1, 2]))

torch.isinf(torch.tensor([1.0, float('-inf')]))

torch.isclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0 + 1e-9, 2.1]))

torch.allclose(torch.tensor([1.0]), torch.tensor([1.0 + 1e-9]))

torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2]))

torch.equal(torch.tensor([1, 2]), torch.tensor([1.0, 2.0]))

torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2, 3]))

torch.tensor([1, 2]).eq(2)

torch.tensor([1, 2]).ne(torch.tensor([1, 3]))

torch.tensor([1.0, 2.0]).ge(torch.tensor(1.5))

torch.tensor([1, 2]) != 1

torch.logical_and(torch.tensor([1, 0]), torch.tensor([1, 1]))

torch.logical_not(torch.tensor([1.0, 0.0]))

torch.logical_or(torch.tensor([True, False]), torch.tensor([0, 0]))

torch.logical_xor(torch.tensor([True, False]), torch.tensor([True, True]))

torch.atan2(torch.tensor([1.0]), torch.tensor([1]))

torch.hypot(torch.tensor([3.0]), torch.tensor([4.0]))

torch.tensor([1, 2]).pow(torch.tensor([2.0, 0.5]))

torch.pow(2, torch.tensor([1.0, 2.0]))

torch.tensor([4.0]).rsqrt()

torch.tensor([1.0, 0.0]).log()

torch.tensor([-1.0]).sqrt()

torch.tensor([1, 2, 3]).float().softmax(0)

torch.tensor([[1.0, 2.0], [3.0, 4.0]]).log_softmax(dim=1)
'''

BROADCAST = r'''
torch.ones(2, 3) + torch.ones(3)

torch.ones(2, 1) + torch.ones(1, 3)

torch.ones(4, 1, 2) * torch.ones(3, 1)

torch.ones(2, 3) + torch.ones(2)

#! msg: size of tensor a
torch.ones(2, 3) + torch.ones(2)

torch.ones(0, 3) + torch.ones(3)

torch.ones(2, 0) * torch.ones(1)

torch.ones(3) + torch.tensor(2.0)

torch.ones(1) + torch.ones(())

torch.broadcast_tensors(torch.ones(2, 1), torch.ones(3))[0].shape

torch.broadcast_shapes((2, 1), (1, 3))

torch.broadcast_shapes((2,), (3,))

torch.ones(3).expand(2, 3)

torch.ones(3, 1).expand(-1, 4)

torch.ones(2).expand(3)

torch.ones(3, 1).expand_as(torch.ones(3, 5)).shape

torch.tensor([1, 2, 3]).expand(2, 3).contiguous()

x = torch.ones(3, 1); y = x.expand(3, 2); y.stride()

x = torch.ones(2, 3); x += torch.tensor([1.0, 2.0, 3.0]); x

x = torch.ones(3); x += torch.ones(2, 3)

x = torch.ones(2, 3); x.add_(torch.ones(2, 1)); x

torch.ones(2, 3).masked_fill(torch.tensor([True, False, True]), 0.0)

torch.where(torch.tensor([[True], [False]]), torch.ones(2, 3), torch.zeros(3))

torch.maximum(torch.ones(2, 1), torch.arange(3.0))

torch.ones(5, 1, 4, 1).sub(torch.ones(3, 1, 1)).shape

torch.matmul(torch.ones(2, 3, 4), torch.ones(4, 5)).shape

torch.matmul(torch.ones(2, 1, 3, 4), torch.ones(5, 4, 2)).shape

torch.matmul(torch.ones(3), torch.ones(2, 3, 4)).shape

torch.matmul(torch.ones(2, 3, 4), torch.ones(4)).shape

torch.ones(2, 3) @ torch.ones(2, 3)

torch.bmm(torch.ones(2, 3, 4), torch.ones(2, 4, 5)).shape

torch.bmm(torch.ones(2, 3, 4), torch.ones(3, 4, 5))

torch.mm(torch.ones(2, 3), torch.ones(3))

torch.mv(torch.ones(2, 3), torch.ones(3))

torch.outer(torch.tensor([1, 2]), torch.tensor([1, 2, 3]))

torch.addmm(torch.ones(2, 2), torch.ones(2, 3), torch.ones(3, 2), beta=0.5, alpha=2)

torch.einsum('ij,jk->ik', torch.arange(6.0).view(2, 3), torch.arange(6.0).view(3, 2))

torch.einsum('bi,bi->b', torch.ones(2, 3), torch.ones(2, 3))

torch.einsum('ii', torch.arange(9.0).view(3, 3))

torch.einsum('i,j', torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]))

torch.einsum('...ij->...ji', torch.ones(2, 3, 4)).shape

torch.tensordot(torch.ones(2, 3), torch.ones(3, 4), dims=1)

torch.kron(torch.tensor([[1, 2]]), torch.tensor([[1], [1]]))
'''

REDUCTION = r'''
torch.tensor([[1, 2], [3, 4]]).sum()

torch.tensor([[1, 2], [3, 4]]).sum(0)

torch.tensor([[1, 2], [3, 4]]).sum(dim=1, keepdim=True)

torch.tensor([[1, 2], [3, 4]]).sum(dim=(0, 1))

torch.tensor([[1, 2], [3, 4]]).sum(dim=[0, 1], keepdim=True)

torch.tensor([[1, 2], [3, 4]]).sum(-1)

torch.tensor([[1, 2], [3, 4]]).sum(2)

torch.tensor([[1, 2], [3, 4]]).sum(dtype=torch.float64)

torch.sum(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), 0)

torch.ones(0).sum()

torch.ones(0, 3).sum(0)

torch.ones(0).prod()

torch.ones(0).mean()

torch.tensor([1.0, 2.0, 3.0, 4.0]).mean()

torch.arange(6.0).view(2, 3).mean(dim=1)

torch.arange(6.0).view(2, 3).mean((0, 1), keepdim=True)

torch.arange(6).mean()

torch.arange(6.0).view(2, 3).std()

torch.arange(6.0).view(2, 3).std(dim=0)

torch.arange(6.0).view(2, 3).std(dim=1, unbiased=False)

torch.arange(6.0).view(2, 3).var(dim=1, correction=0)

torch.arange(6.0).var(keepdim=True, dim=0)

torch.tensor([1.0]).std()

torch.std_mean(torch.arange(4.0))

torch.var_mean(torch.arange(6.0).view(2, 3), dim=1)

torch.tensor([[1, 5], [7, 3]]).max()

torch.tensor([[1, 5], [7, 3]]).max(dim=1)

torch.tensor([[1, 5], [7, 3]]).max(1).values

torch.tensor([[1, 5], [7, 3]]).max(1).indices

torch.tensor([[1, 5], [7, 3]]).max(dim=0, keepdim=True)

v, i = torch.tensor([[1, 5], [7, 3]]).min(1); (v, i)

torch.tensor([[1, 5], [7, 3]]).min(dim=0)[0]

torch.tensor([[1.0, 5.0], [7.0, 3.0]]).amax(dim=0)

torch.tensor([[1.0, 5.0], [7.0, 3.0]]).amin(dim=(0, 1))

torch.tensor([[1, 5], [7, 3]]).aminmax()

torch.tensor([1.0, float('nan'), 3.0]).max()

torch.tensor([1.0, float('nan'), 3.0]).argmax()

torch.tensor([1.0, float('nan'), 3.0]).sum()

torch.tensor([1.0, float('nan'), 3.0]).nansum()

torch.tensor([1.0, float('nan'), 3.0]).nanmean()

torch.tensor([[1, 5], [7, 3]]).argmax()

torch.tensor([[1, 5], [7, 3]]).argmax(dim=1)

torch.tensor([[1, 5], [7, 3]]).argmax(dim=1, keepdim=True)

torch.tensor([[1, 5], [7, 3]]).argmin(0)

torch.tensor([3, 3, 1]).argmax()

torch.tensor([3, 1, 1]).argmin()

torch.ones(0).max()

torch.ones(0).argmax()

torch.ones(2, 0).max(dim=0)

torch.tensor([[1.0, 2.0], [3.0, 4.0]]).prod(1)

torch.tensor([1, 2, 3, 4]).cumsum(dim=0)

torch.tensor([[1, 2], [3, 4]]).cumsum(1)

torch.tensor([1.0, 2.0, 3.0]).cumprod(0)

torch.tensor([3, 1, 2]).cummax(0)

torch.tensor([3, 1, 2]).cummin(0)

torch.logcumsumexp(torch.tensor([0.0, 0.0, 0.0]), 0)

torch.tensor([[1.0, 2.0], [3.0, 4.0]]).logsumexp(1)

torch.logsumexp(torch.tensor([1000.0, 1000.0]), 0)

torch.tensor([[1.0, 2.0], [3.0, 4.0]]).norm()

torch.tensor([[1.0, 2.0], [3.0, 4.0]]).norm(dim=1)

torch.tensor([[1.0, 2.0], [3.0, 4.0]]).norm(p=1)

torch.tensor([3.0, -4.0]).norm(p=float('inf'))

torch.norm(torch.tensor([3.0, 4.0]), 2)

torch.tensor([True, False]).all()

torch.tensor([True, False]).any()

torch.tensor([[1, 0], [1, 1]]).all(dim=1)

torch.tensor([[1, 0], [0, 0]]).any(0)

torch.tensor([1.0, 0.5]).all()

torch.ones(0).all()

torch.tensor([1, 3, 2, 4]).median()

torch.tensor([[1, 3, 2], [6, 5, 4]]).median(dim=1)

torch.tensor([1.0, 2.0, 3.0, 4.0]).quantile(0.5)

torch.quantile(torch.tensor([1.0, 2.0, 3.0, 4.0]), torch.tensor([0.25, 0.75]))

torch.tensor([1, 2, 2, 3, 3, 3]).mode()

torch.tensor([[1, 0, 2], [0, 0, 3]]).count_nonzero()

torch.count_nonzero(torch.tensor([[1, 0, 2], [0, 0, 3]]), dim=0)

torch.tensor([[1, 0, 2], [0, 0, 3]]).nonzero()

torch.tensor([[1, 0, 2], [0, 0, 3]]).nonzero(as_tuple=True)

torch.nonzero(torch.tensor([0, 0]))

torch.tensor([1, 2, 2, 3]).unique()

torch.unique(torch.tensor([3, 1, 2, 1]), return_counts=True)

torch.unique(torch.tensor([3, 1, 2, 1]), return_inverse=True)

torch.unique(torch.tensor([[1, 2], [1, 2], [3, 4]]), dim=0)

torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1]))

torch.bincount(torch.tensor([0, 1, 1, 3]))

torch.bincount(torch.tensor([0, 1]), weights=torch.tensor([0.5, 2.0]))

torch.bincount(torch.tensor([0, 1]), minlength=4)

torch.histc(torch.tensor([1.0, 2.0, 1.0]), bins=4, min=0, max=3)

torch.tensor([1.0, 2.0, 3.0]).sum().item()

torch.tensor([1, 2, 3]).sum().item()

torch.tensor([[1, 2], [3, 4]]).trace()

torch.diff(torch.tensor([1, 4, 9, 16]))

torch.diff(torch.tensor([[1, 2], [4, 8]]), dim=0)

torch.tensor([1.0, 2.0]).dist(torch.tensor([4.0, 6.0]))

torch.cdist(torch.tensor([[0.0, 0.0]]), torch.tensor([[3.0, 4.0], [1.0, 0.0]]))

torch.trapezoid(torch.tensor([1.0, 2.0, 3.0]))

torch.trapezoid(torch.tensor([[1, 2, 4], [0, 1, 1]]), dx=0.5)

torch.trapezoid(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([0.0, 1.0, 3.0]))

torch.trapezoid(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), dim=0)

torch.cumulative_trapezoid(torch.tensor([1.0, 2.0, 3.0, 5.0]))

torch.tensor([[1, 2], [3, 4]]).sum(dim=None)

torch.tensor([[1.0, 2.0], [3.0, 4.0]]).mean(dim=-1, keepdim=True)

torch.mean(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), 0, True)

torch.max(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), 1, True)

torch.max(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), dim=1)[1]
'''

SHAPE = r'''
torch.arange(12).view(3, 4)

torch.arange(12).view(-1, 4)

torch.arange(12).view(2, -1, 3).shape

torch.arange(12).view(5, -1)

torch.arange(12).view(-1, -1)

torch.arange(12).reshape(4, 3)

torch.arange(12).reshape((2, 6))

torch.arange(12).reshape(-1)

torch.arange(12).view(3, 4).t().view(-1)

torch.arange(12).view(3, 4).t().reshape(-1)

torch.arange(12).view(3, 4).t().is_contiguous()

torch.arange(12).view(3, 4).t().contiguous().is_contiguous()

torch.arange(12).view(3, 4).t().stride()

torch.arange(12).view(3, 4).stride()

torch.arange(12).view(3, 4).stride(0)

torch.arange(12).view(3, 4).transpose(0, 1)

torch.arange(24).view(2, 3, 4).transpose(-1, -2).shape

torch.arange(24).view(2, 3, 4).permute(2, 0, 1).shape

torch.arange(24).view(2, 3, 4).permute((1, 2, 0))[0]

torch.arange(24).view(2, 3, 4).permute(0, 1)

torch.arange(6).view(2, 3).mT

torch.ones(2, 3, 4).t()

torch.ones(3).t().shape

torch.arange(6).view(1, 2, 1, 3).squeeze().shape

torch.arange(6).view(1, 2, 1, 3).squeeze(0).shape

torch.arange(6).view(1, 2, 1, 3).squeeze(1).shape

torch.arange(6).view(1, 2, 1, 3).squeeze((0, 2)).shape

torch.arange(6).unsqueeze(0).shape

torch.arange(6).unsqueeze(-1).shape

torch.arange(6).unsqueeze(2)

torch.arange(6)[None, :, None].shape

torch.arange(24).view(2, 3, 4).flatten()

torch.arange(24).view(2, 3, 4).flatten(1).shape

torch.arange(24).view(2, 3, 4).flatten(0, 1).shape

torch.flatten(torch.tensor(3))

torch.arange(24).view(2, 12).unflatten(1, (3, 4)).shape

torch.arange(24).view(2, 12).unflatten(1, (-1, 4)).shape

torch.cat([torch.ones(2, 3), torch.zeros(1, 3)])

torch.cat([torch.ones(2, 3), torch.zeros(2, 1)], dim=1)

torch.cat((torch.ones(2), torch.zeros(2, dtype=torch.int64)))

torch.cat([torch.ones(2, 3), torch.zeros(2, 2)])

torch.cat([torch.ones(2, 3), torch.zeros(0)])

torch.cat([])

torch.cat([torch.ones(2)], dim=1)

torch.concat([torch.ones(1), torch.zeros(1)])

torch.concatenate([torch.ones(1), torch.zeros(1)], axis=0)

torch.stack([torch.ones(2), torch.zeros(2)])

torch.stack([torch.ones(2), torch.zeros(2)], dim=1)

torch.stack([torch.ones(2), torch.zeros(2)], dim=-1).shape

torch.stack([torch.ones(2), torch.zeros(3)])

torch.stack([torch.tensor(1), torch.tensor(2)])

torch.hstack([torch.ones(2), torch.zeros(3)])

torch.vstack([torch.ones(2), torch.zeros(2)])

torch.dstack([torch.ones(2), torch.zeros(2)]).shape

torch.column_stack([torch.ones(2), torch.zeros(2)])

torch.arange(10).split(3)

torch.arange(10).split([2, 8])

torch.arange(10).chunk(3)

torch.arange(10).chunk(4)

torch.arange(10).tensor_split(3)

torch.arange(12).view(3, 4).chunk(2, dim=1)

torch.arange(12).view(3, 4).unbind(1)

torch.arange(12).view(3, 4).unbind()

torch.arange(6).view(2, 3).repeat(2, 1)

torch.arange(3).repeat(2, 2)

torch.arange(3).repeat_interleave(2)

torch.tensor([[1, 2], [3, 4]]).repeat_interleave(2, dim=0)

torch.repeat_interleave(torch.tensor([1, 2]), torch.tensor([1, 3]))

torch.arange(3).tile((2,))

torch.arange(6).view(2, 3).flip(0)

torch.arange(6).view(2, 3).flip(dims=(0, 1))

torch.arange(6).view(2, 3).fliplr()

torch.arange(6).roll(2)

torch.arange(6).view(2, 3).roll(1, dims=1)

torch.arange(6).view(2, 3).roll(shifts=(1, 1), dims=(0, 1))

torch.rot90(torch.arange(4).view(2, 2))

torch.arange(6).view(2, 3).narrow(1, 1, 2)

torch.arange(10).unfold(0, 3, 2)

torch.arange(6).view(2, 3).movedim(0, 1).shape

torch.ones(2, 3, 4).swapaxes(0, 2).shape

torch.ones(2, 3, 4).moveaxis(-1, 0).shape

torch.ones(2, 3).view(torch.float32).shape

torch.ones(2, 3).view_as(torch.ones(3, 2)).shape

torch.ones(2, 3).reshape_as(torch.ones(6)).shape

torch.arange(4).view(2, 2).diagonal()

torch.arange(9).view(3, 3).diagonal(offset=1)

torch.atleast_2d(torch.tensor(1)).shape

torch.atleast_1d(torch.tensor(1))

torch.ones(2, 3).new_zeros(0).shape

torch.arange(6).view(2, 3).select(1, 0)

torch.arange(6).view(2, 3).index_select(1, torch.tensor([2, 0]))

torch.arange(6).view(2, 3).take(torch.tensor([0, 5]))

torch.arange(6).view(2, 3).masked_select(torch.tensor([True, False, True]))

torch.ones(2, 3).view(3, 2).view(6).shape

torch.ones(2, 3).size()[1:]

torch.ones(2, 3).shape == (2, 3)

torch.ones(2, 3).shape == torch.Size([2, 3])

torch.Size([2, 3])

torch.Size([2, 3]).numel()

list(torch.ones(2, 3).shape)

torch.ones(2, 3).shape + (4,)

type(torch.ones(2, 3).shape[0]).__name__

torch.ones(2, 3).shape[-1:]

type(torch.ones(2, 3).shape[-1:]).__name__

torch.tensor([[1, 2], [3, 4]]).tril()

torch.zeros(2, 3).unsqueeze(1).expand(2, 4, 3).reshape(8, 3).shape

torch.arange(6).view(2, 3).T.flatten()

torch.block_diag(torch.ones(1, 1), torch.ones(2, 2) * 2)

torch.arange(8).view(2, 2, 2).contiguous().view(4, 2)

torch.squeeze(torch.ones(1, 3, 1), dim=2).shape

torch.unsqueeze(torch.ones(3), dim=3)

torch.arange(4).view(2, 2).resize_(4).shape
'''

INDEXING = r'''
x = torch.arange(12).view(3, 4); x[1]

x = torch.arange(12).view(3, 4); x[1, 2]

x = torch.arange(12).view(3, 4); x[:, 1]

x = torch.arange(12).view(3, 4); x[-1]

x = torch.arange(12).view(3, 4); x[1:, ::2]

x = torch.arange(12).view(3, 4); x[..., 0]

x = torch.arange(12).view(3, 4); x[None]

x = torch.arange(12).view(3, 4); x[:, None, :].shape

x = torch.arange(12).view(3, 4); x[[0, 2]]

x = torch.arange(12).view(3, 4); x[[0, 2], [1, 3]]

x = torch.arange(12).view(3, 4); x[torch.tensor([0, 2])]

x = torch.arange(12).view(3, 4); x[torch.tensor([[0, 1], [2, 0]])]

x = torch.arange(12).view(3, 4); x[x > 5]

x = torch.arange(12).view(3, 4); x[torch.tensor([True, False, True])]

x = torch.arange(12).view(3, 4); x[[True, False, True]]

x = torch.arange(12).view(3, 4); x[1:3, [0, 3]]

x = torch.arange(24).view(2, 3, 4); x[:, [0, 2], [1, 3]]

x = torch.arange(24).view(2, 3, 4); x[[0, 1], :, [1, 3]].shape

x = torch.arange(24).view(2, 3, 4); x[0, :, [1, 2]]

x = torch.arange(12).view(3, 4); x[3]

x = torch.arange(12).view(3, 4); x[0, 4]

x = torch.arange(12).view(3, 4); x[:, 10:]

x = torch.arange(12).view(3, 4); x[torch.tensor(1)]

x = torch.arange(12).view(3, 4); x[torch.tensor([5])]

x = torch.arange(12).view(3, 4); x[1.5]

x = torch.arange(12).view(3, 4); x[0, 0, 0]

x = torch.arange(5); x[-6]

x = torch.arange(5); x[::-1]

x = torch.arange(5); x[torch.tensor([True, False])]

x = torch.arange(5); x[torch.tensor(True)]

x = torch.arange(5); x[2:1]

x = torch.tensor(5); x[()]

x = torch.tensor(5); x[None]

x = torch.tensor(5); x[...]

x = torch.arange(5); x[np.array([1, 3])]

x = torch.arange(5); x[np.int64(2)]

x = torch.arange(5); x[[]]

x = torch.arange(6).view(2, 3); x[:, []].shape

x = torch.zeros(3, 4); x[1] = 5; x

x = torch.zeros(3, 4); x[:, 1] = torch.tensor([1.0, 2.0, 3.0]); x

x = torch.zeros(3, 4); x[x == 0] = 2; x

x = torch.zeros(3, 4); x[[0, 2], [1, 3]] = 7; x

x = torch.zeros(3, 4); x[[0, 0], [1, 1]] = torch.tensor([1.0, 2.0]); x[0, 1]

x = torch.zeros(3, 4); x[1:, 2:] = torch.ones(2, 2); x

x = torch.zeros(3, 4); x[0] = torch.ones(2)

x = torch.zeros(3); x[0] = 1.7; x

x = torch.zeros(3, dtype=torch.int64); x[0] = 1.7; x

x = torch.zeros(3); x[1] = torch.tensor(5, dtype=torch.int64); x

x = torch.zeros(2, 2); x[..., 0] = 1; x

x = torch.zeros(2, 2); x[:] = torch.tensor([[1, 2], [3, 4]]); x

x = torch.zeros(4); x[torch.tensor([True, False, True, False])] = torch.tensor([1.0, 2.0]); x

x = torch.zeros(4); x[[1, 3]] += 1; x

x = torch.zeros(4); x[[1, 1]] += 1; x

x = torch.zeros(2, 3); x[:, None] = 1; x

x = torch.zeros(3); x[5] = 1

x = torch.zeros(2, 3); x[0][1] = 4; x

x = torch.arange(6).view(2, 3); x.gather(1, torch.tensor([[0, 0], [2, 1]]))

x = torch.arange(6).view(2, 3); torch.gather(x, 0, torch.tensor([[1, 0, 1]]))

x = torch.arange(6).view(2, 3); x.gather(1, torch.tensor([[3]]))

torch.zeros(3, 4).scatter_(1, torch.tensor([[1], [2], [0]]), 1.0)

torch.zeros(2, 4).scatter(1, torch.tensor([[1, 3], [0, 0]]), torch.tensor([[1.0, 2.0], [3.0, 4.0]]))

torch.zeros(5).scatter_add(0, torch.tensor([0, 1, 1, 4]), torch.ones(4))

torch.zeros(5).scatter_add_(0, torch.tensor([0, 0]), torch.tensor([1.0, 2.0]))

torch.zeros(3).scatter_reduce(0, torch.tensor([0, 0, 2]), torch.tensor([1.0, 5.0, 2.0]), reduce='amax')

torch.ones(3).scatter_reduce(0, torch.tensor([0, 0, 2]), torch.tensor([1.0, 5.0, 2.0]), reduce='sum', include_self=False)

torch.zeros(2, 3).scatter_(0, torch.tensor([[1, 0, 1]]), torch.tensor([[5.0, 6.0, 7.0]]))

torch.zeros(3, dtype=torch.int64).scatter_(0, torch.tensor([1]), 2.5)

torch.zeros(5).index_add(0, torch.tensor([0, 2, 2]), torch.tensor([1.0, 2.0, 3.0]))

torch.zeros(5).index_fill(0, torch.tensor([1, 3]), -1.0)

torch.zeros(5).index_copy(0, torch.tensor([4, 0]), torch.tensor([1.0, 2.0]))

torch.zeros(2, 2).index_put_((torch.tensor([0, 1]), torch.tensor([1, 0])), torch.tensor([3.0, 4.0]))

torch.zeros(3).index_put((torch.tensor([0, 0]),), torch.tensor([1.0, 2.0]), accumulate=True)

torch.arange(6.0).view(2, 3).masked_fill(torch.tensor([[True, False, True], [False, False, True]]), -1)

torch.arange(6).view(2, 3).masked_fill(torch.tensor([True, False, False]), 0.5)

torch.arange(6.0).masked_fill(torch.arange(6) > 2, float('-inf'))

torch.arange(6.0).masked_fill(torch.arange(6) > 2, torch.tensor(9.0))

torch.arange(6.0).masked_fill(torch.arange(6), 0.0)

torch.zeros(4).masked_scatter(torch.tensor([True, False, True, False]), torch.tensor([1.0, 2.0, 3.0]))

x = torch.zeros(4); x.masked_fill_(torch.tensor([True, False, True, False]), 3); x

torch.take_along_dim(torch.tensor([[10, 30, 20]]), torch.tensor([[2, 0]]), dim=1)

torch.tensor([[10, 30, 20]]).argsort(dim=1)

x = torch.arange(5); x[torch.tensor([-1, 0])]

x = torch.arange(5); x[torch.tensor([1.0])]

x = torch.arange(5); x[torch.tensor([1], dtype=torch.int32)]

x = torch.arange(5); x[torch.tensor([1, 0, 1], dtype=torch.uint8)]

x = torch.arange(5); x[torch.tensor([1, 0, 1, 0, 1], dtype=torch.uint8)]

x = torch.arange(12).view(3, 4); x[1][2].item()

x = torch.arange(12).view(3, 4); x[(1, 2)]

x = torch.arange(12).view(3, 4); x[[1, 2]].shape

x = torch.arange(12).view(3, 4); x[([1, 2],)].shape

x = torch.arange(12).view(3, 4); x[:, -1:]

x = torch.arange(12).view(3, 4); x[slice(None), 1]

x = torch.arange(12).view(3, 4); x[-2:, -2:]

x = torch.arange(12).view(3, 4); x[::2, ::-1]

x = torch.arange(12).view(3, 4); x.index_select(0, torch.tensor([2, 2]))

torch.arange(12).view(3, 4).index_select(2, torch.tensor([0]))

torch.arange(6).view(2, 3)[torch.tensor([[True, False, True], [False, True, False]])]

x = torch.arange(24).view(2, 3, 4); x[x.sum(-1) > 20].shape

x = torch.arange(10); x[torch.tensor([[1, 2], [3, 4]])]

x = torch.arange(12).view(3, 4); idx = torch.tensor([0, 2]); x[idx, idx]

x = torch.arange(12).view(3, 4); x[[0, 1, 2], [0, 1]]

x = torch.arange(24).view(2, 3, 4); x[1, :, [0, 3]]

x = torch.arange(24).view(2, 3, 4); x[[1, 0], 2, :]

x = torch.arange(24).view(2, 3, 4); x[:, 1, [0, 3]]

x = torch.arange(24).view(2, 3, 4); x[0, None, :, [1, 2]].shape

x = torch.arange(24).view(2, 3, 4); x[..., 1, [0, 2]]

x = torch.arange(24).view(2, 3, 4); x[0, [True, False, True], 1:]

x = torch.arange(24).view(2, 3, 4); x[0, :, [1, 2]] = torch.tensor([[1, 2], [3, 4], [5, 6]]); x[0]

x = torch.arange(24.0).view(2, 3, 4).requires_grad_(); x[1, :, [0, 3]].sum().backward(); x.grad[1]

x = torch.arange(24.0).view(2, 3, 4); w = torch.ones(3, 2, requires_grad=True); y = x.clone(); y[0, :, [1, 2]] = w * 2; y.sum().backward(); w.grad

torch.zeros(3, 3).fill_diagonal_(5)

torch.zeros(7, 3).fill_diagonal_(5, wrap=True)

torch.zeros(7, 3).fill_diagonal_(5)

torch.zeros(2, 2, 2).fill_diagonal_(1)

x = torch.tensor([1, 2]); x <<= 1; x

x = torch.tensor([True, False]); y = x; x |= torch.tensor([False, True]); y

x = torch.tensor([1, 2]); y = x; x &= 2; y

1 << torch.tensor([1, 2])

torch.bitwise_left_shift(torch.tensor([1, 2], dtype=torch.int8), 3)

torch.tensor([1.0, 2.0]).eq_(1)

torch.tensor([1.0, 2.0]).lt_(torch.tensor([2.0, 2.0]))

torch.tensor([1.0]).bitwise_not()

x = torch.arange(6).view(2, 3); x[[0, 1], [2, 0]] = torch.tensor([-1, -2]); x

x = torch.arange(6).view(2, 3); x[torch.tensor([[True, False, True], [False, True, False]])] = 0; x

x = torch.arange(6).view(2, 3); x[1] = torch.tensor([7, 8, 9]); x

x = torch.arange(6.0).view(2, 3); x[:, 1:] *= 2; x

torch.ones(3).gather(0, torch.tensor([-1]))
'''

VIEWS = r'''
x = torch.zeros(4); v = x.view(2, 2); v[0, 0] = 1; x

x = torch.zeros(4); v = x[1:3]; v.fill_(5); x

x = torch.zeros(4); v = x[[1, 2]]; v.fill_(5); x

x = torch.zeros(4); v = x[x == 0]; v.fill_(5); x

x = torch.zeros(2, 3); v = x.t(); v[0, 1] = 1; x

x = torch.zeros(2, 3); v = x.reshape(6); v[0] = 1; x

x = torch.zeros(2, 3); v = x.t().reshape(6); v[0] = 1; x

x = torch.zeros(2, 3); v = x.flatten(); v[0] = 1; x

x = torch.zeros(3); v = x.unsqueeze(0); v[0, 1] = 2; x

x = torch.zeros(3); y = x.clone(); y[0] = 1; x

x = torch.zeros(3); y = x.detach(); y[0] = 1; x

x = torch.zeros(3); y = x.data; y[0] = 1; x

x = torch.zeros(3); y = x.contiguous(); y[0] = 1; x

x = torch.zeros(3); y = x.expand(2, 3); y.is_contiguous()

x = torch.zeros(3); a = x.numpy(); a[0] = 4; x

x = torch.zeros(3); a = x.numpy(); x.add_(1); a

x = torch.zeros(3); x.numpy().dtype

x = torch.zeros(2, 3); x.t().numpy().shape

torch.tensor([1, 2]).numpy()

x = torch.zeros(3); y = x.to(torch.float32); y[0] = 1; x

x = torch.zeros(3); y = x.to(torch.float64); y[0] = 1; x

x = torch.zeros(3); y = x.float(); y is x

x = torch.zeros(3); y = x.cpu(); y is x

x = torch.zeros(3); y = x.to('cpu'); y is x

x = torch.zeros(3); y = x.to('cpu', copy=True); y is x

x = torch.zeros(3); x.view(3) is x

x = torch.zeros(4); a, b = x.chunk(2); a.add_(1); x

x = torch.zeros(4); a, b = x.split(2); b.fill_(3); x

x = torch.zeros(2, 2); r = x.unbind(0); r[1].fill_(1); x

x = torch.zeros(2, 2); d = x.diagonal(); d.fill_(1); x

x = torch.zeros(2, 3); x.select(1, 1).fill_(2); x

x = torch.zeros(2, 3); x.narrow(1, 0, 2).fill_(2); x

x = torch.zeros(3); y = x.expand(2, 3); y.add_(1)

x = torch.zeros(2, 3); x.permute(1, 0).contiguous()[0, 0] = 1; x

x = torch.zeros(6); x.view(2, 3)[1].fill_(1); x

x = torch.zeros(6); x.view(2, 3)[:, 1] = 5; x

x = torch.zeros(2, 3); x.T[0] = 1; x

x = torch.zeros(3); x.squeeze().add_(1); x

x = torch.arange(6.0); y = x.view(2, 3); x.data_ptr() == y.data_ptr()

x = torch.arange(6.0); x[1:].data_ptr() - x.data_ptr()

x = torch.arange(6.0).view(2, 3); x.t().is_contiguous()

x = torch.arange(6.0).view(2, 3); x[:, 1].is_contiguous()

x = torch.arange(6.0).view(2, 3); x[1].is_contiguous()

x = torch.arange(6.0).view(2, 3); x[:, ::2].stride()

x = torch.arange(6.0).view(2, 3); x.t().view(6)

x = torch.arange(6.0).view(2, 3); x[:, :2].view(4)

x = torch.arange(6.0).view(2, 3); x._base is None

x = torch.arange(6.0).view(2, 3); x.storage_offset()

x = torch.arange(6.0); x[2:].storage_offset()

x = torch.arange(6.0); x.view(2, 3)._is_view()

x = torch.arange(6.0); x.clone()._is_view()

x = torch.ones(2, 2); y = x.unsqueeze(0).expand(3, 2, 2); y.stride()

x = torch.zeros(2, 2); y = torch.zeros(2, 2); y.copy_(torch.tensor([1, 2])); y

x = torch.zeros(2, 2); x.copy_(torch.ones(3))

x = torch.zeros(3); x.set_(torch.ones(2)); x

x = torch.zeros(3); x.data = torch.ones(2); x

x = torch.zeros(3, requires_grad=True); x.data.add_(1); x

x = torch.zeros(3, requires_grad=True); x.detach().add_(1); x
'''

INPLACE = r'''
x = torch.ones(3); x.add_(1); x

x = torch.ones(3); y = x.add_(1); y is x

x = torch.ones(3); x.mul_(torch.tensor([1.0, 2.0, 3.0])).sub_(1)

x = torch.ones(3, dtype=torch.int64); x.add_(1.5)

x = torch.ones(3, dtype=torch.int64); x += 1.5

x = torch.ones(3, dtype=torch.int64); x *= 2; x

x = torch.ones(3, dtype=torch.int64); x /= 2

x = torch.ones(3, dtype=torch.int64); x //= 2; x

x = torch.ones(3); x /= 2; x

x = torch.ones(3); x -= torch.tensor([1, 2, 3]); x

x = torch.ones(3); x **= 2; x

x = torch.tensor([True, False]); x |= torch.tensor([False, True]); x

x = torch.tensor([1, 2]); x &= 3; x

x = torch.ones(2, 2); x.zero_(); x

x = torch.ones(2, 2); x.fill_(3.5); x

x = torch.ones(2, 2, dtype=torch.int32); x.fill_(3.5); x

x = torch.ones(2); x.fill_(torch.tensor(4.0)); x

x = torch.tensor([1.0, 4.0]); x.sqrt_(); x

x = torch.tensor([-1.0, 4.0]); x.clamp_(min=0); x

x = torch.tensor([-1.0, 4.0]); x.clamp_(0, 1); x

x = torch.tensor([-1.0, 4.0]); x.abs_(); x

x = torch.tensor([-1.0, 4.0]); x.neg_(); x

x = torch.tensor([1.0, 2.0]); x.exp_().log_()

x = torch.tensor([1.0, 2.0]); x.pow_(2); x

x = torch.tensor([1.5, 2.5]); x.floor_(); x

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]]); x.t_(); x

x = torch.tensor([[1.0, 2.0]]); x.unsqueeze_(0); x.shape

x = torch.tensor([[1.0, 2.0]]); x.squeeze_(); x.shape

x = torch.tensor([[1.0, 2.0]]); x.transpose_(0, 1); x.shape

x = torch.zeros(3); x.uniform_(); bool(((x >= 0) & (x < 1)).all())

#! random
x = torch.zeros(100); x.normal_(); x

#! random
x = torch.zeros(3); x.uniform_(-1, 1)

x = torch.zeros(3); x.copy_(torch.tensor([1, 2, 3])); x

x = torch.ones(3); x._version

x = torch.ones(3); x.add_(1); x.mul_(2); x._version

x = torch.ones(3); x[0] = 2; x._version

x = torch.ones(3); y = x.view(3); y.add_(1); x._version

x = torch.ones(3, requires_grad=True); x.add_(1)

x = torch.ones(3, requires_grad=True); x[0] = 2

x = torch.ones(3, requires_grad=True)
with torch.no_grad():
    x.add_(1)
x

x = torch.ones(3, requires_grad=True)
with torch.no_grad():
    x[0] = 5
(x, x.requires_grad)

x = torch.ones(3, requires_grad=True); y = x * 2; y.add_(1); y

x = torch.ones(3, requires_grad=True); y = x * 2; y.add_(1); y.sum().backward(); x.grad

x = torch.ones(3, requires_grad=True); y = x.exp(); y.add_(1); y.sum().backward()

x = torch.ones(3, requires_grad=True); y = x.sigmoid(); y.mul_(2); y.sum().backward()

x = torch.ones(3, requires_grad=True); y = x * x; y.mul_(2); y.sum().backward(); x.grad

x = torch.ones(3, requires_grad=True); y = x ** 2; z = y * 1; y.add_(1); z.sum().backward(); x.grad

x = torch.ones(3, requires_grad=True); y = x.clone(); y[0] = 5; y.sum().backward(); x.grad

x = torch.ones(3, requires_grad=True); y = x.clone(); y[1:] *= 3; y.sum().backward(); x.grad

x = torch.ones(2, 3, requires_grad=True); y = x * 1; y[:, 0] = 0; (y * 2).sum().backward(); x.grad

x = torch.ones(3, requires_grad=True); y = x * 2; v = y[:2]; v.mul_(3); y.sum().backward(); x.grad

x = torch.ones(3, requires_grad=True); y = x.relu(); y.relu_(); y.sum().backward(); x.grad

a = torch.ones(3); b = torch.ones(3, requires_grad=True); a.add_(b); (a.requires_grad, a.is_leaf)

x = torch.arange(4.0, requires_grad=True); y = x * 2; y[0].mul_(3); y.sum().backward(); x.grad

x = torch.arange(4.0, requires_grad=True); z = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 1; y.view(2, 2)[0].add_(z * z); (y * torch.arange(4.0)).sum().backward(); (x.grad, z.grad)

w = torch.tensor([1.0, 2.0], requires_grad=True); a = torch.zeros(4); a[:2].copy_(w * 3); (a.requires_grad, a.is_leaf)

w = torch.tensor([1.0, 2.0], requires_grad=True); a = torch.zeros(4); a[1:3].copy_(w * 3); (a * torch.arange(4.0)).sum().backward(); w.grad

x = torch.arange(6.0, requires_grad=True); y = (x * 2).view(2, 3); y.transpose(0, 1)[0].mul_(5); (y * y).sum().backward(); x.grad

x = torch.arange(4.0, requires_grad=True); y = (x + 1).view(2, 2); y.diagonal().add_(10); (y ** 2).sum().backward(); x.grad

x = torch.arange(4.0, requires_grad=True); y = x * 2; v = y[:2]; v.zero_(); (y * 3).sum().backward(); x.grad

x = torch.arange(4.0, requires_grad=True); y = x * 2; v = y[:2]; v.mul_(3); (v.sum() + y.sum()).backward(); x.grad

x = torch.arange(4.0, requires_grad=True); y = x.exp(); v = y[:2]; v.mul_(2); y.sum().backward(); x.grad

x = torch.arange(6.0, requires_grad=True); y = x.view(2, 3) * 1; y[:, 1].clamp_(max=2); y.sum().backward(); x.grad

x = torch.ones(2, 3, requires_grad=True); y = x * 1; y.select(1, 0).fill_(5); (y * y).sum().backward(); x.grad

x = torch.ones(3, requires_grad=True); y = x * 2; y.unsqueeze(0)[0, 1] = 7; y.sum().backward(); x.grad

x = torch.ones(4, requires_grad=True); y = x * 2; a = y.view(2, 2); b = y[1:3]; a[0].mul_(3); (a.sum() + (b * b).sum()).backward(); x.grad

x = torch.ones(4, requires_grad=True); y = x * 2; y.view(2, 2).t().mul_(torch.tensor([[1.0, 2.0], [3.0, 4.0]])); y.sum().backward(); x.grad

x = torch.ones(4, requires_grad=True); y = x.view(2, 2); y += 1

x = torch.ones(4, requires_grad=True)
with torch.no_grad():
    v = x[:2]
v.add_(1)

x = torch.ones(4, requires_grad=True)
with torch.no_grad():
    x[:2].add_(1)
x


a = torch.ones(3); b = torch.ones(3, requires_grad=True); a[0] = b[0] * 2; a.sum().backward(); b.grad

x = torch.ones(2, requires_grad=True); y = x * 2; y.data.mul_(10); y.sum().backward(); x.grad

x = torch.tensor([1.0, 2.0]); y = x; y += 1; x

x = torch.tensor([1.0, 2.0]); y = x; y = y + 1; x

x = torch.tensor([1.0, 2.0]); torch.add(x, 1, out=x); x

out = torch.empty(2); torch.mul(torch.tensor([1.0, 2.0]), 3, out=out); out

x = torch.zeros(3); x.index_add_(0, torch.tensor([0, 0]), torch.tensor([1.0, 1.0])); x

x = torch.zeros(2, 2); x.scatter_(0, torch.tensor([[1, 0]]), 5.0)

x = torch.ones(3); x.requires_grad_(); x.requires_grad

x = torch.ones(3, dtype=torch.int64); x.requires_grad_()

x = torch.ones(3); x.masked_fill_(x > 0, 2.0)

x = torch.ones(3); x.lerp_(torch.zeros(3), 0.25); x

x = torch.ones(3); x.addcmul_(torch.ones(3), torch.ones(3), value=2); x

x = torch.ones(3); x.addcdiv_(torch.ones(3), torch.ones(3) * 4, value=2); x

x = torch.ones(3); x.clamp_max_(0.5); x

x = torch.arange(4.0); x.resize_(2, 2); x
'''

AUTOGRAD = r'''
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); (x ** 2).sum().backward(); x.grad

x = torch.tensor(2.0, requires_grad=True); y = x ** 3; y.backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.backward()

#! msg: implicitly created only for scalar
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.backward()

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.backward(torch.tensor([1.0, 0.5])); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = (x * 2).sum(); y.backward(); y.backward()

x = torch.tensor([1.0, 2.0], requires_grad=True); y = (x * x).sum(); y.backward(); y.backward()

x = torch.tensor([1.0, 2.0], requires_grad=True); y = (x * x).sum(); y.backward(retain_graph=True); y.backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); (x * 3).sum().backward(); (x * 3).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); (x * 3).sum().backward(); x.grad.zero_(); (x * 1).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); (x * 3).sum().backward(); x.grad = None; (x * 1).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.retain_grad(); y.sum().backward(); y.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; (y.is_leaf, x.is_leaf, y.requires_grad)

x = torch.tensor([1.0, 2.0]); y = x * 2; (y.is_leaf, y.requires_grad, y.grad_fn is None)

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.detach(); (y.requires_grad, y.is_leaf)

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.data; (y.requires_grad, y.is_leaf)

x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = x * 2
(y.requires_grad, y.grad_fn is None)

x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    with torch.enable_grad():
        y = x * 2
y.requires_grad

x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.set_grad_enabled(False):
    y = x * 2
y.requires_grad

x = torch.tensor([1.0, 2.0], requires_grad=True)
@torch.no_grad()
def f(t):
    return t * 2
f(x).requires_grad

x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.inference_mode():
    y = x * 2
y.requires_grad

torch.is_grad_enabled()

with torch.no_grad():
    out = torch.is_grad_enabled()

x = torch.tensor([1.0, 2.0], requires_grad=True); torch.autograd.grad((x ** 2).sum(), x)

x = torch.tensor([1.0, 2.0], requires_grad=True); g, = torch.autograd.grad((x ** 3).sum(), x, create_graph=True); g.sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); g, = torch.autograd.grad((x ** 3).sum(), x, create_graph=True); g.requires_grad

x = torch.tensor([1.0, 2.0], requires_grad=True); g, = torch.autograd.grad((x ** 3).sum(), x); g.requires_grad

x = torch.tensor(3.0, requires_grad=True); y = x ** 3; g, = torch.autograd.grad(y, x, create_graph=True); g2, = torch.autograd.grad(g, x); g2

x = torch.tensor([1.0, 2.0], requires_grad=True); w = torch.tensor([1.0, 2.0], requires_grad=True); torch.autograd.grad((x * 2).sum(), [x, w])

x = torch.tensor([1.0, 2.0], requires_grad=True); w = torch.tensor([1.0, 2.0], requires_grad=True); torch.autograd.grad((x * 2).sum(), [x, w], allow_unused=True)

x = torch.tensor([1.0, 2.0], requires_grad=True); w = torch.tensor([1.0, 2.0], requires_grad=True); torch.autograd.grad((x * 2).sum(), [x, w], allow_unused=True, materialize_grads=True)

x = torch.tensor([1.0, 2.0], requires_grad=True); torch.autograd.grad(x * 2, x, grad_outputs=torch.ones(2))

x = torch.tensor([1.0, 2.0], requires_grad=True); torch.autograd.grad(x * 2, x)

x = torch.tensor([1.0, 2.0]); y = x * 2; y.sum().backward()

x = torch.tensor([1.0, 2.0]); torch.autograd.grad((x * 2).sum(), x)

x = torch.tensor([1.0, 2.0], requires_grad=True); (x * 2).sum().backward(inputs=[x]); x.grad

a = torch.tensor([1.0], requires_grad=True); b = torch.tensor([2.0], requires_grad=True); (a * b).backward(inputs=[a]); (a.grad, b.grad)

x = torch.tensor([1.0, 2.0], requires_grad=True); torch.autograd.backward((x * 2).sum()); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); torch.autograd.backward([(x * 2).sum(), (x * 3).sum()]); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.register_hook(lambda g: g * 10); y.sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); x.register_hook(lambda g: g + 1); (x * 2).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); seen = []; x.register_hook(lambda g: seen.append(g.clone())); (x * 2).sum().backward(); seen

x = torch.tensor([1.0, 2.0], requires_grad=True); h = x.register_hook(lambda g: g * 0); h.remove(); (x * 2).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0]); x.register_hook(lambda g: g)

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; z = y * 3; y.retain_grad(); z.sum().backward(); (y.grad, x.grad)

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.clone(); y.sum().backward(); x.grad

x = torch.tensor([1.0, -2.0], requires_grad=True); x.abs().sum().backward(); x.grad

x = torch.tensor([0.0], requires_grad=True); x.abs().sum().backward(); x.grad

x = torch.tensor([0.0], requires_grad=True); x.relu().sum().backward(); x.grad

x = torch.tensor([0.0], requires_grad=True); x.sqrt().sum().backward(); x.grad

x = torch.tensor([1.0, 3.0, 3.0], requires_grad=True); x.max().backward(); x.grad

x = torch.tensor([1.0, 3.0, 3.0], requires_grad=True); x.max(0)[0].backward(); x.grad

x = torch.tensor([[1.0, 3.0], [3.0, 2.0]], requires_grad=True); x.amax(1).sum().backward(); x.grad

x = torch.tensor([1.0, 3.0, 3.0], requires_grad=True); x.clamp(2, 3).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); torch.where(x > 1.5, x * 2, x * 0).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); x[1:].sum().backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); x[[0, 0, 2]].sum().backward(); x.grad

x = torch.arange(6.0, requires_grad=True); x.view(2, 3)[:, 1].sum().backward(); x.grad

x = torch.arange(6.0).requires_grad_(); y = x.reshape(2, 3).t() @ torch.ones(2); y.sum().backward(); x.grad

x = torch.ones(2, 3, requires_grad=True); (x * torch.arange(3.0)).mean().backward(); x.grad

x = torch.ones(2, 3, requires_grad=True); x.std().backward(); x.grad

x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True); x.std().backward(); x.grad

x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True); x.norm().backward(); x.grad

x = torch.zeros(3, requires_grad=True); x.norm().backward(); x.grad

x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True); x.softmax(0)[0].backward(); x.grad

x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True); x.log_softmax(0)[2].backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); torch.cat([x, x * 2]).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); torch.stack([x, x ** 2]).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); a, b = x.chunk(2); (a * 3 + b).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); (x.expand(3, 2) * torch.arange(3.0).view(3, 1)).sum().backward(); x.grad

x = torch.tensor([[1.0, 2.0]], requires_grad=True); (x + torch.ones(3, 1)).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = torch.tensor([3.0], requires_grad=True); (x * y).sum().backward(); y.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); x.unsqueeze(0).repeat(3, 1).sum().backward(); x.grad

x = torch.arange(4.0, requires_grad=True); x.gather(0, torch.tensor([1, 1, 3])).sum().backward(); x.grad

x = torch.arange(4.0, requires_grad=True); torch.zeros(4).scatter(0, torch.tensor([2, 0]), x[:2]).sum().backward(); x.grad

x = torch.arange(4.0, requires_grad=True); x.masked_fill(x > 1, 0.0).sum().backward(); x.grad

x = torch.arange(6.0, requires_grad=True); x.view(2, 3).permute(1, 0).flatten()[1].backward(); x.grad

x = torch.arange(4.0, requires_grad=True); x.cumsum(0).sum().backward(); x.grad

x = torch.arange(1.0, 4.0, requires_grad=True); x.prod().backward(); x.grad

x = torch.tensor([0.0, 2.0, 3.0], requires_grad=True); x.prod().backward(); x.grad

x = torch.arange(1.0, 4.0, requires_grad=True); x.sort(descending=True).values[0].backward(); x.grad

x = torch.arange(1.0, 4.0, requires_grad=True); x.topk(2).values.sum().backward(); x.grad

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); x.det().backward(); x.grad

x = torch.tensor([[2.0, 1.0], [1.0, 3.0]], requires_grad=True); x.inverse().sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.detach_(); y.requires_grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.requires_grad_(False)

x = torch.tensor([1.0, 2.0], requires_grad=True); x.requires_grad_(False); x.requires_grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; (y * y).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.numpy()

x = torch.tensor([1.0, 2.0], requires_grad=True); x.detach().numpy()

x = torch.tensor([1.0, 2.0], requires_grad=True); x.tolist()

x = torch.tensor(1.5, requires_grad=True); x.item()

x = torch.tensor(1.5, requires_grad=True); float(x)

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.sum(); type(y.grad_fn).__name__

x = torch.tensor([1.0, 2.0], requires_grad=True); (x * 2).grad_fn.next_functions[0][0] is not None

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * x; y.backward(gradient=torch.ones(2)); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.backward(torch.ones(3))

x = torch.tensor([1.0, 2.0], requires_grad=True); (x / torch.tensor([0.0, 1.0])).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); (x.exp().log()).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True); (x ** 2).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); (x * torch.tensor([1.0, 2.0], dtype=torch.float64)).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); (x + 1j).abs().sum().backward(); x.grad

x = torch.ones(2, 2, requires_grad=True); w = torch.ones(2, 3, requires_grad=True); (x @ w).sum().backward(); (x.grad, w.grad)

x = torch.ones(3, requires_grad=True); torch.dot(x, torch.arange(3.0)).backward(); x.grad

x = torch.ones(2, 3, requires_grad=True); torch.einsum('ij,j->i', x, torch.arange(3.0)).sum().backward(); x.grad

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); x.t().contiguous().view(-1)[1].backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); torch.autograd.functional.jacobian(lambda t: t ** 2, x)

x = torch.tensor([1.0, 2.0], requires_grad=True); torch.autograd.functional.hessian(lambda t: (t ** 3).sum(), x)

torch.autograd.gradcheck(lambda t: (t ** 2).sum(), (torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True),))

torch.autograd.functional.jacobian(lambda a, b: (a[:2] * b, a.sum() * b), (torch.tensor([1.0, 2.0, 3.0]), torch.tensor([0.5, -1.0])))

torch.autograd.functional.hessian(lambda a, b: (a[:2] * b).exp().sum() + (a ** 2).sum() * b.sum(), (torch.tensor([1.0, 2.0, 3.0]), torch.tensor([0.5, -1.0])))

torch.autograd.functional.vjp(lambda a: a ** 2, torch.tensor([1.0, 2.0]), torch.ones(2))

torch.autograd.functional.jvp(lambda a: a ** 2 * a.sum(), torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 0.0, 2.0]))

torch.autograd.functional.hvp(lambda a: (a ** 3).prod(), torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 0.0, 2.0]))

torch.autograd.functional.jacobian(lambda a: a ** 3, torch.tensor([1.0, 2.0], requires_grad=True), create_graph=True).requires_grad

torch.autograd.functional.jacobian(lambda a: torch.ones(2), torch.tensor([1.0, 2.0]))

torch.autograd.functional.hessian(lambda a: a, torch.tensor([1.0, 2.0]))

class Sq(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g
x = torch.tensor([1.0, 3.0], requires_grad=True); Sq.apply(x).sum().backward(); x.grad

class Mul(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        return x * k
    @staticmethod
    def backward(ctx, g):
        return g * ctx.k, None
x = torch.tensor([1.0, 3.0], requires_grad=True); y = Mul.apply(x, 5.0); y.sum().backward(); (x.grad, y.requires_grad)

class Two(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3
    @staticmethod
    def backward(ctx, ga, gb):
        return ga * 2 + gb * 3
x = torch.tensor([1.0], requires_grad=True); a, b = Two.apply(x); (a + b).sum().backward(); x.grad

class Id(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clone()
    @staticmethod
    def backward(ctx, g):
        return g
x = torch.tensor([1.0]); Id.apply(x).requires_grad

x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.autograd.set_detect_anomaly(True):
    (x * 2).sum().backward()
x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.sum().backward(); y.sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.exp(); y.sum().backward(); y.sum().backward()

x = torch.tensor(2.0, requires_grad=True); y = x * x; z = y * y; z.backward(create_graph=True); g = x.grad; g.requires_grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x ** 2; y[0].backward(retain_graph=True); y[1].backward(); x.grad

x = torch.ones(2, requires_grad=True); y = x * 2; y.sum().backward(); x.grad.requires_grad

p = torch.nn.Parameter(torch.ones(2)); (p.requires_grad, p.is_leaf, type(p).__name__)

p = torch.nn.Parameter(torch.ones(2)); p * 2

p = torch.nn.Parameter(torch.ones(2)); p

p = torch.nn.Parameter(torch.ones(2), requires_grad=False); p

x = torch.zeros(3, requires_grad=True); x.grad = torch.ones(3); x.grad

x = torch.ones(2, 2, requires_grad=True); y = x.sum(dim=0); y.backward(torch.tensor([1.0, 2.0])); x.grad

x = torch.ones(3, requires_grad=True); torch.sigmoid(x).sum().backward(); x.grad

x = torch.ones(3, requires_grad=True); torch.tanh(x).sum().backward(); x.grad

x = torch.ones(3, requires_grad=True); torch.nn.functional.gelu(x).sum().backward(); x.grad

x = torch.linspace(-1, 1, 5, requires_grad=True); torch.nn.functional.leaky_relu(x, 0.1).sum().backward(); x.grad
'''

PRINTING = r'''
repr(torch.tensor([1.0, 2.0, 3.0]))

repr(torch.tensor([1.5, 2.25, -3.0]))

repr(torch.tensor([1, 2, 3]))

repr(torch.tensor([True, False]))

repr(torch.tensor(3.0))

repr(torch.tensor(3))

repr(torch.tensor(True))

repr(torch.tensor([]))

repr(torch.tensor([], dtype=torch.int64))

repr(torch.zeros(0, 3))

repr(torch.zeros(2, 0, 3))

repr(torch.tensor([1.0, 2.0], dtype=torch.float64))

repr(torch.tensor([1, 2], dtype=torch.int32))

repr(torch.tensor([1, 2], dtype=torch.int8))

repr(torch.tensor([1, 2], dtype=torch.uint8))

repr(torch.tensor([1, 2], dtype=torch.int16))

repr(torch.tensor([1.0, 2.0], dtype=torch.float16))

repr(torch.tensor(1.0, dtype=torch.float64))

repr(torch.tensor([1e-5, 1.0]))

repr(torch.tensor([1e10, 1.0]))

repr(torch.tensor([1e-10, 1e10]))

repr(torch.tensor([0.1, 0.25, 100.0]))

repr(torch.tensor([123456.0, 1.0]))

repr(torch.tensor([1234567.0, 1.0]))

repr(torch.tensor([1e8]))

repr(torch.tensor([0.001, 0.0001]))

repr(torch.tensor([0.0001]))

repr(torch.tensor([1e-20]))

repr(torch.tensor([float('nan'), 1.0, float('inf')]))

repr(torch.tensor([float('nan')]))

repr(torch.tensor([-float('inf'), 2.5]))

repr(torch.tensor([0.0, -0.0]))

repr(torch.tensor([1.0, -1.0]))

repr(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))

repr(torch.tensor([[1, 200], [3, -4]]))

repr(torch.arange(24.0).view(2, 3, 4))

repr(torch.arange(1000))

repr(torch.arange(1001))

repr(torch.arange(2000.0))

repr(torch.arange(1200).view(40, 30))

repr(torch.arange(3000).view(10, 10, 30))

repr(torch.ones(2, 3, requires_grad=True))

repr(torch.ones(2, requires_grad=True) * 2)

repr(torch.ones(2, requires_grad=True).sum())

#! xfail: ops/reduction.py: mean's grad_fn prints DivBackward0, PyTorch MeanBackward0
repr(torch.ones(2, requires_grad=True).mean())

repr(torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True))

repr(torch.tensor([1 + 2j, 3 - 1j]))

repr(torch.tensor([1.5j]))

repr(torch.tensor([1 + 2j], dtype=torch.complex128))

repr(torch.tensor([0.1 + 0.2j, 1e5 + 1j]))

str(torch.tensor([1.0, 2.0]))

str(torch.tensor([1, 2], dtype=torch.int32))

f"{torch.tensor([1.0, 2.0])}"

f"{torch.tensor(2.5):.2f}"

f"{torch.tensor(3):d}"

'%.3f' % torch.tensor(2.5)

format(torch.tensor(2.5))

repr(torch.tensor([0.123456789]))

repr(torch.tensor([1.0, 2.5, 3.123]))

repr(torch.tensor([100.5, 2.0]))

repr(torch.tensor([1.0, 10.0, 100.0, 1000.0]))

repr(torch.tensor([12345.678]))

repr(torch.tensor([[1e-3, 1e3], [1.0, 2.0]]))

repr(torch.tensor([2.0, 4.0, 6.0]) / 3)

repr(torch.tensor([1, 2]) / 3)

repr(torch.full((2, 2), 1e-8))

repr(torch.tensor(1e-8))

repr(torch.tensor(123456789.0))

repr(torch.tensor(-0.5))

repr(torch.tensor([1e300], dtype=torch.float64))

repr(torch.tensor([2**40]))

repr(torch.tensor([-2**40, 1]))

repr(torch.tensor([[True, False], [False, True]]))

repr(torch.zeros(3, 1))

repr(torch.zeros(1, 1, 1))

repr(torch.tensor([0.5]).half())

repr(torch.tensor([[1.0]], requires_grad=True).t())

repr(torch.linspace(0, 1, 11))

repr(torch.tensor([1.0, 2.0]).to(torch.float64) * 1e-5)

torch.set_printoptions(precision=2); repr(torch.tensor([1.23456, 2.0]))

torch.set_printoptions(sci_mode=False); repr(torch.tensor([1e-6, 1.0]))

torch.set_printoptions(sci_mode=True); repr(torch.tensor([1.5, 2.0]))

torch.set_printoptions(threshold=5); repr(torch.arange(10))

torch.set_printoptions(threshold=5, edgeitems=1); repr(torch.arange(10.0))

torch.set_printoptions(linewidth=20); repr(torch.arange(20.0))

repr(torch.arange(30.0))

repr(torch.arange(100.0).view(10, 10) / 7)

repr(torch.randn(2, 3).dtype)

repr(torch.float32)

str(torch.int64)

repr(torch.Size([2, 3]))

str(torch.Size([]))

repr(torch.device('cpu'))

str(torch.zeros(1).device)

torch.zeros(1).device.type

torch.device('cpu') == torch.zeros(1).device

repr(torch.tensor([1, 2]).max(0))

repr(torch.tensor([[3, 1]]).sort())

repr(torch.tensor([1.0, 2.0], requires_grad=True).detach())

repr(torch.tensor([1.0], requires_grad=True).grad)

repr(torch.nn.Parameter(torch.tensor([1.0, 2.0])))

repr(torch.tensor(float('inf')))

repr(torch.tensor([1e-4, 1e-3]))

repr(torch.tensor([5e-5, 1.0]))

repr(torch.tensor([999.0, 1000.0]))

repr(torch.tensor([1e15], dtype=torch.float64))

repr(torch.tensor([0.1, 0.2], dtype=torch.float64))

repr(torch.tensor([1/3], dtype=torch.float64))

repr(torch.tensor([1, -1], dtype=torch.int64) * 100000)

repr(torch.zeros(2, 3, dtype=torch.int64).bool())
'''

CONVERSION = r'''
torch.tensor(3).item()

type(torch.tensor(3).item()).__name__

type(torch.tensor(3.0).item()).__name__

type(torch.tensor(True).item()).__name__

type(torch.tensor(1j).item()).__name__

torch.tensor([3]).item()

torch.tensor([3, 4]).item()

torch.tensor([[2.5]]).item()

torch.tensor([]).item()

torch.tensor([1, 2]).tolist()

torch.tensor(5).tolist()

torch.tensor([[1.5, 2.5]]).tolist()

torch.tensor([True, False]).tolist()

type(torch.tensor([1.0]).tolist()[0]).__name__

type(torch.tensor([1], dtype=torch.uint8).tolist()[0]).__name__

torch.tensor([0.1]).tolist()

torch.tensor([0.1], dtype=torch.float64).tolist()

int(torch.tensor(3.7))

int(torch.tensor(-3.7))

float(torch.tensor(3))

bool(torch.tensor(0))

bool(torch.tensor([1]))

bool(torch.tensor([1, 2]))

bool(torch.tensor([]))

int(torch.tensor([1, 2]))

float(torch.tensor([[2.0]]))

complex(torch.tensor(1.0))

[1, 2, 3][torch.tensor(1)]

range(10)[torch.tensor(2)]

torch.tensor(2).__index__()

torch.tensor(2.0).__index__()

np.array(torch.tensor([1.0, 2.0]))

np.asarray(torch.tensor([1, 2]))

np.asarray(torch.tensor([1, 2]), dtype=np.float32)

torch.tensor([1.0, 2.0]).numpy().tolist()

np.float64(2.0) * torch.tensor([1.0])

torch.tensor([1.0, 2.0]) + np.array([1.0, 2.0])

torch.tensor([1.0, 2.0]) + [1, 2]

torch.tensor([1.0, 2.0]) == [1, 2]

len(torch.zeros(3, 2))

len(torch.tensor(3))

list(torch.tensor([1, 2]))

[t.item() for t in torch.tensor([1, 2])]

list(torch.arange(4).view(2, 2))[1]

for r in torch.tensor(3): pass

3 in torch.tensor([1, 2, 3])

torch.tensor([1.0]) in torch.tensor([1.0, 2.0])

x = torch.tensor(1); {x: 1}[x]

x = torch.tensor([1.0]); x.clone().equal(x)

torch.tensor([1, 2]) == None

torch.tensor([1, 2]).is_shared()

torch.tensor([1.0]).is_cuda

torch.tensor([1.0]).device

torch.tensor([1.0]).cpu().device

torch.cuda.is_available()

torch.tensor([1.0]).requires_grad

torch.tensor([1.0]).is_leaf

torch.tensor([1.0]).grad_fn

torch.tensor([1.0]).is_sparse

torch.tensor([1.0]).dim_order()

torch.tensor([1, 2]).sum().__class__.__name__

torch.tensor([1.5]).round().int().tolist()

torch.tensor([[1, 2], [3, 4]]).numpy().sum()

torch.tensor([1.0], dtype=torch.float16).numpy().dtype

torch.tensor([1.0]).numpy(force=True)

torch.as_tensor([1, 2], dtype=torch.float32)

torch.as_tensor(torch.tensor([1, 2]), dtype=torch.float32)

x = torch.tensor([1, 2]); torch.as_tensor(x) is x

x = torch.tensor([1, 2]); torch.tensor(x)

torch.tensor(np.array(5))

torch.tensor(np.array([[1, 2]], dtype=np.uint8))

torch.from_numpy(np.arange(4.0)[::2])

torch.from_numpy(np.array([1, 2], dtype='>i4'))

torch.tensor([1.0, 2.0]).storage().tolist()

torch.tensor([1.0, 2.0]).untyped_storage().nbytes()

torch.tensor([[1.0, 2.0], [3.0, 4.0]])[0].tolist()

torch.tensor([1, 2]).to(torch.float32).dtype == torch.float32

torch.float32 == torch.float

torch.int64 == torch.long

torch.float64 is torch.double

torch.tensor([1]).dtype in (torch.int64, torch.int32)

{torch.float32: 1}[torch.float]

torch.tensor([1, 2]).short()

torch.tensor([1, 2]).char()

torch.tensor([1, 2]).byte()

torch.tensor([1, 2]).type(torch.float16)

torch.tensor([1.5, 2.5]).type_as(torch.tensor([1]))

torch.tensor(3.0) == 3

torch.tensor(3.0) < 4.5

(torch.tensor(3) == 3).item()

torch.tensor(5) // 2

5 // torch.tensor(2)

5 - torch.tensor([1, 2])

5 / torch.tensor([1, 2])

1.5 * torch.tensor([1, 2])

True + torch.tensor([1, 2])

round(torch.tensor(2.567).item(), 2)

max(torch.tensor([1, 5, 3]))

sum(torch.tensor([1, 2, 3]))

sorted(torch.tensor([3, 1, 2]))

divmod(7, 2)
'''

SORTING = r'''
torch.tensor([3, 1, 2]).sort()

torch.tensor([3, 1, 2]).sort(descending=True)

torch.tensor([[3, 1], [0, 5]]).sort(dim=0)

torch.sort(torch.tensor([3.0, float('nan'), 1.0]))

torch.tensor([2, 1, 2, 1]).sort(stable=True)

torch.tensor([2, 1, 2, 1]).argsort(stable=True)

torch.tensor([3, 1, 2]).argsort(descending=True)

torch.tensor([3, 1, 2]).sort().values

torch.tensor([3, 1, 2]).sort()[1]

s = torch.tensor([3, 1, 2]).sort(); type(s).__name__

s = torch.tensor([3, 1, 2]).sort(); len(s)

s = torch.tensor([3, 1, 2]).max(0); s._fields if hasattr(s, '_fields') else ('values', 'indices')

torch.tensor([1, 5, 3, 4]).topk(2)

torch.tensor([1, 5, 3, 4]).topk(2, largest=False)

torch.tensor([[1, 5], [3, 4]]).topk(1, dim=0)

torch.tensor([1, 5, 3, 4]).topk(5)

torch.topk(torch.tensor([1.0, 5.0, 3.0]), k=2, sorted=True).indices

torch.tensor([1, 5, 3, 4]).kthvalue(2)

torch.tensor([[1, 5], [3, 4]]).kthvalue(1, dim=1)

torch.msort(torch.tensor([[3, 1], [0, 5]]))

torch.searchsorted(torch.tensor([1, 3, 5, 7]), torch.tensor([3, 6, 9]))

torch.searchsorted(torch.tensor([1, 3, 5, 7]), torch.tensor([3, 6]), right=True)

torch.searchsorted(torch.tensor([1, 3, 5, 7]), 4)

torch.bucketize(torch.tensor([1, 5, 9]), torch.tensor([2, 4, 6]))

torch.tensor([1, 5, 3]).max(dim=0).values.item()

torch.max(torch.tensor([[1, 2], [3, 0]]), 0)

torch.min(torch.tensor([[1, 2], [3, 0]]), dim=1, keepdim=True)

torch.median(torch.tensor([[1.0, 3.0, 2.0]]), 1)

torch.sort(torch.tensor([True, False, True]))

torch.sort(torch.tensor([]))

torch.tensor([1, 1, 1]).argmax()

torch.tensor([[1, 2], [2, 1]]).argmax(0)

torch.quantile(torch.tensor([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]]), 0.25, dim=1)

torch.quantile(torch.tensor([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]]), torch.tensor([0.1, 0.9]), dim=0, keepdim=True)

torch.quantile(torch.tensor([1.0, 2.0, 3.0, 4.0]), 0.4, interpolation='nearest')

torch.quantile(torch.tensor([1.0, 2.0, 3.0, 4.0]), 0.5, interpolation='midpoint')

torch.quantile(torch.tensor([1.0, float('nan'), 3.0]), 0.5)

torch.nanquantile(torch.tensor([1.0, float('nan'), 3.0]), 0.5)

torch.quantile(torch.tensor([1, 2]), 0.5)

torch.quantile(torch.tensor([1.0, 2.0]), 1.5)

x = torch.tensor([3.0, 1.0, 2.0, 4.0], requires_grad=True); torch.quantile(x, 0.4).backward(); x.grad

torch.mode(torch.tensor([[1, 2, 2, 5], [3, 3, 1, 1]]), 1)

torch.tensor([[1.0, 2.0], [1.0, 3.0]]).mode(dim=0, keepdim=True)

torch.tensor(4).mode()
'''

LINALG = r'''
torch.linalg.norm(torch.tensor([3.0, 4.0]))

torch.linalg.norm(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))

torch.linalg.norm(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), ord=2)

torch.linalg.norm(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), dim=1)

torch.linalg.vector_norm(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), ord=1)

torch.linalg.matrix_norm(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), ord='nuc')

torch.linalg.det(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))

torch.det(torch.eye(3) * 2)

torch.linalg.inv(torch.tensor([[2.0, 0.0], [0.0, 4.0]]))

torch.linalg.inv(torch.tensor([[1.0, 2.0], [2.0, 4.0]]))

torch.inverse(torch.ones(2, 3))

torch.linalg.solve(torch.tensor([[3.0, 1.0], [1.0, 2.0]]), torch.tensor([9.0, 8.0]))

torch.linalg.solve(torch.tensor([[3.0, 1.0], [1.0, 2.0]]), torch.tensor([[9.0], [8.0]]))

torch.linalg.cholesky(torch.tensor([[4.0, 2.0], [2.0, 3.0]]))

torch.linalg.cholesky(torch.tensor([[1.0, 2.0], [2.0, 1.0]]))

torch.linalg.qr(torch.tensor([[1.0, 2.0], [3.0, 4.0]])).R.abs()

torch.linalg.svdvals(torch.tensor([[3.0, 0.0], [0.0, 4.0]]))

torch.linalg.svd(torch.tensor([[3.0, 0.0], [0.0, 4.0]])).S

U, S, Vh = torch.linalg.svd(torch.ones(3, 2), full_matrices=False); (U.shape, S.shape, Vh.shape)

torch.linalg.eigvalsh(torch.tensor([[2.0, 1.0], [1.0, 2.0]]))

torch.linalg.eigh(torch.tensor([[2.0, 1.0], [1.0, 2.0]])).eigenvalues

torch.linalg.eigvals(torch.tensor([[2.0, 0.0], [0.0, 3.0]]))

torch.linalg.matrix_rank(torch.tensor([[1.0, 2.0], [2.0, 4.0]]))

torch.linalg.pinv(torch.tensor([[1.0, 2.0], [2.0, 4.0]]))

torch.linalg.matrix_power(torch.tensor([[1, 1], [0, 1]]), 3)

torch.matrix_power(torch.tensor([[2.0, 0.0], [0.0, 2.0]]), -1)

torch.linalg.slogdet(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))

torch.logdet(torch.tensor([[2.0, 0.0], [0.0, 3.0]]))

torch.linalg.cross(torch.tensor([1.0, 0.0, 0.0]), torch.tensor([0.0, 1.0, 0.0]))

torch.cross(torch.tensor([[1.0, 0.0, 0.0]]), torch.tensor([[0.0, 1.0, 0.0]]), dim=1)

torch.linalg.matmul(torch.ones(2, 3), torch.ones(3))

torch.linalg.multi_dot([torch.ones(2, 3), torch.ones(3, 4), torch.ones(4)])

torch.linalg.lstsq(torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), torch.tensor([[1.0], [2.0], [3.0]])).solution

torch.linalg.vecdot(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]))

torch.linalg.diagonal(torch.arange(9.0).view(3, 3))

torch.linalg.det(torch.tensor([[1, 2], [3, 4]]))

torch.linalg.inv(torch.eye(2, dtype=torch.float64)).dtype

torch.ones(2, 3) @ torch.ones(4, 2)

torch.mm(torch.ones(2, 3, dtype=torch.float64), torch.ones(3, 2))

torch.matmul(torch.tensor([1, 2]), torch.tensor([[1.0], [2.0]]))

torch.matmul(torch.ones(0, 3), torch.ones(3, 2))

torch.matmul(torch.tensor(2.0), torch.ones(2))

Q, R = torch.linalg.qr(torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]])); (Q.shape, R.shape, torch.allclose(Q @ R, torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]]), atol=1e-5))

Q, R = torch.linalg.qr(torch.ones(3, 2), mode='complete'); (Q.shape, R.shape)

Q, R = torch.linalg.qr(torch.ones(3, 2), mode='r'); (Q.shape, R.shape)

A = torch.tensor([[2.0, 1.0], [1.0, 3.0], [0.0, 1.0]], requires_grad=True); Q, R = torch.linalg.qr(A); (R.diagonal().abs().sum() + (Q[:, 0].abs() * torch.tensor([1.0, 2.0, 3.0])).sum()).backward(); A.grad

torch.linalg.eig(torch.tensor([[2.0, 1.0], [0.0, 3.0]])).eigenvalues

torch.linalg.eigvals(torch.tensor([[0.0, -1.0], [1.0, 0.0]], dtype=torch.float64))

torch.linalg.matrix_rank(torch.eye(3))

torch.linalg.matrix_rank(torch.ones(2, 3, 3))

torch.linalg.matrix_rank(torch.tensor([[1.0, 0.0], [0.0, 1e-9]]))

torch.linalg.matrix_rank(torch.tensor([[1.0, 0.0], [0.0, 1e-3]]), atol=0.01)

r = torch.linalg.lstsq(torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), torch.tensor([[1.0], [2.0], [3.0]])); (r.solution.shape, r.residuals.shape, r.rank, r.singular_values.shape)

torch.trace(torch.arange(9.0).view(3, 3))

torch.arange(6).view(2, 3).trace()

torch.dist(torch.tensor([1.0, 2.0]), torch.tensor([4.0, 6.0]), p=1)

torch.cdist(torch.tensor([[0.0, 0.0], [1.0, 1.0]]), torch.tensor([[3.0, 4.0], [1.0, 0.0], [0.0, 0.0]]), p=1)

torch.cdist(torch.ones(2, 3, 4), torch.zeros(2, 5, 4)).shape

x = torch.tensor([[0.0, 0.0], [1.0, 2.0]], requires_grad=True); torch.cdist(x, torch.tensor([[0.0, 0.0], [3.0, 4.0]])).sum().backward(); x.grad
'''

COMPLEX_FFT = r'''
z = torch.tensor([3 + 4j]); z.abs()

z = torch.tensor([3 + 4j]); (z.real, z.imag)

z = torch.tensor([1 + 1j]); z.angle()

z = torch.tensor([1 + 2j]); z.conj()

z = torch.tensor([1 + 2j]); torch.view_as_real(z)

torch.view_as_complex(torch.tensor([[1.0, 2.0]]))

z = torch.tensor([1 + 2j]); z * z

z = torch.tensor([1 + 2j]); z.dtype

torch.tensor([1.0], dtype=torch.float64) * torch.tensor([1j])

z = torch.tensor([1 + 2j]); z.real.dtype

torch.tensor([1.0]).real

torch.tensor([1.0]).imag

z = torch.tensor([1 + 2j]); z.exp()

torch.complex(torch.tensor([1.0], dtype=torch.float64), torch.tensor([0.0], dtype=torch.float64)).dtype

torch.fft.fft(torch.tensor([1.0, 0.0, 0.0, 0.0]))

torch.fft.fft(torch.tensor([1.0, 2.0, 3.0, 4.0]))

torch.fft.ifft(torch.fft.fft(torch.tensor([1.0, 2.0, 3.0]))).real

torch.fft.rfft(torch.tensor([1.0, 2.0, 3.0, 4.0]))

torch.fft.irfft(torch.tensor([10.0 + 0j, -2 + 2j, -2 + 0j]))

torch.fft.fftfreq(4)

torch.fft.rfftfreq(5, d=0.5)

torch.fft.fftshift(torch.arange(5))

torch.fft.fft2(torch.ones(2, 2))

torch.fft.fft(torch.tensor([1, 2, 3]))

torch.fft.fft(torch.tensor([1.0, 2.0]), n=4)

torch.fft.fft(torch.tensor([1.0, 2.0, 3.0]), norm='ortho')

torch.fft.rfft(torch.tensor([1.0, 2.0], dtype=torch.float64)).dtype

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); torch.fft.rfft(x).abs().sum().backward(); x.grad
'''

RANDOM = r'''
#! random
torch.rand(2, 3)

#! random
torch.randn(4)

#! random
torch.randn(2, 3, dtype=torch.float64)

#! random
torch.randint(0, 10, (3,))

#! random
torch.randint(5, (2, 2))

#! random
torch.randint(0, 10, (3,), dtype=torch.int32)

#! random
torch.randperm(5)

torch.randperm(5).sort().values

#! random
torch.normal(0.0, 1.0, size=(3,))

#! random
torch.normal(torch.zeros(3), torch.ones(3))

#! random
torch.bernoulli(torch.full((4,), 0.5))

#! random
torch.multinomial(torch.tensor([0.2, 0.8]), 3, replacement=True)

torch.multinomial(torch.tensor([0.0, 1.0]), 1)

torch.multinomial(torch.tensor([0.0, 1.0]), 2)

#! random
torch.rand(3, requires_grad=True)

#! random
torch.empty(3).random_(0, 5)

#! random
torch.empty(3).exponential_()

#! random
torch.empty(3, dtype=torch.float64).bernoulli_(0.3)

#! random
#! tol: 0.03
x = torch.rand(100000); (x.mean().item(), x.min().item() >= 0, x.max().item() < 1)

#! random
#! tol: 0.03
x = torch.randn(100000); (x.mean().item(), x.std().item())

#! random
#! tol: 0.05
x = torch.randint(0, 2, (100000,)); x.float().mean().item()

#! random
#! tol: 0.05
torch.normal(2.0, 3.0, size=(100000,)).std().item()

torch.manual_seed(3); a = torch.rand(3); torch.manual_seed(3); b = torch.rand(3); torch.equal(a, b)

g = torch.Generator().manual_seed(1); a = torch.rand(2, generator=g); g.manual_seed(1); torch.equal(a, torch.rand(2, generator=g))

s = torch.get_rng_state(); a = torch.rand(2); torch.set_rng_state(s); torch.equal(a, torch.rand(2))

type(torch.initial_seed()).__name__

torch.seed() >= 0

torch.randint(3, 2, (2,))

torch.rand(2, 3).dtype

torch.randn(2, 3).requires_grad

torch.rand(()).shape

torch.randint(0, 10, (2,)).dtype

torch.randn(2, dtype=torch.int64)

#! random
torch.rand(2, 3).shape

#! random
torch.nn.init.uniform_(torch.empty(3), -1, 1)

#! random
torch.nn.functional.dropout(torch.ones(10), 0.5)

torch.nn.functional.dropout(torch.ones(3), 0.5, training=False)
'''

ERRORS = r'''
torch.ones(2, 3).view(4)

#! msg: invalid for input of size
torch.ones(2, 3).view(4)

torch.ones(2, 3).reshape(5)

torch.ones(2, 3).t().view(6)

#! msg: view size is not compatible
torch.ones(2, 3).t().view(6)

torch.ones(2, 3).squeeze(5)

torch.ones(2, 3).transpose(0, 2)

#! msg: Dimension out of range
torch.ones(2, 3).sum(3)

torch.ones(2, 3).permute(0, 0)

torch.ones(2, 3).expand(3, 3)

torch.ones(2, 3).mm(torch.ones(2, 3))

#! msg: cannot be multiplied
torch.ones(2, 3).mm(torch.ones(2, 3))

torch.ones(2, 3).matmul(torch.ones(2, 3))

torch.ones(3).dot(torch.ones(4))

torch.ones(3).dot(torch.ones(3, dtype=torch.float64))

torch.ones(3, dtype=torch.int64).dot(torch.ones(3))

torch.ones(2, 3) @ torch.ones(3, dtype=torch.int64)

torch.cat([torch.ones(2), torch.ones(2, 2)])

torch.tensor([1, 2]).float().mean(dtype=torch.int64)

torch.tensor([1, 2]).std()

torch.tensor([[1, 2], [3]])

#! msg: expected sequence of length
torch.tensor([[1, 2], [3]])

torch.tensor('abc')

torch.tensor([1, 'a'])

torch.tensor(None)

torch.zeros(2, 3, 4).view(-1, -1)

torch.ones(3)[torch.tensor([3])]

torch.ones(3).index_select(0, torch.tensor([1.0]))

torch.ones(3).gather(0, torch.tensor([1.0]))

torch.ones(3, 3).gather(1, torch.tensor([1]))

torch.zeros(3).scatter_(0, torch.tensor([5]), 1.0)

torch.ones(2).sum(dim='x')

torch.ones(2).add('a')

torch.ones(2) + 'a'

torch.ones(2) + None

torch.ones(2, 2).item()

#! msg: a Tensor with 4 elements cannot be converted to Scalar
torch.ones(2, 2).item()

torch.ones(2).numpy().ndim

torch.ones(2, requires_grad=True).numpy()

#! msg: Use tensor.detach().numpy() instead
torch.ones(2, requires_grad=True).numpy()

bool(torch.ones(2))

#! msg: ambiguous
bool(torch.ones(2))

if torch.tensor([1, 2]) > 0: pass

torch.ones(2).backward()

torch.ones(2, requires_grad=True).sum().backward(torch.ones(2))

torch.randint(0, 10, (2,)).float().requires_grad_().long().requires_grad

torch.tensor([1], dtype=torch.int64).requires_grad_()

#! msg: floating point
torch.tensor([1], dtype=torch.int64).requires_grad_()

torch.zeros(2, dtype=torch.int64, requires_grad=True)

torch.ones(2).view(torch.int32)

torch.arange(0, 5, 0)

torch.arange(5, 0)

torch.linspace(0, 1, -1)

torch.ones(2)[None, None, 0, 0]

torch.ones(2, 2)[0, 0, 0]

torch.ones(2).unsqueeze(3)

torch.stack([])

torch.ones(2).chunk(0)

torch.ones(5).split(0)

torch.ones(2).flip(2)

torch.ones(2).topk(3)

torch.ones(2, 2).kthvalue(5)

torch.full((2,), 1.5, dtype=torch.int64)

torch.zeros((2, 3), (4,))

torch.zeros(2.5)

torch.ones(2).repeat(2, 2).shape

torch.ones(2, 2).repeat(2)

torch.ones(3).masked_fill(torch.tensor([1, 0, 1]), 0.0)

torch.ones(3).masked_fill(torch.tensor([True, False]), 0.0)

torch.ones(3).masked_fill(torch.tensor([True, False, True]), torch.ones(3))

torch.where(torch.tensor([1, 0]), torch.ones(2), torch.zeros(2))

torch.ones(2, 3).softmax()

torch.ones(2, 3).max(dim=5)

torch.ones(3).unflatten(0, (2, 2))

torch.ones(6).view(2, 4)

torch.tensor([1.0, 2.0]) < 'a'

torch.ones(3) @ torch.ones(3)

torch.ones(2, 3).T @ torch.ones(2, 3)

torch.ones(2).new_tensor([1, 2], dtype=torch.int8)

torch.ones(2, 3).size(2)

torch.ones(2, 3).stride(3)

x = torch.ones(3); x.grad = torch.ones(4)

x = torch.ones(3); x.grad = torch.ones(3, dtype=torch.float64)

x = torch.ones(3, requires_grad=True); y = x * 2; z = y.sum(); y.detach_().zero_(); z.backward(); x.grad

x = torch.ones(3, requires_grad=True); y = x ** 2; y.add_(1); y.sum().backward(); x.grad

x = torch.ones(3, requires_grad=True); y = x.exp(); y.add_(1); y.sum().backward()

#! msg: modified by an inplace operation
x = torch.ones(3, requires_grad=True); y = x.exp(); y.add_(1); y.sum().backward()

x = torch.ones(3, requires_grad=True); y = x.tanh(); z = y * 2; y.zero_(); z.sum().backward(); x.grad

x = torch.ones(3, requires_grad=True); y = x.view(3); y.add_(1)

#! msg: a leaf Variable that requires grad
x = torch.ones(3, requires_grad=True); x.add_(1)

x = torch.ones(3, requires_grad=True); x.view(3).mul_(2)

x = torch.ones(2, 3, requires_grad=True); x[0].zero_()

x = torch.ones(3, requires_grad=True); x.resize_(4)

x = torch.ones(3, requires_grad=True); x.data.resize_(4); x.shape

torch.ones(3) ** torch.ones(3, dtype=torch.int64)

torch.ones(3, dtype=torch.int64) ** -1

torch.tensor([2]) ** torch.tensor([-1])

torch.device('blah')

torch.ones(2).fill_(torch.ones(2))

torch.ones(2, 2).diagonal(2, 0, 0)

torch.tensor([1, 2]).mean()

#! msg: Long
torch.tensor([1, 2]).mean()

torch.tensor([1, 2]).sqrt_()

torch.tensor([1, 2]).exp_()

torch.tensor([1, 2]).div_(2)

torch.tensor([1.0]).add_(torch.tensor([1j]))

torch.tensor([True]).add_(1)

torch.tensor([1.0]).bitwise_and(torch.tensor([1]))

torch.tensor([1, 2]).logical_not_()

torch.tensor([1.0, 2.0]).numpy().flags.writeable

torch.ones(2, 3).contiguous().view(3, -1).shape
'''

IDIOMS = r'''
x = torch.randn(8, 4); x.view(-1, 4).shape

x = torch.arange(8.0).view(2, 4); x.t()

x = torch.arange(8.0).view(2, 4); x.argmax(dim=1)

logits = torch.tensor([[0.1, 2.0, -1.0], [1.0, 0.0, 3.0]]); (logits.argmax(1) == torch.tensor([1, 0])).sum().item()

logits = torch.tensor([[0.1, 2.0, -1.0], [1.0, 0.0, 3.0]]); pred = logits.max(1, keepdim=True)[1]; pred.eq(torch.tensor([1, 2]).view_as(pred)).sum().item()

logits = torch.tensor([[0.1, 2.0, -1.0], [1.0, 0.0, 3.0]]); _, pred = torch.max(logits, 1); pred

logits = torch.tensor([[0.1, 2.0, -1.0], [1.0, 0.0, 3.0]]); (logits.argmax(1) == torch.tensor([1, 0])).float().mean()

correct = 0; correct += (torch.tensor([1, 2]) == torch.tensor([1, 3])).sum().item(); (correct, type(correct).__name__)

total = 0.0; total += torch.tensor(2.5).item() * 4; total

x = torch.tensor([1.0, 2.0]); x.detach().cpu().numpy()

x = torch.tensor([[1.0, 2.0]]); x.squeeze(0).tolist()

x = torch.ones(2, 3); x.size(0) * x.size(1)

x = torch.arange(10.0); x[x > 5].mean()

x = torch.arange(6.0).view(2, 3); x / x.sum(dim=1, keepdim=True)

x = torch.arange(6.0).view(2, 3); (x - x.mean(0)) / x.std(0)

x = torch.arange(6.0).view(2, 3); torch.softmax(x, dim=-1)

x = torch.arange(6.0).view(2, 3); torch.nn.functional.softmax(x, dim=1).sum(1)

x = torch.arange(6.0).view(2, 3); torch.nn.functional.one_hot(torch.tensor([0, 2, 1]), 3)

torch.nn.functional.one_hot(torch.tensor([0, 2, 1]))

torch.nn.functional.one_hot(torch.tensor([0, 2]), num_classes=4).float()

x = torch.tensor([[1, 2], [3, 4]]); torch.flatten(x, start_dim=0)

x = torch.zeros(4); x[torch.arange(4) % 2 == 0] = 1; x

x = torch.tensor([3.0, 1.0, 2.0]); x.clamp(min=1.5, max=2.5)

x = torch.tensor([0.3, 0.7]); (x > 0.5).long()

x = torch.tensor([0.3, 0.7]); (x > 0.5).float()

x = torch.tensor([0.3, 0.7]); (x > 0.5).to(torch.float32).sum()

x = torch.tensor([0.3, 0.7]); torch.round(x)

mask = torch.tril(torch.ones(3, 3)) == 0; torch.zeros(3, 3).masked_fill(mask, float('-inf'))

mask = torch.triu(torch.ones(3, 3), diagonal=1).bool(); torch.ones(3, 3).masked_fill(mask, 0).sum()

torch.arange(3).unsqueeze(0) < torch.tensor([1, 3]).unsqueeze(1)

x = torch.arange(12.0).view(3, 4); x[:, :2].sum(), x[1].max()

x = torch.arange(6).view(2, 3); [row.tolist() for row in x]

x = torch.arange(6).view(2, 3); x.tolist()[1][2]

seq = [torch.tensor([1, 2]), torch.tensor([3])]; torch.nn.utils.rnn.pad_sequence(seq, batch_first=True)

x = torch.ones(2, 3); torch.cat([x, x], dim=-1).shape

x = torch.arange(4.0); x.pow(2).sum().sqrt()

x = torch.tensor([1.0, 2.0], requires_grad=True); loss = ((x - 3) ** 2).mean(); loss.backward(); x.grad

w = torch.tensor([1.0], requires_grad=True)
for _ in range(3):
    loss = (w * 2 - 4) ** 2
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
    w.grad.zero_()
w

w = torch.tensor([1.0], requires_grad=True)
for _ in range(2):
    loss = ((w * 3) ** 2).sum()
    loss.backward()
    w.data -= 0.01 * w.grad.data
w

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]]); x.mean(dim=0), x.var(dim=0)

x = torch.tensor([1.0, 2.0, 3.0]); torch.nn.functional.normalize(x, dim=0)

x = torch.arange(6.0).view(2, 3); torch.nn.functional.pad(x, (1, 1))

x = torch.arange(6.0).view(2, 3); torch.nn.functional.pad(x, (0, 0, 1, 0), value=-1)

torch.nn.functional.cross_entropy(torch.tensor([[2.0, 1.0, 0.1]]), torch.tensor([0]))

torch.nn.functional.mse_loss(torch.tensor([1.0, 2.0]), torch.tensor([1.5, 2.5]))

torch.nn.functional.nll_loss(torch.tensor([[-1.0, -2.0]]), torch.tensor([1]))

torch.nn.functional.binary_cross_entropy(torch.tensor([0.8]), torch.tensor([1.0]))

torch.nn.functional.relu(torch.tensor([-1.0, 2.0]))

torch.relu(torch.tensor([-1, 2]))

torch.nn.functional.sigmoid(torch.tensor([0.0]))

torch.clip(torch.tensor([-2.0, 2.0]), -1, 1)

torch.sign(torch.tensor([-2.0, 0.0]))

torch.numel(torch.zeros(3, 4))

torch.tensor([1, 2, 3]).flip(0).tolist()

x = torch.arange(5); x[x % 2 == 1]

torch.stack([torch.arange(3), torch.arange(3) * 2], dim=1).sum(0)

torch.zeros(3).type(torch.LongTensor)

torch.zeros(3, 2).new(2).shape

torch.zeros(3).new([1, 2])

torch.zeros(3, dtype=torch.int32).new([1.7, 2])

torch.zeros(3, dtype=torch.float64).new(2, 2).dtype

torch.zeros(3).new().shape

torch.is_grad_enabled()

x = torch.arange(4.0).view(2, 2); torch.allclose(x @ torch.eye(2), x)

x = torch.tensor([1.0, 2.0]); x.sum(0, keepdim=True)

x = torch.tensor([[0.2, 0.8], [0.6, 0.4]]); torch.max(x, dim=1).indices.tolist()

x = torch.tensor([[0.2, 0.8], [0.6, 0.4]]); x.topk(1, dim=1).indices.squeeze(1)

torch.eye(3)[torch.tensor([2, 0])]

torch.empty(2, 3).fill_(0.5)

torch.zeros(2, 2).fill_diagonal_(3.0)

x = torch.ones(3); x.new_zeros(x.shape)

x = torch.arange(6).reshape(2, 3); x.sum(axis=1)

x = torch.arange(6).reshape(2, 3); x.mean(axis=0, dtype=torch.float32)

x = torch.arange(6.0).reshape(2, 3); torch.mean(x, axis=-1)

x = torch.arange(6.0).reshape(2, 3); x.max(axis=1).values

torch.arange(6).reshape(2, 3).size(dim=1)

torch.tensor([[1, 2]]).expand(3, -1).sum(0)

torch.tensor([1.0, 2.0]).cumsum(dim=0).flip(0)

x = torch.tensor([1.0, 4.0, 9.0]); torch.sqrt(x).int()

x = torch.tensor([[1, 2], [3, 4]]); x.T @ x

torch.arange(1, 10).view(3, 3).trace()

x = torch.tensor([1, 2, 3]); x.numel() == len(x)

x = torch.tensor([[5, 6]]); x.shape[1]

x = torch.zeros(2, 3, 4); x.transpose(1, 2).contiguous().view(2, -1).shape

x = torch.zeros(2, 3, 4); x.permute(0, 2, 1).reshape(2, -1).shape

torch.tensor([2.5, 3.5]).ceil().long()

torch.tensor([1e-8]).log10()

torch.tensor([1.0, 2.0]).log1p().expm1()

torch.tensor([0.5]).logit()

torch.tensor([1.0]).erf()

torch.tensor([2.0]).lgamma()

torch.tensor([[1.0, 2.0], [3.0, 4.0]]).max().item()

torch.zeros(2, 3).shape.numel()

x = torch.tensor([1.0, 2.0]); y = x.clone().detach().requires_grad_(True); (y.requires_grad, y.is_leaf)

x = torch.tensor([1.0, 2.0]); torch.tensor(x, requires_grad=True).is_leaf

torch.no_grad()(lambda: torch.ones(1, requires_grad=True) * 2)().requires_grad

torch.nn.functional.softmax(torch.tensor([[1.0, 2.0]]), 1).argmax(1)
'''

PRINTING2 = r"""
repr(torch.tensor([1e-5, 2e-5]))

repr(torch.tensor([[0.1234, -1.5], [22.5, 3.0]]))

repr(torch.tensor([1 + 1e-5j, 100 + 2j]))

repr(torch.tensor([123456789012, -5]))

repr(torch.tensor(1e-8, requires_grad=True))

repr(torch.arange(100.0) / 3)

repr(torch.arange(100) * 1000)

repr(torch.tensor([[1.0, 2.0]] * 3, dtype=torch.float64) / 3)

repr(torch.arange(12, dtype=torch.float64).view(3, 4) * 1e5)

repr(torch.tensor([1.5, float('nan')]))

repr(torch.tensor([100000.0]))

repr(torch.tensor([1.0, 1e8]))

repr(torch.tensor([1e9]))

repr(torch.tensor([0.5, 1e-4]))

repr(torch.tensor([[True, False, True]] * 2))

repr(torch.tensor([[1, 2], [3, 4]], dtype=torch.uint8))

repr(torch.tensor([[]]))

repr(torch.zeros(0, dtype=torch.float64))

repr(torch.tensor([], dtype=torch.bool))

torch.set_default_dtype(torch.float64); repr(torch.tensor([1.5]))

torch.set_default_dtype(torch.float64); repr(torch.tensor([1.5], dtype=torch.float32))

torch.set_default_dtype(torch.float64); repr(torch.tensor([1j]))

torch.set_default_dtype(torch.float64); repr(torch.zeros(0))

repr(torch.tensor([0.5, 1.5], dtype=torch.float16) * 3)

repr(torch.arange(10).view(2, 5).T)

repr(torch.arange(2000).view(2, 1000))

repr(torch.arange(4000).view(2, 1000, 2))

torch.set_printoptions(precision=2, sci_mode=True); repr(torch.tensor([1.5, 22.25]))

torch.set_printoptions(profile='short'); repr(torch.arange(1200.0) / 7)

torch.set_printoptions(profile='full'); repr(torch.arange(1010)).count('...')

repr(torch.tensor([-1.5, 2.25]) * 1j)

repr(torch.tensor([1.0, -2.0, 3.0], requires_grad=True) * 2)

#! xfail: ops/reduction.py: sum over a dim prints SumBackward0, PyTorch SumBackward1
repr(torch.tensor([[1.0, -2.0], [3.0, 4.0]], requires_grad=True).sum(0))

repr(torch.tensor([1.0], dtype=torch.float64, requires_grad=True) * 2)

repr(torch.tensor([1, 2], dtype=torch.int32) * 1000000)

repr(torch.tensor([-0.0001, 0.0001]))

repr(torch.tensor([12.5, -0.75, 1000.0]))

repr(torch.tensor([3.14159265358979], dtype=torch.float64))

repr(torch.tensor([2.0 ** 24 + 1], dtype=torch.float64))

repr(torch.linspace(-1, 1, 7))

repr(torch.eye(3, dtype=torch.int64) * -7)

repr(torch.full((3, 3), float('inf')))

repr(torch.tensor([float('-inf'), float('inf')]))

repr(torch.tensor([1e-3, float('inf')]))

str(torch.tensor(5.0))

str(torch.tensor([[1.5]]))

repr(torch.tensor([5.0]).mean())

repr(torch.tensor(2.5) * torch.tensor(2.0, requires_grad=True))
"""

DTYPES2 = r"""
torch.tensor([127], dtype=torch.int8) + 1

torch.tensor([0], dtype=torch.uint8) - 1

torch.tensor([1, 2], dtype=torch.int32) / torch.tensor([2], dtype=torch.int32)

torch.tensor([1.5, 2.5], dtype=torch.float16) * 3.3

torch.tensor(2, dtype=torch.int32) * 2.5

torch.tensor([1], dtype=torch.int16) + torch.tensor(1, dtype=torch.int64)

torch.tensor([1.0], dtype=torch.float16) * torch.tensor(2, dtype=torch.int64)

torch.tensor([True]) + torch.tensor(1, dtype=torch.int8)

torch.tensor([1j], dtype=torch.complex64) + torch.tensor([1.0], dtype=torch.float64)

torch.tensor([1j], dtype=torch.complex64) + torch.tensor(1.0, dtype=torch.float64)

torch.tensor([1.0], dtype=torch.float16).sum().dtype

torch.tensor([True, False]).mean()

torch.tensor([1, 2]).to(torch.bool)

torch.tensor([True, False]).float()

torch.tensor([1.7]).to(torch.uint8)

torch.tensor([3.9, -3.9]).long()

torch.tensor([1, 2]) * True

torch.full((2,), 3, dtype=torch.float16)

torch.arange(0, 1, 0.1, dtype=torch.float64)

torch.arange(5, dtype=torch.uint8)

torch.linspace(0, 1, 5, dtype=torch.float64)

torch.tensor(np.array([1, 2], dtype=np.int8))

torch.zeros(2, dtype=int).dtype

torch.zeros(2, dtype=float).dtype

torch.zeros(2, dtype=bool).dtype

torch.tensor([1.5], dtype=float).dtype

torch.tensor([1.5]).to(float).dtype

torch.ones(2).to(int).dtype

torch.ones(2).type(torch.int32).dtype

torch.tensor([1, 2]).double().dtype == torch.double

torch.empty(2, dtype=torch.half).dtype

torch.tensor([1.0]).half().float().dtype

torch.tensor([65504.0]).half() * 2

torch.tensor([1e-8]).half()

torch.tensor([0.1], dtype=torch.float16).item()

type(torch.tensor([0.1], dtype=torch.float16).item()).__name__

torch.tensor([1, 2], dtype=torch.int8).tolist()

torch.tensor([200], dtype=torch.uint8).to(torch.int8)

torch.tensor([1.0, 2.0]) // torch.tensor([0.3])

torch.tensor([-7, 7]) % torch.tensor([3, -3])

torch.tensor([-7.5, 7.5]) % torch.tensor([3.0, -3.0])

torch.tensor([2.0]) ** torch.tensor([3])

torch.tensor([2]) ** torch.tensor([3.0])

torch.tensor([2], dtype=torch.int32) ** 2

torch.tensor([2.0]) ** 2

(torch.tensor([2.0]) ** 0.5).dtype

torch.tensor([4], dtype=torch.uint8) // 3

torch.tensor([1, 2]) + torch.tensor([1, 2], dtype=torch.uint8)

torch.tensor([1, 2], dtype=torch.int8) * torch.tensor([1, 2], dtype=torch.uint8)

torch.tensor([1.5]) > torch.tensor([1])

torch.tensor([1]) == 1.0

torch.tensor([True]) == 1

torch.tensor([1, 2]).float().dtype

torch.tensor([0.1, 0.2], dtype=torch.float64).float().tolist()

torch.tensor([1, 2]).sum(dtype=torch.float32)

torch.tensor([1.5, 2.5]).sum(dtype=torch.float64)

torch.tensor([1, 2], dtype=torch.int8).prod()

torch.tensor([100, 100], dtype=torch.int8).sum()

torch.tensor([1.5, 2.5]).int().float()

torch.promote_types(torch.float16, torch.int64)

torch.promote_types(torch.complex64, torch.float64)

torch.result_type(torch.tensor(1.0, dtype=torch.float64), torch.tensor([1], dtype=torch.int32))

torch.result_type(torch.tensor([True]), 2)

torch.result_type(2, 3.0)
"""

AUTOGRAD2 = r"""
x = torch.tensor([1.0, 2.0], requires_grad=True); (x * 2).sum().backward(); (x ** 2).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.retain_grad(); z = y.sum(); z.backward(retain_graph=True); z.backward(); y.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.exp(); g = torch.autograd.grad(y.sum(), x); torch.autograd.grad(y.sum(), x)

#! msg: second time
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.exp(); g = torch.autograd.grad(y.sum(), x); torch.autograd.grad(y.sum(), x)

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.register_hook(lambda g: g * 2); y.register_hook(lambda g: g + 1); y.sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); x.register_hook(lambda g: None); (x * 3).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = x * 2
(x.grad, y.requires_grad, y.is_leaf)

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.requires_grad = True

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 2; y.requires_grad = False

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.detach().requires_grad_(); (y.is_leaf, y.requires_grad, y.grad_fn)

x = torch.tensor([1.0, 2.0], requires_grad=True)
@torch.enable_grad()
def f(t):
    return t * 2
with torch.no_grad():
    r = f(x)
r.requires_grad

x = torch.tensor([1.0, 2.0], requires_grad=True); (x + torch.ones(3, 2)).sum().backward(); x.grad

class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b
    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return (g * b if ctx.needs_input_grad[0] else None, g * a if ctx.needs_input_grad[1] else None)
a = torch.tensor([1.0, 2.0], requires_grad=True); b = torch.tensor([3.0, 4.0]); F.apply(a, b).sum().backward(); (a.grad, b.grad)

class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.mark_dirty(a)
        a.mul_(2)
        return a
    @staticmethod
    def backward(ctx, g):
        return g * 2
x = torch.tensor([1.0, 2.0], requires_grad=True); y = x * 1; z = F.apply(y); z.sum().backward(); (x.grad, z is y)

class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        out = a.argmax()
        ctx.mark_non_differentiable(out)
        return a * 2, out
    @staticmethod
    def backward(ctx, g, g2):
        return g * 2
x = torch.tensor([1.0, 3.0], requires_grad=True); y, i = F.apply(x); (y.requires_grad, i.requires_grad, i)

class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a * 2
    @staticmethod
    def backward(ctx, g):
        return g * 2
x = torch.tensor([1.0], requires_grad=True); y = F.apply(x); type(y.grad_fn).__name__

class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a * 2
    @staticmethod
    def backward(ctx, g):
        return g * 2, g
x = torch.tensor([1.0], requires_grad=True); F.apply(x).sum().backward()

x = torch.tensor([1.0, 2.0], requires_grad=True); (x > 1).requires_grad

x = torch.tensor([1.0, 2.0], requires_grad=True); x.argmax().requires_grad

x = torch.tensor([1.5, 2.0], requires_grad=True); x.long().requires_grad

x = torch.tensor([1.5, 2.0], requires_grad=True); x.double().requires_grad

x = torch.tensor([1.5, 2.0], requires_grad=True); x.clone().requires_grad

x = torch.tensor([1.5, 2.0], requires_grad=True); torch.zeros_like(x).requires_grad

x = torch.tensor([1.5, 2.0], requires_grad=True); x.new_zeros(2).requires_grad

x = torch.tensor([1.5, 2.0], requires_grad=True); torch.tensor(x.tolist()).requires_grad

x = torch.tensor([1.5, 2.0], requires_grad=True); x.double().sum().backward(); x.grad

x = torch.tensor([1.5, 2.0], requires_grad=True); x.sum().backward(); x.grad.data.zero_(); x.grad

x = torch.tensor([1.5, 2.0], requires_grad=True); y = x * 2; z = y * 3; torch.autograd.grad(z.sum(), y)

x = torch.tensor([1.5, 2.0], requires_grad=True); y = x * 2; torch.autograd.grad(y.sum(), [x, y])

x = torch.tensor([1.5, 2.0], requires_grad=True); y = x * 2; torch.autograd.grad([y.sum(), (y * y).sum()], x)

x = torch.tensor([1.5, 2.0], requires_grad=True); y = x * 2; torch.autograd.grad(y, x, torch.tensor([1.0, -1.0]))

x = torch.tensor(2.0, requires_grad=True); y = x ** 4; g1, = torch.autograd.grad(y, x, create_graph=True); g2, = torch.autograd.grad(g1, x, create_graph=True); g3, = torch.autograd.grad(g2, x); (g1, g2, g3)

x = torch.tensor([1.0, 2.0], requires_grad=True); y = torch.sin(x); g, = torch.autograd.grad(y.sum(), x, create_graph=True); g.sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); (x * x).sum().backward(create_graph=True); x.grad.requires_grad

x = torch.tensor([1.0, 2.0], requires_grad=True); y = x.sum(); y.backward(); y.grad_fn is not None

x = torch.ones(2, 2, requires_grad=True); y = x[0]; y.sum().backward(); x.grad

x = torch.ones(2, 2, requires_grad=True); y = x.t(); y[0, 1].backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); y = x.unbind(0); (y[0] * y[2]).backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); x.split([1, 2])[1].sum().backward(); x.grad

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); x.flatten().max().backward(); x.grad

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); torch.trace(x).backward(); x.grad

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); x.diagonal().sum().backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); torch.flip(x, [0])[0].backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); torch.roll(x, 1)[0].backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); x.repeat_interleave(2).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True); x.unfold(0, 2, 1).sum().backward(); x.grad

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); torch.rot90(x)[0, 0].backward(); x.grad

x = torch.tensor([[1.0, 2.0]], requires_grad=True); torch.block_diag(x, x * 2).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); torch.cartesian_prod(x, x)[:, 0].sum().backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); x.tensor_split(2)[0].sum().backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); torch.trapezoid(x).backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); x.cummax(0).values.sum().backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); x.median().backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); x.kthvalue(2).values.backward(); x.grad

x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True); x.mode().values.backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); x.index_select(0, torch.tensor([2, 2])).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); x.take(torch.tensor([0, 0])).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); x.masked_select(x > 1).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); torch.zeros(5).index_add(0, torch.tensor([0, 0, 4]), x).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); torch.zeros(3).scatter_add(0, torch.tensor([0, 0, 1]), x).pow(2).sum().backward(); x.grad

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True); y = torch.zeros(3); y[torch.tensor([0, 2])] = x[:2]; y.sum().backward(); x.grad

x = torch.tensor([1.0, 2.0], requires_grad=True); torch.outer(x, x).sum().backward(); x.grad

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); torch.linalg.inv(x).sum().backward(); x.grad

x = torch.tensor([[4.0, 1.0], [1.0, 3.0]], requires_grad=True); torch.linalg.cholesky(x).sum().backward(); x.grad

x = torch.tensor([[2.0, 1.0], [1.0, 3.0]], requires_grad=True); torch.linalg.eigvalsh(x).sum().backward(); x.grad

x = torch.tensor([[3.0, 1.0], [1.0, 2.0]], requires_grad=True); torch.linalg.solve(x, torch.tensor([9.0, 8.0])).sum().backward(); x.grad

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); torch.linalg.svdvals(x).sum().backward(); x.grad

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); torch.linalg.norm(x).backward(); x.grad

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True); torch.linalg.slogdet(x).logabsdet.backward(); x.grad
"""

SHAPE3 = r"""
torch.ones(2, 3).squeeze(0).shape

torch.ones(2, 1, 3).unsqueeze(-4).shape

torch.ones(0, 3).view(-1).shape

torch.ones(0, 3).reshape(3, 0).shape

torch.ones(0, 3).view(-1, 0)

torch.ones(2, 3).expand(-1, 3, 3)

torch.ones(2, 3).permute(-1, 0).shape

torch.tensor(5).flatten().shape

torch.ones(2, 3, 4).movedim((0, 1), (2, 0)).shape

[t.shape[0] for t in torch.arange(5).chunk(3)]

[t.shape[0] for t in torch.arange(6).chunk(4)]

[t.shape for t in torch.ones(4, 6).split([1, 5], dim=1)]

[t.tolist() for t in torch.arange(7).tensor_split([2, 5])]

[t.tolist() for t in torch.arange(7).tensor_split([5, 2])]

[t.tolist() for t in torch.split(torch.arange(5), [1, 4])]

torch.ones(2, 3, 4).transpose(0, 2).contiguous().stride()

torch.ones(2, 3).unsqueeze(1).stride()

torch.ones(3, 1).expand(3, 4).stride()

torch.ones(2, 3).t().t().is_contiguous()

torch.ones(4).view(2, 2).is_contiguous()

torch.ones(2, 3)[:, :2].is_contiguous()

torch.ones(2, 3)[:1].is_contiguous()

torch.zeros(3, 4)[::2].stride()

torch.stack([torch.ones(2, 3)] * 4, dim=2).shape

torch.cat([torch.ones(2, 3, dtype=torch.int32), torch.ones(2, 3, dtype=torch.float16)]).dtype

torch.cat([torch.ones(2), torch.tensor([True])]).dtype

torch.cat([torch.ones(2, 2), torch.ones(2, 2)], dim=-1).shape

torch.cat([torch.ones(2, 2), torch.ones(2, 2)], dim=2)

torch.stack([torch.ones(2), torch.ones(2)], dim=2)

torch.flatten(torch.ones(2, 3, 4), 1, 1).shape

torch.ones(2, 3, 4).flatten(2, 1)

torch.squeeze(torch.ones(1, 1)).shape

torch.ones(1, 1).squeeze(-1).shape

torch.ones(3).view(1, 3, 1).expand(2, 3, 4).sum()

torch.zeros(4, 4).diag_embed().shape

torch.arange(12).view(3, 4)[:, None, :].expand(3, 2, 4).reshape(6, 4)[1]

torch.tril_indices(3, 3)

torch.triu_indices(3, 3, 1)

torch.combinations(torch.tensor([1, 2, 3]))

torch.flatten(torch.arange(6).view(2, 3).t())

torch.ones(2, 3).view(3, 2).t().contiguous().view(-1).shape

torch.ones(2, 3).reshape(-1, 2, 3).shape

torch.arange(8).view(2, 2, 2).permute(2, 1, 0).reshape(-1)

torch.arange(6).view(2, 3).repeat(1, 1, 2).shape

torch.arange(6).view(2, 3).tile((2,)).shape

torch.arange(6).view(2, 3).expand(2, 2, 3).shape

torch.arange(3).expand(2, -1).flip(1)

torch.atleast_3d(torch.ones(2, 3)).shape

torch.hsplit(torch.arange(6).view(2, 3), 3)[0]

torch.vsplit(torch.arange(6).view(2, 3), [1])[1]

torch.swapdims(torch.ones(2, 3), 0, 1).shape

torch.narrow(torch.arange(10), 0, -3, 2)

torch.select(torch.arange(6).view(2, 3), 0, -1)

torch.arange(6).view(2, 3).unflatten(-1, (3, 1)).shape

torch.hsplit(torch.arange(6), [2])

torch.dsplit(torch.arange(8).view(1, 2, 4), 2)[1].shape

torch.vsplit(torch.arange(6).view(3, 2), 2)

torch.hsplit(torch.ones(2), 1)[0].shape

torch.combinations(torch.tensor([1.0, 2.0, 3.0]), r=3)

torch.combinations(torch.tensor([1, 2]), with_replacement=True)

torch.tril_indices(3, 4, -1)

torch.triu_indices(4, 3, -1, dtype=torch.int32)

x = torch.arange(6.0); x.as_strided((2, 2), (1, 2))

x = torch.arange(6.0); v = x.as_strided((2,), (2,), 1); v.fill_(-1); x

x = torch.arange(6.0, requires_grad=True); x.as_strided((2, 2), (1, 2)).sum().backward(); x.grad

torch.arange(6).view(2, 3).ravel()

torch.ones(2, 3).mH.shape

torch.tensor([[1 + 1j, 2j]]).mH

torch.tensor([[1 + 1j, 2j]]).adjoint()

torch.ones(3, 3).tril_()

torch.ones(3, 3).triu_(1)

torch.select_scatter(torch.zeros(2, 2), torch.ones(2), 0, 0)

torch.slice_scatter(torch.zeros(4), torch.ones(2), start=2)

torch.slice_scatter(torch.zeros(2, 4), torch.ones(2, 2), dim=1, start=0, step=2)

torch.arange(5).split_with_sizes([2, 3])

torch.arange(6).narrow_copy(0, 1, 2)

torch.ones(2, 3).sum_to_size(1, 3)

torch.ones(2, 3).is_same_size(torch.zeros(2, 3))

torch.ones(2).is_signed()

torch.ones(2, dtype=torch.uint8).is_signed()

torch.cov(torch.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.5]]))

torch.cov(torch.tensor([1.0, 2.0, 4.0]))

torch.cov(torch.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.5]]), correction=0, fweights=torch.tensor([1, 2, 1]))

torch.cov(torch.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.5]]), aweights=torch.tensor([0.5, 1.0, 2.0]))

torch.corrcoef(torch.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.5]]))

torch.ones(2, 2).addmm_(torch.ones(2, 3), torch.ones(3, 2), alpha=2)

torch.ones(2, 3).qr()[1].shape

torch.tensor([1.0, 3.0]).greater_(2)
"""

IDIOMS2 = r"""
x = torch.arange(10.0); (x - x.mean()) / (x.std() + 1e-8)

imgs = torch.arange(24.0).view(2, 3, 2, 2); imgs.mean(dim=(0, 2, 3))

imgs = torch.arange(24.0).view(2, 3, 2, 2); imgs.permute(0, 2, 3, 1).reshape(-1, 3).shape

x = torch.arange(6.0).view(2, 3); torch.cat((x, x.new_ones(2, 1)), dim=1)

x = torch.arange(6.0).view(2, 3); x.unsqueeze(0).repeat(2, 1, 1).shape

labels = torch.tensor([0, 2, 1, 2]); torch.bincount(labels, minlength=3).float() / len(labels)

scores = torch.tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]); (scores.argmax(-1) == torch.tensor([0, 1, 1])).float().mean().item()

scores = torch.tensor([[0.9, 0.1], [0.2, 0.8]]); torch.topk(scores, 1).indices.view(-1)

h = torch.zeros(2, 3); h[:, 0] = torch.tensor([1.0, 2.0]); h

x = torch.arange(12.0).view(3, 4); x[x.sum(1) > 10]

x = torch.arange(12.0).view(3, 4); x[:, x.sum(0) > 14]

tokens = torch.tensor([[5, 2, 0], [3, 0, 0]]); (tokens != 0).sum(1)

tokens = torch.tensor([[5, 2, 0], [3, 0, 0]]); mask = tokens == 0; torch.zeros(2, 3).masked_fill(mask, -1e9)

tokens = torch.tensor([[5, 2, 0], [3, 0, 0]]); tokens.ne(0).unsqueeze(1).unsqueeze(2).shape

x = torch.arange(6.0).view(2, 3); torch.einsum('ij->j', x)

q = torch.ones(2, 4, 8); k = torch.ones(2, 4, 8); (q @ k.transpose(-2, -1) / 8 ** 0.5).shape

x = torch.tensor([1.0, 2.0, 3.0]); x.clamp(0, 2).sum().item()

y = torch.tensor([1.0, 2.0]); yhat = torch.tensor([1.5, 1.5]); ((y - yhat) ** 2).mean().item()

x = torch.arange(4.0); torch.where(x > 1, x, torch.zeros_like(x))

x = torch.arange(4.0); torch.where(x > 1, x, 0.0)

x = torch.arange(4.0); torch.where(x > 1, 1, x)

x = torch.tensor([0.2, 0.7, 0.1]); torch.multinomial(x, 1, generator=torch.Generator().manual_seed(0)).shape

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]]); x.max(0)[0] - x.min(0)[0]

x = torch.tensor([3, 1, 2]); x.sort(descending=True)[1].tolist()

x = torch.tensor([3, 1, 2]); torch.argsort(x).tolist()

x = torch.arange(10); x[torch.randperm(10)].sort().values.equal(x)

x = torch.zeros(5, dtype=torch.long); x[2] = 7; x.nonzero().squeeze()

x = torch.tensor([1.0, 2.0, 3.0]); x.numpy().mean()

x = torch.tensor([[1, 2], [3, 4]]); [list(r) for r in x.numpy()]

x = torch.tensor([1.0, 2.0]); float(x.sum())

x = torch.tensor([1.0, 2.0]); '{:.2f}'.format(x.mean())

x = torch.tensor([1.0, 2.0]); f'loss: {x.mean().item():.4f}'

x = torch.tensor([1.0, 2.0]); f'{x.mean():.3f}'

x = torch.tensor([1.0, 2.0]); round(x.mean().item(), 3)

torch.tensor([1.0, 2.0]).mean().item() > 1

x = torch.tensor([1, 2, 3]); x[x > 1].numel()

x = torch.ones(3, 4); x.size()

x = torch.ones(3, 4); tuple(x.shape)

x = torch.ones(3, 4); x.shape == (3, 4)

x = torch.ones(3, 4); x.shape[1:] == torch.Size([4])

x = torch.ones(3, 4); str(x.shape)

x = torch.ones(2, 2); torch.save is not None

x = torch.zeros(2, 2); x.add_(1).mul_(3).sub_(1)

x = torch.zeros(3); x.index_fill_(0, torch.tensor([1]), 5.0)

torch.manual_seed(0); a = torch.randn(3); torch.manual_seed(0); b = torch.randn(3); torch.equal(a, b)

torch.get_default_dtype() == torch.float32

torch.tensor([1.0]).device.type == 'cpu'

torch.device('cpu').type

torch.device('cuda:1').index

torch.device('cuda', 0)

torch.device('cpu:0')

str(torch.device('cuda:0'))

torch.tensor([1.0], device=torch.device('cpu'))

torch.zeros(2, device='cpu').device

torch.ones(1).to(torch.device('cpu')).device
"""

GROUPS = {
    "creation": CREATION,
    "promotion": PROMOTION,
    "broadcast": BROADCAST,
    "reduction": REDUCTION,
    "shape": SHAPE,
    "indexing": INDEXING,
    "views": VIEWS,
    "inplace": INPLACE,
    "autograd": AUTOGRAD,
    "printing": PRINTING,
    "conversion": CONVERSION,
    "sorting": SORTING,
    "linalg": LINALG,
    "complex_fft": COMPLEX_FFT,
    "random": RANDOM,
    "errors": ERRORS,
    "idioms": IDIOMS,
    "printing2": PRINTING2,
    "dtypes2": DTYPES2,
    "autograd2": AUTOGRAD2,
    "shape3": SHAPE3,
    "idioms2": IDIOMS2,
}

def all_cases() -> list[Case]:
    """Every snippet of every group, in order."""
    return [case for name, text in GROUPS.items() for case in parse_group(name, text)]
