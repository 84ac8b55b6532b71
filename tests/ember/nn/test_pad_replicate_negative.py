"""Replicate padding with negative pads reads clamped source indices, as PyTorch (a crop to
nothing still leaves the edge values); forward against NumPy, float64 gradcheck."""

from __future__ import annotations

import numpy as np

import ember
import ember.nn.functional as F
from ember.autograd import gradcheck


def _reference(x, lo, hi):
    n = x.shape[-1]
    return x[..., np.clip(np.arange(-lo, n + hi), 0, n - 1)]


def test_negative_replicate_pads_match_clamped_indices():
    x = np.arange(2 * 3 * 4, dtype=np.float64).reshape(2, 3, 4)
    for lo, hi in ((-4, 5), (2, -3), (-1, -1)):
        got = F.pad(ember.tensor(x), (lo, hi), mode="replicate").numpy()
        np.testing.assert_array_equal(got, _reference(x, lo, hi))
    two = F.pad(ember.tensor(x[None]), (1, -2, -2, 3), mode="replicate").numpy()
    rows = np.clip(np.arange(2, 3 + 3), 0, 2)
    np.testing.assert_array_equal(two, _reference(x[None], 1, -2)[..., rows, :])


def test_negative_replicate_pads_gradcheck():
    x = ember.tensor(np.random.default_rng(0).standard_normal((2, 3, 4)), requires_grad=True)
    assert gradcheck(lambda t: F.pad(t, (-3, 2), mode="replicate"), (x,))
    assert gradcheck(lambda t: F.pad(t[None], (1, -2, 2, -1), mode="replicate"), (x,))
