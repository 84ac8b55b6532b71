"""ember.linalg against PyTorch 2.13: values and gradients of the cases in
``fixtures/linalg_cases.py``, stored by ``fixtures/make_linalg_fixtures.py`` in ``linalg.npz``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ember
from tests.ember.fixtures.linalg_cases import FORWARD, GRADS, inputs

FIXTURE = np.load(Path(__file__).parent / "fixtures" / "linalg.npz")
ARRAYS = inputs()


def _tensors(names: list[str], device: str, grad: bool = False) -> list[ember.Tensor]:
    return [ember.tensor(ARRAYS[n], device=device, requires_grad=grad) for n in names]


def _host(t: ember.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy()


@pytest.mark.parametrize("name", sorted(FORWARD))
def test_forward_matches_torch(name: str, device) -> None:
    fn, names = FORWARD[name]
    out = fn(ember, *_tensors(names, device))
    out = out if isinstance(out, tuple) else (out,)
    n_expected = len([k for k in FIXTURE.files if k.startswith(f"fwd/{name}/")])
    assert len(out) == n_expected
    for i, got in enumerate(out):
        want = FIXTURE[f"fwd/{name}/{i}"]
        assert isinstance(got, ember.Tensor)
        assert got.dtype.np == want.dtype, f"{name}[{i}]: {got.dtype} vs {want.dtype}"
        assert tuple(got.shape) == want.shape, f"{name}[{i}]"
        np.testing.assert_allclose(_host(got), want, rtol=1e-7, atol=1e-9, err_msg=f"{name}[{i}]")


@pytest.mark.parametrize("name", sorted(GRADS))
def test_gradients_match_torch(name: str, device) -> None:
    fn, names = GRADS[name]
    ts = _tensors(names, device, grad=True)
    loss = fn(ember, *ts)
    np.testing.assert_allclose(_host(loss), FIXTURE[f"grad/{name}/loss"], rtol=1e-8)
    grads = ember.autograd.grad(loss, ts, allow_unused=True)
    for i, g in enumerate(grads):
        got = np.zeros(ts[i].shape) if g is None else _host(g)
        np.testing.assert_allclose(
            got, FIXTURE[f"grad/{name}/{i}"], rtol=1e-6, atol=1e-9, err_msg=f"{name} input {i}"
        )
