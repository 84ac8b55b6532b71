"""Records for ember.linalg's factorisations and the decompositions' gradients (branch r13l).

Forward references are NumPy (``numpy.linalg``) or a few lines written here; outputs that a
decomposition leaves free (signs, phases) are compared through invariant functions of them.
"""

from __future__ import annotations

import numpy as np

import ember
from tests.ember.op_records.linalg import _square_samples as _square
from tests.ember.op_records.linalg import _well_conditioned as _well
from tests.ember.opinfo import OpInfo, Sample, _arr

L = ember.linalg


def _mats(*shapes):
    def gen(rng, dtype):
        for shape in shapes:
            yield Sample(_arr(rng, shape, dtype))

    return gen


def _distinct_singular(rng, dtype):
    """Matrices with well-separated singular values (the SVD gradient divides by gaps)."""
    for shape in ((3, 3), (4, 3), (2, 3, 5)):
        m, n = shape[-2:]
        k = min(m, n)
        u = np.linalg.qr(rng.standard_normal(shape[:-2] + (m, m)))[0][..., :k]
        v = np.linalg.qr(rng.standard_normal(shape[:-2] + (n, n)))[0][..., :k]
        s = np.arange(k, 0, -1) + 0.5
        yield Sample(((u * s) @ np.swapaxes(v, -1, -2)).astype(dtype))


def _np_lu_solve(a, b, left=True, adjoint=False):
    a = np.swapaxes(a, -1, -2) if adjoint else a
    if left:
        return np.linalg.solve(a, b)
    return np.swapaxes(np.linalg.solve(np.swapaxes(a, -1, -2), np.swapaxes(b, -1, -2)), -1, -2)


def _lu_solve(a, b, **kw):
    lu, piv = L.lu_factor(a)
    return L.lu_solve(lu, piv, b, **kw)


def _lu_solve_samples(rng, dtype):
    yield Sample(_well(rng, (3, 3), dtype), _arr(rng, (3, 2), dtype))
    yield Sample(_well(rng, (2, 3, 3), dtype), _arr(rng, (2, 3, 1), dtype), adjoint=True)
    yield Sample(_well(rng, (3, 3), dtype), _arr(rng, (2, 3), dtype), left=False)
    yield Sample(_well(rng, (3, 3), dtype), _arr(rng, (4, 3), dtype), left=False, adjoint=True)


def _np_householder(a, tau):
    m, n = a.shape[-2:]
    q = np.broadcast_to(np.eye(m, n), a.shape).copy()
    for i in reversed(range(tau.shape[-1])):
        v = np.where(np.arange(m) > i, a[..., :, i], 0.0) + (np.arange(m) == i)
        q = q - tau[..., i, None, None] * v[..., :, None] * (v[..., None, :] @ q)
    return q


def _householder_samples(rng, dtype):
    yield Sample(_arr(rng, (4, 3), dtype), _arr(rng, (2,), dtype, -1, 1))
    yield Sample(_arr(rng, (2, 3, 3), dtype), _arr(rng, (2, 3), dtype, -1, 1))


def _np_pinv_tol(a, atol=None, rtol=None):
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    if rtol is None:
        rtol = 0.0 if atol else np.finfo(a.dtype).eps * max(a.shape[-2:])
    keep = s > np.maximum(atol or 0.0, rtol * s[..., :1])
    sinv = np.where(keep, 1 / np.where(keep, s, 1), 0)
    return np.swapaxes(vh, -1, -2) * sinv[..., None, :] @ np.swapaxes(u, -1, -2)


def _pinv_tol_samples(rng, dtype):
    for sample in _distinct_singular(rng, dtype):
        yield Sample(*sample.args, atol=1.0)
        yield Sample(*sample.args, rtol=0.5)
        yield Sample(*sample.args, atol=0.3, rtol=0.1)


def _np_svd_recombined(a):
    u, _, vh = np.linalg.svd(a, full_matrices=False)
    return u @ vh


def _svd_recombined(a):
    u, _, vh = L.svd(a, full_matrices=False)
    return u @ vh


def _flat(*ts):
    return ember.cat([t.reshape(-1) for t in ts])


def _np_flat(*ts):
    return np.concatenate([t.reshape(-1) for t in ts])


def _svd_full_sq(a):
    # Only the first min(m, n) columns of U (rows of Vh) carry gradient, as in PyTorch.
    u, s, vh = L.svd(a, full_matrices=True)
    k = s.shape[-1]
    return _flat(u[..., :, :k] ** 2, s, vh[..., :k, :] ** 2, u.shape[-1] * s)


def _np_svd_full_sq(a):
    u, s, vh = np.linalg.svd(a, full_matrices=True)
    k = s.shape[-1]
    return _np_flat(u[..., :, :k] ** 2, s, vh[..., :k, :] ** 2, u.shape[-1] * s)


def _eigvals_parts(a):
    return ember.view_as_real(L.eigvals(a))


def _np_eigvals_parts(a):
    w = np.linalg.eigvals(a)
    return np.stack([w.real, w.imag], -1)


def _eigvecs_abs(a):
    return L.eig(a).eigenvectors.abs()


def _np_eigvecs_abs(a):
    return np.abs(np.linalg.eig(a)[1])


def _qr_samples(rng, dtype):
    yield Sample(_arr(rng, (4, 3), dtype))
    yield Sample(_well(rng, (2, 3, 3), dtype))


def _cond_samples(rng, dtype):
    for p in (None, -2, "fro", "nuc", float("inf"), -1):
        yield Sample(_well(rng, (2, 3, 3), dtype), p)


def _np_cond(a, p=None):
    return np.linalg.cond(a, p)


def _complex_parts(re, im):
    return ember.complex(re, im)


def _complex_svd(re, im):
    u, s, vh = L.svd(_complex_parts(re, im), full_matrices=False)
    return _flat(ember.view_as_real(u @ vh), s)


def _np_complex_svd(re, im):
    u, s, vh = np.linalg.svd(re + 1j * im, full_matrices=False)
    r = u @ vh
    return _np_flat(np.stack([r.real, r.imag], -1), s)


def _complex_eigvals(re, im):
    return ember.view_as_real(L.eigvals(_complex_parts(re, im)))


def _np_complex_eigvals(re, im):
    return _np_eigvals_parts(re + 1j * im)


def _complex_lu_solve(re, im, b):
    a = _complex_parts(re, im)
    return ember.view_as_real(_lu_solve(a, ember.complex(b, b * 0)))


def _np_complex_lu_solve(re, im, b):
    x = np.linalg.solve(re + 1j * im, b + 0j)
    return np.stack([x.real, x.imag], -1)


def _complex_samples(rng, dtype, shape=(3, 4)):
    yield Sample(_arr(rng, shape, dtype), _arr(rng, shape, dtype))


def _complex_square_samples(rng, dtype):
    yield Sample(_well(rng, (3, 3), dtype), _arr(rng, (3, 3), dtype))


def _complex_lu_samples(rng, dtype):
    yield Sample(
        _well(rng, (3, 3), dtype), _arr(rng, (3, 3), dtype) * 0.3, _arr(rng, (3, 2), dtype)
    )


def _lstsq_samples(rng, dtype):
    yield Sample(_arr(rng, (5, 3), dtype), _arr(rng, (5, 2), dtype))
    yield Sample(_arr(rng, (2, 4, 3), dtype), _arr(rng, (2, 4), dtype))


def _np_lstsq(a, b):
    if b.ndim == a.ndim - 1:
        return (np.linalg.pinv(a) @ b[..., None])[..., 0]
    return np.linalg.pinv(a) @ b


def _ldl_solve(a, b, hermitian=False):
    a = a + a.mT
    ld, piv = L.ldl_factor(a, hermitian=hermitian)
    return L.ldl_solve(ld, piv, b, hermitian=hermitian)


def _np_ldl_solve(a, b, hermitian=False):
    return np.linalg.solve(a + np.swapaxes(a, -1, -2), b)


def _ldl_samples(rng, dtype):
    yield Sample(_arr(rng, (4, 4), dtype), _arr(rng, (4, 2), dtype))
    yield Sample(_arr(rng, (3, 5, 5), dtype), _arr(rng, (3, 5, 1), dtype), hermitian=True)


def _matrix_rank_samples(rng, dtype):
    for sample in _distinct_singular(rng, dtype):
        yield Sample(*sample.args, atol=1.0)
        yield Sample(*sample.args, rtol=0.5)


def _np_matrix_rank(a, atol=None, rtol=None):
    s = np.linalg.svd(a, compute_uv=False)
    if rtol is None:
        rtol = 0.0 if atol else np.finfo(a.dtype).eps * max(a.shape[-2:])
    return (s > np.maximum(atol or 0.0, rtol * s[..., :1])).sum(-1)


def _vander_samples(rng, dtype):
    yield Sample(_arr(rng, (4,), dtype))
    yield Sample(_arr(rng, (2, 3), dtype), N=5)


def _np_vander(x, N=None):  # noqa: N803
    n = x.shape[-1] if N is None else N
    return x[..., :, None] ** np.arange(n)


def _lu_rebuilt(a):
    p, low, up = L.lu(a)
    return p @ low @ up


def _lu_factor_ex_rebuilt(a):
    lu, piv, _ = L.lu_factor_ex(a)
    p, low, up = ember.lu_unpack(lu, piv)
    return p @ low @ up


def _chol(a):
    n = a.shape[-1]
    return L.cholesky(a @ a.mT + n * ember.eye(n, dtype=a.dtype, device=a.device))


def _np_spd(a):
    n = a.shape[-1]
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def _chol_solve_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 2), dtype), _arr(rng, (3, 3), dtype))
    yield Sample(_arr(rng, (2, 4, 1), dtype), _arr(rng, (2, 4, 4), dtype), upper=True)


def _cholesky_solve(b, a, upper=False):
    c = _chol(a)
    return ember.cholesky_solve(b, c.mT if upper else c, upper=upper)


def _tri_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 2), dtype), _well(rng, (3, 3), dtype))
    yield Sample(
        _arr(rng, (2, 3, 2), dtype), _well(rng, (2, 3, 3), dtype), upper=False, transpose=True
    )
    yield Sample(_arr(rng, (3, 1), dtype), _well(rng, (3, 3), dtype), unitriangular=True)


def _np_triangular_solve(b, a, upper=True, transpose=False, unitriangular=False):
    tri = np.triu(a) if upper else np.tril(a)
    if unitriangular:
        tri = tri - np.diag(np.diagonal(tri)) + np.eye(a.shape[-1])
    tri = np.swapaxes(tri, -1, -2) if transpose else tri
    return np.linalg.solve(tri, b)


def _svd_legacy(a):
    u, s, v = ember.svd(a)
    return _flat(u @ v.mT, s)


def _np_svd_legacy(a):
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    return _np_flat(u @ vh, s)


def _complex_slogdet(re, im):
    sign, logabs = L.slogdet(_complex_parts(re, im))
    return _flat(ember.view_as_real(sign), logabs)


def _np_complex_slogdet(re, im):
    sign, logabs = np.linalg.slogdet(re + 1j * im)
    return _np_flat(np.stack([sign.real, sign.imag], -1), logabs)


def _lstsq_residuals(a, b):
    return L.lstsq(a, b, driver="gelsd").residuals


def _np_lstsq_residuals(a, b):
    x = np.linalg.pinv(a) @ b
    return (np.abs(a @ x - b) ** 2).sum(-2)


def _np_matrix_exp(a):
    w, v = np.linalg.eig(a)  # random matrices are diagonalisable
    return ((v * np.exp(w)[..., None, :]) @ np.linalg.inv(v)).real


def _ormqr_samples(rng, dtype):
    yield Sample(_arr(rng, (4, 3), dtype), _arr(rng, (3,), dtype, -1, 1), _arr(rng, (4, 2), dtype))
    yield Sample(
        _arr(rng, (4, 3), dtype),
        _arr(rng, (2,), dtype, -1, 1),
        _arr(rng, (2, 4), dtype),
        left=False,
        transpose=True,
    )


def _np_ormqr(a, tau, other, left=True, transpose=False):
    m = a.shape[-2]
    padded = np.concatenate([a, np.zeros(a.shape[:-1] + (m - a.shape[-1],))], -1)
    q = _np_householder(padded, tau)
    q = np.swapaxes(q, -1, -2) if transpose else q
    return q @ other if left else other @ q


# -- r13l: factorisations and decomposition gradients -------------------------------------------
RECORDS = [
    OpInfo("linalg_lu", _lu_rebuilt, lambda a: a, _mats((3, 3), (2, 4, 4), (3, 5), (5, 3))),
    OpInfo("linalg_lu_L", lambda a: L.lu(a).L, None, _mats((3, 3), (3, 5), (2, 5, 3))),
    OpInfo("linalg_lu_U", lambda a: L.lu(a).U, None, _mats((3, 3), (3, 5), (2, 5, 3))),
    OpInfo(
        "linalg_lu_factor_ex", _lu_factor_ex_rebuilt, lambda a: a, _mats((3, 3), (3, 5), (2, 5, 3))
    ),
    OpInfo("linalg_lu_factor", lambda a: L.lu_factor(a).LU, None, _mats((3, 3), (4, 2))),
    OpInfo("linalg_lu_solve", _lu_solve, _np_lu_solve, _lu_solve_samples, atol=1e-4),
    OpInfo(
        "linalg_lu_solve_complex",
        _complex_lu_solve,
        _np_complex_lu_solve,
        _complex_lu_samples,
        atol=1e-4,
    ),
    OpInfo(
        "linalg_householder_product", L.householder_product, _np_householder, _householder_samples
    ),
    OpInfo("linalg_pinv_tol", L.pinv, _np_pinv_tol, _pinv_tol_samples, atol=1e-4),
    OpInfo(
        "linalg_svd_recombined", _svd_recombined, _np_svd_recombined, _distinct_singular, atol=1e-4
    ),
    OpInfo("linalg_svd_full", _svd_full_sq, _np_svd_full_sq, _distinct_singular, atol=1e-4),
    OpInfo("linalg_svd_complex", _complex_svd, _np_complex_svd, _complex_samples, atol=1e-4),
    OpInfo("linalg_eigvals", _eigvals_parts, _np_eigvals_parts, _square, atol=1e-4),
    OpInfo("linalg_eig_vectors_abs", _eigvecs_abs, _np_eigvecs_abs, _square, atol=1e-4),
    OpInfo(
        "linalg_eigvals_complex",
        _complex_eigvals,
        _np_complex_eigvals,
        _complex_square_samples,
        atol=1e-4,
    ),
    OpInfo(
        "linalg_qr",
        lambda a: _flat(*L.qr(a)),
        lambda a: _np_flat(*np.linalg.qr(a)),
        _qr_samples,
        atol=1e-4,
    ),
    OpInfo(
        "linalg_lstsq", lambda a, b: L.lstsq(a, b).solution, _np_lstsq, _lstsq_samples, atol=1e-4
    ),
    # Once differentiable: svdvals gives U and V as constants to its gradient.
    OpInfo("linalg_cond", L.cond, _np_cond, _cond_samples, atol=1e-4, gradgrad=False),
    OpInfo("linalg_inv_ex", lambda a: L.inv_ex(a).inverse, np.linalg.inv, _square),
    OpInfo(
        "linalg_solve_ex",
        lambda a, b: L.solve_ex(a, b).result,
        np.linalg.solve,
        lambda rng, dt: (
            Sample(s.args[0], _arr(rng, (s.args[0].shape[-1], 2), dt)) for s in _square(rng, dt)
        ),
    ),
    OpInfo(
        "linalg_tensorinv",
        lambda a: L.tensorinv(a, ind=1),
        lambda a: np.linalg.tensorinv(a, ind=1),
        lambda rng, dt: iter([Sample(_well(rng, (4, 4), dt).reshape(4, 2, 2))]),
    ),
    OpInfo(
        "linalg_tensorsolve",
        L.tensorsolve,
        np.linalg.tensorsolve,
        lambda rng, dt: iter(
            [Sample(_well(rng, (6, 6), dt).reshape(2, 3, 6), _arr(rng, (2, 3), dt))]
        ),
    ),
    OpInfo("linalg_vander", L.vander, _np_vander, _vander_samples),
    OpInfo(
        "linalg_matrix_rank_tol",
        L.matrix_rank,
        _np_matrix_rank,
        _matrix_rank_samples,
        differentiable=False,
    ),
    OpInfo(
        "linalg_ldl_solve", _ldl_solve, _np_ldl_solve, _ldl_samples, atol=1e-4, differentiable=False
    ),
    OpInfo(
        "cholesky_solve",
        _cholesky_solve,
        lambda b, a, upper=False: np.linalg.solve(_np_spd(a), b),
        _chol_solve_samples,
        atol=1e-4,
    ),
    OpInfo(
        "cholesky_inverse",
        lambda a: ember.cholesky_inverse(_chol(a)),
        lambda a: np.linalg.inv(_np_spd(a)),
        _mats((3, 3), (2, 4, 4)),
        atol=1e-4,
    ),
    OpInfo(
        "triangular_solve",
        lambda b, a, **kw: ember.triangular_solve(b, a, **kw)[0],
        _np_triangular_solve,
        _tri_samples,
        atol=1e-4,
    ),
    OpInfo("svd_legacy", _svd_legacy, _np_svd_legacy, _distinct_singular, atol=1e-4),
    OpInfo(
        "linalg_slogdet_complex",
        _complex_slogdet,
        _np_complex_slogdet,
        _complex_square_samples,
        atol=1e-4,
    ),
    OpInfo(
        "linalg_lstsq_residuals",
        _lstsq_residuals,
        _np_lstsq_residuals,
        lambda rng, dt: iter([Sample(_arr(rng, (5, 3), dt), _arr(rng, (5, 2), dt))]),
        atol=1e-4,
    ),
    OpInfo(
        "linalg_qr_wide",
        lambda a: _flat(*L.qr(a)),
        lambda a: _np_flat(*np.linalg.qr(a)),
        _mats((3, 5), (2, 2, 4)),
        atol=1e-4,
    ),
    OpInfo("linalg_matrix_exp", L.matrix_exp, _np_matrix_exp, _mats((3, 3), (2, 4, 4)), atol=1e-4),
    OpInfo("ormqr", ember.ormqr, _np_ormqr, _ormqr_samples),
]
