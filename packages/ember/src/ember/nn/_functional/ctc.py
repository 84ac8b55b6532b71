"""Functional CTC loss: argument checks around the ``CTCLoss`` primitive (``ember.ops.nn.ctc``)."""

from __future__ import annotations

from typing import Any

import numpy as np

import ember
from ember._tensor import Tensor
from ember.amp.autocast_mode import FP32, autocast_op
from ember.backends import get_xp
from ember.ops.nn.ctc import CTCLoss

__all__ = ["ctc_loss"]


def _as_int_array(v: Any) -> np.ndarray:
    """Lengths given as a tensor, a tuple/list or a single int, as a host int64 vector."""
    if isinstance(v, Tensor):
        return np.asarray(v.detach().cpu().numpy()).astype(np.int64).reshape(-1)
    return np.asarray([v] if np.isscalar(v) else list(v), dtype=np.int64).reshape(-1)


def _padded_targets(targets: Tensor, tl: np.ndarray, batched: bool) -> np.ndarray:
    t = np.asarray(targets.detach().cpu().numpy()).astype(np.int64)
    if not batched:
        return t.reshape(1, -1)
    if t.ndim == 2:
        return t
    width = int(tl.max()) if tl.size else 0
    out = np.zeros((tl.size, width), np.int64)
    starts = np.concatenate([[0], np.cumsum(tl)[:-1]])
    for n, (s, length) in enumerate(zip(starts, tl)):
        out[n, :length] = t[s:s + length]
    return out


def _check_lengths(lp: Tensor, targets: np.ndarray, il: np.ndarray, tl: np.ndarray) -> None:
    steps, n = lp.shape[0], lp.shape[1]
    if il.size != n or tl.size != n:
        raise RuntimeError(f"ctc_loss: expected input_lengths and target_lengths of size {n} "
                           f"(the batch), got {il.size} and {tl.size}")
    if il.size and (il.max() > steps or il.min() < 0):
        raise RuntimeError(f"Expected input_lengths to have value at most {steps}, but got "
                           f"value {int(il.max())}")
    if tl.size and tl.max() > targets.shape[1]:
        raise RuntimeError(f"Expected tensor to have size at least {int(tl.max())} at dimension "
                           f"1, but got size {targets.shape[1]} for argument #2 'targets'")


@autocast_op(FP32)
def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths: Any, target_lengths: Any,
             blank: int = 0, reduction: str = "mean", zero_infinity: bool = False) -> Tensor:
    """Connectionist temporal classification loss.

    Args:
        log_probs: ``(T, N, C)`` or unbatched ``(T, C)`` log-probabilities (``log_softmax``).
        targets: ``(N, S)`` padded, or the targets of the whole batch concatenated (1-D).
        input_lengths: ``(N,)`` tensor or tuple, each at most ``T``.
        target_lengths: ``(N,)`` tensor or tuple.
        blank: index of the blank label.
        reduction: ``"none"`` (per sample), ``"sum"``, or ``"mean"`` (each loss divided by its
            target length, then averaged over the batch, as PyTorch).
        zero_infinity: replace infinite losses (impossible alignments) and their gradients by 0.

    Returns:
        The loss.

    Example:
        >>> lp = ember.randn(10, 2, 5).log_softmax(2)
        >>> F.ctc_loss(lp, ember.tensor([[1, 2], [3, 3]]), (10, 8), (2, 2)).shape
        ember.Size([])
    """
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    batched = log_probs.ndim == 3
    lp = log_probs if batched else log_probs.unsqueeze(1)
    xp = get_xp(lp._data)
    il = _as_int_array(input_lengths)
    tl = _as_int_array(target_lengths)
    padded = _padded_targets(targets, tl, batched)
    _check_lengths(lp, padded, il, tl)
    kw = dict(targets=xp.asarray(padded), il=xp.asarray(il), tl=xp.asarray(tl), blank=blank,
              zero_infinity=zero_infinity)
    loss = CTCLoss.apply(lp, **kw)
    return _reduce(loss, tl, reduction, batched)


def _reduce(loss: Tensor, tl: np.ndarray, reduction: str, batched: bool) -> Tensor:
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        div = ember.tensor(np.maximum(tl, 1), dtype=loss.dtype, device=loss.device)
        return (loss / div).mean()
    return loss if batched else loss.squeeze(0)
