"""Hand-written shape-op tests: view semantics (shared memory and version counter), multi-output
ops, and error messages."""

from __future__ import annotations

import numpy as np
import pytest

import ember


def _shares(a, b):
    return a._vc is b._vc and a.untyped_storage() is b.untyped_storage()


def test_views_share_memory_and_version(device):
    x = ember.arange(24.0, device=device).reshape(2, 3, 4)
    views = [x.view(6, 4), x.transpose(0, 2), x.permute(2, 0, 1), x[:, None].squeeze(1),
             x.unsqueeze(0), x.narrow(1, 1, 2), x.select(0, 1), x.diagonal(0, 1, 2),
             x.movedim(0, -1), x.flatten(), x.expand(3, 2, 3, 4), x.mT, x.unflatten(2, (2, 2))]
    views += list(x.unbind(1)) + list(x.split(2, dim=2)) + list(x.chunk(2, dim=0))
    for v in views:
        assert _shares(v, x), v.shape
    for copy in (x.flip(0), x.roll(1), x.repeat(1, 1, 2), ember.cat([x, x]), x.tril()):
        assert not _shares(copy, x)


def test_writes_through_views_reach_base(device):
    x = ember.zeros(3, 3, device=device)
    x.diagonal().add_(1.0)
    x.narrow(0, 2, 1)[0, 0] = 5.0
    x.t()[0, 1] = 7.0
    assert x.tolist() == [[1.0, 0.0, 0.0], [7.0, 1.0, 0.0], [5.0, 0.0, 1.0]]
    assert x.diagonal()._version == x._version


def test_flatten_of_non_contiguous_copies(device):
    x = ember.arange(6.0, device=device).reshape(2, 3).t()
    y = x.flatten()
    assert not _shares(y, x)
    assert y.tolist() == [0.0, 3.0, 1.0, 4.0, 2.0, 5.0]


def test_view_of_non_contiguous_raises(device):
    with pytest.raises(RuntimeError, match="reshape"):
        ember.zeros(2, 3, device=device).t().view(6)


def test_split_gradient_with_unused_pieces(device):
    x = ember.arange(5.0, device=device).requires_grad_()
    a, b, c = x.split([1, 3, 1])
    (b * 2).sum().backward()
    np.testing.assert_allclose(x.grad.cpu().numpy(), [0, 2, 2, 2, 0])


def test_unbind_and_iteration(device):
    x = ember.arange(6.0, device=device).reshape(3, 2).requires_grad_()
    rows = list(x)
    assert len(rows) == 3 and rows[2].tolist() == [4.0, 5.0]
    (rows[0] * 3 + rows[2]).sum().backward()
    np.testing.assert_allclose(x.grad.cpu().numpy(), [[3, 3], [0, 0], [1, 1]])


def test_chunk_and_split_sizes(device):
    x = ember.zeros(10, device=device)
    assert [c.shape[0] for c in x.chunk(4)] == [3, 3, 3, 1]
    assert [c.shape[0] for c in x.chunk(6)] == [2, 2, 2, 2, 2]
    assert [c.shape[0] for c in x.split(4)] == [4, 4, 2]
    with pytest.raises(RuntimeError, match="sum exactly to 10"):
        x.split([3, 3])


def test_cat_promotes_and_checks(device):
    a = ember.zeros(2, 2, device=device, dtype=ember.int64)
    b = ember.ones(1, 2, device=device)
    assert ember.cat([a, b]).dtype is ember.float32
    with pytest.raises(RuntimeError, match="Sizes of tensors must match except in dimension 0"):
        ember.cat([a, ember.zeros(1, 3, device=device)])
    with pytest.raises(RuntimeError, match="zero-dimensional"):
        ember.cat([ember.tensor(1.0, device=device), ember.tensor(2.0, device=device)])
    with pytest.raises(ValueError, match="non-empty"):  # as torch 2.x
        ember.cat([])
    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
        ember.stack([a, ember.zeros(3, device=device)])


def test_squeeze_forms(device):
    x = ember.zeros(1, 2, 1, 3, device=device)
    assert x.squeeze().shape == (2, 3)
    assert x.squeeze(0).shape == (2, 1, 3)
    assert x.squeeze((0, 2)).shape == (2, 3)
    assert x.squeeze(1).shape == x.shape
    assert x.unsqueeze(-1).shape == (1, 2, 1, 3, 1)
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.unsqueeze(6)


def test_in_place_shape_methods(device):
    x = ember.zeros(1, 3, device=device)
    assert x.squeeze_() is x and x.shape == (3,)
    x.unsqueeze_(1)
    assert x.shape == (3, 1)


def test_meshgrid_xy_matches_numpy(device):
    a, b = ember.arange(3, device=device), ember.arange(2, device=device)
    gx, gy = ember.meshgrid(a, b, indexing="xy")
    ex, ey = np.meshgrid(np.arange(3), np.arange(2), indexing="xy")
    assert gx.tolist() == ex.tolist() and gy.tolist() == ey.tolist()


def test_repeat_and_narrow_errors(device):
    x = ember.zeros(2, 3, device=device)
    with pytest.raises(RuntimeError, match="repeat dims can not be smaller"):
        x.repeat(2)
    with pytest.raises(RuntimeError, match="exceeds dimension size"):
        x.narrow(1, 2, 2)
    with pytest.raises(IndexError, match="out of range"):
        x.select(0, 2)
    with pytest.raises(RuntimeError, match="diag"):
        ember.diag(ember.zeros(2, 2, 2, device=device))
