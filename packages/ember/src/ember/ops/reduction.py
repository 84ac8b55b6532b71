"""Reductions: sum, mean and friends, with ``dim`` as an int or a tuple and ``keepdim``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ember import _dtype
from ember._tensor import Tensor, _wrap
from ember.autograd.function import Primitive
from ember.autograd.grad_mode import _State
from ember.backends import get_xp
from ember.ops._dims import norm_dims
from ember.ops._util import NULL_CTX

__all__ = ["sum", "mean"]


def _restore_dims(grad: Tensor, shape: tuple[int, ...], dims: tuple[int, ...] | None,
                  keepdim: bool) -> Tensor:
    """Reshape a reduced gradient so it broadcasts against the input of ``shape``."""
    if keepdim or dims is None and grad._data.ndim == len(shape):
        return grad
    if dims is None:
        return grad.reshape((1,) * len(shape))
    kept = list(grad._data.shape)
    for d in dims:
        kept.insert(d, 1)
    return grad.reshape(tuple(kept))


class Sum(Primitive):
    """Sum over ``dims`` (all when None)."""

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.meta = (x.shape, dims, keepdim)
        xp = get_xp(x)
        if dtype is None and x.dtype.kind in "bui":
            dtype = np.int64
        return xp.asarray(xp.sum(x, axis=dims, keepdims=keepdim, dtype=dtype))

    @staticmethod
    def backward(ctx, grad):
        shape, dims, keepdim = ctx.meta
        return _restore_dims(grad, shape, dims, keepdim).expand(shape), None, None, None


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Sum of elements, over all of them or over ``dim``.

    Args:
        input: the tensor.
        dim: a dimension or tuple of dimensions to reduce (all when None).
        keepdim: keep reduced dimensions with size 1.
        dtype: accumulate and return in this dtype. Integer and bool inputs give int64.

    Returns:
        The sums.

    Example:
        >>> ember.sum(ember.ones(2, 3), dim=1)
        tensor([3., 3.])
    """
    dims = norm_dims(dim, input._data.ndim, "sum")
    npdt = None if dtype is None else _dtype.as_dtype(dtype).np
    if _State.enabled and input._requires_grad:
        return Sum.apply(input, dims, keepdim, npdt)
    return _wrap(Sum.forward(NULL_CTX, input._data, dims, keepdim, npdt))


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Arithmetic mean over all elements or over ``dim``.

    Args:
        input: a floating-point tensor.
        dim: dimension(s) to reduce.
        keepdim: keep reduced dimensions with size 1.
        dtype: compute in this dtype.

    Returns:
        The means.

    Example:
        >>> ember.mean(ember.tensor([1.0, 2.0, 3.0]))
        tensor(2.)
    """
    if dtype is not None:
        input = input.to(dtype)
    if input._data.dtype.kind != "f":
        raise RuntimeError(
            f"mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {input.dtype.name.capitalize()}"
        )
    dims = norm_dims(dim, input._data.ndim, "mean")
    shape = input._data.shape
    count = input._data.size if dims is None else int(np.prod([shape[d] for d in dims]))
    return sum(input, dims, keepdim) / max(count, 1) if count else sum(input, dims, keepdim) / 0.0


TENSOR_METHODS = {"sum": sum, "mean": mean}
