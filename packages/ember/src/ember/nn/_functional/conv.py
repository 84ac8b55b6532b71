"""Functional convolution, pooling, padding, resampling and unfold/fold, as ``torch.nn.functional``.

Three kinds of building blocks make every op here differentiable to any order:

* ``Conv``, ``ConvInput`` (transposed convolution) and ``ConvWeight`` are one family of
  primitives for speed (im2col + GEMM, see ``_convkern``): each one's backward is written with the
  other two, so double backward needs nothing else.
* ``LinearMap`` applies a linear (or affine) map given as raw forward/adjoint functions (padding,
  average pooling, interpolation, unfold/fold, pooling-index gather/scatter). Its backward applies
  the adjoint through ``LinearMap`` again, so every derivative of it is exact.
* ``IndexPool`` (max pooling) returns the window maxima and their indices; its gradient is the
  scatter of the index map, itself a ``LinearMap``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from ember._tensor import Tensor, _wrap
from ember.backends import get_xp
from ember.nn._functional import _convkern as ck
from ember.nn._functional import _poolkern as pk
from ember.ops._util import check_same_device
from ember.ops.nn.conv import Conv, ConvInput
from ember.ops.nn.pooling import IndexPool, Lin, gather_map, linear_map
from ember.ops.nn.sampling import GridSample

__all__ = [
    "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
    "max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices",
    "max_pool2d_with_indices", "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d",
    "avg_pool3d", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
    "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d", "max_unpool1d",
    "max_unpool2d", "max_unpool3d", "lp_pool1d", "lp_pool2d", "pad", "interpolate", "upsample",
    "upsample_nearest", "upsample_bilinear", "grid_sample", "affine_grid", "unfold", "fold",
    "pixel_shuffle", "pixel_unshuffle", "channel_shuffle",
]


# -- shared helpers ---------------------------------------------------------------------------


def _ntuple(value: Any, n: int, name: str, op: str) -> tuple[int, ...]:
    if isinstance(value, (list, tuple)):
        if len(value) == 1:
            return (int(value[0]),) * n
        if len(value) != n:
            raise ValueError(f"{op}: expected {name} to be a single int or a tuple of {n} ints, "
                             f"got {tuple(value)}")
        return tuple(int(v) for v in value)
    return (int(value),) * n


def _check_input(op: str, x: Any, dims: tuple[int, ...]) -> None:
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(x).__name__}")
    if x.ndim not in dims:
        want = " or ".join(f"{d}D" for d in dims)
        raise RuntimeError(f"{op}: expected {want} input, but got input of size "
                           f"{list(x.shape)}")


def _check_float(op: str, x: Tensor) -> None:
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"{op}: expected a floating-point input, got {x.dtype}; "
                           "convert it with .float() first")


def _nc(x: Any, nd: int) -> Any:
    """View ``(*lead, *spatial)`` as ``(1, prod(lead), *spatial)`` for the pooling kernels."""
    return x.reshape((1, -1) + x.shape[x.ndim - nd:])


# -- convolution ------------------------------------------------------------------------------


def _conv_operands(op: str, x: Tensor, w: Tensor, b: Tensor | None, nd: int) -> bool:
    """Validate a convolution's operands; True when ``x`` lacks the batch dimension."""
    _check_input(op, x, (nd + 1, nd + 2))
    if not isinstance(w, Tensor) or w.ndim != nd + 2:
        got = list(w.shape) if isinstance(w, Tensor) else type(w).__name__
        raise RuntimeError(f"{op}: expected a {nd + 2}D weight, got {got}")
    for t in (w, b):
        if t is not None and t._data.dtype != x._data.dtype:
            raise RuntimeError(f"{op}: input type ({x.dtype}) and weight/bias type ({t.dtype}) "
                               "should be the same; cast one of them with .to(dtype)")
        if t is not None:
            check_same_device(op, x._data, t._data)
    _check_float(op, x)
    return x.ndim == nd + 1


def _same_padding(k: tuple[int, ...], d: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    total = [di * (ki - 1) for ki, di in zip(k, d)]
    return tuple(t // 2 for t in total), tuple(t - t // 2 for t in total)


def _conv_geom(op: str, x: Tensor, w: Tensor, stride: Any, padding: Any, dilation: Any,
               groups: int, nd: int) -> ck.ConvGeom:
    k = tuple(w.shape[2:])
    s = _ntuple(stride, nd, "stride", op)
    d = _ntuple(dilation, nd, "dilation", op)
    if isinstance(padding, str):
        if padding == "valid":
            lo = hi = (0,) * nd
        elif padding == "same":
            if any(si != 1 for si in s):
                raise ValueError(f"{op}: padding='same' is not supported for strided "
                                 "convolutions; use an explicit padding")
            lo, hi = _same_padding(k, d)
        else:
            raise ValueError(f"{op}: invalid padding string {padding!r}, should be one of "
                             "'valid', 'same'")
    else:
        lo = hi = _ntuple(padding, nd, "padding", op)
    if any(v < 0 for v in lo) or any(v <= 0 for v in s + d):
        raise RuntimeError(f"{op}: negative padding or non-positive stride/dilation "
                           f"(padding={lo}, stride={s}, dilation={d})")
    return ck.ConvGeom(tuple(x.shape[2:]), k, s, lo, hi, d, int(groups))


def _check_conv_shapes(op: str, x: Tensor, w: Tensor, b: Tensor | None, g: ck.ConvGeom) -> None:
    c, o = x.shape[1], w.shape[0]
    if g.groups <= 0 or c % g.groups or o % g.groups:
        raise RuntimeError(f"{op}: groups={g.groups} must be positive and divide both the input "
                           f"channels ({c}) and the output channels ({o})")
    if w.shape[1] * g.groups != c:
        raise RuntimeError(
            f"{op}: Given groups={g.groups}, weight of size {list(w.shape)}, expected input"
            f"{list(x.shape)} to have {w.shape[1] * g.groups} channels, but got {c} channels "
            "instead")
    if b is not None and tuple(b.shape) != (o,):
        raise RuntimeError(f"{op}: expected bias of shape ({o},), got {list(b.shape)}")
    padded = [i + a + z for i, a, z in zip(g.in_size, g.pad_lo, g.pad_hi)]
    eff = [d * (k - 1) + 1 for k, d in zip(g.kernel, g.dilation)]
    if any(p < e for p, e in zip(padded, eff)):
        raise RuntimeError(f"{op}: Calculated padded input size per channel: {tuple(padded)}. "
                           f"Kernel size: {tuple(eff)}. Kernel size can't be greater than "
                           "actual input size")


def _convnd(op: str, nd: int, x: Tensor, w: Tensor, b: Tensor | None, stride: Any,
            padding: Any, dilation: Any, groups: int) -> Tensor:
    unbatched = _conv_operands(op, x, w, b, nd)
    if unbatched:
        x = x.reshape((1,) + tuple(x.shape))
    g = _conv_geom(op, x, w, stride, padding, dilation, groups, nd)
    _check_conv_shapes(op, x, w, b, g)
    out = Conv.apply(x, w, b, g)
    return out.reshape(tuple(out.shape[1:])) if unbatched else out


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """1-D convolution (cross-correlation) over ``(N, C, L)``, as ``torch.nn.functional.conv1d``.

    Args:
        input: ``(N, C_in, L)`` or unbatched ``(C_in, L)``.
        weight: ``(C_out, C_in / groups, k)``.
        bias: optional ``(C_out,)``.
        stride: step between windows.
        padding: zeros added on both sides (int or tuple), or ``"same"`` / ``"valid"``.
        dilation: spacing between kernel taps.
        groups: split channels into this many independent convolutions.

    Returns:
        ``(N, C_out, L_out)``.

    Example:
        >>> F.conv1d(ember.ones(1, 2, 5), ember.ones(3, 2, 3)).shape
        ember.Size([1, 3, 3])
    """
    return _convnd("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-D convolution over ``(N, C, H, W)``, as ``torch.nn.functional.conv2d``.

    Args:
        input: ``(N, C_in, H, W)`` or unbatched ``(C_in, H, W)``.
        weight: ``(C_out, C_in / groups, kH, kW)``.
        bias: optional ``(C_out,)``.
        stride: int or (sH, sW).
        padding: int, (pH, pW), ``"same"`` (stride 1 only) or ``"valid"``.
        dilation: int or (dH, dW).
        groups: number of channel groups (``groups == C_in`` is a depthwise convolution).

    Returns:
        ``(N, C_out, H_out, W_out)`` with ``H_out = (H + 2p - d(k-1) - 1) // s + 1``.

    Example:
        >>> F.conv2d(ember.randn(2, 3, 8, 8), ember.randn(4, 3, 3, 3), padding=1).shape
        ember.Size([2, 4, 8, 8])
    """
    return _convnd("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """3-D convolution over ``(N, C, D, H, W)``, as ``torch.nn.functional.conv3d``.

    Args:
        input: ``(N, C_in, D, H, W)`` or unbatched.
        weight: ``(C_out, C_in / groups, kD, kH, kW)``.
        bias: optional ``(C_out,)``.
        stride: int or triple.
        padding: int, triple, ``"same"`` or ``"valid"``.
        dilation: int or triple.
        groups: number of channel groups.

    Returns:
        ``(N, C_out, D_out, H_out, W_out)``.

    Example:
        >>> F.conv3d(ember.randn(1, 2, 4, 4, 4), ember.randn(3, 2, 3, 3, 3)).shape
        ember.Size([1, 3, 2, 2, 2])
    """
    return _convnd("conv3d", 3, input, weight, bias, stride, padding, dilation, groups)


def _conv_transposend(op: str, nd: int, x: Tensor, w: Tensor, b: Tensor | None, stride: Any,
                      padding: Any, output_padding: Any, groups: int, dilation: Any) -> Tensor:
    unbatched = _conv_operands(op, x, w, b, nd)
    if unbatched:
        x = x.reshape((1,) + tuple(x.shape))
    k = tuple(w.shape[2:])
    s, p, d = (_ntuple(v, nd, n, op) for v, n in ((stride, "stride"), (padding, "padding"),
                                                 (dilation, "dilation")))
    op_ = _ntuple(output_padding, nd, "output_padding", op)
    if any(o >= max(si, di) for o, si, di in zip(op_, s, d)):
        raise RuntimeError(f"{op}: output padding {op_} must be smaller than either stride "
                           f"{s} or dilation {d}")
    if x.shape[1] != w.shape[0] or x.shape[1] % groups:
        raise RuntimeError(
            f"{op}: Given transposed=1, weight of size {list(w.shape)}, expected input"
            f"{list(x.shape)} to have {w.shape[0]} channels, but got {x.shape[1]} channels "
            "instead")
    if b is not None and tuple(b.shape) != (w.shape[1] * groups,):
        raise RuntimeError(f"{op}: expected bias of shape ({w.shape[1] * groups},), got "
                           f"{list(b.shape)}")
    out = tuple((n - 1) * si - 2 * pi + di * (ki - 1) + oi + 1
                for n, si, pi, di, ki, oi in zip(x.shape[2:], s, p, d, k, op_))
    if any(o <= 0 for o in out):
        raise RuntimeError(f"{op}: computed output size {out} is too small; check "
                           "stride, padding and kernel size")
    # output_padding extends the high side. Positions past the kernels' reach (op > padding, as
    # with stride 1 and dilation > 1) get only the bias: compute without them, then pad.
    hi = tuple(max(pi - oi, 0) for pi, oi in zip(p, op_))
    crop = tuple(max(oi - pi, 0) for pi, oi in zip(p, op_))
    g = ck.ConvGeom(tuple(o - c for o, c in zip(out, crop)), k, s, p, hi, d, int(groups))
    if any(crop):
        y = pad(ConvInput.apply(x, w, None, g), [v for c in reversed(crop) for v in (0, c)])
        if b is not None:
            y = y + b.reshape((1, -1) + (1,) * nd)
    else:
        y = ConvInput.apply(x, w, b, g)
    return y.reshape(tuple(y.shape[1:])) if unbatched else y


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:
    """1-D transposed convolution (the gradient of conv1d), as PyTorch's.

    Args:
        input: ``(N, C_in, L)`` or unbatched.
        weight: ``(C_in, C_out / groups, k)``.
        bias: optional ``(C_out,)``.
        stride: step of the corresponding forward convolution.
        padding: ``dilation * (k - 1) - padding`` zeros are added on both sides.
        output_padding: extra size added on one side of the output.
        groups: number of channel groups.
        dilation: spacing between kernel taps.

    Returns:
        ``(N, C_out, (L - 1) * s - 2p + d(k - 1) + output_padding + 1)``.

    Example:
        >>> F.conv_transpose1d(ember.ones(1, 2, 4), ember.ones(2, 3, 3), stride=2).shape
        ember.Size([1, 3, 9])
    """
    return _conv_transposend("conv_transpose1d", 1, input, weight, bias, stride, padding,
                             output_padding, groups, dilation)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:
    """2-D transposed convolution ("deconvolution"), as ``torch.nn.functional.conv_transpose2d``.

    Args:
        input: ``(N, C_in, H, W)`` or unbatched.
        weight: ``(C_in, C_out / groups, kH, kW)``.
        bias: optional ``(C_out,)``.
        stride: int or pair.
        padding: int or pair.
        output_padding: int or pair, smaller than stride or dilation.
        groups: number of channel groups.
        dilation: int or pair.

    Returns:
        ``(N, C_out, H_out, W_out)``.

    Example:
        >>> F.conv_transpose2d(ember.ones(1, 4, 3, 3), ember.ones(4, 2, 2, 2), stride=2).shape
        ember.Size([1, 2, 6, 6])
    """
    return _conv_transposend("conv_transpose2d", 2, input, weight, bias, stride, padding,
                             output_padding, groups, dilation)


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Tensor:
    """3-D transposed convolution, as ``torch.nn.functional.conv_transpose3d``.

    Args:
        input: ``(N, C_in, D, H, W)`` or unbatched.
        weight: ``(C_in, C_out / groups, kD, kH, kW)``.
        bias: optional ``(C_out,)``.
        stride: int or triple.
        padding: int or triple.
        output_padding: int or triple.
        groups: number of channel groups.
        dilation: int or triple.

    Returns:
        ``(N, C_out, D_out, H_out, W_out)``.

    Example:
        >>> F.conv_transpose3d(ember.ones(1, 2, 2, 2, 2), ember.ones(2, 1, 2, 2, 2)).shape
        ember.Size([1, 1, 3, 3, 3])
    """
    return _conv_transposend("conv_transpose3d", 3, input, weight, bias, stride, padding,
                             output_padding, groups, dilation)


# -- pooling ----------------------------------------------------------------------------------


def _pool_args(op: str, nd: int, kernel_size: Any, stride: Any, padding: Any,
               dilation: Any = 1) -> tuple[tuple[int, ...], ...]:
    k = _ntuple(kernel_size, nd, "kernel_size", op)
    empty = stride is None or (isinstance(stride, (list, tuple)) and len(stride) == 0)
    s = k if empty else _ntuple(stride, nd, "stride", op)
    p = _ntuple(padding, nd, "padding", op)
    d = _ntuple(dilation, nd, "dilation", op)
    if any(v <= 0 for v in k + s + d) or any(v < 0 for v in p):
        raise RuntimeError(f"{op}: kernel_size, stride and dilation must be positive and "
                           f"padding non-negative, got k={k}, s={s}, p={p}, d={d}")
    if any(pi > ki // 2 for pi, ki in zip(p, k)):
        raise RuntimeError(f"{op}: pad should be smaller than or equal to half of kernel size, "
                           f"but got padding={p} and kernel_size={k}")
    return k, s, p, d


def _pool_geom(op: str, x: Tensor, nd: int, k: Any, s: Any, p: Any, d: Any,
               ceil: bool) -> ck.ConvGeom:
    g = pk.pool_geom(tuple(x.shape[x.ndim - nd:]), k, s, p, d, bool(ceil))
    if any(o <= 0 for o in g.out_size):
        raise RuntimeError(f"{op}: Given input size {tuple(x.shape)}, calculated output size "
                           f"{g.out_size} is too small")
    return g


def _max_kernel(x: Any, g: ck.ConvGeom, nd: int) -> tuple[Any, Any]:
    lead = x.shape[:x.ndim - nd]
    best, idx = pk.max_pool(_nc(x, nd), g)
    return best.reshape(lead + g.out_size), idx.reshape(lead + g.out_size)


def _max_poolnd(op: str, nd: int, x: Tensor, kernel_size: Any, stride: Any, padding: Any,
                dilation: Any, ceil_mode: bool, return_indices: bool) -> Any:
    _check_input(op, x, (nd + 1, nd + 2))
    _check_float(op, x)
    k, s, p, d = _pool_args(op, nd, kernel_size, stride, padding, dilation)
    g = _pool_geom(op, x, nd, k, s, p, d, ceil_mode)
    unique = all(si >= di * (ki - 1) + 1 for si, di, ki in zip(s, d, k))
    out, idx = IndexPool.apply(x, partial(_max_kernel, g=g, nd=nd), nd, unique)
    return (out, idx) if return_indices else out


def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """1-D max pooling over ``(N, C, L)``, as ``torch.nn.functional.max_pool1d``.

    Args:
        input: ``(N, C, L)`` or ``(C, L)``.
        kernel_size: window size.
        stride: window step (default ``kernel_size``).
        padding: implicit -inf padding on both sides (at most half the kernel).
        dilation: spacing between window elements.
        ceil_mode: use ceil instead of floor for the output length.
        return_indices: also return the argmax positions (for ``max_unpool1d``).

    Returns:
        The pooled tensor, and the int64 indices when ``return_indices``.

    Example:
        >>> F.max_pool1d(ember.tensor([[[1.0, 3.0, 2.0, 4.0]]]), 2)
        tensor([[[3., 4.]]])
    """
    return _max_poolnd("max_pool1d", 1, input, kernel_size, stride, padding, dilation,
                       ceil_mode, return_indices)


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """2-D max pooling over ``(N, C, H, W)``, as ``torch.nn.functional.max_pool2d``.

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size: int or (kH, kW).
        stride: int or pair (default ``kernel_size``).
        padding: int or pair of implicit -inf padding.
        dilation: int or pair.
        ceil_mode: ceil instead of floor in the output size.
        return_indices: also return flat ``h * W + w`` argmax indices.

    Returns:
        The pooled tensor (and indices).

    Example:
        >>> F.max_pool2d(ember.arange(16.0).reshape(1, 1, 4, 4), 2)
        tensor([[[[ 5.,  7.],
                  [13., 15.]]]])
    """
    return _max_poolnd("max_pool2d", 2, input, kernel_size, stride, padding, dilation,
                       ceil_mode, return_indices)


def max_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """3-D max pooling over ``(N, C, D, H, W)``, as ``torch.nn.functional.max_pool3d``.

    Args:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
        kernel_size: int or triple.
        stride: int or triple (default ``kernel_size``).
        padding: int or triple.
        dilation: int or triple.
        ceil_mode: ceil instead of floor in the output size.
        return_indices: also return the flat argmax indices.

    Returns:
        The pooled tensor (and indices).

    Example:
        >>> F.max_pool3d(ember.ones(1, 1, 4, 4, 4), 2).shape
        ember.Size([1, 1, 2, 2, 2])
    """
    return _max_poolnd("max_pool3d", 3, input, kernel_size, stride, padding, dilation,
                       ceil_mode, return_indices)


def max_pool1d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None,
                            padding: Any = 0, dilation: Any = 1, ceil_mode: bool = False,
                            return_indices: bool = True) -> Any:
    """``max_pool1d(..., return_indices=True)``."""
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool2d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None,
                            padding: Any = 0, dilation: Any = 1, ceil_mode: bool = False,
                            return_indices: bool = True) -> Any:
    """``max_pool2d(..., return_indices=True)``."""
    return max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool3d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None,
                            padding: Any = 0, dilation: Any = 1, ceil_mode: bool = False,
                            return_indices: bool = True) -> Any:
    """``max_pool3d(..., return_indices=True)``."""
    return max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def _avg_map(g: ck.ConvGeom, nd: int, inv: Any, shape: tuple[int, ...]) -> Lin:
    lead = shape[:len(shape) - nd]

    def fwd(a: Any) -> Any:
        return (pk.window_sum(_nc(a, nd), g) * inv).reshape(lead + g.out_size)

    def adj(gy: Any) -> Any:
        return pk.window_sum_adj(_nc(gy, nd) * inv, g).reshape(shape)

    return Lin(fwd, adj)


def _avg_poolnd(op: str, nd: int, x: Tensor, kernel_size: Any, stride: Any, padding: Any,
                ceil_mode: bool, count_include_pad: bool, divisor_override: Any) -> Tensor:
    _check_input(op, x, (nd + 1, nd + 2))
    _check_float(op, x)
    k, s, p, d = _pool_args(op, nd, kernel_size, stride, padding)
    g = _pool_geom(op, x, nd, k, s, p, d, ceil_mode)
    if divisor_override is not None and int(divisor_override) == 0:
        raise RuntimeError(f"{op}: divisor must be not zero")
    div = pk.avg_divisor(g, bool(count_include_pad), divisor_override)
    inv = get_xp(x._data).asarray((1.0 / div).astype(x._data.dtype))
    return linear_map(x, _avg_map(g, nd, inv, tuple(x.shape)))


def avg_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True) -> Tensor:
    """1-D average pooling, as ``torch.nn.functional.avg_pool1d``.

    Args:
        input: ``(N, C, L)`` or ``(C, L)``.
        kernel_size: window size.
        stride: window step (default ``kernel_size``).
        padding: zero padding on both sides.
        ceil_mode: ceil instead of floor for the output length.
        count_include_pad: count padded zeros in the divisor.

    Returns:
        The pooled tensor.

    Example:
        >>> F.avg_pool1d(ember.tensor([[[1.0, 3.0, 2.0, 4.0]]]), 2)
        tensor([[[2., 3.]]])
    """
    return _avg_poolnd("avg_pool1d", 1, input, kernel_size, stride, padding, ceil_mode,
                       count_include_pad, None)


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """2-D average pooling, as ``torch.nn.functional.avg_pool2d``.

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size: int or pair.
        stride: int or pair (default ``kernel_size``).
        padding: int or pair of zero padding.
        ceil_mode: ceil instead of floor in the output size.
        count_include_pad: count padded zeros in the divisor.
        divisor_override: divide every window sum by this instead.

    Returns:
        The pooled tensor.

    Example:
        >>> F.avg_pool2d(ember.ones(1, 1, 4, 4), 2)
        tensor([[[[1., 1.],
                  [1., 1.]]]])
    """
    return _avg_poolnd("avg_pool2d", 2, input, kernel_size, stride, padding, ceil_mode,
                       count_include_pad, divisor_override)


def avg_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """3-D average pooling, as ``torch.nn.functional.avg_pool3d``.

    Args:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
        kernel_size: int or triple.
        stride: int or triple (default ``kernel_size``).
        padding: int or triple.
        ceil_mode: ceil instead of floor in the output size.
        count_include_pad: count padded zeros in the divisor.
        divisor_override: divide every window sum by this instead.

    Returns:
        The pooled tensor.

    Example:
        >>> F.avg_pool3d(ember.ones(1, 1, 2, 2, 2), 2).shape
        ember.Size([1, 1, 1, 1, 1])
    """
    return _avg_poolnd("avg_pool3d", 3, input, kernel_size, stride, padding, ceil_mode,
                       count_include_pad, divisor_override)


def _adaptive_size(op: str, output_size: Any, in_sp: tuple[int, ...]) -> tuple[int, ...]:
    nd = len(in_sp)
    if isinstance(output_size, (list, tuple)):
        if len(output_size) != nd:
            raise ValueError(f"{op}: output_size must have {nd} elements, got {output_size}")
        out = tuple(n if o is None else int(o) for o, n in zip(output_size, in_sp))
    else:
        out = (int(output_size),) * nd
    if any(o <= 0 for o in out) or any(n == 0 for n in in_sp):
        raise RuntimeError(f"{op}: output_size {out} must be positive and the input "
                           f"{in_sp} non-empty")
    return out


def _adaptive_avg(op: str, nd: int, x: Tensor, output_size: Any) -> Tensor:
    _check_input(op, x, (nd + 1, nd + 2))
    _check_float(op, x)
    in_sp = tuple(x.shape[x.ndim - nd:])
    out = _adaptive_size(op, output_size, in_sp)
    m = pk.AxisMatrices(tuple(pk.adaptive_avg_matrix(n, o) for n, o in zip(in_sp, out)))
    return linear_map(x, Lin(m.fwd, m.T.fwd))


def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling to a fixed output length, as PyTorch's ``adaptive_avg_pool1d``.

    Args:
        input: ``(N, C, L)`` or ``(C, L)``.
        output_size: the output length.

    Returns:
        ``(N, C, output_size)``.

    Example:
        >>> F.adaptive_avg_pool1d(ember.tensor([[[1.0, 2.0, 3.0, 4.0]]]), 2)
        tensor([[[1.5000, 3.5000]]])
    """
    return _adaptive_avg("adaptive_avg_pool1d", 1, input, output_size)


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling to a fixed output size, as PyTorch's ``adaptive_avg_pool2d``.

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        output_size: int or (H_out, W_out); None keeps that input size.

    Returns:
        ``(N, C, H_out, W_out)``.

    Example:
        >>> F.adaptive_avg_pool2d(ember.ones(2, 3, 7, 5), 1).shape
        ember.Size([2, 3, 1, 1])
    """
    return _adaptive_avg("adaptive_avg_pool2d", 2, input, output_size)


def adaptive_avg_pool3d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling to a fixed ``(D, H, W)``, as PyTorch's ``adaptive_avg_pool3d``.

    Args:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
        output_size: int or triple (None keeps that input size).

    Returns:
        The pooled tensor.

    Example:
        >>> F.adaptive_avg_pool3d(ember.ones(1, 1, 4, 4, 4), 2).shape
        ember.Size([1, 1, 2, 2, 2])
    """
    return _adaptive_avg("adaptive_avg_pool3d", 3, input, output_size)


def _adaptive_max_kernel(x: Any, out: tuple[int, ...], nd: int) -> tuple[Any, Any]:
    lead = x.shape[:x.ndim - nd]
    best, idx = pk.adaptive_max_pool(_nc(x, nd), out)
    return best.reshape(lead + out), idx.reshape(lead + out)


def _adaptive_max(op: str, nd: int, x: Tensor, output_size: Any, return_indices: bool) -> Any:
    _check_input(op, x, (nd + 1, nd + 2))
    _check_float(op, x)
    in_sp = tuple(x.shape[x.ndim - nd:])
    out = _adaptive_size(op, output_size, in_sp)
    unique = all(n % o == 0 for n, o in zip(in_sp, out))
    res, idx = IndexPool.apply(x, partial(_adaptive_max_kernel, out=out, nd=nd), nd, unique)
    return (res, idx) if return_indices else res


def adaptive_max_pool1d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling to a fixed output length, as PyTorch's ``adaptive_max_pool1d``.

    Args:
        input: ``(N, C, L)`` or ``(C, L)``.
        output_size: the output length.
        return_indices: also return the argmax indices.

    Returns:
        The pooled tensor (and indices).

    Example:
        >>> F.adaptive_max_pool1d(ember.tensor([[[1.0, 5.0, 3.0, 4.0]]]), 2)
        tensor([[[5., 4.]]])
    """
    return _adaptive_max("adaptive_max_pool1d", 1, input, output_size, return_indices)


def adaptive_max_pool2d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling to a fixed output size, as PyTorch's ``adaptive_max_pool2d``.

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        output_size: int or pair (None keeps that input size).
        return_indices: also return the flat argmax indices.

    Returns:
        The pooled tensor (and indices).

    Example:
        >>> F.adaptive_max_pool2d(ember.ones(1, 2, 5, 7), (2, 3)).shape
        ember.Size([1, 2, 2, 3])
    """
    return _adaptive_max("adaptive_max_pool2d", 2, input, output_size, return_indices)


def adaptive_max_pool3d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling to a fixed ``(D, H, W)``, as PyTorch's ``adaptive_max_pool3d``.

    Args:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
        output_size: int or triple.
        return_indices: also return the flat argmax indices.

    Returns:
        The pooled tensor (and indices).

    Example:
        >>> F.adaptive_max_pool3d(ember.ones(1, 1, 4, 4, 4), 1).shape
        ember.Size([1, 1, 1, 1, 1])
    """
    return _adaptive_max("adaptive_max_pool3d", 3, input, output_size, return_indices)


def _max_unpoolnd(op: str, nd: int, x: Tensor, indices: Tensor, kernel_size: Any, stride: Any,
                  padding: Any, output_size: Any) -> Tensor:
    _check_input(op, x, (nd + 1, nd + 2))
    if tuple(indices.shape) != tuple(x.shape):
        raise RuntimeError(f"{op}: Expected shape of indices to be same as that of the input "
                           f"tensor ({list(x.shape)}) but got indices tensor with shape: "
                           f"{list(indices.shape)}")
    k, s, p, _ = _pool_args(op, nd, kernel_size, stride, padding)
    in_sp = tuple(x.shape[x.ndim - nd:])
    if output_size is None:
        out = tuple((n - 1) * si - 2 * pi + ki for n, si, pi, ki in zip(in_sp, s, p, k))
    else:
        out = tuple(int(o) for o in tuple(output_size)[-nd:])
    shape = tuple(x.shape[:x.ndim - nd]) + out
    idx = indices._data
    if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= math.prod(out)):
        raise RuntimeError(f"{op}: Found an invalid max index: indices must lie in "
                           f"[0, {math.prod(out)}) for output size {out}")
    return linear_map(x, gather_map(idx, shape, nd, True).T)


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None,
                 padding: Any = 0, output_size: Any = None) -> Tensor:
    """Partial inverse of ``max_pool1d``: put values back at their indices, zeros elsewhere.

    Args:
        input: pooled values.
        indices: the indices ``max_pool1d(..., return_indices=True)`` gave.
        kernel_size: the pooling window.
        stride: the pooling stride (default ``kernel_size``).
        padding: the pooling padding.
        output_size: the size to restore (default from the formula).

    Returns:
        The unpooled tensor.

    Example:
        >>> y, i = F.max_pool1d(ember.tensor([[[1.0, 3.0, 2.0, 4.0]]]), 2, return_indices=True)
        >>> F.max_unpool1d(y, i, 2)
        tensor([[[0., 3., 0., 4.]]])
    """
    return _max_unpoolnd("max_unpool1d", 1, input, indices, kernel_size, stride, padding,
                         output_size)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None,
                 padding: Any = 0, output_size: Any = None) -> Tensor:
    """Partial inverse of ``max_pool2d``, as ``torch.nn.functional.max_unpool2d``.

    Args:
        input: pooled values ``(N, C, H, W)``.
        indices: the flat indices from ``max_pool2d(..., return_indices=True)``.
        kernel_size: the pooling window.
        stride: the pooling stride (default ``kernel_size``).
        padding: the pooling padding.
        output_size: the size to restore (default from the formula).

    Returns:
        The unpooled tensor.

    Example:
        >>> y, i = F.max_pool2d(ember.ones(1, 1, 4, 4), 2, return_indices=True)
        >>> F.max_unpool2d(y, i, 2).shape
        ember.Size([1, 1, 4, 4])
    """
    return _max_unpoolnd("max_unpool2d", 2, input, indices, kernel_size, stride, padding,
                         output_size)


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None,
                 padding: Any = 0, output_size: Any = None) -> Tensor:
    """Partial inverse of ``max_pool3d``, as ``torch.nn.functional.max_unpool3d``.

    Args:
        input: pooled values ``(N, C, D, H, W)``.
        indices: the flat indices from ``max_pool3d(..., return_indices=True)``.
        kernel_size: the pooling window.
        stride: the pooling stride (default ``kernel_size``).
        padding: the pooling padding.
        output_size: the size to restore.

    Returns:
        The unpooled tensor.

    Example:
        >>> y, i = F.max_pool3d(ember.ones(1, 1, 2, 2, 2), 2, return_indices=True)
        >>> F.max_unpool3d(y, i, 2).shape
        ember.Size([1, 1, 2, 2, 2])
    """
    return _max_unpoolnd("max_unpool3d", 3, input, indices, kernel_size, stride, padding,
                         output_size)


def _lp_poolnd(op: str, nd: int, x: Tensor, norm_type: float, kernel_size: Any, stride: Any,
               ceil_mode: bool) -> Tensor:
    k = _ntuple(kernel_size, nd, "kernel_size", op)
    pool = avg_pool1d if nd == 1 else avg_pool2d
    out = pool(x ** norm_type, k, stride, 0, ceil_mode)
    return (out * math.prod(k)) ** (1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling ``(sum x**p)**(1/p)`` over 1-D windows, as PyTorch's ``lp_pool1d``.

    Args:
        input: ``(N, C, L)``.
        norm_type: the power ``p``.
        kernel_size: window size.
        stride: window step (default ``kernel_size``).
        ceil_mode: ceil instead of floor for the output length.

    Returns:
        The pooled tensor.

    Example:
        >>> F.lp_pool1d(ember.tensor([[[3.0, 4.0]]]), 2, 2)
        tensor([[[5.]]])
    """
    return _lp_poolnd("lp_pool1d", 1, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling over 2-D windows, as PyTorch's ``lp_pool2d``.

    Args:
        input: ``(N, C, H, W)``.
        norm_type: the power ``p``.
        kernel_size: int or pair.
        stride: int or pair (default ``kernel_size``).
        ceil_mode: ceil instead of floor in the output size.

    Returns:
        The pooled tensor.

    Example:
        >>> F.lp_pool2d(ember.ones(1, 1, 2, 2), 2, 2)
        tensor([[[[2.]]]])
    """
    return _lp_poolnd("lp_pool2d", 2, input, norm_type, kernel_size, stride, ceil_mode)


# -- padding ----------------------------------------------------------------------------------


def _pad_index(n: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """Source index of every padded position along one axis."""
    j = np.arange(-lo, n + hi)
    if mode == "reflect":
        j = np.abs(j)
        return np.where(j >= n, 2 * (n - 1) - j, j)
    if mode == "replicate":
        return np.clip(j, 0, n - 1)
    return j % n


def _take_adj(g: Any, idx: np.ndarray, axis: int, n: int, lo: int) -> Any:
    """The adjoint of ``take(x, idx, axis)`` when ``idx[lo:lo + n]`` is the identity."""
    head = (slice(None),) * axis
    res = g[head + (slice(lo, lo + n),)].copy()
    for j in (*range(lo), *range(lo + n, len(idx))):
        res[head + (int(idx[j]),)] += g[head + (j,)]
    return res


@dataclass(frozen=True, eq=False)
class _PadSpec:
    lo: tuple[int, ...]
    hi: tuple[int, ...]
    mode: str

    def cut(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return tuple(max(-a, 0) for a in self.lo), tuple(max(-b, 0) for b in self.hi)

    def grow(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return tuple(max(a, 0) for a in self.lo), tuple(max(b, 0) for b in self.hi)


def _pad_fwd(x: Any, spec: _PadSpec, value: Any) -> Any:
    nd = len(spec.lo)
    lead = x.ndim - nd
    (clo, chi), (plo, phi) = spec.cut(), spec.grow()
    if any(clo) or any(chi):
        x = ck.crop(x, clo, tuple(n - a - b for n, a, b in zip(x.shape[lead:], clo, chi)))
    if spec.mode == "constant":
        out = ck.pad_zeros(x, plo, phi, fill=value)
        return out.copy() if out is x else out
    xp = get_xp(x)
    for ax in range(nd):
        if plo[ax] or phi[ax]:
            idx = _pad_index(x.shape[lead + ax], plo[ax], phi[ax], spec.mode)
            x = xp.take(x, xp.asarray(idx), axis=lead + ax)
    return x


def _pad_adj(g: Any, spec: _PadSpec, in_sp: tuple[int, ...]) -> Any:
    nd = len(spec.lo)
    lead = g.ndim - nd
    (clo, chi), (plo, phi) = spec.cut(), spec.grow()
    mid = tuple(n - a - b for n, a, b in zip(in_sp, clo, chi))
    if spec.mode == "constant":
        g = ck.crop(g, plo, mid)
    else:
        for ax in reversed(range(nd)):
            if plo[ax] or phi[ax]:
                idx = _pad_index(mid[ax], plo[ax], phi[ax], spec.mode)
                g = _take_adj(g, idx, lead + ax, mid[ax], plo[ax])
    return get_xp(g).ascontiguousarray(ck.pad_zeros(g, clo, chi))


def _check_pad(x: Tensor, spec: _PadSpec, mode: str) -> None:
    nd = len(spec.lo)
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise NotImplementedError(f"pad: unsupported padding mode {mode!r}; use 'constant', "
                                  "'reflect', 'replicate' or 'circular'")
    in_sp = x.shape[x.ndim - nd:]
    if mode != "constant":
        if nd > 3 or x.ndim not in (nd + 1, nd + 2):
            raise NotImplementedError(
                f"pad: {mode} padding of the last {nd} dims needs a {nd + 1}D or {nd + 2}D "
                f"input, got {x.ndim}D; only 1-3 trailing dims can be padded in this mode")
        for a, b, n in zip(spec.lo, spec.hi, in_sp):
            limit = {"circular": n, "reflect": n - 1}.get(mode, max(a, b))
            if max(a, b) > limit or n == 0:
                raise RuntimeError(f"pad: padding ({a}, {b}) is too large for {mode} padding "
                                   f"of a dimension of size {n} (at most {limit})")
    if any(n + a + b < 0 for n, a, b in zip(in_sp, spec.lo, spec.hi)):
        raise RuntimeError(f"pad: the padded size of input {list(x.shape)} with pad "
                           f"{spec.lo}/{spec.hi} would be negative")


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant",
        value: float | None = None) -> Tensor:
    """Pad the trailing dimensions, as ``torch.nn.functional.pad``.

    Args:
        input: the tensor.
        pad: ``(left, right)`` for the last dim, then ``(top, bottom)`` for the one before,
            and so on; negative values crop (constant mode).
        mode: ``"constant"``, ``"reflect"``, ``"replicate"`` or ``"circular"``.
        value: fill value for constant padding (default 0).

    Returns:
        The padded tensor.

    Example:
        >>> F.pad(ember.tensor([[1.0, 2.0, 3.0]]), (2, 1), mode="reflect")
        tensor([[3., 2., 1., 2., 3., 2.]])
    """
    pads = [int(p) for p in pad]
    if len(pads) % 2 or len(pads) // 2 > input.ndim:
        raise ValueError(f"pad: padding length must be even and at most twice the number of "
                         f"dimensions ({input.ndim}), got {len(pads)}")
    nd = len(pads) // 2
    if mode != "constant" and value is not None:
        raise ValueError(f'pad: padding mode "{mode}" doesn\'t take in value argument')
    spec = _PadSpec(tuple(pads[2 * (nd - 1 - i)] for i in range(nd)),
                    tuple(pads[2 * (nd - 1 - i) + 1] for i in range(nd)), mode)
    _check_pad(input, spec, mode)
    in_sp = tuple(input.shape[input.ndim - nd:])
    fill = 0 if value is None else value
    m = Lin(partial(_pad_fwd, spec=spec, value=fill), partial(_pad_adj, spec=spec, in_sp=in_sp),
             partial(_pad_fwd, spec=spec, value=0))
    return linear_map(input, m)


# -- resampling -------------------------------------------------------------------------------

_INTERP_DIMS = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}


def _interp_sizes(op: str, in_sp: tuple[int, ...], size: Any, scale_factor: Any,
                  recompute: bool | None) -> tuple[tuple[int, ...], tuple[float | None, ...]]:
    nd = len(in_sp)
    if (size is None) == (scale_factor is None):
        raise ValueError(f"{op}: exactly one of size or scale_factor must be given")
    if size is not None:
        out = _ntuple(size, nd, "size", op)
        return out, (None,) * nd
    sf = tuple(float(v) for v in scale_factor) if isinstance(scale_factor, (list, tuple)) \
        else (float(scale_factor),) * nd
    if len(sf) != nd:
        raise ValueError(f"{op}: scale_factor must have {nd} elements, got {scale_factor}")
    out = tuple(int(math.floor(n * f)) for n, f in zip(in_sp, sf))
    return out, ((None,) * nd if recompute else sf)


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None,
                mode: str = "nearest", align_corners: bool | None = None,
                recompute_scale_factor: bool | None = None, antialias: bool = False) -> Tensor:
    """Resize ``(N, C, *spatial)`` by resampling, as ``torch.nn.functional.interpolate``.

    Args:
        input: 3D, 4D or 5D tensor.
        size: output spatial size.
        scale_factor: multiplier for the spatial size (instead of ``size``).
        mode: ``"nearest"``, ``"nearest-exact"``, ``"linear"`` (3D), ``"bilinear"`` /
            ``"bicubic"`` (4D), ``"trilinear"`` (5D) or ``"area"``.
        align_corners: for the linear and cubic modes, map corner pixel centres onto each other.
        recompute_scale_factor: compute the source scale from the output size instead of
            using ``scale_factor``.
        antialias: not supported (must be False).

    Returns:
        The resized tensor.

    Example:
        >>> F.interpolate(ember.tensor([[[1.0, 2.0]]]), scale_factor=2, mode="linear")
        tensor([[[1.0000, 1.2500, 1.7500, 2.0000]]])
    """
    _check_input("interpolate", input, (3, 4, 5))
    nd = input.ndim - 2
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not supported; pre-blur "
                                  "with avg_pool2d or use antialias=False")
    if mode in _INTERP_DIMS and _INTERP_DIMS[mode] != nd:
        raise NotImplementedError(f"interpolate: mode {mode!r} needs a {_INTERP_DIMS[mode] + 2}D "
                                  f"input, got {input.ndim}D")
    if mode not in _INTERP_DIMS and mode not in ("nearest", "nearest-exact", "area"):
        raise NotImplementedError(f"interpolate: unknown mode {mode!r}")
    if align_corners is not None and mode not in _INTERP_DIMS:
        raise ValueError("align_corners option can only be set with the interpolating modes: "
                         "linear | bilinear | bicubic | trilinear")
    _check_float("interpolate", input)
    in_sp = tuple(input.shape[2:])
    out, scales = _interp_sizes("interpolate", in_sp, size, scale_factor, recompute_scale_factor)
    if mode == "area":
        return _adaptive_avg("interpolate", nd, input, out)
    kind = "cubic" if mode == "bicubic" else ("linear" if mode in _INTERP_DIMS else mode)
    m = pk.AxisMatrices(tuple(pk.interp_matrix(n, o, kind, bool(align_corners), sc)
                              for n, o, sc in zip(in_sp, out, scales)))
    return linear_map(input, Lin(m.fwd, m.T.fwd))


def upsample(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """Deprecated alias of ``interpolate``."""
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:
    """``interpolate(..., mode="nearest")`` (deprecated in PyTorch)."""
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size: Any = None, scale_factor: Any = None) -> Tensor:
    """``interpolate(..., mode="bilinear", align_corners=True)`` (deprecated in PyTorch)."""
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear",
                padding_mode: str = "zeros", align_corners: bool | None = None) -> Tensor:
    """Sample ``input`` at the normalised ``(x, y)`` points of ``grid``, as PyTorch's.

    Args:
        input: ``(N, C, H, W)``.
        grid: ``(N, H_out, W_out, 2)``, coordinates in [-1, 1] (x first).
        mode: ``"bilinear"`` or ``"nearest"``.
        padding_mode: ``"zeros"``, ``"border"`` or ``"reflection"`` for points outside.
        align_corners: -1 and 1 are the centres (True) or the outer edges (False) of the
            corner pixels.

    Returns:
        ``(N, C, H_out, W_out)``.

    Example:
        >>> x = ember.arange(4.0).reshape(1, 1, 2, 2)
        >>> F.grid_sample(x, ember.zeros(1, 1, 1, 2), align_corners=False)
        tensor([[[[1.5000]]]])
    """
    _check_input("grid_sample", input, (4, 5))
    if input.ndim == 5 or mode == "bicubic":
        raise NotImplementedError("grid_sample: only 4D input with 'bilinear' or 'nearest' "
                                  "mode is supported")
    if mode not in ("bilinear", "nearest"):
        raise ValueError(f"grid_sample: expected mode 'bilinear' or 'nearest', got {mode!r}")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError("grid_sample: padding_mode must be 'zeros', 'border' or 'reflection', "
                         f"got {padding_mode!r}")
    if grid.ndim != 4 or grid.shape[-1] != 2 or grid.shape[0] != input.shape[0]:
        raise RuntimeError(f"grid_sample: expected grid of shape (N={input.shape[0]}, H, W, 2), "
                           f"got {list(grid.shape)}")
    if grid._data.dtype != input._data.dtype:
        raise RuntimeError(f"grid_sample: input ({input.dtype}) and grid ({grid.dtype}) must "
                           "have the same dtype")
    _check_float("grid_sample", input)
    return GridSample.apply(input, grid, (mode, padding_mode, bool(align_corners)))


def _base_coords(n: int, align_corners: bool) -> np.ndarray:
    if n <= 1:
        return np.zeros(max(n, 0))
    c = np.linspace(-1.0, 1.0, n)
    return c if align_corners else c * (n - 1) / n


def affine_grid(theta: Tensor, size: Sequence[int], align_corners: bool | None = None) -> Tensor:
    """Sampling grid of an affine transform, as ``torch.nn.functional.affine_grid``.

    Args:
        theta: ``(N, 2, 3)`` (2-D) or ``(N, 3, 4)`` (3-D) affine matrices.
        size: the target ``(N, C, H, W)`` or ``(N, C, D, H, W)``.
        align_corners: as in ``grid_sample``.

    Returns:
        ``(N, H, W, 2)`` or ``(N, D, H, W, 3)`` normalised coordinates.

    Example:
        >>> theta = ember.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
        >>> F.affine_grid(theta, (1, 1, 2, 2), align_corners=True)[0, 0, 0]
        tensor([-1., -1.])
    """
    size = [int(s) for s in size]
    nd = len(size) - 2
    if nd not in (2, 3) or theta.ndim != 3 or tuple(theta.shape[1:]) != (nd, nd + 1) \
            or theta.shape[0] != size[0]:
        raise ValueError(f"affine_grid: expected theta of shape (N={size[0]}, 2, 3) for 4D size "
                         f"or (N, 3, 4) for 5D size, got theta {list(theta.shape)} and size "
                         f"{size}")
    sp = size[2:]
    axes = [_base_coords(n, bool(align_corners)) for n in sp]
    mesh = np.meshgrid(*axes, indexing="ij")  # (D,) H, W
    base = np.stack([*mesh[::-1], np.ones(sp)], axis=-1)  # x, y, (z), 1
    xp = get_xp(theta._data)
    b = _wrap(xp.asarray(base.astype(theta._data.dtype))).reshape((1, *sp, 1, nd + 1))
    th = theta.reshape((size[0],) + (1,) * nd + (nd, nd + 1))
    return (b * th).sum(dim=-1)


# -- unfold / fold ----------------------------------------------------------------------------


def _fold_geom(op: str, size: Any, kernel_size: Any, dilation: Any, padding: Any,
               stride: Any) -> ck.ConvGeom:
    k = _ntuple(kernel_size, 2, "kernel_size", op)
    d = _ntuple(dilation, 2, "dilation", op)
    p = _ntuple(padding, 2, "padding", op)
    s = _ntuple(stride, 2, "stride", op)
    if any(v <= 0 for v in k + d + s) or any(v < 0 for v in p):
        raise RuntimeError(f"{op}: kernel_size, dilation and stride must be positive and "
                           f"padding non-negative, got k={k}, d={d}, p={p}, s={s}")
    g = ck.ConvGeom(tuple(int(v) for v in size), k, s, p, p, d)
    if any(o <= 0 for o in g.out_size):
        raise RuntimeError(f"{op}: Given input size {tuple(size)}, kernel_size={k}, "
                           f"dilation={d}, padding={p}, stride={s}, calculated shape of the "
                           f"array of sliding blocks {g.out_size} is too small")
    return g


def unfold(input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
           stride: Any = 1) -> Tensor:
    """Extract sliding blocks (im2col), as ``torch.nn.functional.unfold``.

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size: block size.
        dilation: spacing inside a block.
        padding: zero padding on both sides.
        stride: step between blocks.

    Returns:
        ``(N, C * kH * kW, L)`` with ``L`` the number of blocks.

    Example:
        >>> F.unfold(ember.ones(1, 2, 3, 3), 2).shape
        ember.Size([1, 8, 4])
    """
    _check_input("unfold", input, (3, 4))
    x = input.reshape((1,) + tuple(input.shape)) if input.ndim == 3 else input
    g = _fold_geom("unfold", x.shape[2:], kernel_size, dilation, padding, stride)
    out = linear_map(x, Lin(partial(ck.im2col, g=g), partial(ck.col2im, g=g)))
    return out.reshape(tuple(out.shape[1:])) if input.ndim == 3 else out


def fold(input: Tensor, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
         stride: Any = 1) -> Tensor:
    """Sum sliding blocks back into an image (col2im), as ``torch.nn.functional.fold``.

    Args:
        input: ``(N, C * kH * kW, L)`` or ``(C * kH * kW, L)``.
        output_size: the image's ``(H, W)``.
        kernel_size: block size.
        dilation: spacing inside a block.
        padding: zero padding on both sides.
        stride: step between blocks.

    Returns:
        ``(N, C, H, W)``; overlapping blocks are summed.

    Example:
        >>> F.fold(ember.ones(1, 4, 4), (3, 3), 2)[0, 0]
        tensor([[1., 2., 1.],
                [2., 4., 2.],
                [1., 2., 1.]])
    """
    _check_input("fold", input, (2, 3))
    x = input.reshape((1,) + tuple(input.shape)) if input.ndim == 2 else input
    g = _fold_geom("fold", _ntuple(output_size, 2, "output_size", "fold"), kernel_size,
                   dilation, padding, stride)
    kk = math.prod(g.kernel)
    if x.shape[1] % kk or x.shape[2] != math.prod(g.out_size):
        raise RuntimeError(f"fold: expected input of shape (N, C * {kk}, "
                           f"{math.prod(g.out_size)}) for output_size {g.in_size} and "
                           f"kernel_size {g.kernel}, got {list(input.shape)}")
    out = linear_map(x, Lin(partial(ck.col2im, g=g), partial(ck.im2col, g=g)))
    return out.reshape(tuple(out.shape[1:])) if input.ndim == 2 else out


# -- channel shuffles -------------------------------------------------------------------------


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """``(*, C * r * r, H, W) -> (*, C, H * r, W * r)``, as ``torch.nn.functional.pixel_shuffle``.

    Args:
        input: at least 3D.
        upscale_factor: ``r``.

    Returns:
        The rearranged tensor.

    Example:
        >>> F.pixel_shuffle(ember.ones(1, 8, 2, 3), 2).shape
        ember.Size([1, 2, 4, 6])
    """
    r = int(upscale_factor)
    if input.ndim < 3 or r <= 0 or input.shape[-3] % (r * r):
        raise RuntimeError(f"pixel_shuffle: expected a >=3D input whose channels "
                           f"({input.shape[-3] if input.ndim >= 3 else '?'}) are divisible by "
                           f"upscale_factor**2 = {r * r}, got {list(input.shape)}")
    *lead, c, h, w = input.shape
    x = input.reshape((*lead, c // (r * r), r, r, h, w))
    n = len(lead)
    x = x.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return x.reshape((*lead, c // (r * r), h * r, w * r))


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """``(*, C, H * r, W * r) -> (*, C * r * r, H, W)``, the inverse of ``pixel_shuffle``.

    Args:
        input: at least 3D.
        downscale_factor: ``r``.

    Returns:
        The rearranged tensor.

    Example:
        >>> F.pixel_unshuffle(ember.ones(1, 2, 4, 6), 2).shape
        ember.Size([1, 8, 2, 3])
    """
    r = int(downscale_factor)
    if input.ndim < 3 or r <= 0 or input.shape[-1] % r or input.shape[-2] % r:
        raise RuntimeError(f"pixel_unshuffle: expected a >=3D input whose height and width are "
                           f"divisible by downscale_factor={r}, got {list(input.shape)}")
    *lead, c, h, w = input.shape
    x = input.reshape((*lead, c, h // r, r, w // r, r))
    n = len(lead)
    x = x.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return x.reshape((*lead, c * r * r, h // r, w // r))


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """Interleave channel groups, as ``torch.nn.functional.channel_shuffle``.

    Args:
        input: ``(N, C, *)`` with ``C`` divisible by ``groups``.
        groups: number of groups.

    Returns:
        The tensor with channels reordered ``(g, c) -> (c, g)``.

    Example:
        >>> F.channel_shuffle(ember.arange(4.0).reshape(1, 4, 1), 2).flatten()
        tensor([0., 2., 1., 3.])
    """
    g = int(groups)
    if input.ndim < 3 or g <= 0 or input.shape[1] % g:
        raise RuntimeError(f"channel_shuffle: expected a >=3D input whose channels are "
                           f"divisible by groups={g}, got {list(input.shape)}")
    n, c, *rest = input.shape
    x = input.reshape((n, g, c // g, *rest)).transpose(1, 2)
    return x.reshape((n, c, *rest))
