"""Learning-rate schedules against PyTorch (stored fixtures), state_dict round trips, warnings."""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest

import ember
from ember import optim
from ember.optim import lr_scheduler as S

from ._reference import reference
from .fixtures import cases


def _momentum(group):
    return group["betas"][0] if "betas" in group else group["momentum"]


def _setup(name: str):
    kind, build, n, stepper = cases.SCHEDULERS[name]
    params = [ember.zeros(2, requires_grad=True), ember.zeros(3, requires_grad=True)]
    opt = cases.scheduler_optimizer(optim, kind, params)
    return opt, build(optim, opt), n, stepper


def _advance(opt, sched, stepper, i):
    opt.step()
    if stepper is None:
        sched.step()
    else:
        stepper(sched, i)


def _record(opt, sched, rec):
    rec["lr"].append([g["lr"] for g in opt.param_groups])
    rec["last_lr"].append(list(sched.get_last_lr()))
    rec["momentum"].append([_momentum(g) for g in opt.param_groups])


@pytest.mark.parametrize("name", list(cases.SCHEDULERS))
def test_schedule_matches_pytorch(name: str) -> None:
    opt, sched, n, stepper = _setup(name)
    rec: dict[str, list] = {"lr": [], "last_lr": [], "momentum": []}
    _record(opt, sched, rec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the deprecated step(epoch) form
        for i in range(n):
            _advance(opt, sched, stepper, i)
            _record(opt, sched, rec)
    ref = reference()
    for key, values in rec.items():
        np.testing.assert_allclose(
            np.array(values, dtype=np.float64),
            ref[f"sched/{name}/{key}"],
            rtol=1e-13,
            atol=1e-15,
            err_msg=key,
        )


@pytest.mark.parametrize("name", [n for n in cases.SCHEDULERS if "epochs" not in n])
def test_scheduler_state_dict_round_trip(name: str) -> None:
    opt, sched, n, stepper = _setup(name)
    half = n // 2
    for i in range(half):
        _advance(opt, sched, stepper, i)
    saved_opt = copy.deepcopy(opt.state_dict())
    saved_sched = copy.deepcopy(sched.state_dict())
    rest = []
    for i in range(half, n):
        _advance(opt, sched, stepper, i)
        rest.append([g["lr"] for g in opt.param_groups])

    opt2, sched2, _, _ = _setup(name)
    opt2.load_state_dict(saved_opt)
    sched2.load_state_dict(saved_sched)
    resumed = []
    for i in range(half, n):
        _advance(opt2, sched2, stepper, i)
        resumed.append([g["lr"] for g in opt2.param_groups])
    assert resumed == rest


def _sgd(lr=0.1, **kw):
    return optim.SGD([ember.zeros(2, requires_grad=True)], lr=lr, **kw)


def test_step_with_epoch_uses_closed_form_and_warns() -> None:
    opt = _sgd()
    sched = S.StepLR(opt, step_size=2, gamma=0.5)
    opt.step()
    with pytest.warns(UserWarning, match="epoch parameter"):
        sched.step(5)
    assert sched.get_last_lr() == [pytest.approx(0.1 * 0.5**2)]


def test_cosine_closed_form_matches_recursive_form() -> None:
    opt = _sgd(lr=1.0)
    sched = S.CosineAnnealingLR(opt, T_max=10, eta_min=0.1)
    for _ in range(7):
        opt.step()
        sched.step()
    recursive = sched.get_last_lr()[0]
    assert recursive == pytest.approx(sched._get_closed_form_lr()[0], rel=1e-12)


def test_get_lr_outside_step_warns() -> None:
    sched = S.ExponentialLR(_sgd(), gamma=0.5)
    with pytest.warns(UserWarning, match="get_last_lr"):
        sched.get_lr()


def test_scheduler_step_before_optimizer_step_warns() -> None:
    sched = S.ExponentialLR(_sgd(), gamma=0.5)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        sched.step()


def test_verbose_is_deprecated() -> None:
    with pytest.warns(UserWarning, match="verbose parameter is deprecated"):
        S.StepLR(_sgd(), step_size=1, verbose=True)


def test_resuming_needs_initial_lr() -> None:
    with pytest.raises(KeyError, match="initial_lr"):
        S.StepLR(_sgd(), step_size=1, last_epoch=3)


def test_lambda_lr_state_dict_keeps_callable_object_state() -> None:
    class Decay:
        def __init__(self):
            self.rate = 0.5

        def __call__(self, epoch):
            return self.rate**epoch

    fn = Decay()
    sched = S.LambdaLR(_sgd(), fn)
    fn.rate = 0.25
    sd = sched.state_dict()
    assert sd["lr_lambdas"] == [{"rate": 0.25}]
    fn2 = Decay()
    sched2 = S.LambdaLR(_sgd(), fn2)
    sched2.load_state_dict(sd)
    assert fn2.rate == 0.25


def test_plateau_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="Factor"):
        S.ReduceLROnPlateau(_sgd(), factor=1.0)
    with pytest.raises(ValueError, match="unknown"):
        S.ReduceLROnPlateau(_sgd(), mode="median")
    with pytest.raises(ValueError, match="min_lrs"):
        S.ReduceLROnPlateau(_sgd(), min_lr=[0.1, 0.2])


def test_onecycle_needs_steps_and_stops_after_total() -> None:
    with pytest.raises(ValueError, match="total_steps"):
        S.OneCycleLR(_sgd(momentum=0.9), max_lr=1.0)
    opt = _sgd(momentum=0.9)
    sched = S.OneCycleLR(opt, max_lr=1.0, total_steps=3)
    for _ in range(3):
        opt.step()
        sched.step()
    opt.step()
    with pytest.raises(ValueError, match="Tried to step 4 times"):
        sched.step()


def test_cycle_momentum_needs_momentum_option() -> None:
    opt = optim.Adagrad([ember.zeros(2, requires_grad=True)])
    with pytest.raises(ValueError, match="momentum"):
        S.OneCycleLR(opt, max_lr=1.0, total_steps=10)


def test_sequential_rejects_plateau_and_wrong_milestones() -> None:
    opt = _sgd()
    a = S.ExponentialLR(opt, gamma=0.9)
    with pytest.raises(ValueError, match="ReduceLROnPlateau"):
        S.SequentialLR(opt, [a, S.ReduceLROnPlateau(opt)], milestones=[2])
    with pytest.raises(ValueError, match="milestone"):
        S.SequentialLR(opt, [a, S.StepLR(opt, 2)], milestones=[2, 4])


def test_scheduler_drives_a_training_loop() -> None:
    w = ember.tensor([3.0, -2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.4, momentum=0.5)
    sched = S.StepLR(opt, step_size=5, gamma=0.5)
    for _ in range(20):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
        sched.step()
    assert sched.get_last_lr() == [pytest.approx(0.4 * 0.5**4)]
    assert float((w * w).sum()) < 1e-3
