"""Gumbel-softmax sampling, as ``torch.nn.functional.gumbel_softmax``."""

from __future__ import annotations

import ember
from ember._tensor import Tensor
from ember.ops.reduction import softmax

__all__ = ["gumbel_softmax"]


def gumbel_softmax(
    logits: Tensor, tau: float = 1.0, hard: bool = False, eps: float = 1e-10, dim: int = -1
) -> Tensor:
    """Sample from the Gumbel-softmax distribution (and optionally discretise).

    A composite: ``softmax((logits + g) / tau)`` with ``g = -log(E)``, ``E ~ Exp(1)``; with
    ``hard=True`` the forward value is the one-hot argmax while the gradient is the soft sample's
    (straight-through), as PyTorch.

    Args:
        logits: unnormalised log-probabilities ``[..., num_features]``.
        tau: the temperature (> 0).
        hard: return one-hot samples that are differentiable through the soft ones.
        eps: unused, kept for PyTorch's signature.
        dim: the dimension the softmax is taken over.

    Returns:
        A tensor of ``logits``' shape whose slices along ``dim`` sum to 1.

    Example:
        >>> y = F.gumbel_softmax(ember.zeros(2, 5), tau=0.5, hard=True)
        >>> y.sum(-1).tolist()
        [1.0, 1.0]
    """
    gumbels = -ember.empty_like(logits).exponential_().log()
    y_soft = softmax((logits + gumbels) / tau, dim)
    if not hard:
        return y_soft
    index = y_soft.argmax(dim, keepdim=True)
    y_hard = ember.zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft
