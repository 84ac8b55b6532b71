"""multilabel_margin_loss counts a class listed twice in ``target`` twice, as PyTorch (its sample
inputs repeat classes; PyTorch's values on them: tests/ember/torch_samples)."""

from __future__ import annotations

import numpy as np

import ember
import ember.nn.functional as F


def _reference(x, target):
    end = list(target).index(-1) if -1 in list(target) else len(target)
    listed = list(target[:end])
    others = [i for i in range(len(x)) if i not in listed]
    return sum(max(0.0, 1 - (x[j] - x[i])) for j in listed for i in others) / len(x)


def test_repeated_targets_count_each_time():
    x = np.array([0.3, -0.2, 0.9, 0.1, 0.5])
    target = np.array([1, 1, 0, 1, 4])
    got = F.multilabel_margin_loss(ember.tensor(x), ember.tensor(target))
    np.testing.assert_allclose(got.numpy(), _reference(x, target))
    rows = np.array([[2, 2, -1, 0, 0], [4, 0, 4, 1, -1]])
    xs = np.stack([x, x[::-1]])
    got = F.multilabel_margin_loss(ember.tensor(xs), ember.tensor(rows), reduction="none")
    np.testing.assert_allclose(got.numpy(), [_reference(a, t) for a, t in zip(xs, rows)])
