"""Linear algebra, as ``torch.linalg``: norms, inverses, solves, determinants, decompositions.

Everything works on batches of matrices (leading dimensions), on CPU (NumPy/LAPACK) and GPU
(CuPy), and is differentiable in float32/float64 where the maths allows: the decompositions
(``svd``, ``eig``, ``eigh``, ``qr``, ``lu``, ``cholesky``) carry PyTorch's backward formulas.
LU and LDL factorisations are computed by ember itself (NumPy has neither) with LAPACK's pivots.

Example:
    >>> A = ember.tensor([[4.0, 1.0], [1.0, 3.0]])
    >>> x = ember.linalg.solve(A, ember.tensor([1.0, 2.0]))
    >>> bool(ember.allclose(A @ x, ember.tensor([1.0, 2.0])))
    True
"""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor
from ember.ops.linalg import (
    LinAlgError,
    cholesky,
    cross,
    det,
    eig,
    eigh,
    eigvals,
    eigvalsh,
    inv,
    lstsq,
    matmul,
    matrix_norm,
    matrix_power,
    matrix_rank,
    multi_dot,
    pinv,
    qr,
    slogdet,
    solve,
    svd,
    svdvals,
    vecdot,
    vector_norm,
)
from ember.ops.linalg import linalg_norm as norm
from ember.ops.linalg_factor import (
    cond,
    householder_product,
    inv_ex,
    ldl_factor,
    ldl_factor_ex,
    ldl_solve,
    lu_factor,
    lu_factor_ex,
    matrix_exp,
    solve_ex,
    solve_triangular,
    tensorinv,
    tensorsolve,
    vander,
)
from ember.ops.linalg_factor import linalg_lu as lu
from ember.ops.linalg_factor import linalg_lu_solve as lu_solve
from ember.ops.shape import diagonal as _diagonal

__all__ = [
    "norm", "vector_norm", "matrix_norm", "inv", "solve", "det", "slogdet", "cholesky", "eigh",
    "eigvalsh", "svd", "svdvals", "pinv", "matrix_power", "multi_dot", "vecdot", "matmul",
    "cross", "LinAlgError", "qr", "eig", "eigvals", "matrix_rank", "lstsq", "diagonal",
    "solve_triangular", "cholesky_ex", "matrix_exp", "cond", "householder_product", "inv_ex",
    "ldl_factor", "ldl_factor_ex", "ldl_solve", "lu", "lu_factor", "lu_factor_ex", "lu_solve",
    "solve_ex", "tensorinv", "tensorsolve", "vander",
]


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """The ``offset``-th diagonal of each matrix in ``A`` (over ``dim1``/``dim2``; a view).

    Example:
        >>> ember.linalg.diagonal(ember.eye(2))
        tensor([1., 1.])
    """
    return _diagonal(A, offset, dim1, dim2)


def cholesky_ex(A: Tensor, *, upper: bool = False, check_errors: bool = False) -> Any:
    """Cholesky factor plus an ``info`` code instead of an error, as ``torch.linalg.cholesky_ex``.

    ``info`` is 0 where the factorisation succeeded, else the order of the leading minor that is
    not positive definite; those matrices' factors are left as zeros.

    Args:
        A: ``(*, n, n)`` Hermitian matrices.
        upper: return the upper factor ``U`` (``A = U^H U``).
        check_errors: raise for a failed matrix instead of reporting it.

    Returns:
        A named tuple ``(L, info)`` with ``info`` int32 of the batch shape.

    Example:
        >>> ember.linalg.cholesky_ex(ember.tensor([[4.0, 0.0], [0.0, -1.0]])).info
        tensor(2, dtype=ember.int32)
    """
    import numpy as np

    import ember

    try:
        factor = cholesky(A, upper=upper)
        info = ember.zeros(A.shape[:-2], dtype=ember.int32, device=A.device)
        return _CholeskyEx(factor, info)
    except (LinAlgError, RuntimeError, np.linalg.LinAlgError):
        if check_errors:
            raise
    mats = A.detach().cpu().numpy().reshape(-1, A.shape[-2], A.shape[-1])
    infos = np.array([_first_bad_minor(m) for m in mats], dtype=np.int32)
    good = infos == 0
    factors = np.zeros_like(mats)
    if good.any():
        factors[good] = np.linalg.cholesky(mats[good])
    if upper:
        factors = np.conj(np.swapaxes(factors, -1, -2))
    return _CholeskyEx(ember.tensor(factors.reshape(A.shape), device=A.device),
                       ember.tensor(infos.reshape(A.shape[:-2]), device=A.device))


def _first_bad_minor(m: Any) -> int:
    import numpy as np

    for k in range(1, m.shape[-1] + 1):
        try:
            np.linalg.cholesky(m[:k, :k])
        except np.linalg.LinAlgError:
            return k
    return 0


class _CholeskyEx(tuple):
    """``(L, info)`` with named fields, as PyTorch's return type."""

    def __new__(cls, L: Tensor, info: Tensor) -> _CholeskyEx:  # noqa: N803
        return super().__new__(cls, (L, info))

    @property
    def L(self) -> Tensor:  # noqa: N802
        return self[0]

    @property
    def info(self) -> Tensor:
        return self[1]
