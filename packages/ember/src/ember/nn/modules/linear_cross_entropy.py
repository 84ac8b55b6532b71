"""``nn.LinearCrossEntropyLoss``: a linear layer and cross entropy in one loss module."""

from __future__ import annotations

import math
from typing import Any

from ember._tensor import Tensor
from ember.nn import functional as F
from ember.nn.modules.linear import Linear
from ember.nn.modules.module import Module

__all__ = ["LinearCrossEntropyLoss"]


class LinearCrossEntropyLoss(Module):
    """Project with a ``Linear`` layer, then take the cross entropy, as PyTorch 2.13's.

    Args:
        in_features: size of each input sample.
        num_classes: number of classes ``C``.
        out_features: extra dimensions ``(d1, ..., dK)`` of a K-dimensional loss.
        bias: give the projection a bias.
        device: the device of the parameters.
        dtype: the dtype of the parameters.
        reduction: ``'none'`` | ``'mean'`` | ``'sum'``.
        weight: per-class rescaling weights ``(C,)`` (a buffer).
        ignore_index: a target value that does not count.
        label_smoothing: in [0, 1].
        options: PyTorch's chunking options (ignored).

    Example:
        >>> loss_fn = ember.nn.LinearCrossEntropyLoss(8, 5)
        >>> loss_fn(ember.randn(4, 8), ember.tensor([0, 1, 2, 3])).shape
        ember.Size([])
    """

    def __init__(
        self,
        in_features: int,
        num_classes: int,
        *,
        out_features: tuple[int, ...] = (),
        bias: bool = False,
        device: Any = None,
        dtype: Any = None,
        reduction: str = "mean",
        weight: Tensor | None = None,
        ignore_index: int | None = None,
        label_smoothing: float = 0.0,
        options: Any = None,
    ) -> None:
        if weight is not None and tuple(weight.shape) != (num_classes,):
            raise RuntimeError(
                f"expected weight shape to be {(num_classes,)}, got {tuple(weight.shape)}"
            )
        if not 0.0 <= label_smoothing <= 1.0:
            raise RuntimeError(
                f"expected label_smoothing to be in range [0, 1], got {label_smoothing}"
            )
        super().__init__()
        self.register_buffer("weight", weight)
        self.reduction = reduction
        self.num_classes = num_classes
        self.out_features = tuple(out_features)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing
        n_out = math.prod(self.out_features) * num_classes
        self.linear = Linear(in_features, n_out, bias=bias, device=device, dtype=dtype)
        self.options = options

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of ``target`` under the projected logits."""
        shape = (self.num_classes, *self.out_features)
        w = self.linear.weight.reshape(shape + (self.linear.in_features,))
        b = None if self.linear.bias is None else self.linear.bias.reshape(shape)
        return F.linear_cross_entropy(
            input,
            w,
            target,
            linear_bias=b,
            weight=self.weight,
            reduction=self.reduction,
            ignore_index=self.ignore_index,
            label_smoothing=self.label_smoothing,
            options=self.options,
        )

    def extra_repr(self) -> str:
        return (
            f"in_features={self.linear.in_features}, num_classes={self.num_classes}, "
            f"out_features={self.out_features}, bias={self.linear.bias is not None}, "
            f"reduction={self.reduction}, ignore_index={self.ignore_index}, "
            f"label_smoothing={self.label_smoothing}, options={self.options}"
        )
