"""Records for reductions beyond sum/mean: prod, max/min, var/std, logsumexp, norms, softmax."""

from __future__ import annotations

import numpy as np

import ember
from tests.ember.opinfo import ALL_NUMERIC, OpInfo, Sample, _arr, reduction_samples


def _axis(dim):
    return dim if dim is None or isinstance(dim, int) else tuple(dim)


def _np_reduce(fn):
    def ref(x, dim=None, keepdim=False, **kw):
        return fn(x, axis=_axis(dim), keepdims=keepdim, **kw)

    return ref


def _one_dim_samples(low=-2.0, high=2.0):
    """Samples for ops taking a single int dim (prod, max(dim), softmax)."""

    def gen(rng, dtype):
        yield Sample(_arr(rng, (3, 4), dtype, low, high), 1)
        yield Sample(_arr(rng, (2, 3, 4), dtype, low, high), -2, keepdim=True)
        yield Sample(_arr(rng, (5,), dtype, low, high), 0)

    return gen


def _prod_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype, 0.5, 1.5))
    yield from _one_dim_samples(0.5, 1.5)(rng, dtype)


def _prod_ref(x, dim=None, keepdim=False):
    out = np.prod(x, axis=dim, keepdims=keepdim)
    return out.astype(np.int64) if x.dtype.kind in "iu" else out


def _max_dim_ref(x, dim, keepdim=False):
    idx = np.expand_dims(np.argmax(x, axis=dim), dim)
    vals = np.take_along_axis(x, idx, axis=dim)
    return (vals, idx) if keepdim else (vals.squeeze(dim), idx.squeeze(dim))


def _min_dim_ref(x, dim, keepdim=False):
    vals, idx = _max_dim_ref(-x, dim, keepdim)
    return -vals, idx


def _arg_ref(fn):
    def ref(x, dim=None, keepdim=False):
        if dim is None:
            out = fn(x)
            return np.reshape(out, (1,) * x.ndim) if keepdim else out
        return fn(x, axis=dim, keepdims=keepdim)

    return ref


def _var_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype))
    yield Sample(_arr(rng, (3, 4), dtype), 1, correction=0)
    yield Sample(_arr(rng, (2, 3, 4), dtype), (0, 2), keepdim=True)
    yield Sample(_arr(rng, (5,), dtype), 0, False)
    yield Sample(_arr(rng, (2, 5), dtype), -1, correction=2)


def _var_ref(x, dim=None, unbiased=None, keepdim=False, correction=None):
    ddof = int(unbiased) if unbiased is not None else (1 if correction is None else correction)
    return np.var(x, axis=_axis(dim), ddof=ddof, keepdims=keepdim)


def _lse_ref(x, dim=None, keepdim=False):
    m = np.max(x, axis=_axis(dim), keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=_axis(dim), keepdims=True)) + m
    return out if keepdim else np.squeeze(out, axis=_axis(dim))


def _softmax_ref(x, dim):
    e = np.exp(x - x.max(axis=dim, keepdims=True))
    return e / e.sum(axis=dim, keepdims=True)


def _softmax_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype, -3.0, 3.0), 1)
    yield Sample(_arr(rng, (2, 3, 4), dtype, -3.0, 3.0), 0)
    yield Sample(_arr(rng, (5,), dtype, -3.0, 3.0), -1)


def _norm_samples(rng, dtype):
    for p in (2, "fro", 1, 3.0, float("inf"), -float("inf")):
        yield Sample(_arr(rng, (3, 4), dtype), p)
    yield Sample(_arr(rng, (3, 4), dtype), 2, 1, keepdim=True)
    yield Sample(_arr(rng, (2, 3, 4), dtype), 1.5, (0, 2))


def _norm_ref(x, p="fro", dim=None, keepdim=False):
    ax = _axis(dim)
    a = np.abs(x)
    if p in ("fro", 2):
        return np.sqrt(np.sum(a * a, axis=ax, keepdims=keepdim))
    if p == float("inf"):
        return np.max(a, axis=ax, keepdims=keepdim)
    if p == -float("inf"):
        return np.min(a, axis=ax, keepdims=keepdim)
    return np.sum(a ** p, axis=ax, keepdims=keepdim) ** (1.0 / p)


def _with_nans(rng, dtype):
    for s in reduction_samples()(rng, dtype):
        x = s.args[0]
        if x.dtype.kind == "f":
            x = np.where(rng.uniform(size=x.shape) < 0.2, np.nan, x).astype(dtype)
        yield Sample(x, **s.kwargs)


def _bool_samples(rng, dtype):
    for s in reduction_samples()(rng, dtype):
        yield Sample(s.args[0] > 0.5 if dtype.kind == "f" else s.args[0] % 3 != 0, **s.kwargs)


def _aminmax_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype))
    yield Sample(_arr(rng, (3, 4), dtype), dim=1, keepdim=True)


def _aminmax_ref(x, dim=None, keepdim=False):
    return np.min(x, axis=dim, keepdims=keepdim), np.max(x, axis=dim, keepdims=keepdim)


RECORDS = [
    OpInfo("prod", ember.prod, _prod_ref, _prod_samples, dtypes=ALL_NUMERIC),
    OpInfo("amax", ember.amax, _np_reduce(np.max), reduction_samples(), dtypes=ALL_NUMERIC),
    OpInfo("amin", ember.amin, _np_reduce(np.min), reduction_samples(), dtypes=ALL_NUMERIC),
    OpInfo("max_all", ember.max, np.max, lambda rng, dt: [Sample(_arr(rng, (3, 4), dt))],
           dtypes=ALL_NUMERIC),
    OpInfo("max_dim_values", ember.max, _max_dim_ref, _one_dim_samples(), dtypes=ALL_NUMERIC,
           output_index=0),
    OpInfo("max_dim_indices", ember.max, _max_dim_ref, _one_dim_samples(), dtypes=ALL_NUMERIC,
           output_index=1, differentiable=False),
    OpInfo("min_dim_values", ember.min, _min_dim_ref, _one_dim_samples(), dtypes=ALL_NUMERIC,
           output_index=0),
    OpInfo("min_dim_indices", ember.min, _min_dim_ref, _one_dim_samples(), dtypes=ALL_NUMERIC,
           output_index=1, differentiable=False),
    OpInfo("max_binary", ember.max, np.maximum,
           lambda rng, dt: [Sample(_arr(rng, (3, 4), dt), _arr(rng, (4,), dt))]),
    OpInfo("aminmax_min", ember.aminmax, _aminmax_ref, _aminmax_samples, output_index=0,
           dtypes=ALL_NUMERIC),
    OpInfo("aminmax_max", ember.aminmax, _aminmax_ref, _aminmax_samples, output_index=1),
    OpInfo("argmax", ember.argmax, _arg_ref(np.argmax), _one_dim_samples(), dtypes=ALL_NUMERIC,
           differentiable=False),
    OpInfo("argmax_flat", ember.argmax, _arg_ref(np.argmax),
           lambda rng, dt: [Sample(_arr(rng, (3, 4), dt)),
                            Sample(_arr(rng, (3, 4), dt), keepdim=True)],
           dtypes=ALL_NUMERIC, differentiable=False),
    OpInfo("argmin", ember.argmin, _arg_ref(np.argmin), _one_dim_samples(), dtypes=ALL_NUMERIC,
           differentiable=False),
    OpInfo("var", ember.var, _var_ref, _var_samples),
    OpInfo("std", ember.std, lambda *a, **k: np.sqrt(_var_ref(*a, **k)), _var_samples),
    OpInfo("var_mean", ember.var_mean,
           lambda x, *a, **k: (_var_ref(x, *a, **k), np.mean(x, axis=_axis(a[0] if a else None),
                                                               keepdims=k.get("keepdim", False))),
           _var_samples),
    OpInfo("std_mean_std", ember.std_mean,
           lambda x, *a, **k: (np.sqrt(_var_ref(x, *a, **k)), None), _var_samples,
           output_index=0),
    OpInfo("logsumexp", ember.logsumexp, _lse_ref, reduction_samples(-5.0, 5.0)),
    OpInfo("norm", ember.norm, _norm_ref, _norm_samples),
    OpInfo("softmax", ember.softmax, _softmax_ref, _softmax_samples),
    OpInfo("log_softmax", ember.log_softmax, lambda x, d: np.log(_softmax_ref(x, d)),
           _softmax_samples),
    OpInfo("nansum", ember.nansum, _np_reduce(np.nansum), _with_nans, dtypes=ALL_NUMERIC,
           grad_samples=reduction_samples()),
    OpInfo("nanmean", ember.nanmean, _np_reduce(np.nanmean),
           lambda rng, dt: [s for s in _with_nans(rng, dt) if s.args[0].ndim < 3],
           grad_samples=reduction_samples()),
    OpInfo("all", ember.all, _np_reduce(np.all), _bool_samples, differentiable=False,
           dtypes=ALL_NUMERIC),
    OpInfo("any", ember.any, _np_reduce(np.any), _bool_samples, differentiable=False,
           dtypes=ALL_NUMERIC),
    OpInfo("count_nonzero", ember.count_nonzero,
           lambda x, dim=None, keepdim=False: np.count_nonzero(x, axis=_axis(dim)),
           lambda rng, dt: [Sample(s.args[0], s.kwargs.get("dim")) for s in _bool_samples(rng, dt)],
           differentiable=False, dtypes=ALL_NUMERIC),
]
