"""Records for elementwise math: unary functions, rounding, clamping, binary math, predicates.

Sample domains stay inside each function's domain and away from poles and kinks, so that the
float64 finite differences in the gradient checks are meaningful.
"""

from __future__ import annotations

import math

import numpy as np

import ember
from tests.ember.opinfo import (
    ALL_NUMERIC,
    FLOATS,
    OpInfo,
    Sample,
    _arr,
    binary_samples,
    unary_samples,
)

_erf = np.vectorize(math.erf, otypes=[np.float64])
_erfc = np.vectorize(math.erfc, otypes=[np.float64])


def _erfinv_ref(y):
    """Bisection on math.erf: slow but independent of the implementation under test."""
    y = np.asarray(y, dtype=np.float64)
    lo, hi = np.full(y.shape, -6.0), np.full(y.shape, 6.0)
    for _ in range(80):
        mid = (lo + hi) / 2
        below = _erf(mid) < y
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return (lo + hi) / 2


def _sigmoid_ref(x):
    return 1.0 / (1.0 + np.exp(-x.astype(np.float64)))


def _unary(name, ref, low=-2.0, high=2.0, dtypes=FLOATS, **kw):
    return OpInfo(name, getattr(ember, name), ref, unary_samples(low, high), dtypes=dtypes, **kw)


def _away_from_integers(rng, dtype):
    """Values at least 0.1 from any integer (and half-integer for round) for finite differences."""
    for shape in [(5,), (3, 4)]:
        base = rng.integers(-3, 3, size=shape) + rng.uniform(0.1, 0.4, size=shape)
        yield Sample(base.astype(dtype))


def _clamp_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype), -0.5, 0.5)
    yield Sample(_arr(rng, (5,), dtype), min=-1.0)
    yield Sample(_arr(rng, (5,), dtype), max=0.25)


def _clamp_tensor_samples(rng, dtype):
    lo = rng.uniform(-1.0, -0.1, (3, 1)).astype(dtype)
    hi = rng.uniform(0.1, 1.0, (4,)).astype(dtype)
    yield Sample(_arr(rng, (3, 4), dtype), lo, hi)
    yield Sample(_arr(rng, (3, 4), dtype), None, hi)


def _clamp_tensor_ref(x, lo, hi):
    return np.clip(x, lo if lo is not None else -np.inf, hi if hi is not None else np.inf)


def _clamp_ref(x, min=None, max=None):  # noqa: A002
    return np.clip(x, -np.inf if min is None else min, np.inf if max is None else max)


def _ternary_samples(low=-2.0, high=2.0, third_low=None, third_high=None):
    tl = low if third_low is None else third_low
    th = high if third_high is None else third_high

    def gen(rng, dtype):
        yield Sample(_arr(rng, (3, 4), dtype, low, high), _arr(rng, (3, 4), dtype, low, high),
                     _arr(rng, (4,), dtype, tl, th))
        yield Sample(_arr(rng, (2, 1, 4), dtype, low, high), _arr(rng, (3, 1), dtype, low, high),
                     _arr(rng, (), dtype, tl, th))

    return gen


def _lerp_samples(rng, dtype):
    yield from _ternary_samples(third_low=0.0, third_high=1.0)(rng, dtype)
    yield Sample(_arr(rng, (3, 4), dtype), _arr(rng, (3, 4), dtype), 0.3)


def _special_values(rng, dtype):
    x = np.array([0.0, -1.5, np.nan, np.inf, -np.inf, 3.0], dtype=dtype)
    yield Sample(x)
    yield Sample(np.where(rng.uniform(size=(3, 4)) < 0.3, np.nan, _arr(rng, (3, 4), dtype)))


def _nan_to_num_samples(rng, dtype):
    yield from _special_values(rng, dtype)
    yield Sample(np.array([np.nan, np.inf, -np.inf, 1.0], dtype=dtype), nan=1.5, posinf=9.0,
                 neginf=-9.0)


def _nonzero_sign(rng, dtype):
    for shape in [(5,), (3, 4)]:
        mag = rng.uniform(0.2, 2.0, size=shape)
        sign = np.where(rng.uniform(size=shape) < 0.5, -1.0, 1.0)
        yield Sample((mag * sign).astype(dtype), _arr(rng, shape, dtype))


def _where_samples(rng, dtype):
    cond = rng.uniform(size=(3, 4)) < 0.5
    yield Sample(cond, _arr(rng, (3, 4), dtype), _arr(rng, (4,), dtype))
    yield Sample(cond[:, :1], _arr(rng, (3, 4), dtype), 0.5)


def _nan_to_num_ref(x, nan=0.0, posinf=None, neginf=None):
    return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def _xlogy_ref(x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0.0, x * np.log(y))


RECORDS = [
    _unary("expm1", np.expm1),
    _unary("log1p", np.log1p, -0.5, 2.0),
    _unary("log2", np.log2, 0.2, 3.0),
    _unary("log10", np.log10, 0.2, 3.0),
    _unary("sqrt", np.sqrt, 0.2, 3.0, dtypes=ALL_NUMERIC),
    _unary("rsqrt", lambda x: 1.0 / np.sqrt(x), 0.2, 3.0),
    _unary("square", np.square, dtypes=ALL_NUMERIC),
    _unary("sin", np.sin, dtypes=ALL_NUMERIC),
    _unary("cos", np.cos),
    _unary("tan", np.tan, -1.2, 1.2),
    _unary("asin", np.arcsin, -0.9, 0.9),
    _unary("acos", np.arccos, -0.9, 0.9),
    _unary("atan", np.arctan),
    _unary("sinh", np.sinh),
    _unary("cosh", np.cosh),
    _unary("tanh", np.tanh, dtypes=ALL_NUMERIC),
    _unary("asinh", np.arcsinh),
    _unary("acosh", np.arccosh, 1.2, 3.0),
    _unary("atanh", np.arctanh, -0.9, 0.9),
    _unary("sigmoid", _sigmoid_ref, -6.0, 6.0, dtypes=ALL_NUMERIC),
    _unary("relu", lambda x: np.maximum(x, 0), dtypes=ALL_NUMERIC),
    _unary("erf", _erf, -3.0, 3.0, dtypes=ALL_NUMERIC),
    _unary("erfc", _erfc, -3.0, 5.0),
    _unary("erfinv", _erfinv_ref, -0.95, 0.95),
    _unary("abs", np.abs, dtypes=ALL_NUMERIC),
    _unary("reciprocal", np.reciprocal, 0.5, 2.0),
    # Piecewise constant: the gradient is a constant zero, so there is no second derivative graph.
    _unary("sign", np.sign, dtypes=ALL_NUMERIC, gradgrad=False),
    OpInfo("floor", ember.floor, np.floor, _away_from_integers, dtypes=ALL_NUMERIC,
           gradgrad=False),
    OpInfo("ceil", ember.ceil, np.ceil, _away_from_integers, gradgrad=False),
    OpInfo("trunc", ember.trunc, np.trunc, _away_from_integers, gradgrad=False),
    OpInfo("round", ember.round, np.round, _away_from_integers, gradgrad=False),
    OpInfo("round_decimals", lambda x: ember.round(x, decimals=1), lambda x: np.round(x, 1),
           unary_samples(), grad_samples=_away_from_integers, gradgrad=False),
    OpInfo("frac", ember.frac, lambda x: x - np.trunc(x), _away_from_integers),
    OpInfo("clamp", ember.clamp, _clamp_ref, _clamp_samples, dtypes=ALL_NUMERIC),
    OpInfo("clamp_tensor", ember.clamp, _clamp_tensor_ref, _clamp_tensor_samples),
    OpInfo("clamp_min", ember.clamp_min, np.maximum,
           lambda rng, dt: [Sample(_arr(rng, (3, 4), dt), 0.1)]),
    OpInfo("clamp_max", ember.clamp_max, np.minimum,
           lambda rng, dt: [Sample(_arr(rng, (3, 4), dt), 0.1)]),
    OpInfo("maximum", ember.maximum, np.maximum, binary_samples(), dtypes=ALL_NUMERIC),
    OpInfo("minimum", ember.minimum, np.minimum, binary_samples(), dtypes=ALL_NUMERIC),
    OpInfo("fmax", ember.fmax, np.fmax, binary_samples(), dtypes=ALL_NUMERIC),
    OpInfo("fmin", ember.fmin, np.fmin, binary_samples(), dtypes=ALL_NUMERIC),
    OpInfo("atan2", ember.atan2, np.arctan2, binary_samples(0.2, 2.0, -2.0, 2.0),
           dtypes=ALL_NUMERIC),
    OpInfo("hypot", ember.hypot, np.hypot, binary_samples(0.2, 2.0)),
    OpInfo("logaddexp", ember.logaddexp, np.logaddexp, binary_samples(-5.0, 5.0)),
    OpInfo("xlogy", ember.xlogy, _xlogy_ref, binary_samples(-2.0, 2.0, 0.2, 3.0)),
    OpInfo("copysign", ember.copysign, np.copysign, _nonzero_sign),
    OpInfo("nan_to_num", ember.nan_to_num, _nan_to_num_ref, _nan_to_num_samples,
           grad_samples=unary_samples()),
    OpInfo("lerp", ember.lerp, lambda a, b, w: a + w * (b - a), _lerp_samples),
    OpInfo("addcmul", lambda a, b, c: ember.addcmul(a, b, c, value=0.5),
           lambda a, b, c: a + 0.5 * b * c, _ternary_samples()),
    OpInfo("addcdiv", lambda a, b, c: ember.addcdiv(a, b, c, value=2.0),
           lambda a, b, c: a + 2.0 * b / c, _ternary_samples(third_low=0.5, third_high=2.0)),
    OpInfo("where", ember.where, np.where, _where_samples),
    OpInfo("isnan", ember.isnan, np.isnan, _special_values, differentiable=False),
    OpInfo("isinf", ember.isinf, np.isinf, _special_values, differentiable=False),
    OpInfo("isfinite", ember.isfinite, np.isfinite, _special_values, differentiable=False),
    OpInfo("isposinf", ember.isposinf, np.isposinf, _special_values, differentiable=False),
    OpInfo("isneginf", ember.isneginf, np.isneginf, _special_values, differentiable=False),
]

RECORDS.append(
    OpInfo("logit", ember.logit, lambda x: np.log(x / (1 - x)), unary_samples(0.1, 0.9))
)
