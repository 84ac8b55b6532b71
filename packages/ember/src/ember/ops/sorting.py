"""Sorting, selection and scans: sort, topk, median, unique, cumsum/cumprod, searchsorted, ...

Ops that pick elements (sort, topk, kthvalue, median, cummax) return their values through one
differentiable gather, ``take_along``, whose gradient is a scatter-add (``put_along``) and vice
versa, so every one of them is twice differentiable without a backward of its own.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ember import _dtype
from ember._dtype import np_kind
from ember._tensor import Tensor, _wrap
from ember.autograd.function import Primitive
from ember.backends import get_xp
from ember.ops._dims import require_dims, wrap_dim
from ember.ops._util import return_type
from ember.ops.elementwise import exp, log
from ember.ops.inplace import apply_inplace

__all__ = [
    "sort", "argsort", "msort", "topk", "kthvalue", "median", "nanmedian", "unique",
    "unique_consecutive", "cumsum", "cumprod", "cummax", "cummin", "logcumsumexp",
    "searchsorted", "bucketize", "bincount", "histc", "diff", "quantile", "nanquantile", "mode",
    "trapezoid", "trapz", "cumulative_trapezoid",
]

# PyTorch's torch.return_types: tuples whose fields are also attributes.
SortResult = return_type("sort", ["values", "indices"])
TopkResult = return_type("topk", ["values", "indices"])
KthvalueResult = return_type("kthvalue", ["values", "indices"])
MedianResult = return_type("median", ["values", "indices"])
CummaxResult = return_type("cummax", ["values", "indices"])
CumminResult = return_type("cummin", ["values", "indices"])
ModeResult = return_type("mode", ["values", "indices"])


# -- the differentiable gather / scatter-add pair ------------------------------------------------
def _fancy(idx: Any, axis: int, shape: tuple[int, ...]) -> tuple[Any, ...]:
    """The fancy-index tuple that picks ``idx`` along ``axis`` (NumPy's take_along_axis rule)."""
    xp = get_xp(idx)
    nd = len(shape)
    out = []
    for d in range(nd):
        if d == axis:
            out.append(idx)
        else:
            view = [1] * nd
            view[d] = shape[d]
            out.append(xp.arange(shape[d]).reshape(view))
    return tuple(out)


class TakeAlong(Primitive):
    """``x`` picked at integer ``idx`` along ``axis``; the gradient is a scatter-add."""

    @staticmethod
    def forward(ctx, x, idx, axis):
        ctx.meta = (x.shape, idx, axis)
        if x.ndim == 0:
            return x.reshape(1)[idx]
        return x[_fancy(idx, axis, x.shape)]

    @staticmethod
    def backward(ctx, grad):
        shape, idx, axis = ctx.meta
        return put_along(grad, idx, axis, shape), None, None


class PutAlong(Primitive):
    """Zeros of ``shape`` with ``src`` added at ``idx`` along ``axis`` (repeats accumulate)."""

    @staticmethod
    def forward(ctx, src, idx, axis, shape):
        ctx.meta = (idx, axis)
        xp = get_xp(src)
        out = xp.zeros(shape, dtype=src.dtype)
        if len(shape) == 0:
            out[()] = src.sum()
            return out
        xp.add.at(out, _fancy(idx, axis, shape), src)
        return out

    @staticmethod
    def backward(ctx, grad):
        idx, axis = ctx.meta
        return take_along(grad, idx, axis), None, None, None


def take_along(x: Tensor, idx: Any, axis: int) -> Tensor:
    """Differentiable ``take_along_axis`` with a raw integer index array."""
    return TakeAlong.apply(x, idx, axis)


def put_along(src: Tensor, idx: Any, axis: int, shape: tuple[int, ...]) -> Tensor:
    """Differentiable scatter-add of ``src`` into zeros of ``shape`` at ``idx`` along ``axis``."""
    return PutAlong.apply(src, idx, axis, shape)


# -- sorting and selection -----------------------------------------------------------------------
def _dim(input: Tensor, dim: int, op: str) -> int:
    """``dim`` wrapped; a 0-d tensor takes 0 or -1 (as PyTorch), an IndexError otherwise."""
    return wrap_dim(dim, input._data.ndim, op)


def _argsort(data: Any, axis: int, descending: bool) -> Any:
    """Stable argsort; descending keeps equal elements in their original order, NaN first."""
    xp = get_xp(data)
    if data.ndim == 0:
        return xp.zeros((), dtype=np.int64)
    if not descending:
        return xp.argsort(data, axis=axis, kind="stable")
    n = data.shape[axis]
    rev = xp.flip(xp.argsort(xp.flip(data, axis), axis=axis, kind="stable"), axis)
    return (n - 1) - rev


def sort(input: Tensor, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Any:
    """Sort along ``dim``; returns ``(values, indices)``.

    Args:
        input: the tensor.
        dim: dimension to sort along.
        descending: largest first.
        stable: keep equal elements in their original order (ember always sorts stably).

    Returns:
        A named tuple ``(values, indices)``; ``values`` is differentiable.

    Example:
        >>> ember.sort(ember.tensor([3.0, 1.0, 2.0])).indices
        tensor([1, 2, 0])
    """
    axis = _dim(input, dim, "sort")
    idx = _argsort(input._data, axis, descending)
    return SortResult(take_along(input, idx, axis), _wrap(idx.astype(np.int64, copy=False)))


def argsort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """The indices that sort ``input`` along ``dim``.

    Example:
        >>> ember.argsort(ember.tensor([3.0, 1.0, 2.0]), descending=True)
        tensor([0, 2, 1])
    """
    axis = _dim(input, dim, "argsort")
    return _wrap(_argsort(input._data, axis, descending).astype(np.int64, copy=False))


def msort(input: Tensor) -> Tensor:
    """Values sorted along the first dimension."""
    return sort(input, 0).values


def _narrow_idx(idx: Any, axis: int, start: int, stop: int) -> Any:
    sl = [slice(None)] * idx.ndim
    sl[axis] = slice(start, stop)
    return idx[tuple(sl)]


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:
    """The ``k`` largest (or smallest) elements along ``dim``.

    Args:
        input: the tensor.
        k: how many elements.
        dim: dimension to select along.
        largest: pick the largest (else the smallest).
        sorted: return them in sorted order (always the case here).

    Returns:
        A named tuple ``(values, indices)``.

    Example:
        >>> ember.topk(ember.tensor([1.0, 5.0, 3.0]), 2).values
        tensor([5., 3.])
    """
    if input._data.ndim == 0:
        wrap_dim(dim, 0, "topk")
        values, indices = topk(input.reshape(1), k, 0, largest, sorted)
        return TopkResult(values.reshape(()), indices.reshape(()))
    axis = _dim(input, dim, "topk")
    n = input._data.shape[axis] if input._data.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    idx = _narrow_idx(_argsort(input._data, axis, largest), axis, 0, k)
    return TopkResult(take_along(input, idx, axis), _wrap(idx.astype(np.int64, copy=False)))


def _pick(input: Tensor, idx: Any, axis: int, keepdim: bool, cls: Any) -> Any:
    """Values and indices at ``idx`` (size 1 along ``axis``), reduced unless ``keepdim``."""
    values = take_along(input, idx, axis)
    indices = _wrap(idx.astype(np.int64, copy=False))
    if not keepdim and input._data.ndim:
        shape = tuple(s for i, s in enumerate(idx.shape) if i != axis)
        values, indices = values.reshape(shape), indices.reshape(shape)
    return cls(values, indices)


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> Any:
    """The ``k``-th smallest element (1-based) along ``dim``.

    Example:
        >>> ember.kthvalue(ember.tensor([3.0, 1.0, 2.0]), 2).values
        tensor(2.)
    """
    axis = _dim(input, dim, "kthvalue")
    n = input._data.shape[axis] if input._data.ndim else 1
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {axis}")
    if not input._data.ndim:  # a scalar is its own k-th value, at index 0
        out = kthvalue(input.reshape(1), k, 0, keepdim)
        return KthvalueResult(out.values.reshape(()), out.indices.reshape(()))
    idx = _narrow_idx(_argsort(input._data, axis, False), axis, k - 1, k)
    return _pick(input, idx, axis, keepdim, KthvalueResult)


def _median_idx(data: Any, axis: int, ignore_nan: bool) -> Any:
    """Index of the lower median along ``axis``; a NaN's index when NaN propagates."""
    xp = get_xp(data)
    order = _argsort(data, axis, False)
    n = data.shape[axis]
    if np_kind(data.dtype) not in "fc":
        return _narrow_idx(order, axis, (n - 1) // 2, (n - 1) // 2 + 1)
    nans = xp.isnan(data)
    count = n - nans.sum(axis=axis, keepdims=True)
    pos = (count - 1) // 2 if ignore_nan else xp.full_like(count, (n - 1) // 2)
    pos = xp.maximum(pos, 0)
    idx = xp.take_along_axis(order, pos, axis)
    if not ignore_nan:
        first_nan = xp.argmax(nans, axis=axis, keepdims=True)
        idx = xp.where(count < n, first_nan, idx)
    return idx


def _median(input: Tensor, dim: Any, keepdim: bool, ignore_nan: bool, op: str) -> Any:
    if dim is None:
        flat = input.reshape(-1)
        if flat._data.size == 0:
            return _wrap(get_xp(flat._data).full((), np.nan, dtype=flat._data.dtype))
        idx = _median_idx(flat._data, 0, ignore_nan)
        return take_along(flat, idx, 0).reshape(())
    axis = _dim(input, dim, op)
    data = input._data if input._data.ndim else input._data.reshape(1)
    idx = _median_idx(data, axis, ignore_nan)
    src = input if input._data.ndim else input.reshape(1)
    out = _pick(src, idx, axis, keepdim or not input._data.ndim, MedianResult)
    if not input._data.ndim:
        return MedianResult(out.values.reshape(()), out.indices.reshape(()))
    return out


def median(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """The lower median: of all elements (a tensor), or along ``dim`` (``(values, indices)``).

    For an even count this is the smaller of the two middle values, as in PyTorch; NaN
    propagates (use ``nanmedian`` to ignore it).

    Example:
        >>> ember.median(ember.tensor([4.0, 1.0, 3.0, 2.0]))
        tensor(2.)
    """
    return _median(input, dim, keepdim, False, "median")


def nanmedian(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """``median`` ignoring NaN values.

    Example:
        >>> ember.nanmedian(ember.tensor([1.0, float("nan"), 3.0]))
        tensor(1.)
    """
    return _median(input, dim, keepdim, True, "nanmedian")


# -- unique --------------------------------------------------------------------------------------
def _unique_result(values: Any, inverse: Any, counts: Any, return_inverse: bool,
                   return_counts: bool) -> Any:
    out = [_wrap(values)]
    if return_inverse:
        out.append(_wrap(inverse.astype(np.int64, copy=False)))
    if return_counts:
        out.append(_wrap(counts.astype(np.int64, copy=False)))
    return out[0] if len(out) == 1 else tuple(out)


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False,
           return_counts: bool = False, dim: int | None = None) -> Any:
    """The distinct elements (or distinct slices along ``dim``), in ascending order.

    Args:
        input: the tensor.
        sorted: accepted for compatibility; the result is always sorted.
        return_inverse: also return where each element went in the output.
        return_counts: also return how often each distinct value occurs.
        dim: find distinct slices along this dimension (None: flatten).

    Returns:
        The unique values, plus ``inverse`` and/or ``counts`` when asked for.

    Example:
        >>> ember.unique(ember.tensor([3, 1, 3, 2]))
        tensor([1, 2, 3])
    """
    data = input._data
    xp = get_xp(data)
    if dim is None:
        vals, inv, counts = xp.unique(data.reshape(-1), return_inverse=True, return_counts=True)
        return _unique_result(vals, inv.reshape(data.shape), counts, return_inverse,
                              return_counts)
    axis = wrap_dim(dim, data.ndim, "unique")
    rest = tuple(s for i, s in enumerate(data.shape) if i != axis)
    # the row length spelled out: -1 cannot be inferred when a dimension is 0
    moved = xp.moveaxis(data, axis, 0).reshape(data.shape[axis], math.prod(rest))
    rows, inv, counts = _unique_rows(moved)
    vals = xp.moveaxis(rows.reshape((rows.shape[0],) + rest), 0, axis)
    return _unique_result(vals, inv, counts, return_inverse, return_counts)


def _unique_rows(rows: Any) -> tuple[Any, Any, Any]:
    """Distinct rows of a 2-D array in lexicographic order, with inverse and counts."""
    xp = get_xp(rows)
    n = rows.shape[0]
    if n == 0:
        empty = xp.zeros(0, dtype=np.int64)
        return rows, empty, empty
    order = xp.lexsort(rows.T[::-1]) if rows.shape[1] else xp.arange(n)
    srt = rows[order]
    new = xp.ones(n, dtype=bool)
    new[1:] = (srt[1:] != srt[:-1]).any(axis=1)
    group = xp.cumsum(new) - 1
    inv = xp.empty(n, dtype=np.int64)
    inv[order] = group
    starts = xp.nonzero(new)[0]
    counts = xp.diff(xp.concatenate([starts, xp.asarray([n])]))
    return srt[new], inv, counts


def unique_consecutive(input: Tensor, return_inverse: bool = False, return_counts: bool = False,
                       dim: int | None = None) -> Any:
    """Collapse runs of equal consecutive elements (or slices along ``dim``) to one.

    Example:
        >>> ember.unique_consecutive(ember.tensor([1, 1, 2, 2, 1]))
        tensor([1, 2, 1])
    """
    data = input._data
    xp = get_xp(data)
    if dim is not None:
        require_dims("unique_consecutive", data.ndim, dim)
    axis = 0 if dim is None else wrap_dim(dim, data.ndim, "unique_consecutive")
    rest = math.prod(s for i, s in enumerate(data.shape) if i != axis)
    flat = data.reshape(-1, 1) if dim is None else xp.moveaxis(data, axis, 0).reshape(
        data.shape[axis], rest)
    n = flat.shape[0]
    new = xp.ones(n, dtype=bool)
    new[1:] = (flat[1:] != flat[:-1]).any(axis=1)
    inv = xp.cumsum(new) - 1
    starts = xp.nonzero(new)[0]
    counts = xp.diff(xp.concatenate([starts, xp.asarray([n])]))
    if dim is None:
        vals, inv = flat[new].reshape(-1), inv.reshape(data.shape)
    else:
        rest = tuple(s for i, s in enumerate(data.shape) if i != axis)
        vals = xp.moveaxis(flat[new].reshape((-1,) + rest), 0, axis)
    return _unique_result(vals, inv, counts, return_inverse, return_counts)


# -- scans ---------------------------------------------------------------------------------------
def _scan_dtype(data: Any, dtype: Any) -> Any:
    if dtype is not None:
        return _dtype.as_dtype(dtype).np
    return np.int64 if data.dtype.kind in "bui" else None


class Cumsum(Primitive):
    """Running sum along ``axis``; the gradient is the reversed running sum."""

    @staticmethod
    def forward(ctx, x, axis, reverse):
        ctx.meta = (axis, reverse)
        xp = get_xp(x)
        if reverse:
            return xp.flip(xp.cumsum(xp.flip(x, axis), axis=axis), axis)
        return xp.cumsum(x, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        axis, reverse = ctx.meta
        return _cumsum(grad, axis, not reverse), None, None


def _cumsum(x: Tensor, axis: int, reverse: bool = False) -> Tensor:
    return Cumsum.apply(x, axis, reverse)


def cumsum(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Running sum along ``dim``. Integer and bool inputs accumulate in int64.

    Example:
        >>> ember.cumsum(ember.tensor([1.0, 2.0, 3.0]), dim=0)
        tensor([1., 3., 6.])
    """
    npdt = _scan_dtype(input._data, dtype)
    if npdt is not None and input._data.dtype != npdt:
        input = input.to(_dtype.from_numpy_dtype(np.dtype(npdt)))
    axis = _dim(input, dim, "cumsum")
    if input._data.ndim == 0:
        return input.clone()
    return _cumsum(input, axis)


class Cumprod(Primitive):
    """Running product along ``axis``.

    Primitive for speed: without zeros the gradient is ``revcumsum(grad * out) / x`` (O(n));
    with zeros it falls back to an exact leave-one-out form (O(n^2) along ``axis``).
    """

    @staticmethod
    def forward(ctx, x, axis):
        ctx.axis = axis
        y = get_xp(x).cumprod(x, axis=axis)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        axis = ctx.axis
        if not bool((x._data == 0).any()):
            return _cumsum(grad * y, axis, reverse=True) / x, None
        return _cumprod_grad_with_zeros(x, grad, axis), None


def _cumprod_grad_with_zeros(x: Tensor, grad: Tensor, axis: int) -> Tensor:
    """d/dx_k sum_j g_j prod_{i<=j} x_i, as sum_{j>=k} g_j prod_{i<=j, i!=k} x_i."""
    xp = get_xp(x._data)
    nd = x._data.ndim
    last = tuple(d for d in range(nd) if d != axis) + (axis,)
    inv = tuple(int(i) for i in np.argsort(last))
    xl, gl = x.permute(last), grad.permute(last)
    n = xl._data.shape[-1]
    eye = _wrap(xp.eye(n, dtype=x._data.dtype))
    upper = _wrap(xp.triu(xp.ones((n, n), dtype=x._data.dtype)))
    rows = xl.reshape(xl._data.shape[:-1] + (1, n)) * (1 - eye) + eye  # x with x_k set to 1
    loo = cumprod(rows, -1)
    out = (loo * upper * gl.reshape(gl._data.shape[:-1] + (1, n))).sum(-1)
    return out.permute(inv)


def cumprod(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Running product along ``dim``; its gradient is exact even where ``input`` has zeros.

    Example:
        >>> ember.cumprod(ember.tensor([1.0, 2.0, 3.0]), dim=0)
        tensor([1., 2., 6.])
    """
    npdt = _scan_dtype(input._data, dtype)
    if npdt is not None and input._data.dtype != npdt:
        input = input.to(_dtype.from_numpy_dtype(np.dtype(npdt)))
    axis = _dim(input, dim, "cumprod")
    if input._data.ndim == 0:
        return input.clone()
    return Cumprod.apply(input, axis)


def _cum_extreme(input: Tensor, dim: int, largest: bool, cls: Any, op: str) -> Any:
    data = input._data
    axis = _dim(input, dim, op)
    if data.ndim == 0:
        return cls(input.clone(), _wrap(np.zeros((), np.int64)))
    xp = get_xp(data)
    ufunc = xp.maximum if largest else xp.minimum
    running = ufunc.accumulate(data, axis=axis)
    mark = data == running
    if np_kind(data.dtype) == "f":
        mark |= xp.isnan(data)
    shape = [1] * data.ndim
    shape[axis] = data.shape[axis]
    pos = xp.arange(data.shape[axis]).reshape(shape)
    idx = xp.maximum.accumulate(xp.where(mark, pos, 0), axis=axis)
    return cls(take_along(input, idx, axis), _wrap(idx.astype(np.int64, copy=False)))


def cummax(input: Tensor, dim: int) -> Any:
    """Running maximum along ``dim`` and where it was found (the latest index on ties).

    Example:
        >>> ember.cummax(ember.tensor([1.0, 3.0, 2.0]), 0).values
        tensor([1., 3., 3.])
    """
    return _cum_extreme(input, dim, True, CummaxResult, "cummax")


def cummin(input: Tensor, dim: int) -> Any:
    """Running minimum along ``dim`` and where it was found (the latest index on ties).

    Example:
        >>> ember.cummin(ember.tensor([3.0, 1.0, 2.0]), 0).values
        tensor([3., 1., 1.])
    """
    return _cum_extreme(input, dim, False, CumminResult, "cummin")


def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    """``log(cumsum(exp(input)))`` along ``dim``, computed without overflow.

    Example:
        >>> ember.logcumsumexp(ember.tensor([0.0, 0.0]), 0)
        tensor([0.0000, 0.6931])
    """
    axis = _dim(input, dim, "logcumsumexp")
    data = input._data
    shift = get_xp(data).max(data, axis=axis, keepdims=True) if data.size else data
    shift = _wrap(get_xp(data).where(get_xp(data).isfinite(shift), shift, 0))
    return log(cumsum(exp(input - shift), axis)) + shift


# -- searching and counting ----------------------------------------------------------------------
def _index_dtype(out_int32: bool) -> Any:
    return np.int32 if out_int32 else np.int64


def searchsorted(sorted_sequence: Tensor, input: Any, *, out_int32: bool = False,
                 right: bool = False, side: str | None = None, sorter: Tensor | None = None
                 ) -> Tensor:
    """Indices where ``input`` would be inserted into ``sorted_sequence`` to keep it sorted.

    Args:
        sorted_sequence: 1-D, or N-D sorted along the last dimension with leading dims matching
            ``input``'s.
        input: values (a tensor or a number).
        out_int32: return int32 indices.
        right: return the last suitable index instead of the first.
        side: ``"left"`` or ``"right"`` (overrides ``right``).
        sorter: indices that sort ``sorted_sequence``.

    Returns:
        An integer tensor of ``input``'s shape.

    Example:
        >>> ember.searchsorted(ember.tensor([1, 3, 5]), ember.tensor([3, 4]))
        tensor([1, 2])
    """
    seq = sorted_sequence._data
    xp = get_xp(seq)
    vals = input._data if isinstance(input, Tensor) else xp.asarray(input)
    side = side or ("right" if right else "left")
    if sorter is not None:
        seq = xp.take_along_axis(seq, sorter._data, axis=-1)
    dt = _index_dtype(out_int32)
    if seq.ndim > 1 and seq.shape[:-1] != vals.shape[:-1]:
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
            "dimensions of boundaries tensor and input value tensor must match, but we got "
            f"boundaries tensor {list(seq.shape)} and input value tensor {list(vals.shape)}"
        )
    if vals.size == 0 or seq.size == 0:  # nothing to search, or nowhere: every index is 0
        return _wrap(xp.zeros(vals.shape, dtype=dt))
    if seq.dtype.kind == "b" or vals.dtype.kind == "b":
        raise NotImplementedError("\"searchsorted_out_cpu\" not implemented for 'Bool'")
    if seq.ndim == 1:
        return _wrap(xp.searchsorted(seq, vals, side=side).astype(dt))
    rows_s = seq.reshape(-1, seq.shape[-1])
    rows_v = vals.reshape(-1, vals.shape[-1])
    out = xp.empty(rows_v.shape, dtype=dt)
    for i in range(rows_s.shape[0]):
        out[i] = xp.searchsorted(rows_s[i], rows_v[i], side=side)
    return _wrap(out.reshape(vals.shape))


def bucketize(input: Any, boundaries: Tensor, *, out_int32: bool = False,
              right: bool = False) -> Tensor:
    """The bucket of each element of ``input`` given 1-D sorted ``boundaries``.

    With ``right=False`` (the default) the bucket ``i`` satisfies
    ``boundaries[i-1] < x <= boundaries[i]``.

    Example:
        >>> ember.bucketize(ember.tensor([1, 4, 9]), ember.tensor([2, 4, 6]))
        tensor([0, 1, 3])
    """
    if boundaries._data.ndim != 1:
        raise RuntimeError(
            f"boundaries tensor must be 1 dimension, but got dim({boundaries._data.ndim})"
        )
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """Count occurrences of each non-negative integer (or sum ``weights`` per value).

    Example:
        >>> ember.bincount(ember.tensor([0, 1, 1, 3]))
        tensor([1, 2, 0, 1])
    """
    data = input._data
    xp = get_xp(data)
    if data.ndim != 1 or data.dtype.kind not in "iu" or (data.size and int(data.min()) < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return _wrap(xp.bincount(data, minlength=minlength).astype(np.int64))
    w = weights._data
    out_dt = w.dtype if np_kind(w.dtype) == "f" else np.float64
    return _wrap(xp.bincount(data, weights=w, minlength=minlength).astype(out_dt))


def histc(input: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:
    """Histogram with ``bins`` equal-width bins over ``[min, max]`` (the data's range when equal).

    Elements outside the range are ignored.

    Example:
        >>> ember.histc(ember.tensor([1.0, 2.0, 1.0]), bins=4, min=0, max=3)
        tensor([0., 2., 1., 0.])
    """
    data = input._data
    xp = get_xp(data)
    lo, hi = float(min), float(max)
    if lo == hi and data.size:
        lo, hi = float(data.min()), float(data.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        raise RuntimeError("histc(): max must be larger than min")
    counts, _ = xp.histogram(data.reshape(-1), bins=bins, range=(lo, hi))
    return _wrap(counts.astype(data.dtype if np_kind(data.dtype) == "f" else np.float32))


def diff(input: Tensor, n: int = 1, dim: int = -1, prepend: Tensor | None = None,
         append: Tensor | None = None) -> Tensor:
    """The ``n``-th forward difference along ``dim``; bool inputs use xor (``!=``).

    Example:
        >>> ember.diff(ember.tensor([1.0, 3.0, 6.0]))
        tensor([2., 3.])
    """
    msg = "expects input to be at least one-dimensional"
    require_dims("diff", input._data.ndim, dim, kind=RuntimeError, msg=msg)
    axis = _dim(input, dim, "diff")
    x = _concat_along(input, prepend, append, axis)
    for _ in range(n):
        size = x._data.shape[axis]
        if size == 0:
            break
        hi = _slice(x, axis, 1, size)
        lo = _slice(x, axis, 0, size - 1)
        x = hi != lo if x._data.dtype.kind == "b" else hi - lo
    return x


def _trapezoid_terms(y: Tensor, x: Any, dx: Any, dim: int, op: str) -> Tensor:
    """The area of each trapezoid between consecutive samples along ``dim``."""
    axis = _dim(y, dim, op)
    n = y._data.shape[axis] if y._data.ndim else 0
    avg = (_slice(y, axis, 1, n) + _slice(y, axis, 0, max(n - 1, 0))) / 2
    if x is None:
        return avg * (1 if dx is None else dx)
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}: x must be a Tensor, got {type(x).__name__}")
    if x._data.ndim == 1:
        shape = [1] * y._data.ndim
        shape[axis] = x._data.shape[0]
        x = x.reshape(shape)
    return avg * diff(x, dim=axis)


def trapezoid(y: Tensor, x: Tensor | None = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """Integral of ``y`` along ``dim`` by the trapezoidal rule (sample spacing ``dx`` or the
    points ``x``).

    Example:
        >>> ember.trapezoid(ember.tensor([1.0, 2.0, 3.0]))
        tensor(4.)
    """
    axis = _dim(y, dim, "trapezoid")
    return _trapezoid_terms(y, x, dx, dim, "trapezoid").sum(axis)


def trapz(y: Tensor, x: Tensor | None = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """Alias of ``trapezoid``."""
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y: Tensor, x: Tensor | None = None, *, dx: Any = None,
                         dim: int = -1) -> Tensor:
    """Running trapezoidal integral of ``y`` along ``dim`` (one element shorter).

    Example:
        >>> ember.cumulative_trapezoid(ember.tensor([1.0, 2.0, 3.0]))
        tensor([1.5000, 4.0000])
    """
    axis = _dim(y, dim, "cumulative_trapezoid")
    return cumsum(_trapezoid_terms(y, x, dx, dim, "cumulative_trapezoid"), axis)


def _slice(x: Tensor, axis: int, start: int, stop: int) -> Tensor:
    """``x`` narrowed to ``[start, stop)`` along ``axis`` (differentiable)."""
    xp = get_xp(x._data)
    shape = [1] * x._data.ndim
    shape[axis] = stop - start
    return take_along(x, xp.arange(start, stop).reshape(shape), axis)


def _concat_along(x: Tensor, before: Tensor | None, after: Tensor | None, axis: int) -> Tensor:
    """``cat([before, x, after], axis)`` built from scatter-adds (so it stays differentiable)."""
    parts = [p for p in (before, x, after) if p is not None]
    if len(parts) == 1:
        return x
    xp = get_xp(x._data)
    parts = [p if p._data.ndim else p.expand(_with(x._data.shape, axis, 1)) for p in parts]
    total = sum(p._data.shape[axis] for p in parts)
    shape = _with(x._data.shape, axis, total)
    out = None
    offset = 0
    for p in parts:
        size = p._data.shape[axis]
        view = [1] * len(shape)
        view[axis] = size
        piece = put_along(p, xp.arange(offset, offset + size).reshape(view), axis, shape)
        out = piece if out is None else out + piece
        offset += size
    return out


def _with(shape: tuple[int, ...], axis: int, size: int) -> tuple[int, ...]:
    return shape[:axis] + (size,) + shape[axis + 1:]


# -- quantiles and mode --------------------------------------------------------------------------
_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(input: Tensor, q: Any, dim: Any, keepdim: bool, interpolation: str,
              ignore_nan: bool, op: str) -> Tensor:
    xp = get_xp(input._data)
    if np_kind(input._data.dtype) != "f":
        raise RuntimeError(f"{op}() input tensor must be either float or double dtype")
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(f"{op}() interpolation must be one of {', '.join(_INTERPOLATIONS)}. "
                         f"Got {interpolation}")
    if isinstance(q, Tensor) and q._data.dtype != input._data.dtype:
        raise RuntimeError(f"{op}() q tensor must be same dtype as the input tensor")
    scalar_q = not isinstance(q, Tensor) or q._data.ndim == 0
    qs = xp.asarray(q._data if isinstance(q, Tensor) else q, dtype=np.float64).reshape(-1)
    if qs.size and (float(qs.min()) < 0 or float(qs.max()) > 1):
        raise RuntimeError(f"{op}() q values must be in the range [0, 1]")
    x = input.reshape(-1) if dim is None else input
    axis = 0 if dim is None else _dim(input, dim, op)
    if x._data.ndim == 0:
        x = x.reshape(1)
    vals = sort(x, axis).values  # NaN sorts last
    n = x._data.shape[axis]
    nan_count = xp.isnan(x._data).sum(axis=axis, keepdims=True)
    valid = (n - nan_count) if ignore_nan else xp.full_like(nan_count, n)
    pos = qs.reshape((-1,) + (1,) * x._data.ndim) * xp.maximum(valid - 1, 0)
    out = _interpolate(vals, pos, axis, interpolation)
    if not ignore_nan:
        out = _nan_where(out, nan_count > 0)
    else:
        out = _nan_where(out, valid == 0)
    if not keepdim:
        out = out.squeeze(axis + 1) if dim is not None else out.reshape((qs.size,))
    elif dim is None:
        out = out.reshape((qs.size,) + (1,) * input._data.ndim)
    return out.reshape(out._data.shape[1:]) if scalar_q else out


def _interpolate(vals: Tensor, pos: Any, axis: int, mode: str) -> Tensor:
    """Values at fractional sorted positions ``pos`` (leading q dimension) along ``axis``."""
    xp = get_xp(pos)
    lo = xp.floor(pos)
    hi = xp.ceil(pos)
    if mode == "nearest":
        lo = hi = xp.round(pos)  # half to even, as PyTorch
    elif mode == "lower":
        hi = lo
    elif mode == "higher":
        lo = hi
    v = vals.unsqueeze(0).expand((pos.shape[0],) + vals._data.shape)
    take = lambda p: take_along(v, p.astype(np.int64), axis + 1)  # noqa: E731
    below, above = take(lo), take(hi)
    if mode == "midpoint":
        return below + (above - below) * 0.5
    if mode != "linear":
        return below
    frac = _wrap((pos - lo).astype(vals._data.dtype))
    return below + (above - below) * frac


def _nan_where(out: Tensor, mask: Any) -> Tensor:
    if not bool(mask.any()):
        return out
    xp = get_xp(mask)
    m = xp.broadcast_to(mask[None], out._data.shape)
    return out.masked_fill(_wrap(m), float("nan"))


def quantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,
             interpolation: str = "linear") -> Tensor:
    """The ``q``-th quantiles of ``input`` (of all elements, or along ``dim``).

    Args:
        input: a floating tensor.
        q: a number or tensor of numbers in [0, 1]; a 1-D ``q`` adds a leading dimension.
        dim: the dimension to reduce (all elements when None).
        keepdim: keep the reduced dimension with size 1.
        interpolation: ``linear``, ``lower``, ``higher``, ``midpoint`` or ``nearest``.

    Returns:
        The quantiles; NaN where the reduced values contain NaN. Differentiable (through sort).

    Example:
        >>> ember.quantile(ember.tensor([1.0, 2.0, 3.0, 4.0]), 0.5)
        tensor(2.5000)
    """
    return _quantile(input, q, dim, keepdim, interpolation, False, "quantile")


def nanquantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,
                interpolation: str = "linear") -> Tensor:
    """``quantile`` ignoring NaN values (NaN only where every reduced value is NaN)."""
    return _quantile(input, q, dim, keepdim, interpolation, True, "nanquantile")


def _mode_idx(data: Any) -> Any:
    """Per row of a 2-D array: the index (last occurrence) of its most frequent, smallest value."""
    out = np.empty(data.shape[0], dtype=np.int64)
    for r, row in enumerate(data):
        values, inverse, counts = np.unique(row, return_inverse=True, return_counts=True)
        best = int(np.argmax(counts))  # the smallest value among the most frequent
        out[r] = int(np.flatnonzero(inverse.reshape(-1) == best)[-1])
    return out


def mode(input: Tensor, dim: int = -1, keepdim: bool = False) -> Any:
    """The most frequent value along ``dim`` (the smallest on ties) and the index of its last
    occurrence, as ``(values, indices)``.

    Example:
        >>> ember.tensor([1, 2, 2, 3, 3, 3]).mode().values
        tensor(3)
    """
    src = input if input._data.ndim else input.reshape(1)
    axis = _dim(src, dim, "mode")
    moved = np.moveaxis(np.asarray(src.__array__()), axis, -1)
    rows = moved.reshape(-1, moved.shape[-1]) if moved.shape[-1] else moved.reshape(-1, 0)
    if rows.shape[1] == 0:
        raise IndexError(f"mode(): Expected reduction dim {axis} to have non-zero size.")
    idx = _mode_idx(rows).reshape(moved.shape[:-1] + (1,))
    idx = get_xp(src._data).asarray(np.moveaxis(idx, -1, axis))
    out = _pick(src, idx, axis, keepdim or not input._data.ndim, ModeResult)
    if not input._data.ndim:
        return ModeResult(out.values.reshape(()), out.indices.reshape(()))
    return out


TENSOR_METHODS = {
    "sort": sort, "argsort": argsort, "msort": msort, "topk": topk, "kthvalue": kthvalue,
    "median": median, "nanmedian": nanmedian, "unique": unique,
    "unique_consecutive": unique_consecutive, "cumsum": cumsum, "cumprod": cumprod,
    "cummax": cummax, "cummin": cummin, "logcumsumexp": logcumsumexp, "bincount": bincount,
    "histc": histc, "diff": diff, "quantile": quantile, "nanquantile": nanquantile, "mode": mode,
    "cumsum_": lambda self, dim, **kw: _inplace(self, cumsum(self, dim, **kw), "cumsum_"),
    "cumprod_": lambda self, dim, **kw: _inplace(self, cumprod(self, dim, **kw), "cumprod_"),
}


def _inplace(target: Tensor, result: Tensor, name: str) -> Tensor:
    return apply_inplace(target, result, name)
