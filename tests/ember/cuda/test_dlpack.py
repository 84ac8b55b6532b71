"""DLPack exchange: zero-copy both ways with NumPy, on the CPU and on the (simulated) GPU."""

from __future__ import annotations

import numpy as np
import pytest

import ember


def test_numpy_to_ember_and_back_share_memory() -> None:
    a = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    t = ember.from_dlpack(a)
    a[0, 0] = 9.0
    assert t[0, 0].item() == 9.0 and t.dtype == ember.float32 and t.shape == (2, 3)
    back = np.from_dlpack(t)
    t[1, 2] = -1.0
    assert back[1, 2] == -1.0 and np.shares_memory(back, a)
    assert t.__dlpack_device__() == (1, 0)
    u = ember.utils.dlpack.from_dlpack(ember.utils.dlpack.to_dlpack(t))
    assert np.shares_memory(np.from_dlpack(u), a)


def test_views_and_errors() -> None:
    t = ember.arange(12.0).reshape(3, 4).t()  # a strided view exports its strides
    np.testing.assert_array_equal(np.from_dlpack(t), np.arange(12.0).reshape(3, 4).T)
    with pytest.raises(RuntimeError, match="require gradient"):
        ember.ones(2, requires_grad=True).__dlpack__()
    assert ember.from_dlpack(ember.ones(2, requires_grad=True).detach()).requires_grad is False
