"""Functional dropout (element, channel and alpha variants), as ``torch.nn.functional``."""

from __future__ import annotations

import warnings

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


def _wrong_rank_warning(name: str, nd: int, spatial: int) -> None:
    warnings.warn(
        f"{name}: Received a {nd}-D input to {name}, which is deprecated and will result in an "
        "error in a future release. To retain the behavior and silence this warning, please use "
        f"dropout instead. Note that {name} exists to provide channel-wise dropout on inputs "
        f"with {spatial} spatial dimensions, a channel dimension, and an optional batch "
        f"dimension (i.e. {spatial + 1}D or {spatial + 2}D inputs).",
        UserWarning,
        stacklevel=3,
    )


def _feature_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """The mask shape of PyTorch's feature dropout: one draw per (dim 0, dim 1) pair."""
    if len(shape) < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return tuple(shape[:2]) + (1,) * (len(shape) - 2)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of ``(N, C, H, W)`` input with probability ``p``.

    As PyTorch: a 3-D input is treated as ``(N, C, L)`` (with a warning); other ranks warn that
    they are deprecated and are then dropped per ``(dim 0, dim 1)`` entry.
    """
    nd = input.ndim
    if nd not in (3, 4):
        _wrong_rank_warning("dropout2d", nd, 2)
    if nd == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            UserWarning,
            stacklevel=2,
        )
    shape = _feature_shape(tuple(input.shape))
    return _apply_mask(input, shape, p, training, inplace, "dropout2d_")


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of ``(N, C, D, H, W)`` or ``(C, D, H, W)`` input.

    Other ranks warn that they are deprecated, then are treated as unbatched (as PyTorch).
    """
    nd = input.ndim
    if nd not in (4, 5):
        _wrong_rank_warning("dropout3d", nd, 3)
    shape = tuple(input.shape) if nd == 5 else (1, *input.shape)
    mask = _feature_shape(shape)
    return _apply_mask(input, mask if nd == 5 else mask[1:], p, training, inplace, "dropout3d_")


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
