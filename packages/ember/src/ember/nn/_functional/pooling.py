"""Functional max, average, adaptive, Lp pooling and max unpooling (1-3D)."""

from __future__ import annotations

import math
from functools import partial
from typing import Any

from ember._tensor import Tensor
from ember.backends import get_xp
from ember.nn._functional import _convkern as ck
from ember.nn._functional import _poolkern as pk
from ember.nn._functional._utils import _check_float, _check_input, _nc, _ntuple
from ember.ops.nn.pooling import IndexPool, Lin, gather_map, linear_map

__all__ = [
    "max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices", "max_pool2d_with_indices",
    "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d", "avg_pool3d", "adaptive_avg_pool1d",
    "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool2d",
    "adaptive_max_pool3d", "max_unpool1d", "max_unpool2d", "max_unpool3d", "lp_pool1d", "lp_pool2d",
    "lp_pool3d", "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
    "adaptive_max_pool3d_with_indices",
]


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


class _DimIndexError(IndexError, RuntimeError):
    """IndexError as PyTorch raises it, and RuntimeError as ember raised it before."""


def _avg_poolnd(op: str, nd: int, x: Tensor, kernel_size: Any, stride: Any, padding: Any,
                ceil_mode: bool, count_include_pad: bool, divisor_override: Any) -> Tensor:
    if x.ndim < nd + 1:
        # PyTorch indexes dim -(nd + 1) before checking the rank, so it raises IndexError here.
        raise _DimIndexError(
            f"{op}: Dimension out of range (expected to be in range of [{-max(x.ndim, 1)}, "
            f"{max(x.ndim, 1) - 1}], but got {-(nd + 1)}); expected {nd + 1}D or {nd + 2}D input"
        )
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


def adaptive_max_pool1d_with_indices(input: Tensor, output_size: Any,
                                     return_indices: bool = True) -> Any:
    """``adaptive_max_pool1d(..., return_indices=True)``: the output and its indices."""
    return adaptive_max_pool1d(input, output_size, True)


def adaptive_max_pool2d_with_indices(input: Tensor, output_size: Any,
                                     return_indices: bool = True) -> Any:
    """``adaptive_max_pool2d(..., return_indices=True)``: the output and its indices."""
    return adaptive_max_pool2d(input, output_size, True)


def adaptive_max_pool3d_with_indices(input: Tensor, output_size: Any,
                                     return_indices: bool = True) -> Any:
    """``adaptive_max_pool3d(..., return_indices=True)``: the output and its indices."""
    return adaptive_max_pool3d(input, output_size, True)


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
    if norm_type in (math.inf, -math.inf):
        pool = (max_pool1d, max_pool2d, max_pool3d)[nd - 1]
        sign = 1 if norm_type > 0 else -1
        return sign * pool(sign * x.abs(), kernel_size, stride, 0, 1, ceil_mode)
    pool = (avg_pool1d, avg_pool2d, avg_pool3d)[nd - 1]
    out = pool(x ** norm_type, kernel_size, stride, 0, ceil_mode)
    # As PyTorch: window sums that come out negative (odd powers) are clamped to zero.
    return (out.sign() * out.abs().relu() * math.prod(k)) ** (1.0 / norm_type)


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


def lp_pool3d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """Power-average pooling over 3-D windows, as PyTorch's ``lp_pool3d``.

    Args:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
        norm_type: the power ``p`` (``inf`` gives max pooling of ``|x|``).
        kernel_size: int or triple.
        stride: int or triple (default ``kernel_size``).
        ceil_mode: ceil instead of floor in the output size.

    Returns:
        The pooled tensor.

    Example:
        >>> F.lp_pool3d(ember.ones(1, 1, 2, 2, 2), 2, 2)
        tensor([[[[[2.8284]]]]])
    """
    return _lp_poolnd("lp_pool3d", 3, input, norm_type, kernel_size, stride, ceil_mode)
