"""Records for the pooling ops added on branch r13n: fractional max pooling and lp_pool3d.

The references are plain loops over the windows (PyTorch's window placement for the fractional
pools, written out independently of ember's vectorised kernel).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import product

import numpy as np

import ember.nn.functional as F
from tests.ember.opinfo import OpInfo, Sample

# --- branch r13n: fractional max pooling, lp_pool3d -------------------------------------------


def _starts(u: float, n: int, o: int, k: int, dt: type) -> list[int]:
    if o == 1:
        return [n - k]
    alpha = dt(n - k) / dt(o - 1)
    out = [int((dt(i) + dt(u)) * alpha) - int(dt(u) * alpha) for i in range(o - 1)]
    return out + [n - k]


def _fractional_ref(x, k, output_size, _random_samples):
    nd = len(k)
    dt = x.dtype.type
    out = np.empty(x.shape[:2] + tuple(output_size), x.dtype)
    order = (1, 0) if nd == 2 else (0, 1, 2)  # 2-D: the width's sample comes first
    for b, c in product(range(x.shape[0]), range(x.shape[1])):
        u = _random_samples[b, c]
        starts = [_starts(u[order[a]], x.shape[2 + a], output_size[a], k[a], dt) for a in range(nd)]
        for pos in product(*(range(o) for o in output_size)):
            win = tuple(slice(starts[a][p], starts[a][p] + k[a]) for a, p in enumerate(pos))
            out[(b, c) + pos] = x[(b, c) + win].max()
    return out


def _fractional_samples(nd: int):
    def gen(rng: np.random.Generator, dtype: np.dtype) -> Iterable[Sample]:
        shape = (2, 2, 7, 6) if nd == 2 else (1, 2, 5, 6, 5)
        x = rng.permutation(np.prod(shape)).reshape(shape).astype(dtype)  # distinct values
        k, out = ((2, 3), (4, 3)) if nd == 2 else ((2, 2, 3), (3, 4, 2))
        u = rng.random((shape[0], shape[1], nd)).astype(dtype)
        yield Sample(x, k, output_size=out, _random_samples=u)

    return gen


def _lp3_ref(x, p, k, stride):
    kd, kh, kw = k
    sd, sh, sw = stride
    od, oh, ow = ((n - kk) // s + 1 for n, kk, s in zip(x.shape[2:], k, stride))
    out = np.empty(x.shape[:2] + (od, oh, ow), x.dtype)
    for i, j, m in product(range(od), range(oh), range(ow)):
        w = x[:, :, i * sd : i * sd + kd, j * sh : j * sh + kh, m * sw : m * sw + kw]
        out[:, :, i, j, m] = (w**p).sum(axis=(2, 3, 4)) ** (1.0 / p)
    return out


def _lp3_samples(rng: np.random.Generator, dtype: np.dtype) -> Iterable[Sample]:
    x = rng.uniform(0.5, 2.0, (1, 2, 4, 5, 4)).astype(dtype)
    yield Sample(x, 2.0, (2, 2, 2), (2, 1, 2))
    yield Sample(x, 3.0, (2, 3, 2), (1, 2, 1))


RECORDS = [
    OpInfo(
        "fractional_max_pool2d",
        F.fractional_max_pool2d,
        _fractional_ref,
        _fractional_samples(2),
        gradgrad=True,
    ),
    OpInfo(
        "fractional_max_pool3d",
        F.fractional_max_pool3d,
        _fractional_ref,
        _fractional_samples(3),
        gradgrad=False,
    ),
    OpInfo("lp_pool3d", F.lp_pool3d, _lp3_ref, _lp3_samples, gradgrad=False, atol=1e-4),
]
