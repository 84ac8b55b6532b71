"""Adamax, NAdam and RAdam: Adam variants, with PyTorch's update rules."""

from __future__ import annotations

from typing import Any

import numpy as np

from ember._tensor import Tensor, _wrap
from ember.backends import get_xp
from ember.optim._functional import (
    Hyper,
    State,
    Workspace,
    adam_moments_,
    buffers,
    bump_step,
    lerp_,
    new_step,
    start_state,
    zeros_like,
)
from ember.optim.optimizer import (
    ParamsT,
    _adam_hyper,
    _check_betas,
    _check_common,
    _check_range,
    _ParamwiseOptimizer,
)

__all__ = ["Adamax", "NAdam", "RAdam"]


class Adamax(_ParamwiseOptimizer):
    """Adamax: Adam with the infinity norm, ``u = max(beta2 * u, |g| + eps)``.

    The update is ``p -= lr / (1 - beta1**t) * m / u``.

    Args:
        params: tensors or parameter groups to optimize.
        lr: learning rate (default 2e-3).
        betas: decay rates of the moment estimates (default (0.9, 0.999)).
        eps: term added to ``|g|`` (default 1e-8).
        weight_decay: L2 penalty added to the gradient (default 0).
        maximize: maximize the objective instead of minimizing it.
        foreach, differentiable, capturable: accepted for compatibility and ignored.

    Example:
        >>> w = ember.ones(2, requires_grad=True)
        >>> opt = ember.optim.Adamax([w], lr=0.01)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        _check_common(lr, eps, weight_decay)
        betas = _check_betas(betas)
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            capturable=capturable,
        )
        super().__init__(params, defaults)

    def _hyper(self, group: dict[str, Any]) -> Hyper:
        return _adam_hyper(group)

    def _init_state(self, state: State, p: Tensor, group: dict[str, Any]) -> None:
        start_state(state, p, "exp_avg", "exp_inf")

    @staticmethod
    def _update(p: Any, d: Any, state: State, hyper: Hyper, ws: Workspace) -> None:
        lr, beta1, beta2, eps = hyper
        xp = get_xp(p)
        step = bump_step(state["step"])
        m, u = buffers(state, "exp_avg", "exp_inf")
        tmp = ws.get(p, 1)
        lerp_(m, d, 1 - beta1, tmp)
        u *= beta2
        xp.abs(d, out=tmp)
        tmp += eps
        xp.maximum(u, tmp, out=u)
        xp.divide(m, u, out=tmp)
        tmp *= lr / (1 - beta1**step)
        p -= tmp


class NAdam(_ParamwiseOptimizer):
    """NAdam: Adam with Nesterov momentum and the momentum-decay schedule of Dozat (2016).

    ``mu_t = beta1 * (1 - 0.5 * 0.96**(t * momentum_decay))``; the step combines the current
    gradient (weight ``(1 - mu_t) / (1 - prod mu)``) and the first moment (weight
    ``mu_{t+1} / (1 - prod mu * mu_{t+1})``), both divided by ``sqrt(v / (1 - beta2**t)) + eps``.
    The running product of ``mu`` is kept in float32, as PyTorch keeps it.

    Args:
        params: tensors or parameter groups to optimize.
        lr: learning rate (default 2e-3).
        betas: decay rates of the moment estimates (default (0.9, 0.999)).
        eps: term added to the denominator (default 1e-8).
        weight_decay: weight decay coefficient (default 0).
        momentum_decay: momentum decay psi (default 4e-3).
        decoupled_weight_decay: decay the weights directly (NAdamW) instead of the L2 form.
        maximize: maximize the objective instead of minimizing it.
        foreach, capturable, differentiable: accepted for compatibility and ignored.

    Example:
        >>> w = ember.ones(2, requires_grad=True)
        >>> opt = ember.optim.NAdam([w], lr=0.01, momentum_decay=4e-3)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        _check_common(lr, eps, weight_decay)
        betas = _check_betas(betas)
        _check_range("momentum_decay value", momentum_decay, momentum_decay >= 0.0)
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _hyper(self, group: dict[str, Any]) -> Hyper:
        return _adam_hyper(group, "momentum_decay")

    def _init_state(self, state: State, p: Tensor, group: dict[str, Any]) -> None:
        state["step"] = new_step()
        state["mu_product"] = _wrap(np.ones((), dtype=np.float32))
        state["exp_avg"] = zeros_like(p)
        state["exp_avg_sq"] = zeros_like(p)

    @staticmethod
    def _update(p: Any, d: Any, state: State, hyper: Hyper, ws: Workspace) -> None:
        lr, beta1, beta2, eps, momentum_decay = hyper
        xp = get_xp(p)
        step = bump_step(state["step"])
        mu, mu_next, mu_prod = _nadam_mu(state, step, beta1, momentum_decay)
        m, v = buffers(state, "exp_avg", "exp_avg_sq")
        denom, tmp = ws.get(p, 1), ws.get(p, 2)
        adam_moments_(m, v, d, beta1, beta2, tmp)
        xp.divide(v, 1 - beta2**step, out=denom)
        xp.sqrt(denom, out=denom)
        denom += eps
        xp.divide(d, denom, out=tmp)
        tmp *= -lr * (1.0 - mu) / (1.0 - mu_prod)
        p += tmp
        xp.divide(m, denom, out=tmp)
        tmp *= -lr * mu_next / (1.0 - mu_prod * mu_next)
        p += tmp


def _nadam_mu(
    state: State, step: float, beta1: float, momentum_decay: float
) -> tuple[float, float, float]:
    """This step's and the next step's momentum coefficients, and the updated running product."""
    mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
    mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
    state["mu_product"]._data *= mu
    return mu, mu_next, float(state["mu_product"]._data)


class RAdam(_ParamwiseOptimizer):
    """RAdam: Adam with a rectification of the adaptive step's variance (Liu et al., 2019).

    While the approximated SMA length ``rho_t`` is at most 5 the step is plain momentum SGD,
    ``p -= lr * m / (1 - beta1**t)``; afterwards it is the Adam step times the rectification term.

    Args:
        params: tensors or parameter groups to optimize.
        lr: learning rate (default 1e-3).
        betas: decay rates of the moment estimates (default (0.9, 0.999)).
        eps: term added to the denominator (default 1e-8).
        weight_decay: weight decay coefficient (default 0).
        decoupled_weight_decay: decay the weights directly (as AdamW) instead of the L2 form.
        maximize: maximize the objective instead of minimizing it.
        foreach, capturable, differentiable: accepted for compatibility and ignored.

    Example:
        >>> w = ember.ones(2, requires_grad=True)
        >>> opt = ember.optim.RAdam([w], lr=1e-3)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        _check_common(lr, eps, weight_decay)
        betas = _check_betas(betas)
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            decoupled_weight_decay=decoupled_weight_decay,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _hyper(self, group: dict[str, Any]) -> Hyper:
        return _adam_hyper(group)

    def _init_state(self, state: State, p: Tensor, group: dict[str, Any]) -> None:
        start_state(state, p, "exp_avg", "exp_avg_sq")

    @staticmethod
    def _update(p: Any, d: Any, state: State, hyper: Hyper, ws: Workspace) -> None:
        lr, beta1, beta2, eps = hyper
        xp = get_xp(p)
        step = bump_step(state["step"])
        m, v = buffers(state, "exp_avg", "exp_avg_sq")
        upd, tmp = ws.get(p, 1), ws.get(p, 2)
        adam_moments_(m, v, d, beta1, beta2, tmp)
        xp.divide(m, 1 - beta1**step, out=upd)
        upd *= lr
        rect = _radam_rectification(beta2, step)
        if rect is not None:
            xp.sqrt(v, out=tmp)
            tmp += eps
            xp.divide((1 - beta2**step) ** 0.5, tmp, out=tmp)
            upd *= tmp
            upd *= rect
        p -= upd


def _radam_rectification(beta2: float, step: float) -> float | None:
    """The variance rectification term, or None while the SMA length ``rho_t`` is at most 5."""
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * step * (beta2**step) / (1 - beta2**step)
    if not rho_t > 5.0:  # written so that a NaN also skips the rectification
        return None
    return ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
