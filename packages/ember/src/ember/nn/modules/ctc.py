"""ember.nn layers: CTCLoss."""

from __future__ import annotations

from typing import Any

from ember._tensor import Tensor
from ember.nn._functional import ctc as F
from ember.nn.modules.module import Module

__all__ = ["CTCLoss"]


class CTCLoss(Module):
    """Connectionist temporal classification loss (see ``ember.nn.functional.ctc_loss``).

    Args:
        blank: index of the blank label.
        reduction: ``"none"``, ``"sum"`` or ``"mean"`` (per-sample loss divided by its target
            length, then averaged, as PyTorch).
        zero_infinity: replace infinite losses and their gradients by zero.

    Example:
        >>> ctc = ember.nn.CTCLoss()
        >>> lp = ember.randn(12, 2, 6).log_softmax(2)
        >>> ctc(lp, ember.tensor([[1, 2, 3], [4, 4, 0]]), (12, 10), (3, 2)).shape
        ember.Size([])
    """

    def __init__(self, blank: int = 0, reduction: str = "mean",
                 zero_infinity: bool = False) -> None:
        super().__init__()
        self.blank, self.reduction, self.zero_infinity = blank, reduction, zero_infinity

    def forward(self, log_probs: Tensor, targets: Tensor, input_lengths: Any,
                target_lengths: Any) -> Tensor:
        """``log_probs (T, N, C)``, ``targets (N, S)`` or concatenated -> the loss."""
        return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank,
                          self.reduction, self.zero_infinity)
