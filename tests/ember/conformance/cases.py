"""Issue-13 snippets: PyTorch code as strings, grouped by area (format: ``tests/ember/diff``).

Within a group, snippets are separated by blank lines; the last line is the compared expression
(or assign ``out``). Directives: ``#! xfail: reason``, ``#! random``, ``#! tol: 1e-4``,
``#! msg: fragment``. After editing, rerun
``/work/ref/torch/bin/python tests/ember/conformance/make_expected.py``.
"""

from __future__ import annotations

try:
    from tests.ember.diff._harness import Case, parse_group
except ImportError:  # run as a script by make_expected.py
    from _harness import Case, parse_group

D = "D = torch.distributions\n"

_DIST_PARAMS = {
    "Normal": "torch.tensor([0.5, -1.0], dtype=torch.float64), torch.tensor([1.5, 0.3], dtype=torch.float64)",
    "Laplace": "torch.tensor([0.5, -1.0], dtype=torch.float64), torch.tensor([1.5, 0.3], dtype=torch.float64)",
    "Uniform": "torch.tensor([0.0, -1.0], dtype=torch.float64), torch.tensor([2.0, 3.0], dtype=torch.float64)",
    "Exponential": "torch.tensor([0.5, 2.0], dtype=torch.float64)",
    "Gamma": "torch.tensor([0.7, 3.0], dtype=torch.float64), torch.tensor([2.0, 0.5], dtype=torch.float64)",
    "Beta": "torch.tensor([0.7, 3.0], dtype=torch.float64), torch.tensor([2.0, 0.5], dtype=torch.float64)",
    "LogNormal": "torch.tensor([0.5, -1.0], dtype=torch.float64), torch.tensor([1.5, 0.3], dtype=torch.float64)",
    "Poisson": "torch.tensor([0.5, 4.0], dtype=torch.float64)",
    "Bernoulli": "probs=torch.tensor([0.2, 0.9], dtype=torch.float64)",
    "Binomial": "10, probs=torch.tensor([0.2, 0.9], dtype=torch.float64)",
    "Categorical": "probs=torch.tensor([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]], dtype=torch.float64)",
    "OneHotCategorical": "logits=torch.tensor([[0.2, -1.3, 0.5], [2.0, 0.1, 0.3]], dtype=torch.float64)",
    "Multinomial": "5, probs=torch.tensor([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]], dtype=torch.float64)",
    "Dirichlet": "torch.tensor([[0.7, 2.0, 1.5], [3.0, 0.5, 1.0]], dtype=torch.float64)",
    "MultivariateNormal": "torch.tensor([0.5, -1.0], dtype=torch.float64), torch.tensor([[2.0, 0.3], [0.3, 0.5]], dtype=torch.float64)",
}
_VALUES = {
    "Normal": "torch.tensor([0.3, 2.0], dtype=torch.float64)",
    "Laplace": "torch.tensor([0.3, 2.0], dtype=torch.float64)",
    "Uniform": "torch.tensor([0.3, 2.0], dtype=torch.float64)",
    "Exponential": "torch.tensor([0.3, 2.0], dtype=torch.float64)",
    "Gamma": "torch.tensor([0.3, 2.0], dtype=torch.float64)",
    "Beta": "torch.tensor([0.3, 0.8], dtype=torch.float64)",
    "LogNormal": "torch.tensor([0.3, 2.0], dtype=torch.float64)",
    "Poisson": "torch.tensor([0.0, 3.0], dtype=torch.float64)",
    "Bernoulli": "torch.tensor([1.0, 0.0], dtype=torch.float64)",
    "Binomial": "torch.tensor([3.0, 10.0], dtype=torch.float64)",
    "Categorical": "torch.tensor([2, 0])",
    "OneHotCategorical": "torch.tensor([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]], dtype=torch.float64)",
    "Multinomial": "torch.tensor([[1.0, 1.0, 3.0], [5.0, 0.0, 0.0]], dtype=torch.float64)",
    "Dirichlet": "torch.tensor([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]], dtype=torch.float64)",
    "MultivariateNormal": "torch.tensor([[0.3, 2.0], [1.0, -1.0]], dtype=torch.float64)",
}
_NO_ENTROPY = {"Poisson"}
_NO_MEAN = set()


def _dist_group() -> str:
    parts = []
    for name, params in _DIST_PARAMS.items():
        mk = f"{D}d = D.{name}({params})\n"
        parts.append(f"{mk}d.log_prob({_VALUES[name]})")
        parts.append(f"{mk}(d.batch_shape, d.event_shape)")
        parts.append(f"{mk}d.mean")
        parts.append(f"{mk}d.variance")
        parts.append(f"{mk}d.sample((4, 3)).shape")
        parts.append(f"{mk}d.expand((5, 2)).log_prob({_VALUES[name]}).shape")
        if name not in _NO_ENTROPY:
            # torch's Multinomial entropy sums lgamma terms with ~1e-8 rounding of its own
            tol = "#! tol: 1e-7\n" if name == "Multinomial" else ""
            parts.append(f"{tol}{mk}d.entropy()")
    return "\n\n".join(parts)


DISTRIBUTIONS = _dist_group() + r'''

D = torch.distributions
loc = torch.tensor([0.5, -1.0], requires_grad=True)
scale = torch.tensor([1.5, 0.3], requires_grad=True)
D.Normal(loc, scale).log_prob(torch.tensor([0.3, 2.0])).sum().backward()
(loc.grad, scale.grad)

D = torch.distributions
c = torch.tensor([0.7, 3.0], dtype=torch.float64, requires_grad=True)
r = torch.tensor([2.0, 0.5], dtype=torch.float64, requires_grad=True)
D.Gamma(c, r).log_prob(torch.tensor([0.3, 2.0], dtype=torch.float64)).sum().backward()
(c.grad, r.grad)

#! tol: 1e-8
D = torch.distributions
c = torch.tensor([0.7, 3.0], dtype=torch.float64, requires_grad=True)
D.Beta(c, torch.tensor(2.0, dtype=torch.float64)).entropy().sum().backward()
c.grad

D = torch.distributions
l = torch.tensor([[0.2, -1.3, 0.5]], requires_grad=True)
D.Categorical(logits=l).entropy().sum().backward()
l.grad

D = torch.distributions
D.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])).cdf(torch.tensor([0.5, -1.0]))

D = torch.distributions
D.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0])).icdf(torch.tensor([0.25, 0.9]))

D = torch.distributions
D.Laplace(0.0, 2.0).cdf(torch.tensor([-1.0, 0.5]))

D = torch.distributions
D.Exponential(torch.tensor([2.0])).cdf(torch.tensor([0.3]))

D = torch.distributions
D.Uniform(0.0, 2.0).cdf(torch.tensor([-1.0, 0.5, 3.0]))

D = torch.distributions
D.Gamma(torch.tensor([2.5], dtype=torch.float64), torch.tensor([1.5], dtype=torch.float64)).cdf(torch.tensor([1.0], dtype=torch.float64))

D = torch.distributions
D.Normal(0.0, 1.0).log_prob(torch.tensor(0.0))

D = torch.distributions
D.Normal(0.0, 1.0).sample().shape

D = torch.distributions
D.Normal(torch.zeros(3), 1.0).rsample((2,)).shape

D = torch.distributions
D.Normal(0.0, -1.0)

D = torch.distributions
D.Normal(0.0, -1.0, validate_args=False).scale

D = torch.distributions
D.Bernoulli(probs=1.5)

D = torch.distributions
D.Bernoulli(probs=0.5, logits=0.0)

D = torch.distributions
D.Bernoulli(probs=0.5).log_prob(torch.tensor(0.5))

D = torch.distributions
D.Exponential(1.0).log_prob(torch.tensor(-1.0))

D = torch.distributions
D.Categorical(probs=torch.tensor([0.2, 0.8])).log_prob(torch.tensor(3))

D = torch.distributions
D.Normal(torch.zeros(3), 1.0).log_prob(torch.zeros(4))

D = torch.distributions
D.Uniform(2.0, 1.0)

D = torch.distributions
D.Bernoulli(logits=torch.tensor([0.0, 2.0])).probs

D = torch.distributions
D.Bernoulli(probs=torch.tensor([0.25, 0.5])).logits

D = torch.distributions
D.Categorical(logits=torch.tensor([1.0, 2.0, 3.0])).probs

D = torch.distributions
D.Categorical(probs=torch.tensor([1.0, 3.0])).probs

D = torch.distributions
D.Categorical(probs=torch.tensor([[0.5, 0.5], [0.1, 0.9]])).enumerate_support()

D = torch.distributions
D.Bernoulli(torch.tensor([0.3, 0.6])).enumerate_support()

D = torch.distributions
D.Binomial(3, torch.tensor([0.3, 0.6])).enumerate_support()

D = torch.distributions
D.OneHotCategorical(torch.tensor([0.3, 0.7])).enumerate_support()

D = torch.distributions
D.Categorical(probs=torch.tensor([0.2, 0.8])).sample((5,)).dtype

D = torch.distributions
D.OneHotCategorical(probs=torch.tensor([0.0, 1.0, 0.0])).sample((2,))

D = torch.distributions
D.Bernoulli(torch.tensor([0.0, 1.0])).sample((2,))

D = torch.distributions
D.Multinomial(6, probs=torch.tensor([0.0, 1.0])).sample()

D = torch.distributions
D.Dirichlet(torch.ones(2, 3)).sample((4,)).sum(-1)

D = torch.distributions
D.Beta(2.0, 3.0).rsample((3,)).shape

D = torch.distributions
d = D.Independent(D.Normal(torch.zeros(2, 3), torch.ones(2, 3)), 1)
(d.batch_shape, d.event_shape, d.log_prob(torch.zeros(2, 3)), d.entropy())

D = torch.distributions
d = D.Independent(D.Normal(torch.zeros(2, 3), torch.ones(2, 3)), 2)
(d.batch_shape, d.event_shape, d.sample((4,)).shape)

D = torch.distributions
d = D.Independent(D.Normal(torch.zeros(3), 1.0), 2)

D = torch.distributions
T = torch.distributions.transforms
d = D.TransformedDistribution(D.Normal(torch.tensor([0.0, 1.0]), 1.0), [T.AffineTransform(1.0, 2.0), T.ExpTransform()])
(d.log_prob(torch.tensor([0.5, 3.0])), d.sample((3,)).shape)

D = torch.distributions
T = torch.distributions.transforms
d = D.TransformedDistribution(D.Normal(torch.tensor([0.0, 1.0]), 1.0), [T.SigmoidTransform()])
d.log_prob(torch.tensor([0.2, 0.7]))

D = torch.distributions
T = torch.distributions.transforms
d = D.TransformedDistribution(D.Normal(torch.tensor([0.0, 1.0]), 1.0), T.TanhTransform())
d.log_prob(torch.tensor([0.2, -0.7]))

D = torch.distributions
T = torch.distributions.transforms
d = D.TransformedDistribution(D.Normal(torch.zeros(2, 3), 1.0), [T.AffineTransform(torch.zeros(3), torch.tensor([1.0, 2.0, 3.0]), event_dim=1)])
(d.batch_shape, d.event_shape, d.log_prob(torch.ones(2, 3)))

D = torch.distributions
T = torch.distributions.transforms
d = D.TransformedDistribution(D.Exponential(torch.tensor([1.0, 2.0])), T.PowerTransform(torch.tensor(2.0)))
d.log_prob(torch.tensor([0.5, 2.0]))

D = torch.distributions
T = torch.distributions.transforms
t = T.ComposeTransform([T.AffineTransform(0.5, 2.0), T.ExpTransform()])
x = torch.tensor([0.1, -0.4])
(t(x), t.inv(t(x)), t.log_abs_det_jacobian(x, t(x)))

D = torch.distributions
T = torch.distributions.transforms
T.SoftmaxTransform()(torch.tensor([1.0, 2.0, 3.0]))

D = torch.distributions
T = torch.distributions.transforms
T.ExpTransform().inv(torch.tensor([1.0, 2.0]))

D = torch.distributions
D.LogNormal(torch.tensor([0.0, 1.0]), 0.5).cdf(torch.tensor([1.0, 2.0]))

D = torch.distributions
d = D.MultivariateNormal(torch.zeros(3, 2), scale_tril=torch.tensor([[1.0, 0.0], [0.5, 2.0]]))
(d.batch_shape, d.event_shape, d.covariance_matrix, d.log_prob(torch.ones(3, 2)))

D = torch.distributions
d = D.MultivariateNormal(torch.zeros(2), precision_matrix=torch.tensor([[2.0, 0.5], [0.5, 1.0]], dtype=torch.float64))
(d.covariance_matrix, d.scale_tril, d.log_prob(torch.ones(2, dtype=torch.float64)), d.entropy())

D = torch.distributions
d = D.MultivariateNormal(torch.zeros(2), torch.tensor([[2.0, 0.5], [0.5, 1.0]], dtype=torch.float64))
d.precision_matrix

D = torch.distributions
loc = torch.zeros(2, requires_grad=True)
cov = torch.tensor([[2.0, 0.5], [0.5, 1.0]], requires_grad=True)
D.MultivariateNormal(loc, cov).log_prob(torch.tensor([0.5, -1.0])).backward()
(loc.grad, cov.grad)

D = torch.distributions
D.MultivariateNormal(torch.zeros(2), torch.tensor([[1.0, 2.0], [2.0, 1.0]]))

D = torch.distributions
D.MultivariateNormal(torch.zeros(2))

D = torch.distributions
(D.Normal.has_rsample, D.Bernoulli.has_rsample, D.Gamma.has_rsample, D.Categorical.has_enumerate_support)

D = torch.distributions
(D.Normal.arg_constraints["scale"].check(torch.tensor([1.0, -1.0])), D.Normal.support.check(torch.tensor(float("nan"))))

D = torch.distributions
constraints = torch.distributions.constraints
(constraints.simplex.check(torch.tensor([[0.5, 0.5], [0.5, 0.6]])), constraints.interval(0, 1).check(torch.tensor([0.0, 1.5])), constraints.positive_definite.check(torch.eye(2)))

D = torch.distributions
constraints = torch.distributions.constraints
(constraints.lower_cholesky.check(torch.tensor([[1.0, 0.0], [2.0, 3.0]])), constraints.nonnegative_integer.check(torch.tensor([0.0, 1.5, 2.0])), constraints.independent(constraints.real, 1).check(torch.zeros(2, 3)))

D = torch.distributions
D.Normal(0.0, 1.0).entropy().exp() - D.Normal(0.0, 1.0).perplexity()

D = torch.distributions
D.Normal(torch.zeros(2), 1.0).stddev

D = torch.distributions
D.Gamma(torch.tensor([3.0, 0.5]), 2.0).mode

D = torch.distributions
D.Dirichlet(torch.tensor([2.0, 3.0, 4.0])).mode

D = torch.distributions
D.Beta(torch.tensor([2.0]), torch.tensor([3.0])).concentration1

D = torch.distributions
D.Normal(torch.tensor([0.0]), torch.tensor([1.0])).expand((3, 1)).batch_shape

D = torch.distributions
D.Categorical(logits=torch.tensor([0.0, float("-inf")])).entropy()
'''

_KL_PAIRS = [
    ("Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))",
     "Normal(torch.tensor([0.5, -1.0]), torch.tensor([0.7, 1.5]))"),
    ("Bernoulli(torch.tensor([0.2, 0.0, 1.0]))", "Bernoulli(torch.tensor([0.5, 0.3, 0.6]))"),
    ("Bernoulli(torch.tensor([0.2]))", "Bernoulli(torch.tensor([0.0]))"),
    ("Categorical(torch.tensor([0.2, 0.3, 0.5]))", "Categorical(torch.tensor([0.4, 0.4, 0.2]))"),
    ("Categorical(torch.tensor([0.2, 0.8, 0.0]))", "Categorical(torch.tensor([0.4, 0.0, 0.6]))"),
    ("OneHotCategorical(torch.tensor([0.2, 0.3, 0.5]))",
     "OneHotCategorical(torch.tensor([0.4, 0.4, 0.2]))"),
    ("Uniform(torch.tensor([0.0, 0.0]), torch.tensor([1.0, 2.0]))",
     "Uniform(torch.tensor([-1.0, 0.5]), torch.tensor([2.0, 3.0]))"),
    ("Exponential(torch.tensor([0.5, 2.0]))", "Exponential(torch.tensor([1.5, 0.3]))"),
    ("Laplace(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))",
     "Laplace(torch.tensor([0.5, -1.0]), torch.tensor([0.7, 1.5]))"),
    ("Gamma(torch.tensor([0.7, 3.0]), torch.tensor([2.0, 0.5]))",
     "Gamma(torch.tensor([1.5, 2.0]), torch.tensor([1.0, 1.0]))"),
    ("Beta(torch.tensor([0.7, 3.0]), torch.tensor([2.0, 0.5]))",
     "Beta(torch.tensor([1.5, 2.0]), torch.tensor([1.0, 1.0]))"),
    ("Dirichlet(torch.tensor([0.7, 3.0, 1.0]))", "Dirichlet(torch.tensor([1.5, 2.0, 0.5]))"),
    ("Poisson(torch.tensor([0.5, 4.0]))", "Poisson(torch.tensor([1.0, 3.0]))"),
    ("Binomial(5, torch.tensor([0.5, 0.2]))", "Binomial(5, torch.tensor([0.3, 0.9]))"),
    ("MultivariateNormal(torch.tensor([0.0, 1.0]), torch.tensor([[2.0, 0.3], [0.3, 0.5]]))",
     "MultivariateNormal(torch.tensor([[0.5, -1.0], [0.0, 0.0]]), torch.eye(2))"),
    ("Independent(D.Normal(torch.zeros(2, 3), torch.ones(2, 3)), 1)",
     "Independent(D.Normal(torch.ones(2, 3), 2 * torch.ones(2, 3)), 1)"),
    ("LogNormal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))",
     "LogNormal(torch.tensor([0.5, -1.0]), torch.tensor([0.7, 1.5]))"),
    ("Normal(0.0, 1.0)", "Laplace(0.0, 1.0)"),
]

KL = "\n\n".join(f"{D}D.kl_divergence(D.{p}, D.{q})" for p, q in _KL_PAIRS) + r'''

D = torch.distributions
loc = torch.tensor([0.5, -1.0], requires_grad=True)
D.kl_divergence(D.Normal(loc, 1.0), D.Normal(0.0, 2.0)).sum().backward()
loc.grad

D = torch.distributions
class MyNormal(D.Normal):
    pass
@D.register_kl(MyNormal, D.Normal)
def _kl(p, q):
    return torch.full(p.batch_shape, 7.0)
(D.kl_divergence(MyNormal(0.0, 1.0), D.Normal(0.0, 1.0)), D.kl_divergence(D.Normal(0.0, 1.0), MyNormal(1.0, 1.0)))

D = torch.distributions
D.register_kl(int, D.Normal)
'''

SPECIAL = r'''
torch.special.gammaln(torch.tensor([0.5, 1.0, 3.0, -2.5]))

torch.lgamma(torch.tensor([0.0, -1.0, float("inf")]))

torch.digamma(torch.tensor([1.0, 0.5, -0.5, 0.0]))

torch.special.psi(torch.tensor([2.0]))

torch.polygamma(1, torch.tensor([1.0, 2.5]))

torch.tensor([1.0, 2.5]).polygamma(2)

torch.mvlgamma(torch.tensor([2.5, 4.0]), 3)

torch.tensor([2.5, 4.0]).mvlgamma(2)

torch.special.multigammaln(torch.tensor([0.5]), 2)

torch.polygamma(-1, torch.tensor([1.0]))

torch.i0(torch.tensor([0.0, 1.0, -2.5]))

torch.tensor([0.0, 1.0, -2.5]).i0()

torch.special.i0e(torch.tensor([0.0, 1.0, -2.5, 100.0]))

torch.special.i1(torch.tensor([0.0, 1.0, -2.5]))

torch.special.i1e(torch.tensor([0.0, 1.0, -2.5, 100.0]))

torch.special.bessel_j0(torch.tensor([0.0, 1.0, -2.5, 30.0]))

torch.special.bessel_j1(torch.tensor([0.0, 1.0, -2.5, 30.0]))

torch.special.ndtr(torch.tensor([-1.0, 0.0, 3.0]))

torch.special.ndtri(torch.tensor([0.0, 0.025, 0.5, 1.0]))

torch.special.log_ndtr(torch.tensor([-40.0, -1.0, 5.0]))

torch.special.sinc(torch.tensor([0.0, 0.5, 1.0]))

torch.sinc(torch.tensor([0.0, 0.25]))

torch.special.entr(torch.tensor([0.0, 0.5, 1.0, -1.0]))

torch.special.xlog1py(torch.tensor([0.0, 2.0, 1.0]), torch.tensor([-1.0, 1.0, float("nan")]))

torch.special.xlogy(torch.tensor([0.0, 2.0]), torch.tensor([0.0, 3.0]))

torch.special.zeta(torch.tensor([2.0, 3.0]), torch.tensor([1.0, 2.0]))

torch.special.zeta(torch.tensor([2.0, 4.0]), 1.0)

torch.special.expit(torch.tensor([0.0, 2.0]))

torch.special.logit(torch.tensor([0.25, 0.5]))

torch.special.erf(torch.tensor([0.5]))

torch.special.erfc(torch.tensor([0.5]))

torch.special.erfinv(torch.tensor([0.5]))

torch.special.exp2(torch.tensor([3.0, -1.0]))

torch.special.expm1(torch.tensor([1e-8]))

torch.special.log1p(torch.tensor([1e-8]))

torch.special.logsumexp(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), 1)

torch.special.softmax(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), 1)

torch.special.log_softmax(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), 0)

torch.special.gammainc(torch.tensor([1.0, 2.5]), torch.tensor([1.0, 3.0]))

torch.special.gammaincc(torch.tensor([1.0, 2.5]), torch.tensor([1.0, 3.0]))

torch.special.round(torch.tensor([1.5, 2.5]))

x = torch.tensor([0.5, 3.0], requires_grad=True)
torch.lgamma(x).sum().backward()
x.grad

x = torch.tensor([0.5, 3.0], requires_grad=True)
torch.digamma(x).sum().backward()
x.grad

x = torch.tensor([0.5, 3.0], requires_grad=True)
torch.lgamma(x).grad_fn is not None

#! tol: 1e-8
x = torch.tensor([0.5, 3.0], dtype=torch.float64, requires_grad=True)
(g,) = torch.autograd.grad(torch.lgamma(x).sum(), x, create_graph=True)
torch.autograd.grad(g.sum(), x)

x = torch.tensor([0.5, 3.0], requires_grad=True)
torch.special.i1(x).sum().backward()
x.grad

x = torch.tensor([0.1, 0.7], requires_grad=True)
torch.special.ndtri(x).sum().backward()
x.grad

x = torch.tensor([-3.0, 0.7], requires_grad=True)
torch.special.log_ndtr(x).sum().backward()
x.grad

torch.lgamma(torch.tensor([3, 4]))

torch.lgamma(torch.tensor([3.0], dtype=torch.float64)).dtype
'''

GROUPS = {
    "distributions": DISTRIBUTIONS,
    "kl": KL,
    "special": SPECIAL,
}


def all_cases() -> list[Case]:
    """Every snippet of every group, in order."""
    return [case for name, text in GROUPS.items() for case in parse_group(name, text)]
