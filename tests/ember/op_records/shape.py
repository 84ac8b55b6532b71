"""Records for shape ops: reshaping, joining, splitting, reordering, triangles and diagonals.

Multi-output ops (split, chunk, unbind, meshgrid) are compared through the concatenation of their
flattened outputs; their gradients are checked on the tuple itself.
"""

from __future__ import annotations

import numpy as np

import ember
from tests.ember.opinfo import ALL_NUMERIC, OpInfo, Sample


def _arr(rng, shape, dtype):
    if np.dtype(dtype).kind in "iu":
        return rng.integers(-5, 6, size=shape).astype(dtype)
    return rng.uniform(-2, 2, size=shape).astype(dtype)


def _one(*shapes_and_kwargs):
    """A generator of single-tensor samples: each entry is (shape, args..., {kwargs})."""

    def gen(rng, dtype):
        for entry in shapes_and_kwargs:
            shape, *rest = entry
            kwargs = rest.pop() if rest and isinstance(rest[-1], dict) else {}
            yield Sample(_arr(rng, shape, dtype), *rest, **kwargs)

    return gen


def _many(*groups):
    """Samples of several tensors (the ops take them as a list, see ``_listed``)."""

    def gen(rng, dtype):
        for shapes, extra in groups:
            yield Sample(*[_arr(rng, s, dtype) for s in shapes], **extra)

    return gen


def _listed(fn):
    """``fn(list_of_tensors, **kw)`` called as ``f(*tensors, **kw)``, so gradcheck sees them."""
    return lambda *ts, **kw: fn(list(ts), **kw)


def _flat(outs):
    """Concatenate a tuple of outputs (ember or NumPy) flattened, for one forward comparison."""
    if isinstance(outs[0], ember.Tensor):
        return ember.cat([o.reshape(-1) for o in outs])
    return np.concatenate([np.asarray(o).reshape(-1) for o in outs])


def _np_flatten(x, start_dim=0, end_dim=-1):
    if x.ndim == 0:
        return x.reshape(1)
    s, e = start_dim % x.ndim, end_dim % x.ndim
    return x.reshape(x.shape[:s] + (-1,) + x.shape[e + 1:])


def _np_unflatten(x, dim, sizes):
    d = dim % x.ndim
    return x.reshape(x.shape[:d] + tuple(sizes) + x.shape[d + 1:])


def _np_squeeze(x, dim=None):
    if dim is None:
        return np.squeeze(x)
    dims = (dim,) if isinstance(dim, int) else dim
    return np.squeeze(x, tuple(d for d in dims if x.shape[d] == 1))


def _np_repeat(x, *reps):
    return np.tile(x, reps)


def _np_split(x, size, dim=0):
    n = x.shape[dim]
    if isinstance(size, int):
        cuts = list(range(size, n, size))
    else:
        cuts = list(np.cumsum(size)[:-1])
    return _flat(np.split(x, cuts, axis=dim))


def _np_chunk(x, chunks, dim=0):
    return _np_split(x, -(-x.shape[dim] // chunks), dim)


def _np_narrow(x, dim, start, length):
    return np.take(x, range(start, start + length), axis=dim)


def _np_roll(x, shifts, dims=None):
    return np.roll(x, shifts, axis=dims)


def _np_tri(fn):
    return lambda x, diagonal=0: fn(x, diagonal)


def _np_diagonal(x, offset=0, dim1=0, dim2=1):
    return np.diagonal(x, offset, dim1, dim2)


def _np_diag_embed(x, offset=0, dim1=-2, dim2=-1):
    n = x.shape[-1] + abs(offset)
    out = np.zeros(x.shape[:-1] + (n, n), x.dtype)
    i = np.arange(x.shape[-1])
    rows, cols = (i, i + offset) if offset >= 0 else (i - offset, i)
    out[..., rows, cols] = x
    return np.moveaxis(out, (-2, -1), (dim1, dim2))


def _np_diag_scatter(x, src, offset=0, dim1=0, dim2=1):
    out = x.copy()
    view = np.moveaxis(out, (dim1, dim2), (-2, -1))
    m = min(view.shape[-2], view.shape[-1] - offset) if offset >= 0 else \
        min(view.shape[-2] + offset, view.shape[-1])
    i = np.arange(m)
    rows, cols = (i, i + offset) if offset >= 0 else (i - offset, i)
    view[..., rows, cols] = src
    return out


def _np_meshgrid(*xs, indexing="ij"):
    return _flat(np.meshgrid(*xs, indexing=indexing))


def _np_atleast(fn):
    return lambda x: fn(x)


def _vecs(rng, dtype):
    yield Sample(_arr(rng, (3,), dtype), _arr(rng, (2,), dtype))
    yield Sample(_arr(rng, (2,), dtype), _arr(rng, (3,), dtype), _arr(rng, (1,), dtype),
                 indexing="xy")


def _diag_scatter_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), _arr(rng, (3,), dtype))
    yield Sample(_arr(rng, (3, 4), dtype), _arr(rng, (2,), dtype), offset=2)
    yield Sample(_arr(rng, (2, 3, 3), dtype), _arr(rng, (2, 2), dtype), offset=-1, dim1=1,
                 dim2=2)


def _as_other(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), _arr(rng, (2, 6), dtype))
    yield Sample(_arr(rng, (6,), dtype), _arr(rng, (3, 2), dtype))


RECORDS = [
    OpInfo("reshape", ember.reshape, np.reshape,
           _one(((3, 4), (2, 6)), ((2, 3, 4), (-1, 4)), ((), (1,))), dtypes=ALL_NUMERIC),
    OpInfo("view", lambda x, s: x.view(s), np.reshape, _one(((3, 4), (12,)))),
    OpInfo("expand", lambda x, *s: x.expand(*s), lambda x, *s: np.broadcast_to(
        x, tuple(n if n != -1 else x.shape[i - len(s) + x.ndim] for i, n in enumerate(s))),
        _one(((3, 1), 3, 4), ((4,), 2, -1))),
    OpInfo("permute", ember.permute, np.transpose, _one(((2, 3, 4), (2, 0, 1)))),
    OpInfo("transpose", ember.transpose, np.swapaxes, _one(((2, 3, 4), 0, -1), ((3, 4), 1, 0))),
    OpInfo("contiguous", lambda x: x.transpose(0, 1).contiguous(), lambda x: x.T.copy(),
           _one(((3, 4),))),
    OpInfo("flatten", ember.flatten, _np_flatten,
           _one(((2, 3, 4),), ((2, 3, 4), 1), ((2, 3, 4), 0, 1), ((),)), dtypes=ALL_NUMERIC),
    OpInfo("unflatten", ember.unflatten, _np_unflatten,
           _one(((2, 12), 1, (3, 4)), ((6, 2), 0, (-1, 3)))),
    OpInfo("squeeze", ember.squeeze, _np_squeeze,
           _one(((2, 1, 3, 1),), ((2, 1, 3), 1), ((2, 1, 3, 1), (1, 3)), ((2, 1), 0))),
    OpInfo("unsqueeze", ember.unsqueeze, np.expand_dims,
           _one(((2, 3), 0), ((2, 3), -1), ((), 0))),
    OpInfo("repeat", lambda x, *r: x.repeat(*r), _np_repeat,
           _one(((2, 3), 2, 1), ((3,), 2, 2), ((2, 1), 1, 3, 2)), dtypes=ALL_NUMERIC),
    OpInfo("tile", ember.tile, np.tile, _one(((2, 3), (2,)), ((3,), (2, 2)))),
    OpInfo("cat", _listed(ember.cat), _listed(lambda ts, dim=0: np.concatenate(ts, axis=dim)),
           _many(([(2, 3), (1, 3)], {}), ([(2, 3), (2, 1), (2, 2)], {"dim": 1}),
                 ([(4,)], {})), dtypes=ALL_NUMERIC),
    OpInfo("stack", _listed(ember.stack), _listed(lambda ts, dim=0: np.stack(ts, axis=dim)),
           _many(([(2, 3), (2, 3)], {}), ([(3,), (3,), (3,)], {"dim": -1}))),
    OpInfo("hstack", _listed(ember.hstack), _listed(np.hstack),
           _many(([(2, 3), (2, 1)], {}), ([(3,), (2,)], {}))),
    OpInfo("vstack", _listed(ember.vstack), _listed(np.vstack),
           _many(([(2, 3), (1, 3)], {}), ([(3,), (3,)], {}))),
    OpInfo("split", lambda x, s, dim=0: _flat(ember.split(x, s, dim)), _np_split,
           _one(((5, 2), 2), ((3, 6), [1, 2, 3], {"dim": 1}))),
    OpInfo("split_tuple", ember.split, None, _one(((5, 2), 2), ((3, 6), [1, 2, 3], {"dim": 1}))),
    OpInfo("chunk", lambda x, c, dim=0: _flat(ember.chunk(x, c, dim)), _np_chunk,
           _one(((5, 2), 3), ((3, 4), 2, {"dim": 1}))),
    OpInfo("unbind", lambda x, dim=0: _flat(ember.unbind(x, dim)),
           lambda x, dim=0: _flat(list(np.moveaxis(x, dim, 0))),
           _one(((3, 2),), ((2, 3), {"dim": 1}))),
    OpInfo("unbind_tuple", ember.unbind, None, _one(((3, 2),), ((2, 3), {"dim": 1}))),
    OpInfo("narrow", ember.narrow, _np_narrow, _one(((5, 3), 0, 1, 3), ((3, 5), -1, 2, 2))),
    OpInfo("select", ember.select, lambda x, d, i: np.take(x, i, axis=d),
           _one(((5, 3), 0, 1), ((3, 5), 1, -1))),
    OpInfo("flip", ember.flip, lambda x, dims: np.flip(x, dims),
           _one(((3, 4), (0,)), ((2, 3, 4), (0, 2)), ((3, 4), 1)), dtypes=ALL_NUMERIC),
    OpInfo("fliplr", ember.fliplr, np.fliplr, _one(((3, 4),))),
    OpInfo("flipud", ember.flipud, np.flipud, _one(((3, 4),))),
    OpInfo("roll", ember.roll, _np_roll,
           _one(((3, 4), 1), ((3, 4), (1, -2), (0, 1)), ((3, 4), 5, 1)), dtypes=ALL_NUMERIC),
    OpInfo("tril", ember.tril, _np_tri(np.tril),
           _one(((4, 4),), ((3, 5), {"diagonal": 1}), ((2, 3, 3), {"diagonal": -1}))),
    OpInfo("triu", ember.triu, _np_tri(np.triu),
           _one(((4, 4),), ((3, 5), {"diagonal": -1}), ((2, 3, 3), {"diagonal": 2}))),
    OpInfo("movedim", ember.movedim, np.moveaxis,
           _one(((2, 3, 4), 0, -1), ((2, 3, 4), (0, 1), (2, 0)))),
    OpInfo("swapaxes", ember.swapaxes, np.swapaxes, _one(((2, 3, 4), 0, 2))),
    OpInfo("diagonal", ember.diagonal, _np_diagonal,
           _one(((4, 4),), ((3, 5), 1), ((2, 3, 4), -1, 1, 2), ((3, 4, 2), 0, 0, -1))),
    OpInfo("diag", ember.diag, np.diag, _one(((3,),), ((3,), 1), ((3, 4),), ((4, 4), -2))),
    OpInfo("diag_embed", ember.diag_embed, _np_diag_embed,
           _one(((3,),), ((2, 3), 1), ((2, 3), -1))),
    OpInfo("diagonal_scatter", ember.diagonal_scatter, _np_diag_scatter, _diag_scatter_samples),
    OpInfo("view_as", ember.Tensor.view_as, lambda x, o: x.reshape(o.shape), _as_other),
    OpInfo("reshape_as", ember.Tensor.reshape_as, lambda x, o: x.reshape(o.shape), _as_other),
    OpInfo("meshgrid", lambda *xs, **k: _flat(ember.meshgrid(*xs, **k)), _np_meshgrid, _vecs),
    OpInfo("meshgrid_tuple", ember.meshgrid, None, _vecs),
    OpInfo("atleast_1d", ember.atleast_1d, np.atleast_1d, _one(((),), ((3,),))),
    OpInfo("atleast_2d", ember.atleast_2d, np.atleast_2d, _one(((),), ((3,),), ((2, 3),))),
    OpInfo("atleast_3d", ember.atleast_3d, np.atleast_3d, _one(((),), ((3,),), ((2, 3),))),
]
