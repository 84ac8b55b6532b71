"""``nn.utils.parametrizations.orthogonal`` against PyTorch 2.13 (``fixtures/orthogonal.npz``).

The random completion of a non-square ``base`` (trivialization) is taken from PyTorch's fixture
before comparing values and gradients; the weight at registration and after assignment do not
depend on it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ember
from ember import nn
from tests.ember.fixtures.orthogonal_cases import CASES, arrays

REF = np.load(Path(__file__).resolve().parents[1] / "fixtures" / "orthogonal.npz")
TOL = {"rtol": 1e-9, "atol": 1e-10}


class Holder(nn.Module):
    def __init__(self, w: np.ndarray) -> None:
        super().__init__()
        self.weight = nn.Parameter(ember.tensor(w))


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_pytorch(name):
    _, omap, triv = CASES[name]
    a = arrays(name)
    m = nn.utils.parametrizations.orthogonal(
        Holder(a["w0"]), orthogonal_map=omap, use_trivialization=triv
    )
    np.testing.assert_allclose(m.weight.detach().numpy(), REF[f"{name}/init"], **TOL)
    plist = m.parametrizations.weight
    with ember.no_grad():
        if triv:
            plist[0].base.copy_(ember.tensor(REF[f"{name}/base"]))
        plist.original.copy_(ember.tensor(a["x"]))
    w = m.weight
    (w * ember.tensor(a["g"])).sum().backward()
    np.testing.assert_allclose(w.detach().numpy(), REF[f"{name}/weight"], **TOL)
    np.testing.assert_allclose(plist.original.grad.numpy(), REF[f"{name}/grad"], **TOL)
    if f"{name}/assigned" in REF:
        with ember.no_grad():
            m.weight = ember.tensor(a["q"])
        np.testing.assert_allclose(m.weight.detach().numpy(), REF[f"{name}/assigned"], **TOL)


def test_state_dict_and_float32_default():
    m = nn.utils.parametrizations.orthogonal(nn.Linear(4, 3))
    assert list(m.state_dict()) == [
        "bias",
        "parametrizations.weight.original",
        "parametrizations.weight.0.base",
    ]
    assert m.weight.dtype == ember.float32
    assert ember.allclose(m.weight @ m.weight.T, ember.eye(3), atol=1e-5)


def test_gradcheck_each_map():
    for omap in ("matrix_exp", "cayley", "householder"):
        m = nn.utils.parametrizations.orthogonal(
            Holder(arrays("cayley_square")["w0"]), orthogonal_map=omap, use_trivialization=False
        )
        orth = m.parametrizations.weight[0]
        x = ember.tensor(0.3 * arrays("cayley_square")["x"], requires_grad=True)
        assert ember.autograd.gradcheck(orth, (x,)), omap


def test_errors_as_pytorch():
    with pytest.raises(ValueError, match="Expected a matrix or batch of matrices"):
        nn.utils.parametrizations.orthogonal(nn.Linear(3, 3), "bias")
    with pytest.raises(ValueError, match='orthogonal_map has to be one of "matrix_exp"'):
        nn.utils.parametrizations.orthogonal(nn.Linear(3, 3), orthogonal_map="qr")
    m = nn.utils.parametrizations.orthogonal(
        nn.Linear(3, 3), orthogonal_map="cayley", use_trivialization=False
    )
    with pytest.raises(NotImplementedError, match="not possible to assign"):
        m.weight = ember.eye(3)
