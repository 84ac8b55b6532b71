"""``gumbel_softmax``: differentiable samples from a categorical distribution."""

from __future__ import annotations

from ember._tensor import Tensor
from ember.nn._functional.activation import softmax

__all__ = ["gumbel_softmax"]


def gumbel_softmax(
    logits: Tensor, tau: float = 1.0, hard: bool = False, eps: float = 1e-10, dim: int = -1
) -> Tensor:
    """Sample from the Gumbel-softmax distribution (the relaxed one-hot categorical).

    ``softmax((logits + g) / tau)`` with ``g = -log(Exponential(1))`` Gumbel noise. With
    ``hard=True`` the result is one-hot in the forward pass and the soft sample's gradient in the
    backward pass (the straight-through estimator), as ``torch.nn.functional.gumbel_softmax``.

    Args:
        logits: unnormalised log-probabilities.
        tau: temperature (> 0); smaller is closer to one-hot.
        hard: return one-hot vectors with straight-through gradients.
        eps: unused (PyTorch's deprecated argument).
        dim: the categories' dimension.

    Returns:
        A tensor of ``logits``' shape whose slices along ``dim`` sum to 1.

    Example:
        >>> y = F.gumbel_softmax(ember.zeros(2, 3), tau=0.5, hard=True)
        >>> y.sum(-1)
        tensor([1., 1.])
    """
    gumbels = -logits.new_empty(logits.shape).exponential_().log()
    y = softmax((logits + gumbels) / tau, dim)
    if not hard:
        return y
    index = y.argmax(dim, keepdim=True)
    y_hard = logits.new_zeros(logits.shape).scatter(dim, index, 1.0)
    return y_hard - y.detach() + y
