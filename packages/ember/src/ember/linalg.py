"""Linear algebra, as ``torch.linalg``: norms, inverses, solves, determinants, decompositions.

Everything works on batches of matrices (leading dimensions), on CPU (NumPy/LAPACK) and GPU
(CuPy), and is differentiable in float32/float64 where the maths allows (``svd`` gives gradients
through its singular values only).

Example:
    >>> A = ember.tensor([[4.0, 1.0], [1.0, 3.0]])
    >>> x = ember.linalg.solve(A, ember.tensor([1.0, 2.0]))
    >>> bool(ember.allclose(A @ x, ember.tensor([1.0, 2.0])))
    True
"""

from __future__ import annotations

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
from ember.ops.shape import diagonal as _diagonal

__all__ = [
    "norm", "vector_norm", "matrix_norm", "inv", "solve", "det", "slogdet", "cholesky", "eigh",
    "eigvalsh", "svd", "svdvals", "pinv", "matrix_power", "multi_dot", "vecdot", "matmul",
    "cross", "LinAlgError", "qr", "eig", "eigvals", "matrix_rank", "lstsq", "diagonal",
]


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """The ``offset``-th diagonal of each matrix in ``A`` (over ``dim1``/``dim2``; a view).

    Example:
        >>> ember.linalg.diagonal(ember.eye(2))
        tensor([1., 1.])
    """
    return _diagonal(A, offset, dim1, dim2)
