"""``linear_cross_entropy``: cross entropy of a linear projection, as PyTorch 2.13."""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor
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

    A composite (PyTorch computes it in chunks to save memory; ``options`` chooses the chunking
    there and is accepted and ignored here: the result is the same).

    Args:
        input: ``(N, in_features)`` or ``(in_features,)``.
        linear_weight: ``(C, in_features)``, or ``(C, d1, ..., dK, in_features)`` for a
            K-dimensional loss.
        target: class indices or class probabilities, as ``cross_entropy``'s.
        linear_bias: ``(C,)`` or ``(C, d1, ..., dK)``.
        weight: per-class rescaling weights ``(C,)``.
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``.
        ignore_index: a target value that does not count (None: every value counts).
        label_smoothing: in [0, 1].
        options: PyTorch's chunking options (ignored).

    Returns:
        The loss.

    Example:
        >>> x, w = ember.randn(4, 3), ember.randn(5, 3)
        >>> t = ember.tensor([0, 4, 2, 1])
        >>> bool(F.linear_cross_entropy(x, w, t).isclose(F.cross_entropy(x @ w.T, t)))
        True
    """
    n_in = linear_weight.shape[-1]
    out_shape = tuple(linear_weight.shape[:-1])
    logits = input.matmul(linear_weight.reshape(-1, n_in).t())
    logits = logits.reshape(tuple(input.shape[:-1]) + out_shape)
    if linear_bias is not None:
        logits = logits + linear_bias
    return cross_entropy(
        logits,
        target,
        weight=weight,
        reduction=reduction,
        ignore_index=-100 if ignore_index is None else ignore_index,
        label_smoothing=label_smoothing,
    )
