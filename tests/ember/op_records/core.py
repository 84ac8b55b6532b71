"""Records for the arithmetic core (add, sub, mul, div, pow, neg) and the first reductions."""

from __future__ import annotations

import numpy as np

import ember
from tests.ember.opinfo import (
    ALL_NUMERIC,
    OpInfo,
    Sample,
    binary_samples,
    reduction_samples,
    unary_samples,
)


def _scalar_samples(rng, dtype):
    yield Sample(rng.uniform(-2, 2, (3, 4)).astype(dtype), 2.5)
    yield Sample(rng.uniform(-2, 2, (3,)).astype(dtype), -3)


def _np_sum(x, dim=None, keepdim=False):
    axis = dim if dim is None or isinstance(dim, int) else tuple(dim)
    return np.sum(x, axis=axis, keepdims=keepdim)


def _np_mean(x, dim=None, keepdim=False):
    axis = dim if dim is None or isinstance(dim, int) else tuple(dim)
    return np.mean(x, axis=axis, keepdims=keepdim)


RECORDS = [
    OpInfo("add", ember.add, np.add, binary_samples(), dtypes=ALL_NUMERIC),
    OpInfo("add_scalar", ember.add, np.add, _scalar_samples),
    OpInfo("sub", ember.sub, np.subtract, binary_samples(), dtypes=ALL_NUMERIC),
    OpInfo("mul", ember.mul, np.multiply, binary_samples(), dtypes=ALL_NUMERIC),
    OpInfo("mul_scalar", ember.mul, np.multiply, _scalar_samples),
    OpInfo("div", ember.div, np.divide, binary_samples(0.5, 2.0)),
    OpInfo("pow", ember.pow, np.power, binary_samples(0.5, 2.0)),
    OpInfo(
        "pow_scalar",
        ember.pow,
        np.power,
        _scalar_samples,
        grad_samples=None,
        dtypes=(ember.float64,),
        differentiable=False,
    ),
    OpInfo("neg", ember.neg, np.negative, unary_samples()),
    OpInfo("exp", ember.exp, np.exp, unary_samples()),
    OpInfo("log", ember.log, np.log, unary_samples(0.1, 3.0)),
    OpInfo("sum", ember.sum, _np_sum, reduction_samples(), dtypes=ALL_NUMERIC),
    OpInfo("mean", ember.mean, _np_mean, reduction_samples()),
]
