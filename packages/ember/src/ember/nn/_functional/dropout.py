"""Functional dropout (element, channel and alpha variants), as ``torch.nn.functional``."""

from __future__ import annotations

import ember
from ember._tensor import Tensor, _wrap
from ember.backends import get_xp
from ember.nn._functional._utils import _maybe_inplace
from ember.nn._functional.activation import _SELU_ALPHA, _SELU_SCALE

__all__ = [
    "dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout",
]


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _keep_mask(shape: tuple[int, ...], p: float, like: Tensor) -> Tensor:
    """A tensor of 0 and 1/(1-p) (kept with probability 1-p), in ``like``'s dtype."""
    u = ember.rand(*shape, dtype=like.dtype, device=like.device)._data
    keep = u >= p
    get_xp(u).multiply(keep, 1.0 / (1.0 - p), out=u)  # reuse the uniform buffer
    return _wrap(u)


def _apply_mask(input: Tensor, mask_shape: tuple[int, ...], p: float, training: bool,
                inplace: bool, op: str) -> Tensor:
    _check_p(p)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        out = input * 0.0
    else:
        out = input * _keep_mask(mask_shape, p, input)
    return _maybe_inplace(input, out, inplace, op)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by ``1/(1-p)`` (in training).

    Example:
        >>> F.dropout(ember.ones(4), p=0.5, training=False)
        tensor([1., 1., 1., 1.])
    """
    return _apply_mask(input, tuple(input.shape), p, training, inplace, "dropout_")


def _channel_mask_shape(input: Tensor, batched_ndim: int, name: str) -> tuple[int, ...]:
    nd = input.ndim
    if nd not in (batched_ndim - 1, batched_ndim):
        raise RuntimeError(
            f"{name}: Expected {batched_ndim - 1}D or {batched_ndim}D input, but received a "
            f"{nd}D input of shape {list(input.shape)}"
        )
    lead = 1 if nd == batched_ndim - 1 else 2  # unbatched: (C, *); batched: (N, C, *)
    return tuple(input.shape[:lead]) + (1,) * (nd - lead)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of ``(N, C, L)`` or ``(C, L)`` input with probability ``p``."""
    shape = _channel_mask_shape(input, 3, "dropout1d")
    return _apply_mask(input, shape, p, training, inplace, "dropout1d_")


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of ``(N, C, H, W)`` input with probability ``p``.

    A 3-D input is treated as ``(N, C, L)``, as PyTorch does (with a warning there).
    """
    if input.ndim == 3:
        shape = tuple(input.shape[:2]) + (1,)
    else:
        shape = _channel_mask_shape(input, 4, "dropout2d")
    return _apply_mask(input, shape, p, training, inplace, "dropout2d_")


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of ``(N, C, D, H, W)`` or ``(C, D, H, W)`` input."""
    shape = _channel_mask_shape(input, 5, "dropout3d")
    return _apply_mask(input, shape, p, training, inplace, "dropout3d_")


_ALPHA_PRIME = -_SELU_ALPHA * _SELU_SCALE


def _alpha_dropout(input: Tensor, p: float, training: bool, mask_shape: tuple[int, ...]):
    _check_p(p)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    keep = _wrap((ember.rand(*mask_shape, device=input.device)._data >= p).astype(
        input._data.dtype))
    a = ((1 - p) * (1 + p * _ALPHA_PRIME**2)) ** -0.5
    b = -a * _ALPHA_PRIME * p
    # Dropped units take the SELU saturation value, then an affine map restores mean and variance.
    return (input * keep + (1.0 - keep) * _ALPHA_PRIME) * a + b


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                  inplace: bool = False) -> Tensor:
    """Dropout that keeps SELU activations' mean and variance (for self-normalising nets)."""
    out = _alpha_dropout(input, p, training, tuple(input.shape))
    return _maybe_inplace(input, out, inplace and out is not input, "alpha_dropout_")


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                          inplace: bool = False) -> Tensor:
    """Alpha dropout of whole channels (dim 1)."""
    shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2)
    out = _alpha_dropout(input, p, training, shape)
    return _maybe_inplace(input, out, inplace and out is not input, "feature_alpha_dropout_")
