"""CTC loss against stored PyTorch values, a brute-force enumeration, and gradchecks."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember import nn
from ember.autograd import gradcheck
from tests.ember.nn.fixtures.seq import reference as ref

CASES = ref.cases("ctc")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_pytorch(case, device):
    ins = ref.inputs(case["name"], device)
    x = ins["x"]
    lp = x.log_softmax(-1)
    loss = F.ctc_loss(lp, ins["targets"], ins["il"], ins["tl"], **case["kwargs"])
    ref.check(case["name"], [loss], ins)


def test_module_and_tuple_lengths(device):
    lp = ember.randn(6, 2, 4, device=device).log_softmax(2)
    tg = ember.tensor([[1, 2], [3, 0]], device=device)
    a = nn.CTCLoss(reduction="sum")(lp, tg, (6, 5), (2, 1))
    b = F.ctc_loss(lp, tg, ember.tensor([6, 5]), ember.tensor([2, 1]), reduction="sum")
    assert float(a) == pytest.approx(float(b))
    assert a.dtype == ember.float32


def _brute_force_nll(lp: np.ndarray, target: list[int], blank: int) -> float:
    """-log of the sum over every path of length T that collapses to ``target``."""
    steps, classes = lp.shape
    total = 0.0
    for path in itertools.product(range(classes), repeat=steps):
        collapsed = [c for i, c in enumerate(path) if c != blank and (i == 0 or c != path[i - 1])]
        if collapsed == target:
            total += np.exp(sum(lp[t, c] for t, c in enumerate(path)))
    return -np.log(total)


@pytest.mark.parametrize("target,blank", [([1, 1], 0), ([2, 1], 0), ([0, 2], 1), ([], 0)])
def test_against_enumerating_all_paths(target, blank):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 3))
    lp = x - np.log(np.exp(x).sum(1, keepdims=True))
    got = F.ctc_loss(ember.tensor(lp).unsqueeze(1), ember.tensor([target], dtype=ember.int64)
                     if target else ember.zeros(1, 1, dtype=ember.int64),
                     [5], [len(target)], blank=blank, reduction="none")
    assert float(got[0]) == pytest.approx(_brute_force_nll(lp, target, blank), rel=1e-10)


def test_gradcheck_through_log_softmax(device):
    x = ember.randn(6, 2, 4, dtype=ember.float64, device=device, requires_grad=True)
    tg = ember.tensor([1, 2, 2, 3], device=device)

    def fn(x):
        return F.ctc_loss(x.log_softmax(2), tg, (6, 4), (3, 1), reduction="none")

    assert gradcheck(fn, (x,))


def test_zero_infinity_and_errors():
    lp = ember.randn(2, 1, 3, dtype=ember.float64, requires_grad=True)
    tg = ember.tensor([[1, 1]])
    assert float(F.ctc_loss(lp.log_softmax(2), tg, [2], [2], reduction="sum")) == float("inf")
    loss = F.ctc_loss(lp.log_softmax(2), tg, [2], [2], reduction="sum", zero_infinity=True)
    loss.backward()
    assert float(loss) == 0.0 and float(lp.grad.abs().sum()) == 0.0
    with pytest.raises(RuntimeError, match="input_lengths"):
        F.ctc_loss(lp, tg, [3], [2])
    with pytest.raises(ValueError, match="reduction"):
        F.ctc_loss(lp, tg, [2], [2], reduction="avg")
