"""Fractional max pooling (Graham, 2014), 2-D and 3-D, as torch.nn.functional.

The windows start at pseudo-random positions drawn from one uniform sample per batch item,
channel and spatial axis (``_random_samples``); with the same samples the windows are PyTorch's,
so the outputs and indices are too. The maths is a gather at the window indices followed by a
max, so the primitive is ``IndexPool`` (as for ``max_pool2d``) with its own window kernel.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np

import ember
from ember._tensor import Tensor
from ember.backends import get_xp
from ember.nn._functional._utils import _check_float, _check_input
from ember.ops.nn.pooling import IndexPool

__all__ = [
    "fractional_max_pool2d",
    "fractional_max_pool3d",
    "fractional_max_pool2d_with_indices",
    "fractional_max_pool3d_with_indices",
]


def fractional_intervals(sample: Any, in_size: int, out_size: int, k: int) -> Any:
    """Window starts along one axis for each sample, computed in the samples' dtype.

    ``sample`` is an array of uniform draws in [0, 1) (any shape); the result has one more
    trailing axis of length ``out_size``. The arithmetic is done in the samples' float type and
    truncated to int, as PyTorch's kernel does, so the starts agree bit for bit.
    """
    xp = get_xp(sample)
    dt = sample.dtype
    starts = xp.empty(sample.shape + (out_size,), dtype=xp.int64)
    if out_size > 1:
        alpha = dt.type(in_size - k) / dt.type(out_size - 1)
        i = xp.arange(out_size - 1).astype(dt)
        s = sample[..., None]
        seq = ((i + s) * alpha).astype(xp.int64) - (s * alpha).astype(xp.int64)
        starts[..., :-1] = seq
    starts[..., -1] = in_size - k
    return starts


def _window_index(starts: list[Any], k: tuple[int, ...], in_sp: tuple[int, ...]) -> Any:
    """Flat spatial indices ``(B, *out, prod(k))`` of every window element."""
    xp = get_xp(starts[0])
    nd = len(k)
    b = starts[0].shape[0]
    flat = xp.zeros((b,) + (1,) * (2 * nd), dtype=xp.int64)
    stride = 1
    for ax in reversed(range(nd)):
        pos = starts[ax][:, :, None] + xp.arange(k[ax])  # (B, out_ax, k_ax)
        shape = [b] + [1] * (2 * nd)
        shape[1 + ax] = pos.shape[1]
        shape[1 + nd + ax] = k[ax]
        flat = flat + pos.reshape(shape) * stride
        stride *= in_sp[ax]
    out = flat.shape[1 : 1 + nd]
    return flat.reshape((b,) + out + (math.prod(k),))


def _fractional_kernel(
    x: Any, samples: Any, k: tuple[int, ...], out: tuple[int, ...]
) -> tuple[Any, Any]:
    xp = get_xp(x)
    nd = len(k)
    lead = x.shape[: x.ndim - nd]
    in_sp = x.shape[x.ndim - nd :]
    smp = samples.reshape(samples.size // nd, nd)  # (B, nd): one row per (batch, channel)
    # PyTorch's 2-D kernel reads the width's sample first; the 3-D one reads T, H, W in order.
    col = (1, 0) if nd == 2 else tuple(range(nd))
    starts = [fractional_intervals(smp[:, col[ax]], in_sp[ax], out[ax], k[ax]) for ax in range(nd)]
    widx = _window_index(starts, k, in_sp)  # (B, *out, K)
    b = widx.shape[0]
    flat_x = x.reshape(b, math.prod(in_sp))
    vals = xp.take_along_axis(flat_x, widx.reshape(b, math.prod(widx.shape[1:])), axis=1)
    vals = vals.reshape(widx.shape)
    # The first maximum in window order, unless there is a NaN: then the last NaN, as PyTorch.
    nan = xp.isnan(vals)
    last_nan = vals.shape[-1] - 1 - xp.argmax(nan[..., ::-1], axis=-1)
    pick = xp.where(nan.any(axis=-1), last_nan, xp.argmax(vals, axis=-1))
    best = xp.take_along_axis(vals, pick[..., None], axis=-1)[..., 0]
    idx = xp.take_along_axis(widx, pick[..., None], axis=-1)[..., 0]
    return best.reshape(lead + out), idx.reshape(lead + out)


def _out_size(op: str, nd: int, x: Tensor, output_size: Any, output_ratio: Any) -> tuple[int, ...]:
    if output_size is None and output_ratio is None:
        raise ValueError(f"{op} requires specifying either an output_size or an output_ratio")
    in_sp = tuple(x.shape[x.ndim - nd :])
    if output_size is not None:
        size = tuple(output_size) if isinstance(output_size, (list, tuple)) else (output_size,)
        if len(size) == 1:
            size = size * nd
        if len(size) != nd:
            raise RuntimeError(
                f"{op}: output_size must either be a single int, or a tuple of "
                f"{nd} ints, got {tuple(size)}"
            )
        return tuple(int(s) for s in size)
    ratio = tuple(output_ratio) if isinstance(output_ratio, (list, tuple)) else (output_ratio,)
    if len(ratio) > nd:
        raise ValueError(f"{op} requires output_ratio to either be a single Int or tuple of Ints.")
    if len(ratio) == 1:
        ratio = ratio * nd
    return tuple(int(n * r) for n, r in zip(in_sp, ratio))


def _check_samples(op: str, nd: int, x: Tensor, samples: Tensor) -> None:
    n_batch = 1 if x.ndim == nd + 1 else x.shape[0]
    want = (n_batch, x.shape[-nd - 1], nd)
    if not isinstance(samples, Tensor):
        raise TypeError(
            f"{op}(): argument '_random_samples' must be Tensor, not {type(samples).__name__}"
        )
    if samples.ndim != 3 or tuple(samples.shape[1:]) != want[1:] or samples.shape[0] < n_batch:
        raise RuntimeError(
            f"{op}: expect _random_samples to be of shape {list(want)}, got {list(samples.shape)}"
        )
    if samples.device != x.device:
        raise RuntimeError(
            f"{op}: expected _random_samples on {x.device}, like the input, got {samples.device}"
        )


def _fractional(
    op: str,
    nd: int,
    x: Tensor,
    kernel_size: Any,
    output_size: Any,
    output_ratio: Any,
    samples: Tensor | None,
) -> tuple[Tensor, Tensor]:
    _check_input(op, x, (nd + 1, nd + 2))
    _check_float(op, x)
    ks = kernel_size if isinstance(kernel_size, (list, tuple)) else (kernel_size,)
    k = tuple(int(v) for v in (ks * nd if len(ks) == 1 else ks))
    if len(k) != nd:
        raise RuntimeError(
            f"{op}: kernel_size must either be a single int, or a tuple of "
            f"{nd} ints, got {tuple(ks)}"
        )
    out = _out_size(op, nd, x, output_size, output_ratio)
    in_sp = tuple(x.shape[x.ndim - nd :])
    for n, o, kk in zip(in_sp, out, k):
        if o + kk - 1 > n:
            raise RuntimeError(
                f"{op}: pool size {kk} too large relative to input size {n} "
                f"for output size {o} (input {list(x.shape)})"
            )
    if samples is None:
        n_batch = 1 if x.ndim == nd + 1 else x.shape[0]
        samples = ember.rand(n_batch, x.shape[-nd - 1], nd, dtype=x.dtype, device=x.device)
    _check_samples(op, nd, x, samples)
    n_planes = math.prod(x.shape[: x.ndim - nd])
    # The window starts are computed in the input's float type, as PyTorch (float32 for the
    # 16-bit types, so bfloat16/float16 inputs get float32's windows).
    wide = x._data.dtype if x._data.dtype.itemsize >= 4 else np.dtype(np.float32)
    smp = samples._data.astype(wide, copy=False)
    smp = smp.reshape(smp.size // nd, nd)[:n_planes]
    kern = partial(_fractional_kernel, samples=smp, k=k, out=out)
    return IndexPool.apply(x, kern, nd, False)


def fractional_max_pool2d(
    input: Tensor,
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Tensor | None = None,
) -> Any:
    """2-D fractional max pooling, as ``torch.nn.functional.fractional_max_pool2d``.

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``, floating point.
        kernel_size: int or ``(kH, kW)``: the window over which to take the max.
        output_size: int or ``(oH, oW)``: the output size (or give ``output_ratio``).
        output_ratio: number or pair in (0, 1): the output size as a fraction of the input's.
        return_indices: also return the flat ``h * W + w`` argmax indices (for
            ``max_unpool2d``).
        _random_samples: ``(N, C, 2)`` uniform draws in [0, 1) that place the windows (the
            width's sample first, then the height's, as PyTorch); drawn with ``ember.rand``
            when None.

    Returns:
        The pooled tensor, and the int64 indices when ``return_indices``.

    Example:
        >>> F.fractional_max_pool2d(ember.randn(1, 2, 9, 9), 2, output_size=4).shape
        ember.Size([1, 2, 4, 4])
    """
    out, idx = _fractional(
        "fractional_max_pool2d", 2, input, kernel_size, output_size, output_ratio, _random_samples
    )
    return (out, idx) if return_indices else out


def fractional_max_pool3d(
    input: Tensor,
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Tensor | None = None,
) -> Any:
    """3-D fractional max pooling, as ``torch.nn.functional.fractional_max_pool3d``.

    Args:
        input: ``(N, C, T, H, W)`` or ``(C, T, H, W)``, floating point.
        kernel_size: int or ``(kT, kH, kW)``.
        output_size: int or ``(oT, oH, oW)`` (or give ``output_ratio``).
        output_ratio: number or triple in (0, 1).
        return_indices: also return the flat argmax indices (for ``max_unpool3d``).
        _random_samples: ``(N, C, 3)`` uniform draws in [0, 1) (T, H, W order); drawn with
            ``ember.rand`` when None.

    Returns:
        The pooled tensor, and the int64 indices when ``return_indices``.

    Example:
        >>> F.fractional_max_pool3d(ember.randn(1, 1, 6, 6, 6), 2, output_ratio=0.5).shape
        ember.Size([1, 1, 3, 3, 3])
    """
    out, idx = _fractional(
        "fractional_max_pool3d", 3, input, kernel_size, output_size, output_ratio, _random_samples
    )
    return (out, idx) if return_indices else out


def fractional_max_pool2d_with_indices(
    input: Tensor,
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Tensor | None = None,
) -> Any:
    """``fractional_max_pool2d(..., return_indices=True)``: the output and its indices."""
    return fractional_max_pool2d(
        input, kernel_size, output_size, output_ratio, True, _random_samples
    )


def fractional_max_pool3d_with_indices(
    input: Tensor,
    kernel_size: Any,
    output_size: Any = None,
    output_ratio: Any = None,
    return_indices: bool = False,
    _random_samples: Tensor | None = None,
) -> Any:
    """``fractional_max_pool3d(..., return_indices=True)``: the output and its indices."""
    return fractional_max_pool3d(
        input, kernel_size, output_size, output_ratio, True, _random_samples
    )
