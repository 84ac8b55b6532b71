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


def test_torch_exchange_is_zero_copy_both_ways() -> None:
    """With PyTorch installed (CI has none: skipped there), ``ember.from_dlpack(torch_tensor)``
    and ``torch.from_dlpack(ember_tensor)`` share memory: a write on one side shows on the other."""
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    src = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    t = ember.from_dlpack(src)
    assert t.shape == (3, 4) and t.dtype == ember.float32 and t.device.type == "cpu"
    src[0, 1] = 42.0
    t[2, 3] = -7.0
    assert t[0, 1].item() == 42.0 and src[2, 3].item() == -7.0
    e = ember.arange(6, dtype=ember.int64).reshape(2, 3).t()  # a strided view
    back = torch.from_dlpack(e)
    assert back.dtype == torch.int64 and back.tolist() == e.tolist()
    back[0, 1] = 100
    e[2, 0] = -5
    assert e[0, 1].item() == 100 and back[2, 0].item() == -5


def test_jax_exchange_shares_memory() -> None:
    """With JAX installed (skipped otherwise): JAX arrays are immutable, so the check is that
    both directions hand over the same buffer (the address is kept), not a copy."""
    jnp = pytest.importorskip("jax.numpy", reason="JAX is not installed")
    import jax

    a = jnp.arange(6.0, dtype=jnp.float32).reshape(2, 3)
    t = ember.from_dlpack(a)
    np.testing.assert_array_equal(t.numpy(), np.asarray(a))
    assert t.numpy().ctypes.data == a.unsafe_buffer_pointer()
    raw = np.zeros(6 + 16, np.float32)  # JAX copies host buffers not aligned to 64 bytes
    start = (-raw.ctypes.data % 64) // 4
    e = ember.from_numpy(raw[start : start + 6].reshape(2, 3))
    e.copy_(ember.arange(6.0).reshape(2, 3))
    j = jax.dlpack.from_dlpack(e)
    np.testing.assert_array_equal(np.asarray(j), e.numpy())
    e[0, 0] = 9.0  # written after the exchange: visible only when the buffer is shared
    assert float(j[0, 0]) == 9.0
