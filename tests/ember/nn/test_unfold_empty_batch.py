"""unfold of an empty batch keeps its block count, as PyTorch: (0, C*k*k, L)."""

from __future__ import annotations

import ember
import ember.nn.functional as F


def test_unfold_of_an_empty_batch():
    assert F.unfold(ember.zeros(0, 1, 5, 5), 2).shape == (0, 4, 16)
    assert F.unfold(ember.zeros(0, 3, 5, 5), (2, 3), stride=2, dilation=(1, 2)).shape == (0, 18, 2)
    assert F.unfold(ember.ones(1, 2, 3, 3), 2).shape == (1, 8, 4)
