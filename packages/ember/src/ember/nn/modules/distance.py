"""ember.nn layers: CosineSimilarity and PairwiseDistance."""

from __future__ import annotations

from ember._tensor import Tensor
from ember.nn import functional as F
from ember.nn.modules.module import Module

__all__ = ["CosineSimilarity", "PairwiseDistance"]


class CosineSimilarity(Module):
    """Cosine similarity between ``x1`` and ``x2`` along ``dim``.

    Args:
        dim: the dimension to reduce (default 1).
        eps: guards against division by zero.

    Example:
        >>> nn.CosineSimilarity(dim=1)(ember.ones(2, 3), ember.ones(2, 3))
        tensor([1.0000, 1.0000])
    """

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim = dim
        self.eps = eps

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """The p-norm distance between corresponding rows of ``x1`` and ``x2``.

    Args:
        p: the norm degree (default 2).
        eps: added to the difference to avoid a zero norm.
        keepdim: keep the reduced dimension.

    Example:
        >>> nn.PairwiseDistance()(ember.zeros(1, 2), ember.tensor([[3.0, 4.0]]))
        tensor([5.0000])
    """

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm = p
        self.eps = eps
        self.keepdim = keepdim

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
