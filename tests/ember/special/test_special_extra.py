"""torch.special's Y/K/Airy Bessel functions and entr's gradient.

Bessel functions against their Wronskians with ember's J/I kernels, the Airy equation and
SciPy's values; entr's gradient against -(log x + 1). (PyTorch's values on its own sample
inputs: tests/ember/torch_samples.)
"""

from __future__ import annotations

import math

import numpy as np

import ember
import ember.special as S
from ember.autograd import gradcheck


def test_bessel_second_kind_wronskian_and_edges():
    x = ember.tensor(np.concatenate([np.linspace(0.05, 24.0, 60), [26.0, 40.0, 300.0]]))
    j0, j1 = S.bessel_j0(x).numpy(), S.bessel_j1(x).numpy()
    y0, y1 = S.bessel_y0(x).numpy(), S.bessel_y1(x).numpy()
    np.testing.assert_allclose(j1 * y0 - j0 * y1, 2 / (math.pi * x.numpy()), rtol=1e-8)
    np.testing.assert_allclose(y0[[19]], S.bessel_y0(x[19:20]).numpy())
    edge = S.bessel_y0(ember.tensor([0.0, -1.0])).numpy()
    assert edge[0] == -np.inf and np.isnan(edge[1])
    np.testing.assert_allclose(S.bessel_y0(ember.tensor([1.0])).numpy(), [0.08825696421567696])


def test_modified_bessel_second_kind_wronskian_and_scaling():
    xs = np.concatenate([np.logspace(-6, 2.5, 50)])
    x = ember.tensor(xs)
    i0, i1 = S.i0(x).numpy(), S.i1(x).numpy()
    k0, k1 = S.modified_bessel_k0(x).numpy(), S.modified_bessel_k1(x).numpy()
    small = xs < 100
    np.testing.assert_allclose((i0 * k1 + i1 * k0)[small], 1 / xs[small], rtol=1e-9)
    np.testing.assert_allclose(
        S.scaled_modified_bessel_k0(x).numpy()[small], (k0 * np.exp(xs))[small]
    )
    np.testing.assert_allclose(
        S.scaled_modified_bessel_k1(x).numpy()[small], (k1 * np.exp(xs))[small]
    )
    big = S.scaled_modified_bessel_k0(ember.tensor([1e4], dtype=ember.float64)).numpy()
    np.testing.assert_allclose(big, 0.012532984717699288, rtol=1e-12)  # SciPy k0e(1e4)
    assert S.modified_bessel_k1(ember.tensor([0.0])).numpy()[0] == np.inf


def test_airy_ai_solves_airy_equation():
    xs = np.linspace(-9.0, 6.0, 61)
    h = 1e-3
    ai = [S.airy_ai(ember.tensor(xs + d)).numpy() for d in (-h, 0.0, h)]
    second = (ai[0] - 2 * ai[1] + ai[2]) / h**2
    np.testing.assert_allclose(second, xs * ai[1], atol=2e-5)
    np.testing.assert_allclose(S.airy_ai(ember.tensor([0.0])).numpy(), [0.3550280538878172])
    far = S.airy_ai(ember.tensor([-30.0], dtype=ember.float64)).numpy()
    np.testing.assert_allclose(far, [-0.08796818845684005], rtol=1e-10)  # SciPy airy(-30)[0]


def test_entr_gradient_is_torchs():
    x = ember.tensor([0.0, 2.0, -1.0], requires_grad=True)
    (g,) = ember.autograd.grad(S.entr(x).sum(), x)
    assert g.numpy()[0] == np.inf and np.isnan(g.numpy()[2])
    np.testing.assert_allclose(g.numpy()[1], -(math.log(2.0) + 1))
    assert gradcheck(S.entr, (ember.tensor([0.5, 1.5], dtype=ember.float64, requires_grad=True),))
