"""Fractional max pooling, Lp pooling and the lazy modules against stored PyTorch 2.13 values.

Fixtures: ``fixtures/more_modules.npz`` and ``fixtures/lazy_modules.json``, made by
``fixtures/make_more_modules_fixtures.py``.
"""

from __future__ import annotations

import builtins
import json
from pathlib import Path

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember import nn

FIX = Path(__file__).resolve().parent / "fixtures"
DATA = np.load(FIX / "more_modules.npz")
LAZY = json.loads((FIX / "lazy_modules.json").read_text())

FRACTIONAL = {
    "f2_size": ("fractional_max_pool2d", {"kernel_size": (3, 2), "output_size": (5, 4)}),
    "f2_ratio": ("fractional_max_pool2d", {"kernel_size": 2, "output_ratio": (0.5, 0.7)}),
    "f2_unbatched": ("fractional_max_pool2d", {"kernel_size": 2, "output_size": 6}),
    "f2_one": ("fractional_max_pool2d", {"kernel_size": 2, "output_size": 1}),
    "f3_size": ("fractional_max_pool3d", {"kernel_size": (2, 3, 2), "output_size": (3, 4, 5)}),
    "f3_ratio": ("fractional_max_pool3d", {"kernel_size": 2, "output_ratio": 0.5}),
}
LP = {
    "lp1_p2": ("lp_pool1d", (2.0, 3)),
    "lp1_p3_stride": ("lp_pool1d", (3.0, 3, 2)),
    "lp1_ceil": ("lp_pool1d", (2.0, 3, 2, True)),
    "lp1_inf": ("lp_pool1d", (float("inf"), 2)),
    "lp2_p2": ("lp_pool2d", (2.0, (2, 3))),
    "lp2_p1_5": ("lp_pool2d", (1.5, 2, 1)),
    "lp2_ceil": ("lp_pool2d", (2.0, 3, 2, True)),
    "lp2_neginf": ("lp_pool2d", (float("-inf"), 2)),
    "lp3_p2": ("lp_pool3d", (2.0, 2)),
    "lp3_p3": ("lp_pool3d", (3.0, (2, 2, 1), (2, 1, 1))),
    "lp3_inf": ("lp_pool3d", (float("inf"), 2)),
}


def _t(tag, key, device, **kw):
    return ember.tensor(DATA[f"{tag}/{key}"], device=device, **kw)


@pytest.mark.parametrize("tag", sorted(FRACTIONAL))
def test_fractional_matches_pytorch(tag, device):
    name, kw = FRACTIONAL[tag]
    x = _t(tag, "x", device, requires_grad=True)
    y, i = getattr(F, name)(x, **kw, return_indices=True, _random_samples=_t(tag, "s", device))
    np.testing.assert_array_equal(y.detach().cpu().numpy(), DATA[f"{tag}/y"])
    np.testing.assert_array_equal(i.cpu().numpy(), DATA[f"{tag}/i"])
    (y * _t(tag, "w", device)).sum().backward()
    np.testing.assert_allclose(x.grad.cpu().numpy(), DATA[f"{tag}/gx"], rtol=1e-12)
    # float32: same windows (the starts are computed in the input's dtype, as PyTorch)
    y32, i32 = getattr(F, name)(
        x.detach().float(), **kw, return_indices=True, _random_samples=_t(tag, "s", device).float()
    )
    np.testing.assert_array_equal(y32.cpu().numpy(), DATA[f"{tag}/y32"])
    np.testing.assert_array_equal(i32.cpu().numpy(), DATA[f"{tag}/i32"])


@pytest.mark.parametrize("tag", ["f2_size", "f3_ratio"])
def test_fractional_gradcheck(tag, device):
    name, kw = FRACTIONAL[tag]
    x = _t(tag, "x", device, requires_grad=True)
    s = _t(tag, "s", device)
    fn = lambda t: getattr(F, name)(t, **kw, _random_samples=s)  # noqa: E731
    assert ember.autograd.gradcheck(fn, (x,))
    assert ember.autograd.gradgradcheck(fn, (x,))


def test_fractional_module_and_unpool(device):
    ember.manual_seed(0)
    pool = nn.FractionalMaxPool2d(2, output_ratio=0.5, return_indices=True)
    x = ember.randn(2, 3, 8, 10, device=device)
    y, i = pool(x)
    assert tuple(y.shape) == (2, 3, 4, 5)
    # indices point at the pooled values, and feed max_unpool2d
    np.testing.assert_array_equal(
        np.take_along_axis(
            x.cpu().numpy().reshape(2, 3, -1), i.cpu().numpy().reshape(2, 3, -1), -1
        ).reshape(y.shape),
        y.cpu().numpy(),
    )
    up = F.max_unpool2d(y, i, 2, output_size=x.shape[-2:])
    assert int((up != 0).sum()) <= y.numel()
    assert pool.state_dict() == {} and "_random_samples" not in dict(pool.named_buffers())
    three = nn.FractionalMaxPool3d((2, 2, 2), output_size=(2, 3, 3))
    assert tuple(three(ember.randn(1, 2, 5, 6, 6, device=device)).shape) == (1, 2, 2, 3, 3)


def test_fractional_argument_errors():
    x = ember.randn(1, 1, 5, 5)
    with pytest.raises(ValueError, match="either an output size"):
        nn.FractionalMaxPool2d(2)
    with pytest.raises(ValueError, match="only one of"):
        nn.FractionalMaxPool2d(2, output_size=2, output_ratio=0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.FractionalMaxPool3d(2, output_ratio=1.5)
    with pytest.raises(ValueError, match="output_size or an output_ratio"):
        F.fractional_max_pool2d(x, 2)
    with pytest.raises(RuntimeError, match="too large"):
        F.fractional_max_pool2d(x, 3, output_size=4)
    with pytest.raises(RuntimeError, match="_random_samples"):
        F.fractional_max_pool2d(x, 2, output_size=2, _random_samples=ember.rand(1, 2, 2))
    with pytest.raises(RuntimeError, match="4D"):
        F.fractional_max_pool2d(ember.randn(5, 5), 2, output_size=2)


@pytest.mark.parametrize("tag", sorted(LP))
def test_lp_pool_matches_pytorch(tag, device):
    name, args = LP[tag]
    x = _t(tag, "x", device, requires_grad=True)
    y = getattr(F, name)(x, *args)
    np.testing.assert_allclose(
        y.detach().cpu().numpy(), DATA[f"{tag}/y"], rtol=1e-10, equal_nan=True
    )
    (y * _t(tag, "w", device)).sum().backward()
    np.testing.assert_allclose(
        x.grad.cpu().numpy(), DATA[f"{tag}/gx"], rtol=1e-9, atol=1e-12, equal_nan=True
    )


@pytest.mark.parametrize("tag", ["lp2_p1_5", "lp3_p3"])
def test_lp_pool_gradcheck(tag, device):
    name, args = LP[tag]
    x = _t(tag, "x", device, requires_grad=True)
    assert ember.autograd.gradcheck(lambda t: getattr(F, name)(t, *args), (x,))


def test_lp_pool3d_module():
    m = nn.LPPool3d(2, (2, 2, 2), stride=1)
    assert repr(m) == "LPPool3d(norm_type=2, kernel_size=(2, 2, 2), stride=1, ceil_mode=False)"
    x = ember.rand(1, 1, 3, 3, 3, dtype=ember.float64)
    ref = np.sqrt((x.numpy()[0, 0, 1:3, 0:2, 1:3] ** 2).sum())
    assert abs(float(m(x)[0, 0, 1, 0, 1]) - ref) < 1e-12


def _eval(expr):
    return eval(expr, {"nn": nn, "ember": ember})  # noqa: S307 - fixture expressions


def _shapes(m):
    return {n: list(t.shape) for n, t in [*m.named_parameters(), *m.named_buffers()]}


@pytest.mark.parametrize("case", LAZY, ids=[c["expr"] for c in LAZY])
def test_lazy_module_matches_pytorch(case):
    m = _eval(case["expr"])
    assert repr(m) == case["repr_before"]
    assert m.has_uninitialized_params() == case["uninit_before"]
    assert {k: type(v).__name__ for k, v in m.state_dict().items()} == case["state_before"]
    y = m(ember.randn(*case["input"]))
    assert type(m).__name__ == case["cls_after"]
    assert repr(m) == case["repr_after"]
    assert _shapes(m) == case["shapes"]
    assert list(y.shape) == case["out_shape"]
    fresh = _eval(case["expr"])
    fresh.load_state_dict(m.state_dict())
    assert type(fresh).__name__ == case["cls_loaded"]
    assert _shapes(fresh) == case["shapes"]
    if "error_loaded_forward" in case:
        with pytest.raises(getattr(builtins, case["error_loaded_forward"])):
            fresh(ember.randn(*case["input"]))
    else:
        fresh(ember.randn(*case["input"]))
        assert repr(fresh) == case["repr_loaded_forward"]


def test_lazy_linear_initialises_like_linear_and_keeps_identity():
    lazy = nn.LazyLinear(3)
    w, b = lazy.weight, lazy.bias
    opt = ember.optim.SGD(lazy.parameters(), lr=0.5)  # built before materialisation, as torch
    ember.manual_seed(4)
    x = ember.randn(2, 5)
    ember.manual_seed(1)
    y = lazy(x)
    ember.manual_seed(1)
    eager = nn.Linear(5, 3)
    assert lazy.weight is w and lazy.bias is b and type(w) is nn.Parameter
    np.testing.assert_array_equal(lazy.weight.detach().numpy(), eager.weight.detach().numpy())
    np.testing.assert_array_equal(lazy.bias.detach().numpy(), eager.bias.detach().numpy())
    before = w.detach().numpy().copy()
    y.sum().backward()
    opt.step()
    np.testing.assert_allclose(w.detach().numpy(), before - 0.5 * w.grad.numpy())
    assert not lazy._forward_pre_hooks and not lazy._load_state_dict_pre_hooks


def test_uninitialized_placeholders():
    p = nn.UninitializedParameter(dtype=ember.float64)
    assert repr(p) == "<UninitializedParameter>" and p.requires_grad
    assert nn.parameter.is_lazy(p)
    with pytest.raises(RuntimeError, match="uninitialized parameter"):
        p.shape  # noqa: B018
    with pytest.raises(RuntimeError, match="uninitialized parameter"):
        nn.Linear(2, 3).load_state_dict(nn.LazyLinear(3).state_dict())
    p.materialize((2, 3))
    assert type(p) is nn.Parameter and tuple(p.shape) == (2, 3) and p.dtype == ember.float64
    buf = nn.UninitializedBuffer()
    buf.materialize(4)
    assert type(buf) is ember.Tensor and tuple(buf.shape) == (4,)
    lazy = nn.LazyLinear(2).double()  # dtype chosen before the first forward is kept
    lazy(ember.ones(1, 3, dtype=ember.float64))
    assert lazy.weight.dtype == ember.float64


def test_lazy_in_sequential_trains():
    ember.manual_seed(0)
    net = nn.Sequential(
        nn.LazyConv2d(4, 3, padding=1),
        nn.LazyBatchNorm2d(),
        nn.ReLU(),
        nn.Flatten(),
        nn.LazyLinear(2),
    )
    x = ember.randn(4, 3, 5, 5)
    target = ember.tensor([0, 1, 0, 1])
    net(x)
    opt = ember.optim.SGD(net.parameters(), lr=0.1)
    first = None
    for _ in range(15):
        opt.zero_grad()
        loss = F.cross_entropy(net(x), target)
        loss.backward()
        opt.step()
        first = float(loss) if first is None else first
    assert float(loss) < 0.5 * first
    assert [type(m).__name__ for m in net] == ["Conv2d", "BatchNorm2d", "ReLU", "Flatten", "Linear"]


def test_multilabel_margin_loss_counts_repeated_targets():
    x = ember.tensor(DATA["mlm/x"], requires_grad=True)
    y = F.multilabel_margin_loss(x, ember.tensor(DATA["mlm/t"]), reduction="none")
    np.testing.assert_allclose(y.detach().numpy(), DATA["mlm/y"], rtol=1e-12)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), DATA["mlm/gx"], rtol=1e-12)


def test_empty_batches():
    x = ember.randn(0, 2, 5, 5, requires_grad=True)
    assert tuple(F.fractional_max_pool2d(x, 2, output_size=2).shape) == (0, 2, 2, 2)
    assert tuple(F.unfold(x, 2).shape) == (0, 8, 16)
    assert tuple(F.group_norm(x, 1).shape) == (0, 2, 5, 5)
    F.max_pool2d(x, 2).sum().backward()
    assert tuple(x.grad.shape) == (0, 2, 5, 5)


def test_gumbel_softmax_samples_the_categorical():
    ember.manual_seed(3)
    probs = np.array([0.2, 0.3, 0.5])
    logits = ember.tensor(np.log(np.tile(probs, (4000, 1))), requires_grad=True)
    hard = F.gumbel_softmax(logits, tau=0.7, hard=True)
    assert set(np.unique(hard.detach().numpy())) == {0.0, 1.0}
    np.testing.assert_allclose(hard.detach().numpy().mean(0), probs, atol=0.03)  # Gumbel-max
    # straight-through: the gradient is the soft sample's, from the same Gumbel noise
    (hard * ember.tensor([1.0, 2.0, 3.0])).sum().backward()
    ember.manual_seed(3)
    x = logits.detach().requires_grad_(True)
    soft = F.gumbel_softmax(x, tau=0.7)
    np.testing.assert_allclose(soft.detach().sum(-1).numpy(), 1.0, rtol=1e-6)
    (soft * ember.tensor([1.0, 2.0, 3.0])).sum().backward()
    np.testing.assert_allclose(logits.grad.numpy(), x.grad.numpy(), rtol=1e-6, atol=1e-9)


def test_functional_aliases():
    x = ember.randn(1, 2, 4, 4)
    y, i = F.adaptive_max_pool2d_with_indices(x, 2)
    y2, i2 = F.adaptive_max_pool2d(x, 2, return_indices=True)
    assert ember.equal(y, y2) and ember.equal(i, i2)
    c = ember.arange(4.0).reshape(1, 4, 1, 1)
    assert F.native_channel_shuffle(c, 2).flatten().tolist() == [0.0, 2.0, 1.0, 3.0]


def _asm():
    m = nn.AdaptiveLogSoftmaxWithLoss(8, 12, cutoffs=[3, 7], div_value=2.0, head_bias=True)
    m = m.double()
    assert list(m.state_dict()) == list(DATA["asm/keys"])
    prefix = "asm/state/"
    m.load_state_dict(
        {k[len(prefix) :]: ember.tensor(DATA[k]) for k in DATA.files if k.startswith(prefix)}
    )
    return m


def test_adaptive_log_softmax_matches_pytorch():
    m = _asm()
    x = ember.tensor(DATA["asm/x"], requires_grad=True)
    t = ember.tensor(DATA["asm/t"])
    out, loss = m(x, t)
    np.testing.assert_allclose(out.detach().numpy(), DATA["asm/out"], rtol=1e-12)
    np.testing.assert_allclose(loss.item(), DATA["asm/loss"], rtol=1e-12)
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), DATA["asm/gx"], rtol=1e-10)
    np.testing.assert_allclose(m.head.weight.grad.numpy(), DATA["asm/ghead"], rtol=1e-10)
    np.testing.assert_allclose(m.tail[1][0].weight.grad.numpy(), DATA["asm/gtail"], rtol=1e-10)
    np.testing.assert_allclose(m.log_prob(x).detach().numpy(), DATA["asm/log_prob"], rtol=1e-12)
    np.testing.assert_array_equal(m.predict(x).numpy(), DATA["asm/predict"])
    np.testing.assert_allclose(m(x[1], t[1]).output.detach().numpy(), DATA["asm/out1"])
    assert ember.autograd.gradcheck(lambda v: m(v, t).loss, (x.detach().requires_grad_(True),))


def test_adaptive_log_softmax_errors():
    with pytest.raises(ValueError, match="cutoffs"):
        nn.AdaptiveLogSoftmaxWithLoss(8, 10, cutoffs=[5, 3])
    m = nn.AdaptiveLogSoftmaxWithLoss(8, 10, cutoffs=[3])
    with pytest.raises(RuntimeError, match="Target values should be in"):
        m(ember.randn(2, 8), ember.tensor([0, 10]))
    with pytest.raises(RuntimeError, match="same size in the batch"):
        m(ember.randn(3, 8), ember.tensor([0, 1]))


@pytest.mark.parametrize(
    "tag, out, kw",
    [
        ("lce_plain", (), {"label_smoothing": 0.1, "ignore_index": -100}),
        ("lce_kdim", (2,), {"reduction": "sum"}),
    ],
)
def test_linear_cross_entropy_matches_pytorch(tag, out, kw):
    prefix = f"{tag}/state/"
    state = {k[len(prefix) :]: ember.tensor(DATA[k]) for k in DATA.files if k.startswith(prefix)}
    m = nn.LinearCrossEntropyLoss(4, 3, out_features=out, bias="linear.bias" in state, **kw)
    m = m.double()
    m.load_state_dict(state)
    x = ember.tensor(DATA[f"{tag}/x"], requires_grad=True)
    loss = m(x, ember.tensor(DATA[f"{tag}/t"]))
    np.testing.assert_allclose(loss.item(), DATA[f"{tag}/loss"], rtol=1e-12)
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), DATA[f"{tag}/gx"], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(m.linear.weight.grad.numpy(), DATA[f"{tag}/gw"], rtol=1e-10)
    w = m.linear.weight.detach().requires_grad_(True)
    t = ember.tensor(DATA[f"{tag}/t"])
    fn = lambda v, w: F.linear_cross_entropy(  # noqa: E731
        v, w.reshape((3, *out, 4)), t, reduction="sum"
    )
    assert ember.autograd.gradcheck(fn, (x.detach().requires_grad_(True), w))
