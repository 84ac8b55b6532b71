"""Records for the gamma family, Bessel functions and normal-distribution helpers
(``ember/ops/special_fn.py``). PyTorch's values for all of them are checked in
``tests/ember/special``; the references here are independent NumPy/math ones where one exists.
"""

from __future__ import annotations

import math

import numpy as np

import ember
import ember.special as S
from tests.ember.opinfo import OpInfo, Sample, _arr, unary_samples

_lgamma = np.vectorize(math.lgamma, otypes=[np.float64])
_erfc = np.vectorize(math.erfc, otypes=[np.float64])


def _ndtri_ref(p):
    """Bisection on math.erfc (independent of the implementation under test)."""
    p = np.asarray(p, dtype=np.float64)
    lo, hi = np.full(p.shape, -40.0), np.full(p.shape, 40.0)
    for _ in range(100):
        mid = (lo + hi) / 2
        below = 0.5 * _erfc(-mid / math.sqrt(2)) < p
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return (lo + hi) / 2


def _mvlgamma_ref(x, p):
    return sum(_lgamma(np.asarray(x, np.float64) - j / 2) for j in range(p)) + (
        p * (p - 1) / 4 * math.log(math.pi)
    )


def _polygamma_samples(n):
    def gen(rng, dtype):
        for shape in [(5,), (3, 4)]:
            yield Sample(n, _arr(rng, shape, dtype, 0.3, 6.0))

    return gen


def _mvlgamma_samples(rng, dtype):
    yield Sample(_arr(rng, (3, 4), dtype, 1.6, 5.0), 3)


def _zeta_samples(rng, dtype):
    # Differentiable in q only (as PyTorch): the exponent is a Python number.
    yield Sample(2.5, _arr(rng, (3, 4), dtype, 0.5, 3.0))


def _gammainc_samples(rng, dtype):
    # Differentiable in x only (as PyTorch): the shape is a Python number.
    yield Sample(1.7, _arr(rng, (3, 4), dtype, 0.2, 5.0))


RECORDS = [
    OpInfo("lgamma", ember.lgamma, _lgamma, unary_samples(0.2, 6.0), atol=1e-5),
    OpInfo("lgamma_negative", ember.lgamma, _lgamma, unary_samples(-2.9, -2.1), atol=1e-5),
    OpInfo("digamma", ember.digamma, None, unary_samples(0.3, 6.0)),
    OpInfo("polygamma_1", ember.polygamma, None, _polygamma_samples(1)),
    OpInfo("polygamma_2", ember.polygamma, None, _polygamma_samples(2)),
    OpInfo("mvlgamma", ember.mvlgamma, _mvlgamma_ref, _mvlgamma_samples, atol=1e-5),
    OpInfo("i0", ember.i0, np.i0, unary_samples(-3.0, 3.0), atol=1e-5),
    OpInfo("i0e", S.i0e, lambda x: np.i0(x) * np.exp(-np.abs(x)), unary_samples(-3.0, 3.0)),
    OpInfo("i1", S.i1, None, unary_samples(0.2, 3.0)),
    OpInfo("i1e", S.i1e, None, unary_samples(0.2, 3.0)),
    OpInfo("bessel_j0", S.bessel_j0, None, unary_samples(-8.0, 8.0)),
    OpInfo("bessel_j1", S.bessel_j1, None, unary_samples(0.2, 8.0)),
    OpInfo("sinc", ember.sinc, np.sinc, unary_samples(0.1, 2.0)),
    OpInfo("ndtri", S.ndtri, _ndtri_ref, unary_samples(0.05, 0.95), atol=1e-5),
    OpInfo(
        "log_ndtr",
        S.log_ndtr,
        lambda x: np.log(0.5 * _erfc(-np.asarray(x) / math.sqrt(2))),
        unary_samples(-4.0, 3.0),
        atol=1e-5,
    ),
    OpInfo(
        "ndtr",
        S.ndtr,
        lambda x: 0.5 * _erfc(-np.asarray(x) / math.sqrt(2)),
        unary_samples(-3.0, 3.0),
    ),
    OpInfo("zeta", S.zeta, None, _zeta_samples, gradgrad=False),
    OpInfo("gammainc", S.gammainc, None, _gammainc_samples, gradgrad=False),
]
