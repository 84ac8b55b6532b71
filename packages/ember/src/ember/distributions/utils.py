"""Helpers shared by the distributions (``torch.distributions.utils``)."""

from __future__ import annotations

import numbers
from functools import update_wrapper
from typing import Any

import ember
import ember.nn.functional as F
from ember._tensor import Tensor

__all__ = [
    "broadcast_all",
    "logits_to_probs",
    "probs_to_logits",
    "clamp_probs",
    "lazy_property",
    "sum_rightmost",
]


def broadcast_all(*values: Any) -> tuple[Tensor, ...]:
    """Broadcast tensors and Python numbers to one shape; numbers take the tensors' dtype.

    Args:
        values: Tensors or numbers.

    Returns:
        The broadcast tensors.

    Example:
        >>> loc, scale = broadcast_all(ember.zeros(3), 1.0)
        >>> scale.shape
        ember.Size([3])
    """
    for v in values:
        if not isinstance(v, (Tensor, numbers.Number)):
            raise ValueError("Input arguments must all be instances of numbers.Number or Tensor.")
    like = next((v for v in values if isinstance(v, Tensor)), None)
    if like is None:
        dt = ember.get_default_dtype()
        return tuple(ember.tensor(float(v), dtype=dt) for v in values)
    dt = like.dtype if like.is_floating_point() else ember.get_default_dtype()
    tensors = [
        v if isinstance(v, Tensor) else ember.tensor(v, dtype=dt, device=like.device)
        for v in values
    ]
    return tuple(ember.broadcast_tensors(*tensors))


def clamp_probs(probs: Tensor) -> Tensor:
    """Keep probabilities inside (eps, 1 - eps) of their dtype."""
    eps = ember.finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def logits_to_probs(logits: Tensor, is_binary: bool = False) -> Tensor:
    """Probabilities from logits: sigmoid when ``is_binary``, else softmax over the last dim."""
    if is_binary:
        return ember.sigmoid(logits)
    return F.softmax(logits, dim=-1)


def probs_to_logits(probs: Tensor, is_binary: bool = False) -> Tensor:
    """Logits from probabilities (clamped away from 0 and 1 first)."""
    ps = clamp_probs(probs)
    if is_binary:
        return ember.log(ps) - ember.log1p(-ps)
    return ember.log(ps)


def sum_rightmost(value: Tensor, dim: int) -> Tensor:
    """Sum over the ``dim`` rightmost dimensions."""
    if dim == 0:
        return value
    return value.reshape(*value.shape[: value.dim() - dim], -1).sum(-1)


class lazy_property:  # noqa: N801 - PyTorch's name
    """A property computed once per instance on first access, then cached as an attribute."""

    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped
        update_wrapper(self, wrapped)

    def __get__(self, instance: Any, obj_type: Any = None) -> Any:
        if instance is None:
            return self
        with ember.enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value
