"""Pooling against stored PyTorch values, gradchecks, and hand-written edge cases."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from tests.ember.nn.fixtures.conv import reference as ref

POOLS = {
    "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d", "avg_pool2d", "avg_pool3d",
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d",
    "adaptive_max_pool2d", "adaptive_max_pool3d", "lp_pool1d", "lp_pool2d",
}
CASES = ref.cases(POOLS)
IDS = [c["name"] for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_matches_pytorch(case, device):
    ref.check_case(case, device)


@pytest.mark.parametrize("case", CASES[::3], ids=IDS[::3])
def test_matches_pytorch_float32(case, device):
    ref.check_case(case, device, ember.float32)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_gradcheck(case, device):
    ref.gradchecks(case, device)


def test_max_pool_indices_feed_unpool(device):
    x = ember.rand(2, 3, 6, 6, dtype=ember.float64, device=device) + 0.1
    y, idx = F.max_pool2d(x, 2, return_indices=True)
    up = F.max_unpool2d(y, idx, 2)
    assert up.shape == x.shape
    # Every pooled value sits at its argmax; the rest is zero.
    np.testing.assert_allclose(F.max_pool2d(up, 2).cpu().numpy(), y.cpu().numpy())
    assert int((up != 0).sum()) == y.numel()


def test_max_unpool_gradcheck(device):
    x = ember.randn(1, 2, 4, 6, dtype=ember.float64, device=device)
    y, idx = F.max_pool2d(x, 2, return_indices=True)
    y.requires_grad_(True)
    fn = lambda t: F.max_unpool2d(t, idx, 2, output_size=(4, 6))  # noqa: E731
    assert ember.autograd.gradcheck(fn, (y,))
    assert ember.autograd.gradgradcheck(fn, (y,))


def test_max_pool_propagates_nan(device):
    x = ember.tensor([[[1.0, float("nan"), 3.0, 2.0]]], device=device)
    out, idx = F.max_pool1d(x, 2, return_indices=True)
    assert np.isnan(out.cpu().numpy()[0, 0, 0]) and idx.tolist() == [[[1, 2]]]


def test_max_pool_backward_with_overlapping_windows_accumulates(device):
    x = ember.tensor([[[0.0, 5.0, 1.0, 0.0, 0.0]]], device=device, requires_grad=True)
    F.max_pool1d(x, 3, stride=1).sum().backward()
    assert x.grad.tolist() == [[[0.0, 2.0, 1.0, 0.0, 0.0]]]


def test_float32_stays_float32(device):
    x = ember.randn(1, 2, 5, 5, device=device)
    for out in (F.max_pool2d(x, 2), F.avg_pool2d(x, 2), F.adaptive_avg_pool2d(x, 3)):
        assert out.dtype is ember.float32


@pytest.mark.parametrize(("call", "err"), [
    (lambda x: F.max_pool2d(x, 3, padding=2), RuntimeError),
    (lambda x: F.max_pool2d(x, 7), RuntimeError),
    (lambda x: F.avg_pool2d(x, 2, divisor_override=0), RuntimeError),
    (lambda x: F.max_pool2d(x.reshape(-1), 2), RuntimeError),
    (lambda x: F.adaptive_avg_pool2d(x, (1, 2, 3)), ValueError),
])
def test_errors(call, err):
    with pytest.raises(err):
        call(ember.randn(1, 1, 5, 5))
