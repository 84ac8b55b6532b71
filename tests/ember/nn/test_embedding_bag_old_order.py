"""embedding_bag accepts torch's deprecated (weight, input) argument order, with its warning
(PyTorch's sample inputs use it; their values: tests/ember/torch_samples)."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.nn.functional as F


def test_old_argument_order_swaps_with_a_warning():
    w = ember.arange(12.0).reshape(6, 2)
    idx, offsets = ember.tensor([0, 5, 2, 2, 1]), ember.tensor([0, 2])
    want = F.embedding_bag(idx, w, offsets, mode="sum")
    with pytest.warns(UserWarning, match="Argument order"):
        got = F.embedding_bag(w, idx, offsets, mode="sum")
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    np.testing.assert_array_equal(want.numpy(), [[10.0, 12.0], [10.0, 13.0]])
