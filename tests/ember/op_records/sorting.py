"""Records for sorting, selection and scans (sort, topk, median, cumsum, cumprod, cummax, ...)."""

from __future__ import annotations

import numpy as np

import ember
from tests.ember.opinfo import ALL_NUMERIC, OpInfo, Sample, _arr


def _dim_samples(rng, dtype):
    yield Sample(_arr(rng, (5,), dtype), 0)
    yield Sample(_arr(rng, (3, 4), dtype), 1)
    yield Sample(_arr(rng, (2, 3, 4), dtype), -3)


def _msort_samples(rng, dtype):
    yield Sample(_arr(rng, (4, 3), dtype))


def _np_sort(x, dim=-1, descending=False):
    out = np.sort(x, axis=dim, kind="stable")
    return np.flip(out, dim) if descending else out


def _sort_samples(rng, dtype):
    yield Sample(_arr(rng, (5,), dtype))
    yield Sample(_arr(rng, (3, 4), dtype), 0)
    yield Sample(_arr(rng, (2, 3, 4), dtype), 1, descending=True)


def _topk_samples(rng, dtype):
    yield Sample(_arr(rng, (6,), dtype), 3)
    yield Sample(_arr(rng, (3, 5), dtype), 2, 0, largest=False)


def _np_topk(x, k, dim=-1, largest=True):
    s = np.sort(x, axis=dim)
    if largest:
        s = np.flip(s, dim)
    return np.take(s, np.arange(k), axis=dim)


def _kth_samples(rng, dtype):
    yield Sample(_arr(rng, (6,), dtype), 2)
    yield Sample(_arr(rng, (3, 5), dtype), 5, 1, keepdim=True)
    yield Sample(_arr(rng, (3, 5), dtype), 1, 0)


def _np_kth(x, k, dim=-1, keepdim=False):
    return np.take(np.sort(x, axis=dim), [k - 1] if keepdim else k - 1, axis=dim)


def _median_samples(rng, dtype):
    yield Sample(_arr(rng, (7,), dtype))
    yield Sample(_arr(rng, (3, 4), dtype))
    yield Sample(_arr(rng, (3, 4), dtype), 1)
    yield Sample(_arr(rng, (4, 5), dtype), 0, keepdim=True)


def _np_lower_median(x, dim=None, keepdim=False):
    if dim is None:
        return np.sort(x.reshape(-1))[(x.size - 1) // 2]
    n = x.shape[dim]
    return np.take(np.sort(x, axis=dim), [(n - 1) // 2] if keepdim else (n - 1) // 2, axis=dim)


def _nan_samples(rng, dtype):
    x = _arr(rng, (3, 5), dtype)
    x[0, 1] = x[2, 0] = x[2, 3] = np.nan
    yield Sample(x, 1)


def _np_nanmedian(x, dim):
    out = []
    for row in np.moveaxis(x, dim, 0).T:
        vals = np.sort(row[~np.isnan(row)])
        out.append(vals[(vals.size - 1) // 2])
    return np.array(out, dtype=x.dtype)


def _scan_ref(fn):
    def ref(x, dim, dtype=None):
        return fn(x, axis=dim, dtype=None if dtype is None else dtype.np)

    return ref


def _cumprod_samples(rng, dtype):
    yield from _dim_samples(rng, dtype)
    x = _arr(rng, (3, 5), dtype)
    x[0, 1] = x[1, 3] = x[2, 0] = x[2, 2] = 0  # zeros: the leave-one-out gradient
    yield Sample(x, 1)


def _np_cumextreme(fn):
    def ref(x, dim):
        return fn.accumulate(x, axis=dim)

    return ref


def _np_logcumsumexp(x, dim):
    return np.log(np.cumsum(np.exp(x), axis=dim))


def _diff_samples(rng, dtype):
    yield Sample(_arr(rng, (6,), dtype))
    yield Sample(_arr(rng, (3, 5), dtype), 2, 1)
    yield Sample(_arr(rng, (4, 3), dtype), 1, 0, _arr(rng, (1, 3), dtype), _arr(rng, (2, 3), dtype))


def _np_diff(x, n=1, dim=-1, prepend=None, append=None):
    kw = {}
    if prepend is not None:
        kw["prepend"] = prepend
    if append is not None:
        kw["append"] = append
    return np.diff(x, n=n, axis=dim, **kw)


def _int_samples(rng, dtype):
    yield Sample(rng.integers(0, 6, size=(8,)).astype(np.int64))


def _search_samples(rng, dtype):
    seq = np.sort(_arr(rng, (6,), dtype))
    yield Sample(seq, _arr(rng, (3, 4), dtype))
    yield Sample(seq, _arr(rng, (5,), dtype), right=True)
    yield Sample(np.sort(_arr(rng, (2, 5), dtype), axis=-1), _arr(rng, (2, 3), dtype))


def _np_searchsorted(seq, v, right=False):
    side = "right" if right else "left"
    if seq.ndim == 1:
        return np.searchsorted(seq, v, side=side)
    return np.stack([np.searchsorted(s, r, side=side) for s, r in zip(seq, v)])


def _bucketize_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), np.sort(_arr(rng, (5,), dtype)))
    yield Sample(_arr(rng, (7,), dtype), np.sort(_arr(rng, (4,), dtype)), right=True)


def _np_bucketize(x, b, right=False):
    return np.searchsorted(b, x, side="right" if right else "left")


def _histc_samples(rng, dtype):
    yield Sample(_arr(rng, (20,), dtype), 5, -1.0, 1.0)
    yield Sample(_arr(rng, (4, 5), dtype), 7)


def _np_histc(x, bins=100, min=0, max=0):
    lo, hi = (x.min(), x.max()) if min == max else (min, max)
    return np.histogram(x, bins=bins, range=(float(lo), float(hi)))[0].astype(x.dtype)


def _unique_samples(rng, dtype):
    yield Sample(rng.integers(0, 5, size=(3, 4)).astype(dtype))


def _np_unique(x):
    vals, inv, counts = np.unique(x, return_inverse=True, return_counts=True)
    return vals, inv.reshape(x.shape), counts


def _unique_dim_samples(rng, dtype):
    x = rng.integers(0, 2, size=(6, 3)).astype(dtype)
    yield Sample(x, dim=0)


def _np_unique_dim(x, dim):
    vals, inv, counts = np.unique(x, axis=dim, return_inverse=True, return_counts=True)
    return vals, inv.reshape(-1), counts


RECORDS = [
    OpInfo("sort", ember.sort, _np_sort, _sort_samples, output_index=0, dtypes=ALL_NUMERIC),
    OpInfo("msort", ember.msort, lambda x: np.sort(x, axis=0), _msort_samples),
    OpInfo("argsort", ember.argsort,
           lambda x, dim=-1, descending=False: np.argsort(-x if descending else x, axis=dim,
                                                          kind="stable"),
           _sort_samples, differentiable=False, dtypes=ALL_NUMERIC),
    OpInfo("topk", ember.topk, _np_topk, _topk_samples, output_index=0),
    OpInfo("kthvalue", ember.kthvalue, _np_kth, _kth_samples, output_index=0),
    OpInfo("median_all", lambda x: ember.median(x), _np_lower_median,
           lambda rng, dt: (s for s in _median_samples(rng, dt) if not s.args[1:])),
    OpInfo("median_dim", ember.median, _np_lower_median,
           lambda rng, dt: (s for s in _median_samples(rng, dt) if s.args[1:]), output_index=0),
    OpInfo("nanmedian_dim", ember.nanmedian, _np_nanmedian, _nan_samples, output_index=0,
           differentiable=False),
    OpInfo("cumsum", ember.cumsum, _scan_ref(np.cumsum), _dim_samples, dtypes=ALL_NUMERIC),
    OpInfo("cumprod", ember.cumprod, _scan_ref(np.cumprod), _cumprod_samples),
    OpInfo("cummax", ember.cummax, _np_cumextreme(np.maximum), _dim_samples, output_index=0),
    OpInfo("cummin", ember.cummin, _np_cumextreme(np.minimum), _dim_samples, output_index=0),
    OpInfo("logcumsumexp", ember.logcumsumexp, _np_logcumsumexp, _dim_samples),
    OpInfo("diff", ember.diff, _np_diff, _diff_samples),
    OpInfo("searchsorted", ember.searchsorted, _np_searchsorted, _search_samples,
           differentiable=False),
    OpInfo("bucketize", ember.bucketize, _np_bucketize, _bucketize_samples,
           differentiable=False),
    OpInfo("bincount", ember.bincount, np.bincount, _int_samples, differentiable=False,
           dtypes=(ember.int64,)),
    OpInfo("histc", ember.histc, _np_histc, _histc_samples, differentiable=False),
    *[OpInfo(f"unique_{part}", lambda x: ember.unique(x, return_inverse=True,
                                                       return_counts=True),
             _np_unique, _unique_samples, differentiable=False, dtypes=ALL_NUMERIC,
             output_index=i) for i, part in enumerate(("values", "inverse", "counts"))],
    *[OpInfo(f"unique_dim_{part}", lambda x, dim: ember.unique(x, return_inverse=True,
                                                               return_counts=True, dim=dim),
             _np_unique_dim, _unique_dim_samples, differentiable=False, output_index=i)
      for i, part in enumerate(("values", "inverse", "counts"))],
]
