"""Functional batch, layer, group, instance, RMS and local response normalisation."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import ember
from ember._dtype import np_kind
from ember._tensor import Tensor
from ember.amp.autocast_mode import FP32, autocast_op
from ember.ops.nn.normalization import NormAffine

__all__ = [
    "batch_norm", "layer_norm", "group_norm", "instance_norm", "rms_norm", "local_response_norm",
]


def _norm_affine(x: Tensor, w: Tensor | None, b: Tensor | None, axes: tuple[int, ...],
                 pshape: tuple[int, ...], eps: float, running: Any = None) -> Tensor:
    return NormAffine.apply(x, w, b, axes, pshape, eps, running)


def _float_input(name: str, x: Tensor) -> None:
    if np_kind(x._data.dtype) != "f":
        raise RuntimeError(f"{name}: expected a floating-point input, got {x.dtype}")


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel (dim 1) over the batch and spatial dims, then scale and shift.

    Args:
        input: ``(N, C, *)``.
        running_mean: ``(C,)`` running estimate, updated in place when ``training``.
        running_var: ``(C,)`` running (unbiased) variance estimate.
        weight: ``(C,)`` scale or None.
        bias: ``(C,)`` shift or None.
        training: use batch statistics (and update the running ones) instead of running ones.
        momentum: weight of the new batch in the running update.
        eps: added to the variance.

    Example:
        >>> out = F.batch_norm(ember.randn(8, 3), None, None, training=True)
        >>> bool((out.mean(0).abs() < 1e-5).all())
        True
    """
    _float_input("batch_norm", input)
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expected 2D or more input, got {input.ndim}D")
    c = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
    pshape = (1, c) + (1,) * (input.ndim - 2)
    axes = (0,) + tuple(range(2, input.ndim))
    if training:
        if input.numel() // c <= 1:
            raise ValueError(
                "Expected more than 1 value per channel when training, got input size "
                f"{input.shape}")
        running = None
        if running_mean is not None or running_var is not None:
            running = (None if running_mean is None else running_mean._data,
                       None if running_var is None else running_var._data, momentum)
        out = _norm_affine(input, weight, bias, axes, pshape, eps, running)
        for buf in (running_mean, running_var):
            if buf is not None:
                buf._vc[0] += 1
        return out
    if running_mean is None or running_var is None:
        raise RuntimeError("batch_norm: running_mean and running_var must be given when "
                           "training=False")
    return _affine_from_stats(input, running_mean, running_var, weight, bias, eps, pshape)


def _affine_from_stats(x: Tensor, mean: Tensor, var: Tensor, w: Tensor | None,
                       b: Tensor | None, eps: float, pshape: tuple[int, ...]) -> Tensor:
    """Eval-mode normalisation with fixed statistics: x * scale + shift, two passes."""
    scale = ember.rsqrt(var.to(x.dtype) + eps)
    if w is not None:
        scale = scale * w
    shift = -mean.to(x.dtype) * scale
    if b is not None:
        shift = shift + b
    return x * scale.reshape(pshape) + shift.reshape(pshape)


def _normalized_axes(name: str, input: Tensor, normalized_shape: Any) -> tuple[int, ...]:
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k == 0 or tuple(input.shape[input.ndim - k:]) != shape or k > input.ndim:
        raise RuntimeError(
            f"{name}: Given normalized_shape={list(shape)}, expected input with shape "
            f"[*, {', '.join(str(s) for s in shape)}], but got input of size{list(input.shape)}"
        )
    return tuple(range(input.ndim - k, input.ndim))


@autocast_op(FP32, devices=("cuda",))
def layer_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalise over the last ``len(normalized_shape)`` dims, then scale and shift.

    Example:
        >>> out = F.layer_norm(ember.randn(2, 5), (5,))
        >>> bool((out.mean(-1).abs() < 1e-5).all())
        True
    """
    _float_input("layer_norm", input)
    axes = _normalized_axes("layer_norm", input, normalized_shape)
    pshape = tuple(input.shape[axes[0]:])
    return _norm_affine(input, weight, bias, axes, pshape, eps)


def _channel_affine(x: Tensor, w: Tensor | None, b: Tensor | None) -> Tensor:
    shape = (1, -1) + (1,) * (x.ndim - 2)
    if w is not None:
        x = x * w.reshape(shape)
    if b is not None:
        x = x + b.reshape(shape)
    return x


@autocast_op(FP32, devices=("cuda",))
def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalise groups of channels over (channels in group, spatial dims), then per-channel affine.

    Example:
        >>> F.group_norm(ember.randn(2, 4, 3), 2).shape
        ember.Size([2, 4, 3])
    """
    _float_input("group_norm", input)
    n, c = input.shape[0], input.shape[1]
    if c % num_groups:
        raise RuntimeError(
            f"group_norm: Expected number of channels in input to be divisible by num_groups, "
            f"but got input of shape {list(input.shape)} and num_groups={num_groups}")
    grouped = input.reshape(n, num_groups, (c // num_groups) * math.prod(input.shape[2:]))
    normed = _norm_affine(grouped, None, None, (2,), (1, 1, grouped.shape[2]), eps)
    return _channel_affine(normed.reshape(tuple(input.shape)), weight, bias)


def instance_norm(input: Tensor, running_mean: Tensor | None = None,
                  running_var: Tensor | None = None, weight: Tensor | None = None,
                  bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel of each sample over its spatial dims.

    Args:
        input: ``(N, C, *)``.
        running_mean, running_var: ``(C,)`` running estimates (updated when ``use_input_stats``).
        weight, bias: per-channel affine parameters.
        use_input_stats: normalise with this input's statistics (else the running ones).
        momentum, eps: as in ``batch_norm``.

    Example:
        >>> F.instance_norm(ember.randn(2, 3, 5)).shape
        ember.Size([2, 3, 5])
    """
    _float_input("instance_norm", input)
    n, c = input.shape[0], input.shape[1]
    if not use_input_stats:
        pshape = (1, c) + (1,) * (input.ndim - 2)
        return _affine_from_stats(input, running_mean, running_var, weight, bias, eps, pshape)
    flat = input.reshape(n, c, -1)
    if flat.shape[2] <= 1:
        raise ValueError(
            "Expected more than 1 spatial element when training, got input size "
            f"{input.shape}")
    if running_mean is not None or running_var is not None:
        _update_instance_stats(flat._data, running_mean, running_var, momentum)
    normed = _norm_affine(flat, None, None, (2,), (1, 1, flat.shape[2]), eps)
    return _channel_affine(normed.reshape(tuple(input.shape)), weight, bias)


def _update_instance_stats(x: Any, rm: Tensor | None, rv: Tensor | None, momentum: float):
    m = x.shape[2]
    if rm is not None:
        rm._data *= 1.0 - momentum
        rm._data += (momentum * x.mean(axis=(0, 2))).astype(rm._data.dtype)
        rm._vc[0] += 1
    if rv is not None:
        var = x.var(axis=2) * (m / (m - 1))
        rv._data *= 1.0 - momentum
        rv._data += (momentum * var.mean(axis=0)).astype(rv._data.dtype)
        rv._vc[0] += 1


def rms_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None,
             eps: float | None = None) -> Tensor:
    """``x / sqrt(mean(x**2) + eps) * weight`` over the last dims (eps defaults to the dtype's).

    Example:
        >>> F.rms_norm(ember.tensor([[3.0, 4.0]]), (2,), eps=0.0)
        tensor([[0.8485, 1.1314]])
    """
    _float_input("rms_norm", input)
    axes = _normalized_axes("rms_norm", input, normalized_shape)
    if eps is None:
        eps = float(np.finfo(input._data.dtype).eps)
    out = input * ember.rsqrt((input * input).mean(axes, keepdim=True) + eps)
    return out * weight if weight is not None else out


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> Tensor:
    """Divide by ``(k + alpha/size * sum of squares over size neighbouring channels) ** beta``.

    Example:
        >>> F.local_response_norm(ember.ones(1, 4, 2), 2).shape
        ember.Size([1, 4, 2])
    """
    if input.ndim < 3:
        raise ValueError(
            f"Expected 3D or higher dimensionality input (got {input.ndim} dimensions)")
    c = input.shape[1]
    sq = input * input
    before, after = size // 2, (size - 1) // 2
    pad_shape = list(input.shape)
    parts = []
    for width in (before + 1, after):  # one extra leading zero for the cumulative-sum difference
        pad_shape[1] = width
        parts.append(ember.zeros(*pad_shape, dtype=input.dtype, device=input.device))
    cs = ember.cumsum(ember.cat([parts[0], sq, parts[1]], 1), 1)
    window = cs.narrow(1, size, c) - cs.narrow(1, 0, c)
    div = (window * (alpha / size) + k) ** beta
    return input / div
