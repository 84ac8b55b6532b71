"""Continuous univariate distributions and the Dirichlet family."""

from __future__ import annotations

import math
from typing import Any

import ember
from ember import _random
from ember._tensor import Size, Tensor
from ember.distributions import constraints
from ember.distributions.distribution import Distribution
from ember.distributions.utils import broadcast_all
from ember.ops.special_fn import standard_gamma

__all__ = ["Normal", "Uniform", "Exponential", "Laplace", "Gamma", "Beta", "Dirichlet", "Poisson"]


def _expand_params(
    self: Any,
    cls: type,
    names: tuple[str, ...],
    batch_shape: Any,
    _instance: Any,
    event_shape: Any = (),
) -> Any:
    """The shared ``expand``: broadcast each named parameter to ``batch_shape``."""
    new = self._get_checked_instance(cls, _instance)
    batch_shape = Size(batch_shape)
    for name in names:
        value = getattr(self, name)
        extra = tuple(value.shape[len(value.shape) - len(event_shape) :]) if event_shape else ()
        setattr(new, name, value.expand(*batch_shape, *extra))
    Distribution.__init__(new, batch_shape, event_shape, validate_args=False)
    new._validate_args = self._validate_args
    return new


def _draw(shape: Size, like: Tensor, kind: str) -> Tensor:
    with ember.no_grad():
        if kind == "normal":
            return ember.randn(*shape, dtype=like.dtype, device=like.device)
        return ember.rand(*shape, dtype=like.dtype, device=like.device)


def _check(self: Distribution, value: Tensor) -> None:
    if self._validate_args:
        self._validate_sample(value)


class _LocationScale(Distribution):
    """What the location-scale families (``Normal``, ``Laplace``) share: ``loc`` and ``scale``
    parameters, real support, reparameterised samples, and ``mean == mode == loc``."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(self.loc.shape, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Any:
        return _expand_params(self, type(self), ("loc", "scale"), batch_shape, _instance)

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc


class Normal(_LocationScale):
    """The normal distribution N(loc, scale**2).

    Args:
        loc: the mean.
        scale: the standard deviation (> 0).
        validate_args: check the parameters and ``log_prob`` values.

    Example:
        >>> d = ember.distributions.Normal(0.0, 1.0)
        >>> d.log_prob(ember.tensor(0.0))
        tensor(-0.9189)
    """

    @property
    def stddev(self) -> Tensor:
        return self.scale

    @property
    def variance(self) -> Tensor:
        return self.scale.pow(2)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        eps = _draw(self._extended_shape(sample_shape), self.loc, "normal")
        return self.loc + eps * self.scale

    def log_prob(self, value: Tensor) -> Tensor:
        _check(self, value)
        var = self.scale**2
        return (
            -((value - self.loc) ** 2) / (2 * var)
            - self.scale.log()
            - math.log(math.sqrt(2 * math.pi))
        )

    def cdf(self, value: Tensor) -> Tensor:
        _check(self, value)
        return 0.5 * (1 + ember.erf((value - self.loc) * self.scale.reciprocal() / math.sqrt(2)))

    def icdf(self, value: Tensor) -> Tensor:
        return self.loc + self.scale * ember.erfinv(2 * value - 1) * math.sqrt(2)

    def entropy(self) -> Tensor:
        return 0.5 + 0.5 * math.log(2 * math.pi) + ember.log(self.scale)


class Uniform(Distribution):
    """The uniform distribution on the half-open interval [low, high).

    Args:
        low: the lower bound (inclusive).
        high: the upper bound (exclusive).
        validate_args: check the parameters and ``log_prob`` values.

    Example:
        >>> ember.distributions.Uniform(0.0, 2.0).entropy()
        tensor(0.6931)
    """

    arg_constraints = {
        "low": constraints.dependent(is_discrete=False, event_dim=0),
        "high": constraints.dependent(is_discrete=False, event_dim=0),
    }
    has_rsample = True

    def __init__(self, low: Any, high: Any, validate_args: bool | None = None) -> None:
        self.low, self.high = broadcast_all(low, high)
        super().__init__(self.low.shape, validate_args=validate_args)
        if self._validate_args and not bool(ember.lt(self.low, self.high).all()):
            raise ValueError("Uniform is not defined when low>= high")

    def expand(self, batch_shape: Any, _instance: Any = None) -> Uniform:
        return _expand_params(self, Uniform, ("low", "high"), batch_shape, _instance)

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self) -> constraints.Constraint:
        return constraints.interval(self.low, self.high)

    @property
    def mean(self) -> Tensor:
        return (self.high + self.low) / 2

    @property
    def mode(self) -> Tensor:
        return ember.full_like(self.high, math.nan)

    @property
    def stddev(self) -> Tensor:
        return (self.high - self.low) / 12**0.5

    @property
    def variance(self) -> Tensor:
        return (self.high - self.low).pow(2) / 12

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        u = _draw(self._extended_shape(sample_shape), self.low, "uniform")
        return self.low + u * (self.high - self.low)

    def log_prob(self, value: Tensor) -> Tensor:
        _check(self, value)
        lb = self.low.le(value).to(self.low.dtype)
        ub = self.high.gt(value).to(self.low.dtype)
        return ember.log(lb.mul(ub)) - ember.log(self.high - self.low)

    def cdf(self, value: Tensor) -> Tensor:
        _check(self, value)
        return ((value - self.low) / (self.high - self.low)).clamp(min=0, max=1)

    def icdf(self, value: Tensor) -> Tensor:
        return value * (self.high - self.low) + self.low

    def entropy(self) -> Tensor:
        return ember.log(self.high - self.low)


class Exponential(Distribution):
    """The exponential distribution with density rate * exp(-rate x) on x >= 0.

    Args:
        rate: the rate (> 0), 1 / mean.
        validate_args: check the parameters and ``log_prob`` values.

    Example:
        >>> ember.distributions.Exponential(2.0).mean
        tensor(0.5000)
    """

    arg_constraints = {"rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, rate: Any, validate_args: bool | None = None) -> None:
        (self.rate,) = broadcast_all(rate)
        super().__init__(self.rate.shape, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Exponential:
        return _expand_params(self, Exponential, ("rate",), batch_shape, _instance)

    @property
    def mean(self) -> Tensor:
        return self.rate.reciprocal()

    @property
    def mode(self) -> Tensor:
        return ember.zeros_like(self.rate)

    @property
    def stddev(self) -> Tensor:
        return self.rate.reciprocal()

    @property
    def variance(self) -> Tensor:
        return self.rate.pow(-2)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        u = _draw(self._extended_shape(sample_shape), self.rate, "uniform")
        return -ember.log1p(-u) / self.rate

    def log_prob(self, value: Tensor) -> Tensor:
        _check(self, value)
        return self.rate.log() - self.rate * value

    def cdf(self, value: Tensor) -> Tensor:
        _check(self, value)
        return 1 - ember.exp(-self.rate * value)

    def icdf(self, value: Tensor) -> Tensor:
        return -ember.log1p(-value) / self.rate

    def entropy(self) -> Tensor:
        return 1.0 - ember.log(self.rate)


class Laplace(_LocationScale):
    """The Laplace distribution with density exp(-|x - loc| / scale) / (2 scale).

    Args:
        loc: the location (mean).
        scale: the scale (> 0).
        validate_args: check the parameters and ``log_prob`` values.

    Example:
        >>> ember.distributions.Laplace(0.0, 1.0).variance
        tensor(2.)
    """

    @property
    def variance(self) -> Tensor:
        return 2 * self.scale.pow(2)

    @property
    def stddev(self) -> Tensor:
        return (2**0.5) * self.scale

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        eps = ember.finfo(self.loc.dtype).eps
        u = _draw(self._extended_shape(sample_shape), self.loc, "uniform") * (2 - eps) - (1 - eps)
        return self.loc - self.scale * u.sign() * ember.log1p(-u.abs())

    def log_prob(self, value: Tensor) -> Tensor:
        _check(self, value)
        return -ember.log(2 * self.scale) - ember.abs(value - self.loc) / self.scale

    def cdf(self, value: Tensor) -> Tensor:
        _check(self, value)
        z = value - self.loc
        return 0.5 - 0.5 * z.sign() * ember.expm1(-z.abs() / self.scale)

    def icdf(self, value: Tensor) -> Tensor:
        term = value - 0.5
        return self.loc - self.scale * term.sign() * ember.log1p(-2 * term.abs())

    def entropy(self) -> Tensor:
        return 1 + ember.log(2 * self.scale)


def _gamma_draw(concentration: Tensor, shape: Size) -> Tensor:
    rng = _random._gen_for(concentration.device, None).rng
    return standard_gamma(concentration.expand(*shape), rng)


class Gamma(Distribution):
    """The gamma distribution with shape ``concentration`` and inverse scale ``rate``.

    ``rsample`` is reparameterised: gradients reach ``concentration`` by implicit
    differentiation of the CDF, and ``rate`` through the scaling.

    Args:
        concentration: the shape alpha (> 0).
        rate: the rate beta (> 0).
        validate_args: check the parameters and ``log_prob`` values.

    Example:
        >>> ember.distributions.Gamma(2.0, 4.0).mean
        tensor(0.5000)
    """

    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, concentration: Any, rate: Any, validate_args: bool | None = None) -> None:
        self.concentration, self.rate = broadcast_all(concentration, rate)
        super().__init__(self.concentration.shape, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Gamma:
        return _expand_params(self, Gamma, ("concentration", "rate"), batch_shape, _instance)

    @property
    def mean(self) -> Tensor:
        return self.concentration / self.rate

    @property
    def mode(self) -> Tensor:
        return ((self.concentration - 1) / self.rate).clamp(min=0)

    @property
    def variance(self) -> Tensor:
        return self.concentration / self.rate.pow(2)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        value = _gamma_draw(self.concentration, shape) / self.rate.expand(*shape)
        return value.clamp(min=ember.finfo(value.dtype).tiny)

    def log_prob(self, value: Tensor) -> Tensor:
        value = ember.as_tensor(value, dtype=self.rate.dtype, device=self.rate.device)
        _check(self, value)
        return (
            ember.xlogy(self.concentration, self.rate)
            + ember.xlogy(self.concentration - 1, value)
            - self.rate * value
            - ember.lgamma(self.concentration)
        )

    def cdf(self, value: Tensor) -> Tensor:
        _check(self, value)
        return ember.special.gammainc(self.concentration, self.rate * value)

    def entropy(self) -> Tensor:
        c = self.concentration
        return c - ember.log(self.rate) + ember.lgamma(c) + (1.0 - c) * ember.digamma(c)


class Dirichlet(Distribution):
    """The Dirichlet distribution over the probability simplex.

    Args:
        concentration: (..., K) positive concentrations.
        validate_args: check the parameters and ``log_prob`` values.

    Example:
        >>> ember.distributions.Dirichlet(ember.ones(3)).mean
        tensor([0.3333, 0.3333, 0.3333])
    """

    arg_constraints = {"concentration": constraints.independent(constraints.positive, 1)}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, concentration: Tensor, validate_args: bool | None = None) -> None:
        if concentration.dim() < 1:
            raise ValueError("`concentration` parameter must be at least one-dimensional.")
        self.concentration = concentration
        shape = concentration.shape
        super().__init__(shape[:-1], shape[-1:], validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Dirichlet:
        return _expand_params(
            self, Dirichlet, ("concentration",), batch_shape, _instance, self.event_shape
        )

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        g = _gamma_draw(self.concentration, shape)
        tiny = ember.finfo(g.dtype).tiny
        return (g / g.sum(-1, keepdim=True)).clamp(min=tiny, max=1 - ember.finfo(g.dtype).eps)

    def log_prob(self, value: Tensor) -> Tensor:
        _check(self, value)
        c = self.concentration
        return (
            ember.xlogy(c - 1.0, value).sum(-1) + ember.lgamma(c.sum(-1)) - ember.lgamma(c).sum(-1)
        )

    @property
    def mean(self) -> Tensor:
        return self.concentration / self.concentration.sum(-1, True)

    @property
    def mode(self) -> Tensor:
        c = (self.concentration - 1).clamp(min=0.0)
        return c / c.sum(-1, True)

    @property
    def variance(self) -> Tensor:
        con0 = self.concentration.sum(-1, True)
        return self.concentration * (con0 - self.concentration) / (con0.pow(2) * (con0 + 1))

    def entropy(self) -> Tensor:
        c = self.concentration
        k = c.shape[-1]
        a0 = c.sum(-1)
        return (
            ember.lgamma(c).sum(-1)
            - ember.lgamma(a0)
            - (k - a0) * ember.digamma(a0)
            - ((c - 1.0) * ember.digamma(c)).sum(-1)
        )


class Beta(Distribution):
    """The beta distribution on [0, 1], a two-category Dirichlet.

    Args:
        concentration1: alpha (> 0).
        concentration0: beta (> 0).
        validate_args: check the parameters and ``log_prob`` values.

    Example:
        >>> ember.distributions.Beta(2.0, 2.0).mean
        tensor(0.5000)
    """

    arg_constraints = {
        "concentration1": constraints.positive,
        "concentration0": constraints.positive,
    }
    support = constraints.unit_interval
    has_rsample = True

    def __init__(
        self, concentration1: Any, concentration0: Any, validate_args: bool | None = None
    ) -> None:
        c1, c0 = broadcast_all(concentration1, concentration0)
        self._dirichlet = Dirichlet(ember.stack([c1, c0], -1), validate_args=validate_args)
        super().__init__(self._dirichlet._batch_shape, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Beta:
        new = self._get_checked_instance(Beta, _instance)
        new._dirichlet = self._dirichlet.expand(batch_shape)
        Distribution.__init__(new, Size(batch_shape), validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def concentration1(self) -> Tensor:
        c = self._dirichlet.concentration[..., 0]
        return c

    @property
    def concentration0(self) -> Tensor:
        return self._dirichlet.concentration[..., 1]

    @property
    def mean(self) -> Tensor:
        return self.concentration1 / (self.concentration1 + self.concentration0)

    @property
    def mode(self) -> Tensor:
        return self._dirichlet.mode[..., 0]

    @property
    def variance(self) -> Tensor:
        total = self.concentration1 + self.concentration0
        return self.concentration1 * self.concentration0 / (total.pow(2) * (total + 1))

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        return self._dirichlet.rsample(sample_shape).select(-1, 0)

    def log_prob(self, value: Tensor) -> Tensor:
        _check(self, value)
        return self._dirichlet.log_prob(ember.stack([value, 1.0 - value], -1))

    def entropy(self) -> Tensor:
        return self._dirichlet.entropy()

    def __repr__(self) -> str:
        return f"Beta(concentration1: {self.concentration1}, concentration0: {self.concentration0})"


class Poisson(Distribution):
    """The Poisson distribution with mean ``rate``.

    Args:
        rate: the mean number of events (>= 0).
        validate_args: check the parameters and ``log_prob`` values.

    Example:
        >>> ember.distributions.Poisson(2.0).log_prob(ember.tensor(0.0))
        tensor(-2.)
    """

    arg_constraints = {"rate": constraints.nonnegative}
    support = constraints.nonnegative_integer

    def __init__(self, rate: Any, validate_args: bool | None = None) -> None:
        (self.rate,) = broadcast_all(rate)
        super().__init__(self.rate.shape, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> Poisson:
        return _expand_params(self, Poisson, ("rate",), batch_shape, _instance)

    @property
    def mean(self) -> Tensor:
        return self.rate

    @property
    def mode(self) -> Tensor:
        return self.rate.floor()

    @property
    def variance(self) -> Tensor:
        return self.rate

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        with ember.no_grad():
            return ember.poisson(self.rate.expand(*shape))

    def log_prob(self, value: Tensor) -> Tensor:
        _check(self, value)
        rate, value = broadcast_all(self.rate, value)
        return value.xlogy(rate) - rate - ember.lgamma(value + 1)
