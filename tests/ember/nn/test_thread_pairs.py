"""The two-thread paths of ``run_pair``: Linear's backward GEMMs side by side, Attention's batch
halves, against plain NumPy or the composed ops.

These paths run only above ``PAIR_GEMM`` multiply-adds and with several BLAS threads, so the op
table's small gradchecks never reach them: these tests do.
"""

from __future__ import annotations

import multiprocessing
import os

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember.ops.nn import _blas


@pytest.fixture
def two_threads():
    before = ember.get_num_threads()
    ember.set_num_threads(2)
    try:
        yield
    finally:
        ember.set_num_threads(before)


@pytest.mark.parametrize("lead", [(64,), (4, 16)])
@pytest.mark.parametrize("needs_x", [True, False])
def test_linear_backward_pair_matches_numpy(two_threads, lead, needs_x, monkeypatch):
    submitted = []
    executor = _blas._executor()
    monkeypatch.setattr(_blas, "_executor", lambda: submitted.append(1) or executor)
    rng = np.random.default_rng(0)
    n_in, n_out = 256, 256
    assert int(np.prod(lead)) * n_in * n_out >= _blas.PAIR_GEMM  # the threaded path
    xn = rng.standard_normal(lead + (n_in,)).astype(np.float32)
    wn = rng.standard_normal((n_out, n_in)).astype(np.float32)
    gn = rng.standard_normal(lead + (n_out,)).astype(np.float32)
    x = ember.tensor(xn, requires_grad=needs_x)
    w = ember.tensor(wn, requires_grad=True)
    b = ember.zeros(n_out, requires_grad=True)
    F.linear(x, w, b).backward(ember.tensor(gn))
    g2, x2 = gn.reshape(-1, n_out), xn.reshape(-1, n_in)
    np.testing.assert_allclose(w.grad.numpy(), g2.T @ x2, rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(b.grad.numpy(), g2.sum(0), rtol=1e-4, atol=1e-4)
    if needs_x:
        assert x.grad.shape == x.shape and x.grad.dtype == ember.float32
        np.testing.assert_allclose(x.grad.numpy(), gn @ wn, rtol=1e-4, atol=1e-3)
    else:
        assert x.grad is None
    assert len(submitted) == int(needs_x)  # the pair ran on two threads when both were needed
    assert ember.get_num_threads() == 2  # the BLAS thread count is restored


def test_linear_backward_create_graph_keeps_the_composed_path():
    x = ember.randn(3, 4, dtype=ember.float64, requires_grad=True)
    w = ember.randn(5, 4, dtype=ember.float64, requires_grad=True)
    (gx,) = ember.autograd.grad(F.linear(x, w).pow(2).sum(), x, create_graph=True)
    assert gx.requires_grad
    assert ember.autograd.gradcheck(lambda a, b: F.linear(a, b), (x, w))


def test_run_pair_order_errors_and_thread_count(two_threads):
    assert _blas.run_pair(lambda: 1, lambda: 2, parallel=True) == (1, 2)
    assert _blas.run_pair(lambda: 1, lambda: 2, parallel=False) == (1, 2)

    def boom():
        raise ValueError("second failed")

    with pytest.raises(ValueError, match="second failed"):
        _blas.run_pair(lambda: 1, boom, parallel=True)
    with pytest.raises(ValueError, match="second failed"):
        _blas.run_pair(boom, lambda: 2, parallel=True)
    assert ember.get_num_threads() == 2


def _pair_in_child(queue):
    queue.put(_blas.run_pair(lambda: 1, lambda: 2, parallel=True))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_run_pair_in_a_forked_child(two_threads):
    _blas.run_pair(lambda: 0, lambda: 0, parallel=True)  # the parent's worker exists
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_pair_in_child, args=(queue,))
    child.start()
    child.join(timeout=30)
    if child.is_alive():
        child.kill()
        pytest.fail("run_pair hung in a forked child (the parent's worker thread is gone)")
    assert child.exitcode == 0 and queue.get(timeout=5) == (1, 2)


@pytest.mark.parametrize(
    ("mask_shape", "dropout"), [(None, False), ((128, 128), True), ((8, 128, 128), False)]
)
def test_attention_halves_on_two_threads_match_the_composed_ops(two_threads, mask_shape, dropout):
    from ember.ops.nn.attention import Attention, _split, attention_composed

    ember.manual_seed(0)
    q, k, v = (ember.randn(8, 128, 64, requires_grad=True) for _ in range(3))
    assert _split(q._data, k._data)  # 8 x 128 x 128 x 64 multiply-adds: threaded
    mask = None if mask_shape is None else ember.randn(*mask_shape, requires_grad=True)
    keep = (ember.rand(8, 128, 128) > 0.2).float() * 1.25 if dropout else None
    g = ember.randn(8, 128, 64)
    inputs = [t for t in (q, k, v, mask) if t is not None]
    out = Attention.apply(q, k, v, mask, keep, scale=0.125)
    got = ember.autograd.grad(out, inputs, g)
    want_out = attention_composed(q, k, v, mask, keep, 0.125)
    want = ember.autograd.grad(want_out, inputs, g)
    np.testing.assert_allclose(
        out.detach().numpy(), want_out.detach().numpy(), rtol=1e-5, atol=1e-5
    )
    for a, b in zip(got, want):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-5)
