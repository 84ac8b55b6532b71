"""Factorisations and the solvers built on them: LU, LDL^H, Householder products, ``*_ex``.

NumPy has no LU or Bunch-Kaufman routine, so both are written here over the batch: partial
pivoting column by column (vectorised across the batch, the same code on CuPy), and LAPACK's
``sytf2`` lower-triangle pivoting per matrix. The pivots follow LAPACK (1-based int32), so the
factors and pivots match PyTorch's. ``LU`` is a primitive with PyTorch's backward (square, wide
and tall); the solvers and ``householder_product`` are composites of differentiable ops.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ember import _dtype
from ember._tensor import Tensor, _wrap
from ember.autograd.function import Primitive
from ember.backends import get_xp
from ember.ops._util import return_type
from ember.ops.complex import conj
from ember.ops.linalg import (
    LinAlgError,
    _mH,
    _require_tensor,
    _square,
    cholesky,
    inv,
    matmul,
    matrix_norm,
    solve,
    svdvals,
)
from ember.ops.linalg import qr as linalg_qr
from ember.ops.linalg import svd as linalg_svd
from ember.ops.shape import cat, movedim, stack

__all__ = [
    "lu",
    "lu_unpack",
    "lu_solve",
    "orgqr",
    "ormqr",
    "geqrf",
    "svd",
    "qr",
    "triangular_solve",
    "cholesky",
    "cholesky_solve",
    "cholesky_inverse",
    "matrix_exp",
]

LUResult = return_type("linalg_lu", ["P", "L", "U"])
LUFactor = return_type("linalg_lu_factor", ["LU", "pivots"])
LUFactorEx = return_type("linalg_lu_factor_ex", ["LU", "pivots", "info"])
LUUnpack = return_type("lu_unpack", ["P", "L", "U"])
LUWithInfo = return_type("_lu_with_info", ["LU", "pivots", "info"])
LDLFactor = return_type("linalg_ldl_factor", ["LD", "pivots"])
LDLFactorEx = return_type("linalg_ldl_factor_ex", ["LD", "pivots", "info"])
InvEx = return_type("linalg_inv_ex", ["inverse", "info"])
SolveEx = return_type("linalg_solve_ex", ["result", "info"])
Geqrf = return_type("geqrf", ["a", "tau"])
SVDLegacy = return_type("svd", ["U", "S", "V"])
QRLegacy = return_type("qr", ["Q", "R"])
TriangularSolve = return_type("triangular_solve", ["solution", "cloned_coefficient"])


def _matrices(op: str, a: Any, name: str = "A") -> None:
    _require_tensor(op, a, name)
    if a._data.ndim < 2:
        raise RuntimeError(f"{op}: The input tensor {name} must have at least 2 dimensions.")
    if a._data.dtype.kind not in "fc":
        if _dtype.np_kind(a._data.dtype) == "f":  # bfloat16: PyTorch's CPU LAPACK path refuses it
            raise NotImplementedError(f'"{op}" not implemented for \'BFloat16\'')
        raise RuntimeError(
            f"{op}: Expected a floating point or complex tensor as input. Got "
            f"{a.dtype.name.capitalize()}"
        )


# -- LU with partial pivoting ------------------------------------------------------------------
def _lu_raw(a: Any) -> tuple[Any, Any, Any]:
    """LAPACK ``getrf`` over a batch: ``(LU, pivots, info)``, pivots 1-based int32.

    Column ``j`` picks the row of largest magnitude at or below ``j``, swaps it up, scales the
    multipliers and updates the trailing block. A zero pivot leaves its column unscaled and
    sets ``info`` (first such column, 1-based), as LAPACK does.
    """
    xp = get_xp(a)
    *batch, m, n = a.shape
    k = min(m, n)
    nb = math.prod(batch)
    work = a.reshape(nb, m, n).copy()
    rows = xp.arange(nb)
    piv = xp.zeros((nb, k), dtype=np.int32)
    info = xp.zeros((nb,), dtype=np.int32)
    for j in range(k):
        col = work[:, j:, j]
        mag = xp.abs(col.real) + xp.abs(col.imag) if col.dtype.kind == "c" else xp.abs(col)
        p = xp.argmax(mag, axis=1) + j
        piv[:, j] = p + 1
        top, other = work[rows, j].copy(), work[rows, p].copy()
        work[rows, p] = top
        work[rows, j] = other
        pivot = work[:, j, j]
        zero = pivot == 0
        info = xp.where((info == 0) & zero, j + 1, info).astype(np.int32)
        scale = xp.where(zero, 1, pivot)
        work[:, j + 1 :, j] /= scale[:, None]
        work[:, j + 1 :, j + 1 :] -= work[:, j + 1 :, j : j + 1] * work[:, j : j + 1, j + 1 :]
    return (work.reshape(a.shape), piv.reshape(tuple(batch) + (k,)), info.reshape(tuple(batch)))


def _permutation(piv: Any, m: int, dtype: Any) -> Any:
    """Permutation matrices ``P`` with ``A = P L U`` from LAPACK's sequential row swaps."""
    xp = get_xp(piv)
    batch = piv.shape[:-1]
    flat = piv.reshape(math.prod(batch), piv.shape[-1]).astype(np.int64) - 1
    perm = xp.broadcast_to(xp.arange(m), (flat.shape[0], m)).copy()
    rows = xp.arange(flat.shape[0])
    for j in range(flat.shape[1]):
        p = flat[:, j]
        a, b = perm[rows, j].copy(), perm[rows, p].copy()
        perm[rows, j] = b
        perm[rows, p] = a
    # Row i of P^T A is row perm[i] of A, so P[perm[i], i] = 1.
    eye = xp.eye(m, dtype=dtype)
    return xp.swapaxes(eye[perm], -1, -2).reshape(tuple(batch) + (m, m))


def _split(lu: Any) -> tuple[Any, Any]:
    xp = get_xp(lu)
    m, n = lu.shape[-2:]
    k = min(m, n)
    low = xp.tril(lu[..., :, :k], -1) + xp.eye(m, k, dtype=lu.dtype)
    return low, xp.triu(lu[..., :k, :])


class LU(Primitive):
    """``A = P L U`` with partial pivoting; ``P`` and the pivots are not differentiable.

    Backward is PyTorch's ``linalg_lu_backward``: for square ``A``,
    ``gA = P L^-H (tril(L^H gL, -1) + triu(gU U^H)) U^-H``; wide and tall matrices add the
    blocks of ``U`` or ``L`` beyond the square part.
    """

    @staticmethod
    def forward(ctx, a):
        lu_, piv, info = _lu_raw(a)
        p = _permutation(piv, a.shape[-2], a.dtype)
        low, up = _split(lu_)
        ctx.save_for_backward(p, low, up)
        ctx.mark_non_differentiable(p)
        return p, low, up, piv, info

    @staticmethod
    def backward(ctx, gp, gl, gu, gpiv=None, ginfo=None):
        p, low, up = ctx.saved_tensors
        gl = None if gl is None else gl.tril(-1)
        gu = None if gu is None else gu.triu()
        m, n = low._data.shape[-2], up._data.shape[-1]
        if m == n:
            ga = _lu_square_grad(low, up, gl, gu)
        elif m < n:
            ga = _lu_wide_grad(low, up, gl, gu)
        else:
            ga = _lu_tall_grad(low, up, gl, gu)
        return matmul(p, ga)


def _lu_square_grad(low: Tensor, up: Tensor, gl: Tensor | None, gu: Tensor | None) -> Tensor:
    phi = 0
    if gl is not None:
        phi = matmul(_mH(low), gl).tril(-1)
    if gu is not None:
        phi = phi + matmul(gu, _mH(up)).triu()
    x = solve_triangular(_mH(low), phi, upper=True, unitriangular=True)
    return solve_triangular(_mH(up), x, upper=False, left=False)


def _lu_wide_grad(low: Tensor, up: Tensor, gl: Tensor | None, gu: Tensor | None) -> Tensor:
    m = low._data.shape[-1]
    ga = 0
    if gl is not None:
        ga = matmul(_mH(low), gl)
    if gu is not None:
        ga = ga - matmul(gu, _mH(up))
    ga = solve_triangular(_mH(up[..., :, :m]), ga.tril(-1), upper=False, left=False)
    if gu is not None:
        ga = cat([ga + gu[..., :, :m], gu[..., :, m:]], -1)
    ga = solve_triangular(_mH(low), ga, upper=True, unitriangular=True)
    if gu is None:
        ga = cat([ga, up[..., :, m:].detach() * 0], -1)
    return ga


def _lu_tall_grad(low: Tensor, up: Tensor, gl: Tensor | None, gu: Tensor | None) -> Tensor:
    n = up._data.shape[-1]
    ga = 0
    if gu is not None:
        ga = matmul(gu, _mH(up))
    if gl is not None:
        ga = ga - matmul(_mH(low), gl)
    ga = solve_triangular(_mH(low[..., :n, :]), ga.triu(), upper=True, unitriangular=True)
    if gl is not None:
        ga = cat([ga + gl[..., :n, :], gl[..., n:, :]], -2)
    ga = solve_triangular(_mH(up), ga, upper=False, left=False)
    if gl is None:
        ga = cat([ga, low[..., n:, :].detach() * 0], -2)
    return ga


def _no_pivot(op: str, pivot: bool) -> None:
    if not pivot:
        raise RuntimeError(f"{op}: LU without pivoting is not implemented on the CPU")


def linalg_lu(A: Tensor, *, pivot: bool = True) -> Any:
    """LU decomposition with partial pivoting, ``A = P L U``, as ``torch.linalg.lu``.

    Args:
        A: ``(*, m, n)`` float or complex matrices.
        pivot: must be True (LU without pivoting is not implemented on the CPU, as PyTorch).

    Returns:
        A named tuple ``(P, L, U)``: ``P`` ``(*, m, m)`` permutations, ``L`` ``(*, m, k)`` unit
        lower-triangular, ``U`` ``(*, k, n)`` upper-triangular with ``k = min(m, n)``.
        Differentiable in ``L`` and ``U``.

    Example:
        >>> A = ember.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> P, L, U = ember.linalg.lu(A)
        >>> bool(ember.allclose(P @ L @ U, A))
        True
    """
    _matrices("linalg.lu", A)
    _no_pivot("linalg.lu", pivot)
    p, low, up, _, _ = LU.apply(A)
    return LUResult(p, low, up)


def _compact(low: Tensor, up: Tensor) -> Tensor:
    """``L`` (strictly lower part) and ``U`` packed into one ``(m, n)`` matrix, as LAPACK."""
    m, k = low._data.shape[-2:]
    n = up._data.shape[-1]
    lpart, upart = low.tril(-1), up
    if n > k:
        lpart = cat([lpart, up[..., :, k:].detach() * 0], -1)
    if m > k:
        upart = cat([up, low[..., k:, :].detach() * 0], -2)
    return lpart + upart


def lu_factor_ex(A: Tensor, *, pivot: bool = True, check_errors: bool = False) -> Any:
    """Compact LU factorisation with an ``info`` code, as ``torch.linalg.lu_factor_ex``.

    Args:
        A: ``(*, m, n)`` float or complex matrices.
        pivot: must be True (as PyTorch on the CPU).
        check_errors: raise for an exactly singular matrix instead of reporting it.

    Returns:
        ``(LU, pivots, info)``: ``L`` below the diagonal and ``U`` on and above it, 1-based int32
        pivots of shape ``(*, min(m, n))``, and int32 ``info`` (0, or the first zero pivot).

    Example:
        >>> ember.linalg.lu_factor_ex(ember.tensor([[1.0, 2.0], [2.0, 4.0]])).info
        tensor(2, dtype=ember.int32)
    """
    _matrices("linalg.lu_factor_ex", A)
    _no_pivot("linalg.lu_factor_ex", pivot)
    _, low, up, piv, info = LU.apply(A)
    if check_errors:
        _raise_singular("linalg.lu_factor_ex", info)
    return LUFactorEx(_compact(low, up), piv, info)


def _raise_singular(op: str, info: Tensor) -> None:
    bad = info._data[info._data > 0]
    if bad.size:
        j = int(bad.reshape(-1)[0])
        raise LinAlgError(
            f"{op}: U[{j},{j}] is zero and using it on lu_solve would result in a "
            "division by zero. If you still want to perform the factorization, "
            "consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)"
        )


def lu_factor(A: Tensor, *, pivot: bool = True) -> Any:
    """Compact LU factorisation ``(LU, pivots)``, as ``torch.linalg.lu_factor``.

    Raises for an exactly singular matrix (use ``lu_factor_ex`` to get ``info`` instead).
    Differentiable in ``LU``.

    Args:
        A: ``(*, m, n)`` float or complex matrices.
        pivot: must be True (as PyTorch on the CPU).

    Returns:
        A named tuple ``(LU, pivots)``, pivots 1-based int32.

    Example:
        >>> ember.linalg.lu_factor(ember.tensor([[1.0, 2.0], [3.0, 4.0]])).pivots
        tensor([2, 2], dtype=ember.int32)
    """
    _matrices("torch.lu_factor", A)
    _no_pivot("linalg.lu_factor", pivot)
    lu_, piv, info = lu_factor_ex(A)
    _raise_singular("torch.linalg.lu_factor", info)
    return LUFactor(lu_, piv)


def lu_unpack(
    LU_data: Tensor,
    LU_pivots: Tensor,
    unpack_data: bool = True,  # noqa: N803
    unpack_pivots: bool = True,
) -> Any:
    """``(P, L, U)`` from a compact LU factorisation, as ``torch.lu_unpack``.

    Args:
        LU_data: ``(*, m, n)`` packed factors from ``lu_factor``.
        LU_pivots: ``(*, min(m, n))`` 1-based int32 pivots.
        unpack_data: also return ``L`` and ``U`` (else they are empty).
        unpack_pivots: also return ``P`` (else it is empty).

    Returns:
        A named tuple ``(P, L, U)``; differentiable in ``LU_data``.

    Example:
        >>> LU, piv = ember.linalg.lu_factor(ember.tensor([[1.0, 2.0], [3.0, 4.0]]))
        >>> ember.lu_unpack(LU, piv).P
        tensor([[0., 1.],
                [1., 0.]])
    """
    _matrices("torch.lu_unpack", LU_data, "LU_data")
    if LU_pivots._data.dtype != np.int32:
        raise RuntimeError(
            "torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of "
            f"torch.int32 dtype. Got {LU_pivots.dtype}"
        )
    xp = get_xp(LU_data._data)
    m, n = LU_data._data.shape[-2:]
    k = min(m, n)
    empty = _wrap(xp.empty((0,), dtype=LU_data._data.dtype))
    low = up = p = empty
    if unpack_data:
        eye = _wrap(xp.eye(m, k, dtype=LU_data._data.dtype))
        low = LU_data[..., :, :k].tril(-1) + eye
        up = LU_data[..., :k, :].triu()
    if unpack_pivots:
        p = _wrap(_permutation(LU_pivots._data, m, LU_data._data.dtype))
    return LUUnpack(p, low, up)


def solve_triangular(
    A: Tensor,
    B: Tensor,
    *,
    upper: bool,
    left: bool = True,
    unitriangular: bool = False,
    out: Tensor | None = None,
) -> Tensor:
    """Solve ``A X = B`` (or ``X A = B`` with ``left=False``) for triangular ``A``.

    Only the triangle ``upper`` selects is read; ``unitriangular`` takes its diagonal as ones.
    A composite of ``solve`` on that triangle, so it is differentiable in ``A`` and ``B``.

    Args:
        A: ``(*, n, n)`` triangular matrices.
        B: ``(*, n, k)`` right-hand sides (``(*, k, n)`` with ``left=False``).
        upper: use the upper (True) or lower (False) triangle of ``A``.
        left: solve ``A X = B`` (True) or ``X A = B`` (False).
        unitriangular: assume ones on the diagonal of ``A``.
        out: optional tensor to copy the result into.

    Returns:
        ``X``.

    Example:
        >>> A = ember.tensor([[2.0, 0.0], [1.0, 1.0]])
        >>> ember.linalg.solve_triangular(A, ember.tensor([[2.0], [3.0]]), upper=False)
        tensor([[1.],
                [2.]])
    """
    if A.ndim < 2 or B.ndim < 2:
        raise RuntimeError("linalg.solve_triangular: A and B must have at least 2 dimensions")
    tri = A.triu() if upper else A.tril()
    if unitriangular:
        eye = _wrap(get_xp(A._data).eye(A._data.shape[-1], dtype=A._data.dtype))
        tri = tri * (1 - eye) + eye
    x = solve(tri, B) if left else solve(tri.mT, B.mT).mT
    if out is not None:
        out.copy_(x)
        return out
    return x


def _lu_solve_checks(LU: Tensor, pivots: Tensor, B: Tensor, left: bool) -> None:  # noqa: N803
    _square("torch.linalg.lu_solve", LU)
    _require_tensor("linalg.lu_solve", pivots, "pivots", 2)
    _require_tensor("linalg.lu_solve", B, "B", 3)
    if B._data.ndim < 2:
        raise RuntimeError("linalg.lu_solve: The input tensor B must have at least 2 dimensions.")
    n = LU._data.shape[-1]
    size = B._data.shape[-2] if left else B._data.shape[-1]
    if size != n:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"linalg.lu_solve: Incompatible shapes of A and B for the equation "
            f"{eq} ({n}x{n} and {B._data.shape[-2]}x{B._data.shape[-1]})"
        )
    if pivots._data.dtype != np.int32:
        raise RuntimeError(f"linalg.lu_solve: Expected pivots to be int32, got {pivots.dtype}")


def linalg_lu_solve(
    LU: Tensor,
    pivots: Tensor,
    B: Tensor,
    *,
    left: bool = True,  # noqa: N803
    adjoint: bool = False,
) -> Tensor:
    """Solve ``A X = B`` from ``A``'s LU factorisation, as ``torch.linalg.lu_solve``.

    Args:
        LU: ``(*, n, n)`` packed factors from ``lu_factor``.
        pivots: their 1-based int32 pivots.
        B: ``(*, n, k)`` right-hand sides (``(*, k, n)`` with ``left=False``).
        left: solve ``A X = B`` (True) or ``X A = B`` (False).
        adjoint: solve with ``A^H`` in place of ``A``.

    Returns:
        ``X``, differentiable in ``LU`` and ``B`` (triangular solves on the unpacked factors).

    Example:
        >>> A = ember.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> LU, piv = ember.linalg.lu_factor(A)
        >>> ember.linalg.lu_solve(LU, piv, ember.tensor([[5.0], [11.0]]))
        tensor([[1.],
                [2.]])
    """
    _lu_solve_checks(LU, pivots, B, left)
    if not left:
        return _mH(linalg_lu_solve(LU, pivots, _mH(B), adjoint=not adjoint))
    p, low, up = lu_unpack(LU, pivots)
    if adjoint:
        y = solve_triangular(_mH(up), B, upper=False)
        y = solve_triangular(_mH(low), y, upper=True, unitriangular=True)
        return matmul(p, y)
    y = solve_triangular(low, matmul(p.mT, B), upper=False, unitriangular=True)
    return solve_triangular(up, y, upper=True)


def lu(A: Tensor, pivot: bool = True, get_infos: bool = False) -> Any:
    """Legacy ``torch.lu``: ``(LU, pivots)`` or, with ``get_infos``, ``(LU, pivots, info)``.

    Prefer ``ember.linalg.lu_factor`` / ``lu_factor_ex``.

    Args:
        A: ``(*, m, n)`` matrices.
        pivot: must be True.
        get_infos: also return ``info`` (and do not raise for a singular matrix).

    Returns:
        ``(LU, pivots)`` or ``(LU, pivots, info)``.

    Example:
        >>> ember.lu(ember.tensor([[1.0, 2.0], [3.0, 4.0]]))[1]
        tensor([2, 2], dtype=ember.int32)
    """
    _matrices("torch.lu", A)
    out = lu_factor_ex(A, pivot=pivot, check_errors=not get_infos)
    return LUWithInfo(*out) if get_infos else (out.LU, out.pivots)


def lu_solve(b: Tensor, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:  # noqa: N803
    """Legacy ``torch.lu_solve(b, LU_data, LU_pivots)``: ``linalg.lu_solve(LU, pivots, b)``.

    Example:
        >>> LU, piv = ember.linalg.lu_factor(ember.eye(2) * 2)
        >>> ember.lu_solve(ember.ones(2, 1), LU, piv)
        tensor([[0.5000],
                [0.5000]])
    """
    return linalg_lu_solve(LU_data, LU_pivots, b)


# -- inverse and solve with info ---------------------------------------------------------------
def _nan_where(x: Tensor, info: Tensor) -> Tensor:
    xp = get_xp(x._data)
    bad = (info._data != 0).reshape(info._data.shape + (1,) * (x._data.ndim - info._data.ndim))
    return _wrap(xp.where(bad, xp.nan, x._data).astype(x._data.dtype))


def inv_ex(A: Tensor, *, check_errors: bool = False) -> Any:
    """Inverse with an ``info`` code instead of an error, as ``torch.linalg.inv_ex``.

    Args:
        A: ``(*, n, n)`` matrices.
        check_errors: raise for a singular matrix.

    Returns:
        ``(inverse, info)``; where ``info`` is not 0 (the first zero pivot of the LU
        factorisation) the inverse is NaN (PyTorch leaves LAPACK's infinities there).

    Example:
        >>> ember.linalg.inv_ex(ember.eye(2) * 2).info
        tensor(0, dtype=ember.int32)
    """
    _square("linalg.inv_ex", A)
    try:
        return InvEx(inv(A), _no_info(A))
    except LinAlgError:
        info = _wrap(_lu_raw(A._data)[2])
    if check_errors:
        j = int(info._data[info._data > 0].reshape(-1)[0])
        raise LinAlgError(
            f"linalg.inv_ex: The diagonal element {j} is zero, the inversion could "
            "not be completed because the input matrix is singular."
        )
    return InvEx(_nan_where(inv(_safe_batch(A, info)), info), info)


def solve_ex(A: Tensor, B: Tensor, *, left: bool = True, check_errors: bool = False) -> Any:
    """Solve with an ``info`` code instead of an error, as ``torch.linalg.solve_ex``.

    Args:
        A: ``(*, n, n)`` matrices.
        B: right-hand sides, as for ``linalg.solve``.
        left: solve ``A X = B`` (True) or ``X A = B`` (False).
        check_errors: raise for a singular matrix.

    Returns:
        ``(result, info)``; NaN results where ``info`` is not 0.

    Example:
        >>> ember.linalg.solve_ex(ember.eye(2), ember.ones(2)).result
        tensor([1., 1.])
    """
    _square("linalg.solve_ex", A)
    try:
        return SolveEx(solve(A, B, left=left), _no_info(A))
    except LinAlgError:
        info = _wrap(_lu_raw(A._data)[2])
    if check_errors:
        raise LinAlgError(
            "torch.linalg.solve_ex: The solver failed because the input matrix is singular."
        )
    x = solve(_safe_batch(A, info), B.detach(), left=left)
    bshape = np.broadcast_shapes(info._data.shape, x._data.shape[: info._data.ndim])
    return SolveEx(_nan_where(x, _wrap(get_xp(A._data).broadcast_to(info._data, bshape))), info)


def _safe_batch(a: Tensor, info: Tensor) -> Tensor:
    """``a`` (detached) with its singular matrices replaced by the identity."""
    xp = get_xp(a._data)
    return _wrap(xp.where((info._data != 0)[..., None, None], _eye(a), a._data))


def _no_info(a: Tensor) -> Tensor:
    """All-zero int32 ``info`` of ``a``'s batch shape: LAPACK found no zero pivot."""
    return _wrap(get_xp(a._data).zeros(a._data.shape[:-2], dtype=np.int32))


def _eye(a: Tensor) -> Any:
    return get_xp(a._data).eye(a._data.shape[-1], dtype=a._data.dtype)


# -- LDL^H (Bunch-Kaufman) ---------------------------------------------------------------------
_BK_ALPHA = (1 + math.sqrt(17)) / 8


def _cabs1(x: Any) -> Any:
    return np.abs(x.real) + np.abs(x.imag) if np.iscomplexobj(x) else np.abs(x)


def _bk_pivot(w: np.ndarray, k: int, hermitian: bool) -> tuple[int, int, bool]:
    """LAPACK's ``sytf2``/``hetf2`` choice at column ``k``: ``(kp, kstep, singular)``."""
    n = w.shape[0]
    akk = abs(w[k, k].real) if hermitian else _cabs1(w[k, k])
    imax, colmax = k, 0.0
    if k < n - 1:
        col = _cabs1(w[k + 1 :, k])
        imax = k + 1 + int(np.argmax(col))
        colmax = float(col.max())
    if max(akk, colmax) == 0 or math.isnan(akk):
        return k, 1, True
    if akk >= _BK_ALPHA * colmax:
        return k, 1, False
    row = _cabs1(np.concatenate([w[imax, k:imax], w[imax + 1 :, imax]]))
    rowmax = float(row.max())
    aii = abs(w[imax, imax].real) if hermitian else _cabs1(w[imax, imax])
    if akk >= _BK_ALPHA * colmax * (colmax / rowmax):
        return k, 1, False
    if aii >= _BK_ALPHA * rowmax:
        return imax, 1, False
    return imax, 2, False


def _ldl_one(a: np.ndarray, hermitian: bool) -> tuple[np.ndarray, np.ndarray, int]:
    """``sytf2`` (lower) on one matrix, keeping the trailing block as a full Hermitian/symmetric
    matrix so row and column swaps are plain fancy indexing."""
    n = a.shape[0]
    low = np.tril(a)
    w = low + (np.conj(np.tril(a, -1)).T if hermitian else np.tril(a, -1).T)
    if hermitian and np.iscomplexobj(w):
        w[np.diag_indices(n)] = w.diagonal().real
    ct = np.conj if hermitian else (lambda x: x)
    piv = np.zeros(n, dtype=np.int32)
    info, k = 0, 0
    while k < n:
        kp, kstep, singular = _bk_pivot(w, k, hermitian)
        if singular:
            info = info or k + 1
            piv[k] = k + 1
            k += 1
            continue
        kk = k + kstep - 1
        if kp != kk:
            sw = [kk, kp]
            w[sw, k:] = w[sw[::-1], k:]
            w[k:, sw] = w[k:, sw[::-1]]
        if kstep == 1:
            x = w[k + 1 :, k].copy()
            d = w[k, k].real if hermitian else w[k, k]
            w[k + 1 :, k + 1 :] -= np.outer(x, ct(x)) / d
            w[k + 1 :, k] = x / d
            w[k, k + 1 :] = ct(w[k + 1 :, k])
            piv[k] = kp + 1
        else:
            dblk = w[k : k + 2, k : k + 2].copy()
            x = w[k + 2 :, k : k + 2].copy()
            wk = x @ np.linalg.inv(dblk)
            w[k + 2 :, k + 2 :] -= wk @ ct(x).T
            w[k + 2 :, k : k + 2] = wk
            w[k : k + 2, k + 2 :] = ct(wk).T
            piv[k] = piv[k + 1] = -(kp + 1)
        k += kstep
    return np.tril(w), piv, info


def ldl_factor_ex(A: Tensor, *, hermitian: bool = False, check_errors: bool = False) -> Any:
    """LDL^T (or LDL^H) with Bunch-Kaufman pivoting, as ``torch.linalg.ldl_factor_ex``.

    Only the lower triangle of ``A`` is read. ``D`` has 1x1 and 2x2 blocks; ``pivots`` follow
    LAPACK's ``sytrf`` (positive for a 1x1 block, the same negative value on both columns of a
    2x2 block). Not differentiable.

    Args:
        A: ``(*, n, n)`` symmetric (or Hermitian with ``hermitian``) matrices.
        hermitian: factor ``A = L D L^H`` of a Hermitian complex matrix.
        check_errors: raise when ``D`` has an exactly zero block.

    Returns:
        ``(LD, pivots, info)``: ``L`` below the diagonal and ``D`` on it (and on the first
        subdiagonal for 2x2 blocks), int32 pivots, int32 ``info``.

    Example:
        >>> ember.linalg.ldl_factor_ex(ember.tensor([[4.0, 2.0], [2.0, 3.0]])).LD
        tensor([[4.0000, 0.0000],
                [0.5000, 2.0000]])
    """
    _square("torch.linalg.ldl_factor_ex", A)
    data = A._data if type(A._data) is np.ndarray else A._data.get()
    flat = data.reshape(math.prod(data.shape[:-2]), *data.shape[-2:])
    results = [_ldl_one(m, hermitian) for m in flat]
    ld = np.stack([r[0] for r in results]).reshape(data.shape) if results else data.copy()
    piv = np.zeros(data.shape[:-1], np.int32)
    info = np.zeros(data.shape[:-2], np.int32)
    if results:
        piv = np.array([r[1] for r in results], np.int32).reshape(data.shape[:-1])
        info = np.array([r[2] for r in results], np.int32).reshape(data.shape[:-2])
    if check_errors and (info != 0).any():
        raise LinAlgError(
            f"torch.linalg.ldl_factor_ex: The factorization could not be completed "
            f"because the input is not invertible (D[{int(info.max())}] is zero)."
        )
    xp = get_xp(A._data)
    return LDLFactorEx(*(_wrap(xp.asarray(x)) for x in (ld.astype(data.dtype), piv, info)))


def ldl_factor(A: Tensor, *, hermitian: bool = False) -> Any:
    """``(LD, pivots)`` of ``ldl_factor_ex``, raising for a singular ``D``.

    Args:
        A: ``(*, n, n)`` symmetric (or Hermitian) matrices; only the lower triangle is read.
        hermitian: factor ``A = L D L^H``.

    Returns:
        A named tuple ``(LD, pivots)``.

    Example:
        >>> ember.linalg.ldl_factor(ember.tensor([[4.0, 2.0], [2.0, 3.0]])).pivots
        tensor([1, 2], dtype=ember.int32)
    """
    ld, piv, _ = ldl_factor_ex(A, hermitian=hermitian, check_errors=True)
    return LDLFactor(ld, piv)


def _ldl_solve_one(ld: np.ndarray, piv: np.ndarray, b: np.ndarray, hermitian: bool) -> np.ndarray:
    """LAPACK ``sytrs`` (lower): ``L D L^T X = B`` with ``sytrf``'s interchanges."""
    n = ld.shape[0]
    ct = np.conj if hermitian else (lambda x: x)
    x = b.copy()
    k = 0
    while k < n:
        step = 1 if piv[k] > 0 else 2
        kp = abs(int(piv[k])) - 1
        kk = k + step - 1
        if kp != kk:
            x[[kk, kp]] = x[[kp, kk]]
        x[k + step :] -= ld[k + step :, k : k + step] @ x[k : k + step]
        dblk = np.diag(ld[[k], [k]]) if step == 1 else ld[k : k + 2, k : k + 2].copy()
        if step == 2:
            dblk[0, 1] = ct(dblk[1, 0])
        if hermitian:
            dblk[np.diag_indices(step)] = dblk.diagonal().real
        x[k : k + step] = np.linalg.solve(dblk, x[k : k + step])
        k += step
    k = n - 1
    while k >= 0:
        step = 1 if piv[k] > 0 else 2
        top = k - step + 1
        x[top : k + 1] -= ct(ld[k + 1 :, top : k + 1]).T @ x[k + 1 :]
        kp = abs(int(piv[k])) - 1
        if kp != k:
            x[[k, kp]] = x[[kp, k]]
        k -= step
    return x


def ldl_solve(LD: Tensor, pivots: Tensor, B: Tensor, *, hermitian: bool = False) -> Tensor:  # noqa: N803
    """Solve ``A X = B`` from ``ldl_factor``'s ``(LD, pivots)``, as ``torch.linalg.ldl_solve``.

    Args:
        LD: ``(*, n, n)`` packed factors.
        pivots: ``(*, n)`` int32 pivots.
        B: ``(*, n, k)`` right-hand sides (batch dimensions broadcast).
        hermitian: the factorisation is ``L D L^H``.

    Returns:
        ``X`` (not differentiable).

    Example:
        >>> A = ember.tensor([[4.0, 2.0], [2.0, 3.0]])
        >>> LD, piv = ember.linalg.ldl_factor(A)
        >>> ember.linalg.ldl_solve(LD, piv, ember.tensor([[6.0], [5.0]]))
        tensor([[1.],
                [1.]])
    """
    _square("torch.linalg.ldl_solve", LD)
    _matrices("linalg.ldl_solve", LD, "LD")
    _require_tensor("linalg.ldl_solve", pivots, "pivots", 2)
    _require_tensor("linalg.ldl_solve", B, "B", 3)
    if B._data.ndim < 2:
        raise RuntimeError(
            "torch.linalg.ldl_solve: Expected B to have at least 2 dimensions, "
            f"but it has {B._data.ndim} dimensions instead"
        )
    if pivots._data.dtype != np.int32:
        raise RuntimeError(
            f"torch.linalg.ldl_solve: Expected LD and pivots to be int32, got {pivots.dtype}"
        )
    n = LD._data.shape[-1]
    if B._data.shape[-2] != n:
        raise RuntimeError(
            f"torch.linalg.ldl_solve: Incompatible shapes of A and B for the "
            f"equation AX = B ({n}x{n} and {B._data.shape[-2]}x{B._data.shape[-1]})"
        )
    host = [t._data if type(t._data) is np.ndarray else t._data.get() for t in (LD, pivots, B)]
    batch = np.broadcast_shapes(host[0].shape[:-2], host[1].shape[:-1], host[2].shape[:-2])
    nb = math.prod(batch)
    ld = np.broadcast_to(host[0], batch + (n, n)).reshape(nb, n, n)
    piv = np.broadcast_to(host[1], batch + (n,)).reshape(nb, n)
    dt = np.result_type(host[0], host[2])
    b = np.broadcast_to(host[2], batch + host[2].shape[-2:]).reshape(nb, *host[2].shape[-2:])
    out = [_ldl_solve_one(ld[i], piv[i], b[i].astype(dt), hermitian) for i in range(len(b))]
    res = np.stack(out).reshape(batch + host[2].shape[-2:]) if out else b.astype(dt).copy()
    return _wrap(get_xp(LD._data).asarray(res))


# -- Householder products --------------------------------------------------------------------
def householder_product(A: Tensor, tau: Tensor) -> Tensor:
    """First ``n`` columns of ``H_1 ... H_k`` with ``H_i = I - tau_i v_i v_i^H``.

    ``v_i`` is column ``i`` of ``A`` below the diagonal with a 1 on it (the layout ``geqrf``
    returns), as ``torch.linalg.householder_product``. A composite: differentiable in ``A``
    and ``tau``.

    Args:
        A: ``(*, m, n)`` with ``m >= n``.
        tau: ``(*, k)`` with ``k <= n``.

    Returns:
        ``(*, m, n)`` matrices with orthonormal columns when the reflectors come from QR.

    Example:
        >>> a, tau = ember.geqrf(ember.tensor([[3.0, 1.0], [4.0, 2.0]]))
        >>> Q = ember.linalg.householder_product(a, tau)
        >>> bool(ember.allclose(Q.mT @ Q, ember.eye(2), atol=1e-6))
        True
    """
    op = "torch.linalg.householder_product"
    for name, t in (("input", A), ("tau", tau)):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"linalg_householder_product(): argument '{name}' must be Tensor, "
                f"not {type(t).__name__}"
            )
    _householder_checks(op, A, tau)
    xp = get_xp(A._data)
    m, n = A._data.shape[-2:]
    dt = A._data.dtype
    q = _wrap(xp.broadcast_to(xp.eye(m, n, dtype=dt), A._data.shape).copy())
    if tau._data.shape[-1] == 0:
        q = q + A * 0  # no reflectors: still a function of A, as PyTorch's output
    below = xp.arange(m)
    for i in reversed(range(tau._data.shape[-1])):
        mask = _wrap((below > i).astype(dt))
        e_i = _wrap((below == i).astype(dt))
        v = A[..., :, i] * mask + e_i
        vq = matmul(conj(v).unsqueeze(-2), q)
        q = q - matmul((tau[..., i : i + 1] * v).unsqueeze(-1), vq)
    return q


def _householder_checks(op: str, A: Tensor, tau: Tensor) -> None:  # noqa: N803
    if A._data.ndim < 2:
        raise RuntimeError(f"{op}: input must have at least 2 dimensions.")
    if tau._data.ndim < 1:
        raise RuntimeError(f"{op}: tau must have at least 1 dimension.")
    m, n = A._data.shape[-2:]
    if m < n:
        raise RuntimeError(
            f"{op}: input.shape[-2] must be greater than or equal to input.shape[-1]"
        )
    if tau._data.shape[-1] > n:
        raise RuntimeError(f"{op}: input.shape[-1] must be greater than or equal to tau.shape[-1]")
    if A._data.ndim - tau._data.ndim != 1:
        raise RuntimeError(
            f"{op}: Expected tau to have one dimension less than input, but got "
            f"tau.ndim equal to {tau._data.ndim} and input.ndim is equal to "
            f"{A._data.ndim}"
        )
    if A._data.shape[:-2] != tau._data.shape[:-1]:
        raise RuntimeError(
            f"{op}: Expected batch dimensions of tau to be equal to input.shape[:-2]"
        )
    if A._data.dtype != tau._data.dtype:
        raise RuntimeError(f"{op}: tau dtype {tau.dtype} does not match input dtype {A.dtype}")


def orgqr(input: Tensor, tau: Tensor) -> Tensor:
    """``torch.orgqr``: the same as ``ember.linalg.householder_product``.

    Example:
        >>> a, tau = ember.geqrf(ember.eye(2))
        >>> ember.orgqr(a, tau).abs()
        tensor([[1., 0.],
                [0., 1.]])
    """
    return householder_product(input, tau)


def ormqr(
    input: Tensor, tau: Tensor, other: Tensor, left: bool = True, transpose: bool = False
) -> Tensor:
    """Multiply ``other`` by the full ``Q`` of a ``geqrf`` factorisation, as ``torch.ormqr``.

    Args:
        input: ``(*, mn, k)`` reflectors from ``geqrf``.
        tau: ``(*, min(mn, k))`` their scales.
        other: ``(*, m, n)`` matrix to multiply.
        left: ``Q @ other`` (True) or ``other @ Q`` (False).
        transpose: use ``Q^H`` in place of ``Q``.

    Returns:
        The product (differentiable: a composite of ``householder_product`` and ``matmul``).

    Example:
        >>> a, tau = ember.geqrf(ember.tensor([[3.0, 1.0], [4.0, 2.0]]))
        >>> R = ember.ormqr(a, tau, ember.tensor([[3.0, 1.0], [4.0, 2.0]]), transpose=True)
        >>> float(R[1, 0].abs()) < 1e-6
        True
    """
    mn, k = input._data.shape[-2:]
    if k < mn:
        pad = input[..., :, :1].detach() * 0
        input = cat([input] + [pad] * (mn - k), -1)
    else:
        input = input[..., :, :mn]
    q = householder_product(input, tau)
    q = _mH(q) if transpose else q
    return matmul(q, other) if left else matmul(other, q)


def geqrf(input: Tensor) -> Any:
    """QR factorisation in LAPACK's packed form ``(a, tau)``, as ``torch.geqrf``.

    ``R`` is on and above the diagonal of ``a``; below it are the Householder vectors that
    ``householder_product(a, tau)`` turns into ``Q``. Not differentiable.

    Args:
        input: ``(*, m, n)`` matrices.

    Returns:
        A named tuple ``(a, tau)``.

    Example:
        >>> a, tau = ember.geqrf(ember.tensor([[3.0, 1.0], [4.0, 2.0]]))
        >>> a[0, 0].abs()
        tensor(5.)
    """
    _matrices("geqrf", input, "input")
    xp = get_xp(input._data)
    h, tau = xp.linalg.qr(input._data, mode="raw")
    return Geqrf(_wrap(xp.ascontiguousarray(xp.swapaxes(h, -1, -2))), _wrap(tau))


# -- composites over existing ops --------------------------------------------------------------
def vander(x: Tensor, *, N: int | None = None) -> Tensor:  # noqa: N803 - PyTorch's name
    """Vandermonde matrices with increasing powers ``x^0, x^1, ..., x^(N-1)``.

    As ``torch.linalg.vander`` (columns in increasing order, unlike ``numpy.vander``).

    Args:
        x: ``(*, n)`` tensor.
        N: number of columns (default ``n``).

    Returns:
        ``(*, n, N)``; differentiable (repeated products, so exact at ``x = 0``).

    Example:
        >>> ember.linalg.vander(ember.tensor([1, 2, 3]))
        tensor([[1, 1, 1],
                [1, 2, 4],
                [1, 3, 9]])
    """
    if x._data.ndim == 0:
        x = x.reshape(1)  # PyTorch reads a scalar as one point
    n = x._data.shape[-1] if N is None else N
    if n <= 1:
        raise RuntimeError("N must be greater than 1.")
    cols = [x.detach() * 0 + 1, x]
    while len(cols) < n:
        cols.append(cols[-1] * x)
    return stack(cols[:n], -1)


def cond(A: Tensor, p: Any = None) -> Tensor:
    """Condition number of each matrix in the norm ``p``, as ``torch.linalg.cond``.

    ``p`` of None or 2 (-2) is the ratio of the largest to the smallest singular value (its
    inverse); ``"fro"``, ``"nuc"``, ``inf``, ``-inf``, 1 and -1 use ``norm(A) * norm(inv(A))``
    on square matrices, and give ``inf`` for a singular one.

    Args:
        A: ``(*, m, n)`` matrices (square unless ``p`` is None, 2 or -2).
        p: the norm.

    Returns:
        A real tensor of the batch shape; differentiable.

    Example:
        >>> ember.linalg.cond(ember.tensor([[2.0, 0.0], [0.0, 0.5]]))
        tensor(4.)
    """
    _matrices("linalg.cond", A)
    if p in (None, 2, -2):
        s = svdvals(A)
        big, small = s[..., 0], s[..., -1]
        return big / small if p != -2 else small / big
    _square("linalg.cond", A)
    if p not in ("fro", "nuc", math.inf, -math.inf, 1, -1):
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
    try:
        return matrix_norm(A, p) * matrix_norm(inv(A), p)
    except LinAlgError:
        info = _lu_raw(A._data)[2]
    real = _dtype.from_numpy_dtype(A._data.dtype).to_real().np
    xp = get_xp(A._data)
    out = cond(_safe_batch(A, _wrap(info)), p)._data
    return _wrap(xp.where(info != 0, xp.inf, out).astype(real))


def tensorinv(A: Tensor, ind: int = 2) -> Tensor:
    """Inverse of ``A`` read as a linear map from its last dims to its first ``ind`` dims.

    As ``torch.linalg.tensorinv``: the result has shape ``A.shape[ind:] + A.shape[:ind]``.

    Args:
        A: a tensor with ``prod(A.shape[:ind]) == prod(A.shape[ind:])``.
        ind: how many leading dimensions form the output side.

    Returns:
        The inverse map (differentiable: a reshaped ``inv``).

    Example:
        >>> ember.linalg.tensorinv(ember.eye(4).reshape(4, 2, 2), ind=1).shape
        ember.Size([2, 2, 4])
    """
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    lead, rest = A._data.shape[:ind], A._data.shape[ind:]
    rows, cols = math.prod(lead), math.prod(rest)
    if rows != cols:
        raise RuntimeError(
            f"Expected self to satisfy the requirement prod(self.shape[ind:]) == "
            f"prod(self.shape[:ind]), but got {cols} != {rows}"
        )
    return inv(A.reshape(rows, cols)).reshape(tuple(rest) + tuple(lead))


def tensorsolve(A: Tensor, B: Tensor, dims: Any = None) -> Tensor:
    """Solve ``tensordot(A, X, X.ndim) = B`` for ``X``, as ``torch.linalg.tensorsolve``.

    Args:
        A: tensor of shape ``B.shape + X.shape`` (after moving ``dims`` to the end).
        B: right-hand side.
        dims: dimensions of ``A`` to move to the end first.

    Returns:
        ``X`` of shape ``A.shape[B.ndim:]`` (differentiable: a reshaped ``solve``).

    Example:
        >>> A = ember.eye(6).reshape(2, 3, 6)
        >>> ember.linalg.tensorsolve(A, ember.ones(2, 3)).shape
        ember.Size([6])
    """
    if dims is not None:
        dims = [dims] if isinstance(dims, int) else list(dims)
        A = movedim(A, dims, list(range(A.ndim - len(dims), A.ndim)))
    xshape = A._data.shape[B._data.ndim :]
    rows, cols = math.prod(A._data.shape[: B._data.ndim]), math.prod(xshape)
    if rows != cols:
        raise RuntimeError(
            "Expected self to satisfy the requirement "
            "prod(self.shape[other.ndim:]) == prod(self.shape[:other.ndim]), but "
            f"got {cols} != {rows}"
        )
    x = solve(A.reshape(rows, cols), B.reshape(rows))
    return x.reshape(xshape)


def matrix_exp(A: Tensor) -> Tensor:
    """Matrix exponential ``exp(A)`` of each square matrix, as ``torch.linalg.matrix_exp``.

    Scaling and squaring: ``A / 2**s`` has norm below 1 (2 in single precision), its Taylor
    series to degree 18 is accurate to rounding, and ``s`` squarings undo the scaling. A
    composite of matmuls, so it is differentiable (and twice differentiable).

    Args:
        A: ``(*, n, n)`` matrices.

    Returns:
        ``exp(A)``.

    Example:
        >>> ember.linalg.matrix_exp(ember.zeros(2, 2))
        tensor([[1., 0.],
                [0., 1.]])
    """
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise RuntimeError("linalg.matrix_exp: A must be batches of square matrices")
    norm1 = float(A.detach().abs().sum(-2).amax()) if A.numel() else 0.0
    # The degree-18 remainder theta^19 / 19! is below the unit roundoff for theta = 1 in
    # float64 and theta = 2 in float32; fewer squarings then lose less to rounding.
    theta = 2.0 if A._data.dtype in (np.float32, np.complex64) else 1.0
    s = max(0, math.ceil(math.log2(norm1 / theta))) if norm1 > theta else 0
    x = A / (2.0**s) if s else A
    eye = _wrap(_eye(A)).expand(*A.shape)
    result, term = eye, eye
    for k in range(1, 19):
        term = (term @ x) / k
        result = result + term
    for _ in range(s):
        result = result @ result
    return result


# -- the legacy torch.* spellings --------------------------------------------------------------
def svd(input: Tensor, some: bool = True, compute_uv: bool = True) -> Any:
    """Legacy ``torch.svd``: ``(U, S, V)`` with ``V`` (not ``Vh``), ``input = U diag(S) V^H``.

    Args:
        input: ``(*, m, n)`` matrices.
        some: reduced factors (True) or square ``U`` and ``V``.
        compute_uv: with False, ``U`` and ``V`` are zero-filled ``(m, m)`` and ``(n, n)``.

    Returns:
        A named tuple ``(U, S, V)``, differentiable as ``linalg.svd``.

    Example:
        >>> ember.svd(ember.tensor([[3.0, 0.0], [0.0, 4.0]])).S
        tensor([4., 3.])
    """
    _matrices("svd", input, "input")
    if not compute_uv:
        xp = get_xp(input._data)
        m, n = input._data.shape[-2:]
        batch = input._data.shape[:-2]
        zeros = [_wrap(xp.zeros(batch + (k, k), input._data.dtype)) for k in (m, n)]
        return SVDLegacy(zeros[0], svdvals(input), zeros[1])
    u, s, vh = linalg_svd(input, full_matrices=not some)
    return SVDLegacy(u, s, _mH(vh))


def qr(input: Tensor, some: bool = True) -> Any:
    """Legacy ``torch.qr``: ``linalg.qr`` with ``mode="reduced"`` (or ``"complete"``).

    Example:
        >>> ember.qr(ember.eye(2)).R.abs()
        tensor([[1., 0.],
                [0., 1.]])
    """
    q, r = linalg_qr(input, "reduced" if some else "complete")
    return QRLegacy(q, r)


def triangular_solve(
    b: Tensor,
    A: Tensor,
    upper: bool = True,
    transpose: bool = False,  # noqa: N803
    unitriangular: bool = False,
) -> Any:
    """Legacy ``torch.triangular_solve``: solve ``A X = b`` (``A^T X = b`` with ``transpose``).

    Args:
        b: ``(*, n, k)`` right-hand sides.
        A: ``(*, n, n)`` triangular matrices (the ``upper`` or lower triangle is read).
        upper: which triangle of ``A``.
        transpose: solve with ``A^T``.
        unitriangular: take ``A``'s diagonal as ones.

    Returns:
        A named tuple ``(solution, cloned_coefficient)``.

    Example:
        >>> A = ember.tensor([[2.0, 1.0], [0.0, 1.0]])
        >>> ember.triangular_solve(ember.tensor([[3.0], [1.0]]), A).solution
        tensor([[1.],
                [1.]])
    """
    _matrices("triangular_solve", b, "b")
    _square("triangular_solve", A)
    tri = A.mT if transpose else A
    x = solve_triangular(tri, b, upper=upper != transpose, unitriangular=unitriangular)
    return TriangularSolve(x, A.clone())


def cholesky_solve(B: Tensor, L: Tensor, upper: bool = False) -> Tensor:  # noqa: N803
    """Solve ``A X = B`` given ``A``'s Cholesky factor, as ``torch.cholesky_solve``.

    Args:
        B: ``(*, n, k)`` right-hand sides.
        L: ``(*, n, n)`` lower factor ``A = L L^H`` (upper ``A = U^H U`` with ``upper``).
        upper: ``L`` is the upper factor.

    Returns:
        ``X`` (differentiable in ``B`` and ``L``: two triangular solves).

    Example:
        >>> L = ember.linalg.cholesky(ember.tensor([[4.0, 2.0], [2.0, 3.0]]))
        >>> ember.cholesky_solve(ember.tensor([[6.0], [5.0]]), L)
        tensor([[1.],
                [1.]])
    """
    _matrices("cholesky_solve", B, "B")
    _square("cholesky_solve", L)
    low = _mH(L) if upper else L
    y = solve_triangular(low, B, upper=False)
    return solve_triangular(_mH(low), y, upper=True)


def cholesky_inverse(L: Tensor, upper: bool = False) -> Tensor:  # noqa: N803
    """Inverse of ``A = L L^H`` from its Cholesky factor, as ``torch.cholesky_inverse``.

    Example:
        >>> ember.cholesky_inverse(ember.tensor([[2.0, 0.0], [0.0, 1.0]]))
        tensor([[0.2500, 0.0000],
                [0.0000, 1.0000]])
    """
    _square("cholesky_inverse", L)
    eye = _wrap(_eye(L)).expand(*L.shape)
    return cholesky_solve(eye, L, upper=upper)


TENSOR_METHODS = {
    "lu": lu,
    "lu_solve": lu_solve,
    "orgqr": orgqr,
    "ormqr": ormqr,
    "geqrf": geqrf,
    "svd": svd,
    "triangular_solve": triangular_solve,
    "cholesky_solve": cholesky_solve,
    "cholesky_inverse": cholesky_inverse,
    "matrix_exp": matrix_exp,
}
