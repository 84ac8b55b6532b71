"""ember.utils.checkpoint: recomputation happens in backward, and gradients equal the plain run's
(PyTorch's values are in tests/ember/conformance, group "checkpoint")."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import ember
import ember.nn as nn
from ember.utils.checkpoint import checkpoint, checkpoint_sequential


def test_block_runs_untracked_then_recomputes_once_in_backward():
    calls = []
    lin = nn.Linear(3, 3)

    def block(x):
        calls.append(ember.is_grad_enabled())
        return ember.tanh(lin(x))

    x = ember.randn(2, 3, requires_grad=True)
    y = checkpoint(block, x, use_reentrant=False)
    assert calls == [False] and y.grad_fn is not None
    y.sum().backward()
    assert calls == [False, True]
    weight_grad = lin.weight.grad.numpy().copy()
    plain_x = x.detach().requires_grad_()
    lin.zero_grad()
    ember.tanh(lin(plain_x)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), plain_x.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(weight_grad, lin.weight.grad.numpy(), rtol=1e-6)


def test_dropout_mask_is_replayed_and_rng_continues():
    drop = nn.Dropout(0.5)
    x = ember.ones(200, requires_grad=True)
    y = checkpoint(drop, x, use_reentrant=False)
    after_forward = ember.rand(3)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy() != 0, y.detach().numpy() != 0)
    # backward restores the random stream it found, so later draws are unaffected
    ember.manual_seed(0)
    _ = checkpoint(drop, x, use_reentrant=False)
    assert ember.rand(3).tolist() == after_forward.tolist()


def test_missing_use_reentrant_warns_and_sequential_matches_plain():
    net = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 6), nn.ReLU(), nn.Linear(6, 1))
    x = ember.randn(5, 4)
    with pytest.warns(UserWarning, match="use_reentrant"):
        y = checkpoint_sequential(net, 3, x)
    y.sum().backward()
    grads = [p.grad.numpy().copy() for p in net.parameters()]
    net.zero_grad()
    net(x).sum().backward()
    for g, p in zip(grads, net.parameters()):
        np.testing.assert_allclose(g, p.grad.numpy(), rtol=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        checkpoint(net, x, use_reentrant=True)


def test_non_tensor_output_is_rejected():
    with pytest.raises(TypeError, match="must return a Tensor"):
        checkpoint(lambda t: [t], ember.ones(1, requires_grad=True), use_reentrant=False)
