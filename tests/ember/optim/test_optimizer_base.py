"""The Optimizer base class: parameter groups, zero_grad, closures, hooks, state dicts."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import ember
from ember import nn, optim


def _p(*shape, value=1.0):
    return ember.full(shape, value, requires_grad=True)


def test_param_groups_get_defaults_filled_in() -> None:
    a, b = _p(2), _p(3)
    opt = optim.SGD([{"params": [a], "lr": 0.5}, {"params": b}], lr=0.1, momentum=0.9)
    g0, g1 = opt.param_groups
    assert g0["lr"] == 0.5 and g1["lr"] == 0.1
    assert g0["momentum"] == g1["momentum"] == 0.9
    assert g1["params"] == [b] or g1["params"][0] is b
    assert set(g0) == {
        "params",
        "lr",
        "momentum",
        "dampening",
        "weight_decay",
        "nesterov",
        "maximize",
        "foreach",
        "differentiable",
        "fused",
    }


def test_named_parameters_are_accepted_and_saved() -> None:
    layer = nn.Linear(3, 2)
    opt = optim.Adam(layer.named_parameters(), lr=0.1)
    group = opt.param_groups[0]
    assert group["param_names"] == ["weight", "bias"]
    assert group["params"][0] is layer.weight
    sd = opt.state_dict()
    assert sd["param_groups"][0]["param_names"] == ["weight", "bias"]
    assert sd["param_groups"][0]["params"] == [0, 1]


def test_parameters_from_modules_train() -> None:
    ember.manual_seed(0)
    layer = nn.Linear(3, 1)
    x = ember.randn(16, 3)
    y = x.sum(1, keepdim=True)
    opt = optim.Adam(layer.parameters(), lr=0.05)
    first = None
    for _ in range(100):
        opt.zero_grad()
        diff = layer(x) - y
        loss = (diff * diff).mean()
        first = float(loss) if first is None else first
        loss.backward()
        opt.step()
    assert float(loss) < 0.05 * first


def test_add_param_group_rejects_duplicates_across_groups() -> None:
    a = _p(2)
    opt = optim.SGD([a], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [a]})
    b = _p(2)
    opt.add_param_group({"params": [b], "lr": 0.01})
    assert opt.param_groups[1]["lr"] == 0.01


def test_constructor_errors_match_pytorch() -> None:
    a = _p(2)
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="iterable of Tensors"):
        optim.SGD(a, lr=0.1)
    with pytest.raises(TypeError, match="ordered collections"):
        optim.SGD([{"params": {a}}], lr=0.1)
    with pytest.raises(TypeError, match="can only optimize Tensors"):
        optim.SGD([np.zeros(2)], lr=0.1)
    with pytest.raises(ValueError, match="non-leaf"):
        optim.SGD([a * 2], lr=0.1)
    with pytest.raises(ValueError, match="Invalid learning rate"):
        optim.Adam([a], lr=-1.0)
    with pytest.raises(ValueError, match="beta parameter at index 1"):
        optim.Adam([a], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD([a], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="with/without names"):
        optim.SGD([("w", a), _p(2)], lr=0.1)


def test_duplicate_parameters_in_a_group_warn() -> None:
    a = _p(2)
    with pytest.warns(UserWarning, match="duplicate parameters"):
        optim.SGD([a, a], lr=0.1)


def test_zero_grad_sets_to_none_or_zero() -> None:
    a = _p(2)
    opt = optim.SGD([a], lr=0.1)
    a.grad = ember.ones(2)
    opt.zero_grad(set_to_none=False)
    assert a.grad is not None and a.grad.tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert a.grad is None


def test_step_skips_parameters_without_grad_and_returns_closure_loss() -> None:
    a, b = _p(2), _p(2)
    opt = optim.Adam([a, b], lr=0.1)
    version = b._version

    def closure():
        opt.zero_grad()
        loss = (a * a).sum()
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert float(loss) == 2.0
    assert b.tolist() == [1.0, 1.0] and b not in opt.state and b._version == version
    assert a.tolist() == pytest.approx([0.9, 0.9])
    assert a in opt.state and set(opt.state[a]) == {"step", "exp_avg", "exp_avg_sq"}


def test_step_bumps_version_counter() -> None:
    a = _p(2)
    opt = optim.SGD([a], lr=0.1)
    a.grad = ember.ones(2)
    v = a._version
    opt.step()
    assert a._version == v + 1


def test_step_hooks_run_and_can_be_removed() -> None:
    a = _p(2)
    opt = optim.SGD([a], lr=0.1)
    calls = []
    pre = opt.register_step_pre_hook(lambda o, args, kw: calls.append(("pre", o)))
    opt.register_step_post_hook(lambda o, args, kw: calls.append(("post", o)))
    opt.step()
    assert calls == [("pre", opt), ("post", opt)]
    pre.remove()
    opt.step()
    assert [c[0] for c in calls] == ["pre", "post", "post"]


def test_load_state_dict_mismatched_groups_raise() -> None:
    a, b = _p(2), _p(2)
    sd = optim.SGD([a, b], lr=0.1).state_dict()
    with pytest.raises(ValueError, match="different number of parameter groups"):
        optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1).load_state_dict(sd)
    with pytest.raises(ValueError, match="doesn't match the size"):
        optim.SGD([a], lr=0.1).load_state_dict(sd)


def test_load_state_dict_casts_state_to_parameter_dtype() -> None:
    a = ember.ones(3, dtype=ember.float64, requires_grad=True)
    opt = optim.Adam([a], lr=0.1)
    a.grad = ember.ones(3, dtype=ember.float64)
    opt.step()
    sd = copy.deepcopy(opt.state_dict())
    b = _p(3)
    opt2 = optim.Adam([b], lr=0.5)
    opt2.load_state_dict(sd)
    assert opt2.param_groups[0]["lr"] == 0.1
    assert opt2.param_groups[0]["params"][0] is b
    st = opt2.state[b]
    assert st["exp_avg"].dtype == ember.float32
    assert st["step"].dtype == ember.float32 and float(st["step"]) == 1.0


def test_adamw_load_keeps_decoupled_weight_decay() -> None:
    a = _p(2)
    sd = optim.Adam([a], lr=0.1).state_dict()
    opt = optim.AdamW([_p(2)])
    opt.load_state_dict(sd)
    assert opt.param_groups[0]["decoupled_weight_decay"] is True


def test_float32_stays_float32_and_state_is_shared_with_state_dict() -> None:
    a = _p(4)
    opt = optim.Adam([a], lr=0.1, amsgrad=True)
    a.grad = ember.ones(4)
    opt.step()
    assert a.dtype == ember.float32
    assert all(v.dtype == ember.float32 for v in opt.state[a].values())
    sd = opt.state_dict()
    assert sd["state"][0]["exp_avg"] is opt.state[a]["exp_avg"]


def test_complex_parameters_follow_view_as_real() -> None:
    from ember._tensor import _wrap  # complex tensors from NumPy data, whatever the creation API

    z = _wrap(np.array([1 + 2j, -0.5 + 0.25j], dtype=np.complex64)).requires_grad_()
    pair = ember.tensor(np.array([[1.0, 2.0], [-0.5, 0.25]], dtype=np.float32), requires_grad=True)
    oz, op = optim.Adam([z], lr=0.1), optim.Adam([pair], lr=0.1)
    for _ in range(3):
        z.grad = _wrap(z.numpy(force=True) * 2)
        pair.grad = ember.tensor(pair.numpy(force=True) * 2)
        oz.step()
        op.step()
    got = z.numpy(force=True)
    np.testing.assert_allclose(
        np.stack([got.real, got.imag], -1), pair.numpy(force=True), rtol=1e-6
    )


def test_hooks_run_once_when_a_subclass_calls_super_step() -> None:
    class Halved(optim.SGD):
        def step(self, closure=None):
            for g in self.param_groups:
                g["lr"] = g["lr"] / 2
            return super().step(closure)

    a = _p(2)
    opt = Halved([a], lr=0.2)
    calls = []
    opt.register_step_post_hook(lambda o, args, kw: calls.append(1))
    a.grad = ember.ones(2)
    opt.step()
    assert calls == [1]
    assert a.tolist() == pytest.approx([0.9, 0.9])


def test_complex_state_is_not_cast_on_load():
    """PyTorch casts loaded state only for real floating parameters (NAdam's mu_product stays real)."""
    import ember

    p = ember.complex(ember.ones(3, dtype=ember.float64), ember.ones(3, dtype=ember.float64))
    p.requires_grad_()
    opt = ember.optim.NAdam([p], lr=0.1)
    p.grad = ember.ones_like(p)
    opt.step()
    sd = opt.state_dict()
    opt2 = ember.optim.NAdam([p], lr=0.1)
    opt2.load_state_dict(sd)
    assert not opt2.state[p]["mu_product"].is_complex()
    opt2.step()
