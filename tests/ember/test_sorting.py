"""Hand-written tests for sorting and scans: tie rules, indices, NaN, errors (values from PyTorch)."""

from __future__ import annotations

import numpy as np
import pytest

import ember


def _np(t):
    return t.detach().cpu().numpy()


def test_sort_stable_descending_puts_nan_first(device):
    x = ember.tensor([2.0, float("nan"), 1.0, 2.0], device=device)
    out = ember.sort(x, descending=True, stable=True)
    assert out.indices.tolist() == [1, 0, 3, 2]
    values, indices = out
    assert np.isnan(_np(values)[0]) and indices.dtype is ember.int64


def test_topk_and_kthvalue_ties_follow_pytorch(device):
    x = ember.tensor([1.0, 3.0, 3.0, 2.0], device=device)
    assert ember.topk(x, 2).indices.tolist() == [1, 2]
    assert ember.topk(x, 2, largest=False).indices.tolist() == [0, 3]
    kth = ember.kthvalue(ember.tensor([[3.0, 1.0, 2.0, 1.0]], device=device), 2, 1)
    assert kth.values.tolist() == [1.0] and kth.indices.tolist() == [3]
    with pytest.raises(RuntimeError, match="out of range"):
        ember.topk(x, 5)


def test_median_is_the_lower_median_and_propagates_nan(device):
    assert ember.median(ember.tensor([4.0, 1.0, 3.0, 2.0], device=device)).item() == 2.0
    ties = ember.median(ember.tensor([[2.0, 1.0, 2.0, 2.0, 3.0]], device=device), 1)
    assert ties.values.tolist() == [2.0] and ties.indices.tolist() == [2]
    x = ember.tensor([[1.0, float("nan"), 2.0], [3.0, 1.0, 2.0]], device=device)
    m = ember.median(x, 1)
    assert np.isnan(_np(m.values)[0]) and m.indices.tolist() == [1, 2]
    assert ember.nanmedian(x, 1).values.tolist() == [1.0, 2.0]
    assert np.isnan(ember.median(ember.ones(0)).item())


def test_median_gradient_goes_to_one_element():
    x = ember.tensor([3.0, 1.0, 2.0, 5.0], requires_grad=True)
    ember.median(x).backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0, 0.0]


def test_cummax_cummin_latest_index_on_ties(device):
    x = ember.tensor([1.0, 3.0, 3.0, 2.0, 3.0, float("nan"), 1.0], device=device)
    assert ember.cummax(x, 0).indices.tolist() == [0, 1, 2, 2, 4, 5, 5]
    y = ember.tensor([3.0, 1.0, 1.0, 2.0, 1.0], device=device)
    assert ember.cummin(y, 0).indices.tolist() == [0, 1, 2, 2, 4]


def test_cumprod_gradient_with_zeros():
    x = ember.tensor([2.0, 0.0, 3.0, 0.0, 5.0], dtype=ember.float64, requires_grad=True)
    ember.cumprod(x, 0).sum().backward()
    # d/dx_k sum_j prod_{i<=j} x_i, worked out by hand: only terms not containing a second zero.
    assert x.grad.tolist() == [1.0, 2.0 + 6.0, 0.0, 0.0, 0.0]


def test_scan_dtypes(device):
    assert ember.cumsum(ember.tensor([1, 2], dtype=ember.int32, device=device), 0).dtype is (
        ember.int64)
    assert ember.cumprod(ember.tensor([True, True], device=device), 0).dtype is ember.int64
    assert ember.cumsum(ember.ones(3, device=device), 0, dtype=ember.float64).dtype is (
        ember.float64)


def test_unique_variants(device):
    x = ember.tensor([[3, 1], [1, 2]], device=device)
    vals, inv, counts = ember.unique(x, return_inverse=True, return_counts=True)
    assert vals.tolist() == [1, 2, 3] and inv.tolist() == [[2, 0], [0, 1]]
    assert counts.tolist() == [2, 1, 1]
    rows = ember.tensor([[3, 1], [1, 2], [3, 1]], device=device)
    vals, inv, counts = ember.unique(rows, dim=0, return_inverse=True, return_counts=True)
    assert vals.tolist() == [[1, 2], [3, 1]] and inv.tolist() == [1, 0, 1]
    assert counts.tolist() == [1, 2]
    seq = ember.tensor([1, 1, 2, 2, 3, 1, 1, 2], device=device)
    vals, inv, counts = ember.unique_consecutive(seq, return_inverse=True, return_counts=True)
    assert vals.tolist() == [1, 2, 3, 1, 2] and inv.tolist() == [0, 0, 1, 1, 2, 3, 3, 4]
    assert counts.tolist() == [2, 2, 1, 2, 1]


def test_searchsorted_bucketize_bincount_histc(device):
    seq = ember.tensor([[1, 3, 5, 7, 9], [2, 4, 6, 8, 10]], device=device)
    vals = ember.tensor([[3, 6, 9], [3, 6, 9]], device=device)
    assert ember.searchsorted(seq, vals, right=True).tolist() == [[2, 3, 5], [1, 3, 4]]
    out = ember.bucketize(ember.tensor([3, 6, 9], device=device), seq[0], right=True,
                          out_int32=True)
    assert out.tolist() == [2, 3, 5] and out.dtype is ember.int32
    w = ember.tensor([0.5, 1.0, 1.0, 2.0], device=device)
    idx = ember.tensor([0, 1, 1, 3], device=device)
    assert ember.bincount(idx, w).dtype is ember.float32
    assert ember.bincount(idx, minlength=6).tolist() == [1, 2, 0, 1, 0, 0]
    with pytest.raises(RuntimeError, match="non-negative"):
        ember.bincount(ember.tensor([-1, 2], device=device))
    x = ember.tensor([1.0, 2, 1, 4, 5], device=device)
    assert ember.histc(x, bins=4, min=0, max=3).tolist() == [0.0, 2.0, 1.0, 0.0]
    assert ember.histc(x, bins=4).tolist() == [2.0, 1.0, 0.0, 2.0]


def test_diff_bool_and_prepend(device):
    assert ember.diff(ember.tensor([True, False, False], device=device)).tolist() == [True, False]
    x = ember.tensor([[1, 2], [4, 8]], device=device)
    out = ember.diff(x, dim=0, prepend=ember.tensor([[0, 0]], device=device))
    assert out.tolist() == [[1, 2], [3, 6]]


def test_sort_dim_error():
    with pytest.raises(IndexError, match="Dimension out of range"):
        ember.sort(ember.ones(3), dim=2)
