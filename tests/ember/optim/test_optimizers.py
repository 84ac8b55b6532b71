"""Optimizer trajectories against PyTorch (stored fixtures), and state_dict round trips."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

import ember
from ember import optim

from ._reference import reference
from .fixtures import cases

DTYPES = {"float64": ember.float64, "float32": ember.float32}
TOL = {"float64": dict(rtol=1e-10, atol=1e-12), "float32": dict(rtol=2e-5, atol=2e-6)}


def make_params(dtype: str, device: str = "cpu") -> list[ember.Tensor]:
    init = [reference()[f"init/{i}"] for i in range(len(cases.SHAPES))]
    return [ember.tensor(v, dtype=DTYPES[dtype], device=device, requires_grad=True) for v in init]


def set_grads(params: list[ember.Tensor]) -> None:
    for p, (c, a) in zip(params, cases.coefficients()):
        g = cases.objective_grad(p.numpy(force=True), c, a).astype(p.numpy(force=True).dtype)
        p.grad = ember.tensor(g, device=p.device)


def run(opt: optim.Optimizer, params: list[ember.Tensor], steps: int) -> list[list[np.ndarray]]:
    traj: list[list[np.ndarray]] = [[] for _ in params]
    for _ in range(steps):
        set_grads(params)
        opt.step()
        for t, p in zip(traj, params):
            t.append(p.numpy(force=True).copy())
    return traj


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", list(cases.OPTIMIZERS))
def test_trajectory_matches_pytorch(name: str, dtype: str, device: str) -> None:
    params = make_params(dtype, device)
    opt = cases.OPTIMIZERS[name](optim, params)
    traj = run(opt, params, cases.STEPS)
    ref = reference()
    for i, t in enumerate(traj):
        assert t[-1].dtype == np.dtype(dtype)
        np.testing.assert_allclose(
            np.stack(t), ref[f"opt/{name}/{dtype}/{i}"], **TOL[dtype], err_msg=f"param {i}"
        )


@pytest.mark.parametrize("name", list(cases.OPTIMIZERS))
def test_state_matches_pytorch(name: str) -> None:
    params = make_params("float64")
    opt = cases.OPTIMIZERS[name](optim, params)
    run(opt, params, cases.STEPS)
    ref = reference()
    sd = opt.state_dict()
    layout = json.loads(str(ref[f"opt/{name}/layout"]))
    assert {str(k): sorted(v) for k, v in sd["state"].items()} == layout["state"]
    assert [sorted(g) for g in sd["param_groups"]] == layout["groups"]
    assert [g["params"] for g in sd["param_groups"]] == layout["params"]
    for idx, st in sd["state"].items():
        for key, val in st.items():
            np.testing.assert_allclose(
                val.numpy(force=True),
                ref[f"opt/{name}/state/{idx}/{key}"],
                rtol=1e-9,
                atol=1e-12,
                err_msg=key,
            )


@pytest.mark.parametrize("name", ["adam", "sgd_momentum", "adamw"])
def test_repr_matches_pytorch(name: str) -> None:
    params = make_params("float64")
    opt = cases.OPTIMIZERS[name](optim, params)
    assert repr(opt) == str(reference()[f"opt/{name}/repr"])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(cases.OPTIMIZERS))
def test_state_dict_round_trip_continues_identically(name: str, dtype: str) -> None:
    # Loading casts floating state to the parameter dtype, as PyTorch does; NAdam's float32
    # mu_product then continues in float64, so float64 runs agree to rounding only.
    build = cases.OPTIMIZERS[name]
    params = make_params(dtype)
    opt = build(optim, params)
    run(opt, params, 4)
    saved_state = copy.deepcopy(opt.state_dict())
    saved_params = [p.numpy(force=True).copy() for p in params]
    full = run(opt, params, 6)

    fresh = [ember.tensor(v, requires_grad=True) for v in saved_params]
    opt2 = build(optim, fresh)
    opt2.load_state_dict(saved_state)
    resumed = run(opt2, fresh, 6)
    for a, b in zip(full, resumed):
        if dtype == "float32":
            np.testing.assert_array_equal(np.stack(a), np.stack(b))
        else:
            np.testing.assert_allclose(np.stack(a), np.stack(b), rtol=1e-8, atol=1e-12)
