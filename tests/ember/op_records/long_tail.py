"""Records for the long tail of the operator surface (branch r13f, issue 13): the ``*_copy``
variants of the view ops (``ember/ops/view_copy.py``) and the functions of
``ember/ops/numeric.py``. PyTorch's values for them are checked in ``tests/ember/surface``.
"""

from __future__ import annotations

import math

import numpy as np

import ember
from tests.ember.opinfo import (
    ALL_NUMERIC,
    INTS,
    OpInfo,
    Sample,
    _arr,
    binary_samples,
    unary_samples,
)

# --- the *_copy variants ----------------------------------------------------------------------


def _x(rng, dtype, shape=(2, 3, 4)):
    return _arr(rng, shape, dtype)


def _copy_samples(*args_list):
    def gen(rng, dtype):
        for shape, args in args_list:
            yield Sample(_x(rng, dtype, shape), *args)

    return gen


def _flat(outs):
    if isinstance(outs[0], ember.Tensor):
        return ember.cat([o.reshape(-1) for o in outs])
    return np.concatenate([np.asarray(o).reshape(-1) for o in outs])


def _split_ref(x, size, dim):
    return _flat(np.split(x, range(size, x.shape[dim], size), axis=dim))


def _unfold_ref(x, dim, size, step):
    n = (x.shape[dim] - size) // step + 1
    pieces = [np.take(x, range(i * step, i * step + size), axis=dim) for i in range(n)]
    return np.moveaxis(np.stack(pieces, axis=dim), dim + 1, -1)


COPY_RECORDS = [
    OpInfo(
        "view_copy",
        ember.view_copy,
        lambda x, s: x.reshape(s),
        _copy_samples(((2, 3, 4), ((6, 4),))),
        dtypes=ALL_NUMERIC,
    ),
    OpInfo(
        "permute_copy",
        ember.permute_copy,
        lambda x, d: np.transpose(x, d),
        _copy_samples(((2, 3, 4), ((2, 0, 1),))),
        dtypes=ALL_NUMERIC,
    ),
    OpInfo(
        "transpose_copy",
        ember.transpose_copy,
        lambda x, a, b: np.swapaxes(x, a, b),
        _copy_samples(((2, 3, 4), (0, -1))),
    ),
    OpInfo("t_copy", ember.t_copy, np.transpose, _copy_samples(((3, 4), ()))),
    OpInfo(
        "expand_copy",
        ember.expand_copy,
        lambda x, s: np.broadcast_to(x, s),
        _copy_samples(((3, 1), ((2, 3, 4),))),
    ),
    OpInfo("unsqueeze_copy", ember.unsqueeze_copy, np.expand_dims, _copy_samples(((3, 4), (1,)))),
    OpInfo("squeeze_copy", ember.squeeze_copy, np.squeeze, _copy_samples(((3, 1, 4), (1,)))),
    OpInfo(
        "diagonal_copy",
        ember.diagonal_copy,
        lambda x, o, a, b: np.diagonal(x, o, a, b),
        _copy_samples(((3, 4, 2), (1, 0, 1))),
    ),
    OpInfo(
        "select_copy",
        ember.select_copy,
        lambda x, d, i: np.take(x, i, axis=d),
        _copy_samples(((2, 3, 4), (1, -1))),
    ),
    OpInfo(
        "slice_copy",
        ember.slice_copy,
        lambda x, d, a, b, s: x[:, a:b:s],
        _copy_samples(((3, 5), (1, 1, 5, 2))),
    ),
    OpInfo("unfold_copy", ember.unfold_copy, _unfold_ref, _copy_samples(((3, 5), (1, 2, 2)))),
    OpInfo("alias_copy", ember.alias_copy, np.copy, _copy_samples(((3, 4), ()))),
    OpInfo(
        "split_copy",
        lambda *a: _flat(ember.split_copy(*a)),
        _split_ref,
        _copy_samples(((5, 3), (2, 0))),
    ),
    OpInfo(
        "unbind_copy",
        lambda x, d: _flat(ember.unbind_copy(x, d)),
        lambda x, d: _flat(list(np.moveaxis(x, d, 0))),
        _copy_samples(((3, 4), (1,))),
    ),
    OpInfo(
        "detach_copy", ember.detach_copy, np.copy, _copy_samples(((3, 4), ())), differentiable=False
    ),
]

# --- numeric.py ---------------------------------------------------------------------------------


def _index_reduce_samples(reduce, include_self=True):
    def gen(rng, dtype):
        x = rng.uniform(0.5, 2.0, size=(4, 3)).astype(dtype)
        # distinct source values: amax/amin have no ties, so their gradient is smooth
        src = (rng.permutation(15)[:6].reshape(2, 3) / 7.0 + 0.3).astype(dtype)
        yield Sample(x, 0, np.array([2, 0]), src, reduce, include_self=include_self)
        src = (rng.permutation(15)[:12].reshape(4, 3) / 7.0 + 0.3).astype(dtype)
        yield Sample(x, 0, np.array([1, 3, 1, 0]), src, reduce, include_self=include_self)

    return gen


def _index_reduce_ref(x, dim, index, src, reduce, include_self=True):
    out = np.array(x, dtype=np.float64)
    groups: dict[int, list] = {}
    for j, i in enumerate(index):
        groups.setdefault(int(i), []).append(src[j])
    fn = {"prod": np.prod, "mean": np.mean, "amax": np.max, "amin": np.min}[reduce]
    for i, rows in groups.items():
        vals = ([x[i]] if include_self else []) + rows
        out[i] = fn(np.stack(vals), axis=0)
    return out


def _renorm_ref(x, p, dim, maxnorm):
    others = tuple(i for i in range(x.ndim) if i != dim % x.ndim)
    norms = np.sum(np.abs(x) ** p, axis=others, keepdims=True) ** (1.0 / p)
    return x * np.where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)


def _renorm_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), 2, 0, 1.5)
    yield Sample(_arr(rng, (2, 3, 4), dtype), 1, -1, 2.0)


def _vander_samples(rng, dtype):
    yield Sample(_arr(rng, (4,), dtype), 3)
    yield Sample(_arr(rng, (3,), dtype), None, True)


def _gradient_samples(rng, dtype):
    yield Sample(_arr(rng, (6,), dtype))
    yield Sample(_arr(rng, (4, 5), dtype), spacing=0.5, edge_order=2)
    yield Sample(_arr(rng, (4, 5), dtype), spacing=[2.0], dim=1)


def _gradient_ref(x, spacing=1, dim=None, edge_order=1):
    dims = list(range(x.ndim)) if dim is None else [dim]
    steps = [spacing] * len(dims) if np.isscalar(spacing) else spacing
    outs = [np.gradient(x, h, axis=d, edge_order=edge_order) for d, h in zip(dims, steps)]
    return _flat(outs)


def _ldexp_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), rng.integers(-3, 4, size=(3, 4)))
    yield Sample(_arr(rng, (5,), dtype), rng.integers(-3, 4, size=()))


def _float_power_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype, 0.5, 2.0), _arr(rng, (3, 4), dtype, -2.0, 2.0))
    yield Sample(_arr(rng, (5,), dtype, 0.5, 2.0), 2.5)


def _int_pairs(rng, dtype):
    dtype = dtype if np.dtype(dtype).kind in "iu" else np.int64  # integer-only ops
    yield Sample(
        rng.integers(-30, 31, size=(3, 4)).astype(dtype),
        rng.integers(-30, 31, size=(4,)).astype(dtype),
    )


def _heaviside_samples(rng, dtype):
    x = _arr(rng, (3, 4), dtype)
    x[0, :2] = 0
    yield Sample(x, _arr(rng, (4,), dtype))


def _isin_samples(rng, dtype):
    yield Sample(
        rng.integers(0, 8, size=(3, 4)).astype(dtype), rng.integers(0, 8, size=(5,)).astype(dtype)
    )


def _hist_samples(rng, dtype):
    yield Sample(_arr(rng, (20,), dtype), 5)
    yield Sample(_arr(rng, (4, 5), dtype), 3, range=(-1.0, 1.0))


def _hist_ref(x, bins, range=None):  # noqa: A002
    return np.histogram(x, bins, range=range)[0].astype(x.dtype)


def _frexp_ref(x):
    m, e = np.frexp(x)
    return _flat([m, e.astype(m.dtype)])


NUMERIC_RECORDS = [
    OpInfo("exp2", ember.exp2, np.exp2, unary_samples()),
    OpInfo("logaddexp2", ember.logaddexp2, np.logaddexp2, binary_samples()),
    OpInfo("deg2rad", ember.deg2rad, np.deg2rad, unary_samples(-200.0, 200.0)),
    OpInfo("rad2deg", ember.rad2deg, np.rad2deg, unary_samples()),
    OpInfo(
        "float_power",
        ember.float_power,
        lambda a, b: np.power(np.float64(a), b),
        _float_power_samples,
        dtypes=(ember.float64,),
    ),
    OpInfo("ldexp", ember.ldexp, lambda x, e: x * np.exp2(e).astype(x.dtype), _ldexp_samples),
    OpInfo("renorm", ember.renorm, _renorm_ref, _renorm_samples, atol=1e-5),
    OpInfo(
        "vander", ember.vander, lambda x, n=None, inc=False: np.vander(x, n, inc), _vander_samples
    ),
    OpInfo(
        "gradient", lambda *a, **k: _flat(ember.gradient(*a, **k)), _gradient_ref, _gradient_samples
    ),
    *[
        OpInfo(
            f"index_reduce_{r}{'' if s else '_exclude_self'}",
            ember.index_reduce,
            _index_reduce_ref,
            _index_reduce_samples(r, s),
            atol=1e-5,
        )
        for r in ("prod", "mean", "amax", "amin")
        for s in (True, False)
    ],
    OpInfo(
        "frexp_mantissa",
        lambda x: ember.frexp(x).mantissa,
        lambda x: np.frexp(x)[0],
        unary_samples(-50.0, 50.0),
    ),
    OpInfo(
        "frexp",
        lambda x: _flat(ember.frexp(x)),
        _frexp_ref,
        unary_samples(-50.0, 50.0),
        differentiable=False,
    ),
    OpInfo("gcd", ember.gcd, np.gcd, _int_pairs, dtypes=INTS, differentiable=False),
    OpInfo("lcm", ember.lcm, np.lcm, _int_pairs, dtypes=INTS, differentiable=False),
    OpInfo(
        "heaviside",
        ember.heaviside,
        np.heaviside,
        _heaviside_samples,
        dtypes=(*INTS, ember.float32, ember.float64),
        differentiable=False,
    ),
    OpInfo("nextafter", ember.nextafter, np.nextafter, binary_samples(), differentiable=False),
    OpInfo(
        "signbit",
        ember.signbit,
        np.signbit,
        unary_samples(),
        dtypes=ALL_NUMERIC,
        differentiable=False,
    ),
    OpInfo("isin", ember.isin, np.isin, _isin_samples, dtypes=INTS, differentiable=False),
    OpInfo(
        "histogram",
        lambda *a, **k: ember.histogram(*a, **k).hist,
        _hist_ref,
        _hist_samples,
        differentiable=False,
    ),
    OpInfo("sinc_inplace", lambda x: x.clone().sinc_(), np.sinc, unary_samples(0.1, 2.0)),
    OpInfo("exp2_inplace", lambda x: x.clone().exp2_(), np.exp2, unary_samples()),
    OpInfo(
        "lgamma_inplace",
        lambda x: x.clone().lgamma_(),
        np.vectorize(math.lgamma, otypes=[np.float64]),
        unary_samples(0.2, 6.0),
        dtypes=(ember.float64,),
        gradgrad=False,  # in-place ops drop the graph under create_graph (ops/inplace.py)
    ),
]

# --- special_poly.py: references from numpy.polynomial ---------------------------------------
_P = np.polynomial


def _by_degree(basis, shift=False):
    """Reference ``p_n(x)`` from a NumPy basis series with one nonzero coefficient."""

    def ref(x, n):
        xs = 2 * np.asarray(x, np.float64) - 1 if shift else np.asarray(x, np.float64)
        return basis.basis(int(n))(xs)

    return ref


def _u_ref(x, n):
    # U_n = (T_{n+1}' ) / (n + 1)
    return _P.chebyshev.Chebyshev.basis(int(n) + 1).deriv()(x) / (int(n) + 1)


def _poly_samples(rng, dtype):
    for n in (0, 1, 3, 5):
        yield Sample(rng.uniform(-0.95, 0.95, size=(7,)).astype(dtype), n)


def _erfcx_ref(x):
    return np.array(
        [math.exp(v * v) * math.erfc(v) for v in np.asarray(x, np.float64).ravel()]
    ).reshape(np.shape(x))


S = ember.special
POLY_RECORDS = [
    OpInfo(name, fn, ref, _poly_samples, differentiable=False, atol=1e-4)
    for name, fn, ref in [
        ("chebyshev_t", S.chebyshev_polynomial_t, _by_degree(_P.chebyshev.Chebyshev)),
        ("chebyshev_u", S.chebyshev_polynomial_u, _u_ref),
        (
            "shifted_chebyshev_t",
            S.shifted_chebyshev_polynomial_t,
            _by_degree(_P.chebyshev.Chebyshev, shift=True),
        ),
        ("hermite_h", S.hermite_polynomial_h, _by_degree(_P.hermite.Hermite)),
        ("hermite_he", S.hermite_polynomial_he, _by_degree(_P.hermite_e.HermiteE)),
        ("laguerre_l", S.laguerre_polynomial_l, _by_degree(_P.laguerre.Laguerre)),
        ("legendre_p", S.legendre_polynomial_p, _by_degree(_P.legendre.Legendre)),
    ]
] + [OpInfo("erfcx", S.erfcx, _erfcx_ref, unary_samples(-2.0, 6.0))]

RECORDS = COPY_RECORDS + NUMERIC_RECORDS + POLY_RECORDS
