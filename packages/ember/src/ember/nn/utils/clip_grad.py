"""clip_grad_norm_ and clip_grad_value_: rescale or clamp gradients in place."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ember._tensor import Tensor, _wrap
from ember.backends import get_xp

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm",
           "clip_grads_with_norm_"]


def _grads(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def _as_list(tensors: Tensor | Iterable[Tensor]) -> list[Tensor]:
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


def get_total_norm(tensors: Tensor | Iterable[Tensor], norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """The ``norm_type``-norm of all ``tensors`` together, as if concatenated into one vector.

    Example:
        >>> from ember.nn.utils import get_total_norm
        >>> get_total_norm([ember.tensor([3.0]), ember.tensor([4.0])])
        tensor(5.)
    """
    tensors = _as_list(tensors)
    if not tensors:
        from ember import _creation

        return _creation.tensor(0.0)
    norm_type = float(norm_type)
    xp = get_xp(tensors[0]._data)
    dtype = tensors[0]._data.dtype
    if math.isinf(norm_type):
        parts = [xp.abs(t._data).max() if t._data.size else xp.zeros((), dtype) for t in tensors]
        total = xp.max(xp.stack(parts)) if norm_type > 0 else xp.min(xp.stack(parts))
    else:
        parts = [xp.sum(xp.abs(t._data.astype(dtype, copy=False)) ** norm_type)
                 for t in tensors]
        total = xp.sum(xp.stack(parts)) ** (1.0 / norm_type)
    total = xp.asarray(total, dtype=dtype)
    if error_if_nonfinite and not bool(xp.isfinite(total)):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, "
            "so it cannot be clipped. To disable this error and scale the gradients by the "
            "non-finite norm anyway, set `error_if_nonfinite=False`")
    return _wrap(total)


def clip_grads_with_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float,
                          total_norm: Tensor, foreach: bool | None = None) -> None:
    """Scale every gradient by ``min(1, max_norm / (total_norm + 1e-6))`` in place."""
    coef = float(max_norm) / (float(total_norm.item()) + 1e-6)
    coef = min(coef, 1.0)
    for g in _grads(parameters):
        g._data *= g._data.dtype.type(coef)
        g._vc[0] += 1


def clip_grad_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float,
                    norm_type: float = 2.0, error_if_nonfinite: bool = False,
                    foreach: bool | None = None) -> Tensor:
    """Rescale gradients in place so their total ``norm_type``-norm is at most ``max_norm``.

    Args:
        parameters: tensors (or one tensor) whose ``.grad`` is clipped.
        max_norm: the largest allowed total norm.
        norm_type: the p of the norm (``float("inf")`` for the max-norm).
        error_if_nonfinite: raise when the total norm is nan or inf.
        foreach: accepted for compatibility.

    Returns:
        The total norm before clipping.

    Example:
        >>> w = ember.nn.Parameter(ember.zeros(2))
        >>> w.grad = ember.tensor([3.0, 4.0])
        >>> ember.nn.utils.clip_grad_norm_([w], 1.0)
        tensor(5.)
        >>> w.grad
        tensor([0.6000, 0.8000])
    """
    parameters = _as_list(parameters)
    grads = _grads(parameters)
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    if grads:
        clip_grads_with_norm_(parameters, max_norm, total, foreach)
    return total


def clip_grad_norm(parameters: Any, max_norm: float, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Deprecated spelling of ``clip_grad_norm_``."""
    import warnings

    warnings.warn("`nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float,
                     foreach: bool | None = None) -> None:
    """Clamp every gradient into ``[-clip_value, clip_value]`` in place.

    Example:
        >>> w = ember.nn.Parameter(ember.zeros(2))
        >>> w.grad = ember.tensor([-3.0, 0.5])
        >>> ember.nn.utils.clip_grad_value_(w, 1.0)
        >>> w.grad
        tensor([-1.0000,  0.5000])
    """
    clip_value = float(clip_value)
    for g in _grads(parameters):
        get_xp(g._data).clip(g._data, -clip_value, clip_value, out=g._data)
        g._vc[0] += 1
