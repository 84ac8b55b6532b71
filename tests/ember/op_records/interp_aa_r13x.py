"""Records for the resampling added on branch r13x: ``interpolate(..., antialias=True)`` and
``mode="lanczos"``.

The reference is a plain loop over output pixels, written from PyTorch's description of its
antialiased kernels (normalised filter weights, support stretched by the downscale factor),
independently of ember's vectorised matrix builder. PyTorch's own values are checked in
``tests/ember/nn/test_antialias.py``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

import ember.nn.functional as F
from tests.ember.opinfo import OpInfo, Sample

# --- branch r13x: antialiased interpolate ------------------------------------------------------


def _filter(mode: str, x: float) -> float:
    x = abs(x)
    if mode == "bilinear":
        return max(0.0, 1.0 - x)
    if mode == "lanczos":
        return (
            0.0
            if x >= 3
            else (
                1.0
                if x == 0
                else 3 * math.sin(math.pi * x) * math.sin(math.pi * x / 3) / (math.pi * x) ** 2
            )
        )
    a = -0.5
    if x < 1:
        return (a + 2) * x**3 - (a + 3) * x**2 + 1
    if x < 2:
        return a * x**3 - 5 * a * x**2 + 8 * a * x - 4 * a
    return 0.0


def _resample_axis(x: np.ndarray, o: int, mode: str, align_corners: bool) -> np.ndarray:
    n = x.shape[-1]
    scale = ((n - 1) / (o - 1) if o > 1 else 0.0) if align_corners else n / o
    radius = {"bilinear": 1.0, "bicubic": 2.0, "lanczos": 3.0}[mode] * max(scale, 1.0)
    out = np.zeros(x.shape[:-1] + (o,))
    for i in range(o):
        center = scale * (i + 0.5)
        taps = [j for j in range(n) if int(center - radius + 0.5) <= j < center + radius + 0.5]
        w = np.array([_filter(mode, (j + 0.5 - center) / max(scale, 1.0)) for j in taps])
        out[..., i] = x[..., taps] @ (w / w.sum())
    return out


def _aa_ref(x, size, *, mode, align_corners=False, antialias=True):
    y = _resample_axis(x.astype(np.float64), size[1], mode, align_corners)
    y = _resample_axis(np.swapaxes(y, -1, -2), size[0], mode, align_corners)
    return np.swapaxes(y, -1, -2).astype(x.dtype)


def _aa_samples(rng: np.random.Generator, dtype: np.dtype) -> Iterable[Sample]:
    x = rng.standard_normal((1, 2, 9, 7)).astype(dtype)
    yield Sample(x, (4, 3), mode="bilinear", antialias=True)
    yield Sample(x, (3, 5), mode="bilinear", align_corners=True, antialias=True)
    yield Sample(x, (4, 2), mode="bicubic", antialias=True)
    yield Sample(x, (12, 3), mode="bicubic", align_corners=True, antialias=True)
    yield Sample(x, (4, 9), mode="lanczos", antialias=True)


RECORDS = [
    OpInfo("interpolate_antialias", F.interpolate, _aa_ref, _aa_samples, gradgrad=True),
]
