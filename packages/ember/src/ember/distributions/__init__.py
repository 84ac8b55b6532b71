"""``ember.distributions``: probability distributions with sampling, ``log_prob`` and KL.

Mirrors ``torch.distributions``: parameters broadcast into a ``batch_shape``, one draw has the
``event_shape``, ``rsample`` is reparameterised (gradients reach the parameters), arguments are
validated against ``constraints`` unless ``validate_args=False``, and ``kl_divergence`` looks
up closed forms registered with ``register_kl``.

Example:
    >>> from ember.distributions import Normal, kl_divergence
    >>> loc = ember.zeros(2, requires_grad=True)
    >>> q = Normal(loc, 1.0)
    >>> z = q.rsample()
    >>> q.log_prob(z).sum().backward()
    >>> loc.grad.shape
    ember.Size([2])
"""

from __future__ import annotations

from ember.distributions import constraints, transforms
from ember.distributions.continuous import (
    Beta,
    Dirichlet,
    Exponential,
    Gamma,
    Laplace,
    Normal,
    Poisson,
    Uniform,
)
from ember.distributions.discrete import (
    Bernoulli,
    Binomial,
    Categorical,
    Multinomial,
    OneHotCategorical,
)
from ember.distributions.distribution import Distribution
from ember.distributions.independent import Independent
from ember.distributions.kl import kl_divergence, register_kl
from ember.distributions.multivariate_normal import MultivariateNormal
from ember.distributions.transformed_distribution import LogNormal, TransformedDistribution
from ember.distributions.transforms import (
    AbsTransform,
    AffineTransform,
    ComposeTransform,
    ExpTransform,
    PowerTransform,
    SigmoidTransform,
    SoftmaxTransform,
    TanhTransform,
    Transform,
)

__all__ = [
    "Distribution",
    "Normal",
    "Bernoulli",
    "Categorical",
    "OneHotCategorical",
    "Binomial",
    "Multinomial",
    "Poisson",
    "Uniform",
    "Exponential",
    "Laplace",
    "Gamma",
    "Beta",
    "Dirichlet",
    "LogNormal",
    "MultivariateNormal",
    "Independent",
    "TransformedDistribution",
    "kl_divergence",
    "register_kl",
    "constraints",
    "transforms",
    "Transform",
    "ComposeTransform",
    "ExpTransform",
    "AffineTransform",
    "SigmoidTransform",
    "TanhTransform",
    "PowerTransform",
    "SoftmaxTransform",
    "AbsTransform",
]
