"""Hand-written indexing tests: what the op table can't express (views, in-place graph updates,
accumulation semantics, error messages)."""

from __future__ import annotations

import numpy as np
import pytest

import ember


def _t(a, device, **kw):
    return ember.tensor(np.asarray(a), device=device, **kw)


def test_basic_indexing_returns_views_sharing_version(device):
    x = ember.arange(12.0, device=device).reshape(3, 4)
    for v in (x[1], x[:, 1:3], x[None, ..., ::2], x[1, 2]):
        assert v._vc is x._vc
        assert v.untyped_storage() is x.untyped_storage()
    v = x[1]
    v[0] = 100.0
    assert x[1, 0].item() == 100.0
    before = x._version
    x[2, 3] = -1.0
    assert v._version == before + 1


def test_advanced_indexing_copies(device):
    x = ember.arange(6.0, device=device)
    y = x[[0, 1]]
    y[0] = 50.0
    assert x[0].item() == 0.0
    assert y._vc is not x._vc


def test_repeated_indices_accumulate_in_gradient(device):
    x = ember.zeros(4, 2, device=device, requires_grad=True)
    idx = _t([0, 0, 3, 0], device)
    x[idx].sum().backward()
    np.testing.assert_array_equal(x.grad.cpu().numpy()[:, 0], [3, 0, 0, 1])


def test_gather_gradient_accumulates(device):
    x = _t([[1.0, 2.0], [3.0, 4.0]], device, requires_grad=True)
    idx = _t([[0, 0, 0], [1, 1, 0]], device)
    ember.gather(x, 1, idx).sum().backward()
    np.testing.assert_array_equal(x.grad.cpu().numpy(), [[3, 0], [1, 2]])


def test_negative_indices(device):
    x = ember.arange(5, device=device)
    assert x[-1].item() == 4
    assert x[_t([-1, -5], device)].tolist() == [4, 0]
    assert x[-3:].tolist() == [2, 3, 4]


def test_bool_mask_reads_and_writes(device):
    x = _t([[1.0, -2.0], [-3.0, 4.0]], device)
    assert x[x > 0].tolist() == [1.0, 4.0]
    x[x < 0] = 0.0
    assert x.tolist() == [[1.0, 0.0], [0.0, 4.0]]
    rows = x[_t([True, False], device)]
    assert rows.shape == (1, 2)


def test_setitem_puts_target_into_graph(device):
    x = _t([1.0, 2.0, 3.0], device, requires_grad=True)
    out = ember.zeros(3, 4, device=device)
    out[:, 0] = x * 2
    assert out.requires_grad and out.grad_fn is not None
    (out * _t(np.arange(12.0).reshape(3, 4), device)).sum().backward()
    np.testing.assert_allclose(x.grad.cpu().numpy(), [0.0, 8.0, 16.0])


def test_setitem_gradient_masks_old_contents(device):
    a = _t([1.0, 2.0, 3.0], device, requires_grad=True)
    v = _t([10.0], device, requires_grad=True)
    y = a * 1
    y[1:2] = v
    (y * _t([1.0, 2.0, 3.0], device)).sum().backward()
    np.testing.assert_allclose(a.grad.cpu().numpy(), [1.0, 0.0, 3.0])
    np.testing.assert_allclose(v.grad.cpu().numpy(), [2.0])


def test_setitem_on_leaf_requiring_grad_raises(device):
    x = ember.zeros(3, device=device, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        x[0] = 1.0
    with ember.no_grad():
        x[0] = 1.0
    assert x[0].item() == 1.0


def test_iadd_through_index_does_not_accumulate(device):
    x = ember.zeros(3, device=device)
    idx = _t([0, 0, 2], device)
    x[idx] += 1
    assert x.tolist() == [1.0, 0.0, 1.0]
    y = ember.zeros(3, device=device)
    y.index_put_((idx,), ember.ones(3, device=device), accumulate=True)
    assert y.tolist() == [2.0, 0.0, 1.0]


def test_iadd_through_slice_updates_graph(device):
    a = _t([1.0, 2.0, 3.0], device, requires_grad=True)
    y = a * 2
    y[1:] += a[:2]
    y.sum().backward()
    np.testing.assert_allclose(a.grad.cpu().numpy(), [3.0, 3.0, 2.0])


def test_index_errors(device):
    x = ember.zeros(3, 2, device=device)
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
        x[5]
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
        x[_t([0, 5], device)]
    with pytest.raises(IndexError, match="shape of the mask"):
        x[_t([True, False], device)]
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 2"):
        x[0, 0, 0]
    with pytest.raises(IndexError, match="long, int, byte or bool"):
        x[_t([0.0], device)]
    with pytest.raises(IndexError, match="valid indices"):
        x["a"]
    with pytest.raises(ValueError, match="step must be greater than zero"):
        x[::-1]
    with pytest.raises(RuntimeError, match="shape mismatch"):
        x[:, 0] = ember.ones(2, device=device)
    with pytest.raises(IndexError, match="out of bounds for dimension 1 with size 2"):
        ember.zeros(3, 2, device=device, requires_grad=True)[:, _t([7], device)].sum().backward()


def test_gather_scatter_errors(device):
    x = ember.zeros(2, 2, device=device)
    with pytest.raises(RuntimeError, match="same number of dimensions"):
        ember.gather(x, 0, _t([0], device))
    with pytest.raises(RuntimeError, match="no larger than self"):
        ember.gather(x, 0, _t([[0, 0, 0]], device))
    with pytest.raises(RuntimeError, match="boolean masks"):
        x.masked_fill(_t([1, 0], device), 1.0)
    with pytest.raises(RuntimeError, match="at least 4 elements"):
        x.masked_scatter(_t([True, True], device), ember.ones(1, device=device))
    with pytest.raises(RuntimeError, match="scatter_reduce|reduce argument"):
        x.scatter_reduce(0, _t([[0, 0]], device), x, "median")


def test_inplace_variants_write_through(device):
    x = ember.zeros(2, 3, device=device)
    view = x[0]
    x.index_fill_(1, _t([1], device), 7.0)
    x.masked_fill_(_t([[True, False, False], [False, False, True]], device), -1.0)
    x.scatter_(0, _t([[1, 1, 1]], device), 5.0)
    assert x.tolist() == [[-1.0, 7.0, 0.0], [5.0, 5.0, 5.0]]
    assert view.tolist() == [-1.0, 7.0, 0.0]
    x.index_add_(0, _t([0, 0], device), ember.ones(2, 3, device=device))
    assert x[0].tolist() == [1.0, 9.0, 2.0]
    x.put_(_t([5], device), _t([3.0], device), accumulate=True)
    assert x[1, 2].item() == 8.0


def test_inplace_variant_records_graph(device):
    v = _t(2.0, device, requires_grad=True)
    x = ember.zeros(3, device=device)
    x.masked_fill_(_t([True, False, True], device), v)
    x.sum().backward()
    assert v.grad.item() == 2.0


def test_scatter_reduce_amax_ties_share_gradient(device):
    x = _t([1.0, 0.0], device, requires_grad=True)
    src = _t([1.0, 1.0, 3.0], device, requires_grad=True)
    out = x.scatter_reduce(0, _t([0, 0, 1], device), src, "amax")
    out.sum().backward()
    np.testing.assert_allclose(x.grad.cpu().numpy(), [1 / 3, 0.0])
    np.testing.assert_allclose(src.grad.cpu().numpy(), [1 / 3, 1 / 3, 1.0])


def test_scatter_reduce_prod_gradient_with_zero(device):
    src = _t([0.0, 2.0, 3.0], device, requires_grad=True)
    x = ember.ones(1, device=device)
    x.scatter_reduce(0, _t([0, 0, 0], device), src, "prod").sum().backward()
    np.testing.assert_allclose(src.grad.cpu().numpy(), [6.0, 0.0, 0.0])


def test_nonzero_forms(device):
    x = _t([[0, 3], [4, 0]], device)
    assert x.nonzero().tolist() == [[0, 1], [1, 0]]
    rows, cols = ember.nonzero(x, as_tuple=True)
    assert rows.tolist() == [0, 1] and cols.tolist() == [1, 0]
    assert ember.argwhere(x).dtype is ember.int64
    assert ember.where(x > 0)[1].tolist() == [1, 0]


def test_index_put_with_broadcast_value_gradient(device):
    v = _t([[1.0, 2.0]], device, requires_grad=True)
    x = ember.zeros(3, 2, device=device)
    out = ember.index_put(x, (_t([0, 2], device),), v)
    out.sum().backward()
    np.testing.assert_allclose(v.grad.cpu().numpy(), [[2.0, 2.0]])


def test_double_backward_through_index():
    x = ember.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x[ember.tensor([0, 0, 2])] ** 2).sum()
    (g,) = ember.autograd.grad(y, x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), [4.0, 0.0, 6.0])
    g.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [4.0, 0.0, 2.0])


def test_range_objects_index_like_lists():
    x = ember.zeros(2, 3)
    x[range(2), ember.tensor([0, 2])] = 1.0
    assert x.tolist() == [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    assert ember.arange(6).reshape(3, 2)[range(1, 3)].tolist() == [[2, 3], [4, 5]]
