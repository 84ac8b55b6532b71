"""Hand-written tests for reductions: return types, shapes, dtype rules, stability, tie rules."""

from __future__ import annotations

import math

import numpy as np
import pytest

import ember

X = [[1.0, 5.0, 2.0], [3.0, 2.0, 3.0]]


def test_max_min_return_types(device):
    x = ember.tensor(X, device=device)
    r = ember.max(x, dim=1)
    assert isinstance(r, tuple) and type(r).__name__ == "max"
    assert r.values.tolist() == [5.0, 3.0] and r.indices.tolist() == [1, 0]
    assert r.indices.dtype is ember.int64
    values, indices = x.min(0)
    assert values.tolist() == [1.0, 2.0, 2.0] and indices.tolist() == [0, 1, 0]
    assert repr(r).startswith("ember.return_types.max(\nvalues=tensor(")
    assert ember.max(x).item() == 5.0 and ember.max(x).shape == ()
    assert ember.max(x, 1, keepdim=True).values.shape == (2, 1)
    both = ember.aminmax(x, dim=0)
    assert both.min.tolist() == [1.0, 2.0, 2.0] and both.max.tolist() == [3.0, 5.0, 3.0]


def test_max_with_tensor_is_maximum(device):
    a = ember.tensor([1.0, 4.0], device=device)
    b = ember.tensor([3.0, 2.0], device=device)
    assert ember.max(a, b).tolist() == [3.0, 4.0] and a.min(b).tolist() == [1.0, 2.0]


def test_max_of_0d_tensor_along_dim_0():
    r = ember.max(ember.tensor(3.0), 0)
    assert r.values.shape == () and r.indices.item() == 0


def test_max_dim_gradient_goes_to_first_index_and_amax_splits_ties():
    x = ember.tensor([[2.0, 2.0, 1.0]], requires_grad=True)
    ember.max(x, dim=1).values.sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0, 0.0]]
    x.grad = None
    ember.amax(x, dim=1).sum().backward()
    assert x.grad.tolist() == [[0.5, 0.5, 0.0]]
    x.grad = None
    ember.max(x).backward()
    assert x.grad.tolist() == [[0.5, 0.5, 0.0]]


def test_nan_propagates_through_max_and_argmax_points_at_it():
    x = ember.tensor([1.0, math.nan, 3.0])
    assert math.isnan(ember.max(x).item()) and math.isnan(ember.amin(x).item())
    assert ember.argmax(x).item() == 1 and ember.max(x, 0).indices.item() == 1


def test_empty_reductions_raise():
    with pytest.raises(RuntimeError, match="numel\\(\\) == 0"):
        ember.max(ember.zeros(0))
    with pytest.raises(IndexError, match="non-zero size"):
        ember.max(ember.zeros(2, 0), dim=1)
    with pytest.raises(IndexError, match="argmax"):  # as PyTorch
        ember.argmax(ember.zeros(0))


def test_keepdim_and_tuple_dims_shapes(device):
    x = ember.randn(2, 3, 4, device=device)
    assert ember.amax(x, (0, 2)).shape == (3,)
    assert ember.amax(x, (0, 2), keepdim=True).shape == (1, 3, 1)
    assert ember.var(x, (0, -1), keepdim=True).shape == (1, 3, 1)
    assert ember.logsumexp(x, (1, 2)).shape == (2,)
    assert ember.norm(x, dim=(1, 2), keepdim=True).shape == (2, 1, 1)
    assert ember.all(x > -10, dim=(0, 1)).shape == (4,)
    assert ember.count_nonzero(x, dim=(0, 1)).shape == (4,)
    assert ember.argmax(x, keepdim=True).shape == (1, 1, 1)
    assert ember.prod(x, 1, keepdim=True).shape == (2, 1, 4)
    with pytest.raises(IndexError, match="Dimension out of range"):
        ember.amax(x, 3)
    with pytest.raises(RuntimeError, match="multiple times"):
        ember.var(x, (1, -2))


def test_dtype_rules(device):
    i = ember.tensor([[1, 5], [3, 2]], device=device)
    assert ember.max(i).dtype is ember.int64 and ember.amax(i, 0).dtype is ember.int64
    assert ember.max(i, 1).values.dtype is ember.int64
    assert ember.prod(i).dtype is ember.int64 and ember.prod(i).item() == 30
    assert ember.argmin(i).dtype is ember.int64
    assert ember.all(i).dtype is ember.bool and ember.count_nonzero(i).dtype is ember.int64
    assert ember.logsumexp(i, 1).dtype is ember.float32
    with pytest.raises(NotImplementedError, match="not implemented for 'Long'"):
        ember.softmax(i, 1)  # as PyTorch: no integer softmax kernel
    assert ember.softmax(i, 1, dtype=ember.float32).dtype is ember.float32
    with pytest.raises(RuntimeError, match="floating-point"):
        ember.var(i)
    with pytest.raises(RuntimeError, match="floating"):
        ember.nanmean(i)


@pytest.mark.parametrize("fn", [
    lambda x: ember.var(x, 1), lambda x: ember.std(x), lambda x: ember.norm(x, 3),
    lambda x: ember.logsumexp(x, 0), lambda x: ember.softmax(x, 1),
    lambda x: ember.log_softmax(x, 0), lambda x: ember.prod(x, 1), lambda x: ember.nanmean(x),
    lambda x: ember.norm(x), lambda x: ember.var_mean(x)[0], lambda x: ember.amax(x, 1),
])
def test_float32_reductions_stay_float32(fn, device):
    x = ember.randn(3, 4, device=device, requires_grad=True)
    out = fn(x)
    assert out.dtype is ember.float32
    out.sum().backward()
    assert x.grad.dtype is ember.float32


def test_var_legacy_unbiased_and_correction():
    x = ember.tensor([1.0, 2.0, 3.0, 4.0])
    assert ember.var(x).item() == pytest.approx(5 / 3)
    assert ember.var(x, False).item() == pytest.approx(1.25)
    assert ember.var(x, 0, unbiased=False).item() == pytest.approx(1.25)
    assert ember.var(x, correction=0).item() == pytest.approx(1.25)
    assert x.std(0, True).item() == pytest.approx(math.sqrt(5 / 3))
    with pytest.raises(RuntimeError, match="either 'unbiased'"):
        ember.var(x, 0, True, correction=1)
    with np.errstate(all="ignore"):
        assert math.isnan(ember.var(ember.tensor([1.0])).item())


def test_var_grad_and_no_grad_paths_agree():
    x = ember.randn(4, 5, dtype=ember.float64)
    fast = ember.var(x, 1, correction=2)
    slow = ember.var(x.clone().requires_grad_(), 1, correction=2)
    np.testing.assert_allclose(fast.numpy(), slow.detach().numpy(), rtol=1e-12)


def test_log_softmax_of_huge_logits_is_finite(device):
    x = ember.tensor([[1e4, 0.0, -1e4], [3e4, 3e4, -5e4]], device=device, requires_grad=True)
    out = ember.log_softmax(x, dim=1)
    vals = out.detach().cpu().numpy()
    assert np.isfinite(vals).all()
    np.testing.assert_allclose(vals[0], [0.0, -1e4, -2e4])
    np.testing.assert_allclose(vals[1, :2], [-math.log(2)] * 2, rtol=1e-6)
    sm = ember.softmax(x, dim=1)
    np.testing.assert_allclose(sm.detach().cpu().numpy()[1], [0.5, 0.5, 0.0])
    (out.sum() + sm.sum()).backward()
    assert np.isfinite(x.grad.cpu().numpy()).all()


def test_logsumexp_with_infinities():
    x = ember.tensor([[-math.inf, -math.inf], [math.inf, 1.0], [1e4, 1e4]])
    out = ember.logsumexp(x, 1).tolist()
    assert out[0] == -math.inf and out[1] == math.inf
    assert out[2] == pytest.approx(1e4 + math.log(2))


def test_softmax_requires_dim():
    with pytest.raises(TypeError, match="dim"):
        ember.softmax(ember.ones(3))


@pytest.mark.parametrize("values", [[2.0, 0.0, 3.0], [2.0, 0.0, 0.0], [0.0, 1.5, -2.0]])
def test_prod_gradient_with_zeros(values):
    x = ember.tensor(values, dtype=ember.float64, requires_grad=True)
    ember.prod(x).backward()
    expected = [np.prod(np.delete(values, i)) for i in range(len(values))]
    np.testing.assert_allclose(x.grad.numpy(), expected)


def test_prod_second_derivative_with_a_zero():
    x = ember.tensor([2.0, 0.0, 3.0], dtype=ember.float64, requires_grad=True)
    (g,) = ember.autograd.grad(ember.prod(x), [x], create_graph=True)
    (h,) = ember.autograd.grad(g[1], [x])
    assert h.tolist() == [3.0, 0.0, 2.0]


def test_norm_gradient_at_zero_is_zero():
    x = ember.zeros(3, requires_grad=True)
    ember.norm(x).backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_norm_orders():
    x = ember.tensor([3.0, -4.0, 0.0])
    assert ember.norm(x).item() == 5.0
    assert ember.norm(x, 1).item() == 7.0
    assert ember.norm(x, float("inf")).item() == 4.0
    assert ember.norm(x, 0).item() == 2.0
    assert ember.norm(ember.ones(2, 3), dim=1).tolist() == pytest.approx([math.sqrt(3)] * 2)


def test_nan_reductions_ignore_nan_in_value_and_gradient():
    x = ember.tensor([1.0, math.nan, 2.0], requires_grad=True)
    assert ember.nansum(x).item() == 3.0
    ember.nanmean(x).backward()
    assert x.grad.tolist() == [0.5, 0.0, 0.5]


def test_mean_of_empty_is_nan():
    assert math.isnan(ember.mean(ember.zeros(0)).item())


def test_pytorch_parity_details():
    x = ember.ones(2, 3, requires_grad=True)
    x.std().backward()
    assert float(x.grad.abs().sum()) == 0.0  # PyTorch's std_backward is 0 where std == 0
    y = ember.arange(6.0).reshape(2, 3)
    assert y.sum(axis=1).tolist() == [3.0, 12.0]
    assert ember.mean(y, axis=0).tolist() == [1.5, 2.5, 3.5]
    with pytest.raises(TypeError):
        y.sum(dim="x")
    with pytest.raises(RuntimeError, match="Long"):
        ember.tensor([1, 2]).mean()
    with pytest.raises(RuntimeError, match="boolean tensor"):
        ember.where(ember.tensor([1, 0]), y[0, :2], y[1, :2])
    z = ember.tensor([1 + 2j]).exp()
    assert z.is_complex() and abs(z.item().imag) > 0.5
