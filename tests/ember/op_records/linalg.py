"""Records for products (matmul family, einsum, tensordot, kron, cross) and ember.linalg."""

from __future__ import annotations

import numpy as np

import ember
from tests.ember.opinfo import OpInfo, Sample, _arr


def _pairs(shape_pairs):
    def gen(rng, dtype):
        for sa, sb in shape_pairs:
            yield Sample(_arr(rng, sa, dtype), _arr(rng, sb, dtype))

    return gen


MATMUL_SHAPES = [
    ((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 5)), ((3, 4), (4, 5)), ((2, 3, 4), (4, 5)),
    ((3, 4), (2, 4, 5)), ((2, 1, 3, 4), (5, 4, 2)), ((2, 3, 4), (4,)), ((4,), (2, 4, 5)),
]


def _complex_pair(re, im):
    return ember.complex(re, im)


def _complex_matmul(ar, ai, br, bi):
    return ember.view_as_real(ember.matmul(_complex_pair(ar, ai), _complex_pair(br, bi)))


def _complex_matmul_ref(ar, ai, br, bi):
    out = np.matmul(ar + 1j * ai, br + 1j * bi)
    return np.stack([out.real, out.imag], -1)


def _complex_matmul_samples(rng, dtype):
    for sa, sb in [((3, 4), (4, 2)), ((4,), (2, 4, 3)), ((2, 3, 4), (4,))]:
        yield Sample(*(_arr(rng, s, dtype) for s in (sa, sa, sb, sb)))


def _addmm_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 5), dtype), _arr(rng, (3, 4), dtype), _arr(rng, (4, 5), dtype))
    yield Sample(_arr(rng, (5,), dtype), _arr(rng, (3, 4), dtype), _arr(rng, (4, 5), dtype),
                 beta=0.5, alpha=2.0)


def _addmv_samples(rng, dtype):
    yield Sample(_arr(rng, (3,), dtype), _arr(rng, (3, 4), dtype), _arr(rng, (4,), dtype),
                 beta=2.0, alpha=-1.0)


def _baddbmm_samples(rng, dtype):
    yield Sample(_arr(rng, (2, 3, 5), dtype), _arr(rng, (2, 3, 4), dtype),
                 _arr(rng, (2, 4, 5), dtype), alpha=0.5)


def _addr_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), _arr(rng, (3,), dtype), _arr(rng, (4,), dtype),
                 beta=0.5)


EINSUM_CASES = [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("ii->i", [(4, 4)]),
    ("ii", [(4, 4)]),
    ("ij->", [(3, 4)]),
    ("ij->j", [(3, 4)]),
    ("i,j->ij", [(3,), (4,)]),
    ("ij,ij->i", [(3, 4), (3, 4)]),
    ("...ij,...jk->...ik", [(2, 3, 4), (4, 5)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("bi,bi", [(2, 3), (1, 3)]),
    ("iij->j", [(3, 3, 2)]),
]


def _einsum_samples(rng, dtype):
    for eq, shapes in EINSUM_CASES:
        yield Sample(eq, *(_arr(rng, s, dtype) for s in shapes))


def _einsum_ref(eq, *ops):
    return np.einsum(eq, *ops)


def _tensordot_samples(rng, dtype):
    yield Sample(_arr(rng, (2, 3, 4), dtype), _arr(rng, (3, 4, 5), dtype))
    yield Sample(_arr(rng, (2, 3, 4), dtype), _arr(rng, (4, 5), dtype), dims=1)
    yield Sample(_arr(rng, (2, 3, 4), dtype), _arr(rng, (4, 2), dtype), dims=([0, 2], [1, 0]))


def _np_tensordot(a, b, dims=2):
    return np.tensordot(a, b, axes=dims)


def _cross_samples(rng, dtype):
    yield Sample(_arr(rng, (4, 3), dtype), _arr(rng, (4, 3), dtype), dim=1)
    yield Sample(_arr(rng, (3, 2), dtype), _arr(rng, (3, 2), dtype), dim=0)


def _np_cross(a, b, dim):
    return np.cross(a, b, axis=dim)


# -- ember.linalg ----------------------------------------------------------------------------
def _well_conditioned(rng, shape, dtype):
    n = shape[-1]
    return (rng.uniform(-1, 1, shape) + n * np.eye(n)).astype(dtype)


def _square_samples(rng, dtype):
    yield Sample(_well_conditioned(rng, (3, 3), dtype))
    yield Sample(_well_conditioned(rng, (2, 4, 4), dtype))


def _solve_samples(rng, dtype):
    yield Sample(_well_conditioned(rng, (3, 3), dtype), _arr(rng, (3, 2), dtype))
    yield Sample(_well_conditioned(rng, (3, 3), dtype), _arr(rng, (3,), dtype))
    yield Sample(_well_conditioned(rng, (2, 3, 3), dtype), _arr(rng, (3, 4), dtype))
    yield Sample(_well_conditioned(rng, (2, 3, 3), dtype), _arr(rng, (2, 3), dtype))


def _np_solve(a, b):
    if b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1]):
        return np.linalg.solve(a, b[..., None])[..., 0]
    return np.linalg.solve(a, b)


def _spd(x):
    n = x.shape[-1]
    return x @ x.mT + n * ember.eye(n, dtype=x.dtype, device=x.device)


def _np_spd(x):
    n = x.shape[-1]
    return x @ np.swapaxes(x, -1, -2) + n * np.eye(n)


def _sym(x):
    return x + x.mT


def _rect_samples(rng, dtype):
    yield Sample(_arr(rng, (4, 3), dtype))
    yield Sample(_arr(rng, (2, 3, 5), dtype))


def _vector_norm_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype))
    yield Sample(_arr(rng, (3, 4), dtype), 1, dim=1)
    yield Sample(_arr(rng, (3, 4), dtype), 3, dim=(0, 1), keepdim=True)
    yield Sample(_arr(rng, (2, 3, 4), dtype), float("inf"), dim=-1)
    yield Sample(_arr(rng, (2, 3, 4), dtype), float("-inf"), dim=0)
    yield Sample(_arr(rng, (5,), dtype), 0.5)


def _np_vector_norm(x, ord=2, dim=None, keepdim=False):
    axis = dim if dim is None or isinstance(dim, int) else tuple(dim)
    a = np.abs(x)
    if ord == float("inf"):
        return a.max(axis=axis, keepdims=keepdim)
    if ord == float("-inf"):
        return a.min(axis=axis, keepdims=keepdim)
    return (a ** ord).sum(axis=axis, keepdims=keepdim) ** (1 / ord)


def _matrix_norm_samples(orders):
    def gen(rng, dtype):
        for o in orders:
            yield Sample(_arr(rng, (3, 4), dtype), o)
            yield Sample(_arr(rng, (2, 4, 3), dtype), o, keepdim=True)

    return gen


def _np_matrix_norm(x, ord="fro", keepdim=False):
    return np.linalg.norm(x, ord=ord, axis=(-2, -1), keepdims=keepdim)


def _linalg_norm_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype))
    yield Sample(_arr(rng, (5,), dtype), 3)
    yield Sample(_arr(rng, (3, 4), dtype), float("inf"))
    yield Sample(_arr(rng, (2, 3, 4), dtype), dim=1)


def _np_linalg_norm(x, ord=None, dim=None):
    if dim is None and ord is None:
        return np.linalg.norm(x.reshape(-1))
    return np.linalg.norm(x, ord=ord, axis=dim)


def _matrix_power_samples(rng, dtype):
    for n in (0, 1, 3, -2):
        yield Sample(_well_conditioned(rng, (3, 3), dtype) / 3, n)


def _matrix_power_grad_samples(rng, dtype):
    for n in (1, 3, -2):
        yield Sample(_well_conditioned(rng, (2, 3, 3), dtype) / 3, n)


def _multi_dot_samples(rng, dtype):
    yield Sample(*[_arr(rng, s, dtype) for s in ((2, 3), (3, 4), (4, 2))])
    yield Sample(*[_arr(rng, s, dtype) for s in ((3,), (3, 4), (4,))])


def _np_multi_dot(*ts):
    return np.linalg.multi_dot(ts)


def _vecdot_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), _arr(rng, (4,), dtype))
    yield Sample(_arr(rng, (3, 4), dtype), _arr(rng, (3, 4), dtype), dim=0)


def _np_vecdot(x, y, dim=-1):
    return (x * y).sum(axis=dim)


L = ember.linalg
RECORDS = [
    OpInfo("matmul", ember.matmul, np.matmul, _pairs(MATMUL_SHAPES)),
    OpInfo("matmul_complex", _complex_matmul, _complex_matmul_ref, _complex_matmul_samples),
    OpInfo("matmul_operator", lambda a, b: a @ b, np.matmul, _pairs([((3, 4), (4, 2))])),
    OpInfo("mm", ember.mm, np.matmul, _pairs([((3, 4), (4, 5))])),
    OpInfo("bmm", ember.bmm, np.matmul, _pairs([((2, 3, 4), (2, 4, 5))])),
    OpInfo("mv", ember.mv, np.matmul, _pairs([((3, 4), (4,))])),
    OpInfo("dot", ember.dot, np.dot, _pairs([((4,), (4,))])),
    OpInfo("vdot", ember.vdot, np.vdot, _pairs([((4,), (4,))])),
    OpInfo("inner", ember.inner, np.inner, _pairs([((3, 4), (2, 4)), ((4,), (4,)),
                                                   ((2, 3, 4), (4,))])),
    OpInfo("outer", ember.outer, np.outer, _pairs([((3,), (4,))])),
    OpInfo("addmm", ember.addmm, lambda i, a, b, beta=1, alpha=1: beta * i + alpha * (a @ b),
           _addmm_samples),
    OpInfo("addmv", ember.addmv, lambda i, a, b, beta=1, alpha=1: beta * i + alpha * (a @ b),
           _addmv_samples),
    OpInfo("baddbmm", ember.baddbmm,
           lambda i, a, b, beta=1, alpha=1: beta * i + alpha * (a @ b), _baddbmm_samples),
    OpInfo("addr", ember.addr,
           lambda i, a, b, beta=1, alpha=1: beta * i + alpha * np.outer(a, b), _addr_samples),
    OpInfo("einsum", ember.einsum, _einsum_ref, _einsum_samples),
    OpInfo("tensordot", ember.tensordot, _np_tensordot, _tensordot_samples),
    OpInfo("kron", ember.kron, np.kron, _pairs([((2, 3), (3, 2)), ((2,), (3, 2))])),
    OpInfo("cross", ember.cross, _np_cross, _cross_samples),
    OpInfo("linalg_inv", L.inv, np.linalg.inv, _square_samples),
    OpInfo("linalg_solve", L.solve, _np_solve, _solve_samples),
    OpInfo("linalg_det", L.det, np.linalg.det, _square_samples),
    OpInfo("linalg_slogdet", lambda a: L.slogdet(a).logabsdet,
           lambda a: np.linalg.slogdet(a)[1], _square_samples),
    OpInfo("logdet", lambda a: ember.logdet(_spd(a)), lambda a: np.linalg.slogdet(_np_spd(a))[1],
           _square_samples),
    OpInfo("linalg_cholesky", lambda a: L.cholesky(_spd(a)),
           lambda a: np.linalg.cholesky(_np_spd(a)), _square_samples),
    OpInfo("linalg_cholesky_upper", lambda a: L.cholesky(_spd(a), upper=True),
           lambda a: np.swapaxes(np.linalg.cholesky(_np_spd(a)), -1, -2), _square_samples),
    OpInfo("linalg_eigvalsh", lambda a: L.eigvalsh(_sym(a)),
           lambda a: np.linalg.eigvalsh(a + np.swapaxes(a, -1, -2)), _square_samples),
    # Eigenvectors are defined up to sign: compare their squares.
    OpInfo("linalg_eigh_vectors", lambda a: L.eigh(_sym(a)).eigenvectors ** 2,
           lambda a: np.linalg.eigh(a + np.swapaxes(a, -1, -2))[1] ** 2, _square_samples,
           atol=1e-4),
    OpInfo("linalg_svdvals", L.svdvals, lambda a: np.linalg.svd(a, compute_uv=False),
           _rect_samples, gradgrad=False),
    OpInfo("linalg_pinv", L.pinv, np.linalg.pinv, _rect_samples, atol=1e-4),
    OpInfo("linalg_matrix_power", L.matrix_power, np.linalg.matrix_power,
           _matrix_power_samples, atol=1e-4, grad_samples=_matrix_power_grad_samples),
    OpInfo("linalg_vector_norm", L.vector_norm, _np_vector_norm, _vector_norm_samples),
    OpInfo("linalg_matrix_norm", L.matrix_norm, _np_matrix_norm,
           _matrix_norm_samples(["fro", 1, -1, float("inf"), float("-inf")])),
    OpInfo("linalg_matrix_norm_svd", L.matrix_norm, _np_matrix_norm,
           _matrix_norm_samples(["nuc", 2, -2]), gradgrad=False),
    OpInfo("linalg_norm", L.norm, _np_linalg_norm, _linalg_norm_samples),
    OpInfo("linalg_multi_dot", lambda *ts: L.multi_dot(list(ts)), _np_multi_dot, _multi_dot_samples),
    OpInfo("linalg_vecdot", L.vecdot, _np_vecdot, _vecdot_samples),
]

