"""The autograd engine: accumulation, retain/create graph, hooks, custom Functions, errors."""

from __future__ import annotations

import gc
import tracemalloc
import warnings

import numpy as np
import pytest

import ember
from ember.autograd import Function


def test_backward_accumulates_into_leaves():
    x = ember.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0, 6.0])
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [5.0, 7.0, 9.0])


def test_shared_gradients_are_not_aliased_between_leaves():
    a = ember.ones(3, requires_grad=True)
    b = ember.ones(3, requires_grad=True)
    (a + b).sum().backward()
    a.grad.mul_(5)
    np.testing.assert_allclose(b.grad.numpy(), [1.0, 1.0, 1.0])


def test_gradient_argument_for_non_scalar():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        y.backward()
    y.backward(ember.tensor([1.0, 10.0]))
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 20.0])


def test_backward_twice_needs_retain_graph():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp()).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.exp([1.0, 2.0]), rtol=1e-6)
    z = (x.exp()).sum()
    z.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        z.backward()


def test_no_grad_for_tensors_without_requires_grad():
    x = ember.ones(2)
    with pytest.raises(RuntimeError, match="does not require grad"):
        (x * 2).sum().backward()


def test_autograd_grad_and_second_derivative():
    x = ember.tensor([0.5, 1.5], dtype=ember.float64, requires_grad=True)
    y = (x**3).sum()
    (g,) = ember.autograd.grad(y, x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), 3 * np.array([0.5, 1.5]) ** 2)
    (h,) = ember.autograd.grad(g.sum(), x)
    np.testing.assert_allclose(h.numpy(), 6 * np.array([0.5, 1.5]))
    assert x.grad is None, "autograd.grad must not touch .grad"


def test_autograd_grad_allow_unused():
    x = ember.ones(2, requires_grad=True)
    z = ember.ones(2, requires_grad=True)
    y = (x * 2).sum()
    with pytest.raises(RuntimeError, match="not have been used"):
        ember.autograd.grad(y, [x, z], retain_graph=True)
    gx, gz = ember.autograd.grad(y, [x, z], allow_unused=True)
    assert gz is None
    np.testing.assert_allclose(gx.numpy(), [2.0, 2.0])


def test_autograd_grad_wrt_intermediate():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = (h * h).sum()
    (gh,) = ember.autograd.grad(y, h)
    np.testing.assert_allclose(gh.numpy(), [6.0, 12.0])


def test_create_graph_backward_gives_differentiable_grad():
    x = ember.tensor(2.0, requires_grad=True)
    y = x**3
    y.backward(create_graph=True)
    g = x.grad
    assert g.requires_grad
    x.grad = None
    g.backward()
    np.testing.assert_allclose(x.grad.numpy(), 12.0)


def test_no_grad_and_set_grad_enabled():
    x = ember.ones(2, requires_grad=True)
    with ember.no_grad():
        y = x * 2
    assert not y.requires_grad and y.grad_fn is None
    with ember.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert ember.is_grad_enabled()

    @ember.no_grad()
    def f(t):
        return t * 2

    @ember.no_grad
    def g(t):
        return t * 2

    assert not f(x).requires_grad and not g(x).requires_grad
    with ember.no_grad():
        with ember.enable_grad():
            assert (x * 2).requires_grad
    with ember.inference_mode():
        assert not (x * 2).requires_grad
        assert ember.is_inference_mode_enabled()


def test_leaf_and_requires_grad_flags():
    x = ember.ones(2, requires_grad=True)
    y = x * 2
    assert x.is_leaf and not y.is_leaf
    assert ember.ones(2).is_leaf
    with pytest.raises(RuntimeError, match="leaf variables"):
        y.requires_grad_(False)
    with pytest.raises(RuntimeError, match="floating point"):
        ember.tensor([1, 2]).requires_grad_()


def test_retain_grad_and_hooks():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    seen = []
    handle = y.register_hook(lambda g: seen.append(g.numpy().copy()))
    x.register_hook(lambda g: g * 10)
    (y * y).sum().backward()
    np.testing.assert_allclose(y.grad.numpy(), [4.0, 8.0])
    np.testing.assert_allclose(seen[0], [4.0, 8.0])
    np.testing.assert_allclose(x.grad.numpy(), [80.0, 160.0])
    handle.remove()
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        ember.ones(1).register_hook(lambda g: g)


def test_inplace_on_saved_tensor_raises_at_backward():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    z = (y * y).sum()
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.backward()


def test_inplace_on_leaf_requiring_grad_raises():
    x = ember.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x.add_(1)
    with ember.no_grad():
        x.add_(1)
    np.testing.assert_allclose(x.detach().numpy(), [2.0, 2.0])


def test_inplace_on_nonleaf_keeps_graph():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.mul_(3)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 6.0])
    assert y._version == 1


class _Square(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return 2 * x * grad


class _SplitSign(Function):
    """Two outputs, one of them non-differentiable."""

    @staticmethod
    def forward(ctx, x):
        sign = (x > 0).to(ember.int64)
        ctx.mark_non_differentiable(sign)
        return x * 2, sign

    @staticmethod
    def backward(ctx, grad, grad_sign):
        return grad * 2


def test_custom_function_first_and_second_order():
    x = ember.tensor([1.5, -2.0], dtype=ember.float64, requires_grad=True)
    y = _Square.apply(x)
    assert y.grad_fn.name() == "_SquareBackward"
    assert ember.autograd.gradcheck(_Square.apply, (x,))
    assert ember.autograd.gradgradcheck(_Square.apply, (x,))


def test_custom_function_needs_input_grad_and_non_differentiable():
    seen = {}

    class Probe(Function):
        @staticmethod
        def forward(ctx, a, b, k):
            seen["needs"] = ctx.needs_input_grad
            return a * b * k

        @staticmethod
        def backward(ctx, grad):
            return grad, None, None

    a = ember.ones(2, requires_grad=True)
    Probe.apply(a, ember.ones(2), 3.0).sum().backward()
    assert seen["needs"] == (True, False, False)
    x = ember.tensor([1.0, -1.0], requires_grad=True)
    y, sign = _SplitSign.apply(x)
    assert not sign.requires_grad and y.requires_grad
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 2.0])


def test_once_differentiable_backward_runs_without_graph():
    class Cube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        @ember.autograd.once_differentiable
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 3 * x * x * grad

    x = ember.tensor(2.0, requires_grad=True)
    (g,) = ember.autograd.grad(Cube.apply(x), x, create_graph=True)
    assert not g.requires_grad
    np.testing.assert_allclose(g.numpy(), 12.0)


def test_wrong_number_of_gradients_is_reported():
    class Bad(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, grad):
            return grad

    a = ember.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="incorrect number of gradients"):
        Bad.apply(a, ember.ones(2, requires_grad=True)).sum().backward()


def test_detect_anomaly_names_the_forward_op():
    class NanGrad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, grad):
            return grad * float("nan")

    x = ember.ones(2, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with ember.autograd.detect_anomaly():
            y = NanGrad.apply(x).sum()
            with pytest.raises(RuntimeError, match="NanGradBackward"):
                y.backward()


def test_gradcheck_detects_a_wrong_gradient():
    class Wrong(Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, grad):
            return grad * 3

    x = ember.tensor([1.0, 2.0], dtype=ember.float64, requires_grad=True)
    with pytest.raises(ember.autograd.GradcheckError):
        ember.autograd.gradcheck(Wrong.apply, (x,))
    assert not ember.autograd.gradcheck(Wrong.apply, (x,), raise_exception=False)


def test_dtype_of_gradient_matches_input():
    x = ember.tensor([1.0, 2.0], dtype=ember.float64, requires_grad=True)
    w = ember.tensor([3.0, 4.0], requires_grad=True)
    (x * w).sum().backward()
    assert x.grad.dtype is ember.float64
    assert w.grad.dtype is ember.float32


def test_broadcast_gradients_are_reduced():
    x = ember.ones(3, 1, requires_grad=True)
    b = ember.ones(4, requires_grad=True)
    (x * b).sum().backward()
    assert x.grad.shape == (3, 1) and b.grad.shape == (4,)
    np.testing.assert_allclose(x.grad.numpy(), np.full((3, 1), 4.0))
    np.testing.assert_allclose(b.grad.numpy(), np.full(4, 3.0))


def test_graph_is_freed_memory_stays_flat():
    w = (ember.randn(64, 64) * 0.01).requires_grad_()
    x = ember.randn(64, 64)

    def step():
        y = x
        for _ in range(5):
            y = (y * w).exp().log() + 1.0
        y.sum().backward()
        w.grad = None

    for _ in range(50):
        step()
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    for _ in range(2000):
        step()
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    assert grown < 200_000, f"memory grew by {grown} bytes over 2000 steps"


def test_mark_dirty_output_keeps_the_graph():
    class DoubleInPlace(Function):
        @staticmethod
        def forward(ctx, a):
            ctx.mark_dirty(a)
            a.mul_(2)
            return a

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    x = ember.tensor([1.0, 2.0], requires_grad=True)
    a = x.clone()
    out = DoubleInPlace.apply(a)
    assert out is a and a.grad_fn.name() == "DoubleInPlaceBackward"
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 2.0])


def test_post_accumulate_grad_hook_sees_the_accumulated_grad():
    w = ember.ones(2, requires_grad=True)
    seen = []
    w.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.numpy().copy()))
    (w * 3).sum().backward()
    (w * 3).sum().backward()
    np.testing.assert_allclose(seen[-1], [6.0, 6.0])
    assert len(seen) == 2


@pytest.mark.parametrize("name", ["Hardswish", "ELU", "SELU", "SiLU", "Mish", "ReLU6"])
def test_inplace_composite_activations_give_the_out_of_place_gradient(name):
    import ember.nn as nn

    x = ember.randn(3, 4, dtype=ember.float64, requires_grad=True)
    w = ember.randn(4, 4, dtype=ember.float64)
    inplace = getattr(nn, name)(inplace=True)
    inplace(x @ w).sum().backward()
    g_inplace, x.grad = x.grad, None
    getattr(nn, name)()(x @ w).sum().backward()
    np.testing.assert_allclose(g_inplace.numpy(), x.grad.numpy(), rtol=1e-12)
