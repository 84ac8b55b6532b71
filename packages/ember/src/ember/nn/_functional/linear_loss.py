"""``linear_cross_entropy``: a linear layer followed by cross-entropy, in one call."""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor
from ember.nn._functional.linear import linear
from ember.nn._functional.loss import cross_entropy

__all__ = ["linear_cross_entropy"]


def linear_cross_entropy(
    input: Tensor,
    linear_weight: Tensor,
    target: Tensor,
    *,
    linear_bias: Tensor | None = None,
    weight: Tensor | None = None,
    reduction: str = "mean",
    ignore_index: int | None = None,
    label_smoothing: float = 0.0,
    options: Any = None,
) -> Tensor:
    """``cross_entropy(linear(input, linear_weight, linear_bias), target, ...)``.

    PyTorch computes this in chunks to save memory on large vocabularies (``options``); ember
    computes the logits whole, which gives the same values and gradients.

    Args:
        input: ``(N, in_features)`` (or ``(in_features,)``) samples.
        linear_weight: ``(C, in_features)``, or ``(C, d1, ..., dK, in_features)`` for a
            K-dimensional loss.
        target: class indices ``(N,)`` or class probabilities ``(N, C)``.
        linear_bias: optional ``(C,)`` bias of the projection.
        weight: optional per-class rescaling of the loss.
        reduction: ``"none"``, ``"mean"`` or ``"sum"``.
        ignore_index: a target value that contributes nothing (None: no such value).
        label_smoothing: in [0, 1].
        options: accepted (PyTorch's chunking options).

    Returns:
        The loss.

    Example:
        >>> x, w = ember.randn(4, 3), ember.randn(5, 3)
        >>> F.linear_cross_entropy(x, w, ember.tensor([0, 4, 1, 2])).shape
        ember.Size([])
    """
    if linear_weight.ndim > 2:  # (C, d1, ..., dK, in_features): a K-dimensional loss
        n_in = linear_weight.shape[-1]
        logits = linear(input, linear_weight.reshape(-1, n_in))
        logits = logits.reshape(tuple(input.shape[:-1]) + tuple(linear_weight.shape[:-1]))
        if linear_bias is not None:
            logits = logits + linear_bias
    else:
        logits = linear(input, linear_weight, linear_bias)
    return cross_entropy(
        logits,
        target,
        weight=weight,
        reduction=reduction,
        ignore_index=-100 if ignore_index is None else ignore_index,
        label_smoothing=label_smoothing,
    )
