"""Functional normalisation to unit norm and distances, as ``torch.nn.functional``."""

from __future__ import annotations

import ember
from ember._tensor import Tensor, _wrap
from ember.amp.autocast_mode import FP32, autocast_op
from ember.backends import get_xp

__all__ = ["normalize", "cosine_similarity", "pairwise_distance", "pdist"]


def _clamped_no_grad(t: Tensor, low: float) -> Tensor:
    """``t`` clamped to ``>= low`` in value, keeping the gradient of ``t`` (a no-grad clamp_)."""
    return t + (ember.clamp_min(t, low) - t).detach()


@autocast_op(FP32, devices=("cuda",))
def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,
              out: Tensor | None = None) -> Tensor:
    """Divide by the p-norm along ``dim`` (at least ``eps``).

    Example:
        >>> F.normalize(ember.tensor([[3.0, 4.0]]))
        tensor([[0.6000, 0.8000]])
    """
    denom = ember.clamp_min(ember.norm(input, p, dim, keepdim=True), eps)
    result = input / denom
    if out is not None:
        out.copy_(result)
        return out
    return result


@autocast_op(FP32, devices=("cuda",))
def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """Cosine of the angle between ``x1`` and ``x2`` along ``dim`` (broadcasting).

    Each norm is clamped to at least ``eps`` before dividing, as PyTorch does.

    Example:
        >>> F.cosine_similarity(ember.tensor([[1.0, 0.0]]), ember.tensor([[1.0, 1.0]]))
        tensor([0.7071])
    """
    if x1.shape != x2.shape:
        x1, x2 = ember.broadcast_tensors(x1, x2)  # PyTorch broadcasts before reducing ``dim``
    n1 = _clamped_no_grad(ember.norm(x1, 2, dim, keepdim=True), eps)
    n2 = _clamped_no_grad(ember.norm(x2, 2, dim, keepdim=True), eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:
    """``||x1 - x2 + eps||_p`` along the last dim.

    Example:
        >>> F.pairwise_distance(ember.tensor([[0.0, 0.0]]), ember.tensor([[3.0, 4.0]]), eps=0.0)
        tensor([5.])
    """
    return ember.norm(x1 - x2 + eps, p, -1, keepdim=keepdim)


def pdist(input: Tensor, p: float = 2) -> Tensor:
    """p-norm distances between all pairs of rows of ``(N, M)`` input (upper triangle, row-major).

    Example:
        >>> F.pdist(ember.tensor([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]]))
        tensor([5.0000, 1.0000, 4.2426])
    """
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    n = input.shape[0]
    xp = get_xp(input._data)
    i, j = xp.triu_indices(n, 1)
    diff = input.index_select(0, _wrap(i)) - input.index_select(0, _wrap(j))
    return ember.norm(diff, p, -1)
