"""The speed paths of convolution, max pooling and masked gradients against plain NumPy loops.

Each kernel has more than one code path (chosen by stride, padding, the channel ratio and the
chunk budget); every path must give the same numbers as a direct loop over kernel offsets.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember.nn._functional import _convkern as ck
from ember.nn._functional import _poolkern as pk

# (input shape, output channels, kernel, stride, pad_lo, pad_hi, dilation, groups)
GEOMS = [
    ((3, 4, 7, 6), 4, (3, 3), (1, 1), (1, 1), (1, 1), (1, 1), 1),  # flat, correlation gx
    ((3, 2, 7, 6), 6, (3, 3), (1, 1), (0, 0), (0, 0), (1, 1), 1),  # flat, scatter gx
    ((2, 4, 9, 8), 4, (3, 2), (1, 1), (2, 1), (1, 0), (2, 3), 2),  # flat, dilated, groups
    ((2, 3, 8, 8), 5, (3, 3), (2, 2), (1, 1), (1, 1), (1, 1), 1),  # strided
    ((2, 4, 8, 7), 4, (1, 1), (2, 1), (0, 0), (0, 0), (1, 1), 2),  # pointwise, strided
    ((2, 3, 6), 4, (3,), (1,), (2,), (2,), (1,), 1),  # 1-d
    ((2, 2, 4, 5, 4), 3, (2, 3, 2), (1, 1, 1), (1, 1, 0), (0, 1, 1), (1, 1, 1), 1),  # 3-d
    ((2, 2, 6, 5), 9, (2, 2), (1, 1), (0, 0), (1, 0), (1, 1), 1),  # O > C * prod(k)
]


def _offsets(kernel):
    return list(itertools.product(*[range(k) for k in kernel]))


def _window(xpad, off, g):
    sl = tuple(slice(o * d, o * d + s * (n - 1) + 1, s)
               for o, d, s, n in zip(off, g.dilation, g.stride, g.out_size))
    return (slice(None), slice(None), *sl)


def _reference(x, w, gy, g):
    """Forward, input gradient and weight gradient by a loop over kernel offsets."""
    grp = g.groups
    n, c = x.shape[:2]
    o = w.shape[0]
    cg, og = c // grp, o // grp
    pads = [(0, 0), (0, 0)] + list(zip(g.pad_lo, g.pad_hi))
    xpad = np.pad(x, pads)
    y = np.zeros((n, o) + g.out_size)
    gxpad = np.zeros_like(xpad)
    gw = np.zeros_like(w)
    for off in _offsets(g.kernel):
        win = _window(xpad, off, g)
        for k in range(grp):
            xs, ws = slice(k * cg, (k + 1) * cg), slice(k * og, (k + 1) * og)
            patch = xpad[win][:, xs]
            wk = w[(ws, slice(None), *off)]
            y[:, ws] += np.einsum("nc...,oc->no...", patch, wk)
            gxpad[win][:, xs] += np.einsum("no...,oc->nc...", gy[:, ws], wk)
            gw[(ws, slice(None), *off)] += np.einsum("nop,ncp->oc", gy[:, ws].reshape(n, og, -1),
                                                     patch.reshape(n, cg, -1))
    crop = tuple(slice(a, a + i) for a, i in zip(g.pad_lo, g.in_size))
    return y, gxpad[(slice(None), slice(None), *crop)], gw


def _data(shape, o, geom):
    rng = np.random.default_rng(0)
    g = ck.ConvGeom(shape[2:], *geom)
    x = rng.standard_normal(shape)
    w = rng.standard_normal((o, shape[1] // g.groups) + g.kernel)
    gy = rng.standard_normal((shape[0], o) + g.out_size)
    return x, w, gy, g


@pytest.mark.parametrize("threads", [1, 2], ids=["serial", "threaded"])
@pytest.mark.parametrize("budget", [1, 1 << 30], ids=["chunk-per-sample", "one-chunk"])
@pytest.mark.parametrize("wide", [0.0, 1.5], ids=["windows", "shifted-runs"])
@pytest.mark.parametrize("case", GEOMS, ids=[str(i) for i in range(len(GEOMS))])
def test_conv_kernels_match_offset_loop(case, wide, budget, threads, monkeypatch):
    monkeypatch.setattr(ck._runtime, "get_num_threads", lambda: threads)
    monkeypatch.setattr(ck, "_MAX_WIDE", wide)
    monkeypatch.setattr(ck, "_CHUNK_BYTES", budget)
    shape, o, *geom = case
    x, w, gy, g = _data(shape, o, geom)
    y, gx, gw = _reference(x, w, gy, g)
    np.testing.assert_allclose(ck.conv_forward(x, w, None, g), y, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ck.conv_input_grad(gy, w, None, g), gx, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ck.conv_weight_grad(x, gy, g), gw, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("case", GEOMS[:3], ids=["0", "1", "2"])
def test_input_grad_paths_agree(case):
    shape, o, *geom = case
    x, w, gy, g = _data(shape, o, geom)
    pads = ck._full_pads(g)
    a = ck._input_grad_as_correlation(gy, w, g, pads)
    b = ck._input_grad_col2im(gy, w, g)
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)


def test_conv_float32_keeps_dtype():
    x, w, gy, g = _data((2, 3, 6, 6), 4, GEOMS[0][2:])
    x, w, gy = (a.astype(np.float32) for a in (x, w, gy))
    assert ck.conv_forward(x, w, None, g).dtype == np.float32
    assert ck.conv_input_grad(gy, w, None, g).dtype == np.float32
    assert ck.conv_weight_grad(x, gy, g).dtype == np.float32


# (input shape, output channels, pad_lo, pad_hi): even and odd outputs, no / symmetric /
# asymmetric / wide padding, one sample and several chunks.
WINO_GEOMS = [
    ((2, 3, 8, 8), 4, (1, 1), (1, 1)),
    ((3, 2, 7, 6), 5, (0, 0), (0, 0)),
    ((1, 3, 5, 9), 2, (1, 0), (0, 2)),
    ((4, 2, 4, 4), 3, (2, 2), (2, 2)),
]


@pytest.mark.parametrize("threads", [1, 2], ids=["serial", "threaded"])
@pytest.mark.parametrize("budget", [1, 1 << 30], ids=["chunk-per-sample", "one-chunk"])
@pytest.mark.parametrize("case", WINO_GEOMS, ids=[str(i) for i in range(len(WINO_GEOMS))])
def test_winograd_matches_offset_loop(case, budget, threads, monkeypatch):
    monkeypatch.setattr(ck._runtime, "get_num_threads", lambda: threads)
    monkeypatch.setattr(ck, "_WINO_MIN_CHANNELS", 1)
    monkeypatch.setattr(ck, "_WINO_MIN_SIZE", 1)
    monkeypatch.setattr(ck, "_WINO_CHUNK_BYTES", budget)
    calls = []
    wino = ck.winograd_3x3
    monkeypatch.setattr(ck, "winograd_3x3", lambda *a: calls.append(1) or wino(*a))
    shape, o, lo, hi = case
    x, w, gy, g = _data(shape, o, ((3, 3), (1, 1), lo, hi, (1, 1), 1))
    y, gx, _ = _reference(x, w, gy, g)
    np.testing.assert_allclose(ck.conv_forward(x, w, None, g), y, rtol=1e-10, atol=1e-10)
    assert len(calls) == 1
    if ck._full_pads(g) is not None and o <= shape[1]:
        np.testing.assert_allclose(ck.conv_input_grad(gy, w, None, g), gx, rtol=1e-10, atol=1e-10)
        assert len(calls) == 2


def test_winograd_float32_error_and_path_choice(monkeypatch):
    rng = np.random.default_rng(1)
    big = ck.ConvGeom((30, 28), (3, 3), (1, 1), (1, 1), (1, 1), (1, 1))
    xb, wb = np.empty((2, 64, 30, 28), np.float32), np.empty((64, 64, 3, 3), np.float32)
    assert ck._use_winograd(np, xb, wb, big)
    assert not ck._use_winograd(np, xb[:, :16], wb[:16, :16], big)  # too few channels
    x = rng.standard_normal((2, 64, 9, 10)).astype(np.float32)
    w = (rng.standard_normal((64, 64, 3, 3)) * 0.05).astype(np.float32)
    g = ck.ConvGeom((9, 10), (3, 3), (1, 1), (1, 1), (1, 1), (1, 1))
    assert not ck._use_winograd(np, x, w, g)  # too few tiles
    monkeypatch.setattr(ck, "_WINO_MIN_SIZE", 1)
    assert ck._use_winograd(np, x, w, g)
    y = ck.conv_forward(x, w, None, g)
    assert y.dtype == np.float32 and y.flags.c_contiguous
    ref, _, _ = _reference(x.astype(np.float64), w.astype(np.float64), np.zeros(y.shape), g)
    np.testing.assert_allclose(y, ref, rtol=0, atol=2e-5 * np.abs(ref).max())


def test_winograd_conv2d_gradcheck(monkeypatch):
    monkeypatch.setattr(ck, "_WINO_MIN_CHANNELS", 1)
    monkeypatch.setattr(ck, "_WINO_MIN_SIZE", 1)
    rng = np.random.default_rng(2)
    x = ember.tensor(rng.standard_normal((2, 2, 5, 4)), requires_grad=True)
    w = ember.tensor(rng.standard_normal((2, 2, 3, 3)), requires_grad=True)
    b = ember.tensor(rng.standard_normal(2), requires_grad=True)
    assert ember.autograd.gradcheck(lambda x, w, b: F.conv2d(x, w, b, padding=1), (x, w, b))


def _max_pool_reference(x, k):
    """Per-window max and the flat index of its first maximum (2-d, stride = kernel)."""
    n, c, h, w = x.shape
    oh, ow = h // k, w // k
    best = np.zeros((n, c, oh, ow))
    idx = np.zeros((n, c, oh, ow), dtype=np.int64)
    for i in range(oh):
        for j in range(ow):
            win = x[:, :, i * k:(i + 1) * k, j * k:(j + 1) * k].reshape(n, c, -1)
            a = win.argmax(-1)
            best[:, :, i, j] = win.max(-1)
            idx[:, :, i, j] = (i * k + a // k) * w + j * k + a % k
    return best, idx


@pytest.mark.parametrize("threads", [1, 2], ids=["serial", "threaded"])
def test_max_pool_first_maximum_wins_ties(threads, monkeypatch):
    monkeypatch.setattr(ck._runtime, "get_num_threads", lambda: threads)
    monkeypatch.setattr(pk, "_POOL_THREAD_MIN", 1)
    rng = np.random.default_rng(1)
    x = rng.integers(0, 3, size=(3, 3, 6, 6)).astype(np.float64)  # many ties
    x[1, 2, 0, 1] = np.nan  # one NaN window in one chunk only
    g = pk.pool_geom((6, 6), (2, 2), (2, 2), (0, 0), (1, 1), False)
    best, idx = pk.max_pool(x, g)
    assert np.isnan(best[1, 2, 0, 0]) and idx[1, 2, 0, 0] == 1
    x[1, 2, 0, 1] = 0.0
    best, idx = pk.max_pool(x, g)
    want_best, want_idx = _max_pool_reference(x, 2)
    np.testing.assert_array_equal(best, want_best)
    np.testing.assert_array_equal(idx, want_idx)


def test_max_pool_nan_window_takes_the_last_nan():
    x = np.array([[[[np.nan, 1.0], [np.nan, 0.0]]]])
    g = pk.pool_geom((2, 2), (2, 2), (2, 2), (0, 0), (1, 1), False)
    best, idx = pk.max_pool(x, g)
    assert np.isnan(best).all() and idx.ravel().tolist() == [2]


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
def test_relu_and_clamp_gradients_are_exact_zero_for_inf_grads(dtype):
    x = ember.tensor([-1.0, 2.0, -3.0, 4.0], dtype=dtype, requires_grad=True)
    g = ember.tensor([float("inf"), float("nan"), float("nan"), -2.0], dtype=dtype)
    (gr,) = ember.autograd.grad(F.relu(x), x, g)
    got = gr.numpy()
    assert got.dtype == g.numpy().dtype
    assert got[0] == 0 and np.isnan(got[1]) and got[2] == 0 and got[3] == -2
    (gc,) = ember.autograd.grad(ember.clamp(x, -2.0, 3.0), x, g)
    assert gc.numpy()[0] == float("inf") and gc.numpy()[2] == 0 and gc.numpy()[3] == 0


def test_relu_double_backward_keeps_the_mask():
    x = ember.tensor([-1.0, 2.0], dtype=ember.float64, requires_grad=True)
    g = ember.tensor([3.0, 5.0], dtype=ember.float64, requires_grad=True)
    (gx,) = ember.autograd.grad(F.relu(x), x, g, create_graph=True)
    (gg,) = ember.autograd.grad(gx.sum(), g)
    np.testing.assert_array_equal(gg.numpy(), [0.0, 1.0])


def _composite_cross_entropy(x, t, w, ignore_index, reduction):
    return F.nll_loss(F.log_softmax(x, 1), t, w, ignore_index=ignore_index, reduction=reduction)


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore_index", [-100, 2])
@pytest.mark.parametrize("shape", [(5, 4), (3, 4, 2, 3)])
def test_fused_cross_entropy_matches_log_softmax_nll(shape, ignore_index, weighted, reduction):
    rng = np.random.default_rng(0)
    x = ember.tensor(rng.standard_normal(shape) * 3, requires_grad=True)
    t = ember.tensor(rng.integers(0, 4, (shape[0],) + shape[2:]))
    w = ember.tensor(rng.random(4)) if weighted else None
    got = F.cross_entropy(x, t, w, ignore_index=ignore_index, reduction=reduction)
    want = _composite_cross_entropy(x, t, w, ignore_index, reduction)
    np.testing.assert_allclose(got.detach().numpy(), want.detach().numpy(), rtol=1e-12)
    g = ember.tensor(rng.standard_normal(tuple(got.shape)))
    (ga,) = ember.autograd.grad(got, x, g)
    (gb,) = ember.autograd.grad(want, x, g)
    np.testing.assert_allclose(ga.numpy(), gb.numpy(), rtol=1e-10, atol=1e-12)

    def f(x_):
        return F.cross_entropy(x_, t, w, ignore_index=ignore_index, reduction=reduction)

    assert ember.autograd.gradcheck(f, (x,))
    assert ember.autograd.gradgradcheck(f, (x,))


def test_fused_cross_entropy_extreme_logits_and_all_ignored():
    x = ember.tensor([[1000.0, -1000.0, 0.0]], requires_grad=True)
    loss = F.cross_entropy(x, ember.tensor([1]))
    loss.backward()
    assert loss.item() == 2000.0 and loss.dtype == ember.float32
    np.testing.assert_allclose(x.grad.numpy(), [[1.0, -1.0, 0.0]])
    x = ember.zeros(2, 3, requires_grad=True)
    loss = F.cross_entropy(x, ember.tensor([-100, -100]))
    loss.backward()
    assert np.isnan(loss.item()) and not x.grad.numpy().any()


@pytest.mark.parametrize("threads", [1, 2], ids=["serial", "threaded"])
@pytest.mark.parametrize("affine", [True, False], ids=["affine", "plain"])
@pytest.mark.parametrize("shape", [(4, 5, 3, 6), (3, 4, 7), (2, 3, 2, 3, 4)], ids=["2d", "1d", "3d"])
def test_batch_norm_channel_blocks_match_reference(shape, affine, threads, monkeypatch):
    from ember.ops.nn import normalization as norm

    monkeypatch.setattr(ck._runtime, "get_num_threads", lambda: threads)
    monkeypatch.setattr(norm, "_BN_THREAD_MIN", 1)
    calls = []
    for name in ("_bn_forward_np", "_bn_backward_np"):
        fn = getattr(norm, name)
        monkeypatch.setattr(norm, name, lambda *a, fn=fn: calls.append(1) or fn(*a))
    rng = np.random.default_rng(3)
    c = shape[1]
    x = rng.standard_normal(shape) * 3 + 2
    gy = rng.standard_normal(shape)
    w, b = rng.standard_normal(c), rng.standard_normal(c)
    pshape = (1, c) + (1,) * (len(shape) - 2)
    axes = (0, *range(2, len(shape)))
    xt = ember.tensor(x, requires_grad=True)
    wt = ember.tensor(w, requires_grad=True) if affine else None
    bt = ember.tensor(b, requires_grad=True) if affine else None
    rm, rv = ember.zeros(c, dtype=ember.float64), ember.ones(c, dtype=ember.float64)
    y = F.batch_norm(xt, rm, rv, wt, bt, training=True, momentum=0.5)
    y.backward(ember.tensor(gy))
    assert len(calls) == 2
    mean, var = x.mean(axes, keepdims=True), x.var(axes, keepdims=True)
    xhat = (x - mean) / np.sqrt(var + 1e-5)
    scale = w.reshape(pshape) if affine else 1.0
    ref = xhat * scale + (b.reshape(pshape) if affine else 0.0)
    gs = gy * scale
    gx = (gs - gs.mean(axes, keepdims=True) - xhat * (gs * xhat).mean(axes, keepdims=True))
    gx /= np.sqrt(var + 1e-5)
    np.testing.assert_allclose(y.detach().numpy(), ref, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(xt.grad.numpy(), gx, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(rm.numpy(), 0.5 * mean.ravel(), rtol=1e-12)
    n = x.size // c
    np.testing.assert_allclose(rv.numpy(), 0.5 + 0.5 * var.ravel() * n / (n - 1), rtol=1e-12)
    if affine:
        np.testing.assert_allclose(wt.grad.numpy(), (gy * xhat).sum(axes), rtol=1e-9, atol=1e-10)
        np.testing.assert_allclose(bt.grad.numpy(), gy.sum(axes), rtol=1e-9, atol=1e-10)


def test_batch_norm_channel_blocks_keep_float32():
    x = ember.randn(4, 3, 5, 5, requires_grad=True)
    bn = ember.nn.BatchNorm2d(3)
    y = bn(x)
    y.sum().backward()
    assert y.dtype == ember.float32 and x.grad.dtype == ember.float32
    assert bn.weight.grad.dtype == ember.float32 and bn.running_var.dtype == ember.float32


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_chunk_threads_work_in_a_forked_child(monkeypatch):
    import multiprocessing

    monkeypatch.setattr(ck._runtime, "get_num_threads", lambda: 2)
    x, w, _, g = _data((4, 3, 6, 6), 4, GEOMS[0][2:])
    want = ck.conv_forward(x, w, None, g)  # the parent's pool exists now
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=lambda: queue.put(ck.conv_forward(x, w, None, g)), daemon=True)
    child.start()
    try:
        got = queue.get(timeout=60)  # a child waiting on the parent's (absent) threads hangs
        child.join(timeout=60)
    finally:
        if child.is_alive():
            child.kill()
    assert child.exitcode == 0
    np.testing.assert_array_equal(got, want)
