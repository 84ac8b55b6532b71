"""cov/corrcoef of one variable (a 1-D input or a single row) are 0-d, as PyTorch."""

from __future__ import annotations

import numpy as np

import ember


def test_one_row_gives_a_scalar():
    row = np.array([[1.0, 3.0, 4.0]])
    assert ember.cov(ember.tensor(row)).shape == ()
    np.testing.assert_allclose(ember.cov(ember.tensor(row)).numpy(), np.cov(row))
    assert ember.corrcoef(ember.tensor(row)).numpy() == 1.0
    fw = ember.tensor([1, 2, 1])
    np.testing.assert_allclose(
        ember.cov(ember.tensor(row), fweights=fw).numpy(), np.cov(row, fweights=[1, 2, 1])
    )
    assert ember.cov(ember.tensor(np.vstack([row, row]))).shape == (2, 2)
