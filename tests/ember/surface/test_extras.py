"""Behaviour the PyTorch snippets cannot pin down: distributions of random ops, and the layout
of the generated ``out=`` list."""

from __future__ import annotations

import numpy as np

import ember
import ember.nn.functional as F


def test_gumbel_softmax_hard_samples_follow_the_softmax():
    ember.manual_seed(0)
    logits = ember.tensor([0.5, -1.0, 1.5]).expand(4000, 3)
    y = F.gumbel_softmax(logits, hard=True)
    freq = y.mean(0).numpy()
    probs = ember.softmax(logits[0], 0).numpy()
    np.testing.assert_allclose(freq, probs, atol=0.03)
    assert set(np.unique(y.numpy())) <= {0.0, 1.0}


def test_gumbel_softmax_hard_passes_the_soft_gradient():
    ember.manual_seed(1)
    logits = ember.randn(5, 4, dtype=ember.float64, requires_grad=True)
    weights = ember.arange(4.0, dtype=ember.float64)
    ember.manual_seed(2)
    (F.gumbel_softmax(logits, tau=0.7, hard=True) * weights).sum().backward()
    hard_grad = logits.grad.clone()
    logits.grad = None
    ember.manual_seed(2)
    (F.gumbel_softmax(logits, tau=0.7) * weights).sum().backward()
    np.testing.assert_allclose(hard_grad.numpy(), logits.grad.numpy(), rtol=1e-12)


def test_random_fills_have_their_distributions():
    ember.manual_seed(0)
    x = ember.empty(20000, dtype=ember.float64)
    assert abs(float(x.cauchy_(1.0, 2.0).median()) - 1.0) < 0.1
    assert abs(float(x.log_normal_(0.5, 0.25).log().mean()) - 0.5) < 0.01
    g = x.geometric_(0.25)
    assert float(g.min()) >= 1 and abs(float(g.mean()) - 4.0) < 0.1
