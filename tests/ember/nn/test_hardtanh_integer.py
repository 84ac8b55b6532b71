"""hardtanh and relu6 keep an integer input's dtype, as PyTorch (which casts the bounds)."""

from __future__ import annotations

import numpy as np

import ember
import ember.nn.functional as F


def test_integer_input_keeps_its_dtype():
    x = ember.tensor([-3, 0, 2, 9])
    for out, want in (
        (F.hardtanh(x), [-1, 0, 1, 1]),
        (F.relu6(x), [0, 0, 2, 6]),
        (F.hardtanh(x, -2, 5), [-2, 0, 2, 5]),
    ):
        assert out.dtype == ember.int64
        np.testing.assert_array_equal(out.numpy(), want)
