"""LBFGS iterates on the Rosenbrock function against PyTorch (stored fixtures)."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember import optim

from ._reference import reference
from .fixtures import cases


def _rosenbrock_run(kwargs: dict, n_calls: int):
    x = [ember.tensor(v, dtype=ember.float64, requires_grad=True) for v in cases.ROSEN_START]
    sizes = np.cumsum([v.size for v in cases.ROSEN_START])[:-1]
    opt = optim.LBFGS(x, **kwargs)
    evals = []

    def closure():
        flat = np.concatenate([p.numpy(force=True) for p in x])
        evals.append(flat.copy())
        f, g = cases.rosenbrock(flat)
        for p, part in zip(x, np.split(g, sizes)):
            p.grad = ember.tensor(part.copy())
        return ember.tensor(f, dtype=ember.float64)

    after, losses, counts = [], [], []
    for _ in range(n_calls):
        losses.append(float(opt.step(closure)))
        after.append(np.concatenate([p.numpy(force=True) for p in x]))
        st = opt.state[x[0]]
        counts.append([st["func_evals"], st["n_iter"]])
    return opt, x, np.stack(evals), np.stack(after), np.array(losses), np.array(counts)


@pytest.mark.parametrize("name", list(cases.LBFGS_CASES))
def test_lbfgs_iterates_match_pytorch(name: str) -> None:
    kwargs, n_calls = cases.LBFGS_CASES[name]
    _, _, evals, after, losses, counts = _rosenbrock_run(kwargs, n_calls)
    ref = reference()
    np.testing.assert_array_equal(counts, ref[f"lbfgs/{name}/counts"])
    assert evals.shape == ref[f"lbfgs/{name}/evals"].shape
    np.testing.assert_allclose(evals, ref[f"lbfgs/{name}/evals"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(after, ref[f"lbfgs/{name}/after"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(losses, ref[f"lbfgs/{name}/losses"], rtol=1e-9)


def test_lbfgs_converges_with_autograd_closure() -> None:
    x = ember.tensor([-1.5, 2.0], dtype=ember.float64, requires_grad=True)
    opt = optim.LBFGS([x], line_search_fn="strong_wolfe", max_iter=50)

    def closure():
        opt.zero_grad()
        a, b = x[0], x[1]
        loss = (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a)
        loss.backward()
        return loss

    for _ in range(3):
        opt.step(closure)
    np.testing.assert_allclose(x.numpy(force=True), [1.0, 1.0], atol=1e-4)


def test_lbfgs_state_dict_round_trip() -> None:
    kwargs = dict(line_search_fn="strong_wolfe", history_size=4, max_iter=8)
    opt, x, *_ = _rosenbrock_run(kwargs, 2)
    sd = opt.state_dict()
    assert set(sd["state"][0]) >= {
        "d",
        "t",
        "old_dirs",
        "old_stps",
        "ro",
        "H_diag",
        "prev_flat_grad",
        "prev_loss",
        "func_evals",
        "n_iter",
    }
    full = _rosenbrock_run(kwargs, 4)[3]
    # Resume from the saved state on fresh tensors holding the same values.
    import copy

    saved = copy.deepcopy(sd)
    y = [ember.tensor(p.numpy(force=True).copy(), requires_grad=True) for p in x]
    opt2 = optim.LBFGS(y, **kwargs)
    opt2.load_state_dict(saved)
    sizes = np.cumsum([v.size for v in cases.ROSEN_START])[:-1]

    def closure():
        flat = np.concatenate([p.numpy(force=True) for p in y])
        f, g = cases.rosenbrock(flat)
        for p, part in zip(y, np.split(g, sizes)):
            p.grad = ember.tensor(part.copy())
        return ember.tensor(f, dtype=ember.float64)

    for k in range(2):
        opt2.step(closure)
        np.testing.assert_array_equal(np.concatenate([p.numpy(force=True) for p in y]), full[2 + k])


def test_lbfgs_rejects_groups_and_unknown_line_search() -> None:
    a = ember.zeros(2, requires_grad=True)
    b = ember.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="parameter groups"):
        optim.LBFGS([{"params": [a]}, {"params": [b]}])
    opt = optim.LBFGS([a], line_search_fn="armijo")

    def closure():
        a.grad = ember.ones(2)
        return ember.tensor(1.0)

    with pytest.raises(RuntimeError, match="strong_wolfe"):
        opt.step(closure)
