"""ember.distributions beyond the stored PyTorch snippets (tests/ember/conformance): sampling
statistics, reparameterised gradients, and the validation switches."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.distributions as D

F64 = ember.float64


def _t(v):
    return ember.tensor(v, dtype=F64)


MOMENTS = {
    "Normal": lambda: D.Normal(_t([0.5, -1.0]), _t([1.5, 0.3])),
    "Uniform": lambda: D.Uniform(_t([0.0, -1.0]), _t([2.0, 3.0])),
    "Exponential": lambda: D.Exponential(_t([0.5, 2.0])),
    "Laplace": lambda: D.Laplace(_t([0.5, -1.0]), _t([1.5, 0.3])),
    "Gamma": lambda: D.Gamma(_t([0.7, 3.0]), _t([2.0, 0.5])),
    "Beta": lambda: D.Beta(_t([0.7, 3.0]), _t([2.0, 0.5])),
    "Dirichlet": lambda: D.Dirichlet(_t([0.7, 2.0, 1.5])),
    "LogNormal": lambda: D.LogNormal(_t([0.1, -1.0]), _t([0.4, 0.3])),
    "Poisson": lambda: D.Poisson(_t([0.5, 4.0])),
    "Bernoulli": lambda: D.Bernoulli(_t([0.2, 0.9])),
    "Binomial": lambda: D.Binomial(10, _t([0.2, 0.9])),
    "OneHotCategorical": lambda: D.OneHotCategorical(_t([0.2, 0.3, 0.5])),
    "Multinomial": lambda: D.Multinomial(5, _t([0.2, 0.3, 0.5])),
    "MultivariateNormal": lambda: D.MultivariateNormal(
        _t([0.5, -1.0]), _t([[2.0, 0.3], [0.3, 0.5]])
    ),
}


@pytest.mark.parametrize("name", sorted(MOMENTS))
def test_sample_moments_match_mean_and_variance(name):
    d = MOMENTS[name]()
    n = 20000
    x = d.sample((n,)).double().numpy()
    mean, var = d.mean.numpy(), d.variance.numpy()
    se = np.sqrt(var / n)
    assert np.all(np.abs(x.mean(0) - mean) < 5 * se + 1e-12), (x.mean(0), mean)
    assert np.allclose(x.var(0), var, rtol=0.1, atol=1e-3), (x.var(0), var)
    assert bool(d.support.check(ember.tensor(x[:50], dtype=F64)).all())


def test_normal_rsample_is_reparameterised():
    loc = _t([0.5, -1.0]).requires_grad_()
    scale = _t([1.5, 0.3]).requires_grad_()
    z = D.Normal(loc, scale).rsample((3,))
    z.sum().backward()
    assert loc.grad.tolist() == [3.0, 3.0]
    eps = (z.detach() - loc.detach()) / scale.detach()
    np.testing.assert_allclose(scale.grad.numpy(), eps.sum(0).numpy(), rtol=1e-12)
    assert not D.Normal(loc, scale).sample().requires_grad


@pytest.mark.parametrize("alpha", [0.4, 2.5])
def test_gamma_rsample_gradient_is_unbiased(alpha):
    # d/dalpha E[x] = 1/rate for Gamma(alpha, rate): the pathwise gradients must average to it.
    conc = ember.full((20000,), alpha, dtype=F64, requires_grad=True)
    rate = ember.tensor(2.0, dtype=F64, requires_grad=True)
    x = D.Gamma(conc, rate).rsample()
    x.mean().backward()
    assert float(conc.grad.sum()) == pytest.approx(0.5, rel=0.05)
    assert float(rate.grad) == pytest.approx(-alpha / 4.0, rel=0.05)


def test_dirichlet_and_beta_rsample_carry_gradients():
    c = _t([0.7, 2.0, 1.5]).requires_grad_()
    D.Dirichlet(c).rsample((4,))[:, 0].sum().backward()
    assert c.grad is not None and bool(ember.isfinite(c.grad).all())
    a = _t([2.0]).requires_grad_()
    D.Beta(a, 3.0).rsample((4,)).sum().backward()
    assert float(a.grad) > 0


def test_mvn_rsample_gradients_reach_the_cholesky_factor():
    cov = _t([[2.0, 0.3], [0.3, 0.5]]).requires_grad_()
    loc = _t([0.0, 0.0]).requires_grad_()
    z = D.MultivariateNormal(loc, cov).rsample((5,))
    z.pow(2).sum().backward()
    assert cov.grad.shape == (2, 2) and loc.grad.shape == (2,)


def test_score_function_policy_gradient_idiom():
    logits = ember.zeros(3, requires_grad=True)
    dist = D.Categorical(logits=logits)
    action = dist.sample()
    (-dist.log_prob(action) * 2.0).backward()
    expected = -2.0 * (np.eye(3)[int(action)] - np.full(3, 1 / 3))
    np.testing.assert_allclose(logits.grad.numpy(), expected, rtol=1e-6)


def test_default_validation_switch():
    D.Distribution.set_default_validate_args(False)
    try:
        assert float(D.Normal(0.0, -1.0).scale) == -1.0
    finally:
        D.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError, match="GreaterThan"):
        D.Normal(0.0, -1.0)
    with pytest.raises(ValueError, match="support"):
        D.Exponential(1.0).log_prob(ember.tensor(-1.0))


def test_kl_of_unregistered_pair_raises():
    with pytest.raises(NotImplementedError, match="Poisson"):
        D.kl_divergence(D.Poisson(1.0), D.Normal(0.0, 1.0))


def test_float32_stays_float32():
    d = D.Gamma(ember.tensor([2.0]), ember.tensor([1.0]))
    assert d.rsample((3,)).dtype == ember.float32
    assert d.log_prob(ember.tensor([1.0])).dtype == ember.float32
    assert D.Normal(0.0, 1.0).sample().dtype == ember.float32
