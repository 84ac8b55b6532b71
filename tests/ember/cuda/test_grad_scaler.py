"""ember.amp.GradScaler: dynamic loss scaling, checked against the rules PyTorch documents."""

from __future__ import annotations

import math

import numpy as np
import pytest

import ember
from ember.amp import GradScaler


def _setup(scale: float = 8.0, **kw):
    ember.manual_seed(0)
    model = ember.nn.Linear(3, 1)
    opt = ember.optim.SGD(model.parameters(), lr=0.5)
    return model, opt, GradScaler("cpu", init_scale=scale, **kw)


def test_scaled_backward_then_step_equals_plain_step() -> None:
    model, opt, scaler = _setup()
    ref = ember.nn.Linear(3, 1)
    ref.load_state_dict(model.state_dict())
    ref_opt = ember.optim.SGD(ref.parameters(), lr=0.5)
    x = ember.randn(4, 3)
    scaler.scale(model(x).pow(2).mean()).backward()
    np.testing.assert_allclose(model.weight.grad.numpy(), 8.0 * _grad(ref, x).numpy(), rtol=1e-6)
    scaler.step(opt)
    scaler.update()
    ref_opt.zero_grad()
    ref(x).pow(2).mean().backward()
    ref_opt.step()
    np.testing.assert_allclose(
        model.weight.detach().numpy(), ref.weight.detach().numpy(), rtol=1e-6
    )


def _grad(model, x):
    model.zero_grad()
    model(x).pow(2).mean().backward()
    return model.weight.grad.clone()


def test_inf_gradient_skips_the_step_and_backs_off() -> None:
    model, opt, scaler = _setup(growth_interval=2)
    before = model.weight.detach().clone()
    scaler.scale(model(ember.randn(2, 3)).sum()).backward()
    model.weight.grad[0, 0] = math.inf
    assert scaler.step(opt) is None
    scaler.update()
    assert ember.equal(model.weight.detach(), before)
    assert scaler.get_scale() == 4.0


def test_growth_after_interval_of_good_steps() -> None:
    model, opt, scaler = _setup(growth_interval=3)
    scales = []
    for _ in range(7):
        opt.zero_grad()
        scaler.scale(model(ember.randn(2, 3)).sum()).backward()
        scaler.step(opt)
        scaler.update()
        scales.append(scaler.get_scale())
    assert scales == [8.0, 8.0, 16.0, 16.0, 16.0, 32.0, 32.0]


def test_unscale_before_clipping_and_twice_raises() -> None:
    model, opt, scaler = _setup()
    scaler.scale(model(ember.randn(2, 3)).sum()).backward()
    scaled = model.weight.grad.clone()
    scaler.unscale_(opt)
    np.testing.assert_allclose(model.weight.grad.numpy(), scaled.numpy() / 8.0, rtol=1e-6)
    with pytest.raises(RuntimeError, match="already been called"):
        scaler.unscale_(opt)
    scaler.step(opt)  # does not unscale again
    with pytest.raises(RuntimeError, match="step\\(\\) has already been called"):
        scaler.step(opt)
    scaler.update()


def test_state_dict_round_trip_and_disabled() -> None:
    _, _, scaler = _setup(growth_interval=5)
    state = scaler.state_dict()
    assert set(state) == {
        "scale",
        "growth_factor",
        "backoff_factor",
        "growth_interval",
        "_growth_tracker",
    }
    other = GradScaler("cpu")
    other.load_state_dict(state)
    assert other.get_scale() == 8.0 and other.get_growth_interval() == 5
    off = GradScaler("cpu", enabled=False)
    t = ember.ones(2)
    assert off.scale(t) is t and off.get_scale() == 1.0 and off.state_dict() == {}


def test_cuda_scaler_without_a_gpu_disables_itself() -> None:
    if ember.cuda.is_available():
        pytest.skip("a GPU is present")
    with pytest.warns(UserWarning, match="CUDA is not available"):
        scaler = GradScaler("cuda")
    assert not scaler.is_enabled()
    with pytest.warns(FutureWarning, match="deprecated"), pytest.warns(UserWarning):
        ember.cuda.amp.GradScaler()


def test_update_without_step_and_bad_factors() -> None:
    _, _, scaler = _setup()
    with pytest.raises(AssertionError, match="No inf checks"):
        scaler.update()
    with pytest.raises(ValueError, match="growth factor"):
        GradScaler("cpu", growth_factor=0.5)
