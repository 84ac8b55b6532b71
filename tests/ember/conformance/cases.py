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


DISTRIBUTIONS = (
    _dist_group()
    + r"""

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
"""
)

_KL_PAIRS = [
    (
        "Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))",
        "Normal(torch.tensor([0.5, -1.0]), torch.tensor([0.7, 1.5]))",
    ),
    ("Bernoulli(torch.tensor([0.2, 0.0, 1.0]))", "Bernoulli(torch.tensor([0.5, 0.3, 0.6]))"),
    ("Bernoulli(torch.tensor([0.2]))", "Bernoulli(torch.tensor([0.0]))"),
    ("Categorical(torch.tensor([0.2, 0.3, 0.5]))", "Categorical(torch.tensor([0.4, 0.4, 0.2]))"),
    ("Categorical(torch.tensor([0.2, 0.8, 0.0]))", "Categorical(torch.tensor([0.4, 0.0, 0.6]))"),
    (
        "OneHotCategorical(torch.tensor([0.2, 0.3, 0.5]))",
        "OneHotCategorical(torch.tensor([0.4, 0.4, 0.2]))",
    ),
    (
        "Uniform(torch.tensor([0.0, 0.0]), torch.tensor([1.0, 2.0]))",
        "Uniform(torch.tensor([-1.0, 0.5]), torch.tensor([2.0, 3.0]))",
    ),
    ("Exponential(torch.tensor([0.5, 2.0]))", "Exponential(torch.tensor([1.5, 0.3]))"),
    (
        "Laplace(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))",
        "Laplace(torch.tensor([0.5, -1.0]), torch.tensor([0.7, 1.5]))",
    ),
    (
        "Gamma(torch.tensor([0.7, 3.0]), torch.tensor([2.0, 0.5]))",
        "Gamma(torch.tensor([1.5, 2.0]), torch.tensor([1.0, 1.0]))",
    ),
    (
        "Beta(torch.tensor([0.7, 3.0]), torch.tensor([2.0, 0.5]))",
        "Beta(torch.tensor([1.5, 2.0]), torch.tensor([1.0, 1.0]))",
    ),
    ("Dirichlet(torch.tensor([0.7, 3.0, 1.0]))", "Dirichlet(torch.tensor([1.5, 2.0, 0.5]))"),
    ("Poisson(torch.tensor([0.5, 4.0]))", "Poisson(torch.tensor([1.0, 3.0]))"),
    ("Binomial(5, torch.tensor([0.5, 0.2]))", "Binomial(5, torch.tensor([0.3, 0.9]))"),
    (
        "MultivariateNormal(torch.tensor([0.0, 1.0]), torch.tensor([[2.0, 0.3], [0.3, 0.5]]))",
        "MultivariateNormal(torch.tensor([[0.5, -1.0], [0.0, 0.0]]), torch.eye(2))",
    ),
    (
        "Independent(D.Normal(torch.zeros(2, 3), torch.ones(2, 3)), 1)",
        "Independent(D.Normal(torch.ones(2, 3), 2 * torch.ones(2, 3)), 1)",
    ),
    (
        "LogNormal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))",
        "LogNormal(torch.tensor([0.5, -1.0]), torch.tensor([0.7, 1.5]))",
    ),
    ("Normal(0.0, 1.0)", "Laplace(0.0, 1.0)"),
]

KL = (
    "\n\n".join(f"{D}D.kl_divergence(D.{p}, D.{q})" for p, q in _KL_PAIRS)
    + r"""

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
"""
)

SPECIAL = r"""
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
"""

WINDOWS = """
torch.signal.windows.bartlett(0, sym=True, dtype=torch.float64)

torch.signal.windows.bartlett(0, sym=False, dtype=torch.float64)

torch.signal.windows.bartlett(1, sym=True, dtype=torch.float64)

torch.signal.windows.bartlett(1, sym=False, dtype=torch.float64)

torch.signal.windows.bartlett(7, sym=True, dtype=torch.float64)

torch.signal.windows.bartlett(7, sym=False, dtype=torch.float64)

torch.signal.windows.bartlett(8, sym=True, dtype=torch.float64)

torch.signal.windows.bartlett(8, sym=False, dtype=torch.float64)

torch.signal.windows.blackman(0, sym=True, dtype=torch.float64)

torch.signal.windows.blackman(0, sym=False, dtype=torch.float64)

torch.signal.windows.blackman(1, sym=True, dtype=torch.float64)

torch.signal.windows.blackman(1, sym=False, dtype=torch.float64)

torch.signal.windows.blackman(7, sym=True, dtype=torch.float64)

torch.signal.windows.blackman(7, sym=False, dtype=torch.float64)

torch.signal.windows.blackman(8, sym=True, dtype=torch.float64)

torch.signal.windows.blackman(8, sym=False, dtype=torch.float64)

torch.signal.windows.cosine(0, sym=True, dtype=torch.float64)

torch.signal.windows.cosine(0, sym=False, dtype=torch.float64)

torch.signal.windows.cosine(1, sym=True, dtype=torch.float64)

torch.signal.windows.cosine(1, sym=False, dtype=torch.float64)

torch.signal.windows.cosine(7, sym=True, dtype=torch.float64)

torch.signal.windows.cosine(7, sym=False, dtype=torch.float64)

torch.signal.windows.cosine(8, sym=True, dtype=torch.float64)

torch.signal.windows.cosine(8, sym=False, dtype=torch.float64)

torch.signal.windows.exponential(0, sym=True, dtype=torch.float64)

torch.signal.windows.exponential(0, sym=False, dtype=torch.float64)

torch.signal.windows.exponential(1, sym=True, dtype=torch.float64)

torch.signal.windows.exponential(1, sym=False, dtype=torch.float64)

torch.signal.windows.exponential(7, sym=True, dtype=torch.float64)

torch.signal.windows.exponential(7, sym=False, dtype=torch.float64)

torch.signal.windows.exponential(8, sym=True, dtype=torch.float64)

torch.signal.windows.exponential(8, sym=False, dtype=torch.float64)

torch.signal.windows.gaussian(0, sym=True, dtype=torch.float64)

torch.signal.windows.gaussian(0, sym=False, dtype=torch.float64)

torch.signal.windows.gaussian(1, sym=True, dtype=torch.float64)

torch.signal.windows.gaussian(1, sym=False, dtype=torch.float64)

torch.signal.windows.gaussian(7, sym=True, dtype=torch.float64)

torch.signal.windows.gaussian(7, sym=False, dtype=torch.float64)

torch.signal.windows.gaussian(8, sym=True, dtype=torch.float64)

torch.signal.windows.gaussian(8, sym=False, dtype=torch.float64)

torch.signal.windows.hamming(0, sym=True, dtype=torch.float64)

torch.signal.windows.hamming(0, sym=False, dtype=torch.float64)

torch.signal.windows.hamming(1, sym=True, dtype=torch.float64)

torch.signal.windows.hamming(1, sym=False, dtype=torch.float64)

torch.signal.windows.hamming(7, sym=True, dtype=torch.float64)

torch.signal.windows.hamming(7, sym=False, dtype=torch.float64)

torch.signal.windows.hamming(8, sym=True, dtype=torch.float64)

torch.signal.windows.hamming(8, sym=False, dtype=torch.float64)

torch.signal.windows.hann(0, sym=True, dtype=torch.float64)

torch.signal.windows.hann(0, sym=False, dtype=torch.float64)

torch.signal.windows.hann(1, sym=True, dtype=torch.float64)

torch.signal.windows.hann(1, sym=False, dtype=torch.float64)

torch.signal.windows.hann(7, sym=True, dtype=torch.float64)

torch.signal.windows.hann(7, sym=False, dtype=torch.float64)

torch.signal.windows.hann(8, sym=True, dtype=torch.float64)

torch.signal.windows.hann(8, sym=False, dtype=torch.float64)

torch.signal.windows.kaiser(0, sym=True, dtype=torch.float64)

torch.signal.windows.kaiser(0, sym=False, dtype=torch.float64)

torch.signal.windows.kaiser(1, sym=True, dtype=torch.float64)

torch.signal.windows.kaiser(1, sym=False, dtype=torch.float64)

torch.signal.windows.kaiser(7, sym=True, dtype=torch.float64)

torch.signal.windows.kaiser(7, sym=False, dtype=torch.float64)

torch.signal.windows.kaiser(8, sym=True, dtype=torch.float64)

torch.signal.windows.kaiser(8, sym=False, dtype=torch.float64)

torch.signal.windows.nuttall(0, sym=True, dtype=torch.float64)

torch.signal.windows.nuttall(0, sym=False, dtype=torch.float64)

torch.signal.windows.nuttall(1, sym=True, dtype=torch.float64)

torch.signal.windows.nuttall(1, sym=False, dtype=torch.float64)

torch.signal.windows.nuttall(7, sym=True, dtype=torch.float64)

torch.signal.windows.nuttall(7, sym=False, dtype=torch.float64)

torch.signal.windows.nuttall(8, sym=True, dtype=torch.float64)

torch.signal.windows.nuttall(8, sym=False, dtype=torch.float64)

torch.signal.windows.general_hamming(0, alpha=0.6, sym=True, dtype=torch.float64)

torch.signal.windows.general_hamming(0, alpha=0.6, sym=False, dtype=torch.float64)

torch.signal.windows.general_hamming(1, alpha=0.6, sym=True, dtype=torch.float64)

torch.signal.windows.general_hamming(1, alpha=0.6, sym=False, dtype=torch.float64)

torch.signal.windows.general_hamming(7, alpha=0.6, sym=True, dtype=torch.float64)

torch.signal.windows.general_hamming(7, alpha=0.6, sym=False, dtype=torch.float64)

torch.signal.windows.general_hamming(8, alpha=0.6, sym=True, dtype=torch.float64)

torch.signal.windows.general_hamming(8, alpha=0.6, sym=False, dtype=torch.float64)

torch.signal.windows.general_cosine(0, a=[0.4, 0.3, 0.3], sym=True, dtype=torch.float64)

torch.signal.windows.general_cosine(0, a=[0.4, 0.3, 0.3], sym=False, dtype=torch.float64)

torch.signal.windows.general_cosine(1, a=[0.4, 0.3, 0.3], sym=True, dtype=torch.float64)

torch.signal.windows.general_cosine(1, a=[0.4, 0.3, 0.3], sym=False, dtype=torch.float64)

torch.signal.windows.general_cosine(7, a=[0.4, 0.3, 0.3], sym=True, dtype=torch.float64)

torch.signal.windows.general_cosine(7, a=[0.4, 0.3, 0.3], sym=False, dtype=torch.float64)

torch.signal.windows.general_cosine(8, a=[0.4, 0.3, 0.3], sym=True, dtype=torch.float64)

torch.signal.windows.general_cosine(8, a=[0.4, 0.3, 0.3], sym=False, dtype=torch.float64)

torch.signal.windows.kaiser(0, beta=3.5, sym=True, dtype=torch.float64)

torch.signal.windows.kaiser(0, beta=3.5, sym=False, dtype=torch.float64)

torch.signal.windows.kaiser(1, beta=3.5, sym=True, dtype=torch.float64)

torch.signal.windows.kaiser(1, beta=3.5, sym=False, dtype=torch.float64)

torch.signal.windows.kaiser(7, beta=3.5, sym=True, dtype=torch.float64)

torch.signal.windows.kaiser(7, beta=3.5, sym=False, dtype=torch.float64)

torch.signal.windows.kaiser(8, beta=3.5, sym=True, dtype=torch.float64)

torch.signal.windows.kaiser(8, beta=3.5, sym=False, dtype=torch.float64)

torch.signal.windows.gaussian(0, std=2.5, sym=True, dtype=torch.float64)

torch.signal.windows.gaussian(0, std=2.5, sym=False, dtype=torch.float64)

torch.signal.windows.gaussian(1, std=2.5, sym=True, dtype=torch.float64)

torch.signal.windows.gaussian(1, std=2.5, sym=False, dtype=torch.float64)

torch.signal.windows.gaussian(7, std=2.5, sym=True, dtype=torch.float64)

torch.signal.windows.gaussian(7, std=2.5, sym=False, dtype=torch.float64)

torch.signal.windows.gaussian(8, std=2.5, sym=True, dtype=torch.float64)

torch.signal.windows.gaussian(8, std=2.5, sym=False, dtype=torch.float64)

torch.signal.windows.exponential(0, tau=2.0, sym=True, dtype=torch.float64)

torch.signal.windows.exponential(0, tau=2.0, sym=False, dtype=torch.float64)

torch.signal.windows.exponential(1, tau=2.0, sym=True, dtype=torch.float64)

torch.signal.windows.exponential(1, tau=2.0, sym=False, dtype=torch.float64)

torch.signal.windows.exponential(7, tau=2.0, sym=True, dtype=torch.float64)

torch.signal.windows.exponential(7, tau=2.0, sym=False, dtype=torch.float64)

torch.signal.windows.exponential(8, tau=2.0, sym=True, dtype=torch.float64)

torch.signal.windows.exponential(8, tau=2.0, sym=False, dtype=torch.float64)

torch.signal.windows.exponential(6, center=1.0, sym=False, dtype=torch.float64)

torch.signal.windows.exponential(6, center=1.0)

torch.signal.windows.gaussian(6, std=-1.0)

torch.signal.windows.hann(-1)

torch.signal.windows.hann(4, dtype=torch.int64)

torch.signal.windows.hann(4).dtype

torch.signal.windows.hann(4, requires_grad=True).requires_grad

torch.signal.windows.general_cosine(4, a=[])
"""

IDIOMS = r"""
torch.ones(2).is_xpu

torch.ones(2).is_mps

(torch.ones(2).is_meta, torch.ones(2).is_ipu, torch.ones(2).is_xla, torch.ones(2).is_vulkan, torch.ones(2).is_mkldnn, torch.ones(2).is_nested, torch.ones(2).is_sparse_csr, torch.ones(2).is_quantized, torch.ones(2).is_mtia, torch.ones(2).is_maia)

(torch.ones(2).is_cpu, torch.ones(2).is_cuda, torch.ones(2).is_sparse)

torch.tensor([3]).is_nonzero()

torch.tensor([0.0]).is_nonzero()

torch.tensor([1, 2]).is_nonzero()

torch.tensor([]).is_nonzero()

torch.ones(2).is_distributed()

torch.ones(2).is_coalesced()

t = torch.ones(3)
(t.is_set_to(t), t.is_set_to(t.clone()))

device = "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"
device

device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
device

(torch.accelerator.is_available(), torch.accelerator.current_accelerator(), torch.accelerator.device_count())

(torch.xpu.is_available(), torch.xpu.device_count(), torch.mps.is_available() if hasattr(torch.mps, "is_available") else False)

(torch.backends.mps.is_available(), torch.backends.mps.is_built())

device = torch.device("xpu" if torch.xpu.is_available() else "cpu")
torch.zeros(2, device=device).device

torch.backends.cuda.matmul.allow_tf32

torch.backends.cudnn.allow_tf32

torch.backends.cuda.matmul.allow_tf32 = True
torch.backends.cudnn.allow_tf32 = True
out = (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32)
torch.backends.cuda.matmul.allow_tf32 = False

(torch.backends.cuda.matmul.allow_fp16_reduced_precision_reduction, torch.backends.cudnn.enabled, torch.backends.cudnn.benchmark, torch.backends.cudnn.deterministic)

torch.backends.cuda.matmul.no_such_flag = True

torch.backends.cudnn.benchmark = True
out = torch.backends.cudnn.benchmark
torch.backends.cudnn.benchmark = False

torch.get_default_device()

torch.set_default_device("cpu")
out = (torch.get_default_device(), torch.zeros(2).device)
torch.set_default_device(None)

torch.set_default_device(None)
torch.get_default_device()

torch.set_default_device("nonsense")

net = torch.nn.Linear(3, 2)
compiled = torch.compile(net)
(compiled(torch.ones(1, 3)) - net(torch.ones(1, 3))).abs().max()

f = torch.compile(lambda x: x * 2, mode="reduce-overhead", fullgraph=True)
f(torch.ones(2))

@torch.compile
def g(x):
    return x + 1
g(torch.zeros(2))

@torch.compile(dynamic=True)
def g(x):
    return x + 1
g(torch.zeros(2))

(torch.compiler.is_compiling(), torch.compiler.is_dynamo_compiling())

@torch.compiler.disable
def g(x):
    return x - 1
g(torch.zeros(1))

from_autograd = torch.autograd.Variable(torch.ones(2))
(from_autograd.requires_grad, from_autograd.is_leaf, type(from_autograd).__name__)

v = torch.autograd.Variable(torch.ones(2), requires_grad=True)
(v * 3).sum().backward()
(v.grad, v.is_leaf, v.requires_grad)

x = torch.tensor([1.0, 2.0], requires_grad=True)
v = torch.autograd.Variable(x * 2)
(v.requires_grad, v.grad_fn is None, v)

t = torch.ones(2)
v = torch.autograd.Variable(t)
v.add_(1)
t

isinstance(torch.ones(1), torch.autograd.Variable)

torch.autograd.Variable([1.0, 2.0])

torch.autograd.Variable(torch.ones(2), volatile=True)

v = torch.autograd.Variable(torch.ones(2, 2), requires_grad=True)
y = v.mm(v).sum()
y.backward()
v.grad.data
"""

CHECKPOINT = r"""
torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2))
x = torch.linspace(-1, 1, 12).reshape(3, 4)
y = torch.utils.checkpoint.checkpoint(net, x, use_reentrant=False)
y.pow(2).sum().backward()
out = ([tuple(p.grad.shape) for p in net.parameters()], (y - net(x)).abs().max().item())

lin = torch.nn.Linear(3, 3)
with torch.no_grad():
    lin.weight.copy_(torch.arange(9.0).reshape(3, 3) / 10)
    lin.bias.fill_(0.5)
x = torch.tensor([[1.0, -2.0, 0.5]], requires_grad=True)
y = torch.utils.checkpoint.checkpoint(lambda t: torch.tanh(lin(t)) * t, x, use_reentrant=False)
y.sum().backward()
(y, x.grad, lin.weight.grad, lin.bias.grad)

lin = torch.nn.Linear(3, 3)
with torch.no_grad():
    lin.weight.copy_(torch.arange(9.0).reshape(3, 3) / 10)
    lin.bias.fill_(0.5)
x = torch.tensor([[1.0, -2.0, 0.5]])
y = torch.utils.checkpoint.checkpoint(lin, x, use_reentrant=False)
y.sum().backward()
(y.requires_grad, lin.weight.grad, x.grad)

def two(a, b):
    return a * b, a + b
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, -1.0], requires_grad=True)
p, s = torch.utils.checkpoint.checkpoint(two, a, b, use_reentrant=False)
(p.sum() + 2 * s.sum()).backward()
(a.grad, b.grad)

a = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.utils.checkpoint.checkpoint(lambda t, k: t * k, a, k=3.0, use_reentrant=False)
torch.autograd.grad(y.sum(), a)

a = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.utils.checkpoint.checkpoint(lambda t: t.exp(), a, use_reentrant=False)
(y, y.requires_grad)

a = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = torch.utils.checkpoint.checkpoint(lambda t: t.exp(), a, use_reentrant=False)
y.requires_grad

net = torch.nn.Sequential(*[torch.nn.Linear(3, 3) for _ in range(4)])
with torch.no_grad():
    for i, p in enumerate(net.parameters()):
        p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape) * (i + 1) / 4)
x = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
y = torch.utils.checkpoint.checkpoint_sequential(net, 2, x, use_reentrant=False)
y.sum().backward()
(y, x.grad, net[0].weight.grad)

net = torch.nn.Sequential(*[torch.nn.Linear(3, 3) for _ in range(4)])
x = torch.ones(1, 3)
torch.utils.checkpoint.checkpoint_sequential(net, 3, x, use_reentrant=False).shape

torch.utils.checkpoint.checkpoint_sequential([torch.nn.ReLU()], 1, torch.ones(2), use_reentrant=False, bogus=1)

torch.manual_seed(0)
drop = torch.nn.Dropout(0.5)
x = torch.ones(100, requires_grad=True)
y = torch.utils.checkpoint.checkpoint(drop, x, use_reentrant=False)
y.sum().backward()
bool(((x.grad != 0) == (y != 0)).all())
"""

CORE = r'''
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = 2 ** x
y.sum().backward()
(y, x.grad)

x = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
y = 3.0 ** x
y.sum().backward()
(y, x.grad)

(2 ** torch.tensor([1, 2, 3]), 2.0 ** torch.tensor([1, 2]), (-2) ** torch.tensor([2, 3]))

x = torch.tensor([0.0, 1.0], requires_grad=True)
y = 0.0 ** x
y.sum().backward()
(y, x.grad)

x = torch.tensor([[0.0, float("-inf")], [float("-inf"), float("-inf")]], requires_grad=True)
y = torch.softmax(x, dim=1)
y[0, 0].backward()
(y, x.grad)

x = torch.tensor([[0.0, float("-inf")], [float("-inf"), float("-inf")]], requires_grad=True)
y = torch.log_softmax(x, dim=1)
y[0, 0].backward()
(y, x.grad)

torch.nn.functional.softmax(torch.full((2, 3), float("-inf")), dim=-1)

torch.nn.functional.log_softmax(torch.tensor([float("-inf"), 1.0]), dim=0)

s = torch.tensor(3.0)
(s.sum(0), s.sum(-1), s.sum(dim=0, keepdim=True), s.mean(0), s.amax(0), s.amin(-1), s.all(0), s.any(-1), s.prod(0))

s = torch.tensor(3.0)
(s.max(0), s.min(-1), s.argmax(0), s.argmin(-1))

s = torch.tensor(3.0)
(s.cumsum(0), s.logsumexp(0), s.std(0), s.var(0), s.norm(dim=0), s.softmax(0), s.log_softmax(-1))

s = torch.tensor(3.0)
(s.gather(0, torch.tensor(0)), s.index_select(0, torch.tensor([0])), s.flip(0), s.squeeze(0), s.unsqueeze(0).shape)

s = torch.tensor(3.0)
(s.index_add(0, torch.tensor(0), torch.tensor(2.0)), s.index_fill(0, torch.tensor(0), 7.0))

torch.nn.functional.normalize(torch.tensor(3.0), dim=0)

torch.tensor(3.0).sum(1)

torch.tensor(3.0).topk(1, 0)

torch.tensor(3.0).sort(0)

import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    out = torch.nn.functional.dropout2d(torch.ones(3, 4), p=0.0)
(out, len(w) > 0)

import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    out = torch.nn.Dropout2d(p=0.0)(torch.ones(2, 3, 4, 5, 6))
(out.shape, len(w) > 0)

import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    out = torch.nn.functional.dropout1d(torch.ones(2, 3, 4, 5), p=0.0)
out

import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    out = torch.nn.functional.dropout3d(torch.ones(3, 4, 5), p=0.0)
(out.shape, len(w) > 0)

#! random
torch.manual_seed(0)
torch.nn.functional.dropout2d(torch.ones(3, 4), p=0.5).shape

torch.scalar_tensor(3.5, requires_grad=True)

torch.scalar_tensor(2, dtype=torch.int64)

(torch.ones(2, 3).sum(()), torch.ones(2, 3).mean([]), torch.tensor([]).sum(()))

torch.tensor(3.0).index_copy(0, torch.tensor([0]), torch.tensor([5.0]))

torch.tensor(3.0).flip(1)

torch.tensor(3.0).gather(1, torch.tensor(0))

x = torch.tensor(2.0, requires_grad=True)
torch.gather(x * 3, 0, torch.tensor(0)).backward()
x.grad

x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
y = x * 2
y[1:3].copy_(torch.tensor([10.0, 20.0]))
(y * torch.arange(4.0)).sum().backward()
x.grad

x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
s = torch.tensor([5.0, 6.0], requires_grad=True)
y = x * 2
y[1:3].copy_(s * 3)
(y * torch.arange(4.0)).sum().backward()
(x.grad, s.grad)

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
s = torch.tensor(7.0, requires_grad=True)
y = x.exp()
v = y[1]
v[0:1].copy_(s.reshape(1))
(y * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
(x.grad, s.grad)

x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
y = x.clone()
y[::2].mul_(3)
y.sum().backward()
x.grad

x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
y = x * 1
y.view(2, 2)[0].add_(x[2:] ** 2)
y.sum().backward()
x.grad
'''

FFT = """
torch.fft.hfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=None, norm=None)

torch.fft.hfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=7, norm=None)

torch.fft.hfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=4, norm=None)

torch.fft.hfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=None, norm="backward")

torch.fft.hfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=7, norm="backward")

torch.fft.hfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=4, norm="backward")

torch.fft.hfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=None, norm="forward")

torch.fft.hfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=7, norm="forward")

torch.fft.hfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=4, norm="forward")

torch.fft.hfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=None, norm="ortho")

torch.fft.hfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=7, norm="ortho")

torch.fft.hfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=4, norm="ortho")

torch.fft.hfft(torch.tensor([[1.0 + 1j, 2.0, -0.5j], [0.5, 1j, 2.0]], dtype=torch.complex128), dim=0)

torch.fft.ihfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=None, norm=None)

torch.fft.ihfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=7, norm=None)

torch.fft.ihfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=4, norm=None)

torch.fft.ihfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=None, norm="backward")

torch.fft.ihfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=7, norm="backward")

torch.fft.ihfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=4, norm="backward")

torch.fft.ihfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=None, norm="forward")

torch.fft.ihfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=7, norm="forward")

torch.fft.ihfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=4, norm="forward")

torch.fft.ihfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=None, norm="ortho")

torch.fft.ihfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=7, norm="ortho")

torch.fft.ihfft(torch.tensor([1.0, 2.0, -0.5, 3.0, 0.25], dtype=torch.float64), n=4, norm="ortho")

torch.fft.ihfft(torch.tensor([[1.0 + 1j, 2.0, -0.5j], [0.5, 1j, 2.0]], dtype=torch.complex128), dim=0)

torch.fft.hfft2(torch.arange(12, dtype=torch.float64).reshape(3, 4) * 0.5)

torch.fft.hfft2(torch.arange(24, dtype=torch.float64).reshape(2, 3, 4), norm="ortho")

torch.fft.hfft2(torch.arange(12, dtype=torch.float64).reshape(3, 4), s=(2, 6))

torch.fft.ihfft2(torch.arange(12, dtype=torch.float64).reshape(3, 4) * 0.5)

torch.fft.ihfft2(torch.arange(24, dtype=torch.float64).reshape(2, 3, 4), norm="ortho")

torch.fft.ihfft2(torch.arange(12, dtype=torch.float64).reshape(3, 4), s=(2, 6))

torch.fft.hfftn(torch.arange(12, dtype=torch.float64).reshape(3, 4) * 0.5)

torch.fft.hfftn(torch.arange(24, dtype=torch.float64).reshape(2, 3, 4), norm="ortho")

torch.fft.hfftn(torch.arange(12, dtype=torch.float64).reshape(3, 4), s=(2, 6))

torch.fft.ihfftn(torch.arange(12, dtype=torch.float64).reshape(3, 4) * 0.5)

torch.fft.ihfftn(torch.arange(24, dtype=torch.float64).reshape(2, 3, 4), norm="ortho")

torch.fft.ihfftn(torch.arange(12, dtype=torch.float64).reshape(3, 4), s=(2, 6))

x = torch.tensor([1.0, 2.0, -0.5, 3.0], requires_grad=True)
torch.fft.hfft(x).pow(2).sum().backward()
x.grad

x = torch.tensor([1.0, 2.0, -0.5, 3.0], requires_grad=True)
torch.fft.ihfft(x).abs().sum().backward()
x.grad

torch.fft.hfft(torch.ones(4), norm="bogus")
"""

MASKED = """
x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.sum(x, 1, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.sum(x, 0, keepdim=True, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.prod(x, 1, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.prod(x, 0, keepdim=True, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.amax(x, 1, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.amax(x, 0, keepdim=True, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.amin(x, 1, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.amin(x, 0, keepdim=True, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.mean(x, 1, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.mean(x, 0, keepdim=True, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.logsumexp(x, 1, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.logsumexp(x, 0, keepdim=True, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.var(x, 1, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.var(x, 0, keepdim=True, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.std(x, 1, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.std(x, 0, keepdim=True, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.softmax(x, 1, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.log_softmax(x, 1, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.softmin(x, 1, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.cumsum(x, 1, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.cumprod(x, 1, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.normalize(x, 2.0, 1, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.norm(x, 2.0, 1, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
(torch.masked.sum(x, mask=m), torch.masked.mean(x, mask=m), torch.masked.sum(x, 1))

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.var(x, 1, unbiased=False, mask=m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.logaddexp(x, x * 2, input_mask=m, other_mask=~m)

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)
m = torch.tensor([[True, False, True], [False, False, False], [True, True, True]])
torch.masked.sum(x, 1, mask=torch.tensor([True, False, True]))

x = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
torch.masked.softmax(x, 1, mask=torch.tensor([[True, False, True]]))[0, 0].backward()
x.grad

x = torch.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
torch.masked.mean(x, 1, mask=torch.tensor([[True, False, True]])).sum().backward()
x.grad
"""

LINALG = """
A = torch.tensor([[2.0, 0.5, -1.0], [0.3, 1.5, 0.2], [0.7, -0.4, 3.0]], dtype=torch.float64)
B = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], dtype=torch.float64)
torch.linalg.solve_triangular(A, B, upper=True, left=True, unitriangular=False)

A = torch.tensor([[2.0, 0.5, -1.0], [0.3, 1.5, 0.2], [0.7, -0.4, 3.0]], dtype=torch.float64)
B = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], dtype=torch.float64)
torch.linalg.solve_triangular(A, B, upper=True, left=True, unitriangular=True)

A = torch.tensor([[2.0, 0.5, -1.0], [0.3, 1.5, 0.2], [0.7, -0.4, 3.0]], dtype=torch.float64)
B = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], dtype=torch.float64)
torch.linalg.solve_triangular(A, B.mT, upper=True, left=False, unitriangular=False)

A = torch.tensor([[2.0, 0.5, -1.0], [0.3, 1.5, 0.2], [0.7, -0.4, 3.0]], dtype=torch.float64)
B = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], dtype=torch.float64)
torch.linalg.solve_triangular(A, B.mT, upper=True, left=False, unitriangular=True)

A = torch.tensor([[2.0, 0.5, -1.0], [0.3, 1.5, 0.2], [0.7, -0.4, 3.0]], dtype=torch.float64)
B = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], dtype=torch.float64)
torch.linalg.solve_triangular(A, B, upper=False, left=True, unitriangular=False)

A = torch.tensor([[2.0, 0.5, -1.0], [0.3, 1.5, 0.2], [0.7, -0.4, 3.0]], dtype=torch.float64)
B = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], dtype=torch.float64)
torch.linalg.solve_triangular(A, B, upper=False, left=True, unitriangular=True)

A = torch.tensor([[2.0, 0.5, -1.0], [0.3, 1.5, 0.2], [0.7, -0.4, 3.0]], dtype=torch.float64)
B = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], dtype=torch.float64)
torch.linalg.solve_triangular(A, B.mT, upper=False, left=False, unitriangular=False)

A = torch.tensor([[2.0, 0.5, -1.0], [0.3, 1.5, 0.2], [0.7, -0.4, 3.0]], dtype=torch.float64)
B = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], dtype=torch.float64)
torch.linalg.solve_triangular(A, B.mT, upper=False, left=False, unitriangular=True)

A = torch.tensor([[2.0, 0.5, -1.0], [0.3, 1.5, 0.2], [0.7, -0.4, 3.0]], dtype=torch.float64)
B = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], dtype=torch.float64)
A.requires_grad_()
B.requires_grad_()
torch.linalg.solve_triangular(A, B, upper=False).sum().backward()
(A.grad, B.grad)

A = torch.tensor([[2.0, 0.5, -1.0], [0.3, 1.5, 0.2], [0.7, -0.4, 3.0]], dtype=torch.float64)
B = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], dtype=torch.float64)
torch.linalg.matrix_exp(A)

A = torch.tensor([[2.0, 0.5, -1.0], [0.3, 1.5, 0.2], [0.7, -0.4, 3.0]], dtype=torch.float64)
B = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], dtype=torch.float64)
torch.linalg.matrix_exp(A * 5)

A = torch.tensor([[2.0, 0.5, -1.0], [0.3, 1.5, 0.2], [0.7, -0.4, 3.0]], dtype=torch.float64)
B = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], dtype=torch.float64)
torch.linalg.matrix_exp(torch.stack([A, -A, A * 0]))

A = torch.tensor([[2.0, 0.5, -1.0], [0.3, 1.5, 0.2], [0.7, -0.4, 3.0]], dtype=torch.float64)
B = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.25]], dtype=torch.float64)
A.requires_grad_()
torch.linalg.matrix_exp(A).sum().backward()
A.grad

torch.linalg.matrix_exp(torch.tensor([[0.0, 1.0], [-1.0, 0.0]]))

torch.linalg.cholesky_ex(torch.tensor([[4.0, 2.0], [2.0, 3.0]], dtype=torch.float64))

torch.linalg.cholesky_ex(torch.tensor([[4.0, 2.0], [2.0, 3.0]], dtype=torch.float64), upper=True)

torch.linalg.cholesky_ex(torch.tensor([[[4.0, 0.0], [0.0, -1.0]], [[-1.0, 0.0], [0.0, 2.0]], [[1.0, 0.0], [0.0, 1.0]]])).info

torch.linalg.cholesky_ex(torch.tensor([[4.0, 0.0], [0.0, -1.0]]), check_errors=True)
"""

GROUPS = {
    "linalg": LINALG,
    "masked": MASKED,
    "fft": FFT,
    "core": CORE,
    "windows": WINDOWS,
    "idioms": IDIOMS,
    "checkpoint": CHECKPOINT,
    "distributions": DISTRIBUTIONS,
    "kl": KL,
    "special": SPECIAL,
}


def all_cases() -> list[Case]:
    """Every snippet of every group, in order."""
    return [case for name, text in GROUPS.items() for case in parse_group(name, text)]
