"""The CuPy kernel slot: ``register_kernel(name, "cupy")`` replaces a primitive's forward for GPU
arrays only, and backward still runs through ember ops. Exercised on the simulated GPU (no fused
CuPy kernel ships: none has been measured on a GPU, see docs/gpu.md)."""

from __future__ import annotations

import numpy as np

import ember
from ember.ops import registry
from tests.ember import _fake_cupy


def test_a_cupy_kernel_runs_for_gpu_arrays_only() -> None:
    prim = registry.get("Relu")
    calls = []

    @registry.register_kernel("Relu", "cupy")
    def relu_cupy(ctx, x):
        calls.append(type(x).__module__)
        return prim.forward(ctx, x)

    try:
        x = ember.tensor([-1.0, 0.5, 2.0], requires_grad=True)
        ember.relu(x).sum().backward()
        assert calls == []  # NumPy arrays keep the generic forward
        with _fake_cupy.installed():
            xg = x.detach().to("cuda").requires_grad_()
            y = ember.relu(xg)
            y.sum().backward()
            assert calls == ["cupy"] and y.device.type == "cuda"
            np.testing.assert_array_equal(y.cpu().detach().numpy(), [0.0, 0.5, 2.0])
            np.testing.assert_array_equal(xg.grad.cpu().numpy(), x.grad.numpy())
            with ember.no_grad():  # the untracked path dispatches the same way
                ember.relu(xg)
            assert calls == ["cupy", "cupy"]
    finally:
        del prim.kernels["cupy"]
    assert prim.kernels == {}
