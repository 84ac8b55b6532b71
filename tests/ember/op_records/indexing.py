"""Records for indexing: __getitem__ / __setitem__ and the gather/scatter/index_*/masked_* ops.

Index arguments are np.int64 (or bool) arrays, which the harness turns into tensors; the NumPy
references below are written independently of ember's implementation (``ufunc.at`` on
explicit keys). Samples repeat indices where the op accumulates.
"""

from __future__ import annotations

import numpy as np

import ember
from tests.ember.opinfo import ALL_NUMERIC, OpInfo, Sample


def _arr(rng, shape, dtype):
    if np.dtype(dtype).kind in "iu":
        return rng.integers(-5, 6, size=shape).astype(dtype)
    return rng.uniform(-2, 2, size=shape).astype(dtype)


def _same(fn):
    """The op and its reference are one function: ``x[key]`` reads the same in both."""
    return dict(op=fn, ref=fn)


# -- __getitem__ -----------------------------------------------------------------------------
def _key_samples(rng, dtype):
    yield Sample(_arr(rng, (4, 5), dtype), np.array([0, 2, 2, -1]))
    yield Sample(_arr(rng, (3, 4, 5), dtype), np.array([[1, 1], [0, 2]]))


def _mask_samples(rng, dtype):
    x = _arr(rng, (3, 4), dtype)
    yield Sample(x, rng.uniform(size=(3, 4)) > 0.4)
    yield Sample(_arr(rng, (3, 4, 2), dtype), np.array([True, False, True]))


def _two_keys(rng, dtype):
    yield Sample(_arr(rng, (3, 4, 5), dtype), np.array([0, 2, 0]), np.array([[1], [3]]))


GETITEM = [
    OpInfo("getitem_basic", lambda x: x[1:, ::2, None], lambda x: x[1:, ::2, None],
           lambda rng, dt: [Sample(_arr(rng, (3, 5), dt))], dtypes=ALL_NUMERIC),
    OpInfo("getitem_int_ellipsis", lambda x: x[-1, ..., 1], lambda x: x[-1, ..., 1],
           lambda rng, dt: [Sample(_arr(rng, (3, 4, 5), dt))]),
    OpInfo("getitem_scalar", lambda x: x[1, 2], lambda x: x[1, 2],
           lambda rng, dt: [Sample(_arr(rng, (3, 4), dt))]),
    OpInfo("getitem_index", **_same(lambda x, i: x[i]), sample_inputs=_key_samples,
           dtypes=ALL_NUMERIC),
    OpInfo("getitem_index_slice", **_same(lambda x, i: x[1:, i]), sample_inputs=_key_samples),
    OpInfo("getitem_two_arrays", **_same(lambda x, i, j: x[i, :, j]), sample_inputs=_two_keys),
    OpInfo("getitem_adjacent", **_same(lambda x, i, j: x[:, i, j]), sample_inputs=_two_keys),
    OpInfo("getitem_mask", **_same(lambda x, m: x[m]), sample_inputs=_mask_samples,
           dtypes=ALL_NUMERIC),
    OpInfo("getitem_list", lambda x: x[[0, 0, 2], 1:], lambda x: x[[0, 0, 2], 1:],
           lambda rng, dt: [Sample(_arr(rng, (3, 4), dt))]),
]


# -- __setitem__ (through a clone, so the op is out of place) ----------------------------------
def _set(key_fn):
    def op(x, v, *idx):
        y = x.clone() if isinstance(x, ember.Tensor) else x.copy()
        y[key_fn(*idx)] = v
        return y

    return op


def _set_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), _arr(rng, (3,), dtype))
    yield Sample(_arr(rng, (3, 4), dtype), _arr(rng, (1,), dtype))


def _set_index_samples(rng, dtype):
    yield Sample(_arr(rng, (4, 3), dtype), _arr(rng, (2, 3), dtype), np.array([3, 1]))
    yield Sample(_arr(rng, (4, 3), dtype), _arr(rng, (3,), dtype), np.array([0, 2]))


def _set_mask_samples(rng, dtype):
    mask = np.array([[True, False, True, True], [False, False, True, False], [True] * 4])
    yield Sample(_arr(rng, (3, 4), dtype), _arr(rng, (int(mask.sum()),), dtype), mask)


SETITEM = [
    OpInfo("setitem_column", _set(lambda: (slice(None), 0)), _set(lambda: (slice(None), 0)),
           _set_samples),
    OpInfo("setitem_index", _set(lambda i: i), _set(lambda i: i), _set_index_samples),
    OpInfo("setitem_mask", _set(lambda m: m), _set(lambda m: m), _set_mask_samples),
]


# -- gather / scatter ------------------------------------------------------------------------
def _np_key(index, dim):
    """The advanced key picking ``index`` along ``dim`` (the reference's own construction)."""
    grids = np.indices(index.shape, sparse=True)
    return tuple(index if k == dim else g for k, g in enumerate(grids))


def _np_gather(x, dim, index):
    return x[_np_key(index, dim % x.ndim)]


def _np_scatter_like(ufunc, fill=None):
    def ref(x, dim, index, src, *args):
        d = dim % x.ndim
        key = _np_key(index, d)
        out = x.copy()
        vals = src[tuple(slice(0, n) for n in index.shape)] if isinstance(src, np.ndarray) \
            else src
        if fill is not None:
            out[key] = fill
        if ufunc is None:
            out[key] = vals
        else:
            ufunc.at(out, key, vals)
        return out

    return ref


def _np_scatter_reduce(x, dim, index, src, reduce, include_self=True):
    d = dim % x.ndim
    key = _np_key(index, d)
    vals = src[tuple(slice(0, n) for n in index.shape)]
    out = x.copy()
    if reduce == "mean":
        counts = np.ones(x.shape, np.int64) if include_self else np.zeros(x.shape, np.int64)
        if not include_self:
            out[key] = 0
        np.add.at(out, key, vals)
        np.add.at(counts, key, 1)
        counts = np.maximum(counts, 1)
        return out / counts if x.dtype.kind == "f" else out // counts
    ufunc, fill = {"sum": (np.add, 0), "prod": (np.multiply, 1),
                   "amax": (np.maximum, -np.inf), "amin": (np.minimum, np.inf)}[reduce]
    if not include_self:
        if x.dtype.kind != "f" and np.isinf(fill):
            fill = np.iinfo(x.dtype).min if fill < 0 else np.iinfo(x.dtype).max
        out[key] = fill
    ufunc.at(out, key, vals)
    return out


def _gather_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), 0, rng.integers(0, 3, (2, 4)))
    yield Sample(_arr(rng, (3, 4), dtype), 1, rng.integers(0, 4, (3, 6)))
    yield Sample(_arr(rng, (2, 3, 4), dtype), -1, rng.integers(0, 4, (2, 2, 3)))


def _scatter_add_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), 0, rng.integers(0, 3, (5, 4)), _arr(rng, (5, 4), dtype))
    yield Sample(_arr(rng, (3, 4), dtype), 1, rng.integers(0, 4, (2, 6)), _arr(rng, (3, 7), dtype))


def _scatter_samples(rng, dtype):
    """Unique targets per column: with repeats, which write wins is unspecified."""
    idx = np.stack([rng.permutation(3)[:2] for _ in range(4)], axis=1)
    yield Sample(_arr(rng, (3, 4), dtype), 0, idx, _arr(rng, (2, 4), dtype))
    idx = np.stack([rng.permutation(5)[:3] for _ in range(2)])
    yield Sample(_arr(rng, (2, 5), dtype), 1, idx, _arr(rng, (3, 4), dtype))


def _scatter_value_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), 0, rng.integers(0, 3, (2, 4)), 1.5)


def _reduce_samples(reduce, include_self):
    def gen(rng, dtype):
        for s in _scatter_add_samples(rng, dtype):
            x, d, idx, src = s.args
            if reduce == "prod" and dtype.kind == "f":  # keep away from zero for the gradient
                src = np.sign(src) * (np.abs(src) + 0.5)
                x = np.sign(x) * (np.abs(x) + 0.5)
            yield Sample(x, d, idx, src, reduce, include_self=include_self)

    return gen


SCATTER_REDUCE = [
    OpInfo(f"scatter_reduce_{r}_{'self' if s else 'noself'}", ember.scatter_reduce,
           _np_scatter_reduce, _reduce_samples(r, s),
           dtypes=(ember.float32, ember.float64, ember.int64))
    for r in ("sum", "prod", "mean", "amax", "amin") for s in (True, False)
]


# -- index_* ---------------------------------------------------------------------------------
def _index_dim_samples(rng, dtype, with_source=True, unique=False):
    for shape, dim in (((4, 3), 0), ((2, 5, 3), 1), ((3, 4), -1)):
        n = shape[dim]
        idx = rng.permutation(n)[:3] if unique else rng.integers(-n, n, 4)
        if not with_source:
            yield Sample(_arr(rng, shape, dtype), dim, idx)
            continue
        src_shape = list(shape)
        src_shape[dim] = len(idx)
        yield Sample(_arr(rng, shape, dtype), dim, idx, _arr(rng, tuple(src_shape), dtype))


def _dim_key(x, dim, index):
    return (slice(None),) * (dim % x.ndim) + (index,)


def _np_index_add(x, dim, index, src, alpha=1):
    out = x.copy()
    np.add.at(out, _dim_key(x, dim, index), src * alpha)
    return out


def _np_index_copy(x, dim, index, src):
    out = x.copy()
    out[_dim_key(x, dim, index)] = src
    return out


def _np_index_fill(x, dim, index, value):
    out = x.copy()
    out[_dim_key(x, dim, index)] = value
    return out


def _index_fill_samples(rng, dtype):
    for s in _index_dim_samples(rng, dtype, with_source=False):
        x, d, i = s.args
        yield Sample(x, d, i, -1.25 if dtype.kind == "f" else 3)


def _index_fill_tensor_samples(rng, dtype):
    for s in _index_dim_samples(rng, dtype, with_source=False):
        x, d, i = s.args
        yield Sample(x, d, i, _arr(rng, (), dtype))


def _index_put_samples(rng, dtype):
    yield Sample(_arr(rng, (4, 3), dtype), (np.array([0, 3, 2]), np.array([1, 2, 1])),
                 _arr(rng, (3,), dtype))
    yield Sample(_arr(rng, (4, 3), dtype), (np.array([2, 0]),), _arr(rng, (3,), dtype))


def _index_put_acc_samples(rng, dtype):
    yield Sample(_arr(rng, (4, 3), dtype), (np.array([0, 3, 0]), np.array([1, 2, 1])),
                 _arr(rng, (3,), dtype))
    yield Sample(_arr(rng, (4, 3), dtype), (np.array([2, 2]),), _arr(rng, (3,), dtype))


def _np_index_put(x, indices, values, accumulate=False):
    out = x.copy()
    if accumulate:
        np.add.at(out, tuple(indices), values)
    else:
        out[tuple(indices)] = values
    return out


def _index_put_acc(x, indices, values):
    return ember.index_put(x, indices, values, accumulate=True)


# -- masks and flat ----------------------------------------------------------------------------
def _masked_fill_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), rng.uniform(size=(3, 4)) > 0.5, 2.5)
    yield Sample(_arr(rng, (3, 4), dtype), rng.uniform(size=(4,)) > 0.5, -1.0)
    yield Sample(_arr(rng, (3, 4), dtype), rng.uniform(size=(3, 1)) > 0.5, _arr(rng, (), dtype))


def _np_masked_fill(x, mask, value):
    return np.where(mask, np.asarray(value).astype(x.dtype), x)


def _masked_select_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), rng.uniform(size=(3, 4)) > 0.5)
    yield Sample(_arr(rng, (3, 1), dtype), rng.uniform(size=(3, 4)) > 0.5)


def _np_masked_select(x, mask):
    shape = np.broadcast_shapes(x.shape, mask.shape)
    return np.broadcast_to(x, shape)[np.broadcast_to(mask, shape)]


def _masked_scatter_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), rng.uniform(size=(3, 4)) > 0.5, _arr(rng, (4, 4), dtype))
    yield Sample(_arr(rng, (3, 4), dtype), rng.uniform(size=(4,)) > 0.5, _arr(rng, (12,), dtype))


def _np_masked_scatter(x, mask, source):
    out = x.copy()
    m = np.broadcast_to(mask, x.shape)
    out[m] = source.reshape(-1)[: int(m.sum())]
    return out


def _take_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), rng.integers(-12, 12, (2, 3)))
    yield Sample(_arr(rng, (5,), dtype), np.array([4, 4, 0]))


def _take_along_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), rng.integers(0, 4, (3, 2)), 1)
    yield Sample(_arr(rng, (3, 4), dtype), rng.integers(0, 3, (1, 4)), 0)
    yield Sample(_arr(rng, (3, 4), dtype), rng.integers(0, 12, (5,)))


def _np_take_along(x, idx, dim=None):
    if dim is None:
        return x.reshape(-1)[idx.reshape(-1)]
    return np.take_along_axis(x, idx, dim)


def _put_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), rng.permutation(12)[:5], _arr(rng, (5,), dtype))


def _np_put(x, idx, src, accumulate=False):
    out = x.copy().reshape(-1)
    if accumulate:
        np.add.at(out, idx.reshape(-1), src.reshape(-1))
    else:
        out[idx.reshape(-1)] = src.reshape(-1)
    return out.reshape(x.shape)


def _put_acc_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), np.array([1, 1, 5, -1]), _arr(rng, (4,), dtype),
                 accumulate=True)


def _nonzero_samples(rng, dtype):
    yield Sample(rng.integers(0, 2, (3, 4)).astype(dtype))
    yield Sample(rng.integers(0, 2, (5,)).astype(dtype))


OTHERS = [
    OpInfo("gather", ember.gather, _np_gather, _gather_samples, dtypes=ALL_NUMERIC),
    OpInfo("scatter", ember.scatter, _np_scatter_like(None), _scatter_samples, dtypes=ALL_NUMERIC),
    OpInfo("scatter_value", ember.scatter, _np_scatter_like(None), _scatter_value_samples),
    OpInfo("scatter_add", ember.scatter_add, _np_scatter_like(np.add), _scatter_add_samples,
           dtypes=ALL_NUMERIC),
    OpInfo("index_select", ember.index_select, lambda x, d, i: np.take(x, i, axis=d),
           lambda rng, dt: _index_dim_samples(rng, dt, with_source=False), dtypes=ALL_NUMERIC),
    OpInfo("index_add", ember.index_add, _np_index_add, _index_dim_samples, dtypes=ALL_NUMERIC),
    OpInfo("index_add_alpha", lambda *a: ember.index_add(*a, alpha=2.0),
           lambda *a: _np_index_add(*a, alpha=2.0), _index_dim_samples),
    OpInfo("index_copy", ember.index_copy, _np_index_copy,
           lambda rng, dt: _index_dim_samples(rng, dt, unique=True), dtypes=ALL_NUMERIC),
    OpInfo("index_fill", ember.index_fill, _np_index_fill, _index_fill_samples,
           dtypes=ALL_NUMERIC),
    OpInfo("index_fill_tensor", ember.index_fill, _np_index_fill, _index_fill_tensor_samples),
    OpInfo("index_put", ember.index_put, _np_index_put, _index_put_samples),
    OpInfo("index_put_acc", _index_put_acc, lambda *a: _np_index_put(*a, accumulate=True),
           _index_put_acc_samples, dtypes=ALL_NUMERIC),
    OpInfo("masked_fill", ember.masked_fill, _np_masked_fill, _masked_fill_samples),
    OpInfo("masked_select", ember.masked_select, _np_masked_select, _masked_select_samples,
           dtypes=ALL_NUMERIC),
    OpInfo("masked_scatter", ember.masked_scatter, _np_masked_scatter, _masked_scatter_samples),
    OpInfo("take", ember.take, lambda x, i: x.reshape(-1)[i], _take_samples, dtypes=ALL_NUMERIC),
    OpInfo("take_along_dim", ember.take_along_dim, _np_take_along, _take_along_samples),
    OpInfo("put", ember.put, _np_put, _put_samples),
    OpInfo("put_acc", ember.put, _np_put, _put_acc_samples),
    OpInfo("nonzero", ember.nonzero, np.argwhere, _nonzero_samples, dtypes=ALL_NUMERIC,
           differentiable=False),
]

RECORDS = GETITEM + SETITEM + SCATTER_REDUCE + OTHERS
