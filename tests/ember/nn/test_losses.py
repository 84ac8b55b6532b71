"""Loss functions and loss modules against stored PyTorch values, plus error behaviour."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember import nn
from tests.ember.nn.fixtures import reference

LOSS_FNS = {r["fn"] for r in reference.cases() if r["fn"].endswith("loss") or r["fn"] in (
    "cross_entropy", "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div")}
LOSS_CASES = reference.cases(LOSS_FNS)


@pytest.mark.parametrize("record", LOSS_CASES, ids=[r["name"] for r in LOSS_CASES])
def test_loss_matches_pytorch(record, device):
    reference.replay(record, device)


def _logits_targets():
    rng = np.random.default_rng(0)
    return ember.tensor(rng.standard_normal((6, 4))), ember.tensor(rng.integers(0, 4, 6))


@pytest.mark.parametrize("cls, fn, kwargs", [
    (nn.CrossEntropyLoss, F.cross_entropy, {"label_smoothing": 0.1}),
    (nn.NLLLoss, F.nll_loss, {}),
    (nn.MultiMarginLoss, F.multi_margin_loss, {"margin": 0.5}),
])
def test_class_losses_module_equals_functional(cls, fn, kwargs):
    x, t = _logits_targets()
    w = ember.tensor([0.5, 1.0, 2.0, 1.5], dtype=ember.float64)
    for reduction in ("none", "mean", "sum"):
        mod = cls(weight=w, reduction=reduction, **kwargs)
        want = fn(x, t, weight=w, reduction=reduction, **kwargs)
        np.testing.assert_allclose(mod(x, t).numpy(), want.numpy())


@pytest.mark.parametrize("cls, fn", [
    (nn.MSELoss, F.mse_loss), (nn.L1Loss, F.l1_loss), (nn.SmoothL1Loss, F.smooth_l1_loss),
    (nn.HuberLoss, F.huber_loss), (nn.SoftMarginLoss, F.soft_margin_loss),
    (nn.BCEWithLogitsLoss, F.binary_cross_entropy_with_logits),
    (nn.MultiLabelSoftMarginLoss, F.multilabel_soft_margin_loss),
    (nn.PoissonNLLLoss, F.poisson_nll_loss), (nn.HingeEmbeddingLoss, F.hinge_embedding_loss),
])
def test_pointwise_loss_modules(cls, fn):
    rng = np.random.default_rng(1)
    x = ember.tensor(rng.standard_normal((3, 4)))
    t = ember.tensor((rng.random((3, 4)) > 0.5) * 1.0)
    for reduction in ("none", "mean", "sum"):
        np.testing.assert_allclose(cls(reduction=reduction)(x, t).numpy(),
                                   fn(x, t, reduction=reduction).numpy())


def test_legacy_size_average_and_reduce():
    x, y = ember.tensor([1.0, 3.0]), ember.tensor([0.0, 0.0])
    with pytest.warns(UserWarning):
        assert F.mse_loss(x, y, size_average=False).item() == 10.0
    with pytest.warns(UserWarning):
        assert F.mse_loss(x, y, reduce=False).tolist() == [1.0, 9.0]
    assert nn.MSELoss(size_average=False).reduction == "sum"
    assert nn.MSELoss(reduce=False).reduction == "none"
    assert nn.L1Loss(size_average=True, reduce=True).reduction == "mean"


def test_invalid_reduction():
    with pytest.raises(ValueError):
        F.l1_loss(ember.ones(2), ember.ones(2), reduction="avg")


def test_bce_with_logits_stable_for_huge_logits():
    x = ember.tensor([-1e4, 1e4, 88.0, -88.0], requires_grad=True)
    t = ember.tensor([0.0, 1.0, 0.0, 1.0])
    loss = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    np.testing.assert_allclose(loss.detach().numpy(), [0.0, 0.0, 88.0, 88.0], rtol=1e-6)
    loss.sum().backward()
    assert np.isfinite(x.grad.numpy()).all()


def test_bce_checks_range_and_shape():
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(ember.tensor([1.5]), ember.tensor([1.0]))
    with pytest.raises(ValueError, match="same size"):
        F.binary_cross_entropy(ember.tensor([0.5, 0.5]), ember.tensor([1.0]))


def test_nll_out_of_range_target():
    with pytest.raises(IndexError, match="out of bounds"):
        F.nll_loss(ember.zeros(2, 3), ember.tensor([0, 3]))


def test_cross_entropy_all_ignored_gives_nan_like_pytorch():
    loss = F.cross_entropy(ember.zeros(2, 3), ember.tensor([-100, -100]))
    assert np.isnan(loss.item())


def test_mse_broadcast_warning():
    with pytest.warns(UserWarning, match="different to the input size"):
        F.mse_loss(ember.ones(3, 1), ember.ones(3))


def test_loss_state_dict_holds_weight_buffer():
    w = ember.ones(3)
    assert list(nn.CrossEntropyLoss(weight=w).state_dict()) == ["weight"]
    assert list(nn.CrossEntropyLoss().state_dict()) == []
    assert list(nn.BCEWithLogitsLoss(pos_weight=w).state_dict()) == ["pos_weight"]


def test_kl_div_mean_warns():
    p = ember.tensor([[0.5, 0.5]])
    with pytest.warns(UserWarning, match="batchmean"):
        F.kl_div(p.log(), p)


def test_gaussian_nll_float_var_and_errors():
    x = ember.zeros(2, 3)
    assert F.gaussian_nll_loss(x, x, 1.0).item() == 0.0
    with pytest.raises(ValueError):
        F.gaussian_nll_loss(x, x, ember.ones(4))
    with pytest.raises(ValueError, match="negative"):
        F.gaussian_nll_loss(x, x, -ember.ones(2, 3))


@pytest.mark.parametrize("fn, make", [
    ("cross_entropy", lambda r: (r.standard_normal((3, 4)), np.array([0, 3, 1]))),
    ("binary_cross_entropy_with_logits", lambda r: (r.standard_normal((3, 4)), r.random((3, 4)))),
    ("binary_cross_entropy", lambda r: (r.random((3, 4)) * 0.8 + 0.1, r.random((3, 4)))),
    ("smooth_l1_loss", lambda r: (r.standard_normal((3, 4)), r.standard_normal((3, 4)))),
    ("kl_div", lambda r: (np.log(r.random((3, 4)) + 0.1), r.random((3, 4)))),
    ("triplet_margin_loss", lambda r: (r.standard_normal((3, 4)), r.standard_normal((3, 4)),
                                       r.standard_normal((3, 4)))),
])
def test_loss_gradgradcheck(fn, make):
    rng = np.random.default_rng(3)
    raw = make(rng)
    args = [ember.tensor(a, dtype=ember.float64 if a.dtype.kind == "f" else None,
                         requires_grad=a.dtype.kind == "f") for a in raw]
    kwargs = {"reduction": "batchmean"} if fn == "kl_div" else {}
    f = getattr(F, fn)
    assert ember.autograd.gradcheck(lambda *a: f(*a, **kwargs), args)
    assert ember.autograd.gradgradcheck(lambda *a: f(*a, **kwargs), args)


def test_logit_losses_have_exact_gradient_at_zero():
    x = ember.zeros(3, dtype=ember.float64, requires_grad=True)
    t = ember.tensor([0.0, 0.5, 1.0], dtype=ember.float64)
    F.binary_cross_entropy_with_logits(x, t, reduction="sum").backward()
    np.testing.assert_allclose(x.grad.numpy(), 0.5 - t.numpy())  # sigmoid(0) - t
    y = ember.zeros(1, dtype=ember.float64, requires_grad=True)
    F.logsigmoid(y).sum().backward()
    np.testing.assert_allclose(y.grad.numpy(), [0.5])


def test_bce_gradient_at_saturated_probabilities_is_finite():
    p = ember.tensor([0.0, 1.0, 0.3], requires_grad=True)
    t = ember.tensor([1.0, 0.0, 1.0])
    loss = F.binary_cross_entropy(p, t, reduction="sum")
    assert loss.item() == pytest.approx(200 - np.log(0.3), rel=1e-5)
    loss.backward()
    np.testing.assert_allclose(p.grad.numpy(), [-1e12, 1e12, -1 / 0.3], rtol=1e-5)
